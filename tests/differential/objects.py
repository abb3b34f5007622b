"""Builders of the request bodies the suite sends: real-shaped, minimal, one per kind."""
import copy
import json
import pathlib

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def pod(name, labels=None, node=None, finalizers=None, owners=None, containers=None):
    meta = {"name": name, "labels": labels or {}}
    if finalizers:
        meta["finalizers"] = finalizers
    if owners:
        meta["ownerReferences"] = owners
    spec = {"restartPolicy": "Never",
            "containers": containers or [{"name": "main", "image": "busybox:1.36",
                                          "command": ["sh", "-c", "exit 0"]}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def omjob(name, labels=None, finalizers=None, spec_extra=None):
    meta = {"name": name, "labels": labels or {}}
    if finalizers:
        meta["finalizers"] = finalizers
    spec = {"mainPodSpec": {"image": "openmetadata/ingestion:1.12.0",
                            "serviceAccountName": "openmetadata-ingestion",
                            "command": ["python", "main.py"]}}
    spec.update(spec_extra or {})
    return {"apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob", "metadata": meta,
            "spec": spec}


def openmetadata_omjob():
    """An OMJob shaped exactly as OpenMetadata's server builds one (see the fixture's _source)."""
    data = json.loads((FIXTURES / "omjob-openmetadata.json").read_text())
    data.pop("_source", None)
    return copy.deepcopy(data)


def lease(name, holder="a", duration=15):
    return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": name},
            "spec": {"holderIdentity": holder, "leaseDurationSeconds": duration}}


def core_event(name, ns, involved="p"):
    return {"apiVersion": "v1", "kind": "Event", "metadata": {"name": name},
            "involvedObject": {"kind": "Pod", "namespace": ns, "name": involved, "apiVersion": "v1"},
            "reason": "Started", "message": "started", "type": "Normal", "count": 1,
            "source": {"component": "differential"},
            "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:00:00Z"}


def event_v1(name, ns, involved="p"):
    return {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": name},
            "eventTime": "2026-01-01T00:00:00.000000Z", "reportingController": "omjob-operator/x",
            "reportingInstance": "omjob-operator-0", "action": "Started", "reason": "Started",
            "type": "Normal", "note": "started",
            "regarding": {"kind": "Pod", "namespace": ns, "name": involved, "apiVersion": "v1"}}


def owner_ref(obj, block=None, controller=None):
    ref = {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": obj["metadata"]["name"],
           "uid": obj["metadata"]["uid"]}
    if block is not None:
        ref["blockOwnerDeletion"] = block
    if controller is not None:
        ref["controller"] = controller
    return ref
