"""The one reader of a column of dates or numbers: cells.date_column / cells.number_column, and the
same rules through the worksheet readers (cells.datetimes / cells.numbers).

Expected dates are written by hand (the calendar conversions are checked against jdatetime and
hijridate, the libraries the package uses, and against published calendar facts in comments).
"""

import datetime as dt

import jdatetime
import numpy as np
import pandas as pd
import pytest
from hijridate import Hijri

from xl_cskpi import cells
from xl_cskpi.errors import InvalidInput, KPIError, NotAvailable, OutOfRange


def days(values) -> list[str]:
    return [None if np.isnat(v) else str(v)[:10] for v in values]


def stamps(values) -> list[str]:
    return [None if np.isnat(v) else str(v)[:19] for v in values]


# --------------------------------------------------------------------------- order of text dates


def test_one_order_per_column_from_a_day_above_12():
    # issue 11: "05/03/2024" became 3 May and "15/03/2024" 15 March in the same column
    assert days(cells.date_column(["05/03/2024", "15/03/2024"], "start")) == ["2024-03-05", "2024-03-15"]
    # and month first when a second part is above 12
    assert days(cells.date_column(["03/05/2024", "03/15/2024"], "start")) == ["2024-03-05", "2024-03-15"]


def test_a_year_of_monthly_rows_on_the_5th_stays_twelve_months():
    # issue 11: a year of MRR dated on the 5th collapsed into one month; with one day-first proof
    # (the 13th) every row is read day first
    col = [f"05/{m:02d}/2024" for m in range(1, 13)] + ["13/12/2024"]
    out = cells.date_column(col, "month")
    assert [str(d)[5:7] for d in out[:12]] == [f"{m:02d}" for m in range(1, 13)]


def test_arabic_digits_with_a_day_first_proof():
    # issue 11: Arabic-digit ٠٤/٠٣/٢٠٢٤ was read as 3 April; here ٢٠/٠٣/٢٠٢٤ proves day first
    out = cells.date_column(["٠٤/٠٣/٢٠٢٤", "٢٠/٠٣/٢٠٢٤"], "opened_at")
    assert days(out) == ["2024-03-04", "2024-03-20"]


def test_ambiguous_column_asks_for_date_order():
    with pytest.raises(InvalidInput, match=r"--date-order dmy .* --date-order mdy") as e:
        cells.date_column(["05/03/2024", "04/03/2024", None], "start")
    assert e.value.position == 0
    # the worksheet face asks for ISO text instead of a command-line option
    with pytest.raises(InvalidInput, match="yyyy-mm-dd or enter them as date cells"):
        cells.datetimes([["05/03/2024"], ["04/03/2024"]], "opened_at")


def test_both_orders_in_one_column_name_a_cell_of_each():
    with pytest.raises(InvalidInput, match=r"'15/03/2024' in cell 2 can only be day first, '03/25/2024' in "
                                           r"cell 4 only month first") as e:
        cells.date_column(["05/03/2024", "15/03/2024", None, "03/25/2024"], "start")
    assert e.value.position == 3


def test_order_forced_and_contradicted():
    assert days(cells.date_column(["05/03/2024"], "d", order="mdy")) == ["2024-05-03"]
    assert days(cells.date_column(["05/03/2024"], "d", order="dmy")) == ["2024-03-05"]
    with pytest.raises(InvalidInput, match="read month first") as e:
        cells.date_column(["05/03/2024", "15/03/2024"], "d", order="mdy")
    assert e.value.position == 1
    with pytest.raises(InvalidInput, match="not written year first"):
        cells.date_column(["2024-03-05", "05/03/2024"], "d", order="ymd")
    with pytest.raises(InvalidInput, match="date_order"):
        cells.date_column(["2024-03-05"], "d", order="ydm")


def test_day_equal_to_month_is_not_ambiguous():
    assert days(cells.date_column(["05/05/2024", "2024-06-01"], "d")) == ["2024-05-05", "2024-06-01"]


def test_year_first_and_named_months_and_times():
    col = ["2024-09-01", "2024/9/2", "2024.09.03", "20240904", "5 Sep 2024", "Sep 6, 2024",
           "Sat, 07 Sep 2024 10:00:00 +0000", "8 September 2024"]
    assert days(cells.date_column(col, "d")) == [f"2024-09-{d:02d}" for d in range(1, 9)]
    col = ["2024-09-01T10:30:00Z", "2024-09-01 10:30:15.5", "2024-09-01 2:30 PM", "2024-09-01 12:05 am",
           "۲۰۲۴/۰۹/۰۱ ۱۰:۳۰"]
    assert stamps(cells.date_column(col, "d", kind="datetime")) == [
        "2024-09-01T10:30:00", "2024-09-01T10:30:15", "2024-09-01T14:30:00", "2024-09-01T00:05:00",
        "2024-09-01T10:30:00"]
    # kind="date" drops the time of day
    assert stamps(cells.date_column(["2024-09-01T23:59:59"], "d")) == ["2024-09-01T00:00:00"]


def test_time_zones_keep_the_wall_clock_time():
    # documented rule: an aware datetime or an offset in text keeps its wall-clock time (what Excel shows)
    tehran = dt.timezone(dt.timedelta(hours=3, minutes=30))
    col = [dt.datetime(2024, 9, 1, 23, 30, tzinfo=tehran), dt.datetime(2024, 9, 1, 8, 0), "2024-09-01T23:30:00+03:30",
           pd.Timestamp("2024-09-01 07:00", tz="UTC")]
    assert stamps(cells.date_column(col, "d", kind="datetime")) == [
        "2024-09-01T23:30:00", "2024-09-01T08:00:00", "2024-09-01T23:30:00", "2024-09-01T07:00:00"]
    s = pd.Series(pd.to_datetime(["2024-09-01 23:30"]).tz_localize("Asia/Tehran"))
    assert stamps(cells.date_column(s, "d", kind="datetime")) == ["2024-09-01T23:30:00"]


def test_serials_and_date_cells():
    col = [45536, 45536.75, "45537", dt.date(2024, 9, 3), np.datetime64("2024-09-04"), pd.Timestamp("2024-09-05"),
           None, float("nan"), "  "]
    assert stamps(cells.date_column(col, "d", kind="datetime")) == [
        "2024-09-01T00:00:00", "2024-09-01T18:00:00", "2024-09-02T00:00:00", "2024-09-03T00:00:00",
        "2024-09-04T00:00:00", "2024-09-05T00:00:00", None, None, None]


@pytest.mark.parametrize("bad, match", [
    (dt.time(10, 30), r"a time of day \(10:30:00\) in cell 2"),
    (dt.timedelta(hours=3), r"a duration \(3:00:00\) in cell 2"),
    (True, "TRUE in cell 2"),
    ("2024", "a number, not a date"),
    ("13/13/2024", "not a Gregorian date"),
    ("2024-02-30", "not a Gregorian date"),
    ("2024-09-01 25:00", "time of day that does not exist"),
    ("soon", "is not a date; use yyyy-mm-dd"),
    (-1, "not an Excel date serial"),
    (float("inf"), "not an Excel date serial"),
    ("2024-09", "not a date but a month"),
    ("05/03/24", "two-digit year"),
])
def test_bad_date_cells_are_errors_never_blanks(bad, match):
    with pytest.raises(InvalidInput, match=match) as e:
        cells.date_column(["2024-09-01", bad], "solved_at")
    assert e.value.position == 1


# --------------------------------------------------------------------------- local calendars


def test_jalali_text_in_a_jalali_column():
    # 11 Shahrivar 1403 = 1 September 2024 (jdatetime)
    col = ["1403/06/11", "۱۴۰۳/۰۶/۱۱ 10:30", "1403-06-12", "2024-09-03"]
    out = cells.date_column(col, "d", calendar="jalali", kind="datetime")
    assert stamps(out) == ["2024-09-01T00:00:00", "2024-09-01T10:30:00", "2024-09-02T00:00:00",
                           "2024-09-03T00:00:00"]
    assert jdatetime.date(1403, 6, 11).togregorian() == dt.date(2024, 9, 1)


def test_hijri_text_in_a_hijri_column():
    # 1 Rabi al-Awwal 1446 = 4 September 2024 (Umm al-Qura, hijridate)
    assert days(cells.date_column(["1446/03/01", "١٤٤٦/٠٣/٠١"], "d", calendar="hijri")) == ["2024-09-04"] * 2
    assert Hijri(1446, 3, 1).to_gregorian() == dt.date(2024, 9, 4)
    with pytest.raises(NotAvailable, match="outside the Umm al-Qura calendar") as e:
        cells.date_column(["1446/03/01", "1342/01/01"], "d", calendar="hijri")
    assert e.value.position == 1


def test_local_text_in_a_gregorian_column_says_what_to_pass():
    with pytest.raises(InvalidInput, match=r"--lang fa or --calendar jalali.*--calendar hijri") as e:
        cells.date_column(["2024-09-01", "1403/06/11"], "d")
    assert e.value.position == 1
    with pytest.raises(InvalidInput, match="PERIOD_LABEL's calendar argument"):
        cells.datetimes([["1403/06/11"]], "date")


def test_not_a_jalali_date():
    with pytest.raises(InvalidInput, match="not a Jalali date"):
        cells.date_column(["1403/12/31"], "d", calendar="jalali")  # Esfand 1403 has 30 days


# --------------------------------------------------------------------------- months


def test_month_labels_become_the_first_day_of_the_month():
    # issue 11: Jalali month labels crashed with "Out of bounds nanosecond timestamp"
    # 1 Tir 1403 = 21 June 2024; 1 Mordad 1403 = 22 July 2024; 1 Shahrivar 1403 = 22 August 2024
    col = ["1403-04", "۱۴۰۳/۰۵", "شهریور ۱۴۰۳", "2024-09", "2024/9", "09/2024", "Sep 2024", "2024-09-15", None]
    out = cells.date_column(col, "month", calendar="jalali", kind="month")
    assert days(out) == ["2024-06-21", "2024-07-22", "2024-08-22", "2024-09-01", "2024-09-01", "2024-09-01",
                         "2024-09-01", "2024-08-22", None]
    # a date is placed in its month of the column's calendar: 15 Sep 2024 is in Shahrivar 1403
    assert jdatetime.date.fromgregorian(date=dt.date(2024, 9, 15)).month == 6
    # in the Gregorian calendar, 15 Sep 2024 is in September
    assert days(cells.date_column(["2024-09-15", "Sep 2024"], "m", kind="month")) == ["2024-09-01"] * 2


def test_hijri_month_labels_and_range():
    # 1 Safar 1446 = 5 August 2024 (hijridate)
    assert days(cells.date_column(["1446-02"], "m", calendar="hijri", kind="month")) == ["2024-08-05"]
    with pytest.raises(NotAvailable, match="cell 2") as e:
        cells.date_column(["2024-09-01", "2100-01-01"], "m", calendar="hijri", kind="month")
    assert e.value.position == 1


def test_month_label_errors():
    with pytest.raises(InvalidInput, match="looks like a Jalali or Hijri date"):
        cells.date_column(["1403-04"], "m", kind="month")
    with pytest.raises(InvalidInput, match="not a Gregorian month"):
        cells.date_column(["2024-13"], "m", kind="month")


# --------------------------------------------------------------------------- range


def test_end_of_time_reads_as_open_in_end_columns():
    # issue 12 item 1: 9999-12-31 is the ERP "no end date"
    col = ["2024-01-31", "9999-12-31", 2958465, dt.date(9999, 12, 31), dt.datetime(3000, 1, 1), None]
    assert days(cells.date_column(col, "end", open_end=True)) == ["2024-01-31", None, None, None, None, None]


@pytest.mark.parametrize("bad", ["9999-12-31", 2958465, dt.date(9999, 12, 31), "1500-01-01", dt.date(8, 2, 7),
                                 np.datetime64("2262-04-12")])
def test_dates_outside_the_range_are_num_errors_naming_the_cell(bad):
    with pytest.raises(OutOfRange, match="cell 2") as e:
        cells.date_column(["2024-01-01", bad], "start")
    assert e.value.position == 1 and e.value.code == "#NUM!"


def test_typed_columns_outside_the_range():
    s = pd.Series(pd.array(["2024-01-01", "9999-12-31"], dtype="datetime64[s]"))
    with pytest.raises(OutOfRange, match="the date 9999-12-31 in cell 2"):
        cells.date_column(s, "end")
    assert days(cells.date_column(s, "end", open_end=True)) == ["2024-01-01", None]
    with pytest.raises(OutOfRange, match="cell 1"):
        cells.datetimes(np.array(["0008-02-07"], dtype="datetime64[D]"), "date")


def test_the_edges_of_the_range():
    assert days(cells.date_column(["1677-09-22", "2262-04-11"], "d")) == ["1677-09-22", "2262-04-11"]
    with pytest.raises(OutOfRange):
        cells.date_column(["1677-09-21"], "d")
    with pytest.raises(OutOfRange):
        cells.date_column(["2262-04-12"], "d")


def test_serial_to_datetime64_never_wraps_around():
    # issue 12 item 1: an int64 overflow made serial 2958465 another date
    assert str(cells.serial_to_datetime64(np.array([2958465.0]), "us")[0])[:10] == "9999-12-31"
    with pytest.raises(OutOfRange):
        cells.serial_to_datetime64(np.array([45536.0, 2958465.0]))
    assert str(cells.serial_to_datetime64(np.array([45536.0]))[0])[:10] == "2024-09-01"


def test_positions_name_the_first_offending_cell_of_a_long_column():
    col = ["2024-01-01"] * 1000 + ["nope"] + ["2024-01-02"] * 10 + ["nope"]
    with pytest.raises(InvalidInput, match="cell 1001") as e:
        cells.date_column(pd.Series(col), "start")
    assert e.value.position == 1000 and e.value.value == "nope"


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("text, expected", [
    ("$1,200", 1200.0),
    ("1,200 USD", 1200.0),
    ("€ 99", 99.0),
    ("۱۲۰۰ تومان", 1200.0),
    ("١٢٠٠ ر.س", 1200.0),
    ("د.إ 50", 50.0),
    ("SAR 1,000.50", 1000.5),
    ("IRR 5000", 5000.0),
    ("(123)", -123.0),
    ("123-", -123.0),
    ("($1,200.50)", -1200.5),
    ("-$5", -5.0),
    ("$-5", -5.0),
    ("USD (7)", -7.0),
    ("(12%)", -0.12),
])
def test_currency_and_accounting_negatives(text, expected):
    assert cells.number_column([text], "amount")[0] == pytest.approx(expected)
    # worksheet cells read the same way (the contract: in exports and in worksheet cells alike)
    assert cells.numbers([[text]], "amount")[0] == pytest.approx(expected)


def test_decimal_comma_column():
    out = cells.number_column(["99,00", "99.000,00", "1 234,5", "7", None, "(1.000,5)"], "amount", decimal=",")
    assert out[:4].tolist() == [99.0, 99000.0, 1234.5, 7.0]
    assert np.isnan(out[4]) and out[5] == -1000.5
    with pytest.raises(InvalidInput, match="decimal point"):
        cells.number_column(["99,00", "99.5"], "amount", decimal=",")


def test_decimal_point_column_never_guesses_a_comma():
    with pytest.raises(InvalidInput, match=r"--decimal ,") as e:
        cells.number_column(["1", "1,5"], "amount")
    assert e.value.position == 1
    assert cells.number_column(["1,500"], "amount").tolist() == [1500.0]


@pytest.mark.parametrize("bad, match", [
    ("inf", "infinite"),
    ("-Infinity", "infinite"),
    ("1e999", "too large"),
    ("9" * 400, "too large"),
    ("nan", "NaN"),
    (True, "logical value"),
    (float("inf"), "infinite or too large"),
    (10**400, "infinite or too large"),
    ("12 apples", "not a number"),
    (dt.date(2024, 1, 1), "a date"),
    (dt.timedelta(hours=1), "a time or duration"),
])
def test_bad_numbers_are_errors_never_blanks(bad, match):
    # issue 12 item 10: inf, 1e999 and a 400-digit number became empty cells
    with pytest.raises(InvalidInput, match=match) as e:
        cells.number_column(pd.Series(["5", bad, "6"], dtype=object), "mrr")
    assert e.value.position == 1


def test_typed_series_and_blanks():
    assert cells.number_column(pd.Series([1.5, np.nan, 3]), "x")[[0, 2]].tolist() == [1.5, 3.0]
    with pytest.raises(InvalidInput, match="logical value"):
        cells.number_column(pd.Series([True, False]), "x")
    with pytest.raises(InvalidInput, match="cell 2"):
        cells.number_column(pd.Series([1.0, np.inf]), "x")
    assert np.isnan(cells.number_column([None, float("nan"), " "], "x")).all()


def test_mixed_currencies_are_refused():
    with pytest.raises(InvalidInput, match=r"mixes currencies: '\$5' in cell 1 is USD, '€7' in cell 3 is EUR"):
        cells.number_column(["$5", "6", "€7"], "amount")
    with pytest.raises(InvalidInput, match="mixes currencies"):
        cells.numbers([["$5"], ["€7"]], "spend")
    # the same currency written two ways is one currency
    assert cells.number_column(["$5", "5 USD"], "amount").tolist() == [5.0, 5.0]


def test_number_column_error_is_a_kpi_error_with_position():
    with pytest.raises(KPIError) as e:
        cells.number_column(["1", "2", "x"], "amount")
    assert e.value.position == 2 and e.value.value == "x"


def test_day_first_local_dates_follow_the_column_order():
    # 1/3/1446 is ambiguous alone; 30/02/1446 proves day first (Umm al-Qura: 30 Safar 1446 = 3 Sep 2024)
    out = cells.date_column(["٠١/٠٣/١٤٤٦", "30/02/1446"], "d", calendar="hijri")
    assert days(out) == ["2024-09-04", "2024-09-03"]
    with pytest.raises(InvalidInput, match="--date-order"):
        cells.date_column(["٠١/٠٣/١٤٤٦"], "d", calendar="hijri")


# --------------------------------------------------------------------------- the fast road for ISO text

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

iso_like = st.builds(
    lambda y, mo, d, sep, h, mi, s, shape, z: (
        f"{y:04d}-{mo:02d}-{d:02d}" + ("" if shape == 0 else f"{sep}{h:02d}:{mi:02d}" + ("" if shape == 1 else f":{s:02d}"))
        + z),
    st.integers(1, 9999), st.integers(0, 13), st.integers(0, 32), st.sampled_from([" ", "T", "t", "_"]),
    st.integers(0, 25), st.integers(0, 61), st.integers(0, 61), st.integers(0, 2), st.sampled_from(["", "Z", "z", "+03:30"]))


def _outcome(values, **kw):
    try:
        return ("ok", stamps(cells.date_column(values, "d", **kw)))
    except KPIError as e:
        return (type(e).__name__, e.position)


@settings(max_examples=200, deadline=None)
@given(st.lists(iso_like, min_size=1, max_size=5), st.integers(0, 70))
def test_the_fast_iso_road_agrees_with_the_general_parser(texts, pad):
    # a column of at least 64 texts takes the vectorized road for its plain ISO texts; each text
    # alone (a column of one) takes the general parser: both must read every text the same way
    column = ["2024-01-01 00:00"] * pad + texts + [None]
    whole = _outcome(column, kind="datetime", open_end=True)
    alone = [_outcome([t], kind="datetime", open_end=True) for t in column[:-1]]
    bad = {(a[0], i) for i, a in enumerate(alone) if a[0] != "ok"}
    if not bad:
        assert whole == ("ok", [a[1][0] for a in alone] + [None])
    else:  # an error naming one of the bad cells (reading errors come before range errors)
        assert whole in bad


def test_a_long_column_of_timestamps_with_a_day_first_tail():
    col = [f"2024-01-{d:02d}T10:00:00Z" for d in range(1, 29)] * 3 + ["05/03/2024", "15/03/2024", None]
    out = cells.date_column(pd.Series(col), "opened_at", kind="datetime")
    assert stamps(out[:2]) == ["2024-01-01T10:00:00", "2024-01-02T10:00:00"]
    assert stamps(out[-3:]) == ["2024-03-05T00:00:00", "2024-03-15T00:00:00", None]
    with pytest.raises(InvalidInput, match=r"'15/03/2024' in cell 87 can only be day first, '03/25/2024' in "
                                           r"cell 86 only month first") as e:
        cells.date_column(col[:-2] + ["03/25/2024", "15/03/2024"], "opened_at")
    assert e.value.position == 86


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["5", " 12 ", "1e5", ".5", "5.", "+5", "1,200", "$3", "(4)", "inf",
                                                       "nan", "1e999", "١٢", "x", "", "1_000", "0x1A", "Infinity"]),
                          st.floats(allow_nan=False, allow_infinity=False).map(repr)), min_size=1, max_size=6),
       st.integers(0, 70))
def test_the_fast_number_road_agrees_with_the_general_reader(texts, pad):
    # columns of 64 texts or more go through pandas' parser first; each text alone does not
    def outcome(values):
        try:
            return ("ok", cells.number_column(values, "x").tolist())
        except KPIError as e:
            return (type(e).__name__, e.position)

    column = ["1"] * pad + texts
    alone = [outcome([t]) for t in column]
    bad = [(a[0], i) for i, a in enumerate(alone) if a[0] != "ok"]
    whole = outcome(column)
    if not bad:
        assert whole[0] == "ok"
        np.testing.assert_array_equal(whole[1], [a[1][0] for a in alone])
    else:
        assert whole == bad[0]


def test_a_long_number_column_names_the_bad_cell():
    with pytest.raises(InvalidInput, match="'inf' in cell 101") as e:
        cells.number_column(pd.Series(["1.5"] * 100 + ["inf"]), "mrr")
    assert e.value.position == 100


def test_errors_list_every_cell_they_name():
    with pytest.raises(InvalidInput) as e:
        cells.date_column(["05/03/2024", "03/25/2024", "15/03/2024"], "start")
    assert e.value.positions == [2, 1] and e.value.position == 2
    long = ["2024-01-01"] * 70 + ["03/25/2024", "15/03/2024"]
    with pytest.raises(InvalidInput, match="cell 72 can only be day first, '03/25/2024' in cell 71") as e:
        cells.date_column(long, "start")
    assert e.value.positions == [71, 70]
    with pytest.raises(InvalidInput) as e:
        cells.number_column(["$5", "6", "€7"], "amount")
    assert e.value.positions == [0, 2]
    with pytest.raises(InvalidInput) as e:
        cells.number_column(["x"], "amount")
    assert e.value.positions == [0]


xy_like = st.builds(
    lambda d, mo, y, sep, h, mi, s, shape: (
        f"{d:02d}{sep}{mo:02d}{sep}{y:04d}" + ("" if shape == 0 else f" {h:02d}:{mi:02d}" + ("" if shape == 1 else f":{s:02d}"))),
    st.integers(0, 32), st.integers(0, 32), st.integers(1, 9999), st.sampled_from(["/", ".", "-"]),
    st.integers(0, 25), st.integers(0, 61), st.integers(0, 61), st.integers(0, 2))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(iso_like, xy_like, st.sampled_from(["5/3/2024", "1403/06/11", "Sep 5, 2024", " "])),
                min_size=1, max_size=8),
       st.one_of(st.lists(st.one_of(xy_like, iso_like), min_size=64, max_size=70),
                 st.lists(st.one_of(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
                                    st.dates().map(lambda d: d.strftime("%d.%m.%Y 10:30")), iso_like),
                          min_size=64, max_size=70)),
       st.sampled_from([None, "dmy", "mdy"]))
def test_the_fast_road_and_the_general_parser_decide_alike(few, many, order):
    # the same whole column read with the vectorized road and without it: the same dates, or the
    # same error naming the same cells
    import xl_cskpi.cells.dates as c  # the module that reads _fast_texts: patch it there

    column = many + few
    kw = dict(kind="datetime", open_end=True, order=order, calendar="jalali")

    def outcome():
        try:
            return ("ok", stamps(c.date_column(column, "d", **kw)))
        except KPIError as e:
            return (type(e).__name__, e.position, e.positions, e.reason)

    fast = outcome()
    real = c._fast_texts
    try:
        c._fast_texts = lambda texts: c._Fast(len(texts))
        slow = outcome()
    finally:
        c._fast_texts = real
    assert fast == slow
