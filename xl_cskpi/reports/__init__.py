"""Report workbooks: declarative specs (:mod:`.specs`), one builder (:mod:`.builder`), the Python
evaluator behind ``--values`` (:mod:`.evaluate`), filling from exports (:mod:`.fill`) and the
translation table (:mod:`.i18n`).

Imported only by the command line and the tests: the KPI math never imports openpyxl.
"""

from .specs import ORDER, reports

__all__ = ["ORDER", "reports"]
