"""Files -> DataFrames of raw cells: the file-level reader of exports.

Everything here is about *files*: encodings, delimiters, workbooks, hostile archives. Typing a
column (numbers, dates) is :mod:`xl_cskpi.cells`' job; matching headers to a report's tables is
:mod:`xl_cskpi.exports.mapping`'s.

* :func:`read_file` -- one export (CSV or workbook) as a DataFrame of raw cells: text for CSV,
  cell values for workbooks; columns are the headers as written; the index is the row number the
  user sees in the file (a CSV's header is row 1; a sheet's rows are the sheet's).
* :func:`expand_paths` -- what ``--data`` was given (files, folders, globs) -> the export files.
* :func:`check_zip` -- refuse a workbook (an export or a template) that is not a workbook or that
  would inflate like a zip bomb, before anything inflates it.

Nothing is changed silently. What the reader changes on the way in (control characters removed,
an over-long cell cut to Excel's limit, an error cell kept as its text) is a finding in the data
check, naming the file, the row and the column; what it cannot read is an :class:`ExportError`
naming the file and what to do. The limits are the constants below and those of archives and
sheets in :mod:`xl_cskpi.exports.archive` (re-exported here); SECURITY.md states them and what
happens at each (a test checks the two agree).
"""

from __future__ import annotations

import csv
import glob
import io
import itertools
import re
import zipfile
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from . import archive
from .archive import (EXCEL_COLUMNS, EXCEL_ROWS, MAX_ODS_CELLS, MAX_PART_BYTES, MAX_PARTS, MAX_RATIO,
                      MAX_SHEET_CELLS, MAX_TOTAL_BYTES, _SheetScan, _check_extent, _merge, _one_line,
                      _scan_ods_file, _scan_sheet, _sheet_parts, check_zip)
from .archive import _references  # noqa: F401  (tests read it here)
from .check import DataCheck, ExportError
from .headers import normalise
from .text import CONTROL_CHARACTERS, DELIMITERS, _decode, _delimiter, read_text  # noqa: F401  (tests read them here)

__all__ = ["read_file", "read_export", "expand_paths", "check_zip", "ErrorCell", "MAX_DATA_ROWS",
           "more_sheets", "read_sheet", "sheet_label",
           "MAX_CELL_CHARS", "MAX_SHEET_CELLS", "MAX_ODS_CELLS", "MAX_PART_BYTES", "MAX_TOTAL_BYTES",
           "MAX_RATIO", "MAX_PARTS", "CONTROL_CHARACTERS"]

# --------------------------------------------------------------------------- limits

#: Excel's sheet holds 1,048,576 rows (:data:`EXCEL_ROWS`): the header and 1,048,575 data rows. A
#: longer table cannot be written to a report sheet: refused.
MAX_DATA_ROWS = EXCEL_ROWS - 1

#: Excel's cell holds 32,767 characters (Microsoft, "Excel specifications and limits"); a longer
#: text cell is cut, and said.
MAX_CELL_CHARS = 32_767


#: Suffixes read as workbooks (python-calamine); everything else is read as delimited text.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_ZIP_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".ods")
#: What a folder given to ``--data`` contributes.
FOLDER_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".ods")

#: How many row numbers a summarised finding lists.
SHOW_ROWS = 5


class ErrorCell(str):
    """A workbook cell holding an Excel error (``#DIV/0!``, ``#N/A``, ``#REF!`` ...), kept as its
    text so that no error becomes an empty cell: a number or date reader refuses it as text, and
    the data check lists it. ``isinstance(v, ErrorCell)`` tells it from text a user typed. An
    error cell whose file does not say which error it is reads ``#ERROR``."""

    __slots__ = ()


# --------------------------------------------------------------------------- small helpers


def _rows_text(rows: Iterable[int]) -> str:
    rows = list(rows)
    shown = ", ".join(f"{r:,}" for r in rows[:SHOW_ROWS])
    return shown + (", ..." if len(rows) > SHOW_ROWS else "")


# --------------------------------------------------------------------------- text: exports.text

# --------------------------------------------------------------------------- workbooks


def _describe_first_row(row: list) -> str:
    filled = [v for v in row if v is not None and not (isinstance(v, str) and not v.strip())]
    if not filled:
        return "empty"
    if len(filled) == 1:
        return f"one cell, {str(filled[0])[:40]!r}"
    return "first row " + ", ".join(repr(str(v)[:20]) for v in filled[:4]) + (", ..." if len(filled) > 4 else "")


def _header_fits(row: list) -> bool:
    """A header row: two or more cells of text (column names), no error cell."""
    texts = [v for v in row if isinstance(v, str) and v.strip()]
    return len(texts) >= 2 and not any(isinstance(v, ErrorCell) for v in row)


def _overflowing_row(sheet: Any, start_row: int) -> str:
    """The sheet row whose conversion to Python values overflows (calamine goes on after it)."""
    rows = sheet.iter_rows()
    k = 0
    while True:
        try:
            next(rows)
        except StopIteration:
            return "?"
        except OverflowError:
            return f"{start_row + k + 1:,}"
        k += 1


def _sheet_order(wb: Any) -> list[str]:
    """Worksheets in tab order, visible ones first (a hidden lookup sheet is no export); chart
    and macro sheets are never looked at."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    meta = [m for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    return ([m.name for m in meta if m.visible == SheetVisibleEnum.Visible]
            + [m.name for m in meta if m.visible != SheetVisibleEnum.Visible])


def _hidden_sheets(wb: Any) -> list[str]:
    """The worksheets a user does not see (hidden or "very hidden"), in tab order."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    return [m.name for m in wb.sheets_metadata
            if m.typ == SheetTypeEnum.WorkSheet and m.visible != SheetVisibleEnum.Visible]


def more_sheets(df: pd.DataFrame) -> list[str]:
    """The other sheets of the workbook ``df`` was read from (:func:`read_file`) that ``--data`` also
    reads: the *visible* worksheets after the one read, in tab order (the sheets before it have no
    header row). [] for a CSV, a one-sheet workbook, and a workbook read from a hidden sheet (no
    visible sheet has a header row: the hidden one is read as the last resort it always was).

    Hidden sheets are never read beside a visible one: a hidden sheet is a lookup list, a helper or
    an old copy the user does not see, and KPIs must not count rows nobody can see in the workbook;
    unhide a sheet to have it read."""
    sheets = list(df.attrs.get("sheets") or ())
    first = df.attrs.get("sheet")
    hidden = set(df.attrs.get("hidden") or ())
    if first not in sheets or first in hidden:
        return []
    return [s for s in sheets[sheets.index(first) + 1:] if s not in hidden]


def sheet_label(path: str | Path, sheet: str) -> Path:
    """``multi.xlsx, sheet 'Tickets'``: the name of one sheet of a workbook that feeds a table of its
    own, used where a file's path is (findings say ``multi.xlsx, sheet 'Tickets', row 3``)."""
    return Path(f"{path}, sheet {sheet.replace('/', '_').replace(chr(92), '_')!r}")


def read_sheet(path: str | Path, sheet: str) -> tuple[pd.DataFrame | None, DataCheck, str | None]:
    """One sheet of a workbook read as :func:`read_file` reads a file: ``(frame, its findings, "")``;
    ``(None, findings, None)`` for a sheet whose first filled row is no header (a title or notes page,
    passed over as the reader always has); ``(None, findings, why)`` for a sheet with a header that
    cannot be read (no data rows, a column twice ...: ``why`` is the reader's sentence without the
    path). The findings name the workbook's path; the caller says them with :func:`sheet_label` if
    it uses the sheet. A sheet past Excel's grid or the cell limits is refused as in :func:`read_file`
    (the :class:`ExportError` is raised: a hostile sheet stops the run wherever it is)."""
    check = DataCheck()
    try:
        return read_file(path, check, sheet=sheet), check, ""
    except ExportError as e:
        text = str(e)
        text = text[len(f"{path}: "):] if text.startswith(f"{path}: ") else text
        if text.startswith("no sheet starts with a header row"):
            return None, check, None
        if _SHEET_PASSED.match(text):
            return None, check, text
        raise


#: What makes a sheet with a header unusable without anything being wrong with the workbook: it is named,
#: not an error (an empty template sheet, a pasted column twice); every other refusal stops the run.
_SHEET_PASSED = re.compile(r"has a header but no data rows|column .* appears twice; keep one of them$")


def _read_workbook(path: Path, check: DataCheck, only: str | None = None) -> tuple[pd.DataFrame, int]:
    """The first sheet whose first filled row is a header -> (raw cells, the header's sheet row).
    Visible sheets come before hidden ones.

    .xlsx/.xlsm sheets are streamed once before python-calamine reads them (:func:`_scan_sheet`):
    a cell past Excel's grid or a used range over :data:`MAX_SHEET_CELLS` is refused in one line,
    and error cells are found (calamine gives them as empty text) and kept as :class:`ErrorCell`.
    """
    from python_calamine import CalamineWorkbook

    z = None
    parts: dict[str, str] = {}
    every: _SheetScan | None = None
    looked: list[str] = []
    try:
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            z = zipfile.ZipFile(path)
            parts = _sheet_parts(z)
        ods = _scan_ods_file(path) if suffix == ".ods" else {}
        for name, scan in ods.items():  # calamine reads every table of content.xml when it opens the file
            _check_extent(path, name, scan, archive.MAX_ODS_CELLS)
        wb = CalamineWorkbook.from_path(str(path))
        names = set(z.namelist()) if z is not None else set()
        spent = 0
        order = _sheet_order(wb)
        for name in order:
            if only is not None and name != only:
                continue
            scan = None
            if z is not None:
                part = parts.get(name)
                # every sheet looked at is inflated twice (scan, calamine): bound the sum, so that
                # many sheet names pointing at one big part cannot multiply the archive's inflation
                spent += z.getinfo(part).file_size if part in names else 0
                if spent > archive.MAX_TOTAL_BYTES:
                    raise ExportError(f"{path}: looked at {len(looked):,} sheets ({spent >> 20:,} MiB) without "
                                      f"finding a header row; refusing to inflate more than "
                                      f"{archive.MAX_TOTAL_BYTES >> 20:,} MiB: put the data on the first sheet")
                if part is not None and part in names:
                    scan = _scan_sheet(z, part)
                    try:
                        _check_extent(path, name, scan)
                    except ExportError:  # confirm with references inside tags only
                        scan = _scan_sheet(z, part, precise=True)
                else:  # the workbook does not say which part: bound every worksheet together
                    if every is None:
                        every = _merge(_scan_sheet(z, n) for n in sorted(names)
                                       if n.startswith("xl/worksheets/") and n.endswith(".xml"))
                    scan = every
                _check_extent(path, name, scan)
            elif name in ods:
                scan = ods[name]
            sheet = wb.get_sheet_by_name(name)
            start_row, start_col = sheet.start or (0, 0)
            try:
                rows = sheet.to_python(skip_empty_area=True)
            except OverflowError as e:  # a date/duration-formatted number past Python's datetime
                raise ExportError(f"{path}: sheet {name!r}, row {_overflowing_row(sheet, start_row)}: a date- or "
                                  f"time-formatted cell holds a number too large for a date or a duration "
                                  f"({_one_line(e)}; Excel shows it as ####); format it as a number, or "
                                  "correct it") from None
            errors: list[tuple[int, int, str]] = []
            if scan is not None and scan is not every and scan.errors:
                for (r, c), text in sorted(scan.errors.items()):
                    k, j = r - 1 - start_row, c - 1 - start_col
                    if 0 <= k < len(rows) and 0 <= j < len(rows[k]):
                        rows[k][j] = ErrorCell(text)
                        errors.append((r, j, text))
            if not rows or not _header_fits(rows[0]):
                looked.append(f"{name!r} ({_describe_first_row(rows[0]) if rows else 'empty'})")
                continue
            header = [v.strip() if isinstance(v, str) else ("" if v is None else str(v)) for v in rows[0]]
            header = [h or f"Unnamed: {j}" for j, h in enumerate(header)]
            df = pd.DataFrame(rows[1:], columns=header, dtype=object)  # calamine's rows are all as wide
            header_row = start_row + 1
            df.index = pd.RangeIndex(header_row + 1, header_row + 1 + len(df))
            if looked:
                check.info("sheet_chosen", f"read sheet {name!r}; no header row on sheet "
                           + ", ".join(looked[:10]) + (", ..." if len(looked) > 10 else ""), file=str(path),
                           fields={"sheet": name, "skipped": looked})
            _error_findings(errors, header, header_row, path, check)
            if scan is not None and scan is not every and scan.hidden:
                _hidden_findings(scan.hidden, header_row, start_row + len(rows), name, path, check)
            df = df.replace({"": None})
            df.attrs["sheet"] = name
            df.attrs["sheets"] = list(order)     # every worksheet, for the mapping to try the next one
            df.attrs["hidden"] = _hidden_sheets(wb)   # ... and which of them are hidden (never read beside it)
            return df, header_row
    except ExportError:
        raise
    except Exception as e:  # calamine raises its own error types (XmlError, ZipError, ...)
        raise ExportError(f"{path}: cannot read the workbook ({_one_line(e)}); open it in Excel and "
                          "save it again, or export CSV") from None
    finally:
        if z is not None:
            z.close()
    shown = "; ".join(looked[:10]) + (f"; and {len(looked) - 10} more" if len(looked) > 10 else "")
    raise ExportError(f"{path}: no sheet starts with a header row (two or more column names in its first "
                      f"filled row); looked at {shown or 'no sheet'}")


def _hidden_findings(hidden: list[int], header_row: int, last_row: int, sheet: str, path: Path,
                     check: DataCheck) -> None:
    """Data rows the sheet hides (an AutoFilter left on, rows hidden by hand) are read like the others,
    and said: the user may be looking at a filtered sheet whose totals differ (reviewer's G25)."""
    rows = sorted({r for r in hidden if header_row < r <= last_row})
    if not rows:
        return
    n = len(rows)
    check.warn("hidden_rows", f"{n:,} row{'s' if n > 1 else ''} hidden in sheet {sheet!r} (a filter, or hidden by "
               f"hand) {'are' if n > 1 else 'is'} read and counted like the others: row{'s' if n > 1 else ''} "
               f"{_rows_text(rows)}; delete {'them' if n > 1 else 'it'} from the export if "
               f"{'they are' if n > 1 else 'it is'} not data", file=str(path), row=rows[0],
               fields={"count": n, "sheet": sheet, "rows": rows[:SHOW_ROWS]})


def _error_findings(errors: list[tuple[int, int, str]], header: list[str], header_row: int,
                    path: Path, check: DataCheck) -> None:
    by_column: dict[int, list[tuple[int, str]]] = {}
    for r, j, text in errors:
        if r > header_row:
            by_column.setdefault(j, []).append((r, text))
    for j, found in sorted(by_column.items()):
        rows = [r for r, _ in found]
        kinds = sorted({t for _, t in found})
        check.warn("error_cells", f"{len(found):,} Excel error cell{'s' if len(found) > 1 else ''} "
                   f"({', '.join(kinds)}) kept as text, not as blanks: row{'s' if len(found) > 1 else ''} "
                   f"{_rows_text(rows)}", file=str(path), row=rows[0], column=header[j],
                   fields={"count": len(found), "errors": kinds, "rows": rows[:SHOW_ROWS]})


# --------------------------------------------------------------------------- cells


def _clean(df: pd.DataFrame, header_row: int, path: Path, check: DataCheck, *,
           maybe_control: bool = True) -> pd.DataFrame:
    """Remove control characters and cut over-long text cells, each column's changes a finding."""
    names = [str(c) for c in df.columns]
    if maybe_control and any(CONTROL_CHARACTERS.search(n) for n in names):
        bad = [j for j, n in enumerate(names) if CONTROL_CHARACTERS.search(n)]
        names = [CONTROL_CHARACTERS.sub("", n).strip() or f"Unnamed: {j}" for j, n in enumerate(names)]
        check.warn("control_characters", f"control characters removed from {len(bad)} header"
                   f"{'s' if len(bad) > 1 else ''}: {', '.join(repr(names[j]) for j in bad[:SHOW_ROWS])}",
                   file=str(path), row=header_row, column=names[bad[0]],
                   fields={"count": len(bad), "rows": [header_row]})
        df.columns = names
    for j, name in enumerate(names):
        col = df.iloc[:, j]
        texts = [v for v in col.to_numpy(dtype=object) if isinstance(v, str)]
        if not texts:
            continue
        # one search of the column's text and one max of its lengths: the common case stops here
        control = maybe_control and bool(CONTROL_CHARACTERS.search("\n".join(texts)))
        if not control and max(map(len, texts)) <= MAX_CELL_CHARS:
            continue
        strs = col.str
        changed = False
        if control:
            hit = strs.contains(CONTROL_CHARACTERS.pattern, regex=True, na=False).to_numpy(dtype=bool)
            if hit.any():
                rows = df.index[hit].tolist()
                fixed = col[hit].str.replace(CONTROL_CHARACTERS.pattern, "", regex=True)
                col = col.copy()
                col[hit] = fixed.where(fixed.str.len() > 0, None)
                changed = True
                check.warn("control_characters", f"control characters removed from {len(rows):,} "
                           f"cell{'s' if len(rows) > 1 else ''}: row{'s' if len(rows) > 1 else ''} "
                           f"{_rows_text(rows)}", file=str(path), row=rows[0], column=name,
                           fields={"count": len(rows), "rows": rows[:SHOW_ROWS]})
        lengths = col.str.len().fillna(0).to_numpy()
        long = lengths > MAX_CELL_CHARS
        if long.any():
            rows = df.index[long].tolist()
            col = col.copy() if not changed else col
            col[long] = col[long].str.slice(0, MAX_CELL_CHARS)
            changed = True
            check.warn("cell_too_long", f"{len(rows):,} text cell{'s' if len(rows) > 1 else ''} longer than "
                       f"Excel's {MAX_CELL_CHARS:,} characters cut to {MAX_CELL_CHARS:,} (the longest had "
                       f"{int(lengths.max()):,}): row{'s' if len(rows) > 1 else ''} {_rows_text(rows)}",
                       file=str(path), row=rows[0], column=name,
                       fields={"count": len(rows), "longest": int(lengths.max()), "rows": rows[:SHOW_ROWS]})
        if changed:
            df.iloc[:, j] = col
    return df


#: How many rows at the end of an export a footer may take (Salesforce writes five or six).
MAX_FOOTER_ROWS = 12
_WORDS = re.compile(r"\w+\W+\w+")
_RECORDS = re.compile(r"\((\d[\d,]*) records?\)", re.I)


def _filled(v: Any) -> bool:
    return v is not None and not (isinstance(v, float) and v != v) and not (isinstance(v, str) and not v.strip())


def _footer(df: pd.DataFrame, path: Path, check: DataCheck) -> pd.DataFrame:
    """Lines a report writer puts *below* the data, after a blank line, one cell each: Salesforce's
    ``Grand Totals (60 records)``, ``Confidential Information - Do Not Distribute``, ``Copyright (c)
    2000-2024 salesforce.com, inc.``, ``Generated By: ...`` and the company's name. Read as rows they
    were customers (or tickets) with nothing but an id: 65 customers for 60. Left out, said as
    ``footer_lines`` (warning, with the text). Only when every such row fills one cell with words
    (two or more, as a sentence; an id such as ``C61`` is never one), a blank row separates them from
    the data, and the data rows above fill two cells or more: a table of one column keeps its rows."""
    if df.shape[1] < 2 or len(df) < 3:
        return df
    tail = df.iloc[-(MAX_FOOTER_ROWS + 1):]
    counts = [sum(_filled(v) for v in row) for row in tail.itertuples(index=False, name=None)]
    k = len(counts)
    while k > 0 and counts[k - 1] <= 1:
        k -= 1
    # tail rows k.. fill at most one cell; the footer starts after the last blank row among them
    block = list(range(k, len(counts)))
    if not block or k == 0 or counts[k - 1] < 2 or counts[k] != 0:
        return df
    texts = []
    for i in block:
        if counts[i] == 0:
            continue
        (v,) = [v for v in tail.iloc[i].tolist() if _filled(v)]
        if not isinstance(v, str) or not _WORDS.search(v.strip()):
            return df
        texts.append(v.strip())
    if not texts:
        return df
    rows = [int(r) for r in tail.index[[i for i in block if counts[i]]]]
    data_rows = int(sum(1 for row in df.iloc[: len(df) - len(tail) + k].itertuples(index=False, name=None)
                        if any(_filled(v) for v in row))) if len(df) <= 200_000 else None
    stated = next((int(m.group(1).replace(",", "")) for t in texts for m in [_RECORDS.search(t)] if m), None)
    where = f"row {rows[0]:,}" if len(rows) == 1 else f"rows {rows[0]:,}-{rows[-1]:,}"
    listed = "; ".join(repr(t[:60]) for t in texts[:3]) + ("; ..." if len(texts) > 3 else "")
    note, variant = "", "plain"
    if stated is not None and data_rows is not None:
        variant = "counted" if stated == data_rows else "short"
        note = (f" (it counts {stated:,} records, as many as the rows above it)" if stated == data_rows else
                f" (it counts {stated:,} records, the rows above it are {data_rows:,}: is the export whole?)")
    check.warn("footer_lines", f"{where} below the data, after a blank row, are a footer, not data: {listed}; "
               f"left out{note}", file=str(path), row=rows[0],
               fields={"rows": where, "first": rows[0], "last": rows[-1], "text": listed, "variant": variant, "stated": stated, "data_rows": data_rows})
    return df.drop(index=tail.index[block])


def _drop_blank_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Rows with no cell filled (white space counts as empty) are padding, not data.

    One vectorized pass per column that has any value (1M rows x 4 columns: 0.3 s). The index
    stays the file's row number (for messages).
    """
    if df.empty:
        return df
    blank = df.isna().to_numpy(copy=True)
    for j in np.flatnonzero(~blank.all(axis=0)):
        try:  # NaN where a cell is not text (numbers, dates from a workbook)
            spaces = df.iloc[:, j].str.isspace()
        except AttributeError:  # a column without any text
            continue
        blank[:, j] |= spaces.eq(True).to_numpy(dtype=bool)  # NaN where a cell is no text
    keep = ~blank.all(axis=1)
    return df if keep.all() else df[keep]


def _check_header(header: list[str], path: Path) -> None:
    """Two headers that are one after :func:`~xl_cskpi.exports.headers.normalise` (case, spaces,
    Persian/Arabic letter forms) are one column written twice: which is right is not ours to guess."""
    seen: dict[str, str] = {}
    for h in header:
        k = normalise(h)
        if k and k in seen:
            raise ExportError(f"{path}: column {h!r} appears twice; keep one of them")
        seen[k] = h


# --------------------------------------------------------------------------- the reader


def _archive_kind(path: Path) -> str | None:
    """``"archive"`` for a zip file holding CSV exports and no workbook (a zipped export, whatever its
    suffix: ``export.csv`` that is a zip, a zip renamed to .xlsx), ``"workbook"`` for a workbook, None
    for anything else (read as it is named; a damaged file is said by the reader of its kind)."""
    try:
        with path.open("rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return None
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    names = {i.filename for i in infos}
    if names & {"xl/workbook.xml", "content.xml", "xl/workbook.bin"}:
        return "workbook"
    return "archive" if archive.data_members(infos) else None


def read_file(path: str | Path, check: DataCheck | None = None, *, sheet: str | None = None) -> pd.DataFrame:
    """An export as a DataFrame of raw cells, headers as written.

    * CSV cells are text, never typed here (``inf``, ``1e999``, a 400-digit number, ``nan`` stay
      the text they are, for the column's reader to accept or name); an empty cell is ``None``.
    * Workbook cells are the values the sheet holds: text, float, int, bool (``TRUE`` stays
      ``True``), datetime, date, time and timedelta (time- and duration-formatted cells), and
      :class:`ErrorCell` for an error cell (``#DIV/0!``), never a blank.
    * The index is the row number in the file: a CSV's header is row 1, so its first data row is
      2 (a quoted cell with line breaks is one row, as Excel shows it); a sheet's rows are the
      sheet's own numbers. Rows with no cell filled are dropped.
    * ``df.attrs["sheet"]`` is the sheet read, for a workbook (its rows are that sheet's), and
      ``df.attrs["sheets"]`` every worksheet (visible first), ``df.attrs["hidden"]`` the hidden ones;
      ``sheet`` reads that sheet (its first filled row must be a header), not the first sheet that
      starts with one. The other sheets ``--data`` reads are :func:`more_sheets` (the mapping reads
      each with :func:`read_sheet` and feeds it a table of its own when two or more sheets fit).
    * A .zip archive holding one CSV (how large helpdesk exports arrive by e-mail) is read as that CSV,
      said as ``archive_read`` (info); one holding several, none or a workbook is refused saying
      what to do (:func:`xl_cskpi.exports.archive.read_archive`).
    * Control characters are removed and text cells longer than Excel's 32,767 characters cut,
      each a warning in ``check`` (file, row, column; many in one column are one finding with the
      count and the first rows).

    Raises :class:`ExportError` (one line naming the file and what to do) for a file that cannot
    be read as it is: missing, a folder, empty, binary, an encoding that is neither UTF-8 nor
    clean Windows-1256, a zip bomb, a sheet past Excel's grid or over :data:`MAX_SHEET_CELLS`, no
    header row on any sheet, a column twice, no data rows, more rows than an Excel sheet holds.
    """
    path = Path(path)
    check = DataCheck() if check is None else check
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give the export file inside it")
    if not path.is_file():
        if path.exists():  # a device, a pipe, a socket: nothing an export is (and /dev/zero never ends)
            raise ExportError(f"{path}: is not a regular file; give the export file itself")
        raise ExportError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".zip" or _archive_kind(path) == "archive":
        member, raw = archive.read_archive(path)
        check.info("archive_read", f"read {member} inside the .zip archive", file=str(path),
                   fields={"member": member})
        df, header_row, maybe = read_text(raw, path, check, inside=member)
        df = _clean(df, header_row, path, check, maybe_control=maybe)
    elif suffix in WORKBOOK_SUFFIXES:
        if suffix in _ZIP_SUFFIXES:
            check_zip(path)
        df, header_row = _read_workbook(path, check, sheet)
        df = _clean(df, header_row, path, check)
    else:
        df, header_row, maybe = read_text(path.read_bytes(), path, check)
        df = _clean(df, header_row, path, check, maybe_control=maybe)
    _check_header([str(h).strip() for h in df.columns], path)
    df = _drop_blank_rows(_footer(df, path, check))
    if len(df) == 0:
        raise ExportError(f"{path}: has a header but no data rows")
    if len(df) > MAX_DATA_ROWS:
        raise ExportError(f"{path}: has {len(df):,} data rows; an Excel sheet holds {MAX_DATA_ROWS + 1:,} "
                          f"rows ({MAX_DATA_ROWS:,} under the header), so no report can hold them: split "
                          "the export (for example by date) or total it first")
    return df


#: The name this reader had in :mod:`xl_cskpi.reports.fill`.
read_export = read_file


# --------------------------------------------------------------------------- --data


_MAGIC = re.compile(r"[*?\[]")
#: Suffixes a glob's matches are kept for (a folder keeps :data:`FOLDER_SUFFIXES`).
GLOB_SUFFIXES = FOLDER_SUFFIXES + (".xls", ".xlsb", ".tsv", ".txt", ".zip")


def _skipped(name: str) -> bool:
    """Hidden files and Excel's lock files (``~$report.xlsx``, left while a workbook is open)."""
    return name.startswith(".") or name.startswith("~$")


def _one_export_inside(path: Path) -> bool:
    """A .zip archive holding exactly one CSV export (and no workbook)."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return len(archive.data_members(infos)) == 1 and "xl/workbook.xml" not in {i.filename for i in infos}


def expand_paths(items: Iterable[str | Path], check: DataCheck | None = None) -> list[Path]:
    """What ``--data`` was given -> the export files, in order, each once.

    * a file is itself (whatever its suffix);
    * a folder is its ``.csv``, ``.xlsx``, ``.xlsm`` and ``.ods`` files and its ``.zip`` archives
      that hold one CSV export, sorted by name, not recursive, hidden files and Excel lock files
      (``~$...``) skipped; another ``.zip`` is an info finding ``path_skipped``;
    * a glob (``exports/*.csv``, ``**`` for subfolders) is its matching files, sorted, lock and
      hidden files skipped, and files whose suffix is no export's (``notes.md``) skipped, each
      skip an info finding (``path_skipped``);
    * a missing file, an empty folder or a glob matching no file is an :class:`ExportError`
      naming it.
    """
    check = DataCheck() if check is None else check
    out: list[Path] = []
    seen: set[Path] = set()
    for item in items:
        text = str(item)
        p = Path(text).expanduser()
        if p.is_dir():
            files = sorted((f for f in p.iterdir() if f.is_file() and f.suffix.lower() in FOLDER_SUFFIXES
                            and not _skipped(f.name)), key=lambda f: f.name)
            # a zipped export in the folder is read like the others; any other archive is named, not lost
            for z in sorted((f for f in p.iterdir() if f.is_file() and f.suffix.lower() == ".zip"
                             and not _skipped(f.name)), key=lambda f: f.name):
                if _one_export_inside(z):
                    files.append(z)
                else:
                    check.info("path_skipped", "skipped: a .zip archive that holds no single CSV export; unzip it "
                               "into the folder to use what it holds", file=str(z),
                               fields={"name": z.name, "reason": "a .zip archive"})
            files.sort(key=lambda f: f.name)
            if not files:
                raise ExportError(f"{text}: the folder holds no .csv, .xlsx, .xlsm or .ods file (nor a .zip of one CSV)")
            check.info("folder", f"{len(files)} export file{'s' if len(files) > 1 else ''} in the folder: "
                       + ", ".join(f.name for f in files[:10]) + (", ..." if len(files) > 10 else ""),
                       file=text, fields={"count": len(files)})
        elif p.exists():
            files = [p]
        elif _MAGIC.search(text):
            matches = sorted(Path(m) for m in glob.glob(str(p), recursive=True))
            files, skipped = [], []
            for m in matches:
                if not m.is_file():
                    continue
                if _skipped(m.name) or m.suffix.lower() not in GLOB_SUFFIXES:
                    skipped.append(m)
                else:
                    files.append(m)
            if not files:
                raise ExportError(f"{text}: matches no export file (.csv, .xlsx, .xlsm, .ods)"
                                  + (f"; skipped {', '.join(m.name for m in skipped[:5])}" if skipped else ""))
            for m in skipped:
                why = "a lock or hidden file" if _skipped(m.name) else f"{m.suffix or 'no'} suffix"
                check.info("path_skipped", f"skipped: not an export ({why})", file=str(m),
                           fields={"name": m.name, "reason": why})
        else:
            raise ExportError(f"{text}: no such file or folder")
        for f in files:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out
