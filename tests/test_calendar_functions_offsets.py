"""PERIOD_LABEL on time text with UTC offsets follows the report reader's and the ticket tables' rule
(T's request 6, session 5): one offset in the range is read as written; several are read in UTC.
By hand: 2024-03-31T23:30-07:00 is 06:30 UTC on 1 April."""

from xl_cskpi.registry import REGISTRY

F = REGISTRY["PERIOD_LABEL"].func


def test_mixed_offsets_are_months_in_utc():
    assert list(F(["2024-03-31T23:30:00-07:00", "2024-03-09T23:00:00-08:00"])) == ["2024-04", "2024-03"]


def test_one_offset_is_read_as_written():
    assert list(F([["2024-03-31T23:30:00-07:00"], ["2024-03-09T23:00:00-07:00"], [None]])) == ["2024-03", "2024-03", None]


def test_local_calendar_text_and_serials_unchanged():
    assert F("1403/06/11", "month", "jalali") == "1403-06" and F(45536) == "2024-09"
