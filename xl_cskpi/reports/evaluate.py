"""Python evaluation of report expressions: what ``xl-cskpi report --values`` writes.

The same expression tree the builder renders to formula text is computed here with the registry's
Python functions, so a ``--values`` report shows what the live formulas show in Excel with the
add-in (the test suite checks both against an independent engine).

Around it (split by idea in session 5): :mod:`.cellvalues` (blanks, numbers, dates and the Excel
built-ins), :mod:`.absence` (data not given: "n/a: ..."), :mod:`.speccheck` (a spec checked before it
is built) and :mod:`.byperiod` (the Periods sheet computed one call per KPI call for every month).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..errors import DivisionByZero, InvalidInput, KPIError, NotAvailable
from ..registry import REGISTRY
from .absence import Absent, absence, is_absent_column  # noqa: F401 (re-exported)
from .cellvalues import _COMPARE, _blank, _builtin, _flat, _truth  # noqa: F401 (re-exported)
from .spec import (Call, Col, Cols, CountStatus, Lang, Last, Match, Name, Op, PeriodCall, PeriodOf, Report, Row, RowBlock,
                   SpillAt, SpillCol, Trend, Word)
from .speccheck import ReportSpecError, check_report  # noqa: F401 (re-exported)

__all__ = ["Context", "evaluate", "evaluate_report", "periods_trend", "period_columns", "period_value", "check_report",
           "ReportSpecError", "Absent", "absence", "is_absent_column", "labels_position", "word"]


class Context:
    """Data and names an expression reads: ``tables[name]`` is a DataFrame of the table's columns."""

    def __init__(self, report: Report, tables: Mapping[str, pd.DataFrame], names: dict[str, Any],
                 lang: str = "en", given: Any = None, labels=None):
        self.report = report
        self.tables = tables
        self.names = names
        self.lang = lang
        self.given = given            # table names given (None: all)
        self.labels = labels
        self.row: int | None = None
        self.label: Any = None
        self.cache: dict[str, Any] = {}
        #: the values of the Periods row being computed, by column key (``PeriodOf`` reads them)
        self.period_row: dict[str, Any] | None = None


def row_labels(expr: Any, ctx: "Context") -> list:
    """One label per row: a column's cells, or the array an expression gives over the column
    (PERIOD_LABEL of the dates), computed once per evaluation and kept on the context."""
    if isinstance(expr, Col):
        return ctx.tables[expr.table][expr.column].tolist()
    key = repr(expr)
    if key not in ctx.cache:
        try:
            ctx.cache[key] = [None if _blank(x) else x for x in _flat(evaluate(expr, ctx))]
        except KPIError as e:
            ctx.cache[key] = e
    v = ctx.cache[key]
    if isinstance(v, KPIError):
        raise v
    return v

def evaluate(expr: Any, ctx: Context) -> Any:
    """The value of an expression (KPIError propagates: the cell shows its Excel error)."""
    if isinstance(expr, Col):
        return ctx.tables[expr.table][expr.column]
    if isinstance(expr, Cols):
        df = ctx.tables[expr.table]
        cols = [c.key for c in ctx.report.table(expr.table).columns]
        block = cols[cols.index(expr.first): cols.index(expr.last) + 1]
        return df[block]
    if isinstance(expr, RowBlock):
        df = ctx.tables[expr.table]
        cols = [c.key for c in ctx.report.table(expr.table).columns]
        block = cols[cols.index(expr.first): cols.index(expr.last) + 1]
        return [[None if _blank(v) else v for v in df[block].iloc[ctx.row].tolist()]]
    if isinstance(expr, Match):
        values = ctx.tables[expr.values.table][expr.values.column]
        labels = row_labels(expr.labels, ctx)
        keep = np.array([x == ctx.label for x in labels], dtype=bool)
        return values.where(keep)          # a Series: pandas blanks (NaN) are blank cells
    if isinstance(expr, PeriodOf):
        if ctx.period_row is None or expr.key not in ctx.period_row:
            raise ReportSpecError(f"PeriodOf({expr.key!r}) outside the Periods row that computes {expr.key}")
        v = ctx.period_row[expr.key]
        if isinstance(v, KPIError):
            raise v
        return v
    if isinstance(expr, PeriodCall):
        # the call's value for this period, computed for every period at once (.byperiod); the first of
        # its per-period arguments holding an error is the value instead, as when the call ran alone
        if ctx.period_row is None or expr.key not in ctx.period_row:
            raise ReportSpecError(f"PeriodCall({expr.key!r}) outside the Periods row that computes it")
        for key in expr.after:
            if isinstance(ctx.period_row[key], KPIError):
                raise ctx.period_row[key]
        v = ctx.period_row[expr.key]
        if expr.empty is not None and not _blank(ctx.label) and not _number(v) and not _has_rows(expr.empty, ctx):
            from .byperiod import NoRows

            raise NoRows(expr.empty, ctx.label)    # "n/a: no responses in 2024-06" (C1)
        if isinstance(v, KPIError):
            raise v
        return v
    if isinstance(expr, SpillAt):
        v = ctx.names[expr.spill]
        if isinstance(v, KPIError):
            raise v
        if expr.column > v.shape[1]:
            raise NotAvailable(f"has no column {expr.column}", argument=f"the {expr.spill} table")
        hit = [i for i, x in enumerate(v.iloc[:, 0].tolist()) if x == ctx.label]
        if not hit:
            raise NotAvailable(f"has no row for {ctx.label}", argument=f"the {expr.spill} table")
        x = v.iloc[hit[0], expr.column - 1]
        if isinstance(x, KPIError):
            raise x
        return None if _blank(x) else x
    if isinstance(expr, Call) and expr.function == "IFERROR":   # lazy: the fallback only on an error
        try:
            return evaluate(expr.args[0], ctx)
        except KPIError:
            return evaluate(expr.args[1], ctx)
    if isinstance(expr, Call) and expr.function == "ISNA":
        try:
            evaluate(expr.args[0], ctx)
        except NotAvailable:
            return True
        return False
    if isinstance(expr, SpillCol):
        v = ctx.names[expr.spill]
        if isinstance(v, KPIError):
            raise v
        if expr.column > v.shape[1]:   # the workbook's range over that column is empty
            raise DivisionByZero(f"has no column {expr.column} (it has {v.shape[1]}: too few periods of data "
                                 "for this KPI)", argument=f"the {expr.spill} table")
        return v.iloc[:, expr.column - 1].tolist()
    if isinstance(expr, Row):
        v = ctx.tables[expr.table][expr.column].iloc[ctx.row]
        return None if _blank(v) else v
    if isinstance(expr, Last):
        col = ctx.tables[expr.table][expr.column]
        if len(col) == 0:
            raise InvalidInput("has no rows", argument=expr.table)
        v = col.iloc[-1]
        return None if _blank(v) else v
    if isinstance(expr, Name):
        v = ctx.names[expr.key]
        if isinstance(v, KPIError):
            raise v
        return v
    if isinstance(expr, CountStatus):
        statuses = evaluate(expr.column, ctx)
        count = REGISTRY["COMPLAINTS"].func
        return sum(count(statuses, w) for w in status_words(expr.status, ctx.lang))
    if isinstance(expr, Word):
        return word(expr.text, ctx.lang)
    if isinstance(expr, Lang):
        return ctx.lang
    if isinstance(expr, Call) and expr.function == "IF":   # lazy, as Excel: only the branch taken
        cond = evaluate(expr.args[0], ctx)
        branch = expr.args[1] if _truth(cond) else (expr.args[2] if len(expr.args) > 2 else False)
        return evaluate(branch, ctx)
    if isinstance(expr, Call):
        args = [evaluate(a, ctx) for a in expr.args]
        if expr.function in REGISTRY:
            if labels_position(expr.function, len(args), ctx.lang) is not None:
                return REGISTRY[expr.function].func(*args, labels=ctx.lang)
            return REGISTRY[expr.function].func(*args)
        return _builtin(expr.function, args)
    if isinstance(expr, Op) and expr.op in _COMPARE:
        a, b = evaluate(expr.left, ctx), evaluate(expr.right, ctx)
        a, b = (0.0 if _blank(a) else a), (0.0 if _blank(b) else b)   # Excel: a blank cell is 0
        if isinstance(a, str) or isinstance(b, str):
            a, b = str(a).casefold(), str(b).casefold()
        return _COMPARE[expr.op](a, b)
    if isinstance(expr, Op):
        a, b = (0.0 if _blank(x) else float(x) for x in (evaluate(expr.left, ctx), evaluate(expr.right, ctx)))
        if expr.op == "+":
            return a + b
        if expr.op == "-":
            return a - b
        if expr.op == "*":
            return a * b
        if expr.op == "/":
            if b == 0:
                raise DivisionByZero("divides by zero", argument="formula")
            return a / b
        raise ReportSpecError(f"unknown operator {expr.op}")
    return expr


def _number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and not _blank(v)


def _has_rows(labels: Any, ctx: Context) -> bool:
    """Whether a row of the table ``labels`` labels is dated in the Periods row's month (labels that
    fail, dates PERIOD_LABEL cannot read, match no month: the live sheet compares their error texts)."""
    try:
        return any(x == ctx.label for x in row_labels(labels, ctx))
    except KPIError:
        return False


def labels_position(function: str, given: int, lang: str) -> int | None:
    """The 0-based position of ``function``'s ``labels`` argument when a formula in language ``lang``
    passes it (a table function or HEALTH_STATUS in a fa/ar report, called without it), else None.
    English formulas leave it out (the default is English)."""
    if lang == "en" or function not in REGISTRY:
        return None
    names_ = [a.name for a in REGISTRY[function].arguments]
    if "labels" not in names_ or given > names_.index("labels"):
        return None
    return names_.index("labels")


def word(text: str, lang: str) -> str:
    """One of our labels (``Healthy``) as the functions write it in ``lang`` (:mod:`xl_cskpi.labels`)."""
    from ..labels import label

    return text if lang == "en" else label(text, lang)


def status_words(status: str, lang: str) -> list[str]:
    """The texts :class:`CountStatus` counts: the canonical status, and in a language whose word for it
    (``head.<status>``) is another text, that word too."""
    from ..kpi.service import normalize_label
    from .i18n import translator

    word = translator(lang)(f"head.{status}", default=status)
    return [status] if normalize_label(word) == normalize_label(status) else [status, word]


def _value(expr: Any, ctx: Context) -> Any:
    """``evaluate``, or the :class:`Absent` / :class:`KPIError` the cell shows instead."""
    missing = absence(expr, ctx.tables, ctx.given, ctx.labels)
    if missing is not None:
        return missing
    try:
        return evaluate(expr, ctx)
    except KPIError as e:
        return e


def evaluate_report(report: Report, tables: Mapping[str, pd.DataFrame],
                    settings: Mapping[str, Any] | None = None, *, lang: str = "en",
                    given: Any = None, labels=None, period_labels: Any = None,
                    period: str | None = None) -> dict[str, Any]:
    """Every setting, KPI and spill of a filled report: ``{key: value or KPIError}``.

    ``given`` names the tables given (None: all of them); a KPI, spill or trend cell that reads a
    table not given, or a column that is blank in every row, is an :class:`Absent` with the reason
    ("n/a: no employee survey given"), and so is one that uses such a KPI or spill.
    Calculated columns are added to ``tables`` in place (one value per row).

    The tables' ``attrs`` (the reader's file and row of each table row, for the Data check) are set
    aside while it computes: pandas deep-copies them into every Series an operation makes, which was
    three quarters of a survey report's build at 10,000 responses (a list of 10,000 row numbers copied
    some 400 times); they are put back before it returns.
    """
    kept = {name: df.attrs for name, df in tables.items() if isinstance(df, pd.DataFrame) and df.attrs}
    try:
        for name in kept:
            tables[name].attrs = {}
        return _evaluate_report(report, tables, settings, lang=lang, given=given, labels=labels,
                                period_labels=period_labels, period=period)
    finally:
        for name, attrs in kept.items():
            tables[name].attrs = attrs


def _evaluate_report(report: Report, tables: Mapping[str, pd.DataFrame], settings: Mapping[str, Any] | None, *,
                     lang: str, given: Any, labels, period_labels: Any, period: str | None) -> dict[str, Any]:
    names: dict[str, Any] = {s.key: list(s.value) if isinstance(s.value, tuple) else s.value
                             for s in report.settings}
    names.update(settings or {})
    names.setdefault("amber_band", 0.1)
    if report.has_intervals:
        from .kpicells import INTERVAL_CONFIDENCE
        names.setdefault("confidence_level", INTERVAL_CONFIDENCE)
    ctx = Context(report, tables, names, lang=lang, given=given, labels=labels)
    for t in report.tables:
        for c in t.columns:
            if c.formula is None:
                continue
            df = tables[t.name]
            whole = _whole_column(c.formula, ctx, len(df))
            if whole is not None:
                # rows left blank by the range call (e.g. a customer with no score) get what the
                # cell's own formula gives for that row alone (its error), as in Excel
                for i in np.flatnonzero(whole.isna().to_numpy()):
                    ctx.row = int(i)
                    try:
                        whole.iloc[i] = evaluate(c.formula, ctx)
                    except KPIError as e:
                        whole.iloc[i] = e
                ctx.row = None
                df[c.key] = whole
                continue
            out = []
            for i in range(len(df)):
                ctx.row = i
                try:
                    out.append(evaluate(c.formula, ctx))
                except KPIError as e:
                    out.append(e)
            ctx.row = None
            df[c.key] = pd.Series(out, index=df.index, dtype=object)
    for item in report.spills:
        names[item.key] = _value(item.expr, ctx)
    table = None
    if report.has_periods and period_labels is not None:
        from .byperiod import compile_columns, periods_table
        table = periods_table(compile_columns(period_columns(report), ctx.lang), ctx, list(period_labels))
        names["_periods"] = table
        names["_period"] = period
    # the dashboard's B3 (defined name period_shown): the month shown, blank without periods
    names["period_shown"] = period if table is not None and period else ""
    whole: dict[str, Any] = {}
    for k in report.kpis:
        if table is not None and period and k.period is not None:
            # the dashboard shows the period's value; the whole data's is kept for the data check
            # (a bad row in an earlier month is still a finding) under "_whole"
            whole[k.key] = _value(k.expr, ctx)
            names[k.key] = period_value(table, k.key, period)
        else:
            names[k.key] = _value(k.expr, ctx)
    if table is not None:
        names["_whole"] = whole
    if report.has_intervals:
        from .kpicells import interval_value
        names["_intervals"] = {k.key: interval_value(k, ctx, names[k.key], period if table is not None else None)
                               for k in report.kpis if k.interval is not None}
    for tr in report.trends:
        names[tr.key] = _trend(tr, ctx)
    names["_row_labels"] = _row_label_columns(report, ctx)
    return names


def _row_label_columns(report: Report, ctx: Context) -> dict[Any, Any]:
    """``{label expression: one label per table row, or the KPIError}`` of every :mod:`.rowlabels`
    helper (computed once: :func:`row_labels` keeps them on the context)."""
    from .rowlabels import label_expressions

    out: dict[Any, Any] = {}
    for expr in label_expressions(report):
        try:
            out[expr] = row_labels(expr, ctx)
        except KPIError as e:
            out[expr] = e
        except KeyError:   # a date column the data does not have: no labels (its KPIs say n/a)
            continue
    return out


def periods_trend(report: Report) -> Trend:
    """The per-period table of a report: one column per KPI with a ``period`` expression, then the
    chart series of ``report.period_series`` (the builder writes it as the Periods sheet)."""
    series = tuple((k.key, k.period) for k in report.kpis if k.period is not None)
    series += tuple((key, e) for key, e, _ in report.period_series)
    kinds = tuple(k.kind or "" for k in report.kpis if k.period is not None) + tuple(
        kind for _, _, kind in report.period_series)
    return Trend("periods", None, series, kinds=kinds)


def period_columns(report: Report) -> list[tuple[str, Any, str]]:
    """The Periods sheet's ``(key, expr, kind)`` columns as the spec writes them (the kind: the KPI's
    own, else that of the outermost function)."""
    from .formula_text import result_kind

    tr = periods_trend(report)
    return [(key, expr, tr.kinds[i] or result_kind(expr)) for i, (key, expr) in enumerate(tr.series)]


def period_value(table: pd.DataFrame, key: str, label: str, offset: int = 0) -> Any:
    """The value of ``key`` in the row of period ``label`` (``offset`` -1: the period before it);
    #N/A for a period not in the table, None before the first period."""
    labels = table["label"].tolist()
    if label not in labels:
        return NotAvailable(f"has no period {label}", argument="report_period")
    i = labels.index(label) + offset
    if i < 0:
        return None
    return table[key].iloc[i]


def trend_labels(tr, ctx: Context) -> list:
    """The labels of a trend: the distinct non-blank labels of its rows, sorted (an error of the
    label expression, e.g. a date cell holding text, propagates)."""
    return sorted({v for v in row_labels(tr.labels, ctx) if isinstance(v, str) and v.strip()})


def _trend(tr, ctx: Context, labels: list | None = None) -> pd.DataFrame:
    rows = []
    if labels is not None:
        pass
    elif absence(tr.labels, ctx.tables, ctx.given, ctx.labels) is not None:
        labels = []
    else:
        try:
            labels = trend_labels(tr, ctx)
        except KPIError as e:   # one row saying so (the label column shows the error's code)
            return pd.DataFrame([[e.code, *(e for _ in tr.series)]],
                                columns=["label", *(k for k, _ in tr.series)])
    for label in labels:
        ctx.label = label
        ctx.period_row = {}
        row: list[Any] = [label]
        for key, expr in tr.series:
            row.append(_value(expr, ctx))
            ctx.period_row[key] = row[-1]
        rows.append(row)
    ctx.label = None
    ctx.period_row = None
    return pd.DataFrame(rows, columns=["label", *(k for k, _ in tr.series)])


def _whole_column(expr: Any, ctx: Context, n: int):
    """A calculated column computed in one call (a million rows is one call, not a million) when the
    formula is one of our functions that maps a range to one value per cell; None otherwise."""
    if not (isinstance(expr, Call) and expr.function in REGISTRY
            and REGISTRY[expr.function].returns in ("column", "text")):
        return None
    args = []
    for a in expr.args:
        if isinstance(a, Row):
            args.append(ctx.tables[a.table][a.column])
        elif isinstance(a, RowBlock):
            args.append(evaluate(Cols(a.table, a.first, a.last), ctx))
        elif isinstance(a, (Name, int, float, str)):
            args.append(evaluate(a, ctx))
        else:
            return None
    extra = {"labels": ctx.lang} if labels_position(expr.function, len(args), ctx.lang) is not None else {}
    try:
        out = REGISTRY[expr.function].func(*args, **extra)
    except KPIError:
        return None          # per row, so each row gets its own error
    arr = np.array(np.asarray(out, dtype=object).ravel(), dtype=object)
    if arr.shape != (n,):
        return None
    arr[pd.isna(arr)] = None
    return pd.Series(arr, index=pd.RangeIndex(n), dtype=object)
