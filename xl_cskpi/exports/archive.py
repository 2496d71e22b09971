"""Archives and sheets measured before anything inflates or reads them: the hostile-file half
of the reader of exports (:mod:`xl_cskpi.exports.read` calls everything here).

* :func:`check_zip` -- refuse a workbook (an export or a template) that is not a workbook or that
  would inflate like a zip bomb, from the archive's table of contents, before anything inflates it.
* the sheet XML scan (:func:`_scan_sheet`) -- stream an .xlsx sheet once, before python-calamine
  reads it, for its last row and column and its error cells;
* the .ods scan (:func:`_scan_ods`) -- each table's extent after LibreOffice's repeat attributes,
  and its error cells;
* :func:`_check_extent` -- refuse a sheet past Excel's grid or over :data:`MAX_SHEET_CELLS`.

The limits of archives and sheets are the constants below (``xl_cskpi.exports.read`` re-exports
them; the code here and in ``read`` reads them from this module, so a test patches them here);
SECURITY.md states them and what happens at each (a test checks the two agree).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Iterable

import numpy as np

from .check import ExportError

__all__ = ["check_zip", "EXCEL_ROWS", "EXCEL_COLUMNS", "MAX_SHEET_CELLS", "MAX_ODS_CELLS", "MAX_PART_BYTES",
           "MAX_TOTAL_BYTES", "MAX_RATIO", "MAX_PARTS"]

# --------------------------------------------------------------------------- limits

#: Excel's grid: 1,048,576 rows and 16,384 columns (Microsoft, "Excel specifications and limits").
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384

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


# --------------------------------------------------------------------------- small helpers


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text[:200]


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
    _bounded(path, infos)
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "content.xml" not in names and "xl/workbook.bin" not in names:
        inside = data_members(infos)
        if inside:
            raise ExportError(f"{path}: is a .zip archive holding {', '.join(i.filename for i in inside[:5])}, "
                              "not a workbook; rename it to .zip, or unzip it and pass the file inside")
        raise ExportError(f"{path}: is a zip file but not a workbook; export it as .xlsx or .csv")


#: Members of a .zip archive read as exports (:func:`data_members`).
ARCHIVE_SUFFIXES = (".csv", ".tsv", ".txt")


def data_members(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The members of an archive that are exports: files (not folders) whose name ends in
    :data:`ARCHIVE_SUFFIXES`, macOS' ``__MACOSX/`` copies and hidden files aside."""
    out = []
    for i in infos:
        name = i.filename.rsplit("/", 1)[-1]
        if i.is_dir() or i.filename.startswith("__MACOSX/") or name.startswith(".") or not name:
            continue
        if name.lower().endswith(ARCHIVE_SUFFIXES):
            out.append(i)
    return out


def read_archive(path: str | Path) -> tuple[str, bytes]:
    """The one export inside a .zip archive (how large helpdesk exports arrive by e-mail): ``(member
    name, its bytes)``, bounded like a workbook (:func:`check_zip`'s limits, nothing inflated before
    the table of contents is checked). A damaged archive, one holding no CSV, or one holding several
    is an :class:`ExportError` saying what to do (unzip it and pass the files or their folder)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            _bounded(path, infos)
            members = data_members(infos)
            if not members:
                held = ", ".join(i.filename for i in infos[:5]) or "nothing"
                kind = "a workbook, not a CSV" if any(i.filename == "xl/workbook.xml" for i in infos) else "no CSV file"
                raise ExportError(f"{path}: is a .zip archive holding {kind} ({held}); "
                                  + ("rename it to .xlsx" if kind.startswith("a workbook")
                                     else "unzip it and pass the export inside"))
            if len(members) > 1:
                listed = ", ".join(i.filename for i in members[:5]) + (", ..." if len(members) > 5 else "")
                raise ExportError(f"{path}: is a .zip archive holding {len(members)} exports ({listed}); unzip it "
                                  "and pass the folder (--data FOLDER) or the files")
            member = members[0]
            if member.flag_bits & 0x1:
                raise ExportError(f"{path}: {member.filename} inside the .zip archive is encrypted; unzip it with "
                                  "its password and pass the file")
            return member.filename, z.read(member)
    except ExportError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as e:
        raise ExportError(f"{path}: is a damaged .zip archive ({_one_line(e)}); download it again, or unzip it "
                          "and pass the file inside") from None


def _bounded(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive that would inflate like a zip bomb, from its table of contents."""
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


# --------------------------------------------------------------------------- sheet XML, before calamine

_ATTR_ID = re.compile(r"(^|\})id$")
# a cell reference: ' r="AB12"' (rows have ' r="12"', no letters, and do not match)
_ERROR_REF = re.compile(rb' r="([A-Z]{1,4})([0-9]{1,10})"')
_ERROR_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]{0,64})</")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]{0,40})"')
_RANGE_END = re.compile(r"([A-Z]{1,4})([0-9]{1,10})$")


_REF_WORD = int.from_bytes(b' r="', "little")
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\s(?=[^>]*\bhidden="(?:1|true)")[^>]*?\br="([0-9]{1,7})"')


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
        #: rows the sheet hides (``<row r="5" hidden="1">``: an AutoFilter's or a user's), 1-based
        self.hidden: list[int] = []

    def feed(self, part: bytes) -> None:
        if part.find(b'hidden="') >= 0:
            self.hidden.extend(int(m.group(1)) for m in _HIDDEN_ROW.finditer(part))
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



def _merge(scans: Iterable[_SheetScan]) -> _SheetScan:
    out = _SheetScan()
    for s in scans:
        out.max_row, out.max_col = max(out.max_row, s.max_row), max(out.max_col, s.max_col)
    return out
