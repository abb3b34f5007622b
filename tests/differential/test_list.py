"""List with labelSelector, fieldSelector, limit and continue."""
import pytest

import objects
from api import expect_status, omjobs, pods


def names(r):
    assert r.status_code == 200, r.text
    return sorted(i["metadata"]["name"] for i in r.json()["items"])


@pytest.fixture
def labelled(api, ns):
    for name, labels in [("a", {"app": "x", "tier": "1"}), ("b", {"app": "y"}), ("c", {})]:
        api.create(pods(ns), objects.pod(name, labels=labels))
    return ns


@pytest.mark.parametrize("selector,expected", [
    ("app=x", ["a"]),
    ("app==x", ["a"]),
    ("app!=x", ["b", "c"]),
    ("app in (x,y)", ["a", "b"]),
    ("app notin (x)", ["b", "c"]),
    ("app", ["a", "b"]),
    ("!app", ["c"]),
    ("app=x,tier=1", ["a"]),
    ("app=x,tier=2", []),
])
def test_label_selector(api, labelled, selector, expected):
    assert names(api.get(pods(labelled), params={"labelSelector": selector})) == expected


def test_bad_label_selector_is_400(api, labelled):
    expect_status(api.get(pods(labelled), params={"labelSelector": "app in x"}), 400, "BadRequest")


def test_field_selectors_on_pods(api, ns):
    api.create(pods(ns), objects.pod("a", node="node-1"))
    api.create(pods(ns), objects.pod("b"))
    api.patch(pods(ns, "b") + "/status", {"status": {"phase": "Running"}})
    assert names(api.get(pods(ns), params={"fieldSelector": "metadata.name=a"})) == ["a"]
    assert names(api.get(pods(ns), params={"fieldSelector": f"metadata.namespace={ns}"})) == ["a", "b"]
    assert names(api.get(pods(ns), params={"fieldSelector": "status.phase=Running"})) == ["b"]
    assert names(api.get(pods(ns), params={"fieldSelector": "spec.nodeName=node-1"})) == ["a"]
    assert names(api.get(pods(ns), params={"fieldSelector": "spec.nodeName="})) == ["b"]
    assert names(api.get(pods(ns), params={"fieldSelector": "status.phase!=Running"})) == ["a"]


def test_unsupported_field_selector_is_400(api, ns):
    status = expect_status(api.get(pods(ns), params={"fieldSelector": "spec.image=x"}), 400, "BadRequest")
    assert status["message"] == "field label not supported: spec.image"


def test_custom_resources_support_only_metadata_field_selectors(api, ns):
    api.create(omjobs(ns), objects.omjob("a"))
    api.create(omjobs(ns), objects.omjob("b"))
    assert names(api.get(omjobs(ns), params={"fieldSelector": "metadata.name=b"})) == ["b"]
    r = api.get(omjobs(ns), params={"fieldSelector": "status.phase=Running"})
    status = expect_status(r, 400, "BadRequest")
    assert status["message"] == 'field label not supported: status.phase'


def test_cluster_wide_list_of_pods_filters_by_namespace_field(api, ns):
    api.create(pods(ns), objects.pod("a"))
    r = api.get("/api/v1/pods", params={"fieldSelector": f"metadata.namespace={ns}"})
    assert names(r) == ["a"]


def test_limit_and_continue_pages_through_everything(api, ns):
    for i in range(7):
        api.create(omjobs(ns), objects.omjob(f"j{i}"))
    seen, token, pages = [], None, 0
    while True:
        params = {"limit": "3"}
        if token:
            params["continue"] = token
        r = api.get(omjobs(ns), params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        assert len(body["items"]) <= 3
        seen += [i["metadata"]["name"] for i in body["items"]]
        pages += 1
        token = body["metadata"].get("continue")
        if not token:
            assert "remainingItemCount" not in body["metadata"]
            break
        assert body["metadata"]["remainingItemCount"] == 7 - len(seen)
    assert seen == [f"j{i}" for i in range(7)]
    assert pages == 3


def test_pages_are_a_consistent_snapshot(api, ns):
    for i in range(4):
        api.create(pods(ns), objects.pod(f"p{i}"))
    first = api.get(pods(ns), params={"limit": "2"}).json()
    api.create(pods(ns), objects.pod("p9"))
    api.delete(pods(ns, "p3"))
    second = api.get(pods(ns), params={"limit": "2", "continue": first["metadata"]["continue"]}).json()
    assert [i["metadata"]["name"] for i in second["items"]] == ["p2", "p3"]
    assert second["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]


def test_bad_continue_token_is_400(api, ns):
    r = api.get(pods(ns), params={"limit": "2", "continue": "garbage"})
    expect_status(r, 400, "BadRequest")


def test_list_is_sorted_by_name(api, ns):
    for name in ["m", "b", "z", "a"]:
        api.create(pods(ns), objects.pod(name))
    r = api.get(pods(ns))
    assert [i["metadata"]["name"] for i in r.json()["items"]] == ["a", "b", "m", "z"]
