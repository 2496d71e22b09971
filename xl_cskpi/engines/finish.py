"""From per-period aggregates (a few thousand rows at most) to the house table shapes.

Shared by the SQL engines, so that DuckDB and Spark differ from each other only in the SQL they
run. Each function takes the aggregate query's result (:mod:`xl_cskpi.engines.sql`) as a pandas
DataFrame keyed by period ordinal, fills the periods without rows, and divides (no division is done
in SQL: Spark's ANSI mode would raise on a zero denominator where the house gives n/a).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import calendars
from ..tables.movements import MOVEMENT_COLUMNS


def _spine(agg: pd.DataFrame, key: str, first: int, last: int) -> pd.DataFrame:
    """``agg`` reindexed on every ordinal from ``first`` to ``last`` (missing periods: 0)."""
    idx = np.arange(first, last + 1, dtype=np.int64)
    a = agg.copy()
    a[key] = a[key].astype(np.int64)
    return a.set_index(key).reindex(idx, fill_value=0)


def _f(x: pd.Series) -> np.ndarray:
    return pd.to_numeric(x).to_numpy(dtype=float)


def _i(x: pd.Series) -> np.ndarray:
    return pd.to_numeric(x).to_numpy(dtype=float).round().astype(np.int64)


def movements(agg: pd.DataFrame, calendar: str, first: int, last: int) -> pd.DataFrame:
    """MRR_MOVEMENTS' table from the MOVEMENTS aggregate (columns m, ending, at_end, ...) over the
    months ``first`` to ``last`` of the rows (months where nobody pays included)."""
    a = _spine(agg, "m", first, last)
    ending = _f(a["ending"])
    at_end = _i(a["at_end"])
    churn_mrr = np.concatenate([[0.0], _f(a["churn_next_mrr"])[:-1]])
    churn_n = np.concatenate([[0], _i(a["churn_next_n"])[:-1]]).astype(np.int64)
    table = pd.DataFrame({
        "Month": calendars.ordinal_labels(np.arange(first, last + 1), "month", calendar, arg="months"),
        "Starting MRR": np.concatenate([[0.0], ending[:-1]]),
        "New MRR": _f(a["new_mrr"]),
        "Expansion MRR": _f(a["exp_mrr"]),
        "Contraction MRR": _f(a["con_mrr"]) + 0.0,
        "Churned MRR": churn_mrr,
        "Reactivation MRR": _f(a["react_mrr"]),
        "Ending MRR": ending,
        "Customers at start": np.concatenate([[0], at_end[:-1]]).astype(np.int64),
        "New customers": _i(a["new_n"]),
        "Churned customers": churn_n,
        "Reactivated customers": _i(a["react_n"]),
        "Customers at end": at_end,
    })
    assert tuple(table.columns) == MOVEMENT_COLUMNS
    return table


def monthly_counts(agg: pd.DataFrame, calendar: str, first: int, last: int) -> pd.DataFrame:
    """The Months table (``tables.subscriptions.monthly_counts``) from the MOVEMENTS aggregate:
    MRR_MOVEMENTS' counts with new and reactivated customers together."""
    t = movements(agg, calendar, first, last)
    return pd.DataFrame({
        "month": calendars.period_start_dates(np.arange(first, first + len(t)), "month", calendar, arg="month"),
        "customers_start": t["Customers at start"].to_numpy(np.int64),
        "customers_new": (t["New customers"] + t["Reactivated customers"]).to_numpy(np.int64),
        "customers_lost": t["Churned customers"].to_numpy(np.int64),
        "customers_end": t["Customers at end"].to_numpy(np.int64),
    })


def finance(agg: pd.DataFrame, calendar: str, first: int, last: int) -> pd.DataFrame:
    """The recurring part of the Finance table (``tables.subscriptions.finance_base``): month,
    customers at the start, new (reactivated included) and lost, and revenue = the month's MRR."""
    t = movements(agg, calendar, first, last)
    m = monthly_counts(agg, calendar, first, last)
    return pd.DataFrame({"month": m["month"], "customers_start": m["customers_start"],
                         "customers_new": m["customers_new"], "customers_lost": m["customers_lost"],
                         "revenue": t["Ending MRR"].to_numpy(dtype=float)})


def subscriptions(agg: pd.DataFrame, calendar: str) -> pd.DataFrame:
    """The Subscriptions table: ``customer_id, month`` (first day of the calendar month), ``mrr``
    (the customer's rows of the month summed), paying customer-months only, by customer then month."""
    out = pd.DataFrame({
        "customer_id": agg["customer_id"].astype(object).to_numpy(),
        "m": _i(agg["m"]) if len(agg) else np.empty(0, np.int64),
        "mrr": _f(agg["mrr"]) if len(agg) else np.empty(0),
    }).sort_values(["customer_id", "m"], kind="stable", ignore_index=True)
    return pd.DataFrame({
        "customer_id": out["customer_id"].to_numpy(dtype=object),
        "month": calendars.period_start_dates(out["m"].to_numpy(), "month", calendar, arg="month"),
        "mrr": out["mrr"].to_numpy(dtype=float),
    })


def cohorts(agg: pd.DataFrame, period: str, calendar: str) -> pd.DataFrame:
    """COHORT_RETENTION's triangle from the COHORTS aggregate (k = cohort, age, n = customers); a row
    ``n = 0`` (COHORTS_PAID) only sets the last period observed."""
    k = _i(agg["k"])
    age = _i(agg["age"])
    n = _i(agg["n"])
    last = int((k + age).max())
    if not n.all():
        k, age, n = k[n > 0], age[n > 0], n[n > 0]
        if not len(k):
            from . import EngineError
            raise EngineError("has no row whose mrr is above 0; nobody paid, so there is no cohort", argument="data")
    first = int(k.min())
    span = last - first + 1
    cohort_list = np.unique(k)
    row = np.searchsorted(cohort_list, k)
    active = np.zeros((len(cohort_list), span), dtype=np.int64)
    active[row, age] = n
    sizes = active[:, 0]
    shares = active / sizes[:, None]
    shares[(cohort_list - first)[:, None] + np.arange(span)[None, :] > span - 1] = np.nan
    table = pd.DataFrame(shares, columns=[f"{period.capitalize()} {j}" for j in range(span)])
    table.insert(0, "Customers", sizes.astype(np.int64))
    table.insert(0, "Cohort", calendars.ordinal_labels(cohort_list, period, calendar, arg="activity_dates"))
    return table


def spans(agg: pd.DataFrame, calendar: str, last: int | None = None) -> pd.DataFrame:
    """The Months table from starts and ends per month of a customer list (SPANS aggregate), or from
    spell starts and ends and the customers new per month (SPANS_BY_CUSTOMER, ``n_cnew``: lost is
    then start + new - end, as in tables.customers.monthly_counts_from_spans)."""
    first = int(agg["m"].min())
    last = int(agg["m"].max()) if last is None else last
    a = _spine(agg[agg["m"] <= last], "m", first, last)
    starts, stops = _i(a["n_new"]), _i(a["n_lost"])
    end = np.cumsum(starts - stops)
    start = np.concatenate([[0], end[:-1]])
    new = _i(a["n_cnew"]) if "n_cnew" in a.columns else starts
    return pd.DataFrame({
        "month": calendars.period_start_dates(np.arange(first, last + 1), "month", calendar, arg="month"),
        "customers_start": start.astype(np.int64),
        "customers_new": new.astype(np.int64),
        "customers_lost": (start + new - end).astype(np.int64),
        "customers_end": end.astype(np.int64),
    })


def _periods(agg: pd.DataFrame, period: str, calendar: str) -> tuple[pd.DataFrame, dict]:
    first, last = int(agg["o"].min()), int(agg["o"].max())
    a = _spine(agg, "o", first, last)
    ords = np.arange(first, last + 1)
    head = {"period": calendars.ordinal_labels(ords, period, calendar, arg="dates"),
            "period_start": calendars.period_start_dates(ords, period, calendar, arg="dates")}
    return a, head


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def support(agg: pd.DataFrame, period: str, calendar: str, options: dict) -> pd.DataFrame:
    """Per period: tickets opened, their first-response times and SLA compliance; resolution times
    of the tickets resolved in it (``resolved_in_period``)."""
    a, out = _periods(agg, period, calendar)
    pct = tuple(options.get("percentiles", (0.5, 0.9)))
    resolved, replied = _i(a["resolved"]), _i(a["replied"])

    def blank_where_none(x: pd.Series, n: np.ndarray) -> np.ndarray:
        v = pd.to_numeric(x, errors="coerce").to_numpy(dtype=float)
        return np.where(n > 0, v, np.nan)

    out["tickets"] = _i(a["tickets"])
    out["resolved_in_period"] = resolved
    out["resolution_mean_hours"] = blank_where_none(a["res_mean"], resolved)
    for i, p in enumerate(pct):
        out[f"resolution_p{p * 100:g}_hours"] = blank_where_none(a[f"res_p{i}"], resolved)
    out["replied"] = replied
    out["first_response_mean_hours"] = blank_where_none(a["frt_mean"], replied)
    for i, p in enumerate(pct):
        out[f"first_response_p{p * 100:g}_hours"] = blank_where_none(a[f"frt_p{i}"], replied)
    met = _i(a["sla_met"])
    judged = _i(a["sla_resolved"]) + _i(a["sla_open_breached"])
    out["sla_met"] = met
    out["sla_judged"] = judged
    out["sla_compliance"] = _ratio(met.astype(float), judged.astype(float))
    return pd.DataFrame(out)


def survey(agg: pd.DataFrame, period: str, calendar: str) -> pd.DataFrame:
    """NPS, CSAT (top-box share and average) and CES per period."""
    a, out = _periods(agg, period, calendar)
    n, pro, pas, det = (_i(a[c]) for c in ("nps_n", "promoters", "passives", "detractors"))
    out.update({"nps_respondents": n, "promoters": pro, "passives": pas, "detractors": det,
                "nps": _ratio(100.0 * (pro - det), n.astype(float))})
    cn, sat = _i(a["csat_n"]), _i(a["csat_sat"])
    out.update({"csat_responses": cn, "csat_satisfied": sat, "csat": _ratio(sat.astype(float), cn.astype(float)),
                "csat_average": _ratio(_f(a["csat_sum"]), cn.astype(float))})
    en = _i(a["ces_n"])
    out.update({"ces_responses": en, "ces": _ratio(_f(a["ces_sum"]), en.astype(float))})
    return pd.DataFrame(out)
