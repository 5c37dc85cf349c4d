"""Module 08 exercises: fill in each function, then run ``labs check 8``.

Each function says which notebook introduces it. Replace the ``raise NotImplementedError``
with your code; ``labs check 8`` (or ``show_results(8)`` in a notebook) tells you which
ones pass, and gives a hint for the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labs_common.config import RegisterParams


def canary_route(key: str, share: float) -> bool:
    """Return True when the flight ``key`` (``"UA1545"``) goes to the challenger.

    Notebook 01. Map the key to a number in [0, 1) with SHA-256 (``hashlib``), and route
    it to the challenger when that number is below ``share``. The same key must get the
    same answer in every Python process (so not ``hash()``), and a key routed at a share
    must stay routed at any larger share. Raise ``ValueError`` for a share outside [0, 1].
    """
    # TODO: check share; turn the key's SHA-256 hex digest into a number in [0, 1); compare
    raise NotImplementedError


def should_rollback(
    champion: dict,
    challenger: dict,
    max_auc_drop: float,
    max_cost_increase: float,
    min_rows: int,
) -> bool:
    """Return True when a canary stage must send the challenger back.

    Notebook 01. Each arm is ``{"n": flights, "roc_auc": ..., "cost": cost per flight}``.
    Roll back when the challenger had fewer than ``min_rows`` flights (too little evidence
    to promote), when its ROC AUC is more than ``max_auc_drop`` below the champion's, or
    when its cost per flight is more than ``max_cost_increase`` above the champion's.
    """
    # TODO: three conditions, any of them is enough
    raise NotImplementedError


def promotion_alias(metrics: dict, gates: RegisterParams, champion_auc: float | None) -> str:
    """Return ``"champion"`` when a candidate passes every gate, else ``"challenger"``.

    Notebook 02. ``metrics`` has ``test_roc_auc`` and ``max_slice_gap``; ``gates`` is the
    ``register`` section of params.yaml. The gates: ROC AUC at least ``min_roc_auc``; slice
    gap at most ``max_slice_gap``; and, when there is a champion, ROC AUC at least the
    champion's (on the same test data) minus ``tolerance``.
    """
    # TODO: passed = auc >= gates.min_roc_auc and ...
    raise NotImplementedError


def readiness_probe(port: int) -> dict:
    """Return the Kubernetes ``readinessProbe`` of the API container listening on ``port``.

    Notebook 03. An HTTP GET of the service's *readiness* route (not the liveness one:
    read ``module08_deployment/service/routers/health.py``), every 10 seconds at most, and
    at least 2 failures in a row before the pod leaves the Service. It must be valid
    against the Kubernetes schema (field names as in ``deploy/k8s/deployment.yaml``).
    """
    # TODO: {"httpGet": {"path": ..., "port": port}, "periodSeconds": ..., ...}
    raise NotImplementedError


def harden_container(container: dict) -> dict:
    """Return a copy of a Kubernetes container spec that runs locked down.

    Notebook 03. Add a ``securityContext`` with: ``runAsNonRoot`` true, ``runAsUser`` the
    image's numeric user (``USER`` in docker/Dockerfile), ``allowPrivilegeEscalation``
    false, ``readOnlyRootFilesystem`` true, and every Linux capability dropped. Keep the
    container's other fields; do not change the dict you were given.
    """
    # TODO: copy.deepcopy(container), then set container["securityContext"] = {...}
    raise NotImplementedError


def plain_secrets(task_definition: dict) -> list[str]:
    """Return, sorted, the secret-looking variables an ECS task definition sets in clear.

    Notebook 03. Look at every container's ``environment`` list (``{"name", "value"}``
    entries). A name containing ``KEY``, ``PASSWORD``, ``SECRET``, ``TOKEN``, ``DSN`` or
    ``CREDENTIAL`` (any case) looks secret. Entries of ``secrets`` (read from SSM or
    Secrets Manager at start) are fine and must not be listed.
    """
    # TODO: loop over task_definition["containerDefinitions"], then their "environment"
    raise NotImplementedError


def invalid_flights() -> dict[str, dict]:
    """Return at least four requests the API must refuse, keyed by the field each breaks.

    Notebook 04. Start from ``EXAMPLE_FLIGHT`` (``module08_deployment.service.schemas``)
    and change exactly one field per request, each time a different field, in a way the
    API refuses (a value out of range, not allowed, of the wrong type or format). The check
    sends each one to the API's model and expects the error to name your field.
    """
    # TODO: {"month": {**EXAMPLE_FLIGHT, "month": 13}, ...}
    raise NotImplementedError


def api_key_ok(sent: str | None, expected: str | None) -> bool:
    """Return True when a request may pass the API-key check.

    Notebook 04. No key configured (``expected`` is None or empty): every request passes.
    Otherwise the request needs ``sent`` equal to ``expected``, compared in constant time
    (``secrets.compare_digest``), so the time of a refusal does not tell an attacker how
    many leading characters were right.
    """
    # TODO: if not expected: ...; if sent is None: ...; secrets.compare_digest(...)
    raise NotImplementedError
