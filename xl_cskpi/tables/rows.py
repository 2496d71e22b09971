"""Row-level readers shared by the tables: each range of an export is coerced *once*.

Every reader goes through :mod:`xl_cskpi.cells` -- the one reader of dates and numbers, with its
one-decision-per-column rules -- on the *distinct* values only (an export of a million rows usually
holds a few thousand customers and a dozen months; a column's decisions, such as day-first or
month-first text dates, depend only on its distinct values) and maps the result back to the rows
with numpy; an error names the row of the export. Used by MRR movements, cohorts, period churn and
subscriptions; a new row-level table uses them too.
"""

from __future__ import annotations

import re
from typing import Any, Callable

import numpy as np
import pandas as pd

from .. import calendars, cells
from ..errors import InvalidInput, KPIError, NotAvailable, OutOfRange
from .identity import identity_groups, identity_slots

__all__ = [
    "MAX_MONTHS", "row_where", "flat_ranges", "raw_ranges", "RawFlat", "row_values", "row_codes", "row_slots",
    "row_periods",
    "row_numbers", "row_dates", "sorted_unique", "check_aligned", "check_rows", "check_span",
]

#: Widest span of months a table accepts (a century): beyond, a year is almost surely mistyped.
MAX_MONTHS = 1200

_MONTH_LABEL = re.compile(r"\s*\d{4}\s*[-/.]\s*\d{1,2}\s*")  # \d also matches Persian/Arabic digits


def row_where(i: int, cols: int) -> str:
    """Where cell ``i`` of a range is: "row N" in a one-column range, else as :func:`xl_cskpi.cells.where`."""
    return f"row {i + 1}" if cols <= 1 else cells.where(i, cols)


def row_values(values: Any) -> tuple[np.ndarray, int]:
    """Flatten a range row-major into a 1-D array (object, float or datetime64) and its width.

    Typed numpy/pandas data stays typed (a datetime column stays ``datetime64``); anything else
    becomes an object array of the cells as given.
    """
    if isinstance(values, (pd.Series, pd.Index)) and getattr(values.dtype, "tz", None) is not None:
        values = pd.Series(values).dt.tz_localize(None)  # wall-clock time, as cells.datetimes reads it
    if isinstance(values, (np.ndarray, pd.Series, pd.Index)) and values.dtype.kind in "Mfiu":
        arr = np.asarray(values)
        cols = arr.shape[-1] if arr.ndim >= 2 else 1
        if arr.dtype.kind == "M":  # any unit; row_dates checks the range before going to ns
            return arr.ravel(), cols
        if isinstance(values, np.ndarray):  # numpy NaN is invalid (cells' rule), pandas NaN is blank
            return arr.ravel().astype(object), cols
        return arr.astype(float).ravel(), cols
    if isinstance(values, (pd.Series, pd.Index)):  # text or mixed column: one copy, NA as None
        return pd.Series(values).to_numpy(dtype=object, na_value=None), 1
    flat, cols = cells.flatten(values)
    arr = np.empty(len(flat), dtype=object)
    arr[:] = flat
    return arr, cols


def flat_ranges(**ranges: Any) -> dict[str, tuple[np.ndarray, int]]:
    """:func:`row_values` of each range, after checking they have the same number of cells."""
    flat = {name: row_values(values) for name, values in ranges.items()}
    check_aligned({name: len(arr) for name, (arr, _) in flat.items()})
    return flat


class RawFlat(tuple):
    """``(arr, 1)`` for a pandas column taken as it came, without a pass over its cells.

    ``arr`` is the column's object array, whose blanks are any of pandas' missing markers (None,
    NaN, ``pd.NA``, NaT), or a :class:`pandas.Categorical`, or a pyarrow string array (pandas'
    ``string[pyarrow]``/``str`` dtype). Touching every Python object of a column costs a cache miss
    per cell when the rows are not sorted by that column, so a column whose values are hashed
    anyway (:func:`row_codes`, :func:`row_periods`, :func:`row_dates`) is not first copied with
    its blanks turned into None: those readers see pandas' markers as blanks while hashing.
    :func:`row_numbers` turns the markers into None itself.
    """


def _is_arrow_text(dtype: Any) -> bool:
    if isinstance(dtype, pd.StringDtype):
        return dtype.storage == "pyarrow"
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        return pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)
    return False


def _raw(values: Any) -> tuple:
    if isinstance(values, (pd.Series, pd.Index)):
        dtype = values.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            return RawFlat((pd.Categorical(values), 1))
        if _is_arrow_text(dtype):
            import pyarrow as pa

            arr = pa.array(values.array)
            return RawFlat((arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr, 1))
        if dtype == object:
            return RawFlat((np.asarray(values, dtype=object), 1))
    return row_values(values)


def raw_ranges(**ranges: Any) -> dict[str, tuple[Any, int]]:
    """As :func:`flat_ranges`, but pandas text, categorical and object columns are taken as they
    are (:class:`RawFlat`): for readers that hash the column anyway (ids, dates, months)."""
    flat = {name: _raw(values) for name, values in ranges.items()}
    check_aligned({name: len(arr) for name, (arr, _) in flat.items()})
    return flat


def _plain(flat: tuple) -> tuple[np.ndarray, int]:
    """A :class:`RawFlat` as :func:`row_values` gives it: an object array with None for blanks."""
    if not isinstance(flat, RawFlat):
        return flat
    arr, cols = flat
    if isinstance(arr, np.ndarray):
        return pd.Series(arr, dtype=object, copy=False).to_numpy(dtype=object, na_value=None), cols
    if isinstance(arr, pd.Categorical):
        return pd.Series(arr).to_numpy(dtype=object, na_value=None), cols
    return np.asarray(arr.to_pandas(), dtype=object), cols  # pyarrow: nulls are None


def row_numbers(flat: tuple[np.ndarray, int], arg: str) -> np.ndarray:
    """:func:`xl_cskpi.cells.numbers` of a flattened range (NaN for blanks), errors naming the row."""
    arr, cols = _plain(flat)
    # only pandas data stays float here (its NaN is a blank cell); object cells keep their layout
    source = pd.Series(arr) if arr.dtype.kind == "f" else arr.reshape(-1, cols) if cols > 1 else arr
    try:
        return cells.numbers(source, arg, keep_blanks=True)
    except KPIError as e:
        if cols == 1:
            e.reason = re.sub(r"\bcell (\d+)\b", r"row \1", e.reason)
            e.args = (e.message,)
        raise


#: Object columns at least this long are factorized by object identity first (see :func:`_factorize`).
IDENTITY_MIN_ROWS = 50_000


def _factorize_clean(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool | None]:
    """:func:`_factorize`, and whether the distinct values are clean text ids (:func:`_texts_are_clean`)
    when that was found on the way (else ``None``)."""
    if not (len(arr) >= IDENTITY_MIN_ROWS and arr.dtype == object and arr.ndim == 1
            and arr.flags.c_contiguous and np.dtype(np.uintp).itemsize == arr.itemsize):
        return (*cells.factorize(arr), None)
    codes, first_rows = identity_groups(arr)
    if len(first_rows) > len(arr) // 2:  # each cell its own object (a list from Excel): by value
        return (*cells.factorize(arr), None)
    objects = arr[first_rows]
    values = objects.tolist()
    try:
        joined = "\x00".join(values)  # text only (else TypeError), and whether it is clean
    except TypeError:
        joined = None
    if joined is not None and len(set(values)) == len(values):
        # text only, no two objects equal: the objects are the values (a set compares whole
        # strings, NUL characters too, as cells.factorize does)
        return codes, objects, _texts_are_clean(objects, joined=joined)
    vcodes, uniques = cells.factorize(objects)  # equal but distinct objects, blanks: merged here
    return vcodes[codes], uniques, None


def _factorize(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pandas.factorize(arr)``: codes numbering the distinct values in order of first appearance
    (``-1`` for pandas' missing markers) and the values, each the first cell holding it.

    A long object column is factorized by *identity* first: readers give each distinct text one
    Python object (``pandas.read_csv`` and pyarrow point every repeat of an id at the object made
    for its first appearance), so the column's cell addresses, counted as integers without reading
    the objects, already group it (:func:`xl_cskpi.tables.identity.identity_groups`); only one
    object per address is then read (objects that are equal but distinct, and blanks, are merged
    there). Reading every object of a column whose rows are not sorted by it costs a cache miss
    per cell; this reads each distinct object once. Same codes and values as the direct call,
    whatever the column holds.
    """
    codes, uniques, _ = _factorize_clean(arr)
    return codes, uniques


def _first_rows(codes: np.ndarray, n: int) -> np.ndarray:
    """The first row holding each of ``n`` distinct values."""
    first_rows = np.full(n, np.iinfo(np.int64).max)
    valid = codes >= 0
    np.minimum.at(first_rows, codes[valid], np.flatnonzero(valid))
    return first_rows


def _convert_uniques(uniques: np.ndarray, codes: np.ndarray, cols: int, arg: str,
                     convert: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``convert(uniques)``; when it fails, the error names the *rows* holding the bad values.

    Errors of :mod:`xl_cskpi.cells` carry ``.position`` (an index into ``uniques``) and say
    "cell N": each such cell becomes the first row holding that value. An error without a position
    (a calendar's range) is found by converting the values one by one, in row order.
    """
    try:
        return convert(uniques)
    except KPIError as first_error:
        first_rows = _first_rows(codes, len(uniques))
        position = getattr(first_error, "position", None)
        if position is not None:
            def row(m: re.Match) -> str:
                k = int(m.group(1)) - 1
                return row_where(int(first_rows[k]), cols) if 0 <= k < len(uniques) else m.group(0)
            error = type(first_error)(re.sub(r"\bcell (\d+)\b", row, first_error.reason),
                                      argument=first_error.argument or arg)
            error.position = int(first_rows[position])  # type: ignore[attr-defined]
            error.positions = [int(first_rows[p]) for p in  # type: ignore[attr-defined]
                               getattr(first_error, "positions", [position])]
            error.value = getattr(first_error, "value", None)  # type: ignore[attr-defined]
            raise error from None
        for k in np.argsort(first_rows, kind="stable"):
            try:
                convert(uniques[k:k + 1])
            except KPIError as e:
                reason = re.sub(r"\bcell 1\b", row_where(int(first_rows[k]), cols), e.reason, count=1)
                error = type(e)(reason, argument=arg)
                error.position = int(first_rows[k])  # type: ignore[attr-defined]
                raise error from None
        raise first_error


def _texts_are_clean(uniques: np.ndarray, joined: str | None = None) -> bool:
    """All distinct ids are non-empty text without surrounding blanks (``cells.texts`` keeps them as
    they are): one C-level join and one regular-expression scan instead of a strip per id.
    ``joined``: ``"\\x00".join(uniques.tolist())`` when the caller has it."""
    if not len(uniques):
        return True
    if joined is None:
        try:
            joined = "\x00".join(uniques.tolist())
        except TypeError:  # a number, a date: cells.texts renders it
            return False
    if not joined or "\x00\x00" in joined or joined[0] == "\x00" or joined[-1] == "\x00":
        return False  # an empty id
    words = joined.split(None, 1)
    if len(words) == 1 and len(words[0]) == len(joined):
        return True  # no blank anywhere (split scans in C, much faster than the expression)
    return _UNCLEAN.search(joined) is None


# an empty id (two separators in a row, or one at either end) or blanks next to a separator or an end;
# a \x00 inside an id only sends the column the long, exact way
_UNCLEAN = re.compile(r"\A(?:\x00|\Z|\s)|\x00(?:\x00|\s|\Z)|\s(?:\x00|\Z)")


def _codes_of(arr: Any) -> tuple[np.ndarray, np.ndarray, bool | None]:
    """Integer codes (-1 for blanks) and the distinct values of a flattened or raw column, and
    whether those are clean text ids when that was found on the way (else ``None``)."""
    if isinstance(arr, pd.Categorical):
        return np.asarray(arr.codes, dtype=np.int64), np.asarray(arr.categories, dtype=object), None
    if not isinstance(arr, np.ndarray):  # pyarrow text: hashed on its own buffers, in C++
        enc = arr.dictionary_encode()
        codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
        return codes, np.asarray(enc.dictionary.to_pylist(), dtype=object), None
    return _factorize_clean(arr)


def row_codes(flat: tuple[np.ndarray, int], arg: str, *, ignore: Any = None
              ) -> tuple[np.ndarray, np.ndarray, int]:
    """Customer ids as integer codes (``-1`` for a blank cell), the distinct ids, and the width.

    Ids are read as :func:`xl_cskpi.cells.texts` reads them, so ``1001``, ``1001.0`` and ``" 1001 "``
    are the same customer. Codes number the distinct ids in an order that depends on the rows'
    order; the tables only count with them. Cells holding the object ``ignore`` (a marker put there
    by the registry for another segment's rows) get the code ``-2`` and are no id.
    """
    arr, cols = flat
    codes, uniques, clean = _codes_of(arr)
    if clean or (clean is None and _texts_are_clean(uniques)):  # the usual export: clean text ids
        return codes, uniques, cols
    if ignore is not None:
        at = [i for i, u in enumerate(uniques.tolist()) if u is ignore]
        if at:
            j = at[0]
            codes = np.where(codes == j, -2, codes - (codes > j))
            uniques = np.delete(uniques, j)
    if _texts_are_clean(uniques):  # the usual export: clean text ids, nothing to merge
        return codes, uniques, cols
    text = _convert_uniques(uniques, codes, cols, arg,
                            lambda u: cells.texts(u, arg, keep_blanks=True))
    blank = np.equal(text, None)
    tcodes, tuniques = cells.factorize(np.where(blank, None, text))
    mapping = np.asarray(tcodes, dtype=np.int64)
    out = np.where(codes >= 0, mapping[np.maximum(codes, 0)] if len(mapping) else -1, codes)  # -1, -2 stay
    return out, np.asarray(tuniques, dtype=object), cols


def row_slots(flat: tuple[Any, int]) -> tuple[np.ndarray, int, np.ndarray] | None:
    """Customer ids grouped by identity only, for tables that count per customer (cohorts): each
    row's slot (int64, a customer's index in a table with gaps), the table's size, and the slots
    that hold a customer (ascending); ``None`` unless :func:`row_codes` would find the usual export
    there -- a long column of reader-made objects (:func:`_factorize`), all clean text ids
    (:func:`_texts_are_clean`), no two equal -- whose every object is then one customer, no blank.

    The same grouping as :func:`row_codes` without numbering the customers in order of first
    appearance: that numbering is a gather of every row from a table of a few megabytes, a cache
    miss per row when the rows are not sorted by customer. Here the objects are found by one
    scattered write per row into the table (any row of each slot)."""
    arr, _ = flat
    if not (isinstance(arr, np.ndarray) and len(arr) >= IDENTITY_MIN_ROWS and arr.dtype == object
            and arr.ndim == 1 and arr.flags.c_contiguous and np.dtype(np.uintp).itemsize == arr.itemsize):
        return None
    slots = identity_slots(arr)
    if slots is None:
        return None
    slot, size = slots
    n = len(arr)
    small = np.int32 if n < 2**31 - 1 else np.int64
    row_of = np.full(size, -1, dtype=small)
    row_of[slot] = np.arange(n, dtype=small)  # a row of each object (every row of a slot holds it)
    held = np.flatnonzero(row_of >= 0)
    if len(held) > n // 2:  # each cell its own object (a list from Excel): by value
        return None
    objects = arr[row_of[held]]
    del row_of
    values = objects.tolist()
    try:
        joined = "\x00".join(values)  # text only (else TypeError)
    except TypeError:
        return None
    if len(set(values)) != len(values) or not _texts_are_clean(objects, joined=joined):
        return None  # equal but distinct objects, blanks, ids to clean: row_codes merges them
    return slot, size, held


def row_dates(flat: tuple[np.ndarray, int], arg: str, *, calendar: str = "gregorian",
              open_end: bool = False) -> np.ndarray:
    """:func:`xl_cskpi.cells.datetimes` of a flattened range (``NaT`` for blanks), computed on the
    distinct values (the column's text-date order is decided from them all); errors name the row.

    ``calendar`` reads year-1300-1499 text (``1403/06/11``) as Jalali or Hijri; ``open_end`` reads
    an end date past 2262-04-11 (9999-12-31, "no end") as ``NaT``, still open.
    """
    if isinstance(flat, RawFlat) and not isinstance(flat[0], np.ndarray):
        flat = _plain(flat)
    arr, cols = flat
    if arr.dtype.kind == "M":
        try:
            return cells.datetimes(arr, arg, keep_blanks=True, open_end=open_end)
        except KPIError as e:
            if cols == 1:
                e.reason = re.sub(r"\bcell (\d+)\b", r"row \1", e.reason)
                e.args = (e.message,)
            raise
    codes, uniques = _factorize(arr)
    converted = _convert_uniques(uniques, codes, cols, arg,
                                 lambda u: cells.datetimes(list(u), arg, keep_blanks=True, calendar=calendar,
                                                           open_end=open_end))
    out = np.full(len(arr), np.datetime64("NaT"), dtype="datetime64[ns]")
    valid = codes >= 0
    out[valid] = converted[codes[valid]]
    return out


def _day_periods(dates: np.ndarray, period: str, calendar: str, arg: str) -> np.ndarray:
    """:func:`xl_cskpi.calendars.period_ordinals` of a long date column, computed once per calendar
    day between its first and last day (an export of millions of rows spans a few thousand days)."""
    if len(dates) <= 4096 or dates.dtype != np.dtype("datetime64[ns]"):
        return calendars.period_ordinals(dates, period, calendar, arg=arg)
    ns = dates.view(np.int64)
    valid = ns != calendars.NAT_ORDINAL  # NaT is int64 min
    days = ns // (86_400 * 10**9)  # floor: the calendar day, before 1970 too
    if not valid.any():
        return calendars.period_ordinals(dates, period, calendar, arg=arg)
    lo = int(days.min(where=valid, initial=np.iinfo(np.int64).max))
    hi = int(days.max(where=valid, initial=np.iinfo(np.int64).min))
    if hi - lo >= len(days) // 4:
        return calendars.period_ordinals(dates, period, calendar, arg=arg)
    per_day = calendars.period_ordinals(np.arange(lo, hi + 1, dtype=np.int64).astype("datetime64[D]"), period,
                                        calendar, arg=arg)
    days -= lo
    np.clip(days, 0, hi - lo, out=days)  # NaT rows read day 0 here and are put back below
    ords = per_day[days]
    ords[~valid] = calendars.NAT_ORDINAL
    return ords


def _label_mask(uniques: np.ndarray) -> np.ndarray:
    return np.fromiter((isinstance(u, str) and _MONTH_LABEL.fullmatch(u) is not None for u in uniques),
                       dtype=bool, count=len(uniques))


def _distinct_days(dates: np.ndarray) -> np.ndarray:
    """The distinct calendar days (int64 days since 1970, sorted) of a datetime64 array, NaT left out;
    one counting pass when the days span less than the rows (a long export), else a sort."""
    ns = np.asarray(dates).astype("datetime64[ns]").view(np.int64).ravel()
    ns = ns[ns != calendars.NAT_ORDINAL]
    if not ns.size:
        return ns
    days = ns // (86_400 * 10**9)
    lo, hi = int(days.min()), int(days.max())
    if hi - lo < max(len(days), 4096):
        return np.flatnonzero(np.bincount(days - lo, minlength=hi - lo + 1)).astype(np.int64) + lo
    return np.unique(days)


def check_monthly_rows(dates: np.ndarray, calendar: str, arg: str) -> None:
    """Refuse Gregorian monthly rows counted in the months of another calendar when they do not line up.

    A table with one date per Gregorian month (a customer-month MRR export dated on the 1st, or on
    each month's invoice day) counted in Hijri months: Hijri months are 29-30 days, so about one in
    33 holds two of the dates (a customer's MRR of both months summed: doubled) and the one before or
    after holds none (everyone read as churned and back). Jalali months mostly line up, and a table
    dated in the calendar's own months does by construction; either passes. Rows with several dates
    in a Gregorian month are dated events (logins, invoices, tickets): they pass too.
    """
    if calendar == "gregorian":
        return
    days = _distinct_days(dates)
    if len(days) < 2:
        return
    fit = calendars.month_fit(days, calendar, arg=arg)
    if not fit.monthly or fit.aligned:
        return  # dated events (several dates in a Gregorian month), or months that line up
    d = days.astype("datetime64[D]")
    parts = []
    if fit.shared:
        label, (a, b) = fit.shared[0][0], fit.shared[0][1][:2]
        parts.append(f"{np.datetime64(a, 'D')} and {np.datetime64(b, 'D')} fall in the same {calendar} month "
                     f"{label} (a customer's two months would be summed)")
    if fit.skipped:
        parts.append(f"{fit.skipped[0]} holds none of them (read as a month without any value)")
    last = calendars.ordinal_labels(calendars.period_ordinals(d[-1:], "month", calendar), "month", calendar)
    raise InvalidInput(
        f"holds one date per Gregorian month ({d[0]}, {d[1]}, ...), which do not line up with {calendar} "
        f"months: {'; '.join(parts)}; give {calendar} month labels such as "
        f"\"{last[0]}\" or dates within the {calendar} "
        f"months, or count Gregorian months (calendar \"gregorian\")", argument=arg)


def row_periods(flat: tuple[np.ndarray, int], arg: str, period: str, calendar: str, *,
                allow_labels: bool = True, monthly_rows: bool = False) -> tuple[np.ndarray, np.ndarray, int]:
    """Period ordinals of a range of dates or month labels; ``blank`` mask; width.

    * numbers are Excel serial dates, date cells are dates, ISO text (``2024-09-01``) is a date:
      each is placed in its period of ``calendar`` (:func:`xl_cskpi.calendars.period_ordinals`);
    * text shaped ``YYYY-MM`` (``"2024-09"``, ``"1403-06"``, ``"۱۴۰۳-۰۶"``) is a month label, read by
      :func:`xl_cskpi.calendars.label_ordinals` (only when ``period`` is ``"month"``).

    A range mixing labels and dates is refused: a label carries its own calendar, a date does not.
    ``monthly_rows`` (a table of one row per customer and month, such as an MRR export): dates one per
    Gregorian month that do not line up with the months of ``calendar`` are refused
    (:func:`check_monthly_rows`) instead of being summed into one month and missing from the next.
    """
    if isinstance(flat, RawFlat) and not isinstance(flat[0], np.ndarray):
        flat = _plain(flat)
    arr, cols = flat
    check = monthly_rows and period == "month" and calendar != "gregorian"
    if arr.dtype.kind == "M":
        dates = row_dates(flat, arg)
        if check:
            check_monthly_rows(dates, calendar, arg)
        ords = _day_periods(dates, period, calendar, arg)
        return ords, ords == calendars.NAT_ORDINAL, cols
    codes, uniques = _factorize(arr)
    labels = _label_mask(uniques) if (allow_labels and period == "month") else np.zeros(len(uniques), bool)
    blank_text = np.fromiter((isinstance(u, str) and not u.strip() for u in uniques), dtype=bool,
                             count=len(uniques))
    dates = ~labels & ~blank_text
    if labels.any() and dates.any():
        first = lambda m: int(np.flatnonzero(np.isin(codes, np.flatnonzero(m)))[0])  # noqa: E731
        i, j = first(labels), first(dates)
        try:
            cells.datetimes([arr[j]], arg, calendar=calendar)
        except KPIError:
            raise InvalidInput(f"has {cells.describe(arr[j])} in {row_where(j, cols)}, which is neither a "
                               'month label such as "2024-09" nor a date', argument=arg) from None
        raise InvalidInput(
            f"mixes month labels ({cells.describe(arr[i])} in {row_where(i, cols)}) and dates "
            f"({cells.describe(arr[j])} in {row_where(j, cols)}); use one kind for the whole range",
            argument=arg)
    uord = np.full(len(uniques), calendars.NAT_ORDINAL, dtype=np.int64)
    if labels.any():
        uord = _convert_uniques(uniques, codes, cols, arg,
                                lambda u: calendars.label_ordinals(u, "month", calendar, arg=arg))
    elif dates.any():
        d = _convert_uniques(uniques, codes, cols, arg,
                             lambda u: cells.datetimes(list(u), arg, keep_blanks=True, calendar=calendar))
        if check:
            check_monthly_rows(d, calendar, arg)  # NaT (blank text) is left out there
        uord = _convert_uniques(d, codes, cols, arg,
                                lambda u: calendars.period_ordinals(u, period, calendar, arg=arg))
    uord = np.where(blank_text, calendars.NAT_ORDINAL, uord) if len(uord) else uord
    ords = np.where(codes >= 0, uord[np.maximum(codes, 0)] if len(uord) else 0, calendars.NAT_ORDINAL)
    return ords, ords == calendars.NAT_ORDINAL, cols


def sorted_unique(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values of an int64 array and the index of each element's value among them.

    A sort, not ``np.unique``: numpy 2.4 answers ``np.unique`` without ``return_inverse`` with a
    hash table that is ten times slower on a million keys.
    """
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    inverse = np.empty(len(key), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def check_aligned(sizes: dict[str, int]) -> None:
    """Aligned ranges must have the same number of cells (one row per customer or event)."""
    first, *rest = sizes.items()
    for name, n in rest:
        if n != first[1]:
            raise InvalidInput(
                f"has {n} cells but {first[0]} has {first[1]}; the ranges must be the same size "
                "(one row of the export each)", argument=name)


def check_rows(blanks: dict[str, np.ndarray], cols: int, required: tuple[str, ...]) -> np.ndarray:
    """Rows to keep: a row blank in every range is skipped; a row blank only in a required range
    is invalid. Returns the keep mask; raises :class:`NotAvailable` when no row is left."""
    names = list(blanks)
    all_blank = np.logical_and.reduce([blanks[n] for n in names])
    for name in required:
        partial = blanks[name] & ~all_blank
        if partial.any():
            i = int(np.flatnonzero(partial)[0])
            others = ", ".join(n for n in names if n != name and not blanks[n][i])
            raise InvalidInput(f"is blank in {row_where(i, cols)} where {others} is filled; fill it or "
                               "clear the whole row", argument=name)
    keep = ~all_blank
    if not keep.any():
        raise NotAvailable("has no rows; select the rows of the export", argument=names[0])
    return keep


def check_span(ords: np.ndarray, arg: str, period: str, calendar: str, limit: int) -> tuple[int, int]:
    lo, hi = int(ords.min()), int(ords.max())
    if hi - lo + 1 > limit:
        first, last = calendars.ordinal_labels([lo, hi], period, calendar, arg=arg).tolist()
        raise OutOfRange(f"spans {hi - lo + 1} {period}s ({first} to {last}), more than {limit}; "
                         "check for a mistyped year or use a longer period", argument=arg)
    return lo, hi
