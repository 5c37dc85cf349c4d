"""The DVC stage ``monitor``: replay the production months, monitor, retrain, promote.

Why it matters: this is the loop that keeps a model alive. The model trained on
January-August meets September to December one month at a time, in order, as it would
in production: score the month's schedule, and once its flights have landed, monitor it;
if the rules call for it, retrain on everything known so far, let the challenger face the
champion on the month's last days, and promote it only if it passes the register gates.
The next month is scored by whoever is champion then. The replay starts from the model in
production, the registry's ``@champion`` (not ``models/model``, which may be a refused
challenger). Same inputs, same decisions: the summary is deterministic.

Outputs: ``reports/monitoring/<period>/`` (Evidently HTML + JSON, ``monitor.json``),
``reports/monitoring/summary.json`` (one entry per month) and ``reports/monitor.json``
(the few numbers ``dvc metrics show`` lists).

The Prefect flow ``monitor_and_retrain`` (capstone/flows.py) runs the same steps as tasks.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import typer

from labs_common import contract, paths
from labs_common.config import RegisterParams, load_params
from labs_common.contract import CHAMPION
from labs_common.data import read_table, write_text
from labs_common.logs import setup_logging
from module06_lifecycle.predictor import Predictor, load_from_dir, load_predictor
from module09_monitoring.context import PRODUCTION_FILES, Context, load_months, monitoring_context
from module09_monitoring.monitor import monitor_month
from module09_monitoring.reference import Reference, build_reference, model_scores
from module09_monitoring.retrain import compare_models, fit_challenger, split_recent

log = logging.getLogger(__name__)
app = typer.Typer(add_completion=False)

OUT_DIR = contract.MONITORING_DIR


@dataclass
class Champion:
    """The model in production, its name (how far its data goes) and its reference."""

    name: str
    model: object
    reference: Reference


def trained_to(flights: pd.DataFrame) -> str:
    """Name a model by the last day of its training data, e.g. ``trained to 2013-08-31``."""
    last = flights.sort_values(["year", "month", "day"]).iloc[-1]
    return f"trained to {int(last['year'])}-{int(last['month']):02d}-{int(last['day']):02d}"


def make_champion(name: str, model: object, training: pd.DataFrame, ctx: Context) -> Champion:
    """Wrap a model as champion, its training data as reference (written to ``references/``)."""
    champion = Champion(name, model, build_reference(model, training, ctx.params))
    if ctx.out_dir is not None:
        slug = name.removeprefix("trained to ")
        text = json.dumps({"champion": name, **champion.reference.to_dict()}, indent=2)
        write_text(text + "\n", Path(ctx.out_dir) / "references" / f"{slug}.json")
    return champion


def start_champion(model: object, training: pd.DataFrame, ctx: Context) -> Champion:
    """The first champion of a replay: ``model``, named by and judged against ``training``."""
    return make_champion(trained_to(training), model, training, ctx)


def promotion_gates(ctx: Context) -> RegisterParams:
    """The register gates, with the quality floor of a month instead of the test months'.

    The floor is ``monitor.promotion_min_roc_auc`` when set, else the month's quality
    alert floor ``monitor.min_roc_auc``: a challenger that would raise a quality alert
    itself is never promoted. The other gates (slice gap, not worse than the champion on
    the same days) stay as ``register`` sets them.

    Why it matters: ``register.min_roc_auc`` was set on two whole test months; two weeks
    of a hard month sit below it for champion and challenger alike, so that floor would
    refuse every challenger however much better it ranks.
    """
    floor = ctx.params.promotion_min_roc_auc or ctx.params.min_roc_auc
    return ctx.gates.model_copy(update={"min_roc_auc": floor})


def retrain_and_compare(
    champion: Champion, history: pd.DataFrame, month: pd.DataFrame, ctx: Context
) -> tuple[Champion, dict]:
    """Fit a challenger on history + the month's first days, compare on its last days.

    Returns:
        The champion after the decision (the challenger if promoted) and the outcome.
    """
    older, recent = split_recent(month, ctx.params.holdout_days)
    fit_rows = pd.concat([history, older], ignore_index=True)
    challenger = fit_challenger(champion.model, fit_rows, ctx.raw_dir)
    outcome = compare_models(
        champion.model, challenger, recent, promotion_gates(ctx), ctx.costs, ctx.threshold
    )
    name = trained_to(fit_rows)
    outcome = {"name": name, "train_rows": len(fit_rows), **outcome}
    log.info("%s vs %s: %s", name, champion.name, "; ".join(outcome["reasons"]))
    if outcome["promoted"]:
        champion = make_champion(name, challenger, fit_rows, ctx)
    return champion, outcome


def record(entry: dict, champion_name: str, outcome: dict | None) -> dict:
    """Return the month's entry with the loop's decisions: who scored, retrained, promoted."""
    return {
        "month": entry["month"],
        "champion": champion_name,
        **{k: v for k, v in entry.items() if k != "month"},
        "retrained": outcome is not None,
        "promoted": bool(outcome and outcome["promoted"]),
        "challenger": outcome,
    }


def score_and_monitor(month: pd.DataFrame, champion: Champion, ctx: Context) -> dict:
    """Score ``month`` with the champion, then run the monitors against its reference."""
    scores = model_scores(champion.model, month)
    return monitor_month(
        month,
        scores,
        champion.model,
        champion.reference,
        ctx.params,
        threshold=ctx.threshold,
        out_dir=ctx.out_dir,
        workspace=ctx.workspace,
    )


@dataclass(frozen=True)
class Steps:
    """The three steps of the replay, called as the loop needs them.

    Why it matters: the Prefect flow ``monitor_and_retrain`` (``capstone/flows.py``) runs
    this same loop with each step wrapped in a task (a name, a state, a log per month), so
    the stage and the flow cannot decide differently: only the wrapping differs.
    """

    start: Callable[[object, pd.DataFrame, Context], Champion] = start_champion
    monitor: Callable[[pd.DataFrame, Champion, Context], dict] = score_and_monitor
    retrain: Callable[[Champion, pd.DataFrame, pd.DataFrame, Context], tuple[Champion, dict]] = (
        retrain_and_compare
    )


def replay_month(
    champion: Champion,
    history: pd.DataFrame,
    month: pd.DataFrame,
    ctx: Context,
    steps: Steps = Steps(),
) -> tuple[Champion, pd.DataFrame, dict]:
    """Score, monitor and (if the rules say so) retrain for one month; return the new state."""
    entry = steps.monitor(month, champion, ctx)
    outcome = None
    scored_by = champion.name
    if entry["retrain"]:
        champion, outcome = steps.retrain(champion, history, month, ctx)
    history = pd.concat([history, month], ignore_index=True)
    return champion, history, record(entry, scored_by, outcome)


def run_replay(
    model: object,
    training: pd.DataFrame,
    months: Iterable[pd.DataFrame],
    ctx: Context,
    steps: Steps = Steps(),
) -> list[dict]:
    """Replay ``months`` in order, starting from ``model`` trained on ``training``.

    ``months`` may be a generator: each month is read only when the loop reaches it.
    """
    champion = steps.start(model, training, ctx)
    history, entries = training, []
    for month in months:
        champion, history, entry = replay_month(champion, history, month, ctx, steps)
        log.info(
            "%s: alerts %s, retrain %s, promoted %s",
            entry["period"],
            entry["alerts"],
            entry["retrain"],
            entry["promoted"],
        )
        entries.append(entry)
    return entries


def write_summary(entries: list[dict], out_dir: Path = OUT_DIR) -> Path:
    """Write ``summary.json``: the list of monthly entries, in month order."""
    return write_text(json.dumps(entries, indent=2) + "\n", Path(out_dir) / "summary.json")


def metrics_of(entries: list[dict]) -> dict:
    """The few numbers per month that ``dvc metrics show`` lists (``reports/monitor.json``)."""
    keys = (
        "drift_share",
        "prediction_psi",
        "label_rate",
        "mean_score",
        "calibration_gap",
        "roc_auc",
        "retrain",
        "promoted",
    )
    return {e["period"]: {k: e[k] for k in keys} for e in entries}


def load_champion(model_name: str) -> Predictor:
    """Load the model in production: the registry's ``@champion``, with its own threshold.

    Why it matters: ``models/model`` is the newest model *trained*, not the one *serving*.
    When the register stage refuses it (alias ``challenger``), production still runs the
    older champion, and that is the model whose months must be monitored.

    Raises:
        ModelNotFoundError: no version has the alias yet; the message says how to make one.
    """
    predictor = load_predictor(f"models:/{model_name}@{CHAMPION}")
    log.info("Replaying from %s version %s (@%s)", model_name, predictor.info.version, CHAMPION)
    return predictor


def production_model(model_dir: Path | None = None) -> Predictor:
    """The registry's ``@champion`` (the model in production), or the folder if given.

    Why it matters: ``models/model`` is the newest model trained; after a refused
    challenger it is not the one serving, and drift must be measured for the one serving.
    """
    if model_dir is not None:
        return load_from_dir(Path(model_dir))
    return load_champion(load_params().register.model_name)


@app.command()
def main(
    split_dir: Path = paths.PROCESSED,
    raw_dir: Path = paths.RAW,
    out_dir: Path = OUT_DIR,
    report: Path = contract.MONITOR_REPORT,
    params_path: Path = paths.PARAMS_PATH,
) -> None:
    """Replay the production months from the registry's champion; write the reports."""
    setup_logging()
    course = load_params(params_path)
    predictor = load_champion(course.register.model_name)
    ctx = monitoring_context(predictor.threshold, course=course, raw_dir=raw_dir, out_dir=out_dir)
    training = read_table(Path(split_dir) / contract.TRAIN_SPLIT.name)
    files = [Path(split_dir) / f.name for f in PRODUCTION_FILES]
    months = load_months(course.split.production_months, files)
    entries = run_replay(predictor.model, training, months, ctx)
    summary = write_summary(entries, out_dir)
    write_text(json.dumps(metrics_of(entries), indent=2) + "\n", report)
    log.info("Wrote %s", summary)


if __name__ == "__main__":
    app()
