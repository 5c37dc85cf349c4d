"""The scheduled monitor's bookkeeping: which month is new, and the GitHub issue's text.

Why it matters: a weekly job that replays the same months from scratch tells nobody
anything new. The job keeps its state where people read it, in one open GitHub issue:
a hidden line lists the months already monitored, so each run checks the next production
month only, and the issue's body grows a row per month (comments notify its watchers).
When every production month is done the job says so and stops; close the issue to start
over.

``python -m module09_monitoring.scheduled next --issue issue.json --out month.parquet``
writes the next month's flights and prints its number (nothing when none is left);
``... body --issue issue.json --entry entry.json --out body.md`` writes the new body.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from module09_monitoring.context import month_flights, production_flights

TITLE = "Model monitoring: production months"
_MARKER = re.compile(r"<!-- monitored: ([0-9,]*) -->")


def monitored_months(body: str) -> list[int]:
    """Return the months the issue body lists as done.

    Example:
        >>> monitored_months("text <!-- monitored: 9,10 -->")
        [9, 10]
    """
    found = _MARKER.search(body or "")
    return [int(m) for m in found.group(1).split(",") if m] if found else []


def next_month(done: list[int], production: list[int]) -> int | None:
    """The first production month not monitored yet (None when all are).

    Example:
        >>> next_month([9, 10], [9, 10, 11, 12]), next_month([9, 10, 11, 12], [9, 10, 11, 12])
        (11, None)
    """
    return next((m for m in production if m not in done), None)


def issue_body(previous: str, entry: dict, code: int) -> str:
    """Return the issue body with the month's row added and the marker updated."""
    done = [*monitored_months(previous), int(entry["month"])]
    rows = re.findall(r"^\| \d{4}-\d\d .*$", previous or "", re.M)
    state = "alert" if code else "ok"
    alerts = ", ".join(entry.get("alerts") or []) or "none"
    auc = "" if entry.get("roc_auc") is None else f"{entry['roc_auc']:.3f}"
    share = f"{entry['drift_share']:.0%}"
    rows.append(
        f"| {entry['period']} | {state} | {share} | {auc} | {entry['retrain']} | {alerts} |"
    )
    return "\n".join([
        "The scheduled monitor (`.github/workflows/monitor.yml`) adds a row per production "
        "month; its run uploads the Evidently reports and workspace.",
        "",
        "| period | state | drift share | ROC AUC | retrain | alerts |",
        "| --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
        f"<!-- monitored: {','.join(str(m) for m in done)} -->",
        "",
    ])  # fmt: skip


def _issue(path: Path) -> dict:
    found = json.loads(Path(path).read_text() or "[]") if Path(path).exists() else []
    return found[0] if found else {}


def main(argv: list[str] | None = None) -> None:
    """The two steps of the monitor workflow (see the module docstring)."""
    from labs_common.config import load_params

    parser = argparse.ArgumentParser(prog="python -m module09_monitoring.scheduled")
    parser.add_argument("step", choices=["next", "body"])
    parser.add_argument("--issue", type=Path, required=True, help="gh issue list --json output")
    parser.add_argument("--entry", type=Path, help="labs monitor's JSON (body)")
    parser.add_argument("--code", type=int, default=0, help="labs monitor's exit code (body)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    issue = _issue(args.issue)
    if args.step == "body":
        entry = json.loads(args.entry.read_text())
        args.out.write_text(issue_body(issue.get("body", ""), entry, args.code))
        return
    month = next_month(
        monitored_months(issue.get("body", "")), load_params().split.production_months
    )
    if month is None:
        return
    month_flights(production_flights(), month).to_parquet(args.out)
    sys.stdout.write(f"{month}\n")


if __name__ == "__main__":
    main()
