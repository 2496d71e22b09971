"""Recalculate workbooks in a headless LibreOffice and save them as .xlsx with the computed values.

Run by a Python that has LibreOffice's ``uno`` module (Debian: ``/usr/bin/python3`` with
``python3-uno``), not by the virtual environment; it imports nothing of xl_cskpi::

    python3 recalc.py --profile /tmp/lo-profile --out OUTDIR BOOK.xlsx [BOOK2.xlsx ...]

One ``soffice --headless`` process serves every workbook: each is opened hidden, recalculated
(``calculateAll``, Calc's hard recalculation), saved to ``OUTDIR/<same name>`` in the Excel 2007-365
format (cached values are what openpyxl's ``data_only`` reads) and closed. Before the first workbook
it checks that the Basic module of the Calc functions is in the Standard library of My Macros (the
extension's start-up event writes it there) and, if the event did not run, runs the extension's
``XlCsKpi.Startup.Load`` itself. One JSON line per step on stdout: ``{"module": ...,
"written_at_start": true}``, then ``{"file": ..., "seconds": ...}`` per workbook, or ``{"error": ...}``.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import uuid


def _connect(pipe, proc, timeout):
    import uno
    from com.sun.star.connection import NoConnectException

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        except NoConnectException:
            if proc.poll() is not None:
                raise RuntimeError("soffice exited with status %s before accepting a connection" % proc.returncode)
            if time.monotonic() > deadline:
                raise RuntimeError("soffice did not accept a connection within %d s" % timeout)
            time.sleep(0.2)


def _prop(name, value):
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(argv=None):
    import uno

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", required=True, help="LibreOffice user profile folder (created if missing)")
    ap.add_argument("--out", required=True, help="folder for the recalculated copies")
    ap.add_argument("--soffice", default="soffice")
    ap.add_argument("--module", default="XlCsKpiFunctions",
                    help="Basic module of the Calc functions that must be in Standard ('' for none)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds to wait for soffice to start")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args(argv)

    pipe = "xl_cskpi_" + uuid.uuid4().hex
    profile_url = uno.systemPathToFileUrl(os.path.abspath(a.profile))
    proc = subprocess.Popen(
        [a.soffice, "-env:UserInstallation=" + profile_url, "--headless", "--invisible", "--nologo",
         "--norestore", "--nodefault", "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ctx = _connect(pipe, proc, a.timeout)
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        if a.module:
            # The extension's start-up event (Events.xcu) writes the module into Standard; if this
            # LibreOffice did not run it, run the same Sub now, before the first workbook is opened.
            libs = smgr.createInstanceWithContext("com.sun.star.script.ApplicationScriptLibraryContainer", ctx)
            libs.loadLibrary("Standard")
            at_start = libs.getByName("Standard").hasByName(a.module)
            if not at_start:
                factory = ctx.getValueByName("/singletons/com.sun.star.script.provider.theMasterScriptProviderFactory")
                script = factory.createScriptProvider("").getScript(
                    "vnd.sun.star.script:XlCsKpi.Startup.Load?language=Basic&location=application")
                script.invoke((), (), ())
            if not libs.getByName("Standard").hasByName(a.module):
                print(json.dumps({"error": "the Basic module %s is not in the Standard library of %s: is the "
                                           "extension installed there?" % (a.module, a.profile)}), flush=True)
                return 2
            print(json.dumps({"module": a.module, "written_at_start": at_start}), flush=True)
        os.makedirs(a.out, exist_ok=True)
        for f in a.files:
            t0 = time.monotonic()
            doc = None
            try:
                doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(f)), "_blank", 0,
                                                   (_prop("Hidden", True),))
                doc.calculateAll()
                target = os.path.join(os.path.abspath(a.out), os.path.basename(f))
                doc.storeToURL(uno.systemPathToFileUrl(target), (_prop("FilterName", "Calc MS Excel 2007 XML"),))
                print(json.dumps({"file": f, "out": target, "seconds": round(time.monotonic() - t0, 3)}), flush=True)
            except Exception as e:  # noqa: BLE001  (one line per failed workbook; the others go on)
                print(json.dumps({"file": f, "error": "%s: %s" % (type(e).__name__, e)}), flush=True)
            finally:
                if doc is not None:
                    doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001  (the bridge drops while soffice exits)
            pass
        proc.wait(timeout=60)
        return 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    sys.exit(main())
