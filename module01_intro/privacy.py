"""Lesson 03, data governance: quasi-identifiers, pseudonyms that hold, and retention.

Why it matters: the flights data names no passenger, yet a tail number with a date and an
airport points at one aircraft on one trip, and joined with a booking system (names,
booking references) at one person. Hashing such a short code without a secret protects
nothing: anyone can hash every candidate and look the answer up. These helpers measure how
identifying a set of columns is, show that attack, and expire personal columns on time.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Iterable

import pandas as pd

CODE_LENGTH = 16  # hex digits kept from the digest: 64 bits, ample for joining


def quasi_identifiers(df: pd.DataFrame, column_sets: dict[str, list[str]]) -> pd.DataFrame:
    """Measure how well each set of columns singles out a row.

    Why it matters: a set of columns is a quasi-identifier when many rows are alone in
    their group; ``k`` (the smallest group) is the "k" of k-anonymity: with k = 1 someone
    who knows those values about a person finds that person's row.

    Args:
        df: the table.
        column_sets: a name for each set of columns to test.

    Returns:
        One row per set: ``groups``, ``k`` (smallest group size) and ``unique_share`` (share
        of rows that are alone in their group). Rows with a missing value are left out.
    """
    rows = {}
    for name, cols in column_sets.items():
        sizes = df[cols].dropna().value_counts()
        unique = sizes[sizes == 1].sum() / max(sizes.sum(), 1)
        rows[name] = {
            "columns": ", ".join(cols),
            "groups": len(sizes),
            "k": int(sizes.min()),
            "unique_share": float(unique),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("set")


def plain_code(value: str) -> str:
    """Hash without a secret: SHA-256 of the value, first 16 hex digits. Do not use for PII."""
    return hashlib.sha256(value.encode()).hexdigest()[:CODE_LENGTH]


def keyed_code(value: str, key: bytes) -> str:
    """Pseudonym with a secret key: HMAC-SHA256, first 16 hex digits.

    Why it matters: the same value and key always give the same code, so tables still join;
    without the key nobody can recompute a code, so a list of candidates reveals nothing.
    HMAC is the standard way to hash with a secret; keep the key in a secret store, apart
    from the data, and rotate it when people who knew it leave.
    """
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:CODE_LENGTH]


def dictionary_attack(
    codes: pd.Series, candidates: Iterable[str], encode: Callable[[str], str]
) -> pd.Series:
    """Recover the original of each code by encoding every candidate and looking it up.

    Why it matters: this is what an attacker does with a public list (here the FAA aircraft
    register); if ``encode`` needs no secret, every code of a listed value is reversed.

    Returns:
        The recovered values, aligned with ``codes``; missing where no candidate matched.
    """
    lookup = {encode(c): c for c in candidates}
    return codes.map(lookup).astype("string")


def hash_rate(encode: Callable[[str], str], n: int = 50_000) -> float:
    """Measure how many values ``encode`` hashes per second on this machine (one core)."""
    start = time.perf_counter()
    for i in range(n):
        encode(f"N{i:05d}")
    return n / (time.perf_counter() - start)


def expire_columns(
    df: pd.DataFrame, columns: list[str], time_col: str, as_of: pd.Timestamp, keep_days: int
) -> pd.DataFrame:
    """Return a copy where ``columns`` are blanked in rows older than ``keep_days``.

    Why it matters: a retention rule ("personal fields are kept 90 days") is only real
    when code applies it; the rows and the non-personal columns stay for statistics.
    """
    if keep_days < 0:
        raise ValueError(f"keep_days must be 0 or more, got {keep_days}")
    out = df.copy()
    expired = out[time_col] < as_of - pd.Timedelta(days=keep_days)
    for col in columns:
        out[col] = out[col].mask(expired)
    return out
