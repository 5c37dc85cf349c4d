"""The report site: every section from small fixture reports, missing ones, escaping, links.

The ``slow`` browser test opens the real site (built from this clone's reports) in headless
Chromium; it skips when Debian's chromium and chromium-driver are not installed.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from dvc.repo import Repo
from typer.testing import CliRunner

from capstone.site import build_site
from capstone.site.__main__ import app
from capstone.site.build import SECTIONS
from capstone.site.charts import to_svg
from capstone.site.dag import read_stages, reduce_edges, stage_edges, stage_layers
from capstone.site.sections import HEADLINE, _gate, fmt
from labs_common import paths

EVIL = "<script>alert('x')</script>"
DVC_YAML = """stages:
  ingest:
    cmd: python -m ingest --tag "<b>&"
    outs: [data/raw]
  features:
    cmd: python -m features
    deps: [data/raw/flights.parquet]
    outs: [data/interim/labelled.parquet]
    metrics: [{reports/features.json: {cache: false}}]
  train:
    cmd: python -m train
    deps: [data/interim/labelled.parquet, data/raw/weather.parquet]
    outs: [models/model]
"""
METRICS = {
    "test_roc_auc": 0.71234, "test_pr_auc": 0.45, "test_log_loss": 0.5, "test_brier": 0.17,
    "valid_roc_auc": 0.69, "valid_pr_auc": 0.34, "valid_log_loss": 0.39, "valid_brier": 0.12,
    "threshold": 0.2, "threshold_rule": "theoretic", "test_cost": 0.61, "cost_flag_none": 1.0,
    "cost_flag_all": 0.75, "cost_saving_vs_best_trivial": 0.18, "test_precision": 0.4,
    "test_recall": 0.6, "test_flag_rate": 0.4, "n_test": 1000, "n_valid": 900,
    "confusion": {"tp": 150, "fp": 250, "tn": 500, "fn": 100},
    "test_late_share": 0.25, "valid_late_share": 0.15, "max_slice_gap": 0.1,
    "slices": {"carrier": {"UA": {"n": 600, "late_share": 0.2, "cost": 0.6, "cost_saving": 0.1,
                                  "roc_auc": 0.7}}},
}  # fmt: skip
REPORTS = {
    "validation.json": {
        "ok": True,
        "tables": {"flights": {"rows": 1000, "errors": [], "warnings": [
            {"table": "flights", "column": "distance", "rule": EVIL, "severity": "warning",
             "failures": 1, "examples": [9999]}]}},
        "joins": {"planes": {"coverage": 0.84, "floor": 0.8, "ok": True}},
    },
    "metrics.json": METRICS,
    "threshold.json": {"rules": {
        "theoretic": {"threshold": 0.2, "chosen": True, "test_cost": 0.61, "valid_cost": 0.5,
                      "cost_saving_vs_best_trivial": 0.18},
        "oracle": {"threshold": 0.17, "chosen": False, "test_cost": 0.6, "valid_cost": 0.52,
                   "cost_saving_vs_best_trivial": 0.19}}},
    "registry.json": {"model_name": "flight-delay", "version": 7, "alias": "challenger",
                      "reasons": [f"FAIL: test ROC AUC 0.6 vs floor 0.70 {EVIL}",
                                  "pass: largest slice gap 0.1 vs bound 0.15"]},
    "train.json": {"model": "hgb"},
    "features.json": {"features": ["distance", "carrier"]},
    "monitoring/summary.json": [
        {"period": "2013-09", "rows": 2000, "drift_share": 0.0, "prediction_psi": 0.1,
         "prediction_psi_limit": 0.15, "label_rate": 0.13, "mean_score": 0.2, "roc_auc": 0.73,
         "alerts": ["calibration"], "reasons": ["calibration: gap +0.07"], "retrain": True,
         "promoted": False, "challenger": {"alias": "challenger"}},
        {"period": "2013-10", "rows": 2100, "drift_share": 0.25, "drifted_features": ["distance"],
         "prediction_psi": 0.2, "prediction_psi_limit": 0.15, "label_rate": 0.17,
         "mean_score": 0.18, "roc_auc": 0.68, "alerts": [], "reasons": [], "retrain": False,
         "promoted": False, "challenger": None},
    ],
}  # fmt: skip
PLOTS = {
    "roc.csv": "fpr,tpr,threshold\n0,0,1\n0.5,0.7,0.3\n1,1,0\n",
    "pr.csv": "recall,precision,threshold\n0,1,0.9\n0.5,0.5,0.3\n1,0.25,0\n",
    "calibration.csv": "mean_predicted,observed,n,bin\n0.1,0.12,10,0\n0.5,0.45,10,1\n",
    "cost_curve.csv": "threshold,test_cost,valid_cost\n0.1,0.8,0.7\n0.2,0.6,0.5\n0.3,0.7,0.6\n",
}
BENCHMARKS = {
    "benchmarks/results/pipeline.json": {"machine": {"cpus": 2}, "seconds": {"clean_repro": 60}},
    "benchmarks/serving/results/serving.json": {"machine": "2 CPUs", "servers": [
        {"server": "fastapi", "scenarios": [{"scenario": "fixed_rate", "requests": 200,
                                             "errors": 0, "p50_ms": 43.6, "p95_ms": 83.8,
                                             "p99_ms": 96.1, "throughput_rps": 10.0}]}]},
}  # fmt: skip


def _write(path: Path, content: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content))


@pytest.fixture
def empty_root(tmp_path: Path) -> Path:
    """A repository root with dvc.yaml and params.yaml, before any stage ran."""
    root = tmp_path / "repo"
    _write(root / "dvc.yaml", DVC_YAML)
    shutil.copy(paths.PARAMS_PATH, root / "params.yaml")
    Repo.init(str(root), no_scm=True).close()  # the site asks DVC for the stage graph
    return root


@pytest.fixture
def full_root(empty_root: Path) -> Path:
    """The same root after the pipeline, the monitor and the benchmarks ran."""
    for name, content in REPORTS.items():
        _write(empty_root / "reports" / name, content)
    for name, content in PLOTS.items():
        _write(empty_root / "reports" / "plots" / name, content)
    for name, content in BENCHMARKS.items():
        _write(empty_root / name, content)
    _write(empty_root / "benchmarks/results/pipeline.md", "| scenario | seconds |\n")
    _write(empty_root / "reports/monitoring/2013-09/data_drift.html", "<html></html>")
    return empty_root


class _Links(HTMLParser):
    """Collect every href/src and every id of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.links += [found[a] or "" for a in ("href", "src") if a in found]
        if found.get("id"):
            self.ids.add(found["id"])


def broken_links(page: Path, links: list[str], ids: set[str]) -> list[str]:
    """Return the links that leave the machine, are absolute, or point at nothing."""
    bad = []
    for link in links:
        if link.startswith("#"):
            ok = link[1:] in ids
        else:
            ok = "://" not in link and not link.startswith(("/", "//", "data:"))
            ok = ok and (page.parent / link.split("#")[0]).resolve().exists()
        if not ok:
            bad.append(link)
    return bad


def _section(html: str, key: str) -> str:
    start = html.index(f'<section id="{key}"')
    return html[start : html.index("</section>", start)]


def test_build_site_shows_every_section(full_root: Path) -> None:
    page = build_site(full_root)
    html = page.read_text()
    assert page == full_root / "reports" / "index.html"
    assert html.count('data-available="yes"') == len(SECTIONS)
    assert "(batch, monitoring missing)" in _section(html, "benchmarks")  # only two were run
    assert f'data-metric="test_roc_auc">{METRICS["test_roc_auc"]:.3f}<' in html
    assert 'data-alias="challenger"' in html and "version <strong>7</strong>" in html
    assert html.count("<tr data-period=") == len(REPORTS["monitoring/summary.json"])
    assert "Model card: flight-delay (version 7)" in html
    assert len(re.findall(r'<svg[^>]* class="chart"', html)) == 6  # DAG, 4 plots, drift


@pytest.mark.parametrize(("key", "command"), [(s.key, s.command) for s in SECTIONS[1:]])
def test_build_site_says_how_to_make_a_missing_section(
    empty_root: Path, key: str, command: str
) -> None:
    html = build_site(empty_root).read_text()
    section = _section(html, key)
    assert 'data-available="no"' in section
    assert f"Not produced yet: run\n  <code>{command}</code>" in section


def test_build_site_reports_an_unreadable_input(full_root: Path) -> None:
    (full_root / "reports" / "registry.json").write_text("{not json")
    section = _section(build_site(full_root).read_text(), "registry")
    assert "Could not read its input: re-run" in section
    assert "registry.json is not valid JSON" in section


def test_build_site_escapes_every_text(full_root: Path) -> None:
    html = build_site(full_root).read_text()
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "--tag &#34;&lt;b&gt;&amp;&#34;" in html


@pytest.mark.parametrize("out", [None, "elsewhere/deeper/site.html"], ids=["default", "moved"])
def test_build_site_links_are_relative_and_resolve(
    full_root: Path, tmp_path: Path, out: str | None
) -> None:
    page = build_site(full_root, tmp_path / out if out else None)
    parser = _Links()
    parser.feed(page.read_text())
    assert any(link.endswith("2013-09/data_drift.html") for link in parser.links)
    assert any(link.endswith("pipeline.md") for link in parser.links)
    assert broken_links(page, parser.links, parser.ids) == []


@pytest.mark.parametrize(
    "link",
    ["https://cdn.example/x.js", "/etc/hosts", "gone.html", "#nowhere", "//cdn.example/x.css"],
    ids=["remote", "absolute", "missing-file", "missing-id", "protocol-relative"],
)
def test_broken_links_flags_what_leaves_or_dangles(tmp_path: Path, link: str) -> None:
    (tmp_path / "here.html").write_text("")
    assert broken_links(tmp_path / "index.html", [link, "here.html", "#top"], {"top"}) == [link]


def test_build_site_writes_atomically(full_root: Path) -> None:
    build_site(full_root)
    assert [p.name for p in (full_root / "reports").glob(".*.tmp")] == []


def test_main_builds_the_site(full_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site" / "index.html"
    result = CliRunner().invoke(app, ["--root", str(full_root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_stage_edges_follow_outputs_into_inputs(empty_root: Path) -> None:
    stages = read_stages(empty_root / "dvc.yaml")
    edges = stage_edges(empty_root)
    assert sorted(edges) == [("features", "train"), ("ingest", "features"), ("ingest", "train")]
    assert stage_layers(stages, edges) == {"ingest": 0, "features": 1, "train": 2}
    assert stages["features"]["outs"] == ["data/interim/labelled.parquet", "reports/features.json"]


def test_reduce_edges_keeps_only_necessary_arrows() -> None:
    edges = [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("a", "d")]
    assert reduce_edges(edges) == [("a", "b"), ("b", "c"), ("c", "d")]


def test_to_svg_returns_a_bare_scalable_svg() -> None:
    from capstone.site.charts import new_figure

    fig = new_figure()
    fig.add_subplot().set_title("a <title> & more")
    svg = str(to_svg(fig))
    assert svg.startswith("<svg") and 'class="chart"' in svg
    assert "<?xml" not in svg and "<metadata>" not in svg and ' width="' not in svg[:200]
    assert "a &lt;title&gt; &amp; more" in svg


@pytest.mark.parametrize(
    ("reason", "passed", "text"),
    [("pass: gap 0.1", True, "gap 0.1"), ("FAIL: AUC 0.6", False, "AUC 0.6"), ("odd", True, "odd")],
    ids=["pass", "fail", "no-verdict"],
)
def test_gate_splits_verdict_from_text(reason: str, passed: bool, text: str) -> None:
    assert _gate(reason) == {"passed": passed, "text": text}


def test_missing_browser_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from capstone.site import browser

    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    reason = browser.missing_browser()
    assert reason is not None and str(tmp_path / "chromium") in reason
    assert "apt-get install -y chromium chromium-driver" in reason


@pytest.mark.slow
def test_real_site_in_a_browser(tmp_path: Path) -> None:
    """Open the site built from this clone's reports in headless Chromium and check it."""
    from capstone.site.browser import missing_browser, open_browser, save_full_page

    if reason := missing_browser():
        pytest.skip(reason)
    metrics_path = paths.REPORTS / "metrics.json"
    if not metrics_path.exists():
        pytest.skip("no reports yet: run `dvc repro register` first")
    page = build_site(paths.ROOT)
    metrics = json.loads(metrics_path.read_text())
    registry = json.loads((paths.REPORTS / "registry.json").read_text())
    summary = paths.REPORTS / "monitoring" / "summary.json"
    with open_browser(tmp_path / "profile") as driver:
        driver.get(page.as_uri())
        headings = driver.execute_script(
            "return [...document.querySelectorAll('section > h2')].map(h => h.textContent)"
        )
        assert headings == [s.title for s in SECTIONS]
        shown = driver.execute_script(
            "return Object.fromEntries([...document.querySelectorAll('.card [data-metric]')]"
            ".map(e => [e.dataset.metric, e.textContent]))"
        )
        assert shown == {key: fmt(metrics[key], spec) for _, key, spec in HEADLINE}
        decision = driver.execute_script(
            "return document.getElementById('registry-decision').textContent"
        )
        assert registry["alias"] in decision and f"version {registry['version']}" in decision
        periods = driver.execute_script(
            "return [...document.querySelectorAll('#drift-table tr[data-period]')]"
            ".map(r => r.dataset.period)"
        )
        if summary.exists():
            assert periods == [e["period"] for e in json.loads(summary.read_text())]
        links = driver.execute_script(
            "return [...document.querySelectorAll('[href],[src]')]"
            ".map(e => e.getAttribute('href') ?? e.getAttribute('src'))"
        )
        ids = set(
            driver.execute_script("return [...document.querySelectorAll('[id]')].map(e => e.id)")
        )
        assert links and broken_links(page, links, ids) == []
        png = save_full_page(driver, tmp_path / "site.png")
    assert png.stat().st_size > 50_000
