"""Every pipeline stage lists, as DVC deps, exactly the course code it runs.

Why it matters: a file a stage imports but dvc.yaml does not list is a stage that does not
re-run when that file changes. `python -m labs_common.stage_deps --write` fixes dvc.yaml.
"""

from __future__ import annotations

from pathlib import Path

from labs_common import stage_deps
from labs_common.stage_deps import code_deps, imported_names, mismatches, stage_modules


def test_every_stage_lists_the_code_it_imports() -> None:
    off = mismatches()
    assert not off, (
        f"dvc.yaml code deps disagree with the imports {off}; "
        "run: .venv/bin/python -m labs_common.stage_deps --write"
    )


def test_every_python_stage_is_checked() -> None:
    assert set(stage_modules()) >= {"ingest", "validate", "features", "train", "register"}


def test_lazy_and_dynamic_imports_count(tmp_path: Path, monkeypatch) -> None:
    pkg = tmp_path / "module99_demo"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "stage.py").write_text(
        "import importlib\n"
        "def main():\n"
        "    from module99_demo import lazy\n"
        "    importlib.import_module('module99_demo.dynamic')\n"
    )
    (pkg / "lazy.py").write_text("from .deep import x\n")
    (pkg / "deep.py").write_text("x = 1\n")
    (pkg / "dynamic.py").write_text("")
    (pkg / "unused.py").write_text("")
    monkeypatch.setattr(stage_deps, "ROOT", tmp_path)
    assert {"module99_demo.lazy", "module99_demo.dynamic"} <= imported_names(pkg / "stage.py")
    code_deps.cache_clear()
    try:
        found = code_deps("module99_demo.stage")
    finally:
        code_deps.cache_clear()
    assert found == {
        "module99_demo/__init__.py",
        "module99_demo/stage.py",
        "module99_demo/lazy.py",
        "module99_demo/deep.py",
        "module99_demo/dynamic.py",
    }


def test_monitor_depends_on_the_gates_it_reuses() -> None:
    # The bug this test was written for: the monitor's gates call module05's slices.
    assert "module05_business/slices.py" in code_deps("module09_monitoring.replay")
    assert "module07_experiments/tracking.py" in code_deps("module07_experiments.train")
