"""The one builder: renders a :class:`~xl_cskpi.reports.spec.Report` to an ``.xlsx`` workbook.

Sheets, in order: Instructions, Dashboard (KPI cells with targets, status and charts), one sheet per
spilled table, one per data table (an Excel Table from A1, header frozen, validated columns), and
Settings (targets as defined names). The same call writes

* a template (``data=None``: every table has one empty row to paste into),
* a report with live formulas (``data`` given), or
* a report with computed values (``values=True``: every KPI computed by the Python functions).

A report runs from whichever of its tables are given (a table is given when its name is a key of
``data``). What the workbook shows for data that was not given (a table, or an optional column blank
in every row):

* ``--values``: the KPI cell says so in words ("n/a: no employee survey given", translated), a spilled
  table the same sentence, a trend cell "n/a" with the reason under the table; charts over it are left
  out, and a series over a column not given is left out of its chart.
* live formulas: every formula stays (the user may paste the data later); the status cell of such a
  KPI says "n/a: no employee survey given" for as long as the column it needs is empty (a formula:
  ``IF(COUNTA(T[c])=0, ...)``), a spilled table's sheet says so above it, and its charts stay, their
  title marked with the reason.

With a :class:`~xl_cskpi.exports.check.DataCheck`, ``build`` adds one finding per KPI that is an error
(with the function's reason and the row) or n/a (:mod:`.datacheck`) to it and writes every finding
as the "Data check" sheet, after the dashboard.

The builder lays the workbook out; the rooms beside it do the rest: :mod:`.formula_text` (expressions
to formula text), :mod:`.sheets` (cells in openpyxl's write-only mode: a million-row export streams to
disk), :mod:`.charts`, :mod:`.datacheck`, and :mod:`.saving` (reproducible bytes, written atomically). Table-returning functions (``MRR_MOVEMENTS``...)
are written as dynamic-array formulas: an array formula on the anchor cell plus the cell metadata
Excel 365 writes for a spilling formula (added by :func:`.saving.save`). Engines without
dynamic arrays (LibreOffice, ``formulas``) see a one-cell array formula.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import Any, Callable, Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table as XLTable, TableColumn, TableFormula, TableStyleInfo

from ..errors import DivisionByZero, KPIError, NotAvailable, excel_error_text
from ..exports.check import DataCheck
from ..registry import REGISTRY
from . import dashboard as dash, rowlabels
from .charts import chart as _chart, chart_ref as _chart_ref
from .datacheck import (count_findings, kpi_findings, month_findings, repeated_id_findings, score_range_findings,
                        write_check_sheet)
from .evaluate import Absent, check_report, evaluate_report
from .formula_text import SPILL_ROWS, Names, absent_while_empty, render, result_kind, while_empty
from .i18n import FONTS, RTL, STRINGS, calendar, number_format, translator
from .charts import SIZE as CHART_SIZE
from .layout import column_after, fit_widths
from .saving import FIXED_TIME, save as _save
from .datecols import display_columns, display_formula
from .sheets import (AMBER, HEADER_FILL, RED, SETTING_FILL, VALIDATION_ROWS, Sheet, alignment, cell_value,
                     display_headers,
                     print_setup, sheet_view, validation, widths, write_rows)
from .spec import Column, Report, Row, Setting

__all__ = ["build", "render", "FIXED_TIME", "result_kind"]



# --------------------------------------------------------------------------- the builder

def build(report: Report, path: str | os.PathLike, *, lang: str = "en",
          data: Mapping[str, pd.DataFrame] | None = None, values: bool = False,
          progress: Callable[[str], None] | None = None, overwrite: bool = True,
          settings: Mapping[str, Any] | None = None, check: DataCheck | None = None,
          period: str | None = None) -> dict[str, Any]:
    """Write ``report`` to ``path``; return the Python values of its KPIs (when data is given).

    ``data`` maps table names to DataFrames whose columns are the tables' input column keys; a table
    whose name is not a key was not given, and a KPI that needs it (or an optional column blank in
    every row) is an :class:`~xl_cskpi.reports.evaluate.Absent` ("n/a: no employee survey given";
    ``value.text(translator(lang))`` in the report's language). ``settings`` overrides setting values
    (the demo sets the customer count it generated). ``check``: the run's data check; the KPI
    findings (:func:`.datacheck.kpi_findings`) are appended to it and all of it is written as the
    "Data check" sheet. ``period``: the month to show (``"2024-09"``, ``"1403-06"``, ``"Shahrivar 1403"``:
    :func:`.period.resolve`; a month the data does not cover raises
    :class:`~xl_cskpi.reports.period.PeriodError` listing the months it does); None: the latest
    complete month (:mod:`.dashboard`). It is kept as the ``report_period`` setting.
    """
    check_report(report)
    if any(s.key == "calendar" for s in report.settings) and "calendar" not in (settings or {}):
        # a Persian report buckets by Jalali month, an Arabic one by Umm al-Qura month; a calendar
        # given explicitly (the command line keeps a filled template's own setting) wins
        settings = {**(settings or {}), "calendar": calendar(lang)}
    if any(s.key == "work_schedule" for s in report.settings) and "work_schedule" not in (settings or {}):
        # the working week of the reader's country (C: fa -> iran, ar -> saudi, en -> western)
        from ..business_time import LANGUAGE_PRESETS
        settings = {**(settings or {}), "work_schedule": LANGUAGE_PRESETS.get(lang, "western")}
    t = translator(lang)
    cal = (settings or {}).get("calendar") or calendar(lang)
    pp = dash.plan(report, data, cal, period, lang=lang)
    names = Names(report, t, lambda key: sheet_title[f"spill:{key}"], lang)
    font = FONTS.get(lang, FONTS["en"])
    say = progress or (lambda msg: None)

    tables: dict[str, pd.DataFrame] = {}
    for tb in report.tables:
        df = (data or {}).get(tb.name)
        if df is None:
            df = pd.DataFrame({c.key: pd.Series([], dtype=object) for c in tb.inputs})
        tables[tb.name] = df.reset_index(drop=True).copy() if data is not None else df
    given = None if data is None else {tb.name for tb in report.tables if data.get(tb.name) is not None}
    computed: dict[str, Any] = {}
    if data is not None:
        say("computing KPIs")
        computed = evaluate_report(report, tables, settings, lang=lang, given=given,
                                   labels=lambda table, column: names.header(table, column),
                                   period_labels=pp.labels if pp else None, period=pp.shown if pp else None)
    if check is not None:   # once per run, however many workbooks are built from it (the demo builds two)
        from .specs.survey_scale import scale_findings
        check.extend(f for f in kpi_findings(report, computed, data, translator("en")) + (
            month_findings(report, data, cal, pp.shown) if pp else []) + scale_findings(report, data, settings)
            + score_range_findings(report, data) + count_findings(data) + repeated_id_findings(data)
            if f not in check.findings)

    wb = Workbook(write_only=True)
    wb.properties.creator = "xl_cskpi"
    wb.properties.lastModifiedBy = "xl_cskpi"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.title = t(f"report.{report.key}.title")
    wb.properties.identifier = f"xl_cskpi:{report.key}"
    wb.properties.language = lang
    if not values:
        wb.calculation.fullCalcOnLoad = True

    sheet_title = {
        "instructions": t("sheet.instructions"),
        "dashboard": t("sheet.dashboard"),
        "settings": t("sheet.settings"),
    }
    if check is not None:
        sheet_title["check"] = t("sheet.data_check")
    for tb in report.tables:
        sheet_title[f"table:{tb.name}"] = t(f"sheet.{tb.name}", default=tb.name)
    for sp in report.spills:
        sheet_title[f"spill:{sp.key}"] = t(f"sheet.{sp.key}", default=sp.key)
    for tr in report.trends:
        sheet_title[f"trend:{tr.key}"] = t(f"sheet.{tr.key}", default=tr.key)
    if pp:
        sheet_title["periods"] = t("sheet.periods")
    # an empty template's charts over a spilled table read a window of its latest rows (issue 13,
    # item 6): a history longer than the rows a template reserves shows its last year, not its first
    window = _chart_windows(report) if data is None and not values else {}
    # the month label of every data row, once per date column, below the chart data (.rowlabels)
    below = max([dash.RAW_ROW] + ([dash.FIRST - 1 + max(dash.WINDOW, len(dash.waterfall_rows(report)))] if pp else [])
                + [3 + n for _, n in window.values()]) + 1
    helpers = rowlabels.plan(report, tables if data is not None else None, below)
    if window or pp or dash.raw_keys(report) or helpers:
        sheet_title["chart_data"] = t("sheet.chart_data", default="Chart data")
        names.row_labels = rowlabels.refs(helpers, sheet_title["chart_data"])
    for title in sheet_title.values():
        if len(title) > 31 or any(ch in title for ch in "[]:*?/\\"):
            raise ValueError(f"sheet name {title!r}: at most 31 characters, none of []:*?/\\")

    def ref(sheet_key: str, cell: str) -> str:
        return f"{quote_sheetname(sheet_title[sheet_key])}!{cell}"

    def data_rows(tb) -> int:
        return max(len(tables[tb.name]), 1)

    # ---------------------------------------------------------------- settings layout (names first)
    overrides = dict(settings or {})
    settings_list = [Setting(s.key, overrides.get(s.key, s.value), s.kind, s.choices) for s in report.settings]
    if not any(s.key == "amber_band" for s in settings_list):
        settings_list.append(Setting("amber_band", 0.1, "rate"))
    if report.has_intervals and not any(s.key == "confidence_level" for s in settings_list):
        # the confidence of the rate intervals beside the KPIs (a report with an NPS margin has its own)
        from .kpicells import INTERVAL_CONFIDENCE
        settings_list.append(Setting("confidence_level", overrides.get("confidence_level", INTERVAL_CONFIDENCE),
                                     "rate"))
    if not any(s.key == "report_period" for s in settings_list):   # blank: the latest complete month
        settings_list.append(Setting("report_period", pp.asked if pp else None, "text"))
    setting_row: dict[str, int] = {}
    row = 2
    for s in settings_list:
        setting_row[s.key] = row
        height = len(s.value) if isinstance(s.value, tuple) else 1
        last = f":$B${row + height - 1}" if height > 1 else ""
        wb.defined_names[s.key] = DefinedName(s.key, attr_text=ref("settings", f"$B${row}{last}"))
        row += height
    kpi_row = {k.key: 5 + i for i, k in enumerate(report.kpis)}
    wb.defined_names["period_shown"] = DefinedName("period_shown", attr_text=ref("dashboard", "$B$3"))
    if pp:
        wb.defined_names["period_row"] = DefinedName("period_row", attr_text=ref("periods", "$B$2"))
    for k in report.kpis:
        wb.defined_names[names.name(k.key)] = DefinedName(names.name(k.key),
                                                          attr_text=ref("dashboard", f"$B${kpi_row[k.key]}"))
    dynamic: dict[str, list[str]] = {}
    sheet_index: dict[str, int] = {}

    macro = Path(path).suffix.lower() == ".xlsm"   # macro-enabled, wired to xlwings (issue 13, item 2)

    def new_sheet(key: str):
        ws = wb.create_sheet(sheet_title[key])
        sheet_index[key] = len(wb.worksheets)
        if macro:   # the code names the VBA project's document modules expect (set before writing)
            ws.sheet_properties.codeName = f"Sheet{len(wb.worksheets)}"
        sheet_view(ws, lang)
        return ws

    # ---------------------------------------------------------------- instructions
    ws = new_sheet("instructions")
    sh = Sheet(ws, font)
    widths(ws, [28, 16, 90])
    sh.put(1, 1, t(f"report.{report.key}.title"), bold=True, size=16)
    sh.put(2, 1, t(f"report.{report.key}.intro"))
    sh.put(4, 1, t("instructions.how"), bold=True, size=13)
    data_sheets = ", ".join(sheet_title[f"table:{tb.name}"] for tb in report.tables)
    ours = {f for _, e in report.expressions() for f in _funcs(e) if f in REGISTRY}
    if pp is not None and pp.compiled.calls:      # the Periods sheet's columns call BY_PERIOD (.byperiod)
        from .byperiod import FUNCTION
        ours.add(FUNCTION)
    ours = sorted(ours)
    lines = [
        t("instructions.1", sheets=data_sheets, report=report.key),
        t("instructions.2"),
        t("instructions.3", settings=sheet_title["settings"]),
        # a workbook of Excel built-ins only (customer_health since issue 13 item 5) needs no add-in
        # (said once the language has the sentence: until then fa/ar keep the general line)
        t("instructions.4") if ours or (lang != "en" and "instructions.4_none" not in STRINGS.get(lang, {})) else
        t("instructions.4_none", default="4. The formulas of this workbook are Excel's own: it computes "
                                          "without the xl_cskpi add-in."),
        t("instructions.5", functions=", ".join(ours) if ours else t("instructions.functions_none",
                                                                       default="none" if lang == "en" else "-")),
        t("instructions.6"),
    ]
    r = 5
    for line in lines:   # wrapped across the three columns: nothing cut at the print edge
        sh.put(r, 1, line, text=True, wrap=True, span=3)
        r += 1
    r += 1
    sh.put(r, 1, t("instructions.tables"), bold=True, size=13)
    r += 1
    for tb in report.tables:
        sh.put(r, 1, sheet_title[f"table:{tb.name}"], bold=True)
        r += 1
        for c in tb.columns:
            sh.put(r, 1, names.header(tb.name, c.key), text=True)
            sh.put(r, 2, t(f"kind.{c.kind}"))
            sh.put(r, 3, t(f"help.{tb.name}.{c.key}", default=t(f"help.{c.key}", default="")), text=True, wrap=True)
            r += 1
    r += 1
    from .. import __version__
    sh.put(r, 1, t("instructions.generated", version=__version__), color="FF808080", text=True)
    fit_widths(sh, lang=lang, floor=[20, 12, 70], max_width=90)
    print_setup(ws, landscape=False)
    sh.flush()

    # ---------------------------------------------------------------- dashboard
    ws = new_sheet("dashboard")
    sh = Sheet(ws, font)
    ptable = computed.get("_periods") if pp else None
    raws = dash.write_dashboard(ws, sh, report, pp, names=names, t=t, lang=lang, values=values, computed=computed,
                                settings_list=settings_list, kpi_row=kpi_row, periods_sheet=sheet_title.get("periods"),
                                table=ptable, chart_sheet=sheet_title.get("chart_data"))
    fit_widths(sh, lang=lang, floor=dash.widths_floor(t, lang, report))
    # one page: the KPI table and the charts below it (two a row, the second where the first ends)
    second = column_after(ws, 1, CHART_SIZE[0])
    rows_of_charts = (len(report.charts) + 1) // 2
    last_row = dash.charts_row(report) + 18 * max(rows_of_charts, 0)
    last_col = get_column_letter(max(len(dash.columns(report)), column_after(ws, second, CHART_SIZE[0]) - 1))
    print_setup(ws, one_page=True, area=f"A1:{last_col}{last_row}")
    sh.flush()

    # charts (over data not given: left out of a values report, marked in a live one)
    cd = dash.chart_data_layout(report, pp, window)

    def resolve(x):
        if isinstance(x, tuple) and x[0] in ("window", "waterfall"):
            return sheet_title["chart_data"], cd[x], dash.FIRST - 1, cd["rows", x[0]]
        if isinstance(x, tuple) and x[0] == "spill" and (x[1], x[2]) in window:
            column, n = window[(x[1], x[2])]
            return sheet_title["chart_data"], column, 3, 3 + n
        return _chart_ref(x, report, computed, sheet_title, data_rows, kpi_row)

    def months(values: list) -> list:
        # a month whose rate has no denominator (no customers at the start of an export's first
        # month) is a gap in a trend, as on the dashboard's month row: not an error behind the chart
        return [v for v in values if not isinstance(v, DivisionByZero)]

    drawn = 0
    for ch in report.charts:
        gone = dash.chart_gone(ch, report, computed, tables, given) if data is not None else None
        if gone is not None and values:
            continue
        series = None
        note = gone.text(t) if gone is not None else ""
        if data is not None and gone is None:   # a series over data not given is said, and left out
            why = [dash.series_gone(s.ref, report, computed, tables, given) for s in ch.series]
            if values:                          # (kept in a live report: the data may come later)
                series = tuple(s for s, w in zip(ch.series, why) if w is None)
            note = next((w.text(t) for w in why if w is not None), "")
        broken = []
        for x in (ch.categories, *(s.ref for s in ch.series)):
            if isinstance(x, tuple) and x[0] == "spill":
                broken.append(computed.get(x[1]))
            elif isinstance(x, tuple) and x[0] == "trend" and isinstance(computed.get(x[1]), pd.DataFrame):
                broken += months(computed[x[1]].iloc[:, x[2] - 1].tolist())   # a month that is an error plots as 0
            elif isinstance(x, tuple) and x[0] == "window":
                broken += months(dash.window_errors(x, pp, computed))          # a month that is an error: a gap
        # (a month without data, #N/A, is a gap, not an error to look at)
        from .byperiod import NoRows
        broken = [e for e in broken if isinstance(e, KPIError) and not isinstance(e, (Absent, NotAvailable, NoRows))]
        if values and broken and not note:   # an error behind the chart: say so on it
            note = t("check.chart_error", code=broken[0].code)
        totals = tuple(i for i, (_, _, kind) in enumerate(report.waterfall[1]) if kind == "total") \
            if report.waterfall else ()
        chart = _chart(ch, t, resolve, series=series, note=note, font=font, lang=lang, totals=totals)
        # below the KPI table, two charts a row
        at = "A" if drawn % 2 == 0 else get_column_letter(second)
        ws.add_chart(chart, f"{at}{dash.charts_row(report) + 18 * (drawn // 2)}")
        drawn += 1
    for ch, row in dash.sparklines(report, pp, kpi_row):   # the last 12 periods of each KPI, in its row
        if data is not None and values and dash.chart_gone(ch, report, computed, tables, given) is not None:
            continue
        ws.add_chart(_chart(ch, t, resolve, font=font, lang=lang), f"{get_column_letter(dash.columns(report)['trend'])}{row}")
    dash_ws = ws

    # ---------------------------------------------------------------- data check
    if check is not None:
        ws = new_sheet("check")
        sh = Sheet(ws, font)
        write_check_sheet(sh, check, t, {"header": HEADER_FILL, "error": RED, "warning": AMBER}, lang)
        fit_widths(sh, lang=lang, floor=[10, 24, 14, 6, 18, 80], max_width=110)
        ws.freeze_panes = "A5"
        print_setup(ws, title_rows="4:4")
        sh.flush()

    # ---------------------------------------------------------------- spills
    for sp in report.spills:
        ws = new_sheet(f"spill:{sp.key}")
        sh = Sheet(ws, font)
        sh.put(1, 1, t(f"spill.{sp.key}"), bold=True, size=14)
        nrows = sp.rows
        if values:
            v = computed.get(sp.key)
            if isinstance(v, Absent):
                sh.put(2, 1, v.text(t), text=True)   # where the live sheet says it (below)
            elif isinstance(v, KPIError):
                sh.put(3, 1, excel_error_text(v), text=True)
            elif isinstance(v, str):      # the spill's own n/a sentence (a spec Word), as the live cell shows it
                sh.put(3, 1, v, text=True)
            else:
                df = v if isinstance(v, pd.DataFrame) else pd.DataFrame(v)
                nrows = len(df) + 1
                for j, col in enumerate(df.columns, 1):
                    sh.put(3, j, _label(t, str(col)), bold=True, text=True)
                body = df.to_numpy(dtype=object)
                for i in range(body.shape[0]):
                    for j in range(body.shape[1]):
                        val = cell_value(body[i, j])
                        if isinstance(val, str):
                            val = _label(t, val)
                        kind = sp.column_kinds[j] if j < len(sp.column_kinds) else sp.body_kind
                        sh.put(4 + i, 1 + j, val, fmt=number_format(kind, lang) if val is not None else None)
        else:
            extent = "A3"
            v = computed.get(sp.key)
            if isinstance(v, pd.DataFrame):   # the extent Excel records for a spilled result
                nrows = len(v) + 1
                extent = f"A3:{get_column_letter(max(len(v.columns), 1))}{3 + len(v)}"
            if isinstance(v, Absent):
                # the data it needs was not given: the note, and no table while that data stays empty
                sh.put(3, 1, ArrayFormula(extent, "=" + absent_while_empty(v, report, names, t, render(sp.expr, names),
                                                                          word="")))
                sh.put(2, 1, "=" + while_empty(v, report, names, t, '""'), formula=True)
            else:
                sh.put(3, 1, ArrayFormula(extent, "=" + render(sp.expr, names)))
            dynamic.setdefault(sp.key, []).append("A3")
        # the headers the function writes (known from the data; a template's: room for the longest)
        v = computed.get(sp.key)
        heads = [_label(t, str(c)) for c in v.columns] if isinstance(v, pd.DataFrame) else None
        fit_widths(sh, lang=lang, header=heads, floor=[14 if heads else 20] * max(sp.columns, 2))
        ws.freeze_panes = "B4"
        print_setup(ws)
        sh.flush()
        if sp.color_scale:
            last = get_column_letter(max(sp.columns, 2))
            ws.conditional_formatting.add(
                f"C4:{last}{3 + max(nrows - 1, 1)}",
                ColorScaleRule(start_type="num", start_value=0, start_color="FFF8696B",
                               mid_type="num", mid_value=0.5, mid_color="FFFFEB84",
                               end_type="num", end_value=1, end_color="FF63BE7B"))

    # ---------------------------------------------------------------- trends
    from .evaluate import absence
    for tr in report.trends:
        ws = new_sheet(f"trend:{tr.key}")
        sh = Sheet(ws, font)
        sh.put(1, 1, t(f"trend.{tr.key}"), bold=True, size=14)
        sh.put(3, 1, t(f"trend.{tr.key}.label"), bold=True, color="FFFFFFFF", fill=HEADER_FILL)
        for j, (k, _) in enumerate(tr.series, 2):
            sh.put(3, j, t(f"trend.{tr.key}.{k}"), bold=True, color="FFFFFFFF", fill=HEADER_FILL)
        labels = computed[tr.key]["label"].tolist() if data is not None else [None] * tr.rows
        # an empty template: say what the blank label cells take (issue 13, item 6); in fa/ar once the
        # language has the sentence (no English in a translated template)
        if data is None and (lang == "en" or "trend.labels_blank" in STRINGS.get(lang, {})):
            sh.put(2, 1, t("trend.labels_blank", sheet=sheet_title["settings"],
                           default="Type the months to show in column A, one a row from A4, as the "
                                   "dates' month labels in the calendar on the {sheet} sheet (2024-09; "
                                   "1403-06 in the Jalali calendar), or let xl-cskpi report fill them "
                                   "from your data. Each row counts the responses dated in that month."),
                   text=True, color="FF808080")
        result = computed.get(tr.key)
        for i, label in enumerate(labels):
            r = 4 + i
            sh.put(r, 1, label, text=True)
            names.label_cell = f"$A{r}"
            for j, (k, expr) in enumerate(tr.series, 2):
                kind = tr.kinds[j - 2] if j - 2 < len(tr.kinds) else result_kind(expr)
                fmt = number_format(kind, lang)
                if values:
                    v = result.iloc[i, j - 1]
                    shown = t("absent.short") if isinstance(v, Absent) else (
                        v.code if isinstance(v, KPIError) else cell_value(v))
                    sh.put(r, j, shown, fmt=fmt, text=isinstance(v, KPIError))
                else:
                    cell = f"{get_column_letter(j)}{r}"
                    sh.put(r, j, ArrayFormula(cell, "=" + render(expr, names)), fmt=fmt)
        names.label_cell = "$A4"
        if data is not None:     # below the table: why a column is n/a (a live one: while it is empty)
            r = 5 + len(labels)
            for k, expr in tr.series:
                gone = absence(expr, tables, given, names.header)
                if gone is None:
                    continue
                head = t(f"trend.{tr.key}.{k}")
                if values:
                    sh.put(r, 1, f"{head}: {gone.text(t)}", text=True)
                else:
                    sh.put(r, 1, "=" + while_empty(gone, report, names, t, '""', prefix=f"{head}: "),
                           formula=True)
                r += 1
        fit_widths(sh, lang=lang, floor=[12] + [12] * len(tr.series))
        ws.freeze_panes = "B4"
        print_setup(ws)
        sh.flush()

    # ---------------------------------------------------------------- periods
    if pp:
        ws = new_sheet("periods")
        sh = Sheet(ws, font)
        gone = {key: g for key, expr, _ in pp.columns if data is not None and isinstance(
            g := computed.get(key) if isinstance(computed.get(key), Absent) else absence(expr, tables, given, names.header),
            Absent)}
        dash.write_periods_sheet(sh, pp, report, names, t, lang, values, ptable,
                                 lambda r, c, text: sh.put(r, c, text, bold=True, color="FFFFFFFF", fill=HEADER_FILL,
                                                           wrap=c > 2, lines=3 if c > 2 else 1), absent=gone)
        if values:
            at = pp.labels.index(pp.shown) + 1 if pp.shown in pp.labels else 0
            sh.put(2, 2, at)
        else:
            sh.put(2, 2, dash.row_formula(pp, sheet_title["periods"]), formula=True)
        fit_widths(sh, lang=lang, floor=[12, 12] + [16] * len(pp.columns))   # KPI headers wrap
        ws.freeze_panes = "B4"
        print_setup(ws)
        sh.flush()

    # ---------------------------------------------------------------- data tables
    for tb in report.tables:
        ws = new_sheet(f"table:{tb.name}")
        df = tables[tb.name]
        n = data_rows(tb)
        # in a Jalali or Hijri report, each date column gets a display column in that calendar after
        # the table's own columns (B's datecols: the date cells keep their real dates)
        shown_as = display_headers(tb, names, cal, lang)
        heads = [names.header(tb.name, c.key) for c in tb.columns] + shown_as
        ncols = len(heads)
        formats = [number_format(c.kind if c.kind not in ("id",) else "text", lang) for c in tb.columns]
        fit_widths(ws, lang=lang, header=heads, data=df, formats=formats, keys=[c.key for c in tb.columns],
                   floor=[c.width for c in tb.columns] + [12] * len(shown_as))
        header = [WriteOnlyCell(ws, value=h) for h in heads]
        for h in header:
            h.data_type = "s"
            h.font = Font(name=font, bold=True)
            if lang in RTL:
                h.alignment = alignment(True)
        ws.freeze_panes = "A2"
        print_setup(ws, title_rows="1:1")
        ws.append(header)
        say(f"writing {len(df):,} rows of {tb.name}")
        write_rows(ws, tb, df, formats, names, values, font, say, calendar=cal)
        last = f"{get_column_letter(ncols)}{n + 1}"
        xt = XLTable(displayName=tb.name, ref=f"A1:{last}")
        xt.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        xt.tableColumns = []
        for j, c in enumerate(tb.columns, 1):
            col = TableColumn(id=j, name=names.header(tb.name, c.key))
            if c.formula is not None and not values:
                col.calculatedColumnFormula = TableFormula(attr_text=render(c.formula, names))
            xt.tableColumns.append(col)
        for j, ((key, kind), h) in enumerate(zip(display_columns(tb, cal), shown_as), len(tb.columns) + 1):
            col = TableColumn(id=j, name=h)
            if not values:
                col.calculatedColumnFormula = TableFormula(
                    attr_text=display_formula(render(Row(tb.name, key), names), kind, cal))
            xt.tableColumns.append(col)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # write-only mode: the columns are set above
            ws.add_table(xt)
        for j, c in enumerate(tb.columns, 1):
            dv = validation(c, t, names.header(tb.name, c.key))
            if dv is not None:
                letter = get_column_letter(j)
                dv.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
                ws.data_validations.append(dv)

    # ---------------------------------------------------------------- chart windows (templates)
    if "chart_data" in sheet_title:
        ws = new_sheet("chart_data")
        ws.sheet_state = "hidden"
        sh = Sheet(ws, font)
        for j, (key, (v, fmt)) in enumerate(raws.items(), 1):   # KPIs whose #N/A may be "not reached yet"
            sh.put(dash.RAW_ROW - 1, j, t(f"kpi.{key}"), text=True)
            sh.put(dash.RAW_ROW, j, v, fmt=fmt, formula=isinstance(v, str) and v.startswith("=") and not values,
                   text=isinstance(v, str))
        if pp:
            dash.write_chart_data(sh, report, pp, cd, t=t, lang=lang, values=values, computed=computed,
                                  periods_sheet=sheet_title["periods"],
                                  spill_sheet=lambda k: sheet_title[f"spill:{k}"])
        for (key, column), (at, n) in sorted(window.items()):
            sp = next(x for x in report.spills if x.key == key)
            src = quote_sheetname(sheet_title[f"spill:{key}"])
            letter = get_column_letter(column)
            count = f"COUNTA({src}!$A$4:$A${3 + SPILL_ROWS})"     # rows of the spilled body
            kind = sp.column_kinds[column - 1] if column - 1 < len(sp.column_kinds) else sp.body_kind
            for k in range(1, n + 1):
                # row k of the latest n rows; past the data: no point (#N/A) and a blank category
                missing = '""' if column == 1 else "NA()"
                sh.put(3 + k, at, f"=IF({count}<{k},{missing},INDEX({src}!${letter}$4:${letter}${3 + SPILL_ROWS},"
                                  f"MAX(0,{count}-{n})+{k}))", formula=True, fmt=number_format(kind, lang))
        rowlabels.write(sh, ws, helpers, names=names, values=values, labels=computed.get("_row_labels") or {}, t=t)

    # ---------------------------------------------------------------- settings
    ws = new_sheet("settings")
    sh = Sheet(ws, font)
    sh.put(1, 1, t("label.setting"), bold=True, color="FFFFFFFF", fill=HEADER_FILL)
    sh.put(1, 2, t("label.value"), bold=True, color="FFFFFFFF", fill=HEADER_FILL)
    sh.put(1, 3, t("label.name"), bold=True, color="FFFFFFFF", fill=HEADER_FILL)
    for s in settings_list:
        row = setting_row[s.key]
        items = s.value if isinstance(s.value, tuple) else (s.value,)
        for i, v in enumerate(items):
            label = t(f"setting.{s.key}.{i + 1}") if len(items) > 1 else t(f"setting.{s.key}")
            sh.put(row + i, 1, label)
            sh.put(row + i, 2, v, fmt=number_format(s.kind, lang), fill=SETTING_FILL)
            sh.put(row + i, 3, s.key, color="FF808080", text=True)
        if s.choices:
            # a list choice (the churn convention): Excel and LibreOffice offer the values in a drop-down
            dv = validation(Column(s.key, "text", choices=s.choices), t, t(f"setting.{s.key}"))
            dv.add(f"B{row}")
            ws.data_validations.append(dv)
    fit_widths(sh, lang=lang, floor=[30, 14, 16], max_width=100)
    ws.freeze_panes = "A2"
    print_setup(ws, landscape=False)
    sh.flush()
    del dash_ws

    vba = _xlwings_workbook(wb, font, lang) if macro else None
    say("saving")
    _save(wb, Path(path), dynamic_sheets={sheet_index[f"spill:{k}"]: cells for k, cells in dynamic.items()},
          overwrite=overwrite, vba=vba)
    return computed


#: The workbook xlwings ships for a macro-enabled file that needs no add-in: its VBA project holds the
#: xlwings module (RunPython, UDF import: "Import Functions") and reads the ``xlwings.conf`` sheet.
XLWINGS_WORKBOOK = "quickstart_standalone.xlsm"


def xlwings_vba_project() -> bytes:
    """``xl/vbaProject.bin`` of xlwings' own standalone quickstart workbook (installed with xlwings)."""
    import zipfile

    try:
        import xlwings
    except ImportError as e:     # the classic face needs xlwings anyway
        raise SystemExit("an .xlsm report needs xlwings: pip install xlwings") from e
    src = Path(xlwings.__file__).parent / XLWINGS_WORKBOOK
    if not src.is_file():
        raise SystemExit(f"this xlwings ({xlwings.__version__}) has no {XLWINGS_WORKBOOK}; write an .xlsx "
                         "and use the xlwings add-in")
    with zipfile.ZipFile(src) as z:
        return z.read("xl/vbaProject.bin")


def _xlwings_workbook(wb, font: str, lang: str) -> bytes:
    """Make ``wb`` the macro-enabled workbook: the ``xlwings.conf`` sheet (``UDF Modules`` =
    ``xl_cskpi.udfs``, as xlwings' quickstart writes it), the VBA code names the project's document
    modules expect (``ThisWorkbook``; the sheets' ``Sheet1``... are set as they are made), and the VBA
    project's bytes to store."""
    ws = wb.create_sheet("xlwings.conf")
    ws.sheet_properties.codeName = f"Sheet{len(wb.worksheets)}"
    sheet_view(ws, lang)
    sh = Sheet(ws, font)
    widths(ws, [18, 30])
    sh.put(1, 1, "UDF Modules", text=True)
    sh.put(1, 2, "xl_cskpi.udfs", text=True)
    sh.flush()
    wb.code_name = "ThisWorkbook"
    return xlwings_vba_project()


def _chart_windows(report: Report) -> dict[tuple[str, int], tuple[int, int]]:
    """``{(spill key, spill column): (column on the chart-data sheet, rows)}`` for every chart
    reference over a whole spilled table (``rows`` None): the window holds the spill's latest
    ``rows`` body rows (the months the template reserves, plus the first row a chart skips)."""
    rows: dict[str, int] = {}
    for ch in report.charts:
        for x in (ch.categories, *(s.ref for s in ch.series)):
            if isinstance(x, tuple) and x[0] == "spill" and x[3] is None:
                sp = next(s for s in report.spills if s.key == x[1])
                rows[x[1]] = max(rows.get(x[1], 0), sp.rows - 1 + (1 if ch.skip_first else 0))
    out: dict[tuple[str, int], tuple[int, int]] = {}
    for ch in report.charts:
        for x in (ch.categories, *(s.ref for s in ch.series)):
            if isinstance(x, tuple) and x[0] == "spill" and x[3] is None and (x[1], x[2]) not in out:
                out[(x[1], x[2])] = (len(out) + 1, rows[x[1]])
    return out


def _funcs(expr: Any) -> set[str]:
    from .spec import functions_used
    return functions_used(expr)


def _label(t: Callable[..., str], text: str) -> str:
    """A header or row label a table function returns ("Churned MRR", "Month 3"), in the report's
    language: the key ``head.<text>``, or ``head.<text with its one number as {n}>``; else as is
    (data such as complaint categories and period labels stays what it is)."""
    found = t(f"head.{text}", default="")
    if found:
        return found
    numbers = re.findall(r"\d+", text)
    if len(numbers) == 1:
        found = t("head." + re.sub(r"\d+", "{n}", text), default="")
        if found:
            return found.replace("{n}", numbers[0])
    return text


