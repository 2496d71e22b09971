"""Revenue: MRR, the monthly MRR bridge (MRR_MOVEMENTS), NRR, GRR, quick ratio and expansion."""

from ..spec import KPI, Call, Chart, Col, Name, Report, Series, Setting, Spill, SpillCol
from .tables import ACCOUNTS, SUBSCRIPTIONS

PREV, CUR = Col("Accounts", "previous_mrr"), Col("Accounts", "current_mrr")
# MRR_MOVEMENTS columns: 1 Month, 2 Starting, 3 New, 4 Expansion, 5 Contraction, 6 Churned,
# 7 Reactivation, 8 Ending MRR, 9 Customers at start, 10 New, 11 Churned, 12 Reactivated, 13 at end
MOVES = "mrr_movements"

REPORT = Report(
    key="revenue",
    tables=(SUBSCRIPTIONS, ACCOUNTS),
    settings=(
        Setting("target_nrr", 1.0, "rate"),
        Setting("target_grr", 0.9, "rate"),
        Setting("target_quick_ratio", 4, "ratio"),
        Setting("calendar", "gregorian", "text"),
    ),
    spills=(
        Spill(MOVES, Call("MRR_MOVEMENTS", Col("Subscriptions", "customer_id"), Col("Subscriptions", "month"),
                          Col("Subscriptions", "mrr"), Name("calendar")), rows=13, columns=13,
              column_kinds=("text",) + ("money",) * 7, body_kind="count"),
    ),
    kpis=(
        KPI("mrr", Call("SUM", CUR), kind="money", headline=True),
        KPI("nrr", Call("NRR", PREV, CUR), target="target_nrr", headline=True),
        KPI("grr", Call("GRR", PREV, CUR), target="target_grr"),
        KPI("expansion_mrr", Call("EXPANSION_MRR", PREV, CUR)),
        KPI("quick_ratio", Call("QUICK_RATIO", Call("SUM", SpillCol(MOVES, 3)), Call("SUM", SpillCol(MOVES, 4)),
                                Call("SUM", SpillCol(MOVES, 6)), Call("SUM", SpillCol(MOVES, 5)),
                                Call("SUM", SpillCol(MOVES, 7))), target="target_quick_ratio"),
    ),
    charts=(
        Chart("mrr_trend", "line", ("spill", MOVES, 1, None), (Series(("spill", MOVES, 8, None), "series.ending_mrr"),)),
        Chart("mrr_bridge", "column", ("spill", MOVES, 1, None), (
            Series(("spill", MOVES, 3, None), "series.new_mrr"),
            Series(("spill", MOVES, 4, None), "series.expansion_mrr"),
            Series(("spill", MOVES, 5, None), "series.contraction_mrr"),
            Series(("spill", MOVES, 6, None), "series.churned_mrr"),
        ), skip_first=True),
    ),
)
