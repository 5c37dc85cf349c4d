from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from module04_ml_fundamentals.features import add_label
from module06_lifecycle.fixtures import TinySetup
from module08_deployment.pipeline import (
    FlakyReader,
    month_report,
    read_month,
    start_local_api,
    summarise_scores,
)


def test_read_month_keeps_one_month(tiny_flights: pd.DataFrame, tmp_path: Path) -> None:
    tiny_flights.to_parquet(tmp_path / "f.parquet")
    month = int(tiny_flights["month"].iloc[0])
    got = read_month(month, tmp_path / "f.parquet")
    assert len(got) == (tiny_flights["month"] == month).sum()
    assert (got["month"] == month).all() and got.index.tolist() == list(range(len(got)))


def test_read_month_refuses_a_month_outside_1_12(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"month must be in 1\.\.12, got 13"):
        read_month(13, tmp_path / "nothing.parquet")


def test_summarise_scores_counts_flags_and_the_late_share() -> None:
    flags = [False, True, True, False]
    scored = pd.DataFrame({"probability": [0.1, 0.3, 0.5, 0.1], "delayed": flags,
                           "model_version": "7"})  # fmt: skip
    got = summarise_scores(scored, pd.Series([0, 1, 0, 0]))
    assert got == {"flights": 4, "flagged": 2, "flag_rate": 0.5, "mean_probability": 0.25,
                   "model_version": "7", "late_share": 0.25}  # fmt: skip
    assert "late_share" not in summarise_scores(scored)


def test_flaky_reader_fails_the_first_calls_then_reads() -> None:
    reader = FlakyReader(lambda month: month * 2, failures=2)
    for attempt in (1, 2):
        with pytest.raises(OSError, match=f"attempt {attempt}"):
            reader(3)
    assert reader(3) == 6 and reader.calls == 3


@pytest.mark.slow  # a temporary Prefect server starts (tens of seconds on a busy machine)
def test_month_report_flow_summarises_a_month(tiny_setup: TinySetup, tmp_path: Path) -> None:
    from prefect.testing.utilities import prefect_test_harness

    flights = add_label(tiny_setup.flights, 15)
    flights.to_parquet(tmp_path / "flights.parquet")
    with prefect_test_harness(server_startup_timeout=None):
        got = month_report(11, str(tmp_path / "flights.parquet"), str(tiny_setup.model_dir))
    november = flights.loc[flights["month"] == 11]
    assert got["flights"] == len(november)
    assert got["late_share"] == round(float(november["late"].mean()), 4)
    assert 0 <= got["flag_rate"] <= 1


def test_start_local_api_starts_the_server_in_another_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from prefect.server.api.server import SubprocessASGIServer

    started = []
    monkeypatch.setattr(SubprocessASGIServer, "start",
                        lambda self: started.append(threading.current_thread()))  # fmt: skip
    thread = start_local_api()
    thread.join(timeout=10)
    assert started == [thread] and thread is not threading.main_thread()
