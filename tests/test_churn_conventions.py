"""CUSTOMER_CHURN_RATE / CUSTOMER_CHURN: every vendor's churn convention from customer ids and dates.

Expected values: the vendors' published worked examples (the page is named at each test), hand
calculations, and an independent day-by-day computation written here (a customer is active on day d
when one of their rows has start <= d < end; nothing of the spell-merging code is reused).
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_cskpi import churn_rate_between, customer_churn, customer_churn_rate, excel
from xl_cskpi.errors import DivisionByZero, InvalidInput, NotAvailable
from xl_cskpi.registry import REGISTRY
from xl_cskpi.tables.churn import CONVENTIONS, churn_counts, spells_from_mrr

P0, P1 = "2024-09-01", "2024-09-30"


def rates(ids, starts, ends, p0=P0, p1=P1):
    t = customer_churn_rate(ids, starts, ends, p0, p1)
    return dict(zip(t["Convention"], t["Churn rate"]))


# --------------------------------------------------------------------------- published examples


def test_chartmogul_standard_formula_worked_example():
    # ChartMogul, "Churn rate formulas", Standard (B2B) formula
    # (https://help.chartmogul.com/hc/en-us/articles/207340419-Churn-rate-formulas): "If you had 100
    # customers at the beginning of the month, and during the month 12 customers churned, one of whom
    # reactivated, and one of whom joined during the period" -> (12 - 1 - 1) / 100 = 10 % (the stored
    # copy of the page cuts the sentence before its result; 10 % is the page's formula applied to it)
    ids = [f"c{i}" for i in range(100)] + ["c0", "joiner"]
    starts = ["2024-01-01"] * 100 + ["2024-09-20", "2024-09-03"]
    ends = ["2024-09-10"] * 11 + [None] * 89 + [None, "2024-09-18"]
    assert customer_churn(ids, starts, ends, P0, P1, "chartmogul") == pytest.approx(0.10, abs=1e-15)
    t = customer_churn_rate(ids, starts, ends, P0, P1, "chartmogul")
    assert t.to_dict("records") == [{"Convention": "chartmogul", "Customers at start": 100, "Lost": 10,
                                     "Base": 100, "Churn rate": 0.1}]
    # the same month by the others: 12 churned customers (11 of the base + the joiner)
    r = rates(ids, starts, ends)
    assert r["profitwell"] == pytest.approx(11 / 100)   # the reactivated one still churned once
    assert r["baremetrics"] == pytest.approx(12 / 100)  # every cancellation in the window
    assert r["seed"] == pytest.approx(11 / 100)         # 10 of the base + the joiner, lost at the end
    assert r["stripe"] == pytest.approx(12 / 102)       # 12 churns / (100 + joiner + the return)
    assert r["simple"] == pytest.approx((100 - 90) / 100)


def test_stripe_counts_new_subscribers_in_both_terms_and_a_second_churn_twice():
    # Stripe, "Calculating churn rate in Billing" (https://support.stripe.com/questions/calculating-churn-rate-in-billing):
    # "If a customer starts a subscription during that 30 day period and then churns, we will include that
    # churned subscriber in both the numerator and denominator"; "A returning customer who ends their
    # subscription and restarts will be counted as a subscriber and - if they end their subscription again,
    # it will count as a second churn".
    # 10 at the start; b0 leaves; b1 leaves, returns, leaves again; 5 join, n0 of them leaves:
    # churns b0 + 2 x b1 + n0 = 4; subscribers 10 + 5 new + 1 return = 16 -> 25 %
    ids = [f"b{i}" for i in range(10)] + ["b1"] + [f"n{i}" for i in range(5)]
    starts = ["2024-05-01"] * 10 + ["2024-09-10"] + ["2024-09-12"] * 5
    ends = ["2024-09-05", "2024-09-03"] + [None] * 8 + ["2024-09-20", "2024-09-22"] + [None] * 4
    assert customer_churn(ids, starts, ends, P0, P1, "stripe") == pytest.approx(4 / 16)
    lost, base = churn_counts(ids, starts, ends, P0, P1)["stripe"]
    assert (lost, base) == (4, 16)


def test_profitwell_ignores_a_customer_new_and_churned_in_the_same_month():
    # ProfitWell (Paddle), "Are cancellations in the first month counted as churn?"
    # (https://www.paddle.com/help/profitwell-metrics/measure/subscription-retention/are-cancellations-in-the-first-month-counted-as-churn):
    # "if a user were to pay you $100 on 12/5 and then churn on 12/6 [...] At no point would your churned
    # revenue / churned customer count be affected." Four customers at the start of December, one leaves;
    # the user of the page joins on 5 December and leaves on the 6th:
    ids = ["a", "b", "c", "d", "page_user"]
    starts = ["2023-06-01"] * 4 + ["2023-12-05"]
    ends = ["2023-12-20", None, None, None, "2023-12-06"]
    r = rates(ids, starts, ends, "2023-12-01", "2023-12-31")
    assert r["profitwell"] == pytest.approx(1 / 4)   # the page's user is not a churned customer
    assert r["seed"] == pytest.approx(2 / 4)         # the seed rule counts them
    assert r["baremetrics"] == pytest.approx(2 / 4)


def test_profitwell_keeps_the_churn_of_a_customer_who_comes_back():
    # ProfitWell, "Why are my metrics in ProfitWell different than Chargify?"
    # (https://learn.profitwell.com/article/3xteyrvof6-why-are-my-metrics-in-profit-well-different-than-chargify):
    # "If a customer churns and comes back within any period in time, they will be marked as a reactivation":
    # the churn is counted and the return is a reactivation. ChartMogul excludes "customers who [...] churned &
    # reactivated in a period".
    ids = ["a", "a", "b", "c", "d"]
    starts = ["2024-01-01", "2024-09-15", "2024-01-01", "2024-01-01", "2024-01-01"]
    ends = ["2024-09-05", None, None, None, None]
    r = rates(ids, starts, ends)
    assert r["profitwell"] == pytest.approx(1 / 4)
    assert r["chartmogul"] == 0.0


def test_baremetrics_user_churn_includes_sign_up_and_cancel_in_the_window():
    # Baremetrics, "User and Revenue Churn" (https://help.baremetrics.com/en/articles/5380347-user-and-revenue-churn):
    # "A 5% User Churn Rate means that 5% of the total customers you had 30 days ago have canceled within the
    # last 30 days"; changelog "Churn Update" (https://changelog.baremetrics.com/churn-update-4pqo9O):
    # "Customers who sign up and cancel within the same 30 day window are now included in your churn rate".
    # 100 customers 30 days ago, 4 of them cancel, 1 signs up and cancels: 5 %
    ids = [f"c{i}" for i in range(100)] + ["trial"]
    starts = ["2024-02-01"] * 100 + ["2024-09-10"]
    ends = ["2024-09-15"] * 4 + [None] * 96 + ["2024-09-20"]
    assert customer_churn(ids, starts, ends, P0, P1, "baremetrics") == pytest.approx(0.05)
    assert customer_churn(ids, starts, ends, P0, P1, "chartmogul") == pytest.approx(0.04)


def test_seed_rule_is_churn_rate_between_with_its_example():
    # the seed rule as CHURN_RATE_BETWEEN's docstring example shows it: three customers at the start of
    # September, one leaves on the 20th; one joins on the 5th and leaves on the 25th: (1 + 1) / 3, and
    # ChartMogul's 1 / 3
    ids = ["a", "b", "c", "d", "e"]
    starts = ["2024-01-10", "2024-03-01", "2024-06-15", "2024-09-05", "2024-09-10"]
    ends = [None, "2024-09-20", None, "2024-09-25", None]
    assert customer_churn(ids, starts, ends, P0, P1, "seed") == pytest.approx(2 / 3)
    assert customer_churn(ids, starts, ends, P0, P1, "chartmogul") == pytest.approx(1 / 3)
    assert customer_churn(ids, starts, ends, P0, P1, "seed") == churn_rate_between(starts, ends, P0, P1, True)
    assert customer_churn(ids, starts, ends, P0, P1) == churn_rate_between(starts, ends, P0, P1, False)


def test_simple_is_the_glossary_start_minus_end_formula():
    # Brett777/Predict-Churn README (github.com/Brett777/Predict-Churn), the glossary formula:
    # "if Company ADG had 500 customers at the beginning of the month and only 450 customers at the end of
    # the month [...] (500-450)/500 = 50/500 = 10%"
    ids = list(range(500))
    starts = ["2024-01-01"] * 500
    ends = ["2024-09-14"] * 50 + [None] * 450
    assert customer_churn(ids, starts, ends, P0, P1, "simple") == pytest.approx(0.10)
    # with 60 new customers it nets them against the losses: a "churn" of -2 %
    ids2 = ids + list(range(500, 560))
    r = rates(ids2, starts + ["2024-09-02"] * 60, ends + [None] * 60)
    assert r["simple"] == pytest.approx(-0.02) and r["chartmogul"] == pytest.approx(0.10)


def test_worked_example_of_the_docstring_by_hand():
    # A and B at the start; A leaves on the 10th and is back on the 20th; B leaves on the 15th; C joins on
    # the 5th and leaves on the 25th; D joins on the 12th and stays. Hand count:
    # S = {A, B}, E = {A, D}; churn events A, B, C; starts A (return), C, D
    ids = ["A", "A", "B", "C", "D"]
    starts = ["2024-01-01", "2024-09-20", "2024-03-01", "2024-09-05", "2024-09-12"]
    ends = ["2024-09-10", None, "2024-09-15", "2024-09-25", None]
    assert churn_counts(ids, starts, ends, P0, P1) == {
        "chartmogul": (1, 2),    # B
        "stripe": (3, 5),        # 3 churns / (2 + 3 starts)
        "profitwell": (2, 2),    # A, B
        "baremetrics": (3, 2),   # A, B, C
        "seed": (2, 2),          # B, C
        "simple": (0, 2),        # 2 - 2
    }


# --------------------------------------------------------------------------- independent computation


def brute_force(rows, p0: dt.date, p1: dt.date):
    """Day by day: active(c, d) when a row of c has start <= d < end, or ends on d while another row of c
    starts on d + 1 (an inclusive contract end and its renewal row: session 6, reviewer's K2); churn =
    active d-1 and not d."""
    by = {}
    for c, s, e in rows:
        by.setdefault(c, []).append((s, e))
    one = dt.timedelta(days=1)

    def active(c, d):
        return any(s <= d and (e is None or d < e or (d == e and any(s2 == d + one for s2, _ in by[c])))
                   for s, e in by[c])

    days = [p0 + k * one for k in range((p1 - p0).days + 1)]
    S = {c for c in by if active(c, p0 - one)}
    E = {c for c in by if active(c, p1)}
    churn = {c: sum(active(c, d - one) and not active(c, d) for d in days) for c in by}
    start = {c: sum(active(c, d) and not active(c, d - one) for d in days) for c in by}
    return {
        "chartmogul": (len(S - E), len(S)),
        "stripe": (sum(churn.values()), len(S) + sum(start.values())),
        "profitwell": (sum(1 for c in S if churn[c]), len(S)),
        "baremetrics": (sum(1 for c in by if churn[c]), len(S)),
        "seed": (len({c for c in by if c in S or start[c]} - E), len(S)),
        "simple": (len(S) - len(E), len(S)),
    }


def random_rows(rng: random.Random, n_customers: int, day0=dt.date(2024, 7, 1), span=150):
    rows = []
    for c in range(n_customers):
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            s = day0 + dt.timedelta(days=rng.randrange(span))
            e = None if rng.random() < 0.35 else s + dt.timedelta(days=rng.randrange(1, 60))
            rows.append((f"cust{c}", s, e))
    rng.shuffle(rows)
    return rows


@pytest.mark.parametrize("seed", range(8))
def test_every_convention_equals_a_day_by_day_count(seed):
    rng = random.Random(seed)
    rows = random_rows(rng, 60)
    p0, p1 = dt.date(2024, 9, 1), dt.date(2024, 10, 31)
    ids, s, e = zip(*rows)
    assert churn_counts(list(ids), list(s), list(e), p0, p1) == brute_force(rows, p0, p1)


def test_on_one_random_data_set_the_conventions_differ_and_the_documentation_says_why():
    rng = random.Random(16)
    rows = random_rows(rng, 400, span=200)
    ids, s, e = zip(*rows)
    r = rates(list(ids), list(s), list(e), dt.date(2024, 9, 1), dt.date(2024, 9, 30))
    # six different numbers
    assert len({round(v, 12) for v in r.values()}) == 6, r
    # the order the module documents, each step strict here: simple nets the joiners still there at the end;
    # profitwell adds base customers who came back; seed adds joiners who left; baremetrics adds both
    assert r["simple"] < r["chartmogul"] < r["profitwell"] < r["baremetrics"]
    assert r["chartmogul"] < r["seed"] < r["baremetrics"]
    assert r["stripe"] < r["baremetrics"]  # Stripe's bigger base (the joiners) weighs more here


def test_the_random_data_set_has_the_customers_that_make_the_difference():
    # the causes named in the module docstring are present in that data set: reactivations in the period,
    # joiners who left, joiners still there
    rng = random.Random(16)
    rows = random_rows(rng, 400, span=200)
    ids, s, e = zip(*rows)
    c = churn_counts(list(ids), list(s), list(e), dt.date(2024, 9, 1), dt.date(2024, 9, 30))
    assert c["profitwell"][0] > c["chartmogul"][0]   # base customers who churned and came back
    assert c["seed"][0] > c["chartmogul"][0]         # joiners (or returners) who left again
    assert c["stripe"][1] > c["chartmogul"][1]       # starts in the period widen Stripe's base


dates = st.dates(dt.date(2024, 6, 1), dt.date(2024, 12, 31))


@st.composite
def exports(draw, unique=False):
    n = draw(st.integers(1, 25))
    rows = []
    for i in range(n):
        c = f"c{i}" if unique else f"c{draw(st.integers(0, 8))}"
        s = draw(dates)
        e = draw(st.one_of(st.none(), st.integers(1, 90).map(lambda k, s=s: s + dt.timedelta(days=k))))
        rows.append((c, s, e))
    return rows


@given(exports(), dates, st.integers(0, 60))
def test_orderings_hold_on_any_export(rows, p0, length):
    p1 = p0 + dt.timedelta(days=length)
    ids, s, e = zip(*rows)
    c = churn_counts(list(ids), list(s), list(e), p0, p1)
    assert c == brute_force(rows, p0, p1)
    base = c["chartmogul"][1]
    if base:
        r = {k: lost / b for k, (lost, b) in c.items()}
        assert r["simple"] <= r["chartmogul"] <= r["profitwell"] <= r["baremetrics"]
        assert r["chartmogul"] <= r["seed"] <= r["baremetrics"]
        assert 0 <= r["chartmogul"] <= 1 and 0 <= r["profitwell"] <= 1
    lost, b = c["stripe"]
    assert 0 <= lost <= b


@given(exports(unique=True), dates, st.integers(0, 60))
def test_with_one_row_per_customer_chartmogul_and_seed_are_churn_rate_between(rows, p0, length):
    p1 = p0 + dt.timedelta(days=length)
    ids, s, e = zip(*rows)
    c = churn_counts(list(ids), list(s), list(e), p0, p1)
    if c["chartmogul"][1] == 0:
        with pytest.raises(DivisionByZero):
            churn_rate_between(list(s), list(e), p0, p1, False)
        return
    assert c["chartmogul"][0] / c["chartmogul"][1] == churn_rate_between(list(s), list(e), p0, p1, False)
    assert c["seed"][0] / c["seed"][1] == churn_rate_between(list(s), list(e), p0, p1, True)


def test_with_a_reactivation_churn_rate_between_cannot_tell_and_counts_a_churn():
    # CHURN_RATE_BETWEEN sees two rows, a loss and a new customer; with ids it is one customer still there
    ids = ["a", "a", "b", "c", "d"]
    starts = ["2024-01-01", "2024-09-15", "2024-01-01", "2024-01-01", "2024-01-01"]
    ends = ["2024-09-05", None, None, None, None]
    assert churn_rate_between(starts, ends, P0, P1, False) == pytest.approx(1 / 4)
    assert customer_churn(ids, starts, ends, P0, P1, "chartmogul") == 0.0


@settings(max_examples=40)
@given(exports(), dates, st.integers(0, 60), st.randoms(use_true_random=False))
def test_row_order_and_touching_splits_change_nothing(rows, p0, length, rnd):
    p1 = p0 + dt.timedelta(days=length)
    ids, s, e = zip(*rows)
    want = churn_counts(list(ids), list(s), list(e), p0, p1)
    # a renewal: a row split into two that touch (end of one = start of the next) is the same spell
    split = []
    for c, a, b in rows:
        if b is not None and (b - a).days >= 2:
            mid = a + dt.timedelta(days=(b - a).days // 2)
            split += [(c, a, mid), (c, mid, b)]
        else:
            split.append((c, a, b))
    rnd.shuffle(split)
    ids2, s2, e2 = zip(*split)
    assert churn_counts(list(ids2), list(s2), list(e2), p0, p1) == want


# --------------------------------------------------------------------------- faces and input shapes


def test_udf_shaped_input_blanks_persian_digits_serials_and_datetimes():
    # A (serial 45292 = 2024-01-01) leaves 10 Sep; B (Persian-digit text) active; a blank row; C joins
    # (a datetime cell) and leaves 25 Sep; the period's end as an Excel serial (45565 = 2024-09-30)
    args = ([["A"], ["B"], [None], ["C"]],
            [[45292.0], ["۲۰۲۴-۰۱-۰۱"], [None], [dt.datetime(2024, 9, 5)]],
            [["2024-09-10"], [None], [None], ["2024/09/25"]],
            [["۲۰۲۴-۰۹-۰۱"]], [[45565.0]])
    entry = REGISTRY["CUSTOMER_CHURN"]
    assert excel.call(entry, args + ([["seed"]],)) == 1.0        # (A + C) / {A, B}
    assert excel.call(entry, args + ([[None]],)) == 0.5          # blank convention: chartmogul
    cells = excel.call(REGISTRY["CUSTOMER_CHURN_RATE"], args + ([["STRIPE"]],))
    assert cells == [["Convention", "Customers at start", "Lost", "Base", "Churn rate"],
                     ["stripe", 2.0, 2.0, 3.0, 2 / 3]]
    body = excel.call(REGISTRY["CUSTOMER_CHURN_RATE"], args + ([[None]], False))
    assert [r[0] for r in body] == list(CONVENTIONS) and len(body[0]) == 5


def test_segments_give_each_segments_table_from_its_rows():
    rng = random.Random(3)
    rows = random_rows(rng, 80)
    ids, s, e = map(list, zip(*rows))
    plan = [["Basic", "Pro", None][hash(c) % 3] for c in ids]
    t = customer_churn_rate(ids, s, e, P0, P1, "all", "en", plan)
    assert t.columns[0] == "segment"
    for seg in ("(blank)", "Basic", "Pro"):
        mine = [i for i, p in enumerate(plan) if (p or "(blank)") == seg]
        want = customer_churn_rate([ids[i] for i in mine], [s[i] for i in mine], [e[i] for i in mine], P0, P1)
        got = t[t["segment"] == seg].drop(columns="segment").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want)


def test_a_segment_without_customers_at_the_start_has_a_blank_rate():
    t = customer_churn_rate(["a", "b"], ["2024-01-01", "2024-09-10"], [None, None], P0, P1, "chartmogul",
                            "en", ["old", "new"])
    new = t[t["segment"] == "new"].iloc[0]
    assert new["Base"] == 0 and np.isnan(new["Churn rate"])
    assert t[t["segment"] == "old"].iloc[0]["Churn rate"] == 0.0


def test_labels_fa_translate_the_known_header():
    t = customer_churn_rate(["a"], ["2024-01-01"], [None], P0, P1, "simple", "fa")
    assert "مشتریان ابتدای ماه" in t.columns   # "Customers at start", from labels.py


# --------------------------------------------------------------------------- bad input, zero denominators


def test_no_customer_at_the_start():
    ids, s, e = ["a"], ["2024-09-10"], ["2024-09-20"]
    with pytest.raises(DivisionByZero, match="CUSTOMER_CHURN: period_start .*no customers at its start"):
        customer_churn(ids, s, e, P0, P1)
    assert customer_churn(ids, s, e, P0, P1, "stripe") == 1.0      # the joiner is Stripe's base
    with pytest.raises(DivisionByZero, match="nobody started"):
        customer_churn(["a"], ["2024-10-10"], [None], P0, P1, "stripe")
    t = customer_churn_rate(ids, s, e, P0, P1)
    assert t.set_index("Convention")["Churn rate"].isna().sum() == 5


def test_bad_input():
    good = (["a", "b"], ["2024-01-01", "2024-02-01"], [None, "2024-09-10"])
    with pytest.raises(InvalidInput, match="convention .*\"chartmogul\""):
        customer_churn(*good, P0, P1, "hubspot")
    with pytest.raises(InvalidInput, match="period_end .*before period_start"):
        customer_churn(*good, P1, P0)
    with pytest.raises(InvalidInput, match="end_dates .*row 2, before the start date"):
        customer_churn(["a", "b"], ["2024-01-01", "2024-09-01"], [None, "2024-08-01"], P0, P1)
    with pytest.raises(InvalidInput, match="start_dates is blank in row 2"):
        customer_churn(["a", "b"], ["2024-01-01", None], [None, "2024-08-01"], P0, P1)
    with pytest.raises(InvalidInput, match="customer_ids is blank in row 1"):
        customer_churn([None, "b"], ["2024-01-01", "2024-01-01"], [None, None], P0, P1)
    with pytest.raises(InvalidInput, match="same size"):
        customer_churn(["a", "b"], ["2024-01-01"], [None, None], P0, P1)
    with pytest.raises(InvalidInput, match="start_dates"):
        customer_churn(["a"], ["not a date"], [None], P0, P1)
    with pytest.raises(NotAvailable, match="no rows"):
        customer_churn([None, None], [None, None], [None, None], P0, P1)
    with pytest.raises(InvalidInput, match="period_start .*one date"):
        customer_churn(*good, ["2024-09-01", "2024-10-01"], P1)


def test_open_end_as_9999_12_31_and_a_same_day_row():
    # 9999-12-31 is "no end" (as databases export it); a row that ends the day it starts is a start and a
    # churn on that day (a joiner who left), never a customer at the start or the end
    ids = ["a", "b", "c"]
    starts = ["2024-01-01", "2024-01-01", "2024-09-10"]
    ends = ["9999-12-31", "2024-09-05", "2024-09-10"]
    c = churn_counts(ids, starts, ends, P0, P1)
    assert c["chartmogul"] == (1, 2) and c["baremetrics"] == (2, 2) and c["stripe"] == (2, 3)


def test_spells_from_mrr_feed_the_conventions_on_the_demo_data():
    from xl_cskpi import sample

    subs = sample.generate()["subscriptions"]
    months = sample.generate()["months"]
    sp = spells_from_mrr(subs["customer_id"], subs["month"], subs["mrr"])
    # the demo's Months export counts the same customers at the start and losses of June 2024
    june = months[months["Month"] == pd.Timestamp("2024-06-01")].iloc[0]
    c = churn_counts(sp["customer_id"], sp["start_date"], sp["end_date"], "2024-06-01", "2024-06-30")
    assert c["chartmogul"] == (int(june["Churned customers"]), int(june["Customers at start"]))


def test_dates_before_1970_and_gaps_between_customers_rows():
    # days before 1970 are negative numbers inside: a gap in a customer's rows is still a churn there,
    # whatever an earlier customer's open end (found by reading the spell-merging code)
    ids = ["a", "b", "b"]
    starts = ["1960-01-01", "1960-01-01", "1960-06-01"]
    ends = [None, "1960-03-01", None]
    c = churn_counts(ids, starts, ends, "1960-03-01", "1960-06-30")
    assert c["profitwell"] == (1, 2) and c["chartmogul"] == (0, 2) and c["stripe"] == (1, 3)
    rows = [("a", dt.date(1960, 1, 1), None), ("b", dt.date(1960, 1, 1), dt.date(1960, 3, 1)),
            ("b", dt.date(1960, 6, 1), None)]
    assert c == brute_force(rows, dt.date(1960, 3, 1), dt.date(1960, 6, 30))


@settings(max_examples=30)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 11), st.sampled_from([0, 0, 10, 25])),
                min_size=1, max_size=60))
def test_monthly_spells_agree_with_mrr_movements(rows):
    # an independent implementation: MRR_MOVEMENTS' customer counts per month. With spells of whole months
    # (spells_from_mrr) a churn falls on the first day of a month, so in every month after the first:
    # chartmogul = churned / customers at start, and Stripe's base = start + new + reactivated
    from xl_cskpi import mrr_movements

    ids = [f"c{c}" for c, _, _ in rows]
    months = [f"2024-{m + 1:02d}" if m < 12 else "2025-01" for _, m, _ in rows]
    mrr = [a for _, _, a in rows]
    if not any(mrr):
        return
    mv = mrr_movements(ids, months, mrr)
    sp = spells_from_mrr(ids, months, mrr)
    for _, r in mv.iloc[1:].iterrows():
        first = pd.Timestamp(r["Month"] + "-01")
        last = first + pd.offsets.MonthEnd(0)
        c = churn_counts(sp["customer_id"], sp["start_date"], sp["end_date"], first, last)
        assert c["chartmogul"] == (r["Churned customers"], r["Customers at start"])
        assert c["stripe"] == (r["Churned customers"], r["Customers at start"] + r["New customers"]
                               + r["Reactivated customers"])
        assert c["simple"][0] == r["Customers at start"] - r["Customers at end"]
