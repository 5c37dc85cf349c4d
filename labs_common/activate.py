"""Activate the course environment from inside its own Python, in every process it starts.

Why it matters: DVC runs each stage's ``cmd`` (``python -m module04_ml_fundamentals.split``)
through the shell, so ``python`` is whatever the shell's PATH finds: in a shell where
``.venv`` was never activated that is another Python without the course's packages, or no
Python at all, and DVC has already deleted the stage's outputs when the command fails. The
same holds for ``dvc exp run`` and for a notebook's ``!dvc repro``. ``make setup`` installs
a one-line ``.pth`` file that calls :func:`activate` whenever the course's interpreter
starts (``.venv/bin/dvc``, ``labs``, ``mlflow``, ``prefect``, ``jupyter``, a kernel), so
every program it starts finds the course's ``python`` and tools first, and the telemetry
switches are on, as if ``source .venv/bin/activate`` had run. Values already set win,
except that the environment's own ``bin`` folder always comes first on PATH.

Run ``python -m labs_common.activate`` to (re)install the hook into the running
interpreter's ``site-packages``; ``make setup`` does it.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

#: The file ``make setup`` writes into site-packages; Python runs its ``import`` line at
#: start-up. Its name sorts after setuptools' ``__editable__`` file, which must run first
#: so that ``labs_common`` can be imported.
HOOK_NAME = "labs_course_env.pth"
# After activating, the hook forgets the labs_common modules it imported: a process that
# runs in a copy of the course (a test's sandbox, a student's lab check) must import the
# copy's labs_common, whose paths point at the copy, not the one the hook found first.
HOOK_LINE = (
    "import labs_common.activate as _labs; _labs.activate(); import sys; "
    "[sys.modules.pop(_m) for _m in [_n for _n in sys.modules "
    "if _n == 'labs_common' or _n.startswith('labs_common.')]]\n"
)

#: Telemetry and analytics off, for every tool the course's Python starts (see tooling.py).
QUIET_ENV = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
    "DVC_NO_ANALYTICS": "1",
    "DVC_STUDIO_OFFLINE": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "EVIDENTLY_DISABLE_TELEMETRY": "1",
}
#: Sized for a laptop: ``mlflow ui`` and ``mlflow server`` start one worker process instead of
#: four. Each worker imports the whole tracking server (about 4 s of CPU and 270 MB); one
#: reader needs one. The compose stack's server (docker/compose.yaml) keeps MLflow's four.
LAPTOP_ENV = {"MLFLOW_WORKERS": "1"}
#: The repository root, from this file's place (``LABS_ROOT`` overrides, as in paths.py).
_ROOT = Path(__file__).resolve().parents[1]


def activate(environ: os._Environ[str] | dict[str, str] = os.environ) -> None:
    """Put this environment's ``bin`` first on PATH, switch telemetry off, size for a laptop.

    Why it matters: a child process (a DVC stage, a Jupyter kernel, ``dvc`` called from a
    notebook) then runs the course's Python, whatever the shell had on PATH.
    """
    if sys.prefix == sys.base_prefix:  # not a virtual environment: leave PATH alone
        return
    bin_dir = str(Path(sys.prefix) / ("Scripts" if os.name == "nt" else "bin"))
    parts = environ.get("PATH", "").split(os.pathsep)
    if parts[0] != bin_dir:
        environ["PATH"] = os.pathsep.join([bin_dir, *(p for p in parts if p and p != bin_dir)])
    for key, value in {**QUIET_ENV, **LAPTOP_ENV}.items():
        environ.setdefault(key, value)
    root = Path(environ.get("LABS_ROOT", _ROOT))
    environ.setdefault("PREFECT_HOME", str(root / ".prefect"))


def install_hook(site_packages: Path | None = None) -> Path:
    """Write the start-up hook into ``site_packages`` (default: this interpreter's)."""
    folder = site_packages or Path(sysconfig.get_path("purelib"))
    hook = folder / HOOK_NAME
    hook.write_text(HOOK_LINE)
    return hook


if __name__ == "__main__":
    sys.stdout.write(f"installed {install_hook()}\n")
