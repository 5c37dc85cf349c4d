from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from capstone.cli import app
from module06_lifecycle.fixtures import TinySetup

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
