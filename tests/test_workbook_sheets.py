"""A workbook given to --data is read sheet by sheet (reviewer's K7, session 6).

The reviewer's multi.xlsx holds three exports on three sheets: MRR (customer-month MRR, months as
Excel dates, customer D's amounts stored as text "300.00"), Tickets and NPS (answers stored as text).
Only the MRR sheet used to be read: the overview said "n/a: no customer survey given" and "no tickets
export given", and ``inspect`` showed one sheet. Now every visible sheet that fits a table feeds it,
as its own file would, and is named ``multi.xlsx, sheet 'Tickets'`` wherever a file is named.

Expected values by hand (the reviewer's R7 findings, K7):
* MRR 2024-06 = A 120 + C 80 + D 250 ("250.00" as text) + E 150 = 600;
* NRR 2024-06 = what May's payers (A 120, B 200, D 250, E 100 = 670) pay in June (A 120, D 250,
  E 150 = 520) / 670 = 77.6 %;
* NPS = answers 10, 9, 6, 8, 10, 3: promoters 10, 9, 10 (3), detractors 6, 3 (2), passive 8:
  (3 - 2) / 6 = +16.7, shown +17;
* resolution: T1 09:00 -> 15:00 = 6 h, T2 2024-06-10 09:00 -> 06-11 09:00 = 24 h, T3 open:
  average 15 h.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from xl_cskpi.exports.check import ExportError, ReadOptions
from xl_cskpi.exports.mapping import format_inspect, inspect
from xl_cskpi.exports.read import read_file
from xl_cskpi.reports import reports
from xl_cskpi.reports.absence import Absent
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import load_data

R = reports()
# "Solved" alone is no header the Tickets table knows yet (its aliases are "Solved at", "solved time",
# ...: a request to the owner of the table's aliases); the reviewer's file is read with this --map
SOLVED = ReadOptions(columns={"resolved_at": "Solved"})

MRR_ROWS = [("A", 1, 100), ("B", 1, 200), ("D", 1, "300.00"), ("F", 1, 80),
            ("A", 2, 150), ("B", 2, 200), ("C", 2, 50), ("D", 2, "300.00"),
            ("A", 3, 150), ("C", 3, 50), ("D", 3, "300.00"),
            ("A", 4, 120), ("B", 4, 200), ("D", 4, "300.00"), ("E", 4, 100),
            ("A", 5, 120), ("B", 5, 200), ("D", 5, "250.00"), ("E", 5, 100),
            ("A", 6, 120), ("C", 6, 80), ("D", 6, "250.00"), ("E", 6, 150)]
TICKETS = [("T1", "solved", "normal", dt.datetime(2024, 6, 3, 9), dt.datetime(2024, 6, 3, 15)),
           ("T2", "solved", "high", dt.datetime(2024, 6, 10, 9), dt.datetime(2024, 6, 11, 9)),
           ("T3", "open", "low", dt.datetime(2024, 6, 20, 9), None)]
ANSWERS = ["10", "9", "6", "8", "10", "3"]


def multi(path: Path, *, notes: bool = False, hidden: str | None = None, mrr_note: bool = False) -> Path:
    """The reviewer's multi.xlsx; ``notes`` adds a sheet with a header that fits no table, ``hidden``
    hides that sheet, ``mrr_note`` adds a Note column holding an Excel error cell on the MRR sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "MRR"
    ws.append(["Customer ID", "Month", "MRR"] + (["Note"] if mrr_note else []))
    for i, (c, m, v) in enumerate(MRR_ROWS):
        ws.append([c, dt.datetime(2024, m, 1), v] + (["#N/A" if i == 3 else "ok"] if mrr_note else []))
    t = wb.create_sheet("Tickets")
    t.append(["Ticket ID", "Status", "Priority", "Created", "Solved"])
    for row in TICKETS:
        t.append(list(row))
    n = wb.create_sheet("NPS")
    n.append(["Date", "How likely are you to recommend us?"])
    for d, a in zip((3, 5, 9, 12, 20, 25), ANSWERS):
        n.append([dt.datetime(2024, 6, d), a])
    assert isinstance(n["B2"].value, str) and ws["C4"].value == "300.00"     # stored as text
    if notes:
        x = wb.create_sheet("Notes", 1)
        x.append(["Author", "Comment"])
        x.append(["Sara", "June numbers checked"])
    if hidden:
        wb[hidden].sheet_state = "hidden"
    wb.save(path)
    return path


def _overview(path: Path, tmp_path: Path, options: ReadOptions = SOLVED):
    data, check = load_data(R["overview"], [path], options)
    values = build(R["overview"], tmp_path / "overview.xlsx", data=data, values=True, check=check,
                   period="2024-06")
    return data, check, values


def test_every_sheet_of_the_reviewers_workbook_feeds_its_table(tmp_path):
    p = multi(tmp_path / "multi.xlsx")
    data, check, v = _overview(p, tmp_path)
    assert v["mrr"] == pytest.approx(600, abs=1e-9)                  # 120 + 80 + "250.00" + 150
    assert v["nrr"] == pytest.approx(520 / 670, abs=1e-12)           # 77.6 %
    assert round(v["nrr"] * 100, 1) == 77.6
    assert v["nps"] == pytest.approx(100 * (3 - 2) / 6, abs=1e-9)    # +16.7, shown +17
    assert round(v["nps"]) == 17
    assert v["avg_resolution_hours"] == pytest.approx((6 + 24) / 2, abs=1e-9)
    assert {k: data[k].attrs["source"] for k in ("Subscriptions", "Tickets", "Responses")} == {
        "Subscriptions": f"{p}, sheet 'MRR'", "Tickets": f"{p}, sheet 'Tickets'", "Responses": f"{p}, sheet 'NPS'"}
    assert data["Tickets"].attrs["rows"] == [2, 3, 4] and data["Responses"].attrs["rows"] == [2, 3, 4, 5, 6, 7]
    absent = {f.table for f in check if f.code == "table_absent"}
    assert "Tickets" not in absent and "Responses" not in absent
    read = {f.file: f.fields["rows"] for f in check if f.code == "rows_read"}
    assert read == {f"{p}, sheet 'MRR'": 23, f"{p}, sheet 'Tickets'": 3, f"{p}, sheet 'NPS'": 6}
    assert not [f for f in check if f.code in ("sheets_unread", "file_skipped")]


def test_without_the_map_the_tickets_sheet_is_read_and_its_findings_name_the_sheet(tmp_path):
    # the reviewer's run as given: "Solved" is read as the resolved time (an alias since session 6), the tickets
    # are read (3 rows, resolution (6 + 24) / 2 = 15 h) and their findings name the sheet
    p = multi(tmp_path / "multi.xlsx")
    data, check, v = _overview(p, tmp_path, ReadOptions())
    assert len(data["Tickets"]) == 3 and v["nps"] == pytest.approx(100 / 6)
    assert data["Tickets"]["resolved_at"].notna().sum() == 2
    (r,) = [f for f in check if f.code == "rows_read" and f.table == "Tickets"]
    assert r.where().startswith(f"{p}, sheet 'Tickets'")


def test_the_first_sheets_reading_findings_name_it(tmp_path):
    # an Excel error cell on the MRR sheet (row 5) is found while the workbook is read as one file;
    # once its sheets are read one by one the finding names the sheet
    p = multi(tmp_path / "multi.xlsx", mrr_note=True)
    data, check, v = _overview(p, tmp_path)
    (e,) = [f for f in check if f.code == "error_cells"]
    assert e.where() == f"{p}, sheet 'MRR', row 5, column Note"
    assert v["mrr"] == pytest.approx(600)


def test_inspect_lists_every_sheet_with_its_table_and_columns(tmp_path):
    p = multi(tmp_path / "multi.xlsx")
    rows = inspect([p], SOLVED, R["overview"])
    assert [(r["file"], r["table"], r["rows"]) for r in rows] == [
        (f"{p}, sheet 'MRR'", "Subscriptions", 23), (f"{p}, sheet 'Tickets'", "Tickets", 3),
        (f"{p}, sheet 'NPS'", "Responses", 6)]
    assert rows[1]["columns"][-1] == {"header": "Solved", "field": "resolved_at"}
    assert rows[2]["columns"] == [{"header": "Date", "field": "submitted_at"},
                                  {"header": "How likely are you to recommend us?", "field": "nps_score"}]
    text = format_inspect(inspect([p]))
    assert all(f"{p}, sheet '{s}'" in text for s in ("MRR", "Tickets", "NPS"))


def test_a_sheet_that_fits_no_table_is_named_in_one_line(tmp_path):
    p = multi(tmp_path / "multi.xlsx", notes=True)
    data, check, v = _overview(p, tmp_path)
    (f,) = [f for f in check if f.code == "sheets_unread"]
    assert f.level == "info" and f.file == str(p)
    assert f.fields == {"sheets": "'Notes'", "read": "'MRR', 'Tickets', 'NPS'"}
    assert f.message == "sheets not read, fitting no table of the report: 'Notes' (read: 'MRR', 'Tickets', 'NPS')"
    assert not [g for g in check if g.level == "warning" and "Notes" in g.message]
    assert round(v["nps"]) == 17 and v["avg_resolution_hours"] == pytest.approx(15)
    rows = inspect([p], SOLVED, R["overview"])
    assert [(r["file"], r["table"], r["note"]) for r in rows][1] == (
        f"{p}, sheet 'Notes'", None, "fits no table; report would skip it")


def test_one_sheet_that_fits_keeps_the_workbooks_name_and_names_the_others(tmp_path):
    # the revenue report reads Subscriptions only: the MRR sheet is read as the workbook was before,
    # and the two sheets it does not use are named
    p = multi(tmp_path / "multi.xlsx")
    data, check = load_data(R["revenue"], [p], ReadOptions())
    assert data["Subscriptions"].attrs["source"] == str(p)
    (f,) = [f for f in check if f.code == "sheets_unread"]
    assert f.fields == {"sheets": "'Tickets', 'NPS'", "read": "'MRR'"}


def test_a_hidden_sheet_is_not_read(tmp_path):
    # a hidden sheet is a lookup, a helper or an old copy the user does not see: its rows never feed
    # a KPI beside a visible sheet (unhide it to have it read), and inspect does not list it
    p = multi(tmp_path / "multi.xlsx", hidden="Tickets")
    data, check, v = _overview(p, tmp_path, ReadOptions())
    assert "Tickets" not in data and set(data) >= {"Subscriptions", "Responses"}
    assert "Tickets" in {f.table for f in check if f.code == "table_absent"}
    assert isinstance(v["avg_resolution_hours"], Absent) and round(v["nps"]) == 17
    assert [r["file"] for r in inspect([p])] == [f"{p}, sheet 'MRR'", f"{p}, sheet 'NPS'"]


def _tickets_months(path: Path, same: bool) -> Path:
    wb = openpyxl.Workbook()
    may = wb.active
    may.title = "May"
    may.append(["Ticket ID", "Status", "Created", "Resolved at"])
    may.append(["T1", "solved", dt.datetime(2024, 5, 2, 9), dt.datetime(2024, 5, 2, 11)])
    june = wb.create_sheet("June")
    june.append(["Ticket ID", "Status", "Created", "Resolved at"] + ([] if same else ["Priority"]))
    june.append(["T2", "solved", dt.datetime(2024, 6, 3, 9), dt.datetime(2024, 6, 3, 13)] + ([] if same else ["high"]))
    june.append(["T3", "open", dt.datetime(2024, 6, 4, 9), None] + ([] if same else ["low"]))
    wb.save(path)
    return path


def test_two_sheets_of_one_export_are_combined_as_two_files_are(tmp_path):
    p = _tickets_months(tmp_path / "tickets.xlsx", same=True)
    data, check = load_data(R["support_complaints"], [p], ReadOptions())
    assert data["Tickets"]["ticket_id"].tolist() == ["T1", "T2", "T3"]
    (f,) = [f for f in check if f.code == "files_combined"]
    assert f.fields["files"] == "tickets.xlsx, sheet 'May' (1 rows), tickets.xlsx, sheet 'June' (2 rows)"


def test_two_sheets_of_one_table_with_different_columns_are_refused_as_two_files_are(tmp_path):
    p = _tickets_months(tmp_path / "tickets.xlsx", same=False)
    with pytest.raises(ExportError) as e:
        load_data(R["support_complaints"], [p], ReadOptions())
    # the sheet that maps more columns comes first, as the file that does would
    assert f"{p}, sheet 'June' and {p}, sheet 'May' both fit table Tickets, but read different columns" in str(e.value)


def test_a_workbook_of_one_sheet_and_a_csv_read_as_before(tmp_path):
    p = tmp_path / "subs.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Customer ID", "Month", "MRR"])
    for c, m, v in MRR_ROWS:
        wb.active.append([c, dt.datetime(2024, m, 1), v])
    wb.save(p)
    data, check = load_data(R["revenue"], [p], ReadOptions())
    assert data["Subscriptions"].attrs["source"] == str(p)
    assert not [f for f in check if f.code == "sheets_unread"] and "hidden" in read_file(p).attrs


# --------------------------------------------------------------------------- a summary sheet beside the data (L5)
#
# The reviewer's survey_book2.xlsx (R8, L5): sheet Responses `Date, How likely are you to recommend us to a
# friend?` (15 answers, 2024-03-01 .. 04-26), sheet Summary `Date, NPS, Responses` (2024-03-01 14 8;
# 2024-04-01 0 7), and two sheets that fit nothing (Scores `Score, Count`; Monthly `Month, Likelihood to
# recommend (avg), Responses`). The Summary fits Responses with other headers: it was combined as "2 files of
# the same export" and its April "NPS 0" counted as one more detractor (April NPS 13, 8 responses).
# By hand, April: 10 2 9 5 8 9 10 -> promoters 10, 9, 9, 10 (4), detractors 2, 5 (2), passive 8:
# (4 - 2) / 7 = +28.6, shown +29, 7 responses.

BOOK2_DAYS = [dt.datetime(2024, 3, 1) + dt.timedelta(days=4 * i) for i in range(15)]
BOOK2_ANSWERS = [10, 9, 8, 3, 10, 7, 6, 9, 10, 2, 9, 5, 8, 9, 10]
QUESTION = "How likely are you to recommend us to a friend?"


def survey_book2(path: Path, *, summary_first: bool = False, summary: list | None = None) -> Path:
    """The reviewer's survey_book2.xlsx; ``summary_first`` puts the Summary tab before Responses,
    ``summary`` replaces the Summary sheet's rows (header first)."""
    wb = openpyxl.Workbook()
    r = wb.active
    r.title = "Responses"
    r.append(["Date", QUESTION])
    for d, a in zip(BOOK2_DAYS, BOOK2_ANSWERS):
        r.append([d, a])
    s = wb.create_sheet("Summary", 0 if summary_first else None)
    for row in summary or [["Date", "NPS", "Responses"], [dt.datetime(2024, 3, 1), 14, 8],
                           [dt.datetime(2024, 4, 1), 0, 7]]:
        s.append(row)
    sc = wb.create_sheet("Scores")
    sc.append(["Score", "Count"])
    for k in range(11):
        sc.append([k, BOOK2_ANSWERS.count(k)])
    m = wb.create_sheet("Monthly")
    m.append(["Month", "Likelihood to recommend (avg)", "Responses"])
    m.append(["2024-03", 7.6, 8])
    m.append(["2024-04", 7.9, 7])
    wb.save(path)
    return path


def _survey(path: Path, tmp_path: Path):
    data, check = load_data(R["survey_scores"], [path], ReadOptions())
    values = build(R["survey_scores"], tmp_path / "survey.xlsx", data=data, values=True, check=check,
                   period="2024-04")
    return data, check, values


def test_a_summary_sheet_beside_the_responses_is_not_read_as_answers(tmp_path):
    p = survey_book2(tmp_path / "survey_book2.xlsx")
    data, check, v = _survey(p, tmp_path)
    assert v["nps"] == pytest.approx(100 * (4 - 2) / 7, abs=1e-9)     # +28.6, shown +29 (was 13)
    assert round(v["nps"]) == 29 and v["nps_responses"] == 7           # (was 8)
    assert data["Responses"]["nps_score"].tolist() == BOOK2_ANSWERS and data["Responses"].attrs["source"] == str(p)
    (f,) = [f for f in check if f.code == "sheets_unread"]
    assert f.fields == {"sheets": "'Summary' (a summary: one row per month), 'Scores', 'Monthly'", "read": "'Responses'"}
    assert not [g for g in check if g.code == "files_combined" or g.level != "info"]


def test_a_summary_sheet_before_the_responses_is_told_by_its_values_out_of_range(tmp_path):
    # Summary first, two rows of one month and no count column: told a summary by its NPS 14 (outside 0-10; -25 too);
    # the Responses sheet is read alone, named as the sheet it is
    rows = [["Date", "NPS"], [dt.datetime(2024, 3, 1), 14], [dt.datetime(2024, 4, 1), 5],
            [dt.datetime(2024, 4, 15), -25]]
    p = survey_book2(tmp_path / "book.xlsx", summary_first=True, summary=rows)
    data, check, v = _survey(p, tmp_path)
    assert round(v["nps"]) == 29 and v["nps_responses"] == 7
    assert data["Responses"].attrs["source"] == f"{p}, sheet 'Responses'"
    (f,) = [f for f in check if f.code == "sheets_unread"]
    assert f.fields["sheets"].startswith("'Summary' (a summary: NPS holds 14, outside 0-10)")
    assert not [g for g in check if g.level != "info"]


def test_two_sheets_with_other_headers_and_no_summary_are_refused_naming_both(tmp_path):
    # a second sheet of answers under other headers (a second survey?), every value a 0-10 answer and no
    # count column: neither can be told a summary, so nothing is combined and the user is told what to give
    rows = [["Date", "NPS"], [dt.datetime(2024, 4, 3), 9], [dt.datetime(2024, 4, 4), 0]]
    p = survey_book2(tmp_path / "book.xlsx", summary=rows)
    with pytest.raises(ExportError) as e:
        _survey(p, tmp_path)
    text = str(e.value)
    assert f"{p}, sheet 'Responses' and {p}, sheet 'Summary' both fit table Responses with other headers" in text
    assert f"only in the first: {QUESTION!r}; only in the second: 'NPS'" in text
    assert "neither can be told a summary" in text
    assert "save the data sheet as a file of its own" in text


def test_two_sheets_of_one_table_with_other_fields_say_to_save_the_data_sheet_alone(tmp_path):
    p = _tickets_months(tmp_path / "tickets.xlsx", same=False)
    with pytest.raises(ExportError) as e:
        load_data(R["support_complaints"], [p], ReadOptions())
    assert str(e.value).endswith("save the data sheet as a file of its own (a workbook or a CSV) and give that file")


def test_a_finding_about_a_row_of_the_second_file_names_that_files_header(tmp_path):
    # two monthly files of one export, the question spelled differently (same field): a value out of range in
    # the second file is named with that file's own header (it was the first file's question)
    a = tmp_path / "nps_march.csv"
    a.write_text(f"Date,{QUESTION}\n2024-03-02,9\n2024-03-03,7\n", encoding="utf-8")
    b = tmp_path / "nps_april.csv"
    b.write_text("Date,NPS\n2024-04-02,10\n2024-04-03,11\n2024-04-04,6\n", encoding="utf-8")
    data, check = load_data(R["survey_scores"], [a, b], ReadOptions())
    assert [f.fields["count"] for f in check if f.code == "files_combined"] == [2]
    assert [(f.file, f.row, f.column) for f in check if f.code == "out_of_range"] == [(str(b), 3, "NPS")]
    # an error about a row of the second file says its column as that file does, too
    e = check.relocated(ExportError(f"{a}: row {2 * 10_000_000 + 3}, column {QUESTION}: has 'x'"))
    assert str(e) == f"{b}: row 3, column NPS: has 'x'"


def test_two_sheets_with_the_same_headers_are_still_combined_when_one_looks_like_a_summary(tmp_path):
    # the rule is for sheets with other headers: two months of one export, one of them one row a month
    wb = openpyxl.Workbook()
    mar = wb.active
    mar.title = "March"
    mar.append(["Date", "NPS"])
    for d, a in ((2, 9), (3, 10), (4, 3)):
        mar.append([dt.datetime(2024, 3, d), a])
    apr = wb.create_sheet("April")
    apr.append(["Date", "NPS"])
    apr.append([dt.datetime(2024, 4, 2), 10])
    p = tmp_path / "months.xlsx"
    wb.save(p)
    data, check = load_data(R["survey_scores"], [p], ReadOptions())
    assert data["Responses"]["nps_score"].tolist() == [9, 10, 3, 10]
    assert [f.fields["count"] for f in check if f.code == "files_combined"] == [2]


def test_two_sheets_holding_the_same_rows_say_to_save_the_data_sheet_alone(tmp_path):
    # the reviewer's mrr_pivot2.xlsx: a pivot with the data's own headers repeats its customer-months; the
    # refusal ("two snapshots") said "give the newest file alone", which fits files, not sheets
    wb = openpyxl.Workbook()
    for k, title in enumerate(("Data", "Pivot")):
        ws = wb.active if k == 0 else wb.create_sheet(title)
        ws.title = title
        ws.append(["Customer ID", "Month", "MRR"])
        for c, m, v in sorted(MRR_ROWS) if k else MRR_ROWS:
            ws.append([c, dt.datetime(2024, m, 1), v])
    p = tmp_path / "mrr_pivot2.xlsx"
    wb.save(p)
    with pytest.raises(ExportError) as e:
        load_data(R["revenue"], [p], ReadOptions())
    text = str(e.value)
    assert text.startswith(f"{p}, sheet 'Data' and {p}, sheet 'Pivot' both hold Subscriptions rows")
    assert "two sheets of one workbook with the same rows" in text and "save the data sheet as a file of its own" in text
