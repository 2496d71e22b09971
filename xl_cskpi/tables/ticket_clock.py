"""One clock for the time columns of a ticket table (TICKETS_BY, BACKLOG, SLA_POLICY_COMPLIANCE,
SLA_BREACHES, BUSINESS_HOURS): durations between instants, days and months on one clock.

The rule is the KPI functions' (:func:`xl_cskpi.business_time.local_pair`, used by
``AVG_RESOLUTION_TIME`` and the other duration KPIs) and the report reader's
(:mod:`xl_cskpi.exports.zones`), applied to every time column of a table at once:

* **With a schedule**: every time with a zone (``...Z``, ``+03:30``, ``-08:00``, an aware datetime)
  is put on the schedule's clock (:func:`~xl_cskpi.business_time.to_local`); a time without one is
  the schedule's wall clock. ``as_of`` too.
* **Without one**, when some time carries an offset: the two ends of a duration (opened and
  resolved, opened and first reply) both carry one, or neither does; a row with an offset on one end
  only is ``#VALUE!`` naming both cells (the other time could be in any zone). A duration between
  two times with offsets is the time elapsed between the instants: across the US DST start
  (10 March 2024, 02:00 in America/Los_Angeles) ``2024-03-09T23:00-08:00`` to
  ``2024-03-10T23:00-07:00`` is 23 hours, not the wall clocks' 24.
* **The clock of days and months** (BACKLOG's periods, ``dates``, ``as_of``) is the reader's: when
  every time with an offset carries the same one, the times as written (the wall clock of that
  offset; rule 3 of :mod:`xl_cskpi.exports.zones`); else UTC (rule 4). A time without an offset is
  a time of that clock. So ``2024-03-31T23:30-07:00`` is a March ticket in an export written at
  -07:00, and an April one (06:30Z on 1 April) beside times at -08:00.
* Times without any offset (datetime cells, Excel serial numbers, naive text) are wall-clock times,
  measured as always.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import business_time as bh, cells
from ..errors import InvalidInput, KPIError

__all__ = ["Clock", "on_one_clock", "as_of_on_clock", "dates_on_clock"]

_MINUTE = np.timedelta64(60, "s")


@dataclass
class Clock:
    """The columns on one clock (``datetime64[ns]`` arrays, blanks NaT, where this module read them;
    else the values as given, for the caller's reader and its errors)."""

    columns: dict[str, Any]
    #: minutes east of UTC of the clock the times with an offset were put on (the one offset written,
    #: or 0: UTC); None when no time carries an offset (or a schedule decides the clock)
    offset: float | None = None
    #: per column read here, where a cell carried an offset
    zoned: dict[str, np.ndarray] = field(default_factory=dict)
    schedule: Any = None


def _typed_naive(values: Any) -> bool:
    """A typed column that cannot carry an offset: naive datetimes or numbers (Excel serials)."""
    if isinstance(values, np.ndarray):
        return values.dtype.kind in "Mfiu"
    if isinstance(values, (pd.Series, pd.Index)):
        return not isinstance(values.dtype, pd.DatetimeTZDtype) and getattr(values.dtype, "kind", "O") in "Mfiu"
    return False


def _raise_pair(columns: dict[str, Any], a: str, b: str, fallback: str) -> None:
    """Raise :func:`~xl_cskpi.business_time.local_pair`'s error for the pair ``a``, ``b`` (its
    sentence names both cells as written), or ``fallback`` if it finds none."""
    bh.local_pair(columns[a], columns[b], None, a, b)
    raise InvalidInput(fallback, argument=a)


def on_one_clock(columns: dict[str, Any], schedule: "bh.Schedule | None",
                 pairs: tuple[tuple[str, str], ...] = ()) -> Clock:
    """The time ``columns`` (``{argument name: values}``, the same rows) on one clock (see the module
    docstring); ``pairs`` the (start, end) argument names of the durations measured between them.

    >>> c = on_one_clock({"opened_at": ["2024-03-09T23:00:00-08:00"],
    ...                   "resolved_at": ["2024-03-10T23:00:00-07:00"]}, None, (("opened_at", "resolved_at"),))
    >>> str(c.columns["opened_at"][0])[:16], str(c.columns["resolved_at"][0])[:16]
    ('2024-03-10T07:00', '2024-03-11T06:00')
    """
    if schedule is not None:
        return Clock({k: bh.to_local(v, schedule, k) for k, v in columns.items()}, schedule=schedule)
    if all(_typed_naive(v) for v in columns.values()):
        return Clock(dict(columns))
    read = {}                                # read once here; the caller's reader takes the arrays as they are
    try:
        for k, v in columns.items():
            read[k] = cells.dates.datetimes_offsets(v, k)
    except KPIError:
        return Clock(dict(columns))          # the caller's reader says what is wrong
    if len({d.size for d, _ in read.values()}) > 1:
        return Clock(dict(columns))          # the caller's alignment check names the sizes
    zoned = {k: ~np.isnan(off) for k, (_, off) in read.items()}
    if not any(z.any() for z in zoned.values()):
        return Clock({k: d for k, (d, _) in read.items()})     # wall clocks, as always (read once)
    for a, b in pairs:
        s, e = read[a][0], read[b][0]
        one_sided = (zoned[a] & ~zoned[b] & ~np.isnat(e)) | (zoned[b] & ~zoned[a] & ~np.isnat(s))
        if one_sided.any():
            _raise_pair(columns, a, b, f"and {b} carry a time-zone offset on one end only in row "
                                       f"{int(np.flatnonzero(one_sided)[0]) + 1}; write both with an offset or "
                                       "both without")
    offsets = np.unique(np.concatenate([off[zoned[k]] for k, (_, off) in read.items()]))
    shift = float(offsets[0]) if offsets.size == 1 else 0.0
    out = {}
    for k, (d, off) in read.items():
        moved = (np.nan_to_num(off) - shift).astype(np.int64) * _MINUTE
        out[k] = np.where(zoned[k], d - moved, d)
    for a, b in pairs:
        back = zoned[a] & zoned[b] & (out[b] < out[a])
        if back.any():
            _raise_pair(columns, a, b, f"has a time after {b} in row {int(np.flatnonzero(back)[0]) + 1}; "
                                       "an end cannot precede its start")
    return Clock(out, shift, zoned)


def as_of_on_clock(as_of: Any, clock: Clock, open_: np.ndarray, opened: str = "opened_at") -> np.datetime64 | None:
    """``as_of`` (one date-time, or blank: None) on the clock of the open tickets (``open_``: their
    rows), as ``SLA_COMPLIANCE`` reads it: with a schedule on the schedule's clock; without one, an
    offset on ``as_of`` and on the open tickets' opening times, or on neither, else ``#VALUE!`` (the
    wait is unknown)."""
    from .sla import _blank
    if _blank(as_of):
        return None
    if clock.schedule is not None:
        as_of = bh.to_local(as_of, clock.schedule, "as_of")
    now, off = cells.dates.datetimes_offsets(as_of, "as_of")
    keep = ~np.isnat(now)
    now, off = now[keep], off[keep]
    if now.size != 1:
        raise InvalidInput(f"must be one date-time, got {now.size}", argument="as_of")
    if clock.schedule is not None:
        return now[0]
    has = not np.isnan(off[0])
    zoned = clock.zoned.get(opened)
    ticket_zoned = zoned[open_] if zoned is not None and zoned.size == open_.size else \
        np.zeros(int(np.count_nonzero(open_)), dtype=bool)
    differ = ticket_zoned != has
    if differ.any():
        i = int(np.flatnonzero(open_)[np.flatnonzero(differ)[0]])
        which = "carries a time-zone offset and as_of does not" if not has else \
            "has no time-zone offset and as_of has one"
        raise InvalidInput(f"in row {i + 1} (an open ticket) {which}, so its wait is unknown; write both with an "
                           "offset or both without", argument=opened)
    if has:
        now = now - int(off[0] - (clock.offset or 0.0)) * _MINUTE
    return now[0]


def dates_on_clock(dates: Any, clock: Clock, arg: str = "dates") -> np.ndarray:
    """A range of dates (blanks dropped) on the tickets' clock: a date with an offset moved to it, one
    without taken as a time of it; an offset where the tickets carry none is ``#VALUE!``."""
    at, off = cells.dates.datetimes_offsets(dates, arg)
    keep = ~np.isnat(at)
    at, off = at[keep], off[keep]
    has = ~np.isnan(off)
    if not has.any() or clock.schedule is not None:
        return at
    if clock.offset is None:
        i = int(np.flatnonzero(keep)[np.flatnonzero(has)[0]])
        raise InvalidInput(f"has {cells.describe(cells.flatten(dates)[0][i])} in cell {i + 1}, with a time-zone "
                           "offset, but the tickets' times carry none, so where it falls among them is unknown; "
                           "write the dates without an offset", argument=arg)
    return np.where(has, at - (np.nan_to_num(off) - clock.offset).astype(np.int64) * _MINUTE, at)
