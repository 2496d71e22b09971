"""The catalogue: one entry per Excel function, feeding every face.

A KPI is written once, as a pure Python function in ``xl_cskpi/kpi/`` or ``xl_cskpi/tables/``,
and declared here with the :func:`kpi` decorator::

    @kpi(category="Retention", returns="rate", args={
        "customers_start": "Customers at the start of the period",
        "customers_lost": "Customers lost during the period",
    })
    def churn_rate(customers_start, customers_lost): ...

From that one declaration come the Excel name (``CHURN_RATE``, the Python name upper-cased), the
classic xlwings add-in (:mod:`xl_cskpi.udfs`), xlwings Lite (:mod:`xl_cskpi.lite`), the
``xl-cskpi functions`` command, the README's function reference and the template checks.

The decorator also names the function in every :class:`~xl_cskpi.errors.KPIError` that escapes it
and turns a non-finite result (an overflow) into a ``#NUM!`` error, so no face ever shows inf/nan.
"""

from __future__ import annotations

import functools
import inspect
import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .errors import KPIError, OutOfRange

__all__ = ["Argument", "Function", "REGISTRY", "kpi", "catalogue", "CATEGORIES", "RESULT_KINDS"]

#: Families in the order the docs and the ``functions`` command list them.
CATEGORIES = (
    "Surveys",
    "Retention",
    "Revenue",
    "Unit economics",
    "Acquisition & funnel",
    "Support",
    "Customer health",
    "Finance",
    "Calendars",
)

#: What a function returns; the templates pick number formats from it.
RESULT_KINDS = {
    "rate": "a fraction (0.064 = 6.4 %)",
    "points": "NPS points, -100 to 100",
    "money": "an amount in the inputs' currency",
    "count": "a count",
    "number": "a number",
    "ratio": "a ratio (3.2 means 3.2 : 1)",
    "months": "months",
    "days": "days",
    "duration": "a duration in the unit asked for",
    "text": "text",
    "column": "a spilled column (one value per row of the input)",
    "table": "a spilled table with a header row",
}

_EMPTY = inspect.Parameter.empty


@dataclass(frozen=True)
class Argument:
    name: str
    help: str
    default: Any = _EMPTY

    @property
    def optional(self) -> bool:
        return self.default is not _EMPTY

    def signature_text(self) -> str:
        if not self.optional:
            return self.name
        d = self.default
        shown = f'"{d}"' if isinstance(d, str) else ("TRUE" if d is True else "FALSE" if d is False else d)
        return f"[{self.name}={shown}]" if d is not None else f"[{self.name}]"


@dataclass(frozen=True)
class Function:
    name: str
    func: Callable[..., Any] = field(repr=False)
    category: str
    help: str
    returns: str
    arguments: tuple[Argument, ...]

    @property
    def python_name(self) -> str:
        return self.name.lower()

    def signature_text(self) -> str:
        return f"{self.name}({', '.join(a.signature_text() for a in self.arguments)})"


REGISTRY: dict[str, Function] = {}


def _check_result(name: str, result: Any) -> Any:
    if isinstance(result, float) and not math.isfinite(result):
        raise OutOfRange("gives a result too large to represent; check the magnitudes of the inputs",
                         function=name)
    return result


def kpi(*, category: str, returns: str, args: dict[str, str], name: str | None = None):
    """Declare a public KPI function (see the module docstring)."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    if returns not in RESULT_KINDS:
        raise ValueError(f"unknown result kind {returns!r}")

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        excel = name or f.__name__.upper()
        params = inspect.signature(f).parameters
        if list(params) != list(args):
            raise ValueError(f"{excel}: help given for {list(args)} but the function takes {list(params)}")
        doc = inspect.getdoc(f) or ""
        one_line = doc.strip().splitlines()[0] if doc.strip() else ""
        if not one_line:
            raise ValueError(f"{excel}: a docstring is required (its first line is the wizard help)")

        @functools.wraps(f)
        def wrapper(*a: Any, **k: Any) -> Any:
            try:
                with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                    result = f(*a, **k)  # an overflow becomes #NUM! below, not a warning
                return _check_result(excel, result)
            except KPIError as e:
                raise e.with_function(excel) from None

        entry = Function(
            name=excel,
            func=wrapper,
            category=category,
            help=one_line,
            returns=returns,
            arguments=tuple(Argument(p, args[p], params[p].default) for p in params),
        )
        if excel in REGISTRY and REGISTRY[excel].func.__wrapped__ is not f:  # type: ignore[attr-defined]
            raise ValueError(f"{excel} is declared twice")
        REGISTRY[excel] = entry
        wrapper.excel_name = excel  # type: ignore[attr-defined]
        return wrapper

    return decorate


def catalogue() -> list[Function]:
    """Every function, by category then name (imports the KPI modules first)."""
    import xl_cskpi  # noqa: F401  (importing the package declares every function)

    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(REGISTRY.values(), key=lambda f: (order[f.category], f.name))
