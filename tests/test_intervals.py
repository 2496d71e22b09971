"""RATE_INTERVAL: the Wilson score interval of a rate.

Expected values: Newcombe (1998), "Two-sided confidence intervals for the single proportion:
comparison of seven methods", Statistics in Medicine 17, 857-872, Table II, method 3 (Wilson score,
no continuity correction), four decimals; the formula of Wilson (1927) / Brown, Cai & DasGupta
(2001, eq. 4) written out here; scipy's ``binomtest(...).proportion_ci(method="wilson")``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest

from xl_cskpi import excel, rate_interval
from xl_cskpi.errors import DivisionByZero, InvalidInput, OutOfRange
from xl_cskpi.registry import REGISTRY


@pytest.mark.parametrize("x, n, low, high", [
    (81, 263, 0.2553, 0.3662),   # Newcombe 1998, Table II
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_newcombe_table_ii(x, n, low, high):
    (got,) = rate_interval(x, n)
    assert got == pytest.approx([low, high], abs=5e-5)


def test_hand_calculation():
    # 2 of 10 customers lost, 95 %: z = 1.959964, p = 0.2
    z, p, n = 1.959963984540054, 0.2, 10
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert rate_interval(2, 10).tolist() == [[pytest.approx(centre - half, abs=1e-15),
                                              pytest.approx(centre + half, abs=1e-15)]]
    assert rate_interval(2, 10).round(4).tolist() == [[0.0567, 0.5098]]


@given(st.integers(0, 5000), st.data(), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_equals_scipy_and_is_a_proper_interval(n, data, conf):
    n += 1
    x = data.draw(st.integers(0, n))
    (low, high), = rate_interval(x, n, conf)
    ci = binomtest(x, n).proportion_ci(conf, method="wilson")
    assert low == pytest.approx(ci.low, abs=1e-12) and high == pytest.approx(ci.high, abs=1e-12)
    assert 0 <= low <= x / n <= high <= 1
    # successes and failures swap the interval around one half
    (low2, high2), = rate_interval(n - x, n, conf)
    assert low2 == pytest.approx(1 - high, abs=1e-12) and high2 == pytest.approx(1 - low, abs=1e-12)


def test_bounds_are_exact_at_none_and_all():
    assert rate_interval(0, 7)[0, 0] == 0.0 and rate_interval(7, 7)[0, 1] == 1.0


def test_wider_for_higher_confidence_and_narrower_with_more_trials():
    w = lambda x, n, c: np.diff(rate_interval(x, n, c))[0, 0]  # noqa: E731
    assert w(5, 50, 0.99) > w(5, 50, 0.95) > w(5, 50, 0.8)
    assert w(50, 500, 0.95) < w(5, 50, 0.95)


def test_udf_shaped_input_spills_one_row():
    entry = REGISTRY["RATE_INTERVAL"]
    assert excel.call(entry, ([["۲"]], [["١٠"]], [[None]])) == rate_interval(2, 10).tolist()
    assert excel.call(entry, ([[2.0]], [[10.0]], [["90%"]])) == rate_interval(2, 10, 0.9).tolist()
    cells = excel.call(entry, ([[2.0]], [[10.0]], [[0.95]]))
    assert len(cells) == 1 and len(cells[0]) == 2


def test_bad_input_and_zero_trials():
    with pytest.raises(DivisionByZero, match="RATE_INTERVAL: trials is 0"):
        rate_interval(0, 0)
    with pytest.raises(OutOfRange, match="successes is 11, more than trials"):
        rate_interval(11, 10)
    with pytest.raises(OutOfRange, match="trials .*negative"):
        rate_interval(0, -1)
    with pytest.raises(OutOfRange, match="confidence is 95; .*0.95 or 95%"):
        rate_interval(2, 10, 95)
    with pytest.raises(InvalidInput, match="successes"):
        rate_interval("two", 10)
    with pytest.raises(InvalidInput, match="trials"):
        rate_interval(2, True)


def test_fewer_than_one_trial():
    # found by the fuzz test: 5e-324 trials overflowed z^2 / 4n^2; an interval needs a trial
    with pytest.raises(OutOfRange, match="trials is 0.5; an interval needs at least one trial"):
        rate_interval(0, 0.5)
    with pytest.raises(OutOfRange, match="trials"):
        rate_interval(0.0, 5e-324)
    assert np.isfinite(rate_interval(1e300, 1e308)).all()


def test_one_interval_per_row_of_two_ranges():
    # a months table: lost and customers at the start per month; a blank row and a month without customers
    # give blank cells; each row equals the one-pair call
    lost = [[2], [None], [0], [7], ["۳"]]
    start = [[10], [None], [0], [150], [30]]
    got = rate_interval(lost, start)
    assert got.shape == (5, 2)
    assert np.isnan(got[1]).all() and np.isnan(got[2]).all()
    for i, pair in enumerate([(2, 10), None, None, (7, 150), (3, 30)]):
        if pair is not None:
            np.testing.assert_allclose(got[i], rate_interval(*pair)[0], rtol=0, atol=1e-15)
    cells = excel.call(REGISTRY["RATE_INTERVAL"], (lost, start, [[0.9]]))
    assert cells[1] == ["", ""] and cells[0] == pytest.approx(rate_interval(2, 10, 0.9)[0].tolist())


def test_ranges_bad_rows_are_named():
    with pytest.raises(InvalidInput, match="successes has 2 cells but trials has 1"):
        rate_interval([1, 2], [3])
    with pytest.raises(InvalidInput, match="trials is blank in row 2"):
        rate_interval([1, 2], [3, None])
    with pytest.raises(OutOfRange, match="successes is 5 in row 2, more than trials"):
        rate_interval([1, 5], [3, 4])
    with pytest.raises(OutOfRange, match="trials is -4 in row 2"):
        rate_interval([1, 0], [3, -4])
    with pytest.raises(OutOfRange, match="trials is 0.5 in row 1"):
        rate_interval([0, 0], [0.5, 4])
