"""Formula text: a report expression (:mod:`.spec`) rendered to what Excel stores in a cell.

Structured references use each table column's header in the report's language (``Months[churn_rate]``,
``Months[نرخ ریزش]``), long forms only (``T[[#This Row],[c]]``, never ``[@c]``) so every engine reads
them; KPI cells are defined names ``kpi_<key>``; settings are defined names ``<key>``.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from openpyxl.utils import get_column_letter, quote_sheetname

from ..registry import REGISTRY
from .evaluate import Absent, labels_position, status_words, word
from .spec import (BUILTINS, Call, Col, Cols, CountStatus, Lang, Last, Match, Name, Op, PeriodCall, PeriodOf, Report, Row, RowBlock, SpillAt,
                   SpillCol, Word)

__all__ = ["Names", "render", "result_kind", "literal", "while_empty", "absent_while_empty", "SPILL_ROWS", "labels_position", "word"]

#: Rows of a spilled table's body that formulas over its columns (``SpillCol``) cover.
SPILL_ROWS = 1000



class Names:
    """Header text of each table column in one language (structured references use it)."""

    def __init__(self, report: Report, t: Callable[..., str], spill_sheet: Callable[[str], str],
                 lang: str = "en"):
        self.t = t
        self.lang = lang
        self.report = report
        self.spill_sheet = spill_sheet
        self.kpis = {k.key for k in report.kpis}
        self.label_cell = "$A4"      # the trend row being rendered (Match nodes compare to it)
        #: ``{label expression: (range, table)}``: the month label of every row, computed once per date
        #: column on the chart-data sheet (:mod:`.rowlabels`); Match nodes read it
        self.row_labels: dict[Any, tuple[str, str]] = {}
        #: ``{key: column letter}`` of the Periods sheet's columns (``PeriodOf`` nodes read them)
        self.period_columns: dict[str, str] = {}
        #: ``{expression: formula text}`` rendered as that text instead (a call of the month shown that
        #: a Periods column computes already: its cell, not a second call)
        self.substitute: dict[Any, str] = {}

    def name(self, key: str) -> str:
        """The defined name of a setting (its key) or of a KPI cell (``kpi_<key>``: KPI names may
        not clash with table or function names, and Excel names are case-insensitive)."""
        return f"kpi_{key}" if key in self.kpis else key

    def header(self, table: str, column: str) -> str:
        return self.t(f"col.{table}.{column}", default=column)


def literal(v: Any) -> str:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, str):
        return '"' + v.replace('"', '""') + '"'
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return repr(v)


def _bracket(h: str) -> str:
    # special characters inside a structured reference are escaped with an apostrophe
    return re.sub(r"(['#\[\]])", r"'\1", h)


def render(expr: Any, names: Names) -> str:
    """Formula text of an expression, without the leading ``=``."""
    if names.substitute and isinstance(expr, Call) and expr in names.substitute:
        return names.substitute[expr]
    h = names.header
    if isinstance(expr, Col):
        return f"{expr.table}[{_bracket(h(expr.table, expr.column))}]"
    if isinstance(expr, Cols):
        return f"{expr.table}[[{_bracket(h(expr.table, expr.first))}]:[{_bracket(h(expr.table, expr.last))}]]"
    if isinstance(expr, Row):
        return f"{expr.table}[[#This Row],[{_bracket(h(expr.table, expr.column))}]]"
    if isinstance(expr, RowBlock):
        return (f"{expr.table}[[#This Row],[{_bracket(h(expr.table, expr.first))}]:"
                f"[{_bracket(h(expr.table, expr.last))}]]")
    if isinstance(expr, SpillCol):
        L = get_column_letter(expr.column)
        return f"{quote_sheetname(names.spill_sheet(expr.spill))}!${L}$4:${L}${3 + SPILL_ROWS}"
    if isinstance(expr, SpillAt):
        sheet = quote_sheetname(names.spill_sheet(expr.spill))
        L = get_column_letter(expr.column)
        return (f"INDEX({sheet}!${L}$4:${L}${3 + SPILL_ROWS},MATCH({names.label_cell},"
                f"{sheet}!$A$4:$A${3 + SPILL_ROWS},0))")
    if isinstance(expr, PeriodOf):
        # the row being written: the row of its label cell ($A4 -> $C4)
        return f"${names.period_columns[expr.key]}{names.label_cell.lstrip('$A')}"
    if isinstance(expr, PeriodCall):
        # the row's cell of the call's BY_PERIOD column; an error of a per-period argument first
        row = names.label_cell.lstrip('$A')
        value = f"${names.period_columns[expr.key]}{row}"
        text = value
        helper = names.row_labels.get(expr.empty) if expr.empty is not None else None
        if helper is not None:
            # a month with none of the call's rows, whose value is not a number: "n/a: no responses in
            # 2024-06" (the labels compared exactly, as the helper's Match does; never COUNTIF, whose
            # criterion "2024-06" Excel may read as a date)
            from .byperiod import no_rows_key

            key, english = no_rows_key(expr.empty)
            words = names.t("absent.na", reason=names.t(key, default=english, month="\x00")).split("\x00")
            said = "&".join(x for x in (literal(words[0]) if words[0] else "", names.label_cell,
                                        literal(words[1]) if len(words) > 1 and words[1] else "") if x)
            rows = helper[0]
            dates = render(Col(helper[1], next(a for a in expr.empty.args if isinstance(a, Col)).column), names)
            text = (f'IF(OR({names.label_cell}="",ISNUMBER({value})),{value},IF(OR(INDEX({rows},1):'
                    f'INDEX({rows},ROWS({dates}))={names.label_cell}),{value},{said}))')
        for key in reversed(expr.after):
            cell = f"${names.period_columns[key]}{row}"
            text = f"IF(ISERROR({cell}),{cell},{text})"
        return text
    if isinstance(expr, Last):
        ref = f"{expr.table}[{_bracket(h(expr.table, expr.column))}]"
        return f"INDEX({ref},ROWS({ref}))"
    if isinstance(expr, Name):
        return names.name(expr.key)
    if isinstance(expr, Match):
        # IF(range=...) turns an empty cell into 0 (Excel and every engine do): keep blanks blank
        v = render(expr.values, names)
        helper = names.row_labels.get(expr.labels)
        if helper is not None and helper[1] == expr.values.table:   # as long as the table: row by row
            labels = f"INDEX({helper[0]},1):INDEX({helper[0]},ROWS({v}))"
        else:
            labels = render(expr.labels, names)
        return f'IF({v}="","",IF({labels}={names.label_cell},{v},""))'
    if isinstance(expr, CountStatus):
        col = render(expr.column, names)
        calls = [f"COMPLAINTS({col},{literal(w)})" for w in status_words(expr.status, names.lang)]
        return calls[0] if len(calls) == 1 else "(" + "+".join(calls) + ")"
    if isinstance(expr, Word):
        return literal(word(expr.text, names.lang))
    if isinstance(expr, Lang):
        return literal(names.lang)
    if isinstance(expr, Call):
        prefix = BUILTINS.get(expr.function, "")
        args = [render(a, names) for a in expr.args]
        at = labels_position(expr.function, len(args), names.lang)
        if at is not None:   # the live table (or status word) in the reader's language
            defaults = REGISTRY[expr.function].arguments
            # a left-out argument written as "" (blank: the default), never as nothing between two
            # commas, which LibreOffice passes as 0 (TICKETS_BY's scale_max 0 in fa/ar: #NUM!)
            args += ['""' if defaults[i].default is None else literal(defaults[i].default)
                     for i in range(len(args), at)]
            args.append(literal(names.lang))
        return f"{prefix}{expr.function}({','.join(args)})"
    if isinstance(expr, Op):
        return f"({render(expr.left, names)}{expr.op}{render(expr.right, names)})"
    return literal(expr)


def result_kind(expr: Any, override: str | None = None) -> str:
    """The result kind that picks a KPI cell's number format."""
    if override:
        return override
    if isinstance(expr, Call) and expr.function in REGISTRY:
        return REGISTRY[expr.function].returns
    if isinstance(expr, CountStatus):
        return "count"
    return "number"



def absent_while_empty(gone: Absent, report: Report, names: Names, t: Callable[..., str], otherwise: str,
                       word: str | None = None) -> str:
    """Formula text (no ``=``): ``word`` (the report's "n/a", by default) while the column ``gone``
    names is empty, else ``otherwise`` -- what a --values report writes in that cell, live."""
    column = gone.probe or report.table(gone.table).inputs[0].key
    ref = render(Col(gone.table, column), names)
    return f"IF(COUNTA({ref})=0,{literal(t('absent.short') if word is None else word)},{otherwise})"


def while_empty(gone: Absent, report: Report, names: Names, t: Callable[..., str], otherwise: str,
                 prefix: str = "") -> str:
    """Formula text (no ``=``): the "n/a: no ... given" sentence while the column ``gone`` names (or,
    for a table, its first input column) is empty, else ``otherwise``. A live report keeps its formulas,
    so this note goes away by itself once the user pastes the data."""
    return absent_while_empty(gone, report, names, t, otherwise, word=prefix + gone.text(t))
