"""Files -> DataFrames of raw cells: the file-level reader of exports.

Everything here is about *files*: encodings, delimiters, workbooks, hostile archives. Typing a
column (numbers, dates) is :mod:`xl_cskpi.cells`' job; matching headers to a report's tables is
:mod:`xl_cskpi.exports.mapping`'s.

* :func:`read_file` -- one export (CSV or workbook) as a DataFrame of raw cells: text for CSV,
  cell values for workbooks; columns are the headers as written; the index is the row number the
  user sees in the file (the header is row 1 of a CSV, or its own row of the sheet).
* :func:`expand_paths` -- what ``--data`` was given (files, folders, globs) -> the export files.
* :func:`check_zip` -- refuse a workbook (an export or a template) that is not a workbook or
  that would inflate like a zip bomb, before anything inflates it.

The limits (rows, inflation, cells, characters) are the constants below; SECURITY.md states them
and what happens at each.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .check import DataCheck, ExportError

__all__ = ["read_file", "read_export", "expand_paths", "check_zip"]

#: A workbook part that inflates more than this, at more than :data:`MAX_RATIO` times its
#: compressed size, is refused unread (a zip bomb).
MAX_PART_BYTES = 64 << 20
MAX_RATIO = 100

#: Suffixes read as workbooks (python-calamine); everything else is read as delimited text.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_ZIP_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".ods")


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text[:200]


def _normalise(header: Any) -> str:
    """``" Customer ID "`` -> ``"customer_id"``: two headers equal after this are one column twice."""
    s = str(header).strip().casefold().replace("\ufeff", "")
    s = re.sub(r"[\s\-/.&()\[\]:]+", "_", s)
    return s.strip("_")


def check_zip(path: str | Path) -> None:
    """Refuse a file that is not a zip, holds no workbook, or would inflate like a zip bomb.

    Only the archive's table of contents is read: nothing is inflated.
    """
    import zipfile

    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise ExportError(f"{path}: is not a readable workbook ({_one_line(e)}); save it again as .xlsx") from None
    for i in infos:
        if i.file_size > MAX_PART_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise ExportError(f"{path}: {i.filename} would unpack to {i.file_size >> 20} MiB from "
                              f"{i.compress_size >> 10} KiB; refusing a file that looks like a zip bomb")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "content.xml" not in names:
        raise ExportError(f"{path}: is a zip file but not a workbook; export it as .xlsx or .csv")


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
        blank[:, j] |= spaces.fillna(False).to_numpy(dtype=bool)
    keep = ~blank.all(axis=1)
    return df if keep.all() else df[keep]


def _check_header(header: list[str], path: Path) -> None:
    seen: dict[str, str] = {}
    for h in header:
        k = _normalise(h)
        if k and k in seen:
            raise ExportError(f"{path}: column {h!r} appears twice; keep one of them")
        seen[k] = h


def _decode(raw: bytes, path: Path) -> str:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):   # Excel's "Unicode text" export: UTF-16, tabs
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ExportError(f"{path}: cannot read the UTF-16 text; save it as UTF-8 CSV") from None
    for enc in ("utf-8-sig", "cp1256"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ExportError(f"{path}: cannot read the text encoding; save it as UTF-8 CSV")  # pragma: no cover


def read_file(path: str | Path, check: DataCheck | None = None) -> pd.DataFrame:
    """An export as a DataFrame of raw cells, headers as written.

    CSV cells are text (``None`` for an empty cell); workbook cells are the values the workbook
    holds (text, float, int, bool, datetime, date, time, timedelta). The index is the row number in
    the file: a CSV's header is row 1, so its first data row is 2; a sheet's rows are the sheet's.
    Rows with no cell filled are dropped. Findings (cells changed on the way in) go to ``check``.
    """
    path = Path(path)
    check = DataCheck() if check is None else check
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give the export file inside it")
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        if suffix in _ZIP_SUFFIXES:
            check_zip(path)
        df = _read_workbook(path)
    else:
        df = _read_text(path)
    df = _drop_blank_rows(df)
    if len(df) == 0:
        raise ExportError(f"{path}: has a header but no data rows")
    return df


#: The name this reader had in :mod:`xl_cskpi.reports.fill`.
read_export = read_file


def _read_text(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    if raw[:4] == b"PK\x03\x04":
        raise ExportError(f"{path}: is a workbook (xlsx), not a CSV file; rename it to .xlsx")
    if b"\x00" in raw[:4096] and raw[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        raise ExportError(f"{path}: is not a text file; export it as CSV (UTF-8) or .xlsx")
    text = _decode(raw, path)
    if not text.strip():
        raise ExportError(f"{path}: the file is empty; export it again with a header row and data")
    sample = text[:65536]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    try:
        header = next(csv.reader(io.StringIO(text[: text.find("\n") + 1 or None]), delimiter=delimiter))
        _check_header([h.strip() for h in header], path)
        df = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=object, keep_default_na=False,
                         skipinitialspace=False, skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as e:
        raise ExportError(f"{path}: cannot read it as CSV ({_one_line(e)})") from None
    df = df.replace({"": None})
    df.index = pd.RangeIndex(2, 2 + len(df))
    return df


def _read_workbook(path: Path) -> pd.DataFrame:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=True)
            if rows and any(str(v).strip() for v in rows[0]):
                header = [str(v).strip() for v in rows[0]]
                _check_header(header, path)
                body = [list(r[: len(header)]) + [""] * (len(header) - len(r)) for r in rows[1:]]
                df = pd.DataFrame(body, columns=header, dtype=object)
                first = sheet.start[0] + 2 if sheet.start else 2  # the sheet row of the first data row
                df.index = pd.RangeIndex(first, first + len(df))
                return df.replace({"": None})
    except ExportError:
        raise
    except Exception as e:  # calamine raises its own error types (XmlError, ZipError, ...)
        raise ExportError(f"{path}: cannot read the workbook ({_one_line(e)}); open it in Excel and "
                          "save it again, or export CSV") from None
    raise ExportError(f"{path}: the workbook has no sheet with a header row")


def expand_paths(items: list[str], check: DataCheck | None = None) -> list[Path]:
    """What ``--data`` was given -> export files (first version: files only)."""
    return [Path(p) for p in items]
