"""Which API server the differential suite talks to, and a fresh namespace for each test.

Select the server with --server (or DIFF_SERVER):
  real     the real kube-apiserver v1.20.2 (the reference). Uses KUBE_API_URL, KUBE_API_TOKEN,
           KUBE_API_CA when set (scripts/control-plane/start.sh writes them), else starts its
           own control plane for the session and stops it at the end.
  kubesim  starts the kubesim executable (KUBESIM_BIN, default .build/debug/kubesim) on a free
           port with a random token, and stops it at the end.
  url      any server: DIFF_API_URL, DIFF_API_TOKEN, optional DIFF_API_CA.
The suite's expectations are the real server's answers; a failure on another server is a
difference from the reference.
"""
import os
import pathlib
import re
import secrets
import shutil
import subprocess
import tempfile
import uuid

import pytest

import objects
from api import Api, eventually, namespaces, omjobs, pods

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONTROL_PLANE = ROOT / "scripts" / "control-plane"
CRDS = ROOT / "deploy" / "crds"
# kubesim keeps this many events per resource for watch resumption; the 410 case writes more.
KUBESIM_HISTORY = 50


def pytest_addoption(parser):
    parser.addoption("--server", default=os.environ.get("DIFF_SERVER", "real"),
                     choices=["real", "kubesim", "url"], help="which API server to test")


def _real_server(stack):
    if os.environ.get("KUBE_API_URL"):
        return Api(os.environ["KUBE_API_URL"], os.environ["KUBE_API_TOKEN"],
                   os.environ.get("KUBE_API_CA"), kind="real")
    state = tempfile.mkdtemp(prefix="omjob-diff-cp.")
    # No silent skip: if the control plane cannot be built or started, the session fails.
    subprocess.run([str(CONTROL_PLANE / "start.sh"), state], check=True, stdout=subprocess.DEVNULL)
    stack.append(lambda: shutil.rmtree(state, ignore_errors=True))
    stack.append(lambda: subprocess.run([str(CONTROL_PLANE / "stop.sh"), state], check=False))
    env = dict(re.findall(r'export (\w+)="([^"]*)"', (pathlib.Path(state) / "env").read_text()))
    return Api(env["KUBE_API_URL"], env["KUBE_API_TOKEN"], env["KUBE_API_CA"], kind="real")


def _kubesim_server(stack):
    binary = os.environ.get("KUBESIM_BIN", str(ROOT / ".build" / "debug" / "kubesim"))
    if not os.access(binary, os.X_OK):
        pytest.exit(f"kubesim executable not found at {binary}: run `swift build` first", 2)
    token = secrets.token_hex(16)
    # TLS like the real server (kubectl sends no bearer token over plain HTTP), with the same
    # throwaway CA the control plane uses.
    pki = pathlib.Path(tempfile.mkdtemp(prefix="omjob-diff-kubesim."))
    stack.append(lambda: shutil.rmtree(pki, ignore_errors=True))
    subprocess.run([str(CONTROL_PLANE / "pki.sh"), str(pki)], check=True)
    proc = subprocess.Popen([binary, "--port", "0", "--token", token,
                             "--history", str(KUBESIM_HISTORY), "--bookmark-interval", "1",
                             "--tls-cert", str(pki / "apiserver.crt"),
                             "--tls-key", str(pki / "apiserver.key")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def stop():
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    stack.append(stop)
    line = proc.stdout.readline()
    match = re.search(r"serving (\S+)", line)
    if not match:
        stop()
        pytest.exit(f"kubesim did not start: {line!r}", 2)
    return Api(match.group(1), token, str(pki / "ca.crt"), kind="kubesim")


def _apply_crds(api):
    """Creates the OMJob and CronOMJob CRDs through the API and waits until they are served."""
    import yaml
    for path in sorted(CRDS.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text())
        base = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
        r = api.post(base, crd)
        assert r.status_code in (201, 409), f"{path.name}: {r.status_code} {r.text[:500]}"
        name = crd["metadata"]["name"]

        def established():
            got = api.get(f"{base}/{name}").json()
            conds = (got.get("status") or {}).get("conditions") or []
            return any(c["type"] == "Established" and c["status"] == "True" for c in conds)
        eventually(established, 30, what=f"CRD {name} Established")
    plural = f"/apis/pipelines.openmetadata.org/v1/namespaces/default/omjobs"
    eventually(lambda: api.get(plural).status_code == 200, 30, what="omjobs served")


def pytest_configure(config):
    config.addinivalue_line("markers", "newer_than_v1_20: kubesim deliberately behaves like a "
                            "newer server here; the case asserts each server's own behaviour")


def _wait_for_gc_of_omjob_dependents(api):
    """kube-controller-manager's garbage collector learns new resource types (the OMJob CRD)
    at its periodic discovery resync (30 s): until then, dependents of a deleted OMJob stay.
    Waiting here once, with a probe, keeps every GC case's own deadline short and honest."""
    ns = "default"
    owner = api.create(omjobs(ns), objects.omjob(f"gc-probe-{uuid.uuid4().hex[:8]}"))
    name = f"{owner['metadata']['name']}-dependent"
    api.create(pods(ns), objects.pod(name, owners=[objects.owner_ref(owner)]))
    api.delete(omjobs(ns, owner["metadata"]["name"]))
    eventually(lambda: api.get(pods(ns, name)).status_code == 404,
               120, what="the garbage collector to collect a dependent of an OMJob")


@pytest.fixture(scope="session")
def api(request):
    stack = []
    kind = request.config.getoption("--server")
    try:
        if kind == "real":
            server = _real_server(stack)
        elif kind == "kubesim":
            server = _kubesim_server(stack)
        else:
            server = Api(os.environ["DIFF_API_URL"], os.environ["DIFF_API_TOKEN"],
                         os.environ.get("DIFF_API_CA"), kind="other")
        _apply_crds(server)
        _wait_for_gc_of_omjob_dependents(server)
        yield server
    finally:
        for stop in reversed(stack):
            stop()


@pytest.fixture
def ns(api):
    """A fresh namespace, deleted (without waiting) after the test."""
    name = f"diff-{uuid.uuid4().hex[:10]}"
    r = api.post(namespaces(), {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    assert r.status_code == 201, r.text
    yield name
    api.delete(namespaces(name))
