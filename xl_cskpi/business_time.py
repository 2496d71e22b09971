"""Business time: working schedules, presets, holidays and vectorised business-hours durations.

(The module is ``business_time``, not ``business_hours``: ``xl_cskpi.business_hours`` is the Python
face of the Excel function ``BUSINESS_HOURS``, as every function is exported in lower case.)

A :class:`Schedule` is a working week (one or more intervals per weekday, e.g. 08:00-12:00 and
13:00-16:30 around a lunch break), an IANA time zone and holidays (a country's official holidays
from the ``holidays`` package, plus the user's own dates). :func:`durations` gives the working time
between two instants of every ticket in one vectorised pass -- no Python loop per ticket:

1. the working intervals of every local day from the earliest to the latest instant are laid out
   once (days x intervals of the weekday; holidays have none), their local wall-clock bounds
   converted to UTC instants by the zone's rules (so a DST day of Europe/Berlin is 23 or 25 hours
   long and a 24x7 schedule counts real elapsed time);
2. ``F(t)`` = business seconds from the first interval to instant ``t`` = the cumulative length of
   the intervals before the last interval starting at or before ``t``, plus the part of that
   interval before ``t`` (``numpy.searchsorted`` over the sorted interval starts);
3. duration = ``F(end) - F(start)``.

Time stamps: naive ones (what Excel cells and most CSV exports hold) are wall-clock times of the
schedule's zone; those with a zone -- text with ``Z``/``+03:30``/``-08:00`` after the time (API and
ETL exports: ``2024-06-05T05:00:00Z``), pandas ``tz``-aware data -- are instants and are converted
to it (:func:`to_local`: ``05:00Z`` is 08:30 in Asia/Tehran).
A naive time in the hour a DST change repeats is read as its first occurrence (summer time); one in
the hour skipped is moved to the first valid time after it (pandas ``nonexistent="shift_forward"``).

Presets (:data:`PRESETS`; each carries its country's official holidays and zone):

* ``iran`` -- Saturday to Wednesday 08:00-16:00, Thursday 08:00-12:00, Friday off; Asia/Tehran
  (no DST since 2022); holidays IR (Nowruz, Tasua/Ashura, the Eids ... on the Jalali and lunar Hijri
  calendars). 44 hours a week, the maximum of Iran's Labour Code of 1990 (Chapter III, Division II
  "Hours of work": 8 hours a day, 44 a week; labourlaw.ir/iran-labour-law), in the common
  private-sector pattern with Thursday as a half day and Friday the weekly rest. (A 2024 bill of the
  Majlis to start the week on Sunday with 40 hours awaited the Guardian Council: edit the schedule if
  it applies to you.)
* ``saudi`` -- Sunday to Thursday 08:00-16:00, Friday and Saturday off; Asia/Riyadh; holidays SA
  (Founding Day, Eid al-Fitr, Day of Arafah and Eid al-Adha, National Day). Saudi Labour Law,
  article 98: at most 8 hours a day or 48 a week, 6 a day in Ramadan for Muslims (Ministry of Human
  Resources, laboreducation.hrsd.gov.sa/en/labor-education/312; Ramadan hours are not modelled: use
  an hours text for that month); the Friday-Saturday weekend of the Kingdom since 2013.
* ``uae`` -- Monday to Thursday 07:30-15:30, Friday 07:30-12:00, Saturday and Sunday off;
  Asia/Dubai; holidays AE. The federal government week in force since 1 January 2022 (UAE Government
  Media Office, 7 December 2021, as reported by The National: thenationalnews.com/uae/government/
  2021/12/07/breaking-uae-makes-major-changes-to-working-week/); private employers vary.
* ``egypt`` -- Sunday to Thursday 09:00-17:00, Friday and Saturday off; Africa/Cairo (DST again
  since 2023); holidays EG. Egypt's Labour Law 12/2003, article 80: at most 8 hours a day or 48 a
  week (replicon.com/regulation/egypt), in the Sunday-Thursday week of the civil service and most
  offices.
* ``western`` -- Monday to Friday 09:00-17:00; UTC; no holidays (add a country: ``"DE"``).
* ``24x7`` -- every hour of every day; UTC; no holidays (calendar hours, as Freshdesk calls them).

Helpdesks measure the same way: Zendesk's "... within business hours" metrics and SLA targets in
business hours count only the time inside the schedule's hours, skipping holidays (Zendesk, "Setting
your schedule with business hours and holidays", support.zendesk.com/hc/en-us/articles/4408842938522);
Freshdesk "does not time anything outside your working hours" on business-hours SLAs
(support.freshdesk.com/support/solutions/articles/37627).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from . import cells
from .errors import InvalidInput, KPIError

__all__ = ["Schedule", "PRESETS", "LANGUAGE_PRESETS", "CALENDAR_PRESETS", "preset", "parse_schedule",
           "schedule_from_cells", "with_holiday_cells", "schedule_argument", "to_local", "local_pair", "durations",
           "WEEKDAYS"]

DAY = 86400
#: Weekday names, Monday first (index 0 = Monday, as ``datetime.weekday``).
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORDS: dict[str, int] = {}
for _i, _names in enumerate((
        ("mon", "monday", "دوشنبه", "الاثنين", "الإثنين", "اثنين"),
        ("tue", "tues", "tuesday", "سه شنبه", "سه‌شنبه", "سهشنبه", "الثلاثاء", "ثلاثاء"),
        ("wed", "wednesday", "چهارشنبه", "الأربعاء", "الاربعاء", "أربعاء"),
        ("thu", "thur", "thurs", "thursday", "پنجشنبه", "پنج شنبه", "پنج‌شنبه", "الخميس", "خميس"),
        ("fri", "friday", "جمعه", "الجمعة", "جمعة"),
        ("sat", "saturday", "شنبه", "السبت", "سبت"),
        ("sun", "sunday", "یکشنبه", "یک شنبه", "یک‌شنبه", "الأحد", "الاحد", "أحد"))):
    for _n in _names:
        _DAY_WORDS[cells.fold_label(_n)] = _i


@dataclass(frozen=True)
class Schedule:
    """A working week, a time zone and holidays.

    ``week``: seven tuples (Monday first) of ``(start, end)`` seconds after local midnight, sorted
    and disjoint (``end`` up to 86400); ``tz``: an IANA zone name; ``country``: a ``holidays``
    country code whose official holidays are days off (``None``: none); ``dates``: the user's own
    days off (``datetime64[D]``); ``calendar``: how year-1300-1499 holiday text is read.
    """

    week: tuple[tuple[tuple[int, int], ...], ...]
    tz: str = "UTC"
    country: str | None = None
    dates: tuple = ()
    name: str = ""
    calendar: str = "gregorian"

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError("a week has 7 days")
        for d, spans in enumerate(self.week):
            last = 0
            for s, e in spans:
                if not (0 <= s < e <= DAY) or s < last:
                    raise InvalidInput(f"has overlapping or empty hours on {WEEKDAYS[d].title()}", argument="schedule")
                last = e
        _zone(self.tz)

    @property
    def weekly_seconds(self) -> int:
        """Working seconds of a week without holidays."""
        return sum(e - s for spans in self.week for s, e in spans)

    def with_holidays(self, dates: Iterable[Any] = (), country: Any = ...) -> "Schedule":
        """This schedule with more days off (and, if given, another holiday country; None: none)."""
        extra = np.asarray(list(dates), dtype="datetime64[D]")
        merged = tuple(np.unique(np.concatenate([np.asarray(self.dates, dtype="datetime64[D]"), extra])).tolist())
        return replace(self, dates=merged, country=self.country if country is ... else country)

    def holiday_days(self, first_year: int, last_year: int) -> np.ndarray:
        """Days off (``datetime64[D]``, sorted) from ``first_year`` to ``last_year``."""
        days = [np.asarray(self.dates, dtype="datetime64[D]")]
        if self.country:
            days.append(_country_days(self.country, first_year, last_year))
        return np.unique(np.concatenate(days))

    def describe(self) -> str:
        """The week as text (``Sat-Wed 08:00-16:00; Thu 08:00-12:00``), zone and holidays."""
        short = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        parts = []
        for d, spans in enumerate(self.week):
            if spans:
                parts.append(f"{short[d]} " + ", ".join(f"{_hhmm(s)}-{_hhmm(e)}" for s, e in spans))
        text = "; ".join(parts) or "no working hours"
        hol = f", holidays {self.country}" if self.country else ""
        return f"{text} ({self.tz}{hol})"


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


@lru_cache(maxsize=64)
def _zone(tz: str) -> Any:
    import zoneinfo
    try:
        return zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"names the time zone {tz!r}, which is not an IANA zone; use e.g. "
                           "Asia/Tehran, Asia/Riyadh, Europe/Berlin or UTC", argument="schedule") from None


@lru_cache(maxsize=64)
def _country_days(country: str, first_year: int, last_year: int) -> np.ndarray:
    import holidays
    try:
        h = holidays.country_holidays(country, years=range(first_year, last_year + 1))
    except NotImplementedError:
        raise InvalidInput(f"names the holiday country {country!r}, which the holidays package does not "
                           "know; use a two-letter code such as IR, SA, AE, EG, DE", argument="holidays") from None
    return np.asarray(sorted(h.keys()), dtype="datetime64[D]")


def _week(spec: dict[int, Sequence[tuple[str, str]]]) -> tuple:
    return tuple(tuple((_clock(a), _clock(b)) for a, b in spec.get(d, ())) for d in range(7))


def _clock(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 3600 + int(m) * 60


_FULL = [("08:00", "16:00")]
#: The built-in schedules (see the module docstring for their sources).
PRESETS: dict[str, Schedule] = {
    "iran": Schedule(_week({5: _FULL, 6: _FULL, 0: _FULL, 1: _FULL, 2: _FULL, 3: [("08:00", "12:00")]}),
                     "Asia/Tehran", "IR", name="iran", calendar="jalali"),
    "saudi": Schedule(_week({6: _FULL, 0: _FULL, 1: _FULL, 2: _FULL, 3: _FULL}),
                      "Asia/Riyadh", "SA", name="saudi", calendar="hijri"),
    "uae": Schedule(_week({d: [("07:30", "15:30")] for d in range(4)} | {4: [("07:30", "12:00")]}),
                    "Asia/Dubai", "AE", name="uae", calendar="hijri"),
    "egypt": Schedule(_week({d: [("09:00", "17:00")] for d in (6, 0, 1, 2, 3)}),
                      "Africa/Cairo", "EG", name="egypt", calendar="hijri"),
    "western": Schedule(_week({d: [("09:00", "17:00")] for d in range(5)}), "UTC", None, name="western"),
    "24x7": Schedule(tuple(((0, DAY),) for _ in range(7)), "UTC", None, name="24x7"),
}
#: How year-1300-1499 holiday text is read on a schedule in these zones (other zones: Gregorian).
_ZONE_CALENDARS = {"Asia/Tehran": "jalali", "Asia/Kabul": "jalali",
                   **{z: "hijri" for z in ("Asia/Riyadh", "Asia/Dubai", "Asia/Muscat", "Asia/Qatar", "Asia/Bahrain",
                                            "Asia/Kuwait", "Asia/Baghdad", "Asia/Amman", "Asia/Aden", "Africa/Cairo")}}
#: The preset a report in each language starts from (editable on its Settings sheet).
LANGUAGE_PRESETS = {"fa": "iran", "ar": "saudi", "en": "western"}
#: The preset of each report calendar (a report's ``calendar`` setting follows its language).
CALENDAR_PRESETS = {"jalali": "iran", "hijri": "saudi", "gregorian": "western"}


def preset(name: str) -> Schedule:
    """A built-in schedule by name (``iran``, ``saudi``, ``uae``, ``egypt``, ``western``, ``24x7``).

    >>> preset("iran").describe()
    'Mon 08:00-16:00; Tue 08:00-16:00; Wed 08:00-16:00; Thu 08:00-12:00; Sat 08:00-16:00; Sun 08:00-16:00 (Asia/Tehran, holidays IR)'
    >>> preset("iran").weekly_seconds / 3600
    44.0
    """
    key = cells.fold_label(str(name)).replace(" ", "").replace("/", "x")
    key = {"24/7": "24x7", "247": "24x7", "calendar": "24x7", "ksa": "saudi", "ir": "iran",
           "sa": "saudi", "ae": "uae", "eg": "egypt"}.get(key, key)
    key = CALENDAR_PRESETS.get(key, key)
    if key not in PRESETS:
        raise InvalidInput(f"is {name!r}, which is not a preset; use one of {', '.join(PRESETS)}, or hours "
                           "such as \"Sun-Thu 09:00-17:00\"", argument="schedule")
    return PRESETS[key]


# --------------------------------------------------------------------------- schedules from text and cells

_TIME = r"(\d{1,2})(?:[:.](\d{2}))?"
_SPAN = re.compile(rf"^{_TIME}\s*[-–—]\s*{_TIME}$")


def _time_of(text: str, arg: str) -> int:
    m = re.fullmatch(_TIME, text.strip())
    if not m:
        raise InvalidInput(f"has the time {text!r}; write hh:mm, e.g. 08:30", argument=arg)
    h, mi = int(m.group(1)), int(m.group(2) or 0)
    if mi > 59 or h > 24 or (h == 24 and mi):
        raise InvalidInput(f"has the time {text!r}; hours 0-24, minutes 0-59", argument=arg)
    return h * 3600 + mi * 60


def _day_of(word: str, arg: str) -> int:
    w = cells.fold_label(word)
    if w in _DAY_WORDS:
        return _DAY_WORDS[w]
    if w.isdigit() and 1 <= int(w) <= 7:
        return int(w) - 1          # ISO: 1 = Monday
    raise InvalidInput(f"has the weekday {word!r}; use Mon..Sun (or Persian/Arabic day names, or 1-7 with "
                       "1 = Monday)", argument=arg)


def _days_of(text: str, arg: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"[,،/&]|\band\b", text):
        part = part.strip()
        if not part:
            continue
        ends = re.split(r"\s*(?:[-–—]|\bto\b|تا|الى|إلى)\s*", part)
        if len(ends) == 2:
            a, b = _day_of(ends[0], arg), _day_of(ends[1], arg)
            d = a
            while True:
                out.append(d)
                if d == b:
                    break
                d = (d + 1) % 7
        else:
            out.append(_day_of(part, arg))
    return out


def _span(a: int, b: int, day: int, arg: str) -> tuple[int, int]:
    if b <= a:
        raise InvalidInput(f"has hours {_hhmm(a)}-{_hhmm(b)} on {WEEKDAYS[day].title()} that end before they "
                           "start; split a night shift at midnight (Mon 22:00-24:00; Tue 00:00-06:00)", argument=arg)
    return a, b


def _assemble(per_day: dict[int, list[tuple[int, int]]], arg: str) -> tuple:
    week = []
    for d in range(7):
        spans = sorted(per_day.get(d, []))
        for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
            if s2 < e1:
                raise InvalidInput(f"has overlapping hours on {WEEKDAYS[d].title()}: {_hhmm(s1)}-{_hhmm(e1)} and "
                                   f"{_hhmm(s2)}-{_hhmm(e2)}", argument=arg)
        week.append(tuple(spans))
    return tuple(week)


def parse_schedule(text: str, arg: str = "schedule") -> Schedule:
    """A schedule from text: a preset name, or days and hours, optionally a zone and holiday country.

    Grammar: ``<days> <from>-<to>[, <from>-<to>...]`` groups separated by ``;`` or new lines; days
    are a name, a range (``Sat-Wed``) or a list (``Mon/Wed``); English, Persian or Arabic names. A
    token with a ``/`` (``Europe/Berlin``) or ``UTC`` is the zone; ``holidays=IR`` the country. A
    preset name first keeps its hours and lets the rest override its zone and holidays
    (``western Europe/Berlin holidays=DE``).

    >>> parse_schedule("Sat-Wed 08:00-12:00, 13:00-16:30; Thu 08:00-12:00 Asia/Tehran").describe()
    'Mon 08:00-12:00, 13:00-16:30; Tue 08:00-12:00, 13:00-16:30; Wed 08:00-12:00, 13:00-16:30; Thu 08:00-12:00; Sat 08:00-12:00, 13:00-16:30; Sun 08:00-12:00, 13:00-16:30 (Asia/Tehran)'
    """
    raw = str(text).translate(_DIGITS).strip()
    tz: str | None = None
    country: Any = ...
    words = []
    for tok in re.split(r"(\s+)", raw):
        t = tok.strip()
        if not t:
            words.append(tok)
            continue
        low = t.lower()
        if "/" in t and re.fullmatch(r"[A-Za-z_]+(?:/[A-Za-z_+\-0-9]+)+", t):
            tz = t
        elif low in ("utc", "gmt"):
            tz = "UTC"
        elif low.startswith("holidays="):
            c = t.split("=", 1)[1].strip()
            country = None if c.lower() in ("", "none", "no") else c.upper()
        else:
            words.append(tok)
    body = "".join(words).strip()
    base: Schedule | None = None
    first = body.split(None, 1)[0] if body else ""
    if first:
        try:
            base = preset(first)
            body = body[len(first):].strip()
        except InvalidInput:
            base = None
    if base is None and not body:
        raise InvalidInput("is blank; give a preset name (iran, saudi, uae, egypt, western, 24x7) or hours such "
                           "as \"Sun-Thu 09:00-17:00\"", argument=arg)
    if body:
        per_day: dict[int, list[tuple[int, int]]] = {}
        for group in re.split(r"[;\n؛]+", body):
            group = group.strip()
            if not group:
                continue
            m = re.search(rf"{_TIME}\s*[-–—]", group)
            if not m:
                if cells.fold_label(group) in ("off", "closed", "تعطیل", "عطلة"):
                    continue
                raise InvalidInput(f"has {group!r} without hours; write e.g. \"Sun-Thu 09:00-17:00\"", argument=arg)
            days = _days_of(group[:m.start()], arg) if group[:m.start()].strip() else list(range(7))
            for span in re.split(r"[,،]\s*|\s+(?=\d)", group[m.start():].strip()):
                sm = _SPAN.match(span.strip())
                if not sm:
                    raise InvalidInput(f"has the hours {span!r}; write from-to, e.g. 08:00-16:00", argument=arg)
                a = _time_of(sm.group(1) + ":" + (sm.group(2) or "00"), arg)
                b = _time_of(sm.group(3) + ":" + (sm.group(4) or "00"), arg)
                for d in days:
                    per_day.setdefault(d, []).append(_span(a, b, d, arg))
        week = _assemble(per_day, arg)
        base = Schedule(week, base.tz if base else "UTC", base.country if base else None,
                        name="custom", calendar=base.calendar if base else "gregorian")
    assert base is not None
    out = base
    if tz is not None:
        out = replace(out, tz=tz)
        if base.name == "custom" or base.calendar == "gregorian":
            out = replace(out, calendar=_ZONE_CALENDARS.get(tz, base.calendar))
    if country is not ...:
        out = replace(out, country=country)
    return out


def _cell_clock(v: Any, arg: str, row: int) -> int:
    if isinstance(v, _dt.time):
        return v.hour * 3600 + v.minute * 60 + v.second
    if isinstance(v, _dt.datetime):
        return v.hour * 3600 + v.minute * 60 + v.second
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        if not 0 <= float(v) <= 1:
            raise InvalidInput(f"has {v} in row {row}; a time of day is a fraction of a day (0.5 = 12:00) or "
                               "hh:mm text", argument=arg)
        return int(round(float(v) * DAY / 60)) * 60
    if isinstance(v, str):
        return _time_of(v.translate(_DIGITS), arg)
    raise InvalidInput(f"has {cells.describe(v)} in row {row}; give a time of day", argument=arg)


_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def schedule_from_cells(table: Any, holidays: Any = None, preset: str | None = None,
                        arg: str = "schedule") -> Schedule:
    """A schedule from a sheet range: rows ``weekday | from | to`` (several rows for one day give
    several intervals; a day without a row is off), rows ``days | hours`` (``Sat-Wed`` |
    ``08:00-12:00, 13:00-16:30``), or a one-column range of text (a preset name,
    or hours as :func:`parse_schedule` reads them, one group per cell). ``holidays``: a range of
    dates and/or country codes (:func:`with_holiday_cells`); ``preset``: the schedule whose zone and
    holiday country a table inherits (default: UTC, no country).

    >>> s = schedule_from_cells([["Sat", "08:00", "12:00"], ["Sat", "13:00", "16:30"], ["Sun", 0.5, 0.75]])
    >>> s.describe()
    'Sat 08:00-12:00, 13:00-16:30; Sun 12:00-18:00 (UTC)'
    """
    base = PRESETS[preset] if preset else None
    flat, cols = cells.flatten(table)
    if cols <= 1:
        texts = [str(v) for v in flat if v is not None and str(v).strip()]
        if not texts:
            raise InvalidInput("is blank; give a preset name or a weekday | from | to table", argument=arg)
        out = parse_schedule("; ".join(texts), arg)
    elif cols == 2:                      # weekday | hours text ("Sat" | "08:00-12:00, 13:00-16:30")
        groups = []
        for r in range(len(flat) // 2):
            day, hours = flat[2 * r], flat[2 * r + 1]
            if day is None and hours is None:
                continue
            if r == 0 and isinstance(day, str) and not _known_day(day) and not _known_days(day):
                continue   # a header row
            if day is None or hours is None:
                raise InvalidInput(f"row {r + 1} is incomplete; each row is weekday | hours", argument=arg)
            groups.append(f"{day} {hours}")
        out = parse_schedule("; ".join(groups), arg)
        if base is not None:
            out = replace(out, tz=base.tz, country=base.country, calendar=base.calendar)
    else:
        per_day: dict[int, list[tuple[int, int]]] = {}
        for r in range(len(flat) // cols):
            day, a, b = flat[r * cols: r * cols + 3]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in (day, a, b)):
                continue
            if r == 0 and isinstance(day, str) and not _known_day(day):
                continue   # a header row (weekday | from | to)
            if day is None or a is None or b is None:
                raise InvalidInput(f"row {r + 1} is incomplete; each row is weekday | from | to", argument=arg)
            d = _day_of(str(int(day)) if isinstance(day, float) else str(day), arg)
            s, e = _cell_clock(a, arg, r + 1), _cell_clock(b, arg, r + 1)
            if e == 0 and s > 0:
                e = DAY            # "to 00:00" is midnight at the end of the day
            per_day.setdefault(d, []).append(_span(s, e, d, arg))
        if not per_day:
            raise InvalidInput("has no working hours; give rows weekday | from | to", argument=arg)
        out = Schedule(_assemble(per_day, arg), base.tz if base else "UTC", base.country if base else None,
                       name="custom", calendar=base.calendar if base else "gregorian")
    return with_holiday_cells(out, holidays)


def _known_day(word: str) -> bool:
    w = cells.fold_label(word)
    return w in _DAY_WORDS or (w.isdigit() and 1 <= int(w) <= 7)


def _known_days(text: str) -> bool:
    """A day range or list such as ``Sat-Wed`` or ``Mon/Wed``."""
    try:
        return bool(_days_of(text, "schedule"))
    except InvalidInput:
        return False


def with_holiday_cells(schedule: Schedule, holidays: Any, arg: str = "holidays") -> Schedule:
    """``schedule`` with the days off of a range: dates (date cells, serials, ISO text, or Jalali/Hijri
    text read in the schedule's calendar) and/or two-letter country codes (``IR``, ``DE``; ``none``
    drops the preset's country). Blank: the schedule as it is."""
    if holidays is None:
        return schedule
    flat0, _ = cells.flatten(holidays)
    flat: list = []
    for v in flat0:                     # one cell may list several: "IR, 1403/01/12, 2024-04-02"
        if isinstance(v, str) and re.search(r"[,;،؛]", v):
            flat.extend(p.strip() for p in re.split(r"[,;،؛]", v) if p.strip())
        else:
            flat.append(v)
    codes = [v.strip() for v in flat if isinstance(v, str) and re.fullmatch(r"\s*([A-Za-z]{2}|none|NONE|None)\s*", v)]
    dates = [v for v in flat if not (isinstance(v, str) and v.strip() in codes) and v is not None
             and not (isinstance(v, str) and not v.strip())]
    out = schedule
    for c in codes:
        out = replace(out, country=None if c.lower() == "none" else c.upper())
    if dates:
        try:
            days = cells.datetimes([[d] for d in dates], arg, calendar=out.calendar).astype("datetime64[D]")
        except InvalidInput as e:
            if "Jalali or Hijri" not in e.reason:
                raise
            m = re.search(r"in cell (\d+)", e.reason)
            where = f" in cell {m.group(1)}" if m else ""
            raise InvalidInput(f"has a Jalali or Hijri date{where} but the schedule's calendar is Gregorian; use a "
                               "preset of that calendar (iran: Jalali; saudi, uae, egypt: Hijri), a zone such as "
                               "Asia/Tehran or Asia/Riyadh in the hours text, or write the date as YYYY-MM-DD",
                               argument=arg) from None
        out = out.with_holidays(days)
    return out


def schedule_argument(schedule: Any, holidays: Any = None) -> Schedule | None:
    """The schedule a KPI function's optional ``schedule`` argument names, or None (wall clock).

    Blank or FALSE: None (wall-clock durations, as before). A :class:`Schedule`, a preset name, hours
    text, or a sheet range (:func:`schedule_from_cells`); ``holidays`` adds days off.
    """
    if isinstance(schedule, Schedule):
        return with_holiday_cells(schedule, holidays)
    flat, cols = cells.flatten(schedule)
    filled = [v for v in flat if not (v is None or (isinstance(v, str) and not v.strip()))]
    if not filled:
        if holidays is not None and any(v is not None and not (isinstance(v, str) and not v.strip())
                                        for v in cells.flatten(holidays)[0]):
            raise InvalidInput("is blank but holidays are given; name a schedule (a preset such as iran, or "
                               "hours) for the holidays to apply to", argument="schedule")
        return None
    if len(filled) == 1 and isinstance(filled[0], bool):
        if filled[0]:
            raise InvalidInput("is TRUE; name the schedule: a preset (iran, saudi, uae, egypt, western, 24x7) "
                               "or hours such as \"Sun-Thu 09:00-17:00\"", argument="schedule")
        return None
    return schedule_from_cells(schedule, holidays)


def _may_carry_offsets(values: Any) -> bool:
    """Whether ``values`` could hold a time-zone offset the cell readers would read: text cells or
    time-zone-aware datetimes (typed naive arrays and numbers cannot)."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "Mfiu":
        return False
    if isinstance(values, (pd.Series, pd.Index)):
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            return True
        if values.dtype.kind in "Mfiu":
            return False
    flat, _ = cells.flatten(values)
    return any(isinstance(v, str) or (isinstance(v, (_dt.datetime, pd.Timestamp)) and v.tzinfo is not None)
               for v in flat)


def to_local(values: Any, schedule: "Schedule | None", arg: str = "dates") -> Any:
    """``values`` with every time that carries a time zone -- a text with ``Z``/``+03:30``/``-08:00``
    after its time, a time-zone-aware datetime or Series -- converted to the schedule's zone and
    made naive (its wall clock); a time without a zone is already the schedule's wall clock and is
    kept. Returns a ``datetime64[ns]`` array when it read the cells (blanks NaT; read once: the
    caller's reader takes the typed array as it is), else ``values`` as they are: without a
    schedule, for cells that cannot carry a zone, and for cells the readers refuse (the caller's
    reader then raises its error with the caller's argument name).
    """
    if schedule is None or not _may_carry_offsets(values):
        return values
    try:
        return cells.dates.datetimes(values, arg, keep_blanks=True, tz=schedule.tz)
    except KPIError:
        return values


def local_pair(start: Any, end: Any, schedule: "Schedule | None", start_arg: str = "start",
               end_arg: str = "end") -> tuple[Any, Any]:
    """The two ends of durations (one row per ticket), ready for a wall-clock subtraction.

    * With a schedule: each end through :func:`to_local` (times with a zone on the schedule's clock;
      times without one are the schedule's wall clock, as the README says).
    * Without one: a row whose two ends both carry an offset (``...Z``, ``+02:00``, aware
      datetimes) is measured between the instants (both ends read in UTC):
      ``09:00Z -> 10:00+02:00`` is 0 hours. A row whose ends both lack one is measured between the
      wall-clock times, as always. A row with an offset on one end only is ``#VALUE!`` naming both
      cells: the other time could be in any zone, and a guess would move the duration by hours.

    Returns arrays (``datetime64[ns]``, blanks NaT) when it read text or aware cells, else the
    values as they are (the callers' readers then read them as before).
    """
    if schedule is not None:
        return to_local(start, schedule, start_arg), to_local(end, schedule, end_arg)
    if not (_may_carry_offsets(start) or _may_carry_offsets(end)):
        return start, end
    try:
        s, so = cells.dates.datetimes_offsets(start, start_arg)
        e, eo = cells.dates.datetimes_offsets(end, end_arg)
    except KPIError:
        return start, end               # the caller's reader says what is wrong
    if s.size != e.size:
        return start, end               # the caller's alignment check names the sizes
    if np.isnan(so).all() and np.isnan(eo).all():
        return s, e                     # wall clocks, as always (read once)
    hs, he = ~np.isnan(so), ~np.isnan(eo)
    one_sided = (hs & ~he & ~np.isnat(e)) | (he & ~hs & ~np.isnat(s))
    if one_sided.any():
        i = int(np.flatnonzero(one_sided)[0])
        sv, ev = cells.flatten(start)[0][i], cells.flatten(end)[0][i]
        with_zone, without = (start_arg, end_arg) if hs[i] else (end_arg, start_arg)
        raise InvalidInput(
            f"has {cells.describe(sv)} in row {i + 1} and {end_arg} has {cells.describe(ev)}: {with_zone} "
            f"carries a time-zone offset and {without} does not, so the duration is unknown (the time "
            "without an offset could be in any zone); write both with an offset (2024-06-03T10:00:00+02:00, "
            "...Z) or both without", argument=start_arg)
    minute = np.timedelta64(60, "s")
    s = np.where(hs, s - np.nan_to_num(so).astype(np.int64) * minute, s)
    e = np.where(he, e - np.nan_to_num(eo).astype(np.int64) * minute, e)
    backwards = hs & he & (e < s)
    if backwards.any():                 # said with the texts as written and their UTC times
        i = int(np.flatnonzero(backwards)[0])
        sv, ev = cells.flatten(start)[0][i], cells.flatten(end)[0][i]
        raise InvalidInput(
            f"has {cells.describe(ev)} in row {i + 1} ({str(e[i])[:16].replace('T', ' ')} UTC), before {start_arg} "
            f"{cells.describe(sv)} ({str(s[i])[:16].replace('T', ' ')} UTC); an end cannot precede its start",
            argument=end_arg)
    return s, e


# --------------------------------------------------------------------------- durations
# The vectorised engine lives in :mod:`xl_cskpi.business_durations` (kept apart by size).

from .business_durations import durations  # noqa: E402  (after the names it imports from here)
