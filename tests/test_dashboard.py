"""The dashboard's period comparison (issue 14, item 1): value for the period shown, the previous
period's value, the change, and the period itself.

The previous-period figure of each kind of KPI (a rate, money, a count, an NPS score, a duration) is
checked against an independent pandas computation on the demo data: the monthly rows of that month,
the formulas as their sources define them (churn = customers lost / customers at the start of the
month; MRR = the sum of the month's customer MRR; NPS = % promoters (9-10) - % detractors (0-6),
Bain/Reichheld; average resolution time = mean of resolved - opened over tickets resolved, opened
in the month). The workbook's cells are read back from the ``--values`` report, so what a manager
reads is what is checked.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from openpyxl import load_workbook

from xl_cskpi import sample
from xl_cskpi.exports.check import ExportError
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.dashboard import columns
from xl_cskpi.reports.fill import load_data
from xl_cskpi.reports.period import PeriodError, periods, resolve

REPORTS = reports()


@pytest.fixture(scope="module")
def csvs(tmp_path_factory):
    d = tmp_path_factory.mktemp("exports")
    paths = sample.write_csv(sample.generate(), d)
    return {sample.EXPORTS[name]: p for name, p in paths.items()}


def _load(key: str, csvs, lang: str = "en"):
    r = REPORTS[key]
    got = load_data(r, [csvs[t.name] for t in r.tables if t.name in csvs], lang=lang)
    return r, (got[0] if isinstance(got, tuple) else got)


def _row(path, key: str, kpi: str) -> list:
    """The dashboard row of ``kpi``: value, previous, change, marker (and the period shown)."""
    r = REPORTS[key]
    ws = load_workbook(path)["Dashboard"]
    row = 5 + [k.key for k in r.kpis].index(kpi)
    cols = columns(r)
    return [ws.cell(row, cols[c]).value for c in ("value", "previous", "change", "marker")] + [ws["B3"].value]


def _month(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.to_period("M").astype(str)


def test_rate_previous_month_is_the_months_lost_over_start(csvs, tmp_path):
    r, data = _load("churn_retention", csvs)
    v = build(r, tmp_path / "c.xlsx", data=data, values=True)
    m = data["Months"].assign(label=_month(data["Months"]["month"])).set_index("label")
    assert v["_period"] == m.index.max() == "2024-12"            # December 2024 has ended: complete
    nov, dec = m.loc["2024-11"], m.loc["2024-12"]
    value, previous, change, marker, shown = _row(tmp_path / "c.xlsx", "churn_retention", "churn_rate")
    assert shown == "2024-12"
    assert math.isclose(value, dec["customers_lost"] / dec["customers_start"], rel_tol=1e-12)
    assert math.isclose(previous, nov["customers_lost"] / nov["customers_start"], rel_tol=1e-12)
    # change in percentage points: a formula of the workbook (computed by LibreOffice and `formulas`)
    assert change.startswith("=IF(AND(ISNUMBER(B5),ISNUMBER(E5)),(B5-E5)*100")


def test_money_previous_month_is_the_sum_of_that_months_mrr(csvs, tmp_path):
    r, data = _load("revenue", csvs)
    v = build(r, tmp_path / "r.xlsx", data=data, values=True)
    s = data["Subscriptions"].assign(label=_month(data["Subscriptions"]["month"]))
    by_month = s.groupby("label")["mrr"].sum()
    value, previous, *_ = _row(tmp_path / "r.xlsx", "revenue", "mrr")
    assert value == pytest.approx(by_month["2024-12"], rel=1e-12)
    assert previous == pytest.approx(by_month["2024-11"], rel=1e-12)
    # NRR of a month from its movements: customers paying at the start of December, their MRR at its end
    nov = s[s["label"] == "2024-11"].groupby("customer_id")["mrr"].sum()
    dec = s[s["label"] == "2024-12"].groupby("customer_id")["mrr"].sum()
    kept = dec.reindex(nov.index).fillna(0.0)
    assert v["nrr"] == pytest.approx(kept.sum() / nov.sum(), rel=1e-12)


def test_count_and_nps_previous_month_from_that_months_responses(csvs, tmp_path):
    r, data = _load("survey_scores", csvs)
    build(r, tmp_path / "s.xlsx", data=data, values=True)
    resp = data["Responses"].assign(label=_month(data["Responses"]["submitted_at"]))
    nov = resp.loc[resp["label"] == "2024-11", "nps_score"].dropna()
    dec = resp.loc[resp["label"] == "2024-12", "nps_score"].dropna()

    def nps(x):   # Bain: % promoters (9-10) - % detractors (0-6)
        return ((x >= 9).mean() - (x <= 6).mean()) * 100

    value, previous, *_ = _row(tmp_path / "s.xlsx", "survey_scores", "nps")
    assert value == pytest.approx(nps(dec), abs=1e-9) and previous == pytest.approx(nps(nov), abs=1e-9)
    value, previous, *_ = _row(tmp_path / "s.xlsx", "survey_scores", "nps_responses")
    assert (value, previous) == (len(dec), len(nov))


def test_duration_previous_month_over_tickets_resolved_in_it(csvs, tmp_path):
    # a month's resolution time is over the tickets resolved in it (Freshdesk's "Resolved tickets"),
    # on the overview as on the support report
    r, data = _load("overview", csvs)
    build(r, tmp_path / "o.xlsx", data=data, values=True)
    t = data["Tickets"].dropna(subset=["resolved_at"])
    t = t.assign(label=_month(t["resolved_at"]),
                 hours=(pd.to_datetime(t["resolved_at"]) - pd.to_datetime(t["opened_at"])).dt.total_seconds() / 3600)
    value, previous, *_ = _row(tmp_path / "o.xlsx", "overview", "avg_resolution_hours")
    assert value == pytest.approx(t.loc[t["label"] == "2024-12", "hours"].mean(), rel=1e-12)
    assert previous == pytest.approx(t.loc[t["label"] == "2024-11", "hours"].mean(), rel=1e-12)


def test_a_chosen_period_compares_with_the_month_before_it(csvs, tmp_path):
    r, data = _load("churn_retention", csvs)
    v = build(r, tmp_path / "c.xlsx", data=data, values=True, period="2024-06")
    m = data["Months"].assign(label=_month(data["Months"]["month"])).set_index("label")
    assert v["_period"] == "2024-06"
    value, previous, _, _, shown = _row(tmp_path / "c.xlsx", "churn_retention", "customers_end")
    assert (shown, value, previous) == ("2024-06", m.loc["2024-06", "customers_end"], m.loc["2024-05", "customers_end"])
    settings = load_workbook(tmp_path / "c.xlsx")["Settings"]
    kept = {settings.cell(i, 3).value: settings.cell(i, 2).value for i in range(2, settings.max_row + 1)}
    assert kept["report_period"] == "2024-06"          # the choice stays in the workbook
    # the first month has no previous one: blank, and no change
    build(r, tmp_path / "first.xlsx", data=data, values=True, period="2024-01")
    assert _row(tmp_path / "first.xlsx", "churn_retention", "customers_end")[1] is None


def test_periods_in_the_jalali_calendar_and_how_they_are_typed(csvs, tmp_path):
    r, data = _load("survey_scores", csvs, lang="fa")
    labels = periods(data, r, "jalali")
    # 2024 runs from 11 Dey 1402 to 10 Dey 1403: Jalali months 1402-10 to 1403-10
    assert labels[0] == "1402-10" and labels[-1] == "1403-10" and len(labels) == 13
    for typed in ("1403-06", "۱۴۰۳-۰۶", "1403/6", "Shahrivar 1403", "شهریور ۱۴۰۳", "شهريور 1403"):
        assert resolve(typed, labels, "jalali") == "1403-06", typed
    v = build(r, tmp_path / "s.fa.xlsx", lang="fa", data=data, values=True, period="شهریور ۱۴۰۳")
    assert v["_period"] == "1403-06"
    resp = data["Responses"]
    # Shahrivar 1403 is 2024-08-22 to 2024-09-21 (Iran's official calendar)
    d = pd.to_datetime(resp["submitted_at"])
    shahrivar = resp.loc[(d >= "2024-08-22") & (d <= "2024-09-21"), "nps_score"].dropna()
    assert v["nps_responses"] == len(shahrivar)


def test_an_unknown_period_is_one_line_listing_the_periods(csvs, tmp_path):
    r, data = _load("churn_retention", csvs)
    with pytest.raises(PeriodError) as e:
        build(r, tmp_path / "x.xlsx", data=data, period="2025-03")
    msg = str(e.value)
    assert isinstance(e.value, ExportError) and "\n" not in msg
    assert msg.startswith("period 2025-03 is not in the data") and "2024-01 to 2024-12" in msg
    with pytest.raises(PeriodError, match="Gregorian month; this report counts months in the jalali"):
        resolve("2024-09", ["1403-06"], "jalali")
    with pytest.raises(PeriodError, match="is not a month"):
        resolve("Q3", ["2024-09"])
    with pytest.raises(PeriodError, match="no dated rows"):
        resolve("2024-09", [])
    assert not (tmp_path / "x.xlsx").exists()


def test_the_latest_complete_period_skips_a_month_still_running():
    import datetime as dt

    from xl_cskpi.reports.period import latest_complete

    assert latest_complete(["2026-10", "2026-11"], today=dt.date(2026, 11, 30)) == "2026-10"
    assert latest_complete(["2026-10", "2026-11"], today=dt.date(2026, 12, 1)) == "2026-11"
    # Jalali: Azar 1405 ends on 2026-12-21
    assert latest_complete(["1405-08", "1405-09"], "jalali", today=dt.date(2026, 12, 21)) == "1405-08"
    assert latest_complete(["1405-08", "1405-09"], "jalali", today=dt.date(2026, 12, 22)) == "1405-09"
    assert latest_complete([]) is None


def test_a_report_without_dates_says_so_and_shows_no_previous(csvs, tmp_path):
    r, data = _load("customer_health", csvs)
    build(r, tmp_path / "h.xlsx", data=data, values=True)
    ws = load_workbook(tmp_path / "h.xlsx")["Dashboard"]
    # in the report's own words (a snapshot, not a history), the general sentence where it has none
    assert ws["C3"].value == ("Health scores are a snapshot of each customer as the data stands today, with no "
                              "earlier month to compare with. Keep last month's report to compare.")
    build(REPORTS["revenue"], tmp_path / "r.xlsx", data={}, values=True)
    assert load_workbook(tmp_path / "r.xlsx")["Dashboard"]["C3"].value == \
        "Each KPI is over all the rows of the data: this report has no month-by-month comparison."
    assert all(ws.cell(5 + i, 3).value is None for i in range(len(r.kpis)))


# --------------------------------------------------------------------------- charts (issue 16 session)

def test_values_report_chart_windows_are_blank_where_a_month_has_no_number(csvs, tmp_path):
    """LibreOffice 7.4 draws an #N/A as 0 whether a formula gives it (NA(), "" too) or the cell holds
    it; only an empty cell is a gap (checked by rendering a six-cell workbook of each). In an Arabic
    overview the Hijri month after the last Months row has no churn: its window cell must be empty,
    and the months before hold the Periods sheet's numbers."""
    from xl_cskpi.reports.i18n import translator

    r, data = _load("overview", csvs, lang="ar")
    v = build(r, tmp_path / "o.xlsx", data=data, values=True, lang="ar")
    t = translator("ar")
    wb = load_workbook(tmp_path / "o.xlsx")
    cd, periods_ws = wb[t("sheet.chart_data")], wb[t("sheet.periods")]
    heads = [c.value for c in cd[3]]
    col = heads.index(t("kpi.churn_rate")) + 1
    labels = [cd.cell(r_, heads.index(t("periods.label")) + 1).value for r_ in range(4, 16)]
    churn = [cd.cell(r_, col).value for r_ in range(4, 16)]
    assert labels[-1] == v["_period"] and all(isinstance(x, str) for x in labels)
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in cd.iter_rows(min_row=4, max_row=15)
                   for c in row if c.column <= len(heads))       # values, not formulas
    # the Periods sheet: label in A, the churn column under the same header
    p_heads = [c.value for c in periods_ws[3]]
    p_col = p_heads.index(t("kpi.churn_rate")) + 1
    on_sheet = {periods_ws.cell(r_, 1).value: periods_ws.cell(r_, p_col).value
                for r_ in range(4, periods_ws.max_row + 1) if periods_ws.cell(r_, 1).value}
    for label, got in zip(labels, churn):
        want = on_sheet[label]
        if isinstance(want, (int, float)):
            assert math.isclose(got, want, abs_tol=1e-12), (label, got, want)
        else:
            assert got is None, (label, got, want)     # "#N/A" on the Periods sheet: an empty cell here
    assert churn[-1] is None            # the month the Months table has no row for: a gap


def test_waterfall_colours_by_meaning(csvs, tmp_path):
    import re
    import zipfile

    from xl_cskpi.reports.charts import MEANING_COLORS, TOTAL_COLOR

    r, data = _load("revenue", csvs)
    build(r, tmp_path / "r.xlsx", data=data, values=True)
    with zipfile.ZipFile(tmp_path / "r.xlsx") as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    waterfall = next(c for c in charts if "noFill" in c and "dPt" in c)
    series = re.findall(r"<ser>.*?</ser>", waterfall, re.S)
    assert len(series) == 3
    base, up, down = series
    assert "noFill" in base and "srgbClr" not in base
    green, red = MEANING_COLORS[("waterfall", "up")], MEANING_COLORS[("waterfall", "down")]
    assert f'srgbClr val="{green}"' in up and f'srgbClr val="{red}"' in down
    assert f'srgbClr val="{red}"' not in up and f'srgbClr val="{green}"' not in down
    assert green != red
    # the two totals (starting and ending MRR: first and last step) are neutral in the increase series
    totals = [int(i) for i in re.findall(r'<dPt><idx val="(\d+)"\s*/>.*?srgbClr val="' + TOTAL_COLOR, up, re.S)]
    assert totals == [0, len(r.waterfall[1]) - 1]


# --------------------------------------------------------------------------- rate intervals (issue 16 item 6)

def _wilson(successes: float, trials: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson (1927), as Brown, Cai & DasGupta (2001) eq. 4 write it: centre and half-width around
    p = x/n with z the two-sided normal quantile (scipy's, not our confidence_z)."""
    from scipy.stats import norm

    z = norm.ppf(0.5 + confidence / 2)
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


def _interval(path, key: str, kpi: str) -> tuple:
    r = REPORTS[key]
    ws = load_workbook(path).worksheets[1]          # the dashboard, in any language
    row = 5 + [k.key for k in r.kpis].index(kpi)
    cols = columns(r)
    return ws.cell(row, cols["low"]).value, ws.cell(row, cols["high"]).value


def test_churn_retention_and_renewal_intervals_are_wilson_of_the_months_counts(csvs, tmp_path):
    r, data = _load("churn_retention", csvs)
    build(r, tmp_path / "c.xlsx", data=data, values=True)
    dec = data["Months"].assign(label=_month(data["Months"]["month"])).set_index("label").loc["2024-12"]
    cases = {"churn_rate": (dec["customers_lost"], dec["customers_start"]),
             "retention_rate": (dec["customers_end"] - dec["customers_new"], dec["customers_start"]),
             "renewal_rate": (dec["renewals"], dec["renewals_due"])}
    for kpi, (x, n) in cases.items():
        low, high = _interval(tmp_path / "c.xlsx", "churn_retention", kpi)
        want = _wilson(float(x), float(n))
        assert low == pytest.approx(want[0], abs=1e-12) and high == pytest.approx(want[1], abs=1e-12), kpi
        value = _row(tmp_path / "c.xlsx", "churn_retention", kpi)[0]
        assert low < value < high
    # a count has no interval: its cells stay blank
    assert _interval(tmp_path / "c.xlsx", "churn_retention", "customers_end") == (None, None)
    # the confidence level is a setting the builder adds (0.95), and the interval follows it
    build(r, tmp_path / "c90.xlsx", data=data, values=True, settings={"confidence_level": 0.9})
    low, high = _interval(tmp_path / "c90.xlsx", "churn_retention", "churn_rate")
    want = _wilson(float(dec["customers_lost"]), float(dec["customers_start"]), 0.9)
    assert (low, high) == (pytest.approx(want[0], abs=1e-12), pytest.approx(want[1], abs=1e-12))
    settings = load_workbook(tmp_path / "c90.xlsx")["Settings"]
    kept = {settings.cell(i, 3).value: settings.cell(i, 2).value for i in range(2, settings.max_row + 1)}
    assert kept["confidence_level"] == 0.9


def test_csat_interval_counts_the_satisfied_answers_of_the_month_shown(csvs, tmp_path):
    r, data = _load("survey_scores", csvs)
    build(r, tmp_path / "s.xlsx", data=data, values=True, period="2024-06", settings={"csat_scale": 5})
    resp = data["Responses"].assign(label=_month(data["Responses"]["submitted_at"]))
    june = resp.loc[resp["label"] == "2024-06", "csat_score"].dropna()
    satisfied = int((june >= 4).sum())          # top-2-box on a 1-5 scale (Qualtrics, Zendesk)
    low, high = _interval(tmp_path / "s.xlsx", "survey_scores", "csat")
    want = _wilson(satisfied, len(june))
    assert (low, high) == (pytest.approx(want[0], abs=1e-12), pytest.approx(want[1], abs=1e-12))
    # NPS keeps its margin of error: no interval column of its own
    assert _interval(tmp_path / "s.xlsx", "survey_scores", "nps") == (None, None)


def test_a_month_without_data_has_no_interval_and_the_live_cells_are_one_array_formula(csvs, tmp_path):
    from openpyxl.worksheet.formula import ArrayFormula

    r, data = _load("churn_retention", csvs)
    months = data["Months"]
    # a month without customers at its start: churn is #DIV/0!, so no interval (blank, not an error)
    data = {**data, "Months": months.assign(customers_start=months["customers_start"].where(
        _month(months["month"]) != "2024-12"))}
    build(r, tmp_path / "c.xlsx", data=data, values=True)
    assert _interval(tmp_path / "c.xlsx", "churn_retention", "churn_rate") == (None, None)
    build(r, tmp_path / "live.xlsx", data=data)
    ws = load_workbook(tmp_path / "live.xlsx")["Dashboard"]
    cols = columns(r)
    cell = ws.cell(5, cols["low"]).value
    assert isinstance(cell, ArrayFormula) and cell.ref == "C5:D5"
    assert cell.text.startswith('=IF(OR(period_row=0,ISNUMBER(B5)=FALSE),"",RATE_INTERVAL(')
    assert cell.text.endswith(",confidence_level))") and "=period_shown," in cell.text
    assert ws.cell(4, cols["low"]).value == "Confidence interval"


# --------------------------------------------------------------------------- not reached (issue 14)

def test_a_median_lifetime_the_data_does_not_reach_reads_n_a_and_why(csvs, tmp_path):
    from xl_cskpi.reports.i18n import translator

    r, data = _load("churn_retention", csvs)
    row = 5 + [k.key for k in r.kpis].index("median_lifetime")
    cols = columns(r)
    for lang, words in (("en", ("n/a", "n/a: longer than the data shows")),
                        ("fa", ("ناموجود", "ناموجود: طولانی‌تر از بازه‌ای که داده‌ها نشان می‌دهند")),
                        ("ar", ("غير متاح", "غير متاح: أطول مما تغطيه البيانات"))):
        v = build(r, tmp_path / f"{lang}.xlsx", data=data, values=True, lang=lang)
        assert "longer than the data shows" in str(v["median_lifetime"])   # the demo: survival above 50 %
        ws = load_workbook(tmp_path / f"{lang}.xlsx")[translator(lang)("sheet.dashboard")]
        assert (ws.cell(row, cols["value"]).value, ws.cell(row, cols["status"]).value) == words, lang
    # live: the value cell reads the raw result on the chart-data sheet and says n/a only for this #N/A
    build(r, tmp_path / "live.xlsx", data=data)
    wb = load_workbook(tmp_path / "live.xlsx")
    value = wb["Dashboard"].cell(row, cols["value"]).value
    assert value == ("=IF(ISTEXT('Chart data'!$A$2),IF(LEFT('Chart data'!$A$2,32)=\"#N/A MEDIAN_LIFETIME: "
                     "end_dates \",\"n/a\",'Chart data'!$A$2),'Chart data'!$A$2)")
    # measured to customers_as_of, each customer once (session 6: reviewer's H5 and K1)
    assert wb["Chart data"]["A2"].value == ('=MEDIAN_LIFETIME(Customers[start_date],Customers[end_date],"month",'
                                            'customers_as_of,Customers[customer_id])')
    assert wb["Chart data"].sheet_state == "hidden"


def test_a_reached_median_is_a_number_and_other_errors_are_not_hidden(csvs, tmp_path):
    r, data = _load("churn_retention", csvs)
    row = 5 + [k.key for k in r.kpis].index("median_lifetime")
    cols = columns(r)
    # four customers from January, three leave after 1, 2 and 3 months: survival 0.5 after 2 months
    # (Kaplan-Meier by hand: 3/4 after month 1, 2/4 after month 2)
    customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
                              "start_date": pd.to_datetime(["2024-01-01"] * 4),
                              "end_date": pd.to_datetime(["2024-02-01", "2024-03-01", "2024-04-01", None]),
                              "plan": [None] * 4})
    build(r, tmp_path / "m.xlsx", data={**data, "Customers": customers}, values=True)
    ws = load_workbook(tmp_path / "m.xlsx")["Dashboard"]
    assert ws.cell(row, cols["value"]).value == 2.0 and ws.cell(row, cols["status"]).value in (None, "")
    # an end before its start is the data's error: its code stays, with no "longer than the data" note
    bad = customers.assign(end_date=pd.to_datetime(["2023-12-01", "2024-03-01", "2024-04-01", None]))
    v = build(r, tmp_path / "e.xlsx", data={**data, "Customers": bad}, values=True)
    ws = load_workbook(tmp_path / "e.xlsx")["Dashboard"]
    assert ws.cell(row, cols["value"]).value == v["median_lifetime"].code != "n/a"
    assert ws.cell(row, cols["status"]).value in (None, "")


def test_only_the_not_reached_n_a_is_a_note():
    from xl_cskpi.errors import NotAvailable
    from xl_cskpi.reports.datacheck import not_reached

    assert not_reached(NotAvailable("has survival above 50 %", argument="end_dates", function="MEDIAN_LIFETIME"))
    assert not_reached(NotAvailable("is 12 months, but the export spans 6", argument="window",
                                    function="NRR_MOVEMENTS"))
    # "has no rows" is the data's problem, not a figure the data does not reach yet
    assert not not_reached(NotAvailable("has no rows", argument="start_dates", function="MEDIAN_LIFETIME"))
    assert not not_reached(NotAvailable("has no MRR", argument="mrr", function="COHORT_MRR_RETENTION"))


# --------------------------------------------------------------------------- month labels once (issues 14/17)

def test_period_label_is_computed_once_per_date_column(csvs, tmp_path):
    """survey_scores called PERIOD_LABEL over the whole date column in every Periods and trend cell
    (168 calls a recalculation at 10,000 responses); now one array formula per date column."""
    import re

    from openpyxl.worksheet.formula import ArrayFormula

    r, data = _load("overview", csvs)
    build(r, tmp_path / "o.xlsx", data=data)
    wb = load_workbook(tmp_path / "o.xlsx")
    texts = [(ws.title, c.value.text if isinstance(c.value, ArrayFormula) else c.value)
             for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    calls = [(s, f) for s, f in texts if isinstance(f, str) and f.startswith("=") and "PERIOD_LABEL(" in f]
    # Responses, Months and Tickets: one helper each, on the hidden chart-data sheet
    assert len(calls) == 3 and {s for s, _ in calls} == {"Chart data"}
    helpers = {f: c for ws in [wb["Chart data"]] for row in ws.iter_rows() for c in row
               if isinstance(c.value, ArrayFormula) and "PERIOD_LABEL(" in c.value.text for f in [c.value.text]}
    n = len(data["Responses"])
    ref = helpers['=PERIOD_LABEL(Responses[submitted_at],"month",calendar)'].value.ref
    first, last = (int(x) for x in re.findall(r"\d+", ref))
    assert last - first + 1 == n + 1000            # the table's rows and room for rows pasted later
    # the months' NPS is one BY_PERIOD call (session 5) over the scores and the helper, as long as the
    # table; a month's cell reads its row of it
    periods = wb["Periods"]
    cell = periods["C4"].value.text      # the row's value of the helper, or the month's n/a sentence
    ref = re.match(r"=IF\(OR\(\$A4=\"\",ISNUMBER\((\$[A-Z]+4)\)\),\1,", cell).group(1)
    assert (f"OR(INDEX('Chart data'!$A${first}:$A${last},1):INDEX('Chart data'!$A${first}:$A${last},"
            f"ROWS(Responses[submitted_at]))=$A4),{ref},") in cell
    assert cell.endswith('"n/a: no responses in "&$A4))')
    ref = "=" + ref
    helper = periods[f"{ref[2:-1]}4"].value
    months = sum(1 for r in range(4, periods.max_row + 1) if periods.cell(r, 1).value)
    assert helper.ref == f"{ref[2:-1]}4:{ref[2:-1]}{3 + months}"
    assert helper.text == (f"=BY_PERIOD(\"NPS\",$A$4:$A${3 + months},INDEX('Chart data'!$A${first}:$A${last},1):"
                           f"INDEX('Chart data'!$A${first}:$A${last},ROWS(Responses[nps_score])),1,Responses[nps_score])")
    assert periods.column_dimensions[ref[2:-1]].hidden


def test_values_report_holds_each_rows_month_where_the_live_helper_computes_it(csvs, tmp_path):
    r, data = _load("survey_scores", csvs, lang="fa")
    build(r, tmp_path / "s.xlsx", data=data, values=True, lang="fa")
    from xl_cskpi.reports.i18n import translator

    ws = load_workbook(tmp_path / "s.xlsx")[translator("fa")("sheet.chart_data")]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    head = next(i for i, row in enumerate(rows) if row and isinstance(row[0], str) and row[0].startswith("PERIOD_LABEL("))
    got = [row[0] for row in rows[head + 1:]]
    # Jalali months by jdatetime (an independent calendar library), one per response in order
    import jdatetime

    want = [None if pd.isna(d) else jdatetime.date.fromgregorian(date=pd.Timestamp(d).date()).strftime("%Y-%m")
            for d in data["Responses"]["submitted_at"]]
    assert got == want


# --------------------------------------------------------------------------- requests of A (session 3)

def test_two_gregorian_months_in_one_hijri_month_are_n_a_and_said(tmp_path):
    """1 February and 1 March 2014 both fall in Rabi' II 1435 (Umm al-Qura, hijridate): a monthly
    table's KPI of that month is #N/A (never the two months' sum) and the Data check warns."""
    from xl_cskpi.exports.check import DataCheck

    r = REPORTS["churn_retention"]
    months = pd.DataFrame({"month": pd.to_datetime(["2014-01-01", "2014-02-01", "2014-03-01", "2014-04-01"]),
                           "customers_start": [100, 110, 120, 130], "customers_new": [15, 15, 15, 15],
                           "customers_lost": [5, 5, 5, 5], "customers_end": [110, 120, 130, 140],
                           "renewals": [None] * 4, "renewals_due": [None] * 4})
    check = DataCheck()
    v = build(r, tmp_path / "c.xlsx", data={"Months": months}, values=True, lang="ar", check=check)
    table = v["_periods"].set_index("label")
    assert table.loc["1435-04", "customers_end"].code == "#N/A"            # not 120 + 130
    assert table.loc["1435-04", "churn_rate"].code == "#N/A"
    # (hijridate: 1 Jan 2014 = 29 Safar, 1 Feb = 1 Rabi' II, 1 Mar = 29 Rabi' II, 1 Apr = 1 Jumada II 1435)
    assert table.loc["1435-02", "customers_end"] == 110 and table.loc["1435-06", "customers_end"] == 140
    assert table.loc["1435-05", "customers_end"].code == "#N/A"           # a month without a row
    warned = [f for f in check if f.code == "shared_month"]
    assert len(warned) == 1 and warned[0].level == "warning"
    assert warned[0].fields == {"table": "Months", "dates": ["2014-02-01", "2014-03-01"], "label": "1435-04",
                                "calendar": "hijri"}
    assert "--calendar gregorian" in warned[0].message


def test_count_counts_dates_as_excel_does():
    """Excel's COUNT counts date cells (serial numbers): the tickets opened in a month."""
    from xl_cskpi.reports.evaluate import Context, evaluate
    from xl_cskpi.reports.spec import Call, Col

    r = REPORTS["support_complaints"]
    tickets = pd.DataFrame({"opened_at": pd.to_datetime(["2024-09-01 10:00", None, "2024-09-03 08:30"])})
    ctx = Context(r, {"Tickets": tickets}, {})
    assert evaluate(Call("COUNT", Col("Tickets", "opened_at")), ctx) == 2.0


def test_a_neutral_kpi_change_is_not_coloured_and_takes_no_target():
    from xl_cskpi.reports.spec import KPI, Call

    with pytest.raises(ValueError, match="neutral KPI has no target"):
        KPI("tickets", Call("COUNT", 1), target="target_tickets", better="neutral")
    with pytest.raises(ValueError, match="higher', 'lower' or 'neutral"):
        KPI("tickets", Call("COUNT", 1), better="more")
    from openpyxl import Workbook

    from xl_cskpi.reports.dashboard import colour_change

    ws = Workbook().active
    colour_change(ws, "F5:G5", "F5", "neutral")
    colour_change(ws, "F6:G6", "F6", "higher")
    assert [str(cf.sqref) for cf in ws.conditional_formatting] == ["F6:G6"]
