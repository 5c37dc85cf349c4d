"""My flight-delay pipeline: one module per stage, run as ``python -m myflights.<stage>``."""
