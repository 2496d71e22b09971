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
   (:class:`~xl_cskpi.exports.check.ExportError`, exit 2).
4. **Vocabularies and derived fields.** Ticket and complaint statuses become canonical
   (:func:`xl_cskpi.exports.statuses.canonical`; a value no rule maps is a finding, never dropped);
   a vendor's "First reply time in minutes" (Zendesk) becomes ``first_response_at`` = ``opened_at``
   + minutes when no timestamp is given.
5. **The data check** (:class:`~xl_cskpi.exports.check.DataCheck`): rows read per table and file,
   rows repeated in every column, values outside a column's ``minimum``/``maximum`` (negative MRR, an
   NPS answer of 11, a health score of -20) and tickets resolved or answered before they were
   opened, each with file, row and column. These are warnings: the values are kept as written, so
   the workbook shows what the export says and the KPI that cannot use them says why.
"""

from __future__ import annotations

import glob as _glob
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..errors import KPIError
from ..exports.check import DataCheck, ExportError, ReadOptions
from .i18n import calendar as calendar_of
from .spec import Column, Report, Table
from .specs.tables import BILLING

__all__ = ["ExportError", "load_data", "DERIVABLE"]

#: The tables a billing export can stand in for (derived by :mod:`xl_cskpi.tables.subscriptions`).
DERIVABLE = ("Subscriptions", "Accounts", "Months", "Finance")

NUMBER_KINDS = ("count", "number", "money", "score", "rate")
DATE_KINDS = ("date", "datetime", "month")

#: Billing columns where a far-future date (9999-12-31, the ERP "no end date") means still open.
OPEN_END = {("Billing", "end"), ("Billing", "current_period_end")}

#: Pairs (earlier, later) of datetime columns: a later one before the earlier one is out of range.
ORDERED = {
    "Tickets": (("opened_at", "first_response_at", "answered"), ("opened_at", "resolved_at", "resolved")),
}

#: How many row numbers a finding lists before "...".
SHOW_ROWS = 5


# --------------------------------------------------------------------------- the pieces
# Each step is one call into the exports room or cells.py. (Until a piece exists the fallback below
# keeps the previous reader working; see the end of this module.)

def _expand(items: Iterable[str | Path], check: DataCheck) -> list[Path]:
    try:
        from ..exports.read import expand_paths
    except ImportError:
        return _legacy_expand(items)
    return list(expand_paths(list(items), check))


def _read(path: Path, check: DataCheck) -> pd.DataFrame:
    from ..exports.read import read_file

    return read_file(path, check)


def _match(tables: list[Table], frames: dict[Path, pd.DataFrame], options: ReadOptions,
           check: DataCheck) -> dict[str, Any]:
    try:
        from ..exports.mapping import match
    except ImportError:
        return _legacy_match(tables, frames, options.lang)
    return match(tables, frames, options, check)


def _numbers(raw: pd.Series, header: str, options: ReadOptions, path: Path) -> np.ndarray:
    from .. import cells

    if not hasattr(cells, "number_column"):
        return _legacy_numbers(raw, path, header)
    return cells.number_column(raw, header, decimal=options.decimal)


def _dates(raw: pd.Series, header: str, options: ReadOptions, calendar: str, kind: str,
           open_end: bool, path: Path) -> np.ndarray:
    from .. import cells

    if not hasattr(cells, "date_column"):
        return _legacy_dates(raw, path, header, options.lang)
    return cells.date_column(raw, header, order=options.date_order, calendar=calendar, kind=kind,
                             open_end=open_end)


def _statuses(values: pd.Series, table: str, options: ReadOptions, check: DataCheck, file: str,
              column: str) -> pd.Series:
    try:
        from ..exports.statuses import canonical
    except ImportError:
        return values
    kind = "complaint" if table == "ComplaintLog" else "ticket"
    return canonical(values, kind, options, check, file=file, column=column)


# --------------------------------------------------------------------------- typing one table

def _row_of(raw: pd.Series, position: int | None) -> int | None:
    if position is None or not 0 <= position < len(raw):
        return None
    return int(raw.index[position])


def _cell_error(e: KPIError, raw: pd.Series, path: Path, header: str) -> ExportError:
    """A reader's error as one line naming the file, the row and the column."""
    row = _row_of(raw, getattr(e, "position", None))
    where = f"{path}: " + (f"row {row}, " if row is not None else "") + f"column {header}"
    reason = e.reason
    if "--date-order" not in reason and "ambiguous" in reason.lower():
        reason += "; pass --date-order dmy, mdy or ymd"
    return ExportError(f"{where}: {reason}")


def _texts(raw: pd.Series) -> np.ndarray:
    def one(v: Any) -> Any:
        if v is None or (isinstance(v, float) and v != v):
            return None
        if isinstance(v, str):
            return v
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    return np.array([one(v) for v in raw.tolist()], dtype=object)


def _typed(tb: Table, c: Column, raw: pd.Series, header: str, path: Path, options: ReadOptions,
           calendar: str) -> np.ndarray:
    try:
        if c.kind in NUMBER_KINDS:
            return _numbers(raw, header, options, path)
        if c.kind in DATE_KINDS:
            return _dates(raw, header, options, calendar, c.kind, (tb.name, c.key) in OPEN_END, path)
    except KPIError as e:
        raise _cell_error(e, raw, path, header) from None
    return _texts(raw)


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:SHOW_ROWS]))
    return shown + (", ..." if len(rows) > SHOW_ROWS else "")


def _duplicates(df: pd.DataFrame, path: Path, table: str, check: DataCheck) -> None:
    """Rows with the same value in every column as an earlier row (kept; counted twice by any KPI)."""
    if len(df) < 2:
        return
    dup = df.astype(str).duplicated(keep="first")
    if not dup.any():
        return
    rows = [int(r) for r in df.index[dup.to_numpy()]]
    n = len(rows)
    check.warn("duplicate_rows",
               f"{n:,} row{'s' if n != 1 else ''} repeat an earlier row in every column (rows "
               f"{_rows_text(rows)}); they are kept and counted as written: remove them from the export "
               "if they are copies", file=str(path), table=table, row=rows[0],
               fields={"count": n, "rows": rows[:SHOW_ROWS]})


def _fmt(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e15 else repr(x)


def _ranges(tb: Table, typed: dict[str, np.ndarray], rows: np.ndarray, headers: dict[str, str],
            path: Path, check: DataCheck) -> None:
    """Values outside a column's minimum/maximum, and datetimes in the wrong order, as warnings."""
    for c in tb.inputs:
        if c.key not in typed or c.kind not in NUMBER_KINDS or (c.minimum is None and c.maximum is None):
            continue
        x = typed[c.key]
        for bound, bad, word in ((c.minimum, x < (c.minimum if c.minimum is not None else 0), "below"),
                                 (c.maximum, x > (c.maximum if c.maximum is not None else 0), "above")):
            if bound is None or not bad.any():
                continue
            at = np.flatnonzero(bad)
            bad_rows = [int(r) for r in rows[at]]
            n = len(at)
            check.warn("out_of_range",
                       f"{c.key} {_fmt(float(x[at[0]]))} is {word} the {'minimum' if word == 'below' else 'maximum'}"
                       f" {_fmt(bound)}" + (f" ({n:,} rows: {_rows_text(bad_rows)})" if n > 1 else ""),
                       file=str(path), table=tb.name, row=bad_rows[0], column=headers.get(c.key, c.key),
                       fields={"field": c.key, "value": float(x[at[0]]), "bound": bound, "side": word,
                               "count": n, "rows": bad_rows[:SHOW_ROWS]})
    for first, later, verb in ORDERED.get(tb.name, ()):
        if first not in typed or later not in typed:
            continue
        a, b = typed[first], typed[later]
        bad = ~np.isnat(a) & ~np.isnat(b) & (b < a)
        if not bad.any():
            continue
        at = np.flatnonzero(bad)
        bad_rows = [int(r) for r in rows[at]]
        n = len(at)
        check.warn("out_of_range",
                   f"{later} is before {first}: {verb} before it began"
                   + (f" ({n:,} rows: {_rows_text(bad_rows)})" if n > 1 else ""),
                   file=str(path), table=tb.name, row=bad_rows[0], column=headers.get(later, later),
                   fields={"field": later, "before": first, "count": n, "rows": bad_rows[:SHOW_ROWS]})


def _table(tb: Table, assignment: Any, raw: pd.DataFrame, options: ReadOptions, calendar: str,
           check: DataCheck) -> pd.DataFrame:
    """One export typed into ``tb``'s input columns (optional columns not in the file are blank)."""
    path = Path(assignment.path)
    headers: dict[str, str] = dict(assignment.columns)          # field -> header as written
    rows = raw.index.to_numpy()
    typed: dict[str, np.ndarray] = {}
    for c in tb.inputs:
        if c.key in headers:
            typed[c.key] = _typed(tb, c, raw[headers[c.key]], headers[c.key], path, options, calendar)
    # derived fields of the source profiles
    if tb.name == "Tickets" and "first_response_at" not in typed and "first_reply_minutes" in headers \
            and "opened_at" in typed:
        h = headers["first_reply_minutes"]
        try:
            minutes = _numbers(raw[h], h, options, path)
        except KPIError as e:
            raise _cell_error(e, raw[h], path, h) from None
        typed["first_response_at"] = typed["opened_at"] + (minutes * 60e9).round().astype("timedelta64[ns]") \
            if minutes.size else typed["opened_at"].copy()
        check.info("derived_column", f"first_response_at = opened_at + {h} (minutes)", file=str(path),
                   table=tb.name, column=h, fields={"field": "first_response_at", "source": h})
    for key in ("status",):
        if key in typed and tb.name in ("Tickets", "ComplaintLog"):
            s = _statuses(pd.Series(typed[key], index=raw.index, dtype=object), tb.name, options, check,
                          str(path), headers[key])
            typed[key] = np.asarray(s, dtype=object)
    _ranges(tb, typed, rows, headers, path, check)
    if tb.name == "Billing":       # a source: tables.subscriptions reads an absent column as not given
        return pd.DataFrame({c.key: typed[c.key] for c in tb.inputs if c.key in typed}, index=raw.index)
    n = len(raw)
    cols = {c.key: typed[c.key] if c.key in typed else np.full(n, None, dtype=object) for c in tb.inputs}
    return pd.DataFrame(cols, index=raw.index)


# --------------------------------------------------------------------------- billing -> tables

def _month_label(ts: Any, calendar: str) -> str:
    from ..calendars import period_labels

    return str(period_labels(np.array([ts], dtype="datetime64[ns]"), "month", calendar)[0])


def _derive(report: Report, billing: pd.DataFrame, assignment: Any, given: set[str], calendar: str,
            check: DataCheck) -> dict[str, pd.DataFrame]:
    """The Subscriptions / Accounts / Months / Finance tables ``report`` needs, from one billing export.

    ``billing`` is the typed Billing table indexed by the file's rows (so that the derivation's
    errors name them)."""
    from ..tables import subscriptions as subs

    path = Path(assignment.path)
    want = [tb for tb in report.tables if tb.name in DERIVABLE and tb.name not in given]
    if not want:
        check.info("file_unused", "the billing export is not used: the report's "
                   f"{', '.join(tb.name for tb in report.tables if tb.name in DERIVABLE)} were given directly",
                   file=str(path), table="Billing")
        return {}
    try:
        mrr = subs.mrr_table(billing, calendar, check=check, file=str(path))
        frames: dict[str, pd.DataFrame] = {}
        compared = (None, None)
        for tb in want:
            if tb.name == "Subscriptions":
                frames[tb.name] = mrr
            elif tb.name == "Accounts":
                frames[tb.name], compared = subs.accounts(mrr, months=12, calendar=calendar)
            elif tb.name == "Months":
                frames[tb.name] = subs.monthly_counts(mrr, calendar=calendar)
            else:
                frames[tb.name] = subs.finance_base(mrr, calendar=calendar)
    except KPIError as e:
        header = dict(assignment.columns).get(e.argument or "", e.argument)
        raise ExportError(f"{path}: " + (f"column {header}: " if header else "") + e.reason) from None
    out: dict[str, pd.DataFrame] = {}
    for tb in want:
        df = frames[tb.name]
        n = len(df)
        out[tb.name] = pd.DataFrame({c.key: df[c.key].to_numpy() if c.key in df.columns
                                     else np.full(n, None, dtype=object) for c in tb.inputs})
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


# --------------------------------------------------------------------------- the pipeline

def _options(options: ReadOptions | str | None, lang: str | None) -> ReadOptions:
    if isinstance(options, ReadOptions):
        return options
    if options is not None and not isinstance(options, str):
        raise TypeError(f"options: give a ReadOptions or a language code, not {type(options).__name__}")
    return ReadOptions(lang=options or lang or "en")


def load_data(report: Report, paths: Iterable[str | Path], options: ReadOptions | str | None = None, *,
              lang: str | None = None):
    """Read, match and type every export for ``report``.

    Returns ``(tables, check)``: ``{table name: DataFrame of the table's input columns}`` (a table no
    file fits is an absent key) and the :class:`~xl_cskpi.exports.check.DataCheck` of the run.
    Raises :class:`~xl_cskpi.exports.check.ExportError` (exit 2) for a file or cell that cannot be
    read, with one line naming file, row and column.

    Transitional: called with a language code (``load_data(report, paths, "fa")``) or without
    options, it returns the tables alone, as before this pipeline had a data check.
    """
    legacy = not isinstance(options, ReadOptions)
    opts = _options(options, lang)
    check = DataCheck()
    calendar = opts.calendar or calendar_of(opts.lang)
    files = _expand(paths, check)
    if not files:
        raise ExportError("no export files given; pass --data FILE, a folder or a glob")
    frames = {p: _read(p, check) for p in files}
    tables = list(report.tables)
    billing_used = any(tb.name in DERIVABLE for tb in tables) and _has_subscriptions()
    if billing_used:
        tables.append(BILLING)
    assigned = _match(tables, frames, opts, check)
    out: dict[str, pd.DataFrame] = {}
    for tb in tables:
        a = assigned.get(tb.name)
        if a is None:
            continue
        raw = frames[Path(a.path)]
        out[tb.name] = _table(tb, a, raw, opts, calendar, check)
        check.info("rows_read", f"{len(raw):,} rows read into {tb.name}", file=str(a.path), table=tb.name,
                   fields={"rows": len(raw)})
        _duplicates(raw, Path(a.path), tb.name, check)
    if "Billing" in out:
        billing = out.pop("Billing")
        out.update(_derive(report, billing, assigned["Billing"], set(out), calendar, check))
    for tb in report.tables:
        if tb.name not in out:
            check.info("table_absent", f"no file for {tb.name}: the KPIs that need it say so", table=tb.name)
    out = {tb.name: out[tb.name].reset_index(drop=True) for tb in report.tables if tb.name in out}
    return out if legacy else (out, check)


def _has_subscriptions() -> bool:
    try:
        from ..tables import subscriptions  # noqa: F401
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------- fallbacks
# The previous reader, kept only until exports.read (B), exports.mapping (C) and cells'
# column readers (A) are in; each is deleted as its replacement lands.

import re  # noqa: E402

from ..cells import LATIN_DIGITS, parse_number_text, serial_to_datetime64  # noqa: E402
from ..exports.headers import normalise  # noqa: E402
from ..exports.read import check_zip as _check_zip  # noqa: E402,F401  (cli.py, until it imports it from there)
from .i18n import translator  # noqa: E402

def _names(table: Table, lang: str) -> dict[str, str]:
    """Normalised header -> column key, for every input column of ``table``."""
    t = translator(lang)
    out: dict[str, str] = {}
    for c in table.inputs:
        for h in (c.key, *c.aliases, t(f"col.{table.name}.{c.key}", default=c.key)):
            out.setdefault(normalise(h), c.key)
    return out


def _fit(table: Table, headers: Iterable[str], lang: str) -> tuple[dict[str, str], list[str], list[str]]:
    """(header -> key, missing required keys, unexpected headers)."""
    names = _names(table, lang)
    mapping: dict[str, str] = {}
    unexpected = []
    for h in headers:
        key = names.get(normalise(h))
        if key is not None and key in mapping.values():
            first = next(k for k, v in mapping.items() if v == key)
            raise _Duplicate(f"columns {first!r} and {str(h)!r} are both {key}; keep one of them")
        if key is None:
            unexpected.append(str(h))
        else:
            mapping[str(h)] = key
    missing = [c.key for c in table.inputs if c.required and c.key not in mapping.values()]
    return mapping, missing, unexpected


class _Duplicate(Exception):
    pass


def _as_numbers(raw: pd.Series, path: Path, column: str) -> pd.Series:
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        return raw.astype(float)
    raw = raw.astype(object)
    num = pd.to_numeric(raw, errors="coerce")
    bad = num.isna() & raw.notna()
    if bad.any():
        idx = np.flatnonzero(bad.to_numpy())
        fixed = [parse_number_text(v) if isinstance(v, str) else None for v in raw.iloc[idx]]
        for i, v in zip(idx, fixed):
            if v is None:
                cell = raw.iloc[i]
                if isinstance(cell, str) and not cell.strip():
                    continue
                raise ExportError(f"{path}: row {raw.index[i] + 2}, column {column}: {cell!r} is not a number")
        num.iloc[idx] = [np.nan if v is None else v for v in fixed]
    return num.astype(float)


# A date written in the Jalali or Hijri calendar: a year between 1300 and 1499 first.
_LOCAL_DATE = re.compile(r"(1[34]\d\d)\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})"
                         r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def _local_dates(text: pd.Series, calendar: str, path: Path, column: str, rows: np.ndarray) -> pd.Series:
    """Jalali (jdatetime) or Hijri (Umm al-Qura, hijridate) date text -> Gregorian datetimes.

    Only the distinct texts are converted. A text that is no real date of that calendar raises
    :class:`ExportError` naming the row.
    """
    import jdatetime
    from hijridate import Hijri

    converted: dict[str, Any] = {}
    for i, t in enumerate(text.tolist()):
        if t in converted:
            continue
        m = _LOCAL_DATE.fullmatch(t)
        try:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            day = (jdatetime.date(y, mo, d).togregorian() if calendar == "jalali"
                   else Hijri(y, mo, d).to_gregorian())
        except (ValueError, OverflowError, AttributeError):
            raise ExportError(f"{path}: row {rows[i]}, column {column}: {t!r} is not a {calendar} date") from None
        h, mi, sec = (int(g) if g else 0 for g in m.group(4, 5, 6))
        converted[t] = pd.Timestamp(day.year, day.month, day.day, h, mi, sec)
    return text.map(converted)


def _as_dates(raw: pd.Series, path: Path, column: str, lang: str = "en") -> pd.Series:
    """Dates of an export column: date cells, Excel serials, ISO text, or -- in Persian and Arabic
    reports -- Jalali or Hijri dates written year first (``1403/06/11``), read in the language's
    calendar (:data:`xl_cskpi.reports.i18n.CALENDARS`)."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        return raw
    vals = raw.to_numpy(dtype=object)
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    is_num = np.array([isinstance(v, (int, float)) and not isinstance(v, bool) and v == v for v in vals], bool)
    if is_num.any():
        out[is_num] = serial_to_datetime64(vals[is_num].astype(float))
    is_text = np.array([isinstance(v, str) and bool(v.strip()) for v in vals], bool)
    if is_text.any():
        text = pd.Series([v.translate(LATIN_DIGITS).strip() for v in vals[is_text]], dtype=object)
        local = text.str.fullmatch(_LOCAL_DATE.pattern).to_numpy(dtype=bool)
        if local.any():
            cal = calendar_of(lang)
            if cal == "gregorian":
                i = int(np.flatnonzero(is_text)[int(np.flatnonzero(local)[0])])
                raise ExportError(f"{path}: row {raw.index[i] + 2}, column {column}: {vals[i]!r} looks like a "
                                  "Jalali or Hijri date; use --lang fa (Jalali) or --lang ar (Hijri), or write "
                                  "Gregorian dates as yyyy-mm-dd")
            rows = raw.index.to_numpy()[np.flatnonzero(is_text)[local]] + 2
            out_local = _local_dates(text[local], cal, path, column, rows)
            text = text.mask(local, None)
        parsed = pd.to_datetime(text, errors="coerce", format="mixed", yearfirst=True)
        if local.any():
            parsed[local] = out_local.to_numpy()
        if parsed.isna().any():
            i = int(np.flatnonzero(is_text)[int(np.flatnonzero(parsed.isna().to_numpy())[0])])
            raise ExportError(f"{path}: row {raw.index[i] + 2}, column {column}: {vals[i]!r} is not a date; "
                              "use yyyy-mm-dd")
        out[is_text] = parsed.to_numpy()
    other = ~(is_num | is_text) & np.array([v is not None and not (isinstance(v, str)) for v in vals], bool)
    if other.any():
        out[other] = pd.to_datetime(pd.Series(vals[other]), errors="coerce").to_numpy()
    return out




@dataclass(frozen=True)
class _Assignment:
    table: Table
    path: Path
    columns: dict
    profile: str | None = None


def _legacy_match(tables: list[Table], frames: dict[Path, pd.DataFrame], lang: str) -> dict[str, _Assignment]:
    """Each file to the data table it fits best (all its required columns present)."""
    out: dict[str, _Assignment] = {}
    for path, df in frames.items():
        best = None
        for tb in tables:
            if tb.name in out:
                continue
            try:
                mapping, missing, unexpected = _fit(tb, df.columns, lang)
            except _Duplicate as e:
                raise ExportError(f"{path}: {e}") from None
            stem = normalise(path.stem)
            named = stem in (normalise(tb.name), normalise(tb.name) + "s")
            score = (not missing, named, len(mapping), -len(unexpected))
            if best is None or score > best[0]:
                best = (score, tb, mapping, missing, unexpected)
        if best is None:
            raise ExportError(f"{path}: no data table left for it (the report has "
                              f"{', '.join(t.name for t in tables)})")
        _, tb, mapping, missing, unexpected = best
        if missing:
            hint = ("; the file reads as a single column: separate its cells with commas, semicolons, "
                    "tabs or |" if len(df.columns) == 1 and len(missing) > 1 else "")
            raise ExportError(f"{path}: does not fit table {tb.name}: missing columns "
                              f"{', '.join(missing)}; unexpected columns {', '.join(unexpected) or 'none'}{hint}")
        out[tb.name] = _Assignment(tb, path, {key: h for h, key in mapping.items()})
    return out


def _legacy_expand(items) -> list[Path]:
    out: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            out += sorted(q for q in p.iterdir() if q.is_file() and not q.name.startswith("."))
        elif any(ch in str(item) for ch in "*?[") and not p.exists():
            out += sorted(Path(q) for q in _glob.glob(str(item)) if Path(q).is_file())
        else:
            out.append(p)
    return out


def _legacy_numbers(raw: pd.Series, path: Path, header: str) -> np.ndarray:
    s = raw.copy()
    s.index = s.index - 2
    return _as_numbers(s, path, header).to_numpy(dtype=float)


def _legacy_dates(raw: pd.Series, path: Path, header: str, lang: str) -> np.ndarray:
    s = raw.copy()
    s.index = s.index - 2
    return _as_dates(s, path, header, lang).to_numpy(dtype="datetime64[ns]")
