"""The ``validate`` stage: check the raw tables and their joins before anything trains on them.

Why it matters: a pipeline that trains on broken data produces a broken model that looks
fine. This stage applies module 01's data contract to every raw table, checks that the
joins the features rely on still cover the flights, writes a machine-readable report, and
stops the pipeline (exit code 1) with the table, column, rule and example rows when data
breaks the contract. DVC runs no later stage after a failed one.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd
import typer

from labs_common import contract, paths
from labs_common.data import TABLES, read_table, write_text
from labs_common.logs import console, setup_logging
from module01_intro.contract import check_table
from module01_intro.eda import JOINS, join_report

log = logging.getLogger(__name__)
app = typer.Typer(add_completion=False)

#: The least share of flights each join must cover. Measured on the real 2013 data:
#: planes 0.844, airports (dest) 0.977, airlines 1.0, weather 0.995.
JOIN_FLOORS = {"planes": 0.80, "airports (dest)": 0.95, "airlines": 0.99, "weather": 0.98}


class DataValidationError(RuntimeError):
    """The raw data breaks the contract; the message lists every broken rule."""


def validate_tables(tables: dict[str, pd.DataFrame]) -> dict:
    """Check every table against the contract and every join against its floor.

    Args:
        tables: the five raw tables, typed as ``labs_common.data`` types them.

    Returns:
        The report: ``ok``, one entry per table (rows, errors, warnings) and the joins.
    """
    report: dict = {"ok": True, "tables": {}, "joins": {}}
    for name in TABLES:
        result = check_table(tables[name], name)
        records = json.loads(result.violations.to_json(orient="records", default_handler=str))
        report["tables"][name] = {
            "rows": result.rows,
            "errors": [r for r in records if r["severity"] == "error"],
            "warnings": [r for r in records if r["severity"] == "warning"],
        }
        report["ok"] &= result.ok
    if all(report["tables"][n]["errors"] == [] for n in ("flights", *_joined())):
        for join, coverage in join_report(tables).items():
            floor = JOIN_FLOORS[join]
            report["joins"][join] = {"coverage": round(float(coverage), 6), "floor": floor,
                                     "ok": bool(coverage >= floor)}  # fmt: skip
            report["ok"] &= coverage >= floor
    report["ok"] = bool(report["ok"])
    return report


def _joined() -> list[str]:
    return sorted({name.split()[0] for name in JOINS})


def explain(report: dict) -> str:
    """Say, one line per problem, what broke: table, column, rule, count and examples."""
    lines = [
        f"{table}.{e['column']}: rule '{e['rule']}' broken by {e['failures']:,} row(s); "
        f"examples {e['examples']} at rows {e['rows']}"
        for table, t in report["tables"].items()
        for e in t["errors"]
    ]
    lines += [
        f"join flights -> {join}: covers {j['coverage']:.1%} of flights, below the floor "
        f"{j['floor']:.0%}"
        for join, j in report["joins"].items()
        if not j["ok"]
    ]
    return "\n".join(lines)


def validate_raw(raw_dir: Path, report_path: Path) -> dict:
    """Validate ``raw_dir/<table>.parquet``, write the report, raise if the contract breaks.

    Raises:
        DataValidationError: a table or a join breaks the contract (the report is written
            first, so the failure can be read).
    """
    tables = {name: read_table(Path(raw_dir) / f"{name}.parquet") for name in TABLES}
    report = validate_tables(tables)
    write_text(json.dumps(report, indent=2, default=str) + "\n", Path(report_path))
    if not report["ok"]:
        raise DataValidationError(
            "the raw data breaks the contract; no later stage will run:\n" + explain(report)
        )
    return report


@app.command()
def main(raw_dir: Path = paths.RAW, report: Path = contract.VALIDATION_REPORT) -> None:
    """Read data/raw, write reports/validation.json, exit 1 if the contract is broken."""
    setup_logging()
    try:
        checked = validate_raw(raw_dir, report)
    except DataValidationError as exc:
        console.print(f"[bold red]validation failed:[/] {exc}")
        raise typer.Exit(code=1) from exc
    warned = sum(len(t["warnings"]) for t in checked["tables"].values())
    log.info("All %d tables meet the contract (%d warning rule(s) reported)", len(TABLES), warned)


if __name__ == "__main__":
    app()
