"""The Periods sheet: one row per month, one column per KPI, then the hidden columns that compute
each call of ours for every month at once (:mod:`.byperiod`: one BY_PERIOD array formula per call,
the visible cells reading their row of it). Split from :mod:`.dashboard` (session 5), which re-exports
these functions; the plan of the periods (:class:`.dashboard.PeriodPlan`) stays there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping

import pandas as pd
from openpyxl.utils import get_column_letter, quote_sheetname

from ..errors import KPIError
from .byperiod import ArgColumn, Helper, argument_formula, helper_formula
from .formula_text import Names, render
from .i18n import number_format
from .spec import Report

if TYPE_CHECKING:   # pragma: no cover
    from .dashboard import PeriodPlan
    from .evaluate import Absent

__all__ = ["computed_calls", "write_periods_sheet"]


def computed_calls(pp: PeriodPlan | None, sheet: str | None) -> dict[Any, str]:
    """``{call: INDEX(<its BY_PERIOD column>,period_row)}``: the month shown's value of each call the
    Periods sheet computes for every month (:mod:`.byperiod`), for formulas of the month shown (the
    dashboard's intervals) to read instead of calling it again."""
    if pp is None or sheet is None:
        return {}
    q = quote_sheetname(sheet)
    out = {}
    for j, h in enumerate(pp.compiled.hidden, 3 + len(pp.columns)):
        if isinstance(h, Helper):
            L = get_column_letter(j)
            out.setdefault(h.call, f"INDEX({q}!${L}${_first()}:${L}${pp.last},period_row)")
    return out



def _first() -> int:
    from .dashboard import FIRST

    return FIRST


def write_periods_sheet(sh, pp: PeriodPlan, report: Report, names: Names, t: Callable[..., str], lang: str,
                        values: bool, table: pd.DataFrame | None, put_header: Callable,
                        absent: Mapping[str, Absent] | None = None) -> None:
    """The Periods sheet (``sh``: a :class:`.sheets.Sheet`): title, period_row, labels, flags, KPIs,
    then the hidden columns computing each call of ours for every period at once (:mod:`.byperiod`:
    one BY_PERIOD array formula per call, the visible cells reading their row of it).
    ``absent``: the columns whose data was not given ({key: Absent}): live, they read the report's
    "n/a" while that data stays empty, as --values writes them."""
    from openpyxl.worksheet.formula import ArrayFormula

    from .dashboard import FIRST, shown_value
    from .formula_text import absent_while_empty

    compiled = pp.compiled
    sh.put(1, 1, t("periods.title"), bold=True, size=14)
    sh.put(2, 1, t("periods.row"), color="FF808080")
    put_header(3, 1, t("periods.label"))
    put_header(3, 2, t("periods.complete"))
    for j, (key, _, _) in enumerate(pp.columns, 3):
        title = t(f"kpi.{key}", default="") or t(f"series.{key}", default=key)
        put_header(3, j, title)
    first_hidden = 3 + len(pp.columns)
    names.period_columns = {key: get_column_letter(j) for j, (key, _, _) in enumerate(pp.columns, 3)}
    names.period_columns.update({h.key: get_column_letter(j) for j, h in enumerate(compiled.hidden, first_hidden)})
    for j, h in enumerate(compiled.hidden, first_hidden):
        # what the hidden column computes, for a reader who unhides it
        sh.put(3, j, f"{h.function} ({t('periods.label')})" if isinstance(h, Helper) else None,
               color="FF808080", text=True)
        sh.ws.column_dimensions[get_column_letter(j)].hidden = True
    shown = {key: expr for key, expr, _ in compiled.visible}
    for i in range(pp.rows):
        r = FIRST + i
        label = pp.labels[i] if i < len(pp.labels) else None
        sh.put(r, 1, label, text=True)
        if label is not None:
            sh.put(r, 2, t("periods.in_progress") if pp.progress[i] else t("periods.done"), text=True)
        names.label_cell = f"$A{r}"
        for j, (key, expr, kind) in enumerate(pp.columns, 3):
            fmt = number_format(kind, lang)
            if values:
                v = table[key].iloc[i] if table is not None and i < len(table) else None
                sh.put(r, j, shown_value(v, t), fmt=fmt, text=isinstance(v, KPIError))
            else:
                cell = f"{get_column_letter(j)}{r}"
                text = render(shown[key], names)
                gone = (absent or {}).get(key)
                if gone is not None:
                    text = absent_while_empty(gone, report, names, t, text)
                sh.put(r, j, ArrayFormula(cell, "=" + text), fmt=fmt)
        for j, h in enumerate(compiled.hidden, first_hidden):
            if values:
                v = table[h.key].iloc[i] if table is not None and h.key in table and i < len(table) else None
                sh.put(r, j, shown_value(v, t), text=isinstance(v, KPIError))
            elif isinstance(h, ArgColumn):
                cell = f"{get_column_letter(j)}{r}"
                sh.put(r, j, ArrayFormula(cell, argument_formula(h, names)))
            elif i == 0:   # one array formula down the column: every period in one call
                L = get_column_letter(j)
                sh.put(r, j, ArrayFormula(f"{L}{FIRST}:{L}{pp.last}", helper_formula(h, names, FIRST, pp.last)))
    names.label_cell = "$A4"
