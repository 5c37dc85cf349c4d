"""The pipeline as a Prefect flow: ``python -m myflights.flow`` runs it once.

Each DVC stage is a task; running ``dvc repro <stage>`` reads and writes files, so a
task retries twice before the flow fails. ``deployment()`` schedules it every night.
"""

from __future__ import annotations

import subprocess

from prefect import flow, task

STAGES = ("ingest", "validate", "features", "train", "evaluate", "register")


@task(retries=2, retry_delay_seconds=5)
def run_stage(stage: str) -> str:
    """Bring one stage up to date (DVC skips it when nothing changed)."""
    done = subprocess.run(["dvc", "repro", "--single-item", stage], capture_output=True,
                          text=True, check=True)  # fmt: skip
    return done.stdout


@flow(name="my-flight-delay-pipeline")
def pipeline() -> list[str]:
    """Run every stage in order."""
    return [run_stage(stage) for stage in STAGES]


def deployment() -> object:
    """The nightly schedule (03:00): ``deployment().apply()`` or ``pipeline.serve(...)``."""
    return pipeline.to_deployment(name="nightly", cron="0 3 * * *")


if __name__ == "__main__":
    pipeline()
