"""Benchmark: how far do more features known at the decision time take the model?

The pipeline issue set a goal of test ROC AUC 0.72 (0.70 at least), and the decision time
(weather observed only up to ``features.decision_hours`` before departure) costs some of
it. This script measures the candidates that are honest at the decision time
and cheap to serve, each added to the capstone's features and fitted with the capstone's
model settings on the same temporal split, so that the decision not to add them rests on
figures anyone can re-run:

- **congestion**: departures the published schedule has at the origin in the same hour
  and on the same day, and the carrier's departures that day;
- **rotation**: which leg of the aircraft's day from New York this is, of how many;
- **weather trends and NYC-wide weather**: how pressure, temperature and visibility
  changed over the 3 hours before the decision time, and the extremes of the 3 and 24
  hours before it over all three New York airports;
- **target encodings**: past late rates of the tail number, flight number, route and of
  carrier, origin and destination by hour, cross-fitted on the training months
  (scikit-learn's ``TargetEncoder``);
- **recent late shares**: the share of late flights over the days before the flight's
  day, New-York-wide and by origin, carrier and destination; known the evening before, but
  only with a daily feed of outcomes, which the capstone's self-contained model lacks;
- the capstone's features on the training *and* validation months (more recent data),
  and two other model sizes;
- a month-by-month backtest of the recent late shares (May to October, each month scored
  by a model trained on the months before it), to see whether their gain holds.

Run with ``python -m benchmarks.features`` (about four minutes on 2 cores); results in
``benchmarks/results/features.{json,md}``. It needs ``dvc repro split`` first.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import TargetEncoder

from benchmarks import save_results
from labs_common import contract, paths
from labs_common.config import load_params
from module04_ml_fundamentals import features as F
from module04_ml_fundamentals.train import build_classifier

log = logging.getLogger(__name__)

RESULTS = paths.ROOT / "benchmarks" / "results"
PARTS = ("train", "valid", "test")


def _schedule(flights: pd.DataFrame) -> pd.DataFrame:
    """The published schedule (every flight, cancelled ones too) with day and hour keys."""
    return flights[F.SCHEDULE_COLUMNS].assign(
        date=pd.to_datetime(flights[["year", "month", "day"]]),
        hour=flights["sched_dep_time"] // 100,
    )


def congestion(schedule: pd.DataFrame) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """Counts of scheduled departures, looked up by origin, day, hour and carrier."""
    keys = {
        "dep_same_hour": ["origin", "date", "hour"],
        "dep_same_day": ["origin", "date"],
        "carrier_dep_day": ["carrier", "date"],
    }
    counts = {
        name: schedule.groupby(cols, observed=True).size().rename(name)
        for name, cols in keys.items()
    }

    def add(X: pd.DataFrame) -> pd.DataFrame:
        d = _schedule(X)
        for name, cols in keys.items():
            d = d.join(counts[name], on=cols)
        return d[list(keys)].astype(float)

    return add


def rotation(schedule: pd.DataFrame) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """The leg of the aircraft's day (1 = its first departure from New York) and the count."""
    s = schedule.dropna(subset=["tailnum"]).sort_values(["tailnum", "date", "sched_dep_time"])
    legs = s.assign(
        leg=s.groupby(["tailnum", "date"]).cumcount() + 1,
        legs_day=s.groupby(["tailnum", "date"])["flight"].transform("size"),
    )
    key = ["carrier", "flight", "date", "sched_dep_time", "origin"]
    table = legs.set_index(key)[["leg", "legs_day"]]
    table = table[~table.index.duplicated()]

    def add(X: pd.DataFrame) -> pd.DataFrame:
        return _schedule(X).join(table, on=key)[["leg", "legs_day"]].astype(float)

    return add


def weather_around(
    fitted: F.FlightFeatures, decision_hours: int
) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """Weather trends up to the decision time and New-York-wide extremes, from the grid.

    Only rows of the observed grid at or before each flight's last known hour are read, so
    these candidates respect the decision time as the capstone's features do.
    """
    grid, origins = fitted.weather_grid_, fitted.weather_origins_
    col = {name: i for i, name in enumerate(F.WEATHER_COLUMNS + F.WEATHER_WINDOW_COLUMNS)}
    last = grid.shape[1] - 1

    def add(X: pd.DataFrame) -> pd.DataFrame:
        o = np.searchsorted(origins, X["origin"].astype(str).to_numpy())
        h = np.clip(F.decision_hour_index(X, decision_hours), 0, last)

        def change(name: str, hours: int) -> np.ndarray:
            return grid[o, h, col[name]] - grid[o, np.clip(h - hours, 0, last), col[name]]

        every_airport = grid[:, h, :]  # (airports, flights, features)
        with np.errstate(all="ignore"):
            return pd.DataFrame(
                {
                    "pressure_change_3h": change("pressure", 3),
                    "temp_change_3h": change("temp", 3),
                    "visib_change_3h": change("visib", 3),
                    "nyc_precip_3h": np.nanmax(every_airport[:, :, col["precip_3h"]], 0),
                    "nyc_precip_day": np.nanmax(every_airport[:, :, col["precip_day"]], 0),
                    "nyc_visib_min_day": np.nanmin(every_airport[:, :, col["visib_min_day"]], 0),
                    "nyc_gust_max_day": np.nanmax(every_airport[:, :, col["gust_max_day"]], 0),
                },
                index=X.index,
            )

    return add


#: Recent late shares: (grouping column or None for all New York, days looked back).
RECENT_WINDOWS = {
    "late_nyc_1d": (None, 1),
    "late_nyc_7d": (None, 7),
    "late_origin_7d": ("origin", 7),
    "late_carrier_7d": ("carrier", 7),
    "late_dest_14d": ("dest", 14),
}


def recent_late_shares(
    labelled: pd.DataFrame, prior: float, weight: float = 10.0
) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """Late shares over the days *before* each flight's day, never that day itself.

    Known the evening before, as the weather forecast is, but only with a daily feed of
    outcomes: the capstone's model would have to read a table refreshed every day (a
    feature store) rather than carry its lookups. Shares are pulled toward ``prior`` by
    ``weight`` flights, so a day with three flights does not say 0% or 100%.
    """
    dates = pd.to_datetime(labelled[["year", "month", "day"]])
    every_day = pd.date_range(dates.min(), dates.max(), name="date")
    flights = labelled.assign(date=dates, everyone="all")
    tables = {}
    for name, (group, days) in RECENT_WINDOWS.items():
        by = group or "everyone"
        daily = flights.pivot_table(
            index="date", columns=by, values=F.LABEL, aggfunc=["sum", "count"], observed=True
        ).reindex(every_day, fill_value=0)
        past = daily.rolling(days, min_periods=1).sum().shift(1)  # days d-n .. d-1
        share = ((past["sum"] + weight * prior) / (past["count"] + weight)).stack()
        share.index = share.index.set_names(["date", by])
        share.index = share.index.set_levels(share.index.levels[1].astype(str), level=1)
        tables[name] = (by, share.rename(name))

    def add(X: pd.DataFrame) -> pd.DataFrame:
        d = (
            X[["origin", "carrier", "dest"]]
            .astype(str)
            .assign(date=pd.to_datetime(X[["year", "month", "day"]]), everyone="all")
        )
        for by, table in tables.values():
            d = d.join(table, on=["date", by])
        return d[list(RECENT_WINDOWS)].astype(float)

    return add


def _keys(X: pd.DataFrame) -> pd.DataFrame:
    hour = (X["sched_dep_time"] // 100).astype(str)
    text = {c: X[c].astype(str) for c in ("carrier", "origin", "dest", "tailnum", "flight")}
    return pd.DataFrame(
        {
            "tailnum": text["tailnum"],
            "flight_no": text["carrier"] + text["flight"],
            "route": text["origin"] + "-" + text["dest"],
            "carrier_hour": text["carrier"] + hour,
            "origin_hour": text["origin"] + hour,
            "dest_hour": text["dest"] + hour,
        },
        index=X.index,
    )


def _matrices(
    parts: dict[str, pd.DataFrame],
    base: dict[str, pd.DataFrame],
    adders: list[Callable],
    encode: bool = False,
) -> dict[str, pd.DataFrame]:
    """Feature matrices of each part: the capstone's columns (``base``, computed once by the
    caller) plus the candidates'."""
    out = {name: pd.concat([base[name], *(add(X) for add in adders)], axis=1)
           for name, X in parts.items()}  # fmt: skip
    if encode:
        enc = TargetEncoder(target_type="binary", random_state=0)
        keys = {name: _keys(X) for name, X in parts.items()}
        # fit_transform cross-fits, so a training row never sees its own label.
        encoded = {"train": enc.fit_transform(keys["train"], parts["train"][F.LABEL])}
        encoded |= {n: enc.transform(keys[n]) for n in ("valid", "test")}
        for name in out:
            te = pd.DataFrame(encoded[name], columns=[f"te_{c}" for c in keys[name]],
                              index=out[name].index)  # fmt: skip
            out[name] = pd.concat([out[name], te], axis=1)
    for c in F.CATEGORICAL_FEATURES:
        dtype = pd.CategoricalDtype(sorted(out["train"][c].unique()))
        for name in out:
            out[name][c] = out[name][c].astype(dtype)
    return out


def _score(model: HistGradientBoostingClassifier, X: dict, parts: dict) -> dict[str, float]:
    return {
        f"{n}_roc_auc": round(roc_auc_score(parts[n][F.LABEL], model.predict_proba(X[n])[:, 1]), 4)
        for n in ("valid", "test")
    }


def backtest(
    labelled: pd.DataFrame, fitted: F.FlightFeatures, model: Callable, months: list[int]
) -> list[dict]:
    """Score each month with a model trained on every month before it, without and with
    the recent late shares: does their gain hold month after month, or only in one period?

    Only months before the test months take part, so this is a fair way to decide.
    """
    features = fitted.transform(labelled)  # the capstone's columns, once for every month
    rows = []
    for month in months:
        is_before, is_target = labelled["month"] < month, labelled["month"] == month
        before, target = labelled[is_before], labelled[is_target]
        parts = {"train": before, "valid": target}
        base = {"train": features[is_before], "valid": features[is_target]}
        scores = {}
        for name, adders in (
            ("base", []),
            ("recent", [recent_late_shares(labelled, float(before[F.LABEL].mean()))]),
        ):
            X = _matrices(parts, base, adders)
            clf = model().fit(X["train"], before[F.LABEL])
            scores[name] = round(
                roc_auc_score(target[F.LABEL], clf.predict_proba(X["valid"])[:, 1]), 4
            )
        rows.append({"month": month, "base_roc_auc": scores["base"],
                     "recent_roc_auc": scores["recent"],
                     "gain": round(scores["recent"] - scores["base"], 4)})  # fmt: skip
        log.info("backtest %s", rows[-1])
    return rows


def run() -> dict:
    """Fit every candidate and return the scores, in one process."""
    params = load_params()
    parts = {n: pd.read_parquet(paths.PROCESSED / f"{n}.parquet") for n in PARTS}
    schedule = _schedule(pd.read_parquet(paths.RAW / "flights.parquet"))
    fitted = F.FlightFeatures(
        str(paths.RAW / "weather.parquet"),
        str(paths.RAW / "planes.parquet"),
        use_weather=params.features.use_weather,
        decision_hours=params.features.decision_hours,
    ).fit(parts["train"])
    base = {n: fitted.transform(X) for n, X in parts.items()}
    labelled = pd.read_parquet(contract.LABELLED_FLIGHTS)
    adders = {"congestion": congestion(schedule), "rotation": rotation(schedule)}
    if params.features.use_weather:  # the ablation setting has no weather grid to widen
        adders["weather trends and NYC-wide, to the decision"] = weather_around(
            fitted, params.features.decision_hours
        )
    train_json = json.loads(contract.TRAIN_REPORT.read_text())
    best = train_json["best_params"]

    # Not in "all of the above": it needs outcomes the capstone's model cannot carry.
    recent = {"recent": recent_late_shares(labelled, float(parts["train"][F.LABEL].mean()))}

    def model(**over: float) -> HistGradientBoostingClassifier:
        clf = build_classifier("hgb", params.train.seed, **{**best, **over})
        return clf.set_params(categorical_features="from_dtype")

    candidates = [
        ("the capstone's features", [], False, {}),
        *((f"+ {name}", [name], False, {}) for name in adders),
        ("+ target encodings", [], True, {}),
        ("+ all of the above", list(adders), True, {}),
        ("+ recent late shares (the days before; needs a daily feed)", ["recent"], False, {}),
        ("capstone's features, smaller trees (15 leaves, 500 rounds)", [], False,
         {"max_leaf_nodes": 15, "max_iter": 500}),
        ("capstone's features, min 200 flights per leaf", [], False, {"min_samples_leaf": 200}),
    ]  # fmt: skip
    rows = []
    for label, names, encode, over in candidates:
        start = time.perf_counter()
        X = _matrices(parts, base, [(adders | recent)[n] for n in names], encode)
        clf = model(**over).fit(X["train"], parts["train"][F.LABEL])
        rows.append({"candidate": label, **_score(clf, X, parts),
                     "seconds": round(time.perf_counter() - start, 1)})  # fmt: skip
        log.info("%s", rows[-1])

    start = time.perf_counter()
    X = _matrices(parts, base, [])
    both = pd.concat([X["train"], X["valid"]])
    clf = model().fit(both, pd.concat([parts["train"][F.LABEL], parts["valid"][F.LABEL]]))
    rows.append({"candidate": "capstone's features, trained on train + validation months",
                 "valid_roc_auc": None, "test_roc_auc": _score(clf, X, parts)["test_roc_auc"],
                 "seconds": round(time.perf_counter() - start, 1)})  # fmt: skip
    first_test = min(params.split.test_months)
    return {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "model": {"kind": "hgb", **best},
        "goal_test_roc_auc": 0.72,
        "candidates": rows,
        "recent_shares_backtest": backtest(labelled, fitted, model, list(range(5, first_test))),
    }


def to_markdown(result: dict) -> str:
    """The candidates as a table, best test score marked."""
    rows = result["candidates"]
    top = max(r["test_roc_auc"] for r in rows)
    lines = ["| candidate | valid ROC AUC | test ROC AUC | seconds |", "|---|---:|---:|---:|"]
    for r in rows:
        valid = "-" if r["valid_roc_auc"] is None else f"{r['valid_roc_auc']:.4f}"
        test = f"{r['test_roc_auc']:.4f}" + (" (best)" if r["test_roc_auc"] == top else "")
        lines.append(f"| {r['candidate']} | {valid} | {test} | {r['seconds']} |")
    months = result["recent_shares_backtest"]
    lines += [
        "\nRecent late shares, month by month (trained on every earlier month; the test "
        "months take no part):\n",
        "| month | without | with | gain |",
        "|---:|---:|---:|---:|",
        *(f"| {m['month']} | {m['base_roc_auc']:.4f} | {m['recent_roc_auc']:.4f} "
          f"| {m['gain']:+.4f} |" for m in months),
        f"| mean | | | {sum(m['gain'] for m in months) / max(len(months), 1):+.4f} |",
    ]  # fmt: skip
    lines.append(
        f"\nGoal: test ROC AUC {result['goal_test_roc_auc']}. Machine: "
        f"{result['machine']['cpus']} CPUs, Python {result['machine']['python']}."
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    result = run()
    save_results(result, to_markdown(result), RESULTS / "features")


if __name__ == "__main__":
    from labs_common.logs import setup_logging
    from labs_common.tooling import configure_offline

    setup_logging()
    configure_offline()
    main()
