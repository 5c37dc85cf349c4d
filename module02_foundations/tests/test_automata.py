"""The hand-made regex compiler agrees with Python's ``re`` on thousands of strings."""

from __future__ import annotations

import random
import re

import pytest

from module02_foundations import automata

PATTERNS = [
    r"^[A-Z0-9]{4,6}$",  # tailnum in module 01's contract
    r"^[A-Z0-9]{3}$",  # dest
    r"^[A-Z0-9]{3,4}$",  # faa
    r"^([01][0-9]|2[0-3])[0-5][0-9]$",  # a 24-hour clock time HHMM
    r"^N[0-9]{1,4}[A-Z]{0,2}$",  # a US civil registration, roughly
    r"(ab|a)*c+",
    r"a?b*.\d",
    r"[^A-Z]+x{2,}",
    r"(x|y(z|\.))*",
]


def _strings(pattern: str, n: int, seed: int) -> list[str]:
    """Random strings over the pattern's own characters (weighted 3:1) and a few more."""
    rng = random.Random(seed)
    chars = sorted({c for c in pattern if c.isprintable()}) * 3 + sorted("AZN0159abxyz. -")
    return ["".join(rng.choice(chars) for _ in range(rng.randint(0, 9))) for _ in range(n)]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_compile_regex_agrees_with_re(pattern: str) -> None:
    dfa = automata.compile_regex(pattern)
    strings = _strings(pattern, 4000, seed=len(pattern))
    wrong = [s for s in strings if dfa.accepts(s) != bool(re.fullmatch(pattern, s))]
    assert not wrong, f"{pattern}: the DFA and re disagree on {wrong[:5]}"
    assert sum(map(dfa.accepts, strings)) > 0, "no string matched: the test would prove little"


def test_compile_regex_agrees_with_re_on_real_tailnums(flights) -> None:
    pattern = PATTERNS[0]
    dfa = automata.compile_regex(pattern)
    tails = flights["tailnum"].dropna().astype(str).unique().tolist()
    assert [t for t in tails if dfa.accepts(t) != bool(re.fullmatch(pattern, t))] == []


@pytest.mark.parametrize(
    ("pattern", "states"),
    [(r"^[A-Z0-9]{3}$", 5), (r"^[A-Z0-9]{4,6}$", 8), (r"a*", 2), (r"(a|b)*abb", 5)],
    ids=["3-chars", "4-to-6", "a-star", "textbook-abb"],
)
def test_compile_regex_is_minimal(pattern: str, states: int) -> None:
    # (a|b)*abb: the dragon book's 4-state minimal DFA, plus the dead state of other chars.
    assert automata.compile_regex(pattern).n_states == states


def test_accepts_rejects_characters_outside_the_alphabet() -> None:
    assert not automata.compile_regex(r".+").accepts("é")


@pytest.mark.parametrize("bad", ["(ab", "a)", "[A-Z", "*a", "a{2"], ids=str)
def test_parse_rejects_malformed_patterns(bad: str) -> None:
    with pytest.raises(ValueError, match=re.escape(bad[:1]) + "|ends too early|unclosed|unbal"):
        automata.parse(bad)


def test_transition_table_groups_characters_into_classes() -> None:
    table = automata.transition_table(automata.compile_regex(r"^[A-Z0-9]{3}$"))
    assert "0-9A-Z" in table.columns
    assert table.shape == (5, 2)
    assert table.index[0] == "*0"
