"""Watch: event sequences from a resourceVersion, selectors, bookmarks, and 410 Expired."""
import objects
from api import expect_status, leases, omjobs, pods


def summary(events):
    return [(e["type"], e["object"]["metadata"]["name"]) for e in events]


def test_watch_from_a_version_replays_every_change_in_order(api, ns):
    start = api.get(omjobs(ns)).json()["metadata"]["resourceVersion"]
    api.create(omjobs(ns), objects.omjob("a"))
    api.patch(omjobs(ns, "a"), {"metadata": {"labels": {"x": "1"}}})
    api.patch(omjobs(ns, "a") + "/status", {"status": {"phase": "Running"}})
    api.create(omjobs(ns), objects.omjob("b"))
    api.delete(omjobs(ns, "a"))
    events = api.watch(omjobs(ns), {"resourceVersion": start}, max_events=5)
    assert summary(events) == [("ADDED", "a"), ("MODIFIED", "a"), ("MODIFIED", "a"), ("ADDED", "b"),
                               ("DELETED", "a")]
    versions = [int(e["object"]["metadata"]["resourceVersion"]) for e in events]
    assert versions == sorted(versions) and len(set(versions)) == 5
    assert events[2]["object"]["status"] == {"phase": "Running"}


def test_resuming_from_the_middle_neither_misses_nor_repeats(api, ns):
    start = api.get(pods(ns)).json()["metadata"]["resourceVersion"]
    for i in range(4):
        api.create(pods(ns), objects.pod(f"p{i}"))
    first = api.watch(pods(ns), {"resourceVersion": start}, max_events=2)
    resume = first[-1]["object"]["metadata"]["resourceVersion"]
    rest = api.watch(pods(ns), {"resourceVersion": resume}, max_events=2)
    assert summary(first + rest) == [("ADDED", f"p{i}") for i in range(4)]


def test_deleting_an_unscheduled_pod_is_modified_then_deleted(api, ns):
    """Recorded from v1.20.2: a pod with no node is deleted 'gracefully' with grace 0, so a
    MODIFIED event with deletionTimestamp comes first (the DELETE response is that object),
    then DELETED with a later resourceVersion: the next one, unless a write elsewhere in the
    cluster (the controller manager's Lease renewals) got a version in between."""
    start = api.get(pods(ns)).json()["metadata"]["resourceVersion"]
    created = api.create(pods(ns), objects.pod("p"))
    r = api.delete(pods(ns, "p"))
    expect_status(r, 200)
    answered = r.json()
    assert answered["metadata"]["deletionGracePeriodSeconds"] == 0
    assert answered["metadata"]["deletionTimestamp"]
    events = api.watch(pods(ns), {"resourceVersion": start}, max_events=3)
    assert summary(events) == [("ADDED", "p"), ("MODIFIED", "p"), ("DELETED", "p")]
    modified, deleted = events[1]["object"], events[2]["object"]
    assert modified["metadata"]["resourceVersion"] == answered["metadata"]["resourceVersion"]
    assert deleted["metadata"]["uid"] == created["metadata"]["uid"]
    assert int(deleted["metadata"]["resourceVersion"]) > int(modified["metadata"]["resourceVersion"])
    assert deleted["metadata"]["deletionTimestamp"] == modified["metadata"]["deletionTimestamp"]


def test_deleted_event_of_a_custom_resource_carries_the_final_object(api, ns):
    start = api.get(omjobs(ns)).json()["metadata"]["resourceVersion"]
    created = api.create(omjobs(ns), objects.omjob("j"))
    r = api.delete(omjobs(ns, "j"))
    expect_status(r, 200)
    events = api.watch(omjobs(ns), {"resourceVersion": start}, max_events=2)
    assert summary(events) == [("ADDED", "j"), ("DELETED", "j")]
    final = events[1]["object"]
    assert final["metadata"]["uid"] == created["metadata"]["uid"]
    assert int(final["metadata"]["resourceVersion"]) > int(created["metadata"]["resourceVersion"])
    assert "deletionTimestamp" not in final["metadata"]


def test_watch_with_label_selector_sees_objects_leave_as_deleted(api, ns):
    start = api.get(pods(ns)).json()["metadata"]["resourceVersion"]
    api.create(pods(ns), objects.pod("p", labels={"app": "x"}))
    api.patch(pods(ns, "p"), {"metadata": {"labels": {"app": "y"}}})
    api.patch(pods(ns, "p"), {"metadata": {"labels": {"app": "x"}}})
    events = api.watch(pods(ns), {"resourceVersion": start, "labelSelector": "app=x"}, max_events=3)
    assert summary(events) == [("ADDED", "p"), ("DELETED", "p"), ("ADDED", "p")]


def test_watch_with_field_selector_on_phase(api, ns):
    start = api.get(pods(ns)).json()["metadata"]["resourceVersion"]
    api.create(pods(ns), objects.pod("p"))
    api.patch(pods(ns, "p") + "/status", {"status": {"phase": "Running"}})
    api.patch(pods(ns, "p") + "/status", {"status": {"phase": "Succeeded"}})
    events = api.watch(pods(ns), {"resourceVersion": start, "fieldSelector": "status.phase=Running"},
                       max_events=2)
    assert summary(events) == [("ADDED", "p"), ("DELETED", "p")]
    # Recorded from v1.20.2: an object leaving the selector is sent as DELETED carrying its
    # previous content (still Running) stamped with the new resourceVersion.
    leaving = events[1]["object"]
    assert leaving["status"]["phase"] == "Running"
    now = api.get(pods(ns, "p")).json()
    assert leaving["metadata"]["resourceVersion"] == now["metadata"]["resourceVersion"]


def test_watch_without_version_starts_with_the_current_state(api, ns):
    api.create(leases(ns), objects.lease("l1"))
    api.create(leases(ns), objects.lease("l2"))
    events = api.watch(leases(ns), {}, max_events=2)
    assert sorted(summary(events)) == [("ADDED", "l1"), ("ADDED", "l2")]


def test_watch_of_one_object_by_name(api, ns):
    start = api.get(pods(ns)).json()["metadata"]["resourceVersion"]
    api.create(pods(ns), objects.pod("other"))
    api.create(pods(ns), objects.pod("p"))
    events = api.watch(pods(ns), {"resourceVersion": start, "fieldSelector": "metadata.name=p"},
                       max_events=1)
    assert summary(events) == [("ADDED", "p")]


def test_timeout_seconds_ends_a_quiet_watch(api, ns):
    start = api.get(pods(ns)).json()["metadata"]["resourceVersion"]
    events = api.watch(pods(ns), {"resourceVersion": start}, max_events=100, timeout_seconds=1)
    assert events == []


def test_bookmark_carries_only_a_resource_version(api, ns):
    """A BOOKMARK is not guaranteed in a short window (v1.20 sends them about once a minute,
    and only near the end of a watch's timeout), so only its shape is checked when present."""
    start = api.get(pods(ns)).json()["metadata"]["resourceVersion"]
    api.create(pods(ns), objects.pod("p"))
    events = api.watch(pods(ns), {"resourceVersion": start, "allowWatchBookmarks": "true"},
                       max_events=5, timeout_seconds=2)
    assert events[0]["type"] == "ADDED"
    for e in events[1:]:
        assert e["type"] == "BOOKMARK"
        assert set(e["object"]["metadata"]) == {"resourceVersion"}
        assert e["object"]["kind"] == "Pod"


def test_too_old_resource_version_is_410_expired_as_an_error_event(api, ns):
    """The real server answers 200 and one ERROR event holding a 410 Expired Status (the watch
    cache's answer), then ends the stream.

    Why OMJobs: v1.20's watch cache grows with load (up to 100k events), so its window starts
    at the version at which the cache first listed the resource. For built-in resources that
    can be version 1 on a fresh server (their caches start with etcd), but the OMJob cache
    starts when the CRD is established, so version 1 is always before it. kubesim is started
    with a short history (conftest), which the writes below push version 1 out of."""
    for i in range(60):
        api.create(omjobs(ns), objects.omjob(f"j{i}"))
    events = api.watch(omjobs(ns), {"resourceVersion": "1"}, max_events=2)
    assert len(events) == 1, events
    assert events[0]["type"] == "ERROR"
    status = events[0]["object"]
    assert status["kind"] == "Status" and status["apiVersion"] == "v1"
    assert status["code"] == 410 and status["reason"] == "Expired"
    assert status["message"].startswith("too old resource version: 1 (")


def test_list_at_an_exact_old_version_is_answered_from_storage(api, ns):
    """resourceVersionMatch=Exact is v1.19+: an old exact version is still in etcd (no
    compaction happened yet), so the real server returns the objects as they were then."""
    api.create(pods(ns), objects.pod("a"))
    rv = api.get(pods(ns)).json()["metadata"]["resourceVersion"]
    api.create(pods(ns), objects.pod("b"))
    r = api.get(pods(ns), params={"resourceVersion": rv, "resourceVersionMatch": "Exact"})
    expect_status(r, 200)
    assert [i["metadata"]["name"] for i in r.json()["items"]] == ["a"]
