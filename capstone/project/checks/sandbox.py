"""A throw-away copy of a student's project, where a check runs their work.

Why it matters: a check must run the student's stages for real, with parameters and data
they could not predict, without touching their project: a copy is the only safe place.
The copy has its own git repository, DVC cache and remote, MLflow store and Prefect home,
and every Python process in it loads ``blocker/sitecustomize.py``, which stops the student's
code from importing the reference answer of the lab being checked.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from capstone.project.tools import commit_all, ensure_git_identity, project_env, run, tail
from labs_common import paths

BLOCKER = Path(__file__).resolve().parent / "blocker"


class CheckFailed(AssertionError):
    """A step of a lab found something wrong; the message says what."""


@dataclass
class Sandbox:
    """The copy of one project, its environment and the check's random generator."""

    project: Path
    root: Path
    blocked: tuple[str, ...]
    rng: random.Random
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def import_log(self) -> Path:
        return self.root.parent / "imports"

    @property
    def env(self) -> dict[str, str]:
        return project_env(
            self.root,
            # course code run from the copy writes its files into the copy, never the course
            LABS_ROOT=str(self.root),
            # a check may put a doctored copy of a data package first (lab 07's corrupt data)
            PYTHONPATH=os.pathsep.join([str(BLOCKER), *self.notes.get("pythonpath", [])]),
            LABS_BLOCKED_IMPORTS=",".join(self.blocked),
            LABS_PROJECT_DIR=str(self.root),
            LABS_COURSE_DIR=str(paths.ROOT),
            LABS_IMPORT_LOG=str(self.import_log),
        )

    def run(self, *cmd: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run a command in the copy (never raises on a non-zero exit)."""
        return run(self.root, *cmd, env=self.env, check=False, timeout=timeout)

    def dvc(self, *args: str, what: str = "") -> str:
        """Run ``dvc <args>``; on failure raise :class:`CheckFailed` with the output's tail."""
        result = self.run("dvc", *args)
        if result.returncode != 0:
            raise CheckFailed(
                f"`dvc {' '.join(args)}` failed{what}:\n{tail(result.stdout + result.stderr)}"
            )
        return result.stdout

    def python_json(self, code: str, *args: str, timeout: float = 300) -> Any:
        """Run a Python snippet in the copy (student code importable) and parse its JSON."""
        result = self.run("python", "-c", code, *args, timeout=timeout)
        if result.returncode != 0:
            raise CheckFailed(tail(result.stderr or result.stdout))
        return json.loads(result.stdout.strip().splitlines()[-1])

    def params(self) -> dict[str, Any]:
        return yaml.safe_load((self.root / "params.yaml").read_text()) or {}

    def set_params(self, updates: dict[str, Any]) -> None:
        """Set dotted keys in the copy's params.yaml, e.g. ``{"ingest.months": [3, 7]}``."""
        data = self.params()
        for dotted, value in updates.items():
            node = data
            *parents, last = dotted.split(".")
            for key in parents:
                node = node.setdefault(key, {})
            node[last] = value
        (self.root / "params.yaml").write_text(yaml.safe_dump(data, sort_keys=False))

    def stage_imports(self) -> set[str]:
        """Top-level packages imported by the processes the student's stages started.

        DVC itself and the check's own snippets (``python -c``) are left out.
        """
        found: set[str] = set()
        for path in self.import_log.glob("*.json"):
            argv = json.loads(path.read_text())
            if not {"-c", "dvc"} & set(argv["argv"][1:3]):
                found.update(argv["modules"])
        return found

    def clear_import_log(self) -> None:
        for path in self.import_log.glob("*.json"):
            path.unlink()

    def tracks(self, rel: str) -> bool:
        """Whether a stage in dvc.lock declares ``rel`` (or a folder holding it) as an output."""
        lock = self.root / "dvc.lock"
        if not lock.is_file():
            return False
        stages = (yaml.safe_load(lock.read_text()) or {}).get("stages", {})
        outs = [o["path"].rstrip("/") for s in stages.values() for o in s.get("outs", [])]
        return any(rel == o or rel.startswith(o + "/") for o in outs)

    def stage_names(self) -> list[str]:
        """The stages of the copy's dvc.yaml, as DVC reads them."""
        out = self.dvc("stage", "list", "--name-only", what=" (is dvc.yaml valid YAML?)")
        return [line.strip() for line in out.splitlines() if line.strip()]


def make_sandbox(project: Path, workdir: Path, blocked: tuple[str, ...], seed: int) -> Sandbox:
    """Copy the project's source files (committed or not, not ignored) into ``workdir``.

    Data, models and DVC's cache are left out: the check's run makes its own. The copy gets
    a fresh git repository and its own DVC remote.
    """
    project = Path(project).resolve()
    if not (project / "dvc.yaml").is_file() or not (project / ".dvc").is_dir():
        raise CheckFailed(f"{project} is not a project (no dvc.yaml or .dvc/); make one with "
                          "`labs project new DIR`")  # fmt: skip
    root = workdir / "project"
    for name in _source_files(project):
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(project / name, target)
    (workdir / "imports").mkdir(exist_ok=True)
    box = Sandbox(project, root, blocked, random.Random(seed))
    run(root, "git", "init", "-q", "-b", "main", env=box.env)
    ensure_git_identity(root)
    run(root, "dvc", "remote", "add", "--local", "-f", "-d", "sandbox", str(workdir / "remote"),
        env=box.env)  # fmt: skip
    commit_all(root, "copy of the student's project")
    return box


def _source_files(project: Path) -> list[str]:
    if (project / ".git").exists():
        out = run(project, "git", "ls-files", "-co", "--exclude-standard").stdout
        names = [n for n in out.splitlines() if (project / n).is_file()]
    else:
        names = [str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()]
    skip = (".git/", ".dvc/cache/", ".dvc/tmp/")
    return [n for n in names if not n.startswith(skip) and "__pycache__" not in n]
