from __future__ import annotations

from pathlib import Path

from module06_lifecycle.layouts import (
    CONCEPTS,
    LAYOUT_NAMES,
    check_paths,
    concept_table,
    coverage,
    path_status,
)


def test_concept_table_has_one_column_per_layout() -> None:
    table = concept_table()
    assert list(table.columns) == LAYOUT_NAMES
    assert len(table) == len(CONCEPTS)


def test_path_status_tells_pipeline_outputs_from_missing_files(tmp_path: Path) -> None:
    (tmp_path / "module01_x" / "tests").mkdir(parents=True)
    (tmp_path / "dvc.yaml").write_text("")
    assert path_status("dvc.yaml", tmp_path) == "present"
    assert path_status("module*/tests/", tmp_path) == "present"
    assert path_status("module*/notebooks/", tmp_path) == "missing"
    assert path_status("data/raw/", tmp_path) == "after dvc repro"
    assert path_status("", tmp_path) == "missing"


def test_every_course_path_exists_or_is_a_pipeline_output() -> None:
    status = check_paths(concept_table())["status"]
    assert not (status == "missing").any(), status[status == "missing"]


def test_coverage_counts_filled_cells() -> None:
    counts = coverage(concept_table())
    assert counts["this course"] == len(CONCEPTS)
    assert (counts <= len(CONCEPTS)).all()
