"""``python -m capstone.site``: build ``reports/index.html`` (and optionally a screenshot).

Examples:
    python -m capstone.site
    python -m capstone.site --screenshot docs/report-site.png
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from capstone.site.build import build_site
from labs_common import paths
from labs_common.logs import setup_logging

app = typer.Typer(add_completion=False)


@app.command()
def main(
    root: Annotated[Path, typer.Option(help="Repository root")] = paths.ROOT,
    out: Annotated[Path | None, typer.Option(help="HTML file (default reports/index.html)")] = None,
    screenshot: Annotated[
        Path | None, typer.Option(help="Also save a full-page PNG here (needs Chromium)")
    ] = None,
) -> None:
    """Build the static report site from the pipeline's reports; log where it is."""
    setup_logging()
    page = build_site(root, out)
    if screenshot is not None:
        from capstone.site.browser import missing_browser, screenshot_site

        if reason := missing_browser():
            raise typer.BadParameter(reason, param_hint="--screenshot")
        screenshot_site(page, screenshot)


if __name__ == "__main__":
    app()
