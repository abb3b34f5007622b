import KubeJSON

/// OMJobs shaped as OpenMetadata builds them; `annotations` go onto the main pod (kubesim's
/// automatic mode reads `kubesim.io/*` there to choose the ending).
public enum OMJobFactory {
    public static func omJob(_ name: String, namespace: String, mainAnnotations: [String: String] = [:]) -> JSONValue {
        var main: JSONValue = [
            "image": "openmetadata/ingestion-base:1.5.0", "serviceAccountName": "ingestion",
            "command": ["python", "main.py"], "env": [["name": "pipelineRunId", "value": .string(name)]],
        ]
        if !mainAnnotations.isEmpty { main["annotations"] = .object(mainAnnotations.mapValues { .string($0) }) }
        return [
            "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
            "metadata": [
                "name": .string(name), "namespace": .string(namespace),
                "labels": ["app.kubernetes.io/pipeline": "bench", "app.kubernetes.io/run-id": .string(name)],
            ],
            "spec": [
                "mainPodSpec": main,
                "exitHandlerSpec": [
                    "image": "openmetadata/ingestion-base:1.5.0", "serviceAccountName": "ingestion",
                    "command": ["python", "exit_handler.py"],
                ],
            ],
        ]
    }
}
