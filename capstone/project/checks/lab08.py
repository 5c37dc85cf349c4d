"""Lab 08 (module 08, deployment): registry gate, FastAPI service, Dockerfile, Prefect flow.

The student adds a stage ``register`` (alias ``champion`` only when the test ROC AUC
reaches ``register.min_roc_auc``, else ``challenger``), ``myflights/service.py`` (``app``:
``/health`` and ``/predict`` with pydantic validation), a ``Dockerfile`` (non-root,
installing exact versions from a requirements file) and ``myflights/flow.py`` (a Prefect
flow whose tasks retry, and ``deployment()`` returning a scheduled deployment).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

from capstone.project.checks import Lab, Step
from capstone.project.checks.common import raw_flights, run_pipeline
from capstone.project.checks.lab04 import has_stages
from capstone.project.checks.lab05 import MISSED_DELAYS, random_costs, read_metrics
from capstone.project.checks.lab07 import BLOCKED as BLOCKED_07
from capstone.project.checks.sandbox import CheckFailed, Sandbox
from capstone.project.tools import tail

BLOCKED = (*BLOCKED_07, "module08_deployment")
FIELDS = ["year", "month", "day", "sched_dep_time", "sched_arr_time", "carrier", "origin",
          "dest", "distance"]  # fmt: skip

ALIASES = """
import json, sys
from mlflow import MlflowClient
client = MlflowClient()
name = sys.argv[1]
versions = sorted(int(v.version) for v in client.search_model_versions(f"name='{name}'"))
aliases = client.get_registered_model(name).aliases if versions else {}
print(json.dumps({"versions": versions, "aliases": {k: int(v) for k, v in aliases.items()}}))
"""
API = """
import json, sys, pandas as pd
from fastapi.testclient import TestClient
from myflights.service import app
from myflights.predictor import load_predictor
flight, bad_field = json.loads(sys.argv[1]), sys.argv[2]
out = {}
with TestClient(app) as client:
    out["health"] = client.get("/health").status_code
    good = client.post("/predict", json=flight)
    out["good"] = [good.status_code, good.json()]
    out["batch"] = float(load_predictor().predict(pd.DataFrame([flight]))["score"].iloc[0])
    bad = client.post("/predict", json={**flight, bad_field: "not a number"})
    out["bad"] = [bad.status_code, bad.text]
    missing = client.post("/predict", json={k: v for k, v in flight.items() if k != bad_field})
    out["missing"] = [missing.status_code, missing.text]
print(json.dumps(out))
"""
FLOW = """
import json
from prefect import Flow, Task
from prefect.testing.utilities import prefect_test_harness
import myflights.flow as module
flows = [v for v in vars(module).values() if isinstance(v, Flow)]
tasks = [v for v in vars(module).values() if isinstance(v, Task)]
out = {"flows": len(flows), "retries": max([t.retries or 0 for t in tasks], default=0)}
deployment = module.deployment()
out["schedules"] = len(getattr(deployment, "schedules", None) or [])
with prefect_test_harness(server_startup_timeout=None):
    state = flows[0](return_state=True)
out["state"] = state.type.value
print(json.dumps(out))
"""


def registry_gate(box: Sandbox) -> str:
    name = f"flights-{box.rng.randint(1000, 9999)}"
    run_pipeline(box, "register", extra={**random_costs(box), "register.model_name": name,
                                         "register.min_roc_auc": 0.5})  # fmt: skip
    first = box.python_json(ALIASES, name)
    if not first["versions"] or first["aliases"].get("champion") != first["versions"][-1]:
        raise CheckFailed(f"after a run with register.model_name={name!r} and min_roc_auc=0.5, "
                          f"the registry shows {first}; expected its newest version as "
                          "champion")  # fmt: skip
    box.set_params({"register.min_roc_auc": 0.99})
    box.dvc("repro", "register", what=" with register.min_roc_auc=0.99")
    second = box.python_json(ALIASES, name)
    if len(second["versions"]) < 2 or second["aliases"].get("champion") != first["versions"][-1]:
        raise CheckFailed(f"with min_roc_auc=0.99 (a gate no model passes) the registry shows "
                          f"{second}: a new version must be registered, and champion must stay "
                          f"on version {first['versions'][-1]}")  # fmt: skip
    return f"{name}: v{first['versions'][-1]} champion; v{second['versions'][-1]} held by the gate"


def api(box: Sandbox) -> str:
    row = raw_flights().sample(1, random_state=box.rng.randint(0, 10**6)).iloc[0]
    flight = {k: (row[k].item() if hasattr(row[k], "item") else str(row[k])) for k in FIELDS}
    bad_field = box.rng.choice(["month", "distance", "sched_dep_time"])
    out = box.python_json(API, json.dumps(flight), bad_field)
    if out["health"] != 200:
        raise CheckFailed(f"GET /health answered {out['health']}, expected 200")
    status, body = out["good"]
    if status != 200 or not isinstance(body, dict) or "score" not in body:
        raise CheckFailed(f"POST /predict {flight} answered {status} {body}")
    if abs(float(body["score"]) - out["batch"]) > 1e-9:
        raise CheckFailed(f"/predict gave score {body['score']}, the predictor {out['batch']}: "
                          "the service must use the same predictor")  # fmt: skip
    for case in ("bad", "missing"):
        status, text = out[case]
        if status != 422 or bad_field not in text:
            raise CheckFailed(f"a request with {bad_field!r} {case} answered {status}: "
                              f"{text[:200]}; expected 422 naming the field")  # fmt: skip
    return f"/health 200; /predict score {float(body['score']):.3f}; bad {bad_field!r} -> 422"


def dockerfile(box: Sandbox) -> str:
    path = box.root / "Dockerfile"
    if not path.is_file():
        raise CheckFailed("the project has no Dockerfile")
    lint = box.run("hadolint", "--failure-threshold", "warning", str(path))
    if lint.returncode != 0:
        raise CheckFailed(f"hadolint finds problems:\n{tail(lint.stdout + lint.stderr)}")
    text = path.read_text()
    users = re.findall(r"^\s*USER\s+(\S+)", text, flags=re.MULTILINE | re.IGNORECASE)
    if not users or users[-1].split(":")[0] in {"root", "0"}:
        raise CheckFailed(f"the image runs as root (USER lines: {users or 'none'})")
    files = re.findall(r"pip install[^\n]*-r\s+(\S+)", text)
    pins = [f for f in files if (box.root / f).is_file() and _all_pinned(box.root / f)]
    if not pins:
        raise CheckFailed(f"the image must `pip install -r FILE` from a file of exact versions "
                          f"(==) in the project; found {files or 'no -r FILE'}")  # fmt: skip
    return f"hadolint clean, USER {users[-1]}, installs from {pins[0]}{_build(box)}"


def _all_pinned(path: object) -> bool:
    lines = [ln.split("#")[0].strip() for ln in path.read_text().splitlines()]  # type: ignore[attr-defined]
    reqs = [ln for ln in lines if ln and not ln.startswith("-")]
    return bool(reqs) and all("==" in ln for ln in reqs)


def _build(box: Sandbox) -> str:
    engine = shutil.which("docker") or shutil.which("podman")
    if not engine or subprocess.run([engine, "info"], capture_output=True).returncode != 0:
        return " (no container engine here: not built)"
    built = box.run(engine, "build", "-q", "-t", "labs-check-image", ".", timeout=900)
    if built.returncode != 0:
        raise CheckFailed(f"`{engine} build` failed:\n{tail(built.stdout + built.stderr)}")
    return f"; built with {engine}"


def new_missed_delay(box: Sandbox) -> float:
    """A random cost of a missed delay (lab 05's range) that the copy's params.yaml does not hold.

    Why: the flow step checks that running the flow re-computes the metrics; the same value
    again (registry_gate drew its costs from this range) would leave them as they are, and a
    correct flow would fail.
    """
    held = box.params().get("cost", {}).get("missed_delay")
    return box.rng.choice([cost for cost in MISSED_DELAYS if cost != held])


def prefect_flow(box: Sandbox) -> str:
    costs = {"cost.missed_delay": new_missed_delay(box)}
    before = read_metrics(box)
    box.set_params(costs)
    out = box.python_json(FLOW, timeout=600)
    if not out["flows"] or out["retries"] < 1 or out["schedules"] < 1:
        raise CheckFailed(f"myflights/flow.py: {out['flows']} flow(s), most retries "
                          f"{out['retries']}, deployment() schedules {out['schedules']}; "
                          "need a flow, a task with retries, a schedule")  # fmt: skip
    if out["state"] != "COMPLETED":
        raise CheckFailed(f"the flow ended {out['state']}")
    after = read_metrics(box)
    if after.get("cost_per_flight") == before.get("cost_per_flight"):
        raise CheckFailed(f"after {costs} the flow ran, but reports/metrics.json did not change: "
                          "does the flow run the pipeline?")  # fmt: skip
    return f"flow COMPLETED under Prefect's test harness and re-ran evaluate for {costs}"


LAB = Lab(
    number=8,
    title="registry gate, FastAPI service, Dockerfile, Prefect flow",
    blocked=BLOCKED,
    steps=(
        Step(
            "register stage",
            lambda box: has_stages(box, ("register",)),
            "add a stage 'register' after evaluate, with params register",
        ),
        Step(
            "registry gate",
            registry_gate,
            "register the newest logged model under register.model_name; alias champion if "
            "roc_auc >= register.min_roc_auc, otherwise challenger",
        ),
        Step(
            "FastAPI service",
            api,
            "myflights/service.py: app = FastAPI(lifespan=...); GET /health; POST /predict "
            "with a pydantic model of the schedule fields; use load_predictor()",
        ),
        Step(
            "Dockerfile",
            dockerfile,
            "FROM python:3.11-slim; COPY requirements.txt; pip install -r it (== pins); a "
            "numeric non-root USER; run `hadolint Dockerfile`",
        ),
        Step(
            "Prefect flow",
            prefect_flow,
            "myflights/flow.py: @task(retries=2) running each stage, a @flow calling them, "
            "deployment() returning flow.to_deployment(name=..., cron=...)",
        ),
    ),
)
