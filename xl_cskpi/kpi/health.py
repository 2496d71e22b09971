"""Customer health family: weighted health score and the status band it falls in.

A health score combines several measures of one customer (product usage, NPS, support load,
payment history...), each scored on the same scale (usually 0-100), with weights that say how much
each measure matters. On a worksheet the measures sit in a block: one row per customer, one column
per measure, and a row of weights above it::

    =HEALTH_SCORE(B3:E500, B2:E2)      spills one score per customer
    =HEALTH_STATUS(F3#)                spills Healthy / At risk / Critical next to it

A customer who has not been scored on some measure (a blank cell) is scored on the measures
present, with the weights renormalised over them -- Gainsight's treatment of a missing measure.
A customer with no score on any weighted measure gets no score: ``NaN`` in Python (pandas' missing
value), which the Excel faces show as an empty cell, so one unscored customer does not turn the
whole spilled column into an error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import cells
from ..errors import DivisionByZero, InvalidInput, OutOfRange
from ..registry import kpi

__all__ = ["health_score", "health_status"]


def _blank_range(value) -> bool:
    flat, _ = cells.flatten(value)
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in flat)


@kpi(category="Customer health", returns="column", args={
    "scores": "Measure scores: one row per customer, one column per measure (a single row: one customer)",
    "weights": "Weight of each measure (a row or column, one weight per column of scores, 0 or more)",
})
def health_score(scores, weights):
    """Weighted health score: sum(weight x score) / sum(weights), one per customer (row).

    Formula: for each customer (row of ``scores``), ``sum(w_j * s_j) / sum(w_j)`` over the measures
    ``j`` the customer has a score for. ``weights`` has one cell per column of ``scores``, as a row
    or a column. A single row of scores (or a range with exactly as many cells as there are
    weights) is one customer and gives one number; a block of several rows gives a 1-D array, one
    score per row, which Excel spills as a column.

    Edge cases: a blank score cell is a measure not scored for that customer: the weights are
    renormalised over the measures present (Gainsight); a customer with no score on any weighted
    measure gets ``NaN`` in a block (an empty cell in Excel) and ``#DIV/0!`` when scored alone;
    a negative weight is ``#NUM!``; all weights zero is ``#DIV/0!``; a blank weight is ``#VALUE!``
    (enter 0 to leave a measure out); a block whose width differs from the number of weights is
    ``#VALUE!``; text that is not a number is ``#VALUE!`` naming the cell. Scores are not bounded:
    any scale works, and the result lies between the customer's lowest and highest score.

    Source: Gainsight, "Customer Health Score" / Scorecards (weighted average of measure scores;
    measures without data are excluded and the remaining weights rescaled).

    Example -- usage 80, NPS 60, support 90 weighted 50/30/20 %: 0.5x80 + 0.3x60 + 0.2x90 = 76;
    a second customer without an NPS score: (0.5x40 + 0.2x70) / 0.7 = 48.57:

    >>> health_score([[80, 60, 90]], [[0.5, 0.3, 0.2]])
    76.0
    >>> health_score([[80, 60, 90], [40, None, 70]], [[50, 30, 20]]).round(2)
    array([76.  , 48.57])
    """
    w = cells.numbers(weights, "weights", keep_blanks=True)
    if w.size == 0:
        raise InvalidInput("is empty; enter one weight per measure (column of scores)",
                           argument="weights")
    if np.isnan(w).any():
        i = int(np.flatnonzero(np.isnan(w))[0])
        raise InvalidInput(f"is blank in cell {i + 1}; enter 0 to leave that measure out",
                           argument="weights")
    if (w < 0).any():
        i = int(np.flatnonzero(w < 0)[0])
        raise OutOfRange(f"has a negative weight ({w[i]:g}) in cell {i + 1}; weights are 0 or more",
                         argument="weights")
    if w.sum() == 0:
        raise DivisionByZero("are all 0; give at least one measure a weight", argument="weights")
    n = w.size
    _, cols = cells.flatten(scores)
    s = cells.numbers(scores, "scores", keep_blanks=True)
    if s.size == 0:
        raise DivisionByZero("has no values; enter at least one customer's scores", argument="scores")
    if cols == n and s.size % n == 0:
        block = s.reshape(-1, n)
    elif s.size == n:
        block = s.reshape(1, n)
    else:
        raise InvalidInput(
            f"has {cols} column(s) ({s.size} cells) but weights has {n} values; give one weight per "
            "column of scores (one column per measure, one row per customer)", argument="scores")
    present = ~np.isnan(block)
    num = np.where(present, block, 0.0) @ w
    den = present.astype(float) @ w
    if block.shape[0] == 1:
        if den[0] == 0:
            raise DivisionByZero("has no score for any measure with a weight above 0; nothing to "
                                 "average", argument="scores")
        return float(num[0] / den[0])
    return np.divide(num, den, out=np.full(num.shape, np.nan), where=den > 0)


_LABELS = ("Healthy", "At risk", "Critical")


@kpi(category="Customer health", returns="text", labels=True, args={
    "score": "A health score, or a range of them (one per customer)",
    "healthy_from": "Lowest score counted Healthy (default 70)",
    "at_risk_from": "Lowest score counted At risk (default 40; below it is Critical)",
})
def health_status(score, healthy_from=70, at_risk_from=40):
    """Health band of a score: "Healthy", "At risk" or "Critical", with thresholds you can change.

    Formula: ``"Healthy"`` if ``score >= healthy_from``; else ``"At risk"`` if
    ``score >= at_risk_from``; else ``"Critical"``. One score gives one text; a range of scores
    gives a 1-D array of texts, one per cell in row-major order (Excel spills it), with ``None``
    (an empty cell) where a score is blank -- e.g. a customer :func:`health_score` could not score.

    Edge cases: ``at_risk_from`` above ``healthy_from`` is ``#NUM!``; a single blank score is
    ``#VALUE!``; text that is not a number is ``#VALUE!`` naming the cell; a blank threshold takes
    its default. A score exactly on a threshold belongs to the higher band.

    Source: Gainsight Scorecards (scores on a 0-100 scale shown as red / yellow / green bands whose
    boundaries the admin sets); the default bands 70 / 40 follow common CS practice (ChurnZero,
    Totango).

    Example -- scores 76, 48.6 and 25 on the default bands; 76 with Healthy only from 80:

    >>> health_status(76)
    'Healthy'
    >>> health_status([[76], [48.6], [25], [None]]).tolist()
    ['Healthy', 'At risk', 'Critical', None]
    >>> health_status(76, 80, 50)
    'At risk'
    """
    healthy = 70.0 if _blank_range(healthy_from) else cells.number(healthy_from, "healthy_from")
    at_risk = 40.0 if _blank_range(at_risk_from) else cells.number(at_risk_from, "at_risk_from")
    if at_risk > healthy:
        raise OutOfRange(f"is {at_risk:g}, above healthy_from ({healthy:g}); the At risk band must "
                         "start at or below the Healthy band", argument="at_risk_from")
    if isinstance(score, np.ndarray) and score.dtype.kind == "f":
        score = pd.Series(score.ravel())  # NaN from HEALTH_SCORE is a blank, not bad input
    flat, _ = cells.flatten(score)
    v = cells.numbers(score, "score", keep_blanks=True)
    out = np.select([v >= healthy, v >= at_risk], list(_LABELS[:2]), _LABELS[2]).astype(object)
    out[np.isnan(v)] = None
    if np.isnan(v).all():
        raise InvalidInput("is empty; enter a health score or a range of scores", argument="score")
    if len(flat) == 1:
        return str(out[0])
    return out
