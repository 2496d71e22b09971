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
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import cells
from ..errors import InvalidInput, NotAvailable
from ..kpi.survey import confidence_z
from ..registry import kpi
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


def tenures(start_dates: Any, end_dates: Any, period: Any = "month",
            as_of: Any = None) -> tuple[np.ndarray, np.ndarray, str]:
    """``(t, churned, period)``: each customer's duration in whole periods and whether it ended in a churn.

    See the module docstring for the counting rule. Customers who start after ``as_of`` are not
    customers yet on that day and are left out; an end after ``as_of`` is not known on that day:
    the customer is censored at ``as_of``.
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
    "start_dates": "Date each customer started (one row per customer)",
    "end_dates": "Date each customer left (churn date, first day not a customer); blank or 9999-12-31 = "
                 "still active (censored)",
    "period": 'Length of a period: "day", "week", "month" (default), "quarter" or "year"',
    "as_of": "The day the data was taken: active customers are observed until then (default: the "
             "latest start or end date in the data)",
}


@kpi(category="Retention", returns="table", rows=("start_dates", "end_dates"), args={
    **_ARGS,
    "confidence": "Confidence level of the interval, a fraction (0.95 for 95 %); blank gives 0.95",
})
def survival_curve(start_dates, end_dates, period="month", as_of=None, confidence=0.95):
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

    Edge cases: a blank end (or 9999-12-31) is a customer still active, censored at ``as_of``; an
    end after ``as_of`` is censored at ``as_of`` (not known yet then); customers starting after
    ``as_of`` are left out; an end before its start, or an end without a start, is ``#VALUE!``
    naming the row; no rows is ``#N/A``; a confidence level outside (0, 1) is ``#NUM!``.

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
    c = _confidence(confidence)
    t, churned, _ = tenures(start_dates, end_dates, period, as_of)
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


@kpi(category="Retention", returns="number", args=_ARGS)
def median_lifetime(start_dates, end_dates, period="month", as_of=None):
    """Median customer lifetime in periods: the first period where Kaplan-Meier survival is 50 % or less.

    Formula: the smallest t with S(t) <= 0.5 on the curve of :func:`survival_curve` (lifelines'
    ``median_survival_time_``), in whole periods of the chosen length. Still-active customers count
    as censored, so the median is not pulled down by customers who simply have not had time to
    leave (as an average of the ended tenures would be).

    Edge cases: when survival never falls to 50 % (more than half of the customers are still there,
    or were censored before) the median is longer than the data shows: ``#N/A`` saying how low
    survival went; the other edge cases are those of :func:`survival_curve`.

    Source: Kaplan and Meier (1958); lifelines' ``KaplanMeierFitter.median_survival_time_``.

    Example -- the customers of the SURVIVAL_CURVE example: survival 0.5 after 2 months:

    >>> median_lifetime(["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-01"],
    ...                 ["2024-02-01", "2024-03-01", None, "2024-04-01"], "month", "2024-05-01")
    2.0
    """
    t, churned, unit = tenures(start_dates, end_dates, period, as_of)
    fitter = _fit(t, churned, 0.95)
    median = float(fitter.median_survival_time_)
    if not np.isfinite(median):
        s = fitter.survival_function_.to_numpy()[:, 0]
        k = int(np.argmin(s))
        raise NotAvailable(f"has survival above 50 % in every {unit} observed (lowest {s[k]:.1%} after {k} "
                           f"{unit}s, {int(churned.sum())} of {len(t)} customers churned): the median "
                           "lifetime is longer than the data shows", argument="end_dates")
    return median
