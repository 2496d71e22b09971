"""The declarative description of a report workbook.

A report is data, not code: :class:`Report` lists its data tables (the sheets users paste exports
into), its settings (targets and parameters, each a defined name), its KPI cells (formula
expressions calling our functions), its spilled tables and its charts. One builder
(:mod:`xl_cskpi.reports.builder`) renders every report; one evaluator
(:mod:`xl_cskpi.reports.evaluate`) computes the same expressions in Python for ``--values``.

Expressions are a tiny tree rendered to Excel formula text:

========================  ==============================================  ============================
node                      Excel text                                      Python value
========================  ==============================================  ============================
``Col("T", "c")``         ``T[c]``                                        the column's values
``Cols("T", "a", "d")``   ``T[[a]:[d]]``                                  a block of row lists
``Row("T", "c")``         ``T[[#This Row],[c]]``  (calculated columns)    the row's value
``Last("T", "c")``        ``INDEX(T[c],ROWS(T[c]))``                      the last value
``Match(Col, Col)``        ``IF(T[v]="","",IF(T[l]=$A4,T[v],""))``         the matching values (trend rows)
``PeriodOf("k", e)``       ``$C4`` (the Periods row's own cell of k)          the row's value of k
``CountStatus(Col, "s")``  ``COMPLAINTS(T[c],"s")`` (+ the language's word)  complaints with that status
``Name("k")``             ``k`` (a setting or another KPI cell)           its value
``Word("Healthy")``       ``"Healthy"`` (``"سالم"`` in fa: our label)      the same text
``Call("F", *args)``      ``F(args)`` (ours or a built-in: SUM, ...)      the function's result
``Op("/", a, b)``         ``(a/b)``                                       arithmetic, comparisons
literals                  ``5``, ``"open"``                               themselves
========================  ==============================================  ============================

Long structured references only (``T[[#This Row],[c]]``, never ``[@c]``), so every engine reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

__all__ = [
    "Col", "Cols", "Row", "RowBlock", "SpillCol", "SpillAt", "PeriodOf", "PeriodCall", "Match", "Last", "Trend", "Name", "Call", "Op", "Expr",
    "CountStatus", "Word", "Lang", "data_refs",
    "Column", "Table", "Setting", "KPI", "Spill", "Series", "Chart", "Report",
    "BUILTINS", "functions_used", "interval_call",
]


# --------------------------------------------------------------------------- expressions

@dataclass(frozen=True)
class Col:
    table: str
    column: str


@dataclass(frozen=True)
class Cols:
    table: str
    first: str
    last: str


@dataclass(frozen=True)
class Row:
    table: str
    column: str


@dataclass(frozen=True)
class RowBlock:
    table: str
    first: str
    last: str


@dataclass(frozen=True)
class SpillCol:
    """Column ``column`` (1-based) of a spilled table's body, e.g. to sum its New MRR."""

    spill: str
    column: int


@dataclass(frozen=True)
class SpillAt:
    """Column ``column`` (1-based) of a spilled table at the row whose first column (its period label)
    is the current period row's label: ``INDEX(S!$C$4:$C$1003,MATCH($A4,S!$A$4:$A$1003,0))``; #N/A
    when the spill has no row for that period. How per-period values come from MRR_MOVEMENTS."""

    spill: str
    column: int


@dataclass(frozen=True)
class Match:
    """``values`` of the rows whose ``labels`` equal the current trend row's label (blank elsewhere).
    ``labels`` is a column, or an expression giving one value per row of it (PERIOD_LABEL over the
    date column: one call for the whole column)."""

    values: Col
    labels: Any


@dataclass(frozen=True)
class PeriodOf:
    """The Periods sheet's own cell of column ``key`` (a KPI with ``period``, or an earlier
    ``period_series``) in the row being written: ``$C4``. A column computed from other columns of the
    same row (the NPS band: NPS -/+ its margin) then calls no function again. ``expr`` is that
    column's expression: the data it reads (``data_refs``: the n/a notes and the absence checks follow
    it) and, in the evaluator, the value already computed for the row."""

    key: str
    expr: Any


@dataclass(frozen=True)
class PeriodCall:
    """One period's value of a call of ours that the Periods sheet computes for every period at once
    (one ``BY_PERIOD`` array formula down the hidden column ``key``: :mod:`.byperiod`), in the row
    being written (``=$H4``). ``call`` is the call as the spec wrote it (the data it reads:
    ``data_refs``); ``after``, columns whose error in this row is the value instead
    (``IF(ISERROR($E4),$E4,$H4)``), is left empty by the builder: its helper columns carry their
    arguments' errors themselves. The builder makes these nodes; specs do not write them."""

    key: str
    call: Any
    after: tuple = ()
    #: the label expression of the call's data rows (PERIOD_LABEL over their dates): a month with none
    #: of those rows whose value is not a number reads "n/a: no responses in 2024-06" (C1, session 5)
    empty: Any = None


@dataclass(frozen=True)
class CountStatus:
    """Complaints whose status is the canonical ``status`` (``pending``, ``resolved``, ``escalated``).

    Exports are canonicalised on the way in (:mod:`xl_cskpi.exports.statuses`), so a filled report's
    status column holds the canonical English values in every language. A user who types or pastes
    into a Persian or Arabic workbook by hand may use the report's own word instead (the category
    sheet's header, ``head.<status>``: قيد الانتظار, در انتظار); the dashboard counts both, so it
    agrees with ``COMPLAINT_SUMMARY`` on the same rows. In English it is ``COMPLAINTS(T[c],"s")``.
    """

    column: Col
    status: str


@dataclass(frozen=True)
class Word:
    """One of our labels (``"Healthy"``, what HEALTH_STATUS writes), in the report's language: the
    fa/ar formulas pass ``labels`` to HEALTH_STATUS, so a count of its words compares with the same
    translated word (:func:`xl_cskpi.labels.label`)."""

    text: str


@dataclass(frozen=True)
class Lang:
    """The report's language (``"en"``, ``"fa"``, ``"ar"``) as a table function's ``labels`` argument,
    for a call that writes an argument after ``labels`` (SURVIVAL_CURVE's ``customer_ids``): the
    builder appends ``labels`` only to a call that stops before it."""


@dataclass(frozen=True)
class Last:
    table: str
    column: str


@dataclass(frozen=True)
class Name:
    key: str


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple = ()

    def __init__(self, function: str, *args: Any):
        object.__setattr__(self, "function", function)
        object.__setattr__(self, "args", tuple(args))


@dataclass(frozen=True)
class Op:
    op: str
    left: Any
    right: Any


Expr = Union[Col, Cols, Row, RowBlock, SpillCol, SpillAt, Last, Name, Call, Op, CountStatus, Word, int, float, str]

#: Excel built-ins the specs may use, with the prefix Excel stores in the file for newer ones
#: (``_xlfn.``). The evaluator implements each of them in Python.
BUILTINS = {
    "SUM": "", "COUNT": "", "COUNTA": "", "AVERAGE": "", "MAX": "", "MIN": "",
    "INDEX": "", "ROWS": "", "IF": "", "IFERROR": "", "AND": "", "ISNUMBER": "",
    "OR": "", "ABS": "", "COUNTIF": "", "SQRT": "", "NA": "", "MATCH": "", "ISNA": "",
}


def functions_used(expr: Any) -> set[str]:
    """Every function name an expression calls (``Last`` calls INDEX and ROWS)."""
    if isinstance(expr, Call):
        out = {expr.function}
        for a in expr.args:
            out |= functions_used(a)
        return out
    if isinstance(expr, Op):
        return functions_used(expr.left) | functions_used(expr.right)
    if isinstance(expr, Last):
        return {"INDEX", "ROWS"}
    if isinstance(expr, Match):
        return {"IF"}
    if isinstance(expr, SpillAt):
        return {"INDEX", "MATCH"}
    if isinstance(expr, CountStatus):
        return {"COMPLAINTS"}
    return set()


def data_refs(expr: Any) -> list[tuple[str, str | None]]:
    """The data an expression reads, in order: ``(table, column)`` for a single column (``Col``,
    ``Row``, ``Last``, ``Match``, ``CountStatus``), ``(table, None)`` for a block (``Cols``,
    ``RowBlock``: blanks in a block are skipped, so only the table must be there). Names and spills are
    not followed (their own values carry their absence)."""
    if isinstance(expr, (Col, Row, Last)):
        return [(expr.table, expr.column)]
    if isinstance(expr, (Cols, RowBlock)):
        return [(expr.table, None)]
    if isinstance(expr, Match):
        return data_refs(expr.values) + data_refs(expr.labels)
    if isinstance(expr, CountStatus):
        return data_refs(expr.column)
    if isinstance(expr, PeriodOf):
        return data_refs(expr.expr)
    if isinstance(expr, PeriodCall):
        return data_refs(expr.call)
    if isinstance(expr, Call):
        return [r for a in expr.args for r in data_refs(a)]
    if isinstance(expr, Op):
        return data_refs(expr.left) + data_refs(expr.right)
    return []


# --------------------------------------------------------------------------- workbook parts

#: Column kinds: how a column is validated, formatted and read from exports.
COLUMN_KINDS = ("text", "id", "date", "datetime", "month", "count", "number", "money", "score", "rate")


@dataclass(frozen=True)
class Column:
    """One column of a data table.

    ``key`` is the header (and the name in structured references); ``aliases`` are other headers
    exports use for it. ``minimum``/``maximum`` become data validation; ``choices`` a list.
    ``formula`` makes it a calculated column (an expression of :class:`Row` nodes), filled by the
    builder in every row; such columns are not read from exports.
    """

    key: str
    kind: str = "text"
    aliases: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    required: bool = True
    formula: Any = None
    width: float = 14

    def __post_init__(self) -> None:
        if self.kind not in COLUMN_KINDS:
            raise ValueError(f"column {self.key}: unknown kind {self.kind!r}")


@dataclass(frozen=True)
class Table:
    """A data table: its own sheet, an Excel Table starting at A1, header row frozen."""

    name: str            # Excel table name (ASCII, used in structured references)
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"table {self.name} has no column {key!r}")

    @property
    def inputs(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.formula is None)


@dataclass(frozen=True)
class Setting:
    """A target or parameter on the settings sheet, exposed as a defined name ``key``.

    A tuple ``value`` takes one row per item and the name covers them all (health-score weights).
    """

    key: str
    value: Any
    kind: str = "number"          # a result kind (rate, money, days, ...) for the number format
    choices: tuple[str, ...] = () # a list choice (data validation) of these values


@dataclass(frozen=True)
class KPI:
    """A headline KPI cell on the dashboard, exposed as a defined name ``key``.

    ``target`` names a setting; ``better`` is "higher" or "lower": the cell is green on or past the
    target, amber within the settings' ``amber_band`` of it, red beyond, and the change from the
    previous period is green when it goes the better way; "neutral" (ticket volume, spend: up is
    neither good nor bad by itself) leaves the change uncoloured and takes no target. ``kind`` overrides the
    result kind of the outermost function (which picks the number format).
    """

    key: str
    expr: Any
    target: str | None = None
    better: str = "higher"
    kind: str | None = None
    headline: bool = False        # shown in the demo's summary and on the overview
    period: Any = None            # the KPI for one period: Match/SpillAt nodes pick the period row's data
    change: str | None = None     # "points" (rates, NPS) or "percent" (money, counts); default from the kind
    #: ``(successes, trials)``: the two counts a rate is ``successes / trials`` of; the dashboard shows
    #: ``RATE_INTERVAL(successes, trials, confidence_level)`` (Wilson) beside the value. With ``period``
    #: they are written like it (``in_month``/``Match``/``SpillAt`` nodes) and computed for the period
    #: shown; without, over the whole data like ``expr``.
    interval: tuple | None = None

    def __post_init__(self) -> None:
        if self.better not in ("higher", "lower", "neutral"):
            raise ValueError(f"KPI {self.key}: better is 'higher', 'lower' or 'neutral', not {self.better!r}")
        if self.better == "neutral" and self.target:
            raise ValueError(f"KPI {self.key}: a neutral KPI has no target to be on or off")
        if self.interval is not None and len(self.interval) != 2:
            raise ValueError(f"KPI {self.key}: interval is (successes, trials), two expressions")

    def change_kind(self, kind: str) -> str:
        """How the dashboard shows the change from the previous period: ``"points"`` (percentage
        points of a rate, NPS points) or ``"percent"`` (relative change of money, counts, times)."""
        return self.change or ("points" if kind in ("rate", "points") else "percent")


@dataclass(frozen=True)
class Spill:
    """A table-returning function placed on its own sheet, spilling from A3 (title in A1)."""

    key: str
    expr: Any
    rows: int = 13                # rows the template reserves (header + 12 months) for charts
    columns: int = 8
    color_scale: bool = False     # a red-amber-green colour scale over the body (from column 3)
    column_kinds: tuple[str, ...] = ()   # number format kinds of the first columns ...
    body_kind: str = "number"            # ... and of the others


@dataclass(frozen=True)
class Trend:
    """A table on its own sheet: one row per label of ``labels`` (a column, or an expression giving one
    label per row such as PERIOD_LABEL over a date column), one column per
    ``(key, expr)`` in ``series``, where :class:`Match` nodes pick the rows of that label. Each cell is
    a one-cell array formula, so Excel before dynamic arrays evaluates the ``IF`` over the column too.
    Labels are written from the data; in a template the label cells are blank for the user to fill."""

    key: str
    labels: Any
    series: tuple[tuple[str, Any], ...]
    kinds: tuple[str, ...] = ()
    rows: int = 12


@dataclass(frozen=True)
class Series:
    """A chart series: a table column (``Col``), or a column of a spill (``spill``, ``column`` 1-based).

    ``axis`` "secondary" draws it against a second value axis (response counts beside NPS); ``kind``
    "line" or "column" overrides the chart's kind for this series (a combo chart); ``hidden`` draws it
    with no fill, no line and no legend entry (the invisible base of a waterfall); ``labels`` shows
    its values as data labels. The defaults change nothing."""

    ref: Any
    title: str
    axis: str = "primary"         # "primary" | "secondary"
    kind: str | None = None       # None (the chart's kind) | "line" | "column"
    hidden: bool = False
    labels: bool = False

    def __post_init__(self) -> None:
        if self.axis not in ("primary", "secondary"):
            raise ValueError(f"series {self.title}: unknown axis {self.axis!r}")
        if self.kind not in (None, "line", "column"):
            raise ValueError(f"series {self.title}: unknown kind {self.kind!r}")


@dataclass(frozen=True)
class Chart:
    key: str
    kind: str                     # "line", "bar", "column", "pie"
    categories: Any               # Col(...), ("spill", key, column, rows), ("trend", key, column)
                                  # or ("kpis", column, (key, ...))
    series: tuple[Series, ...]
    percent: bool = False
    skip_first: bool = False      # leave out the first row (MRR_MOVEMENTS' first month is all "new")
    stacked: bool = False         # stacked columns (the MRR bridge: gains above zero, losses below)
    gaps: bool = True             # blank and #N/A cells are gaps in a line, never zeros
    y_title: str = ""             # i18n key of the (primary) value axis title, "" for none
    y2_title: str = ""            # i18n key of the secondary value axis title
    small: bool = False           # sparkline size: no axes, no legend, no title


@dataclass(frozen=True)
class Report:
    key: str                      # file name stem and CLI name: "survey_scores"
    tables: tuple[Table, ...]
    kpis: tuple[KPI, ...]
    settings: tuple[Setting, ...] = ()
    spills: tuple[Spill, ...] = ()
    charts: tuple[Chart, ...] = ()
    trends: tuple[Trend, ...] = ()
    extra_functions: tuple[str, ...] = field(default=())
    #: per-period columns charts draw besides the KPIs' own: ``(key, expr, kind)`` (retention beside
    #: churn, response counts beside NPS, the MRR bridge's movements)
    period_series: tuple[tuple[str, Any, str], ...] = ()
    #: a waterfall of the period shown: ``(spill key, ((i18n key, spill column, "total"|"up"|"down"), ...))``
    #: (the MRR bridge from starting to ending MRR)
    waterfall: tuple = ()

    @property
    def has_intervals(self) -> bool:
        return any(k.interval is not None for k in self.kpis)

    @property
    def has_periods(self) -> bool:
        return any(k.period is not None for k in self.kpis) or bool(self.period_series)

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(f"report {self.key} has no table {name!r}")

    def expressions(self):
        for k in self.kpis:
            yield k.key, k.expr
        for s in self.spills:
            yield s.key, s.expr
        for tr in self.trends:
            for k, e in tr.series:
                yield f"{tr.key}.{k}", e
        for k in self.kpis:
            if k.period is not None:
                yield f"periods.{k.key}", k.period
        for key, e, _ in self.period_series:
            yield f"periods.{key}", e
        for t in self.tables:
            for c in t.columns:
                if c.formula is not None:
                    yield f"{t.name}.{c.key}", c.formula
        for k in self.kpis:
            if k.interval is not None:
                yield f"interval.{k.key}", interval_call(k)


def interval_call(k: KPI) -> Call:
    """The dashboard's interval of a KPI with ``interval``: ``RATE_INTERVAL(successes, trials,
    confidence_level)`` (the setting; the builder adds it to a report without one)."""
    return Call("RATE_INTERVAL", k.interval[0], k.interval[1], Name("confidence_level"))
