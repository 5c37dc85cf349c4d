"""Serve the ``monitor_and_retrain`` flow as a Prefect deployment on a cron schedule.

Why it matters: a flow you start by hand is still a script. A *deployment* is a flow the
orchestrator knows: it has a name, a schedule and parameters, every run shows in the UI
with its logs, and anyone can trigger one (UI, API or ``prefect deployment run``). Here
the deployment is *served*, as Prefect's docs teach first: this process registers it
with the Prefect server, then polls for scheduled or triggered runs and executes each in
a subprocess. No work pool or worker to set up; stop the process and the schedule pauses.

``labs schedule`` (or ``make schedule``) runs it. Point ``PREFECT_API_URL`` at a server
(the compose stack's, ``http://127.0.0.1:4200/api``, or ``make prefect-server``) to see
the runs in the UI; without it Prefect starts a temporary local server for the process.
"""

from __future__ import annotations

import argparse

from labs_common.tooling import configure_offline

#: The deployment's name; Prefect addresses it as ``monitor_and_retrain/monthly-monitor``.
DEPLOYMENT = "monthly-monitor"
#: 06:00 UTC on the 2nd of each month: the previous month's flights have landed by then.
CRON = "0 6 2 * *"


def full_name() -> str:
    """The ``<flow>/<deployment>`` name that ``run_deployment`` and the CLI take."""
    return f"monitor_and_retrain/{DEPLOYMENT}"


def build_deployment(cron: str = CRON, months: list[int] | None = None) -> object:
    """Return the flow's ``RunnerDeployment``: name, cron schedule, default parameters."""
    from prefect.deployments.runner import EntrypointType

    from capstone.flows import monitor_and_retrain

    return monitor_and_retrain.to_deployment(
        name=DEPLOYMENT,
        cron=cron,
        parameters={"months": months} if months else {},
        description="Replay the production months: score, monitor, retrain on drift, promote",
        tags=["monitoring"],
        # Each run imports capstone.flows in a fresh `python -m prefect.engine` process.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve(cron: str = CRON, months: list[int] | None = None) -> None:
    """Register the deployment with its cron schedule and run its flow runs until stopped.

    Why ``prefect.serve(deployment)`` and not ``flow.serve()``: the latter runs each flow
    run from the in-memory flow, shipped to a subprocess by value with cloudpickle, which
    drops the names only annotations use; pydantic then cannot resolve ``params:
    MonitorParams | None`` and every run failed validating its parameters (found by the
    test). A served *deployment* re-imports ``capstone.flows`` for each run instead.

    Args:
        cron: when to run (standard 5-field cron, UTC).
        months: the months each scheduled run replays (default: params.yaml's production
            months). A run triggered by hand may pass other parameters.
    """
    configure_offline()  # before Prefect reads its settings
    from prefect import serve as serve_deployments

    serve_deployments(build_deployment(cron, months), pause_on_shutdown=True)


def main(argv: list[str] | None = None) -> None:
    """``python -m capstone.schedule [--cron '0 6 2 * *'] [--months 9 10]``."""
    from labs_common.logs import setup_logging

    parser = argparse.ArgumentParser(prog="python -m capstone.schedule")
    parser.add_argument("--cron", default=CRON)
    parser.add_argument("--months", type=int, nargs="*", default=None)
    args = parser.parse_args(argv)
    setup_logging()
    serve(args.cron, args.months)


if __name__ == "__main__":
    main()
