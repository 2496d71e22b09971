"""Retention family: churn, retention and renewal rates from period counts.

Row-level versions (churn from customer start/end dates, active customers on a date) live in
:mod:`xl_cskpi.tables`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import cells
from ..errors import DivisionByZero, InvalidInput, OutOfRange
from ..registry import kpi

__all__ = ["churn_rate", "retention_rate", "renewal_rate", "annualize_churn", "deannualize_churn",
           "churn_trailing"]


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


# --------------------------------------------------------------------------- churn over other periods


def _rate(value: Any, arg: str) -> float:
    """A churn rate: a fraction from 0 to 1 (``"5%"`` typed as text is 0.05)."""
    c = cells.number(value, arg)
    if not 0 <= c <= 1:
        hint = f" (enter {c / 100:g} or {c:g}% for {c:g} %)" if 1 < c <= 100 else ""
        raise OutOfRange(f"is {c:g}; a churn rate is a fraction from 0 to 1{hint}", argument=arg)
    return c


def _periods(value: Any) -> float:
    n = 12.0 if value is None or cells.numbers(value, "periods_per_year").size == 0 else \
        cells.number(value, "periods_per_year")
    if not n > 0:
        raise OutOfRange(f"is {n:g}; give how many periods make a year (12 for months, 4 for quarters, "
                         "52 for weeks)", argument="periods_per_year")
    return n


@kpi(category="Retention", returns="rate", args={
    "rate": "Churn rate of one period (e.g. a monthly churn rate, 0.05 or 5%)",
    "periods_per_year": "Periods in a year: 12 for a monthly rate (default), 4 quarterly, 52 weekly",
})
def annualize_churn(rate, periods_per_year=12):
    """Annual churn from the churn rate of one period, compounded: 1 - (1 - rate) ^ periods_per_year.

    Formula: ``1 - (1 - c) ** n``: the share of a starting base lost over a year when a share c of
    those still there is lost every period (not ``12 x c``, which exceeds 100 % for c > 8.3 %).
    The inverse is :func:`deannualize_churn`.

    Edge cases: a rate outside 0..1 is ``#NUM!`` (``5`` is read as 500 %: write 0.05 or "5%");
    ``periods_per_year`` must be above 0 (blank is 12; fractions are allowed: 365.25 days);
    rate 0 gives 0 and rate 1 gives 1.

    Source: ChartMogul, "Chart: Customer Churn Rate": "a seemingly low monthly churn rate of, e.g.,
    5% corresponds to an annual loss of nearly half (46%) of existing customers"
    (https://help.chartmogul.com/hc/en-us/articles/203359321-Chart-Customer-Churn-Rate).

    Example -- 5 % a month is 46 % a year (ChartMogul's figure):

    >>> round(annualize_churn(0.05), 4)
    0.4596
    """
    c = _rate(rate, "rate")
    n = _periods(periods_per_year)
    return float(-np.expm1(n * np.log1p(-c))) if c < 1 else 1.0


@kpi(category="Retention", returns="rate", args={
    "rate": "Churn rate of a year (e.g. 0.46 or 46%)",
    "periods_per_year": "Periods in a year: 12 for a monthly rate (default), 4 quarterly, 52 weekly",
})
def deannualize_churn(rate, periods_per_year=12):
    """Churn rate of one period from an annual churn rate: 1 - (1 - rate) ^ (1 / periods_per_year).

    Formula: ``1 - (1 - c) ** (1 / n)``, the inverse of :func:`annualize_churn`: the churn per period
    which, compounded over a year, loses the annual share c.

    Edge cases: a rate outside 0..1 is ``#NUM!``; ``periods_per_year`` must be above 0 (blank is
    12); annual churn 1 (everybody lost) gives 1.

    Source: the inverse of the compounding in ChartMogul's "5 % monthly = 46 % a year"
    (https://help.chartmogul.com/hc/en-us/articles/203359321-Chart-Customer-Churn-Rate).

    Example -- 46 % lost a year is about 5 % a month:

    >>> round(deannualize_churn(0.4596), 4)
    0.05
    """
    c = _rate(rate, "rate")
    n = _periods(periods_per_year)
    return float(-np.expm1(np.log1p(-c) / n)) if c < 1 else 1.0


def _up_to(row_months: Any, through: Any, calendar: Any, n: int) -> np.ndarray:
    """The rows whose month (``row_months``) is ``through``'s month or earlier, in ``calendar``."""
    from ..tables.rows import flat_ranges, row_periods

    cal = cells.choice(calendar, "calendar", ("gregorian", "jalali", "hijri"), default="gregorian")
    ords, blank, _ = row_periods(flat_ranges(row_months=row_months)["row_months"], "row_months", "month", cal)
    if ords.size != n:
        raise InvalidInput(f"has {ords.size} cells but customers_start has {n}; give one month per row",
                           argument="row_months")
    last, last_blank, _ = row_periods(flat_ranges(through=through)["through"], "through", "month", cal)
    if last.size != 1 or last_blank.any():
        raise InvalidInput("must be one month (a date or a label such as 2024-03)", argument="through")
    if blank.any():
        raise InvalidInput(f"is blank in row {int(np.flatnonzero(blank)[0]) + 1}; give every row its month",
                           argument="row_months")
    return ords <= last[0]


@kpi(category="Retention", returns="rate", args={
    "customers_start": "Customers at the start of each month, oldest first (a column of a months table)",
    "customers_lost": "Customers lost in each month, same rows",
    "months": "How many of the latest months to average (default 6, as ChartMogul's LTV)",
    "method": '"mean" (default): the average of the monthly rates, as ChartMogul; "pooled": '
              'the months\' losses / the months\' customers at the start',
    "row_months": "Optional: the month of each row (dates or labels such as 2024-03), to end the window at through",
    "through": "Optional: the last month of the window (a date or a label such as 2024-03 or 1403-01); "
               "later rows are left out. Blank: the latest rows",
    "calendar": '"gregorian" (default), "jalali" or "hijri": the calendar of the months',
})
def churn_trailing(customers_start, customers_lost, months=6, method="mean", row_months=None, through=None,
                   calendar="gregorian"):
    """Trailing churn: the average monthly churn rate over the latest N months of a months table.

    Formula (``method`` "mean", ChartMogul's): the average of ``lost / start`` over the last
    ``months`` rows that have data; ("pooled"): ``sum(lost) / sum(start)`` over the same rows, which
    weighs a month by its customers.

    Which months: the rows are the months oldest first; the last ``months`` rows holding numbers
    are used (blank rows at the bottom of a table are skipped). ChartMogul's LTV divides by "the
    average of the churn rates from the previous six months, excluding the current month": give the
    rows up to the month before the one being reported. With fewer rows than ``months``, all rows
    are used.

    Edge cases: a month with no customers at the start has no churn rate and is left out of the
    mean (the pooled sum is unaffected); if no month in the window had customers, ``#DIV/0!``. A
    row with only one of the two counts, negative counts, or more lost than at the start is
    ``#VALUE!``/``#NUM!`` naming the row; ranges of different sizes are ``#VALUE!``; ``months`` must
    be a whole number from 1.

    ``through`` (with ``row_months``, the month of each row) ends the window at that month: rows of
    later months are left out, so a report showing March averages the months up to March, not the
    latest rows of the table (reviewer's G22: a dashboard showing March averaged February to June,
    June still in progress). A blank ``through`` keeps the latest rows; a row without a month, or a
    ``through`` of more than one cell, is ``#VALUE!``; no row up to ``through`` is ``#VALUE!``.

    Source: ChartMogul, "Chart: Customer Lifetime Value (LTV)": "a six-month trailing average of
    Customer Churn Rate for that interval (the average of the churn rates from the previous six
    months, excluding the current month)"
    (https://help.chartmogul.com/hc/en-us/articles/203359061-Chart-Customer-Lifetime-Value-LTV).

    Example -- six months of 200 customers at the start with 4, 6, 8, 4, 6, 8 lost: 3 % on average:

    >>> round(churn_trailing([200] * 6, [4, 6, 8, 4, 6, 8]), 6)
    0.03
    """
    how = cells.choice(method, "method", ("mean", "pooled"), default="mean")
    n = 6.0 if months is None or cells.numbers(months, "months").size == 0 else cells.number(months, "months")
    if n < 1 or n != int(n):
        raise OutOfRange(f"is {n:g}; give a whole number of months, 1 or more", argument="months")
    start = cells.numbers(customers_start, "customers_start", keep_blanks=True)
    lost = cells.numbers(customers_lost, "customers_lost", keep_blanks=True)
    if start.size != lost.size:
        raise InvalidInput(f"has {lost.size} cells but customers_start has {start.size}; give one "
                           "row per month to both", argument="customers_lost")
    s_blank, l_blank = np.isnan(start), np.isnan(lost)
    for arg, bad in (("customers_start", s_blank & ~l_blank), ("customers_lost", l_blank & ~s_blank)):
        if bad.any():
            raise InvalidInput(f"is blank in row {int(np.flatnonzero(bad)[0]) + 1} where the other count is "
                               "filled; fill it or clear the whole row", argument=arg)
    keep = ~s_blank
    if not (through is None or (isinstance(through, str) and not through.strip())):
        keep &= _up_to(row_months, through, calendar, start.size)
        if not keep.any() and (~s_blank).any():
            raise InvalidInput("has no row up to this month; give a month the table covers", argument="through")
    rows = np.flatnonzero(keep)
    if rows.size == 0:
        raise InvalidInput("is empty; give the months' counts", argument="customers_start")
    for arg, arr in (("customers_start", start), ("customers_lost", lost)):
        if (arr[keep] < 0).any():
            i = int(rows[np.flatnonzero(arr[keep] < 0)[0]])
            raise OutOfRange(f"is {arr[i]:g} in row {i + 1}; a count cannot be negative", argument=arg)
    over = keep & ~l_blank & (lost > start)
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise OutOfRange(f"is {lost[i]:g} in row {i + 1}, more than customers_start ({start[i]:g})",
                         argument="customers_lost")
    window = rows[-int(n):]
    s, l_ = start[window], lost[window]
    if how == "pooled":
        return cells.divide(float(l_.sum()), float(s.sum()), "customers_start",
                            "no month of the window had customers at its start")
    has = s > 0
    if not has.any():
        raise DivisionByZero("is 0 in every month of the window; a churn rate needs customers at the "
                             "start", argument="customers_start")
    return float(np.mean(l_[has] / s[has]))
