"""Checks for the service's monitoring config: Prometheus alert rules and the Grafana dashboard.

Why it matters: an alert on a metric that does not exist never fires, and nobody notices
until the outage. Monitoring config is code: these functions read ``docker/prometheus/
alerts.yml`` and ``docker/grafana/dashboards/*.json`` and say what is wrong with them
(unknown metric, unbalanced brackets, missing ``for`` or severity), so a test can run
them in CI. ``promtool check rules`` does more, where it is installed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from labs_common import paths

ALERTS = paths.ROOT / "docker" / "prometheus" / "alerts.yml"
DASHBOARDS = paths.ROOT / "docker" / "grafana" / "dashboards"
SEVERITIES = ("page", "ticket")
_SUFFIXES = ("_bucket", "_sum", "_count", "_total", "_created")
_DURATION = re.compile(r"^\d+[smhdwy]$")
_METRIC = re.compile(r"\b(labs_[a-z0-9_]+)\b")
_RANGE = re.compile(r"\[([^\]]*)\]")


def metric_names_in(expr: str) -> set[str]:
    """Return the ``labs_*`` metric names a PromQL expression reads.

    Example:
        >>> sorted(metric_names_in('sum(rate(labs_http_requests_total{status="500"}[5m]))'))
        ['labs_http_requests_total']
    """
    return set(_METRIC.findall(re.sub(r'"[^"]*"', '""', expr)))


def base_name(sample: str) -> str:
    """Strip the suffix Prometheus adds to a sample name (``_bucket``, ``_total``...).

    Example:
        >>> base_name("labs_prediction_score_bucket")
        'labs_prediction_score'
    """
    for suffix in _SUFFIXES:
        if sample.endswith(suffix):
            return sample.removesuffix(suffix)
    return sample


def promql_problems(expr: str, known: set[str]) -> list[str]:
    """Return what is visibly wrong with an expression: brackets, ranges, unknown metrics."""
    problems = []
    body = re.sub(r'"[^"]*"', '""', expr)
    for pair in ("()", "{}", "[]"):
        if body.count(pair[0]) != body.count(pair[1]):
            problems.append(f"unbalanced {pair} in {expr!r}")
    bad = [r for r in _RANGE.findall(body) if not (_DURATION.match(r) or r == "$__rate_interval")]
    problems += [f"range [{r}] is not a duration" for r in bad]
    unknown = sorted(n for n in metric_names_in(expr) if base_name(n) not in known)
    problems += [f"unknown metric {n}" for n in unknown]
    return problems


def rule_problems(rule: dict, known: set[str]) -> list[str]:
    """Return the problems of one alerting rule (expr, ``for``, severity, annotations)."""
    name = rule.get("alert", "<no name>")
    problems = [f"{name}: {p}" for p in promql_problems(rule.get("expr", ""), known)]
    if not _DURATION.match(str(rule.get("for", ""))):
        problems.append(f"{name}: 'for' must be a duration such as 5m, got {rule.get('for')!r}")
    if rule.get("labels", {}).get("severity") not in SEVERITIES:
        problems.append(f"{name}: labels.severity must be one of {SEVERITIES}")
    if not {"summary", "description"} <= set(rule.get("annotations", {})):
        problems.append(f"{name}: annotations need a summary and a description")
    return problems


def load_rules(path: Path = ALERTS) -> list[dict]:
    """Return every rule of every group of a Prometheus rules file."""
    groups = yaml.safe_load(Path(path).read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def dashboard_exprs(path: Path) -> dict[str, list[str]]:
    """Return ``{panel title: [PromQL expressions]}`` of a Grafana dashboard file."""
    board = json.loads(Path(path).read_text())
    return {p["title"]: [t["expr"] for t in p.get("targets", [])] for p in board["panels"]}


def exported_names() -> set[str]:
    """The metric names the service exports (module 08's collectors, without suffixes)."""
    from module08_deployment.service.metrics import ServiceMetrics

    return {metric.name for metric in ServiceMetrics().registry.collect()}
