"""``labs project new|solve`` and ``labs check N --project DIR``: the lab commands.

Kept apart from ``capstone/cli.py`` so ``labs --help`` imports nothing heavy.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from labs_common.logs import console

project_app = typer.Typer(help="Your own project, grown one lab per module (03-09).",
                          no_args_is_help=True)  # fmt: skip
_STYLE = {"pass": "green", "todo": "yellow", "fail": "red", "error": "red"}


def _fail(message: str) -> typer.Exit:
    console.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code=1)


@project_app.command()
def new(directory: Annotated[Path, typer.Argument(help="A new folder for your project")]) -> None:
    """Create your project: a git repository with DVC, a local remote, params and tests."""
    from capstone.project.scaffold import new_project, remote_dir

    try:
        root = new_project(directory)
    except (FileExistsError, subprocess.CalledProcessError) as exc:
        raise _fail(str(exc)) from None
    console.print(f"[green]created[/] {root} (DVC remote: {remote_dir(root)})")
    console.print(f"next: read {root / 'README.md'}, then `labs check 3 --project {directory}`")


@project_app.command()
def solve(
    directory: Annotated[Path, typer.Argument(help="A project made by `labs project new`")],
    upto: Annotated[int, typer.Option(help="Apply the answers of labs 03..UPTO")] = 9,
    run: Annotated[bool, typer.Option(help="Run dvc repro/push and commit afterwards")] = True,
) -> None:
    """Fill a project with the reference answers (for instructors and CI)."""
    from capstone.project.scaffold import solve_project

    try:
        done = solve_project(directory, upto=upto, run_pipeline=run)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    except subprocess.CalledProcessError as exc:
        raise _fail(f"{exc}\n{exc.stdout}\n{exc.stderr}") from None
    console.print(f"[green]solved[/] labs {', '.join(f'{n:02d}' for n in done)} in {directory}")


def check_lab(number: int, project: Path) -> None:
    """Run lab ``number``'s checks on ``project`` and print a table; exit 1 unless all pass."""
    from capstone.project.checks import run_lab

    try:
        report = run_lab(number, project)
    except LookupError as exc:
        raise _fail(str(exc)) from None
    table = Table(title=f"Lab {number:02d}: {report.lab.title}")
    for col in ("step", "result", "message / hint"):
        table.add_column(col)
    for r in report.results:
        note = escape(r.message)
        if not r.passed:
            note += f"\n[dim]hint: {escape(r.hint)}[/]"
        table.add_row(r.name, f"[{_STYLE[r.status]}]{r.status}[/]", note)
    console.print(table)
    done = sum(r.passed for r in report.results)
    console.print(f"{done}/{len(report.results)} steps pass (random seed {report.seed}; "
                  f"LABS_CHECK_SEED={report.seed} repeats this run)")  # fmt: skip
    if not report.passed:
        raise typer.Exit(code=1)
