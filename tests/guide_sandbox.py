"""A fresh copy of the course in which the guides' commands are typed as a new user types them.

Why it matters: a command that works only because the maintainer's shell has ``.venv``
activated, or because an output lies around from last week, fails for every new student.
The copy holds what git would ship plus the pipeline's outputs (so the walk need not
retrain), and a ``.venv`` that behaves like the one ``make setup`` builds: the course's
packages, imported from the copy, with the start-up hook of ``labs_common/activate.py``.
Commands then run under ``env -i`` with only HOME, PATH (without ``.venv/bin``) and LANG.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from labs_common import activate, paths
from labs_common.sandbox import copy_repo

#: Outputs of `dvc repro register` copied into the clone (small: tens of MB).
OUTPUTS = ("data/raw", "data/interim", "data/processed", "models", "reports", ".mlflow")
#: What a shell has before anything is activated: system folders only.
PLAIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def plain_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a new terminal: HOME, PATH without the course, LANG; nothing else."""
    return {"HOME": str(home), "PATH": PLAIN_PATH, "LANG": "C.UTF-8", **extra}


def make_home(folder: Path) -> Path:
    """A HOME with only a git identity (DVC experiments commit; the guides say to set one)."""
    (folder / ".cache" / "uv").mkdir(parents=True, exist_ok=True)  # as `make setup` leaves it
    (folder / ".gitconfig").write_text(
        "[user]\n\tname = Student\n\temail = student@example.org\n[init]\n\tdefaultBranch = main\n"
    )
    return folder


def overlay_venv(clone: Path, source: Path = Path(sys.prefix)) -> Path:
    """Make ``clone/.venv``: a new venv that reuses ``source``'s installed packages.

    The course's own packages come from the clone (its folder is first on sys.path), the
    third-party packages from ``source``'s site-packages (read-only), and every console
    script is rewritten to start the clone's interpreter, as ``make setup`` would leave it.
    """
    target = clone / ".venv"
    venv.EnvBuilder(symlinks=True, with_pip=False).create(target)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(target)}))
    (site / "00_course_root.pth").write_text(f"{clone}\n")
    (site / "01_course_packages.pth").write_text(f"{sysconfig.get_path('purelib')}\n")
    activate.install_hook(site)
    old_shebang, new_shebang = f"#!{source}/bin/python".encode(), f"#!{target}/bin/python"
    for script in (source / "bin").iterdir():
        dest = target / "bin" / script.name
        if dest.exists() or dest.is_symlink():
            continue
        head = script.read_bytes()[:200] if script.is_file() else b""
        if head.startswith(old_shebang):
            body = script.read_bytes().split(b"\n", 1)[1]
            dest.write_bytes(new_shebang.encode() + b"\n" + body)
            dest.chmod(0o755)
        else:
            dest.symlink_to(script)
    for folder in ("share", "etc"):
        if (source / folder).is_dir():
            (target / folder).symlink_to(source / folder)
    (target / ".installed").touch()  # newer than the lock: `make setup` has nothing to do
    return target


def _rewrite_paths(db: Path, old: str, new: str) -> None:
    """Point the copied MLflow store's artifact locations at the clone's folder."""
    with sqlite3.connect(db) as con:
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            for column in con.execute(f"PRAGMA table_info('{table}')").fetchall():
                if "CHAR" in column[2].upper() or "TEXT" in column[2].upper():
                    con.execute(
                        f'UPDATE "{table}" SET "{column[1]}" = replace("{column[1]}", ?, ?)',
                        (old, new),
                    )


def copy_outputs(clone: Path, root: Path = paths.ROOT) -> None:
    """Copy the pipeline's outputs and stores; hard-link the DVC cache (DVC never edits it)."""
    for rel in OUTPUTS:
        if (root / rel).exists():
            shutil.copytree(root / rel, clone / rel, symlinks=True)
    shutil.copytree(root / ".dvc" / "cache", clone / ".dvc" / "cache", copy_function=os.link)
    db = clone / ".mlflow" / "mlflow.db"
    if db.exists():
        _rewrite_paths(db, str(root), str(clone))


def make_clone(folder: Path, root: Path = paths.ROOT) -> Path:
    """A committed copy of the course with its outputs and a ready ``.venv``."""
    clone = copy_repo(folder, root)
    overlay_venv(clone)
    copy_outputs(clone, root)
    return clone


def run(command: str, clone: Path, home: Path, stdin: str = "", timeout: float = 600,
        **extra: str) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """Run ``command`` with bash in ``clone``, in a plain environment; capture its output."""
    return subprocess.run(["bash", "-c", command], cwd=clone, env=plain_env(home, **extra),
                          input=stdin, capture_output=True, text=True, timeout=timeout)  # fmt: skip


def dirty_files(clone: Path, home: Path) -> list[str]:
    """``git status`` lines (tracked changes and untracked files that are not ignored)."""
    out = run("git status --porcelain", clone, home).stdout
    return [line for line in out.splitlines() if line.strip()]
