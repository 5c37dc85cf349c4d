"""Wrong answers to module 08's exercises, each a small change of the reference answer."""

from __future__ import annotations

import hashlib

from module08_deployment.exercises import solutions


def route_with_hash(key: str, share: float) -> bool:
    """Python's hash(): the same in one process, different in the next (PYTHONHASHSEED)."""
    if not 0 <= share <= 1:
        raise ValueError(share)
    return (hash(key) % 10_000) / 10_000 < share


def route_by_carrier(key: str, share: float) -> bool:
    if not 0 <= share <= 1:
        raise ValueError(share)
    return int(hashlib.sha256(key[:2].encode()).hexdigest()[:13], 16) / 16**13 < share


def route_any_share(key: str, share: float) -> bool:
    return int(hashlib.sha256(key.encode()).hexdigest()[:13], 16) / 16**13 < share


def _rollback(champion, challenger, max_auc_drop, max_cost_increase, min_rows, *, ge=False,
              n_le=False, cost_flip=False):  # fmt: skip
    drop = champion["roc_auc"] - challenger["roc_auc"]
    extra = challenger["cost"] - champion["cost"]
    if cost_flip:
        extra = -extra
    few = challenger["n"] <= min_rows if n_le else challenger["n"] < min_rows
    if ge:
        return few or drop >= max_auc_drop or extra >= max_cost_increase
    return few or drop > max_auc_drop or extra > max_cost_increase


def _alias(metrics, gates, champion_auc, *, strict_floor=False, strict_gap=False, no_tol=False):
    auc, gap = metrics["test_roc_auc"], metrics["max_slice_gap"]
    ok = auc > gates.min_roc_auc if strict_floor else auc >= gates.min_roc_auc
    ok = ok and (gap < gates.max_slice_gap if strict_gap else gap <= gates.max_slice_gap)
    if champion_auc is not None:
        ok = ok and auc >= champion_auc - (0 if no_tol else gates.tolerance)
    return "champion" if ok else "challenger"


def _probe(port, *, path="/ready", fixed_port=False, period=5, failures=2):
    return {"httpGet": {"path": path, "port": 8000 if fixed_port else port},
            "periodSeconds": period, "failureThreshold": failures}  # fmt: skip


def _harden_in_place(container):
    container["securityContext"] = solutions.harden_container(container)["securityContext"]
    return container


def _harden_with(container, **change):
    hardened = solutions.harden_container(container)
    hardened["securityContext"].update(change)
    return hardened


def _harden_keep_caps(container):
    hardened = solutions.harden_container(container)
    del hardened["securityContext"]["capabilities"]
    return hardened


def _secrets(task, *, case=False, first_only=False, with_refs=False):
    words = solutions.SECRET_WORDS
    containers = task.get("containerDefinitions", [])[: 1 if first_only else None]
    names = [e["name"] for c in containers for e in c.get("environment", [])]
    if with_refs:
        names += [e["name"] for c in containers for e in c.get("secrets", [])]
    return sorted(n for n in names if any(w in (n if case else n.upper()) for w in words))


def _cases_from_the_docs() -> dict:
    """Cases typed in from the documented example flight (do not follow a new example)."""
    example = {"year": 2013, "month": 11, "day": 1, "sched_dep_time": 545, "sched_arr_time": 855,
               "carrier": "AA", "flight": 2243, "tailnum": "N5CLAA", "origin": "JFK",
               "dest": "MIA", "distance": 1089,
               "time_hour": "2013-11-01T05:00:00-04:00"}  # fmt: skip
    changes = {"month": 13, "origin": "BOS", "dest": "miami", "distance": "far"}
    return {f: {**example, f: v} for f, v in changes.items()}


def _cases_with(changes: dict) -> dict:
    from module08_deployment.service.schemas import EXAMPLE_FLIGHT

    return {f.split("+")[0]: {**EXAMPLE_FLIGHT, **dict.fromkeys(f.split("+"), v)}
            for f, v in changes.items()}  # fmt: skip


def _key(sent, expected, *, equals=False, strict_none=False, folded=False):
    if not expected:
        return not strict_none
    if sent is None:
        return False
    if folded:
        return sent.lower() == expected.lower()
    if equals:
        return sent == expected
    return hashlib.sha256(sent.encode()).digest() == hashlib.sha256(expected.encode()).digest()


MUTANTS = {
    "canary_route": {
        "hash() of the key": route_with_hash,
        "the carrier decides": route_by_carrier,
        "no ValueError for a bad share": route_any_share,
    },
    "should_rollback": {
        ">= instead of >": lambda *a: _rollback(*a, ge=True),
        "exactly min_rows rolls back": lambda *a: _rollback(*a, n_le=True),
        "a cheaper challenger rolls back": lambda *a: _rollback(*a, cost_flip=True),
    },
    "promotion_alias": {
        "floor excluded": lambda m, g, c: _alias(m, g, c, strict_floor=True),
        "gap bound excluded": lambda m, g, c: _alias(m, g, c, strict_gap=True),
        "tolerance ignored": lambda m, g, c: _alias(m, g, c, no_tol=True),
    },
    "readiness_probe": {
        "the liveness route": lambda port: _probe(port, path="/health"),
        "port 8000 always": lambda port: _probe(port, fixed_port=True),
        "one failure pulls the pod": lambda port: _probe(port, failures=1),
        "every 30 seconds": lambda port: _probe(port, period=30),
    },
    "harden_container": {
        "changes the dict it was given": _harden_in_place,
        "root user": lambda c: _harden_with(c, runAsUser=0),
        "capabilities kept": _harden_keep_caps,
    },
    "plain_secrets": {
        "case-sensitive": lambda t: _secrets(t, case=True),
        "first container only": lambda t: _secrets(t, first_only=True),
        "secrets entries listed too": lambda t: _secrets(t, with_refs=True),
    },
    "invalid_flights": {
        "typed in from the docs": _cases_from_the_docs,
        "two fields changed in one case": lambda: _cases_with(
            {"month": 13, "origin": "BOS", "dest+distance": "x", "carrier": "ZZ"}
        ),
        "a case the API accepts": lambda: _cases_with(
            {"month": 12, "origin": "BOS", "dest": "miami", "distance": "far"}
        ),
    },
    "api_key_ok": {
        "compared with ==": lambda s, e: _key(s, e, equals=True),
        "no configured key refuses": lambda s, e: _key(s, e, strict_none=True),
        "case-insensitive": lambda s, e: _key(s, e, folded=True),
    },
}
