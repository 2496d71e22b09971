"""Survey questions found by their wording and values: the 0-10 recommend question (NPS, eNPS), CSAT
and CES questions on their scales, free-text comments, and why a worded question did not qualify.

Survey exports name their questions by the question's text, so :mod:`xl_cskpi.exports.mapping` finds
them here: :func:`score_columns` (0-10), :func:`scale_columns` (:data:`SCALES`), :func:`comment_columns`,
:func:`score_misfit`. :mod:`xl_cskpi.exports.profiles` re-exports every name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..cells import LATIN_DIGITS
from .headers import normalise

__all__ = ["score_columns", "ScoreColumn", "nps_wording", "employee_wording", "scale_columns", "SCALES",
           "comment_columns", "score_misfit", "scale_worded", "SATISFACTION_LABELS", "label_scores"]


# --------------------------------------------------------------------------- survey score columns

# "likely" / احتمال alone is not the recommend question: "How likely are you to renew?" is renewal intent
# (reviewer's G30); the recommend words decide, "likely" only asks how
_NPS_WORDS = re.compile("|".join((
    r"recommend", r"net_promoter", r"(^|_)nps($|_)", r"promoter",
    "توصیه", "پیشنهاد", "معرفی",                        # fa: recommend, suggest (to friends), introduce
    "تنصح", "توصی", "ترشح", "ترشیح",                   # ar: advise, recommend, nominate (after folding)
)))
# the place of work asked about is *this* one: "as an employer", "a place to work", "work here"; a
# customer of an HR product is asked to recommend it "to another employer" (reviewer's G29)
_EMPLOYEE_WORDS = re.compile("|".join((
    r"place_to_work", r"place_of_employment", r"work_here", r"work_at", r"working_(here|at|for)",
    r"as_an?_employer", r"employer_of_choice", r"(this|our|your)_workplace", r"(^|_)enps($|_)",
    r"employee_net_promoter", r"employee_nps",
    "محلکار", "جایکار", "کارفرما", "محیطکار", "کارکنان", "کاردراین", "کارکردندر",
    "مکانعمل", "بیئهالعمل", "للعمل", "جههعمل", "الموظف",
)))


_LIKELY = re.compile(r"likely|likelihood|احتمال")


def nps_wording(header: Any) -> bool:
    """The header asks how likely one is to recommend (en/fa/ar)."""
    return bool(_NPS_WORDS.search(normalise(header)))


def employee_wording(header: Any) -> bool:
    """The header asks about the place of work (an employee eNPS question)."""
    return bool(_EMPLOYEE_WORDS.search(normalise(header)))


@dataclass(frozen=True)
class ScoreColumn:
    """A column whose values read as a 0-10 scale: ``share`` of filled cells that are whole numbers
    0..10, ``filled`` cells, ``wording`` True when the header says "recommend", ``employee`` when it
    speaks of the place of work."""

    header: str
    share: float
    filled: int
    wording: bool
    employee: bool


def _whole_0_10(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        v = float(value)
    else:
        text = str(value).translate(LATIN_DIGITS).strip()
        if not re.fullmatch(r"\d{1,2}(\.0*)?", text):
            return None
        v = float(text)
    return v if v == v and v.is_integer() and 0 <= v <= 10 else None


def score_columns(df: pd.DataFrame, skip: Iterable[str] = ()) -> list[ScoreColumn]:
    """The columns of ``df`` that hold a 0-10 question, best first (wording, then share).

    A column qualifies when at least 90 % of its filled cells are whole numbers 0..10 and, unless its
    header says "recommend" (en/fa/ar), some are above 5 (a 1-5 CSAT column is not a 0-10 scale).
    Each distinct cell text is read once; a column whose first 1,000 filled cells already fail the
    90 % rule is not read further.
    """
    skip = set(skip)
    out: list[ScoreColumn] = []
    for h in df.columns:
        if h in skip or normalise(h).endswith("nps_group"):   # Qualtrics' derived 1/2/3 group of an NPS question
            continue
        filled_values = df[h].dropna()
        head = filled_values.iloc[:1000].tolist()
        if not head or sum(_whole_0_10(v) is not None for v in head) < 0.9 * len(head):
            continue        # a quick look at the first 1,000 filled cells rules most columns out
        counts = filled_values.value_counts(dropna=True)
        if counts.empty:
            continue
        filled = int(counts.sum())
        vals = np.array([_whole_0_10(v) for v in counts.index], dtype=object)
        ok = np.array([v is not None for v in vals])
        share = float(counts.to_numpy()[ok].sum()) / filled
        high = any(v is not None and v > 5 for v in vals)
        wording = nps_wording(h)
        if share >= 0.9 and (high or wording):
            out.append(ScoreColumn(str(h), share, filled, wording, employee_wording(h)))
    out.sort(key=lambda s: (not s.wording, -s.share))
    return out


_LABELLED = re.compile(r"\s*(\d{1,2})\s*[-–:=.]\s*\D.*")


def score_misfit(df: pd.DataFrame, any_header: bool = False) -> tuple[str, str]:
    """Why no column of ``df`` whose header says "recommend" is a 0-10 question: the first such column
    that is mostly numbers, the first value that disqualified it and its row (the frame's index is
    the file's row), and what to do, with that column's header; ``("", "")`` when there is no such column. ``any_header`` (a survey
    export): a column of answer labels ("10 - Extremely likely") counts whatever its header says. (Reviewer's U17: one stray
    ``11`` made the question unrecognised, and the message said only "missing nps_score".)"""
    for h in df.columns:
        if not (nps_wording(h) or any_header):
            continue
        col = df[h].dropna()
        col = col[col.astype(str).str.strip() != ""]
        if col.empty:
            continue
        ok = col.map(lambda v: _whole_0_10(v) is not None).to_numpy(dtype=bool)
        labelled = col.map(lambda v: isinstance(v, str) and _LABELLED.fullmatch(v.translate(LATIN_DIGITS))
                           is not None).to_numpy(dtype=bool)
        if (ok | labelled).mean() < 0.5 or ok.all() or (any_header and not nps_wording(h) and not labelled.any()):
            continue
        bad = np.flatnonzero(~ok)
        value, row = col.iloc[bad[0]], col.index[bad[0]]
        if labelled[bad[0]]:
            return ((f"column {str(h)!r} holds {str(value)!r} in row {row}, an answer label, not a number 0-10: export "
                    "the answers as numbers (Qualtrics: 'Use numeric values')"), str(h))
        return ((f"column {str(h)!r} holds {str(value)!r} in row {row} ({len(bad):,} of {len(col):,} answers are not "
                 "whole numbers 0-10): correct it, or map the column with --map nps_score=HEADER to read the rest "
                 "with a warning"), str(h))
    for h in df.columns:      # a 0-10 question that asks how likely, but not to recommend (G30: renewal intent)
        if not _LIKELY.search(normalise(h)) or nps_wording(h):
            continue
        col = df[h].dropna()
        if len(col) and all(_whole_0_10(v) is not None for v in col.iloc[:1000].tolist()):
            return ((f"column {str(h)!r} is a 0-10 question but does not ask how likely one is to recommend "
                     "(renewal or purchase intent is no NPS); if it is your NPS question, map it with "
                     "--map nps_score=HEADER"), str(h))
    return "", ""


# --------------------------------------------------------------------------- CSAT and CES questions

#: Survey fields besides the 0-10 question found in survey exports by wording *and* values:
#: ``{field: (lowest, highest top, wording pattern)}``. A satisfaction question is CSAT on a scale from
#: 1 to 3, 5, 7 or 10 (1-5 is the common one; 1-3 smileys, 1-7 and 1-10 exist); an effort question
#: ("how easy", Gartner's CES) is CES on 1-5 (the original CES) or 1-7. The answers must be whole
#: numbers from 1 to the top the header states ("(1-7)", "۱ تا ۷": :func:`_stated_top`), else to the
#: highest top; the report takes the scale from the header (``csat_scale``/``ces_scale``) or asks for
#: it. A header that states a 0-10 scale is no CSAT/CES (a 0-10 question is the recommend question's
#: shape). Values alone never decide (a 1-5 column could be anything); two worded columns for one
#: field decide nothing (a finding says so).
SCALES: dict[str, tuple[int, int, re.Pattern]] = {
    "csat_score": (1, 10, re.compile("|".join((
        r"satisf", r"(^|_)csat($|_)", "رضایت", "راضی", "الرضا")))),
    "ces_score": (1, 7, re.compile("|".join((
        r"(^|_)easy($|_)", r"effort", r"(^|_)ces($|_)", r"easier", "آسان", "راحت", "سهولت", "سهل", "جهد")))),
}

_ZERO_START = re.compile(r"(?<![\d.])0\s*(?:-|–|—|to|through|تا|الی|إلى|الى|حتى)\s*\d")


def _stated_top(header: Any) -> int | None:
    """The top of the scale a header states ("(1-7)": 7; :func:`xl_cskpi.reports.specs.survey_scale.scale_in_header`),
    0 when it states a scale from 0 ("0 to 10"), None when it states none."""
    text = str(header).translate(LATIN_DIGITS)
    if _ZERO_START.search(text):
        return 0
    from ..reports.specs.survey_scale import scale_in_header

    return scale_in_header(text)


def scale_worded(header: Any) -> bool:
    """The header words a satisfaction or effort question (a :data:`SCALES` field)."""
    n = normalise(header)
    return any(words.search(n) for _, _, words in SCALES.values())


def _whole(value: Any, low: int, high: int) -> bool:
    v = _whole_0_10(value)
    return v is not None and low <= v <= high


def scale_columns(df: pd.DataFrame, skip: Iterable[str] = ()) -> dict[str, list[str]]:
    """``{field: [headers]}``: columns whose header words a :data:`SCALES` question and whose filled
    cells are whole numbers on its scale (at least 90 %): from the field's lowest value to the top the
    header states, else to the field's highest top."""
    skip = set(skip)
    out: dict[str, list[str]] = {}
    for fld, (low, high, words) in SCALES.items():
        for h in df.columns:
            if h in skip or not words.search(normalise(h)):
                continue
            stated = _stated_top(h)
            if stated == 0 or (stated is not None and stated > high):
                continue
            top = stated or high
            counts = df[h].dropna().value_counts()
            if counts.empty:
                continue
            ok = sum(int(n) for v, n in counts.items() if _whole(v, low, top))
            if ok >= 0.9 * int(counts.sum()):
                out.setdefault(fld, []).append(str(h))
    return out


_COMMENT_WORDS = re.compile("|".join((
    r"reason", r"(^|_)why($|_)", r"comment", r"feedback", r"tell_us", r"improve", r"better", r"suggestion",
    "دلیل", "چرا", "نظر", "پیشنهاد_شما", "توضیح", "علت",
    "سبب", "لماذا", "تعلیق", "ملاحظات", "اقتراح",
)))


def comment_columns(df: pd.DataFrame, skip: Iterable[str] = ()) -> list[str]:
    """Free-text answer columns of a survey export: the header asks why / for a comment (en/fa/ar)
    and at most half of the filled cells are numbers."""
    skip = set(skip)
    out = []
    for h in df.columns:
        if h in skip or not _COMMENT_WORDS.search(normalise(h)):
            continue
        filled = df[h].dropna()
        filled = filled[filled.astype(str).str.strip() != ""]
        if filled.empty:
            continue
        numbers = sum(_whole_0_10(v) is not None for v in filled.iloc[:1000])
        if numbers * 2 <= min(len(filled), 1000):
            out.append(str(h))
    return out


# --------------------------------------------------------------------------- satisfaction words

#: A 5-point satisfaction question answered in words (SurveyMonkey's and Google Forms' standard choices,
#: their Persian and Arabic forms), after :func:`~xl_cskpi.exports.headers.normalise`: 1 (very
#: dissatisfied) .. 5 (very satisfied). Reviewer's G14: "Very satisfied" made CSAT "no CSAT scores given".
SATISFACTION_LABELS: dict[str, int] = {normalise(k): v for k, v in {
    "Very dissatisfied": 1, "Extremely dissatisfied": 1, "Completely dissatisfied": 1,
    "Dissatisfied": 2, "Somewhat dissatisfied": 2,
    "Neither satisfied nor dissatisfied": 3, "Neutral": 3, "Neither": 3,
    "Satisfied": 4, "Somewhat satisfied": 4,
    "Very satisfied": 5, "Extremely satisfied": 5, "Completely satisfied": 5,
    "خیلی ناراضی": 1, "بسیار ناراضی": 1, "ناراضی": 2, "متوسط": 3, "نه راضی نه ناراضی": 3, "بی‌نظر": 3,
    "راضی": 4, "خیلی راضی": 5, "بسیار راضی": 5,
    "غير راض على الإطلاق": 1, "غير راضٍ على الإطلاق": 1, "غير راض جدا": 1, "غير راضٍ جدًا": 1,
    "غير راض": 2, "غير راضٍ": 2, "محايد": 3, "راض": 4, "راضٍ": 4, "راض جدا": 5, "راضٍ جدًا": 5,
}.items()}


def label_scores(values: pd.Series) -> np.ndarray | None:
    """A column of satisfaction words (:data:`SATISFACTION_LABELS`) as 1..5 (blank cells None), or None
    when one filled cell is no such word or fewer than two distinct words appear."""
    filled = values.dropna()
    filled = filled[filled.astype(str).str.strip() != ""]
    if filled.empty:
        return None
    words = {v: SATISFACTION_LABELS.get(normalise(v)) for v in filled.unique()}
    if any(n is None for n in words.values()) or len(words) < 2:
        return None
    return np.array([None if v is None or (isinstance(v, str) and not v.strip()) or v != v
                     else float(words[v]) for v in values.tolist()], dtype=object)

