"""The real omjob-supervisor (watcher, executors, gc) as a child process of a test.

Shared by tests/helm (on the real control plane, as the chart's ServiceAccount) and
tests/monitoring (on kubesim, scraped by Prometheus). Stopped by its own pid: SIGTERM, then
SIGKILL after 15 s.
"""
import os
import pathlib
import re
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN_DIR = pathlib.Path(os.environ.get("OMJOB_BIN_DIR", ROOT / ".build" / "debug"))


def require(path, what, fix="run `swift build` first; make test builds it"):
    """A missing prerequisite: a failure under CI=true, otherwise a skip that says why."""
    message = f"{what} not found at {path}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI=true: never skipped)")
    pytest.skip(f"{message} ({fix})")


def binary(name):
    path = BIN_DIR / name
    if not os.access(path, os.X_OK):
        require(path, name)
    return str(path)


class Operator:
    """One supervisor started with `env` (merged over a minimal environment)."""

    def __init__(self, env, workdir):
        self.workdir = pathlib.Path(workdir)
        run_dir = self.workdir / "run"
        run_dir.mkdir(exist_ok=True)
        full = {"PATH": "/usr/bin:/bin", "HOME": str(self.workdir), "OMJOB_RUN_DIR": str(run_dir),
                "HEALTH_CHECK_PORT": "0", "SHUTDOWN_GRACE_SECONDS": "5"}
        full.update(env)
        self.log_path = self.workdir / "operator.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([binary("omjob-supervisor")], env=full, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.port = self._health_port()

    def _health_port(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(r'"health.port":"(\d+)"', self.log_path.read_text())
            if match:
                return int(match.group(1))
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"omjob-supervisor did not report its health port:\n{self.text()[-3000:]}")

    def get(self, path, timeout=5):
        """(status, body) of GET http://127.0.0.1:<health port><path>."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=timeout) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        status, body = None, ""
        while time.monotonic() < deadline:
            status, body = self.get("/ready")
            if status == 200:
                return
            assert self.process.poll() is None, f"operator exited:\n{self.text()[-3000:]}"
            time.sleep(0.2)
        pytest.fail(f"operator not ready after {timeout}s: {status} {body}\n{self.text()[-3000:]}")

    def text(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                # Its own process group (start_new_session): the workers go with it.
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def workdir(prefix):
    return tempfile.mkdtemp(prefix=prefix)


class Periodic(threading.Thread):
    """Calls `action` every `interval` seconds until stopped; errors are kept, not raised."""

    def __init__(self, action, interval):
        super().__init__(daemon=True)
        self.action, self.interval = action, interval
        self.stopping = threading.Event()
        self.errors = []

    def run(self):
        while not self.stopping.wait(self.interval):
            try:
                self.action()
            except Exception as error:  # noqa: BLE001 - reported by the test that reads errors
                self.errors.append(error)

    def stop(self):
        self.stopping.set()
        self.join(10)
