"""What ``labs demo`` runs: the capstone end to end, one timed step after another.

Why it matters: an instructor has ten minutes and a projector. One command rebuilds the
whole system from the package data (DVC skips the stages whose inputs did not change),
proves the service answers on loopback, replays the production months through the monitors,
and builds the report site. ``--step`` pauses before each step with a paragraph to read out.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.panel import Panel
from rich.table import Table

from capstone.summary import WHERE_TO_LOOK, headline, monitoring_line, summary_table
from labs_common import contract, paths
from labs_common.logs import console


@dataclass(frozen=True)
class Step:
    """One step of the demo: its name, what to tell the class, and what to run."""

    name: str
    explain: str
    run: Callable[[Path], str]  # takes the repository root, returns a one-line result


@dataclass(frozen=True)
class Timing:
    """How one step went."""

    name: str
    seconds: float
    result: str


def dvc(*args: str, root: Path = paths.ROOT) -> None:
    """Run ``dvc ARGS`` with this Python first on PATH, as the stages expect."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run([sys.executable, "-m", "dvc", *args], cwd=root, env=env, check=True)


def run_pipeline(root: Path) -> str:
    """ingest -> validate -> features -> split -> train -> evaluate -> register."""
    dvc("repro", "register", root=root)
    return headline(root / "reports")


def check_service(root: Path) -> str:
    """Start the real API on a free loopback port, ask it four questions, stop it."""
    import httpx

    from module08_deployment.server import free_port, running_server, service_command
    from module08_deployment.service.schemas import EXAMPLE_FLIGHT

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {"LABS_PREDICTIONS_DB": str(Path(tmp) / "predictions.db"), "LABS_ROOT": str(root)}
        with running_server(service_command(port), f"{base}/ready", env=env):
            httpx.get(f"{base}/health", timeout=10).raise_for_status()
            card = httpx.get(f"{base}/model", timeout=10).raise_for_status().json()
            start = time.perf_counter()
            answer = httpx.post(f"{base}/predict", json=EXAMPLE_FLIGHT, timeout=30)
            millis = (time.perf_counter() - start) * 1000
            answer = answer.raise_for_status().json()
    flight = f"{EXAMPLE_FLIGHT['carrier']}{EXAMPLE_FLIGHT['flight']}"
    return (
        f"{card['name']} v{card['version']} ({card['alias']}) on 127.0.0.1:{port}: "
        f"{flight} late with p={answer['probability']:.2f} -> "
        f"{'flag' if answer['delayed'] else 'no flag'} in {millis:.0f} ms"
    )


def run_monitoring(root: Path) -> str:
    """Replay Sep-Dec through the monitors (module 09), then read the loop's decisions."""
    dvc("repro", "monitor", root=root)
    return monitoring_line(contract.under(root, contract.MONITORING_SUMMARY))


def build_report_site(root: Path) -> str:
    """Turn every report into one static page."""
    from capstone.site.build import build_site

    page = build_site(root)
    return f"{page.relative_to(root)} (open it in a browser; no server needed)"


STEPS = (
    Step("pipeline", "DVC reads dvc.yaml and runs only the stages whose inputs changed: it "
         "loads the 2013 flights, checks them against the data contract, builds the features "
         "known at the decision time (hours before departure), splits by month, trains and "
         "tunes a scikit-learn Pipeline (tracked in MLflow), picks a decision threshold from "
         "the cost of a missed delay, and registers the model: alias 'champion' only if it "
         "passes the gates.", run_pipeline),
    Step("serving", "The FastAPI service loads the registry's champion, answers /health and "
         "/ready like a container platform asks, and scores one flight sent as JSON. Every "
         "prediction is logged for the monitors. The service runs as a real process on "
         "loopback and is stopped with SIGTERM, as Docker would stop it.", check_service),
    Step("monitoring", "Production begins in September. Month by month the model scores the "
         "flights, the monitors compare them with the training data (drift, label shift, "
         "calibration, quality once labels arrive), and when the rules say so a challenger "
         "is trained on newer data and promoted only if it beats the champion on the same "
         "recent days. The first run takes minutes: it retrains.", run_monitoring),
    Step("report site", "Everything the pipeline wrote, on one static page: the DAG, the data "
         "contract, metrics and plots, the model card, the registry decision and the monthly "
         "drift summary with links to each Evidently report.", build_report_site),
)  # fmt: skip


def run_steps(
    steps: Sequence[Step], root: Path, pause: Callable[[Step], bool] | None = None
) -> list[Timing]:
    """Run ``steps`` in order, timing each; ``pause`` may stop before a step (returns False).

    A failing step raises after printing which step it was, so the class sees where.
    """
    timings = []
    for number, step in enumerate(steps, 1):
        console.rule(f"[bold]step {number}/{len(steps)}: {step.name}")
        if pause is not None and not pause(step):
            console.print("[yellow]stopped before this step[/]")
            break
        start = time.perf_counter()
        try:
            result = step.run(root)
        except Exception:
            console.print(f"[bold red]step {step.name!r} failed[/] after "
                          f"{time.perf_counter() - start:.0f} s")  # fmt: skip
            raise
        timings.append(Timing(step.name, time.perf_counter() - start, result))
        console.print(f"[green]done[/] in {timings[-1].seconds:.1f} s: {result}")
    return timings


def ask_to_continue(step: Step) -> bool:
    """Show the step's explanation and wait for Enter (``q`` stops the demo)."""
    console.print(Panel(step.explain, title=step.name, width=88))
    return console.input("[dim]Enter to run it, q to stop:[/] ").strip().lower() != "q"


def timing_table(timings: Sequence[Timing]) -> Table:
    """Seconds and result of each step that ran."""
    table = Table(title="Demo steps")
    for col, justify in (("step", "left"), ("seconds", "right"), ("result", "left")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for t in timings:
        table.add_row(t.name, f"{t.seconds:.1f}", t.result)
    table.add_row("total", f"{sum(t.seconds for t in timings):.1f}", "")
    return table


def main(step_by_step: bool = False, root: Path = paths.ROOT) -> list[Timing]:
    """Run the demo, then print the timings, the headline figures and where to look."""
    console.rule("[bold]labs demo: the capstone end to end")
    timings = run_steps(STEPS, root, ask_to_continue if step_by_step else None)
    console.print(timing_table(timings))
    console.print(summary_table(root / "reports"))
    console.print(WHERE_TO_LOOK)
    return timings
