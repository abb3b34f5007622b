#!/usr/bin/env python3
"""Writes omjob.yaml and cronomjob.yaml from one description of the OMJob spec.

Why a generator: CronOMJob embeds the whole OMJob spec (`spec.omJobSpec`); writing that
schema twice by hand is how two copies drift apart. Run `python3 deploy/crds/generate.py`
after editing; the generated files are committed so that nothing needs Python to install them.

Schema rules (apiextensions.k8s.io/v1, structural):
- Every field has a type. Open-ended Kubernetes types (pod securityContext, affinity,
  toleration, resource quantities) keep unknown members with x-kubernetes-preserve-unknown-fields
  or x-kubernetes-int-or-string, so that every object OpenMetadata's server builds is accepted.
- Every status field the operator writes is declared, or the API server would prune it.
- No `nullable`: the API server prunes explicit nulls before defaulting, so a null
  `ttlSecondsAfterFinished` from an older client still gets its default.
"""
import pathlib
import yaml

HERE = pathlib.Path(__file__).resolve().parent
GROUP = "pipelines.openmetadata.org"


def s(desc, **extra):
    return {"type": "string", "description": desc, **extra}


def i(desc, fmt="int32", **extra):
    return {"type": "integer", "format": fmt, "description": desc, **extra}


def b(desc):
    return {"type": "boolean", "description": desc}


def time(desc):
    return {"type": "string", "format": "date-time", "description": desc}


def obj(desc, props, required=None, **extra):
    o = {"type": "object", "description": desc, "properties": props, **extra}
    if required:
        o["required"] = required
    return o


def string_map(desc):
    return {"type": "object", "description": desc, "additionalProperties": {"type": "string"}}


def open_object(desc):
    return {"type": "object", "description": desc, "x-kubernetes-preserve-unknown-fields": True}


QUANTITY = {"x-kubernetes-int-or-string": True, "anyOf": [{"type": "integer"}, {"type": "string"}]}


def key_ref(kind):
    return obj(f"Selects a key of a {kind} in the pod's namespace.",
               {"name": s(f"Name of the {kind}."), "key": s("The key to select."),
                "optional": b(f"Whether the {kind} or its key may be missing.")},
               required=["key"])


ENV_VAR = obj(
    "One environment variable (core/v1 EnvVar). An empty valueFrom is dropped by the operator.",
    {
        "name": s("Variable name."),
        "value": s("Literal value."),
        "valueFrom": obj("Source of the value when `value` is not given.", {
            "configMapKeyRef": key_ref("ConfigMap"),
            "secretKeyRef": key_ref("Secret"),
            "fieldRef": obj("A field of the pod (metadata.name, status.podIP, ...).", {
                "apiVersion": s("Schema version of fieldPath; v1 when empty."),
                "fieldPath": s("Path of the field to select."),
            }, required=["fieldPath"]),
            "resourceFieldRef": obj("A resource of a container (limits.cpu, requests.memory, ...).", {
                "containerName": s("Container name; the operator's container is `main`."),
                "resource": s("Resource to select."),
                "divisor": {**QUANTITY, "description": "Output format of the exposed resource."},
            }, required=["resource"]),
        }),
    },
    required=["name"],
)


def pod_spec(desc, required):
    return obj(desc, {
        "image": s("Container image."),
        "imagePullPolicy": s("Always, IfNotPresent or Never.", enum=["Always", "IfNotPresent", "Never"]),
        "imagePullSecrets": {"type": "array", "description": "Secrets used to pull the image.",
                             "items": obj("A LocalObjectReference.", {"name": s("Secret name.")})},
        "serviceAccountName": s("Service account the pod runs as."),
        "command": {"type": "array", "description": "Entrypoint; not run in a shell.", "items": {"type": "string"}},
        "args": {"type": "array", "description": "Arguments to the entrypoint.", "items": {"type": "string"}},
        "env": {"type": "array", "description": "Environment of the container.", "items": ENV_VAR},
        "resources": obj("Compute resources of the container (core/v1 ResourceRequirements).", {
            "limits": {"type": "object", "description": "Maximum amounts.", "additionalProperties": QUANTITY},
            "requests": {"type": "object", "description": "Minimum amounts.", "additionalProperties": QUANTITY},
        }),
        "nodeSelector": string_map("Labels a node must have to run the pod."),
        "tolerations": {"type": "array", "description": "core/v1 Tolerations of the pod.",
                        "items": open_object("A core/v1 Toleration.")},
        "affinity": open_object("core/v1 Affinity of the pod."),
        "priorityClassName": s("Priority class of the pod."),
        "securityContext": open_object(
            "Pod-level core/v1 PodSecurityContext; runAsNonRoot/runAsUser/runAsGroup are also copied "
            "into the container's hardened security context."),
        "labels": string_map("Extra pod labels; the operator's own labels win on conflict."),
        "annotations": string_map("Extra pod annotations."),
    }, required=required)


def seconds(desc, minimum=1):
    return i(desc, fmt="int64", minimum=minimum)


OMJOB_SPEC = obj("What to run: the main pod, then the exit handler, whatever ended the main pod.", {
    "mainPodSpec": pod_spec("The pipeline run itself.", ["image", "command", "serviceAccountName"]),
    "exitHandlerSpec": pod_spec(
        "Runs after the main pod ends, with pipelineStatus=success|failed and OMJOB_* facts in its "
        "environment. Inherits the main spec's imagePullSecrets when it has none.", ["image", "command"]),
    "ttlSecondsAfterFinished": i("Seconds after completionTime before the run's pods are deleted.",
                                 default=86400, minimum=0),
    "activeDeadlineSeconds": seconds(
        "Longest the main pod may run (from its start); past it the pod is stopped, the run records "
        "DeadlineExceeded and the exit handler runs. No limit when unset."),
    "mainPodStartDeadlineSeconds": seconds(
        "Longest the main pod may stay unstarted (Unschedulable, ImagePullBackOff, ErrImagePull, "
        "CreateContainerConfigError...) before the run records NeverStarted. Operator default when unset."),
    "nodeLostThresholdSeconds": seconds(
        "How long the main pod's node may be NotReady/Unknown before the run records NodeLost. "
        "Operator default when unset."),
    "exitHandlerBackoffLimit": i(
        "Retries of an exit handler that fails or never starts, before the run is Failed. "
        "Operator default when unset.", minimum=0),
    "exitHandlerBackoffSeconds": seconds(
        "Delay before the first retry of the exit handler; doubled for each later retry. "
        "Operator default when unset."),
    "exitHandlerStartDeadlineSeconds": seconds(
        "Longest an exit-handler pod may stay unstarted before the attempt counts as failed. "
        "Operator default when unset."),
    "exitHandlerActiveDeadlineSeconds": seconds(
        "Longest an exit-handler pod may run before the attempt counts as failed (a hung exit handler "
        "must not hold the run forever). Operator default when unset."),
    "killDeadlineSeconds": seconds(
        "When the OMJob is deleted while running: longest the operator keeps it (to stop the main pod "
        "and run the exit handler) before releasing its finalizer anyway. Operator default when unset."),
}, required=["mainPodSpec"])

CONDITION = obj("metav1.Condition.", {
    "type": s("Condition type: MainPodEnded, ExitHandlerSucceeded, Complete, Failed."),
    "status": s("True, False or Unknown.", enum=["True", "False", "Unknown"]),
    "observedGeneration": i("The generation the condition was set from.", fmt="int64", minimum=0),
    "lastTransitionTime": time("When status last changed."),
    "reason": s("CamelCase machine-readable reason."),
    "message": s("Human-readable details."),
}, required=["type", "status", "lastTransitionTime", "reason", "message"])


def conditions():
    return {"type": "array", "description": "Latest observations of the run (metav1.Condition).",
            "items": CONDITION, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"]}


OMJOB_STATUS = obj("What happened to the run. Written only by the operator (status subresource).", {
    "phase": s("Pending -> Running -> ExitHandlerRunning -> Succeeded | Failed.",
               enum=["Pending", "Running", "ExitHandlerRunning", "Succeeded", "Failed"]),
    "observedGeneration": i("The OMJob generation this status was computed from.", fmt="int64"),
    "mainPodName": s("Name of the main pod."),
    "exitHandlerPodName": s("Name of the current (latest) exit-handler pod."),
    "startTime": time("When the operator first acted on the run."),
    "completionTime": time("When the run reached Succeeded or Failed."),
    "message": s("Human-readable summary of the latest transition."),
    "mainPodExitCode": i("Exit code of the main container; absent when it is unknown."),
    "mainPodTermination": obj("How the main pod ended, with the evidence it was read from.", {
        "reason": s("Completed, Error, OOMKilled, Evicted, DeadlineExceeded, PodDeleted, NodeLost, PodLost, "
                    "NeverStarted/<waiting reason>, CreateFailed, Killed, ..."),
        "message": s("Message from the pod or the operator."),
        "exitCode": i("Exit code of the main container, when known."),
        "signal": i("Signal that ended the main container, when known (exit code 128+n)."),
        "source": s("Which rule classified the ending.",
                    enum=["PodPhase", "DisruptionTarget", "PodReason", "ContainerTerminated", "Deletion",
                          "NodeLost", "Disappeared", "NeverStarted", "ActiveDeadline", "CreateFailed", "Killed"]),
        "containerMayStillRun": b("True when the container may still be running (node lost, stop not confirmed)."),
        "stopRequestedAt": time("When the main pod's deletion was asked, for an ending whose container may still run, so "
                                "that a node that returns stops it: by the operator as it starts the exit handler, or "
                                "before by whoever deleted the pod. Absent when the pod had already ended or was gone."),
        "startedAt": time("When the main container started, when known."),
        "finishedAt": time("When the main container ended, when known."),
        "recordedAt": time("When the operator recorded the ending."),
    }),
    "exitHandlerAttempts": i("Exit-handler pods created so far.", minimum=0),
    "exitHandlerExitCode": i("Exit code of the latest finished exit-handler attempt."),
    "exitHandlerReason": s("How the latest exit-handler attempt ended (Completed, Error, NeverStarted/..., CreateFailed...)."),
    "exitHandlerLastFailureTime": time("When the latest exit-handler attempt failed; retries back off from it."),
    "podCreateFailure": obj("The latest pod creation the API server rejected permanently (written by the executor).", {
        "podType": s("main or exit-handler.", enum=["main", "exit-handler"]),
        "podName": s("Name of the pod that could not be created."),
        "attempt": i("Exit-handler attempt number (1 for the main pod).", minimum=0),
        "reason": s("Status reason from the API server (Invalid, Forbidden, ...)."),
        "code": i("HTTP status code."),
        "message": s("Status message from the API server."),
        "time": time("When the rejection was recorded."),
    }),
    "cleanupTime": time("When the gc deleted the run's pods (completionTime + ttlSecondsAfterFinished)."),
    "conditions": conditions(),
})

CRON_SPEC = obj("A schedule that creates OMJobs.", {
    "schedule": s("5-field cron expression, or a macro (@hourly, @daily, @weekly, @monthly, @yearly)."),
    "timeZone": s("IANA time zone of the schedule; UTC when unset."),
    "suspend": b("When true, no new runs are created; running ones are untouched."),
    "startingDeadlineSeconds": i("A run missed by more than this many seconds is skipped; 0 or unset: no deadline.", fmt="int64", minimum=0),
    "concurrencyPolicy": s("What to do when a run is due while another is running.",
                           enum=["Allow", "Forbid", "Replace"], default="Allow"),
    "successfulJobsHistoryLimit": i("Succeeded OMJobs to keep.", default=3, minimum=0),
    "failedJobsHistoryLimit": i("Failed OMJobs to keep.", default=3, minimum=0),
    "omJobSpec": OMJOB_SPEC,
}, required=["schedule", "omJobSpec"])

OBJECT_REF = obj("core/v1 ObjectReference to a running OMJob.", {
    "apiVersion": s("API version."), "kind": s("Kind."), "name": s("Name."),
    "namespace": s("Namespace."), "uid": s("UID."), "resourceVersion": s("Resource version."),
})

CRON_STATUS = obj("What the schedule has done.", {
    "active": {"type": "array", "description": "OMJobs created by this schedule that have not finished.",
               "items": OBJECT_REF, "x-kubernetes-list-type": "atomic"},
    "lastScheduleTime": time("The slot of the latest run created."),
    "lastSuccessfulTime": time("When the latest run succeeded."),
    "lastOMJobName": s("Name of the latest OMJob created."),
    "message": s("Human-readable summary (e.g. an invalid schedule)."),
    "observedGeneration": i("The CronOMJob generation this status was computed from.", fmt="int64"),
    "conditions": conditions(),
})

AGE = {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}


def crd(kind, plural, short, spec, status, columns):
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{GROUP}",
                     "labels": {"app.kubernetes.io/name": "omjob-operator",
                                "app.kubernetes.io/part-of": "openmetadata"}},
        "spec": {
            "group": GROUP,
            "scope": "Namespaced",
            "names": {"kind": kind, "listKind": f"{kind}List", "plural": plural,
                      "singular": kind.lower(), "shortNames": [short], "categories": ["openmetadata"]},
            "versions": [{
                "name": "v1", "served": True, "storage": True,
                "subresources": {"status": {}},
                "additionalPrinterColumns": columns,
                "schema": {"openAPIV3Schema": obj(f"{kind} (see the omjob-operator README).", {
                    "apiVersion": s("API version."), "kind": s("Kind."),
                    "metadata": {"type": "object"},
                    "spec": spec, "status": status,
                }, required=["spec"])},
            }],
        },
    }


OMJOB = crd("OMJob", "omjobs", "omj", OMJOB_SPEC, OMJOB_STATUS, [
    {"name": "Phase", "type": "string", "jsonPath": ".status.phase"},
    {"name": "Exit Code", "type": "integer", "jsonPath": ".status.mainPodExitCode"},
    {"name": "Reason", "type": "string", "jsonPath": ".status.mainPodTermination.reason"},
    {"name": "Exit Handler", "type": "string", "jsonPath": ".status.exitHandlerReason"},
    {"name": "Attempts", "type": "integer", "jsonPath": ".status.exitHandlerAttempts", "priority": 1},
    {"name": "Main Pod", "type": "string", "jsonPath": ".status.mainPodName", "priority": 1},
    AGE,
])

CRON = crd("CronOMJob", "cronomjobs", "comj", CRON_SPEC, CRON_STATUS, [
    {"name": "Schedule", "type": "string", "jsonPath": ".spec.schedule"},
    {"name": "Time Zone", "type": "string", "jsonPath": ".spec.timeZone", "priority": 1},
    {"name": "Suspend", "type": "boolean", "jsonPath": ".spec.suspend"},
    {"name": "Concurrency", "type": "string", "jsonPath": ".spec.concurrencyPolicy", "priority": 1},
    {"name": "Last Schedule", "type": "date", "jsonPath": ".status.lastScheduleTime"},
    {"name": "Last Success", "type": "date", "jsonPath": ".status.lastSuccessfulTime", "priority": 1},
    AGE,
])

class NoAliasDumper(yaml.SafeDumper):
    """Writes shared sub-schemas out in full: anchors and aliases are legal YAML but not every
    consumer (or reader) handles them."""

    def ignore_aliases(self, data):
        return True


HEADER = "# Generated by deploy/crds/generate.py; edit that file and re-run it.\n"

# The Helm chart ships the same files in its crds/ (Helm installs that folder before the
# templates); tests/helm keeps the two copies byte-identical.
CHART_CRDS = HERE.parents[1] / "charts" / "omjob-operator" / "crds"

for name, doc in (("omjob.yaml", OMJOB), ("cronomjob.yaml", CRON)):
    text = HEADER + yaml.dump(doc, Dumper=NoAliasDumper, sort_keys=False, width=110)
    for directory in (HERE, CHART_CRDS):
        directory.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text)
