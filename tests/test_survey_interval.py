"""The NPS margin of error on small samples (session 5, engineer S; reviewer's U14).

Before: NPS_MARGIN_OF_ERROR was the Wald margin, z x sqrt(variance / n), and the variance is 0 whenever
every answer falls in one group: 3 responses, all promoters, read "NPS 100, margin of error 0" on the
dashboard. Now the default is the adjusted-Wald interval (B. Rocks, "Interval Estimation for the 'Net
Promoter Score'", The American Statistician 70(4), 2016; J. Lewis and J. Sauro, MeasuringU, 2021):
add 3/4 of a detractor, 3/2 of a passive and 3/4 of a promoter, then the Wald interval of those counts.

The expected values are worked by hand below, and computed a second way in ``_rocks``: a transcription
of Rocks's own R code (package NPS, ``nps_test_`` with ``test = "adjusted.wald"``: ``x.hat <- x +
pseudo_observations``, ``nps_(x.hat)``, ``nps_var_(x.hat)``, ``se.hat <- sqrt(var.x / n.x)``, ``int <-
c(nps.x - z * se.hat, nps.x + z * se.hat)``), with the variance taken as the mean of the squared
deviations of the +1/0/-1 codes (his ``nps_var_``), a route that shares no code with ours. MeasuringU's
own worked numbers were not reachable from this machine; Rocks's package tests pin the Wald part
(``nps_se_(1:3) = 0.304``).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_cskpi import nps, nps_margin_of_error
from xl_cskpi.errors import DivisionByZero, InvalidInput, KPIError
from xl_cskpi.excel import call
from xl_cskpi.kpi.survey import ADJUSTED_WALD, NPSCounts, nps_counts, nps_interval
from xl_cskpi.registry import REGISTRY

Z95 = 1.959963984540054   # the two-sided 95 % standard-normal quantile


def _rocks(detractors: float, passives: float, promoters: float, z: float = Z95,
           pseudo=(0.75, 1.50, 0.75)) -> tuple[float, float]:
    """Rocks's adjusted-Wald interval in points, from his R code (see the module docstring)."""
    x = [detractors + pseudo[0], passives + pseudo[1], promoters + pseudo[2]]
    n = sum(x)
    share = [v / n for v in x]
    centre = share[2] - share[0]                                                # nps_(x.hat)
    var = sum(w * (code - centre) ** 2 for w, code in zip(share, (-1, 0, 1)))   # nps_var_(x.hat)
    se = math.sqrt(var / n)
    return 100 * (centre - z * se), 100 * (centre + z * se)


def test_three_promoters_no_longer_read_plus_or_minus_zero():
    # U14: 3 responses, all promoters. Hand: 3.75 P, 1.5 Pa, 0.75 D of 6; p+ = 0.625, p- = 0.125,
    # adjusted NPS 50, variance 0.625 + 0.125 - 0.5^2 = 0.5; margin 1.96 x sqrt(0.5 / 6) x 100 = 56.58;
    # the interval 50 -/+ 56.58 = -6.58 .. 106.58, cut to the scale: -6.58 .. 100
    scores = [10, 9, 10]
    assert nps(scores) == 100.0
    assert nps_margin_of_error(scores, 0.95, "wald") == 0.0                      # the old reading
    assert nps_margin_of_error(scores) == pytest.approx(Z95 * math.sqrt(0.5 / 6) * 100, rel=1e-12)
    assert nps_margin_of_error(scores) == pytest.approx(56.58, abs=0.005)
    low, high, margin = nps_interval(nps_counts(scores), Z95)
    assert (low, high) == pytest.approx((50 - margin, 100.0), rel=1e-12)
    assert low == pytest.approx(_rocks(0, 0, 3)[0], rel=1e-12)
    assert _rocks(0, 0, 3)[1] > 100                                               # why the cut


def test_all_detractors_mirror_all_promoters():
    low, high, margin = nps_interval(NPSCounts(0, 0, 3), Z95)
    assert (low, high) == pytest.approx((-100.0, -50 + margin), rel=1e-12)
    assert margin == pytest.approx(nps_margin_of_error([0, 3, 6]), rel=1e-12)


def test_the_reviewers_month_of_five_answers_at_minus_sixty():
    # C3's month: 1 promoter, 4 detractors (NPS -60). Wald: variance 0.2 + 0.8 - 0.36 = 0.64, margin
    # 1.96 x sqrt(0.64 / 5) x 100 = 70.1, so a lower line at -130.1 (the chart ran to -150).
    # Adjusted: 1.75 P, 1.5 Pa, 4.75 D of 8: centre -37.5, variance 0.8125 - 0.140625 = 0.671875,
    # margin 1.96 x sqrt(0.671875 / 8) x 100 = 56.80: -94.30 .. 19.30
    scores = [10, 0, 3, 5, 6]
    assert nps(scores) == -60.0
    assert nps_margin_of_error(scores, 0.95, "wald") == pytest.approx(Z95 * math.sqrt(0.64 / 5) * 100, rel=1e-12)
    low, high, margin = nps_interval(nps_counts(scores), Z95)
    assert margin == pytest.approx(Z95 * math.sqrt(0.671875 / 8) * 100, rel=1e-12)
    assert (low, high) == pytest.approx((-37.5 - margin, -37.5 + margin), rel=1e-12)
    assert (low, high) == pytest.approx(_rocks(4, 0, 1), rel=1e-12)
    assert (round(low, 2), round(high, 2)) == (-94.3, 19.3)


def test_rocks_package_values_for_the_wald_part():
    # Rocks's R package tests: nps_se_(1:3) = 0.304 (1 detractor, 2 passives, 3 promoters; tolerance
    # 0.001 as published), nps_se_(c(1, 0, 1)) = 0.707, nps_se_(c(1, 1, 1)) = 0.471
    for counts, se in (((1, 2, 3), 0.304), ((1, 0, 1), 0.707), ((1, 1, 1), 0.471)):
        d, m, p = counts
        scores = [0] * d + [7] * m + [10] * p
        assert nps_margin_of_error(scores, 0.95, "wald") / (Z95 * 100) == pytest.approx(se, abs=0.001)
    assert ADJUSTED_WALD == (0.75, 1.5, 0.75)      # his pseudo_observations, detractors first


@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60), st.floats(0.5, 0.999))
def test_the_interval_is_rocks_adjusted_wald_cut_to_the_scale(d, m, p, confidence):
    if d + m + p == 0:
        return
    from statistics import NormalDist
    z = -NormalDist().inv_cdf((1 - confidence) / 2)
    low, high, margin = nps_interval(NPSCounts(p, m, d), z)
    want_low, want_high = _rocks(d, m, p, z)
    assert low == pytest.approx(max(-100.0, want_low), abs=1e-9)
    assert high == pytest.approx(min(100.0, want_high), abs=1e-9)
    assert margin == pytest.approx((want_high - want_low) / 2, abs=1e-9)
    assert -100.0 <= low <= high <= 100.0
    # the centre is the NPS x n / (n + 3): what the survey report's band computes from its cells
    n = d + m + p
    assert (want_low + want_high) / 2 == pytest.approx(100 * (p - d) / n * n / (n + 3), abs=1e-9)


@given(st.integers(1, 40), st.integers(0, 40), st.integers(0, 40))
def test_the_adjusted_margin_nears_the_wald_margin_as_answers_grow(d, m, p):
    # the 3 pseudo-observations weigh less the more answers there are: at 1,000 x the answers the two
    # margins agree within 1 % (both shrink as 1 / sqrt(n)) -- once two groups have answers (with one,
    # the Wald margin stays 0 however many answers there are: the point of the adjustment)
    scores = [0] * d + [7] * m + [10] * p
    assert nps_margin_of_error(scores) > 0
    if (m > 0) + (p > 0) < 1:
        return
    k = 1000
    wald, adjusted = (nps_interval(NPSCounts(p * k, m * k, d * k), Z95, how)[2] for how in ("wald", "adjusted"))
    assert adjusted == pytest.approx(wald, rel=0.01)


def test_through_the_excel_face_with_xlwings_shaped_input():
    entry = REGISTRY["NPS_MARGIN_OF_ERROR"]
    assert [a.name for a in entry.arguments][:3] == ["scores", "confidence", "method"]
    rows = [[10.0], [None], ["۹"], [" 10 "]]                 # 10, 9, 10: blanks skipped, Persian digits read
    want = Z95 * math.sqrt(0.5 / 6) * 100
    assert call(entry, (rows,)) == pytest.approx(want, rel=1e-12)
    assert call(entry, (rows, [[None]], [[None]])) == pytest.approx(want, rel=1e-12)
    assert call(entry, (rows, [[0.95]], [["Adjusted"]])) == pytest.approx(want, rel=1e-12)
    assert call(entry, (rows, [["95%"]], [["wald"]])) == 0.0
    with pytest.raises(KPIError, match="NPS_MARGIN_OF_ERROR: method"):
        call(entry, (rows, None, [["wilson"]]))


def test_bad_input():
    with pytest.raises(DivisionByZero, match="NPS_MARGIN_OF_ERROR: scores has no responses"):
        nps_margin_of_error([None, ""])
    with pytest.raises(InvalidInput, match="method"):
        nps_margin_of_error([10], 0.95, 3)
    with pytest.raises(InvalidInput, match="method must be one cell"):
        nps_margin_of_error([10], 0.95, ["wald", "adjusted"])
