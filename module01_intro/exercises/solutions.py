"""Reference answers to module 01's exercises (``starter.py`` never imports this file)."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

from module01_intro.contract import check_table


def cancelled_share(flights: pd.DataFrame) -> float:
    """Share of flights with no ``arr_delay`` (cancelled or diverted)."""
    return float(flights["arr_delay"].isna().mean())


def busiest_route(flights: pd.DataFrame) -> tuple[str, str]:
    """The ``(origin, dest)`` pair with the most scheduled flights."""
    counts = flights.groupby(["origin", "dest"], observed=True).size()
    origin, dest = counts.idxmax()
    return str(origin), str(dest)


def late_share_by_origin(flights: pd.DataFrame, late_minutes: int = 15) -> pd.Series:
    """Share of arrived flights more than ``late_minutes`` late, per origin."""
    arrived = flights.dropna(subset=["arr_delay"])
    late = arrived["arr_delay"].gt(late_minutes)
    return late.groupby(arrived["origin"], observed=True).mean()


def share_with_plane(flights: pd.DataFrame, planes: pd.DataFrame) -> float:
    """Share of flights whose tail number is in the planes table."""
    found = flights["tailnum"].isin(planes["tailnum"]) & flights["tailnum"].notna()
    return float(found.mean())


def failing_columns(df: pd.DataFrame, table: str) -> list[str]:
    """Columns that break an error rule of the contract, sorted."""
    return sorted(check_table(df, table).errors["column"].unique().tolist())


def pseudonymise(values: pd.Series, key: bytes) -> pd.Series:
    """Keyed codes: HMAC-SHA256 under ``key``, 16 hex digits; missing values stay missing."""

    def code(v: object) -> str:
        return hmac.new(key, str(v).encode(), hashlib.sha256).hexdigest()[:16]

    return values.map(code, na_action="ignore")
