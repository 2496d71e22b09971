"""Customer survival (Kaplan-Meier) and median lifetime from start and end dates, with right-censoring.

A churn rate divides the customers lost by the customers there; it cannot say how long customers
stay when most of them are still customers. The Kaplan-Meier estimator can: a customer still active
is *censored* -- known to have stayed at least as long as observed -- and counts as at risk for
every period they were seen, then leaves the risk set without being a churn. The estimator is
lifelines' :class:`~lifelines.KaplanMeierFitter` (Davidson-Pilon, "lifelines: survival analysis in
Python", JOSS 4(40), 2019), imported only when a function here runs, so ``import xl_cskpi`` stays
light.

**Durations in whole periods.** The tenure of a customer runs from the start date to the end date
(churn date, the first day not a customer) or, when still active, to ``as_of``. It is counted in
whole periods of the chosen length: days; weeks (7 days); months as Excel's ``DATEDIF(start, end,
"M")`` counts them (a customer from 31 January to 28 February has 0 whole months), quarters (3 such
months) and years (12). A customer who **churned** is lost *in* period ``t = ceil(tenure)`` (at least
1: leaving on the day one starts is a loss in period 1; leaving on the monthly anniversary is a loss
at the end of that month). A customer still **active** was observed for ``floor(tenure)`` whole
periods and is censored there: counted as surviving each of them. Period 0 is the start, survival 1.

**Several rows per customer** (``customer_ids``, the last argument). Without ids every row is one
customer, as a plain list of customers is. With ids, a customer's rows are first merged into *spells*
of continuous activity by :func:`xl_cskpi.tables.churn.customer_spells` -- rows that overlap or touch
are one spell: a main contract and its add-on, a contract and its renewal written as a new row from
the day the first ends -- the same definition as CUSTOMER_CHURN_RATE and the monthly counts of a
customer list. Each customer is then one subject of the Kaplan-Meier estimate, from its first start
to the end of its **first** spell (its first churn), censored at ``as_of`` when that spell is still
open then. Time to first churn is what a survival curve of customers measures (Kaplan and Meier's
estimator follows each subject once, from its origin to its first event): a customer who leaves and
comes back is, in ChartMogul's terms, a churn and later a reactivation, and the curve counts that
churn and does not follow the customer a second time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import cells
from ..errors import InvalidInput, NotAvailable
from ..kpi.survey import confidence_z
from ..registry import kpi
from .churn import _OPEN, customer_spells
from .customers import _one_date
from .rows import check_rows, flat_ranges, row_dates, row_where

__all__ = ["survival_curve", "median_lifetime", "tenures", "SURVIVAL_PERIODS"]

#: Period lengths the functions accept.
SURVIVAL_PERIODS = ("day", "week", "month", "quarter", "year")

_MONTHS_PER = {"month": 1, "quarter": 3, "year": 12}


def _whole_months(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Completed months between two ``datetime64[D]`` arrays (Excel's DATEDIF "M") and whether days remain."""
    sy, sm, sd = _ymd(start)
    ey, em, ed = _ymd(end)
    months = (ey - sy) * 12 + (em - sm)
    short = ed < sd
    months = months - short
    remainder = short | (ed != sd)
    return months, remainder


def _ymd(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day of a ``datetime64[D]`` array; a long one (a customer export spans a few
    thousand days) through a table of the days between its first and last, gathered."""
    if d.size > 4096:
        x = d.astype(np.int64)
        lo, hi = int(x.min()), int(x.max())  # NaT is int64 min: a span too long for a table
        if hi - lo < d.size:
            return tuple(t[x - lo] for t in _ymd_of(np.arange(lo, hi + 1).astype("datetime64[D]")))
    return _ymd_of(d)


def _ymd_of(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return y, m, day


def tenures(start_dates: Any, end_dates: Any, period: Any = "month", as_of: Any = None,
            customer_ids: Any = None) -> tuple[np.ndarray, np.ndarray, str]:
    """``(t, churned, period)``: each customer's duration in whole periods and whether it ended in a churn.

    See the module docstring for the counting rule. Customers who start after ``as_of`` are not
    customers yet on that day and are left out; an end after ``as_of`` is not known on that day:
    the customer is censored at ``as_of``. Without ``customer_ids`` (None or one blank cell) each
    row is a customer; with them, each customer's first spell (module docstring). The default
    ``as_of`` is the latest start or end date of the rows either way.
    """
    unit = cells.choice(period, "period", SURVIVAL_PERIODS, default="month")
    flat = flat_ranges(start_dates=start_dates, end_dates=end_dates)
    cols = flat["start_dates"][1]
    start = row_dates(flat["start_dates"], "start_dates")
    end = row_dates(flat["end_dates"], "end_dates", open_end=True)
    keep = check_rows({"start_dates": np.isnat(start), "end_dates": np.isnat(end)}, cols,
                      required=("start_dates",))
    rows = np.flatnonzero(keep)
    start, end = start[keep].astype("datetime64[D]"), end[keep].astype("datetime64[D]")
    ended = ~np.isnat(end)
    backwards = ended & (end < start)
    if backwards.any():
        k = int(np.flatnonzero(backwards)[0])
        raise InvalidInput(f"is {end[k]} in {row_where(int(rows[k]), cols)}, before the start date {start[k]} "
                           "of that customer; check the two dates", argument="end_dates")
    if as_of is None or _blank(as_of):
        day = max(start.max(), end[ended].max()) if ended.any() else start.max()
    else:
        day = _one_date(as_of, "as_of")
    if not _no_ids(customer_ids):
        start, end = _first_spells(customer_ids, start_dates, end_dates)
        ended = ~np.isnat(end)
    present = start <= day
    if not present.any():
        raise InvalidInput(f"is {day}, before every start date; no customer had started by then",
                           argument="as_of")
    start, end, ended = start[present], end[present], ended[present]
    churned = ended & (end <= day)
    stop = np.where(churned, end, day)
    if unit in ("day", "week"):
        days = (stop - start).astype(np.int64)
        size = 1 if unit == "day" else 7
        whole, remainder = days // size, days % size != 0
    else:
        months, remainder = _whole_months(start, stop)
        k = _MONTHS_PER[unit]
        whole = months // k
        remainder = remainder | (months % k != 0)
    t = np.where(churned, np.maximum(whole + remainder, 1), whole).astype(np.int64)
    return t, churned, unit


def _first_spells(customer_ids: Any, start_dates: Any, end_dates: Any) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (NaT: open) of each customer's first spell, as ``datetime64[D]`` arrays.

    The rows are merged by :func:`xl_cskpi.tables.churn.customer_spells` (CUSTOMER_CHURN_RATE's
    spells: rows of one customer that overlap or touch are one spell), which also refuses a row with
    a start and no id, or an id and no start (``#VALUE!`` naming the row).
    """
    _, s, e, first = customer_spells(customer_ids, start_dates, end_dates)
    s, e = s[first], e[first]
    end = e.astype("datetime64[D]")
    end[e == _OPEN] = np.datetime64("NaT")
    return s.astype("datetime64[D]"), end


def _no_ids(value: Any) -> bool:
    """True for ``customer_ids`` left out: None, a blank text or one blank cell (a range of ids is
    read row by row, where a blank id beside a start date is ``#VALUE!``, as CUSTOMER_CHURN_RATE says)."""
    if value is None or isinstance(value, str):
        return value is None or not value.strip()
    return isinstance(value, (list, tuple)) and len(value) <= 1 and _blank(value)


def _blank(value: Any) -> bool:
    flat, _ = cells.flatten(value)
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in flat)


def _fit(t: np.ndarray, churned: np.ndarray, confidence: float):
    from lifelines import KaplanMeierFitter  # lazy: lifelines pulls in scipy and matplotlib

    # one row per distinct (duration, churned) with its count as weight: the same estimate and
    # interval as one row per customer (tested), twenty times faster on a million customers
    key = t.astype(np.int64) * 2 + churned.astype(np.int64)
    distinct, counts = np.unique(key, return_counts=True)
    fitter = KaplanMeierFitter(alpha=1 - confidence)
    fitter.fit((distinct // 2).astype(float), event_observed=(distinct % 2).astype(bool), weights=counts,
               timeline=np.arange(0, int(t.max()) + 1))
    return fitter


def _confidence(value: Any) -> float:
    confidence_z(value)  # the checks of every confidence argument: 0 < c < 1, "95%" read
    return 0.95 if value is None or _blank(value) else cells.number(value, "confidence")


_ARGS = {
    "start_dates": "Date each customer (or, with customer_ids, each contract row) started",
    "end_dates": "Date each customer left (churn date, first day not a customer); blank or 9999-12-31 = "
                 "still active (censored)",
    "period": 'Length of a period: "day", "week", "month" (default), "quarter" or "year"',
    "as_of": "The day the data was taken: active customers are observed until then (default: the "
             "latest start or end date in the data)",
}

#: the last argument of both functions (after SURVIVAL_CURVE's labels and segments: no call changes)
_IDS_HELP = ("Customer id of each row (optional): a customer's rows that overlap or touch (an add-on, a "
             "renewal row) are one spell, and each customer counts once, to the end of its first spell; "
             "blank: each row is a customer")


@kpi(category="Retention", returns="table", rows=("start_dates", "end_dates", "customer_ids"), args={
    **_ARGS,
    "confidence": "Confidence level of the interval, a fraction (0.95 for 95 %); blank gives 0.95",
    "customer_ids": _IDS_HELP,
}, last=("customer_ids",))
def survival_curve(start_dates, end_dates, period="month", as_of=None, confidence=0.95, customer_ids=None):
    """Customer survival curve (Kaplan-Meier) with still-active customers censored, by period.

    One row per period 0, 1, 2 ... up to the longest tenure, with the columns ``Period, At risk,
    Churned, Censored, Survival, Low (95 %), High (95 %)``:

    * ``At risk``: customers observed for at least that many periods (lifelines' ``at_risk``);
    * ``Churned``: customers lost in that period; ``Censored``: still-active customers whose
      observation ends after that many whole periods;
    * ``Survival``: the Kaplan-Meier estimate S(t) = product over periods k <= t of
      (1 - churned_k / at_risk_k), the share of customers expected to stay at least t periods;
    * ``Low``/``High``: lifelines' pointwise confidence interval, the exponential Greenwood
      ("log-log") interval, which stays within 0..1.

    How durations are counted (whole days, weeks, DATEDIF months ...) is in the documentation of
    :mod:`xl_cskpi.tables.survival`. Per segment (``segments``): one curve per segment, stacked.

    ``customer_ids`` (optional, the last argument, after ``labels`` and ``segments``): several rows
    per customer. A customer's rows that overlap or touch are one spell (CUSTOMER_CHURN_RATE's
    :func:`~xl_cskpi.tables.churn.customer_spells`), and each customer is one subject, from its first
    start to the end of its first spell, censored at ``as_of`` while that spell is open then: a
    renewal row from the day a contract ends is no churn, an add-on no second customer at risk, and
    a customer who leaves and returns is followed to the first churn only (time to first churn is
    what the curve of customers estimates; the return is a reactivation in ChartMogul's terms, not a
    second lifetime). Left out or blank: each row is a customer, exactly as before.

    Edge cases: a blank end (or 9999-12-31) is a customer still active, censored at ``as_of``; an
    end after ``as_of`` is censored at ``as_of`` (not known yet then); customers starting after
    ``as_of`` are left out; an end before its start, or an end without a start, is ``#VALUE!``
    naming the row; no rows is ``#N/A``; a confidence level outside (0, 1) is ``#NUM!``; with
    ``customer_ids``, a row with a start and no id, or an id and no start, is ``#VALUE!`` naming it.

    Source: E. L. Kaplan and P. Meier, "Nonparametric estimation from incomplete observations",
    Journal of the American Statistical Association 53 (1958), 457-481; the estimator and its
    interval from lifelines (``KaplanMeierFitter``, https://lifelines.readthedocs.io).

    Example -- four customers observed to 1 May 2024: A left after 1 month, B after 2, C is active
    after 3 whole months (censored), D left after 3 months:

    >>> t = survival_curve(["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-01"],
    ...                    ["2024-02-01", "2024-03-01", None, "2024-04-01"], "month", "2024-05-01")
    >>> t[["Period", "At risk", "Churned", "Censored", "Survival"]]
       Period  At risk  Churned  Censored  Survival
    0       0        4        0         0      1.00
    1       1        4        1         0      0.75
    2       2        3        1         0      0.50
    3       3        2        1         1      0.25
    """
    return _curve(*tenures(start_dates, end_dates, period, as_of, customer_ids)[:2], _confidence(confidence))


def _curve(t: np.ndarray, churned: np.ndarray, c: float) -> pd.DataFrame:
    """The SURVIVAL_CURVE table of tenures ``t`` (whole periods) and their churn flags."""
    fitter = _fit(t, churned, c)
    n_periods = int(t.max()) + 1
    churn_n = np.bincount(t[churned], minlength=n_periods)
    censor_n = np.bincount(t[~churned], minlength=n_periods)
    leaving = np.bincount(t, minlength=n_periods)
    at_risk = len(t) - np.concatenate([[0], np.cumsum(leaving)[:-1]])
    ci = fitter.confidence_interval_survival_function_.to_numpy()
    pct = f"{c * 100:g} %"
    return pd.DataFrame({
        "Period": np.arange(n_periods, dtype=np.int64),
        "At risk": at_risk.astype(np.int64),
        "Churned": churn_n.astype(np.int64),
        "Censored": censor_n.astype(np.int64),
        "Survival": fitter.survival_function_.to_numpy()[:, 0],
        f"Low ({pct})": ci[:, 0],
        f"High ({pct})": ci[:, 1],
    })


@kpi(category="Retention", returns="number", args={**_ARGS, "customer_ids": _IDS_HELP})
def median_lifetime(start_dates, end_dates, period="month", as_of=None, customer_ids=None):
    """Median customer lifetime in periods: the first period where Kaplan-Meier survival is 50 % or less.

    Formula: the smallest t with S(t) <= 0.5 on the curve of :func:`survival_curve` (lifelines'
    ``median_survival_time_``), in whole periods of the chosen length. Still-active customers count
    as censored, so the median is not pulled down by customers who simply have not had time to
    leave (as an average of the ended tenures would be).

    ``customer_ids`` (the last argument, optional): a customer's rows (a main contract and its add-on,
    a contract and its renewal row) are merged into spells as CUSTOMER_CHURN_RATE merges them (rows
    that overlap or touch), and each customer is one subject, from its first start to the end of its
    first spell: a renewal written as a new row from the day the contract ends is no churn, an add-on
    is no second customer at risk, and a customer who leaves and returns counts its first churn only
    (time to first churn, the event a survival curve of customers follows; the return is a
    reactivation in ChartMogul's terms). Left out or blank: each row is a customer, as before.

    Edge cases: when survival never falls to 50 % (more than half of the customers are still there,
    or were censored before) the median is longer than the data shows: ``#N/A`` saying how low
    survival went; with ``customer_ids``, a row with a start and no id (or an id and no start) is
    ``#VALUE!`` naming the row, as in CUSTOMER_CHURN_RATE; the other edge cases are those of
    :func:`survival_curve`.

    Source: Kaplan and Meier (1958); lifelines' ``KaplanMeierFitter.median_survival_time_``; spells
    and reactivations as in ChartMogul's customer churn rate (see CUSTOMER_CHURN_RATE).

    Example -- the customers of the SURVIVAL_CURVE example: survival 0.5 after 2 months:

    >>> median_lifetime(["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-01"],
    ...                 ["2024-02-01", "2024-03-01", None, "2024-04-01"], "month", "2024-05-01")
    2.0

    Half-year contracts renewed by a new row from the day they end: A renews and stays, B renews once
    and leaves after 12 months, C leaves after 9. By row every contract end is a churn (three of five
    rows churn after 6 months: median 6, the contract length); by customer, A is still there (censored
    after 14 months), C leaves after 9 (survival 2/3), B after 12 (1/3):

    >>> starts = ["2024-01-01", "2024-07-01", "2024-01-01", "2024-07-01", "2024-01-01"]
    >>> ends = ["2024-07-01", None, "2024-07-01", "2025-01-01", "2024-10-01"]
    >>> median_lifetime(starts, ends, "month", "2025-03-01")
    6.0
    >>> median_lifetime(starts, ends, "month", "2025-03-01", ["A", "A", "B", "B", "C"])
    12.0
    """
    t, churned, unit = tenures(start_dates, end_dates, period, as_of, customer_ids)
    fitter = _fit(t, churned, 0.95)
    median = float(fitter.median_survival_time_)
    if not np.isfinite(median):
        s = fitter.survival_function_.to_numpy()[:, 0]
        k = int(np.argmin(s))
        raise NotAvailable(f"has survival above 50 % in every {unit} observed (lowest {s[k]:.1%} after {k} "
                           f"{unit}s, {int(churned.sum())} of {len(t)} customers churned): the median "
                           "lifetime is longer than the data shows", argument="end_dates")
    return median
