"""Which CES a survey asks, and which way is better (session 5, engineer S).

The original CES (Dixon, Freeman, Toman, HBR 2010; CEB's FAQ: "How much effort did you personally put
forth to handle your request?", 1 = very low effort .. 5 = very high effort) is lower-is-better; CES 2.0
(Gartner 2019; Dixon, Toman, DeLisi 2013: agreement with "The company made it easy for me to handle my
issue", 1-7) is higher-is-better. The survey report assumed CES 2.0 for every survey, so a 1-5 effort
survey averaging 2.0 (good) showed "off target" against 5.5, in red. Every mean below is worked by hand
from the rows written here.
"""

from __future__ import annotations

import pandas as pd
import pytest

from xl_cskpi import ces
from xl_cskpi.exports.check import DataCheck, ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.evaluate import evaluate_report
from xl_cskpi.reports.fill import load_data
from xl_cskpi.reports.specs.survey_ces import (ASK_CES, CES_IS_EASY, CES_IS_EFFORT, ces_findings,
                                               ces_header_word, ces_question_in_header)
from xl_cskpi.reports.specs.survey_scale import settings_from_headers

R = reports()["survey_scores"]
KPIS = {k.key: k for k in R.kpis}
SETTINGS = {s.key: s for s in R.settings}

#: a 1-5 effort survey, 12 answers in March and 12 in April: 1, 2, 3, 2 four times -> (1 + 2 + 3 + 2) / 4 = 2.0
EFFORT_1_5 = [1, 2, 3, 2] * 6
ORIGINAL = "How much effort did you personally have to put forth to handle your request?"
GARTNER = "The company made it easy for me to handle my issue."


def _responses(scores=EFFORT_1_5, header: str | None = None) -> pd.DataFrame:
    days = [f"2024-03-{d:02d}" for d in range(1, 13)] + [f"2024-04-{d:02d}" for d in range(1, 13)]
    df = pd.DataFrame({"submitted_at": pd.to_datetime(days), "nps_score": [9, 10, 6, 8] * 6, "ces_score": scores})
    if header:
        df.attrs["columns"] = {"ces_score": header}
    return df


def _evaluate(df=None, **settings):
    return evaluate_report(R, {"Responses": _responses() if df is None else df}, settings,
                           period_labels=["2024-03", "2024-04"], period="2024-04")


# --------------------------------------------------------------------------- the report's two rows


def test_the_rows_say_which_way_is_better_and_have_their_own_targets():
    assert (KPIS["ces"].better, KPIS["ces"].target, SETTINGS["target_ces"].value) == ("higher", "target_ces", 5.5)
    assert (KPIS["ces_effort"].better, KPIS["ces_effort"].target) == ("lower", "target_ces_effort")
    # 5.5 is three quarters of the way from 1 to 7; the same place from 5 (worst) to 1 (best) is 2.0
    assert SETTINGS["target_ces_effort"].value == pytest.approx(5 - (5.5 - 1) / (7 - 1) * (5 - 1))
    assert SETTINGS["ces_question"].value is None and SETTINGS["ces_question"].choices == ("easy", "effort")


def test_an_effort_survey_reads_its_mean_on_the_lower_is_better_row():
    # the brief's case: 1-5 effort answers averaging 2.0, a good result; hand (1 + 2 + 3 + 2) / 4 = 2.0
    v = _evaluate(ces_scale=5, ces_question="effort")
    assert v["ces_effort"] == pytest.approx(2.0) and v["_whole"]["ces_effort"] == pytest.approx(2.0)
    assert v["_periods"]["ces_effort"].tolist() == pytest.approx([2.0, 2.0])
    assert v["ces"] == CES_IS_EFFORT and v["_periods"]["ces"].tolist() == [CES_IS_EFFORT] * 2
    # on target: the lower-is-better row compares value <= target (dashboard.write_dashboard)
    assert v["ces_effort"] <= SETTINGS["target_ces_effort"].value


def test_a_one_to_five_ces_with_nothing_said_reads_n_a_not_a_guess():
    v = _evaluate(ces_scale=5)
    assert v["ces"] == ASK_CES and v["ces_effort"] == ASK_CES
    assert v["_periods"]["ces"].tolist() == [ASK_CES] * 2 and v["_periods"]["ces_effort"].tolist() == [ASK_CES] * 2
    # a value that is neither easy nor effort says nothing either
    v = _evaluate(ces_scale=7, ces_question="agree")
    assert v["ces"] == ASK_CES and v["ces_effort"] == ASK_CES


def test_blank_on_cess_own_one_to_seven_scale_is_ces_2_0():
    # CES 2.0's answers 5, 6, 7, 4 -> hand 22 / 4 = 5.5 (the default ces_scale is 7)
    df = _responses([5, 6, 7, 4] * 6)
    v = _evaluate(df)
    assert v["ces"] == pytest.approx(5.5) and v["ces_effort"] == CES_IS_EASY
    v = _evaluate(df, ces_question="Easy")           # Excel's "=" ignores case ...
    assert v["ces"] == pytest.approx(5.5) and v["ces_effort"] == CES_IS_EASY
    v = _evaluate(df, ces_question=" easy")          # ... not spaces: n/a, and the Data check agrees
    assert v["ces"] == ASK_CES
    assert [f.code for f in ces_findings(R, {"Responses": df}, {"ces_question": " easy"})] == ["ces_unknown"]
    # a 5-point agreement scale, said: 4, 5, 3, 4 -> hand 16 / 4 = 4.0 on the higher-is-better row
    v = _evaluate(_responses([4, 5, 3, 4] * 6), ces_question="easy", ces_scale=5)
    assert v["ces"] == pytest.approx(4.0) and v["ces_effort"] == CES_IS_EASY


def test_the_mean_itself_does_not_change_with_the_reading():
    # CES() is a mean whatever the question (the direction is the report's, not the function's)
    assert ces(EFFORT_1_5, 5) == 2.0 == ces(EFFORT_1_5, 7)
    assert ces([[1, None], ["۲", 3], [2, ""]], [[5]]) == 2.0      # UDF-shaped: 1, 2, 3, 2


# --------------------------------------------------------------------------- the header's wording


@pytest.mark.parametrize("header, question", [
    (ORIGINAL, "effort"),                                                         # HBR 2010 / CEB
    (GARTNER, "easy"),                                                            # CES 2.0
    ("Customer Effort Score: " + GARTNER + " (1-7)", "easy"),                     # the name says effort too
    ("CES 2.0 - To what extent do you agree: it was easy to get help", "easy"),
    ("How easy was it to get your issue resolved?", "easy"),
    ("Effort required to resolve your request (1 = very low, 5 = very high)", "effort"),
    ("میزان تلاشی که برای حل مشکل خود کردید (۱ تا ۵)", "effort"),
    ("حل مشکل من آسان بود (۱ تا ۷)", "easy"),
    ("كم من الجهد بذلت لحل طلبك؟", "effort"),
    ("جعلت الشركة حل مشكلتي سهلاً", "easy"),
    ("CES", None),
    ("Customer Effort Score", None),
    ("ces_score", None),
    ("How much effort did it take, and was it easy?", None),                      # both: nothing decided
    (None, None),
])
def test_the_header_says_which_question(header, question):
    assert ces_question_in_header(header) == question


def test_the_word_that_decided_is_returned_for_the_data_check():
    assert ces_header_word(ORIGINAL) == ("effort", "effort")
    assert ces_header_word("كم من الجهد بذلت لحل طلبك؟") == ("effort", "جهد")


def test_settings_from_headers_fills_a_blank_question_and_the_scale():
    check = DataCheck()
    df = _responses(header="How much effort did you put forth to handle your request? (1-5)")
    got = settings_from_headers(R, {"Responses": df}, {}, check)
    assert got["ces_question"] == "effort" and got["ces_scale"] == 5
    assert {f.code for f in check.findings} == {"ces_question_from_header", "scale_from_header"}
    note = next(f for f in check.findings if f.code == "ces_question_from_header")
    assert note.fields == {"question": "effort", "header": df.attrs["columns"]["ces_score"], "word": "effort"}
    # what the user gave stays
    check = DataCheck()
    got = settings_from_headers(R, {"Responses": df}, {"ces_question": "easy", "ces_scale": 7}, check)
    assert (got["ces_question"], got["ces_scale"]) == ("easy", 7) and check.findings == []
    # a header that says nothing fills nothing
    check = DataCheck()
    assert "ces_question" not in settings_from_headers(R, {"Responses": _responses(header="CES")}, {}, check)


# --------------------------------------------------------------------------- the Data check


@pytest.mark.parametrize("settings, header, codes", [
    ({"ces_question": "effort", "ces_scale": 5}, None, ["ces_effort"]),
    ({"ces_question": "easy"}, None, ["ces_easy"]),
    ({}, None, ["ces_easy_default"]),
    ({"ces_scale": 5}, None, ["ces_unknown"]),
    ({"ces_scale": 5}, ORIGINAL, ["ces_unknown", "ces_header_disagrees"]),
    ({}, ORIGINAL, ["ces_easy_default", "ces_header_disagrees"]),
    ({"ces_question": "easy"}, ORIGINAL, ["ces_easy", "ces_header_disagrees"]),
    ({"ces_question": "effort"}, ORIGINAL, ["ces_effort"]),
    ({"ces_question": "effort"}, GARTNER, ["ces_effort", "ces_header_disagrees"]),
])
def test_the_data_check_says_which_reading_and_why(settings, header, codes):
    found = ces_findings(R, {"Responses": _responses(header=header)}, settings)
    assert [f.code for f in found] == codes
    if "ces_header_disagrees" in codes:
        f = found[-1]
        assert f.level == "warning" and f.fields["header"] == header and f"set ces_question to {f.fields['question']}" \
            in f.message


def test_no_ces_answers_no_ces_finding():
    df = _responses([None] * 24)
    assert ces_findings(R, {"Responses": df}, {}) == []
    assert ces_findings(R, {"Responses": df.drop(columns="ces_score")}, {}) == []
    assert ces_findings(R, None) == [] and ces_findings(reports()["churn_retention"], {"Responses": _responses()}) == []


def test_an_effort_export_end_to_end_through_the_reader(tmp_path):
    # a CSV as a survey tool writes it: the reader finds the effort column by its wording, the header fills
    # ces_question, and the report reads the original CES: answers 1..5, 1..5, 1, 2 -> hand (15 + 15 + 3) / 12
    rows = "".join(f"2024-03-{i + 1:02d},{i % 11},{i % 5 + 1}\n" for i in range(12))
    p = tmp_path / "responses.csv"
    p.write_text("submitted_at,nps_score," + ORIGINAL + "\n" + rows, encoding="utf-8")
    data, check = load_data(R, [p], ReadOptions())
    settings = settings_from_headers(R, data, {"ces_scale": 5}, check)
    assert settings["ces_question"] == "effort"
    v = evaluate_report(R, data, settings, period_labels=["2024-03"], period="2024-03")
    want = 33 / 12
    assert want == sum(i % 5 + 1 for i in range(12)) / 12
    assert v["ces_effort"] == pytest.approx(want) and v["ces"] == CES_IS_EFFORT


@pytest.mark.parametrize("settings, target, suggest", [
    # a 5-point agreement survey keeps CES 2.0's 5.5: off target whatever the answers; 1 + 0.75 x 4 = 4
    ({"ces_question": "easy", "ces_scale": 5}, "5.5", "4"),
    # an effort target above a 1-7 effort scale: on target whatever the answers; 7 - 0.75 x 6 = 2.5
    ({"ces_question": "effort", "ces_scale": 7, "target_ces_effort": 8}, "8", "2.5"),
    ({"ces_question": "effort", "ces_scale": 5, "target_ces_effort": 0.5}, "0.5", "2"),
])
def test_a_target_off_the_scale_is_said(settings, target, suggest):
    found = [f for f in ces_findings(R, {"Responses": _responses()}, settings) if f.code == "ces_target_off_scale"]
    assert len(found) == 1 and found[0].level == "warning"
    assert found[0].fields["target"] == target and found[0].fields["suggest"] == suggest
    assert f"as {found[0].fields['setting']} on the Settings sheet" in found[0].message


def test_targets_on_the_scale_are_not_said():
    for settings in ({"ces_question": "effort", "ces_scale": 5}, {}, {"ces_question": "easy", "ces_scale": 7},
                     {"ces_scale": 5}, {"ces_question": "easy", "ces_scale": "seven"}):
        assert "ces_target_off_scale" not in {f.code for f in ces_findings(R, {"Responses": _responses()}, settings)}


@pytest.mark.parametrize("header, top", [
    # the original CES's anchors (CEB's FAQ: "1 (very low effort) to 5 (very high effort)")
    ("How much effort did you personally have to put forth? (1 = very low effort, 5 = very high effort)", 5),
    ("The company made it easy for me to handle my issue (1: strongly disagree; 7: strongly agree)", 7),
    ("تلاش شما (۱ = خیلی کم، ۵ = خیلی زیاد)", 5),
    ("(1=low,5=high)", 5),
    ("Q1: how much effort, 5: the most", None),          # "Q1:" is a question number, not an anchor
    ("version 1.2, 3 = x", None),
])
def test_the_scale_is_read_from_anchors_too(header, top):
    from xl_cskpi.reports.specs.survey_scale import scale_in_header
    assert scale_in_header(header) == top
