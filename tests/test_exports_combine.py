"""A folder of monthly exports of one table is combined, not read one file and skipped the rest
(reviewer's U5: `--data exports/` with May and June tickets covered May alone, exit 0).

The inputs are the repository's Zendesk ticket export (tests/data/exports/zendesk_tickets.csv: the
column list of Zendesk's Reporting > Export > CSV, README.md there), written twice as two months.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from xl_cskpi.exports.check import DataCheck, ExportError, Finding, ReadOptions
from xl_cskpi.exports.combine import ROW_BASE, Combined, FileRow, relocate_text
from xl_cskpi.exports.mapping import match
from xl_cskpi.exports.read import read_file
from xl_cskpi.reports import reports
from xl_cskpi.reports.datacheck import repeated_id_findings
from xl_cskpi.reports.fill import load_data
from xl_cskpi.reports.specs import tables as T

DATA = Path(__file__).parent / "data" / "exports"
ZENDESK = (DATA / "zendesk_tickets.csv").read_text(encoding="utf-8").splitlines()


def _months(d: Path, *, same_ids: bool = False) -> tuple[Path, Path]:
    """May and June: the Zendesk export's 5 tickets, May's moved a month back and given new ids."""
    header, rows = ZENDESK[0], ZENDESK[1:]
    may = [r.replace("2024-06-", "2024-05-") if same_ids else r.replace("2024-06-", "2024-05-").replace(",104", ",204", 1)
           for r in rows]
    d.mkdir(parents=True, exist_ok=True)
    a, b = d / "tickets_2024-05.csv", d / "tickets_2024-06.csv"
    a.write_text("\n".join([header] + may) + "\n", encoding="utf-8")
    b.write_text("\n".join([header] + rows) + "\n", encoding="utf-8")
    return a, b


def test_two_monthly_exports_are_combined_in_file_order(tmp_path):
    a, b = _months(tmp_path / "exports")
    data, check = load_data(reports()["support_complaints"], [tmp_path / "exports"], ReadOptions())
    t = data["Tickets"]
    # 5 + 5 rows, May's first (file order), every row typed
    assert len(t) == 10
    assert list(t["ticket_id"]) == ["2041", "2042", "2043", "2044", "2045", "1041", "1042", "1043", "1044", "1045"]
    months = pd.to_datetime(t["opened_at"]).dt.strftime("%Y-%m").tolist()
    assert months == ["2024-05"] * 5 + ["2024-06"] * 5
    (info,) = [f for f in check if f.code == "files_combined"]
    assert info.level == "info" and info.table == "Tickets"
    assert "tickets_2024-05.csv (5 rows), tickets_2024-06.csv (5 rows)" in info.message
    assert info.fields["count"] == 2
    assert not check.warnings, check.lines()
    # Zendesk's first reply in minutes is derived for the June rows too (profile rules per row)
    assert t["first_response_at"].notna().sum() == 10


def test_a_ticket_in_both_files_is_kept_once_as_the_later_files_row(tmp_path):
    # reviewer's G16: a ticket open at the end of June is in June's export (Open) and July's (Solved):
    # one ticket, its newer state is July's row
    a, b = _months(tmp_path / "exports", same_ids=True)
    lines = b.read_text(encoding="utf-8").splitlines()
    b.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")         # June: tickets 1041, 1042 again
    data, check = load_data(reports()["support_complaints"], [a, b], ReadOptions())
    t = data["Tickets"]
    assert t["ticket_id"].tolist() == ["1043", "1044", "1045", "1041", "1042"]
    assert t.attrs["rows"] == [ROW_BASE + 4, ROW_BASE + 5, ROW_BASE + 6, 2 * ROW_BASE + 2, 2 * ROW_BASE + 3]
    (f,) = [f for f in check if f.code == "newest_row"]
    assert (f.file, f.row) == (str(a), 2) and f.level == "info"
    assert "first 1041: row 2 (tickets_2024-05.csv) left out, row 2 (tickets_2024-06.csv) kept" in f.message
    assert f.fields["count"] == 2 and f.fields["rows"] == 2
    assert format(f.fields["kept"], ",") == "2 (tickets_2024-06.csv)"
    check.extend(repeated_id_findings(data))
    assert not [x for x in check if x.code == "id_repeated"]


def test_an_id_twice_within_one_file_is_still_the_repeated_id_warning_naming_its_rows(tmp_path):
    a, b = _months(tmp_path / "exports")
    lines = b.read_text(encoding="utf-8").splitlines()
    b.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")   # 1041 twice in June
    data, check = load_data(reports()["support_complaints"], [a, b], ReadOptions())
    check.extend(repeated_id_findings(data))
    (f,) = [f for f in check if f.code == "id_repeated"]
    assert "rows 2 (tickets_2024-06.csv) and 7 (tickets_2024-06.csv)" in f.message, f.message
    assert not [x for x in check if x.code == "newest_row"]


def test_same_fields_under_other_headers_are_combined(tmp_path):
    # generic exports: one says "ticket_id, created_at", the other "Ticket, Created"; same fields mapped
    a = tmp_path / "tickets_jan.csv"
    a.write_text("ticket_id,created_at,solved_at\nT1,2024-01-03 09:00,2024-01-03 11:00\n", encoding="utf-8")
    b = tmp_path / "tickets_feb.csv"
    b.write_text("Ticket,Created,Solved at,Notes\nT2,2024-02-05 10:00,2024-02-05 16:00,vip\n", encoding="utf-8")
    check = DataCheck()
    frames = {p: read_file(p, check) for p in (a, b)}
    out = match([T.TICKETS], frames, ReadOptions(), check)
    assert out["Tickets"].path == a
    combined = frames[a]
    assert list(combined.columns) == ["ticket_id", "created_at", "solved_at"]
    assert combined["ticket_id"].tolist() == ["T1", "T2"]
    assert combined["solved_at"].tolist() == ["2024-01-03 11:00", "2024-02-05 16:00"]
    # row labels: file k's row r is (k + 1) * ROW_BASE + r
    assert combined.index.tolist() == [ROW_BASE + 2, 2 * ROW_BASE + 2]
    ignored = [f for f in check if f.code == "column_ignored"]
    assert [(f.file, f.column) for f in ignored] == [(str(b), "Notes")]


def test_a_finding_about_a_row_of_the_second_file_names_that_file_and_row(tmp_path):
    a, b = _months(tmp_path / "exports")
    check = DataCheck()
    frames = {p: read_file(p, check) for p in (a, b)}
    match([T.TICKETS], frames, ReadOptions(), check)
    label = frames[a].index[7]                     # June's third ticket: row 4 of the June file
    f = check.warn("out_of_range", f"resolved before opened (2 rows: {ROW_BASE + 3}, {label:,})", file=str(a),
                   row=int(label), table="Tickets", fields={"rows": [ROW_BASE + 3, int(label)], "count": 2})
    assert (f.file, f.row) == (str(b), 4)
    assert f.message == "resolved before opened (2 rows: 3 (tickets_2024-05.csv), 4 (tickets_2024-06.csv))"
    assert [format(r, ",") for r in f.fields["rows"]] == ["3 (tickets_2024-05.csv)", "4 (tickets_2024-06.csv)"]
    assert f.fields["rows"][1] == 4 and isinstance(f.fields["rows"][1], FileRow)
    e = check.relocated(ExportError(f"{a}: row {label}, column Created at: has 'yesterday', which is not a date"))
    assert str(e) == f"{b}: row 4, column Created at: has 'yesterday', which is not a date"


def test_relocate_text_leaves_real_rows_and_other_numbers_alone():
    c = [Combined("may.csv", ("may.csv", "june.csv"), "Tickets")]
    assert relocate_text("row 7, 1,200 customers, 12345678 cents", c) == "row 7, 1,200 customers, 12345678 cents"
    assert relocate_text("rows 10,000,002 and 20000003.", c) == "rows 2 (may.csv) and 3 (june.csv)."
    assert relocate_text("may.csv: row 20,000,003, column X", c) == "june.csv: row 3, column X"
    # a label past the files combined is left as written
    assert relocate_text("row 30000003", c) == "row 30000003"
    # a finding without a file or table is left as it is
    check = DataCheck()
    check.combined = c
    f = Finding("info", "x", "row 20000003")
    assert check.relocate(f) is f


def test_two_different_exports_for_one_table_are_refused_naming_both(tmp_path):
    check = DataCheck()
    paths = [DATA / "zendesk_tickets.csv", DATA / "freshdesk_tickets.csv"]
    with pytest.raises(ExportError) as e:
        match([T.TICKETS], {p: read_file(p, check) for p in paths}, ReadOptions(), check)
    msg = str(e.value)
    assert "zendesk_tickets.csv" in msg and "freshdesk_tickets.csv" in msg
    assert "Zendesk tickets export; Freshdesk tickets export" in msg and "give one of them" in msg


def test_one_export_with_a_column_the_other_lacks_is_refused_naming_the_field(tmp_path):
    a, b = _months(tmp_path / "exports")
    a.write_text(a.read_text(encoding="utf-8").replace(",Priority,", ",Custom field,", 1), encoding="utf-8")
    check = DataCheck()
    with pytest.raises(ExportError) as e:
        match([T.TICKETS], {p: read_file(p, check) for p in (a, b)}, ReadOptions(), check)
    msg = str(e.value)
    assert "tickets_2024-05.csv" in msg and "tickets_2024-06.csv" in msg
    assert "only in tickets_2024-06.csv: priority; only in tickets_2024-05.csv: -" in msg


def test_a_synonym_header_in_one_month_is_the_same_field(tmp_path):
    # May says "Urgency", June "Priority": both read as priority, each file's own header
    a, b = _months(tmp_path / "exports")
    a.write_text(a.read_text(encoding="utf-8").replace(",Priority,", ",Urgency,", 1), encoding="utf-8")
    check = DataCheck()
    frames = {p: read_file(p, check) for p in (a, b)}
    out = match([T.TICKETS], frames, ReadOptions(), check)
    assert out["Tickets"].columns["priority"] == "Urgency"
    assert frames[a]["Urgency"].tolist() == ["Normal", "High", "Low", "Urgent", "Normal"] * 2


def test_semicolon_and_comma_files_are_refused(tmp_path):
    a = tmp_path / "tickets_jan.csv"
    a.write_text("ticket_id,created_at\nT1,2024-01-03 09:00\n", encoding="utf-8")
    b = tmp_path / "tickets_feb.csv"
    b.write_text("ticket_id;created_at\nT2;2024-02-05 10:00\n", encoding="utf-8")
    check = DataCheck()
    with pytest.raises(ExportError, match="separated by semicolons"):
        match([T.TICKETS], {p: read_file(p, check) for p in (a, b)}, ReadOptions(), check)


def test_a_header_only_month_is_refused_by_the_reader(tmp_path):
    a, b = _months(tmp_path / "exports")
    b.write_text(ZENDESK[0] + "\n", encoding="utf-8")
    with pytest.raises(ExportError, match="has a header but no data rows"):
        load_data(reports()["support_complaints"], [tmp_path / "exports"], ReadOptions())


# --------------------------------------------------------------------------- snapshots are not periods

def test_two_snapshots_of_a_stripe_subscription_export_are_refused(tmp_path):
    # June's and July's Stripe Dashboard > Subscriptions > Export list the same subscriptions: appended,
    # every MRR would count twice (tests/data/exports/stripe_subscriptions.csv, README.md there)
    text = (DATA / "stripe_subscriptions.csv").read_text(encoding="utf-8")
    a, b = tmp_path / "subs_june.csv", tmp_path / "subs_july.csv"
    a.write_text(text, encoding="utf-8")
    b.write_text(text, encoding="utf-8")
    check = DataCheck()
    with pytest.raises(ExportError) as e:
        match([T.BILLING], {p: read_file(p, check) for p in (a, b)}, ReadOptions(), check)
    msg = str(e.value)
    assert "subs_june.csv and" in msg and "subs_july.csv both hold Billing rows for subscription_id 'sub_" in msg
    assert "two snapshots of one export" in msg


def test_customer_month_files_of_other_months_are_combined_and_the_same_month_refused(tmp_path):
    a = tmp_path / "mrr_q1.csv"
    a.write_text("customer_id,month,mrr\nC1,2024-01,100\nC1,2024-02,100\nC2,2024-02,50\n", encoding="utf-8")
    b = tmp_path / "mrr_q2.csv"
    b.write_text("customer_id,month,mrr\nC1,2024-04,120\nC2,2024-04,50\n", encoding="utf-8")
    data, check = load_data(reports()["revenue"], [a, b], ReadOptions())
    s = data["Subscriptions"]
    # hand: 3 + 2 rows, Q1's first
    assert s["mrr"].tolist() == [100.0, 100.0, 50.0, 120.0, 50.0]
    assert [f.code for f in check if f.code == "files_combined"] == ["files_combined"]
    b.write_text("customer_id,month,mrr\nC2,2024-02,50\n", encoding="utf-8")
    with pytest.raises(ExportError, match="customer_id and month 'C2 / 2024-02'"):
        load_data(reports()["revenue"], [a, b], ReadOptions())


def test_paddle_transactions_of_two_months_share_subscription_ids_by_design(tmp_path):
    # Paddle Billing transactions: a row per transaction, so one subscription bills in both months
    # (tests/data/exports/paddle_transactions.csv, README.md there)
    lines = (DATA / "paddle_transactions.csv").read_text(encoding="utf-8").splitlines()
    a, b = tmp_path / "txn_1.csv", tmp_path / "txn_2.csv"
    half = 1 + (len(lines) - 1) // 2
    a.write_text("\n".join(lines[:half]) + "\n", encoding="utf-8")
    b.write_text("\n".join([lines[0]] + lines[half:]) + "\n", encoding="utf-8")
    check = DataCheck()
    frames = {p: read_file(p, check) for p in (a, b)}
    assert set(frames[a]["subscription_id"]) & set(frames[b]["subscription_id"])     # one id in both
    out = match([T.BILLING], frames, ReadOptions(), check)
    assert out["Billing"].profile == "paddle_transactions" and len(frames[a]) == len(lines) - 1
