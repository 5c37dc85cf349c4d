"""Module 05 exercises: fill in each function, then run ``labs check 5``.

Each function says which notebook introduces it. Replace the ``raise NotImplementedError``
with your code; ``labs check 5`` (or ``show_results(5)`` in a notebook) tells you which
ones pass, and gives a hint for the others.
"""

from __future__ import annotations

import numpy as np


def cost_per_flight(
    y: np.ndarray, flagged: np.ndarray, missed_delay: float, false_alert: float
) -> float:
    """Return the average cost per flight of a set of decisions.

    Notebook 01. ``y`` is 1 for a late flight, ``flagged`` is True for a flagged one. A late
    flight not flagged costs ``missed_delay``; an on-time flight flagged costs
    ``false_alert``; the rest cost nothing. Example: y=[1, 0], flagged=[False, True],
    costs 4 and 1 -> (4 + 1) / 2 = 2.5.
    """
    # TODO: count the missed delays and the false alerts, weight them, divide by len(y)
    raise NotImplementedError


def recall_at_flag_budget(y: np.ndarray, proba: np.ndarray, budget: float) -> float:
    """Return the share of late flights caught when only the top ``budget`` share is flagged.

    Notebook 01. The operations team can act on at most ``budget`` (e.g. 0.1 = 10%) of the
    flights: flag the ``int(budget * len(y))`` flights with the highest ``proba`` and return
    how many of all late flights are among them (a recall between 0 and 1).
    """
    # TODO: np.argsort(-proba)[:k] gives the k highest; sum their y; divide by y.sum()
    raise NotImplementedError


def theoretic_threshold(missed_delay: float, false_alert: float) -> float:
    """Return the probability above which flagging a flight is cheaper than not flagging it.

    Notebook 02. Flagging a flight with probability ``p`` of being late costs
    ``(1 - p) * false_alert`` on average; not flagging it costs ``p * missed_delay``.
    Return the ``p`` where both are equal.
    """
    # TODO: solve (1 - p) * false_alert = p * missed_delay for p
    raise NotImplementedError


def correct_for_prior(proba: np.ndarray, source_prior: float, target_prior: float) -> np.ndarray:
    """Return probabilities made for a ``source_prior`` world, corrected to ``target_prior``.

    Notebook 02. Bayes: multiply each flight's odds ``p / (1 - p)`` by
    ``odds(target_prior) / odds(source_prior)``, then turn the odds back into a probability
    (``odds / (1 + odds)``).
    """
    # TODO: probability -> odds, multiply by the ratio of the priors' odds, back to probability
    raise NotImplementedError


def net_yearly_value(
    cost_saving: float, best_trivial_cost: float, flights_per_year: int, unit_cost: float,
    running_cost: float,
) -> float:  # fmt: skip
    """Return what the model is worth per year, after paying for running it.

    Notebook 03. ``best_trivial_cost`` is the cost per flight (in cost units) of the best
    rule without a model; the model saves the fraction ``cost_saving`` of it. One cost unit
    is worth ``unit_cost`` dollars; running the model (people, servers, monitoring) costs
    ``running_cost`` dollars per year.
    """
    # TODO: saving per flight * flights * dollars per unit - running cost
    raise NotImplementedError


def recall_gap(y: np.ndarray, flagged: np.ndarray, groups: np.ndarray) -> float:
    """Return the largest difference in recall between two groups (equal opportunity gap).

    Notebook 04. For each group, recall = flagged late flights / late flights of that group.
    Return max recall - min recall over the groups that have at least one late flight.
    """
    # TODO: loop over np.unique(groups); skip groups without a late flight
    raise NotImplementedError
