"""xlwings Lite face (Excel on the web, macOS and Windows): every KPI as a custom function.

In the xlwings Lite task pane, add the line ``xl_cskpi`` to ``requirements.txt`` and this line to
``main.py``::

    from xl_cskpi.lite import *  # noqa: F403  (=NPS(...), =CHURN_RATE(...), ...)

Lite registers the functions it finds in ``main.py`` that carry xlwings' ``@func`` metadata; the
star import puts one per registry entry there, under its Excel name (``__all__`` lists exactly
those names, nothing else). Like :mod:`xl_cskpi.udfs`, the module is generated from
:data:`xl_cskpi.registry.REGISTRY` by :func:`xl_cskpi.excel.build`: a new KPI needs no edit here.

Declaration: ``@func`` (the docstring, i.e. the registry's one-line help, is the description Excel
shows) and ``@arg(name, ndim=2, err_to_str=True, doc=<argument help>)`` per argument; optional
arguments keep their Python default, which Lite marks ``"optional": true`` and fills in when the
cell is left out or blank. Lite has no function categories (a classic-only option). Tables and
columns are returned as lists of rows and spill as dynamic arrays.

**Errors: the code and the reason.** Excel custom functions (Office.js) can carry a message only
on ``#VALUE!`` and ``#N/A``; ``#DIV/0!`` and ``#NUM!`` cannot have one (Microsoft,
``CustomFunctions.ErrorCode``). xlwings Lite offers two means:

* return the exact string ``"#DIV/0!"``: a real ``#DIV/0!`` in the cell, but no reason anywhere;
* raise ``xlwings.XlwingsError(message)``: ``#VALUE!`` in the cell, the message on hover (the
  error flag's menu).

We raise, with the same text the classic add-in shows, the real code first::

    =CHURN_RATE(0, 0)  ->  #VALUE!   hover: "#DIV/0! CHURN_RATE: customers_start is 0; ..."

so the user always learns which argument to fix and why, and ``IFERROR``/``ISERROR`` still see an
error. The price: ``ERROR.TYPE``/``ISNA`` see ``#VALUE!`` for every error. Unexpected exceptions
(bugs) are raised the same way, as ``#VALUE! <NAME>: unexpected error: ...``, never a traceback.
"""

from __future__ import annotations

from typing import Any, Callable, NoReturn

import xlwings as xw

from .errors import KPIError
from .excel import build, call, error_text, unexpected_error_text
from .registry import Function


def _fail(message: str) -> NoReturn:
    raise xw.XlwingsError(message)


def body(entry: Function) -> Callable[[tuple], Any]:
    """What the custom function does: call the KPI, return cells or raise the error text."""

    def run(values: tuple) -> Any:
        try:
            return call(entry, values)
        except KPIError as e:
            message = error_text(e, entry.name)
        except Exception as e:  # noqa: BLE001  (a bug must still not show a traceback)
            message = unexpected_error_text(e, entry.name)
        _fail(message)

    return run


def decorate(entry: Function, func: Callable[..., Any]) -> Callable[..., Any]:
    """Apply the Lite decorators (looked up on ``xlwings`` at import time)."""
    for a in reversed(entry.arguments):
        func = xw.arg(a.name, ndim=2, err_to_str=True, doc=a.help)(func)
    return xw.func()(func)


_FUNCTIONS = build(body, decorate, __name__)
globals().update(_FUNCTIONS)
__all__ = sorted(_FUNCTIONS)
