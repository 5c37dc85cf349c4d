"""The Prometheus alert rules and the Grafana dashboard read metrics the service exports."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from module09_monitoring.service import (
    ALERTS,
    DASHBOARDS,
    dashboard_exprs,
    exported_names,
    load_rules,
    metric_names_in,
    promql_problems,
    rule_problems,
)

KNOWN = exported_names()
DASHBOARD = DASHBOARDS / "labs-service.json"
PROVISIONING = DASHBOARDS.parent / "provisioning"


@pytest.mark.parametrize(
    ("expr", "problem"),
    [
        ("sum(rate(labs_http_requests_total[5m])", "unbalanced ()"),
        ("rate(labs_http_requests_total[5 minutes])", "is not a duration"),
        ("rate(labs_requests_total[5m])", "unknown metric labs_requests_total"),
    ],
    ids=["bracket", "range", "metric"],
)
def test_promql_problems_catches_typical_mistakes(expr: str, problem: str) -> None:
    assert any(problem in p for p in promql_problems(expr, KNOWN))


def test_rule_problems_requires_for_severity_and_annotations() -> None:
    rule = {"alert": "X", "expr": "max(labs_model_version) < 0", "labels": {}}
    problems = rule_problems(rule, KNOWN)
    assert len(problems) == 3 and all(p.startswith("X: ") for p in problems)


def test_service_exports_the_metrics_the_course_names() -> None:
    assert {
        "labs_http_requests",
        "labs_http_request_duration_seconds",
        "labs_prediction_score",
        "labs_model_version",
    } <= KNOWN


def test_alert_rules_are_well_formed() -> None:
    rules = load_rules(ALERTS)
    problems = [p for rule in rules for p in rule_problems(rule, KNOWN)]
    assert not problems, problems
    names = [r["alert"] for r in rules]
    assert len(names) == len(set(names)), f"duplicate alert names: {names}"


@pytest.mark.parametrize(
    ("metric", "what"),
    [
        ("labs_http_requests_total", "error rate"),
        ("labs_http_request_duration_seconds_bucket", "latency"),
        ("labs_prediction_score_sum", "score drift"),
    ],
)
def test_alert_rules_cover_errors_latency_and_score_drift(metric: str, what: str) -> None:
    used = set().union(*(metric_names_in(r["expr"]) for r in load_rules(ALERTS)))
    assert metric in used, f"no alert rule watches the {what} ({metric})"


def test_every_page_alert_waits_at_least_two_minutes() -> None:
    pages = [r for r in load_rules(ALERTS) if r["labels"]["severity"] == "page"]
    assert pages
    for rule in pages:
        minutes = int(rule["for"][:-1]) * {"s": 1 / 60, "m": 1, "h": 60}[rule["for"][-1]]
        assert minutes >= 2, f"{rule['alert']} pages after {rule['for']}"


def test_dashboard_panels_query_exported_metrics() -> None:
    exprs = dashboard_exprs(DASHBOARD)
    problems = {t: p for t, es in exprs.items() for e in es if (p := promql_problems(e, KNOWN))}
    assert not problems, problems
    used = {n for es in exprs.values() for e in es for n in metric_names_in(e)}
    for needed in (
        "labs_http_requests_total",
        "labs_http_request_duration_seconds_bucket",
        "labs_prediction_score_bucket",
        "labs_model_version",
    ):
        assert needed in used, f"the dashboard has no panel on {needed}"


def test_dashboard_layout_and_datasource_match_provisioning() -> None:
    board = json.loads(DASHBOARD.read_text())
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids))
    assert all({"x", "y", "w", "h"} <= set(p["gridPos"]) for p in board["panels"])
    source = yaml.safe_load((PROVISIONING / "datasources" / "prometheus.yml").read_text())
    uids = {d["uid"] for d in source["datasources"]}
    assert {p["datasource"]["uid"] for p in board["panels"]} <= uids
    provider = yaml.safe_load((PROVISIONING / "dashboards" / "labs.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_promtool_accepts_the_rules() -> None:
    done = subprocess.run(
        ["promtool", "check", "rules", str(Path(ALERTS))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
