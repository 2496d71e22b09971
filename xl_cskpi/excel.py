"""The adapter both Excel faces share: generate one worksheet function per registry entry.

:mod:`xl_cskpi.udfs` (classic xlwings add-in) and :mod:`xl_cskpi.lite` (xlwings Lite) are thin:
each calls :func:`build` with its decorators and its way of reporting an error. Everything else
lives here, once:

* **Signature.** :func:`make_function` generates a real Python function named as in Excel
  (``CHURN_RATE``) whose parameters and defaults are the registry entry's. xlwings reads them with
  :func:`inspect.signature` (``func_sig`` in ``xlwings/udfs.py`` and ``xlwings/pro/udfs_officejs.py``)
  to write the VBA wrapper (classic) or the function metadata (Lite); optional arguments become
  ``Optional`` in VBA and ``"optional": true`` in Lite. The function is built from a two-line
  template with :func:`exec`, the way :mod:`dataclasses` builds ``__init__``: parameter names are
  checked identifiers taken from the KPI function's own signature, and defaults are passed as
  objects, never as source text.
* **Inputs** (:func:`cell_input`). Every argument is read with ``ndim=2`` so that a range keeps its
  layout (a row stays one row, a block stays a block); a one-cell range or a literal becomes a
  plain scalar again. A blank cell given for an optional argument means "use the default", as
  Lite already does natively. Error cells arrive as their text (``err_to_str``), so ``#N/A`` in a
  numbers range is reported with its cell position instead of being skipped like a blank. All
  other coercion (numbers as text, Persian digits, dates, serials, blanks) is
  :mod:`xl_cskpi.cells`' job, inside the KPI function.
* **Results** (:func:`cell_output`). A number becomes ``float``, a logical stays ``bool``, text stays
  ``str``; a table (pandas DataFrame) becomes rows of cells with a header row; a column (1-D array
  or Series) becomes one-cell rows; a 2-D array becomes rows (a table asked for with ``labels``
  FALSE arrives so: its rows without the header). The header is written as the function returned
  it: the ``labels`` language was applied by the registry (:func:`xl_cskpi.registry.kpi`,
  :mod:`xl_cskpi.labels`), the same for every face, so nothing is translated here. NaN, NaT and None become ``""``
  (:data:`BLANK`): classic xlwings writes ``None`` as an empty cell but xlwings Lite's ``null``
  shows as 0 in a spilled array (office-js issue #1503), which would drag averages over a cohort
  triangle; an empty string reads as empty in both and is skipped by AVERAGE and SUM.
  numpy and pandas scalars become Python values.
* **Errors** (:func:`error_text`, :func:`unexpected_error_text`). ``"#DIV/0! CHURN_RATE:
  customers_start is 0; ..."``: the Excel code first, then the function, the argument and the
  reason. Each face decides how to hand it to Excel (the classic face returns it, Lite raises it).

There is no arithmetic here: the wrappers reshape cells, call the registry function and reshape
its result.
"""

from __future__ import annotations

import datetime as _dt
import keyword
import math
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from .errors import KPIError, excel_error_text
from .registry import Argument, Function, catalogue

__all__ = [
    "ERROR_CODES",
    "UNEXPECTED_LIMIT",
    "build",
    "call",
    "cell_input",
    "cell_output",
    "error_text",
    "make_function",
    "unexpected_error_text",
]

#: The Excel error codes our errors carry (``KPIError.code``).
ERROR_CODES = ("#VALUE!", "#DIV/0!", "#NUM!", "#N/A")

#: Longest "unexpected error" detail shown in a cell (a bug report, not an essay).
UNEXPECTED_LIMIT = 160

_BLANK = object()


# --------------------------------------------------------------------------- inputs


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_input(value: Any, argument: Argument) -> Any:
    """What xlwings delivered for ``argument`` -> what the KPI function receives.

    >>> from xl_cskpi.registry import Argument
    >>> cell_input([[64.0]], Argument("customers_lost", "..."))
    64.0
    >>> cell_input([[1.0], [None]], Argument("scores", "..."))
    [[1.0], [None]]
    >>> cell_input([[None]], Argument("scale_max", "...", 5))
    5
    """
    if type(value) is list and len(value) == 1:   # the scalar fast path: [[x]] from ndim=2
        inner = value[0]
        if type(inner) is list and len(inner) == 1:
            value = inner[0]
            if value is not None and type(value) is not str:   # not blank: never the default
                return value
    if isinstance(value, (list, tuple)) and len(value) == 1:
        inner = value[0]
        if isinstance(inner, (list, tuple)):
            if len(inner) == 1:
                value = inner[0]
        else:
            value = inner
    if argument.optional and _is_blank(value):
        return argument.default
    return value


# --------------------------------------------------------------------------- results


#: What a blank result cell is written as (see the module docstring).
BLANK = ""


def _cell(value: Any) -> Any:
    """One result cell as a plain Python value both runtimes can write."""
    if value is None or value is pd.NaT:
        return BLANK
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, np.integer, np.floating)):
        x = float(value)
        return x if math.isfinite(x) else BLANK
    if isinstance(value, pd.Timestamp):
        return BLANK if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, np.datetime64):
        return BLANK if np.isnat(value) else pd.Timestamp(value).to_pydatetime()
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value
    if isinstance(value, (pd.Timedelta, np.timedelta64, _dt.timedelta)):
        td = pd.Timedelta(value)
        return BLANK if pd.isna(td) else td.total_seconds() / 86_400  # Excel durations are days
    try:
        if pd.isna(value):
            return BLANK
    except (TypeError, ValueError):
        pass
    return str(value)


def _rows(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    return [[_cell(v) for v in row] for row in rows]


def _numeric_rows(arr: np.ndarray) -> list[list[Any]]:
    """Rows of a numeric array without a Python call per cell (a column of a million scores)."""
    if arr.dtype.kind == "b":
        flat = arr.ravel().tolist()
    else:
        x = arr.astype(float).ravel()
        flat = x.tolist()
        for i in np.flatnonzero(~np.isfinite(x)).tolist():  # NaN is a blank cell
            flat[i] = BLANK
    if arr.ndim == 1:
        return [[v] for v in flat]
    width = arr.shape[1]
    return [flat[i:i + width] for i in range(0, len(flat), width)]


def _table(frame: pd.DataFrame) -> list[list[Any]]:
    if not isinstance(frame.index, pd.RangeIndex) or any(n is not None for n in frame.index.names):
        frame = frame.reset_index()
    header = [str(c) if not isinstance(c, tuple) else " ".join(map(str, c)) for c in frame.columns]
    return [header] + _rows(frame.itertuples(index=False, name=None))


def cell_output(result: Any) -> Any:
    """A KPI result as cells: a scalar, or rows (lists) that Excel spills.

    >>> import numpy as np, pandas as pd
    >>> cell_output(np.float64(0.064))
    0.064
    >>> cell_output(np.array([0.5, np.nan]))
    [[0.5], ['']]
    >>> cell_output(pd.DataFrame({"month": ["2024-09"], "customers": [np.int64(3)]}))
    [['month', 'customers'], ['2024-09', 3.0]]
    """
    if type(result) is float:   # the scalar fast path (the registry refused inf/nan already)
        return result if result - result == 0.0 else BLANK
    if isinstance(result, pd.DataFrame):
        return _table(result)
    if isinstance(result, (pd.Series, pd.Index)):
        result = result.to_numpy(dtype=object)
    if isinstance(result, np.ndarray):
        if result.ndim == 0:
            return _cell(result.item())
        if result.dtype.kind in "fiub" and result.ndim <= 2:
            return _numeric_rows(result) or None
        if result.ndim == 1:
            return [[_cell(v)] for v in result.tolist()] or None
        return _rows(result.tolist()) or None
    if isinstance(result, (list, tuple)):
        if any(isinstance(r, (list, tuple, np.ndarray)) for r in result):
            return _rows(r if isinstance(r, (list, tuple, np.ndarray)) else [r] for r in result) or None
        return [[_cell(v)] for v in result] or None
    return _cell(result)


# --------------------------------------------------------------------------- errors


def error_text(error: KPIError, function: str) -> str:
    """``"#DIV/0! CHURN_RATE: customers_start is 0; ..."`` (the code, then the reason)."""
    return excel_error_text(error.with_function(function))


def unexpected_error_text(error: BaseException, function: str) -> str:
    """A short, one-line ``#VALUE!`` text for a bug: never a traceback in a cell.

    >>> unexpected_error_text(TypeError("bad operand\\nmore"), "NPS")
    '#VALUE! NPS: unexpected error: TypeError: bad operand'
    """
    lines = str(error).strip().splitlines()
    detail = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    if len(detail) > UNEXPECTED_LIMIT:
        detail = detail[: UNEXPECTED_LIMIT - 3] + "..."
    return f"#VALUE! {function}: unexpected error: {detail}"


# --------------------------------------------------------------------------- functions


def call(entry: Function, values: tuple) -> Any:
    """Call the KPI function with cells as xlwings delivered them; return result cells.

    KPI errors and bugs propagate: each face maps them to what its runtime shows.
    """
    args = [cell_input(v, a) for v, a in zip(values, entry.arguments)]
    return cell_output(entry.func(*args))


def make_function(name: str, arguments: tuple[Argument, ...], body: Callable[[tuple], Any],
                  doc: str, module: str) -> Callable[..., Any]:
    """A real function ``name(arg1, arg2=default, ...)`` that calls ``body((arg1, arg2, ...))``.

    >>> from xl_cskpi.registry import Argument
    >>> f = make_function("CSAT", (Argument("scores", "s"), Argument("scale_max", "m", 5)),
    ...                   lambda values: values, "Share of satisfied responses.", __name__)
    >>> import inspect; str(inspect.signature(f))
    '(scores, scale_max=5)'
    >>> f([[4.0]])
    ([[4.0]], 5)
    """
    names = [a.name for a in arguments]
    for n in [name, *names]:
        if not n.isidentifier() or keyword.iskeyword(n) or n.startswith("__xl"):
            raise ValueError(f"{n!r} cannot be the name of an Excel function or argument")
    namespace: dict[str, Any] = {"__xl_body__": body}
    params = []
    for i, a in enumerate(arguments):
        if a.optional:
            namespace[f"__xl_default_{i}__"] = a.default
            params.append(f"{a.name}=__xl_default_{i}__")
        else:
            params.append(a.name)
    packed = "".join(f"{n}, " for n in names)
    source = f"def {name}({', '.join(params)}):\n    return __xl_body__(({packed}))\n"
    exec(compile(source, f"<xl_cskpi generated {name}>", "exec"), namespace)  # noqa: S102
    func = namespace[name]
    func.__doc__ = doc
    func.__module__ = module
    func.__qualname__ = name
    return func


def build(face: Callable[[Function], Callable[[tuple], Any]],
          decorate: Callable[[Function, Callable[..., Any]], Callable[..., Any]],
          module: str, functions: Iterable[Function] | None = None,
          parameters: Callable[[Function], tuple[Argument, ...]] | None = None,
          ) -> dict[str, Callable[..., Any]]:
    """One decorated worksheet function per registry entry, keyed by Excel name.

    ``face(entry)`` returns the body: it receives the argument tuple and returns what goes into
    the cell (it also decides what an error becomes). ``decorate(entry, function)`` applies the
    runtime's decorators. ``parameters(entry)``, if given, names the parameters as the runtime
    needs them (same order and defaults; the classic face avoids VBA's reserved words).
    """
    out = {}
    for entry in catalogue() if functions is None else functions:
        arguments = parameters(entry) if parameters else entry.arguments
        func = make_function(entry.name, arguments, face(entry), entry.help, module)
        out[entry.name] = decorate(entry, func)
    return out
