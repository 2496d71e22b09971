"""What a dashboard KPI row shows beside its value, besides the period comparison (:mod:`.dashboard`).

* **A rate's uncertainty** (issue 16 item 6): a KPI with ``interval=(successes, trials)``
  (:attr:`.spec.KPI.interval`) gets ``RATE_INTERVAL(successes, trials, confidence_level)`` -- the
  Wilson score interval -- in two cells after its value (low | high, one array formula: one call of
  our functions), for the period shown: its ``Match`` nodes compare with ``period_shown``. Blank
  while the value is not a number (a month without data, an error, n/a) or no period is known.
* **A figure the data does not reach yet** (issue 14): MEDIAN_LIFETIME while survival stays above
  50 %, a retention window longer than the export (:func:`.datacheck.not_reached`). The value cell
  reads "n/a" and the status cell "n/a: longer than the data shows", in the report's language. In a
  live workbook the KPI's own formula sits in a raw cell of the hidden chart-data sheet
  (:data:`RAW_ROW`; evaluated once) and the value cell reads it: "n/a" only where the add-in's text of
  that #N/A begins as that case does (``"#N/A MEDIAN_LIFETIME: end_dates "``), anything else (a
  number, another error) as it is -- a real error is never hidden.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from openpyxl.utils import get_column_letter, quote_sheetname

from ..errors import KPIError
from .evaluate import _blank, absence, evaluate
from .formula_text import Names, render
from .spec import Report

__all__ = ["RAW_ROW", "INTERVAL_CONFIDENCE", "interval_value", "interval_formula", "reaches", "raw_keys", "raw_ref", "not_reached_formula",
           "not_reached_text"]

#: The row of the hidden chart-data sheet holding the raw result of each KPI whose #N/A may say that
#: the data does not reach it (MEDIAN_LIFETIME: :func:`.datacheck.not_reached`), one column each in
#: the order of :func:`raw_keys`; the dashboard's value cell reads it (row 1: the KPI's label)
RAW_ROW = 2


def interval_formula(report: Report, k, names: Names, value: str, periodic: bool,
                     computed: dict[Any, str] | None = None) -> str:
    """Formula text of a KPI's interval cells (one array formula over low | high): RATE_INTERVAL of its
    counts for the period shown (the Match nodes compare with ``period_shown``), blank when the value
    is not a number or no period is known. ``computed``: ``{call: text}`` of the calls a Periods column
    computes for every month already (``INDEX(<its column>,period_row)``: read, not called again)."""
    from .spec import interval_call

    saved = names.label_cell, names.substitute
    names.label_cell = "period_shown"
    names.substitute = dict(computed or {}) if periodic else {}
    try:
        call = render(interval_call(k), names)
    finally:
        names.label_cell, names.substitute = saved
    # the interval only beside a number (IF's branches: Excel's built-ins the house already uses, no NOT)
    guard = f"OR(period_row=0,ISNUMBER({value})=FALSE)" if periodic else f"ISNUMBER({value})=FALSE"
    return f'=IF({guard},"",{call})'


def reaches(k) -> str | None:
    """The function of a KPI whose #N/A may say the data does not reach it (its outermost call is
    one of :data:`.datacheck.NOT_REACHED`), for a KPI shown over the whole data; else None."""
    from .datacheck import NOT_REACHED
    from .spec import Call

    if k.period is None and isinstance(k.expr, Call) and k.expr.function in NOT_REACHED:
        return k.expr.function
    return None


def raw_keys(report: Report) -> list[str]:
    """The KPIs with a raw cell on the chart-data sheet (:data:`RAW_ROW`), in column order."""
    return [k.key for k in report.kpis if reaches(k) is not None]


def raw_ref(report: Report, key: str, sheet: str) -> str:
    return f"{quote_sheetname(sheet)}!${get_column_letter(raw_keys(report).index(key) + 1)}${RAW_ROW}"


def not_reached_formula(function: str, raw: str, t) -> str:
    """The value cell of such a KPI: "n/a" where the add-in's text of the #N/A says the data does not
    reach it (:func:`.datacheck.not_reached_prefix`), else the raw result (a number, or any other error
    as it is: nothing else is hidden)."""
    from .datacheck import not_reached_prefix
    from .formula_text import literal

    prefix = not_reached_prefix(function)
    return (f"=IF(ISTEXT({raw}),IF(LEFT({raw},{len(prefix)})={literal(prefix)},{literal(t('absent.short'))},"
            f"{raw}),{raw})")


def not_reached_text(t, lang: str) -> str:
    """"n/a: longer than the data shows", in the report's language."""
    return t("absent.na", reason=t("absent.not_reached"))


#: The confidence level of the dashboard's rate intervals in a report without a ``confidence_level``.
INTERVAL_CONFIDENCE = 0.95


def interval_value(k, ctx, value: Any, period: str | None) -> Any:
    """What the dashboard's interval cells of KPI ``k`` show: ``(low, high)``; None (blank) when the
    KPI's value is not a number (an error, n/a, a month without data) or, for a KPI with ``period``,
    no period is shown; the :class:`KPIError` of RATE_INTERVAL (its counts disagree) as it is."""
    from .spec import interval_call

    if not _is_number(value) or (k.period is not None and not period):
        return None
    ctx.label = period if k.period is not None else None
    try:
        missing = absence(interval_call(k), ctx.tables, ctx.given, ctx.labels)
        if missing is not None:
            return None
        out = np.asarray(evaluate(interval_call(k), ctx), dtype=float).ravel()
        return float(out[0]), float(out[1])
    except KPIError as e:
        return e
    finally:
        ctx.label = None


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and not _blank(v)
