"""Module 09 exercises: write the functions in ``starter.py``; check them with ``labs check 9``.

Each notebook says which function to write next. ``solutions.py`` holds reference answers:
try first, peek after.
"""
