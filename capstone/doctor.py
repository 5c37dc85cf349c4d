"""What ``labs doctor`` checks: is this machine ready for the course, and if not, what to fix.

Why it matters: most "the course does not work" reports are a different Python, a package
upgraded by hand, a full disk or a port another program holds. Each check here looks at one
of those, says what it found in one line and, when something is wrong, the command that
fixes it. Nothing here changes the machine.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

from packaging.markers import Marker
from packaging.utils import canonicalize_name

from labs_common import contract, paths

Status = Literal["ok", "warn", "fail"]

#: Ports the course's servers use: the API (make serve), the MLflow UI, the Prefect UI.
PORTS = {contract.SERVICE_PORT: "API (make serve)", 5000: "MLflow UI", 4200: "Prefect UI"}
#: Free disk to keep: a fresh clone's `make demo` wrote 125 MB besides .venv (data, DVC
#: cache, MLflow store, reports), the API image is about 1 GB; the rest is for experiments.
MIN_FREE_GB = 2.0
LOCK = paths.ROOT / "requirements.lock"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)\s*(?:;\s*(.+))?$")


@dataclass(frozen=True)
class Finding:
    """One check's verdict, what it saw, and the fix when it is not ok."""

    name: str
    status: Status
    detail: str
    fix: str = ""


def check_python(version: tuple[int, int] = sys.version_info[:2]) -> Finding:
    """The lock is made for Python 3.11: another version resolves other wheels."""
    found = f"Python {version[0]}.{version[1]} at {sys.executable}"
    if version == (3, 11):
        return Finding("python", "ok", found)
    return Finding("python", "fail", found, "make setup PYTHON=/path/to/python3.11")


def locked_pins(lock: Path = LOCK) -> dict[str, str]:
    """Name -> version of every pin in the lock that applies to this interpreter."""
    pins = {}
    for line in lock.read_text().splitlines():
        match = _PIN.match(line.strip())
        if match and (match[3] is None or Marker(match[3]).evaluate()):
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def installed_versions() -> dict[str, str]:
    """Name -> version of every distribution installed in this environment."""
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}


def check_environment(pins: dict[str, str], installed: dict[str, str]) -> Finding:
    """Every locked package installed at exactly its locked version."""
    missing = sorted(n for n in pins if n not in installed)
    wrong = sorted(f"{n} {installed[n]} (lock {v})" for n, v in pins.items()
                   if n in installed and installed[n] != v)  # fmt: skip
    if not missing and not wrong:
        return Finding("environment", "ok", f"{len(pins)} packages match {LOCK.name}")
    parts = [f"missing: {', '.join(missing[:5])}" if missing else "",
             f"other versions: {', '.join(wrong[:5])}" if wrong else ""]  # fmt: skip
    detail = f"{len(missing) + len(wrong)} of {len(pins)} differ; " + "; ".join(
        p for p in parts if p
    )
    return Finding("environment", "fail", detail, "make setup (re-syncs .venv with the lock)")


def check_stage_python(which: Callable[[str], str | None] = shutil.which) -> Finding:
    """DVC runs each stage's ``python -m ...`` through the shell: it must be this Python."""
    found = which("python")
    if found is not None and Path(found).parent == Path(sys.prefix) / "bin":
        return Finding("stage python", "ok", f"DVC stages run {found}")
    detail = f"DVC stages would run {found or 'no python'}"
    return Finding("stage python", "fail", detail, "make setup (installs the start-up hook)")


def check_disk(folder: Path = paths.ROOT, min_free_gb: float = MIN_FREE_GB) -> Finding:
    """Enough free disk for the data, the DVC cache, the MLflow store and the reports."""
    free = shutil.disk_usage(folder).free / 1e9
    detail = f"{free:.1f} GB free on the disk of {folder}"
    if free >= min_free_gb:
        return Finding("disk", "ok", detail)
    return Finding("disk", "fail", detail + f" (the course needs {min_free_gb:.0f} GB)",
                   "free some space, or `make clean` to drop the course's outputs")  # fmt: skip


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on ``host:port`` (we can bind it)."""
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def check_ports(ports: dict[int, str] = PORTS) -> Finding:
    """The ports of the API and the UIs: a busy one is a warning, each takes another port."""
    busy = [f"{p} ({what})" for p, what in ports.items() if not port_is_free(p)]
    if not busy:
        return Finding("ports", "ok", "free: " + ", ".join(str(p) for p in ports))
    return Finding("ports", "warn", "in use: " + ", ".join(busy),
                   "stop the program on it, or choose another: PORT=8001 make serve; "
                   ".venv/bin/mlflow ui --backend-store-uri sqlite:///.mlflow/mlflow.db "
                   "--port 5001")  # fmt: skip


def engine_answers(engine: str) -> bool:
    """True when ``engine info`` succeeds (the engine is installed and its service runs)."""
    try:
        return subprocess.run([engine, "info"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def check_container_engine(
    which: Callable[[str], str | None] = shutil.which,
    answers: Callable[[str], bool] = engine_answers,
) -> Finding:
    """Docker or podman that answers (only the image lessons of module 08 need one)."""
    installed = [e for e in ("docker", "podman") if which(e) is not None]
    working = [e for e in installed if answers(e)]
    if working:
        return Finding("container engine", "ok", f"{working[0]} answers")
    if installed:
        seen = f"{' and '.join(installed)} installed, none answers"
        return Finding("container engine", "warn", seen, "start it (the Docker daemon), then retry")
    return Finding("container engine", "warn", "neither docker nor podman found",
                   "module 08's image lesson needs one: Docker Desktop or podman")  # fmt: skip


def check_git(which: Callable[[str], str | None] = shutil.which) -> Finding:
    """git with a user identity: DVC experiments commit to hidden git refs."""
    if which("git") is None:
        return Finding("git", "fail", "git not found", "install git")
    email = subprocess.run(["git", "config", "user.email"], capture_output=True, text=True,
                           cwd=paths.ROOT, check=False).stdout.strip()  # fmt: skip
    if not email:
        fix = 'git config user.email "you@example.org"; git config user.name "You"'
        return Finding("git", "warn", "no git user.email: experiments get a made-up author", fix)
    return Finding("git", "ok", f"identity {email}")


def check_pipeline(root: Path = paths.ROOT) -> Finding:
    """Whether the pipeline has run here: the model and its metrics exist."""
    needed = [
        contract.under(root, contract.MODEL_DIR) / "MLmodel",
        contract.under(root, contract.METRICS),
    ]
    missing = [str(p.relative_to(root)) for p in needed if not p.exists()]
    if not missing:
        return Finding("pipeline", "ok", "model and metrics present")
    return Finding("pipeline", "warn", "not run yet: no " + ", ".join(missing),
                   "make demo (or .venv/bin/dvc repro)")  # fmt: skip


def run_all() -> list[Finding]:
    """Every check, in the order a new student would fix them."""
    return [
        check_python(),
        check_environment(locked_pins(), installed_versions()),
        check_stage_python(),
        check_disk(),
        check_ports(),
        check_git(),
        check_container_engine(),
        check_pipeline(),
    ]
