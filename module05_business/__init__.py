"""Module 05 — Business: the cost model, the decision threshold, KPIs and fairness slices.

DVC stage ``evaluate`` runs code from this package.
"""
