"""The churn report from a customer list alone (reviewer's U8, session 4).

A CRM customer list (ids, start, end) filled only the Kaplan-Meier lifetime; monthly churn, retention
and active customers read "n/a: no monthly customer counts given" although `compute monthly_churn`
derived them from the same list. The report now derives its Months table from the list
(tables.customers.monthly_counts_from_spans). Expected values: counted by hand below, and an
independent loop over the months (engines.reference._spans, written separately for `compute`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from xl_cskpi.engines import reference
from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import load_data
from xl_cskpi.tables.customers import monthly_counts_from_spans

R = reports()

# c1 from before January to 10 March; c2 all along; c3 joins 15 Feb; c4 joins 3 March and leaves
# 20 March (new and lost in March); c5 joins 1 April
LIST = ("customer_id,start_date,end_date\n"
        "c1,2023-12-01,2024-03-10\nc2,2023-11-15,\nc3,2024-02-15,\nc4,2024-03-03,2024-03-20\nc5,2024-04-01,\n")


def test_counts_by_hand():
    df = pd.read_csv(pd.io.common.StringIO(LIST))
    m = monthly_counts_from_spans(df["start_date"].tolist(), [None if pd.isna(x) else x for x in df["end_date"]])
    m = m.set_index(m["month"].dt.strftime("%Y-%m"))
    # March: at the start c1, c2, c3 = 3; new c4 = 1; lost c1 and c4 = 2; at the end c2, c3 = 2
    assert m.loc["2024-03", ["customers_start", "customers_new", "customers_lost", "customers_end"]].tolist() == [3, 1, 2, 2]
    assert m.loc["2024-04"].tolist()[1:] == [2, 1, 0, 3]
    assert m.loc["2023-11"].tolist()[1:] == [0, 1, 0, 1] and len(m) == 6          # Nov 2023 .. Apr 2024
    # each month's end is the next one's start, and end = start + new - lost
    assert (m["customers_end"].to_numpy()[:-1] == m["customers_start"].to_numpy()[1:]).all()
    assert (m["customers_end"] == m["customers_start"] + m["customers_new"] - m["customers_lost"]).all()


@pytest.mark.parametrize("calendar", ["gregorian", "jalali", "hijri"])
def test_equal_to_compute_on_random_lists_in_any_order(calendar):
    rng = np.random.default_rng(5)
    start = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 900, 400), "D")
    end = pd.Series(start + pd.to_timedelta(rng.integers(0, 500, 400), "D")).where(rng.random(400) < 0.5)
    end = end.where(end < pd.Timestamp("2024-12-31"))
    order = rng.permutation(400)
    s, e = pd.Series(start[order]), end.iloc[order].reset_index(drop=True)
    got = monthly_counts_from_spans(s.to_numpy(), e.to_numpy(), calendar)
    want = reference._spans({"start": s, "end": e}, calendar, {"end": "end"}, {})
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False)


def test_the_churn_report_reads_monthly_churn_from_a_customer_list(tmp_path):
    p = tmp_path / "crm.csv"
    p.write_text(LIST)
    data, check = load_data(R["churn_retention"], [p], ReadOptions(lang="en"))
    assert "Months" in data and any(f.code == "months_from_customers" for f in check.findings)
    v = build(R["churn_retention"], tmp_path / "c.xlsx", data=data, values=True, check=check, period="2024-03")
    assert math.isclose(v["churn_rate"], 2 / 3, rel_tol=1e-12) and v["customers_end"] == 2
    # the blank churn period of the conventions' table is the polite n/a, not an error (reviewer's U6)
    conv = [f for f in check.findings if f.fields.get("kpi") == "churn_conventions"]
    assert conv and all(f.level == "info" and f.code == "kpi_absent" for f in conv)


def test_a_customer_leaving_before_joining_leaves_months_underived_with_a_warning(tmp_path):
    p = tmp_path / "crm.csv"
    p.write_text("customer_id,start_date,end_date\nc1,2024-03-10,2024-03-01\nc2,2024-01-01,\n")
    data, check = load_data(R["churn_retention"], [p], ReadOptions(lang="en"))
    assert "Months" not in data
    assert [f.code for f in check.findings if f.level == "warning"] == ["months_not_derived"]
