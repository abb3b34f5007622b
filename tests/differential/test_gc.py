"""Owner-reference garbage collection (background, foreground, orphan) and namespace deletion.

On the real server this is kube-controller-manager's work, so it is asynchronous: each case
waits with a generous deadline (never a fixed sleep) for the state it asserts.
"""
import objects
from api import eventually, expect_status, namespaces, omjobs, pods

FINALIZER = "example.com/hold"


def gone(api, path):
    return lambda: api.get(path).status_code == 404


def make_family(api, ns, block=None, dependent_finalizers=None):
    owner = api.create(omjobs(ns), objects.omjob("owner"))
    ref = objects.owner_ref(owner, block=block, controller=True)
    api.create(pods(ns), objects.pod("child", owners=[ref], finalizers=dependent_finalizers))
    return owner


def test_background_deletion_removes_dependents(api, ns):
    make_family(api, ns)
    r = api.delete(omjobs(ns, "owner"), body={"kind": "DeleteOptions", "apiVersion": "v1",
                                              "propagationPolicy": "Background"})
    expect_status(r, 200)
    expect_status(api.get(omjobs(ns, "owner")), 404, "NotFound")
    eventually(gone(api, pods(ns, "child")), what="dependent pod collected")


def test_default_policy_for_custom_resources_is_background(api, ns):
    make_family(api, ns)
    expect_status(api.delete(omjobs(ns, "owner")), 200)
    expect_status(api.get(omjobs(ns, "owner")), 404, "NotFound")
    eventually(gone(api, pods(ns, "child")), what="dependent pod collected")


def test_dependent_of_an_owner_that_never_existed_is_collected(api, ns):
    ghost = {"apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob", "name": "ghost",
             "uid": "11111111-2222-3333-4444-555555555555"}
    api.create(pods(ns), objects.pod("orphan", owners=[ghost]))
    eventually(gone(api, pods(ns, "orphan")), what="dependent of a missing owner collected")


def test_foreground_deletion_waits_for_blocking_dependents(api, ns):
    make_family(api, ns, block=True, dependent_finalizers=[FINALIZER])
    r = api.delete(omjobs(ns, "owner"), body={"kind": "DeleteOptions", "apiVersion": "v1",
                                              "propagationPolicy": "Foreground"})
    expect_status(r, 200)
    meta = r.json()["metadata"]
    assert meta["finalizers"] == ["foregroundDeletion"]
    assert meta["deletionTimestamp"]
    # The controller deletes the dependent, whose own finalizer holds it, which holds the owner.
    eventually(lambda: api.get(pods(ns, "child")).json()["metadata"].get("deletionTimestamp"),
               what="dependent marked for deletion")
    assert api.get(omjobs(ns, "owner")).status_code == 200
    api.patch(pods(ns, "child"), {"metadata": {"finalizers": None}})
    eventually(gone(api, pods(ns, "child")), what="dependent gone")
    eventually(gone(api, omjobs(ns, "owner")), what="owner gone after its dependents")


def test_orphan_deletion_keeps_dependents_and_removes_their_owner_reference(api, ns):
    make_family(api, ns)
    r = api.delete(omjobs(ns, "owner"), body={"kind": "DeleteOptions", "apiVersion": "v1",
                                              "propagationPolicy": "Orphan"})
    expect_status(r, 200)
    assert r.json()["metadata"]["finalizers"] == ["orphan"]
    eventually(gone(api, omjobs(ns, "owner")), what="owner gone")
    child = api.get(pods(ns, "child")).json()
    assert "ownerReferences" not in child["metadata"]


def test_dependent_with_two_owners_survives_one_of_them(api, ns):
    first = api.create(omjobs(ns), objects.omjob("first"))
    second = api.create(omjobs(ns), objects.omjob("second"))
    api.create(pods(ns), objects.pod("child", owners=[objects.owner_ref(first),
                                                      objects.owner_ref(second)]))
    api.delete(omjobs(ns, "first"))

    def only_second_left():
        refs = api.get(pods(ns, "child")).json()["metadata"].get("ownerReferences", [])
        return [r["name"] for r in refs] == ["second"]
    eventually(only_second_left, what="the deleted owner's reference removed")
    api.delete(omjobs(ns, "second"))
    eventually(gone(api, pods(ns, "child")), what="child collected with its last owner")


def test_bad_propagation_policy_is_422(api, ns):
    api.create(omjobs(ns), objects.omjob("j"))
    r = api.delete(omjobs(ns, "j"), body={"kind": "DeleteOptions", "apiVersion": "v1",
                                          "propagationPolicy": "Sideways"})
    status = expect_status(r, 422, "Invalid")
    assert status["details"]["causes"][0]["field"] == "propagationPolicy"


def test_orphan_dependents_and_propagation_policy_together_is_422(api, ns):
    api.create(omjobs(ns), objects.omjob("j"))
    r = api.delete(omjobs(ns, "j"), body={"kind": "DeleteOptions", "apiVersion": "v1",
                                          "orphanDependents": True,
                                          "propagationPolicy": "Background"})
    expect_status(r, 422, "Invalid")


def test_namespace_deletion_removes_everything_then_the_namespace(api):
    name = "diff-ns-gone"
    api.delete(namespaces(name))
    eventually(gone(api, namespaces(name)), what="leftover namespace gone")
    api.create(namespaces(), {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    api.create(omjobs(name), objects.omjob("j"))
    api.create(pods(name), objects.pod("p"))
    expect_status(api.delete(namespaces(name)), 200)
    # While terminating, nothing new may be created in it.
    r = api.post(pods(name), objects.pod("late"))
    if r.status_code != 404:  # the namespace may already be gone
        status = expect_status(r, 403, "Forbidden")
        assert "because it is being terminated" in status["message"]
    eventually(gone(api, namespaces(name)), what="namespace deleted")
    expect_status(api.get(omjobs(name, "j")), 404, "NotFound")
