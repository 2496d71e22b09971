"""Ticket ratings: which rating of a ticket is satisfied (:func:`satisfied`), on numeric scales
(``scale_max``) and in the words helpdesks export (Zendesk, Freshdesk, satisfaction labels, fa/ar).
TICKETS_BY's CSAT column (:mod:`xl_cskpi.tables.tickets`) counts them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import cells
from ..errors import InvalidInput, KPIError, OutOfRange
from ..kpi.survey import MAX_SCALE, satisfied_from
from .sla import _blank

__all__ = ["satisfied", "rating_scale", "DEFAULT_SCALE"]


# --------------------------------------------------------------------------- satisfaction

# Words are compared folded (cells.fold_label: case, spaces, Persian/Arabic letter variants), so the
# lists are folded too. Zendesk writes "Good" / "Bad" (its survey's buttons: "Good, I'm satisfied",
# "Bad, I'm unsatisfied"; its API: good_with_comment, bad_without_comment ...) and "Offered" /
# "Unoffered" for tickets not rated (support.zendesk.com/hc/en-us/articles/203662256;
# developer.zendesk.com, Satisfaction Ratings API, the score filter).
_GOOD_WORDS = ("good", "good, i'm satisfied", "good with comment", "good_with_comment", "good without comment",
               "good_without_comment", "satisfied", "extremely satisfied", "very satisfied", "happy",
               "very happy", "positive", "yes", "great", "awesome", "amazing", "راضی", "خوب", "بسیار راضی",
               "جيد", "راض", "راضٍ", "ممتاز")
_BAD_WORDS = ("bad", "bad, i'm unsatisfied", "bad with comment", "bad_with_comment", "bad without comment",
              "bad_without_comment", "unsatisfied", "dissatisfied", "not satisfied", "extremely unsatisfied",
              "very unsatisfied", "unhappy", "very unhappy", "negative", "no", "neutral", "okay", "ok", "terrible",
              "poor", "ناراضی", "بد", "متوسط", "سيئ", "غير راض", "محايد")
# Freshdesk (developer.freshdesk.com/api/#satisfaction-ratings): a custom survey's ratings are 103
# Extremely happy, 102 Very happy, 101 Happy, 100 Neutral, -101 Unhappy, -102 Very unhappy, -103 Extremely
# unhappy (a 2-point scale uses 103/-103, 3-point adds 100, 5-point adds 102/-102, 7-point all seven); the
# classic survey's buttons are Awesome / Just Okay / Not Good (API: happy / neutral / unhappy).
_GOOD_WORDS += ("extremely happy",)
_BAD_WORDS += ("extremely unhappy", "just okay", "just ok", "not good", "very dissatisfied", "extremely dissatisfied",
               "somewhat dissatisfied", "neither satisfied nor dissatisfied")
#: Rungs of a labelled scale: (bare word, "very" rung, "extremely" rung, and their negatives). A column
#: holding a "very" rung and an "extremely" rung of a family is on a 7-point scale, where the bare word is
#: the fifth box (Happy = 101 of Freshdesk's seven) and not satisfied (the top two boxes are).
_LADDERS = (("happy", "very happy", "extremely happy", "very unhappy", "extremely unhappy"),
            ("satisfied", "very satisfied", "extremely satisfied", "very dissatisfied", "extremely dissatisfied",
             "very unsatisfied", "extremely unsatisfied"))
_UNRATED_WORDS = ("offered", "unoffered", "not offered", "not rated", "unrated", "-", "n/a")


def _fold_word(text: str) -> str:
    return cells.fold_label(text.replace("\u2019", "'").replace("\u02bc", "'"))


_GOOD = frozenset(map(_fold_word, _GOOD_WORDS))
_BAD = frozenset(map(_fold_word, _BAD_WORDS))
_UNRATED = frozenset(map(_fold_word, _UNRATED_WORDS))
_FOLDED_LADDERS = tuple(tuple(map(_fold_word, ladder)) for ladder in _LADDERS)
_SPELLED = {_fold_word(w): w.capitalize() for ladder in _LADDERS for w in ladder}


def _fifth_boxes(flat: Any, top: int | None, arg: str) -> frozenset:
    """The bare words (``happy``, ``satisfied``) that are the fifth box of a 7-point labelled scale in
    this column, so not satisfied: ``scale_max`` 7, or a "very" and an "extremely" rung of the family
    among the ratings. ``happy`` beside an "extremely" rung but no "very" rung is ``#VALUE!`` asking for
    ``scale_max``: on Freshdesk's seven points it is the fifth box (101), on a five-point scale labelled
    Extremely happy / Happy / Neutral / ... the fourth (satisfied); the words alone cannot say which."""
    words = {_fold_word(v) for v in flat if isinstance(v, str) and v.strip()}
    out = set()
    for bare, very, extreme, *negatives in _FOLDED_LADDERS:
        if bare not in words or (top is not None and top != 7):
            continue
        veries = {very} | {w for w in negatives if w.startswith(_fold_word("very"))}
        extremes = {extreme} | {w for w in negatives if w.startswith(_fold_word("extremely"))}
        if top == 7 or (words & veries and words & extremes):
            out.add(bare)
        elif bare == _fold_word("happy") and words & extremes:
            i = next(k for k, v in enumerate(flat) if isinstance(v, str) and _fold_word(v) == bare)
            raise InvalidInput(f"has {cells.describe(flat[i])} in cell {i + 1} beside "
                               f"'{_SPELLED[sorted(words & extremes)[0]]}': on Freshdesk's 7-point scale "
                               f"Happy is the fifth box (not satisfied), on a 5-point scale without 'Very happy' "
                               f"the fourth (satisfied); give scale_max, 7 or 5", argument=arg)
    return frozenset(out)

#: The scale numeric ratings are read on when no ``scale_max`` is given (1-5, as CSAT).
DEFAULT_SCALE = 5


def rating_scale(scale_max: Any, arg: str = "scale_max") -> int | None:
    """The top of the numeric ratings' scale: a whole number from 2 to ``MAX_SCALE`` (a 1..top scale),
    or 1 for ratings written 0/1 (bad/good); blank gives None (1-5, with the check of
    :func:`satisfied`)."""
    if _blank(scale_max):
        return None
    x = cells.number(scale_max, arg)
    if x != np.floor(x) or not 1 <= x <= MAX_SCALE:
        raise OutOfRange(f"is {x:g}; the top of the ratings' scale is a whole number from 2 to {MAX_SCALE} (5 for "
                         "1-5, 3 for 1-3, 2 for 1-2), or 1 for ratings written 0/1 (bad/good)", argument=arg)
    return int(x)


def _cut(top: int | None) -> int:
    """The lowest satisfied rating on the scale (one rule with CSAT: :func:`~xl_cskpi.kpi.survey.satisfied_from`;
    on 0/1 the 1)."""
    return satisfied_from(DEFAULT_SCALE if top is None else top)


def satisfied(ratings: Any, arg: str = "ratings", scale_max: Any = None) -> np.ndarray:
    """Per ticket: 1.0 satisfied, 0.0 rated but not satisfied, NaN not rated.

    Numbers are ratings on a 1..``scale_max`` scale (blank: 1-5), satisfied from the top two boxes
    on four points up (4-5 of 1-5, 6-7 of 1-7, 9-10 of 1-10) and the top box alone on two and three
    points (2 of 1-2, 3 of 1-3), as ``CSAT`` counts them (:func:`~xl_cskpi.kpi.survey.satisfied_from`;
    Zendesk's mapping of its rating scales to good and bad); ``scale_max`` 1 reads ratings written
    0/1 (1 good). A number off the scale (0 or 7 on 1-5, 2.5) is ``#NUM!`` naming the cell. Without
    ``scale_max``, numbers that never reach 4 (a 1-3 or 1-2 export: 1, 2, 3) are ``#VALUE!`` asking
    for the scale: read as 1-5 none would be satisfied and CSAT would read 0 %.

    Text is Zendesk's ``Good`` / ``Bad`` (``Good, I'm satisfied``, ``good_with_comment`` ...;
    ``Offered`` / ``Unoffered`` = not rated), Freshdesk's labels (its custom survey's ``Extremely
    happy`` ... ``Extremely unhappy``, its classic ``Awesome`` / ``Just Okay`` / ``Not Good``),
    ``Satisfied`` / ``Neutral`` / ``Unsatisfied`` or their Persian/Arabic forms; other text is
    ``#VALUE!`` naming the cell. Words follow the top-two rule too: a column holding a "Very" and an
    "Extremely" rung (``Very happy`` and ``Extremely unhappy``) or ``scale_max`` 7 is on seven points,
    where the bare ``Happy`` / ``Satisfied`` is the fifth box, not satisfied; ``Happy`` beside
    ``Extremely ...`` without a "Very" rung is ``#VALUE!`` asking for ``scale_max`` (7: Freshdesk's
    seven points; 5: a five-point scale labelled without "Very"). On three points and the classic
    survey ``Happy`` / ``Awesome`` is the top box.

    Each distinct rating is judged once (an export of a million tickets holds a handful of them); the
    error names the first cell, in row order, holding a bad one.

    >>> satisfied([3, 2, 1, "Good", None], scale_max=3).tolist()
    [1.0, 0.0, 0.0, 1.0, nan]
    >>> satisfied([0, 1, 1], scale_max=1).tolist()
    [0.0, 1.0, 1.0]
    >>> satisfied(["Awesome", "Just Okay", "Not Good"]).tolist()
    [1.0, 0.0, 0.0]
    >>> satisfied(["Extremely happy", "Very happy", "Happy", "Extremely unhappy"]).tolist()
    [1.0, 1.0, 0.0, 0.0]
    """
    top = rating_scale(scale_max)
    if isinstance(ratings, (pd.Series, pd.Index, np.ndarray)) and isinstance(ratings.dtype, np.dtype) \
            and ratings.dtype.kind in "iuf":
        x = np.asarray(ratings, dtype=float).ravel()
        rated = ~np.isnan(x)
        lo, hi = _bounds(top)
        bad = rated & ~((x >= lo) & (x <= hi) & (x == np.round(x)))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            _rating(float(x[i]), i, arg, top)  # raises, as for that cell alone
        _check_reach(x[rated], top, arg)
        return np.where(rated, np.where(x >= _cut(top), 1.0, 0.0), np.nan)
    flat, _ = cells.flatten(ratings)

    def one_by_one() -> np.ndarray:
        fifth = _fifth_boxes(flat, top, arg)
        out = np.array([_rating(v, i, arg, top, fifth) for i, v in enumerate(flat)], dtype=float)
        _check_reach(np.array([x for x in map(_number, flat) if x is not None], dtype=float), top, arg)
        return out

    types = set(map(type, flat))
    if bool in types or np.bool_ in types:  # a hash table takes True for 1
        return one_by_one()
    try:
        codes, uniques = cells.factorize(flat)
    except TypeError:  # an unhashable cell
        return one_by_one()
    if (codes < 0).any():  # pandas' missing values: only None and NaN are blank cells here
        arr = np.empty(len(flat), dtype=object)
        arr[:] = flat
        if not all(v is None or (isinstance(v, float) and v != v) for v in arr[codes < 0].tolist()):
            return one_by_one()
    value = np.empty(len(uniques) + 1)
    value[-1] = np.nan
    distinct = uniques.tolist()
    try:
        fifth = _fifth_boxes(distinct, top, arg)
    except KPIError:
        fifth = _fifth_boxes(flat, top, arg)  # the same error, naming its first cell in row order
    for k, v in enumerate(distinct):
        try:
            value[k] = _rating(v, 0, arg, top, fifth)
        except KPIError:
            _rating(v, int(np.flatnonzero(codes == k)[0]), arg, top, fifth)  # the same error, naming its first cell
    _check_reach(np.array([x for x in map(_number, distinct) if x is not None], dtype=float), top, arg)
    return value[codes]


def _bounds(top: int | None) -> tuple[int, int]:
    """The lowest and highest rating of the scale: 1-5 without one, 0-1 for ``scale_max`` 1."""
    if top is None:
        return 1, DEFAULT_SCALE
    return (0, 1) if top == 1 else (1, top)


def _check_reach(numbers: np.ndarray, top: int | None, arg: str) -> None:
    """Without a scale given, numeric ratings that never reach the default scale's satisfied boxes (a 1-3
    or 1-2 export read as 1-5) are refused: CSAT would read 0 % with no word."""
    if top is not None or numbers.size == 0 or numbers.max() >= _cut(None):
        return
    raise InvalidInput(f"run from {numbers.min():g} to {numbers.max():g} only: on the default 1-5 scale none of them "
                       f"is satisfied (4 or 5) and CSAT would read 0 %; give scale_max, the top of your scale "
                       f"(3 for 1-3, 2 for 1-2), or 5 if it is 1-5", argument=arg)


def _number(v: Any) -> float | None:
    """The number a rating cell holds (a number, or number text that is not a rating word), else None."""
    if v is None or isinstance(v, bool) or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v)
    if isinstance(v, str) and v.strip() and _fold_word(v) not in _GOOD | _BAD | _UNRATED:
        return cells.parse_number_text(v)
    return None


def _rating(v: Any, i: int, arg: str, top: int | None = None, fifth: frozenset = frozenset()) -> float:
    """One rating cell (``i``: its position, for the error) as :func:`satisfied` reads it on the scale
    1..``top`` (None: 1-5; 1: 0/1); ``fifth``: words that are the fifth box of seven here (not satisfied)."""
    if v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip()):
        return np.nan
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        x = float(v)
    else:
        t = _fold_word(str(v))
        if t in _UNRATED:
            return np.nan
        if t in fifth:
            return 0.0
        if t in _GOOD:
            return 1.0
        if t in _BAD:
            return 0.0
        x = cells.parse_number_text(str(v))
        if x is None:
            raise InvalidInput(f"has {cells.describe(v)} in cell {i + 1}; use numbers on the ratings' scale "
                               "(1-5, or give scale_max) or Good/Bad (Zendesk), Satisfied/Neutral/Unsatisfied, "
                               "Extremely happy ... Extremely unhappy (Freshdesk)",
                               argument=arg)
    lo, hi = _bounds(top)
    if not (lo <= x <= hi and x == round(x)):
        if top is None:
            raise OutOfRange(f"has {x:g} in cell {i + 1}; a rating is a whole number from 1 to 5 on the default "
                             "scale: give scale_max for another (7 for 1-7, 10 for 1-10, 1 for ratings written 0/1)",
                             argument=arg)
        where = "above the top of the scale" if x > hi else "off the scale"
        raise OutOfRange(f"has {x:g} in cell {i + 1}, {where} (scale_max {top}: a rating is a whole number from "
                         f"{lo} to {hi})", argument=arg)
    return 1.0 if x >= _cut(top) else 0.0
