"""Pictures of the reports for the README: LibreOffice -> PDF -> PNG of the dashboard page.

    python -m xl_cskpi.reports.render DEMO_DIR docs/images [--only revenue ...] [--dpi 100]

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

__all__ = ["render", "main"]


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
        raise SystemExit("render needs LibreOffice (soffice): apt-get install libreoffice-calc-nogui")
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


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m xl_cskpi.reports.render",
        description="Pictures of the reports for the README: each DEMO_DIR/<report>.values.xlsx (written\n"
                    "by 'xl-cskpi demo') to OUT_DIR/<report>.pdf and the PNG of its dashboard page.\n"
                    "Needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext).",
        epilog="example:\n  xl-cskpi demo -o demo && python -m xl_cskpi.reports.render demo docs/images",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("demo", type=Path, metavar="DEMO_DIR", help="folder written by 'xl-cskpi demo'")
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="folder for the PDFs and PNGs")
    parser.add_argument("--only", nargs="+", default=list(ORDER), metavar="NAME", help="only these reports")
    parser.add_argument("--lang", default="en", help="language of the demo's reports (default: en)")
    parser.add_argument("--dpi", type=int, default=100, help="resolution of the PNGs (default: 100)")
    args = parser.parse_args(argv)
    unknown = [k for k in args.only if k not in ORDER]
    missing = [k for k in args.only if not (args.demo / f"{k}.values.xlsx").is_file()]
    tools = [t for t in ("pdftoppm", "pdftotext") if not shutil.which(t)]
    problem = (f"no report called {', '.join(unknown)}; use {', '.join(ORDER)}" if unknown else
               f"{args.demo / (missing[0] + '.values.xlsx')}: no such file; run 'xl-cskpi demo -o {args.demo}' "
               "first" if missing else
               f"needs {' and '.join(tools)} (apt-get install poppler-utils)" if tools else None)
    if problem:
        print(f"{parser.prog}: {problem}", file=sys.stderr)
        return 2
    try:
        made = render(args.demo, args.out, tuple(args.only), lang=args.lang, dpi=args.dpi)
    except SystemExit as e:        # no soffice
        print(f"{parser.prog}: {e}", file=sys.stderr)
        return 2
    except (OSError, subprocess.SubprocessError) as e:
        print(f"{parser.prog}: {' '.join(str(e).split())}", file=sys.stderr)
        return 2
    for p in made:
        print(p)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
