"""BY_PERIOD and the compiled Periods sheet: one Python call per KPI call for every month (issue 17.5).

Each month's value must be the single call's on that month's rows (hand-counted first, then pandas
picks the rows and calls the function itself), a month without rows the same error text as a single
call, the classic and Lite faces must take worksheet-shaped input, and a report's Periods table
computed column by column through BY_PERIOD must equal the month-by-month evaluation it replaced.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

import xl_cskpi
from xl_cskpi import excel
from xl_cskpi.errors import KPIError, excel_error_text
from xl_cskpi.registry import REGISTRY

from xlwings_stubs import classic_xlwings, lite_xlwings

BY = REGISTRY["BY_PERIOD"].func
OURS = re.compile(r"(?<![A-Za-z0-9_.])(" + "|".join(sorted(REGISTRY, key=len, reverse=True)) + r")\(", re.I)


def _error(f, *args) -> str:
    """The text a single call's cell shows for its error."""
    with pytest.raises(KPIError) as e:
        f(*args)
    return excel_error_text(e.value)


# --------------------------------------------------------------------------- the function


def test_nps_of_two_months_counted_by_hand():
    # NPS = % promoters (9-10) - % detractors (0-6) (Reichheld, Bain). January: 10, 9, 3 -> 2 promoters and
    # 1 detractor of 3 = 33.3; February: 10, 6 -> 1 and 1 of 2 = 0; a blank answer in January is no answer
    labels = ["2024-01", "2024-01", "2024-02", "2024-01", "2024-02", "2024-01"]
    got = BY("NPS", ["2024-01", "2024-02"], labels, 1, [10, 9, 10, 3, 6, None])
    assert got == [pytest.approx(100 / 3, rel=1e-12), 0.0]


def test_each_month_equals_a_single_call_on_its_rows():
    rng = np.random.default_rng(11)
    n = 400
    df = pd.DataFrame({"month": rng.choice(["2024-01", "2024-02", "2024-03", "2024-05"], n),
                       "nps": rng.integers(0, 11, n).astype(float), "csat": rng.integers(1, 6, n).astype(float)})
    df.loc[rng.choice(n, 40, replace=False), "nps"] = np.nan          # blanks
    months = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    cases = [("NPS", (df["nps"],), ()), ("NPS_MARGIN_OF_ERROR", (df["nps"],), (0.9,)),
             ("CSAT", (df["csat"],), (5,)), ("CSAT_AVERAGE", (df["csat"],), (5,)), ("CES", (df["csat"],), (7,))]
    for name, data, rest in cases:
        got = BY(name, months, df["month"], len(data), *data, *rest)
        f = getattr(xl_cskpi, name.lower())
        for m, value in zip(months, got):
            rows = [c[df["month"] == m] for c in data]      # the month's rows, picked by pandas
            if m == "2024-04":                                          # no row that month
                assert value == _error(f, *rows, *rest), (name, m)
            else:
                assert value == pytest.approx(f(*rows, *rest), rel=1e-12), (name, m)


def test_a_month_without_rows_reads_as_a_single_calls_error():
    # the Periods sheet's cell of a month without answers read "#DIV/0! NPS: ..." before; it still does
    got = BY("NPS", ["2024-06"], ["2024-05", "2024-07"], 1, [9, 10])
    assert got == [_error(xl_cskpi.nps, [None, None])]
    assert got[0].startswith("#DIV/0! NPS: scores has no responses")
    # and the other months keep their numbers
    assert BY("NPS", ["2024-05", "2024-06"], ["2024-05", "2024-07"], 1, [9, 10]) == [100.0, got[0]]


def test_an_error_names_the_same_data_cell_as_a_single_call():
    # row 3 holds text; the month of rows 1-3 names "cell 3" as =NPS over the masked column would
    got = BY("NPS", ["2024-01", "2024-02"], ["2024-01", "2024-02", "2024-01"], 1, [9, 10, "lots"])
    assert got[0] == _error(xl_cskpi.nps, [9, None, "lots"])
    assert "'lots'" in got[0] and got[1] == 100.0


def test_worksheet_numbers_name_the_same_cell_as_a_single_call():
    # cells as a worksheet hands them over (floats, None): 12 is off the 0-10 scale in cell 3, which
    # January's single =NPS over the masked column names too
    got = BY("NPS", ["2024-01", "2024-02"], [["2024-01"], ["2024-02"], ["2024-01"]], 1, [[9.0], [None], [12.0]])
    assert got[0] == _error(xl_cskpi.nps, [[9.0], [None], [12.0]])
    assert "cell 3" in got[0] and got[1] == _error(xl_cskpi.nps, [[None], [None], [None]])


def test_per_period_arguments_and_errors():
    # churn of each month from its own counts (1,000 customers, 64 lost: 6.4 %; 800 and 20: 2.5 %);
    # a month whose count is an error (no row that month) holds that error, the others go on
    na = KPIError("has no value for this period", argument="NA")
    got = BY("CHURN_RATE", ["a", "b", "c"], None, 0, [1000, na, 800], [64, 5, 20])
    assert got[0] == 0.064 and got[2] == 0.025
    assert got[1] == excel_error_text(na)
    # a month whose count is the text of an error of ours (another KPI's month, in a cell) holds it
    text = "#DIV/0! CHURN_RATE: customers_start is 0"
    assert BY("CHURN_RATE", ["a", "b"], None, 0, [1000, text], [64, 5])[1] == text
    # a value given once is every period's
    assert BY("CHURN_RATE", ["a", "b"], None, 0, [1000, 500], 50) == [0.05, 0.1]


def test_trailing_blanks_are_the_functions_defaults():
    # CSAT's scale_max left blank is 5 (4 and 5 satisfied), as =CSAT(scores) reads it
    assert BY("CSAT", ["m"], ["m", "m", "m", "m"], 1, [5, 4, 3, 1], None) == [0.5]
    assert BY("CSAT", ["m"], ["m", "m", "m", "m"], 1, [5, 4, 3, 1], None, None, None) == [0.5]


@pytest.mark.parametrize("args, says", [
    (("NOPE", ["m"], ["m"], 1, [9]), r"^#VALUE! BY_PERIOD: function_name is 'NOPE', which is not one of our functions"),
    ((42.0, ["m"], ["m"], 1, [9]), r"^#VALUE! BY_PERIOD: function_name is 42, which is not one of our functions"),
    (("NPS_BREAKDOWN", ["m"], ["m"], 1, [9]), r"^#VALUE! BY_PERIOD: function_name is NPS_BREAKDOWN, which returns a table"),
    (("BY_PERIOD", ["m"], ["m"], 1, [9]), r"^#VALUE! BY_PERIOD: function_name is BY_PERIOD, which returns a column"),
    (("NPS", ["m"], ["m", "m"], 1, [9]), r"^#VALUE! BY_PERIOD: row_periods has 2 cells but data column 1 \(scores of NPS\) has 1"),
    (("NPS", ["m"], ["m"], 9, [9]), r"^#VALUE! BY_PERIOD: data_columns is 9; give how many"),
    (("NPS", ["m"], ["m"], "one", [9]), r"^#VALUE! BY_PERIOD: data_columns is 'one'"),
    (("NPS", ["m"], ["m"], 1, [9], 3), r"^#VALUE! BY_PERIOD: function_name gives NPS 2 arguments; it takes at most 1"),
])
def test_bad_calls_say_what_is_wrong(args, says):
    with pytest.raises(KPIError) as e:
        BY(*args)
    assert re.match(says, excel_error_text(e.value)), excel_error_text(e.value)


def test_function_names_are_read_as_excel_reads_them():
    assert BY(" nps ", ["m"], ["m", "m"], 1, [10, 0]) == [0.0]


# --------------------------------------------------------------------------- the faces


def test_classic_add_in_takes_worksheet_cells_and_writes_plain_cells():
    with classic_xlwings() as (ours, xl_udfs):
        got = ours.BY_PERIOD([["NPS"]], [["2024-01"], ["2024-02"], ["2024-03"]],
                             [["2024-01"], ["2024-01"], ["2024-02"], [None], ["2024-01"], ["2024-02"]], [[1.0]],
                             [[10.0], [9.0], [10.0], [8.0], [3.0], [6.0]])
        vba = io.StringIO()

        class Book:
            Name = "xl_cskpi.xlam"

        xl_udfs.generate_vba_wrapper("xl_cskpi.udfs", ours, vba, Book())
    # January 10, 9, 3: 33.3; February 10, 6: 0; March: no answers (the undated 8 is in no month)
    assert got[0][0] == pytest.approx(100 / 3, rel=1e-12) and got[1] == [0.0]
    assert got[2] == [_error(xl_cskpi.nps, [None] * 6)]
    assert all(type(r[0]) in (float, str) for r in got)     # the error is a plain text cell
    assert "Function BY_PERIOD(function_name, periods, row_periods, data_columns, arg1, Optional arg2" in vba.getvalue()
    assert 'XLPy.CallUDF("xl_cskpi.udfs", "BY_PERIOD"' in vba.getvalue()


def test_lite_takes_worksheet_cells():
    with lite_xlwings() as lite:
        got = lite.BY_PERIOD("CHURN_RATE", [["2024-01"], ["2024-02"]], None, 0, [[1000.0], [800.0]], [[64.0], [20.0]])
        assert got == [[0.064], [0.025]]
        assert "BY_PERIOD" in lite.__all__


def test_libreoffice_face_has_the_function():
    import xl_cskpi.libreoffice as lo

    assert "Function BY_PERIOD(" in lo.basic_module()


# --------------------------------------------------------------------------- the Periods sheet


def _demo(tmp_path):
    from xl_cskpi import sample
    from xl_cskpi.exports.check import ReadOptions
    from xl_cskpi.reports.fill import load_data

    files = sample.write_csv(sample.generate(), tmp_path)
    by_table = {sample.EXPORTS[k]: p for k, p in files.items()}

    def data(report):
        return load_data(report, [by_table[t.name] for t in report.tables if t.name in by_table], ReadOptions())[0]
    return data


def _same(a, b) -> bool:
    if isinstance(a, KPIError) or isinstance(b, KPIError):
        return type(a) is type(b) and excel_error_text(a) == excel_error_text(b)
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    return a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == pytest.approx(b, rel=1e-12))


@pytest.mark.parametrize("key", ["survey_scores", "overview", "revenue", "churn_retention", "support_complaints",
                                 "unit_economics"])
def test_compiled_periods_equal_the_month_by_month_evaluation(key, tmp_path):
    """The Periods table through BY_PERIOD columns equals the evaluator's month-by-month cells (the
    old path: each call of each month on its own), every visible cell."""
    from xl_cskpi.reports import reports
    from xl_cskpi.reports.byperiod import compile_columns, periods_table
    from xl_cskpi.reports.dashboard import plan
    from xl_cskpi.reports.evaluate import Context, _trend, evaluate_report, period_columns, periods_trend

    report = reports()[key]
    data = _demo(tmp_path)(report)
    tables = {t.name: data[t.name].reset_index(drop=True).copy() if t.name in data else
              pd.DataFrame({c.key: pd.Series([], dtype=object) for c in t.inputs}) for t in report.tables}
    labels = plan(report, data, "gregorian").labels
    assert len(labels) >= 6
    names = evaluate_report(report, tables, {"csat_scale": 5})     # the spills and settings the rows read
    ctx = Context(report, tables, names, given={t for t in data})
    old = _trend(periods_trend(report), ctx, labels=labels)
    compiled = compile_columns(period_columns(report))
    new = periods_table(compiled, ctx, labels)
    assert compiled.calls > 0
    compared = 0
    for col in old.columns:
        for i in range(len(labels)):
            assert _same(new[col].iloc[i], old[col].iloc[i]), (key, col, labels[i], new[col].iloc[i], old[col].iloc[i])
            compared += isinstance(old[col].iloc[i], (int, float))
    assert compared > len(labels)       # numbers, not only errors, were compared


def test_survey_periods_sheet_makes_one_call_per_kpi_whatever_the_months(tmp_path):
    from xl_cskpi.reports import reports
    from xl_cskpi.reports.builder import build

    rng = np.random.default_rng(4)
    n = 600
    days = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 30 * 24, n), unit="D")
    df = pd.DataFrame({"submitted_at": days, "nps_score": rng.integers(0, 11, n).astype(float),
                       "csat_score": rng.integers(1, 6, n).astype(float), "ces_score": rng.integers(1, 8, n).astype(float)})
    out = tmp_path / "live.xlsx"
    build(reports()["survey_scores"], out, data={"Responses": df}, settings={"csat_scale": 5})
    calls: dict[str, list] = {}
    for ws in load_workbook(out).worksheets:
        for row in ws.iter_rows():
            for c in row:
                f = c.value.text if isinstance(c.value, ArrayFormula) else c.value
                if isinstance(f, str) and f.startswith("="):
                    calls.setdefault(ws.title, []).extend(m.upper() for m in OURS.findall(f))
    # 24 months; NPS, its margin, CSAT, the average and CES: one BY_PERIOD each
    assert sorted(calls["Periods"]) == ["BY_PERIOD"] * 5
    assert sum(len(v) for v in calls.values()) <= 30


def test_a_month_without_rows_reads_n_a_and_why_a_month_with_rows_keeps_the_kpis_error(tmp_path):
    """C1: March has no response at all: its NPS, CSAT and CES read "n/a: no responses in 2024-03",
    live (the formula) and in --values alike; April has responses but none to NPS: NPS keeps its own
    error (a real reason, not a missing month); a month's count over no rows stays 0."""
    from xl_cskpi.reports import reports
    from xl_cskpi.reports.builder import build

    days = pd.to_datetime(["2024-02-03", "2024-02-10", "2024-04-05", "2024-05-01"])
    df = pd.DataFrame({"submitted_at": days, "nps_score": [9, 3, None, 10], "csat_score": [5, 4, 4, 2],
                       "ces_score": [6, 7, 5, 4]})
    r = reports()["survey_scores"]
    v = build(r, tmp_path / "v.xlsx", data={"Responses": df}, settings={"csat_scale": 5}, values=True)
    rows = v["_periods"].set_index("label")
    assert list(rows.index) == ["2024-02", "2024-03", "2024-04", "2024-05"]
    for key in ("nps", "nps_margin_of_error", "csat", "csat_average", "ces"):
        assert str(rows.loc["2024-03", key]) == "n/a: no responses in 2024-03", key
    assert rows.loc["2024-03", "nps_responses"] == 0                    # a count: 0, not n/a
    assert excel_error_text(rows.loc["2024-04", "nps"]).startswith("#DIV/0! NPS: scores has no responses")
    assert rows.loc["2024-04", "csat"] == 1.0                            # 4 of 1 answer satisfied
    ws = load_workbook(tmp_path / "v.xlsx")["Periods"]
    assert [ws.cell(5, c).value for c in (3, 6, 8)] == ["n/a: no responses in 2024-03"] * 3
    # live: the same sentence from the month's label, where no row of the table is dated in it
    build(r, tmp_path / "live.xlsx", data={"Responses": df}, settings={"csat_scale": 5})
    text = load_workbook(tmp_path / "live.xlsx")["Periods"]["C5"].value.text
    assert text.startswith('=IF(OR($A5="",ISNUMBER(') and text.endswith('"n/a: no responses in "&$A5))')
