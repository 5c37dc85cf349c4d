"""The ``labs`` command: one entry point for students, instructors and CI.

Each command imports what it needs when it runs, so ``labs --help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from capstone.schedule import CRON
from labs_common.logs import console, setup_logging
from labs_common.tooling import configure_offline

app = typer.Typer(help="The MLOps flights course.", no_args_is_help=True, add_completion=False)


def fail(message: str) -> typer.Exit:
    """Print one red line and return the exit to raise (code 1)."""
    console.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code=1)


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    configure_offline()
    setup_logging("DEBUG" if verbose else "INFO")


@app.command()
def check(
    module: Annotated[int, typer.Argument(help="Module number, e.g. 1 for module01_intro")],
    solutions: Annotated[bool, typer.Option(help="Check the reference solutions")] = False,
    project: Annotated[
        Path | None, typer.Option(help="Check lab N of your project in this folder instead")
    ] = None,
) -> None:
    """Check your answers to a module's exercises and get a hint for each one not done.

    The table goes to stdout (so `labs check 1 > out.txt` keeps it); its legend says what
    each status means: pass, todo (still raises NotImplementedError), fail (a wrong
    answer) and error (your code raised another exception, e.g. a KeyError). The random
    cases change on every run; LABS_CHECK_SEED=<seed> repeats the run a failure names.
    """
    from rich.console import Console

    from labs_common.exercises import results_table, run_checks

    if project is not None:
        from capstone.project.cli import check_lab

        return check_lab(module, project)

    try:
        results = run_checks(module, "solutions" if solutions else "starter")
    except (LookupError, ValueError) as exc:
        raise fail(str(exc)) from None
    out = Console()  # stdout: the table is the command's output; logs stay on stderr
    out.print(results_table(module, results))
    done = sum(r.passed for r in results)
    out.print(f"{done}/{len(results)} exercises pass")
    if done < len(results):
        raise typer.Exit(code=1)


@app.command()
def grade(
    project: Annotated[Path, typer.Argument(help="A final project (made by `labs project new`)")],
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the grades here, for a gradebook")
    ] = None,
    group: Annotated[
        bool, typer.Option("--group", help="Add the group project's roles, owners and review")
    ] = False,
) -> None:
    """Score a final project on the rubric (capstone/final_projects/rubric.md) by running it.

    Runs each lab's check once, a fresh `dvc repro` and the project's tests, all in
    throw-away copies (the project is never changed), and prints each criterion's level
    with the commands it ran and what they showed; criteria a person grades are listed.
    Exit 0 only when every machine-judged criterion meets (level 2), so a project's CI can
    use it. LABS_CHECK_SEED=<seed> repeats a run.
    """
    from capstone.project.cli import grade_command

    grade_command(project, json_path, group)


def _project_app() -> typer.Typer:
    from capstone.project.cli import project_app

    return project_app


app.add_typer(_project_app(), name="project")


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="A flights file (CSV or Parquet, raw columns)")],
    table: Annotated[str, typer.Option(help="Which contract to check against")] = "flights",
) -> None:
    """Check a data file against the raw-data contract; exit 1 with the report if it breaks it."""
    from labs_common.data import load_table
    from module01_intro.contract import check_table

    try:
        df = load_table(table, path)
    except (FileNotFoundError, ValueError) as exc:
        raise fail(str(exc)) from None
    report = check_table(df, table)
    console.print(escape(report.summary()))
    if not report.ok:
        raise fail(f"{path} breaks the {table} contract ({len(report.errors)} rule(s))")


@app.command()
def demo(
    step: Annotated[
        bool, typer.Option("--step", help="Pause before each step and explain it (for class)")
    ] = False,
) -> None:
    """Run the capstone end to end (pipeline, service, monitoring, report site) and sum up."""
    import subprocess

    import httpx

    from capstone.demo import main

    try:
        main(step_by_step=step)
    except subprocess.CalledProcessError as exc:
        raise fail(f"{exc}; read the stage's message above") from None
    except (RuntimeError, TimeoutError, OSError, httpx.HTTPError) as exc:
        raise fail(str(exc)) from None


@app.command()
def site() -> None:
    """Build the report site reports/index.html from the reports the pipeline wrote."""
    from capstone.demo import build_report_site
    from labs_common import paths

    console.print(build_report_site(paths.ROOT))


@app.command()
def doctor() -> None:
    """Check this machine for the course (Python, packages, disk, ports, git, engine)."""
    from capstone.doctor import run_all

    findings = run_all()
    table = Table(title="labs doctor")
    for col in ("check", "status", "found", "fix"):
        table.add_column(col)
    style = {"ok": "green", "warn": "yellow", "fail": "red"}
    for f in findings:
        table.add_row(f.name, f"[{style[f.status]}]{f.status}[/]", escape(f.detail), escape(f.fix))
    console.print(table)
    failed = [f.name for f in findings if f.status == "fail"]
    if failed:
        raise fail(f"fix these first: {', '.join(failed)}")
    console.print("[green]ready[/] (warnings only limit the lessons they name)")


@app.command()
def model() -> None:
    """List the registered model's versions, aliases and key tags (name from params.yaml)."""
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    from labs_common.config import load_params
    from module07_experiments.tracking import use_experiment

    name = load_params().register.model_name
    use_experiment("flight-delay")
    client = MlflowClient()
    try:
        aliases = client.get_registered_model(name).aliases
    except MlflowException:
        raise fail(f"no model named {name!r} is registered yet; run `make demo` first") from None
    table = Table(title=f"Registered model {name}")
    for col in ("version", "aliases", "test ROC AUC", "threshold", "created"):
        table.add_column(col)
    for v in sorted(client.search_model_versions(f"name='{name}'"), key=lambda v: int(v.version)):
        names = ", ".join(a for a, ver in aliases.items() if str(ver) == str(v.version))
        table.add_row(str(v.version), names or "-", v.tags.get("test_roc_auc", "?"),
                      v.tags.get("threshold", "?"), _when(v.creation_timestamp))  # fmt: skip
    console.print(table)


def _when(millis: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(millis / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


@app.command()
def score(
    month: Annotated[int | None, typer.Option(help="Score this month's scheduled flights")] = None,
    input_path: Annotated[
        Path | None, typer.Option("--input", help="Or a flights file (Parquet/CSV)")
    ] = None,
    output: Annotated[Path | None, typer.Option(help="Parquet to write")] = None,
    model: Annotated[str | None, typer.Option(help="models:/NAME@ALIAS or a folder")] = None,
    threshold: Annotated[float | None, typer.Option(help="Override the threshold")] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Score on this Dask scheduler, e.g. tcp://127.0.0.1:8786")
    ] = None,
) -> None:
    """Batch-score flights with the champion (or --model) and write Parquet."""
    from module06_lifecycle.batch import run_batch, score_frame
    from module06_lifecycle.predictor import ModelNotFoundError, load_predictor
    from module06_lifecycle.schemas import ScheduleError
    from module08_deployment.scale_out import scheduler_scorer

    if (month is None) == (input_path is None):
        raise fail("give exactly one of --month M or --input PATH")
    score = scheduler_scorer(scheduler) if scheduler else score_frame
    try:
        predictor = load_predictor(model, threshold=threshold)
        s = run_batch(
            predictor, month=month, input_path=input_path, output_path=output, score=score
        )
    except (ModelNotFoundError, ScheduleError, OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    table = Table(title="Batch scoring")
    for col in ("flights", "flagged late", "model version", "threshold", "seconds", "output"):
        table.add_column(col)
    flagged = f"{s.flagged:,} ({s.flagged / max(s.rows, 1):.1%})"
    table.add_row(f"{s.rows:,}", flagged, s.model_version, f"{s.threshold:.3f}",
                  f"{s.seconds:.1f}", str(s.output))  # fmt: skip
    console.print(table)


@app.command()
def schedule(
    cron: Annotated[str, typer.Option(help="When to run (cron, UTC)")] = CRON,
    months: Annotated[list[int] | None, typer.Option(help="Months each run replays")] = None,
) -> None:
    """Serve the monitor-and-retrain flow as a Prefect deployment on a cron schedule.

    Runs until stopped (Ctrl+C). Set PREFECT_API_URL to a Prefect server (the compose
    stack's: http://127.0.0.1:4200/api) to watch the runs in its UI.
    """
    from capstone.schedule import serve

    serve(cron, months)


#: ``labs monitor --fail-on-drift/--fail-on-alert``: the exit code when they fire.
ALERT_EXIT = 3


@app.command()
def monitor(
    current: Annotated[
        Path | None, typer.Option(help="A flights file to check (Parquet/CSV, raw columns)")
    ] = None,
    reference: Annotated[
        Path | None, typer.Option(help="Training flights (default data/processed/train.parquet)")
    ] = None,
    log: Annotated[
        str | None,
        typer.Option(help="Or the prediction log: a SQLite file or a database URL"),
    ] = None,
    outcomes: Annotated[
        Path | None, typer.Option(help="With --log: flights with arr_delay, for the labels")
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="Model folder (default: the registry's @champion)")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write Evidently reports here")] = None,
    workspace: Annotated[
        Path | None, typer.Option(help="With --out: add the snapshots to this Evidently workspace")
    ] = None,
    fail_on_drift: Annotated[
        bool, typer.Option(help=f"Exit {ALERT_EXIT} if a feature or the score drifted")
    ] = False,
    fail_on_alert: Annotated[bool, typer.Option(help=f"Exit {ALERT_EXIT} on any alert")] = False,
    table: Annotated[
        bool, typer.Option("--table", help="Without a file: one row per month, not JSON")
    ] = False,
) -> None:
    """Check data for drift against the training data; print JSON.

    Exit 0 whatever it finds, unless --fail-on-drift or --fail-on-alert: then exit 3 when
    they fire (1 stays "could not check"). Without --current or --log: print the last
    replay's summary (reports/monitoring).
    """
    from labs_common import paths
    from module06_lifecycle.predictor import ModelNotFoundError
    from module09_monitoring.check import check_flights, check_log, failing_alerts, headline_json

    if current is None and log is None:
        summary = paths.REPORTS / "monitoring" / "summary.json"
        if not summary.is_file():
            raise fail(f"{summary} not found; run `dvc repro monitor`, or give --current PATH")
        if table:
            console.print(replay_table(json.loads(summary.read_text())))
        else:
            typer.echo(summary.read_text().rstrip())
        return
    if workspace is not None and out is None:
        raise fail("--workspace needs --out (the folder the reports are written to)")
    try:
        if log is not None:
            entry = check_log(log, outcomes, reference, model)
        else:
            entry = check_flights(current, reference, model, out_dir=out, workspace=workspace)
    except (FileNotFoundError, ValueError, OSError, ModelNotFoundError) as exc:
        raise fail(str(exc)) from None
    typer.echo(headline_json(entry))
    fired = failing_alerts(entry, on_drift=fail_on_drift, on_alert=fail_on_alert)
    if fired:
        why = [r for r in entry.get("reasons", []) if r.split(":")[0] in fired]
        console.print(f"[bold red]alert:[/] {escape('; '.join(why or fired))}")
        raise typer.Exit(code=ALERT_EXIT)


def replay_table(entries: list[dict]) -> Table:
    """The replay's decisions, one row per month: narrow enough for an 80-column terminal."""
    table = Table(title="Monitoring replay (reports/monitoring/summary.json)")
    for col in ("month", "alerts", "retrained", "promoted"):
        table.add_column(col)
    for e in entries:
        alerts = ", ".join(e.get("alerts") or []) or "-"
        table.add_row(str(e.get("period", e.get("month", "?"))), alerts,
                      "yes" if e.get("retrained") else "no",
                      "yes" if e.get("promoted") else "no")  # fmt: skip
    return table


if __name__ == "__main__":
    app()
