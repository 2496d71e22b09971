"""Customer churn of a period by every vendor's convention, from customer ids and subscription dates.

The vendors disagree on who counts as lost and on what they are divided by; with customer ids we can
compute each of their rules on the same export and show them side by side.

**The data.** One row per subscription (or per customer): ``customer_ids``, ``start_dates``,
``end_dates``. The end date is the churn date, the first day not a customer; blank (or 9999-12-31)
is still active. A customer's rows are merged into *spells* of continuous activity: rows that
overlap or touch (one ends on the day the next starts: a renewal, a plan change) are one spell,
so a plan change is not a churn; so are rows one day apart -- a CRM writes a contract's end as its
last day (inclusive), so its renewal row starts the day after (2024-06-30, then 2024-07-01): read as
a day without service, it was a churn and a new customer (reviewer's K2, session 6: June churn 40 %
for 20 %); a customer who really leaves for a single day is not told apart. A customer churns when a spell ends; a later spell is a
reactivation; the first spell is new business.

**The period** runs from ``period_start`` to ``period_end``, both days included, with the day
convention of :mod:`xl_cskpi.tables.customers`: the customers *at the start* (S) are those active
at the close of the day before ``period_start``; the customers *at the end* (E) are those active at
the close of ``period_end``; a churn (spell end) or a start on any day of the period is in it.

**The conventions** (``lost / base``):

======================  =====================================================  ==========================
convention              lost (numerator)                                       base (denominator)
======================  =====================================================  ==========================
``chartmogul``          customers of S not active at the end (S minus E)       customers at the start
``profitwell``          customers of S with a churn in the period              customers at the start
``seed``                customers of S, or who started in the period, not      customers at the start
                        active at the end
``baremetrics``         every customer with a churn in the period              customers at the start
``stripe``              churn events in the period (a customer who leaves      customers at the start +
                        twice counts twice)                                    starts in the period
``simple``              customers at start - customers at end (|S| - |E|)      customers at the start
======================  =====================================================  ==========================

* **chartmogul** -- ChartMogul, "Churn rate formulas", Standard (B2B) formula
  (https://help.chartmogul.com/hc/en-us/articles/207340419): "The number of customers who churned
  in the period (excluding any customers who both joined & churned in the period or churned &
  reactivated in a period) / Total number of customers at the start of the period". The two
  exclusions are exactly the churned customers who are not lost from the starting base (the
  joiners were never in it; the reactivated are back at the end), so the rule is ``|S - E| / |S|``.
  A customer who churns, returns and churns again within one period is lost (ChartMogul's
  Subscribers chart counts "subscribers who churned during the report interval and were still
  canceled at the end of the period", https://help.chartmogul.com/article/211-chart-subscribers).
  It equals ``CHURN_RATE_BETWEEN(..., FALSE)`` when every customer has one row.
* **profitwell** -- ProfitWell (Paddle), "Are cancellations in the first month counted as churn?"
  (https://www.paddle.com/help/profitwell-metrics/measure/subscription-retention/are-cancellations-in-the-first-month-counted-as-churn):
  "ProfitWell does not count users who are new and then churn in the same month as churned
  users"; and "If a customer churns and comes back within any period in time, they will be marked
  as a reactivation" (ProfitWell, "Why are my metrics in ProfitWell different than Chargify?",
  https://learn.profitwell.com/article/3xteyrvof6-why-are-my-metrics-in-profit-well-different-than-chargify):
  the churn stays counted and the return is a reactivation of its own. So: the base customers who
  churned at least once in the period, over the base.
* **seed** -- the seed article's rule, as ``CHURN_RATE_BETWEEN(..., TRUE)`` implements it: the base
  is the customers at the start (new customers are never in it) and the customers lost are those
  of the base lost in the period *plus* the customers who joined (or returned) in the period and
  left again. With one row per customer it equals ``CHURN_RATE_BETWEEN(..., TRUE)``; it can exceed
  100 % when many joiners leave.
* **baremetrics** -- Baremetrics, "User and Revenue Churn"
  (https://help.baremetrics.com/en/articles/5380347-user-and-revenue-churn): "(Cancelled
  Customers in the last 30 days / Active Customers 30 days ago) x 100", and the changelog "Churn
  Update" (https://changelog.baremetrics.com/churn-update-4pqo9O): "Customers who sign up and
  cancel within the same 30 day window are now included in your churn rate". Every customer who
  cancelled in the period counts, whether or not they returned later in it. Can exceed 100 %.
* **stripe** -- Stripe, "Calculating churn rate in Billing"
  (https://support.stripe.com/questions/calculating-churn-rate-in-billing): "the sum of churned
  subscribers in the past 30 days divided by the number of active subscribers as of 30 days ago,
  plus any new subscribers in those 30 days"; "If a customer starts a subscription during that 30
  day period and then churns, we will include that churned subscriber in both the numerator and
  denominator"; "A returning customer who ends their subscription and restarts will be counted as
  a subscriber and - if they end their subscription again, it will count as a second churn". So
  the numerator counts churn events and the denominator adds every spell started in the period
  (new and returning), which keeps the rate at most 100 %.
* **simple** -- the glossary formula "(Customers beginning of month - Customers end of month) /
  Customers beginning of month" (e.g. https://angelinvestingschool.com/dictionary/churn-rate):
  from the two counts alone. It is a *net* loss: new customers offset lost ones, and it is negative
  when the business grew. Shown for comparison; it is not a churn rate.

The vendors' windows (Stripe's and Baremetrics' rolling 30 days, ProfitWell's calendar month) are
replaced here by the period you give, the same for every convention.

**Why they differ** (and the order that always holds): ``simple <= chartmogul`` (|E| >= |S and E|);
``chartmogul <= profitwell <= baremetrics`` and ``chartmogul <= seed <= baremetrics`` (each adds a
kind of customer to the numerator over the same base: base customers who came back, then joiners
who left); ``stripe`` has another denominator and is not ordered against the others. They are all
equal when nobody joins or returns in the period.

On a random export (tests/test_churn_conventions.py: 400 customers, one to three subscriptions each,
September 2024) the six conventions give six numbers: simple -24.3 %, stripe 25.1 %, chartmogul
27.2 %, profitwell 30.1 %, seed 38.8 %, baremetrics 41.7 %. Simple is negative because more customers
joined than left; ProfitWell is above ChartMogul by the base customers who left and came back within
the month; the seed rule by the joiners who left again; Baremetrics counts both; Stripe divides
by the base plus every subscription started in the month.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import cells
from ..errors import DivisionByZero, InvalidInput
from ..registry import kpi
from .customers import _one_date
from .rows import check_rows, flat_ranges, raw_ranges, row_codes, row_dates, row_where

__all__ = ["customer_churn_rate", "customer_churn", "churn_counts", "spells_from_mrr", "CONVENTIONS", "CHURN_COLUMNS",
           "customer_spells"]

#: The conventions, in the order the table lists them.
CONVENTIONS = ("chartmogul", "stripe", "profitwell", "baremetrics", "seed", "simple")

#: Column headers of :func:`customer_churn_rate`.
CHURN_COLUMNS = ("Convention", "Customers at start", "Lost", "Base", "Churn rate")

_OPEN = np.int64(10**7)  # an open end, in days since 1970 (far past any date numpy holds in ns)

#: Keys at least this long are radix-sorted (:func:`_sort_order`); shorter ones by ``np.argsort``.
RADIX_MIN_ROWS = 4096


def _sort_order(key: np.ndarray) -> np.ndarray | None:
    """The stable ascending order of a non-negative int64 key, ``None`` when it is already sorted.

    A least-significant-digit radix sort, 16 bits a pass (numpy's stable sort of ``uint16`` is a
    counting sort), so its time does not depend on how the rows come: customer-major rows are
    already in order (one comparison pass), month-major or shuffled rows take two or three linear
    passes instead of a comparison sort that is fast only on nearly sorted input.
    """
    if len(key) < 2 or not (key[1:] < key[:-1]).any():
        return None
    bits = int(key.max()).bit_length()
    if len(key) < RADIX_MIN_ROWS or bits > 48:
        return np.argsort(key, kind="stable")
    order = None
    for shift in range(0, bits, 16):
        digit = (key >> shift).astype(np.uint16)  # the low 16 bits of the shifted key
        if order is not None:
            digit = digit[order]
        o = np.argsort(digit, kind="stable")
        order = o if order is None else order[o]
    return order


def customer_spells(customer_ids: Any, start_dates: Any, end_dates: Any) -> tuple[np.ndarray, ...]:
    """Spells of continuous activity: (customer code, first day, end day, is first spell), sorted.

    Days are int64 days since 1970-01-01; an open end is a large sentinel. Rows of one customer
    that overlap, touch or start the day after the other's end are merged. A row with an id and no start (or a start and no id) is
    ``#VALUE!`` naming the row; an end before its start too; an entirely blank row is skipped.

    Ids are hashed by identity first and dates taken as typed (:func:`xl_cskpi.tables.rows.raw_ranges`),
    and the rows are put in customer, start order by a radix sort (:func:`_sort_order`): the work
    does not depend on the order of the export.
    """
    flat = raw_ranges(customer_ids=customer_ids, start_dates=start_dates, end_dates=end_dates)
    cust, _, cols = row_codes(flat["customer_ids"], "customer_ids")
    start = row_dates(flat["start_dates"], "start_dates")
    end = row_dates(flat["end_dates"], "end_dates", open_end=True)
    keep = check_rows({"customer_ids": cust < 0, "start_dates": np.isnat(start), "end_dates": np.isnat(end)},
                      cols, required=("customer_ids", "start_dates"))
    every = bool(keep.all())
    rows = None if every else np.flatnonzero(keep)
    if not every:
        cust, start, end = cust[keep], start[keep], end[keep]
    s = start.astype("datetime64[D]").astype(np.int64)
    e_nat = np.isnat(end)
    e = np.where(e_nat, _OPEN, end.astype("datetime64[D]").astype(np.int64))
    backwards = e < s
    if backwards.any():
        k = int(np.flatnonzero(backwards)[0])
        row = k if rows is None else int(rows[k])
        raise InvalidInput(f"is {np.datetime64(int(e[k]), 'D')} in {row_where(row, cols)}, before the "
                           f"start date {np.datetime64(int(s[k]), 'D')} of that row; check the two dates",
                           argument="end_dates")
    # sort by customer then start; a running maximum of the end (offset per customer so that it
    # never crosses customers) tells where a spell begins: a start after every earlier end. Days
    # are counted from the earliest start here (0 <= s <= e < _OPEN even before 1970), and back after.
    day0 = s.min()
    s -= day0
    e = np.where(e_nat, _OPEN, e - day0)
    big = _OPEN + 1
    order = _sort_order(cust * (int(s.max()) + 1) + s)  # (customer, start): the order of cust * big + s
    if order is None:
        c = cust
    else:
        c, s, e = cust[order], s[order], e[order]
    key_end = c * big + e
    running = np.maximum.accumulate(key_end)
    begins = np.ones(len(c), dtype=bool)
    # a start on the day after the running end continues the spell (inclusive contract ends: module docstring)
    begins[1:] = (c[1:] != c[:-1]) | (c[1:] * big + s[1:] > running[:-1] + 1)
    spell = np.cumsum(begins) - 1
    n = int(spell[-1]) + 1
    spell_c = c[begins]
    spell_s = s[begins]
    spell_e = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(spell_e, spell, e)
    first = np.ones(n, dtype=bool)
    first[1:] = spell_c[1:] != spell_c[:-1]
    return spell_c, spell_s + day0, np.where(spell_e == _OPEN, _OPEN, spell_e + day0), first


def _period(period_start: Any, period_end: Any) -> tuple[int, int]:
    first = _one_date(period_start, "period_start")
    last = _one_date(period_end, "period_end")
    if last < first:
        raise InvalidInput(f"is {last}, before period_start ({first}); the period must end on or after its "
                           "first day", argument="period_end")
    return int(first.astype(np.int64)), int(last.astype(np.int64))


def churn_counts(customer_ids: Any, start_dates: Any, end_dates: Any, period_start: Any,
                 period_end: Any) -> dict[str, tuple[int, int]]:
    """``{convention: (lost, base)}`` for every convention (see the module docstring)."""
    p0, p1 = _period(period_start, period_end)
    c, s, e, first = customer_spells(customer_ids, start_dates, end_dates)
    n_cust = int(c.max()) + 1 if len(c) else 0

    def per_customer(mask: np.ndarray) -> np.ndarray:
        return np.bincount(c[mask], minlength=n_cust)

    at_start = per_customer((s < p0) & (e >= p0)) > 0
    at_end = per_customer((s <= p1) & (e > p1)) > 0
    churns = per_customer((e >= p0) & (e <= p1))  # churn events in the period
    starts = per_customer((s >= p0) & (s <= p1))  # new and returning spells begun in the period
    n_start = int(at_start.sum())
    return {
        "chartmogul": (int((at_start & ~at_end).sum()), n_start),
        "stripe": (int(churns.sum()), n_start + int(starts.sum())),
        "profitwell": (int((at_start & (churns > 0)).sum()), n_start),
        "baremetrics": (int((churns > 0).sum()), n_start),
        "seed": (int(((at_start | (starts > 0)) & ~at_end).sum()), n_start),
        "simple": (n_start - int(at_end.sum()), n_start),
    }


_ARGS = {
    "customer_ids": "Customer id of each row (one row per subscription or per customer)",
    "start_dates": "Date each subscription started",
    "end_dates": "Date each subscription ended (churn date, first day not a customer); blank or "
                 "9999-12-31 = active",
    "period_start": "First day of the period",
    "period_end": "Last day of the period (included)",
}
_CONVENTION_HELP = ('Whose rule: "chartmogul", "stripe", "profitwell", "baremetrics", "seed" or "simple" '
                    '(see the documentation)')


@kpi(category="Retention", returns="table", rows=("customer_ids", "start_dates", "end_dates"), args={
    **_ARGS,
    "convention": _CONVENTION_HELP + '; "all" (default) lists every convention',
})
def customer_churn_rate(customer_ids, start_dates, end_dates, period_start, period_end, convention="all"):
    """Customer churn of a period by each vendor's convention, side by side: lost / base.

    One row per convention (``convention`` "all", the default) or the one asked for, with the
    columns ``Convention, Customers at start, Lost, Base, Churn rate``. ``Lost`` and ``Base`` are
    the convention's numerator and denominator. The conventions, their sources and why their
    numbers differ are in the documentation of :mod:`xl_cskpi.tables.churn`:

    * ``chartmogul``: customers at the start not active at the end / customers at the start;
    * ``stripe``: churn events / (customers at the start + subscriptions started in the period);
    * ``profitwell``: customers at the start who churned in the period / customers at the start;
    * ``baremetrics``: every customer who churned in the period / customers at the start;
    * ``seed``: customers at the start or joined in the period, not active at the end / customers
      at the start;
    * ``simple``: (customers at start - customers at end) / customers at start (net, may be < 0).

    Rows of one customer that overlap, touch or follow on the next day are one spell (a plan change,
    a renewal row after a contract's inclusive end date, is not a churn).

    Per segment (``segments``: a plan, region or owner per row): each segment's table from its rows
    alone, stacked, with a leading ``segment`` column. A customer whose rows are in two segments is
    a customer of each (a move from one plan to another is a churn from the first segment and a
    start in the second, as in a report filtered by plan).

    Edge cases: with no customer at the start the rate is blank in the table (a rate over nobody),
    except Stripe's when someone started in the period; ranges of different sizes are ``#VALUE!``;
    a row with an id and no start date (or the reverse) or an end before its start is ``#VALUE!``
    naming the row; no rows is ``#N/A``; ``period_end`` before ``period_start`` is ``#VALUE!``.

    Source: ChartMogul, Stripe, ProfitWell (Paddle), Baremetrics help pages and the seed rule, as
    quoted in :mod:`xl_cskpi.tables.churn`.

    Example -- September 2024. A and B are customers on 31 August; A leaves on 10 September and is
    back on the 20th; B leaves on the 15th; C joins on the 5th and leaves on the 25th; D joins on
    the 12th and stays:

    >>> t = customer_churn_rate(["A", "A", "B", "C", "D"],
    ...                         ["2024-01-01", "2024-09-20", "2024-03-01", "2024-09-05", "2024-09-12"],
    ...                         ["2024-09-10", None, "2024-09-15", "2024-09-25", None],
    ...                         "2024-09-01", "2024-09-30")
    >>> t
        Convention  Customers at start  Lost  Base  Churn rate
    0   chartmogul                   2     1     2         0.5
    1       stripe                   2     3     5         0.6
    2   profitwell                   2     2     2         1.0
    3  baremetrics                   2     3     2         1.5
    4         seed                   2     2     2         1.0
    5       simple                   2     0     2         0.0
    """
    wanted = _conventions(convention, allow_all=True)
    counts = churn_counts(customer_ids, start_dates, end_dates, period_start, period_end)
    n_start = counts["chartmogul"][1]
    lost = np.array([counts[k][0] for k in wanted], dtype=np.int64)
    base = np.array([counts[k][1] for k in wanted], dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(base > 0, lost / np.maximum(base, 1), np.nan)
    return pd.DataFrame({
        "Convention": list(wanted),
        "Customers at start": np.full(len(wanted), n_start, dtype=np.int64),
        "Lost": lost,
        "Base": base,
        "Churn rate": rate,
    })


def _conventions(value: Any, *, allow_all: bool) -> tuple[str, ...]:
    options = CONVENTIONS + (("all",) if allow_all else ())
    chosen = cells.choice(value, "convention", options, default="all" if allow_all else "chartmogul")
    return CONVENTIONS if chosen == "all" else (chosen,)


@kpi(category="Retention", returns="rate", args={
    **_ARGS,
    "convention": _CONVENTION_HELP + '; default "chartmogul"',
})
def customer_churn(customer_ids, start_dates, end_dates, period_start, period_end, convention="chartmogul"):
    """Customer churn rate of a period by one vendor's convention, from customer ids and dates.

    The rate of :func:`customer_churn_rate` for one convention, as one number (for a dashboard
    cell): ``chartmogul`` (the default), ``stripe``, ``profitwell``, ``baremetrics``, ``seed`` or
    ``simple``; their rules and sources are in :mod:`xl_cskpi.tables.churn`.

    Edge cases: no customer at the start is ``#DIV/0!`` (for ``stripe``: nobody at the start and
    nobody started); ``simple`` is negative when the business grew (it nets new customers against
    lost ones); ``seed`` and ``baremetrics`` can exceed 1. Bad rows are ``#VALUE!`` naming the row.

    Source: ChartMogul, "Churn rate formulas" (Standard formula) and the vendors' pages quoted in
    :mod:`xl_cskpi.tables.churn`.

    Example -- ChartMogul's worked example: 100 customers at the start of the month; 12 churned in
    it, one of whom reactivated and one of whom had joined during the month: (12 - 1 - 1) / 100.

    >>> ids = [f"c{i}" for i in range(100)] + ["c0", "new"]
    >>> starts = ["2024-01-01"] * 100 + ["2024-09-20", "2024-09-03"]
    >>> ends = ["2024-09-10"] * 11 + [None] * 89 + [None, "2024-09-18"]
    >>> customer_churn(ids, starts, ends, "2024-09-01", "2024-09-30")
    0.1
    """
    (name,) = _conventions(convention, allow_all=False)
    lost, base = churn_counts(customer_ids, start_dates, end_dates, period_start, period_end)[name]
    if base == 0:
        raise DivisionByZero("has no customers at its start (none active the day before it)"
                             + (" and nobody started in it" if name == "stripe" else "")
                             + "; the rate needs customers at the start", argument="period_start")
    return lost / base


def spells_from_mrr(customer_ids: Any, months: Any, mrr: Any) -> pd.DataFrame:
    """Subscription spells from a monthly MRR export: ``customer_id, start_date, end_date`` per spell.

    A spell is a run of consecutive months with MRR > 0 (the paying months of MRR_MOVEMENTS); it
    starts on the first day of its first month and ends on the first day of the month after its
    last one (the churn date), or is open (blank end) when it runs to the export's last month. The
    first month of the export is where its spells start: customers paying in it started then *or
    earlier* (unknown), so a survival curve from these spells understates tenures begun before the
    export. Gregorian months; not an Excel function (it feeds the demo's customers table).

    >>> spells_from_mrr(["A", "A", "A", "B"], ["2024-01", "2024-02", "2024-04", "2024-04"], [10, 10, 10, 5])
      customer_id start_date   end_date
    0           A 2024-01-01 2024-03-01
    1           A 2024-04-01        NaT
    2           B 2024-04-01        NaT
    """
    from .rows import row_numbers, row_periods

    flat = flat_ranges(customer_ids=customer_ids, months=months, mrr=mrr)
    cust, ids, cols = row_codes(flat["customer_ids"], "customer_ids")
    ords, blank, _ = row_periods(flat["months"], "months", "month", "gregorian")
    amount = np.nan_to_num(row_numbers(flat["mrr"], "mrr"))
    keep = check_rows({"customer_ids": cust < 0, "months": blank}, cols, required=("customer_ids", "months"))
    last = int(ords[keep].max())
    paying = keep & (amount > 0)
    frame = pd.DataFrame({"c": cust[paying], "m": ords[paying]}).drop_duplicates().sort_values(["c", "m"])
    c, m = frame["c"].to_numpy(), frame["m"].to_numpy()
    begins = np.ones(len(c), dtype=bool)
    begins[1:] = (c[1:] != c[:-1]) | (m[1:] != m[:-1] + 1)
    ends = np.ones(len(c), dtype=bool)
    ends[:-1] = begins[1:]
    from .. import calendars

    def month_of(o: np.ndarray) -> np.ndarray:
        labels = calendars.ordinal_labels(o, "month", "gregorian", arg="months")
        return np.array(list(labels), dtype="datetime64[M]")

    start = month_of(m[begins]).astype("datetime64[D]")
    stop = m[ends]
    end = (month_of(stop) + 1).astype("datetime64[D]").astype("datetime64[ns]")
    end[stop == last] = np.datetime64("NaT")
    return pd.DataFrame({"customer_id": ids[c[begins]], "start_date": start.astype("datetime64[ns]"),
                         "end_date": end})
