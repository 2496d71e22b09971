"""Support tables on business hours: BUSINESS_HOURS, SLA_POLICY_COMPLIANCE, SLA_BREACHES.

Durations come from :func:`xl_cskpi.business_time.durations` (vectorised: one pass over the
tickets). A ``schedule`` argument is a preset name (``iran``, ``saudi``, ``uae``, ``egypt``,
``western``, ``24x7``), hours text (``"Sun-Thu 09:00-17:00"``) or a sheet range ``weekday | from |
to``; ``holidays`` a range of dates (Gregorian, or Jalali/Hijri text in the schedule's calendar)
and/or country codes (``IR``, ``DE``; ``none`` drops the preset's). A blank schedule measures
wall-clock (calendar) hours, as Freshdesk's "calendar hours" SLAs and Zendesk's calendar metrics do.

SLA policies follow Zendesk's model (support.zendesk.com/hc/en-us/articles/4408829459866, "Defining
and using SLA policies"): one target per priority, judged per ticket; a ticket solved within its
target has *achieved* it, one solved later has *breached* it, and an open ticket already past its
target at ``as_of`` has breached it too (Zendesk's achievement rate = achieved / (achieved +
breached), open tickets within their target not yet judged). Freshdesk judges the same way
("Resolution status: Within SLA / SLA violated", support.freshdesk.com/support/solutions/articles/37626).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from .. import business_time as bh, cells
from ..errors import InvalidInput, KPIError, NotAvailable, OutOfRange
from ..registry import kpi
from .ticket_clock import as_of_on_clock, on_one_clock

__all__ = ["business_hours", "sla_policy_compliance", "sla_breaches", "read_policy", "elapsed_hours",
           "NO_TARGET"]

#: Row of tickets whose priority has no target in the policy.
NO_TARGET = "(no target)"
_UNITS = {"minutes": 60.0, "hours": 3600.0, "days": 86400.0}


def _blank(value: Any) -> bool:
    """No cell holds anything: every cell ``None``, blank text, or (pandas) a missing value.

    A typed pandas column (dates, numbers) is blank when every cell is missing, found without
    turning its cells into Python objects (a million ``Timestamp`` objects took 1.7 s); a text
    column whose first cell is text is not blank, found without reading the rest.
    """
    if value is None:
        return True
    if isinstance(value, (pd.Series, pd.Index)):
        kind = getattr(value.dtype, "kind", "O")
        if kind in "biufcmM" and not isinstance(value.dtype, pd.CategoricalDtype):
            return not bool(value.notna().any())
        if value.dtype == object and len(value):
            first = value[0] if isinstance(value, pd.Index) else value.iloc[0]
            if isinstance(first, str) and first.strip():
                return False
    flat, _ = cells.flatten(value)
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in flat)


def distinct_cells(values: Any) -> tuple[np.ndarray, np.ndarray, bool] | None:
    """The distinct cells of a range read as text: int64 codes (-1 for a missing value), the distinct
    cells as given, and whether they are all text; ``None`` when the range is not of a kind read so
    (then read it the usual way, ``cells.texts``). :func:`render_texts` gives their texts.

    A typed numeric column is factorized by value (no logical value can hide in it). Any other range
    is factorized by identity first (:func:`xl_cskpi.tables.rows.raw_ranges`: a reader's column points
    every repeat of a text at one object, so an unsorted export costs no cache miss per row) and
    taken only when every distinct cell is text: ``pandas.factorize`` would merge ``True`` with ``1``,
    and ``cells.texts`` refuses the logical value.
    """
    from .rows import _codes_of, raw_ranges

    if isinstance(values, (pd.Series, pd.Index, np.ndarray)) and isinstance(values.dtype, np.dtype) \
            and values.dtype.kind in "iuf":
        codes, uniques = pd.factorize(np.asarray(values).ravel(), use_na_sentinel=True)
        return np.asarray(codes, dtype=np.int64), np.asarray(uniques), False
    arr, _ = raw_ranges(values=values)["values"]
    if isinstance(arr, np.ndarray) and arr.dtype != object:
        return None
    codes, uniques, _ = _codes_of(arr)
    if any(type(u) is not str for u in uniques.tolist()):
        return None
    return codes, uniques, True


def render_texts(uniques: np.ndarray, is_text: bool) -> np.ndarray:
    """``cells.texts`` of distinct cells (:func:`distinct_cells`), one by one: an object array, ``None``
    for a blank."""
    out = np.empty(len(uniques), dtype=object)
    if is_text:
        out[:] = [u.strip() or None for u in uniques.tolist()]  # cells.texts of text only
    elif uniques.dtype.kind in "iu":  # whole numbers: their decimal digits, as str(int) writes them
        out[:] = uniques.astype(str)
    elif len(uniques):
        out[:] = cells.texts(uniques.tolist(), "values", keep_blanks=True)
    return out


def distinct_texts(values: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """``cells.texts(values, keep_blanks=True)`` as codes into its distinct texts: int64 codes (-1 for a
    missing value) and an object array of each distinct cell's text (``None`` when blank), so that
    :func:`texts_of` gives exactly what ``cells.texts`` gives, each distinct cell rendered once.
    ``None`` when the range is not of a kind read so (:func:`distinct_cells`)."""
    got = distinct_cells(values)
    if got is None:
        return None
    codes, uniques, is_text = got
    return codes, render_texts(uniques, is_text)


def texts_of(codes: np.ndarray, texts: np.ndarray) -> np.ndarray:
    """The per-cell texts of :func:`distinct_texts`' codes (``None`` for -1)."""
    ext = np.empty(len(texts) + 1, dtype=object)
    ext[:-1] = texts
    return ext[codes]


def elapsed_hours(s: np.ndarray, e: np.ndarray, schedule: bh.Schedule | None, *, start_arg: str = "opened_at",
                  end_arg: str = "resolved_at") -> np.ndarray:
    """Hours from ``s`` to ``e`` (naive ``datetime64[ns]`` arrays, NaT blank -> NaN): wall clock
    without a schedule, business hours with one. An end before its start is ``#VALUE!`` naming the row."""
    if schedule is None:
        ok = ~np.isnat(s) & ~np.isnat(e)
        out = np.full(s.size, np.nan)
        d = (e[ok] - s[ok]) / np.timedelta64(1, "h")
        if (d < 0).any():
            i = int(np.flatnonzero(ok)[int(np.flatnonzero(d < 0)[0])])
            raise InvalidInput(f"is {str(e[i])[:19].replace('T', ' ')} in row {i + 1}, before {start_arg} "
                               f"({str(s[i])[:19].replace('T', ' ')}); an end cannot precede its start",
                               argument=end_arg)
        out[ok] = d
        return out
    try:
        return bh.durations(s, e, schedule, start_arg=start_arg, end_arg=end_arg) / 3600.0
    except InvalidInput as err:
        m = re.search(r"row (\d+)", err.reason)
        if m:
            i = int(m.group(1)) - 1
            err.reason = (f"is {str(e[i])[:19].replace('T', ' ')} in row {i + 1}, before {start_arg} "
                          f"({str(s[i])[:19].replace('T', ' ')}); an end cannot precede its start")
            err.args = (err.message,)
        raise


def _one_time(as_of: Any) -> np.datetime64 | None:
    if _blank(as_of):
        return None
    now = cells.datetimes(as_of, "as_of")
    if now.size != 1:
        raise InvalidInput(f"must be one date-time, got {now.size}", argument="as_of")
    return now[0]


@kpi(category="Support", returns="column", args={
    "start": "When each ticket was opened (date-times, one row per ticket)",
    "end": "When it was resolved or first answered; blank while open (same rows as start)",
    "schedule": 'Working hours: a preset ("iran", "saudi", "uae", "egypt", "western", "24x7"), hours text '
                '("Sun-Thu 09:00-17:00") or a range weekday | from | to',
    "holidays": "Optional: days off (dates; Jalali/Hijri text in the schedule's calendar) and/or country codes (IR, DE)",
    "unit": 'Unit of the result: "minutes", "hours" (default) or "days" (of 24 business hours)',
    "as_of": "Optional: the time of the report; an open ticket is then measured up to it",
})
def business_hours(start, end, schedule="western", holidays=None, unit="hours", as_of=None):
    """Business hours between start and end of each ticket, on a working schedule: one value per row.

    Formula: the length of the overlap of ``[start, end]`` with the schedule's working intervals
    (weekly hours in its time zone, minus holidays), computed as ``F(end) - F(start)`` where ``F``
    is the cumulative working time (:mod:`xl_cskpi.business_time`). Times are wall-clock times of
    the schedule's zone (Excel cells have none); a DST day counts its real length.

    Edge cases: a blank end gives a blank (or the time up to ``as_of``); a blank start gives a blank,
    and no start at all is ``#N/A``;
    an end before its start is ``#VALUE!`` naming the row; a schedule without hours gives 0;
    an unknown preset, zone or weekday is ``#VALUE!`` saying what to write.

    Source: Zendesk's "... within business hours" metrics (support.zendesk.com/hc/en-us/articles/
    4408834848154: the same duration counted only inside the schedule's hours) and Freshdesk's
    business-hours SLAs ("anything outside your working hours ... will not be timed",
    support.freshdesk.com/support/solutions/articles/37627).

    Example -- Mon-Fri 09:00-17:00: opened Friday 15 March 2024 16:00, solved Monday 10:30 = 1 h on
    Friday + 1.5 h on Monday; a ticket over Nowruz on the Iranian week (19-23 March 2024 are
    holidays) from Monday 18 March 15:00 to Sunday 24 March 09:00 = 1 h + 1 h:

    >>> import datetime as dt
    >>> business_hours([dt.datetime(2024, 3, 15, 16)], [dt.datetime(2024, 3, 18, 10, 30)]).tolist()
    [2.5]
    >>> business_hours([dt.datetime(2024, 3, 18, 15)], [dt.datetime(2024, 3, 24, 9)], "iran").tolist()
    [2.0]
    """
    u = cells.choice(unit, "unit", tuple(_UNITS), default="hours")
    sch = bh.schedule_argument("western" if _blank(schedule) else schedule, holidays)
    r = cells.aligned(start=(bh.to_local(start, sch), "date"), end=(bh.to_local(end, sch), "date"))
    s, e = r["start"], r["end"]
    if not (~np.isnat(s)).any():
        raise NotAvailable("has no opened times: give one date-time per ticket", argument="start")
    now = _one_time(bh.to_local(as_of, sch, "as_of"))
    if now is not None:
        e = np.where(np.isnat(e) & ~np.isnat(s), now, e)
    hours = elapsed_hours(s, e, sch, start_arg="start", end_arg="end")
    return hours * 3600.0 / _UNITS[u]


# --------------------------------------------------------------------------- SLA policies

def read_policy(policy: Any) -> list[tuple[str, str, float]]:
    """``[(folded priority, label, target hours), ...]`` from a range ``priority | hours`` (a header row
    is skipped) or text ``"urgent 4, high 8, normal 24, low 48"`` (``=`` or ``:`` between may be used).

    >>> read_policy("Urgent=4; high 8")
    [('urgent', 'Urgent', 4.0), ('high', 'high', 8.0)]
    >>> read_policy([["priority", "hours"], ["Low", 48], ["Normal", "24"]])
    [('low', 'Low', 48.0), ('normal', 'Normal', 24.0)]
    """
    flat, cols = cells.flatten(policy)
    pairs: list[tuple[Any, Any]] = []
    if cols >= 2:
        for r in range(len(flat) // cols):
            a, b = flat[r * cols], flat[r * cols + 1]
            if (a is None or str(a).strip() == "") and (b is None or str(b).strip() == ""):
                continue
            pairs.append((a, b))
    else:
        text = " ; ".join(str(v) for v in flat if v is not None and str(v).strip())
        for part in re.split(r"[;,\n،؛]+", text):
            part = part.strip()
            if not part:
                continue
            m = re.fullmatch(r"(.+?)\s*[=:]?\s*([0-9۰-۹٠-٩]+(?:[.٫][0-9۰-۹٠-٩]+)?)\s*h?", part)
            if not m:
                raise InvalidInput(f"has {part!r}; write priority and target hours, e.g. \"urgent 4, high 8\"",
                                   argument="policy")
            pairs.append((m.group(1), m.group(2)))
    out: list[tuple[str, str, float]] = []
    seen: set[str] = set()
    for i, (name, hours) in enumerate(pairs):
        if name is None or not str(name).strip():
            raise InvalidInput(f"has a target without a priority in row {i + 1}", argument="policy")
        try:
            h = cells.number(hours, "policy")
        except InvalidInput:
            if i == 0 and cols >= 2:
                continue                                   # a header row
            raise
        if not np.isfinite(h) or h < 0:
            raise OutOfRange(f"has the target {h:g} h for {name}; targets are hours, 0 or more", argument="policy")
        label = str(name).strip()
        key = cells.fold_label(label)
        if key in seen:
            raise InvalidInput(f"lists the priority {label!r} twice", argument="policy")
        seen.add(key)
        out.append((key, label, float(h)))
    if not out:
        raise InvalidInput("has no targets; give rows priority | target hours", argument="policy")
    return out


def _judge(opened_at, done_at, priorities, policy, schedule, as_of, holidays, ids=None, with_ids=False):
    """Per ticket: priority group (policy index, -1 none), target, hours (NaN open), state code."""
    pol = read_policy(policy)
    sch = bh.schedule_argument(schedule, holidays)
    clock = on_one_clock({"opened_at": opened_at, "done_at": done_at}, sch, (("opened_at", "done_at"),))
    ranges = dict(opened_at=(clock.columns["opened_at"], "date"), done_at=(clock.columns["done_at"], "date"),
                  priorities=(priorities, "text"))
    if with_ids:
        ranges["ticket_ids"] = (ids, "text")
    fast = None
    try:  # priorities and ids read once per distinct cell; any doubt: the usual way and its errors
        fast = {"priorities": distinct_texts(priorities)}
        if with_ids:
            fast["ticket_ids"] = distinct_cells(ids)  # rendered for the rows listed only
        if any(v is None for v in fast.values()):
            fast = None
        else:
            r = cells.aligned(**{k: v for k, v in ranges.items() if k not in fast})
            if any(len(a) != len(r["opened_at"]) for a in [*r.values(), *(v[0] for v in fast.values())]):
                fast = None
    except KPIError:
        fast = None
    if fast is None:
        r = cells.aligned(**ranges)
        p_codes, p_text = cells.factorize(r["priorities"])
        if with_ids:
            r["ticket_ids_at"] = lambda rows: r["ticket_ids"][rows]
    else:
        p_codes, p_text = fast["priorities"]
        if with_ids:
            id_codes, id_cells, is_text = fast["ticket_ids"]

            def ids_at(rows: np.ndarray) -> np.ndarray:  # the texts of the ids of these rows
                codes = id_codes[rows]
                used = np.zeros(len(id_cells) + 1, dtype=bool)
                used[codes] = True  # code -1: the last slot, a blank id (None)
                used[-1] = False
                at = np.flatnonzero(used)
                text = np.empty(len(id_cells) + 1, dtype=object)
                text[at] = render_texts(id_cells[at], is_text)
                return text[codes]

            r["ticket_ids_at"] = ids_at
    s, e = r["opened_at"], r["done_at"]
    no_start = np.isnat(s) & ~np.isnat(e)
    if no_start.any():
        i = int(np.flatnonzero(no_start)[0])
        raise InvalidInput(f"is blank in row {i + 1}, where done_at is set; enter the opened time or clear done_at",
                           argument="opened_at")
    hours = elapsed_hours(s, e, sch, start_arg="opened_at", end_arg="done_at")
    open_ = ~np.isnat(s) & np.isnat(e)
    now = as_of_on_clock(as_of, clock, open_)
    waited = np.full(s.size, np.nan)
    if now is not None and open_.any():
        early = open_ & (s > now)
        if early.any():
            i = int(np.flatnonzero(early)[0])
            raise InvalidInput(f"is before opened_at of row {i + 1}; give the time of the report", argument="as_of")
        waited[open_] = elapsed_hours(s[open_], np.full(int(open_.sum()), now), sch)
    group = policy_groups(p_codes, p_text, pol)
    target = np.array([h for _, _, h in pol] + [np.nan])[group]
    tol = 1e-9
    met = ~np.isnan(hours) & (hours <= target + tol)
    breached = ~np.isnan(hours) & (hours > target + tol)
    open_breached = open_ & ~np.isnan(waited) & (waited > target + tol)
    ticket = ~np.isnat(s)
    return pol, group, target, hours, waited, met, breached, open_breached, open_, ticket, r


def policy_groups(codes: np.ndarray, texts: np.ndarray, pol: list[tuple[str, str, float]]) -> np.ndarray:
    """Per cell, the index in ``pol`` of its priority (folded as :func:`read_policy` folds them), -1 for
    a priority without a target or a blank; from the distinct texts (``codes`` -1: blank)."""
    index = {k: j for j, (k, _, _) in enumerate(pol)}
    text = [("" if t is None else t) for t in texts.tolist()] + [""]  # a blank is "", folded as text
    folded = cells.fold_labels(np.asarray(text, dtype=object)).tolist()
    group_u = np.array([index.get(k, -1) for k in folded], dtype=np.int64)
    return group_u[codes] if codes.size else np.empty(0, np.int64)


@kpi(category="Support", returns="table", row_labels=("Priority",), args={
    "opened_at": "When each ticket was opened (date-times, one row per ticket)",
    "done_at": "When the target was reached: resolved (resolution SLA) or first replied (first-reply SLA); blank while not",
    "priorities": "Priority of each ticket (same rows): urgent, high, normal, low...",
    "policy": 'Targets: a range priority | target hours, or text "urgent 4, high 8, normal 24, low 48"',
    "schedule": "Optional: working hours (preset, hours text or a weekday | from | to range); blank = calendar hours",
    "as_of": "Optional: the time of the report; open tickets already past their target then count as breached",
    "holidays": "Optional: days off and/or country codes added to the schedule",
})
def sla_policy_compliance(opened_at, done_at, priorities, policy, schedule=None, as_of=None, holidays=None):
    """SLA compliance per priority: met, breached, open and breached, compliance, against a policy.

    Formula: per priority of the policy, a ticket with ``done_at`` has *met* its target when
    ``hours(opened_at, done_at) <= target`` (hours on the schedule; calendar hours without one) and
    *breached* it otherwise; with ``as_of``, an open ticket whose hours so far exceed the target is
    *open, breached*; ``Compliance = met / (met + breached + open breached)``. Open tickets within
    their target are counted (``Open``) but not judged. A ``Total`` row sums the priorities of the
    policy; tickets whose priority is not in the policy (or blank) are one ``(no target)`` row,
    counted but never judged -- so a priority spelt differently (Freshdesk's ``Medium`` against a
    policy naming ``Normal``) shows up instead of vanishing.

    Edge cases: priorities match case-insensitively (Persian/Arabic letter variants folded); a
    priority with nothing judged has a blank compliance; ``done_at`` before ``opened_at`` is
    ``#VALUE!`` naming the row; a done time without an opened time is ``#VALUE!``; a negative target
    is ``#NUM!``. Times with a UTC offset are instants (23 h across the US DST start without a
    schedule); an offset on one end only is ``#VALUE!`` (:mod:`xl_cskpi.tables.ticket_clock`).

    Source: Zendesk, "Defining and using SLA policies" (targets per priority, achieved/breached,
    open tickets past target count as breached; support.zendesk.com/hc/en-us/articles/4408829459866);
    Freshdesk, SLA policies per priority with "Within SLA" / "SLA violated"
    (support.freshdesk.com/support/solutions/articles/37626).

    Example -- targets urgent 4 h, normal 24 h (calendar hours): urgent tickets solved in 2 h and
    6 h, a normal one in 10 h, a low one (no target):

    >>> import datetime as dt
    >>> o = dt.datetime(2024, 6, 2, 9)
    >>> t = sla_policy_compliance([o] * 4, [o + dt.timedelta(hours=h) for h in (2, 6, 10, 1)],
    ...                           ["Urgent", "urgent", "Normal", "Low"], "urgent 4, normal 24")
    >>> t["Priority"].tolist(), t["Met"].tolist(), t["Breached"].tolist()
    (['urgent', 'normal', 'Total', '(no target)'], [1, 1, 2, 0], [1, 0, 1, 0])
    >>> t["Compliance"].round(4).tolist()
    [0.5, 1.0, 0.6667, nan]
    """
    pol, group, target, hours, waited, met, breached, ob, open_, ticket, _ = _judge(
        opened_at, done_at, priorities, policy, schedule, as_of, holidays)
    rows = []

    def row(label, tgt, mask):
        m, b, o = int((met & mask).sum()), int((breached & mask).sum()), int((ob & mask).sum())
        judged = m + b + o
        rows.append({"Priority": label, "Target (h)": tgt, "Tickets": int((ticket & mask).sum()), "Met": m,
                     "Breached": b, "Open, breached": o, "Open": int((open_ & mask & ~ob).sum()),
                     "Compliance": m / judged if judged else np.nan})

    for j, (_, label, h) in enumerate(pol):
        row(label, h, group == j)
    row("Total", np.nan, group >= 0)
    if ((group < 0) & ticket).any():
        rows.append({"Priority": NO_TARGET, "Target (h)": np.nan, "Tickets": int(((group < 0) & ticket).sum()),
                     "Met": 0, "Breached": 0, "Open, breached": 0, "Open": 0, "Compliance": np.nan})
    return pd.DataFrame(rows)


@kpi(category="Support", returns="table", args={
    "ticket_ids": "Ticket id of each row",
    "opened_at": "When each ticket was opened (same rows)",
    "done_at": "When the target was reached (resolved or first replied); blank while not",
    "priorities": "Priority of each ticket (same rows)",
    "policy": 'Targets: a range priority | target hours, or text "urgent 4, high 8, normal 24, low 48"',
    "schedule": "Optional: working hours; blank = calendar hours",
    "as_of": "Optional: the time of the report; open tickets past their target are listed too",
    "holidays": "Optional: days off and/or country codes added to the schedule",
})
def sla_breaches(ticket_ids, opened_at, done_at, priorities, policy, schedule=None, as_of=None, holidays=None):
    """The tickets that breached their SLA target: id, priority, target, actual, overrun (largest first).

    Formula: every ticket with ``hours(opened_at, done_at) > target`` of its priority (hours on the
    schedule, calendar hours without one), and with ``as_of`` every open ticket already past its
    target (``Actual`` = its hours so far, ``Open`` = TRUE); ``Overrun = Actual - Target``; sorted by
    overrun, largest first. The same tickets ``SLA_POLICY_COMPLIANCE`` counts as breached.

    Edge cases: no breach gives the header alone; tickets without a target are never listed; the
    same input errors as ``SLA_POLICY_COMPLIANCE``.

    Source: Zendesk SLA policies, breached targets (support.zendesk.com/hc/en-us/articles/4408829459866).

    Example:

    >>> import datetime as dt
    >>> o = dt.datetime(2024, 6, 2, 9)
    >>> sla_breaches([1, 2], [o, o], [o + dt.timedelta(hours=6), None], ["urgent", "urgent"], "urgent 4",
    ...              None, dt.datetime(2024, 6, 2, 19)).to_string(index=False)
    'ID Priority  Target (h)  Actual (h)  Overrun (h)  Open\\n 2   urgent         4.0        10.0          6.0  True\\n 1   urgent         4.0         6.0          2.0 False'
    """
    pol, group, target, hours, waited, met, breached, ob, open_, ticket, r = _judge(
        opened_at, done_at, priorities, policy, schedule, as_of, holidays, ids=ticket_ids, with_ids=True)
    rows = np.flatnonzero(breached | ob)
    actual = np.where(ob, waited, hours)[rows]
    over = actual - target[rows]  # never NaN: a breach has hours and a target
    order = np.argsort(-over, kind="stable")  # largest first, ties in row order
    rows = rows[order]
    labels = np.array([lab for _, lab, _ in pol] + [""], dtype=object)
    return pd.DataFrame({"ID": r["ticket_ids_at"](rows), "Priority": labels[group[rows]], "Target (h)": target[rows],
                         "Actual (h)": actual[order], "Overrun (h)": over[order], "Open": ob[rows]})
