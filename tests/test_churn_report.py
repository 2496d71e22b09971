"""The churn report's customer items (issue 16, item 8): churn by the chosen convention, every
convention side by side, Kaplan-Meier survival and median lifetime from a Customers table.

Expected values are the library's functions called directly on the same export (the report must
show what the function gives: the functions' own math is tested against vendors' examples and
lifelines in tests/test_churn_conventions.py and tests/test_survival.py), and an independent pandas
count of ChartMogul's rule (customers active the day before the period, not active at its end).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

import pandas as pd
import pytest
from openpyxl import load_workbook

import xl_cskpi
from xl_cskpi import sample
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.evaluate import Absent, _builtin
from xl_cskpi.reports.fill import load_data

REPORT = reports()["churn_retention"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    d = tmp_path_factory.mktemp("exports")
    exports = sample.generate()
    paths = {sample.EXPORTS[k]: p for k, p in sample.write_csv(exports, d).items()}
    data = load_data(REPORT, [paths[t.name] for t in REPORT.tables])
    return exports, data, sample.demo_settings(exports)


def _customers(exports):
    c = exports["customers"]
    return c["customer_id"].tolist(), c["started_at"].tolist(), [None if pd.isna(x) else x for x in c["canceled_at"]]


def test_customers_export_is_recognised_by_its_headers(demo):
    exports, data, _ = demo
    # started_at / canceled_at are aliases of start_date / end_date
    got = data["Customers"]
    assert list(got.columns[:4]) == ["customer_id", "start_date", "end_date", "plan"]
    assert len(got) == len(exports["customers"]) and got["end_date"].notna().sum() == exports["customers"]["canceled_at"].notna().sum()


def test_report_values_are_the_functions_called_directly(demo, tmp_path):
    exports, data, settings = demo
    ids, starts, ends = _customers(exports)
    v = build(REPORT, tmp_path / "c.xlsx", data=data, settings=settings, values=True)
    p0, p1 = settings["churn_from"], settings["churn_to"]
    want = xl_cskpi.customer_churn(ids, starts, ends, p0, p1, "chartmogul")
    assert math.isclose(v["customer_churn"], want, abs_tol=1e-12)
    # independent: ChartMogul's rule is |S - E| / |S| (customers active at the close of 30 June and
    # not at the close of 31 December); the sample has one spell per customer here or separate ones
    c = exports["customers"]
    day0, day1 = pd.Timestamp(p0) - pd.Timedelta(days=1), pd.Timestamp(p1)

    def active(day):
        on = (c["started_at"] <= day) & (c["canceled_at"].isna() | (c["canceled_at"] > day))
        return set(c.loc[on, "customer_id"])

    s, e = active(day0), active(day1)
    assert math.isclose(want, len(s - e) / len(s), abs_tol=1e-12)
    table = xl_cskpi.customer_churn_rate(ids, starts, ends, p0, p1, "all")
    pd.testing.assert_frame_equal(v["churn_conventions"].reset_index(drop=True), table.reset_index(drop=True),
                                  check_dtype=False)
    curve = xl_cskpi.survival_curve(starts, ends, "month")
    pd.testing.assert_frame_equal(v["survival_curve"].reset_index(drop=True), curve.reset_index(drop=True),
                                  check_dtype=False)
    # survival stays above 50 % over the sample's year: the median is n/a with its reason, never a number
    with pytest.raises(xl_cskpi.errors.NotAvailable):
        xl_cskpi.median_lifetime(starts, ends, "month")
    assert not isinstance(v["median_lifetime"], float)
    assert "longer than the data shows" in str(v["median_lifetime"])


def test_the_convention_setting_picks_the_rule(demo, tmp_path):
    exports, data, settings = demo
    ids, starts, ends = _customers(exports)
    v = build(REPORT, tmp_path / "s.xlsx", data=data, settings={**settings, "churn_convention": "stripe"},
              values=True)
    stripe = xl_cskpi.customer_churn(ids, starts, ends, settings["churn_from"], settings["churn_to"], "stripe")
    chartmogul = xl_cskpi.customer_churn(ids, starts, ends, settings["churn_from"], settings["churn_to"])
    assert math.isclose(v["customer_churn"], stripe, abs_tol=1e-12) and not math.isclose(stripe, chartmogul)


def test_without_customers_the_items_are_na(demo, tmp_path):
    _, data, settings = demo
    v = build(REPORT, tmp_path / "m.xlsx", data={"Months": data["Months"]}, settings=settings, values=True)
    for key in ("customer_churn", "median_lifetime", "churn_conventions", "survival_curve"):
        # evaluate.py's generic sentence until its _TABLE_REASONS names the Customers table
        assert isinstance(v[key], Absent) and str(v[key]).lower().startswith(("n/a: no customers data given",
                                                                              "n/a: no customers export")), (key, v[key])
    assert isinstance(v["churn_rate"], float)       # the monthly counts still work


def test_blank_period_says_enter_a_date(demo, tmp_path):
    _, data, _ = demo
    v = build(REPORT, tmp_path / "b.xlsx", data=data, values=True)
    # the value cell says what to enter (not a bare #VALUE!), as the live formula does
    assert v["customer_churn"] == "n/a: enter the churn period's first and last day on the Settings sheet"
    build(REPORT, tmp_path / "t.xlsx")
    f = [c.value for row in load_workbook(tmp_path / "t.xlsx")["Dashboard"].iter_rows() for c in row
         if isinstance(c.value, str) and "CUSTOMER_CHURN(" in c.value]
    assert f == ["=IF(OR((churn_from=\"\"),(churn_to=\"\")),\"n/a: enter the churn period's first and last day on the "
                 "Settings sheet\",CUSTOMER_CHURN(Customers[customer_id],Customers[start_date],Customers[end_date],"
                 "churn_from,churn_to,churn_convention))"], f


def _hand_customers():
    # A stays, B cancels on 15 March 2024, C starts in March: over 1-31 March 2024 ChartMogul's rule
    # (customers active at the close of 29 Feb and not at the close of 31 March) is |{A,B} - {A,C}| / 2
    return pd.DataFrame({"customer_id": ["A", "B", "C"],
                         "start_date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-03-05"]),
                         "end_date": pd.to_datetime([None, "2024-03-15", None]),
                         "plan": ["p", "p", "p"]})


@pytest.mark.parametrize("first, last", [(dt.date(2024, 3, 1), dt.date(2024, 3, 31)),
                                         (dt.datetime(2024, 3, 1), pd.Timestamp("2024-03-31"))])
def test_dates_in_the_period_settings_compute_the_churn(tmp_path, first, last):
    # ISNUMBER counts a date as Excel does (a serial number): the IF takes the CUSTOMER_CHURN branch
    v = build(REPORT, tmp_path / "h.xlsx", data={"Customers": _hand_customers()},
              settings={"churn_from": first, "churn_to": last}, values=True)
    assert math.isclose(v["customer_churn"], 1 / 2, abs_tol=1e-12), v["customer_churn"]


@pytest.mark.parametrize("x, want", [(dt.date(2024, 3, 1), True), (dt.datetime(2024, 3, 1, 9), True),
                                     (pd.Timestamp("2024-03-01"), True), (np.datetime64("2024-03-01"), True),
                                     (pd.NaT, False), (np.datetime64("NaT"), False), (None, False),
                                     ("2024-03-01", False), (True, False), (45352.0, True), (3, True)])
def test_isnumber_counts_dates_as_excel_does(x, want):
    # Excel: ISNUMBER(DATE(2024,3,1)) is TRUE (a date is the serial number 45352); text, blanks, TRUE are not
    assert bool(_builtin("ISNUMBER", [x])) is want


@pytest.mark.parametrize("first, last", [(None, dt.date(2024, 3, 31)), (dt.date(2024, 3, 1), None),
                                         (pd.NaT, dt.date(2024, 3, 31)), ("", dt.date(2024, 3, 31))])
def test_one_blank_period_day_reads_the_sentence(tmp_path, first, last):
    v = build(REPORT, tmp_path / "h1.xlsx", data={"Customers": _hand_customers()},
              settings={"churn_from": first, "churn_to": last}, values=True)
    assert v["customer_churn"] == "n/a: enter the churn period's first and last day on the Settings sheet"


def test_a_period_day_typed_as_text_is_read_and_bad_text_names_itself(tmp_path):
    # a day typed as text is a date to CUSTOMER_CHURN (ISO here; Jalali/Hijri text likewise): 1/2 as above
    v = build(REPORT, tmp_path / "h2.xlsx", data={"Customers": _hand_customers()},
              settings={"churn_from": "2024-03-01", "churn_to": dt.date(2024, 3, 31)}, values=True)
    assert v["customer_churn"] == pytest.approx(0.5)
    # text that is no date: CUSTOMER_CHURN's own #VALUE! naming it, not the "enter a day" sentence
    v = build(REPORT, tmp_path / "h3.xlsx", data={"Customers": _hand_customers()},
              settings={"churn_from": "March", "churn_to": dt.date(2024, 3, 31)}, values=True)
    assert "period_start has 'March'" in str(v["customer_churn"])


def test_template_offers_the_conventions_as_a_list(tmp_path):
    out = tmp_path / "t.xlsx"
    build(REPORT, out)
    wb = load_workbook(out)
    ws = wb["Settings"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == "churn_convention")
    assert ws.cell(row, 2).value == "chartmogul"
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1 and f"B{row}" in str(lists[0].sqref)
    assert lists[0].formula1 == '"chartmogul,stripe,profitwell,baremetrics,seed,simple"'
    assert "Customers" in wb.sheetnames
    assert [c.value for c in wb["Customers"][1]][:4] == ["customer_id", "start_date", "end_date", "plan"]


def test_formulas_engine_computes_the_customer_items(demo, tmp_path):
    # an engine we did not write evaluates the live workbook (our functions through the registry)
    from xl_cskpi.reports.engine import a1_copy, calculate

    exports, data, settings = demo
    ids, starts, ends = _customers(exports)
    live = tmp_path / "live.xlsx"
    build(REPORT, live, data=data, settings=settings)
    a1_copy(live, tmp_path / "a1.xlsx")
    engine = calculate(tmp_path / "a1.xlsx")
    row = 5 + [k.key for k in REPORT.kpis].index("customer_churn")
    want = xl_cskpi.customer_churn(ids, starts, ends, settings["churn_from"], settings["churn_to"])
    assert math.isclose(engine[f"DASHBOARD!B{row}"], want, abs_tol=1e-12)


def test_a_first_month_without_customers_is_a_gap_not_an_error_on_the_chart(tmp_path):
    # tests/data/exports/chargebee_subscriptions.csv (a Chargebee export written by hand): its first
    # month has no customer at the start, so that month's churn rate is #DIV/0! on the dashboard's
    # month row (0 / 0), a gap in the trend. The chart's title used to read "(... #DIV/0! ...)"
    # as though the data were broken.
    import re
    import zipfile
    from pathlib import Path

    from xl_cskpi.exports.check import ReadOptions

    export = Path(__file__).parent / "data" / "exports" / "chargebee_subscriptions.csv"
    data, check = load_data(REPORT, [export], ReadOptions(lang="en"))
    out = tmp_path / "c.xlsx"
    build(REPORT, out, lang="en", data=data, values=True, check=check)
    titles = []
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/charts/chart"):
                titles += re.findall(r"<a:t>([^<]*)</a:t>", z.read(name).decode())
    assert "Churn and retention by month" in titles
    assert not [x for x in titles if "#" in x], titles
