"""Overview: one dashboard of the headline KPIs across surveys, retention, revenue and support.

A month's average resolution time is over the tickets resolved in it, as on the support report
(Freshdesk's "Resolved tickets": resolved within the time frame, whenever created). A month's MRR
and NRR come from the MRR bridge of the Subscriptions table, as on the revenue report (its ending
MRR, and (starting + expansion - contraction - churned) / starting: ChartMogul); the Accounts
table's two MRR columns compare two dates of the user's choosing, not the month shown, so the
dashboard does not show them under the month's name.
"""

from ..spec import KPI, Call, Chart, Col, Last, Name, Report, Series, Setting
from .churn_retention import CHURN, RETENTION
from .periodic import in_month, only
from .revenue import END, NRR_M, REPORT as REVENUE
from .support_complaints import O_R, R_R
from .survey_scale import on_csat_scale
from .tables import ACCOUNTS, MONTHS, RESPONSES, SUBSCRIPTIONS, TICKETS

REPORT = Report(
    key="overview",
    tables=(MONTHS, SUBSCRIPTIONS, ACCOUNTS, RESPONSES, TICKETS),
    settings=(
        Setting("target_nps", 30, "points"),
        Setting("target_csat", 0.8, "rate"),
        Setting("target_churn", 0.03, "rate"),
        Setting("target_nrr", 1.0, "rate"),
        Setting("target_resolution_hours", 24, "hours"),
        Setting("calendar", "gregorian", "text"),
        # the top of the CSAT survey's scale, the user's own (blank: CSAT says what to enter), as on
        # the survey report (specs/survey_scale.py: a 1-3 survey read on 1-5 was CSAT 0 %, silently)
        Setting("csat_scale", None, "count"),
    ),
    # the monthly MRR bridge (MRR_MOVEMENTS), the revenue report's: the month's MRR and NRR
    spills=tuple(sp for sp in REVENUE.spills if sp.key == "mrr_movements"),
    kpis=(
        KPI("nps", Call("NPS", Col("Responses", "nps_score")), target="target_nps",
            period=Call("NPS", in_month("Responses", "nps_score", "submitted_at"))),
        KPI("csat", on_csat_scale(Call("CSAT", Col("Responses", "csat_score"), Name("csat_scale"))),
            target="target_csat", kind="rate",
            period=on_csat_scale(Call("CSAT", in_month("Responses", "csat_score", "submitted_at"), Name("csat_scale")))),
        KPI("churn_rate", Call("CHURN_RATE", Last("Months", "customers_start"), Last("Months", "customers_lost")),
            target="target_churn", better="lower", period=CHURN),
        KPI("customers_end", Last("Months", "customers_end"), kind="count",
            period=only("Months", "customers_end", "month")),
        KPI("mrr", Call("SUM", Col("Accounts", "current_mrr")), kind="money", period=END),
        KPI("nrr", Call("NRR", Col("Accounts", "previous_mrr"), Col("Accounts", "current_mrr")), target="target_nrr",
            period=NRR_M),
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
