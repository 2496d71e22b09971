"""Package-wide checks: the registry, the doctests, and the purity of the KPI math."""

import doctest
import importlib
import inspect
import pkgutil
import subprocess
import sys

import pytest

import xl_cskpi
from xl_cskpi.errors import KPIError
from xl_cskpi.registry import REGISTRY, catalogue

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(xl_cskpi.__path__, "xl_cskpi.")
    if not m.name.endswith(("__main__",))
)


@pytest.mark.parametrize("name", [f.name for f in catalogue()])
def test_every_function_has_a_worked_example_that_holds(name):
    """Every KPI's docstring carries a worked example; run it as a doctest."""
    entry = REGISTRY[name]
    inner = inspect.unwrap(entry.func)
    module = sys.modules[inner.__module__]
    tests = doctest.DocTestFinder().find(inner, name, globs=dict(vars(module)))
    examples = sum(len(t.examples) for t in tests)
    assert examples >= 1, f"{name} has no worked example in its docstring"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in tests:
        runner.run(t)
    assert runner.failures == 0


@pytest.mark.parametrize("modname", MODULES)
def test_module_doctests(modname):
    module = importlib.import_module(modname)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_public_api_is_the_registry():
    assert sorted(xl_cskpi.__all__) == sorted(f.python_name for f in REGISTRY.values())
    for f in REGISTRY.values():
        assert getattr(xl_cskpi, f.python_name) is f.func
        assert f.name == f.python_name.upper()
        assert f.help and len(f.help) <= 255, f.name  # Excel's wizard shows at most 255 characters
        for a in f.arguments:
            assert a.help and len(a.help) <= 255, (f.name, a.name)


def test_docstrings_cite_a_source_and_edge_cases():
    for f in REGISTRY.values():
        doc = inspect.getdoc(f.func)
        assert "Source" in doc, f"{f.name}: name the source of the definition"
        assert "Edge cases" in doc or "Errors" in doc, f"{f.name}: document the degenerate inputs"


def test_kpi_math_imports_neither_xlwings_nor_openpyxl():
    code = ("import sys, xl_cskpi, xl_cskpi.cells, xl_cskpi.registry; "
            "bad = [m for m in ('xlwings', 'openpyxl') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_errors_name_the_function():
    with pytest.raises(KPIError, match=r"^CHURN_RATE: customers_start"):
        xl_cskpi.churn_rate(0, 0)
