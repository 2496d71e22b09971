"""Revenue family: MRR, expansion MRR, net and gross revenue retention, the SaaS quick ratio.

EXPANSION_MRR, NRR and GRR read two aligned ranges, one row per customer: the MRR at the start
of the period (``previous_mrr``) and at its end (``current_mrr``). All three read a blank cell the
same way: **a blank MRR cell is no MRR (0)**. So

* a blank ``current_mrr`` next to a previous MRR is a customer who churned (counted as 0: skipping
  the row would hide the churn and overstate retention);
* a blank ``previous_mrr`` is a customer who was not paying at the start (a new or reactivated
  customer): like a 0, it is outside the base that NRR and GRR measure;
* a row blank on both sides is an empty row and changes nothing.

Only customers with ``previous_mrr > 0`` form the base, as ChartMogul and Baremetrics define it.
Negative MRR is ``#NUM!`` (enter refunds and discounts as lower MRR, not below zero).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import cells
from ..errors import DivisionByZero, InvalidInput, OutOfRange
from ..registry import kpi
from .value import _amount

__all__ = ["mrr", "expansion_mrr", "nrr", "grr", "quick_ratio"]

_PAIR_HELP = {
    "previous_mrr": "MRR of each customer at the start of the period (one cell per customer)",
    "current_mrr": "MRR of the same customers at the end, same order (blank = churned, 0)",
}


def _base(previous_mrr: Any, current_mrr: Any) -> tuple[np.ndarray, np.ndarray]:
    """Previous and current MRR of the customers in the base (previous > 0), blanks read as 0."""
    pair = cells.aligned(previous_mrr=(previous_mrr, "number"), current_mrr=(current_mrr, "number"))
    for arg, arr in pair.items():
        negative = arr < 0  # NaN (blank) compares False
        if negative.any():
            i = int(np.flatnonzero(negative)[0])
            raise OutOfRange(f"has a negative MRR ({arr[i]:g}) in customer row {i + 1}; MRR cannot "
                             "be below 0", argument=arg)
    previous = np.nan_to_num(pair["previous_mrr"], nan=0.0)
    current = np.nan_to_num(pair["current_mrr"], nan=0.0)
    in_base = previous > 0
    return previous[in_base], current[in_base]


def _retention(previous_mrr: Any, current_mrr: Any, *, gross: bool) -> float:
    previous, current = _base(previous_mrr, current_mrr)
    kept = np.minimum(current, previous) if gross else current
    base = float(previous.sum())
    if base == 0:
        raise DivisionByZero("has no customer with MRR above 0 at the start of the period, so there "
                             "is no revenue to retain", argument="previous_mrr")
    return float(kept.sum()) / base


@kpi(category="Revenue", returns="money", args={
    "active_customers": "Paying customers at the end of the month, a count",
    "arpu": "Average revenue per user (customer) per month, an amount",
})
def mrr(active_customers, arpu):
    """Monthly recurring revenue: active customers x average revenue per user.

    Formula: ``active_customers * arpu``, money per month.

    Edge cases: negative counts or a negative ARPU are ``#NUM!``; text that is not a number,
    booleans and blanks are ``#VALUE!``.

    Source: the seed definition; ChartMogul, "Monthly Recurring Revenue" (MRR = customers x ARPA).

    Example -- 1,000 active customers paying 750 on average:

    >>> mrr(1000, 750)
    750000.0
    """
    return cells.count(active_customers, "active_customers") * _amount(arpu, "arpu")


@kpi(category="Revenue", returns="money", args=_PAIR_HELP)
def expansion_mrr(previous_mrr, current_mrr):
    """Expansion MRR: the sum of MRR increases of customers who were already paying.

    Formula: ``sum(max(current - previous, 0))`` over customers with ``previous_mrr > 0``, money.
    Decreases (contraction, churn) are not netted off; new and reactivated customers (previous 0
    or blank) are new business, not expansion.

    Edge cases: ranges of different sizes are ``#VALUE!``; negative MRR is ``#NUM!``; a blank
    current MRR is 0 (a churned customer) and a blank previous MRR is 0 (not in the base), see the
    module notes; two entirely blank ranges are ``#VALUE!``.

    Source: ChartMogul, "Expansion MRR" (additional MRR from existing customers: upgrades,
    add-ons, seats).

    Example -- three customers; one upgrades 100 -> 150, one downgrades 80 -> 60, one is new:

    >>> expansion_mrr([[100], [80], [None]], [[150], [60], [40]])
    50.0
    """
    previous, current = _base(previous_mrr, current_mrr)
    if previous.size == 0 and cells.numbers(current_mrr, "current_mrr").size == 0:
        raise InvalidInput("and current_mrr are empty; enter one MRR per customer",
                           argument="previous_mrr")
    return float(np.maximum(current - previous, 0.0).sum())


@kpi(category="Revenue", returns="rate", args=_PAIR_HELP)
def nrr(previous_mrr, current_mrr):
    """Net revenue retention: current MRR of the customers paying at the start / their start MRR.

    Formula: ``sum(current) / sum(previous)`` over customers with ``previous_mrr > 0``; a fraction,
    above 1 when expansion outweighs churn and contraction. New customers are excluded.

    Edge cases: no customer with previous MRR (all 0, blank or an empty range) is ``#DIV/0!``;
    ranges of different sizes are ``#VALUE!``; negative MRR is ``#NUM!``; a blank current MRR is a
    churned customer (0).

    Source: ChartMogul, "Net MRR Retention": start 100, churn 10, contraction 10, expansion 10 ->
    NRR 90 %; the issue's per-customer definition.

    Example -- ChartMogul's example as four customers (churned, contracted, expanded, unchanged):

    >>> nrr([10, 20, 30, 40], [None, 10, 40, 40])
    0.9
    """
    return _retention(previous_mrr, current_mrr, gross=False)


@kpi(category="Revenue", returns="rate", args=_PAIR_HELP)
def grr(previous_mrr, current_mrr):
    """Gross revenue retention: start MRR kept (churn and contraction out, expansion not counted) / start MRR.

    Formula: ``sum(min(current, previous)) / sum(previous)`` over customers with
    ``previous_mrr > 0``; a fraction, at most 1 and at most NRR.

    Edge cases: no customer with previous MRR (all 0, blank or an empty range) is ``#DIV/0!``;
    ranges of different sizes are ``#VALUE!``; negative MRR is ``#NUM!``; a blank current MRR is a
    churned customer (0).

    Source: ChartMogul, "Gross MRR Retention": start 100, churn 10, contraction 10, expansion 10 ->
    GRR 80 %; the issue's per-customer definition.

    Example -- ChartMogul's example as four customers (churned, contracted, expanded, unchanged):

    >>> grr([10, 20, 30, 40], [None, 10, 40, 40])
    0.8
    """
    return _retention(previous_mrr, current_mrr, gross=True)


def _gain(values: Any, arg: str, *, optional: bool = False) -> float:
    """A gain in MRR (new, expansion, reactivation): one amount or a range, summed, >= 0.

    An ``optional`` gain left out or blank is 0.
    """
    if optional and (values is None or cells.numbers(values, arg).size == 0):
        return 0.0
    return cells.total(values, arg)


def _loss(values: Any, arg: str) -> float:
    """A loss in MRR (churn, contraction): its size, whether written 500 or -500.

    MRR movement reports show losses either as positive amounts or with a minus sign; both are
    read as the same loss. A range that mixes signs is ambiguous and is ``#NUM!``.
    """
    arr = cells.numbers(values, arg)
    if arr.size == 0:
        raise InvalidInput("is empty; enter an amount (0 if there was none)", argument=arg)
    if (arr > 0).any() and (arr < 0).any():
        raise OutOfRange("mixes positive and negative amounts; write every loss with the same sign",
                         argument=arg)
    return float(np.abs(arr).sum())


@kpi(category="Revenue", returns="ratio", args={
    "new_mrr": "MRR from new customers in the period (an amount, or a range: summed)",
    "expansion_mrr": "MRR added by existing customers (upgrades)",
    "churned_mrr": "MRR lost to customers who left (500 or -500 both mean a loss of 500)",
    "contraction_mrr": "MRR lost to downgrades (500 or -500 both mean a loss of 500)",
    "reactivation_mrr": "MRR from customers who came back; default 0",
})
def quick_ratio(new_mrr, expansion_mrr, churned_mrr, contraction_mrr, reactivation_mrr=0):
    """SaaS quick ratio: MRR gained (new + expansion + reactivation) / MRR lost (churn + contraction).

    Formula: ``(new + expansion + reactivation) / (churned + contraction)``, a ratio; above 4 is
    the usual mark of efficient growth, below 1 the business is shrinking.

    Edge cases: no losses (churned + contraction = 0) is ``#DIV/0!``, not infinity; negative
    gains are ``#NUM!``; losses may be written as positive amounts or with a minus sign, as MRR
    movement reports show them (the size is used), but one range may not mix signs (``#NUM!``).
    Each argument may be a range (months of a quarter), which is summed; a blank
    ``reactivation_mrr`` is 0.

    Source: Mamoon Hamid (Social Capital), "the SaaS quick ratio" (2015), with reactivation MRR
    counted as a gain as Baremetrics and ChartMogul report it.

    Example -- Farvardin: new 40,000,000, expansion 20,000,000, churn 10,000,000, contraction
    5,000,000 rial:

    >>> quick_ratio(40_000_000, 20_000_000, -10_000_000, -5_000_000)
    4.0
    """
    gained = (_gain(new_mrr, "new_mrr") + _gain(expansion_mrr, "expansion_mrr")
              + _gain(reactivation_mrr, "reactivation_mrr", optional=True))
    lost = _loss(churned_mrr, "churned_mrr") + _loss(contraction_mrr, "contraction_mrr")
    if lost == 0:
        raise DivisionByZero("and contraction_mrr are both 0; with no MRR lost the ratio has no finite "
                             "value (report the gains instead)", argument="churned_mrr")
    return gained / lost
