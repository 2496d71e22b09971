"""Survey scores: NPS with its breakdown and margin of error, CSAT, CES and eNPS."""

from ..spec import KPI, Call, Chart, Col, Match, Name, Op, Report, Series, Setting, Spill, Trend
from .periodic import in_month
from .tables import EMPLOYEES, RESPONSES

NPS_SCORES = Col("Responses", "nps_score")
# the month of each response in the settings' calendar: one PERIOD_LABEL call over the whole date
# column (an array), which the trend compares with its row's label (never one call per response)
MONTH = Call("PERIOD_LABEL", Col("Responses", "submitted_at"), "month", Name("calendar"))

# the KPIs of one month (the Periods sheet): the responses dated in the period row's month
_NPS_M = in_month("Responses", "nps_score", "submitted_at")
NPS_M = Call("NPS", _NPS_M)
MOE_M = Call("NPS_MARGIN_OF_ERROR", _NPS_M, Name("confidence_level"))
_CSAT_M = in_month("Responses", "csat_score", "submitted_at")
#: CSAT's Wilson interval (issue 16 item 6): satisfied answers (CSAT x answers, as CSAT counts them) of
#: the month's answers
CSAT_COUNTS = (Op("*", Call("CSAT", _CSAT_M, 5), Call("COUNT", _CSAT_M)), Call("COUNT", _CSAT_M))

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
        KPI("nps", Call("NPS", NPS_SCORES), target="target_nps", headline=True, period=NPS_M),
        KPI("nps_margin_of_error", Call("NPS_MARGIN_OF_ERROR", NPS_SCORES, Name("confidence_level")),
            better="lower", period=MOE_M),
        KPI("nps_responses", Call("COUNT", NPS_SCORES), kind="count", period=Call("COUNT", _NPS_M)),
        KPI("csat", Call("CSAT", Col("Responses", "csat_score"), 5), target="target_csat", headline=True,
            period=Call("CSAT", _CSAT_M, 5), interval=CSAT_COUNTS),
        KPI("csat_average", Call("CSAT_AVERAGE", Col("Responses", "csat_score"), 5), kind="score",
            period=Call("CSAT_AVERAGE", in_month("Responses", "csat_score", "submitted_at"), 5)),
        KPI("ces", Call("CES", Col("Responses", "ces_score"), 7), target="target_ces", kind="score",
            period=Call("CES", in_month("Responses", "ces_score", "submitted_at"), 7)),
        # an employee survey runs once a quarter or a year, not monthly: eNPS is over all its answers
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
    # the NPS band of the margin of error, for the NPS chart
    period_series=(("nps_low", Op("-", NPS_M, MOE_M), "points"), ("nps_high", Op("+", NPS_M, MOE_M), "points")),
    charts=(
        # NPS of the 12 months ending at the period shown with its margin of error, the number of
        # responses as columns on a second axis (a month of 3 responses is not read like one of 300);
        # a month without responses is a gap
        Chart("nps_trend", "line", ("window", "label"), (
            Series(("window", "nps"), "series.nps", labels=True),
            Series(("window", "nps_low"), "series.nps_low"),
            Series(("window", "nps_high"), "series.nps_high"),
            Series(("window", "nps_responses"), "series.responses", axis="secondary", kind="column"),
        ), y_title="series.nps", y2_title="series.responses"),
        Chart("nps_groups", "column", ("spill", "nps_breakdown", 1, 3),
              (Series(("spill", "nps_breakdown", 2, 3), "series.responses"),)),
        Chart("csat_scores", "column", ("spill", "csat_distribution", 1, None),
              (Series(("spill", "csat_distribution", 3, None), "series.share"),), percent=True),
    ),
)
