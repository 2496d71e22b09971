"""Export containers and cells users meet (reviewer's findings of session 4): a zipped CSV (U16), a
workbook whose first sheet is a summary (U10), Unix times (U4).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from xl_cskpi.exports.check import DataCheck, ExportError, ReadOptions
from xl_cskpi.exports.mapping import match
from xl_cskpi.exports.read import read_file
from xl_cskpi.exports.zones import unix_times
from xl_cskpi.reports import reports
from xl_cskpi.reports.fill import load_data
from xl_cskpi.reports.specs import tables as T

DATA = Path(__file__).parent / "data" / "exports"
ZENDESK = DATA / "zendesk_tickets.csv"     # Zendesk Reporting > Export > CSV (README.md there)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


# --------------------------------------------------------------------------- U16: a zip of CSVs

def test_a_zipped_zendesk_export_is_read_as_the_csv_inside(tmp_path):
    # large Zendesk/Freshdesk exports arrive as a .zip link by e-mail
    # (support.zendesk.com/hc/en-us/articles/4408886165402: "the export is sent as a zipped file")
    p = _zip(tmp_path / "export.zip", {"zendesk_export.csv": ZENDESK.read_bytes(), "__MACOSX/._x.csv": b"junk"})
    check = DataCheck()
    df = read_file(p, check)
    plain = read_file(ZENDESK)
    pd.testing.assert_frame_equal(df, plain, check_like=False)
    (f,) = [f for f in check if f.code == "archive_read"]
    assert f.message == "read zendesk_export.csv inside the .zip archive" and f.fields == {"member": "zendesk_export.csv"}
    out = match([T.TICKETS], {p: df}, ReadOptions(), check)
    assert out["Tickets"].profile == "zendesk"


def test_a_zip_renamed_to_xlsx_is_read_too(tmp_path):
    # the old hint ("rename it to .xlsx") made users do this
    p = _zip(tmp_path / "export.xlsx", {"zendesk_export.csv": ZENDESK.read_bytes()})
    df = read_file(p)
    assert len(df) == 5 and "Created at" in df.columns


@pytest.mark.parametrize("members, message", [
    ({"tickets.csv": b"Id,Created at\n1,2024-06-01\n", "complaints.csv": b"complaint_id,received_at\nc1,2024-06-01\n"},
     "is a .zip archive holding 2 exports (tickets.csv, complaints.csv); unzip it and pass the folder"),
    ({"notes.pdf": b"%PDF"}, "is a .zip archive holding no CSV file (notes.pdf); unzip it and pass the export inside"),
    ({}, "is a .zip archive holding no CSV file (nothing)"),
    ({"t.csv": b""}, "(t.csv): the file is empty"),
    ({"t.csv": b"Id,Created at\n"}, "has a header but no data rows"),
])
def test_zips_that_hold_no_single_export_are_refused_saying_what_to_do(tmp_path, members, message):
    p = _zip(tmp_path / "x.zip", members)
    with pytest.raises(ExportError) as e:
        read_file(p)
    assert message in str(e.value) and "rename it to .xlsx" not in str(e.value)


def test_a_corrupt_zip_is_refused(tmp_path):
    good = _zip(tmp_path / "good.zip", {"t.csv": ZENDESK.read_bytes()}).read_bytes()
    p = tmp_path / "bad.zip"
    p.write_bytes(good[: len(good) // 2])
    with pytest.raises(ExportError, match="is a damaged .zip archive"):
        read_file(p)


def test_a_zipped_export_fills_the_support_report(tmp_path):
    p = _zip(tmp_path / "export.zip", {"zendesk_export.csv": ZENDESK.read_bytes()})
    data, check = load_data(reports()["support_complaints"], [p], ReadOptions())
    assert len(data["Tickets"]) == 5 and data["Tickets"].attrs["rows"] == [2, 3, 4, 5, 6]


# --------------------------------------------------------------------------- U10: a summary sheet first

def _two_sheets(path: Path, data_sheet: bool = True) -> Path:
    # reviewer's zendesk_two_sheets.xlsx: a "Summary" sheet (report date, counts), the tickets on sheet 2
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    for row in (["Report generated", "2024-08-02"], ["Status", "Count"], ["Solved", 4], ["Open", 2]):
        ws.append(row)
    if data_sheet:
        t = wb.create_sheet("Tickets")
        t.append(["Id", "Requester id", "Via", "Status", "Created at", "Solved at"])
        t.append([1, "r1", "Mail", "Solved", "2024-07-01 09:00", "2024-07-01 15:00"])
        t.append([2, "r2", "Chat", "Open", "2024-07-02 10:00", None])
    wb.save(path)
    return path


def test_the_sheet_after_a_summary_is_read_when_the_summary_fits_no_table(tmp_path):
    p = _two_sheets(tmp_path / "tickets.xlsx")
    check = DataCheck()
    frames = {p: read_file(p, check)}
    assert frames[p].attrs["sheet"] == "Summary" and frames[p].attrs["sheets"] == ["Summary", "Tickets"]
    out = match([T.TICKETS, T.COMPLAINTS], frames, ReadOptions(), check)
    assert out["Tickets"].profile == "zendesk" and frames[p].attrs["sheet"] == "Tickets"
    assert frames[p]["Id"].tolist() == [1, 2]
    (f,) = [f for f in check if f.code == "sheet_next"]
    assert f.message == "read sheet 'Tickets': sheet 'Summary' fits no table of the report (sheets: Summary, Tickets)"


def test_a_workbook_whose_sheets_fit_nothing_names_them(tmp_path):
    p = _two_sheets(tmp_path / "tickets.xlsx", data_sheet=False)
    wb = Workbook()
    wb.active.title = "Summary"
    wb.active.append(["Report generated", "2024-08-02"])
    wb.active.append(["Status", "Count"])
    notes = wb.create_sheet("Notes")
    notes.append(["Author", "Comment"])
    notes.append(["Sara", "draft"])
    wb.save(p)
    with pytest.raises(ExportError) as e:
        load_data(reports()["support_complaints"], [p], ReadOptions())
    assert "sheets 'Summary', 'Notes': read 'Summary'; 'Notes' fit no table either" in str(e.value)


# --------------------------------------------------------------------------- U4: Unix times

def test_unix_seconds_are_utc_instants():
    # 1717405200 = 2024-06-03 09:00:00 UTC (date -u -d @1717405200)
    out, example = unix_times(pd.Series(["1717405200", None, "1717412400"], index=[2, 3, 4], dtype=object))
    assert out.tolist() == ["2024-06-03T09:00:00Z", None, "2024-06-03T11:00:00Z"]
    assert out.index.tolist() == [2, 3, 4]
    assert example == "1717405200 = 2024-06-03 09:00:00 UTC"


def test_unix_milliseconds_and_workbook_numbers():
    out, example = unix_times(pd.Series([1717405200123.0, 1717405800000.0], dtype=object))
    assert out.tolist() == ["2024-06-03T09:00:00.123Z", "2024-06-03T09:10:00.000Z"]
    assert example.endswith("(milliseconds)")


@pytest.mark.parametrize("cells", [
    ["45000", "45001"],                     # Excel serials
    ["1717405200", "2024-06-03"],           # one cell is no Unix time: the date reader names it
    ["123456789", "1717405200"],            # 1973: outside 2001-2100
    ["1717405200", "1717405200000"],        # seconds and milliseconds mixed
    ["4102444800"],                         # 2100-01-01: outside
    [None, None],
    [True, False],
])
def test_columns_that_are_not_unix_times_are_left_alone(cells):
    assert unix_times(pd.Series(cells, dtype=object)) is None


def test_intercom_unix_times_fill_the_support_report(tmp_path):
    # Intercom's API exports times as Unix seconds (developers.intercom.com: "created_at: the time the
    # conversation was created, as a UTC Unix timestamp"); reviewer's intercom_epoch.csv
    p = tmp_path / "conversations.csv"
    p.write_text("Conversation ID,Created at,First admin reply at,Last closed at,State\n"
                 "c1,1717405200,1717405800,1717412400,closed\nc2,1717491600,1717495200,,open\n", encoding="utf-8")
    data, check = load_data(reports()["support_complaints"], [p], ReadOptions())
    t = data["Tickets"]
    hours = (pd.to_datetime(t["resolved_at"]) - pd.to_datetime(t["opened_at"])).dt.total_seconds() / 3600
    assert hours.iloc[0] == 2.0 and np.isnan(hours.iloc[1])     # 1717412400 - 1717405200 = 7200 s
    assert str(pd.Timestamp(t["opened_at"].iloc[0])) == "2024-06-03 09:00:00"
    unix = [f for f in check if f.code == "unix_time"]
    assert [f.column for f in unix] == ["Created at", "First admin reply at", "Last closed at"]


def test_a_folder_reads_its_zipped_export_and_names_other_archives(tmp_path):
    from xl_cskpi.exports.read import expand_paths
    d = tmp_path / "exports"
    d.mkdir()
    _zip(d / "tickets.zip", {"zendesk_export.csv": ZENDESK.read_bytes()})
    _zip(d / "pdfs.zip", {"a.pdf": b"%PDF", "b.pdf": b"%PDF"})
    (d / "complaints.csv").write_text("complaint_id,received_at\nc1,2024-06-01\n", encoding="utf-8")
    check = DataCheck()
    files = expand_paths([d], check)
    assert [f.name for f in files] == ["complaints.csv", "tickets.zip"]
    (f,) = [f for f in check if f.code == "path_skipped"]
    assert f.file.endswith("pdfs.zip") and "unzip it" in f.message


def test_qualtrics_with_one_header_row_names_the_label_column(tmp_path):
    # Qualtrics' CSV with choice text (reviewer's qualtrics_nps_1hdr.csv): Q1 holds "10 - Extremely likely"
    p = tmp_path / "qualtrics.csv"
    p.write_text("StartDate,EndDate,Status,RecordedDate,ResponseId,Q1,Q2\n"
                 "2024-05-02 10:00:00,2024-05-02 10:01:00,IP Address,2024-05-02 10:01:01,R_1,10 - Extremely likely,\n"
                 "2024-05-03 10:00:00,2024-05-03 10:01:00,IP Address,2024-05-03 10:01:01,R_2,6,\n", encoding="utf-8")
    with pytest.raises(ExportError) as e:
        load_data(reports()["survey_scores"], [p], ReadOptions())
    msg = str(e.value)
    assert "looks like Qualtrics responses" in msg and "column 'Q1' holds '10 - Extremely likely' in row 2" in msg
    assert '--map nps_score="Q1"' in msg


def test_rows_hidden_by_a_filter_are_counted_and_said(tmp_path):
    # reviewer's G25: a workbook left filtered (plan = Pro), the Basic rows hidden; every row is read
    # (the export holds them) and the warning names the hidden rows
    wb = Workbook()
    ws = wb.active
    ws.title = "Export"
    for row in (["customer_id", "month", "mrr", "plan"], ["A", "2024-01", 1200, "Pro"], ["B", "2024-01", 300, "Basic"],
                ["A", "2024-02", 1200, "Pro"], ["B", "2024-02", 300, "Basic"]):
        ws.append(row)
    ws.auto_filter.ref = "A1:D5"
    ws.row_dimensions[3].hidden = True
    ws.row_dimensions[5].hidden = True
    ws.row_dimensions[9].hidden = True          # below the data: not a data row
    p = tmp_path / "subs.xlsx"
    wb.save(p)
    check = DataCheck()
    df = read_file(p, check)
    assert len(df) == 4
    (w,) = [f for f in check if f.code == "hidden_rows"]
    assert w.level == "warning" and w.row == 3 and w.fields == {"count": 2, "sheet": "Export", "rows": [3, 5]}


def test_a_utc_header_makes_its_times_instants(tmp_path):
    # reviewer's G9: Typeform's "Submit Date (UTC)" (Typeform Results > Download CSV); 2024-06-20 21:00 UTC
    # is 21 June 00:30 in Tehran (+03:30), 1 Tir 1403: with --timezone Asia/Tehran it is read on that clock
    p = tmp_path / "typeform.csv"
    p.write_text("#,How likely are you to recommend us?,Submit Date (UTC),Network ID\n"
                 "r1,10,2024-06-20 21:00:00,n1\nr2,2,2024-06-19 10:00:00,n2\nr3,9,2024-06-20 21:00:00+00:00,n3\n",
                 encoding="utf-8")
    data, check = load_data(reports()["survey_scores"], [p], ReadOptions(timezone="Asia/Tehran"))
    got = [str(pd.Timestamp(x).date()) for x in data["Responses"]["submitted_at"]]     # a date column: the day
    assert got == ["2024-06-21", "2024-06-19", "2024-06-21"]
    assert [f.code for f in check if f.code == "timezone_converted"] == ["timezone_converted"]
    # without a zone: read as written, and said to be UTC
    data, check = load_data(reports()["survey_scores"], [p], ReadOptions())
    assert str(pd.Timestamp(data["Responses"]["submitted_at"].iloc[0]).date()) == "2024-06-20"
    assert [f.fields["offset"] for f in check if f.code == "timezone_kept"] == ["Z"]
