"""Stripe's status ``paused`` (reviewer's R7 K9, /tmp/r7/in/stripe_paused.csv, inlined below).

Stripe: "A subscription can only enter a paused status when a trial ends without a payment method. A paused
subscription doesn't generate invoices" (API reference, subscription object, ``status``); "When the trial
ends, if the subscription status isn't paused, we generate an invoice" (docs.stripe.com/billing/subscriptions/
trials). So sub_2 / cus_B (2 x 150, trial 2024-01-10 -> 2024-03-10, current period 2024-03-10 -> 04-10, status
paused) never paid. By hand: April A 100 + C 100 + D 100 = 300; May A + D = 200 (C ended 2024-05-01): NRR = GRR
= 200 / 300 = 66.7 %, ARPA 200 / 2 = 100, MRR churn 100 / 300 = 33.3 %. Shown before: MRR 500, NRR 83.3 %.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from xl_cskpi.cli import main
from xl_cskpi.exports.check import DataCheck, ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.fill import load_data
from xl_cskpi.tables.subscriptions import mrr_table

R = reports()

HEADER = ("id,Customer ID,Customer Description,Customer Email,Customer Name,Plan,Product,Quantity,Currency,Interval,"
          "Amount,Status,Created (UTC),Start (UTC),Start Date (UTC),Current Period Start (UTC),"
          "Current Period End (UTC),Trial Start (UTC),Trial End (UTC),Canceled At (UTC),Cancel At Period End,"
          "Ended At (UTC),Cancellation Reason")
A = ("sub_1,cus_A,,a@x.com,A,price_m,Basic,1,usd,month,100.00,active,2024-01-05 09:00,2024-01-05 09:00,"
     "2024-01-05 09:00,2024-06-05 09:00,2024-07-05 09:00,,,,false,,")
B = ("sub_2,cus_B,,b@x.com,B,price_m,Pro,2,usd,month,150.00,paused,2024-01-10 09:00,2024-01-10 09:00,"
     "2024-01-10 09:00,{period},{trial_start},{trial_end},,false,,")
C = ("sub_3,cus_C,,c@x.com,C,price_m,Basic,1,usd,month,100.00,canceled,2024-02-01 09:00,2024-02-01 09:00,"
     "2024-02-01 09:00,2024-04-01 09:00,2024-05-01 09:00,,,2024-04-20 09:00,false,2024-05-01 09:00,"
     "cancellation_requested")
D = ("sub_4,cus_D,,d@x.com,D,price_m,Basic,1,usd,month,100.00,active,2024-03-01 09:00,2024-03-01 09:00,"
     "2024-03-01 09:00,2024-06-01 09:00,2024-07-01 09:00,,,,false,,")
#: the reviewer's row: trial 10 January -> 10 March, current period from the trial end
TRIAL = dict(period="2024-03-10 09:00,2024-04-10 09:00", trial_start="2024-01-10 09:00", trial_end="2024-03-10 09:00")


def export(tmp_path: Path, b: dict | None = None, a: str = A, header: str = HEADER) -> Path:
    p = tmp_path / "stripe_paused.csv"
    p.write_text("\n".join([header, a, B.format(**(b or TRIAL)), C, D]) + "\n", encoding="utf-8")
    return p


def revenue(path: Path):
    tables, check = load_data(R["revenue"], [path], ReadOptions())
    subs = tables["Subscriptions"]
    by_month = subs.groupby("month")["mrr"].sum()
    totals = {pd.Timestamp(m).strftime("%Y-%m"): round(float(v), 4) for m, v in by_month.items()}
    return totals, subs, {f.code: f for f in check}, list(check)


def test_reviewers_file_paused_at_trial_end_pays_nothing(tmp_path):
    totals, subs, codes, _ = revenue(export(tmp_path))
    # cus_B in its trial until 10 March, paused from then: never in a month. A from January, C February-April
    # (ended 1 May), D from March; as_of = 5 June (A's last renewal)
    assert totals == {"2024-01": 100.0, "2024-02": 200.0, "2024-03": 300.0, "2024-04": 300.0, "2024-05": 200.0,
                      "2024-06": 200.0}
    assert "cus_B" not in set(subs["customer_id"])
    f = codes["subscription_paused_at_trial_end"]
    assert f.level == "info" and f.fields == {"count": 1, "customers": "cus_B", "trial_end": "2024-03-10",
                                                 "first": "row 3", "row": "3"}
    assert "cus_B" in f.message and "no MRR from the trial end (2024-03-10" in f.message
    # neither the as_of rule nor a second pause line
    assert "subscription_stopped" not in codes and "subscription_paused" not in codes


def _may_report(tmp_path, capsys, data: Path):
    """``report revenue --period 2024-05 --values`` on ``data``: the printed text and a reader of one KPI's value."""
    out = tmp_path / "r.xlsx"
    assert main(["report", "revenue", "--data", str(data), "-o", str(out), "--values", "--force",
                 "--period", "2024-05"]) == 0
    text = capsys.readouterr().out

    def shown(label: str) -> str:
        m = re.search(re.escape(label) + r"\s+(\S+)", text)
        assert m, f"{label} not in the output:\n{text}"
        return m.group(1)

    return text, shown


def test_reviewers_file_headline_kpis(tmp_path, capsys):
    text, shown = _may_report(tmp_path, capsys, export(tmp_path))

    # by hand (module docstring): 200, 66.7 %, 66.7 %, 100, 33.3 % (shown before: 500, 83.3 %, 83.3 %, 167, 16.7 %)
    assert shown("Monthly recurring revenue (MRR)") == "200"
    assert shown("Net revenue retention (NRR)") == "66.7%"
    assert shown("Gross revenue retention (GRR)") == "66.7%"
    assert shown("Average revenue per account (monthly)") == "100"
    assert shown("Net MRR churn rate") == "33.3%"
    assert shown("Gross MRR churn rate") == "33.3%"
    assert "paused when the trial ended without a payment method (cus_B)" in text


@pytest.mark.parametrize("case, b", [
    # no trial end in the export, its current period running past the export's date (5 June): the pause's
    # start is not known
    ("no trial end", dict(period="2024-05-10 09:00,2024-06-10 09:00", trial_start="", trial_end="")),
    # renewed after its trial (current period from 10 May, after the trial end): it paid, and was paused later by
    # one of Stripe's newer pauses (Pause endpoint, after a payment failure) within a period not yet over, date
    # unknown (a period ended before the export: test_paused_after_paying_* below, reviewer's R8 L6)
    ("renewed after the trial", dict(period="2024-05-10 09:00,2024-06-10 09:00", trial_start="2024-01-10 09:00",
                                     trial_end="2024-03-10 09:00")),
])
def test_a_paused_row_without_a_known_pause_keeps_the_as_of_rule_and_says_so(tmp_path, case, b):
    totals, subs, codes, _ = revenue(export(tmp_path, b))
    # today's rule: B (300) pays from its paying start until the export's date, 5 June, not in June
    b_from = {"no trial end": "2024-01", "renewed after the trial": "2024-03"}[case]
    want = {"2024-01": 100.0, "2024-02": 200.0, "2024-03": 300.0, "2024-04": 300.0, "2024-05": 200.0,
            "2024-06": 200.0}
    for m in want:
        if m >= b_from and m != "2024-06":
            want[m] += 300.0
    assert totals == want   # "renewed": May 500, the reviewer's reading of the trial case before the fix
    f = codes["subscription_stopped"]
    assert f.level == "warning" and f.fields == {"count": 1, "first": "row 3", "row": "3", "as_of": "2024-06-05"}
    # the warning says what is done: counted up to the export's date, every month before it included
    assert "does not say since when" in f.message and "counted as paying up to the date of the export (2024-06-05)" \
        in f.message and "every month before it" in f.message
    assert "subscription_paused_at_trial_end" not in codes and "subscription_paused_at_period_end" not in codes


def test_an_active_subscription_with_pause_collection_is_unchanged(tmp_path):
    # Stripe's pause_collection (behavior void / keep_as_draft / mark_uncollectible, resumes_at) keeps the status
    # active: read as active today (the columns feed no field), and still so
    plain = tmp_path / "plain"
    plain.mkdir()
    with_pc = tmp_path / "pc"
    with_pc.mkdir()
    before, *_ = revenue(export(plain))
    after, subs, codes, found = revenue(export(
        with_pc, a=A + ",void,2024-07-01 00:00",
        header=HEADER + ",Pause Collection Behavior,Pause Collection Resumes At (UTC)"))
    assert after == before and after["2024-05"] == 200.0
    assert sorted(subs[subs["customer_id"] == "cus_A"]["month"].dt.strftime("%Y-%m")) == [
        "2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    ignored = {f.column for f in found if f.code == "column_ignored"}
    assert {"Pause Collection Behavior", "Pause Collection Resumes At (UTC)"} <= ignored
    assert "subscription_paused" not in codes and "subscription_stopped" not in codes


def frame(rows: list[dict], **attrs) -> pd.DataFrame:
    out = pd.DataFrame(rows, index=range(2, 2 + len(rows)))
    for c in ("start", "trial_end", "billed_at", "pause_date", "current_period_end"):
        if c in out:
            out[c] = pd.to_datetime(out[c])
    out.attrs.update(attrs)
    return out


ROWS = [{"customer_id": "a", "start": "2024-01-05", "amount": 100.0, "status": "active"},
        {"customer_id": "b", "start": "2024-01-10", "amount": 300.0, "status": "paused", "trial_end": "2024-03-10",
         "billed_at": "2024-03-10"}]


def test_only_a_stripe_export_reads_paused_as_from_the_trial_end():
    # the rule is Stripe's: another vendor's paused row with a trial end (Chargebee, Recurly, a hand-kept list)
    # keeps the as_of rule; the Stripe profile's frame carries the flag (exports.billing_kinds.billing_frame)
    other, stripe, given = DataCheck(), DataCheck(), DataCheck()
    t_other = mrr_table(frame(ROWS), as_of="2024-05-31", check=other)
    t_stripe = mrr_table(frame(ROWS, paused_at_trial_end=True), as_of="2024-05-31", check=stripe)
    t_given = mrr_table(frame(ROWS), as_of="2024-05-31", check=given, paused_at_trial_end=True)
    # b: trial to 10 March, then 300 until 31 May (other) or nothing (Stripe)
    assert set(t_other[t_other["customer_id"] == "b"]["month"].dt.strftime("%Y-%m")) == {"2024-03", "2024-04"}
    assert set(t_stripe["customer_id"]) == set(t_given["customer_id"]) == {"a"}
    assert {f.code for f in other} >= {"subscription_stopped"}
    assert "subscription_paused_at_trial_end" in {f.code for f in stripe}


def test_unpaid_and_an_own_pause_date_are_not_the_trial_rule():
    rows = [{**ROWS[1], "customer_id": "u", "status": "unpaid"},
            # a pause date of its own (Chargebee's pause_date, Paddle's paused_at) wins over the trial end
            {**ROWS[1], "customer_id": "p", "pause_date": "2024-04-15"}]
    check = DataCheck()
    t = mrr_table(frame(rows, paused_at_trial_end=True), as_of="2024-05-31", check=check)
    paying = t[t["mrr"] > 0]   # (nobody pays in May: the table's 0 rows there carry the churn)
    months = {c: sorted(g["month"].dt.strftime("%Y-%m")) for c, g in paying.groupby("customer_id")}
    assert months == {"u": ["2024-03", "2024-04"], "p": ["2024-03"]}
    got = {f.code for f in check}
    assert {"subscription_stopped", "subscription_paused"} <= got and "subscription_paused_at_trial_end" not in got


# --------------------------------------------------------------------------- paused after paying (R8 L6)
# The reviewer's /tmp/r8/in/stripe_paused_paid.csv: cus_B (2 x 150) paid after its trial (trial end 10 February),
# current period 2024-04-10 -> 2024-05-10, paused; cus_E (80) paused at its trial end (15 March, period start 4 s
# later); export 5 June. Stripe moves the current period only on a renewal, so B's last paid period ended
# 10 May. By hand, month-end MRR: January A 100; February A + B 300 + C 100 = 500; March and April + D = 600;
# May A + D = 200 (B not renewed, C ended 1 May); June 200. 2024-05: MRR 200, NRR = GRR = 200 / 600 = 33.3 %,
# ARPA 200 / 2 = 100, MRR churn 400 / 600 = 66.7 %. Shown before: 500, 83.3 %, 83.3 %, 167, 16.7 %.
L6 = "\n".join([
    HEADER, A,
    "sub_2,cus_B,,b@x.com,B,price_m,Pro,2,usd,month,150.00,paused,2024-01-10 09:00,2024-01-10 09:00,"
    "2024-01-10 09:00,2024-04-10 09:00,2024-05-10 09:00,2024-01-10 09:00,2024-02-10 09:00,,false,,",
    C, D,
    "sub_5,cus_E,,e@x.com,E,price_m,Basic,1,usd,month,80.00,paused,2024-02-15 09:00,2024-02-15 09:00,"
    "2024-02-15 09:00,2024-03-15 09:00:04,2024-04-15 09:00:04,2024-02-15 09:00,2024-03-15 09:00,,false,,"]) + "\n"


def l6_export(tmp_path: Path) -> Path:
    p = tmp_path / "stripe_paused_paid.csv"
    p.write_text(L6, encoding="utf-8")
    return p


def test_paused_after_paying_pays_nothing_from_its_last_period_end(tmp_path):
    totals, subs, codes, _ = revenue(l6_export(tmp_path))
    assert totals == {"2024-01": 100.0, "2024-02": 500.0, "2024-03": 600.0, "2024-04": 600.0, "2024-05": 200.0,
                      "2024-06": 200.0}
    b = subs[(subs["customer_id"] == "cus_B") & (subs["mrr"] > 0)]
    assert sorted(b["month"].dt.strftime("%Y-%m")) == ["2024-02", "2024-03", "2024-04"]
    assert "cus_E" not in set(subs["customer_id"])   # paused at its trial end: never paid (R7 K9)
    f = codes["subscription_paused_at_period_end"]
    assert f.level == "info" and f.fields == {"count": 1, "customers": "cus_B", "period_end": "2024-05-10",
                                                 "first": "row 3", "row": "3"}
    assert "paused (cus_B); the last paid period ended 2024-05-10" in f.message and "no MRR from then" in f.message
    assert codes["subscription_paused_at_trial_end"].fields["customers"] == "cus_E"
    # neither the as_of rule ("does not say since when": it does) nor a pause line with a date of its own
    assert "subscription_stopped" not in codes and "subscription_paused" not in codes


def test_paused_after_paying_headline_kpis(tmp_path, capsys):
    text, shown = _may_report(tmp_path, capsys, l6_export(tmp_path))

    # by hand (above): 200, 33.3 %, 33.3 %, 100, 66.7 % (shown before: 500, 83.3 %, 83.3 %, 167, 16.7 %)
    assert shown("Monthly recurring revenue (MRR)") == "200"
    assert shown("Net revenue retention (NRR)") == "33.3%"
    assert shown("Gross revenue retention (GRR)") == "33.3%"
    assert shown("Average revenue per account (monthly)") == "100"
    assert shown("Net MRR churn rate") == "66.7%"
    assert shown("Gross MRR churn rate") == "66.7%"
    assert "the last paid period ended 2024-05-10" in text


PAID = {"customer_id": "b", "start": "2024-01-10", "amount": 300.0, "status": "paused",
        "billed_at": "2024-04-10", "current_period_end": "2024-05-10"}


def test_paused_after_paying_is_stripes_rule_and_unpaid_keeps_the_export_date():
    # another vendor's paused row (no flag) and Stripe's unpaid (Stripe keeps advancing an unpaid subscription's
    # periods, so a period end says nothing) keep the as_of rule: paying to 31 May, so in April and May
    rows = [ROWS[0], PAID, {**PAID, "customer_id": "u", "status": "unpaid"},
            # a pause date of its own wins over the period end
            {**PAID, "customer_id": "p", "pause_date": "2024-04-20"}]
    other, stripe = DataCheck(), DataCheck()
    t_other = mrr_table(frame(rows), as_of="2024-05-31", check=other)
    t_stripe = mrr_table(frame(rows, paused_at_period_end=True), as_of="2024-05-31", check=stripe)

    def months(t):
        paying = t[t["mrr"] > 0]
        return {c: sorted(g["month"].dt.strftime("%Y-%m"))[-1] for c, g in paying.groupby("customer_id")}

    assert months(t_other) == {"a": "2024-05", "b": "2024-04", "u": "2024-04", "p": "2024-03"}
    # as_of 31 May is the month's last day: the as_of rule leaves May out too; so measure at 15 June
    t_other = mrr_table(frame(rows), as_of="2024-06-15", check=DataCheck())
    t_stripe = mrr_table(frame(rows, paused_at_period_end=True), as_of="2024-06-15", check=stripe)
    assert months(t_other) == {"a": "2024-06", "b": "2024-05", "u": "2024-05", "p": "2024-03"}
    assert months(t_stripe) == {"a": "2024-06", "b": "2024-04", "u": "2024-05", "p": "2024-03"}
    f = [f for f in stripe if f.code == "subscription_paused_at_period_end"][-1]
    assert f.fields["customers"] == "b" and f.fields["period_end"] == "2024-05-10"
    assert "subscription_paused_at_period_end" not in {f.code for f in other}


def test_paused_with_a_period_ending_on_the_export_date_keeps_the_as_of_rule():
    # a period ending on the export's day may still be renewed that day: not "before the export"
    row = {**PAID, "current_period_end": "2024-06-15"}
    check = DataCheck()
    t = mrr_table(frame([ROWS[0], row], paused_at_period_end=True), as_of="2024-06-15", check=check)
    b = t[(t["customer_id"] == "b") & (t["mrr"] > 0)]
    assert sorted(b["month"].dt.strftime("%Y-%m"))[-1] == "2024-05"
    got = {f.code for f in check}
    assert "subscription_stopped" in got and "subscription_paused_at_period_end" not in got
