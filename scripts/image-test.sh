#!/usr/bin/env bash
# Build the API image, run it on 127.0.0.1, check /health, /ready and one prediction, and
# remove the container. Needs models/model (run `dvc repro` first) and docker or podman.
#
#   scripts/image-test.sh                 # docker (if its daemon answers) or podman
#   scripts/image-test.sh --local-base    # root, no registry: build the base image from
#                                         # Debian packages with mmdebstrap, run podman
# Options: --engine docker|podman, --port N (default 8088), --tag NAME, --keep-image.
# Exit codes: 0 pass, 1 a check failed, 2 cannot run here (no engine, no model).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

LOCAL_BASE=0 ENGINE="" PORT=8088 TAG="localhost/flights-api:test" KEEP_IMAGE=0
BASE_TAG="localhost/localbase:bookworm"
while [ $# -gt 0 ]; do
  case "$1" in
    --local-base) LOCAL_BASE=1 ;;
    --engine) ENGINE="$2"; shift ;;
    --port) PORT="$2"; shift ;;
    --tag) TAG="$2"; shift ;;
    --keep-image) KEEP_IMAGE=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "image-test: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '== image-test: %s\n' "$*"; }
cannot() { printf 'image-test: cannot run: %s\n' "$*" >&2; exit 2; }
fail() { printf 'image-test: FAIL: %s\n' "$*" >&2; exit 1; }

[ -f models/model/MLmodel ] || cannot "models/model is missing; run \`dvc repro\` (or make demo) first"
[ -f reports/metrics.json ] || cannot "reports/metrics.json is missing; run \`dvc repro\` first"

# --- a base image without a registry: Debian's Python 3.11 via mmdebstrap (root only) ---
setup_local_base() {
  [ "$(id -u)" -eq 0 ] || cannot "--local-base needs root (apt-get, mmdebstrap, rootful podman)"
  if ! command -v podman >/dev/null || ! command -v mmdebstrap >/dev/null; then
    say "installing podman, runc, mmdebstrap with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc mmdebstrap >/dev/null
  fi
  # Defaults this kind of sandbox refuses: raise the ulimits podman sets, use runc.
  CONTAINERS_CONF="$(mktemp --suffix=.conf)"
  printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\n' \
    >"$CONTAINERS_CONF"
  export CONTAINERS_CONF
  ENGINE=podman
  if podman image exists "$BASE_TAG"; then
    say "reusing $BASE_TAG"
  else
    say "building $BASE_TAG from Debian packages (about a minute)"
    mmdebstrap --quiet --variant=minbase \
      --include=python3,python3-pip,python3-venv,python-is-python3,ca-certificates \
      --customize-hook='cp /usr/local/share/ca-certificates/*.crt "$1/usr/local/share/ca-certificates/" 2>/dev/null || true' \
      --customize-hook='chroot "$1" update-ca-certificates' \
      --customize-hook='rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED' \
      bookworm - /etc/apt/sources.list.d/debian.sources |
      podman import --change 'CMD ["/bin/bash"]' - "$BASE_TAG" >/dev/null
  fi
  BUILD_ARGS+=(--pull=never --build-arg "BASE_IMAGE=$BASE_TAG")
}

BUILD_ARGS=()
if [ "$LOCAL_BASE" -eq 1 ]; then
  setup_local_base
elif [ -z "$ENGINE" ]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then ENGINE=docker
  elif command -v podman >/dev/null; then ENGINE=podman
  else cannot "no container engine: docker has no daemon here and podman is not installed"
  fi
fi
say "engine: $ENGINE ($($ENGINE --version))"
# podman writes OCI images by default, which drop HEALTHCHECK; the docker format keeps it.
if [ "$ENGINE" = podman ]; then BUILD_ARGS+=(--format docker); fi

say "building $TAG"
start=$(date +%s)
$ENGINE build "${BUILD_ARGS[@]}" -f docker/Dockerfile -t "$TAG" . || fail "image build failed"
say "built in $(($(date +%s) - start)) s; size $($ENGINE image inspect "$TAG" --format '{{.Size}}') bytes"

CID=""
cleanup() {
  if [ -n "$CID" ]; then $ENGINE rm -f "$CID" >/dev/null 2>&1 || true; fi
  if [ "$KEEP_IMAGE" -eq 0 ]; then $ENGINE rmi -f "$TAG" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

CID=$($ENGINE run -d -p "127.0.0.1:$PORT:8000" "$TAG")
URL="http://127.0.0.1:$PORT"
say "container ${CID:0:12} on $URL"
for _ in $(seq 1 120); do
  curl -fsS "$URL/health" >/dev/null 2>&1 && break
  if [ "$($ENGINE inspect -f '{{.State.Running}}' "$CID")" != "true" ]; then
    $ENGINE logs "$CID" | tail -20 >&2; fail "the container stopped"
  fi
  sleep 1
done

check() {  # name, expected text, curl arguments...
  local name="$1" expected="$2"; shift 2
  local body
  body=$(curl -fsS "$@") || { $ENGINE logs "$CID" | tail -20 >&2; fail "$name: request failed"; }
  case "$body" in *"$expected"*) say "$name ok: $body" ;; *) fail "$name: expected $expected in $body" ;; esac
}
check /health '"ok"' "$URL/health"
check /ready '"ready"' "$URL/ready"
flight='{"year":2013,"month":11,"day":1,"sched_dep_time":545,"sched_arr_time":855,"carrier":"AA","flight":2243,"tailnum":"N5CLAA","origin":"JFK","dest":"MIA","distance":1089}'
check /predict '"probability"' -X POST -H 'Content-Type: application/json' -d "$flight" "$URL/predict"
uid=$($ENGINE exec "$CID" id -u)
[ "$uid" != "0" ] || fail "the container runs as root"
say "runs as uid $uid"
say "PASS"
