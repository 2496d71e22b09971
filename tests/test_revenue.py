"""Revenue: MRR, ARR, ARPA, ASP, EXPANSION_MRR, NRR, GRR, NET/GROSS_MRR_CHURN_RATE, QUICK_RATIO.

Bad single cells (text, booleans, blanks, Persian digits) for MRR and QUICK_RATIO are in the
shared table of tests/test_value.py; the per-customer ranges are tested here.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from xl_cskpi import expansion_mrr, grr, mrr, nrr, quick_ratio
from xl_cskpi.errors import DivisionByZero, InvalidInput, OutOfRange

# ChartMogul's example (Gross / Net MRR Retention): start 100, churn 10, contraction 10,
# expansion 10 -> GRR 80 %, NRR 90 %. As four customers: A churns (10 -> 0), B contracts
# (20 -> 10), C expands (30 -> 40), D stays (40 -> 40).
CM_PREVIOUS = [10, 20, 30, 40]
CM_CURRENT = [0, 10, 40, 40]


def test_mrr_seed_example():
    # seed example: 1,000 active customers x ARPU 750 = 750,000
    assert mrr(1000, 750) == 750_000
    assert mrr([[1000]], [["۷۵۰"]]) == 750_000


def test_chartmogul_grr_and_nrr():
    # ChartMogul: start 100, churn 10, contraction 10, expansion 10 -> GRR 80 %, NRR 90 %
    assert grr(CM_PREVIOUS, CM_CURRENT) == pytest.approx(0.80, abs=1e-12)
    assert nrr(CM_PREVIOUS, CM_CURRENT) == pytest.approx(0.90, abs=1e-12)
    # and the expansion in that example is 10
    assert expansion_mrr(CM_PREVIOUS, CM_CURRENT) == pytest.approx(10)


def test_new_customers_are_outside_the_base():
    # hand calculation: a new customer (previous 0 or blank) adds 500 of MRR but is not retained
    # revenue and not expansion: NRR, GRR and expansion are as in ChartMogul's example
    prev = CM_PREVIOUS + [0, None]
    cur = CM_CURRENT + [500, 250]
    assert nrr(prev, cur) == pytest.approx(0.90)
    assert grr(prev, cur) == pytest.approx(0.80)
    assert expansion_mrr(prev, cur) == pytest.approx(10)


def test_blank_current_is_a_churned_customer():
    # module rule: a blank current MRR is 0 (the churned customer A of ChartMogul's example)
    cur = [None, 10, 40, 40]
    assert nrr(CM_PREVIOUS, cur) == pytest.approx(0.90)
    assert grr(CM_PREVIOUS, [[""], [10], [40], [40]]) == pytest.approx(0.80)


def test_rows_blank_on_both_sides_change_nothing():
    prev = [[10], [None], [20], [30], [""], [40]]
    cur = [[None], [None], [10], [40], [None], [40]]
    assert nrr(prev, cur) == pytest.approx(0.90)
    assert grr(prev, cur) == pytest.approx(0.80)


def test_expansion_example_from_docstring():
    # hand calculation: upgrade 100 -> 150 gives 50; a downgrade is not netted off; new is not expansion
    assert expansion_mrr([[100], [80], [None]], [[150], [60], [40]]) == 50


@pytest.mark.parametrize("shape", [
    lambda v: v,                                           # a Python list (a column)
    lambda v: [[c] for c in v],                            # xlwings column: list of one-cell rows
    lambda v: [v],                                         # xlwings row
    lambda v: [v[:2], v[2:]],                              # a 2 x 2 block, row-major
    lambda v: np.array(v, dtype=float),
    lambda v: pd.Series(v),
    lambda v: pd.DataFrame({"mrr": v}),
    lambda v: [str(c) for c in v],                         # numbers stored as text
    lambda v: ["۱۰", "۲۰", "۳۰", "۴۰"] if v == CM_PREVIOUS else ["۰", "۱۰", "٤٠", "٤٠"],
])
def test_any_range_shape(shape):
    assert nrr(shape(CM_PREVIOUS), shape(CM_CURRENT)) == pytest.approx(0.90)
    assert grr(shape(CM_PREVIOUS), shape(CM_CURRENT)) == pytest.approx(0.80)
    assert expansion_mrr(shape(CM_PREVIOUS), shape(CM_CURRENT)) == pytest.approx(10)


@pytest.mark.parametrize("f", [nrr, grr, expansion_mrr])
def test_per_customer_errors(f):
    name = f.excel_name
    with pytest.raises(InvalidInput, match=f"^{name}: previous_mrr has 4 cells but current_mrr has 3"):
        f(CM_PREVIOUS, CM_CURRENT[:3])  # misaligned
    with pytest.raises(OutOfRange, match="current_mrr has a negative MRR .*row 2"):
        f(CM_PREVIOUS, [0, -10, 40, 40])
    with pytest.raises(OutOfRange, match="previous_mrr has a negative MRR"):
        f([[-1], [20]], [[0], [10]])
    with pytest.raises(InvalidInput, match="current_mrr has 'churned' in cell 1"):
        f(CM_PREVIOUS, ["churned", 10, 40, 40])
    with pytest.raises(InvalidInput, match="previous_mrr has a logical value"):
        f([True, 20, 30, 40], CM_CURRENT)
    with pytest.raises(InvalidInput, match="previous_mrr .*cell 2"):
        f([10, float("nan"), 30, 40], CM_CURRENT)


@pytest.mark.parametrize("f", [nrr, grr])
@pytest.mark.parametrize("prev, cur", [
    ([0, 0], [10, 20]),          # only new customers
    ([None, ""], [10, 20]),
    ([], []),                    # an empty range
    ([[None]], [[None]]),
])
def test_no_previous_mrr_is_div0(f, prev, cur):
    with pytest.raises(DivisionByZero, match=f"^{f.excel_name}: previous_mrr has no customer"):
        f(prev, cur)


def test_expansion_of_only_new_customers_is_zero_but_empty_ranges_are_invalid():
    assert expansion_mrr([0, None], [10, 20]) == 0
    with pytest.raises(InvalidInput, match="previous_mrr and current_mrr are empty"):
        expansion_mrr([[None], [""]], [[None], [None]])


def test_a_million_customers_are_vectorized():
    rng = np.random.default_rng(7)
    prev = rng.integers(0, 1000, 1_000_000).astype(float)
    cur = prev * rng.uniform(0, 1.5, prev.size)
    base = prev > 0
    assert nrr(prev, cur) == pytest.approx(cur[base].sum() / prev[base].sum())
    assert nrr(prev.tolist(), cur.tolist()) == pytest.approx(cur[base].sum() / prev[base].sum())


# ----------------------------------------------------------------------------- quick ratio


def test_quick_ratio_hand_calculation():
    # Mamoon Hamid's SaaS quick ratio, hand calculation: (40 + 20) / (10 + 5) = 4
    assert quick_ratio(40, 20, 10, 5) == pytest.approx(4.0)
    # with reactivation as a gain: (40 + 20 + 15) / (10 + 5) = 5
    assert quick_ratio(40, 20, 10, 5, 15) == pytest.approx(5.0)


def test_quick_ratio_losses_in_either_sign_and_ranges_summed():
    # MRR movement reports print losses with a minus sign; the size is used
    assert quick_ratio(40, 20, -10, -5) == pytest.approx(4.0)
    assert quick_ratio(40, 20, [[-4], [-6]], [[None], ["−5"]]) == pytest.approx(4.0)
    # a quarter as monthly ranges: (10+20+10 + 5+15) / (3+7 + 2+3) = 60 / 15
    assert quick_ratio([10, 20, 10], [5, 15, None], [3, 7, 0], [[2, 3]]) == pytest.approx(4.0)


def test_quick_ratio_errors():
    with pytest.raises(DivisionByZero, match="^QUICK_RATIO: churned_mrr and contraction_mrr are both 0"):
        quick_ratio(40, 20, 0, 0)
    with pytest.raises(DivisionByZero):
        quick_ratio(40, 20, [0, None], "0")
    with pytest.raises(OutOfRange, match="churned_mrr mixes positive and negative"):
        quick_ratio(40, 20, [5, -5], 5)
    with pytest.raises(OutOfRange, match="new_mrr has a negative amount"):
        quick_ratio(-40, 20, 10, 5)
    with pytest.raises(OutOfRange, match="reactivation_mrr has a negative amount"):
        quick_ratio(40, 20, 10, 5, -1)
    with pytest.raises(InvalidInput, match="contraction_mrr is empty"):
        quick_ratio(40, 20, 10, [[None]])


# ----------------------------------------------------------------------------- properties

mrr_value = st.one_of(st.just(0.0), st.floats(0.01, 1e7, allow_nan=False))
customers = st.lists(st.tuples(mrr_value, mrr_value), min_size=1, max_size=60)


def _split(rows):
    return [p for p, _ in rows], [c for _, c in rows]


@given(customers)
def test_retention_identities(rows):
    prev, cur = _split(rows)
    assume(sum(p for p in prev if p > 0) > 0)
    g, n, e = grr(prev, cur), nrr(prev, cur), expansion_mrr(prev, cur)
    assert 0 <= g <= 1 + 1e-12                      # GRR never exceeds 100 %
    assert g <= n + 1e-12                           # GRR <= NRR
    assert e >= 0                                   # expansion is a sum of increases
    base = sum(p for p in prev if p > 0)
    assert n == pytest.approx(g + e / base, rel=1e-9, abs=1e-12)  # NRR = GRR + expansion / base


@given(customers, st.floats(1e-3, 1e3))
def test_retention_is_scale_invariant(rows, k):
    """Currency does not matter: rial or toman, the same NRR and GRR; expansion scales."""
    prev, cur = _split(rows)
    assume(sum(p for p in prev if p > 0) > 0)
    scaled = ([p * k for p in prev], [c * k for c in cur])
    assert nrr(*scaled) == pytest.approx(nrr(prev, cur), rel=1e-9)
    assert grr(*scaled) == pytest.approx(grr(prev, cur), rel=1e-9)
    assert expansion_mrr(*scaled) == pytest.approx(k * expansion_mrr(prev, cur), rel=1e-9, abs=1e-6)


@given(customers, st.randoms(use_true_random=False))
def test_retention_ignores_customer_order_and_blank_rows(rows, rnd):
    prev, cur = _split(rows)
    assume(sum(p for p in prev if p > 0) > 0)
    shuffled = rows + [(None, None)] * 3
    rnd.shuffle(shuffled)
    p2, c2 = _split(shuffled)
    assert nrr(p2, c2) == pytest.approx(nrr(prev, cur), rel=1e-9)
    assert grr([[v] for v in p2], [[v] for v in c2]) == pytest.approx(grr(prev, cur), rel=1e-9)


amount = st.floats(0, 1e9)


@given(amount, amount, st.floats(0.01, 1e9), amount, amount, st.floats(1e-3, 1e3))
def test_quick_ratio_is_scale_invariant(new, exp, churn, contraction, react, k):
    base = quick_ratio(new, exp, churn, contraction, react)
    assert quick_ratio(new * k, exp * k, churn * k, contraction * k, react * k) == pytest.approx(base)
    assert quick_ratio(new, exp, -churn, -contraction, react) == pytest.approx(base)


@given(customers)
def test_quick_ratio_from_per_customer_movements(rows):
    """Without new customers, quick ratio = expansion / (churn + contraction) of the same rows."""
    prev, cur = _split(rows)
    p, c = np.array(prev), np.array(cur)
    base = p > 0
    losses = np.maximum(p - c, 0)[base].sum()
    assume(losses > 1e-3 * p[base].sum())  # keep 1 - GRR well away from rounding noise
    assert quick_ratio(0, expansion_mrr(prev, cur), losses, 0) == pytest.approx(
        (nrr(prev, cur) - grr(prev, cur)) / (1 - grr(prev, cur)), rel=1e-6)


@given(st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 5000)), min_size=1, max_size=40))
def test_agrees_with_the_mrr_movements_bridge(rows):
    """The per-customer definitions agree with MRR_MOVEMENTS (ChartMogul movement types) on the
    same two months: expansion is the same, NRR = (start - churn - contraction + expansion) / start,
    GRR = (start - churn - contraction) / start, and the bridge's columns feed QUICK_RATIO."""
    from xl_cskpi import mrr_movements

    prev, cur = _split(rows)
    assume(sum(prev) > 0)
    ids = [f"c{i}" for i in range(len(rows))] * 2
    months = ["2024-09"] * len(rows) + ["2024-10"] * len(rows)
    m = mrr_movements(ids, months, prev + cur).set_index("Month").loc["2024-10"]
    start, churn, contraction = m["Starting MRR"], m["Churned MRR"], m["Contraction MRR"]
    assert expansion_mrr(prev, cur) == m["Expansion MRR"]
    assert nrr(prev, cur) == pytest.approx((start - churn - contraction + m["Expansion MRR"]) / start)
    assert grr(prev, cur) == pytest.approx((start - churn - contraction) / start)
    if churn + contraction > 0:
        gains = m["New MRR"] + m["Expansion MRR"] + m["Reactivation MRR"]
        assert quick_ratio(m["New MRR"], m["Expansion MRR"], churn, contraction,
                           m["Reactivation MRR"]) == pytest.approx(gains / (churn + contraction))


# --------------------------------------------------------------------------- ARR, ARPA, ASP, MRR churn rates

from xl_cskpi import arpa, arr, asp, gross_mrr_churn_rate, net_mrr_churn_rate  # noqa: E402

from xlwings_stubs import classic_xlwings  # noqa: E402


def test_arr_chartmogul_example_and_ranges():
    # ChartMogul, "Chart: Annual Run Rate (ARR)": 5 subscribers x $5 = MRR 25 -> ARR 300
    assert arr([5, 5, 5, 5, 5]) == 300
    assert arr(25) == 300
    assert arr([[10, None], ["۱۵", ""]]) == 300       # blanks skipped, Persian digits read
    with pytest.raises(OutOfRange):
        arr([10, -5])
    with pytest.raises(InvalidInput):
        arr([None, None])


def test_arpa_chartmogul_examples():
    # ChartMogul, "Metric: ARPA": customers paying 1, 1, 3, 5, 5 -> 15 / 5 = 3
    assert arpa([1, 1, 3, 5, 5]) == 3
    # ChartMogul, "Chart: ARPA": 100, 100, 300, 500, 500 -> 1,500 / 5 = 300
    assert arpa(1500, 5) == 300
    assert arpa([100, 100, 300, 500, 500]) == 300
    # hand: customers with MRR 0 or blank are not paying accounts: (30 + 10) / 2
    assert arpa([30, 0, None, 10]) == 20
    assert arpa([30, 10], [[None]]) == 20               # a blank count = count the cells


@pytest.mark.parametrize("args, error", [
    (([0, 0, None],), DivisionByZero),
    ((100, 0), DivisionByZero),
    (([10, -1],), OutOfRange),
    ((100, -2), OutOfRange),
    (([None],), InvalidInput),
    ((100, "many"), InvalidInput),
])
def test_arpa_errors(args, error):
    with pytest.raises(error):
        arpa(*args)


def test_asp_chartmogul_example():
    # ChartMogul, "Chart: Average Sale Price": 3 x $100 + 7 x $50 over 10 new customers = $65
    assert asp(650, 10) == 65
    # ranges of months are summed (New MRR and New customers columns of MRR_MOVEMENTS)
    assert asp([[300], [350]], [[3], [7]]) == 65
    with pytest.raises(DivisionByZero, match="new_customers is 0"):
        asp(0, 0)
    with pytest.raises(OutOfRange):
        asp(-10, 1)


def test_mrr_churn_rates_chartmogul_example():
    # ChartMogul, "Metric: MRR Churn Rate": start $100, churn $10, contraction $10, expansion $10
    # -> gross 20 %, net 10 %
    assert net_mrr_churn_rate(100, 10, 10, 10) == pytest.approx(0.10, abs=1e-12)
    assert gross_mrr_churn_rate(100, 10, 10) == pytest.approx(0.20, abs=1e-12)
    # losses written with a minus sign, as movement reports show them
    assert net_mrr_churn_rate(100, -10, -10, 10) == pytest.approx(0.10, abs=1e-12)


def test_net_mrr_churn_rate_reactivation_switch():
    # hand: start 1,000; churn 50, contraction 30, expansion 20, reactivation 40
    # ChartMogul (reactivation offsets): (50 + 30 - 20 - 40) / 1000 = 2 %
    # Baremetrics ((churned - expansion) / start, churned incl. downgrades): (80 - 20) / 1000 = 6 %
    assert net_mrr_churn_rate(1000, 50, 30, 20, 40) == pytest.approx(0.02)
    assert net_mrr_churn_rate(1000, 50, 30, 20, 40, True) == pytest.approx(0.02)
    assert net_mrr_churn_rate(1000, 50, 30, 20, 40, False) == pytest.approx(0.06)
    assert net_mrr_churn_rate(1000, 50, 30, 20, 40, "FALSE") == pytest.approx(0.06)
    # negative net churn: expansion above losses
    assert net_mrr_churn_rate(1000, 10, 0, 60) == pytest.approx(-0.05)
    # months of a quarter as ranges, one starting MRR
    assert net_mrr_churn_rate(1000, [[10], [20], [20]], [[10], [10], [10]], [[5], [5], [10]]) == \
        pytest.approx((50 + 30 - 20) / 1000)


def test_gross_mrr_churn_rate_reactivation_switch():
    # default: reactivation not used whatever is passed (ChartMogul Standard, Baremetrics Revenue Churn)
    assert gross_mrr_churn_rate(1000, 50, 30, 40) == pytest.approx(0.08)
    # TRUE: churn net of win-backs, floored at 0: (max(50 - 40, 0) + 30) / 1000 and (0 + 30) / 1000
    assert gross_mrr_churn_rate(1000, 50, 30, 40, True) == pytest.approx(0.04)
    assert gross_mrr_churn_rate(1000, 50, 30, 90, True) == pytest.approx(0.03)


@pytest.mark.parametrize("f, args, error", [
    (net_mrr_churn_rate, (0, 10, 10, 10), DivisionByZero),
    (gross_mrr_churn_rate, (0, 10, 10), DivisionByZero),
    (gross_mrr_churn_rate, (-100, 10, 10), OutOfRange),
    (net_mrr_churn_rate, (100, [10, -5], 0, 0), OutOfRange),       # mixed signs in one range
    (net_mrr_churn_rate, (100, 10, 10, -5), OutOfRange),           # a negative gain
    (net_mrr_churn_rate, (100, 10, 10, 10, 0, "maybe"), InvalidInput),
    (gross_mrr_churn_rate, ([100, 200], 10, 10), InvalidInput),    # the start is one amount
    (net_mrr_churn_rate, (100, None, 10, 10), InvalidInput),
])
def test_mrr_churn_rate_errors(f, args, error):
    with pytest.raises(error):
        f(*args)


def test_quick_ratio_reactivation_switch_and_default_meaning():
    # default unchanged: reactivation counted as a gain, (40 + 20 + 6) / (10 + 5) = 4.4
    assert quick_ratio(40, 20, 10, 5, 6) == pytest.approx(4.4)
    assert quick_ratio(40, 20, 10, 5, 6, True) == pytest.approx(4.4)
    # Baremetrics' published formula: (New + Expansion) / (Contraction + Churned) = 60 / 15 = 4
    assert quick_ratio(40, 20, 10, 5, 6, False) == pytest.approx(4.0)
    with pytest.raises(InvalidInput):
        quick_ratio(40, 20, 10, 5, 6, "sometimes")


@pytest.fixture(scope="module")
def udfs():
    with classic_xlwings() as (ours, _):
        yield ours


def test_new_revenue_functions_through_the_excel_face(udfs):
    # xlwings-shaped input: lists of rows, None for blanks
    assert udfs.ARR([[5.0], [5.0], [None], [15.0]]) == 300
    assert udfs.ARPA([[1.0], [1.0], [3.0], [5.0], [5.0], [None]]) == 3
    assert udfs.ARPA(1500.0, 5.0) == 300
    assert udfs.ASP([[300.0], [350.0]], [[3.0], [7.0]]) == 65
    assert udfs.NET_MRR_CHURN_RATE(100.0, 10.0, 10.0, 10.0) == pytest.approx(0.1)
    assert udfs.NET_MRR_CHURN_RATE(1000.0, 50.0, 30.0, 20.0, 40.0, False) == pytest.approx(0.06)
    assert udfs.GROSS_MRR_CHURN_RATE(100.0, -10.0, -10.0) == pytest.approx(0.2)
    assert udfs.QUICK_RATIO(40.0, 20.0, 10.0, 5.0, 6.0, False) == pytest.approx(4.0)
    assert udfs.ARPA([[0.0], [None]]).startswith("#DIV/0! ARPA: mrr has no customer with MRR above 0")
    assert udfs.ASP(10.0, 0.0).startswith("#DIV/0! ASP: new_customers is 0")
    assert udfs.GROSS_MRR_CHURN_RATE(0.0, 1.0, 1.0).startswith("#DIV/0! GROSS_MRR_CHURN_RATE: starting_mrr is 0")
