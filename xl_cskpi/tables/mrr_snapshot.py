"""The month-end snapshot of :func:`xl_cskpi.tables.subscriptions.mrr_table` (split from that module: one
idea per module): the first and snapshot day of each month, and the customer-months every row pays in,
summed per customer (and currency)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import calendars
from .billing_read import _day_numbers

__all__ = ["_customer_months", "_month_days"]


def _month_days(first: int, last: int, calendar: str, as_of_day: int) -> tuple[np.ndarray, np.ndarray]:
    """(first day, snapshot day) of each month ordinal first..last: the snapshot is the month's last
    day, or ``as_of`` in the month that holds it."""
    starts = _day_numbers(calendars.period_start_dates(np.arange(first, last + 2), "month", calendar,
                                                      arg="calendar"))
    snapshot = starts[1:] - 1
    snapshot[-1] = min(snapshot[-1], as_of_day)
    return starts[:-1], snapshot


def _customer_months(cust: np.ndarray, from_day: np.ndarray, until_day: np.ndarray, monthly: np.ndarray,
                     plan: np.ndarray | None, snapshot: np.ndarray, *, fx: Any = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(customer code, month index, summed MRR, plan) of every customer-month with MRR > 0, sorted by
    customer code then month.

    ``fx`` (several currencies): ``(currency code of each row, n_currencies, rate(rows, months))``;
    amounts are converted at the rate of their month, and with ``fx.split`` the entries are per
    customer, currency and month (the customer code returned is then ``customer * n + currency``).
    """
    k0 = np.searchsorted(snapshot, from_day, side="left")   # first month whose snapshot >= start
    k1 = np.searchsorted(snapshot, until_day, side="left")  # months whose snapshot < end
    n_rows = np.maximum(k1 - k0, 0)
    total = int(n_rows.sum())
    row = np.repeat(np.arange(len(cust)), n_rows)
    k = k0[row] + (np.arange(total) - np.repeat(np.cumsum(n_rows) - n_rows, n_rows))
    n_months = len(snapshot)
    group = cust if fx is None or not fx.split else cust * fx.n + fx.codes
    key = group[row] * n_months + k
    order = np.argsort(key, kind="stable")  # stable: rows of one key stay in export order
    ordered = key[order]
    first = np.ones(total, dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(first)
    amounts = monthly[row[order]]
    if fx is not None and total:
        fx.local = np.add.reduceat(amounts, starts)
        amounts = amounts * fx.rate(row[order], k[order])
    value = np.add.reduceat(amounts, starts) if total else np.empty(0)
    ukey = ordered[starts]
    top_plan = np.full(len(ukey), None, dtype=object)
    if plan is not None and total:
        # the plan of a customer-month: that of its largest subscription (first in the export on a tie)
        group = np.cumsum(first) - 1
        largest = np.maximum.reduceat(amounts, starts)
        candidates = np.flatnonzero(amounts == largest[group])
        pick = np.ones(len(candidates), dtype=bool)
        pick[1:] = group[candidates[1:]] != group[candidates[:-1]]
        top_plan = plan[row[order[candidates[pick]]]]
    return ukey // n_months, ukey % n_months, value, top_plan
