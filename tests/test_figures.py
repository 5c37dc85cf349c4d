"""Every figure a lesson or guide quotes says what its results file holds.

Why it matters: a number typed by hand drifts from the run that produced it. The figures
are declared once (docs/figures.yaml) and checked here after `dvc repro` and the
benchmarks; `python -m labs_common.figures --write` brings the documents up to date.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labs_common import paths
from labs_common.figures import Figure, load_figures, rewrite, stale

FIGURES = load_figures()


def _doc_and_source(tmp_path: Path, text: str, value: float) -> Figure:
    (tmp_path / "r.json").write_text(json.dumps({"test": {"roc_auc": value}}))
    (tmp_path / "d.md").write_text(text)
    return Figure(doc="d.md", source="r.json", key="test.roc_auc", says="test ROC AUC {:.3f}")


def test_a_wrapped_figure_that_matches_its_source_passes(tmp_path: Path) -> None:
    fig = _doc_and_source(tmp_path, "The model scores a\ntest ROC\nAUC 0.690 on Nov-Dec.", 0.6904)
    assert stale([fig], tmp_path) == []


def test_a_figure_its_source_does_not_hold_fails(tmp_path: Path) -> None:
    fig = _doc_and_source(tmp_path, "The model scores a test ROC AUC 0.706.", 0.6904)
    assert stale([fig], tmp_path) == [
        "d.md: should say 'test ROC AUC 0.690' (r.json: test.roc_auc)"
    ]


def test_rewrite_puts_the_source_value_in_place(tmp_path: Path) -> None:
    fig = _doc_and_source(tmp_path, "A test ROC\nAUC 0.706, then more.", 0.6904)
    assert rewrite([fig], tmp_path) == ["d.md"]
    # Only the number changes: the document keeps its own line breaks.
    assert (tmp_path / "d.md").read_text() == "A test ROC\nAUC 0.690, then more."
    assert stale([fig], tmp_path) == [] and rewrite([fig], tmp_path) == []


def test_rewrite_refuses_a_document_whose_words_changed(tmp_path: Path) -> None:
    fig = _doc_and_source(tmp_path, "The AUC on the test months is 0.706.", 0.6904)
    with pytest.raises(ValueError, match="does not contain 'test ROC AUC"):
        rewrite([fig], tmp_path)


def test_a_missing_key_is_named(tmp_path: Path) -> None:
    fig = _doc_and_source(tmp_path, "x", 0.5)
    bad = Figure(doc=fig.doc, source=fig.source, key="test.pr_auc", says="{}")
    with pytest.raises(KeyError, match=r"r\.json has no 'test\.pr_auc'"):
        bad.value(tmp_path)


def test_every_declared_document_exists() -> None:
    missing = sorted({f.doc for f in FIGURES if not (paths.ROOT / f.doc).exists()})
    assert not missing


@pytest.mark.parametrize("fig", FIGURES, ids=lambda f: f"{f.doc}:{f.key}")
def test_documents_quote_what_the_results_hold(fig: Figure) -> None:
    if not (paths.ROOT / fig.source).exists():
        pytest.skip(f"{fig.source} is made by the pipeline or a benchmark; not here yet")
    assert stale([fig]) == [], "run: python -m labs_common.figures --write"
