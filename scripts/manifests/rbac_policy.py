"""Least privilege, mechanised: the rules the operator's RBAC must never break.

docs/deploy.md says why the operator holds each right it has; these checks make sure a later
edit cannot quietly widen them (a wildcard, secrets, a verb the operator never uses).
"""

# Resources the operator must never be able to read or change: it copies references to
# secrets and configmaps into pods and never needs their contents.
FORBIDDEN_RESOURCES = {"secrets", "configmaps", "serviceaccounts/token", "pods/exec", "pods/attach",
                       "pods/portforward", "roles", "rolebindings", "clusterroles", "clusterrolebindings"}
# Verbs that escalate: granting them would let the operator give itself more.
FORBIDDEN_VERBS = {"escalate", "bind", "impersonate", "deletecollection", "*"}
# The most each resource may get (what the operator's processes call).
ALLOWED_VERBS = {
    ("pipelines.openmetadata.org", "omjobs"): {"get", "list", "watch", "create", "patch", "delete"},
    ("pipelines.openmetadata.org", "omjobs/status"): {"get", "patch", "update"},
    ("pipelines.openmetadata.org", "cronomjobs"): {"get", "list", "watch"},
    ("pipelines.openmetadata.org", "cronomjobs/status"): {"get", "patch", "update"},
    ("", "pods"): {"get", "list", "watch", "create", "patch", "delete"},
    ("", "events"): {"create", "patch"},
    ("", "nodes"): {"get", "list", "watch"},
    # Leader election, in the operator's own namespace only (see NAMESPACE_ONLY).
    ("coordination.k8s.io", "leases"): {"get", "create", "update"},
}
# Granted only by a Role: a ClusterRole (even bound per namespace) would be the wrong shape.
NAMESPACE_ONLY = {("coordination.k8s.io", "leases")}


def role_problems(role):
    """Problems with one Role or ClusterRole."""
    name = f"{role['kind']} {role['metadata']['name']}"
    problems = []
    for index, rule in enumerate(role.get("rules") or []):
        where = f"{name} rule {index}"
        if "nonResourceURLs" in rule:
            problems.append(f"{where}: grants nonResourceURLs")
        if rule.get("resourceNames") is None and not rule.get("resources"):
            problems.append(f"{where}: names no resources")
        for field in ("apiGroups", "resources", "verbs"):
            if "*" in (rule.get(field) or []):
                problems.append(f"{where}: wildcard in {field}")
        for verb in set(rule.get("verbs") or []) & FORBIDDEN_VERBS:
            problems.append(f"{where}: forbidden verb {verb}")
        for group in rule.get("apiGroups") or []:
            for resource in rule.get("resources") or []:
                problems += _resource_problems(where, group, resource, set(rule.get("verbs") or []))
                if (group, resource) in NAMESPACE_ONLY and role["kind"] != "Role":
                    problems.append(f"{where}: {group}/{resource} only in a Role in the operator's namespace")
    return problems


def _resource_problems(where, group, resource, verbs):
    if resource in FORBIDDEN_RESOURCES:
        return [f"{where}: grants {resource}, which the operator never needs"]
    allowed = ALLOWED_VERBS.get((group, resource))
    if allowed is None:
        return [f"{where}: grants {group or 'core'}/{resource}, which the operator does not use"]
    extra = verbs - allowed
    return [f"{where}: {group or 'core'}/{resource} verbs {sorted(extra)} beyond {sorted(allowed)}"] if extra else []


def binding_problems(binding, service_account, namespace):
    """A binding must name only the operator's own ServiceAccount."""
    name = f"{binding['kind']} {binding['metadata']['name']}"
    problems = []
    for subject in binding.get("subjects") or []:
        if (subject.get("kind"), subject.get("name"), subject.get("namespace")) != (
                "ServiceAccount", service_account, namespace):
            problems.append(f"{name}: subject {subject} is not ServiceAccount {namespace}/{service_account}")
    return problems
