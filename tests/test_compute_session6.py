"""Session 6 (reviewer's H4 and the end of H1): compute reads what report reads.

* H4: ``compute monthly_churn --engine pandas --calendar jalali`` refused Jalali text dates that
  ``report churn_retention --lang fa`` reads, while DuckDB's refusal sent the user to exactly that
  command (a refusal loop); DuckDB also said "'1403/02/31' is not a date" for a valid Jalali date
  (months 1-6 have 31 days) before its Jalali hint. Now the pandas engine reads local-calendar text
  dates in every table with the report's reader (cells.datetimes with the calendar), and the SQL
  engines give the Jalali/Hijri hint first.
* H1 (compute side): survey_by_period refused the recommend column's answer labels
  ("10 - Extremely likely") and non-answers ("Not answered"), which report reads
  (exports.questions.read_answers); every engine now reads them by that function (engines.answers).

The data are the reviewer's files (/tmp/r6/in/...), rewritten inline; expected values by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xl_cskpi import engines
from xl_cskpi.errors import KPIError

from test_months_by_customer import DIDAR_FA

MONTHS = ["month", "customers_start", "customers_new", "customers_lost", "customers_end"]

#: The reviewer's didar_customers_fa2.csv (a Didar-like Persian CRM list, Jalali text dates, Latin and
#: Persian digits; C1 has two rows, C10 left and came back; C8 left on 1403/02/31, a valid Jalali day).
DIDAR_FA2 = DIDAR_FA   # (tests/test_months_by_customer.py holds the file, once)

#: By hand, customers (not rows) per Jalali month; a customer is active from its start day to the day
#: before its end day. 1402-09: C8 starts (end 1). 1402-10: C1, C10 start (start 1, new 2, end 3).
#: 1402-11: C2 (end 4). 1402-12: C3 (end 5). 1403-01: at start C1 C2 C3 C8 C10 = 5; C4, C5 new; C10 ends
#: 01/15, C2 01/20: lost 2; end 5. 1403-02: at start C1 C3 C4 C5 C8 = 5; new C6, C7 and C10 (back on
#: 02/01) = 3; lost C3 (02/15), C5 (02/28), C8 (02/31) = 3; end C1 C4 C6 C7 C10 = 5 -- the row report
#: churn_retention --lang fa shows on its Months sheet for 1403-02. 1403-03: C9 new, end 6.
#: Jalali month starts: 1 Azar 1402 = 2023-11-22, 1 Dey = 2023-12-22, 1 Bahman = 2024-01-21,
#: 1 Esfand = 2024-02-20, 1 Farvardin 1403 = 2024-03-20, 1 Ordibehesht = 2024-04-20, 1 Khordad = 2024-05-21.
DIDAR_FA2_MONTHS = [
    ("2023-11-22", 0, 1, 0, 1),
    ("2023-12-22", 1, 2, 0, 3),
    ("2024-01-21", 3, 1, 0, 4),
    ("2024-02-20", 4, 1, 0, 5),
    ("2024-03-20", 5, 2, 2, 5),
    ("2024-04-20", 5, 3, 3, 5),
    ("2024-05-21", 5, 1, 0, 6),
]

#: A Hijri customer list (Saudi CRM, Arabic-Indic digits in some cells), Umm al-Qura calendar.
HIJRI = """\
رقم العميل,تاريخ البدء,تاريخ الإلغاء
D,1445/07/15,1445/09/29
A,1445/08/10,
B,١٤٤٥/٠٨/٢٠,١٤٤٥/٠٩/٠٥
C,1445/09/01,
"""
#: By hand: Rajab 1445 (1 Rajab = 2024-01-13): D starts (start 0, new 1, end 1). Sha'ban (1 Sha'ban =
#: 2024-02-11): A, B new (start 1, end 3). Ramadan (1 Ramadan = 2024-03-11): at start A B D = 3; C new;
#: B leaves on the 5th, D on the 29th: lost 2; end A C = 2.
HIJRI_MONTHS = [("2024-01-13", 0, 1, 0, 1), ("2024-02-11", 1, 2, 0, 3), ("2024-03-11", 3, 1, 2, 2)]


def _csv(tmp_path, text: str, name: str = "data.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _months(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=MONTHS)
    df["month"] = pd.to_datetime(df["month"])
    return df


def _same_months(got: pd.DataFrame, rows) -> None:
    want = _months(rows)
    assert got["month"].dt.strftime("%Y-%m-%d").tolist() == want["month"].dt.strftime("%Y-%m-%d").tolist()
    assert got[MONTHS[1:]].to_numpy().tolist() == want[MONTHS[1:]].to_numpy().tolist()


def test_monthly_churn_reads_jalali_text_dates_on_pandas_as_report(tmp_path):
    """H4: the reviewer's didar_customers_fa2.csv with --engine pandas --calendar jalali."""
    out = engines.compute("monthly_churn", _csv(tmp_path, DIDAR_FA2), engine="pandas", calendar="jalali")
    _same_months(out, DIDAR_FA2_MONTHS)


def test_monthly_churn_reads_jalali_text_dates_without_ids(tmp_path):
    """The same list without its id column counts rows (C1's two rows twice, C10's two rows as two):
    by hand 1402-10 new 3 (C1 twice, C10), 1403-02 start 6 (C1 twice, C3, C4, C5, C8), end 6."""
    text = "\n".join(",".join(line.split(",")[2:4]) for line in DIDAR_FA2.splitlines()) + "\n"
    out = engines.compute("monthly_churn", _csv(tmp_path, text), engine="pandas", calendar="jalali")
    row = out[out["month"] == pd.Timestamp("2024-04-20")].iloc[0]
    assert out.iloc[1][MONTHS[1:]].tolist() == [1, 3, 0, 4]
    assert row[MONTHS[1:]].tolist() == [6, 3, 3, 6]


@pytest.mark.parametrize("with_ids", [True, False])
def test_monthly_churn_reads_hijri_text_dates_on_pandas(tmp_path, with_ids):
    text = HIJRI if with_ids else "\n".join(line.split(",", 1)[1] for line in HIJRI.splitlines()) + "\n"
    out = engines.compute("monthly_churn", _csv(tmp_path, text), engine="pandas", calendar="hijri")
    _same_months(out, HIJRI_MONTHS)


def test_cohorts_read_jalali_text_dates_on_pandas(tmp_path):
    """Another table reading dates: activity in Jalali text dates (Persian digits too). By hand: cohort
    1403-01 = a, b (2 customers); month 1: a active (1403/02/31) = 50 %; month 2: b (1403/03/02) = 50 %;
    cohort 1403-02 = c, month 0 only."""
    text = ("customer_id,activity_date\na,1403/01/05\nb,۱۴۰۳/۰۱/۲۰\na,1403/02/31\nb,1403/03/02\n"
            "c,۱۴۰۳/۰۲/۱۰\n")
    out = engines.compute("cohorts", _csv(tmp_path, text), engine="pandas", calendar="jalali")
    assert out["Cohort"].tolist() == ["1403-01", "1403-02"]
    assert out["Customers"].tolist() == [2, 1]
    assert out.loc[0, ["Month 0", "Month 1", "Month 2"]].tolist() == [1.0, 0.5, 0.5]
    assert out.loc[1, "Month 0"] == 1.0 and np.isnan(out.loc[1, "Month 2"])


def test_support_summary_reads_hijri_text_times_on_pandas(tmp_path):
    """The reviewer's Zid-style tickets (Hijri date-times, Arabic-Indic digits): ticket 1 opened
    2 Ramadan 1445 09:00, resolved 11:30 = 2.5 h; ticket 2 opened 09:00 on the 3rd, resolved 09:00 on
    the 4th = 24 h; mean 13.25 h, both in Ramadan 1445."""
    text = ("opened_at,resolved_at\n١٤٤٥/٠٩/٠٢ ٠٩:٠٠,١٤٤٥/٠٩/٠٢ ١١:٣٠\n1445/09/03 09:00,1445/09/04 09:00\n")
    out = engines.compute("support_summary", _csv(tmp_path, text), engine="pandas", calendar="hijri")
    assert out["period"].tolist() == ["1445-09"]
    assert out.loc[0, "tickets"] == 2
    assert out.loc[0, "resolution_mean_hours"] == pytest.approx(13.25)


def test_pandas_without_the_calendar_says_the_commands_option(tmp_path):
    """The refusal names this command's remedy (--calendar), not a worksheet function."""
    with pytest.raises(KPIError) as e:
        engines.compute("monthly_churn", _csv(tmp_path, DIDAR_FA2), engine="pandas")
    assert "looks like a Jalali or Hijri date (year 1402)" in e.value.line
    assert "--calendar jalali" in e.value.line and "PERIOD_LABEL" not in e.value.line


#: Only the 31st of Ordibehesht: no Gregorian 31 February reading is tried first.
ONE_31 = "customer_id,start,end\nC8,2023-12-21,1403/02/31\nC9,2024-01-01,\n"


@pytest.mark.parametrize("text", [DIDAR_FA2, ONE_31], ids=["didar_fa2", "only_1403_02_31"])
@pytest.mark.parametrize("calendar", ["jalali", "gregorian"])
def test_duckdb_gives_the_jalali_hint_first_and_it_holds(tmp_path, text, calendar):
    path = _csv(tmp_path, text)
    with pytest.raises(engines.EngineError) as e:
        engines.compute("monthly_churn", path, engine="duckdb", calendar=calendar)
    line = e.value.line
    assert "(a Jalali or Hijri date?)" in line and "not dates" not in line and "not a date" not in line
    assert "--engine pandas with --calendar jalali" in line
    if text == ONE_31:
        assert "'1403/02/31'" in line and "year 1403" in line
    # the hint holds: pandas with --calendar jalali reads the file
    out = engines.compute("monthly_churn", path, engine="pandas", calendar="jalali")
    if text == ONE_31:
        # C8 from 1 Dey 1402 (2023-12-22 is 1 Dey; 2023-12-21 is 30 Azar) to 31 Ordibehesht 1403; C9 from
        # 11 Dey 1402: Azar new 1; Dey new 1 (end 2); ...; Ordibehesht lost 1 (end 1)
        assert out["customers_new"].sum() == 2 and out["customers_lost"].sum() == 1
        assert out["customers_end"].iloc[-1] == 1


# ----------------------------------------------------------------------------- survey answers (H1)

#: The reviewer's hotjar_nps.csv (Hotjar survey responses export; two answers written as labels).
HOTJAR = """\
Number,User,Date Submitted,Country,Source URL,Device,Browser,OS,Hotjar User ID,How likely are you to recommend us to a friend or colleague?,What's the main reason for your score?
1,,2024-03-02 10:15:00,Germany,https://app.example.com/,Desktop,Chrome 122,Windows 10,a1b2,10 - Extremely likely,Great
2,,2024-03-03 11:00:00,France,https://app.example.com/,Mobile,Safari 17,iOS 17,a1b3,9,Good
3,,2024-03-04 12:00:00,Spain,https://app.example.com/,Desktop,Firefox,Linux,a1b4,7,Ok
4,,2024-03-05 13:00:00,Italy,https://app.example.com/,Desktop,Chrome,macOS,a1b5,0 - Not at all likely,Bad
5,,2024-03-06 14:00:00,Iran,https://app.example.com/,Tablet,Chrome,Android,a1b6,3,Slow
6,,2024-03-07 15:00:00,UAE,https://app.example.com/,Desktop,Edge,Windows 11,a1b7,8,
7,,2024-03-08 16:00:00,Germany,https://app.example.com/,Desktop,Chrome,Windows 10,a1b8,10 - Extremely likely,Love it
"""
#: By hand: answers 10, 9, 7, 0, 3, 8, 10: promoters 3 (10, 9, 10), passives 2 (7, 8), detractors 2 (0, 3) of 7;
#: NPS = 100 (3 - 2) / 7 = +14.29 (report survey_scores shows +14).
HOTJAR_NPS = (7, 3, 2, 2, 100 * (3 - 2) / 7)

_ANSWERS_30 = ["7", "10", "10", "Not answered", "10", "6", "10", "10", "9", "0", "Not answered", "3", "6", "10",
               "3", "0", "9", "Not answered", "10", "5", "7", "5", "9", "10", "Not answered", "5", "10", "6", "9",
               "10"]
_SAT_30 = [2, 1, 3, 5, 1, 1, 5, 5, 5, 5, 2, 2, 2, 5, 2, 5, 3, 1, 5, 5, 4, 3, 2, 5, 4, 3, 1, 2, 4, 1]
_TEN_30 = [6, 8, 9, 3, 6, 3, 6, 1, 0, 6, 0, 4, 8, 4, 1, 10, 1, 9, 3, 6, 9, 4, 3, 4, 5, 9, 8, 5, 6, 8]
#: The reviewer's nps_survey_30.csv (30 responses in May 2024, 4 "Not answered"; the last two dated 1-2 May).
NPS_30 = "Response ID,Response Date,How likely are you to recommend Acme to a colleague?,Overall Satisfaction," \
         "Tenure (years),Account ID\n" + "".join(
             f"R{1000 + i},2024-05-{(i % 28) + 1:02d},{a},{s},{t},acct{i % 12}\n"
             for i, (a, s, t) in enumerate(zip(_ANSWERS_30, _SAT_30, _TEN_30)))
#: By hand: 26 answers; promoters 14 (ten 10s, four 9s), passives 2 (two 7s), detractors 10 (0, 0, 3, 3,
#: 5, 5, 5, 6, 6, 6); NPS = 100 (14 - 10) / 26 = +15.38 (report survey_scores shows +15.4).
NPS_30_NPS = (26, 14, 2, 10, 100 * (14 - 10) / 26)

#: A Persian form (Porsline-like): answers as labels in Persian digits, a non-answer in Persian. By hand:
#: ۱۰ - خیلی زیاد = 10, ۹ = 9, ۰ - اصلاً = 0, 6, two "بدون پاسخ" blank: 4 answers, promoters 2, detractors 2,
#: NPS 0.
PERSIAN = ("تاریخ,چقدر احتمال دارد ما را به دوستان خود توصیه کنید؟\n2024-03-02,۱۰ - خیلی زیاد\n2024-03-03,۹\n"
           "2024-03-04,بدون پاسخ\n2024-03-05,۰ - اصلاً\n2024-03-06,6\n2024-03-07,بدون پاسخ\n")
PERSIAN_NPS = (4, 2, 0, 2, 0.0)

SURVEYS = {"hotjar": (HOTJAR, HOTJAR_NPS), "nps_30": (NPS_30, NPS_30_NPS), "persian": (PERSIAN, PERSIAN_NPS)}
NPS_COLS = ["nps_respondents", "promoters", "passives", "detractors"]


def _nps_row(out: pd.DataFrame) -> tuple:
    assert len(out) == 1
    r = out.iloc[0]
    return tuple(int(r[c]) for c in NPS_COLS) + (float(r["nps"]),)


def _check_nps(out: pd.DataFrame, want: tuple) -> None:
    got = _nps_row(out)
    assert got[:4] == want[:4]
    assert got[4] == pytest.approx(want[4], abs=1e-9)


def test_nps_30_inline_is_the_reviewers_file():
    """The generator writes the reviewer's rows (first, fourth, last checked against the file)."""
    lines = NPS_30.splitlines()
    assert lines[1] == "R1000,2024-05-01,7,2,6,acct0"
    assert lines[4] == "R1003,2024-05-04,Not answered,5,3,acct3"
    assert lines[30] == "R1029,2024-05-02,10,1,8,acct5"


@pytest.mark.parametrize("name", list(SURVEYS))
@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_survey_reads_answer_labels_and_non_answers(tmp_path, name, engine):
    text, want = SURVEYS[name]
    out = engines.compute("survey_by_period", _csv(tmp_path, text), engine=engine)
    _check_nps(out, want)


def test_survey_answer_notes_are_the_same_on_pandas_and_duckdb(tmp_path):
    for name, (text, _) in SURVEYS.items():
        path = _csv(tmp_path, text, f"{name}.csv")
        a = engines.compute("survey_by_period", path, engine="pandas").attrs["notes"]
        b = engines.compute("survey_by_period", path, engine="duckdb").attrs["notes"]
        assert a == b, name
    hotjar = engines.compute("survey_by_period", _csv(tmp_path, HOTJAR), engine="pandas").attrs["notes"]
    assert any("10 - Extremely likely = 10, 0 - Not at all likely = 0" in n for n in hotjar)
    nps30 = engines.compute("survey_by_period", _csv(tmp_path, NPS_30), engine="duckdb").attrs["notes"]
    assert any("4 answers of 'How likely are you to recommend Acme to a colleague?' give no score "
               "(Not answered (4))" in n for n in nps30)


def test_survey_answers_from_a_dataframe_on_both_engines():
    """A DataFrame source (numbers as numbers, labels as text in one object column) reads the same."""
    df = pd.DataFrame({"submitted_at": pd.to_datetime(["2024-03-02", "2024-03-03", "2024-03-04", "2024-03-05"]),
                       "nps_score": ["10 - Extremely likely", 9, "Skipped", "0 - Not at all likely"]})
    # by hand: 10, 9, blank, 0: 3 answers, promoters 2, detractor 1, NPS +33.3
    for engine in ("pandas", "duckdb"):
        _check_nps(engines.compute("survey_by_period", df, engine=engine), (3, 2, 0, 1, 100 / 3))


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_survey_answer_that_is_no_score_is_still_refused(tmp_path, engine):
    """A label maps, but 'maybe' reads by no rule: refused, naming it (as report names it)."""
    text = "submitted_at,nps_score\n2024-03-02,10 - Extremely likely\n2024-03-03,maybe\n"
    with pytest.raises(KPIError, match="maybe"):
        engines.compute("survey_by_period", _csv(tmp_path, text), engine=engine)


# ----------------------------------------------------------------------------- Spark (local mode, once)

# the ``spark`` fixture: tests/conftest.py


@pytest.mark.spark
def test_survey_answers_and_jalali_hint_on_spark(tmp_path, spark):
    for name, (text, want) in SURVEYS.items():
        path = _csv(tmp_path, text, f"{name}.csv")
        out = engines.compute("survey_by_period", path, engine="spark", options={"spark": spark})
        _check_nps(out, want)
        assert out.attrs["notes"] == engines.compute("survey_by_period", path, engine="pandas").attrs["notes"]
    with pytest.raises(engines.EngineError, match=r"year 1403 \(a Jalali or Hijri date\?\).*'1403/02/31'.*--engine "
                                                  "pandas with --calendar jalali"):
        engines.compute("monthly_churn", _csv(tmp_path, ONE_31), engine="spark", calendar="jalali",
                        options={"spark": spark})
