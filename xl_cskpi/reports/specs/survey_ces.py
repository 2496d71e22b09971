"""Which Customer Effort Score a survey asks, and so which way is better (session 5, engineer S).

Two questions go by the name CES, and they point in opposite directions:

* the **original CES** (CEB's Customer Contact Council, 2008; M. Dixon, K. Freeman, N. Toman, "Stop
  Trying to Delight Your Customers", HBR July-August 2010): "How much effort did you personally have to
  put forth to handle your request?", 1 = very low effort .. 5 = very high effort. **Lower is better.**
  (CEB's FAQ on the Customer Effort Score: "Answers are on a five point scale from 1 (very low effort)
  to 5 (very high effort)"; a 7-point version is also in use.)
* **CES 2.0** (Dixon, Toman, DeLisi, "The Effortless Experience", 2013; Gartner, "Unveiling the New and
  Improved Customer Effort Score", 2019): agreement with "The company made it easy for me to handle my
  issue", 1 = strongly disagree .. 7 = strongly agree. **Higher is better.** CustomerGauge's CES page:
  CES 2.0 "changed the scale from a 1-5 to a 1-7 scale and reversed the order"; Nicereply's: "Original
  CES used a scale of 5 different answers, while the updated CES 2.0 uses a scale of 7".

The report used to assume CES 2.0 (higher is better, target 5.5) whatever the survey: a 1-5 effort survey
averaging 2.0 -- a good result -- showed far below target and red. Now the report has a row for each
(``ces``: CES 2.0, higher is better, ``target_ces`` 5.5; ``ces_effort``: the original, lower is better,
``target_ces_effort`` 2.0, the same place on its scale as 5.5 on CES 2.0's: three quarters of the way
from the worst answer to the best), and the ``ces_question`` setting says which one the survey asks:

* ``easy`` (the CES 2.0 wording) or ``effort`` (the original wording): that row reads the mean, the other
  says so ("n/a: ...");
* blank: CES 2.0 on its own 1-7 scale (``ces_scale`` 7, the default: the published CES 2.0 convention,
  said in the Data check); on any other scale both rows read :data:`ASK_CES` -- a 1-5 CES is as likely
  the original effort question as a 5-point agreement one, and a guess would colour it the wrong way.

The command line fills a blank ``ces_question`` from the CES column's header when its wording says
(:func:`ces_question_in_header`: "effort" after the metric's own name is taken out, or "easy"/"agree"),
as it fills ``csat_scale``/``ces_scale`` from "(1-5)" (:func:`.survey_scale.settings_from_headers`).
The Data check says which reading was used and why (:func:`ces_findings`).
"""

from __future__ import annotations

import re
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ...cells import LATIN_DIGITS
from ...exports.check import Finding
from ..spec import Call, Name, Op, Report, Word

__all__ = ["CES_QUESTIONS", "ASK_CES", "CES_IS_EFFORT", "CES_IS_EASY", "EASY", "EFFORT", "as_ces",
           "ces_question_in_header", "ces_header_word", "ces_findings", "question_value"]

#: The values of ``ces_question``.
CES_QUESTIONS = ("easy", "effort")
#: Both CES rows while nothing says which question the survey asks (a label: fa/ar in :mod:`xl_cskpi.labels`;
#: short, as it fills the dashboard's value cell: the Data check's ``ces_unknown`` says the rest).
ASK_CES = "n/a: enter ces_question (easy or effort) on the Settings sheet"
#: The CES 2.0 row when the survey asks the original effort question.
CES_IS_EFFORT = "n/a: ces_question is effort: see the original CES"
#: The original CES's row when the survey is read as CES 2.0.
CES_IS_EASY = "n/a: read as CES 2.0 (ces_question)"

_Q, _SCALE = Name("ces_question"), Name("ces_scale")
#: CES 2.0's reading: ``ces_question`` is easy, or blank with the scale CES 2.0's 1-7.
EASY = Call("OR", Op("=", _Q, "easy"), Call("AND", Op("=", _Q, ""), Op("=", _SCALE, 7)))
#: The original CES's reading: ``ces_question`` is effort.
EFFORT = Op("=", _Q, "effort")


def as_ces(question: str, call: Call) -> Call:
    """``call`` (the mean of the CES answers) where the survey asks ``question`` ("easy": the ``ces`` row,
    "effort": the ``ces_effort`` row), the other row's pointer or :data:`ASK_CES` elsewhere."""
    if question == "easy":
        return Call("IF", EASY, call, Call("IF", EFFORT, Word(CES_IS_EFFORT), Word(ASK_CES)))
    if question == "effort":
        return Call("IF", EFFORT, call, Call("IF", EASY, Word(CES_IS_EASY), Word(ASK_CES)))
    raise ValueError(f"question is one of {CES_QUESTIONS}, not {question!r}")


# --------------------------------------------------------------------------- the header's wording

#: The metric's own name, which says "effort" whichever question is asked ("Customer Effort Score: the
#: company made it easy ..."): taken out before the wording is read.
_NAME = re.compile(r"customer[\s_-]*effort[\s_-]*score|effort[\s_-]*score|(?<![a-z])ces(?:[\s_-]*2(?:\.0)?)?(?![a-z])"
                   r"|امتیاز\s*تلاش\s*مشتری|امتیاز\s*تلاش|درجة\s*جهد\s*العميل|درجة\s*الجهد", re.I)
#: CES 2.0's wording: agreement that it was easy.
_EASY_WORDS = re.compile(r"(?<![a-z])(eas(?:y|ier|e|ily)|agree\w*|disagree\w*)(?![a-z])|آسان|راحت|سهولت|سهولة|سهل|موافق|أوافق",
                         re.I)
#: The original CES's wording: how much effort.
_EFFORT_WORDS = re.compile(r"(?<![a-z])effort\w*|تلاش|زحمت|جهد|مجهود", re.I)


def ces_header_word(header: Any) -> tuple[str, str] | None:
    """``(question, word)``: the CES question a header's wording asks and the word that says so, or None
    when it says neither or both.

    >>> ces_header_word("How much effort did you personally have to put forth to handle your request?")
    ('effort', 'effort')
    >>> ces_header_word("Customer Effort Score: The company made it easy for me to handle my issue (1-7)")
    ('easy', 'easy')
    """
    if not isinstance(header, str):
        return None
    text = _NAME.sub(" ", header.translate(LATIN_DIGITS))
    easy, effort = _EASY_WORDS.search(text), _EFFORT_WORDS.search(text)
    if bool(easy) == bool(effort):
        return None
    found = easy or effort
    return ("easy" if easy else "effort"), found.group(0)


def ces_question_in_header(header: Any) -> str | None:
    """"easy", "effort" or None: what a CES column's header says its question asks (see the module).

    >>> [ces_question_in_header(h) for h in ("How easy was it to get your issue resolved?", "CES",
    ...  "میزان تلاشی که برای حل مشکل کردید", "إلى أي مدى كان من السهل حل مشكلتك؟ (1-7)",
    ...  "How much effort ... was it easy?", "Customer Effort Score")]
    ['easy', None, 'effort', 'easy', None, None]
    """
    found = ces_header_word(header)
    return found[0] if found else None


def question_value(value: Any) -> str:
    """A ``ces_question`` setting's value as the formulas compare it: case folded (Excel's "=" ignores
    case), spaces kept (it does not ignore them: " easy" is neither reading); blank is ""."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value)
    return "" if not text.strip() else text.casefold()


# --------------------------------------------------------------------------- the Data check


def _answers(values: Any) -> int:
    s = pd.Series(np.asarray(values, dtype=object).ravel())
    text = s.map(lambda v: v.translate(LATIN_DIGITS).strip() if isinstance(v, str) else v)
    return int(np.isfinite(pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)).sum())


def ces_findings(report: Report, data: Mapping[str, pd.DataFrame] | None,
                 settings: Mapping[str, Any] | None = None) -> list[Finding]:
    """Which CES reading the report used and why (a report with the ``ces_question`` setting and CES
    answers in ``Responses.ces_score``), ``settings`` the values it uses (the spec's defaults, overridden).

    * ``ces_easy`` / ``ces_effort`` (info): read as CES 2.0 / the original CES, as ``ces_question`` says;
    * ``ces_easy_default`` (info): ``ces_question`` blank on the 1-7 scale: read as CES 2.0;
    * ``ces_unknown`` (info): neither: both CES rows read n/a;
    * ``ces_target_off_scale`` (warning): the target of the row read is off the scale set (5.5 on a 1-5
      agreement scale: the status would be off target whatever the answers);
    * ``ces_header_disagrees`` (warning): the header's wording says another question than the one read
      (with ``ces_question`` blank on a scale other than 1-7: says one, which is what to enter).

    >>> import pandas as pd
    >>> from xl_cskpi.reports.specs import reports
    >>> r = reports()["survey_scores"]
    >>> df = pd.DataFrame({"ces_score": [1, 2, 2, 3]})
    >>> [f.code for f in ces_findings(r, {"Responses": df}, {"ces_scale": 5})]
    ['ces_unknown']
    >>> [f.code for f in ces_findings(r, {"Responses": df}, {"ces_scale": 5, "ces_question": "effort"})]
    ['ces_effort']
    """
    given = {s.key: s.value for s in report.settings}
    if "ces_question" not in given:
        return []
    given.update(settings or {})
    df = (data or {}).get("Responses")
    if df is None or "ces_score" not in df.columns or _answers(df["ces_score"].to_numpy(dtype=object)) == 0:
        return []
    q = question_value(given.get("ces_question"))
    try:
        scale = float(str(given.get("ces_scale")).translate(LATIN_DIGITS))
    except ValueError:
        scale = None
    where = {"table": "Responses", "column": "ces_score"}
    out: list[Finding] = []
    if q == "easy":
        read = "easy"
        out.append(Finding("info", "ces_easy", "CES: read as CES 2.0 (agreement that the company made it easy, "
                           "higher is better; its target is target_ces), as ces_question says", **where))
    elif q == "effort":
        read = "effort"
        out.append(Finding("info", "ces_effort", "CES: read as the original CES (how much effort it took, lower "
                           "is better; its target is target_ces_effort), as ces_question says", **where))
    elif q == "" and scale == 7:
        read = "easy"
        out.append(Finding("info", "ces_easy_default", "CES: read as CES 2.0 (agreement that the company made it "
                           "easy, 1-7, higher is better): ces_question is blank and the scale is 1-7, CES 2.0's; if "
                           "your question asks how much effort it took, set ces_question to effort on the Settings "
                           "sheet", **where))
    else:
        read = ""
        out.append(Finding("info", "ces_unknown", "CES: ces_question is neither easy nor effort and the scale is not "
                           "CES 2.0's 1-7, so nothing says whether your question asks how easy it was (CES 2.0, higher "
                           "is better) or how much effort it took (the original CES, lower is better): both CES rows "
                           "read n/a; set ces_question to easy or effort on the Settings sheet", **where))
    out += _target_findings(read, given, scale, where)
    header = (df.attrs.get("columns") or {}).get("ces_score")
    said = ces_header_word(header)
    if said and said[0] != read:
        question, word = said
        out.append(Finding("warning", "ces_header_disagrees",
                           f"CES: the header '{header}' says '{word}', the wording of ces_question {question}, which "
                           f"is not the reading used; set ces_question to {question} on the Settings sheet if that is "
                           "your survey's question", fields={"header": header, "word": word, "question": question},
                           **where))
    return out


def _number(value: Any) -> float | None:
    try:
        x = float(str(value).translate(LATIN_DIGITS))
    except (TypeError, ValueError):
        return None
    return x if np.isfinite(x) else None


def _target_findings(read: str, given: Mapping[str, Any], scale: float | None, where: dict) -> list[Finding]:
    """``ces_target_off_scale`` when the target of the row read lies off the 1..scale scale set, with the
    target at the same place on that scale as 5.5 on CES 2.0's 1-7 (three quarters of the way to the
    best answer: 1 + 0.75 x (top - 1) for easy, top - 0.75 x (top - 1) for effort)."""
    if read not in CES_QUESTIONS or scale is None or not 2 <= scale <= 100:
        return []
    setting = "target_ces" if read == "easy" else "target_ces_effort"
    target = _number(given.get(setting))
    if target is None or 1 <= target <= scale:
        return []
    suggest = 1 + 0.75 * (scale - 1) if read == "easy" else scale - 0.75 * (scale - 1)
    fields = {"setting": setting, "target": f"{target:g}", "scale": f"{scale:g}", "suggest": f"{suggest:g}"}
    return [Finding("warning", "ces_target_off_scale",
                    f"CES: {setting} {target:g} is off the 1-{scale:g} scale set as ces_scale, so the CES status "
                    f"says nothing about your answers; enter a target on your survey's scale as {setting} on the Settings sheet "
                    f"({suggest:g} is where 5.5 sits on CES 2.0's 1-7)", fields=fields, **where)]
