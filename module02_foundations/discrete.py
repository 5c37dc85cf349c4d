"""Discrete mathematics on the flights data: sets, relations, graphs and counting.

Lesson: module 02, notebook 01. A table is a set of tuples, a join is a relation between two
sets, and the routes flown from New York form a graph. We write breadth-first search and
Dijkstra ourselves and check them against ``scipy.sparse.csgraph``.
"""

from __future__ import annotations

import heapq
import logging
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

log = logging.getLogger(__name__)

Cardinality = str  # one of "1:1", "1:n", "n:1", "n:m"


def is_key(df: pd.DataFrame, columns: Sequence[str]) -> bool:
    """Return True when ``columns`` identify every row of ``df`` (unique, no missing value).

    Why it matters: a join on a column that is not a key on either side multiplies rows
    silently; checking keys first is the cheapest bug you will ever prevent.

    Example:
        >>> is_key(pd.DataFrame({"a": [1, 2], "b": [1, 1]}), ["a"])
        True
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"columns {missing} are not in the table; it has {list(df.columns)}")
    sub = df[list(columns)]
    return bool(sub.notna().all(axis=None) and not sub.duplicated().any())


def detect_cardinality(left: pd.DataFrame, right: pd.DataFrame, on: Sequence[str]) -> Cardinality:
    """Classify the relation between ``left`` and ``right`` on ``on`` as 1:1, 1:n, n:1 or n:m.

    Why it matters: flights -> planes is n:1 (many flights per plane); if planes had a
    duplicated tailnum the relation would become n:m and a join would duplicate flights.

    Example:
        >>> detect_cardinality(pd.DataFrame({"k": [1, 1]}), pd.DataFrame({"k": [1]}), ["k"])
        'n:1'
    """
    keys = list(on)
    left_side = "1" if not left[keys].dropna().duplicated().any() else "n"
    right_side = "1" if not right[keys].dropna().duplicated().any() else "n"
    if left_side == right_side == "n":
        return "n:m"
    return f"{left_side}:{right_side}"


def anti_join(left: pd.DataFrame, right: pd.DataFrame, on: Sequence[str]) -> pd.DataFrame:
    """Return the rows of ``left`` whose key has no match in ``right`` (SQL: NOT EXISTS).

    Why it matters: "which flights have no plane record?" is a set difference; a missing
    key (NA) never matches anything, as in SQL, so those rows are part of the answer.

    Example:
        >>> left = pd.DataFrame({"k": ["a", "b", None]})
        >>> anti_join(left, pd.DataFrame({"k": ["a"]}), ["k"])["k"].tolist()
        ['b', None]
    """
    keys = list(on)
    right_keys = right[keys].dropna().drop_duplicates()
    probe = left[keys].reset_index(drop=True)
    merged = probe.merge(right_keys, on=keys, how="left", indicator=True)
    unmatched = merged["_merge"].eq("left_only").to_numpy()
    return left[unmatched].copy()


def count_routes(flights: pd.DataFrame) -> int:
    """Count the distinct (origin, dest) pairs: the size of the set of directed routes."""
    return int(flights[["origin", "dest"]].astype(str).drop_duplicates().shape[0])


def count_combinations(n: int, k: int) -> int:
    """Return "n choose k" with the multiplicative formula, exactly, in integers.

    Why it matters: with 107 airports there are C(107, 2) possible airport pairs; comparing
    that with the routes really flown gives the density of the network.

    Example:
        >>> count_combinations(5, 2)
        10
    """
    if n < 0 or k < 0:
        raise ValueError(f"n and k must be non-negative, got n={n}, k={k}")
    if k > n:
        return 0
    k = min(k, n - k)
    result = 1
    for i in range(1, k + 1):
        result = result * (n - k + i) // i
    return result


@dataclass(frozen=True)
class RouteGraph:
    """An undirected weighted graph: ``adjacency[a][b]`` is the distance in miles."""

    adjacency: dict[str, dict[str, float]]

    @property
    def nodes(self) -> list[str]:
        return sorted(self.adjacency)


def build_route_graph(flights: pd.DataFrame) -> RouteGraph:
    """Build the route network: airports are nodes, a route flown is an edge (in miles).

    Why it matters: the data only has departures from New York, so we assume every route is
    flown both ways (an undirected graph); the edge weight is the shortest distance seen.
    """
    routes = (
        flights[["origin", "dest", "distance"]]
        .astype({"origin": str, "dest": str})
        .groupby(["origin", "dest"])["distance"]
        .min()
    )
    adjacency: dict[str, dict[str, float]] = {}
    for (a, b), miles in routes.items():
        adjacency.setdefault(a, {})[b] = float(miles)
        adjacency.setdefault(b, {})[a] = float(miles)
    log.info("Route graph: %d airports, %d edges", len(adjacency), count_edges(adjacency))
    return RouteGraph(adjacency)


def count_edges(adjacency: dict[str, dict[str, float]]) -> int:
    """Count undirected edges (each appears twice in the adjacency)."""
    return sum(len(n) for n in adjacency.values()) // 2


def compute_degrees(graph: RouteGraph) -> pd.Series:
    """Return each airport's degree (number of neighbours), largest first."""
    degrees = {node: len(nbrs) for node, nbrs in graph.adjacency.items()}
    return pd.Series(degrees, name="degree").sort_values(ascending=False, kind="stable")


def bfs_hops(graph: RouteGraph, source: str) -> dict[str, int]:
    """Return the fewest flights (hops) from ``source`` to every reachable airport.

    Why it matters: breadth-first search visits nodes in order of hop count, so the first
    time we reach an airport is the fewest connections a traveller needs: O(V + E).
    """
    _check_node(graph, source)
    hops = {source: 0}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        for nbr in graph.adjacency[node]:
            if nbr not in hops:
                hops[nbr] = hops[node] + 1
                queue.append(nbr)
    return hops


def dijkstra(graph: RouteGraph, source: str) -> tuple[dict[str, float], dict[str, str]]:
    """Return shortest distances in miles from ``source`` and each node's predecessor.

    Why it matters: with weights, the fewest hops is not the shortest trip; Dijkstra pops
    the closest unsettled airport from a heap, O((V + E) log V).
    """
    _check_node(graph, source)
    dist: dict[str, float] = {source: 0.0}
    prev: dict[str, str] = {}
    heap = [(0.0, source)]
    done: set[str] = set()
    while heap:
        d, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        for nbr, miles in graph.adjacency[node].items():
            if d + miles < dist.get(nbr, np.inf):
                dist[nbr], prev[nbr] = d + miles, node
                heapq.heappush(heap, (d + miles, nbr))
    return dist, prev


def shortest_path(graph: RouteGraph, source: str, target: str) -> tuple[list[str], float]:
    """Return the airports on the shortest trip from ``source`` to ``target`` and its miles."""
    dist, prev = dijkstra(graph, source)
    _check_node(graph, target)
    if target not in dist:
        raise ValueError(f"{target} cannot be reached from {source}")
    path = [target]
    while path[-1] != source:
        path.append(prev[path[-1]])
    return path[::-1], dist[target]


def to_csr(graph: RouteGraph) -> tuple[csr_matrix, list[str]]:
    """Return the graph as a sparse weight matrix (for scipy.sparse.csgraph) and node order."""
    nodes = graph.nodes
    index = {n: i for i, n in enumerate(nodes)}
    rows, cols, vals = [], [], []
    for a, nbrs in graph.adjacency.items():
        for b, miles in nbrs.items():
            rows.append(index[a])
            cols.append(index[b])
            vals.append(miles)
    return csr_matrix((vals, (rows, cols)), shape=(len(nodes), len(nodes))), nodes


def _check_node(graph: RouteGraph, node: str) -> None:
    if node not in graph.adjacency:
        raise KeyError(f"airport {node!r} is not in the route graph ({len(graph.nodes)} nodes)")
