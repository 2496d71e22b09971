"""The Python half of the LibreOffice Calc face: shipped in the extension as ``python/xl_cskpi_calc.py``.

LibreOffice's Python script provider runs this file in LibreOffice's own Python (on Debian the system
``/usr/bin/python3`` through ``python3-uno``; on Windows and macOS the Python bundled with
LibreOffice). Every Basic function of the extension calls :func:`call` with the Excel name and the
arguments as Calc passed them; :func:`call` finds the installed ``xl_cskpi`` (see :data:`BUILD`),
calls the registry function through :func:`xl_cskpi.excel.call` (the adapter of every face) and
returns what the cell shows. No arithmetic here, and no ``uno`` import: the script provider hands
over plain Python values (tuples of rows, floats, strings, ``None`` for an empty cell or a left-out
optional argument), so this file also runs, and is tested, outside LibreOffice.

Where ``xl_cskpi`` comes from: :data:`BUILD` is written by
:func:`xl_cskpi.libreoffice.build_extension` with the folders the building Python imported it from
(its site-packages, which holds numpy, pandas and an editable install's ``.pth`` file, and the folder
holding the package itself). They are put *first* on ``sys.path`` (site-packages' ``.pth`` files are
read), so a system numpy does not shadow the one xl_cskpi was installed with. The environment variable
``XL_CSKPI_PYTHONPATH`` (folders separated by ``os.pathsep``), set before LibreOffice starts, adds
folders before those. Compiled packages (numpy, pandas) only load in the same Python minor version
they were installed for: when LibreOffice's Python differs from ``BUILD["python"]`` every cell says
so instead of failing later with an import error.
"""

import datetime
import os
import site
import sys

#: Replaced by build_extension: {"python": "3.11", "paths": [...], "version": "0.1.0"}.
BUILD = {"python": "", "paths": [], "version": ""}

#: Replaced by build_extension: the Basic module of the Calc functions (see :func:`install`).
BASIC = ""
#: The module of the Standard library of *My Macros* that holds the Calc functions.
BASIC_MODULE = "XlCsKpiFunctions"

_STATE = {}


def _setup():
    """Import xl_cskpi's adapter once; return (excel module, REGISTRY) or raise with the reason."""
    if "modules" in _STATE:
        return _STATE["modules"]
    running = "%d.%d" % sys.version_info[:2]
    extra = [p for p in os.environ.get("XL_CSKPI_PYTHONPATH", "").split(os.pathsep) if p]
    if BUILD["python"] and running != BUILD["python"] and not extra:
        raise ImportError(
            "LibreOffice runs Python %s but this extension was built with Python %s, whose numpy and pandas "
            "it cannot load: build it with a Python %s (xl-cskpi libreoffice), or set XL_CSKPI_PYTHONPATH "
            "to a site-packages of Python %s holding xl_cskpi" % (running, BUILD["python"], running, running))
    before = list(sys.path)
    for folder in extra + list(BUILD["paths"]):
        if os.path.isdir(folder):
            site.addsitedir(folder)  # reads .pth files (an editable install of xl_cskpi)
    added = [p for p in sys.path if p not in before]
    sys.path[:] = added + [p for p in before if p not in added]
    from xl_cskpi import excel
    from xl_cskpi.cells import datetime_to_serial
    from xl_cskpi.errors import KPIError
    from xl_cskpi.registry import catalogue

    registry = {f.name: f for f in catalogue()}
    _STATE["modules"] = (excel, KPIError, registry, datetime_to_serial)
    return _STATE["modules"]


def _value(cell, to_serial):
    """One result cell as a value UNO carries into a Calc cell.

    A date becomes its serial number. A logical becomes 1 or 0: that is what TRUE and FALSE are in
    Calc (numbers with a logical format), while a Basic Boolean handed back to a cell arrives as the
    text "True" or "False", which IF and AND cannot use.
    """
    if isinstance(cell, bool):
        return 1.0 if cell else 0.0
    if isinstance(cell, (datetime.datetime, datetime.date)):
        import numpy as np

        return float(to_serial(np.array([np.datetime64(cell)]))[0])
    return cell


def _cells(result, to_serial):
    if isinstance(result, list):
        return tuple(tuple(_value(v, to_serial) for v in row) for row in result)
    if result is None:
        return ""
    return _value(result, to_serial)


def call(name, args):
    """Run the function ``name`` on Calc's ``args``: a number, a text, a bool or a tuple of rows.

    Errors come back as the classic face's text, the Excel code first:
    ``"#DIV/0! CHURN_RATE: customers_start is 0; ..."``.
    """
    try:
        excel, kpi_error, registry, to_serial = _setup()
    except Exception as e:  # noqa: BLE001  (LibreOffice shows what the cell returns; say why)
        return "#VALUE! %s: xl_cskpi cannot be imported in LibreOffice's Python: %s: %s" % (
            name, type(e).__name__, str(e).strip().splitlines()[0] if str(e).strip() else "")
    entry = registry.get(name)
    if entry is None:
        return "#NAME? %s: not a function of this xl_cskpi (rebuild the extension)" % name
    try:
        return _cells(excel.call(entry, tuple(args)), to_serial)
    except kpi_error as e:
        return excel.error_text(e, name)
    except Exception as e:  # noqa: BLE001  (a bug must not print a traceback into a cell)
        return excel.unexpected_error_text(e, name)


def install(*_event):
    """Put the Calc functions in the Standard library of *My Macros* (the module :data:`BASIC_MODULE`).

    Run when LibreOffice starts (the extension's ``Events.xcu`` binds ``XlCsKpi.Startup.Load``, which
    calls this). Calc runs a Basic function from a formula only when it lives in a Standard library:
    a function in any other library (an extension's library included) is found but returns
    ``#VALUE!``, because Calc then asks the *document's* Basic to run ``Library.Module.Function``
    (``ScInterpreter::ScMacro``), and the document does not hold the library. The module is replaced
    only when its text differs (a new version of the extension), and stored at once. Returns
    ``"installed"``, ``"updated"`` or ``"current"``.
    """
    import uno  # LibreOffice's Python only

    ctx = uno.getComponentContext()
    libs = ctx.ServiceManager.createInstanceWithContext("com.sun.star.script.ApplicationScriptLibraryContainer", ctx)
    if not libs.isLibraryLoaded("Standard"):
        libs.loadLibrary("Standard")
    standard = libs.getByName("Standard")
    if standard.hasByName(BASIC_MODULE):
        if standard.getByName(BASIC_MODULE) == BASIC:
            return "current"
        standard.replaceByName(BASIC_MODULE, BASIC)
        state = "updated"
    else:
        standard.insertByName(BASIC_MODULE, BASIC)
        state = "installed"
    libs.storeLibraries()
    return state


g_exportedScripts = (call, install)
