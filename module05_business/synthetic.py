"""Synthetic scores with a known shift in the share of late flights, for tests and lessons.

Why it matters: to check that a method recovers a hidden quantity (a prior, a threshold)
you need data where you know the answer. Here a late flight's score signal ``x`` is drawn
from N(separation, 1), an on-time flight's from N(0, 1), and the model's probability is
the exact Bayes posterior for ``model_prior``: calibrated for one base rate, then used in
months with another one, just like the real validation and test months.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from labs_common import contract, paths

log = logging.getLogger(__name__)

#: Carriers and their weights; "OO" is deliberately tiny (a slice below ``min_slice_rows``).
CARRIERS = {"UA": 0.35, "B6": 0.3, "EV": 0.25, "DL": 0.095, "OO": 0.005}
ORIGINS = {"EWR": 0.4, "JFK": 0.3, "LGA": 0.3}
#: Synthetic stand-in for the real scores: validation 15% late, test 25%, ROC AUC about 0.71.
LESSON_SETTINGS = {"n_per_split": 20_000, "priors": (0.15, 0.25), "model_prior": 0.2,
                   "separation": 0.8, "seed": 42}  # fmt: skip


def make_scores(
    n_per_split: int = 1000,
    priors: tuple[float, float] = (0.12, 0.30),
    model_prior: float = 0.2,
    separation: float = 1.5,
    seed: int = 42,
) -> pd.DataFrame:
    """Return a seeded frame shaped like ``scores.parquet``, with a known prior shift.

    Why it matters: the real test months are both later and more often late than the
    validation months; this frame reproduces that with numbers we control.

    Args:
        n_per_split: rows in each of the ``valid`` and ``test`` splits.
        priors: the true late share of the valid and the test split.
        model_prior: the late share the probabilities are calibrated for.
        separation: how far apart late and on-time flights' signals are (bigger = better
            model; the ROC AUC is ``Phi(separation / sqrt(2))``).
        seed: the random seed.

    Returns:
        Columns ``split, month, carrier, origin, y, proba``.
    """
    rng = np.random.default_rng(seed)
    parts = []
    for split, prior, months in zip(("valid", "test"), priors, ((9, 10), (11, 12)), strict=True):
        y = (rng.random(n_per_split) < prior).astype(int)
        x = rng.normal(separation * y, 1.0)
        log_odds = np.log(model_prior / (1 - model_prior)) + separation * x - separation**2 / 2
        frame = {
            "split": split,
            "month": rng.choice(months, n_per_split),
            "carrier": rng.choice(list(CARRIERS), n_per_split, p=list(CARRIERS.values())),
            "origin": rng.choice(list(ORIGINS), n_per_split, p=list(ORIGINS.values())),
            "y": y,
            "proba": 1.0 / (1.0 + np.exp(-log_odds)),
        }
        parts.append(pd.DataFrame(frame))
    return pd.concat(parts, ignore_index=True)


def load_lesson_scores(path: Path | None = None) -> tuple[pd.DataFrame, str]:
    """Return the pipeline's real scores if ``dvc repro train`` has run, else synthetic ones.

    Why it matters: the lesson notebooks run on the real flights whenever they can, and
    still run (on scores with the same shape and the same kind of shift) on a fresh clone.

    Returns:
        The scores and where they came from (``"data/processed/scores.parquet"`` or
        ``"synthetic"``), for the notebook to say so.
    """
    path = Path(path) if path else contract.SCORES
    if path.exists():
        log.info("Using the pipeline's scores: %s", path)
        source = path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path
        return pd.read_parquet(path), str(source)
    log.warning("%s not found (run `dvc repro train`); using synthetic scores", path)
    return make_scores(**LESSON_SETTINGS), "synthetic"
