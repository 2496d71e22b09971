"""Survey questions found by their wording and values: the 0-10 recommend question (NPS, eNPS), CSAT
and CES questions on their scales, free-text comments, and why a worded question did not qualify.

Survey exports name their questions by the question's text, so :mod:`xl_cskpi.exports.mapping` finds
them here: :func:`score_columns` (0-10), :func:`scale_columns` (:data:`SCALES`), :func:`comment_columns`,
:func:`score_misfit`; the answers of a recommend question written as labels or left unanswered,
:func:`read_answers` (reviewer's H1, session 6). :mod:`xl_cskpi.exports.profiles` re-exports the first names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..cells import LATIN_DIGITS
from ..cells.textual import fold_label
from .headers import normalise

__all__ = ["score_columns", "ScoreColumn", "nps_wording", "employee_wording", "scale_columns", "SCALES",
           "comment_columns", "score_misfit", "scale_worded", "SATISFACTION_LABELS", "label_scores",
           "NON_ANSWERS", "Answers", "read_answers", "read_score_column", "asks_recommend", "counter_column",
           "not_a_score_header", "score_header"]


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
    A column whose header does not word the question qualifies by its values only when it is no row
    counter (:func:`counter_column`: 1, 2, 3 ... in the file's order, a response number or id) and its
    header names no id, number, count, tenure, years, age or seats (:func:`not_a_score_header`):
    reviewer's H1, a Hotjar ``Number`` 1..7 and a ``Tenure (years)`` 0..10 were read as the NPS.
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
        wording, employee = nps_wording(h), employee_wording(h)
        if not (wording or employee) and (not_a_score_header(h) or counter_column(df[h])):
            continue
        if share >= 0.9 and (high or wording):
            out.append(ScoreColumn(str(h), share, filled, wording, employee))
    out.sort(key=lambda s: (not s.wording, -s.share))
    return out


# a header that names what a number counts, not an answer: ids and row numbers, counts, durations and ages,
# seats and users (English as the tools write them; Persian and Arabic words, joined as normalise joins them)
_NOT_A_SCORE = re.compile("|".join((
    r"(^|_)(id|ids|uuid|identifier|#|no|nr|num|number|counter|count|index|row|serial|seq|sequence)($|_)",
    r"(^|_)(tenure|years?|yrs|months|weeks|days|age|seats?|users|licen[cs]es|employees|headcount)($|_)",
    r"(^|_)(quantity|qty|how_many|number_of)($|_)",
    "شناسه", "شماره", "ردیف", "تعداد", "سابقه", "کاربران",            # fa: id, number, row, count, tenure, users
    "رقم", "معرف", "تسلسل", "مسلسل", "عدد", "مقاعد", "العمر", "سنوات",   # ar: number, id, sequence, count,
                                                                       # seats, age, years
)))


# a header that names a score, a rating or the NPS itself (a file recognised as a survey by its name alone
# reads a column by its values only under such a header)
_SCORE_NAME = re.compile("|".join((
    r"(^|_)(score|scores|rating|ratings|grade|nps|enps|likelihood|likely)($|_)", r"net_promoter",
    "امتیاز", "نمره", "درجه", "تقییم", "تقدیر",
)))


def score_header(header: Any) -> bool:
    """The header names a score, a rating, a likelihood or the NPS (``Score``, ``Rating``, ``NPS``,
    ``Likelihood``, ``امتیاز``, ``درجة``, ``تقييم``).

    >>> [score_header(h) for h in ("Score", "NPS", "Likelihood", "امتیاز", "Q1", "Number")]
    [True, True, True, True, False, False]
    """
    return bool(_SCORE_NAME.search(normalise(header)))


def not_a_score_header(header: Any) -> bool:
    """The header names an id, a row number, a count or a duration (``Number``, ``Response ID``,
    ``Tenure (years)``, ``How many seats?``, ``شناسه پاسخ``, ``عدد المقاعد``): no 0-10 answer by values alone.

    >>> [not_a_score_header(h) for h in ("Number", "Tenure (years)", "How many seats?", "شناسه پاسخ", "Score", "Q1")]
    [True, True, True, True, False, False]
    """
    return bool(_NOT_A_SCORE.search(normalise(header)))


def counter_column(values: pd.Series) -> bool:
    """Every cell of the column, in the file's order, is a whole number one more (or every one one
    less: a newest-first export) than the cell above it: a row counter or response number 1..n,
    whatever its header (at least three cells, no blank; two answers 9, 10 are no evidence).

    >>> [counter_column(pd.Series(v)) for v in (["1", "2", "3"], [7, 6, 5], [9, 10, 9], [9, 10])]
    [True, True, False, False]
    """
    if len(values) < 3 or values.isna().any():
        return False
    n = [_whole_number(v) for v in values.tolist()]
    if any(x is None for x in n):
        return False
    steps = set(np.diff(np.array(n, dtype=float)).tolist())
    return steps == {1.0} or steps == {-1.0}


def _whole_number(value: Any) -> float | None:
    """A whole number of any size written in a cell (``7``, ``"7"``, ``"۷"``, ``7.0``), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        v = float(value)
        return v if v == v and v.is_integer() else None
    text = str(value).translate(LATIN_DIGITS).strip()
    return float(text) if re.fullmatch(r"\d{1,9}(\.0*)?", text) else None


# --------------------------------------------------------------------------- answers of the recommend question

def _answer_key(value: Any) -> str:
    """The comparison form of an answer: :func:`~xl_cskpi.cells.textual.fold_label` (case, spaces, letter
    variants, harakat, digits), without full stops, apostrophes and exclamation marks."""
    return re.sub(r"[.'\u2019`!]", "", fold_label(str(value)))


#: Answers that are no score: the question was skipped, declined or not applicable (English as survey tools
#: write them, Persian and Arabic forms), compared after :func:`_answer_key`. Read as blank cells: not responses.
NON_ANSWERS = frozenset(_answer_key(w) for w in (
    "Not answered", "Unanswered", "No answer", "No response", "No reply", "Skipped", "Skip", "Did not answer",
    "N/A", "NA", "n.a.", "Not applicable", "-", "--", "\u2013", "\u2014", "?", "None", "Null",
    "Prefer not to say", "Prefer not to answer", "Rather not say", "Declined", "Declined to answer",
    "Don't know", "I don't know", "Do not know", "Not sure",
    "بدون پاسخ", "بی پاسخ", "پاسخ داده نشده", "پاسخ نداده", "پاسخی داده نشد", "رد شده",
    "ترجیح می\u200cدهم نگویم", "ترجیح می\u200cدهم پاسخ ندهم", "نمی\u200cدانم", "نظری ندارم", "مربوط نیست",
    "لا إجابة", "بدون إجابة", "لم يتم الرد", "لم يجب", "لم تتم الإجابة", "لا رد", "تم التخطي", "تخطي",
    "أفضل عدم القول", "أفضل عدم الإجابة", "لا أعرف", "لا ينطبق", "غير منطبق",
))

# an answer label that starts with its number: "10 - Extremely likely", "0: Not at all likely", "9 (Very likely)",
# "10 Extremely likely", "۱۰ - خیلی زیاد" (digits are made Latin first); a letter must follow ("10.5" is no label)
_LABEL = re.compile(r"\s*(\d{1,2})\s*(?:[-\u2013\u2014:=.)]\s*|\(\s*|\s+)(?=[^\W\d_]).*", re.S)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (isinstance(value, str)
                                                                               and not value.strip())


def _label_number(value: Any) -> float | None:
    """The number 0..10 an answer label starts with, else None."""
    if not isinstance(value, str):
        return None
    m = _LABEL.fullmatch(value.translate(LATIN_DIGITS))
    return float(m.group(1)) if m is not None and int(m.group(1)) <= 10 else None


@dataclass(frozen=True)
class Answers:
    """The answers of a 0-10 question column as :func:`read_answers` reads them.

    * ``numbers`` -- per cell (same index), the score as a float, or None: a blank cell, a non-answer, or
      a cell no reading fixes;
    * ``labels`` -- ``{label as written: its number}`` for the answers written as labels;
    * ``non_answers`` -- ``{text as written: cells}`` of the answers that are no score
      (:data:`NON_ANSWERS`), and ``first_non_answer``, the row (index label) of the first;
    * ``scores`` -- cells read as a score 0..10; ``unread`` -- cells no reading fixes, ``bad`` the
      first of them as ``(value, row)`` (None when every filled cell reads); ``filled`` -- cells not blank.
    """

    numbers: pd.Series
    labels: dict
    non_answers: dict
    first_non_answer: Any
    scores: int
    unread: int
    filled: int
    bad: tuple | None

    @property
    def readable(self) -> bool:
        """Every filled cell is a number 0..10, an answer label starting with one, or a non-answer."""
        return self.bad is None

    @property
    def asked(self) -> bool:
        """The column holds a 0-10 question's answers: scores are at least half of the answers that are
        not non-answers (a free-text "why would you recommend us?" column is not), or every answer is a
        non-answer."""
        return (self.scores > 0 and self.scores >= self.unread) or (self.filled > 0 and self.filled == sum(
            self.non_answers.values()))


def read_answers(values: pd.Series) -> Answers:
    """Read a recommend question's answers: whole numbers 0..10 as written (Latin, Persian or Arabic
    digits), answer labels that start with their number as that number (``10 - Extremely likely`` is
    10, ``9 (Very likely)`` 9, ``۰ - اصلاً`` 0), non-answers (:data:`NON_ANSWERS`: ``Not answered``,
    ``N/A``, ``-``, ``Skipped``, ``Prefer not to say``, ``بدون پاسخ``, ``لا إجابة``) as blanks, which are
    no responses. Anything else (``11``, ``7.5``, ``Extremely likely``, ``maybe``) is left unread and
    named in ``bad``. Each distinct cell is read once.

    Reviewer's H1 (session 6): a Hotjar export's answers 10 - Extremely likely, 9, 7, 0 - Not at all
    likely, 3, 8, 10 - Extremely likely read as 10, 9, 7, 0, 3, 8, 10: promoters 3, detractors 2 of 7,
    NPS (3 - 2) / 7 = +14.

    >>> a = read_answers(pd.Series(["10 - Extremely likely", "9", "Not answered", None, "0 - Not at all likely"]))
    >>> a.numbers.tolist(), a.labels, a.non_answers, a.readable
    ([10.0, 9.0, None, None, 0.0], {'10 - Extremely likely': 10, '0 - Not at all likely': 0}, {'Not answered': 1}, True)
    >>> read_answers(pd.Series(["10", "11", "maybe"])).bad
    ('11', 1)
    """
    seen: dict[Any, tuple[str, float | None]] = {}

    def read(v: Any) -> tuple[str, float | None]:
        if _blank(v):
            return "blank", None
        if v not in seen:
            x = _whole_0_10(v)
            if x is not None:
                seen[v] = ("score", x)
            elif (x := _label_number(v)) is not None:
                seen[v] = ("label", x)
            elif isinstance(v, str) and _answer_key(v) in NON_ANSWERS:
                seen[v] = ("none", None)
            else:
                seen[v] = ("bad", None)
        return seen[v]

    cells = [read(v) for v in values.tolist()]
    kinds = [k for k, _ in cells]
    numbers = pd.Series([x for _, x in cells], index=values.index, dtype=object)
    labels = {str(v).strip(): int(x) for v, (k, x) in seen.items() if k == "label"}
    non: dict[str, int] = {}
    first_non = bad = None
    for v, k, row in zip(values.tolist(), kinds, values.index):
        if k == "none":
            non[str(v).strip()] = non.get(str(v).strip(), 0) + 1
            first_non = row if first_non is None else first_non
        elif k == "bad" and bad is None:
            bad = (v, row)
    return Answers(numbers, labels, non, first_non, sum(k in ("score", "label") for k in kinds),
                   sum(k == "bad" for k in kinds), sum(k != "blank" for k in kinds), bad)


def read_score_column(f: Any, header: str, check: Any, file: str, table: str) -> bool:
    """Read the 0-10 question's answers that are labels or no answer in ``f.df[header]`` (``f`` is the
    mapping's file: its ``df`` is replaced). When every filled cell reads (:func:`read_answers`) and some
    are labels or non-answers, the column's cells become the scores (blank for a non-answer), said in
    ``check`` (a :class:`~xl_cskpi.exports.check.DataCheck`) by the info lines ``score_labels``
    {column, labels} and ``score_non_answers`` {column, count, values, row}. A column with an answer no
    reading fixes is left as written: the report names that answer. True when the frame changed."""
    if header not in f.df.columns:
        return False
    answers = read_answers(f.df[header])
    if not answers.readable or not (answers.labels or answers.non_answers):
        return False
    df = f.df.copy()
    df[header] = answers.numbers
    f.df = df
    if answers.labels:
        listed = ", ".join(f"{k} = {n}" for k, n in sorted(answers.labels.items(), key=lambda kv: -kv[1]))
        check.info("score_labels", f"the answers of {header!r} include labels that start with their score, read "
                   f"as that score: {listed}", file=file, table=table, column=header,
                   fields={"column": header, "labels": listed})
    if answers.non_answers:
        n = sum(answers.non_answers.values())
        values = ", ".join(f"{k} ({c:,})" for k, c in answers.non_answers.items())
        row = answers.first_non_answer
        try:
            row = int(row)
        except (TypeError, ValueError):
            pass
        check.info("score_non_answers", f"{n:,} answer(s) of {header!r} give no score ({values}): read as blank, "
                   f"not counted as responses (first: row {row})", file=file, table=table, row=row,
                   column=header, fields={"column": header, "count": n, "values": values, "row": row})
    return True


def asks_recommend(df: pd.DataFrame, skip: Iterable[str] = ()) -> list[tuple[str, Answers]]:
    """The columns whose header asks the recommend question (:func:`nps_wording` or
    :func:`employee_wording`) and whose answers are those of a 0-10 question (:attr:`Answers.asked`),
    with their answers, in the file's order: the question is there, whether or not its values qualify
    it for :func:`score_columns` (labels, non-answers, a stray 11)."""
    skip = set(skip)
    out = []
    for h in df.columns:
        if h in skip or not (nps_wording(h) or employee_wording(h)):
            continue
        a = read_answers(df[h])
        if a.asked:
            out.append((str(h), a))
    return out


def score_misfit(df: pd.DataFrame, any_header: bool = False) -> tuple[str, str]:
    """Why no column of ``df`` whose header says "recommend" is a 0-10 question: the first such column
    that holds a 0-10 question's answers (:attr:`Answers.asked`), the first value no reading fixes
    (labels and non-answers read, :func:`read_answers`) and its row (the frame's index is the file's
    row), and what to do, with that column's header; ``("", "")`` when there is no such column.
    ``any_header`` (a survey export): a column of answer labels ("10 - Extremely likely") counts
    whatever its header says. (Reviewer's U17: one stray ``11`` made the question unrecognised, and
    the message said only "missing nps_score".)"""
    for h in df.columns:
        worded = nps_wording(h)
        if not (worded or any_header):
            continue
        a = read_answers(df[h])
        if not a.asked or (worded and a.readable) or (not worded and not a.labels):
            continue
        if worded:
            value, row = a.bad
            return ((f"column {str(h)!r} holds {str(value)!r} in row {row} ({a.unread:,} of {a.filled:,} answers "
                     "are not whole numbers 0-10): correct it (a blank cell is no response), or map the column "
                     "with --map nps_score=HEADER to have the report name each such answer"), str(h))
        # a column of answer labels in a survey export, whatever its header: the first answer that is not a number
        row, value = next((r, v) for r, v in df[h].items() if not _blank(v) and _whole_0_10(v) is None)
        if _label_number(value) is not None:
            return ((f"column {str(h)!r} holds {str(value)!r} in row {row}, an answer label, not a number 0-10: export "
                    "the answers as numbers (Qualtrics: 'Use numeric values')"), str(h))
        return ((f"column {str(h)!r} holds {str(value)!r} in row {row} ({a.filled - a.scores:,} of {a.filled:,} "
                 "answers are not whole numbers 0-10): correct it, or map the column with --map nps_score=HEADER"),
                str(h))
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

