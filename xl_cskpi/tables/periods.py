"""BY_PERIOD: one of our KPIs for every period at once, one value per period (issue 17 item 5).

A dashboard's Periods sheet shows every KPI of every month. Written as one formula per month and KPI
(``=NPS(<the responses of this row's month>)``), Excel called Python once per cell at every
recalculation, and each call carried the whole data column through COM: at 10,000 responses,
seconds per recalculation. ``BY_PERIOD`` is one call per KPI column: it receives the data columns
once, splits their rows by period label, calls the named function on each period's rows, and
returns one value per period, a column aligned with the ``periods`` it was given.

Every value is the one the single call gives for that period:

* the named function receives each data column **whole**, with the rows of other periods blanked
  (the Periods sheet's ``IF(T[c]="","",IF(labels=$A4,T[c],""))`` did the same), so an error names
  the same cell of the data as the single call;
* a period whose call fails shows the same text as the single call: ``#DIV/0! NPS: no responses``;
* an argument after the data columns given as a range with **one cell per period** gives each period
  its own value (the month's customers at start, read from the Periods sheet's own cells); any other
  argument is passed to every period as it is (the confidence level, the scale). A per-period value
  that is an error of ours (``#DIV/0! CHURN_RATE: ...``, another KPI's month) is that period's value,
  as a worksheet function's error argument is its result.

Arguments left blank are the named function's defaults, as in a direct call.
"""

from __future__ import annotations

import contextvars
import inspect
import math
import re
from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np
import pandas as pd

from .. import cells
from ..errors import InvalidInput, KPIError, excel_error_text
from ..registry import REGISTRY, kpi

__all__ = ["by_period", "ErrorText", "ARG_SLOTS", "keep_errors"]

#: Arguments of the named function BY_PERIOD can pass (data columns and the rest together).
ARG_SLOTS = 8

_ARG_HELP = ("The named function's next argument: a data column (the first data_columns of them), a range "
             "with one cell per period (each period its own value), or a value for every period")


class ErrorText(str):
    """A period's error as the text the worksheet cell shows (``"#DIV/0! NPS: no responses"``),
    keeping the :class:`~xl_cskpi.errors.KPIError` for Python callers (``.error``)."""

    error: KPIError

    def __new__(cls, error: KPIError) -> "ErrorText":
        self = super().__new__(cls, excel_error_text(error))
        self.error = error
        return self


_KEEP = contextvars.ContextVar("xl_cskpi_by_period_keep_errors", default=False)


@contextmanager
def keep_errors() -> Iterator[None]:
    """Within it, a period's error comes back as an :class:`ErrorText` (the cell's text, with the
    KPIError kept: the report evaluator's Periods table holds errors, as before); outside, as the plain
    text every worksheet face writes."""
    token = _KEEP.set(True)
    try:
        yield
    finally:
        _KEEP.reset(token)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT or (
        isinstance(v, str) and not v.strip())


def _cells(value: Any) -> list:
    """A range (or one value) as a flat list, row-major; blanks as they came."""
    if isinstance(value, (pd.Series, pd.Index, pd.DataFrame, np.ndarray, list, tuple)):
        return cells.flatten(value)[0]
    return [value]


def _key(v: Any) -> Any:
    """What a label is compared by: blanks are one label (a blank period matches undated rows, as the
    worksheet's ``=`` makes a blank cell equal ""), numbers by value, text as written."""
    if _blank(v):
        return None
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)):
        return float(v)
    return v


#: The text of an error of ours in a cell: ``#DIV/0! CHURN_RATE: ...`` (code, function, colon).
_OURS = re.compile(r"^(#VALUE!|#DIV/0!|#NUM!|#N/A) [A-Z][A-Z0-9_]*: ")


def _error_of(v: Any) -> Any:
    """A per-period value that is an error: an error object (a Python caller's), or the text of an
    error of ours (a cell showing ``#DIV/0! CHURN_RATE: ...``, e.g. another BY_PERIOD's month): that
    period's value, as an error argument is a worksheet function's result. None otherwise."""
    if isinstance(v, KPIError):
        return v
    if isinstance(v, str) and _OURS.match(v):
        return v
    return None


def _masked(column: Any, keep: np.ndarray) -> Any:
    """``column`` (a Series, or an object array of cells) with the rows outside ``keep`` blank (a Series
    keeps its dtype: NaN / NaT)."""
    if isinstance(column, pd.Series):
        return column.where(pd.Series(keep, index=column.index))
    arr = column.copy()
    arr[~keep] = None
    return arr


@kpi(category="Calendars", returns="column", args={
    "function_name": 'The name of one of our functions that gives one value, e.g. "NPS"',
    "periods": "The periods to compute, one label per cell (a Periods sheet's months); one value each",
    "row_periods": "The period label of every data row (PERIOD_LABEL over the rows' dates), one cell per row",
    "data_columns": "How many of the arguments that follow are data columns (one cell per row; each period "
                    "gets its own rows, the others blank)",
    "arg1": _ARG_HELP, "arg2": _ARG_HELP, "arg3": _ARG_HELP, "arg4": _ARG_HELP,
    "arg5": _ARG_HELP, "arg6": _ARG_HELP, "arg7": _ARG_HELP, "arg8": _ARG_HELP,
})
def by_period(function_name, periods, row_periods, data_columns, arg1, arg2=None, arg3=None, arg4=None,
              arg5=None, arg6=None, arg7=None, arg8=None):
    """One of our KPIs for every period at once: a column of one value per period, in ``periods``' order.

    Formula: for each label ``p`` of ``periods``, ``function_name(arg1, ..., argN)`` where each of the
    first ``data_columns`` arguments keeps the rows whose ``row_periods`` label is ``p`` (the others
    blank, so an error names the same data cell as a direct call), an argument with one cell per
    period gives period ``p`` its own cell, and any other argument is the same for every period.
    Trailing blank arguments are left out (the function's defaults).

    Edge cases: no period label at all is ``#VALUE!``; a period whose call fails holds that call's
    error text (``#DIV/0! NPS: no responses`` for a month without answers), the other periods their
    values; a per-period argument holding an error makes that period's value the error. A blank period label matches the rows whose label is
    blank. ``function_name`` not one of ours, a function returning a table or a column (BY_PERIOD
    itself among them), a data column of another length than ``row_periods``, or ``data_columns``
    outside 0..8 is ``#VALUE!``. One caution: an argument that is itself a range of exactly as many
    cells as there are periods is read per period.

    Source: the named KPI's own definition, applied to each period's rows (as Excel's ``BYROW`` /
    pandas' ``groupby(period).apply(KPI)`` would); it exists so a workbook makes one call per KPI
    for all months instead of one per month (issue 17: each call carries its data through COM).
    Arguments that do not fit the named function are ``#VALUE!`` naming them.

    Example -- NPS of two months, January's answers 10, 9 and 3, February's 10 and 6:

    >>> by_period("NPS", [["2024-01"], ["2024-02"]], ["2024-01", "2024-01", "2024-02", "2024-01", "2024-02"],
    ...           1, [10, 9, 10, 3, 6])
    [33.333333333333336, 0.0]

    A month without answers holds NPS's own error, as ``=NPS(...)`` over no answers shows it:

    >>> by_period("NPS", ["2024-03"], ["2024-01"], 1, [10])
    ['#DIV/0! NPS: scores has no responses; NPS needs at least one 0-10 score']

    The same rate for each month from per-month counts (1,000 customers, 64 lost: 6.4 %):

    >>> by_period("CHURN_RATE", ["2024-01", "2024-02"], "", 0, [1000, 800], [64, 20])
    [0.064, 0.025]
    """
    name = function_name.strip().upper() if isinstance(function_name, str) else function_name
    entry = REGISTRY.get(name) if isinstance(name, str) else None
    if entry is None:
        raise InvalidInput(f"is {cells.describe(function_name)}, which is not one of our functions: give a "
                           'function\'s name in quotes, e.g. "NPS"', argument="function_name")
    if entry.returns in ("table", "column"):
        raise InvalidInput(f"is {name}, which returns a {'table' if entry.returns == 'table' else 'column'}; "
                           "BY_PERIOD takes a function of one value per period", argument="function_name")
    n_data = data_columns
    if isinstance(n_data, bool) or not isinstance(n_data, (int, float, np.integer, np.floating)) \
            or not float(n_data).is_integer() or not 0 <= n_data <= ARG_SLOTS:
        raise InvalidInput(f"is {cells.describe(data_columns)}; give how many of the arguments after it are "
                           f"data columns, a whole number 0 to {ARG_SLOTS}", argument="data_columns")
    n_data = int(n_data)
    args = [arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8]
    while args and args[-1] is None and len(args) > n_data:
        args.pop()
    if len(args) > len(entry.arguments):
        raise InvalidInput(f"gives {name} {len(args)} arguments; it takes at most {len(entry.arguments)}",
                           argument="function_name")
    labels = [_key(v) for v in _cells(periods)]
    if not labels:
        raise InvalidInput("is empty; give the period labels, one cell per period (the Periods sheet's "
                           "first column)", argument="periods")
    rows_raw = _cells(row_periods) if n_data else []
    data = []
    for i in range(n_data):
        # a Series (the report evaluator's column) without its attrs: pandas deep-copies them into
        # every Series an operation makes (where, once per period)
        flat = None if isinstance(args[i], pd.Series) else _cells(args[i])
        if flat is None:
            column = pd.Series(args[i].array, index=args[i].index, name=args[i].name)
        elif set(map(type, flat)) <= {float, int, type(None)}:
            # numbers and blanks (a scores column as a worksheet hands it over): a float Series, whose NaN
            # the functions read as blank cells, takes their typed path in each period
            column = pd.Series(np.array([np.nan if v is None else v for v in flat], dtype=float))
        else:
            column = np.empty(len(flat), dtype=object)
            column[:] = flat
        if len(column) != len(rows_raw):
            raise InvalidInput(f"has {len(rows_raw)} cells but data column {i + 1} ({entry.arguments[i].name} of {name}) "
                               f"has {len(column)}; give one period label per data row", argument="row_periods")
        data.append(column)
    rest: list[tuple[bool, Any]] = []          # (per period, value)
    for j, a in enumerate(args[n_data:], n_data):
        if a is None and entry.arguments[j].optional:
            rest.append((False, entry.arguments[j].default))      # a blank cell: the default, as a direct call
            continue
        flat = None if isinstance(a, str) or not isinstance(a, (list, tuple, np.ndarray, pd.Series)) else _cells(a)
        if flat is not None and len(flat) == len(labels):
            rest.append((True, flat))
        else:
            rest.append((False, a))
    # each row's period: the distinct labels compared once each, not a comparison per row and period
    codes, uniques = cells.factorize(np.array(rows_raw, dtype=object)) if n_data else (np.zeros(0, int), [])
    key_code: dict[Any, int] = {}
    merged = np.array([key_code.setdefault(_key(u), len(key_code)) for u in list(uniques) + [None]], dtype=np.int64)
    row_code = merged[codes]               # a blank row (code -1): the last, blank's code
    out: list[Any] = []
    bound = False
    failure = ErrorText if _KEEP.get() else excel_error_text
    masks: dict[Any, np.ndarray] = {}
    for p, label in enumerate(labels):
        call: list[Any] = []
        failed = None
        if n_data:
            if label not in masks:
                masks[label] = row_code == key_code.get(label, -1)
            call = [_masked(c, masks[label]) for c in data]
        for per, value in rest:
            v = value[p] if per else value
            if per:
                failed = failed or _error_of(v)
            call.append(v)
        if failed is not None:
            out.append(failed if isinstance(failed, str) else failure(failed))
            continue
        if not bound:       # the arguments fit the named function's (checked once: the same count every period)
            try:
                inspect.signature(entry.func).bind(*call)
            except TypeError as e:
                raise InvalidInput(f"is {name}, which does not take these {len(call)} arguments ({e}); give its "
                                   "arguments in its order after data_columns", argument="function_name") from None
            bound = True
        try:
            out.append(entry.func(*call))
        except KPIError as e:
            out.append(failure(e))
    return out
