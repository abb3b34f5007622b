#!/usr/bin/env python3
"""The CRDs and RBAC of OpenMetadata's own chart, rendered by Helm, shaped for DropInMatrix.

    python3 scripts/openmetadata-chart-manifests.py CHART_DIR OUT_DIR

CHART_DIR is the `openmetadata` chart of open-metadata/openmetadata-helm-charts (charts/openmetadata,
a checkout: CI has no network to fetch it). The chart is rendered with Helm v4's SDK
(helm-python-sdk, scripts/requirements-test.txt) with `omjobOperator.enabled=true` and
`omjobOperator.env.watchNamespaces=ALL` (the scenarios use a namespace each), and OUT_DIR receives
`crds.yaml` (the chart's CRDs as rendered) and `rbac.yaml` (its ServiceAccount, ClusterRoles and
bindings as rendered, with one change: the names the tests use, the ServiceAccount
`omjob-system/omjob-operator` they authenticate as and the two ClusterRoles and bindings they
edit). Copying both over tests/openmetadata-chart/ in a scratch checkout and running
`swift test --filter DropInMatrix` runs every install of the matrix under the chart itself.
"""
import pathlib
import sys

import yaml

NAMES = {"omjob-operator": "openmetadata-chart-omjob-operator",
         "omjob-operator-resources": "openmetadata-chart-omjob-operator-pipelines"}


def main(chart_dir, out_dir):
    import helm_python
    values = {"omjobOperator": {"enabled": True, "env": {"watchNamespaces": "ALL"}}}
    with helm_python.Chart.load(chart_dir) as chart:
        rendered = chart.render(values, name="openmetadata", namespace="omjob-system")
    crds, rbac = [], []
    for template, text in sorted(rendered.items()):
        for doc in (d for d in yaml.safe_load_all(text) if isinstance(d, dict) and "kind" in d):
            if doc["kind"] == "CustomResourceDefinition":
                crds.append(doc)
            elif doc["kind"] in ("ServiceAccount", "ClusterRole", "ClusterRoleBinding") and "omjob" in template:
                rbac.append(doc)
    if len(crds) != 2 or not rbac:
        sys.exit(f"openmetadata-chart-manifests: expected 2 CRDs and the operator's RBAC in {chart_dir}")
    prefix = "openmetadata-"
    for doc in rbac:
        name = doc["metadata"]["name"].removeprefix(prefix)
        doc["metadata"]["name"] = "omjob-operator" if doc["kind"] == "ServiceAccount" else NAMES.get(name, name)
        if doc["kind"] == "ClusterRoleBinding":
            role = doc["roleRef"]["name"].removeprefix(prefix)
            doc["roleRef"]["name"] = NAMES.get(role, role)
            for subject in doc.get("subjects") or []:
                if subject.get("kind") == "ServiceAccount":
                    subject["name"] = "omjob-operator"
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "omjob-system"}}
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "crds.yaml").write_text(yaml.safe_dump_all(crds))
    (out / "rbac.yaml").write_text(yaml.safe_dump_all([namespace] + rbac))
    print(f"{out}/crds.yaml: {[d['metadata']['name'] for d in crds]}")
    print(f"{out}/rbac.yaml: {[(d['kind'], d['metadata']['name']) for d in rbac]}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
