# The MLflow tracking server of the compose stack, built from the course's lock: the same
# MLflow the course runs, the driver of its PostgreSQL backend store (psycopg) and of its
# MinIO (S3) artifact store (boto3). Build context: the repository root.
# The base is pinned by version and digest (module08_deployment/stack.md: how to refresh).
ARG BASE_IMAGE=python:3.11.14-slim-bookworm@sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d
FROM ${BASE_IMAGE}
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true
COPY requirements.lock /tmp/requirements.lock
RUN pip install --constraint /tmp/requirements.lock mlflow "psycopg[binary]" boto3
USER 10001:10001
