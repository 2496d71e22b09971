"""Calendar engine (xl_cskpi.calendars) and the Excel calendar functions."""

import datetime as dt

import jdatetime
import numpy as np
import pytest
from hijridate import Gregorian
from hypothesis import given
from hypothesis import strategies as st

from xl_cskpi import calendars as cal
from xl_cskpi.errors import InvalidInput, NotAvailable


def d64(*isos):
    return np.array(isos, dtype="datetime64[ns]")


# --------------------------------------------------------------------------- known dates


def test_nowruz_1403():
    # Iran's official calendar (Institute of Geophysics, University of Tehran): Nowruz 1403 = 20 March 2024
    assert cal.period_labels(d64("2024-03-20"), "day", "jalali").tolist() == ["1403-01-01"]
    assert cal.period_labels(d64("2024-03-19"), "day", "jalali").tolist() == ["1402-12-29"]


def test_1403_is_a_leap_year_ending_on_the_30th_of_esfand():
    # Iran's official calendar: 1403 is a leap year; 30 Esfand 1403 = 20 March 2025, Nowruz 1404 = 21 March 2025
    assert cal.period_labels(d64("2025-03-20", "2025-03-21"), "day", "jalali").tolist() == [
        "1403-12-30", "1404-01-01"]


def test_first_of_shahrivar_1403():
    # time.ir: 1 Shahrivar 1403 = 22 August 2024 (and 31 Mordad = 21 August)
    assert cal.period_labels(d64("2024-08-21", "2024-08-22"), "day", "jalali").tolist() == [
        "1403-05-31", "1403-06-01"]
    assert cal.period_labels(d64("2024-09-01"), "day", "jalali").tolist() == ["1403-06-11"]


def test_first_of_muharram_1446_umm_al_qura():
    # Umm al-Qura calendar (ummulqura.org.sa): 1 Muharram 1446 = 7 July 2024
    assert cal.period_labels(d64("2024-07-06", "2024-07-07"), "day", "hijri").tolist() == [
        "1445-12-30", "1446-01-01"]


def test_ramadan_1445_began_on_11_march_2024():
    # Saudi Supreme Court announcement / Umm al-Qura: 1 Ramadan 1445 = 11 March 2024 (Sha'ban had 29 days)
    assert cal.period_labels(d64("2024-03-10", "2024-03-11"), "day", "hijri").tolist() == [
        "1445-08-29", "1445-09-01"]
    assert cal.period_labels(d64("2024-03-11"), "month", "hijri").tolist() == ["1445-09"]


def test_month_and_quarter_ordinals_follow_the_formula():
    d = d64("2024-09-01")
    # hand calculation: 1403-06 -> 1403 * 12 + 5; 2024-09 -> 2024 * 12 + 8; 1446-02 -> 1446 * 12 + 1
    assert cal.period_ordinals(d, "month", "jalali")[0] == 1403 * 12 + 5
    assert cal.period_ordinals(d, "month", "gregorian")[0] == 2024 * 12 + 8
    assert cal.period_ordinals(d, "month", "hijri")[0] == 1446 * 12 + 1
    # quarters: Shahrivar is month 6 -> Q2; September -> Q3; Safar -> Q1
    assert cal.period_labels(d, "quarter", "jalali").tolist() == ["1403-Q2"]
    assert cal.period_labels(d, "quarter", "gregorian").tolist() == ["2024-Q3"]
    assert cal.period_labels(d, "quarter", "hijri").tolist() == ["1446-Q1"]


def test_day_ordinal_is_days_since_1970_in_every_calendar():
    # hand calculation: 2024-09-01 is 19,967 days after 1970-01-01
    for c in cal.CALENDARS:
        assert cal.period_ordinals(d64("2024-09-01T23:59"), "day", c).tolist() == [19967]
        assert cal.period_ordinals(d64("1970-01-01"), "day", c if c != "hijri" else "gregorian").tolist() == [0]


def test_iso_weeks():
    # ISO 8601: 2024-09-01 (a Sunday) is in 2024-W35, 2024-09-02 (Monday) starts W36;
    # 2024-12-30 is in 2025-W01; 2021-01-03 is in 2020-W53
    got = cal.period_labels(d64("2024-09-01", "2024-09-02", "2024-12-30", "2021-01-03"), "week")
    assert got.tolist() == ["2024-W35", "2024-W36", "2025-W01", "2020-W53"]
    assert (dt.date(2024, 12, 30).isocalendar()[:2]) == (2025, 1)  # the standard library agrees


def test_saturday_weeks_for_jalali_and_hijri():
    # 2024-08-30 is a Friday, 2024-08-31 a Saturday: a new Persian week starts on Saturday
    o = cal.period_ordinals(d64("2024-08-30", "2024-08-31", "2024-09-06"), "week", "jalali")
    assert o[1] == o[0] + 1 and o[2] == o[1]
    # hand calculation: 1 Farvardin 1404 = Friday 21 March 2025; its week's Tuesday (18 March) is in 1403,
    # so it is 1403's last week. 1403 began on Wednesday 20 March 2024; its first Tuesday is 26 March, in
    # the week of Saturday 23 March = W01; Saturday 15 March 2025 is 357 days = 51 weeks later: W52.
    # The next Saturday (22 March 2025) starts 1404-W01 (first week with 4+ days in the new year).
    got = cal.period_labels(d64("2024-03-22", "2024-03-23", "2025-03-21", "2025-03-22"), "week", "jalali")
    assert got.tolist() == ["1402-W53", "1403-W01", "1403-W52", "1404-W01"]


def test_sparse_and_dense_ordinals_label_alike():
    # far-apart days (a sorted np.unique) and a dense run (a bincount) must give the same labels
    sparse = cal.ordinal_labels([19967, 0, 19967, -36500], "day", "jalali").tolist()
    dense = cal.ordinal_labels([19967, 19968, 19967], "day", "jalali").tolist()
    # jdatetime: 1970-01-01 = 1348-10-11; day -36500 = 1870-01-25 = 1248-11-05 (the library is the oracle)
    assert sparse == ["1403-06-11", "1348-10-11", "1403-06-11",
                      jdatetime.date.fromgregorian(date=dt.date(1970, 1, 1) - dt.timedelta(days=36500))
                      .strftime("%Y-%m-%d")]
    assert dense == ["1403-06-11", "1403-06-12", "1403-06-11"]


def test_nat_gets_the_sentinel_and_no_label():
    o = cal.period_ordinals(d64("NaT", "2024-09-01"), "month", "jalali")
    assert o[0] == cal.NAT_ORDINAL == np.iinfo(np.int64).min
    assert cal.ordinal_labels(o, "month", "jalali").tolist() == [None, "1403-06"]
    assert cal.period_ordinals(d64(), "month", "hijri").tolist() == []
    assert cal.period_labels(d64("NaT"), "week", "hijri").tolist() == [None]


# --------------------------------------------------------------------------- agreement with the libraries


DECADE = np.arange(np.datetime64("2018-01-01"), np.datetime64("2029-01-01")).astype("datetime64[ns]")
DECADE_DATES = [dt.date(2018, 1, 1) + dt.timedelta(days=i) for i in range(len(DECADE))]


def test_jalali_agrees_with_jdatetime_every_day_2018_2028():
    labels = cal.period_labels(DECADE, "day", "jalali")
    months = cal.period_ordinals(DECADE, "month", "jalali")
    expected = [jdatetime.date.fromgregorian(date=g) for g in DECADE_DATES]
    assert labels.tolist() == [f"{j.year:04d}-{j.month:02d}-{j.day:02d}" for j in expected]
    assert months.tolist() == [j.year * 12 + j.month - 1 for j in expected]


def test_hijri_agrees_with_hijridate_every_day_2018_2028():
    labels = cal.period_labels(DECADE, "day", "hijri")
    months = cal.period_ordinals(DECADE, "month", "hijri")
    expected = [Gregorian(g.year, g.month, g.day).to_hijri() for g in DECADE_DATES]
    assert labels.tolist() == [f"{h.year:04d}-{h.month:02d}-{h.day:02d}" for h in expected]
    assert months.tolist() == [h.year * 12 + h.month - 1 for h in expected]


def test_gregorian_agrees_with_the_standard_library():
    assert cal.period_labels(DECADE, "day").tolist() == [g.isoformat() for g in DECADE_DATES]
    iso = [g.isocalendar() for g in DECADE_DATES]
    assert cal.period_labels(DECADE, "week").tolist() == [f"{y:04d}-W{w:02d}" for y, w, _ in iso]


def test_shuffled_and_repeated_dates_give_the_same_answer_as_sorted():
    rng = np.random.default_rng(7)
    idx = rng.integers(0, len(DECADE), 5000)
    times = (rng.integers(0, 86_400, 5000) * 10**9).astype("timedelta64[ns]")
    d = DECADE[idx] + times
    for c in cal.CALENDARS:
        for p in cal.PERIODS:
            assert (cal.period_labels(d, p, c) == cal.period_labels(DECADE, p, c)[idx]).all(), (c, p)


# --------------------------------------------------------------------------- round trips and order


@pytest.mark.parametrize("calendar", cal.CALENDARS)
@pytest.mark.parametrize("period", cal.PERIODS)
def test_labels_parse_back_to_their_ordinals(period, calendar):
    o = np.unique(cal.period_ordinals(DECADE, period, calendar))
    labels = cal.ordinal_labels(o, period, calendar)
    assert cal.label_ordinals(labels, period, calendar).tolist() == o.tolist()


@pytest.mark.parametrize("calendar", cal.CALENDARS)
@pytest.mark.parametrize("period", cal.PERIODS)
def test_labels_sort_like_ordinals_and_are_consecutive(period, calendar):
    o = np.unique(cal.period_ordinals(DECADE, period, calendar))
    assert (np.diff(o) == 1).all()  # every period of the decade, none skipped
    labels = cal.ordinal_labels(o, period, calendar).tolist()
    assert labels == sorted(labels)
    assert len(set(labels)) == len(labels)


@given(st.dates(min_value=dt.date(1925, 1, 1), max_value=dt.date(2077, 1, 1)),
       st.sampled_from(cal.CALENDARS), st.sampled_from(cal.PERIODS))
def test_a_date_lies_in_its_period_and_order_is_kept(day, calendar, period):
    d = d64(day.isoformat(), (day + dt.timedelta(days=1)).isoformat())
    o = cal.period_ordinals(d, period, calendar)
    assert o[1] - o[0] in (0, 1)
    back = cal.label_ordinals(cal.ordinal_labels(o, period, calendar), period, calendar)
    assert back.tolist() == o.tolist()


@pytest.mark.parametrize("calendar", cal.CALENDARS)
@pytest.mark.parametrize("period", cal.PERIODS)
def test_period_start_dates_open_their_periods(period, calendar):
    o = np.unique(cal.period_ordinals(DECADE, period, calendar))
    starts = cal.period_start_dates(o, period, calendar)
    assert cal.period_ordinals(starts, period, calendar).tolist() == o.tolist()
    day_before = starts - np.timedelta64(1, "D")
    assert (cal.period_ordinals(day_before, period, calendar) == o - 1).all()


def test_period_start_dates_known_values_and_blanks():
    # time.ir: 1 Shahrivar 1403 = 22 August 2024; Umm al-Qura: 1 Muharram 1446 = 7 July 2024
    got = cal.period_start_dates([1403 * 12 + 5, cal.NAT_ORDINAL], "month", "jalali")
    assert got.astype("datetime64[D]").astype(str).tolist() == ["2024-08-22", "NaT"]
    got = cal.period_start_dates([1446 * 12], "month", "hijri")
    assert got.astype("datetime64[D]").astype(str).tolist() == ["2024-07-07"]
    # ISO 2024-W36 starts on Monday 2 September; the Saturday week holding 1 Sep 2024 starts 31 August
    w = cal.period_ordinals(d64("2024-09-02"), "week")
    assert str(cal.period_start_dates(w, "week")[0])[:10] == "2024-09-02"
    w = cal.period_ordinals(d64("2024-09-01"), "week", "jalali")
    assert str(cal.period_start_dates(w, "week", "jalali")[0])[:10] == "2024-08-31"


# --------------------------------------------------------------------------- parsing labels


def test_label_spellings():
    # hand calculation: 2024-09 -> 2024 * 12 + 8 = 24296; 1403-06 -> 16841
    got = cal.label_ordinals(["2024-09", "2024/9", " 2024-9 ", "۱۴۰۳-۰۶", "١٤٠٣/٦", None, "", np.nan])
    assert got.tolist() == [24296, 24296, 24296, 16841, 16841] + [cal.NAT_ORDINAL] * 3
    assert cal.label_ordinals("1403-Q2", "quarter").tolist() == [1403 * 4 + 1]
    assert cal.label_ordinals(["2024Q3", "2024 q3"], "quarter").tolist() == [2024 * 4 + 2] * 2
    assert cal.label_ordinals(["۱۴۰۳/۰۶/۱۱"], "day", "jalali").tolist() == [19967]
    # xlwings shape: rows of cells, read row-major; a ragged row ends in blank cells (cells.flatten)
    assert cal.label_ordinals([["2024-09", "2024-10"], ["1403-06"]]).tolist() == [
        24296, 24297, 16841, cal.NAT_ORDINAL]


@pytest.mark.parametrize("bad", ["Sept 2024", "2024-13", "2024-00", "24-09", "2024-09-01", True, 45536.0])
def test_unreadable_month_labels_name_the_argument(bad):
    with pytest.raises(InvalidInput, match=r"^months has .* in cell 2, which is not a month label"):
        cal.label_ordinals(["2024-08", bad], "month", arg="months")


def test_impossible_days_and_weeks_are_invalid():
    with pytest.raises(InvalidInput, match="day 30 does not exist"):
        cal.label_ordinals(["1402-12-30"], "day", "jalali")  # 1402 is not a leap year
    assert cal.label_ordinals(["1403-12-30"], "day", "jalali").tolist() == [20167]  # 20 March 2025
    with pytest.raises(InvalidInput, match="week 53 does not exist"):
        cal.label_ordinals(["2024-W53"], "week")  # ISO 2024 has 52 weeks
    assert cal.label_ordinals(["2020-W53"], "week").tolist() == cal.period_ordinals(
        d64("2021-01-03"), "week").tolist()


def test_bad_period_and_calendar():
    with pytest.raises(InvalidInput, match='^period is .*"day", "week", "month", "quarter"'):
        cal.period_ordinals(d64("2024-09-01"), "year")
    with pytest.raises(InvalidInput, match="^calendar is 'persian'"):
        cal.period_labels(d64("2024-09-01"), "month", "persian")


# --------------------------------------------------------------------------- Hijri range


@pytest.mark.parametrize("period", cal.PERIODS)
def test_dates_outside_umm_al_qura_are_not_available(period):
    with pytest.raises(NotAvailable, match=r"^activity_dates has the date 1900-01-01, outside the Umm al-Qura"
                                           r".*1924-08-01 to 2077-11-16"):
        cal.period_labels(d64("2024-01-01", "1900-01-01"), period, "hijri", arg="activity_dates")
    with pytest.raises(NotAvailable, match="2077-11-17"):
        cal.period_ordinals(d64("2077-11-17"), "month", "hijri")
    # the edges themselves are fine: 1 Muharram 1343 and 30 Dhu al-Hijjah 1500
    assert cal.period_labels(d64("1924-08-01", "2077-11-16"), "day", "hijri").tolist() == [
        "1343-01-01", "1500-12-30"]


def test_a_hijri_week_straddling_the_first_day_of_the_table_is_not_available():
    # 1924-08-01 (1 Muharram 1343) is a Friday: its Saturday week's middle day (Tuesday 29 July) is in 1342 AH
    with pytest.raises(NotAvailable, match="week of 1924-07-26 to 1924-08-01, which belongs to a Hijri year"):
        cal.period_labels(d64("1924-08-01"), "week", "hijri")
    assert cal.period_labels(d64("1924-08-02"), "week", "hijri").tolist() == ["1343-W01"]


def test_hijri_labels_outside_the_range_are_not_available():
    with pytest.raises(NotAvailable, match="1501"):
        cal.label_ordinals(["1501-01-01"], "day", "hijri")


# --------------------------------------------------------------------------- speed


def test_a_million_rows_in_well_under_a_second():
    import time

    rng = np.random.default_rng(1)
    d = np.datetime64("2023-01-01", "ns") + (rng.integers(0, 500 * 86_400, 1_000_000) * 10**9).astype(
        "timedelta64[ns]")
    for c in cal.CALENDARS:
        t = time.perf_counter()
        labels = cal.period_labels(d, "month", c)
        assert time.perf_counter() - t < 1.0, c
        assert len(labels) == 1_000_000


# --------------------------------------------------------------------------- month names


def test_month_names_agree_with_the_libraries():
    from hijridate import locales

    # jdatetime's Persian and English Jalali month names
    assert cal.month_names("jalali", "fa") == tuple(jdatetime.date.j_months_fa)
    assert cal.month_names("jalali", "en") == tuple(jdatetime.date.j_months_en)
    # hijridate's names, except Rabi' II, which we spell ربيع الآخر as the Umm al-Qura calendar does
    lib_ar = locales.get_locale("ar").month_names
    ours = cal.month_names("hijri", "ar")
    assert [n for i, n in enumerate(ours) if i != 3] == [n for i, n in enumerate(lib_ar) if i != 3]
    assert ours[3] == "ربيع الآخر"
    assert cal.month_names("hijri", "en") == locales.get_locale("en").month_names
    assert cal.month_names("gregorian", "ar") == locales.get_locale("ar").gregorian_month_names


def test_month_name_lookups():
    # Iran's official calendar: month 1 Farvardin, month 12 Esfand; Gregorian months as written in Iran
    assert cal.month_name(1, "jalali", "fa") == "فروردین"
    assert cal.month_name(12, "jalali", "fa") == "اسفند"
    assert cal.month_name(1, "gregorian", "fa") == "ژانویه"
    assert cal.month_name(9, "hijri", "fa") == "رمضان"
    assert cal.month_name(12, "hijri", "ar") == "ذو الحجة"
    with pytest.raises(InvalidInput, match="^month is 13"):
        cal.month_name(13, "jalali", "fa")
    with pytest.raises(InvalidInput, match="^lang is 'de'"):
        cal.month_name(1, "jalali", "de")


# --------------------------------------------------------------------------- Excel functions

import xl_cskpi  # noqa: E402
from xl_cskpi.errors import KPIError  # noqa: E402

SEP_1_2024 = [45536, 45536.0, dt.date(2024, 9, 1), dt.datetime(2024, 9, 1, 17, 45), "2024-09-01",
              "۲۰۲۴-۰۹-۰۱", "2024/9/1", np.datetime64("2024-09-01"), [[45536.0]], "45536"]


@pytest.mark.parametrize("date", SEP_1_2024, ids=repr)
def test_one_date_in_every_shape(date):
    # 1 September 2024 = 11 Shahrivar 1403 (time.ir) = 28 Safar 1446 (Umm al-Qura); Excel serial 45536
    assert xl_cskpi.jalali_month(date) == "1403-06"
    assert xl_cskpi.jalali_date(date) == "1403/06/11"
    assert xl_cskpi.hijri_month(date) == "1446-02"
    assert xl_cskpi.jalali_month_name(date) == "شهریور ۱۴۰۳"
    assert xl_cskpi.hijri_month_name(date) == "صفر ١٤٤٦"
    assert xl_cskpi.period_label(date, "month", "jalali") == "1403-06"


def test_month_name_languages():
    d = "2024-09-01"
    assert xl_cskpi.jalali_month_name(d, "en") == "Shahrivar 1403"
    assert xl_cskpi.jalali_month_name(d, "AR") == "شهريور ١٤٠٣"
    assert xl_cskpi.jalali_month_name(d, None) == "شهریور ۱۴۰۳"  # blank lang: the default
    assert xl_cskpi.hijri_month_name(d, "fa") == "صفر ۱۴۴۶"
    assert xl_cskpi.hijri_month_name(d, "en") == "Safar 1446"
    with pytest.raises(KPIError, match=r'^JALALI_MONTH_NAME: lang is \'de\'; use one of: "fa", "ar", "en"'):
        xl_cskpi.jalali_month_name(d, "de")


def test_a_range_of_dates_gives_a_column():
    # xlwings shape: a column of rows, with a blank; 20 March 2024 = Nowruz 1403, 19 March = 29 Esfand 1402
    got = xl_cskpi.jalali_date([[dt.date(2024, 3, 20)], [None], [45370.0], ["2025-03-20"]])
    assert got.tolist() == ["1403/01/01", None, "1402/12/29", "1403/12/30"]
    got = xl_cskpi.hijri_month_name([["2024-03-11"], [""]], "en")
    assert got.tolist() == ["Ramadan 1445", None]
    assert xl_cskpi.period_label([[45536, 45537]], "week").tolist() == ["2024-W35", "2024-W36"]


@pytest.mark.parametrize("bad, match", [
    (None, "date is empty"),
    ([[None], [""]], "date is empty"),
    ("Shahrivar", "date has 'Shahrivar' in cell 1, which is not a date"),
    (True, "date has TRUE in cell 1, which is not a date"),
    (-5, "not an Excel date serial"),
])
def test_bad_dates_are_invalid(bad, match):
    for f in (xl_cskpi.jalali_month, xl_cskpi.jalali_date, xl_cskpi.hijri_month, xl_cskpi.jalali_month_name):
        with pytest.raises(InvalidInput, match=match):
            f(bad)


def test_hijri_functions_outside_umm_al_qura_are_na():
    with pytest.raises(NotAvailable, match=r"^HIJRI_MONTH: date has the date 1900-01-01, outside the Umm "
                                           r"al-Qura Hijri calendar .*\(#N/A\)$"):
        xl_cskpi.hijri_month(dt.date(1900, 1, 1))
    with pytest.raises(NotAvailable, match="^HIJRI_MONTH_NAME: date"):
        xl_cskpi.hijri_month_name("2080-01-01")
    assert xl_cskpi.jalali_month(dt.date(1900, 1, 1)) == "1278-10"  # jdatetime: 11 Dey 1278
    assert jdatetime.date.fromgregorian(date=dt.date(1900, 1, 1)).strftime("%Y-%m") == "1278-10"


def test_period_label_options():
    with pytest.raises(KPIError, match='^PERIOD_LABEL: period is \'year\'; use one of: "day"'):
        xl_cskpi.period_label(45536, "year")
    with pytest.raises(KPIError, match="^PERIOD_LABEL: calendar is 'persian'"):
        xl_cskpi.period_label(45536, "month", "persian")
    assert xl_cskpi.period_label(45536) == "2024-09"
    assert xl_cskpi.period_label(45536, "day", "Hijri") == "1446-02-28"


def test_through_the_excel_adapter():
    from xl_cskpi import excel
    from xl_cskpi.registry import REGISTRY

    # what xlwings delivers: a one-cell range as [[value]], a column as rows, blanks as None
    assert excel.call(REGISTRY["JALALI_MONTH"], ([[45536.0]],)) == "1403-06"
    assert excel.call(REGISTRY["HIJRI_MONTH_NAME"], ([[45536.0]], [[None]])) == "صفر ١٤٤٦"
    assert excel.call(REGISTRY["JALALI_DATE"], ([[45536.0], [None]],)) == [["1403/06/11"], [""]]


@given(st.dates(min_value=dt.date(1924, 8, 1), max_value=dt.date(2077, 11, 16)))
def test_excel_functions_agree_with_each_other_and_with_serials(day):
    serial = (day - dt.date(1899, 12, 30)).days  # Excel 1900 system, dates after 1 March 1900
    assert xl_cskpi.jalali_month(serial) == xl_cskpi.jalali_month(day)
    assert xl_cskpi.jalali_date(day)[:7].replace("/", "-") == xl_cskpi.jalali_month(day)
    assert xl_cskpi.hijri_month(serial) == xl_cskpi.hijri_month(day)
    h = Gregorian(day.year, day.month, day.day).to_hijri()
    assert xl_cskpi.hijri_month(day) == f"{h.year:04d}-{h.month:02d}"
    assert xl_cskpi.hijri_month_name(day, "en") == f"{h.month_name('en')} {h.year}"


@pytest.mark.parametrize("calendar", cal.CALENDARS)
def test_many_rows_over_few_days_take_the_lookup_path_and_agree(calendar):
    """The per-day lookup used for big exports gives what the per-date conversion gives."""
    rng = np.random.default_rng(7)
    days = rng.integers(19_700, 20_100, 50_000)  # 2023-12 to 2025-01: 400 distinct days
    dates = days.astype("datetime64[D]").astype("datetime64[ns]")
    fast = cal.period_ordinals(dates, "month", calendar)
    slow = np.concatenate([cal.period_ordinals(dates[i:i + 4000], "month", calendar)
                           for i in range(0, len(dates), 4000)])
    assert np.array_equal(fast, slow)


# --------------------------------------------------------------------------- the whole range of dates (issue 12)


def d64us(*isos):
    return np.array(isos, dtype="datetime64[us]")


def test_labels_of_dates_outside_the_nanosecond_range():
    # datetime64[us] carries years 1-9999; each label is the libraries' own answer
    d = dt.date(1000, 2, 7)
    j = jdatetime.date.fromgregorian(date=d)
    assert cal.period_labels(d64us("1000-02-07"), "day", "jalali").tolist() == [
        f"{j.year:04d}-{j.month:02d}-{j.day:02d}"]
    assert cal.period_labels(d64us("9999-12-31", "0001-01-01"), "month", "gregorian").tolist() == [
        "9999-12", "0001-01"]
    assert cal.period_labels(d64us("9999-03-20"), "day", "jalali").tolist() == ["9377-12-30"]


def test_jalali_outside_jdatetime_is_num():
    from xl_cskpi.errors import OutOfRange
    for iso in ("9999-03-21", "0622-03-20", "0008-02-07"):
        with pytest.raises(OutOfRange, match="outside the Jalali calendar's years 1 to 9377"):
            cal.period_labels(d64us(iso), "month", "jalali")
    assert cal.JALALI_FIRST_DATE == dt.date(622, 3, 21) == jdatetime.date(1, 1, 1).togregorian()
    assert cal.JALALI_LAST_DATE == dt.date(9999, 3, 20) == jdatetime.date(9377, 12, 30).togregorian()


def test_hijri_outside_the_table_is_na_for_far_dates():
    # was "1482-03" for 2644-03-25, whose nanoseconds wrapped around into the table
    with pytest.raises(NotAvailable, match="2644-03-25"):
        cal.period_labels(d64us("2644-03-25"), "month", "hijri")


def test_period_start_dates_never_wrap_around():
    from xl_cskpi.errors import OutOfRange
    with pytest.raises(OutOfRange, match="9999-12"):
        cal.period_start_dates([9999 * 12 + 11], "month", "gregorian")
    assert str(cal.period_start_dates([2262 * 12 + 3], "month")[0])[:10] == "2262-04-01"


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2070, 12, 31)),
       st.sampled_from(cal.CALENDARS))
def test_month_start_days_is_the_first_day_of_the_month(d, calendar):
    day = (d - dt.date(1970, 1, 1)).days
    start = dt.date(1970, 1, 1) + dt.timedelta(days=int(cal.month_start_days([day], calendar)[0]))
    if calendar == "jalali":
        j, s = jdatetime.date.fromgregorian(date=d), jdatetime.date.fromgregorian(date=start)
        assert (s.year, s.month, s.day) == (j.year, j.month, 1)
    elif calendar == "hijri":
        h, s = Gregorian(d.year, d.month, d.day).to_hijri(), Gregorian(start.year, start.month, start.day).to_hijri()
        assert (s.year, s.month, s.day) == (h.year, h.month, 1)
    else:
        assert start == d.replace(day=1)
