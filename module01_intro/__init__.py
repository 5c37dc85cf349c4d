"""Module 01 — Introduction: what ML and MLOps are, exploring the data, governing it.

Leaves for the capstone: the data dictionary (``dictionary``), the data contract of the
five raw tables (``contract``, used by the pipeline's validate stage) and EDA helpers
(``eda``).
"""
