"""Survey family: NPS, eNPS, CSAT, CES and the NPS margin of error.

All functions take a range of survey responses (any shape, blanks skipped, numbers stored as text
accepted, also with Persian/Arabic-Indic digits). A response must be a whole number on the
survey's scale; anything else is a ``#NUM!`` error naming the cell, because a 10.5 or an 11 in an
NPS column is a sign of the wrong column or of averaged data, never of a respondent.

The counting helpers (:func:`nps_counts`, :func:`scale_scores`, :func:`nps_variance`) are shared
with the survey tables in :mod:`xl_cskpi.tables.survey`; they are plain functions, not Excel
functions. Counting uses ``np.bincount`` on the whole range: no Python loop per response.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any, NamedTuple

import numpy as np

from .. import cells
from ..errors import DivisionByZero, OutOfRange
from ..registry import kpi

__all__ = ["nps", "enps", "csat", "csat_average", "ces", "nps_margin_of_error"]

#: Largest scale_max accepted for CSAT/CES (a 1-100 slider is the widest scale in common use).
MAX_SCALE = 100


# --------------------------------------------------------------------------- shared helpers


def is_blank(value: Any) -> bool:
    """Whether an optional argument was left blank (None, an empty cell, a range of empty cells)."""
    if value is None:
        return True
    flat, _ = cells.flatten(value)
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in flat)


def whole_scores(values: Any, arg: str, low: int, high: int, scale: str) -> np.ndarray:
    """The responses of a range as an int64 array; each must be a whole number in ``low..high``.

    The first offending response is reported by its cell position (row-major, blanks counted).

    >>> whole_scores([[10, None], ["۹", 3]], "scores", 0, 10, "0-10").tolist()
    [10, 9, 3]
    """
    s = cells.numbers(values, arg, keep_blanks=True)
    blank = np.isnan(s)
    bad = ~blank & ((s < low) | (s > high) | (s != np.floor(s)))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        x = s[i]
        _, cols = cells.flatten(values)
        kind = "not a whole number" if x != math.floor(x) else "off the scale"
        raise OutOfRange(f"has {x:g} in {cells.where(i, cols)}, {kind}; responses on this survey "
                         f"must be whole numbers from {low} to {high} ({scale} scale)", argument=arg)
    return s[~blank].astype(np.int64)


class NPSCounts(NamedTuple):
    promoters: int
    passives: int
    detractors: int

    @property
    def respondents(self) -> int:
        return self.promoters + self.passives + self.detractors


def nps_counts(scores: Any, arg: str = "scores") -> NPSCounts:
    """Promoters (9-10), passives (7-8) and detractors (0-6) of a range of 0-10 responses.

    >>> nps_counts([10, 9, 8, 6, None])
    NPSCounts(promoters=2, passives=1, detractors=1)
    """
    s = whole_scores(scores, arg, 0, 10, "0-10")
    c = np.bincount(s, minlength=11)
    return NPSCounts(int(c[9:].sum()), int(c[7:9].sum()), int(c[:7].sum()))


def nps_points(c: NPSCounts, arg: str = "scores") -> float:
    """NPS in points from counts; no respondents is ``#DIV/0!``."""
    if c.respondents == 0:
        raise DivisionByZero("has no responses; NPS needs at least one 0-10 score", argument=arg)
    return 100.0 * (c.promoters - c.detractors) / c.respondents


def nps_variance(c: NPSCounts) -> float:
    """Population variance of one response coded +1 (promoter), 0 (passive), -1 (detractor).

    ``p+ + p- - (p+ - p-)^2`` with p+ and p- the promoter and detractor shares (divided by n, the
    maximum-likelihood variance used by the Wald interval). Requires at least one respondent.

    >>> round(nps_variance(NPSCounts(5, 3, 2)), 12)   # 0.5 + 0.2 - 0.3**2
    0.61
    """
    n = c.respondents
    p, d = c.promoters / n, c.detractors / n
    return max(p + d - (p - d) ** 2, 0.0)


def confidence_z(confidence: Any, arg: str = "confidence") -> float:
    """Two-sided standard-normal quantile for a confidence level in (0, 1); blank is 0.95.

    >>> round(confidence_z(0.95), 4)
    1.96
    >>> round(confidence_z("90%"), 4)
    1.6449
    >>> round(confidence_z(0.9999999999999999), 2)   # the nearest float below 1: z, not StatisticsError
    8.29
    """
    c = 0.95 if is_blank(confidence) else cells.number(confidence, arg)
    if not 0 < c < 1:
        hint = f"; enter {c / 100:g} or {c:g}% for {c:g} %" if 1 < c < 100 else ""
        raise OutOfRange(f"is {c:g}; a confidence level is a fraction between 0 and 1 (0.95 for "
                         f"95 %){hint}", argument=arg)
    # the upper quantile as minus the lower one: 1 - (1 - c) / 2 rounds to 1.0 for c within 1e-16
    # of 1, where inv_cdf has no answer (statistics.StatisticsError); (1 - c) / 2 stays positive
    tail = (1 - c) / 2
    if not tail > 0:  # pragma: no cover - 0 < c < 1 keeps the tail positive
        raise OutOfRange(f"is {c!r}, too close to 1 for a confidence level", argument=arg)
    return -NormalDist().inv_cdf(tail)


def scale_max_value(value: Any, default: int, arg: str = "scale_max") -> int:
    """The top of a 1..scale_max scale: a whole number from 2 to 100; blank gives ``default``."""
    if is_blank(value):
        return default
    x = cells.number(value, arg)
    if x != math.floor(x) or not 2 <= x <= MAX_SCALE:
        raise OutOfRange(f"is {x:g}; the top of the scale must be a whole number from 2 to "
                         f"{MAX_SCALE} (5 for a 1-5 scale)", argument=arg)
    return int(x)


def satisfied_from(top: int) -> int:
    """The lowest score CSAT counts as satisfied when no threshold is given, on a 1..top scale: the top
    two boxes from four points up (4-5 of 1-5, 3-4 of 1-4, 6-7 of 1-7, 9-10 of 1-10), the top box alone
    on a two- or three-point scale (good of bad/good; the happy face of sad/neutral/happy), where the
    second box is the bad or the neutral answer.

    Source: Zendesk's CSAT rating scales (1-2: 2 is good; 1-3: 3 is good; 1-5: 4 and 5 are good);
    Formbricks' rating question (a 3-point range counts its highest rating only, 4 to 7 points the top
    two).

    >>> [satisfied_from(t) for t in (2, 3, 4, 5, 7, 10)]
    [2, 3, 3, 4, 6, 9]
    """
    return top - 1 if top >= 4 else top


def scale_scores(scores: Any, scale_max: int, arg: str = "scores") -> np.ndarray:
    """Responses on a 1..scale_max scale (whole numbers), as int64."""
    return whole_scores(scores, arg, 1, scale_max, f"1-{scale_max}")


def _mean(s: np.ndarray, what: str) -> float:
    if s.size == 0:
        raise DivisionByZero(f"has no responses; {what} needs at least one score", argument="scores")
    return float(s.mean())


# --------------------------------------------------------------------------- NPS

_NPS_ARGS = {"scores": "Responses to 'How likely are you to recommend ...?', whole numbers 0-10"}


@kpi(category="Surveys", returns="points", args=_NPS_ARGS)
def nps(scores):
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), in points from -100 to 100.

    Formula: ``100 x (promoters - detractors) / respondents``. Passives (7-8) count as respondents,
    so they pull the score toward 0 without adding to either side.

    Edge cases: blanks are skipped; no responses is ``#DIV/0!``; a response that is not a whole
    number from 0 to 10 (10.5, 11, -1) is ``#NUM!`` naming its cell; text or a logical value is
    ``#VALUE!``. Surveys on a 1-10 scale work unchanged (0 simply never occurs).

    Source: F. Reichheld, "The One Number You Need to Grow", Harvard Business Review, Dec 2003;
    Bain & Company, Net Promoter System ("Measuring Your Net Promoter Score").

    Example -- 10 responses after a support call: five 9-10s, three 7-8s, two 0-6s:

    >>> nps([10, 9, 9, 10, 9, 8, 7, 7, 3, 6])
    30.0
    """
    return nps_points(nps_counts(scores))


@kpi(category="Surveys", returns="points", args={
    "scores": "Employees' answers to 'How likely are you to recommend working here?', 0-10",
})
def enps(scores):
    """Employee Net Promoter Score: % promoters (9-10) minus % detractors (0-6) among employees.

    Formula: the NPS formula, ``100 x (promoters - detractors) / respondents``, applied to an
    employee survey ("How likely are you to recommend this company as a place to work?").

    Edge cases: as :func:`nps`: blanks skipped; no responses is ``#DIV/0!``; a response that is
    not a whole number from 0 to 10 is ``#NUM!``; text is ``#VALUE!``.

    Source: Bain & Company, Net Promoter System (eNPS, the employee form of the Net Promoter
    Score); F. Reichheld, HBR 2003.

    Example -- 8 employees: three 9-10s, two 7-8s, three 0-6s:

    >>> enps([[9, 10, 10, 8], [7, 2, 5, 6]])
    0.0
    """
    return nps_points(nps_counts(scores))


#: Pseudo-observations of the adjusted-Wald NPS interval: 3/4 of a detractor, 3/2 of a passive and 3/4 of a
#: promoter, 3 in all (B. Rocks, The American Statistician 70(4), 2016; his R package NPS, ``nps_test(...,
#: test = "adjusted.wald", pseudo_observations = c(0.75, 1.50, 0.75))``, detractors first; J. Lewis and
#: J. Sauro, MeasuringU: "add 3 to n, 3/4 to the detractors and 3/4 to the promoters").
ADJUSTED_WALD = (0.75, 1.5, 0.75)
#: The methods of :func:`nps_margin_of_error` (the first is the default).
NPS_INTERVALS = ("adjusted", "wald")


def nps_adjusted(c: NPSCounts) -> NPSCounts:
    """The counts with the adjusted-Wald pseudo-observations added (fractional counts).

    >>> nps_adjusted(NPSCounts(3, 0, 0))
    NPSCounts(promoters=3.75, passives=1.5, detractors=0.75)
    """
    d, m, p = ADJUSTED_WALD
    return NPSCounts(c.promoters + p, c.passives + m, c.detractors + d)


def nps_interval(c: NPSCounts, z: float, method: str = "adjusted") -> tuple[float, float, float]:
    """``(low, high, margin)`` of an NPS in points: the interval at the z of a confidence level, cut to
    the scale's -100..100, and its half-width before the cut (the margin of error).

    ``"adjusted"``: the Wald interval of the counts with :data:`ADJUSTED_WALD` added, centred on the
    adjusted NPS ``100 x (promoters - detractors) / (n + 3)`` (the NPS x n / (n + 3): the pseudo-promoters
    and pseudo-detractors cancel in the difference); ``"wald"``: centred on the NPS, with the counts as
    they are. Requires at least one respondent.

    >>> [round(x, 2) for x in nps_interval(NPSCounts(3, 0, 0), 1.959964)]   # 50 +/- 56.58, cut at 100
    [-6.58, 100.0, 56.58]
    """
    a = nps_adjusted(c) if method == "adjusted" else c
    n = a.respondents
    centre = 100.0 * (a.promoters - a.detractors) / n
    margin = float(z * math.sqrt(nps_variance(a) / n) * 100.0)
    return max(-100.0, centre - margin), min(100.0, centre + margin), margin


def nps_method(value: Any, arg: str = "method") -> str:
    """``"adjusted"`` (blank) or ``"wald"``, case-insensitive; anything else is ``#VALUE!``."""
    return cells.choice(value, arg, NPS_INTERVALS, default=NPS_INTERVALS[0])


@kpi(category="Surveys", returns="points", args={
    "scores": "NPS responses, whole numbers 0-10",
    "confidence": "Confidence level, a fraction (0.95 for 95 %); blank gives 0.95",
    "method": '"adjusted" (blank: the adjusted-Wald interval, right for small samples too) or "wald"',
})
def nps_margin_of_error(scores, confidence=0.95, method="adjusted"):
    """Margin of error of an NPS, in points: half the width of its adjusted-Wald interval (95 % by default).

    Formula (adjusted-Wald, the default): add 3/4 of a promoter, 3/2 of a passive and 3/4 of a detractor
    to the counts (n + 3 respondents in all); with p+ and p- the adjusted promoter and detractor shares,
    the variance of one response coded +1 / 0 / -1 is ``p+ + p- - (p+ - p-)^2`` and the margin is
    ``z x sqrt(variance / (n + 3)) x 100``, z the two-sided standard-normal quantile of ``confidence``
    (1.96 for 0.95). The interval is centred on the adjusted NPS, ``NPS x n / (n + 3)``: adjusted NPS
    +/- margin, cut to -100..100 (the survey report's NPS band draws it so). ``method`` "wald" gives the
    plain Wald margin, ``z x sqrt(variance / n) x 100`` on the counts as they are, centred on the NPS
    (what this function returned before session 5).

    Why adjusted: when every answer falls in one group (3 responses, all promoters) the Wald variance
    is 0 and so is its margin -- "NPS 100 +/- 0" from three people. The pseudo-observations keep the
    interval honest on small samples: 3 promoters read 50 +/- 56.6, so -6.6 to 100. Rocks (2016) found
    the adjusted-Wald interval the best performing of the six methods he compared; Lewis and Sauro's two
    real-world data sets agreed (MeasuringU, 2021).

    Edge cases: no responses is ``#DIV/0!``; a confidence level outside (0, 1) is ``#NUM!`` (95 is
    refused with a hint to enter 0.95 or 95%); a method other than "adjusted" or "wald" is ``#VALUE!``.

    Source: B. Rocks, "Interval Estimation for the 'Net Promoter Score'", The American Statistician
    70(4), 2016, and his R package NPS (``nps_test``, ``test = "adjusted.wald"``, pseudo-observations
    0.75, 1.50, 0.75); J. Lewis and J. Sauro, MeasuringU, "Confidence Intervals for Net Promoter Scores"
    and "Evaluating NPS Confidence Intervals with Real-World Data" (2021): "add a constant of 3 to the
    sample size, 3/4 to the number of detractors and 3/4 to the number of promoters".

    Example -- 10 responses, 5 promoters, 3 passives, 2 detractors (NPS 30): adjusted 5.75, 4.5, 2.75
    of 13; p+ = 0.4423, p- = 0.2115, variance 0.6538 - 0.2308^2 = 0.6006, margin 1.96 x sqrt(0.6006 / 13)
    x 100 = 42.13 around 30 x 10 / 13 = 23.08 (so -19.05 to 65.20); the plain Wald margin is
    1.96 x sqrt(0.61 / 10) x 100 = 48.41:

    >>> round(nps_margin_of_error([10, 9, 9, 10, 9, 8, 7, 7, 3, 6]), 2)
    42.13
    >>> round(nps_margin_of_error([10, 9, 9, 10, 9, 8, 7, 7, 3, 6], 0.95, "wald"), 2)
    48.41
    """
    z = confidence_z(confidence)
    how = nps_method(method)
    c = nps_counts(scores)
    nps_points(c)  # no responses: #DIV/0!
    return nps_interval(c, z, how)[2]


# --------------------------------------------------------------------------- CSAT and CES


@kpi(category="Surveys", returns="rate", args={
    "scores": "Satisfaction responses, whole numbers from 1 to scale_max",
    "scale_max": "Top of the scale: 5 for 1-5 (default), 3 for 1-3, 2 for bad/good (1/2), 10 for 1-10",
    "threshold": "Lowest score that counts as satisfied; blank: the top two boxes (the top box on 1-2 and 1-3)",
})
def csat(scores, scale_max=5, threshold=None):
    """Customer Satisfaction Score: share of responses at or above the threshold (top-2-box).

    Formula: ``count(score >= threshold) / count(score)``, a fraction. The default threshold is the
    top two boxes from a four-point scale up: ``scale_max - 1``, so 4-5 on a 1-5 scale, 3-4 on 1-4,
    6-7 on 1-7, 9-10 on 1-10; on a two- or three-point scale (bad/good as 1/2; sad/neutral/happy as
    1-3) it is the top box alone, ``scale_max``: there the second box is the bad or the neutral answer.

    Edge cases: blanks skipped; no responses is ``#DIV/0!``; a response that is not a whole number
    from 1 to scale_max is ``#NUM!`` naming its cell; scale_max must be a whole number from 2 to
    100 and threshold a number from 1 to scale_max (``#NUM!`` otherwise). Give the scale of your
    survey: on a 1-3 survey read as 1-5 no answer reaches 4 and CSAT is 0 (the survey report asks for
    the scale on its Settings sheet, ``csat_scale``). This is the transactional CSAT; it is
    not the ACSI index, a weighted 0-100 model score.

    Source: the top-2-box convention of customer-satisfaction surveys ("satisfied" = 4 or 5 on a 1-5
    scale: Qualtrics, "What is CSAT and how do you measure it?"; SoGoSurvey's CSAT question); the
    two- and three-point scales as Zendesk maps its CSAT rating scales to good and bad (1-2: 2 is
    good; 1-3: 3 is good; 1-5: 4 and 5 are good) and as Formbricks scores a 3-point rating (its
    highest rating only).

    Example -- 8 ratings after a delivery, 1-5 stars: 5, 5, 4, 4, 4, 3, 2, 1 -> 5 satisfied of 8;
    the same company's 1-3 emoji survey (1 sad, 2 neutral, 3 happy): 3, 3, 2, 1 -> 2 happy of 4:

    >>> csat([5, 5, 4, 4, 4, 3, 2, 1])
    0.625
    >>> csat([3, 3, 2, 1], 3)
    0.5
    """
    top = scale_max_value(scale_max, 5)
    s = scale_scores(scores, top)
    if is_blank(threshold):
        cut = float(satisfied_from(top))
    else:
        cut = cells.number(threshold, "threshold")
        if not 1 <= cut <= top:
            raise OutOfRange(f"is {cut:g}; the satisfied threshold must be on the scale, 1 to {top}",
                             argument="threshold")
    if s.size == 0:
        raise DivisionByZero("has no responses; CSAT needs at least one score", argument="scores")
    return float(np.count_nonzero(s >= cut) / s.size)


@kpi(category="Surveys", returns="number", args={
    "scores": "Satisfaction responses, whole numbers from 1 to scale_max",
    "scale_max": "Top of the scale: 5 for 1-5 (default), 10 for 1-10",
})
def csat_average(scores, scale_max=5):
    """Average satisfaction score on a 1..scale_max scale.

    Formula: ``sum(score) / count(score)``.

    Edge cases: blanks skipped; no responses is ``#DIV/0!``; a response that is not a whole number
    from 1 to scale_max is ``#NUM!`` naming its cell; scale_max must be a whole number 2-100.

    Source: the mean-score form of CSAT (Qualtrics, "What is CSAT"); top-2-box is :func:`csat`.

    Example -- 8 ratings on 1-5: 5, 5, 4, 4, 4, 3, 2, 1 -> 28 / 8:

    >>> csat_average([5, 5, 4, 4, 4, 3, 2, 1])
    3.5
    """
    return _mean(scale_scores(scores, scale_max_value(scale_max, 5)), "CSAT_AVERAGE")


@kpi(category="Surveys", returns="number", args={
    "scores": "Effort responses, whole numbers from 1 to scale_max (7 = very easy on CES 2.0)",
    "scale_max": "Top of the scale: 7 for the CES 2.0 1-7 agreement scale (default)",
})
def ces(scores, scale_max=7):
    """Customer Effort Score: the mean answer on a 1..scale_max effort scale (CES 2.0: 1-7).

    Formula: ``sum(score) / count(score)``. Two questions go by this name and point opposite ways:
    CES 2.0's statement "The company made it easy for me to handle my issue" (1 = strongly disagree,
    7 = strongly agree): higher is better; the original CES's "How much effort did you personally have
    to put forth to handle your request?" (1 = very low effort, 5 = very high effort): lower is better.
    The mean is the same formula for both, so the function takes no direction: read the result the way
    your question points (the survey report has a row for each, with its own target and colours, and its
    ``ces_question`` setting says which your survey asks).

    Edge cases: blanks skipped; no responses is ``#DIV/0!``; a response that is not a whole number
    from 1 to scale_max is ``#NUM!`` naming its cell; scale_max must be a whole number 2-100. The
    mean does not depend on scale_max (it only checks the answers): give it so that an answer off
    your survey's scale is caught, and read the mean against that scale (3.9 is good on 1-5 ease,
    middling on 1-7 ease, poor on 1-5 effort).

    Source: M. Dixon, K. Freeman, N. Toman, "Stop Trying to Delight Your Customers", HBR July-August
    2010, and CEB's "Frequently Asked Questions about Customer Effort Score" (the original, 1-5 effort);
    Gartner, "Unveiling the New and Improved Customer Effort Score" (2019) and M. Dixon, N. Toman,
    R. DeLisi, "The Effortless Experience" (2013) (CES 2.0, 1-7 agreement); CustomerGauge's CES page
    ("changed the scale from a 1-5 to a 1-7 scale and reversed the order").

    Example -- 6 support contacts rated 7, 6, 6, 5, 3, 3 on CES 2.0 -> 30 / 6 (higher is better):

    >>> ces([[7, 6, 6], [5, 3, 3]])
    5.0

    and 4 answers to the original question, 1, 2, 3, 2 on 1-5 -> 8 / 4 (lower is better: good):

    >>> ces([1, 2, 3, 2], 5)
    2.0
    """
    return _mean(scale_scores(scores, scale_max_value(scale_max, 7)), "CES")
