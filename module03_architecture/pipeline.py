"""Lesson 04, pipeline design: the capstone's stage graph and data lineage, from ``dvc.yaml``.

Why it matters: a pipeline is a graph. A stage depends on another when it reads a file
the other writes; nobody draws those arrows by hand, they follow from each stage's
``deps`` and ``outs``. The same graph answers "what must rerun when this changes?" and
"where did this file come from?" (lineage), and shows which stages may run in parallel.
This is what ``dvc dag`` draws; here it is in 100 lines you can read.
"""

from __future__ import annotations

from collections.abc import Iterable
from graphlib import TopologicalSorter
from pathlib import Path
from typing import TYPE_CHECKING

from labs_common.artifacts import read_dvc_stages as load_stages
from labs_common.artifacts import stage_io

if TYPE_CHECKING:  # matplotlib only to draw: the stub stages import this file fast
    from matplotlib.axes import Axes

Edge = tuple[str, str]


def _overlaps(a: str, b: str) -> bool:
    """True when two paths are the same or one is a folder holding the other."""
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def stage_graph(dvc_yaml_path: Path) -> list[Edge]:
    """Edges ``(upstream, downstream)`` between stages: downstream reads what upstream writes.

    Why it matters: this is the whole of ``dvc dag``. Declaring files, not order, lets the
    tool find the order, rerun only what changed, and refuse a cycle.

    Example: a stage with ``outs: [data/raw]`` and one with ``deps: [data/raw/flights.parquet]``
    give the edge ``("ingest", "features")``.
    """
    io = {name: stage_io(stage) for name, stage in load_stages(dvc_yaml_path).items()}
    edges = {
        (up, down)
        for up, (_, outs) in io.items()
        for down, (deps, _) in io.items()
        if up != down and any(_overlaps(o, d) for o in outs for d in deps)
    }
    return sorted(edges)


def _predecessors(edges: Iterable[Edge], nodes: Iterable[str] = ()) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {n: set() for n in nodes}
    for up, down in edges:
        graph.setdefault(up, set())
        graph.setdefault(down, set()).add(up)
    return graph


def execution_layers(edges: Iterable[Edge], nodes: Iterable[str] = ()) -> list[list[str]]:
    """Stages grouped into layers: each layer needs only earlier layers, so it may run in parallel.

    Raises:
        graphlib.CycleError: the graph has a cycle (DVC refuses those too).
    """
    sorter = TopologicalSorter(_predecessors(edges, nodes))
    sorter.prepare()
    layers = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        layers.append(ready)
        sorter.done(*ready)
    return layers


def lineage(dvc_yaml_path: Path, target: str) -> list[str]:
    """Every stage and input file upstream of ``target`` (a file path or a stage name).

    Why it matters: when a number in a report looks wrong, lineage says which data and
    which code made it, and therefore where to look.

    Returns:
        Stage names and the raw inputs they read, in pipeline order, ``target`` excluded.
    """
    stages = load_stages(dvc_yaml_path)
    io = {name: stage_io(stage) for name, stage in stages.items()}
    producers = [n for n, (_, outs) in io.items() if any(_overlaps(o, target) for o in outs)]
    if target not in stages and not producers:
        raise ValueError(f"no stage is named or writes {target!r}; stages: {sorted(stages)}")
    edges = stage_graph(dvc_yaml_path)
    wanted, todo = set(), [target] if target in stages else producers
    while todo:
        name = todo.pop()
        wanted.add(name)
        todo += [up for up, down in edges if down == name and up not in wanted]
    order = [n for layer in execution_layers(edges, stages) for n in layer if n in wanted]
    made = [o for n in order for o in io[n][1]]
    inputs = {d for n in order for d in io[n][0] if not any(_overlaps(d, o) for o in made)}
    return sorted(inputs) + [n for n in order if n != target]


def draw_stage_graph(edges: list[Edge], nodes: Iterable[str] = (), ax: Axes | None = None) -> Axes:
    """Draw the stage graph left to right, one column per execution layer."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(10, 3))[1]
    layers = execution_layers(edges, nodes)
    pos = {n: (x, (len(layer) - 1) / 2 - y) for x, layer in enumerate(layers)
           for y, n in enumerate(layer)}  # fmt: skip
    for i, (up, down) in enumerate(edges):
        span = pos[down][0] - pos[up][0]  # edges skipping layers bend, above or below
        rad = 0.0 if span <= 1 else (-1) ** i * 0.7 / span
        arrow = {"arrowstyle": "->", "shrinkA": 22, "shrinkB": 22, "color": "grey",
                 "connectionstyle": f"arc3,rad={rad}"}  # fmt: skip
        ax.annotate("", xy=pos[down], xytext=pos[up], arrowprops=arrow)
    box = {"boxstyle": "round", "facecolor": "#dbe9f6", "edgecolor": "#4a79a5"}
    for name, (x, y) in pos.items():
        ax.text(x, y, name, ha="center", va="center", bbox=box)
    half = max(map(len, layers)) / 2
    ax.set(xlim=(-0.6, len(layers) - 0.4), ylim=(-half - 0.4, half + 0.4))
    ax.axis("off")
    return ax
