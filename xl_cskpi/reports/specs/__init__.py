"""The report catalogue: one module per report, each defining ``REPORT``.

A new report is a new module here plus its strings in :mod:`xl_cskpi.reports.i18n`, listed in
:data:`ORDER`; the builder, the ``templates``/``report``/``demo`` commands and the tests pick it up.
"""

from __future__ import annotations

import importlib

from ..spec import Report

#: Reports in the order the docs and the demo list them.
ORDER = (
    "overview",
    "survey_scores",
    "churn_retention",
    "revenue",
    "unit_economics",
    "support_complaints",
    "customer_health",
    "cohort_retention",
    "funnel",
)


def reports() -> dict[str, Report]:
    return {key: importlib.import_module(f"{__name__}.{key}").REPORT for key in ORDER}
