"""Dates: Excel serials, date text (one order per range or column, local calendars), ranges of
dates (:func:`datetimes`) and export columns of dates (:func:`date_column`).

The range rules themselves are in :mod:`xl_cskpi.cells`.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidInput, KPIError, NotAvailable, OutOfRange
from .shapes import _NONE, _NUMERIC_TYPES, _first_bool, _in_whole_range, _located, describe, factorize, flatten, where
from .numeric import LATIN_DIGITS, read_number_text
from .textual import fold_label


# --------------------------------------------------------------------------- dates
#
# One reader of dates for worksheet ranges (:func:`datetimes`) and export columns
# (:func:`date_column`). Values are first read to int64 microseconds since 1970-01-01 (years 1 to
# 9999 fit, so no date silently wraps around), then checked against the nanosecond range the
# tables compute in, then cast.

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


# ---- text

_DATE_TEXT = {**LATIN_DIGITS, 0x2212: "-", 0x2013: "-", 0x2010: "-", 0x2011: "-", 0x060D: "/"}
_TIME = (r"(?:(?:t|\s*,?\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*"
         r"(am|pm|a\.m\.|p\.m\.|ق\.ظ|ب\.ظ|ص|م)?\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?)?")
_YMD = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})" + _TIME)
_XYZ = re.compile(r"(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4})" + _TIME)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_NAME = r"([^\W\d_][^\W\d_.]*(?:[ \u200c][^\W\d_]+)*)\.?"
_WEEKDAY = r"(?:[a-z]{3,9}\.?,?\s+)?"
_NAMED_DMY = re.compile(_WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/]*" + _NAME + r"[\s\-/,]*(\d{4})" + _TIME)
_NAMED_MDY = re.compile(_WEEKDAY + _NAME + r"[\s\-/]*(\d{1,2})(?:st|nd|rd|th)?,?[\s\-/]*(\d{4})" + _TIME)
_NAMED_YMD = re.compile(r"(\d{4})[\s\-/]*" + _NAME + r"[\s\-/]*(\d{1,2})" + _TIME)
_LABEL_YM = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
_LABEL_MY = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{4})")
_LABEL_NAMED_MY = re.compile(_NAME + r"[\s\-/,']*(\d{4})")
_LABEL_NAMED_YM = re.compile(r"(\d{4})[\s\-/]*" + _NAME)
_AM = ("am", "a.m.", "ق.ظ", "ص")

_ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                   "september", "october", "november", "december")
_MONTH_WORDS: dict[str, tuple[str, int] | None] = {}


def _month_word(word: str) -> tuple[str, int] | None:
    """(calendar, month) of a month name: English Gregorian names and abbreviations ("Sep",
    "Sept"), and every name :func:`xl_cskpi.calendars.month_names` prints (Jalali, Hijri and
    Gregorian, in en/fa/ar), compared after :func:`fold_label`."""
    if not _MONTH_WORDS:
        from .. import calendars  # calendars imports cells: read its tables on first use
        table: dict[str, set] = {}
        for m, name in enumerate(_ENGLISH_MONTHS, 1):
            for w in (name, name[:3]):
                table.setdefault(w, set()).add(("gregorian", m))
        table.setdefault("sept", set()).add(("gregorian", 9))
        for cal in calendars.CALENDARS:
            for lang in calendars.LANGS:
                for m, name in enumerate(calendars.month_names(cal, lang), 1):
                    table.setdefault(fold_label(name), set()).add((cal, m))
        _MONTH_WORDS.update({w: (next(iter(s)) if len(s) == 1 else None) for w, s in table.items()})
    return _MONTH_WORDS.get(fold_label(word))


class _Parsed:
    """One distinct text, parsed: ``form`` is "ymd", "xy" (day and month order undecided),
    "named" (a month name), "label" (a month label) or "serial"."""

    __slots__ = ("form", "y", "p", "q", "cal", "time", "serial", "order", "off")

    def __init__(self, form: str, y: int = 0, p: int = 0, q: int = 0, cal: str | None = None,
                 time: int = 0, serial: float = 0.0, off: int | None = None):
        self.form, self.y, self.p, self.q, self.cal, self.time, self.serial = form, y, p, q, cal, time, serial
        self.order = ""  # "dmy"/"mdy" once a day-or-month-first value is decided
        self.off = off  # the UTC offset written after the time, in minutes (None: none written)


def _time_us(g: tuple) -> int | None:
    """Microseconds of a time-of-day match (hour, minute, second, fraction, am/pm, zone); None if invalid.

    This is the wall-clock time as written; the zone or offset after it (``Z``, ``+03:30``) is read
    by :func:`_offset_minutes` and kept beside it (see :func:`date_column_offsets`).
    """
    hour, minute, second, fraction, ampm, _zone = g
    if hour is None:
        return 0
    h, mi, s = int(hour), int(minute), int(second or 0)
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (0 if ampm in _AM else 12)
    if h > 23 or mi > 59 or s > 59:
        return None
    frac = int((fraction or "0")[:6].ljust(6, "0"))
    return ((h * 60 + mi) * 60 + s) * 1_000_000 + frac


#: Offsets in use run from -12:00 to +14:00 (IANA tz database); a larger one is a typo.
_MAX_OFFSET = 14 * 60


def _offset_minutes(zone: str | None) -> int | None | str:
    """The UTC offset in minutes of a zone suffix (``z``, ``utc``, ``gmt``, ``+03:30``, ``-0800``,
    ``+04``); None for no suffix; a string is why the suffix is not an offset."""
    if not zone:
        return None
    if zone in ("z", "utc", "gmt"):
        return 0
    digits = zone[1:].replace(":", "")
    h, m = int(digits[:2]), int(digits[2:] or 0)
    if m > 59 or h * 60 + m > _MAX_OFFSET:
        return "has a time-zone offset that does not exist (offsets run from -12:00 to +14:00)"
    return (h * 60 + m) * (-1 if zone[0] == "-" else 1)


def _parse_text(s: str) -> _Parsed | str:
    """Parse one normalised date text; a string is the reason it is not a date."""
    for pattern, form in ((_YMD, "ymd"), (_XYZ, "xy")):
        m = pattern.fullmatch(s)
        if m:
            t = _time_us(m.groups()[4:])
            if t is None:
                return "has a time of day that does not exist"
            off = _offset_minutes(m.group(m.re.groups))
            if isinstance(off, str):
                return off
            a, b, c = int(m.group(1)), int(m.group(3)), int(m.group(4))
            return _Parsed("ymd", a, b, c, time=t, off=off) if form == "ymd" else _Parsed("xy", c, a, b, time=t, off=off)
    for pattern, order in ((_NAMED_DMY, "dny"), (_NAMED_MDY, "ndy"), (_NAMED_YMD, "ynd")):
        m = pattern.fullmatch(s)
        if m:
            parts = dict(zip(order, m.groups()[:3]))
            month = _month_word(parts["n"])
            if month is None:
                continue
            t = _time_us(m.groups()[3:])
            if t is None:
                return "has a time of day that does not exist"
            off = _offset_minutes(m.group(m.re.groups))
            if isinstance(off, str):
                return off
            return _Parsed("named", int(parts["y"]), month[1], int(parts["d"]), cal=month[0], time=t, off=off)
    m = _LABEL_YM.fullmatch(s) or _LABEL_MY.fullmatch(s)
    if m:
        y, mo = (int(m.group(1)), int(m.group(2))) if len(m.group(1)) == 4 else (int(m.group(2)), int(m.group(1)))
        return _Parsed("label", y, mo, 1)
    for pattern, (iy, iname) in ((_LABEL_NAMED_MY, (2, 1)), (_LABEL_NAMED_YM, (1, 2))):
        m = pattern.fullmatch(s)
        if m:
            month = _month_word(m.group(iname))
            if month is not None:
                return _Parsed("label", int(m.group(iy)), month[1], 1, cal=month[0])
    m = _COMPACT.fullmatch(s)
    if m:  # ISO 8601 basic format, yyyymmdd (an 8-digit number is no Excel serial)
        return _Parsed("ymd", int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if re.fullmatch(r"\d{1,2}\s*([-/.])\s*\d{1,2}\s*\1\s*\d{2}(\D.*)?", s):
        return "has a two-digit year; write the year in full (2024, not 24)"
    x, _, _ = read_number_text(s)
    if x is not None:
        if x >= _MIN_TEXT_SERIAL and x <= _MAX_SERIAL:
            return _Parsed("serial", serial=x)
        if 0 < x < _MIN_TEXT_SERIAL and float(x).is_integer():
            return "is a number, not a date (a year alone? a day needs a month and a year)"
        return f"is not an Excel date serial ({_MIN_TEXT_SERIAL} to {_MAX_SERIAL} as text)"
    return "is not a date"


def _local_year(y: int) -> bool:
    return 1300 <= y <= 1499


def _to_gregorian(y: int, m: int, d: int, cal: str) -> _dt.date:
    """A date of ``cal`` to a Gregorian date; ValueError (not a date) or NotAvailable (no table)."""
    if cal == "jalali":
        import jdatetime
        return jdatetime.date(y, m, d).togregorian()
    if cal == "hijri":
        from hijridate import Hijri
        try:
            return Hijri(y, m, d).to_gregorian()
        except OverflowError:
            raise NotAvailable(f"is in the Hijri year {y}, outside the Umm al-Qura calendar (1343 to 1500 "
                               "AH = 1924-08-01 to 2077-11-16)") from None
    return _dt.date(y, m, d)


_CAL_NAME = {"gregorian": "Gregorian", "jalali": "Jalali", "hijri": "Hijri"}


class _Fast:
    """Plain date texts read with numpy alone (see :func:`_fast_texts`)."""

    def __init__(self, n: int):
        self.iso = np.zeros(n, dtype=bool)  # year first, read: microseconds in ``us``
        self.us = np.zeros(n, dtype=np.int64)
        self.xy = np.zeros(n, dtype=bool)  # day or month first: parts p, q, year y, time t
        self.y = self.p = self.q = self.t = np.zeros(n, dtype=np.int64)
        self.off = np.full(n, _NAT, dtype=np.int64)  # UTC offset in minutes written after the time; _NAT: none


def _fast_texts(texts: list[str]) -> _Fast:
    """The plain texts among ``texts``, parsed with numpy alone.

    Plain means ``yyyy-mm-dd`` or ``dd/mm/yyyy`` (``-``, ``/`` or ``.``, the same twice; two-digit
    day and month), alone or followed by ``hh:mm`` or ``hh:mm:ss`` (``T`` or a space between, an
    optional fraction of a second, an optional ``Z`` or ``+hh:mm``/``-hh:mm``, kept in ``.off``) in Latin digits, a year outside 1300-1499: what most exports write. Year-first
    texts that are real dates are read (``.iso``, ``.us``); day-or-month-first texts get their
    parts (``.xy``, ``.p``, ``.q``, ``.y``, ``.t``) for the column's order decision. The rest (and
    any plain text that is not a real date) is left to the general parser, so both give the same
    answers; this is only the fast road for a million timestamps.
    """
    n = len(texts)
    fast = _Fast(n)
    if n < 64:
        return fast
    try:
        a = np.array(texts, dtype=str)
    except (ValueError, TypeError):  # pragma: no cover - texts are str
        return fast
    width = a.dtype.itemsize // 4
    if width > 35 or width < 10:
        return fast
    c = a.view(np.uint32).reshape(n, width)  # code points, NUL-padded; no copy
    zero = np.zeros(n, dtype=np.uint32)

    def col(k: int) -> np.ndarray:
        return c[:, k] if k < width else zero

    def digits(*ks: int) -> np.ndarray:
        ok = np.ones(n, dtype=bool)
        for k in ks:
            ok &= (col(k) - np.uint32(48)) <= np.uint32(9)  # unsigned: below "0" wraps around
        return ok

    def num(*ks: int) -> np.ndarray:
        out = np.zeros(n, dtype=np.int64)
        for k in ks:
            out = out * 10 + (col(k).astype(np.int64) - 48)
        return out

    rows = np.arange(n)

    def at(k: np.ndarray) -> np.ndarray:
        return c[rows, np.clip(k, 0, width - 1)]

    def digit_at(k: np.ndarray) -> np.ndarray:
        return (at(k) - np.uint32(48)) <= np.uint32(9)

    length = np.count_nonzero(c, axis=1)
    # a zone only after a time (16 characters at least): Z, or +hh:mm / -hh:mm; looked for only in
    # texts wide enough to hold one (the naive yyyy-mm-dd hh:mm:ss column pays nothing)
    off = np.full(n, _NAT, dtype=np.int64)
    if width >= 17:
        zulu = ((at(length - 1) | np.uint32(0x20)) == ord("z")) & (length >= 17)
        off[zulu] = 0
        length = length - zulu
    if width >= 22:
        signed = (np.isin(at(length - 6), (43, 45)) & digit_at(length - 5) & digit_at(length - 4)
                  & (at(length - 3) == 58) & digit_at(length - 2) & digit_at(length - 1) & (length >= 22)
                  & (off == _NAT))
        if signed.any():
            off_h = (at(length - 5).astype(np.int64) - 48) * 10 + at(length - 4).astype(np.int64) - 48
            off_m = (at(length - 2).astype(np.int64) - 48) * 10 + at(length - 1).astype(np.int64) - 48
            signed &= (off_m <= 59) & (off_h * 60 + off_m <= _MAX_OFFSET)
            off = np.where(signed, np.where(at(length - 6) == 45, -1, 1) * (off_h * 60 + off_m), off)
            length = length - 6 * signed
    # a fraction of a second after the seconds: .f to .fffffffff (read to the microsecond)
    fraction = np.zeros(n, dtype=bool)
    frac = np.zeros(n, dtype=np.int64)
    if width >= 21:
        fraction = (length >= 21) & (length <= 29) & np.isin(col(19), (44, 46))
        if fraction.any():
            for k in range(20, 29):
                inside = k < length
                fraction &= ~inside | ((col(k) - np.uint32(48)) <= np.uint32(9))
                if k < 26:
                    frac = frac * 10 + np.where(inside, col(k).astype(np.int64) - 48, 0)
            length = np.where(fraction, 19, length)
    shape = np.isin(length, (10, 16, 19))
    shape &= (length >= 16) | (off == _NAT)  # a zone only after hh:mm(:ss)
    timed = length >= 16
    shape &= ~timed | (np.isin(col(10), (32, 84, 116)) & digits(11, 12, 14, 15) & (col(13) == 58))
    secs = length == 19
    shape &= ~secs | (digits(17, 18) & (col(16) == 58))
    iso = shape & digits(0, 1, 2, 3, 5, 6, 8, 9) & (col(4) == 45) & (col(7) == 45)
    xy = shape & digits(0, 1, 3, 4, 6, 7, 8, 9) & np.isin(col(2), (45, 46, 47)) & (col(5) == col(2))
    if not (iso.any() or xy.any()):
        return fast
    fast.off = np.where(iso | xy, off, _NAT)
    hour, minute, second = num(11, 12) * timed, num(14, 15) * timed, num(17, 18) * secs
    clock = (hour < 24) & (minute < 60) & (second < 60)
    t = (hour * 3600 + minute * 60 + second) * 1_000_000 + np.where(fraction, frac, 0)
    year = np.where(iso, num(0, 1, 2, 3), num(6, 7, 8, 9))
    gregorian = ((year < 1300) | (year > 1499)) & (year >= 1) & clock
    iso &= gregorian
    xy &= gregorian
    if iso.any():
        month, day = num(5, 6), num(8, 9)
        iso &= (month >= 1) & (month <= 12) & (day >= 1)
        iso &= day <= _month_lengths(year, month, iso)
        fast.us = np.where(iso, _day_numbers(year, month, iso) + day - 1, 0) * _US_PER_DAY + t
    fast.iso, fast.xy = iso, xy
    fast.y, fast.p, fast.q, fast.t = year, num(0, 1), num(3, 4), t
    return fast


def _day_numbers(year: np.ndarray, month: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of the first day of each month (where ``ok``)."""
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    return months.astype("datetime64[D]").astype(np.int64)


def _month_lengths(year: np.ndarray, month: np.ndarray, ok: np.ndarray) -> np.ndarray:
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    return ((months + 1).astype("datetime64[D]") - months.astype("datetime64[D]")).astype(np.int64)


def _iso_fast(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The plain year-first texts among ``texts``: ``(microseconds, mask, offsets)`` (see :func:`_fast_texts`)."""
    fast = _fast_texts(texts)
    return fast.us, fast.iso, fast.off


def _text_micros(texts: list[str], where_of: Any, arg: str, *, order: str | None, calendar: str,
                 kind: str, face: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Microseconds (int64, the wall-clock time as written), month-label mask and UTC offsets
    (minutes written after the time, ``_NAT`` for none) of distinct date texts, decided for the
    column (NaT for blank text).

    ``where_of(j)`` gives ``(position, cell value, "cell N" text)`` of text ``j``'s first cell.
    """
    hints = _HINTS[face]
    quick = _fast_texts(texts)
    fast = quick.iso | quick.xy
    parsed: dict[int, _Parsed | str] = {}  # a str is why the text is not a date, raised in row order below
    for j in np.flatnonzero(~fast).tolist():
        if not texts[j].strip():
            continue  # a blank cell: NaT
        parsed[j] = _parse_text(re.sub(r"\s+", " ", texts[j].translate(_DATE_TEXT).strip().lower()))
    # one order for the whole column: day first or month first, decided from all its values (the
    # plain ones read by numpy and the others)
    xy = [j for j, p in parsed.items() if not isinstance(p, str) and p.form == "xy"]
    fx = np.flatnonzero(quick.xy)
    fp, fq = quick.p[fx], quick.q[fx]

    def first(fast_mask: np.ndarray, test: Any) -> int | None:
        found = [int(fx[np.argmax(fast_mask)])] if fast_mask.any() else []
        found += [j for j in xy if test(parsed[j])][:1]
        return min(found) if found else None

    if xy or fx.size:
        if order == "ymd":
            j = min(xy[:1] + fx[:1].tolist())
            pos, v, w = where_of(j)
            raise _located(InvalidInput(f"has {describe(v)} in {w}, which is not written year first "
                                        "(--date-order ymd); pass --date-order dmy or mdy", argument=arg), pos, v)
        day_first = first((fp > 12) & (fq <= 12), lambda p: p.p > 12 >= p.q)
        month_first = first((fq > 12) & (fp <= 12), lambda p: p.q > 12 >= p.p)
        if order is None:
            if day_first is not None and month_first is not None:
                (p1, v1, w1), (p2, v2, w2) = where_of(day_first), where_of(month_first)
                raise _located(InvalidInput(
                    f"mixes day-first and month-first dates: {describe(v1)} in {w1} can only be day first, "
                    f"{describe(v2)} in {w2} only month first; write every date in one order "
                    "(yyyy-mm-dd is safest)", argument=arg), max(p1, p2), v2 if p2 > p1 else v1, [p1, p2])
            if day_first is not None:
                order = "dmy"
            elif month_first is not None:
                order = "mdy"
            else:
                ambiguous = first(fp != fq, lambda p: p.p != p.q)
                if ambiguous is not None:
                    pos, v, w = where_of(ambiguous)
                    raise _located(InvalidInput(
                        f"has dates such as {describe(v)} in {w} that read both day first and month first "
                        f"(no value in the column has a day above 12); {hints['order']}", argument=arg), pos, v)
                order = "dmy"  # every day equals its month: both orders give the same date
        for j in xy:
            p = parsed[j]
            p.form, p.order = "ymd", order
            p.p, p.q = (p.q, p.p) if order == "dmy" else (p.p, p.q)
        if fx.size:  # the plain ones, in the decided order; a date that does not exist is reported below
            month, day = (fq, fp) if order == "dmy" else (fp, fq)
            year = quick.y[fx]
            ok = (month >= 1) & (month <= 12) & (day >= 1)
            ok &= day <= _month_lengths(year, month, ok)
            quick.us[fx] = np.where(ok, _day_numbers(year, month, ok) + day - 1, 0) * _US_PER_DAY + quick.t[fx]
            for k in np.flatnonzero(~ok).tolist():
                bad = _Parsed("ymd", int(year[k]), int(month[k]), int(day[k]))
                bad.order = order
                parsed[int(fx[k])] = bad
            fast[fx[~ok]] = False
            parsed = dict(sorted(parsed.items()))
    out = np.where(fast, quick.us, _NAT)
    offs = np.where(fast, quick.off, _NAT)
    label = np.zeros(len(texts), dtype=bool)
    for j, p in parsed.items():
        if isinstance(p, str):
            pos, v, w = where_of(j)
            raise _located(InvalidInput(f"has {describe(v)} in {w}, which {p}; {hints['format']}",
                                        argument=arg), pos, v)
        if p.form == "serial":
            out[j] = serial_to_datetime64(np.array([p.serial]), "us").astype(np.int64)[0]
            continue
        if p.form == "label" and kind != "month":
            pos, v, w = where_of(j)
            raise _located(InvalidInput(f"has {describe(v)} in {w}, which is not a date but a month (no day); "
                                        "write a date (yyyy-mm-dd)", argument=arg), pos, v)
        cal = p.cal
        if cal is None:  # digits only: a year 1300-1499 is the local calendar's, any other Gregorian
            if _local_year(p.y) and calendar == "gregorian":
                pos, v, w = where_of(j)
                raise _located(InvalidInput(
                    f"has {describe(v)} in {w}, which looks like a Jalali or Hijri date (year {p.y}); "
                    f"{hints['local']}", argument=arg), pos, v)
            cal = calendar if _local_year(p.y) else "gregorian"
        month, day = p.p, p.q
        try:
            g = _to_gregorian(p.y, month, day, cal)
        except NotAvailable as e:
            pos, v, w = where_of(j)
            raise _located(NotAvailable(f"has {describe(v)} in {w}, which {e.reason}", argument=arg), pos, v)
        except (ValueError, OverflowError):
            pos, v, w = where_of(j)
            how = {"dmy": " read day first", "mdy": " read month first"}.get(p.order, "")
            what = "month" if p.form == "label" else "date"
            raise _located(InvalidInput(
                f"has {describe(v)} in {w}, which is not a {_CAL_NAME[cal]} {what}{how} (year {p.y}, "
                f"month {month}{'' if p.form == 'label' else f', day {day}'}); {hints['format']}",
                argument=arg), pos, v) from None
        out[j] = (g.toordinal() - _EPOCH_ORDINAL) * _US_PER_DAY + p.time
        label[j] = p.form == "label"
        if p.off is not None:
            offs[j] = p.off
    return out, label, offs


# ---- cells

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


def _cells_micros(flat: list, cols: int, arg: str, *, order: str | None, calendar: str, kind: str,
                  face: str, nan_blank: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Microseconds (int64, NaT = int64 min; the wall-clock time as written), month-label mask and
    UTC offsets in minutes (``_NAT``: none written; None: no cell has one) of flattened cells."""
    n = len(flat)
    no_labels = np.zeros(n, dtype=bool)
    types = set(map(type, flat))
    i = _first_bool(flat, types)
    if i is not None:
        raise _located(InvalidInput(_not_a_date(flat[i], i, cols, face), argument=arg),
                       i, flat[i])
    if types <= {float, int, _NONE}:
        try:
            serials = np.array(flat, dtype=float)
        except OverflowError:
            serials = None
        if serials is not None:
            nan = np.isnan(serials)
            if nan.any() and not nan_blank and float in types:
                i = next((int(k) for k in np.flatnonzero(nan) if flat[k] is not None), None)
                if i is not None:
                    raise _located(InvalidInput(_not_a_date(flat[i], i, cols, face), argument=arg), i, flat[i])
            bad = ~nan & ~((serials >= 0) & (serials <= _MAX_SERIAL))
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise _located(InvalidInput(_not_a_date(flat[i], i, cols, face), argument=arg), i, flat[i])
            return serial_to_datetime64(serials, "us").astype(np.int64), no_labels, None
    if types <= _DATETIME_TYPES and types - {_NONE}:
        try:
            parsed = pd.to_datetime(pd.Series(flat, dtype=object))
            if getattr(parsed.dtype, "tz", None) is None:
                return parsed.to_numpy(dtype="datetime64[us]").astype(np.int64), no_labels, None
            # aware values of one zone: their wall clocks and offsets (mixed zones: per value below)
            wall, off = _aware_micros(parsed)
            return wall, no_labels, off
        except (ValueError, TypeError, OverflowError):  # time zones mixed with naive times, ...
            pass
    # a text column of mostly distinct values (timestamps): plain ISO texts first, without hashing
    # them; a column that repeats its values (dates, months) is cheaper read once per distinct value
    if types <= {str, _NONE} and n >= 64 and len(set(flat[:4096])) > min(n, 4096) // 2:
        fast_us, fast, fast_off = _iso_fast([v if v is not None else "" for v in flat] if _NONE in types else flat)
        if fast.any():
            out = np.where(fast, fast_us, _NAT)
            off = np.where(fast, fast_off, _NAT)
            label = np.zeros(n, dtype=bool)
            rest = np.flatnonzero(~fast)
            if rest.size:
                try:
                    out[rest], label[rest], rest_off = _cells_micros(
                        [flat[i] for i in rest.tolist()], 1, arg, order=order, calendar=calendar, kind=kind,
                        face=face, nan_blank=nan_blank)
                except KPIError as e:  # cells of the rest are cells of the whole range
                    raise _in_whole_range(e, rest, cols) from None
                if rest_off is not None:
                    off[rest] = rest_off
            return out, label, (off if (off != _NAT).any() else None)
    arr = np.empty(n, dtype=object)
    arr[:] = flat
    codes, uniques = factorize(arr)
    if not nan_blank and (codes < 0).any():  # NaN in a worksheet range is invalid, unlike a blank
        i = next((int(k) for k in np.flatnonzero(codes < 0) if flat[k] is not None), None)
        if i is not None:
            raise _located(InvalidInput(_not_a_date(flat[i], i, cols, face), argument=arg),
                           i, flat[i])
    u_us = np.full(len(uniques) + 1, _NAT, dtype=np.int64)  # the last slot: code -1, blank
    u_off = np.full(len(uniques) + 1, _NAT, dtype=np.int64)
    u_label = np.zeros(len(uniques) + 1, dtype=bool)
    text_k: list[int] = []
    ulist = uniques.tolist()
    if set(map(type, ulist)) == {str}:  # the usual export column: text only
        text_k = list(range(len(ulist)))  # blank text is found by _text_micros
        ulist = []
    for k, u in enumerate(ulist):
        if isinstance(u, str):
            if u.strip():
                text_k.append(k)
        elif isinstance(u, (pd.Timestamp, _dt.date)) or (isinstance(u, np.datetime64) and not np.isnat(u)):
            u_us[k] = _wall_clock_us(u)
            u_off[k] = _aware_offset(u)
        elif isinstance(u, _NUMERIC_TYPES) and not isinstance(u, (bool, np.bool_)) and _is_serial(u):
            u_us[k] = serial_to_datetime64(np.array([float(u)]), "us").astype(np.int64)[0]
        elif isinstance(u, np.datetime64):
            continue  # NaT: blank
        else:
            i = int(np.argmax(codes == k))
            raise _located(InvalidInput(_not_a_date(flat[i], i, cols, face), argument=arg),
                           i, flat[i])
    if text_k:
        def where_of(j: int) -> tuple[int, Any, str]:
            i = int(np.argmax(codes == text_k[j]))
            return i, flat[i], where(i, cols)
        t_us, t_label, t_off = _text_micros([uniques[k] for k in text_k], where_of, arg, order=order,
                                            calendar=calendar, kind=kind, face=face)
        u_us[text_k] = t_us
        u_label[text_k] = t_label
        u_off[text_k] = t_off
    return u_us[codes], u_label[codes], (u_off[codes] if (u_off != _NAT).any() else None)


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


def _typed_micros(values: Any) -> tuple[np.ndarray, int, np.ndarray | None] | None:
    """Microseconds (wall-clock time), columns and UTC offsets (None: naive) of a typed datetime64
    array/Series/Index."""
    if isinstance(values, (pd.Series, pd.Index)) and values.dtype.kind == "M":
        s = pd.Series(values)
        if getattr(s.dtype, "tz", None) is not None:
            wall, off = _aware_micros(s)
            return wall, 1, off
        return s.to_numpy(dtype="datetime64[us]").astype(np.int64), 1, None
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        cols = values.shape[-1] if values.ndim >= 2 else 1
        return values.ravel().astype("datetime64[us]").astype(np.int64), cols, None
    return None


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


def _read_dates(values: Any, arg: str, *, order: str | None, calendar: str, kind: str, open_end: bool,
                face: str, unit: str, nan_blank: bool, tz: str | None = None) -> np.ndarray:
    """The dates (``datetime64[unit]``) of :func:`_read_zoned`."""
    return _read_zoned(values, arg, order=order, calendar=calendar, kind=kind, open_end=open_end, face=face,
                       unit=unit, nan_blank=nan_blank, tz=tz)[0]


def _read_zoned(values: Any, arg: str, *, order: str | None, calendar: str, kind: str, open_end: bool,
                face: str, unit: str, nan_blank: bool, tz: str | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """The dates (``datetime64[unit]``) and the UTC offsets as written (int64 minutes, ``_NAT`` for
    none; None when no value carries one). With ``tz``, a value with an offset is its instant on
    ``tz``'s wall clock (before ``kind`` drops the time: its day and month are ``tz``'s)."""
    _check_date_options(order, calendar, kind)
    if tz is not None:
        tz = check_timezone(tz)
    typed = _typed_micros(values)
    if typed is not None:
        us, cols, off = typed
        label = np.zeros(len(us), dtype=bool)
        flat_values = None
    else:
        flat_values, cols = flatten(values)
        us, label, off = _cells_micros(flat_values, cols, arg, order=order, calendar=calendar, kind=kind,
                                       face=face, nan_blank=nan_blank)
    if tz is not None and off is not None:
        us = to_zone(us, off, tz)

    def value_of(i: int) -> Any:
        if flat_values is not None:
            return flat_values[i]
        return np.datetime64(int(us[i]), "us")

    return _finish(us, label, value_of, cols, arg, kind=kind, calendar=calendar, open_end=open_end,
                   unit=unit), off


def offsets_minutes(off: np.ndarray | None, n: int) -> np.ndarray:
    """Offsets as float minutes per cell, NaN where none was written (blank cells too)."""
    if off is None:
        return np.full(n, np.nan)
    return np.where(off == _NAT, np.nan, off.astype(float))


def date_column(values: Any, arg: str, *, order: str | None = None, calendar: str = "gregorian",
                kind: str = "date", open_end: bool = False, tz: str | None = None) -> np.ndarray:
    """The dates of an export column as ``datetime64[ns]``, ``NaT`` for a blank cell.

    ``values`` is a pandas Series or a list of raw cells: text, Excel serial numbers (1900 date
    system), ``datetime``/``date``/``pandas.Timestamp``/``numpy.datetime64``, ``None`` (``NaN`` is a
    blank, as pandas spells one). The rules, one decision per column and never a guess per cell:

    * **Text** is read year first (ISO: ``2024-09-01``, ``2024/9/1``, ``2024-09-01T10:30:00Z``,
      ``20240901``), or day/month first with a four-digit year (``05/03/2024``, ``5.3.2024``), or
      with a month name (``5 Mar 2024``, ``March 5, 2024``, ``Tue, 05 Mar 2024 10:00``). Whether
      ``05/03/2024`` is 5 March or 3 May is decided from *all* the column's values: a value whose
      first part is above 12 proves day first, one whose second part is above 12 proves month
      first; both in one column is an error naming a cell of each, and a column where no value
      decides (and some day differs from its month) is an error asking for
      ``--date-order dmy|mdy|ymd``, unless ``order`` gives it. Persian and Arabic digits, a time of
      day after the date (``10:30``, ``10:30:15.5``, ``2:30 PM``, ``ب.ظ``) and number text from
      10000 up (an Excel serial, ``"45536"``) are read.
    * **Local calendars.** Text whose year is 1300-1499 (``1403/06/11``, ``۱۴۰۳/۰۶/۱۱ 10:30``,
      ``1403-04`` as a month) is a date of ``calendar``: Jalali (jdatetime) or Hijri (Umm al-Qura,
      hijridate; a year outside 1343-1500 AH is :class:`~xl_cskpi.errors.NotAvailable`). With
      ``calendar="gregorian"`` it is an error that says to pass ``--lang fa/ar`` or
      ``--calendar jalali|hijri``. Any other year is Gregorian. A month name carries its own
      calendar (``شهریور ۱۴۰۳`` is Jalali, ``Sep 2024`` Gregorian).
    * **Time zones.** A text with ``Z``/``UTC``/``+03:30``/``-0800`` after its time, or a
      time-zone-aware datetime, is an instant. With ``tz`` (an IANA name: ``UTC``,
      ``Asia/Tehran``) it is read on ``tz``'s wall clock (``2024-03-09T22:00:00-08:00`` with
      ``tz="UTC"`` is 2024-03-10 06:00, its day the 10th); a value without an offset is already a
      wall-clock time of ``tz`` and is kept. Without ``tz`` (the default) every value keeps its
      wall-clock time as written, the offset left out: right when the whole column shares one
      offset. :func:`date_column_offsets` gives the offsets too, so that a caller (the export reader)
      can decide the zone for a whole export.
    * ``kind="date"`` drops the time of day; ``"datetime"`` keeps it; ``"month"`` gives the first
      day of the month each value falls in, in ``calendar`` (a Gregorian datetime). Month labels
      (``2024-09``, ``2024/9``, ``09/2024``, ``Sep 2024``, ``1403-04``, ``۱۴۰۳/۰۴``) are read only
      with ``kind="month"``.
    * **Range.** The tables compute in ``datetime64[ns]``: 1677-09-22 to 2262-04-11. A date outside
      is never turned into another date: with ``open_end=True`` (end-date columns, where ERPs write
      9999-12-31 for "no end date") a date after 2262-04-11 reads as ``NaT`` = still open; otherwise
      it is :class:`~xl_cskpi.errors.OutOfRange` (``#NUM!``).
    * Time- or duration-formatted cells (``datetime.time``, ``timedelta``), logical values and
      other text are errors, never blanks.

    Every error is a :class:`~xl_cskpi.errors.KPIError` with ``.position``, the 0-based index of
    the offending cell in ``values`` (its message says "cell N" = position + 1), ``.positions``
    (every cell the message names, in its order: a column mixing day-first and month-first dates
    names one of each) and ``.value``. Each distinct value is read once.

    >>> [str(d)[:10] for d in date_column(["05/03/2024", "15/03/2024", None], "start")]
    ['2024-03-05', '2024-03-15', 'NaT']
    >>> [str(d)[:10] for d in date_column(["۱۴۰۳/۰۶/۱۱", "1403-06-12"], "start", calendar="jalali")]
    ['2024-09-01', '2024-09-02']
    >>> [str(d)[:10] for d in date_column(["1403-04", "۱۴۰۳/۰۵"], "month", calendar="jalali", kind="month")]
    ['2024-06-21', '2024-07-22']
    >>> date_column(["2024-01-31", "9999-12-31"], "end", open_end=True).astype(str).tolist()
    ['2024-01-31T00:00:00.000000000', 'NaT']
    """
    return _read_dates(values, arg, order=order, calendar=calendar, kind=kind, open_end=open_end,
                       face="export", unit="ns", nan_blank=True, tz=tz)


def date_column_offsets(values: Any, arg: str, *, order: str | None = None, calendar: str = "gregorian",
                        kind: str = "date", open_end: bool = False,
                        tz: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(date_column(values, arg, ..., tz=tz), offsets)``: the dates and, per cell, the UTC offset
    written with it in minutes (``Z`` 0, ``-08:00`` -480, a time-zone-aware datetime its own; NaN for
    a value without one and for a blank), read once.

    >>> d, off = date_column_offsets(["2024-03-09T22:00:00-08:00", "2024-03-10 10:00", None], "at",
    ...                              kind="datetime", tz="UTC")
    >>> [str(x)[:16] for x in d], off.tolist()
    (['2024-03-10T06:00', '2024-03-10T10:00', 'NaT'], [-480.0, nan, nan])
    """
    dates, off = _read_zoned(values, arg, order=order, calendar=calendar, kind=kind, open_end=open_end,
                             face="export", unit="ns", nan_blank=True, tz=tz)
    return dates, offsets_minutes(off, len(dates))


def datetimes(values: Any, arg: str, *, keep_blanks: bool = False, calendar: str = "gregorian",
              unit: str = "ns", open_end: bool = False, tz: str | None = None) -> np.ndarray:
    """The dates of a worksheet range as ``datetime64[ns]`` (blanks skipped, or NaT with ``keep_blanks``).

    The same reader as :func:`date_column` (text order decided for the whole range, Persian and
    Arabic digits, local calendars, times kept; a value with a time-zone offset on ``tz``'s wall
    clock, or as written without ``tz``: :func:`datetimes_offsets` gives the offsets), with the worksheet's words in
    the errors: an undecidable range asks for yyyy-mm-dd text or date cells, and year-1300-1499 text
    is read in ``calendar`` (the calendar functions pass theirs). ``unit="us"`` reads the whole
    range Excel has (to 9999-12-31) for the calendar functions; with ``"ns"`` a date outside
    1677-09-22 .. 2262-04-11 is :class:`~xl_cskpi.errors.OutOfRange` naming the cell, except that
    ``open_end=True`` (end dates) reads a date after 2262-04-11 as ``NaT``, still open.

    >>> import datetime as dt
    >>> [str(d)[:10] for d in datetimes([[dt.date(2024, 9, 1)], [45537.0], [None], ["2024-09-03"]], "opened_at")]
    ['2024-09-01', '2024-09-02', '2024-09-03']
    """
    t = type(values)
    if (t is _dt.datetime and values.tzinfo is None) or t is _dt.date:
        # the scalar fast path (issue 17.4): one date cell skips flattening and pandas' parser;
        # the same microseconds (_wall_clock_us) and the same range checks (_finish) as the general path
        _check_date_options(None, calendar, "datetime")
        us = np.array([_wall_clock_us(values)], dtype=np.int64)
        out = _finish(us, np.zeros(1, dtype=bool), lambda i: values, 1, arg, kind="datetime",
                      calendar=calendar, open_end=open_end, unit=unit)
    else:
        out = _read_dates(values, arg, order=None, calendar=calendar, kind="datetime", open_end=open_end,
                          face="worksheet", unit=unit, nan_blank=False, tz=tz)
    if keep_blanks:
        return out
    return out[~np.isnat(out)]


def datetimes_offsets(values: Any, arg: str, *, calendar: str = "gregorian", unit: str = "ns",
                      open_end: bool = False, tz: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(datetimes(values, arg, keep_blanks=True, ..., tz=tz), offsets)``: a worksheet range's
    date-times (blanks NaT) and the UTC offset written with each, in minutes (NaN: none), read once
    (see :func:`date_column_offsets`)."""
    dates, off = _read_zoned(values, arg, order=None, calendar=calendar, kind="datetime", open_end=open_end,
                             face="worksheet", unit=unit, nan_blank=False, tz=tz)
    return dates, offsets_minutes(off, len(dates))
