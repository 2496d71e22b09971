"""Complaint summary table: complaints by key and status."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_cskpi import complaint_summary, complaints
from xl_cskpi.errors import InvalidInput


def test_hand_counted_summary():
    keys = [["Billing"], ["Billing"], ["Delivery"], ["billing "], ["Delivery"], [None], ["Quality"]]
    stats = [["Pending"], ["Resolved"], ["Escalated"], ["resolved"], ["Resolved"], ["pending"], [None]]
    t = complaint_summary(keys, stats)
    # hand count: Billing 1 pending + 2 resolved; Delivery 1 resolved + 1 escalated;
    # (blank) key 1 pending; Quality has no status -> not a complaint, no row
    assert list(t.columns) == ["Key", "Pending", "Resolved", "Escalated", "Total"]
    assert t["Key"].tolist() == ["(blank)", "Billing", "Delivery", "Total"]
    assert t.set_index("Key").loc["Billing"].tolist() == [1, 2, 0, 3]
    assert t.set_index("Key").loc["Delivery"].tolist() == [0, 1, 1, 2]
    assert t.set_index("Key").loc["(blank)"].tolist() == [1, 0, 0, 1]
    assert t.set_index("Key").loc["Total"].tolist() == [2, 3, 1, 6]
    assert t.iloc[-1, -1] == complaints(stats) == 6


def test_other_statuses_follow_alphabetically_and_keys_sort_naturally():
    # employees 2, 10, 1 as Excel numbers; statuses include non-standard ones
    keys = [2.0, 10.0, 1.0, 2.0, "Ali"]
    stats = ["Closed", "escalated", "Awaiting customer", "PENDING", "closed"]
    t = complaint_summary(keys, stats)
    assert list(t.columns) == ["Key", "PENDING", "escalated", "Awaiting customer", "Closed", "Total"]
    assert t["Key"].tolist() == ["1", "2", "10", "Ali", "Total"]


def test_persian_labels_and_months():
    # ي/ی and ك/ک variants group together; label is the alphabetically first spelling
    keys = ["1403-07", "1403-06", "1403-07", "1403-06"]
    stats = ["در انتظار", "حل شده", "در\u200cانتظار", "پيگيري"]
    t = complaint_summary(keys, stats)
    assert t["Key"].tolist() == ["1403-06", "1403-07", "Total"]
    assert t["Total"].tolist() == [2, 2, 4]
    by_month = t.set_index("Key")
    pending = [c for c in t.columns if "انتظار" in c]
    assert len(pending) == 1 and by_month.loc["1403-07", pending[0]] == 2


def test_dates_as_keys():
    keys = [dt.date(2024, 9, 1), dt.date(2024, 8, 1), dt.date(2024, 9, 1)]
    t = complaint_summary(keys, ["resolved", "resolved", "pending"])
    assert t["Key"].tolist() == ["2024-08-01", "2024-09-01", "Total"]
    assert t["resolved"].tolist() == [1, 1, 2]


def test_empty_log_and_errors():
    t = complaint_summary([], [])
    assert t.to_dict("records") == [{"Key": "Total", "Total": 0}]
    with pytest.raises(InvalidInput, match="COMPLAINT_SUMMARY: keys has 3 cells but statuses has 2"):
        complaint_summary(["a", "b", "c"], ["open", "open"])
    with pytest.raises(InvalidInput, match="statuses has a logical value"):
        complaint_summary(["a"], [False])


def test_large_log_is_fast():
    n = 1_000_000
    rng = np.random.default_rng(7)
    keys = pd.Series(rng.choice(["Billing", "Delivery", "Quality", "Staff"], n))
    stats = pd.Series(rng.choice(["pending", "resolved", "escalated"], n))
    import time
    t0 = time.perf_counter()
    t = complaint_summary(keys, stats)
    assert time.perf_counter() - t0 < 10
    assert t.iloc[-1, -1] == n
    assert t.set_index("Key").loc["Total", "pending"] == int((stats == "pending").sum())


label = st.sampled_from(["Pending", "pending", "Resolved", "escalated", "Closed", "پیگیری", "پيگيري", None])
key = st.sampled_from(["Billing", "billing", "Delivery", 7.0, 12.0, None, "کیفیت", "كيفيت"])


@given(st.lists(st.tuples(key, label), max_size=60), st.randoms())
def test_counts_add_up_and_order_does_not_matter(rows, rnd):
    keys = [[k] for k, _ in rows]
    stats = [[s] for _, s in rows]
    t = complaint_summary(keys, stats)
    body = t.iloc[:-1, 1:-1]
    # every complaint is counted once: body sums, total column, total row and COMPLAINTS agree
    assert int(body.to_numpy().sum()) == complaints(stats) == t.iloc[-1, -1]
    assert (t.iloc[:-1, -1] == body.sum(axis=1)).all()
    assert (t.iloc[-1, 1:-1] == body.sum(axis=0)).all()
    shuffled = list(range(len(rows)))
    rnd.shuffle(shuffled)
    t2 = complaint_summary([keys[i] for i in shuffled], [stats[i] for i in shuffled])
    pd.testing.assert_frame_equal(t, t2)


def test_excel_face_spills_header_and_rows():
    from xl_cskpi.excel import call
    from xl_cskpi.registry import REGISTRY

    rows = call(REGISTRY["COMPLAINT_SUMMARY"], ([["Billing"], ["Billing"], ["Delivery"]],
                                                 [["pending"], ["resolved"], ["pending"]]))
    # hand count: Billing 1 + 1, Delivery 1 + 0
    assert rows == [["Key", "pending", "resolved", "Total"],
                    ["Billing", 1.0, 1.0, 2.0],
                    ["Delivery", 1.0, 0.0, 1.0],
                    ["Total", 2.0, 1.0, 3.0]]
