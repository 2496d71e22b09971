"""Support & complaints: resolution and first-response times, SLA, complaints by category and status."""

from ..spec import KPI, Call, Chart, Col, CountStatus, Name, Report, Series, Setting, Spill
from .tables import COMPLAINTS, TICKETS

OPENED, RESOLVED = Col("Tickets", "opened_at"), Col("Tickets", "resolved_at")
STATUS = Col("ComplaintLog", "status")

REPORT = Report(
    key="support_complaints",
    tables=(TICKETS, COMPLAINTS),
    settings=(
        Setting("sla_hours", 24, "hours"),
        Setting("target_resolution_hours", 24, "hours"),
        Setting("target_first_response_hours", 4, "hours"),
        Setting("target_sla", 0.9, "rate"),
        Setting("target_escalated", 5, "count"),
    ),
    kpis=(
        KPI("avg_resolution_hours", Call("AVG_RESOLUTION_TIME", OPENED, RESOLVED, "hours"),
            target="target_resolution_hours", better="lower", kind="hours", headline=True),
        KPI("median_resolution_hours", Call("RESOLUTION_TIME_PERCENTILE", OPENED, RESOLVED, 0.5, "hours"),
            kind="hours"),
        KPI("p90_resolution_hours", Call("RESOLUTION_TIME_PERCENTILE", OPENED, RESOLVED, 0.9, "hours"), kind="hours"),
        KPI("first_response_hours", Call("FIRST_RESPONSE_TIME", OPENED, Col("Tickets", "first_response_at"),
                                         "median", "hours"),
            target="target_first_response_hours", better="lower", kind="hours"),
        KPI("sla_compliance", Call("SLA_COMPLIANCE", OPENED, RESOLVED, Name("sla_hours")), target="target_sla",
            headline=True),
        KPI("tickets", Call("COUNTA", Col("Tickets", "ticket_id")), kind="count"),
        KPI("complaints", Call("COMPLAINTS", STATUS)),
        # canonical statuses (and, in fa/ar, the report's own word for each: see CountStatus), so the
        # dashboard counts what the category sheet counts in every language
        KPI("complaints_pending", CountStatus(STATUS, "pending"), kind="count"),
        KPI("complaints_escalated", CountStatus(STATUS, "escalated"), target="target_escalated",
            better="lower", kind="count"),
        KPI("complaints_resolved", CountStatus(STATUS, "resolved"), kind="count"),
    ),
    spills=(
        Spill("complaint_summary", Call("COMPLAINT_SUMMARY", Col("ComplaintLog", "category"), STATUS),
              rows=8, columns=6, column_kinds=("text",), body_kind="count"),
    ),
    charts=(
        Chart("complaint_status", "pie", ("kpis", 1, ("complaints_pending", "complaints_escalated",
                                                     "complaints_resolved")),
              (Series(("kpis", 2, ("complaints_pending", "complaints_escalated", "complaints_resolved")),
                      "series.complaints"),)),
    ),
)
