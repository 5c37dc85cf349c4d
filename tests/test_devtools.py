"""The dev container and the pre-commit hooks: present, and pointing at the course's tools.

Why it matters: a dev container that does not run `make setup`, or a hook that calls a
tool the lock does not pin, breaks a newcomer's first hour. The hooks are also run here
on real files: a notebook with outputs comes out stripped, a badly formatted file fixed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

from labs_common import paths


def _jsonc(path: Path) -> dict:
    """Read JSON with // comments (what devcontainer.json allows)."""
    text = re.sub(r"^\s*//.*$", "", path.read_text(), flags=re.M)
    return json.loads(text)


def test_devcontainer_is_python_311_and_runs_make_setup() -> None:
    config = _jsonc(paths.ROOT / ".devcontainer" / "devcontainer.json")
    assert re.search(r"python:\S*3\.11", config["image"]), config["image"]
    assert config["postCreateCommand"] == "make setup"
    assert "make" in config["onCreateCommand"]


def _hooks() -> dict[str, dict]:
    config = yaml.safe_load((paths.ROOT / ".pre-commit-config.yaml").read_text())
    assert [r["repo"] for r in config["repos"]] == ["local"]
    return {h["id"]: h for h in config["repos"][0]["hooks"]}


def test_precommit_hooks_run_the_venvs_ruff_and_nbstripout() -> None:
    hooks = _hooks()
    assert set(hooks) == {"ruff", "ruff-format", "nbstripout"}
    lock = (paths.ROOT / "requirements.lock").read_text()
    for hook in hooks.values():
        tool = hook["entry"].split()[0]
        assert tool.startswith(".venv/bin/"), hook
        assert re.search(rf"^{Path(tool).name}==", lock, re.M), f"{tool} is not in the lock"


def test_nbstripout_hook_strips_a_notebooks_outputs(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 + 1", execution_count=3)
    cell.outputs = [
        nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=3)
    ]
    nb.cells = [cell]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    tool = Path(sys.executable).with_name(Path(_hooks()["nbstripout"]["entry"]).name)
    subprocess.run([str(tool), str(path)], check=True, timeout=60)
    stripped = nbformat.read(path, as_version=4).cells[0]
    assert stripped.outputs == [] and stripped.execution_count is None
