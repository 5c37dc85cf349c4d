"""``labs doctor`` finds what is wrong with a machine and names the fix."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capstone import doctor
from capstone.cli import app

LOCK = """\
# a comment
numpy==2.4.6 ; python_full_version < '3.12'
numpy==2.5.5 ; python_full_version >= '3.12'
appnope==1.0.0 ; sys_platform == 'darwin'
Pandas==2.3.3
    # via something
"""


@pytest.fixture
def lock(tmp_path: Path) -> Path:
    path = tmp_path / "requirements.lock"
    path.write_text(LOCK)
    return path


def test_locked_pins_keep_the_pins_whose_markers_apply(lock: Path) -> None:
    pins = doctor.locked_pins(lock)
    assert pins["pandas"] == "2.3.3"
    assert pins["numpy"] in {"2.4.6", "2.5.5"}
    assert ("appnope" in pins) == (doctor.sys.platform == "darwin")


def test_check_environment_names_missing_and_other_versions() -> None:
    pins = {"pandas": "2.3.3", "numpy": "2.4.6", "mlflow": "3.17.0"}
    found = doctor.check_environment(pins, {"pandas": "2.3.3", "numpy": "2.5.0"})
    assert found.status == "fail"
    assert "mlflow" in found.detail and "numpy 2.5.0 (lock 2.4.6)" in found.detail
    assert "pandas" not in found.detail
    assert "make setup" in found.fix


def test_check_environment_passes_this_venv_against_the_real_lock() -> None:
    found = doctor.check_environment(doctor.locked_pins(), doctor.installed_versions())
    assert found.status == "ok", found.detail


@pytest.mark.parametrize(("version", "status"), [((3, 11), "ok"), ((3, 12), "fail")])
def test_check_python_wants_the_locks_python(version: tuple[int, int], status: str) -> None:
    found = doctor.check_python(version)
    assert found.status == status
    assert (found.fix == "") == (status == "ok")


def test_check_disk_fails_below_the_minimum(tmp_path: Path) -> None:
    assert doctor.check_disk(tmp_path, min_free_gb=0).status == "ok"
    found = doctor.check_disk(tmp_path, min_free_gb=1e9)
    assert found.status == "fail" and "GB free" in found.detail


def test_check_ports_warns_about_a_port_in_use() -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        found = doctor.check_ports({port: "test server"})
    assert found.status == "warn" and f"{port} (test server)" in found.detail
    assert doctor.check_ports({port: "test server"}).status == "ok"  # released


def test_check_container_engine_prefers_one_that_answers() -> None:
    def which(name: str) -> str | None:
        return f"/usr/bin/{name}"

    found = doctor.check_container_engine(which, answers=lambda e: e == "podman")
    assert (found.status, found.detail) == ("ok", "podman answers")
    found = doctor.check_container_engine(which, answers=lambda e: False)
    assert found.status == "warn" and "docker and podman installed" in found.detail
    found = doctor.check_container_engine(lambda _: None)
    assert found.status == "warn" and "neither" in found.detail


def test_check_pipeline_says_to_run_the_demo_on_a_fresh_clone(tmp_path: Path) -> None:
    found = doctor.check_pipeline(tmp_path)
    assert found.status == "warn" and "models/model/MLmodel" in found.detail
    assert "make demo" in found.fix


def test_labs_doctor_prints_every_check_and_fails_on_a_failed_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = CliRunner().invoke(app, ["doctor"])
    for name in ("python", "environment", "disk", "ports", "git", "pipeline"):
        assert name in result.output
    old_python = doctor.check_python((3, 9))
    monkeypatch.setattr(doctor, "check_python", lambda: old_python)
    result = CliRunner().invoke(app, ["doctor"])
    assert result.exit_code == 1 and "fix these first: python" in result.output


def test_check_stage_python_wants_this_environment_first_on_path() -> None:
    mine = str(Path(doctor.sys.prefix) / "bin" / "python")
    assert doctor.check_stage_python(lambda _: mine).status == "ok"
    assert doctor.check_stage_python(lambda _: "/usr/bin/python").status == "fail"
    assert doctor.check_stage_python(lambda _: None).detail == "DVC stages would run no python"
