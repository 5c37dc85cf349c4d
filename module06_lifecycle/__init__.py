"""Module 06 — The ML lifecycle: one predictor for batch and online inference."""
