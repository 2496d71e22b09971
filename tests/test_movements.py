"""MRR_MOVEMENTS: hand-computed bridges, an independent naive implementation, properties, bad input.

Definitions checked (ChartMogul, "MRR movements", help.chartmogul.com): new business = first MRR of
a customer; expansion / contraction = change of MRR of a customer paying in both months; churn =
a customer's MRR falls to 0 (or the customer disappears); reactivation = a churned customer pays
again (not new business).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_cskpi import mrr_movements
from xl_cskpi.errors import InvalidInput, NotAvailable, OutOfRange

MONEY = ["Starting MRR", "New MRR", "Expansion MRR", "Contraction MRR", "Churned MRR",
         "Reactivation MRR", "Ending MRR"]
COUNTS = ["Customers at start", "New customers", "Churned customers", "Reactivated customers",
          "Customers at end"]

# Export used by the hand calculation (one row per customer and month; D has two rows in May).
#           Jan  Feb  Mar  Apr  May
#   A       100  120   90   90   --    new, expansion +20, contraction -30, flat, churn 90
#   B        50   --   --   60   60    new, churn 50 (absent), reactivation 60, flat
#   C        --   30   30    0   40    new 30, flat, churn 30 (MRR 0), reactivation 40
#   D        --   --   --   --  25+5   new 30 (two rows summed)
ROWS = [
    ("A", "2024-01", 100), ("A", "2024-02", 120), ("A", "2024-03", 90), ("A", "2024-04", 90),
    ("B", "2024-01", 50), ("B", "2024-04", 60), ("B", "2024-05", 60),
    ("C", "2024-02", 30), ("C", "2024-03", 30), ("C", "2024-04", 0), ("C", "2024-05", 40),
    ("D", "2024-05", 25), ("D", "2024-05", 5),
]
# hand calculation, month by month (start, new, expansion, contraction, churned, reactivation, end |
# customers start, new, churned, reactivated, end):
EXPECTED = pd.DataFrame(
    [
        ["2024-01", 0, 150, 0, 0, 0, 0, 150, 0, 2, 0, 0, 2],      # A 100 + B 50 new
        ["2024-02", 150, 30, 20, 0, 50, 0, 150, 2, 1, 1, 0, 2],   # C new 30, A +20, B churns 50
        ["2024-03", 150, 0, 0, 30, 0, 0, 120, 2, 0, 0, 0, 2],     # A -30
        ["2024-04", 120, 0, 0, 0, 30, 60, 150, 2, 0, 1, 1, 2],    # C to 0 churns 30, B back 60
        ["2024-05", 150, 30, 0, 0, 90, 40, 130, 2, 1, 1, 1, 3],   # D new 25+5, A churns 90, C back 40
    ],
    columns=["Month"] + MONEY + COUNTS,
)


def _split(rows):
    ids, months, mrr = zip(*rows)
    return list(ids), list(months), list(mrr)


def assert_table(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got.columns) == list(expected.columns)
    assert got["Month"].tolist() == expected["Month"].tolist()
    for c in MONEY:
        assert got[c].tolist() == pytest.approx([float(v) for v in expected[c]], rel=1e-12), c
    for c in COUNTS:
        assert got[c].tolist() == [int(v) for v in expected[c]], c


def test_hand_calculation_every_movement_type():
    # hand calculation: see EXPECTED above
    assert_table(mrr_movements(*_split(ROWS)), EXPECTED)


def test_shuffled_rows_and_xlwings_shape_give_the_same_table():
    rows = ROWS[:]
    random.Random(7).shuffle(rows)
    ids, months, mrr = _split(rows)
    col = lambda xs: [[v] for v in xs] + [[None]]  # noqa: E731  (a trailing blank row of the range)
    assert_table(mrr_movements(col(ids), col(months), col(mrr)), EXPECTED)


def test_month_kinds_dates_serials_iso_text_pandas():
    ids, months, mrr = _split(ROWS)
    as_date = [dt.date(2024, int(m[5:]), 15) for m in months]
    serials = [float((d - dt.date(1899, 12, 30)).days) for d in as_date]  # Excel 1900 serials
    iso = [d.isoformat() for d in as_date]
    for variant in (as_date, serials, iso, pd.Series(pd.to_datetime(iso)),
                    np.array(iso, dtype="datetime64[ns]"),
                    [dt.datetime(d.year, d.month, d.day, 13, 30) for d in as_date]):
        assert_table(mrr_movements(ids, variant, mrr), EXPECTED)


def test_month_with_no_rows_is_listed_and_churns_everyone():
    # hand calculation: A pays 10 in Jan, nothing in Feb (no rows at all), 10 in Mar
    t = mrr_movements(["A", "A"], ["2024-01", "2024-03"], [10, 10])
    assert t["Month"].tolist() == ["2024-01", "2024-02", "2024-03"]
    assert t["Churned MRR"].tolist() == [0, 10, 0]
    assert t["Reactivation MRR"].tolist() == [0, 0, 10]
    assert t["New MRR"].tolist() == [10, 0, 0]  # a returning customer is not new (ChartMogul)


def test_jalali_labels_with_persian_digits_and_year_boundary():
    # hand calculation: Esfand 1402 -> Farvardin 1403; X 200 -> 150 (contraction 50)
    t = mrr_movements(["X", "X"], ["۱۴۰۲-۱۲", "1403-01"], ["۲۰۰", 150], calendar="jalali")
    assert t["Month"].tolist() == ["1402-12", "1403-01"]
    assert t["Contraction MRR"].tolist() == [0, 50]
    assert t["Ending MRR"].tolist() == [200, 150]


def test_dates_are_bucketed_by_the_chosen_calendar():
    # 2024-08-21 is 31 Mordad 1403 and 2024-08-22 is 1 Shahrivar 1403 (one Gregorian month, two
    # Jalali months): the customer moves from Mordad to Shahrivar, expansion 20 in Shahrivar.
    t = mrr_movements(["A", "A"], ["2024-08-21", "2024-08-22"], [100, 120], calendar="jalali")
    assert t["Month"].tolist() == ["1403-05", "1403-06"]
    assert t["Expansion MRR"].tolist() == [0, 20]
    g = mrr_movements(["A", "A"], ["2024-08-21", "2024-08-22"], [100, 120])
    assert g["Month"].tolist() == ["2024-08"] and g["New MRR"].tolist() == [220]  # summed


def test_numeric_ids_are_the_same_customer_as_their_text():
    # 1001 read by Excel as 1001.0 and "1001" typed as text are one customer: expansion, not new
    t = mrr_movements([1001.0, "1001"], ["2024-01", "2024-02"], [10, 15])
    assert t["New customers"].tolist() == [1, 0]
    assert t["Expansion MRR"].tolist() == [0, 5]


# --------------------------------------------------------------------------- independent implementation


def naive_movements(rows: list[tuple[str, int, float]]) -> dict[int, dict[str, float]]:
    """Deliberately plain: dicts, a loop per month per customer, 'ever paid' by scanning back."""
    mrr: dict[tuple[str, int], float] = defaultdict(float)
    for cid, month, value in rows:
        mrr[(cid, month)] += value
    customers = {cid for cid, _, _ in rows}
    first = min(m for _, m, _ in rows)
    last = max(m for _, m, _ in rows)
    out = {}
    for m in range(first, last + 1):
        r = dict.fromkeys(MONEY + COUNTS, 0.0)
        for cid in customers:
            prev = mrr.get((cid, m - 1), 0.0) if m > first else 0.0
            cur = mrr.get((cid, m), 0.0)
            ever = any(mrr.get((cid, k), 0.0) > 0 for k in range(first, m))
            if prev > 0:
                r["Starting MRR"] += prev
                r["Customers at start"] += 1
            if cur > 0:
                r["Ending MRR"] += cur
                r["Customers at end"] += 1
            if cur > 0 and not ever:
                r["New MRR"] += cur
                r["New customers"] += 1
            elif cur > 0 and prev == 0:
                r["Reactivation MRR"] += cur
                r["Reactivated customers"] += 1
            elif prev > 0 and cur == 0:
                r["Churned MRR"] += prev
                r["Churned customers"] += 1
            elif cur > prev:
                r["Expansion MRR"] += cur - prev
            elif cur < prev:
                r["Contraction MRR"] += prev - cur
        out[m] = r
    return out


def random_export(seed: int, customers: int = 300, months: int = 12):
    rng = random.Random(seed)
    rows = []
    for c in range(customers):
        cid = f"cus_{c:04d}"
        joined = rng.randrange(months)
        for m in range(joined, months):
            u = rng.random()
            if u < 0.15:
                continue  # absent this month
            value = 0 if u < 0.2 else rng.choice([29, 49, 99, 199, 499, 19.99, 12.5])
            rows.append((cid, m, value))
            if rng.random() < 0.05:
                rows.append((cid, m, rng.choice([10, 5.5])))  # an add-on row, summed
    rng.shuffle(rows)
    return rows


def label(m: int, start_year: int = 2023, start_month: int = 7) -> str:
    o = start_year * 12 + start_month - 1 + m
    return f"{o // 12:04d}-{o % 12 + 1:02d}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_an_independent_implementation_on_a_random_export(seed):
    rows = random_export(seed)
    expected = naive_movements(rows)
    t = mrr_movements([r[0] for r in rows], [label(r[1]) for r in rows], [r[2] for r in rows])
    first = min(expected)
    assert t["Month"].tolist() == [label(m) for m in range(first, first + len(t))]
    assert len(t) == len(expected) == 12
    for i, m in enumerate(sorted(expected)):
        for c in MONEY:
            assert math.isclose(t[c][i], expected[m][c], rel_tol=1e-9, abs_tol=1e-9), (m, c)
        for c in COUNTS:
            assert t[c][i] == expected[m][c], (m, c)
    check_bridge(t, exact=False)


# --------------------------------------------------------------------------- properties


def check_bridge(t: pd.DataFrame, exact: bool) -> None:
    for _, r in t.iterrows():
        lhs = (r["Starting MRR"] + r["New MRR"] + r["Expansion MRR"] + r["Reactivation MRR"]
               - r["Contraction MRR"] - r["Churned MRR"])
        if exact:
            assert lhs == r["Ending MRR"]
        else:
            assert math.isclose(lhs, r["Ending MRR"], rel_tol=1e-9, abs_tol=1e-6)
        assert (r["Customers at start"] + r["New customers"] + r["Reactivated customers"]
                - r["Churned customers"]) == r["Customers at end"]
    assert (t[MONEY] >= 0).all().all() and (t[COUNTS] >= 0).all().all()
    assert t["Starting MRR"].iloc[1:].tolist() == t["Ending MRR"].iloc[:-1].tolist()
    assert t["Customers at start"].iloc[1:].tolist() == t["Customers at end"].iloc[:-1].tolist()


exports = st.lists(
    st.tuples(st.sampled_from("ABCDEFGH"), st.integers(0, 7), st.integers(0, 500)),
    min_size=1, max_size=60,
)


@given(exports, st.randoms(use_true_random=False))
def test_bridge_holds_exactly_with_whole_amounts_and_shuffling_changes_nothing(rows, rnd):
    t = mrr_movements([r[0] for r in rows], [label(r[1]) for r in rows], [r[2] for r in rows])
    check_bridge(t, exact=True)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    s = mrr_movements([r[0] for r in shuffled], [label(r[1]) for r in shuffled],
                      [r[2] for r in shuffled])
    pd.testing.assert_frame_equal(t, s)


@given(st.lists(st.tuples(st.sampled_from("ABCDEF"), st.integers(0, 5),
                          st.floats(0, 1e6, allow_nan=False, allow_infinity=False)),
                min_size=1, max_size=40))
def test_bridge_holds_with_fractional_amounts_and_matches_naive(rows):
    t = mrr_movements([r[0] for r in rows], [label(r[1]) for r in rows], [r[2] for r in rows])
    check_bridge(t, exact=False)
    expected = naive_movements(rows)
    for i, m in enumerate(sorted(expected)):
        for c in MONEY:
            assert math.isclose(t[c][i], expected[m][c], rel_tol=1e-9, abs_tol=1e-6), (m, c)


# --------------------------------------------------------------------------- bad input


def test_misaligned_ranges():
    with pytest.raises(InvalidInput, match=r"MRR_MOVEMENTS: months has 1 cells but customer_ids has 2"):
        mrr_movements(["A", "B"], ["2024-01"], [1, 2])
    with pytest.raises(InvalidInput, match="mrr"):
        mrr_movements(["A"], ["2024-01"], [1, 2])


def test_unparseable_months_name_the_row():
    with pytest.raises(InvalidInput, match=r"months has 'Sept' in row 2, which is neither a month label"):
        mrr_movements(["A", "B"], ["2024-09", "Sept"], [1, 2])
    with pytest.raises(InvalidInput, match=r"months has 'Sept' in row 2, which is not a date"):
        mrr_movements(["A", "B"], ["2024-09-01", "Sept"], [1, 2])
    with pytest.raises(InvalidInput, match=r"months .*month 13 does not exist"):
        mrr_movements(["A"], ["2024-13"], [1])
    with pytest.raises(InvalidInput, match=r"months mixes month labels .* and dates"):
        mrr_movements(["A", "B"], ["2024-09", 45536], [1, 2])
    with pytest.raises(InvalidInput, match=r"months .*not an Excel date serial"):
        mrr_movements(["A"], [-5], [1])


def test_empty_input_and_blank_rows():
    with pytest.raises(NotAvailable, match="MRR_MOVEMENTS: customer_ids has no rows"):
        mrr_movements([], [], [])
    with pytest.raises(NotAvailable):
        mrr_movements([[None], [""]], [[None], [None]], [[None], [None]])
    with pytest.raises(InvalidInput, match=r"customer_ids is blank in row 2 where months, mrr"):
        mrr_movements(["A", None], ["2024-01", "2024-02"], [1, 2])
    with pytest.raises(InvalidInput, match=r"months is blank in row 1"):
        mrr_movements(["A"], [None], [1])
    # a blank MRR with id and month is 0: the customer is not paying that month (churn)
    t = mrr_movements(["A", "A"], ["2024-01", "2024-02"], [5, None])
    assert t["Churned MRR"].tolist() == [0, 5]
    # in pandas data NaN is how an empty cell reads; in plain numpy it is invalid (cells' rule)
    p = mrr_movements(pd.Series(["A", "A"]), pd.Series(["2024-01", "2024-02"]), pd.Series([5.0, np.nan]))
    pd.testing.assert_frame_equal(p, t)
    with pytest.raises(InvalidInput, match=r"mrr has NaN in row 2"):
        mrr_movements(["A", "A"], ["2024-01", "2024-02"], np.array([5.0, np.nan]))


def test_bad_mrr_values():
    with pytest.raises(OutOfRange, match=r"MRR_MOVEMENTS: mrr is -5 in row 2; MRR cannot be negative"):
        mrr_movements(["A", "B"], ["2024-01", "2024-01"], [1, -5])
    with pytest.raises(InvalidInput, match=r"mrr has 'lots'"):
        mrr_movements(["A"], ["2024-01"], ["lots"])
    with pytest.raises(InvalidInput, match=r"mrr has a logical value"):
        mrr_movements(["A"], ["2024-01"], [True])


def test_bad_ids_calendar_and_span():
    with pytest.raises(InvalidInput, match=r"customer_ids has a logical value in row 2"):
        mrr_movements(["A", False], ["2024-01", "2024-01"], [1, 1])
    with pytest.raises(InvalidInput, match=r"calendar is 'julian'"):
        mrr_movements(["A"], ["2024-01"], [1], calendar="julian")
    with pytest.raises(OutOfRange, match=r"months spans 2413 months \(2024-01 to 2225-01\)"):
        mrr_movements(["A", "A"], ["2024-01", "2225-01"], [1, 1])


# --------------------------------------------------------------------------- row order and fast paths
#
# The table is counted, not sorted (xl_cskpi.tables.rows: ids factorized by object identity first,
# (customer, month) pairs counted over the dense key space), so the row order of an export and the
# way its ids are held (one shared object per id, as pandas.read_csv gives them, or a fresh object
# per cell, as xlwings does) must never change a single bit of the table.

ID_POOL = ["cus_A", "cus_B", "cus_C", " cus_A", "1001", 1001, 1001.0, None]


def held(ids: list, fresh: list[bool]) -> pd.Series:
    """An object column where text ids are either one shared object per id or a new object per cell."""
    shared: dict = {}
    out = []
    for cid, new in zip(ids, fresh):
        if isinstance(cid, str):
            out.append("".join([cid[:1], cid[1:]]) if new else shared.setdefault(cid, "".join([cid[:1], cid[1:]])))
        else:
            out.append(cid)
    return pd.Series(out, dtype=object)


row_lists = st.lists(st.tuples(st.sampled_from(ID_POOL), st.integers(0, 7), st.integers(0, 500), st.booleans(),
                               st.sampled_from(["p", "q", " q", None])), min_size=1, max_size=60)


def _columns(rows):
    ids = held([r[0] for r in rows], [r[3] for r in rows])
    blank = ids.isna().to_numpy()  # a row without id is an entirely blank row of the range
    months = pd.Series([None if b else label(r[1]) for r, b in zip(rows, blank)], dtype=object)
    mrr = pd.Series([None if b else r[2] for r, b in zip(rows, blank)], dtype=object)
    return ids, months, mrr, [r[4] for r in rows]


@given(row_lists, st.randoms(use_true_random=False))
def test_row_order_and_how_ids_are_held_never_change_the_table(rows, rnd):
    from unittest import mock

    from xl_cskpi.tables import rows as rows_module

    if all(r[0] is None for r in rows):
        return  # no data: NotAvailable, tested in test_empty_input_and_blank_rows
    # reference: plain lists, the direct path (pandas.factorize on every cell)
    expected = mrr_movements([r[0] for r in rows], *[list(c) for c in _columns(rows)[1:3]])
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    ids, months, mrr, _ = _columns(shuffled)
    with mock.patch.object(rows_module, "IDENTITY_MIN_ROWS", 1):  # every column through the identity path
        got = mrr_movements(ids, months, mrr)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


@settings(max_examples=40)  # each example runs the table once per segment
@given(row_lists, st.randoms(use_true_random=False))
def test_row_order_never_changes_the_tables_per_segment(rows, rnd):
    rows = [r for r in rows if r[0] is not None]
    if not rows:
        return
    ids, months, mrr, seg = _columns(rows)
    expected = mrr_movements(ids, months, mrr, segments=seg)
    order = list(range(len(rows)))
    rnd.shuffle(order)
    got = mrr_movements(ids[order], months[order], mrr[order], segments=[seg[i] for i in order])
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    # the segments' MRR adds up to the whole export's in every month (each segment spans the whole
    # export; customer counts need not add up: a customer with rows in two segments is in both)
    whole = mrr_movements(ids, months, mrr)
    summed = got.groupby("Month", sort=False)[["Starting MRR", "Ending MRR"]].sum().reset_index()
    assert summed["Ending MRR"].tolist() == whole["Ending MRR"].tolist()
    assert summed["Starting MRR"].tolist() == whole["Starting MRR"].tolist()


@pytest.mark.parametrize("seed", [4, 5])
def test_the_sorting_fallback_for_sparse_exports_gives_the_same_table(seed, monkeypatch):
    """Counting over customer x month needs a dense key space; a sparse export (few rows over a long
    span) is sorted instead: forced here on a random export, checked against the naive loop."""
    from xl_cskpi.tables import movements as movements_module

    rows = random_export(seed, customers=60)
    args = ([r[0] for r in rows], [label(r[1]) for r in rows], [r[2] for r in rows])
    counted = mrr_movements(*args)
    monkeypatch.setattr(movements_module, "_dense", lambda slots, rows: False)
    sorted_ = mrr_movements(*args)
    pd.testing.assert_frame_equal(sorted_, counted, check_exact=True)
    expected = naive_movements(rows)
    for i, m in enumerate(sorted(expected)):
        for c in COUNTS:
            assert sorted_[c][i] == expected[m][c], (m, c)


def test_a_sparse_export_over_a_long_span():
    # 3 customers over 100 years of months: 3 x 1,200 keys, more than 4 per row: the sorting path.
    # hand calculation: A pays 10 in 1925-01 and 20 in 1925-02 (+10 expansion), churns in 1925-03;
    # B is new in 2024-12 with 7; C is new in 2024-12 with 3 (its blank-MRR row is 0, not paying)
    t = mrr_movements(["A", "A", "B", "C", "C"], ["1925-01", "1925-02", "2024-12", "2024-12", "1990-06"],
                      [10, 20, 7, 3, None])
    assert len(t) == 1200
    assert t["Expansion MRR"].iloc[1] == 10 and t["Churned MRR"].iloc[2] == 20
    assert t["New MRR"].iloc[-1] == 10 and t["New customers"].iloc[-1] == 2
    assert t["Ending MRR"].iloc[3:-1].eq(0).all()


def test_arrow_and_categorical_id_columns_give_the_same_table():
    ids, months, mrr = _split(ROWS)
    for variant in (pd.Series(ids, dtype="category"), pd.Series(ids, dtype="string[pyarrow]"),
                    pd.Series(ids + [None], dtype="string[pyarrow]").iloc[:-1]):
        assert_table(mrr_movements(variant, months, mrr), EXPECTED)
    # a blank id in an arrow column with a blank month and MRR is a blank row; with data it is named
    blank = pd.Series(ids + [None], dtype="string[pyarrow]")
    assert_table(mrr_movements(blank, months + [None], mrr + [None]), EXPECTED)
    with pytest.raises(InvalidInput, match=r"customer_ids is blank in row 14 where months"):
        mrr_movements(blank, months + ["2024-05"], mrr + [1])


def test_through_the_excel_face_with_xlwings_cells():
    """The table as the Excel faces spill it: a header row, then one row per month."""
    from xl_cskpi import excel
    from xl_cskpi.registry import REGISTRY

    ids, months, mrr = _split(ROWS)
    as_serial = [float((dt.date(2024, int(m[5:]), 1) - dt.date(1899, 12, 30)).days) for m in months]
    cells = excel.call(REGISTRY["MRR_MOVEMENTS"], ([[i] for i in ids], [[s] for s in as_serial],
                                                   [[float(v)] for v in mrr], None))
    assert cells[0] == ["Month"] + MONEY + COUNTS
    # hand calculation (EXPECTED): May 2024 row
    assert cells[-1] == ["2024-05", 150.0, 30.0, 0.0, 0.0, 90.0, 40.0, 130.0, 2.0, 1.0, 1.0, 1.0, 3.0]
    # a one-row export arrives as scalars (a one-cell range)
    one = excel.call(REGISTRY["MRR_MOVEMENTS"], ([["A"]], [["1403-06"]], [[99.0]], [["jalali"]]))
    assert one == [["Month"] + MONEY + COUNTS, ["1403-06", 0.0, 99.0, 0.0, 0.0, 0.0, 0.0, 99.0,
                                                 0.0, 1.0, 0.0, 0.0, 1.0]]


# --------------------------------------------------------------------------- Gregorian months in another calendar
# Gregorian month-first rows counted in Hijri months (Umm al-Qura, checked with hijridate:
# 2014-01-01 = 1435-02-29, 2014-02-01 = 1435-04-01, 2014-03-01 = 1435-04-29, 2014-04-01 = 1435-06-01):
# Rabi' II 1435 holds two of them and Rabi' I none. Summed, a steady customer churned in 1435-03
# and came back with double MRR in 1435-04 (what MRR_MOVEMENTS gave before): refused, with the reason.

_G_MONTHS = ["2014-01-01", "2014-02-01", "2014-03-01", "2014-04-01", "2014-05-01", "2014-06-01"]


def test_gregorian_month_rows_in_hijri_months_are_refused_not_summed():
    from hijridate import Gregorian

    assert str(Gregorian(2014, 2, 1).to_hijri())[:7] == str(Gregorian(2014, 3, 1).to_hijri())[:7] == "1435-04"
    with pytest.raises(InvalidInput, match=r"2014-02-01 and 2014-03-01 fall in the same hijri month 1435-04.*"
                                           r"1435-03 holds none"):
        mrr_movements(["a"] * 6, _G_MONTHS, [100] * 6, calendar="hijri")
    from xl_cskpi.tables.cohorts import cohort_retention

    with pytest.raises(InvalidInput, match="activity_dates holds one date per Gregorian month"):
        cohort_retention(["a"] * 6, pd.to_datetime(pd.Series(_G_MONTHS)), "month", "hijri")


def test_rows_in_the_calendars_own_months_pass():
    # the same customer by Hijri month labels: steady MRR, no churn, no reactivation
    t = mrr_movements(["a"] * 4, ["1435-03", "1435-04", "1435-05", "1435-06"], [100] * 4, calendar="hijri")
    assert t["Churned MRR"].tolist() == [0.0] * 4 and t["Ending MRR"].tolist() == [100.0] * 4
    # Gregorian month firsts in Jalali months line up one to one (2014-01-01 = 1392-10-11 ... 2014-06-01 = 1393-03-11)
    t = mrr_movements(["a"] * 6, _G_MONTHS, [100] * 6, calendar="jalali")
    assert t["Month"].tolist() == ["1392-10", "1392-11", "1392-12", "1393-01", "1393-02", "1393-03"]
    assert t["Churned MRR"].sum() == 0 and t["Reactivation MRR"].sum() == 0
    # dated events (several days in a Gregorian month) are bucketed as they fall, in any calendar
    from xl_cskpi.tables.cohorts import cohort_retention

    days = pd.date_range("2014-01-01", "2014-06-30", freq="5D")
    cohort_retention(["a"] * len(days), days, "month", "hijri")


def test_gregorian_month_rows_in_hijri_months_through_the_excel_face():
    # the classic add-in's UDF with xlwings-shaped cells (serial dates, lists of rows): the cell shows
    # #VALUE! with the reason
    from xlwings_stubs import classic_xlwings

    serials = [float((dt.date.fromisoformat(m) - dt.date(1899, 12, 30)).days) for m in _G_MONTHS]
    with classic_xlwings() as (ours, _):
        out = ours.MRR_MOVEMENTS([["a"]] * 6, [[s] for s in serials], [[100.0]] * 6, "hijri")
    assert isinstance(out, str) and out.startswith("#VALUE! MRR_MOVEMENTS: months holds one date per Gregorian")
    assert "1435-04" in out


def test_a_date_outside_the_hijri_calendar_names_the_argument_it_is_in():
    # the monthly-rows check (calendars.month_fit) runs before the periods are counted: a day outside
    # Umm al-Qura's range (1924-08-01 to 2077-11-16) is the error of the argument holding it
    import datetime as dt

    from xl_cskpi.errors import NotAvailable
    from xl_cskpi.tables.cohorts import cohort_retention
    from xl_cskpi.tables.movements import mrr_movements

    with pytest.raises(NotAvailable, match="^COHORT_RETENTION: activity_dates has the date 1900-01-05, outside the Umm al-Qura"):
        cohort_retention(["a", "b"], [dt.datetime(1900, 1, 5), dt.datetime(2024, 1, 5)], calendar="hijri")
    with pytest.raises(NotAvailable, match="^MRR_MOVEMENTS: months has the date 1900-01-01, outside the Umm al-Qura"):
        mrr_movements(["a", "b"], [dt.datetime(1900, 1, 1), dt.datetime(2024, 2, 1)], [1, 2], calendar="hijri")
