"""Survey scores: NPS with its breakdown and margin of error, CSAT, CES and eNPS.

The scales (session 4): CSAT's satisfied boxes depend on the top of the survey's scale, so the report
reads it from the Settings sheet, ``csat_scale``, blank until the user enters it (CSAT and the average
satisfaction score say "n/a: enter the top of your CSAT scale ..." meanwhile); ``ces_scale`` is CES
2.0's 7. See :mod:`.survey_scale` for why, and for what the Data check says about the answers.

Month by month (session 4): the Periods sheet holds every KPI of every month (NPS, its margin and
band, responses, CSAT, the average, CES). The "Trend by month" sheet repeated NPS, CSAT, CES and the
responses of the same months with the same formulas: 36 more Python calls at every recalculation
(of 155 at 10,000 responses), for no number the Periods sheet does not show. It is gone. The NPS
band of the Periods sheet (NPS -/+ its margin, for the NPS chart) called NPS and NPS_MARGIN_OF_ERROR
again in every month's row (48 calls); it reads the row's own two cells now (``PeriodOf``: ``=($C4-$D4)``).
71 calls remain: five per month (NPS, its margin, CSAT, the average, CES), the dashboard's whole-data
cells, the two spilled tables and the month labels. Every value is the same (tests/test_survey_calls.py).

CES (session 5): the original CES (1-5 effort, lower is better) and CES 2.0 (1-7 "made it easy", higher
is better) point opposite ways, so each has its row, target and direction (``ces`` / ``ces_effort``),
and ``ces_question`` says which the survey asks; blank is CES 2.0 on its 1-7 scale only, n/a elsewhere
(:mod:`.survey_ces`).

The NPS band (session 5): NPS_MARGIN_OF_ERROR is the adjusted-Wald margin (a month of 3 answers, all
promoters, had a Wald margin of 0), whose interval is centred on NPS x n / (n + 3); the band draws that
interval cut to -100..100 (a month of 5 answers at NPS -60 drew its lower line at -130), from the
Periods row's own NPS, margin and response cells: no call more.
"""

from ..spec import KPI, Call, Chart, Col, Name, Op, PeriodOf, Report, Series, Setting, Spill
from .periodic import in_month
from .survey_ces import CES_QUESTIONS, as_ces
from .survey_scale import on_csat_scale
from .tables import EMPLOYEES, RESPONSES

NPS_SCORES = Col("Responses", "nps_score")
CSAT_SCORES = Col("Responses", "csat_score")
CES_SCORES = Col("Responses", "ces_score")

# the KPIs of one month (the Periods sheet): the responses dated in the period row's month
_NPS_M = in_month("Responses", "nps_score", "submitted_at")
NPS_M = Call("NPS", _NPS_M)
MOE_M = Call("NPS_MARGIN_OF_ERROR", _NPS_M, Name("confidence_level"))
_CSAT_M = in_month("Responses", "csat_score", "submitted_at")
_CES_M = in_month("Responses", "ces_score", "submitted_at")
CSAT_SCALE, CES_SCALE = Name("csat_scale"), Name("ces_scale")
#: CSAT's Wilson interval (issue 16 item 6): satisfied answers (CSAT x answers, as CSAT counts them) of
#: the month's answers (the dashboard shows it only while CSAT is a number: with the scale entered)
CSAT_COUNTS = (Op("*", Call("CSAT", _CSAT_M, CSAT_SCALE), Call("COUNT", _CSAT_M)), Call("COUNT", _CSAT_M))

#: the month's NPS, margin and responses as the Periods row already holds them (its own cells: no second call)
NPS_ROW, MOE_ROW = PeriodOf("nps", NPS_M), PeriodOf("nps_margin_of_error", MOE_M)
N_ROW = PeriodOf("nps_responses", Call("COUNT", _NPS_M))
#: the centre of the month's adjusted-Wald interval, NPS x n / (n + 3) (NPS_MARGIN_OF_ERROR: the 3/4
#: pseudo-promoter and 3/4 pseudo-detractor cancel in the difference, the 3 pseudo-answers stay in n)
NPS_CENTRE = Op("*", NPS_ROW, Op("/", N_ROW, Op("+", N_ROW, 3)))
#: the NPS band (C3): the adjusted-Wald interval of the month, cut to the scale's -100..100 -- NPS -/+ a
#: Wald margin drew a month of 5 answers at NPS -60 down to -130, on an axis running to -150
#: A month without NPS answers reads its NPS cell's own "n/a: no responses in ..." (live, arithmetic on
#: that text was #VALUE!, where --values wrote the n/a; session 6)
NPS_LOW = Call("IF", Call("ISNUMBER", NPS_ROW), Call("MAX", -100, Op("-", NPS_CENTRE, MOE_ROW)), NPS_ROW)
NPS_HIGH = Call("IF", Call("ISNUMBER", NPS_ROW), Call("MIN", 100, Op("+", NPS_CENTRE, MOE_ROW)), NPS_ROW)

REPORT = Report(
    key="survey_scores",
    tables=(RESPONSES, EMPLOYEES),
    settings=(
        Setting("target_nps", 30, "points"),
        Setting("target_csat", 0.8, "rate"),
        # CES 2.0 (agreement, 1-7): higher is better; the original CES (effort, 1-5): lower is better
        # (survey_ces.py: 2.0 is where 5.5 sits on CES 2.0's scale, three quarters of the way to the best)
        Setting("target_ces", 5.5, "score"),
        Setting("target_ces_effort", 2.0, "score"),
        Setting("target_enps", 20, "points"),
        Setting("confidence_level", 0.95, "rate"),
        Setting("calendar", "gregorian", "text"),
        # the top of the survey's CSAT scale (5 for 1-5, 3 for 1-3, 2 for bad/good): the user's own
        # survey, blank until entered (survey_scale.py); CES 2.0's 1-7 agreement scale by default
        Setting("csat_scale", None, "count"),
        Setting("ces_scale", 7, "count"),
        # what the CES question asks: easy (CES 2.0) or effort (the original); blank: CES 2.0 on 1-7 only
        Setting("ces_question", None, "text", choices=CES_QUESTIONS),
    ),
    kpis=(
        KPI("nps", Call("NPS", NPS_SCORES), target="target_nps", headline=True, period=NPS_M),
        KPI("nps_margin_of_error", Call("NPS_MARGIN_OF_ERROR", NPS_SCORES, Name("confidence_level")),
            better="lower", period=MOE_M),
        KPI("nps_responses", Call("COUNT", NPS_SCORES), kind="count", period=Call("COUNT", _NPS_M)),
        KPI("csat", on_csat_scale(Call("CSAT", CSAT_SCORES, CSAT_SCALE)), target="target_csat", kind="rate",
            headline=True, period=on_csat_scale(Call("CSAT", _CSAT_M, CSAT_SCALE)), interval=CSAT_COUNTS),
        KPI("csat_average", on_csat_scale(Call("CSAT_AVERAGE", CSAT_SCORES, CSAT_SCALE)), kind="score",
            period=on_csat_scale(Call("CSAT_AVERAGE", _CSAT_M, CSAT_SCALE))),
        KPI("ces", as_ces("easy", Call("CES", CES_SCORES, CES_SCALE)), target="target_ces", kind="score",
            period=as_ces("easy", Call("CES", _CES_M, CES_SCALE))),
        KPI("ces_effort", as_ces("effort", Call("CES", CES_SCORES, CES_SCALE)), target="target_ces_effort",
            better="lower", kind="score", period=as_ces("effort", Call("CES", _CES_M, CES_SCALE))),
        # an employee survey runs once a quarter or a year, not monthly: eNPS is over all its answers
        KPI("enps", Call("ENPS", Col("EmployeeSurvey", "enps_score")), target="target_enps"),
    ),
    spills=(
        Spill("nps_breakdown", Call("NPS_BREAKDOWN", NPS_SCORES, Name("confidence_level")),
              rows=7, columns=4, column_kinds=("text", "count", "rate", "points")),
        # asks for csat_scale like the CSAT rows while it is blank (reviewer's C3: the chart was drawn on a
        # 1-5 guess beside two n/a rows); the chart stays empty until the scale is entered
        Spill("csat_distribution", on_csat_scale(Call("CSAT_DISTRIBUTION", CSAT_SCORES, CSAT_SCALE)), rows=6, columns=3,
              column_kinds=("count", "count", "rate")),
    ),
    # the NPS band of the margin of error, for the NPS chart: the month's interval, within -100..100
    period_series=(("nps_low", NPS_LOW, "points"), ("nps_high", NPS_HIGH, "points")),
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
