"""Bad requests: each gets the Status a real server sends, and the server keeps serving."""
import requests

import objects
from api import expect_status, omjobs, pods


def test_missing_token_is_anonymous_and_403_forbidden(api, ns):
    """Recorded from v1.20.2 with its default --anonymous-auth=true (as kubeadm clusters run):
    no credentials means user system:anonymous, which RBAC forbids."""
    r = requests.get(api.url + pods(ns), verify=api.verify, timeout=10)
    status = expect_status(r, 403, "Forbidden")
    assert status["message"] == ('pods is forbidden: User "system:anonymous" cannot list resource '
                                 f'"pods" in API group "" in the namespace "{ns}"')
    assert status["details"] == {"kind": "pods"}


def test_wrong_token_is_401_unauthorized(api, ns):
    r = requests.get(api.url + pods(ns), headers={"Authorization": "Bearer wrong"},
                     verify=api.verify, timeout=10)
    expect_status(r, 401, "Unauthorized")


def test_malformed_json_is_400_bad_request(api, ns):
    r = api.request("POST", pods(ns), raw="{not json")
    status = expect_status(r, 400, "BadRequest")
    assert status["message"].startswith("the object provided is unrecognized")


def test_malformed_json_for_a_custom_resource_is_400(api, ns):
    r = api.request("POST", omjobs(ns), raw="{not json")
    expect_status(r, 400, "BadRequest")


def test_wrong_kind_in_body_is_400(api, ns):
    body = objects.pod("p")
    body["kind"] = "Service"
    status = expect_status(api.post(pods(ns), body), 400, "BadRequest")
    assert "does not match the expected" in status["message"] or "Service" in status["message"]


def test_namespace_in_body_differing_from_path_is_400(api, ns):
    body = objects.pod("p")
    body["metadata"]["namespace"] = "elsewhere"
    status = expect_status(api.post(pods(ns), body), 400, "BadRequest")
    assert status["message"] == "the namespace of the provided object does not match the " \
                                "namespace sent on the request"


def test_name_in_body_differing_from_path_on_put_is_400(api, ns):
    created = api.create(pods(ns), objects.pod("p"))
    created["metadata"]["name"] = "q"
    status = expect_status(api.put(pods(ns, "p"), created), 400, "BadRequest")
    assert status["message"] == "the name of the object (q) does not match the name on the URL (p)"


def test_unsupported_content_type_is_415(api, ns):
    r = api.request("POST", pods(ns), raw="name: p", content_type="text/plain")
    status = expect_status(r, 415, "UnsupportedMediaType")
    assert status["message"].startswith('the body of the request was in an unknown format')


def test_unknown_patch_type_is_415(api, ns):
    api.create(pods(ns), objects.pod("p"))
    r = api.request("PATCH", pods(ns, "p"), raw="{}", content_type="application/x-unknown")
    expect_status(r, 415, "UnsupportedMediaType")


def test_unknown_resource_is_404(api, ns):
    r = api.get(f"/api/v1/namespaces/{ns}/widgets")
    status = expect_status(r, 404, "NotFound")
    assert status["message"] == "the server could not find the requested resource"
    assert status["details"] == {}


def test_unknown_group_is_404(api):
    expect_status(api.get("/apis/no.such.group/v1"), 404)


def test_post_to_a_named_object_is_405(api, ns):
    api.create(pods(ns), objects.pod("p"))
    status = expect_status(api.post(pods(ns, "p"), objects.pod("p")), 405, "MethodNotAllowed")
    assert status["message"] == "the server does not allow this method on the requested resource"


def test_put_to_a_collection_is_405(api, ns):
    expect_status(api.put(pods(ns), objects.pod("p")), 405, "MethodNotAllowed")


def test_put_of_a_missing_pod_is_404(api, ns):
    body = objects.pod("p")
    body["metadata"]["resourceVersion"] = "1"
    expect_status(api.put(pods(ns, "p"), body), 404, "NotFound")


def test_put_of_a_missing_custom_resource_without_version_is_404(api, ns):
    expect_status(api.put(omjobs(ns, "j"), objects.omjob("j")), 404, "NotFound")


def test_pod_update_without_resource_version_is_unconditional(api, ns):
    created = api.create(pods(ns), objects.pod("p"))
    del created["metadata"]["resourceVersion"]
    created["metadata"]["labels"] = {"a": "1"}
    r = api.put(pods(ns, "p"), created)
    expect_status(r, 200)
    assert r.json()["metadata"]["labels"] == {"a": "1"}


def test_custom_resource_update_without_resource_version_is_422(api, ns):
    created = api.create(omjobs(ns), objects.omjob("j"))
    del created["metadata"]["resourceVersion"]
    status = expect_status(api.put(omjobs(ns, "j"), created), 422, "Invalid")
    assert status["message"] == ('omjobs.pipelines.openmetadata.org "j" is invalid: '
                                 "metadata.resourceVersion: Invalid value: 0x0: must be specified "
                                 "for an update")
    assert [(c["reason"], c["field"]) for c in status["details"]["causes"]] == [
        ("FieldValueInvalid", "metadata.resourceVersion")]


def test_patch_of_a_missing_object_is_404(api, ns):
    expect_status(api.patch(omjobs(ns, "nope"), {"metadata": {"labels": {"a": "1"}}}), 404, "NotFound")


def test_server_keeps_serving_after_bad_requests(api, ns):
    for _ in range(3):
        api.request("POST", pods(ns), raw="\x00\xff garbage")
    expect_status(api.get(pods(ns)), 200)


def test_pod_without_containers_is_422_with_cause(api, ns):
    body = objects.pod("p")
    body["spec"]["containers"] = []
    status = expect_status(api.post(pods(ns), body), 422, "Invalid")
    assert ("FieldValueRequired", "spec.containers") in [
        (c["reason"], c["field"]) for c in status["details"]["causes"]]


def test_too_long_label_value_is_422(api, ns):
    status = expect_status(api.post(omjobs(ns), objects.omjob("j", labels={"a": "x" * 64})), 422, "Invalid")
    assert status["details"]["causes"][0]["field"] == "metadata.labels"
