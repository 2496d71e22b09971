"""Support & complaints: resolution and first-response times (calendar and business hours), SLA by
priority on the report's working week, backlog, tickets per agent, group, channel and priority,
reopens, one-touch resolutions, complaints by category and status.

The working week is the ``work_schedule`` setting: a preset name (``iran``, ``saudi``, ``uae``,
``egypt``, ``western``, ``24x7``) or hours (``Sun-Thu 09:00-17:00``). The builder writes the
language's preset there (fa ``iran``, ar ``saudi``, en ``western``); left blank, it is the week of the
report's calendar (Jalali -> ``iran``, Hijri -> ``saudi``, Gregorian -> ``western``), with that
country's official holidays. ``holidays`` adds days
off (dates, Jalali/Hijri text) or another country (``DE``). A part whose column the export lacks
(no priority, no agent, no reopen count) is left out, and the report says which column it needs.

Month by month (the Periods sheet and the dashboard's comparison), a ticket belongs to a month as
Freshdesk's reports count it: "Received tickets" are the tickets created in the span of the report,
"Resolved tickets" those resolved in it "irrespective of when the ticket is created"
(community.freshworks.com, "How exactly reports are calculated", Freshworks' answer; Zendesk
Explore's default Support dashboard likewise reports resolution times on the ticket's solved date):

* tickets opened in the month: ``tickets``, the first-reply times (calendar and business hours) and
  both SLA compliances (the tickets that came in that month, judged as SLA_COMPLIANCE judges: a
  ticket still open counts only with ``sla_as_of``, as a breach once past its target; so the latest
  month's figure can still move while its tickets close);
* tickets resolved in the month: the resolution times (average, median, 90th percentile, business
  median), the reopen rate and the one-touch rate (both are shares of solved tickets);
* complaints received in the month: ``complaints``, and of them those pending, escalated and
  resolved as the log stands now (an export holds no status history). They used to be counted over
  the whole log beside "Period shown" (reviewer's G23: May read 3 complaints, 3 pending, 1
  escalated, 4 resolved; May's own three are 1, 1 and 1), so the four did not add up and the
  escalated target was judged on every month at once. The whole-log counts stay in the complaint
  summary table.

The months of the report are those in which a ticket was opened or a complaint received (in the
report's calendar).
"""

from ..spec import KPI, Call, Chart, Col, CountStatus, Name, Op, Report, Series, Setting, Spill
from .periodic import in_month
from .tables import COMPLAINTS, TICKETS

OPENED, RESOLVED = Col("Tickets", "opened_at"), Col("Tickets", "resolved_at")
FIRST = Col("Tickets", "first_response_at")
PRIORITY, ASSIGNEE = Col("Tickets", "priority"), Col("Tickets", "assignee")
STATUS = Col("ComplaintLog", "status")


def _status_m(status: str):
    """The complaints received in the period row's month whose status is ``status`` now (canonical: the
    reader canonicalises statuses, exports.statuses; in fa/ar also the report's own word, typed by hand,
    as the whole-log count: CountStatus); 0 for a log without rows, as ``complaints``."""
    return Call("IF", Op("=", Call("COUNTA", STATUS), 0), 0,
                CountStatus(in_month("ComplaintLog", "status", "received_at"), status))
# the schedule: the setting, or, left blank, the preset of the report's calendar
SCHEDULE = Call("IF", Op("=", Name("work_schedule"), ""), Name("calendar"), Name("work_schedule"))
HOLIDAYS = Name("holidays")
AS_OF = Name("sla_as_of")


def _opened(column: str):
    """``column`` of the tickets opened in the period row's month (blank elsewhere)."""
    return in_month("Tickets", column, "opened_at")


def _solved(column: str):
    """``column`` of the tickets resolved in the period row's month (blank elsewhere, open ones too)."""
    return in_month("Tickets", column, "resolved_at")


# a month's tickets by when they were resolved: their opened and resolved times
O_R, R_R = _solved("opened_at"), _solved("resolved_at")
# a month's tickets by when they were opened
O_O, R_O, F_O = _opened("opened_at"), _opened("resolved_at"), _opened("first_response_at")

# SLA compliance of the month's tickets and its Wilson interval: of the tickets opened in the month,
# those resolved (the ones SLA_COMPLIANCE judges without sla_as_of) are the trials
# With sla_as_of (the report fills it with the export's last event when left blank: reviewer's G39, two
# tickets open three weeks past a 24 h target read 100 %), open tickets past their target are breaches
# and count among the judged. The Wilson interval this row had (resolved tickets as the trials) would
# leave those breaches out of its trials, and no formula of the sheet counts them without a column
# per ticket: the row has no interval rather than a wrong one.
SLA_M = Call("SLA_COMPLIANCE", O_O, R_O, Name("sla_hours"), AS_OF)

# the shares of a month's solved tickets and their Wilson intervals (RATE_INTERVAL beside the
# value): the solved tickets with a reopen count (REOPEN_RATE's denominator), with a reply count
# (every solved ticket: ONE_TOUCH_RESOLUTION_RATE refuses a solved one without it)
REOPEN_M = Call("REOPEN_RATE", _solved("reopens"), R_R)
ONE_TOUCH_M = Call("ONE_TOUCH_RESOLUTION_RATE", _solved("replies"), R_R)
SOLVED_COUNTED, SOLVED_REPLIES = Call("COUNT", _solved("reopens")), Call("COUNT", _solved("replies"))

# TICKETS_BY columns: Key, Tickets, Solved, Open, Median resolution (h), P90 resolution (h), then
# SLA compliance (with sla) or Rated, CSAT (with ratings)
_BY_KINDS = ("text", "count", "count", "count", "hours", "hours", "rate")


def _by(key: str, column: str, sla=None, priorities="") -> Spill:
    sla = Name("sla_hours") if sla is None else sla
    return Spill(key, Call("TICKETS_BY", Col("Tickets", column), OPENED, RESOLVED, "", sla, priorities, "",
                           SCHEDULE, AS_OF, HOLIDAYS),
                 rows=12, columns=7, column_kinds=_BY_KINDS, body_kind="count")


# SLA_POLICY_COMPLIANCE columns: Priority, Target (h), Tickets, Met, Breached, Open breached, Open, Compliance
_SLA_KINDS = ("text", "hours", "count", "count", "count", "count", "count", "rate")

REPORT = Report(
    key="support_complaints",
    tables=(TICKETS, COMPLAINTS),
    settings=(
        Setting("sla_hours", 24, "hours"),
        Setting("target_resolution_hours", 24, "hours"),
        Setting("target_first_response_hours", 4, "hours"),
        Setting("target_sla", 0.9, "rate"),
        Setting("target_escalated", 5, "count"),
        Setting("calendar", "gregorian", "text"),
        Setting("work_schedule", "", "text"),
        Setting("holidays", "", "text"),
        Setting("sla_policy", "urgent 4, high 8, normal 24, low 48", "text"),
        Setting("first_reply_policy", "urgent 1, high 2, normal 8, low 24", "text"),
        Setting("sla_as_of", "", "datetime"),
        # the top of numeric ticket ratings' scale (TICKETS_BY's scale_max): blank reads words
        # (Good/Bad) and 1-5 numbers; a 1-3 or 1-2 numeric export asks for it (#VALUE!), never 0 %
        Setting("csat_scale", None, "count"),
    ),
    kpis=(
        KPI("avg_resolution_hours", Call("AVG_RESOLUTION_TIME", OPENED, RESOLVED, "hours"),
            target="target_resolution_hours", better="lower", kind="hours", headline=True,
            period=Call("AVG_RESOLUTION_TIME", O_R, R_R, "hours")),
        KPI("median_resolution_hours", Call("RESOLUTION_TIME_PERCENTILE", OPENED, RESOLVED, 0.5, "hours"),
            kind="hours", better="lower", period=Call("RESOLUTION_TIME_PERCENTILE", O_R, R_R, 0.5, "hours")),
        KPI("p90_resolution_hours", Call("RESOLUTION_TIME_PERCENTILE", OPENED, RESOLVED, 0.9, "hours"), kind="hours",
            better="lower", period=Call("RESOLUTION_TIME_PERCENTILE", O_R, R_R, 0.9, "hours")),
        KPI("first_response_hours", Call("FIRST_RESPONSE_TIME", OPENED, FIRST, "median", "hours"),
            target="target_first_response_hours", better="lower", kind="hours",
            period=Call("FIRST_RESPONSE_TIME", O_O, F_O, "median", "hours")),
        KPI("sla_compliance", Call("SLA_COMPLIANCE", OPENED, RESOLVED, Name("sla_hours"), AS_OF), target="target_sla",
            headline=True, period=SLA_M),
        # the same on the working week (business hours)
        KPI("median_resolution_business_hours", Call("RESOLUTION_TIME_PERCENTILE", OPENED, RESOLVED, 0.5, "hours",
                                                     SCHEDULE, HOLIDAYS), kind="hours", better="lower",
            period=Call("RESOLUTION_TIME_PERCENTILE", O_R, R_R, 0.5, "hours", SCHEDULE, HOLIDAYS)),
        KPI("first_response_business_hours", Call("FIRST_RESPONSE_TIME", OPENED, FIRST, "median", "hours",
                                                  SCHEDULE, HOLIDAYS),
            target="target_first_response_hours", better="lower", kind="hours",
            period=Call("FIRST_RESPONSE_TIME", O_O, F_O, "median", "hours", SCHEDULE, HOLIDAYS)),
        KPI("sla_compliance_business_hours", Call("SLA_COMPLIANCE", OPENED, RESOLVED, Name("sla_hours"), AS_OF,
                                                  SCHEDULE, HOLIDAYS), target="target_sla", headline=True,
            period=Call("SLA_COMPLIANCE", O_O, R_O, Name("sla_hours"), AS_OF, SCHEDULE, HOLIDAYS)),
        KPI("reopen_rate", Call("REOPEN_RATE", Col("Tickets", "reopens"), RESOLVED), better="lower",
            period=REOPEN_M, interval=(Op("*", REOPEN_M, SOLVED_COUNTED), SOLVED_COUNTED)),
        KPI("one_touch_rate", Call("ONE_TOUCH_RESOLUTION_RATE", Col("Tickets", "replies"), RESOLVED),
            period=ONE_TOUCH_M, interval=(Op("*", ONE_TOUCH_M, SOLVED_REPLIES), SOLVED_REPLIES)),
        # the tickets opened in the month: COUNT of their opening times (dates are numbers; COUNTA
        # would count the other months' blanks "" in Excel); more tickets is neither good nor bad
        KPI("tickets", Call("COUNTA", Col("Tickets", "ticket_id")), kind="count", better="neutral",
            period=Call("COUNT", O_O)),
        KPI("complaints", Call("COMPLAINTS", STATUS), better="lower",
            # 0 for a log without rows (PERIOD_LABEL of no date at all is #VALUE!)
            period=Call("IF", Op("=", Call("COUNTA", STATUS), 0), 0,
                        Call("COMPLAINTS", in_month("ComplaintLog", "status", "received_at")))),
        # canonical statuses (and, in fa/ar, the report's own word for each: see CountStatus), so the
        # dashboard counts what the category sheet counts in every language
        KPI("complaints_pending", CountStatus(STATUS, "pending"), kind="count", period=_status_m("pending")),
        KPI("complaints_escalated", CountStatus(STATUS, "escalated"), target="target_escalated",
            better="lower", kind="count", period=_status_m("escalated")),
        KPI("complaints_resolved", CountStatus(STATUS, "resolved"), kind="count", period=_status_m("resolved")),
    ),
    spills=(
        Spill("sla_by_priority", Call("SLA_POLICY_COMPLIANCE", OPENED, RESOLVED, PRIORITY, Name("sla_policy"),
                                      SCHEDULE, AS_OF, HOLIDAYS),
              rows=8, columns=8, column_kinds=_SLA_KINDS, body_kind="count"),
        Spill("first_reply_sla_by_priority", Call("SLA_POLICY_COMPLIANCE", OPENED, FIRST, PRIORITY,
                                                  Name("first_reply_policy"), SCHEDULE, AS_OF, HOLIDAYS),
              rows=8, columns=8, column_kinds=_SLA_KINDS, body_kind="count"),
        Spill("sla_breaches", Call("SLA_BREACHES", Col("Tickets", "ticket_id"), OPENED, RESOLVED, PRIORITY,
                                   Name("sla_policy"), SCHEDULE, AS_OF, HOLIDAYS),
              rows=20, columns=6, column_kinds=("text", "text", "hours", "hours", "hours", "text"),
              body_kind="hours"),
        _by("tickets_by_agent", "assignee"),
        _by("tickets_by_group", "group"),
        _by("tickets_by_channel", "channel"),
        _by("tickets_by_priority", "priority", sla=Name("sla_policy"), priorities=PRIORITY),
        Spill("satisfaction_by_agent", Call("TICKETS_BY", ASSIGNEE, OPENED, RESOLVED, "", "", "",
                                            Col("Tickets", "satisfaction"), SCHEDULE, "", HOLIDAYS,
                                            Name("csat_scale")),
              rows=12, columns=8, column_kinds=_BY_KINDS[:6] + ("count", "rate"), body_kind="count"),
        Spill("backlog", Call("BACKLOG", OPENED, RESOLVED, "", "day", Name("calendar")),
              rows=32, columns=4, column_kinds=("text",), body_kind="count"),
        Spill("complaint_summary", Call("COMPLAINT_SUMMARY", Col("ComplaintLog", "category"), STATUS),
              rows=8, columns=6, column_kinds=("text",), body_kind="count"),
    ),
    charts=(
        Chart("backlog", "line", ("spill", "backlog", 1, None),
              (Series(("spill", "backlog", 4, None), "series.backlog"),)),
        Chart("complaint_status", "pie", ("kpis", 1, ("complaints_pending", "complaints_escalated",
                                                     "complaints_resolved")),
              (Series(("kpis", 2, ("complaints_pending", "complaints_escalated", "complaints_resolved")),
                      "series.complaints"),)),
    ),
)
