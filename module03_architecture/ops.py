"""Lesson 03: DataOps, ModelOps and DevOps, and what each owns in this capstone.

Why it matters: "MLOps" is three disciplines with different owners, clocks and failure
modes. **DataOps** runs the data supply chain (ingest, contracts, versions, lineage,
freshness); its product is trustworthy tables. **ModelOps** governs models through their
life in production (training runs, registry, promotion gates, monitoring, retraining,
retirement); its product is a decision about which model serves. **DevOps** delivers and
runs software (tests in CI, packaging, images, infrastructure, the service's reliability);
its product is a running system. Where one hands over to another, a contract is needed: a
schema, an alias, a metric. This file names the owner of every piece of the capstone and
finds those hand-overs in the real stage graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from labs_common import paths
from module03_architecture.pipeline import Edge, load_stages, stage_graph

DISCIPLINES = {
    "DataOps": "the data supply chain: ingest, contracts, versions, lineage, freshness",
    "ModelOps": "models in production: runs, registry, gates, monitoring, retraining",
    "DevOps": "software delivery and operation: CI, packages, images, infrastructure, SLOs",
}

#: The owner of each DVC stage: the package its command runs decides it.
STAGE_OWNERS = {"ingest": "DataOps", "validate": "DataOps", "features": "DataOps",
                "split": "DataOps", "train": "ModelOps", "evaluate": "ModelOps",
                "register": "ModelOps", "monitor": "ModelOps"}  # fmt: skip

#: Pieces of the capstone that are not stages: (path, owner, what it is for).
ARTEFACTS = [
    ("module01_intro/contract.py", "DataOps", "the data contract every raw table must meet"),
    ("module03_architecture/ingest.py", "DataOps", "package tables -> Parquet + DuckDB"),
    ("module07_experiments/validate.py", "DataOps", "stop the pipeline on broken data"),
    ("dvc.yaml", "DataOps", "the stages, their inputs and outputs (data lineage)"),
    ("module07_experiments/tracking.py", "ModelOps", "every training run in MLflow"),
    ("module08_deployment/register.py", "ModelOps", "gates, versions, aliases"),
    ("module09_monitoring/replay.py", "ModelOps", "monitor, retrain, promote month by month"),
    (".github/workflows/monitor.yml", "ModelOps", "the scheduled monitoring run"),
    (".github/workflows/ci.yml", "DevOps", "lint, tests, notebooks, image on every push"),
    ("docker/Dockerfile", "DevOps", "the service's image: non-root, healthcheck"),
    ("module08_deployment/service", "DevOps", "the FastAPI service"),
    ("deploy/k8s", "DevOps", "Kubernetes manifests"),
    ("requirements.lock", "DevOps", "one pinned environment everywhere"),
    ("module09_monitoring/slo.py", "DevOps", "availability and latency objectives"),
]


def ownership_table(root: Path = paths.ROOT) -> pd.DataFrame:
    """Every stage and artefact with its owner, and whether it exists in ``root``."""
    stages = load_stages(root / "dvc.yaml")
    rows = [{"piece": f"stage {name}", "owner": STAGE_OWNERS.get(name, "unassigned"),
             "what": spec.get("cmd", ""), "exists": True}
            for name, spec in stages.items()]  # fmt: skip
    rows += [{"piece": path, "owner": owner, "what": what, "exists": (root / path).exists()}
             for path, owner, what in ARTEFACTS]  # fmt: skip
    return pd.DataFrame(rows)


def handoffs(edges: Iterable[Edge], owner: Mapping[str, str]) -> list[Edge]:
    """The edges of a stage graph whose two ends have different owners, sorted.

    Why it matters: inside one discipline a change is coordinated by one team; across a
    hand-over, the downstream team relies on something it did not build, so that edge needs
    a written contract (a schema, a metric file, a registry alias) and a test of it.

    Example:
        >>> handoffs([("split", "train"), ("ingest", "split")],
        ...          {"ingest": "DataOps", "split": "DataOps", "train": "ModelOps"})
        [('split', 'train')]
    """
    return sorted((a, b) for a, b in edges if owner[a] != owner[b])


def capstone_handoffs(root: Path = paths.ROOT) -> pd.DataFrame:
    """The capstone's own hand-overs, with the files that cross each one."""
    stages = load_stages(root / "dvc.yaml")
    rows = []
    for a, b in handoffs(stage_graph(root / "dvc.yaml"), STAGE_OWNERS):
        outs = {o for key in ("outs", "metrics") for o in _names(stages[a].get(key))}
        crossing = sorted(d for d in _names(stages[b].get("deps"))
                          if any(d == o or d.startswith(o + "/") for o in outs))  # fmt: skip
        rows.append({"from": f"{a} ({STAGE_OWNERS[a]})", "to": f"{b} ({STAGE_OWNERS[b]})",
                     "contract": ", ".join(crossing)})  # fmt: skip
    return pd.DataFrame(rows)


def _names(entries: list | None) -> list[str]:
    """Paths of a deps/outs list whose items are ``"path"`` or ``{"path": {options}}``."""
    return [e if isinstance(e, str) else next(iter(e)) for e in entries or []]
