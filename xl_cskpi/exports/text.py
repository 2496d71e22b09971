"""Delimited text -> DataFrame of raw cells: the CSV half of the reader of exports.

:func:`read_text` reads the bytes of a CSV (or of the one CSV inside a .zip archive) the way a
user's tools write it:

* the encoding, decided once for the file (:func:`_decode`: UTF-16 with a BOM, UTF-8, clean
  Windows-1256);
* classic Mac line ends (CR alone, Excel for Mac's "CSV (Macintosh)"): read as line breaks, said as
  ``line_ends_cr`` (info; reviewer's G24: the run crashed with Python's csv message);
* Excel's delimiter hint: a first line ``sep=;`` (European exports written for Excel) is the
  delimiter, not a row (reviewer's U1), said as ``sep_hint`` (info);
* the delimiter (:func:`_delimiter`);
* title lines above the header (Google Ads' "Campaign report" and its date range, GA4's ``# ----``
  comment block, blank lines): up to :data:`MAX_TITLE_LINES` leading lines of one cell or starting
  with ``#`` before a line of two or more cells are skipped, said as ``title_lines`` (info)
  with the lines' text (reviewer's U18; the workbook reader already looks for the header row);
* a header row repeated inside the data (two exports pasted together, Qualtrics' second and third
  header rows): dropped, said as ``header_repeated`` (warning) with its rows (reviewer's U3).

The index of the frame is the row number a user sees in the file (the header's line, then one
per record), whatever was skipped above it.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .archive import EXCEL_COLUMNS, _one_line
from .check import DataCheck, ExportError
from .headers import normalise

__all__ = ["read_text", "DELIMITERS", "MAX_TITLE_LINES"]

#: The characters that XML 1.0 (and so every .xlsx) cannot hold: C0 controls but tab, line feed
#: and carriage return, and U+FFFE/U+FFFF. They are removed from every cell (and header), and
#: each column where some were found is a warning naming the rows.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

#: How many lines above the header may be a title (Google Ads writes 2, GA4 about 6).
MAX_TITLE_LINES = 20
#: How many repeated header rows a finding lists.
SHOW_ROWS = 5


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
DELIMITERS = ",;\t|\u061b"   # ... and the Arabic semicolon (Windows' list separator in Persian locales)


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




_SEP_HINT = re.compile(r"\s*sep\s*=\s*(.)\s*\Z", re.I)


def _sep_hint(text: str) -> tuple[str | None, str]:
    """Excel's ``sep=X`` first line: ``(X, the text after that line)``, or ``(None, text)``."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    m = _SEP_HINT.match(first.rstrip("\r"))
    if m is None or m.group(1) in "\"'":
        return None, text
    return m.group(1), ("" if end < 0 else text[end + 1:])


def _cells(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return [line]


_LONE_CR = re.compile("\r(?!\n)")

#: A comment line (GA4's ``# ----``, ``# Start date: 20240601``), not a header whose first cell is ``#``
#: (Typeform's response number column).
_COMMENT = re.compile(r"\s*#(?![,;\t|]|\s*$)")


def _title_lines(text: str) -> int:
    """How many leading lines are a title above the header: each blank, a ``#`` comment, or of one
    filled cell whatever the delimiter (``"June 1, 2024 - June 30, 2024"`` quoted is one cell); and
    the line after them splits into two or more cells. 0 when the first line is the header, or when
    no line within :data:`MAX_TITLE_LINES` is (a file of one column)."""
    head = [ln.rstrip("\r") for ln in text[:1 << 16].split("\n")[: MAX_TITLE_LINES + 1]]
    for k, line in enumerate(head):
        filled = max(sum(1 for c in _cells(line, d) if c.strip()) for d in DELIMITERS)
        if _COMMENT.match(line) or filled <= 1:
            continue
        return k
    return 0


def _repeated_headers(df: pd.DataFrame, header: list[str]) -> np.ndarray:
    """Rows that repeat the header row (a second export pasted below the first): every filled cell
    equal to its column's header as written, at least two of them and at least half the columns.
    One vectorised comparison per column. Returns a boolean mask over the rows."""
    if df.empty or len(header) < 2:
        return np.zeros(len(df), dtype=bool)
    hits = np.zeros(len(df), dtype=int)
    other = np.zeros(len(df), dtype=bool)
    for j, h in enumerate(header):
        col = df.iloc[:, j].to_numpy(dtype=object)
        same = col == h
        if j == 1 and not hits.any() and not same.any():
            return np.zeros(len(df), dtype=bool)       # the common case: no row can reach two hits
        hits += same
        other |= ~pd.isna(col) & ~same
    return (hits >= 2) & (2 * hits >= len(header)) & ~other


def _import_ids(row: pd.Series) -> bool:
    """A Qualtrics import-id row: most filled cells are ``{"ImportId": ...}``."""
    cells = [v for v in row.tolist() if isinstance(v, str) and v.strip()]
    return bool(cells) and 2 * sum(v.lstrip().startswith('{"ImportId"') for v in cells) > len(cells)


def _qualtrics(df: pd.DataFrame, header: list[str], path: Path, check: DataCheck
               ) -> tuple[pd.DataFrame, list[str]]:
    """Qualtrics writes three header rows (Data & Analysis > Export > CSV): the column ids (``StartDate``,
    ``Q1``), the question texts, and ``{"ImportId": ...}`` cells. The question texts are the headers
    (they say "recommend"; ``Q1`` says nothing), and the two rows below the first are not data
    (``qualtrics_header``, info)."""
    if len(df) < 2 or not _import_ids(df.iloc[1]):
        if len(df) and _import_ids(df.iloc[0]):     # the question-text row left out by the user
            check.info("qualtrics_header", f"row {df.index[0]} holds Qualtrics' import ids: not data, left out",
                       file=str(path), row=int(df.index[0]), fields={"rows": str(df.index[0])})
            return df.iloc[1:], header
        return df, header
    texts = df.iloc[0].tolist()
    # the question text is the header, but for Qualtrics' derived columns (Q1_NPS_GROUP: 1/2/3), whose
    # text repeats the question's ("How likely ... - Group") and whose id says what they are
    new = [t.strip() if isinstance(t, str) and t.strip() and not normalise(h).endswith("nps_group") else h
           for t, h in zip(texts, header)]
    if len({normalise(h) for h in new}) < len(new):   # two questions of one text: keep Qualtrics' ids
        new = list(header)
    r2, r3 = int(df.index[0]), int(df.index[1])
    check.info("qualtrics_header", f"a Qualtrics export: its question texts (row {r2}) are the headers; rows "
               f"{r2}-{r3} (question texts, import ids) are not data", file=str(path), row=r2,
               fields={"rows": f"{r2}-{r3}"})
    out = df.iloc[2:]
    out.columns = new
    return out, new


def _trailing_blanks(text: str, delimiter: str, path: Path, check: DataCheck) -> pd.DataFrame | None:
    """Rows longer than the header whose extra cells are all empty (Excel writes ``A,2024-01,100,,`` when
    a used range reaches past the data): the rows without their empty tail, said as ``trailing_cells``
    (info); None when an extra cell holds something (then the row is refused as it is)."""
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        return None
    if not rows:
        return None
    width = len(rows[0])
    extra = [k for k, r in enumerate(rows) if len(r) > width]
    if not extra or any(c.strip() for k in extra for c in rows[k][width:]):
        return None
    check.info("trailing_cells", f"{len(extra):,} row(s) end with empty cells past the header's {width} columns "
               f"(trailing {delimiter!r}): the empty cells are left out (first: row {extra[0] + 1})", file=str(path),
               row=extra[0] + 1, fields={"count": len(extra), "columns": width, "row": extra[0] + 1})
    return pd.DataFrame([r[:width] + [""] * (width - len(r)) for r in rows], dtype=object)


def read_text(raw: bytes, path: Path, check: DataCheck, *, inside: str | None = None
              ) -> tuple[pd.DataFrame, int, bool]:
    """A delimited text file's bytes -> (raw cells as text, the header's row number, whether the text
    holds a control character anywhere: one search, so the common case skips the columns).

    ``inside``: the member's name when the bytes are a CSV inside a .zip archive (for messages)."""
    name = f"{path} ({inside})" if inside else str(path)
    if raw[:4] == b"PK\x03\x04":
        raise ExportError(f"{name}: is a workbook (xlsx), not a CSV file; rename it to .xlsx")
    if b"\x00" in raw[:4096] and raw[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        raise ExportError(f"{name}: is not a text file; export it as CSV (UTF-8) or .xlsx")
    text, encoding = _decode(raw, path)
    if encoding == "cp1256":
        check.info("encoding", "read as Windows-1256 (Arabic) text: it is not UTF-8", file=str(path),
                   fields={"encoding": "Windows-1256"})
    if not text.strip():
        raise ExportError(f"{name}: the file is empty; export it again with a header row and data")
    if "\r" in text and len(_LONE_CR.findall(text, 0, 1 << 20)) > text.count("\n", 0, 1 << 20):
        # classic Mac line ends (Excel for Mac "CSV (Macintosh)", old Numbers): CR alone ends a line (a
        # line break typed inside a quoted cell may still be LF)
        text = _LONE_CR.sub("\n", text)
        check.info("line_ends_cr", "lines end with CR alone (Mac line ends): read as line breaks", file=str(path),
                   fields={})
    skipped = 0
    hint, rest = _sep_hint(text)
    if hint is not None:
        text, skipped = rest, 1
        check.info("sep_hint", f"line 1 is Excel's delimiter hint 'sep={hint}': read as the delimiter, not as a row",
                   file=str(path), row=1, fields={"delimiter": hint})
        if not text.strip():
            raise ExportError(f"{name}: holds only Excel's delimiter line 'sep={hint}'; export it again with a "
                              "header row and data")
    titles = _title_lines(text)
    if titles:
        cut = -1
        for _ in range(titles):                     # the offset after the titles' line ends (no copy of lines)
            cut = text.index("\n", cut + 1)
        lines = text[:cut].split("\n")
        shown = [" ".join(c.strip() for c in _cells(ln.strip(), ",") if c.strip()) for ln in lines]
        shown = [t for t in shown if t]
        text = text[cut + 1:]
        first, last = skipped + 1, skipped + titles
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        listed = "; ".join(repr(s[:60]) for s in shown[:3]) + ("; ..." if len(shown) > 3 else "")
        check.info("title_lines", f"{where} above the header (line {last + 1}) skipped as a title: "
                   f"{listed or 'blank'}", file=str(path), row=first,
                   fields={"lines": where, "header": last + 1, "text": listed})
        skipped += titles
    delimiter = hint or _delimiter(text)
    try:
        header = next(csv.reader(io.StringIO(text[:1 << 20]), delimiter=delimiter), [])
    except csv.Error as e:
        raise ExportError(f"{name}: cannot read it as CSV ({_one_line(e)}); save it as CSV UTF-8") from None
    if len(header) > EXCEL_COLUMNS:
        raise ExportError(f"{name}: has {len(header):,} columns; an Excel sheet holds {EXCEL_COLUMNS:,}: "
                          "is it the export you meant?")
    if "\x00" in text:
        # pandas' C parser (2.3) ends a cell at a NUL and drops the rest of it: make it another control
        # character, removed and counted below like every other one (nothing after it is lost)
        text = text.replace("\x00", "\x01")
    try:
        # the C parser takes one-byte separators; the Arabic semicolon is two bytes in UTF-8
        df = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=object, keep_default_na=False,
                         skipinitialspace=False, skip_blank_lines=False,
                         engine="c" if len(delimiter.encode("utf-8")) == 1 else "python", header=None)
    except pd.errors.ParserError as e:
        df = _trailing_blanks(text, delimiter, path, check)
        if df is None:
            raise ExportError(f"{name}: cannot read it as CSV ({_one_line(e)})") from None
    except (pd.errors.EmptyDataError, ValueError, csv.Error) as e:
        raise ExportError(f"{name}: cannot read it as CSV ({_one_line(e)})") from None
    header_row = skipped + 1
    header = [v if isinstance(v, str) and v else f"Unnamed: {j}" for j, v in enumerate(df.iloc[0].tolist())]
    df = df.iloc[1:]
    df.columns = header
    df.index = pd.RangeIndex(header_row + 1, header_row + 1 + len(df))
    df = df.replace({"": None})
    df, header = _qualtrics(df, header, path, check)
    again = _repeated_headers(df, header)
    if again.any():
        rows = [int(r) for r in df.index[again]]
        n = len(rows)
        shown = ", ".join(f"{r:,}" for r in rows[:SHOW_ROWS]) + (", ..." if n > SHOW_ROWS else "")
        check.warn("header_repeated", f"row{'s' if n > 1 else ''} {shown} repeat{'' if n > 1 else 's'} the header row "
                   "(two exports pasted together?): not data, left out", file=str(path), row=rows[0],
                   fields={"count": n, "rows": rows[:SHOW_ROWS]})
        df = df[~again]
    df.attrs["delimiter"] = delimiter   # the number reader's hint: ';' is the comma-decimal convention
    return df, header_row, bool(CONTROL_CHARACTERS.search(text))
