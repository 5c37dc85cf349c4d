"""Batch scoring: ``python -m myflights.batch --input flights.parquet --output scores.parquet``.

Reads scheduled flights, scores them with the same predictor as the online path and
writes the input rows with ``score`` and ``alert`` added.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from myflights.predictor import load_predictor


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    flights = pd.read_parquet(args.input)
    scored = flights.join(load_predictor().predict(flights))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    scored.to_parquet(args.output, index=False)


if __name__ == "__main__":
    main()
