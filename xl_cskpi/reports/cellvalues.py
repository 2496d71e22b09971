"""Worksheet values in the evaluator: blanks, numbers, dates, truth, comparisons, and the Excel
built-ins the specs use (:data:`~.spec.BUILTINS`) computed as Excel computes them.

Split from :mod:`.evaluate` (session 5): what a cell *is* (blank, a number, a date) is one idea; how an
expression tree is walked is another.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DivisionByZero, InvalidInput, NotAvailable, OutOfRange

__all__ = ["_blank", "_flat", "_nums", "_is_date", "_truth", "_builtin", "_COMPARE"]


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT or (
        isinstance(v, str) and not v.strip())


def _flat(v: Any) -> list:
    if isinstance(v, pd.DataFrame):
        return v.to_numpy(dtype=object).ravel().tolist()
    if isinstance(v, (pd.Series, np.ndarray)):
        return list(np.asarray(v, dtype=object).ravel())
    if isinstance(v, (list, tuple)):
        out: list = []
        for x in v:
            out.extend(_flat(x) if isinstance(x, (list, tuple, np.ndarray, pd.Series)) else [x])
        return out
    return [v]


def _nums(v: Any) -> list[float]:
    return [float(x) for x in _flat(v)
            if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)
            and not _blank(x)]


def _is_date(x: Any) -> bool:
    """A date or date-time value (a cell Excel stores as a serial number), not NaT."""
    import datetime as _dt

    if isinstance(x, np.datetime64):
        return not np.isnat(x)
    return isinstance(x, (_dt.date, pd.Timestamp)) and x is not pd.NaT


_COMPARE = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b,
            ">=": lambda a, b: a >= b, "=": lambda a, b: a == b, "<>": lambda a, b: a != b}


def _truth(v: Any) -> bool:
    return False if _blank(v) else bool(v)



def _builtin(name: str, args: list) -> Any:
    if name == "SUM":
        return sum(sum(_nums(a)) for a in args)
    if name == "COUNT":   # Excel's COUNT counts dates and date-times too (serial numbers in a cell)
        return float(sum(len(_nums(a)) + sum(_is_date(x) for x in _flat(a)) for a in args))
    if name == "COUNTA":
        return float(sum(sum(not _blank(x) for x in _flat(a)) for a in args))
    if name == "AVERAGE":
        xs = [x for a in args for x in _nums(a)]
        if not xs:
            raise DivisionByZero("has no numbers to average", argument="AVERAGE")
        return sum(xs) / len(xs)
    if name in ("MAX", "MIN"):
        xs = [x for a in args for x in _nums(a)]
        return (max if name == "MAX" else min)(xs) if xs else 0.0
    if name == "ROWS":
        return float(len(_flat(args[0])))
    if name == "INDEX":
        xs = _flat(args[0])
        i = int(args[1])
        if not 1 <= i <= len(xs):
            raise InvalidInput(f"row {i} is outside the table", argument="INDEX")
        return xs[i - 1]
    if name == "COUNTIF":
        key = str(args[1]).strip().casefold()
        return float(sum(1 for x in _flat(args[0]) if not _blank(x) and str(x).strip().casefold() == key))
    if name == "ABS":
        return abs(float(args[0]))
    if name == "ISNUMBER":
        x = args[0]
        # a date is a number to Excel (a serial number in a cell), as COUNT counts it
        return (isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)
                and not _blank(x)) or _is_date(x)
    if name == "AND":
        return all(_truth(x) for a in args for x in _flat(a))
    if name == "OR":
        return any(_truth(x) for a in args for x in _flat(a))
    if name == "SQRT":
        x = float(args[0])
        if x < 0:
            raise OutOfRange("is negative", argument="SQRT")
        return math.sqrt(x)
    if name == "IFERROR":
        return args[0]
    if name == "NA":
        raise NotAvailable("has no value for this period", argument="NA")
    if name == "ISNA":
        return False
    from .speccheck import ReportSpecError

    raise ReportSpecError(f"the evaluator does not implement {name}")
