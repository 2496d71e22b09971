"""Churn & retention: churn, retention and renewal by month from monthly customer counts; with a
Customers table (ids, start and end dates), churn by every vendor's convention and the customers'
survival curve (issue 16).

The churn of the Customers items is that of the period from ``churn_from`` to ``churn_to`` (two dates
on the Settings sheet, both days included; blank: n/a saying "enter a date"): ``customer_churn`` by
the convention chosen there (``churn_convention``, a drop-down list), ``churn_conventions`` by every
convention side by side. ``median_lifetime`` and ``survival_curve`` are Kaplan-Meier over every
customer (a customer's rows merged into spells by its id, followed to its first churn), still-active
ones censored at ``customers_as_of`` (blank: the latest date of the data; a
filled report: that date, never after today). Without a Customers table each
of them says n/a.
"""

from ..spec import KPI, Call, Chart, Col, Lang, Last, Name, Op, Report, Series, Setting, Spill, Word
from .periodic import guard, in_month, only
from .tables import CUSTOMERS, MONTHS

CONVENTIONS = ("chartmogul", "stripe", "profitwell", "baremetrics", "seed", "simple")
IDS, STARTS, ENDS = (Col("Customers", c) for c in ("customer_id", "start_date", "end_date"))
#: the period of the conventions (Settings; the demo fills the second half of its year)
FIRST_DAY, LAST_DAY = Name("churn_from"), Name("churn_to")
#: the day the customers are observed to (blank: the latest date in the list)
AS_OF = Name("customers_as_of")
#: what the chosen convention's churn reads while churn_from or churn_to is blank (fa/ar: labels.py)
ASK_PERIOD = "n/a: enter the churn period's first and last day on the Settings sheet"


def _m(column: str):
    return Call("SUM", in_month("Months", column, "month"))


#: the KPIs of one month: that month's row of the monthly counts (#N/A for a month without a row)
CHURN = guard("Months", "customers_start", "month",
              Call("CHURN_RATE", _m("customers_start"), _m("customers_lost")))
RETENTION = guard("Months", "customers_start", "month",
                  Call("RETENTION_RATE", _m("customers_start"), _m("customers_end"), _m("customers_new")))
RENEWAL = guard("Months", "renewals_due", "month", Call("RENEWAL_RATE", _m("renewals"), _m("renewals_due")))

#: the counts each rate is a share of (issue 16 item 6: a Wilson interval beside the rate of the month
#: shown): customers lost of those at the start; retained (at the end and not new) of those at the start;
#: renewals of those due
CHURN_COUNTS = (_m("customers_lost"), _m("customers_start"))
RETENTION_COUNTS = (Op("-", _m("customers_end"), _m("customers_new")), _m("customers_start"))
RENEWAL_COUNTS = (_m("renewals"), _m("renewals_due"))

REPORT = Report(
    key="churn_retention",
    tables=(MONTHS, CUSTOMERS),
    settings=(
        Setting("target_churn", 0.03, "rate"),
        Setting("target_retention", 0.95, "rate"),
        Setting("target_renewal", 0.85, "rate"),
        Setting("calendar", "gregorian", "text"),
        Setting("churn_convention", "chartmogul", "text", choices=CONVENTIONS),
        Setting("churn_from", None, "date"),
        Setting("churn_to", None, "date"),
        # the day the customer list is measured to (Kaplan-Meier): blank, the latest date in it; a filled
        # report takes that, never after today (fill.customers_as_of_from_data: a scheduled contract end
        # after today is not a churn yet)
        Setting("customers_as_of", "", "date"),
    ),
    spills=(
        Spill("churn_conventions", Call("CUSTOMER_CHURN_RATE", IDS, STARTS, ENDS, FIRST_DAY, LAST_DAY, "all"),
              rows=7, columns=5, column_kinds=("text", "count", "count", "count"), body_kind="rate"),
        # every argument before customer_ids written out: LibreOffice passes a left-out middle argument
        # (SURVIVAL_CURVE(a,b,"month",,0.95,"fa")) as 0 = 1899-12-31; the labels in the report's language
        # (Lang), segments blank; the customer ids last: a customer's rows are one subject (its first spell)
        Spill("survival_curve", Call("SURVIVAL_CURVE", STARTS, ENDS, "month", AS_OF, 0.95, Lang(), "", IDS),
              rows=37, columns=7, column_kinds=("count",) * 4, body_kind="rate"),
    ),
    kpis=(
        KPI("churn_rate", Call("CHURN_RATE", Last("Months", "customers_start"), Last("Months", "customers_lost")),
            target="target_churn", better="lower", headline=True, period=CHURN, interval=CHURN_COUNTS),
        KPI("retention_rate", Call("RETENTION_RATE", Last("Months", "customers_start"),
                                   Last("Months", "customers_end"), Last("Months", "customers_new")),
            target="target_retention", better="higher", period=RETENTION, interval=RETENTION_COUNTS),
        KPI("renewal_rate", Call("RENEWAL_RATE", Call("SUM", Col("Months", "renewals")),
                                 Call("SUM", Col("Months", "renewals_due"))),
            target="target_renewal", better="higher", period=RENEWAL, interval=RENEWAL_COUNTS),
        KPI("customers_end", Last("Months", "customers_end"), kind="count",
            period=only("Months", "customers_end", "month")),
        # blank churn_from/churn_to (the default): the sentence saying what to enter, not a bare #VALUE!;
        # a day typed as text (a Jalali "1403/01/01") is read by CUSTOMER_CHURN, so only blank asks
        KPI("customer_churn", Call("IF", Call("OR", Op("=", FIRST_DAY, ""), Op("=", LAST_DAY, "")),
                                   Word(ASK_PERIOD),
                                   Call("CUSTOMER_CHURN", IDS, STARTS, ENDS, FIRST_DAY, LAST_DAY,
                                        Name("churn_convention"))),
            better="lower", kind="rate"),
        # a customer's rows (an add-on, a renewal row) merged into spells, as the monthly counts and
        # CUSTOMER_CHURN_RATE merge them: each customer once, to its first churn
        KPI("median_lifetime", Call("MEDIAN_LIFETIME", STARTS, ENDS, "month", AS_OF, IDS), kind="months"),
    ),
    charts=(
        # churn on its own axis, retention on a second one (a 0-100 % axis flattens churn); the 12
        # months ending at the period shown, in the report's calendar; a month without customers at
        # its start is a gap
        Chart("churn_trend", "line", ("window", "label"), (
            Series(("window", "churn_rate"), "series.churn"),
            Series(("window", "retention_rate"), "series.retention", axis="secondary"),
        ), percent=True, y_title="series.churn", y2_title="series.retention"),
        # Kaplan-Meier survival by month with its 95 % band (SURVIVAL_CURVE: 1 Period, 5 Survival, 6 Low, 7 High)
        Chart("survival", "line", ("spill", "survival_curve", 1, None), (
            Series(("spill", "survival_curve", 5, None), "series.survival"),
            Series(("spill", "survival_curve", 6, None), "series.ci_low"),
            Series(("spill", "survival_curve", 7, None), "series.ci_high"),
        ), percent=True),
    ),
)
