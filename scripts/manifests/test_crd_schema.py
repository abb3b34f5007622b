"""The offline CRD check reports what an API server would prune or reject, and nothing else."""
import unittest

import crd_schema

CRD = {
    "kind": "CustomResourceDefinition",
    "spec": {
        "group": "example.org",
        "names": {"kind": "Run"},
        "versions": [{"name": "v1", "served": True, "schema": {"openAPIV3Schema": {
            "type": "object",
            "properties": {
                "spec": {"type": "object", "required": ["image"], "properties": {
                    "image": {"type": "string"},
                    "ttl": {"type": "integer", "default": 86400},
                    "policy": {"type": "string", "enum": ["Allow", "Forbid"]},
                    "securityContext": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                    "limits": {"type": "object", "additionalProperties": {"x-kubernetes-int-or-string": True}},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                }},
                "status": {"type": "object", "properties": {"phase": {"type": "string"}}},
            }}}}],
    },
}


def run(**spec):
    return {"apiVersion": "example.org/v1", "kind": "Run", "metadata": {"name": "r", "labels": {"a": "b"}},
            "spec": {"image": "busybox", **spec}}


class CRDSchemaTests(unittest.TestCase):
    def setUp(self):
        self.schemas = crd_schema.served_schemas(CRD)

    def test_kept_whole(self):
        resource = run(ttl=5, policy="Forbid", securityContext={"runAsUser": 1, "anything": {"x": 1}},
                       limits={"cpu": "500m", "memory": 1024}, labels={"k": "v"})
        self.assertEqual(crd_schema.errors(resource, self.schemas), [])

    def test_undeclared_field_would_be_pruned(self):
        found = crd_schema.errors(run(hostAliases=[]), self.schemas)
        self.assertEqual(len(found), 1)
        self.assertIn("PRUNED", found[0])
        self.assertIn("hostAliases", found[0])

    def test_undeclared_status_field_would_be_pruned(self):
        resource = run()
        resource["status"] = {"phase": "Running", "mainPodReason": "OOMKilled"}
        self.assertIn("mainPodReason", crd_schema.errors(resource, self.schemas)[0])

    def test_rejections(self):
        cases = [
            ("missing required", {"image": None}, "required"),
            ("wrong type", {"ttl": "5"}, "integer"),
            ("not in enum", {"policy": "Replace"}, "Replace"),
            ("map value type", {"labels": {"k": 1}}, "string"),
        ]
        for what, spec, word in cases:
            with self.subTest(what):
                resource = run(**spec)
                resource["spec"] = {k: v for k, v in resource["spec"].items() if v is not None}
                found = crd_schema.errors(resource, self.schemas)
                self.assertTrue(any(word in p for p in found), found)

    def test_unknown_kind_or_version(self):
        resource = run()
        resource["apiVersion"] = "example.org/v2"
        self.assertIn("no CRD serves", crd_schema.errors(resource, self.schemas)[0])


if __name__ == "__main__":
    unittest.main()
