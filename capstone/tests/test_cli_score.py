"""`labs score` (capstone.cli): a file or a month, in one process or on a Dask scheduler."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from capstone.cli import app
from module06_lifecycle.fixtures import TinySetup, sample_flights
from module08_deployment import scale_out
from module08_deployment.server import free_port

runner = CliRunner()


def test_score_needs_exactly_one_source() -> None:
    result = runner.invoke(app, ["score"])
    assert result.exit_code == 1
    assert "exactly one of --month M or --input PATH" in " ".join(result.output.split())


@pytest.mark.slow
def test_score_writes_the_scored_file(tiny_registry: TinySetup, tmp_path: Path) -> None:
    source, target = tmp_path / "in.parquet", tmp_path / "out.parquet"
    tiny_registry.flights.head(40).to_parquet(source)
    model = f"models:/{tiny_registry.name}@champion"
    result = runner.invoke(
        app, ["score", "--input", str(source), "--output", str(target), "--model", model]
    )
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(target)) == 40
    assert "Batch scoring" in result.output


def test_score_reports_a_missing_model_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", "--month", "11", "--model", str(tmp_path)])
    assert result.exit_code == 1
    assert "not an MLflow model folder" in " ".join(result.output.split())  # rich wraps


@pytest.mark.slow
def test_labs_score_on_a_scheduler_writes_what_one_process_writes(
    scheduler: str, tiny_setup: TinySetup, tmp_path: Path
) -> None:
    source = tmp_path / "schedule.parquet"
    sample_flights(200, seed=7).to_parquet(source)
    base = ["score", "--input", str(source), "--model", str(tiny_setup.model_dir)]
    here = runner.invoke(app, [*base, "--output", str(tmp_path / "here.parquet")])
    there = runner.invoke(
        app, [*base, "--output", str(tmp_path / "there.parquet"), "--scheduler", scheduler]
    )
    assert (here.exit_code, there.exit_code) == (0, 0), there.output
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "there.parquet"), pd.read_parquet(tmp_path / "here.parquet")
    )


@pytest.mark.slow
def test_labs_score_names_a_scheduler_that_does_not_answer(
    tiny_setup: TinySetup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scale_out, "CONNECT_TIMEOUT", "1s")
    source = tmp_path / "schedule.parquet"
    sample_flights(20, seed=8).to_parquet(source)
    address = f"tcp://127.0.0.1:{free_port()}"
    args = ["score", "--input", str(source), "--output", str(tmp_path / "out.parquet")]
    result = runner.invoke(
        app, [*args, "--model", str(tiny_setup.model_dir), "--scheduler", address]
    )
    assert result.exit_code == 1
    assert f"no Dask scheduler answered at {address}" in " ".join(result.output.split())
    assert not (tmp_path / "out.parquet").exists()  # nothing half-written
