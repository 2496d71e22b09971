"""Pure KPI math by family, one module per family (survey, retention, revenue, ...).

Each module declares its functions with :func:`xl_cskpi.registry.kpi`. Every module in this
folder is imported here, so a new KPI goes into the module of its family and a new family is
simply a new module: nothing else to edit.
"""

import importlib
import pkgutil

for _m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    importlib.import_module(f"{__name__}.{_m.name}")
