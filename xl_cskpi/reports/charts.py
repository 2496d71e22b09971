"""Dashboard charts: where a chart's series live in the workbook, and whether their data was given.

A chart reads cells the builder wrote: a data table's column (``Col``), a spilled table's column
(``("spill", key, column, rows)``), a trend column (``("trend", key, column)``) or KPI cells of the
dashboard (``("kpis", column, keys)``). A chart whose data was not given (:func:`chart_absence`) is
left out of a ``--values`` report and kept, its title marked with the reason, in a live one (where the
user may paste the data later); a series over a column not given is left out of the chart.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.series import SeriesLabel

from .evaluate import Absent, absence
from .spec import Col, Report

__all__ = ["chart", "chart_ref", "chart_absence", "series_absence"]


def series_absence(ref: Any, report: Report, computed, tables, given) -> Absent | None:
    """Why the cells a chart reference points to hold no data, or None."""
    if isinstance(ref, Col):
        return absence(ref, tables, given)
    if ref[0] == "trend":
        tr = next(s for s in report.trends if s.key == ref[1])
        expr = tr.labels if ref[2] == 1 else tr.series[ref[2] - 2][1]
        return absence(expr, tables, given) or absence(tr.labels, tables, given)
    if ref[0] == "kpis":
        found = [computed.get(k) for k in ref[2]]
        if found and all(isinstance(v, Absent) for v in found):
            return found[0]
        return None
    v = computed.get(ref[1])
    return v if isinstance(v, Absent) else None


def chart_absence(ch, report: Report, computed, tables, given) -> Absent | None:
    """Why a chart has nothing to show: its categories were not given, or none of its series."""
    found = series_absence(ch.categories, report, computed, tables, given)
    if found is not None:
        return found
    gone = [series_absence(s.ref, report, computed, tables, given) for s in ch.series]
    return gone[0] if gone and all(g is not None for g in gone) else None


def chart_ref(x: Any, report: Report, computed, sheet_title, data_rows, kpi_row) -> tuple[str, int, int, int]:
    """(sheet title, column, first row, last row) of a chart reference (header row included)."""
    if isinstance(x, Col):
        tb = report.table(x.table)
        j = [c.key for c in tb.columns].index(x.column) + 1
        return sheet_title[f"table:{x.table}"], j, 1, 1 + data_rows(tb)
    if x[0] == "trend":
        tr = next(s for s in report.trends if s.key == x[1])
        v = computed.get(x[1])
        n = len(v) if isinstance(v, pd.DataFrame) else tr.rows
        return sheet_title[f"trend:{x[1]}"], x[2], 3, 3 + max(n, 1)
    if x[0] == "kpis":
        rows = [kpi_row[k] for k in x[2]]
        return sheet_title["dashboard"], x[1], min(rows) - 1, max(rows)
    _, key, column, rows = x
    v = computed.get(key)
    if rows is None:   # as many rows as the result has (the template reserves a year of months)
        rows = len(v) if isinstance(v, pd.DataFrame) else next(s.rows for s in report.spills if s.key == key) - 1
    return sheet_title[f"spill:{key}"], column, 3, 3 + rows


class _Ref:
    def __init__(self, title: str):
        self.title = title


def chart(ch, t, resolve, *, series=None, note: str = "") -> Any:
    """The openpyxl chart of ``ch``; ``series`` (default: all of the spec's) are the series drawn,
    ``note`` is added to the title (why its data is missing)."""
    cls = {"line": LineChart, "bar": BarChart, "column": BarChart, "pie": PieChart}[ch.kind]
    chart = cls()
    if ch.kind == "bar":
        chart.type = "bar"
    elif ch.kind == "column":
        chart.type = "col"
    chart.title = t(f"chart.{ch.key}") + (f" ({note})" if note else "")
    chart.width, chart.height = 18, 8.5
    skip = 1 if ch.skip_first else 0
    for s in (ch.series if series is None else series):
        title, col, r0, r1 = resolve(s.ref)
        chart.add_data(Reference(_Ref(title), min_col=col, min_row=r0 + 1 + skip, max_row=r1), titles_from_data=False)
        chart.series[-1].tx = SeriesLabel(v=t(s.title))
        if ch.kind == "line":
            chart.series[-1].smooth = False
            chart.series[-1].marker.symbol = "circle"    # a month of data alone is a point, not nothing
            chart.series[-1].marker.size = 5
    title, col, r0, r1 = resolve(ch.categories)
    chart.set_categories(Reference(_Ref(title), min_col=col, min_row=r0 + 1 + skip, max_row=r1))
    if ch.percent and ch.kind != "pie":
        chart.y_axis.number_format = "0%"
    if ch.kind != "pie":
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        chart.legend.position = "b"
    return chart
