"""The dashboard's period comparison: the Periods sheet, the KPI rows and the charts' period data.

A report whose KPIs have a ``period`` expression (:class:`~xl_cskpi.reports.spec.KPI`) gets

* a **Periods** sheet: one row per month the data covers (labels in the report's calendar, oldest
  first, written from the data; blank in a template for the user to type), a column saying whether the
  month is complete, and one column per KPI computed for that month alone (array formulas whose
  ``Match`` nodes pick the rows dated in the row's month; ``SpillAt`` nodes read MRR_MOVEMENTS' row of
  that month);
* on the dashboard, the **period shown** (``period_shown``, B3): the ``report_period`` setting when
  it is filled, else the latest complete month (the last label not marked "in progress"); and per KPI
  the value for that period, the previous period's value (``INDEX`` into the KPI's Periods column at
  ``period_row`` and the row before), the change (percentage points for rates and NPS points; a
  relative change for money, counts and times), an up/down marker coloured by whether the change is
  good for that KPI (``KPI.better``), target and status;
* on the hidden chart-data sheet, a **window** of the 12 periods ending at the period shown for every
  Periods column (#N/A, a gap, where a month has no number: no customers at its start, no
  responses), and for a report with ``waterfall`` steps the MRR bridge of the period shown as
  invisible base / up / down columns.

Everything is a live formula of Excel built-ins (INDEX, MATCH, IF, ISNUMBER, NA) over cells the
template already has, so a user who pastes new data and types the month sees it move; a ``--values``
report writes what these formulas give (the Python evaluator computes the same).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter, quote_sheetname

from ..errors import KPIError
from .byperiod import Compiled, compile_columns
from .evaluate import Absent, period_columns, periods_trend
from .formula_text import Names, render, result_kind
from .i18n import number_format
from .period import in_progress, latest_complete, periods, resolve
from .kpicells import (RAW_ROW, interval_formula, not_reached_formula, not_reached_text, raw_keys, raw_ref,
                       reaches)
from .spec import Report
from .periodsheet import computed_calls, write_periods_sheet  # noqa: E402,F401 (the Periods sheet: its own module)

__all__ = ["PeriodPlan", "plan", "WINDOW", "TEMPLATE_ROWS", "FIRST", "write_dashboard", "write_periods_sheet",
           "write_chart_data", "shown_value"]

#: Periods a chart shows (the window ending at the period shown).
WINDOW = 12
#: Label rows a template reserves on its Periods sheet.
TEMPLATE_ROWS = 36
#: First data row of the Periods sheet and of the chart-data window.
FIRST = 4

UP, DOWN, SAME = "\u25b2", "\u25bc", "="
GOOD = Font(color="FF2E7D32", bold=True)
BAD = Font(color="FFC62828", bold=True)


@dataclass
class PeriodPlan:
    """What the builder writes for a report's periods."""

    labels: list[str]                       # the Periods sheet's labels (data), [] in a template
    progress: list[bool]                    # per label: not ended yet (the last month may be running)
    shown: str | None                       # the period shown (None: no data, or no dated data)
    asked: str | None                       # the period asked for (--period / report_period), resolved
    rows: int                               # label rows on the Periods sheet
    columns: list[tuple[str, Any, str]] = field(default_factory=list)   # (key, expr, kind)
    lang: str = "en"                        # the report's language (a month's status counts: its words)

    @property
    def compiled(self) -> Compiled:
        """The columns with each call of ours one BY_PERIOD column for every period (:mod:`.byperiod`)."""
        return compile_columns(self.columns, self.lang)

    @property
    def last(self) -> int:
        return FIRST - 1 + self.rows


def plan(report: Report, data: Mapping[str, pd.DataFrame] | None, calendar: str, period: str | None = None,
         today: _dt.date | None = None, lang: str = "en") -> PeriodPlan | None:
    """The periods of ``report`` over ``data`` (None: a template); None for a report without periods.
    ``period`` (what the user typed) is resolved against the data's periods: an unknown one raises
    :class:`~xl_cskpi.reports.period.PeriodError` listing them."""
    if not report.has_periods:
        return None
    columns = period_columns(report)
    if data is None:
        return PeriodPlan([], [], None, None, TEMPLATE_ROWS, columns, lang)
    labels = periods(data, report, calendar)
    asked = resolve(period, labels, calendar) if period not in (None, "") else None
    progress = in_progress(labels, calendar, today, data, report)
    shown = asked or latest_complete(labels, calendar, today, progress)
    return PeriodPlan(labels, progress, shown, asked, max(len(labels), 1), columns, lang)


def kpi_kind(report: Report, key: str) -> str:
    k = next(k for k in report.kpis if k.key == key)
    return result_kind(k.expr, k.kind)


# --------------------------------------------------------------------------- formula text

def refs(pp: PeriodPlan, sheet: str) -> dict[str, str]:
    """Absolute references of the Periods sheet's label and flag columns and of each KPI column."""
    q = quote_sheetname(sheet)
    out = {"label": f"{q}!$A${FIRST}:$A${pp.last}", "flag": f"{q}!$B${FIRST}:$B${pp.last}"}
    for j, (key, _, _) in enumerate(pp.columns, 3):
        L = get_column_letter(j)
        out[key] = f"{q}!${L}${FIRST}:${L}${pp.last}"
    return out


def shown_formula(pp: PeriodPlan, sheet: str, in_progress_word: str) -> str:
    r = refs(pp, sheet)
    return (f'=IF(report_period<>"",report_period,IF(COUNTA({r["label"]})=0,"",INDEX({r["label"]},'
            f'MAX(1,COUNTA({r["label"]})-COUNTIF({r["flag"]},"{in_progress_word}")))))')


def row_formula(pp: PeriodPlan, sheet: str) -> str:
    return f'=IF(period_shown="",0,MATCH(period_shown,{refs(pp, sheet)["label"]},0))'


def value_formula(pp: PeriodPlan, sheet: str, key: str, whole: str) -> str:
    """The KPI for the period shown; the whole data's KPI while no period is known (a template whose
    Periods labels are still blank)."""
    return f"=IF(period_row=0,{whole},INDEX({refs(pp, sheet)[key]},period_row))"


def previous_formula(pp: PeriodPlan, sheet: str, key: str) -> str:
    return f'=IF(period_row>1,INDEX({refs(pp, sheet)[key]},period_row-1),"")'


def change_formula(kind: str, b: str, c: str, rate: bool = False) -> str:
    if kind == "points":   # a rate's change in percentage points: 95.8 % - 93.7 % is +2.1 pp
        return f'=IF(AND(ISNUMBER({b}),ISNUMBER({c})),({b}-{c})*100,"")' if rate else \
            f'=IF(AND(ISNUMBER({b}),ISNUMBER({c})),{b}-{c},"")'
    return f'=IF(AND(ISNUMBER({b}),ISNUMBER({c})),IF({c}=0,"",({b}-{c})/ABS({c})),"")'


def marker_formula(d: str) -> str:
    return f'=IF(ISNUMBER({d}),IF({d}>0,"{UP}",IF({d}<0,"{DOWN}","{SAME}")),"")'


def colour_change(ws, cells: str, d: str, better: str) -> None:
    """Green when the change is good for the KPI (up for "higher", down for "lower"), red when bad;
    uncoloured for "neutral" (ticket volume, spend: up is neither good nor bad by itself)."""
    if better == "neutral":
        return
    d = "$" + d          # the marker cell beside it reads the change cell too
    good, bad = (f"{d}>0", f"{d}<0") if better == "higher" else (f"{d}<0", f"{d}>0")
    ws.conditional_formatting.add(cells, FormulaRule(formula=[f"AND(ISNUMBER({d}),{good})"], font=GOOD,
                                                     stopIfTrue=True))
    ws.conditional_formatting.add(cells, FormulaRule(formula=[f"AND(ISNUMBER({d}),{bad})"], font=BAD,
                                                     stopIfTrue=True))


def change_format(kind: str, kpi_kind: str, lang: str, t: Callable[..., str]) -> str:
    """``+1.2 pp`` for a rate, ``+3`` NPS points, ``+4.5%`` for the rest."""
    if kind == "points" and kpi_kind == "rate":
        pp = t("unit.pp")
        return f'+0.0" {pp}";-0.0" {pp}";0.0" {pp}"'
    if kind == "points":
        return "+0.0;-0.0;0.0"
    return "+0.0%;-0.0%;0.0%"


# --------------------------------------------------------------------------- the sheets

def window_formulas(pp: PeriodPlan, sheet: str, key: str, k: int) -> str:
    """Row ``k`` (1..WINDOW) of the chart window of ``key``: the (k)th of the 12 periods ending at the
    period shown (fewer at the start of the data: the rest blank), #N/A where it is not a number."""
    r = refs(pp, sheet)
    idx = f"(MAX(1,period_row-{WINDOW - 1})+{k - 1})"
    if key == "label":
        return f'=IF(OR(period_row=0,{idx}>period_row),"",INDEX({r["label"]},{idx}))'
    return (f"=IF(OR(period_row=0,{idx}>period_row),NA(),IF(ISNUMBER(INDEX({r[key]},{idx})),"
            f"INDEX({r[key]},{idx}),NA()))")


def waterfall_rows(report: Report) -> list[tuple[str, int, str]]:
    return list(report.waterfall[1]) if report.waterfall else []


def waterfall_formulas(report: Report, spill_sheet: str, col: int, first: int) -> list[tuple[str, ...]]:
    """The same as formulas: columns value, level, base, up, down from ``col`` on rows ``first``..."""
    from .formula_text import SPILL_ROWS

    spill, steps = report.waterfall
    q = quote_sheetname(spill_sheet)
    V, Lv, B, U, D = (get_column_letter(col + i) for i in range(5))
    out = []
    for i, (_, column, kind) in enumerate(steps):
        r = first + i
        L = get_column_letter(column)
        value = (f"=IFERROR(INDEX({q}!${L}$4:${L}${3 + SPILL_ROWS},MATCH(period_shown,{q}!$A$4:$A${3 + SPILL_ROWS},"
                 f"0)),NA())")
        v, lv = f"{V}{r}", f"{Lv}{r}"
        prev = f"{Lv}{r - 1}"
        if kind == "total":
            out.append((value, f"={v}", f"=0*{v}", f"={v}", f"=0*{v}"))
        elif kind == "up":
            out.append((value, f"={prev}+{v}", f"={lv}-{v}", f"={v}+0*{lv}", f"=0*{lv}"))
        else:
            out.append((value, f"={prev}-{v}", f"={lv}", f"=0*{lv}", f"={v}+0*{lv}"))
    return out


# --------------------------------------------------------------------------- the dashboard sheet

#: Dashboard columns: KPI, value, (the confidence interval's low and high: a report with rate
#: intervals), previous, change, marker, target, status, trend (a sparkline chart); their headers and
#: least widths.
HEADS = {"kpi": "label.kpi", "value": "label.value", "low": "label.interval", "high": "", "previous": "label.previous",
         "change": "label.change", "marker": "", "target": "label.target", "status": "label.status",
         "trend": "label.trend"}
BASE_WIDTHS = {"kpi": 46, "value": 16, "low": 11, "high": 11, "previous": 16, "change": 12, "marker": 4,
               "target": 14, "status": 30, "trend": 24}
#: Kept for callers of the layout before the interval columns (a report without intervals).
COLUMNS = tuple(HEADS[k] for k in HEADS if k not in ("low", "high"))
WIDTHS = [BASE_WIDTHS[k] for k in HEADS if k not in ("low", "high")]


def columns(report: Report) -> dict[str, int]:
    """``{part: column}`` of the dashboard's KPI table (1-based): the interval's two columns right after
    the value in a report with rate intervals (:attr:`.spec.KPI.interval`), none in the others."""
    keys = [k for k in HEADS if report.has_intervals or k not in ("low", "high")]
    return {k: i for i, k in enumerate(keys, 1)}


def widths_floor(t, lang: str, report: Report | None = None) -> list[float]:
    """Least widths of the dashboard's columns: the value, previous and change columns hold formulas
    (their text is not known to :func:`.layout.fit_widths`): room for a 7-digit amount with the
    currency word and a change in percentage points ("+12.3 واحد درصد")."""
    from .layout import text_width

    cols = columns(report) if report is not None else {k: i for i, k in enumerate(
        [k for k in HEADS if k not in ("low", "high")], 1)}
    w = [float(BASE_WIDTHS[k]) for k in cols]
    money = text_width("9,999,999 " + number_format("money", lang).split('"')[1] if '"' in number_format(
        "money", lang) else "9,999,999", lang=lang) + 1
    w[cols["value"] - 1] = w[cols["previous"] - 1] = max(w[cols["value"] - 1], money)
    w[cols["change"] - 1] = max(w[cols["change"] - 1], text_width(f"+99.9 {t('unit.pp')}", lang=lang, bold=True) + 1)
    if "low" in cols:    # "100.0% –" and "100.0%", and the header across both
        w[cols["low"] - 1] = max(w[cols["low"] - 1], text_width("100.0% \u2013", lang=lang) + 1)
        half = (text_width(t("label.interval"), lang=lang, bold=True) + 2) / 2
        w[cols["low"] - 1] = max(w[cols["low"] - 1], half)
        w[cols["high"] - 1] = max(w[cols["high"] - 1], half)
    return w


def charts_row(report: Report) -> int:
    """The row the dashboard's charts start at: below the KPI table and its note."""
    return 5 + len(report.kpis) + 2


def write_dashboard(ws, sh, report: Report, pp: PeriodPlan | None, *, names: Names, t, lang: str, values: bool,
                    computed: Mapping[str, Any], settings_list, kpi_row: dict[str, int], periods_sheet: str | None,
                    table: pd.DataFrame | None, chart_sheet: str | None = None) -> dict[str, tuple]:
    """Title, the period shown, and one row per KPI: value, (interval), previous, change, marker,
    target, status. Returns the raw cells the builder writes on the chart-data sheet ``chart_sheet``
    (:data:`RAW_ROW`): ``{kpi key: (value or formula text, number format)}``."""
    from openpyxl.worksheet.formula import ArrayFormula

    from .datacheck import not_reached
    from .formula_text import absent_while_empty, literal, while_empty
    from .sheets import AMBER, GREEN, HEADER_FILL, RED, cell_value, widths

    rtl = bool(ws.sheet_view.rightToLeft)
    mid = Alignment(vertical="center", horizontal=("right" if rtl else "left"), readingOrder=2 if rtl else 0)
    num = Alignment(vertical="center", readingOrder=2 if rtl else 0)
    cols = columns(report)
    L = {part: get_column_letter(j) for part, j in cols.items()}

    def put(r, c, v, align=None, **kw):
        cell = sh.put(r, c, v, **kw)
        if align is not None:
            ind = kw.get("indent", 0)
            cell.alignment = Alignment(vertical="center", horizontal=align.horizontal, readingOrder=align.readingOrder,
                                       indent=ind, wrap_text=kw.get("wrap") or None)
        return cell

    widths(ws, [BASE_WIDTHS[k] for k in cols])
    span = len(cols) - 3
    sh.put(1, 1, t(f"report.{report.key}.title"), bold=True, size=16)
    sh.put(2, 1, t(f"report.{report.key}.intro"))
    # the period shown and how it was chosen
    put(3, 1, t("label.period"), mid, bold=True)
    if pp is None:
        put(3, 2, None, num)
        put(3, 3, t(f"period.none.{report.key}", default=t("period.none")), mid, color="FF808080", wrap=True, span=span)
    elif values:
        put(3, 2, pp.shown, mid, bold=True, text=True)
        note = t("period.asked") if pp.asked else t("period.latest") if pp.shown else t(f"period.none.{report.key}", default=t("period.none"))
        put(3, 3, note, mid, color="FF808080", wrap=True, span=span)
    else:
        put(3, 2, shown_formula(pp, periods_sheet, t("periods.in_progress")), mid, bold=True, formula=True)
        put(3, 3, f'=IF(report_period<>"","{t("period.asked")}",IF(period_shown="","{t("period.blank")}",'
                  f'"{t("period.latest")}"))', mid, color="FF808080", formula=True, wrap=True, span=span, lines=2)
    for part, j in cols.items():
        label = HEADS[part]
        put(4, j, t(label) if label else None, mid if part in ("kpi", "status", "trend") else num, bold=True,
            color="FFFFFFFF", fill=HEADER_FILL, indent=1 if part == "status" else 0,
            span=2 if part == "low" else 1)
    rate = number_format("rate", lang)
    intervals = computed.get("_intervals") or {}
    raws: dict[str, tuple] = {}
    for k in report.kpis:
        row = kpi_row[k.key]
        sh.lines[row] = max(sh.lines.get(row, 1), 2)      # tall enough for the trend line beside it
        kind = result_kind(k.expr, k.kind)
        fmt = number_format(kind, lang)
        ck = k.change_kind(kind)
        periodic = pp is not None and k.period is not None
        function = reaches(k)
        put(row, cols["kpi"], t(f"kpi.{k.key}"), mid)
        v = computed.get(k.key)
        status = '""'
        b, c, d, e, f = (f"{L[x]}{row}" for x in ("value", "previous", "change", "marker", "target"))
        if values:
            if isinstance(v, Absent):
                put(row, cols["value"], t("absent.short"), num, text=True)
            elif not_reached(v):
                put(row, cols["value"], t("absent.short"), num, text=True)
            elif isinstance(v, KPIError):
                put(row, cols["value"], shown_value(v, t) if periodic else v.code, num, text=True)
            else:
                put(row, cols["value"], cell_value(v), num, fmt=fmt)
            if function is not None:      # what the live raw cell shows
                raws[k.key] = (shown_value(v, t) if isinstance(v, KPIError) else cell_value(v), fmt)
            prev = previous_value(pp, table, k.key) if periodic else None
            put(row, cols["previous"], shown_value(prev, t), num, fmt=fmt, text=isinstance(prev, KPIError))
        else:
            whole = render(k.expr, names)

            def shown(formula: str) -> str:
                # data absent when the template was filled: "n/a" (as --values writes it) while the
                # column stays empty, the KPI's own formula once the user pastes the data
                if not isinstance(v, Absent):
                    return formula
                return "=" + absent_while_empty(v, report, names, t, formula.removeprefix("="))

            if periodic:
                put(row, cols["value"], shown(value_formula(pp, periods_sheet, k.key, whole)), num, fmt=fmt,
                    formula=True)
                put(row, cols["previous"], previous_formula(pp, periods_sheet, k.key), num, fmt=fmt, formula=True)
            elif function is not None:
                raws[k.key] = ("=" + whole, fmt)
                put(row, cols["value"], not_reached_formula(function, raw_ref(report, k.key, chart_sheet), t), num,
                    fmt=fmt, formula=True)
            else:
                put(row, cols["value"], shown("=" + whole), num, fmt=fmt, formula=True)
        if k.interval is not None:
            lo, hi = cols["low"], cols["high"]
            # "2.3% –" against "7.5%": the two read as one range; a right-to-left sheet has the low bound on
            # the right and draws a number left to right, so its dash comes first ("– 2.3%")
            low_fmt = '"\u2013 "' + rate if rtl else rate + '" \u2013"'
            near, far = (Alignment(horizontal="left", vertical="center", readingOrder=2),
                         Alignment(horizontal="right", vertical="center", readingOrder=2)) if rtl else (
                Alignment(horizontal="right", vertical="center"), Alignment(horizontal="left", vertical="center"))
            if values:
                got = intervals.get(k.key)
                if isinstance(got, KPIError):
                    shown = shown_value(got, t)
                    put(row, lo, shown, near, text=True)
                    put(row, hi, shown, far, text=True)
                elif got is not None:
                    put(row, lo, got[0], near, fmt=low_fmt)
                    put(row, hi, got[1], far, fmt=rate)
            else:
                ref = f"{L['low']}{row}:{L['high']}{row}"
                put(row, lo, ArrayFormula(ref, interval_formula(report, k, names, b, periodic,
                                                                computed_calls(pp, periods_sheet))), near, fmt=low_fmt)
                put(row, hi, None, far, fmt=rate)
        if periodic:
            put(row, cols["change"], change_formula(ck, b, c, kind == "rate"), num,
                fmt=change_format(ck, kind, lang, t), formula=True)
            put(row, cols["marker"], marker_formula(d), Alignment(horizontal="center", vertical="center"),
                formula=True)
            colour_change(ws, f"{d}:{e}", d, k.better)
        if k.target:
            tfmt = number_format(next(s.kind for s in settings_list if s.key == k.target), lang)
            put(row, cols["target"], f"={k.target}", num, fmt=tfmt, formula=True)
            if k.better == "higher":
                on, watch = f"{b}>={f}", f"{b}>={f}*(1-amber_band)"
            else:
                on, watch = f"{b}<={f}", f"{b}<={f}*(1+amber_band)"
            status = (f'IF(ISNUMBER({b}),IF({on},"{t("status.on")}",IF({watch},"{t("status.watch")}",'
                      f'"{t("status.off")}")),"")')
            ws.conditional_formatting.add(b, FormulaRule(formula=[f"AND(ISNUMBER({b}),{on})"], fill=GREEN,
                                                          stopIfTrue=True))
            ws.conditional_formatting.add(b, FormulaRule(formula=[f"AND(ISNUMBER({b}),{watch})"], fill=AMBER,
                                                          stopIfTrue=True))
            ws.conditional_formatting.add(b, FormulaRule(formula=[f"ISNUMBER({b})"], fill=RED, stopIfTrue=True))
        if function is not None and not values:   # the value's "n/a" says why (a real error: no note)
            note = literal(not_reached_text(t, lang))
            status = (f"IF(ISNUMBER({b}),{status},IF(ISTEXT({b}),IF({b}={literal(t('absent.short'))},{note},"
                      f'""),""))')
        if isinstance(v, Absent) and values:
            put(row, cols["status"], v.text(t), mid, text=True, indent=1)
        elif values and function is not None and not_reached(v):
            put(row, cols["status"], not_reached_text(t, lang), mid, text=True, indent=1)
        elif isinstance(v, Absent):     # says so while the data it needs is empty
            put(row, cols["status"], "=" + while_empty(v, report, names, t, status), mid, formula=True, indent=1)
        elif status != '""':
            put(row, cols["status"], "=" + status, mid, formula=True, indent=1)
    ws.freeze_panes = "A5"
    return raws


def shown_value(v: Any, t) -> Any:
    """What a Periods cell shows for ``v`` (and a dashboard cell that reads it): an error of one of our
    functions as its text ("#DIV/0! QUICK_RATIO: ..."), as the add-in returns it to the live cell; an
    error of a built-in (#N/A of NA(), a division) as its code; n/a for data not given."""
    from ..errors import excel_error_text
    from .sheets import cell_value

    from .byperiod import NoRows

    if isinstance(v, NoRows):         # a month without rows: "n/a: no responses in 2024-06"
        return v.text(t)
    if isinstance(v, Absent):
        return t("absent.short")
    if isinstance(v, KPIError):
        return excel_error_text(v) if getattr(v, "function", None) else v.code
    return cell_value(v)


def previous_value(pp: PeriodPlan | None, table: pd.DataFrame | None, key: str) -> Any:
    """What the previous-period cell shows: the period before the one shown ("" for the first)."""
    if pp is None or table is None or pp.shown not in pp.labels:
        return None
    i = pp.labels.index(pp.shown)
    return None if i == 0 else table[key].iloc[i - 1]


# --------------------------------------------------------------------------- charts

def chart_data_layout(report: Report, pp: PeriodPlan | None, window: Mapping) -> dict:
    """Columns of the chart-data sheet: ``{("window", key): column, ("waterfall", part): column,
    ("rows", "window"|"waterfall"): last row}`` after the template windows' columns."""
    out: dict = {}
    if pp is None:
        return out
    col = len(window) + 2 if window else 1
    out[("window", "label")] = col
    for j, (key, _, _) in enumerate(pp.columns, 1):
        out[("window", key)] = col + j
    out[("rows", "window")] = FIRST - 1 + WINDOW
    col += len(pp.columns) + 2
    if report.waterfall:
        for j, part in enumerate(("label", "value", "level", "base", "up", "down")):
            out[("waterfall", part)] = col + j
        out[("rows", "waterfall")] = FIRST - 1 + len(report.waterfall[1])
    return out


def sparklines(report: Report, pp: PeriodPlan | None, kpi_row: Mapping[str, int]):
    """A small line chart of the 12 periods ending at the period shown, per KPI with periods."""
    from .spec import Chart, Series

    if pp is None:
        return []
    return [(Chart(f"spark_{k.key}", "line", ("window", "label"), (Series(("window", k.key), f"kpi.{k.key}"),),
                   small=True), kpi_row[k.key]) for k in report.kpis if k.period is not None]


def write_chart_data(sh, report: Report, pp: PeriodPlan, cd: Mapping, *, t, lang: str, values: bool,
                     computed: Mapping[str, Any], periods_sheet: str, spill_sheet) -> None:
    """The 12-period windows (and the waterfall) the dashboard's charts read: formulas of built-ins
    over the Periods sheet in a live report (#N/A where a period has no number: a gap in Excel); in a
    ``--values`` report the windows' values, a *blank* cell where a period has no number, because
    LibreOffice 7.4 draws every #N/A as 0 -- a formula's NA(), an error value, a cached one, and a
    formula's "" alike; only an empty cell is a gap (checked by rendering a six-cell workbook of each)."""
    table = computed.get("_periods")
    keys = ["label"] + [key for key, _, _ in pp.columns]
    kinds = {key: kind for key, _, kind in pp.columns}
    static = values and isinstance(table, pd.DataFrame)
    at = pp.labels.index(pp.shown) + 1 if pp.shown in pp.labels else 0      # period_row
    for key in keys:
        col = cd[("window", key)]
        head = t("periods.label") if key == "label" else (t(f"kpi.{key}", default="") or t(f"series.{key}"))
        sh.put(FIRST - 1, col, head, bold=True, text=True)
        for k in range(1, WINDOW + 1):
            fmt = None if key == "label" else number_format(kinds[key], lang)
            if not static:
                sh.put(FIRST - 1 + k, col, window_formulas(pp, periods_sheet, key, k), fmt=fmt, formula=True)
                continue
            idx = max(1, at - (WINDOW - 1)) + k - 1        # what window_formulas' INDEX picks
            v = None
            if at and idx <= at:
                v = pp.labels[idx - 1] if key == "label" else _number(table[key].iloc[idx - 1])
            sh.put(FIRST - 1 + k, col, v, fmt=fmt, text=key == "label")
    if not report.waterfall:
        return
    spill, steps = report.waterfall
    c0 = cd[("waterfall", "label")]
    for j, part in enumerate(("periods.label", "waterfall.value", "waterfall.level", "series.base", "series.increase",
                              "series.decrease")):
        sh.put(FIRST - 1, c0 + j, t(part), bold=True, text=True)
    fmt = number_format("money", lang)
    rows = waterfall_formulas(report, spill_sheet(spill), c0 + 1, FIRST)
    for i, (title, _, _) in enumerate(steps):
        r = FIRST + i
        sh.put(r, c0, t(title), text=True)
        for j, x in enumerate(rows[i], 1):
            sh.put(r, c0 + j, x, fmt=fmt, formula=True)


def _number(v: Any) -> float | None:
    """A window value: the number, or None (a blank cell, a gap) for an error, n/a or blank."""
    import math

    if isinstance(v, bool) or not isinstance(v, (int, float)) and not hasattr(v, "__float__"):
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def series_gone(x: Any, report: Report, computed, tables, given) -> Absent | None:
    """Why a chart reference holds no data (:func:`.charts.series_absence`, which also reads the
    chart-data windows: a Periods column over a table not given)."""
    from .charts import series_absence
    from .evaluate import absence

    if isinstance(x, tuple) and x[0] == "window":
        if x[1] == "label":
            return None
        expr = dict((key, e) for key, e in periods_trend(report).series)[x[1]]
        return absence(expr, tables, given)
    if isinstance(x, tuple) and x[0] == "waterfall":
        v = computed.get(report.waterfall[0])
        return v if isinstance(v, Absent) else None
    return series_absence(x, report, computed, tables, given)


def chart_gone(ch, report: Report, computed, tables, given) -> Absent | None:
    found = series_gone(ch.categories, report, computed, tables, given)
    if found is not None:
        return found
    gone = [series_gone(s.ref, report, computed, tables, given) for s in ch.series]
    return gone[0] if gone and all(g is not None for g in gone) else None


def window_errors(x: Any, pp: PeriodPlan | None, computed) -> list:
    """The values behind a chart-data window that are errors (a month whose KPI is #NUM!: a gap in
    the chart, said in its title)."""
    table = computed.get("_periods")
    if pp is None or not isinstance(table, pd.DataFrame) or x[1] == "label" or pp.shown not in pp.labels:
        return []
    at = pp.labels.index(pp.shown) + 1
    return table[x[1]].iloc[max(0, at - WINDOW):at].tolist()
