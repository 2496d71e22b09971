"""COHORT_RETENTION: hand-computed triangles, periods and calendars, properties, bad input."""

from __future__ import annotations

import datetime as dt
import math
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_cskpi import cohort_retention
from xl_cskpi.errors import InvalidInput, NotAvailable, OutOfRange

NaN = float("nan")

# Activity export used by the hand calculations.
ROWS = [
    ("A", "2024-09-03"), ("A", "2024-09-15"), ("A", "2024-10-05"), ("A", "2024-12-01"),
    ("B", "2024-09-20"),
    ("C", "2024-10-06"), ("C", "2024-11-30"),
    ("D", "2024-10-31"), ("D", "2024-12-12"),
    ("E", "2024-12-02"),
]


def _split(rows):
    ids, dates = zip(*rows)
    return list(ids), list(dates)


def assert_triangle(t: pd.DataFrame, cohorts, sizes, shares, period="month"):
    assert list(t.columns) == ["Cohort", "Customers"] + [f"{period.capitalize()} {k}" for k in range(len(shares[0]))]
    assert t["Cohort"].tolist() == cohorts
    assert t["Customers"].tolist() == sizes
    got = t.iloc[:, 2:].to_numpy(dtype=float)
    np.testing.assert_allclose(got, np.array(shares, dtype=float), rtol=1e-12)  # NaN == NaN here


def test_monthly_triangle_by_hand():
    # hand calculation: Sep cohort {A, B}: Oct A, Nov nobody, Dec A; Oct cohort {C, D}: Nov C, Dec D;
    # no customer starts in Nov (no row); Dec cohort {E}. Cells after Dec are blank.
    t = cohort_retention(*_split(ROWS))
    assert_triangle(t, ["2024-09", "2024-10", "2024-12"], [2, 2, 1], [
        [1.0, 0.5, 0.0, 0.5],
        [1.0, 0.5, 0.5, NaN],
        [1.0, NaN, NaN, NaN],
    ])


def test_quarterly_triangle_by_hand():
    # hand calculation: Q3 cohort {A, B}, A active in Q4 -> 50 %; Q4 cohort {C, D, E}
    t = cohort_retention(*_split(ROWS), period="quarter")
    assert_triangle(t, ["2024-Q3", "2024-Q4"], [2, 3], [[1.0, 0.5], [1.0, NaN]], "quarter")


def test_weeks_start_on_monday_in_gregorian_and_saturday_in_jalali():
    # 2024-09-06 is a Friday and 2024-09-07 a Saturday: one ISO week (W36, Monday to Sunday), but
    # two Saturday weeks in the Jalali calendar (the Iranian week starts on Saturday).
    g = cohort_retention(["X", "X"], ["2024-09-06", "2024-09-07"], "week")
    assert_triangle(g, ["2024-W36"], [1], [[1.0]], "week")
    j = cohort_retention(["X", "X"], ["2024-09-06", "2024-09-07"], "week", "jalali")
    assert j.shape == (1, 4) and j["Week 1"].tolist() == [1.0]


def test_daily_and_jalali_monthly_labels():
    # 2024-08-21 = 31 Mordad 1403 and 2024-08-22 = 1 Shahrivar 1403
    t = cohort_retention(["A", "A", "B"], ["2024-08-21", "2024-08-22", "2024-08-22"], "month", "jalali")
    assert_triangle(t, ["1403-05", "1403-06"], [1, 1], [[1.0, 1.0], [1.0, NaN]])
    d = cohort_retention(["A", "A"], ["2024-08-21", "2024-08-23"], "day")
    assert_triangle(d, ["2024-08-21"], [1], [[1.0, 0.0, 1.0]], "day")


def test_input_kinds_give_the_same_triangle():
    ids, dates = _split(ROWS)
    expected = cohort_retention(ids, dates)
    as_dates = [dt.date.fromisoformat(d) for d in dates]
    serials = [float((d - dt.date(1899, 12, 30)).days) for d in as_dates]
    month_labels = [d[:7] for d in dates]  # month labels are accepted for monthly cohorts
    rows = [[i, d] for i, d in zip(ids, as_dates)]
    for variant in (as_dates, serials, month_labels, pd.Series(pd.to_datetime(dates)),
                    pd.Series(pd.to_datetime(dates)).dt.tz_localize("Asia/Tehran"),
                    [[s] for s in serials] + [[None]]):
        col_ids = ids + [None] if len(variant) == len(ids) + 1 else ids
        pd.testing.assert_frame_equal(cohort_retention(col_ids, variant), expected)
    # Persian digits in a month label, shuffled xlwings rows
    random.Random(3).shuffle(rows)
    fa = [[d.isoformat()[:7].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))] for _, d in rows]
    pd.testing.assert_frame_equal(cohort_retention([[i] for i, _ in rows], fa), expected)


def naive_triangle(rows, last: int):
    """Plain dicts: each customer's set of active months, the cohort = the smallest."""
    active: dict[str, set[int]] = {}
    for cid, m in rows:
        active.setdefault(cid, set()).add(m)
    cohorts: dict[int, list[str]] = {}
    for cid, months in active.items():
        cohorts.setdefault(min(months), []).append(cid)
    out = {}
    for c, members in cohorts.items():
        out[c] = (len(members), [sum(c + k in active[m] for m in members) / len(members)
                                 for k in range(last - c + 1)])
    return out


@given(st.lists(st.tuples(st.sampled_from("ABCDEFGHIJ"), st.integers(0, 8)), min_size=1, max_size=50),
       st.randoms(use_true_random=False))
def test_properties_period0_shares_counts_shuffle_and_naive(rows, rnd):
    label = lambda m: f"{2024 + (m + 8) // 12}-{(m + 8) % 12 + 1:02d}"  # noqa: E731  (from 2024-09)
    t = cohort_retention([r[0] for r in rows], [label(r[1]) for r in rows])
    shares = t.iloc[:, 2:].to_numpy(dtype=float)
    assert (shares[:, 0] == 1.0).all()  # period 0 = 100 %
    finite = ~np.isnan(shares)
    assert ((shares[finite] >= 0) & (shares[finite] <= 1)).all()
    assert t["Customers"].sum() == len({r[0] for r in rows})  # every customer in exactly one cohort
    # each share is a whole number of customers out of the cohort size
    counts = shares * t["Customers"].to_numpy()[:, None]
    assert np.allclose(counts[finite], np.round(counts[finite]))
    # blank exactly beyond the last period of the export (a staircase)
    first, last = min(r[1] for r in rows), max(r[1] for r in rows)
    expected = naive_triangle(rows, last)
    assert t["Cohort"].tolist() == [label(c) for c in sorted(expected)]
    for i, c in enumerate(sorted(expected)):
        size, row = expected[c]
        assert t["Customers"][i] == size
        assert shares[i, :len(row)].tolist() == pytest.approx(row)
        assert np.isnan(shares[i, len(row):]).all()
    assert shares.shape[1] == last - first + 1
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    s = cohort_retention([r[0] for r in shuffled], [label(r[1]) for r in shuffled])
    pd.testing.assert_frame_equal(t, s)


# --------------------------------------------------------------------------- bad input


def test_misaligned_and_empty():
    with pytest.raises(InvalidInput,
                       match="COHORT_RETENTION: activity_dates has 1 cells but customer_ids has 2"):
        cohort_retention(["A", "B"], ["2024-09-01"])
    with pytest.raises(NotAvailable, match="customer_ids has no rows"):
        cohort_retention([], [])
    with pytest.raises(NotAvailable):
        cohort_retention([[None]], [["  "]])


def test_unparseable_dates_and_partial_rows_name_the_row():
    with pytest.raises(InvalidInput, match=r"activity_dates has '31/09/2024' in row 2"):
        cohort_retention(["A", "B"], ["2024-09-01", "31/09/2024"])
    with pytest.raises(InvalidInput, match=r"activity_dates has '2024-09' in row 1, which is not a date"):
        cohort_retention(["A"], ["2024-09"], "week")  # a month label cannot place a weekly cohort
    with pytest.raises(InvalidInput, match=r"activity_dates is blank in row 2 where customer_ids"):
        cohort_retention(["A", "B"], ["2024-09-01", None])
    with pytest.raises(InvalidInput, match=r"customer_ids is blank in row 1 where activity_dates"):
        cohort_retention([None], ["2024-09-01"])
    with pytest.raises(InvalidInput, match=r"customer_ids has a logical value in row 1"):
        cohort_retention([True], ["2024-09-01"])


def test_bad_options_and_too_wide():
    with pytest.raises(InvalidInput, match=r"period is 'year'"):
        cohort_retention(["A"], ["2024-09-01"], "year")
    with pytest.raises(InvalidInput, match=r"calendar is 'lunar'"):
        cohort_retention(["A"], ["2024-09-01"], "month", "lunar")
    with pytest.raises(OutOfRange, match=r"activity_dates spans 36526 days"):
        cohort_retention(["A", "B"], ["1950-01-01", "2050-01-01"], "day")
    with pytest.raises(NotAvailable, match="activity_dates .*Umm al-Qura"):
        cohort_retention(["A"], ["1900-01-01"], "month", "hijri")


def pandas_triangle(ids, dates, period_days: int) -> pd.DataFrame:
    """Independent computation with pandas (drop_duplicates / groupby / unstack) for fixed-length
    periods counted from the first date: cohort = a customer's first period; share = distinct
    customers active k periods later / cohort size; NaN beyond the last period."""
    d = pd.DataFrame({"c": ids, "p": (pd.Series(dates) - pd.Series(dates).min()).dt.days // period_days})
    d = d.drop_duplicates()
    d["cohort"] = d.groupby("c")["p"].transform("min")
    counts = d.groupby(["cohort", d["p"] - d["cohort"]]).size().unstack(fill_value=0)
    last = d["p"].max()
    counts = counts.reindex(columns=range(last + 1), fill_value=0)
    shares = counts.div(counts[0], axis=0).astype(float)
    for c in shares.index:
        shares.loc[c, shares.columns > last - c] = np.nan
    return shares


def test_a_larger_export_matches_pandas_in_every_row_order():
    # 20,000 rows of 2,000 customers over 365 days, weekly (from a Monday, so the periods are ISO weeks):
    # the counting path, checked against pandas in customer order, date order and shuffled
    rng = np.random.default_rng(1)
    n = 20_000
    ids = pd.Series(np.char.add("cus_", rng.integers(0, 2_000, n).astype(str)).astype(object))
    dates = pd.Series(np.datetime64("2024-01-01", "ns") + rng.integers(0, 365, n).astype("timedelta64[D]"))
    expected = pandas_triangle(ids, dates, 7)
    for order in (np.argsort(ids.to_numpy(), kind="stable"), np.argsort(dates.to_numpy(), kind="stable"),
                  rng.permutation(n)):
        t = cohort_retention(ids[order].reset_index(drop=True), dates[order].reset_index(drop=True), "week")
        assert t["Cohort"].iloc[0] == "2024-W01"
        assert t["Customers"].sum() == ids.nunique()
        np.testing.assert_allclose(t.iloc[:, 2:].to_numpy(float), expected.to_numpy(float), rtol=1e-12)


ID_POOL = ["cus_A", "cus_B", "cus_C", " cus_A", "1001", 1001, 1001.0, None]


def held(ids: list, fresh: list[bool]) -> pd.Series:
    """An object column where text ids are either one shared object per id (as pandas.read_csv
    gives them) or a new object per cell (as xlwings does)."""
    shared: dict = {}
    out = []
    for cid, new in zip(ids, fresh):
        if isinstance(cid, str):
            out.append("".join([cid[:1], cid[1:]]) if new else shared.setdefault(cid, "".join([cid[:1], cid[1:]])))
        else:
            out.append(cid)
    return pd.Series(out, dtype=object)


def month_label(m: int) -> str:
    return f"{2024 + (m + 8) // 12}-{(m + 8) % 12 + 1:02d}"  # from 2024-09


row_lists = st.lists(st.tuples(st.sampled_from(ID_POOL), st.integers(0, 8), st.booleans(),
                               st.sampled_from(["p", "q", " q", None])), min_size=1, max_size=50)


@given(row_lists, st.randoms(use_true_random=False))
def test_row_order_and_how_ids_are_held_never_change_the_triangle(rows, rnd):
    from unittest import mock

    from xl_cskpi.tables import rows as rows_module

    if all(r[0] is None for r in rows):
        return  # no data: NotAvailable, tested in test_misaligned_and_empty
    expected = cohort_retention([r[0] for r in rows], [None if r[0] is None else month_label(r[1]) for r in rows])
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    ids = held([r[0] for r in shuffled], [r[2] for r in shuffled])
    dates = pd.Series([None if r[0] is None else month_label(r[1]) for r in shuffled], dtype=object)
    with mock.patch.object(rows_module, "IDENTITY_MIN_ROWS", 1):  # every column through the identity path
        got = cohort_retention(ids, dates)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


# --------------------------------------------------------------------------- segments


def test_segments_by_hand():
    # ROWS with a plan per row: A and C on plan p, B, D and E on plan q.
    # hand calculation, plan p: cohort Sep {A}: Oct A, Nov -, Dec A; cohort Oct {C}: Nov C, Dec -.
    # plan q: cohort Sep {B}: nothing after; cohort Oct {D}: Dec D; cohort Dec {E}.
    # Every triangle spans the export (Sep-Dec): a cell up to Dec is observed (0 when nobody was
    # active), blank only beyond Dec, and every segment has the whole table's columns.
    ids, dates = _split(ROWS)
    plan = {"A": "p", "C": "p", "B": "q", "D": "q", "E": "q"}
    t = cohort_retention(ids, dates, segments=[plan[i] for i in ids])
    assert list(t.columns) == ["segment", "Cohort", "Customers", "Month 0", "Month 1", "Month 2", "Month 3"]
    assert t["segment"].tolist() == ["p", "p", "q", "q", "q"]
    assert t["Cohort"].tolist() == ["2024-09", "2024-10", "2024-09", "2024-10", "2024-12"]
    assert t["Customers"].tolist() == [1, 1, 1, 1, 1]
    np.testing.assert_array_equal(t.iloc[:, 3:].to_numpy(float), np.array([
        [1.0, 1.0, 0.0, 1.0],
        [1.0, 1.0, 0.0, NaN],
        [1.0, 0.0, 0.0, 0.0],
        [1.0, 0.0, 1.0, NaN],
        [1.0, NaN, NaN, NaN],
    ]))
    # a segment whose rows all end early still spans the export: plan q alone ends in Dec, but
    # with every row of B and D in plan r the r triangle runs to Dec as well (observed 0 %)
    plan2 = {"A": "p", "C": "p", "E": "p", "B": "r", "D": "r"}
    early = cohort_retention(ids[:8], dates[:8], segments=[plan2[i] for i in ids[:8]])
    assert early.shape[1] == 3 + 4 and early["segment"].tolist() == ["p", "p", "r", "r"]


def test_segments_through_the_excel_face_and_with_pandas_columns():
    from xl_cskpi import excel
    from xl_cskpi.registry import REGISTRY

    ids, dates = _split(ROWS)
    plan = {"A": "p", "C": "p", "B": "q", "D": "q", "E": "q"}
    segs = [[plan[i]] for i in ids] + [[None]]
    as_dt = [[dt.datetime.fromisoformat(d)] for d in dates] + [[None]]  # and a trailing blank row
    cells = excel.call(REGISTRY["COHORT_RETENTION"], ([[i] for i in ids] + [[None]], as_dt, None, None, None, segs))
    # hand calculation as in test_segments_by_hand
    assert cells[0] == ["segment", "Cohort", "Customers", "Month 0", "Month 1", "Month 2", "Month 3"]
    assert cells[1] == ["p", "2024-09", 1.0, 1.0, 1.0, 0.0, 1.0]
    assert cells[4] == ["q", "2024-10", 1.0, 1.0, 0.0, 1.0, ""]
    pandas = cohort_retention(pd.Series(ids), pd.Series(pd.to_datetime(dates)), segments=pd.Series(
        [plan[i] for i in ids]))
    pd.testing.assert_frame_equal(pandas, cohort_retention(ids, dates, segments=[plan[i] for i in ids]))
    with pytest.raises(InvalidInput, match=r"segments has 9 cells but customer_ids has 10"):
        cohort_retention(ids, dates, segments=[plan[i] for i in ids[:9]])


@settings(max_examples=40)  # each example runs the triangle once per segment
@given(row_lists, st.randoms(use_true_random=False))
def test_row_order_never_changes_the_triangles_per_segment(rows, rnd):
    rows = [r for r in rows if r[0] is not None]
    if not rows or all(r[3] is None for r in rows):
        return  # no data, or no segment given: the plain triangle
    ids = held([r[0] for r in rows], [r[2] for r in rows])
    dates = pd.Series([month_label(r[1]) for r in rows], dtype=object)
    seg = [r[3] for r in rows]
    expected = cohort_retention(ids, dates, segments=seg)
    whole = cohort_retention(ids, dates)
    assert expected.shape[1] == whole.shape[1] + 1  # every segment spans the export
    order = list(range(len(rows)))
    rnd.shuffle(order)
    got = cohort_retention(ids[order], dates[order], segments=[seg[i] for i in order])
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_through_the_excel_face_blank_cells_beyond_the_data():
    from xl_cskpi import excel
    from xl_cskpi.registry import REGISTRY

    ids, dates = _split(ROWS)
    as_dt = [[dt.datetime.fromisoformat(d)] for d in dates]  # the classic add-in delivers datetimes
    cells = excel.call(REGISTRY["COHORT_RETENTION"], ([[i] for i in ids], as_dt, [[None]], [[None]]))
    # hand calculation as in test_monthly_triangle_by_hand; NaN spills as an empty cell
    assert cells == [
        ["Cohort", "Customers", "Month 0", "Month 1", "Month 2", "Month 3"],
        ["2024-09", 2.0, 1.0, 0.5, 0.0, 0.5],
        ["2024-10", 2.0, 1.0, 0.5, 0.5, ""],  # beyond the data: an empty cell
        ["2024-12", 1.0, 1.0, "", "", ""],
    ]


# --------------------------------------------------------------------------- the counting paths

FACTOR_POOL = ["cus_A", "cus_B", " cus_A", "a\x00b", "a", "", 1001, 1001.0, True, None, NaN, pd.NA]


@given(st.lists(st.tuples(st.sampled_from(FACTOR_POOL), st.booleans()), min_size=1, max_size=80),
       st.sampled_from(["counted", "partitioned"]), st.integers(0, 12), st.integers(1, 40))
def test_factorizing_by_identity_is_pandas_factorize(cells_, path, page_bits, part_rows):
    """The identity path (ids grouped by object address -- counted over a page-by-offset table of
    the addresses, or hashed partition by partition -- and renumbered in order of first appearance)
    gives exactly the codes and values of cells.factorize (pandas' factorize, NUL-safe) on the same
    cells, however the text objects are shared; both ways forced onto tiny columns, pages and
    partitions."""
    from unittest import mock

    from xl_cskpi import cells
    from xl_cskpi.tables import identity as identity_module
    from xl_cskpi.tables import rows as rows_module

    arr = held([c for c, _ in cells_], [f for _, f in cells_]).to_numpy(dtype=object)
    want_codes, want_values = cells.factorize(arr)
    slots = {"IDENTITY_SLOTS_PER_ROW": 0, "IDENTITY_MIN_SLOTS": 0} if path == "partitioned" else {}
    with mock.patch.object(rows_module, "IDENTITY_MIN_ROWS", 1), \
            mock.patch.multiple(identity_module, IDENTITY_PART_ROWS=part_rows, IDENTITY_PAGE_BITS=page_bits, **slots):
        codes, values = rows_module._factorize(arr)
    np.testing.assert_array_equal(codes, want_codes)
    assert len(values) == len(want_values)
    for got, want in zip(values.tolist(), want_values.tolist()):
        assert got is want or (type(got) is type(want) and got == want)  # the first cell holding it


@pytest.mark.parametrize("order", ["customer-major", "month-major", "shuffled"])
def test_identity_groups_of_reader_made_ids_are_counted_and_equal_pandas_factorize(order):
    """Ids made as pyarrow's to_pandas makes them (one str per distinct id): the page-by-offset
    table is used (the objects lie close together), and the codes and first rows are exactly
    pandas.factorize's of the addresses, in every row order; so are the partitioned hash's."""
    import pyarrow as pa
    from unittest import mock

    from xl_cskpi.tables import identity as identity_module

    rng = np.random.default_rng(3)
    cust = np.repeat(np.arange(20_000), 6)
    if order == "month-major":
        cust = cust.reshape(-1, 6).T.ravel()
    elif order == "shuffled":
        cust = rng.permutation(cust)
    arr = np.asarray(pa.array(np.char.add("C", cust.astype(str)).astype(object), type=pa.string()).to_pandas(),
                     dtype=object)
    addresses = np.asarray(identity_module.Addresses(arr))
    want_codes, _ = pd.factorize(addresses)
    want_first = np.flatnonzero(np.r_[True, np.maximum.accumulate(want_codes)[1:] != np.maximum.accumulate(want_codes)[:-1]])
    counted = identity_module._counted_groups((addresses >> 4).view(np.int64), len(arr))
    assert counted is not None
    with mock.patch.multiple(identity_module, IDENTITY_SLOTS_PER_ROW=0, IDENTITY_MIN_SLOTS=0, IDENTITY_PART_ROWS=5_000):
        partitioned = identity_module.identity_groups(arr)
    for codes, first in (counted, identity_module.identity_groups(arr), partitioned):
        np.testing.assert_array_equal(codes, want_codes)
        np.testing.assert_array_equal(first, want_first)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_sorting_fallback_for_sparse_exports_gives_the_same_triangle(seed, monkeypatch):
    """The customer x period grid is counted when dense; a sparse export (few rows over a long span)
    is sorted instead: forced here on a random daily export, checked against pandas_triangle's
    independent groupby (the loop above) and the counted result."""
    from xl_cskpi.tables import cohorts as cohorts_module

    rng = np.random.default_rng(seed)
    n = 3_000
    ids = pd.Series(np.char.add("c", rng.integers(0, 400, n).astype(str)).astype(object))
    dates = pd.Series(np.datetime64("2024-01-01", "ns") + rng.integers(0, 120, n).astype("timedelta64[D]"))
    counted = cohort_retention(ids, dates, "week")
    monkeypatch.setattr(cohorts_module, "_count_dense",
                        lambda cust, ords, first, customers, span: cohorts_module._count_sorted(cust, ords, first, span))
    sorted_ = cohort_retention(ids, dates, "week")
    pd.testing.assert_frame_equal(sorted_, counted, check_exact=True)
    np.testing.assert_allclose(counted.iloc[:, 2:].to_numpy(float), pandas_triangle(ids, dates, 7).to_numpy(float),
                               rtol=1e-12)
