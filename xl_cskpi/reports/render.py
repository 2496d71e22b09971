"""Reports as PDF and PNG, drawn by LibreOffice: for e-mailing management, and the README pictures.

* :func:`to_pdf` -- one workbook to a PDF of its dashboard pages (``pages="dashboard"``) or of every
  sheet (``pages="all"``); :func:`to_pdfs` does several workbooks in one LibreOffice run.
* :func:`to_png` -- one PNG per page of the same PDF (``pdftoppm``, poppler-utils).
* ``python -m xl_cskpi.reports.render DEMO_DIR docs/images`` -- the README pictures from
  ``xl-cskpi demo``: ``<report>.pdf`` (every page) and ``<report>.png`` (the page that shows the
  dashboard, or the cohort triangle).

How: ``soffice --headless --convert-to pdf`` in a throw-away LibreOffice profile whose only setting
is "recalculate Excel 2007-365 files on load: always" (``OOXMLRecalcMode`` 0), so every formula,
built-in or written by openpyxl without a cached value, shows the value LibreOffice computes, never a
stale or missing cache. Our own functions are not installed in that profile: a workbook with live
formulas of ours renders as ``#NAME?``, so the command line renders the ``--values`` version of a
report (same numbers: tests/test_libreoffice_face.py checks live against values). The dashboard pages
are chosen by hiding every other sheet in a copy of the workbook (``state="hidden"`` in
``xl/workbook.xml``; LibreOffice prints no hidden sheet); the copy is otherwise the same bytes.

Files are written by :func:`xl_cskpi.output.write_bytes_atomic`: whole or not at all, never over an
existing file without ``overwrite``. No LibreOffice (or no ``pdftoppm`` for PNGs) is a
:class:`RenderError` whose message is one line saying what to install.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from . import ORDER
from .i18n import LANGUAGES, translator

__all__ = ["RenderError", "PAGES", "soffice", "to_pdf", "to_pdfs", "to_png", "pdf_to_png", "dashboard_sheets", "render", "main"]

#: What :func:`to_pdf` can draw.
PAGES = ("dashboard", "all")

#: Seconds one LibreOffice run may take before it is stopped (a 100-page workbook takes ~15 s).
TIMEOUT = 600

INSTALL_LIBREOFFICE = ("apt-get install libreoffice-calc-nogui (macOS: brew install --cask libreoffice; "
                       "Windows: https://www.libreoffice.org/download)")
INSTALL_POPPLER = "apt-get install poppler-utils (macOS: brew install poppler)"


class RenderError(ValueError):
    """A PDF/PNG that cannot be drawn: ``str()`` is one line (what to install, or what failed)."""


def soffice() -> str | None:
    """The LibreOffice program on this machine, or None."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    for p in ("/Applications/LibreOffice.app/Contents/MacOS/soffice",
              r"C:\Program Files\LibreOffice\program\soffice.exe"):
        if os.path.isfile(p):
            return p
    return None


def _need_soffice(what: str = "PDF and PNG files") -> str:
    program = soffice()
    if not program:
        raise RenderError(f"{what} are drawn by LibreOffice, which is not installed: {INSTALL_LIBREOFFICE}")
    return program


def _need_pdftoppm() -> str:
    program = shutil.which("pdftoppm")
    if not program:
        raise RenderError(f"PNG files are drawn from the PDF by pdftoppm, which is not installed: {INSTALL_POPPLER}")
    return program


# --------------------------------------------------------------------------- choosing the pages

#: The Dashboard sheet's title in every language (a workbook's language need not be known).
def dashboard_titles() -> set[str]:
    return {translator(lang)("sheet.dashboard") for lang in LANGUAGES}


_SHEET = re.compile(r"<sheet\b[^>]*?/>")
_NAME = re.compile(r'\bname="([^"]*)"')
_STATE = re.compile(r'\sstate="[^"]*"')


def dashboard_sheets(xlsx: Path) -> list[str]:
    """Titles of the workbook's dashboard sheets (in order); empty when it has none."""
    titles = dashboard_titles()
    with zipfile.ZipFile(xlsx) as z:
        xml = z.read("xl/workbook.xml").decode("utf-8")
    names = [html.unescape(_NAME.search(s).group(1)) for s in _SHEET.findall(xml) if _NAME.search(s)]
    return [n for n in names if n in titles]


def _only_sheets(xml: str, keep: set[str]) -> str:
    """``xl/workbook.xml`` with every sheet not in ``keep`` hidden and the first kept one active."""
    shown: list[int] = []

    def one(m: re.Match) -> str:
        tag = m.group(0)
        name = _NAME.search(tag)
        index = one.count  # type: ignore[attr-defined]
        one.count += 1  # type: ignore[attr-defined]
        if name and html.unescape(name.group(1)) in keep:
            shown.append(index)
            return tag
        tag = _STATE.sub("", tag)
        return tag[:-2].rstrip() + ' state="hidden"/>'

    one.count = 0  # type: ignore[attr-defined]
    xml = _SHEET.sub(one, xml)
    first = str(shown[0]) if shown else "0"
    xml = re.sub(r'\bactiveTab="\d+"', f'activeTab="{first}"', xml)
    return re.sub(r'\bfirstSheet="\d+"', f'firstSheet="{first}"', xml)


def _copy_with_sheets(src: Path, dst: Path, keep: set[str]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = _only_sheets(data.decode("utf-8"), keep).encode("utf-8")
            zout.writestr(info, data)


# --------------------------------------------------------------------------- LibreOffice

#: The profile's one setting: recalculate every formula of an .xlsx on load (0 = always).
_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


def _convert(files: list[Path], outdir: Path, scratch: Path) -> None:
    """``soffice --convert-to pdf`` of ``files`` into ``outdir`` (one process for all of them)."""
    program = _need_soffice()
    profile = scratch / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
    cmd = [program, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
           "--convert-to", "pdf:calc_pdf_Export", "--outdir", str(outdir), *map(str, files)]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise RenderError(f"LibreOffice did not finish drawing {len(files)} workbook(s) within {TIMEOUT} s") from None
    missing = [f for f in files if not (outdir / (f.stem + ".pdf")).is_file()]
    if r.returncode != 0 or missing:
        detail = " ".join((r.stderr or r.stdout or "").split())[:200]
        raise RenderError(f"LibreOffice could not draw {missing[0].name if missing else files[0].name} "
                          f"(status {r.returncode}{': ' + detail if detail else ''})")


def to_pdfs(items: list[tuple[Path, Path]], *, pages: str = "dashboard", overwrite: bool = False) -> list[Path]:
    """Each ``(xlsx, pdf)``: the workbook's dashboard pages (or every page) as a PDF, in one
    LibreOffice run. A workbook without a dashboard sheet is drawn whole. Every output is checked
    before LibreOffice starts and written whole (:func:`xl_cskpi.output.write_bytes_atomic`)."""
    from ..output import check_output, write_bytes_atomic

    if pages not in PAGES:
        raise RenderError(f"pages is {pages!r}; use one of {', '.join(PAGES)}")
    for xlsx, pdf in items:
        if not Path(xlsx).is_file():
            raise RenderError(f"{xlsx}: no such workbook")
        check_output(pdf, overwrite=overwrite)
    _need_soffice()
    with tempfile.TemporaryDirectory(prefix="xl_cskpi-render-") as tmp:
        scratch = Path(tmp)
        (scratch / "in").mkdir()
        sources = []
        for i, (xlsx, _) in enumerate(items):
            src = scratch / "in" / f"b{i}.xlsx"   # distinct names: one soffice run, one output folder
            keep = set(dashboard_sheets(Path(xlsx))) if pages == "dashboard" else set()
            if keep:
                _copy_with_sheets(Path(xlsx), src, keep)
            else:
                shutil.copyfile(xlsx, src)
            sources.append(src)
        _convert(sources, scratch / "pdf", scratch)
        done = []
        for (_, pdf), src in zip(items, sources):
            write_bytes_atomic(pdf, (scratch / "pdf" / (src.stem + ".pdf")).read_bytes(), overwrite=overwrite)
            done.append(Path(pdf))
    return done


def to_pdf(xlsx: Path, pdf: Path, *, pages: str = "dashboard", overwrite: bool = False) -> Path:
    """The workbook's dashboard pages (``pages="dashboard"``) or every page (``"all"``) as ``pdf``.

    Formulas show the values LibreOffice computes on load (built-ins; our own functions are not
    installed there, so give a ``--values`` workbook). Raises :class:`RenderError` (no LibreOffice:
    one line saying what to install) and :class:`~xl_cskpi.output.OutputError` (``pdf`` exists and
    ``overwrite`` is false, or cannot be written).
    """
    return to_pdfs([(Path(xlsx), Path(pdf))], pages=pages, overwrite=overwrite)[0]


def png_names(stem: str, count: int) -> list[str]:
    """``stem.png`` for one page, ``stem-1.png``, ``stem-2.png`` ... for more."""
    return [f"{stem}.png"] if count == 1 else [f"{stem}-{i}.png" for i in range(1, count + 1)]


def to_png(xlsx: Path, out_dir: Path, *, dpi: int = 110, pages: str = "dashboard", name: str | None = None,
           overwrite: bool = False) -> list[Path]:
    """One PNG per page of :func:`to_pdf`'s PDF, in ``out_dir``: ``<name>.png`` for a one-page
    dashboard, ``<name>-1.png`` ... otherwise (``name`` defaults to the workbook's file name without
    ``.xlsx``). Nothing is written unless every name is free (or ``overwrite``)."""
    _check_dpi(dpi)
    _need_pdftoppm()
    stem = name or Path(xlsx).name.removesuffix(".xlsx").removesuffix(".xlsm")
    with tempfile.TemporaryDirectory(prefix="xl_cskpi-png-") as tmp:
        pdf = to_pdf(Path(xlsx), Path(tmp) / "pages.pdf", pages=pages)
        return pdf_to_png(pdf, out_dir, dpi=dpi, name=stem, overwrite=overwrite)


def _check_dpi(dpi: int) -> None:
    if not 30 <= dpi <= 600:
        raise RenderError(f"dpi is {dpi}; use 30 to 600")


def pdf_to_png(pdf: Path, out_dir: Path, *, dpi: int = 110, name: str | None = None,
               overwrite: bool = False) -> list[Path]:
    """Every page of ``pdf`` as a PNG in ``out_dir`` (names as :func:`to_png`'s; ``name`` defaults to
    the PDF's file name without ``.pdf``), drawn by ``pdftoppm``."""
    from ..output import check_output, write_bytes_atomic

    _check_dpi(dpi)
    tool = _need_pdftoppm()
    out_dir = Path(out_dir)
    stem = name or Path(pdf).stem
    with tempfile.TemporaryDirectory(prefix="xl_cskpi-png-") as tmp:
        try:
            subprocess.run([tool, "-png", "-r", str(dpi), str(pdf), str(Path(tmp) / "page")], check=True,
                           capture_output=True, timeout=TIMEOUT)
        except (subprocess.SubprocessError, OSError) as e:
            raise RenderError(f"pdftoppm could not draw {pdf}: {' '.join(str(e).split())[:200]}") from None
        drawn = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        targets = [out_dir / n for n in png_names(stem, len(drawn))]
        for t in targets:
            check_output(t, overwrite=overwrite)
        for src, t in zip(drawn, targets):
            write_bytes_atomic(t, src.read_bytes(), overwrite=overwrite)
    return targets


# --------------------------------------------------------------------------- README pictures

def _page_of(pdf: Path, marker: str) -> int | None:
    """The first page of ``pdf`` whose text has ``marker`` (bidi marks that pdftotext puts around
    right-to-left runs ignored), or None."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = text.translate(_BIDI)
    for i, page in enumerate(text.split("\f"), 1):
        if marker in page:
            return i
    return None


_BIDI = dict.fromkeys([*range(0x202A, 0x202F), 0x200E, 0x200F, 0x2066, 0x2067, 0x2068, 0x2069])

#: The page to picture instead of the dashboard, found by its text: the cohort triangle.
PAGE_MARKER = {"cohort_retention": "spill.cohort_retention"}


def render(demo: Path, out: Path, keys: tuple[str, ...] = ORDER, lang: str = "en", dpi: int = 100,
           suffix: str = "") -> list[Path]:
    """The README pictures: ``out/<key><suffix>.pdf`` (every page of ``demo``'s values report) and
    ``out/<key><suffix>.png`` (its dashboard, drawn alone; or the page :data:`PAGE_MARKER` names);
    replaces earlier pictures."""
    _need_pdftoppm()
    t = translator(lang)
    stem = lambda k: k if lang == "en" else f"{k}.{lang}"  # noqa: E731  (the demo's file names)
    books = [demo / f"{stem(k)}.values.xlsx" for k in keys]
    pdfs = to_pdfs([(b, out / f"{k}{suffix}.pdf") for k, b in zip(keys, books)], pages="all", overwrite=True)
    made = []
    with tempfile.TemporaryDirectory(prefix="xl_cskpi-pictures-") as tmp:
        dashboards = to_pdfs([(b, Path(tmp) / f"{k}.pdf") for k, b in zip(keys, books)], pages="dashboard")
        for k, pdf, dash in zip(keys, pdfs, dashboards):
            source, page = dash, 1
            if k in PAGE_MARKER:
                found = _page_of(pdf, t(PAGE_MARKER[k]))
                source, page = (pdf, found) if found else (dash, 1)
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                            "-singlefile", str(source), str(out / f"{k}{suffix}")], check=True)
            made += [pdf, out / f"{k}{suffix}.png"]
    return made


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m xl_cskpi.reports.render",
        description="Pictures of the reports for the README: each DEMO_DIR/<report>.values.xlsx (written\n"
                    "by 'xl-cskpi demo') to OUT_DIR/<report>.pdf and the PNG of its dashboard page.\n"
                    "Needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext).",
        epilog="example:\n  xl-cskpi demo -o demo && python -m xl_cskpi.reports.render demo docs/images\n"
               "  xl-cskpi demo -o demo-fa --lang fa && python -m xl_cskpi.reports.render demo-fa docs/images "
               "--lang fa --suffix _fa",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("demo", type=Path, metavar="DEMO_DIR", help="folder written by 'xl-cskpi demo'")
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="folder for the PDFs and PNGs")
    parser.add_argument("--only", nargs="+", default=list(ORDER), metavar="NAME", help="only these reports")
    parser.add_argument("--lang", default="en", help="language of the demo's reports (default: en)")
    parser.add_argument("--suffix", default="", help="added to the picture names (e.g. _fa)")
    parser.add_argument("--dpi", type=int, default=100, help="resolution of the PNGs (default: 100)")
    args = parser.parse_args(argv)
    stem = lambda k: k if args.lang == "en" else f"{k}.{args.lang}"  # noqa: E731
    unknown = [k for k in args.only if k not in ORDER]
    missing = [k for k in args.only if not (args.demo / f"{stem(k)}.values.xlsx").is_file()]
    tools = [t for t in ("pdftoppm", "pdftotext") if not shutil.which(t)]
    problem = (f"no report called {', '.join(unknown)}; use {', '.join(ORDER)}" if unknown else
               f"{args.demo / (stem(missing[0]) + '.values.xlsx')}: no such file; run 'xl-cskpi demo -o "
               f"{args.demo}' first" if missing else
               f"needs {' and '.join(tools)} ({INSTALL_POPPLER})" if tools else None)
    if problem:
        print(f"{parser.prog}: {problem}", file=sys.stderr)
        return 2
    try:
        made = render(args.demo, args.out, tuple(args.only), lang=args.lang, dpi=args.dpi, suffix=args.suffix)
    except (RenderError, OSError, subprocess.SubprocessError) as e:
        print(f"{parser.prog}: {' '.join(str(e).split())}", file=sys.stderr)
        return 2
    for p in made:
        print(p)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
