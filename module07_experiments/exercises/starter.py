"""Module 07 exercises: fill in each function, then run ``labs check 7``.

Each function says which notebook introduces it. Replace the ``raise NotImplementedError``
with your code; ``labs check 7`` (or ``show_results(7)`` in a notebook) tells you which
ones pass, and gives a hint for the others.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa


def seeded_sample(df: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """Return ``n`` random rows of ``df``: the same rows for the same seed, every time.

    Notebook 01. Do not touch NumPy's global generator (no ``np.random.seed``): other code
    draws from it too, and reseeding it changes *their* random numbers.
    """
    # TODO: look at the parameters of DataFrame.sample
    raise NotImplementedError


def drifted_packages(recorded: dict[str, str], installed: dict[str, str]) -> list[str]:
    """Return, sorted, the packages whose installed version may change the model's results.

    Notebook 01. A package counts when it is missing here, or when its major or minor
    version differs from the recorded one (``1.9.1`` vs ``1.10.0``). A different patch
    (``1.9.1`` vs ``1.9.2``) does not count. Packages installed but not recorded do not
    count either.
    """
    # TODO: for each recorded package, compare version.split(".")[:2] with the installed one
    raise NotImplementedError


def run_fingerprint(params: dict, data_md5: dict[str, str], commit: str) -> str:
    """Return a SHA-256 hex digest of everything that defines a training run.

    Notebook 01. Equal inputs must give an equal digest whatever the order of the keys
    in the dictionaries; changing any parameter, data hash or the commit must change it.
    """
    # TODO: json.dumps({...}, sort_keys=True), encode, hashlib.sha256(...).hexdigest()
    raise NotImplementedError


def best_run(runs: pd.DataFrame, metric: str, higher_is_better: bool = True) -> str:
    """Return the ``run_id`` of the best *finished* run by ``metrics.<metric>``.

    Notebook 02. ``runs`` looks like ``mlflow.search_runs()``: columns ``run_id``,
    ``status`` and ``metrics.<name>``. Skip runs whose status is not ``FINISHED`` and runs
    without the metric (NaN). Raise ``ValueError`` when no run qualifies.
    """
    # TODO: filter status == "FINISHED" and notna(), then idxmax / idxmin
    raise NotImplementedError


def params_diff(old: dict, new: dict) -> dict[str, tuple]:
    """Return ``{"dotted.key": (old_value, new_value)}`` for every parameter that differs.

    Notebook 02. Nested dictionaries become dotted keys (``{"train": {"seed": 1}}`` ->
    ``train.seed``), as ``dvc params diff`` shows them. A key present on one side only
    gives ``None`` on the other side. Lists are values: compare them whole.
    """
    # TODO: flatten both dicts into dotted keys, then compare key by key
    raise NotImplementedError


def schedule_schema(months: list[int]) -> pa.DataFrameSchema:
    """Return a pandera schema for a split of labelled flights.

    Notebook 03. Exactly three columns (``strict=True``: an extra column such as
    ``dep_delay`` is leakage and must fail): ``month`` (int, one of ``months``),
    ``sched_dep_time`` (int, a clock time 0..2359 whose minutes are below 60) and ``late``
    (``"int8"``, the type ``add_label`` gives it; 0 or 1). No missing values.
    """
    # TODO: pa.DataFrameSchema with one pa.Column per column and its pa.Check rules; strict
    raise NotImplementedError


def dep_hour_test(dep_hour: Callable[[int], float]) -> None:
    """Write a unit test of ``dep_hour``: raise ``AssertionError`` when it is wrong.

    Notebook 03. ``dep_hour(hhmm)`` turns a clock time such as ``1330`` into hours since
    midnight (``13.5``). The check runs your test against a correct ``dep_hour`` (your
    test must pass) and against five buggy ones (it must fail on each). Think about which
    inputs a bug would get wrong.
    """
    # TODO: assert dep_hour(1330) == 13.5, and a few more cases
    raise NotImplementedError


def model_uri(name: str, version: int | None = None, alias: str | None = None) -> str:
    """Return the MLflow URI of a registered model version, by number or by alias.

    Notebook 04. ``model_uri("m", version=3)`` is ``"models:/m/3"``;
    ``model_uri("m", alias="champion")`` is ``"models:/m@champion"``. Raise ``ValueError``
    unless exactly one of ``version`` and ``alias`` is given.
    """
    # TODO: check the arguments, then an f-string
    raise NotImplementedError


def bump_model_version(current: str, change: str) -> str:
    """Return the next semantic version of a model after a ``change``.

    Notebook 04. ``current`` is ``"MAJOR.MINOR.PATCH"``. ``change`` is ``"schema"`` (the
    input signature changed: callers break, bump MAJOR), ``"retrain"`` (same inputs, new
    weights: bump MINOR) or ``"metadata"`` (description, tags: bump PATCH). Lower parts
    reset to 0. Raise ``ValueError`` for any other change.
    """
    # TODO: split, convert to int, bump one part, reset the lower ones
    raise NotImplementedError
