"""The xlwings Lite face (xl_cskpi.lite), checked with recording stand-ins for Lite's decorators.

What only Excel can confirm (not tested here): that Lite registers the star-imported functions
from ``main.py``, shows the descriptions, spills the rows, and shows an ``XlwingsError``'s message
on hover of the ``#VALUE!`` cell.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import re

import pytest

import xlwings
from xl_cskpi import excel
from xl_cskpi.errors import KPIError, excel_error_text
from xl_cskpi.registry import REGISTRY, Argument, Function, catalogue

from xlwings_stubs import (
    BAD_CELLS,
    Unshapeable,
    doctest_calls,
    lite_shaped,
    lite_xlwings,
    positional,
    same_cells,
)

NAMES = [f.name for f in catalogue()]
CODES = "|".join(re.escape(c) for c in excel.ERROR_CODES)


@pytest.fixture(scope="module")
def lite():
    with lite_xlwings() as module:
        yield module


def test_star_import_brings_exactly_the_kpis(lite):
    namespace: dict = {}
    exec("from xl_cskpi.lite import *", namespace)  # what users put in Lite's main.py
    assert sorted(k for k in namespace if k != "__builtins__") == sorted(REGISTRY)
    assert all(namespace[n] is getattr(lite, n) for n in REGISTRY)


@pytest.mark.parametrize("name", NAMES)
def test_lite_metadata(lite, name):
    entry = REGISTRY[name]
    fn = getattr(lite, name)
    meta = fn.__xlwings_lite__
    assert fn.__name__ == name  # Lite's function id is the upper-cased Python name
    assert fn.__doc__ == entry.help  # Lite's description
    assert meta["func"] == {}  # no namespace: =NPS(...), as the contract says
    assert meta["args"] == {a.name: {"ndim": 2, "err_to_str": True, "doc": a.help, "convert": None}
                            for a in entry.arguments}
    params = inspect.signature(fn).parameters
    assert list(params) == [a.name for a in entry.arguments]
    for a in entry.arguments:  # Lite marks a parameter optional when it has a default
        assert (params[a.name].default is not inspect.Parameter.empty) == a.optional
        if a.optional:
            assert params[a.name].default == a.default


@pytest.mark.parametrize("name", NAMES)
def test_worked_examples_give_the_same_numbers(lite, name):
    entry = REGISTRY[name]
    fn = getattr(lite, name)
    tried = 0
    for args, kwargs in doctest_calls(entry):
        values = positional(entry, args, kwargs)
        try:
            cells = [lite_shaped(v) for v in values]
        except Unshapeable:
            continue
        tried += 1
        try:
            want = excel.cell_output(entry.func(*values))
        except KPIError as e:
            with pytest.raises(xlwings.XlwingsError) as raised:
                fn(*cells)
            assert str(raised.value) == excel_error_text(e)
            continue
        # Lite sends date-times as serial numbers: a double holds 08:00 to within ~1 microsecond,
        # so durations agree with the datetime results to 1e-9 (Excel shows the same digits)
        assert same_cells(fn(*cells), want, rel=1e-9), values
    assert tried, f"{name}: no worked example with worksheet-shaped arguments"


def test_errors_are_raised_with_the_code_and_the_reason(lite):
    with pytest.raises(xlwings.XlwingsError, match=r"^#DIV/0! CHURN_RATE: customers_start is 0"):
        lite.CHURN_RATE(0, 0)
    with pytest.raises(xlwings.XlwingsError, match=r"^#VALUE! CHURN_RATE: customers_start is empty"):
        lite.CHURN_RATE(None, 1)  # a blank single cell arrives as None in Lite
    with pytest.raises(xlwings.XlwingsError) as raised:
        lite.CHURN_RATE(0, 0)
    assert raised.value.__cause__ is None and raised.value.__context__ is None  # no chained traceback


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # 1e308 + 1e308
@pytest.mark.parametrize("name", NAMES)
def test_bad_input_raises_only_xlwings_errors(lite, name):
    entry = REGISTRY[name]
    fn = getattr(lite, name)
    base = [lite_shaped(v) for v in next(positional(entry, a, k) for a, k in doctest_calls(entry))]
    errors = 0
    for i in range(len(entry.arguments)):
        for bad in BAD_CELLS:
            args = list(base) + [None] * (len(entry.arguments) - len(base))
            args[i] = bad
            try:
                fn(*args)
            except xlwings.XlwingsError as e:  # anything else fails the test
                assert re.match(rf"({CODES}) {name}: \S", str(e)), str(e)
                assert "unexpected error" not in str(e) and "\n" not in str(e), str(e)
                errors += 1
    assert errors, f"{name}: no bad input was rejected"


def test_an_unexpected_exception_becomes_a_short_xlwings_error():
    def broken(scores):
        """Broken on purpose."""
        return 1 / 0

    entry = Function("BROKEN", broken, "Surveys", "Broken on purpose.", "number",
                     (Argument("scores", "Scores"),))
    from xl_cskpi import lite

    fn = excel.build(lite.body, lambda e, f: f, "tests", [entry])["BROKEN"]
    with pytest.raises(xlwings.XlwingsError) as raised:
        fn([[1]])
    assert str(raised.value) == "#VALUE! BROKEN: unexpected error: ZeroDivisionError: division by zero"


def test_lite_import_needs_nothing_pyodide_lacks():
    # Lite runs in Pyodide: importing the face must not pull in native-only packages (calamine),
    # the workbook stack (openpyxl), the Windows runtime or xlwings' licensed modules.
    code = ("import sys, xl_cskpi.lite; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('python_calamine', 'openpyxl', 'formulas', 'pythoncom', 'win32com') "
            "or m in ('xlwings.udfs', 'xlwings.pro')); print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
