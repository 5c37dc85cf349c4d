"""Your tests go here (lab 07 asks for tests of your code, data and model)."""

import myflights


def test_package_imports() -> None:
    assert myflights.__doc__
