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

__all__ = ["read_file", "read_export", "expand_paths", "check_zip", "ErrorCell", "MAX_DATA_ROWS",
           "MAX_CELL_CHARS", "MAX_SHEET_CELLS", "MAX_ODS_CELLS", "MAX_PART_BYTES", "MAX_TOTAL_BYTES",
           "MAX_RATIO", "MAX_PARTS", "CONTROL_CHARACTERS"]

# --------------------------------------------------------------------------- limits

#: Excel's sheet holds 1,048,576 rows (:data:`EXCEL_ROWS`): the header and 1,048,575 data rows. A
#: longer table cannot be written to a report sheet: refused.
MAX_DATA_ROWS = EXCEL_ROWS - 1

#: Excel's cell holds 32,767 characters (Microsoft, "Excel specifications and limits"); a longer
#: text cell is cut, and said.
MAX_CELL_CHARS = 32_767

#: The characters that XML 1.0 (and so every .xlsx) cannot hold: C0 controls but tab, line feed
#: and carriage return, and U+FFFE/U+FFFF. They are removed from every cell (and header), and
#: each column where some were found is a warning naming the rows.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

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


# --------------------------------------------------------------------------- text


def _first_bad_line(raw: bytes, e: UnicodeDecodeError) -> int:
    return raw.count(b"\n", 0, e.start) + 1


#: What clean Windows-1256 text decodes to: Arabic and Persian letters, Arabic punctuation and
#: digits, tatweel, ZWNJ/ZWJ and the direction marks, guillemets. (Not the harakat: a Latin-1
#: ``ñ`` byte decodes to one, and mojibake of UTF-8 Arabic to many symbols.)
_ARABIC = re.compile("[\u0621-\u064a\u0660-\u066d\u0671-\u06d3\u060c\u061b\u061f\u0640"
                     "\u200c-\u200f\u00ab\u00bb]")
_ASCII_BYTES = bytes(range(0x80))
#: The bytes that Windows-1256 does not decode to one of :data:`_ARABIC` (deleted to count the rest).
_NOT_ARABIC_1256 = bytes(b for b in range(256) if not _ARABIC.match(bytes([b]).decode("cp1256", "replace")))


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding name) of a CSV's bytes, decided once for the whole file.

    * a UTF-16 byte-order mark: UTF-16 (Excel's "Unicode text");
    * else strict UTF-8 (with or without BOM);
    * else Windows-1256 (older Arabic and Persian systems), but only when that reading is clean:
      at least 80 % of the non-ASCII characters are Arabic-script letters, digits and punctuation,
      and fewer of the non-ASCII bytes form well-formed UTF-8 sequences than do not. (Windows-1256
      decodes any byte string: a UTF-8 file with one bad sequence would "decode" as mojibake --
      ``ط³ظ„ط§ظ…`` for سلام -- in which every other character is a symbol such as ``§`` or ``„``;
      a Latin-1 ``ñ`` would become an Arabic vowel mark.)
    * anything else is an :class:`ExportError` naming the line of the first byte that is not UTF-8.
    """
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):   # Excel's "Unicode text" export: UTF-16, tabs
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise ExportError(f"{path}: is not valid UTF-16 text (a bad byte at offset {e.start:,}); "
                              "save it as CSV UTF-8") from None
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as e:
        first_bad = e
    # counted by deleting what is counted (C speed, no object per byte or character)
    text = raw.decode("cp1256", errors="replace")
    high = len(raw.translate(None, _ASCII_BYTES))               # non-ASCII bytes = characters here
    arabic = len(raw.translate(None, _NOT_ARABIC_1256))         # bytes that read as Arabic script
    # bytes of well-formed UTF-8 sequences: what a lenient UTF-8 decoding keeps, less the ASCII
    in_utf8 = len(raw.decode("utf-8", "ignore").encode("utf-8")) - (len(raw) - high)
    if "\ufffd" not in text and high and arabic >= 0.8 * high and in_utf8 < high - in_utf8:
        return text, "cp1256"
    line = _first_bad_line(raw, first_bad)
    byte = raw[first_bad.start]
    raise ExportError(f"{path}: is neither UTF-8 nor Windows-1256 (Arabic) text: line {line:,} holds byte "
                      f"0x{byte:02X}, which is not UTF-8; save it as CSV UTF-8 (or fix that line)")


#: The delimiters a CSV may use, in the order a tie is given.
DELIMITERS = ",;\t|"


def _delimiter(text: str) -> str:
    """The delimiter of a CSV: of ``,`` ``;`` tab ``|``, the one that splits the header into two
    or more cells and the most of the first 200 records into as many cells as the header (then
    the one giving more columns); ``,`` when none splits the header.

    Each candidate is one pass of the C ``csv`` reader over the first 64 KiB, linear in the text.
    (``csv.Sniffer`` took 30 s on a 64 KiB sample of ``",",",...``: a small file must not cost a
    minute.)"""
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rfind("\n") + 1]  # whole lines only
    best, best_score = ",", (0.0, 0)
    for d in DELIMITERS:
        try:
            counts = [len(r) for r in itertools.islice(csv.reader(io.StringIO(sample), delimiter=d), 200)
                      if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        score = (sum(c == counts[0] for c in counts) / len(counts), counts[0])
        if score > best_score:
            best, best_score = d, score
    return best


def _read_text(path: Path, check: DataCheck) -> tuple[pd.DataFrame, int, bool]:
    """A delimited text file -> (raw cells as text, the header's row number = 1, whether the text
    holds a control character anywhere: one search, so the common case skips the columns)."""
    raw = path.read_bytes()
    if raw[:4] == b"PK\x03\x04":
        raise ExportError(f"{path}: is a workbook (xlsx), not a CSV file; rename it to .xlsx")
    if b"\x00" in raw[:4096] and raw[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        raise ExportError(f"{path}: is not a text file; export it as CSV (UTF-8) or .xlsx")
    text, encoding = _decode(raw, path)
    if encoding == "cp1256":
        check.info("encoding", "read as Windows-1256 (Arabic) text: it is not UTF-8", file=str(path),
                   fields={"encoding": "Windows-1256"})
    if not text.strip():
        raise ExportError(f"{path}: the file is empty; export it again with a header row and data")
    delimiter = _delimiter(text)
    header = next(csv.reader(io.StringIO(text[:1 << 20]), delimiter=delimiter), [])
    if len(header) > EXCEL_COLUMNS:
        raise ExportError(f"{path}: has {len(header):,} columns; an Excel sheet holds {EXCEL_COLUMNS:,}: "
                          "is it the export you meant?")
    if "\x00" in text:
        # pandas' C parser (2.3) ends a cell at a NUL and drops the rest of it: make it another control
        # character, removed and counted below like every other one (nothing after it is lost)
        text = text.replace("\x00", "\x01")
    try:
        df = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=object, keep_default_na=False,
                         skipinitialspace=False, skip_blank_lines=False, engine="c", header=None)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as e:
        raise ExportError(f"{path}: cannot read it as CSV ({_one_line(e)})") from None
    header = [v if isinstance(v, str) and v else f"Unnamed: {j}" for j, v in enumerate(df.iloc[0].tolist())]
    df = df.iloc[1:]
    df.columns = header
    df.index = pd.RangeIndex(2, 2 + len(df))
    df = df.replace({"": None})
    df.attrs["delimiter"] = delimiter   # the number reader's hint: ';' is the comma-decimal convention
    return df, 1, bool(CONTROL_CHARACTERS.search(text))


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


def _read_workbook(path: Path, check: DataCheck) -> tuple[pd.DataFrame, int]:
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
        for name in _sheet_order(wb):
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
            df = df.replace({"": None})
            df.attrs["sheet"] = name
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


def read_file(path: str | Path, check: DataCheck | None = None) -> pd.DataFrame:
    """An export as a DataFrame of raw cells, headers as written.

    * CSV cells are text, never typed here (``inf``, ``1e999``, a 400-digit number, ``nan`` stay
      the text they are, for the column's reader to accept or name); an empty cell is ``None``.
    * Workbook cells are the values the sheet holds: text, float, int, bool (``TRUE`` stays
      ``True``), datetime, date, time and timedelta (time- and duration-formatted cells), and
      :class:`ErrorCell` for an error cell (``#DIV/0!``), never a blank.
    * The index is the row number in the file: a CSV's header is row 1, so its first data row is
      2 (a quoted cell with line breaks is one row, as Excel shows it); a sheet's rows are the
      sheet's own numbers. Rows with no cell filled are dropped.
    * ``df.attrs["sheet"]`` is the sheet read, for a workbook (its rows are that sheet's).
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
    if suffix in WORKBOOK_SUFFIXES:
        if suffix in _ZIP_SUFFIXES:
            check_zip(path)
        df, header_row = _read_workbook(path, check)
        df = _clean(df, header_row, path, check)
    else:
        df, header_row, maybe = _read_text(path, check)
        df = _clean(df, header_row, path, check, maybe_control=maybe)
    _check_header([str(h).strip() for h in df.columns], path)
    df = _drop_blank_rows(df)
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
GLOB_SUFFIXES = FOLDER_SUFFIXES + (".xls", ".xlsb", ".tsv", ".txt")


def _skipped(name: str) -> bool:
    """Hidden files and Excel's lock files (``~$report.xlsx``, left while a workbook is open)."""
    return name.startswith(".") or name.startswith("~$")


def expand_paths(items: Iterable[str | Path], check: DataCheck | None = None) -> list[Path]:
    """What ``--data`` was given -> the export files, in order, each once.

    * a file is itself (whatever its suffix);
    * a folder is its ``.csv``, ``.xlsx``, ``.xlsm`` and ``.ods`` files, sorted by name, not
      recursive, hidden files and Excel lock files (``~$...``) skipped;
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
            if not files:
                raise ExportError(f"{text}: the folder holds no .csv, .xlsx, .xlsm or .ods file")
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
