"""Checks that the objects of one rendered install agree with each other.

Each object can be valid alone and the install still broken: a probe on a port nobody
listens on, a watched namespace the operator has no rights in, a socket directory on the
read-only root. These are the mistakes an edit of one file makes.
"""

OPERATOR = "omjob-operator"
RULES_ROLE = "omjob-operator"
NODES_ROLE = "omjob-operator-nodes"


def _find(docs, kind, name=None):
    return [d for d in docs if d.get("kind") == kind and (name is None or d["metadata"]["name"] == name)]


def _env(container):
    return {e["name"]: e for e in container.get("env") or []}


def operator_container(docs):
    """The operator's Deployment and its container, or raise with what is missing."""
    deployments = _find(docs, "Deployment", OPERATOR)
    if len(deployments) != 1:
        raise ValueError(f"expected one Deployment {OPERATOR}, found {len(deployments)}")
    return deployments[0], deployments[0]["spec"]["template"]["spec"]["containers"][0]


def pod_problems(docs):
    """Ports, probes, settings, volumes and resources of the operator's pod."""
    deployment, container = operator_container(docs)
    pod = deployment["spec"]["template"]["spec"]
    env = _env(container)
    problems = []
    port = int(env.get("HEALTH_CHECK_PORT", {}).get("value", "8080"))
    ports = {p.get("name"): p["containerPort"] for p in container.get("ports") or []}
    if ports.get("http-metrics") != port:
        problems.append(f"containerPort http-metrics {ports.get('http-metrics')} != HEALTH_CHECK_PORT {port}")
    for probe, path in (("startupProbe", "/health"), ("livenessProbe", "/health"), ("readinessProbe", "/ready")):
        get = (container.get(probe) or {}).get("httpGet") or {}
        if get.get("path") != path or get.get("port") not in ("http-metrics", port):
            problems.append(f"{probe} must GET {path} on the health port, has {get or 'none'}")
    if env.get("OPERATOR_NAMESPACE", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") != "metadata.namespace":
        problems.append("OPERATOR_NAMESPACE must come from fieldRef metadata.namespace")
    run_dir = env.get("OMJOB_RUN_DIR", {}).get("value")
    mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts") or []}
    volumes = {v["name"]: v for v in pod.get("volumes") or []}
    if run_dir not in mounts or "emptyDir" not in volumes.get(mounts[run_dir], {}):
        problems.append(f"OMJOB_RUN_DIR {run_dir} is not an emptyDir mount (the root file system is read-only)")
    if not (container.get("securityContext") or {}).get("readOnlyRootFilesystem"):
        problems.append("container must set readOnlyRootFilesystem: true")
    resources = container.get("resources") or {}
    for section in ("requests", "limits"):
        if "memory" not in (resources.get(section) or {}):
            problems.append(f"resources.{section}.memory is not set")
    if deployment["spec"].get("replicas", 1) > 1:
        problems += _leader_election_problems(docs, env)
    return problems


def _leader_election_problems(docs, env):
    """Several replicas elect a leader: the Lease rights bound, the pod's name as identity."""
    problems = []
    lease_roles = {r["metadata"]["name"] for r in _find(docs, "Role")
                   if any("leases" in (rule.get("resources") or []) for rule in r.get("rules") or [])}
    bound = [b for b in _find(docs, "RoleBinding") if b["roleRef"].get("kind") == "Role" and b["roleRef"]["name"] in lease_roles]
    if not bound:
        problems.append("several replicas but no RoleBinding grants the Lease: replicas would not be leader-elected")
    if env.get("POD_NAME", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") != "metadata.name":
        problems.append("POD_NAME must come from fieldRef metadata.name (the Lease's holderIdentity)")
    return problems


def _selects(selector, labels):
    return all(labels.get(k) == v for k, v in ((selector or {}).get("matchLabels") or {}).items())


def _budget_problems(docs, deployment):
    """Problems of the PodDisruptionBudgets of one Deployment of several replicas."""
    name, replicas = deployment["metadata"]["name"], deployment["spec"].get("replicas", 1)
    labels = deployment["spec"]["template"]["metadata"].get("labels") or {}
    namespace = deployment["metadata"].get("namespace")
    budgets = [b for b in _find(docs, "PodDisruptionBudget")
               if b["metadata"].get("namespace") == namespace and _selects(b["spec"].get("selector"), labels)]
    if not budgets:
        return [f"Deployment {name} has {replicas} replicas but no PodDisruptionBudget selects its pods: "
                "a drain may evict every replica at once"]
    problems = []
    for budget in budgets:
        spec = budget["spec"]
        if (isinstance(spec.get("minAvailable"), int) and spec["minAvailable"] >= replicas) or spec.get("maxUnavailable") == 0:
            problems.append(f"PodDisruptionBudget {budget['metadata']['name']} lets no replica of {replicas} be evicted: "
                            "a drain never ends")
    return problems


def disruption_budget_problems(docs, policy_v1=True):
    """Several replicas need a PodDisruptionBudget selecting their pods that still lets one go.
    An install kept for Kubernetes 1.20 (policy_v1 False), which does not serve policy/v1,
    needs none and must hold no policy/v1 object."""
    if not policy_v1:
        return [f"{d['kind']} {d['metadata']['name']} is policy/v1, which Kubernetes 1.20 does not serve"
                for d in docs if d.get("apiVersion") == "policy/v1"]
    problems = []
    for deployment in _find(docs, "Deployment"):
        if deployment["spec"].get("replicas", 1) > 1:
            problems += _budget_problems(docs, deployment)
    return problems


def service_problems(docs):
    """The metrics Service must reach the pod's health port by name."""
    deployment, _ = operator_container(docs)
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    problems = []
    for service in _find(docs, "Service"):
        selector = service["spec"].get("selector") or {}
        if any(labels.get(k) != v for k, v in selector.items()):
            problems.append(f"Service {service['metadata']['name']} selector {selector} does not match the pod")
        names = [p.get("name") for p in service["spec"]["ports"]]
        if "http-metrics" not in names:
            problems.append(f"Service {service['metadata']['name']} has no port named http-metrics")
    if not _find(docs, "Service"):
        problems.append("no metrics Service")
    return problems


def scope_problems(docs):
    """WATCH_NAMESPACES and the bindings must describe the same scope."""
    _, container = operator_container(docs)
    watched = [n.strip() for n in _env(container).get("WATCH_NAMESPACES", {}).get("value", "").split(",") if n.strip()]
    cluster_bound = [b for b in _find(docs, "ClusterRoleBinding") if b["roleRef"]["name"] == RULES_ROLE]
    bound = sorted(b["metadata"].get("namespace") for b in _find(docs, "RoleBinding") if b["roleRef"]["name"] == RULES_ROLE)
    problems = []
    if not any(b["roleRef"]["name"] == NODES_ROLE for b in _find(docs, "ClusterRoleBinding")):
        problems.append(f"no ClusterRoleBinding to {NODES_ROLE}: node-loss detection needs it in every mode")
    if not _find(docs, "ClusterRole", RULES_ROLE):
        problems.append(f"no ClusterRole {RULES_ROLE} holding the operator's rules")
    if watched:
        if cluster_bound:
            problems.append("WATCH_NAMESPACES is a list but the rules are bound cluster-wide")
        if bound != sorted(watched):
            problems.append(f"WATCH_NAMESPACES {sorted(watched)} != namespaces with a RoleBinding {bound}")
    elif not cluster_bound:
        problems.append("WATCH_NAMESPACES is empty (all namespaces) but no ClusterRoleBinding grants the rules")
    return problems


def shard_problems(docs):
    """Several Deployments of the operator (shards) must never both own one OMJob: each sets
    OMJOB_SHARD_SELECTOR and its own SHARD (its Lease), no two share a selector or a pod
    selector, each runs as a ServiceAccount the install holds, and each has its metrics Service."""
    deployments = [d for d in _find(docs, "Deployment")
                   if d["spec"]["template"]["metadata"].get("labels", {}).get("app.kubernetes.io/name") == OPERATOR]
    problems = []
    if len(deployments) < 2:
        return [f"expected several operator Deployments (shards), found {len(deployments)}"]
    accounts = {a["metadata"]["name"] for a in _find(docs, "ServiceAccount")}
    seen = {"OMJOB_SHARD_SELECTOR": {}, "SHARD": {}, "pod selector": {}}
    for deployment in deployments:
        name = deployment["metadata"]["name"]
        env = _env(deployment["spec"]["template"]["spec"]["containers"][0])
        values = {setting: env.get(setting, {}).get("value", "").strip() for setting in ("OMJOB_SHARD_SELECTOR", "SHARD")}
        values["pod selector"] = str(sorted(deployment["spec"]["selector"]["matchLabels"].items()))
        for setting, value in values.items():
            if not value:
                problems.append(f"Deployment {name} sets no {setting}")
            elif value in seen[setting]:
                problems.append(f"Deployments {seen[setting][value]} and {name} share {setting} {value}")
            else:
                seen[setting][value] = name
        account = deployment["spec"]["template"]["spec"].get("serviceAccountName", "default")
        if account not in accounts:
            problems.append(f"Deployment {name} runs as ServiceAccount {account}, which the install does not hold")
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        if not any(all(labels.get(k) == v for k, v in (s["spec"].get("selector") or {}).items()) for s in _find(docs, "Service")):
            problems.append(f"no Service selects the pods of Deployment {name}")
    return problems
