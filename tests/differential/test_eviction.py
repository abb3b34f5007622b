"""The Eviction API, including where kubesim is deliberately newer than v1.20.

Cases marked newer_than_v1_20 do not compare: they assert v1.20's behaviour on the real
server and the newer behaviour (which the operator must handle on current clusters) on
kubesim, and say so.
"""
import pytest

import objects
from api import expect_status, pods

newer_than_v1_20 = pytest.mark.newer_than_v1_20


def evict(api, ns, name, version):
    body = {"apiVersion": f"policy/{version}", "kind": "Eviction",
            "metadata": {"name": name, "namespace": ns}}
    return api.post(pods(ns, name) + "/eviction", body)


def test_eviction_of_an_unscheduled_pod_deletes_it(api, ns):
    api.create(pods(ns), objects.pod("p"))
    r = evict(api, ns, "p", "v1beta1")
    expect_status(r, 201)
    assert r.json()["kind"] == "Status" and r.json()["status"] == "Success"
    expect_status(api.get(pods(ns, "p")), 404, "NotFound")


def test_eviction_of_a_missing_pod_is_404(api, ns):
    expect_status(evict(api, ns, "nope", "v1beta1"), 404, "NotFound")


def test_eviction_of_a_scheduled_pod_starts_graceful_deletion(api, ns):
    api.create(pods(ns), objects.pod("p", node="node-1"))
    expect_status(evict(api, ns, "p", "v1beta1"), 201)
    meta = api.get(pods(ns, "p")).json()["metadata"]
    assert meta["deletionGracePeriodSeconds"] == 30 and meta["deletionTimestamp"]
    api.delete(pods(ns, "p"), params={"gracePeriodSeconds": "0"})


@newer_than_v1_20
def test_eviction_disruption_target_condition(api, ns):
    """DisruptionTarget (reason EvictionByEvictionAPI) is written by v1.26+ servers; v1.20 has
    no such condition. kubesim deliberately behaves like a current server here."""
    api.create(pods(ns), objects.pod("p", node="node-1"))
    expect_status(evict(api, ns, "p", "v1beta1"), 201)
    conditions = {c["type"]: c for c in api.get(pods(ns, "p")).json()["status"].get("conditions", [])}
    if api.kind == "real":
        assert "DisruptionTarget" not in conditions
    else:
        assert conditions["DisruptionTarget"]["status"] == "True"
        assert conditions["DisruptionTarget"]["reason"] == "EvictionByEvictionAPI"
    api.delete(pods(ns, "p"), params={"gracePeriodSeconds": "0"})


@newer_than_v1_20
def test_policy_v1_eviction(api, ns):
    """policy/v1 Eviction is v1.22+; v1.20 accepts only policy/v1beta1 in the body."""
    api.create(pods(ns), objects.pod("p"))
    r = evict(api, ns, "p", "v1")
    if api.kind == "real":
        assert r.status_code == 400, r.text
    else:
        expect_status(r, 201)
