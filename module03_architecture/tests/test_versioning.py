"""Tests of the content hashes: one changed row changes them; DVC computes the same ones."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest
import yaml

from module03_architecture import versioning


@pytest.fixture
def frame(tiny_flights: pd.DataFrame) -> pd.DataFrame:
    return tiny_flights[["month", "carrier", "arr_delay"]]


def test_file_md5_equals_hashlib_over_chunks(tmp_path: Path) -> None:
    data = os.urandom(3 * 2**20 + 17)  # more than one chunk, and a ragged end
    (tmp_path / "blob").write_bytes(data)
    assert versioning.file_md5(tmp_path / "blob") == hashlib.md5(data).hexdigest()


def test_file_md5_changes_when_one_row_changes(frame: pd.DataFrame, tmp_path: Path) -> None:
    frame.to_parquet(tmp_path / "v1.parquet")
    edited = frame.copy()
    edited.loc[5, "arr_delay"] = edited.loc[5, "arr_delay"] + 1
    edited.to_parquet(tmp_path / "v2.parquet")
    frame.to_parquet(tmp_path / "v1_again.parquet")
    md5 = {p.stem: versioning.file_md5(p) for p in tmp_path.glob("*.parquet")}
    assert md5["v1"] == md5["v1_again"] != md5["v2"]


def test_frame_fingerprint_ignores_encoding_sees_values(
    frame: pd.DataFrame, tmp_path: Path
) -> None:
    frame.to_parquet(tmp_path / "snappy.parquet", compression="snappy")
    frame.to_parquet(tmp_path / "zstd.parquet", compression="zstd")
    a, b = (pd.read_parquet(tmp_path / f) for f in ("snappy.parquet", "zstd.parquet"))
    assert versioning.file_md5(tmp_path / "snappy.parquet") != versioning.file_md5(
        tmp_path / "zstd.parquet"
    )
    assert versioning.frame_fingerprint(a) == versioning.frame_fingerprint(b)
    edited = a.copy()
    edited.loc[0, "month"] = 13
    assert versioning.frame_fingerprint(edited) != versioning.frame_fingerprint(a)


def test_frame_fingerprint_sees_dtype_change(frame: pd.DataFrame) -> None:
    as_str = frame.astype({"carrier": str})
    assert versioning.frame_fingerprint(as_str) != versioning.frame_fingerprint(frame)


def test_dir_md5_changes_with_any_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "sub" / "b.txt").write_text("b")
    first = versioning.dir_md5(tmp_path)
    (tmp_path / "sub" / "b.txt").write_text("B")
    assert first.endswith(".dir") and versioning.dir_md5(tmp_path) != first


@pytest.mark.slow
def test_hashes_match_what_dvc_records(frame: pd.DataFrame, tmp_path: Path) -> None:
    from dvc.repo import Repo

    (tmp_path / "raw").mkdir()
    frame.to_parquet(tmp_path / "raw" / "flights.parquet")
    frame.head(5).to_parquet(tmp_path / "raw" / "head.parquet")
    frame.to_parquet(tmp_path / "one.parquet")
    repo = Repo.init(str(tmp_path), no_scm=True)
    repo.add([str(tmp_path / "raw"), str(tmp_path / "one.parquet")])
    recorded = {p: yaml.safe_load((tmp_path / f"{p}.dvc").read_text())["outs"][0]["md5"]
                for p in ("raw", "one.parquet")}  # fmt: skip
    assert recorded["one.parquet"] == versioning.file_md5(tmp_path / "one.parquet")
    assert recorded["raw"] == versioning.dir_md5(tmp_path / "raw")


def test_lock_status_unchanged_changed_missing(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.csv").write_text("x\n1\n")
    (tmp_path / "code.py").write_text("print(1)\n")
    (tmp_path / "out.json").write_text("{}")
    md5 = versioning.file_md5
    stage = {"cmd": "python code.py",
             "deps": [{"path": "code.py", "md5": md5(tmp_path / "code.py")},
                      {"path": "raw", "md5": versioning.dir_md5(tmp_path / "raw")}],
             "outs": [{"path": "out.json", "md5": md5(tmp_path / "out.json")}]}  # fmt: skip
    lock = {"schema": "2.0", "stages": {"s": stage}}
    (tmp_path / "dvc.lock").write_text(yaml.safe_dump(lock))
    assert set(versioning.lock_status(tmp_path / "dvc.lock")["status"]) == {"unchanged"}
    (tmp_path / "raw" / "a.csv").write_text("x\n2\n")
    (tmp_path / "out.json").unlink()
    got = versioning.lock_status(tmp_path / "dvc.lock").set_index("path")
    assert got["status"].to_dict() == {
        "code.py": "unchanged",
        "raw": "changed",
        "out.json": "missing",
    }
    assert got.loc["raw", "kind"] == "dep" and got.loc["out.json", "kind"] == "out"


def test_lock_status_empty_lock_gives_empty_table(tmp_path: Path) -> None:
    (tmp_path / "dvc.lock").write_text("schema: '2.0'\n")
    got = versioning.lock_status(tmp_path / "dvc.lock")
    assert got.empty and "status" in got.columns
