"""Writing cells in openpyxl's write-only mode: small laid-out sheets, streamed data tables, validation.

:class:`Sheet` lays a small sheet (dashboard, settings, data check) out as a grid and streams it row by
row; right-to-left sheets get right-to-left paragraphs and rows tall enough for Persian/Arabic fonts.
:func:`write_rows` streams a data table (a million rows go straight to disk): text from an export is
always text, never a formula; dates get their format; calculated columns their formula.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import numpy as np
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import KPIError
from .formula_text import Names, render
from .i18n import RTL
from .datecols import display_columns, display_formula, display_header, display_values
from .rowxml import Body
from .spec import Row
from .saving import BODY_ATTR, saving

__all__ = ["Sheet", "alignment", "widths", "print_setup", "sheet_view", "cell_value", "write_rows", "validation",
           "display_headers", "GREEN", "AMBER", "RED", "HEADER_FILL", "SETTING_FILL", "VALIDATION_ROWS"]

GREEN = PatternFill("solid", start_color="FFC6EFCE", end_color="FFC6EFCE")
AMBER = PatternFill("solid", start_color="FFFFEB9C", end_color="FFFFEB9C")
RED = PatternFill("solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
HEADER_FILL = PatternFill("solid", start_color="FF1F4E78", end_color="FF1F4E78")
SETTING_FILL = PatternFill("solid", start_color="FFFFF2CC", end_color="FFFFF2CC")

VALIDATION_ROWS = 1048576



class Sheet:
    """A small sheet laid out as a grid, then streamed row by row (write-only mode)."""

    def __init__(self, ws, font: str, lang: str | None = None):
        """``lang``: the report's language, for the text metrics of wrapped rows (default: fa in a
        right-to-left sheet, else en)."""
        self.ws = ws
        self.font = font
        # a right-to-left sheet also needs right-to-left paragraphs: LibreOffice otherwise lays
        # Persian/Arabic text out left to right (the full stop and list numbers on the wrong side)
        self.rtl = bool(ws.sheet_view.rightToLeft)
        self.cells: dict[tuple[int, int], WriteOnlyCell] = {}
        self.lines: dict[int, int] = {}
        self.spans: dict[tuple[int, int], tuple[int, bool]] = {}
        self.lang = lang or ("fa" if self.rtl else "en")

    def put(self, row: int, col: int, value: Any, *, fmt: str | None = None, bold: bool = False,
            size: float | None = None, color: str | None = None, fill=None, wrap: bool = False,
            text: bool = True, formula: bool = False, lines: int = 1, indent: int = 0,
            span: int = 1) -> WriteOnlyCell:
        """A cell; a string is text (never a formula, whatever it starts with) unless ``formula``.
        ``lines``: the lines of wrapped text the row must be high enough for (LibreOffice does not
        grow a row to its wrapped text when it opens a file). ``span``: the cell is merged with the
        ``span - 1`` cells after it; wrapped (``wrap``) without ``lines``, the row is made as high as
        the text needs across the merged columns' widths (:func:`.layout.lines_needed`, at
        :meth:`flush`: set the widths first)."""
        if lines > 1:
            self.lines[row] = max(self.lines.get(row, 1), lines)
        if span > 1:
            self.spans[(row, col)] = (span, wrap and lines == 1)
        c = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str) and not formula:
            c.data_type = "s"
        c.font = Font(name=self.font, bold=bold, size=size or 11, color=color)
        if fmt:
            c.number_format = fmt
        if fill is not None:
            c.fill = fill
        if wrap or self.rtl or indent:
            c.alignment = alignment(self.rtl, wrap, indent)
        self.cells[(row, col)] = c
        return c

    def flush(self) -> None:
        if not self.cells:
            return
        from .layout import lines_needed
        for (r, c), (span, measure) in sorted(self.spans.items()):
            self.ws.merged_cells.add(f"{get_column_letter(c)}{r}:{get_column_letter(c + span - 1)}{r}")
            if measure and (r, c) in self.cells:
                cell = self.cells[(r, c)]
                width = sum(self.ws.column_dimensions[get_column_letter(k)].width or 8.43
                            for k in range(c, c + span))
                n = lines_needed(str(cell.value or ""), width, lang=self.lang, size=float(cell.font.sz or 11),
                                 bold=bool(cell.font.b))
                if n > 1:
                    self.lines[r] = max(self.lines.get(r, 1), n)
        last = max(r for r, _ in self.cells)
        width = max(c for _, c in self.cells)
        if self.rtl or self.lines:   # Persian/Arabic fonts stand taller than Latin ones; wrapped text
            line = 1.7 if self.rtl else 1.35
            heights: dict[int, float] = {}
            for (r, _), c in self.cells.items():
                if self.rtl or r in self.lines:
                    heights[r] = max(heights.get(r, 0.0), line * float(c.font.sz or 11) * self.lines.get(r, 1))
            for r, h in heights.items():
                self.ws.row_dimensions[r].height = round(h, 1)
        for r in range(1, last + 1):
            self.ws.append([self.cells.get((r, c)) for c in range(1, width + 1)])


def alignment(rtl: bool, wrap: bool = False, indent: int = 0) -> Alignment:
    """Wrapped text aligns to the top; right-to-left text reads right to left (``readingOrder=2``);
    ``indent`` keeps text off the number in the cell before it."""
    # an indent needs an explicit side: the reading start (right in a right-to-left sheet)
    side = ("right" if rtl else "left") if indent else None
    return Alignment(horizontal=side, wrap_text=wrap or None, vertical="top" if wrap else None,
                     readingOrder=2 if rtl else 0, indent=indent)


def widths(ws, widths: list[float]) -> None:
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w


def print_setup(ws, landscape: bool = True, title_rows: str | None = None, *, area: str | None = None,
                one_page: bool = False) -> None:
    """A4, landscape (or portrait), fitted to one page wide (``one_page``: and one page high, a
    dashboard), narrow margins, no grid lines; ``title_rows`` ("1:1") repeat on every page; ``area``
    ("A1:N40") is the print area."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.25
    if title_rows:
        ws.print_title_rows = title_rows
    if area:
        ws.print_area = area


def sheet_view(ws, lang: str) -> None:
    if lang in RTL:
        ws.sheet_view.rightToLeft = True



def cell_value(v: Any) -> Any:
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, KPIError):
        return v.code
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if np.isnan(f) else f
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, np.datetime64):
        return pd.Timestamp(v).to_pydatetime()
    return v


def display_headers(tb, names: Names, calendar: str, lang: str) -> list[str]:
    """Headers of the display columns :func:`write_rows` writes after the table's own columns with
    ``calendar`` (:mod:`.datecols`: each date column in the report's calendar; none in Gregorian).
    The builder appends them to the header row and to the Excel table's columns."""
    return [display_header(names.header(tb.name, key), calendar, lang) for key, _ in display_columns(tb, calendar)]


def _display(tb, df: pd.DataFrame, names: Names, values: bool, calendar: str) -> list[tuple]:
    """The display columns as :class:`.rowxml.Body` columns."""
    out = []
    for key, kind in display_columns(tb, calendar):
        if values or len(df) == 0:
            out.append((display_values(df[key] if key in df.columns else None, kind, calendar), "value", None,
                        "text"))
        else:
            out.append((None, "=" + display_formula(render(Row(tb.name, key), names), kind, calendar), None, "text"))
    return out


def write_rows(ws, tb, df: pd.DataFrame, formats: list[str], names: Names, values: bool, font: str,
                say: Callable[[str], None], *, first_row: int = 2, fast: bool = True,
                calendar: str = "gregorian") -> None:
    """The table's rows from sheet row ``first_row`` (after the header): text stays text, dates get
    their format, calculated columns a formula. Must be the last rows of the sheet.

    ``calendar`` "jalali" or "hijri" (a Persian or Arabic report): after the table's own columns, one
    display column per date column shows its dates in that calendar (:mod:`.datecols`; headers from
    :func:`display_headers`), the date cells keep their real dates. A report with values gets the
    calendar's text, a live one the built-in ``TEXT`` formula (Excel shows the calendar).

    ``fast`` (the default, in a write-only sheet): the rows are formatted a column at a time and
    spliced into the sheet's part when the workbook is saved with :func:`.saving.save`
    (:mod:`.rowxml`: the same XML openpyxl writes cell by cell, some 15 times faster); the sheet then
    takes no more rows, and saving it any other way raises. ``fast=False``: openpyxl's cells, one by
    one (the reference :mod:`.rowxml` is tested against)."""
    # the columns without the frame's attrs (a reader's per-row file rows: pandas deep-copies them
    # into every column and slice taken)
    df = pd.DataFrame(df, copy=False)
    df.attrs = {}
    extra = _display(tb, df, names, values, calendar)
    if len(df) == 0:
        ws.append([None] * len(tb.columns) + [_formula_cell(ws, e[1]) if e[0] is None else None for e in extra])
        return
    if not fast or not isinstance(ws, WriteOnlyWorksheet):
        _write_cells(ws, tb, df, formats, names, values, say, extra)
        return
    columns = []
    for j, c in enumerate(tb.columns):
        if c.formula is not None and not values:
            columns.append((None, "=" + render(c.formula, names), formats[j], c.kind))
        else:
            columns.append((df[c.key] if c.key in df.columns else None, "value", formats[j], c.kind))
    body = Body(ws, columns + extra, first_row, say, tb.name)
    setattr(ws, BODY_ATTR, body)
    close = ws.close

    def closing():
        if not saving():
            raise RuntimeError(f"sheet {ws.title!r}: its rows are written by xl_cskpi.reports.saving.save")
        close()

    def append(row):
        raise RuntimeError(f"sheet {ws.title!r}: no rows after the data rows of write_rows")

    ws.close = closing
    ws.append = append


def _formula_cell(ws, formula: str) -> WriteOnlyCell:
    return WriteOnlyCell(ws, value=formula)


def _write_cells(ws, tb, df: pd.DataFrame, formats: list[str], names: Names, values: bool,
                 say: Callable[[str], None], extra: list[tuple] = ()) -> None:
    """openpyxl's cells, one by one (``write_rows(..., fast=False)``)."""
    shown = [None if e[0] is None else e[0].to_numpy(dtype=object) for e in extra]
    keys = [c.key for c in tb.columns]
    kinds = [c.kind for c in tb.columns]
    cols = []
    for c in tb.columns:
        s = df[c.key] if c.key in df.columns else pd.Series([None] * len(df), dtype=object)
        if c.formula is not None and not values:
            cols.append(None)
            continue
        arr = s.to_numpy(dtype=object, copy=True)
        arr[pd.isna(s).to_numpy()] = None
        cols.append(arr)
    formulas = ["=" + render(c.formula, names) if c.formula is not None and not values else None
                for c in tb.columns]
    date_like = [k in ("date", "datetime", "month") for k in kinds]
    nrows = len(df)
    step = max(nrows // 20, 50_000)
    for i in range(nrows):
        row = []
        for j in range(len(keys)):
            if formulas[j] is not None:
                c = WriteOnlyCell(ws, value=formulas[j])
                c.number_format = formats[j]
                row.append(c)
                continue
            v = cols[j][i]
            if v is None:
                row.append(None)
            elif isinstance(v, str):
                if v[:1] in "=+-@":   # text from an export is never a formula
                    c = WriteOnlyCell(ws, value=v)
                    c.data_type = "s"
                    row.append(c)
                else:
                    row.append(v)
            elif date_like[j] or isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):
                c = WriteOnlyCell(ws, value=cell_value(v))
                c.number_format = formats[j]
                row.append(c)
            elif isinstance(v, KPIError):
                row.append(v.code)
            else:
                cv = cell_value(v)
                if kinds[j] in ("rate",) and isinstance(cv, float):
                    c = WriteOnlyCell(ws, value=cv)
                    c.number_format = formats[j]
                    row.append(c)
                else:
                    row.append(cv)
        for e, v in zip(extra, shown):
            row.append(_formula_cell(ws, e[1]) if v is None else v[i])
        ws.append(row)
        if i and i % step == 0:
            say(f"  {tb.name}: {i:,} / {nrows:,} rows")


def validation(c, t: Callable[..., str], header: str) -> DataValidation | None:
    """Data validation of an input column; its warning in the report's language (``valid.*``)."""
    if c.formula is not None:
        return None
    msg = dict(showErrorMessage=True, errorStyle="warning", allow_blank=True)

    def error(key: str, **fields: Any) -> str:
        return t(f"valid.{key}", column=header, **fields)

    if c.choices:
        return DataValidation(type="list", formula1='"' + ",".join(c.choices) + '"',
                              error=error("choices", choices=", ".join(c.choices)), **msg)
    if c.kind in ("count", "score"):
        lo = 0 if c.minimum is None else c.minimum
        if c.maximum is not None:
            return DataValidation(type="whole", operator="between", formula1=str(lo), formula2=str(c.maximum),
                                  error=error("whole_between", low=f"{lo:g}", high=f"{c.maximum:g}"), **msg)
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(lo),
                              error=error("whole_from", low=f"{lo:g}"), **msg)
    if c.kind in ("number", "money", "rate"):
        if c.minimum is None and c.maximum is None:
            return DataValidation(type="decimal", operator="between", formula1="-1E+300", formula2="1E+300",
                                  error=error("number"), **msg)
        if c.maximum is None:
            return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=str(c.minimum),
                                  error=error("number_from", low=f"{c.minimum:g}"), **msg)
        return DataValidation(type="decimal", operator="between", formula1=str(c.minimum or 0),
                              formula2=str(c.maximum),
                              error=error("number_between", low=f"{c.minimum or 0:g}", high=f"{c.maximum:g}"), **msg)
    if c.kind in ("date", "datetime", "month"):
        return DataValidation(type="date", operator="greaterThan", formula1="1", error=error("date"), **msg)
    return None
