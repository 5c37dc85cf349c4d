"""The model card section: module 05's card, rendered from today's reports, as HTML.

Why it matters: the card is written from ``reports/metrics.json`` by a template, so it is
true after every ``dvc repro``; the site renders it instead of keeping a copy that ages.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

from capstone.site.inputs import PARAMS, Inputs, read_json
from labs_common import paths
from labs_common.artifacts import lock_hash
from labs_common.config import load_params
from module05_business.model_card import render_model_card

#: Where the card's model facts come from: (report, key in it, key of the card's model_info).
CARD_FIELDS = [
    ("registry.json", "version", "version"),
    ("train.json", "model", "model_type"),
    ("features.json", "features", "features"),
]
#: The training data whose DVC hash (in dvc.lock) the card quotes as the data version.
TRAIN_DATA = (paths.PROCESSED / "train.parquet").relative_to(paths.ROOT).as_posix()


def _model_info(inputs: Inputs) -> dict:
    """What the card says about the model: registry version, model type, features, data hash."""
    info: dict = {}
    for name, old, new in CARD_FIELDS:
        path = inputs.report(name)
        report = read_json(path) if path.exists() else {}
        if old in report:
            info[new] = report[old]
    data_hash = lock_hash(inputs.root / "dvc.lock", TRAIN_DATA, stage="train", kind="deps")
    if data_hash:
        info["data_hash"] = data_hash
    return info


def card_section(inputs: Inputs) -> dict:
    """The model card of module 05, rendered from today's reports, as HTML."""
    metrics = read_json(inputs.report("metrics.json"))
    card = render_model_card(metrics, load_params(inputs.root / PARAMS), _model_info(inputs))
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(card)
    return {"html": Markup(html)}  # markdown-it escapes text; raw HTML is off
