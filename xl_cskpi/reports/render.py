"""Pictures of the reports for the README: LibreOffice -> PDF -> PNG of the dashboard page.

    python -m xl_cskpi.reports.render DEMO_DIR docs/images

renders ``DEMO_DIR/<report>.values.xlsx`` (written by ``xl-cskpi demo``) to
``docs/images/<report>.pdf`` and ``docs/images/<report>.png`` (the page that shows the dashboard).
Needs ``soffice`` (LibreOffice) and ``pdftoppm``/``pdftotext`` (poppler-utils).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import ORDER
from .i18n import translator

__all__ = ["render"]


def _dashboard_page(pdf: Path, marker: str) -> int:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for i, page in enumerate(text.split("\f"), 1):
        if marker in page:
            return i
    return 1


#: The page to picture: the dashboard, except where a spilled table says more (the cohort triangle).
PAGE_MARKER = {"cohort_retention": "spill.cohort_retention"}


def render(demo: Path, out: Path, keys: tuple[str, ...] = ORDER, lang: str = "en", dpi: int = 100) -> list[Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("render needs LibreOffice (soffice)")
    out.mkdir(parents=True, exist_ok=True)
    t = translator(lang)
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        files = [demo / f"{k}.values.xlsx" for k in keys]
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                       check=True, capture_output=True, timeout=600)
        for k in keys:
            pdf = out / f"{k}.values.pdf"
            target = out / f"{k}.pdf"
            pdf.replace(target)
            page = _dashboard_page(target, t(PAGE_MARKER.get(k, "label.target")))
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                            "-singlefile", str(target), str(out / k)], check=True)
            made += [target, out / f"{k}.png"]
    return made


if __name__ == "__main__":  # pragma: no cover
    for p in render(Path(sys.argv[1]), Path(sys.argv[2])):
        print(p)
