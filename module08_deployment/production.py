"""Lesson 01: the replayed production months scored by the champion and by a challenger.

Why it matters: a deployment pattern is judged on the traffic it meets, not on the test
set it was chosen on. The capstone trains on January to August; September to December
(the ``valid`` and ``test`` parts of the split) play the part of production. The champion
is the pipeline's model (``models/model``); the challenger is trained here, in seconds,
on a seeded sample of the same training months (a logistic baseline by default).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from labs_common import contract, paths
from labs_common.data import read_table
from module04_ml_fundamentals.features import LABEL
from module04_ml_fundamentals.samples import lookup_paths, sample_rows
from module04_ml_fundamentals.train import ModelKind, build_pipeline
from module06_lifecycle.predictor import load_from_dir
from module08_deployment.patterns import flight_key

log = logging.getLogger(__name__)

PRODUCTION_PARTS = ("valid", "test")


def load_production(folder: Path = paths.PROCESSED) -> pd.DataFrame:
    """The flights of the production months (``valid`` then ``test``), with their labels.

    Raises:
        FileNotFoundError: the split is not built; the message says how to build it.
    """
    files = [Path(folder) / f"{part}.parquet" for part in PRODUCTION_PARTS]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise FileNotFoundError(f"{missing} not found; run `dvc repro split` first")
    flights = pd.concat([read_table(f) for f in files], ignore_index=True)
    log.info("Loaded %s production flights", f"{len(flights):,}")
    return flights


def fit_challenger(
    kind: ModelKind = "logreg",
    rows: int = 30_000,
    seed: int = 0,
    folder: Path = paths.PROCESSED,
    raw_dir: Path = paths.RAW,
    **hyper: float,
) -> object:
    """Fit a challenger pipeline on a seeded sample of the training months.

    Why it matters: the same features and training months as the champion, another model
    family and less data: a plausible "new model" whose merit is not known in advance.
    """
    train = sample_rows(read_table(Path(folder) / "train.parquet"), rows, seed)
    pipe = build_pipeline(kind, **lookup_paths(raw_dir), seed=seed, **hyper)
    return pipe.fit(train, train[LABEL])


def score_both(
    flights: pd.DataFrame, challenger: object, model_dir: Path = contract.MODEL_DIR
) -> pd.DataFrame:
    """One row per flight: month, day, routing key, label, both models' probabilities."""
    champion = load_from_dir(model_dir)
    return pd.DataFrame(
        {
            "month": flights["month"].to_numpy(),
            "day": flights["day"].to_numpy(),
            "key": flight_key(flights).to_numpy(),
            "late": flights[LABEL].to_numpy(),
            "champion": champion.predict_proba(flights, validate=False),
            "challenger": challenger.predict_proba(flights)[:, 1],
        }
    )
