"""Module 05 exercises: write them in ``starter.py``, check them with ``labs check 5``."""
