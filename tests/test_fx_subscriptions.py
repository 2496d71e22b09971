"""Several currencies in the subscriptions reader: mrr_table(rates=, reporting_currency=,
by_currency=), SUBSCRIPTION_MRR_FX, and their hand-off to MRR_MOVEMENTS / MRR_MOVEMENTS_FX.

Convention checked (documented in xl_cskpi.tables.fx): each month's MRR snapshot is converted at the
last rate dated in that month (Chargebee RevenueStory: period-end rates); without rates, mixed
currencies are refused naming the rows, as before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xl_cskpi import mrr_movements, mrr_movements_fx, subscription_mrr_fx
from xl_cskpi.errors import InvalidInput, NotAvailable
from xl_cskpi.tables.fx import FX_COLUMN
from xl_cskpi.tables.subscriptions import accounts, mrr_table

from xlwings_stubs import classic_xlwings, same_cells

RATES = pd.DataFrame({"date": pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31", "2024-01-31", "2024-02-15",
                                              "2024-03-31"]),
                      "currency": ["EUR", "EUR", "EUR", "GBP", "GBP", "GBP"],
                      "rate": [1.10, 1.20, 1.00, 1.25, 1.30, 1.28]})


def billing(**extra):
    frame = pd.DataFrame({
        "customer_id": ["a", "a", "b", "c"],
        "start": pd.to_datetime(["2024-01-15", "2024-02-10", "2024-01-01", "2024-01-05"]),
        "end": pd.to_datetime([None, None, None, "2024-03-10"]),
        "amount": [1200.0, 10.0, 50.0, 80.0],
        "interval": ["year", "month", "month", "month"],
        "currency": ["eur", "USD", None, "GBP"],
    })
    return frame.assign(**extra)


def test_each_month_is_converted_at_its_rate():
    # hand: a = 1,200 EUR a year (100 EUR a month) + 10 USD from February; b = 50 USD (blank = reporting);
    # c = 80 GBP, canceled 10 March (not paying on 31 March)
    t = mrr_table(billing(), as_of="2024-03-31", rates=RATES, reporting_currency="USD")
    got = {(r.customer_id, r.month.strftime("%m")): round(r.mrr, 9) for r in t.itertuples()}
    assert got == {("a", "01"): 110.0, ("a", "02"): 130.0, ("a", "03"): 110.0,
                   ("b", "01"): 50.0, ("b", "02"): 50.0, ("b", "03"): 50.0,
                   ("c", "01"): 100.0, ("c", "02"): 104.0}
    assert t.columns.tolist() == ["customer_id", "month", "mrr", "plan"] and t.attrs["currency"] == "USD"


def test_by_currency_rows_feed_both_bridges():
    t = mrr_table(billing(), as_of="2024-03-31", rates=RATES, reporting_currency="USD", by_currency=True)
    assert t.columns.tolist() == ["customer_id", "month", "mrr", "plan", "currency", "mrr_local"]
    a_feb = t[(t.customer_id == "a") & (t.month == "2024-02-01")]
    assert a_feb[["currency", "mrr_local", "mrr"]].values.tolist() == [["EUR", 100.0, 120.0], ["USD", 10.0, 10.0]]
    # summed per customer-month, it is the converted table
    plain = mrr_table(billing(), as_of="2024-03-31", rates=RATES, reporting_currency="USD")
    summed = t.groupby(["customer_id", "month"], as_index=False)["mrr"].sum()
    np.testing.assert_allclose(summed["mrr"], plain["mrr"])
    labels = t["month"].dt.strftime("%Y-%m")
    moves = mrr_movements(t["customer_id"], labels, t["mrr"])
    rates = [[d.strftime("%Y-%m-%d"), c, r] for d, c, r in RATES.itertuples(index=False)]
    fx = mrr_movements_fx(t["customer_id"], labels, t["mrr_local"], t["currency"], rates, "USD")
    np.testing.assert_allclose(fx["Ending MRR"], moves["Ending MRR"])
    # hand: a's 100 EUR moved 110 -> 120 -> 100 with the euro and c's 80 GBP 100 -> 104: FX impact
    # (February 10 + 4, March -20), not expansion; a's new 10 USD in February is expansion
    assert fx[FX_COLUMN].round(9).tolist() == [0.0, 14.0, -20.0]
    assert fx["Expansion MRR"].round(9).tolist() == [0.0, 10.0, 0.0]
    assert fx["Contraction MRR"].round(9).tolist() == [0.0, 0.0, 0.0]
    assert fx["Churned MRR"].round(9).tolist() == [0.0, 0.0, 104.0]
    # the plain bridge cannot tell them apart: it shows the euro's fall as contraction
    assert moves["Contraction MRR"].round(9).tolist() == [0.0, 0.0, 20.0]


def test_without_rates_mixed_currencies_are_still_refused():
    with pytest.raises(InvalidInput, match=r"currency mixes EUR \(row 1\) and USD \(row 2\).*pass rates"):
        mrr_table(billing(), as_of="2024-03-31")
    one = billing(currency=["EUR"] * 4)
    assert len(mrr_table(one, as_of="2024-03-31")) == 8
    assert mrr_table(one, as_of="2024-03-31").attrs["currency"] == "EUR"
    with pytest.raises(InvalidInput, match="currency is EUR .row 1. but reporting_currency is USD"):
        mrr_table(one, as_of="2024-03-31", reporting_currency="USD")


@pytest.mark.parametrize("change, kw, error, text", [
    # an unknown currency, named with its row
    ({"currency": ["eur", "CHF", None, "GBP"]}, {}, InvalidInput, "currency has 'CHF' in row 2, a currency with no rate"),
    # a month without a rate: the currency and the month, never 1.0
    ({}, {"rates": RATES[RATES.date != "2024-02-15"]}, NotAvailable, "rates has no GBP rate in 2024-02 .needed by row 4."),
    ({}, {"as_of": "2024-04-30"}, NotAvailable, "rates has no EUR rate in 2024-04"),
    # a blank currency needs a reporting currency
    ({}, {"reporting_currency": None}, InvalidInput, "currency is blank in row 3"),
])
def test_bad_currencies_and_rates(change, kw, error, text):
    args = {"as_of": "2024-03-31", "rates": RATES, "reporting_currency": "USD", **kw}
    with pytest.raises(error, match=text):
        mrr_table(billing(**change), **args)


def test_rates_without_a_currency_column():
    frame = billing().drop(columns="currency")
    with pytest.raises(InvalidInput, match="no currency column"):
        mrr_table(frame, as_of="2024-03-31", rates=RATES)
    # with a reporting currency every row is in it: nothing to convert
    assert mrr_table(frame, as_of="2024-03-31", rates=RATES, reporting_currency="CHF")["mrr"].iloc[0] == 100
    # the reporting currency is worth 1: a rate for it is refused, naming the rates row
    with pytest.raises(Exception, match="reporting currency EUR the rate 1.1 in row 1 of rates"):
        mrr_table(frame, as_of="2024-03-31", rates=RATES, reporting_currency="EUR")


def test_accounts_read_the_per_currency_rows_summed():
    t = mrr_table(billing(), as_of="2024-03-31", rates=RATES, reporting_currency="USD", by_currency=True)
    frame, _ = accounts(t, months=1)
    assert dict(zip(frame["customer_id"], frame["current_mrr"].round(9))) == {"a": 110.0, "b": 50.0, "c": 0.0}


@pytest.fixture(scope="module")
def udfs():
    with classic_xlwings() as (ours, _):
        yield ours


def test_excel_face_with_xlwings_shaped_input(udfs):
    rates = [["Date", "Currency", "Rate"], ["2024-01", "EUR", 1.1], ["2024-02", "EUR", 1.2]]
    got = udfs.SUBSCRIPTION_MRR_FX([["acme"], ["bolt"], [None]], [["2024-01-15"], [45292.0], [None]],
                                   [[None], ["2024-02-20"], [None]], [["1,200"], [50.0], [None]],
                                   [["EUR"], [None], [None]], rates, "USD", [["year"], ["month"], [None]])
    want = [["Customer", "Month", "Currency", "Local MRR", "MRR"],
            ["acme", "2024-01", "EUR", 100.0, 110.0], ["acme", "2024-02", "EUR", 100.0, 120.0],
            ["bolt", "2024-01", "USD", 50.0, 50.0]]
    assert same_cells(got, want), got
    py = subscription_mrr_fx(["acme", "bolt"], ["2024-01-15", "2024-01-01"], [None, "2024-02-20"], [1200, 50],
                             ["EUR", None], rates, "USD", ["year", "month"])
    assert same_cells(py.values.tolist(), want[1:])
    # a pays in January and February (b's start makes February a month of the table): no February rate
    missing = udfs.SUBSCRIPTION_MRR_FX([["a"], ["b"]], [["2024-01-15"], ["2024-02-10"]], [[None], [None]],
                                       [[10.0], [5.0]], "EUR", [["2024-01", "EUR", 1.1]], "USD", None, None, None)
    assert missing.startswith("#N/A SUBSCRIPTION_MRR_FX: rates has no EUR rate in 2024-02 (needed by row 1)"), \
        missing
    unknown = udfs.SUBSCRIPTION_MRR_FX([["a"]], [["2024-01-15"]], [[None]], [[10.0]], "JPY", rates, "USD")
    assert unknown.startswith("#VALUE! SUBSCRIPTION_MRR_FX: currencies has 'JPY' in row 1"), unknown
