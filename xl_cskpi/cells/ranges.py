"""Aligned ranges: several ranges that describe the same rows, coerced together with their
blanks kept (:func:`aligned`, :func:`blank_mask`, :func:`require_nonempty`).

The range rules themselves are in :mod:`xl_cskpi.cells`.
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..errors import DivisionByZero, InvalidInput
from .numeric import numbers
from .textual import texts
from .dates import datetimes


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
