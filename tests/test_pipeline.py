"""The pipeline from export files to typed canonical tables (reports.fill.load_data), end to end.

Every export here is written in the test, shaped like what the named system writes; every expected
number is computed again in the test (pandas or a hand figure named in a comment), never read back
from the code under test.
"""

from __future__ import annotations

from pathlib import Path

import jdatetime
import numpy as np
import pandas as pd
import pytest

from xl_cskpi.exports.check import DataCheck, ExportError, ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.fill import load_data

R = reports()


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = folder / name
    p.write_text(text, encoding=encoding)
    return p


def load(report: str, paths, **options) -> tuple[dict[str, pd.DataFrame], DataCheck]:
    return load_data(R[report], [Path(p) for p in paths], ReadOptions(**options))


def findings(check: DataCheck, code: str) -> list:
    return [f for f in check if f.code == code]


# --------------------------------------------------------------------------- one rule per date column

def test_day_first_dates_are_read_day_first_for_the_whole_column(tmp_path):
    # issue 11: in one column 05/03/2024 became 3 May and 15/03/2024 15 March. 15 cannot be a month,
    # so the column is day-month-year and 05/03/2024 is 5 March.
    p = write(tmp_path, "responses.csv", "submitted_at,nps_score\n05/03/2024,9\n15/03/2024,3\n")
    data, _ = load("survey_scores", [p])
    assert data["Responses"]["submitted_at"].tolist() == [pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-15")]


def test_month_first_dates_are_read_month_first(tmp_path):
    # a US export: 03/15/2024 proves month-day-year, so 03/05/2024 is 5 March
    p = write(tmp_path, "responses.csv", "submitted_at,nps_score\n03/05/2024,9\n03/15/2024,3\n")
    data, _ = load("survey_scores", [p])
    assert data["Responses"]["submitted_at"].tolist() == [pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-15")]


def test_an_ambiguous_date_column_asks_for_date_order(tmp_path):
    # every day <= 12: 05/03/2024 is 5 March or 3 May, and nothing in the column says which
    p = write(tmp_path, "responses.csv", "Submitted,nps_score\n05/03/2024,9\n06/03/2024,3\n")
    with pytest.raises(ExportError, match=r"responses\.csv.*Submitted.*--date-order") as e:
        load("survey_scores", [p])
    assert "\n" not in str(e.value)
    dmy, _ = load("survey_scores", [p], date_order="dmy")
    mdy, _ = load("survey_scores", [p], date_order="mdy")
    assert dmy["Responses"]["submitted_at"].tolist() == [pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-06")]
    assert mdy["Responses"]["submitted_at"].tolist() == [pd.Timestamp("2024-05-03"), pd.Timestamp("2024-06-03")]


@pytest.mark.parametrize("fmt, order", [("%Y-%m-%d", None), ("%d/%m/%Y", "dmy"), ("%m/%d/%Y", "mdy")])
def test_a_monthly_mrr_export_dated_on_the_fifth_stays_twelve_months(tmp_path, fmt, order):
    # issue 11: a year of monthly MRR dated on the 5th collapsed into a single month with exit 0.
    # Two customers, 100 and 250 a month, every month of 2024, billed on the 5th.
    days = pd.date_range("2024-01-01", periods=12, freq="MS") + pd.Timedelta(days=4)
    rows = [f"{c},{d.strftime(fmt)},{m}" for d in days for c, m in (("C1", 100), ("C2", 250))]
    p = write(tmp_path, "subscriptions.csv", "customer_id,month,mrr\n" + "\n".join(rows) + "\n")
    data, _ = load("revenue", [p], date_order=order)
    subs = data["Subscriptions"]
    months = pd.to_datetime(subs["month"]).dt.to_period("M")
    assert months.nunique() == 12
    assert subs.groupby(months)["mrr"].sum().tolist() == [350.0] * 12
    assert subs["month"].tolist() == [d for d in days for _ in range(2)]      # the dates as written
    from xl_cskpi.tables.movements import mrr_movements

    moves = mrr_movements(subs["customer_id"], subs["month"], subs["mrr"])     # the report's MRR bridge
    assert moves["Month"].tolist() == [f"2024-{m:02d}" for m in range(1, 13)]
    assert moves["Ending MRR"].astype(float).tolist() == [350.0] * 12
    if order is not None:     # dd/mm and mm/dd alike: 05/01 .. 05/12 is ambiguous without the order
        with pytest.raises(ExportError, match="--date-order"):
            load("revenue", [p])


def test_arabic_digit_dates(tmp_path):
    # issue 11: ٠٤/٠٣/٢٠٢٤ was read as 3 April; ١٥/٠٣/٢٠٢٤ in the same column proves day-month-year
    p = write(tmp_path, "responses.csv", "submitted_at,nps_score\n٠٤/٠٣/٢٠٢٤,٩\n١٥/٠٣/٢٠٢٤,١٠\n")
    data, _ = load("survey_scores", [p], lang="ar")
    df = data["Responses"]
    assert df["submitted_at"].tolist() == [pd.Timestamp("2024-03-04"), pd.Timestamp("2024-03-15")]
    assert df["nps_score"].tolist() == [9.0, 10.0]


@pytest.mark.parametrize("labels", [("1403-04", "1403-05"), ("۱۴۰۳/۰۴", "۱۴۰۳/۰۵")])
def test_jalali_month_labels_in_persian_reports(tmp_path, labels):
    # issue 11: Jalali month labels crashed with "Out of bounds nanosecond timestamp". A month label
    # is the first day of that Jalali month (jdatetime: 1 Tir 1403 = 21 June 2024, 1 Mordad = 22 July)
    body = "".join(f"{m},1000,50,20,1030,10,9\n" for m in labels)
    p = write(tmp_path, "months.csv", "month,customers_start,customers_new,customers_lost,customers_end,"
                                      "renewals_due,renewals\n" + body)
    data, _ = load("churn_retention", [p], lang="fa")
    want = [pd.Timestamp(jdatetime.date(1403, m, 1).togregorian()) for m in (4, 5)]
    assert data["Months"]["month"].tolist() == want
    # --calendar jalali does the same in an English report
    data, _ = load("churn_retention", [p], lang="en", calendar="jalali")
    assert data["Months"]["month"].tolist() == want


# --------------------------------------------------------------------------- numbers

def test_decimal_comma_export(tmp_path):
    # a German/Persian-style export: ';' between cells, ',' before decimals, '.' between thousands
    p = write(tmp_path, "accounts.csv", "customer_id;previous_mrr;current_mrr\nC1;99,00;1.200,50\nC2;10,5;0\n")
    data, _ = load("revenue", [p], decimal=",")
    acc = data["Accounts"]
    assert acc["previous_mrr"].tolist() == [99.0, 10.5]
    assert acc["current_mrr"].tolist() == [1200.5, 0.0]


def test_currency_symbols_and_accounting_negatives(tmp_path):
    # $1,200 is 1200; (123) is -123 as accountants write it -- and a negative MRR is out of range
    p = write(tmp_path, "accounts.csv", 'customer_id,previous_mrr,current_mrr\nC1,"$1,200",$1000\nC2,$300,(123)\n')
    data, check = load("revenue", [p])
    acc = data["Accounts"]
    assert acc["previous_mrr"].tolist() == [1200.0, 300.0]
    assert acc["current_mrr"].tolist() == [1000.0, -123.0]
    [f] = findings(check, "out_of_range")
    assert (f.level, f.file, f.row, f.column) == ("warning", str(p), 3, "current_mrr")
    assert "-123" in f.message


# --------------------------------------------------------------------------- the data check

def test_rows_read_per_table_and_file(tmp_path):
    r = write(tmp_path, "responses.csv", "submitted_at,nps_score\n2024-03-01,9\n2024-03-02,10\n2024-03-03,4\n")
    e = write(tmp_path, "employees.csv", "submitted_at,enps_score\n2024-03-01,9\n")
    data, check = load("survey_scores", [r, e])
    got = sorted((f.table, f.file, f.fields["rows"]) for f in findings(check, "rows_read"))
    assert got == [("EmployeeSurvey", str(e), 1), ("Responses", str(r), 3)]
    assert all(f.level == "info" for f in check)


def test_out_of_range_values_name_file_row_and_column(tmp_path):
    # issue 11: an NPS answer of 11 and a health score of -20 gave #NUM! and exit 0 without a reason
    r = write(tmp_path, "responses.csv", "submitted_at,NPS\n2024-03-01,9\n2024-03-02,11\n2024-03-03,4\n")
    _, check = load("survey_scores", [r])
    [f] = findings(check, "out_of_range")
    assert (f.level, f.file, f.row, f.column, f.table) == ("warning", str(r), 3, "NPS", "Responses")
    assert "11" in f.message and "10" in f.message
    h = write(tmp_path, "health.csv", "customer_id,usage,support,payment\nA,80,70,90\nB,-20,70,90\nC,50,-1,90\n")
    data, check = load("customer_health", [h])
    got = sorted((f.row, f.column) for f in findings(check, "out_of_range"))
    assert got == [(3, "usage"), (4, "support")]
    assert data["Health"]["usage"].tolist() == [80.0, -20.0, 50.0]   # kept as written: the KPI says why


def test_tickets_resolved_before_opened(tmp_path):
    t = write(tmp_path, "tickets.csv", "ticket_id,opened_at,resolved_at\nT1,2024-03-01 09:00,2024-03-01 11:00\n"
                                       "T2,2024-03-02 09:00,2024-03-01 09:00\nT3,2024-03-02 09:00,\n")
    _, check = load("support_complaints", [t])
    [f] = findings(check, "out_of_range")
    assert (f.file, f.row, f.column, f.table) == (str(t), 3, "resolved_at", "Tickets")


def test_many_values_out_of_range_are_one_line_with_the_count(tmp_path):
    body = "".join(f"2024-03-01,{11 if i % 2 else 9}\n" for i in range(40))
    r = write(tmp_path, "responses.csv", "submitted_at,nps_score\n" + body)
    _, check = load("survey_scores", [r])
    [f] = findings(check, "out_of_range")
    # rows 2.. hold i = 0..39; odd i (20 of them) answered 11: first at file row 3
    assert f.row == 3 and f.fields["count"] == 20 and "20 rows" in f.message


def test_duplicate_rows_are_counted_and_named(tmp_path):
    t = write(tmp_path, "tickets.csv", "ticket_id,opened_at,resolved_at\nT1,2024-03-01 09:00,2024-03-01 11:00\n"
                                       "T2,2024-03-02 09:00,\nT1,2024-03-01 09:00,2024-03-01 11:00\n"
                                       "T1,2024-03-01 09:00,2024-03-01 11:00\n")
    data, check = load("support_complaints", [t])
    [f] = findings(check, "duplicate_rows")
    assert (f.level, f.file, f.row, f.fields["count"], f.fields["rows"]) == ("warning", str(t), 4, 2, [4, 5])
    assert f.fields["repeats"] == [2, 2] and "row 4 = row 2, row 5 = row 2" in f.message
    assert len(data["Tickets"]) == 4     # kept: the user decides


def test_a_cell_that_cannot_be_read_names_file_row_and_column(tmp_path):
    p = write(tmp_path, "tickets.csv", "ticket_id,Created at,resolved_at\nT1,2024-03-01 09:00,\n"
                                       "T2,someday,\n")
    with pytest.raises(ExportError, match=r"tickets\.csv: row 3, column Created at: .*someday"):
        load("support_complaints", [p])


def test_a_report_runs_from_any_subset_of_its_tables(tmp_path):
    r = write(tmp_path, "responses.csv", "submitted_at,nps_score\n2024-03-01,9\n")
    data, check = load("overview", [r])
    assert list(data) == ["Responses"]
    assert sorted(f.table for f in findings(check, "table_absent")) == ["Accounts", "Months", "Subscriptions",
                                                                         "Tickets"]


def test_the_old_call_still_returns_the_tables(tmp_path):
    # until every caller passes ReadOptions: a language code returns the tables alone
    r = write(tmp_path, "responses.csv", "submitted_at,nps_score\n2024-03-01,9\n")
    assert list(load_data(R["survey_scores"], [r], "en")) == ["Responses"]
    assert list(load_data(R["survey_scores"], [r])) == ["Responses"]


# --------------------------------------------------------------------------- a billing export alone

#: Subscriptions as a Stripe account holds them (customer, plan, seats, interval, amount per
#: interval, status, start, trial end, end). Customer C adds a second subscription (expansion), D
#: cancels and comes back (churn, reactivation), F moves to a cheaper plan (contraction), E is
#: still in its trial (not paying: Stripe "trialing"), B pays yearly (1,200 a year = 100 a month).
SUBS = [
    # id,   customer, plan,   qty, interval, amount, status,     start,        trial_end,    end
    ("sub_1", "cus_A", "Team", 2, "month", 100.0, "active", "2023-01-10", None, None),
    ("sub_2", "cus_B", "Pro", 1, "year", 1200.0, "canceled", "2023-01-20", None, "2023-09-15"),
    ("sub_3", "cus_C", "Basic", 1, "month", 50.0, "active", "2023-03-05", "2023-04-05", None),
    ("sub_4", "cus_C", "Addon", 1, "month", 30.0, "active", "2023-10-01", None, None),
    ("sub_5", "cus_D", "Basic", 1, "month", 80.0, "canceled", "2023-06-15", None, "2023-11-03"),
    ("sub_6", "cus_D", "Basic", 1, "month", 80.0, "active", "2024-02-01", None, None),
    ("sub_7", "cus_E", "Pro", 1, "month", 99.0, "trialing", "2024-03-01", "2024-03-31", None),
    ("sub_8", "cus_F", "Scale", 1, "month", 300.0, "canceled", "2023-02-01", None, "2023-12-01"),
    ("sub_9", "cus_F", "Team", 1, "month", 150.0, "active", "2023-12-01", None, None),
    ("sub_10", "cus_G", "Basic", 1, "month", 40.0, "active", "2024-03-10", None, None),
]
SUB_COLUMNS = ["id", "customer", "plan", "quantity", "interval", "amount", "status", "start", "trial_end", "end"]
#: The same subscriptions as each billing system exports them: header of each column of SUBS (None:
#: the system has no such column), then the system's extra columns. Header sets: Stripe Dashboard >
#: Subscriptions > Export; Chargebee > Export data > Subscriptions (``subscriptions.*``); Paddle
#: Billing's subscription entity flattened with dots, amounts in cents (developer.paddle.com).
HEADERS = {
    "generic": ["subscription_id", "customer_id", "plan", "quantity", "interval", "amount", "status", "start",
                "trial_end", "end"],
    "stripe": ["id", "Customer ID", "Plan", "Quantity", "Interval", "Amount", "Status", "Start Date (UTC)",
               "Trial End (UTC)", "Ended At (UTC)"],
    "chargebee": ["subscriptions.id", "customers.id", "subscriptions.plan_id", "subscriptions.plan_quantity",
                  "subscriptions.billing_period_unit", "subscriptions.plan_unit_price", "subscriptions.status",
                  "subscriptions.started_at", "subscriptions.trial_end", "subscriptions.cancelled_at"],
    "paddle": ["id", "customer_id", "items.price.product_id", "items.quantity", "billing_cycle.interval",
               "items.price.unit_price.amount", "status", "started_at", None, "canceled_at"],
}
STATUS_WORDS = {"chargebee": {"canceled": "cancelled", "trialing": "in_trial"}}
DATE_FORMATS = {"generic": "%Y-%m-%d", "stripe": "%Y-%m-%d 14:03", "chargebee": "%Y-%m-%d",
                "paddle": "%Y-%m-%dT14:03:00Z"}


def write_subscriptions(folder: Path, style: str) -> Path:
    heads = HEADERS[style]
    keep = [i for i, h in enumerate(heads) if h is not None]
    header = [heads[i] for i in keep]
    extra: dict[str, list[str]] = {}
    if style == "stripe":       # Stripe writes the current period of each subscription
        extra = {"Current Period Start (UTC)": ["2024-03-01 00:00"] * len(SUBS),
                 "Current Period End (UTC)": ["2024-04-01 00:00"] * len(SUBS)}
    elif style == "chargebee":
        extra = {"subscriptions.billing_period": ["1"] * len(SUBS),
                 "subscriptions.currency_code": ["USD"] * len(SUBS)}
    elif style == "paddle":     # no trial end: Paddle says when billing began (first_billed_at)
        first = [max(r[7], r[8] or r[7]) for r in SUBS]
        extra = {"first_billed_at": [pd.Timestamp(d).strftime(DATE_FORMATS["paddle"]) for d in first],
                 "billing_cycle.frequency": ["1"] * len(SUBS), "currency_code": ["USD"] * len(SUBS),
                 "next_billed_at": ["2024-04-10T14:03:00Z"] * len(SUBS)}
    lines = [",".join(header + list(extra))]
    for j, row in enumerate(SUBS):
        cells = []
        for i in keep:
            v = row[i]
            if v is None:
                cells.append("")
            elif i in (7, 8, 9):
                cells.append(pd.Timestamp(v).strftime(DATE_FORMATS[style]))
            elif i == 5:
                cells.append(str(int(round(v * 100))) if style == "paddle" else f"{v:.2f}")
            elif i == 6:
                cells.append(STATUS_WORDS.get(style, {}).get(v, v))
            else:
                cells.append(str(v))
        lines.append(",".join(cells + [extra[h][j] for h in extra]))
    return write(folder, f"subscriptions_{style}.csv", "\n".join(lines) + "\n")


def expected_mrr() -> pd.DataFrame:
    """Customer x month MRR, computed here from the rule stated in ChartMogul/Recurly terms: the
    subscriptions paying on the last day of each month (on the export's last date in its last
    month), an annual amount / 12, trials not paying."""
    s = pd.DataFrame(SUBS, columns=SUB_COLUMNS)
    for c in ("start", "trial_end", "end"):
        s[c] = pd.to_datetime(s[c])
    s["monthly"] = s["amount"] * s["quantity"] / s["interval"].map({"month": 1, "year": 12})
    s["from"] = s[["start", "trial_end"]].max(axis=1)
    as_of = max(s["start"].max(), s["end"].max())
    months = pd.period_range(s["start"].min(), as_of, freq="M")
    out = {}
    for m in months:
        snap = min(m.end_time.normalize(), as_of)
        paying = (s["status"] != "trialing") & (s["from"] <= snap) & (s["end"].isna() | (s["end"] > snap))
        out[m] = s[paying].groupby("customer")["monthly"].sum()
    return pd.DataFrame(out).fillna(0.0).T          # rows: months, columns: customers


@pytest.mark.parametrize("style", ["generic", "stripe", "chargebee", "paddle"])
def test_a_subscriptions_export_alone_gives_the_revenue_report(tmp_path, style):
    from xl_cskpi.reports.builder import build
    from xl_cskpi.tables.movements import mrr_movements

    p = write_subscriptions(tmp_path, style)
    data, check = load("revenue", [p])
    assert list(data) == ["Subscriptions", "Accounts"]
    want = expected_mrr()
    # the customer-month table: every positive cell of the independent matrix, nothing else
    subs = data["Subscriptions"]
    got = subs.assign(m=pd.to_datetime(subs["month"]).dt.to_period("M")).pivot_table(
        index="m", columns="customer_id", values="mrr", aggfunc="sum").fillna(0.0)
    got = got.reindex(index=want.index, columns=want.columns, fill_value=0.0)
    pd.testing.assert_frame_equal(got, want, check_names=False, check_freq=False)
    # the MRR bridge, month by month: new / expansion / contraction / churned / reactivation
    prev = want.shift(1, fill_value=0.0)
    ever = (want > 0).cumsum().shift(1, fill_value=0) > 0          # paid in some earlier month
    new = want.where((prev == 0) & ~ever, 0.0).sum(axis=1)
    react = want.where((prev == 0) & ever, 0.0).sum(axis=1)
    exp = (want - prev).where((prev > 0) & (want > prev), 0.0).sum(axis=1)
    con = (prev - want).where((want > 0) & (want < prev), 0.0).sum(axis=1)
    churn = prev.where((prev > 0) & (want == 0), 0.0).sum(axis=1)
    assert (prev.sum(axis=1) + new + react + exp - con - churn - want.sum(axis=1)).abs().max() < 1e-9
    moves = mrr_movements(subs["customer_id"], subs["month"], subs["mrr"])     # the report's MRR_MOVEMENTS
    assert moves["Month"].tolist() == [str(m) for m in want.index]
    for column, mine in (("New MRR", new), ("Expansion MRR", exp), ("Contraction MRR", con),
                         ("Churned MRR", churn), ("Reactivation MRR", react), ("Ending MRR", want.sum(axis=1))):
        assert moves[column].astype(float).tolist() == pytest.approx(mine.tolist()), column
    # NRR/GRR: the last month against twelve months before (March 2023 -> March 2024)
    before, now = want.iloc[-13], want.iloc[-1]
    kept = before > 0
    nrr = now[kept].sum() / before[kept].sum()
    grr = np.minimum(now, before)[kept].sum() / before[kept].sum()
    qr = (new.sum() + exp.sum() + react.sum()) / (churn.sum() + con.sum())
    # the export's last event is in March (a start on 10 March, or a renewal): March is measured to
    # that day, so it is still in progress and the default month is the one before (reviewer's F8);
    # the March figures are asked for by name
    default = build(R["revenue"], tmp_path / "d.xlsx", data=data, values=True)
    assert default["_period"] == "2024-02" and default["mrr"] == pytest.approx(want.iloc[-2].sum())
    values = build(R["revenue"], tmp_path / "r.xlsx", data=data, values=True, period="2024-03")
    assert values["mrr"] == pytest.approx(now.sum())
    whole = values["_whole"]          # over all the data (the Accounts span, every month's movements)
    assert whole["nrr"] == pytest.approx(nrr)
    assert whole["grr"] == pytest.approx(grr)
    assert whole["quick_ratio"] == pytest.approx(qr)
    # the dashboard shows the last month against the one before it (reports.dashboard): NRR/GRR of the
    # customers paying in February, their MRR in March (ChartMogul: new and reactivated left out)
    last = want.iloc[-2]
    paying = last > 0
    assert values["nrr"] == pytest.approx(now[paying].sum() / last[paying].sum())
    assert values["grr"] == pytest.approx(np.minimum(now, last)[paying].sum() / last[paying].sum())
    lost = churn.iloc[-1] + con.iloc[-1]
    if lost > 0:
        assert values["quick_ratio"] == pytest.approx((new.iloc[-1] + exp.iloc[-1] + react.iloc[-1]) / lost)
    else:              # nothing lost in March: QUICK_RATIO says it has no finite value
        assert values["quick_ratio"].code == "#DIV/0!"
    # the check says what was derived, which months NRR compares, and that E's trial is not paying
    [d] = findings(check, "tables_derived")
    assert d.fields["tables"] == ["Subscriptions", "Accounts"] and d.fields["months"] == len(want)
    [a] = findings(check, "accounts_compare")
    assert (a.fields["previous"], a.fields["current"]) == ("2023-03", "2024-03")
    assert any(f.code == "subscription_trial" for f in check)


def expected_counts(want: pd.DataFrame) -> pd.DataFrame:
    """Customers at start / new / lost / at end per month from the customer x month matrix."""
    now, before = want > 0, (want > 0).shift(1, fill_value=False)
    return pd.DataFrame({"customers_start": before.sum(axis=1), "customers_new": (now & ~before).sum(axis=1),
                         "customers_lost": (before & ~now).sum(axis=1), "customers_end": now.sum(axis=1)})


def test_the_same_subscriptions_export_feeds_churn_cohorts_and_unit_economics(tmp_path):
    p = write_subscriptions(tmp_path, "stripe")
    want = expected_mrr()
    counts = expected_counts(want)
    data, check = load("churn_retention", [p])
    months = data["Months"]
    assert pd.to_datetime(months["month"]).dt.to_period("M").tolist() == list(want.index)
    for c in counts:
        assert months[c].astype(float).tolist() == counts[c].astype(float).tolist(), c
    assert months["renewals_due"].isna().all() and months["renewals"].isna().all()   # not in a billing export
    [blank] = findings(check, "columns_blank")
    assert blank.fields["columns"] == ["renewals_due", "renewals"]
    data, _ = load("cohort_retention", [p])
    assert len(data["Subscriptions"]) == int((want > 0).to_numpy().sum())
    data, _ = load("unit_economics", [p])
    fin = data["Finance"]
    assert fin["revenue"].astype(float).tolist() == pytest.approx(want.sum(axis=1).tolist())
    assert fin["customers_new"].astype(float).tolist() == counts["customers_new"].astype(float).tolist()
    assert fin["sales_marketing_spend"].isna().all()


# --------------------------------------------------------------------------- survey and ticket exports

def nps(scores) -> float:
    """Bain & Company: % promoters (9-10) minus % detractors (0-6)."""
    s = pd.Series(scores, dtype=float).dropna()
    return 100 * ((s >= 9).mean() - (s <= 6).mean())


def test_an_nps_only_typeform_export_gives_the_survey_report(tmp_path):
    # issue 11: survey_scores refused a customer NPS survey without an employee eNPS file, and a
    # Typeform export whose NPS question header is the question text gave NPS #DIV/0! with exit 0
    from xl_cskpi.reports.builder import build

    scores = [10, 9, 9, 8, 7, 6, 3, 10, 0, 9, None, 10]
    q = '"How likely are you to recommend Acme to a friend or colleague?"'
    lines = [f"#,{q},What is the main reason for your score?,Start Date (UTC),Submit Date (UTC),Network ID"]
    for i, v in enumerate(scores):
        day = f"2024-06-{i + 1:02d}"
        lines.append(f"tok{i},{'' if v is None else v},reason {i},{day} 08:00:00,{day} 08:01:30,n{i}")
    p = write(tmp_path, "responses.csv", "\n".join(lines) + "\n")
    data, check = load("survey_scores", [p])
    assert list(data) == ["Responses"]
    r = data["Responses"]
    assert r["nps_score"].tolist() == pytest.approx([np.nan if v is None else v for v in scores], nan_ok=True)
    assert r["submitted_at"].iloc[0] == pd.Timestamp("2024-06-01")
    assert [f.table for f in findings(check, "table_absent")] == ["EmployeeSurvey"]
    values = build(R["survey_scores"], tmp_path / "s.xlsx", data=data, values=True)
    assert values["nps"] == pytest.approx(nps(scores))            # 6 promoters, 3 detractors of 11: 27.3
    assert values["nps_responses"] == 11


def test_a_persian_porsline_export_with_jalali_dates(tmp_path):
    # Porsline's results table: Persian headers, Persian digits, Jalali dates (read in --lang fa)
    scores = ["۱۰", "۷", "۳", "۹", "۹"]
    days = ["۱۴۰۳/۰۳/۱۲", "۱۴۰۳/۰۳/۱۳", "۱۴۰۳/۰۴/۰۱", "۱۴۰۳/۰۴/۰۲", "۱۴۰۳/۰۴/۰۲"]
    lines = ["شناسه پاسخ,تاریخ ثبت پاسخ,چقدر احتمال دارد ما را به دوستان یا همکاران خود پیشنهاد کنید؟"]
    lines += [f"{1001 + i},{d},{v}" for i, (d, v) in enumerate(zip(days, scores))]
    p = write(tmp_path, "porsline.csv", "\n".join(lines) + "\n")
    data, _ = load("survey_scores", [p], lang="fa")
    r = data["Responses"]
    want = [pd.Timestamp(jdatetime.date(1403, m, d).togregorian()) for m, d in ((3, 12), (3, 13), (4, 1), (4, 2),
                                                                                 (4, 2))]
    assert r["submitted_at"].tolist() == want                # 12 Khordad 1403 = 1 June 2024
    assert r["nps_score"].tolist() == [10.0, 7.0, 3.0, 9.0, 9.0]


ZENDESK = [
    # Id, Requester id, Assignee, Group, Status, Priority, Via, Created at, Solved at, First reply minutes
    (1041, 382114, "Sara K", "Tier 1", "Solved", "Normal", "Mail", "2024-06-03 09:15", "2024-06-03 13:00", 42),
    (1042, 382120, "Li W", "Tier 2", "Open", "High", "Web form", "2024-06-03 10:02", None, 95),
    (1043, 382131, "Sara K", "Tier 1", "Closed", "Low", "Mail", "2024-06-04 08:00", "2024-06-05 08:00", 600),
    (1044, 382140, None, "Tier 1", "New", "Urgent", "Chat", "2024-06-04 12:00", None, None),
    (1045, 382114, "Li W", "Tier 2", "Solved", "Normal", "Mail", "2024-06-05 09:00", "2024-06-05 09:30", 10),
    (1046, 382150, "Li W", "Tier 2", "Awaiting parts", "Normal", "Mail", "2024-06-05 11:00", None, 5),
]


def test_a_zendesk_tickets_export_alone_gives_the_support_report(tmp_path):
    # issue 11: support_complaints refused tickets without a complaint log; "First reply time in
    # minutes", assignee, priority and channel were ignored
    from xl_cskpi.reports.builder import build

    head = ("Summation column,Id,Requester,Requester id,Assignee,Group,Subject,Status,Priority,Via,Created at,"
            "Updated at,Solved at,First reply time in minutes,First reply time in minutes within business hours")
    lines = [head]
    for t in ZENDESK:
        i, req, who, grp, st, pr, via, created, solved, reply = t
        lines.append(",".join(["", str(i), f"Customer {req}", str(req), who or "", grp, f"Subject {i}", st, pr, via,
                               created, created, solved or "", "" if reply is None else str(reply), "0"]))
    p = write(tmp_path, "zendesk.csv", "\n".join(lines) + "\n")
    data, check = load("support_complaints", [p])
    assert list(data) == ["Tickets"]
    t = data["Tickets"]
    z = pd.DataFrame(ZENDESK, columns=["id", "req", "who", "grp", "st", "pr", "via", "created", "solved", "reply"])
    created, solved = pd.to_datetime(z["created"]), pd.to_datetime(z["solved"])
    reply = created + pd.to_timedelta(z["reply"], unit="min")
    assert t["first_response_at"].tolist() == reply.tolist()
    assert t["ticket_id"].tolist() == [str(i) for i in z["id"]]
    assert t["assignee"].tolist() == [w if w else None for w in z["who"]]
    assert t["channel"].tolist() == z["via"].tolist()
    # statuses and priorities in canonical words; the one no rule maps is kept and named in the check
    assert t["status"].tolist() == ["solved", "open", "closed", "new", "solved", "Awaiting parts"]
    assert t["priority"].tolist() == ["normal", "high", "low", "urgent", "normal", "normal"]
    [u] = findings(check, "status_unmapped")
    assert "Awaiting parts" in u.message and u.file == str(p)
    values = build(R["support_complaints"], tmp_path / "s.xlsx", data=data, values=True)
    hours = (solved - created).dt.total_seconds() / 3600
    assert values["avg_resolution_hours"] == pytest.approx(hours.mean())                 # (3.75 + 24 + 0.5) / 3
    assert values["first_response_hours"] == pytest.approx(z["reply"].median() / 60)   # median of 5 replies: 42 min
    assert values["tickets"] == 6


def test_a_folder_of_exports_skips_an_unrelated_file_and_names_it(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    write(folder, "tickets.csv", "ticket_id,opened_at,resolved_at\nT1,2024-03-01 09:00,2024-03-01 11:00\n")
    write(folder, "complaints.csv", "complaint_id,received_at,category,status\nK1,2024-03-02,Billing,Open\n")
    notes = write(folder, "team_lunch.csv", "restaurant,people,rating\nSaffron,6,excellent\n")
    write(folder, "README.md", "# not an export\n")
    data, check = load("support_complaints", [folder])
    assert sorted(data) == ["ComplaintLog", "Tickets"]
    assert data["ComplaintLog"]["status"].tolist() == ["pending"]       # CRM "Open" = a pending complaint
    [skipped] = findings(check, "file_skipped")
    assert skipped.file == str(notes) and skipped.level == "warning"


def test_a_kpi_error_names_the_row_of_the_file(tmp_path):
    # an NPS answer of 11 after two blank lines: the file row (5) is named, in the pipeline's range
    # warning and in the builder's KPI error, which reads the rows load_data attached to the table
    from xl_cskpi.reports.builder import build

    p = write(tmp_path, "responses.csv", "submitted_at,nps_score\n2024-03-01,9\n\n\n2024-03-02,11\n")
    data, check = load("survey_scores", [p])
    assert data["Responses"].attrs == {"source": str(p), "rows": [2, 5],     # the file's headers too
                                       "columns": {"nps_score": "nps_score", "submitted_at": "submitted_at"}}
    [w] = findings(check, "out_of_range")
    assert (w.file, w.row) == (str(p), 5)
    build(R["survey_scores"], tmp_path / "s.xlsx", data=data, values=True, check=check)
    errors = [f for f in findings(check, "kpi_error") if f.fields["kpi"] == "nps"]
    assert errors and (errors[0].file, errors[0].row, errors[0].column) == (str(p), 5, "nps_score")


def test_files_that_fit_no_table_of_the_report_are_an_error_saying_so(tmp_path):
    notes = write(tmp_path, "team_lunch.csv", "restaurant,people,rating\nSaffron,6,excellent\n")
    with pytest.raises(ExportError, match=r"no file fits report support_complaints.*team_lunch\.csv.*--map"):
        load("support_complaints", [notes])
    one = write(tmp_path, "months.csv", "month:customers_start:customers_new\n2024-01-01:100:5\n")
    with pytest.raises(ExportError, match=r"months\.csv: closest to table Months, missing columns .*customers_end.*"
                                          r"separate its cells with commas, semicolons, tabs or \|"):
        load("churn_retention", [one])


def test_a_negative_count_is_out_of_range(tmp_path):
    p = write(tmp_path, "months.csv", "month,customers_start,customers_new,customers_lost,customers_end,"
                                      "renewals_due,renewals\n2024-01-01,100,5,-3,108,10,9\n")
    _, check = load("churn_retention", [p])
    [f] = findings(check, "out_of_range")
    assert (f.row, f.column, f.fields["side"], f.fields["bound"]) == (2, "customers_lost", "below", 0.0)


def test_a_billing_export_with_a_negative_amount_names_file_row_and_column(tmp_path):
    p = write(tmp_path, "subs.csv", "customer_id,start,amount\nA,2024-01-01,100\nB,2024-01-05,-40\n")
    with pytest.raises(ExportError, match=r"subs\.csv: column amount: .*-40.*row 3"):
        load("revenue", [p])


def test_overview_from_a_billing_export_tickets_and_a_survey(tmp_path):
    # the overview's Months, Subscriptions (its month's MRR bridge) and Accounts come from the
    # subscriptions export; nothing is absent
    stripe = write_subscriptions(tmp_path, "stripe")
    t = write(tmp_path, "tickets.csv", "ticket_id,opened_at,resolved_at\nT1,2024-03-01 09:00,2024-03-01 11:00\n")
    r = write(tmp_path, "responses.csv", "submitted_at,nps_score\n2024-03-01,9\n")
    data, check = load("overview", [stripe, t, r])
    assert sorted(data) == ["Accounts", "Months", "Responses", "Subscriptions", "Tickets"]
    assert not findings(check, "table_absent")
    want = expected_mrr()
    assert data["Months"]["customers_end"].astype(float).tolist() == (want > 0).sum(axis=1).astype(float).tolist()
    before, now = want.iloc[-13], want.iloc[-1]
    acc = data["Accounts"].set_index("customer_id")
    assert acc["current_mrr"].sum() == pytest.approx(now.sum()) and acc["previous_mrr"].sum() == pytest.approx(
        before.sum())


def test_complaint_statuses_in_the_reports_own_arabic_words(tmp_path):
    # issue 11: in --lang ar the report's own words gave Pending 0 / Resolved 0 on the dashboard.
    # An Arabic CRM log with Hijri dates (Umm al-Qura: 1 Dhu al-Hijjah 1445 = 7 June 2024, per hijridate)
    from hijridate import Hijri

    from xl_cskpi.reports.builder import build

    rows = [("S-1", "1445/12/01", "الفوترة", "قيد الانتظار"), ("S-2", "1445/12/02", "التوصيل", "محلولة"),
            ("S-3", "1445/12/02", "جودة المنتج", "مُصعَّدة"), ("S-4", "1445/12/03", "الفوترة", "محلولة"),
            ("S-5", "١٤٤٥/١٢/٠٤", "التوصيل", "مغلقة"), ("S-6", "1445/12/05", "الفوترة", "قيد المعالجة")]
    p = write(tmp_path, "complaints.csv", "رقم الشكوى,تاريخ الاستلام,الفئة,الحالة\n"
              + "".join(",".join(r) + "\n" for r in rows))
    data, check = load("support_complaints", [p], lang="ar")
    c = data["ComplaintLog"]
    # CRM words: مغلقة (closed) = resolved, قيد المعالجة (being handled) = pending
    assert c["status"].tolist() == ["pending", "resolved", "escalated", "resolved", "resolved", "pending"]
    assert c["received_at"].iloc[0] == pd.Timestamp(Hijri(1445, 12, 1).to_gregorian())
    assert not findings(check, "status_unmapped")
    values = build(R["support_complaints"], tmp_path / "c.xlsx", lang="ar", data=data, values=True)
    assert (values["complaints_pending"], values["complaints_resolved"], values["complaints_escalated"]) == (2, 3, 1)


def test_gregorian_months_in_a_hijri_report_are_a_warning_when_a_month_would_be_empty(tmp_path):
    # Hijri months are 29-30 days: Shawwal 1443 (2 May - 30 May 2022, per hijridate: 1 May 2022 is
    # 30 Ramadan 1443 and 1 June 2022 is 2 Dhu al-Qadah) holds no 1st of a Gregorian month, so a
    # customer-month export dated on the 1st would show that month without revenue in --lang ar
    from hijridate import Gregorian

    assert (Gregorian(2022, 5, 1).to_hijri().month, Gregorian(2022, 6, 1).to_hijri().month) == (9, 11)
    days = pd.date_range("2022-01-01", "2024-12-01", freq="MS")
    p = write(tmp_path, "subscriptions.csv", "customer_id,month,mrr\n"
              + "".join(f"C1,{d:%Y-%m-%d},100\n" for d in days))
    _, check = load("revenue", [p], lang="ar")
    [w] = findings(check, "month_calendar")
    assert w.fields["missing"] == ["1443-10"] and "--calendar gregorian" in w.message
    _, check = load("revenue", [p], lang="ar", calendar="gregorian")
    assert not findings(check, "month_calendar")
    _, check = load("revenue", [p], lang="fa")     # every Jalali month holds a Gregorian 1st
    assert not findings(check, "month_calendar")


def test_gregorian_months_shown_under_jalali_months_are_a_warning(tmp_path):
    # jdatetime: 1 January 2022 is 11 Dey 1400, so a Gregorian month dated on the 1st is shown as
    # Dey 1400 (22 December - 20 January) with January's amounts: the report says so
    import jdatetime

    assert jdatetime.date.fromgregorian(year=2022, month=1, day=1).strftime("%Y-%m-%d") == "1400-10-11"
    days = pd.date_range("2022-01-01", "2022-12-01", freq="MS")
    p = write(tmp_path, "subscriptions.csv", "customer_id,month,mrr\n"
              + "".join(f"C1,{d:%Y-%m-%d},100\n" for d in days))
    _, check = load("revenue", [p], lang="fa")
    [w] = findings(check, "month_relabelled")
    assert (w.fields["date"], w.fields["label"], w.level) == ("2022-01-01", "1400-10", "warning")
    assert not findings(check, "month_calendar")
    # the same rows dated on the first days of the Jalali months (1 Dey 1400 = 2021-12-22) pass
    firsts = [jdatetime.date(1400 + (9 + k) // 12, (9 + k) % 12 + 1, 1).togregorian() for k in range(12)]
    assert firsts[0].isoformat() == "2021-12-22"
    p = write(tmp_path, "subscriptions.csv", "customer_id,month,mrr\n" + "".join(f"C1,{d},100\n" for d in firsts))
    _, check = load("revenue", [p], lang="fa")
    assert not findings(check, "month_relabelled") and not findings(check, "month_calendar")
    _, check = load("revenue", [p], lang="fa", calendar="gregorian")
    assert not findings(check, "month_relabelled")
    # an invoice day (the 5th) is not a month start of either calendar: the rows pass as dated rows
    p = write(tmp_path, "subscriptions.csv", "customer_id,month,mrr\n"
              + "".join(f"C1,{d + pd.Timedelta(days=4):%Y-%m-%d},100\n" for d in days))
    _, check = load("revenue", [p], lang="fa")
    assert not findings(check, "month_relabelled")


@pytest.mark.parametrize("report", ["revenue", "churn_retention", "cohort_retention", "unit_economics"])
def test_the_command_line_runs_each_revenue_report_from_one_subscriptions_export(tmp_path, capsys, report):
    # issue 11, done when: `xl-cskpi report revenue --data stripe_subscriptions.csv -o r.xlsx --values`,
    # and the same file alone feeds churn_retention, cohort_retention and unit_economics
    from xl_cskpi.cli import main

    p = write_subscriptions(tmp_path, "stripe")
    out = tmp_path / f"{report}.xlsx"
    assert main(["report", report, "--data", str(p), "-o", str(out), "--values"]) == 0
    assert out.is_file()
    printed = capsys.readouterr().out
    assert "derived from the billing export" in printed and "Stripe" in printed


def test_a_derived_table_longer_than_a_sheet_is_refused(tmp_path, monkeypatch):
    # 100,000 subscriptions over four years give 2.1 million customer-months: more than Excel's
    # 1,048,575 data rows. Shown here with the limit lowered to 50 (the example has 57 customer-months).
    from xl_cskpi.reports import fill

    monkeypatch.setattr(fill, "SHEET_ROWS", 50)
    p = write_subscriptions(tmp_path, "generic")
    assert int((expected_mrr() > 0).to_numpy().sum()) == 57
    with pytest.raises(ExportError, match=r"gives 57 customer-months \(6 customers over 15 months\), more than "
                                          r"a report sheet holds \(50 rows"):
        load("revenue", [p])
    data, _ = load("churn_retention", [p])      # the monthly counts fit
    assert len(data["Months"]) == 15


def test_anonymous_enps_answers_alike_are_not_copies(tmp_path):
    # the demo's own eNPS sample drew "16 rows repeat an earlier row ... remove them if they are copies" (session 6):
    # two employees of one team answering 8 on the same day are two answers. An export with more columns than the
    # table reads (a comment) keeps the check.
    p = write(tmp_path, "enps.csv", "submitted_at,team,enps_score\n2024-03-01,Sales,8\n2024-03-01,Sales,8\n"
                                    "2024-03-02,Ops,9\n")
    data, check = load("survey_scores", [p])
    assert len(data["EmployeeSurvey"]) == 3 and not findings(check, "duplicate_rows")
    q = write(tmp_path, "enps2.csv", "submitted_at,team,enps_score,comment\n2024-03-01,Sales,8,ok\n"
                                     "2024-03-01,Sales,8,ok\n2024-03-02,Ops,9,\n")
    _, check = load("survey_scores", [q])
    assert len(findings(check, "duplicate_rows")) == 1
