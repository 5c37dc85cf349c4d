from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module09_monitoring.fixtures import ReplayWorld
from module09_monitoring.prediction_log import join_labels, monitor_log, row_problems, split_log
from module09_monitoring.reference import Reference, model_scores
from module09_monitoring.tests.conftest import FAST


def _log(world: ReplayWorld, month: int = 0) -> pd.DataFrame:
    flights = world.months[month]
    rows = flights[SCHEDULE_COLUMNS].astype({c: object for c in ("carrier", "origin", "dest")})
    return rows.assign(
        probability=model_scores(world.model, flights),
        prediction_id=[f"p{i}" for i in range(len(rows))],
        ts=pd.date_range("2013-09-01", periods=len(rows), freq="min", tz="UTC"),
        model_version="7",
        threshold=0.2,
    )


def _break(rows: pd.DataFrame) -> pd.DataFrame:
    bad = rows.copy()
    bad.loc[0, "probability"] = np.nan
    bad.loc[1, "probability"] = 1.5
    bad.loc[2, ["month", "day"]] = [2, 30]
    bad.loc[3, "carrier"] = "ZZ"
    bad.loc[4, "prediction_id"] = "p5"
    return bad


def test_row_problems_names_each_broken_row(world: ReplayWorld) -> None:
    why = row_problems(_break(_log(world)))
    assert why[0] == why[1] == "probability missing or outside [0, 1]"
    assert why[2].startswith("row: date_exists")
    assert why[3].startswith("carrier: isin")
    assert why[5] == "duplicate prediction_id"  # the second occurrence is the duplicate
    assert (why[6:] == "").all()


def test_row_problems_needs_the_log_columns(world: ReplayWorld) -> None:
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['probability'\]"):
        row_problems(_log(world).drop(columns=["probability"]))


def test_split_log_reports_rejected_rows_instead_of_dropping_them(world: ReplayWorld) -> None:
    rows = _break(_log(world))
    good, report = split_log(rows)
    assert report["rows"] == len(rows)
    assert report["rejected"] == 5 and report["usable"] == len(rows) - 5 == len(good)
    assert sum(report["reasons"].values()) == 5
    assert report["example_rows"] == [0, 1, 2, 3, 5]


def test_join_labels_matches_landed_flights_only(world: ReplayWorld) -> None:
    good, _ = split_log(_log(world))
    outcomes = world.months[0].assign(
        arr_delay=world.months[0]["arr_delay"].mask(pd.Series(range(len(good))) < 10)
    )
    joined = join_labels(good, outcomes, 15)
    assert joined["late"].isna().sum() == 10
    known = joined["late"].notna()
    assert (joined.loc[known, "late"] == world.months[0].loc[known, "late"]).all()


def test_monitor_log_monitors_usable_rows_and_raises_an_alert(
    world: ReplayWorld, reference: Reference
) -> None:
    entry = monitor_log(_break(_log(world)), world.model, reference, FAST, outcomes=world.months[0])
    assert entry["rows"] == len(world.months[0]) - 5
    assert entry["log_check"]["rejected"] == 5
    assert "rejected_rows" in entry["alerts"]
    assert entry["roc_auc"] is not None


def test_monitor_log_refuses_a_log_without_one_usable_row(
    world: ReplayWorld, reference: Reference
) -> None:
    rows = _log(world).assign(probability=np.nan)
    with pytest.raises(ValueError, match="no usable row"):
        monitor_log(rows, world.model, reference, FAST)


def test_monitor_log_judges_with_the_threshold_the_service_logged(
    world: ReplayWorld, reference: Reference
) -> None:
    rows = _log(world).assign(threshold=0.35)
    entry = monitor_log(rows, world.model, reference, FAST, threshold=0.5)
    assert entry["log_check"]["threshold"] == 0.35, "the logged threshold, not the default"
    bare = _log(world).drop(columns=["threshold"])
    assert monitor_log(bare, world.model, reference, FAST, threshold=0.3)["log_check"][
        "threshold"
    ] == pytest.approx(0.3)
    with pytest.raises(ValueError, match="carries no threshold"):
        monitor_log(bare, world.model, reference, FAST)


def test_monitor_log_watches_the_version_serving_now(
    world: ReplayWorld, reference: Reference
) -> None:
    rows = _log(world)
    promoted = rows.index >= len(rows) // 3  # a promotion a third into the month
    rows = rows.assign(
        model_version=np.where(promoted, "8", "7"), threshold=np.where(promoted, 0.25, 0.2)
    ).sample(frac=1.0, random_state=1)  # the log's order is not the time order
    entry = monitor_log(rows, world.model, reference, FAST)
    check = entry["log_check"]
    assert check["model_version"] == "8" and check["threshold"] == 0.25
    assert check["other_versions"] == {"7": int((~promoted).sum())}
    assert entry["rows"] == int(promoted.sum())
    assert any("other versions left out" in r for r in entry["reasons"])
