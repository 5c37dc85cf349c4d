"""Module 07 — Experiments: reproducible pipelines, data validation, MLflow tracking.

DVC stage ``validate`` and the tracking used by ``train`` live here.
"""
