"""The front page and the docs point at things that exist and commands that work.

Why it matters: the README is the first thing a student runs. A dead link or a `make`
target that was renamed costs every new student the same ten minutes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from labs_common import paths

ROOT = paths.ROOT
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def relative_links(path: Path) -> list[str]:
    """Targets of markdown links in ``path`` that are files of this repository."""
    return [t for t in LINK.findall(path.read_text()) if not re.match(r"[a-z]+:", t)]


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))


def test_relative_links_ignores_urls_and_anchors(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text("[a](docs/x.md) [b](https://e.org) [c](#top) [d](y/README.md#part)")
    assert relative_links(page) == ["docs/x.md", "y/README.md"]


@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.name)
def test_links_point_at_existing_files(page: Path) -> None:
    dead = [t for t in relative_links(page) if not (page.parent / t).exists()]
    assert not dead, f"{page.relative_to(ROOT)} links to missing files: {dead}"


def test_readme_shows_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    assert "make demo" in text and "make test" in text


def test_readme_lock_command_matches_makefile() -> None:
    recipe = re.search(r"^lock:.*\n\t(.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert recipe, "the Makefile has no lock target"
    command = recipe.group(1).replace("$(BIN)/", "").replace("$(LOCK)", "requirements.lock")
    assert command in (ROOT / "README.md").read_text(), f"README should show: {command}"


def labs_commands() -> set[str]:
    from typer.main import get_command

    from capstone.cli import app

    return set(get_command(app).commands)  # type: ignore[attr-defined]


#: The commands a page may show in backticks: how to spot one, and what really exists.
COMMANDS = {
    "make": (r"`make ([a-z][a-z-]*)", make_targets, "make targets the Makefile lacks"),
    "labs": (r"`(?:\.venv/bin/)?labs ([a-z]+)", labs_commands, "labs commands the CLI lacks"),
}


@pytest.mark.parametrize("tool", COMMANDS)
@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.name)
def test_commands_in_docs_exist(page: Path, tool: str) -> None:
    pattern, existing, missing = COMMANDS[tool]
    unknown = sorted(set(re.findall(pattern, page.read_text())) - existing())
    assert not unknown, f"{page.name} mentions {missing}: {unknown}"


def test_student_guide_counts_notebooks_and_exercises() -> None:
    """The module table of docs/student.md says what each module folder really holds."""
    import importlib

    rows = re.findall(
        r"^\| \[\d\d [^\]]+\]\(\.\./(module\d\d_\w+)/README\.md\) \| (\d+) \| (\d+) \|",
        (ROOT / "docs" / "student.md").read_text(),
        re.M,
    )
    assert len(rows) == 9
    for folder, notebooks, exercises in rows:
        checks = importlib.import_module(f"{folder}.exercises.checks").CHECKS
        assert int(notebooks) == len(list((ROOT / folder / "notebooks").glob("*.ipynb"))), folder
        assert int(exercises) == len(checks), folder


# -- docs/architecture.md names only what exists -----------------------------------------

ARCHITECTURE = ROOT / "docs" / "architecture.md"
#: Pipeline outputs do not exist in a fresh clone: they must be contract paths instead.
OUTPUT_ROOTS = ("data/", "reports/", "models/")


def architecture_spans() -> list[str]:
    """The code spans of docs/architecture.md that name something (no spaces)."""
    return [s for s in re.findall(r"`([^`\n]+)`", ARCHITECTURE.read_text()) if " " not in s]


def test_architecture_paths_exist() -> None:
    from labs_common import contract

    outputs = {
        p.relative_to(ROOT).as_posix() for p in vars(contract).values() if isinstance(p, Path)
    }
    named = [s for s in architecture_spans() if "/" in s and not s.startswith(("/", "@"))]
    assert len(named) > 20, "the page names fewer paths than it did: is the scan right?"
    missing = [
        s for s in named
        if not (s in outputs if s.startswith(OUTPUT_ROOTS) else (ROOT / s.rstrip("/")).exists())
    ]  # fmt: skip
    assert not missing, f"docs/architecture.md names paths that do not exist: {missing}"


def test_architecture_names_exist() -> None:
    """`contract.X` is a constant, `section.key` a parameter, `file.py` `name` is defined there."""
    from labs_common import contract
    from labs_common.config import load_params

    text, spans, params = ARCHITECTURE.read_text(), architecture_spans(), load_params()
    problems = [s for s in spans if s.startswith("contract.") and not hasattr(contract, s[9:])]
    for section, key in re.findall(r"^(features|split|train|cost|register|monitor)\.(\w+)$",
                                   "\n".join(spans), flags=re.M):  # fmt: skip
        if key not in type(getattr(params, section)).model_fields:
            problems.append(f"{section}.{key}")
    for path, rest in re.findall(r"`([\w/]+\.py)`\s*\(?((?:`\w+`(?:,\s*)?)+)", text):
        source = (ROOT / path).read_text()
        for name in re.findall(r"`(\w+)`", rest):
            if not re.search(rf"^\s*(def|class)\s+{name}\b|^{name}\s*=", source, re.M):
                problems.append(f"{path}: {name}")
    assert not problems, f"docs/architecture.md names what does not exist: {problems}"
