"""The pipeline graph, read from ``dvc.yaml`` and drawn without graphviz.

Why it matters: ``dvc dag`` draws the same graph in a terminal; the site shows it to people
who never open one. A stage depends on another when one of its inputs is (or sits inside)
one of the other's outputs, which is exactly the rule DVC applies.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from markupsafe import Markup
from matplotlib.patches import FancyArrowPatch

from capstone.site.charts import STYLE, new_figure, to_svg
from labs_common.artifacts import read_dvc_stages, stage_io


def _covers(out: str, dep: str) -> bool:
    """Whether ``dep`` is ``out``, lies inside it, or contains it."""
    out, dep = out.rstrip("/"), dep.rstrip("/")
    return out == dep or dep.startswith(out + "/") or out.startswith(dep + "/")


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


def stage_edges(stages: dict[str, dict]) -> list[tuple[str, str]]:
    """Return (upstream, downstream) pairs: downstream reads what upstream writes."""
    return [
        (up, down)
        for down, spec in stages.items()
        for up, other in stages.items()
        if up != down and any(_covers(o, d) for o in other["outs"] for d in spec["deps"])
    ]


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
    after: dict[str, set[str]] = {}
    for up, down in edges:
        after.setdefault(up, set()).add(down)

    def reaches(start: str, goal: str, skip: tuple[str, str]) -> bool:
        todo, seen = [start], set()
        while todo:
            node = todo.pop()
            for nxt in after.get(node, ()):
                if (node, nxt) != skip and nxt not in seen:
                    if nxt == goal:
                        return True
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    return [(up, down) for up, down in edges if not reaches(up, down, (up, down))]


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
