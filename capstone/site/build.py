"""Build ``reports/index.html``: one static page over everything the pipeline produced.

Why it matters: the reports are a dozen JSON files, four CSVs and a folder of Evidently
pages. A student (or an instructor with a projector) wants one page that opens from
``file://`` with no server and no network, shows each piece, and says plainly which
command produces the pieces that are not there yet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from capstone.site import card, operations, sections
from capstone.site.inputs import REPORTS, SITE_NAME, Inputs
from labs_common.data import write_text

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Section:
    """One part of the page: what it shows, and how to produce it when it is missing.

    Attributes:
        key: the anchor id and the name of the template macro that draws it.
        title: the heading.
        command: the command that writes its inputs, shown when they are missing.
        build: reads the inputs and returns what the macro needs; raises
            ``FileNotFoundError`` when an input is missing.
    """

    key: str
    title: str
    command: str
    build: Callable[[Inputs], dict]


SECTIONS = [
    Section("pipeline", "The pipeline", "git restore dvc.yaml", sections.pipeline_section),
    Section("validation", "Data validation", "dvc repro validate", sections.validation_section),
    Section("metrics", "Metrics and the decision threshold", "dvc repro evaluate",
            sections.metrics_section),
    Section("plots", "Plots", "dvc repro evaluate", sections.plots_section),
    Section("card", "Model card", "dvc repro evaluate", card.card_section),
    Section("registry", "Registry decision", "dvc repro register", sections.registry_section),
    Section("drift", "Monthly drift", "dvc repro monitor", operations.drift_section),
    Section("benchmarks", "Benchmarks", "make bench", operations.benchmark_section),
]  # fmt: skip


def build_section(section: Section, inputs: Inputs) -> dict:
    """Run one section's builder; a missing or unreadable input becomes a note, not a crash.

    Why it matters: the site is most useful exactly when the pipeline is half done; one
    absent file must not hide the seven sections that are there.
    """
    view = {"key": section.key, "title": section.title, "command": section.command}
    try:
        return view | {"data": section.build(inputs), "missing": False, "problem": None}
    except FileNotFoundError as exc:
        missing = Path(exc.filename or str(exc))
        if missing.is_relative_to(inputs.root):
            missing = missing.relative_to(inputs.root)
        return view | {
            "data": None,
            "missing": True,
            "problem": f"{missing.as_posix()} is missing.",
        }
    except (ValueError, KeyError, TypeError, jinja2.UndefinedError) as exc:
        log.warning("Section %s could not be built: %s", section.key, exc)
        return view | {
            "data": None,
            "missing": False,
            "problem": f"An input could not be read: {exc}",
        }


def render_page(views: list[dict]) -> str:
    """Render the page from the section views; every text is HTML-escaped by Jinja2."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("index.html.j2").render(sections=views)


def build_site(root: Path, out: Path | None = None) -> Path:
    """Build the report site from the reports under ``root`` and return the page's path.

    Why it matters: one call, used by ``python -m capstone.site``, ``labs site`` and
    ``make demo``, turns the pipeline's outputs into a page anyone can open.

    Args:
        root: the repository root (holds ``dvc.yaml``, ``reports/``, ``benchmarks/``).
        out: where to write the page; ``<root>/reports/index.html`` by default. Links to
            the Evidently reports and benchmark files are relative to its folder.

    Returns:
        The path of the written HTML file.
    """
    root = Path(root).resolve()
    out = Path(out).resolve() if out is not None else root / REPORTS / SITE_NAME
    inputs = Inputs(root=root, out=out)
    views = [build_section(section, inputs) for section in SECTIONS]
    write_text(render_page(views), out)
    missing = [v["key"] for v in views if v["data"] is None]
    log.info("Wrote the report site to %s (%d sections, missing: %s)", out, len(views),
             ", ".join(missing) or "none")  # fmt: skip
    return out
