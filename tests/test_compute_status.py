"""compute support_summary reads ticket status as report does (engines.status; report's F9 rule):
a ticket whose status is open again (new, open, pending, on-hold, Intercom's snoozed) but which
carries a resolved time is not resolved. pandas is the reference; DuckDB is tested against it and
against hand counts (Spark: tests/test_engines_spark.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xl_cskpi import engines
from xl_cskpi.engines import status

from test_engines import assert_same

ENGINES = ("pandas", "duckdb")
DURATIONS = ("resolution_mean_hours", "resolution_p50_hours", "resolution_p90_hours", "first_response_mean_hours",
             "first_response_p50_hours", "first_response_p90_hours", "sla_compliance")

#: The reviewer's Intercom export (/tmp/r4/in/intercom_reopen.csv, R_findings.md F9), as written.
INTERCOM = """Conversation ID,Created at,First admin reply at,Last closed at,State,Teammate assigned,Team assigned,Channel,Rating
c1,2024-06-03 09:00,2024-06-03 09:10,2024-06-03 11:00,closed,Ana,Support,Chat,5
c2,2024-06-04 09:00,2024-06-04 09:30,2024-06-04 10:00,open,Ana,Support,Chat,
c3,2024-06-05 09:00,2024-06-05 09:05,2024-06-05 13:00,snoozed,Bo,Support,Email,
c4,2024-06-10 09:00,2024-06-10 10:00,2024-06-12 09:00,closed,Bo,Support,Email,2
c5,2024-06-20 09:00,,,open,,Support,Chat,
c6,2024-06-27 09:00,2024-06-27 09:02,2024-06-27 09:30,closed,Ana,Support,Chat,4
"""


def test_open_statuses_are_the_reports():
    from xl_cskpi.reports import fill, rowrules
    assert status.OPEN_STATUSES == getattr(rowrules, "OPEN_STATUSES", getattr(fill, "OPEN_STATUSES", None))


@pytest.mark.parametrize("engine", ENGINES)
def test_intercom_reopened_conversations_as_report(tmp_path, engine):
    path = tmp_path / "intercom.csv"
    path.write_text(INTERCOM, encoding="utf-8")
    out = engines.compute("support_summary", str(path), engine=engine)
    row = out.iloc[0]
    # by hand: c2 (open) and c3 (snoozed = pending) are open again: resolved c1 2 h, c4 48 h, c6 0.5 h;
    # mean 50.5 / 3 = 16.83 h (report: 16.8 h; 11.1 h counting c2's 1 h and c3's 4 h as resolved);
    # p90 (PERCENTILE.INC of 0.5, 2, 48) = 2 + 0.8 * 46 = 38.8; SLA 24 h as of the latest time (c6 resolved
    # 27 June 09:30, as report fills sla_as_of): c1, c6 met; c4 (48 h) and the open c2, c3, c5 breached: 2/6
    # (report: 33.3 %)
    assert row["tickets"] == 6 and row["resolved_in_period"] == 3
    assert row["resolution_mean_hours"] == pytest.approx(50.5 / 3, abs=1e-9)
    assert row["resolution_p50_hours"] == pytest.approx(2.0)
    assert row["resolution_p90_hours"] == pytest.approx(38.8, abs=1e-9)
    assert (row["sla_met"], row["sla_judged"]) == (2, 6)
    assert row["sla_compliance"] == pytest.approx(2 / 6)
    assert row["replied"] == 5      # first replies are not touched by the status
    notes = out.attrs["notes"]
    assert any("2 tickets with an open status" in n and "'State'" in n and "'Last closed at'" in n for n in notes)


def _tickets() -> pd.DataFrame:
    """Hand-counted tickets: statuses in the report's vocabulary (English, Persian, Freshdesk's)."""
    return pd.DataFrame({
        "opened_at": ["2024-03-01 08:00", "2024-03-02 08:00", "2024-03-03 08:00", "2024-03-04 08:00",
                      "2024-03-05 08:00", "2024-03-06 08:00", "2024-03-07 08:00", "2024-03-08 08:00",
                      "2024-04-01 08:00"],
        "resolved_at": ["2024-03-01 11:00",    # Solved: 3 h
                        "2024-03-02 18:00",    # Pending: open again, left out
                        "2024-03-03 14:00",    # " On hold ": open again (spaces, case)
                        "2024-03-05 08:00",    # Closed: 24 h
                        "2024-03-05 09:00",    # Spam: a word no rule maps is kept as written: resolved, 1 h
                        "2024-03-06 13:00",    # blank status: resolved, 5 h
                        "2024-03-01 08:00",    # در انتظار (pending), resolved before it opened: left out, not refused
                        None,                  # New, not resolved
                        "2024-04-02 08:00"],   # Waiting on Customer (Freshdesk: pending): left out
        "status": ["Solved", "Pending", " On hold ", "Closed", "Spam", None, "در انتظار", "New",
                   "Waiting on Customer"],
    })


@pytest.mark.parametrize("engine", ENGINES)
def test_statuses_hand_counted(engine):
    out = engines.compute("support_summary", _tickets(), engine=engine)
    march, april = out.iloc[0], out.iloc[1]
    # March: resolved 3, 24, 1, 5 h -> 4 tickets, mean 33 / 4 = 8.25 h; SLA 24 h: all 4 met, and the 4 open
    # March tickets are past 24 h as of the latest time (2 April 08:00): breaches, 4 of 8
    assert (march["tickets"], march["resolved_in_period"]) == (8, 4)
    assert march["resolution_mean_hours"] == pytest.approx(8.25)
    assert (march["sla_met"], march["sla_judged"]) == (4, 8)
    # April: its one ticket waits on the customer: nothing resolved, the mean is n/a (not 0)
    assert (april["tickets"], april["resolved_in_period"]) == (1, 0)
    assert np.isnan(april["resolution_mean_hours"])
    assert any(n.startswith("4 tickets with an open status") for n in out.attrs["notes"])


def test_duckdb_equals_pandas_with_statuses():
    df = _tickets()
    ref = engines.compute("support_summary", df, engine="pandas", options={"period": "week"})
    got = engines.compute("support_summary", df, engine="duckdb", options={"period": "week"})
    assert_same(ref, got, durations=DURATIONS)
    assert ref.attrs["notes"] == got.attrs["notes"]


@pytest.mark.parametrize("engine", ENGINES)
def test_no_status_column_or_no_open_status_changes_nothing(engine):
    df = _tickets().drop(index=6)     # without a status, its resolved time before it opened is refused
    closed = df.assign(status="closed")
    without = df.drop(columns="status")
    a = engines.compute("support_summary", closed, engine=engine)
    b = engines.compute("support_summary", without, engine=engine)
    assert_same(a, b, durations=DURATIONS)
    assert a.iloc[0]["resolved_in_period"] == 6     # March's six resolved times, whatever the status said
    assert not any("open status" in n for n in a.attrs["notes"])


def test_a_status_alone_is_not_a_ticket():
    """A row with only a status filled is no ticket (the status describes one): the SQL engines do
    not ask for its opened_at, as pandas does not."""
    df = pd.DataFrame({"opened_at": ["2024-03-01 08:00", None], "resolved_at": ["2024-03-01 09:00", None],
                       "status": ["solved", "open"]})
    for engine in ENGINES:
        out = engines.compute("support_summary", df, engine=engine)
        assert out.iloc[0]["tickets"] == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_end_times_before_the_ticket_opened_are_left_out(engine):
    """As report does (reviewer's U12, reports.fill._ranges): a resolved or first-response time before
    the ticket opened is left out with a note; the ticket counts as not resolved / not answered.
    (Before: compute refused the whole file.)"""
    df = pd.DataFrame({"opened_at": ["2024-01-05 10:00", "2024-01-06 10:00", "2024-01-07 10:00"],
                       "first_response_at": ["2024-01-05 09:00", "2024-01-06 11:00", "2024-01-07 10:30"],
                       "resolved_at": ["2024-01-05 09:00", "2024-01-06 12:00", "2024-01-07 14:00"],
                       "status": ["solved", "solved", "pending"]})
    out = engines.compute("support_summary", df, engine=engine)
    row = out.iloc[0]
    # by hand: ticket 1's times are both before it opened (left out); ticket 3 is pending (not resolved):
    # resolved = ticket 2 only, 2 h; replied = tickets 2 and 3, (1 + 0.5) / 2 = 0.75 h
    assert (row["resolved_in_period"], row["resolution_mean_hours"]) == (1, pytest.approx(2.0))
    assert (row["replied"], row["first_response_mean_hours"]) == (2, pytest.approx(0.75))
    # SLA as of the latest time (ticket 3's reply, 7 Jan 10:30): ticket 2 met; ticket 1, open since 5 Jan, breached
    assert (row["sla_met"], row["sla_judged"]) == (1, 2)
    notes = out.attrs["notes"]
    assert "1 time in 'resolved_at' (resolved_at) is before opened_at: resolved before it began; left out, so the " \
           "ticket counts as not resolved (as xl-cskpi report does)" in notes
    assert any(n.startswith("1 time in 'first_response_at' (first_response_at) is before opened_at") for n in notes)
    assert any(n.startswith("1 ticket with an open status") for n in notes)
    if engine == "duckdb":
        assert notes == engines.compute("support_summary", df, engine="pandas").attrs["notes"]


#: A Freshdesk export whose ticket 2 has a Closed time but no Resolved time: the report's Freshdesk
#: profile reads resolved_at as "Resolved time, where blank Closed time" (exports.profiles coalesce).
FRESHDESK = """Ticket ID,Subject,Status,Priority,Created time,Initial response time,Resolved time,Closed time
1,a,Closed,Low,2024-06-03 09:00:00,2024-06-03 09:10:00,2024-06-03 11:00:00,2024-06-04 11:00:00
2,b,Closed,Low,2024-06-04 09:00:00,2024-06-04 09:30:00,,2024-06-04 15:00:00
3,c,Open,Low,2024-06-05 09:00:00,,,
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_freshdesk_closed_time_where_resolved_time_is_blank(tmp_path, engine):
    path = tmp_path / "freshdesk.csv"
    path.write_text(FRESHDESK)
    row = engines.compute("support_summary", str(path), engine=engine).iloc[0]
    # by hand: ticket 1 resolved after 2 h (its Resolved time), ticket 2 after 6 h (its Closed time): mean 4 h
    assert (row["tickets"], row["resolved_in_period"]) == (3, 2)
    assert row["resolution_mean_hours"] == pytest.approx(4.0)


def test_merged_and_deleted_lists_are_the_reports():
    from xl_cskpi.reports import rowrules
    assert (status.MERGED_TAGS, status.GONE_STATUSES) == (rowrules.MERGED_TAGS, rowrules.GONE_STATUSES)


@pytest.mark.parametrize("engine", ENGINES)
def test_merged_and_deleted_tickets_left_out(engine):
    """As report does (reviewer's G35, reports.fill._not_support_work): a Zendesk ticket closed by merge
    (tag closed_by_merge) and a deleted ticket are no support work."""
    df = pd.DataFrame({"Id": ["1", "2", "3", "4"],
                       "Created at": ["2024-06-03 09:00", "2024-06-03 09:05", "2024-06-04 09:00", "2024-06-05 09:00"],
                       "Solved at": ["2024-06-04 01:00", "2024-06-03 09:06", "2024-06-04 10:00", "2024-06-05 12:00"],
                       "Status": ["Closed", "Closed", "Deleted", "Solved"],
                       "Tags": ["vip", "closed_by_merge billing", None, ""]})
    out = engines.compute("support_summary", df, engine=engine)
    row = out.iloc[0]
    # by hand: tickets 1 (16 h) and 4 (3 h) count; 2 (merged, 1 min) and 3 (deleted) are left out
    assert (row["tickets"], row["resolved_in_period"]) == (2, 2)
    assert row["resolution_mean_hours"] == pytest.approx(9.5)
    assert "1 ticket closed by merging into another (tag closed_by_merge) and 1 deleted left out: not support " \
           "work (as xl-cskpi report does)" in out.attrs["notes"]
