"""Time zones of date values: IANA zone names (:func:`check_timezone`), UTC offsets of aware
datetimes, and moving times with an offset to a zone's wall clock (:func:`to_zone`).

Part of the one reader of dates, :mod:`xl_cskpi.cells.dates`.
"""

from __future__ import annotations

import re
from typing import Any

import datetime as _dt

import numpy as np
import pandas as pd

from ..errors import InvalidInput
from .date_values import _NAT

def _aware_micros(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock microseconds and UTC offsets (minutes, ``_NAT`` for NaT) of a tz-aware Series."""
    wall = s.dt.tz_localize(None).to_numpy(dtype="datetime64[us]").astype(np.int64)
    utc = s.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[us]").astype(np.int64)
    off = np.where(wall == _NAT, _NAT, (wall - utc) // 60_000_000)
    return wall, off


def _aware_offset(v: Any) -> int:
    """The UTC offset in minutes of a datetime/Timestamp cell; ``_NAT`` for a naive one."""
    if isinstance(v, _dt.datetime) and v.tzinfo is not None:
        delta = v.utcoffset()
        if delta is not None:
            return int(delta.total_seconds() // 60)
    return _NAT


_UTC_NAMES = ("UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z")


def check_timezone(tz: str, arg: str = "timezone") -> str:
    """``tz`` if it is an IANA time zone name (``UTC``, ``Asia/Tehran``, ``America/Los_Angeles``);
    otherwise :class:`~xl_cskpi.errors.InvalidInput` saying what to write."""
    import zoneinfo
    if isinstance(tz, str) and tz.strip():
        name = tz.strip()
        if name.upper() in ("UTC", "Z", "GMT"):
            return "UTC"
        try:
            zoneinfo.ZoneInfo(name)
            return name
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    raise InvalidInput(f"is {tz!r}, which is not an IANA time zone; use e.g. UTC, Asia/Tehran, Asia/Riyadh, "
                       "Europe/Berlin or America/Los_Angeles", argument=arg)


def to_zone(us: np.ndarray, off: np.ndarray, tz: str) -> np.ndarray:
    """Wall-clock microseconds in ``tz`` of the values that carry an offset (``off`` minutes, not
    ``_NAT``): the instant ``us - off`` read on ``tz``'s clock (its own offset of that instant, DST
    included); values without an offset are kept as they are."""
    has = (off != _NAT) & (us != _NAT)
    if not has.any():
        return us
    out = us.copy()
    utc = us[has] - off[has] * 60_000_000
    if tz in _UTC_NAMES:
        out[has] = utc
        return out
    import zoneinfo
    local = pd.DatetimeIndex(utc.view("datetime64[us]")).tz_localize("UTC").tz_convert(zoneinfo.ZoneInfo(tz))
    out[has] = local.tz_localize(None).to_numpy(dtype="datetime64[us]").astype(np.int64)
    return out


def offsets_minutes(off: np.ndarray | None, n: int) -> np.ndarray:
    """Offsets as float minutes per cell, NaN where none was written (blank cells too)."""
    if off is None:
        return np.full(n, np.nan)
    return np.where(off == _NAT, np.nan, off.astype(float))


# a header that states the column's zone: "Submit Date (UTC)" (Typeform), "Created (UTC)" (Stripe),
# "created_at [GMT]", "Date UTC", "Time (UTC+03:30)", "Start time (GMT-5)"
_HEADER_ZONE = re.compile(r"(?:[(\[]\s*(?:in\s+)?(utc|gmt)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?\s*[)\]]"
                          r"|[\s_\-](utc|gmt))\s*$", re.IGNORECASE)


def header_offset(header: Any) -> int | None:
    """The UTC offset in minutes a column's header states for its times, or None: ``(UTC)``,
    ``[GMT]``, a trailing ``UTC`` / ``_utc`` (0), ``(UTC+03:30)``, ``(GMT-5)``. Typeform writes
    ``Submit Date (UTC)``, Stripe ``Created (UTC)``: the times below such a header are UTC instants
    written without their ``Z`` (reviewer's G9, session 5), so a reader gives them that offset
    (:func:`~xl_cskpi.cells.dates.date_column_offsets`'s ``stated_offset``) and puts them on the
    report's clock like any time with an offset. An offset beyond -12:00..+14:00 is no zone: None.

    >>> header_offset("Submit Date (UTC)"), header_offset("created_utc"), header_offset("Time (UTC+03:30)")
    (0, 0, 210)
    >>> header_offset("Created"), header_offset("Utc offset"), header_offset("Time (GMT-15)")
    (None, None, None)
    """
    if not isinstance(header, str):
        return None
    m = _HEADER_ZONE.search(header.strip())
    if m is None:
        return None
    if m.group(2) is None:
        return 0
    minutes = int(m.group(3)) * 60 + int(m.group(4) or 0)
    if int(m.group(4) or 0) > 59 or minutes > 14 * 60:
        return None
    return -minutes if m.group(2) == "-" else minutes

