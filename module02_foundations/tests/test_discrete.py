"""Tests of module02_foundations.discrete, checked against pandas, math and scipy."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.sparse.csgraph import breadth_first_order, shortest_path

from module02_foundations import discrete


@pytest.fixture
def toy_graph() -> discrete.RouteGraph:
    """A square A-B-C-D with a long diagonal A-C: fewest hops and shortest miles differ."""
    edges = {("A", "B"): 1.0, ("B", "C"): 1.0, ("C", "D"): 1.0, ("D", "A"): 5.0, ("A", "C"): 3.0}
    adjacency: dict[str, dict[str, float]] = {}
    for (a, b), w in edges.items():
        adjacency.setdefault(a, {})[b] = w
        adjacency.setdefault(b, {})[a] = w
    return discrete.RouteGraph(adjacency)


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (pd.DataFrame({"k": [1, 2, 3]}), True),
        (pd.DataFrame({"k": [1, 1, 3]}), False),
        (pd.DataFrame({"k": [1, None, 3]}), False),
    ],
    ids=["unique", "duplicate", "missing"],
)
def test_is_key_detects_duplicates_and_missing(frame: pd.DataFrame, expected: bool) -> None:
    assert discrete.is_key(frame, ["k"]) is expected


def test_is_key_rejects_unknown_column() -> None:
    with pytest.raises(KeyError, match="not in the table"):
        discrete.is_key(pd.DataFrame({"k": [1]}), ["nope"])


def test_is_key_on_real_tables(flights: pd.DataFrame, planes: pd.DataFrame) -> None:
    assert discrete.is_key(planes, ["tailnum"])
    assert not discrete.is_key(flights, ["tailnum"])


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ([1, 2], [1, 2], "1:1"),
        ([1, 2], [1, 1, 2], "1:n"),
        ([1, 1], [1], "n:1"),
        ([1, 1], [1, 1], "n:m"),
    ],
    ids=["one-one", "one-many", "many-one", "many-many"],
)
def test_detect_cardinality_cases(left: list[int], right: list[int], expected: str) -> None:
    got = discrete.detect_cardinality(pd.DataFrame({"k": left}), pd.DataFrame({"k": right}), ["k"])
    assert got == expected


def test_detect_cardinality_flights_to_planes(flights: pd.DataFrame, planes: pd.DataFrame) -> None:
    assert discrete.detect_cardinality(flights, planes, ["tailnum"]) == "n:1"


def test_anti_join_matches_pandas_indicator(flights: pd.DataFrame, planes: pd.DataFrame) -> None:
    got = discrete.anti_join(flights, planes, ["tailnum"])
    expected = ~flights["tailnum"].isin(planes["tailnum"]) | flights["tailnum"].isna()
    assert len(got) == int(expected.sum())
    assert got.index.equals(flights.index[expected.to_numpy()])
    assert got["tailnum"].isna().sum() == flights["tailnum"].isna().sum()


def test_anti_join_keeps_missing_keys() -> None:
    left = pd.DataFrame({"k": ["a", None, "c"]})
    right = pd.DataFrame({"k": ["a", None]})
    assert discrete.anti_join(left, right, ["k"])["k"].isna().sum() == 1


def test_count_routes_matches_groupby(flights: pd.DataFrame) -> None:
    expected = flights.groupby(["origin", "dest"], observed=True).ngroups
    assert discrete.count_routes(flights) == expected


@pytest.mark.parametrize(
    ("n", "k"),
    [(5, 2), (107, 2), (30, 15), (3, 5), (0, 0)],
    ids=["small", "airports", "big", "k>n", "zero"],
)
def test_count_combinations_matches_math_comb(n: int, k: int) -> None:
    assert discrete.count_combinations(n, k) == math.comb(n, k)


def test_count_combinations_rejects_negative() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        discrete.count_combinations(-1, 2)


def test_build_route_graph_is_symmetric(flights: pd.DataFrame) -> None:
    graph = discrete.build_route_graph(flights)
    for a, nbrs in graph.adjacency.items():
        for b, miles in nbrs.items():
            assert graph.adjacency[b][a] == miles
    assert discrete.count_edges(graph.adjacency) == discrete.count_routes(flights)


def test_compute_degrees_sum_is_twice_edges(flights: pd.DataFrame) -> None:
    graph = discrete.build_route_graph(flights)
    degrees = discrete.compute_degrees(graph)
    assert degrees.sum() == 2 * discrete.count_edges(graph.adjacency)
    assert degrees.index[0] == "EWR"


def test_bfs_hops_prefers_fewest_edges(toy_graph: discrete.RouteGraph) -> None:
    assert discrete.bfs_hops(toy_graph, "A") == {"A": 0, "B": 1, "C": 1, "D": 1}


def test_dijkstra_prefers_fewest_miles(toy_graph: discrete.RouteGraph) -> None:
    path, miles = discrete.shortest_path(toy_graph, "A", "D")
    assert path == ["A", "B", "C", "D"]
    assert miles == 3.0


def test_shortest_path_rejects_unknown_airport(toy_graph: discrete.RouteGraph) -> None:
    with pytest.raises(KeyError, match="not in the route graph"):
        discrete.shortest_path(toy_graph, "A", "ZZZ")


def test_bfs_and_dijkstra_match_scipy_on_routes(flights: pd.DataFrame) -> None:
    graph = discrete.build_route_graph(flights)
    matrix, nodes = discrete.to_csr(graph)
    miles = shortest_path(matrix, method="D", directed=False)
    hops = shortest_path(matrix, method="D", directed=False, unweighted=True)
    for source in ["SFO", "EWR", "LGA"]:
        i = nodes.index(source)
        dist, _ = discrete.dijkstra(graph, source)
        bfs = discrete.bfs_hops(graph, source)
        np.testing.assert_allclose([dist[n] for n in nodes], miles[i])
        np.testing.assert_array_equal([bfs[n] for n in nodes], hops[i])
    order = breadth_first_order(
        matrix, nodes.index("SFO"), directed=False, return_predecessors=False
    )
    assert len(order) == len(discrete.bfs_hops(graph, "SFO"))
