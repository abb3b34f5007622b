"""The chart, offline: lint, schema, every documented variant rendered and checked with the
same checks as deploy/ (Kubernetes schemas, restricted Pod Security, least-privilege RBAC,
consistency), RBAC equal to deploy/'s rules, CRDs identical to deploy/crds."""
import json
import pathlib

import kubernetes_validate
import pytest
import yaml

import check
import values_table
from conftest import CHART, NAMESPACE, RELEASE, ROOT, helm

K8S_VERSION = "1.32.0"
WATCHED = ["openmetadata", "openmetadata-pipelines"]
# Each documented install (docs/helm.md), by name: the values a user passes.
VARIANTS = {
    "all-namespaces": {},
    "namespaces": {"watchNamespaces": WATCHED},
    "monitoring": {"metrics": {"serviceMonitor": {"enabled": True}, "prometheusRule": {"enabled": True}},
                   "podDisruptionBudget": {"enabled": True}, "networkPolicy": {"enabled": True}},
}
# Kinds that kubernetes-validate has no schema for (the Prometheus Operator's CRDs); checked below.
CUSTOM_KINDS = {"ServiceMonitor", "PrometheusRule"}
OPTIONAL_RULES = {("", "nodes", "get"), ("", "nodes", "list"), ("", "nodes", "watch")}


def rule_set(roles):
    """(apiGroup, resource, verb) triples granted by the given Roles/ClusterRoles."""
    return {(group, resource, verb)
            for role in roles for rule in role.get("rules") or []
            for group in rule["apiGroups"] for resource in rule["resources"] for verb in rule["verbs"]}


def deploy_rules():
    return rule_set(yaml.safe_load(p.read_text()) for p in (
        ROOT / "deploy/rbac/namespaced/clusterrole.yaml", ROOT / "deploy/rbac/nodes/clusterrole.yaml"))


def kinds(docs, kind):
    return [d for d in docs if d["kind"] == kind]


def test_lint_is_clean():
    report = helm().lint(CHART, strict=True, namespace=NAMESPACE, kube_version="v1.20.2")
    problems = [m for m in report["messages"] if m["severity"] >= 2]
    assert report["errors"] == [] and problems == [], report


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_each_variant_lints_clean(variant):
    report = helm().lint(CHART, VARIANTS[variant], strict=True, namespace=NAMESPACE)
    assert [m for m in report["messages"] if m["severity"] >= 2] == [] and report["errors"] == [], report


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_variant_passes_the_manifest_checks_of_deploy(render, variant):
    docs = render(VARIANTS[variant])
    for doc in docs:
        if doc["kind"] not in CUSTOM_KINDS:
            try:
                kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
            except kubernetes_validate.ValidationError as error:
                pytest.fail(f"{doc['kind']} {doc['metadata']['name']}: {error.message}")
    assert check.install_problems(docs) == []


def test_namespaces_mode_binds_only_the_listed_namespaces(render):
    docs = render(VARIANTS["namespaces"])
    grants = [b for b in kinds(docs, "RoleBinding") if b["roleRef"]["kind"] == "ClusterRole"]
    assert sorted(b["metadata"]["namespace"] for b in grants) == sorted(WATCHED)
    assert [b["roleRef"]["name"] for b in kinds(docs, "ClusterRoleBinding")] == ["omjob-operator-nodes"]
    env = {e["name"]: e.get("value") for e in kinds(docs, "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["WATCH_NAMESPACES"] == ",".join(WATCHED)


def test_all_namespaces_mode_binds_cluster_wide(render):
    docs = render()
    assert [b["roleRef"]["kind"] for b in kinds(docs, "RoleBinding")] == ["Role"], "only the Lease's, in the release namespace"
    assert sorted(b["roleRef"]["name"] for b in kinds(docs, "ClusterRoleBinding")) == ["omjob-operator", "omjob-operator-nodes"]


def test_rbac_equals_deploys_rules(render):
    assert rule_set(kinds(render(), "ClusterRole")) == deploy_rules()


def test_without_optional_permissions_exactly_the_optional_rules_go(render):
    docs = render({"rbac": {"optionalPermissions": False}, "replicaCount": 1})
    assert kinds(docs, "Role") == [], "no Lease rights: one replica, not leader-elected"
    assert rule_set(kinds(docs, "ClusterRole")) == deploy_rules() - OPTIONAL_RULES
    assert check.rbac_problems(docs) == []
    # The one consistency finding left is the one the value is documented to cause.
    assert [p for p in check.install_problems(docs) if "RBAC" not in p] == [
        "consistency: no ClusterRoleBinding to omjob-operator-nodes: node-loss detection needs it in every mode"]


def test_another_release_name_binds_its_own_service_account(render):
    docs = render({"watchNamespaces": ["team-a"]}, name="pipelines", namespace="ops")
    account = kinds(docs, "ServiceAccount")[0]["metadata"]
    assert (account["name"], account["namespace"]) == ("pipelines-omjob-operator", "ops")
    assert check.rbac_problems(docs, "ops", "pipelines-omjob-operator") == []
    deployment = kinds(docs, "Deployment")[0]
    assert deployment["spec"]["template"]["spec"]["serviceAccountName"] == "pipelines-omjob-operator"


def test_monitoring_objects_select_the_operator(render):
    docs = render(VARIANTS["monitoring"])
    pod_labels = kinds(docs, "Deployment")[0]["spec"]["template"]["metadata"]["labels"]
    service = kinds(docs, "Service")[0]
    monitor = kinds(docs, "ServiceMonitor")[0]["spec"]
    assert monitor["endpoints"][0]["port"] == "http-metrics"
    assert all(service["metadata"]["labels"].get(k) == v for k, v in monitor["selector"]["matchLabels"].items())
    for kind in ("PodDisruptionBudget", "NetworkPolicy"):
        selector = kinds(docs, kind)[0]["spec"].get("selector") or kinds(docs, kind)[0]["spec"]["podSelector"]
        assert all(pod_labels.get(k) == v for k, v in selector["matchLabels"].items()), kind
    rules = yaml.safe_load((ROOT / "deploy/monitoring/omjob-operator.rules.yaml").read_text())
    assert kinds(docs, "PrometheusRule")[0]["spec"] == rules


def test_alert_rules_name_the_scrape_job_of_the_release(render):
    docs = render({"metrics": {"prometheusRule": {"enabled": True}}}, name="pipelines")
    rule = next(r for g in kinds(docs, "PrometheusRule")[0]["spec"]["groups"] for r in g["rules"] if r["alert"] == "OMJobOperatorDown")
    service = kinds(docs, "Service")[0]["metadata"]["name"]
    assert service == "pipelines-omjob-operator-metrics"
    assert rule["expr"] == f'up{{job="{service}"}} == 0 or absent(up{{job="{service}"}})'


def test_optional_objects_are_off_by_default(render):
    """Monitoring and the NetworkPolicy are off; the PodDisruptionBudget of the two replicas is on."""
    assert {d["kind"] for d in render()} == {
        "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service",
        "PodDisruptionBudget"}


def test_two_replicas_without_a_budget_fail_the_manifest_checks(render):
    found = check.install_problems(render({"podDisruptionBudget": {"enabled": False}}))
    assert found == ["consistency: Deployment omjob-operator has 2 replicas but no PodDisruptionBudget selects its pods: "
                     "a drain may evict every replica at once"], found


def test_extra_env_reaches_the_container(render):
    docs = render({"extraEnv": {"OMJOB_NODE_LOST_THRESHOLD_SECONDS": "300"}, "logLevel": "DEBUG"})
    env = {e["name"]: e.get("value") for e in kinds(docs, "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["OMJOB_NODE_LOST_THRESHOLD_SECONDS"] == "300" and env["LOG_LEVEL"] == "DEBUG"


def test_leader_election_and_shard_values_reach_the_container(render):
    docs = render({"leaderElection": {"mode": "false", "leaseDurationMs": 3600000, "renewDeadlineMs": 8000,
                                      "retryPeriodMs": 1000},
                   "shard": "metadata", "shardSelector": "app.kubernetes.io/pipeline-type=metadata"})
    env = {e["name"]: e.get("value") for e in kinds(docs, "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert {k: env[k] for k in ("LEADER_ELECTION", "LEADER_ELECTION_LEASE_DURATION_MS", "LEADER_ELECTION_RENEW_DEADLINE_MS",
                                "LEADER_ELECTION_RETRY_PERIOD_MS", "SHARD", "OMJOB_SHARD_SELECTOR")} == {
        "LEADER_ELECTION": "false", "LEADER_ELECTION_LEASE_DURATION_MS": "3600000",
        "LEADER_ELECTION_RENEW_DEADLINE_MS": "8000", "LEADER_ELECTION_RETRY_PERIOD_MS": "1000",
        "SHARD": "metadata", "OMJOB_SHARD_SELECTOR": "app.kubernetes.io/pipeline-type=metadata"}
    defaults = render()
    env = {e["name"]: e.get("value") for e in kinds(defaults, "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert (env["LEADER_ELECTION"], env["LEADER_ELECTION_LEASE_DURATION_MS"], env["LEADER_ELECTION_RENEW_DEADLINE_MS"],
            env["LEADER_ELECTION_RETRY_PERIOD_MS"]) == ("auto", "15000", "10000", "2000")
    assert "SHARD" not in env and "OMJOB_SHARD_SELECTOR" not in env


def test_two_shard_releases_share_no_object(render):
    """docs/helm.md's two shards: releases in one namespace, with no object name in common."""
    shards = [render({"shard": "metadata", "shardSelector": "app.kubernetes.io/pipeline-type=metadata"}, name="omjob-metadata"),
              render({"shard": "others", "shardSelector": "app.kubernetes.io/pipeline-type!=metadata"}, name="omjob-others")]
    names = [{(d["kind"], d["metadata"].get("namespace"), d["metadata"]["name"]) for d in docs} for docs in shards]
    assert names[0] & names[1] == set()
    for docs, release in zip(shards, ("omjob-metadata", "omjob-others")):
        assert check.rbac_problems(docs, NAMESPACE, f"{release}-omjob-operator") == []
    selectors = [kinds(docs, "Deployment")[0]["spec"]["selector"]["matchLabels"] for docs in shards]
    assert selectors[0] != selectors[1]


def test_the_replicas_prefer_different_nodes_unless_affinity_is_set(render):
    pod = kinds(render(), "Deployment")[0]["spec"]["template"]
    terms = pod["spec"]["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert [t["podAffinityTerm"]["topologyKey"] for t in terms] == ["kubernetes.io/hostname"]
    selector = terms[0]["podAffinityTerm"]["labelSelector"]["matchLabels"]
    assert selector and all(pod["metadata"]["labels"].get(k) == v for k, v in selector.items()), selector
    own = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "pool", "operator": "In", "values": ["ops"]}]}]}}}
    assert kinds(render({"affinity": own}), "Deployment")[0]["spec"]["template"]["spec"]["affinity"] == own


@pytest.mark.parametrize("values, message", [
    ({"executor": {"workers": "two"}}, "at '/executor/workers': got string, want integer"),
    ({"shard": "Metadata"}, "at '/shard'"),
    ({"leaderElection": {"mode": "yes"}}, "at '/leaderElection/mode'"),
    ({"leaderElection": {"retryPeriodMs": 10}}, "at '/leaderElection/retryPeriodMs': minimum: got 10, want 50"),
    ({"extraEnv": {"SHARD": "x"}}, "invalid propertyName 'SHARD'"),
    ({"replicaCount": 0}, "at '/replicaCount': minimum: got 0, want 1"),
    ({"watchNamespaces": "openmetadata"}, "at '/watchNamespaces': got string, want array"),
    ({"watchNamespaces": ["Bad_Name"]}, "at '/watchNamespaces/0'"),
    ({"logLevel": "verbose"}, "at '/logLevel'"),
    ({"extraEnv": {"WATCH_NAMESPACES": "x"}}, "invalid propertyName 'WATCH_NAMESPACES'"),
    ({"extraEnv": {"OMJOB_NODE_LOST_THRESHOLD_SECONDS": 300}}, "got number, want string"),
    ({"imagePullSecret": []}, "additional properties 'imagePullSecret' not allowed"),
])
def test_a_value_that_breaks_the_schema_fails_with_helms_message(chart, values, message):
    sdk = helm()
    with pytest.raises(sdk.HelmValuesError) as rendering:
        chart.render(values, name=RELEASE, namespace=NAMESPACE)
    assert message in str(rendering.value)
    with pytest.raises(sdk.HelmValuesError):
        chart.validate_schema(values)
    report = sdk.lint(CHART, values, namespace=NAMESPACE)
    assert any(message in m["error"] for m in report["messages"] if m["severity"] == 3), report


def test_every_value_is_typed_and_described():
    schema = json.loads((CHART / "values.schema.json").read_text())

    def walk(node, path):
        for key, prop in (node.get("properties") or {}).items():
            where = f"{path}.{key}".lstrip(".")
            assert prop.get("type"), f"{where} has no type"
            assert prop.get("description", "").strip(), f"{where} has no description"
            walk(prop, where)
    walk(schema, "")
    assert schema.get("additionalProperties") is False


def test_the_defaults_pass_the_schema(chart):
    chart.validate_schema(chart.values)


def test_crds_are_identical_to_deploy():
    for name in ("omjob.yaml", "cronomjob.yaml"):
        assert (CHART / "crds" / name).read_bytes() == (ROOT / "deploy/crds" / name).read_bytes(), (
            f"charts/omjob-operator/crds/{name} differs from deploy/crds/{name}: run python3 deploy/crds/generate.py")


def test_helm_loads_both_crds(chart):
    names = sorted(yaml.safe_load(c["data"])["metadata"]["name"] for c in chart.crds)
    assert names == ["cronomjobs.pipelines.openmetadata.org", "omjobs.pipelines.openmetadata.org"]


def test_rules_copy_is_identical_to_deploy_monitoring():
    assert (CHART / "files/omjob-operator.rules.yaml").read_bytes() == (
        ROOT / "deploy/monitoring/omjob-operator.rules.yaml").read_bytes(), (
        "cp deploy/monitoring/omjob-operator.rules.yaml charts/omjob-operator/files/")


def test_notes_name_the_first_commands(chart):
    notes = chart.render({"watchNamespaces": WATCHED}, name=RELEASE, namespace=NAMESPACE)["omjob-operator/templates/NOTES.txt"]
    assert "kubectl -n omjob-system rollout status deployment/omjob-operator" in notes
    assert "kubectl delete omjobs,cronomjobs --all -n <each watched namespace> --wait=true" in notes
    assert "kubectl -n omjob-system delete lease -l app.kubernetes.io/managed-by=omjob-operator" in notes


def test_package_holds_the_crds_and_schema(tmp_path):
    archive = helm().package(CHART, destination=tmp_path)
    with helm().Chart.load(archive) as packaged:
        assert packaged.schema is not None and len(packaged.crds) == 2 and packaged.version == "0.1.0"


def test_docs_values_table_is_current():
    assert values_table.block() in values_table.DOC.read_text(), (
        "docs/helm.md's values table is stale: python3 tests/helm/values_table.py --write")
