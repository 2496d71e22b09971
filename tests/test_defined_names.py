"""Defined names of the templates never share a name with a function (issue 13: `confidence` was
Excel's CONFIDENCE, `active_customers` our ACTIVE_CUSTOMERS: a reader of `=REFERRAL_RATE(x, active_customers)`
cannot tell a setting from a function, and Excel resolves some such names unexpectedly)."""

from pathlib import Path

import pytest
from openpyxl import load_workbook

from xl_cskpi.registry import REGISTRY
from xl_cskpi.reports.spec import BUILTINS

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "workbook_templates").glob("*.xlsx"))
# Excel's worksheet functions whose names are plausible setting names (a subset: those a KPI
# workbook could be tempted to use)
EXCEL_FUNCTIONS = {"CONFIDENCE", "COUNT", "SUM", "AVERAGE", "RATE", "NPV", "PMT", "MEDIAN", "MODE",
                   "RANK", "TREND", "GROWTH", "FORECAST", "DAYS", "MONTH", "YEAR", "TODAY", "TEXT", "VALUE"}


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_no_defined_name_is_a_function_name(path):
    names = set(load_workbook(path).defined_names.keys())
    assert names, path
    clash = sorted(n for n in names if n.upper() in REGISTRY or n.upper() in BUILTINS
                   or n.upper() in EXCEL_FUNCTIONS)
    assert clash == []
