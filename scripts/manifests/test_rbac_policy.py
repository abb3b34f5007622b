"""The RBAC lint accepts the shipped rules and names each way of widening them."""
import pathlib
import unittest

import yaml

import rbac_policy

DEPLOY = pathlib.Path(__file__).resolve().parents[2] / "deploy"


def shipped_roles():
    docs = list(yaml.safe_load_all((DEPLOY / "rbac/namespaced/clusterrole.yaml").read_text()))
    docs += list(yaml.safe_load_all((DEPLOY / "rbac/nodes/clusterrole.yaml").read_text()))
    return [d for d in docs if d["kind"] == "ClusterRole"]


def role_with(rule):
    return {"kind": "Role", "metadata": {"name": "test"}, "rules": [rule]}


# (what widens, the rule, a word the problem must contain)
WIDENINGS = [
    ("secrets", {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}, "secrets"),
    ("configmaps", {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["list"]}, "configmaps"),
    ("wildcard verbs", {"apiGroups": [""], "resources": ["pods"], "verbs": ["*"]}, "wildcard"),
    ("wildcard group", {"apiGroups": ["*"], "resources": ["pods"], "verbs": ["get"]}, "wildcard"),
    ("pod update", {"apiGroups": [""], "resources": ["pods"], "verbs": ["update"]}, "beyond"),
    ("pods/exec", {"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]}, "pods/exec"),
    ("unused resource", {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get"]}, "does not use"),
    ("escalate", {"apiGroups": [""], "resources": ["pods"], "verbs": ["escalate"]}, "forbidden verb"),
    ("non-resource", {"nonResourceURLs": ["/metrics"], "verbs": ["get"]}, "nonResourceURLs"),
    ("cron writes", {"apiGroups": ["pipelines.openmetadata.org"], "resources": ["cronomjobs"], "verbs": ["delete"]}, "beyond"),
]


class RBACPolicyTests(unittest.TestCase):
    def test_shipped_roles_pass(self):
        roles = shipped_roles()
        self.assertEqual(len(roles), 2)
        for role in roles:
            self.assertEqual(rbac_policy.role_problems(role), [], role["metadata"]["name"])

    def test_each_widening_is_named(self):
        for what, rule, word in WIDENINGS:
            with self.subTest(what):
                problems = rbac_policy.role_problems(role_with(rule))
                self.assertTrue(any(word in p for p in problems), problems)

    def test_leases_only_in_a_role(self):
        shipped = [d for d in yaml.safe_load_all((DEPLOY / "base/leader-election.yaml").read_text()) if d["kind"] == "Role"]
        self.assertEqual(len(shipped), 1)
        self.assertEqual(rbac_policy.role_problems(shipped[0]), [])
        cluster_wide = dict(shipped[0], kind="ClusterRole")
        self.assertTrue(any("only in a Role" in p for p in rbac_policy.role_problems(cluster_wide)))
        delete = role_with({"apiGroups": ["coordination.k8s.io"], "resources": ["leases"], "verbs": ["delete"]})
        self.assertTrue(any("beyond" in p for p in rbac_policy.role_problems(delete)))

    def test_binding_to_another_subject(self):
        binding = {"kind": "RoleBinding", "metadata": {"name": "b"},
                   "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "omjob-system"}]}
        self.assertEqual(len(rbac_policy.binding_problems(binding, "omjob-operator", "omjob-system")), 1)
        binding["subjects"][0]["name"] = "omjob-operator"
        self.assertEqual(rbac_policy.binding_problems(binding, "omjob-operator", "omjob-system"), [])


if __name__ == "__main__":
    unittest.main()
