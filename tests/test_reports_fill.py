"""Reading exports: encodings, delimiters, XLSX through calamine, header matching, typed cells."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.exports.headers import normalise
from xl_cskpi.exports.read import read_file
from xl_cskpi.reports.fill import ExportError, load_data

CHURN = reports()["churn_retention"]
SUPPORT = reports()["support_complaints"]
HEADER = "Month;Customers at start;New customers;Churned customers;Customers at end;Renewals due;Renewals\n"


def test_normalise_headers():
    assert normalise(" Customer ID ") == "customer_id"
    assert normalise("\ufeffMRR-start") == "mrr_start"


def test_semicolon_csv_with_persian_and_arabic_digits(tmp_path):
    p = tmp_path / "months.csv"
    p.write_text(HEADER + "۲۰۲۴-۰۱-۰۱;١٬٠٠٠;۱۲۰;٦٤;١٬٠٥٦;٨٠;٦٨\n", encoding="utf-8")
    df = load_data(CHURN, [p], ReadOptions())[0]["Months"]
    assert df.loc[0, "customers_start"] == 1000 and df.loc[0, "customers_lost"] == 64
    assert df.loc[0, "month"] == pd.Timestamp("2024-01-01")


def test_windows_1256_csv_from_an_older_arabic_system(tmp_path):
    t = tmp_path / "tickets.csv"
    t.write_text("id,created_at,solved_at\nT1,2024-01-01 09:00,2024-01-01 12:00\n", encoding="utf-8")
    c = tmp_path / "complaints.csv"
    c.write_bytes("complaint_id,received_at,category,status\nK1,2024-01-02,الفواتير,pending\n"
                  "K2,2024-01-03,التوصيل,resolved\n".encode("cp1256"))
    data, _ = load_data(SUPPORT, [t, c], ReadOptions())
    assert data["ComplaintLog"]["category"].tolist() == ["الفواتير", "التوصيل"]


def test_utf8_bom_tab_separated(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("\ufeff" + HEADER.replace(";", "\t") + "2024-02-01\t1000\t120\t64\t1056\t80\t68\n",
                 encoding="utf-8")
    df = load_data(CHURN, [p], ReadOptions())[0]["Months"]
    assert list(df.columns[:3]) == ["month", "customers_start", "customers_new"]
    assert df.loc[0, "renewals"] == 68


def test_xlsx_export_read_with_calamine(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(";"))
    ws.append([dt.datetime(2024, 3, 1), 1000, 120, 64, 1056, 80, 68])
    wb.save(tmp_path / "export.xlsx")
    df = load_data(CHURN, [tmp_path / "export.xlsx"], ReadOptions())[0]["Months"]
    assert df.loc[0, "month"] == pd.Timestamp("2024-03-01") and df.loc[0, "customers_end"] == 1056
    # and the report built from it computes churn 64 / 1000 (hand calculation: 6.4 %)
    values = build(CHURN, tmp_path / "r.xlsx", data={"Months": df}, values=True)
    assert values["churn_rate"] == pytest.approx(0.064)


def test_bad_number_names_file_row_and_column(tmp_path):
    p = tmp_path / "months.csv"
    p.write_text(HEADER.replace(";", ",") + "2024-01-01,1000,lots,64,1056,80,68\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"months\.csv: row 2, column New customers: .*'lots'.* not a number"):
        load_data(CHURN, [p], ReadOptions())


def test_bad_date_names_the_cell(tmp_path):
    p = tmp_path / "months.csv"
    p.write_text(HEADER.replace(";", ",") + "someday,1000,1,64,1056,80,68\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"months\.csv: row 2, column Month: .*'someday'.* not a date"):
        load_data(CHURN, [p], ReadOptions())


def test_a_report_runs_from_the_tables_given(tmp_path):
    # support_complaints from a tickets export alone: the complaint log is an absent key, said in the check
    p = tmp_path / "tickets.csv"
    p.write_text("id,created_at,solved_at\nT1,2024-01-01 09:00,2024-01-01 12:00\n", encoding="utf-8")
    data, check = load_data(SUPPORT, [p], ReadOptions())
    assert list(data) == ["Tickets"]
    assert [f.table for f in check if f.code == "table_absent"] == ["ComplaintLog"]
    assert [(f.file, f.fields["rows"]) for f in check if f.code == "rows_read"] == [(str(p), 1)]


def test_formula_text_in_an_export_stays_text(tmp_path):
    t = tmp_path / "tickets.csv"
    t.write_text("id,created_at,solved_at,channel\n=1+1,2024-01-01 09:00,2024-01-01 12:00,"
                 "\"=HYPERLINK(\"\"http://x\"\",\"\"x\"\")\"\n", encoding="utf-8")
    c = tmp_path / "complaints.csv"
    c.write_text("complaint_id,received_at,category,status\n@SUM(A1),2024-01-02,Billing,pending\n",
                 encoding="utf-8")
    data, _ = load_data(SUPPORT, [t, c], ReadOptions())
    build(SUPPORT, tmp_path / "r.xlsx", data=data)
    wb = load_workbook(tmp_path / "r.xlsx")
    for cell in (wb["Tickets"]["A2"], wb["Tickets"]["C2"], wb["ComplaintLog"]["A2"]):
        assert cell.data_type == "s", cell.value
    assert wb["Tickets"]["C2"].value == '=HYPERLINK("http://x","x")'


def test_read_file_keeps_headers_as_given(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("A|B\n1|2\n", encoding="utf-8")
    assert list(read_file(p).columns) == ["A", "B"]


def test_large_export_streams_through_write_only_mode(tmp_path):
    # 2,000 tickets: the builder streams rows (openpyxl write-only) and says how many it writes
    # (the per-50,000-row progress lines are the writer's, tested with the writer: B)
    n = 2_000
    opened = pd.Timestamp("2024-01-01") + pd.to_timedelta(pd.RangeIndex(n) % 500_000, unit="min")
    tickets = pd.DataFrame({"ticket_id": [f"T{i}" for i in range(n)], "customer_id": None, "channel": "email",
                            "priority": "normal", "opened_at": opened,
                            "first_response_at": opened + pd.Timedelta(hours=1),
                            "resolved_at": opened + pd.Timedelta(hours=10)})
    complaints = pd.DataFrame({"complaint_id": ["K1"], "customer_id": [None], "received_at": [opened[0]],
                               "category": ["Billing"], "status": ["pending"]})
    seen = []
    values = build(SUPPORT, tmp_path / "big.xlsx", data={"Tickets": tickets, "ComplaintLog": complaints},
                   values=True, progress=seen.append)
    assert values["avg_resolution_hours"] == pytest.approx(10.0)   # every ticket took 10 hours
    assert any("2,000" in s for s in seen)
