"""Date values one at a time, and the range the tables compute in: Excel serial numbers
(:func:`serial_to_datetime64`, :func:`datetime_to_serial`), date and datetime cells, why a cell is
no date, and the finishing of a column that was read (``kind``, the ``datetime64[ns]`` range, months).

Part of the one reader of dates, :mod:`xl_cskpi.cells.dates` (import from there or from
:mod:`xl_cskpi.cells`). Values are read to int64 microseconds since 1970-01-01 (years 1 to 9999 fit,
so no date silently wraps around), then checked against the nanosecond range the tables compute
in, then cast.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidInput, KPIError, OutOfRange
from .shapes import _NONE, _NUMERIC_TYPES, _located, describe, where

_EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")
_EXCEL_EPOCH_MS = np.datetime64("1899-12-30", "ms")
_MAX_SERIAL = 2_958_465  # 9999-12-31, Excel's last date
#: Number text at least this large is read as an Excel serial in a date column ("45536"); a
#: smaller number ("2024", "9") is a year or a month, not a date, and is refused.
_MIN_TEXT_SERIAL = 10_000

#: First and last days a ``datetime64[ns]`` holds (pandas' and numpy's nanosecond range).
FIRST_DATE = _dt.date(1677, 9, 22)
LAST_DATE = _dt.date(2262, 4, 11)
_US_FIRST = int(np.datetime64("1677-09-22", "us").astype(np.int64))
_US_LAST = int(np.datetime64("2262-04-11T23:47:16.854775", "us").astype(np.int64))
_US_PER_DAY = 86_400_000_000
_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()
_NAT = np.iinfo(np.int64).min

DATE_ORDERS = ("dmy", "mdy", "ymd")
DATE_KINDS = ("date", "datetime", "month")

#: What to tell the user, by face: the command line's options, or the worksheet's means.
_HINTS = {
    "export": {
        "order": "pass --date-order dmy (day first) or --date-order mdy (month first)",
        "local": "for Jalali dates use --lang fa or --calendar jalali, for Hijri dates --lang ar or "
                 "--calendar hijri; or write Gregorian dates as yyyy-mm-dd",
        "format": "use yyyy-mm-dd",
    },
    "worksheet": {
        "order": "write the dates as yyyy-mm-dd or enter them as date cells",
        "local": 'read it with its calendar (PERIOD_LABEL\'s calendar argument "jalali" or "hijri", '
                 "JALALI_DATE, HIJRI_MONTH) or enter a Gregorian date",
        "format": "use a date cell, an Excel serial number or YYYY-MM-DD",
    },
}


def serial_to_datetime64(serials: np.ndarray, unit: str = "ns") -> np.ndarray:
    """Excel 1900-system serial numbers (fractions are times of day) to ``datetime64[unit]``.

    Excel counts a 29 February 1900 that never was (serial 60); serials below 61 are shifted by
    one day so that serial 1 is 1 January 1900, as Excel shows it. NaN gives NaT. Computed in
    milliseconds (Excel's resolution), so Excel's last serial 2958465 (9999-12-31) is exact with
    ``unit="us"``/``"ms"``; with ``unit="ns"`` a serial past 2262-04-11 raises
    :class:`~xl_cskpi.errors.OutOfRange` (``.position`` names it) instead of wrapping around.

    >>> str(serial_to_datetime64(np.array([45536.5]))[0])
    '2024-09-01T12:00:00.000000000'
    >>> str(serial_to_datetime64(np.array([2958465.0]), "us")[0])
    '9999-12-31T00:00:00.000000'
    """
    s = np.asarray(serials, dtype=float).ravel()
    nan = np.isnan(s)
    s = np.where(nan, 0.0, s)
    s = np.where(s < 61, s + 1, s)
    # rounded to the millisecond, Excel's resolution: 08:00 to 11:00 is 3 hours, not 3.0000000002
    ms = np.round(s * 86_400_000).astype("int64")
    us = (_EXCEL_EPOCH_MS.astype(np.int64) + ms) * 1000
    us[nan] = _NAT
    if unit == "ns":
        bad = ~nan & ((us < _US_FIRST) | (us > _US_LAST))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise _located(OutOfRange(f"has the serial {serials.ravel()[i]:g} ({_iso(us[i])}), outside "
                                      f"{FIRST_DATE} to {LAST_DATE}"), i, float(serials.ravel()[i]))
    return us.view("datetime64[us]").astype(f"datetime64[{unit}]")


def datetime_to_serial(values: np.ndarray) -> np.ndarray:
    """``datetime64`` (any unit) to Excel serial numbers (float days, NaN for NaT)."""
    d = np.asarray(values)
    if d.dtype.kind != "M":
        d = d.astype("datetime64[ns]")
    days = (d - np.datetime64("1899-12-30", "D")) / np.timedelta64(1, "D")
    return np.where(days < 61, days - 1, days)


def _iso(us: int) -> str:
    """ISO text of microseconds since 1970 (years 1-9999), for messages."""
    return str(np.datetime64(int(us), "us").astype("datetime64[s]")).replace("T00:00:00", "")


_DATETIME_TYPES = {_dt.datetime, _dt.date, pd.Timestamp, _NONE}


def _wall_clock_us(v: Any) -> int:
    """Microseconds since 1970 of a datetime/date/Timestamp/datetime64 cell (never NaT here).

    A time-zone-aware value gives its wall-clock time (10:00+03:30 is 10:00, as the text
    ``...T10:00+03:30`` is read); its offset is :func:`_aware_offset`, and a reader given a zone
    moves it to that zone's clock (:func:`to_zone`).
    """
    if isinstance(v, pd.Timestamp):
        if v.tzinfo is not None:
            v = v.tz_localize(None)
        return int(v.to_datetime64().astype("datetime64[us]").astype(np.int64))
    if isinstance(v, _dt.datetime):
        return int(np.datetime64(v.replace(tzinfo=None), "us").astype(np.int64))
    if isinstance(v, _dt.date):
        return (v.toordinal() - _EPOCH_ORDINAL) * _US_PER_DAY
    return int(v.astype("datetime64[us]").astype(np.int64))  # np.datetime64


def _not_a_date(v: Any, i: int, cols: int, face: str) -> str:
    """Why cell ``i`` (a non-text value) is no date, as the reason of an error."""
    w = where(i, cols)
    if isinstance(v, _dt.time):
        return (f"has a time of day ({v.isoformat()}) in {w}, not a date (a time-formatted cell); format "
                "it as a date or a date and time")
    if isinstance(v, (_dt.timedelta, np.timedelta64)):
        return f"has a duration ({v}) in {w}, not a date (a duration-formatted cell); format it as a date"
    if isinstance(v, (bool, np.bool_)):
        return f"has {describe(bool(v))} in {w}, which is not a date (a logical value)"
    if isinstance(v, (float, np.floating)) and np.isnan(v):
        return f"has NaN in {w}; enter a date or leave the cell blank"
    if isinstance(v, _NUMERIC_TYPES):
        return f"has {describe(v)} in {w}, which is not an Excel date serial (0 to {_MAX_SERIAL})"
    return f"has {describe(v)} in {w}, which is not a date; {_HINTS[face]['format']}"


def _is_serial(v: Any) -> bool:
    """An Excel date serial: a number from 0 to 9999-12-31's 2958465."""
    try:
        x = float(v)
    except OverflowError:
        return False
    return bool(np.isfinite(x) and 0 <= x <= _MAX_SERIAL)


def _finish(us: np.ndarray, label: np.ndarray, value_of: Any, cols: int, arg: str, *, kind: str,
            calendar: str, open_end: bool, unit: str) -> np.ndarray:
    """Apply ``kind``, check the range, cast to ``datetime64[unit]``."""
    valid = us != _NAT
    if kind in ("date", "month"):
        us = np.where(valid, us // _US_PER_DAY * _US_PER_DAY, _NAT)
    # one unsigned comparison finds every value outside [first, last] (NaT too: it wraps around)
    if unit == "ns" and (np.subtract(us.view(np.uint64), np.uint64(_US_FIRST % (1 << 64)))
                         > np.uint64(_US_LAST - _US_FIRST))[valid].any():
        us = us.copy()
        late = valid & (us > _US_LAST)
        early = valid & (us < _US_FIRST)
        if open_end:
            us[late] = _NAT
            valid &= ~late
            late[:] = False
        if late.any() or early.any():
            i = int(np.flatnonzero(late | early)[0])
            v = value_of(i)
            when = "after" if late[i] else "before"
            tail = (" (an end date such as 9999-12-31 that means 'no end' is read as open only in an "
                    "end-date column)") if late[i] else ""
            shown = f"{describe(v)} in {where(i, cols)}, the date {_iso(us[i])}," \
                if isinstance(v, (str, *_NUMERIC_TYPES)) else f"the date {_iso(us[i])} in {where(i, cols)},"
            raise _located(OutOfRange(
                f"has {shown} {when} the dates that can be computed with ({FIRST_DATE} to {LAST_DATE}); "
                f"correct it or leave the cell blank{tail}", argument=arg), i, v)
    if kind == "month":
        dates = valid & ~label
        if dates.any():
            from .. import calendars
            days = us[dates] // _US_PER_DAY
            try:
                starts = calendars.month_start_days(days, calendar, arg=arg)
            except KPIError as e:
                first = next(k for k in range(len(days)) if _month_fails(days[k:k + 1], calendar, arg))
                i = int(np.flatnonzero(dates)[first])
                raise _located(type(e)(f"in {where(i, cols)}: {e.reason}", argument=arg), i, value_of(i)) from None
            us[dates] = starts * _US_PER_DAY
            if unit == "ns" and (us[dates] < _US_FIRST).any():
                i = int(np.flatnonzero(dates)[np.flatnonzero(us[dates] < _US_FIRST)[0]])
                raise _located(OutOfRange(f"has {describe(value_of(i))} in {where(i, cols)}, in a month that "
                                          f"starts before {FIRST_DATE}", argument=arg), i, value_of(i))
    return us.view("datetime64[us]").astype(f"datetime64[{unit}]")


def _month_fails(days: np.ndarray, calendar: str, arg: str) -> bool:
    from .. import calendars
    try:
        calendars.month_start_days(days, calendar, arg=arg)
    except KPIError:
        return True
    return False


def _check_date_options(order: str | None, calendar: str, kind: str) -> None:
    if order is not None and order not in DATE_ORDERS:
        raise InvalidInput(f"is {order!r}; use one of: dmy, mdy, ymd", argument="date_order")
    if calendar not in ("gregorian", "jalali", "hijri"):
        raise InvalidInput(f"is {calendar!r}; use one of: gregorian, jalali, hijri", argument="calendar")
    if kind not in DATE_KINDS:
        raise InvalidInput(f"is {kind!r}; use one of: date, datetime, month", argument="kind")
