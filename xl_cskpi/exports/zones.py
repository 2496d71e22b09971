"""Time zones of an export's date-time columns (``xl-cskpi report --data``, ``--timezone``).

API and ETL exports (Zendesk, Intercom, HubSpot, Fivetran/Airbyte dumps) write instants with a UTC
offset: ``2024-03-09T22:00:00-08:00``, ``2024-04-03T09:00:00Z``. A report's sheets hold wall-clock
times (an Excel cell has no zone), so every such time is put on the clock of **one zone per run**,
which keeps every duration between two of them right and counts days and months on that clock:

1. ``--timezone ZONE`` (an IANA name: ``UTC``, ``Asia/Tehran``, ``America/Los_Angeles``), if given;
2. else the zone of the report's working-hours schedule, when the report has one and it states a
   zone (the ``work_schedule`` setting of the support report: the template's, or the language's
   preset: ``iran`` Asia/Tehran, ``saudi`` Asia/Riyadh; blank = the calendar's preset), so that
   business hours are judged on the schedule's own clock. ``western``, ``24x7`` and hours written
   without a zone are on UTC only as a placeholder: they do not move an export that states its own
   offsets (a Los Angeles export is not read on UTC), so rules 3-4 apply;
3. else, when every time of the export that carries an offset carries the same one, the times as
   written (the wall clock of that offset: durations between them are right as they stand);
4. else (different offsets, no zone to go by) UTC, with a warning.

A time without an offset is taken as a wall-clock time of the zone chosen (of the one offset in
case 3). Each decision is a finding of the data check:

* ``timezone_converted`` (info) {column, offsets, zone}: a column's times converted to the zone of
  ``--timezone``;
* ``timezone_of_schedule`` (info) {column, offsets, zone, schedule}: converted to the zone of the
  report's working hours (``schedule``: the setting as written, e.g. ``iran``);
* ``timezone_kept`` (info) {column, offset}: one offset in the whole export, times read as written;
* ``timezone_mixed`` (warning) {offsets, columns, zone}: different offsets and no zone: read in UTC;
* ``timezone_naive`` (warning) {column, count, zone}: times without an offset in a column whose
  other times have one, read on the clock of ``zone`` (a zone name, or the one offset);
* ``timezone_not_schedule`` (warning) {zone, schedule, schedule_zone}: ``--timezone`` is not the
  zone of the report's working hours, on whose clock its business-hours figures read the times;
A column whose header states its zone (``Submit Date (UTC)``, ``Created (UTC)``, ``(UTC+03:30)``:
:func:`xl_cskpi.cells.timezones.header_offset`) holds instants: its times are read with that offset
(reviewer's G9: with ``--timezone Asia/Tehran`` a Typeform answer of 21:00 UTC stayed on the previous
Jalali day).

* ``unix_time`` (info) {column, example}: a column of whole numbers read as Unix times
  (:func:`unix_times`), then as UTC instants by the rules above;
* ``timezone_dst`` (warning) {zone, date}: ``zone`` changes its clock within the converted times:
  a duration across the change counts wall-clock hours (one more or one less than elapsed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..cells.dates import check_timezone, date_column_offsets
from ..cells.timezones import header_offset
from ..errors import InvalidInput
from .check import DataCheck, ExportError

__all__ = ["Zones", "report_zone", "offset_text"]


def offset_text(minutes: int) -> str:
    """``Z`` for 0, else ``+03:30`` / ``-08:00``."""
    if minutes == 0:
        return "Z"
    sign = "-" if minutes < 0 else "+"
    m = abs(int(minutes))
    return f"{sign}{m // 60:02d}:{m % 60:02d}"


def report_zone(report: Any, timezone: str | None, schedule: str | None, lang: str,
                calendar: str) -> tuple[str | None, str | None, str | None]:
    """``(zone, source, schedule name)`` the run converts times to: ``--timezone``, else the zone of
    the report's working-hours schedule (``work_schedule``), else ``(None, None, None)``.

    An unknown ``--timezone`` is an :class:`ExportError` (exit 2) saying what to write."""
    if timezone is not None:
        try:
            return check_timezone(timezone), "option", None
        except InvalidInput:
            raise ExportError(f"--timezone {timezone!r} is not an IANA time zone; use e.g. UTC, Asia/Tehran, "
                              "Asia/Riyadh, Europe/Berlin or America/Los_Angeles") from None
    if not any(s.key == "work_schedule" for s in getattr(report, "settings", ())):
        return None, None, None
    from ..business_time import CALENDAR_PRESETS, LANGUAGE_PRESETS, parse_schedule
    text = LANGUAGE_PRESETS.get(lang, "western") if schedule is None else str(schedule)
    if not text.strip():
        text = CALENDAR_PRESETS.get(calendar, "western")
    try:
        sch = parse_schedule(text, "work_schedule")
    except InvalidInput:
        return None, None, None     # the report itself says the schedule is wrong
    if sch.tz == "UTC" and not _names_zone(text):
        # ``western``, ``24x7`` or hours without a zone: UTC is the schedule's placeholder, not the
        # company's clock, so it does not move an export that states its own offsets (reviewer's F1b:
        # a Los Angeles export read on UTC moved 30 April evening tickets into May)
        return None, None, None
    return sch.tz, "schedule", text.strip()


def _names_zone(text: str) -> bool:
    """Whether a schedule's text names a time zone (``western Europe/Berlin``, ``... UTC``)."""
    import re

    for token in re.split(r"[\s,;]+", text):
        if token and ("/" in token or token.upper() in ("UTC", "GMT", "Z")):
            try:
                check_timezone(token)
                return True
            except InvalidInput:
                continue
    return False


@dataclass
class _Column:
    file: str
    table: str
    column: str
    offsets: list[int]
    naive: int
    dates: np.ndarray          # the converted times that carried an offset


@dataclass
class Zones:
    """The zone of one typing pass (None: times as written) and the offset-carrying columns read."""

    zone: str | None = None
    source: str | None = None
    schedule: str | None = None
    columns: list[_Column] = field(default_factory=list)
    #: the report's working-hours schedule and its zone when ``--timezone`` names another clock
    other_schedule: str | None = None
    other_zone: str | None = None
    #: columns read as Unix times: (file, table, column, "1717405200 = 2024-06-03 09:00:00 UTC")
    unix: list = field(default_factory=list)

    def read(self, raw: Any, header: str, *, file: str, table: str, **options: Any) -> np.ndarray:
        """:func:`~xl_cskpi.cells.date_column` of ``raw`` on this pass's zone, noting its offsets.

        A column of Unix times (:func:`unix_times`) is read as the UTC instants they count, which
        then follow the rules of times with an offset (``Z``), and said as ``unix_time`` (info)."""
        unix = unix_times(raw)
        if unix is not None:
            raw, example = unix
            self.unix.append((file, table, header, example))
        # a header stating the zone ("Submit Date (UTC)"): its times are instants (cells.timezones.header_offset)
        dates, off = date_column_offsets(raw, header, tz=self.zone, stated_offset=header_offset(header), **options)
        has = ~np.isnan(off)
        if has.any():
            naive = int(np.count_nonzero(~has & ~np.isnat(dates)))
            self.columns.append(_Column(file, table, header, sorted({int(x) for x in off[has]}), naive,
                                        dates[has]))
        return dates

    @property
    def offsets(self) -> list[int]:
        """Every distinct offset of the export, sorted."""
        return sorted({o for c in self.columns for o in c.offsets})

    def findings(self, check: DataCheck) -> None:
        """The data-check lines of this pass (see the module docstring). Fields are text and
        numbers, as the translated sentences show them."""
        for file, table, column, example in self.unix:
            check.info("unix_time", f"whole numbers read as Unix times (seconds since 1970-01-01 UTC; "
                       f"{example})", file=file, table=table, column=column,
                       fields={"column": column, "example": example})
        if not self.columns:
            return
        if self.source == "mixed":
            shown = ", ".join(offset_text(o) for o in self.offsets)
            columns = ", ".join(dict.fromkeys(c.column for c in self.columns))
            check.warn("timezone_mixed", f"the export's times carry different UTC offsets ({shown}) and no time zone "
                       f"is given: {columns} read in UTC (days and months counted in UTC); pass --timezone ZONE "
                       "(e.g. America/Los_Angeles) to read them on your own clock",
                       fields={"offsets": shown, "columns": columns, "zone": "UTC"})
        for c in self.columns:
            where = {"file": c.file, "table": c.table, "column": c.column}
            offs = ", ".join(offset_text(o) for o in c.offsets)
            clock = self.zone
            if self.zone is None:
                clock = offs
                check.info("timezone_kept", f"every time with a UTC offset in the export has {offs}: read as "
                           f"written (the wall clock of {offs}); pass --timezone ZONE to read them on another "
                           "clock", **where, fields={"column": c.column, "offset": offs})
            elif self.source == "option":
                check.info("timezone_converted", f"times with a UTC offset ({offs}) converted to {self.zone} "
                           "(--timezone); days and months are counted on its clock", **where,
                           fields={"column": c.column, "offsets": offs, "zone": self.zone})
            elif self.source == "schedule":
                check.info("timezone_of_schedule", f"times with a UTC offset ({offs}) converted to {self.zone}, the "
                           f"zone of the report's working hours ({self.schedule}); days and months are counted on "
                           "its clock; pass --timezone ZONE to read them on another", **where,
                           fields={"column": c.column, "offsets": offs, "zone": self.zone,
                                   "schedule": self.schedule or ""})
            if c.naive:
                check.warn("timezone_naive", f"{c.naive:,} time{'s' if c.naive != 1 else ''} without a UTC offset "
                           f"beside times with one: read as {clock} times; write every time with its offset "
                           "if they are not", **where, fields={"column": c.column, "count": c.naive, "zone": clock})
        if self.other_zone is not None and self.other_zone != self.zone:
            check.warn("timezone_not_schedule", f"times are read in {self.zone} but the report's working hours "
                       f"({self.other_schedule}) are in {self.other_zone}: its business-hours figures read the "
                       f"times as {self.other_zone} times; put the zone in the work_schedule setting (e.g. "
                       f"'{self.other_schedule} {self.zone}') or leave out --timezone",
                       fields={"zone": self.zone, "schedule": self.other_schedule,
                               "schedule_zone": self.other_zone})
        if self.zone is not None and self.zone != "UTC":
            change = _clock_change(np.concatenate([c.dates for c in self.columns]), self.zone)
            if change is not None:
                check.warn("timezone_dst", f"{self.zone} changes its clock within the export's times ({change}): "
                           "a duration across the change counts wall-clock hours, one more or one less than the "
                           "time elapsed; pass --timezone UTC to count elapsed time",
                           fields={"zone": self.zone, "date": change})


#: Unix times read as such: 2001-01-01 to 2100-01-01 UTC, in seconds (9-10 digits) or milliseconds
#: (12-13 digits, as JavaScript and many APIs write them).
UNIX_RANGE = (978_307_200, 4_102_444_800)


_UNIX_TEXT = re.compile(r"\s*(\d{9,10}|\d{12,13})(\.0*)?\s*")


def _unix_like(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, np.integer)):
        return 9 <= len(str(abs(int(v)))) <= 13
    if isinstance(v, (float, np.floating)):
        return v == v and float(v).is_integer() and 9 <= len(str(int(abs(v)))) <= 13
    return isinstance(v, str) and _UNIX_TEXT.fullmatch(v) is not None


def unix_times(raw: Any) -> tuple[pd.Series, str] | None:
    """A column whose every filled cell is a whole number of 9-10 digits (seconds) or 12-13 digits
    (milliseconds) within :data:`UNIX_RANGE` (Intercom's and Stripe's API exports: ``1717405200``)
    -> ``(the cells as ISO UTC times "2024-06-03T09:00:00Z", "1717405200 = 2024-06-03 09:00:00 UTC")``;
    None for any other column (one cell that is not such a number keeps the column as written, for
    the date reader to name). Reviewer's U4: "not an Excel date serial" was all a user was told."""
    s = pd.Series(raw.to_numpy(dtype=object) if hasattr(raw, "to_numpy") else list(raw), dtype=object)
    filled = s[s.notna()]
    if filled.empty or not all(_unix_like(v) for v in filled.iloc[:100].tolist()):
        return None     # the common case (dates as text, workbook dates) is ruled out by a glance
    vals = filled.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(vals, skipna=True) == "string":      # CSV text: one vectorised pass
        text = filled.str.strip()
        if text.str.contains(".", regex=False).any():
            text = text.str.replace(r"\.0*$", "", regex=True)
    else:
        text = filled.map(lambda v: (str(int(v)) if isinstance(v, (float, np.floating)) and float(v).is_integer()
                                     else str(v).strip() if isinstance(v, (str, int, np.integer))
                                     and not isinstance(v, bool) else ""))
    if (text == "").any() or not text.str.fullmatch(r"\d{9,10}|\d{12,13}").all():
        return None
    lengths = text.str.len()
    if lengths.nunique() > 1 and not (lengths <= 10).all():
        return None     # seconds and milliseconds mixed: not one clock
    n = text.astype("int64").to_numpy()
    ms = bool((lengths >= 12).all())
    secs = n // 1000 if ms else n
    if not ((secs >= UNIX_RANGE[0]) & (secs < UNIX_RANGE[1])).all():
        return None
    when = n.astype("datetime64[ms]" if ms else "datetime64[s]")
    iso = np.datetime_as_string(when, unit="ms" if ms else "s").astype(object) + "Z"
    out = s.copy()
    out[filled.index] = iso
    if hasattr(raw, "index"):
        out.index = raw.index
    out.attrs = dict(getattr(raw, "attrs", {}))
    first = int(n[0])
    example = f"{first} = {str(when[0].astype('datetime64[s]')).replace('T', ' ')} UTC" + (" (milliseconds)" if ms else "")
    return out, example


def _clock_change(local: np.ndarray, zone: str) -> str | None:
    """The first day (ISO) on which ``zone``'s UTC offset changes between the earliest and the
    latest of ``local`` (wall-clock times of ``zone``), or None."""
    import zoneinfo
    local = local[~np.isnat(local)]
    if local.size == 0:
        return None
    lo, hi = pd.Timestamp(local.min()), pd.Timestamp(local.max())
    days = pd.date_range(lo.normalize(), hi.normalize() + pd.Timedelta(days=1), freq="D")
    tz = zoneinfo.ZoneInfo(zone)
    offs = [d.to_pydatetime().replace(tzinfo=tz).utcoffset() for d in days]
    for k in range(1, len(offs)):
        if offs[k] != offs[k - 1]:
            return str(days[k - 1].date())
    return None
