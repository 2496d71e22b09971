"""Business hours (issue 15): schedules, presets, holidays and vectorised durations.

Every duration of xl_cskpi.business_time.durations is checked against references written plainly
here, one ticket at a time:

* ``walk`` -- interval walking: for each local day from the start's to the end's, each working
  interval of that weekday (none on a holiday, taken from the ``holidays`` package directly) is
  turned into UTC instants with ``zoneinfo`` and its overlap with the ticket is added;
* ``minutes`` -- minute by minute: every minute of the ticket (stepping in UTC) is converted to the
  schedule's local time and counted when its local day is a working day and its local time of day
  lies inside a working interval;
* ``businesstimedelta`` (a published library) where it applies: zones without DST in the period.
"""

from __future__ import annotations

import datetime as dt
import functools
import zlib
import zoneinfo

import holidays as holidays_pkg
import numpy as np
import pandas as pd
import pytest

from xl_cskpi import business_time as bh
from xl_cskpi.errors import InvalidInput

UTC = dt.timezone.utc


# --------------------------------------------------------------------------- references

@functools.lru_cache(maxsize=None)
def _country_days(country: str) -> frozenset:
    return frozenset(holidays_pkg.country_holidays(country, years=range(2019, 2028)).keys())


def _days_off(schedule: bh.Schedule, years=None) -> set:
    off = {d for d in np.asarray(schedule.dates, dtype="datetime64[D]").astype(object)}
    if schedule.country:
        off |= _country_days(schedule.country)
    return off


def _utc(naive: dt.datetime, tz: str) -> dt.datetime:
    # fold=0: a time the clocks repeat is read as its first occurrence, and a time the clocks skip is
    # the first minute that exists after it (as the module documents: 02:30 on 31 March in Berlin is
    # 03:00): step forward until the wall-clock time round-trips
    z = zoneinfo.ZoneInfo(tz)
    while naive.replace(tzinfo=z, fold=0).astimezone(UTC).astimezone(z).replace(tzinfo=None) != naive:
        naive = (naive + dt.timedelta(minutes=1)).replace(second=0)
    return naive.replace(tzinfo=z, fold=0).astimezone(UTC)


def walk(start: dt.datetime, end: dt.datetime, schedule: bh.Schedule) -> float:
    """Business seconds by walking the local days (see the module docstring)."""
    a, b = _utc(start, schedule.tz), _utc(end, schedule.tz)
    off = _days_off(schedule, range(start.year - 1, end.year + 2))
    total = 0.0
    day = start.date() - dt.timedelta(days=1)
    while day <= end.date() + dt.timedelta(days=1):
        if day not in off:
            midnight = dt.datetime.combine(day, dt.time())
            for s, e in schedule.week[day.weekday()]:
                lo = _utc(midnight + dt.timedelta(seconds=s), schedule.tz)
                hi = _utc(midnight + dt.timedelta(seconds=e), schedule.tz)
                total += max(0.0, (min(hi, b) - max(lo, a)).total_seconds())
        day += dt.timedelta(days=1)
    return total


def minutes(start: dt.datetime, end: dt.datetime, schedule: bh.Schedule) -> float:
    """Business seconds by counting minutes (start and end on whole minutes)."""
    tz = zoneinfo.ZoneInfo(schedule.tz)
    off = _days_off(schedule, range(start.year - 1, end.year + 2))
    t, b = _utc(start, schedule.tz), _utc(end, schedule.tz)
    count = 0
    while t < b:
        local = t.astimezone(tz)
        if local.date() not in off:
            sec = local.hour * 3600 + local.minute * 60
            if any(s <= sec < e for s, e in schedule.week[local.weekday()]):
                count += 1
        t += dt.timedelta(minutes=1)
    return count * 60.0


def _nonexistent(naive: dt.datetime, tz: str) -> bool:
    """A wall-clock time the clocks skip (spring forward): it does not round-trip."""
    z = zoneinfo.ZoneInfo(tz)
    return naive.replace(tzinfo=z, fold=0).astimezone(UTC).astimezone(z).replace(tzinfo=None) != naive


def _random_tickets(rng, n, tz, first="2021-01-01", days=4 * 365, max_hours=24 * 12, whole_minutes=False):
    base = np.datetime64(first, "s")
    unit = 60 if whole_minutes else 1
    start = base + (rng.integers(0, days * 86400 // unit, n) * unit).astype("timedelta64[s]")
    length = (rng.integers(0, max_hours * 3600 // unit, n) * unit).astype("timedelta64[s]")
    # a few tickets opened and closed within the same minute, and some exactly on interval edges
    length[: n // 50] = 0
    start[n // 50: n // 25] = start[n // 50: n // 25].astype("datetime64[h]").astype("datetime64[s]")
    end = start + length
    s = start.astype(dt.datetime).tolist()
    e = end.astype(dt.datetime).tolist()
    keep = [i for i in range(n) if not (_nonexistent(s[i], tz) or _nonexistent(e[i], tz))]
    return [s[i] for i in keep], [e[i] for i in keep]


SCHEDULES = {
    "iran": bh.preset("iran"),
    "saudi": bh.preset("saudi"),
    "uae": bh.preset("uae"),
    "egypt": bh.preset("egypt"),                                  # Africa/Cairo: DST again since 2023
    "western": bh.preset("western"),
    "24x7 Berlin": bh.parse_schedule("24x7 Europe/Berlin"),       # DST: 23- and 25-hour days
    "berlin lunch": bh.parse_schedule("Mon-Fri 08:00-12:00, 13:00-16:30 Europe/Berlin holidays=DE"),
    "tehran custom": bh.parse_schedule("Sat-Wed 08:00-12:00, 13:00-16:00; Thu 08:00-12:00 Asia/Tehran holidays=IR")
    .with_holidays(np.array(["2024-04-02", "2022-06-01"], dtype="datetime64[D]")),
    "new york": bh.parse_schedule("Mon-Fri 09:00-17:00 America/New_York holidays=US"),
    "night edge": bh.parse_schedule("Mon-Sun 00:00-02:30, 22:00-24:00 Europe/Berlin"),  # hours inside DST changes
}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_durations_equal_interval_walking_on_random_tickets(name):
    # 1,200 random tickets per schedule x 10 schedules = 12,000 tickets (issue 15: at least 10,000),
    # 2021-2024 (Tehran had DST until 2022), up to 12 days long: weekends, holidays, DST days
    schedule = SCHEDULES[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))      # a stable seed per schedule
    s, e = _random_tickets(rng, 1200, schedule.tz)
    got = bh.durations(np.array(s, dtype="datetime64[ns]"), np.array(e, dtype="datetime64[ns]"), schedule)
    want = np.array([walk(a, b, schedule) for a, b in zip(s, e)])
    assert len(s) > 1150
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)
    assert (got > 0).any() and (got < np.array([(b - a).total_seconds() for a, b in zip(s, e)])).any()


@pytest.mark.parametrize("name", ["iran", "24x7 Berlin", "berlin lunch", "egypt", "night edge"])
def test_durations_equal_minute_by_minute_counting(name):
    # 150 tickets per schedule of up to 2 days, on whole minutes, around DST changes and Nowruz
    schedule = SCHEDULES[name]
    rng = np.random.default_rng(7)
    firsts = {"iran": "2024-03-15", "egypt": "2024-04-20", "24x7 Berlin": "2024-03-28",
              "berlin lunch": "2024-10-24", "night edge": "2024-03-29"}
    s, e = _random_tickets(rng, 150, schedule.tz, first=firsts[name], days=8, max_hours=48, whole_minutes=True)
    got = bh.durations(np.array(s, dtype="datetime64[ns]"), np.array(e, dtype="datetime64[ns]"), schedule)
    want = np.array([minutes(a, b, schedule) for a, b in zip(s, e)])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


@pytest.mark.parametrize("name,start,first_year", [("iran", "2023-01-01", 2023), ("saudi", "2021-01-01", 2021),
                                                   ("uae", "2022-01-01", 2022), ("western", "2021-01-01", 2021)])
def test_durations_equal_businesstimedelta(name, start, first_year):
    """businesstimedelta (pypi) computes on naive times with WorkDayRule/HolidayRule: it applies to
    zones without DST in the period (Tehran from 2023, Riyadh, Dubai, UTC)."""
    import businesstimedelta as btd

    schedule = SCHEDULES[name]
    rules = []
    by_hours: dict = {}
    for d, spans in enumerate(schedule.week):
        for s, e in spans:
            by_hours.setdefault((s, e), []).append(d)
    for (s, e), days in by_hours.items():
        rules.append(btd.WorkDayRule(start_time=dt.time(s // 3600, s % 3600 // 60),
                                     end_time=dt.time(e // 3600, e % 3600 // 60), working_days=days))
    if schedule.country:
        rules.append(btd.HolidayRule(holidays_pkg.country_holidays(schedule.country,
                                                                   years=range(first_year, first_year + 3))))
    ruleset = btd.Rules(rules)
    rng = np.random.default_rng(11)
    s, e = _random_tickets(rng, 400, "UTC", first=start, days=700, max_hours=24 * 9)
    got = bh.durations(np.array(s, dtype="datetime64[ns]"), np.array(e, dtype="datetime64[ns]"), schedule)
    want = []
    for a, b in zip(s, e):
        diff = ruleset.difference(a, b)
        want.append(diff.hours * 3600 + diff.seconds)
    np.testing.assert_allclose(got, np.array(want, dtype=float), rtol=0, atol=1e-6)


# --------------------------------------------------------------------------- hand-worked examples


def hours(start, end, schedule, **kw):
    return bh.durations(np.array([start], dtype="datetime64[ns]"), np.array([end], dtype="datetime64[ns]"),
                        schedule, **kw)[0] / 3600


def test_zendesk_friday_evening_example():
    # Zendesk Customer Care, "SLA badge to calculate in Business hours" (support.zendesk.com/hc/es/
    # community/posts/4408868203034): at 4 pm on a Friday a 2-hour business-hours target on a weekday
    # 9-5 schedule is due at 10 am on Monday: Friday 16:00-17:00 + Monday 09:00-10:00 = 2 h
    fri, mon = dt.datetime(2024, 6, 7, 16), dt.datetime(2024, 6, 10, 10)
    assert hours(fri, mon, "western") == 2.0
    # ... and a minute earlier on Monday, the target is not yet reached
    assert hours(fri, mon - dt.timedelta(minutes=1), "western") == pytest.approx(2 - 1 / 60)


def test_freshdesk_friday_evening_example():
    # Freshdesk, "What are business hours and calendar hours?" (support.freshdesk.com/support/solutions/
    # articles/37627): a ticket due in six hours on a Friday evening can wait until Monday morning on
    # business hours; in calendar hours it is due that night. Friday 17:00 -> Monday 15:00 is 6
    # business hours on Mon-Fri 09:00-17:00, 70 calendar hours.
    fri, mon = dt.datetime(2024, 6, 7, 17), dt.datetime(2024, 6, 10, 15)
    assert hours(fri, mon, "western") == 6.0
    assert hours(fri, mon, "24x7") == 70.0


def test_ticket_spanning_nowruz_on_the_iranian_week():
    # 1403: Nowruz 1-4 Farvardin = 20-23 March 2024, and 29 Esfand (19 March) is Oil Nationalization
    # Day: all holidays (holidays package, IR). Opened Monday 18 March 15:00, solved Sunday 24 March
    # 09:00 -> Monday 15:00-16:00 + Sunday 08:00-09:00 = 2 h; 20-23 March would be 4 working days.
    assert hours(dt.datetime(2024, 3, 18, 15), dt.datetime(2024, 3, 24, 9), "iran") == 2.0
    # Thursday is a half day (08:00-12:00), Friday off: Wed 15:00 -> Sat 09:00 = 1 + 4 + 1 = 6 h
    assert hours(dt.datetime(2024, 5, 8, 15), dt.datetime(2024, 5, 11, 9), "iran") == 6.0


def test_saudi_week_and_eid():
    # Sunday-Thursday; Friday and Saturday off: Thu 15:00 -> Sun 09:00 = 1 + 1 = 2 h
    assert hours(dt.datetime(2024, 5, 2, 15), dt.datetime(2024, 5, 5, 9), "saudi") == 2.0
    # Eid al-Adha 2024 holidays in SA (15-19 June, holidays package): Thu 13 June 15:00 -> Thu 20 June 09:00
    # = Thu 1 h + Thu 20 June 1 h (16-19 June are holidays; 15 June is a Saturday)
    assert hours(dt.datetime(2024, 6, 13, 15), dt.datetime(2024, 6, 20, 9), "saudi") == 2.0


def test_dst_days_in_berlin():
    berlin = SCHEDULES["24x7 Berlin"]
    # 31 March 2024: clocks go from 02:00 to 03:00 -> the local day has 23 hours
    assert hours(dt.datetime(2024, 3, 31), dt.datetime(2024, 4, 1), berlin) == 23.0
    # 27 October 2024: 03:00 back to 02:00 -> 25 hours
    assert hours(dt.datetime(2024, 10, 27), dt.datetime(2024, 10, 28), berlin) == 25.0
    # a time in the skipped hour is moved to 03:00 (pandas shift_forward): 02:30 -> 04:00 is 1 h
    assert hours(dt.datetime(2024, 3, 31, 2, 30), dt.datetime(2024, 3, 31, 4), berlin) == 1.0
    # a time in the repeated hour is its first occurrence (summer time): 02:30 -> 03:30 is 2 h
    assert hours(dt.datetime(2024, 10, 27, 2, 30), dt.datetime(2024, 10, 27, 3, 30), berlin) == 2.0
    # working hours 09:00-17:00 are 8 h on a DST day too
    assert hours(dt.datetime(2024, 3, 29, 12), dt.datetime(2024, 4, 2, 12), "western Europe/Berlin") == 5 + 8 + 3


def test_tehran_dropped_dst_in_2022():
    # Iran observed DST until September 2022 (tzdata): 22 March 2022 had 23 hours, 22 March 2023 has 24
    tehran = bh.parse_schedule("24x7 Asia/Tehran")
    assert hours(dt.datetime(2022, 3, 22), dt.datetime(2022, 3, 23), tehran) == 23.0
    assert hours(dt.datetime(2023, 3, 22), dt.datetime(2023, 3, 23), tehran) == 24.0


def test_outside_hours_lunch_break_and_weekends():
    s = bh.parse_schedule("Mon-Fri 08:00-12:00, 13:00-16:30")
    assert hours(dt.datetime(2024, 6, 3, 18), dt.datetime(2024, 6, 3, 23), s) == 0.0      # after hours
    assert hours(dt.datetime(2024, 6, 8, 10), dt.datetime(2024, 6, 9, 15), s) == 0.0      # weekend
    assert hours(dt.datetime(2024, 6, 3, 11), dt.datetime(2024, 6, 3, 14), s) == 2.0      # 11-12 + 13-14
    assert hours(dt.datetime(2024, 6, 3, 12, 15), dt.datetime(2024, 6, 3, 12, 45), s) == 0.0  # at lunch
    assert hours(dt.datetime(2024, 6, 7, 16), dt.datetime(2024, 6, 10, 9), s) == 1.5      # Fri 16-16:30, Mon 8-9


def test_aware_timestamps_are_converted_to_the_zone():
    # 06:00 UTC = 09:30 in Tehran; 13:00 UTC = 16:30 in Tehran (Asia/Tehran is UTC+03:30 since 2023)
    s = pd.Series(pd.to_datetime(["2024-05-11 06:00"]).tz_localize("UTC"))
    e = pd.Series(pd.to_datetime(["2024-05-11 13:00"]).tz_localize("UTC"))
    assert bh.durations(s, e, "iran")[0] / 3600 == 6.5   # Saturday 09:30-16:00
    # naive ones are local: 06:00-13:00 Tehran time = 08:00-13:00 = 5 h
    assert hours(dt.datetime(2024, 5, 11, 6), dt.datetime(2024, 5, 11, 13), "iran") == 5.0


def test_blanks_open_tickets_and_as_of():
    s = np.array(["2024-06-03T09:00", "NaT", "2024-06-03T10:00"], dtype="datetime64[ns]")
    e = np.array(["2024-06-03T11:00", "2024-06-03T12:00", "NaT"], dtype="datetime64[ns]")
    out = bh.durations(s, e, "western") / 3600
    assert out[0] == 2.0 and np.isnan(out[1]) and np.isnan(out[2])
    out = bh.durations(s, e, "western", as_of=dt.datetime(2024, 6, 4, 10)) / 3600
    assert out[2] == 7 + 1        # open: Monday 10:00-17:00 + Tuesday 09:00-10:00


def test_resolved_before_opened_names_the_row():
    s = np.array(["2024-06-03T09:00", "2024-06-03T12:00"], dtype="datetime64[ns]")
    e = np.array(["2024-06-03T10:00", "2024-06-03T11:00"], dtype="datetime64[ns]")
    with pytest.raises(InvalidInput, match="row 2"):
        bh.durations(s, e, "iran", start_arg="opened_at", end_arg="resolved_at")


# --------------------------------------------------------------------------- schedules from text and cells


def test_presets_are_the_documented_weeks():
    hours_per_day = {name: [sum(e - s for s, e in spans) / 3600 for spans in bh.preset(name).week]
                     for name in ("iran", "saudi", "uae", "egypt", "western")}
    #                   Mon Tue Wed Thu Fri Sat Sun
    assert hours_per_day["iran"] == [8, 8, 8, 4, 0, 8, 8]
    assert hours_per_day["saudi"] == [8, 8, 8, 8, 0, 0, 8]
    assert hours_per_day["uae"] == [8, 8, 8, 8, 4.5, 0, 0]
    assert hours_per_day["egypt"] == [8, 8, 8, 8, 0, 0, 8]
    assert hours_per_day["western"] == [8, 8, 8, 8, 8, 0, 0]
    assert bh.preset("24x7").weekly_seconds == 7 * 86400
    assert (bh.preset("iran").tz, bh.preset("iran").country) == ("Asia/Tehran", "IR")
    assert bh.preset("jalali") is bh.preset("iran") and bh.preset("HIJRI") is bh.preset("saudi")


def test_schedule_text_in_persian_and_arabic_day_names():
    fa = bh.parse_schedule("شنبه تا چهارشنبه ۰۸:۰۰-۱۶:۰۰؛ پنجشنبه 08:00-12:00")
    assert fa.week == bh.preset("iran").week
    ar = bh.parse_schedule("الأحد-الخميس 08:00-16:00")
    assert ar.week == bh.preset("saudi").week


def test_schedule_from_a_sheet_table_with_header_and_times_as_fractions():
    table = [["weekday", "from", "to"], ["Sat", 1 / 3, 0.5], ["Sat", 13 / 24, 16.5 / 24], [None, None, None],
             ["Thu", dt.time(8), dt.time(12)], [7, "09:00", "24:00"]]
    s = bh.schedule_from_cells(table)
    assert s.week[5] == ((8 * 3600, 12 * 3600), (13 * 3600, 16 * 3600 + 1800))
    assert s.week[3] == ((8 * 3600, 12 * 3600),)
    assert s.week[6] == ((9 * 3600, 86400),)       # ISO 7 = Sunday, "24:00" = end of day


def test_holiday_cells_gregorian_jalali_and_country():
    s = bh.with_holiday_cells(bh.preset("western"), [["2024-06-05"], ["DE"]])
    assert s.country == "DE" and np.datetime64("2024-06-05") in np.asarray(s.dates, dtype="datetime64[D]")
    # Jalali text on the Iranian schedule: 1403/03/16 = 5 June 2024
    j = bh.with_holiday_cells(bh.preset("iran"), ["1403/03/16, ۱۴۰۳/۰۳/۱۷"])
    assert set(np.asarray(j.dates, dtype="datetime64[D]").astype(str)) == {"2024-06-05", "2024-06-06"}
    assert hours(dt.datetime(2024, 6, 5, 9), dt.datetime(2024, 6, 6, 9), j) == 0.0   # Wed and Thu off
    assert bh.with_holiday_cells(bh.preset("iran"), "none").country is None


@pytest.mark.parametrize("bad,match", [
    ("Mon-Fri 17:00-09:00", "end before they start"),
    ("Mon-Fri 09:00-12:00, 11:00-15:00", "overlapping"),
    ("Mon-Fri 25:00-26:00", "hours 0-24"),
    ("Funday 09:00-17:00", "weekday"),
    ("Mon-Fri 09:00-17:00 Mars/Olympus", "IANA"),
    ("Mon-Fri", "without hours"),
    ("lunar", "not a preset|without hours"),
])
def test_bad_schedules_say_what_to_write(bad, match):
    with pytest.raises(InvalidInput, match=match):
        s = bh.parse_schedule(bad)
        bh.durations(np.array(["2024-06-03"], dtype="datetime64[ns]"), np.array(["2024-06-04"], dtype="datetime64[ns]"), s)


def test_unknown_holiday_country():
    with pytest.raises(InvalidInput, match="holidays package"):
        hours(dt.datetime(2024, 6, 3), dt.datetime(2024, 6, 4), bh.parse_schedule("western holidays=QQ"))


def test_schedule_argument_blank_false_true():
    assert bh.schedule_argument(None) is None and bh.schedule_argument([[None]]) is None
    assert bh.schedule_argument(False) is None
    with pytest.raises(InvalidInput, match="name the schedule"):
        bh.schedule_argument(True)
    with pytest.raises(InvalidInput, match="holidays are given"):
        bh.schedule_argument(None, ["2024-06-05"])


def test_schedule_from_a_two_column_table_of_days_and_hours():
    s = bh.schedule_from_cells([["days", "hours"], ["Sat-Wed", "08:00-16:00"], ["Thu", "08:00-12:00"]], preset="iran")
    assert s.week == bh.preset("iran").week and (s.tz, s.country) == ("Asia/Tehran", "IR")
    with pytest.raises(InvalidInput, match="incomplete"):
        bh.schedule_from_cells([["Sat", None], ["Sun", "09:00-17:00"]])


def test_local_calendar_holidays_follow_the_zone_or_say_what_to_do():
    # 1445/09/28 (Umm al-Qura) = Sunday 7 April 2024; Eid al-Fitr holidays SA 9-12 April: Sun 15:00 -> Wed 09:00
    # is Monday alone = 8 h on a Riyadh schedule written as text
    riyadh = bh.with_holiday_cells(bh.parse_schedule("Sun-Thu 08:00-16:00 Asia/Riyadh holidays=SA"), ["1445/09/28"])
    assert riyadh.calendar == "hijri"
    assert hours(dt.datetime(2024, 4, 7, 15), dt.datetime(2024, 4, 10, 9), riyadh) == 8.0
    with pytest.raises(InvalidInput, match="calendar is Gregorian; use a preset of that calendar"):
        bh.with_holiday_cells(bh.preset("western"), ["1403/01/05"])


@pytest.mark.parametrize("first", ["2022-03-20", "2022-09-20"])
def test_tehran_midnight_clock_changes_minute_by_minute(first):
    # Iran changed its clocks at midnight until 2022 (22 March 00:00 -> 01:00; 22 September 00:00 -> 23:00 the
    # day before): working hours around midnight, 120 tickets over those days, counted minute by minute
    schedule = bh.parse_schedule("Mon-Sun 00:00-02:00, 22:00-24:00 Asia/Tehran")
    rng = np.random.default_rng(22)
    s, e = _random_tickets(rng, 120, schedule.tz, first=first, days=4, max_hours=40, whole_minutes=True)
    got = bh.durations(np.array(s, dtype="datetime64[ns]"), np.array(e, dtype="datetime64[ns]"), schedule)
    want = np.array([minutes(a, b, schedule) for a, b in zip(s, e)])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)
