"""What the sandbox knows about each run, and whether it ended as its example's annotations expect.

Pure: fed with watch events and exit-handler logs, no I/O. `Run.verdict()` is what the
non-interactive mode checks.
"""
import re

ANNOTATION = "sandbox.omjob-operator/"
UID_LABEL = "omjob.pipelines.openmetadata.org/uid"
TYPE_LABEL = "omjob.pipelines.openmetadata.org/pod-type"
TERMINAL = ("Succeeded", "Failed")


class Run:
    """One OMJob as the sandbox saw it: last status, its pods, what it expects, what was done to it."""

    def __init__(self, omjob, expect=None):
        meta = omjob["metadata"]
        self.namespace, self.name, self.uid = meta.get("namespace", "default"), meta["name"], meta["uid"]
        notes = expect or {k[len(ANNOTATION):]: v for k, v in (meta.get("annotations") or {}).items() if k.startswith(ANNOTATION)}
        self.action = notes.get("action", "wait")
        self.expect_phase = notes.get("expect-phase", "")
        self.expect_reason = notes.get("expect-reason", "")
        self.expect_status = notes.get("expect-pipeline-status", "")
        self.phase, self.reason, self.exit_code = "", "", ""
        self.deleted = False
        self.acted = False
        self.main_pod, self.main_phase = "", ""
        self.exit_pods = {}  # name -> last phase
        self.logs = {}  # exit pod name -> text

    @property
    def key(self):
        return f"{self.namespace}/{self.name}"

    def observe_omjob(self, omjob, event_type):
        """Records the status of an OMJob event; a DELETED run keeps the last status it showed."""
        status = omjob.get("status") or {}
        termination = status.get("mainPodTermination") or {}
        self.phase = status.get("phase", self.phase) or self.phase
        self.reason = termination.get("reason", self.reason) or self.reason
        code = termination.get("exitCode")
        self.exit_code = str(code) if code is not None else self.exit_code
        self.deleted = self.deleted or event_type == "DELETED"

    def observe_pod(self, pod):
        """Records a pod of this run (main or exit handler)."""
        name = pod["metadata"]["name"]
        phase = (pod.get("status") or {}).get("phase", "")
        if (pod["metadata"].get("labels") or {}).get(TYPE_LABEL) == "main":
            self.main_pod, self.main_phase = name, phase
        else:
            self.exit_pods[name] = phase

    def due_for_action(self):
        """True once the main pod runs and the action (anything but wait) has not been done yet."""
        return self.action != "wait" and not self.acted and self.main_phase == "Running"

    def handler_runs(self):
        """Exit pods that ran to completion."""
        return [n for n, p in self.exit_pods.items() if p == "Succeeded"]

    def handler_output(self):
        return " | ".join(self.logs.get(n, "").strip().replace("\n", " / ") for n in sorted(self.handler_runs()))

    def finished(self):
        """The run ended (terminal phase or gone) and every finished exit pod's log was read."""
        ended = self.phase in TERMINAL or self.deleted
        return ended and all(n in self.logs for n in self.handler_runs()) and (self.handler_runs() or self.deleted)

    def verdict(self):
        """'ok' or what differs from the expectation."""
        problems = []
        if self.expect_phase and self.phase not in self.expect_phase.split("|"):
            problems.append(f"phase {self.phase or '-'} != {self.expect_phase}")
        if self.expect_reason and self.reason not in self.expect_reason.split("|"):
            problems.append(f"reason {self.reason or '-'} != {self.expect_reason}")
        runs = self.handler_runs()
        if len(runs) != 1:
            problems.append(f"exit handler ran {len(runs)} times")
        elif self.expect_status:
            said = re.search(r"pipelineStatus=(\S+)", self.logs.get(runs[0], ""))
            if not said or said.group(1) != self.expect_status:
                problems.append(f"exit handler said {said.group(1) if said else 'nothing'} != pipelineStatus={self.expect_status}")
        return "ok" if not problems else "; ".join(problems)
