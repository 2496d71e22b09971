"""Unit economics: CAC, CLV, LTV, LTV:CAC, CAC payback, customer retention cost, net cash.

Two LTVs side by side: ``ltv`` (today's: ARPA x gross margin x 1 / the churn pooled over every month
of the table) and ``ltv_observed`` (ChartMogul's: ARPA x gross margin / the average monthly churn
rate of the latest ``trailing_months`` months, CHURN_TRAILING; with a ``discount_rate`` per month
above 0 it is the discounted LTV_FROM_CHURN). ``annual_churn`` compounds the trailing monthly churn
over twelve months (ANNUALIZE_CHURN).
"""

from ..spec import KPI, Call, Chart, Col, Name, Op, Report, Series, Setting
from .tables import FINANCE


def _sum(column: str) -> Call:
    return Call("SUM", Col("Finance", column))


REPORT = Report(
    key="unit_economics",
    tables=(FINANCE,),
    settings=(
        Setting("target_ltv_cac", 3, "ratio"),
        Setting("target_cac_payback", 12, "months"),
        Setting("purchases_per_year", 12, "number"),
        Setting("trailing_months", 6, "months"),
        Setting("discount_rate", 0, "rate"),
    ),
    kpis=(
        KPI("cac", Call("CAC", Col("Finance", "sales_marketing_spend"), _sum("customers_new")), headline=True),
        KPI("arpa", Op("/", _sum("revenue"), _sum("customers_start")), kind="money"),
        KPI("monthly_churn", Call("CHURN_RATE", _sum("customers_start"), _sum("customers_lost"))),
        KPI("lifespan_months", Op("/", 1, Name("monthly_churn")), kind="months"),
        KPI("gross_margin", Call("AVERAGE", Col("Finance", "gross_margin")), kind="rate"),
        KPI("ltv", Call("LTV", Name("arpa"), Name("lifespan_months"), Name("gross_margin")), headline=True),
        KPI("churn_trailing", Call("CHURN_TRAILING", Col("Finance", "customers_start"), Col("Finance", "customers_lost"),
                                   Name("trailing_months"))),
        KPI("annual_churn", Call("ANNUALIZE_CHURN", Name("churn_trailing"))),
        KPI("ltv_observed", Call("LTV_FROM_CHURN", Name("arpa"), Name("churn_trailing"), Name("gross_margin"),
                                 Name("discount_rate"))),
        KPI("clv", Call("CLV", Name("arpa"), Name("purchases_per_year"), Op("/", Name("lifespan_months"), 12))),
        KPI("ltv_cac_ratio", Call("LTV_CAC_RATIO", Name("ltv"), Name("cac")), target="target_ltv_cac"),
        KPI("cac_payback", Call("CAC_PAYBACK", Name("cac"), Name("arpa"), Name("gross_margin")),
            target="target_cac_payback", better="lower"),
        KPI("crc", Call("CRC", Col("Finance", "retention_costs"), Call("AVERAGE", Col("Finance", "customers_start")))),
        KPI("net_cash", Call("NET_CASH", _sum("operating_cash_flow"), _sum("investments"),
                             _sum("working_capital_increase"))),
    ),
    charts=(
        Chart("spend_revenue", "column", Col("Finance", "month"), (
            Series(Col("Finance", "sales_marketing_spend"), "series.spend"),
            Series(Col("Finance", "revenue"), "series.revenue"),
        )),
    ),
)
