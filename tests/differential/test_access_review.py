"""SelfSubjectAccessReview, which the operator asks at start for every permission it uses:
the same answer shape on both servers (the admin identity is allowed)."""


def test_self_subject_access_review_answers_allowed_with_the_spec_echoed(api, ns):
    review = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
              "spec": {"resourceAttributes": {"verb": "create", "resource": "pods", "namespace": ns}}}
    r = api.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["kind"] == "SelfSubjectAccessReview"
    assert body["status"]["allowed"] is True
    assert body["spec"]["resourceAttributes"]["resource"] == "pods"
    assert body["spec"]["resourceAttributes"]["namespace"] == ns
