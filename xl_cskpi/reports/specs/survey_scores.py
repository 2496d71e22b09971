"""Survey scores: NPS with its breakdown and margin of error, CSAT, CES and eNPS."""

from ..spec import KPI, Call, Chart, Col, Match, Name, Report, Series, Setting, Spill, Trend
from .tables import EMPLOYEES, RESPONSES

NPS_SCORES = Col("Responses", "nps_score")
# the month of each response in the settings' calendar: one PERIOD_LABEL call over the whole date
# column (an array), which the trend compares with its row's label (never one call per response)
MONTH = Call("PERIOD_LABEL", Col("Responses", "submitted_at"), "month", Name("calendar"))

REPORT = Report(
    key="survey_scores",
    tables=(RESPONSES, EMPLOYEES),
    settings=(
        Setting("target_nps", 30, "points"),
        Setting("target_csat", 0.8, "rate"),
        Setting("target_ces", 5.5, "score"),
        Setting("target_enps", 20, "points"),
        Setting("confidence_level", 0.95, "rate"),
        Setting("calendar", "gregorian", "text"),
    ),
    kpis=(
        KPI("nps", Call("NPS", NPS_SCORES), target="target_nps", headline=True),
        KPI("nps_margin_of_error", Call("NPS_MARGIN_OF_ERROR", NPS_SCORES, Name("confidence_level"))),
        KPI("nps_responses", Call("COUNT", NPS_SCORES), kind="count"),
        KPI("csat", Call("CSAT", Col("Responses", "csat_score"), 5), target="target_csat", headline=True),
        KPI("csat_average", Call("CSAT_AVERAGE", Col("Responses", "csat_score"), 5), kind="score"),
        KPI("ces", Call("CES", Col("Responses", "ces_score"), 7), target="target_ces", kind="score"),
        KPI("enps", Call("ENPS", Col("EmployeeSurvey", "enps_score")), target="target_enps"),
    ),
    spills=(
        Spill("nps_breakdown", Call("NPS_BREAKDOWN", NPS_SCORES, Name("confidence_level")),
              rows=7, columns=4, column_kinds=("text", "count", "rate", "points")),
        Spill("csat_distribution", Call("CSAT_DISTRIBUTION", Col("Responses", "csat_score"), 5), rows=6, columns=3,
              column_kinds=("count", "count", "rate")),
    ),
    trends=(
        Trend("survey_trend", MONTH, (
            ("nps", Call("NPS", Match(NPS_SCORES, MONTH))),
            ("csat", Call("CSAT", Match(Col("Responses", "csat_score"), MONTH), 5)),
            ("ces", Call("CES", Match(Col("Responses", "ces_score"), MONTH), 7)),
            ("responses", Call("COUNT", Match(NPS_SCORES, MONTH))),
        ), kinds=("points", "rate", "score", "count")),
    ),
    charts=(
        Chart("nps_trend", "line", ("trend", "survey_trend", 1), (
            Series(("trend", "survey_trend", 2), "series.nps"),)),
        Chart("nps_groups", "column", ("spill", "nps_breakdown", 1, 3),
              (Series(("spill", "nps_breakdown", 2, 3), "series.responses"),)),
        Chart("csat_scores", "column", ("spill", "csat_distribution", 1, None),
              (Series(("spill", "csat_distribution", 3, None), "series.share"),), percent=True),
    ),
)
