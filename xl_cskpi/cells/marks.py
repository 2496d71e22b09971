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

The Arabic thousands separator (``٬``, U+066C) is unambiguous: ``۱٬۲۰۰`` is 1200. The Arabic decimal
separator (``٫``, U+066B) is the decimal mark of the standard: Unicode CLDR's ``fa`` (``arabext``
digits) and ``ar`` (``arab`` digits) number symbols give decimal ``٫`` and group ``٬`` (CLDR
numbers.symbols chart; ICU's ``fa.txt`` NumberElements; glibc/FreeBSD ``fa_IR`` decimal_point ``٫``,
thousands_sep ``٬``). But many Iranian tools and typists write the momayyez ``٫`` between thousands
(``۴۹٫۰۰۰ تومان`` for 49,000 tomans): one ``٫`` followed by three digits is then as undecided as
``1.200``. :func:`arabic_decimal_role` decides a column (reviewer's G28, session 5):

* **``٫`` separates thousands** when a value has it twice in groups of three (``۱٫۲۵۰٫۰۰۰``), or when
  every ``٫`` is followed by exactly three digits and the column's amounts are in tomans or Iranian
  rials (``تومان``, ``ریال``, IRT, IRR): neither has a fractional part in use, so ``۴۹٫۰۰۰ تومان`` is
  49,000. The column is read so, and the caller gets a note to say it (an info line);
* **``٫`` is the decimal mark** (the standard) when a value proves it: one, two or four and more digits
  after it (``۱۲٫۵``), a whole part of four digits or more, a leading zero (``۰٫۱۲۵``), or a ``٬``
  between thousands before it (``۱٬۲۰۰٫۵``, CLDR's own form);
* otherwise a money or count column (``۴۹٫۰۰۰`` and nothing else) is **refused** with one line naming
  the cell: ``--decimal ,`` reads ``٫`` as the dot is read then (between thousands), ``--decimal .``
  as the decimal mark. Other kinds (rates, scores) keep the standard decimal ``٫``. A column holding
  both proofs is refused too. The generic ``ريال`` (Arabic spelling) and ``﷼`` are not taken as the
  Iranian rial: the Omani rial has three decimals (1,000 baisa).

With ``--decimal`` given, ``٫`` goes with the dot: ``.`` makes it the decimal mark, ``,`` a
thousands separator where three digits follow it (``۴۹٫۰۰۰`` is 49000; ``۱۲٫۵`` keeps its one reading).

The column readings :func:`~xl_cskpi.cells.number_column` applies before it parses live here too:
:func:`arabic_marks` (the rule above on an export column, with a note for the data check),
:func:`worksheet_arabic_marks` (the same for a worksheet range: no ``--decimal`` there, so "type the
number") and :func:`percent_points` (``85%`` in a score column is 85 points, reviewer's G17).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from .shapes import flatten

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


# --------------------------------------------------------------------------- the Arabic decimal separator

#: U+066B ARABIC DECIMAL SEPARATOR (the momayyez) and U+066C ARABIC THOUSANDS SEPARATOR.
ARABIC_DECIMAL, ARABIC_GROUP = "\u066b", "\u066c"
#: Currencies without a fractional part in use, whose amounts never carry three decimals: the
#: Iranian toman and rial (ISO 4217 lists IRR with 2 minor digits, none of which circulate).
NO_FRACTION_CURRENCIES = frozenset({"IRT", "IRR"})

_AR_DIGITS = str.maketrans({**{c: str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")},
                            **{c: str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}})
# on texts with ASCII digits (_AR_DIGITS applied), ٫ and ٬ kept
_AR_THOUSANDS_PROOF = re.compile(r"(?<![\d\u066b\u066c])[1-9]\d{0,2}(?:\u066b\d{3}){2,}(?![\d\u066b\u066c])")
_AR_DECIMAL_PROOF = re.compile(r"\u066b\d{1,2}(?!\d)|\u066b\d{4}|\d{4}\u066b|(?<![\d\u066b\u066c])0\u066b\d"
                               r"|\u066c\d{3}\u066b")
_AR_CANDIDATE = re.compile(r"(?<![\d\u066b\u066c])[1-9]\d{0,2}\u066b\d{3}(?![\d\u066b\u066c])")


def arabic_decimal_role(flat: list[Any], *, kind: str | None = None,
                        decimal: str | None = None) -> tuple[str, int | None, str]:
    """What ``٫`` (U+066B) is in a column: ``(role, index, why)`` with ``role`` one of

    * ``"none"`` -- no text of the column holds a ``٫``;
    * ``"decimal"`` -- the decimal mark (the standard, a value that proves it, or ``decimal="."``);
    * ``"thousands"`` -- a thousands separator: ``index`` is a cell that shows it and ``why`` says
      how (two marks in one value, or tomans/rials), for the caller's note;
    * ``"undecided"`` -- ``index`` is the first cell left in doubt (refuse it: see the module's
      docstring; ``why`` is empty, or names the contradiction).

    >>> arabic_decimal_role(["۴۹٫۰۰۰ تومان", "۱۲۰٫۰۰۰ تومان"], kind="money")[:2]
    ('thousands', 0)
    >>> arabic_decimal_role(["۴۹٫۰۰۰", "۹۹۰"], kind="money")[:2]
    ('undecided', 0)
    >>> arabic_decimal_role(["۴۹٫۰۰۰", "۱۲٫۵"], kind="money")[:2]
    ('decimal', None)
    >>> arabic_decimal_role(["۱٫۰۸۵"], kind="number")[:2]          # a rate: the standard decimal mark
    ('decimal', None)
    """
    texts = [(i, v.translate(_AR_DIGITS)) for i, v in enumerate(flat) if type(v) is str and ARABIC_DECIMAL in v]
    if not texts:
        return "none", None, ""
    if decimal == ".":
        return "decimal", None, ""
    if decimal == ",":
        return "thousands", texts[0][0], "--decimal ,"
    two = next((i for i, t in texts if _AR_THOUSANDS_PROOF.search(t)), None)
    point = next((i for i, t in texts if _AR_DECIMAL_PROOF.search(t)), None)
    if two is not None and point is not None:
        return "undecided", max(two, point), (f"cell {min(two, point) + 1} uses it "
                                              f"{'between thousands' if two < point else 'as the decimal mark'}")
    if two is not None:
        return "thousands", two, "٫ stands twice in it, between groups of three digits"
    if point is not None:
        return "decimal", None, ""
    cands = [i for i, t in texts if _AR_CANDIDATE.search(t)]
    if not cands:
        return "decimal", None, ""
    from .numeric import read_number_text

    money = [read_number_text(flat[i].replace(ARABIC_DECIMAL, ARABIC_GROUP))[1] for i in cands]
    if money and all(c in NO_FRACTION_CURRENCIES for c in money):
        return "thousands", cands[0], "tomans and Iranian rials have no fractional part in use"
    if kind in STRICT_KINDS:
        return "undecided", cands[0], ""
    return "decimal", None, ""


def arabic_undecided_reason(text: str, why: str = "") -> str:
    """The end of ``column MRR: has '۴۹٫۰۰۰', which ...``: both readings and what to pass."""
    from .numeric import read_number_text

    point = read_number_text(text)[0]
    group = read_number_text(text.replace(ARABIC_DECIMAL, ARABIC_GROUP))[0]
    if why:
        return (f"uses ٫ (U+066B) {'as the decimal mark' if 'between' in why else 'between thousands'}, but {why}: "
                "one column cannot use it both ways; correct the export (٬ U+066C between thousands, ٫ as "
                "the decimal mark)")
    p = _plain(point) if point is not None else "a decimal"
    g = _plain(group) if group is not None else "a whole number"
    return (f"could be {p} or {g}: no other value of the column shows whether ٫ (U+066B) is the decimal mark "
            "(the Persian/Arabic standard) or separates thousands (as many Iranian tools write amounts); "
            f"pass --decimal , if it is {g}, or --decimal . if it is {p}")


# --------------------------------------------------------------------------- column readings (cells.number_column)


def _object_texts(values: Any) -> bool:
    """Whether a column may hold text (not a numeric or logical pandas column)."""
    return not (isinstance(values, (pd.Series, pd.Index)) and getattr(values.dtype, "kind", "O") in "fiubmM")


def _joined(flat: list) -> str:
    """The text cells of a column joined in one string (a fast test for a character in any of them)."""
    try:
        return "\n".join(flat)
    except TypeError:
        return "\n".join([v for v in flat if type(v) is str])


def arabic_marks(values: Any, arg: str, decimal: str | None, kind: str | None, notes: list | None) -> Any:
    """The column with ``٫`` written as ``٬`` where the column proves it separates thousands; raises for
    a column that leaves it undecided (:func:`xl_cskpi.cells.marks.arabic_decimal_role`)."""
    from .numeric import _bad_number, read_number_text

    if not _object_texts(values):
        return values
    flat, cols = flatten(values)
    if ARABIC_DECIMAL not in _joined(flat):
        return values
    role, i, why = arabic_decimal_role(flat, kind=kind, decimal=decimal)
    if role == "undecided":
        raise _bad_number(flat[i], i, cols, arg, arabic_undecided_reason(flat[i], why))
    if role != "thousands":
        return values
    if notes is not None and decimal is None:
        example = flat[i].strip()
        value = read_number_text(example.replace(ARABIC_DECIMAL, ARABIC_GROUP))[0]
        shown = f"{value:,.0f}" if value is not None and float(value).is_integer() else f"{value}"
        notes.append({"code": "arabic_thousands", "position": i,
                      "fields": {"column": arg, "example": example, "value": shown},
                      "message": f"٫ read as a thousands separator ({example} is {shown}: {why}); pass "
                                 "--decimal . if it is the decimal mark"})
    # only where every ٫ of the text stands before a group of three digits: ۱۲٫۵ keeps its decimal mark
    # (with --decimal , it is then the only reading of that text)
    out = [v.replace(ARABIC_DECIMAL, ARABIC_GROUP) if type(v) is str and ARABIC_DECIMAL in v and _momayyez_grouped(v)
           else v for v in flat]
    return pd.Series(out, index=values.index, dtype=object) if isinstance(values, pd.Series) else out


_MOMAYYEZ_GROUP = re.compile("\u066b[0-9\u06f0-\u06f9\u0660-\u0669]{3}(?![0-9\u06f0-\u06f9\u0660-\u0669])")


def _momayyez_grouped(text: str) -> bool:
    """Whether every ``٫`` of ``text`` is followed by exactly three digits (a thousands group)."""
    return len(_MOMAYYEZ_GROUP.findall(text)) == text.count(ARABIC_DECIMAL)


def percent_points(values: Any, arg: str, notes: list | None) -> Any:
    """A score column's ``85%`` as ``85``: the percent sign dropped from its texts (see :func:`~xl_cskpi.cells.number_column`)."""
    if not _object_texts(values):
        return values
    flat, _ = flatten(values)
    joined = _joined(flat)
    if "%" not in joined and "\u066a" not in joined:
        return values
    hits = [k for k, v in enumerate(flat) if type(v) is str and v.rstrip().endswith(("%", "\u066a"))
            and not v.rstrip()[:-1].rstrip().endswith(("%", "\u066a"))]      # 85%% stays refused
    if not hits:
        return values
    out = list(flat)
    for k in hits:
        out[k] = out[k].rstrip()[:-1]
    if notes is not None:
        n = len(hits)
        example = flat[hits[0]].strip()
        notes.append({"code": "percent_points", "position": hits[0],
                      "fields": {"column": arg, "count": n, "example": example},
                      "message": f"{n:,} value{'s' if n != 1 else ''} with a percent sign ({example}) read "
                                 f"as points of the score ({example} = {example.rstrip('%٪ ')} of 100), not as a share"})
    return pd.Series(out, index=values.index, dtype=object) if isinstance(values, pd.Series) else out




def worksheet_arabic_marks(flat: list, cols: int, arg: str, kind: str | None) -> list:
    """A worksheet range's text with ``٫`` decided as for an export column (``۴۹٫۰۰۰ تومان`` is 49,000;
    an undecided money or count ``۴۹٫۰۰۰`` is refused: type the number); no ``--decimal`` here."""
    from .numeric import _bad_number, read_number_text

    if ARABIC_DECIMAL not in _joined(flat):
        return flat
    role, i, why = arabic_decimal_role(flat, kind=kind)
    if role == "undecided":
        if why:
            raise _bad_number(flat[i], i, cols, arg, arabic_undecided_reason(flat[i], why))
        point = read_number_text(flat[i])[0]
        group = read_number_text(flat[i].replace(ARABIC_DECIMAL, ARABIC_GROUP))[0]
        if point is None or group is None:
            raise _bad_number(flat[i], i, cols, arg)
        raise _bad_number(flat[i], i, cols, arg, undecided_cell_reason(point, group).replace(
            "whether the dot is a decimal point or separates thousands", "whether ٫ is the decimal mark or separates "
            "thousands"))
    if role != "thousands":
        return flat
    return [v.replace(ARABIC_DECIMAL, ARABIC_GROUP) if type(v) is str and ARABIC_DECIMAL in v and _momayyez_grouped(v)
            else v for v in flat]
