"""Churn & retention: churn, retention and renewal by month from monthly customer counts."""

from ..spec import KPI, Call, Chart, Col, Last, Report, Series, Setting
from .tables import MONTHS

REPORT = Report(
    key="churn_retention",
    tables=(MONTHS,),
    settings=(
        Setting("target_churn", 0.03, "rate"),
        Setting("target_retention", 0.95, "rate"),
        Setting("target_renewal", 0.85, "rate"),
    ),
    kpis=(
        KPI("churn_rate", Call("CHURN_RATE", Last("Months", "customers_start"), Last("Months", "customers_lost")),
            target="target_churn", better="lower", headline=True),
        KPI("retention_rate", Call("RETENTION_RATE", Last("Months", "customers_start"),
                                   Last("Months", "customers_end"), Last("Months", "customers_new")),
            target="target_retention", better="higher"),
        KPI("renewal_rate", Call("RENEWAL_RATE", Call("SUM", Col("Months", "renewals")),
                                 Call("SUM", Col("Months", "renewals_due"))),
            target="target_renewal", better="higher"),
        KPI("customers_end", Last("Months", "customers_end"), kind="count"),
    ),
    charts=(
        Chart("churn_trend", "line", Col("Months", "month"), (
            Series(Col("Months", "churn_rate"), "series.churn"),
            Series(Col("Months", "retention_rate"), "series.retention"),
        ), percent=True),
    ),
)
