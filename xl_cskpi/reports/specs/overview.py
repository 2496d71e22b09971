"""Overview: one dashboard of the headline KPIs across surveys, retention, revenue and support."""

from ..spec import KPI, Call, Chart, Col, Last, Report, Series, Setting
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
        KPI("nps", Call("NPS", Col("Responses", "nps_score")), target="target_nps"),
        KPI("csat", Call("CSAT", Col("Responses", "csat_score"), 5), target="target_csat"),
        KPI("churn_rate", Call("CHURN_RATE", Last("Months", "customers_start"), Last("Months", "customers_lost")),
            target="target_churn", better="lower"),
        KPI("customers_end", Last("Months", "customers_end"), kind="count"),
        KPI("mrr", Call("SUM", Col("Accounts", "current_mrr")), kind="money"),
        KPI("nrr", Call("NRR", Col("Accounts", "previous_mrr"), Col("Accounts", "current_mrr")), target="target_nrr"),
        KPI("avg_resolution_hours", Call("AVG_RESOLUTION_TIME", Col("Tickets", "opened_at"),
                                         Col("Tickets", "resolved_at"), "hours"),
            target="target_resolution_hours", better="lower", kind="hours"),
    ),
    charts=(
        Chart("churn_trend", "line", Col("Months", "month"), (
            Series(Col("Months", "churn_rate"), "series.churn"),
            Series(Col("Months", "retention_rate"), "series.retention"),
        ), percent=True),
    ),
)
