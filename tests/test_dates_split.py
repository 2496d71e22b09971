"""cells/dates.py split by idea (date_values, date_text, timezones; the reader stays in dates): every
name the package and its tests import from ``xl_cskpi.cells.dates`` is still there and is the one
object of its new home, and the column reader still looks its fast road up in ``dates`` (the module
tests/test_cells_columns.py patches to compare the fast road with the general parser)."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

import xl_cskpi.cells as cells
import xl_cskpi.cells.dates as dates
from xl_cskpi.errors import InvalidInput

# (name, home module) of every name imported from xl_cskpi.cells.dates in the repository (grep
# "cells.dates", "from .dates import", "dates as cd") and of the ones xl_cskpi.cells re-exports
USED = [("check_timezone", "timezones"), ("to_zone", "timezones"), ("offsets_minutes", "timezones"),
        ("date_column", "dates"), ("date_column_offsets", "dates"), ("datetimes", "dates"),
        ("datetimes_offsets", "dates"), ("_read_dates", "dates"), ("_fast_texts", "date_text"),
        ("_Fast", "date_text"), ("DATE_KINDS", "date_values"), ("DATE_ORDERS", "date_values"),
        ("FIRST_DATE", "date_values"), ("LAST_DATE", "date_values"), ("datetime_to_serial", "date_values"),
        ("serial_to_datetime64", "date_values")]


@pytest.mark.parametrize("name, home", USED)
def test_names_are_still_imported_from_dates(name, home):
    module = importlib.import_module(f"xl_cskpi.cells.{home}")
    assert getattr(dates, name) is getattr(module, name)
    if name in cells.__all__:
        assert getattr(cells, name) is getattr(module, name)


def test_the_reader_looks_its_fast_road_up_in_dates(monkeypatch):
    # a column of 112 distinct timestamps goes through the numpy road: replaced in dates, the reader
    # takes the replacement (and, with the road giving nothing, the general parser reads the same)
    texts = [f"2024-01-{d:02d}T{h:02d}:00:00Z" for d in range(1, 29) for h in range(0, 24, 6)]
    fast = dates.date_column(texts, "d", kind="datetime")
    calls = []
    monkeypatch.setattr(dates, "_fast_texts", lambda t: (calls.append(len(t)), dates._Fast(len(t)))[1])
    slow = dates.date_column(texts, "d", kind="datetime")
    assert calls and np.array_equal(fast, slow)
    # by hand: the first two are 2024-01-01 00:00 and 06:00
    assert [str(x)[:16] for x in slow[:2]] == ["2024-01-01T00:00", "2024-01-01T06:00"]


def test_errors_unchanged_by_the_split():
    # the same sentences as before the split (tests/test_cells.py pins the rest)
    with pytest.raises(InvalidInput, match=r"d has '2024-13-01' in cell 1, which is not a Gregorian date \(year 2024, "
                                           r"month 13, day 1\); use yyyy-mm-dd"):
        dates.date_column(["2024-13-01"], "d")
    with pytest.raises(InvalidInput, match="timezone is 'Mars/Olympus', which is not an IANA time zone"):
        dates.check_timezone("Mars/Olympus")
