"""Acquisition & funnel rates.

Bad cells (text, booleans, blanks, Persian digits, negatives) for every function here are in the
shared table of tests/test_value.py; this file holds the worked examples, the zero denominators,
the "part cannot exceed the whole" rules and the properties.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import xl_cskpi as x
from xl_cskpi.errors import DivisionByZero, InvalidInput, OutOfRange


@pytest.mark.parametrize("call, expected", [
    # hand calculations from the docstrings' worked examples
    (lambda: x.conversion_rate(100, 4000), 0.025),            # 100 / 4,000
    (lambda: x.lead_to_opportunity_rate(180, 1200), 0.15),    # 180 / 1,200
    (lambda: x.acquisition_rate(150, 1000), 0.15),            # 150 / 1,000
    (lambda: x.referral_rate(90, 2000), 0.045),               # 90 / 2,000
    (lambda: x.cart_abandonment_rate(2000, 620), 0.69),       # 1 - 620 / 2,000
    (lambda: x.campaign_roi(100_000_000, 40_000_000), 1.5),   # (100 - 40) / 40
    (lambda: x.campaign_roi(30, 40), -0.25),                  # a loss-making campaign
    (lambda: x.direct_traffic_share(12_000, 48_000), 0.25),   # 12,000 / 48,000
    (lambda: x.pages_per_visit(168_000, 48_000), 3.5),        # 168,000 / 48,000
    (lambda: x.viral_coefficient(60, 500), 0.12),             # 60 / 500
])
def test_worked_examples(call, expected):
    assert call() == pytest.approx(expected, abs=1e-12)


def test_cart_abandonment_at_the_baymard_average():
    # Baymard Institute's list average quoted in the product brief: 68.53 % abandoned, i.e.
    # 3,147 orders from 10,000 carts (Baymard's later editions: 69.82 % in November 2021)
    assert x.cart_abandonment_rate(10_000, 3_147) == pytest.approx(0.6853, abs=1e-12)
    assert x.cart_abandonment_rate(10_000, 3_018) == pytest.approx(0.6982, abs=1e-12)


def test_growth_rates_may_exceed_one():
    # a young business that more than doubles, customers who refer several leads, K > 1
    assert x.acquisition_rate(300, 100) == 3
    assert x.referral_rate(250, 100) == 2.5
    assert x.viral_coefficient(120, 100) == 1.2
    assert x.pages_per_visit(50, 100) == 0.5  # sessions without a pageview exist


def test_campaign_roi_sums_channel_ranges():
    # hand calculation: revenue 60 + 40 = 100, cost 25 + 15 = 40 -> (100 - 40) / 40 = 1.5
    assert x.campaign_roi([[60], [None], [40]], [[25, 15]]) == pytest.approx(1.5)
    assert x.campaign_roi(["۶۰", "٤٠"], "۴۰") == pytest.approx(1.5)


@pytest.mark.parametrize("call, arg", [
    (lambda: x.conversion_rate(0, 0), "leads"),
    (lambda: x.lead_to_opportunity_rate(0, "0"), "leads"),
    (lambda: x.acquisition_rate(10, 0), "customers_start"),
    (lambda: x.referral_rate(10, [[0]]), "active_customers"),
    (lambda: x.cart_abandonment_rate(0, 0), "carts_created"),
    (lambda: x.campaign_roi(100, 0), "cost"),
    (lambda: x.campaign_roi(100, [0, None, 0]), "cost"),
    (lambda: x.direct_traffic_share(0, 0), "total_visits"),
    (lambda: x.pages_per_visit(10, 0), "visits"),
    (lambda: x.viral_coefficient(3, 0), "customers"),
])
def test_zero_denominator_is_div0_naming_it(call, arg):
    with pytest.raises(DivisionByZero, match=rf"^[A-Z_]+: {arg} is 0") as e:
        call()
    assert e.value.code == "#DIV/0!"


@pytest.mark.parametrize("call, arg", [
    (lambda: x.conversion_rate(101, 100), "conversions"),
    (lambda: x.lead_to_opportunity_rate(101, 100), "opportunities"),
    (lambda: x.cart_abandonment_rate(100, 101), "orders_completed"),
    (lambda: x.direct_traffic_share(101, 100), "direct_visits"),
])
def test_part_larger_than_whole_is_out_of_range(call, arg):
    with pytest.raises(OutOfRange, match=rf"^[A-Z_]+: {arg} is 101, more than"):
        call()


def test_a_count_must_be_one_cell():
    with pytest.raises(InvalidInput, match="leads must be one cell, got a range of 2"):
        x.conversion_rate(10, [[100], [200]])


RATES = [x.conversion_rate, x.lead_to_opportunity_rate, x.acquisition_rate, x.referral_rate,
         x.direct_traffic_share, x.pages_per_visit, x.viral_coefficient]


@pytest.mark.parametrize("f", RATES + [lambda a, b: x.cart_abandonment_rate(b, a)])
@given(whole=st.integers(1, 10**9), data=st.data(), k=st.integers(1, 10**4))
def test_rates_are_scale_invariant(f, whole, data, k):
    part = data.draw(st.integers(0, whole))
    assert f(part * k, whole * k) == pytest.approx(f(part, whole), rel=1e-12)


@given(whole=st.integers(1, 10**9), data=st.data())
def test_shares_are_fractions(whole, data):
    part = data.draw(st.integers(0, whole))
    for f in (x.conversion_rate, x.lead_to_opportunity_rate, x.direct_traffic_share):
        assert 0 <= f(part, whole) <= 1
    # abandoned + completed = all carts
    assert x.cart_abandonment_rate(whole, part) + x.conversion_rate(part, whole) == pytest.approx(1)


@given(st.floats(0, 1e12), st.floats(0.01, 1e12), st.floats(1e-3, 1e3))
def test_campaign_roi_is_currency_free_and_zero_at_break_even(revenue, cost, k):
    assert x.campaign_roi(revenue * k, cost * k) == pytest.approx(x.campaign_roi(revenue, cost),
                                                                  rel=1e-9, abs=1e-12)
    assert x.campaign_roi(cost, cost) == 0
    assert x.campaign_roi(revenue, cost) >= -1
