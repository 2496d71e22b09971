"""Classic xlwings add-in (Excel on Windows): every KPI as a worksheet function.

Point xlwings at this module (ribbon: ``UDF Modules`` = ``xl_cskpi.udfs``, then *Import
Functions*) and every function of the registry appears under its Excel name (``=CHURN_RATE(B2, B3)``)
in the function wizard, in a category per family (``CS KPIs - Retention``), with its one-line help
and a help line per argument. Nothing here is written by hand per function: the module is generated
from :data:`xl_cskpi.registry.REGISTRY` by :func:`xl_cskpi.excel.build`, so a KPI added to the
registry is a worksheet function after the next *Import Functions*.

How each function is declared (``xlwings/udfs.py``: ``xlfunc``, ``xlarg``, ``generate_vba_wrapper``):

* ``@xw.func(category="CS KPIs - <family>")``; the docstring is the registry's one-line help, which
  ``import_udfs`` passes to ``Application.MacroOptions(Description=...)``;
* ``@xw.arg(name, ndim=2, err_to_str=True, doc=<argument help>)`` for each argument; ``doc`` becomes
  ``MacroOptions(ArgumentDescriptions=...)``. Optional arguments have their Python default, which
  ``generate_vba_wrapper`` turns into ``Optional`` VBA arguments and ``call_udf`` fills in when a
  formula leaves them out;
* parameters are named as in the registry, except that a name VBA reserves gets a trailing
  underscore (``JALALI_MONTH(date_)``): ``Date`` is a VBA type, and one bad parameter name would
  stop the whole generated VBA module from compiling (:data:`VBA_RESERVED`);
* no ``@xw.ret``: results are plain values or lists of rows (see :func:`xl_cskpi.excel.cell_output`).

**Spilling.** A table (``MRR_MOVEMENTS``, ``COHORT_RETENTION``) or a column (``HEALTH_SCORE`` over a
block) is returned as a list of rows; Excel 365 / 2021 spill it as a dynamic array without any
option (xlwings' ``expand="table"`` is the legacy mechanism for Excel versions without dynamic
arrays: it overwrites neighbouring cells and cannot take volatile arguments, so we do not use it).
In Excel 2019 and older, select the output range and confirm the formula with Ctrl+Shift+Enter.

**Errors: no traceback ever reaches a cell.** When a classic UDF raises, the VBA wrapper that
xlwings generates catches it and writes ``Err.Description`` -- the Python traceback -- into the cell
(``generate_vba_wrapper``: ``failed: NAME = Err.Description``). So every function here *returns*
its error instead: the Excel code first, then the function, the argument and the reason::

    =CHURN_RATE(0, 0)       ->  #DIV/0! CHURN_RATE: customers_start is 0; the rate needs ...
    =CHURN_RATE("abc", 1)   ->  #VALUE! CHURN_RATE: customers_start has 'abc' in cell 1, ...

and any other exception (a bug) becomes ``#VALUE! <NAME>: unexpected error: <type>: <message>``.
Test for it with ``=LEFT(A1, 1) = "#"`` or ``ISTEXT``: it is text, so ``ISERROR``/``IFERROR`` do not
see it. Could a classic UDF return a real error value instead? We looked: ``call_udf`` hands the
result to Excel through COM and the VBA wrapper assigns it to the function; a Python string
``"#N/A"`` arrives as text (as it would from a VBA function), and returning
``win32com.client.VARIANT(pythoncom.VT_ERROR, -2146826246)`` does not produce ``#N/A`` either
(xlwings issue #776, still open; the maintainer tried exactly that). A real error value would also
lose the reason, which is the part a user can act on. Hence the text. (xlwings Lite can do better:
see :mod:`xl_cskpi.lite`.)

**Inputs** arrive as xlwings delivers them (numbers as float, dates as datetime, blanks as None,
error cells as their text) and are coerced by :mod:`xl_cskpi.cells` inside each KPI function.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

import xlwings as xw

from .errors import KPIError
from .excel import build, call, error_text, unexpected_error_text
from .registry import Argument, Function

#: Function-wizard categories are "CS KPIs - Surveys", "CS KPIs - Retention", ...
CATEGORY_PREFIX = "CS KPIs - "


def category(entry: Function) -> str:
    """The function-wizard category of a registry entry."""
    return CATEGORY_PREFIX + entry.category


#: Names a VBA parameter cannot have: VBA keywords and type names, and what the wrapper that
#: ``generate_vba_wrapper`` writes uses in the function body (``Array``, ``XLPy``, ``Err`` ...).
#: One such parameter is a compile error that breaks *every* function of the imported module.
VBA_RESERVED = frozenset(w.lower() for w in """
    And Any Application ActiveWorkbook Array As Attribute Boolean ByRef Byte ByVal Call Case CBool
    CByte CCur CDate CDbl CDec CInt CLng CLngLng CLngPtr Close Const CSng CStr Currency CVar CVErr
    Date Decimal Declare DefBool DefByte DefCur DefDate DefDbl DefDec DefInt DefLng DefLngLng
    DefLngPtr DefObj DefSng DefStr DefVar Dim Do Double Each Else ElseIf Empty End EndIf Enum Eqv
    Erase Err Error Event Exit False For Friend Function Get Global GoSub GoTo If Imp Implements In
    Input Integer Is LBound Len Let Like Line Lock Long LongLong LongPtr Loop LSet Me Mid Mod Name
    New Next Not Nothing Null Object On Open Option Optional Or ParamArray Preserve Print Private
    Property Public Put RaiseEvent ReDim Rem Resume Return RSet Seek Select Set Shared Single Static
    Step Stop String Sub Then ThisWorkbook To True Type TypeOf UBound Unlock Until Variant Wend
    While Width With WithEvents Write XLPy Xor
    Abs AddressOf Debug DoEvents Fix Int Scale Sgn Tab
""".split())


def vba_name(argument: str, function: str) -> str:
    """The parameter name the VBA wrapper (and so Excel's wizard) uses: ``date`` -> ``date_``.

    >>> vba_name("date", "JALALI_MONTH"), vba_name("scores", "NPS")
    ('date_', 'scores')
    """
    if argument.lower() in VBA_RESERVED or argument.lower() == function.lower():
        return argument + "_"
    return argument


def parameters(entry: Function) -> tuple[Argument, ...]:
    """The registry's arguments, renamed where VBA needs it (order and defaults unchanged)."""
    return tuple(dataclasses.replace(a, name=vba_name(a.name, entry.name)) for a in entry.arguments)


def body(entry: Function) -> Callable[[tuple], Any]:
    """What the worksheet function does: call the KPI, return cells or the error text."""

    def run(values: tuple) -> Any:
        try:
            return call(entry, values)
        except KPIError as e:
            return error_text(e, entry.name)
        except Exception as e:  # noqa: BLE001  (a bug must still not print a traceback in a cell)
            return unexpected_error_text(e, entry.name)

    return run


def decorate(entry: Function, func: Callable[..., Any]) -> Callable[..., Any]:
    """Apply the classic decorators (looked up on ``xlwings`` at import time)."""
    for a in reversed(parameters(entry)):
        func = xw.arg(a.name, ndim=2, err_to_str=True, doc=a.help)(func)
    return xw.func(category=category(entry))(func)


_FUNCTIONS = build(body, decorate, __name__, parameters=parameters)
globals().update(_FUNCTIONS)
__all__ = sorted(_FUNCTIONS)
