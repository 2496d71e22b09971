"""Fuzzed cells through every Excel function of both faces (issue 8, part 1).

Whatever a user types or pastes into the cells a formula reads, the worksheet function answers and
never raises:

* the classic add-in (:mod:`xl_cskpi.udfs`) returns a number, a logical, a text, rows of cells (a
  spill), or an error text ``"<code> <NAME>: <reason>"`` where ``<code>`` is ``#VALUE!``,
  ``#DIV/0!``, ``#NUM!`` or ``#N/A`` and the reason names the argument at fault;
* xlwings Lite (:mod:`xl_cskpi.lite`) returns the same cells, or raises ``xlwings.XlwingsError``
  with exactly that text (its documented contract: ``#VALUE!`` in the cell, the reason on hover);
  nothing else ever escapes.

"Unexpected error" texts (the faces' net for bugs) fail the test: bad input must be a KPIError.

Cells are drawn from: blanks (``None``, ``""``, white space), numbers (ints as Lite delivers them,
floats as classic xlwings delivers them, NaN, +-inf, 1e308, subnormals), numeric text in Latin,
Persian and Arabic-Indic digits (with the Arabic decimal separator, thousands separators, ``%``),
other text (including the option words the functions accept, error-cell texts and formula-looking
text), booleans, datetimes, dates and Excel serials. Arguments are a scalar, a one-cell range, a
block, a ragged list of rows, an empty list or a flat list. Half the cases start from the function's
own worked example (valid arguments) and corrupt a few cells, so the fuzz also gets past the first
validation and into the arithmetic.

Budget: :data:`BUDGET` generated cases per run, whatever the hypothesis profile (each test sets its
own ``max_examples``); the module counts the cases it actually ran (``CASES_RUN``).

Wrong argument counts: Excel never calls a worksheet function with a wrong number of arguments --
the VBA wrapper (classic) and the function metadata (Lite) declare them, and Excel refuses the
formula first. What reaches Python is an omitted *optional* argument (its default), or a blank cell
for a required one; both are fuzzed here. That the signature itself refuses too many or too few
arguments is checked separately.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import re
import types
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xlwings
from xl_cskpi import excel
from xl_cskpi.registry import REGISTRY, catalogue

from xlwings_stubs import classic_xlwings, doctest_calls, lite_shaped, lite_xlwings, positional, shaped

NAMES = [f.name for f in catalogue()]
CODES = "|".join(re.escape(c) for c in excel.ERROR_CODES)

#: Generated cases per test (explicit, so CI's and a developer's runs generate the same number).
CLASSIC_EXAMPLES = 130
LITE_EXAMPLES = 50
SCALAR_TEXT_EXAMPLES = 300
#: The whole module's budget; ``test_budget`` checks it is at least 10,000.
BUDGET = (CLASSIC_EXAMPLES + LITE_EXAMPLES) * len(NAMES) + SCALAR_TEXT_EXAMPLES

CASES_RUN = {"classic": 0, "lite": 0, "digits": 0}

_BASE = settings(deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.filter_too_much])


def fuzz(examples: int) -> settings:
    """The module's settings with an explicit number of examples (overrides the profile)."""
    return settings(_BASE, max_examples=examples)


# --------------------------------------------------------------------------- the faces


@pytest.fixture(scope="module")
def faces():
    with classic_xlwings() as (classic, _xl):
        with lite_xlwings() as lite:
            yield types.SimpleNamespace(classic=classic, lite=lite)
    # shown with `pytest -s`: the cases hypothesis actually generated in this run
    print(f"\nfuzz cases run: {CASES_RUN} = {sum(CASES_RUN.values())} (budget {BUDGET})")


# --------------------------------------------------------------------------- cells

LATIN = "0123456789"
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
ARABIC = "٠١٢٣٤٥٦٧٨٩"

#: Words some functions accept (units, statistics, periods, calendars, languages, statuses, flags).
WORDS = ["month", "week", "day", "quarter", "year", "hours", "minutes", "days", "median", "mean",
         "gregorian", "jalali", "hijri", "fa", "ar", "en", "open", "closed", "Open ", "TRUE",
         "FALSE", "yes", "no", "بله", "خیر", "2024-09-01", "1403-06-01", "2024-02-30", "9999-12-31",
         "0001-01-01", "price", "support", "قیمت", "پشتیبانی", "سعر"]
ERROR_CELLS = ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
               "#GETTING_DATA", "#CALC!"]
HOSTILE_TEXT = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1", "-", "@SUM(A1)",
                "1e999", "-1e999", "nan", "NaN", "inf", "-Infinity", "0x10", "1_000", "١٬٠٠٠",
                "1,00", "1.2.3", "%", "50%%", "۵۰٪", "−5", "\u200f۱۲", "1\u00a0000", "\x00",
                "\ufeff1", "١٢٫٥", "۱۲٫۵", "x" * 300]
WHITESPACE = ["", " ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u2003", " \t "]


@st.composite
def numeric_text(draw):
    """A number written as text, in Latin, Persian or Arabic-Indic digits."""
    x = draw(st.one_of(st.integers(-10**7, 10**7),
                       st.floats(-1e7, 1e7, allow_nan=False, allow_infinity=False),
                       st.sampled_from([0, 1, 5, 9, 10, 70, 100])))
    s = str(x) if isinstance(x, int) else draw(st.sampled_from([f"{x:.2f}", f"{x:g}", repr(x)]))
    if draw(st.booleans()) and isinstance(x, int) and abs(x) >= 1000:
        s = f"{x:,}"  # thousands separators
    digits = draw(st.sampled_from([LATIN, PERSIAN, ARABIC]))
    s = s.translate({ord(str(i)): digits[i] for i in range(10)})
    if digits != LATIN and draw(st.booleans()):
        s = s.replace(".", "٫").replace(",", "٬")
    if draw(st.integers(0, 5)) == 0:
        s += draw(st.sampled_from(["%", "٪"]))
    pad = draw(st.sampled_from(["", " ", "\u00a0"]))
    return pad + s + pad


FLOATS = st.one_of(
    st.floats(),  # anything: NaN, +-inf, subnormals, 1e308
    st.floats(-1000, 1000, allow_nan=False),
    st.sampled_from([0.0, -0.0, 1.0, 5.0, 10.0, 1e308, -1e308, 5e-324, 2.0**53, 1e-300, 0.5, 7.0]),
)
INTS = st.one_of(st.integers(-10, 110), st.integers(-(2**70), 2**70))  # Lite delivers ints
DATETIMES = st.one_of(
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2035, 12, 31)),
    st.dates(min_value=dt.date(1899, 12, 1), max_value=dt.date(2100, 1, 1)),
)
SERIALS = st.one_of(st.floats(-10, 2958466, allow_nan=False), st.integers(1, 80000),
                    st.sampled_from([0.0, 59.0, 60.0, 61.0, 2958465.0, 2958466.0, 45536.5]))

CELLS = st.one_of(
    st.none(),
    st.sampled_from(WHITESPACE),
    FLOATS,
    INTS,
    numeric_text(),
    st.booleans(),
    DATETIMES,
    SERIALS,
    st.sampled_from(WORDS),
    st.sampled_from(ERROR_CELLS),
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=8),
)


def rectangles(cells=CELLS):
    return st.integers(1, 4).flatmap(
        lambda width: st.lists(st.lists(cells, min_size=width, max_size=width), min_size=1, max_size=8))


#: One argument, in every shape a range can arrive in (and some it cannot: ragged, empty).
ARGUMENTS = st.one_of(
    CELLS,                                                            # a literal
    CELLS.map(lambda c: [[c]]),                                       # a one-cell range
    rectangles(),                                                     # a block, a row, a column
    st.lists(st.lists(CELLS, max_size=4), min_size=1, max_size=6),    # ragged rows, empty rows
    st.sampled_from([[], [[]], [[], []], [[None]], [[None, None]]]),  # empty ranges
    st.lists(CELLS, max_size=6),                                      # a flat list
)


# --------------------------------------------------------------------------- arguments


def _examples(entry) -> list[list]:
    """The function's worked examples as worksheet-shaped argument lists (valid input)."""
    out = []
    for args, kwargs in doctest_calls(entry):
        try:
            out.append([shaped(v) for v in positional(entry, args, kwargs)])
        except Exception:  # noqa: BLE001  (an example argument with no worksheet shape)
            continue
    return out


EXAMPLES = {}


def examples(entry) -> list[list]:
    if entry.name not in EXAMPLES:
        EXAMPLES[entry.name] = _examples(entry)
    return EXAMPLES[entry.name]


@st.composite
def corrupted(draw, arg, cells=CELLS):
    """A valid range with a few cells replaced, rows dropped or cut short, or swapped whole."""
    if not (isinstance(arg, list) and arg and all(isinstance(r, list) for r in arg)):
        return draw(ARGUMENTS)
    rows = [list(r) for r in arg]
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["cell", "cell", "cell", "drop_row", "short_row", "add_row",
                                   "blank_all", "whole"]))
        if op == "cell" and rows and rows[0]:
            i = draw(st.integers(0, len(rows) - 1))
            if rows[i]:
                j = draw(st.integers(0, len(rows[i]) - 1))
                rows[i][j] = draw(cells)
        elif op == "drop_row" and rows:
            del rows[draw(st.integers(0, len(rows) - 1))]
        elif op == "short_row" and rows:
            i = draw(st.integers(0, len(rows) - 1))
            rows[i] = rows[i][: draw(st.integers(0, max(0, len(rows[i]) - 1)))]
        elif op == "add_row":
            rows.append(draw(st.lists(cells, min_size=1, max_size=3)))
        elif op == "blank_all":
            rows = [[None] * len(r) for r in rows]
        elif op == "whole":
            return draw(ARGUMENTS)
    return rows


@st.composite
def calls(draw, entry):
    """(arguments, how many to pass): a corrupted worked example or arguments from scratch."""
    n = len(entry.arguments)
    required = sum(1 for a in entry.arguments if not a.optional)
    bases = examples(entry)
    if bases and draw(st.booleans()):
        base = list(draw(st.sampled_from(bases)))
        base += [None] * (n - len(base))
        hit = draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=n))
        args = [draw(corrupted(v)) if i in hit else v for i, v in enumerate(base)]
    else:
        args = [draw(ARGUMENTS) for _ in range(n)]
    # an omitted optional argument takes its default; a required one is at worst a blank cell
    count = draw(st.integers(required, n))
    return args[:count]


# --------------------------------------------------------------------------- checks


def _arg_names(entry) -> set[str]:
    names = {a.name for a in entry.arguments}
    return names | {n + "_" for n in names}  # the classic face renames VBA words (date -> date_)


def check_error_text(entry, text: str) -> None:
    """``"<code> <NAME>: <reason>"``: one line, a known code, the function, and an argument."""
    assert "\n" not in text and "Traceback" not in text, text
    assert "unexpected error" not in text, f"a bug, not a KPIError: {text}"
    m = re.match(rf"^({CODES}) {re.escape(entry.name)}: (\S.*)$", text)
    assert m, f"not an Excel error code, the function and a reason: {text!r}"
    reason = m.group(2)
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", reason))
    overflow = reason.startswith("gives a result too large")  # the registry's whole-result check
    assert overflow or words & _arg_names(entry), f"the reason names no argument: {text!r}"


def _plain_cell(v) -> bool:
    if v is None or type(v) in (str, bool, dt.datetime, dt.date):
        return True
    return type(v) is float and math.isfinite(v)


def _no_header(entry, args) -> bool:
    """``labels`` FALSE (0 as Calc passes it) asks a table function for its rows without the header."""
    names = [a.name for a in entry.arguments]
    if "labels" not in names or len(args) <= names.index("labels"):
        return False
    v = args[names.index("labels")]
    while isinstance(v, list) and len(v) == 1:
        v = v[0]
    return isinstance(v, (bool, int, float)) and not v


def check_cells(entry, got, args=()) -> None:
    """A successful result: a plain finite value, or a non-empty rectangle of plain cells."""
    if isinstance(got, list):
        assert got and all(isinstance(r, list) and r for r in got), got
        width = len(got[0])
        assert all(len(r) == width for r in got), f"{entry.name}: a ragged spill {got!r}"
        assert all(_plain_cell(c) for r in got for c in r), got
        if entry.returns == "table" and not _no_header(entry, args):
            assert all(isinstance(h, str) for h in got[0]), f"{entry.name}: no header row {got!r}"
        if entry.returns == "column":
            assert width == 1, got
        return
    assert _plain_cell(got), f"{entry.name}: {got!r} is not a cell value"
    assert got is not None, f"{entry.name}: an empty cell instead of a value or an error"
    if isinstance(got, str):
        assert not got.startswith("#") or re.match(rf"^({CODES}) ", got) is None, got


def classic_outcome(entry, fn, args):
    got = fn(*args)  # never raises
    if isinstance(got, str) and re.match(rf"^({CODES}) ", got):
        check_error_text(entry, got)
        return ("error", got)
    check_cells(entry, got, args)
    return ("cells", got)


def lite_outcome(entry, fn, args):
    try:
        got = fn(*args)
    except xlwings.XlwingsError as e:  # anything else escaping fails the test
        assert e.__cause__ is None and e.__context__ is None, "a chained traceback"
        check_error_text(entry, str(e))
        return ("error", str(e))
    check_cells(entry, got, args)
    return ("cells", got)


def _quiet():
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.simplefilter("ignore", RuntimeWarning)  # overflow in 1e308 + 1e308 is the point here
    return ctx


# --------------------------------------------------------------------------- tests


def test_budget():
    # issue 8: at least 10,000 generated cases per CI run, whatever the hypothesis profile
    assert BUDGET >= 10_000, BUDGET
    assert len(NAMES) >= 50  # every registry function is fuzzed (the list is the registry)


@pytest.mark.parametrize("name", NAMES)
def test_classic_udf_never_raises(faces, name):
    entry = REGISTRY[name]
    fn = getattr(faces.classic, name)

    @fuzz(CLASSIC_EXAMPLES)
    @given(args=calls(entry))
    def run(args):
        CASES_RUN["classic"] += 1
        ctx = _quiet()
        try:
            classic_outcome(entry, fn, args)
        finally:
            ctx.__exit__(None, None, None)

    run()


def _lite_arg(v):
    """A worksheet-shaped argument as Lite delivers it: serial dates, ints, a blank cell as None."""
    if isinstance(v, list) and v and all(isinstance(r, list) for r in v) and len({len(r) for r in v}) == 1 \
            and v[0]:
        try:
            return lite_shaped(v)
        except Exception:  # noqa: BLE001  (a cell Lite cannot deliver: leave it as drawn)
            return v
    return v


@pytest.mark.parametrize("name", NAMES)
def test_lite_raises_only_xlwings_errors_and_agrees_with_classic(faces, name):
    entry = REGISTRY[name]
    lite_fn = getattr(faces.lite, name)
    classic_fn = getattr(faces.classic, name)

    @fuzz(LITE_EXAMPLES)
    @given(args=calls(entry))
    def run(args):
        args = [_lite_arg(a) for a in args]
        CASES_RUN["lite"] += 1
        ctx = _quiet()
        try:
            lite = lite_outcome(entry, lite_fn, args)
            classic = classic_outcome(entry, classic_fn, args)
        finally:
            ctx.__exit__(None, None, None)
        # one adapter, two runtimes: the same cells, or the same error text
        assert lite[0] == classic[0], (lite, classic)
        if lite[0] == "error":
            assert lite[1] == classic[1]

    run()


def _numeric_scalars(entry) -> bool:
    """A function whose worked examples pass only plain numbers, one per required argument."""
    required = [a for a in entry.arguments if not a.optional]
    if len(required) < 2 or entry.returns in ("table", "column", "text"):
        return False
    calls_ = examples(entry)
    return bool(calls_) and all(
        len(c) >= len(required)
        and all(isinstance(v, list) and len(v) == 1 and len(v[0]) == 1 and type(v[0][0]) is float
                for v in c[: len(required)])
        for c in calls_)


SCALAR_NUMBER_FUNCTIONS = [f.name for f in catalogue() if _numeric_scalars(f)]


@fuzz(SCALAR_TEXT_EXAMPLES)
@given(name=st.sampled_from(SCALAR_NUMBER_FUNCTIONS or ["CHURN_RATE"]),
       a=st.integers(1, 10**6), b=st.integers(0, 10**6), digits=st.sampled_from([PERSIAN, ARABIC]))
def test_numbers_as_text_in_any_digits_give_the_same_result(faces, name, a, b, digits):
    # contract: "Numbers stored as text are accepted, including Persian and Arabic-Indic digits"
    CASES_RUN["digits"] += 1
    entry = REGISTRY[name]
    fn = getattr(faces.classic, name)
    required = [x for x in entry.arguments if not x.optional]
    values = [float(a), float(b)] + [float(a)] * (len(required) - 2)
    as_text = [str(int(v)).translate({ord(str(i)): digits[i] for i in range(10)}) for v in values]
    ctx = _quiet()
    try:
        want = classic_outcome(entry, fn, values)
        got = classic_outcome(entry, fn, [[[t]] for t in as_text])
    finally:
        ctx.__exit__(None, None, None)
    assert got == want, (values, as_text)


def test_digit_functions_exist():
    # the hand-picked family above is not empty (a rename would silently test nothing)
    assert {"CHURN_RATE", "MRR", "NET_CASH", "LTV"} <= set(SCALAR_NUMBER_FUNCTIONS)


@pytest.mark.parametrize("name", NAMES)
def test_signature_refuses_wrong_argument_counts(faces, name):
    # Excel checks the count against the declared parameters before calling; so does Python
    entry = REGISTRY[name]
    required = sum(1 for a in entry.arguments if not a.optional)
    for face in (faces.classic, faces.lite):
        sig = inspect.signature(getattr(face, name))
        assert len(sig.parameters) == len(entry.arguments)
        with pytest.raises(TypeError):
            sig.bind(*([None] * (len(entry.arguments) + 1)))
        if required:
            with pytest.raises(TypeError):
                sig.bind(*([None] * (required - 1)))
        sig.bind(*([None] * required))  # the optional ones may be left out


#: Counting functions: no rows is a count of 0, not an error (their docstrings say so).
EMPTY_COUNTS_ZERO = {"COMPLAINTS", "COMPLAINT_SUMMARY"}


@pytest.mark.parametrize("name", NAMES)
def test_blank_required_arguments_are_named(faces, name):
    # a formula with an empty cell for every required argument: an error naming an argument
    entry = REGISTRY[name]
    required = [a for a in entry.arguments if not a.optional]
    kind, got = classic_outcome(entry, getattr(faces.classic, name), [[[None]]] * len(required))
    if name in EMPTY_COUNTS_ZERO:
        assert kind == "cells" and (got == 0.0 or got[-1][1:] == [0.0] * (len(got[-1]) - 1)), got
    else:
        assert kind == "error", got


# --------------------------------------------------------------------------- found by the fuzz
# Minimal reproducers of crashes this fuzz found (fixed in e9e0e7c), kept as regression tests.


@pytest.mark.parametrize("score", [[], [[]]])
def test_health_status_of_no_cells_is_an_error(faces, score):
    # was: an empty array, i.e. an empty cell instead of an error
    got = faces.classic.HEALTH_STATUS(score)
    assert isinstance(got, str) and got.startswith("#VALUE! HEALTH_STATUS: score is empty"), got


def test_feedback_themes_with_ragged_theme_rows(faces):
    # was: "#VALUE! FEEDBACK_THEMES: unexpected error: ValueError: cannot reshape array of size 3"
    got = faces.classic.FEEDBACK_THEMES([["support was slow"], ["عالی"]],
                                        [["Price"], ["Support", "support، پشتیبانی"]])
    assert isinstance(got, list), got
    assert got[0] == ["theme", "mentions", "share"] and ["Support", 1.0, 0.5] in got, got


# --------------------------------------------------------------------------- dates of years 1 to 9999
# issue 12 items 1 and 12: a date outside datetime64[ns] (1677-09-22 .. 2262-04-11) or outside a
# calendar library's table must get its own label or an error -- never another date's label. Every
# label below is checked against the libraries directly (jdatetime, hijridate, the standard library).

DATE_EXAMPLES = 400
_LOCAL_TEXT_DIGITS = [str.maketrans("", ""), str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
                      str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")]


def _jalali(d: dt.date):
    import jdatetime
    try:
        return jdatetime.date.fromgregorian(date=d)
    except (ValueError, OverflowError):
        return None


def _hijri(d: dt.date):
    from hijridate import Gregorian
    try:
        return Gregorian(d.year, d.month, d.day).to_hijri()
    except (ValueError, OverflowError):
        return None


@st.composite
def date_cells(draw):
    """(cell, the Gregorian date it means, (y, m, d) when it is year-first text with a year 1300-1499)."""
    d = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    form = draw(st.sampled_from(["date", "datetime", "aware", "timestamp", "serial", "iso", "jalali", "hijri"]))
    if form == "date":
        return d, d, None
    if form in ("datetime", "aware"):
        t = draw(st.times())
        tz = None if form == "datetime" else dt.timezone(dt.timedelta(minutes=draw(st.integers(-14 * 60, 14 * 60))))
        return dt.datetime.combine(d, t, tzinfo=tz), d, None
    if form == "timestamp":
        d = draw(st.dates(min_value=dt.date(1677, 9, 22), max_value=dt.date(2262, 4, 10)))
        return __import__("pandas").Timestamp(d), d, None
    if form == "serial":
        d = draw(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)))
        return float((d - dt.date(1899, 12, 30)).days), d, None
    if form == "iso":
        text = draw(st.sampled_from([d.isoformat(), d.isoformat().replace("-", "/")]))
        return text, d, ((d.year, d.month, d.day) if 1300 <= d.year <= 1499 else None)
    digits = draw(st.sampled_from(_LOCAL_TEXT_DIGITS))
    y = draw(st.integers(1300, 1499))
    m = draw(st.integers(1, 12))
    day = draw(st.integers(1, 31))
    return f"{y:04d}/{m:02d}/{day:02d}".translate(digits), None, (y, m, day)


def _meant(cell_date, local, calendar):
    """The Gregorian date a cell means when read in ``calendar``, or None when it must be an error.

    Year-first text whose year is 1300-1499 is a date of the function's calendar (JALALI_* read it
    as Jalali, HIJRI_MONTH as Hijri); PERIOD_LABEL in the Gregorian calendar refuses it.
    """
    if local is None:
        return cell_date
    y, m, day = local[:3]
    if calendar == "gregorian":
        return None
    import jdatetime
    from hijridate import Hijri
    try:
        return jdatetime.date(y, m, day).togregorian() if calendar == "jalali" else Hijri(y, m, day).to_gregorian()
    except (ValueError, OverflowError):
        return None


@fuzz(DATE_EXAMPLES)
@given(cell=date_cells())
def test_calendar_labels_round_trip_or_are_errors(cell):
    import xl_cskpi
    from xl_cskpi.errors import KPIError

    value, cell_date, local = cell
    for fn, calendar in ((xl_cskpi.jalali_date, "jalali"), (xl_cskpi.jalali_month, "jalali"),
                         (xl_cskpi.hijri_month, "hijri"),
                         (lambda v: xl_cskpi.period_label(v, "day", "gregorian"), "gregorian")):
        meant = _meant(cell_date, local, calendar)
        try:
            label = fn(value)
        except KPIError:
            # an error is right only where the date has no label: not a date of that calendar, or
            # outside the library's table
            if meant is None:
                continue
            if calendar == "jalali":
                assert _jalali(meant) is None, (value, meant)
            elif calendar == "hijri":
                assert _hijri(meant) is None, (value, meant)
            else:
                raise
            continue
        assert meant is not None, (value, label)
        y, m, *rest = (int(p) for p in re.split(r"[-/]", label))
        if fn is xl_cskpi.jalali_date:
            import jdatetime
            assert jdatetime.date(y, m, rest[0]).togregorian() == meant, (value, label)
        elif calendar == "jalali":
            j = _jalali(meant)
            assert (j.year, j.month) == (y, m), (value, label)
        elif calendar == "hijri":
            h = _hijri(meant)
            assert (h.year, h.month) == (y, m), (value, label)
        else:
            assert dt.date(y, m, rest[0]) == meant, (value, label)


# --------------------------------------------------------------------------- the column readers
# cells.date_column / cells.number_column (the one reader of export columns and worksheet ranges):
# whatever a column holds, the answer is an array or a KPIError naming a cell -- nothing else escapes.

_date_texts = st.one_of(
    st.text(max_size=24),
    st.from_regex(r"[0-9۰-۹٠-٩]{1,4}[-/. ][0-9۰-۹٠-٩]{1,2}([-/. ][0-9۰-۹٠-٩]{1,4})?( [0-9]{1,2}:[0-9]{2}( ?[AaPp][Mm])?)?Z?",
                  fullmatch=True),
    st.sampled_from(["Sep 2024", "5 Sep 2024", "شهریور ۱۴۰۳", "1403-04", "9999-12-31", "0000-01-01", "45536",
                     "2024-02-30", "12/13/2024", "13/12/2024", "05/05/2024", "2024-09-01T10:00:00+03:30",
                     "$1,200", "(5)", "5-", "1e999", "nan", "inf", "1,5", "99,00", "99.000,00", "ر.س 5", "۱۲۰۰ تومان"]))
COLUMN_EXAMPLES = 300
_column_cells = st.one_of(
    st.none(), _date_texts, st.floats(), st.integers(-10**30, 10**30), st.booleans(),
    st.dates(), st.datetimes(timezones=st.one_of(st.none(), st.timezones())), st.times(), st.timedeltas(),
    st.just(float("nan")), st.just(10**400))


@fuzz(COLUMN_EXAMPLES)
@given(st.lists(_column_cells, max_size=12), st.sampled_from([None, "dmy", "mdy", "ymd"]),
       st.sampled_from(["gregorian", "jalali", "hijri"]), st.sampled_from(["date", "datetime", "month"]),
       st.booleans(), st.sampled_from([".", ","]))
def test_column_readers_answer_or_name_a_cell(values, order, calendar, kind, open_end, decimal):
    import numpy as np

    from xl_cskpi import cells
    from xl_cskpi.errors import KPIError

    for read in (lambda: cells.date_column(values, "c", order=order, calendar=calendar, kind=kind, open_end=open_end),
                 lambda: cells.number_column(values, "c", decimal=decimal),
                 lambda: cells.datetimes(values, "c", keep_blanks=True, calendar=calendar)):
        try:
            out = read()
        except KPIError as e:
            if hasattr(e, "position"):
                assert 0 <= e.position < len(values)
                assert all(0 <= p < len(values) for p in e.positions)
            continue
        assert len(out) == len(values)
        if out.dtype.kind == "M" and kind != "month":
            # a date cell comes back as its own (wall-clock) day: never a wrapped-around date
            for v, d in zip(values, out.astype("datetime64[D]").tolist()):
                if isinstance(v, dt.date) and not isinstance(v, bool):
                    assert d == (v.date() if isinstance(v, dt.datetime) else v) or (d is None and open_end), (v, d)
