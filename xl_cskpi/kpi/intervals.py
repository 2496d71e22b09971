"""Uncertainty of a rate: the Wilson score interval for a share of successes among trials.

Any rate that counts successes among trials -- churn (customers lost among customers at the start),
retention, conversion, CSAT (satisfied among respondents), SLA compliance (tickets within target
among tickets) -- carries sampling uncertainty that matters when the counts are small: 2 lost out
of 10 is "20 %" and also "anywhere from 6 % to 51 %".
"""

from __future__ import annotations

import math

import numpy as np

from .. import cells
from ..errors import DivisionByZero, InvalidInput, OutOfRange
from ..registry import kpi
from .survey import confidence_z

__all__ = ["rate_interval", "wilson_interval"]


def wilson_interval(successes: float, trials: float, z: float) -> tuple[float, float]:
    """Wilson score interval ``(low, high)`` for ``successes`` out of ``trials`` (> 0) at quantile ``z``.

    >>> [round(x, 4) for x in wilson_interval(2, 10, 1.959963984540054)]
    [0.0567, 0.5098]
    """
    p = successes / trials
    z2 = z * z
    denom = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    # the bounds are 0 and 1 exactly when nobody / everybody succeeded (rounding aside)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


@kpi(category="Retention", returns="rate", args={
    "successes": "How many succeeded (customers lost, renewed, converted, satisfied, within SLA): a count",
    "trials": "Out of how many (customers at the start, respondents, tickets): a count",
    "confidence": "Confidence level, a fraction (0.95 for 95 %); blank gives 0.95",
})
def rate_interval(successes, trials, confidence=0.95):
    """Wilson score confidence interval of a rate (successes / trials), spilled as low | high.

    Formula, with p = successes / trials, n = trials and z the two-sided standard-normal quantile of
    ``confidence`` (1.96 for 95 %)::

        centre = (p + z^2 / 2n) / (1 + z^2 / n)
        half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / 4n^2)
        low, high = centre - half, centre + half

    Unlike the textbook p +- z sqrt(p(1-p)/n) (the Wald interval), it never leaves 0..1, is not a
    single point when nobody (or everybody) churned, and keeps close to its nominal coverage for
    small n -- the reason Brown, Cai and DasGupta recommend it. Returns one row of two cells
    ``[[low, high]]`` (Python: a 1 x 2 array), to sit beside the rate on a dashboard.

    With two ranges of the same size (a column of losses and a column of customers at the start,
    one row per month) it returns one row low | high per cell, in the ranges' order: an interval
    beside each month's rate. There a row whose two cells are blank, or with 0 trials, gives two
    blank cells (no rate that month); a row with only one of the two counts is ``#VALUE!``.

    Edge cases: ``trials`` = 0 is ``#DIV/0!``; negative counts, or more successes than trials, are
    ``#NUM!``; a confidence level outside (0, 1) is ``#NUM!`` (95 is not 95 %: write 0.95 or
    "95%"). 0 successes give a low bound of exactly 0, all successes a high bound of exactly 1.
    Counts need not be whole (a weighted count is accepted), but fewer than one trial is ``#NUM!``.

    Source: E. B. Wilson, "Probable inference, the law of succession, and statistical inference",
    Journal of the American Statistical Association 22 (1927), 209-212; L. D. Brown, T. T. Cai and
    A. DasGupta, "Interval estimation for a binomial proportion", Statistical Science 16(2) (2001),
    101-133 (eq. 4, and their recommendation of the Wilson interval for small n).

    Example -- 2 of the 10 customers at the start of Mehr were lost (20 %); 95 % interval:

    >>> np.round(rate_interval(2, 10), 4)
    array([[0.0567, 0.5098]])
    """
    xs = cells.numbers(successes, "successes", keep_blanks=True)
    ns = cells.numbers(trials, "trials", keep_blanks=True)
    if xs.size > 1 or ns.size > 1:
        return _intervals(xs, ns, confidence_z(confidence))
    x = cells.count(successes, "successes")
    n = cells.count(trials, "trials")
    if x > n:
        raise OutOfRange(f"is {x:g}, more than trials ({n:g}); the successes are among the trials",
                         argument="successes")
    if n == 0:
        raise DivisionByZero("is 0; a rate needs at least one trial", argument="trials")
    if n < 1:
        raise OutOfRange(f"is {n:g}; an interval needs at least one trial", argument="trials")
    z = confidence_z(confidence)
    low, high = wilson_interval(x, n, z)
    return np.array([[low, high]])


def _intervals(xs: np.ndarray, ns: np.ndarray, z: float) -> np.ndarray:
    """One Wilson interval per row of two aligned ranges (see :func:`rate_interval`)."""
    if xs.size != ns.size:
        raise InvalidInput(f"has {xs.size} cells but trials has {ns.size}; give one count per row to both "
                           "(or one cell each)", argument="successes")
    x_blank, n_blank = np.isnan(xs), np.isnan(ns)
    for arg, bad in (("successes", x_blank & ~n_blank), ("trials", n_blank & ~x_blank)):
        if bad.any():
            raise InvalidInput(f"is blank in row {int(np.flatnonzero(bad)[0]) + 1} where the other count is "
                               "filled; fill it or clear the whole row", argument=arg)
    rows = ~x_blank
    for arg, arr in (("successes", xs), ("trials", ns)):
        neg = rows & (arr < 0)
        if neg.any():
            i = int(np.flatnonzero(neg)[0])
            raise OutOfRange(f"is {arr[i]:g} in row {i + 1}; a count cannot be negative", argument=arg)
    over = rows & (xs > ns)
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise OutOfRange(f"is {xs[i]:g} in row {i + 1}, more than trials ({ns[i]:g}); the successes are "
                         "among the trials", argument="successes")
    few = rows & (ns > 0) & (ns < 1)
    if few.any():
        i = int(np.flatnonzero(few)[0])
        raise OutOfRange(f"is {ns[i]:g} in row {i + 1}; an interval needs at least one trial", argument="trials")
    out = np.full((xs.size, 2), np.nan)
    for i in np.flatnonzero(rows & (ns >= 1)):
        out[i] = wilson_interval(float(xs[i]), float(ns[i]), z)
    return out
