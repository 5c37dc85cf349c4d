"""Module 09 exercises: fill in each function, then run ``labs check 9``.

Each function says which notebook introduces it. Replace the ``raise NotImplementedError``
with your code; ``labs check 9`` (or ``show_results(9)`` in a notebook) tells you which
ones pass, and gives a hint for the others.
"""

from __future__ import annotations

import numpy.typing as npt
import pandas as pd

from module09_monitoring.params import MonitorParams


def psi_numeric(reference: pd.Series, current: pd.Series) -> float:
    """Notebook 01. Return the PSI of a numeric column, computed as Evidently computes it.

    Leave out missing values; cut both samples into Sturges' number of equal-width bins
    over the two samples together (``np.histogram_bin_edges(..., bins="sturges")``); take
    each side's share per bin; replace a share of 0 by 0.0001; sum
    ``(current - reference) * log(current / reference)``.
    """
    # TODO: dropna, np.histogram_bin_edges on both, np.histogram / len, np.where(share == 0, ...)
    raise NotImplementedError


def js_distance(p: npt.ArrayLike, q: npt.ArrayLike) -> float:
    """Notebook 01. Return the Jensen-Shannon distance of two vectors of counts or shares.

    Normalise each to sum to 1, take the mixture ``m = (p + q) / 2``, and return
    ``sqrt((KL(p || m) + KL(q || m)) / 2)`` with natural logarithms, where a term with a
    share of 0 counts 0. Use numpy only (no scipy).
    """
    # TODO: KL(a || m) = sum(a * log(a / m)) over the entries where a > 0
    raise NotImplementedError


def calibration_alert(scores: npt.ArrayLike, labels: npt.ArrayLike, max_gap: float) -> dict:
    """Notebook 02. A label-shift detector: the mean score against the observed late rate.

    Returns:
        ``{"mean_score": ..., "label_rate": ..., "gap": mean_score - label_rate,
        "alert": abs(gap) > max_gap}`` (floats and a bool).
    """
    # TODO: np.mean of each, their difference, compare its absolute value with max_gap
    raise NotImplementedError


def false_alarm_upper_bound(alarms: int, runs: int, confidence: float = 0.95) -> float:
    """Notebook 02. The upper end of the exact (Clopper-Pearson) interval of an alarm rate.

    "0 false alarms in 20 runs" does not mean a rate of 0: return the upper end of the
    two-sided ``confidence`` interval of the rate, 1.0 when every run alarmed.

    Raises:
        ValueError: ``alarms`` is not between 0 and ``runs``, or ``runs`` < 1.
    """
    # TODO: check the counts; the upper end is a quantile of a Beta distribution (scipy.stats)
    raise NotImplementedError


def share_below(buckets: dict[float, float], seconds: float) -> float:
    """Notebook 03. The share of requests faster than ``seconds``, from histogram buckets.

    Args:
        buckets: Prometheus' cumulative buckets, ``{upper bound: requests <= bound}``,
            ``float("inf")`` included (its count is the total).
        seconds: a latency between 0 and the largest finite bound.

    Inside a bucket, assume the requests are spread evenly (linear interpolation, as
    Prometheus' ``histogram_quantile`` does).

    Raises:
        ValueError: ``seconds`` outside [0, largest finite bound].
    """
    # TODO: sort the bounds, prepend (0, 0), np.interp(seconds, bounds, counts) / total
    raise NotImplementedError


def error_budget(slo: float, total: int, failed: int) -> dict:
    """Notebook 03. The error budget of an availability SLO over a window.

    Returns:
        ``{"allowed_failures": (1 - slo) * total, "consumed": failed / allowed_failures,
        "remaining": allowed_failures - failed}``.

    Raises:
        ValueError: ``slo`` is not strictly between 0 and 1.
    """
    # TODO: three lines of arithmetic and one check
    raise NotImplementedError


def should_retrain(entry: dict, params: MonitorParams) -> bool:
    """Notebook 04. Would the monitor retrain after a month with these numbers?

    Decide which alerts fire (the table "The rules" in the module's README: data_drift,
    feature_drift, prediction_drift, missing_values, label_shift, calibration, quality;
    the last three only when ``entry["label_rate"]`` is not None), and return True when
    one of them is in ``params.retrain_on``.
    """
    # TODO: build the set of fired alerts, then compare it with params.retrain_on
    raise NotImplementedError


def unpinned_actions(workflow: dict) -> list[str]:
    """Notebook 04. Every ``uses:`` of a GitHub workflow not pinned to a full commit SHA.

    Look at each job's steps and at jobs that call a reusable workflow (``uses`` on the
    job). Pinned: ``owner/repo@<40 hex digits>``, a local ``./path``, or
    ``docker://image@sha256:<digest>``. Return them sorted, without repeats.
    """
    # TODO: re.fullmatch(r"[0-9a-f]{40}", ref) on the part after the last "@"
    raise NotImplementedError
