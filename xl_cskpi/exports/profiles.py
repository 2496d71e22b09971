"""Built-in header profiles of real exports: which header of a vendor's file feeds which field.

A :class:`Profile` names the headers a billing, helpdesk or survey tool writes in its CSV export
and the canonical field each one feeds (``{table: {field: (header, ...)}}``; the first header of a
field that is present in the file wins, so a profile lists the better column first). Its
``signature`` is the set of headers that identifies the export: a file with all of them *is* that
export (:func:`detect`). Headers are compared in :func:`xl_cskpi.exports.headers.normalise` form,
so ``subscriptions.id``, ``Subscriptions ID`` and ``subscriptions_id`` are one header.

Where a vendor gives a *duration* instead of a timestamp, the profile maps it to a field whose name
says so (:data:`EXTRA_FIELDS`), and :data:`DERIVED` says how the pipeline computes the canonical
column from it: Zendesk's "First reply time in minutes" (calendar minutes, not the "within business
hours" variant) feeds ``Tickets.first_reply_minutes`` and ``first_response_at = opened_at + minutes``.

Survey exports name their questions by the question's text, so the 0-10 question column is found by
its values and its wording (:func:`score_columns`, in :mod:`xl_cskpi.exports.questions`, re-exported
here): whole numbers 0..10 in at least 90 % of its filled cells, some above 5 (or all of them in
0..10 when the wording says "recommend"), and the wording decides customer NPS or employee eNPS.

Sources of the header sets (the test files in ``tests/data/exports/`` are written in these formats,
see the README there):

* Stripe -- Dashboard > Subscriptions > Export (columns ``id``, ``Customer ID``, ``Status``,
  ``Created (UTC)``, ``Start Date (UTC)``, ``Current Period Start (UTC)``, ... as Stripe writes them;
  https://docs.stripe.com/billing/subscriptions/overview for the meaning of each date).
* Chargebee -- Settings > Import & Export > Export data > Subscriptions (``subscriptions.id``,
  ``customers.id``, ``subscriptions.plan_unit_price``, ``subscriptions.current_term_end``, ...;
  https://apidocs.chargebee.com/docs/api/subscriptions for the fields).
* Paddle Billing -- the subscription and transaction entities
  (https://developer.paddle.com/api-reference/subscriptions, .../transactions) flattened as exports
  and ETL tools write them (``billing_cycle.interval`` or ``billing_cycle_interval``); Paddle gives
  amounts in the currency's *lowest denomination* (cents): :attr:`Profile.minor_units`.
* Zendesk -- Reporting > Export > CSV of tickets (``Id``, ``Requester id``, ``Via``, ``Created at``,
  ``Solved at``, ``First reply time in minutes``, ...; https://support.zendesk.com/hc/en-us/articles/4408886165402).
* Freshdesk -- Tickets > Export (``Ticket ID``, ``Agent``, ``Group``, ``Created time``,
  ``Initial response time``, ``Resolved time``, ``Closed time``, ...;
  https://support.freshdesk.com/support/solutions/articles/37598).
* Intercom -- conversation exports (``Conversation ID``, ``Created at``, ``First admin reply at``,
  ``Last closed at``, ``State``, ...; the API's conversation statistics,
  https://developers.intercom.com/docs/references/rest-api/api.intercom.io/conversations). The
  report-style names are not checked against a downloaded file; the API-style names
  (``statistics.first_admin_reply_at``) match too.
* HubSpot -- CRM > Tickets > Export (``Ticket ID``, ``Create date``, ``Close date``, ``Ticket status``,
  ``First agent reply date`` / ``First agent email response date``, ``Priority``, ``Ticket owner``;
  https://knowledge.hubspot.com/properties/hubspots-default-ticket-properties). The export names the
  properties by their labels; the default pipeline's stages are New, Waiting on contact, Waiting on
  us, Closed. Not checked against a downloaded file.
* Typeform -- Results > Download CSV (``#``, one column per question titled by its text,
  ``Start Date (UTC)``, ``Submit Date (UTC)``, ``Network ID``).
* SurveyMonkey -- Analyze > Save as > CSV (``Respondent ID``, ``Collector ID``, ``Start Date``,
  ``End Date``, ... and a *second* header row of answer labels, removed before matching).
* Google Forms -- Responses > Download CSV (``Timestamp``, then the questions' texts; a form whose
  owner works in Arabic writes ``الطابع الزمني``).
* Qualtrics -- Data & Analysis > Export data > CSV (``StartDate``, ``EndDate``, ``RecordedDate``,
  ``ResponseId``, ``Q1``...; three header rows -- ids, question texts, import ids -- which
  :mod:`xl_cskpi.exports.text` turns into one). Not checked against a downloaded file.
* Porsline (پرس‌لاین) -- results table export (``شناسه پاسخ``, ``تاریخ ثبت پاسخ``, then the questions).
  The Persian headers are written as Porsline's results table shows them; they are not checked
  against a downloaded file, so the profile is only detected together with a 0-10 question column,
  and the generic Persian names (``تاریخ پاسخ``, ``زمان ثبت``) match too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .headers import normalise

__all__ = ["Profile", "PROFILES", "GENERIC", "EXTRA_FIELDS", "DERIVED", "REQUIRED_ANY", "SYNONYMS",
           "detect", "generic_names", "score_columns", "ScoreColumn", "nps_wording", "employee_wording",
           "scale_columns", "SCALES", "comment_columns", "score_misfit", "scale_worded"]


@dataclass(frozen=True)
class Profile:
    """The header set of one kind of export.

    * ``name`` -- the key (``stripe``, ``zendesk``, ...), shown by ``inspect`` and the data check.
    * ``kind`` -- ``billing``, ``tickets``, ``surveys`` or ``generic``.
    * ``fields`` -- ``{table: {field: (header, ...)}}``; the first header present in a file wins.
    * ``signature`` -- headers that identify the export (all must be present; ``"A|B"``: either one,
      for headers the vendor localises).
    * ``title`` -- the vendor's name for people.
    * ``rows`` -- for billing: ``"subscriptions"`` (one row per subscription) or ``"invoices"`` (one
      row per invoice or transaction, billing period start..end).
    * ``minor_units`` -- amounts are in the currency's lowest denomination (cents), as Paddle's API
      fields are: divide by 100 (by the currency's exponent) before use.
    * ``header_rows`` -- 2 when the export writes a second header row (SurveyMonkey).
    * ``needs_score`` -- a weak signature: detected only when a 0-10 question column is found too.
    * ``coalesce`` -- ``{table: {field: (header, ...)}}``: a field fed, row by row, by the first of
      these columns that is filled (the mapping adds that column to the file's frame, named
      ``"a / b / c"``). Paddle's paying start is ``first_billed_at``, else -- never billed yet --
      ``next_billed_at`` (the end of a running trial), else ``canceled_at`` (canceled in the trial:
      never paid).
    * ``cents_check`` -- the vendor's API gives amounts in cents and its CSV is believed to give
      currency units: a column of whole multiples of 100 without a decimal point gets a warning
      (Chargebee), so a 100-times MRR cannot pass unnoticed (``--strict`` stops it).
    * ``fixed`` -- ``{table: {field: (header, value)}}``: a field the export has no column for but
      whose value is known for every row; the mapping adds a column ``header`` holding ``value``
      (unless the file or ``--map`` gives the field). Paddle transactions are invoice lines, each
      billing its own period: ``interval`` is ``"period"`` (:mod:`xl_cskpi.tables.invoice_lines`:
      the line's MRR is its amount / the months of its billing period).
    """

    name: str
    kind: str
    fields: Mapping[str, Mapping[str, tuple[str, ...]]]
    signature: tuple[str, ...] = ()
    title: str = ""
    rows: str = ""
    minor_units: bool = False
    header_rows: int = 1
    needs_score: bool = False
    source: str = ""
    coalesce: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    cents_check: bool = False
    fixed: Mapping[str, Mapping[str, tuple[str, str]]] = field(default_factory=dict)

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(self.fields)

    def signature_in(self, normalised_headers: set[str]) -> bool:
        """All signature headers present; an item ``"A|B"`` is present when either is."""
        return bool(self.signature) and all(any(normalise(a) in normalised_headers for a in h.split("|"))
                                            for h in self.signature)


# --------------------------------------------------------------------------- fields beyond the tables

#: Fields a profile may map that are not columns of the table: durations the pipeline turns into
#: the table's timestamp (:data:`DERIVED`).
EXTRA_FIELDS: dict[str, tuple[str, ...]] = {"Tickets": ("first_reply_minutes",)}

#: ``{table: {extra field: (column computed, from column, unit)}}``: the pipeline computes
#: ``column = from + extra field x unit`` where the table's column is not in the file itself.
DERIVED: dict[str, dict[str, tuple[str, str, str]]] = {
    "Tickets": {"first_reply_minutes": ("first_response_at", "opened_at", "minutes")},
}

#: At least one of these fields must be found for a file to fit the table (a survey export without
#: any score column would give NPS #DIV/0!: it is a clear error instead).
REQUIRED_ANY: dict[str, tuple[str, ...]] = {"Responses": ("nps_score", "csat_score", "ces_score")}

#: Headers beyond each column's key, aliases and translated names that the generic profile knows,
#: in English, Persian and Arabic.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "Responses": {
        "submitted_at": ("timestamp", "submitted at", "submit date", "response date", "date submitted",
                         "recorded date", "end date",     # Qualtrics' RecordedDate / EndDate (question-text row)
                         "تاریخ", "تاریخ ثبت", "زمان ثبت", "تاریخ پاسخ", "زمان پاسخ", "تاریخ ثبت پاسخ",
                         "التاريخ", "تاريخ الإرسال", "تاريخ الرد", "وقت الإرسال"),
        "nps_score": ("nps score", "net promoter score", "recommend", "likelihood to recommend",
                      "امتیاز nps", "امتیاز توصیه", "درجة nps", "درجة التوصية"),
        "csat_score": ("satisfaction score", "رضایت", "امتیاز رضایت", "الرضا", "درجة الرضا"),
        "comment": ("comments", "why", "reason", "نظر", "توضیحات", "تعليق", "ملاحظات"),
        "customer_id": ("customer id", "client id", "شناسه مشتری", "کد مشتری", "رقم العميل", "معرف العميل"),
    },
    "EmployeeSurvey": {
        "submitted_at": ("timestamp", "submitted at", "submit date", "تاریخ", "تاریخ ثبت", "التاريخ"),
        "team": ("department", "team name", "واحد", "تیم", "دپارتمان", "القسم", "الفريق"),
        "enps_score": ("enps score", "امتیاز enps", "درجة enps"),
    },
    "Tickets": {
        "ticket_id": ("ticket id", "ticket number", "issue key", "request key",   # Jira Service Management (not its "Issue id")
                      "شماره تیکت", "شناسه تیکت", "رقم التذكرة"),
        "opened_at": ("created time", "created date", "date created", "opened at", "زمان ایجاد",
                      "تاریخ ایجاد", "تاریخ ثبت", "تاريخ الإنشاء", "وقت الإنشاء"),
        "resolved_at": ("resolved time", "solved time", "closed time", "زمان بسته شدن", "تاریخ حل", "زمان حل شدن",
                        "تاریخ بسته شدن", "تاريخ الحل", "وقت الحل", "تاريخ الإغلاق"),
        "first_response_at": ("first response at", "first response time", "initial response time", "اولین پاسخ",
                              "زمان اولین پاسخ", "أول رد", "وقت أول رد"),
        "first_reply_minutes": ("first reply minutes", "first reply time in minutes",
                                "first response minutes", "first response time in minutes"),
        "status": ("ticket status", "وضعیت تیکت", "حالة التذكرة", "الحالة"),
        "priority": ("urgency", "فوریت", "الأولوية"),
        "assignee": ("agent name", "assigned agent", "کارشناس مسئول", "الموظف المسؤول"),
    },
    # a CRM's customer list (reviewer's U15: crm_customers_fa.csv "کد مشتری, تاریخ شروع قرارداد, تاریخ لغو"
    # fitted no table): the words Persian and Arabic CRMs (and Excel lists typed by hand) use for a
    # customer's code, the contract's start and its cancellation
    "Customers": {
        "customer_id": ("customer id", "customer code", "client code", "account code",
                        "کد مشتری", "شناسه مشتری", "شماره مشتری", "کد اشتراک", "شماره اشتراک", "کد حساب",
                        "رقم العميل", "معرف العميل", "كود العميل", "رمز العميل", "رقم الحساب", "رقم الاشتراك"),
        "start_date": ("start date", "contract start", "contract start date", "customer since", "signup date",
                       "sign up date", "subscription start", "subscription start date", "date joined",
                       "تاریخ شروع", "تاریخ شروع قرارداد", "شروع قرارداد", "تاریخ عضویت", "تاریخ ثبت نام",
                       "تاریخ اشتراک", "تاریخ شروع اشتراک", "تاریخ قرارداد",
                       "تاريخ البدء", "تاريخ بدء العقد", "بداية العقد", "تاريخ الاشتراك", "تاريخ التسجيل",
                       "تاريخ بدء الاشتراك", "تاريخ الانضمام"),
        "end_date": ("end date", "cancel date", "cancellation date", "churn date", "contract end",
                     "contract end date", "date cancelled", "date canceled",
                     "تاریخ لغو", "تاریخ لغو قرارداد", "تاریخ پایان", "تاریخ پایان قرارداد", "تاریخ ریزش",
                     "تاریخ قطع", "تاریخ انصراف", "لغو قرارداد",
                     "تاريخ الإلغاء", "تاريخ الالغاء", "تاريخ الانتهاء", "تاريخ انتهاء العقد", "تاريخ إلغاء العقد",
                     "تاريخ إنهاء الاشتراك", "تاريخ الإنهاء"),
        "plan": ("plan name", "package", "طرح", "بسته", "پلن", "نوع اشتراک", "الخطة", "الباقة", "نوع الاشتراك"),
    },
    "ComplaintLog": {
        "complaint_id": ("complaint id", "complaint number", "شماره شکایت", "کد شکایت", "رقم الشكوى"),
        "received_at": ("received", "date received", "created date", "date created", "created on", "open date",
                        "تاریخ", "تاریخ ثبت", "تاریخ شکایت", "تاريخ الشكوى",
                        "تاريخ الاستلام", "التاريخ"),
        "category": ("complaint type", "نوع شکایت", "موضوع", "نوع الشكوى", "الفئة", "التصنيف"),
        "status": ("complaint status", "وضعیت شکایت", "حالة الشكوى", "الحالة"),
        "customer_id": ("customer id", "شناسه مشتری", "کد مشتری", "رقم العميل"),
    },
}


def _p(**fields: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return fields


# --------------------------------------------------------------------------- the vendors

_STRIPE = Profile(
    "stripe", "billing", {"Billing": _p(
        subscription_id=("id", "Subscription ID"),
        customer_id=("Customer ID", "Customer"),
        plan=("Plan", "Product", "Price ID", "Plan ID"),
        status=("Status",),
        # not "Start (UTC)": Stripe's old ``start`` was when the current plan configuration started,
        # not the subscription (docs.stripe.com/changelog/2019-10-17/replaces-subscription-start-field)
        start=("Start Date (UTC)", "Created (UTC)"),
        end=("Ended At (UTC)", "Canceled At (UTC)"),
        amount=("Amount",),
        currency=("Currency",),
        interval=("Interval",),
        interval_count=("Interval Count",),
        quantity=("Quantity",),
        trial_end=("Trial End (UTC)",),
        cancel_at_period_end=("Cancel At Period End",),
        current_period_end=("Current Period End (UTC)",),
        # the last renewal: an event of the export (its month is the latest one the export can show)
        billed_at=("Current Period Start (UTC)",),
    )},
    # Stripe's payments export has Customer ID, Status and Created (UTC) too, but no interval or
    # period; API 2025-03-31 moved the current period to subscription items, so either one will do
    signature=("Customer ID", "Status", "Interval|Current Period End (UTC)", "Start Date (UTC)|Created (UTC)"),
    title="Stripe subscriptions export", rows="subscriptions",
    source="Stripe Dashboard > Billing > Subscriptions > Export")

_CHARGEBEE = Profile(
    "chargebee", "billing", {"Billing": _p(
        subscription_id=("subscriptions.id",),
        customer_id=("customers.id", "subscriptions.customer_id"),
        plan=("subscriptions.plan_id", "subscription_items.item_price_id"),
        status=("subscriptions.status",),
        start=("subscriptions.started_at", "subscriptions.start_date", "subscriptions.activated_at",
               "subscriptions.created_at"),
        end=("subscriptions.cancelled_at",),
        amount=("subscriptions.plan_unit_price", "subscriptions.plan_unit_price_in_decimal",
                "subscription_items.unit_price"),
        currency=("subscriptions.currency_code",),
        interval=("subscriptions.billing_period_unit", "plans.period_unit"),
        interval_count=("subscriptions.billing_period", "plans.period"),
        quantity=("subscriptions.plan_quantity", "subscriptions.plan_quantity_in_decimal",
                  "subscription_items.quantity"),
        # PC 2.0: plan / addon recur, charge is one-time (not MRR): tables.invoice_lines.LINE_TYPES
        line_type=("subscription_items.item_type",),
        trial_end=("subscriptions.trial_end",),
        current_period_end=("subscriptions.current_term_end",),
        billed_at=("subscriptions.current_term_start",),
    )},
    signature=("subscriptions.id", "subscriptions.status"),
    cents_check=True,
    title="Chargebee subscriptions export", rows="subscriptions",
    source="Chargebee > Settings > Import & Export > Export data > Subscriptions")

_PADDLE = Profile(
    "paddle", "billing", {"Billing": _p(
        subscription_id=("id", "subscription_id"),
        customer_id=("customer_id",),
        plan=("items.price.product_id", "items.price.id", "product_id", "price_id"),
        status=("status",),
        start=("started_at", "first_billed_at", "created_at"),
        end=("canceled_at",),
        amount=("items.price.unit_price.amount", "unit_price.amount"),
        currency=("currency_code",),
        interval=("billing_cycle.interval",),
        interval_count=("billing_cycle.frequency",),
        quantity=("items.quantity", "quantity"),
        current_period_end=("current_billing_period.ends_at",),
        billed_at=("current_billing_period.starts_at",),
    )},
    # started_at includes a trial; paying begins at first_billed_at (developer.paddle.com: "may be
    # different from first_billed_at if the subscription started in trial"): the trial ends there
    coalesce={"Billing": {"trial_end": ("first_billed_at", "next_billed_at", "canceled_at")}},
    signature=("customer_id", "billing_cycle.interval", "next_billed_at"),
    title="Paddle Billing subscriptions", rows="subscriptions", minor_units=True,
    source="Paddle Billing subscription entity (developer.paddle.com/api-reference/subscriptions)")

_PADDLE_TRANSACTIONS = Profile(
    "paddle_transactions", "billing", {"Billing": _p(
        subscription_id=("subscription_id",),
        customer_id=("customer_id",),
        status=("status",),
        start=("billing_period.starts_at",),
        end=("billing_period.ends_at",),
        amount=("details.totals.subtotal",),
        discount_amount=("details.totals.discount",),
        currency=("currency_code",),
        billed_at=("billed_at",),
        # api, subscription_recurring, web: a line billing its period; subscription_update: a proration;
        # subscription_charge: a one-time charge (tables.invoice_lines.LINE_TYPES)
        line_type=("origin",),
    )},
    # each transaction bills its own period (billing_period.starts_at -> ends_at): an annual one is
    # divided by 12, a 15-day proration by half a month (tables.invoice_lines)
    fixed={"Billing": {"interval": ("(billing_period of each row)", "period")}},
    signature=("customer_id", "billed_at", "billing_period.starts_at", "billing_period.ends_at"),
    title="Paddle Billing transactions", rows="invoices", minor_units=True,
    source="Paddle Billing transaction entity (developer.paddle.com/api-reference/transactions)")

_ZENDESK = Profile(
    "zendesk", "tickets", {"Tickets": _p(
        ticket_id=("Id", "Ticket ID"),
        customer_id=("Requester id", "Organization"),
        channel=("Via",),
        priority=("Priority",),
        opened_at=("Created at",),
        resolved_at=("Solved at",),
        status=("Status",),
        assignee=("Assignee",),
        group=("Group",),
        first_reply_minutes=("First reply time in minutes",),
        # ticket metrics (support.zendesk.com/hc/en-us/articles/4408834848154); Satisfaction Score is
        # Good / Bad, or Offered / Unoffered when not rated. Zendesk's own "... within business hours"
        # columns are left unmapped on purpose: the report computes business hours on the workbook's
        # schedule, and mixing Zendesk's schedule with it would mix two clocks.
        reopens=("Reopens",),
        replies=("Replies",),
        satisfaction=("Satisfaction Score",),
    )},
    signature=("Id", "Requester id", "Via"),
    title="Zendesk tickets export", source="Zendesk Reporting > Export > CSV")

_FRESHDESK = Profile(
    "freshdesk", "tickets", {"Tickets": _p(
        ticket_id=("Ticket ID",),
        customer_id=("Contact ID", "Requester Email", "Email"),
        channel=("Source",),
        priority=("Priority",),
        opened_at=("Created time",),
        first_response_at=("Initial response time",),
        resolved_at=("Resolved time", "Closed time"),
        status=("Status",),
        assignee=("Agent",),
        group=("Group",),
        replies=("Agent interactions",),      # Freshdesk exports no reopen count
        satisfaction=("Survey results",),
    )},
    # a ticket closed without passing through Resolved has a Closed time and a blank Resolved time
    # (reviewer's G5): row by row, Resolved time, else Closed time
    coalesce={"Tickets": {"resolved_at": ("Resolved time", "Closed time")}},
    signature=("Ticket ID", "Created time", "Resolved time"),
    title="Freshdesk tickets export", source="Freshdesk > Tickets > Export")

_INTERCOM = Profile(
    "intercom", "tickets", {"Tickets": _p(
        ticket_id=("Conversation ID",),
        customer_id=("Contact ID", "User ID", "Company ID"),
        channel=("Channel", "Source type", "source.type"),
        priority=("Priority",),
        opened_at=("Created at", "Conversation started at", "created_at"),
        first_response_at=("First admin reply at", "statistics.first_admin_reply_at", "First response at"),
        resolved_at=("Last closed at", "statistics.last_close_at", "Closed at"),
        status=("State", "state"),
        assignee=("Teammate assigned", "Assignee", "admin_assignee_id"),
        group=("Team assigned", "Team", "team_assignee_id"),
        satisfaction=("Rating", "conversation_rating.rating"),   # 1-5
    )},
    signature=("Conversation ID",),
    title="Intercom conversations export", source="Intercom conversations (API statistics fields)")

_HUBSPOT = Profile(
    "hubspot", "tickets", {"Tickets": _p(
        # HubSpot > CRM > Tickets > Export: one column per ticket property, named by its label
        # (knowledge.hubspot.com/properties/hubspots-default-ticket-properties: "Create date", "Close
        # date", "First agent email response date", "Ticket status" = the pipeline stage, "Priority");
        # internal names (createdate, closed_date, hs_pipeline_stage, ...) for API and ETL dumps
        ticket_id=("Ticket ID", "Record ID", "hs_object_id"),
        customer_id=("Associated Company ID", "Associated Contact ID", "Associated Company", "Associated Contact"),
        channel=("Source", "source_type"),
        priority=("Priority", "Ticket priority", "hs_ticket_priority"),
        opened_at=("Create date", "createdate"),
        first_response_at=("First agent reply date", "First agent email response date",
                           "hs_first_agent_message_sent_at", "first_agent_reply_date"),
        resolved_at=("Close date", "closed_date"),
        status=("Ticket status", "hs_pipeline_stage"),
        assignee=("Ticket owner", "hubspot_owner_id"),
        group=("HubSpot team", "Assigned teams", "hubspot_team_id"),
    )},
    signature=("Ticket ID|Record ID|hs_object_id", "Create date|createdate", "Ticket status|hs_pipeline_stage"),
    title="HubSpot tickets export", source="HubSpot > CRM > Tickets > Export (default ticket properties)")

_SURVEY_TABLES = ("Responses", "EmployeeSurvey")


def _survey(name: str, title: str, submitted: tuple[str, ...], signature: tuple[str, ...],
            source: str, **kw: Any) -> Profile:
    return Profile(name, "surveys", {t: {"submitted_at": submitted} for t in _SURVEY_TABLES},
                   signature=signature, title=title, source=source, **kw)


_TYPEFORM = _survey("typeform", "Typeform responses", ("Submit Date (UTC)", "Start Date (UTC)"),
                    ("Submit Date (UTC)", "Network ID"), "Typeform Results > Download CSV")
_SURVEYMONKEY = _survey("surveymonkey", "SurveyMonkey responses", ("End Date", "Start Date"),
                        ("Respondent ID", "Collector ID"), "SurveyMonkey Analyze > Save as > CSV",
                        header_rows=2)
_GOOGLE_FORMS = _survey("google_forms", "Google Forms responses", ("Timestamp", "الطابع الزمني"),
                        ("Timestamp|الطابع الزمني",),
                        "Google Forms Responses > Download responses (.csv)", needs_score=True)
# Delighted: the customer survey's one score is a bare "Score" (0-10 for NPS, 1-5 for a CSAT survey), so
# the profile maps the date and the comment and lets the values decide the score (a survey export: the
# 0-10 question is found by its values, a 1-5 column is none); a customer survey, never an employee one
# (reviewer's G15: the EmployeeSurvey alias "score" made it eNPS). API fields: delighted.com/docs/api
# (survey_responses: score, comment, permalink, created_at). Not checked against a downloaded file.
_DELIGHTED = Profile("delighted", "surveys", {"Responses": _p(
    submitted_at=("Response timestamp", "Created At", "created_at", "Date"),
    comment=("Comment", "comment"),
    customer_id=("Person ID", "person", "Email"),
)}, signature=("Permalink|permalink", "Score|score"), title="Delighted responses",
    source="Delighted > Responses > Export CSV (API: delighted.com/docs/api, survey responses)")
_QUALTRICS = _survey("qualtrics", "Qualtrics responses", ("RecordedDate", "Recorded Date", "EndDate", "End Date"),
                     ("ResponseId|Response ID", "RecordedDate|Recorded Date"),
                     "Qualtrics Data & Analysis > Export data > CSV (qualtrics.com/support: understanding your dataset)")
_PORSLINE = _survey("porsline", "Porsline (پرس‌لاین) responses",
                    ("تاریخ ثبت پاسخ", "زمان ثبت پاسخ", "تاریخ ثبت", "زمان ثبت", "تاریخ پاسخ"),
                    ("شناسه پاسخ",), "Porsline results table export", needs_score=True)

#: Every built-in profile by name, vendors first; ``generic`` is the tables' own names (see
#: :func:`generic_names`) and has no signature.
from .billing_profiles import billing_profiles  # noqa: E402  (Stripe invoices, Recurly: engineer B, G4/G10)

PROFILES: dict[str, Profile] = {p.name: p for p in (
    _STRIPE, _CHARGEBEE, _PADDLE, _PADDLE_TRANSACTIONS, *billing_profiles(Profile), _ZENDESK, _FRESHDESK,
    _INTERCOM, _HUBSPOT, _TYPEFORM, _SURVEYMONKEY, _GOOGLE_FORMS, _QUALTRICS, _DELIGHTED, _PORSLINE)}
GENERIC = Profile("generic", "generic", {}, title="the tables' own headers and aliases")
PROFILES["generic"] = GENERIC


def detect(headers: Iterable[Any], has_score: bool = False, force: str | None = None) -> Profile | None:
    """The profile whose signature the headers carry (the longest signature wins), or None.

    ``has_score``: a 0-10 question column was found (weak signatures need it). ``force``: a profile
    name the user chose (``ReadOptions.profile``); an unknown name is a ``KeyError`` listing the names.
    """
    if force:
        if force not in PROFILES:
            raise KeyError(f"unknown profile {force!r}; use one of {', '.join(PROFILES)}")
        return PROFILES[force]
    hs = {normalise(h) for h in headers}
    best: Profile | None = None
    for p in PROFILES.values():
        if p.signature_in(hs) and (has_score or not p.needs_score):
            if best is None or len(p.signature) > len(best.signature):
                best = p
    return best


def generic_names(table: Any, lang: str = "en") -> dict[str, str]:
    """``{normalised header: field}`` for ``table``: each input column's key, its aliases, its
    translated header in ``lang`` and in every other language, the :data:`SYNONYMS`, and the
    table's extra fields. Earlier names win where two fields would share one (a column's own key
    before another's alias)."""
    from ..reports.i18n import LANGUAGES, translator

    out: dict[str, str] = {}
    cols = list(table.inputs)
    langs = [lang] + [x for x in LANGUAGES if x != lang]
    for c in cols:
        out.setdefault(normalise(c.key), c.key)
    for x in EXTRA_FIELDS.get(table.name, ()):
        out.setdefault(normalise(x), x)
    for c in cols:
        for a in c.aliases:
            out.setdefault(normalise(a), c.key)
    for x in langs:
        t = translator(x)
        for c in cols:
            name = t(f"col.{table.name}.{c.key}", default="")
            if name:
                out.setdefault(normalise(name), c.key)
    for key, names in SYNONYMS.get(table.name, {}).items():
        for n in names:
            out.setdefault(normalise(n), key)
    out.pop("", None)
    return out


# --------------------------------------------------------------------------- survey questions (exports.questions)

from .questions import (SCALES, ScoreColumn, _whole_0_10, comment_columns, employee_wording,  # noqa: E402,F401
                        label_scores, nps_wording, scale_columns, scale_worded, score_columns, score_misfit)
