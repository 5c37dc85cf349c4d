"""Module 09 — Monitoring: Evidently drift and quality monitors, service metrics, CI/CD."""
