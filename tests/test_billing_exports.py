"""Billing exports through the report pipeline (reports.fill.load_data), shaped as the reviewer's s5 files
(/tmp/r5/in: stripe_payments_paid.csv, chargebee_pc2.csv, recurly_subs.csv, stripe_invoices.csv,
chargebee_pause.csv, stripe_coupon.csv), column names as each tool writes them (sources in
tests/test_billing_kinds.py). Needs the hooks of /work/notes/s5/requests/B.md 1-2 (fill._table calls
exports.billing_kinds; profiles registers exports.billing_profiles and Chargebee PC 2.0's item columns).
Expected MRR by hand in each test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from xl_cskpi.exports.check import ExportError, ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.fill import load_data

R = reports()


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def revenue(path: Path, **columns: str):
    tables, check = load_data(R["revenue"], [path], ReadOptions(columns=dict(columns)))
    subs = tables["Subscriptions"]
    totals = {pd.Timestamp(m).strftime("%Y-%m"): round(float(v), 4) for m, v in subs.groupby("month")["mrr"].sum().items()}
    return totals, subs, {f.code: f for f in check}


def test_stripe_payments_export_is_refused(tmp_path):
    p = write(tmp_path, "stripe_payments_paid.csv",
              "id,Description,Seller Message,Created (UTC),Amount,Amount Refunded,Currency,Converted Amount,"
              "Converted Amount Refunded,Fee,Tax,Converted Currency,Status,Mode,Statement Descriptor,Customer ID,"
              "Customer Description,Customer Email,Captured,Card ID,Invoice ID,Transfer\n"
              "ch_1,Subscription update,Payment complete.,2024-04-03 09:12,49.00,0.00,usd,49.00,0.00,1.72,0,usd,Paid,"
              "Live,ACME,cus_A,,a@x.com,true,card_1,in_1,\n"
              "ch_2,Subscription creation,Payment complete.,2024-04-10 14:00,1200.00,0.00,usd,1200.00,0.00,35.10,0,usd,"
              "Paid,Live,ACME,cus_B,,b@x.com,true,card_2,in_2,\n"
              "ch_3,Subscription update,Payment complete.,2024-05-03 09:12,49.00,49.00,usd,49.00,49.00,1.72,0,usd,"
              "Refunded,Live,ACME,cus_A,,a@x.com,true,card_1,in_3,\n")
    # refused before its statuses are read (Refunded is no subscription status): the export to give is named
    with pytest.raises(ExportError, match=r"this is a payments \(charges\) export.*Billing > Subscriptions"):
        load_data(R["revenue"], [p], ReadOptions())


def test_chargebee_product_catalog_2_one_time_charge(tmp_path):
    p = write(tmp_path, "chargebee_pc2.csv",
              "subscriptions.id,subscriptions.customer_id,subscriptions.status,subscriptions.currency_code,"
              "subscriptions.billing_period,subscriptions.billing_period_unit,subscriptions.current_term_start,"
              "subscriptions.current_term_end,subscriptions.started_at,subscriptions.activated_at,"
              "subscriptions.cancelled_at,subscription_items.item_price_id,subscription_items.item_type,"
              "subscription_items.quantity,subscription_items.unit_price,subscription_items.amount\n"
              "P1,k1,active,USD,1,month,2024-06-01,2024-07-01,2024-01-01,2024-01-01,,growth-USD-Monthly,plan,1,99.00,99.00\n"
              "P1,k1,active,USD,1,month,2024-06-01,2024-07-01,2024-01-01,2024-01-01,,extra-seats-USD-Monthly,addon,3,"
              "10.00,30.00\n"
              "P1,k1,active,USD,1,month,2024-06-01,2024-07-01,2024-01-01,2024-01-01,,onboarding-fee-USD,charge,1,500.00,"
              "500.00\n"
              "P2,k2,active,USD,1,year,2024-03-15,2025-03-15,2024-03-15,2024-03-15,,growth-USD-Yearly,plan,1,990.00,"
              "990.00\n")
    totals, _, codes = revenue(p)
    # May: k1 99 + 3 x 10 = 129, k2 990 / 12 = 82.5 -> 211.5 (the reviewer was shown 712)
    assert totals["2024-05"] == 211.5
    assert codes["billing_one_time"].fields["amount"] == "500.00"


def test_recurly_cents_and_a_future_expiry(tmp_path):
    p = write(tmp_path, "recurly_subs.csv",
              "account_code,uuid,plan_code,plan_name,state,quantity,unit_amount_in_cents,currency,activated_at,"
              "canceled_at,expires_at,current_period_started_at,current_period_ends_at,trial_started_at,trial_ends_at,"
              "plan_interval_length,plan_interval_unit\n"
              "acct-1,5a1,gold-annual,Gold Annual,active,1,120000,USD,2024-01-10T10:00:00Z,,,2024-01-10T10:00:00Z,"
              "2025-01-10T10:00:00Z,,,12,months\n"
              "acct-2,5a2,silver-monthly,Silver Monthly,active,2,2900,USD,2024-02-01T10:00:00Z,,,2024-06-01T10:00:00Z,"
              "2024-07-01T10:00:00Z,,,1,months\n"
              "acct-3,5a3,silver-monthly,Silver Monthly,expired,1,2900,USD,2024-01-15T10:00:00Z,2024-03-20T10:00:00Z,"
              "2024-04-15T10:00:00Z,2024-03-15T10:00:00Z,2024-04-15T10:00:00Z,,,1,months\n"
              "acct-4,5a4,gold-quarterly,Gold Quarterly,canceled,1,30000,USD,2024-03-01T10:00:00Z,2024-05-02T10:00:00Z,"
              "2024-09-01T10:00:00Z,2024-06-01T10:00:00Z,2024-09-01T10:00:00Z,,,3,months\n"
              "acct-5,5a5,silver-monthly,Silver Monthly,in_trial,1,2900,USD,2024-06-10T10:00:00Z,,,2024-06-10T10:00:00Z,"
              "2024-06-24T10:00:00Z,2024-06-10T10:00:00Z,2024-06-24T10:00:00Z,1,months\n")
    totals, subs, codes = revenue(p)
    # 120000 cents a year = 100 a month; 2 x 29 = 58; 300 a quarter = 100 -> May 258 (shown 25,800); the months
    # end with June (the last event: acct-5's start, 10 June), not September (acct-4's scheduled expiry)
    assert totals["2024-05"] == 258.0 and max(totals) == "2024-06"
    assert subs.attrs["as_of"] == pd.Timestamp("2024-06-10")
    assert {"amount_in_cents", "end_scheduled"} <= set(codes)


INVOICES = ("id,Number,Customer,Customer Name,Customer Email,Billing,Status,Date (UTC),Due Date (UTC),Currency,Amount Due,"
            "Amount Paid,Amount Remaining,Attempt Count,Attempted,Closed,Subscription,Subtotal,Total Discount Amount,"
            "Applied Coupons,Tax,Total,Period Start (UTC),Period End (UTC),Paid\n"
            "in_1,A-0001,cus_A,A Co,a@x.com,charge_automatically,paid,2024-04-03 09:12,,usd,49.00,49.00,0.00,1,true,true,"
            "sub_A1,49.00,0.00,,0.00,49.00,2024-04-03 09:12,2024-05-03 09:12,true\n"
            "in_2,B-0001,cus_B,B Co,b@x.com,charge_automatically,paid,2024-04-10 14:00,,usd,1200.00,1200.00,0.00,1,true,"
            "true,sub_B1,1200.00,0.00,,0.00,1200.00,2024-04-10 14:00,2025-04-10 14:00,true\n"
            "in_3,A-0002,cus_A,A Co,a@x.com,charge_automatically,paid,2024-05-03 09:12,,usd,49.00,49.00,0.00,1,true,true,"
            "sub_A1,49.00,0.00,,0.00,49.00,2024-05-03 09:12,2024-06-03 09:12,true\n"
            "in_4,C-0001,cus_C,C Co,c@x.com,charge_automatically,paid,2024-05-05 09:12,,usd,99.00,99.00,0.00,2,true,true,"
            "sub_C1,99.00,0.00,,0.00,99.00,2024-05-05 09:12,2024-06-05 09:12,true\n"
            "in_5,A-0003,cus_A,A Co,a@x.com,charge_automatically,paid,2024-06-03 09:12,,usd,24.50,24.50,0.00,1,true,true,"
            "sub_A1,49.00,24.50,HALFOFF,0.00,24.50,2024-06-03 09:12,2024-07-03 09:12,true\n"
            "in_6,C-0002,cus_C,C Co,c@x.com,charge_automatically,void,2024-06-05 09:12,,usd,99.00,0.00,99.00,1,true,true,"
            "sub_C1,99.00,0.00,,0.00,99.00,2024-06-05 09:12,2024-07-05 09:12,false\n"
            "in_7,C-0003,cus_C,C Co,c@x.com,charge_automatically,paid,2024-06-06 09:12,,usd,99.00,99.00,0.00,1,true,true,"
            "sub_C1,99.00,0.00,,0.00,99.00,2024-06-05 09:12,2024-07-05 09:12,true\n")


def test_stripe_invoices_export(tmp_path):
    p = write(tmp_path, "stripe_invoices.csv", INVOICES)
    totals, subs, codes = revenue(p)
    # B's annual 1,200 is 100 a month (not one month of 1,200, then churned); C's void invoice never counts;
    # A's June invoice is 49 - 24.5: May 49 + 100 + 99 = 248, June (to 6 June) 24.5 + 100 + 99 = 223.5
    assert totals == {"2024-04": 149.0, "2024-05": 248.0, "2024-06": 223.5}
    assert codes["profile_detected"].fields["profile"] == "stripe_invoices"
    assert codes["invoice_canceled"].fields["count"] == 1


def test_stripe_invoices_read_as_customer_month_mrr_are_refused(tmp_path):
    p = write(tmp_path, "stripe_invoices.csv", INVOICES)
    with pytest.raises(ExportError, match=r"an invoices export .* read as customer-month MRR"):
        load_data(R["revenue"], [p], ReadOptions(columns={"mrr": "Amount Due"}))


def test_chargebee_pause(tmp_path):
    p = write(tmp_path, "chargebee_pause.csv",
              "subscriptions.id,customers.id,customers.email,subscriptions.plan_id,subscriptions.plan_quantity,"
              "subscriptions.plan_unit_price,subscriptions.plan_amount,subscriptions.currency_code,"
              "subscriptions.billing_period,subscriptions.billing_period_unit,subscriptions.status,"
              "subscriptions.current_term_start,subscriptions.current_term_end,subscriptions.started_at,"
              "subscriptions.pause_date,subscriptions.resume_date,subscriptions.cancelled_at,subscriptions.mrr\n"
              "S1,c1,a@x.com,startup-monthly,1,59.00,59.00,USD,1,month,active,2024-06-01,2024-07-01,2024-01-01,,,,59.00\n"
              "S2,c2,b@x.com,startup-monthly,1,59.00,59.00,USD,1,month,paused,2024-02-01,2024-03-01,2024-01-01,2024-03-01,"
              "2024-09-01,,0.00\n"
              "S3,c3,c@x.com,pro-monthly,1,99.00,99.00,USD,1,month,active,2024-06-10,2024-07-10,2024-01-10,,,,99.00\n"
              "S4,c4,d@x.com,startup-monthly,2,59.00,118.00,USD,1,month,active,2024-06-05,2024-07-05,2024-02-05,,,,118.00\n")
    totals, _, codes = revenue(p)
    # c2 paused from 1 March: May = 59 + 99 + 2 x 59 = 276 (shown 335 before); February still has c2: 335
    assert totals["2024-05"] == 276.0 and totals["2024-03"] == 276.0 and totals["2024-02"] == 335.0
    assert "subscription_paused" in codes and "subscription_stopped" not in codes


def test_stripe_coupon_is_warned_naming_the_column(tmp_path):
    p = write(tmp_path, "stripe_coupon.csv",
              "id,Customer ID,Plan,Quantity,Currency,Interval,Amount,Status,Created (UTC),Start Date (UTC),"
              "Current Period Start (UTC),Current Period End (UTC),Coupon,Cancel At Period End\n"
              "sub_A1,cus_A,price_basic_m,1,usd,month,49.00,active,2024-01-03 09:12,2024-01-03 09:12,2024-06-03 09:12,"
              "2024-07-03 09:12,HALFOFF,false\n"
              "sub_F1,cus_F,price_pro_m,1,usd,month,99.00,active,2024-01-05 10:00,2024-01-05 10:00,2024-06-05 10:00,"
              "2024-07-05 10:00,20% off,false\n")
    totals, _, codes = revenue(p)
    # HALFOFF states no discount: 49 before it, warned; "20% off" is applied: 99 x 0.8 = 79.2 -> May 128.2
    assert totals["2024-05"] == 128.2
    assert codes["coupon_not_applied"].fields["column"] == "Coupon"
    assert codes["coupon_applied"].fields["coupon"] == "20% off"
