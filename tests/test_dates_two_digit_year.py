"""Day / month name / two-digit year (reviewer's G7, session 5): Jira's default date format
``dd/MMM/yy h:mm a`` (``03/Jun/24 9:15 AM``; every Jira Software / JSM CSV export unless an admin changed
it) was refused with "use yyyy-mm-dd". With the month a name, day and year cannot trade places; the
two-digit year is read as Python's ``%y`` reads it (00-68 -> 2000-2068, 69-99 -> 1969-1999: the Python
docs, time.strptime / POSIX). Expected values by hand.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from xl_cskpi import cells
from xl_cskpi.cells.date_text import two_digit_year
from xl_cskpi.errors import InvalidInput
from xl_cskpi.excel import call
from xl_cskpi.registry import REGISTRY


def test_jira_dates_and_times():
    got = cells.date_column(["03/Jun/24 9:15 AM", "04/Jun/24 2:15 PM", "05/Jun/24 12:05 AM", None],
                            "Created", kind="datetime")
    want = ["2024-06-03T09:15", "2024-06-04T14:15", "2024-06-05T00:05"]
    assert got[:3].astype("datetime64[m]").astype(str).tolist() == want and np.isnat(got[3])
    # Oracle's DD-MON-YY and spaces
    assert cells.date_column(["1-JAN-00", "31 Dec 68", "1 Jan 69"], "d").astype("datetime64[D]").astype(str).tolist() == \
        ["2000-01-01", "2068-12-31", "1969-01-01"]


def test_the_pivot_is_pythons():
    for yy in range(100):
        assert two_digit_year(yy) == dt.datetime.strptime(f"{yy:02d}", "%y").year


def test_two_digit_years_stay_refused_without_a_month_name():
    with pytest.raises(InvalidInput, match="two-digit year"):
        cells.date_column(["03/06/24"], "Created")
    # a Jalali month name: no two-digit-year pivot for 1403
    with pytest.raises(InvalidInput, match=r"two-digit year.*1403, not 03"):
        cells.date_column(["۳ تیر ۰۳"], "Created")
    # a day that does not exist, a time that does not exist
    with pytest.raises(InvalidInput):
        cells.date_column(["31/Jun/24"], "Created")
    with pytest.raises(InvalidInput, match="time of day"):
        cells.date_column(["03/Jun/24 13:15 PM"], "Created", kind="datetime")


def test_udf_shaped_jira_times_through_tickets_by():
    # the reviewer's /tmp/r5/in/jsm_issues.csv rows: 03/Jun/24 9:15 AM -> 03/Jun/24 2:15 PM is 5 h
    keys = [["Jira"], ["Jira"]]
    opened = [["03/Jun/24 9:15 AM"], ["04/Jun/24 8:00 AM"]]
    resolved = [["03/Jun/24 2:15 PM"], ["04/Jun/24 8:05 AM"]]
    got = call(REGISTRY["TICKETS_BY"], (keys, opened, resolved))
    row = dict(zip(got[0], got[1]))
    assert row["Solved"] == 2
    assert row["Median resolution (h)"] == pytest.approx((5 + 5 / 60) / 2)
