"""Several exports of one table combined into one: a folder of monthly exports (May and June tickets).

A team exports its helpdesk every month and gives the folder (``--data exports/``): each file is one
month of the same table. Reading one and skipping the others would make the report cover one month
while saying nothing on the dashboard (reviewer's U5), so the files are combined, rows appended in
file order, when they are the same export:

* the same profile (both Zendesk, both generic headers), and
* the same fields mapped (``ticket_id``, ``opened_at``, ... read from both); the headers may be
  spelled differently (``Created`` in one, ``Created at`` in the other), each file's own header
  feeds the field.

A ticket (or complaint) that a later file holds again -- open at the end of June in June's export,
solved in July's -- is one ticket: the later file's row is kept (:func:`keep_newest`, ``newest_row``
info); files of a snapshot table that share a key are refused (:func:`check_snapshots`).

Two files that fit one table in another way (a Zendesk export and a Freshdesk export, or one file
with a priority column and one without) are refused, naming both: which one the user meant, or how
their columns line up, is not ours to guess.

Rows keep the file and the row they came from. The combined frame's index is a *row label*:
``(k + 1) * ROW_BASE + row`` for the ``row``-th row of the k-th file (``ROW_BASE`` is above Excel's
1,048,576 rows, so a label is never a real row). :class:`~xl_cskpi.exports.check.DataCheck` turns
the labels in its findings back into the file and row (:func:`locate`, :meth:`DataCheck.relocate`),
so "row 20,000,007" reads "june.csv, row 7".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd

from .archive import EXCEL_ROWS
from .check import ExportError

__all__ = ["ROW_BASE", "Combined", "combine", "locate", "locate_column", "FileRow", "relocate_text", "keep_newest",
           "check_snapshots"]

#: Row labels of combined files start here (10 million: above Excel's 1,048,576 rows).
ROW_BASE = 10_000_000


@dataclass(frozen=True)
class Combined:
    """Files combined into one table: ``key`` is the first file's path as the pipeline names the table's
    source (``str(Assignment.path)``), ``files`` every file in order (the first included)."""

    key: str
    files: tuple[str, ...]
    table: str | None = None
    #: per file, in order, ``{the first file's header: this file's header}`` for the mapped columns whose
    #: headers differ (``{}`` for the first file): a finding about a row of a later file names its column
    #: as that file writes it (:meth:`header`)
    headers: tuple[dict, ...] = ()

    def header(self, label: int, column: str | None) -> str | None:
        """The header ``column`` (the combined frame's, i.e. the first file's) as the file of row label
        ``label`` writes it."""
        if column is None:
            return None
        k = int(label) // ROW_BASE
        if 1 <= k <= len(self.headers):
            return self.headers[k - 1].get(column, column)
        return column

    def locate(self, label: int) -> tuple[str, int] | None:
        """``(file, row)`` of a row label, or None when ``label`` is no label of these files."""
        k, row = divmod(int(label), ROW_BASE)
        if 1 <= k <= len(self.files) and 0 < row <= EXCEL_ROWS:
            return self.files[k - 1], row
        return None


class FileRow(int):
    """A row number that says its file when printed: ``f"{r:,}"`` -> ``"7 (june.csv)"``; arithmetic
    and comparisons are the row's. Used in the ``fields`` of a finding about a combined table, whose
    translated sentence prints ``{row}``/``{rows}`` as it is given."""

    file: str

    def __new__(cls, row: int, file: str) -> "FileRow":
        r = super().__new__(cls, row)
        r.file = file
        return r

    def __format__(self, spec: str) -> str:
        return f"{int(self).__format__(spec)} ({Path(self.file).name})"

    def __str__(self) -> str:
        return self.__format__("")

    __repr__ = __str__


def locate(combined: Sequence[Combined], file: str | None, row: int | None) -> tuple[str | None, int | None]:
    """The file and row a finding's ``(file, row)`` means: a row label of a combined table becomes the
    file it came from and its row there; anything else is returned as it is."""
    if row is None or file is None:
        return file, row
    for c in combined:
        if c.key == file:
            hit = c.locate(row)
            if hit is not None:
                return hit
    return file, row


def locate_column(combined: Sequence[Combined], file: str | None, row: int | None, column: str | None) -> str | None:
    """The header a finding's ``column`` has in the file its row label comes from (:meth:`Combined.header`):
    the column of a row of the second of two combined files is that file's own header."""
    if row is None or file is None or column is None:
        return column
    for c in combined:
        if c.key == file and c.locate(row) is not None:
            return c.header(row, column)
    return column


_NUMBER = re.compile(r"(?<![\d,.])(?:\d{1,3}(?:,\d{3})+|\d{8,})(?!\d|,\d)")


def relocate_text(text: str, combined: Sequence[Combined], table: str | None = None) -> str:
    """``text`` with every row label of a combined table written as its row and file: ``"may.csv: row
    20,000,007, column X"`` -> ``"june.csv: row 7, column X"`` (a line that starts by naming the
    combined table's key and a row; its column said as june.csv writes it, :attr:`Combined.headers`),
    and elsewhere ``"rows 10000005 and 20000007"`` -> ``"rows 5
    (may.csv) and 7 (june.csv)"``."""
    combined = [c for c in combined if table is None or c.table in (None, table)]
    for c in combined:
        renamed = sorted({h for m in c.headers for h in m}, key=len, reverse=True)
        column = "(, column (" + "|".join(map(re.escape, renamed)) + "))?" if renamed else "()()"
        prefix = re.compile(re.escape(c.key) + r": row (\d{1,3}(?:,\d{3})+(?!\d)|\d+)" + column)

        def lead(m: re.Match) -> str:
            label = int(m.group(1).replace(",", ""))
            hit = c.locate(label)
            if not hit:
                return m.group(0)
            said = f", column {c.header(label, m.group(3))}" if m.group(2) else ""
            return f"{hit[0]}: row {hit[1]}{said}"

        text = prefix.sub(lead, text)

    def one(m: re.Match) -> str:
        n = int(m.group(0).replace(",", ""))
        if n < ROW_BASE:
            return m.group(0)
        for c in combined:
            hit = c.locate(n)
            if hit is not None:
                return f"{hit[1]} ({Path(hit[0]).name})"
        return m.group(0)

    return _NUMBER.sub(one, text)


def relocate_value(value, combined: Sequence[Combined], file: str | None):
    """A finding's field with row labels as :class:`FileRow` (lists and tuples item by item)."""
    if isinstance(value, bool) or file is None:
        return value
    if isinstance(value, int) and value >= ROW_BASE:
        f, r = locate(combined, file, value)
        return FileRow(r, f) if f != file or r != value else value
    if isinstance(value, (list, tuple)):
        return type(value)(relocate_value(v, combined, file) for v in value)
    if isinstance(value, str) and combined:
        return relocate_text(value, combined)
    return value


#: Tables whose rows are a snapshot of things (a subscription, a customer, a month's counts): the same
#: key in two files is two snapshots of one thing, and appending them would count it twice (an MRR
#: doubled). ``{table: (key fields, ...)}``: the first tuple whose fields the files map is the key.
#: Tickets and complaints repeated across files are the data check's ``id_repeated`` warning; survey
#: answers have no key.
SNAPSHOT_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "Billing": (("subscription_id",), ("customer_id", "start")),
    "Subscriptions": (("customer_id", "month"),),
    "Accounts": (("customer_id",),),
    "Customers": (("customer_id",),),
    "Health": (("customer_id",),),
    "Months": (("month",),),
    "Finance": (("month",),),
    "Campaigns": (("campaign",),),
    "Rates": (("date", "currency"),),
}


def _keys(df: pd.DataFrame, cols: dict[str, str], fields: tuple[str, ...]) -> pd.Series:
    parts = [df[cols[f]].map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v).strip())
             for f in fields]
    out = parts[0]
    for p in parts[1:]:
        out = out + "\x1f" + p
    return out[out.str.replace("\x1f", "", regex=False) != ""]


#: What to do with two sheets of one workbook that are not one export (or hold the same rows): ``--data``
#: has no option to choose a sheet (``read_file``'s ``sheet=`` is the library's), so the data sheet is
#: saved on its own (reviewer's L5 and mrr_pivot2.xlsx).
SHEET_ALONE = ("give the data sheet alone: --data reads every sheet of a workbook and has no option to choose "
               "one, so save the data sheet as a file of its own (a workbook or a CSV) and give that file")


def check_snapshots(frames: Sequence[tuple[Path, pd.DataFrame, dict[str, str]]], table: str,
                    invoices: bool = False) -> None:
    """Refuse files of a snapshot table (:data:`SNAPSHOT_KEYS`) that hold the same key: two snapshots
    of one export (June's and July's subscription export both list sub_1) are not two months of
    rows. ``invoices``: the billing export has a row per invoice or transaction (Paddle
    transactions), where a subscription id repeats by design: not checked."""
    if invoices or table not in SNAPSHOT_KEYS:
        return
    fields = next((k for k in SNAPSHOT_KEYS[table] if all(f in cols for _, _, cols in frames for f in k)), None)
    if fields is None:
        return
    seen: dict[str, Path] = {}
    books: dict[Path, str | None] = {}
    for path, df, cols in frames:
        keys = set(_keys(df, cols, fields))
        for k in keys:
            if k in seen:
                shown = " / ".join(x for x in k.split("\x1f") if x)
                book = df.attrs.get("workbook")
                if book and book == books.get(seen[k]):     # two sheets of one workbook: a copy, a pivot
                    raise ExportError(f"{seen[k]} and {path} both hold {table} rows for {' and '.join(fields)} "
                                      f"{shown!r}: two sheets of one workbook with the same rows (a copy or a "
                                      f"pivot of the data?), not two periods of rows; {SHEET_ALONE}")
                raise ExportError(f"{seen[k]} and {path} both hold {table} rows for {' and '.join(fields)} {shown!r}: "
                                  "two snapshots of one export, not two periods of rows (appended, each would be "
                                  "counted twice); give the newest file alone, or remove the repeated rows")
        for k in keys:
            seen[k] = path
        books[path] = df.attrs.get("workbook")


#: Tables of one row per thing that a later export shows again with its newest state: a ticket open
#: at the end of June is in June's export (open) and in July's (solved). ``{table: id field}``.
NEWEST_ROW = {"Tickets": "ticket_id", "ComplaintLog": "complaint_id"}


def keep_newest(combined: pd.DataFrame, table: str, cols: dict[str, str]) -> tuple[pd.DataFrame, dict | None]:
    """``combined`` without the rows of an id that a *later* file holds again (the later file's row is
    the newer state of the same ticket: reviewer's G16, a ticket open across a month end counted twice),
    and what was dropped: ``{"count", "first", "rows"}`` (the first id, its dropped row label and kept
    row label), or None. Ids repeated within one file are left to the data check's ``id_repeated``."""
    fld = NEWEST_ROW.get(table)
    if fld is None or cols.get(fld) not in combined.columns:
        return combined, None
    ids = combined[cols[fld]].map(lambda v: None if v is None or (isinstance(v, float) and v != v)
                                  else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()))
    part = pd.Series(combined.index // ROW_BASE, index=combined.index)
    filled = ids.notna() & (ids != "")
    last = part.where(filled).groupby(ids.where(filled)).transform("max")
    drop = filled & (part < last)
    if not drop.any():
        return combined, None
    first = ids[drop].iloc[0]
    kept = combined.index[(ids == first) & (part == last)][0]
    info = {"count": int(ids[drop].nunique()), "rows": int(drop.sum()), "first": str(first),
            "dropped": int(combined.index[drop][0]), "kept": int(kept)}
    return combined[~drop.to_numpy()], info


def combine(frames: Sequence[tuple[Path, pd.DataFrame, dict[str, str]]], table: str) -> pd.DataFrame:
    """One frame of several files' rows, in order: the first file's columns; each later file's mapped
    headers renamed to the first file's (``{field: header}`` of each file), its other columns of the
    same name kept, the rest blank. The index is the row labels (module docstring).

    Raises :class:`ExportError` when the files' numbers may be written differently: one is
    semicolon-separated (the decimal-comma convention) and another is not."""
    first_path, first, first_cols = frames[0]
    hints = {df.attrs.get("delimiter") for _, df, _ in frames}
    if ";" in hints and len(hints) > 1:
        semi = next(p for p, df, _ in frames if df.attrs.get("delimiter") == ";")
        other = next(p for p, df, _ in frames if df.attrs.get("delimiter") != ";")
        raise ExportError(f"{semi} and {other} both hold table {table}, but {semi} is separated by semicolons "
                          f"(its numbers may use a decimal comma) and {other} is not: export both the same way, "
                          "or give one of them")
    by_header = {h: fld for fld, h in first_cols.items()}
    parts = []
    for k, (path, df, cols) in enumerate(frames):
        data = {}
        for h in first.columns:
            fld = by_header.get(h)
            src = cols.get(fld) if fld is not None else (h if h in df.columns else None)
            data[h] = df[src].to_numpy(dtype=object) if src is not None and src in df.columns else None
        part = pd.DataFrame(data, columns=list(first.columns), index=[(k + 1) * ROW_BASE + int(r) for r in df.index])
        parts.append(part.astype(object))
    out = pd.concat(parts, axis=0)
    out.attrs = dict(first.attrs)
    out.attrs["files"] = [str(p) for p, _, _ in frames]
    return out
