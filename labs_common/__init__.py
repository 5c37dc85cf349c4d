"""Shared plumbing of the course: paths, parameters, data loading, seeding, tool setup.

Every module package imports from here and nothing here imports a module package, so the
course has one place for each fact: where files live (`paths`), what the stages write and
the names they share (`contract`), what the parameters are (`config`), what the label is
(`label`: the one rule, threshold from params.yaml), how the raw tables are read (`data`),
how DVC's and MLflow's files are read (`artifacts`), and how MLflow, DVC, Prefect and
Evidently are kept offline (`tooling`). docs/architecture.md maps the layers.
"""
