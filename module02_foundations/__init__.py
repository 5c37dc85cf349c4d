"""Module 02 — Foundations: discrete maths, linear algebra, probability and computation.

Each topic is shown on the flights data and checked against numpy, scipy and scikit-learn.
"""
