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
from ..registry import kpi
from .ratings import _rating, rating_scale, satisfied  # noqa: F401  (_rating: tests)
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
