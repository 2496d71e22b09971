"""The revenue report with MRR in several currencies and a rates table (issue 16, item 3).

Hand-computed example (reporting currency USD; rates: one EUR = 1.10 USD in September 2024, 1.20 in
October, 1.15 in November, each the last rate dated in its month):

* ``eu`` pays 100 EUR a month from 1 September; ``us`` 50 USD a month from 1 September; ``jp``
  20 USD a month from 15 November (its start is the export's last date: the November snapshot).
* September: new 110 + 50 = 160, ending 160.
* October: starting 160; eu's 100 EUR revalued: FX impact 100 x (1.20 - 1.10) = +10; no expansion;
  ending 120 + 50 = 170 = 160 + 10.
* November: starting 170; new 20 (jp); FX impact 100 x (1.15 - 1.20) = -5; ending 115 + 50 + 20 = 185
  = 170 + 20 - 5.
"""

from __future__ import annotations

import math

import pytest

from xl_cskpi.cli import main
from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import ExportError, load_data

REVENUE = reports()["revenue"]
RATES = "date,currency,rate\n2024-09-30,EUR,1.10\n2024-10-31,EUR,1.20\n2024-11-30,EUR,1.15\n"
BILLING = ("customer_id,start,end,amount,currency,interval\n"
           "eu,2024-09-01,,100,EUR,month\nus,2024-09-01,,50,USD,month\njp,2024-11-15,,20,usd,month\n")


def _files(tmp_path, billing=BILLING, rates=RATES):
    b, r = tmp_path / "billing.csv", tmp_path / "rates.csv"
    b.write_text(billing, encoding="utf-8")
    files = [b]
    if rates is not None:
        r.write_text(rates, encoding="utf-8")
        files.append(r)
    return files


def _values(tmp_path, files, period=None):
    # (the export's last event -- a start on 15 November -- measures November to that day, so the
    # default month would be the one before it: the tests name the month they check)
    data, check = load_data(REVENUE, files, ReadOptions())
    settings = {"reporting_currency": data["Subscriptions"].attrs.get("reporting_currency") or ""}
    return build(REVENUE, tmp_path / "r.xlsx", data=data, values=True, settings=settings, check=check,
                 period=period), check


def test_the_fx_bridge_closes_on_the_hand_example(tmp_path):
    v, check = _values(tmp_path, _files(tmp_path), "2024-11")
    t = v["mrr_movements_fx"]
    assert t["Month"].tolist() == ["2024-09", "2024-10", "2024-11"]
    want = {"Starting MRR": [0, 160, 170], "New MRR": [160, 0, 20], "Expansion MRR": [0, 0, 0],
            "Contraction MRR": [0, 0, 0], "Churned MRR": [0, 0, 0], "FX impact MRR": [0, 10, -5],
            "Ending MRR": [160, 170, 185]}
    for col, values in want.items():
        assert all(math.isclose(a, b, abs_tol=1e-9) for a, b in zip(t[col], values)), (col, t[col].tolist())
    closes = (t["Starting MRR"] + t["New MRR"] + t["Expansion MRR"] + t["Reactivation MRR"] - t["Contraction MRR"]
              - t["Churned MRR"] + t["FX impact MRR"] - t["Ending MRR"])
    assert (closes.abs() < 1e-9).all()
    assert math.isclose(v["fx_impact_mrr"], -5, abs_tol=1e-9)          # the month shown: November
    assert math.isclose(v["mrr"], 185, abs_tol=1e-9)
    # the reporting currency is the one the rates do not convert; the plain bridge's caveat is said
    assert [f.code for f in check if f.code == "fx_in_bridge"] == ["fx_in_bridge"]


def test_the_command_line_takes_the_rates_file_by_its_columns(tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    assert main(["report", "revenue", "--data", *map(str, _files(tmp_path)), "-o", str(out), "--values",
                 "--period", "2024-11"]) == 0
    text = capsys.readouterr().out
    assert "FX impact" in text and "-5" in text
    from openpyxl import load_workbook
    wb = load_workbook(out)
    settings = wb.defined_names["reporting_currency"]
    title, coord = next(iter(settings.destinations))
    assert wb[title][coord.replace("$", "")].value == "USD"


def test_a_subscriptions_export_with_a_currency_column_is_converted(tmp_path):
    subs = tmp_path / "subscriptions.csv"
    subs.write_text("customer_id,month,mrr,currency\neu,2024-09-01,100,EUR\nus,2024-09-01,50,USD\n"
                    "eu,2024-10-01,100,EUR\nus,2024-10-01,50,USD\n", encoding="utf-8")
    rates = tmp_path / "rates.csv"
    rates.write_text(RATES, encoding="utf-8")
    v, _ = _values(tmp_path, [subs, rates])
    t = v["mrr_movements_fx"]
    assert t["FX impact MRR"].round(9).tolist() == [0, 10]
    assert t["Ending MRR"].round(9).tolist() == [160, 170]
    data, _ = load_data(REVENUE, [subs, rates], ReadOptions())
    assert data["Subscriptions"]["mrr"].round(9).tolist() == [110, 50, 120, 50]
    assert data["Subscriptions"]["mrr_local"].tolist() == [100, 50, 100, 50]


def test_several_currencies_without_rates_are_refused(tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    assert main(["report", "revenue", "--data", *map(str, _files(tmp_path, rates=None)), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "EUR" in err[0] and "USD" in err[0]
    assert not out.exists()


def test_two_currencies_without_rates_are_named(tmp_path):
    billing = BILLING + "gb,2024-09-01,,40,GBP,month\n"
    with pytest.raises(ExportError, match="GBP, USD have no rates"):
        load_data(REVENUE, _files(tmp_path, billing=billing), ReadOptions())


def test_one_currency_needs_no_rates_and_says_fx_is_not_applicable(tmp_path):
    billing = "customer_id,start,end,amount,currency,interval\nus,2024-09-01,,50,USD,month\n" \
              "ca,2024-10-20,,30,USD,month\n"
    v, check = _values(tmp_path, _files(tmp_path, billing=billing, rates=None), "2024-10")
    assert math.isclose(v["mrr"], 80, abs_tol=1e-9)
    assert "n/a" in str(v["fx_impact_mrr"]) or "n/a" in repr(v["fx_impact_mrr"])
    assert not [f for f in check if f.code == "fx_in_bridge"]
