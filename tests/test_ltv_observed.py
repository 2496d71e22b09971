"""unit_economics' "LTV from observed churn" with the month shown's ARPA and gross margin (reviewer's R8 L3).

The reviewer's /tmp/r8/in/finance_shift.csv (inlined below): a price change in April, revenue 10,000 and gross
margin 0.5 in January-March, 40,000 and 0.9 in April-June. ChartMogul's LTV = ARPA x gross margin / churn, with
the dashboard's own ARPA (revenue / customers at the month's end) and margin beside the trailing churn (the mean
of lost / start over the 6 months ending at the month shown). By hand:

* June: ARPA 40,000 / (130 + 10 - 4) = 294.1; churn mean(3/100, 4/107, 5/115, 2/119, 6/128, 4/130) = 0.034219;
  294.1 x 0.9 / 0.034219 = 7,736.
* March: ARPA 10,000 / (115 + 9 - 5) = 84.03; churn mean(3/100, 4/107, 5/115) = 0.036954;
  84.03 x 0.5 / 0.036954 = 1,137 (built from data up to March only).

Shown before: 4,175 (June) and 3,866 (March): the whole table's ARPA 150,000 / 735 = 204.1 and mean margin 0.7,
April-June included.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xl_cskpi.cli import main
from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.evaluate import evaluate_report
from xl_cskpi.reports.fill import load_data

R = reports()
UE = R["unit_economics"]

FINANCE_SHIFT = """\
Month,Customers start,New customers,Customers lost,Revenue,Gross margin,Sales & marketing spend,Retention costs,Operating cash flow,Investments,Working capital increase
2024-01,100,10,3,10000,0.5,15000,2000,5000,1000,500
2024-02,107,12,4,10000,0.5,16000,2100,5200,1000,400
2024-03,115,9,5,10000,0.5,14000,2200,5400,1000,300
2024-04,119,11,2,40000,0.9,15500,2300,5600,1000,200
2024-05,128,8,6,40000,0.9,13000,2400,5800,1000,100
2024-06,130,10,4,40000,0.9,16000,2500,6000,1000,0
"""

# hand values (module docstring)
CHURN_JUNE = (3 / 100 + 4 / 107 + 5 / 115 + 2 / 119 + 6 / 128 + 4 / 130) / 6
CHURN_MARCH = (3 / 100 + 4 / 107 + 5 / 115) / 3
LTV_JUNE = 40000 / 136 * 0.9 / CHURN_JUNE
LTV_MARCH = 10000 / 119 * 0.5 / CHURN_MARCH


def finance(tmp_path: Path, text: str = FINANCE_SHIFT) -> Path:
    p = tmp_path / "finance_shift.csv"
    p.write_text(text, encoding="utf-8")
    return p


def values(tmp_path: Path, period: str | None, text: str = FINANCE_SHIFT) -> dict:
    tables, _ = load_data(UE, [finance(tmp_path, text)], ReadOptions())
    return build(UE, tmp_path / "ue.xlsx", data=tables, values=True, period=period)


def test_hand_values():
    # the reviewer's rounded figures: 0.034219 and 0.036954, LTV 7,736 and 1,137
    assert round(CHURN_JUNE, 6) == 0.034219 and round(CHURN_MARCH, 6) == 0.036954
    assert round(LTV_JUNE) == 7736 and round(LTV_MARCH) == 1137


@pytest.mark.parametrize("period, ltv, arpa, margin, churn", [
    (None, LTV_JUNE, 40000 / 136, 0.9, CHURN_JUNE),            # the latest month: June (shown before 4,175)
    ("2024-06", LTV_JUNE, 40000 / 136, 0.9, CHURN_JUNE),
    ("2024-03", LTV_MARCH, 10000 / 119, 0.5, CHURN_MARCH),     # shown before 3,866
])
def test_ltv_observed_uses_the_month_shown(tmp_path, period, ltv, arpa, margin, churn):
    v = values(tmp_path, period)
    assert math.isclose(v["arpa"], arpa, rel_tol=1e-12)
    assert math.isclose(v["gross_margin"], margin, rel_tol=1e-12)
    assert math.isclose(v["churn_trailing"], churn, rel_tol=1e-12)
    assert math.isclose(v["ltv_observed"], ltv, rel_tol=1e-12)
    # the dashboard's own rows: ARPA x margin / trailing churn, as its label says
    assert math.isclose(v["ltv_observed"], v["arpa"] * v["gross_margin"] / v["churn_trailing"], rel_tol=1e-12)


def test_march_is_built_from_data_up_to_march_only(tmp_path):
    # the rows after March (the price change) do not move March's figure
    first_quarter = "".join(FINANCE_SHIFT.splitlines(keepends=True)[:4])
    (tmp_path / "all").mkdir()
    (tmp_path / "q1").mkdir()
    whole = values(tmp_path / "all", "2024-03")
    q1 = values(tmp_path / "q1", "2024-03", first_quarter)
    assert math.isclose(whole["ltv_observed"], q1["ltv_observed"], rel_tol=1e-12)
    assert math.isclose(q1["ltv_observed"], LTV_MARCH, rel_tol=1e-12)


@pytest.mark.parametrize("period, shown", [(None, "7,736"), ("2024-03", "1,137")])
def test_the_command_shows_the_hand_values(tmp_path, capsys, period, shown):
    args = ["report", "unit_economics", "--data", str(finance(tmp_path)), "-o", str(tmp_path / "ue.xlsx"),
            "--values", "--force"] + (["--period", period] if period else [])
    assert main(args) == 0
    m = re.search(r"LTV from observed churn \(ARPA x margin / trailing churn\)\s+(\S+)", capsys.readouterr().out)
    assert m and m.group(1) == shown


def test_without_months_the_whole_tables_arpa_and_margin(tmp_path):
    # a template whose Periods are blank (period_row = 0): the dashboard's ARPA and margin rows are the whole
    # table's, and so is the LTV from observed churn's (the Python face without period labels)
    tables, _ = load_data(UE, [finance(tmp_path)], ReadOptions())
    v = evaluate_report(UE, tables)
    # revenue / customers at the months' ends: 150,000 / (699 + 60 - 24) = 204.1 (the reviewer's 735 customer-months)
    arpa_all = 150000 / 735
    assert math.isclose(v["arpa"], arpa_all, rel_tol=1e-12)
    assert math.isclose(v["gross_margin"], 0.7, rel_tol=1e-12)
    assert math.isclose(v["ltv_observed"], arpa_all * 0.7 / CHURN_JUNE, rel_tol=1e-12)


def test_the_live_cell_reads_the_dashboards_arpa_and_margin_rows(tmp_path):
    out = tmp_path / "t.xlsx"
    build(UE, out)
    wb = load_workbook(out)
    names = {n: wb.defined_names[n].attr_text for n in ("kpi_arpa", "kpi_gross_margin", "kpi_ltv_observed")}
    sheet, cell = names["kpi_ltv_observed"].split("!")
    formula = wb[sheet.strip("'")][cell.replace("$", "")].value
    assert formula == ("=IF(ISNUMBER(kpi_gross_margin),LTV_FROM_CHURN(kpi_arpa,kpi_churn_trailing,kpi_gross_margin,"
                       "discount_rate),kpi_gross_margin)")
    # and those rows hold the whole table's figure while no month is known, the month's otherwise
    for key in ("kpi_arpa", "kpi_gross_margin"):
        sheet, cell = names[key].split("!")
        assert wb[sheet.strip("'")][cell.replace("$", "")].value.startswith("=IF(period_row=0,")


def test_a_margin_typed_as_a_percent_number_repeats_the_margin_rows_sentence(tmp_path):
    # 50 / 90 for 50 % / 90 %: the margin row asks for 0.5 or 50%; LTV from observed churn says the same
    # (not LTV_FROM_CHURN's #VALUE! on that text)
    text = FINANCE_SHIFT.replace(",0.5,", ",50,").replace(",0.9,", ",90,")
    v = values(tmp_path, None, text)
    assert v["gross_margin"] == v["ltv_observed"] == "n/a: a gross margin is off 0-100 %; enter 0.7 or 70%"
