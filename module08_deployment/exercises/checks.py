"""Checks of module 08's exercises; ``labs check 8`` runs them against ``starter.py``.

Expectations come from the course's own code and files (the register stage's rule, the
service's routes and request model, the Dockerfile, the vendored Kubernetes schemas,
``deploy/``) or from small cases whose answer follows from the exercise's text, and every
check adds cases drawn at random for each run (keys, metrics, gates, ports, containers,
task definitions, the example flight, API keys), so an answer that only fits the cases it
saw does not pass.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from unittest import mock

import numpy as np
from pydantic import ValidationError

from labs_common import paths
from labs_common.config import RegisterParams
from labs_common.exercises import Checks, builtin_calls, check_rng

#: This module's exercises, registered by @CHECKS.exercise in the order below.
CHECKS = Checks()


def _keys(rng: np.random.Generator) -> list[str]:
    """3,000 distinct random flight keys such as ``"B61545"``."""
    carriers = rng.choice(["UA", "B6", "DL", "AA", "EV", "WN"], 3, replace=False)
    numbers = rng.choice(np.arange(1, 9_999), 1_000, replace=False)
    return [f"{c}{n}" for c in carriers for n in numbers]


def _in_another_process(fn: Callable[..., object], keys: list[str], share: float) -> list:
    call = f"importlib.import_module({fn.__module__!r}).{fn.__name__}"
    code = f"import json, importlib; f = {call}; print(json.dumps([bool(f(k, {share})) "\
           f"for k in {keys!r}]))"  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "4321"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=paths.ROOT, env=env, timeout=60, check=True)  # fmt: skip
    return json.loads(out.stdout)


@CHECKS.exercise(
    forbidden=(
        "module08_deployment.patterns.hash_bucket",
        "module08_deployment.patterns.route_to_challenger",
    )
)
def check_canary_route(fn: Callable[..., object]) -> None:
    """hashlib.sha256 gives a hex digest; read part of it as an integer and scale it into [0, 1);
    Python's hash() changes from one process to the next
    """
    rng = check_rng()
    keys = _keys(rng)
    low, high = float(rng.uniform(0.03, 0.1)), float(rng.uniform(0.2, 0.4))
    small = np.array([fn(k, low) for k in keys])
    large = np.array([fn(k, high) for k in keys])
    assert abs(large.mean() - high) < 0.04, (
        f"{high:.1%} share routed {large.mean():.1%} of the keys"
    )
    assert abs(small.mean() - low) < 0.02, f"{low:.1%} share routed {small.mean():.1%} of the keys"
    assert large[small].all(), f"a key routed at {low:.1%} must stay routed at {high:.1%}"
    assert not any(fn(k, 0.0) for k in keys[:50]) and all(fn(k, 1.0) for k in keys[:50]), (
        "share 0 routes nothing, share 1 routes everything"
    )
    here = [bool(fn(k, 0.3)) for k in keys[:200]]
    assert _in_another_process(fn, keys[:200], 0.3) == here, (
        "another Python process routed the same keys differently: hash() changes with every "
        "process; use hashlib.sha256"
    )
    for bad in (-0.1, 1.5):
        try:
            fn("UA1", bad)
        except ValueError:
            continue
        raise AssertionError(f"share {bad} must raise ValueError")


@CHECKS.exercise(forbidden=("module08_deployment.patterns.rollback_reasons",))
def check_should_rollback(fn: Callable[..., object]) -> None:
    """three independent reasons, any one is enough; 'more than' is strict, and too few flights is a
    reason on its own
    """
    from module08_deployment.patterns import RollbackRule, rollback_reasons

    rng = check_rng()
    # bounds that are exact in binary, so "exactly at the bound" is exact in floating point
    rule = RollbackRule(max_auc_drop=float(rng.choice([0.0078125, 0.015625, 0.03125])),
                        max_cost_increase=float(rng.choice([0.015625, 0.0625])),
                        min_rows=int(rng.integers(100, 500)))  # fmt: skip
    champion = {"n": 5000, "roc_auc": float(rng.choice([0.71875, 0.75])), "cost": 0.50}
    edges = [{"n": rule.min_rows, "roc_auc": champion["roc_auc"], "cost": 0.5},
             {"n": 900, "roc_auc": champion["roc_auc"] - rule.max_auc_drop, "cost": 0.5},
             {"n": 900, "roc_auc": champion["roc_auc"], "cost": 0.5 + rule.max_cost_increase},
             {"n": rule.min_rows - 1, "roc_auc": champion["roc_auc"], "cost": 0.5},
             {"n": 900, "roc_auc": champion["roc_auc"] - rule.max_auc_drop / 2, "cost": 0.5},
             {"n": 900, "roc_auc": 0.9, "cost": 0.5 + 2 * rule.max_cost_increase},
             {"n": 900, "roc_auc": 0.5, "cost": 0.4}]  # fmt: skip
    randoms = [{"n": int(n), "roc_auc": float(auc), "cost": float(cost)}
               for n, auc, cost in zip(rng.integers(100, 900, 60), rng.uniform(0.69, 0.76, 60),
                                       rng.uniform(0.45, 0.56, 60), strict=True)]  # fmt: skip
    for challenger in [*edges, *randoms]:
        expected = bool(rollback_reasons(champion, challenger, rule))
        got = fn(champion, challenger, rule.max_auc_drop, rule.max_cost_increase, rule.min_rows)
        assert got == expected, f"challenger {challenger}: expected {expected}, got {got}"


def _gates_pass(metrics: dict, gates: RegisterParams, champion: float | None) -> bool:
    """The three gates as the exercise states them (``register.apply_gates`` is the same rule)."""
    auc = metrics["test_roc_auc"]
    floor_and_gap = auc >= gates.min_roc_auc and metrics["max_slice_gap"] <= gates.max_slice_gap
    return floor_and_gap and (champion is None or auc >= champion - gates.tolerance)


@CHECKS.exercise(forbidden=("module08_deployment.register.apply_gates",))
def check_promotion_alias(fn: Callable[..., object]) -> None:
    """at least and at most include the bound; the tolerance gate exists only when there is a
    champion
    """
    rng = check_rng()
    gates = RegisterParams(model_name="m", min_roc_auc=float(rng.uniform(0.68, 0.72)),
                           max_slice_gap=float(rng.uniform(0.1, 0.2)), min_slice_rows=500,
                           tolerance=float(rng.choice([0.002, 0.005, 0.01])))  # fmt: skip
    for i in range(80):
        metrics = {"test_roc_auc": float(rng.uniform(0.68, 0.74)),
                   "max_slice_gap": float(rng.uniform(0.05, 0.25))}  # fmt: skip
        champion = None if i % 4 == 0 else float(rng.uniform(0.69, 0.74))
        expected = "champion" if _gates_pass(metrics, gates, champion) else "challenger"
        got = fn(metrics, gates, champion)
        assert got == expected, f"{metrics}, champion {champion}: expected {expected}, got {got}"
    gates = RegisterParams(model_name="m", min_roc_auc=0.70, max_slice_gap=0.15,
                           min_slice_rows=500, tolerance=0.002)  # fmt: skip
    edge = {"test_roc_auc": 0.728, "max_slice_gap": 0.15}
    assert fn(edge, gates, 0.73) == "champion", "at the bounds (gap = 0.15, AUC = 0.73 - 0.002) "\
        "the candidate passes: use >= and <="  # fmt: skip
    floor = {"test_roc_auc": 0.70, "max_slice_gap": 0.1}
    assert fn(floor, gates, None) == "champion", "at the floor (AUC = min_roc_auc) it passes"


def _deployment_with(container: dict) -> dict:
    from module08_deployment.manifests import load_manifests

    doc = copy.deepcopy(load_manifests()["Deployment"])
    doc["spec"]["template"]["spec"]["containers"] = [container]
    return doc


@CHECKS.exercise
def check_readiness_probe(fn: Callable[..., object]) -> None:
    """read the service's health router: one route says the process is alive, the other that the
    model is loaded; field names as in deploy/k8s/deployment.yaml
    """
    from module08_deployment.manifests import container, load_manifests, schema_errors

    # The manifest's probes are tested against the service's routes (test_manifests.py).
    probes = container(load_manifests()["Deployment"])
    routes = {"readiness": probes["readinessProbe"]["httpGet"]["path"],
              "liveness": probes["livenessProbe"]["httpGet"]["path"]}  # fmt: skip
    for port in (8000, int(check_rng().integers(1024, 65535))):
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


@CHECKS.exercise
def check_harden_container(fn: Callable[..., object]) -> None:
    """copy before you change (copy.deepcopy); the user id is in docker/Dockerfile; capabilities are
    dropped by name, and ALL is a name
    """
    from module08_deployment.manifests import container, image_facts, load_manifests, schema_errors

    given = copy.deepcopy(container(load_manifests()["Deployment"]))
    given.pop("securityContext", None)
    rng = check_rng()
    given["name"] = f"api-{rng.integers(1000)}"
    given["env"] = [*given.get("env", []), {"name": f"X{rng.integers(100)}", "value": "1"}]
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


@CHECKS.exercise(
    forbidden=(
        "module08_deployment.manifests.looks_secret",
        "module08_deployment.manifests.ecs_problems",
    )
)
def check_plain_secrets(fn: Callable[..., object]) -> None:
    """every container, only its environment list (secrets are fine); compare names
    case-insensitively; sort
    """
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
    rng = check_rng()
    words = ["KEY", "PASSWORD", "SECRET", "TOKEN", "DSN", "CREDENTIAL"]
    plain = ["REGION", "PORT", "LOG_LEVEL", "WORKERS", "HOST", "MODE"]
    expected, task = [], {"containerDefinitions": []}
    for c in range(int(rng.integers(1, 4))):
        env, secret_refs = [], []
        for i in range(int(rng.integers(2, 7))):
            sure = c == i == 0  # one plain secret at least, so [] is never the answer
            word = str(rng.choice(words if sure else words + plain))
            name = f"{rng.choice(['APP', 'DB', 'svc'])}_{word}_{c}{i}_{rng.integers(100, 1000)}"
            name = name.lower() if rng.random() < 0.3 else name
            if word in words and not sure and rng.random() < 0.3:  # read at start: fine
                secret_refs.append({"name": name, "valueFrom": "arn:aws:ssm:x"})
                continue
            env.append({"name": name, "value": "v"})
            expected += [name] if word in words else []
        task["containerDefinitions"].append({"name": f"c{c}", "environment": env,
                                             "secrets": secret_refs})  # fmt: skip
    got = fn(task)
    assert got == sorted(expected), (
        f"random task definition {task['containerDefinitions']}: expected {sorted(expected)}, "
        f"got {got}"
    )


def _random_flight(rng: np.random.Generator) -> dict:
    """A valid flight other than the documented example."""
    from module01_intro.contract import CARRIERS, ORIGINS

    month, day, hour = int(rng.integers(1, 13)), int(rng.integers(1, 29)), int(rng.integers(5, 23))
    letters = list("ABCDEFGHJKLMNPRSTUVWXYZ")
    return {
        "year": 2013, "month": month, "day": day,
        "sched_dep_time": hour * 100 + int(rng.integers(0, 60)),
        "sched_arr_time": (hour + 1) * 100 + int(rng.integers(0, 60)),
        "carrier": str(rng.choice(CARRIERS)), "flight": int(rng.integers(1, 9999)),
        "tailnum": "N" + "".join(rng.choice(letters, 4)), "origin": str(rng.choice(ORIGINS)),
        "dest": "".join(rng.choice(letters, 3)), "distance": int(rng.integers(80, 4900)),
        "time_hour": f"2013-{month:02d}-{day:02d}T{hour:02d}:00:00-05:00",
    }  # fmt: skip


@CHECKS.exercise(forbidden=("module08_deployment.security.one_change",))
def check_invalid_flights(fn: Callable[..., object]) -> None:
    """copy EXAMPLE_FLIGHT and change one field per case; read the Flight model for what each field
    refuses (range, allowed values, type, pattern)
    """
    from module08_deployment.service import schemas
    from module08_deployment.service.schemas import EXAMPLE_FLIGHT, Flight

    flight = _random_flight(check_rng())
    Flight.model_validate_json(json.dumps(flight))
    with mock.patch.dict(schemas.EXAMPLE_FLIGHT, flight):  # every reference sees the new one
        cases = fn()
        _check_invalid_cases(cases, dict(EXAMPLE_FLIGHT))


def _check_invalid_cases(cases: object, example: dict) -> None:
    from module08_deployment.service.schemas import Flight

    EXAMPLE_FLIGHT = example
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


class _NoEquals(str):
    """A key whose == fails the check: the comparison must be secrets.compare_digest."""

    __hash__ = str.__hash__

    def __eq__(self, other: object) -> bool:
        raise AssertionError("the key was compared with ==, which stops at the first wrong "
                             "character; use secrets.compare_digest")  # fmt: skip

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)


@CHECKS.exercise
def check_api_key_ok(fn: Callable[..., object]) -> None:
    """handle the cases without a configured key and without a sent key first; the secrets module
    has a comparison whose time does not depend on the content
    """
    cases = {(None, None): True, ("x", None): True, ("x", ""): True, (None, "k3y"): False,
             ("k3y", "k3y"): True, ("k3Y", "k3y"): False, ("", "k3y"): False,
             ("k3y-and-more", "k3y"): False}  # fmt: skip
    for (sent, expected), answer in cases.items():
        got = fn(sent, expected)
        assert got is answer, f"api_key_ok({sent!r}, {expected!r}): expected {answer}, got {got}"
    rng = check_rng()
    for _ in range(6):
        key = rng.bytes(int(rng.integers(4, 16))).hex()
        sent = str(rng.choice([key, key[:-1], key + "0", key.upper(), ""]))
        got = fn(_NoEquals(sent), _NoEquals(key))
        assert got is (sent == key), (
            f"api_key_ok({sent!r}, {key!r}): expected {sent == key}, got {got}"
        )
        with builtin_calls() as called:
            fn(sent, key)
        assert secrets.compare_digest in called, (
            "compare with secrets.compare_digest: == stops at the first wrong character, so the "
            "time of a refusal tells how many leading characters were right"
        )
