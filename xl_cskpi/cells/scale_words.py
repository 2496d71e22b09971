"""Satisfaction answers written as words: a labelled 5- or 7-point scale read as its scores 1..5 / 1..7.

Survey tools export a CSAT question's answers as the choice's label, not its position: SurveyMonkey's
standard satisfaction choices are Very satisfied / Satisfied / Neither satisfied nor dissatisfied /
Dissatisfied / Very dissatisfied (reviewer's G14, session 4 file /tmp/r4/in/surveymonkey_csat_text.csv),
and its 7-point version Extremely / Very / Somewhat satisfied, Neither ..., Somewhat / Very / Extremely
dissatisfied. Google's Business Messages survey enum names the same 5-point ladder VERY_DISSATISFIED (1),
SOMEWHAT_DISSATISFIED (2), NEITHER_SATISFIED_NOR_DISSATISFIED (3), SOMEWHAT_SATISFIED (4), VERY_SATISFIED
(5) (developers.google.com/business-communications/business-messages/reference/rest/v1/SurveyRating).

:func:`labelled_scores` reads such a column once, by one rule for the column:

* a column holding an ``Extremely ...`` label is on **seven points** (1 Extremely dissatisfied ... 7
  Extremely satisfied); a bare ``Satisfied`` / ``Dissatisfied`` there is no rung of that scale and is
  refused, naming the cell;
* otherwise **five points**: 1 Very dissatisfied, 2 Dissatisfied (or Somewhat dissatisfied), 3 Neither
  satisfied nor dissatisfied (or Neutral), 4 Satisfied (or Somewhat satisfied), 5 Very satisfied; a
  column holding both ``Satisfied`` and ``Somewhat satisfied`` (two rungs where five points have one)
  is refused;
* Persian (خیلی راضی, راضی, نه راضی نه ناراضی / متوسط / خنثی, ناراضی, خیلی ناراضی) and Arabic (راضٍ جدًا,
  راضٍ, محايد, غير راضٍ, غير راضٍ إطلاقًا) labels of the five-point ladder too, compared folded
  (:func:`~xl_cskpi.cells.textual.fold_label`: case, spaces, letter variants, harakat);
* a number written among the words must be a rung of the scale (``4``), whole and in range;
* a column with no satisfaction label at all is not a labelled scale: ``None`` (read it as numbers).

Satisfied is then the top two boxes of the scale, as ``CSAT`` counts numbers: on the reviewer's file
(Very satisfied, Dissatisfied, Satisfied, Neither, Very dissatisfied) 2 of 5 = 40 %, average 3.0.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InvalidInput
from .numeric import parse_number_text
from .shapes import _located, describe, flatten
from .textual import fold_label

#: Five points, lowest first; each rung lists its spellings (the first is the one shown).
FIVE = (
    ("Very dissatisfied", "very unsatisfied", "خیلی ناراضی", "بسیار ناراضی", "غير راض جدا", "غير راض إطلاقا",
     "غير راض على الإطلاق"),
    ("Dissatisfied", "somewhat dissatisfied", "unsatisfied", "ناراضی", "غير راض"),
    ("Neither satisfied nor dissatisfied", "neutral", "neither", "نه راضی نه ناراضی", "متوسط", "خنثی", "محايد"),
    ("Satisfied", "somewhat satisfied", "راضی", "راض"),
    ("Very satisfied", "خیلی راضی", "بسیار راضی", "راض جدا"),
)
#: Seven points, lowest first (SurveyMonkey's 7-point satisfaction choices).
SEVEN = (
    ("Extremely dissatisfied", "extremely unsatisfied"),
    ("Very dissatisfied", "very unsatisfied"),
    ("Somewhat dissatisfied",),
    ("Neither satisfied nor dissatisfied", "neutral", "neither"),
    ("Somewhat satisfied",),
    ("Very satisfied",),
    ("Extremely satisfied",),
)


def _table(ladder: tuple) -> dict[str, int]:
    return {fold_label(w): k for k, rung in enumerate(ladder, 1) for w in rung}


_FIVE, _SEVEN = _table(FIVE), _table(SEVEN)
_EXTREMELY = frozenset(fold_label(w) for w in ("Extremely satisfied", "Extremely dissatisfied",
                                               "extremely unsatisfied"))
_ALL = frozenset(_FIVE) | frozenset(_SEVEN)
_TWO_RUNGS = tuple((fold_label(a), fold_label(b)) for a, b in (("Satisfied", "Somewhat satisfied"),
                                                               ("Dissatisfied", "Somewhat dissatisfied")))


def _fold(v: str) -> str:
    # "Neither satisfied nor dissatisfied." / "Very satisfied!" / harakat and tanween (fold_label drops them)
    return fold_label(v).rstrip(".!")


def labelled_scores(values: Any, arg: str = "scores") -> tuple[np.ndarray, int, dict[str, int]] | None:
    """``(scores, top, mapping)`` of a column of satisfaction labels, or ``None`` when no cell holds one.

    ``scores`` is a float array, NaN for a blank cell; ``top`` is 5 or 7 (the scale, for ``scale_max``);
    ``mapping`` gives each label as written its score (for the caller's note: "Very satisfied = 5, ...").
    Text that is no label of the column's scale, and a number off it, raise
    :class:`~xl_cskpi.errors.InvalidInput` with ``.position`` (the 0-based cell). See the module's
    docstring for the rules.

    >>> s, top, m = labelled_scores(["Very satisfied", "Dissatisfied", "Satisfied",
    ...                              "Neither satisfied nor dissatisfied", "Very dissatisfied", None], "CSAT")
    >>> s.tolist()[:5], top, float(np.nanmean(s))
    ([5.0, 2.0, 4.0, 3.0, 1.0], 5, 3.0)
    >>> labelled_scores([4, 5, "3"], "CSAT") is None
    True
    """
    flat, cols = flatten(values)
    words = {}
    for i, v in enumerate(flat):
        if isinstance(v, str) and v.strip():
            t = _fold(v)
            if t in _ALL:
                words.setdefault(t, i)
    if not words:
        return None
    seven = bool(_EXTREMELY & words.keys())
    table, top = (_SEVEN, 7) if seven else (_FIVE, 5)
    if not seven:
        for bare, somewhat in _TWO_RUNGS:
            if bare in words and somewhat in words:
                i, j = sorted((words[bare], words[somewhat]))
                raise _located(InvalidInput(
                    f"has {describe(flat[j])} in cell {j + 1} beside {describe(flat[i])}: two rungs where a "
                    "five-point scale has one (a seven-point scale without its 'Extremely' answers?); write the "
                    "answers as numbers 1-7", argument=arg), j, flat[j])
    out = np.full(len(flat), np.nan)
    mapping: dict[str, int] = {}
    for i, v in enumerate(flat):
        if v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip()):
            continue
        if isinstance(v, str):
            t = _fold(v)
            if t in table:
                out[i] = table[t]
                mapping.setdefault(v.strip(), table[t])
                continue
            x = parse_number_text(v)
        elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            x = float(v)
        else:
            x = None
        if x is None:
            shown = ", ".join(rung[0] for rung in (SEVEN if seven else FIVE))
            why = (" (a five-point label in a seven-point column)" if seven and isinstance(v, str) and t in _FIVE
                   else "")
            raise _located(InvalidInput(f"has {describe(v)} in cell {i + 1}, which is no answer of the column's "
                                        f"{top}-point satisfaction scale{why}: {shown}", argument=arg), i, v)
        if not (1 <= x <= top and x == round(x)):
            raise _located(InvalidInput(f"has {describe(v)} in cell {i + 1}, off the column's {top}-point "
                                        f"satisfaction scale (1 to {top})", argument=arg), i, v)
        out[i] = x
    return out, top, mapping

