"""Stage ``validate``: check the ingested flights against the contract; stop if broken."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from myflights.contract import problems

REPORT = Path("reports/validation.json")


def main() -> None:
    flights = pd.read_parquet("data/raw/flights.parquet")
    found = problems(flights)
    if found:
        sys.exit("data/raw/flights.parquet breaks the data contract:\n  " + "\n  ".join(found))
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps({"rows": len(flights), "problems": []}) + "\n")


if __name__ == "__main__":
    main()
