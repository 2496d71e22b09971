"""Cohort retention triangles from row-level activity exports (logins, orders, paid invoices)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import calendars, cells
from ..errors import NotAvailable
from ..registry import kpi
from .rows import check_rows, check_span, raw_ranges, row_codes, row_numbers, row_periods, row_slots, \
    sorted_unique

__all__ = ["cohort_retention", "MAX_PERIODS"]

#: Widest triangle: Excel has 16,384 columns, two of which hold the cohort label and size.
MAX_PERIODS = 16_000

#: A grid marked by identity slot (:func:`xl_cskpi.tables.rows.row_slots`: about three slots per
#: customer) is used while it has at most this many cells (bytes) per row, as many as one int64
#: column of the rows (or ``SLOT_GRID_MIN_CELLS``); a sparser one is counted by customer numbers
#: (one gather more).
SLOT_GRID_CELLS_PER_ROW = 8
SLOT_GRID_MIN_CELLS = 1 << 20


class _OtherSegment:
    """The customer id the registry gives the rows of the other segments when COHORT_RETENTION runs
    per segment (``neutral``): such a row is no customer, it only stretches the triangle to the
    export's span, so that a segment's cells up to the export's last period are observed (0 % when
    nobody of the cohort came back), blank only beyond it, and every segment has the same columns."""

    def __repr__(self) -> str:
        return "<another segment's row>"


OTHER_SEGMENT = _OtherSegment()


@kpi(category="Retention", returns="table", rows=("customer_ids", "activity_dates", "amounts"),
     neutral={"customer_ids": OTHER_SEGMENT}, last=("amounts",), args={
    "customer_ids": "Customer id of each activity row (text or numbers)",
    "activity_dates": "Date of each activity (date, Excel serial, ISO text or a month label "
                      "such as 2024-09)",
    "period": 'Cohort and column period: "day", "week", "month" or "quarter"',
    "calendar": 'Calendar that periods follow: "gregorian", "jalali" or "hijri"',
    "amounts": "Optional: the amount of each row (MRR, invoice total); only a row above 0 is activity "
               "(a 0, blank or negative row is a customer not paying)",
})
def cohort_retention(customer_ids, activity_dates, period="month", calendar="gregorian", amounts=None):
    """Cohort retention triangle: share of each first-period cohort active 0, 1, 2 ... periods later.

    One row per cohort (the period of a customer's first activity), with the columns ``Cohort``,
    ``Customers`` (the cohort size) and ``Month 0``, ``Month 1`` ... (``Day``, ``Week``, ``Quarter``) : the share of the cohort
    with at least one activity that many periods after the cohort period.

    Formula: ``share(cohort c, age k) = customers of c active in period c + k / customers of c``.
    Period 0 is 1 (100 %) by construction. A customer counts as active in a period when they have
    a row in it, whatever they did in between (unbounded gaps are allowed: "returning" customers
    count again). Cells beyond the export's last period are blank (NaN): nobody can be active there
    yet, which is not the same as 0 %.

    Periods follow :mod:`xl_cskpi.calendars`: ISO weeks (Monday) for ``gregorian``, Saturday weeks
    for ``jalali`` and ``hijri``; months and quarters of the chosen calendar. Only periods in which
    some customer started get a row.

    Per segment (``segments``: a plan, region or owner per row): one triangle per segment, stacked,
    with a leading ``segment`` column. A segment's cohorts are its customers by their first row in
    that segment, and its triangle spans the whole export, as the columns do: a cell up to the
    export's last period is observed (0 % when nobody of the cohort was active), blank only beyond
    it, so a segment whose rows end early does not read as "not yet known". The segments' cohort
    sizes add up to the whole table's when no customer's rows change segment.

    With ``amounts`` (the last argument, after ``labels`` and ``segments``: an MRR column, paid
    invoices): only a row whose amount is a number above 0 is activity, as MRR_MOVEMENTS reads an
    MRR export -- a customer-month row of 0 (a pause month, or a dense warehouse table with 0
    wherever a customer did not pay), a blank or a negative amount is a customer not paying: it
    neither starts a cohort nor counts as retained. Such rows still date the export: a period up to
    the last row's is observed (0 % when nobody of a cohort paid), as another segment's rows do; the
    first column is the first period in which someone paid. A text that is no number is
    ``#VALUE!`` naming the row; no amount above 0 is ``#N/A``. Without ``amounts`` every row with an
    id and a date is activity (logins, orders).

    Edge cases: several rows of a customer in one period count once; a row with an id but no date
    (or a date but no id) is ``#VALUE!`` naming the row, an entirely blank row is skipped; ranges
    of different sizes are ``#VALUE!``; no rows is ``#N/A``; a triangle wider than Excel's columns
    is ``#NUM!`` (use a longer period).

    Source: Amplitude and Mixpanel "retention" reports (N-period retention of acquisition
    cohorts); ChartMogul, "Cohort analysis" (customer retention by signup month).

    Example -- A and B start in September, C in October; A is back in October, A and C in November:

    >>> cohort_retention(["A", "B", "A", "C", "A", "C"],
    ...                  ["2024-09-03", "2024-09-20", "2024-10-05", "2024-10-06", "2024-11-01",
    ...                   "2024-11-30"])
        Cohort  Customers  Month 0  Month 1  Month 2
    0  2024-09          2      1.0      0.5      0.5
    1  2024-10          1      1.0      1.0      NaN

    An MRR table with a 0 row (B pauses in October): with the amounts, B is not retained in month 1:

    >>> cohort_retention(["A", "B", "A", "B", "A", "B"],
    ...                  ["2024-09", "2024-09", "2024-10", "2024-10", "2024-11", "2024-11"],
    ...                  amounts=[100, 50, 100, 0, 100, 50])
        Cohort  Customers  Month 0  Month 1  Month 2
    0  2024-09          2      1.0      0.5      1.0
    """
    period = cells.choice(period, "period", calendars.PERIODS, default="month")
    calendar = cells.choice(calendar, "calendar", calendars.CALENDARS, default="gregorian")
    if amounts is None:
        flat = raw_ranges(customer_ids=customer_ids, activity_dates=activity_dates)
    else:  # the amounts read first (text that is no number: #VALUE! naming the row)
        flat = raw_ranges(customer_ids=customer_ids, activity_dates=activity_dates, amounts=amounts)
        amount = row_numbers(flat.pop("amounts"), "amounts")
    # customers: by identity alone in the usual export (slots of a table with gaps, no blank), else codes
    slots = row_slots(flat["customer_ids"])
    if slots is None:
        cust, ids, cols = row_codes(flat["customer_ids"], "customer_ids", ignore=OTHER_SEGMENT)
        customers, held = len(ids), None
    else:
        (cust, customers, held), cols = slots, flat["customer_ids"][1]
    ords, date_blank, _ = row_periods(flat["activity_dates"], "activity_dates", period, calendar,
                                      monthly_rows=True)
    other = cust == -2  # another segment's row (a run per segment): it only sets the span
    blanks = {"customer_ids": cust == -1, "activity_dates": date_blank & ~other}
    if amounts is not None:
        blanks["amounts"] = np.isnan(amount)
    keep = check_rows(blanks, cols, required=("customer_ids", "activity_dates"))
    if other.any():
        keep &= ~date_blank
        if not (keep & ~other).any():
            raise NotAvailable("has no rows; select the rows of the export", argument="customer_ids")
    if amounts is not None:
        # a row not above 0 (blank, 0, negative) is no activity: it only dates the export, as another
        # segment's row does; the first period is the first one in which someone paid (in any segment:
        # a segment's triangle has the whole one's columns, and is empty when none of its rows paid)
        paid = amount > 0
        paid &= keep
        del amount, blanks
        if not paid.any():
            raise NotAvailable("has no amount above 0; nobody paid, so there is no cohort", argument="amounts")
        unpaid = keep & ~paid
        idle = int(np.count_nonzero(unpaid & ~other))
        other |= unpaid
        del unpaid
    else:
        idle = 0
    first, last = check_span(ords[keep], "activity_dates", period, calendar, MAX_PERIODS)
    if amounts is not None:
        first = int(ords[paid].min())
        del paid
    keep &= ~other
    if not keep.all():  # (an export without blank rows is not copied)
        cust, ords = cust[keep], ords[keep]
    del keep, other, date_blank, flat
    span = last - first + 1
    rows = len(cust) + idle  # the grid is sized against the rows read (a row not paid was read too)

    if held is not None and customers * span > max(SLOT_GRID_CELLS_PER_ROW * rows, SLOT_GRID_MIN_CELLS):
        # too many slots for a grid by slot: the customers numbered (a gather), as by row_codes
        number = np.zeros(customers, dtype=np.int64)
        number[held] = np.arange(len(held))
        cust, customers, held = number[cust], len(held), None
        del number
    if held is not None:  # a grid by slot: a byte per slot and period, the held rows taken out
        cohorts, sizes, active = _count_dense(cust, ords, first, customers, span, held)
    elif customers * span <= max(4 * rows, 1 << 20):
        cohorts, sizes, active = _count_dense(cust, ords, first, customers, span)
    else:
        cohorts, sizes, active = _count_sorted(cust, ords, first, span)
    del cust, ords
    shares = active / sizes[:, None]
    shares[cohorts[:, None] + np.arange(span)[None, :] > span - 1] = np.nan

    table = pd.DataFrame(shares, columns=[f"{period.capitalize()} {k}" for k in range(span)])
    table.insert(0, "Customers", sizes.astype(np.int64))
    table.insert(0, "Cohort", calendars.ordinal_labels(cohorts + first, period, calendar,
                                                       arg="activity_dates"))
    return table


def _count_dense(cust: np.ndarray, ords: np.ndarray, first: int, customers: int, span: int,
                 held: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cohorts (period offsets, ascending), their sizes, and the customers of each active at each age.

    Counting, not sorting: each row marks its (customer, period) cell of a customer x period grid
    (one scattered write per row, whatever the row order); a customer's cohort is the first marked
    period of its grid row, and the customers of cohort ``c`` active at age ``a`` are the marked
    cells of column ``c + a`` among their grid rows, summed a cohort at a time. ``held``: the
    customer indexes in use when ``cust`` has gaps (slots of :func:`row_slots`); their grid rows
    are taken out (in order) before counting.
    """
    cells_ = cust * span
    cells_ += ords
    cells_ -= first
    grid = np.zeros(customers * span, dtype=bool)
    grid[cells_] = True
    del cells_
    grid = grid.reshape(customers, span)
    if held is not None:
        grid = grid[held]
    cohort_of = grid.argmax(axis=1)  # the first marked period
    has_rows = grid.any(axis=1)
    if not has_rows.all():  # (an id whose rows were all left out: no cohort)
        cohort_of[~has_rows] = span
    by_cohort = np.bincount(cohort_of, minlength=span)[:span]
    cohorts = np.flatnonzero(by_cohort)
    sizes = by_cohort[cohorts]
    # customers by cohort (a radix sort of small integers; ids without rows last)
    members = np.argsort(cohort_of.astype(np.uint16 if span < 1 << 16 else np.int64), kind="stable")
    active = np.zeros((len(cohorts), span), dtype=np.int64)
    start = 0
    for row, (c, n) in enumerate(zip(cohorts.tolist(), sizes.tolist())):
        active[row, :span - c] = np.count_nonzero(grid[members[start:start + n], c:], axis=0)
        start += n
    return cohorts, sizes, active


def _count_sorted(cust: np.ndarray, ords: np.ndarray, first: int, span: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As :func:`_count_dense` for a sparse customer x period grid (few rows over a long span): the
    distinct (customer, period) pairs by a sort."""
    pairs = cust * span
    pairs += ords
    pairs -= first
    key = sorted_unique(pairs)[0]  # sorted by customer, then period
    del pairs
    c, t = np.divmod(key, span)
    del key
    starts = np.ones(len(c), dtype=bool)
    starts[1:] = c[1:] != c[:-1]
    del c
    first_entry = np.flatnonzero(starts)  # each customer's first (customer, period) entry: its cohort
    cohort_of_entry = np.repeat(t[first_entry], np.diff(np.append(first_entry, len(t))))
    age = t - cohort_of_entry
    # cohorts in order and each entry's row among them: periods are < span, so counted too
    cohorts = np.flatnonzero(np.bincount(cohort_of_entry, minlength=span))
    rank = np.zeros(span, dtype=np.int64)
    rank[cohorts] = np.arange(len(cohorts))
    row = rank[cohort_of_entry]
    sizes = np.bincount(row[starts], minlength=len(cohorts))
    active = np.bincount(row * span + age, minlength=len(cohorts) * span).reshape(len(cohorts), span)
    return cohorts, sizes, active
