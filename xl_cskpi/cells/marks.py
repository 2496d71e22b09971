"""Which mark is the decimal one: ``1.200`` is 1.2 with a decimal point, or 1,200 with a dot
between thousands (a German, Dutch, Italian, Turkish export); ``1,200`` is 1,200 or 1.2.

A text whose one mark (``.`` or ``,``) is followed by exactly three digits, after one to three
digits that do not start with 0, reads as two different numbers, one per convention: the text
alone cannot say which. :func:`column_marks` decides for an export column from the evidence a
careful analyst uses, and refuses the column when none is there (the caller passes ``--decimal``):

* **a decimal point is proved** by a value no thousands-dot writer could write: one or two digits
  after the dot (``12.5``, ``99.00``), four or more (``1.2345``), a whole part of four digits or
  more (``1200.500``), a leading zero (``0.125``), or commas between thousands before a dot
  (``1,200.500``) or twice (``1,200,000``). The column is then read with a decimal point;
* **dots between thousands are proved** by ``1.200.000`` (two dots) or ``1.200,50`` (a decimal
  comma after a dot): the decimal-point reader refuses such a cell and says to pass
  ``--decimal ,``, as for ``1,5`` (never a guess, and never read silently);
* a ``;``-delimited file (the convention where the comma is the decimal mark) is a **hint**, not
  proof: it makes every column of the file refuse an undecided ``1.200`` (and ``1,200``);
* **the kind of the column** decides the rest. Money and counts refuse an undecided ``1.200``
  whatever the delimiter: three decimals on an amount are rare (the Kuwaiti dinar and a few
  others) and a count has none, while ``1.200`` is how a comma-decimal tool writes 1,200. Other
  numbers (exchange rates ``1.085``, durations, scores, percents) keep the decimal point as before
  unless the file is ``;``-delimited: three decimals are ordinary there, and a score or percent
  read as 1,085 would break its own range check anyway. ``1,200`` stays 1,200 outside a
  ``;``-delimited file (the English convention of the exports the product reads; a ``1,5`` still
  proves otherwise and is refused).

The Arabic decimal separator (``٫``) and thousands separator (``٬``) are unambiguous: ``۱٬۲۰۰``
is 1200 and ``۱٫۲۰۰`` is 1.2 under either convention.
"""

from __future__ import annotations

import re
from typing import Any

#: Column kinds (``reports.spec.Column.kind``) that refuse an undecided ``1.200`` in any file.
STRICT_KINDS = frozenset({"money", "count"})

# A candidate: one to three digits (not starting with 0) that no digit or mark precedes, one mark,
# exactly three digits that no digit follows nor a mark-then-digit (``1.200.000``, ``1.200,5``).
# Unicode digits (\d): Persian and Arabic-Indic digits are read as digits.
_CANDIDATE = {mark: re.compile(r"(?<![\d.,])(?![0۰٠])\d{1,3}" + re.escape(mark) + r"\d{3}(?!\d|[.,]\d)")
              for mark in ".,"}
# Values only a decimal point can write (for a text the decimal-point reader accepted): see the
# module's docstring. A match in an undecided text is impossible (that text has one mark, 1-3
# digits before it, 3 after), so a match is proof.
_POINT_PROOF = re.compile(r"\.\d{1,2}(?![\d.,])|\.\d{4}|\d{4}\.\d|(?<![\d.,])[0۰٠]\.\d|,\d{3}[.,]\d")


def _readings(text: str) -> tuple[float | None, float | None]:
    from .numeric import read_number_text

    return read_number_text(text, ".")[0], read_number_text(text, ",")[0]


def undecided(text: str) -> tuple[str, float, float] | None:
    """``(mark, read with a decimal point, read with a decimal comma)`` for a text that is a number
    under both conventions with two different values (``"1.200"`` -> ``(".", 1.2, 1200.0)``,
    ``"$1,200"`` -> ``(",", 1200.0, 1.2)``); ``None`` for any other text.

    >>> undecided("1.200"), undecided("12.5"), undecided("۱٬۲۰۰"), undecided("990")
    (('.', 1.2, 1200.0), None, None, None)
    """
    if not isinstance(text, str):
        return None
    point, comma = _readings(text)
    if point is None or comma is None or point == comma:
        return None
    return ("." if abs(point) < abs(comma) else ","), point, comma


def column_marks(flat: list[Any], *, kind: str | None = None,
                 delimiter: str | None = None) -> tuple[int, str, float, float] | None:
    """The first cell of an export column that the column leaves undecided -- ``(index, mark, read
    with a decimal point, read with a decimal comma)`` -- or ``None`` when the decimal-point reading
    stands (see the module's docstring for the rules). Call it on a column every text of which the
    decimal-point reader accepted.

    >>> column_marks(["1.200", "990", "2.500"], kind="money")
    (0, '.', 1.2, 1200.0)
    >>> column_marks(["1.200", "990", "12.5"], kind="money") is None      # 12.5: a decimal point
    True
    >>> column_marks(["1.085", "1.272"], kind="number") is None           # a rate: 1.085
    True
    >>> column_marks(["1.085", "1.272"], kind="number", delimiter=";")
    (0, '.', 1.085, 1085.0)
    """
    marks = ("." if kind in STRICT_KINDS or delimiter == ";" else "") + ("," if delimiter == ";" else "")
    if not marks:
        return None
    # one text, a line per cell (an empty line for a cell that is no text): line k is cell k
    joined = "\n".join([v if type(v) is str else "" for v in flat])
    if not any(mark in joined for mark in marks):      # no mark at all (whole numbers): nothing undecided
        return None
    if _POINT_PROOF.search(joined):                     # the usual column (12.50): decided at its first cell
        return None
    found = None
    for mark in marks:
        for m in _CANDIDATE[mark].finditer(joined):
            i = joined.count("\n", 0, m.start())
            u = undecided(flat[i])
            if u is not None and u[0] == mark:
                if found is None or i < found[0]:
                    found = (i, *u)
                break
    return found


def undecided_reason(text: str, mark: str, point: float, comma: float, delimiter: str | None) -> str:
    """The end of the sentence ``column MRR: has '1.200', which ...``: both readings and what to pass."""
    hint = (" (in a ';'-separated file, the convention where the comma is the decimal mark)"
            if delimiter == ";" else "")
    p, c = _plain(point), _plain(comma)
    if mark == ".":
        return (f"could be {p} or {c}: no other value of the column shows whether the dot is a decimal point "
                f"or separates thousands{hint}; pass --decimal , if it is {c}, or --decimal . if it is {p}")
    return (f"could be {p} or {c}: no other value of the column shows whether the comma separates thousands "
            f"or is a decimal comma{hint}; pass --decimal . if it is {p}, or --decimal , if it is {c}")


def undecided_cell_reason(point: float, comma: float) -> str:
    """The same for a worksheet cell holding such text (no ``--decimal`` there): type the number."""
    p, c = _plain(point), _plain(comma)
    return (f"could be {p} or {c}: it is text, and no other cell of the range shows whether the dot is a "
            f"decimal point or separates thousands; type the number itself ({c} or {p})")


def _plain(x: float) -> str:
    """A number as a plain figure without grouping (``1200``, ``1.2``): neither convention's marks."""
    return f"{x:.15g}" if abs(x) < 1e15 else repr(x)
