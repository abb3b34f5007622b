"""Status subresource rules and metadata.generation, for OMJobs and pods."""
import objects
from api import expect_status, omjobs, pods


def test_omjob_generation_starts_at_one_and_bumps_on_spec_changes_only(api, ns):
    created = api.create(omjobs(ns), objects.omjob("j"))
    assert created["metadata"]["generation"] == 1
    r = api.patch(omjobs(ns, "j"), {"metadata": {"labels": {"a": "1"}}})
    assert r.json()["metadata"]["generation"] == 1
    r = api.patch(omjobs(ns, "j"), {"spec": {"ttlSecondsAfterFinished": 5}})
    assert r.json()["metadata"]["generation"] == 2
    r = api.patch(omjobs(ns, "j") + "/status", {"status": {"phase": "Running"}})
    expect_status(r, 200)
    assert r.json()["metadata"]["generation"] == 2


def test_omjob_main_endpoint_ignores_status(api, ns):
    body = objects.omjob("j")
    body["status"] = {"phase": "Running"}
    created = api.create(omjobs(ns), body)
    assert "status" not in created
    r = api.patch(omjobs(ns, "j"), {"status": {"phase": "Failed"}})
    expect_status(r, 200)
    assert "status" not in r.json()


def test_omjob_status_endpoint_ignores_spec_and_labels(api, ns):
    api.create(omjobs(ns), objects.omjob("j"))
    patch = {"metadata": {"labels": {"via": "status"}}, "spec": {"ttlSecondsAfterFinished": 7},
             "status": {"phase": "Running"}}
    r = api.patch(omjobs(ns, "j") + "/status", patch)
    expect_status(r, 200)
    got = r.json()
    assert got["status"] == {"phase": "Running"}
    assert got["spec"]["ttlSecondsAfterFinished"] == 86400
    assert "labels" not in got["metadata"]


def test_empty_labels_map_is_dropped(api, ns):
    created = api.create(omjobs(ns), objects.omjob("j", labels={}))
    assert "labels" not in created["metadata"]
    created = api.create(pods(ns), objects.pod("p", labels={}))
    assert "labels" not in created["metadata"]


def test_omjob_status_put_with_stale_version_is_409(api, ns):
    created = api.create(omjobs(ns), objects.omjob("j"))
    api.patch(omjobs(ns, "j") + "/status", {"status": {"phase": "Running"}})
    created["status"] = {"phase": "Failed"}
    expect_status(api.put(omjobs(ns, "j") + "/status", created), 409, "Conflict")


def test_pod_status_write_keeps_spec_and_main_endpoint_keeps_status(api, ns):
    api.create(pods(ns), objects.pod("p"))
    status = {"phase": "Running", "podIP": "10.0.0.5", "startTime": "2026-01-01T00:00:00Z"}
    r = api.patch(pods(ns, "p") + "/status",
                  {"spec": {"nodeName": "node-x"}, "status": status}, kind="strategic")
    expect_status(r, 200)
    got = r.json()
    assert got["status"]["phase"] == "Running" and got["status"]["podIP"] == "10.0.0.5"
    assert "nodeName" not in got["spec"]
    r = api.patch(pods(ns, "p"), {"status": {"phase": "Failed"}}, kind="strategic")
    expect_status(r, 200)
    assert r.json()["status"]["phase"] == "Running"


def test_pod_status_terminated_container_round_trips(api, ns):
    api.create(pods(ns), objects.pod("p"))
    terminated = {"exitCode": 137, "reason": "OOMKilled", "startedAt": "2026-01-01T00:00:00Z",
                  "finishedAt": "2026-01-01T00:01:00Z"}
    status = {"phase": "Failed", "containerStatuses": [{
        "name": "main", "ready": False, "restartCount": 0, "image": "busybox:1.36", "imageID": "",
        "state": {"terminated": terminated}}]}
    r = api.patch(pods(ns, "p") + "/status", {"status": status}, kind="strategic")
    expect_status(r, 200)
    cs = r.json()["status"]["containerStatuses"][0]
    assert cs["state"]["terminated"] == terminated


def test_pods_have_no_generation(api, ns):
    created = api.create(pods(ns), objects.pod("p"))
    assert "generation" not in created["metadata"]


def test_lease_spec_update_has_no_generation(api, ns):
    from api import leases
    created = api.create(leases(ns), objects.lease("l"))
    assert "generation" not in created["metadata"]
