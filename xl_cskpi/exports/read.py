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
naming the file and what to do. The limits are the constants below; SECURITY.md states them and
what happens at each (a test checks the two agree).
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

from .check import DataCheck, ExportError
from .headers import normalise

__all__ = ["read_file", "read_export", "expand_paths", "check_zip", "ErrorCell", "MAX_DATA_ROWS",
           "MAX_CELL_CHARS", "MAX_SHEET_CELLS", "MAX_ODS_CELLS", "MAX_PART_BYTES", "MAX_TOTAL_BYTES",
           "MAX_RATIO", "MAX_PARTS", "CONTROL_CHARACTERS"]

# --------------------------------------------------------------------------- limits

#: Excel's sheet holds 1,048,576 rows (Microsoft, "Excel specifications and limits"): the header
#: and 1,048,575 data rows. A longer table cannot be written to a report sheet: refused.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
MAX_DATA_ROWS = EXCEL_ROWS - 1

#: Excel's cell holds 32,767 characters (same source); a longer text cell is cut, and said.
MAX_CELL_CHARS = 32_767

#: A sheet whose used range (A1 to its last row and column) spans more cells than this is refused
#: before python-calamine reads it: calamine holds the whole range in memory, about 40 bytes a
#: cell, so one stray cell at XFD4000 costs 2.6 GB and at XFD100000 aborts the process. 2**24 is a
#: full sheet of 16 columns (~700 MB); a larger export reads as CSV, which has no such cost.
MAX_SHEET_CELLS = 1 << 24
#: calamine spends about four times as much on an .ods cell (10 million cells: 1.2 GB, 9 s), and
#: LibreOffice's repeat attributes let a 1.5 KB .ods ask for that many: a quarter of the above.
MAX_ODS_CELLS = MAX_SHEET_CELLS // 4

#: Zip bombs: one part that inflates past MAX_PART_BYTES at more than MAX_RATIO times its
#: compressed size, or a whole archive that inflates past MAX_PART_BYTES at more than MAX_RATIO
#: times, or past MAX_TOTAL_BYTES at any ratio, or holds more than MAX_PARTS parts: refused from
#: the table of contents, nothing inflated.
MAX_PART_BYTES = 64 << 20
MAX_TOTAL_BYTES = 1 << 30
MAX_RATIO = 100
MAX_PARTS = 10_000

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


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text[:200]


def _rows_text(rows: Iterable[int]) -> str:
    rows = list(rows)
    shown = ", ".join(f"{r:,}" for r in rows[:SHOW_ROWS])
    return shown + (", ..." if len(rows) > SHOW_ROWS else "")


def _column_name(index: int) -> str:
    """0 -> ``A``, 16383 -> ``XFD``."""
    s, i = "", index + 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _column_index(letters: bytes | str) -> int:
    """``A`` -> 1, ``XFD`` -> 16384 (1-based)."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


# --------------------------------------------------------------------------- archives


def check_zip(path: str | Path) -> None:
    """Refuse a file that is not a zip, holds no workbook, or would inflate like a zip bomb.

    Only the archive's table of contents is read: nothing is inflated. A part and the whole
    archive are bounded alike (see :data:`MAX_PART_BYTES`, :data:`MAX_TOTAL_BYTES`,
    :data:`MAX_RATIO`, :data:`MAX_PARTS`): forty decoy sheets of 62 MB each are refused as
    surely as one sheet of 2.4 GB.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise ExportError(f"{path}: is not a readable workbook ({_one_line(e)}); save it again as .xlsx") from None
    if len(infos) > MAX_PARTS:
        raise ExportError(f"{path}: holds {len(infos):,} parts (a workbook has a few dozen; the limit is "
                          f"{MAX_PARTS:,}); refusing a file that looks like a zip bomb")
    for i in infos:
        if i.file_size > MAX_PART_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise ExportError(f"{path}: {i.filename} would unpack to {i.file_size >> 20:,} MiB from "
                              f"{i.compress_size >> 10:,} KiB; refusing a file that looks like a zip bomb")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > MAX_TOTAL_BYTES or (total > MAX_PART_BYTES and total > MAX_RATIO * max(packed, 1)):
        raise ExportError(f"{path}: its {len(infos):,} parts would unpack to {total >> 20:,} MiB from "
                          f"{packed >> 10:,} KiB (limit {MAX_TOTAL_BYTES >> 20:,} MiB, or "
                          f"{MAX_PART_BYTES >> 20} MiB at more than {MAX_RATIO}:1); refusing a file that "
                          "looks like a zip bomb")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "content.xml" not in names and "xl/workbook.bin" not in names:
        raise ExportError(f"{path}: is a zip file but not a workbook; export it as .xlsx or .csv")


# --------------------------------------------------------------------------- sheet XML, before calamine

_ATTR_ID = re.compile(r"(^|\})id$")
# a cell reference: ' r="AB12"' (rows have ' r="12"', no letters, and do not match)
_ERROR_REF = re.compile(rb' r="([A-Z]{1,4})([0-9]{1,10})"')
_ERROR_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]{0,64})</")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]{0,40})"')
_RANGE_END = re.compile(r"([A-Z]{1,4})([0-9]{1,10})$")


_REF_WORD = int.from_bytes(b' r="', "little")


def _inside_tags(body: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The positions of ``at`` that lie inside a tag: after a ``<`` with no ``>`` since."""
    lt, gt = np.flatnonzero(body == 60), np.flatnonzero(body == 62)
    last_lt = np.searchsorted(lt, at, side="right") - 1
    last_gt = np.searchsorted(gt, at, side="right") - 1
    inside = (last_lt >= 0) & ((last_gt < 0) | (lt[np.maximum(last_lt, 0)] > gt[np.maximum(last_gt, 0)]))
    return at[inside]


def _references(part: bytes, precise: bool = False) -> tuple[int, int]:
    """(largest row, largest column) of the cell references (`` r="XFD4000"``) in a piece of
    sheet XML, with numpy over the bytes: no Python object per cell (a million-row sheet of four
    columns, 180 MB of XML, in about half a second). Row elements (`` r="12"``) have no letters
    and do not count. ``precise``: only references inside a tag (twice the cost; the reader uses
    it to confirm a refusal, so text that looks like a reference cannot get a sheet refused)."""
    a = np.frombuffer(part + b"\0" * 16, dtype=np.uint8)
    # ' r="' as one little-endian 32-bit word, compared at the four byte offsets
    at = np.sort(np.concatenate([np.flatnonzero(np.frombuffer(a, dtype="<u4", offset=k,
                                                              count=(len(part) - k) // 4) == _REF_WORD) * 4 + k
                                 for k in range(4)])) + 4
    if not len(at):
        return 0, 0
    if precise:  # only inside a tag (after its '<', before its '>'): ' r="A1"' in inline text is no cell
        at = _inside_tags(a[: len(part)], at)
    if not len(at):
        return 0, 0
    w = a[at[:, None] + np.arange(15)]
    letter = (w >= 65) & (w <= 90)
    n_letters = np.argmin(letter, axis=1)
    keep = (n_letters >= 1) & (n_letters <= 4)
    if not keep.all():
        if not keep.any():
            return 0, 0
        w, n_letters = w[keep], n_letters[keep]
    # the largest column: among the references with the most letters, the largest letters
    most = n_letters.max()
    top = w[n_letters == most, :most].astype(np.int64) - 64
    col = int((top * 26 ** np.arange(most - 1, -1, -1)).sum(axis=1).max())
    # the largest row: the digits after the letters, as a number (at most 10 digits)
    row = 0
    for n in np.unique(n_letters):
        d = w[n_letters == n, n: n + 11] if len(np.unique(n_letters)) > 1 else w[:, n: n + 11]
        digit = (d >= 48) & (d <= 57)
        n_digits = np.where(digit.all(axis=1), 11, np.argmin(digit, axis=1))
        most = n_digits.max()
        top = d[n_digits == most, :most].astype(np.int64) - 48
        row = max(row, int((top * 10 ** np.arange(most - 1, -1, -1, dtype=np.int64)).sum(axis=1).max()))
    return row, col


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part (``xl/worksheets/sheet1.xml``), from workbook.xml and its rels.

    Parsed with defusedxml: a DTD (entity expansion, external entities) is refused, not expanded.
    An empty dict when the workbook does not say (the caller then scans every worksheet part).
    """
    from defusedxml import ElementTree as SafeET

    try:
        wb = SafeET.fromstring(z.read("xl/workbook.xml"), forbid_dtd=True)
        rels = SafeET.fromstring(z.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    except KeyError:
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    parts = {}
    for el in wb.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if _ATTR_ID.search(k) and k != "sheetId"), None)
            if rid in targets and el.get("name") is not None:
                parts[el.get("name")] = targets[rid]
    return parts


class _SheetScan:
    """What one pass over a sheet's XML learned: the last row and column holding a cell, the
    declared dimension, and the error cells (``{(row, column): "#DIV/0!"}``, 1-based)."""

    def __init__(self, precise: bool = False) -> None:
        self.precise = precise
        self.max_row = 0
        self.max_col = 0
        self.declared: str | None = None
        self.errors: dict[tuple[int, int], str] = {}

    def feed(self, part: bytes) -> None:
        rows, cols = _references(part, self.precise)
        self.max_row, self.max_col = max(self.max_row, rows), max(self.max_col, cols)
        if self.declared is None:  # <dimension> comes before <sheetData>: look in the first piece only
            m = _DIMENSION.search(part, 0, max(part.find(b"sheetData"), 0) or 4096)
            self.declared = m.group(1).decode("ascii", "replace") if m else ""
        at = part.find(b' t="e"')
        while at >= 0:
            start = part.rfind(b"<", 0, at)
            end = part.find(b">", at)
            at = part.find(b' t="e"', at + 1)
            ref = _ERROR_REF.search(part, start, end + 1) if start >= 0 and end >= 0 else None
            closed = end < 0 or part[end - 1: end] == b"/"  # <c r="B2" t="e"/>: no value
            close = part.find(b"c>", end)  # the cell's end tag, </c> or </x:c>
            value = None if closed else _ERROR_VALUE.search(part, end, close if close > 0 else end + 4096)
            if ref:
                key = (int(ref.group(2)), _column_index(ref.group(1)))
                self.errors[key] = value.group(1).decode("utf-8", "replace").strip() if value else "#ERROR"


def _scan_sheet(z: zipfile.ZipFile, part: str, precise: bool = False) -> _SheetScan:
    """Stream one sheet's XML (1 MiB at a time, cut after a row's end tag) and learn its extent.

    The archive's inflation is already bounded by :func:`check_zip`, so this pass is too (about
    0.4 s per million cells)."""
    scan = _SheetScan(precise)
    with z.open(part) as f:
        rest = b""
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            buf = rest + chunk
            cut = buf.rfind(b"row>") + 4  # after a row's end tag: no cell is cut in two
            if cut < 4:  # no row ends here: keep a tail longer than any reference, feed the rest
                cut = len(buf) - 64 if len(buf) > 4 << 20 else 0
            if cut:
                scan.feed(buf[:cut])
            rest = buf[cut:]
        if rest:
            scan.feed(rest)
    return scan


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


def _scan_ods(z: zipfile.ZipFile) -> dict[str, _SheetScan]:
    """Each table of an OpenDocument spreadsheet (content.xml, streamed with defusedxml) -> its
    error cells (LibreOffice's ``calcext:value-type="error"``: calamine reads them as blanks) and its
    extent *after* LibreOffice's repeat attributes: a 1.5 KB file whose one text cell is repeated
    over 10,000 rows and 1,000 columns makes calamine build 10 million cells (1.2 GB, 9 s).
    Empty cells and rows do not count (LibreOffice pads every sheet with repeated empty ones)."""
    from defusedxml.ElementTree import iterparse

    tables: dict[str, _SheetScan] = {}
    scan, row, col, row_last = _SheetScan(), 0, 0, 0
    cell_tags = (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell")
    with z.open("content.xml") as f:
        for _, el in iterparse(f, events=("end",), forbid_dtd=True):
            tag = el.tag
            if tag in cell_tags:
                rep = int(el.get(_ODS_TABLE + "number-columns-repeated", "1") or 1)
                if el.get(_ODS_OFFICE + "value-type") is not None or len(el):
                    row_last = col + rep
                if el.get(_ODS_CALCEXT + "value-type") == "error":  # LibreOffice's error cells
                    text = "".join(el.itertext()).strip() or "#ERROR"
                    for k in range(min(rep, 64)):
                        scan.errors[(row + 1, col + 1 + k)] = text
                col += rep
                el.clear()
            elif tag == _ODS_TABLE + "table-row":
                rep = int(el.get(_ODS_TABLE + "number-rows-repeated", "1") or 1)
                if row_last:
                    scan.max_row, scan.max_col = row + rep, max(scan.max_col, row_last)
                row, col, row_last = row + rep, 0, 0
                el.clear()
            elif tag == _ODS_TABLE + "table":
                tables[el.get(_ODS_TABLE + "name", "")] = scan
                scan, row, col, row_last = _SheetScan(), 0, 0, 0
                el.clear()
    return tables


def _scan_ods_file(path: Path) -> dict[str, _SheetScan]:
    with zipfile.ZipFile(path) as z:
        return _scan_ods(z) if "content.xml" in z.namelist() else {}


def _check_extent(path: Path, sheet: str, scan: _SheetScan, limit: int | None = None) -> None:
    """Refuse a sheet larger than Excel's grid, or whose used range is absurd for its reader
    (more than ``limit`` cells, :data:`MAX_SHEET_CELLS` unless given)."""
    limit = MAX_SHEET_CELLS if limit is None else limit
    if scan.declared:
        end = _RANGE_END.search(scan.declared.split(":")[-1])
        if end and (int(end.group(2)) > EXCEL_ROWS or _column_index(end.group(1)) > EXCEL_COLUMNS):
            raise ExportError(f"{path}: sheet {sheet!r} declares the range {scan.declared}, past Excel's last "
                              f"cell XFD{EXCEL_ROWS}; open it in Excel and save it again, or export CSV")
    if scan.max_row > EXCEL_ROWS or scan.max_col > EXCEL_COLUMNS:
        raise ExportError(f"{path}: sheet {sheet!r} has a cell past Excel's last cell XFD{EXCEL_ROWS} "
                          f"(row {scan.max_row:,}, column {scan.max_col:,}); open it in Excel and save it "
                          "again, or export CSV")
    cells = scan.max_row * scan.max_col
    if cells > limit:
        last = f"{_column_name(scan.max_col - 1)}{scan.max_row}"
        raise ExportError(f"{path}: sheet {sheet!r} has cells as far as column {_column_name(scan.max_col - 1)} "
                          f"and row {scan.max_row:,} (A1:{last}, {cells:,} cells; the limit is "
                          f"{limit:,}); delete the stray cells far from the data, or export CSV")


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


def _merge(scans: Iterable[_SheetScan]) -> _SheetScan:
    out = _SheetScan()
    for s in scans:
        out.max_row, out.max_col = max(out.max_row, s.max_row), max(out.max_col, s.max_col)
    return out


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
            _check_extent(path, name, scan, MAX_ODS_CELLS)
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
                if spent > MAX_TOTAL_BYTES:
                    raise ExportError(f"{path}: looked at {len(looked):,} sheets ({spent >> 20:,} MiB) without "
                                      f"finding a header row; refusing to inflate more than "
                                      f"{MAX_TOTAL_BYTES >> 20:,} MiB: put the data on the first sheet")
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
            hit = strs.contains(CONTROL_CHARACTERS.pattern, regex=True).fillna(False).to_numpy(dtype=bool)
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
