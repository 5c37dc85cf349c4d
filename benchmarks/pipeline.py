"""Benchmark of the DVC pipeline up to `register`: a clean run, a no-op run, the bare fit.

The monitor stage (a four-month replay with retraining) has its own benchmark under
`benchmarks/monitoring`.

Run with ``make bench``. The clean run happens in a fresh copy of the repository (see
``labs_common.sandbox``), so the workspace is untouched. Targets from the pipeline issue:
clean run within 3x the bare fit+load and under 90 s on 2 cores; no-op under 3 s.

Two "bare" figures, because the search fits every grid candidate: the chosen model fitted
once (the issue's literal yardstick) and the same search done bare, in this process, with
no DVC, MLflow, validation or evaluation (what the pipeline's machinery should be compared
with). The report gives the clean run's ratio to each.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from pathlib import Path

import pandas as pd

from benchmarks import save_results
from labs_common import paths
from labs_common.config import load_params
from labs_common.sandbox import copy_repo, dvc
from module04_ml_fundamentals.features import LABEL
from module04_ml_fundamentals.train import build_pipeline, search

RESULTS = paths.ROOT / "benchmarks" / "results"


def _timed(fn: object) -> float:
    start = time.perf_counter()
    fn()
    return round(time.perf_counter() - start, 2)


def _pipeline_args(root: Path) -> dict:
    """What the train stage passes to module 04's pipeline, read from the copy's params."""
    params = load_params(root / "params.yaml")
    return {
        "kind": params.train.model,
        "weather_path": str(root / "data/raw/weather.parquet"),
        "planes_path": str(root / "data/raw/planes.parquet"),
        "use_weather": params.features.use_weather,
        "seed": params.train.seed,
    }


def bare_fit(root: Path) -> float:
    """Load the training months and fit the chosen model once, nothing else."""
    best = json.loads((root / "reports" / "train.json").read_text())["best_params"]
    args = _pipeline_args(root)

    def fit() -> None:
        train = pd.read_parquet(root / "data" / "processed" / "train.parquet")
        build_pipeline(**args, **best).fit(train, train[LABEL])

    return _timed(fit)


def bare_search(root: Path) -> float:
    """Load the training and validation months and run the train stage's search, bare."""
    args = _pipeline_args(root)
    grid = getattr(load_params(root / "params.yaml").train.search, args["kind"])

    def fit() -> None:
        processed = root / "data" / "processed"
        train, valid = (pd.read_parquet(processed / f"{p}.parquet") for p in ("train", "valid"))
        search(train, valid, grid, **args)

    return _timed(fit)


STAGES = ("ingest", "validate", "features", "split", "train", "evaluate", "register")


def stage_seconds(root: Path) -> dict[str, float]:
    """Re-run each stage alone (``dvc repro -s -f``), in order: where a clean run's time goes.

    Each figure includes that stage's process start-up and DVC's own bookkeeping.
    """
    return {s: _timed(lambda s=s: dvc(root, "repro", "-s", "-f", s)) for s in STAGES}


def run() -> dict:
    """Time the scenarios in one process and return the results."""
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_repo(Path(tmp) / "repo")
        clean = _timed(lambda: dvc(root, "repro", "register"))
        noop = _timed(lambda: dvc(root, "repro", "register"))
        bare = bare_fit(root)
        bare_all = bare_search(root)
        stages = stage_seconds(root)
        candidates = json.loads((root / "reports" / "train.json").read_text())["candidates"]
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.system(),
        },
        "seconds": {
            "clean_repro": clean,
            "noop_repro": noop,
            "bare_fit_and_load": bare,
            "bare_search_and_load": bare_all,
        },
        "stage_seconds": stages,
        "grid_candidates": candidates,
        "ratio_clean_to_bare": round(clean / bare, 2),
        "ratio_clean_to_bare_search": round(clean / bare_all, 2),
        "targets": {
            "clean_within_3x_bare": clean <= 3 * bare,
            "clean_within_3x_bare_search": clean <= 3 * bare_all,
            "clean_under_90s": clean < 90,
            "noop_under_3s": noop < 3,
        },
    }


def to_markdown(result: dict) -> str:
    """A short table of the run, for the README and the issue note."""
    s, t, m = result["seconds"], result["targets"], result["machine"]
    return (
        "\n".join(
            [
                "| scenario | seconds | target | met |",
                "|---|---:|---|---|",
                f"| clean `dvc repro` ({result['grid_candidates']} grid fits) | {s['clean_repro']} "
                f"| < 90 s | {t['clean_under_90s']} |",
                f"| no-op `dvc repro` | {s['noop_repro']} | < 3 s | {t['noop_under_3s']} |",
                f"| bare load + the same search | {s['bare_search_and_load']} "
                f"| clean <= 3x this ({result['ratio_clean_to_bare_search']}x) "
                f"| {t['clean_within_3x_bare_search']} |",
                f"| bare load + one fit of the chosen model | {s['bare_fit_and_load']} "
                f"| clean <= 3x this ({result['ratio_clean_to_bare']}x) "
                f"| {t['clean_within_3x_bare']} |",
                "\nEach stage re-run alone (`dvc repro -s -f`), in seconds:\n",
                "| " + " | ".join(result["stage_seconds"]) + " |",
                "|" + "---:|" * len(result["stage_seconds"]),
                "| " + " | ".join(str(v) for v in result["stage_seconds"].values()) + " |",
                f"\nMachine: {m['cpus']} CPUs, Python {m['python']}.",
            ]
        )
        + "\n"
    )


def main() -> None:
    result = run()
    save_results(result, to_markdown(result), RESULTS / "pipeline")


if __name__ == "__main__":
    from labs_common.tooling import configure_offline

    configure_offline()
    main()
