"""The recommend question's answers on every engine, as ``xl-cskpi report`` reads them.

Survey tools write some 0-10 answers as their labels (``10 - Extremely likely``, ``۰ - اصلاً``) and a
skipped question as a word (``Not answered``, ``بدون پاسخ``). The report reads them with
:func:`xl_cskpi.exports.questions.read_answers`: a label is the number it starts with, a non-answer a
blank (no response). Every engine of ``compute`` applies that same function, once per *distinct*
answer, never per row:

* pandas: the column's distinct cells (:func:`read_nps`), then the column is mapped;
* DuckDB, Spark: they read the CSV themselves, in SQL, so the distinct answers that are not plain
  numbers are fetched with their counts (a few: a 0-10 question has eleven answers and their labels;
  :data:`MAX_DISTINCT` at most), read here, and the SQL maps exactly those texts (``options
  ["_nps_answers"]``, used by :mod:`xl_cskpi.engines.sql`). The rule lives in one place; SQL only
  applies its result, as it applies the open statuses of :mod:`xl_cskpi.engines.status`.

What was read is said in notes (the same on every engine): the labels with their scores, and the
non-answers with their count. Cells that are neither (``maybe``, ``11``) are left to the number
reader and the 0-10 check, which refuse them naming the cell.

Reviewer's H1 (session 6): Hotjar's answers ``10 - Extremely likely, 9, 7, 0 - Not at all likely, 3,
8, 10 - Extremely likely`` read as 10, 9, 7, 0, 3, 8, 10: promoters 3, detractors 2 of 7, NPS +14.

>>> opts = {}
>>> read_nps(pd.Series(["10 - Extremely likely", "9", "Not answered", None]), "Recommend?", opts).tolist()
[10.0, '9', None, None]
>>> print(opts["_notes"][1])
nps_score: 1 answer of 'Recommend?' gives no score (Not answered (1)): read as blank, not counted as a response, as xl-cskpi report reads it
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .common import note

#: Distinct non-numeric answers a SQL engine fetches; a column with more is no 0-10 question's
#: (free text): nothing is mapped and the number check names a cell.
MAX_DISTINCT = 2000


def answer_map(values: list, counts: list[int], header: str, options: dict) -> dict[Any, float | None]:
    """``{cell as written: its score (a label) or None (a non-answer)}`` of the distinct cells
    ``values`` of the nps_score column ``header`` (``counts``: how many rows hold each), read by
    :func:`~xl_cskpi.exports.questions.read_answers`; the notes are added to ``options``. Plain numbers
    and unreadable cells are not in the map (the number reader reads or refuses them)."""
    from ..exports.questions import read_answers
    if not values:
        return {}
    a = read_answers(pd.Series(list(values), dtype=object))
    out: dict[Any, float | None] = {}
    labels: dict[str, int] = {}
    non: dict[str, int] = {}
    for v, x, n in zip(values, a.numbers.tolist(), counts):
        key = str(v).strip()
        if key in a.labels and x is not None:
            out[v] = float(x)
            labels[key] = int(x)
        elif key in a.non_answers:
            out[v] = None
            non[key] = non.get(key, 0) + int(n)
    if labels:
        listed = ", ".join(f"{k} = {s}" for k, s in sorted(labels.items(), key=lambda kv: (-kv[1], kv[0])))
        note(options, f"nps_score: the answers of {header!r} include labels that start with their score, read "
                      f"as that score, as xl-cskpi report reads them: {listed}")
    if non:
        total = sum(non.values())
        listed = ", ".join(f"{k} ({c:,})" for k, c in sorted(non.items(), key=lambda kv: (-kv[1], kv[0])))
        one = total == 1
        note(options, f"nps_score: {total:,} answer{'' if one else 's'} of {header!r} give{'s' if one else ''} no "
                      f"score ({listed}): read as blank, not counted as {'a response' if one else 'responses'}, "
                      f"as xl-cskpi report reads {'it' if one else 'them'}")
    return out


def read_nps(values: pd.Series, header: str, options: dict) -> pd.Series:
    """The pandas engine's nps_score column with its labels as scores and its non-answers blank
    (:func:`answer_map` of its distinct cells); other cells as they were, for the number reader."""
    if values.dtype.kind in "fiub":
        return values
    filled = values[values.map(lambda v: isinstance(v, str) and v.strip() != "")]
    if filled.empty:
        return values
    counts = filled.value_counts(sort=False)
    found = answer_map(counts.index.tolist(), counts.tolist(), header, options)
    if not found:
        return values
    return values.map(lambda v: found[v] if isinstance(v, str) and v in found else v)
