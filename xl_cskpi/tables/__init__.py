"""Row-level analytics that return tables or work on row-level exports (MRR movements, cohorts,
period churn from dates, breakdowns).

Each module declares its functions with :func:`xl_cskpi.registry.kpi`; ``rows.py`` holds the
row-level readers they share. Every module in this folder is imported here: a new table is a new
module, nothing else to edit.
"""

import importlib
import pkgutil

for _m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    importlib.import_module(f"{__name__}.{_m.name}")
