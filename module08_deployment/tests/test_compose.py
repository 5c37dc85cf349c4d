"""The compose stack, checked offline the way `docker compose config` checks it.

Why it matters: no Docker engine runs here, and a compose file that does not parse, or
that refers to an image tag nobody can pull, only fails when an instructor types `docker
compose up` in class. These tests validate the file against the Compose Specification's
JSON schema (check-jsonschema ships it), interpolate it with docker/.env.example as
compose does, refuse floating image tags, and run the API's database role script against
a real PostgreSQL. The GitHub job `stack` (ci.yml) runs the real `docker compose config`
and brings the whole stack up.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from labs_common import paths

DOCKER = paths.ROOT / "docker"
COMPOSE = DOCKER / "compose.yaml"
#: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}; $$ is a "$".
_VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
#: A full version: v3.4.1, 3.8.8-python3.11, RELEASE.2025-09-07T16-13-09Z (MinIO's dates).
_VERSION = re.compile(r"^v?\d+\.\d+\.\d+([-.][A-Za-z0-9.-]+)?$|^RELEASE\.\d{4}-\d\d-\d\dT")
#: PostgreSQL numbers releases major.minor since 10: 16.15 is a full version, 3.11 is not.
_TWO_PART = {"postgres": re.compile(r"^\d+\.\d+(-[a-z0-9]+)?$")}
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


def check_jsonschema() -> str:
    found = Path(sys.executable).with_name("check-jsonschema")
    assert found.exists(), "check-jsonschema is not installed; run `make setup`"
    return str(found)


def env_example() -> dict[str, str]:
    lines = (DOCKER / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def interpolate(text: str, env: dict[str, str]) -> str:
    """Substitute variables as compose does; raise like it for a missing required one.

    Example:
        >>> interpolate("a=${A:-1} b=${B} c=$$HOME", {"B": "2"})
        'a=1 b=2 c=$HOME'
    """

    def one(match: re.Match) -> str:
        name, op, arg = match.groups()
        if name is None:
            return "$"
        value = env.get(name)
        unset_or_empty = not value if op and op.startswith(":") else value is None
        if op in (":-", "-"):
            return arg if unset_or_empty else value
        if op in (":?", "?") and unset_or_empty:
            raise ValueError(f"required variable {name} is missing a value: {arg}")
        return value or ""

    return _VARIABLE.sub(one, text)


def image_problem(reference: str) -> str | None:
    """Why an image reference is not pinned (None when it is: version tag, digest if any).

    Example:
        >>> image_problem("postgres:16")
        "postgres:16: tag '16' is not a full version"
    """
    name, _, digest = reference.partition("@")
    repo, _, tag = name.rpartition(":") if ":" in name.split("/")[-1] else (name, "", "")
    if not tag:
        return f"{reference}: no tag (means latest)"
    two_part = _TWO_PART.get(repo.split("/")[-1])
    if not (_VERSION.match(tag) or (two_part and two_part.match(tag))):
        return f"{reference}: tag {tag!r} is not a full version"
    if digest and not _DIGEST.match(digest):
        return f"{reference}: digest {digest!r} is not sha256:<64 hex>"
    return None


def image_references() -> list[str]:
    """Every image the stack pulls: compose `image:` keys and the Dockerfiles' bases."""
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    refs = [s["image"] for s in services.values() if "image" in s]
    for dockerfile in DOCKER.glob("*Dockerfile"):
        text = dockerfile.read_text()
        refs += re.findall(r"^ARG \w*IMAGE=(\S+)", text, re.M)
        refs += [r for r in re.findall(r"^FROM (\S+)", text, re.M) if not r.startswith("$")]
    return refs


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_compose_file_raw_and_interpolated_matches_the_compose_spec(tmp_path: Path) -> None:
    resolved = tmp_path / "compose.yaml"
    resolved.write_text(interpolate(COMPOSE.read_text(), env_example()))
    cmd = [
        check_jsonschema(),
        "--builtin-schema",
        "vendor.compose-spec",
        str(COMPOSE),
        str(resolved),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    api = yaml.safe_load(resolved.read_text())["services"]["api"]
    assert api["ports"] == ["127.0.0.1:8000:8000"]


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("${A}", {"A": "x"}, "x"),
        ("${A:-d}", {"A": ""}, "d"),
        ("${A-d}", {"A": ""}, ""),
        ("${A:?need A}", {"A": "x"}, "x"),
        ("$$A", {}, "$A"),
    ],
    ids=["plain", "empty-uses-default", "dash-keeps-empty", "required-set", "escaped"],
)
def test_interpolate_follows_compose_rules(text: str, env: dict, expected: str) -> None:
    assert interpolate(text, env) == expected


def test_a_missing_secret_stops_compose_with_the_variables_name() -> None:
    env = {k: v for k, v in env_example().items() if k != "GRAFANA_ADMIN_PASSWORD"}
    with pytest.raises(ValueError, match=r"GRAFANA_ADMIN_PASSWORD.*docker/\.env"):
        interpolate(COMPOSE.read_text(), env)


def test_every_secret_and_user_variable_is_required() -> None:
    text = COMPOSE.read_text()
    names = {m.group(1) for m in _VARIABLE.finditer(text) if m.group(1)}
    secret = {n for n in names if re.search(r"PASSWORD|_USER$", n)}
    guarded = set(re.findall(r"\$\{(\w+):\?", text))
    assert secret and secret <= guarded, f"add a ${{VAR:?...}} guard for {secret - guarded}"


@pytest.mark.parametrize(
    ("reference", "problem"),
    [
        ("postgres:16", "not a full version"),
        ("python:3.11-slim", "not a full version"),
        ("minio/minio", "no tag"),
        ("grafana/grafana:latest", "not a full version"),
        ("postgres:16.15@sha256:abc", "digest"),
        ("postgres:16.15-bookworm", None),
        ("postgres:16-bookworm", "not a full version"),
        ("python:3.11.14-slim-bookworm", None),
        ("quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", None),
        ("localhost:5000/app:1.2.3@sha256:" + "a" * 64, None),
    ],
    ids=lambda v: str(v),
)
def test_image_problem_tells_pinned_from_floating(reference: str, problem: str | None) -> None:
    found = image_problem(reference)
    assert (found is None) if problem is None else (problem in (found or "")), found


def test_every_image_has_an_explicit_version_and_a_digest() -> None:
    refs = image_references()
    assert len(refs) >= 7, refs
    problems = [p for p in map(image_problem, refs) if p]
    assert not problems, problems
    # A tag can be pushed again; a digest names one image for good.
    assert not [r for r in refs if "@sha256:" not in r], "every image pinned by digest"


def test_one_tag_one_digest() -> None:
    """The same image named twice (the Dockerfiles' shared base) carries the same digest."""
    digests: dict[str, set[str]] = {}
    for ref in image_references():
        name, _, digest = ref.partition("@")
        digests.setdefault(name, set()).add(digest)
    assert all(len(d) == 1 for d in digests.values()), digests


@pytest.mark.parametrize("name", ["mlflow.Dockerfile", "prefect.Dockerfile"])
def test_servers_are_built_from_the_lock(services: dict, name: str) -> None:
    """MLflow and Prefect servers run the versions the course's tests ran, not an image's."""
    text = (DOCKER / name).read_text()
    assert "--constraint /tmp/requirements.lock" in text and "COPY requirements.lock" in text
    built = {s["build"]["dockerfile"] for s in services.values() if "build" in s}
    assert f"docker/{name}" in built


def test_minio_comes_from_its_own_registry_with_the_s3_port_published(services: dict) -> None:
    assert not [n for n, s in services.items() if s.get("image", "").startswith("minio/")]
    assert services["minio"]["image"].startswith("quay.io/minio/minio:")
    assert "127.0.0.1:9000:9000" in services["minio"]["ports"]
    assert "local/dvc" in " ".join(services["minio-init"]["command"])


def test_prefect_server_is_in_the_stack_offline(services: dict) -> None:
    prefect = services["prefect"]
    assert prefect["command"][:3] == ["prefect", "server", "start"]
    assert prefect["environment"]["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert "127.0.0.1:4200:4200" in prefect["ports"]
    assert "/api/health" in " ".join(prefect["healthcheck"]["test"])


def test_api_logs_predictions_as_its_own_role(services: dict) -> None:
    dsn = services["api"]["environment"]["LABS_PREDICTIONS_DSN"]
    assert "${API_DB_USER}" in dsn and "POSTGRES_USER" not in dsn, dsn
    pg_env = services["postgres"]["environment"]
    assert {"API_DB_USER", "API_DB_PASSWORD"} <= set(pg_env)
    script = DOCKER / "postgres" / "20-api-role.sh"
    assert script.stat().st_mode & 0o111, "the entrypoint runs it only when executable"
    subprocess.run(["sh", "-n", str(script)], check=True)
    assert "api-role.psql" in script.read_text()


def _psql(dsn: str, *args: str) -> subprocess.CompletedProcess:
    cmd = ["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-d", dsn, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


@pytest.mark.slow
def test_api_role_writes_the_log_and_nothing_else(postgres_dsn: str) -> None:
    from module08_deployment.prediction_log import open_store, read_prediction_log
    from module08_deployment.tests.test_prediction_log import make_row

    if not shutil.which("psql"):
        pytest.skip("psql is not installed")
    base = postgres_dsn.rpartition("/")[0]
    for database in ("mlflow", "predictions"):
        _psql(postgres_dsn, "-c", f"CREATE DATABASE {database}")  # may exist: fine
    done = _psql(postgres_dsn, "-v", "api_user=api_test", "-v", "api_password=pw",
                 "-f", str(DOCKER / "postgres" / "api-role.psql"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    api = base.replace("//labs@", "//api_test@") + "/predictions"
    store = open_store(api)
    store.connect()  # creates its table in its own schema
    store.write([make_row(1), make_row(2)])
    store.close()
    assert len(read_prediction_log(api)) == 2
    role = _psql(api, "-tAc", "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles "
                 "WHERE rolname = current_user")  # fmt: skip
    assert role.stdout.strip() == "f|f|f"
    refused = {
        "mlflow database": _psql(
            base.replace("//labs@", "//api_test@") + "/mlflow", "-c", "SELECT 1"
        ),
        "create database": _psql(api, "-c", "CREATE DATABASE other"),
        "public schema": _psql(api, "-c", "CREATE TABLE public.t (x int)"),
    }
    allowed = [name for name, result in refused.items() if result.returncode == 0]
    assert not allowed, f"the API role could: {allowed}"


@pytest.mark.slow
def test_mlflow_server_on_postgres_stores_a_training_run(postgres_dsn: str, tmp_path: Path) -> None:
    """The compose MLflow command on real processes: PostgreSQL backend, served artifacts.

    Here the artifact destination is a folder (no S3 store runs here); the GitHub job runs
    the same check against MinIO.
    """
    import httpx

    from module08_deployment.server import free_port
    from module08_deployment.stack_check import log_training_run

    _psql(postgres_dsn, "-c", "CREATE DATABASE mlflow_check")
    store = postgres_dsn.replace("postgresql://", "postgresql+psycopg://").rpartition("/")[0]
    command = yaml.safe_load(COMPOSE.read_text())["services"]["mlflow"]["command"]
    flags = [f for f in command[2:] if not f.startswith(("--host", "--port", "--artifacts-"))]
    port, artifacts = free_port(), tmp_path / "artifacts"
    argv = [str(Path(sys.executable).with_name("mlflow")), "server", *flags,
            "--host=127.0.0.1", f"--port={port}", f"--artifacts-destination={artifacts}",
            f"--allowed-hosts=127.0.0.1:{port}"]  # fmt: skip
    env = {**os.environ, "MLFLOW_BACKEND_STORE_URI": f"{store}/mlflow_check"}
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(180):
            assert server.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        result = log_training_run(url)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert any(p.endswith("MLmodel") for p in result["artifacts"]), result
    stored = [p.name for p in artifacts.rglob("*")]
    assert "MLmodel" in stored and "model.skops" in stored, stored
    runs = _psql(f"{postgres_dsn.rpartition('/')[0]}/mlflow_check", "-tAc",
                 f"SELECT status FROM runs WHERE run_uuid = '{result['run_id']}'")  # fmt: skip
    assert runs.stdout.strip() == "FINISHED", runs.stdout + runs.stderr
