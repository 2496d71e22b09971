"""Text: ranges of text (:func:`texts`, :func:`text`), choices and flags (:func:`choice`,
:func:`flag`), and the folding of labels and statuses for comparison (``fold_*``).

The range rules themselves are in :mod:`xl_cskpi.cells`.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..errors import InvalidInput
from .shapes import _NUMERIC_TYPES, _is_blank_text, _single, describe, factorize, flatten, where


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
    codes, uniques = factorize(flat)
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
    codes, uniques = factorize(values)
    folded = fold_text(pd.Series(np.asarray(uniques, dtype=object).astype(str), dtype=object))
    out = np.empty(len(uniques) + 1, dtype=object)
    out[:-1] = folded.str.replace(r"\s+", "", regex=True).to_numpy(dtype=object)
    out[-1] = None
    return out[codes]


def fold_label(value: str) -> str:
    """:func:`fold_labels` of one label.

    One text is folded by the definition itself (NFKC, casefold, the letter table, white space
    removed: :func:`fold_text_reference`), not through pandas: 2 ms -> 3 us, and modules fold
    their word lists with it at import (``import xl_cskpi.udfs`` runs when Excel starts).

    >>> fold_label("در انتظار") == fold_label("در\u200cانتظار") == fold_label("درانتظار")
    True
    """
    if type(value) is str:
        return _WHITE.sub("", unicodedata.normalize("NFKC", value).casefold().translate(_FOLD))
    return fold_labels(np.array([value], dtype=object))[0]


_WHITE = re.compile(r"\s+")
