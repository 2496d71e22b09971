"""Revenue cohorts: net MRR retention and realised revenue per customer by first-paying month.

Both read the row-level export ``MRR_MOVEMENTS`` reads (customer | month | MRR) and group customers
by the month they first paid (MRR above 0): the cohort. ``COHORT_RETENTION`` counts customers;
these follow money.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import calendars, cells
from ..errors import NotAvailable
from ..registry import kpi
from .revenue_movements import paying_entries
from .rows import sorted_unique

__all__ = ["cohort_mrr_retention", "cohort_cumulative_revenue"]

_ARGS = {
    "customer_ids": "Customer id of each row of the billing export (text or numbers)",
    "months": "Month of each row: a date, an Excel serial or a label such as 2024-09 or 1403-06",
    "mrr": "MRR of the customer in that month (0 or blank = not paying; rows of the same customer and "
           "month are summed)",
    "calendar": 'Calendar that dates are bucketed by: "gregorian", "jalali" or "hijri"',
}


def _cohort_matrix(customer_ids, months, mrr, calendar):
    """(cohort ordinals, cohort sizes, MRR by cohort x age, span, first ordinal)."""
    calendar = cells.choice(calendar, "calendar", calendars.CALENDARS, default="gregorian")
    c, t, value, first, span = paying_entries(customer_ids, months, mrr, calendar)
    if not len(c):
        raise NotAvailable("has no customer with MRR above 0 in any month", argument="mrr")
    starts = np.ones(len(c), dtype=bool)
    starts[1:] = c[1:] != c[:-1]
    cohort_of_entry = t[np.maximum.accumulate(np.where(starts, np.arange(len(c)), 0))]
    age = t - cohort_of_entry
    cohorts, row = sorted_unique(cohort_of_entry)
    sizes = np.bincount(row[starts], minlength=len(cohorts)).astype(np.int64)
    money = np.bincount(row * span + age, weights=value, minlength=len(cohorts) * span).reshape(len(cohorts), span)
    unobserved = cohorts[:, None] + np.arange(span)[None, :] > span - 1
    return cohorts, sizes, money, unobserved, first, calendar


def _frame(values: np.ndarray, cohorts, first, calendar, lead: dict) -> pd.DataFrame:
    table = pd.DataFrame(values, columns=[f"Month {k}" for k in range(values.shape[1])])
    for i, (name, col) in enumerate(lead.items()):
        table.insert(i, name, col)
    table.insert(0, "Cohort", calendars.ordinal_labels(cohorts + first, "month", calendar, arg="months"))
    return table


@kpi(category="Revenue", returns="table", rows=("customer_ids", "months", "mrr"), neutral={"mrr": 0}, args=_ARGS)
def cohort_mrr_retention(customer_ids, months, mrr, calendar="gregorian"):
    """Net MRR retention per first-month cohort: the cohort's MRR each month / its MRR in month 0.

    One row per cohort (the month of a customer's first MRR above 0), with the columns ``Cohort``,
    ``Customers``, ``Starting MRR`` (the cohort's MRR in its first month: its new business) and
    ``Month 0``, ``Month 1`` ...: ``MRR of the cohort's customers in month cohort + k / Starting MRR``.

    Month 0 is 1 by construction; later months rise with expansion and reactivation and fall with
    contraction and churn, so a cell may exceed 1 (net negative churn). Cells beyond the export's
    last month are blank (NaN): not observed yet, which is not 0 %. Per segment, the triangle runs
    to the export's last month in every segment (the other segments' rows count as MRR 0).

    Edge cases: several rows of one customer and month are summed; a negative MRR is ``#NUM!``;
    a row with an id but no month (or a month but no id) is ``#VALUE!`` naming the row; nobody
    paying at all is ``#N/A``; ranges of different sizes are ``#VALUE!``.

    Source: ChartMogul, "Cohort: Net MRR Retention" (help.chartmogul.com, article 203359411):
    "the percentage of MRR for subscriptions that remain active in the given calendar month to the
    total MRR for those subscriptions at the start of the cohort. MRR gained due to expansion and
    reactivation positively impacts the MRR retention rate"; "Cohort Value is the total MRR of new
    subscriptions started by customers in the cohort".

    Example -- A (100) and B (50) start in September; in October A pays 120 and B leaves; C starts
    in October with 40:

    >>> cohort_mrr_retention(["A", "B", "A", "C"], ["2024-09", "2024-09", "2024-10", "2024-10"],
    ...                      [100, 50, 120, 40])
        Cohort  Customers  Starting MRR  Month 0  Month 1
    0  2024-09          2         150.0      1.0      0.8
    1  2024-10          1          40.0      1.0      NaN
    """
    cohorts, sizes, money, unobserved, first, calendar = _cohort_matrix(customer_ids, months, mrr, calendar)
    shares = money / money[:, :1]
    shares[unobserved] = np.nan
    return _frame(shares, cohorts, first, calendar, {"Customers": sizes, "Starting MRR": money[:, 0].astype(float)})


@kpi(category="Revenue", returns="table", rows=("customer_ids", "months", "mrr"), neutral={"mrr": 0}, args=_ARGS)
def cohort_cumulative_revenue(customer_ids, months, mrr, calendar="gregorian"):
    """Realised LTV: cumulative recurring revenue per customer of each first-month cohort.

    One row per cohort with ``Cohort``, ``Customers`` and ``Month 0``, ``Month 1`` ...: the MRR the
    cohort's customers paid in months 0 to k, summed, divided by the cohort's size (every customer
    who started, including those who have left). It is revenue already earned (recurring only,
    normalised to months as MRR is), never a projection: compare it with ``LTV`` to see how much
    of a predicted lifetime value the cohorts have realised, and read the month where it passes
    the CAC as the observed payback. Cells beyond the export's last month are blank (NaN).

    Edge cases: as :func:`cohort_mrr_retention`.

    Source: ChartMogul, "Cohort analysis" (cohort tables grouped by the first subscription's
    month); David Skok, "SaaS Metrics 2.0" (forEntrepreneurs.com): LTV as the revenue a customer
    brings over their lifetime, and payback as the months to recover CAC.

    Example -- the cohorts of :func:`cohort_mrr_retention`: September's two customers paid 150 and
    then 120 (135 per customer after two months):

    >>> cohort_cumulative_revenue(["A", "B", "A", "C"], ["2024-09", "2024-09", "2024-10", "2024-10"],
    ...                           [100, 50, 120, 40])
        Cohort  Customers  Month 0  Month 1
    0  2024-09          2     75.0    135.0
    1  2024-10          1     40.0      NaN
    """
    cohorts, sizes, money, unobserved, first, calendar = _cohort_matrix(customer_ids, months, mrr, calendar)
    per_customer = np.cumsum(money, axis=1) / sizes[:, None]
    per_customer[unobserved] = np.nan
    return _frame(per_customer, cohorts, first, calendar, {"Customers": sizes})
