"""Create, get, list, update, patch and delete for every kind the operator touches."""
import re

import pytest

import objects
from api import (core_events, describe, events_v1, expect_status, leases, namespaces, omjobs,
                 pods)

KINDS = {
    "pod": (pods, lambda name, ns: objects.pod(name), "PodList"),
    "omjob": (omjobs, lambda name, ns: objects.omjob(name), "OMJobList"),
    "lease": (leases, lambda name, ns: objects.lease(name), "LeaseList"),
    "core-event": (core_events, objects.core_event, "EventList"),
    "events-v1-event": (events_v1, objects.event_v1, "EventList"),
}


@pytest.fixture(params=sorted(KINDS))
def kind(request):
    return KINDS[request.param]


def test_create_sets_server_fields(api, ns, kind):
    path, build, _ = kind
    r = api.post(path(ns), build("a", ns))
    expect_status(r, 201)
    meta = r.json()["metadata"]
    assert meta["namespace"] == ns and meta["name"] == "a"
    assert re.fullmatch(r"[0-9a-f-]{36}", meta["uid"]), meta
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["creationTimestamp"]), meta
    assert int(meta["resourceVersion"]) > 0


def test_get_returns_what_create_returned(api, ns, kind):
    path, build, _ = kind
    created = api.create(path(ns), build("a", ns))
    r = api.get(path(ns, "a"))
    expect_status(r, 200)
    assert r.json() == created


def test_list_has_kind_items_and_resource_version(api, ns, kind):
    path, build, list_kind = kind
    api.create(path(ns), build("a", ns))
    api.create(path(ns), build("b", ns))
    r = api.get(path(ns))
    expect_status(r, 200)
    body = r.json()
    assert body["kind"] == list_kind
    assert sorted(i["metadata"]["name"] for i in body["items"]) == ["a", "b"]
    assert int(body["metadata"]["resourceVersion"]) > 0


def test_create_existing_name_is_409_already_exists(api, ns, kind):
    path, build, _ = kind
    api.create(path(ns), build("a", ns))
    status = expect_status(api.post(path(ns), build("a", ns)), 409, "AlreadyExists")
    assert status["details"]["name"] == "a"


def test_get_missing_is_404_not_found(api, ns, kind):
    path, _, _ = kind
    status = expect_status(api.get(path(ns, "missing")), 404, "NotFound")
    assert status["details"]["name"] == "missing"


def test_update_with_current_version_bumps_resource_version(api, ns, kind):
    path, build, _ = kind
    created = api.create(path(ns), build("a", ns))
    created["metadata"]["labels"] = {"changed": "yes"}
    r = api.put(path(ns, "a"), created)
    expect_status(r, 200)
    updated = r.json()
    assert updated["metadata"]["labels"] == {"changed": "yes"}
    assert int(updated["metadata"]["resourceVersion"]) > int(created["metadata"]["resourceVersion"])
    assert updated["metadata"]["uid"] == created["metadata"]["uid"]


def test_update_with_stale_version_is_409_conflict(api, ns, kind):
    path, build, _ = kind
    created = api.create(path(ns), build("a", ns))
    fresh = dict(created, metadata=dict(created["metadata"], labels={"x": "1"}))
    api.put(path(ns, "a"), fresh)
    stale = dict(created, metadata=dict(created["metadata"], labels={"x": "2"}))
    status = expect_status(api.put(path(ns, "a"), stale), 409, "Conflict")
    assert "the object has been modified" in status["message"]


def test_merge_patch_changes_labels(api, ns, kind):
    path, build, _ = kind
    api.create(path(ns), build("a", ns))
    r = api.patch(path(ns, "a"), {"metadata": {"labels": {"p": "1"}}})
    expect_status(r, 200)
    assert r.json()["metadata"]["labels"] == {"p": "1"}


def test_json_patch_adds_annotation(api, ns, kind):
    path, build, _ = kind
    api.create(path(ns), build("a", ns))
    r = api.patch(path(ns, "a"), [{"op": "add", "path": "/metadata/annotations", "value": {"k": "v"}}],
                  kind="json")
    expect_status(r, 200)
    assert r.json()["metadata"]["annotations"] == {"k": "v"}


def test_json_patch_failed_test_op_is_422(api, ns, kind):
    path, build, _ = kind
    api.create(path(ns), build("a", ns))
    r = api.patch(path(ns, "a"), [{"op": "test", "path": "/metadata/name", "value": "other"}],
                  kind="json")
    expect_status(r, 422, "Invalid")


def test_patch_with_stale_resource_version_is_409(api, ns, kind):
    path, build, _ = kind
    created = api.create(path(ns), build("a", ns))
    api.patch(path(ns, "a"), {"metadata": {"labels": {"p": "1"}}})
    r = api.patch(path(ns, "a"), {"metadata": {"resourceVersion": created["metadata"]["resourceVersion"],
                                               "labels": {"p": "2"}}})
    expect_status(r, 409, "Conflict")


def test_delete_then_get_is_404(api, ns, kind):
    path, build, _ = kind
    api.create(path(ns), build("a", ns))
    r = api.delete(path(ns, "a"))
    assert r.status_code == 200, describe(r)
    expect_status(api.get(path(ns, "a")), 404, "NotFound")
    expect_status(api.delete(path(ns, "a")), 404, "NotFound")


def test_generate_name_appends_five_characters(api, ns, kind):
    path, build, _ = kind
    body = build("x", ns)
    del body["metadata"]["name"]
    body["metadata"]["generateName"] = "run-"
    name = api.create(path(ns), body)["metadata"]["name"]
    assert re.fullmatch(r"run-[a-z0-9]{5}", name), name


def test_invalid_name_is_422_with_cause(api, ns, kind):
    path, build, _ = kind
    if path is core_events:
        # Recorded from v1.20.2: core/v1 Event names are only checked as path segments.
        expect_status(api.post(path(ns), build("Not_Valid", ns)), 201)
        return
    status = expect_status(api.post(path(ns), build("Not_Valid", ns)), 422, "Invalid")
    fields = [c.get("field") for c in status["details"]["causes"]]
    assert "metadata.name" in fields, status


def test_create_in_missing_namespace_is_404(api, kind):
    path, build, _ = kind
    status = expect_status(api.post(path("no-such-ns-x"), build("a", "no-such-ns-x")), 404, "NotFound")
    assert status["details"] == {"name": "no-such-ns-x", "kind": "namespaces"}


def test_namespace_create_get_list_delete(api):
    name = "diff-ns-crud"
    api.delete(namespaces(name))
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
    created = api.create(namespaces(), body)
    assert created["status"] == {"phase": "Active"}
    assert created["spec"] == {"finalizers": ["kubernetes"]}
    listed = api.get(namespaces()).json()
    assert listed["kind"] == "NamespaceList" and name in [i["metadata"]["name"] for i in listed["items"]]
    r = api.delete(namespaces(name))
    expect_status(r, 200)
    deleting = r.json()
    assert deleting["status"]["phase"] == "Terminating"
    assert deleting["metadata"].get("deletionTimestamp")
