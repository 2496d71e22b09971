"""A report spec checked before anything is built: every function it calls is ours or a built-in the
evaluator implements, every table, column, setting, spill and Periods column it reads exists.

Split from :mod:`.evaluate` (session 5).
"""

from __future__ import annotations

from typing import Any

from ..registry import REGISTRY
from .spec import (BUILTINS, Call, Col, Cols, CountStatus, Last, Match, Name, Op, PeriodOf, Report, Row, RowBlock,
                   SpillAt, functions_used)

__all__ = ["ReportSpecError", "check_report"]


class ReportSpecError(Exception):
    """A report spec that cannot be built (an unknown function, a missing column)."""


def check_report(report: Report) -> None:
    """Fail loudly when a spec calls a function that is neither ours nor a known built-in."""
    import xl_cskpi  # noqa: F401  (declares every function)

    missing = set()
    for key, expr in report.expressions():
        for f in functions_used(expr):
            if f not in REGISTRY and f not in BUILTINS:
                missing.add(f"{f} (in {key})")
        _check_refs(report, expr, key)
    clashes = [t.name for t in report.tables if t.name.upper() in REGISTRY or t.name.upper() in BUILTINS]
    if clashes:   # LibreOffice reads COMPLAINTS(...) as the table "Complaints" when both exist
        raise ReportSpecError(f"report {report.key}: table names {', '.join(clashes)} clash with function names")
    if missing:
        raise ReportSpecError(f"report {report.key} calls functions that are not in the registry "
                              f"nor known built-ins: {', '.join(sorted(missing))}")


def _check_refs(report: Report, expr: Any, where: str) -> None:
    if isinstance(expr, (Col, Row, Last)):
        report.table(expr.table).column(expr.column)
    elif isinstance(expr, Match):
        _check_refs(report, expr.values, where)
        _check_refs(report, expr.labels, where)
    elif isinstance(expr, CountStatus):
        _check_refs(report, expr.column, where)
    elif isinstance(expr, PeriodOf):
        # a Periods column reads only a column to its left on the same sheet (computed before it)
        order = [k.key for k in report.kpis if k.period is not None] + [k for k, _, _ in report.period_series]
        mine = where.removeprefix("periods.")
        if not where.startswith("periods.") or mine not in order or expr.key not in order[:order.index(mine)]:
            raise ReportSpecError(f"report {report.key}: {where} reads the Periods column {expr.key}, which is not "
                                  "a column before it on the Periods sheet")
        _check_refs(report, expr.expr, where)
    elif isinstance(expr, SpillAt):
        if not any(sp.key == expr.spill for sp in report.spills):
            raise ReportSpecError(f"report {report.key}: {where} reads the spill {expr.spill}, which it does not have")
    elif isinstance(expr, (Cols, RowBlock)):
        report.table(expr.table).column(expr.first)
        report.table(expr.table).column(expr.last)
    elif isinstance(expr, Name):
        known = {s.key for s in report.settings} | {k.key for k in report.kpis} | {"amber_band", "report_period", "period_shown"} | (
            {"confidence_level"} if report.has_intervals else set())
        if expr.key not in known:
            raise ReportSpecError(f"report {report.key}: {where} uses {expr.key}, which is neither a setting "
                                  "nor a KPI of the report")
    elif isinstance(expr, Call):
        for a in expr.args:
            _check_refs(report, a, where)
    elif isinstance(expr, Op):
        _check_refs(report, expr.left, where)
        _check_refs(report, expr.right, where)
