"""Data tables shared by several reports: one definition per kind of export.

A column's ``key`` is its header; ``aliases`` are headers other systems export for it (matched
case- and space-insensitively by ``xl-cskpi report``). Columns with a ``formula`` are calculated
columns, filled by the workbook, not read from exports.
"""

from __future__ import annotations

from ..spec import Call, Column, Name, Op, Row, Table, Word

# Calculated columns use Excel built-ins only (issue 13, item 5): a Python function called once per
# row is one add-in round trip per row on every recalculation. Each formula gives what our function
# gives for that row: the rate, #DIV/0! for a zero denominator, #NUM! (SQRT(-1)) for counts that
# cannot be (negative, more lost than there were); a row with a blank input stays blank. The
# dashboard's KPIs still call our functions, which name the reason of an error.


def _num(*xs):
    return Call("AND", *(Call("ISNUMBER", x) for x in xs)) if len(xs) > 1 else Call("ISNUMBER", xs[0])


_NUM_ERROR = Call("SQRT", -1)          # #NUM!, as CHURN_RATE gives for counts that cannot be


def _rate(inputs: tuple, bad, value):
    """``value`` where every input is a number and ``bad`` is false; #NUM! where ``bad``; else blank."""
    return Call("IF", _num(*inputs), Call("IF", bad, _NUM_ERROR, value), "")


def _churn(t: str):
    s, lost = Row(t, "customers_start"), Row(t, "customers_lost")
    # CHURN_RATE: lost / start; start 0 is #DIV/0!; negative counts or lost > start #NUM!
    return _rate((s, lost), Call("OR", Op("<", s, 0), Op("<", lost, 0), Op(">", lost, s)), Op("/", lost, s))


def _retention(t: str):
    s, e, n = Row(t, "customers_start"), Row(t, "customers_end"), Row(t, "customers_new")
    kept = Op("-", e, n)
    # RETENTION_RATE: (end - new) / start; start 0 is #DIV/0!; negative counts, new > end, or more
    # kept than there were at the start (a rate above 1) #NUM!
    return _rate((s, e, n), Call("OR", Op("<", s, 0), Op("<", e, 0), Op("<", n, 0), Op(">", n, e),
                                 Call("AND", Op(">", s, 0), Op(">", kept, s))), Op("/", kept, s))


def _health_score(t: str, measures: tuple[str, ...], weights: str):
    """HEALTH_SCORE of the row: sum(w_j x s_j) / sum(w_j) over the measures scored (Gainsight's
    renormalisation); blank when no weighted measure is scored; #NUM! for a negative weight,
    #DIV/0! when all weights are 0."""
    w = [Call("INDEX", Name(weights), j) for j in range(1, len(measures) + 1)]
    num: object = None
    den: object = None
    for m, wj in zip(measures, w):
        x = Row(t, m)
        term, weight = Call("IF", Call("ISNUMBER", x), Op("*", x, wj), 0), Call("IF", Call("ISNUMBER", x), wj, 0)
        num = term if num is None else Op("+", num, term)
        den = weight if den is None else Op("+", den, weight)
    return Call("IF", Op("<", Call("MIN", Name(weights)), 0), _NUM_ERROR,
                Call("IF", Op("=", Call("SUM", Name(weights)), 0), Op("/", 1, 0),
                     Call("IF", Op(">", den, 0), Op("/", num, den), "")))


def _health_status(t: str):
    """HEALTH_STATUS of the row's score in the report's language (its words: labels.py); blank for a
    blank score; #NUM! when at_risk_from is above healthy_from."""
    h = Row(t, "health_score")
    return Call("IF", Call("ISNUMBER", h),
                Call("IF", Op(">", Name("at_risk_from"), Name("healthy_from")), _NUM_ERROR,
                     Call("IF", Op(">=", h, Name("healthy_from")), Word("Healthy"),
                          Call("IF", Op(">=", h, Name("at_risk_from")), Word("At risk"), Word("Critical")))),
                "")


def _roi(t: str):
    r, c = Row(t, "revenue"), Row(t, "cost")
    # CAMPAIGN_ROI: (revenue - cost) / cost; cost 0 is #DIV/0!; negative amounts #NUM!
    return _rate((r, c), Call("OR", Op("<", r, 0), Op("<", c, 0)), Op("/", Op("-", r, c), c))


MONTHS = Table("Months", (
    Column("month", "month", aliases=("period", "month_start", "date"), width=12),
    Column("customers_start", "count", aliases=("start", "customers_at_start", "opening_customers")),
    Column("customers_new", "count", aliases=("new", "new_customers", "acquired")),
    Column("customers_lost", "count", aliases=("lost", "churned", "churned_customers")),
    Column("customers_end", "count", aliases=("end", "customers_at_end", "closing_customers")),
    # not in monthly counts derived from a subscriptions export: the renewal rate then says so
    Column("renewals_due", "count", aliases=("due_for_renewal",), required=False),
    Column("renewals", "count", aliases=("renewed",), required=False),
    Column("churn_rate", "rate", formula=_churn("Months")),
    Column("retention_rate", "rate", formula=_retention("Months")),
))

SUBSCRIPTIONS = Table("Subscriptions", (
    Column("customer_id", "id", aliases=("customer", "account_id", "account", "client_id")),
    Column("month", "month", aliases=("period", "billing_month", "invoice_month", "date"), width=12),
    Column("mrr", "money", aliases=("amount", "monthly_recurring_revenue", "revenue"), minimum=0),
    Column("plan", "text", aliases=("product", "tier"), required=False),
    # several currencies (issue 16.3): mrr is in the reporting currency; currency and mrr_local are
    # the row's own currency and amount (xl-cskpi report converts them with a Rates table)
    Column("currency", "text", aliases=("currency_code",), required=False),
    Column("mrr_local", "money", aliases=("local_mrr", "mrr_in_currency"), required=False, minimum=0),
))

#: Exchange rates: one unit of ``currency`` = ``rate`` units of the reporting currency; the last
#: rate dated in a month converts that month (xl_cskpi.tables.fx). The date column is read by
#: MRR_MOVEMENTS_FX itself (dates, Excel serials or month labels such as 2024-09 / 1403-06), kept as
#: written ("text"): a rates table is a lookup, not data of the report's months, so it must not set
#: the periods the dashboard offers (reports.period dates a table by its first date column).
RATES = Table("Rates", (
    Column("date", "text", aliases=("rate_date", "day", "month"), width=12),
    Column("currency", "text", aliases=("currency_code", "code")),
    Column("rate", "number", aliases=("fx_rate", "exchange_rate"), minimum=0),
))

#: One row per subscription or per customer (several rows per customer allowed: CUSTOMER_CHURN_RATE
#: merges a customer's rows into spells); a blank end date is a customer still active (issue 16).
CUSTOMERS = Table("Customers", (
    Column("customer_id", "id", aliases=("customer", "account_id", "account", "client_id")),
    Column("start_date", "date", aliases=("started_at", "start", "created_at", "subscribed_at"), width=12),
    Column("end_date", "date", aliases=("canceled_at", "cancelled_at", "churned_at", "ended_at", "end"),
           required=False, width=12),
    Column("plan", "text", aliases=("product", "tier"), required=False),
))

ACCOUNTS = Table("Accounts", (
    Column("customer_id", "id", aliases=("customer", "account_id", "account", "client_id")),
    Column("previous_mrr", "money", aliases=("mrr_start", "starting_mrr", "start_mrr"), minimum=0),
    Column("current_mrr", "money", aliases=("mrr_end", "ending_mrr", "end_mrr", "mrr"), minimum=0),
    Column("plan", "text", aliases=("product", "tier"), required=False),
))

RESPONSES = Table("Responses", (
    Column("submitted_at", "date", aliases=("date", "response_date", "submitted"), width=12),
    Column("customer_id", "id", aliases=("customer", "account_id"), required=False),
    Column("nps_score", "score", aliases=("nps", "likelihood_to_recommend", "ltr"), minimum=0, maximum=10,
           required=False),
    # the scale is the user's (survey_scores' csat_scale / ces_scale settings, up to kpi.survey.MAX_SCALE):
    # the Data check says when answers pass or never reach the scale set (specs/survey_scale.py)
    Column("csat_score", "score", aliases=("csat", "satisfaction", "rating"), minimum=1, maximum=100, required=False),
    Column("ces_score", "score", aliases=("ces", "effort"), minimum=1, maximum=100, required=False),
    Column("comment", "text", aliases=("feedback", "verbatim"), required=False, width=40),
    # no calculated month column: the month of every response is one PERIOD_LABEL call over the
    # whole date column (the row-label helper of reports/rowlabels.py), not one call per response
))

EMPLOYEES = Table("EmployeeSurvey", (
    Column("submitted_at", "date", aliases=("date", "response_date"), width=12),
    Column("team", "text", aliases=("department",), required=False),
    Column("enps_score", "score", aliases=("enps", "score"), minimum=0, maximum=10),
))

TICKETS = Table("Tickets", (
    Column("ticket_id", "id", aliases=("id", "ticket", "case_id")),
    Column("customer_id", "id", aliases=("customer", "requester", "account_id"), required=False),
    Column("channel", "text", aliases=("via", "source"), required=False),
    Column("priority", "text", choices=("low", "normal", "high", "urgent"), required=False),
    Column("opened_at", "datetime", aliases=("created_at", "created", "opened"), width=17),
    Column("first_response_at", "datetime", aliases=("first_reply_at", "first_reply", "responded_at"),
           required=False, width=17),
    Column("resolved_at", "datetime", aliases=("solved_at", "closed_at", "resolved", "solved", "resolved_date",
                                              "date_resolved", "resolution_date"), required=False, width=17),
    Column("status", "text", aliases=("state", "ticket_status"), required=False),
    Column("assignee", "text", aliases=("agent", "owner", "assigned_to"), required=False),
    Column("group", "text", aliases=("team", "queue"), required=False),
    # issue 15: reopens (Zendesk's "Reopens"), agent replies (Zendesk's "Replies", Freshdesk's "Agent
    # interactions") and the ticket's satisfaction rating (Zendesk's "Satisfaction Score" Good/Bad,
    # Intercom's "Rating" 1-5, Freshdesk's "Survey results"); a report part that needs one is left out,
    # saying so, when the export has none
    Column("reopens", "count", aliases=("reopen_count", "reopened_count", "times_reopened"), minimum=0,
           required=False),
    Column("replies", "count", aliases=("agent_replies", "agent_interactions", "replies_count"), minimum=0,
           required=False),
    Column("satisfaction", "text", aliases=("satisfaction_score", "satisfaction_rating", "rating", "csat_rating",
                                            "survey_results", "survey_result"), required=False),
))

COMPLAINTS = Table("ComplaintLog", (
    Column("complaint_id", "id", aliases=("id", "case_id")),
    Column("customer_id", "id", aliases=("customer", "account_id"), required=False),
    Column("received_at", "date", aliases=("date", "created_at", "opened_at"), width=12),
    Column("category", "text", aliases=("type", "reason", "topic")),
    Column("status", "text", aliases=("state",), choices=("pending", "resolved", "escalated")),
))

HEALTH = Table("Health", (
    Column("customer_id", "id", aliases=("customer", "account_id", "account")),
    Column("usage", "score", aliases=("product_usage", "usage_score"), minimum=0, maximum=100),
    Column("support", "score", aliases=("support_score", "tickets_score"), minimum=0, maximum=100),
    Column("nps", "score", aliases=("nps_score", "sentiment"), minimum=0, maximum=100, required=False),
    Column("payment", "score", aliases=("billing", "payment_score"), minimum=0, maximum=100),
    Column("health_score", "score", formula=_health_score("Health", ("usage", "support", "nps", "payment"),
                                                          "health_weights")),
    Column("health_status", "text", formula=_health_status("Health")),
))

FINANCE = Table("Finance", (
    Column("month", "month", aliases=("period", "date"), width=12),
    Column("customers_start", "count", aliases=("customers_at_start", "opening_customers")),
    Column("customers_new", "count", aliases=("new_customers", "new")),
    Column("customers_lost", "count", aliases=("churned_customers", "lost")),
    Column("revenue", "money", aliases=("recurring_revenue", "mrr"), minimum=0),
    # the columns below are not in a table derived from a subscriptions export (month, customer
    # counts and revenue only): ARPA, churn, lifespan and CLV are still computed, and each KPI that
    # needs one of these says "n/a: no ... given"
    Column("gross_margin", "rate", minimum=0, maximum=1, required=False),
    Column("sales_marketing_spend", "money", aliases=("s&m_spend", "acquisition_spend"), minimum=0,
           required=False),
    Column("retention_costs", "money", aliases=("cs_costs", "customer_success_costs"), minimum=0,
           required=False),
    Column("operating_cash_flow", "money", aliases=("ocf",), required=False),
    Column("investments", "money", aliases=("capex",), required=False),
    Column("working_capital_increase", "money", aliases=("change_in_working_capital",), required=False),
))

CAMPAIGNS = Table("Campaigns", (
    Column("campaign", "text", aliases=("name", "campaign_name"), width=22),
    Column("channel", "text", aliases=("source", "medium"), required=False),
    Column("visits", "count", aliases=("sessions",)),
    Column("direct_visits", "count", aliases=("direct_sessions", "direct")),
    Column("pageviews", "count", aliases=("page_views",)),
    Column("leads", "count"),
    Column("opportunities", "count", aliases=("opps", "sqls")),
    Column("conversions", "count", aliases=("new_customers", "customers_won", "won")),
    Column("referred_leads", "count", aliases=("referrals",)),
    Column("invites_converted", "count", aliases=("invites_accepted",)),
    Column("carts_created", "count", aliases=("carts",)),
    Column("orders_completed", "count", aliases=("orders",)),
    Column("cost", "money", aliases=("spend",), minimum=0),
    Column("revenue", "money", aliases=("attributed_revenue",), minimum=0),
    Column("roi", "rate", formula=_roi("Campaigns")),
))


#: A billing export (one row per subscription or invoice line): not a data sheet of its own, but a
#: *source* from which the customer-month MRR table (:data:`SUBSCRIPTIONS`), the start-vs-end
#: accounts (:data:`ACCOUNTS`) and the monthly customer counts (:data:`MONTHS`, :data:`FINANCE`) are
#: derived (``xl_cskpi.tables.subscriptions``). The keys are the canonical field names the export
#: profiles (``xl_cskpi.exports.profiles``) map Stripe, Chargebee and Paddle headers to.
BILLING = Table("Billing", (
    Column("customer_id", "id", aliases=("customer", "account_id", "account", "client_id")),
    Column("subscription_id", "id", required=False),
    Column("plan", "text", aliases=("product", "tier"), required=False),
    Column("status", "text", aliases=("state",), required=False),
    Column("start", "date", aliases=("start_date", "started_at", "created", "created_at")),
    Column("end", "date", aliases=("end_date", "ended_at", "canceled_at", "cancelled_at"), required=False),
    Column("amount", "money", aliases=("price", "unit_amount", "mrr")),
    Column("currency", "text", required=False),
    Column("interval", "text", aliases=("billing_period", "period", "billing_interval"), required=False),
    Column("interval_count", "count", aliases=("billing_period_count",), required=False),
    Column("quantity", "count", aliases=("qty", "seats", "units"), required=False),
    Column("discount_percent", "number", aliases=("percent_off",), required=False),
    Column("discount_amount", "money", aliases=("amount_off",), required=False),
    Column("trial_end", "date", aliases=("trial_ends_at", "trial_end_date"), required=False),
    Column("cancel_at_period_end", "text", required=False),
    Column("current_period_end", "date", aliases=("next_billing_date", "next_bill_date"), required=False),
    # the date a row was last billed (an invoice line's billing date, a subscription's current period
    # start): the month shown is never after the export's last billing or start date (F8)
    Column("billed_at", "date", aliases=("billed_on", "billing_date", "invoice_date", "invoiced_at",
                                         "current_period_start"), required=False),
    # an invoice line's kind (Paddle's origin: subscription_update = a proration line)
    Column("line_type", "text", aliases=("origin", "line_item_type", "prorated", "proration"), required=False),
))
