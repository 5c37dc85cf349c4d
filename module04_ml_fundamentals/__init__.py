"""Module 04 — ML fundamentals: leakage-free features, the temporal split, training.

DVC stages ``features``, ``split`` and ``train`` run code from this package.
"""
