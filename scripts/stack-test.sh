#!/usr/bin/env bash
# Check a running compose stack (docker compose -f docker/compose.yaml up --build --wait):
# the API answers /ready and one /predict, a training run lands in the MLflow server with
# its model in MinIO (S3), the prediction is in PostgreSQL (as the API's own role),
# Prometheus scrapes the API (target up), Grafana is healthy, the Prefect server answers.
# Run from the repository root after `make setup`; the GitHub job `stack` runs it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
COMPOSE=(docker compose -f docker/compose.yaml)
set -a; . docker/.env; set +a
API="http://127.0.0.1:${API_PORT:-8000}"

say() { printf '== stack-test: %s\n' "$*"; }
fail() { printf 'stack-test: FAIL: %s\n' "$*" >&2; exit 1; }
retry() {  # seconds, command...: run until it succeeds or the time is up
  local until=$((SECONDS + $1)); shift
  until "$@"; do [ "$SECONDS" -lt "$until" ] || return 1; sleep 3; done
}

curl -fsS "$API/ready" | grep -q '"ready"' || fail "/ready"
say "/ready ok"
flight='{"year":2013,"month":11,"day":1,"sched_dep_time":545,"sched_arr_time":855,"carrier":"AA","flight":2243,"tailnum":"N5CLAA","origin":"JFK","dest":"MIA","distance":1089}'
curl -fsS -X POST -H 'Content-Type: application/json' -d "$flight" "$API/predict" | grep -q '"probability"' || fail "/predict"
say "/predict ok"

.venv/bin/python -m module08_deployment.stack_check http://127.0.0.1:5000 || fail "MLflow run"
"${COMPOSE[@]}" exec -T minio sh -c \
  'mc alias set local http://127.0.0.1:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null && mc ls --recursive local/mlflow' \
  | grep -q MLmodel || fail "no MLmodel in the S3 bucket mlflow"
say "training run logged, its model in S3 (bucket mlflow)"

logged() {
  local n
  n=$("${COMPOSE[@]}" exec -T postgres psql -U "$API_DB_USER" -d predictions -tAc 'SELECT count(*) FROM predictions')
  [ "${n:-0}" -ge 1 ]
}
retry 30 logged || fail "no prediction in PostgreSQL"
say "prediction logged in PostgreSQL as $API_DB_USER"

target_up() {
  curl -fsS http://127.0.0.1:9090/api/v1/targets | .venv/bin/python -c \
    'import json,sys; t=json.load(sys.stdin)["data"]["activeTargets"]; sys.exit(not any(x["labels"]["job"]=="flights-api" and x["health"]=="up" for x in t))'
}
retry 90 target_up || fail "Prometheus target flights-api is not up"
say "Prometheus scrapes the API"
curl -fsS http://127.0.0.1:3000/api/health | grep -q '"ok"' || fail "Grafana health"
say "Grafana healthy"
curl -fsS http://127.0.0.1:4200/api/health | grep -q true || fail "Prefect server"
say "Prefect server answers"
say "PASS"
