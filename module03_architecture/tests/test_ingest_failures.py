"""The warehouse writer when things go wrong: a crash mid-build, a reader holding the file.

``build_warehouse`` builds into a temporary file and moves it into place only when every
table and view is in. So a failed rebuild leaves yesterday's warehouse whole, and a
notebook that has the warehouse open (DuckDB locks the file) does not block a rebuild.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from module03_architecture.ingest import build_warehouse


def _tables(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        names = [r[0] for r in rows]
        return {n: con.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names}


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def old_warehouse(tmp_path: Path, warehouse_path: Path) -> Path:
    """A copy of a good warehouse: what yesterday's run left behind."""
    db = tmp_path / "out" / "warehouse.duckdb"
    db.parent.mkdir()
    shutil.copy(warehouse_path, db)
    return db


def test_a_rebuild_that_fails_midway_keeps_the_old_warehouse(
    tmp_path: Path, raw_dir: Path, old_warehouse: Path
) -> None:
    before = _tables(old_warehouse)
    partial = tmp_path / "partial"
    partial.mkdir()
    for name in ("flights", "weather"):  # planes, airports, airlines are missing
        shutil.copy(raw_dir / f"{name}.parquet", partial)
    with pytest.raises(duckdb.IOException, match="planes"):
        build_warehouse(partial, old_warehouse)
    assert _tables(old_warehouse) == before, "the old warehouse is whole and unchanged"
    assert _leftovers(old_warehouse.parent) == []


def test_a_rebuild_while_a_reader_holds_the_warehouse(raw_dir: Path, old_warehouse: Path) -> None:
    reader = duckdb.connect(str(old_warehouse), read_only=True)
    try:
        counts = build_warehouse(raw_dir, old_warehouse)
        # The reader keeps the file it opened; the rebuild put a new, complete one in place.
        assert reader.execute("SELECT count(*) FROM flights").fetchone()[0] == counts["flights"]
    finally:
        reader.close()
    assert _tables(old_warehouse)["flights"] == counts["flights"]
    assert _leftovers(old_warehouse.parent) == []


def test_a_writer_holding_the_new_path_does_not_get_a_half_file(
    tmp_path: Path, raw_dir: Path
) -> None:
    """Another process writing the warehouse (DuckDB holds its lock): we replace the path whole."""
    db = tmp_path / "locked.duckdb"
    with duckdb.connect(str(db)) as writer:
        writer.execute("CREATE TABLE mine AS SELECT 42 AS answer")
        build_warehouse(raw_dir, db)  # replaces the path; the writer keeps its own file
        assert writer.execute("SELECT answer FROM mine").fetchone() == (42,)
    assert "flights" in _tables(db) and "mine" not in _tables(db)
    assert _leftovers(tmp_path) == []
