"""Date text: the general parser of one text (year first, day or month first, month names in
en/fa/ar, month labels, times of day and UTC offsets, local calendars) and the fast road that reads
a column of plain timestamps with numpy alone (:func:`_fast_texts`).

A two-digit year is read only after a Gregorian month name, day first (``03/Jun/24 9:15 AM``,
Jira's default format ``dd/MMM/yy h:mm a``; ``03-JUN-24``): 00-68 are 2000-2068, 69-99 are
1969-1999, as Python's ``%y`` (:func:`two_digit_year`). ``03/06/24`` stays refused ("write the year
in full"), as does a two-digit year after a Jalali or Hijri month name.

Part of the one reader of dates, :mod:`xl_cskpi.cells.dates`, which decides one order per column
from all its texts (``_text_micros`` there).
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy as np

from ..errors import NotAvailable
from .numeric import LATIN_DIGITS, read_number_text
from .textual import fold_label
from .date_values import _MAX_SERIAL, _MIN_TEXT_SERIAL, _NAT, _US_PER_DAY

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
# day, month name, two-digit year: Jira's default "dd/MMM/yy h:mm a" (03/Jun/24 9:15 AM), Oracle's DD-MON-YY
_NAMED_DMY2 = re.compile(_WEEKDAY + r"(\d{1,2})[\s\-/]+" + _NAME + r"[\s\-/]+(\d{2})" + _TIME)
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
    m = _NAMED_DMY2.fullmatch(s)
    if m:
        month = _month_word(m.group(2))
        if month is not None:
            if month[0] != "gregorian":
                return "has a two-digit year; write the year in full (1403, not 03)"
            t = _time_us(m.groups()[3:])
            if t is None:
                return "has a time of day that does not exist"
            off = _offset_minutes(m.group(m.re.groups))
            if isinstance(off, str):
                return off
            return _Parsed("named", two_digit_year(int(m.group(3))), month[1], int(m.group(1)), cal="gregorian",
                           time=t, off=off)
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


def two_digit_year(yy: int) -> int:
    """The year of a two-digit year after a month *name* (``03/Jun/24``, Jira's default date format):
    00-68 are 2000-2068 and 69-99 are 1969-1999, as Python's ``%y`` and POSIX ``strptime`` read them.
    Only there: with the month a name, day and year cannot trade places; ``03/06/24`` (three numbers)
    stays refused, its day, month and year each in doubt.

    >>> two_digit_year(24), two_digit_year(68), two_digit_year(69), two_digit_year(0)
    (2024, 2068, 1969, 2000)
    """
    return 2000 + yy if yy <= 68 else 1900 + yy


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
