from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from module08_deployment.service.settings import MAX_BATCH, ServiceSettings


def test_settings_read_labs_variables(monkeypatch: pytest.MonkeyPatch, clean_env: None) -> None:
    monkeypatch.setenv("LABS_MODEL_URI", "models/model")
    monkeypatch.setenv("LABS_MAX_BATCH", "10")
    monkeypatch.setenv("LABS_API_KEY", "k")
    monkeypatch.setenv("LABS_PREDICTIONS_DB", "/tmp/x.db")
    s = ServiceSettings()
    assert (s.model_uri, s.max_batch, s.api_key.get_secret_value()) == ("models/model", 10, "k")
    assert s.log_target == Path("/tmp/x.db")


def test_settings_defaults_serve_the_champion_and_log_to_sqlite(clean_env: None) -> None:
    s = ServiceSettings()
    assert (s.model_uri, s.model_alias, s.api_key, s.max_batch) == (
        None,
        "champion",
        None,
        MAX_BATCH,
    )
    assert s.log_target.name == "predictions.db"


def test_settings_dsn_wins_over_the_file(monkeypatch: pytest.MonkeyPatch, clean_env: None) -> None:
    monkeypatch.setenv("LABS_PREDICTIONS_DSN", "postgresql://u:p@db/predictions")
    assert ServiceSettings().log_target == "postgresql://u:p@db/predictions"


def test_settings_hide_secrets_in_their_repr(
    monkeypatch: pytest.MonkeyPatch, clean_env: None
) -> None:
    monkeypatch.setenv("LABS_API_KEY", "s3cret")
    monkeypatch.setenv("LABS_PREDICTIONS_DSN", "postgresql://u:pw@db/p")
    assert "s3cret" not in repr(ServiceSettings()) and "pw@" not in repr(ServiceSettings())


def test_settings_empty_key_and_dsn_mean_unset(
    monkeypatch: pytest.MonkeyPatch, clean_env: None
) -> None:
    monkeypatch.setenv("LABS_API_KEY", "")
    monkeypatch.setenv("LABS_PREDICTIONS_DSN", "")
    s = ServiceSettings()
    assert s.api_key is None and s.predictions_dsn is None


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "LABS_PREDICTIONS_DSN",
            "mysql://db",
            "LABS_PREDICTIONS_DSN must start with postgresql://",
        ),
        ("LABS_MAX_BATCH", "5000", "less than or equal to 1000"),
        ("LABS_THRESHOLD", "1.5", "less than or equal to 1"),
        ("LABS_MODEL_ALIAS", "bad alias", "should match pattern"),
    ],
    ids=["dsn", "batch", "threshold", "alias"],
)
def test_settings_reject_bad_values_naming_them(
    monkeypatch: pytest.MonkeyPatch, clean_env: None, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match=message):
        ServiceSettings()
