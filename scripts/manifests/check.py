"""Entry point of the manifest checks that kubernetes-validate does not do.

  check.py installs [--for-1.20 NAME]... [NAME=]FILE...
                                            each FILE a rendered kustomization: restricted Pod
                                            Security Standard, least-privilege RBAC, consistency;
                                            several replicas need a PodDisruptionBudget, except
                                            in the installs named --for-1.20 (no policy/v1 there)
  check.py rbac --subject NS/NAME [NAME=]FILE...
                                            RBAC only (an add-on without a Deployment), bound
                                            to that ServiceAccount
  check.py resources --crds DIR FILE...     custom resources against the CRDs in DIR: nothing
                                            pruned, nothing rejected
  check.py shards [NAME=]FILE...            a rendered install of several shards: distinct
                                            selectors, Leases and pods; RBAC as for an install

Prints one line per problem, prefixed with the file and the rule, and exits 1 if any.
"""
import argparse
import pathlib
import sys

import yaml

import crd_schema
import install_consistency
import pss_restricted
import rbac_policy


def load(path):
    return [d for d in yaml.safe_load_all(pathlib.Path(path).read_text()) if d]


def rbac_problems(docs, namespace="omjob-system", service_account="omjob-operator"):
    """Least-privilege problems of every Role, ClusterRole and binding in docs."""
    problems = []
    for obj in docs:
        if obj["kind"] in ("Role", "ClusterRole"):
            problems += [f"RBAC: {p}" for p in rbac_policy.role_problems(obj)]
        if obj["kind"] in ("RoleBinding", "ClusterRoleBinding"):
            problems += [f"RBAC: {p}" for p in rbac_policy.binding_problems(obj, service_account, namespace)]
    return problems


def install_problems(docs, policy_v1=True):
    """Every problem of one rendered install, as 'rule: detail' strings; policy_v1 False for an
    install that must stay valid on Kubernetes 1.20."""
    problems = rbac_problems(docs)
    for obj in docs:
        for pod, annotations in pss_restricted.pod_templates(obj):
            for rule, detail in pss_restricted.violations(pod, annotations):
                problems.append(f"PSS restricted '{rule}' ({obj['kind']} {obj['metadata']['name']}): {detail}")
    for check in (install_consistency.pod_problems, install_consistency.service_problems,
                  install_consistency.scope_problems):
        problems += [f"consistency: {p}" for p in check(docs)]
    problems += [f"consistency: {p}" for p in install_consistency.disruption_budget_problems(docs, policy_v1)]
    return problems


def resource_problems(crd_dir, paths):
    """{path: problems} for custom resources checked against every CRD in crd_dir."""
    schemas = {}
    for crd_file in sorted(pathlib.Path(crd_dir).glob("*.yaml")):
        for doc in load(crd_file):
            if doc.get("kind") == "CustomResourceDefinition":
                schemas.update(crd_schema.served_schemas(doc))
    if not schemas:
        return {crd_dir: [f"no CustomResourceDefinition found in {crd_dir}"]}
    found = {}
    for path in paths:
        for doc in load(path):
            name = f"{doc.get('kind')} {doc.get('metadata', {}).get('name')}"
            found.setdefault(path, []).extend(f"{name}: {p}" for p in crd_schema.errors(doc, schemas))
    return found


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    installs = sub.add_parser("installs")
    installs.add_argument("--for-1.20", dest="for_1_20", action="append", default=[], metavar="NAME")
    installs.add_argument("files", nargs="+")
    sub.add_parser("shards").add_argument("files", nargs="+")
    rbac = sub.add_parser("rbac")
    rbac.add_argument("--subject", required=True)
    rbac.add_argument("files", nargs="+")
    resources = sub.add_parser("resources")
    resources.add_argument("--crds", required=True)
    resources.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    if args.command in ("installs", "rbac", "shards"):
        named = [arg.split("=", 1) if "=" in arg else (arg, arg) for arg in args.files]
        if args.command == "installs":
            unknown = set(args.for_1_20) - {name for name, _ in named}
            if unknown:
                parser.error(f"--for-1.20 names no install given: {sorted(unknown)}")
            report = {name: install_problems(load(path), name not in args.for_1_20) for name, path in named}
        elif args.command == "shards":
            report = {name: rbac_problems(load(path)) + [f"shards: {p}" for p in install_consistency.shard_problems(load(path))
                                                         + install_consistency.disruption_budget_problems(load(path))]
                      for name, path in named}
        else:
            namespace, _, account = args.subject.partition("/")
            report = {name: rbac_problems(load(path), namespace, account) for name, path in named}
    else:
        report = resource_problems(args.crds, args.files)
    failed = False
    for path, problems in report.items():
        for problem in problems:
            print(f"FAIL {path}: {problem}")
        failed |= bool(problems)
        if not problems:
            print(f"ok   {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
