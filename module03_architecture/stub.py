"""The capstone's stage graph with instant stages: ask DVC itself what a change reruns.

Lesson: module 03, notebook 04. Saying "editing ``cost.missed_delay`` reruns evaluate and
register" is a claim; ``dvc status`` and ``dvc repro`` are the tool's own answer. Running
them on the real pipeline takes minutes and touches your workspace, so
:func:`make_stub_project` copies ``dvc.yaml`` and ``params.yaml`` into a throw-away git
repository and swaps each stage's command for ``python -m module03_architecture.stub
STAGE``: a stage that writes, into each of its outputs, a digest of what it read (its
dependencies' bytes and its parameters' values). The graph, the parameters and DVC's
decisions are the real ones; each stage takes a fraction of a second.

Why a digest: a real stage's output changes when its inputs change, and that is what makes
the stage *after* it rerun. An output that ignored its inputs would hide that chain.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from module03_architecture.pipeline import load_stages, stage_io

_GIT_ID = {"GIT_AUTHOR_NAME": "Course", "GIT_AUTHOR_EMAIL": "course@example.org",
           "GIT_COMMITTER_NAME": "Course", "GIT_COMMITTER_EMAIL": "course@example.org"}  # fmt: skip


def _digest_of(path: Path) -> str:
    """The MD5 of a file, or of a folder's files in sorted order (missing: empty)."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    md5 = hashlib.md5()
    for f in files:
        if f.is_file():
            md5.update(f.read_bytes())
    return md5.hexdigest()


def _param_values(params: dict, keys: list) -> dict:
    """The values of ``keys`` (``cost`` or ``features.use_weather``) in ``params``."""
    out = {}
    for key in keys:
        value: object = params
        for part in str(key).split("."):
            value = value[part] if isinstance(value, dict) else None
        out[str(key)] = value
    return out


def run_stub_stage(stage: str, root: Path) -> None:
    """Write a digest of ``stage``'s dependencies and parameters into each of its outputs."""
    stages = load_stages(root / "dvc.yaml")
    spec = stages[stage]
    reads, writes = stage_io(spec)
    read_anywhere = {d for other in stages.values() for d in stage_io(other)[0]}
    params = yaml.safe_load((root / "params.yaml").read_text())
    seen = {"stage": stage, "deps": {d: _digest_of(root / d) for d in reads},
            "params": _param_values(params, spec.get("params", []))}  # fmt: skip
    text = json.dumps(
        {"stage": stage, "digest": hashlib.md5(json.dumps(seen).encode()).hexdigest()}
    )
    for out in writes:
        targets = [out]
        if not Path(out).suffix:  # a folder (data/raw): a digest plus the files others read
            targets = [f"{out}/digest.json", *(d for d in read_anywhere if d.startswith(out + "/"))]
        for target in targets:
            (root / target).parent.mkdir(parents=True, exist_ok=True)
            (root / target).write_text(text + "\n")


def stub_env() -> dict[str, str]:
    """Environment for git and DVC in the stub project: an identity, this Python first."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, **_GIT_ID, "DVC_NO_ANALYTICS": "1", "PATH": path}


def run(root: Path, *args: str) -> str:
    """Run a command (``git ...`` or ``dvc ...``) in ``root``; return stdout and stderr.

    Raises:
        RuntimeError: the command failed; the message holds its output.
    """
    cmd = [sys.executable, "-m", "dvc", *args[1:]] if args[0] == "dvc" else list(args)
    done = subprocess.run(cmd, cwd=root, env=stub_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def make_stub_project(dst: Path, root: Path | None = None) -> Path:
    """Copy the pipeline into ``dst`` (new) with stub stages, run it once, commit it all.

    Source files the stages read (the modules' code) are copied, so a code change can be
    tried too. Returns ``dst``, where ``dvc status`` now says everything is up to date.
    """
    from labs_common import paths

    root = root or paths.ROOT
    stages = load_stages(root / "dvc.yaml")
    produced = {out for spec in stages.values() for out in stage_io(spec)[1]}
    dst.mkdir(parents=True)
    for spec in stages.values():
        for dep in stage_io(spec)[0]:
            if not any(dep == o or dep.startswith(o + "/") for o in produced):
                (dst / dep).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(root / dep, dst / dep)
    doc = yaml.safe_load((root / "dvc.yaml").read_text())
    for name, spec in doc["stages"].items():
        spec["cmd"] = f"python -m module03_architecture.stub {name}"
    (dst / "dvc.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    shutil.copy2(root / "params.yaml", dst / "params.yaml")
    for cmd in (["git", "init", "-q"], ["dvc", "init", "-q"], ["dvc", "repro", "-q"],
                ["git", "add", "-A"], ["git", "commit", "-qm", "stub pipeline"]):  # fmt: skip
        run(dst, *cmd)
    return dst


def set_param(root: Path, key: str, value: object) -> None:
    """Set ``key`` (dotted, e.g. ``cost.missed_delay``) in ``root/params.yaml``."""
    path = root / "params.yaml"
    params = yaml.safe_load(path.read_text())
    *parents, last = key.split(".")
    section = params
    for part in parents:
        section = section[part]
    if last not in section:
        raise KeyError(f"{key} is not in {path}; the keys there are {sorted(section)}")
    section[last] = value
    path.write_text(yaml.safe_dump(params, sort_keys=False))


def stages_run(repro_output: str) -> list[str]:
    """The stages ``dvc repro`` says it ran, in order (its "Running stage 'x'" lines)."""
    return re.findall(r"Running stage '([^']+)'", repro_output)


if __name__ == "__main__":
    run_stub_stage(sys.argv[1], Path.cwd())
