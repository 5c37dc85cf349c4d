"""One label rule: ``labs_common.label``, its threshold read from params.yaml.

Why it matters: the label ("arrives more than ``features.late_minutes`` minutes late") was
once written in six places and the number 15 in nine more; the ingest SQL ignored the
parameter. These tests keep it in one place: a scan fails when a label literal appears
outside the rule, the SQL and pandas forms agree row by row (NULLs included), defaults
follow params.yaml, and the lessons that write the rule out on purpose stay pinned to it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from labs_common import label, paths
from labs_common.config import load_params
from tests.source_files import course_files

ROOT = paths.ROOT
RULE = "labs_common/label.py"

#: Ways the rule gets written again: a number compared with ``arr_delay``, a number as the
#: threshold's default or keyword, a number passed to a labelling function.
LITERAL_PATTERNS = {
    "arr_delay compared with a number": re.compile(
        r"arr_delay[\"'\]]*(?:\.\w+\(\))*\s*(?:>=?|\.gt\(|\.ge\()\s*\d"
    ),
    "a literal late_minutes": re.compile(r"\blate_minutes\s*(?::\s*int\s*)?=\s*\d"),
    "a literal LATE_MINUTES": re.compile(r"\bLATE_MINUTES\s*=\s*\d"),
    "a number passed to a labelling function": re.compile(
        r"\b(?:add_label|add_late_label|late_label|is_late|with_labels)\(.*,\s*\d+\s*\)"
    ),
}

#: Files that may write the rule with a number, and why. Everything else must call the rule.
LESSONS = {
    "module06_lifecycle/paradigms.py": "CELLS: notebook cells as text, hidden state on purpose",
    "module06_lifecycle/notebooks/01_programming_paradigms.ipynb": (
        "the lesson starts from a cell with numbers typed in, then varies the threshold"
    ),
}
#: Folders not scanned: tests compute their expectations independently; exercise starters,
#: solutions and checks are the student's self-contained code (checks vary the threshold);
#: the student project template is a separate repository.
SKIPPED = ("tests/", "exercises/", "capstone/project/", "docs/", "benchmarks/results/", "mutants/")


def label_literals(text: str) -> list[tuple[int, str]]:
    """Return (line number, what) for every label literal in ``text`` (doctests excepted)."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith((">>>", "...")):
            continue  # a doctest example shows concrete values on purpose
        found += [(number, what) for what, rx in LITERAL_PATTERNS.items() if rx.search(line)]
    return found


def _code_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return path.read_text()


def _scanned_files() -> list[Path]:
    """Every .py and .ipynb of the course outside SKIPPED, the rule's own file excepted."""
    files = course_files((".py", ".ipynb"), skip=SKIPPED)
    return [p for p in files if p.relative_to(ROOT).as_posix() != RULE]


@pytest.mark.parametrize(
    "line",
    [
        'late = (df["arr_delay"] > 15).astype(int)',
        "avg(CASE WHEN arr_delay > 15 THEN 1.0 ELSE 0.0 END)",
        'flights["arr_delay"].dropna().gt(15)',
        "def share(flights, late_minutes: int = 15):",
        "wh.late_share_sql(con, late_minutes=15)",
        "LATE_MINUTES = 15",
        "train = add_label(flights, 15)",
        'flights = add_label(load_table("flights"), 15)[[*SCHEDULE_COLUMNS, LABEL]]',
    ],
)
def test_label_literals_finds_a_copied_rule(line: str) -> None:
    assert label_literals(line), f"the scan missed a copy of the rule: {line}"


@pytest.mark.parametrize(
    "line",
    [
        "late = is_late(df['arr_delay'], late_minutes)",
        "def share(flights, late_minutes: int | None = None):",
        ">>> add_label(pd.DataFrame({'arr_delay': [3.0, 40.0, None]}), 15)",
        "late_minutes = load_params().features.late_minutes",
    ],
)
def test_label_literals_lets_the_rule_be_called(line: str) -> None:
    assert not label_literals(line)


def test_no_label_literal_outside_the_rule() -> None:
    files = _scanned_files()
    assert len(files) > 100, "the scan found too few files: is ROOT right?"
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in files
        if path.relative_to(ROOT).as_posix() not in LESSONS
        for line, what in label_literals(_code_of(path))
    ]
    assert not problems, (
        "the label rule is written again with a number; call labs_common.label "
        "(is_late, late_label, add_late_label, late_sql) and let the threshold default to "
        "params.yaml:\n" + "\n".join(problems)
    )


def test_every_lesson_still_needs_its_exemption() -> None:
    stale = [rel for rel in LESSONS if not label_literals(_code_of(ROOT / rel))]
    assert not stale, f"these files no longer write the rule out; drop them from LESSONS: {stale}"


@pytest.fixture
def delays() -> pd.Series:
    """Seeded delays around the threshold, integers and halves, a few missing."""
    rng = np.random.default_rng(17)
    values = rng.integers(-30, 120, 400).astype(float) + rng.choice([0.0, 0.5], 400)
    values[rng.choice(400, 40, replace=False)] = np.nan
    return pd.Series(values, name="arr_delay")


@pytest.mark.parametrize("minutes", [0, 7, 15, 42])
def test_sql_and_pandas_forms_agree_row_by_row(delays: pd.Series, minutes: int) -> None:
    frame = pd.DataFrame({"arr_delay": delays})
    with duckdb.connect() as con:
        con.register("flights", frame)
        in_sql = con.execute(f"SELECT {label.late_sql(minutes)} AS late FROM flights").df()
        bound = con.execute(
            f"SELECT {label.late_sql('$late')} AS late FROM flights", {"late": minutes}
        ).df()
    expected = label.late_label(delays, minutes)
    np.testing.assert_array_equal(in_sql["late"].to_numpy(float), expected.to_numpy())
    np.testing.assert_array_equal(bound["late"].to_numpy(float), expected.to_numpy())


@pytest.mark.parametrize(
    ("minutes", "column", "match"),
    [(-1, "arr_delay", "whole number"), (2.5, "arr_delay", "whole number"),
     ("15; DROP TABLE flights", "arr_delay", "SQL parameter"),
     (15, "arr_delay; --", "SQL name")],
    ids=["negative", "fraction", "injected-threshold", "injected-column"],
)  # fmt: skip
def test_late_sql_rejects_what_is_not_a_threshold(minutes, column, match) -> None:
    with pytest.raises(ValueError, match=match):
        label.late_sql(minutes, column=column)


def test_the_default_threshold_is_params_yaml(tmp_path: Path, monkeypatch) -> None:
    assert label.resolve_minutes(None) == load_params().features.late_minutes
    text = paths.PARAMS_PATH.read_text()
    edited = tmp_path / "params.yaml"
    edited.write_text(re.sub(r"late_minutes: *\d+", "late_minutes: 37", text))
    assert label.late_minutes(edited) == 37


def test_defaults_downstream_follow_the_rule(delays: pd.Series, monkeypatch) -> None:
    """Change the threshold the rule reads: the pipeline's labelling functions follow it."""
    from module03_architecture.scale import add_counts
    from module04_ml_fundamentals.features import add_label
    from module09_monitoring.check import with_labels

    monkeypatch.setattr(label, "late_minutes", lambda params_path=None: 37)
    frame = pd.DataFrame({"arr_delay": delays, "carrier": "AA", "month": 1})
    arrived = delays.dropna()
    assert add_label(frame)["late"].tolist() == (arrived > 37).astype(int).tolist()
    got = with_labels(frame)["late"].dropna()
    assert got.tolist() == (arrived > 37).astype(float).tolist()
    assert add_counts(frame)["late"].sum() == int((delays > 37).sum())


@pytest.mark.parametrize("minutes", [0, 15, 60])
def test_lessons_that_write_the_rule_out_agree_with_it(delays: pd.Series, minutes: int) -> None:
    from module02_foundations.probability import late_labels
    from module03_architecture.warehouse import late_share_pandas
    from module06_lifecycle.paradigms import late_share_loop, late_share_vectorised

    expected = label.late_label(delays, minutes)
    share = float(expected.mean())  # NaN (no arrival) is left out, as the lessons do
    frame = pd.DataFrame({"arr_delay": delays})
    got = late_labels(frame, minutes)
    assert got.astype(float).tolist() == expected.dropna().tolist()
    assert late_share_loop(delays.tolist(), minutes) == pytest.approx(share)
    assert late_share_vectorised(delays.to_numpy(), minutes) == pytest.approx(share)
    routes = frame.assign(origin="JFK", dest="LAX", hour=9)
    assert late_share_pandas(routes, minutes)["late_share"].item() == pytest.approx(share)


def test_late_label_keeps_the_rows_it_was_given() -> None:
    """The label lines up with its flights: same index, named ``late``; text is no delay."""
    delays = pd.Series([3.0, "n/a", 40.0, None], index=[17, 4, 99, 5], dtype=object)
    got = label.late_label(delays, 15)
    assert got.name == label.LABEL and list(got.index) == [17, 4, 99, 5]
    assert got.dtype == float and got.fillna(-1).tolist() == [0.0, -1.0, 1.0, -1.0]
