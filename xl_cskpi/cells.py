"""Coercion of worksheet ranges and cells: the one place where the contract's range rules live.

What a KPI function receives may be a Python scalar, a list, a list of row lists (what xlwings
delivers), a tuple, a numpy array, or a pandas Series/DataFrame. Every function normalises its
inputs here, once, at the top:

* ranges are read in row-major order, whatever their shape;
* blank cells (``None``, ``""``, whitespace; in pandas objects also ``NaN``/``NaT``/``pd.NA``,
  which is how pandas spells an empty cell) are skipped, or kept as ``NaN``/``NaT`` in *aligned*
  ranges so that rows stay together;
* numbers stored as text are read, also with Persian (۰-۹) and Arabic-Indic (٠-٩) digits, the
  Arabic decimal separator (٫), thousands separators (``,`` ``٬`` and spaces, in groups of three),
  the minus sign (−) and a trailing percent sign (``45%`` is 0.45);
* dates are ``datetime``/``date``/``pandas.Timestamp``/``numpy.datetime64``, Excel serial numbers
  (1900 date system, as Excel on Windows and the web store them) or ISO text (``2024-09-01``);
* anything else where a number is needed -- other text, booleans, NaN, infinities -- raises
  :class:`~xl_cskpi.errors.InvalidInput` naming the argument and the first offending cell.

The common case -- a range of plain numbers and blanks -- never loops in Python per cell: it goes
through ``np.array(..., dtype=float)`` with a type check on the flattened list.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
import unicodedata
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from .errors import DivisionByZero, InvalidInput, OutOfRange

__all__ = [
    "LATIN_DIGITS",
    "flatten",
    "numbers",
    "number",
    "count",
    "total",
    "datetimes",
    "texts",
    "text",
    "choice",
    "flag",
    "aligned",
    "parse_number_text",
    "serial_to_datetime64",
    "datetime_to_serial",
    "describe",
    "where",
    "fold_text",
    "fold_labels",
    "fold_label",
    "divide",
]

# --------------------------------------------------------------------------- text numbers

#: ``str.translate`` table: Persian (۰-۹) and Arabic-Indic (٠-٩) digits to 0-9; the bidi and
#: zero-width marks that exports leave around numbers and dates removed. Every reader of digits
#: (cells, calendar labels, export dates) starts from this one table.
LATIN_DIGITS: dict[int, str | None] = {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
LATIN_DIGITS.update({ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})
LATIN_DIGITS.update({0x200E: None, 0x200F: None, 0x061C: None, 0x200C: None, 0x200D: None, 0xFEFF: None})

_DIGIT_MAP = {
    **LATIN_DIGITS,
    0x066B: ".",  # ARABIC DECIMAL SEPARATOR ٫
    0x2212: "-",  # MINUS SIGN −
    0x066A: "%",  # ARABIC PERCENT SIGN ٪
}
_GROUP_SEPARATORS = ",\u066c \u00a0\u202f\u2009'"
_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_GROUPED = {
    sep: re.compile(r"[+-]?\d{1,3}(" + re.escape(sep) + r"\d{3})+(\.\d*)?")
    for sep in _GROUP_SEPARATORS
}


def parse_number_text(value: str) -> float | None:
    """Read a number stored as text; ``None`` when the text is not a number.

    >>> parse_number_text("۱۲٬۵۰۰٫۵")
    12500.5
    >>> parse_number_text(" 1,234 ")
    1234.0
    >>> parse_number_text("45%")
    0.45
    >>> parse_number_text("1,5") is None   # a comma that is not a thousands separator is ambiguous
    True
    """
    s = value.translate(_DIGIT_MAP).strip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    if not s:
        return None
    if not _PLAIN.fullmatch(s):
        seps = [c for c in _GROUP_SEPARATORS if c in s]
        if len(seps) != 1 or not _GROUPED[seps[0]].fullmatch(s):
            return None
        s = s.replace(seps[0], "")
    x = float(s)
    if not np.isfinite(x):
        return None
    return x / 100.0 if percent else x


# --------------------------------------------------------------------------- shapes


_SEQUENCES = (list, tuple, np.ndarray)


def _is_blank_text(v: Any) -> bool:
    return isinstance(v, str) and not v.strip()


def flatten(values: Any) -> tuple[list, int]:
    """Flatten a range row-major; return ``(cells, columns)``.

    ``columns`` is the width of the range (1 for a scalar, a column or a 1-D list read as a column),
    used to report an offending cell by row and column.

    >>> flatten([[1, 2], [3, None]])
    ([1, 2, 3, None], 2)
    >>> flatten(5)
    ([5], 1)
    >>> flatten([[1, 2], [3]])   # ragged rows are padded with blanks
    ([1, 2, 3, None], 2)
    """
    if isinstance(values, pd.DataFrame):
        arr = values.to_numpy(dtype=object, copy=True)
        mask = values.isna().to_numpy()
        arr[mask] = None
        return arr.ravel().tolist(), arr.shape[1]
    if isinstance(values, (pd.Series, pd.Index)):
        arr = values.to_numpy(dtype=object, copy=True)
        arr[pd.isna(values).__array__()] = None
        return arr.tolist(), 1
    if isinstance(values, np.ndarray):
        if values.ndim == 0:
            return [values.item()], 1
        cols = values.shape[-1] if values.ndim >= 2 else 1
        return values.ravel().tolist(), cols
    if isinstance(values, (list, tuple)):
        if not values:
            return [], 1
        row_types = set(map(type, values))
        if any(issubclass(t, _SEQUENCES) for t in row_types):
            rows = values if row_types <= {list, tuple} else [
                r if isinstance(r, _SEQUENCES) else [r] for r in values]
            lengths = set(map(len, rows))
            cols = max(lengths) or 1
            if len(lengths) > 1:  # a ragged list of rows: short rows end in blank cells
                rows = [list(r) + [None] * (cols - len(r)) for r in rows]
            flat = list(itertools.chain.from_iterable(rows))
            if any(issubclass(t, _SEQUENCES) for t in set(map(type, flat))):
                flat, _ = flatten(flat)
            return flat, cols
        return list(values), 1
    return [values], 1


def where(i: int, cols: int) -> str:
    """Where cell ``i`` (0-based, row-major) of a range ``cols`` wide is, for messages.

    >>> where(3, 2)
    'cell 4 (row 2, column 2)'
    """
    if cols <= 1:
        return f"cell {i + 1}"
    r, c = divmod(i, cols)
    return f"cell {i + 1} (row {r + 1}, column {c + 1})"


def describe(v: Any) -> str:
    """A short, quoted rendering of a cell value for messages."""
    if isinstance(v, str):
        shown = v if len(v) <= 40 else v[:37] + "..."
        return repr(shown)
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and np.isnan(v):
        return "NaN"
    return repr(v) if not isinstance(v, (int, float)) else f"{v:g}"


# --------------------------------------------------------------------------- numbers

_NUMERIC_TYPES = (int, float, np.integer, np.floating)
_DATE_TYPES = (_dt.date, np.datetime64, pd.Timestamp)


def _bad_number(v: Any, i: int, cols: int, arg: str) -> InvalidInput:
    if isinstance(v, bool) or isinstance(v, np.bool_):
        why = f"has a logical value ({describe(bool(v))}) in {where(i, cols)}; enter a number"
    elif isinstance(v, (float, np.floating)) and np.isnan(v):
        why = f"has NaN in {where(i, cols)}; enter a number or leave the cell blank"
    elif isinstance(v, (int, float, np.integer, np.floating)):
        why = f"has an infinite or too large number in {where(i, cols)}"
    elif isinstance(v, _DATE_TYPES):
        why = f"has a date ({v}) in {where(i, cols)} where a number is needed"
    else:
        why = f"has {describe(v)} in {where(i, cols)}, which is not a number"
    return InvalidInput(why, argument=arg)


def _slow_numbers(flat: list, cols: int, arg: str) -> np.ndarray:
    out = np.full(len(flat), np.nan)
    cache: dict[str, float | None] = {}
    for i, v in enumerate(flat):
        if v is None:
            continue
        t = type(v)
        if t is float or t is int or (isinstance(v, _NUMERIC_TYPES) and not isinstance(v, (bool, np.bool_))):
            try:
                x = float(v)
            except OverflowError:
                raise _bad_number(v, i, cols, arg) from None
            if not np.isfinite(x):
                raise _bad_number(v, i, cols, arg)
            out[i] = x
        elif t is str:
            if v in cache:
                x = cache[v]
            else:
                x = cache[v] = None if not v.strip() else parse_number_text(v)
            if x is None:
                if not v.strip():
                    continue
                raise _bad_number(v, i, cols, arg)
            out[i] = x
        else:
            raise _bad_number(v, i, cols, arg)
    return out


def _numbers_with_blanks(values: Any, arg: str) -> np.ndarray:
    """Numbers of a range, NaN where a cell is blank."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        arr = np.asarray(values, dtype=float).ravel()
        bad = ~np.isfinite(arr)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise _bad_number(arr[i], i, values.shape[-1] if values.ndim > 1 else 1, arg)
        return arr
    if isinstance(values, (pd.Series, pd.DataFrame)):
        dtypes = list(values.dtypes) if isinstance(values, pd.DataFrame) else [values.dtype]
        if all(getattr(d, "kind", "O") in "fiu" for d in dtypes):
            arr = values.to_numpy(dtype=float, na_value=np.nan).ravel()
            inf = np.isinf(arr)
            if inf.any():
                cols = values.shape[1] if values.ndim == 2 else 1
                i = int(np.flatnonzero(inf)[0])
                raise _bad_number(arr[i], i, cols, arg)
            return arr  # NaN in pandas is a blank cell
    flat, cols = flatten(values)
    types = set(map(type, flat))
    if types <= {float, int, type(None)}:
        try:
            arr = np.array(flat, dtype=float)
        except OverflowError:
            return _slow_numbers(flat, cols, arg)
        if float in types or int in types:
            nan = np.isnan(arr)
            if nan.any() and float in types:
                for i in np.flatnonzero(nan):
                    if flat[i] is not None:
                        raise _bad_number(flat[i], int(i), cols, arg)
            inf = np.isinf(arr)
            if inf.any():
                i = int(np.flatnonzero(inf)[0])
                raise _bad_number(flat[i], i, cols, arg)
        return arr
    return _slow_numbers(flat, cols, arg)


def numbers(values: Any, arg: str, *, keep_blanks: bool = False) -> np.ndarray:
    """The numbers of a range as a float array, blanks skipped (or NaN with ``keep_blanks``).

    >>> numbers([[1.0], [None], ["۳"], [" 4,000 "]], "scores").tolist()
    [1.0, 3.0, 4000.0]
    """
    arr = _numbers_with_blanks(values, arg)
    if keep_blanks:
        return arr
    return arr[~np.isnan(arr)]


def _single(values: Any, arg: str) -> Any:
    flat, _ = flatten(values)
    cells = [v for v in flat if not (v is None or _is_blank_text(v))]
    if len(cells) == 1:
        return cells[0]
    if not cells:
        raise InvalidInput("is empty; enter a value", argument=arg)
    raise InvalidInput(f"must be one cell, got a range of {len(cells)} values", argument=arg)


def number(value: Any, arg: str) -> float:
    """One number (a scalar or a one-cell range).

    >>> number([["٦٤"]], "customers_lost")
    64.0
    """
    return float(numbers([_single(value, arg)], arg)[0])


def count(value: Any, arg: str) -> float:
    """A count: one number, zero or more.

    >>> count(1000, "customers_start")
    1000.0
    """
    x = number(value, arg)
    if x < 0:
        raise OutOfRange(f"is {x:g}; a count cannot be negative", argument=arg)
    return x


def total(values: Any, arg: str, *, allow_negative: bool = False) -> float:
    """The sum of a range (or one number): spend across channels, costs across months.

    >>> total([[1000, 2000], [None, "۵۰۰"]], "sales_marketing_spend")
    3500.0
    """
    arr = numbers(values, arg)
    if arr.size == 0:
        raise InvalidInput("is empty; enter an amount or a range of amounts", argument=arg)
    if not allow_negative and (arr < 0).any():
        i = int(np.flatnonzero(arr < 0)[0])
        raise OutOfRange(f"has a negative amount ({arr[i]:g}) at value {i + 1}", argument=arg)
    return float(arr.sum())


def divide(numerator: float, denominator: float, arg: str, what: str) -> float:
    """``numerator / denominator``, or the ``#DIV/0!`` error naming the denominator's argument."""
    if denominator == 0:
        raise DivisionByZero(f"is 0; {what}", argument=arg)
    return float(numerator / denominator)


# --------------------------------------------------------------------------- dates

_EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")
_NS_PER_DAY = 86_400 * 10**9
_MAX_SERIAL = 2_958_465  # 9999-12-31, Excel's last date


def serial_to_datetime64(serials: np.ndarray) -> np.ndarray:
    """Excel 1900-system serial numbers (fractions are times of day) to ``datetime64[ns]``.

    Excel counts a 29 February 1900 that never was (serial 60); serials below 61 are shifted by
    one day so that serial 1 is 1 January 1900, as Excel shows it.

    >>> str(serial_to_datetime64(np.array([45536.5]))[0])
    '2024-09-01T12:00:00.000000000'
    """
    s = np.asarray(serials, dtype=float)
    s = np.where(s < 61, s + 1, s)
    # rounded to the millisecond, Excel's resolution: 08:00 to 11:00 is 3 hours, not 3.0000000002
    ms = np.round(s * 86_400_000).astype("int64")
    ns = (ms * 1_000_000).astype("timedelta64[ns]")
    return _EXCEL_EPOCH + ns


def datetime_to_serial(values: np.ndarray) -> np.ndarray:
    """``datetime64`` to Excel serial numbers (float days, NaN for NaT)."""
    d = np.asarray(values, dtype="datetime64[ns]")
    days = (d - _EXCEL_EPOCH) / np.timedelta64(1, "D")
    return np.where(days < 61, days - 1, days)


_ISO_DATE = re.compile(r"\d{4}[-/]\d{1,2}[-/]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?")


def _parse_date_text(v: str) -> np.datetime64 | None:
    s = v.translate(_DIGIT_MAP).strip()
    if not _ISO_DATE.fullmatch(s):
        x = parse_number_text(s)
        if x is not None and 0 < x <= _MAX_SERIAL:
            return serial_to_datetime64(np.array([x]))[0]
        return None
    try:
        ts = pd.Timestamp(s.replace("/", "-"))
    except (ValueError, OverflowError):
        return None
    return np.datetime64(ts.to_datetime64(), "ns")


_DATETIME_TYPES = {_dt.datetime, _dt.date, pd.Timestamp, type(None)}


def _python_datetimes(flat: list) -> np.ndarray:
    """A list of datetime/date/Timestamp/None (what xlwings delivers for date cells), vectorized."""
    col = pd.Series(flat, dtype=object)
    try:
        parsed = pd.to_datetime(col)
    except (ValueError, TypeError):  # time zones mixed with naive times: go one by one
        parsed = pd.to_datetime(col.map(lambda v: v.replace(tzinfo=None) if hasattr(v, "tzinfo") and v.tzinfo
                                        else v))
    if getattr(parsed.dtype, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.to_numpy(dtype="datetime64[ns]")


def datetimes(values: Any, arg: str, *, keep_blanks: bool = False) -> np.ndarray:
    """The dates of a range as ``datetime64[ns]`` (blanks skipped, or NaT with ``keep_blanks``).

    >>> import datetime as dt
    >>> [str(d)[:10] for d in datetimes([[dt.date(2024, 9, 1)], [45537.0], [None], ["2024-09-03"]], "opened_at")]
    ['2024-09-01', '2024-09-02', '2024-09-03']
    """
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        out = values.astype("datetime64[ns]").ravel()
    elif isinstance(values, (pd.Series, pd.Index)) and values.dtype.kind == "M":
        out = pd.Series(values).dt.tz_localize(None).to_numpy(dtype="datetime64[ns]") \
            if getattr(values.dtype, "tz", None) else values.to_numpy(dtype="datetime64[ns]")
    else:
        flat, cols = flatten(values)
        types = set(map(type, flat))
        if types <= {float, int, type(None)}:
            serials = _numbers_with_blanks(flat, arg)
            bad = (serials < 0) | (serials > _MAX_SERIAL)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise InvalidInput(
                    f"has {describe(flat[i])} in {where(i, cols)}, which is not an Excel date serial "
                    f"(0 to {_MAX_SERIAL})", argument=arg)
            out = serial_to_datetime64(np.nan_to_num(serials))
            out[np.isnan(serials)] = np.datetime64("NaT")
        elif types <= _DATETIME_TYPES:
            out = _python_datetimes(flat)
        else:
            out = np.full(len(flat), np.datetime64("NaT"), dtype="datetime64[ns]")
            cache: dict[str, Any] = {}
            for i, v in enumerate(flat):
                if v is None:
                    continue
                if isinstance(v, pd.Timestamp):
                    out[i] = v.tz_localize(None).to_datetime64() if v.tzinfo else v.to_datetime64()
                elif isinstance(v, _dt.datetime):
                    out[i] = np.datetime64(v.replace(tzinfo=None), "ns")
                elif isinstance(v, _dt.date):
                    out[i] = np.datetime64(v, "ns")
                elif isinstance(v, np.datetime64):
                    out[i] = v.astype("datetime64[ns]")
                elif isinstance(v, str):
                    if not v.strip():
                        continue
                    if v not in cache:
                        cache[v] = _parse_date_text(v)
                    if cache[v] is None:
                        raise InvalidInput(
                            f"has {describe(v)} in {where(i, cols)}, which is not a date; use a date "
                            "cell, an Excel serial number or YYYY-MM-DD", argument=arg)
                    out[i] = cache[v]
                elif isinstance(v, _NUMERIC_TYPES) and not isinstance(v, (bool, np.bool_)):
                    x = float(v)
                    if not (np.isfinite(x) and 0 <= x <= _MAX_SERIAL):
                        raise InvalidInput(
                            f"has {describe(v)} in {where(i, cols)}, which is not an Excel date serial",
                            argument=arg)
                    out[i] = serial_to_datetime64(np.array([x]))[0]
                else:
                    raise InvalidInput(f"has {describe(v)} in {where(i, cols)}, which is not a date",
                                       argument=arg)
    if keep_blanks:
        return out
    return out[~np.isnat(out)]


# --------------------------------------------------------------------------- text


def _cell_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        s = v.strip()
        return s or None
    if isinstance(v, (float, np.floating)):
        if not np.isfinite(v):
            return None if np.isnan(v) else str(v)
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    if isinstance(v, (_dt.datetime, pd.Timestamp)):
        return v.isoformat(sep=" ") if (v.hour or v.minute or v.second) else v.date().isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    return str(v)


def texts(values: Any, arg: str, *, keep_blanks: bool = False) -> np.ndarray:
    """The cells of a range as text (ids, statuses, labels): object array, ``None`` for blanks.

    Whole numbers lose their ``.0`` (a customer id 1001 read by Excel as 1001.0 stays "1001").

    >>> texts([[1001.0], ["  Acme "], [None]], "customer_ids").tolist()
    ['1001', 'Acme']
    """
    flat, cols = flatten(values)
    types = set(map(type, flat))
    if bool in types or np.bool_ in types:
        i = next(i for i, v in enumerate(flat) if isinstance(v, (bool, np.bool_)))
        raise InvalidInput(f"has a logical value in {where(i, cols)}; enter text or a number", argument=arg)
    # Each distinct value is rendered once (exports repeat ids and statuses); factorize hashes in C.
    codes, uniques = pd.factorize(pd.Series(flat, dtype=object), use_na_sentinel=True)
    rendered = np.empty(len(uniques) + 1, dtype=object)
    if set(map(type, uniques)) == {str}:  # the usual export: text only, stripped in one call
        rendered[:-1] = [u.strip() or None for u in uniques]
    else:
        rendered[:-1] = [_cell_text(v) for v in uniques]
    rendered[-1] = None  # code -1: None / NaN
    out = rendered[codes]
    if keep_blanks:
        return out
    return out[np.not_equal(out, None)]


def text(value: Any, arg: str) -> str:
    """One text value (a scalar or a one-cell range)."""
    return str(_cell_text(_single(value, arg)))


def choice(value: Any, arg: str, options: Sequence[str], default: str | None = None) -> str:
    """One of ``options``, case-insensitive; a blank gives ``default``.

    >>> choice("Hours", "unit", ("minutes", "hours", "days"))
    'hours'
    """
    flat, _ = flatten(value)
    cells = [v for v in flat if not (v is None or _is_blank_text(v))]
    if not cells and default is not None:
        return default
    s = text(value, arg).lower()
    if s not in options:
        raise InvalidInput(f"is {describe(s)}; use one of: " + ", ".join(f'"{o}"' for o in options),
                           argument=arg)
    return s


_TRUE = {"true", "1", "yes", "y", "درست", "بله", "صحيح", "نعم"}
_FALSE = {"false", "0", "no", "n", "نادرست", "خیر", "خطأ", "لا"}


def flag(value: Any, arg: str, default: bool) -> bool:
    """A TRUE/FALSE option: a logical, 1/0, or the words TRUE/FALSE; blank gives ``default``."""
    flat, _ = flatten(value)
    cells = [v for v in flat if not (v is None or _is_blank_text(v))]
    if not cells:
        return default
    v = _single(value, arg)
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, _NUMERIC_TYPES) and float(v) in (0.0, 1.0):
        return bool(v)
    s = str(v).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise InvalidInput(f"is {describe(v)}; use TRUE or FALSE", argument=arg)


# --------------------------------------------------------------------------- text folding
# One comparison form for text typed by people in Persian, Arabic or English: statuses,
# categories, feedback keywords.

_FOLD = {ord(a): b for a, b in {
    "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه",
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
}.items()}
_FOLD.update({ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})
_FOLD.update({ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})
# harakat and Quranic marks, superscript alef, tatweel, zero-width (non-)joiners, bidi marks,
# byte-order mark, soft hyphen: removed
for _cp in [*range(0x064B, 0x0660), 0x0670, 0x0640, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
            0x061C, 0xFEFF, 0x00AD]:
    _FOLD[_cp] = None



# the same folding as a code-point lookup table, for the vectorized path of fold_text
_LUT = np.arange(0x10000, dtype=np.uint32)
_DELETE = np.uint32(0xFFFFFFFF)
for _cp, _to in _FOLD.items():
    _LUT[_cp] = _DELETE if _to is None else ord(_to)


def fold_text_reference(values: pd.Series) -> pd.Series:
    """:func:`fold_text` with pandas str methods, one string at a time (the definition)."""
    return values.astype(object).str.normalize("NFKC").str.casefold().str.translate(_FOLD)


def fold_text(values: pd.Series) -> pd.Series:
    """Fold text for matching: NFKC, case-folded, Arabic/Persian letter variants to one form
    (ي ى -> ی, ك -> ک, ة ۀ -> ه, أ إ آ ٱ -> ا), Persian/Arabic digits to 0-9, diacritics (harakat),
    superscript alef, tatweel, zero-width and bidi characters removed. White space is left alone:
    keyword patterns match any run of white space (see :func:`_pattern`).

    Vectorized: the strings are joined with NUL separators, normalized and case-folded in one
    call, mapped through a code-point lookup table with numpy and split again -- 5x faster than
    :func:`fold_text_reference` on a million comments, and equal to it (a test checks).

    >>> fold_text(pd.Series(["كتابُ", "Price\u200cLIST", "مــيز"])).tolist()
    ['کتاب', 'pricelist', 'میز']
    """
    items = values.astype(object).tolist()
    if not items:
        return pd.Series([], index=values.index, dtype=object)
    big = "\x00".join(items)
    if big.count("\x00") != len(items) - 1:  # a NUL inside a comment: fold one by one
        return fold_text_reference(values)
    big = unicodedata.normalize("NFKC", big).casefold()
    cp = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bmp = cp < 0x10000
    cp = np.where(bmp, _LUT[np.where(bmp, cp, 0)], cp)
    cp = cp[cp != _DELETE]
    parts = cp.tobytes().decode("utf-32-le", "surrogatepass").split("\x00")
    return pd.Series(parts, index=values.index, dtype=object)


def fold_labels(values: np.ndarray) -> np.ndarray:
    """The comparison form of labels (statuses, categories): :func:`fold_text`, then white space
    removed, so "در انتظار", "در‌انتظار" (with a zero-width non-joiner) and "درانتظار" are one
    label. ``None`` stays ``None``; each distinct spelling is folded once.

    >>> fold_labels(np.array(["  Pending ", "PENDING", "پيگيري", None], dtype=object)).tolist()
    ['pending', 'pending', 'پیگیری', None]
    """
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    folded = fold_text(pd.Series(np.asarray(uniques, dtype=object).astype(str), dtype=object))
    out = np.empty(len(uniques) + 1, dtype=object)
    out[:-1] = folded.str.replace(r"\s+", "", regex=True).to_numpy(dtype=object)
    out[-1] = None
    return out[codes]


def fold_label(value: str) -> str:
    """:func:`fold_labels` of one label.

    >>> fold_label("در انتظار") == fold_label("در\u200cانتظار") == fold_label("درانتظار")
    True
    """
    return fold_labels(np.array([value], dtype=object))[0]


# --------------------------------------------------------------------------- aligned ranges


def aligned(**ranges: tuple[Any, str]) -> dict[str, np.ndarray]:
    """Coerce ranges that describe the same rows and check they have the same number of cells.

    Each keyword is ``name=(values, kind)`` with kind ``"number"``, ``"date"`` or ``"text"``.
    Blanks are kept (NaN, NaT, None) so that row *i* of every result is row *i* of the data.

    >>> r = aligned(previous_mrr=([[100], [50]], "number"), current_mrr=([[120], [None]], "number"))
    >>> r["current_mrr"].tolist()
    [120.0, nan]
    """
    coerce = {
        "number": lambda v, a: numbers(v, a, keep_blanks=True),
        "date": lambda v, a: datetimes(v, a, keep_blanks=True),
        "text": lambda v, a: texts(v, a, keep_blanks=True),
    }
    out = {name: coerce[kind](vals, name) for name, (vals, kind) in ranges.items()}
    sizes = {name: len(a) for name, a in out.items()}
    if len(set(sizes.values())) > 1:
        first, *rest = sizes.items()
        other = next((n, s) for n, s in rest if s != first[1])
        raise InvalidInput(
            f"has {first[1]} cells but {other[0]} has {other[1]}; aligned ranges must be the same size "
            "(one row per customer or ticket)", argument=first[0])
    return out


def blank_mask(arr: np.ndarray) -> np.ndarray:
    """Where an aligned array (from :func:`aligned`) is blank."""
    if arr.dtype.kind == "f":
        return np.isnan(arr)
    if arr.dtype.kind == "M":
        return np.isnat(arr)
    return np.equal(arr, None)


def require_nonempty(arr: np.ndarray | Iterable, arg: str, what: str = "a value") -> None:
    """Raise ``#DIV/0!``-kind error for an empty range (nothing to average or share)."""
    if len(arr) == 0:  # type: ignore[arg-type]
        raise DivisionByZero(f"has no values; enter at least {what}", argument=arg)
