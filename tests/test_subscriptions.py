"""Subscriptions to MRR (xl_cskpi.tables.subscriptions): hand-computed cases, an independent
day-by-day computation, the MRR bridge on the table, the derived tables, the Excel face, bad input.

Definitions checked:
* Stripe, "Billing analytics" (support.stripe.com/questions/billing-analytics): "an annual
  subscription for $1,200 only counts $100 towards your MRR"; trialing subscriptions do not count.
* ChartMogul, "Metric: MRR" (help.chartmogul.com/hc/en-us/articles/203299812): discounts deducted,
  then the amount divided by the months of the subscription period.
* ChartMogul, "Handling past-due subscriptions": past due counts until canceled.
* Recurly, "Does MRR prorate?": monthly MRR is the MRR on the last day of the month.
* Weekly x 52/12 and daily x 365/12 (the convention the module documents).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import jdatetime
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_cskpi import excel, mrr_movements, subscription_mrr
from xl_cskpi.errors import InvalidInput, KPIError, NotAvailable, OutOfRange, excel_error_text
from xl_cskpi.exports.check import DataCheck
from xl_cskpi.registry import REGISTRY
from xl_cskpi.tables.subscriptions import accounts, finance_base, monthly_counts, mrr_table

from xlwings_stubs import classic_xlwings, same_cells

T = pd.Timestamp


def billing(rows, **columns):
    """A typed Billing frame: rows are dicts; date columns become datetime64 (NaT for None)."""
    frame = pd.DataFrame(rows)
    for c in ("start", "end", "trial_end", "current_period_end"):
        if c in frame.columns:
            frame[c] = pd.to_datetime(frame[c])
    for c in ("amount", "quantity", "discount_percent", "discount_amount", "interval_count"):
        if c in frame.columns:
            frame[c] = frame[c].astype(float)
    return frame


def as_dict(table):
    """{(customer, 'YYYY-MM-DD'): mrr} of the rows with MRR > 0."""
    return {(r.customer_id, r.month.strftime("%Y-%m-%d")): r.mrr for r in table.itertuples() if r.mrr > 0}


def one(rows, as_of, **kw):
    return as_dict(mrr_table(billing(rows), as_of=as_of, **kw))


# --------------------------------------------------------------------------- hand-computed cases


def test_annual_plan_is_a_twelfth_a_month():
    # Stripe: annual 1,200 -> 100 a month
    got = one([{"customer_id": "a", "start": "2024-01-15", "amount": 1200, "interval": "year"}], "2024-03-31")
    assert got == {("a", "2024-01-01"): 100.0, ("a", "2024-02-01"): 100.0, ("a", "2024-03-01"): 100.0}


@pytest.mark.parametrize("interval, count, amount, monthly", [
    ("week", None, 10, 10 * 52 / 12),      # 43.33
    ("weekly", 2, 10, 10 * 52 / 12 / 2),   # every two weeks: 21.67
    ("day", None, 1, 365 / 12),            # 30.42
    ("quarter", None, 300, 100),
    ("month", 3, 300, 100),                # interval count 3 = a quarter
    ("3 months", None, 300, 100),
    ("Yearly", None, 1200, 100),
    ("سالانه", None, 1200, 100),           # Persian "yearly"
    ("شهري", None, 50, 50),                # Arabic "monthly"
    (None, None, 50, 50),                  # blank interval: monthly
])
def test_intervals_are_normalised_to_months(interval, count, amount, monthly):
    row = {"customer_id": "a", "start": "2024-01-01", "amount": amount, "interval": interval,
           "interval_count": count}
    got = one([row], "2024-01-31")
    assert got == {("a", "2024-01-01"): pytest.approx(monthly, rel=1e-12)}
    if interval == "week" and count is None:
        assert round(got[("a", "2024-01-01")], 2) == 43.33


def test_quantity_and_discounts():
    rows = [
        {"customer_id": "seats", "start": "2024-01-01", "amount": 20, "quantity": 3},              # 60
        {"customer_id": "pct", "start": "2024-01-01", "amount": 100, "discount_percent": 25},      # 75
        # percent first, then the amount off: 100 x 2 x 0.9 - 30 = 150 a quarter -> 50 a month
        {"customer_id": "both", "start": "2024-01-01", "amount": 100, "quantity": 2, "discount_percent": 10,
         "discount_amount": 30, "interval": "quarter"},
        {"customer_id": "free", "start": "2024-01-01", "amount": 100, "discount_percent": 100},    # 0: out
        {"customer_id": "over", "start": "2024-01-01", "amount": 10, "discount_amount": 15},       # floored 0
        {"customer_id": "zero", "start": "2024-01-01", "amount": 0},
        {"customer_id": "none", "start": "2024-01-01", "amount": 10, "quantity": 0},
    ]
    got = one(rows, "2024-01-31")
    assert got == {("seats", "2024-01-01"): 60.0, ("pct", "2024-01-01"): 75.0,
                   ("both", "2024-01-01"): pytest.approx(50.0)}


def test_trials_are_not_paying():
    rows = [
        # trial to 10 Feb: January's snapshot (31 Jan) is in the trial, February's is not
        {"customer_id": "a", "start": "2024-01-05", "trial_end": "2024-02-10", "amount": 30},
        # still trialing: never counted, whatever the dates
        {"customer_id": "b", "start": "2024-01-05", "amount": 30, "status": "trialing"},
        {"customer_id": "c", "start": "2024-01-05", "amount": 30, "status": "in_trial"},   # Chargebee
    ]
    got = one(rows, "2024-03-31")
    assert got == {("a", "2024-02-01"): 30.0, ("a", "2024-03-01"): 30.0}


def test_statuses():
    rows = [
        {"customer_id": "due", "start": "2024-01-01", "amount": 10, "status": "past_due"},    # counts
        {"customer_id": "due2", "start": "2024-01-01", "amount": 10, "status": "Past Due"},   # any case
        {"customer_id": "inc", "start": "2024-01-01", "amount": 10, "status": "incomplete"},  # never paid
        {"customer_id": "exp", "start": "2024-01-01", "amount": 10, "status": "incomplete_expired"},
        # unpaid with no end: not paying at the date of the export (counted before it)
        {"customer_id": "unp", "start": "2024-01-01", "amount": 10, "status": "unpaid"},
        # canceled without an end date: ends at its current period end
        {"customer_id": "can", "start": "2024-01-01", "amount": 10, "status": "cancelled",
         "current_period_end": "2024-02-01"},
        {"customer_id": "last", "start": "2024-03-10", "amount": 10, "status": "active"},
    ]
    got = one(rows, None)  # as_of: the latest start or end date = 10 March
    months = ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert got == {**{(c, m): 10.0 for c in ("due", "due2", "last") for m in months if (c, m) != ("last", months[0])
                      and (c, m) != ("last", months[1])},
                   ("unp", months[0]): 10.0, ("unp", months[1]): 10.0,
                   ("can", months[0]): 10.0}


def test_cancel_at_period_end_and_canceled_mid_month():
    rows = [
        # cancel at period end, no end date: paying to the current period end (10 March): Jan, Feb
        {"customer_id": "cape", "start": "2024-01-10", "amount": 10, "cancel_at_period_end": "TRUE",
         "current_period_end": "2024-03-10"},
        # the end column holds the cancellation request (20 Feb): the period end (10 Apr) wins
        {"customer_id": "req", "start": "2024-01-10", "amount": 10, "cancel_at_period_end": True,
         "end": "2024-02-20", "current_period_end": "2024-04-10"},
        # Chargebee non_renewing: the same rule
        {"customer_id": "nonren", "start": "2024-01-10", "amount": 10, "status": "non_renewing",
         "current_period_end": "2024-02-10"},
        # canceled on 15 March: not paying on 31 March
        {"customer_id": "mid", "start": "2024-01-10", "amount": 10, "end": "2024-03-15"},
        # ended on the last day of February: the end day is not paying (end is exclusive)
        {"customer_id": "edge", "start": "2024-01-31", "amount": 10, "end": "2024-02-29"},
        {"customer_id": "flag_false", "start": "2024-01-10", "amount": 10, "cancel_at_period_end": "no",
         "current_period_end": "2024-02-10"},
    ]
    got = one(rows, "2024-04-30")
    jan, feb, mar, apr = "2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"
    assert got == {
        ("cape", jan): 10.0, ("cape", feb): 10.0,
        ("req", jan): 10.0, ("req", feb): 10.0, ("req", mar): 10.0,
        ("nonren", jan): 10.0,
        ("mid", jan): 10.0, ("mid", feb): 10.0,
        ("edge", jan): 10.0,
        ("flag_false", jan): 10.0, ("flag_false", feb): 10.0, ("flag_false", mar): 10.0, ("flag_false", apr): 10.0,
    }


def test_two_subscriptions_of_one_customer_are_summed_and_reactivation():
    rows = [
        {"customer_id": "a", "plan": "Base", "start": "2024-01-01", "amount": 50, "end": "2024-03-05"},
        {"customer_id": "a", "plan": "Add-on", "start": "2024-02-01", "amount": 70, "end": "2024-03-05"},
        {"customer_id": "a", "plan": "Base", "start": "2024-05-02", "amount": 50},   # back in May
    ]
    t = mrr_table(billing(rows), as_of="2024-05-31")
    assert as_dict(t) == {("a", "2024-01-01"): 50.0, ("a", "2024-02-01"): 120.0, ("a", "2024-05-01"): 50.0}
    assert t["plan"].tolist() == ["Base", "Add-on", "Base"]  # the plan of the largest subscription
    m = mrr_movements(t["customer_id"], t["month"], t["mrr"])
    assert m["Month"].tolist() == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    assert m["Expansion MRR"].tolist() == [0, 70, 0, 0, 0]
    assert m["Churned MRR"].tolist() == [0, 0, 120, 0, 0]
    assert m["Reactivation MRR"].tolist() == [0, 0, 0, 0, 50]


def test_jalali_months():
    # 1 Mordad 1403 = 2024-07-22, 31 Mordad = 2024-08-21, 1 Shahrivar = 2024-08-22 (jdatetime)
    assert jdatetime.date(1403, 5, 31).togregorian() == dt.date(2024, 8, 21)
    rows = [
        {"customer_id": "a", "start": "2024-08-21", "amount": 10},                       # 31 Mordad: Mordad
        {"customer_id": "b", "start": "2024-08-22", "amount": 20, "end": "2024-09-21"},  # ends 31 Shahrivar
        {"customer_id": "c", "start": "2024-08-22", "amount": 30, "end": "2024-09-22"},  # ends 1 Mehr
    ]
    t = mrr_table(billing(rows), "jalali", as_of="2024-10-21")  # 30 Mehr 1403
    mordad, shahrivar, mehr = (jdatetime.date(1403, m, 1).togregorian().isoformat() for m in (5, 6, 7))
    assert as_dict(t) == {("a", mordad): 10.0, ("a", shahrivar): 10.0, ("a", mehr): 10.0,
                          ("c", shahrivar): 30.0}
    # the same months read back by MRR_MOVEMENTS in the same calendar
    m = mrr_movements(t["customer_id"], t["month"], t["mrr"], "jalali")
    assert m["Month"].tolist() == ["1403-05", "1403-06", "1403-07"]
    assert m["Churned MRR"].tolist() == [0, 0, 30]
    # the Gregorian calendar buckets the same rows differently: a and b, c start in August
    g = mrr_table(billing(rows), as_of="2024-10-21")
    assert as_dict(g)[("c", "2024-08-01")] == 30.0 and as_dict(g)[("b", "2024-08-01")] == 20.0


def test_hijri_months():
    rows = [{"customer_id": "a", "start": "2024-03-11", "amount": 10}]  # 1 Ramadan 1445 (Umm al-Qura)
    t = mrr_table(billing(rows), "hijri", as_of="2024-04-20")
    m = mrr_movements(t["customer_id"], t["month"], t["mrr"], "hijri")
    assert m["Month"].tolist() == ["1445-09", "1445-10"]


def test_as_of_default_and_the_month_that_holds_it():
    rows = [
        {"customer_id": "a", "start": "2024-01-10", "amount": 10},
        {"customer_id": "b", "start": "2024-01-10", "amount": 20, "end": "2024-03-12"},  # latest date
        {"customer_id": "c", "start": "2024-03-05", "amount": 40},
    ]
    t = mrr_table(billing(rows))
    assert t.attrs["as_of"] == T("2024-03-12")
    # March is measured on 12 March: b ended that day, so it is out; c started on the 5th, in
    assert as_dict(t) == {("a", "2024-01-01"): 10.0, ("a", "2024-02-01"): 10.0, ("a", "2024-03-01"): 10.0,
                          ("b", "2024-01-01"): 20.0, ("b", "2024-02-01"): 20.0, ("c", "2024-03-01"): 40.0}
    # a subscription starting after as_of is not counted yet
    later = mrr_table(billing(rows), as_of="2024-02-15")
    assert max(later["month"]) == T("2024-02-01") and "c" not in set(later["customer_id"])


def test_everyone_gone_the_table_still_reaches_as_of():
    rows = [{"customer_id": "a", "start": "2024-01-01", "amount": 10, "end": "2024-02-15"},
            {"customer_id": "b", "start": "2024-01-01", "amount": 5, "end": "2024-02-20"}]
    t = mrr_table(billing(rows), as_of="2024-04-30")
    # January paying; nobody pays in February to April: a 0 row in April keeps the span
    assert t[["customer_id", "mrr"]].values.tolist() == [["a", 10.0], ["a", 0.0], ["b", 5.0], ["b", 0.0]]
    assert t["month"].max() == T("2024-04-01")
    m = mrr_movements(t["customer_id"], t["month"], t["mrr"])
    assert m["Churned MRR"].tolist() == [0, 15, 0, 0] and m["Ending MRR"].tolist() == [15, 0, 0, 0]
    c = monthly_counts(t)
    assert c["customers_lost"].tolist() == [0, 2, 0, 0] and c["customers_end"].tolist() == [2, 0, 0, 0]


def test_open_ends_9999_and_object_columns():
    # cells as an export reader delivers them before typing: text and Python dates
    frame = pd.DataFrame({
        "customer_id": [1001.0, "1001", "x"],
        "start": ["2024-01-01", dt.date(2024, 1, 1), dt.datetime(2024, 2, 1)],
        "end": ["9999-12-31", dt.date(9999, 12, 31), None],
        "amount": ["10", 20.0, "30"],
    })
    t = mrr_table(frame, as_of="2024-02-29")
    assert as_dict(t) == {("1001", "2024-01-01"): 30.0, ("1001", "2024-02-01"): 30.0, ("x", "2024-02-01"): 30.0}


def test_empty_and_nobody_paying():
    empty = mrr_table(billing([], customer_id=[]).reindex(columns=["customer_id", "start", "amount"]))
    assert list(empty.columns) == ["customer_id", "month", "mrr", "plan"] and empty.empty
    t = mrr_table(billing([{"customer_id": "a", "start": "2024-01-01", "amount": 0}]))
    assert t.empty
    assert monthly_counts(t).empty and finance_base(t).empty
    frame, months = accounts(t)
    assert frame.empty and months == (None, None)


def test_data_check_lists_rows_not_counted():
    check = DataCheck()
    rows = [{"customer_id": "a", "start": "2024-01-01", "amount": 10, "status": "trialing"},
            {"customer_id": "b", "start": "2024-01-01", "amount": 0},
            {"customer_id": "c", "start": "2024-01-01", "amount": 5, "status": "unpaid"},
            {"customer_id": "d", "start": "2024-01-01", "amount": 5}]
    frame = billing(rows)
    frame.index = [2, 3, 4, 5]  # file rows (the header is row 1)
    mrr_table(frame, check=check, file="subs.csv")
    codes = {f.code: f for f in check}
    # no interval column: every amount a monthly price, said once (README's promise)
    assert set(codes) == {"subscription_trial", "subscription_zero", "subscription_stopped", "interval_absent"}
    assert "first at row 2" in codes["subscription_trial"].message
    assert "first at row 3" in codes["subscription_zero"].message
    assert codes["interval_absent"].level == "info" and codes["interval_absent"].fields == {"count": 2}
    assert all(f.file == "subs.csv" and f.level == "warning" for f in check if f.code != "interval_absent")


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("row, error, text", [
    ({"customer_id": None, "start": "2024-01-01", "amount": 10}, InvalidInput, "customer_id is blank in row 3"),
    ({"customer_id": "a", "start": None, "amount": 10}, InvalidInput, "start is blank in row 3"),
    ({"customer_id": "a", "start": "2024-01-01", "amount": -10}, OutOfRange, "amount is -10 in row 3"),
    ({"customer_id": "a", "start": "2024-01-01", "amount": 10, "quantity": -1}, OutOfRange, "quantity is -1"),
    ({"customer_id": "a", "start": "2024-01-01", "amount": 10, "discount_percent": 150}, OutOfRange,
     "discount_percent is 150"),
    ({"customer_id": "a", "start": "2024-01-01", "amount": 10, "discount_percent": 0.25}, InvalidInput,
     "fraction (0.25 = 25 %) or a percent"),
    ({"customer_id": "a", "start": "2024-03-01", "end": "2024-01-01", "amount": 10}, InvalidInput,
     "end is before the start in row 3"),
    ({"customer_id": "a", "start": "2024-01-01", "amount": 10, "status": "frozen"}, InvalidInput,
     "status has 'frozen' in row 3"),
    ({"customer_id": "a", "start": "2024-01-01", "amount": 10, "status": "canceled"}, InvalidInput,
     "end is blank in row 3 whose status is 'canceled'"),
    ({"customer_id": "a", "start": "2024-01-01", "amount": 10, "interval": "fortnight"}, InvalidInput,
     "interval has 'fortnight' in row 3"),
    ({"customer_id": "a", "start": "2024-01-01", "amount": 10, "interval_count": 0}, OutOfRange,
     "interval_count is 0"),
    ({"customer_id": "a", "start": "2024-01-01", "amount": 10, "cancel_at_period_end": "maybe"}, InvalidInput,
     "cancel_at_period_end has 'maybe' in row 3"),
    ({"customer_id": "a", "start": "1900-01-01", "amount": 10}, OutOfRange, "spans"),
])
def test_bad_rows_name_the_file_row(row, error, text):
    good = {"customer_id": "ok", "start": "2024-01-01", "amount": 10}
    frame = billing([good, row])
    frame.index = [2, 3]  # file rows
    with pytest.raises(error) as e:
        mrr_table(frame, as_of="2024-06-30")
    assert text in str(e.value)


def test_mixed_currencies_and_missing_columns_are_refused():
    frame = billing([{"customer_id": "a", "start": "2024-01-01", "amount": 10, "currency": "usd"},
                     {"customer_id": "b", "start": "2024-01-01", "amount": 10, "currency": "EUR"}])
    with pytest.raises(InvalidInput, match="currency mixes USD .row 1. and EUR .row 2."):
        mrr_table(frame)
    same = billing([{"customer_id": "a", "start": "2024-01-01", "amount": 10, "currency": "usd"},
                    {"customer_id": "b", "start": "2024-01-01", "amount": 10, "currency": "USD"}])
    assert len(mrr_table(same)) == 2
    with pytest.raises(InvalidInput, match="has no amount column"):
        mrr_table(pd.DataFrame({"customer_id": ["a"], "start": [T("2024-01-01")]}))
    with pytest.raises(InvalidInput, match="calendar"):
        mrr_table(same, "julian")


# --------------------------------------------------------------------------- an independent computation


INTERVALS = {"day": 12 / 365, "week": 12 / 52, "month": 1, "quarter": 3, "year": 12}


def random_export(seed, n=300):
    rng = random.Random(seed)
    base = dt.date(2023, 1, 1)
    rows = []
    for _ in range(n):
        start = base + dt.timedelta(days=rng.randrange(0, 600))
        row = {"customer_id": f"c{rng.randrange(60)}", "start": start,
               "amount": rng.choice([0, 9, 10, 49.5, 100, 1200]),
               "interval": rng.choice(list(INTERVALS)), "interval_count": rng.choice([None, 1, 2]),
               "quantity": rng.choice([None, 1, 3]), "discount_percent": rng.choice([None, 0, 25, 50]),
               "discount_amount": rng.choice([None, 0, 5]), "plan": rng.choice(["A", "B", None])}
        if rng.random() < 0.5:
            row["end"] = start + dt.timedelta(days=rng.randrange(0, 400))
        if rng.random() < 0.2:
            row["trial_end"] = start + dt.timedelta(days=rng.randrange(0, 45))
        status = rng.choice(["active", "active", "past_due", "trialing", "canceled", "incomplete", None])
        if status == "canceled" and "end" not in row:
            row["end"] = start + dt.timedelta(days=rng.randrange(1, 200))
        row["status"] = status
        if rng.random() < 0.2:
            row["cancel_at_period_end"] = True
            row["current_period_end"] = start + dt.timedelta(days=rng.randrange(1, 500))
        rows.append(row)
    return rows


def naive_mrr(rows, as_of, calendar):
    """Day by day: for each month, the last day (or as_of), the rows paying on it, summed per customer."""
    def month_of(d):
        if calendar == "jalali":
            j = jdatetime.date.fromgregorian(date=d)
            return (j.year, j.month)
        return (d.year, d.month)

    def first_day(ym):
        if calendar == "jalali":
            return jdatetime.date(ym[0], ym[1], 1).togregorian()
        return dt.date(ym[0], ym[1], 1)

    paying = []
    for r in rows:
        if r.get("status") in ("trialing", "incomplete"):
            continue
        months = INTERVALS[r.get("interval") or "month"] * (r.get("interval_count") or 1)
        gross = r["amount"] * (r.get("quantity") or 1) * (1 - (r.get("discount_percent") or 0) / 100)
        monthly = max(gross - (r.get("discount_amount") or 0), 0) / months
        if monthly <= 0:
            continue
        begin = max(r["start"], r.get("trial_end") or r["start"])
        stop = r.get("end")
        if r.get("cancel_at_period_end") and r.get("current_period_end"):
            stop = max(stop, r["current_period_end"]) if stop else r["current_period_end"]
        paying.append((r["customer_id"], begin, stop, monthly, r["start"]))
    first = min(p[4] for p in paying)
    out = defaultdict(float)
    day = first
    while day <= as_of:
        nxt = day + dt.timedelta(days=1)
        if month_of(nxt) != month_of(day) or day == as_of:   # the month's snapshot day
            for cust, begin, stop, monthly, _ in paying:
                if begin <= day and (stop is None or day < stop):
                    out[(cust, first_day(month_of(day)).isoformat())] += monthly
        day = nxt
    return dict(out)


@pytest.mark.parametrize("seed, calendar", [(1, "gregorian"), (2, "gregorian"), (3, "jalali")])
def test_equals_a_day_by_day_computation(seed, calendar):
    rows = random_export(seed)
    as_of = dt.date(2024, 11, 17)
    got = as_dict(mrr_table(billing(rows), calendar, as_of=as_of))
    want = naive_mrr(rows, as_of, calendar)
    assert got.keys() == want.keys()
    for k in want:
        assert got[k] == pytest.approx(want[k], rel=1e-12), k


# --------------------------------------------------------------------------- the derived tables


def check_bridge(table, calendar="gregorian"):
    m = mrr_movements(table["customer_id"], table["month"], table["mrr"], calendar)
    lhs = (m["Starting MRR"] + m["New MRR"] + m["Expansion MRR"] + m["Reactivation MRR"]
           - m["Contraction MRR"] - m["Churned MRR"])
    np.testing.assert_allclose(lhs, m["Ending MRR"], rtol=1e-9, atol=1e-9)
    counts = monthly_counts(table)
    assert (counts["customers_start"] + counts["customers_new"] - counts["customers_lost"]
            == counts["customers_end"]).all()
    assert (counts["customers_start"].iloc[1:].to_numpy() == counts["customers_end"].iloc[:-1].to_numpy()).all()
    assert counts["customers_start"].iloc[0] == 0
    # the same counts as MRR_MOVEMENTS (reactivated customers counted as new)
    assert counts["customers_new"].tolist() == (m["New customers"] + m["Reactivated customers"]).tolist()
    assert counts["customers_lost"].tolist() == m["Churned customers"].tolist()
    assert counts["customers_end"].tolist() == m["Customers at end"].tolist()
    fin = finance_base(table)
    np.testing.assert_allclose(fin["revenue"], m["Ending MRR"], rtol=1e-12)
    assert fin[["customers_start", "customers_new", "customers_lost"]].equals(
        counts[["customers_start", "customers_new", "customers_lost"]])
    return m


@pytest.mark.parametrize("seed, calendar", [(4, "gregorian"), (5, "jalali")])
def test_bridge_and_counts_on_a_random_export(seed, calendar):
    t = mrr_table(billing(random_export(seed)), calendar, as_of="2024-12-31")
    m = check_bridge(t, calendar)
    assert len(m) == len(monthly_counts(t))


@given(st.lists(st.tuples(st.sampled_from("abcde"), st.integers(0, 20), st.integers(0, 25),
                          st.sampled_from([0, 10, 25.5, 1200]), st.sampled_from(["month", "year", "week"])),
                min_size=1, max_size=25))
def test_bridge_identity_property(subs):
    rows = [{"customer_id": c, "start": dt.date(2024, 1, 1) + dt.timedelta(days=7 * s),
             "end": (dt.date(2024, 1, 1) + dt.timedelta(days=7 * (s + d))) if d else None,
             "amount": a, "interval": i} for c, s, d, a, i in subs]
    t = mrr_table(billing(rows), as_of="2024-12-31")
    if len(t):
        check_bridge(t)


def test_monthly_counts_fill_months_without_rows():
    t = pd.DataFrame({"customer_id": ["a", "a"], "month": [T("2024-01-01"), T("2024-04-01")], "mrr": [10.0, 10.0]})
    c = monthly_counts(t)
    assert c["month"].dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert c[["customers_start", "customers_new", "customers_lost", "customers_end"]].values.tolist() == [
        [0, 1, 0, 1], [1, 0, 1, 0], [0, 0, 0, 0], [0, 1, 0, 1]]


def test_monthly_counts_infer_the_calendar_of_the_months():
    rows = [{"customer_id": "a", "start": "2024-08-21", "amount": 10, "end": "2024-09-25"}]
    t = mrr_table(billing(rows), "jalali", as_of="2024-10-21")
    bare = t.copy()
    bare.attrs = {}  # a table read back from a sheet: the calendar is inferred from the month starts
    for table in (t, bare):
        c = monthly_counts(table)
        assert c["month"].tolist() == [T(jdatetime.date(1403, m, 1).togregorian()) for m in (5, 6, 7)]
        assert c["customers_end"].tolist() == [1, 1, 0]


def test_accounts_windows():
    # a: 100 in Jan 2024 ... 130 in Jan 2025; b starts in Jun 2024; c churns in Mar 2024
    months = pd.date_range("2024-01-01", "2025-01-01", freq="MS")
    rows = [("a", m, 100 + (30 if m == months[-1] else 0)) for m in months]
    rows += [("b", m, 50) for m in months if m >= T("2024-06-01")]
    rows += [("c", m, 20) for m in months if m < T("2024-03-01")]
    t = pd.DataFrame(rows, columns=["customer_id", "month", "mrr"]).assign(plan="P")
    frame, (prev, cur) = accounts(t)  # 12 months before January 2025: January 2024
    assert (prev, cur) == (T("2024-01-01"), T("2025-01-01"))
    assert frame.values.tolist() == [["a", 100.0, 130.0, "P"], ["b", 0.0, 50.0, "P"], ["c", 20.0, 0.0, "P"]]
    frame, (prev, _) = accounts(t, months=3)
    assert prev == T("2024-10-01")
    assert frame.values.tolist() == [["a", 100.0, 130.0, "P"], ["b", 50.0, 50.0, "P"]]
    frame, (prev, _) = accounts(t, months=36)  # a shorter history: from the first month
    assert prev == T("2024-01-01")
    with pytest.raises(OutOfRange, match="months is 0"):
        accounts(t, months=0)


# --------------------------------------------------------------------------- the Excel face


@pytest.fixture(scope="module")
def udfs():
    with classic_xlwings() as (ours, _):
        yield ours


def cells_of(result):
    return excel.cell_output(result)


def test_excel_face_with_xlwings_shaped_input(udfs):
    D = dt.datetime
    got = udfs.SUBSCRIPTION_MRR(
        [["acme"], ["bolt"], [1001.0], [None]],
        [[D(2024, 1, 15)], ["2024-02-02"], [45292.0], [None]],          # 45292 = 2024-01-01
        [[None], [D(2024, 3, 20)], [D(9999, 12, 31)], [None]],          # 9999-12-31: still active
        [["1,200"], [10.0], [20.0], [None]],
        [["Year"], ["week"], ["month"], [None]],
        [[None], [None], [3.0], [None]],
        [[None]],
    )
    want = [["Customer", "Month", "MRR"],
            ["1001", "2024-01", 60.0], ["1001", "2024-02", 60.0], ["1001", "2024-03", 60.0],
            ["acme", "2024-01", 100.0], ["acme", "2024-02", 100.0], ["acme", "2024-03", 100.0],
            ["bolt", "2024-02", 10 * 52 / 12]]
    assert same_cells(got, want), got
    py = subscription_mrr(["acme", "bolt", "1001"], ["2024-01-15", "2024-02-02", "2024-01-01"],
                          [None, "2024-03-20", "9999-12-31"], [1200, 10, 20], ["year", "week", "month"],
                          [None, None, 3])
    assert same_cells(got, cells_of(py))


def test_excel_face_one_interval_for_all_and_jalali_labels(udfs):
    got = udfs.SUBSCRIPTION_MRR([["a"], ["b"]], [["2024-08-22"], ["2024-09-01"]], [[None], [None]],
                                [[1200.0], [2400.0]], "year", None, "jalali")
    assert got == [["Customer", "Month", "MRR"], ["a", "1403-06", 100.0], ["b", "1403-06", 200.0]]


def test_excel_face_errors(udfs):
    bad = udfs.SUBSCRIPTION_MRR([["a"], ["b"]], [["2024-01-01"], ["2024-02-01"]], [[None], ["2023-01-01"]],
                                [[10.0], [10.0]])
    assert bad.startswith("#VALUE! SUBSCRIPTION_MRR: ends is before the start in row 2")
    neg = udfs.SUBSCRIPTION_MRR([["a"]], [["2024-01-01"]], [[None]], [[-5.0]])
    assert neg.startswith("#NUM! SUBSCRIPTION_MRR: amounts is -5 in row 1")
    size = udfs.SUBSCRIPTION_MRR([["a"], ["b"]], [["2024-01-01"]], [[None]], [[1.0]])
    assert size.startswith("#VALUE! SUBSCRIPTION_MRR:")
    nobody = udfs.SUBSCRIPTION_MRR([["a"]], [["2024-01-01"]], [[None]], [[0.0]])
    assert nobody.startswith("#N/A SUBSCRIPTION_MRR: amounts has no subscription that pays")
    interval = udfs.SUBSCRIPTION_MRR([["a"], ["b"]], [["2024-01-01"], ["2024-01-01"]], [[None], [None]],
                                     [[1.0], [1.0]], [["month"], ["fortnight"]])
    assert interval.startswith("#VALUE! SUBSCRIPTION_MRR: intervals has 'fortnight' in row 2")
    with pytest.raises(KPIError, match="^SUBSCRIPTION_MRR: quantities has 3 cells"):
        subscription_mrr(["a", "b"], ["2024-01-01"] * 2, [None, None], [1, 1], None, [1, 2, 3])


def test_excel_spill_feeds_mrr_movements():
    spill = subscription_mrr(["a", "b", "a"], ["2024-01-10", "2024-01-20", "2024-03-05"],
                             [None, "2024-02-10", None], [10, 20, 5])
    assert spill.columns.tolist() == ["Customer", "Month", "MRR"]
    m = mrr_movements(spill["Customer"], spill["Month"], spill["MRR"])
    # a: 10, 10, 15 (a second subscription in March); b: 20 in January, gone on 10 February
    assert m["Ending MRR"].tolist() == [30, 10, 15]
    assert m["Churned MRR"].tolist() == [0, 20, 0] and m["Expansion MRR"].tolist() == [0, 0, 5]
    assert REGISTRY["SUBSCRIPTION_MRR"].returns == "table"


def test_reader_errors_name_the_file_row():
    frame = pd.DataFrame({"customer_id": ["a", "b"], "start": ["2024-01-01", "not a date"],
                          "amount": [10.0, 10.0]}, index=[7, 9])
    with pytest.raises(InvalidInput, match="start has 'not a date' in row 9"):
        mrr_table(frame)
    frame = pd.DataFrame({"customer_id": ["a", "b"], "start": ["2024-01-01"] * 2, "amount": ["10", "ten"]},
                         index=[7, 9])
    with pytest.raises(InvalidInput, match="amount has 'ten' in row 9"):
        mrr_table(frame)


def test_default_as_of_is_never_after_today():
    today = pd.Timestamp(dt.datetime.now(dt.timezone.utc).date())
    rows = [{"customer_id": "a", "start": today - pd.DateOffset(months=2), "amount": 10,
             "end": today + pd.DateOffset(years=3)},                       # a scheduled end
            {"customer_id": "b", "start": today + pd.DateOffset(years=1), "amount": 10}]  # a future start
    t = mrr_table(billing(rows))
    assert t.attrs["as_of"] == today
    assert t["month"].max() == today.replace(day=1) and set(t["customer_id"]) == {"a"}


def test_persian_and_arabic_statuses():
    rows = [{"customer_id": "fa", "start": "2024-01-01", "amount": 10, "status": "فعال"},
            {"customer_id": "fa_trial", "start": "2024-01-01", "amount": 10, "status": "آزمایشی"},
            {"customer_id": "fa_gone", "start": "2024-01-01", "amount": 10, "status": "لغو\u200cشده",  # with ZWNJ
             "end": "2024-02-10"},
            {"customer_id": "ar", "start": "2024-01-01", "amount": 10, "status": "نشط"},
            {"customer_id": "ar_gone", "start": "2024-01-01", "amount": 10, "status": "ملغي", "end": "2024-02-10"}]
    got = one(rows, "2024-02-29")
    assert got == {("fa", "2024-01-01"): 10.0, ("fa", "2024-02-01"): 10.0, ("fa_gone", "2024-01-01"): 10.0,
                   ("ar", "2024-01-01"): 10.0, ("ar", "2024-02-01"): 10.0, ("ar_gone", "2024-01-01"): 10.0}


def test_serial_dates_as_xlwings_lite_delivers_them():
    # Lite sends date cells as serials: 45292 = 2024-01-01, 2958465 = 9999-12-31 (still active)
    got = subscription_mrr(["a", "b"], [45292.0, 45292.0], [2958465.0, 45337.0], [10.0, 20.0])  # 45337 = 15 Feb
    assert got.values.tolist() == [["a", "2024-01", 10.0], ["a", "2024-02", 10.0], ["b", "2024-01", 20.0]]


def test_invoice_line_export_hands_over_on_the_renewal_day():
    # one row per invoice line, each with its service period: 15 Jan-15 Feb, 15 Feb-15 Mar (upgraded)
    rows = [{"customer_id": "a", "subscription_id": "sub_1", "start": "2024-01-15", "end": "2024-02-15", "amount": 10},
            {"customer_id": "a", "subscription_id": "sub_1", "start": "2024-02-15", "end": "2024-03-15", "amount": 15}]
    assert one(rows, "2024-03-20") == {("a", "2024-01-01"): 10.0, ("a", "2024-02-01"): 15.0}


def test_paused_with_a_later_end_is_not_paying_at_as_of():
    rows = [{"customer_id": "p", "start": "2024-01-01", "amount": 10, "status": "paused", "end": "2024-12-31"},
            {"customer_id": "q", "start": "2024-01-01", "amount": 10, "status": "unpaid", "end": "2024-02-10"}]
    assert one(rows, "2024-03-15") == {("p", "2024-01-01"): 10.0, ("p", "2024-02-01"): 10.0,
                                       ("q", "2024-01-01"): 10.0}


def test_as_of_in_the_table_calendar():
    rows = [{"customer_id": "a", "start": "2024-08-22", "amount": 10}]   # 1 Shahrivar 1403
    t = mrr_table(billing(rows), "jalali", as_of=dt.date(2024, 10, 21))  # 30 Mehr 1403, its last day
    assert t.attrs["as_of"] == T("2024-10-21")
    assert t["month"].tolist() == [T("2024-08-22"), T("2024-09-22")]     # Shahrivar and Mehr


def test_excel_face_bad_dates_name_the_row(udfs):
    got = udfs.SUBSCRIPTION_MRR([["a"], ["b"]], [["2024-01-01"], ["someday"]], [[None], [None]], [[1.0], [1.0]])
    assert got.startswith("#VALUE! SUBSCRIPTION_MRR: starts ") and "row 2" in got and "'someday'" in got, got
    # Jalali text dates in a Persian workbook's calendar (1 Shahrivar 1403 = 2024-08-22)
    got = udfs.SUBSCRIPTION_MRR([["a"]], [["1403/06/01"]], [["9999-12-31"]], [[10.0]], None, None, "jalali")
    assert got == [["Customer", "Month", "MRR"], ["a", "1403-06", 10.0]]


def test_segments_give_each_segment_its_own_table_over_the_whole_export():
    # hand-computed: A pays 100 from 5 Jan, +50 from 1 Feb to 15 Mar; C 30 from 1 Mar (segment x);
    # B a yearly 1,200 from 10 Jan (segment y) = 100 a month. The export's last date is 15 Mar, so
    # both segments run to 2024-03 (a segment's own last row does not end its months).
    ids = ["A", "A", "B", "C"]
    starts = ["2024-01-05", "2024-02-01", "2024-01-10", "2024-03-01"]
    ends = [None, "2024-03-15", None, None]
    amounts = [100, 50, 1200, 30]
    intervals = ["month", "month", "year", "month"]
    seg = ["x", "x", "y", "x"]
    got = subscription_mrr(ids, starts, ends, amounts, intervals, None, "gregorian", "en", seg)
    rows = [tuple(r) for r in got.itertuples(index=False)]
    assert rows == [("x", "A", "2024-01", 100.0), ("x", "A", "2024-02", 150.0), ("x", "A", "2024-03", 100.0),
                    ("x", "C", "2024-03", 30.0), ("y", "B", "2024-01", 100.0), ("y", "B", "2024-02", 100.0),
                    ("y", "B", "2024-03", 100.0)]
    # each segment's rows equal the function on that segment's subscriptions alone, where the
    # segment reaches the export's last date (segment x does: 15 Mar)
    alone = subscription_mrr(["A", "A", "C"], starts[:2] + starts[3:], [None, "2024-03-15", None],
                                      [100, 50, 30], ["month"] * 3)
    assert [tuple(r) for r in alone.itertuples(index=False)] == [r[1:] for r in rows if r[0] == "x"]
