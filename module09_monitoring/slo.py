"""The service's own metrics, read back: golden signals, SLOs and alert conditions (lesson 03).

Why it matters: a model that is accurate but slow, or down, is of no use. The service
(module 08) exports Prometheus metrics at ``/metrics``; Prometheus scrapes them, Grafana
draws them and the rules in ``docker/prometheus/alerts.yml`` watch them. These functions
do in Python what those tools do, on one scrape: parse the text format, read counters and
histograms, estimate a percentile from histogram buckets the way ``histogram_quantile``
does, and compute the numbers an SLO is made of.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd

from module04_ml_fundamentals.features import SCHEDULE_COLUMNS

#: The number each rule of alerts.yml compares with (a test checks they match the file).
ALERT_LIMITS = {
    "LabsHighErrorRate": 0.05,
    "LabsHighPredictLatency": 0.5,
    "LabsNoModelLoaded": 0,
    "LabsScoreDrift": 0.05,
    "LabsFlagRateShift": 0.10,
    "LabsPredictionLogFailing": 10000,
}


def flight_payloads(flights: pd.DataFrame) -> list[dict]:
    """Return the request bodies of ``flights`` (schedule columns; missing values as None)."""
    rows = flights[SCHEDULE_COLUMNS].astype(object).to_dict("records")
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in rows]


def send_traffic(client: object, payloads: list[dict], singles: int, batch: int) -> pd.DataFrame:
    """Send ``singles`` flights one by one to ``/predict``, the rest in batches of ``batch``.

    Returns:
        One row per request: ``route``, ``status``, ``flights`` and ``seconds`` as the
        client measured them (the service's histogram measures the same from inside).
    """
    requests = [("/predict", body, 1) for body in payloads[:singles]]
    requests += [
        ("/predict/batch", {"flights": payloads[i : i + batch]}, len(payloads[i : i + batch]))
        for i in range(singles, len(payloads), batch)
    ]
    rows = []
    for route, body, flights in requests:
        start = time.perf_counter()
        status = client.post(route, json=body).status_code
        rows.append({"route": route, "status": status, "flights": flights,
                     "seconds": time.perf_counter() - start})  # fmt: skip
    return pd.DataFrame(rows)


def parse_metrics(text: str) -> pd.DataFrame:
    """Parse the Prometheus text format into one row per sample, one column per label.

    Example:
        >>> text = 'labs_http_requests_total{route="/health",status="200"} 3.0\\n'
        >>> parse_metrics(text)[["sample", "route", "value"]].values.tolist()
        [['labs_http_requests_total', '/health', 3.0]]
    """
    from prometheus_client.parser import text_string_to_metric_families

    rows = [
        {"family": family.name, "sample": s.name, **s.labels, "value": float(s.value)}
        for family in text_string_to_metric_families(text)
        for s in family.samples
    ]
    return pd.DataFrame(rows)


def _matching(samples: pd.DataFrame, name: str, labels: dict[str, str]) -> pd.DataFrame:
    picked = samples.loc[samples["sample"] == name]
    for key, pattern in labels.items():
        if key not in picked:
            return picked.iloc[:0]
        picked = picked.loc[picked[key].astype(str).str.fullmatch(pattern)]
    return picked


def counter_sum(samples: pd.DataFrame, name: str, **labels: str) -> float:
    """Sum the samples called ``name`` whose labels match the regular expressions given.

    Example:
        >>> s = pd.DataFrame({"sample": ["c", "c"], "status": ["200", "503"], "value": [9.0, 1.0]})
        >>> counter_sum(s, "c", status="5..")
        1.0
    """
    return float(_matching(samples, name, labels)["value"].sum())


def histogram_buckets(samples: pd.DataFrame, name: str, **labels: str) -> dict[float, float]:
    """Return ``{upper bound: cumulative count}`` of a histogram, summed over other labels."""
    picked = _matching(samples, f"{name}_bucket", labels)
    counts = picked.groupby(picked["le"].astype(float))["value"].sum()
    return {float(b): float(c) for b, c in counts.items()}


def histogram_quantile(q: float, buckets: dict[float, float]) -> float:
    """Estimate the ``q`` quantile from cumulative buckets, as Prometheus does.

    Find the bucket where the cumulative count reaches ``q`` x total and interpolate
    linearly inside it (from 0 below the first bound). In the ``+Inf`` bucket, return the
    largest finite bound: the histogram cannot tell more. NaN without observations.

    Example:
        >>> histogram_quantile(0.5, {0.1: 50.0, 0.5: 100.0, float("inf"): 100.0})
        0.1
    """
    bounds = sorted(buckets)
    total = buckets[math.inf]
    if total == 0:
        return float("nan")
    rank = q * total
    lower, below = 0.0, 0.0
    for bound in bounds:
        if buckets[bound] >= rank:
            if math.isinf(bound):
                return lower
            inside = buckets[bound] - below
            return lower + (bound - lower) * ((rank - below) / inside if inside else 1.0)
        lower, below = bound, buckets[bound]
    return lower


def availability(samples: pd.DataFrame, route: str = "/predict.*") -> dict:
    """Return requests, failures (5xx) and availability (share not 5xx) on matching routes.

    Why it matters: this is the SLI of an availability SLO. A 4xx is the client's mistake
    (a bad request answered correctly), so only 5xx count as failures.
    """
    name = "labs_http_requests_total"
    total = counter_sum(samples, name, route=route)
    failed = counter_sum(samples, name, route=route, status="5..")
    share = 1 - failed / total if total else float("nan")
    return {"requests": total, "failed": failed, "availability": share}


def alert_values(samples: pd.DataFrame) -> pd.DataFrame:
    """The quantity each alert rule watches, measured on one scrape (since the app started).

    The rules use rates over 5 minutes to 7 days; one scrape gives the totals since start,
    which is enough to see which condition a state would meet. The score and flag-rate
    rules compare two windows: for them the current mean score and flag rate are shown.
    """
    requests = counter_sum(samples, "labs_http_requests_total")
    errors = counter_sum(samples, "labs_http_requests_total", status="5..")
    latency = histogram_buckets(samples, "labs_http_request_duration_seconds", route="/predict.*")
    scored = counter_sum(samples, "labs_prediction_score_count")
    flagged = counter_sum(samples, "labs_predictions_total", delayed="true")
    values = {
        "LabsHighErrorRate": errors / requests if requests else np.nan,
        "LabsHighPredictLatency": histogram_quantile(0.95, latency) if latency else np.nan,
        "LabsNoModelLoaded": _matching(samples, "labs_model_version", {})["value"].max(),
        "LabsScoreDrift": counter_sum(samples, "labs_prediction_score_sum") / scored
        if scored
        else np.nan,
        "LabsFlagRateShift": flagged / scored if scored else np.nan,
        "LabsPredictionLogFailing": counter_sum(
            samples, "labs_prediction_log_rows_total", outcome="failed"
        ),
    }
    table = pd.DataFrame({"value": values, "limit": ALERT_LIMITS}).rename_axis("alert")
    over = table["value"] > table["limit"]
    over["LabsNoModelLoaded"] = table.loc["LabsNoModelLoaded", "value"] < 0
    table["fires"] = over.astype(object).where(table["value"].notna(), None)
    table.loc[["LabsScoreDrift", "LabsFlagRateShift"], "fires"] = "needs two windows"
    table["watches"] = [
        "share of requests answered 5xx",
        "p95 latency of /predict routes (s)",
        "model version (-1: none loaded)",
        "mean score (rule: 6 h vs 7 d)",
        "flag rate (rule: 6 h vs 7 d)",
        "failed log rows (rule: also backlog)",
    ]
    return table
