"""LibreOffice Calc face: every KPI as a Calc function, packaged as the extension ``xl_cskpi.oxt``.

Like the classic add-in (:mod:`xl_cskpi.udfs`) and xlwings Lite (:mod:`xl_cskpi.lite`), the face is
generated from the registry and calls the one adapter, :func:`xl_cskpi.excel.call`; it holds no
arithmetic. :func:`build_extension` writes ``xl_cskpi.oxt``; ``unopkg add xl_cskpi.oxt`` (LibreOffice
closed) or *Tools > Extension Manager > Add* (then restart LibreOffice) installs it. Then
``=NPS(B2:B500)``, ``=CHURN_RATE(B2; B3)``, and a table function entered as an array formula over its
range (Ctrl+Shift+Enter; an ``.xlsx`` array formula keeps its range) compute in Calc.

How it is put together, and why:

* **One Basic function per registry entry**, named as in Excel, optional arguments ``Optional``
  (:func:`basic_module`). Calc calls a Basic function from a formula by its name, but runs it only
  when it lives in a *Standard* library (of My Macros or of the document). A function in any other
  library, an extension's included, is found and returns ``#VALUE!`` (error 519): Calc asks the
  document's Basic to run ``Library.Module.Function`` (``ScInterpreter::ScMacro`` then
  ``SfxObjectShell::CallBasic``), and the document does not hold that library. Measured here with
  LibreOffice 7.4: the same one-line function returns its value from Standard and ``#VALUE!`` from
  another library, loaded or not. So the extension's Python script writes the generated module
  ``XlCsKpiFunctions`` into the Standard library of My Macros (``install`` in
  :mod:`xl_cskpi.libreoffice.calc_script`); the extension's own Basic library ``XlCsKpi`` holds one
  Sub (:data:`STARTUP`), bound to LibreOffice's start in ``Events.xcu``, that runs it. The module is
  replaced when a new extension brings a different text; removing the extension leaves it (delete it
  under *Tools > Macros > Organize Macros > Basic*; its functions then say the script is missing).
* **Formulas are bound at load.** A workbook opened while the module is missing shows ``#NAME?``,
  and a hard recalculation does not bring it back (measured: ``calculateAll`` leaves ``#NAME?``;
  re-entering the formula computes). Install, restart LibreOffice, then open the workbook. The start
  event runs before a document given on the command line is loaded (measured with ``--convert-to``
  on a fresh profile).
* **A Python script** (``python/xl_cskpi_calc.py``) run by LibreOffice's Python script provider
  under ``vnd.sun.star.script:xl_cskpi.oxt|python|xl_cskpi_calc.py$call?language=Python&location=
  user:uno_packages`` (``share:uno_packages`` after ``unopkg add --shared``; the Basic tries both).
  The URI holds the installed file's name: the extension must keep the name ``xl_cskpi.oxt``.

**Where the Python half finds xl_cskpi.** LibreOffice runs its own Python (Debian: the system
``/usr/bin/python3`` through ``python3-uno`` and ``libreoffice-script-provider-python``; Windows and
macOS: the Python bundled with LibreOffice), which does not see a virtual environment. The extension
records, at build time, the folders the *building* Python imports xl_cskpi, numpy and pandas from and
its version (:func:`build_paths`); the script puts them first on ``sys.path``. So build the extension
with the Python that has xl_cskpi installed, of the same minor version as LibreOffice's (3.11 on
Debian 12); every cell says so when they differ. The environment variable ``XL_CSKPI_PYTHONPATH``
(folders separated by ``os.pathsep``, set before LibreOffice starts) adds folders and lifts the version
check, for a layout the build did not see. Moving or deleting that environment breaks the extension:
rebuild it.

**Inputs and results.** Calc hands a range to Basic as a 2-D array, a blank cell as an empty value
(Python ``None``), a date as its serial number (Calc and Excel count days from 1899-12-30); a single
cell or a literal as a scalar. The script passes them on as xlwings would
(:func:`xl_cskpi.excel.cell_input` reads blanks and left-out optional arguments) and returns
:func:`xl_cskpi.excel.cell_output`'s cells; a date becomes its serial number, a logical 1 or 0 (a
Basic Boolean would reach the cell as the text "True"). Basic turns returned rows into a 2-D array,
which Calc shows over the array formula's range.

**Errors are text**, as in the classic add-in: ``#DIV/0! CHURN_RATE: customers_start is 0; ...``,
the Excel code first, then the function, the argument and the reason, in the cell. A Basic function
cannot hand Calc a real error value: ``ScInterpreter::ScMacro`` turns what it returns into a number, a
text or a matrix, and a Basic run-time error into a bare ``#VALUE!`` with no reason. Test for ours
with ``=LEFT(A1; 1) = "#"``; ``ISERROR`` does not see it.

**Headless.** Everything above runs with ``soffice --headless``: :mod:`xl_cskpi.libreoffice.recalc`
opens workbooks in one LibreOffice process, recalculates and saves them (the CI test does so for every
report in en, fa and ar). ``unopkg`` refuses to run as root without ``--shared`` ("Cannot run unopkg
as root without --shared or --bundled option."); run it as the user whose profile gets the extension.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from ..registry import Function, catalogue

__all__ = [
    "BASIC_MODULE",
    "EXTENSION_NAME",
    "LIBRARY",
    "MODULE",
    "SCRIPT_NAME",
    "STARTUP",
    "basic_module",
    "basic_name",
    "build_extension",
    "build_paths",
    "extension_bytes",
    "script_source",
    "script_uri",
]

#: The file name the extension must keep once installed (the script URI contains it).
EXTENSION_NAME = "xl_cskpi.oxt"
#: The extension's Basic library and its module (one Sub run at start: see STARTUP).
LIBRARY = "XlCsKpi"
MODULE = "Startup"
#: The module of the Standard library of My Macros that holds the Calc functions.
BASIC_MODULE = "XlCsKpiFunctions"
#: The Python script inside the extension.
SCRIPT_NAME = "xl_cskpi_calc.py"
IDENTIFIER = "org.xl-cskpi.calc"

#: Words a LibreOffice Basic parameter cannot be named: keywords, types and the run-time library's
#: functions our arguments could collide with. A parameter named so gets a trailing underscore.
BASIC_RESERVED = frozenset(w.lower() for w in """
    And Any Array As Boolean ByRef ByVal Call Case CBool CByte CDate CDbl CInt CLng Close Const CSng
    CStr Currency Date Day Declare DefBool DefDate DefDbl DefInt DefLng DefObj DefStr DefVar Dim Do
    Double Each Else ElseIf Empty End Enum Eqv Erase Err Error Exit Explicit False For Format Function
    Get Global GoSub GoTo Hour If Imp Implements In Input Int Integer Is IsMissing LBound Left Len Let
    Like Line Lock Long Loop LSet Mid Minute Mod Month Name New Next Not Nothing Now Null Object On Open
    Option Optional Or ParamArray Preserve Print Private Property Public Put ReDim Rem Resume Return
    Right RSet Second Seek Select Set Shared Single Static Step Stop String Sub Then Time To True Type
    TypeOf UBound Until Val Variant Wend While With Write Xor Year
""".split())


def basic_name(argument: str, function: str) -> str:
    """The Basic parameter name of an argument: ``date`` -> ``date_`` (Date is a Basic function).

    >>> basic_name("date", "JALALI_MONTH"), basic_name("scores", "NPS")
    ('date_', 'scores')
    """
    low = argument.lower()
    if low in BASIC_RESERVED or low == function.lower():
        return argument + "_"
    return argument


def script_uri(function: str = "call", location: str = "user:uno_packages") -> str:
    """The script provider URI of a function of the extension's Python script."""
    return (f"vnd.sun.star.script:{EXTENSION_NAME}|python|{SCRIPT_NAME}${function}"
            f"?language=Python&location={location}")


# --------------------------------------------------------------------------- Basic

_HELPERS = '''\
REM xl_cskpi {version}: the Basic half of its LibreOffice Calc face, generated from the function
REM registry by xl_cskpi.libreoffice. The extension {ext} writes this module into the Standard
REM library of My Macros when LibreOffice starts (Calc runs Basic functions only from a Standard
REM library) and replaces it when the extension changes: do not edit it. Each function forwards
REM Calc's arguments to {script} (Python script provider), which calls the registry function
REM through xl_cskpi.excel, the adapter of every face.
Option Explicit

Private oXlCsKpiScript As Object

Private Function XlCsKpiScript() As Object
    If IsNull(oXlCsKpiScript) Then
        Dim oFactory As Object, oProvider As Object
        oFactory = GetDefaultContext().getValueByName( _
            "/singletons/com.sun.star.script.provider.theMasterScriptProviderFactory")
        oProvider = oFactory.createScriptProvider("")
        On Error Resume Next
        oXlCsKpiScript = oProvider.getScript("{uri_path}$call{query_user}")
        If IsNull(oXlCsKpiScript) Then oXlCsKpiScript = oProvider.getScript("{uri_path}$call{query_share}")
        On Error GoTo 0
    End If
    XlCsKpiScript = oXlCsKpiScript
End Function

Private Function XlCsKpiArg(Optional v As Variant) As Variant
    REM A left-out optional argument travels as an empty value (Python None: the default).
    If IsMissing(v) Then
        XlCsKpiArg = Empty
    Else
        XlCsKpiArg = v
    End If
End Function

Function XlCsKpiCall(sName As String, aArgs As Variant) As Variant
    Dim oScript As Object, vResult As Variant, vRow As Variant
    Dim aOut() As Variant, nRows As Long, nCols As Long, i As Long, j As Long
    On Error GoTo Failed
    oScript = XlCsKpiScript()
    If IsNull(oScript) Then
        XlCsKpiCall = "#VALUE! " & sName & ": the Python script {script} of the extension {ext} " & _
            "was not found (is the extension installed under that name, with " & _
            "libreoffice-script-provider-python?)"
        Exit Function
    End If
    vResult = oScript.invoke(Array(sName, aArgs), Array(), Array())
    If Not IsArray(vResult) Then
        XlCsKpiCall = vResult
        Exit Function
    End If
    REM Rows (an array of arrays) become one 2-D array: an array formula shows it over its range.
    nRows = UBound(vResult) - LBound(vResult) + 1
    nCols = 1
    For i = 0 To nRows - 1
        vRow = vResult(LBound(vResult) + i)
        If UBound(vRow) - LBound(vRow) + 1 > nCols Then nCols = UBound(vRow) - LBound(vRow) + 1
    Next i
    ReDim aOut(0 To nRows - 1, 0 To nCols - 1)
    For i = 0 To nRows - 1
        vRow = vResult(LBound(vResult) + i)
        For j = 0 To nCols - 1
            If j <= UBound(vRow) - LBound(vRow) Then
                aOut(i, j) = vRow(LBound(vRow) + j)
            Else
                aOut(i, j) = ""
            End If
        Next j
    Next i
    XlCsKpiCall = aOut
    Exit Function
Failed:
    XlCsKpiCall = "#VALUE! " & sName & ": LibreOffice could not run the Python function: " & Error$
End Function
'''


def _basic_function(entry: Function) -> str:
    params, passed = [], []
    for a in entry.arguments:
        name = basic_name(a.name, entry.name)
        if a.optional:
            params.append(f"Optional {name} As Variant")
            passed.append(f"XlCsKpiArg({name})")
        else:
            params.append(f"{name} As Variant")
            passed.append(name)
    signature = entry.signature_text()
    return (f"REM {signature}: {entry.help}\n"
            f"Function {entry.name}({', '.join(params)}) As Variant\n"
            f"    {entry.name} = XlCsKpiCall(\"{entry.name}\", Array({', '.join(passed)}))\n"
            f"End Function\n")


def basic_module(functions: list[Function] | None = None, version: str | None = None) -> str:
    """The Basic module written into Standard (:data:`BASIC_MODULE`): the helpers, then one function
    per registry entry, in the registry's order."""
    if version is None:
        from .. import __version__ as version
    entries = catalogue() if functions is None else functions
    head = _HELPERS.format(version=version, script=SCRIPT_NAME, ext=EXTENSION_NAME,
                           uri_path=f"vnd.sun.star.script:{EXTENSION_NAME}|python|{SCRIPT_NAME}",
                           query_user="?language=Python&location=user:uno_packages",
                           query_share="?language=Python&location=share:uno_packages")
    for e in entries:
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", e.name):
            raise ValueError(f"{e.name!r} cannot be the name of a Basic function")
    return head + "\n" + "\n".join(_basic_function(e) for e in entries)


# --------------------------------------------------------------------------- Python

def build_paths() -> list[str]:
    """Folders LibreOffice's Python needs to import this xl_cskpi with its numpy and pandas."""
    import sysconfig

    import numpy
    import pandas

    import xl_cskpi

    paths: list[str] = []
    for folder in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"],
                   Path(xl_cskpi.__file__).resolve().parents[1],
                   Path(numpy.__file__).resolve().parents[1], Path(pandas.__file__).resolve().parents[1]):
        folder = str(folder)
        if folder not in paths and os.path.isdir(folder):
            paths.append(folder)
    return paths


def script_source(functions: list[Function] | None = None, *, paths: list[str] | None = None,
                  python: str | None = None) -> str:
    """The extension's Python script, with this build's folders, Python version and Basic module."""
    from .. import __version__

    text = (Path(__file__).with_name("calc_script.py")).read_text(encoding="utf-8")
    build = {"python": python or "%d.%d" % sys.version_info[:2],
             "paths": build_paths() if paths is None else list(paths),
             "version": __version__}
    for marker, value in (('BUILD = {"python": "", "paths": [], "version": ""}', build),
                          ('BASIC = ""', basic_module(functions, __version__))):
        if text.count("\n" + marker + "\n") != 1:
            raise RuntimeError(f"calc_script.py lost its line {marker}")
        name = marker.split(" = ")[0]
        text = text.replace("\n" + marker + "\n", f"\n{name} = {json.dumps(value, ensure_ascii=False)}\n")
    return text


# --------------------------------------------------------------------------- package files

def _manifest() -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="http://openoffice.org/2001/manifest">
 <manifest:file-entry manifest:full-path="{LIBRARY}/" manifest:media-type="application/vnd.sun.star.basic-library"/>
 <manifest:file-entry manifest:full-path="python/" manifest:media-type="application/vnd.sun.star.framework-script"/>
 <manifest:file-entry manifest:full-path="Events.xcu" manifest:media-type="application/vnd.sun.star.configuration-data"/>
</manifest:manifest>
"""


def _description(version: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<description xmlns="http://openoffice.org/extensions/description/2006"
             xmlns:xlink="http://www.w3.org/1999/xlink">
 <identifier value="{IDENTIFIER}"/>
 <version value="{escape(version)}"/>
 <display-name><name lang="en">xl_cskpi: customer-success KPIs as Calc functions</name></display-name>
 <dependencies>
  <OpenOffice.org-minimal-version xmlns:d="http://openoffice.org/extensions/description/2006"
    d:name="OpenOffice.org 3.4" value="3.4"/>
 </dependencies>
</description>
"""


def _script_xlb() -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="{LIBRARY}" library:readonly="true" library:passwordprotected="false">
 <library:element library:name="{MODULE}"/>
</library:library>
"""


#: The extension's own Basic library: one Sub, bound to LibreOffice's start, that runs the Python
#: script's ``install`` (the user or the shared installation, whichever has the extension).
STARTUP = f'''\
REM xl_cskpi: when LibreOffice starts, put the Calc functions in the Standard library of My Macros
REM (module {BASIC_MODULE}); see install() in {SCRIPT_NAME}.
Sub Load(Optional oEvent As Variant)
    Dim oFactory As Object, oProvider As Object, oScript As Object
    oFactory = GetDefaultContext().getValueByName( _
        "/singletons/com.sun.star.script.provider.theMasterScriptProviderFactory")
    oProvider = oFactory.createScriptProvider("")
    On Error Resume Next
    oScript = oProvider.getScript("{script_uri("install", "user:uno_packages")}")
    If IsNull(oScript) Then oScript = oProvider.getScript("{script_uri("install", "share:uno_packages")}")
    On Error GoTo 0
    If Not IsNull(oScript) Then oScript.invoke(Array(), Array(), Array())
End Sub
'''


def _module_xba(source: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="{MODULE}" script:language="StarBasic">{escape(source)}</script:module>
"""


def _events_xcu() -> str:
    url = f"vnd.sun.star.script:{LIBRARY}.{MODULE}.Load?language=Basic&location=application"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<oor:component-data xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
    oor:name="Events" oor:package="org.openoffice.Office">
 <node oor:name="ApplicationEvents">
  <node oor:name="Bindings">
   <node oor:name="OnStartApp" oor:op="replace">
    <prop oor:name="BindingURL" oor:type="xs:string"><value>{escape(url)}</value></prop>
   </node>
  </node>
 </node>
</oor:component-data>
"""


def extension_bytes(functions: list[Function] | None = None, *, paths: list[str] | None = None,
                    python: str | None = None) -> bytes:
    """The ``.oxt`` file's bytes (a zip; the same inputs give the same bytes)."""
    from .. import __version__

    files = {
        "META-INF/manifest.xml": _manifest(),
        "description.xml": _description(__version__),
        f"{LIBRARY}/script.xlb": _script_xlb(),
        f"{LIBRARY}/{MODULE}.xba": _module_xba(STARTUP),
        f"python/{SCRIPT_NAME}": script_source(functions, paths=paths, python=python),
        "Events.xcu": _events_xcu(),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def build_extension(out_dir: str | os.PathLike, *, force: bool = False) -> Path:
    """Write ``out_dir/xl_cskpi.oxt`` and return its path.

    Install it with ``unopkg add OUT_DIR/xl_cskpi.oxt`` (LibreOffice closed), keeping the file name.
    Raises :class:`xl_cskpi.output.OutputExistsError` when the file exists and ``force`` is false,
    :class:`xl_cskpi.output.OutputError` when it cannot be written (one line naming the file).
    """
    from ..output import write_bytes_atomic

    path = Path(out_dir) / EXTENSION_NAME
    write_bytes_atomic(path, extension_bytes(), overwrite=force)
    return path
