"""Revenue cohorts (xl_cskpi.tables.revenue_cohorts): COHORT_MRR_RETENTION and
COHORT_CUMULATIVE_REVENUE against an independent pandas computation, invariants, segments, the
Excel face and bad input.

Definition checked: ChartMogul, "Cohort: Net MRR Retention" (help.chartmogul.com/hc/en-us/articles/
203359411): cohort = month of the first subscription; retention = MRR of the cohort's customers in
the month / the cohort's MRR at its start, expansion and reactivation included.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xl_cskpi import cohort_cumulative_revenue, cohort_mrr_retention
from xl_cskpi.errors import InvalidInput, NotAvailable, OutOfRange

from test_revenue_movements import MONTHS, random_export
from xlwings_stubs import classic_xlwings, same_cells


def pandas_cohorts(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Independent: a customer x month pivot; cohort = first column with MRR > 0."""
    pivot = frame.pivot_table(index="customer", columns="month", values="mrr", aggfunc="sum", fill_value=0.0)
    months = [m for m in MONTHS if MONTHS.index(frame["month"].min()) <= MONTHS.index(m)
              <= MONTHS.index(frame["month"].max())]
    pivot = pivot.reindex(columns=months, fill_value=0.0)
    pivot = pivot[(pivot > 0).any(axis=1)]
    first = (pivot > 0).to_numpy().argmax(axis=1)
    ret, ltv = {}, {}
    for k in sorted(set(first)):
        rows = pivot.to_numpy()[first == k]
        series = rows.sum(axis=0)[k:]
        width = len(months)
        r = np.full(width, np.nan)
        r[:len(series)] = series / series[0]
        c = np.full(width, np.nan)
        c[:len(series)] = np.cumsum(series) / len(rows)
        ret[months[k]] = [len(rows), series[0], *r]
        ltv[months[k]] = [len(rows), *c]
    cols = [f"Month {i}" for i in range(len(months))]
    return (pd.DataFrame.from_dict(ret, orient="index", columns=["Customers", "Starting MRR", *cols]),
            pd.DataFrame.from_dict(ltv, orient="index", columns=["Customers", *cols]))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_equals_an_independent_pandas_computation(seed):
    frame = random_export(seed)
    want_ret, want_ltv = pandas_cohorts(frame)
    got_ret = cohort_mrr_retention(frame["customer"], frame["month"], frame["mrr"]).set_index("Cohort")
    got_ltv = cohort_cumulative_revenue(frame["customer"], frame["month"], frame["mrr"]).set_index("Cohort")
    pd.testing.assert_frame_equal(got_ret, want_ret, check_names=False, check_dtype=False, rtol=1e-12)
    pd.testing.assert_frame_equal(got_ltv, want_ltv, check_names=False, check_dtype=False, rtol=1e-12)
    assert (got_ret["Month 0"] == 1).all()
    # a cohort's row is observed up to the export's last month and blank after it
    last = MONTHS.index(frame["month"].max())
    observed = [last - MONTHS.index(c) + 1 for c in got_ret.index]
    assert got_ret.iloc[:, 2:].notna().sum(axis=1).tolist() == observed
    # realised revenue never decreases along a row
    steps = np.diff(got_ltv.iloc[:, 1:].to_numpy(), axis=1)
    assert (steps[~np.isnan(steps)] >= 0).all()


def test_hand_example_with_expansion_churn_and_reactivation():
    # hand: A 100, 0, 150 (leaves and returns bigger); B 100, 50, 50 -> September cohort 200, 50, 200
    ids = ["A", "B", "B", "A", "B"]
    months = ["2024-09", "2024-09", "2024-10", "2024-11", "2024-11"]
    mrr = [100, 100, 50, 150, 50]
    got = cohort_mrr_retention(ids, months, mrr)
    assert got.columns.tolist() == ["Cohort", "Customers", "Starting MRR", "Month 0", "Month 1", "Month 2"]
    assert got.iloc[0].tolist() == ["2024-09", 2, 200.0, 1.0, 0.25, 1.0]
    ltv = cohort_cumulative_revenue(ids, months, mrr)
    assert ltv.iloc[0].tolist() == ["2024-09", 2, 100.0, 125.0, 225.0]


def test_segments_run_to_the_exports_last_month():
    ids = ["A", "B", "A", "B", "A"]
    months = ["2024-09", "2024-09", "2024-10", "2024-10", "2024-11"]
    mrr = [100, 50, 100, 25, 100]
    plans = ["Pro", "Team", "Pro", "Team", "Pro"]
    got = cohort_mrr_retention(ids, months, mrr, "gregorian", "en", plans)
    assert got.columns.tolist()[:2] == ["segment", "Cohort"]
    team = got[got["segment"] == "Team"].iloc[0]
    # B stopped paying after October: 0 % in November, not blank (the export reaches November)
    assert team["Month 1"] == 0.5 and team["Month 2"] == 0.0
    pro = got[got["segment"] == "Pro"].iloc[0]
    assert pro[["Month 0", "Month 1", "Month 2"]].tolist() == [1.0, 1.0, 1.0]


@pytest.fixture(scope="module")
def udfs():
    with classic_xlwings() as (ours, _):
        yield ours


def test_excel_face_with_xlwings_shaped_input(udfs):
    ids = [["A"], ["B"], ["A"], ["C"], [None]]
    months = [["2024-09"], ["2024-09"], ["2024-10"], ["2024-10"], [None]]
    mrr = [[100.0], [50.0], [120.0], [40.0], [None]]
    got = udfs.COHORT_MRR_RETENTION(ids, months, mrr)
    want = [["Cohort", "Customers", "Starting MRR", "Month 0", "Month 1"],
            ["2024-09", 2.0, 150.0, 1.0, 0.8], ["2024-10", 1.0, 40.0, 1.0, ""]]
    assert same_cells(got, want), got
    got = udfs.COHORT_CUMULATIVE_REVENUE(ids, months, mrr, "gregorian", False)
    assert same_cells(got, [["2024-09", 2.0, 75.0, 135.0], ["2024-10", 1.0, 40.0, ""]]), got
    bad = udfs.COHORT_MRR_RETENTION([["A"]], [["2024-09"]], [[-1.0]])
    assert bad.startswith("#NUM! COHORT_MRR_RETENTION: mrr is -1 in row 1"), bad


@pytest.mark.parametrize("args, error, text", [
    ((["A"], ["2024-09"], [0]), NotAvailable, "no customer with MRR above 0"),
    ((["A", "B"], ["2024-09", None], [1, 1]), InvalidInput, "months is blank in row 2"),
    ((["A"], ["2024-09"], ["lots"]), InvalidInput, "mrr"),
    ((["A"], ["2024-09"], [-3]), OutOfRange, "mrr is -3"),
    (([None], [None], [None]), NotAvailable, "no rows"),
])
def test_bad_input(args, error, text):
    for f in (cohort_mrr_retention, cohort_cumulative_revenue):
        with pytest.raises(error, match=text):
            f(*args)
