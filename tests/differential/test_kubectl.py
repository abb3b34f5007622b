"""kubectl (the v1.32 client) against the server: the session a user would type."""
import json
import os
import shutil
import subprocess

import pytest

from api import eventually

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None,
                                reason="kubectl is not installed: the kubectl session is skipped")


@pytest.fixture
def kubectl(api, ns, tmp_path):
    config = tmp_path / "kubeconfig"
    cluster = {"server": api.url}
    if api.verify is not True:
        cluster["certificate-authority"] = api.verify
    token = api.session.headers["Authorization"].split(" ", 1)[1]
    config.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "c",
        "clusters": [{"name": "c", "cluster": cluster}],
        "users": [{"name": "u", "user": {"token": token}}],
        "contexts": [{"name": "c", "context": {"cluster": "c", "user": "u", "namespace": ns}}]}))
    env = dict(os.environ, KUBECONFIG=str(config))

    def run(*args, stdin=None):
        done = subprocess.run(["kubectl", "--request-timeout=20s", *args], env=env, input=stdin,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"kubectl {' '.join(args)}: {done.stderr}"
        return done.stdout
    return run


def test_kubectl_session_on_pods_and_omjobs(kubectl):
    assert "default" in kubectl("get", "namespaces", "-o", "name")
    kubectl("run", "p", "--image=busybox:1.36", "--restart=Never", "--", "true")
    kubectl("patch", "pod", "p", "--subresource=status", "--type=merge",
            "-p", '{"status":{"phase":"Succeeded"}}')
    assert kubectl("get", "pod", "p", "-o", "jsonpath={.status.phase}") == "Succeeded"
    manifest = json.dumps({"apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
                           "metadata": {"name": "j"},
                           "spec": {"mainPodSpec": {"image": "x", "serviceAccountName": "s",
                                                    "command": ["true"]}}})
    kubectl("apply", "-f", "-", stdin=manifest)
    assert "j" in kubectl("get", "omj")
    kubectl("patch", "omjob", "j", "--subresource=status", "--type=merge",
            "-p", '{"status":{"phase":"Running"}}')
    assert kubectl("get", "omjob", "j", "-o", "jsonpath={.status.phase}") == "Running"
    kubectl("delete", "omjob", "j")
    kubectl("delete", "pod", "p")
    assert kubectl("get", "pods", "-o", "name") == ""
