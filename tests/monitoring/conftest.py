"""Prometheus's own tools (Debian's `prometheus` package: prometheus, promtool) for the
operator's alert rules and dashboard in deploy/monitoring."""
import os
import pathlib
import shutil
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
MONITORING = ROOT / "deploy" / "monitoring"
RULES = MONITORING / "omjob-operator.rules.yaml"
RULE_TESTS = MONITORING / "omjob-operator.rules.test.yaml"
DASHBOARD = MONITORING / "omjob-operator-dashboard.json"
sys.path.insert(0, str(ROOT / "tests" / "helm"))


def tool(name):
    """The path of a Prometheus tool: a failure under CI=true, otherwise a skip that says why."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} not found: apt-get install prometheus (scripts/install-deps.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: never skipped)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def promtool():
    return tool("promtool")


@pytest.fixture(scope="session")
def prometheus():
    return tool("prometheus")
