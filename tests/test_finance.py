"""Finance: NET_CASH.

Bad cells (text, booleans, blanks, Persian digits) are in the shared table of tests/test_value.py.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_cskpi import net_cash
from xl_cskpi.errors import InvalidInput


def test_seed_formula():
    # hand calculation: 900,000,000 - 250,000,000 - 50,000,000 = 600,000,000
    assert net_cash(900_000_000, 250_000_000, 50_000_000) == 600_000_000


def test_signs_are_money_flows():
    # hand calculation: an operating loss of 100, an asset sold for 30 (negative investment),
    # working capital released 20 (negative increase): -100 + 30 + 20 = -50
    assert net_cash(-100, -30, -20) == -50
    assert net_cash("−100", "-30", [["-20"]]) == -50  # minus sign (U+2212) from a report


def test_ranges_are_summed_blanks_skipped():
    # a quarter by month: ocf 300 + 350 + 250 = 900; investments 250; wc 20 + 30 = 50 -> 600
    months = [[300], [350], [None], [250]]
    assert net_cash(months, [[250, None, ""]], np.array([20.0, 30.0])) == 600
    assert net_cash(["۳۰۰", "۳۵۰", "۲۵۰"], "۲۵۰", ["۲۰", "۳۰"]) == 600


@pytest.mark.parametrize("arg_index, arg", [(0, "operating_cash_flow"), (1, "investments"),
                                            (2, "working_capital_increase")])
def test_empty_range_is_invalid(arg_index, arg):
    args = [1, 2, 3]
    args[arg_index] = [[None], [" "]]
    with pytest.raises(InvalidInput, match=f"^NET_CASH: {arg} is empty"):
        net_cash(*args)


money = st.integers(-10**12, 10**12)  # whole rials: sums stay exact in floating point


@given(money, money, money, st.integers(-1000, 1000))
def test_net_cash_is_linear(ocf, inv, wc, k):
    assert net_cash(ocf * k, inv * k, wc * k) == k * net_cash(ocf, inv, wc)
    # identity: net cash + investments + working capital increase = operating cash flow
    assert net_cash(ocf, inv, wc) + inv + wc == ocf
