"""Wrong answers to module 01's exercises, each a small change of the reference answer."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

from module01_intro.contract import check_table


def _busiest(flights: pd.DataFrame, arrived_only: bool = False, swap: bool = False) -> tuple:
    rows = flights.dropna(subset=["arr_delay"]) if arrived_only else flights
    origin, dest = rows.groupby(["origin", "dest"], observed=True).size().idxmax()
    return (str(dest), str(origin)) if swap else (str(origin), str(dest))


def _greedy_route(flights: pd.DataFrame) -> tuple[str, str]:
    origin = flights["origin"].astype(str).value_counts().idxmax()
    dests = flights.loc[flights["origin"].astype(str) == origin, "dest"].astype(str)
    return origin, dests.value_counts().idxmax()


def _late(flights: pd.DataFrame, late_minutes: int = 15, *, ge: bool = False,
          keep_missing: bool = False, fixed: bool = False) -> pd.Series:  # fmt: skip
    rows = flights if keep_missing else flights.dropna(subset=["arr_delay"])
    limit = 15 if fixed else late_minutes
    late = rows["arr_delay"].ge(limit) if ge else rows["arr_delay"].gt(limit)
    return late.groupby(rows["origin"], observed=True).mean()


def _code(values: pd.Series, key: bytes, n: int = 16, keyed: bool = True) -> pd.Series:
    def code(v: object) -> str:
        if keyed:
            return hmac.new(key, str(v).encode(), hashlib.sha256).hexdigest()[:n]
        return hashlib.sha256(key + str(v).encode()).hexdigest()[:n]  # salted, not keyed

    return values.map(code, na_action="ignore")


MUTANTS = {
    "cancelled_share": {
        "counts, not a share": lambda f: float(f["arr_delay"].isna().sum()),
        "share of arrived flights": lambda f: float(f["arr_delay"].notna().mean()),
        "missing dep_delay instead": lambda f: float(f["dep_delay"].isna().mean()),
    },
    "busiest_route": {
        "arrived flights only": lambda f: _busiest(f, arrived_only=True),
        "(dest, origin)": lambda f: _busiest(f, swap=True),
        "busiest dest of the busiest origin": _greedy_route,
    },
    "late_share_by_origin": {
        ">= instead of >": lambda f, late_minutes=15: _late(f, late_minutes, ge=True),
        "cancelled flights counted as on time": lambda f, late_minutes=15: _late(
            f, late_minutes, keep_missing=True
        ),
        "late_minutes ignored (always 15)": lambda f, late_minutes=15: _late(
            f, late_minutes, fixed=True
        ),
    },
    "share_with_plane": {
        "share of distinct tail numbers": lambda f, p: float(
            pd.Series(f["tailnum"].dropna().unique()).isin(p["tailnum"]).mean()
        ),
        "among flights with a tailnum only": lambda f, p: float(
            f["tailnum"].dropna().isin(p["tailnum"]).mean()
        ),
        "the planes found in flights": lambda f, p: float(p["tailnum"].isin(f["tailnum"]).mean()),
    },
    "failing_columns": {
        "warnings counted too": lambda df, t: sorted(
            check_table(df, t).violations["column"].unique().tolist()
        ),
        "not unique": lambda df, t: sorted(check_table(df, t).errors["column"].tolist()),
        "not sorted": lambda df, t: check_table(df, t).errors["column"].unique().tolist()[::-1],
    },
    "pseudonymise": {
        "sha256(salt + value), not HMAC": lambda v, k: _code(v, k, keyed=False),
        "12 hex digits": lambda v, k: _code(v, k, n=12),
        "missing values hashed": lambda v, k: v.map(
            lambda x: hmac.new(k, str(x).encode(), hashlib.sha256).hexdigest()[:16]
        ),
    },
}
