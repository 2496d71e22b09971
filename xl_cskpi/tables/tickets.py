"""Ticket tables: BACKLOG (open tickets over time) and TICKETS_BY (per agent, group, channel, priority).

Both are one vectorised pass over the tickets (sorted searches and ``bincount`` per group), so an
export of a million tickets is not a Python loop per ticket.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import business_time as bh, calendars, cells
from ..errors import DivisionByZero, InvalidInput, KPIError, NotAvailable, OutOfRange
from ..kpi.survey import MAX_SCALE, satisfied_from
from ..registry import kpi
from .sla import _blank, distinct_texts, elapsed_hours, policy_groups, read_policy
from .ticket_clock import as_of_on_clock, dates_on_clock, on_one_clock

__all__ = ["backlog", "tickets_by", "satisfied", "rating_scale"]


def _opened_resolved(opened_at: Any, resolved_at: Any) -> tuple[np.ndarray, np.ndarray]:
    r = cells.aligned(opened_at=(opened_at, "date"), resolved_at=(resolved_at, "date"))
    return _check_opened_resolved(r["opened_at"], r["resolved_at"])


def _check_opened_resolved(s: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Opened and resolved times as read (``datetime64[ns]``, same size): a resolved time needs an
    opened time at or before it (``#VALUE!`` naming the row)."""
    bad = np.isnat(s) & ~np.isnat(e)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidInput(f"is blank in row {i + 1}, where resolved_at is set; enter the opened time or clear "
                           "resolved_at", argument="opened_at")
    back = ~np.isnat(e) & (e < s)
    if back.any():
        i = int(np.flatnonzero(back)[0])
        raise InvalidInput(f"is {str(e[i])[:19].replace('T', ' ')} in row {i + 1}, before opened_at "
                           f"({str(s[i])[:19].replace('T', ' ')}); an end cannot precede its start",
                           argument="resolved_at")
    return s, e


@kpi(category="Support", returns="table", args={
    "opened_at": "When each ticket was opened (date-times, one row per ticket)",
    "resolved_at": "When each ticket was resolved; blank while open (same rows)",
    "dates": "Optional: the dates to measure the backlog at (a date = the end of that day); blank = every period",
    "period": 'Without dates: "day" (default), "week", "month" or "quarter"',
    "calendar": 'Without dates: the calendar of the periods: "gregorian" (default), "jalali" or "hijri"',
})
def backlog(opened_at, resolved_at, dates=None, period="day", calendar="gregorian"):
    """Backlog: open tickets at each date (or at the end of each period), with tickets opened and solved.

    Formula: at instant ``t``, ``backlog(t) = count(opened_at <= t) - count(resolved_at <= t)`` --
    the tickets opened and not yet resolved. A date without a time of day means the *end* of that day
    (the backlog the day closes with); a date-time means that instant. ``Opened`` and ``Solved`` count
    the tickets opened and resolved since the previous row (the first row: since the first ticket).
    Without ``dates``: one row per ``period`` of ``calendar`` from the first ticket's period to the
    last opened or resolved one, labelled as ``PERIOD_LABEL`` labels them, measured at its end.

    Edge cases: a resolved time without an opened time, or before it, is ``#VALUE!`` naming the row;
    no ticket at all is ``#DIV/0!`` (nothing to chart); dates need not be sorted (rows follow them).
    Times with a UTC offset (``2024-03-31T23:30:00-07:00``) are counted on the report reader's clock
    (:mod:`xl_cskpi.tables.ticket_clock`): as written when every offset is the same, else UTC; an
    offset on one end of a ticket only, or on ``dates`` only, is ``#VALUE!``.

    Source: Zendesk Explore, "Unsolved tickets" / backlog (tickets not solved at a point in time,
    support.zendesk.com/hc/en-us/articles/4408821589530); Freshdesk "Unresolved tickets" trend.

    Example -- three tickets: opened 1, 1 and 2 June; one solved on 2 June, one on 4 June:

    >>> import datetime as dt
    >>> d = dt.datetime
    >>> backlog([d(2024, 6, 1, 9), d(2024, 6, 1, 10), d(2024, 6, 2, 9)],
    ...         [d(2024, 6, 2, 12), d(2024, 6, 4, 8), None]).to_string(index=False)
    '    Period  Opened  Solved  Backlog\\n2024-06-01       2       0        2\\n2024-06-02       1       1        2\\n2024-06-03       0       0        2\\n2024-06-04       0       1        1'
    """
    clock = on_one_clock({"opened_at": opened_at, "resolved_at": resolved_at}, None, (("opened_at", "resolved_at"),))
    s, e = _opened_resolved(clock.columns["opened_at"], clock.columns["resolved_at"])
    s = s[~np.isnat(s)]
    e = e[~np.isnat(e)]
    if s.size == 0:
        raise DivisionByZero("has no tickets; nothing to count", argument="opened_at")
    if _blank(dates):
        p = cells.choice(period, "period", calendars.PERIODS, default="day")
        c = cells.choice(calendar, "calendar", calendars.CALENDARS, default="gregorian")
        po = calendars.period_ordinals(s, p, c, arg="opened_at")
        pe = calendars.period_ordinals(e, p, c, arg="resolved_at") if e.size else np.empty(0, np.int64)
        first = int(po.min())
        last = int(max(po.max(), pe.max() if pe.size else po.max()))
        opened = np.bincount(po - first, minlength=last - first + 1)
        solved = np.bincount(pe - first, minlength=last - first + 1) if pe.size else np.zeros_like(opened)
        labels = calendars.ordinal_labels(np.arange(first, last + 1), p, c)
        return pd.DataFrame({"Period": labels, "Opened": opened.astype(np.int64),
                             "Solved": solved.astype(np.int64),
                             "Backlog": (np.cumsum(opened) - np.cumsum(solved)).astype(np.int64)})
    at = dates_on_clock(dates, clock)
    if at.size == 0:
        raise InvalidInput("is empty; give dates or leave it blank for every period", argument="dates")
    midnight = (at - at.astype("datetime64[D]")) == np.timedelta64(0, "ns")
    # end of day: everything before the next midnight; an instant: everything at or before it
    ss, es = np.sort(s), np.sort(e)
    nxt = at + np.timedelta64(1, "D")
    opened_by = np.where(midnight, np.searchsorted(ss, nxt, side="left"), np.searchsorted(ss, at, side="right"))
    solved_by = np.where(midnight, np.searchsorted(es, nxt, side="left"), np.searchsorted(es, at, side="right"))
    order = np.argsort(at, kind="stable")
    prev_o = np.zeros(at.size, np.int64)
    prev_s = np.zeros(at.size, np.int64)
    prev_o[order[1:]] = opened_by[order[:-1]]
    prev_s[order[1:]] = solved_by[order[:-1]]
    return pd.DataFrame({"Date": at, "Opened": (opened_by - prev_o).astype(np.int64),
                         "Solved": (solved_by - prev_s).astype(np.int64),
                         "Backlog": (opened_by - solved_by).astype(np.int64)})


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


# --------------------------------------------------------------------------- per key

def _group_codes(keys: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Group codes (0..g-1 in the table's row order) of keys read as text (``None`` for a blank), and
    the rows' labels: keys folded as ``COMPLAINT_SUMMARY`` folds them, blanks ``(blank)``."""
    from .support import BLANK_KEY, _groups, _natural_order
    k = keys.copy()
    k[np.equal(k, None)] = BLANK_KEY
    code, labels = _groups(k)
    ordered = _natural_order(pd.Index(list(labels.values()), dtype=object))
    rank = {lab: j for j, lab in enumerate(ordered)}
    remap = np.array([rank[lab] for lab in labels.values()], dtype=np.int64)
    return (remap[code] if code.size else code), ordered


def _fast_key_codes(keys: Any) -> tuple[np.ndarray, list[str]] | None:
    """:func:`_group_codes` of ``cells.texts(keys)``, hashing the cells once and reading each distinct
    key once (``None`` when the keys are not of a kind read so: the caller then reads them as before).

    The distinct keys (:func:`xl_cskpi.tables.sla.distinct_texts`: a text column factorized by
    identity first, a typed numeric one by value) are rendered, folded and ordered -- the work per
    distinct key ``_group_codes`` did too -- so codes and labels are exactly the old ones.
    """
    from .support import BLANK_KEY

    got = distinct_texts(keys)
    if got is None:
        return None
    codes, texts = got
    text = [BLANK_KEY if t is None else t for t in texts.tolist()]
    if codes.size and codes.min() < 0:
        codes = np.where(codes < 0, len(text), codes)
        text.append(BLANK_KEY)
    code_u, labels = _group_codes(np.asarray(text, dtype=object))
    return (code_u[codes] if codes.size else codes), labels


#: Groups with at least this many values on average have their quantiles selected group by group
#: (``np.partition`` over each group's slice); smaller groups are sorted all at once.
_SELECT_MIN_AVG = 256


def _order_statistics(v: np.ndarray, counts: np.ndarray, group: np.ndarray, ranks: list[np.ndarray]
                      ) -> list[np.ndarray]:
    """For each array of ``ranks`` (one rank per group, within the group), that order statistic of the
    group's values ``v`` (no NaN): ``v`` of group ``j`` sorted ascending, element ``ranks[i][j]``."""
    n, g = v.size, counts.size
    small = np.int16 if g < 2**15 else np.int32 if g < 2**31 else np.int64
    out = [np.full(g, np.nan) for _ in ranks]
    if n == 0:
        return out
    starts = np.zeros(g, dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    if g * _SELECT_MIN_AVG <= n:
        # few large groups: gather each group's values (a stable sort of small group codes is a radix
        # sort), then select the needed ranks in each group's slice, in linear time
        grouped = v[np.argsort(group.astype(small), kind="stable")]
        for j in np.flatnonzero(counts).tolist():
            a, c = int(starts[j]), int(counts[j])
            want = sorted({int(r[j]) for r in ranks})
            part = np.partition(grouped[a:a + c], want)
            for i, r in enumerate(ranks):
                out[i][j] = part[int(r[j])]
        return out
    # many small groups: sort by value, then (stable, a radix sort) by group
    order = np.argsort(v)
    order = order[np.argsort(group[order].astype(small), kind="stable")]
    ordered = v[order]
    has = counts > 0
    for i, r in enumerate(ranks):
        out[i][has] = ordered[starts[has] + r[has]]
    return out


def _group_quantiles(values: np.ndarray, group: np.ndarray, g: int, qs: tuple[float, ...]) -> list[np.ndarray]:
    """``PERCENTILE.INC`` of ``values`` (NaN skipped) within each group 0..g-1 and, last, over every
    value (the Total row): one array of ``g + 1`` per ``q`` in ``qs``, NaN for an empty group.

    The rank ``h = (count - 1) q`` of each group, its floor ``lo`` and ``hi = min(lo + 1, count - 1)``;
    the result is ``a + (h - lo)(b - a)`` with ``a``, ``b`` the values of ranks ``lo`` and ``hi``
    (Excel's and numpy's linear interpolation). The order statistics are selected, not sorted for,
    when the groups are large (:func:`_order_statistics`); the Total's from all the values at once.
    """
    ok = ~np.isnan(values)
    v, c = values[ok], group[ok]
    counts = np.append(np.bincount(c, minlength=g), v.size)
    has = counts > 0
    los, his, hs = [], [], []
    for q in qs:
        h = (counts[has] - 1) * q
        lo = np.floor(h).astype(np.int64)
        hi = np.minimum(lo + 1, counts[has] - 1)
        hs.append(h), los.append(lo), his.append(hi)
    ranks = []
    for lo, hi in zip(los, his):
        for r in (lo, hi):
            full = np.zeros(g + 1, dtype=np.int64)
            full[has] = r
            ranks.append(full)
    stats = _order_statistics(v, counts[:g], c, [r[:g] for r in ranks])
    if v.size:  # the Total row: every value
        want = sorted({int(r[g]) for r in ranks})
        part = np.partition(v, want)
        for i, r in enumerate(ranks):
            stats[i] = np.append(stats[i], part[int(r[g])])
    else:
        stats = [np.append(s, np.nan) for s in stats]
    out = []
    for i, (h, lo) in enumerate(zip(hs, los)):
        a, b = stats[2 * i][has], stats[2 * i + 1][has]
        o = np.full(g + 1, np.nan)
        o[has] = a + (h - lo) * (b - a)
        out.append(o)
    return out


@kpi(category="Support", returns="table", row_labels=("Key",), args={
    "keys": "What to group tickets by, one cell per ticket: agent, group, channel or priority",
    "opened_at": "When each ticket was opened (same rows)",
    "resolved_at": "When each ticket was resolved; blank while open (same rows)",
    "first_response_at": "Optional: when an agent first replied (adds the median first reply)",
    "sla": "Optional: SLA target hours for every ticket, or a policy priority | hours (with priorities)",
    "priorities": "Optional: priority of each ticket, for a policy given as sla",
    "ratings": "Optional: satisfaction rating of each ticket (1-5 or on scale_max, or Good/Bad): adds CSAT",
    "schedule": "Optional: working hours for the durations and the SLA; blank = calendar hours",
    "as_of": "Optional: the time of the report; open tickets past their SLA count as breached",
    "holidays": "Optional: days off and/or country codes added to the schedule",
    "scale_max": "Optional: top of the numeric ratings' scale: 5 for 1-5 (default), 3 for 1-3, 2 for 1-2, 10 for "
                 "1-10; 1 for ratings written 0/1",
})
def tickets_by(keys, opened_at, resolved_at, first_response_at=None, sla=None, priorities=None, ratings=None,
               schedule=None, as_of=None, holidays=None, scale_max=None):
    """Tickets per agent, group, channel or priority: volume, solved, median and p90 resolution, SLA, CSAT.

    Formula, per key: ``Tickets`` (rows with an opened time), ``Solved`` (with a resolved time),
    ``Open``, ``Median resolution (h)`` and ``P90 resolution (h)`` (``PERCENTILE.INC`` of the
    resolution hours of its solved tickets, as ``RESOLUTION_TIME_PERCENTILE``), with
    ``first_response_at`` ``Median first reply (h)``, with ``sla`` ``SLA compliance`` (met / judged,
    as ``SLA_COMPLIANCE`` or per priority as ``SLA_POLICY_COMPLIANCE``), with ``ratings`` ``CSAT``
    (satisfied / rated: 4-5 of 1-5, the top two boxes of ``scale_max`` from four points up and the top
    box alone on 1-2 and 1-3, as ``CSAT``; Zendesk's Good of Good + Bad) and ``Rated``. Hours are business
    hours on ``schedule`` when given. A ``Total`` row covers every ticket.

    Edge cases: keys are grouped case-insensitively with Persian/Arabic letter variants folded (as
    ``COMPLAINT_SUMMARY``); a blank key is ``(blank)``; a key without a solved, replied, judged or
    rated ticket has a blank in that column; a resolved time before its opened time is ``#VALUE!``
    naming the row; with a policy, tickets whose priority has no target are not judged; no opened
    time at all is ``#N/A``. Times with a UTC offset (``...Z``, ``-07:00``) are instants: without a
    schedule a duration is the time elapsed (23 h across the US DST start), with one it is read on
    the schedule's clock; an offset on one end of a duration only (or on ``as_of`` and not on an
    open ticket's opened time) is ``#VALUE!`` naming both (:mod:`xl_cskpi.tables.ticket_clock`).

    Source: Zendesk Explore per-assignee/group/channel reports (tickets created, solved, full
    resolution time median, first reply time median, SLA achievement rate, satisfaction score =
    good / (good + bad); support.zendesk.com/hc/en-us/articles/4408834848154 and
    .../4408829459866); Freshdesk's agent and group performance reports.

    Example -- two agents:

    >>> import datetime as dt
    >>> o = dt.datetime(2024, 6, 2, 9)
    >>> t = tickets_by(["Sara", "Li", "sara"], [o] * 3, [o + dt.timedelta(hours=2), None, o + dt.timedelta(hours=6)],
    ...                ratings=["Good", None, "Bad"])
    >>> t[["Key", "Tickets", "Solved", "Median resolution (h)", "CSAT"]].values.tolist()
    [['Li', 1, 0, nan, nan], ['Sara', 2, 2, 4.0, 0.5], ['Total', 3, 2, 4.0, 0.5]]
    """
    sch = bh.schedule_argument(schedule, holidays)
    times, pairs = {"opened_at": opened_at, "resolved_at": resolved_at}, [("opened_at", "resolved_at")]
    if not _blank(first_response_at):
        times["first_response_at"] = first_response_at
        pairs.append(("opened_at", "first_response_at"))
    clock = on_one_clock(times, sch, tuple(pairs))
    ranges = dict(keys=(keys, "text"), **{k: (v, "date") for k, v in clock.columns.items()})
    if not _blank(priorities):
        ranges["priorities"] = (priorities, "text")
    fast: dict[str, Any] | None = None
    try:  # keys and priorities read once per distinct cell; any doubt: the usual way and its errors
        fast = {"keys": _fast_key_codes(keys)}
        if "priorities" in ranges:
            fast["priorities"] = distinct_texts(priorities)
        if any(v is None for v in fast.values()):
            fast = None
        else:
            r = cells.aligned(**{k: v for k, v in ranges.items() if k not in fast})
            if any(len(a) != len(fast["keys"][0]) for a in [*r.values(), *(c for c, _ in fast.values())]):
                fast = None
    except KPIError:
        fast = None
    if fast is None:
        r = cells.aligned(**ranges)
    keyed = fast["keys"] if fast else None
    s, e = _check_opened_resolved(r["opened_at"], r["resolved_at"])
    n = s.size
    rating = None
    rating_scale(scale_max)  # checked even without ratings
    if not _blank(ratings):
        rating = satisfied(ratings, "ratings", scale_max)
        if rating.size != n:
            raise InvalidInput(f"has {rating.size} cells but keys has {n}; give one rating per ticket",
                               argument="ratings")
    ticket = ~np.isnat(s)
    if not ticket.any():
        raise NotAvailable("has no opened times: give one date-time per ticket", argument="opened_at")
    code, labels = keyed if keyed is not None else _group_codes(r["keys"])
    g = len(labels)
    res = elapsed_hours(s, e, sch)
    cols: dict[str, Any] = {}

    def count(mask):  # per key, then the Total row
        return np.append(np.bincount(code[mask], minlength=g), np.count_nonzero(mask)).astype(np.int64)

    unsolved = np.isnat(e)
    cols["Tickets"] = count(ticket)
    cols["Solved"] = count(ticket & ~unsolved)
    cols["Open"] = count(ticket & unsolved)
    cols["Median resolution (h)"], cols["P90 resolution (h)"] = _group_quantiles(res, code, g, (0.5, 0.9))
    if "first_response_at" in r:
        fr = elapsed_hours(s, r["first_response_at"], sch, end_arg="first_response_at")
        cols["Median first reply (h)"], = _group_quantiles(fr, code, g, (0.5,))
    if not _blank(sla):
        flat, ncols = cells.flatten(sla)
        filled = [v for v in flat if v is not None and not (isinstance(v, str) and not v.strip())]
        one = filled[0] if len(filled) == 1 and ncols < 2 else None
        single = one is not None and not isinstance(one, bool) and (
            isinstance(one, (int, float, np.integer, np.floating)) or cells.parse_number_text(str(one)) is not None)
        if single:
            target = np.full(n, cells.number(filled[0], "sla"))
            if target[0] < 0:
                raise OutOfRange(f"is {target[0]:g}; an SLA target is hours, 0 or more", argument="sla")
        else:
            if "priorities" not in ranges:
                raise InvalidInput("is a policy by priority; give priorities too", argument="priorities")
            pol = read_policy(sla)
            codes, texts = fast["priorities"] if fast else cells.factorize(r["priorities"])
            target = np.array([h for _, _, h in pol] + [np.nan])[policy_groups(codes, texts, pol)]
        now = as_of_on_clock(as_of, clock, ticket & np.isnat(e))
        tol = 1e-9
        met = ~np.isnan(res) & (res <= target + tol)
        judged = ~np.isnan(res) & ~np.isnan(target)
        if now is not None:
            open_ = ticket & np.isnat(e)
            waited = np.full(n, np.nan)
            if open_.any():
                waited[open_] = elapsed_hours(s[open_], np.maximum(s[open_], now), sch)
            judged |= open_ & (waited > target + tol)
        m, j = count(met & judged), count(judged)
        cols["SLA compliance"] = np.where(j > 0, m / np.maximum(j, 1), np.nan)
    if rating is not None:
        rated = ~np.isnan(rating)
        good = count(rated & (rating == 1.0))
        k = count(rated)
        cols["Rated"] = k
        cols["CSAT"] = np.where(k > 0, good / np.maximum(k, 1), np.nan)
    out = pd.DataFrame({"Key": labels + ["Total"], **cols})
    return out
