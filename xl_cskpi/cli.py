"""The ``xl-cskpi`` command line.

Each command is a function ``cmd_<name>(args)`` registered in :data:`COMMANDS` with its parser
set-up; a new command is one more entry. Library errors (:class:`~xl_cskpi.errors.KPIError`,
:class:`~xl_cskpi.exports.check.ExportError`, :class:`~xl_cskpi.output.OutputError`, and the
:class:`UsageError` of this module) and usage errors (a missing or unknown option) become one line on
stderr and exit status 2; any other exception (a bug) one line and status 1; ``--debug`` (before or
after the command) shows the traceback instead.

Every command that writes refuses to replace an existing file without ``--force``; the files appear
whole or not at all (:mod:`xl_cskpi.output`).
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from pathlib import Path
from typing import Callable

from .errors import KPIError

__all__ = ["main", "UsageError", "excel_round"]


class UsageError(Exception):
    """Bad input to a command: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line (``xl-cskpi report: the following arguments are
    required: --data; see 'xl-cskpi report --help'``) and exit status 2, instead of the usage block."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {' '.join(message.split())}; see '{self.prog} --help'\n")


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


# --------------------------------------------------------------------------- numbers as Excel shows them

def excel_round(x: float, places: int = 0, *, scale: int = 0) -> Decimal:
    """``x`` (times ``10**scale``) rounded to ``places`` decimals as Excel displays it: from the
    number's 15 significant digits, halves away from zero (NPS 22.5 shows 23, -22.5 shows -23;
    Python's ``round`` and ``format`` give 22: they round half to even, on the binary value).

    Microsoft, "Floating-point arithmetic may give inaccurate results in Excel": Excel stores and
    shows 15 significant digits; its number formats round half away from zero.
    """
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(f"{x:.15g}").scaleb(scale)
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return d if d != 0 else abs(d)   # no "-0"


def _number(x: float, places: int) -> str:
    try:
        return f"{excel_round(x, places):,f}"
    except (InvalidOperation, ValueError, OverflowError):   # inf, nan
        return str(x)


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


# --------------------------------------------------------------------------- shared by the writers

def _progress(msg: str) -> None:
    print(f"  ... {msg}", file=sys.stderr, flush=True)


def _lang_choices() -> tuple[str, ...]:
    from .reports.i18n import LANGUAGES
    return LANGUAGES


def template_dirs() -> list[Path]:
    """Where bundled templates live: inside the installed package (wheel), or the repository."""
    here = Path(__file__).resolve().parent
    return [here / "workbook_templates", here.parent / "workbook_templates"]


def template_name(key: str, lang: str, suffix: str = ".xlsx") -> str:
    return f"{key}{suffix}" if lang == "en" else f"{key}.{lang}{suffix}"


def _check_outputs(paths: list[Path], force: bool) -> None:
    """Refuse, before any work, outputs that cannot be written or exist without --force (one line
    for all of them). The writer checks again at the moment of writing: a name taken meanwhile is
    never replaced without --force."""
    from .output import OutputExistsError, check_output

    taken = []
    for p in paths:
        try:
            check_output(p, overwrite=force)
        except OutputExistsError:
            taken.append(p)
    if len(taken) == 1:
        raise UsageError(f"{taken[0]} exists; use --force to replace it")
    if taken:
        raise UsageError(f"{taken[0]} and {len(taken) - 1} more file{'s' if len(taken) > 2 else ''} exist; "
                         "use --force to replace them")


def _build(report, path: Path, **kwargs):
    """``reports.builder.build``, its OS errors as one line naming ``path`` (a full disk or the
    file-size limit also stops openpyxl's scratch files, which have other names)."""
    from .output import explain
    from .reports.builder import build

    try:
        return build(report, path, **kwargs)
    except OSError as e:
        raise explain(path, e) from None
    except Exception as e:
        io = _lxml_io_error(e)
        if io is None:
            raise
        raise explain(path, io) from None


def _lxml_io_error(e: Exception) -> OSError | None:
    """The OS error inside lxml's ``SerialisationError("IO_EFBIG")``: openpyxl writes through lxml when
    it is installed (the ``fast`` extra), and lxml reports a failed write (file-size limit, full disk)
    by the errno's name."""
    import errno
    import os

    words = str(e).strip()
    if type(e).__name__ != "SerialisationError" or not words.startswith("IO_"):
        return None
    code = getattr(errno, words[3:], None)
    return OSError(code, os.strerror(code)) if isinstance(code, int) else None


# --------------------------------------------------------------------------- templates

def _setup_templates(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", default="workbook_templates", metavar="DIR",
                   help="folder to write the workbooks to (default: ./workbook_templates)")
    p.add_argument("--lang", default="en", choices=_lang_choices(), help="language of the workbooks")
    p.add_argument("--only", nargs="+", metavar="NAME", help="only these templates (e.g. revenue)")
    p.add_argument("--force", action="store_true",
                   help="replace templates that exist (your edited targets in them are lost)")
    p.add_argument("--excel-addin", action="store_true",
                   help="macro-enabled .xlsm workbooks wired to the classic xlwings add-in (xlwings' own "
                        "VBA project and an xlwings.conf sheet with UDF Modules = xl_cskpi.udfs)")


def cmd_templates(args: argparse.Namespace) -> int:
    from .reports import reports

    catalogue = reports()
    keys = args.only or list(catalogue)
    unknown = [k for k in keys if k not in catalogue]
    if unknown:
        raise UsageError(f"no template called {', '.join(unknown)}; templates: {', '.join(catalogue)}")
    out = Path(args.output)
    suffix = ".xlsm" if args.excel_addin else ".xlsx"
    paths = [out / template_name(key, args.lang, suffix) for key in keys]
    _check_outputs(paths, args.force)
    for key, path in zip(keys, paths):
        _build(catalogue[key], path, lang=args.lang, overwrite=args.force)
        print(path)
    return 0


# --------------------------------------------------------------------------- report

def _add_read_options(p: argparse.ArgumentParser) -> None:
    """How exports are read: shared by ``report`` and ``inspect``."""
    p.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                   help="read the export column HEADER as the report's FIELD (e.g. nps_score='How likely "
                        "are you to recommend us?', or Tickets.resolved_at=Solved); status.VALUE=canonical "
                        "maps a status word (status.Closed=resolved); repeatable")
    p.add_argument("--map-file", metavar="FILE.toml",
                   help="the same mappings in a TOML file (for exports you read every month)")
    p.add_argument("--date-order", choices=("dmy", "mdy", "ymd"),
                   help="order of day, month and year in text dates (05/03/2024); needed only when a "
                        "column is ambiguous (every day <= 12)")
    p.add_argument("--decimal", choices=(".", ","), default=None, metavar="SEP",
                   help="decimal separator of the exports' numbers: '.' or ',' (99,00 and 99.000,00); "
                        "without it a decimal point, and an amount such as 1.200 (1.2 or 1,200?) that no "
                        "other value of its column decides is refused with a line saying which to pass")
    p.add_argument("--calendar", choices=("gregorian", "jalali", "hijri"),
                   help="calendar of local dates and month labels (1403-04) in the exports "
                        "(default: the report language's: jalali for fa, hijri for ar)")
    p.add_argument("--timezone", metavar="ZONE",
                   help="IANA time zone (UTC, Asia/Tehran, America/Los_Angeles) on whose clock times with a "
                        "UTC offset (2024-03-09T22:00:00-08:00, ...Z) are read; default: the zone of the "
                        "report's working hours, else as written when the export has one offset, else UTC")


def _setup_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("template", metavar="TEMPLATE",
                   help="a template name (e.g. revenue; see 'xl-cskpi templates') or a template .xlsx "
                        "(its settings, e.g. your targets, are kept)")
    p.add_argument("--data", nargs="+", required=True, metavar="FILE",
                   help="CSV or XLSX exports, folders of them, or globs ('exports/*.csv'); each file "
                        "feeds the table its columns fit, files that fit none are named and skipped")
    p.add_argument("-o", "--output", required=True, metavar="OUT.xlsx", help="the report to write")
    p.add_argument("--values", action="store_true",
                   help="write computed values instead of live formulas (for Excel without the add-in)")
    p.add_argument("--force", action="store_true", help="replace OUT.xlsx if it exists")
    p.add_argument("--lang", default=None, choices=_lang_choices(),
                   help="language (default: the template file's, or en)")
    _add_read_options(p)
    p.add_argument("--strict", action="store_true",
                   help="any warning or error in the data check: exit 2 and write nothing")
    p.add_argument("--period", metavar="P",
                   help="the reporting period, in the report's calendar: 2024-09, 1403-06, 'Shahrivar 1403', "
                        "'September 2024' (default: the latest complete period of the data)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="set",
                   help="a setting of the report's Settings sheet, for this run: csat_scale=5, target_nps=40, "
                        "customers_start=180, churn_from=2024-07-01 (repeatable; wins over a template's value; "
                        "'xl-cskpi templates' lists the settings on each Settings sheet)")
    p.add_argument("--engine", default="pandas", choices=("pandas", "duckdb", "spark"),
                   help="the engine that aggregates the tables derived from a billing export (monthly "
                        "customer counts, Finance): pandas (default), duckdb or spark; the same numbers")
    _add_render_options(p)


def _add_render_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pdf", metavar="OUT.pdf",
                   help="also draw the dashboard as a PDF, through LibreOffice (headless), for e-mailing")
    p.add_argument("--png", metavar="DIR",
                   help="also draw the dashboard as PNG pictures in DIR (one per page: NAME.png or NAME-1.png ...)")
    p.add_argument("--all-pages", action="store_true",
                   help="with --pdf/--png: every sheet, not only the dashboard")
    p.add_argument("--dpi", type=int, default=110, help="with --png: resolution (default: 110)")


#: Setting kinds whose value is a number (a rate is a fraction: 0.05 or 5%)
NUMBER_SETTINGS = ("rate", "ratio", "count", "money", "points", "hours", "months", "score", "days")


def _set_options(pairs: list[str], report, calendar: str = "gregorian") -> dict:
    """``--set NAME=VALUE`` as settings, read by the setting's kind (reviewer's G20, G21):

    * a rate is a fraction: ``5%`` or ``0.05``; ``5`` (500 %) is exit 2 asking for ``5%`` or ``0.05``
      (a target stored as the text "5%" compared below every number, so 11.4 % churn read "On target");
    * another number kind (counts, money, points, hours) takes a number, Latin or Persian/Arabic digits,
      with the thousands and decimal marks the data reader knows; text is exit 2;
    * a date takes the report's calendar as the data does: ``1403/02/01`` and ``۱۴۰۳/۰۲/۰۱`` in a
      Jalali report, ISO Gregorian dates in any;
    * TRUE/FALSE, else text (a choice list is checked by the workbook). An unknown name or a missing
      ``=`` is exit 2 naming the settings."""
    from .cells import LATIN_DIGITS, date_column
    from .errors import KPIError

    kinds = {st.key: st.kind for st in report.settings}
    kinds["amber_band"] = "rate"
    # a setting of several rows (customer_health's four weights): that many values, comma-separated
    sizes = {st.key: len(st.value) for st in report.settings if isinstance(st.value, tuple)}
    out: dict = {}
    for pair in pairs or []:
        name, sep, raw = pair.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep or not name:
            raise UsageError(f"--set {pair!r}: write NAME=VALUE, e.g. --set csat_scale=5")
        if name not in kinds:
            raise UsageError(f"--set {name}: the {report.key} report has no such setting; its settings: "
                             + ", ".join(kinds))
        kind = kinds[name]
        text = raw.translate(LATIN_DIGITS).replace("\u066b", ".").replace("\u066c", ",").replace("\u066a", "%")
        value: object = raw
        if name in sizes:
            parts = [x.strip() for x in re.split(r"[;,\u060c]", raw)]
            if len(parts) != sizes[name] or kind not in NUMBER_SETTINGS or "" in parts:
                from .reports.i18n import translator
                rows = ", ".join(translator("en")(f"setting.{name}.{i + 1}", default=str(i + 1)) for i in range(sizes[name]))
                raise UsageError(f"--set {name}={raw}: {name} takes {sizes[name]} values, comma-separated, in the "
                                 f"order of the Settings sheet ({rows}), e.g. --set " + name + "="
                                 + ",".join(str(v) for v in next(st.value for st in report.settings if st.key == name)))
            out[name] = tuple(_set_number(name, kind, x, x.translate(LATIN_DIGITS).replace("\u066a", "%"))
                              for x in parts)
            continue
        if text == "":
            value = None
        elif kind in NUMBER_SETTINGS:
            value = _set_number(name, kind, raw, text)
        elif kind in ("date", "datetime"):
            try:
                day = date_column([raw], name, calendar=calendar, kind="datetime" if kind == "datetime" else "date")[0]
            except KPIError as e:
                raise UsageError(f"--set {name}={raw}: {e.reason}; write a date such as 2024-07-01"
                                 + (f" or one of the report's {calendar} calendar such as 1403/04/10"
                                    if calendar != "gregorian" else "")) from None
            value = pd_timestamp(day)
        elif text.upper() in ("TRUE", "FALSE"):
            value = text.upper() == "TRUE"
        out[name] = value
    return out


def pd_timestamp(day) -> object:
    """A ``datetime64`` as a ``datetime`` (what the Settings sheet writes)."""
    import pandas as pd

    return pd.Timestamp(day).to_pydatetime()


def _set_number(name: str, kind: str, raw: str, text: str) -> float | int:
    """One ``--set`` number of ``kind`` (see :func:`_set_options`), read as the data reader reads
    number text (:func:`xl_cskpi.cells.parse_number_text`: ``۱۲٬۵۰۰٫۵``, ``1,234``, ``45%``)."""
    from .cells import parse_number_text

    number = parse_number_text(raw)
    if number is None:
        raise UsageError(f"--set {name}={raw}: {name} is a number" + (" (a rate: 5% or 0.05)" if kind == "rate" else "")
                         + f", not {raw!r}")
    percent = text.rstrip().endswith("%")
    if percent and kind != "rate":
        raise UsageError(f"--set {name}={raw}: {name} is not a rate; write the number without %")
    if kind == "rate" and not percent and abs(number) > 1:
        raise UsageError(f"--set {name}={raw}: {name} is a rate, so {raw} would be {number * 100:g} %; "
                         f"write {raw}% or {number / 100:g}")
    return int(number) if float(number).is_integer() and kind != "rate" else float(number)


def _scales_from_headers(report, data: dict, settings: dict, check) -> dict:
    """Survey settings the user left blank, from the headers of their columns: the scales
    (``csat_scale``, ``ces_scale``: "(1-5)", "(۱ تا ۷)") and the CES question's direction
    (``ces_question`` from its wording), each with a data check note
    (:func:`xl_cskpi.reports.specs.survey_scale.settings_from_headers`)."""
    from .reports.specs.survey_scale import settings_from_headers

    return settings_from_headers(report, data, settings, check)


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


def template_rows(path: Path, report) -> dict[str, int]:
    """``{table: rows}``: the rows typed into a template's data tables (an Excel table named as the
    report's table; a row counts when a cell other than a formula holds something)."""
    from openpyxl import load_workbook
    from openpyxl.utils import range_boundaries

    names = {tb.name for tb in report.tables}
    wb = load_workbook(path)
    out: dict[str, int] = {}
    for ws in wb.worksheets:
        for name, ref in ws.tables.items():
            if name not in names:
                continue
            c0, r0, c1, r1 = range_boundaries(ref if isinstance(ref, str) else ref.ref)
            n = sum(1 for row in ws.iter_rows(min_row=r0 + 1, max_row=r1, min_col=c0, max_col=c1, values_only=True)
                    if any(v is not None and not (isinstance(v, str) and (not v.strip() or v.startswith("=")))
                           for v in row))
            if n:
                out[name] = n
    return out


def template_rows_unread(tpath: Path, report, check) -> None:
    """A Data check warning (``template_rows_unread``) for rows typed into a template's data sheets:
    ``report TEMPLATE.xlsx --data ...`` fills the tables from ``--data`` and keeps the template's
    Settings, not its rows (reviewer's L1, session 6: five eNPS answers typed on EmployeeSurvey read
    "n/a: no employee survey given", three April responses were dropped from the NPS)."""
    try:
        typed = template_rows(tpath, report)
    except Exception:   # noqa: BLE001  (the template was read for its settings already; a table it cannot list is no finding)
        return
    if not typed:
        return
    listed = ", ".join(f"{name} {n:,}" for name, n in typed.items())
    check.warn("template_rows_unread", "rows typed into the template's data sheets are not read "
               f"({listed}): the report is filled from the files given with --data and keeps only the template's "
               "Settings; put those rows in a file given with --data (or give the template alone as --data)",
               file=str(tpath), fields={"tables": listed})


#: Settings a template kept from an earlier version's made-up defaults: {report: {setting: value}}.
#: The funnel's two counts were 350 and 400 until they became blank (n/a until entered).
STALE_DEFAULTS = {"funnel": {"customers_start": 350, "active_customer_count": 400}}


def stale_template_settings(key: str, settings: dict, tpath: Path, check) -> None:
    """A Data check warning (code ``template_defaults``; ``--strict`` refuses it) when a template's
    settings still hold every made-up default of :data:`STALE_DEFAULTS`: they may be real counts,
    so the report is made, but the user is told to check them."""
    stale = STALE_DEFAULTS.get(key, {})
    if stale and all(settings.get(k) == v for k, v in stale.items()):
        names = ", ".join(f"{k} {v}" for k, v in stale.items())
        check.warn("template_defaults", f"{tpath.name}: {names} are the made-up defaults of {key} templates made "
                   "before these settings became blank; enter your own counts on the Settings sheet, or clear "
                   "them (the KPIs then say n/a)", file=str(tpath), fields={"settings": names})


def _check_zip(path: Path) -> None:
    from .exports.check import ExportError
    from .exports.read import check_zip

    try:
        check_zip(path)
    except ExportError as e:
        raise UsageError(str(e)) from None


def _resolve_template(name: str) -> tuple[str, Path | None, str | None]:
    """(report key, template file or None, its language)."""
    from .reports import reports

    catalogue = reports()
    if name in catalogue:
        return name, None, None
    path = Path(name)
    if path.suffix.lower() == ".xlsx" and not path.exists():   # a bundled template by file name
        path = next((d / path.name for d in template_dirs() if (d / path.name).is_file()), path)
    if path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
        from openpyxl import load_workbook

        _check_zip(path)          # a zip bomb is refused before anything inflates it
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


def _read_options(args: argparse.Namespace, lang: str):
    """``--map``, ``--map-file``, ``--date-order``, ``--decimal``, ``--calendar``, ``--strict`` ->
    :class:`~xl_cskpi.exports.check.ReadOptions`."""
    from .exports.check import ReadOptions

    columns: dict[str, str] = {}
    statuses: dict[str, str] = {}
    if args.map_file:
        from .exports.mapping import read_map_file

        c, s = read_map_file(Path(args.map_file))
        columns.update(c)
        statuses.update(s)
    if args.map:
        from .exports.mapping import parse_map

        c, s = parse_map(args.map)
        columns.update(c)          # the command line wins over the file
        statuses.update(s)
    timezone = getattr(args, "timezone", None)
    if timezone is not None:
        from .cells.dates import check_timezone
        from .errors import InvalidInput
        try:
            timezone = check_timezone(timezone)
        except InvalidInput:
            raise UsageError(f"--timezone {timezone!r} is not an IANA time zone; use e.g. UTC, Asia/Tehran, "
                             "Asia/Riyadh, Europe/Berlin or America/Los_Angeles") from None
    return ReadOptions(lang=lang, date_order=args.date_order, decimal=args.decimal, calendar=args.calendar,
                       columns=columns, statuses=statuses, strict=getattr(args, "strict", False),
                       timezone=timezone)


def _inputs(items: list[str]) -> list[Path]:
    """The files ``--data`` names (folders and globs expanded), to keep the output off them."""
    from .exports.check import DataCheck, ExportError
    from .exports.read import expand_paths

    try:
        found = expand_paths(list(items), DataCheck())
    except ExportError as e:
        raise UsageError(str(e)) from None
    return [Path(p) for p in found]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def cmd_report(args: argparse.Namespace) -> int:
    from .exports.check import ExportError
    from .reports import reports
    from .reports.fill import load_data

    key, tpath, tlang = _resolve_template(args.template)
    report = reports()[key]
    lang = args.lang or tlang or "en"
    out = Path(args.output)
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError(f"{out}: the report must be an .xlsx file (or .xlsm: macro-enabled, wired to the "
                         "classic xlwings add-in)")
    options = _read_options(args, lang)
    inputs = _inputs(args.data) + ([tpath] if tpath else [])
    if any(_same_file(out, p) for p in inputs) or any(out.resolve() == p.resolve() for p in inputs):
        raise UsageError(f"{out} is one of the input files; choose another output name")
    renders = _render_targets(args, out)
    _check_outputs([out, *renders], args.force)
    try:
        # the builder's own settings too: report_period and, where it adds one, confidence_level (reviewer's L2:
        # a template's typed report_period and confidence_level were dropped without a word)
        settings = _template_settings(tpath, [s.key for s in report.settings]
                                      + ["amber_band", "confidence_level", "report_period"]) if tpath else {}
    except Exception as e:
        raise UsageError(f"{tpath}: cannot read the template's settings ({type(e).__name__})") from None
    from .reports.i18n import calendar as calendar_of
    asked = next((p.partition("=")[2].strip() for p in reversed(args.set or []) if p.partition("=")[0].strip() == "calendar"), None)
    settings = {**settings, **_set_options(args.set, report, asked or options.calendar or settings.get("calendar")
                                             or calendar_of(lang))}
    if "work_schedule" in settings:     # the template's working hours: their zone reads times with offsets
        options.schedule = settings["work_schedule"] or ""
    try:
        data, check = load_data(report, args.data, options, engine=getattr(args, "engine", "pandas"),
                                progress=_progress)
    except ExportError as e:
        raise UsageError(str(e)) from None
    if tpath:
        stale_template_settings(key, settings, tpath, check)
        template_rows_unread(tpath, report, check)
    if not data:   # every table absent: a report of n/a only is not what anyone asked for
        why = "; ".join(f"{f.where()}: {f.message}" if f.where() else f.message for f in check.warnings[:3])
        raise UsageError(f"no file fits a table of the {key} report" + (f": {why}" if why else ""))
    _progress("read " + ", ".join(f"{len(df):,} rows of {name}" for name, df in data.items()))
    settings = _scales_from_headers(report, data, settings, check)
    from .reports.fill import settings_from_data
    settings = settings_from_data(report, data, settings, check,
                                  calendar=options.calendar or settings.get("calendar") or calendar_of(lang))
    currency = next((df.attrs["reporting_currency"] for df in data.values() if df.attrs.get("reporting_currency")),
                    None)
    if currency and any(s.key == "reporting_currency" for s in report.settings) and \
            not settings.get("reporting_currency"):
        settings = {**settings, "reporting_currency": currency}   # the currency the rates convert to
    if args.strict and check.warnings:
        _print_check(check)
        raise UsageError(_strict_refusal(check))
    kwargs = dict(lang=lang, data=data, values=args.values, progress=_progress, settings=settings,
                  overwrite=args.force, check=check)
    # --period, else the month typed as report_period on the template's Settings sheet
    asked_period = args.period or (str(settings["report_period"]).strip()
                                   if settings.get("report_period") not in (None, "") else None)
    kwargs["settings"] = {k: v for k, v in settings.items() if k != "report_period"}
    if asked_period:
        kwargs["period"] = _period(asked_period, report, data, settings, lang)
    if args.strict:
        # compute first, write only if clean: the KPI errors are known only once the report is built
        import tempfile

        from .output import write_bytes_atomic

        with tempfile.TemporaryDirectory(prefix="xl_cskpi-strict-") as tmp:
            draft = Path(tmp) / out.name
            values = _build(report, draft, **kwargs)
            if check.warnings:
                _print_kpis(report, values, lang)
                _print_check(check)
                raise UsageError(_strict_refusal(check))
            write_bytes_atomic(out, draft.read_bytes(), overwrite=args.force)
    else:
        values = _build(report, out, **kwargs)
    _print_kpis(report, values, lang)
    _print_check(check)
    print(out)
    if renders:
        _render(args, report, out, kwargs)
    return 0


def _period(text: str, report, data: dict, settings: dict, lang: str, *, undated_ok: bool = False) -> str | None:
    """``--period`` as the label of a period the data covers, in the report's calendar (the
    template's own calendar setting, else the language's); an unknown period is exit 2 with the list.
    ``undated_ok`` (the demo, one period for every report): None for a report whose data has no dates."""
    import inspect

    from .reports.builder import build
    from .reports.i18n import calendar as lang_calendar
    from .reports.period import periods, resolve

    cal = settings.get("calendar") or lang_calendar(lang)
    available = periods(data, report, cal)
    if not available and undated_ok:
        return None
    label = resolve(text, available, cal)
    if "period" not in inspect.signature(build).parameters:   # pragma: no cover  (until the builder has it)
        raise UsageError("--period needs a newer xl_cskpi (the report builder has no reporting period yet)")
    return label


def _render_targets(args: argparse.Namespace, out: Path) -> list[Path]:
    """The PDF and the first PNG ``--pdf``/``--png`` name (checked before any work)."""
    targets = []
    if getattr(args, "pdf", None):
        pdf = Path(args.pdf)
        if pdf.suffix.lower() != ".pdf":
            raise UsageError(f"--pdf {pdf}: give a file name ending in .pdf")
        targets.append(pdf)
    if getattr(args, "png", None):
        if not 30 <= args.dpi <= 600:
            raise UsageError(f"--dpi {args.dpi}: use 30 to 600")
        targets.append(Path(args.png) / f"{_stem(out)}.png")
    return targets


def _stem(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def _render(args: argparse.Namespace, report, out: Path, kwargs: dict) -> None:
    """``--pdf``/``--png``: draw the report through LibreOffice. A live-formula report is drawn from
    its values version (LibreOffice does not have our functions; the numbers are the same), built
    in a scratch folder. Without LibreOffice: one line saying what to install, exit 2; the .xlsx is
    written."""
    import shutil
    import tempfile

    from .reports import render

    pages = "all" if args.all_pages else "dashboard"
    if not render.soffice():
        raise UsageError(f"{'--pdf' if args.pdf else '--png'}: PDF and PNG files are drawn by LibreOffice, which "
                         f"is not installed: {render.INSTALL_LIBREOFFICE}; {out} is written")
    if args.png and not shutil.which("pdftoppm"):
        raise UsageError(f"--png: PNG files are drawn from the PDF by pdftoppm, which is not installed: "
                         f"{render.INSTALL_POPPLER}; {out} is written")
    with tempfile.TemporaryDirectory(prefix="xl_cskpi-render-") as tmp:
        book = out
        if not args.values:
            book = Path(tmp) / out.name
            _build(report, book, **{**kwargs, "values": True, "progress": None, "overwrite": True})
        _progress(f"drawing the {'workbook' if args.all_pages else 'dashboard'} with LibreOffice")
        pdf = Path(args.pdf) if args.pdf else Path(tmp) / "pages.pdf"
        render.to_pdf(book, pdf, pages=pages, overwrite=args.force)
        if args.pdf:
            print(pdf)
        if args.png:   # from the same PDF: LibreOffice runs once
            for p in render.pdf_to_png(pdf, Path(args.png), dpi=args.dpi, name=_stem(out), overwrite=args.force):
                print(p)


def _strict_refusal(check) -> str:
    found = [lvl for lvl in ("warning", "error") if any(f.level == lvl for f in check.warnings)]
    counts = " and ".join(_count(sum(f.level == lvl for f in check.warnings), lvl) for lvl in found)
    return f"--strict: the data check has {counts} (listed above); nothing written"


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _format(value, kind: str, t=None, lang: str = "en") -> str:
    """A KPI value as the workbook shows it: Excel's rounding (half away from zero), n/a with its
    reason (a figure the data does not reach yet: "n/a: longer than the data shows", as the dashboard
    says it), an Excel error as its code (the data check gives the reason); units in the language."""
    if isinstance(value, KPIError):
        if value.code == "n/a":
            text = getattr(value, "text", None)
            return text(t) if (callable(text) and t is not None) else value.message
        from .reports.datacheck import not_reached
        if t is not None and not_reached(value):
            from .reports.kpicells import not_reached_text
            return not_reached_text(t, lang)
        return value.code
    if isinstance(value, bool):
        return str(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if kind == "rate":
        try:
            return f"{excel_round(x, 1, scale=2):,f}%"
        except (InvalidOperation, ValueError, OverflowError):
            return str(x)
    if kind in ("points", "count", "money"):
        return _number(x, 0)
    if kind in ("hours", "months", "days"):
        from .reports.i18n import number_format
        unit = re.search(r'"([^"]*)"', number_format(kind, lang))
        return f"{_number(x, 1)}{unit.group(1) if unit else ' ' + kind}"
    if kind == "ratio":
        return f"{_number(x, 2)}x"
    return _number(x, 2)


def _print_kpis(report, values: dict, lang: str, headline_only: bool = False) -> list[list[str]]:
    from .reports.builder import result_kind
    from .reports.i18n import translator

    t = translator(lang)
    rows = [[t(f"report.{report.key}.title"), t(f"kpi.{k.key}"),
             _format(values.get(k.key), result_kind(k.expr, k.kind), t, lang)]
            for k in report.kpis if k.headline or not headline_only]
    if not headline_only:
        print(_table(rows, ["report", "KPI", "value"]))
        if values.get("_period"):   # which month the "(month shown)" figures are for
            print(f"month shown: {values['_period']} (--period to choose another)")
    return rows


#: Findings of one kind shown before "... and N more" (the workbook's Data check sheet has them all).
CHECK_SHOWN = 3


def check_summary(check, shown: int = CHECK_SHOWN) -> list[str]:
    """The data check for the terminal: a count line, then the findings grouped by kind (level and
    code) in the order found, at most ``shown`` of each kind and a line saying how many more."""
    findings = list(check)
    if not findings:
        return ["data check: nothing to report"]
    levels = {lvl: sum(f.level == lvl for f in findings) for lvl in ("error", "warning", "info")}
    head = ", ".join(_count(n, {"error": "error", "warning": "warning", "info": "note"}[lvl])
                     for lvl, n in levels.items() if n)
    groups: dict[tuple[str, str], list] = {}
    for f in findings:
        groups.setdefault((f.level, f.code), []).append(f)
    lines = [f"data check: {head}"]
    for (level, code), fs in groups.items():
        lines += ["  " + f.line() for f in fs[:shown]]
        if len(fs) > shown:
            lines.append(f"  {level:<8} ... and {len(fs) - shown:,} more like these ({code}); the workbook's "
                         "data check sheet lists them all")
    return lines


def _print_check(check) -> None:
    print("\n".join(check_summary(check)))


# --------------------------------------------------------------------------- inspect

def _setup_inspect(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="CSV or XLSX exports, folders of them, or globs ('exports/*.csv')")
    p.add_argument("--report", metavar="NAME",
                   help="only this report's tables (e.g. survey_scores); default: every report")
    p.add_argument("--lang", default="en", choices=_lang_choices(),
                   help="language of the report fields (headers in en/fa/ar are matched in every language)")
    _add_read_options(p)


def cmd_inspect(args: argparse.Namespace) -> int:
    from .exports.check import ExportError
    from .exports.mapping import format_inspect, inspect
    from .reports import reports

    report = None
    if args.report:
        catalogue = reports()
        if args.report not in catalogue:
            raise UsageError(f"no report called {args.report!r}; use one of {', '.join(catalogue)}")
        report = catalogue[args.report]
    options = _read_options(args, args.lang)
    try:
        rows = inspect(list(args.files), options, report=report)
    except ExportError as e:
        raise UsageError(str(e)) from None
    print(format_inspect(rows))
    errors = [r["error"] for r in rows if r.get("error")]
    if errors:   # what 'report' would stop at: the same exit status
        raise UsageError(errors[0] + (f" (and {_count(len(errors) - 1, 'more file')} that cannot be read)"
                                      if len(errors) > 1 else ""))
    return 0


# --------------------------------------------------------------------------- demo

def _setup_demo(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", default="xl_cskpi_demo", metavar="DIR",
                   help="folder for the sample exports and reports (default: ./xl_cskpi_demo)")
    p.add_argument("--lang", default="en", choices=_lang_choices(), help="language of the reports")
    p.add_argument("--seed", type=int, default=None, help="seed of the sample data (default: fixed)")
    p.add_argument("--force", action="store_true", help="replace the files of an earlier demo in DIR")
    p.add_argument("--pdf", action=argparse.BooleanOptionalAction, default=False,
                   help="also draw each dashboard as DIR/NAME.pdf through LibreOffice (headless)")
    p.add_argument("--period", metavar="P",
                   help="the reporting period of every report (e.g. 2024-09; 1403-06 with --lang fa); "
                        "default: the latest complete period")


def cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    from . import sample
    from .exports.check import ExportError, ReadOptions
    from .output import write_bytes_atomic
    from .reports import reports
    from .reports.fill import load_data

    out = Path(args.output)
    catalogue = reports()
    from .reports.i18n import calendar as lang_calendar

    # monthly counts in the reports' own calendar (Jalali/Hijri months for fa/ar): sample.generate
    exports = sample.generate(**({"seed": args.seed} if args.seed is not None else {}),
                              calendar=lang_calendar(args.lang))
    stems = {key: key if args.lang == "en" else f"{key}.{args.lang}" for key in catalogue}
    csvs = [out / "exports" / f"{name}.csv" for name in exports]
    books = [out / f"{stems[k]}{kind}.xlsx" for k in catalogue for kind in ("", ".values")]
    pdfs = [out / f"{stems[k]}.pdf" for k in catalogue] if args.pdf else []
    _check_outputs(csvs + books + pdfs, args.force)
    with tempfile.TemporaryDirectory(prefix="xl_cskpi-demo-") as tmp:
        for name, p in sample.write_csv(exports, tmp).items():
            write_bytes_atomic(out / "exports" / p.name, p.read_bytes(), overwrite=args.force)
    paths = {name: out / "exports" / f"{name}.csv" for name in exports}
    by_table = {sample.EXPORTS[name]: path for name, path in paths.items()}
    settings = sample.demo_settings(exports)
    _progress(f"wrote {len(paths)} sample exports to {out / 'exports'}")
    rows: list[list[str]] = []
    for key, report in catalogue.items():
        files = [by_table[tb.name] for tb in report.tables if tb.name in by_table]
        try:
            data, check = load_data(report, files, ReadOptions(lang=args.lang))
        except ExportError as e:  # pragma: no cover  (our own sample always fits)
            raise UsageError(str(e)) from None
        stem = stems[key]
        from .reports.fill import settings_from_data
        # open tickets judged as of the tickets' latest time, lifetimes to the list's, as `report` does
        settings_r = settings_from_data(report, data, settings, check, calendar=lang_calendar(args.lang))
        label = _period(args.period, report, data, settings_r, args.lang, undated_ok=True) if args.period else None
        period = {"period": label} if label else {}
        values = _build(report, out / f"{stem}.xlsx", lang=args.lang, data=data, settings=settings_r,
                        overwrite=args.force, check=check, **period)
        _build(report, out / f"{stem}.values.xlsx", lang=args.lang, data=data, values=True, settings=settings_r,
               overwrite=args.force, check=check, **period)
        _progress(f"{key}: {out / f'{stem}.xlsx'} and {stem}.values.xlsx")
        rows += _print_kpis(report, values, args.lang, headline_only=True)
    print(_table(rows, ["report", "KPI", "value"]))
    print(f"reports in {out}/ (NAME.xlsx: live formulas, needs the add-in; NAME.values.xlsx: computed values)")
    if args.pdf:
        from .reports import render

        if not render.soffice():
            raise UsageError(f"--pdf: PDF files are drawn by LibreOffice, which is not installed: "
                             f"{render.INSTALL_LIBREOFFICE}; the workbooks are written")
        _progress(f"drawing {len(pdfs)} dashboards with LibreOffice")
        render.to_pdfs([(out / f"{stems[k]}.values.xlsx", pdf) for k, pdf in zip(catalogue, pdfs)],
                       overwrite=args.force)
        print(f"dashboards as PDF in {out}/ (NAME.pdf, drawn from NAME.values.xlsx)")
    return 0


# --------------------------------------------------------------------------- lite, libreoffice (issue 13)

def _setup_lite(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", default="xl_cskpi_lite", metavar="DIR",
                   help="folder for main.py and requirements.txt (default: ./xl_cskpi_lite)")
    p.add_argument("--wheel-url", metavar="URL",
                   help="where your team serves the xl_cskpi wheel (https://.../xl_cskpi-VERSION-py3-none-any.whl, "
                        "on a server that allows cross-origin downloads); without it requirements.txt says what to add")
    p.add_argument("--force", action="store_true", help="replace main.py and requirements.txt if they exist")


def cmd_lite(args: argparse.Namespace) -> int:
    from .lite import write_lite

    for path in write_lite(args.output, force=args.force, wheel_url=args.wheel_url):
        print(path)
    return 0


def _setup_libreoffice(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", default=".", metavar="DIR",
                   help="folder for xl_cskpi.oxt (default: the current folder)")
    p.add_argument("--force", action="store_true", help="replace xl_cskpi.oxt if it exists")


def cmd_libreoffice(args: argparse.Namespace) -> int:
    from .libreoffice import build_extension

    print(build_extension(args.output, force=args.force))
    return 0


# --------------------------------------------------------------------------- compute (issue 18: engine H's command)

def _setup_compute(p: argparse.ArgumentParser) -> None:
    from .engines.cli import setup
    setup(p)


def cmd_compute(args: argparse.Namespace) -> int:
    from .engines.cli import run
    return run(args)


# --------------------------------------------------------------------------- registry of commands

COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int], str, str]] = {
    "functions": (_setup_functions, cmd_functions,
                  "list every Excel function with its arguments and one-line help",
                  "xl-cskpi functions --category Surveys"),
    "templates": (_setup_templates, cmd_templates,
                  "regenerate the report template workbooks (one per report)",
                  "xl-cskpi templates -o workbook_templates --force\n"
                  "  xl-cskpi templates -o excel_templates --excel-addin   # .xlsm wired to xlwings"),
    "report": (_setup_report, cmd_report,
               "fill a report template with CSV/XLSX exports",
               "xl-cskpi demo && xl-cskpi report revenue --data xl_cskpi_demo/exports/subscriptions.csv "
               "xl_cskpi_demo/exports/accounts.csv -o revenue.xlsx --values\n"
               "  xl-cskpi report survey_scores --data survey.csv --map nps_score='How likely are you to "
               "recommend us?' --date-order dmy -o nps.xlsx --strict\n"
               "  xl-cskpi report churn_retention --data xl_cskpi_demo/exports/months.csv -o churn.xlsx "
               "--period 2024-09 --pdf churn.pdf --png pictures"),
    "inspect": (_setup_inspect, cmd_inspect,
                "show which report fields each export's columns feed, what is ignored and what is missing",
                "xl-cskpi demo && xl-cskpi inspect xl_cskpi_demo/exports/tickets.csv "
                "xl_cskpi_demo/exports/complaints.csv --report support_complaints"),
    "demo": (_setup_demo, cmd_demo,
             "write sample exports and every report from them, and print the headline KPIs",
             "xl-cskpi demo -o xl_cskpi_demo\n"
             "  xl-cskpi demo -o demo_fa --lang fa --pdf   # also DIR/NAME.pdf of each dashboard (LibreOffice)"),
    "compute": (_setup_compute, cmd_compute,
                "compute a row-level table (movements, cohorts, monthly churn, support, survey) with pandas, "
                "DuckDB or Spark",
                "xl-cskpi demo && xl-cskpi compute movements --data xl_cskpi_demo/exports/subscriptions.csv "
                "--engine duckdb -o movements.csv\n"
                "  xl-cskpi compute monthly_churn --data 'billing/*.parquet' --engine duckdb --memory-limit 4GB "
                "-o months.csv   # the Months table of churn_retention\n"
                "  xl-cskpi compute cohorts --data s3a://lake/events/ --engine spark --spark-master "
                "spark://host:7077 -o cohorts.parquet"),
    "lite": (_setup_lite, cmd_lite,
             "write main.py and requirements.txt to paste into xlwings Lite",
             "xl-cskpi lite -o xl_cskpi_lite"),
    "libreoffice": (_setup_libreoffice, cmd_libreoffice,
                    "write the LibreOffice Calc extension (xl_cskpi.oxt) with every function",
                    "xl-cskpi libreoffice -o dist && unopkg add dist/xl_cskpi.oxt"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
        # SUPPRESS: 'xl-cskpi --debug report ...' keeps the global flag (a default here would reset it)
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show tracebacks of errors")
        setup(p)
    return parser


def _quiet_scratch_generators(hook):
    """An unraisable hook that drops what openpyxl's write-only sheets raise when a failed save's
    half-written workbook is freed ("Exception ignored in: <generator WriteOnlyWorksheet._write_rows>
    ... I/O operation on closed file", 18-60 lines after the one-line error); the rest goes on."""
    def quiet(u):
        code = getattr(u.object, "gi_code", None)
        if code is not None and ("openpyxl" in code.co_filename or "et_xmlfile" in code.co_filename):
            return
        hook(u)
    return quiet


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        print(f"xl-cskpi: give a command ({', '.join(COMMANDS)}); see 'xl-cskpi --help'", file=sys.stderr)
        return 2
    import gc

    hook = sys.unraisablehook
    sys.unraisablehook = _quiet_scratch_generators(hook)
    try:
        return _run(args)
    finally:
        gc.collect()
        sys.unraisablehook = hook


def _run(args: argparse.Namespace) -> int:
    from .exports.check import ExportError

    try:
        return COMMANDS[args.command][1](args)
    except (KPIError, ExportError, UsageError, OSError, ValueError) as e:
        if args.debug:
            raise
        text = e.line if isinstance(e, KPIError) else str(e)   # no Excel error code on a command line
        print(f"xl-cskpi {args.command}: {' '.join(text.split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"xl-cskpi {args.command}: interrupted; no file was left half-written", file=sys.stderr)
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
