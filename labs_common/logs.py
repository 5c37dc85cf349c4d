"""Logging with rich: library code logs, only entry points install the handler."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.logging import RichHandler

console = Console(stderr=True)


def setup_logging(level: str | int = "INFO") -> None:
    """Send log records to a rich handler on stderr (call it from ``main`` or the CLI)."""
    logging.basicConfig(
        level=level,
        format="%(message)s",
        datefmt="[%X]",
        handlers=[RichHandler(console=console, show_path=False, rich_tracebacks=False)],
        force=True,
    )
    for noisy in ("alembic", "mlflow", "urllib3", "httpx", "prefect", "numba", "filelock"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
