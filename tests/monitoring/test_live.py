"""The alerts and the dashboard against a live operator, through a real Prometheus.

kubesim (with its local runtime: a pod's command runs here) and the real omjob-supervisor run a
few OMJobs to their end, so that the operator's series exist; `promtool check metrics` lints the
live exposition; a Prometheus server on loopback scrapes the operator every second; then every
alert expression and every dashboard query is sent to its HTTP API: each must evaluate, every
metric it names must exist, and each dashboard query must return series.
"""
import json
import re
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request

import pytest
import yaml

from conftest import DASHBOARD, ROOT, RULES
from operator_process import Operator, binary, workdir

JOB = "omjob-operator-metrics"
# Series the dashboard takes from other exporters, which a loopback operator does not have;
# each such query must still evaluate, and must name nothing else.
EXTERNAL_METRICS = {"container_memory_working_set_bytes": "the kubelet's cAdvisor"}
# Grafana's variables, as Grafana would expand them for a 1-hour view.
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "${__rate_interval}": "1m", "$__range": "1h"}
# PromQL words that look like metric names but are functions, keywords or label names.
NOT_METRICS = {"sum", "rate", "increase", "by", "on", "or", "and", "unless", "without", "min_over_time",
               "max_over_time", "histogram_quantile", "time", "absent", "le", "bool", "ignoring",
               "group_left", "group_right", "count", "avg", "max", "min", "topk", "label_replace", "clamp_min",
               "deriv", "delta", "irate", "avg_over_time", "vector", "scalar", "offset"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_json(url, body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST" if body is not None else "GET",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.loads(answer.read() or b"{}")


def omjob(name, command):
    return {"apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"mainPodSpec": {"image": "local", "serviceAccountName": "default", "command": command},
                     "exitHandlerSpec": {"image": "local", "command": ["true"]}}}


class Stack:
    """kubesim, the operator and Prometheus, stopped in reverse order by their own pids."""

    def __init__(self):
        self.work = workdir("omjob-monitoring.")
        self.processes = []

    def spawn(self, name, argv):
        log = open(f"{self.work}/{name}.log", "w")
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append((process, log))
        return process

    def log(self, name):
        return open(f"{self.work}/{name}.log", errors="replace").read()

    def stop(self):
        for process, log in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            log.close()
        shutil.rmtree(self.work, ignore_errors=True)


def wait_for(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture(scope="module")
def live(prometheus):
    stack = Stack()
    operator = None
    try:
        kubesim = stack.spawn("kubesim", [binary("kubesim"), "--port", "0", "--crds", str(ROOT / "deploy/crds"), "--local-runtime"])
        url = wait_for(lambda: (re.search(r"kubesim: serving (\S+)", stack.log("kubesim")) or [None, None])[1]
                       or (kubesim.poll() is not None and pytest.fail(stack.log("kubesim"))), 60, "kubesim to serve")
        kubeconfig = f"{stack.work}/kubeconfig"
        with open(kubeconfig, "w") as f:
            yaml.safe_dump({"apiVersion": "v1", "kind": "Config", "current-context": "sim",
                            "clusters": [{"name": "sim", "cluster": {"server": url}}], "users": [{"name": "u", "user": {}}],
                            "contexts": [{"name": "sim", "context": {"cluster": "sim", "user": "u"}}]}, f)
        operator = Operator({"KUBECONFIG": kubeconfig, "WATCH_NAMESPACES": "ALL", "EXECUTOR_WORKERS": "2",
                             "OMJOB_EXIT_HANDLER_BACKOFF_SECONDS": "1"}, stack.work)
        operator.wait_ready()
        # Runs that end each way the dashboard shows: success, failure, an exit handler that fails.
        runs = {"ok": omjob("ok", ["true"]), "fails": omjob("fails", ["sh", "-c", "exit 3"])}
        runs["handler-fails"] = omjob("handler-fails", ["true"])
        runs["handler-fails"]["spec"]["exitHandlerSpec"]["command"] = ["false"]
        runs["handler-fails"]["spec"]["exitHandlerBackoffLimit"] = 1
        for body in runs.values():
            http_json(f"{url}/apis/pipelines.openmetadata.org/v1/namespaces/default/omjobs", body)

        def finished():
            items = http_json(f"{url}/apis/pipelines.openmetadata.org/v1/namespaces/default/omjobs")["items"]
            return len(items) == len(runs) and all((i.get("status") or {}).get("phase") in ("Succeeded", "Failed") for i in items)
        wait_for(finished, 120, "every OMJob to finish")
        # The gc reports its gauges after a sweep.
        wait_for(lambda: "omjob_gc_last_sweep_timestamp_seconds" in operator.get("/metrics")[1], 60, "a gc sweep")

        port = free_port()
        config = f"{stack.work}/prometheus.yml"
        with open(config, "w") as f:
            yaml.safe_dump({"global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
                            "rule_files": [str(RULES)],
                            "scrape_configs": [{"job_name": JOB, "static_configs": [{"targets": [f"127.0.0.1:{operator.port}"]}]}]}, f)
        server = stack.spawn("prometheus", [prometheus, f"--config.file={config}", f"--storage.tsdb.path={stack.work}/tsdb",
                                            f"--web.listen-address=127.0.0.1:{port}"])
        api = f"http://127.0.0.1:{port}/api/v1"

        def scraped():
            if server.poll() is not None:
                pytest.fail(f"prometheus exited:\n{stack.log('prometheus')[-3000:]}")
            try:
                targets = http_json(f"{api}/targets")["data"]["activeTargets"]
                samples = http_json(f"{api}/query?query=" + urllib.parse.quote("count_over_time(omjob_supervisor_child_up[1m])"))
            except OSError:
                return False
            counts = [float(r["value"][1]) for r in samples["data"]["result"]]
            return targets and targets[0]["health"] == "up" and counts and min(counts) >= 5
        wait_for(scraped, 90, "Prometheus to scrape the operator 5 times")
        yield {"api": api, "operator": operator, "kubesim": url}
    finally:
        if operator is not None:
            operator.stop()
        stack.stop()


def query(api, expr):
    answer = http_json(f"{api}/query?query=" + urllib.parse.quote(expr))
    assert answer["status"] == "success", (expr, answer)
    return answer["data"]["result"]


def metric_names(expr):
    """The metric names a PromQL expression selects (identifiers outside label matchers and strings)."""
    bare = re.sub(r'\{[^}]*\}|"[^"]*"|\[[^\]]*\]', " ", expr)
    bare = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", bare)
    return {n for n in re.findall(r"\b[a-zA-Z_:][a-zA-Z0-9_:]*\b", bare)
            if n not in NOT_METRICS and not re.fullmatch(r"\d+[smhd]?|e\d*", n)}


def dashboard_queries():
    panels = json.loads(DASHBOARD.read_text())["panels"]
    found = []
    for panel in panels:
        for target in panel.get("targets") or []:
            expr = target["expr"]
            for variable, value in GRAFANA_VARIABLES.items():
                expr = expr.replace(variable, value)
            found.append((panel["title"], expr))
    return found


def alert_rules():
    return [(r["alert"], r["expr"]) for g in yaml.safe_load(RULES.read_text())["groups"] for r in g["rules"]]


def test_promtool_check_metrics_on_the_live_exposition(live, promtool):
    status, text = live["operator"].get("/metrics")
    assert status == 200 and "omjob_status_transitions_total" in text
    result = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_live_family_has_its_catalogue_help(live):
    """Worker-reported series carry their meaning (Sources/Runtime/Metrics/MetricCatalogue.swift),
    not a generic text: a family missing from the catalogue says so in its HELP."""
    status, text = live["operator"].get("/metrics")
    assert status == 200
    helps = dict(line.split(" ", 3)[2:] for line in text.splitlines() if line.startswith("# HELP "))
    assert "omjob_executor_commands_total" in helps and "omjob_gc_sweeps_total" in helps, sorted(helps)
    generic = {name: help for name, help in helps.items() if "Reported by" in help or "not in the operator's metric catalogue" in help}
    assert not generic, generic


def test_every_metric_an_alert_names_exists(live):
    for alert, expr in alert_rules():
        names = metric_names(expr)
        assert names, f"{alert}: no metric found in {expr}"
        for name in names:
            assert query(live["api"], f"count({{__name__={json.dumps(name)}}})"), f"{alert}: no series named {name}"
        query(live["api"], expr)  # evaluates without error


def test_every_dashboard_query_returns_series(live):
    queries = dashboard_queries()
    assert len(queries) >= 10
    empty = []
    for title, expr in queries:
        names = metric_names(expr)
        external = names & set(EXTERNAL_METRICS)
        assert not external or external == names, f"{title}: mixes {external} with the operator's metrics"
        if not query(live["api"], expr) and not external:
            empty.append((title, expr))
    assert empty == [], empty


def test_every_operator_metric_a_dashboard_query_names_exists(live):
    for title, expr in dashboard_queries():
        for name in metric_names(expr) - set(EXTERNAL_METRICS):
            assert query(live["api"], f"count({{__name__={json.dumps(name)}}})"), f"{title}: no series named {name}"


def test_prometheus_loaded_every_alert(live):
    groups = http_json(f"{live['api']}/rules")["data"]["groups"]
    loaded = sorted(r["name"] for g in groups for r in g["rules"])
    assert loaded == sorted(a for a, _ in alert_rules())
    assert all(r["health"] == "ok" for g in groups for r in g["rules"]), groups


def test_the_metric_name_parser_sees_what_an_expression_names():
    assert metric_names('sum by (le) (rate(omjob_x_bucket{a="b"}[5m])) / on() omjob_y > 0.2') == {"omjob_x_bucket", "omjob_y"}
    assert metric_names('time() - omjob_gc_last_sweep_timestamp_seconds > 900') == {"omjob_gc_last_sweep_timestamp_seconds"}
