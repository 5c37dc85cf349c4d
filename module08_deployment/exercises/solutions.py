"""Reference answers to module 08's exercises (``starter.py`` never imports this file)."""

from __future__ import annotations

import copy
import hashlib
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labs_common.config import RegisterParams

SECRET_WORDS = ("KEY", "PASSWORD", "SECRET", "TOKEN", "DSN", "CREDENTIAL")


def canary_route(key: str, share: float) -> bool:
    """True when the key's SHA-256 bucket in [0, 1) is below ``share``."""
    if not 0 <= share <= 1:
        raise ValueError(f"share must be in [0, 1], got {share}")
    return int(hashlib.sha256(key.encode()).hexdigest()[:13], 16) / 16**13 < share


def should_rollback(
    champion: dict,
    challenger: dict,
    max_auc_drop: float,
    max_cost_increase: float,
    min_rows: int,
) -> bool:
    """Too few flights, a ROC AUC too far below, or a cost too far above the champion's."""
    return (
        challenger["n"] < min_rows
        or champion["roc_auc"] - challenger["roc_auc"] > max_auc_drop
        or challenger["cost"] - champion["cost"] > max_cost_increase
    )


def promotion_alias(metrics: dict, gates: RegisterParams, champion_auc: float | None) -> str:
    """The register stage's three gates."""
    auc = metrics["test_roc_auc"]
    passed = auc >= gates.min_roc_auc and metrics["max_slice_gap"] <= gates.max_slice_gap
    if champion_auc is not None:
        passed = passed and auc >= champion_auc - gates.tolerance
    return "champion" if passed else "challenger"


def readiness_probe(port: int) -> dict:
    """GET the readiness route every 5 s; two failures take the pod out of the Service."""
    return {
        "httpGet": {"path": "/ready", "port": port},  # routers/health.py: ready(), not health()
        "periodSeconds": 5,
        "timeoutSeconds": 3,
        "failureThreshold": 2,
    }


def harden_container(container: dict) -> dict:
    """A copy with a non-root, read-only, no-capability security context."""
    from module08_deployment.manifests import image_facts

    hardened = copy.deepcopy(container)
    hardened["securityContext"] = {
        "runAsNonRoot": True,
        "runAsUser": int(image_facts()["user"].split(":")[0]),
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    return hardened


def plain_secrets(task_definition: dict) -> list[str]:
    """Secret-looking names among the containers' plain environment variables."""
    return sorted(
        entry["name"]
        for c in task_definition.get("containerDefinitions", [])
        for entry in c.get("environment", [])
        if any(word in entry["name"].upper() for word in SECRET_WORDS)
    )


def invalid_flights() -> dict[str, dict]:
    """Four one-field changes of the example flight, each refused by the API."""
    from module08_deployment.service.schemas import EXAMPLE_FLIGHT

    changes = {"month": 13, "origin": "BOS", "dest": "miami", "distance": "far"}
    return {field: {**EXAMPLE_FLIGHT, field: value} for field, value in changes.items()}


def api_key_ok(sent: str | None, expected: str | None) -> bool:
    """No key configured: pass; else a constant-time comparison."""
    if not expected:
        return True
    if sent is None:
        return False
    return secrets.compare_digest(sent.encode(), expected.encode())
