"""xl_cskpi: customer-success and customer-service KPIs for Python and Excel.

The public API is the KPI functions, one per Excel function, named as in Excel but in lower case::

    >>> import xl_cskpi
    >>> xl_cskpi.churn_rate(1000, 64)
    0.064

Every error is an :class:`xl_cskpi.errors.KPIError` (a ``ValueError``) carrying an Excel error code.
"""

from . import kpi as _kpi  # noqa: F401  (declares the functions)
from . import tables as _tables  # noqa: F401
from .registry import REGISTRY as _REGISTRY

__version__ = "0.1.0"

globals().update({_f.python_name: _f.func for _f in _REGISTRY.values()})
__all__ = sorted(_f.python_name for _f in _REGISTRY.values())
