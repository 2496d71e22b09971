"""A KPI that is n/a says why on the Data check sheet (engineer H, session 3).

- a monthly table (Months, Finance) that ends before the month shown (chosen across all tables:
  tickets may reach further) gets a warning ``table_ends_before_period`` naming its last month and
  what to pass;
- a KPI whose value is its own "n/a: ..." sentence (the funnel's blank Settings counts) is an info
  finding ``kpi_absent``, as an Absent value is.

Expected values are by hand from the small tables written here.
"""

from __future__ import annotations

import pandas as pd
import pytest

from xl_cskpi.reports import reports
from xl_cskpi.reports.datacheck import finding_text, kpi_findings, month_findings
from xl_cskpi.reports.i18n import translator
from xl_cskpi.reports.period import ends_before

CHURN = reports()["churn_retention"]
UNIT = reports()["unit_economics"]


def _months(*days):
    return pd.DataFrame({"month": pd.to_datetime(list(days))})


def test_months_ending_before_the_month_shown_is_a_warning_with_what_to_pass():
    data = {"Months": _months("2024-07-01", "2024-08-01")}
    got = [f for f in month_findings(CHURN, data, "gregorian", "2024-09") if f.code == "table_ends_before_period"]
    assert len(got) == 1
    f = got[0]
    assert (f.level, f.table, f.fields) == ("warning", "Months", {"table": "Months", "last": "2024-08",
                                                                 "label": "2024-09"})
    assert f.message == ("Months ends at 2024-08, before the month shown 2024-09: its KPIs are n/a for that "
                         "month; pass --period 2024-08 or give Months through 2024-09")
    assert finding_text(f, translator("en")) == f.message


def test_a_table_reaching_the_month_shown_or_no_month_shown_says_nothing():
    data = {"Months": _months("2024-07-01", "2024-09-01")}
    assert [f for f in month_findings(CHURN, data, "gregorian", "2024-09")] == []
    assert month_findings(CHURN, data, "gregorian", "2024-08") == []      # --period before its end
    assert month_findings(CHURN, {"Months": _months("2024-07-01")}, "gregorian") == []   # no month shown
    assert month_findings(CHURN, {"Months": _months()}, "gregorian", "2024-09") == []    # empty: absent elsewhere
    assert month_findings(CHURN, None, "gregorian", "2024-09") == []


def test_finance_and_the_jalali_calendar():
    # 1 Aug 2024 is 11 Mordad 1403 (Jalali month 5); shown Shahrivar 1403 (month 6)
    data = {"Finance": _months("2024-07-01", "2024-08-01")}
    assert ends_before(data, UNIT, "1403-06", "jalali") == [("Finance", "1403-05")]
    assert ends_before(data, UNIT, "1403-05", "jalali") == []
    # a gap inside the table does not matter, only its last month: Jan and Mar, shown 2024-04
    assert ends_before({"Finance": _months("2024-03-01", "2024-01-01")}, UNIT, "2024-04") == [("Finance", "2024-03")]


def test_the_months_findings_of_the_dashboard_name_the_table_whose_kpis_are_na():
    # Months stops in August, Customers reach 28 September (within GRACE_DAYS of its end): the plan shows 2024-09
    # (both months complete long ago) and the Months KPIs of 2024-09 are n/a
    from xl_cskpi.reports import dashboard as dash
    cust = pd.DataFrame({"customer_id": ["A", "B"], "start_date": pd.to_datetime(["2024-01-01", "2024-09-28"]),
                         "end_date": pd.to_datetime([None, None]), "plan": ["p", "p"]})
    months = _months("2024-07-01", "2024-08-01").assign(customers_start=[10, 9], customers_end=[9, 9],
                                                         churned=[1, 0])
    data = {"Months": months, "Customers": cust}
    pp = dash.plan(CHURN, data, "gregorian")
    assert pp.shown == "2024-09"
    codes = [(f.code, f.fields.get("last")) for f in month_findings(CHURN, data, "gregorian", pp.shown)]
    assert codes == [("table_ends_before_period", "2024-08")]


FUNNEL = reports()["funnel"]
SENTENCE = "n/a: enter the customers at the start on the Settings sheet"


def test_a_kpi_reading_its_n_a_sentence_is_an_info_finding():
    got = kpi_findings(FUNNEL, {"acquisition_rate": SENTENCE, "conversion_rate": 0.25}, None, translator("en"))
    assert len(got) == 1
    f = got[0]
    assert (f.level, f.code, f.fields) == ("info", "kpi_absent", {"kpi": "acquisition_rate", "reason": SENTENCE})
    label = translator("en")("kpi.acquisition_rate")
    assert f.message == f"{label}: {SENTENCE}"
    assert finding_text(f, translator("en")) == f.message
    # another text (not an n/a sentence) is not a finding
    assert kpi_findings(FUNNEL, {"acquisition_rate": "2024-09"}, None, translator("en")) == []


@pytest.mark.parametrize("lang, word", [("fa", "ناموجود"), ("ar", "غير متاح")])
def test_the_sentence_finding_reads_in_the_language_once_and_only_once(lang, word):
    f = kpi_findings(FUNNEL, {"acquisition_rate": SENTENCE}, None, translator("en"))[0]
    text = finding_text(f, translator(lang), lang)
    assert text.count(word) == 1 and "n/a" not in text, text
