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
from openpyxl.chart.data_source import NumFmt
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.legend import LegendEntry
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.chart.title import Title
from openpyxl.drawing.colors import ColorChoice
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Font as DrawingFont, Paragraph, ParagraphProperties, RegularTextRun

from .evaluate import Absent, absence
from .i18n import RTL
from .spec import Col, Report

__all__ = ["chart", "chart_ref", "chart_absence", "series_absence", "SIZE", "SMALL_SIZE", "TRANSLUCENT", "MEANING_COLORS"]


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


#: The size of a chart on the dashboard and of a sparkline-size one (``Chart.small``), in cm.
SIZE = (18, 8.5)
SMALL_SIZE = (4.2, 1.1)

#: The fill of columns on a secondary axis in a combo chart, a light blue-grey that
#: :func:`.saving.reproducible` makes 55 % opaque (openpyxl writes no colour transparency).
TRANSLUCENT = "9DB7D5"

#: Colours by meaning, not by the palette's order: a waterfall's increases green, its decreases red
#: (its base is invisible). Keys are chart references (``Series.ref``).
MEANING_COLORS = {("waterfall", "up"): "2E8B3E", ("waterfall", "down"): "C0392B",
                  # the monthly MRR bridge: gains in greens, losses in reds
                  ("window", "new_mrr"): "1E7B34", ("window", "expansion_mrr"): "5DB86A",
                  ("window", "reactivation_mrr"): "A3D9A5", ("window", "contraction_mrr"): "F1948A",
                  ("window", "churned_mrr"): "C0392B",
                  # the survival curve's 95 % band: grey, under the estimate's own colour
                  ("spill", "survival_curve", 6, None): "A6A6A6", ("spill", "survival_curve", 7, None): "A6A6A6"}
#: A waterfall's totals (starting and ending MRR, drawn in its increase column): neutral blue.
TOTAL_COLOR = "4472C4"

#: Secondary value axes get this id (openpyxl's primary axes are 10 and 100).
_Y2 = 200


def _text(font: str | None, rtl: bool, size: float | None = None, bold: bool | None = None) -> RichText:
    """Text properties of a chart part: the report's font for Latin and complex scripts (Persian and
    Arabic text is "complex script": without ``cs`` Excel draws it in the theme font) and a
    right-to-left paragraph in fa/ar."""
    cp = CharacterProperties(sz=int(size * 100) if size else None, b=bold,
                             latin=DrawingFont(typeface=font) if font else None,
                             cs=DrawingFont(typeface=font) if font else None)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=cp, rtl=rtl or None), r=[], endParaRPr=cp)])


def _title(text: str, font: str | None, rtl: bool, size: float = 12) -> Title:
    cp = CharacterProperties(sz=int(size * 100), b=True,
                             latin=DrawingFont(typeface=font) if font else None,
                             cs=DrawingFont(typeface=font) if font else None)
    paras = [Paragraph(pPr=ParagraphProperties(defRPr=cp, rtl=rtl or None), r=[RegularTextRun(rPr=cp, t=line)])
             for line in text.split("\n")]
    title = Title()
    title.tx.rich.paragraphs = paras
    title.overlay = False
    return title


def _group_kind(ch, s) -> str:
    kind = getattr(s, "kind", None) or ch.kind
    return "column" if kind == "bar" and ch.kind == "column" else kind


def chart(ch, t, resolve, *, series=None, note: str = "", font: str | None = None, lang: str = "en",
          totals: tuple[int, ...] = ()) -> Any:
    """The openpyxl chart of ``ch``; ``series`` (default: all of the spec's) are the series drawn,
    ``note`` is added to the title (why its data is missing); ``font`` is the report's font (all chart
    text, Latin and Persian/Arabic) and ``lang`` its language (fa/ar: right-to-left paragraphs).
    Series are coloured by meaning where :data:`MEANING_COLORS` names their reference (a waterfall's
    increases green, decreases red); ``totals`` are the 0-based points of a waterfall's increase
    series that are totals (drawn neutral blue).

    Reads the spec fields ``Series.axis/kind/hidden/labels`` and ``Chart.stacked/gaps/y_title/
    y2_title/small`` (defaults when a spec predates them). What renders where (checked by rendering a
    workbook of every feature with LibreOffice 7.4 and reading the file it re-saves, tests/
    test_charts.py; Excel per the ECMA-376 chart schema and Microsoft's c16r3 extension, which only
    Excel can confirm):

    ===============================================  ===========================  ==================
    feature                                          LibreOffice                  Excel
    ===============================================  ===========================  ==================
    stacked columns, losses below zero (overlap 100)  yes                          yes
    zero line (category axis crossing at zero)        yes                          yes
    category labels at the bottom (``tickLblPos``)    yes                          yes
    combo: columns on a secondary axis + line         yes (right-hand axis)        yes
    translucent secondary columns (``alpha``, the     yes (the line shows through) yes (Excel draws
      line stays visible through them)                                             the secondary
                                                                                   axis' series in
                                                                                   front)
    hidden series (no fill, no line)                  yes                          yes
    hidden series' legend entry removed               yes (7.4)                    yes
    blank cells as gaps (``dispBlanksAs="gap"``)      yes                          yes
    #N/A not plotted                                  yes (a gap)                  a gap in 365 (the
                                                                                   ``dispNaAsBlank``
                                                                                   extension
                                                                                   :mod:`.saving`
                                                                                   adds); older Excel
                                                                                   joins the line
                                                                                   across it
    sparkline-size chart (no axes, legend, title)     yes                          yes
    axis titles                                       yes                          yes
    percent axis (``0%``), secondary axis format      yes                          yes
      from its cells (``sourceLinked``); in fa/ar
      plain numbers (LibreOffice clips labels mixing
      "تومان" and digits at the chart's edge)
    report font (``latin`` and ``cs`` typefaces)      the ``latin`` typeface (the  yes
                                                      font then draws Persian and
                                                      Arabic too); ``cs`` dropped
    right-to-left paragraphs (``rtl``) in titles,    dropped when it re-saves;    yes
      legend and axis labels                          its own bidi layout draws
                                                      fa/ar text right to left
    data labels                                       yes                          yes
    ===============================================  ===========================  ==================
    """
    rtl = lang in RTL
    small = bool(getattr(ch, "small", False))
    stacked = bool(getattr(ch, "stacked", False))
    drawn = list(ch.series if series is None else series)
    # one openpyxl chart per (kind, axis) group: the primary axis' groups first (LibreOffice takes
    # the first group's value axis as the left-hand, primary one, whatever ``crosses`` says), and on
    # one axis columns before lines (drawn in file order: the line over the bars)
    groups: dict[tuple[str, str], list] = {}
    for s in drawn:
        axis = getattr(s, "axis", "primary") or "primary"
        groups.setdefault((_group_kind(ch, s), axis), []).append(s)
    if not groups:
        groups[(ch.kind, "primary")] = []
    order = sorted(groups, key=lambda g: (g[1] != "primary", g[0] not in ("column", "bar")))
    cls = {"line": LineChart, "bar": BarChart, "column": BarChart, "pie": PieChart}
    parts = []
    for kind, axis in order:
        c = cls[kind]()
        if kind == "bar":
            c.type = "bar"
        elif kind == "column":
            c.type = "col"
        if kind in ("bar", "column"):
            if stacked:
                c.grouping = "stacked"
                c.overlap = 100
            c.gapWidth = 60 if small else 80
        if axis == "secondary" and kind != "pie":
            c.y_axis.axId = _Y2
            c.y_axis.crosses = "max"
        parts.append(c)
    main = parts[0]
    for c in parts[1:]:
        main += c

    skip = 1 if ch.skip_first else 0
    hidden: list[int] = []
    index = 0
    for (kind, axis), c in zip(order, parts):
        for s in groups[(kind, axis)]:
            title, col, r0, r1 = resolve(s.ref)
            c.add_data(Reference(_Ref(title), min_col=col, min_row=r0 + 1 + skip, max_row=r1), titles_from_data=False)
            ser = c.series[-1]
            ser.tx = SeriesLabel(v=t(s.title))
            if kind == "line":
                ser.smooth = False
                if small:
                    ser.marker.symbol = "none"
                    ser.graphicalProperties.line.width = 12700     # 1 pt
                else:
                    ser.marker.symbol = "circle"    # a month of data alone is a point, not nothing
                    ser.marker.size = 5
            if axis == "secondary" and kind in ("bar", "column") and len(parts) > 1:
                # Excel draws the secondary axis' series in front of the primary ones: translucent
                # bars keep the primary line visible through them
                ser.graphicalProperties.solidFill = ColorChoice(srgbClr=TRANSLUCENT)
            if getattr(s, "hidden", False):     # the invisible base of a waterfall
                ser.graphicalProperties.noFill = True
                ser.graphicalProperties.line.noFill = True
                hidden.append(index)
            elif isinstance(s.ref, tuple) and s.ref in MEANING_COLORS:
                color = MEANING_COLORS[s.ref]
                ser.graphicalProperties.solidFill = ColorChoice(srgbClr=color)
                ser.graphicalProperties.line.solidFill = ColorChoice(srgbClr=color)
                if s.ref == ("waterfall", "up"):
                    for i in totals:
                        pt = DataPoint(idx=i)
                        pt.graphicalProperties.solidFill = ColorChoice(srgbClr=TOTAL_COLOR)
                        pt.graphicalProperties.line.solidFill = ColorChoice(srgbClr=TOTAL_COLOR)
                        ser.dPt.append(pt)
            if getattr(s, "labels", False) and not getattr(s, "hidden", False):
                ser.dLbls = DataLabelList(showVal=True, showSerName=False, showCatName=False,
                                          showLegendKey=False, showPercent=False)
                ser.dLbls.txPr = _text(font, rtl, 8)
            index += 1
    # series are numbered across the groups (openpyxl rebases each group's idx on write)
    title, col, r0, r1 = resolve(ch.categories)
    for c in parts:
        c.set_categories(Reference(_Ref(title), min_col=col, min_row=r0 + 1 + skip, max_row=r1))

    main.display_blanks = "gap" if getattr(ch, "gaps", True) else "span"
    width, height = SMALL_SIZE if small else SIZE
    main.width, main.height = width, height
    if small:
        main.title = None
        main.legend = None
        # the plot fills the frame (LibreOffice's automatic layout leaves no room at this size)
        main.layout = Layout(manualLayout=ManualLayout(x=0.02, y=0.06, w=0.96, h=0.88,
                                                       xMode="edge", yMode="edge", layoutTarget="inner"))
        for c in parts:
            if ch.kind != "pie":
                c.x_axis.delete = True
                c.y_axis.delete = True
                c.y_axis.majorGridlines = None
        return main

    main.title = _title(t(f"chart.{ch.key}") + (f" ({note})" if note else ""), font, rtl)
    main.legend.position = "b"
    main.legend.txPr = _text(font, rtl, 9)
    if hidden:
        main.legend.legendEntry = [LegendEntry(idx=i, delete=True) for i in hidden]
    if ch.kind == "pie":
        return main
    y_title = getattr(ch, "y_title", "") or ""
    y2_title = getattr(ch, "y2_title", "") or ""
    for (kind, axis), c in zip(order, parts):
        c.y_axis.delete = False
        c.x_axis.delete = axis == "secondary" and c is not main   # one category axis shown
        c.y_axis.txPr = _text(font, rtl, 8)
        c.x_axis.txPr = _text(font, rtl, 8)
        if axis == "primary":
            if ch.percent:
                c.y_axis.number_format = "0%"
            elif rtl:
                # LibreOffice clips axis labels that mix Persian/Arabic text and digits ("60,000
                # تومان" loses its digits at the chart's edge): plain numbers on the axis
                c.y_axis.numFmt = NumFmt(formatCode="General", sourceLinked=False)
            if y_title:
                c.y_axis.title = _title(t(y_title, default=y_title), font, rtl, 9)
        else:
            if ch.percent:   # a percent chart's second axis is a rate too (retention beside churn)
                c.y_axis.number_format = "0%"
            else:            # the cells' own format (plain numbers in fa/ar, as on the primary axis)
                c.y_axis.numFmt = NumFmt(formatCode="General", sourceLinked=not rtl)
            c.y_axis.majorGridlines = None     # one set of gridlines: the primary axis'
            if y2_title:
                c.y_axis.title = _title(t(y2_title, default=y2_title), font, rtl, 9)
    main.x_axis.delete = False
    if stacked or any(g[0] in ("column", "bar") for g in order):
        # losses below zero: the category axis crosses the value axis at zero (the zero line), its
        # labels stay at the bottom of the plot, under the negative bars
        main.x_axis.crosses = "autoZero"
        main.x_axis.tickLblPos = "low"
        main.x_axis.spPr = GraphicalProperties(ln=LineProperties(solidFill="595959", w=12700))
    return main
