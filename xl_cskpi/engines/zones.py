"""Times written with a UTC offset, on every engine, on the clock ``xl-cskpi report`` reads them on.

API exports write instants with an offset (``2024-03-09T22:00:00-08:00``, ``...Z``). The report puts
every such time on **one clock per run** (:mod:`xl_cskpi.exports.zones`), and ``compute`` follows the
same rules, so that its months and durations are the report's for the same file:

1. ``timezone`` (``--timezone ZONE``, an IANA name) given: the times are converted to that zone's wall
   clock (days and periods are counted on it; a duration across a daylight-saving change counts
   wall-clock hours, as in the report, and a note says so);
2. else, when every time that carries an offset carries the same one: the times as written (the wall
   clock of that offset);
3. else (different offsets): UTC, with a note saying to pass ``--timezone``.

A time without an offset is always taken as written (a wall-clock time of the clock chosen). The
pandas engine reads the cells with :func:`xl_cskpi.cells.datetimes_offsets` (the report's reader);
the SQL engines cast text through ``TIMESTAMPTZ`` in a UTC session (the instant on the UTC clock) and
then add the zone's offset of that instant: a constant for one offset, and for a zone a ``CASE`` over
its offset changes within the data's days (computed here from :mod:`zoneinfo`).
"""

from __future__ import annotations

import re
from typing import Iterable

import numpy as np
import pandas as pd

from .common import note

#: The offset at the end of a time (the SQL's OFFSET pattern ends with it).
ZONE_SUFFIX = "(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$"
_SUFFIX = re.compile(r"(Z|z|[+-]\d{2}(?::?\d{2})?)$")


def offset_minutes(text: str) -> int:
    """``Z`` 0, ``+03:30`` / ``+0330`` 210, ``-08`` -480."""
    t = text.strip()
    if t in ("Z", "z"):
        return 0
    sign = -1 if t[0] == "-" else 1
    digits = t[1:].replace(":", "")
    return sign * (int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0))


def offset_text(minutes: int) -> str:
    """``Z`` for 0, else ``+03:30`` / ``-08:00`` (as the report's data check writes them)."""
    if minutes == 0:
        return "Z"
    m = abs(int(minutes))
    return f"{'-' if minutes < 0 else '+'}{m // 60:02d}:{m % 60:02d}"


def check(timezone) -> str | None:
    """The ``timezone`` option as an IANA name (``"UTC"`` for utc/Z/GMT), or None; else one line."""
    if timezone is None:
        return None
    from ..cells.dates import check_timezone
    from ..errors import KPIError
    from . import EngineError
    try:
        return check_timezone(timezone, "timezone")
    except KPIError as e:
        raise EngineError(e.reason, argument="timezone") from None


def decide(offsets: dict[str, set[int]], options: dict) -> tuple[str | None, str]:
    """``(zone, how)`` of the run from each column's distinct offsets: ``(ZONE, "option")`` when the
    user gave one, ``(None, "kept")`` for one offset in the whole source (times as written),
    ``("UTC", "mixed")`` otherwise (the report's rules 1, 3 and 4)."""
    if options.get("timezone"):
        return options["timezone"], "option"
    every = set().union(*offsets.values()) if offsets else set()
    return (None, "kept") if len(every) <= 1 else ("UTC", "mixed")


def notes(options: dict, offsets: dict[str, set[int]], counts: dict[str, int], headers: dict[str, str],
          zone: str | None, how: str) -> None:
    """One note per column with offsets, saying the clock its times are read on."""
    every = ", ".join(offset_text(o) for o in sorted(set().union(*offsets.values())))
    for name, offs in offsets.items():
        n, shown = counts[name], ", ".join(offset_text(o) for o in sorted(offs))
        head = (f"{n:,} time{'s' if n != 1 else ''} in {headers[name]!r} ({name}) carr{'y' if n != 1 else 'ies'} "
                f"a UTC offset ({shown})")
        if how == "option":
            note(options, f"{head}: converted to {zone} (--timezone); days and periods are counted on its clock")
        elif how == "kept":
            note(options, f"{head}, the only offset of the data: read as written (the wall clock of {shown}), as "
                          "xl-cskpi report reads them; pass --timezone ZONE to read them on another clock")
        else:
            note(options, f"{head}; the data's times carry different offsets ({every}) and no --timezone is given: "
                          "read in UTC (days and periods counted in UTC), as xl-cskpi report reads them; pass "
                          "--timezone ZONE (e.g. America/Los_Angeles) to read them on your own clock")


def transitions(zone: str, first: np.datetime64, last: np.datetime64) -> list[tuple[np.datetime64, int]]:
    """``[(from instant (UTC), offset in minutes), ...]`` of ``zone`` from ``first`` to ``last``
    (UTC days): the offset at ``first`` and each change after it, to the minute."""
    import zoneinfo
    tz = zoneinfo.ZoneInfo(zone)

    def off(t: np.datetime64) -> int:
        ts = pd.Timestamp(t).tz_localize("UTC").tz_convert(tz)
        return int(ts.utcoffset().total_seconds() // 60)

    lo = np.datetime64(first, "m") - np.timedelta64(2, "D")
    hi = np.datetime64(last, "m") + np.timedelta64(3, "D")
    out = [(lo, off(lo))]
    t = lo
    while t < hi:
        nxt = min(t + np.timedelta64(1, "D"), hi)
        if off(nxt) != out[-1][1]:
            a, b = t, nxt                      # the change is in (a, b]: bisect to the minute
            while b - a > np.timedelta64(1, "m"):
                mid = a + (b - a) // 2
                if off(mid) == out[-1][1]:
                    a = mid
                else:
                    b = mid
            out.append((b, off(b)))
        t = nxt
    return out


def clock_change(zone: str, local: Iterable[np.ndarray]) -> str | None:
    """The first day (ISO) on which ``zone`` changes its offset between the earliest and the latest of
    the converted wall-clock times, or None (the report's ``timezone_dst``)."""
    from ..exports.zones import _clock_change   # the report's own search, one rule for both commands

    arr = np.concatenate([np.asarray(a, dtype="datetime64[ns]") for a in local]) if local else np.array([])
    if zone == "UTC" or arr.size == 0:
        return None
    return _clock_change(arr, zone)


def dst_note(options: dict, zone: str, day: str | None) -> None:
    if day is not None:
        note(options, f"{zone} changes its clock within the times ({day}): a duration across the change counts "
                      "wall-clock hours, one more or one less than the time elapsed (as xl-cskpi report reads "
                      "them); pass --timezone UTC to count elapsed time")


def shift_sql(utc: str, zone: str | None, kept: int | None, first: np.datetime64 | None,
              last: np.datetime64 | None) -> str | None:
    """SQL minutes to add to the UTC wall clock ``utc`` of a time that carried an offset: ``kept``
    (one offset, times as written), or ``zone``'s offset of that instant; None when it is 0."""
    if zone is None:
        return None if not kept else str(int(kept))
    if zone == "UTC" or first is None:
        return None
    steps = transitions(zone, first, last)
    if len(steps) == 1:
        return None if steps[0][1] == 0 else str(steps[0][1])
    case = " ".join(f"WHEN {utc} < TIMESTAMP '{str(t).replace('T', ' ')}:00' THEN {prev}"
                    for (t, _), (_, prev) in zip(steps[1:], steps[:-1]))
    return f"(CASE {case} ELSE {steps[-1][1]} END)"
