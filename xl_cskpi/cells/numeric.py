"""Numbers: number text (local digits, separators, currencies, accounting negatives), ranges of
numbers (:func:`numbers`, :func:`number`, :func:`count`, :func:`total`, :func:`divide`) and export
columns of numbers (:func:`number_column`).

The range rules themselves are in :mod:`xl_cskpi.cells`.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DivisionByZero, InvalidInput, KPIError, OutOfRange
from .marks import (STRICT_KINDS, arabic_marks as _arabic_marks, column_marks, percent_points as _percent_points,
                    undecided_cell_reason, undecided_reason, worksheet_arabic_marks as _worksheet_arabic_marks)
from .shapes import (_DATE_TYPES, factorize, _NONE, _NUMERIC_TYPES, _first_bool, _in_whole_range, _located, _single,
                     describe, flatten, where)


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
# with a decimal comma the Arabic decimal separator is still the decimal mark (``۱۲٫۵`` is 12.5 in
# either convention: it is no dot)
_DIGIT_MAP_DC = {**_DIGIT_MAP, 0x066B: ","}
_GROUP_SEPARATORS = ",\u066c \u00a0\u202f\u2009'"
_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_GROUPED = {
    sep: re.compile(r"[+-]?[1-9]\d{0,2}(" + re.escape(sep) + r"\d{3})+(\.\d*)?")
    for sep in _GROUP_SEPARATORS
}
# decimal comma (``decimal=","``): "99,00", "99.000,00", "1 234,5"; the dot is a thousands separator
_DC_GROUP_SEPARATORS = ".\u066c \u00a0\u202f\u2009'"
_DC_PLAIN = re.compile(r"[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?")
_DC_GROUPED = {
    sep: re.compile(r"[+-]?[1-9]\d{0,2}(" + re.escape(sep) + r"\d{3})+(,\d*)?")
    for sep in _DC_GROUP_SEPARATORS
}

#: Currency symbols and codes read around a number (``$1,200``, ``1,200 USD``, ``۱۲۰۰ تومان``), and
#: the currency each stands for: a range or column that mixes two currencies is refused, never summed.
#: ``﷼``/``ريال`` (rial) are not tied to one country, so they are their own currency here.
CURRENCIES: dict[str, str] = {
    "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "¥": "JPY", "jpy": "JPY", "₹": "INR", "inr": "INR", "₺": "TRY", "try": "TRY", "₽": "RUB",
    "rub": "RUB", "chf": "CHF", "cad": "CAD", "ca$": "CAD", "c$": "CAD", "aud": "AUD", "a$": "AUD",
    "au$": "AUD", "cny": "CNY", "rmb": "CNY", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "pln": "PLN",
    "brl": "BRL", "r$": "BRL", "mxn": "MXN", "zar": "ZAR", "sgd": "SGD", "hkd": "HKD", "nzd": "NZD",
    "krw": "KRW", "₩": "KRW", "pkr": "PKR", "egp": "EGP", "ج.م": "EGP", "ج.م.": "EGP",
    "irr": "IRR", "ریال": "IRR", "irt": "IRT", "تومان": "IRT", "تومن": "IRT",
    "sar": "SAR", "ر.س": "SAR", "ر.س.": "SAR", "aed": "AED", "د.إ": "AED", "د.إ.": "AED", "درهم": "AED",
    "qar": "QAR", "ر.ق": "QAR", "kwd": "KWD", "د.ك": "KWD", "omr": "OMR", "ر.ع": "OMR",
    "ر.ع.": "OMR", "bhd": "BHD", "د.ب": "BHD", "jod": "JOD", "د.ا": "JOD", "iqd": "IQD", "د.ع": "IQD",
    "﷼": "rial", "ريال": "rial",
}
_CURRENCY_TOKENS = sorted(CURRENCIES, key=len, reverse=True)  # longest first: "us$" before "$"
_PREFIX = re.compile("(" + "|".join(re.escape(t) for t in _CURRENCY_TOKENS) + r")\s*", re.IGNORECASE)
_SUFFIX = re.compile(r"\s*(" + "|".join(re.escape(t) for t in _CURRENCY_TOKENS) + r")$", re.IGNORECASE)


def _core_number(s: str, decimal: str) -> float | None:
    """A bare number (sign, digits, separators, exponent) in the chosen decimal convention."""
    if decimal == ",":
        if _DC_PLAIN.fullmatch(s):
            return float(s.replace(",", "."))
        seps = [c for c in _DC_GROUP_SEPARATORS if c in s]
        if len(seps) != 1 or not _DC_GROUPED[seps[0]].fullmatch(s):
            return None
        return float(s.replace(seps[0], "").replace(",", "."))
    if _PLAIN.fullmatch(s):
        return float(s)
    seps = [c for c in _GROUP_SEPARATORS if c in s]
    if len(seps) != 1 or not _GROUPED[seps[0]].fullmatch(s):
        return None
    return float(s.replace(seps[0], ""))


def read_number_text(value: str, decimal: str = ".") -> tuple[float | None, str | None, str]:
    """Read a number stored as text: ``(number, currency, why)``.

    ``number`` is ``None`` when the text is not a number, and ``why`` then says why in words
    ("is not a number", "is too large"); ``currency`` is the ISO code of a currency symbol or code
    written around the number (``None`` when there is none). Read, in this order:

    * Persian/Arabic digits, bidi marks, the Arabic decimal separator and the minus sign (−);
    * an accounting negative: ``(123)`` or ``123-`` is -123;
    * one currency symbol or code before or after the number (:data:`CURRENCIES`), also inside
      the parentheses or after a sign (``-$5``, ``$(5)``);
    * a trailing percent sign (``45%`` is 0.45);
    * thousands separators in groups of three; with ``decimal="."`` a comma is only a thousands
      separator (``1,5`` is refused, never guessed), with ``decimal=","`` the comma is the decimal
      mark and a dot only a thousands separator (``99.000,00`` is 99000).

    Infinite, NaN or overflowing text (``inf``, ``1e999``, 400 digits) is not a number.

    >>> read_number_text("$1,200")
    (1200.0, 'USD', '')
    >>> read_number_text("(۱۲۰۰) تومان")
    (-1200.0, 'IRT', '')
    >>> read_number_text("99.000,00", decimal=",")
    (99000.0, None, '')
    >>> read_number_text("1e999")
    (None, None, 'is too large to be a number')
    """
    s = value.translate(_DIGIT_MAP_DC if decimal == "," else _DIGIT_MAP).strip()
    if decimal == "." and _PLAIN.fullmatch(s):  # the common case: a plain number
        x = float(s)
        return (x, None, "") if np.isfinite(x) else (None, None, "is too large to be a number")
    negative = False
    currency = None
    changed = True
    while changed:  # "(1,200 USD)", "USD (1,200)", "-$5", "$(5)": parentheses and currency in any order
        changed = False
        if not negative and len(s) > 2 and s[0] == "(" and s[-1] == ")":
            negative, s, changed = True, s[1:-1].strip(), True
        if currency is None:
            signed = s[:1] in ("+", "-")
            m = _PREFIX.match(s, 1 if signed else 0)
            if m is not None and m.end() < len(s):
                currency, changed = CURRENCIES[m.group(1).lower()], True
                s = (s[0] if signed else "") + s[m.end():]
                continue
            m = _SUFFIX.search(s)
            if m is not None and m.start() > 0:
                currency, s, changed = CURRENCIES[m.group(1).lower()], s[:m.start()].rstrip(), True
    s = s.strip()
    if s.endswith("-") and not negative and s[:1] not in ("+", "-"):  # accounting: "123-"
        negative, s = True, s[:-1].rstrip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
        if currency is not None:
            return None, None, "is not a number (a currency and a percent sign)"
    if not s or (negative and s[:1] in ("+", "-")):
        return None, None, "is not a number"
    x = _core_number(s, decimal)
    if x is None:
        if decimal == "." and _core_number(s, ",") is not None:    # 1,5  0,925  1.200,50  1.200.000
            return None, None, ("is not a number with a decimal point (a decimal comma, or dots between "
                                "thousands? pass --decimal , for the column)")
        if decimal == "," and _core_number(s, ".") is not None:    # 99.5  0.500  1,200.50
            return None, None, "is not a number with a decimal comma (it has a decimal point)"
        low = s.lower().lstrip("+-")
        if low in ("inf", "infinity", "nan"):
            return None, None, f"is {'NaN' if low == 'nan' else 'infinite'}, not a number"
        return None, None, "is not a number"
    if not np.isfinite(x):
        return None, None, "is too large to be a number"
    if negative:
        x = -x
    return (x / 100.0 if percent else x), currency, ""


def parse_number_text(value: str, decimal: str = ".") -> float | None:
    """Read a number stored as text; ``None`` when the text is not a number (see
    :func:`read_number_text`, which also gives the currency and the reason).

    >>> parse_number_text("۱۲٬۵۰۰٫۵")
    12500.5
    >>> parse_number_text(" 1,234 ")
    1234.0
    >>> parse_number_text("45%")
    0.45
    >>> parse_number_text("1,5") is None   # a comma that is not a thousands separator is ambiguous
    True
    >>> parse_number_text("(1,200.50)"), parse_number_text("1,200 USD"), parse_number_text("123-")
    (-1200.5, 1200.0, -123.0)
    """
    return read_number_text(value, decimal)[0]



# --------------------------------------------------------------------------- numbers


def _bad_number(v: Any, i: int, cols: int, arg: str, why: str = "") -> InvalidInput:
    if isinstance(v, bool) or isinstance(v, np.bool_):
        why = f"has a logical value ({describe(bool(v))}) in {where(i, cols)}; enter a number"
    elif isinstance(v, (float, np.floating)) and np.isnan(v):
        why = f"has NaN in {where(i, cols)}; enter a number or leave the cell blank"
    elif isinstance(v, (int, float, np.integer, np.floating)):
        why = f"has an infinite or too large number in {where(i, cols)}"
    elif isinstance(v, _DATE_TYPES):
        why = f"has a date ({v}) in {where(i, cols)} where a number is needed"
    elif isinstance(v, (_dt.time, _dt.timedelta, np.timedelta64)):
        why = f"has a time or duration ({v}) in {where(i, cols)} where a number is needed"
    else:
        why = f"has {describe(v)} in {where(i, cols)}, which {why or 'is not a number'}"
    return _located(InvalidInput(why, argument=arg), i, v)


def _number_of(v: Any, decimal: str) -> tuple[float | None, str | None, str]:
    """One distinct cell value: ``(number or None for blank, currency, why-not)``; raises nothing."""
    if isinstance(v, str):
        if not v.strip():
            return None, None, ""
        x, cur, why = read_number_text(v, decimal)
        return (x, cur, "") if x is not None else (None, None, why or "is not a number")
    if isinstance(v, _NUMERIC_TYPES) and not isinstance(v, (bool, np.bool_)):
        try:
            x = float(v)
        except OverflowError:
            return None, None, "too large"
        return (x, None, "") if np.isfinite(x) else (None, None, "too large")
    return None, None, "not a number"


def _numbers_of_cells(flat: list, cols: int, arg: str, decimal: str = ".", nan_blank: bool = False,
                      kind: str | None = None) -> np.ndarray:
    """Numbers of arbitrary cells, computed once per distinct value; errors name the first bad cell.

    A range whose text names two currencies (``$`` and ``€``) is refused: summing them would be wrong.
    With a ``kind`` of :data:`~xl_cskpi.cells.marks.STRICT_KINDS` (money, counts), text such as
    ``1.200`` that no other text of the range decides (1.2, or 1,200 with a dot between thousands)
    is refused too: a worksheet cell holds it as text, so Excel's own locale did not read it.
    """
    types = set(map(type, flat))
    i = _first_bool(flat, types)
    if i is not None:
        raise _bad_number(flat[i], i, cols, arg)
    arr = np.empty(len(flat), dtype=object)
    arr[:] = flat
    codes, uniques = factorize(arr)
    if not nan_blank and (codes < 0).any():  # NaN in a worksheet range is invalid, unlike a blank
        for i in np.flatnonzero(codes < 0).tolist():
            if flat[i] is not None:
                raise _bad_number(flat[i], i, cols, arg)
    values = np.full(len(uniques) + 1, np.nan)
    currencies: dict[str, int] = {}
    for k, u in enumerate(uniques.tolist()):
        x, cur, why = _number_of(u, decimal)
        if why:
            i = int(np.argmax(codes == k))
            raise _bad_number(flat[i], i, cols, arg, why)
        if x is not None:
            values[k] = x
        if cur is not None and cur not in currencies:
            currencies[cur] = k
    if len(currencies) > 1:
        (c1, k1), (c2, k2) = sorted(currencies.items(), key=lambda kv: kv[1])[:2]
        i, j = int(np.argmax(codes == k1)), int(np.argmax(codes == k2))
        raise _located(InvalidInput(
            f"mixes currencies: {describe(flat[i])} in {where(i, cols)} is {c1}, {describe(flat[j])} in "
            f"{where(j, cols)} is {c2}; convert the amounts to one currency first", argument=arg), j, flat[j],
            [i, j])
    if kind in STRICT_KINDS:
        found = column_marks(uniques.tolist(), kind=kind)
        if found is not None:
            k, mark, point, comma = found
            i = int(np.argmax(codes == k))
            raise _bad_number(flat[i], i, cols, arg, undecided_cell_reason(point, comma))
    return values[codes]  # code -1 (blank) picks the last slot, NaN


def _numbers_with_blanks(values: Any, arg: str, kind: str | None = None) -> np.ndarray:
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
    if types <= {float, int, _NONE}:
        try:
            arr = np.array(flat, dtype=float)
        except OverflowError:
            return _numbers_of_cells(flat, cols, arg)
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
    return _numbers_of_cells(_worksheet_arabic_marks(flat, cols, arg, kind), cols, arg, kind=kind)


def numbers(values: Any, arg: str, *, keep_blanks: bool = False, kind: str | None = None) -> np.ndarray:
    """The numbers of a range as a float array, blanks skipped (or NaN with ``keep_blanks``).

    Text is read by :func:`read_number_text`: Persian/Arabic digits, thousands separators, a
    percent sign, currency symbols and codes (``$1,200``, ``۱۲۰۰ تومان``; two currencies in one
    range are refused) and accounting negatives (``(123)``, ``123-``), as in export columns.

    ``kind="money"`` or ``"count"`` also refuses text such as ``1.200`` that could be 1.2 or 1,200
    (a dot between thousands, as a comma-decimal locale writes it) unless another text of the range
    decides it (``12.5``: a decimal point): see :mod:`xl_cskpi.cells.marks`. A number typed in a
    cell is a number (Excel read it in the workbook's locale); only text is in doubt.

    >>> numbers([[1.0], [None], ["۳"], [" 4,000 "], ["(50)"]], "scores").tolist()
    [1.0, 3.0, 4000.0, -50.0]
    """
    arr = _numbers_with_blanks(values, arg, kind)
    if keep_blanks:
        return arr
    return arr[~np.isnan(arr)]


def number_column(values: Any, arg: str, *, decimal: str | None = None, kind: str | None = None,
                  delimiter: str | None = None, notes: list | None = None) -> np.ndarray:
    """The numbers of an export column as ``float64``, ``NaN`` for a blank cell.

    ``values`` is a pandas Series or a list of raw cells (text, numbers, ``None``; ``NaN`` is a
    blank, as pandas spells one). Every text is read by :func:`read_number_text` with the column's
    ``decimal`` mark (``"."``, or ``","`` for decimal-comma exports: ``99,00``, ``99.000,00``), once
    per distinct value. ``decimal=None`` (not given) reads a decimal point, unless the column leaves
    ``1.200`` undecided (1.2, or 1,200 with a dot between thousands): then the column's ``kind``
    (``"money"`` and ``"count"`` refuse it) and the file's ``delimiter`` (``";"`` refuses it in any
    column) decide whether it is refused, naming the cell and the two ``--decimal`` choices
    (:func:`xl_cskpi.cells.marks.column_marks` has the rules). Refused, with an
    :class:`~xl_cskpi.errors.InvalidInput` whose ``.position``
    is the 0-based index of the first offending cell (so the caller can name the file's row;
    ``.positions`` lists every cell the message names, as for :func:`date_column`):
    text that is no number, ``inf``/``nan``/``1e999`` or a 400-digit number as text, infinities,
    logical values (TRUE is not 1 here), dates, times and durations, and a column mixing
    currencies. Never a blank in place of a bad cell.

    The Arabic decimal separator ``٫`` is decided for the column as ``1.200`` is
    (:func:`xl_cskpi.cells.marks.arabic_decimal_role`): ``۴۹٫۰۰۰ تومان`` is 49,000 tomans (tomans have
    no fractional part), ``۱٫۲۵۰٫۰۰۰`` is 1,250,000, ``۱۲٫۵`` is 12.5, and a money or count column whose
    ``۴۹٫۰۰۰`` nothing decides is refused naming the cell and the ``--decimal`` to pass.

    ``kind="score"`` (a 0-100 health score, a 1-5 answer): a percent sign means points, not a share
    -- ``85%`` is 85, as a CRM writes a usage score (reviewer's G17); in every other column ``45%``
    is 0.45.

    ``notes``: when a list is given, a reading the column decided that its user should be told
    about is appended as a dict ``{"code", "message", "fields", "position"}`` (``arabic_thousands``
    {column, example, value}: ٫ read as a thousands separator; ``percent_points`` {column, count,
    example}: ``85%`` read as 85 points; ``position``: the 0-based cell shown), for the caller's data
    check (an info line). The values are the same with or without it.

    >>> number_column(["۴۹٫۰۰۰ تومان", "۱۲۰٫۰۰۰ تومان"], "MRR", kind="money").tolist()
    [49000.0, 120000.0]
    >>> number_column(["85%", "40", None], "usage", kind="score").tolist()
    [85.0, 40.0, nan]

    >>> number_column(["$1,200", "(300)", None, "۱۲۰۰ USD"], "mrr").tolist()
    [1200.0, -300.0, nan, 1200.0]
    >>> number_column(["99,00", "1.234,5"], "amount", decimal=",").tolist()
    [99.0, 1234.5]
    >>> try:
    ...     number_column(["1.200", "990"], "MRR", kind="money")
    ... except InvalidInput as e:
    ...     print(e.reason)
    has '1.200' in cell 1, which could be 1.2 or 1200: no other value of the column shows whether the dot is a decimal point or separates thousands; pass --decimal , if it is 1200, or --decimal . if it is 1.2
    """
    if decimal is not None and decimal not in (".", ","):
        raise InvalidInput(f'is {decimal!r}; use "." or ","', argument="decimal")
    values = _arabic_marks(values, arg, decimal, kind, notes)
    if kind == "score":
        values = _percent_points(values, arg, notes)
    arr = _number_column(values, arg, decimal or ".")
    if decimal is None and (kind in STRICT_KINDS or delimiter == ";"):
        if not (isinstance(values, (pd.Series, pd.Index)) and getattr(values.dtype, "kind", "O") in "fiub"):
            flat, cols = flatten(values)
            found = column_marks(flat, kind=kind, delimiter=delimiter)
            if found is not None:
                i, mark, point, comma = found
                raise _bad_number(flat[i], i, cols, arg, undecided_reason(flat[i], mark, point, comma, delimiter))
    return arr


def _number_column(values: Any, arg: str, decimal: str) -> np.ndarray:
    """:func:`number_column` with the decimal mark decided."""
    if isinstance(values, (pd.Series, pd.Index)):
        kind = getattr(values.dtype, "kind", "O")
        if kind == "b":
            mask = pd.Series(values).notna().to_numpy()
            if mask.any():
                i = int(np.flatnonzero(mask)[0])
                raise _bad_number(bool(values.iloc[i] if isinstance(values, pd.Series) else values[i]), i, 1, arg)
        if kind in "fiu":
            arr = values.to_numpy(dtype=float, na_value=np.nan)
            inf = np.isinf(arr)
            if inf.any():
                i = int(np.flatnonzero(inf)[0])
                raise _bad_number(arr[i], i, 1, arg)
            return arr
    flat, cols = flatten(values)
    types = set(map(type, flat))
    if types <= {str, _NONE} and decimal == "." and len(flat) >= 64:
        # plain number text (a CSV column) read by pandas' C parser; the rest by read_number_text
        n = len(flat)
        filled = [v if v is not None else "" for v in flat] if _NONE in types else flat
        joined = "\n".join(filled)
        texts = flat
        grouped_done = False
        if "," in joined and joined.count("\n") == n - 1:
            # thousands separators in groups of three ("1,234.56", as most exports write money): when
            # every text with a comma is grouped so, the commas are dropped from the joined texts and
            # the whole column parsed once. Grouped is checked on the *shapes* of those texts (digits
            # 1-9 written 9, so "12,345.67" is "99,999.99"): a few dozen distinct shapes for a column
            # of a million amounts (1M cells: 5.4 s -> 1.5 s). ASCII digits and spaces only, the forms
            # pandas' parser reads; anything else is read cell by cell below
            commas = [v for v in filled if "," in v]
            shapes = set("\n".join(commas).translate(_SHAPES).split("\n"))
            if all(_GROUPED_SHAPE.fullmatch(sh) for sh in shapes):
                texts, grouped_done = joined.replace(",", "").split("\n"), True
        arr = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce").to_numpy(dtype=float, copy=True)
        # pandas' parser is exact for up to 15 digits without an exponent (an exact integer mantissa
        # divided once by an exact power of ten), not always beyond ("2.6704376666050473e+56" is 1 ulp
        # off): those texts are read again by Python's correctly rounded float()
        if grouped_done:
            filled = texts
        suspect = np.fromiter(map(len, filled), np.int64, n) > 15
        if "e" in joined or "E" in joined:
            suspect |= np.fromiter((("e" in v) or ("E" in v) for v in filled), bool, n)
        suspect &= np.isfinite(arr)
        if suspect.any():
            arr[suspect] = [_exact_float(filled[i]) for i in np.flatnonzero(suspect).tolist()]
        rest = np.flatnonzero(~np.isfinite(arr))
        if rest.size and not grouped_done:
            # some texts with commas are not grouped numbers: the grouped ones found cell by cell
            # (100k cells: 2.7 s -> 0.1 s), the others read by read_number_text below
            series = pd.Series([flat[i] for i in rest.tolist()], dtype=object)
            grouped = series.str.fullmatch(_GROUPED_CELL, na=False).to_numpy(bool)
            if grouped.any():
                plain = series[grouped].str.replace(",", "", regex=False)
                values = pd.to_numeric(plain).to_numpy(dtype=float, copy=True)
                long = np.flatnonzero(plain.str.len().to_numpy() > 15)
                if long.size:
                    values[long] = [float(plain.iloc[k]) for k in long.tolist()]
                arr[rest[grouped]] = values
                rest = rest[~grouped]
        if rest.size:
            try:
                arr[rest] = _numbers_of_cells([flat[i] for i in rest.tolist()], 1, arg, decimal, nan_blank=True)
            except KPIError as e:
                raise _in_whole_range(e, rest, cols) from None
        return arr
    if types <= {float, int, _NONE} and decimal == ".":
        try:
            arr = np.array(flat, dtype=float)
        except OverflowError:
            return _numbers_of_cells(flat, cols, arg, decimal, nan_blank=True)
        inf = np.isinf(arr)
        if inf.any():
            i = int(np.flatnonzero(inf)[0])
            raise _bad_number(flat[i], i, cols, arg)
        return arr
    return _numbers_of_cells(flat, cols, arg, decimal, nan_blank=True)


#: A text with commas between thousands that pandas' parser reads once the commas are gone, and
#: the same for its shape (:data:`_SHAPES`: digits 1-8 written 9, 0 kept: a group never starts with 0).
_GROUPED_CELL = r"[ \t]*[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?[ \t]*"
_GROUPED_SHAPE = re.compile(r"[ \t]*[+-]?9[09]{0,2}(?:,[09]{3})+(?:\.[09]+)?[ \t]*")
_SHAPES = str.maketrans("12345678", "99999999")


def _exact_float(text: str) -> float:
    """Python's correctly rounded reading of a text pandas read as a number; NaN (read again by the
    general reader, which says why) where Python disagrees that it is one."""
    try:
        return float(text)
    except ValueError:
        return float("nan")


def number(value: Any, arg: str) -> float:
    """One number (a scalar or a one-cell range).

    A plain finite ``float`` or ``int`` (what a literal or a one-cell reference is, once the Excel
    face has unwrapped it) is returned at once: the scalar fast path of issue 17.4, which skips the
    array machinery (flatten, ``np.array``, the NaN/inf checks) that costs a scalar UDF call about
    twice the time of a trivial xlwings function. Everything else -- text, blanks, logicals, NaN,
    infinities, numpy scalars, ranges -- takes the general path, so the results and errors are the
    same for every input (tests/test_cells.py checks both paths against each other).

    >>> number([["٦٤"]], "customers_lost"), number(64, "customers_lost")
    (64.0, 64.0)
    """
    t = type(value)
    if t is float or t is int:
        try:
            x = float(value)
        except OverflowError:       # an int beyond any float: the general path says so
            x = _INF
        if x - x == 0.0:            # finite (inf - inf and nan - nan are nan)
            return x
    return float(numbers([_single(value, arg)], arg)[0])


_INF = float("inf")


def count(value: Any, arg: str) -> float:
    """A count: one number, zero or more.

    >>> count(1000, "customers_start")
    1000.0
    """
    t = type(value)
    x = number(value, arg) if t is float or t is int else float(numbers([_single(value, arg)], arg, kind="count")[0])
    if x < 0:
        raise OutOfRange(f"is {x:g}; a count cannot be negative", argument=arg)
    return x


def total(values: Any, arg: str, *, allow_negative: bool = False) -> float:
    """The sum of a range (or one number): spend across channels, costs across months.

    >>> total([[1000, 2000], [None, "۵۰۰"]], "sales_marketing_spend")
    3500.0
    """
    arr = numbers(values, arg, kind="money")
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
