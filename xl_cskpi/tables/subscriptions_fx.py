"""``SUBSCRIPTION_MRR_FX``: ``SUBSCRIPTION_MRR`` for exports in several currencies.

A function of its own rather than three more arguments of ``SUBSCRIPTION_MRR``: the contract fixes
``SUBSCRIPTION_MRR(customer_ids, starts, ends, amounts, [intervals], [quantities], [calendar])``
followed by ``[labels]`` and ``[segments]``, so arguments added after ``calendar`` would move
``labels`` and ``segments`` to other positions in every workbook that passes them.
"""

from __future__ import annotations

from ..registry import kpi
from .subscriptions import spill_table

__all__ = ["subscription_mrr_fx"]


@kpi(category="Revenue", returns="table",
     rows=("customer_ids", "starts", "ends", "amounts", "currencies", "intervals", "quantities"),
     neutral={"amounts": 0}, args={
    "customer_ids": "Customer id of each subscription (one row per subscription of the export)",
    "starts": "Start date of each subscription (a date, an Excel serial or YYYY-MM-DD)",
    "ends": "End date of each subscription: the day it stopped; blank or 9999-12-31 = still active",
    "amounts": "Price of each subscription per billing interval, in its own currency",
    "currencies": "Currency of each row (USD, EUR, IRR...), or one for all; blank = reporting_currency",
    "rates": "Rates table date | currency | rate: one unit of the currency = rate units of the reporting "
             "currency; the last rate dated in a month converts that month",
    "reporting_currency": "Currency of the MRR column (worth 1, needs no rates)",
    "intervals": 'Billing interval of each row (or one for all): "month" (default), "year", "quarter", '
                 '"week", "day", or with a count such as "3 months"; "period" for an invoice line, sized by '
                 'its own start and end',
    "quantities": "Quantity (seats) of each row, or one for all (blank = 1)",
    "calendar": 'Calendar of the months: "gregorian", "jalali" or "hijri"',
})
def subscription_mrr_fx(customer_ids, starts, ends, amounts, currencies, rates, reporting_currency=None,
                        intervals=None, quantities=None, calendar="gregorian"):
    """MRR per customer, month and currency, converted at each month's rate (several currencies).

    Spills ``Customer, Month, Currency, Local MRR, MRR``: one row per customer, month and currency in
    which the customer pays, ``Local MRR`` in the row's currency and ``MRR`` converted to
    ``reporting_currency`` at that month's rate. Feed ``MRR_MOVEMENTS`` with Customer, Month, MRR
    (it sums a customer's currencies) or ``MRR_MOVEMENTS_FX`` with Customer, Month, Local MRR,
    Currency and the same rates (it separates FX impact from expansion and contraction).

    The monthly amount and the months are ``SUBSCRIPTION_MRR``'s; the conversion is
    ``mrr_table``'s (:mod:`xl_cskpi.tables.fx`): the MRR of a month is a snapshot on its last day,
    converted at the last rate dated in that month (Chargebee converts MRR at period-end rates;
    ChartMogul at each service period's start).

    Edge cases: as ``SUBSCRIPTION_MRR``; a currency with no rate (and not the reporting currency) is
    ``#VALUE!`` naming it and the row; a month without a rate for a currency paying then is ``#N/A``
    naming the currency and the month, never a rate of 1; a blank currency with no
    ``reporting_currency`` is ``#VALUE!``.

    Sources: those of ``SUBSCRIPTION_MRR``; ChartMogul, "How ChartMogul handles subscriptions billed
    in foreign currencies" (help.chartmogul.com, article 201520952); Chargebee, "How Exchange Rates
    affect RevenueStory metrics over time?" (support.chargebee.com).

    Example -- a yearly plan of 1,200 EUR from January and a monthly one of 50 USD until 1 March;
    the euro at 1.10 USD at the end of January, 1.20 in February, 1.15 in March:

    >>> rates = [["2024-01-31", "EUR", 1.10], ["2024-02-29", "EUR", 1.20], ["2024-03-31", "EUR", 1.15]]
    >>> subscription_mrr_fx(["acme", "bolt"], ["2024-01-15", "2024-01-20"], [None, "2024-03-01"],
    ...                     [1200, 50], ["EUR", "USD"], rates, "USD", ["year", "month"])
      Customer    Month Currency  Local MRR    MRR
    0     acme  2024-01      EUR      100.0  110.0
    1     acme  2024-02      EUR      100.0  120.0
    2     acme  2024-03      EUR      100.0  115.0
    3     bolt  2024-01      USD       50.0   50.0
    4     bolt  2024-02      USD       50.0   50.0
    """
    return spill_table(customer_ids, starts, ends, amounts, intervals, quantities, calendar, currencies,
                       rates, reporting_currency)
