"""Dates in the report's calendar on the data sheets (issue 14, item 4): reports/datecols.py.

The display text is checked against independent conversions (jdatetime for the Jalali calendar,
hijridate's Umm al-Qura tables for Hijri), the date cells against the dates given (a real date
stays underneath), blanks and texts in a date column stay blank in the display column, and a
LibreOffice rendering "as shown" of a report with values has the calendar's text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import subprocess

import jdatetime
import pandas as pd
import pytest
from hijridate import Gregorian
from openpyxl import load_workbook

from xl_cskpi.reports import builder, reports
from xl_cskpi.reports.datecols import display_columns, display_formula, display_header, display_values
from xl_cskpi.reports.sheets import display_headers, write_rows

REPORTS = reports()
TICKETS = next(r for r in REPORTS.values() if any(t.name == "Tickets" for t in r.tables))


def _jalali(d: dt.date) -> str:
    j = jdatetime.date.fromgregorian(date=d)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


def _hijri(d: dt.date) -> str:
    h = Gregorian(d.year, d.month, d.day).to_hijri()
    return f"{h.year:04d}/{h.month:02d}/{h.day:02d}"


def test_every_day_of_twelve_years_in_both_calendars():
    days = pd.Series(pd.date_range("2018-01-01", "2029-12-31", freq="D"))
    for calendar, convert in (("jalali", _jalali), ("hijri", _hijri)):
        got = display_values(days, "date", calendar).tolist()
        assert got == [convert(d.date()) for d in days], calendar


def test_date_times_months_blanks_and_texts():
    s = pd.Series([pd.Timestamp("2024-09-22 09:30:15"), None, "not a date", pd.NaT, dt.date(2025, 3, 20)],
                  dtype=object)
    assert display_values(s, "datetime", "jalali").tolist() == ["1403/07/01 09:30", None, None, None,
                                                               "1403/12/30 00:00"]
    assert display_values(s, "month", "jalali").tolist() == ["1403-07", None, None, None, "1403-12"]
    assert display_values(s, "date", "hijri").tolist()[0] == "1446/03/19"   # 19 Rabi' al-Awwal 1446
    assert display_values(None, "date", "hijri") is None


def test_only_input_date_columns_get_a_display_column_and_only_outside_gregorian():
    tb = TICKETS.table("Tickets")
    assert display_columns(tb, "gregorian") == []
    cols = display_columns(tb, "jalali")
    assert cols and all(kind in ("date", "datetime", "month") for _, kind in cols)
    assert display_header("Opened", "hijri", "ar") == "Opened (هجري)"
    with pytest.raises(ValueError, match="calendar"):
        display_columns(tb, "julian")
    f = display_formula("T[[#This Row],[d]]", "date", "hijri")
    assert f == 'IF(ISNUMBER(T[[#This Row],[d]]),TEXT(T[[#This Row],[d]],"[$-1170401]yyyy/mm/dd"),"")'


def _tickets() -> pd.DataFrame:
    return pd.DataFrame({"ticket_id": ["T1", "T2", "T3"], "customer_id": ["C1", "C2", "C3"],
                         "opened_at": pd.to_datetime(["2024-09-22 09:30", "2025-03-20 23:00", None]),
                         "first_response_at": pd.Series([pd.Timestamp("2024-09-22 10:00"), "pending", None],
                                                        dtype=object)})


@pytest.mark.parametrize("fast", [True, False])
def test_report_keeps_real_dates_and_shows_the_calendar_beside_them(monkeypatch, tmp_path, fast):
    monkeypatch.setattr(builder, "write_rows", functools.partial(write_rows, calendar="jalali", fast=fast))
    out = tmp_path / "t.xlsx"
    builder.build(TICKETS, out, lang="fa", data={"Tickets": _tickets()}, values=True)
    ws = next(w for w in load_workbook(out).worksheets if w["A2"].value == "T1")
    n = len(TICKETS.table("Tickets").columns)
    keys = [c.key for c in TICKETS.table("Tickets").columns]
    opened = keys.index("opened_at") + 1
    shown = [k for k, _ in display_columns(TICKETS.table("Tickets"), "jalali")]
    o = n + 1 + shown.index("opened_at")
    f = n + 1 + shown.index("first_response_at")
    assert ws.cell(2, opened).value == dt.datetime(2024, 9, 22, 9, 30)       # the real date underneath
    assert ws.cell(2, o).value == "1403/07/01 09:30" and ws.cell(3, o).value == "1403/12/30 23:00"
    assert ws.cell(4, o).value is None
    assert ws.cell(3, f).value is None                                      # "pending" is no date


def test_live_report_writes_the_builtin_text_formula(monkeypatch, tmp_path):
    monkeypatch.setattr(builder, "write_rows", functools.partial(write_rows, calendar="hijri"))
    out = tmp_path / "t.xlsx"
    builder.build(TICKETS, out, lang="ar", data={"Tickets": _tickets()}, values=False)
    ws = next(w for w in load_workbook(out).worksheets if w["A2"].value == "T1")
    n = len(TICKETS.table("Tickets").columns)
    cell = ws.cell(2, n + 1).value
    assert cell.startswith("=IF(ISNUMBER(Tickets[[#This Row],[") and '[$-1170401]yyyy/mm/dd hh:mm' in cell
    assert "JALALI" not in cell and "HIJRI" not in cell                     # no add-in call per row


def test_display_headers_name_the_calendar():
    from xl_cskpi.reports.formula_text import Names
    from xl_cskpi.reports.i18n import translator

    t = translator("fa")
    names = Names(TICKETS, t, lambda key: key, "fa")
    heads = display_headers(TICKETS.table("Tickets"), names, "jalali", "fa")
    assert heads and all(h.endswith("(شمسی)") for h in heads)
    assert display_headers(TICKETS.table("Tickets"), names, "gregorian", "fa") == []


def test_libreoffice_shows_the_jalali_text(monkeypatch, tmp_path):
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is needed for this test")
    monkeypatch.setattr(builder, "write_rows", functools.partial(write_rows, calendar="jalali"))
    out = tmp_path / "t.xlsx"
    builder.build(TICKETS, out, lang="fa", data={"Tickets": _tickets()}, values=True)
    # every sheet to CSV, as shown (LibreOffice's CSV filter: sheet -1 = all sheets)
    subprocess.run(["soffice", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    text = " ".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("t*.csv"))
    assert "1403/07/01 09:30" in text and "1403/12/30 23:00" in text
    assert re.search(r"2024[-/]09[-/]22 09:30", text)   # the date column still shows the real (Gregorian) date
