"""Data not given: a KPI, spill or Periods cell whose table or column the user did not give reads
"n/a: no employee survey given" (:class:`Absent`), never an error of the data or a silent 0.

Split from :mod:`.evaluate` (session 5): what is absent is decided before anything is computed, by
the data an expression reads (:func:`~.spec.data_refs`), in both kinds of report.
"""

from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from ..errors import KPIError
from .cellvalues import _blank
from .spec import data_refs

__all__ = ["Absent", "absence", "is_absent_column"]


class Absent(KPIError):
    """A KPI (spill, trend cell) whose data was not given: "n/a: no employee survey given".

    Not an error of the data: a report runs from whichever of its tables are given (an absent key of
    ``data``), and a table may lack optional columns (a Finance table derived from a subscriptions
    export has no sales & marketing spend). ``reason`` is the English sentence; ``key`` and ``fields``
    give it in the report's language: :meth:`text`. ``table``/``column`` name what is missing.
    It is a :class:`KPIError` (code ``"n/a"``) so every place that shows an error shows it.
    """

    code = "n/a"

    def __init__(self, reason: str, *, key: str, table: str, column: str | None = None,
                 fields: dict | None = None, probe: str | None = None):
        self.key = key
        self.table = table
        self.column = column
        self.fields = dict(fields or {})
        self.probe = probe or column     # the column whose emptiness a live workbook tests
        super().__init__(reason)

    @property
    def message(self) -> str:
        return f"n/a: {self.reason}"

    def text(self, t) -> str:
        """``"n/a: no employee survey given"`` in the language of the translator ``t``."""
        return t("absent.na", reason=t(self.key, default=self.reason, **self.fields))


def is_absent_column(df: pd.DataFrame | None, column: str) -> bool:
    """A column is not given when the table has no such column, or rows all blank in it (an optional
    column the export lacks is filled blank by the reader). A table with no rows has its columns
    given (empty): its KPIs are what they are for no data (0 complaints, or #DIV/0! and why)."""
    if df is None or column not in df.columns:
        return True
    if len(df) == 0:
        return False
    s = df[column]
    if s.dtype != object:
        return bool(s.isna().all())
    return not any(not _blank(v) for v in s.tolist())


def absence(expr: Any, tables: Mapping[str, pd.DataFrame], given: Any = None,
            labels=None) -> Absent | None:
    """The first table or column ``expr`` reads that was not given, as an :class:`Absent`; else None.

    ``given`` is the set of table names given (None: all). ``labels(table, column)`` names a column
    in the generic sentence "no {column} given" (the English key by default).
    """
    for table, column in data_refs(expr):
        if given is not None and table not in given:
            return Absent(_TABLE_REASONS.get(table, f"no {table} data given"), key=f"absent.table.{table}",
                          table=table, probe=column)
        if column is not None and is_absent_column(tables.get(table), column):
            reason = _COLUMN_REASONS.get((table, column))
            if reason is not None:
                return Absent(reason, key=f"absent.column.{table}.{column}", table=table, column=column)
            name = labels(table, column) if labels else column
            return Absent(f"no {name} given", key="absent.column", table=table, column=column,
                          fields={"column": name})
    return None


#: What each table is, as the sentence "n/a: no ... given" says it (translations: ``absent.table.*``).
_TABLE_REASONS = {
    "Months": "no monthly customer counts given",
    "Subscriptions": "no subscriptions export given",
    "Accounts": "no start-vs-end MRR per account given",
    "Responses": "no customer survey given",
    "EmployeeSurvey": "no employee survey given",
    "Tickets": "no tickets export given",
    "ComplaintLog": "no complaint log given",
    "Health": "no health scores given",
    "Finance": "no finance export given",
    "Campaigns": "no campaign export given",
}

#: Optional columns whose absence a KPI names (others: "no <header> given").
_COLUMN_REASONS = {
    ("Responses", "nps_score"): "no NPS scores given",
    ("Responses", "csat_score"): "no CSAT scores given",
    ("Responses", "ces_score"): "no CES scores given",
    ("Tickets", "resolved_at"): "no resolution times given",
    ("Tickets", "first_response_at"): "no first-response times given",
    ("Months", "renewals"): "no renewals given",
    ("Months", "renewals_due"): "no renewals given",
    ("Finance", "gross_margin"): "no gross margin given",
    ("Finance", "sales_marketing_spend"): "no sales & marketing spend given",
    ("Finance", "retention_costs"): "no retention costs given",
    ("Finance", "operating_cash_flow"): "no cash-flow figures given",
    ("Finance", "investments"): "no cash-flow figures given",
    ("Finance", "working_capital_increase"): "no cash-flow figures given",
    ("Subscriptions", "mrr_local"): "MRR in one currency: no exchange-rate moves",
}
