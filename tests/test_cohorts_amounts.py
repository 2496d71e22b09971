"""COHORT_RETENTION(..., [labels], [segments], [amounts]): with an amount column only a row above 0
is activity (reviewer's K6, session 6: a customer-month MRR table with 0 rows read 100 % retention).

The reviewer's two files are written inline (/tmp/r7/in/mrr_dense.csv and mrr_moves.csv). By hand,
a customer is active in a month when its MRR is above 0, as MRR_MOVEMENTS reads the table:

    paid months   Jan  Feb  Mar  Apr  May  Jun
    A             x    x    x    x    x    x
    B             x    x    -    x    x    -      (dense: 0 in Mar and Jun; sparse: a 0 row in Mar, no Jun row)
    C             -    x    x    -    -    x      (dense: 0 in Jan, Apr, May)
    D             x    x    x    x    x    x
    E             -    -    -    x    x    x
    F             x    -    -    -    -    -

Cohorts: 2024-01 {A, B, D, F}, 2024-02 {C}, 2024-04 {E}.
2024-01: month 1 (Feb) A B D = 3/4; month 2 (Mar) A D = 2/4; month 3 (Apr) A B D = 3/4; month 4 (May)
3/4; month 5 (Jun) A D = 2/4.  2024-02: months 1..4 = Mar C, Apr -, May -, Jun C = 1, 0, 0, 1.
2024-04: months 1, 2 = May, Jun: 1, 1; beyond Jun blank.
Month-1 retention (3/4 + 1 + 1) / 3 = 91.7 %; month 3 (3/4 + 0) / 2 = 37.5 %; 3 cohorts.
Before: dense 1 cohort of 6, every cell 100 %; sparse Jan cohort month 2 75 % (B's 0 row counted).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_cskpi import cohort_retention, engines
from xl_cskpi.engines import sample
from xl_cskpi.errors import InvalidInput, NotAvailable
from xl_cskpi.registry import REGISTRY

DENSE = """Customer ID,Month,MRR
A,2024-01,100
B,2024-01,200
C,2024-01,0
D,2024-01,300
E,2024-01,0
F,2024-01,80
A,2024-02,150
B,2024-02,200
C,2024-02,50
D,2024-02,300
E,2024-02,0
F,2024-02,0
A,2024-03,150
B,2024-03,0
C,2024-03,50
D,2024-03,300
E,2024-03,0
F,2024-03,0
A,2024-04,120
B,2024-04,200
C,2024-04,0
D,2024-04,300
E,2024-04,100
F,2024-04,0
A,2024-05,120
B,2024-05,200
C,2024-05,0
D,2024-05,250
E,2024-05,100
F,2024-05,0
A,2024-06,120
B,2024-06,0
C,2024-06,80
D,2024-06,250
E,2024-06,150
F,2024-06,0
"""

MOVES = """Customer ID,Month,MRR
A,2024-01,100
B,2024-01,200
D,2024-01,300
F,2024-01,80
A,2024-02,150
B,2024-02,200
C,2024-02,50
D,2024-02,300
A,2024-03,150
B,2024-03,0
C,2024-03,50
D,2024-03,300
A,2024-04,120
B,2024-04,200
D,2024-04,300
E,2024-04,100
A,2024-05,120
B,2024-05,200
D,2024-05,250
E,2024-05,100
A,2024-06,120
C,2024-06,80
D,2024-06,250
E,2024-06,150
"""

NAN = float("nan")
#: the triangle by hand (module docstring), the same for both files
BY_HAND = [
    ["2024-01", 4, 1.0, 0.75, 0.5, 0.75, 0.75, 0.5],
    ["2024-02", 1, 1.0, 1.0, 0.0, 0.0, 1.0, NAN],
    ["2024-04", 1, 1.0, 1.0, 1.0, NAN, NAN, NAN],
]


def _frame(text: str) -> pd.DataFrame:
    import io
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])


def _rows(table: pd.DataFrame) -> list[list]:
    return [[v if not (isinstance(v, float) and math.isnan(v)) else "nan" for v in r]
            for r in table.itertuples(index=False)]


def _expect(rows=BY_HAND) -> list[list]:
    return [[v if not (isinstance(v, float) and math.isnan(v)) else "nan" for v in r] for r in rows]


def test_amounts_come_after_labels_and_segments():
    assert [a.name for a in REGISTRY["COHORT_RETENTION"].arguments] == [
        "customer_ids", "activity_dates", "period", "calendar", "labels", "segments", "amounts"]


@pytest.mark.parametrize("text", [DENSE, MOVES], ids=["dense", "sparse"])
def test_the_reviewers_files_by_hand(text):
    df = _frame(text)
    t = cohort_retention(df["Customer ID"], df["Month"], amounts=df["MRR"])
    assert list(t.columns) == ["Cohort", "Customers"] + [f"Month {k}" for k in range(6)]
    assert _rows(t) == _expect()
    # the same by position, as a workbook writes it: "month", calendar, labels, segments, amounts
    assert _rows(cohort_retention(df["Customer ID"], df["Month"], "month", "gregorian", "en", "", df["MRR"])) \
        == _expect()
    # without the amounts, as before: every row is activity
    before = cohort_retention(df["Customer ID"], df["Month"])
    if text is DENSE:
        assert before["Customers"].tolist() == [6] and before.iloc[0, 2:].tolist() == [1.0] * 6
    else:
        assert before.iloc[0]["Month 2"] == 0.75


def test_xlwings_shaped_rows_blank_zero_negative_and_text():
    # A, B start in Jan; Feb: A's amount blank, B 3; Mar: A 0, B -2 (a refund row); Apr: A 7
    ids = [["A"], ["B"], ["A"], ["B"], [None], ["A"], ["B"], ["A"]]
    months = [["2024-01"], ["2024-01"], ["2024-02"], ["2024-02"], [None], ["2024-03"], ["2024-03"], ["2024-04"]]
    amounts = [[10.0], [5.0], [None], [3.0], [None], [0.0], [-2.0], [7.0]]
    t = cohort_retention(ids, months, amounts=amounts)
    # cohort Jan {A, B}: Feb B = 1/2, Mar nobody = 0 (observed: rows dated Mar), Apr A = 1/2
    assert _rows(t) == [["2024-01", 2, 1.0, 0.5, 0.0, 0.5]]
    # without the amounts: Feb A B, Mar A B, Apr A
    assert _rows(cohort_retention(ids, months)) == [["2024-01", 2, 1.0, 1.0, 1.0, 0.5]]
    # an amount that is text but a number is read as the other functions read it
    assert _rows(cohort_retention(ids, months, amounts=[["10"], ["۵"], [None], ["3"], [None], ["0"], ["(2)"],
                                                        ["$7"]])) == _rows(t)
    with pytest.raises(InvalidInput, match=r"amounts has 'abc' in row 4, which is not a number \(#VALUE!\)"):
        cohort_retention(ids, months, amounts=[[10.0], [5.0], [None], ["abc"], [None], [0.0], [-2.0], [7.0]])
    # an amount on a row without id and date: the row is half filled
    with pytest.raises(InvalidInput, match="customer_ids is blank in row 5 where"):
        cohort_retention(ids, months, amounts=[[10.0], [5.0], [None], [3.0], [1.0], [0.0], [-2.0], [7.0]])
    with pytest.raises(NotAvailable, match="amounts has no amount above 0"):
        cohort_retention(ids, months, amounts=[[0.0], [None], [None], [-1.0], [None], [0.0], [0.0], [0.0]])
    with pytest.raises(InvalidInput, match="amounts has 3"):
        cohort_retention(ids, months, amounts=[[1.0], [2.0], [3.0]])


def test_unpaid_rows_date_the_export_but_start_no_cohort():
    # a dense table whose first and last months nobody paid: the triangle starts at the first paid
    # month (Feb), and the last month (Apr) is observed: 0 %, not blank
    ids = ["A", "B", "A", "B", "A", "B", "A", "B"]
    months = ["2024-01", "2024-01", "2024-02", "2024-02", "2024-03", "2024-03", "2024-04", "2024-04"]
    amounts = [0, 0, 10, 0, 10, 20, 0, 0]
    t = cohort_retention(ids, months, amounts=amounts)
    # cohorts Feb {A}: Mar 1, Apr 0; Mar {B}: Apr 0
    assert _rows(t) == [["2024-02", 1, 1.0, 1.0, 0.0], ["2024-03", 1, 1.0, 0.0, "nan"]]


def test_segments_split_the_amounts_and_keep_the_whole_columns():
    df = _frame(DENSE)
    plan = df["Customer ID"].map({"A": "pro", "B": "pro", "D": "pro", "F": "pro", "C": "basic", "E": "basic"})
    t = cohort_retention(df["Customer ID"], df["Month"], "month", "gregorian", "en", plan, df["MRR"])
    basic = t[t["segment"] == "basic"]
    pro = t[t["segment"] == "pro"]
    # basic: C from Feb (Mar 1, Apr 0, May 0, Jun 1), E from Apr (May 1, Jun 1); pro: A B D F from Jan
    assert _rows(basic.iloc[:, 1:]) == _expect(BY_HAND[1:])
    assert _rows(pro.iloc[:, 1:]) == _expect(BY_HAND[:1])
    # a segment whose rows never paid has no cohort (and no error)
    never = df["Customer ID"].map(lambda c: "trial" if c == "F" else "paying")
    amounts = df["MRR"].where(df["Customer ID"] != "F", "0")
    t = cohort_retention(df["Customer ID"], df["Month"], "month", "gregorian", "en", never, amounts)
    assert set(t["segment"]) == {"paying"} and t["Customers"].tolist() == [3, 1, 1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["u1", "u2", "u3", 4, 5.0, None]), st.integers(0, 120),
                          st.floats(0.01, 1e6) | st.integers(1, 10_000) | st.sampled_from(["12", "۳", "$5"])),
                min_size=1, max_size=40),
       st.sampled_from(["day", "week", "month", "quarter"]), st.sampled_from(["gregorian", "jalali", "hijri"]),
       st.booleans())
def test_every_amount_above_zero_is_the_call_without_amounts(rows, period, calendar, segmented):
    ids = [[c] for c, _, _ in rows]
    dates = [[None if c is None and d % 3 == 0 else (pd.Timestamp("2024-12-20") + pd.Timedelta(days=d)).to_pydatetime()]
             for c, d, _ in rows]
    # an entirely blank row (no id, no date) has no amount either: skipped by both
    amounts = [[None if c is None and dd[0] is None else a] for (c, _, a), dd in zip(rows, dates)]
    segments = [[("x", "y")[d % 2]] for _, d, _ in rows] if segmented else None
    try:
        want = cohort_retention(ids, dates, period, calendar, "en", segments)
    except (InvalidInput, NotAvailable) as e:
        with pytest.raises(type(e)) as got:
            cohort_retention(ids, dates, period, calendar, "en", segments, amounts)
        # the same refusal (a half-filled row also names the amounts among the filled cells)
        assert str(got.value).split(" where ")[0] == str(e).split(" where ")[0]
        return
    got = cohort_retention(ids, dates, period, calendar, "en", segments, amounts)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_the_identity_slot_paths_with_amounts():
    # the usual export (reader-made text ids: the identity-slot grid) with 10 % zero rows equals
    # the path that numbers the customers (integer ids) and the sorted count, and with every
    # amount > 0 the call without; the unpaid rows count in the grid's size (the slot grid is kept)
    from unittest import mock

    from test_cohorts_slots import Paths

    from xl_cskpi.tables import cohorts as cohorts_module
    rng = np.random.default_rng(7)
    n = 120_000
    cust = rng.integers(0, 20_000, n)
    ids = pa.array(np.array([f"C{c:05d}" for c in range(20_000)], dtype=object)[cust], type=pa.string()).to_pandas()
    months = pd.Series((np.datetime64("2022-01", "M") + rng.integers(0, 30, n).astype("timedelta64[M]"))
                       .astype("datetime64[ns]"))
    mrr = pd.Series(np.where(rng.random(n) < 0.1, 0.0, 49.0))
    with Paths() as paths:
        by_slot = cohort_retention(ids, months, amounts=mrr)
    assert (paths.slots, paths.slot_grid, paths.numbered) == (1, 1, 0)
    numbered = cohort_retention(pd.Series(cust), months, amounts=mrr)
    pd.testing.assert_frame_equal(by_slot, numbered, check_exact=True)
    with mock.patch.multiple(cohorts_module, SLOT_GRID_CELLS_PER_ROW=0, SLOT_GRID_MIN_CELLS=0):
        pd.testing.assert_frame_equal(cohort_retention(ids, months, amounts=mrr), by_slot, check_exact=True)
    # an independent count: first paid period, then paid customer-periods per cohort and age; by
    # month (a grid) and by day (a long span: the sorted count)
    for period, ordinal in (("month", months.dt.year * 12 + months.dt.month),
                            ("day", (months.to_numpy() + rng.integers(0, 28, n).astype("timedelta64[D]")))):
        if period == "day":
            days = pd.Series(ordinal)
            ordinal = days.to_numpy().astype("datetime64[D]").astype(np.int64)
            with mock.patch.object(cohorts_module, "_count_sorted", wraps=cohorts_module._count_sorted) as spy:
                got = cohort_retention(ids, days, "day", amounts=mrr)
            assert spy.call_count == 1
        else:
            got = by_slot
        paid = pd.DataFrame({"c": cust, "m": np.asarray(ordinal)})[mrr.to_numpy() > 0].drop_duplicates()
        paid["k"] = paid.groupby("c")["m"].transform("min")
        counts = paid.groupby(["k", paid["m"] - paid["k"]]).size().unstack(fill_value=0)
        counts = counts.reindex(columns=range(got.shape[1] - 2), fill_value=0)
        assert got["Customers"].tolist() == counts[0].tolist()
        last = int(np.asarray(ordinal).max())   # every row dates the export, paid or not
        want = (counts.to_numpy() / counts[0].to_numpy()[:, None])
        want[counts.index.to_numpy()[:, None] + np.arange(want.shape[1])[None, :] > last] = np.nan
        np.testing.assert_array_equal(got.iloc[:, 2:].to_numpy(float), want)
    pd.testing.assert_frame_equal(cohort_retention(ids, months, amounts=pd.Series(np.full(n, 49.0))),
                                  cohort_retention(ids, months), check_exact=True)


# --------------------------------------------------------------------------- the report


def _load(report, tmp_path, name, text):
    from xl_cskpi.exports.check import ReadOptions
    from xl_cskpi.reports.fill import load_data
    p = tmp_path / f"{name}.csv"
    p.write_text(text, encoding="utf-8")
    return load_data(report, [p], ReadOptions())[0]


@pytest.mark.parametrize("text", [DENSE, MOVES], ids=["dense", "sparse"])
def test_report_values(tmp_path, text):
    from xl_cskpi.reports import reports
    from xl_cskpi.reports.builder import build
    report = reports()["cohort_retention"]
    data = _load(report, tmp_path, "mrr", text)
    for lang in ("en", "fa", "ar"):
        v = build(report, tmp_path / f"v.{lang}.xlsx", data=data, values=True, lang=lang)
        assert v["month1_retention"] == pytest.approx((0.75 + 1 + 1) / 3, abs=1e-12)   # 91.7 %
        assert v["month3_retention"] == pytest.approx(0.375, abs=1e-12)
        assert v["cohorts"] == 3
        triangle = v["cohort_retention"]
        assert triangle.iloc[:, 1].tolist() == [4, 1, 1]
        assert _rows(triangle.iloc[:, 2:]) == _expect([r[2:] for r in BY_HAND])


def test_report_formula_passes_the_mrr_column_last(tmp_path):
    from openpyxl import load_workbook

    from xl_cskpi.reports import reports
    from xl_cskpi.reports.builder import build
    for lang in ("en", "fa"):
        build(reports()["cohort_retention"], tmp_path / f"f.{lang}.xlsx", lang=lang)
        wb = load_workbook(tmp_path / f"f.{lang}.xlsx")
        (formula,) = [str(getattr(c.value, "text", c.value)) for ws in wb for row in ws.iter_rows() for c in row
                      if "COHORT_RETENTION(" in str(getattr(c.value, "text", c.value))
                      and str(getattr(c.value, "text", c.value)).startswith("=")]
        assert f',"month",calendar,"{lang}","",Subscriptions[' in formula, formula
        assert formula.count("Subscriptions[") == 3


# --------------------------------------------------------------------------- compute


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
@pytest.mark.parametrize("text", [DENSE, MOVES], ids=["dense", "sparse"])
def test_compute_cohorts_leaves_out_unpaid_rows(engine, text):
    df = _frame(text)
    t = engines.compute("cohorts", df, engine=engine)
    assert _rows(t) == _expect()
    idle = 13 if text is DENSE else 1
    assert any(f"{idle} row{'s' if idle > 1 else ''} of 0, blank or negative left out" in n and "'MRR' (mrr)" in n
               for n in t.attrs["notes"]), t.attrs["notes"]
    # without an MRR column every row is activity, as before (no note)
    bare = engines.compute("cohorts", df.drop(columns="MRR"), engine=engine)
    assert bare["Customers"].tolist() == ([6] if text is DENSE else [4, 1, 1])
    assert not any("mrr" in n for n in bare.attrs.get("notes", []))


@pytest.mark.parametrize("period,calendar", [("month", "gregorian"), ("week", "jalali"), ("quarter", "hijri"),
                                             ("day", "gregorian")])
def test_compute_cohorts_duckdb_equals_pandas_with_amounts(period, calendar):
    # zero, blank (NaN) and negative MRR rows, entirely blank rows, several rows a month
    df = sample.mrr_rows(3000, seed=31, months=20).rename(columns={"month": "activity_date"})
    df.loc[df.index[::37], "mrr"] = -5.0
    ref = engines.compute("cohorts", df, engine="pandas", calendar=calendar, options={"period": period})
    got = engines.compute("cohorts", df, engine="duckdb", calendar=calendar, options={"period": period})
    from test_engines import assert_same
    assert_same(ref, got)
    assert ref.attrs["notes"] == got.attrs["notes"]
    want = cohort_retention(df["customer_id"], df["activity_date"], period, calendar, amounts=df["mrr"])
    pd.testing.assert_frame_equal(ref, want, check_exact=True)


def test_compute_cohorts_nobody_paid():
    df = _frame(DENSE)
    df["MRR"] = "0"
    with pytest.raises(Exception, match="above 0"):
        engines.compute("cohorts", df, engine="pandas")
    with pytest.raises(Exception, match="above 0"):
        engines.compute("cohorts", df, engine="duckdb")


@pytest.mark.spark
def test_compute_cohorts_on_spark_with_amounts(spark):
    from test_engines import assert_same
    t = engines.compute("cohorts", _frame(DENSE), engine="spark", options={"spark": spark})
    assert _rows(t) == _expect()
    df = sample.mrr_rows(2000, seed=32, months=20).rename(columns={"month": "activity_date"})
    assert_same(engines.compute("cohorts", df, engine="pandas"),
                engines.compute("cohorts", df, engine="spark", options={"spark": spark}))
