"""The import guard of the labs' sandbox: the student's code may not import the answer.

Fast tests of ``capstone/project/checks/blocker/sitecustomize.py`` in real subprocesses.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from capstone.project.checks.sandbox import BLOCKER
from labs_common import paths


def python(project: Path, *args: str, blocked: str = "module03_architecture",
           log: Path | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    env = {"PYTHONPATH": str(BLOCKER), "LABS_BLOCKED_IMPORTS": blocked, "PATH": "/usr/bin",
           "LABS_PROJECT_DIR": str(project), "LABS_COURSE_DIR": str(paths.ROOT),
           "LABS_IMPORT_LOG": str(log or "")}  # fmt: skip
    return subprocess.run([sys.executable, *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


@pytest.mark.parametrize(
    "code",
    [
        "import module03_architecture.ingest",
        "from module03_architecture import warehouse",
        "import importlib; importlib.import_module('module03_architecture')",
    ],
    ids=["import", "from-import", "importlib"],
)
def test_student_file_importing_the_answer_is_stopped(tmp_path: Path, code: str) -> None:
    (tmp_path / "stage.py").write_text(code + "\n")
    result = python(tmp_path, "stage.py")
    assert result.returncode != 0 and "reference answer" in result.stderr


def test_running_the_answer_as_a_module_is_stopped(tmp_path: Path) -> None:
    result = python(tmp_path, "-m", "module03_architecture.ingest")
    assert result.returncode == 3 and "reference answer" in result.stderr


def test_allowed_packages_and_other_modules_import(tmp_path: Path) -> None:
    (tmp_path / "stage.py").write_text(
        "import labs_common.data, module05_business.cost, json\nprint('ok')\n"
    )
    result = python(tmp_path, "stage.py", blocked="module03_architecture,module07_experiments")
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_import_log_records_what_a_process_imported(tmp_path: Path) -> None:
    log = tmp_path / "log"
    log.mkdir()
    (tmp_path / "stage.py").write_text("import duckdb\n")
    assert python(tmp_path, "stage.py", log=log).returncode == 0
    records = [p.read_text() for p in log.glob("*.json")]
    assert len(records) == 1 and '"duckdb"' in records[0]
