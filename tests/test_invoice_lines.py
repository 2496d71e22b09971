"""Invoice-line exports (Paddle Billing transactions): each line's MRR is its amount over the months
of its own service period, transaction statuses, prorations, one-time lines, and the month shown.

Expected values are computed by hand in the comments (amounts in the files are cents, / 100). The
rules: xl_cskpi.tables.invoice_lines (ChartMogul, "How MRR is calculated from prorated invoices",
dev.chartmogul.com: MRR = amount x prorate factor / plan months = amount / months of the prorated
period) and Paddle's transaction statuses (developer.paddle.com/api-reference/transactions: draft,
ready, billed, paid, completed, canceled, past_due).
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xl_cskpi.errors import InvalidInput, OutOfRange
from xl_cskpi.exports.check import DataCheck, ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.fill import load_data
from xl_cskpi.tables.invoice_lines import service_months
from xl_cskpi.tables.subscriptions import mrr_table

from xlwings_stubs import classic_xlwings, same_cells

DATA = Path(__file__).parent / "data" / "exports"
R = reports()


def days(*dates: str) -> np.ndarray:
    return np.array(dates, dtype="datetime64[D]").astype(np.int64)


def by_month(table: pd.DataFrame) -> dict[str, float]:
    s = table.assign(m=table["month"].dt.strftime("%Y-%m")).groupby("m")["mrr"].sum()
    return {k: round(float(v), 4) for k, v in s.items()}


def by_customer_month(table: pd.DataFrame) -> dict[tuple[str, str], float]:
    return {(c, m.strftime("%Y-%m")): round(float(v), 4)
            for c, m, v in zip(table["customer_id"], table["month"], table["mrr"])}


def codes(check: DataCheck) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in check:
        out.setdefault(f.code, []).append(f)
    return out


# --------------------------------------------------------------------------- months of a period

@pytest.mark.parametrize("start, end, months, prorated", [
    # 1. whole calendar months
    ("2024-02-01", "2025-02-01", 12.0, False),   # a year, 366 days in it: still 12 months
    ("2024-05-05", "2024-06-05", 1.0, False),    # one month of 31 days
    ("2024-02-05", "2024-03-05", 1.0, False),    # one month of 29 days: the same one month
    ("2024-04-15", "2024-07-15", 3.0, False),    # a quarter
    ("2024-01-31", "2024-02-29", 1.0, False),    # 31 Jan + 1 month = 29 Feb (clamped to the month's end)
    # a subscription anchored on the 31st (Paddle/Stripe bill on the last day of shorter months):
    ("2024-02-29", "2024-03-31", 1.0, False),    # not 1 + 2/31 (from 29 Mar)
    ("2024-04-30", "2024-05-31", 1.0, False),
    ("2024-02-29", "2024-03-30", 1.0, False),    # anchored on the 30th
    # 2. whole weeks / days of lines that are not prorations: 12/52 and 12/365 of a month
    ("2024-01-03", "2024-01-10", 12 / 52, False),       # a week: weekly x 52/12 = x 4.333
    ("2024-02-26", "2024-03-11", 2 * 12 / 52, False),   # two weeks across February's end
    ("2024-01-03", "2024-01-04", 12 / 365, False),      # a day
    # 3. prorations / partial periods: the days over the month step that ends where they end
    ("2024-04-20", "2024-05-05", 0.5, True),     # 15 days; 5 Apr -> 5 May has 30 days: 15/30
    ("2024-05-17", "2024-06-01", 15 / 31, True), # 15 days; 1 May -> 1 Jun has 31 days: 15/31
    ("2024-02-10", "2024-02-25", 15 / 31, True), # 15 days; 25 Jan -> 25 Feb has 31 days: 15/31
    ("2024-03-10", "2024-04-25", 1 + 15 / 29, True),  # 25 Mar -> 25 Apr one month; 10 -> 25 Mar over 25 Feb -> 25 Mar
    ("2024-04-20", "2024-05-04", 14 / 30, True), # 14 days of a proration are not "two weeks"
    ("2024-04-21", "2024-05-05", 12 / 52 * 2, False),  # ... but 14 days of a line not marked are
])
def test_service_months_count_calendar_months(start, end, months, prorated):
    assert service_months(days(start), days(end), np.array([prorated]))[0] == pytest.approx(months, abs=1e-12)


def test_service_months_is_vectorised_row_by_row():
    got = service_months(days("2024-02-01", "2024-04-20"), days("2025-02-01", "2024-05-05"))
    assert got.tolist() == [12.0, 0.5]


# --------------------------------------------------------------------------- lines as MRR

def lines(**cols) -> pd.DataFrame:
    out = pd.DataFrame(cols)
    for c in ("start", "end", "billed_at"):
        if c in out:
            out[c] = pd.to_datetime(out[c])
    return out


def test_an_annual_line_is_a_twelfth_each_month():
    # 480 for 2024-02-01 -> 2025-02-01: 480 / 12 = 40 in every month to the export's last billing (here
    # its own start: the month shown is 2024-02, measured on 1 Feb); was 480 a month before (R F5.1)
    b = lines(customer_id=["acme", "bolt"], start=["2024-02-01", "2024-04-10"], end=["2025-02-01", "2024-05-10"],
              amount=[480.0, 25.0])
    t = mrr_table(b, rows="invoices", as_of="2024-06-30")
    # bolt: 25 for 10 Apr -> 10 May, one month: 25 on 30 Apr, gone on 31 May (not renewed)
    assert by_customer_month(t) == {("acme", "2024-02"): 40.0, ("acme", "2024-03"): 40.0, ("acme", "2024-04"): 40.0,
                                    ("acme", "2024-05"): 40.0, ("acme", "2024-06"): 40.0, ("bolt", "2024-04"): 25.0}


def test_a_subscription_billed_on_month_ends_keeps_one_price():
    # anchored on the 31st: 31 Jan -> 29 Feb -> 31 Mar -> 30 Apr -> 31 May -> 30 Jun -> 31 Jul, 30 each
    # time; anchored on the 15th: 50. Every period is one month: MRR 30 + 50 = 80 every month, no
    # expansion or contraction (counted from the start day, 29 Feb -> 31 Mar was 1.065 months: 28.17)
    ends = ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30", "2024-07-31"]
    mids = ["2024-01-15", "2024-02-15", "2024-03-15", "2024-04-15", "2024-05-15", "2024-06-15", "2024-07-15"]
    b = lines(customer_id=["m31"] * 6 + ["m15"] * 6, start=ends[:-1] + mids[:-1], end=ends[1:] + mids[1:],
              amount=[30.0] * 6 + [50.0] * 6)
    t = mrr_table(b, rows="invoices", as_of="2024-06-30")
    assert by_month(t) == {"2024-01": 80.0, "2024-02": 80.0, "2024-03": 80.0, "2024-04": 80.0, "2024-05": 80.0,
                           "2024-06": 80.0}


def test_a_weekly_plan_is_52_weeks_a_year_every_month():
    # 12 a week, billed every Wednesday from 3 Jan 2024: 12 x 52 / 12 = 52 a month in every month (a
    # week counted as 7/31 or 7/29 of a month gave 53.14 in January and 49.71 in February)
    starts = pd.date_range("2024-01-03", periods=26, freq="7D")
    b = lines(customer_id=["w"] * 26, start=starts, end=starts + pd.Timedelta(days=7), amount=[12.0] * 26)
    t = mrr_table(b, rows="invoices", as_of="2024-06-30")
    assert set(by_month(t).values()) == {52.0} and len(t) == 6


def test_the_interval_word_period_marks_invoice_lines_among_subscriptions():
    # one row a yearly subscription (1,200 / 12 = 100), one an invoice line of 300 for a quarter (100)
    b = lines(customer_id=["a", "b"], start=["2024-01-01", "2024-01-01"], end=[None, "2024-04-01"],
              amount=[1200.0, 300.0], interval=["year", "period"])
    t = mrr_table(b, as_of="2024-03-31")
    assert by_month(t) == {"2024-01": 200.0, "2024-02": 200.0, "2024-03": 200.0}


def test_a_blank_interval_is_a_month_for_subscriptions_and_the_period_for_invoice_lines():
    b = lines(customer_id=["a"], start=["2024-01-01"], end=["2024-04-01"], amount=[300.0])
    assert by_month(mrr_table(b, as_of="2024-03-31")) == {"2024-01": 300.0, "2024-02": 300.0, "2024-03": 300.0}
    assert by_month(mrr_table(b, as_of="2024-03-31", rows="invoices")) == {
        "2024-01": 100.0, "2024-02": 100.0, "2024-03": 100.0}
    b.attrs["rows"] = "invoices"                     # the frame may say so itself
    assert by_month(mrr_table(b, as_of="2024-03-31"))["2024-01"] == 100.0
    with pytest.raises(InvalidInput, match="rows"):
        mrr_table(b, rows="lines")


def test_an_invoice_line_needs_the_end_of_its_period():
    b = lines(customer_id=["a"], start=["2024-01-01"], end=[None], amount=[300.0])
    with pytest.raises(InvalidInput, match=r"row 1.*service period") as e:
        mrr_table(b, rows="invoices")
    assert e.value.argument == "end"
    b = lines(customer_id=["a"], start=["2024-01-01"], end=["2024-01-01"], amount=[300.0])
    with pytest.raises(InvalidInput, match="ends after it starts"):
        mrr_table(b, rows="invoices")


# --------------------------------------------------------------------------- statuses

def test_transaction_statuses():
    # completed/paid/billed/past_due count by their dates; draft/ready not billed; canceled never collected
    b = lines(customer_id=["a", "b", "c", "d", "e", "f", "g"],
              status=["completed", "paid", "billed", "past_due", "draft", "ready", "canceled"],
              start=["2024-03-01"] * 7, end=["2024-04-01"] * 7, amount=[10.0, 20, 40, 80, 160, 320, 640])
    check = DataCheck()
    t = mrr_table(b, rows="invoices", as_of="2024-03-31", check=check)
    assert by_month(t) == {"2024-03": 10 + 20 + 40 + 80.0}
    found = codes(check)
    assert found["invoice_unbilled"][0].fields == {"count": 2, "first": "row 5"}
    assert found["invoice_canceled"][0].fields == {"count": 1, "first": "row 7"}


def test_canceled_means_never_collected_for_a_line_but_paid_until_its_end_for_a_subscription():
    b = lines(customer_id=["a"], status=["canceled"], start=["2024-01-01"], end=["2024-03-15"], amount=[30.0])
    # a canceled subscription paid 30 a month until 15 March: January and February
    assert by_month(mrr_table(b, as_of="2024-03-31")) == {"2024-01": 30.0, "2024-02": 30.0, "2024-03": 0.0}
    # a canceled invoice line for 1 Jan -> 15 Mar was never collected: nobody ever pays
    assert len(mrr_table(b, as_of="2024-03-31", rows="invoices")) == 0


def test_an_unknown_status_still_says_the_transaction_statuses():
    b = lines(customer_id=["a"], status=["refunded"], start=["2024-01-01"], end=["2024-02-01"], amount=[1.0])
    with pytest.raises(InvalidInput, match=r"'refunded'.*completed, paid, billed, open, draft, ready, void, uncollectible"):
        mrr_table(b, rows="invoices")


# --------------------------------------------------------------------------- prorations, one-time lines

UPGRADE = dict(customer_id=["A", "A", "A", "A"],
               line_type=["subscription_recurring", "subscription_recurring", "subscription_update",
                          "subscription_recurring"],
               start=["2024-03-05", "2024-04-05", "2024-04-20", "2024-05-05"],
               end=["2024-04-05", "2024-05-05", "2024-05-05", "2024-06-05"])


def test_an_upgrade_proration_adds_the_change_of_mrr_until_the_period_ends():
    # 30 a month, upgraded to 60 on 20 April: Paddle bills 15 net for 20 Apr -> 5 May (0.5 month, see
    # above), i.e. +30 a month. 31 Mar: 30; 30 Apr: 30 + 15 / 0.5 = 60; 31 May: the new recurring 60.
    # (Summing the line as a month, as before, gave 45 in April: R F5.3.)
    b = lines(**UPGRADE, amount=[30.0, 30, 15, 60])
    check = DataCheck()
    t = mrr_table(b, rows="invoices", as_of="2024-05-31", check=check)
    assert by_month(t) == {"2024-03": 30.0, "2024-04": 60.0, "2024-05": 60.0}
    [p] = codes(check)["invoice_prorations"]
    assert p.fields == {"count": 1, "first": "row 3"}
    [s] = codes(check)["invoice_lines"]
    assert s.fields == {"count": 3, "start": "2024-03-05", "end": "2024-04-05", "months": "1"}


def test_the_proration_rule_holds_without_a_line_type_column():
    # the same lines, unmarked: every line is sized by its own period, so April is 60 all the same
    b = lines(**{k: v for k, v in UPGRADE.items() if k != "line_type"}, amount=[30.0, 30, 15, 60])
    assert by_month(mrr_table(b, rows="invoices", as_of="2024-05-31")) == {
        "2024-03": 30.0, "2024-04": 60.0, "2024-05": 60.0}


def test_a_downgrade_credit_lowers_mrr_and_never_below_zero():
    # 60 a month, downgraded to 30 on 20 April: net -15 for 0.5 month = -30: April 60 - 30 = 30
    b = lines(**UPGRADE, amount=[60.0, 60, -15, 30])
    assert by_month(mrr_table(b, rows="invoices", as_of="2024-05-31")) == {
        "2024-03": 60.0, "2024-04": 30.0, "2024-05": 30.0}
    # a credit larger than what runs: the customer-month is 0 (no row), not negative
    b = lines(**UPGRADE, amount=[60.0, 60, -45, 30])    # -90 a month against 60
    t = mrr_table(b, rows="invoices", as_of="2024-05-31")
    assert ("A", "2024-04") not in by_customer_month(t) and (t["mrr"] > 0).all()


def test_a_negative_line_not_marked_as_a_proration_is_refused():
    b = lines(**{k: v for k, v in UPGRADE.items() if k != "line_type"}, amount=[60.0, 60, -15, 30])
    with pytest.raises(OutOfRange, match=r"-15 in row 3.*marked as a proration"):
        mrr_table(b, rows="invoices")


def test_one_time_lines_are_not_recurring_revenue():
    # a one-time charge (Paddle subscription_charge) and a purchase without a service period: left out
    b = lines(customer_id=["a", "a", "b"], line_type=["subscription_recurring", "subscription_charge", "web"],
              start=["2024-03-01", "2024-03-10", None], end=["2024-04-01", "2024-03-11", None],
              amount=[20.0, 500, 99])
    check = DataCheck()
    t = mrr_table(b, rows="invoices", as_of="2024-03-31", check=check)
    assert by_customer_month(t) == {("a", "2024-03"): 20.0}
    assert codes(check)["invoice_one_time"][0].fields == {"count": 2, "first": "row 2"}


def test_an_unknown_line_type_is_refused_naming_the_words():
    b = lines(customer_id=["a"], line_type=["refund"], start=["2024-03-01"], end=["2024-04-01"], amount=[1.0])
    with pytest.raises(InvalidInput, match=r"'refund' in row 1.*subscription_update"):
        mrr_table(b, rows="invoices")


def test_a_proration_flag_reads_as_a_line_type():
    # ChartMogul's / Stripe's "prorated" TRUE/FALSE
    b = lines(customer_id=["A"] * 4, line_type=[False, False, True, False], start=UPGRADE["start"],
              end=UPGRADE["end"], amount=[30.0, 30, 15, 60])
    check = DataCheck()
    assert by_month(mrr_table(b, rows="invoices", as_of="2024-05-31", check=check))["2024-04"] == 60.0
    assert "invoice_prorations" in codes(check)


# --------------------------------------------------------------------------- the month shown

def test_paid_period_ends_do_not_push_the_months_past_the_export():
    # the last billing is 5 May; the lines' periods end on 5 Jun and (annual) 1 Feb 2025: the months
    # stop at May, measured on 5 May -- not 2025-02 with MRR 0 and every customer "churned" (R F5.2)
    b = lines(customer_id=["a", "a", "c"], start=["2024-04-05", "2024-05-05", "2024-02-01"],
              end=["2024-05-05", "2024-06-05", "2025-02-01"], amount=[30.0, 30, 480])
    t = mrr_table(b, rows="invoices")
    assert t.attrs["as_of"] == pd.Timestamp("2024-05-05")
    assert by_month(t) == {"2024-02": 40.0, "2024-03": 40.0, "2024-04": 70.0, "2024-05": 70.0}


def test_billed_at_moves_the_month_shown_to_the_last_billing():
    # a subscription export whose last start is in March but whose current periods started in June
    b = lines(customer_id=["a", "b"], start=["2024-01-10", "2024-03-02"], end=[None, None], amount=[10.0, 20],
              billed_at=["2024-06-10", "2024-06-02"])
    assert mrr_table(b).attrs["as_of"] == pd.Timestamp("2024-06-10")
    assert mrr_table(b.drop(columns="billed_at")).attrs["as_of"] == pd.Timestamp("2024-03-02")


def test_an_invoice_billed_ahead_of_its_period_counts_its_billing_date():
    # manual invoicing: the July invoice is issued on 25 June; the export is of June, not of July
    b = lines(customer_id=["a", "a"], status=["paid", "billed"], start=["2024-06-01", "2024-07-01"],
              end=["2024-07-01", "2024-08-01"], amount=[40.0, 40], billed_at=["2024-05-25", "2024-06-25"])
    t = mrr_table(b, rows="invoices")
    assert t.attrs["as_of"] == pd.Timestamp("2024-06-25")
    assert by_month(t) == {"2024-06": 40.0}


def test_a_scheduled_cancellation_is_not_an_event_of_the_export():
    # Chargebee: non_renewing with cancelled_at 1 Aug (the end of the term), taken in May: the months
    # stop at the latest real event (a's cancellation on 1 May), and b is paying, not churned
    b = lines(customer_id=["a", "b"], status=["cancelled", "non_renewing"], start=["2024-02-01", "2024-05-01"],
              end=["2024-05-01", "2024-08-01"], amount=[59.0, 120], interval=["month", "3 months"])
    t = mrr_table(b)
    assert t.attrs["as_of"] == pd.Timestamp("2024-05-01")
    assert by_customer_month(t)[("b", "2024-05")] == 40.0
    # Stripe's Canceled At on a cancel-at-period-end row is the day it was asked: an event
    b = lines(customer_id=["a"], status=["active"], start=["2024-02-01"], end=["2024-06-10"], amount=[10.0],
              cancel_at_period_end=[True], current_period_end=["2024-07-01"])
    assert mrr_table(b).attrs["as_of"] == pd.Timestamp("2024-06-10")


# --------------------------------------------------------------------------- the report, end to end

def load(path: Path):
    return load_data(R["revenue"], [path], ReadOptions())


def test_the_repository_paddle_transactions_sample_gives_the_revenue_report(tmp_path):
    # tests/data/exports/paddle_transactions.csv (cents): ctm_...1e 3000 for 5 May -> 5 Jun, then 3000 - 300
    # discount for 5 Jun -> 5 Jul; ctm_...2f 48000 for 1 Feb 2024 -> 1 Feb 2025 (a year).
    #   Feb-Apr: 480 / 12 = 40;  May (31 May): 30 + 40 = 70;  Jun, measured on 5 Jun (the last billing):
    #   27 + 40 = 67. Before: exit 2 on status 'completed' (R F4); without status, 480 a month to 2025-02.
    from xl_cskpi.reports.builder import build

    data, check = load(DATA / "paddle_transactions.csv")
    assert by_month(data["Subscriptions"]) == {"2024-02": 40.0, "2024-03": 40.0, "2024-04": 40.0,
                                               "2024-05": 70.0, "2024-06": 67.0}
    found = codes(check)
    assert found["invoice_lines"][0].fields["months"] == "12"
    # June is measured on its last billing day (5 June): in progress, so the default month is May
    assert build(R["revenue"], tmp_path / "d.xlsx", data=data, values=True)["_period"] == "2024-05"
    values = build(R["revenue"], tmp_path / "r.xlsx", data=data, values=True, period="2024-06")
    assert values["mrr"] == pytest.approx(67.0)
    assert values["nrr"] == pytest.approx(67 / 70)            # June against May: 30 -> 27, 40 -> 40


def test_a_paddle_transactions_export_with_changes_and_statuses(tmp_path):
    # tests/data/exports/paddle_transactions_changes.csv (cents / 100), by hand:
    #   A: 30 (5 Mar -> 5 Apr), 30 (5 Apr -> 5 May), proration 15 for 20 Apr -> 5 May (0.5 month: +30),
    #      then 60 (5 May -> 5 Jun, status paid)
    #   B: 50 a month from 1 Mar; the May line is past_due (in dunning: still counted)
    #   C: (1200 - 200 discount) for 10 Mar 2024 -> 10 Mar 2025: 1000 / 12 = 83.3333
    #   D: canceled (never collected): 0.   E: billed 90 for 15 Apr -> 15 Jul (3 months): 30
    #   F: a draft without a period and a ready line: not billed yet, 0
    #   G: a completed one-off purchase of 19 without a billing period: not recurring, 0
    # The last billing is A's 5 May (F's ready line of 20 May is not billed): months Mar..May.
    #   Mar: 30 + 50 + 83.3333 = 163.3333;  Apr: 60 + 50 + 83.3333 + 30 = 223.3333;
    #   May (5 May): 60 + 50 + 83.3333 + 30 = 223.3333
    from xl_cskpi.reports.builder import build

    data, check = load(DATA / "paddle_transactions_changes.csv")
    subs = data["Subscriptions"]
    assert by_month(subs) == {"2024-03": 163.3333, "2024-04": 223.3333, "2024-05": 223.3333}
    a = "ctm_01hx0000000000000000000aaa"
    assert [by_customer_month(subs)[(a, m)] for m in ("2024-03", "2024-04", "2024-05")] == [30.0, 60.0, 60.0]
    found = codes(check)
    assert found["invoice_unbilled"][0].fields["count"] == 2
    assert found["invoice_canceled"][0].fields["count"] == 1
    assert found["invoice_one_time"][0].fields == {"count": 1, "first": "row 14"}
    assert found["invoice_prorations"][0].fields == {"count": 1, "first": "row 4"}   # origin subscription_update
    values = build(R["revenue"], tmp_path / "r.xlsx", data=data, values=True, period="2024-05")
    assert values["mrr"] == pytest.approx(1000 / 12 + 60 + 50 + 30)
    assert values["nrr"] == pytest.approx(1.0)                 # May against April: every customer the same


# --------------------------------------------------------------------------- an independent computation

def naive_months(start: dt.date, end: dt.date, prorated: bool) -> float:
    """The rules of tables.invoice_lines written with the datetime module."""
    def shift(d: dt.date, k: int) -> dt.date:
        y, m = divmod(d.month - 1 + k, 12)
        y, m = d.year + y, m + 1
        return dt.date(y, m, min(d.day, pycal.monthrange(y, m)[1]))
    k = (end.year - start.year) * 12 + end.month - start.month
    month_end = start.day == pycal.monthrange(start.year, start.month)[1]
    if k >= 1 and (shift(start, k) == end or (month_end and end.day >= start.day)):
        return float(k)
    n = (end - start).days
    if not prorated and n % 7 == 0:
        return n / 7 * 12 / 52
    if not prorated and n < 7:
        return n * 12 / 365
    k = 0
    while shift(end, -(k + 1)) >= start:
        k += 1
    a, b = shift(end, -k), shift(end, -(k + 1))
    return k + (a - start).days / (a - b).days


def random_lines(seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for _ in range(250):
        start = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 500))
        kind = rng.choice(["recurring"] * 4 + ["proration", "one_time"])
        if kind == "proration":
            end = start + dt.timedelta(days=rng.randrange(1, 40))
            amount = rng.choice([-20.0, -5.5, 7.25, 15.0, 40.0])
        elif rng.random() < 0.2:                         # weekly plans
            end = start + dt.timedelta(days=7 * rng.choice([1, 2]))
            amount = rng.choice([12.0, 25.0])
        else:
            months = rng.choice([1, 1, 1, 3, 12])
            y, m = divmod(start.month - 1 + months, 12)
            end = dt.date(start.year + y, m + 1, min(start.day, pycal.monthrange(start.year + y, m + 1)[1]))
            amount = rng.choice([0.0, 9.0, 30.0, 99.0, 480.0, 1200.0])
        rows.append({"customer_id": f"c{rng.randrange(25)}", "start": start, "end": end, "amount": amount,
                     "line_type": {"recurring": "subscription_recurring", "proration": "subscription_update",
                                   "one_time": "subscription_charge"}[kind],
                     "status": rng.choice(["completed", "completed", "paid", "past_due", "draft", "canceled"])})
    return rows


def naive_invoice_mrr(rows: list[dict], as_of: dt.date) -> dict[tuple[str, str], float]:
    """Month by month: on each month's last day (or as_of), the collected, non-one-time lines whose
    period covers the day, amount / naive_months, summed per customer; customer-months <= 0 dropped."""
    lines = [(r["customer_id"], r["start"], r["end"],
              r["amount"] / naive_months(r["start"], r["end"], r["line_type"] == "subscription_update"))
             for r in rows if r["status"] not in ("draft", "canceled") and r["line_type"] != "subscription_charge"
             and r["amount"] != 0]
    out = {}
    first = min(s for _, s, _, _ in lines)
    y, m = first.year, first.month
    while dt.date(y, m, 1) <= as_of:
        day = min(dt.date(y, m, pycal.monthrange(y, m)[1]), as_of)
        total = defaultdict(float)
        for cust, s, e, v in lines:
            if s <= day < e:
                total[cust] += v
        for cust, v in total.items():
            if v > 1e-9:
                out[(cust, f"{y:04d}-{m:02d}")] = round(v, 4)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_equals_a_month_by_month_computation(seed):
    rows = random_lines(seed)
    as_of = dt.date(2024, 6, 17)
    got = mrr_table(pd.DataFrame(rows).astype({"start": "datetime64[ns]", "end": "datetime64[ns]"}),
                    rows="invoices", as_of=as_of)
    got = by_customer_month(got)
    want = naive_invoice_mrr(rows, as_of)
    # mrr_table adds a 0 row for the last paying month's customers when nobody pays at as_of: none here
    assert {k: v for k, v in got.items() if v} == pytest.approx(want)


# --------------------------------------------------------------------------- the Excel face

@pytest.fixture(scope="module")
def udfs():
    with classic_xlwings() as (ours, _):
        yield ours


def test_excel_face_sizes_a_period_row_by_its_start_and_end(udfs):
    # SUBSCRIPTION_MRR with intervals "period": an annual invoice line of 480 -> 40 a month; a monthly
    # subscription of 30 beside it. The months stop at the latest start (1 Mar), not at 1 Feb 2025.
    got = udfs.SUBSCRIPTION_MRR([["acme"], ["bolt"]], [["2024-02-01"], ["2024-03-01"]],
                                [["2025-02-01"], [None]], [[480.0], [30.0]], [["period"], ["month"]])
    want = [["Customer", "Month", "MRR"], ["acme", "2024-02", 40.0], ["acme", "2024-03", 40.0],
            ["bolt", "2024-03", 30.0]]
    assert same_cells(got, want), got
    bad = udfs.SUBSCRIPTION_MRR([["acme"]], [["2024-02-01"]], [[None]], [[480.0]], "period")
    assert bad.startswith("#VALUE! SUBSCRIPTION_MRR: ends is blank in row 1"), bad


@pytest.mark.parametrize("name, month, mrr", [
    # Chargebee: the current terms started on 1 Jun (cust_101's renewal): June, measured on 1 Jun:
    # 59 + 10 x 25 / 12 + 4 x 30 / 3 = 119.83 (cust_103 cancelled 1 May; cust_104's 1 Aug end is scheduled).
    # Before: 2024-08 from the scheduled cancellation, with cust_104 churned there (R F5.2).
    ("chargebee_subscriptions.csv", "2024-06", 59 + 250 / 12 + 40),
    # Stripe: Current Period Start 3 Jun: June, measured on 3 Jun: cus_A01 49 + 5 x 10, cus_B02 3 x 1200 / 12
    # (cus_D04 is trialing: not paying): 399. Before: May, measured on 20 May.
    ("stripe_subscriptions.csv", "2024-06", 49 + 50 + 300),
    # Paddle: current_billing_period.starts_at 5 Jun: June, measured on 5 Jun: 30 + 2 x 240 / 12 = 70
    ("paddle_subscriptions.csv", "2024-06", 30 + 2 * 240 / 12),
])
def test_the_month_shown_is_the_month_of_the_last_billing(name, month, mrr):
    data, _ = load(DATA / name)
    subs = data["Subscriptions"]
    last = subs["month"].max().strftime("%Y-%m")
    assert last == month
    assert by_month(subs)[month] == pytest.approx(round(mrr, 4))


# --------------------------------------------------------------------------- interval count from the period

def test_a_quarterly_price_without_an_interval_count_is_sized_by_its_current_period():
    # R F18: a Stripe export without Interval Count writes quarterly / 6-monthly prices as "month". The
    # current periods say 3 and 6 months: 270 / 3 = 90, 540 / 6 = 90, with a monthly 90: 270, not 900
    b = lines(customer_id=["q", "m", "h"], start=["2024-03-20", "2024-03-02", "2024-01-10"], end=[None] * 3,
              amount=[270.0, 90, 540], interval=["month"] * 3,
              billed_at=["2024-06-20", "2024-06-02", "2024-01-10"])
    b["current_period_end"] = pd.to_datetime(["2024-09-20", "2024-07-02", "2024-07-10"])
    check = DataCheck()
    t = mrr_table(b, as_of="2024-06-30", check=check)
    assert by_month(t)["2024-06"] == 270.0
    [w] = codes(check)["interval_from_period"]
    assert w.fields == {"count": 2, "first": "row 1", "months": "3"}
    # an interval count given (even 1) is the export's word: not overridden
    b["interval_count"] = [1.0, 1.0, 1.0]
    assert by_month(mrr_table(b, as_of="2024-06-30"))["2024-06"] == 900.0
    # a current period that is no whole number of intervals (a trial, a re-anchored period) changes nothing
    b = b.drop(columns="interval_count")
    b["current_period_end"] = pd.to_datetime(["2024-07-04", "2024-07-02", "2024-02-10"])
    check = DataCheck()
    assert by_month(mrr_table(b, as_of="2024-06-30", check=check))["2024-06"] == 900.0
    assert "interval_from_period" not in codes(check)


def test_the_stripe_sample_keeps_its_intervals():
    # the repository's Stripe sample: monthly and yearly rows whose current periods are one interval
    data, check = load(DATA / "stripe_subscriptions.csv")
    assert "interval_from_period" not in codes(check)


def test_billing_dates_without_an_interval_column_say_a_month_is_assumed():
    # a generic invoice export (invoice date, period start/end, amount) read as subscriptions: each
    # amount is a month's price -- said, with what to add; the same rows as invoice lines are / 12
    b = lines(customer_id=["a"], start=["2024-02-01"], end=["2025-02-01"], amount=[480.0],
              billed_at=["2024-02-01"])
    check = DataCheck()
    assert by_month(mrr_table(b, as_of="2024-03-31", check=check))["2024-03"] == 480.0
    [w] = codes(check)["interval_assumed_month"]
    assert w.fields == {"count": 1, "first": "row 1"}
    b["interval"] = ["period"]
    check = DataCheck()
    assert by_month(mrr_table(b, as_of="2024-03-31", check=check))["2024-03"] == 40.0
    assert "interval_assumed_month" not in codes(check)
