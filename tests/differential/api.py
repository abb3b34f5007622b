"""A small client for the Kubernetes REST API, the same for every server the suite targets.

Hand-written over `requests` on purpose: the suite compares raw status codes, Status bodies
and watch frames, which a full Kubernetes client library would interpret or hide.
"""
import json
import time

import requests

OMJOB_GROUP = "pipelines.openmetadata.org/v1"


class Api:
    """One API server: base URL, bearer token, and CA file (None for plain HTTP)."""

    def __init__(self, url, token, ca=None, kind="other"):
        self.url = url.rstrip("/")
        self.kind = kind
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.headers["Accept"] = "application/json"
        # Passed on every request: requests lets REQUESTS_CA_BUNDLE override session.verify.
        self.verify = ca if ca else True

    def request(self, method, path, body=None, params=None, content_type="application/json",
                headers=None, stream=False, timeout=30, raw=None):
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body)
        if data is not None:
            h["Content-Type"] = content_type
        return self.session.request(method, self.url + path, data=data, params=params,
                                    headers=h, stream=stream, timeout=timeout,
                                    verify=self.verify)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body, **kw):
        return self.request("PUT", path, body=body, **kw)

    def patch(self, path, body, kind="merge", **kw):
        types = {"merge": "application/merge-patch+json", "json": "application/json-patch+json",
                 "strategic": "application/strategic-merge-patch+json"}
        return self.request("PATCH", path, body=body, content_type=types[kind], **kw)

    def delete(self, path, body=None, params=None, **kw):
        return self.request("DELETE", path, body=body, params=params, **kw)

    def create(self, path, body):
        """POST that must succeed; returns the created object."""
        r = self.post(path, body)
        assert r.status_code == 201, describe(r)
        return r.json()

    def watch(self, path, params, max_events, timeout_seconds=5, headers=None):
        """Events of one watch request, stopping after max_events or the server's timeout."""
        p = dict(params, watch="1", timeoutSeconds=str(timeout_seconds))
        events = []
        with self.get(path, params=p, stream=True, timeout=timeout_seconds + 15, headers=headers) as r:
            assert r.status_code == 200, describe(r)
            for line in r.iter_lines():
                if not line:
                    continue
                events.append(json.loads(line))
                if len(events) >= max_events:
                    break
        return events


def describe(r):
    """A failure message naming the request and showing the server's answer."""
    body = r.text[:1500]
    return f"{r.request.method} {r.request.url} -> {r.status_code}: {body}"


def expect_status(r, code, reason=None):
    """Asserts the HTTP code and, for failures, the Status object's reason and code."""
    assert r.status_code == code, describe(r)
    if reason is None:
        return None
    status = r.json()
    assert status.get("kind") == "Status", describe(r)
    assert status.get("apiVersion") == "v1", describe(r)
    assert status.get("status") == "Failure", describe(r)
    assert status.get("reason") == reason, describe(r)
    assert status.get("code") == code, describe(r)
    return status


def eventually(check, timeout=60, interval=0.25, what="condition"):
    """Polls check() until it returns a truthy value; fails after timeout seconds.

    Used only for work the controller manager does asynchronously (GC, namespace deletion):
    the deadline is generous so that a slow machine cannot make the test flaky.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out after {timeout}s waiting for {what}"
        time.sleep(interval)


def pods(ns, name=""):
    return f"/api/v1/namespaces/{ns}/pods" + (f"/{name}" if name else "")


def omjobs(ns, name=""):
    return f"/apis/{OMJOB_GROUP}/namespaces/{ns}/omjobs" + (f"/{name}" if name else "")


def leases(ns, name=""):
    return f"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases" + (f"/{name}" if name else "")


def core_events(ns, name=""):
    return f"/api/v1/namespaces/{ns}/events" + (f"/{name}" if name else "")


def events_v1(ns, name=""):
    return f"/apis/events.k8s.io/v1/namespaces/{ns}/events" + (f"/{name}" if name else "")


def namespaces(name=""):
    return "/api/v1/namespaces" + (f"/{name}" if name else "")
