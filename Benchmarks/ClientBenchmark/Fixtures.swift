import Foundation
import KubeJSON

/// Real-shaped objects as an API server sends them (managedFields included: a real server
/// sends them on every list and watch, and the decoder must skip them).
enum Fixtures {
    static func pod(_ i: Int, resourceVersion: Int) -> JSONValue {
        let name = "ingest-\(i)-main"
        let labels: JSONValue = [
            "app.kubernetes.io/name": "openmetadata", "app.kubernetes.io/component": "ingestion",
            "app.kubernetes.io/managed-by": "omjob-operator",
            "omjob.pipelines.openmetadata.org/name": .string("ingest-\(i)"),
            "omjob.pipelines.openmetadata.org/pod-type": "main",
            "app.kubernetes.io/pipeline": "mysql_metadata_ingestion",
        ]
        let env: JSONValue = .array(
            (0..<8).map { ["name": .string("ENV_\($0)"), "value": .string("value-\($0)-\(i)")] } + [
                ["name": "config", "valueFrom": ["secretKeyRef": ["name": "ingestion-config", "key": "config"]]]
            ])
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "name": .string(name), "namespace": "openmetadata", "uid": .string(UUID().uuidString.lowercased()),
                "resourceVersion": .string(String(resourceVersion)), "creationTimestamp": "2026-11-25T10:00:00Z",
                "labels": labels,
                "annotations": [
                    "kubectl.kubernetes.io/default-container": "main", "run-id": .string(UUID().uuidString),
                ],
                "ownerReferences": [
                    [
                        "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob", "name": .string("ingest-\(i)"),
                        "uid": .string(UUID().uuidString.lowercased()), "controller": true, "blockOwnerDeletion": true,
                    ]
                ],
                "finalizers": ["pipelines.openmetadata.org/exit-handler"],
                "managedFields": [
                    [
                        "manager": "omjob-operator", "operation": "Update", "apiVersion": "v1",
                        "time": "2026-11-25T10:00:00Z",
                        "fieldsType": "FieldsV1",
                        "fieldsV1": [
                            "f:metadata": [
                                "f:labels": [".": [:], "f:app": [:]],
                                "f:ownerReferences": [".": [:]],
                            ],
                            "f:spec": [
                                "f:containers": ["k:{\"name\":\"main\"}": [".": [:], "f:image": [:], "f:env": [:]]]
                            ],
                        ],
                    ]
                ],
            ],
            "spec": [
                "restartPolicy": "Never", "serviceAccountName": "ingestion", "nodeName": .string("node-\(i % 50)"),
                "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler",
                "securityContext": ["runAsUser": 1000, "runAsGroup": 1000, "runAsNonRoot": true],
                "containers": [
                    [
                        "name": "main", "image": "docker.getcollate.io/openmetadata/ingestion:1.5.6",
                        "imagePullPolicy": "IfNotPresent",
                        "command": ["python", "main.py"], "env": env,
                        "resources": [
                            "requests": ["cpu": "500m", "memory": "1Gi"], "limits": ["cpu": "2", "memory": "4Gi"],
                        ],
                        "securityContext": [
                            "allowPrivilegeEscalation": false, "capabilities": ["drop": ["ALL"]], "runAsNonRoot": true,
                        ],
                        "volumeMounts": [
                            [
                                "name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                                "readOnly": true,
                            ]
                        ],
                        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                    ]
                ],
                "volumes": [
                    [
                        "name": "kube-api-access",
                        "projected": [
                            "defaultMode": 420,
                            "sources": [["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]]],
                        ],
                    ]
                ],
                "tolerations": [
                    [
                        "key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                        "tolerationSeconds": 300,
                    ],
                    [
                        "key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                        "tolerationSeconds": 300,
                    ],
                ],
            ],
            "status": [
                "phase": "Running", "hostIP": "10.0.0.12", "podIP": .string("10.244.\(i % 250).\(i % 200)"),
                "qosClass": "Burstable",
                "startTime": "2026-11-25T10:00:01Z",
                "conditions": .array(
                    ["Initialized", "Ready", "ContainersReady", "PodScheduled"].map {
                        [
                            "type": .string($0), "status": "True", "lastProbeTime": .null,
                            "lastTransitionTime": "2026-11-25T10:00:03Z",
                        ]
                    }),
                "containerStatuses": [
                    [
                        "name": "main", "ready": true, "restartCount": 0, "started": true,
                        "image": "docker.getcollate.io/openmetadata/ingestion:1.5.6",
                        "imageID":
                            "docker-pullable://docker.getcollate.io/openmetadata/ingestion@sha256:0123456789abcdef",
                        "containerID": "containerd://0123456789abcdef0123456789abcdef",
                        "state": ["running": ["startedAt": "2026-11-25T10:00:02Z"]], "lastState": [:],
                    ]
                ],
            ],
        ]
    }

    static func omjob(_ i: Int) -> JSONValue {
        [
            "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
            "metadata": [
                "name": .string("ingest-\(i)"), "namespace": "openmetadata",
                "uid": .string(UUID().uuidString.lowercased()),
                "resourceVersion": .string(String(1000 + i)), "generation": 1,
                "creationTimestamp": "2026-11-25T10:00:00Z",
                "labels": [
                    "app.kubernetes.io/pipeline": "mysql_metadata_ingestion",
                    "app.kubernetes.io/run-id": .string(UUID().uuidString),
                ],
                "finalizers": ["pipelines.openmetadata.org/exit-handler"],
            ],
            "spec": [
                "mainPodSpec": [
                    "image": "docker.getcollate.io/openmetadata/ingestion:1.5.6", "serviceAccountName": "ingestion",
                    "command": ["python", "main.py"], "imagePullPolicy": "IfNotPresent",
                    // 100 pipelines: runs of one pipeline share their pod template.
                    "env": .array(
                        (0..<6).map { ["name": .string("ENV_\($0)"), "value": .string("pipeline-\(i % 100)-v\($0)")] }),
                    "resources": ["requests": ["cpu": "500m", "memory": "1Gi"]], "labels": ["team": "data"],
                ],
                "exitHandlerSpec": [
                    "image": "docker.getcollate.io/openmetadata/ingestion:1.5.6", "serviceAccountName": "ingestion",
                    "command": ["python", "exit_handler.py"],
                ],
                "ttlSecondsAfterFinished": 86400,
            ],
            "status": [
                "phase": "Running", "mainPodName": .string("ingest-\(i)-main"), "startTime": "2026-11-25T10:00:01Z",
            ],
        ]
    }
}
