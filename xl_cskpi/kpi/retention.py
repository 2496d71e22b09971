"""Retention family: churn, retention and renewal rates from period counts.

Row-level versions (churn from customer start/end dates, active customers on a date) live in
:mod:`xl_cskpi.tables`.
"""

from __future__ import annotations

from .. import cells
from ..errors import OutOfRange
from ..registry import kpi

__all__ = ["churn_rate", "retention_rate", "renewal_rate"]


@kpi(category="Retention", returns="rate", args={
    "customers_start": "Customers at the start of the period (a count)",
    "customers_lost": "Customers lost during the period (a count, at most customers_start)",
})
def churn_rate(customers_start, customers_lost):
    """Customer churn rate: customers lost in the period / customers at its start.

    Formula: ``customers_lost / customers_start``, a fraction (0.064 = 6.4 %).

    Edge cases: ``customers_start`` = 0 is ``#DIV/0!``; negative counts are ``#NUM!``; more customers
    lost than there were at the start is ``#NUM!`` (customers who joined and left within the period
    belong to :func:`churn_rate_between`, not here).

    Source: the seed definition; ChartMogul, "Customer Churn Rate" (churned customers / customers at
    the start of the period).

    Example -- 1,000 customers at the start of Shahrivar, 64 lost by month end:

    >>> churn_rate(1000, 64)
    0.064
    """
    start = cells.count(customers_start, "customers_start")
    lost = cells.count(customers_lost, "customers_lost")
    if lost > start:
        raise OutOfRange(f"is {lost:g}, more than customers_start ({start:g}); customers lost must be "
                         "among the customers at the start", argument="customers_lost")
    return cells.divide(lost, start, "customers_start", "the rate needs customers at the start")


@kpi(category="Retention", returns="rate", args={
    "customers_start": "Customers at the start of the period",
    "customers_end": "Customers at the end of the period",
    "customers_new": "New customers acquired during the period",
})
def retention_rate(customers_start, customers_end, customers_new):
    """Customer retention rate: (customers at end - new customers) / customers at start.

    Formula: ``(customers_end - customers_new) / customers_start``, a fraction.

    Edge cases: ``customers_start`` = 0 is ``#DIV/0!``; negative counts are ``#NUM!``; more new
    customers than customers at the end is ``#NUM!``. When nobody is new, retention = 1 - churn.
    A result above 1 (more retained than there were) is ``#NUM!``: the counts disagree.

    Source: the seed formula; Philip Kotler's customer retention rate, as quoted by HubSpot and
    Gainsight: CRR = ((E - N) / S) x 100.

    Example -- 1,000 customers at the start of Mehr, 1,050 at the end, 120 of them new:

    >>> retention_rate(1000, 1050, 120)
    0.93
    """
    start = cells.count(customers_start, "customers_start")
    end = cells.count(customers_end, "customers_end")
    new = cells.count(customers_new, "customers_new")
    if new > end:
        raise OutOfRange(f"is {new:g}, more than customers_end ({end:g})", argument="customers_new")
    rate = cells.divide(end - new, start, "customers_start", "the rate needs customers at the start")
    if rate > 1:
        raise OutOfRange(f"gives {end - new:g} retained customers, more than customers_start "
                         f"({start:g}); check the three counts", argument="customers_end")
    return rate


@kpi(category="Retention", returns="rate", args={
    "renewals": "Contracts or subscriptions renewed in the period",
    "renewals_due": "Contracts or subscriptions that came up for renewal in the period",
})
def renewal_rate(renewals, renewals_due):
    """Renewal rate: renewals / renewals due in the period.

    Formula: ``renewals / renewals_due``, a fraction.

    Edge cases: ``renewals_due`` = 0 is ``#DIV/0!``; negative counts or more renewals than were due
    are ``#NUM!``.

    Source: Gainsight, "Renewal Rate" (renewed contracts / contracts up for renewal).

    Example -- 80 contracts up for renewal in Aban, 68 renewed:

    >>> renewal_rate(68, 80)
    0.85
    """
    done = cells.count(renewals, "renewals")
    due = cells.count(renewals_due, "renewals_due")
    if done > due:
        raise OutOfRange(f"is {done:g}, more than renewals_due ({due:g})", argument="renewals")
    return cells.divide(done, due, "renewals_due", "no renewals were due")
