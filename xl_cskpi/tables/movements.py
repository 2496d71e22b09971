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
from .rows import MAX_MONTHS, check_rows, check_span, raw_ranges, row_codes, row_numbers, row_periods, \
    row_where, sorted_unique

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

    n_customers = len(ids)
    if _dense(n_customers * n_months, len(cust)):
        # the usual export: MRR summed over a month x customer grid (rows of one customer and month
        # added in row order), a month's row written in one sweep whether the export comes by
        # customer (ten streams) or by month (one); the movements read off the grid month by month
        key = ords - first
        del ords
        key *= n_customers
        key += cust
        del cust
        grid = np.bincount(key, weights=amount, minlength=n_customers * n_months).reshape(n_months, n_customers)
        del key, amount
        amounts, counts, ending = _grid_movements(grid)
    else:  # a sparse export (few rows over a long span): the paid customer-months, sorted
        key = cust * n_months
        key += ords
        key -= first
        del cust, ords
        ukey, inverse = sorted_unique(key)
        value = np.bincount(inverse, weights=amount, minlength=len(ukey))
        paying = value > 0
        del key, amount, inverse
        amounts, counts, ending = _entry_movements(ukey[paying], value[paying], n_months)
    starting = np.concatenate([[0.0], ending[:-1]])
    at_end = counts[:5].sum(axis=0)
    at_start = np.concatenate([[0], at_end[:-1]]).astype(np.int64)
    table = pd.DataFrame({
        "Month": calendars.ordinal_labels(np.arange(first, last + 1), "month", calendar, arg="months"),
        "Starting MRR": starting,
        "New MRR": amounts[0],
        "Expansion MRR": amounts[2],
        "Contraction MRR": -amounts[3],
        "Churned MRR": amounts[5],
        "Reactivation MRR": amounts[1],
        "Ending MRR": ending,
        "Customers at start": at_start,
        "New customers": counts[0],
        "Churned customers": counts[5],
        "Reactivated customers": counts[1],
        "Customers at end": at_end,
    })
    table["Contraction MRR"] += 0.0  # -0.0 reads oddly in a sheet
    return table


def _dense(slots: int, rows: int) -> bool:
    """Whether the customer x month grid is dense enough to count over (at most four slots per row,
    or a million): else the paid customer-months are sorted."""
    return slots <= max(4 * rows, 1 << 20)


#: Cells of the grid read at once by :func:`_grid_movements` (a block of whole months).
GRID_BLOCK = 1 << 20


def _grid_movements(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The movements of a month x customer grid of summed MRR (0 = not paying; customers numbered as
    the entries of :func:`_entry_movements` are sorted): ``(amounts, counts, ending)``, amounts and
    counts ``(6, months)``: new, reactivation, expansion, contraction, unchanged, churned (amounts
    lost positive); ending MRR per month.

    Every sum adds its customers' amounts one by one in customer order, starting from 0, as
    :func:`_entry_movements`' ``bincount`` over the customer-major entries does: the same bits. (A
    month's sum here also adds the +0.0 of customers in other buckets or not paying; adding +0.0 to
    a sum that started at +0.0 changes no bit. Churned MRR is summed negated, as ``0 - prev``, and
    negated back: rounding to nearest is symmetric, and every churned amount is above 0.)
    """
    n_months, n = grid.shape
    step = max(1, min(n_months, GRID_BLOCK // max(n, 1)))
    local_t = np.repeat(np.arange(step, dtype=np.int64), n)  # each cell's month within a block
    amounts = np.zeros((7, n_months))
    counts = np.zeros((7, n_months), dtype=np.int64)
    ending = np.zeros(n_months)
    ever = np.zeros(n, dtype=bool)  # paying in a month before the block
    for a in range(0, n_months, step):
        b = min(a + step, n_months)
        cur = grid[a:b]
        prev = np.empty_like(cur)
        prev[0] = grid[a - 1] if a else 0.0
        prev[1:] = grid[a:b - 1]
        paying = cur > 0
        was = prev > 0  # paying in the month before
        seen = np.empty_like(paying)  # paying in some month before
        seen[0] = ever
        if b - a > 1:
            np.logical_or.accumulate(paying[:-1], axis=0, out=seen[1:])
            seen[1:] |= ever
        ever |= seen[-1] | paying[-1]
        delta = cur - prev  # = cur when not paying the month before (prev is +0.0 there)
        # movement: 0 new, 1 reactivation, 2 expansion, 3 contraction, 4 unchanged, 5 churned, 6 none
        kind = (delta == 0).view(np.int8) * np.int8(2)
        kind += (delta < 0).view(np.int8)
        kind += np.int8(1)
        kind *= was.view(np.int8)
        kind += seen.view(np.int8)
        np.copyto(kind, (np.int8(6) - was.view(np.int8)), where=~paying)
        bucket = kind.astype(np.int64).reshape(-1)
        bucket *= step
        bucket += local_t[:bucket.size]
        m = b - a
        amounts[:, a:b] = np.bincount(bucket, weights=delta.reshape(-1), minlength=7 * step).reshape(7, step)[:, :m]
        counts[:, a:b] = np.bincount(bucket, minlength=7 * step).reshape(7, step)[:, :m]
        ending[a:b] = np.bincount(local_t[:bucket.size], weights=cur.reshape(-1), minlength=step)[:m]
    amounts[5] = 0.0 - amounts[5]  # summed as 0 - prev (every churned amount > 0: exactly negated)
    return amounts[:6], counts[:6], ending


def _entry_movements(ukey: np.ndarray, value: np.ndarray, n_months: int
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_grid_movements` from the paid customer-months: ``ukey`` = customer * months + month,
    sorted, ``value`` their MRR (> 0)."""
    c, t = np.divmod(ukey, n_months)
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
    amounts = np.zeros((6, n_months))
    counts = np.zeros((6, n_months), dtype=np.int64)
    amounts[:5] = np.bincount(bucket, weights=delta, minlength=5 * n_months).reshape(5, n_months)
    counts[:5] = np.bincount(bucket, minlength=5 * n_months).reshape(5, n_months)
    ending = np.bincount(t, weights=value, minlength=n_months).astype(float)
    gone = t[churns] + 1
    amounts[5] = np.bincount(gone, weights=value[churns], minlength=n_months + 1)[:n_months]
    counts[5] = np.bincount(gone, minlength=n_months + 1)[:n_months]
    return amounts, counts, ending


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
