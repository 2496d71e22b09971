"""Several currencies (xl_cskpi.tables.fx): the rates table, MRR_MOVEMENTS_FX's bridge with its
FX-impact column (hypothesis), agreement with MRR_MOVEMENTS in one currency, an independent
per-customer computation, the Excel face and bad input (unknown currency, missing month).

Conventions checked:
* ChartMogul, "How ChartMogul handles subscriptions billed in foreign currencies"
  (help.chartmogul.com/hc/en-us/articles/201520952): no expansion or contraction from currency
  fluctuations; they are reported in an "Exchange Rate Impact" row.
* Chargebee, "How Exchange Rates affect RevenueStory metrics over time?" (support.chargebee.com):
  period-end exchange rates convert each period's MRR.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_cskpi import mrr_movements, mrr_movements_fx
from xl_cskpi.errors import InvalidInput, NotAvailable, OutOfRange
from xl_cskpi.tables.fx import FX_COLUMN, read_rates

from xlwings_stubs import classic_xlwings, same_cells

MONTHS = ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"]


def bridge_closes(t: pd.DataFrame) -> None:
    lhs = (t["Starting MRR"] + t["New MRR"] + t["Expansion MRR"] + t["Reactivation MRR"] - t["Contraction MRR"]
           - t["Churned MRR"] + t[FX_COLUMN])
    np.testing.assert_allclose(lhs, t["Ending MRR"], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(t["Starting MRR"].iloc[1:], t["Ending MRR"].iloc[:-1].to_numpy(), rtol=1e-12)
    counts = t["Customers at start"] + t["New customers"] + t["Reactivated customers"] - t["Churned customers"]
    assert (counts == t["Customers at end"]).all()


rate_strategy = st.lists(st.floats(0.5, 2.0, allow_nan=False).map(lambda x: round(x, 4)), min_size=6, max_size=6)


@given(rows=st.lists(st.tuples(st.sampled_from("ABCDE"), st.integers(0, 5), st.sampled_from([0, 10, 20, 35]),
                               st.sampled_from(["EUR", "USD", "GBP"])), min_size=1, max_size=40),
       eur=rate_strategy, gbp=rate_strategy)
@settings(max_examples=80, deadline=None)
def test_the_bridge_closes_with_fx_impact(rows, eur, gbp):
    rates = [["date", "currency", "rate"]] + [[m, "EUR", r] for m, r in zip(MONTHS, eur)] + \
            [[m, "GBP", r] for m, r in zip(MONTHS, gbp)]
    t = mrr_movements_fx([r[0] for r in rows], [MONTHS[r[1]] for r in rows], [r[2] for r in rows],
                         [r[3] for r in rows], rates, "USD")
    bridge_closes(t)


@given(rows=st.lists(st.tuples(st.sampled_from("ABCDE"), st.integers(0, 5), st.sampled_from([0, 10, 20, 35])),
                     min_size=1, max_size=40))
@settings(max_examples=50, deadline=None)
def test_one_currency_equals_mrr_movements(rows):
    ids, months, mrr = [r[0] for r in rows], [MONTHS[r[1]] for r in rows], [r[2] for r in rows]
    plain = mrr_movements(ids, months, mrr)
    # the reporting currency needs no rates; a constant rate of 2 doubles every amount and has no FX impact
    same = mrr_movements_fx(ids, months, mrr, "USD", [["2024-07", "EUR", 1.5]], "USD")
    pd.testing.assert_frame_equal(same.drop(columns=FX_COLUMN), plain, check_dtype=False)  # all-0 exports: int vs float
    assert (same[FX_COLUMN] == 0).all()
    doubled = mrr_movements_fx(ids, months, mrr, "EUR", [[m, "EUR", 2.0] for m in MONTHS], "USD")
    money = [c for c in plain.columns if c.endswith("MRR")]
    np.testing.assert_allclose(doubled[money].to_numpy(), 2 * plain[money].to_numpy())
    assert (doubled[FX_COLUMN] == 0).all()


def test_unchanged_local_mrr_is_fx_impact_not_expansion():
    # hand: 100 EUR every month; EUR 1.10, 1.20, 1.05 USD -> ending 110, 120, 105; FX +10, -15
    rates = [["2024-07-31", "EUR", 1.10], ["2024-08-31", "EUR", 1.20], ["2024-09-30", "EUR", 1.05]]
    t = mrr_movements_fx(["a"] * 3, MONTHS[:3], [100] * 3, "eur", rates, "usd")
    assert t["Ending MRR"].round(9).tolist() == [110, 120, 105]
    assert t[FX_COLUMN].round(9).tolist() == [0, 10, -15]
    assert (t["Expansion MRR"] == 0).all() and (t["Contraction MRR"] == 0).all()


def test_local_change_at_the_new_rate_and_fx_on_the_old_amount():
    # hand: 100 EUR at 1.10, then 150 EUR at 1.20: FX = 100 x 0.10 = 10; expansion = 50 x 1.20 = 60
    rates = [["2024-07", "EUR", 1.10], ["2024-08", "EUR", 1.20]]
    t = mrr_movements_fx(["a", "a"], MONTHS[:2], [100, 150], "EUR", rates, "USD").iloc[1]
    assert t[FX_COLUMN] == pytest.approx(10) and t["Expansion MRR"] == pytest.approx(60)
    # a customer switching its plan from EUR to USD: the EUR amount leaves at the new rate
    rates2 = rates + [["2024-09", "EUR", 1.30]]
    t = mrr_movements_fx(["a", "a", "a"], MONTHS[:3], [100, 100, 130], ["EUR", "EUR", "USD"], rates2, "USD")
    bridge_closes(t)
    # August -> September: FX 100 x 0.10 = 10, change (0 - 100) x 1.30 + 130 x 1 = 0
    assert t[FX_COLUMN].iloc[2] == pytest.approx(10) and t["Expansion MRR"].iloc[2] == pytest.approx(0)
    assert t["Contraction MRR"].iloc[2] == pytest.approx(0)


def test_new_churn_and_reactivation_are_converted_at_their_month():
    # hand: a pays 100 GBP in July (1.25), nothing in August, 100 GBP in September (1.30)
    rates = [["2024-07", "GBP", 1.25], ["2024-08", "GBP", 1.28], ["2024-09", "GBP", 1.30]]
    t = mrr_movements_fx(["a", "a"], ["2024-07", "2024-09"], [100, 100], "GBP", rates, "USD")
    assert t["New MRR"].tolist() == [125, 0, 0]
    assert t["Churned MRR"].tolist() == [0, 125, 0]        # what left the starting MRR
    assert t["Reactivation MRR"].tolist() == [0, 0, 130]
    assert t[FX_COLUMN].tolist() == [0, 0, 0]


def test_the_last_rate_dated_in_a_month_converts_it():
    # daily rates: the month-end (latest) rate of July converts July
    rates = pd.DataFrame({"Date": pd.to_datetime(["2024-07-01", "2024-07-31", "2024-07-15"]),
                          "Currency": ["EUR", "EUR", "EUR"], "Rate": [1.0, 1.2, 1.1]})
    assert list(read_rates(rates, "USD").table["EUR"].values()) == [1.2]
    t = mrr_movements_fx(["a"], ["2024-07"], [100], "EUR", rates, "USD")
    assert t["Ending MRR"].tolist() == [pytest.approx(120)]


def test_jalali_months_take_the_rate_dated_in_them():
    # 1403-05 = 22 Jul - 21 Aug 2024: a rate dated 2024-08-10 is Mordad's (month 05)
    rates = [["2024-08-10", "EUR", 1.1], ["2024-08-25", "EUR", 1.3]]   # 1403-05 and 1403-06
    t = mrr_movements_fx(["a", "a"], ["1403-05", "1403-06"], [100, 100], "EUR", rates, "USD", "jalali")
    assert t["Month"].tolist() == ["1403-05", "1403-06"]
    assert t["Ending MRR"].round(9).tolist() == [110, 130] and t[FX_COLUMN].round(9).tolist() == [0, 20]


@pytest.mark.parametrize("rates, currencies, error, text", [
    # an unknown currency: named, with its row
    ([["2024-07", "EUR", 1.1], ["2024-08", "EUR", 1.1]], ["EUR", "CHF"], InvalidInput,
     "currencies has 'CHF' in row 2, a currency with no rate"),
    # a month without a rate for a currency in use: the currency and the month, never 1.0
    ([["2024-07", "EUR", 1.1]], ["EUR", "EUR"], NotAvailable, "rates has no EUR rate in 2024-08"),
    ([["2024-07", "EUR", 0]], ["EUR", "EUR"], OutOfRange, "rates has the rate 0 in row 1 of rates"),
    ([["2024-07", "EUR", None], ["2024-08", "EUR", 1]], ["EUR", "EUR"], InvalidInput,
     "blank rate in row 1 of rates"),
    ([["2024-07", "EUR", 1.1], ["2024-07", "EUR", 1.2]], ["EUR", "EUR"], InvalidInput, "two rates for the same day"),
    ([["2024-07", "USD", 1.1]], ["USD", "USD"], OutOfRange, "reporting currency USD the rate 1.1"),
    ([["2024-07", "EUR"]], ["EUR", "EUR"], InvalidInput, "give three: date | currency | rate"),
])
def test_bad_rates_and_currencies(rates, currencies, error, text):
    with pytest.raises(error, match=text):
        mrr_movements_fx(["a", "a"], ["2024-07", "2024-08"], [10, 10], currencies, rates, "USD")


def test_blank_currency_needs_a_reporting_currency():
    rates = [["2024-07", "EUR", 1.1]]
    with pytest.raises(InvalidInput, match="currencies is blank in row 1"):
        mrr_movements_fx(["a"], ["2024-07"], [10], [None], rates)
    t = mrr_movements_fx(["a", "b"], ["2024-07", "2024-07"], [10, 10], [None, "EUR"], rates, "USD")
    assert t["Ending MRR"].tolist() == [pytest.approx(21)]


@pytest.fixture(scope="module")
def udfs():
    with classic_xlwings() as (ours, _):
        yield ours


def test_excel_face_with_xlwings_shaped_input(udfs):
    rates = [["Date", "Currency", "Rate"], ["2024-07", "EUR", 1.1], ["2024-08", "EUR", 1.2], [None, None, None]]
    got = udfs.MRR_MOVEMENTS_FX([["a"], ["a"], [None]], [["2024-07"], ["2024-08"], [None]],
                                [[100.0], [100.0], [None]], [["EUR"], ["EUR"], [None]], rates, "USD")
    assert got[0][-1] == FX_COLUMN and got[0][:13] == list(mrr_movements(["a"], ["2024-07"], [1]).columns)
    assert same_cells([row[7] for row in got[1:]], [110.0, 120.0])     # Ending MRR
    assert same_cells([row[13] for row in got[1:]], [0.0, 10.0])       # FX impact
    bad = udfs.MRR_MOVEMENTS_FX([["a"], ["a"]], [["2024-07"], ["2024-08"]], [[1.0], [1.0]], "EUR",
                                [["2024-07", "EUR", 1.1]], "USD")
    assert bad.startswith("#N/A MRR_MOVEMENTS_FX: rates has no EUR rate in 2024-08"), bad


def test_segments_add_up_to_the_whole_bridge():
    rates = [[m, "EUR", 1 + i / 10] for i, m in enumerate(MONTHS)]
    ids = ["a", "b", "a", "b", "a"]
    months = ["2024-07", "2024-07", "2024-08", "2024-08", "2024-09"]
    local = [100, 50, 100, 60, 120]
    cur = ["EUR", "USD", "EUR", "USD", "EUR"]
    whole = mrr_movements_fx(ids, months, local, cur, rates, "USD")
    seg = mrr_movements_fx(ids, months, local, cur, rates, "USD", "gregorian", "en", ["eu", "us", "eu", "us", "eu"])
    summed = seg.drop(columns=["segment", "Month"]).groupby(seg["Month"]).sum()
    money = [c for c in whole.columns if c.endswith("MRR")]
    np.testing.assert_allclose(summed[money].to_numpy(), whole.set_index("Month")[money].to_numpy())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_equals_a_customer_by_customer_loop(seed):
    # independent: dictionaries of local MRR per customer, currency and month; the conventions of the
    # docstring applied one customer-month at a time
    rng = np.random.default_rng(seed)
    rate = {("EUR", m): float(rng.uniform(0.8, 1.4)) for m in MONTHS}
    rate.update({("GBP", m): float(rng.uniform(1.1, 1.5)) for m in MONTHS})
    rate.update({("USD", m): 1.0 for m in MONTHS})
    rows = [(f"c{int(rng.integers(0, 12))}", MONTHS[int(rng.integers(0, 6))], float(rng.choice([0, 10, 25, 40])),
             str(rng.choice(["EUR", "GBP", "USD"]))) for _ in range(120)]
    local = {}
    for c, m, v, cur in rows:
        local[(c, cur, m)] = local.get((c, cur, m), 0.0) + v
    customers = sorted({r[0] for r in rows})
    want = {k: [0.0] * 6 for k in ("new", "exp", "con", "churn", "react", "fx")}
    for c in customers:
        seen = False
        for i, m in enumerate(MONTHS):
            now = {cur: local.get((c, cur, m), 0.0) for cur in ("EUR", "GBP", "USD")}
            before = {cur: local.get((c, cur, MONTHS[i - 1]), 0.0) if i else 0.0 for cur in now}
            v_now = sum(now[k] * rate[(k, m)] for k in now)
            v_before = sum(before[k] * rate[(k, MONTHS[i - 1])] for k in now) if i else 0.0
            pays, paid = sum(now.values()) > 0, sum(before.values()) > 0
            if pays and paid:
                fx = sum(before[k] * (rate[(k, m)] - rate[(k, MONTHS[i - 1])]) for k in now)
                delta = sum((now[k] - before[k]) * rate[(k, m)] for k in now)
                want["fx"][i] += fx
                want["exp" if delta > 0 else "con"][i] += abs(delta)
            elif pays:
                want["react" if seen else "new"][i] += v_now
            elif paid:
                want["churn"][i] += v_before
            seen |= pays
    rates = [[m, k, rate[(k, m)]] for (k, m) in rate if k != "USD"]
    t = mrr_movements_fx(*map(list, zip(*rows)), rates, "USD")
    first = MONTHS.index(min(r[1] for r in rows))
    for col, key in (("New MRR", "new"), ("Expansion MRR", "exp"), ("Contraction MRR", "con"),
                     ("Churned MRR", "churn"), ("Reactivation MRR", "react"), (FX_COLUMN, "fx")):
        np.testing.assert_allclose(t[col].to_numpy(), want[key][first:], rtol=1e-9, atol=1e-9, err_msg=col)
    bridge_closes(t)


def test_persian_digits_jalali_labels_and_a_renamed_rates_frame():
    # rates typed in Persian digits with Jalali month labels; amounts as Persian-digit text
    rates = [["ماه", "ارز", "نرخ"], ["۱۴۰۳-۰۶", "eur", "۱٫۵"], ["۱۴۰۳-۰۷", "EUR", "2"]]
    t = mrr_movements_fx(["a", "a"], ["۱۴۰۳-۰۶", "۱۴۰۳-۰۷"], ["۱۰۰", "۱۰۰"], "EUR", rates, "USD", "jalali")
    assert t["Ending MRR"].tolist() == [pytest.approx(150), pytest.approx(200)]
    frame = pd.DataFrame({"Month": ["2024-07"], "Code": ["EUR"], "FX rate": [1.25]})
    assert read_rates(frame, "USD").table == {"EUR": {next(iter(read_rates(frame).table["EUR"])): 1.25}}


@pytest.mark.parametrize("args, error, text", [
    (([None], [None], [None], [None]), NotAvailable, "no rows"),
    ((["a"], ["2024-07"], [True], ["EUR"]), InvalidInput, "mrr_local"),
    ((["a"], ["2024-07"], [-1], ["EUR"]), OutOfRange, "mrr_local is -1 in row 1"),
    ((["a", "b"], ["2024-07", "2024-07"], [1, 1], ["EUR", "EUR", "EUR"]), InvalidInput, "currencies has 3 cells"),
    ((["a"], [None], [10], ["EUR"]), InvalidInput, "months is blank in row 1"),
])
def test_bad_rows(args, error, text):
    with pytest.raises(error, match=text):
        mrr_movements_fx(*args, [["2024-07", "EUR", 1.1]], "USD")
