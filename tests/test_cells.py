"""The range rules of the contract, tested on the coercion layer itself."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_cskpi import cells
from xl_cskpi.errors import DivisionByZero, InvalidInput, KPIError, OutOfRange


@pytest.mark.parametrize("text, expected", [
    ("12", 12.0),
    ("۱۲۳", 123.0),              # Persian digits
    ("١٢٣", 123.0),              # Arabic-Indic digits
    ("۱۲٫۵", 12.5),              # Arabic decimal separator
    ("1,234,567.5", 1234567.5),  # thousands separators
    ("۱٬۲۳۴", 1234.0),           # Arabic thousands separator
    ("1 234", 1234.0),
    ("−5", -5.0),                # minus sign
    ("45%", 0.45),
    ("٤٥٪", 0.45),
    (" 7 ", 7.0),
    ("1e3", 1000.0),
    ("\u200f۱۰", 10.0),          # right-to-left mark left by an export
])
def test_number_text_accepted(text, expected):
    assert cells.parse_number_text(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["abc", "1,5", "12,34", "1.2.3", "nan", "inf", "--1", "", "%", "1,2345"])
def test_number_text_rejected(text):
    assert cells.parse_number_text(text) is None


def test_blanks_skipped_and_shape_read_row_major():
    assert cells.numbers([[1, None, 2], ["", "  ", 3]], "x").tolist() == [1, 2, 3]
    assert cells.numbers(((4,), (5,)), "x").tolist() == [4, 5]
    assert cells.numbers(np.array([[1, 2], [3, 4]]), "x").tolist() == [1, 2, 3, 4]
    assert cells.numbers(pd.Series([1.0, np.nan, 3.0]), "x").tolist() == [1, 3]
    df = pd.DataFrame({"a": [1, 3], "b": [2, None]})
    assert cells.numbers(df, "x").tolist() == [1, 2, 3]
    assert cells.numbers(None, "x").size == 0
    assert cells.numbers([], "x").size == 0


@pytest.mark.parametrize("bad, where", [
    ([[1.0], [True]], "cell 2"),
    ([[1.0], [float("nan")]], "cell 2"),
    ([[float("inf")]], "cell 1"),
    ([[1, 2], [3, "abc"]], "cell 4 (row 2, column 2)"),
    ([[dt.datetime(2024, 1, 1)]], "cell 1"),
    (np.array([1.0, np.inf]), "cell 2"),
    ([[10**400]], "cell 1"),
])
def test_invalid_cells_name_argument_and_position(bad, where):
    with pytest.raises(InvalidInput) as e:
        cells.numbers(bad, "scores")
    assert e.value.code == "#VALUE!"
    assert "scores" in str(e.value) and where in str(e.value)
    assert isinstance(e.value, ValueError)


def test_scalars():
    assert cells.number([["٦٤"]], "n") == 64
    assert cells.count(0, "n") == 0
    with pytest.raises(OutOfRange):
        cells.count(-1, "n")
    with pytest.raises(InvalidInput, match="is empty"):
        cells.number(None, "n")
    with pytest.raises(InvalidInput, match="one cell"):
        cells.number([[1], [2]], "n")
    with pytest.raises(DivisionByZero):
        cells.divide(1, 0, "n", "x")
    assert cells.total([[1, 2], [None, "3"]], "spend") == 6
    with pytest.raises(OutOfRange):
        cells.total([1, -2], "spend")


def test_dates_from_every_form():
    want = np.datetime64("2024-09-01T12:00", "ns")
    forms = [dt.datetime(2024, 9, 1, 12), pd.Timestamp("2024-09-01 12:00"), 45536.5,
             "2024-09-01 12:00", "۲۰۲۴-۰۹-۰۱ ۱۲:۰۰", np.datetime64("2024-09-01T12:00")]
    for f in forms:
        assert cells.datetimes([[f]], "d")[0] == want, f
    assert cells.datetimes([[dt.date(2024, 9, 1)]], "d")[0] == np.datetime64("2024-09-01", "ns")
    # Excel's fictitious 29 Feb 1900: serial 1 is 1 Jan 1900, serial 61 is 1 Mar 1900
    assert str(cells.datetimes([1.0, 61.0], "d")[0])[:10] == "1900-01-01"
    assert str(cells.datetimes([1.0, 61.0], "d")[1])[:10] == "1900-03-01"
    with pytest.raises(InvalidInput, match="not a date"):
        cells.datetimes([["yesterday"]], "opened_at")
    with pytest.raises(InvalidInput, match="serial"):
        cells.datetimes([[-5.0]], "opened_at")


def test_serial_roundtrip():
    s = np.array([1.0, 59.0, 61.0, 45536.25])
    assert np.allclose(cells.datetime_to_serial(cells.serial_to_datetime64(s)), s)


def test_texts_ids_and_choices():
    assert cells.texts([[1001.0], [" A "], [None], [""]], "ids").tolist() == ["1001", "A"]
    assert cells.texts([[1.5]], "ids").tolist() == ["1.5"]
    assert cells.choice([["DAYS"]], "unit", ("hours", "days")) == "days"
    assert cells.choice(None, "unit", ("hours", "days"), default="hours") == "hours"
    with pytest.raises(InvalidInput, match='"hours"'):
        cells.choice("weeks", "unit", ("hours", "days"))
    assert cells.flag("FALSE", "f", True) is False and cells.flag(None, "f", True) is True
    assert cells.flag(1.0, "f", False) is True


def test_aligned_keeps_rows_and_checks_sizes():
    r = cells.aligned(a=([[1], [None], [3]], "number"), b=([["x"], ["y"], [None]], "text"))
    assert np.isnan(r["a"][1]) and r["b"][2] is None
    with pytest.raises(InvalidInput, match="same size"):
        cells.aligned(a=([1, 2], "number"), b=([1], "number"))


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
cell = st.one_of(finite, st.integers(-10**6, 10**6), st.none(), st.just(""), st.just("   "))


@given(st.lists(cell, max_size=60), st.integers(1, 6))
def test_blanks_and_shape_do_not_change_the_numbers(values, width):
    """Property: a range's numbers do not depend on its shape or its blank cells."""
    flat = cells.numbers(values, "x")
    rows = [values[i:i + width] for i in range(0, len(values), width)]
    assert np.array_equal(cells.numbers(rows, "x"), flat)
    assert np.array_equal(cells.numbers([v for v in values if v not in (None, "", "   ")], "x"), flat)
    as_text = [None if v is None else str(v) if not isinstance(v, str) else v for v in values]
    assert np.allclose(cells.numbers(as_text, "x"), flat, rtol=1e-12)


def test_kpi_error_is_value_error_with_code():
    e = DivisionByZero("is 0", argument="customers_start").with_function("CHURN_RATE")
    assert isinstance(e, KPIError) and isinstance(e, ValueError)
    assert str(e) == "CHURN_RATE: customers_start is 0 (#DIV/0!)"


# --------------------------------------------------------------------------- scalar fast path (issue 17.4)

def _general_number(value, arg):
    """cells.number without its fast path: the array path every input took before issue 17.4."""
    from xl_cskpi.cells.shapes import _single
    return float(cells.numbers([_single(value, arg)], arg)[0])


def _outcome(f, value):
    try:
        return ("ok", f(value, "n"))
    except KPIError as e:
        return (type(e).__name__, str(e))


SCALAR_EDGES = [0, 0.0, -0.0, 64, 64.0, -3.5, 1e308, -1e308, 5e-324, 10**308, 10**400, -(10**400),
                float("inf"), float("-inf"), float("nan"), True, False, None, "", "  ", "64", "۶۴",
                "$1,200", "abc", np.float64(2.5), np.float64("nan"), np.int64(7), np.bool_(True),
                dt.datetime(2024, 9, 1), [[64.0]], [[None]], [[1.0], [2.0]]]


@pytest.mark.parametrize("value", SCALAR_EDGES, ids=repr)
def test_number_fast_path_gives_the_general_paths_result_or_error(value):
    got, want = _outcome(cells.number, value), _outcome(_general_number, value)
    assert got == want or (got[0] == want[0] == "ok" and np.isnan(got[1]) and np.isnan(want[1]))
    assert type(got[1]) is type(want[1])


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-(10**320),
                                                                              max_value=10**320)))
def test_number_fast_path_equals_the_general_path_for_any_float_or_int(value):
    got, want = _outcome(cells.number, value), _outcome(_general_number, value)
    assert got == want, value


def _general_datetimes(value, arg, **kw):
    """cells.datetimes without its one-date fast path."""
    from xl_cskpi.cells.dates import _read_dates
    keep = kw.pop("keep_blanks", False)
    out = _read_dates([[value]], arg, order=None, calendar=kw.get("calendar", "gregorian"), kind="datetime",
                      open_end=kw.get("open_end", False), face="worksheet", unit=kw.get("unit", "ns"),
                      nan_blank=False)
    return out if keep else out[~np.isnat(out)]


DATE_EDGES = [dt.datetime(2024, 9, 1), dt.datetime(2024, 9, 1, 10, 30, 15, 500), dt.date(2024, 2, 29),
              dt.datetime(1677, 9, 21), dt.datetime(1677, 9, 22), dt.datetime(2262, 4, 11, 23, 59),
              dt.datetime(2262, 4, 12), dt.datetime(9999, 12, 31), dt.date(1, 1, 1), dt.date(1900, 1, 1)]


@pytest.mark.parametrize("value", DATE_EDGES, ids=str)
@pytest.mark.parametrize("options", [{}, {"unit": "us"}, {"open_end": True}, {"keep_blanks": True},
                                     {"calendar": "jalali"}, {"calendar": "lunar"}], ids=str)
def test_datetimes_fast_path_gives_the_general_paths_result_or_error(value, options):
    def outcome(f):
        try:
            return ("ok", f(value, "date", **dict(options)).tolist())
        except KPIError as e:
            return (type(e).__name__, str(e))
    assert outcome(cells.datetimes) == outcome(_general_datetimes)


@given(st.text(alphabet=st.sampled_from(list("AbC ي ى ك ة ۀ أإآٱ ۰۹٠٩\u064b\u0670\u0640\u200c\u200f\ufeff\u00ad\t\nﻻﬁ ß İ x1")),
               max_size=12))
def test_fold_label_of_one_text_is_fold_labels(text):
    assert cells.fold_label(text) == cells.fold_labels(np.array([text], dtype=object))[0]


# --------------------------------------------------------------------------- NUL inside text
# pandas 2.x hashes an all-text object array as C strings: "b" and "b\x00a" were one value in
# pd.factorize / groupby / pd.unique (found by hypothesis in CI: FEEDBACK_THEMES counted the comment
# "b\x00a" as "b"). cells.factorize is the one NUL-safe factorization every reader uses.


def test_factorize_keeps_text_with_a_nul_apart():
    codes, uniques = cells.factorize(["b", "b\x00a", None, "b", "\x00"])
    assert codes.tolist() == [0, 1, -1, 0, 2]
    assert uniques.tolist() == ["b", "b\x00a", "\x00"]
    # the ordinary case is pandas' own result
    codes, uniques = cells.factorize(np.array(["x", "y", "x"], dtype=object))
    assert codes.tolist() == [0, 1, 0] and uniques.tolist() == ["x", "y"]


def test_texts_with_a_nul_are_not_cut_at_it():
    assert cells.texts(["b", "b\x00a"], "ids").tolist() == ["b", "b\x00a"]
    assert cells.texts(["", "\x00"], "ids").tolist() == ["\x00"]


def test_customer_ids_with_a_nul_are_two_customers():
    # hand count: "b" pays 100 in both months, "b\x00a" pays 50 then stops -> 2 customers at the
    # end of January, 1 at the end of February, 50 churned MRR
    from xl_cskpi.tables.movements import mrr_movements

    t = mrr_movements(["b", "b\x00a", "b", "b\x00a"], ["2024-01-01", "2024-01-01", "2024-02-01", "2024-02-01"],
                      [100, 50, 100, 0])
    assert t["Customers at end"].tolist() == [2, 1]
    assert t["Churned MRR"].tolist() == [0.0, 50.0]
    assert t["Churned customers"].tolist() == [0, 1]
