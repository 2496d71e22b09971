"""The scales of a survey report's questions: the ``csat_scale`` and ``ces_scale`` settings, and what
the data says about them (session 4, engineer S).

Top-2-box CSAT depends on the top of the scale: on 1-5 it counts 4 and 5 as satisfied. The survey
report used to fix 5, so a company whose CSAT survey is 1-3 (emoji faces), 1-4 or bad/good got a
CSAT of 0 % (or of whatever share happened to be 4) with no word, and a 1-7 or 1-10 survey got
``#NUM!``. The scale is a fact of the user's survey, not a convention, and no export says it (a
Typeform or SurveyMonkey export carries the answers, never the scale's top), so:

* ``csat_scale`` is blank until the user enters it; CSAT and the average satisfaction score read
  :data:`ASK_CSAT` meanwhile (:func:`on_csat_scale`), live and in ``--values`` alike, as the funnel's
  own counts do. CSAT_DISTRIBUTION, which cannot say n/a, counts the answers on 1-5 (its default) until
  then: counts are never wrong, only the boxes beyond the answers are empty.
* ``ces_scale`` is 7 by default: the CES 2.0 agreement scale (CEB, now Gartner), a published
  convention. CES is a mean, which the scale does not change; the scale only checks the answers.
* the Data check says what the answers suggest (:func:`scale_findings`): the range of the answers
  while ``csat_scale`` is blank (a hint for what to enter, never a guess that changes a number); a
  warning when no answer reaches the top of the scale set (a 1-3 survey read as 1-5) or when answers
  go beyond it; and a warning when a 0-10 question (NPS, eNPS) holds no answer above 5 (a 1-5 rating
  mapped to the NPS column reads -100).
"""

from __future__ import annotations

import math
import re
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ...cells import LATIN_DIGITS
from ...exports.check import Finding
from ...kpi.survey import MAX_SCALE
from ..spec import Call, Name, Report, Word

__all__ = ["ASK_CSAT", "on_csat_scale", "scale_findings", "scale_in_header", "SCALED", "ZERO_TEN", "MIN_ANSWERS",
           "settings_from_headers"]

#: What CSAT and the average satisfaction score read while ``csat_scale`` is blank (a label: the
#: fa/ar texts are in :mod:`xl_cskpi.labels`, so the live formula carries the reader's words).
ASK_CSAT = "n/a: enter the top of your CSAT scale (5 for 1-5) on the Settings sheet"


def on_csat_scale(call: Call) -> Call:
    """``call`` once ``csat_scale`` holds a number, :data:`ASK_CSAT` until then (a blank cell or text
    is not a scale: ``ISNUMBER``, as Excel and the evaluator read it; a number off 2-100 reaches the
    function, whose #NUM! says why)."""
    return Call("IF", Call("ISNUMBER", Name("csat_scale")), call, Word(ASK_CSAT))


#: ``{setting: (table, column, what)}``: the questions whose scale a setting gives.
SCALED = {"csat_scale": ("Responses", "csat_score", "CSAT"), "ces_scale": ("Responses", "ces_score", "CES")}
#: ``{(table, column): what}``: the 0-10 questions (their scale is fixed by definition).
ZERO_TEN = {("Responses", "nps_score"): "NPS", ("EmployeeSurvey", "enps_score"): "eNPS"}
#: Answers a column needs before its range says anything about the scale (below it, a survey of
#: 1-5 with no 5 yet is unremarkable).
MIN_ANSWERS = 10


#: A 1..N range written in a question's header: "(1-5)", "1 to 5", "1–7", "۱ تا ۵", "1 إلى 5", and
#: "out of 5" / "از ۵" / "من 5" after a number ("4 out of 5" is how a rating question is often worded).
_RANGE = re.compile(r"(?<![\d.])1\s*(?:-|\u2013|\u2014|to|تا|الى|إلى)\s*(\d{1,3})(?![\d.])", re.I)
_OUT_OF = re.compile(r"(?:out\s+of|از|من)\s+(\d{1,3})(?![\d.])", re.I)
#: The two ends of a scale written as anchors: "(1 = very low effort, 5 = very high effort)" (the original
#: CES's wording, CEB), "1: strongly disagree; 7: strongly agree", "۱ = خیلی کم، ۵ = خیلی زیاد".
_ANCHORS = re.compile(r"(?<![\w.])1\s*[=:]\s*[^\d=:]+?[,;،؛]\s*(\d{1,3})\s*[=:]")


def scale_in_header(header: Any) -> int | None:
    """The top of the scale a question's header states ("How satisfied are you? (1-5)": 5), or None
    when it states none or one CSAT/CES cannot take (0-10, 1-1, above 100). What an export says, so a
    caller may fill a blank ``csat_scale`` / ``ces_scale`` with it (saying so); the answers' range
    alone never fills one (:func:`scale_findings` only hints it).

    >>> [scale_in_header(h) for h in ("How satisfied are you with our support? (1-5)", "Rate us 1 to 3",
    ...  "میزان رضایت شما (۱ تا ۷)", "Satisfaction, out of 10", "How likely to recommend (0-10)", "CSAT",
    ...  "How much effort did you put forth? (1 = very low effort, 5 = very high effort)")]
    [5, 3, 7, 10, None, None, 5]
    """
    if not isinstance(header, str):
        return None
    text = header.translate(LATIN_DIGITS)
    # "من" is "from" as well as "out of": a 1 it finds ("من 1 إلى 4") is the range's start, not a top
    tops = {int(m) for m in _RANGE.findall(text) + _OUT_OF.findall(text) + _ANCHORS.findall(text)} - {0, 1}
    if len(tops) != 1:
        return None
    top = tops.pop()
    return top if top <= MAX_SCALE else None


def _answers(values: Any) -> np.ndarray:
    """The whole-number answers of a column as floats (blanks, text and fractions left out: the
    readers and the KPIs report those)."""
    s = pd.Series(np.asarray(values, dtype=object).ravel())
    text = s.map(lambda v: v.translate(LATIN_DIGITS).strip() if isinstance(v, str) else v)
    x = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    x = x[np.isfinite(x)]
    return x[x == np.floor(x)]


def _scale(value: Any) -> int | None:
    """A scale setting's value as a whole number 2..100, or None (blank, text, off the range: the
    KPI itself says why)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = value.translate(LATIN_DIGITS).strip()
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return int(x) if math.isfinite(x) and x == math.floor(x) and 2 <= x <= MAX_SCALE else None


def scale_findings(report: Report, data: Mapping[str, pd.DataFrame] | None,
                   settings: Mapping[str, Any] | None = None) -> list[Finding]:
    """What the answers of ``data`` say about the scales of ``report`` (any report: it looks for the
    settings of :data:`SCALED` and the columns of :data:`ZERO_TEN`), with ``settings`` the values the
    report uses (the spec's defaults, overridden by the user's).

    * ``scale_unset`` (info): the setting is blank (its KPIs read n/a); the answers' range, as a hint.
    * ``scale_short`` (warning): at least :data:`MIN_ANSWERS` answers and none above ``high``, below the
      top of the scale set (a 1-3 survey read as 1-5: CSAT 0 %).
    * ``scale_exceeded`` (warning): answers above the scale set (its KPIs are #NUM!).
    * ``nps_scale_short`` (warning): a 0-10 question with at least :data:`MIN_ANSWERS` answers and
      none above 5 (NPS -100: a 1-5 rating in the NPS column).
    * ``nps_header_scale`` (warning): the header of a 0-10 question states another scale ("(1-5)"),
      whatever the number of answers (1-10 is not said: NPS reads it unchanged).

    >>> import pandas as pd
    >>> from xl_cskpi.reports.specs import reports
    >>> r = reports()["survey_scores"]
    >>> df = pd.DataFrame({"csat_score": [1, 2, 3] * 4})
    >>> [f.code for f in scale_findings(r, {"Responses": df}, {"csat_scale": 5})]
    ['scale_short']
    >>> print(scale_findings(r, {"Responses": df}, {"csat_scale": 5})[0].message)
    CSAT: no answer above 3 in 12 answers, on the 1-5 scale set as csat_scale; if your survey's scale is 1-3, set csat_scale to 3 on the Settings sheet
    """
    given = {s.key: s.value for s in report.settings}
    given.update(settings or {})
    data = data or {}
    out: list[Finding] = []
    for setting, (table, column, what) in SCALED.items():
        df = data.get(table)
        if setting not in given or df is None or column not in df.columns:
            continue
        x = _answers(df[column].to_numpy(dtype=object))
        if x.size == 0:
            continue
        n, low, high = int(x.size), int(x.min()), int(x.max())
        top = _scale(given[setting])
        fields = {"what": what, "setting": setting, "n": n, "low": low, "high": high}
        if given[setting] is None or (isinstance(given[setting], str) and not given[setting].strip()):
            out.append(Finding(
                "info", "scale_unset",
                f"{what}: {setting} is blank, so {what} reads n/a; your {n} answers run from {low} to {high}: "
                f"enter the top of your survey's scale as {setting} on the Settings sheet ({high} if the "
                f"survey is 1-{high})", table=table, column=column, fields=fields))
        elif top is None:
            continue
        elif high > top and high <= MAX_SCALE:
            out.append(Finding(
                "warning", "scale_exceeded",
                f"{what}: answers go up to {high}, above the 1-{top} scale set as {setting}, so its figures are "
                f"#NUM!; if your survey's scale is 1-{high}, set {setting} to {high} on the Settings sheet",
                table=table, column=column, fields={**fields, "scale": top}))
        elif n >= MIN_ANSWERS and 2 <= high < top:
            out.append(Finding(
                "warning", "scale_short",
                f"{what}: no answer above {high} in {n} answers, on the 1-{top} scale set as {setting}; if your "
                f"survey's scale is 1-{high}, set {setting} to {high} on the Settings sheet",
                table=table, column=column, fields={**fields, "scale": top}))
    tables = {t.name: t for t in report.tables}
    for (table, column), what in ZERO_TEN.items():
        df = data.get(table)
        if table not in tables or df is None or column not in df.columns:
            continue
        x = _answers(df[column].to_numpy(dtype=object))
        header = (df.attrs.get("columns") or {}).get(column)
        top = scale_in_header(header)
        if x.size and top is not None and top != 10:
            # the header states another scale ("How likely are you to recommend us? (1-5)"): said whatever
            # the number of answers (reviewer's G36: five answers 5, 4, 5, 3, 5 read NPS -100, no word)
            out.append(Finding(
                "warning", "nps_header_scale",
                f"{what}: the header '{header}' states a 1-{top} scale, but {what} needs the 0-10 question 'how "
                f"likely are you to recommend ...?' (9-10 promoters, 0-6 detractors), whose groups mean nothing on a "
                f"1-{top} scale; if this column is a 1-{top} rating, map it to csat_score instead", table=table,
                column=column,
                fields={"what": what, "header": header, "scale": top}))
        elif x.size >= MIN_ANSWERS and 2 <= x.max() <= 5:
            n, high = int(x.size), int(x.max())
            out.append(Finding(
                "warning", "nps_scale_short",
                f"{what}: no answer above {high} in {n} answers; {what} needs the 0-10 question 'how likely are "
                f"you to recommend ...?' and is -100 when no answer is 7 or more: is this column a 1-{high} "
                f"rating rather than that question?", table=table, column=column,
                fields={"what": what, "n": n, "high": high}))
    from .survey_ces import ces_findings
    return out + ces_findings(report, data, settings)


def settings_from_headers(report: Report, data: Mapping[str, pd.DataFrame], settings: Mapping[str, Any], check) -> dict:
    """``settings`` with the survey settings the user left blank (or, for one with a default, did not
    give) filled from the headers of their columns, each with a Data check note:

    * a scale (``csat_scale``, ``ces_scale``) when the header states one ("How satisfied are you with our
      support? (1-5)", "(۱ تا ۷)": :func:`scale_in_header`; ``scale_from_header``);
    * ``ces_question`` when the CES header's wording says which CES it asks ("How much effort did you
      ...": effort; "... made it easy ...": easy: :func:`.survey_ces.ces_question_in_header`;
      ``ces_question_from_header``).

    The answers alone never fill a setting (:func:`scale_findings` only hints). ``check`` is the
    :class:`~xl_cskpi.exports.check.DataCheck` of the run (``xl-cskpi report``).
    """
    from .survey_ces import ces_header_word

    keys = {s.key for s in report.settings}
    out = dict(settings)
    for setting, (table, column, what) in SCALED.items():
        if setting not in keys or out.get(setting) not in (None, ""):
            continue
        df = data.get(table)
        header = (df.attrs.get("columns") or {}).get(column) if df is not None else None
        top = scale_in_header(header) if header else None
        if top is None:
            continue
        out[setting] = top
        check.info("scale_from_header", f"{what}: {setting} {top}, as the header '{header}' states",
                   table=table, column=header, fields={"what": what, "setting": setting, "scale": top,
                                                       "header": header})
    df = data.get("Responses")
    if "ces_question" in keys and out.get("ces_question") in (None, "") and df is not None:
        header = (df.attrs.get("columns") or {}).get("ces_score")
        said = ces_header_word(header)
        if said:
            question, word = said
            out["ces_question"] = question
            check.info("ces_question_from_header", f"CES: ces_question {question}, as the header '{header}' says "
                       f"'{word}'", table="Responses", column=header,
                       fields={"question": question, "header": header, "word": word})
    return out
