"""CSV shapes real exports have above and inside their data (xl_cskpi.exports.text): Excel's `sep=;`
line (U1), title lines above the header (U18), a header row repeated inside the data and Qualtrics'
three header rows (U3), and a 0-10 question that one value disqualifies (U17). Reviewer's findings
of session 4 (/work/notes/s4/R_findings.md); each test names the export whose shape it writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xl_cskpi.exports.check import DataCheck, ExportError, ReadOptions
from xl_cskpi.exports.mapping import match
from xl_cskpi.exports.read import read_file
from xl_cskpi.reports import reports
from xl_cskpi.reports.fill import load_data
from xl_cskpi.reports.specs import tables as T


def _write(d: Path, name: str, text: str) -> Path:
    p = d / name
    p.write_text(text, encoding="utf-8")
    return p


# --------------------------------------------------------------------------- U1: sep=;

def test_excels_sep_line_is_the_delimiter_not_a_row(tmp_path):
    # Excel's "sep=" hint (support.microsoft.com: a first line sep=; makes Excel split on ';'), as a
    # German MRR export written for Excel has it (reviewer's eu_sep_hint.csv)
    p = _write(tmp_path, "mrr.csv", "sep=;\ncustomer_id;month;mrr;Tarif\nK001;2024-01;1200,50;Pro\n"
                                    "K002;2024-01;99,90;Basic\n")
    check = DataCheck()
    df = read_file(p, check)
    assert list(df.columns) == ["customer_id", "month", "mrr", "Tarif"]
    # the header is line 2, so the first data row is row 3
    assert df.index.tolist() == [3, 4] and df.loc[3, "mrr"] == "1200,50"
    assert df.attrs["delimiter"] == ";"
    (f,) = [f for f in check if f.code == "sep_hint"]
    assert f.level == "info" and f.row == 1 and f.fields == {"delimiter": ";"}


def test_a_file_of_only_the_sep_line_is_refused(tmp_path):
    p = _write(tmp_path, "x.csv", "sep=,\n")
    with pytest.raises(ExportError, match="holds only Excel's delimiter line 'sep=,'"):
        read_file(p)


def test_sep_line_and_decimal_comma_read_through_the_revenue_pipeline(tmp_path):
    p = _write(tmp_path, "subscriptions.csv", "sep=;\ncustomer_id;month;mrr\nK001;2024-01;1200,50\n"
                                              "K001;2024-02;1200,50\nK002;2024-01;99,90\n")
    data, check = load_data(reports()["revenue"], [p], ReadOptions(decimal=","))
    # hand: 1200.50 + 99.90 in January, 1200.50 in February
    s = data["Subscriptions"]
    assert sorted(s["mrr"].tolist()) == [99.9, 1200.5, 1200.5]
    assert data["Subscriptions"].attrs["rows"] == [3, 4, 5]


# --------------------------------------------------------------------------- U18: title lines

GOOGLE_ADS = ('Campaign report\n"June 1, 2024 - June 30, 2024"\n'
              "Campaign,Channel,Sessions,Leads,New customers,Spend\n"
              'Spring search,google / cpc,12000,400,20,"$5,000.00"\nNewsletter June,email,3000,150,12,$500.00\n')


def test_google_ads_title_lines_are_skipped_and_said(tmp_path):
    # Google Ads report downloads put the report's name and its date range above the header
    # (support.google.com/google-ads: "Download a report"; reviewer's campaigns_preamble.csv)
    p = _write(tmp_path, "campaigns.csv", GOOGLE_ADS)
    check = DataCheck()
    df = read_file(p, check)
    assert list(df.columns) == ["Campaign", "Channel", "Sessions", "Leads", "New customers", "Spend"]
    assert df.index.tolist() == [4, 5]          # the header is line 3
    (f,) = [f for f in check if f.code == "title_lines"]
    assert f.level == "info" and f.row == 1
    assert f.message == ("lines 1-2 above the header (line 3) skipped as a title: 'Campaign report'; "
                         "'June 1, 2024 - June 30, 2024'")


def test_ga4_comment_block_and_blank_line_are_skipped(tmp_path):
    # GA4 > Reports > Share > Download CSV writes a '#' comment block and a blank line first
    text = ("# ----------------------------------------\n# Landing page\n# Account: Acme\n"
            "# Start date: 20240601\n# End date: 20240630\n# ----------------------------------------\n\n"
            "Landing page,Sessions,Key events\n/pricing,1200,30\n/blog,800,4\n")
    p = _write(tmp_path, "ga4.csv", text)
    check = DataCheck()
    df = read_file(p, check)
    assert list(df.columns) == ["Landing page", "Sessions", "Key events"]
    assert df.index.tolist() == [9, 10]
    (f,) = [f for f in check if f.code == "title_lines"]
    assert f.fields["lines"] == "lines 1-7" and f.fields["header"] == 8


def test_a_one_column_file_is_not_taken_for_a_title(tmp_path):
    p = _write(tmp_path, "ids.csv", "customer_id\nA1\nA2\n")
    check = DataCheck()
    df = read_file(p, check)
    assert list(df.columns) == ["customer_id"] and len(df) == 2
    assert not [f for f in check if f.code == "title_lines"]


def test_a_title_and_nothing_else_is_refused(tmp_path):
    p = _write(tmp_path, "x.csv", "Campaign report\n")
    with pytest.raises(ExportError, match="has a header but no data rows"):
        read_file(p)


# --------------------------------------------------------------------------- U3: repeated header rows

def test_two_pasted_google_forms_exports_lose_the_second_header_row(tmp_path):
    # Google Forms > Download responses (.csv), twice, pasted into one file (reviewer's
    # gforms_nps_concat_total.csv: header rows at lines 22 and 43)
    header = "Timestamp,How likely are you to recommend Acme to a friend or colleague?\n"
    rows = "6/3/2024 10:00:00,10\n6/4/2024 10:00:00,7\n"
    p = _write(tmp_path, "survey.csv", header + rows + header + rows)
    check = DataCheck()
    df = read_file(p, check)
    assert len(df) == 4 and df.index.tolist() == [2, 3, 5, 6]
    (w,) = [f for f in check if f.code == "header_repeated"]
    assert w.level == "warning" and w.row == 4 and w.fields == {"count": 1, "rows": [4]}
    assert "row 4 repeats the header row" in w.message


def test_a_row_that_shares_one_word_with_the_header_is_data(tmp_path):
    p = _write(tmp_path, "t.csv", "status,owner,channel\nstatus,Sara,email\n")
    df = read_file(p, DataCheck())
    assert len(df) == 1


QUALTRICS = ('StartDate,EndDate,Status,RecordedDate,ResponseId,Q1,Q2\n'
             'Start Date,End Date,Response Type,Recorded Date,Response ID,'
             'How likely are you to recommend Acme to a friend or colleague?,Why?\n'
             '"{""ImportId"":""startDate"",""timeZone"":""America/Denver""}","{""ImportId"":""endDate""}",'
             '"{""ImportId"":""status""}","{""ImportId"":""recordedDate""}","{""ImportId"":""_recordId""}",'
             '"{""ImportId"":""QID1""}","{""ImportId"":""QID2_TEXT""}"\n'
             '2024-05-02 10:00:00,2024-05-02 10:01:00,IP Address,2024-05-02 10:01:01,R_1,10,great\n'
             '2024-05-03 10:00:00,2024-05-03 10:01:00,IP Address,2024-05-03 10:01:01,R_2,6,slow\n')


def test_qualtrics_three_header_rows_give_the_question_texts_as_headers(tmp_path):
    # Qualtrics Data & Analysis > Export data > CSV: column ids, question texts, import ids
    # (qualtrics.com/support/survey-platform/data-and-analysis-module/data/download-data/understanding-your-dataset)
    p = _write(tmp_path, "qualtrics.csv", QUALTRICS)
    check = DataCheck()
    df = read_file(p, check)
    assert df.index.tolist() == [4, 5]
    assert "How likely are you to recommend Acme to a friend or colleague?" in df.columns
    (f,) = [f for f in check if f.code == "qualtrics_header"]
    assert f.fields == {"rows": "2-3"}
    out = match([T.RESPONSES], {p: df}, ReadOptions(), check)
    cols = out["Responses"].columns
    assert cols["nps_score"] == "How likely are you to recommend Acme to a friend or colleague?"
    assert cols["submitted_at"] == "Recorded Date"


def test_qualtrics_choice_text_answers_are_read_as_their_numbers(tmp_path):
    # Qualtrics "Export choice text": "10 - Extremely likely" is the answer 10 (reviewer's H1, session 6: a
    # labelled recommend column was skipped and another 0-10 column read as the NPS); by hand 10, 6 ->
    # 1 promoter, 1 detractor of 2: NPS 0
    p = _write(tmp_path, "qualtrics.csv", QUALTRICS.replace(",10,great", ",10 - Extremely likely,great"))
    data, check = load_data(reports()["survey_scores"], [p], ReadOptions())
    assert data["Responses"]["nps_score"].tolist() == [10.0, 6.0]
    (f,) = [f for f in check if f.code == "score_labels"]
    assert f.fields["labels"] == "10 - Extremely likely = 10"


# --------------------------------------------------------------------------- U17: a stray 11

def test_a_stray_11_names_the_column_the_value_and_the_row(tmp_path):
    # Google Forms responses (reviewer's gforms_nps11.csv): one 11 typed in a 0-10 question
    p = _write(tmp_path, "survey.csv", "Timestamp,How likely are you to recommend Acme?\n6/3/2024 10:00:00,10\n"
                                       "6/20/2024 10:00:00,11\n6/27/2024 11:00:00,3\n6/28/2024 11:00:00,9\n")
    with pytest.raises(ExportError) as e:
        load_data(reports()["survey_scores"], [p], ReadOptions())
    msg = str(e.value)
    assert "column 'How likely are you to recommend Acme?' holds '11' in row 3" in msg
    assert "1 of 4 answers are not whole numbers 0-10" in msg and "--map nps_score=HEADER" in msg


def test_empty_and_header_only_files_are_refused(tmp_path):
    with pytest.raises(ExportError, match="the file is empty"):
        read_file(_write(tmp_path, "a.csv", "\n\n"))
    with pytest.raises(ExportError, match="has a header but no data rows"):
        read_file(_write(tmp_path, "b.csv", "Campaign report\nCampaign,Spend\n"))


def test_typeforms_hash_column_is_a_header_not_a_comment():
    # Typeform's CSV starts with the "#" column (tests/data/exports/typeform_enps.csv)
    p = Path(__file__).parent / "data" / "exports" / "typeform_enps.csv"
    check = DataCheck()
    df = read_file(p, check)
    assert df.columns[0] == "#" and df.index[0] == 2
    assert not [f for f in check if f.code == "title_lines"]


def test_classic_mac_line_ends_are_line_breaks(tmp_path):
    # Excel for Mac "CSV (Macintosh)" ends lines with CR alone (reviewer's G24: the run crashed with
    # Python's csv message); a line break typed inside a quoted answer stays in its cell. By hand:
    # promoters 10, 10, 9; detractors 6, 3 -> NPS (3 - 2) / 5 = 20
    p = tmp_path / "survey.csv"
    p.write_bytes(b"Timestamp,How likely are you to recommend us to a friend or colleague?,Comments\r"
                  b"6/3/2024 10:00:00,10,\"great\nsupport\"\r6/4/2024 10:00:00,10,\r6/5/2024 10:00:00,9,\r"
                  b"6/6/2024 10:00:00,6,\r6/7/2024 10:00:00,3,slow\r")
    check = DataCheck()
    df = read_file(p, check)
    assert len(df) == 5 and df.index.tolist() == [2, 3, 4, 5, 6]
    assert df.iloc[0, 2] == "great\nsupport"
    assert [f.code for f in check if f.code == "line_ends_cr"] == ["line_ends_cr"]
    data, _ = load_data(reports()["survey_scores"], [p], ReadOptions(date_order="mdy"))
    s = data["Responses"]["nps_score"]
    assert round(100 * ((s >= 9).sum() - (s <= 6).sum()) / len(s)) == 20


def test_rows_with_empty_cells_past_the_header_are_read(tmp_path):
    # Excel writes trailing separators when the used range reaches past the data (reviewer's G32b):
    # "A,2024-01,100,," under "customer_id,month,mrr"
    p = _write(tmp_path, "subs.csv", "customer_id,month,mrr\nA,2024-01,100,,\nB,2024-01,200,,\nA,2024-02,120\n")
    check = DataCheck()
    df = read_file(p, check)
    assert list(df.columns) == ["customer_id", "month", "mrr"] and df["mrr"].tolist() == ["100", "200", "120"]
    (f,) = [f for f in check if f.code == "trailing_cells"]
    assert f.fields == {"count": 2, "columns": 3, "row": 2}
    # an extra cell that holds something is not ours to drop
    bad = _write(tmp_path, "bad.csv", "customer_id,month,mrr\nA,2024-01,100,oops\n")
    with pytest.raises(ExportError, match="cannot read it as CSV"):
        read_file(bad)


def test_the_arabic_semicolon_separates_cells(tmp_path):
    # Excel in a Persian Windows locale saves "CSV" with the list separator U+061B (reviewer's G32b);
    # a quoted answer may hold the same mark
    p = _write(tmp_path, "fa.csv", "کد مشتری؛ماه؛مبلغ\nC1؛1403-01؛100\nC2؛1403-01؛\"خوب؛ ممنون\"\n")
    df = read_file(p, DataCheck())
    assert list(df.columns) == ["کد مشتری", "ماه", "مبلغ"] and df.iloc[1, 2] == "خوب؛ ممنون"
    assert df.attrs["delimiter"] == "\u061b"


# --------------------------------------------------------------------------- footer lines (session 6)

SALESFORCE_ACCOUNTS = ('"Account ID","Account Name","Customer Since","Churn Date"\n'
                       '"001A1","Acme","2024-01-05",""\n"001A2","Globex","2024-02-10","2024-05-02"\n'
                       '"001A3","Initech","2024-03-01",""\n'
                       '\n\n"Grand Totals (3 records)"\n\n"Confidential Information - Do Not Distribute"\n'
                       '"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."\n'
                       '"Generated By:  Jane Doe  12/3/2024 9:15 AM"\n"Acme Corp"\n')


def test_a_salesforce_footer_is_not_read_as_customers(tmp_path):
    # Salesforce Classic "Export Details" writes the report's grand total, a confidentiality line,
    # the copyright, who generated it and the company below the rows, after blank lines (reviewer's
    # G12, session 5): read as rows they were 5 customers with nothing but an id (65 for 60)
    p = _write(tmp_path, "accounts.csv", SALESFORCE_ACCOUNTS)
    check = DataCheck()
    df = read_file(p, check)
    assert df["Account ID"].tolist() == ["001A1", "001A2", "001A3"]
    (f,) = [f for f in check if f.code == "footer_lines"]
    assert f.level == "warning" and f.row == 7 and f.fields["variant"] == "counted"
    assert f.message.startswith("rows 7-12 below the data, after a blank row, are a footer, not data: "
                                "'Grand Totals (3 records)'; 'Confidential Information - Do Not Distribute'")
    assert f.message.endswith("left out (it counts 3 records, as many as the rows above it)")


def test_a_footer_counting_other_records_says_so(tmp_path):
    p = _write(tmp_path, "accounts.csv", SALESFORCE_ACCOUNTS.replace("(3 records)", "(4 records)"))
    check = DataCheck()
    assert len(read_file(p, check)) == 3
    (f,) = [f for f in check if f.code == "footer_lines"]
    assert f.fields["variant"] == "short" and "the rows above it are 3: is the export whole?" in f.message


@pytest.mark.parametrize("tail", [
    "\n\nC61,,\n",                       # an id alone after a blank row: a row, not a sentence
    "\nC61,2024-06-01,\n",              # two cells filled
    "Total row here,,\n",               # no blank row before it
])
def test_rows_that_are_not_a_footer_stay(tmp_path, tail):
    p = _write(tmp_path, "c.csv", "customer_id,start_date,end_date\nC1,2024-01-01,\nC2,2024-02-01,\n" + tail)
    check = DataCheck()
    df = read_file(p, check)
    assert len(df) == 3 and not [f for f in check if f.code == "footer_lines"]


def test_a_one_column_file_keeps_its_last_rows(tmp_path):
    p = _write(tmp_path, "c.csv", "comment\nfine service\nslow reply\n\nvery slow reply\n")
    assert len(read_file(p, DataCheck())) == 3


def test_a_workbook_footer_is_left_out_too(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Account ID", "Customer Since"])
    ws.append(["001A1", "2024-01-05"])
    ws.append(["001A2", "2024-02-10"])
    ws.append([])
    ws.append(["Grand Totals (2 records)"])
    ws.append(["Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."])
    wb.save(tmp_path / "a.xlsx")
    check = DataCheck()
    assert read_file(tmp_path / "a.xlsx", check)["Account ID"].tolist() == ["001A1", "001A2"]
    assert [f.fields["variant"] for f in check if f.code == "footer_lines"] == ["counted"]
