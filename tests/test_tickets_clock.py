"""The ticket tables (TICKETS_BY, BACKLOG, SLA_POLICY_COMPLIANCE, SLA_BREACHES, BUSINESS_HOURS) on time
text with UTC offsets: durations between instants, days and months on the report reader's clock
(xl_cskpi/tables/ticket_clock.py; closing note 4, "Noticed and left alone").

Expected values are worked by hand from the offsets written:

* the US DST start of 2024 (the tz database, America/Los_Angeles: 10 March 2024 at 02:00 the clock
  goes from -08:00 to -07:00): 2024-03-09T23:00-08:00 is 07:00Z on the 10th, 2024-03-10T23:00-07:00
  is 06:00Z on the 11th: 23 hours elapsed, where the wall clocks differ by 24;
* 09:00Z and 11:00+02:00 are the same instant (0 h); 09:00+03:30 is 05:30Z, 4.5 h before 10:00Z;
* 2024-03-31T23:30-07:00 is 06:30Z on 1 April;
* Excel serial 45360 is 2024-03-09 (days since 1899-12-30).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from xl_cskpi import backlog, business_hours, sla_breaches, sla_policy_compliance, tickets_by
from xl_cskpi.errors import InvalidInput
from xl_cskpi.excel import call
from xl_cskpi.registry import REGISTRY

DST_OPEN, DST_DONE = "2024-03-09T23:00:00-08:00", "2024-03-10T23:00:00-07:00"


def rows(table):
    return table.values.tolist()


# --------------------------------------------------------------------------- durations between instants


def test_tickets_by_across_the_us_dst_change_counts_23_hours():
    t = tickets_by(["a"], [DST_OPEN], [DST_DONE], sla=23.5).set_index("Key")
    assert t.loc["a", "Median resolution (h)"] == 23.0          # 24 before: wall clocks subtracted
    assert t.loc["a", "SLA compliance"] == 1.0                   # 23 h <= 23.5 h (24 h breached it)
    # the same wall clocks without offsets: 24 h, as always
    naive = tickets_by(["a"], ["2024-03-09 23:00"], ["2024-03-10 23:00"], sla=23.5).set_index("Key")
    assert naive.loc["a", "Median resolution (h)"] == 24.0 and naive.loc["a", "SLA compliance"] == 0.0
    # first reply across the change: 23:00-08:00 -> 03:00-07:00 = 07:00Z -> 10:00Z = 3 h (wall clocks: 4)
    t = tickets_by(["a"], [DST_OPEN], [None], ["2024-03-10T03:00:00-07:00"])
    assert t.loc[0, "Median first reply (h)"] == 3.0


def test_sla_tables_across_the_us_dst_change():
    p = sla_policy_compliance([DST_OPEN], [DST_DONE], ["urgent"], "urgent 23.5")
    assert p.loc[0, "Met"] == 1 and p.loc[0, "Breached"] == 0
    b = sla_breaches(["T1"], [DST_OPEN], [DST_DONE], ["urgent"], "urgent 22")
    assert rows(b) == [["T1", "urgent", 22.0, 23.0, 1.0, False]]


def test_mixed_offsets_are_instants():
    opened = ["2024-06-03T09:00:00Z", "2024-06-03T09:00:00+03:30", "2024-06-03 09:00"]
    done = ["2024-06-03T11:00:00+02:00", "2024-06-03T10:00:00Z", "2024-06-03 10:00"]
    t = tickets_by(["x", "y", "z"], opened, done).set_index("Key")
    assert t["Median resolution (h)"].tolist() == [0.0, 4.5, 1.0, 1.0]   # x, y, z (naive pair: 1 h), Total
    b = sla_breaches([1, 2, 3], opened, done, ["n"] * 3, "n 0.5")
    assert rows(b) == [["2", "n", 0.5, 4.5, 4.0, False], ["3", "n", 0.5, 1.0, 0.5, False]]


def test_serial_numbers_are_wall_clocks_as_before():
    # 45360 + 23/24 = 2024-03-09 23:00; a day later: 24 h, no offset to go by
    o, r = 45360 + 23 / 24, 45361 + 23 / 24
    assert tickets_by(["a"], [o], [r]).loc[0, "Median resolution (h)"] == pytest.approx(24.0)
    assert sla_policy_compliance([o], [r], ["u"], "u 23.5").loc[0, "Breached"] == 1


def test_an_offset_on_one_end_only_is_value_error_naming_the_argument():
    with pytest.raises(InvalidInput, match=r"TICKETS_BY: opened_at has '2024-03-09 23:00' in row 1 and resolved_at "
                                           r"has '2024-03-10T23:00:00-07:00': resolved_at carries a time-zone offset "
                                           r"and opened_at does not"):
        tickets_by(["a"], ["2024-03-09 23:00"], [DST_DONE])
    with pytest.raises(InvalidInput, match="first_response_at carries a time-zone offset and opened_at does not"):
        tickets_by(["a"], ["2024-03-09 23:00"], [None], ["2024-03-10T03:00:00-07:00"])
    with pytest.raises(InvalidInput, match="SLA_POLICY_COMPLIANCE: opened_at .* opened_at carries a time-zone offset "
                                           "and done_at does not"):
        sla_policy_compliance([DST_OPEN], ["2024-03-10 23:00"], ["u"], "u 4")
    with pytest.raises(InvalidInput, match="SLA_BREACHES: opened_at .* done_at does not"):
        sla_breaches([1], [DST_OPEN], ["2024-03-10 23:00"], ["u"], "u 4")
    with pytest.raises(InvalidInput, match="BACKLOG: opened_at .* resolved_at does not"):
        backlog([DST_OPEN], ["2024-03-10 23:00"])
    # an open ticket decides nothing: its row has one end
    assert tickets_by(["a", "a"], [DST_OPEN, "2024-03-09 23:00"], [None, "2024-03-10 01:00"]).loc[0, "Solved"] == 1


def test_an_end_before_its_start_through_the_offsets():
    # 10:00+02:00 is 08:00Z, an hour before 09:00Z: the sentence shows both as written and in UTC
    with pytest.raises(InvalidInput, match=r"resolved_at has '2024-06-03T10:00:00\+02:00' in row 1 \(2024-06-03 08:00 "
                                           r"UTC\), before opened_at"):
        tickets_by(["a"], ["2024-06-03T09:00:00Z"], ["2024-06-03T10:00:00+02:00"])
    with pytest.raises(InvalidInput, match=r"done_at has .* before opened_at"):
        sla_policy_compliance(["2024-06-03T09:00:00Z"], ["2024-06-03T10:00:00+02:00"], ["u"], "u 4")


# --------------------------------------------------------------------------- as_of


def test_as_of_is_an_instant_beside_open_tickets_with_offsets():
    # open since 2024-03-09T23:00-08:00 (07:00Z on the 10th); as_of 2024-03-11T05:00-07:00 = 12:00Z: 29 h
    # (wall clocks: 30 h); target 29.5 h: not yet breached; 28.5 h: breached
    p = sla_policy_compliance([DST_OPEN], [None], ["u"], "u 29.5", None, "2024-03-11T05:00:00-07:00")
    assert p.loc[0, "Open"] == 1 and p.loc[0, "Open, breached"] == 0
    b = sla_breaches([7], [DST_OPEN], [None], ["u"], "u 28.5", None, "2024-03-11T05:00:00-07:00")
    assert rows(b) == [["7", "u", 28.5, 29.0, 0.5, True]]
    t = tickets_by(["a"], [DST_OPEN], [None], sla=28.5, as_of="2024-03-11T12:00:00Z")
    assert t.loc[0, "SLA compliance"] == 0.0
    with pytest.raises(InvalidInput, match=r"opened_at in row 1 \(an open ticket\) carries a time-zone offset and "
                                           "as_of does not"):
        sla_policy_compliance([DST_OPEN], [None], ["u"], "u 4", None, "2024-03-11 05:00")
    with pytest.raises(InvalidInput, match="has no time-zone offset and as_of has one"):
        tickets_by(["a"], ["2024-03-09 23:00"], [None], sla=4, as_of="2024-03-11T12:00:00Z")


def test_as_of_with_an_offset_is_put_on_the_schedules_clock():
    # 05:00Z on Wednesday 2024-06-05 is 08:30 in Tehran; as_of 09:00Z is 12:30: 4 working hours on the
    # iran week (Sat-Wed 08-16). Before, as_of was read as 09:00 on Tehran's clock: 0.5 h
    assert business_hours(["2024-06-05T05:00:00Z"], [None], "iran", None, "hours", "2024-06-05T09:00:00Z"
                          ).tolist() == [4.0]
    b = sla_breaches([1], ["2024-06-05T05:00:00Z"], [None], ["u"], "u 3", "iran", "2024-06-05T09:00:00Z")
    assert rows(b) == [["1", "u", 3.0, 4.0, 1.0, True]]


# --------------------------------------------------------------------------- days and months


def test_backlog_months_follow_the_readers_clock():
    # one offset in the data: the times as written (exports/zones.py rule 3): 23:30 on 31 March is March
    assert rows(backlog(["2024-03-31T23:30:00-07:00"], [None], None, "month")) == [["2024-03", 1, 0, 1]]
    # beside a time at -08:00 (mixed offsets, rule 4): UTC, where it is 06:30 on 1 April
    t = backlog([DST_OPEN, "2024-03-31T23:30:00-07:00"], [DST_DONE, None], None, "month")
    assert rows(t) == [["2024-03", 1, 1, 0], ["2024-04", 1, 0, 1]]
    # days: 2024-03-09T23:00-08:00 alone is the 9th as written; beside -07:00 times it is the 10th (07:00Z)
    assert rows(backlog([DST_OPEN], [None]))[0][0] == "2024-03-09"
    assert rows(backlog([DST_OPEN], [DST_DONE]))[0][0] == "2024-03-10"


def test_backlog_dates_on_the_tickets_clock():
    o, r = [DST_OPEN, "2024-03-31T23:30:00-07:00"], [DST_DONE, None]   # UTC clock (mixed offsets)
    # 2024-03-11T05:00:00Z: the first ticket solved (06:00Z on the 11th)? not yet; at 06:00Z+: solved
    t = backlog(o, r, ["2024-03-11T05:00:00Z", "2024-03-10T23:30:00-07:00", "2024-03-31"])
    assert t["Backlog"].tolist() == [1, 0, 0]   # 23:30-07:00 = 06:30Z on the 11th; the 31st (UTC) ends before 06:30Z
    with pytest.raises(InvalidInput, match="dates has '2024-03-11T05:00:00Z' in cell 1, with a time-zone offset, but "
                                           "the tickets' times carry none"):
        backlog(["2024-03-09 23:00"], [None], ["2024-03-11T05:00:00Z"])


# --------------------------------------------------------------------------- the Excel face


def test_udf_shaped_input_through_the_registry_wrapper():
    # xlwings: lists of rows, None for blanks; text as a CSV pasted into Excel keeps it
    keys = [["Sara"], ["Sara"], [None]]
    opened = [[DST_OPEN], ["2024-06-03T09:00:00Z"], [None]]
    done = [[DST_DONE], ["2024-06-03T11:00:00+02:00"], [None]]
    got = call(REGISTRY["TICKETS_BY"], (keys, opened, done))
    assert got[0][:5] == ["Key", "Tickets", "Solved", "Open", "Median resolution (h)"]
    sara = next(r for r in got if r[0] == "Sara")      # the blank row, with no opened time, is "(blank)"
    assert sara[:5] == ["Sara", 2, 2, 0, 11.5]            # (23 + 0) / 2
    got = call(REGISTRY["SLA_POLICY_COMPLIANCE"], (opened, done, [["urgent"], ["urgent"], [None]], "urgent 23.5"))
    assert got[1][:4] == ["urgent", 23.5, 2, 2]
    with pytest.raises(InvalidInput, match="row 1 .*carries a time-zone offset"):
        call(REGISTRY["TICKETS_BY"], ([["a"]], [["2024-03-09 23:00"]], [[DST_DONE]]))
    with pytest.raises(InvalidInput, match="row 1 .*carries a time-zone offset"):
        call(REGISTRY["BACKLOG"], ([[DST_OPEN]], [["2024-03-10 23:00"]]))


# --------------------------------------------------------------------------- against pandas on instants


def _written(instant: "pd.Timestamp", minutes: int) -> str:
    """``instant`` (UTC) as text on the clock of a UTC offset of ``minutes``."""
    local = instant + pd.Timedelta(minutes=minutes)
    sign = "-" if minutes < 0 else "+"
    return f"{local:%Y-%m-%dT%H:%M:%S}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_offsets_against_pandas_in_utc(seed):
    # an independent computation: pandas parses each text as an instant (utc=True); medians of the
    # elapsed hours per key, months of the opened instants in UTC (several offsets: rule 4)
    rng = np.random.default_rng(seed)
    n = 60
    opened = pd.Timestamp("2024-03-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 60 * 24 * 60, n), "min")
    minutes = rng.integers(1, 60 * 72, n)
    hours = minutes / 60
    resolved = opened + pd.to_timedelta(minutes, "min")
    offsets = rng.choice([-480, -420, 0, 60, 210, 330], (2, n))
    o_text = [_written(t, int(m)) for t, m in zip(opened, offsets[0])]
    r_text = [_written(t, int(m)) for t, m in zip(resolved, offsets[1])]
    keys = rng.choice(["a", "b", "c"], n).tolist()
    t = tickets_by(keys, o_text, r_text).set_index("Key")
    df = pd.DataFrame({"k": keys, "h": (pd.to_datetime(r_text, utc=True) - pd.to_datetime(o_text, utc=True))
                       / pd.Timedelta(hours=1)})
    want = df.groupby("k")["h"].median()
    for k in want.index:
        assert t.loc[k, "Median resolution (h)"] == pytest.approx(want[k], abs=1e-9)
        assert t.loc[k, "Median resolution (h)"] == pytest.approx(np.median(hours[np.array(keys) == k]), abs=1e-9)
    months = pd.to_datetime(o_text, utc=True).tz_localize(None).to_period("M").astype(str)
    b = backlog(o_text, r_text, None, "month")
    assert {p: k for p, k in zip(b["Period"], b["Opened"]) if k} == months.value_counts().to_dict()
    solved = pd.to_datetime(r_text, utc=True).tz_localize(None).to_period("M").astype(str)
    assert {p: k for p, k in zip(b["Period"], b["Solved"]) if k} == solved.value_counts().to_dict()
