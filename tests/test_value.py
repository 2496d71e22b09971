"""Unit economics: CLV, LTV, CAC, CRC, CAC payback, LTV:CAC.

This file also holds the one bad-input table for every one-cell-per-argument function of the
revenue, unit-economics, funnel and finance families (text, booleans, NaN, blanks, Persian
digits, xlwings-shaped cells, negatives), so the checks are written once, not once per family.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import xl_cskpi as x
from xl_cskpi.errors import DivisionByZero, InvalidInput, KPIError, OutOfRange

# ----------------------------------------------------------------------------- worked examples


def test_clv_seed_example():
    # seed example: 50,000 toman per purchase x 3 purchases a month x 24 months = 3,600,000
    assert x.clv(50_000, 3, 24) == 3_600_000
    assert x.clv([["۵۰٬۰۰۰"]], [["۳"]], [["۲۴"]]) == 3_600_000  # Persian digits in xlwings cells


def test_ltv_hand_calculation():
    # hand calculation: 2,000,000 x 30 x 0.8 = 48,000,000 (ChartMogul: ARPA x margin / churn,
    # here a monthly churn of 1/30)
    assert x.ltv(2_000_000, 30, 0.8) == pytest.approx(48_000_000)
    assert x.ltv(2_000_000, 30, "80%") == pytest.approx(48_000_000)
    assert x.ltv(2_000_000, 30) == pytest.approx(60_000_000)        # default margin 1
    assert x.ltv(2_000_000, 30, None) == pytest.approx(60_000_000)  # omitted cell (xlwings None)
    assert x.ltv(2_000_000, 30, [[""]]) == pytest.approx(60_000_000)


def test_cac_sums_a_spend_range():
    # hand calculation: (300,000,000 + 150,000,000) / 90 = 5,000,000
    assert x.cac([[300_000_000], [150_000_000]], 90) == pytest.approx(5_000_000)
    assert x.cac([[300_000_000, None], ["۱۵۰٬۰۰۰٬۰۰۰", ""]], "۹۰") == pytest.approx(5_000_000)
    assert x.cac(pd.Series([300e6, np.nan, 150e6]), 90) == pytest.approx(5_000_000)
    assert x.cac(np.array([[300e6, 150e6]]), 90) == pytest.approx(5_000_000)


def test_crc_sums_a_cost_range():
    # hand calculation: (120,000,000 + 30,000,000) / 1,500 = 100,000
    assert x.crc([120_000_000, 30_000_000], 1500) == pytest.approx(100_000)
    assert x.crc(150_000_000, 1500) == pytest.approx(100_000)


def test_cac_payback_hand_calculation():
    # hand calculation: 5,000,000 / (500,000 x 0.8) = 12.5 months
    assert x.cac_payback(5_000_000, 500_000, 0.8) == pytest.approx(12.5)
    # hand calculation without margin: 5,000,000 / 500,000 = 10 months
    assert x.cac_payback(5_000_000, 500_000) == pytest.approx(10)
    assert x.cac_payback(0, 500_000) == 0


def test_ltv_cac_ratio_skok_benchmark():
    # David Skok, SaaS Metrics 2.0: the healthy mark is LTV : CAC = 3
    assert x.ltv_cac_ratio(36_000_000, 12_000_000) == pytest.approx(3.0)


@pytest.mark.parametrize("call, arg", [
    (lambda: x.cac(1000, 0), "new_customers"),
    (lambda: x.crc([500, 500], 0), "customers"),
    (lambda: x.cac_payback(100, 0, 0.8), "arpa"),
    (lambda: x.cac_payback(100, 50, 0), "gross_margin"),
    (lambda: x.cac_payback(100, 50, "0%"), "gross_margin"),
    (lambda: x.ltv_cac_ratio(100, 0), "cac"),
])
def test_zero_denominators(call, arg):
    with pytest.raises(DivisionByZero, match=arg):
        call()


@pytest.mark.parametrize("margin", [1.2, 70, "120%", -0.1, 0])
def test_ltv_margin_outside_zero_one_is_out_of_range(margin):
    with pytest.raises(OutOfRange, match="gross_margin"):
        x.ltv(1000, 12, margin)


def test_margin_of_70_explains_the_percent():
    with pytest.raises(OutOfRange, match=r"0\.7 or 70%"):
        x.cac_payback(1000, 100, 70)


def test_empty_spend_range_is_invalid():
    with pytest.raises(InvalidInput, match="sales_marketing_spend .*empty"):
        x.cac([[None], [""]], 10)
    with pytest.raises(OutOfRange, match="retention_costs .*negative"):
        x.crc([100, -5], 10)


# ----------------------------------------------------------------------------- properties


@given(st.floats(0, 1e9), st.floats(0, 1e4), st.floats(0, 1e3), st.floats(0.01, 1e6))
def test_clv_scales_linearly_with_the_purchase_value(value, frequency, lifespan, k):
    assert x.clv(value * k, frequency, lifespan) == pytest.approx(k * x.clv(value, frequency, lifespan))


@given(st.floats(1, 1e9), st.integers(1, 10**6), st.floats(0.001, 1e6))
def test_cac_is_scale_invariant_in_money_units(spend, customers, k):
    """Changing the currency (rial -> toman) scales CAC by the same factor; payback is unitless."""
    assert x.cac(spend * k, customers) == pytest.approx(k * x.cac(spend, customers))
    c = x.cac(spend, customers)
    assert x.cac_payback(c * k, 100 * k, 0.5) == pytest.approx(x.cac_payback(c, 100, 0.5))


@given(st.floats(1, 1e7), st.floats(1, 1e4), st.floats(0.01, 1), st.floats(1, 1e8))
def test_ltv_cac_ratio_times_payback_is_lifetime(arpa, months, margin, cac_value):
    """Identity: (LTV / CAC) x payback months = lifetime months."""
    ratio = x.ltv_cac_ratio(x.ltv(arpa, months, margin), cac_value)
    assert ratio * x.cac_payback(cac_value, arpa, margin) == pytest.approx(months)


# ----------------------------------------------------------------------------- LTV from observed churn


def test_ltv_from_churn_chartmogul_example():
    # ChartMogul, "Chart: Customer Lifetime Value (LTV)"
    # (https://help.chartmogul.com/hc/en-us/articles/203359061-Chart-Customer-Lifetime-Value-LTV):
    # "with an ARPA of $100 and a 5% six-month trailing average of customer churn rate, LTV is $2,000"
    assert x.ltv_from_churn(100, 0.05) == pytest.approx(2000, abs=1e-9)
    assert x.ltv_from_churn(100, x.churn_trailing([200] * 6, [10] * 6)) == pytest.approx(2000)
    assert x.ltv_from_churn([["۱۰۰"]], [["5%"]], None, None) == pytest.approx(2000)


def test_ltv_from_churn_discounted_is_the_sum_of_discounted_survival():
    # the series the docstring sums, month by month: margin of the customers still there (1 - c)^(t-1),
    # discounted by (1 + d)^t, t = 1, 2, ... (4,000 months: the tail is below 1e-9 here)
    arpa, c, m, d = 120.0, 0.03, 0.75, 0.008
    series = sum(arpa * m * (1 - c) ** (t - 1) / (1 + d) ** t for t in range(1, 4001))
    assert x.ltv_from_churn(arpa, c, m, d) == pytest.approx(series, rel=1e-12)
    # Gupta & Lehmann (2003), "Customers as assets": margin multiple r / (1 + i - r), r = 1 - c, counted from
    # the period after acquisition; ours counts the first period too: theirs / r
    r = 1 - c
    assert x.ltv_from_churn(arpa, c, m, d) == pytest.approx(arpa * m * r / (1 + d - r) / r, rel=1e-12)


@given(st.floats(0, 1e7), st.floats(0.001, 1), st.floats(0.01, 1))
def test_ltv_from_churn_undiscounted_is_ltv_over_the_expected_lifetime(arpa, churn, margin):
    assert x.ltv_from_churn(arpa, churn, margin) == pytest.approx(x.ltv(arpa, 1 / churn, margin), rel=1e-12)


@given(st.floats(1, 1e6), st.floats(0.001, 0.5), st.floats(0.0001, 0.2))
def test_discounting_lowers_ltv(arpa, churn, d):
    assert x.ltv_from_churn(arpa, churn, 1, d) < x.ltv_from_churn(arpa, churn)


def test_ltv_from_churn_edge_cases():
    # ChartMogul: "ChartMogul can only calculate LTV when your customer churn rate is not zero"
    with pytest.raises(DivisionByZero, match="LTV_FROM_CHURN: churn is 0 and so is discount_rate"):
        x.ltv_from_churn(100, 0)
    assert x.ltv_from_churn(100, 0, 1, 0.01) == pytest.approx(10_000)  # a perpetuity at 1 % a month
    with pytest.raises(OutOfRange, match="churn is 5; .*0.05 or 5%"):
        x.ltv_from_churn(100, 5)
    with pytest.raises(OutOfRange, match="discount_rate is -0.01; .*cannot be negative"):
        x.ltv_from_churn(100, 0.05, 1, -0.01)
    with pytest.raises(OutOfRange, match="gross_margin"):
        x.ltv_from_churn(100, 0.05, 70)
    with pytest.raises(OutOfRange, match="arpa"):
        x.ltv_from_churn(-100, 0.05)
    assert x.ltv_from_churn(100, 1) == 100.0   # everybody leaves after the first month


# ----------------------------------------------------------------------------- the shared table
# One valid call per function whose arguments are one cell each (or a range that is summed),
# with the arguments where a negative amount is meaningful (money that can flow both ways,
# losses written with a minus sign).

VALID = {
    "mrr": ((1000, 750), ()),
    "quick_ratio": ((40, 20, 10, 5, 3), ("churned_mrr", "contraction_mrr")),
    "clv": ((50_000, 3, 24), ()),
    "ltv": ((2_000_000, 30, 0.8), ()),
    "ltv_from_churn": ((100, 0.05, 0.8, 0), ()),
    "arr": ((1000,), ()),
    "arpa": ((750_000, 1000), ()),
    "asp": ((12_000, 10), ()),
    "cac": ((450_000_000, 90), ()),
    "crc": ((150_000_000, 1500), ()),
    "cac_payback": ((5_000_000, 500_000, 0.8), ()),
    "ltv_cac_ratio": ((48_000_000, 12_000_000), ()),
    "conversion_rate": ((100, 4000), ()),
    "lead_to_opportunity_rate": ((180, 1200), ()),
    "acquisition_rate": ((150, 1000), ()),
    "referral_rate": ((90, 2000), ()),
    "cart_abandonment_rate": ((2000, 620), ()),
    "campaign_roi": ((100_000_000, 40_000_000), ()),
    "direct_traffic_share": ((12_000, 48_000), ()),
    "pages_per_visit": ((168_000, 48_000), ()),
    "viral_coefficient": ((60, 500), ()),
    "net_cash": ((900_000_000, 250_000_000, 50_000_000), ("operating_cash_flow", "investments",
                                                          "working_capital_increase")),
}
OPTIONAL = {("ltv", "gross_margin"), ("cac_payback", "gross_margin"), ("quick_ratio", "reactivation_mrr"),
            ("ltv_from_churn", "gross_margin"), ("ltv_from_churn", "discount_rate"), ("arpa", "paying_customers")}
#: TRUE/FALSE switches (QUICK_RATIO's and the MRR churn rates' ``reactivation``): not numbers, left out of
#: the table (tests/test_revenue.py tests them)
FLAGS = {"reactivation"}


def _arg_names(name):
    return [a.name for a in x.registry.REGISTRY[name.upper()].arguments]


CELLS = [(name, i, arg) for name in VALID for i, arg in enumerate(_arg_names(name))
         if arg not in FLAGS and arg not in ("labels", "segments")]


def _with(name, i, value):
    args = list(VALID[name][0])
    args[i] = value
    return getattr(x, name)(*args)


def _persian(v):
    return str(v).translate(str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫"))


def test_the_table_covers_every_function_of_the_four_families():
    families = {"Revenue", "Unit economics", "Acquisition & funnel", "Finance"}
    aligned = {"EXPANSION_MRR", "NRR", "GRR",  # per-customer ranges: see tests/test_revenue.py
               "NRR_MOVEMENTS", "GRR_MOVEMENTS",  # per-row billing exports: tests/test_revenue_movements.py
               # E's, tested in tests/test_revenue.py; left out of this table until a negative or unreadable
               # reactivation_mrr is refused when reactivation is FALSE (today it is ignored: D's report)
               "GROSS_MRR_CHURN_RATE", "NET_MRR_CHURN_RATE"}
    mine = {f.name.lower() for f in x.registry.REGISTRY.values()
            if f.category in families and f.name not in aligned and f.returns not in ("table", "column")}
    assert mine <= set(VALID), mine - set(VALID)


@pytest.mark.parametrize("name, i, arg", CELLS)
@pytest.mark.parametrize("bad", ["abc", True, False, float("nan"), math.inf, "1,5", "12 apples"])
def test_bad_cell_is_invalid_input_naming_the_argument(name, i, arg, bad):
    with pytest.raises(InvalidInput, match=rf"^{name.upper()}: {arg} ") as e:
        _with(name, i, bad)
    assert isinstance(e.value, ValueError) and e.value.code == "#VALUE!"


@pytest.mark.parametrize("name, i, arg", CELLS)
@pytest.mark.parametrize("blank", [None, "", "   ", [[None]], [[""]], []])
def test_blank_cell(name, i, arg, blank):
    """A blank required cell is #VALUE!; a blank optional cell takes the default."""
    if (name, arg) in OPTIONAL:
        omitted = getattr(x, name)(*VALID[name][0][:i])
        assert _with(name, i, blank) == pytest.approx(omitted)
    else:
        with pytest.raises(InvalidInput, match=rf"{arg} .*empty"):
            _with(name, i, blank)


@pytest.mark.parametrize("name, i, arg", CELLS)
def test_persian_and_arabic_digit_text_and_xlwings_cells_read_as_numbers(name, i, arg):
    expected = getattr(x, name)(*VALID[name][0])
    value = VALID[name][0][i]
    assert _with(name, i, _persian(value)) == pytest.approx(expected)           # "۷۵۰"
    assert _with(name, i, [[_persian(value)]]) == pytest.approx(expected)       # one xlwings cell
    assert _with(name, i, [[None], [value], [""]]) == pytest.approx(expected)   # blanks around it
    assert _with(name, i, np.array([[value]])) == pytest.approx(expected)


def test_persian_seed_mrr():
    # seed example with Persian digits: ۱۰۰۰ customers x ARPU ۷۵۰ = 750,000
    assert x.mrr("۱۰۰۰", "۷۵۰") == 750_000


@pytest.mark.parametrize("name, i, arg", CELLS)
def test_negative_amount(name, i, arg):
    """Negative counts and amounts are #NUM!, except where the definition gives the sign a meaning."""
    if arg in VALID[name][1]:
        assert math.isfinite(_with(name, i, -abs(VALID[name][0][i]) or -1))
    else:
        with pytest.raises(OutOfRange, match=rf"^{name.upper()}: {arg} .*(negative|above 0)") as e:
            _with(name, i, -1)
        assert e.value.code == "#NUM!"


@pytest.mark.parametrize("name", sorted(VALID))
def test_every_error_is_a_kpi_value_error(name):
    with pytest.raises(KPIError) as e:
        getattr(x, name)(*(["x"] * len(VALID[name][0])))
    assert isinstance(e.value, ValueError)


# ----------------------------------------------------------------------------- the unit economics report


def test_unit_economics_report_puts_ltv_from_observed_churn_beside_todays():
    """The report's ``ltv_observed`` = ARPA x margin / the mean of the last six monthly churn rates
    (ChartMogul's LTV), computed here with pandas from the demo's finance export."""
    from xl_cskpi import sample
    from xl_cskpi.reports import reports
    from xl_cskpi.reports.evaluate import evaluate_report

    fin = sample.generate()["finance"].rename(columns={"new_customers": "customers_new",
                                                       "churned_customers": "customers_lost"})
    v = evaluate_report(reports()["unit_economics"], {"Finance": fin})
    last6 = fin.tail(6)
    trailing = (last6["customers_lost"] / last6["customers_start"]).mean()
    arpa = fin["revenue"].sum() / (fin["customers_start"] + fin["customers_new"] - fin["customers_lost"]).sum()
    margin = fin["gross_margin"].mean()
    assert v["churn_trailing"] == pytest.approx(trailing, rel=1e-12)
    assert v["annual_churn"] == pytest.approx(1 - (1 - trailing) ** 12, rel=1e-12)
    assert v["ltv_observed"] == pytest.approx(arpa * margin / trailing, rel=1e-12)
    pooled = fin["customers_lost"].sum() / fin["customers_start"].sum()
    assert v["ltv"] == pytest.approx(arpa * margin / pooled, rel=1e-12)   # today's: pooled over the year
    # a monthly discount rate lowers it: ARPA x m / (churn + d)
    v = evaluate_report(reports()["unit_economics"], {"Finance": fin}, {"discount_rate": 0.01})
    assert v["ltv_observed"] == pytest.approx(arpa * margin / (trailing + 0.01), rel=1e-12)
