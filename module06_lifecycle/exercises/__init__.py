"""Module 06 exercises: write them in ``starter.py``, check them with ``labs check 6``.

Each notebook says which function to write next. ``solutions.py`` holds reference answers:
try first, peek after.
"""
