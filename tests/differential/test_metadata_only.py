"""Metadata-only lists and watches (meta.k8s.io/v1 PartialObjectMetadata), as an informer that
reads only labels, owners, finalizers and timestamps asks for them."""
import objects
from api import expect_status, omjobs, pods

LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
OBJECT = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"


def metadata_watch(api, path, params, max_events, timeout_seconds=5, accept=OBJECT):
    """api.watch with the metadata-only Accept header."""
    return api.watch(path, params, max_events, timeout_seconds, headers={"Accept": accept})


def without_managed_fields(meta):
    return {k: v for k, v in meta.items() if k != "managedFields"}


def test_list_answers_partial_object_metadata_with_the_whole_metadata(api, ns):
    full = api.create(pods(ns), objects.pod("p", labels={"app": "x"}, finalizers=["example.com/f"]))
    api.create(pods(ns), objects.pod("q", labels={"app": "y"}))
    r = api.get(pods(ns), params={"labelSelector": "app=x", "limit": "10"}, headers={"Accept": LIST})
    expect_status(r, 200)
    body = r.json()
    assert body["kind"] == "PartialObjectMetadataList"
    assert body["apiVersion"] == "meta.k8s.io/v1"
    assert int(body["metadata"]["resourceVersion"]) >= int(full["metadata"]["resourceVersion"])
    assert len(body["items"]) == 1
    item = body["items"][0]
    assert set(item) == {"kind", "apiVersion", "metadata"}
    assert item["kind"] == "PartialObjectMetadata" and item["apiVersion"] == "meta.k8s.io/v1"
    assert without_managed_fields(item["metadata"]) == without_managed_fields(full["metadata"])


def test_list_of_a_custom_resource_and_paging(api, ns):
    for name in ["a", "b", "c"]:
        api.create(omjobs(ns), objects.omjob(name, finalizers=["example.com/f"]))
    r = api.get(omjobs(ns), params={"limit": "2"}, headers={"Accept": LIST})
    expect_status(r, 200)
    first = r.json()
    assert first["kind"] == "PartialObjectMetadataList"
    assert [i["metadata"]["name"] for i in first["items"]] == ["a", "b"]
    assert all(set(i) == {"kind", "apiVersion", "metadata"} for i in first["items"])
    assert first["items"][0]["metadata"]["finalizers"] == ["example.com/f"]
    token = first["metadata"]["continue"]
    r = api.get(omjobs(ns), params={"limit": "2", "continue": token}, headers={"Accept": LIST})
    expect_status(r, 200)
    assert [i["metadata"]["name"] for i in r.json()["items"]] == ["c"]
    for name in ["a", "b", "c"]:
        api.patch(omjobs(ns, name), {"metadata": {"finalizers": None}})


def test_one_object_as_partial_object_metadata(api, ns):
    full = api.create(pods(ns), objects.pod("p"))
    r = api.get(pods(ns, "p"), headers={"Accept": OBJECT})
    expect_status(r, 200)
    got = r.json()
    assert got["kind"] == "PartialObjectMetadata" and got["apiVersion"] == "meta.k8s.io/v1"
    assert got["metadata"]["uid"] == full["metadata"]["uid"]
    assert "spec" not in got and "status" not in got


def test_a_list_asked_for_as_one_object_and_the_reverse_are_406(api, ns):
    api.create(pods(ns), objects.pod("p"))
    status = expect_status(api.get(pods(ns), headers={"Accept": OBJECT}), 406, "NotAcceptable")
    assert status["message"] == ("you requested PartialObjectMetadata, but the requested object "
                                 "is a list (*core.PodList)")
    status = expect_status(api.get(pods(ns, "p"), headers={"Accept": LIST}), 406, "NotAcceptable")
    assert status["message"] == ("you requested PartialObjectMetadataList, but the requested "
                                 "object is not a list (*core.Pod)")


def test_watch_sends_added_modified_deleted_as_partial_object_metadata(api, ns):
    start = api.get(pods(ns)).json()["metadata"]["resourceVersion"]
    created = api.create(pods(ns), objects.pod("p", labels={"app": "x"}))
    api.patch(pods(ns, "p") + "/status", {"status": {"phase": "Running"}})
    api.patch(pods(ns, "p"), {"metadata": {"labels": {"app": "y"}}})
    r = api.delete(pods(ns, "p"))
    expect_status(r, 200)
    events = metadata_watch(api, pods(ns), {"resourceVersion": start}, max_events=5)
    assert [e["type"] for e in events] == ["ADDED", "MODIFIED", "MODIFIED", "MODIFIED", "DELETED"]
    for e in events:
        assert set(e["object"]) == {"kind", "apiVersion", "metadata"}, e
        assert e["object"]["kind"] == "PartialObjectMetadata"
        assert e["object"]["apiVersion"] == "meta.k8s.io/v1"
        assert e["object"]["metadata"]["uid"] == created["metadata"]["uid"]
    versions = [int(e["object"]["metadata"]["resourceVersion"]) for e in events]
    assert versions == sorted(versions) and len(set(versions)) == 5
    # A status write changes only the version in the metadata, and is still an event.
    assert events[1]["object"]["metadata"]["labels"] == {"app": "x"}
    assert events[2]["object"]["metadata"]["labels"] == {"app": "y"}
    assert events[3]["object"]["metadata"]["deletionTimestamp"]


def test_a_watch_asked_for_as_a_list_sends_no_event(api, ns):
    """Recorded from v1.20.2: 200, then nothing (each object fails to become a list) until the
    timeout: a metadata-only watch must ask for PartialObjectMetadata."""
    start = api.get(pods(ns)).json()["metadata"]["resourceVersion"]
    api.create(pods(ns), objects.pod("p"))
    assert metadata_watch(api, pods(ns), {"resourceVersion": start}, max_events=1, timeout_seconds=1,
                          accept=LIST) == []
    assert len(metadata_watch(api, pods(ns), {"resourceVersion": start}, max_events=1)) == 1


def test_watch_with_a_label_selector_sees_objects_leave_as_deleted(api, ns):
    start = api.get(pods(ns)).json()["metadata"]["resourceVersion"]
    api.create(pods(ns), objects.pod("p", labels={"app": "x", "type": "main"}))
    api.create(pods(ns), objects.pod("e", labels={"app": "x", "type": "exit"}))
    api.patch(pods(ns, "p"), {"metadata": {"labels": {"app": "z"}}})
    events = metadata_watch(api, pods(ns), {"resourceVersion": start, "labelSelector": "app=x,type!=exit"},
                            max_events=2)
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [("ADDED", "p"), ("DELETED", "p")]
    assert events[1]["object"]["kind"] == "PartialObjectMetadata"
    assert events[1]["object"]["metadata"]["labels"] == {"app": "x", "type": "main"}


def test_bookmark_of_a_metadata_watch(api, ns):
    """Bookmarks are not guaranteed in a short window on v1.20: their shape is checked when present."""
    start = api.get(pods(ns)).json()["metadata"]["resourceVersion"]
    api.create(pods(ns), objects.pod("p"))
    events = metadata_watch(api, pods(ns), {"resourceVersion": start, "allowWatchBookmarks": "true"},
                            max_events=5, timeout_seconds=2)
    assert events[0]["type"] == "ADDED"
    for e in events[1:]:
        assert e["type"] == "BOOKMARK"
        assert e["object"]["kind"] == "PartialObjectMetadata"
        assert set(e["object"]["metadata"]) <= {"resourceVersion", "creationTimestamp"}


def test_too_old_resource_version_is_a_410_status_event(api, ns):
    """The ERROR event keeps its Status: it is not turned into PartialObjectMetadata."""
    for i in range(60):
        api.create(omjobs(ns), objects.omjob(f"j{i}"))
    events = metadata_watch(api, omjobs(ns), {"resourceVersion": "1"}, max_events=2)
    assert len(events) == 1, events
    assert events[0]["type"] == "ERROR"
    status = events[0]["object"]
    assert status["kind"] == "Status" and status["apiVersion"] == "v1"
    assert status["code"] == 410 and status["reason"] == "Expired"
