"""The one exception hierarchy of xl_cskpi.

Every error a KPI function raises is a :class:`KPIError`, a ``ValueError`` that carries

* ``code`` -- the Excel error code the Excel faces show (``#VALUE!``, ``#DIV/0!``, ``#NUM!``, ``#N/A``),
* ``function`` -- the Excel name of the function (``CHURN_RATE``), filled in by the registry,
* ``argument`` -- the argument at fault (``customers_start``),
* ``reason`` -- what is wrong and, where it helps, what would be valid.

``str(error)`` is one sentence a user can act on::

    CHURN_RATE: customers_start is 0; the rate needs at least one customer at the start (#DIV/0!)
"""

from __future__ import annotations

__all__ = [
    "KPIError",
    "InvalidInput",
    "DivisionByZero",
    "OutOfRange",
    "NotAvailable",
    "excel_error_text",
]


class KPIError(ValueError):
    """Base class of every xl_cskpi error: a ``ValueError`` with an Excel error code."""

    code = "#VALUE!"

    def __init__(self, reason: str, *, argument: str | None = None, function: str | None = None):
        self.reason = reason
        self.argument = argument
        self.function = function
        super().__init__(self.message)

    @property
    def message(self) -> str:
        head = f"{self.function}: " if self.function else ""
        arg = f"{self.argument} " if self.argument else ""
        return f"{head}{arg}{self.reason} ({self.code})"

    def __str__(self) -> str:  # the message follows a function name filled in later
        return self.message

    @property
    def line(self) -> str:
        """The message without the Excel error code: what a command line prints."""
        head = f"{self.function}: " if self.function else ""
        arg = f"{self.argument} " if self.argument else ""
        return f"{head}{arg}{self.reason}"

    def with_function(self, function: str) -> "KPIError":
        """Name the function if nobody has yet (the registry does this once, at the boundary)."""
        if not self.function:
            self.function = function
            self.args = (self.message,)
        return self


class InvalidInput(KPIError):
    """Wrong type, unreadable text, negative counts, misaligned ranges: Excel's ``#VALUE!``."""

    code = "#VALUE!"


class DivisionByZero(KPIError):
    """A zero denominator or nothing to average (no customers, no responses, no resolved tickets): ``#DIV/0!``."""

    code = "#DIV/0!"


class OutOfRange(KPIError):
    """A number outside what the definition allows (a score of 11, lost > start): Excel's ``#NUM!``."""

    code = "#NUM!"


class NotAvailable(KPIError):
    """A value outside what a lookup or calendar supports (a Hijri date beyond Umm al-Qura): Excel's ``#N/A``."""

    code = "#N/A"


def excel_error_text(error: KPIError) -> str:
    """The text a classic UDF returns to its cell: the code first, then the reason.

    >>> excel_error_text(DivisionByZero("is 0", argument="customers_start", function="CHURN_RATE"))
    '#DIV/0! CHURN_RATE: customers_start is 0'
    """
    head = f"{error.function}: " if error.function else ""
    arg = f"{error.argument} " if error.argument else ""
    return f"{error.code} {head}{arg}{error.reason}"
