"""The pipeline from export files to a report's typed, canonical tables (``xl-cskpi report --data``).

:func:`load_data` runs, in this order:

1. **Files.** Each ``--data`` item is a file, a folder or a glob (:func:`xl_cskpi.exports.read.expand_paths`);
   each file is read as raw cells, the DataFrame index being the row in the file (header = row 1)
   (:func:`xl_cskpi.exports.read.read_file`).
2. **Tables.** Files are matched to the report's data tables, column by column, through the built-in
   source profiles and ``--map`` (:func:`xl_cskpi.exports.mapping.match`). A report runs from
   whichever of its tables are given: an absent table is an absent key of the result. A billing
   export (:data:`~xl_cskpi.reports.specs.tables.BILLING`: Stripe, Chargebee, Paddle subscriptions)
   is a *source* from which the Subscriptions, Accounts, Months and Finance tables a report needs
   are derived (:mod:`xl_cskpi.tables.subscriptions`) when they are not given directly.
3. **Cells.** Each column is typed by one rule for the whole column, never a guess per cell: numbers
   by :func:`xl_cskpi.cells.number_column` (``--decimal``, currency symbols, ``(123)``), dates by
   :func:`xl_cskpi.cells.date_column` (``--date-order`` or the order the column's values prove;
   Jalali/Hijri text and month labels in ``--calendar`` or the report language's calendar). A cell
   that cannot be read stops the run with one line naming the file, row and column
   (:class:`~xl_cskpi.exports.check.ExportError`, exit 2). Times with a UTC offset (``...Z``,
   ``-08:00``: API and ETL exports) keep their instant: all are put on one clock, ``--timezone``,
   else the report's working-hours zone, else as written when the export has one offset, else UTC
   with a warning (:mod:`xl_cskpi.exports.zones`; days and months are counted on that clock).
4. **Vocabularies and derived fields.** Ticket and complaint statuses and ticket priorities become
   canonical (:func:`xl_cskpi.exports.statuses.canonical`; a value no rule maps is kept as written
   and listed in the check, never dropped); a vendor's "First reply time in minutes" (Zendesk)
   becomes ``first_response_at`` = ``opened_at`` + minutes when the file has no such timestamp
   (:data:`xl_cskpi.exports.profiles.DERIVED`); amounts a profile writes in cents (Paddle) are
   divided by 100 (by 1 for zero-decimal currencies such as JPY, 1,000 for three-decimal ones such
   as KWD: ISO 4217 minor units, as Stripe and Paddle list them).
5. **The data check** (:class:`~xl_cskpi.exports.check.DataCheck`): rows read per table and file,
   rows repeated in every column, values outside a column's ``minimum``/``maximum`` (negative MRR, an
   NPS answer of 11, a health score of -20) and tickets resolved or answered before they were
   opened, each with file, row and column. These are warnings: the values are kept as written, so
   the workbook shows what the export says and the KPI that cannot use them says why.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..calendars import month_fit
from ..cells import date_column, number_column
from ..engines import ENGINES, EngineMissing
from ..errors import KPIError
from ..exports.check import DataCheck, ExportError, ReadOptions
from ..exports.mapping import match
from ..exports.profiles import DERIVED, PROFILES
from ..exports.read import MAX_DATA_ROWS, expand_paths, read_file
from ..exports.zones import Zones, report_zone
from ..exports.statuses import canonical
from ..exports.billing_kinds import billing_frame, export_checks
from ..tables import customers as customer_list, subscriptions
from .i18n import calendar as calendar_of
from .spec import Column, Report, Table
from .specs.tables import BILLING
from .rowrules import (NUMBER_KINDS, ORDERED, OPEN_STATUSES, SHOW_ROWS, TOTAL_WORDS,  # noqa: F401 (re-exported)
                       _fold_ids, _not_support_work, _open_not_resolved, _ranges, _solved_without_time,
                       _total_in_dates, _total_row)
from .currencies import (_codes, _convert_subscriptions, _month_label, _rates_frame, _reporting_currency,
                         _say_conversion, _warn_fx_bridge)

__all__ = ["ExportError", "load_data", "DERIVABLE"]

#: The tables a billing export can stand in for (derived by :mod:`xl_cskpi.tables.subscriptions`).
DERIVABLE = ("Subscriptions", "Accounts", "Months", "Finance")

DATE_KINDS = ("date", "datetime", "month")

#: Billing columns where a far-future date (9999-12-31, the ERP "no end date") means still open.
OPEN_END = {("Billing", "end"), ("Billing", "current_period_end")}


#: Data rows a report sheet holds (Excel: 1,048,576 rows with the header); a derived table longer
#: than this cannot be written and is refused (exports.read refuses longer files the same way).
SHEET_ROWS = MAX_DATA_ROWS


# --------------------------------------------------------------------------- typing one table

def _row_of(raw: pd.Series, position: int | None) -> int | None:
    if position is None or not 0 <= position < len(raw):
        return None
    return int(raw.index[position])


_CELL_N = re.compile(r" in cell (\d+)(?= |,|;|$)")


def _cell_error(e: KPIError, raw: pd.Series, path: Path, header: str) -> ExportError:
    """A reader's error as one line naming the file, the row and the column.

    The reader names cells by their place in the column ("cell 7"): the cell the error is about
    becomes the line's row, and any other cell the sentence names (the day-first proof of a
    mixed-order column, the other currency) is said as its own file row."""
    row = _row_of(raw, getattr(e, "position", None))
    where = f"{path}: " + (f"row {row}, " if row is not None else "") + f"column {header}"

    def cell(m: re.Match) -> str:
        r = _row_of(raw, int(m.group(1)) - 1)
        return "" if r is None or r == row else f" in row {r}"

    reason = _CELL_N.sub(cell, e.reason) if row is not None else e.reason
    if "--date-order" not in reason and "ambiguous" in reason.lower():
        reason += "; pass --date-order dmy, mdy or ymd"
    return ExportError(f"{where}: {reason}")


def _texts(raw: pd.Series) -> np.ndarray:
    """Text and id cells as written (a whole number from a workbook without its ``.0``; blank = None)."""
    arr = raw.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(arr, skipna=True) in ("string", "empty"):   # CSV text: nothing to convert
        out = arr.copy()
        out[pd.isna(arr)] = None
        return out

    def one(v: Any) -> Any:
        if v is None or (isinstance(v, float) and v != v):
            return None
        if isinstance(v, str):
            return v
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    return np.array([one(v) for v in arr.tolist()], dtype=object)


def _typed(tb: Table, c: Column, raw: pd.Series, header: str, path: Path, options: ReadOptions,
           calendar: str, zones: Zones | None = None, notes: list | None = None) -> tuple[np.ndarray, bool]:
    """The column's values, and whether they are month labels (``1403-04``) rather than dates.

    A month column of dates keeps its dates as written (billed on the 5th stays the 5th): the report
    buckets them into months in its own calendar, so a date needs no calendar to be read right. Only
    a column of month labels is read as the first day of each month, in ``calendar``. Times with a
    UTC offset are put on the clock of ``zones`` (:mod:`xl_cskpi.exports.zones`)."""
    zones = zones or Zones()
    where = {"file": str(path), "table": tb.name}
    try:
        if c.kind in NUMBER_KINDS:
            return number_column(raw, header, decimal=options.decimal, kind=c.kind,
                                 delimiter=raw.attrs.get("delimiter"), notes=notes), False
        if c.kind == "month":
            try:
                return zones.read(raw, header, **where, order=options.date_order, calendar=calendar,
                                  kind="date"), False
            except KPIError:
                return date_column(raw, header, order=options.date_order, calendar=calendar, kind="month"), True
        if c.kind in DATE_KINDS:
            return zones.read(raw, header, **where, order=options.date_order, calendar=calendar, kind=c.kind,
                              open_end=(tb.name, c.key) in OPEN_END), False
    except KPIError as e:
        raise _cell_error(e, raw, path, header) from None
    return _texts(raw), False


def _anonymous_answers(tb: Table, raw: pd.DataFrame) -> bool:
    """An export of anonymous survey answers dated by the day and nothing else (an eNPS survey: day, team,
    score): two employees of one team answering 8 on the same day are two rows alike, not a copy. An
    export with more columns than the table reads (a comment, a response id) keeps the check."""
    return (not any(c.kind == "id" for c in tb.inputs) and any(c.kind == "score" for c in tb.inputs)
            and not any(c.kind == "datetime" for c in tb.inputs) and raw.shape[1] <= len(tb.inputs))


def _duplicates(df: pd.DataFrame, path: Path, table: str, check: DataCheck) -> None:
    """Rows with the same value in every column as an earlier row (kept; counted twice by any KPI)."""
    if len(df) < 2:
        return
    for c in range(df.shape[1]):          # an id column with no repeat proves there is none (fast path)
        col = df.iloc[:, c]
        if col.notna().all() and col.is_unique:
            return
    try:
        dup = df.duplicated(keep="first")
    except TypeError:                     # a cell pandas cannot hash
        dup = df.astype(str).duplicated(keep="first")
    if not dup.any():
        return
    rows = [int(r) for r in df.index[dup.to_numpy()]]
    n = len(rows)
    # which earlier row each of the first few repeats (rows with one hash of all their cells)
    try:
        h = pd.util.hash_pandas_object(df, index=False)
    except TypeError:
        h = pd.util.hash_pandas_object(df.astype(str), index=False)
    first = pd.Series(df.index, index=df.index).groupby(h.to_numpy()).transform("first")
    pairs = [(r, int(first.loc[r])) for r in rows[:SHOW_ROWS]]
    shown = ", ".join(f"row {r} = row {f}" for r, f in pairs) + (", ..." if n > SHOW_ROWS else "")
    check.warn("duplicate_rows",
               f"{n:,} row{'s' if n != 1 else ''} repeat an earlier row in every column ({shown}); kept and "
               "counted as written: remove them from the export if they are copies", file=str(path),
               table=table, row=rows[0], fields={"count": n, "rows": rows[:SHOW_ROWS],
                                                 "repeats": [f for _, f in pairs]})


def _month_fit(tb: Table, c: Column, dates: np.ndarray, header: str, path: Path, calendar: str,
               check: DataCheck) -> None:
    """A month column of Gregorian month dates in a Jalali or Hijri report (:func:`calendars.month_fit`).

    * ``month_calendar`` (warning) when the report's months do not line up with the export's: a
      Hijri month holding no Gregorian month's row reads as a month without revenue (everyone
      churned and came back); two Gregorian months in one local month are two rows in one month.
      Hijri months are 29-30 days, so about one in 33 holds no 1st of a Gregorian month.
    * ``month_relabelled`` (warning) when they line up one to one but the rows are Gregorian months
      (dated on the 1st): each is shown under the local month holding its 1st (December 2024 as
      Azar 1403, which runs 21 November - 20 December), so that month's values are the Gregorian
      month's. Dates written in the report's own calendar (its month starts, or labels) pass."""
    days = dates[~np.isnat(dates)].astype("datetime64[D]").astype(np.int64)
    if not days.size:
        return
    fit = month_fit(days, calendar, arg=header)
    if not fit.monthly:
        return  # several days in a Gregorian month: dated rows, not Gregorian months
    where = {"file": str(path), "table": tb.name, "column": header}
    if not fit.aligned:
        labels = list(fit.skipped[:SHOW_ROWS])
        merged = len(fit.shared)
        parts = []
        if fit.skipped:
            n = len(fit.skipped)
            parts.append(f"{n} {calendar} month{'s' if n != 1 else ''} hold no row "
                         f"({', '.join(labels)}{', ...' if n > SHOW_ROWS else ''}) and would read as months "
                         "without any value")
        if merged:
            parts.append(f"{merged} {calendar} month{'s' if merged != 1 else ''} hold two Gregorian months")
        check.warn("month_calendar", f"{c.key} holds Gregorian months, but the report counts {calendar} months: "
                   + "; ".join(parts) + "; pass --calendar gregorian to count Gregorian months", **where,
                   fields={"field": c.key, "calendar": calendar, "missing": labels, "merged": merged})
    elif fit.relabelled is not None:
        day, label = fit.relabelled
        date = str(np.datetime64(day, "D"))
        check.warn("month_relabelled", f"{c.key} holds Gregorian months (dated on the 1st); the report shows each "
                   f"under the {calendar} month holding its 1st ({date} as {label}), so a month's values are the "
                   f"Gregorian month's, not the {calendar} month's; pass --calendar gregorian to show Gregorian "
                   f"months, or give {calendar} month labels such as {label}", **where,
                   fields={"field": c.key, "calendar": calendar, "date": date, "label": label})


#: Columns whose words become canonical (exports.statuses): ``{table: {column: vocabulary}}``.
STATUS_COLUMNS = {
    "Tickets": {"status": "ticket", "priority": "priority"},
    "ComplaintLog": {"status": "complaint"},
}

_UNIT_NS = {"seconds": 10**9, "minutes": 60 * 10**9, "hours": 3600 * 10**9, "days": 86_400 * 10**9}


def _derived(tb: Table, typed: dict[str, np.ndarray], raw: pd.DataFrame, headers: dict[str, str], path: Path,
             options: ReadOptions, check: DataCheck) -> None:
    """Columns a profile gives as a duration (Zendesk's "First reply time in minutes"): ``column =
    from + duration``, only where the file has no column of its own for it
    (:data:`xl_cskpi.exports.profiles.DERIVED`)."""
    for extra, (column, start, unit) in DERIVED.get(tb.name, {}).items():
        if column in typed or extra not in headers or start not in typed:
            continue
        h = headers[extra]
        try:
            amount = number_column(raw[h], h, decimal=options.decimal, delimiter=raw.attrs.get("delimiter"))
        except KPIError as e:
            raise _cell_error(e, raw[h], path, h) from None
        bad = amount < 0
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ExportError(f"{path}: row {raw.index[i]}, column {h}: {amount[i]:g} {unit} is negative; a "
                              "duration is 0 or more")
        delta = np.where(np.isnan(amount), np.iinfo(np.int64).min,
                         np.round(np.nan_to_num(amount) * _UNIT_NS[unit])).astype(np.int64).view("timedelta64[ns]")
        typed[column] = typed[start] + delta
        check.info("derived_column", f"{column} = {start} + {h} ({unit})", file=str(path), table=tb.name,
                   column=h, fields={"field": column, "from": start, "source": h, "unit": unit})


#: Decimal places of currencies whose lowest denomination is not a hundredth (ISO 4217 minor units,
#: as Stripe and Paddle list their zero- and three-decimal currencies); every other currency has 2.
MINOR_DIGITS = {**dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF",
                                 "UGX", "VND", "VUV", "XAF", "XOF", "XPF"), 0),
                **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3)}


def _minor_units(tb: Table, typed: dict[str, np.ndarray], raw: pd.DataFrame, headers: dict[str, str],
                 profile: str, path: Path, check: DataCheck) -> None:
    """Amounts a profile writes in the currency's lowest denomination (Paddle: cents) -> units."""
    p = PROFILES.get(profile)
    if p is None or not p.minor_units:
        return
    money = [c.key for c in tb.inputs if c.kind == "money" and c.key in typed]
    if not money:
        return
    cur = typed.get("currency")
    codes = (pd.Series(cur, dtype=object).fillna("").astype(str).str.strip().str.upper().to_numpy()
             if cur is not None else np.full(len(raw), "", dtype=object))
    digits = np.array([MINOR_DIGITS.get(c, 2) for c in codes], dtype=float)
    for key in money:
        typed[key] = typed[key] / 10 ** digits
    check.info("minor_units", f"{', '.join(headers[k] for k in money)}: amounts in the currency's lowest "
               f"denomination ({p.title}) divided by 100 (1 for JPY and other zero-decimal currencies)",
               file=str(path), table=tb.name, fields={"columns": money, "profile": profile})


def _table(tb: Table, assignment: Any, raw: pd.DataFrame, options: ReadOptions, calendar: str,
           check: DataCheck, zones: Zones | None = None) -> pd.DataFrame:
    """One export typed into ``tb``'s input columns (optional columns not in the file are blank)."""
    path = Path(assignment.path)
    headers: dict[str, str] = dict(assignment.columns)          # field -> header as written
    raw = _total_in_dates(tb, raw, headers, path, check)
    rows = raw.index.to_numpy()
    typed: dict[str, np.ndarray] = {}
    labels: set[str] = set()
    for c in tb.inputs:
        if c.key in headers:
            notes: list = []
            typed[c.key], as_labels = _typed(tb, c, raw[headers[c.key]], headers[c.key], path, options, calendar,
                                             zones, notes)
            if as_labels:
                labels.add(c.key)
            for n in notes:     # readings the column decided (cells.number_column): ٫ between thousands, 85% = 85
                pos = n.get("position")
                check.info(n["code"], n["message"], file=str(path), table=tb.name, column=headers[c.key],
                           row=int(rows[pos]) if pos is not None and 0 <= pos < len(rows) else None,
                           fields=n["fields"])
    for c in tb.inputs:
        if c.kind == "month" and c.key in typed and c.key not in labels and calendar != "gregorian":
            _month_fit(tb, c, typed[c.key], headers[c.key], path, calendar, check)
    _derived(tb, typed, raw, headers, path, options, check)
    _fold_ids(tb, typed, headers, path, check)
    if getattr(assignment, "profile", None):
        _minor_units(tb, typed, raw, headers, assignment.profile, path, check)
    # a header saying cents (unit_amount_in_cents, "Amount (cents)"): / the currency's minor units (G10); an
    # invoices export read as customer-month MRR (--map mrr="Amount Due") refused (G4)
    export_checks(tb, typed, raw, headers, getattr(assignment, "profile", None), str(path), check)
    for key, kind in STATUS_COLUMNS.get(tb.name, {}).items():
        if key in typed:
            s = canonical(pd.Series(typed[key], index=raw.index, dtype=object), kind, options, check,
                          file=str(path), column=headers[key])
            typed[key] = np.asarray(s, dtype=object)
    _open_not_resolved(tb, typed, rows, headers, path, check)
    _solved_without_time(tb, typed, rows, headers, path, check)
    _ranges(tb, typed, rows, headers, path, check)
    if tb.name == "Billing":       # a source: tables.subscriptions reads an absent column as not given
        # a payments export refused (G3); pause dates, PC 2.0 item types, coupons added (G1, G19, G2)
        return billing_frame(pd.DataFrame({c.key: typed[c.key] for c in tb.inputs if c.key in typed},
                                          index=raw.index), raw, headers, getattr(assignment, "profile", None),
                             str(path), check)
    n = len(raw)
    cols = {c.key: typed[c.key] if c.key in typed else np.full(n, None, dtype=object) for c in tb.inputs}
    out = pd.DataFrame(cols, index=raw.index)
    total = _total_row(tb, typed, rows, headers, path, check, raw)
    out = out if total is None else out.drop(index=total)
    merged = _not_support_work(tb, raw, headers, path, check)
    return out if merged is None else out.drop(index=[i for i in merged if i in out.index])


#: The tables a billing export derives (:func:`_derive`).
BILLING_TABLES = {"Subscriptions", "Accounts", "Months", "Finance"}


def _two_sources(given: list[str], made: list[str], source: dict, check: DataCheck) -> None:
    """A billing export beside a file of a table it would derive (reviewer's F17: a customer-month
    file of other customers fed Subscriptions -- the MRR bridge -- while Accounts, NRR and GRR came
    from the billing export): warn ``two_sources``, naming both, as the dashboard then mixes them."""
    if not given or not made:
        return
    files = ", ".join(dict.fromkeys(Path(source[t]).name for t in given))
    billing = Path(source["Billing"]).name
    check.warn("two_sources", f"{', '.join(given)} read from {files}, but {', '.join(made)} derived from the billing "
               f"export {billing}: the report mixes two sources, whose customers and months may differ; give the "
               "billing export alone, or those tables alone", table=given[0],
               fields={"given": ", ".join(given), "files": files, "derived": ", ".join(made), "billing": billing})


# --------------------------------------------------------------------------- billing -> tables


def _engine_table(table: str, mrr: pd.DataFrame, engine: str, calendar: str, progress: Any) -> pd.DataFrame:
    """One derived table (``monthly_churn`` = Months, ``finance``) of the
    customer-month MRR rows, computed by ``engine`` (:func:`xl_cskpi.engines.compute`)."""
    from ..engines import compute
    options: dict = {"columns": {"customer_id": "customer_id", "month": "month", "mrr": "mrr"}, "mode": "mrr"}
    if progress is not None:
        options["progress"] = progress
    return compute(table, mrr[["customer_id", "month", "mrr"]], engine=engine, calendar=calendar, options=options)


# --------------------------------------------------------------------------- several currencies (issue 16.3)


#: The table of :func:`xl_cskpi.engines.compute` that gives each derivable report table.
#: (Subscriptions from a billing export is the schedule's own output: one row per paying
#: customer-month with its plan, nothing left to aggregate.)
ENGINE_TABLES = {"Months": "monthly_churn", "Finance": "finance"}


def _derive(report: Report, billing: pd.DataFrame, assignment: Any, given: set[str], calendar: str,
            check: DataCheck, engine: str = "pandas", progress: Any = None,
            rates: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The Subscriptions / Accounts / Months / Finance tables ``report`` needs, from one billing export.

    ``billing`` is the typed Billing table indexed by the file's rows (so that the derivation's
    errors name them). The schedule (billing rows -> one MRR row per customer-month,
    :func:`xl_cskpi.tables.subscriptions.mrr_table`) and Accounts are pandas on every engine; with
    ``engine`` "duckdb" or "spark" the Months and Finance tables are then aggregated
    from those customer-months by that engine (:data:`ENGINE_TABLES`), which the equivalence tests
    hold equal to pandas."""
    path = Path(assignment.path)
    want = [tb for tb in report.tables if tb.name in DERIVABLE and tb.name not in given]
    if not want:
        check.info("file_unused", "the billing export is not used: the report's "
                   f"{', '.join(tb.name for tb in report.tables if tb.name in DERIVABLE)} were given directly",
                   file=str(path), table="Billing")
        return {}
    try:
        fx: dict = {}
        if rates is not None and "currency" in billing.columns:
            # several currencies: one row per customer, month and currency (mrr converted, mrr_local and
            # currency as billed), so that the report's MRR_MOVEMENTS_FX separates rate moves
            reporting = _reporting_currency(_codes(billing["currency"]), rates, path)
            fx = {"rates": _rates_frame(rates), "reporting_currency": reporting, "by_currency": True}
        mrr = subscriptions.mrr_table(billing, calendar, check=check, file=str(path), **fx)
        if fx:
            mrr.attrs["reporting_currency"] = fx["reporting_currency"]
            _warn_fx_bridge(sorted(set(mrr["currency"].dropna())), path, check)
            if "mrr_local" in mrr.columns:
                _say_conversion(mrr, fx["reporting_currency"], sorted(set(mrr["currency"].dropna())), calendar,
                                path, check)
        if len(mrr) > SHEET_ROWS and any(tb.name == "Subscriptions" for tb in want):
            n_months = pd.Series(mrr["month"]).nunique()
            raise ExportError(
                f"{path}: gives {len(mrr):,} customer-months ({mrr['customer_id'].nunique():,} customers over "
                f"{n_months} months), more than a report sheet holds ({SHEET_ROWS:,} rows, Excel's limit); "
                "export fewer months (for instance the last 24) or split the export by plan or region")
        frames: dict[str, pd.DataFrame] = {}
        compared = (None, None)
        for tb in want:
            if engine != "pandas" and tb.name in ENGINE_TABLES:
                if progress is not None:
                    progress(f"{tb.name}: {len(mrr):,} customer-months with {engine}")
                frames[tb.name] = _engine_table(ENGINE_TABLES[tb.name], mrr, engine, calendar, progress)
            elif tb.name == "Subscriptions":
                frames[tb.name] = mrr
            elif tb.name == "Accounts":
                frames[tb.name], compared = subscriptions.accounts(mrr, months=12, calendar=calendar)
            elif tb.name == "Months":
                frames[tb.name] = subscriptions.monthly_counts(mrr, calendar=calendar)
            else:
                frames[tb.name] = subscriptions.finance_base(mrr, calendar=calendar)
    except EngineMissing as e:
        raise ExportError(f"--engine {engine}: {e.reason}") from None
    except KPIError as e:
        header = dict(assignment.columns).get(e.argument or "", e.argument)
        raise ExportError(f"{path}: " + (f"column {header}: " if header else "") + e.reason) from None
    out: dict[str, pd.DataFrame] = {}
    for tb in want:
        df = frames[tb.name]
        n = len(df)
        out[tb.name] = pd.DataFrame({c.key: df[c.key].to_numpy() if c.key in df.columns
                                     else np.full(n, None, dtype=object) for c in tb.inputs})
        if df.attrs.get("reporting_currency"):
            out[tb.name].attrs["reporting_currency"] = df.attrs["reporting_currency"]
        if mrr.attrs.get("as_of") is not None:   # the day the export's months are measured to (period.in_progress)
            out[tb.name].attrs["as_of"] = mrr.attrs["as_of"]
        blank = [c.key for c in tb.inputs if c.key not in df.columns]
        if blank:
            check.info("columns_blank", f"{tb.name}: {', '.join(blank)} cannot be derived from a billing export "
                       "and are left blank; the KPIs that need them say so", table=tb.name,
                       fields={"columns": blank})
    months = np.sort(pd.unique(mrr["month"].to_numpy(dtype="datetime64[ns]")))
    span = (f" ({len(months)} months, {_month_label(months[0], calendar)} to {_month_label(months[-1], calendar)})"
            if len(months) else " (nobody pays in it)")
    check.info("tables_derived", f"{', '.join(out)} derived from the billing export{span}", file=str(path),
               table="Billing", fields={"tables": list(out), "months": len(months)})
    if "Accounts" in out and compared[0] is not None:
        a, b = _month_label(compared[0], calendar), _month_label(compared[1], calendar)
        check.info("accounts_compare", f"Accounts compare each customer's MRR of {a} (previous_mrr) with {b} "
                   "(current_mrr): NRR and GRR are for this span", file=str(path), table="Accounts",
                   fields={"previous": a, "current": b})
    return out


def _months_from_customers(customers: pd.DataFrame, calendar: str, path: str,
                           check: DataCheck) -> pd.DataFrame | None:
    """The Months table of a customer list (ids, start, end) when no monthly counts are given
    (reviewer's U8: a CRM customer list filled only the Kaplan-Meier lifetime; monthly churn, retention
    and active customers read "n/a: no monthly customer counts given" although the list holds them).
    :func:`xl_cskpi.tables.customers.monthly_counts_from_spans` counts them by the convention of
    CHURN_RATE_BETWEEN and ACTIVE_CUSTOMERS, as ``compute monthly_churn`` does; renewals stay blank.
    Customers are counted, not rows: a customer's rows (a main contract and an add-on, a renewal
    written as a new row) are merged into spells of activity as CUSTOMER_CHURN_RATE merges them
    (reviewer's H2: rows were counted, churn 50 % for 60 %).
    The latest start or end date is the day the months are measured to (``as_of``: its month is in
    progress until that day is within a week of its end). A list the counts cannot be made from
    (an end before its start) is left as it is, with a warning: the KPIs say n/a."""
    end = customers["end_date"] if "end_date" in customers.columns else pd.Series([None] * len(customers))
    try:
        ids = customers["customer_id"].to_numpy() if "customer_id" in customers.columns else None
        months = customer_list.monthly_counts_from_spans(customers["start_date"].to_numpy(),
                                                         end.to_numpy(), calendar, customer_ids=ids)
    except KPIError as e:
        check.warn("months_not_derived", f"monthly customer counts not derived from the customer list: "
                   f"{e.argument + ' ' if e.argument else ''}{e.reason}", file=path, table="Months",
                   fields={"reason": e.reason})
        return None
    if months.empty:
        return None
    dates = pd.concat([pd.to_datetime(customers["start_date"]), pd.to_datetime(end)]).dropna()
    months.attrs["as_of"] = dates.max().to_datetime64()
    first, last = _month_label(months["month"].iloc[0], calendar), _month_label(months["month"].iloc[-1], calendar)
    check.info("months_from_customers", f"Months derived from the customer list ({len(months)} months, {first} to "
               f"{last}): customers at the start, new, lost (end date in the month) and at the end; renewals "
               "left blank", file=path, table="Months",
               fields={"months": len(months), "first": first, "last": last})
    return months


def customers_as_of_from_data(report: Report, data: dict, settings: dict, check: DataCheck,
                              today: Any = None) -> dict:
    """``customers_as_of`` left blank, in a report that has it: the day the customer list is measured
    to, for the Kaplan-Meier lifetime and survival curve -- the latest start or end date in the list,
    but never after today. An end date after today is a scheduled end (an annual contract's renewal
    date), not a churn yet: without it MEDIAN_LIFETIME counted every such end as a loss at the
    contract's length (reviewer's H5: "12.0 months", true n/a, survival 75 %). Said as an info line
    ``customers_as_of_from_data``, and the end dates after it as a warning ``customer_ends_after_today``. A value
    the user gave is kept."""
    import datetime as _dt

    if not any(s.key == "customers_as_of" for s in report.settings) or \
            settings.get("customers_as_of") not in (None, ""):
        return settings
    c = data.get("Customers")
    if c is None or c.empty or "start_date" not in c.columns:
        return settings
    starts = pd.to_datetime(pd.Series(c["start_date"].to_numpy()), errors="coerce")
    ends = (pd.to_datetime(pd.Series(c["end_date"].to_numpy()), errors="coerce") if "end_date" in c.columns
            else pd.Series(pd.NaT, index=starts.index))
    latest = max((x for x in (starts.max(), ends.max()) if pd.notna(x)), default=None)
    if latest is None:
        return settings
    day = pd.Timestamp(today if today is not None else _dt.date.today()).normalize()
    as_of = min(latest.normalize(), day)
    later = ends[ends > as_of]
    if len(later):
        check.warn("customer_ends_after_today", f"{len(later):,} customer end date(s) are after today ({day:%Y-%m-%d}; the latest "
                   f"{later.max():%Y-%m-%d}): scheduled ends (contract renewal dates?), not churn yet: the "
                   f"lifetime counts those customers as customers on {as_of:%Y-%m-%d}, and the months after today "
                   "are not shown", table="Customers", column="end_date",
                   fields={"count": int(len(later)), "today": f"{day:%Y-%m-%d}", "latest": f"{later.max():%Y-%m-%d}",
                           "as_of": f"{as_of:%Y-%m-%d}"})
    _anniversary_ends(starts, ends, check)
    check.info("customers_as_of_from_data", f"the customers' lifetime (Kaplan-Meier) is measured to {as_of:%Y-%m-%d}"
               f", {'today' if as_of == day else 'the latest date in the customer list'} (customers_as_of on the "
               "Settings sheet)", table="Customers",
               fields={"as_of": f"{as_of:%Y-%m-%d}", "variant": "today" if as_of == day else "latest"})
    return {**settings, "customers_as_of": as_of.to_pydatetime()}


def _anniversary_ends(starts: pd.Series, ends: pd.Series, check: DataCheck) -> None:
    """Most end dates a whole number of years after their start (within a day and a half: a Jalali
    anniversary is a day off a Gregorian one; a Hijri year is 354 or 355 days) look like contract terms, not cancellations: an old
    export of annual contracts reads as every customer churning at 12 months (reviewer's H5, a Persian
    list shown for a month a year after its latest start with churn 50 %). A warning
    ``ends_on_anniversary`` when at least 3 ended customers and 60 % of them end so."""
    both = starts.notna() & ends.notna()
    if int(both.sum()) < 3:
        return
    days = (ends[both] - starts[both]).dt.days.to_numpy()
    on = np.zeros(len(days), dtype=bool)
    # solar years (Gregorian, Jalali) and lunar ones (Hijri, 354 or 355 days: reviewer's K3, a Hijri
    # contract list got no warning)
    for year in (365.25, 354.367):
        years = np.rint(days / year)
        on |= (years >= 1) & (np.abs(days - years * year) <= 1.5)
    n, k = int(both.sum()), int(on.sum())
    if k < 3 or k < 0.6 * n:
        return
    check.warn("ends_on_anniversary", f"{k:,} of the {n:,} customers with an end date end a whole number of years "
               "after their start: contract terms rather than cancellations? The months and the lifetime count "
               "each as a churn on that day: if the list holds contract end dates, leave the ones not cancelled "
               "blank (or give the cancellation date)", table="Customers", column="end_date",
               fields={"count": k, "ended": n})


def next_day_renewals(data: dict, check: DataCheck) -> None:
    """Rows of one customer where one starts the day after another ends (2024-06-30, then 2024-07-01): a
    CRM writes a contract's end as its last day, so this is how its renewal row looks. The monthly counts,
    the churn conventions and the lifetime read them as one spell, no churn (tables.churn.customer_spells;
    reviewer's K2, session 6: June churn 40 % for 20 %); said as an info line ``renewal_next_day`` with
    the count and the first customer, since a customer who left for one day reads the same."""
    c = data.get("Customers")
    if c is None or c.empty or not {"customer_id", "start_date", "end_date"} <= set(c.columns):
        return
    frame = pd.DataFrame({"id": c["customer_id"].astype(str).str.strip().to_numpy(),
                          "start": pd.to_datetime(pd.Series(c["start_date"].to_numpy()), errors="coerce").dt.normalize(),
                          "end": pd.to_datetime(pd.Series(c["end_date"].to_numpy()), errors="coerce").dt.normalize()})
    frame = frame[frame["id"].ne("") & frame["id"].ne("None") & frame["start"].notna()]
    if not frame["id"].duplicated().any():
        return
    ends = frame.dropna(subset=["end"])[["id", "end"]].assign(start=lambda f: f["end"] + pd.Timedelta(days=1))
    hits = frame[["id", "start"]].merge(ends[["id", "start"]], on=["id", "start"])
    if hits.empty:
        return
    n, first = len(hits), str(hits["id"].iloc[0])
    check.info("renewal_next_day", f"{n:,} row(s) of a customer start the day after another of its rows ends (first: "
               f"{first}): read as a renewal (a contract's end date written as its last day), one customer without "
               "a churn", table="Customers", column="start_date", fields={"count": n, "customer": first})


def months_without_rows(data: dict, check: DataCheck, calendar: str = "gregorian") -> None:
    """A customer-month MRR table (Subscriptions) with no row at all for a month between its first and
    last: a month missing from the export (a monthly snapshot not appended), not a month in which every
    customer left and came back the next -- which is how MRR_MOVEMENTS reads it: MRR 0, NRR 0 %, MRR churn
    100 %, and the next month's whole MRR new and reactivated (reviewer's K4, session 6). A warning
    ``month_without_rows`` naming the months; the numbers are not changed (a table of monthly snapshots
    has a row for every paying customer every month, and a month of none is not ours to fill)."""
    from ..calendars import period_labels, period_ordinals

    t = data.get("Subscriptions")
    if t is None or t.empty or "month" not in t.columns or len(t) < 2:
        return
    months = pd.to_datetime(pd.Series(t["month"].to_numpy()), errors="coerce").dropna().to_numpy()
    if len(months) < 2:
        return
    try:
        ords = np.unique(period_ordinals(months, "month", calendar))
    except KPIError:
        return
    missing = np.setdiff1d(np.arange(ords[0], ords[-1] + 1), ords)
    if not len(missing):
        return
    from ..calendars import period_start_dates
    labels = period_labels(period_start_dates(missing, "month", calendar), "month", calendar).tolist()
    shown = ", ".join(labels[:5]) + (", ..." if len(labels) > 5 else "")
    check.warn("month_without_rows", f"Subscriptions has no row for {shown}, between months that have rows: a month "
               "missing from the export? It reads as every customer leaving and coming back the next month (MRR 0, "
               "churn 100 %); add the month's rows", table="Subscriptions", column="month",
               fields={"months": shown, "count": len(labels)})


def settings_from_data(report: Report, data: dict, settings: dict, check: DataCheck, today: Any = None,
                       calendar: str | None = None) -> dict:
    """The settings a filled report takes from its data when left blank: ``sla_as_of``,
    ``customers_as_of`` (``report`` and ``demo`` alike); and what the rows say of renewals
    (:func:`next_day_renewals`) and of months missing from an MRR table (:func:`months_without_rows`)."""
    if any(t.name == "Subscriptions" for t in report.tables):
        months_without_rows(data, check, calendar or settings.get("calendar") or "gregorian")
    settings = sla_as_of_from_data(report, data, settings, check)
    if any(t.name == "Customers" for t in report.tables):
        next_day_renewals(data, check)
    return customers_as_of_from_data(report, data, settings, check, today)


def sla_as_of_from_data(report: Report, data: dict, settings: dict, check: DataCheck) -> dict:
    """``sla_as_of`` left blank, in a report that has it: the latest time in the Tickets table (opened,
    first reply or resolved), so open tickets past their target count as breached, as a helpdesk's SLA
    report counts them (reviewer's G39: two tickets open three weeks past a 24 h target read 100 %),
    with an info line ``sla_as_of_from_data``. A value the user gave is kept."""
    if not any(s.key == "sla_as_of" for s in report.settings) or settings.get("sla_as_of") not in (None, ""):
        return settings
    t = data.get("Tickets")
    if t is None or t.empty:
        return settings
    times = [pd.to_datetime(pd.Series(t[c].to_numpy()), errors="coerce").max()
             for c in ("opened_at", "first_response_at", "resolved_at") if c in t.columns]
    times = [x for x in times if pd.notna(x)]
    if not times:
        return settings
    last = max(times).to_pydatetime()
    check.info("sla_as_of_from_data", f"open tickets judged against their SLA as of {last:%Y-%m-%d %H:%M}, the "
               "latest time in the tickets (sla_as_of on the Settings sheet; an open ticket past its target is a "
               "breach)", table="Tickets", fields={"as_of": f"{last:%Y-%m-%d %H:%M}"})
    return {**settings, "sla_as_of": last}


def _nothing_fits(report: Report, frames: dict[Path, pd.DataFrame], check: DataCheck) -> ExportError:
    """One line for a run in which no file fits any table of the report: each file (up to three),
    the table it came closest to and the columns it misses; a file read as one column is most likely
    separated by a character exports do not use."""
    parts = []
    skipped = [f for f in check if f.code == "file_skipped" and f.file]
    for f in skipped[:3]:
        closest, missing = f.fields.get("closest"), f.fields.get("missing")
        text = f"{f.file}: " + (f"closest to table {closest}, missing columns {missing}" if closest and missing
                                else "fits no table")
        df = frames.get(Path(f.file))
        if df is not None and df.shape[1] == 1:
            text += " (the file reads as a single column: separate its cells with commas, semicolons, tabs or |)"
        parts.append(text)
    needs = ", ".join(tb.name for tb in report.tables)
    if any(tb.name in DERIVABLE for tb in report.tables):
        needs += " or a billing export"
    return ExportError(f"no file fits report {report.key} (it reads {needs}): " + ("; ".join(parts) or "no data")
                       + "; check the files, or name their columns with --map FIELD=HEADER")


# --------------------------------------------------------------------------- the pipeline

def _options(options: ReadOptions | str | None, lang: str | None) -> ReadOptions:
    if isinstance(options, ReadOptions):
        return options
    if options is not None and not isinstance(options, str):
        raise TypeError(f"options: give a ReadOptions or a language code, not {type(options).__name__}")
    return ReadOptions(lang=options or lang or "en")


def _engine_ready(engine: str) -> None:
    """Exit-2 line before any file is read: an unknown engine, or one whose package is missing."""
    if engine not in ENGINES:
        raise ExportError(f"--engine {engine!r}: use one of {', '.join(ENGINES)}")
    try:
        if engine == "duckdb":
            from ..engines.duck import _duckdb
            _duckdb()
        elif engine == "spark":
            from ..engines.spark import _pyspark, to_spark
            _pyspark()
            to_spark("SELECT 1")
    except EngineMissing as e:
        raise ExportError(f"--engine {engine}: {e.reason}") from None


def load_data(report: Report, paths: Iterable[str | Path], options: ReadOptions | str | None = None, *,
              lang: str | None = None, engine: str = "pandas", progress: Any = None):
    """Read, match and type every export for ``report``.

    ``paths``: files, folders and globs (``--data``); ``options``: the reading rules
    (:class:`~xl_cskpi.exports.check.ReadOptions`; ``options.calendar`` None = the calendar of
    ``options.lang``'s reports, which must be the calendar the report buckets months in).

    Returns ``(tables, check)``: ``{table name: DataFrame of the table's input columns}`` in the
    report's order (a table no file fits is an absent key; numbers float, dates ``datetime64[ns]``,
    text ``str``/None), each with ``attrs["source"]`` (its file) and, when read row for row,
    ``attrs["rows"]`` (the file row of each table row); and the
    :class:`~xl_cskpi.exports.check.DataCheck` of the run. The findings this module adds (codes
    and ``fields``): ``rows_read`` {rows}; ``duplicate_rows`` {count, rows, repeats};
    ``out_of_range`` {field, value, bound, side="below"|"above", count, rows} or {field, before,
    count, rows}; ``derived_column`` {field, from, source, unit}; ``minor_units`` {columns,
    profile}; ``month_calendar`` {field, calendar, missing, merged}; ``tables_derived`` {tables,
    months}; ``accounts_compare`` {previous, current}; ``columns_blank`` {columns};
    ``file_unused`` {}; ``table_absent`` {}; ``timezone_converted``, ``timezone_of_schedule``,
    ``timezone_kept``, ``timezone_mixed``, ``timezone_naive``, ``timezone_not_schedule``, ``timezone_dst`` (:mod:`xl_cskpi.exports.zones`) -- besides those of the readers, the mapper, the status
    vocabularies and the subscriptions derivation it calls.

    Raises :class:`~xl_cskpi.exports.check.ExportError` (exit 2) for a file or cell that cannot be
    read, with one line naming file, row and column, and when no file fits any table of the report.

    ``engine`` ("pandas", "duckdb", "spark"; ``xl-cskpi report --engine``): which engine
    aggregates the tables derived from a billing export (see :func:`_derive`); the tables read
    from files are typed by the same rules on every engine. ``progress``: a callable receiving
    one-line messages about long work (None: silent).

    Transitional: called with a language code (``load_data(report, paths, "fa")``) or without
    options, it returns the tables alone, as before this pipeline had a data check.
    """
    legacy = not isinstance(options, ReadOptions)
    opts = _options(options, lang)
    _engine_ready(engine)
    check = DataCheck()
    calendar = opts.calendar or calendar_of(opts.lang)
    files = list(expand_paths([str(p) for p in paths], check))
    if not files:
        raise ExportError("no export files given; pass --data FILE, a folder or a glob")
    frames = {p: read_file(p, check) for p in files}
    tables = list(report.tables)
    if any(tb.name in DERIVABLE for tb in tables):
        tables.append(BILLING)
    assigned = match(tables, frames, opts, check)
    zone, why, schedule = report_zone(report, opts.timezone, opts.schedule, opts.lang, calendar)
    other = report_zone(report, None, opts.schedule, opts.lang, calendar) if why == "option" else (None,) * 3
    mark = len(check.findings)
    while True:     # a second pass, in UTC, only when the export mixes offsets and no zone is known
        zones = Zones(zone, why, schedule, other_schedule=other[2], other_zone=other[0])
        out: dict[str, pd.DataFrame] = {}
        source: dict[str, str] = {}
        headers_of: dict[str, dict[str, str]] = {}
        for tb in tables:
            a = assigned.get(tb.name)
            if a is None:
                continue
            raw = frames[Path(a.path)]
            check.info("rows_read", f"{len(raw):,} rows read into {tb.name}", file=str(a.path), table=tb.name,
                       fields={"rows": len(raw)})
            try:
                out[tb.name] = _table(tb, a, raw, opts, calendar, check, zones)
            except ExportError as e:
                raise check.relocated(e) from None      # combined files: "june.csv: row 4", not "row 20000004"
            source[tb.name] = str(a.path)
            headers_of[tb.name] = {k: str(v) for k, v in dict(a.columns).items()}
            if not _anonymous_answers(tb, raw):   # the demo's own eNPS sample drew "remove them ... if copies"
                _duplicates(raw, Path(a.path), tb.name, check)
        if zone is None and len(zones.offsets) > 1:
            zone, why = "UTC", "mixed"
            del check.findings[mark:]
            continue
        break
    zones.findings(check)
    derived: set[str] = set()
    rates = out.get("Rates")
    if "Subscriptions" in out and "currency" in out["Subscriptions"].columns:
        out["Subscriptions"] = _convert_subscriptions(out["Subscriptions"], rates, calendar,
                                                      source["Subscriptions"], check)
    if "Billing" in out:
        billing = out.pop("Billing")
        given = set(out)
        made = _derive(report, billing, assigned["Billing"], given, calendar, check, engine, progress, rates)
        derived = set(made)
        _two_sources(sorted(given & BILLING_TABLES & {tb.name for tb in report.tables}), sorted(made),
                     source, check)
        out.update(made)
        source.update(dict.fromkeys(made, source["Billing"]))
    if "Months" not in out and "Customers" in out and any(tb.name == "Months" for tb in report.tables):
        months = _months_from_customers(out["Customers"], calendar, source["Customers"], check)
        if months is not None:
            out["Months"], source["Months"] = months, source["Customers"]
            derived.add("Months")
    if not any(tb.name in out for tb in report.tables):
        raise _nothing_fits(report, frames, check)
    for tb in report.tables:
        if tb.name not in out:
            check.info("table_absent", f"no file for {tb.name}: the KPIs that need it say so", table=tb.name)
    result: dict[str, pd.DataFrame] = {}
    for tb in report.tables:
        if tb.name not in out:
            continue
        df = out[tb.name]
        currency = df.attrs.get("reporting_currency")
        # where each row came from, for the builder's KPI errors (reports.datacheck.SOURCE_ATTR/ROWS_ATTR):
        # a derived table has a file but no file row per table row
        rows = None if tb.name in derived else [int(r) for r in df.index]
        df = df.reset_index(drop=True)
        df.attrs["source"] = source[tb.name]
        if rows is not None:
            df.attrs["rows"] = rows
        if currency:
            df.attrs["reporting_currency"] = currency
        if out[tb.name].attrs.get("as_of") is not None:
            df.attrs["as_of"] = out[tb.name].attrs["as_of"]
        if tb.name in headers_of and tb.name not in derived:
            df.attrs["columns"] = headers_of[tb.name]   # reports.datacheck.COLUMNS_ATTR: the file's headers
        result[tb.name] = df
    out = result
    return out if legacy else (out, check)
