"""Tables derived from the customer-month MRR table of :func:`xl_cskpi.tables.subscriptions.mrr_table`:
the start-vs-end accounts (the revenue report's Accounts sheet), the monthly customer counts (Months)
and the recurring revenue per month (Finance). Re-exported by :mod:`xl_cskpi.tables.subscriptions`,
where they lived until the reader grew several currencies; they read any table with the columns
``customer_id, month, mrr`` (several rows of one customer-month -- one per currency -- are summed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import calendars, cells
from ..errors import InvalidInput, NotAvailable, OutOfRange
from .rows import sorted_unique

__all__ = ["accounts", "monthly_counts", "finance_base"]


def _table_calendar(table: pd.DataFrame, calendar: str | None) -> str:
    """The calendar of a table's months: given, else ``attrs['calendar']``, else the one whose month
    starts every date is (1st of the month: Gregorian; else Jalali, else Hijri)."""
    if calendar is not None:
        return cells.choice(calendar, "calendar", calendars.CALENDARS, default="gregorian")
    if table.attrs.get("calendar") in calendars.CALENDARS:
        return table.attrs["calendar"]
    m = pd.to_datetime(table["month"]).to_numpy(dtype="datetime64[ns]")
    for cal in calendars.CALENDARS:
        try:
            back = calendars.period_start_dates(calendars.period_ordinals(m, "month", cal), "month", cal)
        except NotAvailable:
            continue
        if (back == m.astype("datetime64[D]").astype("datetime64[ns]")).all():
            return cal
    raise InvalidInput("has months that are not first days of months in any calendar; pass calendar=",
                       argument="month")


def _paying(table: pd.DataFrame, calendar: str | None) -> tuple[pd.DataFrame, np.ndarray, str]:
    """Rows with MRR > 0, their month ordinals, and the calendar."""
    for c in ("customer_id", "month", "mrr"):
        if c not in table.columns:
            raise InvalidInput(f"has no {c} column; pass the table mrr_table returns", argument="mrr_table")
    cal = _table_calendar(table, calendar) if len(table) else (calendar or table.attrs.get("calendar",
                                                                                         "gregorian"))
    ords = calendars.period_ordinals(pd.to_datetime(table["month"]).to_numpy(dtype="datetime64[ns]"),
                                     "month", cal, arg="month")
    return table, ords, cal


def _month_firsts(ords: np.ndarray, calendar: str) -> np.ndarray:
    return calendars.period_start_dates(ords, "month", calendar, arg="month")


def accounts(mrr_table: pd.DataFrame, months: int = 12, *, calendar: str | None = None
             ) -> tuple[pd.DataFrame, tuple[pd.Timestamp | None, pd.Timestamp | None]]:
    """MRR of each customer in two months: the Accounts sheet (start-vs-end) of the revenue report.

    The *current* month is the table's last month; the *previous* month is ``months`` months before
    it, or the table's first month when the history is shorter. Returns ``(accounts, (previous_month,
    current_month))``: a DataFrame ``customer_id, previous_mrr, current_mrr, plan`` (plan of the
    current month, else of the previous one), customers with 0 in both months left out, sorted by
    customer; the months as first days (Gregorian timestamps). An empty table gives an empty frame
    and ``(None, None)``. NRR = sum(current) / sum(previous) over customers paying in the previous
    month (ChartMogul's net revenue retention over a 12-month window is the usual ``months=12``).

    >>> t = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "month": pd.to_datetime(
    ...     ["2024-01-01", "2024-03-01", "2024-03-01", "2024-01-01"]), "mrr": [100.0, 120, 50, 30],
    ...     "plan": ["Pro", "Pro", "Team", None]})
    >>> frame, (previous, current) = accounts(t, months=2)
    >>> frame
      customer_id  previous_mrr  current_mrr  plan
    0           a         100.0        120.0   Pro
    1           b           0.0         50.0  Team
    2           c          30.0          0.0  None
    >>> previous.date(), current.date()
    (datetime.date(2024, 1, 1), datetime.date(2024, 3, 1))
    """
    months = cells.count(months, "months") if not isinstance(months, (int, np.integer)) else int(months)
    if months < 1 or int(months) != months:
        raise OutOfRange(f"is {months:g}; the window is a whole number of months, 1 or more", argument="months")
    columns = ["customer_id", "previous_mrr", "current_mrr", "plan"]
    table, ords, cal = _paying(mrr_table, calendar)
    if not len(table):
        return pd.DataFrame({c: pd.Series([], dtype=float if "mrr" in c else object) for c in columns}), (None, None)
    last = int(ords.max())
    prev = max(last - int(months), int(ords.min()))
    rows = (ords == last) | (ords == prev)
    ords = ords[rows]
    mrr = table["mrr"].to_numpy(dtype=float)[rows]
    plan = (table["plan"].to_numpy(dtype=object)[rows] if "plan" in table.columns
            else np.full(len(ords), None, dtype=object))
    frame = pd.DataFrame({"customer_id": table["customer_id"].to_numpy(dtype=object)[rows],
                          "previous_mrr": np.where(ords == prev, mrr, 0.0),
                          "current_mrr": np.where(ords == last, mrr, 0.0),
                          "plan_current": np.where((ords == last) & (mrr > 0), plan, None),
                          "plan_previous": np.where((ords == prev) & (mrr > 0), plan, None)})
    # grouped by cells.factorize codes, not by the ids themselves: pandas' groupby would read an id
    # holding a NUL character as the text before it (see cells.factorize)
    cust, names = cells.factorize(frame["customer_id"])
    has_id = cust >= 0
    out = frame[has_id].drop(columns="customer_id").groupby(cust[has_id], sort=False).agg(
        previous_mrr=("previous_mrr", "sum"), current_mrr=("current_mrr", "sum"),
        plan_current=("plan_current", "first"), plan_previous=("plan_previous", "first"))
    out.index = pd.Index(names[out.index.to_numpy()], dtype=object)
    out = out.sort_index()
    out = out[(out["previous_mrr"] > 0) | (out["current_mrr"] > 0)]
    plan_out = out["plan_current"].where(out["plan_current"].notna(), out["plan_previous"])
    result = pd.DataFrame({"customer_id": out.index.to_numpy(dtype=object),
                           "previous_mrr": out["previous_mrr"].to_numpy(dtype=float),
                           "current_mrr": out["current_mrr"].to_numpy(dtype=float),
                           "plan": pd.Series([None if pd.isna(v) else v for v in plan_out], dtype=object)})
    firsts = _month_firsts(np.array([prev, last]), cal)
    return result, (pd.Timestamp(firsts[0]), pd.Timestamp(firsts[1]))


def monthly_counts(mrr_table: pd.DataFrame, *, calendar: str | None = None) -> pd.DataFrame:
    """Customers at the start, new, lost and at the end of each month: the Months sheet.

    A customer *counts* in a month when its MRR there is above 0. For every month from the table's
    first to its last (months without rows included): ``customers_start`` = paying customers of the
    month before (0 in the first month), ``customers_new`` = paying now and not the month before
    (a reactivated customer counts as new here, so ``start + new - lost = end`` holds every month),
    ``customers_lost`` = paying the month before and not now, ``customers_end`` = paying now. These
    are ``MRR_MOVEMENTS``' counts with its new and reactivated customers added together.

    >>> t = pd.DataFrame({"customer_id": ["a", "a", "b", "b"], "month": pd.to_datetime(
    ...     ["2024-01-01", "2024-02-01", "2024-01-01", "2024-03-01"]), "mrr": [100.0, 100, 50, 50]})
    >>> monthly_counts(t)
           month  customers_start  customers_new  customers_lost  customers_end
    0 2024-01-01                0              2               0              2
    1 2024-02-01                2              0               1              1
    2 2024-03-01                1              1               1              1
    """
    return _counts(mrr_table, calendar, revenue=False)


def finance_base(mrr_table: pd.DataFrame, *, calendar: str | None = None) -> pd.DataFrame:
    """Month, customers at start, new and lost, and revenue (the sum of MRR): the recurring part of
    the unit-economics Finance sheet (margins, spend and cash flows come from elsewhere).

    >>> t = pd.DataFrame({"customer_id": ["a", "a", "b"], "month": pd.to_datetime(
    ...     ["2024-01-01", "2024-02-01", "2024-02-01"]), "mrr": [100.0, 120, 50]})
    >>> finance_base(t)
           month  customers_start  customers_new  customers_lost  revenue
    0 2024-01-01                0              1               0    100.0
    1 2024-02-01                1              1               0    170.0
    """
    return _counts(mrr_table, calendar, revenue=True)


def _counts(mrr_table: pd.DataFrame, calendar: str | None, revenue: bool) -> pd.DataFrame:
    table, ords, cal = _paying(mrr_table, calendar)
    names = ["month", "customers_start", "customers_new", "customers_lost"] + (["revenue"] if revenue
                                                                               else ["customers_end"])
    if not len(table):
        return pd.DataFrame({n: pd.Series([], dtype="datetime64[ns]" if n == "month" else
                                          float if n == "revenue" else np.int64) for n in names})
    first, last = int(ords.min()), int(ords.max())
    n_months = last - first + 1
    cust, _ = cells.factorize(table["customer_id"])
    mrr = table["mrr"].to_numpy(dtype=float)
    if (mrr < 0).any() or np.isnan(mrr).any():
        i = int(np.flatnonzero(~(mrr >= 0))[0])
        raise OutOfRange(f"is {mrr[i]:g} in row {i + 1}; MRR is 0 or more", argument="mrr")
    t = ords - first
    key = np.asarray(cust, dtype=np.int64) * n_months + t
    ukey, inverse = sorted_unique(key)
    value = np.bincount(inverse, weights=mrr, minlength=len(ukey))
    paying = value > 0
    ukey, value = ukey[paying], value[paying]
    c, m = ukey // n_months, ukey % n_months
    consecutive = np.zeros(len(c), dtype=bool)
    consecutive[1:] = (c[1:] == c[:-1]) & (m[1:] == m[:-1] + 1)
    next_consecutive = np.zeros(len(c), dtype=bool)
    next_consecutive[:-1] = consecutive[1:]
    lost = ~next_consecutive & (m + 1 < n_months)
    end = np.bincount(m, minlength=n_months).astype(np.int64)
    data = {
        "month": _month_firsts(np.arange(first, last + 1), cal),
        "customers_start": np.concatenate([[0], end[:-1]]).astype(np.int64),
        "customers_new": np.bincount(m[~consecutive], minlength=n_months).astype(np.int64),
        "customers_lost": np.bincount(m[lost] + 1, minlength=n_months + 1)[:n_months].astype(np.int64),
    }
    if revenue:
        data["revenue"] = np.bincount(m, weights=value, minlength=n_months).astype(float)
    else:
        data["customers_end"] = end
    return pd.DataFrame(data)
