/// The OMJob the benchmark copies: the shape OpenMetadata's server builds (see
/// Tests/WatcherTests/Fixtures/omjob/openmetadata-ingestion.json).
enum BenchmarkData {
    static let omJobJSON = #"""
        {"apiVersion":"pipelines.openmetadata.org/v1","kind":"OMJob",
         "metadata":{"name":"om-job-mysql-pipeline-a1b2c3d4","namespace":"openmetadata-pipelines","uid":"u","resourceVersion":"1001","generation":1,
          "creationTimestamp":"2025-01-09T15:29:59Z",
          "labels":{"app.kubernetes.io/name":"openmetadata","app.kubernetes.io/component":"ingestion","app.kubernetes.io/managed-by":"openmetadata",
                    "app.kubernetes.io/pipeline":"mysql-pipeline","app.kubernetes.io/pipeline-type":"metadata","app.kubernetes.io/run-id":"a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"}},
         "spec":{
          "mainPodSpec":{"image":"openmetadata/ingestion-base:1.5.0","imagePullPolicy":"IfNotPresent","imagePullSecrets":[{"name":"regcred"}],
            "serviceAccountName":"openmetadata-ingestion","command":["python","main.py"],
            "env":[{"name":"pipelineType","value":"metadata"},{"name":"pipelineRunId","value":"a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"},
                   {"name":"ingestionPipelineFQN","value":"mysql_prod.mysql-pipeline"},{"name":"config","value":"source:\n  type: mysql\n"},
                   {"name":"jobName","value":"om-job-mysql-pipeline-a1b2c3d4"},{"name":"namespace","value":"openmetadata-pipelines"}],
            "resources":{"requests":{"cpu":"500m","memory":"1Gi"},"limits":{"cpu":"2","memory":"4Gi"}},
            "securityContext":{"runAsNonRoot":true,"runAsUser":1000,"runAsGroup":1000,"fsGroup":1000},
            "labels":{"app.kubernetes.io/managed-by":"openmetadata","app.kubernetes.io/pipeline":"mysql-pipeline"}},
          "exitHandlerSpec":{"image":"openmetadata/ingestion-base:1.5.0","imagePullPolicy":"IfNotPresent","serviceAccountName":"openmetadata-ingestion",
            "command":["python","exit_handler.py"],
            "env":[{"name":"pipelineRunId","value":"a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"},{"name":"config","value":"source:\n  type: mysql\n"},
                   {"name":"jobName","value":"om-job-mysql-pipeline-a1b2c3d4"},{"name":"namespace","value":"openmetadata-pipelines"}],
            "resources":{"requests":{"cpu":"100m","memory":"256Mi"},"limits":{"cpu":"500m","memory":"512Mi"}}},
          "ttlSecondsAfterFinished":604800}}
        """#
}
