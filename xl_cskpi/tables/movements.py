"""MRR movements from a row-level billing export: the monthly MRR bridge.

The export has one row per customer per month (``customer_ids``, ``months``, ``mrr``), as billing
tools and ChartMogul's "MRR by customer" export give it. :func:`mrr_movements` returns one row per
month with the bridge and the customer counts. The rows are read by :mod:`xl_cskpi.tables.rows`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import calendars, cells
from ..errors import OutOfRange
from ..registry import kpi
from .rows import MAX_MONTHS, check_rows, check_span, flat_ranges, row_codes, row_numbers, row_periods, \
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
    flat = flat_ranges(customer_ids=customer_ids, months=months, mrr=mrr)
    cust, _, cols = row_codes(flat["customer_ids"], "customer_ids")
    ords, month_blank, _ = row_periods(flat["months"], "months", "month", calendar)
    amount = row_numbers(flat["mrr"], "mrr")
    if (amount < 0).any():
        i = int(np.flatnonzero(amount < 0)[0])
        raise OutOfRange(f"is {amount[i]:g} in {row_where(i, cols)}; MRR cannot be negative (record refunds "
                         "and credits outside the MRR export)", argument="mrr")
    keep = check_rows({"customer_ids": cust < 0, "months": month_blank, "mrr": np.isnan(amount)},
                      cols, required=("customer_ids", "months"))
    cust, ords, amount = cust[keep], ords[keep], np.nan_to_num(amount[keep])
    first, last = check_span(ords, "months", "month", calendar, MAX_MONTHS)
    n_months = last - first + 1
    t_row = ords - first

    # one entry per (customer, month) with the summed MRR, sorted by customer then month
    key = cust * n_months + t_row
    ukey, inverse = sorted_unique(key)
    value = np.bincount(inverse, weights=amount, minlength=len(ukey))
    paying = value > 0
    ukey, value = ukey[paying], value[paying]
    c, t = ukey // n_months, ukey % n_months

    same_prev = np.zeros(len(c), dtype=bool)
    same_prev[1:] = c[1:] == c[:-1]
    consecutive = np.zeros(len(c), dtype=bool)  # paying in the month just before, too
    consecutive[1:] = same_prev[1:] & (t[1:] == t[:-1] + 1)
    previous = np.zeros(len(c))
    previous[1:] = value[:-1]
    delta = value - np.where(consecutive, previous, 0.0)
    is_new = ~same_prev
    is_react = same_prev & ~consecutive
    is_exp = consecutive & (delta > 0)
    is_con = consecutive & (delta < 0)
    next_consecutive = np.zeros(len(c), dtype=bool)
    next_consecutive[:-1] = consecutive[1:]
    churns = ~next_consecutive & (t + 1 < n_months)  # not paying the month after: churned then

    def per_month(mask: np.ndarray, weights: np.ndarray | None = None, shift: int = 0) -> np.ndarray:
        w = None if weights is None else weights[mask].astype(float)
        out = np.bincount(t[mask] + shift, weights=w, minlength=n_months)[:n_months]
        return out.astype(float) if weights is not None else out.astype(np.int64)

    ending = per_month(np.ones(len(c), bool), value)
    starting = np.concatenate([[0.0], ending[:-1]])
    at_end = per_month(np.ones(len(c), bool))
    at_start = np.concatenate([[0], at_end[:-1]]).astype(np.int64)
    table = pd.DataFrame({
        "Month": calendars.ordinal_labels(np.arange(first, last + 1), "month", calendar, arg="months"),
        "Starting MRR": starting,
        "New MRR": per_month(is_new, value),
        "Expansion MRR": per_month(is_exp, delta),
        "Contraction MRR": -per_month(is_con, delta),
        "Churned MRR": per_month(churns, value, shift=1),
        "Reactivation MRR": per_month(is_react, value),
        "Ending MRR": ending,
        "Customers at start": at_start,
        "New customers": per_month(is_new),
        "Churned customers": per_month(churns, shift=1),
        "Reactivated customers": per_month(is_react),
        "Customers at end": at_end,
    })
    table["Contraction MRR"] += 0.0  # -0.0 reads oddly in a sheet
    return table
