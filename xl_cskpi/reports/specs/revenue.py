"""Revenue: MRR, the monthly MRR bridge (MRR_MOVEMENTS), NRR, GRR, quick ratio and expansion."""

from ..spec import KPI, Call, Chart, Col, Cols, Name, Op, Report, Series, Setting, Spill, SpillAt, SpillCol
from .tables import ACCOUNTS, RATES, SUBSCRIPTIONS

PREV, CUR = Col("Accounts", "previous_mrr"), Col("Accounts", "current_mrr")
# MRR_MOVEMENTS columns: 1 Month, 2 Starting, 3 New, 4 Expansion, 5 Contraction, 6 Churned,
# 7 Reactivation, 8 Ending MRR, 9 Customers at start, 10 New, 11 Churned, 12 Reactivated, 13 at end
MOVES = "mrr_movements"
# several currencies (issue 16.3): the bridge in the reporting currency with rate moves kept out of
# expansion/contraction, in a 14th column "FX impact MRR" (MRR_MOVEMENTS_FX), so that it closes:
# start + new + expansion + reactivation - contraction - churned + FX impact = end
FX_MOVES = "mrr_movements_fx"

# one month of the bridge: MRR_MOVEMENTS' row of the period row's month (#N/A for a month it has not)
START, NEW, EXP, CONTR, CHURNED, REACT, END = (SpillAt(MOVES, c) for c in (2, 3, 4, 5, 6, 7, 8))
# NRR and GRR of one month from its movements (ChartMogul: reactivation is not retention):
# (starting + expansion - contraction - churned) / starting and (starting - contraction - churned) / starting
NRR_M = Op("/", Op("-", Op("-", Op("+", START, EXP), CONTR), CHURNED), START)
GRR_M = Op("/", Op("-", Op("-", START, CONTR), CHURNED), START)
QUICK_M = Call("QUICK_RATIO", NEW, EXP, CHURNED, CONTR, REACT)

REPORT = Report(
    key="revenue",
    tables=(SUBSCRIPTIONS, ACCOUNTS, RATES),
    settings=(
        Setting("target_nrr", 1.0, "rate"),
        Setting("target_grr", 0.9, "rate"),
        Setting("target_quick_ratio", 4, "ratio"),
        Setting("calendar", "gregorian", "text"),
        # TRUE: net MRR churn counts reactivation as a gain (ChartMogul); FALSE: it does not (Baremetrics)
        Setting("mrr_churn_reactivation", True, "text"),
        # the currency of the mrr column (worth 1, needs no rates); blank: every currency has rates
        Setting("reporting_currency", "", "text"),
    ),
    spills=(
        Spill(MOVES, Call("MRR_MOVEMENTS", Col("Subscriptions", "customer_id"), Col("Subscriptions", "month"),
                          Col("Subscriptions", "mrr"), Name("calendar")), rows=13, columns=13,
              column_kinds=("text",) + ("money",) * 7, body_kind="count"),
        Spill(FX_MOVES, Call("MRR_MOVEMENTS_FX", Col("Subscriptions", "customer_id"), Col("Subscriptions", "month"),
                             Col("Subscriptions", "mrr_local"), Col("Subscriptions", "currency"),
                             Cols("Rates", "date", "rate"), Name("reporting_currency"), Name("calendar")),
              rows=13, columns=14, column_kinds=("text",) + ("money",) * 7 + ("count",) * 5, body_kind="money"),
    ),
    kpis=(
        KPI("mrr", Call("SUM", CUR), kind="money", headline=True, period=END),
        KPI("nrr", Call("NRR", PREV, CUR), target="target_nrr", headline=True, period=NRR_M),
        KPI("grr", Call("GRR", PREV, CUR), target="target_grr", period=GRR_M),
        KPI("expansion_mrr", Call("EXPANSION_MRR", PREV, CUR), period=EXP),
        KPI("quick_ratio", Call("QUICK_RATIO", Call("SUM", SpillCol(MOVES, 3)), Call("SUM", SpillCol(MOVES, 4)),
                                Call("SUM", SpillCol(MOVES, 6)), Call("SUM", SpillCol(MOVES, 5)),
                                Call("SUM", SpillCol(MOVES, 7))), target="target_quick_ratio", period=QUICK_M),
        # (E, issue 16) ARR, ARPA, ASP and MRR churn rates of the month shown, from its movements
        KPI("arr", Call("ARR", CUR), kind="money", period=Call("ARR", END)),
        KPI("arpa", Call("ARPA", CUR), kind="money", period=Call("ARPA", END, SpillAt(MOVES, 13))),
        KPI("asp", Call("ASP", Call("SUM", SpillCol(MOVES, 3)), Call("SUM", SpillCol(MOVES, 10))), kind="money",
            period=Call("ASP", NEW, SpillAt(MOVES, 10))),
        KPI("net_mrr_churn", Call("NET_MRR_CHURN_RATE", *(Call("SUM", SpillCol(MOVES, c)) for c in (2, 6, 5, 4, 7)),
                                  Name("mrr_churn_reactivation")), better="lower",
            period=Call("NET_MRR_CHURN_RATE", START, CHURNED, CONTR, EXP, REACT, Name("mrr_churn_reactivation"))),
        # the month's MRR change from exchange rates alone (last month's local MRR revalued): n/a with one
        # currency (no currency column, or no rates given)
        KPI("fx_impact_mrr", Call("SUM", SpillCol(FX_MOVES, 14)), kind="money", better="neutral",
            period=SpillAt(FX_MOVES, 14)),
        KPI("gross_mrr_churn", Call("GROSS_MRR_CHURN_RATE", *(Call("SUM", SpillCol(MOVES, c)) for c in (2, 6, 5))),
            better="lower", period=Call("GROSS_MRR_CHURN_RATE", START, CHURNED, CONTR)),
    ),
    # the bridge by month, losses below zero (stacked columns)
    # (none in the first month of the data, which starts from nothing: all of its MRR would be "new")
    period_series=tuple((key, Call("IF", Op("=", START, 0), Call("NA"), expr), "money") for key, expr in (
        ("new_mrr", NEW), ("reactivation_mrr", REACT),
        ("contraction_mrr", Op("-", 0, CONTR)), ("churned_mrr", Op("-", 0, CHURNED)))),
    waterfall=(MOVES, (("series.starting_mrr", 2, "total"), ("series.new_mrr", 3, "up"),
                       ("series.expansion_mrr", 4, "up"), ("series.reactivation_mrr", 7, "up"),
                       ("series.contraction_mrr", 5, "down"), ("series.churned_mrr", 6, "down"),
                       ("series.ending_mrr", 8, "total"))),
    charts=(
        Chart("mrr_trend", "line", ("window", "label"), (Series(("window", "mrr"), "series.ending_mrr"),)),
        Chart("mrr_bridge", "column", ("window", "label"), (
            Series(("window", "new_mrr"), "series.new_mrr"),
            Series(("window", "expansion_mrr"), "series.expansion_mrr"),
            Series(("window", "reactivation_mrr"), "series.reactivation_mrr"),
            Series(("window", "contraction_mrr"), "series.contraction_mrr"),
            Series(("window", "churned_mrr"), "series.churned_mrr"),
        ), stacked=True),
        # from starting to ending MRR of the period shown: an invisible base under each step
        Chart("mrr_waterfall", "column", ("waterfall", "label"), (
            Series(("waterfall", "base"), "series.base", hidden=True),
            Series(("waterfall", "up"), "series.increase"),
            Series(("waterfall", "down"), "series.decrease"),
        ), stacked=True),
    ),
)
