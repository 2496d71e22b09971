"""Churn and active customers from a customer list with start and end dates (one row per customer).

The boundary convention, used by both functions:

* times of day are ignored: everything is counted in whole days;
* the **end date** is the churn date, the first day the customer is no longer a customer (what
  billing tools record as "cancelled at" or "churned at"); a blank end date, or 9999-12-31 (any
  date past 2262, as databases and exports write "no end"), means still active;
* a customer is **active on day d** when ``start <= d < end``: they count on the day they start,
  not on the day they leave -- :func:`active_customers` counts customers at the close of ``on_date``;
* a **period** runs from ``period_start`` to ``period_end``, both days included. The customers
  at its start are those active at the close of the day before ``period_start``
  (``start < period_start <= end``): a customer starting on ``period_start`` is new in the period,
  one leaving on ``period_start`` is lost in it. Consecutive periods (1-30 September, 1-31 October)
  therefore count every start and every loss exactly once, and
  ``ACTIVE_CUSTOMERS(period_end) = base - lost + new - (new and lost)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import pandas as pd

from .. import calendars, cells
from ..errors import DivisionByZero, InvalidInput
from ..registry import kpi
from .rows import check_rows, flat_ranges, row_codes, row_dates, row_where

__all__ = ["churn_rate_between", "active_customers", "customer_spans", "monthly_counts_from_spans"]

_DAY = np.timedelta64(1, "D")


def _one_date(value: Any, arg: str) -> np.datetime64:
    d = cells.datetimes(value, arg)
    if len(d) == 0:
        raise InvalidInput("is empty; enter a date", argument=arg)
    if len(d) > 1:
        raise InvalidInput(f"must be one date, got a range of {len(d)} dates", argument=arg)
    return d[0].astype("datetime64[D]")


def customer_spans(start_dates: Any, end_dates: Any) -> tuple[np.ndarray, np.ndarray]:
    """Start and end days (``datetime64[D]``, ``NaT`` for a blank or open end) of each customer row.

    Entirely blank rows are skipped; a blank start with an end date, or an end before the start,
    is invalid input naming the row.
    """
    flat = flat_ranges(start_dates=start_dates, end_dates=end_dates)
    start, end, _ = _spans_of(flat)
    return start, end


def _spans_of(flat: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`customer_spans` of flattened ranges, and the mask of the rows kept."""
    cols = flat["start_dates"][1]
    start = row_dates(flat["start_dates"], "start_dates")
    end = row_dates(flat["end_dates"], "end_dates", open_end=True)  # 9999-12-31 = still active
    keep = check_rows({"start_dates": np.isnat(start), "end_dates": np.isnat(end)}, cols,
                      required=("start_dates",))
    rows = np.flatnonzero(keep)
    start, end = start[keep].astype("datetime64[D]"), end[keep].astype("datetime64[D]")
    backwards = ~np.isnat(end) & (end < start)
    if backwards.any():
        k = int(np.flatnonzero(backwards)[0])
        raise InvalidInput(f"is {end[k]} in {row_where(int(rows[k]), cols)}, before the start date {start[k]} "
                           "of that customer; check the two dates", argument="end_dates")
    return start, end, keep


@kpi(category="Retention", returns="rate", args={
    "start_dates": "Date each customer started (one row per customer)",
    "end_dates": "Date each customer left (churn date, first day not a customer); blank or 9999-12-31 = active",
    "period_start": "First day of the period",
    "period_end": "Last day of the period (included)",
    "count_new_churn": "TRUE: customers who join and leave within the period count as lost (the seed's rule); "
                       "FALSE: left out. FALSE is ChartMogul's rule only with one row per customer; for "
                       "reactivations use CUSTOMER_CHURN_RATE",
})
def churn_rate_between(start_dates, end_dates, period_start, period_end, count_new_churn=True):
    """Customer churn rate of a period from customer start and end dates.

    Formula: ``lost / base``, where ``base`` = customers at the start of the period (started
    before ``period_start``, not left before it) and ``lost`` = those of them whose end date falls
    in the period. With ``count_new_churn`` TRUE (the default, the seed's rule) the customers who
    start *and* leave within the period are added to the numerator; the denominator stays the
    customers at the start in both rules (new customers are never in the base). See the module
    docstring for the day-boundary convention.

    Edge cases: the rate can exceed 1 (100 %) under the seed's rule when many new customers leave
    within the period. No customer at the start is ``#DIV/0!``; an end date before its start date,
    a blank start with an end date, or ``period_end`` before ``period_start`` is ``#VALUE!``;
    ranges of different sizes are ``#VALUE!``; no rows is ``#N/A``. Entirely blank rows are skipped.

    Source: the seed rule (customers lost in the period, new customers who left included, over
    customers at the start). With FALSE the rule is ChartMogul's standard formula ("Customer Churn
    Rate": churned customers / customers at the start of the period) only when every customer has
    one row: ChartMogul also excludes customers who churned and reactivated within the period, which
    needs customer ids (here a returning customer is a new row, counted as a new customer, and the
    end of their first row as a loss). For ids and every vendor's convention see
    CUSTOMER_CHURN_RATE (:mod:`xl_cskpi.tables.churn`).

    Example -- September 2024: three customers at the start, one of them leaves on 20 September;
    one customer joins on 5 September and leaves on the 25th:

    >>> starts = ["2024-01-10", "2024-03-01", "2024-06-15", "2024-09-05", "2024-09-10"]
    >>> ends = [None, "2024-09-20", None, "2024-09-25", None]
    >>> round(churn_rate_between(starts, ends, "2024-09-01", "2024-09-30"), 4)   # (1 + 1) / 3
    0.6667
    >>> round(churn_rate_between(starts, ends, "2024-09-01", "2024-09-30", False), 4)   # 1 / 3
    0.3333
    """
    new_churn = cells.flag(count_new_churn, "count_new_churn", default=True)
    first = _one_date(period_start, "period_start")
    last = _one_date(period_end, "period_end")
    if last < first:
        raise InvalidInput(f"is {last}, before period_start ({first}); the period must end on or after "
                           "its first day", argument="period_end")
    start, end = customer_spans(start_dates, end_dates)
    active = np.isnat(end)
    base = (start < first) & (active | (end >= first))
    lost = base & ~active & (end <= last)
    new_lost = (start >= first) & (start <= last) & ~active & (end <= last)
    n_base = int(base.sum())
    if n_base == 0:
        raise DivisionByZero(f"({first}) has no customers at its start (none started before it and "
                             "left on or after it); the rate needs customers at the start",
                             argument="period_start")
    n_lost = int(lost.sum()) + (int(new_lost.sum()) if new_churn else 0)
    return n_lost / n_base


@kpi(category="Retention", returns="count", args={
    "start_dates": "Date each customer started (one row per customer)",
    "end_dates": "Date each customer left (churn date, first day not a customer); blank or 9999-12-31 = active",
    "on_date": "The day to count active customers on",
})
def active_customers(start_dates, end_dates, on_date):
    """Number of customers active on a date: started on or before it, not yet left.

    Formula: the count of customers with ``start <= on_date < end`` (blank end = still active):
    a customer counts on the day they start and not on their end (churn) date, i.e. the count at
    the close of ``on_date``. Times of day are ignored.

    Edge cases: an end date before its start date or a blank start with an end date is ``#VALUE!``
    naming the row; ranges of different sizes are ``#VALUE!``; no rows is ``#N/A``; a date before
    every start gives 0.

    Source: ChartMogul, "Customers" (subscribers with an active subscription on a date); the
    seed's "customers at the start / end of the period".

    Example -- the customers of the CHURN_RATE_BETWEEN example on 30 September 2024:

    >>> starts = ["2024-01-10", "2024-03-01", "2024-06-15", "2024-09-05", "2024-09-10"]
    >>> ends = [None, "2024-09-20", None, "2024-09-25", None]
    >>> active_customers(starts, ends, "2024-09-30")
    3
    """
    day = _one_date(on_date, "on_date")
    start, end = customer_spans(start_dates, end_dates)
    return int(((start <= day) & (np.isnat(end) | (end > day))).sum())


def monthly_counts_from_spans(start_dates: Any, end_dates: Any, calendar: str = "gregorian", *,
                              customer_ids: Any = None) -> pd.DataFrame:
    """The Months table (``month``, ``customers_start``, ``customers_new``, ``customers_lost``,
    ``customers_end``) of a customer list, by the module's boundary convention, for every month of
    ``calendar`` from the first start to the last start or end date.

    Per month [f, next): at the start, the customers active at the close of the day before f
    (``start < f <= end``); new, those starting in it; lost, those whose end date falls in it (a
    customer who joins and leaves within the month is new and lost: CHURN_RATE_BETWEEN's
    ``count_new_churn``); at the end, those active at the close of its last day. So
    ``customers_end = customers_start + customers_new - customers_lost`` every month and each month's
    end is the next one's start (the identity the Data check's ``counts_disagree`` tests), and
    ``customers_lost / customers_start`` is CHURN_RATE_BETWEEN of the month (count_new_churn TRUE).

    ``customer_ids`` (one per row; a list with several rows per customer: a main contract and an
    add-on, a renewal written as a new row): customers are counted, not rows, with the definition of
    CUSTOMER_CHURN_RATE (:func:`xl_cskpi.tables.churn.customer_spells`: ids read as it reads them, a
    customer's rows that overlap or touch merged into one spell of activity). A customer is active
    while any of its rows is; per month, with S the customers at its start, E those at its end and J
    those with a spell starting in it: new = J not in S (a first start, or a return after a gap: a
    reactivation is new again, as CUSTOMER_CHURN_RATE's ``stripe`` and ``seed`` count it), lost =
    (S or J) not in E. ``customers_lost / customers_start`` is then CUSTOMER_CHURN_RATE's ``seed``
    convention of the month (a customer who leaves and is back within the month is not lost), and the
    identity above still holds. With one row per customer this is the row count. A row with an id and
    no start (or a start and no id) is ``#VALUE!`` naming the row, as in CUSTOMER_CHURN_RATE.
    Without ids every row is a customer.

    Counting: bincounts of start and end months and running sums, and with ids one radix sort of the
    rows by (customer, start) (:func:`xl_cskpi.tables.churn.customer_spells`), so it costs the same on
    rows in any order. Empty lists give an empty table.

    Example -- C1 has a main contract from 5 January and an add-on from 10 February (one customer,
    not two); C2 joins 12 January and leaves 20 March; C3 joins 1 February:

    >>> t = monthly_counts_from_spans(["2024-01-05", "2024-02-10", "2024-01-12", "2024-02-01"],
    ...                               [None, None, "2024-03-20", None],
    ...                               customer_ids=["C1", "C1", "C2", "C3"])
    >>> t[["customers_start", "customers_new", "customers_lost", "customers_end"]].values.tolist()
    [[0, 2, 0, 2], [2, 1, 0, 3], [3, 0, 1, 2]]
    """
    columns = ("customers_start", "customers_new", "customers_lost", "customers_end")
    if customer_ids is not None:
        return _monthly_counts_by_customer(customer_ids, start_dates, end_dates, calendar, columns)
    start, end = customer_spans(start_dates, end_dates)
    if len(start) == 0:
        return _no_months(columns)
    has_end = ~np.isnat(end)
    s_ord = calendars.period_ordinals(start, "month", calendar, arg="start_dates")
    e_ord = calendars.period_ordinals(end[has_end], "month", calendar, arg="end_dates")
    first = int(s_ord.min())
    last = int(max(s_ord.max(), e_ord.max() if e_ord.size else s_ord.max()))
    n = last - first + 1
    new = np.bincount(s_ord - first, minlength=n).astype(np.int64)
    lost = np.bincount(e_ord - first, minlength=n).astype(np.int64)
    return _months_table(first, last, new, lost, new, calendar)


def _no_months(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({"month": np.empty(0, "datetime64[ns]"), **{c: np.empty(0, np.int64) for c in columns}})


def _months_table(first: int, last: int, starts: np.ndarray, ends: np.ndarray, new: np.ndarray,
                  calendar: str) -> pd.DataFrame:
    """The Months table from spell starts and ends per month (disjoint spells of a customer: the
    running difference is the customers active) and the customers new in each month; lost follows
    from ``end = start + new - lost``."""
    at_end = np.cumsum(starts) - np.cumsum(ends)
    at_start = np.concatenate(([0], at_end[:-1]))
    lost = at_start + new - at_end
    months = calendars.period_start_dates(np.arange(first, last + 1), "month", calendar, arg="start_dates")
    return pd.DataFrame({"month": months, "customers_start": at_start, "customers_new": new,
                         "customers_lost": lost, "customers_end": at_end})


def _monthly_counts_by_customer(customer_ids: Any, start_dates: Any, end_dates: Any, calendar: str,
                                columns: tuple[str, ...]) -> pd.DataFrame:
    """:func:`monthly_counts_from_spans` with ids: one customer's rows merged into spells first.

    The rows are read and checked as without ids (a row with no date is skipped, whatever its id:
    a lead, not yet a customer); a dated row with a blank id is a customer of its own (it was one
    before ids were read); the rest go to :func:`xl_cskpi.tables.churn.customer_spells`."""
    from .churn import _OPEN, customer_spells   # churn imports this module: imported here, not at the top
    flat = flat_ranges(customer_ids=customer_ids, start_dates=start_dates, end_dates=end_dates)
    start, end, keep = _spans_of(flat)
    if len(start) == 0:
        return _no_months(columns)
    cust = row_codes(flat["customer_ids"], "customer_ids")[0][keep]
    blank = cust < 0
    if blank.any():
        cust[blank] = cust.max() + 1 + np.arange(int(blank.sum()))
    # the codes as a categorical of clean text: customer_spells takes its codes as they are
    n_cust = int(cust.max()) + 1
    ids = pd.Series(pd.Categorical.from_codes(cust, categories=pd.Index(np.arange(n_cust).astype(str).astype(object))))
    c, s, e, _ = customer_spells(ids, start, end)
    closed = e != _OPEN
    s_ord = calendars.period_ordinals(s.astype("datetime64[D]"), "month", calendar, arg="start_dates")
    e_ord = calendars.period_ordinals(e[closed].astype("datetime64[D]"), "month", calendar, arg="end_dates")
    # the months span the rows' dates, as without ids: an end inside a longer spell (a contract
    # replaced by another) still reaches the table
    ends = end[~np.isnat(end)]
    last_day = max(start.max(), ends.max()) if ends.size else start.max()
    first = int(s_ord.min())
    last = int(calendars.period_ordinals(np.array([last_day]), "month", calendar, arg="end_dates")[0])
    n = last - first + 1
    starts = np.bincount(s_ord - first, minlength=n).astype(np.int64)
    stops = np.bincount(e_ord - first, minlength=n).astype(np.int64)
    # spells come sorted by customer then start, disjoint and not touching. A customer is new in a
    # month when a spell of theirs starts in it and they were not active at its start: the spell is
    # their first starting in that month, and the one before it (if any) ended before the month (one
    # ending in the month means the customer was active at its start: a return within the month)
    e_all = np.full(len(c), np.iinfo(np.int64).max)
    e_all[closed] = e_ord
    same = np.zeros(len(c), dtype=bool)
    same[1:] = c[1:] == c[:-1]
    prev_s = np.zeros_like(s_ord)
    prev_s[1:] = s_ord[:-1]
    prev_e = np.zeros_like(e_all)
    prev_e[1:] = e_all[:-1]
    is_new = ~same | ((prev_s < s_ord) & (prev_e < s_ord))
    new = np.bincount(s_ord[is_new] - first, minlength=n).astype(np.int64)
    return _months_table(first, last, starts, stops, new, calendar)
