"""Retention family: churn, retention, renewal; annualised and trailing churn."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_cskpi import annualize_churn, churn_rate, churn_trailing, deannualize_churn, renewal_rate, retention_rate
from xl_cskpi.errors import DivisionByZero, InvalidInput, OutOfRange


def test_churn_seed_example():
    # seed example: 1,000 customers at the start of Shahrivar, 64 lost by month end -> 6.4 %
    assert churn_rate(1000, 64) == pytest.approx(0.064, abs=1e-12)
    assert churn_rate([["۱۰۰۰"]], [["٦٤"]]) == pytest.approx(0.064)


def test_churn_errors():
    with pytest.raises(DivisionByZero, match="CHURN_RATE: customers_start"):
        churn_rate(0, 0)
    with pytest.raises(OutOfRange, match="customers_lost"):
        churn_rate(100, 101)
    with pytest.raises(OutOfRange, match="customers_start .*negative"):
        churn_rate(-1, 0)
    with pytest.raises(InvalidInput, match="customers_lost"):
        churn_rate(100, "many")
    with pytest.raises(InvalidInput, match="customers_lost"):
        churn_rate(100, True)


def test_retention_seed_formula():
    # hand calculation: (1,050 - 120) / 1,000 = 0.93
    assert retention_rate(1000, 1050, 120) == pytest.approx(0.93)
    with pytest.raises(DivisionByZero):
        retention_rate(0, 10, 5)
    with pytest.raises(OutOfRange, match="customers_new"):
        retention_rate(100, 10, 11)
    with pytest.raises(OutOfRange):
        retention_rate(100, 300, 50)


def test_renewal():
    # hand calculation: 68 / 80 = 0.85
    assert renewal_rate(68, 80) == pytest.approx(0.85)
    with pytest.raises(DivisionByZero, match="renewals_due"):
        renewal_rate(0, 0)
    with pytest.raises(OutOfRange):
        renewal_rate(81, 80)


@given(st.integers(1, 10**7), st.data())
def test_churn_plus_retention_is_one_without_new_customers(start, data):
    """Identity: with no new customers, churn + retention = 1."""
    lost = data.draw(st.integers(0, start))
    assert churn_rate(start, lost) + retention_rate(start, start - lost, 0) == pytest.approx(1.0)


@given(st.integers(1, 10**6), st.data(), st.integers(1, 1000))
def test_churn_is_scale_invariant(start, data, k):
    lost = data.draw(st.integers(0, start))
    assert churn_rate(start * k, lost * k) == pytest.approx(churn_rate(start, lost))


# --------------------------------------------------------------------------- churn over other periods


def test_annualize_chartmogul_five_percent_is_nearly_half():
    # ChartMogul, "Chart: Customer Churn Rate" (https://help.chartmogul.com/hc/en-us/articles/203359321):
    # "a seemingly low monthly churn rate of, e.g., 5% corresponds to an annual loss of nearly half (46%)"
    assert annualize_churn(0.05) == pytest.approx(1 - 0.95 ** 12, abs=1e-15)
    assert round(annualize_churn("5%"), 2) == 0.46
    # hand: 3 % a month compounds to 30.6 % a year (1 - 0.97^12), not 36 %
    assert annualize_churn(0.03) == pytest.approx(0.30615, abs=1e-5)
    assert annualize_churn(0.10, 4) == pytest.approx(1 - 0.9 ** 4)           # quarterly
    assert annualize_churn([["۰٫۰۵"]], [[None]]) == pytest.approx(annualize_churn(0.05))


@given(st.floats(0, 1), st.sampled_from([1, 4, 12, 52, 365.25]))
def test_deannualize_is_the_inverse(c, n):
    # where the annual loss is still distinguishable from 100 % in a float (0.97^365 rounds 1 - x to 1)
    if annualize_churn(c, n) < 1 - 1e-6:
        assert deannualize_churn(annualize_churn(c, n), n) == pytest.approx(c, abs=1e-9)
    assert 0 <= annualize_churn(c, n) <= 1
    assert annualize_churn(c, n) >= c - 1e-15   # a year loses at least one period's share


def test_annualize_edges_and_errors():
    assert annualize_churn(0) == 0.0 and annualize_churn(1) == 1.0 and deannualize_churn(1) == 1.0
    assert annualize_churn(0.05, 1) == pytest.approx(0.05)
    with pytest.raises(OutOfRange, match="ANNUALIZE_CHURN: rate is 5; .*0.05 or 5%"):
        annualize_churn(5)
    with pytest.raises(OutOfRange, match="rate is -0.1"):
        deannualize_churn(-0.1)
    with pytest.raises(OutOfRange, match="periods_per_year is 0"):
        annualize_churn(0.05, 0)
    with pytest.raises(InvalidInput, match="rate"):
        annualize_churn("high")


def test_churn_trailing_chartmogul_mean_of_monthly_rates():
    # ChartMogul, "Chart: Customer Lifetime Value (LTV)": "a six-month trailing average of Customer Churn
    # Rate [...] (the average of the churn rates from the previous six months" -- the mean of the rates,
    # not the pooled ratio; hand: rates 2 %, 3 %, 4 %, 2 %, 3 %, 4 % -> 3 %; the older rows are ignored
    start = [50, 90, 200, 200, 200, 200, 200, 200]
    lost = [40, 45, 4, 6, 8, 4, 6, 8]
    assert churn_trailing(start, lost) == pytest.approx(0.03, abs=1e-15)
    assert churn_trailing(start, lost, 2) == pytest.approx(0.035)
    # pooled weighs months by their customers: (4 + 6 + 8) / (100 + 200 + 300)
    assert churn_trailing([100, 200, 300], [4, 6, 8], 3, "pooled") == pytest.approx(18 / 600)
    assert churn_trailing([100, 200, 300], [4, 6, 8], 3, "mean") == pytest.approx((0.04 + 0.03 + 8 / 300) / 3)


def test_churn_trailing_table_shapes():
    # a months table column with blank rows at the bottom, xlwings-shaped, Persian digits
    start = [[200], [200], ["۲۰۰"], [None], [None]]
    lost = [[4], [6], ["۸"], [None], [None]]
    assert churn_trailing(start, lost, [[None]], [[None]]) == pytest.approx(0.03)
    assert churn_trailing([200, 200], [4, 6], 6) == pytest.approx(0.025)   # fewer months than asked: all
    # a month with nobody at the start has no rate: left out of the mean
    assert churn_trailing([0, 200, 100], [0, 4, 4], 3) == pytest.approx(0.03)


def test_churn_trailing_errors():
    with pytest.raises(DivisionByZero, match="CHURN_TRAILING: customers_start is 0 in every month"):
        churn_trailing([0, 0], [0, 0])
    with pytest.raises(DivisionByZero):
        churn_trailing([0, 0], [0, 0], 2, "pooled")
    with pytest.raises(OutOfRange, match="customers_lost is 9 in row 2, more than customers_start"):
        churn_trailing([10, 8], [1, 9])
    with pytest.raises(InvalidInput, match="customers_lost is blank in row 2"):
        churn_trailing([10, 8], [1, None])
    with pytest.raises(InvalidInput, match="has 1 cells but customers_start has 2"):
        churn_trailing([10, 8], [1])
    with pytest.raises(OutOfRange, match="months is 2.5"):
        churn_trailing([10, 8], [1, 1], 2.5)
    with pytest.raises(OutOfRange, match="customers_start is -1 in row 1"):
        churn_trailing([-1, 8], [0, 1])
    with pytest.raises(InvalidInput, match="method"):
        churn_trailing([10], [1], 1, "median")
    with pytest.raises(InvalidInput, match="customers_start is empty"):
        churn_trailing([None], [None])


@given(st.lists(st.tuples(st.integers(1, 10_000), st.data()), min_size=1, max_size=24), st.integers(1, 24))
def test_churn_trailing_lies_between_the_months_rates(rows, n):
    start = [s for s, _ in rows]
    lost = [d.draw(st.integers(0, s)) for s, d in rows]
    got = churn_trailing(start, lost, n)
    window = [l_ / s for s, l_ in zip(start, lost)][-n:]
    assert min(window) - 1e-12 <= got <= max(window) + 1e-12
    pooled = churn_trailing(start, lost, n, "pooled")
    assert min(window) - 1e-12 <= pooled <= max(window) + 1e-12
