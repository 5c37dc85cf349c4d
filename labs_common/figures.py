"""Figures quoted in lessons and guides, each read from the results file that holds it.

Why it matters: a number typed twice drifts. The README said the monitoring replay takes
41 s while a module README said 51 s, and after the model changes every quoted ROC AUC is
stale. So every figure a document quotes is declared once in ``docs/figures.yaml``: the
document, the results file (``reports/*.json``, ``benchmarks/**/*.json``, or
``params.yaml`` for a setting the text repeats), the key in
it, and the words around it. ``tests/test_figures.py`` fails when a document no longer
says what its source holds, and ``python -m labs_common.figures --write`` rewrites the
documents from the sources (run it after ``dvc repro`` or a benchmark).

A declaration in ``docs/figures.yaml``::

    - doc: README.md
      source: reports/metrics.json
      key: test_roc_auc
      says: "test ROC AUC {:.3f}"

``says`` is a Python format string with one ``{}`` (or ``{:.3f}``, ``{:,}``, ``{:.1%}``,
...) where the value goes; a ``key`` is a dotted path (``stages.train.seconds``, list items by
index: ``rows.0.roc_auc``). Line breaks in the document count as spaces.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

import yaml

from labs_common import paths

REGISTRY = paths.ROOT / "docs" / "figures.yaml"
_FIELD = re.compile(r"\{[^{}]*\}")
_NUMBER = r"[-+]?(?=\.?\d)(?:\d[\d,]*)?(?:\.\d+)?(?:e[-+]?\d+)?%?"  # at least one digit


@dataclass(frozen=True)
class Figure:
    """One figure a document quotes: where it is said, where it comes from, and how."""

    doc: str
    source: str
    key: str
    says: str

    def value(self, root: Path = paths.ROOT) -> object:
        """Read the figure from its results file (``KeyError`` names the missing key)."""
        text = (root / self.source).read_text()
        data = yaml.safe_load(text) if self.source.endswith(".yaml") else json.loads(text)
        try:
            return reduce(_step, self.key.split("."), data)
        except (KeyError, IndexError, TypeError):
            raise KeyError(f"{self.source} has no {self.key!r} (declared for {self.doc})") from None

    def text(self, root: Path = paths.ROOT) -> str:
        """The words the document must contain, with the value filled in."""
        return self.says.format(self.value(root))

    def number(self, root: Path = paths.ROOT) -> str:
        """The value alone, formatted as ``says`` formats it (``0.686``, ``13.5%``)."""
        return _FIELD.search(self.says).group(0).format(self.value(root))

    def pattern(self) -> re.Pattern[str]:
        """A regex for the same words with any number (group 1) in place of the value."""
        before, after = (re.escape(part).replace(r"\ ", r"\s+") for part in _FIELD.split(self.says))
        return re.compile(f"{before}({_NUMBER}){after}")


def _step(node: object, part: str) -> object:
    return node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]


def load_figures(registry: Path = REGISTRY) -> list[Figure]:
    """Read the declarations of ``docs/figures.yaml``."""
    return [Figure(**entry) for entry in yaml.safe_load(registry.read_text()) or []]


def normalise(text: str) -> str:
    """Fold every run of white space to one space: a wrapped line still matches."""
    return re.sub(r"\s+", " ", text)


def stale(figures: list[Figure], root: Path = paths.ROOT) -> list[str]:
    """Return one message per figure its document does not say as its source has it."""
    problems = []
    for fig in figures:
        want = fig.text(root)
        if want not in normalise((root / fig.doc).read_text()):
            problems.append(f"{fig.doc}: should say {want!r} ({fig.source}: {fig.key})")
    return problems


def rewrite(figures: list[Figure], root: Path = paths.ROOT) -> list[str]:
    """Write each figure's current value into its document; return the documents changed.

    Raises:
        ValueError: when a document does not contain the declared words at all (the text
            was edited: fix the declaration or the document by hand).
    """
    changed = []
    for fig in figures:
        path = root / fig.doc
        text = path.read_text()
        number = fig.number(root)
        # Only the number changes: the words and their line breaks stay as written.
        new, n = fig.pattern().subn(
            lambda m, n=number: m.string[m.start() : m.start(1)] + n + m.string[m.end(1) : m.end()],
            text,
        )
        if n == 0:
            raise ValueError(f"{fig.doc} does not contain {fig.says!r}; edit it or figures.yaml")
        if new != text:
            path.write_text(new)
            changed.append(fig.doc)
    return sorted(set(changed))


def main() -> None:
    """``python -m labs_common.figures [--write]``: list stale figures, or fix them."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the documents")
    args = parser.parse_args()
    figures = []
    for fig in load_figures():
        if (paths.ROOT / fig.source).exists():
            figures.append(fig)
        else:
            print(f"skipped {fig.doc}: {fig.source} is not there yet")  # noqa: T201
    if args.write:
        for doc in rewrite(figures):
            print(f"updated {doc}")  # noqa: T201 - a command-line report
    for problem in stale(figures):
        print(problem)  # noqa: T201
        raise SystemExit(1)


if __name__ == "__main__":
    main()
