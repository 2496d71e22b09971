"""Unit economics: CAC, CLV, LTV, LTV:CAC, CAC payback, customer retention cost, net cash.

Two LTVs side by side: ``ltv`` (today's: ARPA x gross margin x 1 / the churn pooled over every month
of the table) and ``ltv_observed`` (ChartMogul's: ARPA x gross margin / the average monthly churn
rate of the latest ``trailing_months`` months, CHURN_TRAILING; with a ``discount_rate`` per month
above 0 it is the discounted LTV_FROM_CHURN). ``annual_churn`` compounds the trailing monthly churn
over twelve months (ANNUALIZE_CHURN).

Month by month (the Periods sheet and the dashboard's comparison): a Finance row is one month, so a
KPI of a month is that row's figures: CAC = the month's sales and marketing spend / its new
customers (ChartMogul, HubSpot: spend and customers of the same period), ARPA = its revenue (MRR) /
its customers at the end (start + new - lost: ChartMogul's ARPA, MRR / the customers paying then,
so a Finance table derived from a billing export gives the revenue report's ARPA; session 4 fixed a
denominator of the customers at the *start*, which counted the month's churned customers and left
out its new ones: 829 / 8 = 104 against the revenue report's 829 / 6 = 138), churn = its customers
lost / at the start, lifespan = 1 / that churn, the
month's gross margin, and LTV, CLV, LTV:CAC, CAC payback, retention cost per customer and net cash
from those. A month without a row, or without the figure a KPI needs, is #N/A there (never 0), and so is a
month with two rows (read in the Hijri calendar, two Gregorian months can share one Hijri month).
The trailing KPIs (``churn_trailing``, ``annual_churn``, ``ltv_observed``) are over the
``trailing_months`` rows ending at the month shown (CHURN_TRAILING's ``through``: session 5), so they have no
previous month. ``ltv_observed`` takes the dashboard's own ARPA and gross margin rows (the names ``arpa`` and
``gross_margin``): the month shown's when a month is shown, the whole table's in a template without months
(``period_row`` 0), as every KPI with a month does. Until session 6 it took the whole table's ARPA and margin
beside the month's trailing churn, months after the month shown included (reviewer's R8 L3, a price change in
April: June 4,175 for 294.1 x 0.9 / 0.034219 = 7,736; March 3,866, built from April-June revenue, for
84.03 x 0.5 / 0.036954 = 1,137).

CLV is ARPA x 12 purchases a year x the lifespan in years (= ARPA x the lifespan in months): the
Finance table's revenue is a month's, so its ARPA is monthly and the frequency is always 12. Until
session 3 it was a setting (``purchases_per_year``, "monthly billing: 12"), which invited 1 for
annual billing and a CLV twelve times too small.

The chart of spend and revenue draws the 12 months ending at the month shown, labelled in the
report's calendar (Jalali in Persian, Umm al-Qura in Arabic).
"""

from ..spec import KPI, Call, Chart, Col, Name, Op, Report, Series, Setting, Word
from .periodic import only
from .tables import FINANCE


def _sum(column: str) -> Call:
    return Call("SUM", Col("Finance", column))


def _m(column: str):
    """The period row's month of ``column``: #N/A for a month without a number in it, and for a
    month with two (a duplicated row, or two Gregorian months that fall in one Hijri month, as
    February and March 2014 do in Rabi' II 1435 -- never their sum; the Data check names it)."""
    return only("Finance", column, "month")


# one month of the Finance table
START_M, NEW_M, LOST_M = _m("customers_start"), _m("customers_new"), _m("customers_lost")
REVENUE_M, SPEND_M, GM_M = _m("revenue"), _m("sales_marketing_spend"), _m("gross_margin")
CAC_M = Call("CAC", SPEND_M, NEW_M)
END_M = Op("-", Op("+", START_M, NEW_M), LOST_M)
ARPA_M = Op("/", REVENUE_M, END_M)
CHURN_M = Call("CHURN_RATE", START_M, LOST_M)
LIFESPAN_M = Op("/", 1, CHURN_M)
LTV_M = Call("LTV", ARPA_M, LIFESPAN_M, GM_M)

#: CLV's purchase frequency: ARPA is revenue per customer per *month*, so 12 a year, always
MONTHS_A_YEAR = 12

# the whole table: written out, never through the names of the KPIs above, whose cells hold the
# month shown (a whole-table LTV must not divide by one month's churn)
CAC_ALL = Call("CAC", Col("Finance", "sales_marketing_spend"), _sum("customers_new"))
ARPA_ALL = Op("/", _sum("revenue"), Op("-", Op("+", _sum("customers_start"), _sum("customers_new")),
                                       _sum("customers_lost")))
CHURN_ALL = Call("CHURN_RATE", _sum("customers_start"), _sum("customers_lost"))
LIFESPAN_ALL = Op("/", 1, CHURN_ALL)
GM_ALL = Call("AVERAGE", Col("Finance", "gross_margin"))

#: what the gross margin row reads when a margin is off 0-100 % (typed 70 for 70 %: the reviewer's U13
#: showed "7,100.0 %" beside LTV's #NUM! "enter 0.7 or 70%"); fa/ar in labels.py
ASK_GM = "n/a: a gross margin is off 0-100 %; enter 0.7 or 70%"


def _gm_shown(value, low, high):
    """``value`` unless a margin it stands on is below 0 or above 1 (100 %): then :data:`ASK_GM`."""
    return Call("IF", Call("OR", Op(">", high, 1), Op("<", low, 0)), Word(ASK_GM), value)
LTV_ALL = Call("LTV", ARPA_ALL, LIFESPAN_ALL, GM_ALL)
#: the dashboard's gross margin row: the month shown's, the whole table's without months (period_row 0)
GM_SHOWN = Name("gross_margin")

REPORT = Report(
    key="unit_economics",
    tables=(FINANCE,),
    settings=(
        Setting("target_ltv_cac", 3, "ratio"),
        Setting("target_cac_payback", 12, "months"),
        Setting("trailing_months", 6, "months"),
        Setting("discount_rate", 0, "rate"),
        Setting("calendar", "gregorian", "text"),
    ),
    kpis=(
        KPI("cac", CAC_ALL, headline=True,
            better="lower", period=CAC_M),
        KPI("arpa", ARPA_ALL, kind="money", period=ARPA_M),
        # with its Wilson interval: customers lost of customers at the start of the month
        KPI("monthly_churn", CHURN_ALL, better="lower", period=CHURN_M, interval=(LOST_M, START_M)),
        KPI("lifespan_months", LIFESPAN_ALL, kind="months", period=LIFESPAN_M),
        KPI("gross_margin", _gm_shown(GM_ALL, Call("MIN", Col("Finance", "gross_margin")),
                                      Call("MAX", Col("Finance", "gross_margin"))),
            kind="rate", period=_gm_shown(GM_M, GM_M, GM_M)),
        KPI("ltv", LTV_ALL, headline=True,
            period=LTV_M),
        # the window ends at the month shown (reviewer's G22: the latest rows, after the month shown and
        # the month in progress, were averaged whatever month the dashboard showed)
        KPI("churn_trailing", Call("CHURN_TRAILING", Col("Finance", "customers_start"), Col("Finance", "customers_lost"),
                                   Name("trailing_months"), "mean", Col("Finance", "month"), Name("period_shown"),
                                   Name("calendar")), better="lower"),
        KPI("annual_churn", Call("ANNUALIZE_CHURN", Name("churn_trailing")), better="lower"),
        # the dashboard's ARPA and margin rows (the month shown's; the whole table's without months) with the
        # trailing churn ending at the same month (reviewer's R8 L3: ARPA_ALL / GM_ALL read months after it);
        # a margin row that is not a number (its ASK_GM sentence) is repeated, not fed to LTV_FROM_CHURN
        KPI("ltv_observed", Call("IF", Call("ISNUMBER", GM_SHOWN),
                                 Call("LTV_FROM_CHURN", Name("arpa"), Name("churn_trailing"), GM_SHOWN,
                                      Name("discount_rate")), GM_SHOWN), kind="money"),
        # ARPA is a month's revenue per customer (the Finance table is monthly), so a customer "buys" 12
        # times a year and the lifespan is in years: CLV = ARPA x 12 x lifespan / 12 (no setting: any
        # other frequency would silently scale CLV, e.g. 1 for annual billing made it 12 times too small)
        KPI("clv", Call("CLV", ARPA_ALL, MONTHS_A_YEAR, Op("/", LIFESPAN_ALL, MONTHS_A_YEAR)),
            period=Call("CLV", ARPA_M, MONTHS_A_YEAR, Op("/", LIFESPAN_M, MONTHS_A_YEAR))),
        KPI("ltv_cac_ratio", Call("LTV_CAC_RATIO", LTV_ALL, CAC_ALL), target="target_ltv_cac",
            period=Call("LTV_CAC_RATIO", LTV_M, CAC_M)),
        KPI("cac_payback", Call("CAC_PAYBACK", CAC_ALL, ARPA_ALL, GM_ALL),
            target="target_cac_payback", better="lower", period=Call("CAC_PAYBACK", CAC_M, ARPA_M, GM_M)),
        KPI("crc", Call("CRC", Col("Finance", "retention_costs"), Call("AVERAGE", Col("Finance", "customers_start"))),
            better="lower", period=Call("CRC", _m("retention_costs"), START_M)),
        KPI("net_cash", Call("NET_CASH", _sum("operating_cash_flow"), _sum("investments"),
                             _sum("working_capital_increase")),
            period=Call("NET_CASH", _m("operating_cash_flow"), _m("investments"), _m("working_capital_increase"))),
    ),
    # spend and revenue by month for the chart (the 12 months ending at the month shown)
    period_series=(("spend", SPEND_M, "money"), ("revenue", REVENUE_M, "money")),
    charts=(
        Chart("spend_revenue", "column", ("window", "label"), (
            Series(("window", "spend"), "series.spend"),
            Series(("window", "revenue"), "series.revenue"),
        )),
    ),
)
