"""``xl-cskpi inspect``: what the reader and the mapping make of each file, one row per file.

:func:`inspect` matches every file on its own against a report's tables (or every table) and says
which table it feeds, column by column, and what the ``report`` command would stop with;
:func:`format_inspect` prints the rows. :mod:`xl_cskpi.exports.mapping` re-exports both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ..reports.spec import Table
from .check import DataCheck, ExportError, ReadOptions
from .mapping import LABEL_SUFFIX, _best, _check_user_map, _files, _misfit_message, all_tables

__all__ = ["inspect", "format_inspect"]


def _read(path: Path, check: DataCheck) -> pd.DataFrame:
    from .read import read_file

    return read_file(path, check)


def _expand(paths: Iterable[str | Path], check: DataCheck) -> list[Path]:
    from .read import expand_paths

    return expand_paths([str(p) for p in paths], check)


def inspect(paths: Iterable[str | Path], options: ReadOptions | None = None, report: Any = None
            ) -> list[dict]:
    """What ``xl-cskpi inspect FILE...`` shows: one dict per file.

    A workbook with several sheets with a header row is a row per sheet, its ``file`` naming the
    sheet (``book.xlsx, sheet 'Tickets'``); hidden sheets are not listed (``report`` does not read
    them beside a visible one).

    Keys: ``file`` (str), ``rows`` (data rows, or None when unreadable), ``profile`` (name or None),
    ``profile_title``, ``table`` (the table it feeds, or None), ``columns`` (list of
    ``{"header", "field"}``, field None = ignored), ``ignored`` (headers), ``missing`` (required
    fields the best table lacks), ``error`` (the one-line message ``report`` would stop with, or
    None), ``note`` (why a file feeds nothing, or None). Every file is matched on its own against
    ``report``'s tables (and Billing when the report derives tables from it), or against every
    table when ``report`` is None. Nothing raises for a file that does not fit: it is a row.
    """
    options = options or ReadOptions()
    check = DataCheck()
    if report is None:
        tables = all_tables()
    else:
        tables = list(report.tables)
        from ..reports.specs.tables import BILLING

        if any(t.name in ("Subscriptions", "Accounts", "Months", "Finance") for t in tables):
            tables.append(BILLING)
    rows: list[dict] = []

    def new_row(path: Any) -> dict[str, Any]:
        row: dict[str, Any] = {"file": str(path), "rows": None, "profile": None, "profile_title": None,
                               "table": None, "columns": [], "ignored": [], "missing": [], "error": None,
                               "note": None}
        rows.append(row)
        return row

    for item in paths:
        try:
            expanded = _expand([item], check)
        except ExportError as e:
            new_row(item)["error"] = str(e)
            continue
        for path in expanded:
            row = new_row(path)
            try:
                df = _read(path, check)
            except ExportError as e:
                row["error"] = str(e)
                continue
            _inspect_one(path, df, row, options, tables)
            _inspect_sheets(path, df, row, new_row, options, tables)
    return rows


def _inspect_sheets(path: Path, df: pd.DataFrame, row: dict[str, Any], new_row: Any, options: ReadOptions,
                    tables: list[Table]) -> None:
    """A workbook with more than one sheet with a header row: a row per sheet, each named
    ``book.xlsx, sheet 'Tickets'`` (the first one's row renamed), since ``report`` reads every visible
    sheet that fits a table (:func:`xl_cskpi.exports.mapping._sheets`; hidden sheets are not read)."""
    from .read import more_sheets, read_sheet, sheet_label

    more = []
    for name in more_sheets(df):
        try:
            sheet, _, why = read_sheet(path, name)
        except ExportError as e:
            sheet, why = None, str(e)
        if sheet is not None or why is not None:
            more.append((name, sheet, why))
    if not more:
        return
    row["file"] = str(sheet_label(path, df.attrs.get("sheet", "")))
    for name, sheet, why in more:
        label = sheet_label(path, name)
        r = new_row(label)
        if sheet is None:
            r["note"] = f"not read: {why}"
        else:
            _inspect_one(label, sheet, r, options, tables)


def _inspect_one(path: Path, df: pd.DataFrame, row: dict[str, Any], options: ReadOptions,
                 tables: list[Table]) -> None:
    row["rows"] = len(df)
    f = _files({path: df}, options, tables)[0]
    row["rows"] = len(f.df)
    if f.profile is not None:
        row["profile"], row["profile_title"] = f.profile.name, f.profile.title
    try:
        _check_user_map(options, [f], tables, headers=False)
    except ExportError as e:
        row["error"] = str(e)
    best, _ = _best(f, options, tables)
    if best is None:
        return
    mapped = best.columns if (best.complete or best.aims) else {}
    by_header = {h: k for k, h in mapped.items()}
    for k, h in mapped.items():
        parts = h.split(" / ") if " / " in h else []
        for i, part in enumerate(parts):
            by_header.setdefault(part, k if i == 0 else f"{k} (where {', '.join(parts[:i])} blank)")
    for k, h in mapped.items():     # a satisfaction question in words, read into an added "(1-5)" column
        if h.endswith(LABEL_SUFFIX) and h not in f.headers:
            by_header.setdefault(h[: -len(LABEL_SUFFIX)], f"{k} (words read as 1-5)")
    row["columns"] = [{"header": h, "field": by_header.get(h)} for h in f.headers]
    # a field the profile knows for every row (Profile.fixed: Paddle transactions' interval "period")
    row["columns"] += [{"header": h, "field": k} for k, h in mapped.items()
                       if h not in f.headers and " / " not in h and not h.endswith(LABEL_SUFFIX)]
    row["ignored"] = [h for h in f.headers if h not in by_header]
    row["missing"] = list(best.missing)
    if best.complete:
        row["table"] = best.table.name
    elif best.aims:
        row["table"] = best.table.name
        row["error"] = row["error"] or _misfit_message(best, f, options)
    else:
        row["note"] = "fits no table; report would skip it"


def format_inspect(rows: list[dict]) -> str:
    """The rows of :func:`inspect` as text for the terminal: per file its profile, table, each column
    -> field (or "ignored"), and what is missing."""
    out: list[str] = []
    for r in rows:
        size = f"{r['rows']:,} rows" if r.get("rows") is not None else "unreadable"
        out.append(f"{r['file']}  ({size})")
        if r.get("profile"):
            out.append(f"  profile: {r['profile_title']} ({r['profile']})")
        else:
            out.append("  profile: generic headers")
        out.append(f"  table:   {r['table'] or '-'}")
        width = max((len(str(c["header"])) for c in r.get("columns", [])), default=0)
        for c in r.get("columns", []):
            out.append(f"    {str(c['header']):<{width}}  -> {c['field'] or 'ignored'}")
        if r.get("missing"):
            out.append(f"  missing: {', '.join(r['missing'])}")
        if r.get("note"):
            out.append(f"  note:    {r['note']}")
        if r.get("error"):
            out.append(f"  error:   {r['error']}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
