"""The ``xl-cskpi`` command line.

Each command is a function ``cmd_<name>(args)`` registered in :data:`COMMANDS` with its parser
set-up; a new command is one more entry. Library errors (:class:`~xl_cskpi.errors.KPIError`, and the
:class:`UsageError` of this module) become one line on stderr and exit status 2; any other
exception (a bug) one line and status 1; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Callable

from .errors import KPIError

__all__ = ["main", "UsageError"]


class UsageError(Exception):
    """Bad input to a command: printed as one line, exit status 2."""


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


# --------------------------------------------------------------------------- functions

def _setup_functions(p: argparse.ArgumentParser) -> None:
    p.add_argument("--category", help="only this category (e.g. Surveys)")


def cmd_functions(args: argparse.Namespace) -> int:
    from .registry import catalogue

    rows = [[f.signature_text(), f.help, f.category] for f in catalogue()
            if not args.category or f.category.lower() == args.category.lower()]
    if not rows:
        raise UsageError(f"no category called {args.category!r}; run 'xl-cskpi functions' to see them")
    print(_table(rows, ["function", "what it computes", "category"]))
    return 0


# --------------------------------------------------------------------------- templates, report, demo

def _progress(msg: str) -> None:
    print(f"  ... {msg}", file=sys.stderr, flush=True)


def _lang_choices() -> tuple[str, ...]:
    from .reports.i18n import LANGUAGES
    return LANGUAGES


def template_dirs() -> list[Path]:
    """Where bundled templates live: inside the installed package (wheel), or the repository."""
    here = Path(__file__).resolve().parent
    return [here / "workbook_templates", here.parent / "workbook_templates"]


def template_name(key: str, lang: str) -> str:
    return f"{key}.xlsx" if lang == "en" else f"{key}.{lang}.xlsx"


def _setup_templates(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", default="workbook_templates", metavar="DIR",
                   help="folder to write the workbooks to (default: ./workbook_templates)")
    p.add_argument("--lang", default="en", choices=_lang_choices(), help="language of the workbooks")
    p.add_argument("--only", nargs="+", metavar="NAME", help="only these templates (e.g. revenue)")


def cmd_templates(args: argparse.Namespace) -> int:
    from .reports import reports
    from .reports.builder import build

    catalogue = reports()
    keys = args.only or list(catalogue)
    unknown = [k for k in keys if k not in catalogue]
    if unknown:
        raise UsageError(f"no template called {', '.join(unknown)}; templates: {', '.join(catalogue)}")
    out = Path(args.output)
    for key in keys:
        path = out / template_name(key, args.lang)
        build(catalogue[key], path, lang=args.lang)
        print(path)
    return 0


def _setup_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("template", metavar="TEMPLATE",
                   help="a template name (e.g. revenue; see 'xl-cskpi templates') or a template .xlsx "
                        "(its settings, e.g. your targets, are kept)")
    p.add_argument("--data", nargs="+", required=True, metavar="FILE",
                   help="CSV or XLSX exports, one per data table; columns are matched by header name")
    p.add_argument("-o", "--output", required=True, metavar="OUT.xlsx", help="the report to write")
    p.add_argument("--values", action="store_true",
                   help="write computed values instead of live formulas (for Excel without the add-in)")
    p.add_argument("--force", action="store_true", help="replace OUT.xlsx if it exists")
    p.add_argument("--lang", default=None, choices=_lang_choices(),
                   help="language (default: the template file's, or en)")


def _template_settings(path: Path, keys: list[str]) -> dict:
    """Setting values (targets) of a template file the user may have edited, by defined name."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        found = {}
        for key in keys:
            dn = wb.defined_names.get(key)
            if dn is None:
                continue
            for title, coord in dn.destinations:
                cells = wb[title][coord.replace("$", "")]
                if isinstance(cells, tuple):
                    vals = tuple(row[0].value for row in cells)
                    found[key] = vals
                else:
                    found[key] = cells.value
        return found
    finally:
        wb.close()


def _resolve_template(name: str) -> tuple[str, Path | None, str | None]:
    """(report key, template file or None, its language)."""
    from .reports import reports

    catalogue = reports()
    if name in catalogue:
        return name, None, None
    path = Path(name)
    if path.suffix.lower() == ".xlsx" and not path.exists():   # a bundled template by file name
        path = next((d / path.name for d in template_dirs() if (d / path.name).is_file()), path)
    if path.suffix.lower() == ".xlsx" and path.is_file():
        from openpyxl import load_workbook

        from .reports.fill import ExportError, _check_zip

        try:
            _check_zip(path)          # a zip bomb is refused before anything inflates it
        except ExportError as e:
            raise UsageError(str(e)) from None
        try:
            wb = load_workbook(path, read_only=True)
            ident, lang = wb.properties.identifier or "", wb.properties.language or "en"
            wb.close()
        except Exception as e:  # a damaged or hostile file: openpyxl/defusedxml/zipfile errors
            raise UsageError(f"{path}: cannot read the template ({type(e).__name__}); regenerate it with "
                             "'xl-cskpi templates'") from None
        key = ident.removeprefix("xl_cskpi:")
        if key not in catalogue:
            raise UsageError(f"{path} is not an xl_cskpi template (regenerate with 'xl-cskpi templates')")
        return key, path, lang
    raise UsageError(f"no template called {name!r}; use one of {', '.join(catalogue)} or a template .xlsx")


def cmd_report(args: argparse.Namespace) -> int:
    from .reports import reports
    from .reports.builder import build
    from .reports.fill import ExportError, load_data

    key, tpath, tlang = _resolve_template(args.template)
    report = reports()[key]
    lang = args.lang or tlang or "en"
    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{out}: the report must be an .xlsx file")
    inputs = [Path(p).resolve() for p in args.data] + ([tpath.resolve()] if tpath else [])
    if out.resolve() in inputs:
        raise UsageError(f"{out} is one of the input files; choose another output name")
    if out.exists() and not args.force:
        raise UsageError(f"{out} exists; use --force to replace it")
    try:
        settings = _template_settings(tpath, [s.key for s in report.settings] + ["amber_band"]) if tpath else {}
    except Exception as e:
        raise UsageError(f"{tpath}: cannot read the template's settings ({type(e).__name__})") from None
    try:
        data = load_data(report, args.data, lang)
    except ExportError as e:
        raise UsageError(str(e)) from None
    _progress("read " + ", ".join(f"{len(df):,} rows of {name}" for name, df in data.items()))
    values = build(report, out, lang=lang, data=data, values=args.values, progress=_progress,
                   settings=settings)
    _print_kpis(report, values, lang)
    print(out)
    return 0


def _format(value, kind: str) -> str:
    from .errors import KPIError

    if isinstance(value, KPIError):
        return value.code
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if kind == "rate":
        return f"{x:.1%}"
    if kind in ("points", "count"):
        return f"{x:,.0f}"
    if kind == "money":
        return f"{x:,.0f}"
    if kind == "hours":
        return f"{x:.1f} h"
    if kind in ("months", "days"):
        return f"{x:.1f} {kind}"
    if kind == "ratio":
        return f"{x:.2f}x"
    return f"{x:,.2f}"


def _print_kpis(report, values: dict, lang: str, headline_only: bool = False) -> list[list[str]]:
    from .reports.builder import result_kind
    from .reports.i18n import translator

    t = translator(lang)
    rows = [[t(f"report.{report.key}.title"), t(f"kpi.{k.key}"), _format(values.get(k.key), result_kind(k.expr, k.kind))]
            for k in report.kpis if k.headline or not headline_only]
    if not headline_only:
        print(_table(rows, ["report", "KPI", "value"]))
    return rows


def _setup_demo(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", default="xl_cskpi_demo", metavar="DIR",
                   help="folder for the sample exports and reports (default: ./xl_cskpi_demo)")
    p.add_argument("--lang", default="en", choices=_lang_choices(), help="language of the reports")
    p.add_argument("--seed", type=int, default=None, help="seed of the sample data (default: fixed)")


def cmd_demo(args: argparse.Namespace) -> int:
    from . import sample
    from .reports import reports
    from .reports.builder import build
    from .reports.fill import ExportError, load_data

    out = Path(args.output)
    exports = sample.generate(**({"seed": args.seed} if args.seed is not None else {}))
    paths = sample.write_csv(exports, out / "exports")
    by_table = {sample.EXPORTS[name]: path for name, path in paths.items()}
    settings = sample.demo_settings(exports)
    _progress(f"wrote {len(paths)} sample exports to {out / 'exports'}")
    rows: list[list[str]] = []
    for key, report in reports().items():
        files = [by_table[tb.name] for tb in report.tables]
        try:
            data = load_data(report, files, args.lang)
        except ExportError as e:  # pragma: no cover  (our own sample always fits)
            raise UsageError(str(e)) from None
        stem = key if args.lang == "en" else f"{key}.{args.lang}"
        values = build(report, out / f"{stem}.xlsx", lang=args.lang, data=data, settings=settings)
        build(report, out / f"{stem}.values.xlsx", lang=args.lang, data=data, values=True, settings=settings)
        _progress(f"{key}: {out / f'{stem}.xlsx'} and {stem}.values.xlsx")
        rows += _print_kpis(report, values, args.lang, headline_only=True)
    print(_table(rows, ["report", "KPI", "value"]))
    print(f"reports in {out}/ (NAME.xlsx: live formulas, needs the add-in; NAME.values.xlsx: computed values)")
    return 0


# --------------------------------------------------------------------------- registry of commands

COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int], str, str]] = {
    "functions": (_setup_functions, cmd_functions,
                  "list every Excel function with its arguments and one-line help",
                  "xl-cskpi functions --category Surveys"),
    "templates": (_setup_templates, cmd_templates,
                  "regenerate the report template workbooks (one per report)",
                  "xl-cskpi templates -o workbook_templates"),
    "report": (_setup_report, cmd_report,
               "fill a report template with CSV/XLSX exports",
               "xl-cskpi report revenue --data subscriptions.csv accounts.xlsx -o revenue.xlsx --values"),
    "demo": (_setup_demo, cmd_demo,
             "write sample exports and every report from them, and print the headline KPIs",
             "xl-cskpi demo -o xl_cskpi_demo"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xl-cskpi",
        description="Customer-success KPIs: Excel functions, report workbooks and exports.",
        epilog="Run 'xl-cskpi COMMAND --help' for a command's options and an example.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (setup, _run, summary, example) in COMMANDS.items():
        p = sub.add_parser(name, help=summary, description=summary,
                           epilog=textwrap.dedent(f"example:\n  {example}"),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
        setup(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command][1](args)
    except (KPIError, UsageError, OSError, ValueError) as e:
        if args.debug:
            raise
        print(f"xl-cskpi {args.command}: {' '.join(str(e).split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("xl-cskpi: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001  (a bug: one line and status 1; the traceback with --debug)
        if args.debug:
            raise
        detail = " ".join(str(e).split())
        detail = detail[:200] + "..." if len(detail) > 200 else detail
        print(f"xl-cskpi {args.command}: unexpected error: {type(e).__name__}: {detail} (run again "
              "with --debug for the details, and please report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
