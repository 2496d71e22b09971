"""SLA policies, breaches, backlog, tickets per key, reopens and one-touch (issue 15).

Expected values are hand-worked (comments) or computed here independently with pandas, one ticket at
a time; UDF-shaped input (lists of rows, None for blanks) goes through the registry wrapper.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from xl_cskpi import (avg_resolution_time, backlog, business_hours, first_response_time, one_touch_resolution_rate,
                      reopen_rate, resolution_time_percentile, sla_breaches, sla_compliance, sla_policy_compliance,
                      tickets_by)
from xl_cskpi import business_time as bh
from xl_cskpi.errors import DivisionByZero, InvalidInput, OutOfRange

D = dt.datetime


def _bh(s, e, schedule):
    return bh.durations(np.array([s], dtype="datetime64[ns]"), np.array([e], dtype="datetime64[ns]"), schedule)[0] / 3600


# --------------------------------------------------------------------------- existing functions gain schedule


def test_existing_calls_keep_their_meaning_and_gain_business_hours():
    # Friday 16:00 -> Monday 10:00: 66 calendar hours; on Mon-Fri 09-17: 1 + 1 = 2 business hours
    o, r = [D(2024, 6, 7, 16), D(2024, 6, 10, 9)], [D(2024, 6, 10, 10), D(2024, 6, 10, 13)]
    assert avg_resolution_time(o, r) == pytest.approx((66 + 4) / 2)
    assert avg_resolution_time(o, r, "hours", "western") == pytest.approx((2 + 4) / 2)
    assert resolution_time_percentile(o, r, 0.5, "minutes", "western") == pytest.approx(180)
    assert first_response_time(o, r, "mean", "hours", "Mon-Fri 09:00-17:00") == pytest.approx(3)
    # SLA 3 h: calendar hours -> only the 4 h ticket... no: 66 h and 4 h both breach; business: 2 h meets
    assert sla_compliance(o, r, 3) == 0.0
    assert sla_compliance(o, r, 3, None, "western") == 0.5
    # an open ticket judged at as_of on business hours: opened Friday 16:00, as_of Monday 11:00 = 3 h > 2.5
    assert sla_compliance([o[0], o[1]], [None, r[1]], 2.5, D(2024, 6, 10, 11), "western") == 0.0
    assert sla_compliance([o[0], o[1]], [None, r[1]], 3.5, D(2024, 6, 10, 11), "western") == 0.0   # 4 h > 3.5
    assert sla_compliance([o[0], o[1]], [None, r[1]], 4, D(2024, 6, 10, 11), "western") == 1.0     # open within


def test_nowruz_resolution_time_on_the_iranian_week():
    # opened 18 March 2024 15:00, solved 24 March 09:00: 2 business hours (19-23 March are holidays),
    # 138 calendar hours
    assert avg_resolution_time([D(2024, 3, 18, 15)], [D(2024, 3, 24, 9)]) == 138
    assert avg_resolution_time([D(2024, 3, 18, 15)], [D(2024, 3, 24, 9)], "hours", "iran") == 2
    # the user's own day off, as Jalali text: 1403/01/05 = 24 March 2024 -> Monday 15-16 only
    assert avg_resolution_time([D(2024, 3, 18, 15)], [D(2024, 3, 24, 9)], "hours", "iran", ["1403/01/05"]) == 1


def test_business_hours_function_spills_one_value_per_row():
    out = business_hours([D(2024, 6, 7, 16), None, D(2024, 6, 10, 9)], [D(2024, 6, 10, 10), None, None])
    assert out[0] == 2.0 and np.isnan(out[1]) and np.isnan(out[2])
    out = business_hours([D(2024, 6, 10, 9)], [None], "western", None, "minutes", D(2024, 6, 10, 9, 30))
    assert out.tolist() == [30.0]
    with pytest.raises(InvalidInput, match="BUSINESS_HOURS: end .*row 2"):
        business_hours([D(2024, 6, 10, 9), D(2024, 6, 10, 9)], [D(2024, 6, 10, 10), D(2024, 6, 10, 8)])


def test_udf_shaped_input_through_the_registry_wrapper():
    from xl_cskpi.excel import call
    from xl_cskpi.registry import REGISTRY

    # xlwings: lists of rows, None for blanks, a schedule table weekday | from | to with Excel time fractions
    opened = [[D(2024, 6, 7, 16)], [D(2024, 6, 10, 9)], [None]]
    done = [[D(2024, 6, 10, 10)], [None], [None]]
    table = [["Mon", 9 / 24, 17 / 24], ["Tue", 9 / 24, 17 / 24], ["Wed", 9 / 24, 17 / 24], ["Thu", 9 / 24, 17 / 24],
             ["Fri", 9 / 24, 17 / 24]]
    cells = call(REGISTRY["BUSINESS_HOURS"], (opened, done, table, None, None, None))
    flat = np.asarray(cells, dtype=object).ravel().tolist()
    assert flat[0] == 2.0 and all(v in (None, "") or (isinstance(v, float) and np.isnan(v)) for v in flat[1:])
    assert call(REGISTRY["AVG_RESOLUTION_TIME"], (opened, done, None, [["western"]], None)) == 2.0
    assert call(REGISTRY["AVG_RESOLUTION_TIME"], (opened, done, None, None, None)) == 66.0
    policy = [["Priority", "Hours"], ["urgent", 4.0], ["normal", 24.0]]
    got = call(REGISTRY["SLA_POLICY_COMPLIANCE"], (opened, done, [["Urgent"], ["urgent"], ["normal"]], policy,
                                                   [["western"]], [[D(2024, 6, 10, 15)]], None, None))
    rows = [list(r) for r in got]
    assert rows[0][:8] == ["Priority", "Target (h)", "Tickets", "Met", "Breached", "Open, breached", "Open",
                           "Compliance"]
    # urgent: one met (2 h), one open 6 business hours at Monday 15:00 > 4 -> open, breached; 1/2
    assert rows[1][:8] == ["urgent", 4.0, 2, 1, 0, 1, 0, 0.5]
    # normal: its only row has no opened time: no ticket
    assert rows[2][2] == 0


# --------------------------------------------------------------------------- SLA policies


def _reference_policy(frame: pd.DataFrame, targets: dict, as_of=None) -> dict:
    """Per priority: met, breached, open breached -- ticket by ticket, calendar hours."""
    out = {p: [0, 0, 0] for p in targets}
    for row in frame.itertuples():
        p = str(row.priority).strip().lower() if row.priority else None
        if p not in targets:
            continue
        if pd.notna(row.done):
            h = (row.done - row.opened).total_seconds() / 3600
            out[p][0 if h <= targets[p] else 1] += 1
        elif as_of is not None and (as_of - row.opened).total_seconds() / 3600 > targets[p]:
            out[p][2] += 1
    return out


def test_policy_compliance_equals_a_ticket_by_ticket_count():
    rng = np.random.default_rng(3)
    n = 400
    t0 = D(2024, 6, 1)
    opened = [t0 + dt.timedelta(minutes=int(m)) for m in rng.integers(0, 60 * 24 * 20, n)]
    done = [o + dt.timedelta(minutes=int(m)) if rng.random() < 0.8 else None
            for o, m in zip(opened, rng.integers(0, 60 * 72, n))]
    prio = rng.choice(["Urgent", "high", "NORMAL", "low", "Medium", None], n).tolist()
    targets = {"urgent": 4.0, "high": 8.0, "normal": 24.0, "low": 48.0}
    as_of = D(2024, 6, 25)
    t = sla_policy_compliance(opened, done, prio, "urgent 4, high 8, normal 24, low 48", None, as_of)
    ref = _reference_policy(pd.DataFrame({"opened": opened, "done": done, "priority": prio}), targets, as_of)
    for p, (m, b, ob) in ref.items():
        row = t[t["Priority"].str.lower() == p].iloc[0]
        assert (row["Met"], row["Breached"], row["Open, breached"]) == (m, b, ob)
        assert row["Compliance"] == pytest.approx(m / (m + b + ob))
    total = t[t["Priority"] == "Total"].iloc[0]
    assert total["Met"] == sum(v[0] for v in ref.values())
    # Medium and blank priorities have no target: one row, counted, never judged
    none = t[t["Priority"] == "(no target)"].iloc[0]
    assert none["Tickets"] == sum(1 for p in prio if p in ("Medium", None))
    assert np.isnan(none["Compliance"])


def test_policy_on_business_hours_and_breaches_list():
    # urgent 4 business hours on the Saudi week: opened Thursday 14:00; solved Sunday 11:00 = 2 + 3 = 5 h
    # (breached by 1 h); another opened Sunday 08:00 solved 10:00 (met); a third open since Sunday 09:00,
    # judged at Sunday 15:00 (6 h > 4: open, breached by 2 h)
    o = [D(2024, 5, 2, 14), D(2024, 5, 5, 8), D(2024, 5, 5, 9)]
    d = [D(2024, 5, 5, 11), D(2024, 5, 5, 10), None]
    t = sla_policy_compliance(o, d, ["urgent"] * 3, "urgent 4", "saudi", D(2024, 5, 5, 15))
    assert t.iloc[0][["Met", "Breached", "Open, breached"]].tolist() == [1, 1, 1]
    assert t.iloc[0]["Compliance"] == pytest.approx(1 / 3)
    b = sla_breaches(["T1", "T2", "T3"], o, d, ["urgent"] * 3, "urgent 4", "saudi", D(2024, 5, 5, 15))
    assert b["ID"].tolist() == ["T3", "T1"]
    assert b["Overrun (h)"].tolist() == pytest.approx([2.0, 1.0])
    assert b["Open"].tolist() == [True, False]
    assert b["Actual (h)"].tolist() == pytest.approx([_bh(o[2], D(2024, 5, 5, 15), "saudi"), _bh(o[0], d[0], "saudi")])


def test_policy_bad_input():
    o, d = [D(2024, 6, 3, 9)], [D(2024, 6, 3, 8)]
    with pytest.raises(InvalidInput, match="done_at .*row 1"):
        sla_policy_compliance(o, d, ["urgent"], "urgent 4")
    with pytest.raises(OutOfRange, match="target -4"):
        sla_policy_compliance(o, [None], ["urgent"], [["urgent", -4]])
    with pytest.raises(InvalidInput, match="twice"):
        sla_policy_compliance(o, [None], ["urgent"], "urgent 4; Urgent 8")
    with pytest.raises(InvalidInput, match="priority and target hours"):
        sla_policy_compliance(o, [None], ["urgent"], "urgent soon")
    with pytest.raises(InvalidInput, match="same size"):
        sla_policy_compliance(o, [None, None], ["urgent"], "urgent 4")


# --------------------------------------------------------------------------- backlog


def test_backlog_equals_counting_open_tickets_at_each_instant():
    rng = np.random.default_rng(5)
    n = 300
    opened = [D(2024, 6, 1) + dt.timedelta(minutes=int(m)) for m in rng.integers(0, 60 * 24 * 30, n)]
    done = [o + dt.timedelta(minutes=int(m)) if rng.random() < 0.7 else None
            for o, m in zip(opened, rng.integers(0, 60 * 24 * 10, n))]
    dates = [D(2024, 6, 1) + dt.timedelta(days=k) for k in range(0, 45, 3)] + [D(2024, 6, 10, 12, 30)]
    t = backlog(opened, done, dates)
    for day, value in zip(dates, t["Backlog"].tolist()):
        at = day + dt.timedelta(days=1) if day.time() == dt.time() else day   # a date: its end
        strict = day.time() == dt.time()
        want = sum(1 for o, r in zip(opened, done)
                   if (o < at if strict else o <= at) and (r is None or (r >= at if strict else r > at)))
        assert value == want
    # the daily table ends with what is still open; opened and solved add up
    daily = backlog(opened, done)
    assert daily["Backlog"].iloc[-1] == sum(1 for r in done if r is None)
    assert daily["Opened"].sum() == n and daily["Solved"].sum() == sum(1 for r in done if r is not None)


def test_backlog_by_jalali_month():
    # 31 Farvardin 1403 = 19 April 2024; 1 Ordibehesht = 20 April
    t = backlog([D(2024, 4, 19, 10), D(2024, 4, 20, 10)], [D(2024, 4, 20, 9), None], None, "month", "jalali")
    assert t.values.tolist() == [["1403-01", 1, 0, 1], ["1403-02", 1, 1, 1]]


def test_backlog_errors():
    with pytest.raises(DivisionByZero):
        backlog([None], [None])
    with pytest.raises(InvalidInput, match="resolved_at .*row 1"):
        backlog([D(2024, 6, 3)], [D(2024, 6, 2)])


# --------------------------------------------------------------------------- tickets per key


def test_tickets_by_equals_pandas_groupby():
    rng = np.random.default_rng(9)
    n = 500
    opened = [D(2024, 6, 1) + dt.timedelta(minutes=int(m)) for m in rng.integers(0, 60 * 24 * 30, n)]
    done = [o + dt.timedelta(minutes=int(m)) if rng.random() < 0.75 else None
            for o, m in zip(opened, rng.integers(0, 60 * 24 * 5, n))]
    agents = rng.choice(["Sara K", "sara k", "Li W", "Noor A", None], n).tolist()
    ratings = rng.choice(["Good", "Bad", "Offered", "Unoffered", None], n).tolist()
    t = tickets_by(agents, opened, done, None, 24, None, ratings).set_index("Key")
    df = pd.DataFrame({"agent": [a.lower() if a else "(blank)" for a in agents], "opened": opened,
                       "done": pd.to_datetime(done), "rating": ratings})
    df["hours"] = (df["done"] - pd.to_datetime(df["opened"])).dt.total_seconds() / 3600
    label = {"sara k": "Sara K", "li w": "Li W", "noor a": "Noor A", "(blank)": "(blank)"}
    for key, g in df.groupby("agent"):
        row = t.loc[label[key]]
        assert row["Tickets"] == len(g) and row["Solved"] == g["done"].notna().sum()
        solved = g["hours"].dropna()
        assert row["Median resolution (h)"] == pytest.approx(solved.quantile(0.5))     # pandas: linear = PERCENTILE.INC
        assert row["P90 resolution (h)"] == pytest.approx(solved.quantile(0.9))
        assert row["SLA compliance"] == pytest.approx((solved <= 24).mean())
        rated = g["rating"].isin(["Good", "Bad"])
        assert row["CSAT"] == pytest.approx((g["rating"] == "Good").sum() / rated.sum())
    assert t.loc["Total", "Tickets"] == n
    assert list(t.index[:-1]) == sorted(t.index[:-1])        # keys in order, Total last


def test_tickets_by_with_a_policy_and_business_hours():
    o = [D(2024, 5, 2, 14), D(2024, 5, 5, 8)]
    d = [D(2024, 5, 5, 11), D(2024, 5, 5, 10)]
    t = tickets_by(["Email", "Chat"], o, d, [D(2024, 5, 2, 15), D(2024, 5, 5, 8, 30)], "urgent 4, low 48",
                   ["urgent", "low"], None, "saudi").set_index("Key")
    assert t.loc["Email", "Median resolution (h)"] == 5.0      # Thu 14-16 + Sun 08-11
    assert t.loc["Email", "SLA compliance"] == 0.0 and t.loc["Chat", "SLA compliance"] == 1.0
    assert t.loc["Chat", "Median first reply (h)"] == 0.5
    with pytest.raises(InvalidInput, match="priorities"):
        tickets_by(["a"], o[:1], d[:1], None, "urgent 4")


def test_ratings_numbers_and_bad_text():
    t = tickets_by(["a", "a", "a"], [D(2024, 6, 3)] * 3, [None] * 3, ratings=[5, 3, None])
    assert t.loc[0, "CSAT"] == 0.5 and t.loc[0, "Rated"] == 2
    with pytest.raises(InvalidInput, match="ratings has 'meh' in cell 1"):
        tickets_by(["a"], [D(2024, 6, 3)], [None], ratings=["meh"])
    with pytest.raises(OutOfRange, match="1 to 5"):
        tickets_by(["a"], [D(2024, 6, 3)], [None], ratings=[7])


# --------------------------------------------------------------------------- reopens and one-touch


def test_reopen_rate():
    # hand: solved tickets with reopens 0, 2, 0, 1 -> 2 of 4; the open one (reopens 1) is not solved
    d = D(2024, 6, 3)
    assert reopen_rate([0, 2, 0, 1, 1], [d, d, d, d, None]) == 0.5
    assert reopen_rate([[0], [None], ["3"]]) == 0.5                     # blanks skipped, text numbers read
    with pytest.raises(OutOfRange, match="whole number"):
        reopen_rate([0, 1.5])
    with pytest.raises(DivisionByZero):
        reopen_rate([None, None])


def test_one_touch_zendesk_formula():
    # Zendesk Explore, One-touch tickets: Agent replies < 2 and status solved/closed
    # (support.zendesk.com/hc/en-us/articles/4408820618266); the Zendesk sample export: replies 2, 1, 1, 3, 1 with
    # tickets 1041 and 1045 solved (2 and 1 replies) -> 1 of 2
    solved = [D(2024, 6, 3, 13), None, None, None, D(2024, 6, 5, 8, 10)]
    assert one_touch_resolution_rate([2, 1, 1, 3, 1], solved) == 0.5
    with pytest.raises(InvalidInput, match="replies is blank in row 1"):
        one_touch_resolution_rate([None], [D(2024, 6, 3)])
    with pytest.raises(DivisionByZero):
        one_touch_resolution_rate([1], [None])


def test_aware_times_are_instants_with_a_schedule_and_wall_clock_without():
    # 06:00-13:00 UTC on Saturday 11 May 2024 = 09:30-16:30 in Tehran: 6.5 h on the Iranian week (08-16)
    o = pd.Series(pd.to_datetime(["2024-05-11 06:00"]).tz_localize("UTC"))
    r = pd.Series(pd.to_datetime(["2024-05-11 13:00"]).tz_localize("UTC"))
    assert avg_resolution_time(o, r, "hours", "iran") == 6.5
    assert business_hours(o, r, "iran").tolist() == [6.5]
    assert avg_resolution_time(o, r) == 7.0                      # no schedule: 7 wall-clock hours, as before
    assert sla_policy_compliance(o, r, ["urgent"], "urgent 6.5", "iran")["Met"].tolist()[0] == 1
