"""Revenue family: MRR, ARR, ARPA, ASP, expansion MRR, net and gross revenue retention (snapshot),
net and gross MRR churn rates, the SaaS quick ratio.

Movement-based NRR/GRR over 3, 6 or 12 months (ChartMogul's charts) are
:func:`xl_cskpi.tables.revenue_movements.nrr_movements` / ``grr_movements``: they read the
row-level export, not two snapshots, and differ from :func:`nrr` / :func:`grr` as explained there.

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

__all__ = ["mrr", "arr", "arpa", "asp", "expansion_mrr", "nrr", "grr", "net_mrr_churn_rate",
           "gross_mrr_churn_rate", "quick_ratio"]

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


@kpi(category="Revenue", returns="money", args={
    "mrr": "MRR: one amount, or a range (one cell per customer or plan: summed)",
})
def arr(mrr):
    """Annual run rate: 12 x MRR, recurring revenue only (no setup fees, one-off charges or usage).

    Formula: ``12 * sum(mrr)``, money per year. ARR here is the *annualised run rate* of the MRR
    (monthly, quarterly and annual plans all normalised to a month first, as ``SUBSCRIPTION_MRR``
    does): it counts only the recurring part, as MRR does; one-time payments, metered charges and
    refunds are not in it. (The older "annual recurring revenue" of multi-year contracts only is a
    different figure: ChartMogul, "What is ARR?", chartmogul.com/arr.)

    Edge cases: a negative amount is ``#NUM!``; an empty range is ``#VALUE!``; blanks in a range are
    skipped.

    Source: ChartMogul, "Chart: Annual Run Rate (ARR)" (help.chartmogul.com, article 203299892):
    "MRR for the period multiplied by 12"; "5 subscribers paying $5 per month ... MRR $25 ... ARR
    $300". Baremetrics, "ARR (Annual Run Rate)": "Monthly Recurring Revenue x 12 = ARR".

    Example -- ChartMogul's: five subscribers paying 5 a month:

    >>> arr([5, 5, 5, 5, 5])
    300.0
    """
    return 12.0 * cells.total(mrr, "mrr")


@kpi(category="Revenue", returns="money", args={
    "mrr": "MRR of each customer (one cell per customer), or the total MRR when paying_customers is given",
    "paying_customers": "Number of paying customers; blank = count the cells of mrr above 0",
})
def arpa(mrr, paying_customers=None):
    """Average revenue per account: MRR / paying customers (ChartMogul's ARPA, also ARPU / ARPC).

    Formula: ``sum(mrr) / paying_customers``, money per customer per month. With
    ``paying_customers`` blank, ``mrr`` is one cell per customer and the customers counted are the
    cells above 0 (a 0 or blank cell is not a paying customer). A customer with several
    subscriptions is one customer: sum their MRR into one cell first (``MRR_MOVEMENTS`` and
    ``SUBSCRIPTION_MRR`` do).

    Edge cases: no paying customer (0 given, or no cell above 0) is ``#DIV/0!``; a negative MRR or
    count is ``#NUM!``; an empty range is ``#VALUE!``.

    Source: ChartMogul, "Metric: Average Revenue Per Account (ARPA)" (help.chartmogul.com, article
    203359301): "The SUM of all your customers' MRR / number of customers"; "If a customer has
    multiple subscriptions, these are combined and counted as one customer"; example 1, 1, 3, 5, 5
    -> 15 / 5 = 3.

    Example -- ChartMogul's five customers:

    >>> arpa([1, 1, 3, 5, 5])
    3.0
    >>> arpa(1_500, 5)
    300.0
    """
    if paying_customers is None or cells.numbers(paying_customers, "paying_customers").size == 0:
        values = cells.numbers(mrr, "mrr")
        if values.size == 0:
            raise InvalidInput("is empty; enter the MRR of each customer", argument="mrr")
        if (values < 0).any():
            i = int(np.flatnonzero(values < 0)[0])
            raise OutOfRange(f"has a negative MRR ({values[i]:g}) at value {i + 1}", argument="mrr")
        paying = int((values > 0).sum())
        if paying == 0:
            raise DivisionByZero("has no customer with MRR above 0, so there is no account to average over",
                                 argument="mrr")
        return float(values.sum()) / paying
    customers = cells.count(paying_customers, "paying_customers")
    return cells.divide(cells.total(mrr, "mrr"), customers, "paying_customers",
                        "ARPA needs at least one paying customer")


@kpi(category="Revenue", returns="money", args={
    "new_mrr": "New-business MRR of the period (an amount, or a range such as MRR_MOVEMENTS' New MRR: summed)",
    "new_customers": "Customers who paid for the first time in the same period (a count or a range: summed)",
})
def asp(new_mrr, new_customers):
    """Average sale price: new-business MRR / new customers (ChartMogul's ASP).

    Formula: ``sum(new_mrr) / sum(new_customers)``, money per new customer per month. Only
    *new business* counts: a customer's first MRR, not later expansion, and not reactivated
    customers (their MRR is Reactivation MRR in ``MRR_MOVEMENTS``). Take both arguments from the
    same months of ``MRR_MOVEMENTS`` (columns New MRR and New customers).

    Edge cases: no new customers is ``#DIV/0!``; negative amounts or counts are ``#NUM!``; an empty
    range is ``#VALUE!``.

    Source: ChartMogul, "Chart: Average Sale Price" (help.chartmogul.com, article 203359381): "total
    New Business MRR in a given period divided by the number of customers who subscribed for the
    first time in that period"; "ten new customers in May. Three purchase a Gold Plan for $100 and
    seven purchase a Silver Plan for $50. Your Average Sale Price is $65."

    Example -- ChartMogul's May:

    >>> asp(3 * 100 + 7 * 50, 10)
    65.0
    """
    customers = cells.total(new_customers, "new_customers")
    return cells.divide(cells.total(new_mrr, "new_mrr"), customers, "new_customers",
                        "ASP needs at least one new customer in the period")


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

    **Snapshot, not movements.** This NRR compares two snapshots (start and end of the window)
    customer by customer. ``NRR_MOVEMENTS`` computes ChartMogul's chart from the monthly movements
    instead; the two agree over one month and differ over longer windows: a customer who churns
    and comes back inside the window keeps their end MRR here, while the movements count the
    churn and leave the reactivation out (ChartMogul: "Excludes New Business and Reactivation").

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

    **Snapshot, not movements.** ``GRR_MOVEMENTS`` sums each month's contraction and churn inside
    the window; this one only sees where each customer started and ended (``min(current,
    previous)``), so a customer who downgrades and upgrades back inside the window loses nothing
    here and the downgrade there; over one month the two agree.

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


def _starting(starting_mrr: Any) -> float:
    start = _amount(starting_mrr, "starting_mrr")
    if start == 0:
        raise DivisionByZero("is 0; a churn rate needs MRR at the start of the period", argument="starting_mrr")
    return start


_CHURN_HELP = {
    "starting_mrr": "MRR at the start of the period (one amount: the first month's Starting MRR)",
    "churned_mrr": "MRR lost to customers who left in the period (500 or -500 both mean a loss of 500)",
    "contraction_mrr": "MRR lost to downgrades in the period (500 or -500 both mean a loss of 500)",
}


@kpi(category="Revenue", returns="rate", args={
    **_CHURN_HELP,
    "expansion_mrr": "MRR added by existing customers in the period (upgrades)",
    "reactivation_mrr": "MRR from customers who came back in the period; default 0",
    "reactivation": "TRUE (default): reactivation offsets the loss, as ChartMogul; FALSE: it does not, "
                    "as Baremetrics",
})
def net_mrr_churn_rate(starting_mrr, churned_mrr, contraction_mrr, expansion_mrr, reactivation_mrr=0,
                       reactivation=True):
    """Net MRR churn rate: MRR lost (churn + contraction) net of MRR regained, over the starting MRR.

    Formula:

    * ``reactivation`` TRUE (ChartMogul, Standard B2B formula):
      ``(churned + contraction - expansion - reactivation) / starting_mrr``;
    * ``reactivation`` FALSE (Baremetrics, "Net Revenue Churn"):
      ``(churned + contraction - expansion) / starting_mrr`` (``reactivation_mrr`` is not used).

    A fraction; negative when expansion outweighs losses ("negative net churn"). Movements may be
    ranges (the months of a quarter, summed); ``starting_mrr`` is one amount, the MRR at the start
    of the whole period (the first month's Starting MRR in ``MRR_MOVEMENTS``).

    Edge cases: ``starting_mrr`` 0 is ``#DIV/0!``; negative gains or start are ``#NUM!``; a loss may
    be written 500 or -500, but one range may not mix signs (``#NUM!``).

    Sources: ChartMogul, "Chart: Net MRR Churn Rate" (help.chartmogul.com, article 4414075567250):
    "(sum of Churn and Contraction MRR minus sum of Expansion and Reactivation MRR) divided by MRR at
    the start of the period"; "$100 ... lose $10 to churn and $10 to contraction, while one customer
    increases their MRR by $10. Your net MRR churn rate is 10%". Baremetrics, "Net MRR Churn"
    (updates.baremetrics.com): "(Churned MRR - Expansion MRR) / Starting MRR 30 days ago", where
    Baremetrics' churned MRR is "MRR Lost to Downgrades & Cancellations" ("User and Revenue
    Churn", help.baremetrics.com): reactivations are not counted.

    Example -- ChartMogul's month, then with 5 reactivated (Baremetrics ignores it):

    >>> round(net_mrr_churn_rate(100, 10, 10, 10), 12)
    0.1
    >>> round(net_mrr_churn_rate(100, 10, 10, 10, 5), 12), round(net_mrr_churn_rate(100, 10, 10, 10, 5, False), 12)
    (0.05, 0.1)
    """
    start = _starting(starting_mrr)
    use = cells.flag(reactivation, "reactivation", True)
    lost = _loss(churned_mrr, "churned_mrr") + _loss(contraction_mrr, "contraction_mrr")
    gained = _gain(expansion_mrr, "expansion_mrr")
    if use:
        gained += _gain(reactivation_mrr, "reactivation_mrr", optional=True)
    return (lost - gained) / start


@kpi(category="Revenue", returns="rate", args={
    **_CHURN_HELP,
    "reactivation_mrr": "MRR from customers who came back in the period; default 0 (used only with "
                        "reactivation TRUE)",
    "reactivation": "FALSE (default): churn + contraction, as ChartMogul and Baremetrics; TRUE: churned "
                    "MRR net of reactivation (win-backs)",
})
def gross_mrr_churn_rate(starting_mrr, churned_mrr, contraction_mrr, reactivation_mrr=0, reactivation=False):
    """Gross MRR churn rate: MRR lost to churn and contraction over the starting MRR, gains not offset.

    Formula:

    * ``reactivation`` FALSE (default; ChartMogul's Standard formula and Baremetrics' Revenue
      Churn): ``(churned + contraction) / starting_mrr``;
    * ``reactivation`` TRUE: ``(max(churned - reactivation, 0) + contraction) / starting_mrr``, churn
      net of win-backs. ChartMogul's Gross MRR Churn Rate chart nets churn *per customer* over the
      interval ("(Net Churn MRR + Net Contraction MRR) / Starting MRR": a customer who cancels and
      returns inside it has not churned); from totals this can only be approximated by netting
      all reactivation against all churn, which also nets the return of customers who left before
      the period. Use it for a multi-month period only when that difference is small.

    A fraction between 0 and (usually) 1; never below the net MRR churn rate.

    Edge cases: ``starting_mrr`` 0 is ``#DIV/0!``; a loss may be written 500 or -500, but one range
    may not mix signs (``#NUM!``).

    Sources: ChartMogul, "Metric: MRR Churn Rate" (help.chartmogul.com, article 203359341): "(SUM
    of Churn & Contraction MRR) / MRR at start of period"; "$100 MRR ... lost $10 to churn MRR, and
    $10 to contraction MRR, while one customer increased their MRR by $10, your Gross MRR churn rate
    would be 20%"; "Chart: Gross MRR Churn Rate" (article 204898491) for the netted form.
    Baremetrics, "User and Revenue Churn": "(MRR Lost to Downgrades & Cancellations in the last 30
    days / MRR 30 days ago) x 100".

    Example -- ChartMogul's month (the expansion of 10 is not offset):

    >>> round(gross_mrr_churn_rate(100, 10, 10), 12)
    0.2
    """
    start = _starting(starting_mrr)
    use = cells.flag(reactivation, "reactivation", False)
    churned = _loss(churned_mrr, "churned_mrr")
    if use:
        churned = max(churned - _gain(reactivation_mrr, "reactivation_mrr", optional=True), 0.0)
    return (churned + _loss(contraction_mrr, "contraction_mrr")) / start


@kpi(category="Revenue", returns="ratio", args={
    "new_mrr": "MRR from new customers in the period (an amount, or a range: summed)",
    "expansion_mrr": "MRR added by existing customers (upgrades)",
    "churned_mrr": "MRR lost to customers who left (500 or -500 both mean a loss of 500)",
    "contraction_mrr": "MRR lost to downgrades (500 or -500 both mean a loss of 500)",
    "reactivation_mrr": "MRR from customers who came back; default 0",
    "reactivation": "TRUE (default): reactivation MRR is a gain (Social Capital's growth accounting); "
                    "FALSE: Baremetrics' published formula, without it",
})
def quick_ratio(new_mrr, expansion_mrr, churned_mrr, contraction_mrr, reactivation_mrr=0, reactivation=True):
    """SaaS quick ratio: MRR gained (new + expansion + reactivation) / MRR lost (churn + contraction).

    Formula: ``(new + expansion + reactivation) / (churned + contraction)``, a ratio; above 4 is
    the usual mark of efficient growth, below 1 the business is shrinking.

    Edge cases: no losses (churned + contraction = 0) is ``#DIV/0!``, not infinity; negative
    gains are ``#NUM!``; losses may be written as positive amounts or with a minus sign, as MRR
    movement reports show them (the size is used), but one range may not mix signs (``#NUM!``).
    Each argument may be a range (months of a quarter), which is summed; a blank
    ``reactivation_mrr`` is 0.

    ``reactivation`` chooses the convention; the default (TRUE) keeps the meaning this function has
    always had:

    * TRUE: ``(new + expansion + reactivation) / (churned + contraction)`` -- Jonathan Hsu, "Diligence
      at Social Capital Part 2: Accounting for Revenue Growth" (2015), whose revenue growth
      accounting counts resurrected (reactivated) revenue beside new and expansion;
    * FALSE: ``(new + expansion) / (churned + contraction)`` -- Baremetrics' published formula
      ("New Quick Ratio Metric", changelog.baremetrics.com: "Quick Ratio = (New MRR + Expansion
      MRR) / (Contraction MRR + Churned MRR)"), which has no reactivation term; ``reactivation_mrr``
      is then not used.

    Source: Mamoon Hamid (Social Capital), "the SaaS quick ratio" (2015); the two conventions above.

    Example -- Farvardin: new 40,000,000, expansion 20,000,000, churn 10,000,000, contraction
    5,000,000 rial:

    >>> quick_ratio(40_000_000, 20_000_000, -10_000_000, -5_000_000)
    4.0

    With 6,000,000 rial of reactivation: 4.4 counted as a gain, 4.0 by Baremetrics' formula:

    >>> quick_ratio(40e6, 20e6, 10e6, 5e6, 6e6), quick_ratio(40e6, 20e6, 10e6, 5e6, 6e6, False)
    (4.4, 4.0)
    """
    gained = _gain(new_mrr, "new_mrr") + _gain(expansion_mrr, "expansion_mrr")
    if cells.flag(reactivation, "reactivation", True):
        gained += _gain(reactivation_mrr, "reactivation_mrr", optional=True)
    lost = _loss(churned_mrr, "churned_mrr") + _loss(contraction_mrr, "contraction_mrr")
    if lost == 0:
        raise DivisionByZero("and contraction_mrr are both 0; with no MRR lost the ratio has no finite "
                             "value (report the gains instead)", argument="churned_mrr")
    return gained / lost
