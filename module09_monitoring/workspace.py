"""Keep each month's Evidently snapshots in a local workspace, and open the Evidently UI on it.

Why it matters: a folder of HTML files answers "what happened in October?"; a workspace
answers "how has drift moved since June?". Evidently's local ``Workspace`` stores every
snapshot of a project on disk, and ``evidently ui --workspace <folder>`` serves them with
their history, offline, on 127.0.0.1. ``labs monitor --workspace`` adds the month's
snapshots here; ``make evidently-ui`` opens them.
"""

from __future__ import annotations

import logging
from pathlib import Path

from labs_common import paths

log = logging.getLogger(__name__)

#: Where ``labs monitor --workspace`` and ``make evidently-ui`` keep and read the snapshots.
DEFAULT = paths.REPORTS / "workspace"
PROJECT = "flight-delay monitoring"


def open_project(folder: Path = DEFAULT) -> tuple[object, object]:
    """Return the local workspace in ``folder`` and its monitoring project (made if absent)."""
    from evidently.ui.workspace import Workspace

    workspace = Workspace.create(str(folder))
    found = workspace.search_project(PROJECT)
    if found:
        return workspace, found[0]
    description = "Drift and quality of the flight-delay model, one run per report and period"
    return workspace, workspace.create_project(PROJECT, description=description)


def add_snapshots(snapshots: dict[str, object], period: str, folder: Path = DEFAULT) -> list[str]:
    """Add the period's snapshots (``{"data_drift": snapshot, ...}``); return the run ids.

    Each run is named ``<period> <report>``, e.g. ``2013-10 data_drift``, so the UI lists
    the months in order.
    """
    workspace, project = open_project(Path(folder))
    ids = [
        str(workspace.add_run(project.id, snapshot, name=f"{period} {name}").id)
        for name, snapshot in snapshots.items()
    ]
    log.info("Added %d snapshot(s) of %s to the Evidently workspace %s", len(ids), period, folder)
    return ids


def ui_command(folder: Path = DEFAULT, port: int = 8002) -> list[str]:
    """The command that serves the Evidently UI on ``folder`` (loopback only).

    Example:
        >>> ui_command(Path("ws"))[1:]
        ['ui', '--workspace', 'ws', '--host', '127.0.0.1', '--port', '8002']
    """
    return [
        "evidently",
        "ui",
        "--workspace",
        str(folder),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
