#!/bin/sh
# Runs once, when PostgreSQL starts on an empty volume (after 10-predictions.sql): create
# the API's least-privilege login from API_DB_USER and API_DB_PASSWORD (docker/.env).
# The SQL is in api-role.psql, which a test also runs against a real PostgreSQL.
set -eu
psql --no-psqlrc --no-password --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v api_user="$API_DB_USER" -v api_password="$API_DB_PASSWORD" \
    -f /docker-entrypoint-initdb.d/api-role.psql
