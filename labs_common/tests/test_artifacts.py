"""labs_common.artifacts: one reader each for dvc.yaml, dvc.lock, MLmodel and file hashes."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from labs_common import artifacts, paths
from tests.source_files import course_files

#: A second reader of these files, and where one is allowed (the reason beside it).
SECOND_READERS = {
    "a file_md5 of its own": re.compile(r"^def file_md5\("),
    "dvc.yaml/dvc.lock/MLmodel parsed by hand": re.compile(
        r"yaml\.safe_load\(.*(dvc\.yaml|dvc\.lock|MLmodel|lock_path|dvc_yaml)"
    ),
}
ALLOWED = {
    "labs_common/artifacts.py": "the readers themselves",
    "module03_architecture/stub.py": "rewrites a whole dvc.yaml (a writer, not a reader)",
}


def test_no_second_reader_outside_labs_common() -> None:
    problems = [
        f"{path.relative_to(paths.ROOT)}:{n}: {what}"
        for path in course_files(skip=("tests/", "exercises/", "capstone/project/"))
        if path.relative_to(paths.ROOT).as_posix() not in ALLOWED
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        for what, rx in SECOND_READERS.items()
        if rx.search(line.strip())
    ]
    assert not problems, "use labs_common.artifacts instead:\n" + "\n".join(problems)


def test_file_md5_is_hashlib_over_several_chunks(tmp_path: Path) -> None:
    data = bytes(range(256)) * 9000  # a little over 2 MiB: three chunks
    (tmp_path / "blob").write_bytes(data)
    assert artifacts.file_md5(tmp_path / "blob") == hashlib.md5(data).hexdigest()


@pytest.fixture
def lock(tmp_path: Path) -> Path:
    record = {
        "schema": "2.0",
        "stages": {
            "split": {"deps": [{"path": "data/interim/x.parquet", "md5": "a" * 32}],
                      "outs": [{"path": "data/processed/train.parquet", "md5": "b" * 32}]},
            "train": {"deps": [{"path": "data/processed/train.parquet", "md5": "b" * 32}],
                      "outs": [{"path": "models/model", "md5": "c" * 32 + ".dir"}]},
        },
    }  # fmt: skip
    path = tmp_path / "dvc.lock"
    path.write_text(yaml.safe_dump(record))
    return path


@pytest.mark.parametrize(
    ("path", "stage", "kind", "expected"),
    [("models/model", None, "outs", "c" * 32 + ".dir"),
     ("data/processed/train.parquet", "train", "deps", "b" * 32),
     ("data/processed/train.parquet", "split", "deps", ""),
     ("no/such/file", None, "outs", "")],
    ids=["an-out", "a-stage-dep", "not-that-stage", "absent"],
)  # fmt: skip
def test_lock_hash_finds_what_the_lock_records(lock, path, stage, kind, expected) -> None:
    assert artifacts.lock_hash(lock, path, stage=stage, kind=kind) == expected


def test_a_missing_lock_records_nothing(tmp_path: Path) -> None:
    assert artifacts.read_dvc_lock(tmp_path / "dvc.lock") == {}
    assert artifacts.lock_hash(tmp_path / "dvc.lock", "models/model") == ""


def test_stage_io_counts_metrics_and_plots_as_outputs() -> None:
    stage = {"deps": ["a/"], "outs": [{"m.pkl": {"cache": False}}], "metrics": ["r.json"],
             "plots": [{"p.csv": None}]}  # fmt: skip
    assert artifacts.stage_io(stage) == (["a"], ["m.pkl", "r.json", "p.csv"])


def test_the_course_lock_and_yaml_name_the_same_stages() -> None:
    stages = artifacts.read_dvc_stages()
    assert set(artifacts.read_dvc_lock()) <= set(stages)
    deps, outs = artifacts.stage_io(stages["train"])
    assert "models/model" in outs and "data/processed/train.parquet" in deps


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "no 'stages:' section"),
        ("foo: 1\n", "no 'stages:' section"),
        ("stages:\n  s: {foreach: [1, 2], do: {cmd: x}}\n", "foreach/matrix"),
    ],
    ids=["empty", "no-stages", "foreach"],
)
def test_read_dvc_stages_says_what_it_cannot_read(tmp_path: Path, text: str, match: str) -> None:
    (tmp_path / "dvc.yaml").write_text(text)
    with pytest.raises(ValueError, match=match):
        artifacts.read_dvc_stages(tmp_path / "dvc.yaml")


def test_read_mlmodel_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"MLmodel not found; run `dvc repro train`"):
        artifacts.read_mlmodel(tmp_path)
    (tmp_path / "MLmodel").write_text("model_id: m-1\nflavors: {sklearn: {}}\n")
    assert artifacts.read_mlmodel(tmp_path)["model_id"] == "m-1"
