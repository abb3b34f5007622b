"""Compares what was submitted with what the API server stored: every submitted field kept.

  stored_matches.py SUBMITTED.yaml STORED.json

STORED.json is `kubectl get -o json` of the same objects (a List). The server may add fields
(defaults, uid, status); it must not drop or change one that was sent. A dropped field is
what a CRD schema that prunes it does silently.
"""
import json
import sys

import yaml


def differences(sent, stored, path=""):
    """Paths under which `sent` is not contained in `stored`."""
    if isinstance(sent, dict):
        if not isinstance(stored, dict):
            return [f"{path or '(root)'}: sent an object, stored {json.dumps(stored)}"]
        found = []
        for key, value in sent.items():
            if key not in stored:
                found.append(f"{path}.{key}: PRUNED (sent {json.dumps(value)[:80]})")
            else:
                found += differences(value, stored[key], f"{path}.{key}")
        return found
    if isinstance(sent, list):
        if not isinstance(stored, list) or len(sent) != len(stored):
            return [f"{path}: sent {len(sent)} items, stored {json.dumps(stored)[:80]}"]
        return [d for i, (a, b) in enumerate(zip(sent, stored)) for d in differences(a, b, f"{path}[{i}]")]
    return [] if sent == stored else [f"{path}: sent {json.dumps(sent)}, stored {json.dumps(stored)}"]


def main(submitted_path, stored_path):
    stored = {(o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"]): o
              for o in json.load(open(stored_path))["items"]}
    failed = False
    for doc in (d for d in yaml.safe_load_all(open(submitted_path)) if d):
        meta = doc["metadata"]
        key = (doc["kind"], meta.get("namespace", "default"), meta["name"])
        if key not in stored:
            print(f"FAIL {'/'.join(map(str, key))}: not stored")
            failed = True
            continue
        found = differences({k: doc[k] for k in ("spec",) if k in doc}, stored[key])
        found += differences({"metadata": {k: meta[k] for k in ("labels", "annotations") if k in meta}}, stored[key])
        for problem in found:
            print(f"FAIL {'/'.join(map(str, key))}: {problem}")
        failed |= bool(found)
        if not found:
            print(f"ok   {'/'.join(map(str, key))}: every field kept")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
