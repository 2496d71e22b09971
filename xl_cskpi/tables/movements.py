"""MRR movements from a row-level billing export: the monthly MRR bridge.

The export has one row per customer per month (``customer_ids``, ``months``, ``mrr``), as billing
tools and ChartMogul's "MRR by customer" export give it. :func:`mrr_movements` returns one row per
month with the bridge and the customer counts. The rows are read by :mod:`xl_cskpi.tables.rows`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import calendars, cells
from ..errors import OutOfRange
from ..registry import kpi
from .rows import MAX_MONTHS, check_rows, check_span, dense_unique, raw_ranges, row_codes, row_numbers, \
    row_periods, row_where, sorted_unique

__all__ = ["mrr_movements", "MOVEMENT_COLUMNS"]

#: Column headers of :func:`mrr_movements`, in order.
MOVEMENT_COLUMNS = (
    "Month", "Starting MRR", "New MRR", "Expansion MRR", "Contraction MRR", "Churned MRR",
    "Reactivation MRR", "Ending MRR", "Customers at start", "New customers", "Churned customers",
    "Reactivated customers", "Customers at end",
)

# --------------------------------------------------------------------------- MRR movements


@kpi(category="Revenue", returns="table", rows=("customer_ids", "months", "mrr"), neutral={"mrr": 0}, args={
    "customer_ids": "Customer id of each row of the billing export (text or numbers)",
    "months": "Month of each row: a date, an Excel serial or a label such as 2024-09 or 1403-06",
    "mrr": "MRR of the customer in that month (0 or blank = not paying; rows of the same "
           "customer and month are summed)",
    "calendar": 'Calendar that dates are bucketed by: "gregorian", "jalali" or "hijri"',
})
def mrr_movements(customer_ids, months, mrr, calendar="gregorian"):
    """MRR bridge per month: starting, new, expansion, contraction, churned, reactivation, ending MRR.

    One row per month from the first to the last month of the export, months without rows included,
    with the columns ``Month, Starting MRR, New MRR, Expansion MRR, Contraction MRR, Churned MRR,
    Reactivation MRR, Ending MRR, Customers at start, New customers, Churned customers, Reactivated
    customers, Customers at end``. Amounts lost (contraction, churn) are positive numbers.

    Formula (ChartMogul's movement types), for each customer between month m-1 and month m, with
    MRR = the sum of the customer's rows in the month and "paying" meaning MRR > 0:

    * **new**: paying in m and never paying before m -- MRR(m);
    * **reactivation**: paying in m, not paying in m-1, paying in some month before -- MRR(m);
    * **expansion** / **contraction**: paying in both, MRR(m) - MRR(m-1) above / below 0;
    * **churned**: paying in m-1, not paying in m (MRR 0, blank, or no row at all) -- MRR(m-1).

    Starting MRR of m = ending MRR of m-1 = the sum of MRR in m-1; the bridge
    ``start + new + expansion + reactivation - contraction - churned = end`` holds in every month
    (exactly for whole amounts, to float rounding otherwise), and so does
    ``customers at start + new + reactivated - churned = customers at end``.

    The first month of the export starts from zero: every customer paying in it is **new**. To
    read the first month as an opening balance, include the month before it and ignore its row.

    Per segment (``segments``: a plan, region or owner per row): one bridge per segment over the
    export's whole span of months, stacked, with a leading ``segment`` column; each segment sees
    the other segments' rows as MRR 0. The segments' amounts add up to the whole bridge. A
    customer whose rows move from one segment to another (a plan change) churns from the first
    and is new (or reactivated) in the second, as in a bridge filtered by plan.

    ``months`` are dates (date cells, Excel serials, ISO text; bucketed by ``calendar``) or month
    labels ``YYYY-MM`` in any calendar (``"1403-06"``, Persian digits too), not a mix of both.

    Edge cases: several rows for the same customer and month are summed (plans, add-ons); a
    negative MRR is ``#NUM!`` (record refunds elsewhere); a row with an id or a month but not the
    other is ``#VALUE!`` naming the row, a blank MRR is 0, an entirely blank row is skipped;
    ranges of different sizes are ``#VALUE!``; no rows is ``#N/A``; months spanning more than a
    century is ``#NUM!`` (a mistyped year).

    Source: ChartMogul, "MRR movements" and "Reactivation MRR" (help.chartmogul.com): new business,
    expansion, contraction, churn and reactivation, with churn when a customer's MRR falls to 0.

    Example -- two customers over three months: A pays 100, 150, 0; B pays 0, 50, 50:

    >>> t = mrr_movements(["A", "A", "B", "B"], ["2024-09", "2024-10", "2024-10", "2024-11"],
    ...                   [100, 150, 50, 50])
    >>> t[["Month", "Starting MRR", "New MRR", "Expansion MRR", "Churned MRR", "Ending MRR"]]
         Month  Starting MRR  New MRR  Expansion MRR  Churned MRR  Ending MRR
    0  2024-09           0.0    100.0            0.0          0.0       100.0
    1  2024-10         100.0     50.0           50.0          0.0       200.0
    2  2024-11         200.0      0.0            0.0        150.0        50.0
    """
    calendar = cells.choice(calendar, "calendar", calendars.CALENDARS, default="gregorian")
    cust, ids, cols, ords, amount, first, last = mrr_rows(customer_ids, months, mrr, calendar)
    n_months = last - first + 1

    # one entry per (customer, month) paid for, with the summed MRR, sorted by customer then month:
    # counted over the customer x month key space when it is dense enough (the usual export), else sorted
    key = cust * n_months
    key += ords
    key -= first
    del cust, ords
    dense = dense_unique(key, len(ids) * n_months, amount)
    if dense is not None:
        ukey, value = dense
    else:
        ukey, inverse = sorted_unique(key)
        value = np.bincount(inverse, weights=amount, minlength=len(ukey))
        paying = value > 0
        ukey, value = ukey[paying], value[paying]
    del key, amount, dense
    c, t = np.divmod(ukey, n_months)
    del ukey

    same_prev = np.zeros(len(c), dtype=bool)
    same_prev[1:] = c[1:] == c[:-1]
    consecutive = np.zeros(len(c), dtype=bool)  # paying in the month just before, too
    consecutive[1:] = same_prev[1:] & (t[1:] == t[:-1] + 1)
    previous = np.zeros(len(c))
    previous[1:] = value[:-1]
    delta = value - np.where(consecutive, previous, 0.0)  # = value for new and reactivated entries
    # each entry's movement: 0 new, 1 reactivation, 2 expansion, 3 contraction, 4 unchanged
    kind = same_prev.astype(np.int64) + consecutive * (1 + (delta < 0) + 2 * (delta == 0))
    next_consecutive = np.zeros(len(c), dtype=bool)
    next_consecutive[:-1] = consecutive[1:]
    churns = ~next_consecutive & (t + 1 < n_months)  # not paying the month after: churned then

    # every movement's amount and count per month in two counting passes (bincount adds each
    # bucket's entries in entry order, as one bincount per movement would)
    bucket = kind * n_months + t
    amounts = np.bincount(bucket, weights=delta, minlength=5 * n_months).reshape(5, n_months)
    counts = np.bincount(bucket, minlength=5 * n_months).reshape(5, n_months).astype(np.int64)
    ending = np.bincount(t, weights=value, minlength=n_months).astype(float)
    starting = np.concatenate([[0.0], ending[:-1]])
    at_end = counts.sum(axis=0)
    at_start = np.concatenate([[0], at_end[:-1]]).astype(np.int64)
    gone = t[churns] + 1
    churned = np.bincount(gone, weights=value[churns], minlength=n_months + 1)[:n_months].astype(float)
    churned_n = np.bincount(gone, minlength=n_months + 1)[:n_months].astype(np.int64)
    table = pd.DataFrame({
        "Month": calendars.ordinal_labels(np.arange(first, last + 1), "month", calendar, arg="months"),
        "Starting MRR": starting,
        "New MRR": amounts[0],
        "Expansion MRR": amounts[2],
        "Contraction MRR": -amounts[3],
        "Churned MRR": churned,
        "Reactivation MRR": amounts[1],
        "Ending MRR": ending,
        "Customers at start": at_start,
        "New customers": counts[0],
        "Churned customers": churned_n,
        "Reactivated customers": counts[1],
        "Customers at end": at_end,
    })
    table["Contraction MRR"] += 0.0  # -0.0 reads oddly in a sheet
    return table


def mrr_rows(customer_ids: Any, months: Any, mrr: Any, calendar: str):
    """The rows of an MRR export as MRR_MOVEMENTS and the movement-based retention read them:
    ``(customer codes, ids, column names, month ordinals, MRR with blanks as 0, first, last month)``.

    Blank rows are skipped; a negative MRR, a row with MRR but no customer or month, or a span past
    ``MAX_MONTHS`` is an error naming the row."""
    flat = raw_ranges(customer_ids=customer_ids, months=months, mrr=mrr)
    cust, ids, cols = row_codes(flat["customer_ids"], "customer_ids")
    ords, month_blank, _ = row_periods(flat["months"], "months", "month", calendar, monthly_rows=True)
    amount = row_numbers(flat["mrr"], "mrr")
    if (amount < 0).any():
        i = int(np.flatnonzero(amount < 0)[0])
        raise OutOfRange(f"is {amount[i]:g} in {row_where(i, cols)}; MRR cannot be negative (record refunds "
                         "and credits outside the MRR export)", argument="mrr")
    keep = check_rows({"customer_ids": cust < 0, "months": month_blank, "mrr": np.isnan(amount)},
                      cols, required=("customer_ids", "months"))
    if not keep.all():  # (an export without blank rows is not copied)
        cust, ords, amount = cust[keep], ords[keep], amount[keep]
    del keep, month_blank, flat
    given = mrr.to_numpy() if isinstance(mrr, pd.Series) else mrr
    amount = np.nan_to_num(amount, copy=isinstance(given, np.ndarray) and np.may_share_memory(amount, given))
    first, last = check_span(ords, "months", "month", calendar, MAX_MONTHS)
    return cust, ids, cols, ords, amount, first, last
