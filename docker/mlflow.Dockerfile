# The MLflow tracking server of the compose stack: the official image plus the drivers for
# its PostgreSQL backend store (psycopg) and its MinIO (S3) artifact store (boto3).
ARG MLFLOW_IMAGE=ghcr.io/mlflow/mlflow:v3.17.2
FROM ${MLFLOW_IMAGE}
RUN pip install --no-cache-dir "psycopg[binary]==3.3.9" "boto3==1.35.36"
USER 10001:10001
