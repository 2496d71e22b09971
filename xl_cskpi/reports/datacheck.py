"""The report's side of the data check: one finding per KPI that is an error or n/a, and the
"Data check" sheet that lists every finding of the run in the report's language.

The readers (:mod:`xl_cskpi.reports.fill`, :mod:`xl_cskpi.exports`) find what is wrong with the files:
rows read, columns ignored, duplicate rows, values out of range with file, row and column. What only
the report knows is added here by :func:`kpi_findings`: each KPI (or spilled table) that is an Excel
error, with the sentence of the function that refused (``NPS: scores has 11 in cell 3, off the
scale ... (#NUM!)``) and the row of the data sheet (or of the file, when the reader said which file
row each table row came from) it points to; and each KPI whose data was not given
("n/a: no employee survey given"), as information.

A finding is translated on the sheet with ``t(f"check.{code}", **fields)`` (the English message when a
language has no sentence for that code, or the reader's fields do not fit the translated one).
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import PurePath
from typing import Any, Callable, Mapping

import pandas as pd

from ..errors import KPIError, NotAvailable
from ..exports.check import DataCheck, Finding
from ..registry import REGISTRY
from .evaluate import Absent
from .spec import Call, Col, Last, Name, Op, Report, Word

__all__ = ["kpi_findings", "finding_text", "write_check_sheet", "SOURCE_ATTR", "ROWS_ATTR", "COLUMNS_ATTR",
           "NOT_REACHED", "REACHED_BY", "not_reached", "not_reached_prefix", "month_findings",
           "score_range_findings", "count_findings", "repeated_id_findings"]

#: ``DataFrame.attrs`` keys a reader may set on a table it gives ``build``: the file it came from and,
#: per table row, the row in that file (header = row 1). Without them a KPI error names the row of
#: the report's own data sheet (which holds the table's rows in the same order from row 2).
SOURCE_ATTR, ROWS_ATTR = "source", "rows"
#: ``DataFrame.attrs`` key of ``{column key: header as written in the file}``, so a KPI error names the
#: file's column ("How likely are you to recommend us?") rather than the report's field.
COLUMNS_ATTR = "columns"

#: Characters of a finding per line of the sheet's last column (110 wide; LibreOffice shows about 95
#: of Noto's characters per line): longer ones wrap.
FINDING_CHARS = 95

_POSITION = re.compile(r"\b(?:cell|row) (\d+)\b")


def _where(expr: Any, error: KPIError) -> tuple[str, str, bool] | None:
    """(table, column, last) of the argument a KPI error names, when that argument is one table column
    (``last``: the table's last row, as ``Last`` reads it -- "the latest month")."""
    if isinstance(expr, Call):
        if expr.function == error.function and expr.function in REGISTRY and error.argument:
            try:
                params = list(inspect.signature(REGISTRY[expr.function].func).parameters)
            except (TypeError, ValueError):
                params = []
            if error.argument in params:
                i = params.index(error.argument)
                if i < len(expr.args) and isinstance(expr.args[i], (Col, Last)):
                    a = expr.args[i]
                    return a.table, a.column, isinstance(a, Last)
        for a in expr.args:
            found = _where(a, error)
            if found is not None:
                return found
    return None


def _position(error: KPIError) -> int | None:
    """0-based position in the argument's range of the value at fault, when the error says which."""
    pos = getattr(error, "position", None)
    if isinstance(pos, int):
        return pos
    m = _POSITION.search(error.reason or "")
    return int(m.group(1)) - 1 if m else None     # the functions' sentences count cells from 1


#: Functions whose ``#N/A`` says the data does not reach the figure yet (a median lifetime longer than
#: the export, a retention window longer than its months): an honest n/a, listed as a note.
NOT_REACHED = frozenset({"MEDIAN_LIFETIME", "NRR_MOVEMENTS", "GRR_MOVEMENTS"})
#: ... and the argument their #N/A names when it says so (their other #N/A, "has no rows", is an error):
#: MEDIAN_LIFETIME's survival that stays above 50 %, a retention window longer than the export's months
REACHED_BY = {"MEDIAN_LIFETIME": "end_dates", "NRR_MOVEMENTS": "window", "GRR_MOVEMENTS": "window"}


def not_reached(v: Any) -> bool:
    """Whether ``v`` is the #N/A of a figure the data does not reach yet (:data:`REACHED_BY`): the
    dashboard reads "n/a: longer than the data shows", the Data check lists it as a note."""
    return (isinstance(v, NotAvailable) and v.function in NOT_REACHED
            and v.argument == REACHED_BY.get(v.function))


def not_reached_prefix(function: str) -> str:
    """The start of the text the add-in returns for that #N/A (:func:`xl_cskpi.errors.excel_error_text`):
    ``"#N/A MEDIAN_LIFETIME: end_dates "``, which a live dashboard formula compares with."""
    return f"#N/A {function}: {REACHED_BY[function]} "


def _english_na(v: str) -> str | None:
    """The English n/a sentence a KPI reads (``"n/a: ..."``, or its fa/ar translation from
    :mod:`xl_cskpi.labels`, which the evaluator returns in a Persian or Arabic report), else None."""
    from ..labels import AR, FA

    if v.startswith("n/a:"):
        return v
    for table in (FA, AR):
        for en, text in table.items():
            if text == v and en.startswith("n/a:"):
                return en
    return None


def _asks(report: Report) -> dict[str, str]:
    """``{setting: sentence}``: the n/a sentence a KPI reads while that Settings value is blank (the
    pattern ``IF(OR(name = "", ...), Word(sentence), ...)`` of churn_retention's ``customer_churn``)."""
    out: dict[str, str] = {}
    for k in report.kpis:
        e = k.expr
        if not (isinstance(e, Call) and e.function == "IF" and len(e.args) == 3 and isinstance(e.args[1], Word)):
            continue
        tests = e.args[0].args if isinstance(e.args[0], Call) and e.args[0].function == "OR" else (e.args[0],)
        for test in tests:
            if isinstance(test, Op) and isinstance(test.left, Name) and test.right == "":
                out.setdefault(test.left.key, e.args[1].text)
    return out


def _asked(expr: Any, error: KPIError, asks: Mapping[str, str]) -> str | None:
    """The sentence of :func:`_asks` when ``error`` is "is empty" of a function argument given by a
    blank Settings value the report asks for, else None."""
    if not asks or not isinstance(expr, Call) or not error.argument or "is empty" not in error.reason:
        return None
    fn = REGISTRY.get(expr.function)
    if fn is None:
        return None
    names = [a.name for a in fn.arguments]
    if error.argument not in names or names.index(error.argument) >= len(expr.args):
        return None
    given = expr.args[names.index(error.argument)]
    return asks.get(given.key) if isinstance(given, Name) else None


def kpi_findings(report: Report, computed: Mapping[str, Any], data: Mapping[str, pd.DataFrame] | None,
                 t_en: Callable[..., str]) -> list[Finding]:
    """One finding per KPI and spilled table of ``report`` that is an error (level ``error``, code
    ``kpi_error``: the function's reason, and the file or sheet row it points to) or not computed for
    want of data (level ``info``, code ``kpi_absent``: "n/a: no employee survey given")."""
    out: list[Finding] = []
    items = [(k.key, k.expr, t_en(f"kpi.{k.key}")) for k in report.kpis]
    items += [(s.key, s.expr, t_en(f"spill.{s.key}")) for s in report.spills]
    whole = computed.get("_whole") or {}
    asks = _asks(report)
    for key, expr, label in items:
        # a KPI shown for one period is checked over all the data: a bad row of any month is said
        v = whole.get(key, computed.get(key))
        shown = computed.get(key)
        period = computed.get("_period")
        if key in whole and isinstance(shown, KPIError) and period and not not_reached(shown) \
                and not (isinstance(v, KPIError) and v.message == shown.message):
            # the dashboard shows the month's error (NRR of the first month: #DIV/0!, no MRR before it): its
            # reason, not the all-data figure's n/a (reviewer's R7: "no start-vs-end MRR per account given"
            # beside a #DIV/0! of the first month; a quick ratio's #DIV/0! with no line at all)
            out.append(Finding("info", "kpi_error", f"{label} ({period}): {shown.message}",
                               fields={"kpi": key, "reason": f"({period}) {shown.message}"}))
            if isinstance(v, Absent):
                continue
        if isinstance(v, Absent) and key in whole and not isinstance(shown, (Absent, KPIError, str)) \
                and shown is not None:
            # the month shown has a value from another table (revenue's MRR and NRR from the
            # Subscriptions bridge when no Accounts are given): no "n/a" note beside a number the
            # dashboard shows (reviewer's G6)
            continue
        if isinstance(v, Absent):
            out.append(Finding("info", "kpi_absent", f"{label}: {v.message}", table=v.table, column=v.column,
                               fields={"kpi": key, "reason": v.reason, "reason_key": v.key,
                                       "reason_fields": v.fields}))
        elif isinstance(v, str) and (na := _english_na(v)) is not None:
            # a KPI that reads its own n/a sentence (the funnel's "n/a: enter ... on the Settings sheet"),
            # in the report's language: kept in English here, translated on the sheet
            out.append(Finding("info", "kpi_absent", f"{label}: {na}", fields={"kpi": key, "reason": na}))
        elif isinstance(v, KPIError) and (ask := _asked(expr, v, asks)) is not None:
            # a blank Settings value another KPI of the report already asks for (churn_from/churn_to
            # of the churn conventions: reviewer's U6 counted it as an error while the dashboard
            # read the polite n/a): that sentence, as info
            out.append(Finding("info", "kpi_absent", f"{label}: {ask}", fields={"kpi": key, "reason": ask}))
        elif isinstance(v, KPIError):
            file = row = None
            table = column = None
            where = _where(expr, v)
            pos = _position(v)
            message = f"{label}: {v.message}"
            if where is not None:
                table, column, last = where
                df = (data or {}).get(table)
                if last and df is not None:
                    pos = len(df) - 1
                if pos is not None and df is not None and 0 <= pos < len(df):
                    rows = df.attrs.get(ROWS_ATTR)
                    if df.attrs.get(SOURCE_ATTR) and rows is not None and len(rows) == len(df):
                        file, row = str(df.attrs[SOURCE_ATTR]), int(rows[pos])
                        column = (df.attrs.get(COLUMNS_ATTR) or {}).get(column, column)
                    else:
                        row = pos + 2
                        message += f" (the {table} sheet, row {row})"
            finding = Finding("error", "kpi_error", message, file=file, table=table, row=row, column=column,
                              fields={"kpi": key, "reason": v.message, "sheet_row": file is None and row is not None})
            if not_reached(v):
                finding = dataclasses.replace(finding, level="info")
            out.append(finding)
    return out


def month_findings(report: Report, data: Mapping[str, pd.DataFrame] | None, calendar: str,
                   shown: str | None = None) -> list[Finding]:
    """One warning per month of a monthly table holding two of its dates in the report's calendar
    (:func:`.period.shared_months`: Gregorian months read in the Hijri calendar): that month's KPIs
    are #N/A (``specs/periodic.py``'s ``only``/``guard``), and this says why and what to pass.

    With ``shown`` (the month the dashboard shows), one warning per monthly table whose last month
    is before it (:func:`.period.ends_before`: tickets reach further than Months), code
    ``table_ends_before_period``: its KPIs are n/a for that month, and what to pass."""
    from .period import ends_before, shared_months

    out = []
    for table, last in ends_before(data, report, shown, calendar):
        message = (f"{table} ends at {last}, before the month shown {shown}: its KPIs are n/a for that month; "
                   f"pass --period {last} or give {table} through {shown}")
        out.append(Finding("warning", "table_ends_before_period", message, table=table,
                           fields={"table": table, "last": last, "label": shown}))
    for table, label, dates in shared_months(data, report, calendar):
        message = (f"{table}: {' and '.join(dates)} fall in the same month {label} of the {calendar} calendar; "
                   f"that month's KPIs are #N/A (the table is in Gregorian months: make the report Gregorian "
                   f"with --calendar gregorian, or give one row per {calendar} month)")
        out.append(Finding("warning", "shared_month", message, table=table,
                           fields={"table": table, "dates": list(dates), "label": label, "calendar": calendar}))
    return out


#: Answers a 0-100 score column needs before its range says anything (three customers all scoring
#: 0-10 on a 0-100 measure is already unusual; fewer say nothing).
MIN_SCORES = 3


def score_range_findings(report: Report, data: Mapping[str, pd.DataFrame] | None) -> list[Finding]:
    """A 0-100 score column (``kind="score"``, 0 to 100: the health-score components; not a survey's
    1-N answers, whose scale is the user's) whose numbers
    all lie in 0-10 and are whole, or all in 0-1 with fractions: a CRM's "NPS score" holding the last
    0-10 answer, or a share written as 0.85, read on a 0-100 measure (a promoter's 9 counts as 9 of
    100 in the weighted health score; reviewer's finding F10, session 4). Code ``score_range``
    (warning): the column, how many values and their top, and what to do. Nothing is rescaled.

    >>> from xl_cskpi.reports.specs import reports
    >>> df = pd.DataFrame({"nps": [9, 10, 6, 8], "usage": [85, 40, 70, 90]})
    >>> [(f.code, f.fields["column"], f.fields["high"]) for f in score_range_findings(reports()["customer_health"], {"Health": df})]
    [('score_range', 'nps', 10)]
    """
    import numpy as np

    out: list[Finding] = []
    for tb in report.tables:
        df = (data or {}).get(tb.name)
        if df is None:
            continue
        for c in tb.inputs:
            if c.kind != "score" or c.minimum != 0 or c.maximum != 100 or c.key not in df.columns:
                continue
            x = pd.to_numeric(pd.Series(df[c.key].to_numpy(dtype=object)), errors="coerce").dropna().to_numpy(float)
            if x.size < MIN_SCORES or x.min() < 0:
                continue
            whole = bool(np.all(x == np.round(x)))
            if x.max() <= 10 and whole:
                scale = "0-10"
            elif x.max() <= 1 and not whole:
                scale = "0-1"
            else:
                continue
            high = float(x.max())
            high_text = f"{high:g}"
            message = (f"{tb.name}.{c.key}: all {x.size} values lie in {scale} (the highest is {high_text}), but the "
                       f"column is a 0-100 score, so {high_text} counts as {high_text} of 100; if they are "
                       f"{scale} answers, multiply them by {100 if scale == '0-1' else 10} before pasting, or "
                       "map another column")
            out.append(Finding("warning", "score_range", message, table=tb.name, column=c.key,
                               fields={"table": tb.name, "column": c.key, "n": int(x.size), "scale": scale,
                                       "high": int(high) if whole else high,
                                       "factor": 100 if scale == "0-1" else 10}))
    return out


def count_findings(data: Mapping[str, pd.DataFrame] | None) -> list[Finding]:
    """A Months table whose counts contradict themselves (reviewer's U11: February 105 + 12 - 8 = 109
    but customers_end 120, and March starting at 109): the dashboard shows the typed numbers, so say
    where they disagree. Code ``counts_disagree`` (warning), once per kind: the first month where
    start + new - lost is not the end, and the first month whose start is not the month before's end.
    Rows are taken in month order; months with a blank count are skipped."""
    df = (data or {}).get("Months")
    cols = ("month", "customers_start", "customers_new", "customers_lost", "customers_end")
    if df is None or len(df) == 0 or any(c not in df.columns for c in cols):
        return []
    t = pd.DataFrame({c: (pd.to_datetime(pd.Series(df[c].to_numpy(dtype=object)), errors="coerce") if c == "month"
                          else pd.to_numeric(pd.Series(df[c].to_numpy(dtype=object)), errors="coerce"))
                      for c in cols}).dropna(subset=["month"]).sort_values("month", kind="stable")
    out: list[Finding] = []
    flow = t.dropna(subset=list(cols[1:]))
    bad = flow[(flow["customers_start"] + flow["customers_new"] - flow["customers_lost"] - flow["customers_end"]).abs()
               > 1e-9]
    if len(bad):
        r = bad.iloc[0]
        month = r["month"].strftime("%Y-%m-%d")
        want = r["customers_start"] + r["customers_new"] - r["customers_lost"]
        out.append(Finding("warning", "counts_disagree",
                           f"Months: {month}: customers_start + customers_new - customers_lost = {want:g}, but "
                           f"customers_end is {r['customers_end']:g} ({len(bad)} month(s) like this); the dashboard "
                           "shows the numbers as typed", table="Months",
                           fields={"month": month, "want": f"{want:g}", "got": f"{r['customers_end']:g}",
                                   "count": len(bad), "variant": "flow"}))
    pairs = t.dropna(subset=["customers_start", "customers_end"])
    step = pairs["customers_start"].to_numpy()[1:] != pairs["customers_end"].to_numpy()[:-1]
    if step.any():
        i = int(step.argmax()) + 1
        month = pairs["month"].iloc[i].strftime("%Y-%m-%d")
        before = pairs["customers_end"].iloc[i - 1]
        out.append(Finding("warning", "counts_disagree",
                           f"Months: {month} starts with {pairs['customers_start'].iloc[i]:g} customers, but the "
                           f"month before ended with {before:g} ({int(step.sum())} month(s) like this); the "
                           "dashboard shows the numbers as typed", table="Months",
                           fields={"month": month, "want": f"{before:g}", "got": f"{pairs['customers_start'].iloc[i]:g}",
                                   "count": int(step.sum()), "variant": "step"}))
    return out


#: ``{table: id column}``: tables with one row per thing (a ticket, a complaint), where an id twice
#: is one thing counted twice.
ONE_ROW_PER_ID = {"Tickets": "ticket_id", "ComplaintLog": "complaint_id"}


def repeated_id_findings(data: Mapping[str, pd.DataFrame] | None) -> list[Finding]:
    """An id repeated in a table of one row per ticket or complaint (reviewer's F14: two snapshots of
    a Zendesk export pasted together gave 154 tickets for 114): code ``id_repeated`` (warning), how
    many ids and the first one with its data rows (the file rows when the reader kept them). The
    rows are counted as written; the sentence says what to do."""
    out: list[Finding] = []
    for table, column in ONE_ROW_PER_ID.items():
        df = (data or {}).get(table)
        if df is None or column not in df.columns or len(df) < 2:
            continue
        ids = pd.Series(df[column].to_numpy(dtype=object)).map(lambda v: v.strip() if isinstance(v, str) else v)
        ids = ids.where(ids.map(lambda v: v is not None and v == v and v != ""))
        repeated = ids[ids.duplicated(keep=False) & ids.notna()]
        if repeated.empty:
            continue
        first = repeated.iloc[0]
        where = repeated.index[repeated == first].tolist()[:2]
        rows = df.attrs.get(ROWS_ATTR)
        shown = [rows[i] if rows is not None and i < len(rows) else i + 2 for i in where]
        n_ids = int(repeated.nunique())
        extra = len(repeated) - n_ids
        out.append(Finding("warning", "id_repeated",
                           f"{table}: {n_ids} {column} value(s) appear more than once ({extra} extra row(s); "
                           f"first {first!s} in rows {shown[0]} and {shown[1]}): each row is counted, so a "
                           "ticket of two pasted exports counts twice; keep one row per id (the newest)",
                           table=table, column=column,
                           fields={"table": table, "column": column, "ids": n_ids, "extra": extra,
                                   "first": str(first), "rows": f"{shown[0]}, {shown[1]}"}))
    return out


def _key(f: Finding) -> str:
    """The translation key of a finding: ``check.<code>``, by variant where one code has several
    sentences (a value below the minimum, above the maximum, a date before the one it follows)."""
    if f.code == "out_of_range":
        if "before" in f.fields:
            return "check.out_of_range.order"
        if f.fields.get("side") in ("below", "above"):
            return f"check.out_of_range.{f.fields['side']}"
    if f.code == "counts_disagree" and f.fields.get("variant") in ("flow", "step"):
        return f"check.counts_disagree.{f.fields['variant']}"
    if f.code == "customers_as_of_from_data" and f.fields.get("variant") in ("today", "latest"):
        return f"check.customers_as_of_from_data.{f.fields['variant']}"
    if f.code in ("total_row", "total_row_kept") and f.fields.get("variant") in ("subtotals", "subtotals_total"):
        return f"check.{f.code}.{f.fields['variant']}"
    if f.code == "footer_lines" and f.fields.get("variant") in ("counted", "short"):
        return f"check.footer_lines.{f.fields['variant']}"
    return f"check.{f.code}"


def finding_text(f: Finding, t: Callable[..., str], lang: str = "en") -> str:
    """A finding's sentence in the language of ``t``: ``check.<code>`` with the finding's fields.

    In English the reader's own message (it is the most specific); in another language the
    translated sentence, or the English message when there is none or the fields do not fit it. A
    KPI finding names the KPI and the reason in the language."""
    fields = dict(f.fields)
    if f.code in ("kpi_error", "kpi_absent") and "kpi" in fields:
        key = fields["kpi"]
        fields["kpi"] = t(f"kpi.{key}", default=t(f"spill.{key}", default=key))
        if f.code == "kpi_absent" and "reason_key" not in fields:
            from ..labels import label   # the KPI's own n/a sentence: a label, already "n/a: ..."
            fields["reason"] = label(str(fields.get("reason", "")), lang)
        elif f.code == "kpi_absent":
            reason = t(fields.get("reason_key", ""), default=fields.get("reason", ""),
                       **fields.get("reason_fields", {}))
            fields["reason"] = t("absent.na", reason=reason)
        elif fields.get("sheet_row") and f.row is not None and f.table:
            fields["reason"] += " " + t("check.sheet_row", sheet=t(f"sheet.{f.table}", default=f.table), row=f.row)
    elif lang == "en":
        return f.message
    try:
        text = t(_key(f), default="", **fields)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return f.message
    return text or f.message


def write_check_sheet(sh, check: DataCheck | None, t: Callable[..., str], fills: Mapping[str, Any],
                      lang: str = "en") -> None:
    """The "Data check" sheet: a title, a one-line summary, then one row per finding
    (level, file name, table, row, column, finding) in the order found. ``sh`` is the builder's
    sheet grid."""
    findings = list(check or [])
    sh.put(1, 1, t("check.title"), bold=True, size=14)
    counts = {lvl: sum(f.level == lvl for f in findings) for lvl in ("error", "warning", "info")}
    sh.put(2, 1, t("check.summary", errors=counts["error"], warnings=counts["warning"], infos=counts["info"])
           if findings else t("check.none"), text=True)
    for j, key in enumerate(("check.col.level", "check.col.file", "check.col.table", "check.col.row",
                             "check.col.column", "check.col.finding"), 1):
        sh.put(4, j, t(key), bold=True, color="FFFFFFFF", fill=fills["header"])
    for i, f in enumerate(findings):
        r = 5 + i
        # a file by its name only: a workbook is shared, and must not carry the folders of the
        # machine it was made on (the same data from another folder gives the same bytes)
        name = PurePath(f.file).name if f.file else None
        sh.put(r, 1, t(f"check.level.{f.level}"), fill=fills.get(f.level), text=True)
        sh.put(r, 2, name, text=True)
        sh.put(r, 3, t(f"sheet.{f.table}", default=f.table) if f.table else None, text=True)
        sh.put(r, 4, f.row)
        sh.put(r, 5, f.column, text=True)
        text = finding_text(f, t, lang)
        if f.file and name != f.file:
            text = text.replace(f.file, name)
        sh.put(r, 6, text, text=True, wrap=True, lines=-(-len(text) // FINDING_CHARS))
