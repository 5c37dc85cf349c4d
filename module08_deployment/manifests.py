"""Lesson 03, orchestration: read the deployment files and check them against the service.

Why it matters: a Kubernetes manifest or an ECS task definition repeats facts the service
already states: its port, its health and readiness routes, its user. Written twice, they
drift, and the platform restarts a healthy container because its probe asks the wrong
path. Here each fact has one home (the routes in ``service/routers/health.py``, the port
and user in ``docker/Dockerfile``) and these functions compare every copy with it; a
manifest is also validated against the Kubernetes JSON schema of its kind, offline.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import yaml
from jsonschema import Draft202012Validator

from labs_common import paths

DEPLOY = paths.ROOT / "deploy"
K8S_DIR = DEPLOY / "k8s"
ECS_TASK = DEPLOY / "ecs" / "task-definition.json"
DOCKERFILE = paths.ROOT / "docker" / "Dockerfile"
COMPOSE = paths.ROOT / "docker" / "compose.yaml"
#: Standalone strict schemas of Kubernetes v1.33 (see the README in that folder).
SCHEMA_DIR = Path(__file__).resolve().parent / "tests" / "data" / "k8s-schemas"
SCHEMAS = {
    ("apps/v1", "Deployment"): "deployment-apps-v1.json",
    ("v1", "Service"): "service-v1.json",
    ("autoscaling/v2", "HorizontalPodAutoscaler"): "horizontalpodautoscaler-autoscaling-v2.json",
    ("v1", "PersistentVolumeClaim"): "persistentvolumeclaim-v1.json",
}
SECRET_WORDS = ("KEY", "PASSWORD", "SECRET", "TOKEN", "DSN", "CREDENTIAL")


def load_manifests(folder: Path = K8S_DIR) -> dict[str, dict]:
    """Every ``*.yaml`` manifest of ``folder`` (one object per file), keyed by kind."""
    docs = [yaml.safe_load(p.read_text()) for p in sorted(Path(folder).glob("*.yaml"))]
    return {doc["kind"]: doc for doc in docs}


def schema_errors(doc: dict, schema_dir: Path = SCHEMA_DIR) -> list[str]:
    """Where ``doc`` breaks the schema of its kind, as ``path: message`` (empty: valid).

    Why it matters: ``readinesProbe`` (one ``s``) is valid YAML; Kubernetes would reject
    it at ``kubectl apply``, or a lenient tool would drop it silently and the pod would
    run without a readiness probe. A strict schema catches it in a unit test.

    Raises:
        ValueError: no schema is vendored for the document's apiVersion and kind.
    """
    key = (doc.get("apiVersion"), doc.get("kind"))
    if key not in SCHEMAS:
        raise ValueError(f"no schema for {key}; vendored: {sorted(SCHEMAS)}")
    schema = json.loads((Path(schema_dir) / SCHEMAS[key]).read_text())
    errors = Draft202012Validator(schema).iter_errors(doc)
    return sorted(f"{'.'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors)


def image_facts(dockerfile: Path = DOCKERFILE) -> dict:
    """The exposed port, the user and the health-check URL path the image declares."""
    text = Path(dockerfile).read_text()
    port = re.search(r"^EXPOSE\s+(\d+)", text, re.M)
    user = re.search(r"^USER\s+(\S+)", text, re.M)
    check = re.search(r"HEALTHCHECK.*?https?://[^/'\"]+(/[\w/-]*)", text, re.S)
    if not (port and user and check):
        raise ValueError(f"{dockerfile} lacks EXPOSE, USER or a HEALTHCHECK URL")
    return {"port": int(port.group(1)), "user": user.group(1), "health_path": check.group(1)}


def service_routes() -> dict[str, str]:
    """The service's liveness and readiness paths, read from its health router."""
    from module08_deployment.service.routers import health

    by_name = {route.endpoint.__name__: route.path for route in health.router.routes}
    return {"liveness": by_name["health"], "readiness": by_name["ready"]}


def container(deployment: dict, name: str = "api") -> dict:
    """The container called ``name`` in a Deployment's pod template."""
    found = [c for c in deployment["spec"]["template"]["spec"]["containers"] if c["name"] == name]
    if not found:
        raise KeyError(f"no container {name!r} in deployment {deployment['metadata']['name']}")
    return found[0]


def probe_table(deployment: dict, name: str = "api") -> pd.DataFrame:
    """One row per probe of the container: path, port (names resolved), timing."""
    spec = container(deployment, name)
    ports = {p.get("name"): p["containerPort"] for p in spec.get("ports", [])}
    rows = []
    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        probe = spec.get(kind)
        if probe is None:
            continue
        get = probe.get("httpGet", {})
        rows.append({"probe": kind, "path": get.get("path"),
                     "port": ports.get(get.get("port"), get.get("port")),
                     **{k: probe.get(k) for k in ("periodSeconds", "timeoutSeconds",
                                                  "failureThreshold")}})  # fmt: skip
    return pd.DataFrame(rows)


def probe_problems(deployment: dict, routes: dict[str, str], port: int) -> list[str]:
    """Probes that ask a path the service does not serve for that purpose, or another port."""
    expected = {"startupProbe": routes["liveness"], "livenessProbe": routes["liveness"],
                "readinessProbe": routes["readiness"]}  # fmt: skip
    table = probe_table(deployment)
    problems = [f"no {kind}" for kind in expected if kind not in set(table["probe"])]
    for row in table.itertuples():
        if row.path != expected[row.probe]:
            problems.append(
                f"{row.probe} asks {row.path}, the service serves {expected[row.probe]}"
            )
        if row.port != port:
            problems.append(f"{row.probe} asks port {row.port}, the image exposes {port}")
    return problems


def looks_secret(name: str) -> bool:
    """True for a variable name such as ``LABS_API_KEY`` or ``POSTGRES_PASSWORD``."""
    return any(word in name.upper() for word in SECRET_WORDS)


def ecs_problems(task: dict, image: dict, routes: dict[str, str]) -> list[str]:
    """What an ECS task definition gets wrong about the image and the service.

    Checks each container: a numeric non-root user, a fixed image tag, the image's port,
    a health check that asks the liveness route on that port, no secret-looking variable
    with a plain value (use ``secrets`` with an SSM or Secrets Manager ARN), and that each
    secret comes from one of those two stores.
    """
    problems = []
    for c in task.get("containerDefinitions", []):
        name, user = c.get("name", "?"), str(c.get("user", ""))
        if not user or user.split(":")[0] in ("0", "root") or not user.split(":")[0].isdigit():
            problems.append(f"{name}: user {user!r} is not a numeric non-root uid")
        tag = c.get("image", "").rsplit("/", 1)[-1].partition(":")[2]
        if tag in ("", "latest") and "@sha256:" not in c.get("image", ""):
            problems.append(f"{name}: image {c.get('image')!r} has no fixed tag or digest")
        ports = [p.get("containerPort") for p in c.get("portMappings", [])]
        if ports != [image["port"]]:
            problems.append(f"{name}: container ports {ports}, the image exposes {image['port']}")
        check = " ".join(c.get("healthCheck", {}).get("command", []))
        if f":{image['port']}{routes['liveness']}" not in check:
            problems.append(f"{name}: health check does not ask :{image['port']}"
                            f"{routes['liveness']}")  # fmt: skip
        plain = [e["name"] for e in c.get("environment", []) if looks_secret(e["name"])]
        problems += [f"{name}: {var} is a plain environment value; use secrets" for var in plain]
        for s in c.get("secrets", []):
            if not s.get("valueFrom", "").startswith(("arn:aws:ssm:", "arn:aws:secretsmanager:")):
                problems.append(
                    f"{name}: secret {s.get('name')} is not from SSM or Secrets Manager"
                )
    return problems


def compose_services(path: Path = COMPOSE) -> pd.DataFrame:
    """The compose stack as a table: image or build, published ports, dependencies, check."""
    services = yaml.safe_load(Path(path).read_text())["services"]
    rows = []
    for name, s in services.items():
        test = s.get("healthcheck", {}).get("test", [])
        rows.append({"service": name,
                     "image": s.get("image") or f"build: {s['build'].get('dockerfile')}",
                     "ports": ", ".join(s.get("ports", [])),
                     "depends_on": ", ".join(s.get("depends_on", {})),
                     "healthcheck": " ".join(test[1:] if test else [])[:60]})  # fmt: skip
    return pd.DataFrame(rows)
