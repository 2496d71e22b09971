"""The classic xlwings add-in (xl_cskpi.udfs), checked on Linux with the real classic decorators.

What only Excel can confirm (not tested here): that Excel's function wizard shows the category and
help that ``Application.MacroOptions`` receives, that COM delivers cells in the shapes emulated by
``xlwings_stubs.shaped``, and that a returned list of rows spills.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import types

import numpy as np
import pandas as pd
import pytest

import xlwings
from xl_cskpi import excel
from xl_cskpi.errors import KPIError, excel_error_text
from xl_cskpi.registry import REGISTRY, Argument, Function, catalogue

from xlwings_stubs import (
    BAD_CELLS,
    Unshapeable,
    classic_xlwings,
    doctest_calls,
    positional,
    same_cells,
    shaped,
)

NAMES = [f.name for f in catalogue()]
CODES = "|".join(re.escape(c) for c in excel.ERROR_CODES)


@pytest.fixture(scope="module")
def classic():
    with classic_xlwings() as (ours, xl_udfs):
        yield types.SimpleNamespace(udfs=ours, xl=xl_udfs)


def python_cells(entry, args):
    """What the cell should show: the Python function's result as cells, or its error text."""
    try:
        return excel.cell_output(entry.func(*args))
    except KPIError as e:
        return excel_error_text(e)


# --------------------------------------------------------------------------- declaration


def test_stubs_are_removed_afterwards():
    watched = ("pythoncom", "pywintypes", "win32com", "win32com.client", "xlwings.udfs", "xl_cskpi.udfs")
    before = {n: sys.modules.get(n) for n in watched}
    decorators = (xlwings.func, xlwings.arg, xlwings.ret)
    with classic_xlwings() as (ours, xl_udfs):
        assert isinstance(sys.modules["pythoncom"], types.ModuleType) and xlwings.func is xl_udfs.xlfunc
        assert hasattr(ours.CHURN_RATE, "__xlfunc__")
    assert (xlwings.func, xlwings.arg, xlwings.ret) == decorators
    assert {n: sys.modules.get(n) for n in watched} == before


def test_every_registry_function_is_a_udf(classic):
    assert sorted(classic.udfs.__all__) == sorted(REGISTRY)
    for name in REGISTRY:
        assert getattr(classic.udfs, name).__name__ == name


@pytest.mark.parametrize("name", NAMES)
def test_xlfunc_metadata(classic, name):
    entry = REGISTRY[name]
    info = getattr(classic.udfs, name).__xlfunc__
    assert info["name"] == name
    assert info["category"] == "CS KPIs - " + entry.category
    assert info["ret"]["doc"] == entry.help  # MacroOptions(Description=...), at most 255 chars
    assert info["ret"]["options"] == {}
    assert [a["name"] for a in info["args"]] == [classic.udfs.vba_name(a.name, name) for a in entry.arguments]
    for xa, a in zip(info["args"], entry.arguments):
        assert xa["doc"] == a.help  # MacroOptions(ArgumentDescriptions=...)
        assert xa["options"] == {"ndim": 2, "err_to_str": True}
        assert xa["vba"] is None and not xa["vararg"]
        assert ("optional" in xa) == a.optional
        if a.optional:
            assert xa["optional"] == a.default  # what call_udf passes for a missing argument


class _Workbook:
    Name = "xl_cskpi.xlam"


def test_generate_vba_wrapper_writes_one_function_per_kpi(classic):
    out = io.StringIO()
    classic.xl.generate_vba_wrapper("xl_cskpi.udfs", classic.udfs, out, _Workbook())
    vba = out.getvalue()
    for entry in catalogue():
        names = [classic.udfs.vba_name(a.name, entry.name) for a in entry.arguments]
        assert not {n.lower() for n in names} & classic.udfs.VBA_RESERVED
        assert entry.name.lower() not in {n.lower() for n in names}
        params = ", ".join(("Optional " if a.optional else "") + n for a, n in zip(entry.arguments, names))
        assert f"Function {entry.name}({params})\n" in vba, entry.name
        call = (f'{entry.name} = XLPy.CallUDF("xl_cskpi.udfs", "{entry.name}", '
                f'Array({", ".join(names)}), ActiveWorkbook, Application.Caller)')
        assert call in vba, entry.name
    assert vba.count("End Function") == len(REGISTRY)
    signatures = re.findall(r"^Function (\w+)\((.*)\)$", vba, flags=re.M)
    assert sorted(n for n, _ in signatures) == sorted(REGISTRY)
    for _, params in signatures:  # no VBA keyword or type name as a parameter
        for p in filter(None, params.split(", ")):
            assert p.removeprefix("Optional ").lower() not in classic.udfs.VBA_RESERVED, p


def test_reserved_vba_words_are_renamed(classic):
    assert classic.udfs.vba_name("date", "JALALI_MONTH") == "date_"
    assert classic.udfs.vba_name("String", "X") == "String_"
    assert classic.udfs.vba_name("revenue", "REVENUE") == "revenue_"  # a parameter named as its function
    assert classic.udfs.vba_name("scores", "NPS") == "scores"
    # VBA built-in functions and statements (issue 13): a parameter so named breaks the module
    for word in ("Scale", "Int", "Fix", "Tab", "Debug", "Abs", "Sgn", "AddressOf", "DoEvents"):
        assert classic.udfs.vba_name(word.lower(), "X") == word.lower() + "_", word
    # the arguments the registry adds to table functions are not reserved
    assert classic.udfs.vba_name("labels", "NPS_BREAKDOWN") == "labels"
    assert classic.udfs.vba_name("segments", "NPS_BREAKDOWN") == "segments"


# --------------------------------------------------------------------------- same numbers


@pytest.mark.parametrize("name", NAMES)
def test_worked_examples_give_the_same_cells(classic, name):
    """Each worked example of the docstring, called from Excel: same numbers (or same error)."""
    entry = REGISTRY[name]
    udf = getattr(classic.udfs, name)
    tried = 0
    for args, kwargs in doctest_calls(entry):
        values = positional(entry, args, kwargs)
        try:
            cells = [shaped(v) for v in values]
        except Unshapeable:
            continue
        tried += 1
        got = udf(*cells)
        assert same_cells(got, python_cells(entry, values)), (values, got)
    assert tried, f"{name}: no worked example with worksheet-shaped arguments"


D = dt.datetime
SERIAL_2024_09_01 = 45536.0  # =DATEVALUE("2024-09-01") in Excel's 1900 date system

# (function, Python arguments, arguments as xlwings delivers them)
CASES = [
    # NPS: 3 promoters, 1 passive, 2 detractors of 6 -> (3 - 2) / 6 = 16.67 points
    ("NPS", ([10, 9, 10, 8, 3, 6],), ([[10.0], [9.0], [None], [10.0], [8.0], ["۳"], [" 6 "]],)),
    ("NPS", ([10, 9, 10, 8, 3, 6],), ([[10.0, 9.0, 10.0, 8.0, 3.0, 6.0]],)),  # a row
    ("NPS", ([10, 9, 10, 8, 3, 6],), ([[10.0, 9.0], [10.0, 8.0], [3.0, 6.0]],)),  # a block
    ("ENPS", ([9, 9, 7, 2],), ([["٩"], ["9"], [7.0], [2.0], [""]],)),
    ("CSAT", ([5, 4, 3, 1],), ([[5.0], [4.0], [3.0], [1.0]],)),
    ("CSAT", ([5, 4, 3, 1], 5, 5), ([[5.0], [4.0], [3.0], [1.0]], [[5.0]], [["5"]])),
    ("CSAT", ([9, 10, 7], 10), ([[9.0], [10.0], [7.0]], [[10.0]], [[None]])),  # blank threshold
    ("CSAT_AVERAGE", ([5, 4, 3], 5), ([["۵"], ["۴"], ["۳"]], [[None]])),
    ("CES", ([2, 3, 7],), ([[2.0], [3.0], [7.0]],)),
    ("NPS_MARGIN_OF_ERROR", ([10, 9, 0, 7, 8, 10],), ([[10.0], [9.0], [0.0], [7.0], [8.0], [10.0]],)),
    # 1,000 customers at the start, 64 lost: 6.4 %
    ("CHURN_RATE", (1000, 64), ([["1,000"]], [["٦٤"]])),
    ("CHURN_RATE", (1000, 64), (1000.0, 64.0)),  # literals in the formula
    ("RETENTION_RATE", (1000, 1050, 120), ([["۱٬۰۰۰"]], [[1050.0]], [[120.0]])),
    ("RENEWAL_RATE", (68, 80), ([[68.0]], [["80"]])),
    ("CAC", ([1000, 2000, 500], 35), ([[1000.0, 2000.0], [None, "۵۰۰"]], [[35.0]])),
    ("CRC", ([1200, 800], 40), ([[1200.0], [800.0]], [[40.0]])),
    ("MRR", (120, 49.5), ([[120.0]], [["49.5"]])),
    ("EXPANSION_MRR", ([100, 50, 0], [120, 40, 30]), ([[100.0], [50.0], [0.0]], [[120.0], [40.0], [30.0]])),
    ("NRR", ([100, 50], [120, 40]), ([[100.0], [50.0]], [[120.0], [40.0]])),
    ("GRR", ([100, 50], [120, 40]), ([[100.0], [50.0]], [[120.0], [40.0]])),
    ("QUICK_RATIO", (10, 5, 3, 2), ([[10.0]], [[5.0]], [[3.0]], [[2.0]])),
    ("LTV", (50, 24), ([[50.0]], [[24.0]])),
    ("CLV", (50000, 3, 24), ([["50,000"]], [[3.0]], [[24.0]])),
    ("CAC_PAYBACK", (600, 100, 0.8), ([[600.0]], [[100.0]], [["80%"]])),
    ("LTV_CAC_RATIO", (3000, 1000), ([[3000.0]], [[1000.0]])),
    ("CONVERSION_RATE", (30, 600), ([[30.0]], [[600.0]])),
    ("CART_ABANDONMENT_RATE", (200, 60), ([[200.0]], [[60.0]])),
    ("CAMPAIGN_ROI", (15000, 10000), ([[15000.0]], [[10000.0]])),
    ("NET_CASH", (5000, 1200, 300), ([[5000.0]], [[1200.0]], [[300.0]])),
    ("COMPLAINTS", (["open", "closed", None, "Open"], "open"),
     ([["open"], ["closed"], [None], ["Open"]], [["OPEN"]])),
    # dates: datetime cells, serial numbers and ISO text all mean the same day
    ("AVG_RESOLUTION_TIME", ([D(2024, 9, 1, 9), D(2024, 9, 1, 10)], [D(2024, 9, 1, 12), D(2024, 9, 2, 10)]),
     ([[D(2024, 9, 1, 9)], [SERIAL_2024_09_01 + 10 / 24]], [["2024-09-01 12:00"], [D(2024, 9, 2, 10)]])),
    ("AVG_RESOLUTION_TIME", ([D(2024, 9, 1, 9)], [D(2024, 9, 1, 12)], "minutes"),
     ([[D(2024, 9, 1, 9)]], [[D(2024, 9, 1, 12)]], [["Minutes"]])),
    ("TIME_TO_VALUE", ([D(2024, 9, 1), D(2024, 9, 10)], [D(2024, 9, 15), None]),
     ([[SERIAL_2024_09_01], [D(2024, 9, 10)]], [[D(2024, 9, 15)], [None]])),
    ("HEALTH_SCORE", ([[80, 60, 90], [40, None, 70]], [[50, 30, 20]]),
     ([[80.0, 60.0, 90.0], [40.0, None, 70.0]], [[50.0, 30.0, 20.0]])),
    ("JALALI_MONTH", (dt.date(2024, 9, 1),), ([[D(2024, 9, 1)]],)),
    ("JALALI_MONTH", (dt.date(2024, 9, 1),), (SERIAL_2024_09_01,)),
    ("HIJRI_MONTH", (dt.date(2024, 9, 1),), ([[D(2024, 9, 1)]],)),
    ("MRR_MOVEMENTS", (["a", "b", "a", "b"], ["2024-08", "2024-08", "2024-09", "2024-09"], [100, 50, 120, 0]),
     ([["a"], ["b"], ["a"], ["b"]], [["2024-08"], ["2024-08"], ["2024-09"], ["2024-09"]],
      [[100.0], [50.0], [120.0], [0.0]])),
    # empty ranges: the same error as in Python
    ("NPS", ([],), ([[None], [None]],)),
    ("CSAT_AVERAGE", ([],), ([[None, ""]],)),
]


@pytest.mark.parametrize("name, py_args, xl_args", [c for c in CASES if c[0] in REGISTRY])
def test_xlwings_shaped_input_gives_the_python_numbers(classic, name, py_args, xl_args):
    got = getattr(classic.udfs, name)(*xl_args)
    want = python_cells(REGISTRY[name], py_args)
    assert same_cells(got, want), (got, want)


def test_cases_cover_the_contract_functions():
    # the hand-written table names only real functions (a typo would silently test nothing)
    assert {c[0] for c in CASES} <= set(REGISTRY)


# --------------------------------------------------------------------------- errors


def test_error_codes_and_reasons(classic):
    u = classic.udfs
    assert u.CHURN_RATE(0.0, 0.0).startswith("#DIV/0! CHURN_RATE: customers_start is 0")
    assert u.CHURN_RATE([["abc"]], 1.0).startswith("#VALUE! CHURN_RATE: customers_start has 'abc'")
    assert u.CHURN_RATE(-5.0, 1.0).startswith("#NUM! CHURN_RATE: customers_start is -5")
    assert u.CHURN_RATE(10.0, 20.0).startswith("#NUM! CHURN_RATE: customers_lost is 20")
    assert u.CHURN_RATE([[None]], 1.0).startswith("#VALUE! CHURN_RATE: customers_start is empty")
    assert u.CHURN_RATE([[1.0], [2.0]], 1.0).startswith("#VALUE! CHURN_RATE: customers_start must be one cell")
    assert u.CHURN_RATE([[True]], 1.0).startswith("#VALUE! CHURN_RATE: customers_start has a logical value")
    # an error cell (read with err_to_str) is reported, not skipped like a blank
    assert u.CHURN_RATE([["#N/A"]], 1.0).startswith("#VALUE! CHURN_RATE: customers_start has '#N/A'")


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # 1e308 + 1e308
@pytest.mark.parametrize("name", NAMES)
def test_bad_input_returns_an_error_text_never_raises(classic, name):
    entry = REGISTRY[name]
    udf = getattr(classic.udfs, name)
    base = next(positional(entry, a, k) for a, k in doctest_calls(entry))
    base = [shaped(v) for v in base]
    errors = 0
    for i in range(len(entry.arguments)):
        for bad in BAD_CELLS:
            args = list(base) + [None] * (len(entry.arguments) - len(base))
            args[i] = bad
            got = udf(*args)  # must not raise
            if isinstance(got, str) and got[:1] == "#":
                assert re.match(rf"({CODES}) {name}: \S", got), got
                assert "Traceback" not in got and "\n" not in got, got
                assert "unexpected error" not in got, got  # bad input is a KPIError, not a bug
                errors += 1
    assert errors, f"{name}: no bad input was rejected"


def test_an_unexpected_exception_is_one_line_of_text_not_a_traceback():
    def broken(scores):
        """Broken on purpose."""
        return {}["missing"]

    entry = Function("BROKEN", broken, "Surveys", "Broken on purpose.", "number",
                     (Argument("scores", "Scores"),))
    from xl_cskpi import udfs

    fn = excel.build(udfs.body, lambda e, f: f, "tests", [entry])["BROKEN"]
    assert fn([[1.0]]) == "#VALUE! BROKEN: unexpected error: KeyError: 'missing'"


# --------------------------------------------------------------------------- results


def _plain(value):
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or type(value) in (float, str, bool, dt.datetime, dt.date)


@pytest.mark.parametrize("name", NAMES)
def test_results_are_plain_cells(classic, name):
    entry = REGISTRY[name]
    udf = getattr(classic.udfs, name)
    for args, kwargs in doctest_calls(entry):
        try:
            cells = [shaped(v) for v in positional(entry, args, kwargs)]
        except Unshapeable:
            continue
        got = udf(*cells)
        assert _plain(got), got
        if isinstance(got, list):  # spills: a rectangle of rows
            assert got and all(isinstance(r, list) and len(r) == len(got[0]) for r in got)
        if entry.returns == "table" and not (isinstance(got, str) and got.startswith("#")):
            assert all(isinstance(h, str) for h in got[0]), "a table starts with its header row"
        if entry.returns == "column" and isinstance(got, list):
            assert all(len(r) == 1 for r in got)


def test_cell_output_shapes():
    frame = pd.DataFrame({"month": ["2024-08", "2024-09"], "churned_mrr": [np.nan, np.int64(50)],
                          "as_of": [pd.Timestamp("2024-08-31"), pd.NaT]})
    assert excel.cell_output(frame) == [
        ["month", "churned_mrr", "as_of"],
        ["2024-08", "", dt.datetime(2024, 8, 31)],  # blanks are "" (Lite shows a null as 0)
        ["2024-09", 50.0, ""],
    ]
    indexed = pd.DataFrame({"share": [0.5]}, index=pd.Index(["promoters"], name="group"))
    assert excel.cell_output(indexed) == [["group", "share"], ["promoters", 0.5]]
    assert excel.cell_output(pd.DataFrame({"a": []})) == [["a"]]
    assert excel.cell_output(np.array([1, 2])) == [[1.0], [2.0]]
    assert excel.cell_output(np.array([[1, np.nan]])) == [[1.0, ""]]
    assert excel.cell_output(np.bool_(True)) is True
    assert excel.cell_output(np.array([])) is None
    assert excel.cell_output("1403-06") == "1403-06"


def test_cell_input():
    scale = Argument("scale_max", "Top of the scale", 5)
    scores = Argument("scores", "Scores")
    assert excel.cell_input([[7.0]], scale) == 7.0
    assert excel.cell_input([[None]], scale) == 5
    assert excel.cell_input([["  "]], scale) == 5
    assert excel.cell_input(None, scale) == 5
    assert excel.cell_input([[None]], scores) is None
    assert excel.cell_input([[1.0, 2.0]], scores) == [[1.0, 2.0]]
    assert excel.cell_input([1.0, 2.0], scores) == [1.0, 2.0]


# --------------------------------------------------------------------------- scalar fast path (issue 17.4)

def _general_cell_input(value, argument):
    """excel.cell_input without its [[x]] fast path."""
    if isinstance(value, (list, tuple)) and len(value) == 1:
        inner = value[0]
        if isinstance(inner, (list, tuple)):
            if len(inner) == 1:
                value = inner[0]
        else:
            value = inner
    if argument.optional and excel._is_blank(value):
        return argument.default
    return value


@pytest.mark.parametrize("cell", [7.0, 0.0, None, "", "  ", "x", True, dt.datetime(2024, 9, 1), "#N/A", -1.5])
@pytest.mark.parametrize("argument", [Argument("scale_max", "top", 5), Argument("scores", "scores")])
def test_cell_input_fast_path_is_the_general_rule(cell, argument):
    got, want = excel.cell_input([[cell]], argument), _general_cell_input([[cell]], argument)
    assert got == want and type(got) is type(want)


@pytest.mark.parametrize("x", [0.064, 0.0, -0.0, 1e308, float("inf"), float("nan"), -5.0])
def test_cell_output_fast_path_is_the_general_rule(x):
    got, want = excel.cell_output(x), excel._cell(x)
    assert got == want or (got == "" and want == "")
    assert type(got) is type(want)


def test_numpy_overflow_inside_a_kpi_is_num_never_a_warning(classic):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")   # a RuntimeWarning would fail the call
        got = classic.udfs.NET_CASH([[1e308], [1e308]], [[0.0]], [[0.0]])
        assert got.startswith("#NUM! NET_CASH"), got
        # the state is restored after the call: numpy warns again outside our functions
        with pytest.raises(RuntimeWarning):
            np.array([1e308]) * 10
