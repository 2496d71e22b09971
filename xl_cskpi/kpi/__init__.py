"""Pure KPI math by family. Each module declares its functions with :func:`xl_cskpi.registry.kpi`.

A new KPI goes into the module of its family; a new family is a new module imported here.
"""

from . import retention  # noqa: F401
