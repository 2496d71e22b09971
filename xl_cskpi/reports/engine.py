"""Evaluate a generated workbook with an engine we did not write (the ``formulas`` package).

Used by the test suite. ``formulas`` does not read Excel Table structured references, so
:func:`a1_copy` first rewrites every ``Table[Column]``, ``Table[[first]:[last]]`` and
``Table[[#This Row],[Column]]`` to the A1 range it stands for (read from the workbook's own table
definitions, not from our spec). Our functions are registered with ``formulas`` before loading,
wrapped so that they receive what xlwings would pass: lists of row lists with ``None`` for blanks.

``formulas`` is a test dependency; this module imports it only when called.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["a1_copy", "register_functions", "calculate"]

_THIS_ROW = re.compile(r"([A-Za-z_][\w.]*)\[\[#This Row\],\[((?:[^\]']|'.)+)\]\]")
_ROW_BLOCK = re.compile(r"([A-Za-z_][\w.]*)\[\[#This Row\],\[((?:[^\]']|'.)+)\]:\[((?:[^\]']|'.)+)\]\]")
_BLOCK = re.compile(r"([A-Za-z_][\w.]*)\[\[((?:[^\]']|'.)+)\]:\[((?:[^\]']|'.)+)\]\]")
_COLUMN = re.compile(r"([A-Za-z_][\w.]*)\[((?:[^\[\]']|'.)+)\]")


def _unescape(h: str) -> str:
    return re.sub(r"'(.)", r"\1", h)


def a1_copy(src: str | Path, dst: str | Path) -> dict[str, str]:
    """Copy a workbook with structured references rewritten to A1 ranges; return formulas by cell."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter, quote_sheetname, range_boundaries
    from openpyxl.worksheet.formula import ArrayFormula

    wb = load_workbook(src)
    tables: dict[str, tuple[str, int, int, int, dict[str, int]]] = {}
    for ws in wb.worksheets:
        for name, tb in ((t.displayName, t) for t in ws.tables.values()):
            c0, r0, c1, r1 = range_boundaries(tb.ref)
            cols = {ws.cell(r0, c).value: c for c in range(c0, c1 + 1)}
            tables[name] = (ws.title, r0 + 1, r1, c0, cols)

    def col(table: str, header: str) -> tuple[str, int, int, int]:
        title, first, last, _, cols = tables[table]
        return quote_sheetname(title), first, last, cols[_unescape(header)]

    def rewrite(text: str, row: int) -> str:
        def this_row(m: re.Match) -> str:
            sheet, _, _, c = col(m.group(1), m.group(2))
            return f"{sheet}!${get_column_letter(c)}{row}"

        def row_block(m: re.Match) -> str:
            sheet, _, _, a = col(m.group(1), m.group(2))
            _, _, _, b = col(m.group(1), m.group(3))
            return f"{sheet}!${get_column_letter(a)}{row}:${get_column_letter(b)}{row}"

        def block(m: re.Match) -> str:
            sheet, first, last, a = col(m.group(1), m.group(2))
            _, _, _, b = col(m.group(1), m.group(3))
            return f"{sheet}!${get_column_letter(a)}${first}:${get_column_letter(b)}${last}"

        def column(m: re.Match) -> str:
            if m.group(1) not in tables:
                return m.group(0)
            sheet, first, last, c = col(m.group(1), m.group(2))
            L = get_column_letter(c)
            return f"{sheet}!${L}${first}:${L}${last}"

        text = _ROW_BLOCK.sub(row_block, text)
        return _COLUMN.sub(column, _BLOCK.sub(block, _THIS_ROW.sub(this_row, text)))

    found: dict[str, str] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, ArrayFormula):
                    cell.value = ArrayFormula(v.ref, rewrite(v.text, cell.row))
                    found[f"{ws.title}!{cell.coordinate}"] = cell.value.text
                elif cell.data_type == "f" and isinstance(v, str):
                    cell.value = rewrite(v, cell.row)
                    found[f"{ws.title}!{cell.coordinate}"] = cell.value
    wb.save(dst)
    return found


def _plain(x: Any) -> Any:
    """A ``formulas`` argument as xlwings would pass it: rows of values, None for blanks."""
    import formulas  # noqa: F401
    from formulas.tokens.operand import XlError
    from schedula.utils.cst import EMPTY  # type: ignore[import-untyped]

    v = getattr(x, "value", x)
    arr = np.asarray(v, dtype=object)

    def one(e: Any) -> Any:
        if e is EMPTY or (isinstance(e, str) and e == ""):
            return None
        if isinstance(e, XlError):
            raise ValueError(str(e))
        if isinstance(e, np.generic):
            return e.item()
        return e

    if arr.ndim == 0:
        return one(arr.item())
    rows = [[one(e) for e in r] for r in arr.reshape(arr.shape[0], -1)]
    if len(rows) == 1 and len(rows[0]) == 1:
        return rows[0][0]
    return rows


def register_functions() -> None:
    """Register every xl_cskpi function with ``formulas`` (errors become Excel error values)."""
    import formulas
    import pandas as pd
    from formulas.functions import Error

    from schedula.utils.cst import EMPTY  # type: ignore[import-untyped]

    from ..errors import KPIError
    from ..registry import catalogue

    FUNCTIONS = formulas.get_functions()
    for f in catalogue():
        def call(*args: Any, _f=f) -> Any:
            try:
                out = _f.func(*[_plain(a) for a in args])
            except KPIError as e:
                return Error.errors[e.code] if e.code in Error.errors else Error.errors["#VALUE!"]
            if isinstance(out, pd.DataFrame):
                body = out.to_numpy(dtype=object)
                # NaN cells of a table: the classic xlwings add-in returns them as "" (empty text,
                # xlwings issue #1910), which AVERAGE and COUNT skip, as the Python evaluator does
                body[pd.isna(out).to_numpy()] = ""
                return np.asarray([list(map(str, out.columns)), *body.tolist()], dtype=object)
            if isinstance(out, np.ndarray):
                col = out.astype(object).reshape(-1, 1)
                col[pd.isna(out).reshape(-1, 1)] = EMPTY
                return col
            if isinstance(out, float) and out != out:
                return EMPTY
            return out
        FUNCTIONS[f.name] = call


def calculate(path: str | Path) -> dict[str, Any]:
    """``{"Sheet!A1": value}`` for every cell, computed by ``formulas`` from the A1 copy at ``path``."""
    import formulas

    register_functions()
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate()
    out: dict[str, Any] = {}
    for key, rng in solution.items():
        m = re.match(r"'\[[^\]]+\](.+)'!([A-Z]+\d+)(?::([A-Z]+\d+))?$", key)
        if not m:
            continue
        value = np.asarray(getattr(rng, "value", rng), dtype=object)
        sheet = m.group(1)
        if m.group(3) is None:
            out[f"{sheet}!{m.group(2)}"] = value.ravel()[0] if value.size else None
    return out
