"""Acquisition & CX funnel: conversion, lead-to-opportunity, referral, cart abandonment vs Baymard,
campaign ROI, direct traffic share, pages per visit, viral coefficient.

No month-by-month comparison (decided in session 3, issue 14): a Campaigns row is a campaign with
its totals and no date, so no KPI can be split by month. The dashboard says so in its own words
(``period.none.funnel``): fill one report per month's campaigns to compare months. A month column
would need the Campaigns table (specs/tables.py) to take an optional ``month``; until then the
honest line stays.
"""

from ..spec import KPI, Call, Chart, Col, Name, Report, Series, Setting
from .tables import CAMPAIGNS


def _sum(column: str) -> Call:
    return Call("SUM", Col("Campaigns", column))


REPORT = Report(
    key="funnel",
    tables=(CAMPAIGNS,),
    settings=(
        Setting("active_customer_count", 400, "count"),
        Setting("customers_start", 350, "count"),
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
        KPI("acquisition_rate", Call("ACQUISITION_RATE", _sum("conversions"), Name("customers_start"))),
        KPI("referral_rate", Call("REFERRAL_RATE", _sum("referred_leads"), Name("active_customer_count"))),
        KPI("cart_abandonment", Call("CART_ABANDONMENT_RATE", _sum("carts_created"), _sum("orders_completed")),
            target="baymard_cart_abandonment", better="lower"),
        KPI("campaign_roi", Call("CAMPAIGN_ROI", _sum("revenue"), _sum("cost")), target="target_campaign_roi"),
        KPI("direct_traffic_share", Call("DIRECT_TRAFFIC_SHARE", _sum("direct_visits"), _sum("visits"))),
        KPI("pages_per_visit", Call("PAGES_PER_VISIT", _sum("pageviews"), _sum("visits"))),
        KPI("viral_coefficient", Call("VIRAL_COEFFICIENT", _sum("invites_converted"), Name("active_customer_count"))),
    ),
    charts=(
        Chart("campaign_roi", "bar", Col("Campaigns", "campaign"), (Series(Col("Campaigns", "roi"), "series.roi"),),
              percent=True),
    ),
)
