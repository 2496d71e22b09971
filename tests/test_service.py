"""Support family: resolution and first-response times, SLA compliance, time to value, complaints."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_cskpi import (avg_resolution_time, complaints, first_response_time,
                      resolution_time_percentile, sla_compliance, time_to_value)
from xl_cskpi.cells import datetime_to_serial
from xl_cskpi.errors import DivisionByZero, InvalidInput, OutOfRange

T0 = dt.datetime(2024, 9, 22, 9, 0)  # 1 Mehr 1403, 09:00


def at(hours):
    return T0 + dt.timedelta(hours=hours)


# --------------------------------------------------------------------------- AVG_RESOLUTION_TIME


def test_mean_resolution_brief_example():
    # hand calculation: tickets of 2 h and 4 h, one open -> (2 + 4) / 2 = 3 h
    assert avg_resolution_time([[T0], [T0], [T0]], [[at(2)], [at(4)], [None]]) == 3.0
    # same in minutes (180) and days (3 / 24 = 0.125)
    assert avg_resolution_time([T0, T0, T0], [at(2), at(4), None], "minutes") == pytest.approx(180)
    assert avg_resolution_time([T0, T0, T0], [at(2), at(4), None], "DAYS") == pytest.approx(0.125)


def test_mean_resolution_excel_serials_and_iso_text():
    # 45536.5 = 2024-09-01 12:00 (Excel serial); +0.25 day = 6 h; ISO text 18:00 -> 6 h as well
    opened = [[45536.5], [45536.5], [None], [45537.0]]
    resolved = [[45536.75], ["2024-09-01 18:00"], [None], [None]]
    assert avg_resolution_time(opened, resolved) == pytest.approx(6.0, abs=1e-9)
    # Persian digits in ISO text
    assert avg_resolution_time(["۲۰۲۴-۰۹-۰۱ ۰۸:۰۰"], ["2024-09-01 10:30"]) == pytest.approx(2.5)


def test_mean_resolution_pandas_and_numpy_inputs():
    # hand calculation: 1 h and 3 h -> mean 2 h
    o = pd.Series(pd.to_datetime(["2024-09-01 08:00", "2024-09-01 09:00", "2024-09-01 10:00"]))
    r = pd.Series(pd.to_datetime(["2024-09-01 09:00", None, "2024-09-01 13:00"]))
    assert avg_resolution_time(o, r) == pytest.approx(2.0)
    assert avg_resolution_time(o.to_numpy(), r.to_numpy()) == pytest.approx(2.0)


def test_resolution_errors():
    with pytest.raises(InvalidInput, match=r"AVG_RESOLUTION_TIME: resolved_at .*row 2.*before"):
        avg_resolution_time([T0, T0], [at(1), at(-1)])
    with pytest.raises(InvalidInput, match=r"opened_at is blank in row 2"):
        avg_resolution_time([T0, None], [at(1), at(2)])
    with pytest.raises(InvalidInput, match="opened_at has 3 cells but resolved_at has 2"):
        avg_resolution_time([T0, T0, T0], [at(1), at(2)])
    with pytest.raises(DivisionByZero, match="resolved_at has no tickets"):
        avg_resolution_time([T0, T0], [None, None])
    with pytest.raises(DivisionByZero):
        avg_resolution_time([], [])
    with pytest.raises(InvalidInput, match=r"resolved_at has 'soon' in cell 1"):
        avg_resolution_time([T0], ["soon"])
    with pytest.raises(InvalidInput, match="resolved_at"):
        avg_resolution_time([T0], [True])
    with pytest.raises(InvalidInput, match="not an Excel date serial"):
        avg_resolution_time([45536.0], [-3.0])
    with pytest.raises(InvalidInput, match='unit is \'weeks\'; use one of: "minutes", "hours", "days"'):
        avg_resolution_time([T0], [at(1)], "weeks")


def test_blank_unit_takes_default():
    assert avg_resolution_time([T0], [at(5)], None) == pytest.approx(5.0)
    assert avg_resolution_time([T0], [at(5)], "") == pytest.approx(5.0)


ticket = st.tuples(st.integers(0, 10_000), st.one_of(st.none(), st.integers(0, 100_000)))


@given(st.lists(ticket, min_size=1, max_size=40).filter(lambda t: any(r is not None for _, r in t)),
       st.randoms())
def test_mean_resolution_invariant_to_row_order(tickets, rnd):
    opened = [T0 + dt.timedelta(minutes=o) for o, _ in tickets]
    resolved = [None if r is None else T0 + dt.timedelta(minutes=o + r) for o, r in tickets]
    base = avg_resolution_time(opened, resolved)
    order = list(range(len(tickets)))
    rnd.shuffle(order)
    shuffled = avg_resolution_time([opened[i] for i in order], [resolved[i] for i in order])
    assert shuffled == pytest.approx(base, rel=1e-12)
    # hand rule: the mean of the resolved durations in hours
    durations = [r / 60 for _, r in tickets if r is not None]
    assert base == pytest.approx(sum(durations) / len(durations), rel=1e-12, abs=1e-12)


@given(st.lists(st.tuples(st.floats(40000, 50000), st.floats(0, 30)), min_size=1, max_size=30))
def test_units_are_consistent(rows):
    """minutes = 60 x hours = 1440 x days, for any tickets (Excel serial input)."""
    opened = [o for o, _ in rows]
    resolved = [o + d for o, d in rows]
    hours = avg_resolution_time(opened, resolved, "hours")
    assert avg_resolution_time(opened, resolved, "minutes") == pytest.approx(60 * hours, rel=1e-9, abs=1e-6)
    assert avg_resolution_time(opened, resolved, "days") * 24 == pytest.approx(hours, rel=1e-9, abs=1e-6)
    p = resolution_time_percentile(opened, resolved, 0.9, "minutes")
    assert p == pytest.approx(60 * resolution_time_percentile(opened, resolved, 0.9, "hours"),
                              rel=1e-9, abs=1e-6)


def test_million_tickets_vectorized():
    n = 1_000_000
    opened = np.datetime64("2024-09-01T00:00") + np.arange(n).astype("timedelta64[m]")
    resolved = opened + np.timedelta64(90, "m")
    resolved = resolved.astype("datetime64[ns]")
    resolved[::2] = np.datetime64("NaT")  # half of the tickets are open
    import time
    t = time.perf_counter()
    assert avg_resolution_time(opened, resolved, "minutes") == pytest.approx(90.0)  # every resolved one took 90 min
    assert time.perf_counter() - t < 2.0
    # Excel serials as a float array take the numpy path too
    serials = datetime_to_serial(opened)
    assert avg_resolution_time(serials, serials + 0.0625) == pytest.approx(1.5, abs=1e-6)  # 0.0625 day = 1.5 h


# --------------------------------------------------------------------------- RESOLUTION_TIME_PERCENTILE


def test_percentile_matches_excel_percentile_inc():
    # Excel: =PERCENTILE.INC({1,2,4,10}, 0.9) = 8.2 (rank 2.7 -> 4 + 0.7 x 6); median 3
    opened = [T0] * 5
    resolved = [at(h) for h in (10, 1, 4, 2)] + [None]
    assert resolution_time_percentile(opened, resolved) == pytest.approx(3.0)
    assert resolution_time_percentile(opened, resolved, 0.9) == pytest.approx(8.2)
    assert resolution_time_percentile(opened, resolved, "90%") == pytest.approx(8.2)
    assert resolution_time_percentile(opened, resolved, 0) == pytest.approx(1.0)
    assert resolution_time_percentile(opened, resolved, "") == pytest.approx(3.0)  # blank: median
    assert resolution_time_percentile(opened, resolved, 1, "minutes") == pytest.approx(600.0)


def test_percentile_errors():
    with pytest.raises(OutOfRange, match="percentile is 90; use a fraction"):
        resolution_time_percentile([T0], [at(1)], 90)
    with pytest.raises(OutOfRange, match="percentile"):
        resolution_time_percentile([T0], [at(1)], -0.1)
    with pytest.raises(InvalidInput, match="percentile"):
        resolution_time_percentile([T0], [at(1)], "p90")
    with pytest.raises(DivisionByZero, match="RESOLUTION_TIME_PERCENTILE"):
        resolution_time_percentile([T0], [None])
    with pytest.raises(InvalidInput, match="row 1"):
        resolution_time_percentile([T0], [at(-2)])


@given(st.lists(st.floats(0, 1000), min_size=1, max_size=30), st.floats(0, 1))
def test_percentile_between_min_and_max(hours, p):
    resolved = [T0 + dt.timedelta(hours=h) for h in hours]
    v = resolution_time_percentile([T0] * len(hours), resolved, p)
    assert min(hours) - 1e-6 <= v <= max(hours) + 1e-6


# --------------------------------------------------------------------------- FIRST_RESPONSE_TIME


def test_first_response():
    # hand calculation: replies after 0.5, 1 and 5 h -> median 1 h, mean 6.5 / 3 h = 130 min
    replies = [at(0.5), at(1), at(5), None]
    assert first_response_time([T0] * 4, replies) == pytest.approx(1.0)
    assert first_response_time([T0] * 4, replies, "MEAN", "minutes") == pytest.approx(130.0)
    with pytest.raises(InvalidInput, match="first_response_at .*row 1.*before"):
        first_response_time([T0], [at(-0.1)])
    with pytest.raises(DivisionByZero, match="first_response_at has no replied tickets"):
        first_response_time([T0, T0], [None, ""])
    with pytest.raises(InvalidInput, match='statistic is \'mode\''):
        first_response_time([T0], [at(1)], "mode")


# --------------------------------------------------------------------------- SLA_COMPLIANCE


def test_sla_compliance():
    # hand calculation: SLA 24 h; resolved in 2, 24 (on the target: met), 30 h; one open -> 2 / 3
    opened = [T0] * 4
    resolved = [at(2), at(24), at(30), None]
    assert sla_compliance(opened, resolved, 24) == pytest.approx(2 / 3)
    # as_of 48 h after opening: the open ticket has breached -> 2 / 4
    assert sla_compliance(opened, resolved, 24, at(48)) == pytest.approx(0.5)
    # as_of 10 h after opening: the open ticket is still within target -> not judged, 2 / 3
    assert sla_compliance(opened, resolved, 24, at(10)) == pytest.approx(2 / 3)
    # Excel serial as_of and serial tickets: opened 45536.0, resolved 45536.5 (12 h), SLA 8 h -> 0
    assert sla_compliance([45536.0, 45536.0], [45536.5, None], 8, 45537.0) == 0.0


def test_sla_errors():
    with pytest.raises(OutOfRange, match="sla_hours is -1"):
        sla_compliance([T0], [at(1)], -1)
    with pytest.raises(DivisionByZero, match="SLA_COMPLIANCE: resolved_at has no resolved"):
        sla_compliance([T0], [None], 24)
    with pytest.raises(DivisionByZero):
        sla_compliance([T0], [None], 24, at(5))  # open but within target: nothing to judge
    with pytest.raises(InvalidInput, match="sla_hours"):
        sla_compliance([T0], [at(1)], "a day")
    with pytest.raises(InvalidInput, match="as_of must be one date-time"):
        sla_compliance([T0], [at(1)], 24, [at(1), at(2)])
    with pytest.raises(InvalidInput, match="resolved_at .*before"):
        sla_compliance([T0], [at(-1)], 24)


@given(st.lists(st.floats(0, 100), min_size=1, max_size=30), st.floats(0, 100))
def test_sla_share_is_a_fraction_and_monotone(hours, sla):
    resolved = [T0 + dt.timedelta(hours=h) for h in hours]
    share = sla_compliance([T0] * len(hours), resolved, sla)
    assert 0 <= share <= 1
    assert sla_compliance([T0] * len(hours), resolved, sla + 1) >= share


# --------------------------------------------------------------------------- TIME_TO_VALUE


def test_time_to_value():
    # hand calculation: live after 10, 14, 40 days, one not live -> median 14, mean 64/3
    s = dt.date(2024, 8, 22)
    live = [s + dt.timedelta(days=d) for d in (10, 14, 40)] + [None]
    assert time_to_value([s] * 4, live) == 14.0
    assert time_to_value([s] * 4, live, "mean") == pytest.approx(64 / 3)
    # Excel serials, half days kept: 45536 -> 45537.5 is 1.5 days
    assert time_to_value([[45536], [45536]], [[45537.5], [None]]) == pytest.approx(1.5)
    with pytest.raises(InvalidInput, match=r"TIME_TO_VALUE: value_dates .*row 1"):
        time_to_value([s], [s - dt.timedelta(days=1)])
    with pytest.raises(InvalidInput, match="start_dates is blank in row 1"):
        time_to_value([None], [s])
    with pytest.raises(DivisionByZero, match="value_dates has no customers"):
        time_to_value([s], [None])
    with pytest.raises(InvalidInput, match="start_dates has 2 cells"):
        time_to_value([s, s], [s])


# --------------------------------------------------------------------------- COMPLAINTS


def test_complaints_counts():
    log = [["Pending"], ["resolved"], [None], ["PENDING "], ["Escalated"], ["  "], ["resolved"]]
    assert complaints(log) == 5  # hand count of non-blank cells
    assert complaints(log, "pending") == 2  # "Pending", "PENDING "
    assert complaints(log, "Closed") == 0
    assert complaints([]) == 0
    assert complaints(log, None) == 5
    assert complaints(log, [[None]]) == 5  # blank status cell: count every complaint


def test_complaints_persian_arabic_variants():
    # Arabic yeh/kaf (ي ك) typed on an Arabic keyboard vs Persian ی ک; ZWNJ vs space
    log = ["پيگيري", "پیگیری", "در\u200cانتظار", "در انتظار", "تکميل", "تكمیل"]
    assert complaints(log, "پیگیری") == 2
    assert complaints(log, "در انتظار") == 2
    assert complaints(log, "تکمیل") == 2
    # alef maksura, teh marbuta, hamza/madda on alef, harakat, tatweel (Arabic spellings)
    assert complaints(["مُعلّقة", "معلقه", "إحالة", "احاله", "آماده", "اماده", "مــعلقه"], "معلقه") == 3
    assert complaints(["إحالة", "احاله"], "احالة") == 2
    assert complaints(["آماده", "اماده", "ماده"], "آماده") == 2
    assert complaints(["على", "علی", "علي"], "علی") == 3
    # numeric status codes: 1.0 from Excel, "۱" in Persian digits
    assert complaints([1.0, 2.0, "1", "۱"], "1") == 3


def test_complaints_errors():
    with pytest.raises(InvalidInput, match="COMPLAINTS: statuses has a logical value"):
        complaints(["open", True])
    with pytest.raises(InvalidInput, match="status must be one cell"):
        complaints(["open"], ["open", "closed"])


# --------------------------------------------------------------------------- through the Excel face


def test_excel_face_cells():
    from xl_cskpi.excel import call
    from xl_cskpi.registry import REGISTRY

    # xlwings delivers ranges as lists of rows (ndim=2), datetimes for date cells, None for blanks
    opened = [[T0], [T0], [T0]]
    resolved = [[at(2)], [at(4)], [None]]
    assert call(REGISTRY["AVG_RESOLUTION_TIME"], (opened, resolved, None)) == 3.0  # hand: (2 + 4) / 2
    assert call(REGISTRY["AVG_RESOLUTION_TIME"], (opened, resolved, [["minutes"]])) == 180.0
    assert call(REGISTRY["RESOLUTION_TIME_PERCENTILE"], (opened, resolved, None, None)) == 3.0
    assert call(REGISTRY["SLA_COMPLIANCE"], (opened, resolved, [[3.0]], None)) == 0.5  # 2 h met, 4 h not
    assert call(REGISTRY["COMPLAINTS"], ([["open"], ["Open"], [None], ["closed"]], [["OPEN"]])) == 2.0
    with pytest.raises(InvalidInput, match="resolved_at .*row 1"):
        call(REGISTRY["AVG_RESOLUTION_TIME"], ([[T0]], [[at(-1)]], None))


@given(st.lists(st.sampled_from(["Pending", "pending ", "Resolved", "ESCALATED", "بسته", "بسته ", None, ""]),
                max_size=40))
def test_complaint_counts_by_status_add_up(statuses):
    """COMPLAINTS(statuses) = sum over distinct statuses of COMPLAINTS(statuses, status)."""
    distinct = {s.strip().lower() for s in statuses if s and s.strip()}
    assert sum(complaints(statuses, s) for s in distinct) == complaints(statuses)
    assert complaints(statuses) == sum(1 for s in statuses if s and s.strip())  # hand: non-blank cells
