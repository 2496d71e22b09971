"""Dates: the one reader of a worksheet range of dates (:func:`datetimes`) and of an export column
of dates (:func:`date_column`): one decision per range or column, never a guess per cell.

Its parts, each importable from here as before:

* :mod:`~xl_cskpi.cells.date_values` -- Excel serials (:func:`serial_to_datetime64`,
  :func:`datetime_to_serial`), date cells, the ``datetime64[ns]`` range and ``kind``;
* :mod:`~xl_cskpi.cells.date_text` -- one date text (orders, month names, times, offsets, local
  calendars) and the numpy road for plain timestamps;
* :mod:`~xl_cskpi.cells.timezones` -- zone names, offsets, :func:`to_zone`.

Here: the order of a text column decided from all its values (:func:`_text_micros`), the cells of a
range (:func:`_cells_micros`) and the public readers. The range rules themselves are in
:mod:`xl_cskpi.cells`.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidInput, KPIError, NotAvailable
from .shapes import _NONE, _NUMERIC_TYPES, _first_bool, _in_whole_range, _located, describe, factorize, flatten, where
from .date_values import (DATE_KINDS, DATE_ORDERS, FIRST_DATE, LAST_DATE, _DATETIME_TYPES, _EPOCH_ORDINAL,  # noqa: F401
                          _HINTS, _MAX_SERIAL, _NAT, _US_PER_DAY, _check_date_options, _finish, _is_serial, _not_a_date,
                          _wall_clock_us, datetime_to_serial, serial_to_datetime64)
from .date_text import (_CAL_NAME, _DATE_TEXT, _Fast, _Parsed, _day_numbers, _fast_texts, _local_year,  # noqa: F401
                        _month_lengths, _parse_text, _to_gregorian)
from .timezones import _aware_micros, _aware_offset, check_timezone, header_offset, offsets_minutes, to_zone  # noqa: F401

__all__ = ["DATE_KINDS", "DATE_ORDERS", "FIRST_DATE", "LAST_DATE", "serial_to_datetime64", "datetime_to_serial",
           "check_timezone", "to_zone", "offsets_minutes", "date_column", "date_column_offsets", "datetimes",
           "datetimes_offsets"]

# ``_text_micros`` and ``_iso_fast`` look ``_fast_texts`` up here (tests replace it here to read a
# column without the numpy road and compare).

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


def _read_dates(values: Any, arg: str, *, order: str | None, calendar: str, kind: str, open_end: bool,
                face: str, unit: str, nan_blank: bool, tz: str | None = None) -> np.ndarray:
    """The dates (``datetime64[unit]``) of :func:`_read_zoned`."""
    return _read_zoned(values, arg, order=order, calendar=calendar, kind=kind, open_end=open_end, face=face,
                       unit=unit, nan_blank=nan_blank, tz=tz)[0]


def _read_zoned(values: Any, arg: str, *, order: str | None, calendar: str, kind: str, open_end: bool,
                face: str, unit: str, nan_blank: bool, tz: str | None = None,
                stated_offset: int | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """The dates (``datetime64[unit]``) and the UTC offsets as written (int64 minutes, ``_NAT`` for
    none; None when no value carries one). With ``tz``, a value with an offset is its instant on
    ``tz``'s wall clock (before ``kind`` drops the time: its day and month are ``tz``'s).
    ``stated_offset`` (minutes; the column's header says ``(UTC)``): a value written without an offset
    carries that one, as if written after it."""
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
    if stated_offset is not None:
        if off is None:
            off = np.full(len(us), _NAT, dtype=np.int64)
        off = np.where((off == _NAT) & (us != _NAT) & ~label, np.int64(stated_offset), off)
        if not (off != _NAT).any():
            off = None
    if tz is not None and off is not None:
        us = to_zone(us, off, tz)

    def value_of(i: int) -> Any:
        if flat_values is not None:
            return flat_values[i]
        return np.datetime64(int(us[i]), "us")

    return _finish(us, label, value_of, cols, arg, kind=kind, calendar=calendar, open_end=open_end,
                   unit=unit), off


def date_column(values: Any, arg: str, *, order: str | None = None, calendar: str = "gregorian",
                kind: str = "date", open_end: bool = False, tz: str | None = None,
                stated_offset: int | None = None) -> np.ndarray:
    """The dates of an export column as ``datetime64[ns]``, ``NaT`` for a blank cell.

    ``values`` is a pandas Series or a list of raw cells: text, Excel serial numbers (1900 date
    system), ``datetime``/``date``/``pandas.Timestamp``/``numpy.datetime64``, ``None`` (``NaN`` is a
    blank, as pandas spells one). The rules, one decision per column and never a guess per cell:

    * **Text** is read year first (ISO: ``2024-09-01``, ``2024/9/1``, ``2024-09-01T10:30:00Z``,
      ``20240901``), or day/month first with a four-digit year (``05/03/2024``, ``5.3.2024``), or
      with a month name (``5 Mar 2024``, ``March 5, 2024``, ``Tue, 05 Mar 2024 10:00``; day, month
      name and a two-digit year, Jira's default ``03/Jun/24 9:15 AM``: 00-68 are 2000-2068, 69-99
      1969-1999, as Python's ``%y``; ``03/06/24`` stays refused). Whether
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
      can decide the zone for a whole export. ``stated_offset`` (minutes) is the offset the column's
      header states (``Submit Date (UTC)``: :func:`~xl_cskpi.cells.timezones.header_offset`): every
      time written without one carries it (a UTC instant), then follows the rule above.
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
    return _read_zoned(values, arg, order=order, calendar=calendar, kind=kind, open_end=open_end,
                       face="export", unit="ns", nan_blank=True, tz=tz, stated_offset=stated_offset)[0]


def date_column_offsets(values: Any, arg: str, *, order: str | None = None, calendar: str = "gregorian",
                        kind: str = "date", open_end: bool = False, tz: str | None = None,
                        stated_offset: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(date_column(values, arg, ..., tz=tz), offsets)``: the dates and, per cell, the UTC offset
    written with it in minutes (``Z`` 0, ``-08:00`` -480, a time-zone-aware datetime its own; NaN for
    a value without one and for a blank), read once.

    >>> d, off = date_column_offsets(["2024-03-09T22:00:00-08:00", "2024-03-10 10:00", None], "at",
    ...                              kind="datetime", tz="UTC")
    >>> [str(x)[:16] for x in d], off.tolist()
    (['2024-03-10T06:00', '2024-03-10T10:00', 'NaT'], [-480.0, nan, nan])

    A header stating UTC (``Submit Date (UTC)``, Typeform): the times are UTC instants, here on
    Tehran's clock (+03:30): 20 June 21:00 UTC is 21 June 00:30, 1 Tir 1403.

    >>> d, off = date_column_offsets(["2024-06-20 21:00:00", None], "Submit Date (UTC)", kind="datetime",
    ...                              tz="Asia/Tehran", stated_offset=0)
    >>> [str(x)[:16] for x in d], off.tolist()
    (['2024-06-21T00:30', 'NaT'], [0.0, nan])
    """
    dates, off = _read_zoned(values, arg, order=order, calendar=calendar, kind=kind, open_end=open_end,
                             face="export", unit="ns", nan_blank=True, tz=tz, stated_offset=stated_offset)
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
