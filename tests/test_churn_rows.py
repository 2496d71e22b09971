"""CUSTOMER_CHURN_RATE on the row orders and id columns real exports have (issue 17.2).

The spells are put in customer/start order by a radix sort (``churn._sort_order``) and the ids are
hashed by identity first (``tables.rows``): here the radix sort is checked against numpy's stable
``argsort``, and the tables against the day-by-day count of tests/test_churn_conventions.py
(``brute_force``: a customer is active on day d when one of their rows has start <= d < end; none of
the spell-merging code is reused), with both fast paths forced onto small exports, in every row
order and however the ids are held (a list from Excel, a column read from CSV with one object per
distinct id, pyarrow text, a categorical).
"""

from __future__ import annotations

import datetime as dt
import random
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from test_churn_conventions import brute_force

from xl_cskpi import customer_churn_rate
from xl_cskpi.errors import InvalidInput
from xl_cskpi.tables import churn as churn_module, rows as rows_module
from xl_cskpi.tables.churn import _sort_order, churn_counts, customer_spells


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2**40), min_size=0, max_size=300), st.sampled_from([0, 1, 5000]))
def test_radix_order_is_numpys_stable_argsort(values, radix_min):
    key = np.asarray(values, dtype=np.int64)
    with mock.patch.object(churn_module, "RADIX_MIN_ROWS", radix_min):
        order = _sort_order(key)
    want = np.argsort(key, kind="stable")
    if order is None:  # only when the key is already in order
        assert np.array_equal(want, np.arange(len(key)))
    else:
        assert np.array_equal(order, want)


def test_radix_order_of_a_wide_key_and_of_ties():
    rng = np.random.default_rng(3)
    key = rng.integers(0, 2**47, 20_000)
    key[::7] = key[0]  # ties keep their row order
    assert np.array_equal(_sort_order(key), np.argsort(key, kind="stable"))
    wide = rng.integers(0, 2**60, 5000)  # beyond 48 bits: numpy's sort
    assert np.array_equal(_sort_order(wide), np.argsort(wide, kind="stable"))
    assert _sort_order(np.arange(10_000)) is None


def _rows(seed: int, n_customers: int) -> list[tuple]:
    rng = random.Random(seed)
    out = []
    for c in range(n_customers):
        for _ in range(rng.choice([1, 1, 2, 3, 4])):
            s = dt.date(2024, 6, 1) + dt.timedelta(days=rng.randrange(200))
            e = None if rng.random() < 0.3 else s + dt.timedelta(days=rng.randrange(1, 80))
            out.append((rng.choice([f"cust{c}", f" cust{c} "]) if c % 7 == 0 else f"cust{c}", s, e))
    return out


def _held(ids: list, how: str):
    """The id column as a reader, Excel or pandas holds it."""
    if how == "excel":
        return [[str(v)] for v in ids]  # every cell its own object
    if how == "reader":
        return pa.array([str(v) for v in ids], type=pa.string()).to_pandas()  # one object per distinct id
    if how == "arrow":
        return pd.Series([str(v) for v in ids], dtype="string[pyarrow]")
    return pd.Series([str(v) for v in ids]).astype("category")


@pytest.mark.parametrize("how", ["excel", "reader", "arrow", "categorical"])
@pytest.mark.parametrize("order", ["customer-major", "date-major", "shuffled"])
def test_every_order_and_id_holding_gives_the_day_by_day_counts(order, how):
    rows = _rows(5, 120)
    p0, p1 = dt.date(2024, 8, 1), dt.date(2024, 9, 30)
    # brute_force reads ids as written; the table strips them (" cust0 " is cust0)
    want = brute_force([(c.strip(), s, e) for c, s, e in rows], p0, p1)
    if order == "customer-major":
        rows.sort(key=lambda r: (r[0].strip(), r[1]))
    elif order == "date-major":
        rows.sort(key=lambda r: r[1])
    else:
        random.Random(1).shuffle(rows)
    ids, s, e = zip(*rows)
    with mock.patch.object(rows_module, "IDENTITY_MIN_ROWS", 1), \
            mock.patch.object(churn_module, "RADIX_MIN_ROWS", 1):
        got = churn_counts(_held(list(ids), how), pd.Series(pd.to_datetime(list(s))),
                           pd.Series(pd.to_datetime([x or pd.NaT for x in e])), p0, p1)
    assert got == want


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 60), st.randoms(use_true_random=False))
def test_row_order_changes_no_bit_of_the_table_nor_of_the_spells(seed, n_customers, rnd):
    rows = _rows(seed, n_customers)
    p0 = dt.date(2024, 8, 1) + dt.timedelta(days=seed % 60)
    p1 = p0 + dt.timedelta(days=seed % 45)

    def table(rs):
        ids, s, e = zip(*rs)
        with mock.patch.object(churn_module, "RADIX_MIN_ROWS", 1):
            return (customer_churn_rate(list(ids), list(s), list(e), p0, p1),
                    customer_spells(list(ids), list(s), list(e)))

    want, (c0, s0, e0, f0) = table(rows)
    assert churn_counts(*zip(*rows), p0, p1) == brute_force([(c.strip(), s, e) for c, s, e in rows], p0, p1)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    got, (c1, s1, e1, f1) = table(shuffled)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    # the spells, customer codes aside (numbered in order of first appearance), are the same
    names0 = pd.Series([r[0].strip() for r in rows]).unique()
    names1 = pd.Series([r[0].strip() for r in shuffled]).unique()
    spells0 = sorted(zip(names0[c0], s0, e0, f0))
    spells1 = sorted(zip(names1[c1], s1, e1, f1))
    assert spells0 == spells1


def test_errors_still_name_the_row_of_the_export():
    ids = ["a"] * 5000 + ["b"]
    starts = ["2024-01-01"] * 5000 + ["2024-03-01"]
    ends = [None] * 5000 + ["2024-02-01"]
    with mock.patch.object(churn_module, "RADIX_MIN_ROWS", 1):
        with pytest.raises(InvalidInput, match="end_dates is 2024-02-01 in row 5001, before the start date 2024-03-01"):
            customer_churn_rate(ids, starts, ends, "2024-01-01", "2024-12-31")
        # a blank row in the middle is skipped; the bad row is still named by its place in the export
        with pytest.raises(InvalidInput, match="in row 5002"):
            customer_churn_rate(ids[:10] + [None] + ids[10:], starts[:10] + [None] + starts[10:],
                                ends[:10] + [None] + ends[10:], "2024-01-01", "2024-12-31")
