"""The month label of every data row, computed once per date column (issues 14 and 17).

A KPI of one month (:class:`~xl_cskpi.reports.spec.Match`, ``specs/periodic.py``'s ``in_month``) keeps
the rows whose month label equals the month's: ``IF(T[c]="","",IF(<labels>=$A4,T[c],""))``. Written
with ``PERIOD_LABEL(T[d],"month",calendar)`` as ``<labels>``, every cell of the Periods sheet, of a
trend sheet and every dashboard interval called PERIOD_LABEL over the whole date column again:
survey_scores made 168 such calls per recalculation at 10,000 responses (320 calls of our functions
in all).

Here each distinct label expression (one per dated table and calendar) is computed **once**: one
array formula ``{=PERIOD_LABEL(Responses[submitted_at],"month",calendar)}`` down a column of the hidden
chart-data sheet, below its other blocks, and every ``Match`` reads that column instead:
``INDEX(H,1):INDEX(H,ROWS(T[c]))`` (``H`` the helper's range), a range as long as the table, so it
lines up with ``T[c]`` row for row. Only built-ins do the comparing; Excel recalculates the helper
only when the dates change.

The helper reaches ``HEADROOM`` rows (or a tenth more) past the table's rows (a template:
``TEMPLATE_ROWS``), so rows pasted later are labelled too; its cells past the table's rows show #N/A (the array is longer than
PERIOD_LABEL's result), which no formula reads. A table longer than the helper makes the month's
KPIs #REF! (``INDEX`` past the helper's end), never a wrong number; ``xl-cskpi report`` sizes the
helper to the data again. A legacy array formula (not a dynamic-array spill): Excel 2010 and
LibreOffice 7.4, which has no spill references (``A1#``), compute it too.

The ``--values`` report writes the labels themselves in the same cells (the Python evaluator computed
them once already: :func:`.evaluate.row_labels`), so both kinds of report hold the same cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from openpyxl.utils import get_column_letter, quote_sheetname

from .spec import Call, Col, Match, Op, Report

__all__ = ["Helper", "label_expressions", "plan", "write", "HEADROOM", "TEMPLATE_ROWS", "SHEET_ROWS"]

#: Rows a filled report's helper reaches past its table's rows (rows pasted later are labelled too),
#: or a tenth of the rows when that is more: a month pasted into a year of data. (Kept modest: Excel's
#: INDEX only points into the helper, but the ``formulas`` engine of the tests copies it per cell.)
HEADROOM = 1_000
#: Rows of a template's helper: the rows a user may paste by hand.
TEMPLATE_ROWS = 100_000
#: Rows of a worksheet (Excel and LibreOffice).
SHEET_ROWS = 1_048_576


@dataclass(frozen=True)
class Helper:
    """One label column: ``expr`` (a call over ``table[column]``) down ``column`` of the chart-data
    sheet from ``first`` for ``rows`` rows (header in ``first - 1``)."""

    expr: Call
    table: str
    column: int
    first: int
    rows: int

    def ref(self, sheet: str) -> str:
        L = get_column_letter(self.column)
        return f"{quote_sheetname(sheet)}!${L}${self.first}:${L}${self.first + self.rows - 1}"


def _walk(expr: Any) -> Iterable[Any]:
    yield expr
    if isinstance(expr, Call):
        for a in expr.args:
            yield from _walk(a)
    elif isinstance(expr, Op):
        yield from _walk(expr.left)
        yield from _walk(expr.right)
    elif isinstance(expr, Match):
        yield from _walk(expr.values)
        yield from _walk(expr.labels)


def _date_column(expr: Any) -> Col | None:
    """The one table column a label expression reads (its other arguments literals and names)."""
    if not isinstance(expr, Call):
        return None
    cols = [a for a in expr.args if isinstance(a, Col)]
    others = [a for a in expr.args if not isinstance(a, Col)]
    if len(cols) != 1 or any(isinstance(a, (Call, Op, Match)) for a in others):
        return None
    return cols[0]


def label_expressions(report: Report) -> list[Call]:
    """The distinct label expressions of the report's ``Match`` nodes that read one column of a table
    (``PERIOD_LABEL(T[d], "month", calendar)``), in the order the report uses them."""
    out: list[Call] = []
    for _, expr in report.expressions():
        for node in _walk(expr):
            if isinstance(node, Match) and _date_column(node.labels) is not None and node.labels not in out:
                out.append(node.labels)
    return out


def plan(report: Report, tables: Mapping[str, Any] | None, below: int) -> list[Helper]:
    """The helpers of ``report``: one column each from column A, header in row ``below + 1``, labels
    from ``below + 2``; ``tables`` the data (None: a template)."""
    out = []
    first = below + 2
    for j, expr in enumerate(label_expressions(report), 1):
        col = _date_column(expr)
        if tables is None:
            rows = TEMPLATE_ROWS
        else:
            df = tables.get(col.table)
            n = len(df) if df is not None else 0
            rows = max(n, 1) + max(HEADROOM, n // 10)
        rows = min(rows, SHEET_ROWS - first + 1)
        out.append(Helper(expr, col.table, j, first, rows))
    return out


def refs(helpers: list[Helper], sheet: str) -> dict[Any, tuple[str, str]]:
    """``{label expression: (helper range, table)}`` for :class:`~.formula_text.Names`."""
    return {h.expr: (h.ref(sheet), h.table) for h in helpers}


def write(sh, ws, helpers: list[Helper], *, names, values: bool, labels: Mapping[Any, Any], t) -> None:
    """The helpers on the chart-data sheet: the header (the formula it computes), then in a live report
    the array formula, in a ``--values`` report the labels (``labels[expr]``: one per table row, or the
    error the live formula shows in each). ``sh`` is the sheet's grid (flushed here), ``ws`` its
    worksheet: the labels are streamed after the grid (a million rows stay cheap)."""
    from openpyxl.worksheet.formula import ArrayFormula

    from ..errors import KPIError
    from .dashboard import shown_value
    from .formula_text import render

    for h in helpers:
        text = render(h.expr, names)
        sh.put(h.first - 1, h.column, text, bold=True, text=True)
        if not values:
            L = get_column_letter(h.column)
            sh.put(h.first, h.column, ArrayFormula(f"{L}{h.first}:{L}{h.first + h.rows - 1}", "=" + text))
    sh.flush()
    if not values or not helpers:
        return
    columns = []
    for h in helpers:
        v = labels.get(h.expr)
        if isinstance(v, KPIError):    # the live array shows the function's error in its cells
            v = [shown_value(v, t)] * h.rows
        columns.append(list(v or []))
    width = max(h.column for h in helpers)
    for i in range(max(len(c) for c in columns)):
        row: list[Any] = [None] * width
        for h, col in zip(helpers, columns):
            if i < len(col):
                row[h.column - 1] = col[i]
        ws.append(row)
