"""Retention family: churn, retention, renewal."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_cskpi import churn_rate, renewal_rate, retention_rate
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
