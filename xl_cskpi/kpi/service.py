"""Support family: ticket timings (resolution, first response, SLA), time to value, complaints.

All timing functions take *aligned* ranges -- one row per ticket (or per customer for
:func:`time_to_value`) -- of dates or date-times: ``datetime`` objects as xlwings delivers them,
Excel serial numbers (``45536.5`` is 1 September 2024, 12:00) or ISO text (``2024-09-01 12:00``).

Conventions shared by the family (decided once here):

* **Business hours.** The timing functions take two optional trailing arguments, ``schedule`` and
  ``holidays`` (new in 0.2; a call without them keeps its meaning: calendar hours). A schedule is a
  preset (``iran``, ``saudi``, ``uae``, ``egypt``, ``western``, ``24x7``), hours text
  (``"Sun-Thu 09:00-17:00"``) or a sheet range ``weekday | from | to``; durations then count only
  the working time (:mod:`xl_cskpi.business_time`), as Zendesk's "... within business hours"
  metrics and Freshdesk's business-hours SLAs do.

* A ticket whose end time (resolved, first response, value date) is blank is still open and is
  skipped. A row with an end time but no start time cannot be measured: ``#VALUE!`` naming the row.
  An end before its start is ``#VALUE!`` naming the row. A row blank on both sides is an empty row.
* No measurable ticket at all is ``#DIV/0!`` -- what Excel's ``AVERAGEIFS`` shows when no row
  qualifies, and the project rule for "nothing to average". (``#N/A`` was the alternative; we keep
  one code for every "no data" case of the family, medians and percentiles included.)
* Durations are returned in the ``unit`` asked for: ``"minutes"``, ``"hours"`` (default) or
  ``"days"``; time to value is in days, as the contract says for durations without a unit.

The arithmetic is numpy on ``datetime64[ns]``: no Python loop per ticket.

Definitions, and where the helpdesks differ (the exports feed these columns):

* **First reply** -- Zendesk: creation to the first *public* agent comment (a ticket an agent
  creates with a public comment counts from the second one), "First reply time", reported as a
  median (support.zendesk.com/hc/en-us/articles/4408834848154). Freshdesk: "First response time",
  created to the first agent response (its export's ``Initial response time``). Intercom: "First
  Response Time", the conversation's start to the first *teammate* reply, median by default
  (intercom.com/help/en/articles/3653556, .../7022438). They differ on what counts as the reply
  (Zendesk: a public agent comment; Intercom: a teammate's reply) and all three offer business-hours variants on
  their schedule ("within business hours" / "office hours": intercom.com/help/en/articles/8425113).
* **Full resolution** -- Zendesk: creation to the *latest* solve ("Full resolution time"; "First
  resolution time" stops at the first solve). Freshdesk: created to ``Resolved time`` (``Closed
  time`` when a ticket was closed without being resolved). Intercom: "Time to close", to the *last*
  close (``Last closed at``). A reopened ticket therefore counts to its last solve in Zendesk's full
  and Intercom's figures, to its first in Zendesk's first resolution time.
* **Reopen** -- Zendesk counts each return from Solved to Open/Pending (``Reopens``); Freshdesk and
  Intercom exports carry no count (see :func:`reopen_rate`).
* **One-touch** -- Zendesk: solved with fewer than two public agent replies (:func:`one_touch_resolution_rate`);
  Intercom: "closed on first contact" = closed once with one participating teammate
  (intercom.com/help/en/articles/7022438); Freshworks' FCR: no customer reply after the ticket was
  raised.
* **SLA** -- Zendesk and Freshdesk judge each ticket against the target of its priority, in
  business or calendar hours, and count an open ticket past its target as breached
  (:func:`xl_cskpi.sla_policy_compliance`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import business_time as bh, cells
from ..errors import DivisionByZero, InvalidInput, OutOfRange
from ..registry import kpi

__all__ = [
    "avg_resolution_time",
    "resolution_time_percentile",
    "first_response_time",
    "sla_compliance",
    "time_to_value",
    "complaints",
    "normalize_label",
    "reopen_rate",
    "one_touch_resolution_rate",
]

UNITS = ("minutes", "hours", "days")
STATISTICS = ("median", "mean")
_UNIT_STEP = {
    "minutes": np.timedelta64(60, "s"),
    "hours": np.timedelta64(3600, "s"),
    "days": np.timedelta64(86400, "s"),
}


def _durations(start: Any, end: Any, start_arg: str, end_arg: str, unit: str,
               what: str = "tickets", schedule: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Durations ``end - start`` in ``unit`` over rows that have an end; also the start times.

    Rows with a blank end are skipped (open); an end without a start or before its start raises
    ``#VALUE!`` naming the first such row. With a ``schedule`` (:class:`~xl_cskpi.business_time.Schedule`)
    the durations are business time on it.
    """
    r = cells.aligned(**{start_arg: (start, "date"), end_arg: (end, "date")})
    s, e = r[start_arg], r[end_arg]
    no_start = np.isnat(s) & ~np.isnat(e)
    if no_start.any():
        i = int(np.flatnonzero(no_start)[0])
        raise InvalidInput(
            f"is blank in row {i + 1}, where {end_arg} is {str(e[i])[:19].replace('T', ' ')}; "
            f"enter the start time or clear {end_arg} for that row", argument=start_arg)
    done = ~np.isnat(e)
    delta = e[done] - s[done]
    backwards = delta < np.timedelta64(0, "ns")
    if backwards.any():
        k = int(np.flatnonzero(backwards)[0])
        i = int(np.flatnonzero(done)[k])
        raise InvalidInput(
            f"is {str(e[i])[:19].replace('T', ' ')} in row {i + 1}, before {start_arg} "
            f"({str(s[i])[:19].replace('T', ' ')}); an end cannot precede its start",
            argument=end_arg)
    if delta.size == 0:
        raise DivisionByZero(f"has no {what} with an end time; nothing to measure", argument=end_arg)
    if schedule is not None:
        seconds = bh.durations(s[done], e[done], schedule, start_arg=start_arg, end_arg=end_arg)
        return seconds / (_UNIT_STEP[unit] / np.timedelta64(1, "s")), s[done]
    return delta / _UNIT_STEP[unit], s[done]


def _blank(value: Any) -> bool:
    """Whether an optional argument was left blank (``None``, empty text, an empty cell)."""
    flat, _ = cells.flatten(value)
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in flat)


def _statistic(values: np.ndarray, statistic: str) -> float:
    return float(np.median(values) if statistic == "median" else values.mean())


@kpi(category="Support", returns="duration", args={
    "opened_at": "When each ticket was opened (date-times, one row per ticket)",
    "resolved_at": "When each ticket was resolved; blank for open tickets (same rows as opened_at)",
    "unit": 'Unit of the result: "minutes", "hours" (default) or "days"',
    "schedule": "Optional: count business hours only: a preset (iran, saudi, uae, egypt, western, 24x7), hours text (Sun-Thu 09:00-17:00) or a weekday | from | to range; blank = calendar hours",
    "holidays": "Optional: days off (dates, Jalali/Hijri text) and/or country codes (IR, DE) added to the schedule",
})
def avg_resolution_time(opened_at, resolved_at, unit="hours", schedule=None, holidays=None):
    """Average resolution time: mean of resolved_at - opened_at over resolved tickets.

    Formula: ``mean(resolved_at - opened_at)`` over the rows where both are present, in ``unit``.

    Edge cases: a ticket with a blank ``resolved_at`` is open and skipped; a ``resolved_at`` without
    an ``opened_at`` is ``#VALUE!`` naming the row (the duration is unknown, and guessing would bias
    the mean); resolved before opened is ``#VALUE!`` naming the row; ranges of different sizes are
    ``#VALUE!``; no resolved ticket is ``#DIV/0!`` (as Excel's ``AVERAGEIFS``).

    Source: Zendesk, "Full resolution time" (time from ticket creation to solved, averaged over
    solved tickets); Freshdesk, "Average resolution time"; HDI support-center metrics.

    Example -- three tickets opened 1 Mehr at 09:00; one solved at 11:00, one at 13:00, one open:

    >>> import datetime as dt
    >>> o = dt.datetime(2024, 9, 22, 9)
    >>> avg_resolution_time([[o], [o], [o]],
    ...                     [[dt.datetime(2024, 9, 22, 11)], [dt.datetime(2024, 9, 22, 13)], [None]])
    3.0
    """
    u = cells.choice(unit, "unit", UNITS, default="hours")
    sch = bh.schedule_argument(schedule, holidays)
    hours, _ = _durations(*bh.local_pair(opened_at, resolved_at, sch, "opened_at", "resolved_at"), "opened_at",
                          "resolved_at", u, schedule=sch)
    return float(hours.mean())


@kpi(category="Support", returns="duration", args={
    "opened_at": "When each ticket was opened (date-times, one row per ticket)",
    "resolved_at": "When each ticket was resolved; blank for open tickets (same rows as opened_at)",
    "percentile": "Which percentile, 0 to 1 (default 0.5, the median; 0.9 for the 90th)",
    "unit": 'Unit of the result: "minutes", "hours" (default) or "days"',
    "schedule": "Optional: count business hours only: a preset (iran, saudi, uae, egypt, western, 24x7), hours text (Sun-Thu 09:00-17:00) or a weekday | from | to range; blank = calendar hours",
    "holidays": "Optional: days off (dates, Jalali/Hijri text) and/or country codes (IR, DE) added to the schedule",
})
def resolution_time_percentile(opened_at, resolved_at, percentile=0.5, unit="hours", schedule=None, holidays=None):
    """Resolution time percentile (median by default) over resolved tickets, in the unit asked.

    Formula: ``PERCENTILE.INC(resolved_at - opened_at, percentile)`` over resolved tickets -- the
    inclusive linear interpolation of Excel's ``PERCENTILE.INC`` (numpy's default ``linear``
    method): rank ``h = (n - 1) * p``, interpolate between the sorted values at ``floor(h)`` and
    ``floor(h) + 1``.

    Edge cases: open tickets (blank ``resolved_at``) are skipped; a resolved time without an opened
    time, or before it, is ``#VALUE!`` naming the row; ``percentile`` outside 0..1 is ``#NUM!``
    (as ``PERCENTILE.INC``; "90%" as text is read as 0.9); no resolved ticket is ``#DIV/0!``.

    Source: Zendesk Explore, "Full resolution time - median (hrs)" and its percentile variants;
    Microsoft, ``PERCENTILE.INC`` function (interpolation rule).

    Example -- tickets resolved in 1, 2, 4 and 10 hours: median 3 h, 90th percentile 8.2 h:

    >>> import datetime as dt
    >>> o = dt.datetime(2024, 9, 1, 8)
    >>> done = [o + dt.timedelta(hours=h) for h in (1, 2, 4, 10)]
    >>> resolution_time_percentile([o] * 4, done)
    3.0
    >>> round(resolution_time_percentile([o] * 4, done, 0.9), 6)
    8.2
    """
    p = 0.5 if _blank(percentile) else cells.number(percentile, "percentile")
    if not 0 <= p <= 1:
        raise OutOfRange(f"is {p:g}; use a fraction from 0 to 1 (0.9 for the 90th percentile)",
                         argument="percentile")
    u = cells.choice(unit, "unit", UNITS, default="hours")
    sch = bh.schedule_argument(schedule, holidays)
    durations, _ = _durations(*bh.local_pair(opened_at, resolved_at, sch, "opened_at", "resolved_at"),
                              "opened_at", "resolved_at", u, schedule=sch)
    return float(np.quantile(durations, p, method="linear"))


@kpi(category="Support", returns="duration", args={
    "opened_at": "When each ticket was opened (date-times, one row per ticket)",
    "first_response_at": "When an agent first replied; blank while awaiting a reply (same rows)",
    "statistic": 'How to summarise: "median" (default) or "mean"',
    "unit": 'Unit of the result: "minutes", "hours" (default) or "days"',
    "schedule": "Optional: count business hours only: a preset (iran, saudi, uae, egypt, western, 24x7), hours text (Sun-Thu 09:00-17:00) or a weekday | from | to range; blank = calendar hours",
    "holidays": "Optional: days off (dates, Jalali/Hijri text) and/or country codes (IR, DE) added to the schedule",
})
def first_response_time(opened_at, first_response_at, statistic="median", unit="hours", schedule=None,
                        holidays=None):
    """First response time: median (or mean) of first_response_at - opened_at over replied tickets.

    Formula: ``median(first_response_at - opened_at)`` (or the mean) over the rows where both are
    present, in ``unit``. The median is the default because a few tickets answered days later
    drag the mean far from what a typical customer waits.

    Edge cases: a ticket still awaiting its first reply (blank ``first_response_at``) is skipped;
    a reply without an opened time, or before it, is ``#VALUE!`` naming the row; ranges of
    different sizes are ``#VALUE!``; no replied ticket is ``#DIV/0!``.

    Source: Zendesk, "First reply time" (creation to first public agent comment; Zendesk reports
    the median); Freshdesk, "First response time"; HDI.

    Example -- replies after 30 min, 1 h and 5 h; one ticket not yet answered:

    >>> import datetime as dt
    >>> o = dt.datetime(2024, 9, 1, 9)
    >>> replies = [o + dt.timedelta(minutes=m) for m in (30, 60, 300)] + [None]
    >>> first_response_time([o] * 4, replies)
    1.0
    >>> first_response_time([o] * 4, replies, "mean", "minutes")
    130.0
    """
    stat = cells.choice(statistic, "statistic", STATISTICS, default="median")
    u = cells.choice(unit, "unit", UNITS, default="hours")
    sch = bh.schedule_argument(schedule, holidays)
    waits, _ = _durations(*bh.local_pair(opened_at, first_response_at, sch, "opened_at", "first_response_at"),
                          "opened_at", "first_response_at", u, what="replied tickets", schedule=sch)
    return _statistic(waits, stat)


@kpi(category="Support", returns="rate", args={
    "opened_at": "When each ticket was opened (date-times, one row per ticket)",
    "resolved_at": "When each ticket was resolved; blank for open tickets (same rows as opened_at)",
    "sla_hours": "Resolution target in hours (e.g. 24)",
    "as_of": "Optional: the time of the report (e.g. =NOW()); open tickets already past the SLA then count as breaches",
    "schedule": "Optional: count business hours only: a preset (iran, saudi, uae, egypt, western, 24x7), hours text (Sun-Thu 09:00-17:00) or a weekday | from | to range; blank = calendar hours",
    "holidays": "Optional: days off (dates, Jalali/Hijri text) and/or country codes (IR, DE) added to the schedule",
})
def sla_compliance(opened_at, resolved_at, sla_hours, as_of=None, schedule=None, holidays=None):
    """Share of tickets resolved within the SLA (resolution time <= sla_hours).

    Formula: ``met / (resolved + breached_open)`` where ``met`` counts resolved tickets with
    ``resolved_at - opened_at <= sla_hours`` (a ticket resolved exactly at the target meets it).
    Without ``as_of``, ``breached_open`` is 0: only resolved tickets are judged. With ``as_of``,
    an open ticket opened more than ``sla_hours`` before ``as_of`` has already breached and counts
    in the denominator; open tickets still within their target are left out (not yet decided).

    Edge cases: ``sla_hours`` negative is ``#NUM!``; a resolved time without an opened time, or
    before it, is ``#VALUE!`` naming the row; no ticket to judge is ``#DIV/0!``.

    Source: Zendesk, "SLA achievement rate" (achieved / (achieved + breached) SLA targets, where an
    open ticket past its target is already breached); Freshdesk, "Resolution SLA %"; HDI.

    Example -- SLA 24 h; tickets resolved in 2 h, 20 h and 30 h, one open since 2 days before the
    report: 2 of 3 resolved tickets met it; counting the open breach, 2 of 4:

    >>> import datetime as dt
    >>> o = dt.datetime(2024, 9, 1, 9)
    >>> opened = [o, o, o, o]
    >>> resolved = [o + dt.timedelta(hours=h) for h in (2, 20, 30)] + [None]
    >>> round(sla_compliance(opened, resolved, 24), 4)
    0.6667
    >>> sla_compliance(opened, resolved, 24, dt.datetime(2024, 9, 3, 9))
    0.5
    """
    sla = cells.number(sla_hours, "sla_hours")
    if sla < 0:
        raise OutOfRange(f"is {sla:g}; an SLA target is a number of hours, 0 or more",
                         argument="sla_hours")
    sch = bh.schedule_argument(schedule, holidays)
    written = opened_at
    opened_at, resolved_at = bh.local_pair(opened_at, resolved_at, sch, "opened_at", "resolved_at")
    r = cells.aligned(opened_at=(opened_at, "date"), resolved_at=(resolved_at, "date"))
    has_as_of = not _blank(as_of)
    try:
        hours, _ = _durations(r["opened_at"], r["resolved_at"], "opened_at", "resolved_at", "hours",
                              schedule=sch)
    except DivisionByZero:
        hours = np.empty(0)
    met = int(np.count_nonzero(hours <= sla + 1e-9))  # tolerance: serials carry float noise
    judged = hours.size
    if has_as_of:
        s, e = r["opened_at"], r["resolved_at"]
        open_ = ~np.isnat(s) & np.isnat(e)
        now = _as_of(as_of, sch, written, open_)
        if sch is None:
            waited = (now[0] - s[open_]) / _UNIT_STEP["hours"]
        else:
            waited = bh.durations(s[open_], np.maximum(s[open_], now[0]), sch,
                                  start_arg="opened_at", end_arg="as_of") / 3600.0
        judged += int(np.count_nonzero(waited > sla + 1e-9))
    if judged == 0:
        raise DivisionByZero("has no resolved (or breached) tickets; nothing to judge against the SLA",
                             argument="resolved_at")
    return met / judged


def _as_of(as_of: Any, sch: Any, opened_at: Any, open_: np.ndarray) -> np.ndarray:
    """``as_of`` as one date-time on the clock of the open tickets' opening times: with a schedule,
    the schedule's (an offset converted); without one, the instant in UTC when it and the open
    tickets' opening times carry offsets, the wall clock when neither does; one with an offset and
    the other without is ``#VALUE!`` (the wait is unknown), as for a ticket's two ends."""
    if sch is not None:
        as_of = bh.to_local(as_of, sch, "as_of")
    now, off = cells.dates.datetimes_offsets(as_of, "as_of")
    keep = ~np.isnat(now)
    now, off = now[keep], off[keep]
    if now.size != 1:
        raise InvalidInput(f"must be one date-time, got {now.size}", argument="as_of")
    if sch is not None:
        return now
    _, opened_off = cells.dates.datetimes_offsets(opened_at, "opened_at")
    zoned = ~np.isnan(opened_off[open_]) if opened_off.size == open_.size else np.zeros(0, dtype=bool)
    if zoned.size and (zoned != (not np.isnan(off[0]))).any():
        i = int(np.flatnonzero(open_)[np.flatnonzero(zoned != (not np.isnan(off[0])))[0]])
        which = "carries a time-zone offset and as_of does not" if zoned.any() and np.isnan(off[0]) else \
            "has no time-zone offset and as_of has one"
        raise InvalidInput(f"in row {i + 1} (an open ticket) {which}, so its wait is unknown; write both with an "
                           "offset or both without", argument="opened_at")
    if not np.isnan(off[0]):
        now = now - np.timedelta64(int(off[0]), "m")
    return now


@kpi(category="Support", returns="days", args={
    "start_dates": "When each customer started (signed, onboarding kick-off), one row per customer",
    "value_dates": "When each customer first reached value (go-live, first outcome); blank if not yet",
    "statistic": 'How to summarise: "median" (default) or "mean"',
})
def time_to_value(start_dates, value_dates, statistic="median"):
    """Time to value: median (or mean) days from start to first value, over customers who got there.

    Formula: ``median(value_dates - start_dates)`` in days (fractions of a day kept), or the mean.

    Edge cases: customers without a value date have not reached value yet and are skipped; a
    value date without a start date, or before it, is ``#VALUE!`` naming the row; ranges of
    different sizes are ``#VALUE!``; nobody having reached value is ``#DIV/0!``.

    Source: Gainsight, "Time to Value (TTV)" (time from contract or kick-off to the first value
    milestone); Userpilot/ChurnZero onboarding definitions. The median is the default because a
    few stalled onboardings skew the mean.

    Example -- three customers signed 1 Shahrivar (22 Aug 2024), live after 10, 14 and 40 days:

    >>> import datetime as dt
    >>> s = dt.date(2024, 8, 22)
    >>> live = [s + dt.timedelta(days=d) for d in (10, 14, 40)]
    >>> time_to_value([s, s, s, s], live + [None])
    14.0
    >>> time_to_value([s, s, s], live, "mean")
    21.333333333333332
    """
    stat = cells.choice(statistic, "statistic", STATISTICS, default="median")
    days, _ = _durations(*bh.local_pair(start_dates, value_dates, None, "start_dates", "value_dates"),
                         "start_dates", "value_dates", "days", what="customers")
    return _statistic(days, stat)


# --------------------------------------------------------------------------- complaints

def normalize_label(value: str) -> str:
    """The comparison form of a status or key (see :func:`xl_cskpi.cells.fold_labels`).

    >>> normalize_label("  Pending ") == normalize_label("PENDING")
    True
    >>> normalize_label("پيگيري") == normalize_label("پیگیری")
    True
    """
    return cells.fold_label(value)


normalize_labels = cells.fold_labels


@kpi(category="Support", returns="count", args={
    "statuses": "The status of each complaint (one cell per complaint; blanks are not complaints)",
    "status": "Optional: count only complaints with this status (case-insensitive), e.g. \"pending\"",
})
def complaints(statuses, status=None):
    """Number of complaints, or of those whose status equals status (case-insensitive).

    Formula: the number of non-blank cells in ``statuses``; with ``status``, the number whose
    text equals it after normalisation (case-folded; Arabic ي/ى/ك and Persian ی/ک treated as the
    same letter, likewise ة/ه and the alef forms; extra spaces, zero-width non-joiners, tatweel and
    diacritics ignored; Persian/Arabic digits read as 0-9) -- see :func:`normalize_label`.

    Edge cases: blank cells are not complaints; an empty range gives 0 (no complaints is a count,
    not an error); a ``status`` that matches nothing gives 0; logical values in ``statuses`` are
    ``#VALUE!``; a ``status`` of more than one cell is ``#VALUE!``.

    Source: ISO 10002:2018 (complaints handling: log every complaint, track its status);
    Excel ``COUNTA`` / ``COUNTIF`` semantics (``COUNTIF`` is case-insensitive too).

    Example -- five complaints in Mehr, two pending (typed with Arabic and Persian keyboards):

    >>> complaints(["Pending", "resolved", "PENDING", "Escalated", "resolved", None])
    5
    >>> complaints(["Pending", "resolved", "PENDING", "Escalated", "resolved"], "pending")
    2
    >>> complaints(["در انتظار", "حل شده", "در انتظار"], "در انتظار")
    2
    """
    s = cells.texts(statuses, "statuses")
    if _blank(status):
        return int(s.size)
    wanted = normalize_label(cells.text(status, "status"))
    return int(np.count_nonzero(normalize_labels(s) == wanted))


# --------------------------------------------------------------------------- reopens and one-touch

def _solved_mask(resolved_at: Any, n: int, arg: str = "resolved_at") -> np.ndarray | None:
    if _blank(resolved_at):
        return None
    r = cells.datetimes(resolved_at, arg, keep_blanks=True)
    if r.size != n:
        raise InvalidInput(f"has {r.size} cells but the counts have {n}; give one row per ticket", argument=arg)
    return ~np.isnat(r)


@kpi(category="Support", returns="rate", args={
    "reopens": "How many times each ticket was reopened (Zendesk's Reopens column), one row per ticket",
    "resolved_at": "Optional: when each ticket was solved (same rows); only solved tickets are counted",
})
def reopen_rate(reopens, resolved_at=None):
    """Reopen rate: share of solved tickets that were reopened at least once.

    Formula: ``count(reopens >= 1) / count(tickets)`` over the solved tickets (rows with a
    ``resolved_at``; every row with a count when ``resolved_at`` is not given). A ticket reopened
    three times is one reopened ticket.

    Edge cases: a blank count is a ticket without the count and is skipped; negative or fractional
    counts are ``#NUM!`` naming the cell; no ticket to count is ``#DIV/0!``.

    Source: Zendesk, "Reopens" (the number of times a ticket moved from solved back to open or
    pending; support.zendesk.com/hc/en-us/articles/4408834848154 and the Explore metric "Reopened
    tickets" = tickets with reopens >= 1). Freshdesk's ticket export has no reopen count, and
    Intercom's conversation export neither (a conversation reopened shows only its last close):
    for them this rate needs a reopen count from their APIs or analytics.

    Example -- 5 solved tickets, one reopened twice, one once:

    >>> reopen_rate([0, 2, 0, 1, 0])
    0.4
    """
    n = cells.numbers(reopens, "reopens", keep_blanks=True)
    have = ~np.isnan(n)
    solved = _solved_mask(resolved_at, n.size)
    if solved is not None:
        have &= solved
    bad = have & ((n < 0) | (n != np.round(n)))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise OutOfRange(f"has {n[i]:g} in cell {i + 1}; a reopen count is a whole number, 0 or more",
                         argument="reopens")
    total = int(have.sum())
    if total == 0:
        raise DivisionByZero("has no solved ticket with a reopen count; nothing to share", argument="reopens")
    return float(np.count_nonzero(n[have] >= 1) / total)


@kpi(category="Support", returns="rate", args={
    "replies": "Agent replies on each ticket (Zendesk's Replies, Freshdesk's Agent interactions), one row per ticket",
    "resolved_at": "When each ticket was solved (same rows); only solved tickets are counted",
    "count_zero": "Optional: TRUE (default) counts tickets solved without any reply as one-touch, as Zendesk's formula does",
})
def one_touch_resolution_rate(replies, resolved_at, count_zero=True):
    """One-touch resolution rate: share of solved tickets solved with at most one agent reply.

    Formula: ``count(solved and replies <= 1) / count(solved)``; with ``count_zero`` FALSE, a solved
    ticket with no agent reply is not one-touch (``replies == 1`` only) but still in the denominator.

    Edge cases: a solved ticket with a blank reply count is ``#VALUE!`` naming the row (guessing it
    would bias the rate); open tickets are skipped; negative or fractional counts are ``#NUM!``; no
    solved ticket is ``#DIV/0!``.

    Source: Zendesk, "How are one-touch resolutions calculated?"
    (support.zendesk.com/hc/en-us/articles/4408820618266): the Explore metric One-touch tickets is
    ``IF (VALUE(Agent replies) < 2 AND status is Solved or Closed)`` -- zero or one public agent
    reply -- as Zendesk Customer Care quotes it; the article's current text in some languages says
    "exactly one agent reply", hence ``count_zero``. Freshworks counts differently: its "FCR %"
    (first contact resolution) is the share of resolved tickets with *no customer* interaction after
    the ticket was raised, whatever the number of agent responses
    (support.freshservice.com/en/support/solutions/articles/50000004904); from a Freshdesk export,
    pass ``Agent interactions`` here for Zendesk's definition, or compute FCR from
    ``Customer interactions`` = 0 with ``COUNTIFS``.

    Example -- 5 solved tickets with 1, 1, 3, 0 and 2 replies, and one open ticket:

    >>> import datetime as dt
    >>> d = dt.datetime(2024, 6, 3, 12)
    >>> one_touch_resolution_rate([1, 1, 3, 0, 2, 0], [d, d, d, d, d, None])
    0.6
    >>> one_touch_resolution_rate([1, 1, 3, 0, 2, 0], [d, d, d, d, d, None], False)
    0.4
    """
    zero = cells.flag(count_zero, "count_zero", True)
    n = cells.numbers(replies, "replies", keep_blanks=True)
    solved = _solved_mask(resolved_at, n.size)
    if solved is None:
        raise DivisionByZero("is blank in every row: no solved ticket; nothing to share", argument="resolved_at")
    missing = solved & np.isnan(n)
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise InvalidInput(f"is blank in row {i + 1}, a solved ticket; enter its agent replies", argument="replies")
    bad = solved & ((n < 0) | (n != np.round(n)))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise OutOfRange(f"has {n[i]:g} in cell {i + 1}; replies are a whole number, 0 or more", argument="replies")
    total = int(solved.sum())
    if total == 0:
        raise DivisionByZero("has no solved ticket; nothing to share", argument="resolved_at")
    r = n[solved]
    hit = (r <= 1) if zero else (r == 1)
    return float(np.count_nonzero(hit) / total)
