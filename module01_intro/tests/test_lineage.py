"""Tests of the lineage helpers: the artefact chain and DVC-style content hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from module01_intro import lineage


def test_lineage_table_fresh_clone(tmp_path: Path) -> None:
    got = lineage.lineage_table(root=tmp_path)
    assert got.index[0] == "raw CSVs"
    assert got.loc["raw CSVs", "exists"]  # the package ships the raw data
    assert not got.drop(index="raw CSVs")["exists"].any()


def test_lineage_table_sees_made_artefacts(tmp_path: Path) -> None:
    (tmp_path / "data" / "raw").mkdir(parents=True)
    got = lineage.lineage_table(root=tmp_path)
    assert got.loc["raw Parquet", "exists"]
    assert not got.loc["model", "exists"]


def test_file_md5_matches_hashlib_and_changes_with_content(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n")
    first = lineage.file_md5(path)
    assert first == hashlib.md5(b"a,b\n1,2\n").hexdigest()
    path.write_text("a,b\n1,3\n")
    assert lineage.file_md5(path) != first
