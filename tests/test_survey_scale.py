"""The survey's scales (session 4, engineer S): CSAT on 2-, 3- and 4-point surveys, the survey report's
``csat_scale`` / ``ces_scale`` settings, and the Data check's word when the answers contradict them.

Before: the survey report called CSAT(..., 5) whatever the survey, so a 1-3 emoji survey's CSAT read
0 % with no word (no answer reaches 4, the top two boxes of 1-5), a 1-4 survey's read the share of 4s
only, and a 1-7 survey's was #NUM!. Every expected number below is counted by hand from the rows
written here, or by pandas from the same rows (named where it is).
"""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from xl_cskpi import ces, csat, csat_average, nps
from xl_cskpi.errors import KPIError, OutOfRange
from xl_cskpi.exports.check import DataCheck
from xl_cskpi.kpi.survey import satisfied_from
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.datacheck import finding_text
from xl_cskpi.reports.evaluate import evaluate_report
from xl_cskpi.reports.i18n import translator
from xl_cskpi.reports.specs.survey_scale import ASK_CSAT, MIN_ANSWERS, scale_findings, scale_in_header

REPORTS = reports()
R = REPORTS["survey_scores"]


def _scales(*args):
    """The scale findings alone: scale_findings also gives the CES reading (session 5: tests/test_survey_ces.py)."""
    return [f for f in scale_findings(*args) if not f.code.startswith("ces_")]


def test_scale_findings_carry_the_ces_reading():
    found = scale_findings(R, {"Responses": pd.DataFrame({"ces_score": [1, 2, 3, 4, 5] * 2})})
    assert [f.code for f in found] == ["scale_short", "ces_easy_default"]


# --------------------------------------------------------------------------- the functions


def test_csat_on_a_three_point_survey_counts_the_happy_face():
    # 1 sad, 2 neutral, 3 happy: CSAT is the happy answers (Zendesk's 1-3 scale: 3 is good;
    # Formbricks: a 3-point range counts its highest rating only): two 3s of four answers
    assert csat([1, 2, 3, 3], scale_max=3) == 0.5
    assert csat([[1, None], ["۳", "٣"], [2, " "]], [[3]]) == 0.5   # UDF-shaped: 1, 3, 3, 2 (blanks skipped)
    # the neutral face counts once asked for: threshold 2 -> 2, 3, 3 of 4
    assert csat([1, 2, 3, 3], 3, 2) == 0.75


def test_csat_on_a_good_bad_survey_is_the_share_of_good():
    # Zendesk's CSAT: good / (good + bad); bad = 1, good = 2: three good of four. Before, the default
    # threshold was scale_max - 1 = 1 and every answer counted: 100 % whatever the customers said.
    assert csat([1, 2, 2, 2], 2) == 0.75
    assert csat([1, 1, 1], 2) == 0.0


def test_csat_on_four_points_and_more_is_the_top_two_boxes():
    # 1-4 (no midpoint): 3 and 4 satisfied -> 2 of 4; 1-5: 4, 5; 1-7: 6, 7; 1-10: 9, 10
    assert csat([1, 2, 3, 4], 4) == 0.5
    assert csat([5, 4, 3, 2, 1], 5) == 0.4
    assert csat([7, 6, 5, 4], 7) == 0.5
    assert csat([10, 9, 8, 1], 10) == 0.5
    assert [satisfied_from(t) for t in (2, 3, 4, 5, 7, 10, 100)] == [2, 3, 3, 4, 6, 9, 99]


def test_the_scale_bounds_the_answers_and_the_mean_does_not_depend_on_it():
    with pytest.raises(OutOfRange, match=r"has 4 in cell 2.*1 to 3 \(1-3 scale\)"):
        csat([3, 4], 3)
    # hand: (1 + 2 + 3) / 3 = 2 on any scale that holds the answers
    assert csat_average([1, 2, 3], 3) == csat_average([1, 2, 3], 5) == ces([1, 2, 3], 7) == 2.0


# --------------------------------------------------------------------------- the report

#: 12 responses of a 1-3 CSAT survey in March 2024 and 12 in April: March has 3, 3, 3, 2 ... (below)
MARCH = [3, 3, 3, 3, 3, 2, 2, 2, 1, 1, 3, 3]      # 7 happy of 12
APRIL = [3, 2, 2, 2, 1, 1, 1, 3, 3, 2, 2, 1]      # 3 happy of 12


def _responses() -> pd.DataFrame:
    days = [f"2024-03-{d:02d}" for d in range(1, 13)] + [f"2024-04-{d:02d}" for d in range(1, 13)]
    return pd.DataFrame({"submitted_at": pd.to_datetime(days), "nps_score": [9, 10, 6, 8] * 6,
                         "csat_score": MARCH + APRIL, "ces_score": [5, 6, 7, 4] * 6})


def _evaluate(**settings):
    df = _responses()
    return evaluate_report(R, {"Responses": df}, settings, period_labels=["2024-03", "2024-04"],
                           period="2024-04")


def test_blank_csat_scale_asks_for_it_instead_of_a_number():
    v = _evaluate()
    assert v["csat"] == ASK_CSAT and v["csat_average"] == ASK_CSAT
    assert v["_whole"]["csat"] == ASK_CSAT
    periods = v["_periods"]
    assert periods["csat"].tolist() == [ASK_CSAT, ASK_CSAT]
    # CES is computed on its default scale, CES 2.0's 1-7: hand (5 + 6 + 7 + 4) / 4 = 5.5
    assert v["ces"] == pytest.approx(5.5)
    assert {s.key: s.value for s in R.settings}["csat_scale"] is None
    assert {s.key: s.value for s in R.settings}["ces_scale"] == 7


def test_the_scale_entered_gives_the_surveys_csat():
    v = _evaluate(csat_scale=3)
    assert v["csat"] == pytest.approx(3 / 12)                 # April, the month shown: three 3s
    assert v["_whole"]["csat"] == pytest.approx(10 / 24)      # both months: 7 + 3 happy answers
    assert v["_periods"]["csat"].tolist() == pytest.approx([7 / 12, 3 / 12])
    # the average: pandas over the same rows
    assert v["csat_average"] == pytest.approx(pd.Series(APRIL).mean())
    # the CSAT distribution has the three boxes of the survey
    dist = v["csat_distribution"]
    assert dist.iloc[:, 0].tolist() == [1, 2, 3]
    assert dist.iloc[:, 1].tolist() == [sum(x == k for x in MARCH + APRIL) for k in (1, 2, 3)]


def test_the_same_answers_read_as_one_to_five_are_zero_and_the_data_check_says_so():
    # what the report computed for everybody before: 0 % ...
    v = _evaluate(csat_scale=5)
    assert v["csat"] == 0.0 and v["_whole"]["csat"] == 0.0
    # ... now with a warning that names the setting and the value to try
    found = _scales(R, {"Responses": _responses()}, {"csat_scale": 5})
    assert [(f.level, f.code) for f in found] == [("warning", "scale_short")]
    assert found[0].message == ("CSAT: no answer above 3 in 24 answers, on the 1-5 scale set as csat_scale; if "
                                "your survey's scale is 1-3, set csat_scale to 3 on the Settings sheet")


def test_a_one_to_seven_csat_survey_on_a_smaller_scale_is_an_error_naming_the_setting():
    df = _responses()
    df["csat_score"] = [7, 6, 5, 1] * 6
    v = evaluate_report(R, {"Responses": df}, {"csat_scale": 5})
    assert isinstance(v["csat"], KPIError) and v["csat"].code == "#NUM!"
    found = _scales(R, {"Responses": df}, {"csat_scale": 5})
    assert [f.code for f in found] == ["scale_exceeded"]
    assert "set csat_scale to 7" in found[0].message
    v = evaluate_report(R, {"Responses": df}, {"csat_scale": 7})
    assert v["csat"] == pytest.approx(12 / 24)                 # 7 and 6: the top two boxes of 1-7


# --------------------------------------------------------------------------- the Data check


def _frame(**columns) -> dict[str, pd.DataFrame]:
    return {"Responses": pd.DataFrame(columns)}


def test_blank_scale_gives_the_answers_range_as_a_hint():
    found = _scales(R, _frame(csat_score=[1, 2, 3] * 2))
    assert [(f.level, f.code, f.fields["low"], f.fields["high"], f.fields["n"]) for f in found] == [
        ("info", "scale_unset", 1, 3, 6)]
    assert "enter the top of your survey's scale as csat_scale" in found[0].message


@pytest.mark.parametrize("answers, scale", [
    ([1, 2, 3, 4, 5] * 2, 5),            # the top reached
    ([1, 2, 3] * 3, 5),                  # fewer than MIN_ANSWERS: a small survey may have no 4 or 5 yet
    ([4] * 20, 5),                       # 1 below the top on 20 answers is below it: said
])
def test_a_short_range_is_said_only_on_enough_answers(answers, scale):
    found = _scales(R, _frame(csat_score=answers), {"csat_scale": scale})
    short = len(answers) >= MIN_ANSWERS and max(answers) < scale
    assert [f.code for f in found] == (["scale_short"] if short else [])


def test_ces_on_its_default_scale_and_nps_with_a_one_to_five_rating():
    data = _frame(ces_score=[1, 2, 3, 4, 5] * 2, nps_score=[1, 2, 3, 4, 5] * 2)
    found = {f.code: f for f in _scales(R, data)}
    assert set(found) == {"scale_short", "nps_scale_short"}
    assert "set ces_scale to 5" in found["scale_short"].message
    assert found["nps_scale_short"].message.startswith("NPS: no answer above 5 in 10 answers")
    # a 0-10 question with answers above 5 is not said, whatever its NPS
    assert _scales(R, _frame(nps_score=[0, 1, 2, 6] * 3)) == []


def test_the_check_reads_text_digits_and_skips_what_is_not_an_answer():
    # Persian digits, blanks, text and a fraction: the readers and the KPIs report those; the
    # answers 1..3 are what the range is made of
    found = _scales(R, _frame(csat_score=["۱", "٢", 3, None, "", "good", 2.5, 3, 2, 1, 1, 2, 3, 3]),
                           {"csat_scale": "5"})
    assert [(f.code, f.fields["n"], f.fields["high"]) for f in found] == [("scale_short", 10, 3)]
    # a scale that is no scale (text, 1, 101) leaves the KPI to say why, and the check silent
    for bad in ("five", 1, 101, 2.5, True):
        assert _scales(R, _frame(csat_score=[1, 2, 3] * 4), {"csat_scale": bad}) == []


def test_reports_without_the_settings_are_not_checked():
    assert _scales(REPORTS["churn_retention"], _frame(csat_score=[1, 2, 3] * 4)) == []
    assert _scales(R, None) == [] and _scales(R, {}) == []


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_the_scale_findings_read_in_persian_and_arabic(lang):
    data = _frame(csat_score=[1, 2, 3] * 4, ces_score=[1, 2, 9] * 4, nps_score=[1, 2, 3, 4] * 3)
    found = _scales(R, data) + _scales(R, data, {"csat_scale": 5, "ces_scale": 7})
    assert {f.code for f in found} == {"scale_unset", "scale_short", "scale_exceeded", "nps_scale_short"}
    t = translator(lang)
    for f in found:
        text = finding_text(f, t, lang)
        assert text != f.message and "{" not in text, (f.code, text)
        assert "csat_scale" in text or "ces_scale" in text or f.code == "nps_scale_short"


# --------------------------------------------------------------------------- the workbook


def _formulas(path) -> list[str]:
    wb = load_workbook(path)
    return [c.value.text if isinstance(c.value, ArrayFormula) else c.value
            for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, (str, ArrayFormula))]


def test_the_live_workbook_reads_the_scales_from_the_settings_sheet(tmp_path):
    out = tmp_path / "live.xlsx"
    build(R, out, data={"Responses": _responses()})
    formulas = [f for f in _formulas(out) if isinstance(f, str) and f.startswith("=")]
    csat_calls = [f for f in formulas if "CSAT(" in f or "CSAT_AVERAGE(" in f or "CSAT_DISTRIBUTION(" in f]
    assert csat_calls and all(",csat_scale)" in f for f in csat_calls)
    assert not any(",5)" in f for f in csat_calls)
    # CSAT and its average ask while the scale is blank (the n/a sentence is in the formula)
    assert sum(f.startswith("=IF(ISNUMBER(csat_scale),") or "IF(ISNUMBER(csat_scale)," in f
               for f in csat_calls) >= 2
    assert all(",ces_scale)" in f for f in formulas if "CES(" in f)
    wb = load_workbook(out)
    for name, want in (("csat_scale", None), ("ces_scale", 7)):
        title, coord = next(iter(wb.defined_names[name].destinations))
        assert wb[title][coord.replace("$", "")].value == want, name
    # the trend sheet that repeated the Periods sheet's NPS, CSAT and CES is gone
    assert "Trend by month" not in wb.sheetnames and "Periods" in wb.sheetnames


def _run(*args):
    return subprocess.run([sys.executable, "-m", "xl_cskpi", *map(str, args)], capture_output=True, text=True)


def test_the_command_line_with_a_one_to_three_export_asks_then_computes(tmp_path):
    csv = tmp_path / "emoji.csv"
    _responses().assign(submitted_at=lambda d: d["submitted_at"].dt.strftime("%Y-%m-%d")).to_csv(csv, index=False)
    r = _run("report", "survey_scores", "--data", csv, "-o", tmp_path / "a.xlsx", "--values")
    assert r.returncode == 0, r.stderr
    assert ASK_CSAT in r.stdout and "0.0%" not in r.stdout
    assert "your 24 answers run from 1 to 3" in r.stdout
    # the user's template: 5 (what the report assumed before) is refused by --strict, as the answers
    # contradict it; 3 gives the survey's CSAT
    t = _run("templates", "-o", tmp_path, "--only", "survey_scores")
    assert t.returncode == 0, t.stderr
    template = tmp_path / "survey_scores.xlsx"

    def enter(scale):
        wb = load_workbook(template)
        title, coord = next(iter(wb.defined_names["csat_scale"].destinations))
        wb[title][coord.replace("$", "")].value = scale
        wb.save(template)

    enter(5)
    r = _run("report", template, "--data", csv, "-o", tmp_path / "strict.xlsx", "--values", "--strict")
    assert r.returncode == 2 and not (tmp_path / "strict.xlsx").exists()
    assert "set csat_scale to 3" in r.stdout + r.stderr
    enter(3)
    out = tmp_path / "b.xlsx"
    r = _run("report", template, "--data", csv, "-o", out, "--values")
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out).worksheets[1]               # the dashboard: KPI rows from row 5, spec order
    keys = [k.key for k in R.kpis]
    # the month shown is March, the latest complete one (the answers stop on 12 April): seven happy faces
    assert ws.cell(5 + keys.index("csat"), 2).value == pytest.approx(7 / 12)
    assert "run from 1 to 3" not in r.stdout and "csat_scale" not in r.stdout


# --------------------------------------------------------------------------- what a header says


@pytest.mark.parametrize("header, top", [
    ("How satisfied are you with our support? (1-5)", 5),
    ("Satisfaction (1 – 3)", 3),                        # an en dash
    ("How easy was it to solve your issue? 1 to 7", 7),
    ("میزان رضایت شما (۱ تا ۵)", 5),                    # Persian digits
    ("مدى رضاك من 1 إلى 4", 4),
    ("Rate your support, out of 10", 10),
    ("How likely are you to recommend us? (0-10)", None),   # NPS's 0-10 is no CSAT scale
    ("CSAT", None), ("Satisfaction (1-5) or (1-7)", None),   # none, or two
    ("Score (1-1)", None), ("Score (1-500)", None), (None, None), (5, None),
])
def test_the_scale_a_header_states(header, top):
    from xl_cskpi.reports.specs.survey_scale import scale_in_header

    assert scale_in_header(header) == top


@pytest.mark.parametrize("header, said", [
    # reviewer's G36 (/tmp/r5/in/gforms_nps15.csv): five answers 5, 4, 5, 3, 5 under a "(1-5)" recommend
    # question read NPS -100 with no word (nps_scale_short waits for 10 answers)
    ("How likely are you to recommend us to a friend? (1-5)", True),
    ("How likely are you to recommend us? (1 = not at all, 7 = very)", True),
    ("How likely are you to recommend us (1-10)", False),      # NPS reads 1-10 unchanged (docstring of NPS)
    ("How likely are you to recommend us (0-10)", False),
    ("How likely are you to recommend us?", False),
])
def test_an_nps_header_stating_another_scale_is_said_on_any_number_of_answers(header, said):
    df = pd.DataFrame({"nps_score": [5, 4, 5, 3, 5]})
    df.attrs["columns"] = {"nps_score": header}
    found = [f for f in scale_findings(R, {"Responses": df}) if f.code == "nps_header_scale"]
    assert bool(found) == said
    if said:
        f = found[0]
        assert f.level == "warning" and f.fields == {"what": "NPS", "header": header, "scale": scale_in_header(header)}
        assert "map it to csat_score" in f.message
    # the NPS itself is what the function computes (the warning says why it means nothing): hand, 5 detractors
    assert nps([5, 4, 5, 3, 5]) == -100.0
