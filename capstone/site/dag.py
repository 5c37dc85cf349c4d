"""The pipeline graph, as DVC builds it, drawn without graphviz.

Why it matters: ``dvc dag`` draws the same graph in a terminal; the site shows it to people
who never open one. The links come from DVC itself (a stage depends on another when one of
its inputs is, or sits inside, the other's output), so the picture cannot disagree with
the order ``dvc repro`` runs the stages in.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from markupsafe import Markup
from matplotlib.patches import FancyArrowPatch

from capstone.site.charts import STYLE, new_figure, to_svg
from labs_common.artifacts import read_dvc_stages, stage_io


def read_stages(dvc_yaml: Path) -> dict[str, dict]:
    """Return each stage's command, inputs and outputs (outs, metrics and plots).

    Example:
        >>> from labs_common import paths
        >>> list(read_stages(paths.ROOT / "dvc.yaml"))[:2]
        ['ingest', 'validate']
    """
    stages = read_dvc_stages(dvc_yaml)
    return {
        name: dict(zip(("deps", "outs"), stage_io(spec), strict=True), cmd=str(spec.get("cmd", "")))
        for name, spec in stages.items()
    }


def stage_edges(root: Path) -> list[tuple[str, str]]:
    """Return (upstream, downstream) pairs of DVC's own stage graph: what ``dvc dag`` draws.

    Example:
        >>> from labs_common import paths
        >>> ("train", "evaluate") in stage_edges(paths.ROOT)
        True
    """
    from dvc.repo import Repo

    with Repo(str(root)) as repo:
        # DVC's edges point from a stage to the stages it depends on.
        return sorted((dep.name, stage.name) for stage, dep in repo.index.graph.edges)


def stage_layers(stages: dict[str, dict], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Return each stage's column: the length of the longest chain of stages before it."""
    layer = dict.fromkeys(stages, 0)
    for _ in stages:  # at most len(stages) rounds settle an acyclic graph
        for up, down in edges:
            layer[down] = max(layer[down], layer[up] + 1)
    return layer


def reduce_edges(edges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop each link that another chain of links already implies (transitive reduction).

    Why it matters: ``monitor`` reads ``data/raw`` too, but it already runs after ``ingest``
    through the chain; drawing only the necessary arrows keeps the picture readable, and
    the table beside it still lists every input.

    Example:
        >>> reduce_edges([("a", "b"), ("b", "c"), ("a", "c")])
        [('a', 'b'), ('b', 'c')]
    """
    import networkx as nx

    kept = set(nx.transitive_reduction(nx.DiGraph(edges)).edges)
    return [edge for edge in edges if edge in kept]


def draw_dag(stages: dict[str, dict], edges: list[tuple[str, str]]) -> Markup:
    """Draw the stages as boxes, left to right, with the necessary arrows between them.

    Why it matters: the picture is the order ``dvc repro`` runs the stages in; stages in
    the same column do not depend on each other.
    """
    layer = stage_layers(stages, edges)
    rows: dict[int, int] = {}
    pos = {}
    for name in stages:
        pos[name] = (layer[name], -rows.get(layer[name], 0))
        rows[layer[name]] = rows.get(layer[name], 0) + 1
    width, height = max(layer.values(), default=0) + 1, max(rows.values(), default=1)
    fig = new_figure(width=max(6.0, 1.6 * width), height=0.4 + 0.9 * height)
    with matplotlib.rc_context(STYLE):
        ax = fig.add_subplot()
        boxes = {
            name: ax.text(x, y, name, ha="center", va="center", fontsize=13, fontweight="bold",
                          bbox={"boxstyle": "round,pad=0.5", "facecolor": "#e8f1fb",
                                "edgecolor": "#1f5fa8"})
            for name, (x, y) in pos.items()
        }  # fmt: skip
        for up, down in reduce_edges(edges):
            ax.add_patch(FancyArrowPatch(
                pos[up], pos[down], arrowstyle="-|>", mutation_scale=16, color="#1f2d3d",
                linewidth=1.8, patchA=boxes[up].get_bbox_patch(),
                patchB=boxes[down].get_bbox_patch(),
            ))  # fmt: skip
        ax.set(xlim=(-0.5, width - 0.5), ylim=(-height + 0.5, 0.5))
        ax.axis("off")
    return to_svg(fig)


def dag_table(stages: dict[str, dict], edges: list[tuple[str, str]]) -> list[dict]:
    """Return one row per stage: its command, the stages it reads from, and its outputs."""
    return [
        {
            "stage": name,
            "cmd": spec["cmd"],
            "after": [up for up, down in edges if down == name],
            "outs": spec["outs"],
        }
        for name, spec in stages.items()
    ]
