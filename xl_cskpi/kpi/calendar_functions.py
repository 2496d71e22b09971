"""Calendars family: Jalali (Solar Hijri) and Hijri (Umm al-Qura) months and dates of Excel dates.

Every function takes one date -- a date cell, an Excel serial number (45536 is 1 September 2024) or
ISO text ("2024-09-01", also with Persian digits) -- and returns text. Given a range of dates
instead, it returns one text per cell (row-major, a 1-D array that Excel spills as a column), with
an empty cell where a date is blank; the registry still declares ``returns="text"``, the result
kind of the single-date call, as :func:`~xl_cskpi.kpi.health.health_status` does.

Codes (``"1403-06"``, ``"1403/06/11"``, ``"1446-02"``) use Latin digits so that they sort, filter
and pivot in Excel like any text and match the labels :mod:`xl_cskpi.calendars` gives the tables
(MRR_MOVEMENTS, COHORT_RETENTION). The month-name variants are for people to read and write the
year in the digits of the language: Persian digits (۱۴۰۳) for ``fa``, Arabic-Indic digits (١٤٤٦) for
``ar``, Latin digits for ``en``.

Text written year first with a year from 1300 to 1499 (``"1403/06/11"``, ``"۱۴۰۳/۰۶/۱۱ 10:30"``)
is a date of the function's own calendar: Jalali for the JALALI_* functions, Hijri for the HIJRI_*
functions, the ``calendar`` argument for PERIOD_LABEL (whose Gregorian calendar refuses it and says
so). Dates are read over the whole range Excel has (to 9999-12-31, serial 2958465); a date the
calendar library cannot convert is an error with the reason, never another date's label: Jalali
dates exist from 622-03-21 to 9999-03-20 (jdatetime's years 1 to 9377; outside ``#NUM!``), Hijri
dates from 1924-08-01 to 2077-11-16 (the Umm al-Qura table, 1343 to 1500 AH; outside ``#N/A``),
also for a date given with a time zone (its wall-clock date is converted).

The conversions themselves live in :mod:`xl_cskpi.calendars` (jdatetime and hijridate); here is
only coercion and formatting.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import calendars, cells
from ..errors import InvalidInput
from ..registry import kpi

__all__ = ["jalali_month", "jalali_date", "hijri_month", "jalali_month_name", "hijri_month_name",
           "period_label"]

_DATE_HELP = "A date: a date cell, an Excel serial number or YYYY-MM-DD text (or a range of dates)"
_LANGS = ("fa", "ar", "en")


def _dates(date: Any, calendar: str = "gregorian") -> tuple[np.ndarray, bool]:
    """The dates (NaT for blanks) and whether one date was given.

    Read as ``datetime64[us]``, the whole range Excel has (to 9999-12-31), so that a far date gets
    its own label or an error, never another date's label; text whose year is 1300-1499
    (``"1403/06/11"``) is read as a date of ``calendar``.
    """
    from ..tables.ticket_clock import on_one_clock

    # text with UTC offsets on one clock, as the ticket tables and the report reader put it: one offset
    # in the range as written, several in UTC (a range that is not Gregorian date text is left as it is)
    date = on_one_clock({"date": date}, None).columns["date"]
    d = cells.datetimes(date, "date", keep_blanks=True, calendar=calendar, unit="us")
    if np.isnat(d).all():
        raise InvalidInput("is empty; enter a date, an Excel serial number or YYYY-MM-DD text",
                           argument="date")
    return d, d.size == 1


def _result(labels: np.ndarray, single: bool) -> Any:
    return str(labels[0]) if single else labels


def _labels(date: Any, period: str, calendar: str) -> Any:
    d, single = _dates(date, calendar)
    return _result(calendars.period_labels(d, period, calendar, arg="date"), single)


def _month_names(date: Any, calendar: str, lang: Any, default: str) -> Any:
    language = cells.choice(lang, "lang", _LANGS, default=default)
    d, single = _dates(date, calendar)
    months = calendars.period_ordinals(d, "month", calendar, arg="date")
    valid = months != calendars.NAT_ORDINAL
    uniq, inverse = np.unique(months[valid], return_inverse=True)
    names = calendars.month_names(calendar, language)
    texts = np.array([calendars.to_native_digits(f"{names[m % 12]} {m // 12}", language)
                      for m in uniq.tolist()], dtype=object)
    out = np.full(months.shape, None, dtype=object)
    out[valid] = texts[inverse.ravel()]
    return _result(out, single)


@kpi(category="Calendars", returns="text", args={"date": _DATE_HELP})
def jalali_month(date):
    """Jalali (Persian, Solar Hijri) year and month of a date as sortable text, e.g. "1403-06".

    Formula: the date converted to the Jalali calendar (Iran's official calendar) with jdatetime,
    written ``YYYY-MM`` with Latin digits, so the codes sort in calendar order.

    Edge cases: a blank date is ``#VALUE!``; text that is not a date is ``#VALUE!``; Jalali text
    (``"1403/06/11"``) is read as Jalali; a date outside 622-03-21 .. 9999-03-20 (jdatetime's Jalali
    years 1 to 9377) is ``#NUM!``; a time of day is ignored; a range of dates gives one code per cell
    (blank cells stay blank).

    Source: the Solar Hijri calendar as published by the Institute of Geophysics, University of
    Tehran (1403 began on 20 March 2024), via the jdatetime library.

    Example -- a subscription that started on 1 September 2024 (Excel serial 45536) is billed in
    Shahrivar 1403:

    >>> jalali_month(45536)
    '1403-06'
    >>> jalali_month([["2024-03-20"], [None], ["2024-03-19"]]).tolist()
    ['1403-01', None, '1402-12']
    """
    return _labels(date, "month", "jalali")


@kpi(category="Calendars", returns="text", args={"date": _DATE_HELP})
def jalali_date(date):
    """Jalali (Persian) date of a date as text, e.g. "1403/06/11".

    Formula: the date converted to the Jalali calendar with jdatetime, written ``YYYY/MM/DD`` with
    Latin digits (the way Iranian systems export dates; it sorts as text).

    Edge cases: a blank date is ``#VALUE!``; Jalali text (``"1403/06/11"``, ``"۱۴۰۳/۰۶/۱۱"``) is read
    as Jalali and comes back as written; a date outside 622-03-21 .. 9999-03-20 (9999-12-31, the
    "no end" of ERPs, included) is ``#NUM!``; a time of day is ignored; a range of dates gives one
    date per cell.

    Source: the Solar Hijri calendar of the Institute of Geophysics, University of Tehran, via
    jdatetime (1403 is a leap year: 30 Esfand 1403 = 20 March 2025).

    Example -- a ticket opened on 1 September 2024 and the last day of 1403:

    >>> jalali_date("2024-09-01")
    '1403/06/11'
    >>> import datetime as dt
    >>> jalali_date(dt.date(2025, 3, 20))
    '1403/12/30'
    """
    d, single = _dates(date, "jalali")
    labels = calendars.period_labels(d, "day", "jalali", arg="date")
    out = np.array([None if s is None else s.replace("-", "/") for s in labels.tolist()], dtype=object)
    return _result(out, single)


@kpi(category="Calendars", returns="text", args={"date": _DATE_HELP})
def hijri_month(date):
    """Hijri (Umm al-Qura) year and month of a date as sortable text, e.g. "1446-02".

    Formula: the date converted to the Umm al-Qura calendar with hijridate, written ``YYYY-MM``
    with Latin digits.

    Edge cases: dates outside the Umm al-Qura tables (before 1924-08-01 or after 2077-11-16, i.e.
    outside 1343-1500 AH) are ``#N/A``, also when given with a time zone; Hijri text
    (``"1446/02/10"``) is read as Hijri; a blank date is ``#VALUE!``; a range of dates gives one code
    per cell.

    Source: the Umm al-Qura calendar of Saudi Arabia (King Abdulaziz City for Science and
    Technology), via the hijridate library: 1 Muharram 1446 = 7 July 2024.

    Example -- renewals due on 1 September 2024 fall in Safar 1446; Ramadan 1445 began 11 March 2024:

    >>> hijri_month(45536)
    '1446-02'
    >>> hijri_month("2024-03-11")
    '1445-09'
    """
    return _labels(date, "month", "hijri")


@kpi(category="Calendars", returns="text", args={
    "date": _DATE_HELP,
    "lang": 'Language of the name: "fa" (Persian, default), "ar" or "en"',
})
def jalali_month_name(date, lang="fa"):
    """Jalali month name and year of a date, e.g. "شهریور ۱۴۰۳" (Persian) or "Shahrivar 1403".

    Formula: the Jalali month of the date (as :func:`jalali_month`) written as month name, a space
    and the year, in the digits of the language: Persian digits for ``fa``, Arabic-Indic digits for
    ``ar``, Latin digits for ``en``. For reading; use :func:`jalali_month` to sort or group.

    Edge cases: a blank date is ``#VALUE!``; ``lang`` other than fa, ar, en is ``#VALUE!``; a blank
    ``lang`` is Persian; a range of dates gives one name per cell.

    Source: month names of Iran's official calendar (Institute of Geophysics, University of Tehran);
    English transliterations as in jdatetime.

    Example -- the month of a churn review held on 1 September 2024:

    >>> jalali_month_name(45536)
    'شهریور ۱۴۰۳'
    >>> jalali_month_name("2024-09-01", "en")
    'Shahrivar 1403'
    """
    return _month_names(date, "jalali", lang, "fa")


@kpi(category="Calendars", returns="text", args={
    "date": _DATE_HELP,
    "lang": 'Language of the name: "ar" (Arabic, default), "fa" or "en"',
})
def hijri_month_name(date, lang="ar"):
    """Hijri (Umm al-Qura) month name and year of a date, e.g. "صفر ١٤٤٦" or "Safar 1446".

    Formula: the Hijri month of the date (as :func:`hijri_month`) written as month name, a space and
    the year, in the digits of the language: Arabic-Indic digits for ``ar``, Persian digits for
    ``fa``, Latin digits for ``en``. For reading; use :func:`hijri_month` to sort or group.

    Edge cases: dates outside 1924-08-01 .. 2077-11-16 (1343-1500 AH) are ``#N/A``; a blank date is
    ``#VALUE!``; ``lang`` other than ar, fa, en is ``#VALUE!``; a blank ``lang`` is Arabic.

    Source: the Umm al-Qura calendar (Saudi Arabia) via hijridate; Arabic month names as printed in
    the Umm al-Qura calendar, English transliterations as in hijridate.

    Example -- Ramadan 1445 began on 11 March 2024:

    >>> hijri_month_name("2024-03-11")
    'رمضان ١٤٤٥'
    >>> hijri_month_name(45536, "en")
    'Safar 1446'
    """
    return _month_names(date, "hijri", lang, "ar")


@kpi(category="Calendars", returns="text", args={
    "date": _DATE_HELP,
    "period": 'Period: "day", "week", "month" (default) or "quarter"',
    "calendar": 'Calendar: "gregorian" (default), "jalali" or "hijri"',
})
def period_label(date, period="month", calendar="gregorian"):
    """Sortable label of the day, week, month or quarter a date falls in, in any calendar: "1403-Q2".

    Formula: month ``YYYY-MM``, quarter ``YYYY-Qn``, day ``YYYY-MM-DD``, week ``YYYY-Www``, all with
    Latin digits, in the Gregorian, Jalali or Hijri (Umm al-Qura) calendar. Gregorian weeks are ISO
    8601 weeks (Monday to Sunday); Jalali and Hijri weeks run Saturday to Friday. A week belongs to
    the year holding its fourth day (ISO's rule). These are the labels MRR_MOVEMENTS and
    COHORT_RETENTION print, so a pivot on this column lines up with their tables.

    Edge cases: a blank date is ``#VALUE!``; an unknown period or calendar is ``#VALUE!``; Hijri
    dates outside 1924-08-01 .. 2077-11-16 are ``#N/A``, Jalali dates outside 622-03-21 ..
    9999-03-20 ``#NUM!``; year-first text of the years 1300-1499 is read in ``calendar`` (in the
    Gregorian calendar it is ``#VALUE!``, saying to pass "jalali" or "hijri"); a range of dates gives
    one label per cell.

    Source: ISO 8601 (weeks); the Solar Hijri calendar (University of Tehran) via jdatetime; the Umm
    al-Qura calendar via hijridate.

    Example -- an order on 1 September 2024 in Iran's second quarter of 1403, and its ISO week:

    >>> period_label(45536, "quarter", "jalali")
    '1403-Q2'
    >>> period_label("2024-09-01", "week")
    '2024-W35'
    """
    p = cells.choice(period, "period", calendars.PERIODS, default="month")
    c = cells.choice(calendar, "calendar", calendars.CALENDARS, default="gregorian")
    return _labels(date, p, c)
