"""TICKETS_BY, the SLA tables and COMPLAINT_SUMMARY on the row orders and columns real exports have
(issue 17.2): each distinct cell is read once (identity first for text columns), quantiles are selected
per key instead of sorted for.

Checked here against independent computations written in the tests: ``PERCENTILE.INC`` from its
definition (Microsoft's PERCENTILE.INC: the value at rank ``(n - 1) p`` of the sorted values, linear
between neighbours) over Python's ``sorted``; against the way each column was read before (the
cells one by one: ``cells.texts`` of the whole column, ratings judged cell by cell), which the
functions still use for inputs the fast readers do not take; and across row orders and ways of
holding the columns (an Excel list, a reader-made column with one object per distinct text, pyarrow
text, a categorical, numbers), which must change no bit of any table.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_cskpi import cells, complaint_summary, sla_breaches, sla_policy_compliance, tickets_by
from xl_cskpi.errors import InvalidInput, OutOfRange
from xl_cskpi.tables import rows as rows_module, sla as sla_module, support as support_module, \
    tickets as tickets_module
from xl_cskpi.tables.sla import distinct_texts, texts_of
from xl_cskpi.tables.tickets import _group_quantiles, _rating, satisfied

KEYS = ["Sara", "sara", " Sara ", "SARA", "سارا", "علي", "علی", "كريم", "کریم", "Li", "", "  ", None, "(blank)",
        "101", "agent 2", "agent 10", "۱۲", "12", "a\x00b", "a", "Zoë", "email\u200c", "Email"]


def percentile_inc(values: list[float], p: float) -> float:
    """PERCENTILE.INC by its definition (Microsoft support, PERCENTILE.INC function)."""
    v = sorted(values)
    h = (len(v) - 1) * p
    lo = int(np.floor(h))
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (h - lo) * (v[hi] - v[lo])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.one_of(st.none(), st.floats(0, 1e4, allow_nan=False))),
                max_size=120), st.sampled_from([1, 10**9]))
def test_group_quantiles_are_percentile_inc_by_definition(pairs, select_min_avg):
    g = 7
    group = np.array([k for k, _ in pairs], dtype=np.int64)
    values = np.array([np.nan if v is None else v for _, v in pairs], dtype=float)
    with mock.patch.object(tickets_module, "_SELECT_MIN_AVG", select_min_avg):  # select per key, or sort
        med, p90 = _group_quantiles(values, group, g, (0.5, 0.9))
    for j in range(g + 1):
        vals = [v for k, v in pairs if v is not None and (k == j or j == g)]  # g: the Total row, every value
        for got, p in ((med[j], 0.5), (p90[j], 0.9)):
            if vals:
                assert got == percentile_inc(vals, p)
            else:
                assert np.isnan(got)


def _held(values: list, how: str):
    if how == "excel":
        return [[v] for v in values]
    if how == "reader":  # pandas.read_csv / pyarrow: one object per distinct text, NaN for blanks
        intern: dict = {}
        return pd.Series([intern.setdefault(v, v) if isinstance(v, str) else (np.nan if v is None else v)
                          for v in values], dtype=object)
    if how == "arrow":
        return pd.Series([None if v is None else str(v) for v in values], dtype="string[pyarrow]")
    if how == "categorical":
        return pd.Series([None if v is None else str(v) for v in values], dtype="category")
    return pd.Series(values, dtype=object)


def _tickets(seed: int, n: int):
    rng = np.random.default_rng(seed)
    keys = [KEYS[i] for i in rng.integers(0, len(KEYS), n)]
    opened = np.datetime64("2024-03-01T00:00") + rng.integers(0, 60 * 24 * 60, n).astype("timedelta64[m]")
    opened = opened.astype("datetime64[ns]")
    hours = np.round(rng.random(n) * 50, int(rng.integers(0, 3)))  # ties when rounded
    resolved = opened + (hours * 3.6e12).astype("timedelta64[ns]")
    resolved[rng.random(n) < 0.2] = np.datetime64("NaT")
    reply = opened + (rng.random(n) * 3 * 3.6e12).astype("timedelta64[ns]")
    prio = rng.choice(np.array(["Urgent", "high ", "HIGH", "normal", "Low", "فوری", None, ""], dtype=object), n)
    prio[0] = "Urgent"  # a policy needs priorities
    ratings = rng.choice(np.array([1, 2, 3, 4, 5, 4.0, None, "Good", "bad", "offered", "راضی", " 5 "], dtype=object), n)
    return keys, pd.Series(opened), pd.Series(resolved), pd.Series(reply), list(prio), list(ratings)


def _old_way():
    """Every column read the way it was before the fast readers (they give way to it on odd input)."""
    return mock.patch.multiple(tickets_module, _fast_key_codes=lambda keys: None,
                               distinct_texts=lambda values: None)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 300), st.sampled_from(["excel", "reader", "arrow", "categorical"]),
       st.randoms(use_true_random=False))
def test_tickets_by_is_the_same_table_in_any_order_however_the_columns_are_held(seed, n, how, rnd):
    keys, opened, resolved, reply, prio, ratings = _tickets(seed, n)
    if how == "categorical":  # pandas' categorical itself takes "a\x00b" for "a" (its C-string hash table)
        keys = [k.replace("\x00", "") if isinstance(k, str) else k for k in keys]
    args = dict(first_response_at=reply, sla="urgent 4, high 8, normal 24, فوری 2", as_of=dt.datetime(2024, 5, 1),
                scale_max=5)
    with _old_way():
        want = tickets_by(keys, opened, resolved, priorities=prio, ratings=ratings, **args)
    with mock.patch.object(rows_module, "IDENTITY_MIN_ROWS", 1):
        got = tickets_by(_held(keys, how), opened, resolved, priorities=_held(prio, how), ratings=ratings, **args)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    perm = list(range(n))
    rnd.shuffle(perm)
    take = lambda x: x.iloc[perm].reset_index(drop=True) if isinstance(x, pd.Series) else [x[i] for i in perm]  # noqa: E731
    with mock.patch.object(tickets_module, "_SELECT_MIN_AVG", 1):
        shuffled = tickets_by(_held(take(keys), how), take(opened), take(resolved), take(reply), args["sla"],
                              _held(take(prio), how), take(ratings), as_of=args["as_of"], scale_max=5)
    pd.testing.assert_frame_equal(shuffled, want, check_exact=True)


def test_tickets_by_numeric_keys_read_by_value_as_before():
    rng = np.random.default_rng(4)
    n = 400
    opened = pd.Series(np.datetime64("2024-01-01T09:00", "ns") + rng.integers(0, 10**6, n).astype("timedelta64[s]"))
    resolved = opened + pd.to_timedelta(rng.integers(60, 10**5, n), unit="s")
    for keys in (pd.Series(rng.choice([101.0, 7.0, 2.0, 10.0, np.nan, 7.5], n)), np.asarray(rng.integers(0, 30, n))):
        with _old_way():
            want = tickets_by(keys, opened, resolved)
        got = tickets_by(keys, opened, resolved)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert "7.5" in got["Key"].tolist() or keys.dtype.kind == "i"


def test_odd_keys_take_the_old_way_and_its_errors():
    opened = [dt.datetime(2024, 6, 3, 9)] * 3
    with pytest.raises(InvalidInput, match="keys has a logical value in cell 2"):
        tickets_by(pd.Series(["a", True, 1], dtype=object), opened, [None] * 3)
    with pytest.raises(InvalidInput, match="keys has 3 cells but opened_at has 2"):
        tickets_by(pd.Series(["a", "b", "c"]), opened[:2], [None] * 2)
    # numbers and text together are read cell by cell: 1001 and "1001" are one key
    t = tickets_by(pd.Series([1001, "1001", " x "], dtype=object), opened, [None] * 3)
    assert t["Key"].tolist() == ["1001", "x", "Total"] and t["Tickets"].tolist() == [2, 1, 3]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([1, 2, 3, 4, 5, 4.0, np.int64(5), None, float("nan"), "", " ", "Good", "bad",
                                 "Offered", "راضی", "ناراضی", "4", " 5 ", "۴", "Neutral", 0, 6, 4.5, "meh", True,
                                 False, pd.NA]), max_size=30), st.sampled_from([5, 3, 2, 1, 10]))
def test_ratings_judged_once_per_distinct_value_as_cell_by_cell(values, top):
    # on a scale given (without one, the whole column's reach is judged too: test_tickets_ratings.py)
    def one_by_one():
        flat, _ = cells.flatten(values)
        return np.array([_rating(v, i, "ratings", top) for i, v in enumerate(flat)], dtype=float)

    try:
        want = ("ok", one_by_one())
    except (InvalidInput, OutOfRange) as e:
        want = ("err", type(e), str(e))
    try:
        got = ("ok", satisfied(values, scale_max=top))
    except (InvalidInput, OutOfRange) as e:
        got = ("err", type(e), str(e))
    assert got[0] == want[0]
    if got[0] == "ok":
        assert got[1].tobytes() == want[1].tobytes()
    else:
        assert got == want  # the same error, naming the first bad cell


def test_ratings_of_a_numeric_column():
    s = pd.Series([5.0, np.nan, 3.0, 4.0])
    assert satisfied(s).tolist()[::2] == [1.0, 0.0] and np.isnan(satisfied(s)[1])
    with pytest.raises(OutOfRange, match="has 7 in cell 3"):
        satisfied(pd.Series([5, 4, 7, 9]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(KEYS + [7, 7.0]), max_size=40), st.sampled_from(["excel", "reader", "plain"]))
def test_distinct_texts_are_cells_texts(values, how):
    held = _held(values, how)
    with mock.patch.object(rows_module, "IDENTITY_MIN_ROWS", 1):
        got = distinct_texts(held)
    if got is None:  # numbers among text: read the usual way
        assert any(not isinstance(v, str) and v is not None for v in values)
        return
    want = cells.texts(held, "x", keep_blanks=True)
    assert texts_of(*got).tolist() == want.tolist()


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 200), st.sampled_from(["excel", "reader"]),
       st.randoms(use_true_random=False))
def test_sla_tables_are_the_same_in_any_order_and_as_read_before(seed, n, how, rnd):
    rng = np.random.default_rng(seed)
    opened = pd.Series(np.datetime64("2024-03-01T00:00", "ns") + rng.integers(0, 10**6, n).astype("timedelta64[m]"))
    done = opened + pd.to_timedelta(rng.integers(0, 60, n), unit="h")  # whole hours: equal overruns tie
    done[rng.random(n) < 0.2] = pd.NaT
    prio = [["Urgent", "urgent ", "HIGH", "normal", "low", "", None, "medium"][i] for i in rng.integers(0, 8, n)]
    ids = pd.Series(rng.permutation(n) + 1000) if seed % 2 else [f"T{i}" for i in rng.integers(0, n, n)]
    policy = "urgent 4, high 8, normal 24"
    as_of = dt.datetime(2027, 1, 1)
    with mock.patch.object(sla_module, "distinct_texts", lambda v: None):
        want_c = sla_policy_compliance(opened, done, prio, policy, None, as_of)
        want_b = sla_breaches(ids, opened, done, prio, policy, None, as_of)
    with mock.patch.object(rows_module, "IDENTITY_MIN_ROWS", 1):
        pd.testing.assert_frame_equal(sla_policy_compliance(opened, done, _held(prio, how), policy, None, as_of),
                                      want_c, check_exact=True)
        pd.testing.assert_frame_equal(sla_breaches(_held(list(ids), how) if how == "excel" else ids, opened, done,
                                                   _held(prio, how), policy, None, as_of), want_b, check_exact=True)
    # the breaches are listed largest overrun first, ties in row order (a stable sort)
    over = want_b["Overrun (h)"].to_numpy()
    assert (np.diff(over) <= 0).all()
    perm = list(range(n))
    rnd.shuffle(perm)
    got_c = sla_policy_compliance(opened.iloc[perm], done.iloc[perm], [prio[i] for i in perm], policy, None, as_of)
    pd.testing.assert_frame_equal(got_c, want_c, check_exact=True)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(KEYS + [2, 10, 2.0]),
                          st.sampled_from(["Pending", "pending", "Resolved", "در انتظار", "در\u200cانتظار", None, "",
                                           "Closed"])), max_size=60),
       st.sampled_from(["excel", "reader"]), st.randoms(use_true_random=False))
def test_complaint_summary_is_the_same_in_any_order_and_as_read_before(pairs, how, rnd):
    keys = [k for k, _ in pairs]
    statuses = [s for _, s in pairs]
    with mock.patch.object(support_module, "_fast_codes", lambda k, s: None):
        want = complaint_summary(keys, statuses)
    rnd.shuffle(pairs)
    with mock.patch.object(rows_module, "IDENTITY_MIN_ROWS", 1):
        got = complaint_summary(_held([k for k, _ in pairs], how), _held([s for _, s in pairs], how))
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_a_reader_made_text_column_of_a_million_tickets_is_read_once_per_key():
    # 1,000,000 tickets of 40 keys: a per-cell reading of the keys would call the text reader per row
    n = 1_000_000
    keys = pa.array(np.array([f"Category {i}" for i in range(40)], dtype=object)[np.arange(n) % 40],
                    type=pa.string()).to_pandas()
    opened = pd.Series(np.full(n, np.datetime64("2024-01-01T09:00", "ns")))
    with mock.patch.object(cells, "texts", side_effect=AssertionError("read per cell")) as texts:
        t = complaint_summary(keys, keys)
    assert texts.call_count == 0 and t["Total"].iloc[-1] == n
    t = tickets_by(keys, opened, opened + pd.Timedelta(hours=2))
    assert t["Tickets"].iloc[-1] == n and t["Median resolution (h)"].iloc[-1] == 2.0
