"""Customer health: a weighted score and a status per customer; weights on the settings sheet.

No month-by-month comparison (session 3, issue 14): a Health row is a customer's scores as they
stand when the export is taken, a snapshot with no date and no history, so there is no earlier
month in the data to compare with. The dashboard says so (``period.none.customer_health``): keep
last month's report to compare.
"""

from ..spec import KPI, Call, Chart, Col, Name, Op, Report, Series, Setting, Word
from .tables import HEALTH

STATUS = Col("Health", "health_status")

REPORT = Report(
    key="customer_health",
    tables=(HEALTH,),
    settings=(
        Setting("health_weights", (0.4, 0.2, 0.2, 0.2), "rate"),
        Setting("healthy_from", 70, "score"),
        Setting("at_risk_from", 40, "score"),
        Setting("target_healthy_share", 0.6, "rate"),
    ),
    kpis=(
        KPI("average_health", Call("AVERAGE", Col("Health", "health_score")), kind="score", headline=True),
        KPI("customers_scored", Call("COUNT", Col("Health", "health_score")), kind="count"),
        KPI("healthy", Call("COUNTIF", STATUS, Word("Healthy")), kind="count"),
        KPI("at_risk", Call("COUNTIF", STATUS, Word("At risk")), kind="count"),
        KPI("critical", Call("COUNTIF", STATUS, Word("Critical")), kind="count"),
        KPI("healthy_share", Op("/", Name("healthy"), Name("customers_scored")), kind="rate",
            target="target_healthy_share"),
    ),
    charts=(
        Chart("health_bands", "pie", ("kpis", 1, ("healthy", "at_risk", "critical")),
              (Series(("kpis", 2, ("healthy", "at_risk", "critical")), "series.customers"),)),
    ),
)
