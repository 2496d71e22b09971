"""Data rows as sheet XML, column by column (issue 17, item 3): the report writer near the floor.

openpyxl writes a cell by making a ``WriteOnlyCell``, inferring its type, and sending an element
through its XML writer: some 15 us a cell, 94 % of ``report --values`` on a million rows. Here a data
table's body is turned into the same ``<row>``/``<c>`` XML a column at a time (numbers formatted with
openpyxl's own ``%.16g``, dates through openpyxl's serial arithmetic done on whole arrays, text
escaped once per column) and spliced into the worksheet part when the workbook is saved
(:func:`xl_cskpi.reports.saving.save`), so openpyxl still writes every other byte of the workbook:
the sheet's header row, views, columns, table part, validation, styles (the cells' style ids are
openpyxl's own, from ``WriteOnlyCell.style_id``).

The XML is what openpyxl's cell-by-cell path writes with lxml, byte for byte (a test compares the
two on every kind of value), so a workbook reads back the same in openpyxl, Excel and LibreOffice:

* text: ``t="inlineStr"``, ``xml:space="preserve"`` when it has leading or trailing white space,
  ``&``, ``<``, ``>`` and carriage returns escaped as lxml escapes them, at most 32,767 characters,
  and a text with a character XML cannot hold raises openpyxl's ``IllegalCharacterError``;
* numbers: ``t="n"``, ``%.16g``; NaN and infinities are blank cells (``<v></v>``), as openpyxl
  writes them; booleans ``t="b"``; an error value (``KPIError``) ``t="e"`` with its code;
* dates and date-times: the 1900-system serial (``to_excel``), with the column's number format;
* formulas (a live report's calculated columns): ``<f>`` with the column's style.

One difference in what a cell holds, on purpose: a text from an export that reads like an Excel
error code (``#N/A``) stays text here; openpyxl's type inference made it an error cell.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Iterator

import numpy as np
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

from ..errors import KPIError

__all__ = ["Body", "CHUNK"]

#: Rows formatted at a time (memory stays flat in the number of rows: one chunk's text at a time).
CHUNK = 20_000

_EPOCH_US = np.datetime64("1899-12-30T00:00:00", "us")
_DAY_US = 86_400_000_000
_MAX_TEXT = 32767


def _escape(s: str) -> str:
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    if "\r" in s:
        s = s.replace("\r", "&#13;")
    return s


def _text_cell(ref: str, s: str, style: str) -> str:
    if not s:
        return f'<c r="{ref}"{style} t="inlineStr"></c>'
    s = s[:_MAX_TEXT]
    if ILLEGAL_CHARACTERS_RE.search(s):
        raise IllegalCharacterError(f"{s} cannot be used in worksheets.")
    space = ' xml:space="preserve"' if s != s.strip() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escape(s)}</t></is></c>'


def _serials(values: np.ndarray) -> list[str]:
    """``%.16g`` of openpyxl's ``to_excel`` of each datetime64 value (NaT: None)."""
    us = values.astype("datetime64[us]")
    nat = np.isnat(us)
    delta = (us - _EPOCH_US).astype(np.int64)
    days = np.floor_divide(delta, _DAY_US)
    rem = delta - days * _DAY_US
    secs = rem // 1_000_000
    micro = rem % 1_000_000
    days = np.where((days > 0) & (days <= 60), days - 1, days)   # Excel's 1900-02-29
    serial = days + (secs + micro / 10 ** 6) / 86400
    return [None if n else "%.16g" % x for n, x in zip(nat.tolist(), serial.tolist())]


def _serial(v: Any) -> str | None:
    """``%.16g`` of openpyxl's ``to_excel`` of one date, date-time or Timestamp."""
    if isinstance(v, pd.Timestamp):
        if v.tzinfo is not None:
            raise TypeError("Excel does not support timezones in datetimes. "
                            "The tzinfo in the datetime/time object must be set to None.")
        return _serials(np.array([v.to_datetime64()]))[0]
    if isinstance(v, dt.datetime):
        if v.tzinfo is not None:
            raise TypeError("Excel does not support timezones in datetimes. "
                            "The tzinfo in the datetime/time object must be set to None.")
        return _serials(np.array([np.datetime64(v, "us")]))[0]
    return _serials(np.array([np.datetime64(v, "D")]))[0]


def _uses_format(values: pd.Series | None, mode: str, kind: str) -> bool:
    """Whether some cell of a column takes the column's number format (see :meth:`Body._cell`)."""
    if mode.startswith("="):
        return True
    if values is None or len(values) == 0:
        return False
    date_like = kind in ("date", "datetime", "month")
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        return bool(values.notna().any())
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return date_like
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return (date_like or kind == "rate") and bool(values.notna().any())
    for v in values.tolist():
        if v is None or v is pd.NaT or v is pd.NA or isinstance(v, str):
            continue
        if isinstance(v, float) and v != v:
            continue
        if date_like or isinstance(v, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
            return True
        if kind == "rate" and isinstance(v, (float, np.floating)):
            return True
    return False


class _Style:
    """The `` s="N"`` attribute of a number format, registered with openpyxl on first use (an
    f-string formats it)."""

    __slots__ = ("ws", "fmt", "text")

    def __init__(self, ws, fmt: str):
        self.ws, self.fmt, self.text = ws, fmt, None

    def __format__(self, spec: str) -> str:
        if self.text is None:
            c = WriteOnlyCell(self.ws)
            c.number_format = self.fmt
            self.text = f' s="{c.style_id}"'
        return self.text

    def __bool__(self) -> bool:
        return True


class Body:
    """The data rows of one table sheet, as XML chunks, starting at sheet row ``first_row``.

    ``columns``: one per sheet column, each ``(values, mode, number format)`` where ``values`` is a
    pandas Series (or None: a blank column), ``mode`` "value" (what the cell holds decides its type;
    ``date`` columns and date values get the column's format, ``rate`` numbers too) or a formula text
    (``"=..."``, the same in every row). ``ws``: the worksheet (for openpyxl's style ids).
    """

    def __init__(self, ws, columns: list[tuple[pd.Series | None, str, str | None, str]], first_row: int,
                 say: Callable[[str], None] = lambda msg: None, name: str = ""):
        self.columns = columns
        self.first_row = first_row
        self.rows = max((len(c[0]) for c in columns if c[0] is not None), default=0)
        self.say = say
        self.name = name
        # openpyxl's own style ids, registered in the workbook when a cell first uses one (as openpyxl
        # registers them): the body is written before the styles part
        # now, in column order, for the columns that will use theirs (as openpyxl registers a style
        # when its first cell is made); any other on first use
        self.ws = ws
        self.styles = [_Style(ws, fmt) if fmt else "" for values, mode, fmt, kind in columns]
        for style, (values, mode, fmt, kind) in zip(self.styles, columns):
            if fmt and _uses_format(values, mode, kind):
                f"{style}"
        self.letters = [get_column_letter(j) for j in range(1, len(columns) + 1)]
        # numpy arrays, sliced per chunk (a pandas slice copies the frame's attrs: a reader's per-row
        # file rows, a list as long as the table, deep-copied for every chunk)
        self.arrays = [None if c[0] is None else c[0].to_numpy() for c in columns]

    # ------------------------------------------------------------------ one column of a chunk
    def _column(self, j: int, lo: int, hi: int, rows: list[int]) -> list[str]:
        values, mode, fmt, kind = self.columns[j]
        values = self.arrays[j]
        letter, style = self.letters[j], self.styles[j]
        n = hi - lo
        if mode.startswith("="):
            f = _escape(mode[1:])
            return [f'<c r="{letter}{r}"{style}><f>{f}</f><v></v></c>' for r in rows]
        if values is None:
            return [""] * n
        part = values[lo:hi]
        date_like = kind in ("date", "datetime", "month")
        dtype = part.dtype
        numpy = isinstance(dtype, np.dtype)
        if numpy and dtype.kind == "M":
            serial = _serials(part)
            st = f"{style}" if any(x is not None for x in serial) else ""
            return ["" if x is None else f'<c r="{letter}{r}"{st} t="n"><v>{x}</v></c>'
                    for r, x in zip(rows, serial)]
        if numpy and dtype.kind in "iu":
            st = f"{style}" if date_like and n else ""
            return [f'<c r="{letter}{r}"{st} t="n"><v>{x}</v></c>' for r, x in zip(rows, part.tolist())]
        if numpy and dtype.kind == "f":
            text = ["%.16g" % x for x in part.tolist()]
            st = f"{style}" if (date_like or kind == "rate") and any(g != "nan" for g in text) else ""
            # NaN: no cell; an infinity: a cell without a value (openpyxl's safe_string gives "")
            return ["" if g == "nan" else f'<c r="{letter}{r}"{st} t="n"><v>{g if g[-1] != "f" else ""}</v></c>'
                    for r, g in zip(rows, text)]
        # object (or anything else): what each value is decides
        cell = self._cell
        return [cell(f"{letter}{r}", v, style, date_like, kind) for r, v in zip(rows, part.tolist())]

    @staticmethod
    def _cell(ref: str, v: Any, style: str, date_like: bool, kind: str) -> str:
        """One value as openpyxl's write-only path writes it from :func:`.sheets.write_rows`."""
        if v is None or v is pd.NaT or v is pd.NA:
            return ""
        t = type(v)
        if t is str:
            return _text_cell(ref, v, "")
        if t is float or t is np.float64:
            if v != v:     # NaN: a blank cell
                return ""
            st = style if (date_like or kind == "rate") else ""
            if v in (float("inf"), float("-inf")):
                return f'<c r="{ref}"{st} t="n"><v></v></c>'
            return f'<c r="{ref}"{st} t="n"><v>{"%.16g" % v}</v></c>'
        if isinstance(v, KPIError):
            st = style if date_like else ""
            if v.code not in ERROR_CODES:
                return _text_cell(ref, v.code, st)
            return f'<c r="{ref}"{st} t="e"><v>{_escape(v.code)}</v></c>'
        if isinstance(v, (bool, np.bool_)):
            return f'<c r="{ref}"{style if date_like else ""} t="b"><v>{1 if v else 0}</v></c>'
        if isinstance(v, (int, np.integer)):
            return f'<c r="{ref}"{style if date_like else ""} t="n"><v>{int(v)}</v></c>'
        if isinstance(v, (np.floating,)):
            return Body._cell(ref, float(v), style, date_like, kind)
        if isinstance(v, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
            if isinstance(v, np.datetime64):
                v = pd.Timestamp(v)
                if v is pd.NaT:
                    return ""
            s = _serial(v)
            return "" if s is None else f'<c r="{ref}"{style} t="n"><v>{s}</v></c>'
        raise ValueError(f"Cannot convert {v!r} to Excel")

    # ------------------------------------------------------------------ the chunks
    def chunks(self) -> Iterator[bytes]:
        """The rows' XML, :data:`CHUNK` rows at a time, as UTF-8 bytes."""
        n = self.rows
        step = max(n // 20, 50_000)
        said = step
        for lo in range(0, n, CHUNK):
            hi = min(lo + CHUNK, n)
            rows = list(range(self.first_row + lo, self.first_row + hi))
            cols = [self._column(j, lo, hi, rows) for j in range(len(self.columns))]
            out = [f'<row r="{r}">{"".join(cells)}</row>' for r, *cells in zip(rows, *cols)]
            yield "".join(out).encode("utf-8")
            while hi > said and hi < n:
                self.say(f"  {self.name}: {said:,} / {n:,} rows")
                said += step


_ROW = re.compile(rb"</sheetData>|<sheetData\s*/>")


def splice(xml_head: bytes, body: Body) -> tuple[bytes, Iterator[bytes], bytes]:
    """The worksheet XML split around where ``body``'s rows go: before ``</sheetData>`` (or in place
    of an empty ``<sheetData/>``)."""
    m = _ROW.search(xml_head)
    if m is None:
        raise ValueError("worksheet part without sheetData")
    if m.group(0).startswith(b"</"):
        return xml_head[:m.start()], body.chunks(), xml_head[m.start():]
    return xml_head[:m.start()] + b"<sheetData>", body.chunks(), b"</sheetData>" + xml_head[m.end():]
