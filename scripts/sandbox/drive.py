"""The sandbox's driver: applies examples/, acts on each run at the right moment, prints progress
live and the final table. `--check` exits 1 unless every run ended as its annotations expect and
its exit handler ran exactly once (what Tests/IntegrationTests/SandboxTests.swift asserts).

Usage: drive.py --server URL --examples DIR [--check] [--timeout S] [--cron-timeout S]
(kubectl uses $KUBECONFIG, written by scripts/sandbox.sh).
"""
import argparse
import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runs as runs_module  # noqa: E402
import table  # noqa: E402
import watch  # noqa: E402

CRON_EXPECT = {"action": "wait", "expect-phase": "Succeeded", "expect-reason": "Completed", "expect-pipeline-status": "success"}


def kubectl(*args, check=True):
    return subprocess.run(["kubectl", *args], check=check, capture_output=True, text=True)


def say(line):
    print(f"{time.strftime('%H:%M:%S')}  {line}", flush=True)


class Sandbox:
    """Tracks every run of the examples (and the first run of each CronOMJob) until they end."""

    def __init__(self, server):
        self.server = server
        self.runs = {}  # uid -> Run
        self.expected = {}  # "ns/name" of applied OMJobs -> True
        self.crons = {}  # "ns/name" of applied CronOMJobs -> uid of its first run, or None
        self.followers = {}  # exit pod "ns/name" -> thread reading its log
        self.lock = threading.Lock()  # followers are started from the pods watch thread
        self.shown = {}

    def apply(self, directory):
        namespaces = set()
        for path in sorted(os.listdir(directory)):
            if path.endswith(".yaml"):
                out = kubectl("create", "-f", os.path.join(directory, path), "--dry-run=client", "-o", "json").stdout
                namespaces.add(json.loads(out).get("metadata", {}).get("namespace", "default"))
        for namespace in sorted(namespaces - {"default"}):
            kubectl("create", "namespace", namespace, check=False)
        applied = json.loads(kubectl("apply", "-f", directory, "-o", "json").stdout)
        for item in applied.get("items", [applied]):
            key = f"{item['metadata'].get('namespace', 'default')}/{item['metadata']['name']}"
            if item["kind"] == "OMJob":
                self.expected[key] = True
                self.runs.setdefault(item["metadata"]["uid"], runs_module.Run(item))
            elif item["kind"] == "CronOMJob":
                self.crons[key] = None
            say(f"applied {item['kind']} {key}")

    def on_omjob(self, event_type, omjob):
        meta = omjob["metadata"]
        run = self.runs.get(meta["uid"])
        if run is None:
            # A scheduled run names its CronOMJob in an annotation (it has no ownerReference).
            owner = (meta.get("annotations") or {}).get("omjob.pipelines.openmetadata.org/cronomjob")
            cron = f"{meta.get('namespace', 'default')}/{owner}" if owner else None
            if cron not in self.crons or self.crons[cron] is not None:
                return
            self.crons[cron] = meta["uid"]
            run = self.runs[meta["uid"]] = runs_module.Run(omjob, CRON_EXPECT)
        run.observe_omjob(omjob, event_type)
        shown = (run.phase, run.reason, run.deleted)
        if self.shown.get(run.uid) != shown:
            self.shown[run.uid] = shown
            gone = "  (deleted)" if run.deleted else ""
            say(f"omjob {run.key:<58} {run.phase or '-':<19} {run.reason}{gone}")

    def on_pod(self, pod):
        uid = (pod["metadata"].get("labels") or {}).get(runs_module.UID_LABEL)
        run = self.runs.get(uid)
        if run is None:
            return
        run.observe_pod(pod)
        name = pod["metadata"]["name"]
        kind = pod["metadata"]["labels"].get(runs_module.TYPE_LABEL, "?")
        phase = (pod.get("status") or {}).get("phase", "")
        if self.shown.get(name) != phase:
            self.shown[name] = phase
            say(f"  pod {run.namespace}/{name:<52} {kind:<12} {phase}")

    def early_pod(self, resource, event_type, pod):
        """Called on the pods watch thread before the event is queued: starts reading an exit
        pod's log the moment it runs, not after the main loop catches up."""
        labels = pod["metadata"].get("labels") or {}
        run = self.runs.get(labels.get(runs_module.UID_LABEL))
        phase = (pod.get("status") or {}).get("phase", "")
        if run is not None and labels.get(runs_module.TYPE_LABEL) == "exit-handler" and phase in ("Running", "Succeeded", "Failed"):
            self.follow(run, pod["metadata"]["name"])

    def follow(self, run, pod):
        """Streams an exit pod's log from its start, on a thread of its own (what `kubectl logs -f`
        does, without a process start): a killed run's exit pod is deleted as soon as it ends."""
        key = f"{run.namespace}/{pod}"
        with self.lock:
            if key in self.followers:
                return
            self.followers[key] = threading.Thread(target=self._read_log, args=(run, pod), daemon=True)
            self.followers[key].start()

    def _read_log(self, run, pod):
        url = f"{self.server}/api/v1/namespaces/{run.namespace}/pods/{pod}/log?follow=true"
        try:
            with urllib.request.urlopen(url, timeout=60) as stream:
                text = stream.read().decode("utf-8", "replace")
        except Exception as error:
            text = f"(log not read: {error})"
        run.logs[pod] = text

    def act(self):
        for run in self.runs.values():
            if not run.due_for_action():
                continue
            run.acted = True
            if run.action == "delete-omjob":
                say(f">>> kubectl delete omjob -n {run.namespace} {run.name} --wait=false")
                kubectl("delete", "omjob", "-n", run.namespace, run.name, "--wait=false")
            elif run.action == "delete-main-pod":
                say(f">>> kubectl delete pod -n {run.namespace} {run.main_pod} --wait=false")
                kubectl("delete", "pod", "-n", run.namespace, run.main_pod, "--wait=false")
            elif run.action == "oom-kill-main-pod":
                path = f"/kubesim/cluster/pods/{run.namespace}/{run.main_pod}/oom-kill"
                say(f">>> curl -XPOST $SERVER{path}   (kubesim: the kernel OOM-kills the container)")
                urllib.request.urlopen(urllib.request.Request(self.server + path, data=b"{}", method="POST"), timeout=10).read()
            else:
                say(f"!!! unknown action {run.action} for {run.key}")

    def done(self, cron_deadline_passed):
        crons_done = cron_deadline_passed or all(uid is not None for uid in self.crons.values())
        return crons_done and all(run.finished() for run in self.runs.values())

    def stop_followers(self):
        with self.lock:
            threads = list(self.followers.values())
        for thread in threads:
            thread.join(timeout=5)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--examples", required=True)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--timeout", type=float, default=240)
    parser.add_argument("--cron-timeout", type=float, default=100)
    args = parser.parse_args()

    events, stop = queue.Queue(), threading.Event()
    sandbox = Sandbox(args.server)
    watch.start(args.server, "omjobs", events, stop)
    watch.start(args.server, "pods", events, stop, early=sandbox.early_pod)
    started = time.monotonic()
    try:
        sandbox.apply(args.examples)
        if sandbox.crons:
            say(f"waiting for the first scheduled run of {', '.join(sandbox.crons)} (schedule: every minute)")
        while time.monotonic() - started < args.timeout:
            try:
                resource, event_type, obj = events.get(timeout=0.2)
                if resource == "omjobs":
                    sandbox.on_omjob(event_type, obj)
                elif resource == "pods":
                    sandbox.on_pod(obj)
                continue  # drain the queue before acting
            except queue.Empty:
                pass
            sandbox.act()
            if sandbox.done(time.monotonic() - started > args.cron_timeout):
                break
        else:
            say(f"timed out after {args.timeout:.0f}s")
    finally:
        stop.set()
        sandbox.stop_followers()
    for cron, uid in sandbox.crons.items():
        if uid is None:
            print(f"CronOMJob {cron}: no run within {args.cron_timeout:.0f}s")
    failed = table.show(sandbox.runs.values(), missing=[c for c, u in sandbox.crons.items() if u is None])
    if args.check:
        print(f"sandbox check: {'FAILED' if failed else 'passed'}", flush=True)
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C: sandbox.sh's trap stops the processes
        sys.exit(130)
