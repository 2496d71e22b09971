"""Net and gross revenue retention over 3, 6 or 12 months from the monthly MRR movements.

``NRR`` and ``GRR`` (:mod:`xl_cskpi.kpi.revenue`) compare two snapshots, customer by customer.
ChartMogul's Net and Gross MRR Retention charts follow the *movements* of the customers who were
paying at the start of the report interval instead. Over one month both give the same number;
over a quarter or a year they differ (see :func:`nrr_movements`). Both read the same row-level
export as ``MRR_MOVEMENTS`` (customer | month | MRR, several rows per customer-month summed).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import calendars, cells
from ..errors import DivisionByZero, InvalidInput, NotAvailable, OutOfRange
from ..registry import kpi
from .rows import MAX_MONTHS, check_rows, check_span, flat_ranges, row_codes, row_numbers, row_periods, \
    row_where, sorted_unique

__all__ = ["nrr_movements", "grr_movements", "retention_movements", "paying_entries"]


def paying_entries(customer_ids: Any, months: Any, mrr: Any, calendar: str
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """The export read as ``MRR_MOVEMENTS`` reads it: ``(c, t, value, first, n_months)``.

    One entry per customer-month with summed MRR above 0, sorted by customer code ``c`` then month
    index ``t`` (0 = the export's first month, ordinal ``first``); ``n_months`` spans the first to
    the last month of every row (rows with MRR 0 included: they stretch the span, as in
    ``MRR_MOVEMENTS``). Errors name the row, as ``MRR_MOVEMENTS``' do.
    """
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
    ukey, inverse = sorted_unique(cust * n_months + (ords - first))
    value = np.bincount(inverse, weights=amount, minlength=len(ukey))
    paying = value > 0
    ukey, value = ukey[paying], value[paying]
    return ukey // n_months, ukey % n_months, value, first, n_months


def _window_end(end_month: Any, first: int, n_months: int, calendar: str) -> int:
    """Month index of the window's last month: ``end_month`` (a label or a date), else the last."""
    flat, _ = cells.flatten(end_month)
    if all(v is None or (isinstance(v, str) and not v.strip()) for v in flat):
        return n_months - 1
    ords, blank, _ = row_periods(flat_ranges(end_month=end_month)["end_month"], "end_month", "month", calendar)
    if len(ords) != 1:
        raise InvalidInput(f"has {len(ords)} cells; give one month", argument="end_month")
    if blank[0]:
        return n_months - 1
    e = int(ords[0]) - first
    if not 0 <= e < n_months:
        labels = calendars.ordinal_labels([first, first + n_months - 1, int(ords[0])], "month", calendar).tolist()
        raise NotAvailable(f"is {labels[2]}, outside the export's months ({labels[0]} to {labels[1]})",
                           argument="end_month")
    return e


def retention_movements(customer_ids: Any, months: Any, mrr: Any, window: Any = 12, end_month: Any = None,
                        calendar: Any = "gregorian") -> dict[str, Any]:
    """The parts of :func:`nrr_movements` and :func:`grr_movements` over one window.

    Returns a dict: ``start_month`` / ``end_month`` (labels of the window's first and last month),
    ``customers_start``, ``starting_mrr``, ``expansion_mrr``, ``contraction_mrr``, ``churned_mrr``
    (monthly movements of the starting customers until they first stop paying), ``retained_mrr``
    (``starting + expansion - contraction - churned``) and ``gross_retained_mrr`` (the starting
    MRR never lost: the sum of each starting customer's lowest MRR over the window, 0 if they
    stopped paying).
    """
    calendar = cells.choice(calendar, "calendar", calendars.CALENDARS, default="gregorian")
    w = cells.count(window, "window")
    if w < 1 or w != int(w):
        raise OutOfRange(f"is {w:g}; the window is a whole number of months, 1 or more (3, 6, 12)", argument="window")
    w = int(w)
    c, t, value, first, n_months = paying_entries(customer_ids, months, mrr, calendar)
    e = _window_end(end_month, first, n_months, calendar)
    s = e - w + 1  # the window's first month; its starting MRR is the MRR of month s - 1
    base_month = s - 1
    if base_month < 0:
        labels = calendars.ordinal_labels([first, first + e, first + base_month], "month", calendar).tolist()
        raise NotAvailable(f"is {w} months ending in {labels[1]}, which needs the MRR of {labels[2]} (the month "
                           f"before the window) but the export starts in {labels[0]}; shorten the window or "
                           "add earlier months", argument="window")
    labels = calendars.ordinal_labels([first + s, first + e], "month", calendar).tolist()

    in_span = (t >= base_month) & (t <= e)
    c, t, value = c[in_span], t[in_span], value[in_span]
    base = t == base_month
    base_customers = c[base]
    starting = float(value[base].sum())
    # entries of the base customers only (c is sorted, so a searchsorted membership test works)
    member = np.isin(c, base_customers)
    c, t, value = c[member], t[member], value[member]
    # position of each entry in its customer's run: a customer pays continuously from the base
    # month while t - base_month equals the entry's rank within the customer
    starts = np.ones(len(c), dtype=bool)
    starts[1:] = c[1:] != c[:-1]
    run_start = np.maximum.accumulate(np.where(starts, np.arange(len(c)), 0))
    rank = np.arange(len(c)) - run_start
    continuous = (t - base_month) == rank  # still paying every month since the base month
    prev = np.zeros(len(c))
    prev[1:] = value[:-1]
    step = continuous & ~starts
    delta = np.where(step, value - prev, 0.0)
    expansion = float(delta[delta > 0].sum())
    contraction = float(-delta[delta < 0].sum())
    # the last continuous entry of each customer: churned after it unless it is month e
    last_cont = continuous.copy()
    nxt = np.zeros(len(c), dtype=bool)
    nxt[:-1] = continuous[1:] & ~starts[1:]
    last_cont &= ~nxt
    stayed = last_cont & (t == e)
    churned = float(value[last_cont & (t < e)].sum())
    retained = float(value[stayed].sum())
    # lowest MRR over the window of each customer who stayed (0 for those who left)
    run_id = np.cumsum(starts) - 1
    low = np.full(run_id.max() + 1 if len(run_id) else 0, np.inf)
    np.minimum.at(low, run_id[continuous], value[continuous])
    stayed_runs = run_id[stayed]
    gross = float(low[stayed_runs].sum())
    return {
        "start_month": labels[0], "end_month": labels[1], "customers_start": int(base.sum()),
        "starting_mrr": starting, "expansion_mrr": expansion, "contraction_mrr": contraction,
        "churned_mrr": churned, "retained_mrr": retained, "gross_retained_mrr": gross,
    }


def _rate(parts: dict[str, Any], key: str) -> float:
    if parts["starting_mrr"] == 0:
        raise DivisionByZero(f"has no customer paying in the month before {parts['start_month']}, so there is no "
                             "starting MRR to retain", argument="mrr")
    return parts[key] / parts["starting_mrr"]


_ARGS = {
    "customer_ids": "Customer id of each row of the billing export (text or numbers)",
    "months": "Month of each row: a date, an Excel serial or a label such as 2024-09 or 1403-06",
    "mrr": "MRR of the customer in that month (0 or blank = not paying; rows of the same customer and "
           "month are summed)",
    "window": "Months in the window: 1, 3, 6 or 12 (default 12)",
    "end_month": "Last month of the window (a label such as 2024-09 or a date); blank = the export's last month",
    "calendar": 'Calendar that dates are bucketed by: "gregorian", "jalali" or "hijri"',
}


@kpi(category="Revenue", returns="rate", args=_ARGS)
def nrr_movements(customer_ids, months, mrr, window=12, end_month=None, calendar="gregorian"):
    """Net MRR retention over a window of months from the movements (ChartMogul's NRR chart).

    Formula, for the ``window`` months ending with ``end_month``:
    ``(starting + expansion - contraction - churned) / starting``, where *starting* is the MRR of the
    customers paying in the month before the window (the window's first Starting MRR in
    ``MRR_MOVEMENTS``), and expansion, contraction and churn are those customers' monthly movements
    inside the window, each followed until it first stops paying. New business and reactivation
    are left out: a starting customer who churns and comes back inside the window counts as
    churned (their return is reactivation, not retention). Equivalently, NRR = the end MRR of the
    starting customers who paid in *every* month of the window / starting MRR.

    **Why it differs from the snapshot NRR** (``NRR`` over two columns, ``accounts(months=12)``):
    the snapshot keeps the end MRR of every starting customer, so a customer who left in March and
    returned in August counts as retained there and as churned here. Over one month the two are
    equal (nobody can leave and return within a month of monthly data); the longer the window and
    the more win-backs, the further the snapshot sits above this (on one data set in issue 16:
    0.655 snapshot vs 0.585 from movements over 12 months).

    Edge cases: a window reaching before the export's first month (it needs the month before the
    window) is ``#N/A`` saying which month is missing; nobody paying in that month is ``#DIV/0!``;
    ``end_month`` outside the export is ``#N/A``; a window below 1 or fractional is ``#NUM!``; the
    row errors are ``MRR_MOVEMENTS``'.

    Sources: ChartMogul, "Chart: Net MRR Retention" (help.chartmogul.com, article 6886664393500):
    "Excludes New Business and Reactivation"; "The value of Starting MRR is from subscribers with an
    Active or Past due subscription at the start of the report interval"; NRR = total MRR from
    existing subscribers at the start of the interval, plus expansion, less contraction and churn
    in the interval, over that starting MRR.

    Example -- ChartMogul's month (start 100: churn 10, contraction 10, expansion 10 -> 90 %), then a
    quarter in which A, who churned in October, is back in November (snapshot NRR: 100 %):

    >>> ids = ["A", "B", "C", "D"] * 2
    >>> m = ["2024-09"] * 4 + ["2024-10"] * 4
    >>> round(nrr_movements(ids, m, [10, 20, 30, 40, 0, 10, 40, 40], window=1), 12)
    0.9
    >>> nrr_movements(["A", "B", "A", "B", "B", "A", "B"],
    ...               ["2024-08", "2024-08", "2024-09", "2024-09", "2024-10", "2024-11", "2024-11"],
    ...               [50, 50, 50, 50, 50, 50, 50], window=3)
    0.5
    """
    return _rate(retention_movements(customer_ids, months, mrr, window, end_month, calendar), "retained_mrr")


@kpi(category="Revenue", returns="rate", args=_ARGS)
def grr_movements(customer_ids, months, mrr, window=12, end_month=None, calendar="gregorian"):
    """Gross MRR retention over a window of months from the movements (ChartMogul's GRR chart).

    Formula: ``(starting - contraction - churn of the starting MRR) / starting``: for each customer
    paying in the month before the window, the part of their starting MRR never lost in the
    window, which is their *lowest* MRR over the window's months (0 once they stop paying, and a
    return is reactivation, not retention); summed, over the starting MRR. Expansion is not
    counted, and MRR regained by an upgrade and lost again is lost expansion, not lost starting
    MRR, so GRR stays between 0 and 1 and never above ``NRR_MOVEMENTS``.

    **Why it differs from the snapshot GRR** (``GRR`` = sum(min(start, end)) / sum(start)): the
    snapshot only sees each customer's start and end, so a customer who downgrades in spring and
    upgrades back in autumn, or leaves and returns, loses nothing there; here the downgrade and
    the churn count. Over one month both are equal.

    Edge cases: as :func:`nrr_movements`.

    Sources: ChartMogul, "Chart: Gross MRR Retention" (help.chartmogul.com, article 6886621218332):
    "(Starting MRR - Contraction MRR - Churn MRR) / Starting MRR"; "$100 in MRR. During the month,
    you lose $10 to churn and $10 to contraction ... 80%".

    Example -- ChartMogul's month, then a customer going 100 -> 80 -> 100 over a quarter (snapshot
    GRR 1.0; 20 of the starting MRR was lost in October):

    >>> ids = ["A", "B", "C", "D"] * 2
    >>> m = ["2024-09"] * 4 + ["2024-10"] * 4
    >>> round(grr_movements(ids, m, [10, 20, 30, 40, 0, 10, 40, 40], window=1), 12)
    0.8
    >>> grr_movements(["A"] * 4, ["2024-08", "2024-09", "2024-10", "2024-11"], [100, 100, 80, 100], window=3)
    0.8
    """
    return _rate(retention_movements(customer_ids, months, mrr, window, end_month, calendar), "gross_retained_mrr")
