"""A header that states the column's zone (reviewer's G9, session 5): Typeform's ``Submit Date (UTC)``,
Stripe's ``Created (UTC)``. The times below are UTC instants written without ``Z``; read as local wall-clock
times, answers of the last 3.5 hours of a Jalali month landed in the wrong month. Expected values by hand:
Asia/Tehran is UTC+03:30 all year since 2022 (IANA tz database: Iran abolished DST in 2022); 1 Tir 1403 is
21 June 2024 (jdatetime).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from xl_cskpi.cells.dates import date_column, date_column_offsets
from xl_cskpi.cells.timezones import header_offset
from xl_cskpi.errors import InvalidInput


@pytest.mark.parametrize("header, want", [
    ("Submit Date (UTC)", 0), ("Created (UTC)", 0), ("created_at [GMT]", 0), ("Date UTC", 0), ("created_utc", 0),
    ("Start time (in UTC)", 0), ("Time (UTC+03:30)", 210), ("Time (GMT-5)", -300), ("Time (UTC+0530)", 330),
    ("Created", None), ("Utc offset", None), ("Time (GMT-15)", None), ("Time (UTC+03:75)", None), (None, None),
    ("Computed", None),
])
def test_header_offset(header, want):
    assert header_offset(header) == want


def test_the_reviewers_typeform_times_on_tehrans_clock():
    # /tmp/r5/in/typeform_utc_fa.csv: r1-r3 submitted 2024-06-20 21:00, 22:15, 23:40 UTC = 21 June 00:30,
    # 01:45, 03:10 Tehran (+03:30) = 1 Tir 1403; r4 2024-06-15 10:05 UTC = 13:35 Tehran, still 26 Khordad
    raw = pd.Series(["2024-06-20 21:00:00", "2024-06-20 22:15:00", "2024-06-20 23:40:00", "2024-06-15 10:05:00", None],
                    dtype=object)
    d, off = date_column_offsets(raw, "Submit Date (UTC)", kind="datetime", tz="Asia/Tehran",
                                 stated_offset=header_offset("Submit Date (UTC)"))
    assert [str(x)[:16] for x in d[:4]] == ["2024-06-21T00:30", "2024-06-21T01:45", "2024-06-21T03:10",
                                          "2024-06-15T13:35"]
    assert np.isnat(d[4]) and off[:4].tolist() == [0.0] * 4 and np.isnan(off[4])
    # kind="date": the day is Tehran's (21 June), not the UTC day written (20 June)
    days = date_column(raw, "Submit Date (UTC)", tz="Asia/Tehran", stated_offset=0)
    assert str(days[0])[:10] == "2024-06-21"
    # without a zone to go to, the times are kept as written, with their offset known to the caller
    d, off = date_column_offsets(raw, "Submit Date (UTC)", kind="datetime", stated_offset=0)
    assert str(d[0])[:16] == "2024-06-20T21:00" and off[0] == 0.0


def test_a_written_offset_wins_over_the_header():
    # a value carrying its own offset keeps it: 09:00-08:00 is 17:00 UTC, 20:30 Tehran
    d, off = date_column_offsets(["2024-06-20T09:00:00-08:00", "2024-06-20 09:00"], "At (UTC)", kind="datetime",
                                 tz="Asia/Tehran", stated_offset=0)
    assert [str(x)[:16] for x in d] == ["2024-06-20T20:30", "2024-06-20T12:30"]
    assert off.tolist() == [-480.0, 0.0]


def test_datetime_cells_from_a_workbook_too():
    # an .xlsx export gives naive datetimes: the same instants
    cells_ = [dt.datetime(2024, 6, 20, 21, 0), None]
    d, off = date_column_offsets(cells_, "Created (UTC)", kind="datetime", tz="Asia/Tehran", stated_offset=0)
    assert str(d[0])[:16] == "2024-06-21T00:30" and off[0] == 0.0 and np.isnan(off[1])


def test_month_labels_carry_no_instant():
    # a month label (1403-04) is no time: no offset is given to it
    d, off = date_column_offsets(["1403-04"], "Month (UTC)", kind="month", calendar="jalali", tz="Asia/Tehran",
                                 stated_offset=0)
    assert str(d[0])[:10] == "2024-06-21" and np.isnan(off[0])


def test_bad_dates_are_still_refused():
    with pytest.raises(InvalidInput, match="not a date"):
        date_column_offsets(["soon"], "Created (UTC)", stated_offset=0)
