"""The chart's release lifecycle on the project's real kube-apiserver v1.20.2, with Helm v4's SDK.

install (CRDs from crds/, then the templates) -> the real omjob-supervisor, authenticated with
the token of the ServiceAccount the chart created, runs an OMJob to Succeeded -> upgrade with a
changed value -> rollback -> the documented uninstall step (delete the runs while the operator
runs) -> uninstall: no object of the release left, no finalizer, nothing Terminating.

Nothing runs pods on this control plane, so the test plays the scheduler and the kubelet: it
keeps a Ready node, binds pods to it, and reports container states through pods/status.
The tests run in file order and share one release.
"""
import base64
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

import pytest
import yaml

from conftest import CHART, RELEASE, ROOT, helm
from operator_process import Operator, Periodic, binary, require, workdir

sys.path.insert(0, str(ROOT / "tests" / "differential"))
from api import Api, describe, eventually, namespaces, omjobs, pods  # noqa: E402

CONTROL_PLANE = ROOT / "scripts" / "control-plane"
OPERATOR_NS = "omjob-system"
RUNS_NS = "pipelines"
NODE = "node-1"
FINALIZER = "omjob.pipelines.openmetadata.org/exit-handler"
INSTANCE = f"app.kubernetes.io/instance={RELEASE}"


def _started_control_plane():
    present = subprocess.run(["bash", "-c", f". '{CONTROL_PLANE}/lib.sh' && cp_binaries_present"],
                             capture_output=True)
    if present.returncode != 0:
        require(os.environ.get("OMJOB_CONTROL_PLANE_CACHE", "~/.cache/omjob-control-plane"),
                "the real control plane", "run scripts/control-plane/build.sh once; .ci/run does")
    state = tempfile.mkdtemp(prefix="omjob-helm-cp.")
    subprocess.run([str(CONTROL_PLANE / "start.sh"), state], check=True, stdout=subprocess.DEVNULL, timeout=180)
    env = dict(re.findall(r'export (\w+)="([^"]*)"', (pathlib.Path(state) / "env").read_text()))
    return state, env


class Kubelet:
    """The node's kubelet and the scheduler, reduced to what the operator observes."""

    def __init__(self, api, namespace):
        self.api, self.namespace = api, namespace
        self.keep_running = set()  # main pods that stay Running until deleted

    def node(self):
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        r = self.api.patch(f"/api/v1/nodes/{NODE}/status", {"status": {"conditions": [{
            "type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status",
            "lastHeartbeatTime": now, "lastTransitionTime": now}]}}, kind="strategic")
        assert r.status_code == 200, describe(r)

    def status(self, pod, phase, state):
        body = {"status": {"phase": phase, "containerStatuses": [{
            "name": "main", "ready": phase == "Running", "restartCount": 0, "image": "x", "imageID": "",
            "containerID": "containerd://1", "state": state}]}}
        if phase == "Running":
            body["status"]["startTime"] = state["running"]["startedAt"]
        self.api.patch(pods(self.namespace, pod) + "/status", body)

    def step(self):
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        for pod in self.api.get(pods(self.namespace)).json().get("items", []):
            meta, status = pod["metadata"], pod.get("status") or {}
            name = meta["name"]
            kind = (meta.get("labels") or {}).get("omjob.pipelines.openmetadata.org/pod-type", "main")
            ended = status.get("phase") in ("Succeeded", "Failed")
            if meta.get("deletionTimestamp"):
                if not ended and pod["spec"].get("nodeName"):
                    self.status(name, "Failed", {"terminated": {"exitCode": 143, "reason": "Error", "signal": 15,
                                                                "startedAt": now, "finishedAt": now}})
                elif not meta.get("finalizers"):
                    self.api.delete(pods(self.namespace, name), body={"gracePeriodSeconds": 0})
                continue
            if not pod["spec"].get("nodeName"):
                # The scheduler binds a main pod once the operator's finalizer guards it.
                if kind != "main" or FINALIZER in (meta.get("finalizers") or []):
                    self.api.post(pods(self.namespace, name) + "/binding", {
                        "apiVersion": "v1", "kind": "Binding", "metadata": {"name": name},
                        "target": {"apiVersion": "v1", "kind": "Node", "name": NODE}})
            elif status.get("phase") != "Running" and not ended:
                self.status(name, "Running", {"running": {"startedAt": now}})
            elif status.get("phase") == "Running" and name not in self.keep_running:
                self.status(name, "Succeeded", {"terminated": {"exitCode": 0, "reason": "Completed",
                                                               "startedAt": now, "finishedAt": now}})


def omjob(name):
    """An OMJob shaped as OpenMetadata's server builds one."""
    return {"apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
            "metadata": {"name": name, "namespace": RUNS_NS,
                         "labels": {"app.kubernetes.io/managed-by": "openmetadata", "app.kubernetes.io/run-id": name}},
            "spec": {"mainPodSpec": {"image": "openmetadata/ingestion-base:1.5.0", "serviceAccountName": "ingestion",
                                     "command": ["python", "main.py"], "env": [{"name": "pipelineRunId", "value": name}]},
                     "exitHandlerSpec": {"image": "openmetadata/ingestion-base:1.5.0", "serviceAccountName": "ingestion",
                                         "command": ["python", "exit_handler.py"]}}}


@pytest.fixture(scope="module")
def cluster():
    """The control plane, a Ready node, the runs' namespace, the kubelet, a Helm config."""
    binary("omjob-supervisor")
    state, env = _started_control_plane()
    api = Api(env["KUBE_API_URL"], env["KUBE_API_TOKEN"], env["KUBE_API_CA"], kind="real")
    kubelet, beats, config, work, shared = None, [], None, workdir("omjob-helm."), {}
    try:
        api.create("/api/v1/nodes", {"apiVersion": "v1", "kind": "Node", "metadata": {"name": NODE}})
        kubelet = Kubelet(api, RUNS_NS)
        kubelet.node()
        api.create(namespaces(), {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": RUNS_NS}})
        beats = [Periodic(kubelet.node, 5), Periodic(kubelet.step, 0.3)]
        for beat in beats:
            beat.start()
        config = helm().Config(kubeconfig_path=env["KUBECONFIG"], namespace=OPERATOR_NS)
        yield {"api": api, "kubelet": kubelet, "helm": config, "env": env, "work": work, "state": shared}
    finally:
        operator = shared.get("operator")
        if operator is not None:  # a test failed before the uninstall test stopped it
            operator.stop()
        for beat in beats:
            beat.stop()
        if config is not None:
            config.close()
        subprocess.run([str(CONTROL_PLANE / "stop.sh"), state], check=False, timeout=60)
        shutil.rmtree(state, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


def deployment_env(api):
    r = api.get(f"/apis/apps/v1/namespaces/{OPERATOR_NS}/deployments/{RELEASE}")
    assert r.status_code == 200, describe(r)
    return {e["name"]: e.get("value") for e in r.json()["spec"]["template"]["spec"]["containers"][0]["env"]}


def service_account_token(api):
    """v1.20's token controller writes a Secret for each ServiceAccount and lists it."""
    def token():
        account = api.get(f"/api/v1/namespaces/{OPERATOR_NS}/serviceaccounts/{RELEASE}").json()
        secrets = account.get("secrets") or []
        if not secrets:
            return None
        data = api.get(f"/api/v1/namespaces/{OPERATOR_NS}/secrets/{secrets[0]['name']}").json().get("data") or {}
        return base64.b64decode(data["token"]).decode() if "token" in data else None
    return eventually(token, 60, what="the chart ServiceAccount's token Secret")


def until(check, timeout, explain):
    """Polls check() every half second; on timeout fails with explain(), computed then."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s: {explain()}")
        time.sleep(0.5)


def phase(api, name):
    r = api.get(omjobs(RUNS_NS, name))
    return (r.json().get("status") or {}).get("phase") if r.status_code == 200 else None


def documented_uninstall_steps():
    """The commands of docs/helm.md's Uninstall block, comments stripped."""
    text = (ROOT / "docs" / "helm.md").read_text()
    block = re.search(r"^## Uninstall\n.*?```sh\n(.*?)```", text, re.S | re.M)
    assert block, "docs/helm.md has no Uninstall block"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_install_creates_crds_and_objects(cluster):
    release = cluster["helm"].install(CHART, RELEASE, {"watchNamespaces": [RUNS_NS]},
                                      namespace=OPERATOR_NS, create_namespace=True, timeout=120)
    assert (release["status"], release["revision"]) == ("deployed", 1), release
    api = cluster["api"]
    for crd in ("omjobs.pipelines.openmetadata.org", "cronomjobs.pipelines.openmetadata.org"):
        assert api.get(f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{crd}").status_code == 200
    eventually(lambda: api.get(omjobs(RUNS_NS)).status_code == 200, 30, what="omjobs served")
    binding = api.get(f"/apis/rbac.authorization.k8s.io/v1/namespaces/{RUNS_NS}/rolebindings/{RELEASE}")
    assert binding.status_code == 200, describe(binding)
    assert deployment_env(api)["WATCH_NAMESPACES"] == RUNS_NS


def test_operator_as_the_chart_service_account_runs_an_omjob_to_succeeded(cluster):
    api, env = cluster["api"], cluster["env"]
    token = service_account_token(api)
    kubeconfig = pathlib.Path(cluster["work"]) / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "chart",
        "clusters": [{"name": "real", "cluster": {"server": env["KUBE_API_URL"], "certificate-authority": env["KUBE_API_CA"]}}],
        "users": [{"name": "chart-sa", "user": {"token": token}}],
        "contexts": [{"name": "chart", "context": {"cluster": "real", "user": "chart-sa", "namespace": OPERATOR_NS}}]}))
    # The settings are the installed Deployment's (the chart's values); only what a pod gets
    # from Kubernetes (its namespace) or its volumes (the socket directory) is set here.
    settings = {k: v for k, v in deployment_env(api).items() if v is not None and k not in ("OMJOB_RUN_DIR", "HEALTH_CHECK_PORT")}
    settings.update({"OPERATOR_NAMESPACE": OPERATOR_NS, "KUBECONFIG": str(kubeconfig)})
    operator = Operator(settings, cluster["work"])
    cluster["state"]["operator"] = operator
    operator.wait_ready()
    name = f"run-{uuid.uuid4().hex[:6]}"
    api.create(omjobs(RUNS_NS), omjob(name))
    until(lambda: phase(api, name) == "Succeeded", 90,
          lambda: f"OMJob {name} is {phase(api, name)}, not Succeeded; operator log:\n{operator.text()[-3000:]}")
    status = api.get(omjobs(RUNS_NS, name)).json()["status"]
    assert status["mainPodTermination"]["reason"] == "Completed" and status.get("exitHandlerAttempts", 1) >= 1
    assert "forbidden" not in operator.text().lower(), operator.text()[-3000:]
    cluster["state"]["succeeded"] = name


def test_upgrade_with_a_changed_value(cluster):
    release = cluster["helm"].upgrade(CHART, RELEASE, {"watchNamespaces": [RUNS_NS], "logLevel": "DEBUG"},
                                      namespace=OPERATOR_NS, timeout=120)
    assert (release["status"], release["revision"]) == ("deployed", 2), release
    assert deployment_env(cluster["api"])["LOG_LEVEL"] == "DEBUG"


def test_upgrade_with_a_value_that_breaks_the_schema_changes_nothing(cluster):
    with pytest.raises(helm().HelmError) as refused:
        cluster["helm"].upgrade(CHART, RELEASE, {"watchNamespaces": RUNS_NS}, namespace=OPERATOR_NS, timeout=60)
    assert "at '/watchNamespaces': got string, want array" in str(refused.value)
    assert [r["revision"] for r in cluster["helm"].history(RELEASE)] == [1, 2]


def test_rollback_restores_the_first_revision(cluster):
    cluster["helm"].rollback(RELEASE, version=1, timeout=120)
    history = cluster["helm"].history(RELEASE)
    assert [r["revision"] for r in history] == [1, 2, 3], history
    assert deployment_env(cluster["api"])["LOG_LEVEL"] == "INFO"


def test_uninstall_after_the_documented_step_leaves_nothing(cluster):
    api, kubelet = cluster["api"], cluster["kubelet"]
    operator = cluster["state"].get("operator")
    assert operator is not None, "the operator did not start in an earlier test"
    # A run still in progress: its main pod keeps running until the operator stops it.
    running = f"running-{uuid.uuid4().hex[:6]}"
    kubelet.keep_running.add(f"{running}-main")
    api.create(omjobs(RUNS_NS), omjob(running))
    until(lambda: phase(api, running) == "Running", 60, lambda: f"OMJob {running} is {phase(api, running)}, not Running")

    # The documented step: delete the runs while the operator still runs.
    r = api.delete(omjobs(RUNS_NS))
    assert r.status_code == 200, describe(r)
    until(lambda: api.get(omjobs(RUNS_NS)).json()["items"] == [], 90,
          lambda: f"OMJobs left: {[o['metadata']['name'] for o in api.get(omjobs(RUNS_NS)).json()['items']]}; "
                  f"operator log:\n{operator.text()[-3000:]}")
    operator.stop()

    # The documented uninstall, as docs/helm.md writes it: the release, then the Lease.
    steps = documented_uninstall_steps()
    assert steps[1] == f"helm uninstall {RELEASE} -n {OPERATOR_NS} --wait", steps
    cluster["helm"].uninstall(RELEASE, timeout=120, wait="watcher")
    with pytest.raises(helm().HelmNotFoundError):
        cluster["helm"].status(RELEASE)
    leases = f"/apis/coordination.k8s.io/v1/namespaces/{OPERATOR_NS}/leases"
    labelled = api.get(leases, params={"labelSelector": "app.kubernetes.io/managed-by=omjob-operator"}).json()["items"]
    assert labelled, f"no Lease labelled by the operator: {api.get(leases).json()['items']}"
    lease_step = steps[2]
    assert lease_step.startswith(f"kubectl -n {OPERATOR_NS} delete lease -l "), steps
    done = subprocess.run(lease_step.split(), env={**os.environ, "KUBECONFIG": cluster["env"]["KUBECONFIG"]},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr

    def left():
        """Every object of ours still there: the release's, including what controllers made from it
        (ReplicaSets, pods) and the ServiceAccount's token Secret, and the Lease the operator made."""
        found = []
        for path in ("/apis/rbac.authorization.k8s.io/v1/clusterroles", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
                     "/apis/rbac.authorization.k8s.io/v1/roles", "/apis/rbac.authorization.k8s.io/v1/rolebindings",
                     "/apis/apps/v1/deployments", "/apis/apps/v1/replicasets", "/apis/policy/v1beta1/poddisruptionbudgets",
                     "/api/v1/pods", "/api/v1/services", "/api/v1/serviceaccounts"):
            items = api.get(path, params={"labelSelector": INSTANCE}).json()["items"]
            found += [f"{path.rsplit('/', 1)[1]} {i['metadata'].get('namespace', '')}/{i['metadata']['name']}" for i in items]
        # Nothing else lives in the release namespace: any Lease, Role or RoleBinding there is ours.
        for kind in ("coordination.k8s.io/v1/namespaces/{ns}/leases", "rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
                     "rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings"):
            path = "/apis/" + kind.format(ns=OPERATOR_NS)
            found += [f"{path.rsplit('/', 1)[1]} {OPERATOR_NS}/{i['metadata']['name']}" for i in api.get(path).json()["items"]]
        for secret in api.get(f"/api/v1/namespaces/{OPERATOR_NS}/secrets").json()["items"]:
            annotations = secret["metadata"].get("annotations") or {}
            labels = secret["metadata"].get("labels") or {}
            # The token controller's Secret, and Helm's release records (owner=helm).
            if annotations.get("kubernetes.io/service-account.name") == RELEASE or labels.get("owner") == "helm":
                found.append(f"secrets {OPERATOR_NS}/{secret['metadata']['name']}")
        return found
    deadline = time.monotonic() + 60  # the garbage collector removes ReplicaSets and pods
    while left() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert left() == []

    def clean():
        objects = api.get(pods(RUNS_NS)).json()["items"] + api.get("/apis/pipelines.openmetadata.org/v1/omjobs").json()["items"]
        return not any(FINALIZER in (o["metadata"].get("finalizers") or []) or o["metadata"].get("deletionTimestamp")
                       for o in objects)
    eventually(clean, 60, interval=0.5, what="no pod or OMJob with the operator's finalizer or Terminating")
