"""Tests of the governance helpers: quasi-identifiers, codes, the attack, retention."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

from module01_intro import privacy


def test_quasi_identifiers_by_hand() -> None:
    df = pd.DataFrame({"a": ["x", "x", "y", "z", None], "b": [1, 1, 1, 2, 2]})
    got = privacy.quasi_identifiers(df, {"a": ["a"], "b": ["b"], "ab": ["a", "b"]})
    assert got.loc["a"][["groups", "k"]].tolist() == [3, 1]
    assert got.loc["a", "unique_share"] == pytest.approx(2 / 4)  # y and z; the None row left out
    assert got.loc["b"][["groups", "k", "unique_share"]].tolist() == [2, 2, 0.0]
    assert got.loc["ab", "columns"] == "a, b"


def test_plain_code_is_unsalted_sha256() -> None:
    assert privacy.plain_code("N14228") == hashlib.sha256(b"N14228").hexdigest()[:16]


def test_keyed_code_depends_on_key() -> None:
    a, b = privacy.keyed_code("N14228", b"k1"), privacy.keyed_code("N14228", b"k2")
    assert a != b
    assert a == hmac.new(b"k1", b"N14228", hashlib.sha256).hexdigest()[:16]
    assert a == privacy.keyed_code("N14228", b"k1")  # stable: joins still work


def test_dictionary_attack_reverses_plain_codes_only() -> None:
    values = pd.Series(["N1", "N2", None, "N9"])
    codes = values.dropna().map(privacy.plain_code)
    got = privacy.dictionary_attack(codes, ["N1", "N2", "N3"], privacy.plain_code)
    assert got.tolist()[:2] == ["N1", "N2"]
    assert pd.isna(got.iloc[2])  # N9 is not among the candidates
    keyed = values.dropna().map(lambda v: privacy.keyed_code(v, b"secret"))
    assert privacy.dictionary_attack(keyed, ["N1", "N2"], privacy.plain_code).isna().all()


def test_hash_rate_positive() -> None:
    assert privacy.hash_rate(privacy.plain_code, n=1000) > 0


def test_expire_columns_blanks_old_rows_only() -> None:
    when = pd.to_datetime(["2013-01-01", "2013-06-01", "2013-12-01"]).tz_localize("UTC")
    df = pd.DataFrame({"when": when, "tailnum": ["A", "B", "C"], "delay": [1, 2, 3]})
    got = privacy.expire_columns(df, ["tailnum"], "when", when[2], keep_days=200)
    assert got["tailnum"].isna().tolist() == [True, False, False]
    assert got["delay"].tolist() == [1, 2, 3]
    assert df["tailnum"].notna().all()  # a copy


def test_expire_columns_negative_days_raises() -> None:
    df = pd.DataFrame({"when": pd.to_datetime(["2013-01-01"]), "x": [1]})
    with pytest.raises(ValueError, match="keep_days must be 0 or more, got -1"):
        privacy.expire_columns(df, ["x"], "when", pd.Timestamp("2013-02-01"), keep_days=-1)
