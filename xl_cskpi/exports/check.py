"""What every reader of exports shares: the error that stops a run, the findings that do not.

* :class:`ExportError` -- an export that cannot be used as it is. The command line prints its
  message as one line and exits with status 2; the message says what to pass or fix.
* :class:`Finding` -- one line of the data check: something the user should know about a file, a
  row, a column or a KPI (a value out of range, an ignored column, a control character removed,
  a KPI that is an error and why). Nothing is dropped silently: each is a finding.
* :class:`DataCheck` -- the findings of one run, printed after ``report`` writes and written as the
  "Data check" sheet. ``--strict`` turns any warning into exit 2 with nothing written.
* :class:`ReadOptions` -- the reading rules the user chose (date order, decimal comma, calendar,
  header mapping, status mapping), passed down unchanged to every reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

__all__ = ["ExportError", "Finding", "DataCheck", "ReadOptions", "LEVELS"]


class ExportError(Exception):
    """An export that cannot be used as it is; the message says what to fix (exit status 2)."""


#: ``info``: facts (rows read, columns ignored); ``warning``: a value or KPI the user should look
#: at (counts for ``--strict``); ``error``: a KPI that could not be computed, with its reason.
LEVELS = ("info", "warning", "error")


@dataclass(frozen=True)
class Finding:
    """One line of the data check.

    ``code`` is a stable key (``rows_read``, ``column_ignored``, ``out_of_range``, ``duplicate_rows``,
    ``control_characters``, ``status_unmapped``, ``kpi_error``, ``table_absent``, ...) used by the
    translations and the tests; ``message`` is the English sentence; ``fields`` hold the values the
    translated sentence needs (``t(f"check.{code}", **fields)``).
    ``file`` is the export's path as given, ``row`` the row number in the file (the header is row 1),
    ``column`` the header as written in the file; any of them may be None.
    """

    level: str
    code: str
    message: str
    file: str | None = None
    table: str | None = None
    row: int | None = None
    column: str | None = None
    fields: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"finding level {self.level!r}: use one of {', '.join(LEVELS)}")

    def where(self) -> str:
        """``"tickets.csv, row 7, column solved_at"`` (the parts that are known)."""
        parts = [self.file or "", f"row {self.row}" if self.row is not None else "",
                 f"column {self.column}" if self.column else ""]
        return ", ".join(p for p in parts if p)

    def line(self) -> str:
        """One line for the terminal: ``warning  tickets.csv, row 7: resolved before opened``."""
        where = self.where()
        return f"{self.level:<8} {where + ': ' if where else ''}{self.message}"


class DataCheck:
    """The findings of one ``report`` run, in the order they were found (many of one kind are
    summarised by the reader that found them: "3,214 rows out of range, first at row 7")."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        #: Files combined into one table (:mod:`xl_cskpi.exports.combine`): a finding about a row of
        #: such a table is said with the file and row the row came from (:meth:`relocate`).
        self.combined: list = []

    def relocate(self, f: Finding) -> Finding:
        """``f`` with the row labels of combined files turned back into their file and row (its
        ``file``/``row``, the numbers of its message and fields); ``f`` itself when none is combined."""
        if not self.combined or (f.file is None and f.table is None):
            return f
        from .combine import locate, locate_column, relocate_text, relocate_value

        if f.file is None:   # a finding about a table (a repeated id): the rows it names are the table's
            hit = [c for c in self.combined if c.table == f.table]
            if not hit:
                return f
            message = relocate_text(f.message, hit)
            fields = {k: relocate_text(v, hit) if isinstance(v, str) else v for k, v in f.fields.items()}
            return f if message == f.message and fields == f.fields else \
                Finding(f.level, f.code, message, table=f.table, row=f.row, column=f.column, fields=fields)
        file, row = locate(self.combined, f.file, f.row)
        column = locate_column(self.combined, f.file, f.row, f.column)    # the header of the row's own file
        message = relocate_text(f.message, self.combined)
        fields = {k: relocate_value(v, self.combined, f.file) for k, v in f.fields.items()}
        if column != f.column and fields.get("column") == f.column:
            fields["column"] = column
        if (file, row, column, message) == (f.file, f.row, f.column, f.message) and fields == f.fields:
            return f
        return Finding(f.level, f.code, message, file=file, table=f.table, row=row, column=column, fields=fields)

    def relocated(self, e: "ExportError") -> "ExportError":
        """An :class:`ExportError` about a row of combined files, its row labels said as file and row."""
        if not self.combined:
            return e
        from .combine import relocate_text

        text = relocate_text(str(e), self.combined)
        return e if text == str(e) else ExportError(text)

    def add(self, level: str, code: str, message: str, **where) -> Finding:
        f = self.relocate(Finding(level, code, message, **where))
        self.findings.append(f)
        return f

    def info(self, code: str, message: str, **where) -> Finding:
        return self.add("info", code, message, **where)

    def warn(self, code: str, message: str, **where) -> Finding:
        return self.add("warning", code, message, **where)

    def error(self, code: str, message: str, **where) -> Finding:
        return self.add("error", code, message, **where)

    def extend(self, findings: Iterable[Finding]) -> None:
        for f in findings:
            g = self.relocate(f)
            if g is f or g not in self.findings:   # a relocated finding once (the demo builds twice)
                self.findings.append(g)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def warnings(self) -> list[Finding]:
        """Findings that ``--strict`` refuses: warnings and errors."""
        return [f for f in self.findings if f.level != "info"]

    def lines(self) -> list[str]:
        return [f.line() for f in self.findings]


@dataclass
class ReadOptions:
    """How to read exports; the command line fills it from ``--date-order``, ``--decimal``,
    ``--calendar``, ``--map``/``--map-file``; the defaults read what most exports write.

    * ``lang`` -- the report's language (headers in en/fa/ar match in every language).
    * ``date_order`` -- ``"dmy"``, ``"mdy"``, ``"ymd"`` or None (decided per column from its values;
      an ambiguous column is an :class:`ExportError` asking for ``--date-order``).
    * ``decimal`` -- ``"."`` or ``","`` (``99,00`` and ``99.000,00`` in decimal-comma exports), or None
      (not given): a decimal point, and a column whose ``1.200`` could be 1.2 or 1,200 is refused
      (:mod:`xl_cskpi.cells.marks`).
    * ``calendar`` -- ``"gregorian"``, ``"jalali"``, ``"hijri"`` or None (the report language's:
      Jalali for fa, Hijri for ar) for year-first local dates and month labels (``1403-04``).
    * ``columns`` -- ``{field: header}`` from ``--map FIELD=HEADER``; ``field`` is ``column`` or
      ``Table.column`` (``nps_score``, ``Tickets.resolved_at``).
    * ``statuses`` -- ``{value: canonical}`` from ``--map status.VALUE=canonical``.
    * ``profile`` -- a profile name to force (``stripe``, ``zendesk``, ...) or None to detect.
    * ``strict`` -- any warning is exit 2, nothing written.
    * ``timezone`` -- ``--timezone``: the IANA zone on whose clock times with a UTC offset
      (``...Z``, ``-08:00``) are read, or None (the report's schedule zone, else as written when the
      export has one offset, else UTC: :mod:`xl_cskpi.exports.zones`).
    * ``schedule`` -- the report's ``work_schedule`` setting as the template holds it (None: the
      language's preset), whose zone is the default for ``timezone``.
    """

    lang: str = "en"
    date_order: str | None = None
    decimal: str | None = None
    calendar: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    profile: str | None = None
    strict: bool = False
    timezone: str | None = None
    schedule: str | None = None
