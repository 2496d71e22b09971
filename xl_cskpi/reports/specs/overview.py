"""Overview: one dashboard of the headline KPIs across surveys, retention, revenue and support.

A month's average resolution time is over the tickets resolved in it, as on the support report
(Freshdesk's "Resolved tickets": resolved within the time frame, whenever created).
"""

from ..spec import KPI, Call, Chart, Col, Last, Report, Series, Setting
from .churn_retention import CHURN, RETENTION
from .periodic import in_month, only
from .support_complaints import O_R, R_R
from .tables import ACCOUNTS, MONTHS, RESPONSES, TICKETS

REPORT = Report(
    key="overview",
    tables=(MONTHS, ACCOUNTS, RESPONSES, TICKETS),
    settings=(
        Setting("target_nps", 30, "points"),
        Setting("target_csat", 0.8, "rate"),
        Setting("target_churn", 0.03, "rate"),
        Setting("target_nrr", 1.0, "rate"),
        Setting("target_resolution_hours", 24, "hours"),
        Setting("calendar", "gregorian", "text"),
    ),
    kpis=(
        KPI("nps", Call("NPS", Col("Responses", "nps_score")), target="target_nps",
            period=Call("NPS", in_month("Responses", "nps_score", "submitted_at"))),
        KPI("csat", Call("CSAT", Col("Responses", "csat_score"), 5), target="target_csat",
            period=Call("CSAT", in_month("Responses", "csat_score", "submitted_at"), 5)),
        KPI("churn_rate", Call("CHURN_RATE", Last("Months", "customers_start"), Last("Months", "customers_lost")),
            target="target_churn", better="lower", period=CHURN),
        KPI("customers_end", Last("Months", "customers_end"), kind="count",
            period=only("Months", "customers_end", "month")),
        KPI("mrr", Call("SUM", Col("Accounts", "current_mrr")), kind="money"),
        KPI("nrr", Call("NRR", Col("Accounts", "previous_mrr"), Col("Accounts", "current_mrr")), target="target_nrr"),
        KPI("avg_resolution_hours", Call("AVG_RESOLUTION_TIME", Col("Tickets", "opened_at"),
                                         Col("Tickets", "resolved_at"), "hours"),
            target="target_resolution_hours", better="lower", kind="hours",
            # the tickets resolved in the month, as the support report counts them (Freshdesk)
            period=Call("AVG_RESOLUTION_TIME", O_R, R_R, "hours")),
    ),
    period_series=(("retention_rate", RETENTION, "rate"),),
    charts=(
        Chart("churn_trend", "line", ("window", "label"), (
            Series(("window", "churn_rate"), "series.churn"),
            Series(("window", "retention_rate"), "series.retention", axis="secondary"),
        ), percent=True, y_title="series.churn", y2_title="series.retention"),
    ),
)
