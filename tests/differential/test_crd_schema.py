"""OMJob CRD: pruning of unknown fields, defaults, validation with 422 causes, round trips."""
import copy

import objects
from api import expect_status, omjobs


def causes(status):
    return sorted((c.get("reason"), c.get("field")) for c in status["details"]["causes"])


def test_unknown_spec_fields_are_pruned(api, ns):
    body = objects.omjob("j", spec_extra={"bogus": True})
    body["spec"]["mainPodSpec"]["unknownField"] = 1
    spec = api.create(omjobs(ns), body)["spec"]
    assert "bogus" not in spec
    assert "unknownField" not in spec["mainPodSpec"]


def test_unknown_status_fields_are_pruned_on_the_status_endpoint(api, ns):
    api.create(omjobs(ns), objects.omjob("j"))
    r = api.patch(omjobs(ns, "j") + "/status",
                  {"status": {"phase": "Running", "notDeclared": "x", "mainPodName": "j-main"}})
    expect_status(r, 200)
    assert r.json()["status"] == {"phase": "Running", "mainPodName": "j-main"}


def test_unknown_top_level_fields_are_pruned(api, ns):
    body = objects.omjob("j")
    body["extra"] = {"a": 1}
    created = api.create(omjobs(ns), body)
    assert "extra" not in created


def test_ttl_default_is_applied(api, ns):
    created = api.create(omjobs(ns), objects.omjob("j"))
    assert created["spec"]["ttlSecondsAfterFinished"] == 86400


def test_default_is_applied_when_reading_an_object_written_with_the_field_removed(api, ns):
    api.create(omjobs(ns), objects.omjob("j"))
    r = api.patch(omjobs(ns, "j"), [{"op": "remove", "path": "/spec/ttlSecondsAfterFinished"}],
                  kind="json")
    expect_status(r, 200)
    assert r.json()["spec"]["ttlSecondsAfterFinished"] == 86400


def test_missing_required_main_pod_spec_is_422_with_cause(api, ns):
    body = objects.omjob("j")
    del body["spec"]["mainPodSpec"]
    status = expect_status(api.post(omjobs(ns), body), 422, "Invalid")
    assert causes(status) == [("FieldValueRequired", "spec.mainPodSpec")]
    assert status["details"] == dict(status["details"], name="j", group="pipelines.openmetadata.org",
                                     kind="OMJob")
    assert status["message"].startswith('OMJob.pipelines.openmetadata.org "j" is invalid: ')


def test_missing_required_fields_inside_main_pod_spec(api, ns):
    body = objects.omjob("j")
    body["spec"]["mainPodSpec"] = {"image": "x"}
    status = expect_status(api.post(omjobs(ns), body), 422, "Invalid")
    assert causes(status) == [("FieldValueRequired", "spec.mainPodSpec.command"),
                              ("FieldValueRequired", "spec.mainPodSpec.serviceAccountName")]


def test_wrong_type_is_422_with_type_cause(api, ns):
    body = objects.omjob("j")
    body["spec"]["mainPodSpec"]["image"] = 5
    status = expect_status(api.post(omjobs(ns), body), 422, "Invalid")
    assert causes(status) == [("FieldValueInvalid", "spec.mainPodSpec.image")]
    assert 'spec.mainPodSpec.image: Invalid value: "integer": ' \
           'spec.mainPodSpec.image in body must be of type string: "integer"' in status["message"]


def test_enum_violation_is_422_with_supported_values(api, ns):
    body = objects.omjob("j")
    body["spec"]["mainPodSpec"]["imagePullPolicy"] = "Sometimes"
    status = expect_status(api.post(omjobs(ns), body), 422, "Invalid")
    assert causes(status) == [("FieldValueNotSupported", "spec.mainPodSpec.imagePullPolicy")]
    assert 'Unsupported value: "Sometimes"' in status["message"]


def test_status_enum_violation_on_status_endpoint_is_422(api, ns):
    api.create(omjobs(ns), objects.omjob("j"))
    r = api.patch(omjobs(ns, "j") + "/status", {"status": {"phase": "Exploded"}})
    status = expect_status(r, 422, "Invalid")
    assert causes(status) == [("FieldValueNotSupported", "status.phase")]


def test_openmetadata_shaped_omjob_round_trips_without_pruning(api, ns):
    body = objects.openmetadata_omjob()
    body["metadata"]["namespace"] = ns
    created = api.create(omjobs(ns), body)
    assert created["spec"] == body["spec"]
    assert created["metadata"]["labels"] == body["metadata"]["labels"]
    assert created["metadata"]["annotations"] == body["metadata"]["annotations"]
    assert api.get(omjobs(ns, body["metadata"]["name"])).json()["spec"] == body["spec"]


def test_every_status_field_the_operator_writes_is_kept(api, ns):
    api.create(omjobs(ns), objects.omjob("j"))
    status = {
        "phase": "Failed", "mainPodName": "j-main", "exitHandlerPodName": "j-exit",
        "startTime": "2026-01-01T00:00:00Z", "completionTime": "2026-01-01T00:10:00Z",
        "message": "main pod OOMKilled", "mainPodExitCode": 137, "observedGeneration": 1,
        "conditions": [{"type": "MainPodEnded", "status": "True", "reason": "OOMKilled",
                        "message": "exit 137", "lastTransitionTime": "2026-01-01T00:09:00Z",
                        "observedGeneration": 1}],
    }
    r = api.patch(omjobs(ns, "j") + "/status", {"status": status})
    expect_status(r, 200)
    assert r.json()["status"] == status


def test_update_that_prunes_keeps_the_rest(api, ns):
    created = api.create(omjobs(ns), objects.omjob("j"))
    body = copy.deepcopy(created)
    body["spec"]["mainPodSpec"]["nope"] = 1
    body["spec"]["mainPodSpec"]["image"] = "new"
    r = api.put(omjobs(ns, "j"), body)
    expect_status(r, 200)
    assert r.json()["spec"]["mainPodSpec"] == dict(created["spec"]["mainPodSpec"], image="new")
