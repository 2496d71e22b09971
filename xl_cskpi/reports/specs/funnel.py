"""Acquisition & CX funnel: conversion, lead-to-opportunity, referral, cart abandonment vs Baymard,
campaign ROI, direct traffic share, pages per visit, viral coefficient.

No month-by-month comparison (decided in session 3, issue 14): a Campaigns row is a campaign with
its totals and no date, so no KPI can be split by month. The dashboard says so in its own words
(``period.none.funnel``): fill one report per month's campaigns to compare months. A month column
would need the Campaigns table (specs/tables.py) to take an optional ``month``; until then the
honest line stays.

Two settings are the user's own counts, not targets: ``customers_start`` (customers at the start of
the campaigns' period: the acquisition rate's base) and ``active_customer_count`` (active customers
in it: the referral rate's and the viral coefficient's base). A campaign export does not hold them,
and no default could be right for anyone, so they are blank until the user enters them, and the
KPIs that need them read "n/a: enter ... on the Settings sheet" meanwhile (:func:`needs`) -- in the
live formulas and in ``--values`` alike. Before session 3 they were 350 and 400, which gave a real
campaign export an acquisition rate of 233 % and a referral rate of 139 % computed from numbers that
were not the user's. ``xl-cskpi demo`` fills them from its own Months table (sample.demo_settings);
a user reads them off the churn report's Months sheet (Customers at start of the campaigns' first
month; Customers at end of their last) or off the CRM.
"""

from ...registry import REGISTRY
from ..spec import KPI, Call, Chart, Col, Name, Report, Series, Setting, Word
from .tables import CAMPAIGNS

#: what a KPI reads while the user's own count ``setting`` is blank: n/a and what to enter (the fa/ar
#: texts are labels, :func:`xl_cskpi.labels.label`, so the live formula carries the reader's words)
ASK = {
    "customers_start": "n/a: enter the customers at the start on the Settings sheet",
    "active_customer_count": "n/a: enter the active customers on the Settings sheet",
}


def needs(setting: str, expr):
    """``expr`` once the setting ``setting`` holds a number; until then the n/a sentence of
    :data:`ASK` (a blank cell, or text, is not a count: ``ISNUMBER``, as Excel and the evaluator
    read it; a 0 stays a number and gives the function's own #DIV/0! and why)."""
    return Call("IF", Call("ISNUMBER", Name(setting)), expr, Word(ASK[setting]))


def asking(key: str, setting: str, call: Call, **kw) -> KPI:
    """KPI ``key``: ``call`` once ``setting`` holds a number, its n/a sentence until then
    (:func:`needs`); formatted as ``call``'s result (a rate, the K-factor a ratio)."""
    return KPI(key, needs(setting, call), kind=REGISTRY[call.function].returns, **kw)


def _sum(column: str) -> Call:
    return Call("SUM", Col("Campaigns", column))


REPORT = Report(
    key="funnel",
    tables=(CAMPAIGNS,),
    settings=(
        # the user's own counts: blank (see the module's text); never a made-up default
        Setting("active_customer_count", None, "count"),
        Setting("customers_start", None, "count"),
        # Baymard Institute's average documented online cart abandonment rate, the benchmark the
        # issue names (68.53 %); update it on the settings sheet when Baymard publishes a new one.
        Setting("baymard_cart_abandonment", 0.6853, "rate"),
        Setting("target_conversion", 0.1, "rate"),
        Setting("target_campaign_roi", 1.0, "rate"),
    ),
    kpis=(
        KPI("conversion_rate", Call("CONVERSION_RATE", _sum("conversions"), _sum("leads")),
            target="target_conversion", headline=True),
        KPI("lead_to_opportunity", Call("LEAD_TO_OPPORTUNITY_RATE", _sum("opportunities"), _sum("leads"))),
        asking("acquisition_rate", "customers_start",
               Call("ACQUISITION_RATE", _sum("conversions"), Name("customers_start"))),
        asking("referral_rate", "active_customer_count",
               Call("REFERRAL_RATE", _sum("referred_leads"), Name("active_customer_count"))),
        KPI("cart_abandonment", Call("CART_ABANDONMENT_RATE", _sum("carts_created"), _sum("orders_completed")),
            target="baymard_cart_abandonment", better="lower"),
        KPI("campaign_roi", Call("CAMPAIGN_ROI", _sum("revenue"), _sum("cost")), target="target_campaign_roi"),
        KPI("direct_traffic_share", Call("DIRECT_TRAFFIC_SHARE", _sum("direct_visits"), _sum("visits"))),
        KPI("pages_per_visit", Call("PAGES_PER_VISIT", _sum("pageviews"), _sum("visits"))),
        asking("viral_coefficient", "active_customer_count",
               Call("VIRAL_COEFFICIENT", _sum("invites_converted"), Name("active_customer_count"))),
    ),
    charts=(
        Chart("campaign_roi", "bar", Col("Campaigns", "campaign"), (Series(Col("Campaigns", "roi"), "series.roi"),),
              percent=True),
    ),
)
