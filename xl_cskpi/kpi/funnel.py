"""Acquisition & funnel family: conversion, lead-to-opportunity, acquisition, referral, cart
abandonment, campaign ROI, direct traffic share, pages per visit, viral coefficient.

Most of these are "count / count" rates. They all go through :func:`_ratio`, the one place that
reads both cells, checks that the numerator cannot exceed the denominator where the definition
says so, and turns a zero denominator into ``#DIV/0!``. The unit-economics family reuses it.
"""

from __future__ import annotations

from typing import Any, Callable

from .. import cells
from ..errors import OutOfRange
from ..registry import kpi

__all__ = [
    "conversion_rate",
    "lead_to_opportunity_rate",
    "acquisition_rate",
    "referral_rate",
    "cart_abandonment_rate",
    "campaign_roi",
    "direct_traffic_share",
    "pages_per_visit",
    "viral_coefficient",
]

Reader = Callable[[Any, str], float]


def _ratio(numerator: Any, numerator_arg: str, denominator: Any, denominator_arg: str, *,
           zero: str, part_of: str | None = None,
           read: tuple[Reader, Reader] = (cells.count, cells.count)) -> float:
    """``numerator / denominator`` after reading both cells (counts by default).

    ``zero`` says why a zero denominator has no answer (``#DIV/0!``). ``part_of``, when given,
    declares the numerator a part of the denominator (conversions among leads): a numerator larger
    than the denominator is then ``#NUM!``, and ``part_of`` says why.
    """
    num = read[0](numerator, numerator_arg)
    den = read[1](denominator, denominator_arg)
    if part_of is not None and num > den:
        raise OutOfRange(f"is {num:g}, more than {denominator_arg} ({den:g}); {part_of}",
                         argument=numerator_arg)
    return cells.divide(num, den, denominator_arg, zero)


@kpi(category="Acquisition & funnel", returns="rate", args={
    "conversions": "Leads that converted (became customers or completed the goal), a count",
    "leads": "Leads (or visitors) in the period, a count",
})
def conversion_rate(conversions, leads):
    """Conversion rate: conversions / leads.

    Formula: ``conversions / leads``, a fraction (0.025 = 2.5 %).

    Edge cases: ``leads`` = 0 is ``#DIV/0!``; negative counts, and more conversions than leads,
    are ``#NUM!`` (every conversion is one of the leads).

    Source: the seed definition; HubSpot and Google Analytics, "conversion rate" (conversions /
    total visitors or leads).

    Example -- 4,000 leads from the Nowruz campaign, 100 bought:

    >>> conversion_rate(100, 4000)
    0.025
    """
    return _ratio(conversions, "conversions", leads, "leads",
                  zero="the rate needs at least one lead",
                  part_of="every conversion must be one of the leads")


@kpi(category="Acquisition & funnel", returns="rate", args={
    "opportunities": "Leads that became sales opportunities, a count",
    "leads": "Leads in the period, a count",
})
def lead_to_opportunity_rate(opportunities, leads):
    """Lead-to-opportunity rate: opportunities / leads.

    Formula: ``opportunities / leads``, a fraction.

    Edge cases: ``leads`` = 0 is ``#DIV/0!``; negative counts, and more opportunities than leads,
    are ``#NUM!`` (an opportunity is a qualified lead).

    Source: Salesforce and HubSpot funnel reporting, "lead-to-opportunity conversion rate"
    (opportunities created / leads created in the period).

    Example -- 1,200 leads in Mehr, 180 qualified as opportunities:

    >>> lead_to_opportunity_rate(180, 1200)
    0.15
    """
    return _ratio(opportunities, "opportunities", leads, "leads",
                  zero="the rate needs at least one lead",
                  part_of="every opportunity must come from one of the leads")


@kpi(category="Acquisition & funnel", returns="rate", args={
    "new_customers": "Customers acquired during the period, a count",
    "customers_start": "Customers at the start of the period, a count",
})
def acquisition_rate(new_customers, customers_start):
    """Customer acquisition rate: new customers / customers at the start of the period.

    Formula: ``new_customers / customers_start``, a fraction; above 1 when the base more than
    doubles (a young business), which is allowed.

    Edge cases: ``customers_start`` = 0 is ``#DIV/0!`` (a first period has no base to grow);
    negative counts are ``#NUM!``.

    Source: the seed definition (new customers relative to the starting base, the growth
    counterpart of the churn rate as ChartMogul and Gainsight define it).

    Example -- 1,000 customers on 1 Shahrivar, 150 new ones during the month:

    >>> acquisition_rate(150, 1000)
    0.15
    """
    return _ratio(new_customers, "new_customers", customers_start, "customers_start",
                  zero="the rate needs customers at the start")


@kpi(category="Acquisition & funnel", returns="rate", args={
    "referred_leads": "Leads that came from referrals by existing customers, a count",
    "active_customers": "Active customers in the period, a count",
})
def referral_rate(referred_leads, active_customers):
    """Referral rate: referred leads / active customers.

    Formula: ``referred_leads / active_customers``, a fraction; above 1 when customers refer more
    than one lead each on average, which is allowed.

    Edge cases: ``active_customers`` = 0 is ``#DIV/0!``; negative counts are ``#NUM!``.

    Source: the seed definition; referral-programme reporting as in Ambassador and HubSpot
    (referrals / customers).

    Example -- 2,000 active customers referred 90 leads in Azar:

    >>> referral_rate(90, 2000)
    0.045
    """
    return _ratio(referred_leads, "referred_leads", active_customers, "active_customers",
                  zero="the rate needs at least one active customer")


@kpi(category="Acquisition & funnel", returns="rate", args={
    "carts_created": "Shopping carts created (sessions that added to cart), a count",
    "orders_completed": "Orders completed from those carts, a count (at most carts_created)",
})
def cart_abandonment_rate(carts_created, orders_completed):
    """Cart abandonment rate: 1 - orders completed / carts created.

    Formula: ``1 - orders_completed / carts_created``, a fraction.

    Edge cases: ``carts_created`` = 0 is ``#DIV/0!``; negative counts, and more orders than carts,
    are ``#NUM!`` (count orders that came through the cart).

    Source: Baymard Institute, "Cart Abandonment Rate Statistics" (abandonment = 1 - completed
    purchases / carts created). For context: the product brief compares with Baymard's average of
    68.53 %, an older edition of that list; the list is revised as studies are added (69.82 % in
    November 2021, about 70 % since), so quote the edition you compare against.

    Example -- 2,000 carts in the Yalda sale, 620 turned into orders:

    >>> cart_abandonment_rate(2000, 620)
    0.69
    """
    return 1.0 - _ratio(orders_completed, "orders_completed", carts_created, "carts_created",
                        zero="the rate needs at least one cart",
                        part_of="every completed order must come from a cart")


@kpi(category="Acquisition & funnel", returns="rate", args={
    "revenue": "Revenue attributed to the campaign (an amount, or a range of amounts: summed)",
    "cost": "Cost of the campaign (an amount, or a range of amounts: summed)",
})
def campaign_roi(revenue, cost):
    """Campaign return on investment: (revenue - cost) / cost.

    Formula: ``(sum(revenue) - sum(cost)) / sum(cost)``, a fraction (0.5 = 50 % return;
    negative when the campaign lost money).

    Edge cases: a total cost of 0 is ``#DIV/0!``; negative amounts are ``#NUM!``; an empty range
    is ``#VALUE!``. Ranges are summed, so a column of channel costs can be passed as is.

    Source: the seed definition; the standard marketing ROI, (revenue - cost) / cost, as in
    HubSpot's and Google's marketing ROI guides.

    Example -- a 40,000,000 toman Instagram campaign that brought 100,000,000 toman of sales:

    >>> campaign_roi(100_000_000, 40_000_000)
    1.5
    """
    total_cost = cells.total(cost, "cost")
    gain = cells.total(revenue, "revenue") - total_cost
    return cells.divide(gain, total_cost, "cost", "a return needs a cost to compare with")


@kpi(category="Acquisition & funnel", returns="rate", args={
    "direct_visits": "Visits that arrived directly (typed URL, bookmark), a count",
    "total_visits": "All visits in the period, a count",
})
def direct_traffic_share(direct_visits, total_visits):
    """Direct traffic share: direct visits / total visits.

    Formula: ``direct_visits / total_visits``, a fraction.

    Edge cases: ``total_visits`` = 0 is ``#DIV/0!``; negative counts, and more direct visits than
    visits, are ``#NUM!``.

    Source: the seed definition; Google Analytics' "Direct" default channel group as a share of
    all sessions.

    Example -- 48,000 visits in Dey, 12,000 of them direct:

    >>> direct_traffic_share(12_000, 48_000)
    0.25
    """
    return _ratio(direct_visits, "direct_visits", total_visits, "total_visits",
                  zero="the share needs at least one visit",
                  part_of="direct visits are part of all visits")


@kpi(category="Acquisition & funnel", returns="number", args={
    "pageviews": "Pages viewed in the period, a count",
    "visits": "Visits (sessions) in the period, a count",
})
def pages_per_visit(pageviews, visits):
    """Pages per visit: pageviews / visits.

    Formula: ``pageviews / visits``, a number of pages.

    Edge cases: ``visits`` = 0 is ``#DIV/0!``; negative counts are ``#NUM!``. Fewer pageviews than
    visits is allowed (analytics tools count sessions without a pageview).

    Source: the seed definition; Google Analytics' "Pages / Session" (pageviews / sessions).

    Example -- 48,000 visits in Dey with 168,000 pageviews:

    >>> pages_per_visit(168_000, 48_000)
    3.5
    """
    return _ratio(pageviews, "pageviews", visits, "visits",
                  zero="the average needs at least one visit")


@kpi(category="Acquisition & funnel", returns="ratio", args={
    "invites_converted": "New customers who joined through an invitation from a customer, a count",
    "customers": "Customers who could invite (the base of the period), a count",
})
def viral_coefficient(invites_converted, customers):
    """Viral coefficient (K-factor): customers gained by invitation / customers.

    Formula: ``invites_converted / customers`` (= invitations per customer x their conversion
    rate); above 1 the base grows by itself (organic growth).

    Edge cases: ``customers`` = 0 is ``#DIV/0!``; negative counts are ``#NUM!``.

    Source: the seed definition; the K-factor of viral marketing (invites sent per user x
    conversion rate of an invite), as David Skok describes it in "Lessons Learned - Viral
    Marketing" (For Entrepreneurs).

    Example -- 500 customers in Bahman, whose invitations brought 60 new customers:

    >>> viral_coefficient(60, 500)
    0.12
    """
    return _ratio(invites_converted, "invites_converted", customers, "customers",
                  zero="the coefficient needs at least one customer")
