"""CronOMJob CRD: defaults (including nested ones inside omJobSpec), pruning, required fields."""
from api import OMJOB_GROUP, expect_status


def cronomjobs(ns, name=""):
    return f"/apis/{OMJOB_GROUP}/namespaces/{ns}/cronomjobs" + (f"/{name}" if name else "")


def cron(name, spec_extra=None):
    spec = {"schedule": "*/5 * * * *",
            "omJobSpec": {"mainPodSpec": {"image": "openmetadata/ingestion:1.12.0",
                                          "serviceAccountName": "openmetadata-ingestion",
                                          "command": ["python", "main.py"]}}}
    spec.update(spec_extra or {})
    return {"apiVersion": OMJOB_GROUP, "kind": "CronOMJob", "metadata": {"name": name}, "spec": spec}


def test_defaults_at_every_level(api, ns):
    spec = api.create(cronomjobs(ns), cron("c"))["spec"]
    assert spec["concurrencyPolicy"] == "Allow"
    assert spec["successfulJobsHistoryLimit"] == 3
    assert spec["failedJobsHistoryLimit"] == 3
    assert spec["omJobSpec"]["ttlSecondsAfterFinished"] == 86400


def test_given_values_are_not_overridden_by_defaults(api, ns):
    body = cron("c", {"concurrencyPolicy": "Forbid", "successfulJobsHistoryLimit": 0,
                      "timeZone": "Europe/Berlin", "suspend": True})
    spec = api.create(cronomjobs(ns), body)["spec"]
    assert spec["concurrencyPolicy"] == "Forbid"
    assert spec["successfulJobsHistoryLimit"] == 0
    assert spec["timeZone"] == "Europe/Berlin" and spec["suspend"] is True


def test_unknown_fields_are_pruned_inside_the_nested_omjob_spec(api, ns):
    body = cron("c", {"nonsense": 1})
    body["spec"]["omJobSpec"]["mainPodSpec"]["extra"] = "x"
    spec = api.create(cronomjobs(ns), body)["spec"]
    assert "nonsense" not in spec
    assert "extra" not in spec["omJobSpec"]["mainPodSpec"]


def test_missing_schedule_and_omjob_spec_are_422(api, ns):
    body = cron("c")
    del body["spec"]["schedule"]
    del body["spec"]["omJobSpec"]
    status = expect_status(api.post(cronomjobs(ns), body), 422, "Invalid")
    assert sorted((c["reason"], c["field"]) for c in status["details"]["causes"]) == [
        ("FieldValueRequired", "spec.omJobSpec"), ("FieldValueRequired", "spec.schedule")]


def test_bad_concurrency_policy_is_422(api, ns):
    status = expect_status(api.post(cronomjobs(ns), cron("c", {"concurrencyPolicy": "Sometimes"})),
                           422, "Invalid")
    assert [(c["reason"], c["field"]) for c in status["details"]["causes"]] == [
        ("FieldValueNotSupported", "spec.concurrencyPolicy")]


def test_status_fields_written_by_the_operator_are_kept(api, ns):
    api.create(cronomjobs(ns), cron("c"))
    status = {"lastScheduleTime": "2026-01-01T00:05:00Z", "lastSuccessfulTime": "2026-01-01T00:06:00Z",
              "lastOMJobName": "c-1767225900",
              "active": [{"apiVersion": OMJOB_GROUP, "kind": "OMJob", "name": "c-1767225900",
                          "namespace": ns, "uid": "6a1b1c1d-0000-4000-8000-000000000001"}]}
    r = api.patch(cronomjobs(ns, "c") + "/status", {"status": status})
    expect_status(r, 200)
    got = r.json()["status"]
    assert {k: got.get(k) for k in status} == status
