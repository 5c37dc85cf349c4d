"""The service's settings, read from environment variables prefixed ``LABS_``.

Why it matters: the same image runs on a laptop (SQLite file, model folder baked in) and
in the compose stack (PostgreSQL, the MLflow registry). Only the environment changes,
and a wrong value stops the service at start with the variable's name, not at the first
request.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from labs_common import paths

#: The hard upper bound of a batch request (the OpenAPI schema states it).
MAX_BATCH = 1000


class ServiceSettings(BaseSettings):
    """Every knob of the service; each field is ``LABS_<FIELD>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="LABS_", extra="ignore")

    model_uri: str | None = Field(
        None,
        description="models:/NAME@ALIAS, or a model folder such as models/model; "
        "empty: the registry's champion",
    )
    model_alias: str = Field("champion", pattern=r"^[A-Za-z0-9_-]+$")
    threshold: float | None = Field(None, ge=0, le=1, description="override the registered one")
    predictions_db: Path = Field(paths.DATA / "predictions" / "predictions.db")
    predictions_dsn: SecretStr | None = Field(None, description="postgresql://... (wins)")
    api_key: SecretStr | None = Field(None, description="if set, predict routes need X-API-Key")
    max_batch: int = Field(MAX_BATCH, ge=1, le=MAX_BATCH)
    max_body_bytes: int = Field(1_000_000, ge=1024, le=50_000_000)
    max_header_bytes: int = Field(
        16_384,
        ge=1024,
        le=1_048_576,
        description="request line and headers together; more gets 400 before any is kept",
    )
    model_threads: int = Field(1, ge=1, le=64, description="OpenMP/BLAS threads per predict")
    micro_batch_rows: int = Field(
        64,
        ge=1,
        le=MAX_BATCH,
        description="most flights one model call scores when requests "
        "queue up (1: one request per call)",
    )
    log_batch_rows: int = Field(500, ge=1)
    log_flush_seconds: float = Field(
        0.5,
        gt=0,
        le=60,
        description="write queued log rows at least this often; a SIGKILL loses at most "
        "about this many seconds of answered predictions",
    )
    log_stall_seconds: float = Field(
        5.0, gt=0, le=600, description="a log store blocked this long makes /ready say 503"
    )

    @field_validator("predictions_dsn")
    @classmethod
    def _dsn_is_postgres(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value():
            if not value.get_secret_value().startswith(("postgresql://", "postgres://")):
                raise ValueError(
                    "LABS_PREDICTIONS_DSN must start with postgresql://; "
                    "unset it to use the SQLite file LABS_PREDICTIONS_DB"
                )
            return value
        return None

    @field_validator("api_key")
    @classmethod
    def _empty_key_is_none(cls, value: SecretStr | None) -> SecretStr | None:
        return value if value is not None and value.get_secret_value() else None

    @property
    def log_target(self) -> str | Path:
        """The DSN when one is set, else the SQLite file."""
        if self.predictions_dsn is not None:
            return self.predictions_dsn.get_secret_value()
        return self.predictions_db


def get_service_settings() -> ServiceSettings:
    """Build the settings from the current environment (not cached: tests patch it)."""
    return ServiceSettings()
