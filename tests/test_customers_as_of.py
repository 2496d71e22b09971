"""The day a customer list is measured to (reviewer's H5, session 6).

A CRM contract list holds each contract's scheduled end. MEDIAN_LIFETIME was called without ``as_of``
(the latest date in the data), so every scheduled end after the day the report was made counted as a
churn at the contract's length: "12.0 months" where, as of that day, only one of seven customers had
left (Kaplan-Meier survival 75 %: the median is longer than the data shows). A filled report now
measures the list to its latest date, never after today (``customers_as_of``), and says so; end dates
on whole-year anniversaries of their start are a warning (contract terms, not cancellations).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from xl_cskpi import median_lifetime
from xl_cskpi.errors import KPIError
from xl_cskpi.exports.check import DataCheck, ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import customers_as_of_from_data, load_data

R = reports()["churn_retention"]

# the reviewer's crm_contracts_en.csv: 7 annual contracts started 2026-01..2026-11, each ending a year
# later, except C3, cancelled on 2026-08-10
CONTRACTS = ("Customer ID,Company,Contract Start,Contract End,Plan\n"
             "C1,Alpha,2026-01-05,2027-01-05,Gold\nC2,Beta,2026-02-10,2027-02-10,Silver\n"
             "C3,Gamma,2026-03-01,2026-08-10,Gold\nC4,Delta,2026-05-01,2027-05-01,Bronze\n"
             "C5,Eps,2026-07-01,2027-07-01,Gold\nC6,Zeta,2026-09-15,2027-09-15,Silver\n"
             "C7,Eta,2026-11-01,2027-11-01,Gold\n")


def _load(tmp_path, text=CONTRACTS):
    p = tmp_path / "contracts.csv"
    p.write_text(text, encoding="utf-8")
    return load_data(R, [p], ReadOptions())


def test_scheduled_ends_after_today_are_not_churn(tmp_path):
    data, check = _load(tmp_path)
    settings = customers_as_of_from_data(R, data, {}, check, today=dt.date(2026, 12, 1))
    assert settings["customers_as_of"] == dt.datetime(2026, 12, 1)
    (f,) = [f for f in check if f.code == "customer_ends_after_today"]
    assert f.level == "warning" and f.fields["count"] == 6 and f.fields["latest"] == "2027-11-01"
    # Kaplan-Meier by hand as of 2026-12-01: C3 left in its 6th month (2026-03-01 -> 2026-08-10: 5 months and
    # 9 days, counted up); at risk then C1 (11), C2 (10), C3 (6), C4 (7) -- C5 (5 months), C6 (3), C7 (1) are
    # censored before -> S = 1 - 1/4 = 0.75 and no later event: the median is longer than the data shows
    v = build(R, tmp_path / "v.xlsx", data=data, values=True, settings=settings)
    assert isinstance(v["median_lifetime"], KPIError) and v["median_lifetime"].code == "#N/A"
    assert "lowest 75.0% after 6 months, 1 of 7 customers churned" in v["median_lifetime"].message
    # the same function with the day given, as the library's users call it
    c = data["Customers"]
    with pytest.raises(KPIError, match="lowest 75.0%"):
        median_lifetime(c["start_date"].tolist(), c["end_date"].tolist(), "month", "2026-12-01")
    # before: without as_of every scheduled end was a churn at 12 months
    assert median_lifetime(c["start_date"].tolist(), c["end_date"].tolist(), "month") == 12.0


def test_a_list_measured_before_today_keeps_its_latest_date(tmp_path):
    data, check = _load(tmp_path)
    settings = customers_as_of_from_data(R, data, {}, check, today=dt.date(2028, 1, 1))
    assert settings["customers_as_of"] == dt.datetime(2027, 11, 1)
    assert not [f for f in check if f.code == "customer_ends_after_today"]
    (info,) = [f for f in check if f.code == "customers_as_of_from_data"]
    assert info.fields["variant"] == "latest"


def test_ends_on_anniversaries_are_a_warning(tmp_path):
    # 6 of the 7 ended customers end exactly a year after their start (C3 does not): contract terms
    data, check = _load(tmp_path)
    customers_as_of_from_data(R, data, {}, check, today=dt.date(2028, 1, 1))
    (f,) = [f for f in check if f.code == "ends_on_anniversary"]
    assert (f.fields["count"], f.fields["ended"]) == (6, 7)


def test_cancellations_at_any_day_are_not_anniversaries(tmp_path):
    text = ("customer_id,start_date,end_date\nC1,2024-01-05,2024-03-20\nC2,2024-02-10,2024-09-01\n"
            "C3,2024-03-01,2025-03-01\nC4,2024-04-01,2024-04-30\n")
    data, check = _load(tmp_path, text)
    customers_as_of_from_data(R, data, {}, check, today=dt.date(2026, 1, 1))
    assert not [f for f in check if f.code == "ends_on_anniversary"]


def test_a_date_the_user_gave_is_kept(tmp_path):
    data, check = _load(tmp_path)
    given = {"customers_as_of": dt.datetime(2026, 6, 30)}
    assert customers_as_of_from_data(R, data, given, check, today=dt.date(2026, 12, 1)) == given
    assert not [f for f in check if f.code in ("customers_as_of_from_data", "customer_ends_after_today")]


def test_hijri_anniversaries_are_contract_terms_too(tmp_path):
    # reviewer's K3 (session 6): a Hijri year is 354 or 355 days, so annual contracts of a Saudi list were never
    # flagged. 1445/01/01 = 2023-07-19, 1446/01/01 = 2024-07-07 (354 days), 1446/03/15 = 2024-09-18,
    # 1447/03/15 = 2025-09-07 (354 days), 1445/06/10 = 2023-12-23, 1446/06/10 = 2024-12-11 (354 days; hijridate)
    text = ("customer_id,start_date,end_date\nA,2023-07-19,2024-07-07\nB,2024-09-18,2025-09-07\n"
            "C,2023-12-23,2024-12-11\nD,2024-01-05,2024-03-20\n")
    data, check = _load(tmp_path, text)
    customers_as_of_from_data(R, data, {}, check, today=dt.date(2026, 1, 1))
    (f,) = [f for f in check if f.code == "ends_on_anniversary"]
    assert (f.fields["count"], f.fields["ended"]) == (3, 4)


def test_a_renewal_row_the_day_after_the_end_is_one_customer_and_said(tmp_path):
    # reviewer's K2 (session 6, /tmp/r7/in/crm_renew.csv): C2 2024-01-10..2024-06-30, renewal from 2024-07-01 (a
    # CRM's inclusive end date) was a churn on 30 June and a return on 1 July; now one spell, said in a note
    from xl_cskpi.reports.fill import next_day_renewals

    text = ("customer_id,start_date,end_date\nC1,2024-01-15,\nC2,2024-01-10,2024-06-30\nC2,2024-07-01,\n"
            "C3,2024-02-01,2024-04-01\nC3,2024-04-01,\nC4,2024-03-01,2024-05-01\nC4,2024-05-03,\n")
    data, check = _load(tmp_path, text)
    next_day_renewals(data, check)
    (f,) = [f for f in check if f.code == "renewal_next_day"]
    assert (f.level, f.fields["count"], f.fields["customer"]) == ("info", 1, "C2")   # C3 touches, C4 is 2 days out
    # by hand: June starts with C1 C2 C3 C4 (C4 back on 05-03) and loses none (C2 renews on 07-01 after its
    # inclusive end 06-30): churn 0 %, 4 at the end; C4's two-day gap (out 05-01, back 05-03) is a churn and a
    # return within May, so May counts it neither lost nor new (the monthly counts' rule)
    months = data["Months"].set_index("month")
    june, may = months.loc[pd.Timestamp("2024-06-01")], months.loc[pd.Timestamp("2024-05-01")]
    assert (june["customers_start"], june["customers_lost"], june["customers_end"]) == (4, 0, 4)
    assert (may["customers_new"], may["customers_lost"]) == (0, 0)


def test_a_month_missing_from_an_mrr_table_is_said(tmp_path):
    # reviewer's K4 (session 6, /tmp/r7/in/mrr_gap.csv): no row at all for 2024-03 between 2024-02 and 2024-04 read as
    # MRR 0, NRR 0 %, churn 100 % with no word; now a warning naming the month (Jalali: 1403-02 missing)
    from xl_cskpi.reports.fill import months_without_rows

    rev = reports()["revenue"]
    p = tmp_path / "mrr.csv"
    p.write_text("customer_id,month,mrr\nA,2024-01,100\nB,2024-01,50\nA,2024-02,100\nA,2024-04,120\nB,2024-04,50\n",
                 encoding="utf-8")
    data, check = load_data(rev, [p], ReadOptions())
    months_without_rows(data, check)
    (f,) = [f for f in check if f.code == "month_without_rows"]
    assert (f.fields["months"], f.fields["count"]) == ("2024-03", 1)
    p.write_text("customer_id,month,mrr\nA,1403-01,100\nA,1403-03,100\n", encoding="utf-8")
    data, check = load_data(rev, [p], ReadOptions(lang="fa", calendar="jalali"))
    months_without_rows(data, check, "jalali")
    assert [f.fields["months"] for f in check if f.code == "month_without_rows"] == ["1403-02"]
    # every month present: nothing said
    p.write_text("customer_id,month,mrr\nA,2024-01,100\nB,2024-02,100\n", encoding="utf-8")
    data, check = load_data(rev, [p], ReadOptions())
    months_without_rows(data, check)
    assert not [f for f in check if f.code == "month_without_rows"]


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_compute_reads_a_next_day_renewal_as_one_customer(engine):
    # the same rule on the engines (tables.churn.customer_spells, SQL SPANS_BY_CUSTOMER, the pandas reference):
    # C2 2024-01-10..2024-06-30 (inclusive end), renewal from 2024-07-01; C3 leaves 2024-06-15 -> June: start 3
    # (C1 C2 C3), lost 1 (C3), end 2 -- by hand; before, C2 was lost in June and new in July
    from xl_cskpi import engines

    df = pd.DataFrame({"customer_id": ["C1", "C2", "C2", "C3"],
                       "start_date": ["2024-01-05", "2024-01-10", "2024-07-01", "2024-02-01"],
                       "end_date": [None, "2024-06-30", None, "2024-06-15"]})
    t = engines.compute("monthly_churn", df, engine=engine)
    t["month"] = pd.to_datetime(t["month"]).dt.strftime("%Y-%m")
    t = t.set_index("month")
    assert t.loc["2024-06", ["customers_start", "customers_new", "customers_lost", "customers_end"]].tolist() == \
        [3, 0, 1, 2]
    assert t.loc["2024-07", ["customers_new", "customers_lost"]].tolist() == [0, 0]
