"""The reporting period of a dashboard: which months the data covers, and which one to show.

A report's periods are the calendar months (in the report's calendar: Gregorian "2024-09", Jalali
"1403-06", Umm al-Qura "1446-03") in which its data has a date: the ``month`` column of monthly tables
(Months, Subscriptions, Finance), the date of a survey response, the opening time of a ticket, the
date of a complaint (the first date-like column of each table). Tables without dates (Accounts,
Health, Campaigns) have no periods.

:func:`periods` lists them oldest first; :func:`resolve` reads what a user typed (``--period`` or the
``report_period`` setting): ``"2024-09"``, ``"1403-06"``, ``"۱۴۰۳-۰۶"``, ``"Shahrivar 1403"``,
``"شهریور ۱۴۰۳"``, ``"September 2024"``; :func:`latest_complete` is the period shown when none is
asked for: the latest period of the data that has ended (a month still running is incomplete: its
numbers would compare part of a month with the whole month before it).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ..calendars import (CALENDARS, label_ordinals, month_fit, month_names, ordinal_labels, period_labels, period_ordinals,
                         period_start_dates)
from ..cells import LATIN_DIGITS
from ..exports.check import ExportError
from .spec import Report, Table

__all__ = ["periods", "resolve", "latest_complete", "in_progress", "period_column", "period_end", "PeriodError",
           "GRACE_DAYS", "shared_months", "ends_before"]

#: Kinds of column that date a row.
DATE_KINDS = ("month", "date", "datetime")


class PeriodError(ExportError):
    """A period that is not in the data (or not a period): one line listing the periods the data covers."""


def period_column(table: Table) -> str | None:
    """The column that dates a row of ``table`` (its first month/date/datetime column), or None."""
    return next((c.key for c in table.columns if c.kind in DATE_KINDS and c.formula is None), None)


#: Other date columns whose months are periods of a report: a ticket's resolution time is a KPI of
#: the month it was resolved in (Freshdesk's "resolved within the time frame", specs/support_complaints),
#: so a month in which tickets were only resolved is a month of the report (reviewer's F16: tickets
#: opened in June and resolved in July left July's resolutions in no month, and --period 2024-07
#: was refused).
MORE_PERIOD_COLUMNS = {"Tickets": ("resolved_at",)}


def _period_columns(table: Table) -> tuple[str, ...]:
    first = period_column(table)
    return () if first is None else (first, *MORE_PERIOD_COLUMNS.get(table.name, ()))


def _labels(values: Any, calendar: str) -> np.ndarray:
    s = pd.to_datetime(pd.Series(np.asarray(values, dtype=object).ravel()), errors="coerce")
    s = s.dropna()
    if s.empty:
        return np.array([], dtype=object)
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    return period_labels(s.to_numpy(dtype="datetime64[ns]"), "month", calendar)


def periods(data: Mapping[str, pd.DataFrame] | None, report: Report, calendar: str = "gregorian") -> list[str]:
    """The months the data of ``report`` covers, as labels in ``calendar``, oldest first: every
    month from the first dated row to the last, a month without rows included (its KPIs are #N/A or
    say why, and its chart point is a gap), so the previous period is always the calendar's previous
    month, never the latest month that happens to have data. (Read in the Hijri calendar, a table
    of Gregorian months skips a Hijri month now and then: 1 Feb 2014 is in Rabi' II 1435, 1 Apr in
    Jumada II.) A span of more than :data:`MAX_SPAN` months (a stray date decades away) keeps only
    the months that have rows.

    >>> import pandas as pd
    >>> from xl_cskpi.reports.specs import reports
    >>> r = reports()["churn_retention"]
    >>> months = pd.DataFrame({"month": pd.to_datetime(["2024-08-01", "2024-09-01", "2024-11-01"])})
    >>> periods({"Months": months}, r), periods({"Months": months}, r, "jalali")
    (['2024-08', '2024-09', '2024-10', '2024-11'], ['1403-05', '1403-06', '1403-07', '1403-08'])
    """
    found: set[str] = set()
    for tb in report.tables:
        df = (data or {}).get(tb.name)
        for col in _period_columns(tb):
            if df is None or col not in df.columns or len(df) == 0:
                continue
            found.update(str(x) for x in _labels(df[col].to_numpy(dtype=object), calendar) if x is not None)
    if not found:
        return []
    ords = label_ordinals(sorted(found), "month", calendar, arg="period")
    lo, hi = int(min(ords)), int(max(ords))
    if hi - lo + 1 > MAX_SPAN:
        return sorted(found, key=lambda s: (len(s), s))
    return [str(x) for x in ordinal_labels(list(range(lo, hi + 1)), "month", calendar)]


#: The most months :func:`periods` fills in between the first and the last dated row (50 years).
MAX_SPAN = 600


def shared_months(data: Mapping[str, pd.DataFrame] | None, report: Report,
                  calendar: str = "gregorian") -> list[tuple[str, str, list[str]]]:
    """Months of a monthly table (a ``month`` column: Months, Finance, Subscriptions) that hold rows
    of two different dates in ``calendar``: ``(table, label, dates)``.

    A monthly table of Gregorian months read in the Hijri calendar can put two of them in one Hijri
    month (1 February and 1 March 2014 are both in Rabi' II 1435; Hijri months are 29 or 30 days):
    a KPI of that month would add two months' rows, so the report shows #N/A there and the data
    check names the month. Tables with several rows per date (Subscriptions: one per customer) count
    dates, not rows.

    >>> import pandas as pd
    >>> from xl_cskpi.reports.specs import reports
    >>> f = pd.DataFrame({"month": pd.to_datetime(["2014-01-01", "2014-02-01", "2014-03-01"])})
    >>> shared_months({"Finance": f}, reports()["unit_economics"], "hijri")
    [('Finance', '1435-04', ['2014-02-01', '2014-03-01'])]
    >>> shared_months({"Finance": f}, reports()["unit_economics"], "jalali")
    []
    """
    out: list[tuple[str, str, list[str]]] = []
    for tb in report.tables:
        df = (data or {}).get(tb.name)
        col = period_column(tb)
        if df is None or col is None or col not in df.columns or len(df) == 0 or tb.column(col).kind != "month":
            continue
        s = pd.to_datetime(pd.Series(df[col].to_numpy(dtype=object)), errors="coerce").dropna()
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        days = s.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
        out += [(tb.name, lab, [str(np.datetime64(d, "D")) for d in ds])
                for lab, ds in sorted(month_fit(days, calendar).shared)]
    return out


def ends_before(data: Mapping[str, pd.DataFrame] | None, report: Report, shown: str | None,
                calendar: str = "gregorian") -> list[tuple[str, str]]:
    """Monthly tables (a ``month`` column: Months, Finance, Subscriptions) of ``report`` whose last
    month in ``calendar`` is before ``shown`` (the month the dashboard shows, chosen across all
    tables: tickets may reach further than Months): ``(table, last)``. Their KPIs of that month are
    #N/A; the data check says why. A table not given, empty or without dates is not listed.

    >>> import pandas as pd
    >>> from xl_cskpi.reports.specs import reports
    >>> m = pd.DataFrame({"month": pd.to_datetime(["2024-07-01", "2024-08-01"])})
    >>> ends_before({"Months": m}, reports()["churn_retention"], "2024-09")
    [('Months', '2024-08')]
    >>> ends_before({"Months": m}, reports()["churn_retention"], "2024-08")
    []
    """
    if not shown:
        return []
    out: list[tuple[str, str]] = []
    for tb in report.tables:
        df = (data or {}).get(tb.name)
        col = period_column(tb)
        if df is None or col is None or col not in df.columns or len(df) == 0 or tb.column(col).kind != "month":
            continue
        labels = sorted({str(x) for x in _labels(df[col].to_numpy(dtype=object), calendar) if x is not None})
        if not labels:
            continue
        ords = label_ordinals(labels + [shown], "month", calendar, arg="period")
        last = int(np.argmax(ords[:-1]))
        if int(ords[last]) < int(ords[-1]):
            out.append((tb.name, labels[last]))
    return out


def period_end(label: str, calendar: str = "gregorian") -> _dt.date:
    """The last day of the month ``label`` (``"1403-06"`` in the Jalali calendar ends 2024-09-21)."""
    o = int(label_ordinals([label], "month", calendar, arg="period")[0])
    nxt = period_start_dates([o + 1], "month", calendar, arg="period")[0]
    return (pd.Timestamp(nxt) - pd.Timedelta(days=1)).date()


def latest_complete(available: Sequence[str], calendar: str = "gregorian",
                    today: _dt.date | None = None, progress: Sequence[bool] | None = None) -> str | None:
    """The latest of ``available`` not in progress (``progress``, default: ended before ``today``,
    the computer's date); the earliest period when none is complete (then there is nothing complete
    to show); None for none. What the dashboard's formula picks: the last label not marked in progress."""
    if not available:
        return None
    flags = list(progress) if progress is not None else in_progress(available, calendar, today)
    done = [p for p, f in zip(available, flags) if not f]
    return done[-1] if done else available[0]


#: An export whose dated rows stop more than this many days before the end of its last month was
#: taken while the month ran (or the month is cut short): that month counts as in progress.
GRACE_DAYS = 7


def in_progress(available: Sequence[str], calendar: str = "gregorian",
                today: _dt.date | None = None, data: Mapping[str, pd.DataFrame] | None = None,
                report: Report | None = None) -> list[bool]:
    """For each of ``available``: is it still in progress? It is when it has not ended by ``today``,
    or when it is the last month of event data (responses, tickets: date or date-time columns) that
    stops more than :data:`GRACE_DAYS` days before the month's end, and no monthly table (a ``month``
    column: whole months by construction) has a row for it. (Gregorian 2024-12 data read in the
    Jalali calendar ends 10 days into Dey 1403: Dey is not a month to compare with Azar.)"""
    today = today or _dt.date.today()
    out = [period_end(p, calendar) >= today for p in available]
    if not available or data is None or report is None:
        return out
    last = available[-1]
    through = None
    whole = False
    for tb in report.tables:
        df = data.get(tb.name)
        as_of = df.attrs.get("as_of") if df is not None else None
        if as_of is not None:
            # a table derived from a billing export is measured to the export's last event (its
            # as_of: tables.subscriptions.mrr_table), not to the end of its last month (reviewer's
            # F8: June of an export taken on 5 June was shown as complete)
            # Each such table flags the month holding its as_of, and the later ones, when as_of is more
            # than GRACE_DAYS before that month's end: a report mixing sources (the overview: a billing
            # export measured to 15 June beside surveys to 3 July) must not call June complete because
            # another source reaches further (reviewer's G18)
            d = pd.Timestamp(as_of).date()
            o = int(period_ordinals(np.array([np.datetime64(d, "D")]), "month", calendar, arg="as_of")[0])
            label_end = period_end(ordinal_labels([o], "month", calendar, arg="as_of")[0], calendar)
            if (label_end - d).days > GRACE_DAYS:
                ords = label_ordinals(list(available), "month", calendar, arg="period")
                out = [f or int(a) >= o for f, a in zip(out, ords)]
            continue
        for col in _period_columns(tb):
            if df is None or col not in df.columns or len(df) == 0:
                continue
            kind = tb.column(col).kind
            if kind == "month":
                whole = whole or last in {str(x) for x in _labels(df[col].to_numpy(dtype=object), calendar)}
                continue
            s = pd.to_datetime(pd.Series(df[col].to_numpy(dtype=object)), errors="coerce").dropna()
            if len(s):
                d = s.max().date()
                through = d if through is None else max(through, d)
    if not whole and through is not None and (period_end(last, calendar) - through).days > GRACE_DAYS:
        out[-1] = True
    return out


_DIGITS = {**LATIN_DIGITS, 0x2212: "-", 0x2013: "-", 0x2010: "-", 0x2011: "-"}
_NAMED = re.compile(r"^\s*([^\d\s][^\d]*?)\s*[-/,]?\s*(\d{4})\s*$")
_NAMED_BACK = re.compile(r"^\s*(\d{4})\s*[-/,]?\s*([^\d\s][^\d]*?)\s*$")


def _fold(s: str) -> str:
    """A month name compared loosely: case, spaces, Arabic/Persian letter variants, apostrophes."""
    s = s.casefold().replace("\u200c", "").replace(" ", "").replace("'", "").replace("-", "")
    return s.translate(str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه"}))


def _month_number(name: str, calendar: str) -> int | None:
    want = _fold(name)
    for lang in ("en", "fa", "ar"):
        for i, n in enumerate(month_names(calendar, lang), 1):
            if _fold(n) == want or (lang == "en" and len(want) >= 3 and _fold(n).startswith(want)):
                return i
    return None


def _listing(available: Sequence[str]) -> str:
    if not available:
        return "the data has no dated rows, so there is no period to choose"
    shown = list(available)
    if len(shown) > 24:
        shown = shown[:3] + ["..."] + shown[-20:]
    return f"the data covers {available[0]} to {available[-1]}: {', '.join(shown)}"


def resolve(text: str, available: Sequence[str], calendar: str = "gregorian") -> str:
    """The period label ``text`` names, which must be one of ``available`` (labels in ``calendar``).

    Raises :class:`PeriodError` (an ``ExportError``: the command line exits 2 with its one line) for
    text that is not a month, or a month the data does not cover; the message lists the periods.

    >>> resolve("۱۴۰۳-۶", ["1403-05", "1403-06"], "jalali"), resolve("Shahrivar 1403", ["1403-06"], "jalali")
    ('1403-06', '1403-06')
    >>> resolve("شهریور ۱۴۰۳", ["1403-06"], "jalali"), resolve("Sep 2024", ["2024-09"])
    ('1403-06', '2024-09')
    >>> resolve("2024-10", ["2024-08", "2024-09"])
    Traceback (most recent call last):
    ...
    xl_cskpi.reports.period.PeriodError: period 2024-10 is not in the data; the data covers 2024-08 to 2024-09: 2024-08, 2024-09
    """
    if calendar not in CALENDARS:
        raise PeriodError(f"unknown calendar {calendar!r}; one of {', '.join(CALENDARS)}")
    raw = str(text)
    s = raw.translate(_DIGITS).strip()
    label = None
    m = _NAMED.match(s) or _NAMED_BACK.match(s)
    if m:
        name, year = (m.group(1), m.group(2)) if m.re is _NAMED else (m.group(2), m.group(1))
        month = _month_number(name, calendar)
        if month is None:
            raise PeriodError(f"period {raw!r}: {name!r} is not a month name of the {calendar} calendar; "
                              f"use YYYY-MM; {_listing(available)}")
        label = f"{int(year):04d}-{month:02d}"
    else:
        try:
            o = label_ordinals([s], "month", calendar, arg="period")[0]
        except Exception:
            raise PeriodError(f"period {raw!r} is not a month: use YYYY-MM (2024-09, 1403-06) or a month name "
                              f"and year (Shahrivar 1403); {_listing(available)}") from None
        label = str(ordinal_labels([o], "month", calendar)[0])
    if label in available:
        return label
    year = int(label[:4])
    hint = ""
    if calendar != "gregorian" and year > 1700:
        hint = (f" ({label} looks like a Gregorian month; this report counts months in the {calendar} "
                "calendar)")
    elif calendar == "gregorian" and year < 1700:
        hint = f" ({label} looks like a Jalali or Hijri month; this report counts Gregorian months)"
    raise PeriodError(f"period {label} is not in the data{hint}; {_listing(available)}")
