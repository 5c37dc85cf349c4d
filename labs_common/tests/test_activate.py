"""The start-up hook: the course's Python puts its own bin first and switches telemetry off."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from labs_common import activate


def test_activate_puts_this_bin_first_once_and_keeps_set_values() -> None:
    env = {"PATH": f"/usr/bin:{sys.prefix}/bin:/bin", "DO_NOT_TRACK": "false"}
    activate.activate(env)
    activate.activate(env)
    assert env["PATH"] == f"{sys.prefix}/bin:/usr/bin:/bin"
    assert env["DO_NOT_TRACK"] == "false"  # the user's own value wins
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert env["PREFECT_HOME"].endswith(".prefect")
    assert env["MLFLOW_WORKERS"] == "1"


def test_a_plain_shell_mlflow_server_starts_one_worker() -> None:
    if sys.prefix == sys.base_prefix:
        pytest.skip("not running from the course's .venv")
    # What `mlflow ui` reads for --workers when it is typed in a shell where nothing was set.
    code = (
        "import click, mlflow.cli as c; cmd = c.cli.get_command(click.Context(c.cli), 'ui'); "
        "print(cmd.make_context('ui', [], resilient_parsing=True).params['workers'])"
    )
    out = subprocess.run([sys.executable, "-c", code], env={"PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    assert out == "1"


def test_activate_leaves_a_system_python_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "prefix", sys.base_prefix)
    env = {"PATH": "/usr/bin"}
    activate.activate(env)
    assert env == {"PATH": "/usr/bin"}


def test_install_hook_writes_one_import_line(tmp_path: Path) -> None:
    hook = activate.install_hook(tmp_path)
    assert hook.name == activate.HOOK_NAME
    assert hook.read_text().startswith("import labs_common.activate")


def test_a_plain_shell_gets_the_course_python_for_stages() -> None:
    if sys.prefix == sys.base_prefix:
        pytest.skip("not running from the course's .venv")
    code = "import shutil; print(shutil.which('python'))"
    out = subprocess.run([sys.executable, "-c", code], env={"PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    assert Path(out).parent == Path(sys.prefix) / "bin", "make setup installs the hook"
