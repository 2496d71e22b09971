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


# --------------------------------------------------------------------------- the files to paste


def _lite_script(f=None, **options):
    """Recording stand-in for Lite's ``@script`` / ``@script(name=...)``."""
    def inner(g):
        g.__xlwings_lite_script__ = options
        return g

    return inner if f is None else inner(f)


@pytest.fixture()
def main_module(lite, monkeypatch):
    """Lite's main.py as ``xl-cskpi lite`` writes it, executed under the recording decorators."""
    from xl_cskpi.lite import main_py

    monkeypatch.setattr(xlwings, "script", _lite_script)
    namespace: dict = {"__name__": "main"}
    exec(compile(main_py(), "main.py", "exec", dont_inherit=True), namespace)  # what Lite does with the main.py tab
    return namespace


def test_main_py_registers_every_function_and_one_script(main_module):
    functions = {k: v for k, v in main_module.items() if hasattr(v, "__xlwings_lite__")}
    assert sorted(functions) == sorted(REGISTRY) and len(functions) >= 54
    scripts = [v for v in main_module.values() if hasattr(v, "__xlwings_lite_script__")]
    assert len(scripts) == 1
    run = scripts[0]
    assert run.__xlwings_lite_script__ == {"name": "Recalculate xl_cskpi formulas"}
    assert inspect.iscoroutinefunction(run)
    params = inspect.signature(run).parameters
    assert [p.annotation for p in params.values()] == [xlwings.Book]  # how Lite hands over the book


class FakeRange:
    """The part of Lite's Range a script uses: position, on-demand formulas, formula writes."""

    def __init__(self, sheet, row, column, formulas=None):
        self.sheet, self.row, self.column, self._formulas = sheet, row, column, formulas

    def options(self, ndim=None):
        assert ndim == 2
        return self

    async def get_formula(self):
        return self._formulas

    @property
    def formula(self):  # Lite cannot read formulas synchronously
        raise NotImplementedError("use 'await myrange.get_formula()'")

    @formula.setter
    def formula(self, text):
        self.sheet.written.append((self.row, self.column, text))


class FakeSheet:
    def __init__(self, name, top_left=None, formulas=None):
        self.name, self.written = name, []
        self._used = None if formulas is None else FakeRange(self, *top_left, formulas)

    async def get_used_range(self, values_only=False):
        assert values_only is True  # formula cells have values; formatted-only cells need no reading
        return self._used

    def range(self, cell):
        return FakeRange(self, *cell)


class OldFakeRange(FakeRange):
    """A Lite before on-demand reads: formulas read synchronously."""

    def __getattribute__(self, name):
        if name == "get_formula":
            raise AttributeError(name)
        return object.__getattribute__(self, name)

    @property
    def formula(self):
        return self._formulas

    @formula.setter
    def formula(self, text):
        self.sheet.written.append((self.row, self.column, text))


class OldFakeSheet(FakeSheet):
    """A Lite before 0.37.5: no get_used_range, the values snapshot's used_range instead."""

    def __init__(self, name, top_left, formulas):
        super().__init__(name)
        self._used = OldFakeRange(self, *top_left, formulas)

    def __getattribute__(self, name):
        if name == "get_used_range":
            raise AttributeError(name)
        return object.__getattribute__(self, name)

    @property
    def used_range(self):
        return self._used


class FakeBook:
    def __init__(self, *sheets):
        self.sheets = list(sheets)


def _dashboard():
    # A Dashboard whose used range starts at B3: our calls in any case and behind Excel's _xludf.
    # prefix are re-entered; a spill's other cells (values), built-ins, text and constants are not.
    return FakeSheet("Dashboard", (3, 2), [
        ["KPI", "=NRR(Revenue!B2:B9,Revenue!C2:C9)", 0.97, None],
        ["=SUM(C3:C4)", '="CHURN_RATE(" & B3', "=_xludf.churn_rate(1000, 64)", "=nps(Survey!A2:A500)"],
        ["=MRR_MOVEMENTS(A2:A9,B2:B9,C2:C9)", "2024-09", 12, "=IFERROR(CSAT(A2:A9),\"n/a\")"],
    ])


def test_reenter_formulas_writes_back_exactly_our_formula_cells():
    import asyncio

    from xl_cskpi.lite import reenter_formulas

    dash, empty = _dashboard(), FakeSheet("Empty")
    old = OldFakeSheet("Old", (2, 1), [["=GRR(A2:A3,B2:B3)", "=A1"]])
    count = asyncio.run(reenter_formulas(FakeBook(dash, empty, old)))
    # by hand: B3 NRR, D4 _xludf.churn_rate, E4 nps, B5 MRR_MOVEMENTS, E5 CSAT inside IFERROR; A1 GRR
    assert dash.written == [
        (3, 3, "=NRR(Revenue!B2:B9,Revenue!C2:C9)"),
        (4, 4, "=_xludf.churn_rate(1000, 64)"),
        (4, 5, "=nps(Survey!A2:A500)"),
        (5, 2, "=MRR_MOVEMENTS(A2:A9,B2:B9,C2:C9)"),
        (5, 5, "=IFERROR(CSAT(A2:A9),\"n/a\")"),
    ]
    assert empty.written == [] and old.written == [(2, 1, "=GRR(A2:A3,B2:B3)")]
    assert count == 6


def test_the_main_py_script_reenters_and_says_how_many(main_module, capsys):
    import asyncio

    run = next(v for v in main_module.values() if hasattr(v, "__xlwings_lite_script__"))
    dash = _dashboard()
    asyncio.run(run(FakeBook(dash)))
    assert len(dash.written) == 5
    assert capsys.readouterr().out == "xl_cskpi: 5 formula cells re-entered\n"


@pytest.mark.parametrize("formula, ours", [
    ("=NRR(A1:A3, B1:B3)", True),
    ("=  sum(A1) + health_score (B2:D9, F1:H1)", True),   # spaces before the bracket, lower case
    ("=XL.NPS(A2:A9)", True),                              # a namespace
    ("=SUM(NPS_A1)", False),                               # a defined name that starts like one
    ("='NPS(1)'!A1 + 1", False),                           # a sheet named like a call
    ('=CONCAT("NRR(", A1)', False),                        # a call inside text
    ('=IF(A1="x""NPS(y", 1, NPS(B1:B9))', True),          # doubled quotes end the text where Excel does
    ("NPS(A1)", False),                                    # text in a cell, not a formula
    (None, False), (64, False),
])
def test_calls_ours(formula, ours):
    from xl_cskpi.lite import calls_ours

    assert calls_ours(formula) is ours


def test_requirements_txt_wheel_url_or_an_honest_note(monkeypatch):
    from xl_cskpi import __version__, lite

    url = f"https://files.example.com/cs/xl_cskpi-{__version__}-py3-none-any.whl"
    lines = lite.requirements_txt(url).splitlines()
    assert [line for line in lines if not line.startswith("#")] == [url]
    # not published: no line that installs anything (a bare name could install someone else's package)
    assert all(line.startswith("#") for line in lite.requirements_txt().splitlines())
    assert "--wheel-url" in lite.requirements_txt()
    monkeypatch.setattr(lite, "PUBLISHED", True)
    assert lite.requirements_txt().splitlines()[-1] == f"xl_cskpi=={__version__}"
    for bad in ["xl_cskpi", "ftp://h/xl_cskpi-0.1.0-py3-none-any.whl", "https://h/dist/",
                "https://h/xl_cskpi-0.1.0.tar.gz", "https://h/other-0.1.0-py3-none-any.whl",
                "https://h/xl_cskpi-0.1.0-py3-none-any.whl\nevil", "https://h/a b/xl_cskpi-0.1-py3-none-any.whl"]:
        with pytest.raises(ValueError, match="--wheel-url"):
            lite.requirements_txt(bad)


def test_write_lite_writes_both_files_or_nothing(tmp_path):
    from xl_cskpi.lite import main_py, requirements_txt, write_lite
    from xl_cskpi.output import OutputExistsError

    url = "https://h.example/xl_cskpi-0.1.0-py3-none-any.whl"
    out = tmp_path / "lite"
    paths = write_lite(out, wheel_url=url)
    assert paths == [out / "main.py", out / "requirements.txt"]
    assert paths[0].read_text(encoding="utf-8") == main_py()
    assert paths[1].read_text(encoding="utf-8") == requirements_txt(url)
    # requirements.txt alone is taken: refused before main.py is written either
    other = tmp_path / "other"
    other.mkdir()
    (other / "requirements.txt").write_text("mine\n")
    with pytest.raises(OutputExistsError, match="requirements.txt exists; use --force"):
        write_lite(other)
    assert sorted(p.name for p in other.iterdir()) == ["requirements.txt"]
    assert (other / "requirements.txt").read_text() == "mine\n"
    with pytest.raises(ValueError, match="--wheel-url"):
        write_lite(tmp_path / "bad", wheel_url="https://h/x.zip")
    assert not (tmp_path / "bad").exists()
    assert write_lite(other, force=True) == [other / "main.py", other / "requirements.txt"]
    assert (other / "requirements.txt").read_text(encoding="utf-8") == requirements_txt()


# --------------------------------------------------------------------------- the real Lite decorators


def _real_lite_source():
    import pathlib

    return pathlib.Path(xlwings.__file__).parent / "pro" / "udfs_officejs.py"


def test_recording_stubs_take_the_real_lite_decorators_arguments():
    # The real decorators are read as source (importing them needs a licence key, see below): the
    # stand-ins must accept what they accept, so that main.py and xl_cskpi.lite call them rightly.
    import ast

    from xlwings_stubs import lite_arg, lite_func, lite_ret

    tree = ast.parse(_real_lite_source().read_text(encoding="utf-8"))
    real = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in ("xlfunc", "xlarg", "xlret", "script"):
            a = node.args
            real[node.name] = ([p.arg for p in a.posonlyargs + a.args], a.kwarg is not None)
    ours = {"xlfunc": lite_func, "xlarg": lite_arg, "xlret": lite_ret, "script": _lite_script}
    for name, stub in ours.items():
        params = inspect.signature(stub).parameters
        positional = [p for p in params if params[p].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
        names, takes_options = real[name]
        assert positional == names[:len(positional)], name
        assert takes_options, name  # the options we pass (ndim, err_to_str, doc, name) go through **kwargs
        for extra in names[len(positional):]:
            assert extra in ("name", "required_roles", "include", "exclude", "button", "show_taskpane")


def test_real_lite_decorators_register_main_py_or_need_a_licence_key(tmp_path):
    """With XLWINGS_LICENSE_KEY in the environment, main.py goes through xlwings' own Lite
    registration (custom_functions_meta / custom_scripts_meta, what Lite sends to Excel). Without
    it, importing them must still fail for want of a key: the day it does not, this test fails and
    the recording stand-ins should give way to the real decorators."""
    import json
    import os

    code = (
        "import json, types\n"
        "from xlwings.server import custom_functions_meta, custom_scripts_meta\n"
        "from xl_cskpi.lite import main_py\n"
        "main = types.ModuleType('main')\n"
        "exec(compile(main_py(), 'main.py', 'exec'), main.__dict__)\n"
        "print(json.dumps({'functions': [f['name'] for f in custom_functions_meta(main)['functions']],\n"
        "                  'scripts': custom_scripts_meta(main)}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "XLWINGS_LICENSE_KEY"}
    env["HOME"] = str(tmp_path)  # no ~/.xlwings/xlwings.conf with a key in it
    key = os.environ.get("XLWINGS_LICENSE_KEY")
    if key:
        env.update(XLWINGS_LICENSE_KEY=key, XLWINGS_ON_SERVER="true")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    if not key:
        assert r.returncode != 0 and "LicenseError" in r.stderr, r.stdout + r.stderr
        return
    assert r.returncode == 0, r.stderr
    meta = json.loads(r.stdout.splitlines()[-1])
    assert sorted(meta["functions"]) == sorted(REGISTRY) and len(meta["functions"]) >= 54
    assert [(s["function_name"], s["name"]) for s in meta["scripts"]] == [
        ("recalculate_xl_cskpi", "Recalculate xl_cskpi formulas")]


def test_docs_show_the_main_py_that_is_written():
    import pathlib

    from xl_cskpi.lite import main_py

    docs = (pathlib.Path(__file__).resolve().parent.parent / "docs" / "excel.md").read_text(encoding="utf-8")
    shown = re.search(r"```python\n(import xlwings as xw\n.+?)```", docs, re.S).group(1)
    assert shown in main_py()
