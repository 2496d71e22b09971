"""The vectorised engine of :func:`xl_cskpi.business_time.durations`.

One pass over the tickets, no Python loop per ticket:

1. Each time stamp is read twice: its *local* wall-clock time in the schedule's zone (naive input
   is that already; aware input and text with an offset are converted) and its UTC instant. Local to UTC: the zone's offset
   at every local midnight of the period is looked up once; a time on a day whose midnight and next
   midnight have the same offset (every day but the few with a clock change; every day in Tehran
   since 2022, Riyadh, Dubai) is a subtraction, and only the times of change days go through pandas
   ``tz_localize`` (first occurrence for a repeated time, ``shift_forward`` for a skipped one).
2. The working intervals of every local day of the period form a grid ``[days, K]`` (K = the most
   intervals a weekday has; missing slots and holidays are empty), their local bounds converted to
   UTC instants the same way, so a DST day is 23 or 25 hours long in real time.
3. ``F(t)`` = working time of all days before the local day of ``t`` (a cumulative sum over the
   grid) + ``sum_k clip(t - start[d, k], 0, length[d, k])`` over the K intervals of that day; a
   duration is ``F(end) - F(start)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import cells
from .business_time import DAY, Schedule, parse_schedule
from .errors import InvalidInput

__all__ = ["durations"]

_NAT = np.iinfo(np.int64).min
_DAY_NS = DAY * 10**9
_UTC = ("UTC", "Etc/UTC", "GMT", "Etc/GMT")


def _local_ns(values: Any, tz: str, arg: str) -> np.ndarray:
    """Local wall-clock nanoseconds (int64, ``_NAT`` blank): naive values as they are, aware ones and
    text with an offset (``2024-06-05T05:00:00Z``) converted to ``tz``."""
    if isinstance(values, (pd.Series, pd.Index)) and isinstance(getattr(values, "dtype", None), pd.DatetimeTZDtype):
        return pd.DatetimeIndex(values).tz_convert(tz).tz_localize(None).asi8.copy()   # NaT is _NAT
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype("datetime64[ns]").ravel().view(np.int64).copy()
    if isinstance(values, (pd.Series, pd.Index)) and values.dtype.kind == "M":
        return np.asarray(values, dtype="datetime64[ns]").view(np.int64).copy()
    # a time with a zone (aware datetime, text with Z or +03:30) is read on tz's clock (cells.dates.to_zone)
    return cells.datetimes(values, arg, keep_blanks=True, tz=tz).view(np.int64).copy()


def _to_utc(local: np.ndarray, tz: str, lo_day: int, hi_day: int) -> np.ndarray:
    """UTC nanoseconds of local wall-clock nanoseconds (``_NAT`` kept)."""
    if tz in _UTC:
        return local.copy()
    nat = local == _NAT
    midnights = np.arange(lo_day - 1, hi_day + 3, dtype=np.int64) * _DAY_NS
    utc_m = pd.DatetimeIndex(midnights.view("datetime64[ns]")).tz_localize(
        tz, ambiguous=np.ones(midnights.size, dtype=bool), nonexistent="shift_forward").asi8
    offset = midnights - utc_m
    if np.unique(offset).size == 1:            # no offset change in the period: a subtraction
        out = local - offset[0]
    else:
        # a day whose midnight and next midnight have the same offset has it all day: subtract it;
        # only the times of the few days with a change go through pandas
        day = np.where(nat, 0, local // _DAY_NS - (lo_day - 1))
        out = local - offset[day]
        change = ~nat & (offset[day] != offset[day + 1])
        if change.any():
            sub = local[change]
            out[change] = pd.DatetimeIndex(sub.view("datetime64[ns]")).tz_localize(
                tz, ambiguous=np.ones(sub.size, dtype=bool), nonexistent="shift_forward").asi8
    out[nat] = _NAT
    return out


def _grid(schedule: Schedule, lo_day: int, hi_day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Working intervals of local days ``lo_day..hi_day`` (days since 1970-01-01): UTC starts and
    lengths ``[days, K]`` (ns; empty slots have length 0) and the working ns before each day."""
    days = np.arange(lo_day, hi_day + 1, dtype=np.int64)
    weekday = (days + 3) % 7                               # 1970-01-01 was a Thursday (3)
    k = max(1, max(len(spans) for spans in schedule.week))
    s_tab = np.zeros((7, k), dtype=np.int64)
    e_tab = np.zeros((7, k), dtype=np.int64)
    for d, spans in enumerate(schedule.week):
        for j, (s, e) in enumerate(spans):
            s_tab[d, j], e_tab[d, j] = s * 10**9, e * 10**9
    first = np.datetime64(int(lo_day), "D").astype(object).year
    last = np.datetime64(int(hi_day), "D").astype(object).year
    off = np.isin(days.astype("datetime64[D]"), schedule.holiday_days(first, last))
    base = days[:, None] * _DAY_NS
    start_local = base + s_tab[weekday]
    end_local = base + e_tab[weekday]
    start = _to_utc(start_local.ravel(), schedule.tz, lo_day, hi_day).reshape(start_local.shape)
    end = _to_utc(end_local.ravel(), schedule.tz, lo_day, hi_day).reshape(end_local.shape)
    length = np.where(off[:, None], 0, end - start)
    per_day = length.sum(axis=1)
    before = np.concatenate([[0], np.cumsum(per_day)[:-1]])
    return start, length, before


def _f(local: np.ndarray, utc: np.ndarray, lo_day: int, start: np.ndarray, length: np.ndarray,
       before: np.ndarray) -> np.ndarray:
    """F(t): working ns from the first day of the grid to each instant (int64)."""
    d = local // _DAY_NS - lo_day
    out = before[d].copy()
    for j in range(start.shape[1]):
        out += np.clip(utc - start[d, j], 0, length[d, j])
    return out


def durations(start: Any, end: Any, schedule: Schedule | str = "24x7", *, as_of: Any = None,
              start_arg: str = "start", end_arg: str = "end") -> np.ndarray:
    """Business seconds from ``start`` to ``end`` of every row, on ``schedule`` (float64; NaN where blank).

    ``start``/``end``: aligned arrays or ranges of date-times (``datetime64``, pandas Series -- aware
    ones are converted to the schedule's zone --, or cells as the KPI functions read them). A blank
    ``end`` is measured to ``as_of`` when given (an open ticket's age), else NaN; a blank ``start``
    is NaN. An end before its start is ``#VALUE!`` naming the row. ``schedule``: a
    :class:`~xl_cskpi.business_time.Schedule`, a preset name or hours text.

    >>> import numpy as np
    >>> s = np.array(["2024-03-15T16:00"], dtype="datetime64[ns]")   # a Friday 16:00
    >>> e = np.array(["2024-03-18T10:30"], dtype="datetime64[ns]")   # Monday 10:30
    >>> durations(s, e, "western") / 3600                            # 1 h Friday + 1.5 h Monday
    array([2.5])
    """
    sch = parse_schedule(schedule) if isinstance(schedule, str) else schedule
    s = _local_ns(start, sch.tz, start_arg)
    e = _local_ns(end, sch.tz, end_arg)
    if s.size != e.size:
        raise InvalidInput(f"has {s.size} cells but {end_arg} has {e.size}; aligned ranges must be the same size",
                           argument=start_arg)
    if as_of is not None:
        one = as_of if isinstance(as_of, (list, tuple, np.ndarray, pd.Series)) else [as_of]
        now = _local_ns(one, sch.tz, "as_of")
        if now.size != 1 or now[0] == _NAT:
            raise InvalidInput("must be one date-time", argument="as_of")
        e = np.where((e == _NAT) & (s != _NAT), now[0], e)
    ok = (s != _NAT) & (e != _NAT)
    out = np.full(s.size, np.nan)
    if not ok.any():
        return out
    sv, ev = s[ok], e[ok]
    lo_day = int(sv.min() // _DAY_NS) - 1
    hi_day = int(ev.max() // _DAY_NS) + 1
    back = ev < sv
    if back.any():
        i = int(np.flatnonzero(ok)[int(np.flatnonzero(back)[0])])
        raise InvalidInput(f"is before {start_arg} in row {i + 1}; an end cannot precede its start",
                           argument=end_arg)
    su = _to_utc(sv, sch.tz, lo_day, hi_day)
    eu = _to_utc(ev, sch.tz, lo_day, hi_day)
    if sch.weekly_seconds == 7 * DAY and not sch.country and not sch.dates:
        out[ok] = (eu - su) / 1e9                  # 24x7: real elapsed time
        return out
    grid = _grid(sch, lo_day, hi_day)
    out[ok] = (_f(ev, eu, lo_day, *grid) - _f(sv, su, lo_day, *grid)) / 1e9
    return out
