#!/usr/bin/env python3
"""Renders examples/ for the real node (`scripts/sandbox.sh --real-node`): OpenMetadata's
ingestion image is not on the node, so the test image (busybox's `sh`, scripts/node/image) runs
the examples' own shell commands, never pulled. The real node has no OOM button as kubesim
does, so the OOM example's container really allocates past a 64 MiB memory limit instead of
sleeping, and the sandbox only waits for it.

Usage: sandbox_examples.py EXAMPLES_DIR OUT_DIR   (writes one JSON document per example)
"""
import json
import os
import subprocess
import sys

IMAGE = "localhost/omjob-test:1"
ACTION = "sandbox.omjob-operator/action"


def render(obj):
    spec = obj["spec"].get("omJobSpec", obj["spec"]) if obj["kind"] == "CronOMJob" else obj["spec"]
    for key in ("mainPodSpec", "exitHandlerSpec"):
        if key in spec:
            spec[key]["image"] = IMAGE
            spec[key]["imagePullPolicy"] = "Never"
    annotations = obj["metadata"].get("annotations", {})
    if annotations.get(ACTION) == "oom-kill-main-pod":
        main = spec["mainPodSpec"]
        main["resources"] = {"limits": {"memory": "64Mi"}}
        main["command"] = ["sh", "-c", "echo loading a huge table into memory; exec dd if=/dev/zero of=/dev/null bs=256M count=1"]
        annotations[ACTION] = "wait"
    return obj


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: sandbox_examples.py EXAMPLES_DIR OUT_DIR")
    source, out = sys.argv[1:]
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(source)):
        if not name.endswith(".yaml"):
            continue
        text = subprocess.run(["kubectl", "create", "--dry-run=client", "-o", "json", "-f", os.path.join(source, name)],
                              check=True, capture_output=True, text=True).stdout
        # JSON is YAML: the driver reads *.yaml.
        with open(os.path.join(out, name), "w") as f:
            json.dump(render(json.loads(text)), f, indent=1)


if __name__ == "__main__":
    main()
