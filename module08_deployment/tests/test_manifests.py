"""The deployment files (deploy/k8s, deploy/ecs) are valid and agree with the service."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from module08_deployment import manifests as m

MANIFESTS = m.load_manifests()
DEPLOYMENT = MANIFESTS["Deployment"]
IMAGE = m.image_facts()
ROUTES = m.service_routes()
TASK = json.loads(m.ECS_TASK.read_text())
CLI = Path(sys.executable).parent / "check-jsonschema"
FILES = {"Deployment": "deployment.yaml", "Service": "service.yaml",
         "HorizontalPodAutoscaler": "hpa.yaml", "PersistentVolumeClaim": "pvc.yaml"}  # fmt: skip


def test_the_four_kinds_are_there() -> None:
    assert set(MANIFESTS) == set(FILES)


@pytest.mark.parametrize("kind", sorted(FILES))
def test_manifest_is_valid_against_its_kubernetes_schema(kind: str) -> None:
    assert m.schema_errors(MANIFESTS[kind]) == []


def _broken(path: list, value: object = None, rename: str | None = None) -> dict:
    doc = copy.deepcopy(DEPLOYMENT)
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if rename:
        parent[rename] = parent.pop(path[-1])
    else:
        parent[path[-1]] = value
    return doc


def _without(path: list) -> dict:
    doc = copy.deepcopy(DEPLOYMENT)
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return doc


CONTAINER = ["spec", "template", "spec", "containers", 0]


@pytest.mark.parametrize(
    ("doc", "where", "message"),
    [
        (_broken([*CONTAINER, "readinessProbe"], rename="readinesProbe"),
         "spec.template.spec.containers.0", "'readinesProbe' was unexpected"),
        (_broken(["spec", "replicas"], "2"), "spec.replicas", "is not of type 'integer'"),
        (_broken([*CONTAINER, "ports", 0, "containerPort"], 8000.5),
         "spec.template.spec.containers.0.ports.0.containerPort", "is not of type 'integer'"),
        (_without(["spec", "selector"]), "spec", "'selector' is a required property"),
    ],
    ids=["misspelled-field", "string-replicas", "float-port", "no-selector"],
)  # fmt: skip
def test_schema_errors_name_the_broken_field(doc: dict, where: str, message: str) -> None:
    errors = m.schema_errors(doc)
    assert any(e.startswith(f"{where}:") and message in e for e in errors), errors


def test_schema_errors_refuses_a_kind_without_schema() -> None:
    with pytest.raises(ValueError, match="no schema for \\('v1', 'ConfigMap'\\)"):
        m.schema_errors({"apiVersion": "v1", "kind": "ConfigMap"})


@pytest.mark.slow  # the command starts a Python process per call (seconds each)
def test_check_jsonschema_accepts_the_manifests_and_fails_a_broken_one(tmp_path: Path) -> None:
    for kind, name in FILES.items():
        schema = m.SCHEMA_DIR / m.SCHEMAS[(MANIFESTS[kind]["apiVersion"], kind)]
        ok = subprocess.run([CLI, "--schemafile", schema, m.K8S_DIR / name],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
        assert ok.returncode == 0, ok.stdout + ok.stderr
    broken = tmp_path / "deployment.yaml"
    broken.write_text((m.K8S_DIR / "deployment.yaml").read_text().replace(
        "readinessProbe:", "readinesProbe:"))  # fmt: skip
    schema = m.SCHEMA_DIR / m.SCHEMAS[("apps/v1", "Deployment")]
    bad = subprocess.run([CLI, "--schemafile", schema, broken], capture_output=True, text=True,
                         timeout=120)  # fmt: skip
    assert bad.returncode == 1
    assert "'readinesProbe' was unexpected" in bad.stdout


def test_probes_ask_the_services_routes_on_the_images_port() -> None:
    assert ROUTES == {"liveness": "/health", "readiness": "/ready"}
    assert m.probe_problems(DEPLOYMENT, ROUTES, IMAGE["port"]) == []


def test_probe_problems_catches_a_swapped_path_and_a_wrong_port() -> None:
    doc = _broken([*CONTAINER, "readinessProbe", "httpGet", "path"], "/health")
    doc = _broken_in(doc, [*CONTAINER, "livenessProbe", "httpGet", "port"], 8080)
    assert m.probe_problems(doc, ROUTES, IMAGE["port"]) == [
        "livenessProbe asks port 8080, the image exposes 8000",
        "readinessProbe asks /health, the service serves /ready",
    ]
    del doc["spec"]["template"]["spec"]["containers"][0]["startupProbe"]
    assert "no startupProbe" in m.probe_problems(doc, ROUTES, IMAGE["port"])


def _broken_in(doc: dict, path: list, value: object) -> dict:
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return doc


def test_the_image_and_the_health_check_agree_with_the_service() -> None:
    assert IMAGE["health_path"] == ROUTES["liveness"]
    assert m.container(DEPLOYMENT)["ports"][0]["containerPort"] == IMAGE["port"]


def test_the_pod_runs_as_the_images_user_on_a_read_only_root() -> None:
    pod = DEPLOYMENT["spec"]["template"]["spec"]
    uid, gid = (int(x) for x in IMAGE["user"].split(":"))
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert (pod["securityContext"]["runAsUser"], pod["securityContext"]["runAsGroup"]) == (uid, gid)
    box = m.container(DEPLOYMENT)["securityContext"]
    assert box["readOnlyRootFilesystem"] is True and box["allowPrivilegeEscalation"] is False
    assert box["capabilities"]["drop"] == ["ALL"]
    mounted = {v["mountPath"] for v in m.container(DEPLOYMENT)["volumeMounts"]}
    assert {"/tmp", "/data"} <= mounted, "a read-only root needs writable /tmp and /data"


def test_the_image_tag_is_fixed_and_secrets_come_from_a_secret() -> None:
    spec = m.container(DEPLOYMENT)
    assert spec["image"].rsplit(":", 1)[-1] not in ("latest", spec["image"])
    for env in spec["env"]:
        if m.looks_secret(env["name"]):
            assert "secretKeyRef" in env.get("valueFrom", {}), env["name"]


def test_service_and_autoscaler_point_at_the_deployment() -> None:
    labels = DEPLOYMENT["spec"]["template"]["metadata"]["labels"]
    service = MANIFESTS["Service"]["spec"]
    assert service["selector"].items() <= labels.items()
    port_names = {p["name"] for p in m.container(DEPLOYMENT)["ports"]}
    assert {p["targetPort"] for p in service["ports"]} <= port_names
    target = MANIFESTS["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", DEPLOYMENT["metadata"]["name"])
    assert "cpu" in m.container(DEPLOYMENT)["resources"]["requests"], "the HPA needs requests"


def test_ecs_task_definition_has_no_problem() -> None:
    assert TASK["requiresCompatibilities"] == ["FARGATE"]
    assert m.ecs_problems(TASK, IMAGE, ROUTES) == []


def _task(**change: object) -> dict:
    task = copy.deepcopy(TASK)
    task["containerDefinitions"][0].update(change)
    return task


@pytest.mark.parametrize(
    ("task", "problem"),
    [
        (_task(user="0"), "user '0' is not a numeric non-root uid"),
        (_task(user="app"), "user 'app' is not a numeric non-root uid"),
        (_task(image="flights-api:latest"), "has no fixed tag or digest"),
        (_task(image="registry.example.com:5000/flights-api"), "has no fixed tag or digest"),
        (_task(portMappings=[{"containerPort": 80}]), "container ports [80], the image exposes"),
        (_task(healthCheck={"command": ["CMD", "curl", "http://127.0.0.1:8000/ready"]}),
         "health check does not ask :8000/health"),
        (_task(environment=[{"name": "LABS_API_KEY", "value": "s3cret"}]),
         "LABS_API_KEY is a plain environment value"),
        (_task(secrets=[{"name": "LABS_API_KEY", "valueFrom": "s3cret"}]),
         "secret LABS_API_KEY is not from SSM or Secrets Manager"),
    ],
    ids=["root", "named-user", "latest", "no-tag", "port", "health-path", "plain-secret",
         "secret-not-arn"],
)  # fmt: skip
def test_ecs_problems_finds_each_broken_invariant(task: dict, problem: str) -> None:
    problems = m.ecs_problems(task, IMAGE, ROUTES)
    assert len(problems) == 1 and problem in problems[0], problems


def test_image_facts_needs_a_health_check(tmp_path: Path) -> None:
    bare = tmp_path / "Dockerfile"
    bare.write_text("FROM python:3.11-slim\nUSER 10001\nEXPOSE 8000\n")
    with pytest.raises(ValueError, match="lacks EXPOSE, USER or a HEALTHCHECK URL"):
        m.image_facts(bare)


def test_compose_services_lists_the_stack() -> None:
    table = m.compose_services().set_index("service")
    assert {"api", "mlflow", "postgres", "prometheus"} <= set(table.index)
    assert table.loc["api", "image"] == "build: docker/Dockerfile"
    assert all(p.startswith("127.0.0.1:") for p in ", ".join(table["ports"]).split(", ") if p)


def test_schema_folder_names_source_version_and_license() -> None:
    readme = (m.SCHEMA_DIR / "README.md").read_text()
    for fact in ("kubernetes-validate", "1.37.0", "v1.33.0", "Apache License 2.0"):
        assert fact in readme


def test_the_prediction_log_is_on_the_claim_not_an_emptydir() -> None:
    volumes = {v["name"]: v for v in DEPLOYMENT["spec"]["template"]["spec"]["volumes"]}
    claim = MANIFESTS["PersistentVolumeClaim"]["metadata"]["name"]
    assert volumes["predictions"] == {
        "name": "predictions",
        "persistentVolumeClaim": {"claimName": claim},
    }
    env = {e["name"]: e.get("value") for e in m.container(DEPLOYMENT)["env"]}
    mounts = {v["name"]: v["mountPath"] for v in m.container(DEPLOYMENT)["volumeMounts"]}
    assert env["LABS_PREDICTIONS_DB"].startswith(mounts["predictions"] + "/")
