"""Churn & retention: churn, retention and renewal by month from monthly customer counts."""

from ..spec import KPI, Call, Chart, Col, Last, Report, Series, Setting
from .periodic import guard, in_month, only
from .tables import MONTHS


def _m(column: str):
    return Call("SUM", in_month("Months", column, "month"))


#: the KPIs of one month: that month's row of the monthly counts (#N/A for a month without a row)
CHURN = guard("Months", "customers_start", "month",
              Call("CHURN_RATE", _m("customers_start"), _m("customers_lost")))
RETENTION = guard("Months", "customers_start", "month",
                  Call("RETENTION_RATE", _m("customers_start"), _m("customers_end"), _m("customers_new")))
RENEWAL = guard("Months", "renewals_due", "month", Call("RENEWAL_RATE", _m("renewals"), _m("renewals_due")))

REPORT = Report(
    key="churn_retention",
    tables=(MONTHS,),
    settings=(
        Setting("target_churn", 0.03, "rate"),
        Setting("target_retention", 0.95, "rate"),
        Setting("target_renewal", 0.85, "rate"),
        Setting("calendar", "gregorian", "text"),
    ),
    kpis=(
        KPI("churn_rate", Call("CHURN_RATE", Last("Months", "customers_start"), Last("Months", "customers_lost")),
            target="target_churn", better="lower", headline=True, period=CHURN),
        KPI("retention_rate", Call("RETENTION_RATE", Last("Months", "customers_start"),
                                   Last("Months", "customers_end"), Last("Months", "customers_new")),
            target="target_retention", better="higher", period=RETENTION),
        KPI("renewal_rate", Call("RENEWAL_RATE", Call("SUM", Col("Months", "renewals")),
                                 Call("SUM", Col("Months", "renewals_due"))),
            target="target_renewal", better="higher", period=RENEWAL),
        KPI("customers_end", Last("Months", "customers_end"), kind="count",
            period=only("Months", "customers_end", "month")),
    ),
    charts=(
        # churn on its own axis, retention on a second one (a 0-100 % axis flattens churn); the 12
        # months ending at the period shown, in the report's calendar; a month without customers at
        # its start is a gap
        Chart("churn_trend", "line", ("window", "label"), (
            Series(("window", "churn_rate"), "series.churn"),
            Series(("window", "retention_rate"), "series.retention", axis="secondary"),
        ), percent=True, y_title="series.churn", y2_title="series.retention"),
    ),
)
