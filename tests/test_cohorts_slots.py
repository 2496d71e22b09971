"""COHORT_RETENTION counted by identity slot (rows.row_slots): the usual export's customers grouped by
object address alone, the grid marked by slot. Checked against an independent pandas computation and
bit for bit against the path that numbers the customers (row_codes), in every row order."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_cskpi import cells, cohort_retention
from xl_cskpi.errors import InvalidInput
from xl_cskpi.tables import cohorts as cohorts_module
from xl_cskpi.tables import rows as rows_module

ORDERS = ("customer-major", "month-major", "shuffled")


def reader_made(ids) -> pd.Series:
    """Text ids as pandas.read_csv / pyarrow's to_pandas hold them: one str per distinct id."""
    return pa.array(np.asarray(ids, dtype=object), type=pa.string(), from_pandas=True).to_pandas()


def in_order(ids: np.ndarray, dates: np.ndarray, order: str, seed: int = 0) -> tuple[pd.Series, pd.Series]:
    if order == "customer-major":
        idx = np.lexsort((dates, ids.astype(str)))
    elif order == "month-major":
        idx = np.argsort(dates, kind="stable")
    else:
        idx = np.random.default_rng(seed).permutation(len(ids))
    return reader_made(ids[idx]), pd.Series(dates[idx])


class Paths:
    """Which way the triangle was counted (spies on cohorts' helpers)."""

    def __init__(self):
        self.slots = self.slot_grid = self.numbered = 0

    def __enter__(self):
        real_slots, real_dense = rows_module.row_slots, cohorts_module._count_dense

        def slots(flat):
            got = real_slots(flat)
            self.slots += got is not None
            return got

        def dense(cust, ords, first, customers, span, held=None):
            if held is None:
                self.numbered += 1
            else:
                self.slot_grid += 1
            return real_dense(cust, ords, first, customers, span, held)

        self._patches = [mock.patch.object(cohorts_module, "row_slots", slots),
                         mock.patch.object(cohorts_module, "_count_dense", dense),
                         mock.patch.object(rows_module, "IDENTITY_MIN_ROWS", 1),  # small columns too
                         # a small column's slot table is already 2**20 slots (IDENTITY_MIN_SLOTS)
                         mock.patch.object(cohorts_module, "SLOT_GRID_MIN_CELLS", 1 << 28)]
        for p in self._patches:
            p.start()
        return self

    def __exit__(self, *exc):
        for p in self._patches:
            p.stop()


def by_codes(*args, **kwargs) -> pd.DataFrame:
    """The triangle through row_codes (customers numbered in order of first appearance)."""
    with mock.patch.object(cohorts_module, "row_slots", lambda flat: None):
        return cohort_retention(*args, **kwargs)


def assert_bits_equal(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    a, b = got.iloc[:, 2:].to_numpy(np.float64), want.iloc[:, 2:].to_numpy(np.float64)
    np.testing.assert_array_equal(a.view(np.int64), b.view(np.int64))  # every float as its 64 bits


def pandas_shares(ids: pd.Series, dates: pd.Series, period_days: int) -> np.ndarray:
    """Independent computation (drop_duplicates / groupby / unstack) for periods of fixed length
    counted from the first date; NaN beyond the last period."""
    d = pd.DataFrame({"c": ids, "p": (dates - dates.min()).dt.days // period_days}).drop_duplicates()
    d["cohort"] = d.groupby("c")["p"].transform("min")
    counts = d.groupby(["cohort", d["p"] - d["cohort"]]).size().unstack(fill_value=0)
    last = d["p"].max()
    counts = counts.reindex(columns=range(last + 1), fill_value=0)
    shares = counts.div(counts[0], axis=0).astype(float)
    for c in shares.index:
        shares.loc[c, shares.columns > last - c] = np.nan
    return shares.to_numpy(float)


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("period, days", [("day", 1), ("week", 7)])
def test_slot_grid_matches_pandas_and_the_numbered_path_in_every_order(order, period, days):
    # 6,000 rows of 700 customers over 120 days from Monday 2024-01-01 (so weeks are ISO weeks)
    rng = np.random.default_rng(7)
    n = 6_000
    ids = np.char.add("cus_", rng.integers(0, 700, n).astype(str)).astype(object)
    dates = np.datetime64("2024-01-01", "ns") + rng.integers(0, 120, n).astype("timedelta64[D]")
    s_ids, s_dates = in_order(ids, dates, order)
    with Paths() as paths:
        got = cohort_retention(s_ids, s_dates, period)
    assert (paths.slots, paths.slot_grid, paths.numbered) == (1, 1, 0)
    np.testing.assert_allclose(got.iloc[:, 2:].to_numpy(float), pandas_shares(s_ids, s_dates, days), rtol=1e-12)
    assert got["Customers"].sum() == len(set(ids.tolist()))
    assert_bits_equal(got, by_codes(s_ids, s_dates, period))
    # too many slots for a grid by slot: the customers are numbered from their slots instead
    with Paths() as paths, mock.patch.multiple(cohorts_module, SLOT_GRID_CELLS_PER_ROW=0, SLOT_GRID_MIN_CELLS=0):
        numbered = cohort_retention(s_ids, s_dates, period)
    assert (paths.slots, paths.slot_grid, paths.numbered) == (1, 0, 1)
    assert_bits_equal(numbered, got)


@pytest.mark.parametrize("calendar", ["gregorian", "jalali", "hijri"])
def test_slot_grid_in_every_calendar_and_order_with_duplicate_rows(calendar):
    # 4,000 dated events over two years (several a month: not monthly rows), each row twice
    rng = np.random.default_rng(11)
    n = 2_000
    ids = np.char.add("C", rng.integers(0, 300, n).astype(str)).astype(object)
    dates = np.datetime64("2023-03-01", "ns") + rng.integers(0, 730, n).astype("timedelta64[D]")
    ids, dates = np.concatenate([ids, ids]), np.concatenate([dates, dates])
    for order in ORDERS:
        s_ids, s_dates = in_order(ids, dates, order, seed=3)
        for period in ("month", "quarter", "week"):
            with Paths() as paths:
                got = cohort_retention(s_ids, s_dates, period, calendar)
            assert paths.slot_grid == 1
            assert_bits_equal(got, by_codes(s_ids, s_dates, period, calendar))


def test_one_customer_and_one_month():
    # one customer active in months 0, 2, 3 of four: a one-row triangle 1, 0, 1, 1
    dates = np.array(["2024-01-05", "2024-03-01", "2024-04-30", "2024-01-20"] * 50, dtype="datetime64[ns]")
    ids = np.array(["only"] * len(dates), dtype=object)
    for order in ORDERS:
        s_ids, s_dates = in_order(ids, dates, order)
        with Paths() as paths:
            got = cohort_retention(s_ids, s_dates)
        assert paths.slot_grid == 1
        assert got["Customers"].tolist() == [1]
        assert got.iloc[0, 2:].tolist() == [1.0, 0.0, 1.0, 1.0]
        assert_bits_equal(got, by_codes(s_ids, s_dates))
    # 300 customers, each on two days of one month: one cohort of 300, Month 0 only
    ids = np.char.add("c", (np.arange(600) % 300).astype(str)).astype(object)
    dates = np.datetime64("2024-05-01", "ns") + (np.arange(600) % 31).astype("timedelta64[D]")
    with Paths() as paths:
        got = cohort_retention(reader_made(ids), pd.Series(dates))
    assert paths.slot_grid == 1
    assert got.values.tolist() == [["2024-05", 300, 1.0]]


def test_month_labels_go_through_the_slot_grid_too():
    rng = np.random.default_rng(5)
    n = 3_000
    ids = np.char.add("x", rng.integers(0, 400, n).astype(str)).astype(object)
    months = np.array([f"1403-{m:02d}" for m in range(1, 13)], dtype=object)[rng.integers(0, 12, n)]
    for order in ORDERS:
        idx = {"customer-major": np.argsort(ids.astype(str), kind="stable"),
               "month-major": np.argsort(months.astype(str), kind="stable"),
               "shuffled": rng.permutation(n)}[order]
        s_ids, s_months = reader_made(ids[idx]), pd.Series(months[idx], dtype=object)
        with Paths() as paths:
            got = cohort_retention(s_ids, s_months, "month", "jalali")
        assert paths.slot_grid == 1
        assert got["Cohort"].iloc[0] == "1403-01"
        assert_bits_equal(got, by_codes(s_ids, s_months, "month", "jalali"))


def test_a_blank_date_is_the_same_error_naming_the_row():
    ids = reader_made(np.char.add("c", (np.arange(500) % 40).astype(str)).astype(object))
    dates = pd.Series(np.datetime64("2024-01-01", "ns") + (np.arange(500) % 90).astype("timedelta64[D]"))
    dates[137] = pd.NaT
    with Paths(), pytest.raises(InvalidInput, match=r"activity_dates is blank in row 138 where customer_ids is filled"):
        cohort_retention(ids, dates)
    with pytest.raises(InvalidInput, match=r"activity_dates is blank in row 138 where customer_ids is filled"):
        by_codes(ids, dates)


@pytest.mark.parametrize("odd", ["blank", "padded", "number", "fresh copy", "another segment"])
def test_row_slots_leaves_every_export_that_needs_reading_by_value_to_row_codes(odd):
    ids = np.char.add("cus_", (np.arange(400) % 50).astype(str)).astype(object)
    arr = np.asarray(reader_made(ids), dtype=object)
    with mock.patch.object(rows_module, "IDENTITY_MIN_ROWS", 1):
        slot, size, held = rows_module.row_slots(rows_module.RawFlat((arr, 1)))
        # distinct slots are exactly the distinct ids (cells.factorize, by value), one per held slot
        want, _ = cells.factorize(arr)
        np.testing.assert_array_equal(pd.factorize(slot)[0], want)
        assert len(held) == 50 and set(np.unique(slot).tolist()) == set(held.tolist()) and held.max() < size
        odd_arr = arr.copy()
        odd_arr[17] = {"blank": None, "padded": " cus_3", "number": 1001,
                       "fresh copy": "".join(["cus_", "5"]),  # equal to cus_5, another object
                       "another segment": cohorts_module.OTHER_SEGMENT}[odd]
        assert rows_module.row_slots(rows_module.RawFlat((odd_arr, 1))) is None
    # a short column is read by value, as by row_codes
    assert rows_module.row_slots(rows_module.RawFlat((arr, 1))) is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d", "e", "f", "1001", "x y"]), st.integers(0, 40)),
                min_size=1, max_size=80),
       st.sampled_from(["day", "week", "month"]), st.randoms(use_true_random=False))
def test_slot_grid_equals_the_numbered_path_on_any_rows(rows, period, rnd):
    rnd.shuffle(rows)
    ids = reader_made([r[0] for r in rows])
    dates = pd.Series(np.datetime64("2024-02-26", "ns") + np.array([r[1] for r in rows]).astype("timedelta64[D]"))
    with Paths() as paths:
        got = cohort_retention(ids, dates, period)
    # by slot unless each cell is nearly its own id (more ids than half the rows: read by value)
    assert paths.slots == (len({r[0] for r in rows}) <= len(rows) // 2)
    assert paths.slot_grid + paths.numbered == 1
    assert_bits_equal(got, by_codes(ids, dates, period))
