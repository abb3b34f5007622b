"""The cross-object checks pass the shipped install and catch each broken link."""
import pathlib
import unittest

import yaml

import install_consistency

DEPLOY = pathlib.Path(__file__).resolve().parents[2] / "deploy"
FILES = ["base/deployment.yaml", "base/service.yaml", "rbac/nodes/clusterrole.yaml", "base/nodes-binding.yaml",
         "rbac/namespaced/clusterrole.yaml", "overlays/all-namespaces/clusterrolebinding.yaml",
         "base/leader-election.yaml", "pdb/pdb.yaml"]


def all_namespaces_install():
    docs = []
    for name in FILES:
        docs += [d for d in yaml.safe_load_all((DEPLOY / name).read_text()) if d]
    # base/'s kustomization puts the Deployment in the operator's namespace.
    next(d for d in docs if d["kind"] == "Deployment")["metadata"].setdefault("namespace", "omjob-system")
    return docs


def container(docs):
    return install_consistency.operator_container(docs)[1]


def env(docs, name):
    return next(e for e in container(docs)["env"] if e["name"] == name)


def problems(docs):
    return (install_consistency.pod_problems(docs) + install_consistency.service_problems(docs)
            + install_consistency.scope_problems(docs) + install_consistency.disruption_budget_problems(docs))


def budget(docs):
    return next(d for d in docs if d["kind"] == "PodDisruptionBudget")


def drop_budget(docs):
    docs.remove(budget(docs))


def watch(docs, value):
    env(docs, "WATCH_NAMESPACES")["value"] = value


def bind_in(docs, namespace):
    docs.append({"kind": "RoleBinding", "metadata": {"name": "omjob-operator", "namespace": namespace},
                 "roleRef": {"kind": "ClusterRole", "name": "omjob-operator"}})


def drop_cluster_binding(docs):
    docs[:] = [d for d in docs if not (d["kind"] == "ClusterRoleBinding" and d["metadata"]["name"] == "omjob-operator")]


# (what breaks, how, a word the problem must contain)
BREAKAGES = [
    ("port moved", lambda d: env(d, "HEALTH_CHECK_PORT").update(value="9090"), "HEALTH_CHECK_PORT"),
    ("readiness on /health", lambda d: container(d)["readinessProbe"]["httpGet"].update(path="/health"), "readinessProbe"),
    ("no liveness", lambda d: container(d).pop("livenessProbe"), "livenessProbe"),
    ("run dir unmounted", lambda d: env(d, "OMJOB_RUN_DIR").update(value="/var/run/omjob"), "OMJOB_RUN_DIR"),
    ("writable root", lambda d: container(d)["securityContext"].update(readOnlyRootFilesystem=False), "readOnlyRootFilesystem"),
    ("no memory limit", lambda d: container(d)["resources"]["limits"].pop("memory"), "limits.memory"),
    ("namespace not from fieldRef", lambda d: env(d, "OPERATOR_NAMESPACE").update(valueFrom={}), "OPERATOR_NAMESPACE"),
    ("replicas without Lease rights", lambda d: d.remove(next(x for x in d if x["kind"] == "RoleBinding" and "leader" in x["metadata"]["name"])), "Lease"),
    ("pod name not from fieldRef", lambda d: env(d, "POD_NAME").update(valueFrom={}), "POD_NAME"),
    ("service selector", lambda d: next(x for x in d if x["kind"] == "Service")["spec"]["selector"].update(app="x"), "selector"),
    ("list but cluster-wide", lambda d: watch(d, "team-a"), "cluster-wide"),
    ("list without binding", lambda d: (watch(d, "team-a,team-b"), drop_cluster_binding(d), bind_in(d, "team-a")), "team-b"),
    ("all but unbound", lambda d: drop_cluster_binding(d), "no ClusterRoleBinding grants"),
    ("replicas without a budget", drop_budget, "no PodDisruptionBudget selects"),
    ("budget on other pods", lambda d: budget(d)["spec"]["selector"]["matchLabels"].update({"app.kubernetes.io/name": "x"}), "no PodDisruptionBudget selects"),
    ("budget in another namespace", lambda d: budget(d)["metadata"].update(namespace="default"), "no PodDisruptionBudget selects"),
    ("budget keeps both", lambda d: budget(d)["spec"].update(minAvailable=2), "drain never ends"),
    ("budget evicts none", lambda d: (budget(d)["spec"].pop("minAvailable"), budget(d)["spec"].update(maxUnavailable=0)), "drain never ends"),
    ("no node reads", lambda d: d.remove(next(x for x in d if x["metadata"]["name"] == "omjob-operator-nodes" and x["kind"] == "ClusterRoleBinding")), "node-loss"),
]


class InstallConsistencyTests(unittest.TestCase):
    def test_shipped_install_passes(self):
        self.assertEqual(problems(all_namespaces_install()), [])

    def test_namespace_list_with_matching_bindings_passes(self):
        docs = all_namespaces_install()
        watch(docs, "team-a, team-b")
        drop_cluster_binding(docs)
        bind_in(docs, "team-a")
        bind_in(docs, "team-b")
        self.assertEqual(problems(docs), [])

    def test_one_replica_needs_no_budget(self):
        docs = all_namespaces_install()
        drop_budget(docs)
        next(d for d in docs if d["kind"] == "Deployment")["spec"]["replicas"] = 1
        self.assertEqual(install_consistency.disruption_budget_problems(docs), [])

    def test_an_install_for_1_20_needs_no_budget_and_holds_no_policy_v1(self):
        docs = all_namespaces_install()
        self.assertEqual(install_consistency.disruption_budget_problems(docs, policy_v1=False),
                         ["PodDisruptionBudget omjob-operator is policy/v1, which Kubernetes 1.20 does not serve"])
        drop_budget(docs)
        self.assertEqual(install_consistency.disruption_budget_problems(docs, policy_v1=False), [])
        self.assertIn("2 replicas but no PodDisruptionBudget", install_consistency.disruption_budget_problems(docs)[0])

    def test_each_breakage_is_named(self):
        for what, breaks, word in BREAKAGES:
            with self.subTest(what):
                docs = all_namespaces_install()
                breaks(docs)
                found = problems(docs)
                self.assertTrue(any(word in p for p in found), found)


def two_shards():
    """Two operator Deployments over the all-namespaces install, split on one label."""
    import copy
    docs = all_namespaces_install()
    first = next(d for d in docs if d["kind"] == "Deployment")
    second = copy.deepcopy(first)
    second["metadata"]["name"] = "omjob-operator-others"
    service = copy.deepcopy(next(d for d in docs if d["kind"] == "Service"))
    service["metadata"]["name"] = "omjob-operator-metrics-others"
    for deployment, shard, selector, svc in ((first, "metadata", "pipeline-type=metadata", next(d for d in docs if d["kind"] == "Service")),
                                             (second, "others", "pipeline-type!=metadata", service)):
        deployment["spec"]["template"]["spec"]["containers"][0]["env"] += [
            {"name": "SHARD", "value": shard}, {"name": "OMJOB_SHARD_SELECTOR", "value": selector}]
        instance = {"app.kubernetes.io/instance": f"omjob-operator-{shard}"}
        deployment["spec"]["selector"]["matchLabels"].update(instance)
        deployment["spec"]["template"]["metadata"]["labels"].update(instance)
        svc["spec"]["selector"].update(instance)
    budget_others = copy.deepcopy(budget(docs))
    budget_others["metadata"]["name"] = "omjob-operator-others"
    for pdb, shard in ((budget(docs), "metadata"), (budget_others, "others")):
        pdb["spec"]["selector"]["matchLabels"]["app.kubernetes.io/instance"] = f"omjob-operator-{shard}"
    docs += [second, service, budget_others,
             {"kind": "ServiceAccount", "metadata": {"name": "omjob-operator", "namespace": "omjob-system"}}]
    return docs, first, second


def shard_env(deployment, name):
    return next(e for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"] if e["name"] == name)


class ShardTests(unittest.TestCase):
    def test_two_disjoint_shards_pass(self):
        docs, _, _ = two_shards()
        self.assertEqual(install_consistency.shard_problems(docs), [])

    def test_each_breakage_is_named(self):
        breakages = [
            ("same selector", lambda f, s: shard_env(s, "OMJOB_SHARD_SELECTOR").update(value="pipeline-type=metadata"), "share OMJOB_SHARD_SELECTOR"),
            ("same Lease", lambda f, s: shard_env(s, "SHARD").update(value="metadata"), "share SHARD"),
            ("no selector", lambda f, s: shard_env(f, "OMJOB_SHARD_SELECTOR").update(value=""), "sets no OMJOB_SHARD_SELECTOR"),
            ("same pods", lambda f, s: s["spec"]["selector"].update(matchLabels=dict(f["spec"]["selector"]["matchLabels"])), "share pod selector"),
            ("unknown account", lambda f, s: s["spec"]["template"]["spec"].update(serviceAccountName="ghost"), "ghost"),
        ]
        for what, breaks, words in breakages:
            with self.subTest(what):
                docs, first, second = two_shards()
                breaks(first, second)
                found = install_consistency.shard_problems(docs)
                self.assertTrue(any(words in p for p in found), found)

    def test_each_shard_needs_its_own_budget(self):
        docs, _, _ = two_shards()
        self.assertEqual(install_consistency.disruption_budget_problems(docs), [])
        docs.remove(next(d for d in docs if d["kind"] == "PodDisruptionBudget" and d["metadata"]["name"].endswith("-others")))
        found = install_consistency.disruption_budget_problems(docs)
        self.assertEqual(len(found), 1, found)
        self.assertIn("Deployment omjob-operator-others has 2 replicas but no PodDisruptionBudget", found[0])

    def test_one_deployment_is_not_a_sharded_install(self):
        self.assertIn("found 1", install_consistency.shard_problems(all_namespaces_install())[0])


if __name__ == "__main__":
    unittest.main()
