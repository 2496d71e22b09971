"""Numbers on every engine as ``xl-cskpi report`` reads them: the CSV's delimiter, the decimal mark.

``1.200`` is 1.2 with a decimal point, or 1,200 with a dot between thousands (a German ``;`` CSV).
The report decides a column's marks by :func:`xl_cskpi.cells.marks.column_marks` (a value such as
``12.5`` proves a decimal point) and refuses an undecided ``1.200`` with one line naming the cell and
the ``--decimal`` to pass. Every engine of ``compute`` follows the same rules:

* the **delimiter** of a CSV file is found by the report's reader (:func:`xl_cskpi.exports.read.read_file`
  on the file's first 64 KiB, the part its rule looks at), and every engine reads the file with it; a
  ``;`` file is the hint that makes every number column refuse an undecided ``1.200``;
* the **kind** of a column is the report's (MRR is money: an undecided ``1.200`` is refused in any
  file; durations and scores only in a ``;`` file);
* ``decimal`` (``--decimal``): ``"."`` reads a decimal point, ``","`` a decimal comma (``1.200,50``),
  no check; not given, the column is checked.

The pandas engine reads the column with :func:`xl_cskpi.cells.number_column`, the report's function.
The SQL engines read plain numbers (``1234.5``, ``-3``, ``1e3``, ``1,200.50``; with ``decimal=","``:
``1.234,5``), count per column the cells that are undecided, and for a column with some, ask whether
one cell proves a decimal point, by patterns that are :mod:`xl_cskpi.cells.marks`' rules on one such
cell; the refusal's sentence is :func:`xl_cskpi.cells.marks.undecided_reason`'s.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import numpy as np
import pandas as pd

from . import EngineError

#: The first bytes of a CSV its delimiter is decided on (exports.read looks at the first 64 KiB).
SNIFF_BYTES = 65536

#: A plain number as the SQL engines read it (after TRIM and Persian/Arabic digits made Latin): no
#: ``inf``/``nan``, no ``1_200`` (DuckDB would take them), no thousands separators.
PLAIN = "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$"
#: With commas between thousands (``1,200.50``, ``1,200,000``): read without the commas, as the report does.
GROUPED = "^[+-]?[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?$"
#: With a decimal comma (``decimal=","``): ``1.234,5``, ``99,00``, ``1200``.
COMMA = "^[+-]?([0-9]{1,3}([.][0-9]{3})+|[0-9]+)(,[0-9]+)?$"
def maybe_undecided(raw: str, marks: str) -> str:
    """A cheap test before the undecided pattern: the raw text ends in the mark and three characters."""
    return "(" + " OR ".join(f"TRIM({raw}) LIKE '%{m}___'" for m in marks) + ")"


#: cells.marks' undecided text, as a plain number: 1-3 digits (no leading 0), the mark, three digits
#: (the comma only in a ';' file, as column_marks looks for it only there).
UNDECIDED = {".": "^[+-]?[1-9][0-9]{0,2}[.][0-9]{3}$", ".,": "^[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}$"}
#: cells.marks._POINT_PROOF on one number the SQL engines read: one or two digits after the dot, four
#: or more, four digits or more before it, a leading zero (``0.125``), commas between thousands
#: before a dot or twice (``1,200.50``, ``1,200,000``).
PROOF = ("[.][0-9]{1,2}([^0-9.,]|$)|[.][0-9]{4}|[0-9]{4}[.][0-9]|(^|[^0-9.,])0[.][0-9]|,[0-9]{3}[.,][0-9]")

#: The kind of each number field in the report's tables (cells.marks.STRICT_KINDS: money refuses an
#: undecided 1.200 in any file); the rest (durations, scores) only in a ';' file.
KINDS = {"mrr": "money", "nps_score": "score", "csat_score": "score", "ces_score": "score"}


def check_decimal(decimal: Any) -> str | None:
    if decimal is None or decimal in (".", ","):
        return decimal
    raise EngineError(f"is {decimal!r}; use '.' (a decimal point: 1,200.50) or ',' (a decimal comma: 1.200,50)",
                      argument="decimal")


def delimiter(path: str) -> str:
    """The delimiter ``xl-cskpi report`` reads the CSV file ``path`` with (``,`` ``;`` tab ``|``)."""
    from ..exports.check import ExportError
    from ..exports.read import read_file
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES + 1)
    if len(head) > SNIFF_BYTES:   # whole lines only, as the report's rule takes them
        head = head[:SNIFF_BYTES]
        head = head[: head.rfind(b"\n") + 1] or head
    fd, tmp = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(head)
        return str(read_file(tmp).attrs.get("delimiter") or ",")
    except ExportError:       # a header alone, a binary file: the engine's reader says what is wrong
        return ","
    finally:
        os.unlink(tmp)


def sep_line(path: str) -> bool:
    """Whether a CSV file starts with Excel's ``sep=;`` line (the delimiter, written above the header)."""
    import re
    with open(path, "rb") as fh:
        first = fh.readline(64)
    text = first.decode("utf-8-sig", errors="replace").strip()
    return re.fullmatch(r"(?i)sep=.", text) is not None


def files_delimiter(files: list[str], options: dict) -> str:
    """The one delimiter of a source's CSV files (each found as the report finds it), kept in
    ``options["_delimiter"]`` for the number rules; files that differ are refused."""
    found = {f: delimiter(f) for f in files}
    kinds = sorted(set(found.values()))
    if len(kinds) > 1:
        a, b = (next(f for f, d in found.items() if d == k) for k in kinds[:2])
        raise EngineError(f"mixes CSV files separated by {kinds[0]!r} ({a}) and by {kinds[1]!r} ({b}); "
                          "give files of one kind", argument="data")
    options["_delimiter"] = kinds[0]
    return kinds[0]


def read_column(values: pd.Series, name: str, header: str, options: dict) -> pd.Series:
    """A number column as the report reads it (:func:`xl_cskpi.cells.number_column`: the decimal mark
    given or decided, the kind's and the delimiter's rules), as floats; errors name the data's row."""
    import re

    from ..cells import number_column
    from ..errors import KPIError
    if values.dtype.kind in "fiub":
        return values
    try:
        x = number_column(values, header, decimal=options.get("decimal"), kind=KINDS.get(name),
                          delimiter=options.get("_delimiter"))
    except KPIError as e:
        reason = re.sub(r"\bcell (\d+)\b", r"row \1 of the data", e.reason)
        raise EngineError(f"column {header!r} ({name}) {reason}", argument="data") from None
    return pd.Series(np.asarray(x, dtype=float), index=values.index)


def sql_number(text: str, decimal: str | None) -> str:
    """SQL of a text number (``text`` already TRIMmed, digits Latin) as DOUBLE; NULL when unreadable."""
    if decimal == ",":
        return (f"CASE WHEN REGEXP_MATCHES({text}, '{COMMA}') THEN "
                f"TRY_CAST(REPLACE(REPLACE({text}, '.', ''), ',', '.') AS DOUBLE) END")
    # the engines' own cast; what it takes beyond a plain number (nan, inf, 1_200; Spark's 1.5d) is
    # refused by the checks (plain_sql), once, not on every read of the view
    return (f"COALESCE(TRY_CAST({text} AS DOUBLE), CASE WHEN INSTR({text}, ',') > 0 AND "
            f"REGEXP_MATCHES({text}, '{GROUPED}') THEN TRY_CAST(REPLACE({text}, ',', '') AS DOUBLE) END)")


def plain_sql(value: str, raw: str) -> str:
    """SQL true when a read number ``value`` (from the raw text ``raw``) is finite and its text was no
    ``1_200`` nor Spark's ``1.5d``: what the casts take beyond a plain number (cheap tests, no pattern;
    ``value`` named once, as each mention of a view's column computes it again)."""
    return (f"(COALESCE(ABS({value}) <= 1.7976931348623157e308, FALSE) AND INSTR({raw}, '_') = 0 "
            f"AND RIGHT(TRIM({raw}), 1) NOT IN ('d', 'D', 'f', 'F'))")


def undecided_marks(name: str, options: dict) -> str | None:
    """The marks (``"."`` or ``".,"``, keys of :data:`UNDECIDED`) whose undecided cells the SQL engines
    count in field ``name`` (a text column): cells.marks.column_marks' marks; None: not checked."""
    if options.get("decimal") is not None:
        return None
    if options.get("_delimiter") == ";":
        return ".,"
    return "." if KINDS.get(name) == "money" else None


def refusal(header: str, name: str, n: int, example: str, delim: str | None) -> EngineError:
    """The report's sentence for an undecided column (cells.marks.undecided_reason), for the SQL engines."""
    from ..cells.marks import undecided, undecided_reason
    u = undecided(example)
    mark, point, comma = u if u is not None else (".", float("nan"), float("nan"))
    more = f" (and {n - 1:,} more like it)" if n > 1 else ""
    return EngineError(f"column {header!r} ({name}) has {example!r}{more}, which "
                       f"{undecided_reason(example, mark, point, comma, delim)}", argument="data")
