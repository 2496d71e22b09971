"""No "n/a" note in the Data check for a KPI the dashboard shows a number for (reviewer's G6).

A customer-month MRR file alone: the revenue dashboard shows MRR, NRR, GRR and ARPA for the month
shown from the Subscriptions bridge, while their whole-data formulas need the Accounts table. The Data
check said those KPIs were "n/a: no start-vs-end MRR per account given" beside the numbers. Values by
hand: March MRR 100 + 50 = 150; NRR = what February's customers pay in March / February's MRR =
150 / 200 = 75 %.
"""

from __future__ import annotations

import math

from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import load_data


def test_shown_kpis_have_no_absent_note(tmp_path):
    p = tmp_path / "subs.csv"
    p.write_text("customer_id,month,mrr\na,2024-01-01,100\nb,2024-01-01,100\na,2024-02-01,100\nb,2024-02-01,100\n"
                 "a,2024-03-01,100\nb,2024-03-01,50\n")
    data, check = load_data(reports()["revenue"], [p], ReadOptions(lang="en"))
    v = build(reports()["revenue"], tmp_path / "r.xlsx", data=data, values=True, check=check, period="2024-03")
    assert math.isclose(v["mrr"], 150) and math.isclose(v["nrr"], 0.75)
    noted = {f.fields.get("kpi") for f in check.findings if f.code == "kpi_absent"}
    assert not noted & {"mrr", "nrr", "grr", "arpa"}, noted


def test_the_months_error_is_said_not_the_whole_datas_na(tmp_path):
    # reviewer's R7 minor note (session 6): for the first month the dashboard's NRR is #DIV/0! (no MRR in a month
    # before it) while the Data check said "n/a: no start-vs-end MRR per account given", and the quick ratio's
    # #DIV/0! (nothing lost) had no line at all. Now each month-shown error is a note naming the month.
    p = tmp_path / "subs.csv"
    p.write_text("customer_id,month,mrr\na,2024-01-01,100\nb,2024-01-01,100\na,2024-02-01,100\nb,2024-02-01,100\n")
    data, check = load_data(reports()["revenue"], [p], ReadOptions(lang="en"))
    v = build(reports()["revenue"], tmp_path / "r.xlsx", data=data, values=True, check=check, period="2024-01")
    assert v["nrr"].code == "#DIV/0!"
    month = {f.fields["kpi"]: f for f in check.findings if f.code == "kpi_error" and "(2024-01)" in f.message}
    assert {"nrr", "grr"} <= set(month), sorted(month)
    assert all(f.level == "info" for f in month.values())
    # the quick ratio is #DIV/0! over all the data too (nothing lost in either month): said once, with its reason
    (q,) = [f for f in check.findings if f.code == "kpi_error" and f.fields["kpi"] == "quick_ratio"]
    assert "with no MRR lost the ratio has no finite value" in q.message
    absent = {f.fields.get("kpi") for f in check.findings if f.code == "kpi_absent"}
    assert not absent & {"nrr", "grr"}, absent
