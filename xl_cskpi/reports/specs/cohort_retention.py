"""Cohort retention: the triangle of monthly signup cohorts with a colour scale.

No month-by-month comparison on the dashboard (session 3, issue 14): the triangle already shows
each signup month followed month by month, and its KPIs average the cohorts that have reached month
1, 3 or 6. A "month shown" would pick the latest cohort, which has not reached month 1 yet, so every
KPI would be n/a. The dashboard says so (``period.none.cohort_retention``).

A customer is in a month's column when it paid in that month (MRR above 0): a row of MRR 0 is no
activity (reviewer's K6: a dense customer-month table read 100 % retention and one cohort).
"""

from ..spec import KPI, Call, Chart, Col, Lang, Name, Report, Series, Spill, SpillCol, Setting
from .tables import SUBSCRIPTIONS

# COHORT_RETENTION columns: 1 Cohort, 2 Customers, 3 month 0, 4 month 1, ...
COHORTS = "cohort_retention"

REPORT = Report(
    key="cohort_retention",
    tables=(SUBSCRIPTIONS,),
    settings=(Setting("target_month1_retention", 0.9, "rate"), Setting("target_month3_retention", 0.8, "rate"),
              Setting("calendar", "gregorian", "text")),
    spills=(
        # a customer is active in a month when its MRR is above 0, as MRR_MOVEMENTS reads the same table
        # (a 0 row -- a pause month, a dense warehouse table -- is no activity): the MRR column is
        # COHORT_RETENTION's last argument, every argument before it written out (LibreOffice reads a
        # left-out middle argument as 0): the labels in the report's language (Lang), segments blank
        Spill(COHORTS, Call("COHORT_RETENTION", Col("Subscriptions", "customer_id"), Col("Subscriptions", "month"),
                            "month", Name("calendar"), Lang(), "", Col("Subscriptions", "mrr")),
              rows=13, columns=14, color_scale=True,
              column_kinds=("text", "count"), body_kind="rate"),
    ),
    kpis=(
        KPI("month1_retention", Call("AVERAGE", SpillCol(COHORTS, 4)), kind="rate",
            target="target_month1_retention", headline=True),
        KPI("month3_retention", Call("AVERAGE", SpillCol(COHORTS, 6)), kind="rate",
            target="target_month3_retention"),
        KPI("month6_retention", Call("AVERAGE", SpillCol(COHORTS, 9)), kind="rate"),
        KPI("cohorts", Call("COUNT", SpillCol(COHORTS, 2)), kind="count"),
    ),
    charts=(
        Chart("cohort_sizes", "column", ("spill", COHORTS, 1, None),
              (Series(("spill", COHORTS, 2, None), "series.customers"),)),
    ),
)
