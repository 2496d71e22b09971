"""Building blocks of KPIs for one period (``KPI.period``): the rows of a table dated in the period
row's month, and MRR_MOVEMENTS' row of that month.

``in_month(T, c, d)`` is column ``c`` of table ``T`` where the month of its date column ``d`` (one
PERIOD_LABEL call over the whole column, in the settings' calendar) is the period row's label, blank
elsewhere; ``only(T, c, d)`` is its one number (a monthly table has one row a month): #N/A for a
month the table has no row for, never a silent 0, and #N/A for a month with two rows, never their sum
(a duplicated export row; Gregorian months read in the Hijri calendar, where 1 February and 1 March
2014 both fall in Rabi' II 1435: :func:`~xl_cskpi.reports.period.shared_months`, which the Data check
names).
"""

from __future__ import annotations

from ..spec import Call, Col, Match, Name, Op

__all__ = ["month_of", "in_month", "only", "guard"]


def month_of(table: str, column: str) -> Call:
    """The month label of every row of ``table`` in the report's calendar (one call for the column)."""
    return Call("PERIOD_LABEL", Col(table, column), "month", Name("calendar"))


def in_month(table: str, column: str, date: str) -> Match:
    return Match(Col(table, column), month_of(table, date))


def guard(table: str, column: str, date: str, expr):
    """``expr`` where the table has exactly one number in ``column`` for the period's month (a monthly
    table), else #N/A: none is a month without data, two would add two months' counts together."""
    return Call("IF", Op("<>", Call("COUNT", in_month(table, column, date)), 1), Call("NA"), expr)


def only(table: str, column: str, date: str):
    """The month's value of ``column`` in a monthly table (#N/A without a row, or with two)."""
    return guard(table, column, date, Call("SUM", in_month(table, column, date)))
