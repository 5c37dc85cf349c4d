"""Tests of the evaluate stage: the metrics contract, determinism, errors and the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from labs_common import paths
from module05_business.evaluate import (
    app,
    evaluate_scores,
    read_scores,
    round_floats,
    summary_line,
    validate_scores,
    write_reports,
)
from module05_business.threshold import RULES

#: The keys the lead's pipeline (register stage, dvc metrics) relies on.
REQUIRED_KEYS = {
    "test_roc_auc", "test_pr_auc", "test_log_loss", "test_brier", "valid_roc_auc", "threshold",
    "threshold_rule", "test_cost", "cost_flag_none", "cost_flag_all",
    "cost_saving_vs_best_trivial", "test_precision", "test_recall", "test_flag_rate",
    "confusion", "n_test", "test_late_share", "slices", "max_slice_gap",
}  # fmt: skip


def test_evaluate_scores_returns_every_required_key(scores, params):
    metrics, _, _ = evaluate_scores(scores, params)
    assert set(metrics) >= REQUIRED_KEYS
    assert set(metrics["confusion"]) == {"tp", "fp", "tn", "fn"}
    assert sum(metrics["confusion"].values()) == metrics["n_test"] == 1000


def test_evaluate_scores_cost_agrees_with_the_confusion_counts(scores, params):
    metrics, _, _ = evaluate_scores(scores, params)
    c = metrics["confusion"]
    expected = (c["fn"] * params.cost.missed_delay + c["fp"] * params.cost.false_alert) / 1000
    assert metrics["test_cost"] == pytest.approx(expected, abs=1e-6)
    best_trivial = min(metrics["cost_flag_none"], metrics["cost_flag_all"])
    saving = 1 - metrics["test_cost"] / best_trivial
    assert metrics["cost_saving_vs_best_trivial"] == pytest.approx(saving, abs=1e-5)
    assert metrics["cost_saving_vs_best_trivial"] > 0


@pytest.mark.parametrize("rule", RULES)
def test_evaluate_scores_uses_the_rule_of_params(scores, params_with_rule, rule):
    metrics, report, _ = evaluate_scores(scores, params_with_rule(rule))
    assert metrics["threshold_rule"] == report["chosen"] == rule
    assert metrics["threshold"] == report["rules"][rule]["threshold"]
    assert [name for name, r in report["rules"].items() if r["chosen"]] == [rule]


def test_threshold_report_has_every_rule_and_an_unchosen_oracle(scores, params):
    _, report, _ = evaluate_scores(scores, params)
    assert list(report["rules"]) == [*RULES, "oracle"]
    oracle = report["rules"]["oracle"]
    assert oracle["chosen"] is False
    for name in ("theoretic", "validation_grid"):  # grid points, so the oracle can't lose
        assert oracle["test_cost"] <= report["rules"][name]["test_cost"]
    for rule in report["rules"].values():
        assert {"threshold", "test_cost", "cost_saving_vs_best_trivial", "chosen"} <= set(rule)


def test_evaluate_scores_is_byte_identical_across_runs(scores, params, tmp_path):
    first = write_reports(*evaluate_scores(scores, params), tmp_path / "a")
    second = write_reports(*evaluate_scores(scores.copy(), params), tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def _floats(obj):
    if isinstance(obj, dict):
        return [f for v in obj.values() for f in _floats(v)]
    return [obj] if isinstance(obj, float) else []


def test_evaluate_scores_rounds_floats_to_6_decimals(scores, params):
    metrics, report, plots = evaluate_scores(scores, params)
    floats = _floats(metrics) + _floats(report)
    assert floats and all(round(f, 6) == f for f in floats)
    for table in plots.values():
        numbers = table.select_dtypes("float").to_numpy().ravel()
        assert (numbers.round(6) == numbers).all()
        assert len(table) <= 200


def test_round_floats_converts_numpy_scalars():
    import numpy as np

    assert round_floats({"a": np.float64(0.1234567891), "b": [np.int64(3)]}) == {
        "a": 0.123457, "b": [3]}  # fmt: skip
    assert str(round_floats(-1e-9)) == "0.0"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda df: df.drop(columns="proba"), "lack columns"),
        (lambda df: df[df["split"] == "valid"], "splits 'valid' and 'test'"),
        (lambda df: df.assign(y=df["y"] * 2), "only 0 and 1"),
        (lambda df: df.assign(proba=df["proba"] + 1), r"probabilities in \[0, 1\]"),
    ],
    ids=["missing-column", "missing-split", "bad-label", "bad-proba"],
)
def test_validate_scores_rejects_bad_input(scores, change, message):
    with pytest.raises(ValueError, match=message):
        validate_scores(change(scores))


def test_read_scores_says_to_run_train_when_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"run `dvc repro train` first"):
        read_scores(tmp_path / "scores.parquet")


def test_main_exits_with_code_1_when_scores_are_missing(tmp_path):
    result = CliRunner().invoke(app, ["--scores-path", str(tmp_path / "none.parquet"),
                                      "--out-dir", str(tmp_path)])  # fmt: skip
    assert result.exit_code == 1
    assert not (tmp_path / "metrics.json").exists()


def test_main_writes_only_the_declared_outputs(scores, tmp_path):
    scores.to_parquet(tmp_path / "scores.parquet")
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        app, ["--scores-path", str(tmp_path / "scores.parquet"), "--params-path",
              str(paths.PARAMS_PATH), "--out-dir", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == ["metrics.json", "plots/calibration.csv", "plots/cost_curve.csv",
                       "plots/pr.csv", "plots/roc.csv", "threshold.json"]  # fmt: skip
    assert json.loads((out / "metrics.json").read_text())["n_test"] == 1000


def test_summary_line_names_rule_and_saving(scores, params):
    metrics, _, _ = evaluate_scores(scores, params)
    line = summary_line(metrics)
    assert "Rule theoretic" in line and "%" in line


@pytest.mark.data
def test_evaluate_scores_on_the_real_scores_saves_money(params):
    path = paths.PROCESSED / "scores.parquet"
    if not path.exists():
        pytest.skip("data/processed/scores.parquet not built: run `dvc repro train`")
    metrics, report, _ = evaluate_scores(read_scores(path), params)
    assert metrics["n_test"] > 10_000
    assert metrics["cost_saving_vs_best_trivial"] > 0, "the model must beat the trivial rules"
    assert report["rules"]["oracle"]["chosen"] is False
