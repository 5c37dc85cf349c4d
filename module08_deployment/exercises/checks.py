"""Checks of module 08's exercises; ``labs check 8`` runs them against ``starter.py``.

Expectations come from the course's own code and files (the register stage's ``decide``,
the service's routes and request model, the Dockerfile, the vendored Kubernetes schemas,
``deploy/``) or from small cases whose answer follows from the exercise's text.
"""

from __future__ import annotations

import copy
import inspect
import json
import os
import subprocess
import sys
from collections.abc import Callable

import numpy as np
from pydantic import ValidationError

from labs_common import paths
from labs_common.config import RegisterParams
from labs_common.exercises import Exercise

KEYS = [f"{carrier}{n}" for carrier in ("UA", "B6", "DL") for n in range(1, 1001)]


def _in_another_process(fn: Callable[..., object], keys: list[str], share: float) -> list:
    call = f"importlib.import_module({fn.__module__!r}).{fn.__name__}"
    code = f"import json, importlib; f = {call}; print(json.dumps([bool(f(k, {share})) "\
           f"for k in {keys!r}]))"  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "4321"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=paths.ROOT, env=env, timeout=60, check=True)  # fmt: skip
    return json.loads(out.stdout)


def check_canary_route(fn: Callable[..., object]) -> None:
    small = np.array([fn(k, 0.05) for k in KEYS])
    large = np.array([fn(k, 0.25) for k in KEYS])
    assert abs(large.mean() - 0.25) < 0.04, f"25% share routed {large.mean():.1%} of the keys"
    assert abs(small.mean() - 0.05) < 0.02, f"5% share routed {small.mean():.1%} of the keys"
    assert large[small].all(), "a key routed at 5% must stay routed at 25%"
    assert not any(fn(k, 0.0) for k in KEYS[:50]) and all(fn(k, 1.0) for k in KEYS[:50]), (
        "share 0 routes nothing, share 1 routes everything"
    )
    here = [bool(fn(k, 0.3)) for k in KEYS[:200]]
    assert _in_another_process(fn, KEYS[:200], 0.3) == here, (
        "another Python process routed the same keys differently: hash() changes with every "
        "process; use hashlib.sha256"
    )
    for bad in (-0.1, 1.5):
        try:
            fn("UA1", bad)
        except ValueError:
            continue
        raise AssertionError(f"share {bad} must raise ValueError")


def check_should_rollback(fn: Callable[..., object]) -> None:
    from module08_deployment.patterns import RollbackRule, rollback_reasons

    rule = RollbackRule(max_auc_drop=0.01, max_cost_increase=0.02, min_rows=300)
    champion = {"n": 5000, "roc_auc": 0.72, "cost": 0.50}
    rng = np.random.default_rng(8)
    for n, auc, cost in zip(rng.integers(100, 900, 60), rng.uniform(0.69, 0.74, 60),
                            rng.uniform(0.47, 0.54, 60), strict=True):  # fmt: skip
        challenger = {"n": int(n), "roc_auc": float(auc), "cost": float(cost)}
        expected = bool(rollback_reasons(champion, challenger, rule))
        got = fn(champion, challenger, rule.max_auc_drop, rule.max_cost_increase, rule.min_rows)
        assert got == expected, f"challenger {challenger}: expected {expected}, got {got}"


def _gates_pass(metrics: dict, gates: RegisterParams, champion: float | None) -> bool:
    """The three gates as the exercise states them (``register.decide`` is the same rule)."""
    auc = metrics["test_roc_auc"]
    floor_and_gap = auc >= gates.min_roc_auc and metrics["max_slice_gap"] <= gates.max_slice_gap
    return floor_and_gap and (champion is None or auc >= champion - gates.tolerance)


def check_promotion_alias(fn: Callable[..., object]) -> None:
    gates = RegisterParams(model_name="m", min_roc_auc=0.70, max_slice_gap=0.15,
                           min_slice_rows=500, tolerance=0.002)  # fmt: skip
    rng = np.random.default_rng(8)
    for i in range(80):
        metrics = {"test_roc_auc": float(rng.uniform(0.68, 0.74)),
                   "max_slice_gap": float(rng.uniform(0.05, 0.25))}  # fmt: skip
        champion = None if i % 4 == 0 else float(rng.uniform(0.69, 0.74))
        expected = "champion" if _gates_pass(metrics, gates, champion) else "challenger"
        got = fn(metrics, gates, champion)
        assert got == expected, f"{metrics}, champion {champion}: expected {expected}, got {got}"
    edge = {"test_roc_auc": 0.728, "max_slice_gap": 0.15}
    assert fn(edge, gates, 0.73) == "champion", "at the bounds (gap = 0.15, AUC = 0.73 - 0.002) "\
        "the candidate passes: use >= and <="  # fmt: skip


def _deployment_with(container: dict) -> dict:
    from module08_deployment.manifests import load_manifests

    doc = copy.deepcopy(load_manifests()["Deployment"])
    doc["spec"]["template"]["spec"]["containers"] = [container]
    return doc


def check_readiness_probe(fn: Callable[..., object]) -> None:
    from module08_deployment.manifests import container, load_manifests, schema_errors

    # The manifest's probes are tested against the service's routes (test_manifests.py).
    probes = container(load_manifests()["Deployment"])
    routes = {"readiness": probes["readinessProbe"]["httpGet"]["path"],
              "liveness": probes["livenessProbe"]["httpGet"]["path"]}  # fmt: skip
    for port in (8000, 9000):
        probe = fn(port)
        assert isinstance(probe, dict), f"return a dict, got {type(probe).__name__}"
        box = {"name": "api", "image": "flights-api:1.0.0", "readinessProbe": probe}
        errors = schema_errors(_deployment_with(box))
        assert not errors, f"the Kubernetes schema refuses the probe: {errors[:2]}"
        get = probe.get("httpGet", {})
        assert get.get("path") == routes["readiness"], (
            f"readiness is {routes['readiness']} ({routes['liveness']} is liveness), "
            f"got {get.get('path')}"
        )
        assert get.get("port") == port, f"probe port {get.get('port')}, expected {port}"
    assert probe.get("periodSeconds", 10) <= 10, "probe at least every 10 seconds"
    assert probe.get("failureThreshold", 3) >= 2, "one slow answer must not pull the pod"


def check_harden_container(fn: Callable[..., object]) -> None:
    from module08_deployment.manifests import container, image_facts, load_manifests, schema_errors

    given = copy.deepcopy(container(load_manifests()["Deployment"]))
    given.pop("securityContext", None)
    before = copy.deepcopy(given)
    hardened = fn(given)
    assert given == before, "do not change the dict you were given: copy.deepcopy it first"
    errors = schema_errors(_deployment_with(hardened))
    assert not errors, f"the Kubernetes schema refuses the container: {errors[:2]}"
    box = hardened.get("securityContext", {})
    uid = int(image_facts()["user"].split(":")[0])
    wanted = {"runAsNonRoot": True, "runAsUser": uid, "allowPrivilegeEscalation": False,
              "readOnlyRootFilesystem": True}  # fmt: skip
    wrong = {k: box.get(k) for k, v in wanted.items() if box.get(k) != v}
    assert not wrong, f"securityContext should have {wanted}; these differ: {wrong}"
    assert box.get("capabilities", {}).get("drop") == ["ALL"], "drop: ['ALL'] capabilities"
    rest = {k: v for k, v in hardened.items() if k != "securityContext"}
    assert rest == before, "keep the container's other fields as they were"


def check_plain_secrets(fn: Callable[..., object]) -> None:
    from module08_deployment.manifests import ECS_TASK

    task = json.loads(ECS_TASK.read_text())
    assert fn(task) == [], f"deploy/ecs/task-definition.json reads its secrets properly: {fn(task)}"
    leaky = copy.deepcopy(task)
    box = leaky["containerDefinitions"][0]
    box["environment"] += [{"name": "POSTGRES_PASSWORD", "value": "x"},
                           {"name": "labs_api_key", "value": "y"},
                           {"name": "AWS_REGION", "value": "eu-west-1"}]  # fmt: skip
    second = {"name": "sidecar", "environment": [{"name": "GITHUB_TOKEN", "value": "z"}]}
    leaky["containerDefinitions"].append(second)
    got = fn(leaky)
    assert got == ["GITHUB_TOKEN", "POSTGRES_PASSWORD", "labs_api_key"], (
        f"expected ['GITHUB_TOKEN', 'POSTGRES_PASSWORD', 'labs_api_key'] (sorted, every "
        f"container, any case; AWS_REGION is no secret), got {got}"
    )


def check_invalid_flights(fn: Callable[..., object]) -> None:
    from module08_deployment.service.schemas import EXAMPLE_FLIGHT, Flight

    cases = fn()
    assert isinstance(cases, dict) and len(cases) >= 4, "return at least four cases in a dict"
    for field, payload in cases.items():
        changed = {
            k for k in {*payload, *EXAMPLE_FLIGHT} if payload.get(k) != EXAMPLE_FLIGHT.get(k)
        }
        assert changed == {field}, f"case {field!r} changes {sorted(changed)}; change {field} only"
        try:
            Flight.model_validate_json(json.dumps(payload))  # as the API reads a request
        except ValidationError as exc:
            fields = {str(part) for e in exc.errors() for part in e["loc"]}
            assert field in fields, f"case {field!r} was refused for {sorted(fields)} instead"
            continue
        raise AssertionError(f"the API accepts case {field!r}: {payload[field]!r} is valid")


def check_api_key_ok(fn: Callable[..., object]) -> None:
    cases = {(None, None): True, ("x", None): True, ("x", ""): True, (None, "k3y"): False,
             ("k3y", "k3y"): True, ("k3Y", "k3y"): False, ("", "k3y"): False,
             ("k3y-and-more", "k3y"): False}  # fmt: skip
    for (sent, expected), answer in cases.items():
        got = fn(sent, expected)
        assert got is answer, f"api_key_ok({sent!r}, {expected!r}): expected {answer}, got {got}"
    assert "compare_digest" in inspect.getsource(fn), (
        "compare with secrets.compare_digest: == stops at the first wrong character"
    )


CHECKS = [
    Exercise("canary_route", check_canary_route,
             "int(hashlib.sha256(key.encode()).hexdigest()[:13], 16) / 16**13 < share"),
    Exercise("should_rollback", check_should_rollback,
             "challenger['n'] < min_rows or champion AUC - challenger AUC > max_auc_drop or ..."),
    Exercise("promotion_alias", check_promotion_alias,
             "the tolerance gate applies only when champion_auc is not None"),
    Exercise("readiness_probe", check_readiness_probe,
             "{'httpGet': {'path': '/ready', 'port': port}, 'periodSeconds': 5, "
             "'failureThreshold': 2}"),
    Exercise("harden_container", check_harden_container,
             "the uid is the number before ':' in the Dockerfile's USER line"),
    Exercise("plain_secrets", check_plain_secrets,
             "any(word in name.upper() for word in ('KEY', 'PASSWORD', ...)), then sorted()"),
    Exercise("invalid_flights", check_invalid_flights,
             "{**EXAMPLE_FLIGHT, 'month': 13}; try origin, dest, distance, carrier, day"),
    Exercise("api_key_ok", check_api_key_ok,
             "secrets.compare_digest(sent.encode(), expected.encode())"),
]  # fmt: skip
