"""Dates in the report's calendar on the data sheets (issue 14, item 4).

A date cell of a data sheet keeps the real date (a serial with a Gregorian ``yyyy-mm-dd`` format,
the same in every application); in a Persian (Jalali) or Arabic (Hijri, Umm al-Qura) report each
date column gets a **display column** beside it, inside the table (it sorts and filters with its
row), showing the same date in the report's calendar.

Why a display column, not a number format with a calendar code: rendered with LibreOffice (7.4;
checked by writing every day of 2018-2029 and converting to text "as shown"),

* ``[$-1170401]yyyy/mm/dd`` and ``[$-1060401]yyyy/mm/dd`` (the Hijri calendar codes; the second is
  what LibreOffice itself writes for a Hijri date) show LibreOffice's tabular Hijri calendar, which
  differs from Umm al-Qura (the calendar the report counts months in, :mod:`xl_cskpi.calendars`)
  by a day on 2,088 of those 4,380 days and by a month on 70: a date shown one day off, silently;
* ``[$-160429]yyyy/mm/dd`` (calendar 0x16, Persian, for fa-IR) shows the Gregorian date: LibreOffice
  has no Jalali calendar; ``[$-fa-IR,16]yyyy/mm/dd`` shows the bare serial number;
* ``B2yyyy/mm/dd`` (Excel's Hijri prefix) shows the letters "B2" before a Gregorian date.

So the display column holds, in a report with values, the text of
:func:`xl_cskpi.calendars.period_labels` (``1403/06/11``; ``1403/06/11 09:30`` for a date-time;
``1403-06`` for a month column: the labels the report's months use), exact in every application;
and in a report with live formulas (and a template), the built-in ``TEXT`` of the date with the
calendar code (:func:`display_formula`): Excel 365 shows Umm al-Qura (calendar 0x17) and the Persian
calendar (0x16), which only Excel can confirm; LibreOffice shows its tabular Hijri (ar) or the
Gregorian date (fa) there, as the rendering above says. No add-in call per row (the house rule of
issue 13: one call per column).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import calendars

__all__ = ["DATE_KINDS", "CODES", "display_columns", "display_values", "display_formula", "display_header",
           "CALENDAR_NAMES"]

DATE_KINDS = ("date", "datetime", "month")

#: Excel's calendar codes ``[$-NNCCLLLL]``: numerals 1 (Latin digits), calendar CC, locale LLLL.
CODES = {"hijri": "[$-1170401]", "jalali": "[$-1160429]"}

#: The display column's patterns by source kind (calendar labels as :mod:`xl_cskpi.calendars` writes).
_PATTERNS = {"date": "yyyy/mm/dd", "datetime": "yyyy/mm/dd hh:mm", "month": "yyyy-mm"}

#: Names of the calendars in each language (the display column's header says which it is).
CALENDAR_NAMES = {
    "jalali": {"en": "Jalali", "fa": "شمسی", "ar": "هجري شمسي"},
    "hijri": {"en": "Hijri", "fa": "قمری", "ar": "هجري"},
}


def display_columns(tb, calendar: str) -> list[tuple[str, str]]:
    """``(column key, kind)`` of the columns of table ``tb`` that get a display column in
    ``calendar`` (none in the Gregorian calendar): its date, date-time and month input columns."""
    if calendar in ("gregorian", None, ""):
        return []
    if calendar not in CODES:
        raise ValueError(f"calendar {calendar!r}: one of gregorian, {', '.join(CODES)}")
    return [(c.key, c.kind) for c in tb.columns if c.kind in DATE_KINDS and c.formula is None]


def display_header(header: str, calendar: str, lang: str) -> str:
    """The display column's header: the date column's header and the calendar's name."""
    names = CALENDAR_NAMES[calendar]
    return f"{header} ({names.get(lang, names['en'])})"


def display_values(values: pd.Series | None, kind: str, calendar: str) -> pd.Series | None:
    """The text of each date of ``values`` in ``calendar`` (None where it is blank, and where it is not
    a date: a text the export had is shown as it is in the date column itself)."""
    if values is None:
        return None
    dates = pd.to_datetime(values.where(values.map(_is_date), None), errors="coerce")
    out = np.full(len(dates), None, dtype=object)
    ok = dates.notna().to_numpy()
    if ok.any():
        d = dates[ok]
        if kind == "month":
            labels = calendars.period_labels(d.to_numpy(), "month", calendar)
        else:
            labels = np.array([s.replace("-", "/") for s in
                               calendars.period_labels(d.to_numpy(), "day", calendar).tolist()], dtype=object)
            if kind == "datetime":
                labels = labels + np.array(d.dt.strftime(" %H:%M").tolist(), dtype=object)
        out[ok] = labels
    return pd.Series(out, index=values.index, dtype=object)


def _is_date(v: Any) -> bool:
    import datetime as dt
    return isinstance(v, (pd.Timestamp, dt.date, np.datetime64)) and not pd.isna(v)


def display_formula(ref: str, kind: str, calendar: str) -> str:
    """The display cell's formula (without "="): ``TEXT`` of the date at ``ref`` with the calendar
    code, blank for a blank date, the cell as it is for a text."""
    fmt = CODES[calendar] + _PATTERNS[kind]
    return f'IF(ISNUMBER({ref}),TEXT({ref},"{fmt}"),"")'
