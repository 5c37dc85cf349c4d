"""Lesson 03, model behaviour tests: perturb the input, say what the score should do.

Why it matters: a test ROC AUC says how well a model ranks flights on average; it says
nothing about *why*. Behaviour tests (Ribeiro et al., "Beyond Accuracy", 2020) state what
a sensible model must do and check it on real inputs:

- **invariance**: a change that should not matter (the flight number, a plane swapped for
  another of the same type) barely moves the score;
- **directional expectation**: a change with a known direction (heavier rain, a later
  departure) moves the mean score that way;
- **minimum functionality**: simple cases the model must get right (a floor on ROC AUC,
  December busier than September).

Some perturbations cannot be written in the schedule a caller sends: weather is looked up
*inside* the model from the date, hour and airport. Those act on the feature frame, between
the model's first step (features) and the rest (encoding and classifier).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Weather columns that grow with precipitation, and those that shrink with poor visibility.
PRECIP_COLUMNS = ["precip", "precip_3h", "precip_day"]
VISIB_COLUMNS = ["visib", "visib_min_3h", "visib_min_day"]


def score(model: object, X: pd.DataFrame) -> np.ndarray:
    """Probability of a late arrival for each row (the positive class of ``predict_proba``)."""
    return model.predict_proba(X)[:, 1]


def score_features(pipeline: object, features: pd.DataFrame) -> np.ndarray:
    """Score a feature frame with every step of ``pipeline`` but the first (features).

    Why it matters: it lets a test change a feature the caller cannot set (weather at the
    origin hour) and still run the real encoder and classifier.
    """
    return score(pipeline[1:], features)


def score_change(before: np.ndarray, after: np.ndarray, tolerance: float = 0.01) -> dict:
    """Summarise how scores moved: mean and tail of the change, share down or up.

    Example:
        >>> score_change(np.array([0.2, 0.4]), np.array([0.3, 0.4]))["mean_change"]
        0.05
    """
    before, after = np.asarray(before, float), np.asarray(after, float)
    if before.shape != after.shape or before.size == 0:
        raise ValueError(f"need two equal, non-empty score arrays, got {before.shape} and "
                         f"{after.shape}")  # fmt: skip
    diff = after - before
    return {
        "rows": int(diff.size),
        "mean_change": round(float(diff.mean()), 6),
        "mean_abs_change": round(float(np.abs(diff).mean()), 6),
        "p95_abs_change": round(float(np.quantile(np.abs(diff), 0.95)), 6),
        "max_abs_change": round(float(np.abs(diff).max()), 6),
        "share_down": round(float((diff < -tolerance).mean()), 6),
        "share_up": round(float((diff > tolerance).mean()), 6),
    }


def shuffle_column(schedule: pd.DataFrame, column: str, seed: int = 0) -> pd.DataFrame:
    """Return a copy with ``column`` permuted across rows (an identifier the model must ignore)."""
    rng = np.random.default_rng(seed)
    return schedule.assign(**{column: rng.permutation(schedule[column].to_numpy())})


def swap_tailnums(
    schedule: pd.DataFrame,
    planes: pd.DataFrame,
    same: tuple[str, ...] = ("manufacturer", "model"),
    seed: int = 0,
) -> pd.DataFrame:
    """Give each flight another plane of the same type; keep only the flights that have one.

    Args:
        schedule: flights with a ``tailnum`` column.
        planes: the planes table (``tailnum`` and the ``same`` columns).
        same: the columns that define "the same type"; add ``year`` for identical twins.
        seed: picks which sibling plane each tail number gets.

    Returns:
        The flights whose plane has at least one sibling, with the sibling's tail number;
        the index is the input's, so ``schedule.loc[result.index]`` gives the originals.
    """
    known = planes.dropna(subset=list(same)).astype({"tailnum": str})
    groups = known.groupby(list(same), observed=True)["tailnum"].agg(list)
    rng = np.random.default_rng(seed)
    sibling = {}
    for tails in groups:
        if len(tails) > 1:
            shifted = np.roll(tails, int(rng.integers(1, len(tails))))
            sibling.update(zip(tails, shifted, strict=True))
    tail = schedule["tailnum"].astype("string")
    keep = tail.isin(list(sibling)).fillna(False).to_numpy(bool)
    return schedule.loc[keep].assign(tailnum=tail[keep].map(sibling).astype("string"))


def shift_departure(schedule: pd.DataFrame, hours: int | np.ndarray) -> pd.DataFrame:
    """Move departure and arrival by ``hours``, same day; drop flights that would leave it.

    The block time, the date and everything else stay the same, so only the clock moves
    (and with it the hour whose weather the model looks up). ``hours`` is one number for
    every flight or one per flight.

    Example:
        >>> s = pd.DataFrame({"sched_dep_time": [830, 2230], "sched_arr_time": [1045, 15]})
        >>> shift_departure(s, 2)[["sched_dep_time", "sched_arr_time"]].values.tolist()
        [[1030, 1245]]
    """
    hours = np.broadcast_to(np.asarray(hours, dtype=np.int64), (len(schedule),))
    moved = schedule["sched_dep_time"].to_numpy() + 100 * hours
    keep = (moved >= 0) & (moved < 2400)
    arr = schedule["sched_arr_time"].to_numpy()[keep]
    arr_minutes = (arr // 100 * 60 + arr % 100 + 60 * hours[keep]) % 1440
    return schedule.loc[keep].assign(
        sched_dep_time=moved[keep], sched_arr_time=arr_minutes // 60 * 100 + arr_minutes % 60
    )


def with_more_precipitation(features: pd.DataFrame, inches_per_hour: float) -> pd.DataFrame:
    """Add rain at the origin: ``inches_per_hour`` in the hour, x3 over 3 h, x24 over the day."""
    if inches_per_hour < 0:
        raise ValueError(f"inches_per_hour must be >= 0, got {inches_per_hour}")
    scale = {"precip": 1, "precip_3h": 3, "precip_day": 24}
    return features.assign(
        **{c: features[c].fillna(0) + inches_per_hour * k for c, k in scale.items()}
    )


def with_lower_visibility(features: pd.DataFrame, miles: float) -> pd.DataFrame:
    """Cap visibility at the origin (the hour, the next 3 hours, the day) at ``miles``."""
    if not 0 <= miles <= 10:
        raise ValueError(f"visibility is measured in 0..10 miles, got {miles}")
    return features.assign(**{c: features[c].fillna(10).clip(upper=miles) for c in VISIB_COLUMNS})


def mean_score_by_departure_hour(
    model: object, schedule: pd.DataFrame, hours: list[int]
) -> pd.Series:
    """Mean score of the same flights re-timed to leave at each of ``hours`` (HH:00).

    Why it matters: it draws the model's belief about the clock ("delays pile up during
    the day") from the flights themselves; a directional test then checks its slope.
    """
    current = schedule["sched_dep_time"].to_numpy() // 100
    means = {}
    for hour in hours:
        means[hour] = float(score(model, shift_departure(schedule, hour - current)).mean())
    return pd.Series(means, name="mean_score").rename_axis("departure_hour")
