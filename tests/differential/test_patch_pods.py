"""Patch types on pods: strategic merge merges lists by key, JSON merge replaces them."""
import objects
from api import expect_status, omjobs, pods

TWO = [{"name": "main", "image": "busybox:1.36"}, {"name": "side", "image": "busybox:1.36"}]


def test_strategic_merge_patch_merges_containers_by_name(api, ns):
    api.create(pods(ns), objects.pod("p", containers=TWO))
    patch = {"spec": {"containers": [{"name": "side", "image": "busybox:1.37"}]}}
    r = api.patch(pods(ns, "p"), patch, kind="strategic")
    expect_status(r, 200)
    images = {c["name"]: c["image"] for c in r.json()["spec"]["containers"]}
    assert images == {"main": "busybox:1.36", "side": "busybox:1.37"}


def test_json_merge_patch_replaces_the_container_list(api, ns):
    api.create(pods(ns), objects.pod("p", containers=TWO))
    patch = {"spec": {"containers": [{"name": "side", "image": "busybox:1.37"}]}}
    # Replacing the list drops a container: pod spec is immutable there, so this is refused.
    status = expect_status(api.patch(pods(ns, "p"), patch), 422, "Invalid")
    assert status["details"]["kind"] == "Pod"


def test_strategic_merge_patch_merges_conditions_by_type(api, ns):
    api.create(pods(ns), objects.pod("p"))
    first = {"status": {"conditions": [{"type": "PodScheduled", "status": "True"}]}}
    second = {"status": {"conditions": [{"type": "Ready", "status": "False"}]}}
    api.patch(pods(ns, "p") + "/status", first, kind="strategic")
    r = api.patch(pods(ns, "p") + "/status", second, kind="strategic")
    expect_status(r, 200)
    types = sorted(c["type"] for c in r.json()["status"]["conditions"])
    assert types == ["PodScheduled", "Ready"]


def test_strategic_merge_patch_delete_directive_removes_a_label(api, ns):
    api.create(pods(ns), objects.pod("p", labels={"a": "1", "b": "2"}))
    r = api.patch(pods(ns, "p"), {"metadata": {"labels": {"a": None}}}, kind="strategic")
    expect_status(r, 200)
    assert r.json()["metadata"]["labels"] == {"b": "2"}


def test_strategic_merge_patch_on_a_custom_resource_is_415(api, ns):
    api.create(omjobs(ns), objects.omjob("j"))
    r = api.patch(omjobs(ns, "j"), {"metadata": {"labels": {"a": "1"}}}, kind="strategic")
    status = expect_status(r, 415, "UnsupportedMediaType")
    assert status["message"] == ("the body of the request was in an unknown format - accepted media "
                                 "types include: application/json-patch+json, "
                                 "application/merge-patch+json, application/apply-patch+yaml")


def test_pod_spec_image_is_mutable_but_command_is_not(api, ns):
    api.create(pods(ns), objects.pod("p"))
    r = api.patch(pods(ns, "p"), {"spec": {"containers": [{"name": "main", "image": "busybox:2"}]}},
                  kind="strategic")
    expect_status(r, 200)
    r = api.patch(pods(ns, "p"), {"spec": {"containers": [{"name": "main", "command": ["false"]}]}},
                  kind="strategic")
    status = expect_status(r, 422, "Invalid")
    assert any(c.get("field") == "spec" for c in status["details"]["causes"]), status


def test_pod_defaults_are_set_on_create(api, ns):
    """The defaults a real v1.20 server fills in on every pod (and admission's tolerations)."""
    spec = api.create(pods(ns), objects.pod("p"))["spec"]
    assert spec["dnsPolicy"] == "ClusterFirst"
    assert spec["schedulerName"] == "default-scheduler"
    assert spec["terminationGracePeriodSeconds"] == 30
    assert spec["securityContext"] == {}
    assert spec["enableServiceLinks"] is True
    container = spec["containers"][0]
    assert container["terminationMessagePath"] == "/dev/termination-log"
    assert container["terminationMessagePolicy"] == "File"
    assert container["imagePullPolicy"] == "IfNotPresent"  # a tag other than :latest
    assert container["resources"] == {}
    tolerations = {t["key"]: t for t in spec["tolerations"]}
    assert tolerations["node.kubernetes.io/not-ready"]["tolerationSeconds"] == 300
    assert tolerations["node.kubernetes.io/unreachable"]["tolerationSeconds"] == 300


def test_pod_status_defaults_on_create(api, ns):
    status = api.create(pods(ns), objects.pod("p"))["status"]
    assert status["phase"] == "Pending"
    assert status["qosClass"] == "BestEffort"


def test_strategic_merge_patch_adds_to_finalizers_instead_of_replacing(api, ns):
    """metadata.finalizers has patchStrategy merge: a strategic patch listing one finalizer
    adds it (recorded from v1.20.2: patch items first, then the existing ones); a JSON merge
    patch replaces the whole list."""
    api.create(pods(ns), objects.pod("p", finalizers=["example.com/a"]))
    r = api.patch(pods(ns, "p"), {"metadata": {"finalizers": ["example.com/b"]}}, kind="strategic")
    expect_status(r, 200)
    assert r.json()["metadata"]["finalizers"] == ["example.com/b", "example.com/a"]
    r = api.patch(pods(ns, "p"), {"metadata": {"$deleteFromPrimitiveList/finalizers": ["example.com/a"]}},
                  kind="strategic")
    expect_status(r, 200)
    assert r.json()["metadata"]["finalizers"] == ["example.com/b"]
    r = api.patch(pods(ns, "p"), {"metadata": {"finalizers": ["example.com/c"]}})
    assert r.json()["metadata"]["finalizers"] == ["example.com/c"]
    api.patch(pods(ns, "p"), {"metadata": {"finalizers": None}})


def test_strategic_merge_patch_merges_owner_references_by_uid(api, ns):
    first = api.create(omjobs(ns), objects.omjob("first"))
    second = api.create(omjobs(ns), objects.omjob("second"))
    api.create(pods(ns), objects.pod("p", owners=[objects.owner_ref(first)]))
    r = api.patch(pods(ns, "p"), {"metadata": {"ownerReferences": [objects.owner_ref(second)]}},
                  kind="strategic")
    expect_status(r, 200)
    # Recorded from v1.20.2: the patch's items come first.
    assert [o["name"] for o in r.json()["metadata"]["ownerReferences"]] == ["second", "first"]


def test_strategic_merge_patch_merges_env_by_name(api, ns):
    containers = [{"name": "main", "image": "busybox:1.36",
                   "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}]
    api.create(pods(ns), objects.pod("p", containers=containers))
    r = api.patch(pods(ns, "p") + "/status", {"status": {"phase": "Running"}}, kind="strategic")
    expect_status(r, 200)
    env = r.json()["spec"]["containers"][0]["env"]
    assert env == containers[0]["env"]
