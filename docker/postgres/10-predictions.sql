-- The compose stack's PostgreSQL holds two databases: mlflow (created from POSTGRES_DB)
-- for the tracking server, and predictions for the API's prediction log.
CREATE DATABASE predictions;
