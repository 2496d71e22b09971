"""Data check lines and refusals of a subscriptions export that are about *what kind of rows* it holds
(split from :mod:`xl_cskpi.tables.subscriptions`: one idea per module):

* :func:`report_rows` -- one-time charges left out of MRR (with their amount: Chargebee Product
  Catalog 2.0's ``charge`` items; ChartMogul: "One-time payments and metered charges are excluded"),
  pauses applied (Chargebee ``pause_date`` -> ``resume_date``), an export without an interval column
  read as monthly prices;
* :func:`report_trial_paused` -- Stripe subscriptions paused when their trial ended without a payment
  method, naming the customers: no MRR from the trial end (reviewer's R7 K9);
* :func:`report_period_paused` -- Stripe subscriptions paused after paying, whose current period ended
  before the export (not renewed): no MRR from that period end (reviewer's R8 L6);
* :func:`report_scheduled` -- end dates after the export was taken, not counted as its events (as_of);
* :func:`vendor_mrr_check` -- the export's own MRR column (Chargebee's ``subscriptions.mrr``) against
  the MRR read here on the export's date: a difference is a warning (a discount, an addon or a status
  the reading missed -- reviewer's G1: a paused subscription counted at 59 where Chargebee said 0.00);
* :func:`payments_like` -- an export without interval, end or period in which a customer has equal
  amounts a month apart is payments, not subscriptions: refused.

Each finding carries ``row`` (the file's row number) besides the English ``first`` ("row 7"), so that
the translated sentences say the row in their own words.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidInput

__all__ = ["report_rows", "report_trial_paused", "report_period_paused", "report_scheduled", "payments_like", "vendor_mrr_check", "iso"]

_NAT = np.iinfo(np.int64).min


def iso(day: int) -> str:
    """Day number since 1970-01-01 -> ``YYYY-MM-DD``."""
    return str(np.datetime64(int(day), "D"))


def _row(label: str) -> str:
    """``"row 7"`` -> ``"7"`` (the label itself when it holds no number)."""
    m = re.search(r"\d+", label)
    return m.group(0) if m else label


def report_rows(check: Any, file: str | None, where, *, one_time: np.ndarray, amount: np.ndarray,
                quantity: np.ndarray | None, paused: np.ndarray, pause_date: np.ndarray | None,
                resume_date: np.ndarray | None, monthly: np.ndarray | None) -> None:
    """Info lines ``billing_one_time``, ``subscription_paused`` and ``interval_absent`` (see the module)."""
    if check is None:
        return
    if one_time.any():
        q = np.ones(len(amount)) if quantity is None else np.where(np.isnan(quantity), 1.0, quantity)
        total = float(np.nansum(amount[one_time] * q[one_time]))
        i = int(np.flatnonzero(one_time)[0])
        count, first, total_text = int(one_time.sum()), where(i), f"{total:,.2f}"
        check.info("billing_one_time", f"{count:,} one-time charge(s) (item type charge: a setup or onboarding fee), "
                   f"{total_text} in all: not recurring revenue, left out of MRR (first at {first})", file=file,
                   table="Billing", fields={"count": count, "amount": total_text, "first": first, "row": _row(first)})
    if paused.any():
        i = int(np.flatnonzero(paused)[0])
        count, first = int(paused.sum()), where(i)
        resume = iso(resume_date[i]) if resume_date is not None and resume_date[i] != _NAT else "-"
        check.info("subscription_paused", f"{count:,} paused subscription row(s): no MRR from the pause date to the "
                   f"resume date (first at {first}: {iso(pause_date[i])} -> {resume})", file=file, table="Billing",
                   fields={"count": count, "first": first, "row": _row(first), "pause": iso(pause_date[i]),
                           "resume": resume})
    if monthly is not None and monthly.any():
        count = int(monthly.sum())
        check.info("interval_absent", f"the export has no interval column: each of its {count:,} amounts is read as "
                   "a monthly price (map the interval column if some are yearly, quarterly or weekly)", file=file,
                   table="Billing", fields={"count": count})


def _rows_and_customers(rows: np.ndarray, ids: np.ndarray, cust: np.ndarray) -> tuple[np.ndarray, str]:
    """The indexes of ``rows`` and their customers, the first five in row order (", ..." past five)."""
    idx = np.flatnonzero(rows)
    names = list(dict.fromkeys(str(ids[cust[i]]) for i in idx if cust[i] >= 0))
    return idx, ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")


def report_trial_paused(check: Any, file: str | None, where, *, rows: np.ndarray, ids: np.ndarray,
                        cust: np.ndarray, trial_end: np.ndarray | None) -> None:
    """Info line ``subscription_paused_at_trial_end``: Stripe subscriptions whose status ``paused`` began at
    their trial end (:func:`xl_cskpi.tables.subscriptions._paused_at_trial_end`), with their customers (the
    first five, in row order) and the first row's trial end: no MRR from that day."""
    if check is None or trial_end is None or not rows.any():
        return
    idx, customers = _rows_and_customers(rows, ids, cust)
    i = int(idx[0])
    count, first, day = len(idx), where(i), iso(trial_end[i])
    check.info("subscription_paused_at_trial_end",
               f"{count:,} Stripe subscription(s) paused when the trial ended without a payment method ({customers}): "
               f"no MRR from the trial end ({day}, first at {first}); a paused subscription creates no invoices",
               file=file, table="Billing", fields={"count": count, "customers": customers, "trial_end": day,
                                                   "first": first, "row": _row(first)})


def report_period_paused(check: Any, file: str | None, where, *, rows: np.ndarray, ids: np.ndarray,
                         cust: np.ndarray, period_end: np.ndarray | None) -> None:
    """Info line ``subscription_paused_at_period_end``: Stripe subscriptions paused after paying whose
    current period ended before the export (:func:`xl_cskpi.tables.subscriptions._paused_at_period_end`),
    with their customers (the first five, in row order) and the first row's period end: no MRR from then."""
    if check is None or period_end is None or not rows.any():
        return
    idx, customers = _rows_and_customers(rows, ids, cust)
    i = int(idx[0])
    count, first, day = len(idx), where(i), iso(period_end[i])
    check.info("subscription_paused_at_period_end",
               f"{count:,} Stripe subscription(s) paused ({customers}); the last paid period ended {day} "
               f"(first at {first}) and was not renewed: no MRR from then (Stripe moves the current period "
               "only on a renewal; a paused subscription creates no invoices)",
               file=file, table="Billing", fields={"count": count, "customers": customers, "period_end": day,
                                                   "first": first, "row": _row(first)})


def report_scheduled(check: Any, file: str | None, where, *, later: np.ndarray, end: np.ndarray,
                     bound: int | None, as_of_day: int) -> None:
    """Info line ``end_scheduled``: ends on or after ``bound`` (the earliest current period end of a
    subscription still running: the export was taken before it) are not events of the export."""
    if check is None or bound is None or not later.any():
        return
    i = int(np.flatnonzero(later)[0])
    count, first = int(later.sum()), where(i)
    check.info("end_scheduled", f"{count:,} end date(s) fall on or after {iso(bound)}, when a subscription still "
               f"running renews (first at {first}: {iso(end[i])}): the export was taken before, so they are "
               f"scheduled, not events; the months run to {iso(as_of_day)}", file=file, table="Billing",
               fields={"count": count, "bound": iso(bound), "first": first, "row": _row(first), "end": iso(end[i]),
                       "as_of": iso(as_of_day)})


def payments_like(cust: np.ndarray, ids: np.ndarray, start: np.ndarray, amount: np.ndarray,
                  quantity: np.ndarray | None, counted: np.ndarray, where) -> None:
    """Refuse an export without interval, end or period in which one customer has two rows of the same
    amount starting 20 days or more apart: those are payments (one a month), not subscriptions -- read as
    subscriptions, each would be a new one that never ends (reviewer's G3: MRR 1,348 for 248)."""
    idx = np.flatnonzero(counted & (cust >= 0) & (start != _NAT))
    if len(idx) < 2:
        return
    q = np.ones(len(amount)) if quantity is None else np.where(np.isnan(quantity), 1.0, quantity)
    price = np.round(amount[idx] * q[idx], 6)
    order = np.lexsort((start[idx], price, cust[idx]))
    o = idx[order]
    p = price[order]
    same = (cust[o][1:] == cust[o][:-1]) & (p[1:] == p[:-1]) & (start[o][1:] - start[o][:-1] >= 20)
    if not same.any():
        return
    j = int(np.flatnonzero(same)[0])
    a, b = int(o[j]), int(o[j + 1])
    raise InvalidInput(
        f"gives customer {ids[cust[a]]} two rows of {amount[a]:g} starting {iso(start[a])} ({where(a)}) and "
        f"{iso(start[b])} ({where(b)}), and the export has no interval, end or period: these look like payments, "
        "not subscriptions (each would be a new subscription that never ends). A payments export gives no MRR: "
        "export the subscriptions (one row per subscription, with its interval and end), or invoice lines with their "
        "service period; if these rows are subscriptions, give the export an interval column (month, year ...) or "
        "their end dates", argument="start")


def vendor_mrr_check(check: Any, file: str | None, where, *, vendor: np.ndarray, sub: np.ndarray | None,
                     monthly: np.ndarray, pays: np.ndarray, judged: np.ndarray, as_of_day: int, column: str) -> None:
    """Warning ``vendor_mrr_differs``: subscriptions whose MRR read here on ``as_of_day`` (the sum of
    ``monthly`` over their rows that ``pays`` then) differs from the export's own MRR ``vendor`` (the
    subscription's first filled value) by more than 0.5 % (and 0.01). ``sub`` groups the rows of one
    subscription (Chargebee PC 2.0: one row per item; blank: each row alone); only ``judged`` rows
    (not trials, never paid, unbilled or voided) are compared."""
    if check is None:
        return
    n = len(vendor)
    key = np.arange(n).astype(object)
    if sub is not None:
        given = np.array([v is not None for v in sub], dtype=bool)
        key = np.where(given, np.asarray(sub, dtype=object), key)
    codes, _ = pd.factorize(key.astype(str))
    ours = np.bincount(codes, weights=np.where(pays, monthly, 0.0))
    theirs = np.full(codes.max() + 1 if n else 0, np.nan)
    first_row = np.full(len(theirs), -1)
    for i in np.flatnonzero(~np.isnan(vendor))[::-1]:   # each subscription's first filled value
        theirs[codes[i]], first_row[codes[i]] = vendor[i], i
    ok = np.bincount(codes, weights=(~judged).astype(float)) == 0
    diff = ok & ~np.isnan(theirs) & (np.abs(ours - theirs) > np.maximum(0.01, 0.005 * np.abs(theirs)))
    if not diff.any():
        return
    g = int(np.flatnonzero(diff)[0])
    first = where(int(first_row[g]))
    count, a, b = int(diff.sum()), f"{ours[g]:,.2f}", f"{theirs[g]:,.2f}"
    check.warn("vendor_mrr_differs", f"{count:,} subscription(s) have an MRR on {iso(as_of_day)} that differs from the "
               f"export's own column {column} (first at {first}: {a} read here, {b} in the export): check their "
               "discounts, addons and status; the report uses its own reading", file=file, table="Billing",
               column=column, fields={"count": count, "as_of": iso(as_of_day), "column": column, "first": first,
                                      "row": _row(first), "ours": a, "theirs": b})
