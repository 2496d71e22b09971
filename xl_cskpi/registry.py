"""The catalogue: one entry per Excel function, feeding every face.

A KPI is written once, as a pure Python function in ``xl_cskpi/kpi/`` or ``xl_cskpi/tables/``,
and declared here with the :func:`kpi` decorator::

    @kpi(category="Retention", returns="rate", args={
        "customers_start": "Customers at the start of the period",
        "customers_lost": "Customers lost during the period",
    })
    def churn_rate(customers_start, customers_lost): ...

From that one declaration come the Excel name (``CHURN_RATE``, the Python name upper-cased), the
classic xlwings add-in (:mod:`xl_cskpi.udfs`), xlwings Lite (:mod:`xl_cskpi.lite`), the
``xl-cskpi functions`` command, the README's function reference and the template checks.

The decorator also names the function in every :class:`~xl_cskpi.errors.KPIError` that escapes it
and turns a non-finite result (an overflow) into a ``#NUM!`` error, so no face ever shows inf/nan.

**Labels and segments: declared here, once.** A function that ``returns="table"`` gets two optional
trailing arguments after its own, added by the decorator (the KPI function never sees them):

* ``labels`` -- ``"en"`` (default), ``"fa"``, ``"ar"`` or FALSE: the header, and the labels of the
  ``row_labels`` columns, are translated by :mod:`xl_cskpi.labels` *after* the function ran (the math
  only ever writes English); FALSE returns the rows without a header, as a 2-D array (the faces
  spill it as is). ``HEALTH_STATUS`` declares ``labels=True``: its words are translated, and FALSE,
  which has no meaning without a header, is ``#VALUE!``.
* ``segments`` -- for a table that declares its per-row arguments (``rows=(...)``): one segment
  value per cell of those ranges; the function runs once per segment and the tables come back one
  under the other with a leading ``segment`` column (:func:`_per_segment`). Declared today by
  NPS_BREAKDOWN, CSAT_DISTRIBUTION, CES_DISTRIBUTION and FEEDBACK_THEMES, whose table of a segment
  is the table of its rows alone; by MRR_MOVEMENTS, whose segments each span the whole export
  (the other segments' rows count as MRR 0, so a segment's customers who stop paying in the
  export's last month churn there); and by COMPLAINT_SUMMARY, whose segments each get every status
  column of the export (0 where a segment has none); by COHORT_RETENTION, whose segments' triangles
  each span the whole export (the other segments' rows stretch the span and count as no customer: a
  cell up to the export's last period is 0 %, not blank); and by the later table functions
  (CUSTOMER_CHURN_RATE, SURVIVAL_CURVE, COHORT_MRR_RETENTION, MRR_MOVEMENTS_FX, ...) as their
  docstrings say. SUBSCRIPTION_MRR's slot is left free (``rows=..., neutral={"amounts": 0}`` is all
  it needs).
  NPS_CHANGE_TEST takes two ranges of different sizes: no per-row segment.

So the Python function (``xl_cskpi.mrr_movements(..., labels="fa")``), the classic add-in, Lite and
the LibreOffice face, which all call the decorated function, translate the same way.
"""

from __future__ import annotations

import functools
import inspect
import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from . import cells, labels as _labels
from .errors import InvalidInput, KPIError, OutOfRange

__all__ = ["Argument", "Function", "REGISTRY", "kpi", "catalogue", "CATEGORIES", "RESULT_KINDS"]

#: Families in the order the docs and the ``functions`` command list them.
CATEGORIES = (
    "Surveys",
    "Retention",
    "Revenue",
    "Unit economics",
    "Acquisition & funnel",
    "Support",
    "Customer health",
    "Finance",
    "Calendars",
)

#: What a function returns; the templates pick number formats from it.
RESULT_KINDS = {
    "rate": "a fraction (0.064 = 6.4 %)",
    "points": "NPS points, -100 to 100",
    "money": "an amount in the inputs' currency",
    "count": "a count",
    "number": "a number",
    "ratio": "a ratio (3.2 means 3.2 : 1)",
    "months": "months",
    "days": "days",
    "duration": "a duration in the unit asked for",
    "text": "text",
    "column": "a spilled column (one value per row of the input)",
    "table": "a spilled table with a header row",
}

_EMPTY = inspect.Parameter.empty


@dataclass(frozen=True)
class Argument:
    name: str
    help: str
    default: Any = _EMPTY

    @property
    def optional(self) -> bool:
        return self.default is not _EMPTY

    def signature_text(self) -> str:
        if not self.optional:
            return self.name
        d = self.default
        shown = f'"{d}"' if isinstance(d, str) else ("TRUE" if d is True else "FALSE" if d is False else d)
        return f"[{self.name}={shown}]" if d is not None else f"[{self.name}]"


@dataclass(frozen=True)
class Function:
    name: str
    func: Callable[..., Any] = field(repr=False)
    category: str
    help: str
    returns: str
    arguments: tuple[Argument, ...]

    @property
    def python_name(self) -> str:
        return self.name.lower()

    def signature_text(self) -> str:
        return f"{self.name}({', '.join(a.signature_text() for a in self.arguments)})"


REGISTRY: dict[str, Function] = {}


def _check_result(name: str, result: Any) -> Any:
    if isinstance(result, float) and not math.isfinite(result):
        raise OutOfRange("gives a result too large to represent; check the magnitudes of the inputs",
                         function=name)
    return result


#: Help of the arguments the decorator adds (see the module docstring).
LABELS_HELP = ('Language of the header and row labels: "en" (default), "fa", "ar"; FALSE for no '
               'header row')
STATUS_LABELS_HELP = 'Language of the words: "en" (default), "fa" or "ar"'
SEGMENTS_HELP = ("Segment of each row (plan, region, owner...), same size as the data: one table per "
                 "segment, stacked, with a leading segment column")
#: Header of the leading column of a table computed per segment.
SEGMENT_COLUMN = "segment"
#: The segment of rows whose segment cell is blank (as an Excel PivotTable labels it).
BLANK_SEGMENT = "(blank)"


# numpy's floating-point error state for a KPI call: overflow, invalid and divide ignored (an
# overflow becomes #NUM! in _check_result, never a RuntimeWarning). ``np.errstate`` builds the state
# anew at every call (3.5 us, a third of a scalar UDF call, issue 17.4); the same state is built
# once here and set through the context variable np.errstate itself sets (numpy >= 2), falling
# back to np.errstate where numpy keeps it elsewhere. tests/test_udfs.py checks both are quiet.
try:
    from numpy._core._ufunc_config import _extobj_contextvar as _NP_STATE, _make_extobj
    _NP_QUIET = _make_extobj(over="ignore", invalid="ignore", divide="ignore")
except (ImportError, AttributeError, TypeError):  # pragma: no cover  (numpy < 2 or a new layout)
    _NP_STATE = None


def _kpi_call(f: Callable[..., Any], excel: str, a: tuple, k: dict) -> Any:
    try:
        if _NP_STATE is not None:
            token = _NP_STATE.set(_NP_QUIET)
            try:
                result = f(*a, **k)
            finally:
                _NP_STATE.reset(token)
        else:  # pragma: no cover
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                result = f(*a, **k)
        return _check_result(excel, result)
    except KPIError as e:
        raise e.with_function(excel) from None


def _clean_segment(v: Any) -> Any:
    return None if (v is None or (isinstance(v, str) and not v.strip())
                    or (isinstance(v, float) and v != v)) else (v.strip() if isinstance(v, str) else v)  # NaN: blank


def _segment_values(segments: Any) -> list:
    """Each row's segment, stripped, blanks None. A long column is cleaned once per distinct value
    (a million responses in four plans: four strips, not a million); a column holding anything but
    text, floats and None takes the row-by-row way (a hash table takes True for 1 and 1 for 1.0),
    and so does one whose blanks are pandas NA markers other than None and NaN."""
    flat, _ = cells.flatten(segments)
    types = set(map(type, flat))
    if len(flat) < 1000 or not types <= {str, float, type(None)}:   # 1 and 1.0 hash alike: row by row
        return [_clean_segment(v) for v in flat]
    arr = np.empty(len(flat), dtype=object)
    arr[:] = flat
    codes, uniques = cells.factorize(arr)            # None, NaN (and pandas' other NA markers): -1
    missing = codes < 0
    if missing.any() and not all(v is None or (isinstance(v, float) and v != v) for v in arr[missing].tolist()):
        return [_clean_segment(v) for v in flat]
    out = np.empty(len(uniques) + 1, dtype=object)
    out[:] = [_clean_segment(v) for v in uniques.tolist()] + [None]
    return out[codes].tolist()


def _blank_cells(flat: Any) -> np.ndarray:
    """Where a flattened per-row range is blank: missing, or text of blanks only (once per distinct value)."""
    if isinstance(flat, (pd.Series, np.ndarray)) and flat.dtype.kind in "biufcmM":
        if isinstance(flat, pd.Series):
            return pd.isna(flat).to_numpy(bool)
        if flat.dtype.kind in "fc":
            return np.isnan(flat)
        return np.isnat(flat) if flat.dtype.kind in "mM" else np.zeros(len(flat), dtype=bool)
    obj = np.asarray(flat, dtype=object)
    codes, uniques = cells.factorize(obj)           # -1 exactly where pandas' isna is true
    blank = np.array([isinstance(u, str) and not u.strip() for u in uniques.tolist()] + [True], dtype=bool)
    return blank[codes]


def _flat_rows(value: Any) -> Any:
    """A per-row range flattened once (row-major): typed pandas/numpy data stays typed."""
    if isinstance(value, (pd.Series, pd.Index)):
        return pd.Series(value).reset_index(drop=True)
    if isinstance(value, np.ndarray) and value.ndim >= 1:
        return value.ravel()
    flat, _ = cells.flatten(value)
    arr = np.empty(len(flat), dtype=object)
    arr[:] = flat
    return arr


def _segment_key(v: Any) -> tuple:
    """Segments are equal when their keys are: numbers by value (1 and 1.0), anything else as written."""
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)):
        return (0, float(v), "")
    return (1, 0.0, str(v))


def _neutralised(flat: Any, outside: np.ndarray, neutral: Any) -> Any:
    """A flattened per-row range with the cells where ``outside`` is true replaced by ``neutral``."""
    out = flat.copy()
    if out.dtype.kind not in "fiu" or not isinstance(neutral, (int, float)):
        out = out.astype(object)     # a non-number neutral (COHORT_RETENTION's other-segment id) needs objects
    if isinstance(out, pd.Series):
        out.iloc[outside] = neutral
    else:
        out[outside] = neutral
    return out


def _per_segment(f: Callable[..., Any], excel: str, bound: inspect.BoundArguments,
                 rows: tuple[str, ...], segments: Any, neutral: dict[str, Any],
                 align: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame] | None = None) -> pd.DataFrame:
    """The table of each segment, stacked, with a leading ``segment`` column.

    The whole data is computed first, so an error in a row names that row of the sheet (a
    segment's own table would number its rows from 1); a segment whose table fails (no responses
    in it) is an error naming the segment. A row blank in every per-row range is skipped whatever
    its segment; a blank segment of a row with data is the segment ``(blank)``.

    A segment's table is computed from its rows alone, or, for a function that declares
    ``neutral`` values (MRR_MOVEMENTS: ``mrr`` 0), from every row with the other segments' cells
    of those arguments made neutral: the table then spans the whole export (every segment gets the
    same months, and a segment's customers who stop paying in the export's last month churn there).
    A function whose columns depend on the data declares ``align(segment_table, whole_table)``,
    which gives the segment's table the whole table's columns (COMPLAINT_SUMMARY: every status of
    the export, 0 where the segment has none).
    """
    seg = _segment_values(segments)
    n = len(seg)
    present = {r: bound.arguments[r] for r in rows if bound.arguments.get(r) is not None}
    per_row: dict[str, Any] = {}  # each per-row range flattened once
    blank_row = np.ones(n, dtype=bool)
    for r, value in present.items():
        flat = _flat_rows(value)
        if len(flat) == 1 and n > 1 and r != rows[0]:
            continue  # one value for every row (SUBSCRIPTION_MRR's intervals)
        if len(flat) != n:
            raise InvalidInput(f"has {n} cells but {r} has {len(flat)}; give one segment per row of "
                               "the data", argument="segments", function=excel)
        per_row[r] = flat
        blank_row &= _blank_cells(flat)
    whole = _kpi_call(f, excel, bound.args, bound.kwargs)  # every row checked, errors name sheet rows
    seg_arr = np.empty(n, dtype=object)
    seg_arr[:] = seg
    seg_arr[np.equal(seg_arr, None) & ~blank_row] = BLANK_SEGMENT
    raw_codes, distinct = cells.factorize(seg_arr)  # None: -1
    code_of: dict[tuple, int] = {}
    label_of: dict[tuple, Any] = {}
    merged = np.empty(len(distinct), dtype=np.int64)  # 1 and 1.0 are one segment
    for j, s in enumerate(distinct.tolist()):
        key = _segment_key(s)
        merged[j] = code_of.setdefault(key, len(code_of))
        label_of.setdefault(key, s)
    codes = np.where(raw_codes >= 0, merged[np.maximum(raw_codes, 0)] if len(merged) else -1, -1)
    frames = []
    # numbers in numeric order, then texts alphabetically (as a PivotTable sorts them)
    for key in sorted(code_of):
        s = label_of[key]
        mask = codes == code_of[key]
        part = inspect.BoundArguments(bound.signature, bound.arguments.copy())
        for r, flat in per_row.items():
            if not neutral:
                part.arguments[r] = flat[mask] if isinstance(flat, np.ndarray) else \
                    flat[mask].reset_index(drop=True)
            elif r in neutral:
                part.arguments[r] = _neutralised(flat, ~mask, neutral[r])
            else:
                part.arguments[r] = flat
        try:
            table = _kpi_call(f, excel, part.args, part.kwargs)
        except KPIError as e:
            e.reason = f"{e.reason} (in segment {cells.describe(s)})"
            e.args = (e.message,)
            raise
        if align is not None:
            table = align(table, whole)
        if list(table.columns) != list(whole.columns):  # a declaration error, not bad input
            raise AssertionError(f"{excel}: a segment's table has other columns than the whole table's")
        table = table.copy()
        table.insert(0, SEGMENT_COLUMN, s)
        frames.append(table)
    if not frames:
        raise InvalidInput("has no segment with data", argument="segments", function=excel)
    return pd.concat(frames, ignore_index=True)


def kpi(*, category: str, returns: str, args: dict[str, str], name: str | None = None,
        labels: bool | None = None, row_labels: tuple[str, ...] = (), rows: tuple[str, ...] = (),
        neutral: dict[str, Any] | None = None,
        align: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame] | None = None,
        last: tuple[str, ...] = ()):
    """Declare a public KPI function (see the module docstring).

    ``labels`` (default: true for tables) adds the trailing ``labels`` argument; ``row_labels``
    names the columns whose cells are our labels (translated with the header); ``rows`` names the
    per-row arguments a ``segments`` range splits (and adds ``segments`` after ``labels``);
    ``neutral`` gives, for a table whose segment must span the whole data, the value that makes a
    row of another segment count for nothing, and ``align`` gives a segment's table the whole
    table's columns (see :func:`_per_segment`). ``last`` names optional arguments of the function
    added after ``labels`` and ``segments`` (SURVIVAL_CURVE's ``customer_ids``), so that no call
    written before they existed changes meaning.
    """
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    if returns not in RESULT_KINDS:
        raise ValueError(f"unknown result kind {returns!r}")
    table = returns == "table"
    labels = table if labels is None else labels
    if rows and not table:
        raise ValueError("segments are for tables")

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        excel = name or f.__name__.upper()
        params = inspect.signature(f).parameters
        if list(params) != list(args):
            raise ValueError(f"{excel}: help given for {list(args)} but the function takes {list(params)}")
        doc = inspect.getdoc(f) or ""
        one_line = doc.strip().splitlines()[0] if doc.strip() else ""
        if not one_line:
            raise ValueError(f"{excel}: a docstring is required (its first line is the wizard help)")

        for r in (*rows, *(neutral or ())):
            if r not in params or (neutral and r not in rows):
                raise ValueError(f"{excel}: rows/neutral name {r!r}, which is not a per-row argument")
        extra = []
        if labels:
            extra.append(Argument("labels", LABELS_HELP if table else STATUS_LABELS_HELP, "en"))
        if rows:
            extra.append(Argument("segments", SEGMENTS_HELP, None))
        signature = inspect.signature(f)
        if any(p not in params or params[p].default is inspect.Parameter.empty for p in last) or \
                list(params)[len(params) - len(last):] != list(last):
            raise ValueError(f"{excel}: last names {last!r}, which are not the function's optional last arguments")
        own = [p for p in params.values() if p.name not in last]
        extended = signature.replace(parameters=[*own, *(
            inspect.Parameter(x.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=x.default)
            for x in extra), *(params[p] for p in last)])

        @functools.wraps(f)
        def wrapper(*a: Any, **k: Any) -> Any:
            if not extra:
                return _kpi_call(f, excel, a, k)
            bound = extended.bind(*a, **k)
            try:
                lang = _labels.language(bound.arguments.pop("labels", "en"), table=table)
            except KPIError as e:
                raise e.with_function(excel) from None
            segments = bound.arguments.pop("segments", None)
            bound = inspect.BoundArguments(signature, bound.arguments)
            segmented = bool(rows) and not _blank(segments)
            if segmented:
                result = _per_segment(f, excel, bound, rows, segments, neutral or {}, align)
            else:
                result = _kpi_call(f, excel, bound.args, bound.kwargs)
            if not table:
                return _labels.translate_values(result, lang or "en")
            if lang is None:  # no header row: the body as rows of cells
                return result.to_numpy(dtype=object)
            result = _labels.translate_table(result, lang, row_labels)
            if segmented and lang != "en":  # the segment of blank cells; segment names are data
                first = result.columns[0]
                result[first] = result[first].where(result[first] != BLANK_SEGMENT,
                                                    _labels.label(BLANK_SEGMENT, lang))
            return result

        wrapper.__signature__ = extended  # type: ignore[attr-defined]
        entry = Function(
            name=excel,
            func=wrapper,
            category=category,
            help=one_line,
            returns=returns,
            arguments=tuple(Argument(p.name, args[p.name], p.default) for p in own) + tuple(extra)
            + tuple(Argument(p, args[p], params[p].default) for p in last),
        )
        if excel in REGISTRY and REGISTRY[excel].func.__wrapped__ is not f:  # type: ignore[attr-defined]
            raise ValueError(f"{excel} is declared twice")
        REGISTRY[excel] = entry
        wrapper.excel_name = excel  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _blank(value: Any) -> bool:
    if value is None:
        return True
    flat, _ = cells.flatten(value)
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in flat)


def catalogue() -> list[Function]:
    """Every function, by category then name (imports the KPI modules first)."""
    import xl_cskpi  # noqa: F401  (importing the package declares every function)

    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(REGISTRY.values(), key=lambda f: (order[f.category], f.name))
