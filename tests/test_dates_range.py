"""Issue 12 items 1, 11 and 12: dates outside 1677-09-22 .. 2262-04-11 and outside the calendar
libraries' tables are never another date; the NPS statistics never raise StatisticsError.

Each case below gave a wrong answer (or a non-KPIError) before: the old answer is in the comment.
Expected labels come from jdatetime and hijridate directly, the libraries the package uses.
"""

import datetime as dt

import jdatetime
import numpy as np
import pandas as pd
import pytest
from hijridate import Gregorian

import xl_cskpi
from xl_cskpi import cells
from xl_cskpi.errors import InvalidInput, KPIError, NotAvailable, OutOfRange

UTC = dt.timezone.utc


def jalali_label(d: dt.date) -> str:
    j = jdatetime.date.fromgregorian(date=d)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


# --------------------------------------------------------------------------- item 1


@pytest.mark.parametrize("text", ["1403/06/11", "۱۴۰۳/۰۶/۱۱", "1403-06-11", "۱۴۰۳/۰۶/۱۱ 10:30"])
def test_jalali_text_is_read_as_jalali(text):
    # was "1366/10/08": the text read as the Gregorian year 1403, wrapped around in datetime64[ns]
    assert xl_cskpi.jalali_date(text) == "1403/06/11"
    assert xl_cskpi.jalali_month(text) == "1403-06"
    assert xl_cskpi.jalali_month_name(text, "en") == "Shahrivar 1403"


def test_hijri_text_is_read_as_hijri():
    # 10 Safar 1446 (Umm al-Qura) is in Safar 1446
    assert xl_cskpi.hijri_month("1446/02/10") == "1446-02"
    assert xl_cskpi.hijri_month_name("١٤٤٦/٠٢/١٠", "en") == "Safar 1446"


def test_period_label_reads_local_text_in_its_calendar_argument():
    assert xl_cskpi.period_label("1403/06/11", "day", "jalali") == "1403-06-11"
    with pytest.raises(InvalidInput, match="PERIOD_LABEL's calendar argument"):
        xl_cskpi.period_label("1403/06/11", "day", "gregorian")


@pytest.mark.parametrize("value", ["9999-12-31", 2958465, dt.date(9999, 12, 31), dt.datetime(9999, 12, 31, 23, 59)])
def test_end_of_time_is_a_num_error_in_jalali(value):
    # was "1195/01/09"; jdatetime converts Gregorian dates up to 9999-03-20 (30 Esfand 9377), so
    # 9999-12-31 has no Jalali label: #NUM! with the reason
    with pytest.raises(OutOfRange, match="outside the Jalali calendar's years 1 to 9377") as e:
        xl_cskpi.jalali_date(value)
    assert e.value.code == "#NUM!"


def test_the_last_jalali_date_jdatetime_has():
    assert xl_cskpi.jalali_date(dt.date(9999, 3, 20)) == "9377/12/30" == jalali_label(dt.date(9999, 3, 20))
    assert xl_cskpi.period_label(dt.date(9999, 12, 31), "day") == "9999-12-31"


@pytest.mark.parametrize("d", [dt.date(1000, 2, 7), dt.date(1500, 1, 1), dt.date(2500, 6, 30), dt.date(622, 3, 21)])
def test_far_dates_get_their_own_jalali_labels(d):
    assert xl_cskpi.jalali_date(d) == jalali_label(d)
    assert xl_cskpi.jalali_date(dt.datetime.combine(d, dt.time(12), tzinfo=UTC)) == jalali_label(d)


def test_before_the_jalali_calendar_is_a_num_error():
    # was "1140-07"
    with pytest.raises(OutOfRange):
        xl_cskpi.jalali_month(dt.date(8, 2, 7))


def test_worksheet_ranges_outside_the_ns_range_are_num_errors():
    # an end date of 9999-12-31 in AVG_RESOLUTION_TIME: was another date, silently
    with pytest.raises(OutOfRange, match="cell 2"):
        cells.datetimes([["2024-01-01"], ["9999-12-31"]], "resolved_at")
    with pytest.raises(KPIError):
        xl_cskpi.avg_resolution_time([["2024-01-01"]], [[dt.date(9999, 12, 31)]])
    with pytest.raises(OutOfRange):
        cells.datetimes([[2958465]], "date")


def test_typed_day_arrays_never_wrap_around():
    # numpy's astype("datetime64[ns]") wraps 9999-12-31 around silently
    arr = np.array(["2024-01-01", "9999-12-31"], dtype="datetime64[D]")
    with pytest.raises(OutOfRange, match="cell 2"):
        cells.datetimes(arr, "end")


# --------------------------------------------------------------------------- item 12


@pytest.mark.parametrize("value", [dt.date(2644, 3, 25), dt.datetime(2644, 3, 25, 10, tzinfo=UTC),
                                   pd.Timestamp("2100-01-01", tz="Asia/Riyadh"), "1342/12/29", dt.date(1900, 1, 1)])
def test_hijri_outside_umm_al_qura_is_na_with_the_reason(value):
    # was "1482-03" for 2644-03-25 (the date wrapped around into the table)
    with pytest.raises(NotAvailable, match="Umm al-Qura") as e:
        xl_cskpi.hijri_month(value)
    assert e.value.code == "#N/A"


def test_hijri_at_the_edges_of_the_table():
    for d in (dt.date(1924, 8, 1), dt.date(2077, 11, 16)):
        h = Gregorian(d.year, d.month, d.day).to_hijri()
        assert xl_cskpi.hijri_month(d) == f"{h.year:04d}-{h.month:02d}"


def test_hijri_export_column_outside_the_table_names_the_cell():
    with pytest.raises(NotAvailable, match="cell 2") as e:
        cells.date_column(["1446/02/10", "1342/12/29"], "start", calendar="hijri")
    assert e.value.position == 1


# --------------------------------------------------------------------------- item 11


@pytest.mark.parametrize("confidence", [0.9999999999999999, 1 - 1e-12, 1e-300])
def test_confidence_next_to_the_edges_is_a_number_not_statistics_error(confidence):
    # was statistics.StatisticsError: 1 - (1 - c) / 2 rounds to 1.0, where inv_cdf has no answer
    scores = [10, 9, 9, 8, 7, 3, 0, 10]
    moe = xl_cskpi.nps_margin_of_error(scores, confidence)
    assert np.isfinite(moe) and moe >= 0
    table = xl_cskpi.nps_breakdown(scores, confidence)
    assert np.isfinite(table["margin_of_error"].iloc[0]) if "margin_of_error" in table else True
    xl_cskpi.nps_change_test(scores, [10, 10, 9, 2], confidence)


def test_confidence_z_of_the_nearest_float_below_one():
    from statistics import NormalDist

    from xl_cskpi.kpi.survey import confidence_z
    # the upper 2.78e-17 tail of the normal distribution: z = -inv_cdf(2.78e-17), about 8.29
    assert confidence_z(0.9999999999999999) == pytest.approx(-NormalDist().inv_cdf((1 - 0.9999999999999999) / 2))
    assert 8.2 < confidence_z(0.9999999999999999) < 8.4
