"""``labs project new`` and ``labs project solve``: make a project, fill it with answers.

Why it matters: every student starts from the same small, working repository (git, DVC,
a local remote, parameters, a test that runs), so the first lab is about the pipeline and
not about setting up tools. The reference answers are laid over it lab by lab, the same
way a student's work grows.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from capstone.project.tools import commit_all, ensure_git_identity, run

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "template"
SOLUTIONS = HERE / "solutions"
#: Module numbers that have a lab.
LABS = (3, 4, 5, 6, 7, 8, 9)
#: Files stored under another name in the course, so they do not act on the course itself.
_RENAMED = {"gitignore": ".gitignore"}


def remote_dir(project: Path) -> Path:
    """The project's local DVC remote: a folder beside the project, ``<name>-dvc-remote``.

    Why beside and not inside: a clone made anywhere on this machine finds it by its
    absolute path (like a team's shared drive), and ``git clean`` or deleting the project
    folder does not delete the only other copy of the data.
    """
    project = Path(project).resolve()
    return project.parent / f"{project.name}-dvc-remote"


def new_project(directory: Path) -> Path:
    """Create a student's project in ``directory`` (which must not exist or be empty).

    Returns:
        The project's absolute path, a git repository with one commit.

    Raises:
        FileExistsError: ``directory`` exists and is not empty.
    """
    root = Path(directory).resolve()
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} exists and is not empty; choose a new folder")
    _copy_tree(TEMPLATE, root)
    run(root, "git", "init", "-q", "-b", "main")
    ensure_git_identity(root)
    run(root, "dvc", "init", "-q")
    run(root, "dvc", "config", "core.autostage", "true")  # dvc adds its .gitignore entries
    remote = remote_dir(root)
    remote.mkdir(parents=True, exist_ok=True)
    run(root, "dvc", "remote", "add", "-d", "local", str(remote))
    commit_all(root, "Start my flight-delay project from the course template")
    log.info("Created %s (DVC remote %s)", root, remote)
    return root


def solve_project(directory: Path, upto: int = LABS[-1], run_pipeline: bool = True) -> list[int]:
    """Lay the reference answers of labs 03..``upto`` over a project, then run and commit it.

    With ``run_pipeline`` the project ends as a student's would: ``dvc repro`` done, data
    pushed to the remote, everything committed (and, from lab 07, two experiments run).

    Returns:
        The labs whose answers were applied.
    """
    root = Path(directory).resolve()
    if not (root / ".dvc").is_dir():
        raise FileNotFoundError(f"{root} is not a project; make one with `labs project new`")
    done = [n for n in LABS if n <= upto and (SOLUTIONS / f"lab{n:02d}").is_dir()]
    for number in done:
        _copy_tree(SOLUTIONS / f"lab{number:02d}", root)
    if run_pipeline:
        run(root, "dvc", "repro")
        run(root, "dvc", "push", "-q")
    commit_all(root, f"Reference answers of labs {done[0]:02d}-{done[-1]:02d}")
    if run_pipeline and 7 in done:
        for value in ("2.0", "8.0"):
            run(root, "dvc", "exp", "run", "-q", "-S", f"cost.missed_delay={value}")
        # `dvc exp run` leaves the last experiment in the workspace; go back to the commit
        run(root, "git", "checkout", "-q", "--", ".")
        run(root, "dvc", "checkout", "-q")
    return done


def _copy_tree(src: Path, dst: Path) -> None:
    for path in sorted(src.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.name == "ruff.toml":
            continue
        rel = path.relative_to(src)
        target = dst / rel.parent / _RENAMED.get(rel.name, rel.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
