"""Timed scenarios of the course; results are committed under benchmarks/results."""

from __future__ import annotations

import json
from pathlib import Path

from labs_common.data import write_text


def save_results(result: dict, markdown: str, stem: Path) -> None:
    """Write ``stem.json`` (every figure) and ``stem.md`` (the table), and print the table."""
    write_text(json.dumps(result, indent=2) + "\n", stem.with_suffix(".json"))
    write_text(markdown, stem.with_suffix(".md"))
    print(markdown)  # noqa: T201 - a benchmark's report to the terminal
