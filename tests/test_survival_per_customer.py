"""SURVIVAL_CURVE(..., [labels], [segments], [customer_ids]): customer_ids after labels and segments
(registry ``last=``), and the churn_retention report's curve per customer. By hand as in
tests/test_lifetime_per_customer.py (the reviewer's CRM list, session 6 H2)."""

from __future__ import annotations

import datetime as dt

import pytest

from xl_cskpi import survival_curve
from xl_cskpi.registry import REGISTRY

from test_lifetime_per_customer import CRM, _crm


def test_customer_ids_come_after_labels_and_segments():
    assert [a.name for a in REGISTRY["SURVIVAL_CURVE"].arguments] == [
        "start_dates", "end_dates", "period", "as_of", "confidence", "labels", "segments", "customer_ids"]


def test_the_reviewers_crm_list_curve():
    # by row 10 subjects, S(2) = 1 - 1/6 = 0.833; by customer 9, S(2) = 1 - 1/5 = 0.8, S(3) = 0.4
    ids, starts, ends = _crm()
    by_row = survival_curve(starts, ends, "month", "2024-05-01")
    by_customer = survival_curve(starts, ends, "month", "2024-05-01", 0.95, "en", None, ids)
    assert by_row["At risk"].tolist()[:3] == [10, 7, 6]
    assert by_row["Survival"][2] == pytest.approx(5 / 6, abs=1e-12)
    assert by_customer["At risk"].tolist() == [9, 6, 5, 4, 1]
    assert by_customer["Churned"].tolist() == [0, 0, 1, 2, 1]
    assert by_customer["Censored"].tolist() == [3, 1, 0, 1, 0]
    assert by_customer["Survival"].tolist() == pytest.approx([1, 1, 0.8, 0.4, 0], abs=1e-12)


def test_a_renewal_row_by_keyword_in_fa_and_per_segment():
    starts = ["2024-01-01", "2024-07-01", "2024-01-01", "2024-07-01", "2024-01-01"]
    ends = ["2024-07-01", None, "2024-07-01", "2025-01-01", "2024-10-01"]
    ids = ["A", "A", "B", "B", "C"]
    t = survival_curve(starts, ends, "month", "2025-03-01", customer_ids=ids)
    # A censored 14, C churn 9, B churn 12: S(9) = 2/3, S(12) = 1/3 (by row S(6) = 0.4)
    assert t["Survival"][9] == pytest.approx(2 / 3) and t["Survival"][12] == pytest.approx(1 / 3)
    assert survival_curve(starts, ends, "month", "2025-03-01")["Survival"][6] == pytest.approx(0.4)
    fa = survival_curve(starts, ends, "month", "2025-03-01", 0.95, "fa", "", ids)
    assert fa.iloc[:, 4].tolist() == t["Survival"].tolist()
    # segments split the ids with the rows: A and B in "x", C in "y"
    seg = survival_curve(starts, ends, "month", "2025-03-01", 0.95, "en", ["x", "x", "x", "x", "y"], ids)
    x = seg[seg["segment"] == "x"]
    assert x["At risk"].iloc[0] == 2 and x["Churned"].sum() == 1


def test_report_values_and_formula(tmp_path):
    from openpyxl import load_workbook

    from xl_cskpi.exports.check import ReadOptions
    from xl_cskpi.reports import reports
    from xl_cskpi.reports.builder import build
    from xl_cskpi.reports.fill import load_data

    report = reports()["churn_retention"]
    p = tmp_path / "crm_customers_en.csv"
    p.write_text(CRM, encoding="utf-8")
    data, _ = load_data(report, [p], ReadOptions())
    for lang in ("en", "fa", "ar"):
        values = build(report, tmp_path / f"v.{lang}.xlsx", data=data, values=True, lang=lang,
                       settings={"customers_as_of": dt.datetime(2024, 5, 1)})
        curve = values["survival_curve"]
        assert curve.iloc[:, 1].tolist() == [9, 6, 5, 4, 1]
        assert curve.iloc[:, 4].tolist() == pytest.approx([1, 1, 0.8, 0.4, 0], abs=1e-12)
        build(report, tmp_path / f"f.{lang}.xlsx", lang=lang)
        wb = load_workbook(tmp_path / f"f.{lang}.xlsx")
        (formula,) = [getattr(c.value, "text", c.value) for ws in wb for row in ws.iter_rows() for c in row
                      if "SURVIVAL_CURVE(" in str(getattr(c.value, "text", c.value))
                      and str(getattr(c.value, "text", c.value)).startswith("=")]
        assert f',"month",customers_as_of,0.95,"{lang}","",Customers[' in formula
