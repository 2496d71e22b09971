"""Shapes of ranges: flattening row-major, naming a cell (:func:`where`), describing a value
(:func:`describe`), blanks, one-cell arguments, and locating errors on the cell at fault.

The range rules themselves are in :mod:`xl_cskpi.cells`.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidInput, KPIError


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


_NUL_SENTINEL = object()


def factorize(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """``pandas.factorize`` of cells, also right for text holding NUL characters.

    Returns int64 codes (``-1`` for ``None``/NaN) numbering the distinct values in order of first
    appearance, and an object array of those values.

    pandas 2.x hashes an object array of nothing but text as C strings, which end at the first
    NUL: ``"b"`` and ``"b\\x00a"`` become one value, silently (its string hash table; ``groupby`` and
    ``pd.unique`` share it). A column of text holding a NUL is therefore factorized through
    pandas' general object table (one non-text sentinel appended and dropped again), which compares
    Python strings whole. The check is one join of the texts (about 45 ms per million cells).

    >>> factorize(["b", "b\\x00a", None, "b"])
    (array([ 0,  1, -1,  0]), array(['b', 'b\\x00a'], dtype=object))
    """
    if isinstance(values, (pd.Series, pd.Index)):
        arr = values.to_numpy(dtype=object)
    else:
        arr = np.asarray(values, dtype=object).ravel()
    try:
        nul = "\x00" in "".join(arr.tolist())
    except TypeError:  # not text only: pandas uses its object table, which compares whole strings
        nul = False
    if nul:
        codes, uniques = pd.factorize(np.append(arr, _NUL_SENTINEL), use_na_sentinel=True)
        return np.asarray(codes[:-1], dtype=np.int64), np.asarray(uniques[:-1], dtype=object)
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


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
    if not isinstance(v, (int, float)):
        return repr(v)
    try:
        return f"{v:g}"
    except OverflowError:  # an int beyond any float
        return "a number too large to show"


_NUMERIC_TYPES = (int, float, np.integer, np.floating)
_DATE_TYPES = (_dt.date, np.datetime64, pd.Timestamp)
_NONE = type(None)


def _located(error: KPIError, position: int, value: Any = None, positions: list[int] | None = None) -> KPIError:
    """Attach ``.position`` (0-based index into the flattened range of the cell at fault),
    ``.positions`` (every cell the message names, in the order it names them: "cell N" is position
    N - 1) and ``.value`` to an error, so that the exports layer can name the file's rows."""
    error.position = position  # type: ignore[attr-defined]
    error.positions = list(positions) if positions is not None else [position]  # type: ignore[attr-defined]
    error.value = value  # type: ignore[attr-defined]
    return error


def _in_whole_range(error: KPIError, rest: np.ndarray, cols: int) -> KPIError:
    """An error about a sub-range (cells ``rest`` of a range ``cols`` wide, read as one column)
    restated about the whole range: every "cell N" and ``.position`` mapped back."""
    def cell(m: re.Match) -> str:
        return where(int(rest[int(m.group(1)) - 1]), cols)
    restated = type(error)(re.sub(r"\bcell (\d+)\b", cell, error.reason), argument=error.argument)
    positions = [int(rest[p]) for p in getattr(error, "positions", [error.position])]  # type: ignore[attr-defined]
    return _located(restated, int(rest[error.position]), getattr(error, "value", None),  # type: ignore[attr-defined]
                    positions)

def _first_bool(flat: list, types: set) -> int | None:
    if bool in types or np.bool_ in types:
        return next(i for i, v in enumerate(flat) if isinstance(v, (bool, np.bool_)))
    return None


def _single(values: Any, arg: str) -> Any:
    flat, _ = flatten(values)
    cells = [v for v in flat if not (v is None or _is_blank_text(v))]
    if len(cells) == 1:
        return cells[0]
    if not cells:
        raise InvalidInput("is empty; enter a value", argument=arg)
    raise InvalidInput(f"must be one cell, got a range of {len(cells)} values", argument=arg)
