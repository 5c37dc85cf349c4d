"""The scheduled monitor's state lives in its issue: the next month, and the body it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from module09_monitoring.scheduled import issue_body, main, monitored_months, next_month

ENTRY = {"month": 9, "period": "2013-09", "drift_share": 0.125, "roc_auc": 0.7123,
         "retrain": False, "alerts": ["feature_drift"]}  # fmt: skip


def test_body_adds_a_row_per_month_and_the_next_run_moves_on() -> None:
    first = issue_body("", ENTRY, code=3)
    assert monitored_months(first) == [9]
    assert "| 2013-09 | alert | 12% | 0.712 | False | feature_drift |" in first
    second = issue_body(first, {**ENTRY, "month": 10, "period": "2013-10", "alerts": []}, 0)
    assert monitored_months(second) == [9, 10]
    assert second.count("| 2013-") == 2 and "| 2013-10 | ok | 12% |" in second
    assert next_month(monitored_months(second), [9, 10, 11, 12]) == 11


@pytest.mark.parametrize(("done", "expected"), [([], 9), ([9, 11], 10), ([9, 10, 11, 12], None)])
def test_next_month_is_the_first_not_done(done: list[int], expected: int | None) -> None:
    assert next_month(done, [9, 10, 11, 12]) == expected


def test_main_body_reads_gh_json_and_the_monitor_entry(tmp_path: Path) -> None:
    previous = issue_body("", ENTRY, 0)
    (tmp_path / "issue.json").write_text(json.dumps([{"number": 7, "body": previous}]))
    (tmp_path / "entry.json").write_text(json.dumps({**ENTRY, "month": 10, "period": "2013-10"}))
    files = {name: str(tmp_path / name) for name in ("issue.json", "entry.json", "body.md")}
    main(["body", "--issue", files["issue.json"], "--entry", files["entry.json"], "--code", "3",
          "--out", files["body.md"]])  # fmt: skip
    assert monitored_months((tmp_path / "body.md").read_text()) == [9, 10]


@pytest.mark.data
def test_main_next_writes_only_the_new_month(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import pandas as pd

    (tmp_path / "issue.json").write_text(
        json.dumps([{"number": 7, "body": issue_body("", ENTRY, 0)}])
    )
    main(["next", "--issue", str(tmp_path / "issue.json"), "--out", str(tmp_path / "m.parquet")])
    assert capsys.readouterr().out.strip() == "10"
    assert set(pd.read_parquet(tmp_path / "m.parquet")["month"]) == {10}
