"""One Python call per KPI call of the Periods sheet, for every month at once (issue 17 item 5).

The Periods sheet (:mod:`.dashboard`) holds every KPI of every month. Each column comes from a
KPI's ``period`` expression (``specs/periodic.py``: ``NPS(in_month(...))``, ``CHURN_RATE(only(...),
only(...))``), and written row by row each of its calls of our functions was one Python call per month
at every recalculation, each carrying the whole data column through COM: survey_scores made 71 calls,
revenue 83, at 10,000 responses seconds of Python per recalculation.

Here the builder compiles those expressions, with no change to the specs: every call of ours whose
value depends on the month becomes **one** ``BY_PERIOD`` array formula (:mod:`xl_cskpi.tables.periods`)
down a hidden column of the Periods sheet, computing all months at once, and the visible cell of the
month reads its row of it (:class:`~.spec.PeriodCall`: ``=$H4``). The built-ins around a call (the
guards of ``only``, CSAT's "enter your scale" ``IF``, the NPS band's ``$C4-$D4``) stay per-row
formulas of built-ins, which cost no Python.

* A call whose month-dependent arguments are ``Match`` nodes (``in_month``: the rows of one table
  dated in the month) leading its arguments, all over one table and one label column, passes those
  columns whole with the rows' month labels (the helper column of :mod:`.rowlabels`):
  ``BY_PERIOD("NPS",$A$4:$A$15,<labels>,1,Responses[nps_score])``.
* Any other month-dependent argument (``only(...)``'s guarded SUM, a row of MRR_MOVEMENTS, the
  value of another call) is its own hidden column of per-row built-ins, or that call's column, passed
  as a range of one cell per month. A month whose argument is an error holds that error, as a
  worksheet function's error argument is its result: a worksheet error by the array formula's own
  ``IF(ISERROR(r),r,...)`` (BY_PERIOD gets ``IF(ISERROR(r),"",r)``, never an error value), an error
  of ours (text) by BY_PERIOD. So a call reading another's column (LTV:CAC reads LTV) gets its
  errors. Arguments not depending on the month (settings, literals) are passed as they are.
* Anything else (``Match`` arguments of two tables, more arguments than BY_PERIOD has) stays as it
  was: one call per month.

The same compiled columns are what the ``--values`` evaluator computes (:func:`periods_table`), in
the order the sheet depends on them, so both reports hold the same cells, the hidden ones included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import KPIError
from ..registry import REGISTRY
from .spec import Call, Col, CountStatus, Match, Op, PeriodCall, PeriodOf, SpillAt

__all__ = ["Helper", "ArgColumn", "Ref", "Compiled", "compile_columns", "helper_formula", "argument_formula",
           "periods_table", "FUNCTION", "NoRows", "no_rows_key", "NO_ROWS"]

#: The registry function the helper columns call.
FUNCTION = "BY_PERIOD"


@dataclass(frozen=True)
class Ref:
    """A per-period argument: the Periods sheet column ``key`` (a helper, an argument column, or a
    visible KPI column), one cell per month."""

    key: str


@dataclass(frozen=True)
class Helper:
    """A hidden column computing ``function`` for every month in one call."""

    key: str
    call: Call                 # the call as the spec wrote it (its data: absence, the title)
    function: str
    labels: Any                # the label expression of the data columns' rows (None: no data columns)
    data: tuple                # the data columns (``Col``), whole
    args: tuple                # the other arguments: Ref (per month) or a constant expression


@dataclass(frozen=True)
class ArgColumn:
    """A hidden column of per-row built-ins: one month-dependent argument of a helper's call."""

    key: str
    expr: Any


@dataclass
class Compiled:
    """The Periods sheet's columns after compiling: ``visible`` as the plan lists them (key, rewritten
    expression, kind), ``hidden`` the helper and argument columns after them, ``order`` every key in
    the order the values depend on each other."""

    visible: list[tuple[str, Any, str]]
    hidden: list[Any] = field(default_factory=list)
    order: list[str] = field(default_factory=list)

    def item(self, key: str) -> Any:
        for h in self.hidden:
            if h.key == key:
                return h
        for k, expr, kind in self.visible:
            if k == key:
                return ArgColumn(k, expr)
        raise KeyError(key)

    @property
    def calls(self) -> int:
        return sum(isinstance(h, Helper) for h in self.hidden)


def _dependent(e: Any) -> bool:
    """Whether an expression's value depends on the Periods row (its month)."""
    if isinstance(e, (Match, SpillAt, PeriodOf, PeriodCall)):
        return True
    if isinstance(e, Call):
        return any(_dependent(a) for a in e.args)
    if isinstance(e, Op):
        return _dependent(e.left) or _dependent(e.right)
    if isinstance(e, CountStatus):
        return _dependent(e.column)
    return False


def compile_columns(columns: list[tuple[str, Any, str]], lang: str = "en") -> Compiled:
    """Compile the Periods sheet's ``(key, expr, kind)`` columns (see the module docstring).

    ``lang``: the report's language. A :class:`~.spec.CountStatus` of a month's rows counts the
    canonical status and, in fa/ar, the report's own word for it (typed by hand into the workbook):
    one ``COMPLAINTS`` call per word, each its own BY_PERIOD column, summed per row."""
    from ..tables.periods import ARG_SLOTS

    out = Compiled([])
    helpers: dict[Any, Helper] = {}
    argcols: dict[Any, ArgColumn] = {}

    def argument(a: Any) -> Any:
        if not _dependent(a):
            return a
        if isinstance(a, PeriodCall):
            return Ref(a.key)
        if isinstance(a, PeriodOf):
            return Ref(a.key)
        if a not in argcols:
            argcols[a] = ArgColumn(f"_a{len(argcols) + 1}", a)
            out.hidden.append(argcols[a])
            out.order.append(argcols[a].key)
        return Ref(argcols[a].key)

    def helper(original: Call, args: list) -> PeriodCall | None:
        entry = REGISTRY[original.function]
        if entry.returns in ("table", "column") or len(entry.arguments) > ARG_SLOTS:
            return None
        data = []
        while len(data) < len(args) and isinstance(args[len(data)], Match):
            data.append(args[len(data)])
        rest = args[len(data):]
        if any(isinstance(a, Match) for a in rest):
            return None
        if data and (len({m.labels for m in data}) != 1 or len({m.values.table for m in data}) != 1
                     or any(not isinstance(m.values, Col) for m in data)):
            return None
        refs = [argument(a) for a in rest]
        key = (original.function, tuple(args))
        if key not in helpers:
            helpers[key] = Helper(f"_h{len(helpers) + 1}", original, original.function,
                                  data[0].labels if data else None, tuple(m.values for m in data), tuple(refs))
            out.hidden.append(helpers[key])
            out.order.append(helpers[key].key)
        return PeriodCall(helpers[key].key, original, empty=data[0].labels if data else None)

    def rewrite(e: Any) -> Any:
        if isinstance(e, CountStatus) and _dependent(e.column):
            from .evaluate import status_words

            calls = [Call("COMPLAINTS", e.column, w) for w in status_words(e.status, lang)]
            summed = calls[0]
            for c in calls[1:]:
                summed = Op("+", summed, c)
            return rewrite(summed)
        if isinstance(e, Call):
            args = [rewrite(a) for a in e.args]
            if e.function in REGISTRY and _dependent(e):
                done = helper(e, args)
                if done is not None:
                    return done
            return Call(e.function, *args)
        if isinstance(e, Op):
            return Op(e.op, rewrite(e.left), rewrite(e.right))
        return e

    for key, expr, kind in columns:
        out.visible.append((key, rewrite(expr), kind))
        out.order.append(key)
    return out


# --------------------------------------------------------------------------- a month without rows

#: What a month without any row of a call's data is, by (table, date column) of the rows' labels
#: (translations: ``period.no_rows.<table>.<column>``; ``{month}`` is the Periods row's label).
NO_ROWS = {
    ("Responses", "submitted_at"): "no responses in {month}",
    ("Tickets", "opened_at"): "no tickets opened in {month}",
    ("Tickets", "resolved_at"): "no tickets resolved in {month}",
    ("ComplaintLog", "received_at"): "no complaints received in {month}",
}


def no_rows_key(labels: Any) -> tuple[str, str]:
    """``(translation key, English)`` of the sentence for a month without rows of ``labels``' table."""
    col = next((a for a in getattr(labels, "args", ()) if isinstance(a, Col)), None)
    where = (col.table, col.column) if col is not None else ("", "")
    return f"period.no_rows.{where[0]}.{where[1]}", NO_ROWS.get(where, f"no {where[0] or 'data'} rows in {{month}}")


class NoRows(KPIError):
    """A month with none of a call's data rows, whose single call fails (NPS of a month without
    responses): "n/a: no responses in 2024-06" instead of "#DIV/0! NPS: scores has no responses" (C1).
    A count over no rows is 0 and stays 0 (only a value that is not a number is replaced)."""

    code = "n/a"

    def __init__(self, labels: Any, month: str):
        self.key, self.english = no_rows_key(labels)
        self.month = month
        super().__init__(self.english.format(month=month))

    @property
    def message(self) -> str:
        return f"n/a: {self.reason}"

    def text(self, t) -> str:
        """The sentence in the language of the translator ``t``."""
        return t("absent.na", reason=t(self.key, default=self.english, month=self.month))


# --------------------------------------------------------------------------- formula text

def _label_args(function: str, given: int, lang: str) -> list:
    """The ``labels`` argument (and the defaults before it) a formula in ``lang`` passes to
    ``function`` (:func:`.evaluate.labels_position`), as Python values."""
    from .evaluate import labels_position

    at = labels_position(function, given, lang)
    if at is None:
        return []
    defaults = REGISTRY[function].arguments
    return ["" if defaults[i].default is None else defaults[i].default for i in range(given, at)] + [lang]


def _range(names, key: str, first: int, last: int) -> str:
    L = names.period_columns[key]
    return f"${L}${first}:${L}${last}"


def helper_formula(h: Helper, names, first: int, last: int) -> str:
    """``=BY_PERIOD("F",$A$4:$A$15,<row labels>,n,data...,args...)`` for the helper's array formula."""
    from .formula_text import literal, render

    parts = [literal(h.function), f"$A${first}:$A${last}"]
    if h.data:
        v = render(h.data[0], names)
        found = names.row_labels.get(h.labels)
        if found is not None and found[1] == h.data[0].table:
            parts.append(f"INDEX({found[0]},1):INDEX({found[0]},ROWS({v}))")
        else:
            parts.append(render(h.labels, names))
    else:
        parts.append('""')
    parts.append(str(len(h.data)))
    parts += [render(c, names) for c in h.data]
    refs = []
    for a in h.args:
        if isinstance(a, Ref):
            r = _range(names, a.key, first, last)
            refs.append(r)
            parts.append(f'IF(ISERROR({r}),"",{r})')
        else:
            parts.append(render(a, names))
    parts += [literal(x) for x in _label_args(h.function, len(h.data) + len(h.args), names.lang)]
    text = f"{FUNCTION}({','.join(parts)})"
    # a month whose argument is an error (#N/A of a month without a row) holds that error: its cell
    # shows it, and a call reading this column gets it (BY_PERIOD itself never sees an error value)
    for r in reversed(refs):
        text = f"IF(ISERROR({r}),{r},{text})"
    return "=" + text


def argument_formula(a: ArgColumn, names) -> str:
    from .formula_text import render

    return "=" + render(a.expr, names)


# --------------------------------------------------------------------------- the evaluator's side

def _helper_values(h: Helper, ctx, labels: list, values: dict[str, list]) -> list:
    from .evaluate import absence, evaluate, row_labels

    n = len(labels)
    try:
        rows = row_labels(h.labels, ctx) if h.data else None
        data = [ctx.tables[c.table][c.column] for c in h.data]
        # a month's argument that is an error (a worksheet error, or ours) is that month's value: BY_PERIOD
        # takes an error object so, and the sheet's IF(ISERROR(..)) around it does the same live
        rest = [list(values[a.key]) if isinstance(a, Ref) else evaluate(a, ctx) for a in h.args]
    except KPIError as e:
        return [e] * n
    except KeyError:       # a table or column the data does not have
        gone = absence(h.call, ctx.tables, ctx.given, ctx.labels)
        return [gone] * n
    extra = _label_args(h.function, len(data) + len(rest), ctx.lang)
    from ..tables.periods import keep_errors

    try:
        with keep_errors():
            out = REGISTRY[FUNCTION].func(h.function, labels, rows, len(data), *data, *rest, *extra)
    except KPIError as e:
        return [e] * n
    return [getattr(v, "error", v) if isinstance(v, str) else v for v in out]


def _row_values(expr: Any, ctx, labels: list, values: dict[str, list], checked: bool) -> list:
    from .evaluate import _value, evaluate

    out = []
    for i, label in enumerate(labels):
        ctx.label = label
        ctx.period_row = {k: v[i] for k, v in values.items()}
        if checked:
            out.append(_value(expr, ctx))
            continue
        try:
            out.append(evaluate(expr, ctx))
        except KPIError as e:
            out.append(e)
        except KeyError:
            out.append(None)
    return out


def periods_table(compiled: Compiled, ctx, labels: list) -> pd.DataFrame:
    """The Periods sheet's values: ``label``, the visible columns, then the hidden ones, computed
    column by column in dependency order (a visible cell says n/a for data not given; a hidden one
    holds what its formula gives)."""
    visible = {k for k, _, _ in compiled.visible}
    exprs = {k: e for k, e, _ in compiled.visible}
    values: dict[str, list] = {}
    try:
        for key in compiled.order:
            item = compiled.item(key) if key not in visible else None
            if isinstance(item, Helper):
                values[key] = _helper_values(item, ctx, labels, values)
            elif item is not None:
                values[key] = _row_values(item.expr, ctx, labels, values, checked=False)
            else:
                values[key] = _row_values(exprs[key], ctx, labels, values, checked=True)
    finally:
        ctx.label = None
        ctx.period_row = None
    keys = [k for k, _, _ in compiled.visible] + [h.key for h in compiled.hidden]
    frame = pd.DataFrame({"label": pd.Series(labels, dtype=object)})
    for k in keys:
        frame[k] = pd.Series(values[k], dtype=object)
    return frame
