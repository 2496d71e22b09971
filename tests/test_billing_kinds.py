"""Billing exports of the wrong kind or with columns the Billing table has no field for (reviewer's s5
G3, G19, G10, G4, G1, G2, G11): xl_cskpi.exports.billing_kinds and the rules of
xl_cskpi.tables.subscriptions.mrr_table they feed. Every expected MRR is worked out by hand in a comment.

Export shapes (column names as the tools write them):
* Stripe Dashboard > Payments > Export (``Seller Message``, ``Amount Refunded``, ``Captured``, ``Card ID``).
* Stripe Dashboard > Billing > Invoices > Export (``Status``, ``Date (UTC)``, ``Subtotal``, ``Total Discount
  Amount``, ``Period Start (UTC)``, ``Period End (UTC)``); statuses draft/open/paid/uncollectible/void
  (docs.stripe.com/invoicing/overview).
* Chargebee Product Catalog 2.0 subscriptions export (``subscription_items.item_type`` plan/addon/charge,
  apidocs.chargebee.com/docs/api/items) and ``subscriptions.pause_date`` / ``resume_date``
  (apidocs.chargebee.com/docs/api/subscriptions).
* Recurly subscription object (``unit_amount_in_cents``, ``state``, ``expires_at``, ``current_period_ends_at``).
* ChartMogul, "Metric: Monthly Recurring Revenue" (help.chartmogul.com/hc/en-us/articles/203299812): "One-time
  payments and metered charges are excluded. Discounts/coupons are deducted prior to calculation."
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xl_cskpi.errors import InvalidInput
from xl_cskpi.exports.billing_kinds import billing_frame, cents_header, coupon_discount, money_in_cents
from xl_cskpi.exports.check import DataCheck, ExportError
from xl_cskpi.reports.specs.tables import BILLING
from xl_cskpi.tables.subscriptions import mrr_table


def frame(rows: list[dict], index=None) -> pd.DataFrame:
    """A typed Billing frame (dates datetime64, numbers float) indexed by file rows 2, 3, ..."""
    out = pd.DataFrame(rows)
    for c in ("start", "end", "trial_end", "current_period_end", "billed_at"):
        if c in out:
            out[c] = pd.to_datetime(out[c])
    for c in ("amount", "quantity", "interval_count", "discount_percent", "discount_amount"):
        if c in out:
            out[c] = out[c].astype(float)
    out.index = index if index is not None else range(2, len(out) + 2)
    return out


def month_totals(t: pd.DataFrame) -> dict[str, float]:
    return {m.strftime("%Y-%m"): round(float(v), 4) for m, v in t.groupby("month")["mrr"].sum().items()}


def codes(check: DataCheck) -> dict[str, object]:
    return {f.code: f for f in check}


# --------------------------------------------------------------------------- G3: payments are not subscriptions

STRIPE_PAYMENTS = ["id", "Description", "Seller Message", "Created (UTC)", "Amount", "Amount Refunded", "Currency",
                   "Status", "Customer ID", "Captured", "Card ID", "Invoice ID"]


def payments_raw() -> pd.DataFrame:
    rows = [["ch_1", "Subscription update", "Payment complete.", "2024-04-03 09:12", "49.00", "0.00", "usd", "Paid",
             "cus_A", "true", "card_1", "in_1"],
            ["ch_2", "Subscription creation", "Payment complete.", "2024-04-10 14:00", "1200.00", "0.00", "usd", "Paid",
             "cus_B", "true", "card_2", "in_2"],
            ["ch_6", "Subscription update", "Payment complete.", "2024-06-03 09:12", "49.00", "0.00", "usd", "Paid",
             "cus_A", "true", "card_1", "in_5"]]
    return pd.DataFrame(rows, columns=STRIPE_PAYMENTS, index=[2, 3, 4], dtype=object)


def test_a_stripe_payments_export_is_refused_naming_the_export_to_give():
    raw = payments_raw()
    # what the generic mapping typed: Created -> start, Amount -> amount, Status -> status
    typed = frame([{"customer_id": "cus_A", "start": "2024-04-03", "amount": 49.0, "status": "Paid"},
                   {"customer_id": "cus_B", "start": "2024-04-10", "amount": 1200.0, "status": "Paid"},
                   {"customer_id": "cus_A", "start": "2024-06-03", "amount": 49.0, "status": "Paid"}])
    headers = {"customer_id": "Customer ID", "start": "Created (UTC)", "amount": "Amount", "status": "Status"}
    with pytest.raises(ExportError, match=r"payments\.csv: this is a payments \(charges\) export \(columns Seller "
                                          r"Message, Amount Refunded, Captured\).*Billing > Subscriptions.*Period Start"):
        billing_frame(typed, raw, headers, None, "payments.csv", DataCheck())


def test_a_payments_export_whose_rows_carry_a_period_is_read():
    # the user mapped an interval: each payment is then a price per that interval (not refused)
    raw = payments_raw().assign(Interval=["month", "year", "month"])
    typed = frame([{"customer_id": "cus_A", "start": "2024-04-03", "amount": 49.0, "interval": "month"}])
    out = billing_frame(typed, raw.iloc[:1], {"interval": "Interval"}, None, "p.csv", DataCheck())
    assert list(out.columns) == ["customer_id", "start", "amount", "interval"]


def test_equal_amounts_a_month_apart_without_any_period_are_refused_as_payments():
    # no payments headers, but cus_A pays 49 on 3 Apr and 3 Jun and nothing gives a period: read as
    # subscriptions, June would hold two never-ending 49s (the reviewer's 1,348 for 248)
    b = frame([{"customer_id": "cus_A", "start": "2024-04-03", "amount": 49.0},
               {"customer_id": "cus_B", "start": "2024-04-10", "amount": 1200.0},
               {"customer_id": "cus_A", "start": "2024-06-03", "amount": 49.0}])
    with pytest.raises(InvalidInput, match=r"customer cus_A two rows of 49 starting 2024-04-03 \(row 2\) and "
                                           r"2024-06-03 \(row 4\).*look like payments"):
        mrr_table(b, as_of="2024-06-30")


def test_a_plain_subscription_list_without_interval_is_read_as_monthly_prices_and_said():
    # one row per subscription, two different subscriptions of one customer: monthly prices, 49 + 10 = 59
    check = DataCheck()
    b = frame([{"customer_id": "cus_A", "start": "2024-04-03", "amount": 49.0},
               {"customer_id": "cus_A", "start": "2024-05-03", "amount": 10.0}])
    t = mrr_table(b, as_of="2024-05-31", check=check)
    assert month_totals(t) == {"2024-04": 49.0, "2024-05": 59.0}
    assert codes(check)["interval_absent"].fields == {"count": 2}


# --------------------------------------------------------------------------- G19: one-time charges


def pc2_rows() -> list[dict]:
    # Chargebee PC 2.0: one row per subscription item; P1/k1 plan 99, addon 3 x 10, charge 500 (onboarding fee)
    base = {"customer_id": "k1", "start": "2024-01-01", "interval": "month", "interval_count": 1.0,
            "status": "active", "current_period_end": "2024-07-01", "billed_at": "2024-06-01"}
    return [{**base, "plan": "growth-USD-Monthly", "line_type": "plan", "quantity": 1.0, "amount": 99.0},
            {**base, "plan": "extra-seats-USD-Monthly", "line_type": "addon", "quantity": 3.0, "amount": 10.0},
            {**base, "plan": "onboarding-fee-USD", "line_type": "charge", "quantity": 1.0, "amount": 500.0},
            {"customer_id": "k2", "start": "2024-03-15", "interval": "year", "interval_count": 1.0, "status": "active",
             "current_period_end": "2025-03-15", "billed_at": "2024-03-15", "plan": "growth-USD-Yearly",
             "line_type": "plan", "quantity": 1.0, "amount": 990.0}]


def test_a_chargebee_one_time_charge_is_left_out_with_its_amount():
    check = DataCheck()
    t = mrr_table(frame(pc2_rows()), as_of="2024-06-10", check=check)
    # May: k1 = 99 + 3 x 10 = 129 (the 500 charge is one-time), k2 = 990 / 12 = 82.5 -> 211.5 (reviewer: 712 shown)
    assert month_totals(t)["2024-05"] == 211.5
    assert month_totals(t)["2024-02"] == 129.0
    f = codes(check)["billing_one_time"]
    assert f.level == "info" and f.fields == {"count": 1, "amount": "500.00", "first": "row 4", "row": "4"}
    assert "invoice_one_time" not in codes(check)


def test_the_item_type_column_is_picked_up_from_the_export():
    raw = pd.DataFrame({"subscriptions.id": ["P1", "P1"], "subscription_items.item_type": ["plan", "charge"]},
                       index=[2, 3], dtype=object)
    typed = frame([{"customer_id": "k1", "start": "2024-01-01", "amount": 99.0},
                   {"customer_id": "k1", "start": "2024-01-01", "amount": 500.0}])
    out = billing_frame(typed, raw, {"subscription_id": "subscriptions.id"}, "chargebee", "cb.csv", DataCheck())
    assert out["line_type"].tolist() == ["plan", "charge"]


def test_an_unknown_item_type_is_an_error_naming_its_row():
    rows = pc2_rows()
    rows[1]["line_type"] = "bundle"
    with pytest.raises(InvalidInput, match=r"line_type has 'bundle' in row 3.*plan, addon, charge"):
        mrr_table(frame(rows), as_of="2024-06-10")


# --------------------------------------------------------------------------- G10: cents by header


@pytest.mark.parametrize("header, says", [
    ("unit_amount_in_cents", True), ("amount_in_cents", True), ("Amount (cents)", True), ("MRR (minor units)", True),
    ("amountCents", True), ("Amount", False), ("discount_percents", False), ("Percent Off", False)])
def test_cents_header(header, says):
    assert cents_header(header) is says


def test_amounts_under_a_cents_header_are_divided_by_the_currencys_minor_units():
    # Recurly unit_amount_in_cents: 120000 USD cents = 1,200.00; JPY has no minor unit (2900 yen); KWD has 3
    typed = {"amount": np.array([120000.0, 2900.0, 30000.0]), "currency": np.array(["USD", "jpy", "KWD"], dtype=object)}
    check = DataCheck()
    money_in_cents(BILLING, typed, {"amount": "unit_amount_in_cents", "currency": "currency"}, None, "r.csv", check)
    assert typed["amount"].tolist() == [1200.0, 2900.0, 30.0]
    f = codes(check)["amount_in_cents"]
    assert f.level == "info" and f.fields == {"columns": "unit_amount_in_cents"}


def test_no_division_without_a_cents_header_or_when_the_profile_reads_minor_units():
    for headers, profile in (({"amount": "Amount"}, None), ({"amount": "unit_amount_in_cents"}, "paddle")):
        typed = {"amount": np.array([2900.0])}
        check = DataCheck()
        money_in_cents(BILLING, typed, headers, profile, "r.csv", check)
        assert typed["amount"].tolist() == [2900.0] and not list(check)


def test_recurly_cents_give_the_hand_computed_mrr():
    # acct-1 120000 cents a year = 1,200 / 12 = 100; acct-2 2 x 29 = 58; acct-4 300 a quarter = 100 -> May 258
    typed = {"amount": np.array([120000.0, 2900.0, 30000.0])}
    money_in_cents(BILLING, typed, {"amount": "unit_amount_in_cents"}, None, "r.csv", None)
    b = frame([{"customer_id": "acct-1", "start": "2024-01-10", "interval": "months", "interval_count": 12.0},
               {"customer_id": "acct-2", "start": "2024-02-01", "interval": "months", "interval_count": 1.0,
                "quantity": 2.0},
               {"customer_id": "acct-4", "start": "2024-03-01", "interval": "months", "interval_count": 3.0}])
    b["amount"] = typed["amount"]
    assert month_totals(mrr_table(b, as_of="2024-06-10"))["2024-05"] == 258.0


# --------------------------------------------------------------------------- G4: Stripe invoices


def stripe_invoices(void="void") -> pd.DataFrame:
    # Stripe invoices as the stripe_invoices profile maps them: start/end = Period Start/End, amount = Subtotal,
    # discount_amount = Total Discount Amount, billed_at = Date, interval "period" (the profile's fixed column)
    rows = [("cus_A", "paid", "2024-04-03", "2024-05-03", 49.0, 0.0),
            ("cus_B", "paid", "2024-04-10", "2025-04-10", 1200.0, 0.0),
            ("cus_A", "paid", "2024-05-03", "2024-06-03", 49.0, 0.0),
            ("cus_C", "paid", "2024-05-05", "2024-06-05", 99.0, 0.0),
            ("cus_A", "paid", "2024-06-03", "2024-07-03", 49.0, 24.5),
            ("cus_C", void, "2024-06-05", "2024-07-05", 99.0, 0.0),
            ("cus_C", "paid", "2024-06-05", "2024-07-05", 99.0, 0.0)]
    billed = ["2024-04-03", "2024-04-10", "2024-05-03", "2024-05-05", "2024-06-03", "2024-06-05", "2024-06-06"]
    return frame([{"customer_id": c, "status": s, "start": a, "end": e, "amount": x, "discount_amount": d,
                   "billed_at": bd, "interval": "period"} for (c, s, a, e, x, d), bd in zip(rows, billed)])


@pytest.mark.parametrize("status", ["void", "uncollectible"])
def test_stripe_invoices_are_sized_by_their_period_and_a_void_invoice_never_counts(status):
    check = DataCheck()
    t = mrr_table(stripe_invoices(status), check=check)
    # as_of = the last invoice date, 6 June. May: A 49 + B 1,200 / 12 = 100 + C 99 = 248;
    # June (to 6 June): A 49 - 24.5 = 24.5 + B 100 + C 99 (the void copy not counted) = 223.5
    assert month_totals(t) == {"2024-04": 149.0, "2024-05": 248.0, "2024-06": 223.5}
    assert t.attrs["as_of"] == pd.Timestamp("2024-06-06")
    assert codes(check)["invoice_canceled"].fields == {"count": 1, "first": "row 7"}


def test_an_open_invoice_counts_and_a_draft_does_not():
    b = stripe_invoices("paid")
    b["status"] = ["paid", "open", "paid", "paid", "paid", "draft", "paid"]
    t = mrr_table(b)
    # B's open (issued, awaiting payment) invoice still counts: June = 24.5 + 100 + 99 = 223.5
    assert month_totals(t)["2024-06"] == 223.5


def test_stripe_invoice_periods_that_look_back_are_refused():
    # Stripe's invoice-level period of a subscription invoice ends on the invoice date (the period before it)
    b = stripe_invoices("paid")
    b["end"], b["start"] = b["start"], b["start"] - pd.DateOffset(months=1)
    b["billed_at"] = b["end"]
    with pytest.raises(ExportError, match=r"inv\.csv: Period End is the invoice's own date in 7 of 7 invoices "
                                          r"\(first at row 2\).*invoice line items"):
        billing_frame(b, pd.DataFrame(index=b.index), {}, "stripe_invoices", "inv.csv", DataCheck())


def test_a_stripe_invoices_profile_is_registered_through_billing_profiles():
    from xl_cskpi.exports import profiles as P
    from xl_cskpi.exports.billing_profiles import billing_profiles

    inv, recurly = billing_profiles(P.Profile)
    headers = {P.normalise(h) for h in ["id", "Number", "Customer", "Status", "Date (UTC)", "Amount Due", "Subtotal",
                                        "Total Discount Amount", "Period Start (UTC)", "Period End (UTC)"]}
    assert inv.signature_in(headers) and not recurly.signature_in(headers)
    assert inv.rows == "invoices" and inv.fixed["Billing"]["interval"][1] == "period"
    assert recurly.fields["Billing"]["amount"][0] == "unit_amount_in_cents"


# --------------------------------------------------------------------------- G1: pauses


def chargebee_pause(resume="2024-09-01") -> pd.DataFrame:
    base = {"interval": "month", "interval_count": 1.0}
    return frame([
        {**base, "customer_id": "c1", "start": "2024-01-01", "amount": 59.0, "status": "active",
         "billed_at": "2024-06-01", "current_period_end": "2024-07-01"},
        {**base, "customer_id": "c2", "start": "2024-01-01", "amount": 59.0, "status": "paused",
         "billed_at": "2024-02-01", "current_period_end": "2024-03-01", "pause_date": "2024-03-01",
         "resume_date": resume},
        {**base, "customer_id": "c3", "start": "2024-01-10", "amount": 99.0, "status": "active",
         "billed_at": "2024-06-10", "current_period_end": "2024-07-10"},
        {**base, "customer_id": "c4", "start": "2024-02-05", "amount": 59.0, "quantity": 2.0, "status": "active",
         "billed_at": "2024-06-05", "current_period_end": "2024-07-05"}])


def test_a_paused_subscription_pays_nothing_from_its_pause_date():
    check = DataCheck()
    t = mrr_table(chargebee_pause(), check=check)
    totals = month_totals(t)
    # c2 pays January and February, paused 1 March to 1 September: May = 59 + 99 + 2 x 59 = 276 (shown 335 before)
    assert totals["2024-02"] == 59 + 99 + 118 + 59 and totals["2024-03"] == 276.0 and totals["2024-05"] == 276.0
    f = codes(check)["subscription_paused"]
    assert f.fields == {"count": 1, "first": "row 3", "row": "3", "pause": "2024-03-01", "resume": "2024-09-01"}
    assert "subscription_stopped" not in codes(check)   # the pause date is known: not the as_of rule


def test_a_pause_that_has_ended_pays_again_from_the_resume_date():
    b = chargebee_pause(resume="2024-05-01")
    b["status"] = "active"
    t = mrr_table(b)
    c2 = sorted(m.strftime("%Y-%m") for m in t[t["customer_id"] == "c2"]["month"])
    # paused in March and April (snapshots 31 Mar, 30 Apr), paying again on 31 May and in June
    assert c2 == ["2024-01", "2024-02", "2024-05", "2024-06"]


def test_the_pause_columns_are_read_and_no_longer_said_to_be_ignored():
    raw = pd.DataFrame({"subscriptions.id": ["S2"], "subscriptions.pause_date": ["2024-03-01"],
                        "subscriptions.resume_date": ["2024-09-01"], "customers.email": ["b@x.com"]}, index=[3],
                       dtype=object)
    check = DataCheck()
    for h in ("subscriptions.pause_date", "subscriptions.resume_date", "customers.email"):
        check.info("column_ignored", f"column {h!r} feeds no field of Billing; ignored", file="cb.csv", table="Billing",
                   column=h, fields={"column": h, "table": "Billing"})
    typed = frame([{"customer_id": "c2", "start": "2024-01-01", "amount": 59.0}], index=[3])
    out = billing_frame(typed, raw, {"subscription_id": "subscriptions.id"}, "chargebee", "cb.csv", check)
    assert out["pause_date"].tolist() == ["2024-03-01"] and out["resume_date"].tolist() == ["2024-09-01"]
    assert [f.column for f in check] == ["customers.email"]


def test_a_paused_status_without_a_pause_date_keeps_the_as_of_rule():
    b = chargebee_pause().drop(columns=["pause_date", "resume_date"])
    check = DataCheck()
    mrr_table(b, check=check)
    assert "subscription_stopped" in codes(check)


# --------------------------------------------------------------------------- G2: coupons


def test_a_coupon_that_states_its_discount_is_deducted_and_one_that_does_not_is_warned():
    raw = pd.DataFrame({"id": ["sub_A1", "sub_B1", "sub_C1"], "Coupon": ["25% off", "HALFOFF", None]},
                       index=[2, 3, 4], dtype=object)
    typed = frame([{"customer_id": "cus_A", "start": "2024-01-03", "amount": 49.0, "interval": "month"},
                   {"customer_id": "cus_B", "start": "2024-01-03", "amount": 49.0, "interval": "month"},
                   {"customer_id": "cus_C", "start": "2024-01-03", "amount": 99.0, "interval": "month"}])
    check = DataCheck()
    out = billing_frame(typed, raw, {"subscription_id": "id"}, "stripe", "subs.csv", check)
    assert out["discount_percent"].tolist()[0] == 25.0 and np.isnan(out["discount_percent"].tolist()[1])
    f = codes(check)
    assert f["coupon_applied"].fields == {"count": 1, "column": "Coupon", "first": "row 2", "row": "2",
                                          "coupon": "25% off"}
    assert f["coupon_not_applied"].level == "warning"
    assert f["coupon_not_applied"].fields == {"count": 1, "column": "Coupon", "first": "row 3", "row": "3",
                                              "coupon": "HALFOFF"}
    # 49 x 0.75 = 36.75 + 49 (HALFOFF: before the discount, warned) + 99 = 184.75 (ChartMogul: coupons deducted)
    assert month_totals(mrr_table(out, as_of="2024-05-31"))["2024-05"] == 184.75


def test_a_coupon_already_netted_by_a_discount_column_is_not_warned():
    raw = pd.DataFrame({"Coupon": ["HALFOFF"]}, index=[2], dtype=object)
    typed = frame([{"customer_id": "cus_A", "start": "2024-01-03", "amount": 49.0, "discount_percent": 50.0}])
    check = DataCheck()
    billing_frame(typed, raw, {}, "stripe", "subs.csv", check)
    assert not list(check)


@pytest.mark.parametrize("text, read", [("50%", ("percent", 50.0)), ("20 percent off", ("percent", 20.0)),
                                        ("$10 off", ("amount", 10.0)), ("12,5 % off", ("percent", 12.5)),
                                        ("HALFOFF", None), ("SUMMER24", None), ("", None), (None, None)])
def test_coupon_discount(text, read):
    assert coupon_discount(text) == read


# --------------------------------------------------------------------------- G11: as_of is the last event


def recurly_rows() -> pd.DataFrame:
    base = {"interval": "months"}
    return frame([
        {**base, "customer_id": "acct-1", "start": "2024-01-10", "amount": 1200.0, "interval_count": 12.0,
         "status": "active", "current_period_end": "2025-01-10"},
        {**base, "customer_id": "acct-2", "start": "2024-02-01", "amount": 29.0, "quantity": 2.0, "interval_count": 1.0,
         "status": "active", "current_period_end": "2024-07-01"},
        {**base, "customer_id": "acct-3", "start": "2024-01-15", "end": "2024-04-15", "amount": 29.0,
         "interval_count": 1.0, "status": "expired", "current_period_end": "2024-04-15"},
        {**base, "customer_id": "acct-4", "start": "2024-03-01", "end": "2024-09-01", "amount": 300.0,
         "interval_count": 3.0, "status": "canceled", "current_period_end": "2024-09-01"},
        {**base, "customer_id": "acct-5", "start": "2024-06-10", "amount": 29.0, "interval_count": 1.0,
         "status": "in_trial", "trial_end": "2024-06-24", "current_period_end": "2024-06-24"}])


def test_a_future_expiry_is_not_the_exports_last_event():
    check = DataCheck()
    t = mrr_table(recurly_rows(), check=check)
    # the export was taken before 24 June (acct-5's trial, still running, ends then): acct-4's 1 Sep expiry
    # is scheduled; the last event is acct-5's start on 10 June (the reviewer: month shown 2024-08 before)
    assert t.attrs["as_of"] == pd.Timestamp("2024-06-10")
    assert max(month_totals(t)) == "2024-06" and month_totals(t)["2024-05"] == 258.0
    f = codes(check)["end_scheduled"]
    assert f.fields == {"count": 1, "bound": "2024-06-24", "first": "row 5", "row": "5", "end": "2024-09-01",
                        "as_of": "2024-06-10"}


def test_an_end_in_the_past_of_an_export_without_running_subscriptions_is_still_an_event():
    # everyone ended (Stripe: canceled at period end, Ended At = Current Period End): no running subscription
    # bounds the export date, so the last end is the last event and its churn is shown
    b = frame([{"customer_id": "a", "start": "2024-01-05", "end": "2024-04-05", "amount": 10.0, "interval": "month",
                "status": "canceled", "current_period_end": "2024-04-05"},
               {"customer_id": "b", "start": "2024-02-01", "end": "2024-05-01", "amount": 20.0, "interval": "month",
                "status": "canceled", "current_period_end": "2024-05-01"}])
    t = mrr_table(b)
    assert t.attrs["as_of"] == pd.Timestamp("2024-05-01")
    assert month_totals(t) == {"2024-01": 10.0, "2024-02": 30.0, "2024-03": 30.0, "2024-04": 20.0, "2024-05": 0.0}


def test_an_invoices_export_read_as_customer_month_mrr_is_refused():
    # the reviewer followed an old hint: --map mrr="Amount Due" on a Stripe invoices export (G4: NRR 150 % for 90 %)
    from xl_cskpi.exports.billing_kinds import export_checks
    from xl_cskpi.reports.specs.tables import SUBSCRIPTIONS

    raw = pd.DataFrame(columns=["id", "Customer", "Status", "Date (UTC)", "Amount Due", "Subtotal", "Period Start (UTC)",
                                "Period End (UTC)"])
    typed = {"customer_id": np.array([], dtype=object), "mrr": np.array([])}
    with pytest.raises(ExportError, match=r"si\.csv: an invoices export \(columns Period Start \(UTC\), Period End "
                                          r"\(UTC\), Amount Due\) read as customer-month MRR.*Leave out --map mrr"):
        export_checks(SUBSCRIPTIONS, typed, raw, {"mrr": "Amount Due"}, None, "si.csv", DataCheck())
    # a customer-month file (month, mrr) passes, and so does the same invoices file as Billing
    export_checks(SUBSCRIPTIONS, typed, pd.DataFrame(columns=["customer_id", "month", "mrr"]), {}, None, "m.csv", None)
    export_checks(BILLING, {"amount": np.array([49.0])}, raw, {"amount": "Subtotal"}, "stripe_invoices", "si.csv", None)


# --------------------------------------------------------------------------- the export's own MRR (Chargebee)


def test_the_exports_own_mrr_agrees_per_subscription_over_its_item_rows():
    # PC 2.0: P1's rows plan 99 + addon 3 x 10 (+ the one-time 500, not MRR) = 129 = Chargebee's subscriptions.mrr
    rows = pc2_rows()
    for r in rows[:3]:
        r.update(subscription_id="P1", vendor_mrr=129.0)
    rows[3].update(subscription_id="P2", vendor_mrr=82.5)
    check = DataCheck()
    mrr_table(frame(rows), as_of="2024-06-10", check=check)
    assert "vendor_mrr_differs" not in codes(check)


def test_an_mrr_that_differs_from_the_exports_own_is_warned():
    # Chargebee PC 1.0: plan_unit_price 59, but an addon of 30 makes Chargebee's own mrr 89; c2 agrees (0 paused)
    b = chargebee_pause()
    b["subscription_id"] = ["S1", "S2", "S3", "S4"]
    b["vendor_mrr"] = [89.0, 0.0, 99.0, 118.0]
    b.attrs["vendor_mrr_column"] = "subscriptions.mrr"
    check = DataCheck()
    mrr_table(b, check=check)
    f = codes(check)["vendor_mrr_differs"]
    assert f.level == "warning"
    assert f.fields == {"count": 1, "as_of": "2024-06-10", "column": "subscriptions.mrr", "first": "row 2", "row": "2",
                        "ours": "59.00", "theirs": "89.00"}


def test_the_chargebee_mrr_column_is_picked_up():
    raw = pd.DataFrame({"subscriptions.id": ["S1"], "subscriptions.mrr": ["59.00"]}, index=[2], dtype=object)
    typed = frame([{"customer_id": "c1", "start": "2024-01-01", "amount": 59.0}])
    out = billing_frame(typed, raw, {"subscription_id": "subscriptions.id"}, "chargebee", "cb.csv", DataCheck())
    assert out["vendor_mrr"].tolist() == ["59.00"] and out.attrs["vendor_mrr_column"] == "subscriptions.mrr"


def test_a_stripe_plan_change_after_the_start_is_said():
    # Stripe's Start (UTC) = when the current plan configuration started: cus_B upgraded on 10 May 2024, so
    # February-April are shown at today's price (reviewer's G2, related)
    raw = pd.DataFrame({"id": ["sub_A1", "sub_B1"], "Start (UTC)": ["2024-01-03 09:12", "2024-05-10 14:00"],
                        "Start Date (UTC)": ["2024-01-03 09:12", "2024-02-10 14:00"]}, index=[2, 3], dtype=object)
    typed = frame([{"customer_id": "cus_A", "start": "2024-01-03 09:12", "amount": 49.0},
                   {"customer_id": "cus_B", "start": "2024-02-10 14:00", "amount": 2400.0}])
    check = DataCheck()
    billing_frame(typed, raw, {"start": "Start Date (UTC)", "subscription_id": "id"}, "stripe", "s.csv", check)
    f = codes(check)["plan_changed"]
    assert f.level == "info"
    assert f.fields == {"count": 1, "column": "Start (UTC)", "row": "3", "changed": "2024-05-10"}


def test_a_pause_date_without_a_resume_column_is_still_paused():
    # Paddle Billing subscriptions (developer.paddle.com/api-reference/subscriptions: paused_at), the reviewer's
    # paddle_paused.csv: sub_p2 (30 a month) paused on 10 March, no resume column (crashed with a TypeError first)
    raw = pd.DataFrame({"id": ["sub_p1", "sub_p2", "sub_p3"], "paused_at": [None, "2024-03-10T10:00:00Z", None]},
                       index=[2, 3, 4], dtype=object)
    typed = frame([{"customer_id": "ctm_1", "start": "2024-01-05", "amount": 30.0, "status": "active",
                    "interval": "month", "billed_at": "2024-06-05", "current_period_end": "2024-07-05"},
                   {"customer_id": "ctm_2", "start": "2024-01-10", "amount": 30.0, "status": "paused",
                    "interval": "month"},
                   {"customer_id": "ctm_3", "start": "2024-02-01", "amount": 50.0, "status": "active",
                    "interval": "month", "billed_at": "2024-06-01", "current_period_end": "2024-07-01"}])
    check = DataCheck()
    t = mrr_table(billing_frame(typed, raw, {"subscription_id": "id"}, "paddle", "p.csv", check), check=check)
    # May: ctm_1 30 + ctm_3 50 = 80 (shown 110); February still has ctm_2: 30 + 30 + 50 = 110
    assert month_totals(t)["2024-05"] == 80.0 and month_totals(t)["2024-02"] == 110.0
    assert codes(check)["subscription_paused"].fields["resume"] == "-"
