"""Module 03 exercises: fill in each function, then run ``labs check 3``.

Each function says which notebook introduces it. Replace the ``raise NotImplementedError``
with your code; ``labs check 3`` (or ``show_results(3)`` in a notebook) tells you which
ones pass, and gives a hint for the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd


def late_share_by_carrier_sql(
    con: duckdb.DuckDBPyConnection, late_minutes: int = 15
) -> pd.DataFrame:
    """Return columns ``carrier, flights, late_share`` computed in SQL, sorted by carrier.

    Notebook 01. ``con`` holds a ``flights`` table. Count only flights that arrived
    (``arr_delay`` is not NULL); a flight is late when ``arr_delay > late_minutes``. Pass
    ``late_minutes`` as a query parameter (``$late`` or ``?``), not pasted into the text.
    """
    # TODO: con.execute("SELECT carrier, count(*) AS flights, avg(...) ... ", {"late": ...}).df()
    raise NotImplementedError


def flights_from_origin(con: duckdb.DuckDBPyConnection, origin: str) -> int:
    """Return how many rows of ``flights`` have this ``origin``, as a plain ``int``.

    Notebook 01. ``origin`` comes from a user: bind it as a parameter. A value such as
    ``"JFK' OR '1'='1"`` must then simply match no flight.
    """
    # TODO: a query with a ? placeholder and the value passed separately; return a plain int
    raise NotImplementedError


def weather_match_share(con: duckdb.DuckDBPyConnection) -> float:
    """Return the share (0-1) of flights that find a ``weather`` row at their origin and hour.

    Notebook 01. ``con`` holds ``flights`` and ``weather``; they join on ``origin`` and
    ``time_hour``. Every flight counts in the denominator, matched or not.
    """
    # TODO: a join that keeps every flight, on both keys; then the share of matched rows
    raise NotImplementedError


def late_share_by_origin_chunked(folder: Path, batch_size: int = 100_000) -> pd.Series:
    """Return the late share (``arr_delay > 15``) of arrived flights per origin, by streaming.

    Notebook 02. ``folder`` holds Parquet files with ``origin`` and ``arr_delay``. Read
    each file in record batches (``pyarrow.parquet.ParquetFile(path).iter_batches(...)``),
    never as one table; keep small per-origin *counts* and divide at the end (a mean of
    batch means is wrong when batches differ in size). Index: the origin codes as str.
    """
    # TODO: for each batch: count arrived and late per origin; sum the counts; divide once
    raise NotImplementedError


def mean_delay_by_origin_duckdb(folder: Path) -> pd.Series:
    """Return the mean ``arr_delay`` per origin over every Parquet file in ``folder``, via DuckDB.

    Notebook 02. Query ``read_parquet('<folder>/*.parquet')`` directly; DuckDB streams the
    files and ignores NULL delays in ``avg``. Index: the origin codes as str.
    """
    # TODO: duckdb.sql(f"SELECT origin, avg(arr_delay) ... FROM read_parquet('{glob}') ...")
    raise NotImplementedError


def rows_at_memory(rows: list[int], peak_mb: list[float], memory_gb: float) -> float:
    """Return the rows at which a straight line through ``(rows, peak_mb)`` reaches ``memory_gb``.

    Notebook 02. Fit ``peak_mb = fixed + slope * rows`` (``np.polyfit(rows, peak_mb, 1)``)
    and solve for ``memory_gb * 1000`` MB. When memory does not grow (slope <= 0), return
    ``float("inf")``: that method never hits the memory wall.
    """
    # TODO: fit the line with np.polyfit, then solve it for the memory in MB
    raise NotImplementedError


def model_version_id(code_sha: str, data_md5: str, params: Mapping[str, object]) -> str:
    """Return a short hex id that names a model by the code, the data and the parameters.

    Notebook 03. The same three inputs always give the same id, whatever the order of the
    keys in ``params``; changing any one of them gives another id. At least 12 hex digits.
    """
    # TODO: hashlib.sha256 over code_sha, data_md5 and json.dumps(params, sort_keys=True)
    raise NotImplementedError


def missing_for_next_level(report: pd.DataFrame) -> list[str]:
    """Return the practices to build next: those not found at the lowest incomplete level.

    Notebook 03. ``report`` has columns ``level``, ``practice`` and ``found``, as
    ``maturity.check_evidence()`` returns. Ignore level 0 (where everyone starts). Return
    the missing practice names of the lowest level above 0 with a missing practice,
    sorted; ``[]`` when every level is complete.
    """
    # TODO: keep level > 0 and not found; take the smallest such level; sorted practice names
    raise NotImplementedError


def ci_jobs(changed: list[str], pipeline_deps: list[str]) -> set[str]:
    """Return the CI jobs a commit needs: ``"test"``, ``"repro"``, both, or neither.

    Notebook 03. ``"test"`` (DevOps) when a ``.py`` or ``.ipynb`` file changed. ``"repro"``
    (MLOps) when ``params.yaml`` or ``dvc.yaml`` changed, or a changed path is a pipeline
    dependency or lies inside one (``data/raw/x.parquet`` is inside ``data/raw``, but
    ``data/raw2/x`` is not).
    """
    # TODO: two any(...) tests; compare paths with == or startswith(dep + "/")
    raise NotImplementedError


def stages_to_rerun(edges: list[tuple[str, str]], changed: str) -> list[str]:
    """Return ``changed`` and every stage downstream of it, each after all of its upstreams.

    Notebook 04. ``edges`` are ``(upstream, downstream)`` pairs, as ``pipeline.stage_graph``
    returns. This is what ``dvc repro`` reruns when one stage's inputs change.
    """
    # TODO: walk the edges from `changed` to collect the stages, then order them
    #       (graphlib.TopologicalSorter, or pipeline.execution_layers)
    raise NotImplementedError


def parallel_groups(edges: list[tuple[str, str]]) -> list[list[str]]:
    """Return the stages in layers that may run in parallel; each layer sorted by name.

    Notebook 04. A stage belongs to the first layer after all of its upstream stages.
    """
    # TODO: graphlib.TopologicalSorter: prepare(), then get_ready()/done() until not active
    raise NotImplementedError


def changed_keys(old: pd.DataFrame, new: pd.DataFrame, key: str) -> list[object]:
    """Return, sorted, the keys whose row was edited, added or removed between two versions.

    Notebook 04. Both frames have the same columns and a unique ``key`` column. Compare a
    hash of each row (``pd.util.hash_pandas_object(df, index=False)``) rather than the
    values one by one.
    """
    # TODO: hash the rows of each version into a Series indexed by key; compare the two
    raise NotImplementedError


def handoff_edges(edges: list[tuple[str, str]], owner: Mapping[str, str]) -> list[tuple[str, str]]:
    """Return, sorted, the edges of a stage graph whose two stages have different owners.

    Notebook 03. ``owner`` maps each stage to ``"DataOps"``, ``"ModelOps"`` or ``"DevOps"``.
    Each such edge is a hand-over between teams: it needs a written contract.
    """
    # TODO: look up the owner of both stages of each edge; keep the edges where they differ,
    # and return them sorted
    raise NotImplementedError
