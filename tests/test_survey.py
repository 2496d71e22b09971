"""Survey family: NPS, ENPS, CSAT, CSAT_AVERAGE, CES, NPS_MARGIN_OF_ERROR."""

import math
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_cskpi import ces, csat, csat_average, enps, nps, nps_margin_of_error
from xl_cskpi.errors import DivisionByZero, InvalidInput, OutOfRange

# hand example: 10 responses, 5 promoters (9-10), 3 passives (7-8), 2 detractors (0-6)
TEN = [10, 9, 9, 10, 9, 8, 7, 7, 3, 6]

scores_0_10 = st.lists(st.integers(0, 10), min_size=1, max_size=300)


# --------------------------------------------------------------------------- NPS


def test_nps_hand_example():
    # hand calculation: 100 x (5 - 2) / 10 = 30 points (passives stay in the denominator)
    assert nps(TEN) == pytest.approx(30.0)
    assert enps(TEN) == pytest.approx(30.0)


@pytest.mark.parametrize("score, expected", [
    # Bain & Company / Reichheld HBR 2003: promoters 9-10, passives 7-8, detractors 0-6
    (10, 100.0), (9, 100.0), (8, 0.0), (7, 0.0), (6, -100.0), (0, -100.0),
])
def test_nps_bain_group_boundaries(score, expected):
    assert nps([score]) == expected
    assert enps([score]) == expected


def test_nps_passives_dilute():
    # hand calculation: 1 promoter, 1 detractor, 2 passives -> 0; 3 promoters, 1 passive -> 75
    assert nps([10, 0, 7, 8]) == 0.0
    assert nps([9, 9, 10, 8]) == pytest.approx(75.0)


def test_nps_one_to_ten_scale_works_unchanged():
    # 1-10 survey: 1 still a detractor; 4 promoters, 2 passives, 4 detractors -> 0
    assert nps([1, 2, 3, 6, 7, 8, 9, 9, 10, 10]) == 0.0


def test_nps_xlwings_shaped_input():
    # lists of rows, None blanks, Persian and Arabic-Indic digit text, whitespace text
    rows = [[10, None, "۹"], ["٩", " ", 8.0], [None, "۳", 6]]
    # 3 promoters (10, 9, 9), 1 passive (8), 2 detractors (3, 6) -> 100 x 1 / 6
    assert nps(rows) == pytest.approx(100 / 6)
    assert enps(rows) == pytest.approx(100 / 6)


def test_nps_pandas_and_numpy_input():
    assert nps(np.array(TEN)) == pytest.approx(30.0)
    assert nps(pd.Series(TEN + [np.nan])) == pytest.approx(30.0)  # NaN in pandas is a blank
    assert nps(pd.DataFrame(np.array(TEN).reshape(5, 2))) == pytest.approx(30.0)
    assert nps(np.array(TEN, dtype=float).reshape(2, 5)) == pytest.approx(30.0)


@pytest.mark.parametrize("func", [nps, enps])
def test_nps_bad_input(func):
    name = func.excel_name
    with pytest.raises(OutOfRange, match=rf"{name}: scores has 10.5 in cell 2.*whole number"):
        func([9, 10.5])
    with pytest.raises(OutOfRange, match=r"has 11 in cell 1"):
        func([11])
    with pytest.raises(OutOfRange, match=r"has -1"):
        func([-1, 5])
    with pytest.raises(OutOfRange, match=r"cell 4 \(row 2, column 2\)"):
        func([[9, 9], [9, "۱۲"]])
    with pytest.raises(InvalidInput, match="'very likely'"):
        func([9, "very likely"])
    with pytest.raises(InvalidInput, match="logical"):
        func([9, True])
    with pytest.raises(InvalidInput, match="NaN"):
        func([9.0, float("nan")])
    with pytest.raises(InvalidInput, match="scores"):
        func([9.0, float("inf")])
    with pytest.raises(DivisionByZero, match="no responses"):
        func([])
    with pytest.raises(DivisionByZero, match="no responses"):
        func([[None, " "], ["", None]])
    assert issubclass(OutOfRange, ValueError)


@given(scores_0_10)
def test_nps_is_bounded_and_matches_the_identity(s):
    p = sum(1 for x in s if x >= 9)
    d = sum(1 for x in s if x <= 6)
    result = nps(s)
    assert -100.0 <= result <= 100.0
    # identity: NPS = 100 x (promoters - detractors) / respondents
    assert result == pytest.approx(100.0 * (p - d) / len(s))


@given(scores_0_10, st.randoms(use_true_random=False), st.integers(1, 7))
def test_nps_invariant_to_shuffling_shape_and_blanks(s, rnd, width):
    expected = nps(s)
    shuffled = list(s)
    rnd.shuffle(shuffled)
    assert nps(shuffled) == pytest.approx(expected)
    # the same responses with blanks sprinkled in (None, "", spaces), as a block of rows
    cells = []
    for x in shuffled:
        cells += [rnd.choice([None, "", "  "]) for _ in range(rnd.randint(0, 2))] + [x]
    cells += [None] * (-len(cells) % width)
    block = [cells[i:i + width] for i in range(0, len(cells), width)]
    assert nps(block) == pytest.approx(expected)
    padded = [[x, None, ""] for x in shuffled]
    assert nps(padded) == pytest.approx(expected)


def test_nps_million_scores_is_vectorized():
    rng = np.random.default_rng(7)
    arr = rng.integers(0, 11, 1_000_000)
    counts = np.bincount(arr, minlength=11)
    expected = 100.0 * (counts[9:].sum() - counts[:7].sum()) / arr.size
    t0 = time.perf_counter()
    assert nps(arr) == pytest.approx(expected)
    numpy_time = time.perf_counter() - t0
    as_rows = arr.reshape(-1, 1).tolist()  # what xlwings delivers for a column
    t0 = time.perf_counter()
    assert nps(as_rows) == pytest.approx(expected)
    rows_time = time.perf_counter() - t0
    # a Python loop per cell with the range checks takes well over a second here
    assert numpy_time < 0.5, numpy_time
    assert rows_time < 1.5, rows_time


# --------------------------------------------------------------------------- margin of error


def test_margin_of_error_hand_computation():
    # Wald (method "wald", the margin before session 5): p+ = 0.5, p- = 0.2, variance 0.5 + 0.2 - 0.3^2
    # = 0.61; z(0.95) = 1.959964; margin = 1.959964 x sqrt(0.61 / 10) x 100 = 48.4075 points
    assert nps_margin_of_error(TEN, 0.95, "wald") == pytest.approx(1.959964 * math.sqrt(0.061) * 100, rel=1e-6)
    assert nps_margin_of_error(TEN, 0.95, "Wald") == pytest.approx(48.4075, abs=1e-4)
    # adjusted-Wald (the default; Rocks 2016, Lewis & Sauro 2021): 5.75 P, 4.5 Pa, 2.75 D of 13;
    # p+ = 5.75/13, p- = 2.75/13, variance p+ + p- - (p+ - p-)^2 = 8.5/13 - (3/13)^2 = 101.5/169;
    # margin = 1.959964 x sqrt(101.5 / 169 / 13) x 100 = 42.1275
    assert nps_margin_of_error(TEN) == pytest.approx(1.959964 * math.sqrt(101.5 / 169 / 13) * 100, rel=1e-6)
    assert nps_margin_of_error(TEN) == pytest.approx(42.1275, abs=1e-4)
    # z(0.90) = 1.644854 (standard normal table)
    assert nps_margin_of_error(TEN, 0.9, "wald") == pytest.approx(1.644854 * math.sqrt(0.061) * 100, rel=1e-6)
    assert nps_margin_of_error(TEN, "90%") == pytest.approx(nps_margin_of_error(TEN, 0.9))
    assert nps_margin_of_error(TEN, None) == pytest.approx(nps_margin_of_error(TEN))
    assert nps_margin_of_error(TEN, None, None) == nps_margin_of_error(TEN, 0.95, "adjusted")


def test_margin_of_error_bigger_sample():
    # hand, Wald: 100 responses, 40 P, 30 Pa, 30 D: variance 0.7 - 0.01 = 0.69; 1.959964 x sqrt(0.0069) x 100
    s = [10] * 40 + [7] * 30 + [0] * 30
    assert nps_margin_of_error(s, 0.95, "wald") == pytest.approx(16.2807, abs=1e-3)
    # adjusted: 40.75 P, 31.5 Pa, 30.75 D of 103: variance 71.5/103 - (10/103)^2; the margin of 103
    assert nps_margin_of_error(s) == pytest.approx(
        1.959964 * math.sqrt((71.5 / 103 - (10 / 103) ** 2) / 103) * 100, rel=1e-6)


def test_margin_of_error_edges():
    # every response a promoter: the Wald margin is 0 (no spread); the adjusted one is not (U14)
    assert nps_margin_of_error([10, 9, 10], 0.95, "wald") == 0.0
    assert nps_margin_of_error([10, 9, 10]) == pytest.approx(56.5793, abs=1e-4)
    with pytest.raises(DivisionByZero, match="NPS_MARGIN_OF_ERROR: scores"):
        nps_margin_of_error([None])
    with pytest.raises(OutOfRange, match=r"confidence is 95;.*0\.95"):
        nps_margin_of_error(TEN, 95)
    for bad in (0, 1, -0.5):
        with pytest.raises(OutOfRange, match="confidence"):
            nps_margin_of_error(TEN, bad)
    with pytest.raises(InvalidInput, match="confidence"):
        nps_margin_of_error(TEN, "high")
    with pytest.raises(OutOfRange, match="scores"):
        nps_margin_of_error([[9], [10.5]])
    with pytest.raises(InvalidInput, match=r"method is 'bootstrap'; use one of: \"adjusted\", \"wald\""):
        nps_margin_of_error(TEN, 0.95, "bootstrap")


@given(scores_0_10)
def test_margin_of_error_is_at_most_the_worst_case(s):
    # the +1/0/-1 variance is at most 1 (half promoters, half detractors): n respondents for Wald,
    # n + 3 for the adjusted-Wald
    assert 0.0 <= nps_margin_of_error(s, 0.95, "wald") <= 1.959964 * 100 / math.sqrt(len(s)) + 1e-9
    assert 0.0 < nps_margin_of_error(s) <= 1.959964 * 100 / math.sqrt(len(s) + 3) + 1e-9


@given(scores_0_10, st.integers(2, 5))
def test_margin_of_error_shrinks_with_sqrt_n(s, k):
    # the same mix of answers k times over: the Wald margin / sqrt(k)
    assert nps_margin_of_error(s * k, 0.95, "wald") == pytest.approx(
        nps_margin_of_error(s, 0.95, "wald") / math.sqrt(k), abs=1e-9)


# --------------------------------------------------------------------------- CSAT and CES


def test_csat_top_two_box_one_to_five():
    # hand: 5, 5, 4, 4, 4 satisfied (4-5) of 8 -> 0.625
    assert csat([5, 5, 4, 4, 4, 3, 2, 1]) == pytest.approx(0.625)
    assert csat([5, 5, 4, 4, 4, 3, 2, 1], 5) == pytest.approx(0.625)


def test_csat_top_two_box_one_to_ten():
    # hand: 9-10 is the top two boxes of 1-10: 10, 9 of 5 -> 0.4
    assert csat([10, 9, 8, 1, 5], 10) == pytest.approx(0.4)
    # an explicit threshold: 8 and above -> 3 of 5
    assert csat([10, 9, 8, 1, 5], 10, 8) == pytest.approx(0.6)
    # blank optional arguments get the defaults
    assert csat([5, 3], None, None) == pytest.approx(0.5)
    assert csat([[5, None], ["۴", "٣"]], [[None]], " ") == pytest.approx(2 / 3)


def test_csat_average_and_ces():
    # hand: (5 + 5 + 4 + 4 + 4 + 3 + 2 + 1) / 8 = 3.5
    assert csat_average([5, 5, 4, 4, 4, 3, 2, 1]) == pytest.approx(3.5)
    assert csat_average([10, 7], 10) == pytest.approx(8.5)
    # hand: (7 + 6 + 6 + 5 + 3 + 3) / 6 = 5
    assert ces([[7, 6, 6], [5, None, 3], ["۳", None, None]]) == pytest.approx(5.0)
    assert ces([1, 5], 5) == pytest.approx(3.0)


@pytest.mark.parametrize("func, top", [(csat, 5), (csat_average, 5), (ces, 7)])
def test_scale_bad_input(func, top):
    name = func.excel_name
    with pytest.raises(OutOfRange, match=rf"{name}: scores has {top + 1} in cell 2.*1 to {top}"):
        func([1, top + 1])
    with pytest.raises(OutOfRange, match="scores has 0"):
        func([0])
    with pytest.raises(OutOfRange, match="whole number"):
        func([3.5])
    with pytest.raises(InvalidInput, match="scores"):
        func(["good"])
    with pytest.raises(InvalidInput, match="logical"):
        func([False])
    with pytest.raises(DivisionByZero, match="no responses"):
        func([[None], [""]])
    for bad_scale in (1, 2.5, 101, -5):
        with pytest.raises(OutOfRange, match="scale_max"):
            func([1], bad_scale)
    with pytest.raises(InvalidInput, match="scale_max"):
        func([1], "five")


def test_csat_threshold_errors():
    with pytest.raises(OutOfRange, match="threshold is 6"):
        csat([5], 5, 6)
    with pytest.raises(OutOfRange, match="threshold is 0"):
        csat([5], 5, 0)
    with pytest.raises(InvalidInput, match="threshold"):
        csat([5], 5, "top")


def test_csat_is_not_called_acsi():
    assert "ACSI" not in csat.__name__.upper()
    assert "not the ACSI" in csat.__doc__


@given(st.integers(2, 10), st.data())
def test_csat_properties(top, data):
    s = data.draw(st.lists(st.integers(1, top), min_size=1, max_size=200))
    share = csat(s, top)
    assert 0.0 <= share <= 1.0
    # the top two boxes from four points up, the top box on 1-2 and 1-3 (Zendesk's good ratings)
    cut = top - 1 if top >= 4 else top
    assert share == pytest.approx(sum(x >= cut for x in s) / len(s))
    # raising the threshold never raises the share
    t = data.draw(st.integers(1, top - 1))
    assert csat(s, top, t) >= csat(s, top, t + 1)
    assert csat(s, top, 1) == 1.0
    assert 1.0 <= csat_average(s, top) <= top
    assert ces(s, top) == pytest.approx(sum(s) / len(s))
