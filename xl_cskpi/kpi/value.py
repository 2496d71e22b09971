"""Unit-economics family: what a customer is worth and what one costs.

CLV and LTV (value), CAC and CRC (cost), CAC payback and LTV:CAC (the two compared).

Amounts are money in the inputs' currency and may not be negative here (a negative price or cost
is a data error in these definitions). A gross margin is a fraction in (0, 1]: ``0.7``, or
``"70%"`` typed as text; ``70`` is ``#NUM!`` with a hint, so 70 % is never read as 7,000 %.
"""

from __future__ import annotations

from typing import Any

from .. import cells
from ..errors import DivisionByZero, OutOfRange
from ..registry import kpi
from .funnel import _ratio

__all__ = ["clv", "ltv", "cac", "crc", "cac_payback", "ltv_cac_ratio", "ltv_from_churn"]


def _amount(value: Any, arg: str) -> float:
    """One amount or quantity that cannot be negative (a price, a revenue, a lifespan)."""
    x = cells.number(value, arg)
    if x < 0:
        raise OutOfRange(f"is {x:g}; it cannot be negative", argument=arg)
    return x


def _optional(value: Any, arg: str, default: float) -> float:
    """One number, or ``default`` when the cell is omitted or blank."""
    if value is None or cells.numbers(value, arg).size == 0:
        return default
    return cells.number(value, arg)


def _margin(value: Any, *, denominator: bool) -> float:
    """A gross margin in (0, 1], blank meaning 1 (revenue counted in full).

    A margin of 0 is ``#DIV/0!`` where the margin divides (``denominator``), else ``#NUM!``.
    """
    m = _optional(value, "gross_margin", 1.0)
    if m > 1:
        raise OutOfRange(f"is {m:g}; a gross margin is a fraction up to 1 (enter 0.7 or 70% for "
                         "70 %)", argument="gross_margin")
    if m == 0 and denominator:
        raise DivisionByZero("is 0; with no margin, nothing ever pays the cost back",
                             argument="gross_margin")
    if m <= 0:
        raise OutOfRange(f"is {m:g}; a gross margin here must be above 0 and at most 1",
                         argument="gross_margin")
    return m


@kpi(category="Unit economics", returns="money", args={
    "avg_purchase_value": "Average value of one purchase (an amount)",
    "purchase_frequency": "Purchases per customer per period (e.g. per month)",
    "lifespan": "How long a customer stays, in the same periods as purchase_frequency",
})
def clv(avg_purchase_value, purchase_frequency, lifespan):
    """Customer lifetime value: average purchase value x purchase frequency x lifespan.

    Formula: ``avg_purchase_value * purchase_frequency * lifespan``, money. The frequency and the
    lifespan must use the same period (purchases a month with a lifespan in months).

    Edge cases: negative inputs are ``#NUM!``; text that is not a number, booleans and blanks are
    ``#VALUE!``. Zeros give 0.

    Source: the seed definition; the descriptive (historic) CLV as Shopify and HubSpot present it:
    average purchase value x purchase frequency x customer lifespan.

    Example -- 50,000 toman per purchase, 3 purchases a month, 24 months:

    >>> clv(50_000, 3, 24)
    3600000.0
    """
    return (_amount(avg_purchase_value, "avg_purchase_value")
            * _amount(purchase_frequency, "purchase_frequency")
            * _amount(lifespan, "lifespan"))


@kpi(category="Unit economics", returns="money", args={
    "monthly_revenue": "Revenue per customer per month (ARPA or ARPU, an amount)",
    "lifespan_months": "Expected customer lifetime in months (e.g. 1 / monthly churn rate)",
    "gross_margin": "Gross margin as a fraction in (0, 1], e.g. 0.7 or 70%; default 1",
})
def ltv(monthly_revenue, lifespan_months, gross_margin=1):
    """Customer lifetime value from monthly revenue: revenue x months x gross margin.

    Formula: ``monthly_revenue * lifespan_months * gross_margin``, money. With a monthly churn rate
    c, the expected lifetime is ``1 / c`` months.

    Edge cases: negative revenue or lifespan is ``#NUM!``; ``gross_margin`` must be above 0 and at
    most 1 (``70`` is ``#NUM!``: write 0.7 or "70%"); a blank margin means 1.

    Source: the seed definition; ChartMogul, "Customer Lifetime Value (LTV)": ARPA x gross margin /
    customer churn rate (= x lifespan in months).

    Example -- ARPA 2,000,000 rial, customers stay 30 months, 80 % gross margin:

    >>> ltv(2_000_000, 30, 0.8)
    48000000.0
    """
    return (_amount(monthly_revenue, "monthly_revenue") * _amount(lifespan_months, "lifespan_months")
            * _margin(gross_margin, denominator=False))


@kpi(category="Unit economics", returns="money", args={
    "sales_marketing_spend": "Sales and marketing spend of the period (an amount, or a range: summed)",
    "new_customers": "Customers acquired in the period, a count",
})
def cac(sales_marketing_spend, new_customers):
    """Customer acquisition cost: sales and marketing spend / new customers.

    Formula: ``sum(sales_marketing_spend) / new_customers``, money per customer.

    Edge cases: ``new_customers`` = 0 is ``#DIV/0!``; negative spend or counts are ``#NUM!``; an
    empty spend range is ``#VALUE!``. Blank cells in the spend range are skipped.

    Source: the seed definition; ChartMogul and HubSpot, "Customer Acquisition Cost" (total sales
    and marketing cost / new customers acquired in the same period).

    Example -- 300,000,000 toman on ads and 150,000,000 on salaries in Esfand, 90 new customers:

    >>> cac([[300_000_000], [150_000_000]], 90)
    5000000.0
    """
    return _ratio(sales_marketing_spend, "sales_marketing_spend", new_customers, "new_customers",
                  zero="no customers were acquired, so the cost per customer is undefined",
                  read=(cells.total, cells.count))


@kpi(category="Unit economics", returns="money", args={
    "retention_costs": "Costs of keeping customers (an amount, or a range: summed)",
    "customers": "Customers served in the period, a count",
})
def crc(retention_costs, customers):
    """Customer retention cost: retention costs / customers.

    Formula: ``sum(retention_costs) / customers``, money per customer.

    Edge cases: ``customers`` = 0 is ``#DIV/0!``; negative costs or counts are ``#NUM!``; an empty
    cost range is ``#VALUE!``. Blank cells in the cost range are skipped.

    Source: the seed definition; Gainsight's customer-success cost per customer (customer success,
    support and account management costs / customers served).

    Example -- success team 120,000,000 and support tools 30,000,000 rial in Tir, 1,500 customers:

    >>> crc([120_000_000, 30_000_000], 1500)
    100000.0
    """
    return _ratio(retention_costs, "retention_costs", customers, "customers",
                  zero="the cost per customer needs at least one customer",
                  read=(cells.total, cells.count))


@kpi(category="Unit economics", returns="months", args={
    "cac": "Customer acquisition cost (an amount per customer)",
    "arpa": "Average revenue per account per month (an amount)",
    "gross_margin": "Gross margin as a fraction in (0, 1], e.g. 0.7 or 70%; default 1",
})
def cac_payback(cac, arpa, gross_margin=1):
    """CAC payback period in months: CAC / (ARPA x gross margin).

    Formula: ``cac / (arpa * gross_margin)``, months of gross profit to earn back the cost of
    acquiring a customer.

    Edge cases: ``arpa`` = 0 or ``gross_margin`` = 0 is ``#DIV/0!`` (never paid back); negative
    amounts are ``#NUM!``; a margin above 1 is ``#NUM!`` (write 0.7 or "70%", not 70); a blank
    margin means 1.

    Source: the product brief; ChartMogul and KeyBanc's SaaS survey, "CAC payback period":
    CAC / (new MRR per customer x gross margin).

    Example -- CAC 5,000,000 toman, ARPA 500,000 a month, 80 % gross margin:

    >>> cac_payback(5_000_000, 500_000, "80%")
    12.5
    """
    cost = _amount(cac, "cac")
    margin = _margin(gross_margin, denominator=True)
    monthly = _amount(arpa, "arpa")
    return cells.divide(cost, monthly * margin, "arpa", "with no revenue per account, nothing pays "
                        "the cost back")


@kpi(category="Unit economics", returns="ratio", args={
    "ltv": "Customer lifetime value (an amount)",
    "cac": "Customer acquisition cost (an amount)",
})
def ltv_cac_ratio(ltv, cac):
    """LTV to CAC ratio: what a customer is worth / what acquiring one costs.

    Formula: ``ltv / cac``, a ratio (3 means 3 : 1, the usual SaaS target).

    Edge cases: ``cac`` = 0 is ``#DIV/0!``; negative amounts are ``#NUM!``.

    Source: David Skok, "SaaS Metrics 2.0" (For Entrepreneurs): LTV : CAC above 3 for a healthy
    SaaS business.

    Example -- LTV 48,000,000 rial, CAC 12,000,000 rial:

    >>> ltv_cac_ratio(48_000_000, 12_000_000)
    4.0
    """
    return _ratio(ltv, "ltv", cac, "cac", zero="the ratio needs an acquisition cost",
                  read=(_amount, _amount))


@kpi(category="Unit economics", returns="money", args={
    "arpa": "Average revenue per account per period (e.g. MRR / paying customers)",
    "churn": "Customer churn rate per the same period (e.g. CHURN_TRAILING of the last 6 months)",
    "gross_margin": "Gross margin as a fraction in (0, 1], e.g. 0.7 or 70%; default 1",
    "discount_rate": "Discount rate per the same period (default 0: undiscounted); 10 % a year is "
                     "1.1^(1/12)-1 a month",
})
def ltv_from_churn(arpa, churn, gross_margin=1, discount_rate=0):
    """Customer lifetime value from observed churn: ARPA x gross margin / (churn + discount rate).

    Formula: ``arpa * gross_margin / (churn + discount_rate)``. Undiscounted (``discount_rate`` 0),
    this is ChartMogul's ARPA / customer churn rate (x margin): revenue for an expected ``1 / churn``
    periods. Discounted, it is the sum over the periods t = 1, 2, ... of the margin of the customers
    still there, ``arpa * m * (1 - churn) ** (t - 1)``, discounted by ``(1 + d) ** t`` -- a geometric
    series whose sum is ``arpa * m / (churn + d)``. Gupta & Lehmann's ``m * r / (1 + i - r)``
    (r = 1 - churn) counts from the period after acquisition; this one counts the first period too
    (their value / r), so that d = 0 gives ChartMogul's figure exactly.

    Edge cases: churn 0 with no discount is ``#DIV/0!`` (ChartMogul: "ChartMogul can only calculate
    LTV when your customer churn rate is not zero"); churn 0 with a discount rate is the perpetuity
    ``arpa * m / d``. A churn or discount rate outside 0..1 is ``#NUM!`` (``5`` is not 5 %: write
    0.05 or "5%"); a negative ARPA is ``#NUM!``; the margin must be above 0 and at most 1 (blank 1).

    Source: ChartMogul, "Chart: Customer Lifetime Value (LTV)": "with an ARPA of $100 and a 5%
    six-month trailing average of customer churn rate, LTV is $2,000"
    (https://help.chartmogul.com/hc/en-us/articles/203359061-Chart-Customer-Lifetime-Value-LTV);
    S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive Marketing 17(1), 2003
    (the margin multiple r / (1 + i - r)).

    Example -- ChartMogul's: ARPA $100, churn 5 % a month: $2,000; at 80 % margin and 1 % a month
    discount: 100 x 0.8 / 0.06:

    >>> ltv_from_churn(100, 0.05)
    2000.0
    >>> round(ltv_from_churn(100, "5%", 0.8, 0.01), 2)
    1333.33
    """
    revenue = _amount(arpa, "arpa")
    c = cells.number(churn, "churn")
    d = _optional(discount_rate, "discount_rate", 0.0)
    for arg, x in (("churn", c), ("discount_rate", d)):
        if x < 0:
            raise OutOfRange(f"is {x:g}; a rate per period cannot be negative", argument=arg)
        if x > 1:
            hint = f" (enter {x / 100:g} or {x:g}% for {x:g} %)" if x <= 100 else ""
            raise OutOfRange(f"is {x:g}; a rate per period is a fraction from 0 to 1{hint}", argument=arg)
    m = _margin(gross_margin, denominator=False)
    if c + d == 0:
        raise DivisionByZero("is 0 and so is discount_rate; with no churn observed the expected lifetime "
                             "is unbounded (give a discount rate, or measure churn over a longer window)",
                             argument="churn")
    return revenue * m / (c + d)
