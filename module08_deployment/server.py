"""Run a model server as a child process on loopback: start, wait until ready, stop politely.

Why it matters: a TestClient runs the app inside the test process, which hides what a real
deployment meets: a port, startup time, signals. The end-to-end test and the load
benchmark start the real server (ours with uvicorn, or ``mlflow models serve``) this way,
and stop it with SIGTERM, as Docker and Kubernetes do, to check that nothing is lost.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service_command(port: int) -> list[str]:
    """The command that serves this course's API on ``127.0.0.1:port``."""
    return [sys.executable, "-m", "module08_deployment.service", "--port", str(port),
            "--log-level", "warning"]  # fmt: skip


def wait_until_ready(url: str, proc: subprocess.Popen, timeout: float = 180.0) -> None:
    """Poll ``url`` until it answers 200; fail early if the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before {url} was ready")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{url} not ready after {timeout:.0f} s")


def stop(proc: subprocess.Popen, timeout: float = 60.0) -> int:
    """Send SIGTERM (what ``docker stop`` sends), wait, and return the exit code."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


@contextmanager
def running_server(
    command: Sequence[str],
    ready_url: str,
    env: dict[str, str] | None = None,
    log_path: Path | None = None,
    timeout: float = 180.0,
) -> Iterator[subprocess.Popen]:
    """Start ``command``, wait for ``ready_url``, yield the process, then stop it."""
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        list(command), env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT
    )
    try:
        wait_until_ready(ready_url, proc, timeout)
        yield proc
    finally:
        stop(proc)
        if log_path:
            out.close()
