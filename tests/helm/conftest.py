"""The chart under test, rendered with Helm's own Go SDK (helm-python-sdk's libhelm_c.so).

Rendering is offline and takes milliseconds; tests/helm/test_install.py also installs it on the
project's real kube-apiserver.
"""
import pathlib
import sys

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHART = ROOT / "charts" / "omjob-operator"
# The offline manifest checks of scripts/validate-manifests.sh, reused on the chart's output.
sys.path.insert(0, str(ROOT / "scripts" / "manifests"))

# The names deploy/ uses: a release called omjob-operator in omjob-system renders objects with
# the same names, so the same consistency checks apply unchanged.
RELEASE = "omjob-operator"
NAMESPACE = "omjob-system"


def helm():
    """The SDK module; a clear failure (not a skip) when it is not installed."""
    try:
        import helm_python
    except ImportError as error:  # pragma: no cover - depends on the machine
        pytest.fail(f"helm-python-sdk is not installed ({error}): "
                    "python3 -m pip install -r scripts/requirements-test.txt")
    return helm_python


@pytest.fixture(scope="session")
def chart():
    with helm().Chart.load(CHART) as loaded:
        yield loaded


def documents(rendered):
    """Every object of a render result ({template: text}), NOTES.txt left out."""
    docs = []
    for template, text in sorted(rendered.items()):
        if template.endswith("NOTES.txt"):
            continue
        docs += [d for d in yaml.safe_load_all(text) if d]
    return docs


@pytest.fixture(scope="session")
def render(chart):
    """render(values) -> the rendered objects, as Helm would install them."""
    def run(values=None, name=RELEASE, namespace=NAMESPACE):
        return documents(chart.render(values or {}, name=name, namespace=namespace))
    return run
