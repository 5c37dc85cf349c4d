"""Model card: the one page a stakeholder reads before trusting the model.

Why it matters: a model card (Mitchell et al., 2019) states what the model is for, what it
was trained and tested on, how good it is overall and for each group, what its decisions
cost, and where it must not be used. Writing it from ``reports/metrics.json`` rather than
by hand keeps it true after every ``dvc repro``. The register stage calls
:func:`render_model_card` and stores the card next to the registered model.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from labs_common.config import Params
from module04_ml_fundamentals.features import decision_time

TEMPLATE = "model_card.md.j2"
UNKNOWN = "unknown"


def _fmt(value: object, spec: str = ".3f") -> str:
    """Format a number for the card; ``n/a`` for a missing value."""
    if value is None:
        return "n/a"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format(value, spec)
    return str(value)


def slice_rows(metrics: dict, dimension: str) -> list[dict[str, str]]:
    """Return one formatted table row per group of ``dimension``, biggest group first.

    Why it matters: a reader scans the biggest carriers first; groups too small to judge
    show "n/a" instead of a noisy ROC AUC.
    """
    groups = metrics.get("slices", {}).get(dimension, {})
    ordered = sorted(groups.items(), key=lambda item: (-item[1]["n"], item[0]))
    return [
        {
            "name": name,
            "n": f"{g['n']:,}",
            "late_share": _fmt(g.get("late_share"), ".1%"),
            "roc_auc": _fmt(g.get("roc_auc")),
            "cost_saving": _fmt(g.get("cost_saving"), ".1%"),
        }
        for name, g in ordered
    ]


def render_model_card(metrics: dict, params: Params, model_info: dict) -> str:
    """Render the model card as markdown.

    Why it matters: the numbers and the caveats travel together; nobody gets the ROC AUC
    without also reading that it was measured on two months of one year.

    Args:
        metrics: the content of ``reports/metrics.json`` (the evaluate stage).
        params: the validated ``params.yaml``.
        model_info: what the registry knows, e.g. ``name``, ``version``, ``model_type``,
            ``data_hash``, ``features``; missing keys read "unknown".

    Returns:
        The card, as markdown text ending with a newline.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # markdown, not HTML
    )
    env.filters["fmt"] = _fmt
    defaults = {"version": UNKNOWN, "model_type": UNKNOWN, "data_hash": UNKNOWN, "features": []}
    info = {"name": params.register.model_name, **defaults, **model_info}
    return env.get_template(TEMPLATE).render(
        m=metrics,
        p=params,
        decision_time=decision_time(params.features.decision_hours),
        info=info,
        carriers=slice_rows(metrics, "carrier"),
        origins=slice_rows(metrics, "origin"),
    )
