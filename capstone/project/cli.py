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


def grade_command(project: Path, json_path: Path | None, group: bool) -> None:
    """``labs grade``: grade, print the table (and the JSON), exit 1 unless all machine
    criteria meet."""
    from capstone.grading.grade import grade_project, new_seed, write_json

    seed = new_seed()
    console.print(f"grading {project} (random seed {seed}; LABS_CHECK_SEED={seed} repeats it)")
    try:
        result = grade_project(project, group=group, seed=seed)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    table = Table(title=f"labs grade {escape(str(project))}")
    for col in ("criterion", "judged by", "level", "evidence: command -> what it saw"):
        table.add_column(col)
    for m in result.marks:
        level = "?" if m.level is None else str(m.level)
        colour = "yellow" if m.met is None else ("green" if m.met else "red")
        seen = "\n".join(f"[bold]{escape(s.command)}[/] -> {escape(s.saw)}" for s in m.evidence)
        table.add_row(m.name, m.judged_by, f"[{colour}]{level}[/]", seen)
    console.print(table)
    if json_path is not None:
        write_json(result, json_path)
        console.print(f"wrote {json_path}")
    machine = [m for m in result.marks if m.judged_by == "machine"]
    met = sum(bool(m.met) for m in machine)
    console.print(f"{met}/{len(machine)} machine-judged criteria meet the rubric in "
                  f"{result.seconds:.0f} s; {len(result.marks) - len(machine)} for a person "
                  f"(seed {result.seed})")  # fmt: skip
    if not result.passed:
        raise typer.Exit(code=1)
