"""labs_common.data: typed tables in, atomic writes out, nothing half-written on failure."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from labs_common.data import (
    apply_dtypes,
    atomic_path,
    load_table,
    read_table,
    write_table,
    write_text,
)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_load_table_types_codes_keys_and_time() -> None:
    flights = load_table("flights")
    assert len(flights) == 336_776
    assert isinstance(flights["time_hour"].dtype, pd.DatetimeTZDtype)
    assert str(flights["time_hour"].dt.tz) == "America/New_York"
    assert flights["carrier"].dtype == "category" and flights["tailnum"].dtype == "string"
    assert flights["time_hour"].iloc[0] == pd.Timestamp("2013-01-01 05:00", tz="America/New_York")


def test_load_table_unknown_name_lists_the_tables() -> None:
    with pytest.raises(ValueError, match=r"unknown table 'passengers'; possible values are"):
        load_table("passengers")


def test_apply_dtypes_returns_a_copy_and_is_idempotent() -> None:
    raw = pd.DataFrame({"origin": ["EWR"], "time_hour": ["2013-01-01T10:00:00Z"]})
    typed = apply_dtypes(raw, "weather")
    assert raw["origin"].dtype == object, "the input is not modified"
    assert typed["time_hour"].iloc[0] == pd.Timestamp("2013-01-01 05:00", tz="America/New_York")
    pd.testing.assert_frame_equal(apply_dtypes(typed, "weather"), typed)


def test_write_table_round_trips_through_read_table(tmp_path: Path) -> None:
    df = load_table("airlines")
    path = write_table(df, tmp_path / "deep" / "airlines.parquet")
    pd.testing.assert_frame_equal(read_table(path), df)
    assert _leftovers(path.parent) == []


def test_read_table_says_how_to_make_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"does not exist; run `dvc repro`"):
        read_table(tmp_path / "absent.parquet")
    (tmp_path / "t.json").write_text("{}")
    with pytest.raises(ValueError, match=r"expected a .parquet or .csv file, got '.json'"):
        read_table(tmp_path / "t.json")


def test_write_table_that_fails_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    write_table(pd.DataFrame({"a": [1, 2]}), path)
    unwritable = pd.DataFrame({"a": [object(), object()]})  # pyarrow cannot store these
    with pytest.raises(Exception, match="object"):
        write_table(unwritable, path)
    assert read_table(path)["a"].tolist() == [1, 2], "the good file is untouched"
    assert _leftovers(tmp_path) == []


def test_atomic_path_moves_into_place_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("crash mid-write")
    assert not target.exists() and _leftovers(tmp_path) == []
    with atomic_path(target) as tmp:
        tmp.write_text("whole")
        assert not target.exists(), "nothing is visible before the block ends"
    assert target.read_text() == "whole"
    assert oct(target.stat().st_mode & 0o777) != oct(0o600), "usual mode, not mkstemp's 0600"


def test_write_text_into_a_path_under_a_file_fails_cleanly(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file, not a folder")
    with pytest.raises((FileExistsError, NotADirectoryError)):
        write_text("x", tmp_path / "blocker" / "out.json")
    assert (tmp_path / "blocker").read_text() == "a file, not a folder"


FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    import numpy as np, pandas as pd
    from labs_common.data import write_table
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))  # like a disk 20 kB from full
    big = pd.DataFrame({"x": np.random.default_rng(0).random(200_000)})
    try:
        write_table(big, sys.argv[1])
    except OSError as exc:
        print("failed:", exc)
    """
)


def test_write_table_on_a_full_disk_keeps_the_previous_file(tmp_path: Path) -> None:
    """A real write that runs out of space (a file-size limit in a child process)."""
    path = tmp_path / "features.parquet"
    write_table(pd.DataFrame({"x": [0.5]}), path)
    out = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(path)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "failed:" in out.stdout and "too large" in out.stdout.lower()
    assert read_table(path)["x"].tolist() == [0.5], "the previous file is whole and unchanged"
    assert _leftovers(tmp_path) == []
