"""Gregorian, Jalali (Solar Hijri) and Hijri (Umm al-Qura) periods: the engine every table buckets with.

A *period ordinal* is one int64 per date that numbers periods consecutively, so that tables can
group, sort and subtract periods ("3 months after the cohort month") with plain integer arithmetic:

=========  ==========================================================================
period     ordinal
=========  ==========================================================================
day        days since 1970-01-01 (the same in every calendar)
week       weeks since a fixed week start: Monday 1969-12-29 for ``gregorian`` (ISO 8601
           weeks), Saturday 1969-12-27 for ``jalali`` and ``hijri`` (the week of Iran and of
           most of the Arab world runs Saturday to Friday)
month      ``year * 12 + (month - 1)`` in the chosen calendar
quarter    ``year * 4 + (quarter - 1)`` in the chosen calendar, quarter = (month + 2) // 3
=========  ==========================================================================

A blank date (``NaT``) gets :data:`NAT_ORDINAL` (the smallest int64), and that ordinal gets the
label ``None``.

Labels are sortable text with Latin digits, so that sorting the labels sorts the periods:
``"2024-09"``/``"1403-06"`` (month), ``"1403-Q2"`` (quarter), ``"1403-06-11"`` (day),
``"2024-W36"`` (week). A week belongs to the year that holds its fourth day (Thursday in ISO
weeks, Tuesday in Saturday weeks), so week 1 is the first week with at least four days in the
new year -- ISO 8601's rule, applied to Saturday weeks too.

Conversions use the maintained libraries, never hand-written algorithms: ``jdatetime`` for the
Jalali calendar and ``hijridate`` for Umm al-Qura (the official calendar of Saudi Arabia, tabulated
for 1343-1500 AH = 1924-08-01 to 2077-11-16 CE; dates outside raise
:class:`~xl_cskpi.errors.NotAvailable`); Gregorian months come from the standard library's
``datetime.date``. The libraries are asked only for the first day of each month of the years the
data spans (12 calls a year, cached); every date is then placed with one vectorized
``np.searchsorted`` over those month starts, and labels are formatted once per distinct period. A million rows therefore costs a few numpy
passes, whatever the number of distinct days.

>>> import numpy as np
>>> d = np.array(["2024-03-20", "2024-09-01T15:30", "NaT"], dtype="datetime64[ns]")
>>> period_labels(d, "month", "jalali").tolist()
['1403-01', '1403-06', None]
>>> period_labels(d, "day", "hijri").tolist()
['1445-09-10', '1446-02-28', None]
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import re
from typing import Any

import jdatetime
import numpy as np
from hijridate import Gregorian, Hijri

from .cells import LATIN_DIGITS, flatten
from .errors import InvalidInput, NotAvailable, OutOfRange

__all__ = [
    "CALENDARS",
    "PERIODS",
    "NAT_ORDINAL",
    "HIJRI_FIRST_DATE",
    "HIJRI_LAST_DATE",
    "period_ordinals",
    "ordinal_labels",
    "period_labels",
    "label_ordinals",
    "period_start_dates",
    "month_start_days",
    "MonthFit",
    "month_fit",
    "JALALI_FIRST_DATE",
    "JALALI_LAST_DATE",
    "month_name",
    "month_names",
    "to_native_digits",
]

CALENDARS = ("gregorian", "jalali", "hijri")
PERIODS = ("day", "week", "month", "quarter")

#: The ordinal of a blank date (``NaT``); :func:`ordinal_labels` gives it the label ``None``.
NAT_ORDINAL = np.iinfo(np.int64).min

#: First and last Gregorian dates of the Umm al-Qura table (1 Muharram 1343 and 30 Dhu al-Hijjah 1500).
HIJRI_FIRST_DATE = _dt.date(1924, 8, 1)
HIJRI_LAST_DATE = _dt.date(2077, 11, 16)
_HIJRI_FIRST_YEAR, _HIJRI_LAST_YEAR = 1343, 1500

#: First and last Gregorian dates jdatetime converts (1 Farvardin 1 and 30 Esfand 9377).
JALALI_FIRST_DATE = jdatetime.date(1, 1, 1).togregorian()
JALALI_LAST_DATE = jdatetime.date(9377, 12, 30).togregorian()

_EPOCH = _dt.date(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_HIJRI_FIRST_DAY = HIJRI_FIRST_DATE.toordinal() - _EPOCH_ORDINAL
_HIJRI_LAST_DAY = HIJRI_LAST_DATE.toordinal() - _EPOCH_ORDINAL
_JALALI_FIRST_DAY = JALALI_FIRST_DATE.toordinal() - _EPOCH_ORDINAL
_JALALI_LAST_DAY = JALALI_LAST_DATE.toordinal() - _EPOCH_ORDINAL
_NS_FIRST_DAY = int(np.datetime64("1677-09-22", "D").astype(np.int64))
_NS_LAST_DAY = int(np.datetime64("2262-04-11", "D").astype(np.int64))
#: Days to add to a day number before ``// 7`` so that weeks start on Monday (ISO) or Saturday.
_WEEK_SHIFT = {"gregorian": 3, "jalali": 5, "hijri": 5}


# --------------------------------------------------------------------------- argument checks


def _one_of(value: str, options: tuple[str, ...], arg: str) -> None:
    if value not in options:
        raise InvalidInput(f"is {value!r}; use one of: " + ", ".join(f'"{o}"' for o in options), argument=arg)


def _check(period: str, calendar: str) -> None:
    _one_of(period, PERIODS, "period")
    _one_of(calendar, CALENDARS, "calendar")


def _day_numbers(dates: Any) -> np.ndarray:
    """datetime64 values -> int64 days since 1970-01-01 (floor), NAT_ORDINAL for NaT."""
    d = np.asarray(dates)
    if d.dtype.kind != "M":
        d = d.astype("datetime64[ns]")
    d = d.ravel()
    days = d.astype("datetime64[D]").astype(np.int64)  # NaT becomes int64 min: NAT_ORDINAL
    return days


def _day_to_date(day: int) -> _dt.date:
    try:
        return _dt.date.fromordinal(int(day) + _EPOCH_ORDINAL)
    except (ValueError, OverflowError):
        raise OutOfRange(f"has a date outside the years 1 to 9999 (day {int(day)} from 1970-01-01)",
                         argument="date") from None


# --------------------------------------------------------------------------- month tables (the libraries)


@functools.lru_cache(maxsize=4096)
def _year_month_starts(calendar: str, year: int) -> tuple[int, ...]:
    """Day numbers (since 1970-01-01) of the first day of each month of ``year``, from the library."""
    if calendar == "jalali":
        firsts = [jdatetime.date(year, m, 1).togregorian() for m in range(1, 13)]
    elif calendar == "hijri":
        firsts = [Hijri(year, m, 1).to_gregorian() for m in range(1, 13)]
    else:
        firsts = [_dt.date(year, m, 1) for m in range(1, 13)]
    return tuple(f.toordinal() - _EPOCH_ORDINAL for f in firsts)


def _calendar_year(calendar: str, day: int) -> int:
    """The calendar year of one day number (a single library call)."""
    g = _day_to_date(day)
    if calendar == "jalali":
        return jdatetime.date.fromgregorian(date=g).year
    if calendar == "hijri":
        return Gregorian(g.year, g.month, g.day).to_hijri().year
    return g.year


def _month_table(calendar: str, first_year: int, last_year: int) -> tuple[np.ndarray, np.ndarray]:
    """(month start day numbers, month ordinals) for every month of the years, ascending."""
    years = range(first_year, last_year + 1)
    starts = np.fromiter((s for y in years for s in _year_month_starts(calendar, y)), dtype=np.int64,
                         count=12 * len(years))
    ordinals = np.arange(first_year * 12, (last_year + 1) * 12, dtype=np.int64)
    return starts, ordinals


def _hijri_range_error(day: int, arg: str) -> NotAvailable:
    return NotAvailable(
        f"has the date {_day_to_date(day).isoformat()}, outside the Umm al-Qura Hijri calendar "
        f"(1 Muharram {_HIJRI_FIRST_YEAR} to 30 Dhu al-Hijjah {_HIJRI_LAST_YEAR} AH = "
        f"{HIJRI_FIRST_DATE.isoformat()} to {HIJRI_LAST_DATE.isoformat()}); use dates in that range "
        "or another calendar", argument=arg)


def _jalali_range_error(day: int, arg: str) -> OutOfRange:
    shown = _day_to_date(day).isoformat() if 1 <= day + _EPOCH_ORDINAL <= _dt.date.max.toordinal() \
        else f"day {day} from 1970-01-01"
    return OutOfRange(
        f"has the date {shown}, outside the Jalali calendar's years 1 to 9377 (jdatetime: "
        f"{JALALI_FIRST_DATE.isoformat()} to {JALALI_LAST_DATE.isoformat()}); use a date in that range",
        argument=arg)


def _months_of_days(days: np.ndarray, calendar: str, arg: str) -> tuple[np.ndarray, np.ndarray]:
    """Month ordinal and first day of that month for valid (non-NaT) day numbers."""
    if days.size == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    lo, hi = int(days.min()), int(days.max())
    if days.size > 4096 and hi - lo < days.size // 4:  # many rows over few days: one lookup per day
        months, starts = _months_of_days(np.arange(lo, hi + 1, dtype=np.int64), calendar, arg)
        return months[days - lo], starts[days - lo]
    if calendar == "gregorian":  # numpy's own month arithmetic: no table, no search
        month = days.astype("datetime64[D]").astype("datetime64[M]")
        return month.astype(np.int64) + 1970 * 12, month.astype("datetime64[D]").astype(np.int64)
    lo, hi = int(days.min()), int(days.max())
    if calendar == "hijri":
        bad = (days < _HIJRI_FIRST_DAY) | (days > _HIJRI_LAST_DAY)
        if bad.any():
            raise _hijri_range_error(int(days[np.flatnonzero(bad)[0]]), arg)
    if calendar == "jalali" and (lo < _JALALI_FIRST_DAY or hi > _JALALI_LAST_DAY):
        bad = int(lo if lo < _JALALI_FIRST_DAY else hi)
        raise _jalali_range_error(bad, arg)
    first_year, last_year = _calendar_year(calendar, lo), _calendar_year(calendar, hi)
    starts, ordinals = _month_table(calendar, first_year, last_year)
    i = np.searchsorted(starts, days, side="right") - 1
    return ordinals[i], starts[i]


def _month_starts(months: np.ndarray, calendar: str, arg: str) -> np.ndarray:
    """First day (day number) of each month ordinal."""
    if months.size == 0:
        return np.empty(0, np.int64)
    if calendar == "gregorian":
        return (months - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    first_year, last_year = int(months.min()) // 12, int(months.max()) // 12
    if calendar == "jalali" and (first_year < 1 or last_year > 9377):
        year = first_year if first_year < 1 else last_year
        raise OutOfRange(f"has the Jalali year {year}, outside the years 1 to 9377 jdatetime converts",
                         argument=arg)
    if calendar == "gregorian" and (first_year < 1 or last_year > 9999):
        year = first_year if first_year < 1 else last_year
        raise OutOfRange(f"has the year {year}, outside 1 to 9999", argument=arg)
    if calendar == "hijri" and (first_year < _HIJRI_FIRST_YEAR or last_year > _HIJRI_LAST_YEAR):
        year = first_year if first_year < _HIJRI_FIRST_YEAR else last_year
        raise NotAvailable(f"has the Hijri year {year}, outside the Umm al-Qura calendar "
                           f"({_HIJRI_FIRST_YEAR} to {_HIJRI_LAST_YEAR} AH)", argument=arg)
    try:
        starts, _ = _month_table(calendar, first_year, last_year)
    except (ValueError, OverflowError) as e:
        raise NotAvailable(f"has a {calendar} year the calendar cannot convert ({e})", argument=arg) from None
    return starts[months - first_year * 12]


# --------------------------------------------------------------------------- ordinals


def period_ordinals(dates: Any, period: str = "month", calendar: str = "gregorian", *,
                    arg: str = "dates") -> np.ndarray:
    """One int64 period number per date (see the module docstring); ``NAT_ORDINAL`` for ``NaT``.

    ``dates`` is a ``datetime64`` array (any shape; the result is flat, row-major). Times of day are
    ignored (a date belongs to the calendar day it falls on). ``arg`` names the argument in errors.

    >>> import numpy as np
    >>> d = np.array(["2024-08-22", "2024-09-01"], dtype="datetime64[ns]")
    >>> period_ordinals(d, "month", "jalali").tolist()   # 1403-06 and 1403-06: 1403 * 12 + 5
    [16841, 16841]
    >>> period_ordinals(d, "quarter", "gregorian").tolist()   # 2024-Q3: 2024 * 4 + 2
    [8098, 8098]
    """
    _check(period, calendar)
    days = _day_numbers(dates)
    valid = days != NAT_ORDINAL
    out = np.full(days.shape, NAT_ORDINAL, dtype=np.int64)
    v = days[valid]
    if period == "day":
        out[valid] = v
    elif period == "week":
        if calendar == "hijri":
            _months_of_days(v, calendar, arg)  # the Hijri range check
        out[valid] = (v + _WEEK_SHIFT[calendar]) // 7
    else:
        months, _ = _months_of_days(v, calendar, arg)
        out[valid] = months if period == "month" else (months // 12) * 4 + (months % 12) // 3
    return out


def _format(fmt: str, *columns: np.ndarray) -> np.ndarray:
    """Format rows of int columns with ``fmt`` (one Python call per row of the *unique* ordinals)."""
    out = np.empty(len(columns[0]), dtype=object)
    out[:] = [fmt % row for row in zip(*(c.tolist() for c in columns))]
    return out


def _week_labels(weeks: np.ndarray, calendar: str, arg: str) -> np.ndarray:
    shift = _WEEK_SHIFT[calendar]
    middle = weeks * 7 - shift + 3  # Thursday of a Monday week, Tuesday of a Saturday week
    if calendar == "hijri" and middle.size:
        bad = (middle < _HIJRI_FIRST_DAY) | (middle > _HIJRI_LAST_DAY)
        if bad.any():
            first = int(weeks[np.flatnonzero(bad)[0]]) * 7 - shift
            raise NotAvailable(
                f"has a date in the week of {_day_to_date(first).isoformat()} to "
                f"{_day_to_date(first + 6).isoformat()}, which belongs to a Hijri year outside the Umm "
                f"al-Qura calendar ({_HIJRI_FIRST_YEAR} to {_HIJRI_LAST_YEAR} AH = "
                f"{HIJRI_FIRST_DATE.isoformat()} to {HIJRI_LAST_DATE.isoformat()}); use a later date, "
                "another period or another calendar", argument=arg)
    months, _ = _months_of_days(middle, calendar, arg)
    years = months // 12
    year_starts = _month_starts(years * 12, calendar, arg)
    return _format("%04d-W%02d", years, (middle - year_starts) // 7 + 1)


def _unique(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)``, without sorting when the values span few periods."""
    if values.size == 0:
        return values, np.empty(0, np.intp)
    lo, hi = int(values.min()), int(values.max())
    if hi - lo < 4 * values.size + 4096:  # a dense span (the usual case): a bincount, no sort
        present = np.bincount(values - lo, minlength=hi - lo + 1) > 0
        uniq = np.flatnonzero(present) + lo
        position = np.cumsum(present) - 1
        return uniq.astype(np.int64), position[values - lo]
    uniq, inverse = np.unique(values, return_inverse=True)
    return uniq, inverse.ravel()


def ordinal_labels(ordinals: Any, period: str = "month", calendar: str = "gregorian", *,
                   arg: str = "dates") -> np.ndarray:
    """Sortable text labels (object array, Latin digits) of period ordinals; ``None`` for NAT_ORDINAL.

    month ``"1403-06"``, quarter ``"1403-Q2"``, day ``"1403-06-11"``, week ``"2024-W36"``.

    >>> ordinal_labels([1403 * 12 + 5, 1403 * 12 + 11], "month", "jalali").tolist()
    ['1403-06', '1403-12']
    >>> ordinal_labels([8098], "quarter").tolist()
    ['2024-Q3']
    """
    _check(period, calendar)
    o = np.asarray(ordinals, dtype=np.int64).ravel()
    out = np.full(o.shape, None, dtype=object)
    valid = o != NAT_ORDINAL
    uniq, inverse = _unique(o[valid])
    if period == "month":
        labels = _format("%04d-%02d", uniq // 12, uniq % 12 + 1)
    elif period == "quarter":
        labels = _format("%04d-Q%d", uniq // 4, uniq % 4 + 1)
    elif period == "day":
        months, starts = _months_of_days(uniq, calendar, arg)
        labels = _format("%04d-%02d-%02d", months // 12, months % 12 + 1, uniq - starts + 1)
    else:
        labels = _week_labels(uniq, calendar, arg)
    out[valid] = labels[inverse] if uniq.size else labels
    return out


def period_labels(dates: Any, period: str = "month", calendar: str = "gregorian", *,
                  arg: str = "dates") -> np.ndarray:
    """``ordinal_labels(period_ordinals(dates, period, calendar), period, calendar)``.

    >>> import numpy as np
    >>> period_labels(np.array(["2024-09-01"], dtype="datetime64[ns]"), "week").tolist()
    ['2024-W35']
    """
    return ordinal_labels(period_ordinals(dates, period, calendar, arg=arg), period, calendar, arg=arg)


def period_start_dates(ordinals: Any, period: str = "month", calendar: str = "gregorian", *,
                       arg: str = "dates") -> np.ndarray:
    """The first day of each period as ``datetime64[ns]`` (midnight); ``NaT`` for NAT_ORDINAL.

    The inverse of :func:`period_ordinals` up to the day: a table can show the Gregorian date a
    Jalali month starts on, or place a period on a date axis.

    >>> period_start_dates([1403 * 12 + 5], "month", "jalali").astype(str).tolist()  # 1 Shahrivar 1403
    ['2024-08-22T00:00:00.000000000']
    >>> period_start_dates([1403 * 4], "quarter", "jalali").astype("datetime64[D]").astype(str).tolist()
    ['2024-03-20']
    """
    _check(period, calendar)
    o = np.asarray(ordinals, dtype=np.int64).ravel()
    valid = o != NAT_ORDINAL
    v = o[valid]
    if period == "day":
        days = v
    elif period == "week":
        days = v * 7 - _WEEK_SHIFT[calendar]
    elif period == "month":
        days = _month_starts(v, calendar, arg)
    else:
        days = _month_starts((v // 4) * 12 + (v % 4) * 3, calendar, arg)
    out = np.full(o.shape, np.datetime64("NaT"), dtype="datetime64[ns]")
    bad = (days < _NS_FIRST_DAY) | (days > _NS_LAST_DAY)
    if bad.any():  # datetime64[ns] would wrap around: never another date
        first = ordinal_labels(v[np.flatnonzero(bad)[:1]], period, calendar, arg=arg)[0]
        raise OutOfRange(f"has the period {first}, which starts outside 1677-09-22 to 2262-04-11, the "
                         "dates that can be computed with", argument=arg)
    out[valid] = days.astype("datetime64[D]").astype("datetime64[ns]")
    return out


def month_start_days(days: Any, calendar: str = "gregorian", *, arg: str = "dates") -> np.ndarray:
    """The first day of the ``calendar`` month each day falls in, both as int64 days since 1970-01-01.

    What :func:`xl_cskpi.cells.date_column` uses to read a column as months (``kind="month"``).

    >>> d = np.array([19967], dtype=np.int64)  # 2024-09-01
    >>> month_start_days(d, "jalali").astype("datetime64[D]").astype(str).tolist()  # 1 Shahrivar 1403
    ['2024-08-22']
    """
    _one_of(calendar, CALENDARS, "calendar")
    d = np.asarray(days, dtype=np.int64).ravel()
    _, starts = _months_of_days(d, calendar, arg)
    return starts


@dataclasses.dataclass(frozen=True)
class MonthFit:
    """How the distinct days of a monthly column sit in the months of ``calendar``
    (:func:`month_fit`). Days are int64 days since 1970-01-01, sorted.

    * ``monthly``: at most one distinct day per Gregorian month (monthly rows, not dated events);
    * ``shared``: ``(label, days)`` of each ``calendar`` month holding two or more of the days;
    * ``skipped``: labels of ``calendar`` months lying between the months of two days that are in
      consecutive Gregorian months (a month the rows step over: it would read as a month without
      any value);
    * ``relabelled``: the first day that is the 1st of a Gregorian month but not the first day of
      its ``calendar`` month, with that month's label (the Gregorian month is shown under another
      calendar's month), or ``None``.
    """

    calendar: str
    days: np.ndarray
    monthly: bool
    shared: tuple[tuple[str, tuple[int, ...]], ...]
    skipped: tuple[str, ...]
    relabelled: tuple[int, str] | None

    @property
    def aligned(self) -> bool:
        """No shared and no skipped month: one row per ``calendar`` month (possibly relabelled)."""
        return not self.shared and not self.skipped


def month_fit(days: Any, calendar: str, *, arg: str = "dates") -> MonthFit:
    """Line distinct days (int64 days since 1970-01-01; repeats and order do not matter) up with the
    months of ``calendar``: the one computation behind the Data check's ``month_calendar`` and
    ``shared_month`` warnings and the table functions' refusal of Gregorian monthly rows counted in
    Hijri months (:func:`xl_cskpi.tables.rows.check_monthly_rows`).

    ``arg`` names the argument in errors (a day outside the Hijri calendar's range).

    Hijri months are 29-30 days, so about one in 33 holds the 1st of two Gregorian months and the
    one before or after holds none; Jalali months line up one to one with Gregorian month starts
    (1 December 2024 is 11 Azar 1403), each shown under the Jalali month holding it.

    >>> import numpy as np
    >>> d = np.array(["2014-01-01", "2014-02-01", "2014-03-01", "2014-04-01"], dtype="datetime64[D]").astype(np.int64)
    >>> f = month_fit(d, "hijri")
    >>> f.monthly, f.shared[0][0], f.skipped
    (True, '1435-04', ('1435-03', '1435-05'))
    >>> month_fit(d, "jalali").aligned, month_fit(d, "jalali").relabelled[1]
    (True, '1392-10')
    """
    _one_of(calendar, CALENDARS, "calendar")
    d = np.unique(np.asarray(days, dtype=np.int64).ravel())
    d = d[d != NAT_ORDINAL]
    g, g_starts = _months_of_days(d, "gregorian", arg)
    monthly = len(np.unique(g)) == len(d)
    if calendar == "gregorian" or not d.size:
        return MonthFit(calendar, d, monthly, (), (), None)
    m, m_starts = _months_of_days(d, calendar, arg)
    labels = ordinal_labels(m, "month", calendar)
    shared: dict[str, list[int]] = {}
    for day, lab in zip(d.tolist(), labels.tolist()):
        shared.setdefault(lab, []).append(day)
    skipped: list[int] = []
    for i in np.flatnonzero((np.diff(g) == 1) & (np.diff(m) > 1)).tolist():
        skipped += range(int(m[i]) + 1, int(m[i + 1]))
    firsts = np.flatnonzero((d == g_starts) & (d != m_starts))
    relabelled = (int(d[firsts[0]]), str(labels[firsts[0]])) if firsts.size else None
    return MonthFit(calendar, d, monthly,
                    tuple((lab, tuple(ds)) for lab, ds in shared.items() if len(ds) > 1),
                    tuple(ordinal_labels(np.array(skipped, dtype=np.int64), "month", calendar).tolist()),
                    relabelled)


# --------------------------------------------------------------------------- parsing labels

_DIGITS = {**LATIN_DIGITS, 0x2212: "-", 0x2013: "-", 0x2010: "-", 0x2011: "-"}
_SEP = r"\s*[-/.\s]\s*"
_PATTERNS = {
    "month": re.compile(r"(\d{4})" + _SEP + r"(\d{1,2})"),
    "quarter": re.compile(r"(\d{4})\s*[-/.\s]?\s*[Qq]\s*([1-4])"),
    "day": re.compile(r"(\d{4})" + _SEP + r"(\d{1,2})" + _SEP + r"(\d{1,2})"),
    "week": re.compile(r"(\d{4})\s*[-/.\s]?\s*[Ww]\s*(\d{1,2})"),
}
_EXPECTED = {
    "month": '"YYYY-MM" such as "2024-09" or "1403-06"',
    "quarter": '"YYYY-Qn" such as "2024-Q3" or "1403-Q2"',
    "day": '"YYYY-MM-DD" such as "1403-06-11"',
    "week": '"YYYY-Www" such as "2024-W36"',
}


def _label_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, (float, np.floating)) and np.isnan(v):
        return None
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, str):
        return f"\x00{v!r}"  # not text: fails every pattern, and the message shows the value
    s = v.translate(_DIGITS).strip()
    return s or None


def label_ordinals(labels: Any, period: str = "month", calendar: str = "gregorian", *,
                   arg: str = "months") -> np.ndarray:
    """Period ordinals of sortable text labels; ``NAT_ORDINAL`` for blanks (``None``, ``""``, NaN).

    Accepts ``"2024-09"``, ``"2024/9"``, ``"1403-06"``, Persian or Arabic-Indic digits
    (``"۱۴۰۳-۰۶"``), quarters ``"1403-Q2"``/``"2024Q3"``, days ``"1403-06-11"`` and weeks
    ``"2024-W36"``. Month and quarter ordinals do not depend on the calendar (``year * 12 + month - 1``
    whatever the year is counted from); ``calendar`` says how to read day and week labels.
    ``labels`` is any array-like of text (flattened row-major). An unreadable label raises
    :class:`~xl_cskpi.errors.InvalidInput` naming ``arg`` and the cell.

    >>> label_ordinals(["2024-09", "2024/9", "۱۴۰۳-۰۶", None]).tolist()[:3]
    [24296, 24296, 16841]
    >>> label_ordinals(["1403-06-11"], "day", "jalali").tolist() == period_ordinals(
    ...     np.array(["2024-09-01"], dtype="datetime64[ns]"), "day").tolist()
    True
    """
    _check(period, calendar)
    cells_, _ = flatten(labels)
    flat = np.empty(len(cells_), dtype=object)
    flat[:] = cells_
    out = np.full(flat.shape, NAT_ORDINAL, dtype=np.int64)
    texts = [_label_text(v) for v in flat.tolist()]
    cache: dict[str, int] = {}
    pattern = _PATTERNS[period]
    for i, s in enumerate(texts):
        if s is None:
            continue
        if s not in cache:
            cache[s] = _parse_one(s, period, calendar, pattern, i, arg, flat[i])
        out[i] = cache[s]
    return out


def _bad_label(raw: Any, i: int, period: str, arg: str, why: str = "") -> InvalidInput:
    shown = repr(raw) if not isinstance(raw, str) else repr(raw if len(raw) <= 40 else raw[:37] + "...")
    return InvalidInput(f"has {shown} in cell {i + 1}, which is not a {period} label{why}; use "
                        f"{_EXPECTED[period]}", argument=arg)


def _parse_one(s: str, period: str, calendar: str, pattern: re.Pattern, i: int, arg: str,
               raw: Any) -> int:
    m = pattern.fullmatch(s)
    if not m:
        raise _bad_label(raw, i, period, arg)
    nums = [int(g) for g in m.groups()]
    year = nums[0]
    if period == "quarter":
        return year * 4 + nums[1] - 1
    if period == "week":
        ordinal = _week_ordinal(year, nums[1], calendar, arg)
        if ordinal is None:
            raise _bad_label(raw, i, period, arg, f" (week {nums[1]} does not exist in {year})")
        return ordinal
    month = nums[1]
    if not 1 <= month <= 12:
        raise _bad_label(raw, i, period, arg, f" (month {month} does not exist)")
    if period == "month":
        return year * 12 + month - 1
    day = nums[2]
    start = int(_month_starts(np.array([year * 12 + month - 1]), calendar, arg)[0])
    end = int(_month_starts(np.array([year * 12 + month]), calendar, arg)[0]) \
        if not (calendar == "hijri" and year == _HIJRI_LAST_YEAR and month == 12) else _HIJRI_LAST_DAY + 1
    if not 1 <= day <= end - start:
        raise _bad_label(raw, i, period, arg, f" (day {day} does not exist in {year}-{month:02d})")
    return start + day - 1


def _week_ordinal(year: int, week: int, calendar: str, arg: str) -> int | None:
    """Ordinal of week ``week`` of ``year``, or None when the year has no such week."""
    if week < 1:
        return None
    shift = _WEEK_SHIFT[calendar]
    year_start = int(_month_starts(np.array([year * 12]), calendar, arg)[0])
    # the first week is the one whose middle day (start + 3) is the first such day on/after year_start
    first_middle_weekday = (year_start + shift - 3) % 7
    first_middle = year_start + ((7 - first_middle_weekday) % 7)
    ordinal = (first_middle - 3 + shift) // 7 + week - 1
    label = _week_labels(np.array([ordinal]), calendar, arg)[0]
    return ordinal if label == "%04d-W%02d" % (year, week) else None


# --------------------------------------------------------------------------- month names

_NAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("jalali", "fa"): ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
                       "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"),
    ("jalali", "ar"): ("فروردين", "أرديبهشت", "خرداد", "تير", "مرداد", "شهريور",
                       "مهر", "آبان", "آذر", "دي", "بهمن", "إسفند"),
    ("jalali", "en"): ("Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
                       "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand"),
    ("hijri", "ar"): ("محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
                      "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة"),
    ("hijri", "fa"): ("محرم", "صفر", "ربیع‌الاول", "ربیع‌الثانی", "جمادی‌الاول", "جمادی‌الثانی",
                      "رجب", "شعبان", "رمضان", "شوال", "ذی‌القعده", "ذی‌الحجه"),
    ("hijri", "en"): ("Muharram", "Safar", "Rabi' al-Awwal", "Rabi' al-Thani", "Jumada al-Ula",
                      "Jumada al-Akhirah", "Rajab", "Sha'ban", "Ramadan", "Shawwal",
                      "Dhu al-Qa'dah", "Dhu al-Hijjah"),
    ("gregorian", "fa"): ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن",
                          "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"),
    ("gregorian", "ar"): ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
                          "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"),
    ("gregorian", "en"): ("January", "February", "March", "April", "May", "June",
                          "July", "August", "September", "October", "November", "December"),
}
LANGS = ("en", "fa", "ar")


def month_names(calendar: str = "jalali", lang: str = "fa") -> tuple[str, ...]:
    """The twelve month names of a calendar in a language (``"en"``, ``"fa"`` or ``"ar"``).

    Persian: Jalali names as in Iran's official calendar, Gregorian months as Iranians write them
    (ژانویه ...), Hijri months in Persian spelling. Arabic: Hijri names as in the Umm al-Qura
    calendar, Gregorian months as in Egypt and the Gulf (يناير ...). English: common transliterations.

    >>> month_names("jalali", "fa")[5], month_names("hijri", "ar")[8], month_names("gregorian", "ar")[0]
    ('شهریور', 'رمضان', 'يناير')
    """
    _one_of(calendar, CALENDARS, "calendar")
    _one_of(lang, LANGS, "lang")
    return _NAMES[(calendar, lang)]


def month_name(month: int, calendar: str = "jalali", lang: str = "fa") -> str:
    """The name of month ``month`` (1-12) of ``calendar`` in ``lang``.

    >>> month_name(6, "jalali", "fa"), month_name(1, "hijri", "en"), month_name(9, "gregorian", "fa")
    ('شهریور', 'Muharram', 'سپتامبر')
    """
    names = month_names(calendar, lang)
    if not 1 <= int(month) <= 12:
        raise InvalidInput(f"is {month!r}; a month is 1 to 12", argument="month")
    return names[int(month) - 1]


_NATIVE = {
    "fa": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
    "ar": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
    "en": str.maketrans("", ""),
}


def to_native_digits(text: str, lang: str) -> str:
    """Latin digits to Persian (``fa``) or Arabic-Indic (``ar``) digits; ``en`` unchanged.

    >>> to_native_digits("1403", "fa"), to_native_digits("1446", "ar")
    ('۱۴۰۳', '١٤٤٦')
    """
    _one_of(lang, LANGS, "lang")
    return text.translate(_NATIVE[lang])
