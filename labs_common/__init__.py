"""Shared plumbing of the course: paths, parameters, data loading, seeding, tool setup.

Every module package imports from here and nothing here imports a module package, so the
course has one place for each fact: where files live (`paths`), what the parameters are
(`config`), what the label is (`label`: the one rule, threshold from params.yaml),
how the raw tables are read (`data`), and how MLflow, DVC, Prefect and
Evidently are kept offline (`tooling`).
"""
