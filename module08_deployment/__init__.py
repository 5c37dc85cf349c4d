"""Module 08 — Deployment: the model registry and its gates, the FastAPI service, Docker.

DVC stage ``register`` runs code from this package.
"""
