"""Module 08 exercises: write the functions in ``starter.py``; check them with ``labs check 8``.

Each notebook says which function to write next. ``solutions.py`` holds reference answers:
try first, peek after.
"""
