"""Theory of computation, part 1: the data contract's patterns as finite automata.

Lesson: module 02, notebook 05. Module 01's contract checks columns with regular
expressions (a tail number is ``^[A-Z0-9]{4,6}$``). A regular expression is a finite
automaton in disguise: this file compiles one by hand, the textbook way (parse, Thompson's
construction of an NFA, the subset construction of a DFA, Moore's minimisation), and the
tests check the result against Python's ``re`` on thousands of strings. A DFA reads each
character once and remembers nothing but its state: that is why a contract check costs
O(length) per value, and why no regular expression can check balanced brackets.

Supported syntax (enough for the contract): literals, ``.``, classes ``[A-Z0-9]`` and
``[^...]``, ``\\d``, ``\\w``, ``\\s``, escapes, groups ``( )``, ``|``, ``*``, ``+``,
``?``, ``{m}``, ``{m,}``, ``{m,n}``; ``^`` and ``$`` only at the ends (a whole-value
match, as pandera's ``str_matches`` with both anchors). Characters: printable ASCII.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

import pandas as pd

#: The alphabet of every automaton here: printable ASCII. Anything else is rejected.
ALPHABET = tuple(chr(c) for c in range(32, 127))
_CLASSES = {
    "d": frozenset("0123456789"),
    "w": frozenset(c for c in ALPHABET if c.isalnum() or c == "_"),
    "s": frozenset(" "),
}

# A parsed expression is a small tree of tuples:
# ("set", chars) one character out of chars; ("eps",) the empty string;
# ("cat", a, b) a then b; ("alt", a, b) a or b; ("star", a) a repeated 0+ times.
Node = tuple


@dataclass(frozen=True)
class DFA:
    """A deterministic finite automaton over :data:`ALPHABET`, total (a dead state included).

    Attributes:
        start: the start state.
        accepting: the states in which the input is accepted.
        table: ``table[state][char]`` is the next state.
    """

    start: int
    accepting: frozenset[int]
    table: tuple[dict[str, int], ...]

    @property
    def n_states(self) -> int:
        return len(self.table)

    def accepts(self, text: str) -> bool:
        """Run the automaton on ``text``: one table look-up per character, no memory else.

        Example:
            >>> compile_regex(r"^[A-Z0-9]{4,6}$").accepts("N14228")
            True
        """
        state = self.start
        for char in text:
            if char not in self.table[state]:
                return False
            state = self.table[state][char]
        return state in self.accepting


class _Parser:
    """Recursive descent over the grammar: alternation > concatenation > repetition > atom."""

    def __init__(self, pattern: str) -> None:
        self.text, self.pos = pattern, 0

    def peek(self) -> str | None:
        return self.text[self.pos] if self.pos < len(self.text) else None

    def take(self) -> str:
        char = self.peek()
        if char is None:
            raise ValueError(f"pattern {self.text!r} ends too early")
        self.pos += 1
        return char

    def alternation(self) -> Node:
        node = self.concatenation()
        while self.peek() == "|":
            self.take()
            node = ("alt", node, self.concatenation())
        return node

    def concatenation(self) -> Node:
        node: Node = ("eps",)
        while self.peek() not in (None, "|", ")"):
            node = ("cat", node, self.repetition())
        return node

    def repetition(self) -> Node:
        node = self.atom()
        while self.peek() in ("*", "+", "?", "{"):
            op = self.take()
            if op == "*":
                node = ("star", node)
            elif op == "+":
                node = ("cat", node, ("star", node))
            elif op == "?":
                node = ("alt", node, ("eps",))
            else:
                node = _repeat(node, *self.bounds())
        return node

    def bounds(self) -> tuple[int, int | None]:
        end = self.text.find("}", self.pos)
        if end < 0:
            raise ValueError(f"unclosed {{ in {self.text!r}")
        low, comma, high = self.text[self.pos : end].partition(",")
        self.pos = end + 1
        lo = int(low)
        return lo, (int(high) if high else None) if comma else lo

    def atom(self) -> Node:
        char = self.take()
        if char == "(":
            node = self.alternation()
            if self.take() != ")":
                raise ValueError(f"unbalanced ( in {self.text!r}")
            return node
        if char == "[":
            return ("set", self.char_class())
        if char == ".":
            return ("set", frozenset(ALPHABET))
        if char == "\\":
            escaped = self.take()
            return ("set", _CLASSES.get(escaped, frozenset(escaped)))
        if char in "*+?{})^$":
            raise ValueError(f"unexpected {char!r} at position {self.pos - 1} of {self.text!r}")
        return ("set", frozenset(char))

    def char_class(self) -> frozenset[str]:
        negate = self.peek() == "^"
        if negate:
            self.take()
        chars: set[str] = set()
        while (char := self.take()) != "]":
            if char == "\\":
                chars |= _CLASSES.get(self.take(), set())
            elif self.peek() == "-" and self.text[self.pos + 1 : self.pos + 2] not in ("]", ""):
                self.take()
                chars |= {chr(c) for c in range(ord(char), ord(self.take()) + 1)}
            else:
                chars.add(char)
        return frozenset(set(ALPHABET) - chars) if negate else frozenset(chars)


def _repeat(node: Node, low: int, high: int | None) -> Node:
    """``node{low,high}`` as ``low`` copies, then optional copies (or a star if unbounded)."""
    out: Node = ("eps",)
    for _ in range(low):
        out = ("cat", out, node)
    if high is None:
        return ("cat", out, ("star", node))
    for _ in range(high - low):
        out = ("cat", out, ("alt", node, ("eps",)))
    return out


def parse(pattern: str) -> Node:
    """Parse ``pattern`` (anchored at both ends, see the module docstring) into a tree."""
    body = pattern.removeprefix("^")
    if body.endswith("$") and not body.endswith("\\$"):
        body = body[:-1]
    parser = _Parser(body)
    node = parser.alternation()
    if parser.peek() is not None:
        raise ValueError(f"unexpected {parser.peek()!r} at position {parser.pos} of {body!r}")
    return node


@dataclass
class NFA:
    """Thompson's NFA: character edges, empty (epsilon) edges, one start, one accept state."""

    edges: dict[int, list[tuple[frozenset[str], int]]]
    empty: dict[int, list[int]]
    start: int
    accept: int

    @property
    def n_states(self) -> int:
        return self.accept + 1


def to_nfa(node: Node) -> NFA:
    """Thompson's construction: each tree node becomes a fragment with one entry, one exit.

    Why it matters: the construction is mechanical and linear in the pattern's length; the
    NFA may be in several states at once, which the subset construction then removes.
    """
    edges: dict[int, list[tuple[frozenset[str], int]]] = {}
    empty: dict[int, list[int]] = {}
    new = count()

    def build(n: Node) -> tuple[int, int]:
        kind = n[0]
        if kind in ("set", "eps"):
            a, b = next(new), next(new)
            (edges if kind == "set" else empty).setdefault(a, []).append(
                (n[1], b) if kind == "set" else b
            )
            return a, b
        if kind == "cat":
            a1, b1 = build(n[1])
            a2, b2 = build(n[2])
            empty.setdefault(b1, []).append(a2)
            return a1, b2
        a, b = next(new), next(new)
        parts = [build(n[1])] + ([build(n[2])] if kind == "alt" else [])
        for entry, exit_ in parts:
            empty.setdefault(a, []).append(entry)
            empty.setdefault(exit_, []).append(b)
        if kind == "star":
            empty[a].append(b)
            empty.setdefault(parts[0][1], []).append(parts[0][0])
        return a, b

    start, accept = build(node)
    # Renumber so that the accept state is the largest number (n_states = accept + 1).
    states = {start, *edges, *empty, *(t for out in edges.values() for _, t in out)}
    states |= {t for out in empty.values() for t in out}
    order = [*sorted(states - {accept}), accept]
    rename = {old: i for i, old in enumerate(order)}
    return NFA(
        {rename[s]: [(c, rename[t]) for c, t in out] for s, out in edges.items()},
        {rename[s]: [rename[t] for t in out] for s, out in empty.items()},
        rename[start],
        rename[accept],
    )


def _closure(nfa: NFA, states: frozenset[int]) -> frozenset[int]:
    """All NFA states reachable from ``states`` by empty edges alone."""
    stack, seen = list(states), set(states)
    while stack:
        for nxt in nfa.empty.get(stack.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return frozenset(seen)


def determinise(nfa: NFA) -> DFA:
    """The subset construction: a DFA state is the set of NFA states the NFA could be in."""
    first = _closure(nfa, frozenset({nfa.start}))
    index, todo, table = {first: 0}, [first], []
    while todo:
        current = todo.pop(0)
        row = {}
        for char in ALPHABET:
            moved = {t for s in current for chars, t in nfa.edges.get(s, []) if char in chars}
            target = _closure(nfa, frozenset(moved))
            if target not in index:
                index[target] = len(index)
                todo.append(target)
            row[char] = index[target]
        table.append(row)
    accepting = frozenset(i for states, i in index.items() if nfa.accept in states)
    return DFA(0, accepting, tuple(table))


def minimise(dfa: DFA) -> DFA:
    """Moore's algorithm: merge states no input string can tell apart.

    Why it matters: the minimal DFA of a language is unique (up to names), so two patterns
    accept the same strings exactly when their minimal DFAs have the same shape.
    """
    block = [int(s in dfa.accepting) for s in range(dfa.n_states)]
    while True:
        signatures = [(block[s], *(block[dfa.table[s][c]] for c in ALPHABET))
                      for s in range(dfa.n_states)]  # fmt: skip
        # Number blocks in order of first appearance, so the start state's block is 0.
        order = [dfa.start, *(s for s in range(dfa.n_states) if s != dfa.start)]
        names: dict[tuple, int] = {}
        for s in order:
            names.setdefault(signatures[s], len(names))
        refined = [names[signatures[s]] for s in range(dfa.n_states)]
        if len(names) == len(set(block)):
            break
        block = refined
    table: list[dict[str, int]] = [{} for _ in range(len(names))]
    for s in range(dfa.n_states):
        table[refined[s]] = {c: refined[dfa.table[s][c]] for c in ALPHABET}
    accepting = frozenset(refined[s] for s in dfa.accepting)
    return DFA(refined[dfa.start], accepting, tuple(table))


def compile_regex(pattern: str) -> DFA:
    """Compile ``pattern`` to its minimal DFA: parse, Thompson NFA, subsets, Moore.

    Example:
        >>> compile_regex(r"^[A-Z0-9]{3}$").n_states  # 0, 1, 2, 3 characters read, dead
        5
    """
    return minimise(determinise(to_nfa(parse(pattern))))


def _describe(chars: list[str]) -> str:
    """Compress sorted characters into ranges: ``A-Z0-9`` style (the class they form)."""
    codes, parts = sorted(ord(c) for c in chars), []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        parts.append(chr(codes[i]) if i == j else f"{chr(codes[i])}-{chr(codes[j])}")
        i = j + 1
    if len(chars) > 40:  # the class of everything a pattern does not mention
        return f"other ({len(chars)} characters)"
    return "".join(parts)


def transition_table(dfa: DFA) -> pd.DataFrame:
    """The DFA as a table: one row per state, one column per class of characters.

    Characters that move every state the same way form one class (``A-Z0-9`` for the tail
    number pattern), so a 95-column table shrinks to a few readable columns. ``*`` marks
    the start state; accepting states end in ``(accept)``.
    """
    columns: dict[tuple[int, ...], list[str]] = {}
    for char in ALPHABET:
        columns.setdefault(tuple(row[char] for row in dfa.table), []).append(char)
    data = {_describe(chars): list(targets) for targets, chars in columns.items()}
    labels = [f"{'*' if s == dfa.start else ''}{s}{' (accept)' if s in dfa.accepting else ''}"
              for s in range(dfa.n_states)]  # fmt: skip
    return pd.DataFrame(data, index=pd.Index(labels, name="state"))
