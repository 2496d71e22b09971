"""Support & complaints: resolution and first-response times (calendar and business hours), SLA by
priority on the report's working week, backlog, tickets per agent, group, channel and priority,
reopens, one-touch resolutions, complaints by category and status.

The working week is the ``work_schedule`` setting: a preset name (``iran``, ``saudi``, ``uae``,
``egypt``, ``western``, ``24x7``) or hours (``Sun-Thu 09:00-17:00``); blank, it is the week of the
report's calendar (the ``calendar`` setting follows the language: Jalali -> ``iran``, Hijri ->
``saudi``, Gregorian -> ``western``), with that country's official holidays. ``holidays`` adds days
off (dates, Jalali/Hijri text) or another country (``DE``). A part whose column the export lacks
(no priority, no agent, no reopen count) is left out, and the report says which column it needs.
"""

from ..spec import KPI, Call, Chart, Col, CountStatus, Name, Op, Report, Series, Setting, Spill
from .tables import COMPLAINTS, TICKETS

OPENED, RESOLVED = Col("Tickets", "opened_at"), Col("Tickets", "resolved_at")
FIRST = Col("Tickets", "first_response_at")
PRIORITY, ASSIGNEE = Col("Tickets", "priority"), Col("Tickets", "assignee")
STATUS = Col("ComplaintLog", "status")
# the schedule: the setting, or, left blank, the preset of the report's calendar
SCHEDULE = Call("IF", Op("=", Name("work_schedule"), ""), Name("calendar"), Name("work_schedule"))
HOLIDAYS = Name("holidays")
AS_OF = Name("sla_as_of")

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
    ),
    kpis=(
        KPI("avg_resolution_hours", Call("AVG_RESOLUTION_TIME", OPENED, RESOLVED, "hours"),
            target="target_resolution_hours", better="lower", kind="hours", headline=True),
        KPI("median_resolution_hours", Call("RESOLUTION_TIME_PERCENTILE", OPENED, RESOLVED, 0.5, "hours"),
            kind="hours"),
        KPI("p90_resolution_hours", Call("RESOLUTION_TIME_PERCENTILE", OPENED, RESOLVED, 0.9, "hours"), kind="hours"),
        KPI("first_response_hours", Call("FIRST_RESPONSE_TIME", OPENED, FIRST, "median", "hours"),
            target="target_first_response_hours", better="lower", kind="hours"),
        KPI("sla_compliance", Call("SLA_COMPLIANCE", OPENED, RESOLVED, Name("sla_hours")), target="target_sla",
            headline=True),
        # the same on the working week (business hours)
        KPI("median_resolution_business_hours", Call("RESOLUTION_TIME_PERCENTILE", OPENED, RESOLVED, 0.5, "hours",
                                                     SCHEDULE, HOLIDAYS), kind="hours"),
        KPI("first_response_business_hours", Call("FIRST_RESPONSE_TIME", OPENED, FIRST, "median", "hours",
                                                  SCHEDULE, HOLIDAYS),
            target="target_first_response_hours", better="lower", kind="hours"),
        KPI("sla_compliance_business_hours", Call("SLA_COMPLIANCE", OPENED, RESOLVED, Name("sla_hours"), AS_OF,
                                                  SCHEDULE, HOLIDAYS), target="target_sla", headline=True),
        KPI("reopen_rate", Call("REOPEN_RATE", Col("Tickets", "reopens"), RESOLVED), better="lower"),
        KPI("one_touch_rate", Call("ONE_TOUCH_RESOLUTION_RATE", Col("Tickets", "replies"), RESOLVED)),
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
                                            Col("Tickets", "satisfaction"), SCHEDULE, "", HOLIDAYS),
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


# --------------------------------------------------------------------------- texts of the new parts
# Requested from A in /work/notes/requests/C.md (the i18n files are A's). Until they are merged there,
# they are added here with setdefault, so a text A merges (or edits) wins and nothing is overwritten.
NEW_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "kpi.median_resolution_business_hours": "Median resolution time (business hours)",
        "kpi.first_response_business_hours": "Median first response time (business hours)",
        "kpi.sla_compliance_business_hours": "SLA compliance on business hours",
        "kpi.reopen_rate": "Reopened tickets (share of solved)",
        "kpi.one_touch_rate": "One-touch resolutions (share of solved)",
        "setting.work_schedule": "Working hours: a preset (iran, saudi, uae, egypt, western, 24x7) or hours such as "
                                 "Sun-Thu 09:00-17:00; blank: the week of the calendar above",
        "setting.holidays": "Extra days off, comma-separated (2024-04-02, 1403/01/13) or a country code (DE)",
        "setting.sla_policy": "Resolution targets by priority (hours)",
        "setting.first_reply_policy": "First-reply targets by priority (hours)",
        "setting.sla_as_of": "Time of the report: open tickets past their target count as breached (blank: not judged)",
        "sheet.sla_by_priority": "SLA by priority",
        "spill.sla_by_priority": "Resolution SLA by priority, business hours (SLA_POLICY_COMPLIANCE)",
        "sheet.first_reply_sla_by_priority": "First-reply SLA",
        "spill.first_reply_sla_by_priority": "First-reply SLA by priority, business hours (SLA_POLICY_COMPLIANCE)",
        "sheet.sla_breaches": "SLA breaches",
        "spill.sla_breaches": "Tickets past their resolution target (SLA_BREACHES)",
        "sheet.tickets_by_agent": "By agent",
        "spill.tickets_by_agent": "Tickets by agent (TICKETS_BY)",
        "sheet.tickets_by_group": "By group",
        "spill.tickets_by_group": "Tickets by group (TICKETS_BY)",
        "sheet.tickets_by_channel": "By channel",
        "spill.tickets_by_channel": "Tickets by channel (TICKETS_BY)",
        "sheet.tickets_by_priority": "By priority",
        "spill.tickets_by_priority": "Tickets by priority (TICKETS_BY)",
        "sheet.satisfaction_by_agent": "Satisfaction by agent",
        "spill.satisfaction_by_agent": "Satisfaction (CSAT) by agent (TICKETS_BY)",
        "sheet.backlog": "Backlog",
        "spill.backlog": "Open tickets at the end of each day (BACKLOG)",
        "chart.backlog": "Backlog: open tickets by day",
        "series.backlog": "Open tickets",
        "col.Tickets.reopens": "reopens",
        "col.Tickets.replies": "replies",
        "col.Tickets.satisfaction": "satisfaction",
        "help.Tickets.reopens": "Times the ticket was reopened (Zendesk: Reopens) (optional)",
        "help.Tickets.replies": "Agent replies on the ticket (Zendesk: Replies; Freshdesk: Agent interactions) (optional)",
        "help.Tickets.satisfaction": "Satisfaction rating: Good/Bad or 1-5 (optional)",
    },
    "fa": {
        "kpi.median_resolution_business_hours": "میانهٔ زمان حل (ساعت کاری)",
        "kpi.first_response_business_hours": "میانهٔ زمان نخستین پاسخ (ساعت کاری)",
        "kpi.sla_compliance_business_hours": "رعایت SLA در ساعات کاری",
        "kpi.reopen_rate": "تیکت‌های بازگشایی‌شده (سهم از حل‌شده‌ها)",
        "kpi.one_touch_rate": "حل با یک پاسخ (سهم از حل‌شده‌ها)",
        "setting.work_schedule": "ساعات کاری: یک الگو (iran، saudi، uae، egypt، western، 24x7) یا ساعت‌ها مانند "
                                 "Sat-Wed 08:00-16:00؛ خالی: هفتهٔ کاری تقویم بالا",
        "setting.holidays": "تعطیلات دیگر، جدا با ویرگول (1403/01/13، 2024-04-02) یا کد کشور (DE)",
        "setting.sla_policy": "مهلت حل به تفکیک اولویت (ساعت)",
        "setting.first_reply_policy": "مهلت نخستین پاسخ به تفکیک اولویت (ساعت)",
        "setting.sla_as_of": "زمان گزارش: تیکت‌های باز گذشته از مهلت، نقض‌شده شمرده می‌شوند (خالی: داوری نمی‌شوند)",
        "sheet.sla_by_priority": "SLA به تفکیک اولویت",
        "spill.sla_by_priority": "SLA حل به تفکیک اولویت، در ساعات کاری (SLA_POLICY_COMPLIANCE)",
        "sheet.first_reply_sla_by_priority": "SLA نخستین پاسخ",
        "spill.first_reply_sla_by_priority": "SLA نخستین پاسخ به تفکیک اولویت، در ساعات کاری (SLA_POLICY_COMPLIANCE)",
        "sheet.sla_breaches": "نقض‌های SLA",
        "spill.sla_breaches": "تیکت‌های گذشته از مهلت حل (SLA_BREACHES)",
        "sheet.tickets_by_agent": "به تفکیک کارشناس",
        "spill.tickets_by_agent": "تیکت‌ها به تفکیک کارشناس (TICKETS_BY)",
        "sheet.tickets_by_group": "به تفکیک تیم",
        "spill.tickets_by_group": "تیکت‌ها به تفکیک تیم (TICKETS_BY)",
        "sheet.tickets_by_channel": "به تفکیک کانال",
        "spill.tickets_by_channel": "تیکت‌ها به تفکیک کانال (TICKETS_BY)",
        "sheet.tickets_by_priority": "به تفکیک اولویت",
        "spill.tickets_by_priority": "تیکت‌ها به تفکیک اولویت (TICKETS_BY)",
        "sheet.satisfaction_by_agent": "رضایت به تفکیک کارشناس",
        "spill.satisfaction_by_agent": "رضایت (CSAT) به تفکیک کارشناس (TICKETS_BY)",
        "sheet.backlog": "تیکت‌های باز",
        "spill.backlog": "تیکت‌های باز در پایان هر روز (BACKLOG)",
        "chart.backlog": "تیکت‌های باز به تفکیک روز",
        "series.backlog": "تیکت‌های باز",
        "col.Tickets.reopens": "دفعات بازگشایی",
        "col.Tickets.replies": "پاسخ‌های کارشناس",
        "col.Tickets.satisfaction": "رضایت",
        "help.Tickets.reopens": "دفعات بازگشایی تیکت (Zendesk: Reopens) (اختیاری)",
        "help.Tickets.replies": "تعداد پاسخ‌های کارشناس (Zendesk: Replies؛ Freshdesk: Agent interactions) (اختیاری)",
        "help.Tickets.satisfaction": "امتیاز رضایت: Good/Bad یا ۱ تا ۵ (اختیاری)",
    },
    "ar": {
        "kpi.median_resolution_business_hours": "وسيط وقت الحل (ساعات العمل)",
        "kpi.first_response_business_hours": "وسيط وقت الرد الأول (ساعات العمل)",
        "kpi.sla_compliance_business_hours": "الالتزام باتفاقية مستوى الخدمة في ساعات العمل",
        "kpi.reopen_rate": "التذاكر المعاد فتحها (نسبة من المحلولة)",
        "kpi.one_touch_rate": "الحل من الرد الأول (نسبة من المحلولة)",
        "setting.work_schedule": "ساعات العمل: نموذج (iran، saudi، uae، egypt، western، 24x7) أو ساعات مثل "
                                 "Sun-Thu 09:00-17:00؛ فارغ: أسبوع عمل التقويم أعلاه",
        "setting.holidays": "أيام عطلة إضافية مفصولة بفواصل (2024-04-02، 1445/09/30) أو رمز دولة (DE)",
        "setting.sla_policy": "مهلة الحل حسب الأولوية (ساعات)",
        "setting.first_reply_policy": "مهلة الرد الأول حسب الأولوية (ساعات)",
        "setting.sla_as_of": "وقت التقرير: التذاكر المفتوحة التي تجاوزت مهلتها تُعد مخالفة (فارغ: لا تُقيَّم)",
        "sheet.sla_by_priority": "SLA حسب الأولوية",
        "spill.sla_by_priority": "SLA الحل حسب الأولوية، بساعات العمل (SLA_POLICY_COMPLIANCE)",
        "sheet.first_reply_sla_by_priority": "SLA الرد الأول",
        "spill.first_reply_sla_by_priority": "SLA الرد الأول حسب الأولوية، بساعات العمل (SLA_POLICY_COMPLIANCE)",
        "sheet.sla_breaches": "مخالفات SLA",
        "spill.sla_breaches": "التذاكر التي تجاوزت مهلة الحل (SLA_BREACHES)",
        "sheet.tickets_by_agent": "حسب الموظف",
        "spill.tickets_by_agent": "التذاكر حسب الموظف (TICKETS_BY)",
        "sheet.tickets_by_group": "حسب الفريق",
        "spill.tickets_by_group": "التذاكر حسب الفريق (TICKETS_BY)",
        "sheet.tickets_by_channel": "حسب القناة",
        "spill.tickets_by_channel": "التذاكر حسب القناة (TICKETS_BY)",
        "sheet.tickets_by_priority": "حسب الأولوية",
        "spill.tickets_by_priority": "التذاكر حسب الأولوية (TICKETS_BY)",
        "sheet.satisfaction_by_agent": "الرضا حسب الموظف",
        "spill.satisfaction_by_agent": "الرضا (CSAT) حسب الموظف (TICKETS_BY)",
        "sheet.backlog": "التذاكر المفتوحة",
        "spill.backlog": "التذاكر المفتوحة في نهاية كل يوم (BACKLOG)",
        "chart.backlog": "التذاكر المفتوحة حسب اليوم",
        "series.backlog": "التذاكر المفتوحة",
        "col.Tickets.reopens": "مرات إعادة الفتح",
        "col.Tickets.replies": "ردود الموظف",
        "col.Tickets.satisfaction": "الرضا",
        "help.Tickets.reopens": "عدد مرات إعادة فتح التذكرة (Zendesk: Reopens) (اختياري)",
        "help.Tickets.replies": "عدد ردود الموظف (Zendesk: Replies؛ Freshdesk: Agent interactions) (اختياري)",
        "help.Tickets.satisfaction": "تقييم الرضا: Good/Bad أو من 1 إلى 5 (اختياري)",
    },
}


def _add_strings() -> None:
    from .. import i18n

    for lang, texts in NEW_STRINGS.items():
        table = i18n.STRINGS.get(lang)
        if table is not None:
            for k, v in texts.items():
                table.setdefault(k, v)


_add_strings()
