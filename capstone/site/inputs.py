"""Where the report site finds its inputs, and how it reads them.

Why it matters: the site only reads what the pipeline and the benchmarks already wrote;
it never recomputes a number. Every path is relative to a repository root passed in, so
the tests build a site from a temporary folder of small fixture files.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from labs_common import paths

#: The reports folder, the params file and the docs folder, relative to the root
#: (the facts themselves live in labs_common.paths).
REPORTS = paths.REPORTS.relative_to(paths.ROOT)
PARAMS = paths.PARAMS_PATH.relative_to(paths.ROOT)
SITE_NAME = "index.html"
SCREENSHOT = paths.DOCS.relative_to(paths.ROOT) / "report-site.png"

#: Benchmark results, relative to the root; the benchmark scripts write them
#: (benchmarks/pipeline.py, benchmarks/serving/bench.py, benchmarks/monitoring/bench.py,
#: module06_lifecycle/benchmark.py). Defined here because labs_common.paths has no entry.
BENCHMARKS = {
    "pipeline": Path("benchmarks/results/pipeline.json"),
    "serving": Path("benchmarks/serving/results/serving.json"),
    "batch": Path("benchmarks/serving/results/batch_scoring.json"),
    "monitoring": Path("benchmarks/monitoring/results.json"),
}


@dataclass(frozen=True)
class Inputs:
    """The folders one build reads from and writes to.

    Attributes:
        root: the repository root (``dvc.yaml``, ``params.yaml``, ``benchmarks/``).
        out: the HTML file being written; links are made relative to its folder.
    """

    root: Path
    out: Path

    @property
    def reports(self) -> Path:
        """The folder the pipeline writes its reports to."""
        return self.root / REPORTS

    def report(self, name: str) -> Path:
        """Return the path of one report file, e.g. ``report("metrics.json")``."""
        return self.reports / name

    def link(self, target: Path) -> str:
        """Return a relative, forward-slash link from the site to ``target``.

        Why it matters: relative links keep working when the folder is copied, zipped or
        opened from ``file://``; an absolute path breaks on the next machine.
        """
        return Path(os.path.relpath(target, self.out.parent)).as_posix()


def read_json(path: Path) -> dict | list:
    """Read a JSON file; ``FileNotFoundError`` when it is absent.

    Raises:
        FileNotFoundError: the file does not exist (the section says how to produce it).
        ValueError: the file is not valid JSON.
    """
    text = Path(path).read_text()
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{path} is not valid JSON ({exc}); re-run the stage that writes it"
        ) from exc


def read_csv(path: Path) -> pd.DataFrame:
    """Read a plot table written by the evaluate stage; ``FileNotFoundError`` when absent."""
    if not Path(path).exists():
        raise FileNotFoundError(path)
    return pd.read_csv(path)


def read_yaml(path: Path) -> dict:
    """Read a YAML file such as ``dvc.yaml`` or ``dvc.lock``."""
    return yaml.safe_load(Path(path).read_text()) or {}
