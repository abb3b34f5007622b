import Foundation
import Shared

/// Real-shaped objects for the gc's tables: an OpenMetadata ingestion run that finished, and its
/// two pods as the kubelet left them (shapes from the decision engine's fixtures and the
/// Kubernetes pod-lifecycle documentation). Tests change single fields from here.
enum GCFixtures {
    static let omJobJSON = """
        {
          "apiVersion": "pipelines.openmetadata.org/v1",
          "kind": "OMJob",
          "metadata": {
            "name": "om-job-mysql-pipeline-a1b2c3d4",
            "namespace": "openmetadata-pipelines",
            "uid": "0b6c1e2a-2222-4c3d-8e9f-a0b1c2d3e4f5",
            "resourceVersion": "2048",
            "generation": 1,
            "creationTimestamp": "2026-03-10T09:00:00Z",
            "labels": {
              "app.kubernetes.io/name": "openmetadata",
              "app.kubernetes.io/managed-by": "openmetadata",
              "app.kubernetes.io/pipeline": "mysql-pipeline",
              "app.kubernetes.io/run-id": "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
            },
            "finalizers": ["omjob.pipelines.openmetadata.org/exit-handler"]
          },
          "spec": {
            "mainPodSpec": {"image": "docker.getcollate.io/openmetadata/ingestion-base:1.5.0", "serviceAccountName": "openmetadata-ingestion", "command": ["python", "main.py"]},
            "exitHandlerSpec": {"image": "docker.getcollate.io/openmetadata/ingestion-base:1.5.0", "command": ["python", "exit_handler.py"]},
            "ttlSecondsAfterFinished": 3600
          },
          "status": {
            "phase": "Succeeded",
            "observedGeneration": 1,
            "mainPodName": "om-job-mysql-pipeline-a1b2c3d4-main",
            "exitHandlerPodName": "om-job-mysql-pipeline-a1b2c3d4-exit",
            "startTime": "2026-03-10T09:00:01Z",
            "completionTime": "2026-03-10T10:00:00Z",
            "mainPodExitCode": 0,
            "exitHandlerAttempts": 1,
            "exitHandlerExitCode": 0,
            "message": "Exit handler completed"
          }
        }
        """

    static func podJSON(type: String, suffix: String, phase: String) -> String {
        """
        {
          "apiVersion": "v1",
          "kind": "Pod",
          "metadata": {
            "name": "om-job-mysql-pipeline-a1b2c3d4-\(suffix)",
            "namespace": "openmetadata-pipelines",
            "uid": "pod-\(suffix)-9f8e7d6c",
            "resourceVersion": "2040",
            "creationTimestamp": "2026-03-10T09:00:01Z",
            "labels": {
              "app.kubernetes.io/name": "openmetadata",
              "app.kubernetes.io/component": "ingestion",
              "app.kubernetes.io/managed-by": "omjob-operator",
              "omjob.pipelines.openmetadata.org/name": "om-job-mysql-pipeline-a1b2c3d4",
              "omjob.pipelines.openmetadata.org/pod-type": "\(type)"
            },
            "ownerReferences": [{
              "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob", "name": "om-job-mysql-pipeline-a1b2c3d4",
              "uid": "0b6c1e2a-2222-4c3d-8e9f-a0b1c2d3e4f5", "controller": true, "blockOwnerDeletion": true
            }]
          },
          "spec": {"containers": [{"name": "main", "image": "docker.getcollate.io/openmetadata/ingestion-base:1.5.0"}], "restartPolicy": "Never"},
          "status": {
            "phase": "\(phase)",
            "containerStatuses": [{"name": "main", "ready": false, "restartCount": 0, "image": "docker.getcollate.io/openmetadata/ingestion-base:1.5.0", "imageID": "", "state": {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": "2026-03-10T09:00:05Z", "finishedAt": "2026-03-10T09:58:00Z"}}}]
          }
        }
        """
    }

    static func omJob() -> OMJob { decode(omJobJSON) }
    static func mainPod(phase: String = "Succeeded") -> PodView {
        decode(podJSON(type: "main", suffix: "main", phase: phase))
    }
    static func exitPod(phase: String = "Succeeded") -> PodView {
        decode(podJSON(type: "exit-handler", suffix: "exit", phase: phase))
    }

    static func date(_ text: String) -> Date { KubeTime.parse(text)! }

    private static func decode<T: Decodable>(_ json: String) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(json.utf8)) } catch {
            fatalError("fixture does not decode: \(error)")
        }
    }
}
