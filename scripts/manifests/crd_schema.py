"""Checks custom resources against their CRD's structural schema, offline.

An API server prunes every field its CRD does not declare, silently. So a schema that
forgets a field OpenMetadata sends loses data without an error. This module turns a CRD
version's openAPIV3Schema into a JSON Schema in which every undeclared field is an error
("would be pruned"), then validates with the `jsonschema` library.

What it cannot check offline: CEL rules (x-kubernetes-validations) and defaulting; kubesim
and a real API server do (scripts/validate-manifests.sh applies the examples there too).
"""
import jsonschema

# Kubernetes-only keywords that JSON Schema would ignore or misread.
_KUBERNETES_KEYWORDS = {
    "x-kubernetes-validations", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type", "x-kubernetes-embedded-resource", "default", "nullable",
}


def to_json_schema(schema, root=True):
    """A JSON Schema that rejects what the API server would prune or reject."""
    if not isinstance(schema, dict):
        return schema
    out = {k: v for k, v in schema.items() if k not in _KUBERNETES_KEYWORDS}
    if out.pop("x-kubernetes-int-or-string", False):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    preserve = out.pop("x-kubernetes-preserve-unknown-fields", False)
    if "properties" in out:
        out["properties"] = {k: to_json_schema(v, False) for k, v in out["properties"].items()}
    if isinstance(out.get("additionalProperties"), dict):
        out["additionalProperties"] = to_json_schema(out["additionalProperties"], False)
    if "items" in out:
        out["items"] = to_json_schema(out["items"], False)
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema and isinstance(schema[key], list):
            out[key] = [to_json_schema(s, False) for s in schema[key]]
    if schema.get("type") == "object" and not preserve and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if root:
        # apiVersion, kind and metadata are the API server's, whatever the schema says.
        out.setdefault("properties", {})
        for field in ("apiVersion", "kind", "metadata"):
            out["properties"].setdefault(field, {})
        if schema.get("type") == "object":
            out["properties"]["metadata"] = {"type": "object"}
    return out


def served_schemas(crd):
    """{(group, version, kind): JSON Schema} for every served version of a CRD object."""
    spec = crd["spec"]
    out = {}
    for version in spec["versions"]:
        if version.get("served", True):
            schema = version["schema"]["openAPIV3Schema"]
            out[(spec["group"], version["name"], spec["names"]["kind"])] = to_json_schema(schema)
    return out


def errors(resource, schemas):
    """Readable problems with one custom resource; empty when the API server would keep it whole."""
    group, _, version = resource.get("apiVersion", "").rpartition("/")
    key = (group, version, resource.get("kind"))
    if key not in schemas:
        return [f"no CRD serves {resource.get('apiVersion')} {resource.get('kind')}"]
    validator = jsonschema.Draft4Validator(schemas[key])
    found = []
    for error in sorted(validator.iter_errors(resource), key=lambda e: list(e.absolute_path)):
        path = ".".join(str(p) for p in error.absolute_path) or "(root)"
        if error.validator == "additionalProperties" and error.validator_value is False:
            found.append(f"{path}: would be PRUNED by the API server: {error.message}")
        else:
            found.append(f"{path}: {error.message}")
    return found
