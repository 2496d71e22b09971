"""``report --set NAME=VALUE`` reads a setting by its kind (reviewer's G20 and G21, session 5).

G20: ``--set target_churn=5%`` was stored as the text "5%", which compares below every number, so a
churn of 11.4 % read "On target"; ``=5`` was 500 %. G21: a Persian report's churn period could not be
given in Jalali (``۱۴۰۳/۰۲/۰۱`` was #VALUE!, ``1403-02-01`` the year 1403 AD).
"""

from __future__ import annotations

import math

import openpyxl
import pytest

from xl_cskpi.cli import UsageError, _set_options, main
from xl_cskpi.reports import reports

R = reports()


@pytest.mark.parametrize("raw, want", [("5%", 0.05), ("0.05", 0.05), ("۵٪", 0.05), ("٠٫٠٥", 0.05), ("", None)])
def test_a_rate_is_a_fraction(raw, want):
    got = _set_options([f"target_churn={raw}"], R["churn_retention"])["target_churn"]
    assert got == want if want is None else math.isclose(got, want)


@pytest.mark.parametrize("pair, message", [
    ("target_churn=5", "would be 500 %; write 5% or 0.05"),
    ("target_churn=abc", "target_churn is a number (a rate: 5% or 0.05), not 'abc'"),
    ("sla_hours=24%", "sla_hours is not a rate"),
    ("churn_from=yesterday", "write a date such as 2024-07-01"),
    ("nothing=1", "has no such setting"),
])
def test_refused_with_what_to_write(pair, message):
    report = R["support_complaints"] if pair.startswith("sla") else R["churn_retention"]
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _set_options([pair], report)


def test_counts_read_persian_digits_and_thousands():
    assert _set_options(["customers_start=۱٬۲۰۰"], R["funnel"])["customers_start"] == 1200


def test_a_jalali_churn_period_in_a_persian_report(tmp_path, capsys):
    # a Didar-style Persian customer list; 1403/02/01-1403/02/31 = 20 April - 20 May 2024. By hand
    # (ChartMogul: lost of those at the start, new customers not counted): at the close of 1403/01/31
    # C01, C02, C03, C04, C06, C09, C10 = 7; C02 leaves 1403/02/15; C05 joins and leaves in the period
    # (not counted); C09 leaves 1403/03/01, after it: 1 / 7
    p = tmp_path / "didar.csv"
    p.write_text("کد مشتری,نام مشتری,تاریخ شروع,تاریخ پایان,پلن\n"
                 "C01,الف,۱۴۰۲/۱۱/۰۵,,طلایی\nC02,ب,۱۴۰۲/۱۲/۱۰,۱۴۰۳/۰۲/۱۵,نقره‌ای\nC03,پ,۱۴۰۳/۰۱/۰۱,۱۴۰۳/۰۳/۳۱,طلایی\n"
                 "C04,ت,۱۴۰۲/۱۲/۲۹,,برنزی\nC05,ث,۱۴۰۳/۰۲/۰۱,۱۴۰۳/۰۲/۲۰,برنزی\nC06,ج,۱۴۰۳/۰۱/۱۵,,طلایی\n"
                 "C07,چ,۱۴۰۲/۱۰/۰۱,۱۴۰۳/۰۱/۰۱,نقره‌ای\nC08,ح,۱۴۰۳/۰۳/۰۵,,طلایی\nC09,خ,۱۴۰۲/۰۹/۲۰,۱۴۰۳/۰۳/۰۱,برنزی\n"
                 "C10,د,۱۴۰۲/۰۸/۱۱,,طلایی\n", encoding="utf-8")
    out = tmp_path / "c.xlsx"
    assert main(["report", "churn_retention", "--lang", "fa", "--data", str(p), "-o", str(out), "--values",
                 "--map", "customer_id=کد مشتری", "--set", "churn_from=۱۴۰۳/۰۲/۰۱", "--set", "churn_to=1403-02-31"]) == 0
    printed = capsys.readouterr().out
    assert any(l.rstrip().endswith("14.3%") for l in printed.splitlines() if "(روش انتخاب‌شده)" in l)
    wb = openpyxl.load_workbook(out)
    settings = {r[2]: r[1] for r in wb.worksheets[[ws.title for ws in wb.worksheets].index(
        next(ws.title for ws in wb.worksheets if any(c.value == "churn_from" for c in ws["C"])))].iter_rows(values_only=True)}
    assert str(settings["churn_from"])[:10] == "2024-04-20" and str(settings["churn_to"])[:10] == "2024-05-20"
    v = _set_options(["churn_from=۱۴۰۳/۰۲/۰۱"], R["churn_retention"], "jalali")["churn_from"]
    assert v.isoformat()[:10] == "2024-04-20"
