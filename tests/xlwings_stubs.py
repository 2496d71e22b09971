"""Test helpers for the Excel faces: the real classic decorators on Linux, Lite recording stubs,
and xlwings-shaped versions of Python arguments.

Classic: ``xlwings.udfs`` (the module behind ``@xw.func`` on Windows) imports ``pythoncom``,
``pywintypes`` and ``win32com.client`` at import time. :func:`classic_xlwings` puts minimal stand-ins
for those four modules into ``sys.modules``, imports the real ``xlwings.udfs``, binds its
``xlfunc``/``xlarg``/``xlret`` as ``xlwings.func``/``arg``/``ret`` (what ``xlwings/__init__.py`` does on
Windows) and imports ``xl_cskpi.udfs`` fresh under them. On exit every module and attribute it
touched is put back, so tests that run later see the plain Linux xlwings.

Lite: the real decorators live in ``xlwings.pro`` and need a licence key to import, which CI must
not need. :func:`lite_xlwings` binds recording stand-ins with the same call signatures
(``func(**options)``, ``arg(name, convert=None, **options)``, ``ret(convert=None, **options)``) that
store what was declared in ``__xlwings_lite__``; the tests check it against the registry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import doctest
import importlib
import inspect
import sys
import types
from typing import Any, Iterator

import numpy as np
import pandas as pd

import xlwings

_WIN_MODULES = ("pythoncom", "pywintypes", "win32com", "win32com.client")
_DECORATORS = ("func", "arg", "ret")


class _ComError(Exception):
    pass


def _windows_stubs() -> dict[str, types.ModuleType]:
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pythoncom.IID_IDispatch = object()
    pythoncom.CoMarshalInterThreadInterfaceInStream = lambda *a: None
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = _ComError
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")

    def dispatch(*a: Any, **k: Any) -> Any:
        raise AssertionError("no COM on Linux: a test reached win32com.client.Dispatch")

    client.Dispatch = dispatch
    win32com.client = client
    return {"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com,
            "win32com.client": client}


@contextlib.contextmanager
def _swapped(modules: dict[str, types.ModuleType | None], attributes: dict[str, Any],
             fresh: tuple[str, ...]) -> Iterator[None]:
    """Swap sys.modules entries and xlwings attributes; forget ``fresh`` modules; undo on exit."""
    import xl_cskpi

    saved_modules = {name: sys.modules.get(name) for name in [*modules, *fresh]}
    saved_attrs = {name: getattr(xlwings, name) for name in attributes}
    saved_children = {"xlwings.udfs": getattr(xlwings, "udfs", None),
                      "xl_cskpi": {n: getattr(xl_cskpi, n, None) for n in ("udfs", "lite")}}
    try:
        for name in fresh:
            sys.modules.pop(name, None)
        for name, module in modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        for name, value in attributes.items():
            setattr(xlwings, name, value)
        yield
    finally:
        for name, module in saved_modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        for name, value in saved_attrs.items():
            setattr(xlwings, name, value)
        if saved_children["xlwings.udfs"] is None:
            vars(xlwings).pop("udfs", None)
        for n, value in saved_children["xl_cskpi"].items():
            if value is None:
                vars(xl_cskpi).pop(n, None)
            else:
                setattr(xl_cskpi, n, value)


@contextlib.contextmanager
def classic_xlwings() -> Iterator[tuple[types.ModuleType, types.ModuleType]]:
    """Yield ``(xl_cskpi.udfs, xlwings.udfs)`` built with the real classic decorators."""
    stubs = _windows_stubs()
    with _swapped(stubs, {}, fresh=("xlwings.udfs", "xl_cskpi.udfs")):
        xl_udfs = importlib.import_module("xlwings.udfs")
        with _swapped({}, {"func": xl_udfs.xlfunc, "arg": xl_udfs.xlarg, "ret": xl_udfs.xlret},
                      fresh=()):
            ours = importlib.import_module("xl_cskpi.udfs")
            yield ours, xl_udfs


def _record(f: Any) -> dict:
    if not hasattr(f, "__xlwings_lite__"):
        f.__xlwings_lite__ = {"func": None, "args": {}, "ret": {}}
    return f.__xlwings_lite__


def lite_func(f: Any = None, **options: Any) -> Any:
    def inner(g: Any) -> Any:
        _record(g)["func"] = options
        return g

    return inner if f is None else inner(f)


def lite_arg(arg: str, convert: Any = None, **options: Any) -> Any:
    def inner(g: Any) -> Any:
        if arg not in inspect.signature(g).parameters:
            raise AssertionError(f"@arg({arg!r}) names no parameter of {g.__name__}")
        _record(g)["args"][arg] = dict(options, convert=convert)
        return g

    return inner


def lite_ret(convert: Any = None, **options: Any) -> Any:
    def inner(g: Any) -> Any:
        _record(g)["ret"] = dict(options, convert=convert)
        return g

    return inner


@contextlib.contextmanager
def lite_xlwings() -> Iterator[types.ModuleType]:
    """Yield ``xl_cskpi.lite`` imported under recording Lite decorators."""
    with _swapped({}, {"func": lite_func, "arg": lite_arg, "ret": lite_ret},
                  fresh=("xl_cskpi.lite",)):
        yield importlib.import_module("xl_cskpi.lite")


# --------------------------------------------------------------------------- xlwings-shaped input

#: Bad cells for any argument, as xlwings delivers them (read with ndim=2).
BAD_CELLS = [
    [["abc"]],                      # text that is not a number or a date
    [[True]],                       # a logical
    [[None]],                       # a blank where a value is required
    [["#DIV/0!"]],                  # an error cell
    [[-1.0]],                       # negative
    [[0.0]],                        # zero
    [[1e308], [1e308]],             # overflow
    [["۱۲"], ["x"]],               # Persian digits, then junk
    [[1.0, 2.0], [3.0, None]],      # a block where one cell is expected
    [[dt.datetime(2024, 9, 1)]],    # a date where a number is expected
    [[None], [None], [None]],       # an empty range
]




class Unshapeable(Exception):
    """A Python argument that has no worksheet equivalent (a dict, a DataFrame with labels...)."""


def cell(v: Any) -> Any:
    """One cell as classic xlwings delivers it: float, str, bool, datetime or None."""
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, float, np.integer, np.floating)):
        return None if isinstance(v, (float, np.floating)) and np.isnan(v) else float(v)
    if isinstance(v, str):
        return v
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.to_pydatetime().replace(tzinfo=None)
    if isinstance(v, np.datetime64):
        return None if np.isnat(v) else pd.Timestamp(v).to_pydatetime()
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=None)
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)  # Excel has no date-only type
    if v is pd.NaT or (not isinstance(v, (list, tuple, dict)) and pd.isna(v)):
        return None
    raise Unshapeable(repr(v))


def shaped(v: Any) -> Any:
    """A Python argument as a worksheet range read with ``ndim=2``: rows of cells.

    A scalar is a one-cell range, a 1-D sequence a column, a nested list or 2-D array a block.
    An empty sequence is a blank cell (Excel has no empty range).
    """
    if isinstance(v, pd.DataFrame):
        raise Unshapeable("DataFrame")
    if isinstance(v, (pd.Series, pd.Index)):
        v = v.tolist()
    if isinstance(v, np.ndarray):
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        if not v:
            return [[None]]
        if any(isinstance(r, (list, tuple, np.ndarray)) for r in v):
            rows = [list(r) if isinstance(r, (list, tuple, np.ndarray)) else [r] for r in v]
            width = max(len(r) for r in rows)
            return [[cell(c) for c in r] + [None] * (width - len(r)) for r in rows]
        return [[cell(c)] for c in v]
    if isinstance(v, dict):
        raise Unshapeable("dict")
    return [[cell(v)]]


def same_cells(a: Any, b: Any, rel: float = 1e-12) -> bool:
    """Cells equal up to float rounding; a 1x1 block equals its one value (Excel shows both alike)."""
    def unwrap(x: Any) -> Any:
        if isinstance(x, list) and len(x) == 1 and isinstance(x[0], list) and len(x[0]) == 1:
            return x[0][0]
        return x

    a, b = unwrap(a), unwrap(b)
    if isinstance(a, list) or isinstance(b, list):
        return (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
                and all(same_cells(x, y, rel) for x, y in zip(a, b)))
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= rel * max(1.0, abs(a), abs(b))
    return a == b


def doctest_calls(entry: Any) -> list[tuple[tuple, dict]]:
    """The calls of ``entry``'s own function in its docstring's worked examples (args, kwargs).

    The examples run with the function replaced by a recorder, in the defining module's namespace;
    examples that raise (documented errors) are recorded too.
    """
    inner = inspect.unwrap(entry.func)
    module = sys.modules[inner.__module__]
    calls: list[tuple[tuple, dict]] = []

    def recorder(*args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        return entry.func(*args, **kwargs)

    for test in doctest.DocTestFinder().find(inner, entry.name, globs=dict(vars(module))):
        globs = dict(test.globs)
        globs[entry.python_name] = recorder
        globs[inner.__name__] = recorder
        for example in test.examples:
            try:
                exec(compile(example.source, f"<{entry.name} example>", "exec"), globs)  # noqa: S102
            except Exception:  # noqa: BLE001 (an example that documents an error)
                pass
    return calls


def positional(entry: Any, args: tuple, kwargs: dict) -> list:
    """Python call arguments in registry order; omitted optional arguments left out at the end."""
    names = [a.name for a in entry.arguments]
    values = list(args) + [None] * (len(names) - len(args))
    given = [True] * len(args) + [False] * (len(names) - len(args))
    for k, v in kwargs.items():
        i = names.index(k)
        values[i], given[i] = v, True
    last = max((i for i, g in enumerate(given) if g), default=-1)
    out = []
    for i in range(last + 1):
        out.append(values[i] if given[i] else entry.arguments[i].default)
    return out


def lite_shaped(v: Any) -> Any:
    """A Python argument as xlwings Lite delivers it with ``ndim=2``.

    Office.js has no date type: date cells arrive as serial numbers; whole numbers arrive as int
    (Pyodide turns a safe-integer JS number into an int); a blank one-cell argument arrives as None.
    """
    from xlwings.utils import datetime_to_xlserial

    def lite_cell(c: Any) -> Any:
        if isinstance(c, dt.datetime):
            return datetime_to_xlserial(c)
        if isinstance(c, float) and c.is_integer() and abs(c) < 2**53:
            return int(c)
        return c

    rows = [[lite_cell(c) for c in r] for r in shaped(v)]
    return None if rows == [[None]] else rows
