"""Which column of a survey export is the NPS question (reviewer's H1, session 6: /work/notes/s6/R_findings.md).

The report read the NPS from a response counter (Hotjar's ``Number``), a ``Tenure (years)`` field or a
response id when the recommend question's answers were labels (``10 - Extremely likely``) or partly
``Not answered``, or when the form asked no recommend question at all. The rules now
(:func:`xl_cskpi.exports.mapping._score_field`, :func:`xl_cskpi.exports.questions.read_answers`):

1. a column whose header asks the recommend question is the question, whatever its values: labels that start
   with their number are read as that number, non-answers as blanks, and any other answer is named by the
   report; another column is never taken for it by its values;
2. a row counter (1, 2, 3 ... in the file's order) and a header naming an id, number, count, tenure, years,
   age or seats never qualify by values alone;
3. values alone count only in a survey profile's export, or, in a file recognised as a survey by its name
   only, under a header that names a score, rating, likelihood or the NPS.

Each file below is the reviewer's file (/tmp/r6/in/) written inline, or a small variant of it; the NPS
expected is computed by hand in the comment beside it.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from xl_cskpi.exports.check import DataCheck, ExportError, ReadOptions
from xl_cskpi.exports.mapping import match
from xl_cskpi.exports.questions import counter_column, not_a_score_header, read_answers, score_columns
from xl_cskpi.exports.read import read_file
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.evaluate import Absent
from xl_cskpi.reports.fill import load_data
from xl_cskpi.reports.specs import tables as T

R = reports()
DATA = Path(__file__).parent / "data" / "exports"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _mapped(p: Path, lang: str = "en", tables=(T.RESPONSES,)) -> tuple[dict[str, str], DataCheck]:
    check = DataCheck()
    out = match(list(tables), {p: read_file(p, check)}, ReadOptions(lang=lang), check)
    return out["Responses"].columns, check


def _report(p: Path, tmp_path: Path, lang: str = "en") -> tuple[dict, DataCheck]:
    """The survey report's values (as ``xl-cskpi report survey_scores --values`` computes them) and its check."""
    tables, check = load_data(R["survey_scores"], [p], ReadOptions(lang=lang))
    values = build(R["survey_scores"], tmp_path / "survey.xlsx", lang=lang, data=tables, values=True)
    return values, check


# --------------------------------------------------------------------------- the reviewer's three reproductions

# /tmp/r6/in/hotjar_nps.csv (Hotjar survey responses export): 7 responses, two answers written as labels
_SITE = "https://app.example.com/"
HOTJAR = (
    "Number,User,Date Submitted,Country,Source URL,Device,Browser,OS,Hotjar User ID,"
    "How likely are you to recommend us to a friend or colleague?,What's the main reason for your score?\n"
    f"1,,2024-03-02 10:15:00,Germany,{_SITE},Desktop,Chrome 122,Windows 10,a1b2,10 - Extremely likely,Great\n"
    f"2,,2024-03-03 11:00:00,France,{_SITE},Mobile,Safari 17,iOS 17,a1b3,9,Good\n"
    f"3,,2024-03-04 12:00:00,Spain,{_SITE},Desktop,Firefox,Linux,a1b4,7,Ok\n"
    f"4,,2024-03-05 13:00:00,Italy,{_SITE},Desktop,Chrome,macOS,a1b5,0 - Not at all likely,Bad\n"
    f"5,,2024-03-06 14:00:00,Iran,{_SITE},Tablet,Chrome,Android,a1b6,3,Slow\n"
    f"6,,2024-03-07 15:00:00,UAE,{_SITE},Desktop,Edge,Windows 11,a1b7,8,\n"
    f"7,,2024-03-08 16:00:00,Germany,{_SITE},Desktop,Chrome,Windows 10,a1b8,10 - Extremely likely,Love it\n")
RECOMMEND = "How likely are you to recommend us to a friend or colleague?"


def test_hotjar_labels_are_read_and_the_response_number_is_not_the_nps(tmp_path):
    # answers 10, 9, 7, 0, 3, 8, 10 -> promoters 3 (10, 9, 10), detractors 2 (0, 3) of 7: NPS (3 - 2) / 7 = +14.3
    # (the reviewer's hotjar_nps_plain.csv gives 14); shown before: -86, the NPS of the row numbers 1..7
    p = _write(tmp_path, "hotjar_nps.csv", HOTJAR)
    cols, check = _mapped(p)
    assert cols["nps_score"] == RECOMMEND and "Number" not in cols.values()
    values, check = _report(p, tmp_path)
    assert math.isclose(values["nps"], 100 * (3 - 2) / 7) and values["nps_responses"] == 7
    (f,) = [f for f in check if f.code == "score_labels"]
    assert f.column == RECOMMEND and f.level == "info"
    assert f.fields == {"column": RECOMMEND, "labels": "10 - Extremely likely = 10, 0 - Not at all likely = 0"}


# /tmp/r6/in/nps_survey_30.csv: 30 responses, 4 "Not answered"; Tenure (years) holds 0..10
NPS30 = [7, 10, 10, None, 10, 6, 10, 10, 9, 0, None, 3, 6, 10, 3, 0, 9, None, 10, 5, 7, 5, 9, 10, None, 5, 10, 6, 9, 10]
SAT30 = [2, 1, 3, 5, 1, 1, 5, 5, 5, 5, 2, 2, 2, 5, 2, 5, 3, 1, 5, 5, 4, 3, 2, 5, 4, 3, 1, 2, 4, 1]
TENURE30 = [6, 8, 9, 3, 6, 3, 6, 1, 0, 6, 0, 4, 8, 4, 1, 10, 1, 9, 3, 6, 9, 4, 3, 4, 5, 9, 8, 5, 6, 8]


def _nps30() -> str:
    rows = ["Response ID,Response Date,How likely are you to recommend Acme to a colleague?,Overall Satisfaction,"
            "Tenure (years),Account ID"]
    for i, (n, s, t) in enumerate(zip(NPS30, SAT30, TENURE30)):
        rows.append(f"R{1000 + i},2024-05-{i % 28 + 1:02d},{'Not answered' if n is None else n},{s},{t},acct{i % 12}")
    return "\r\n".join(rows) + "\r\n"


def test_not_answered_are_blanks_and_tenure_is_not_the_nps(tmp_path):
    # the 26 answers: 14 promoters (10 x 10, 9 x 4), 10 detractors (0 x 2, 3 x 2, 5 x 3, 6 x 3), 2 passives
    # (7 x 2): NPS (14 - 10) / 26 = +15.4; shown before: -53.3, the "NPS" of Tenure (5 promoters, 21 detractors of 30)
    p = _write(tmp_path, "nps_survey_30.csv", _nps30())
    cols, _ = _mapped(p)
    assert cols["nps_score"] == "How likely are you to recommend Acme to a colleague?"
    assert "Tenure (years)" not in cols.values()
    values, check = _report(p, tmp_path)
    assert math.isclose(values["nps"], 100 * (14 - 10) / 26) and values["nps_responses"] == 26
    (f,) = [f for f in check if f.code == "score_non_answers"]
    # the first "Not answered" is R1003, the 4th response: file row 5 (the header is row 1)
    assert f.fields == {"column": "How likely are you to recommend Acme to a colleague?", "count": 4,
                        "values": "Not answered (4)", "row": 5}
    assert f.row == 5 and f.level == "info"


# /tmp/r6/in/porsline_csat_fa.csv: a Porsline CSAT-only form, response id 1..8, satisfaction in words
PORSLINE_CSAT = ("شناسه پاسخ,تاریخ ثبت پاسخ,چقدر از پشتیبانی ما راضی هستید؟,توضیحات\n"
                 "1,1403/02/02,خیلی راضی,عالی\n2,1403/02/03,راضی,\n3,1403/02/05,متوسط,\n4,1403/02/08,ناراضی,کند\n"
                 "5,1403/02/09,خیلی ناراضی,بد\n6,1403/02/11,راضی,\n7,1403/02/15,خیلی راضی,\n8,1403/02/20,متوسط,\n")


def test_a_csat_only_form_has_no_nps(tmp_path):
    # no recommend question: NPS "n/a: no NPS scores given" (shown before: -75, the NPS of the ids 1..8);
    # CSAT unchanged: 4 of 8 satisfied (5, 4, 4, 5) = 50 %, average (5+4+3+2+1+4+5+3)/8 = 27/8 = 3.375
    p = _write(tmp_path, "porsline_csat_fa.csv", PORSLINE_CSAT)
    cols, _ = _mapped(p, "fa")
    assert "nps_score" not in cols and "شناسه پاسخ" not in cols.values()
    values, _ = _report(p, tmp_path, "fa")
    assert isinstance(values["nps"], Absent) and str(values["nps"]) == "n/a: no NPS scores given"
    tables, _ = load_data(R["survey_scores"], [p], ReadOptions(lang="fa"))
    assert tables["Responses"]["csat_score"].tolist() == [5, 4, 3, 2, 1, 4, 5, 3]


# --------------------------------------------------------------------------- labels, non-answers, other answers

def test_labels_in_persian_digits_and_persian_non_answers(tmp_path):
    # a Porsline-style NPS form whose answers are labels in Persian digits: ۱۰ - خیلی زیاد (10), ۹ (9),
    # ۰ - اصلاً (0), ۸ (8), one بدون پاسخ (no answer) -> 4 responses, promoters 2 (10, 9), detractors 1 (0):
    # NPS (2 - 1) / 4 = +25; the response id 1..5 is not read
    header = "چقدر احتمال دارد ما را به دوستان یا همکاران خود پیشنهاد کنید؟"
    p = _write(tmp_path, "porsline.csv", f"شناسه پاسخ,تاریخ ثبت پاسخ,{header}\n"
               "1,1403/02/02,۱۰ - خیلی زیاد\n2,1403/02/03,۹\n3,1403/02/05,۰ - اصلاً\n4,1403/02/08,بدون پاسخ\n"
               "5,1403/02/09,۸\n")
    cols, check = _mapped(p, "fa")
    assert cols["nps_score"] == header
    values, check = _report(p, tmp_path, "fa")
    assert math.isclose(values["nps"], 25.0) and values["nps_responses"] == 4
    assert {f.code for f in check} >= {"score_labels", "score_non_answers"}


@pytest.mark.parametrize("label, number", [("10 - Extremely likely", 10), ("0 - Not at all likely", 0),
                                           ("9 (Very likely)", 9), ("10 – Extremely likely", 10),
                                           ("0: Not at all likely", 0), ("10 Extremely likely", 10),
                                           ("١٠ - محتمل جدا", 10), ("۵ - متوسط", 5)])
def test_answer_labels_read_as_their_number(label, number):
    a = read_answers(pd.Series([label, "7"]))
    assert a.readable and a.numbers.tolist() == [float(number), 7.0]


@pytest.mark.parametrize("text", ["Not answered", "N/A", "-", "Skipped", "Prefer not to say", "n/a", "NA",
                                  "بدون پاسخ", "لا إجابة", "لم يتم الرد"])
def test_non_answers_are_blanks(text):
    a = read_answers(pd.Series(["9", text, None]))
    assert a.readable and a.numbers.tolist() == [9.0, None, None] and a.non_answers == {text: 1}


@pytest.mark.parametrize("text", ["11", "7.5", "Extremely likely", "maybe", "11 - Off the scale", "10.5"])
def test_other_answers_are_not_read(text):
    a = read_answers(pd.Series(["9", text]))
    assert not a.readable and a.bad == (text, 1) and a.numbers.tolist() == [9.0, None]


def test_an_unreadable_answer_with_csat_is_named_by_the_report_not_replaced(tmp_path):
    # a recommend question with one "maybe" beside a 0-10 "Number of seats" column and a CSAT question: the
    # question stays mapped as written and the report refuses naming the answer (before: another column, or
    # the NPS silently missing)
    p = _write(tmp_path, "survey.csv", "Date,How likely are you to recommend Acme?,Number of seats,"
                                       "How satisfied are you? (1-5)\n"
               "2024-05-01,10,1,5\n2024-05-02,maybe,2,4\n2024-05-03,3,7,2\n2024-05-04,9,9,4\n")
    cols, _ = _mapped(p)
    assert cols["nps_score"] == "How likely are you to recommend Acme?" and "Number of seats" not in cols.values()
    assert cols["csat_score"] == "How satisfied are you? (1-5)"
    with pytest.raises(ExportError, match="maybe"):
        load_data(R["survey_scores"], [p], ReadOptions())


def test_an_unreadable_answer_alone_is_named_by_the_mapping(tmp_path):
    # the same without CSAT: the file feeds nothing else, so the mapping's message names the column, the
    # answer and its row (reviewer's U17 message), never the Tenure column
    p = _write(tmp_path, "survey.csv", "Date,How likely are you to recommend Acme?,Tenure (years)\n"
               "2024-05-01,10,1\n2024-05-02,Not answered,2\n2024-05-03,maybe,7\n2024-05-04,9,9\n")
    with pytest.raises(ExportError) as e:
        load_data(R["survey_scores"], [p], ReadOptions())
    msg = str(e.value)
    assert "column 'How likely are you to recommend Acme?' holds 'maybe' in row 4" in msg
    assert "1 of 4 answers are not whole numbers 0-10" in msg and "Tenure" not in msg.split("(column")[0]


# --------------------------------------------------------------------------- counters and id/count headers

def test_a_seats_column_beside_the_recommend_question(tmp_path):
    # "How many seats do you have?" 0..10 beside a proper recommend column: the recommend column, by hand
    # 9, 10, 6, 8 -> 2 promoters, 1 detractor of 4: NPS +25
    p = _write(tmp_path, "nps.csv", "Submitted at,How many seats do you have?,How likely are you to recommend us?\n"
               "2024-05-01,8,9\n2024-05-02,10,10\n2024-05-03,2,6\n2024-05-04,7,8\n")
    cols, _ = _mapped(p)
    assert cols["nps_score"] == "How likely are you to recommend us?"
    assert "How many seats do you have?" not in cols.values()


def test_a_seats_column_alone_is_no_nps(tmp_path):
    # a file named as a survey with no recommend question and a 0-10 seats count: no NPS question, so the file
    # (no CSAT or CES either) is refused, not read with the seats as the NPS
    p = _write(tmp_path, "nps.csv", "Submitted at,How many seats do you have?\n2024-05-01,8\n2024-05-02,10\n"
                                    "2024-05-03,2\n")
    with pytest.raises(ExportError, match="nps_score"):
        load_data(R["survey_scores"], [p], ReadOptions())


def test_counters_and_id_headers_do_not_qualify_by_values():
    df = pd.DataFrame({"Response": ["3", "4", "5", "6", "7"],      # a run 3..7: a counter, whatever its header
                       "Newest first": [8, 7, 6, 5, 4],            # Hotjar lists the newest response first
                       "Tenure (years)": ["0", "10", "3", "6", "8"],
                       "Score": ["9", "10", "3", "6", "8"]})
    assert counter_column(df["Response"]) and counter_column(df["Newest first"])
    assert not counter_column(df["Score"]) and not counter_column(pd.Series(["9", "10"]))   # two answers prove nothing
    assert not_a_score_header("Tenure (years)") and not_a_score_header("Number") and not_a_score_header("شناسه پاسخ")
    assert not not_a_score_header("How likely are you to recommend us?") and not not_a_score_header("Score")
    assert [s.header for s in score_columns(df)] == ["Score"]
    # a header that words the question is never ruled out by its values' order
    worded = pd.DataFrame({"How likely are you to recommend us?": ["6", "7", "8", "9", "10"]})
    assert [s.header for s in score_columns(worded)] == ["How likely are you to recommend us?"]


def test_a_file_named_as_a_survey_reads_values_alone_only_under_a_score_header(tmp_path):
    # nps.csv recognised by its name: "Score" is read (by hand 10, 6, 9, 3, 8 -> 2 promoters, 2 detractors: 0),
    # an unnamed 0-10 column ("Q7") is not
    body = "".join(f"2024-06-0{i},{v}\n" for i, v in enumerate([10, 6, 9, 3, 8], 1))
    cols, _ = _mapped(_write(tmp_path, "nps.csv", "Date,Score\n" + body))
    assert cols["nps_score"] == "Score"
    with pytest.raises(ExportError, match="nps_score"):
        load_data(R["survey_scores"], [_write(tmp_path, "nps2_survey.csv", "Date,Q7\n" + body)], ReadOptions())


# --------------------------------------------------------------------------- the vendor files map as before

@pytest.mark.parametrize("name, lang, header", [
    ("typeform_nps.csv", "en", "How likely are you to recommend Acme to a friend or colleague?"),
    ("surveymonkey_nps.csv", "en", "How likely is it that you would recommend our product to a friend or colleague?"),
    ("google_forms_nps_ar.csv", "ar", "ما مدى احتمال أن تنصح بخدمتنا صديقًا أو زميلًا؟"),
    ("porsline_nps.csv", "fa", "چقدر احتمال دارد ما را به دوستان یا همکاران خود پیشنهاد کنید؟"),
])
def test_vendor_survey_exports_keep_their_nps_column(name, lang, header):
    cols, check = _mapped(DATA / name, lang, (T.RESPONSES, T.EMPLOYEES))
    assert cols["nps_score"] == header
    assert not [f for f in check if f.code in ("score_labels", "score_non_answers")]
