"""MEDIAN_LIFETIME (and the tenures behind SURVIVAL_CURVE) with several rows per customer: customer_ids.

A customer's rows merge into spells as CUSTOMER_CHURN_RATE merges them (tables.churn.customer_spells:
rows of one customer that overlap or touch); each customer is one Kaplan-Meier subject from its first
start to the end of its first spell. Without ids: every row a customer, bit for bit as before.
Values by hand, DATEDIF months (module docstring of xl_cskpi.tables.survival).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_cskpi import customer_churn_rate, median_lifetime
from xl_cskpi.errors import InvalidInput, NotAvailable
from xl_cskpi.registry import REGISTRY
from xl_cskpi.tables.survival import tenures

from test_months_by_customer import CRM_EN

#: the reviewer's CRM list (session 6, /tmp/r6/in/crm_customers_en.csv, H2): C1 has a main contract
#: and an add-on, both open
CRM = CRM_EN   # (tests/test_months_by_customer.py holds the file, once)


def _crm():
    rows = [line.split(",") for line in CRM.strip().splitlines()[1:]]
    return [r[0] for r in rows], [r[2] for r in rows], [r[3] or None for r in rows]


def test_the_arguments_keep_their_places_and_customer_ids_comes_last():
    assert [a.name for a in REGISTRY["MEDIAN_LIFETIME"].arguments] == \
        ["start_dates", "end_dates", "period", "as_of", "customer_ids"]
    assert REGISTRY["MEDIAN_LIFETIME"].arguments[-1].default is None


def test_a_renewal_row_is_no_churn():
    # contract 1 2024-01-01..2025-01-01, renewal row 2025-01-01..blank; as_of 2025-06-01.
    # By row: contract 1 churns after 12 months, the renewal is censored after 5: KM S(12) = 1 - 1/1 = 0
    # (the renewal left the risk set at 5): median 12, the contract length. By customer: one spell
    # 2024-01-01..open, censored after 17 months, no churn: the median is n/a.
    starts, ends = ["2024-01-01", "2025-01-01"], ["2025-01-01", None]
    assert median_lifetime(starts, ends, "month", "2025-06-01") == 12.0
    t, churned, _ = tenures(starts, ends, "month", "2025-06-01", ["A", "A"])
    assert t.tolist() == [17] and churned.tolist() == [False]
    with pytest.raises(NotAvailable, match="0 of 1 customers churned"):
        median_lifetime(starts, ends, "month", "2025-06-01", ["A", "A"])


def test_half_year_renewals_by_row_and_by_customer():
    # the docstring's example, by hand (as_of 2025-03-01):
    # by row: A1 churn 6, A2 censored 8, B1 churn 6, B2 churn 6, C churn 9 -> S(6) = 1 - 3/5 = 0.4: median 6
    # by customer: A censored 14 (2024-01-01..open), B churn 12 (2024-01-01..2025-01-01), C churn 9 ->
    #   S(9) = 2/3, S(12) = 2/3 x (1 - 1/2) = 1/3: median 12
    starts = ["2024-01-01", "2024-07-01", "2024-01-01", "2024-07-01", "2024-01-01"]
    ends = ["2024-07-01", None, "2024-07-01", "2025-01-01", "2024-10-01"]
    ids = ["A", "A", "B", "B", "C"]
    assert median_lifetime(starts, ends, "month", "2025-03-01") == 6.0
    assert median_lifetime(starts, ends, "month", "2025-03-01", ids) == 12.0
    t, churned, _ = tenures(starts, ends, "month", "2025-03-01", ids)
    assert sorted(zip(t.tolist(), churned.tolist())) == [(9, True), (12, True), (14, False)]


def test_an_add_on_overlapping_is_one_subject():
    # the reviewer's C1: Gold 2024-01-05..open and an add-on 2024-02-10..open, as_of 2024-05-01:
    # by row two subjects censored after 3 and 2 months (DATEDIF: 02-10 -> 04-10 is 2, 05-10 > 05-01);
    # by customer one, censored after 3
    starts, ends = ["2024-01-05", "2024-02-10"], [None, None]
    t, churned, _ = tenures(starts, ends, "month", "2024-05-01")
    assert t.tolist() == [3, 2]
    t, churned, _ = tenures(starts, ends, "month", "2024-05-01", ["C1", "C1"])
    assert t.tolist() == [3] and churned.tolist() == [False]
    # an add-on that ends inside the main contract is no churn either
    t, churned, _ = tenures(["2024-01-05", "2024-02-10"], [None, "2024-03-10"], "month", "2024-05-01",
                            ["C1", "C1"])
    assert t.tolist() == [3] and churned.tolist() == [False]


def test_a_gap_and_a_return_counts_the_first_spell_only():
    # A: 2024-01-01..2024-04-01 (3 months), away, back 2024-06-01..open: a churn in period 3; the
    # return (a reactivation, ChartMogul) is not followed again. B: 2024-01-01..open, censored at 7.
    starts, ends, ids = ["2024-01-01", "2024-06-01", "2024-01-01"], ["2024-04-01", None, None], ["A", "A", "B"]
    t, churned, _ = tenures(starts, ends, "month", "2024-08-01", ids)
    assert sorted(zip(t.tolist(), churned.tolist())) == [(3, True), (7, False)]
    # S(3) = 1 - 1/2 = 0.5: median 3
    assert median_lifetime(starts, ends, "month", "2024-08-01", ids) == 3.0
    # by row the return is a third subject, censored after 2 months (2024-06-01..2024-08-01)
    t, churned, _ = tenures(starts, ends, "month", "2024-08-01")
    assert (t.tolist(), churned.tolist()) == ([3, 2, 7], [True, False, False])


def test_touching_rows_and_rows_a_day_apart_merge_two_days_apart_do_not():
    # a renewal from the day the contract ends (touching) is one spell, and so is one from the next day (a
    # CRM's inclusive end date: reviewer's K2, session 6); two days later, a gap: a churn on 2024-07-01
    # (customer_spells, as CUSTOMER_CHURN_RATE counts it)
    ids = ["A", "A"]
    t, churned, _ = tenures(["2024-01-01", "2024-07-01"], ["2024-07-01", None], "month", "2025-01-01", ids)
    assert (t.tolist(), churned.tolist()) == ([12], [False])
    t, churned, _ = tenures(["2024-01-01", "2024-07-02"], ["2024-07-01", None], "month", "2025-01-01", ids)
    assert (t.tolist(), churned.tolist()) == ([12], [False])
    t, churned, _ = tenures(["2024-01-01", "2024-07-03"], ["2024-07-01", None], "month", "2025-01-01", ids)
    assert (t.tolist(), churned.tolist()) == ([6], [True])


def test_the_order_of_the_rows_does_not_matter():
    starts = ["2024-01-01", "2024-07-01", "2024-01-01", "2024-07-01", "2024-01-01"]
    ends = ["2024-07-01", None, "2024-07-01", "2025-01-01", "2024-10-01"]
    ids = ["A", "A", "B", "B", "C"]
    order = [4, 3, 1, 0, 2]
    assert median_lifetime([starts[i] for i in order], [ends[i] for i in order], "month", "2025-03-01",
                           [ids[i] for i in order]) == 12.0


def test_the_end_after_as_of_is_censored_and_later_starts_left_out():
    # as_of 2024-06-15: A's contract ends 2024-07-01 (after as_of: not known, censored at 5); its
    # renewal row from 2024-07-01 starts after as_of; B starts after as_of: left out
    starts, ends = ["2024-01-01", "2024-07-01", "2024-08-01"], ["2024-07-01", None, None]
    t, churned, _ = tenures(starts, ends, "month", "2024-06-15", ["A", "A", "B"])
    assert (t.tolist(), churned.tolist()) == ([5], [False])


def test_the_default_as_of_is_the_latest_date_of_the_rows():
    # C1's add-on starts 2024-03-01, after every spell start: the latest date of the data (the default
    # as_of) is still 2024-03-01, read from the rows as without ids: C1 censored at 2, D at 0
    t, churned, _ = tenures(["2024-01-01", "2024-03-01", "2024-02-15"], [None, None, "2024-02-20"],
                            "month", None, ["C1", "C1", "D"])
    assert sorted(zip(t.tolist(), churned.tolist())) == [(1, True), (2, False)]


def test_blank_ids_as_customer_churn_rate_reads_them():
    starts, ends = ["2024-01-01", "2024-02-01"], ["2024-03-01", None]
    # a start with no id: #VALUE! naming the row, in both
    with pytest.raises(InvalidInput, match="customer_ids.*row 2") as e:
        median_lifetime(starts, ends, "month", "2024-05-01", ["A", None])
    assert e.value.code == "#VALUE!"
    with pytest.raises(InvalidInput, match="customer_ids.*row 2"):
        customer_churn_rate(["A", None], starts, ends, "2024-01-01", "2024-04-30")
    # an id with no start (and no end): #VALUE! naming the row, in both
    with pytest.raises(InvalidInput, match="start_dates.*row 3"):
        median_lifetime(starts + [None], ends + [None], "month", "2024-05-01", ["A", "B", "C"])
    with pytest.raises(InvalidInput, match="start_dates.*row 3"):
        customer_churn_rate(["A", "B", "C"], starts + [None], ends + [None], "2024-01-01", "2024-04-30")
    # a row blank in every range is skipped
    assert median_lifetime(starts + [None], ends + [None], "month", "2024-05-01", ["A", "B", None]) == \
        median_lifetime(starts, ends, "month", "2024-05-01")
    # the argument left out, blank text or one blank cell: each row a customer
    for blank in (None, "", "  ", [[None]]):
        t, _, _ = tenures(starts, ends, "month", "2024-05-01", blank)
        assert t.tolist() == [2, 3]
    # ids of another length
    with pytest.raises(InvalidInput):
        median_lifetime(starts, ends, "month", "2024-05-01", ["A"] * 3)


def test_udf_shaped_input_serials_and_persian_ids():
    # xlwings shape: a column as a list of rows, dates as serials (45292 = 2024-01-01), blanks None;
    # the renewal example again: one customer, no churn
    starts, ends = [[45292.0], [45658.0]], [[45658.0], [None]]   # 45658 = 2025-01-01
    t, churned, _ = tenures(starts, ends, "month", 45809.0, [["مشتری ۱"], ["مشتری ۱"]])  # 45809 = 2025-06-01
    assert (t.tolist(), churned.tolist()) == ([17], [False])


def test_the_reviewers_crm_list():
    # C2's measurements (session 6): by row 10 subjects, by spell 9; as_of 2024-05-01 by hand (DATEDIF):
    # C1 censored 3, C2 churn 3, C3 churn 3, C4 censored 1, C5 churn 2, C6/C7/C9 censored 0, C8 churn 4
    # (2023-12-30..2024-04-30: 4 whole months). S(2) = 1 - 1/5 = 0.8 (by row 1 - 1/6 = 0.833: C1's
    # add-on is a sixth subject at risk), S(3) = 0.8 x (1 - 2/4) = 0.4: median 3 either way.
    ids, starts, ends = _crm()
    t, churned, _ = tenures(starts, ends, "month", "2024-05-01", ids)
    assert len(t) == 9
    assert sorted(zip(t.tolist(), churned.tolist())) == [
        (0, False), (0, False), (0, False), (1, False), (2, True), (3, False), (3, True), (3, True), (4, True)]
    assert len(tenures(starts, ends, "month", "2024-05-01")[0]) == 10
    assert median_lifetime(starts, ends, "month", "2024-05-01", ids) == 3.0


def test_the_report_passes_the_customer_ids(tmp_path):
    from xl_cskpi.exports.check import ReadOptions
    from xl_cskpi.reports import reports
    from xl_cskpi.reports.builder import build
    from xl_cskpi.reports.fill import load_data
    from xl_cskpi.reports.spec import Col

    report = reports()["churn_retention"]
    kpi = next(k for k in report.kpis if k.key == "median_lifetime")
    assert kpi.expr.args[-1] == Col("Customers", "customer_id")
    p = tmp_path / "crm_customers_en.csv"
    p.write_text(CRM, encoding="utf-8")
    data, _ = load_data(report, [p], ReadOptions())
    # by hand above: median 3 (survival 0.8 after 2 months, 0.4 after 3)
    values = build(report, tmp_path / "v.xlsx", data=data, values=True,
                   settings={"customers_as_of": dt.datetime(2024, 5, 1)})
    assert values["median_lifetime"] == 3.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 800), st.one_of(st.none(), st.integers(0, 400))), min_size=1,
                max_size=25),
       st.sampled_from(["day", "week", "month", "quarter", "year"]),
       st.one_of(st.none(), st.integers(0, 1300)))
def test_one_row_per_customer_is_the_call_without_ids_bit_for_bit(spans, period, as_of):
    day0 = dt.date(2023, 1, 1)
    starts = [day0 + dt.timedelta(days=s) for s, _ in spans]
    ends = [None if d is None else day0 + dt.timedelta(days=s + d) for s, d in spans]
    ids = [f"c{i}" for i in range(len(spans))][::-1]   # distinct, not in the rows' order
    when = None if as_of is None else day0 + dt.timedelta(days=as_of)
    try:
        plain = tenures(starts, ends, period, when)
    except InvalidInput:
        with pytest.raises(InvalidInput):
            tenures(starts, ends, period, when, ids)
        return
    t, churned, unit = tenures(starts, ends, period, when, ids)
    key = np.lexsort((plain[1], plain[0]))
    key_ids = np.lexsort((churned, t))
    assert t[key_ids].tolist() == plain[0][key].tolist() and churned[key_ids].tolist() == plain[1][key].tolist()
    try:
        m = median_lifetime(starts, ends, period, when)
    except NotAvailable as e:
        with pytest.raises(NotAvailable) as e2:
            median_lifetime(starts, ends, period, when, ids)
        assert str(e2.value) == str(e)
        return
    assert median_lifetime(starts, ends, period, when, ids) == m
