"""Data check lines and refusals of a subscriptions export that are about *what kind of rows* it holds
(split from :mod:`xl_cskpi.tables.subscriptions`: one idea per module):

* :func:`report_rows` -- one-time charges left out of MRR (with their amount: Chargebee Product
  Catalog 2.0's ``charge`` items; ChartMogul: "One-time payments and metered charges are excluded"),
  pauses applied (Chargebee ``pause_date`` -> ``resume_date``), an export without an interval column
  read as monthly prices;
* :func:`report_scheduled` -- end dates after the export was taken, not counted as its events (as_of);
* :func:`payments_like` -- an export without interval, end or period in which a customer has equal
  amounts a month apart is payments, not subscriptions: refused.

Each finding carries ``row`` (the file's row number) besides the English ``first`` ("row 7"), so that
the translated sentences say the row in their own words.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..errors import InvalidInput

__all__ = ["report_rows", "report_scheduled", "payments_like", "iso"]

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
        "service period; if these rows are subscriptions, map their end or interval column", argument="start")
