"""Reading exports and matching them to a report's data tables (``xl-cskpi report``).

* CSV: the encoding is sniffed (UTF-8 with or without BOM, UTF-16 with BOM as Excel's "Unicode
  text" writes, then Windows-1256 as older Arabic and Persian systems write), and the delimiter
  (``,`` ``;`` tab ``|``); every cell is read as text. Blank rows are dropped; a file with no data
  rows, a duplicated column, a workbook renamed .csv or a zip bomb renamed .xlsx is refused with
  one line saying what to fix.
* XLSX/XLSM/XLS/ODS: python-calamine reads the first sheet with data (fast, values only).
* Headers are matched to the tables' columns case-, space- and punctuation-insensitively, also
  through each column's aliases and translated header. A file that fits no table gets one error
  line naming the missing and the unexpected columns.
* Cells are typed per column: numbers also as Persian/Arabic digits and separators
  (:func:`xl_cskpi.cells.parse_number_text`), dates as ISO text, Excel serials or date cells; a cell
  that cannot be read is an error naming the file, row and column.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..cells import LATIN_DIGITS, parse_number_text, serial_to_datetime64
from .i18n import calendar as calendar_of
from .i18n import translator
from .spec import Report, Table

__all__ = ["ExportError", "read_export", "normalise", "match_exports", "load_data"]


class ExportError(Exception):
    """An export that cannot be used as it is; the message says what to fix."""


def normalise(header: Any) -> str:
    """``" Customer ID "`` -> ``"customer_id"``; ``"S&M spend"`` -> ``"s_m_spend"``."""
    s = str(header).strip().casefold().replace("\ufeff", "")
    s = re.sub(r"[\s\-/.&()\[\]:]+", "_", s)
    return s.strip("_")


#: A workbook part that inflates more than this, at more than this ratio, is refused unread (a zip bomb).
MAX_PART_BYTES = 64 << 20
MAX_RATIO = 100


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text[:200]


def _check_zip(path: Path) -> None:
    """Refuse a file that is not a zip, holds no workbook, or would inflate like a zip bomb."""
    import zipfile

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

    One vectorized pass per column that has any value (1M rows x 4 columns: 0.3 s, was 1.2 s with
    a Python call per cell). The index stays the file's data row (for messages).
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
        k = normalise(h)
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


def read_export(path: str | Path) -> pd.DataFrame:
    """An export as a DataFrame of raw cells (text for CSV; values for spreadsheets), headers as given."""
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give the export file inside it")
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
        if suffix in (".xlsx", ".xlsm", ".xlsb", ".ods"):
            _check_zip(path)
        df = _read_workbook(path)
    else:
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
    df = _drop_blank_rows(df)
    if len(df) == 0:
        raise ExportError(f"{path}: has a header but no data rows")
    return df


def _read_workbook(path: Path) -> pd.DataFrame:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=True)
            if rows and any(str(v).strip() for v in rows[0]):
                header = [str(v).strip() for v in rows[0]]
                _check_header(header, path)
                body = [list(r[: len(header)]) + [""] * (len(header) - len(r)) for r in rows[1:]]
                df = pd.DataFrame(body, columns=header, dtype=object)
                return df.replace({"": None})
    except ExportError:
        raise
    except Exception as e:  # calamine raises its own error types (XmlError, ZipError, ...)
        raise ExportError(f"{path}: cannot read the workbook ({_one_line(e)}); open it in Excel and "
                          "save it again, or export CSV") from None
    raise ExportError(f"{path}: the workbook has no sheet with a header row")


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


def match_exports(report: Report, frames: dict[Path, pd.DataFrame], lang: str = "en"
                  ) -> dict[str, tuple[Path, dict[str, str]]]:
    """Assign each export to a data table of ``report``: ``{table: (path, header -> key)}``."""
    assigned: dict[str, tuple[Path, dict[str, str]]] = {}
    for path, df in frames.items():
        stem = normalise(path.stem)
        best = None
        for tb in report.tables:
            if tb.name in assigned:
                continue
            try:
                mapping, missing, unexpected = _fit(tb, df.columns, lang)
            except _Duplicate as e:
                raise ExportError(f"{path}: {e}") from None
            named = stem in (normalise(tb.name), normalise(tb.name) + "s")
            score = (not missing, named, len(mapping), -len(unexpected))
            if best is None or score > best[0]:
                best = (score, tb, mapping, missing, unexpected)
        if best is None:
            raise ExportError(f"{path}: report {report.key} has no more data tables to fill "
                              f"(it needs {', '.join(t.name for t in report.tables)})")
        _, tb, mapping, missing, unexpected = best
        if missing:
            hint = ("; the file reads as a single column: separate its cells with commas, semicolons, "
                    "tabs or |" if len(df.columns) == 1 and len(missing) > 1 else "")
            raise ExportError(f"{path}: does not fit table {tb.name} of report {report.key}: missing columns "
                              f"{', '.join(missing)}; unexpected columns {', '.join(unexpected) or 'none'}{hint}")
        assigned[tb.name] = (path, mapping)
    absent = [tb for tb in report.tables if tb.name not in assigned]
    if absent:
        need = "; ".join(f"{tb.name} ({', '.join(c.key for c in tb.inputs if c.required)})" for tb in absent)
        raise ExportError(f"report {report.key} needs a file for each data table; no file for {need}")
    return assigned


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


def load_data(report: Report, paths: list[str | Path], lang: str = "en") -> dict[str, pd.DataFrame]:
    """Read, match and type every export for ``report``: ``{table name: DataFrame of input columns}``."""
    frames = {Path(p): read_export(p) for p in paths}
    assigned = match_exports(report, frames, lang)
    out: dict[str, pd.DataFrame] = {}
    for tb in report.tables:
        path, mapping = assigned[tb.name]
        raw = frames[path]
        by_key = {key: header for header, key in mapping.items()}
        cols: dict[str, pd.Series] = {}
        for c in tb.inputs:
            if c.key not in by_key:
                cols[c.key] = pd.Series([None] * len(raw), dtype=object)
                continue
            s = raw[by_key[c.key]]
            if c.kind in ("count", "number", "money", "score", "rate"):
                cols[c.key] = _as_numbers(s, path, by_key[c.key])
            elif c.kind in ("date", "datetime", "month"):
                cols[c.key] = _as_dates(s, path, by_key[c.key], lang)
            else:
                cols[c.key] = s.map(lambda v: None if v is None or (isinstance(v, float) and v != v)
                                    else (v if isinstance(v, str) else (str(int(v)) if isinstance(v, float)
                                                                        and v.is_integer() else str(v))))
        out[tb.name] = pd.DataFrame(cols).reset_index(drop=True)
    return out
