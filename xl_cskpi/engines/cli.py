"""``xl-cskpi compute TABLE --data FILES --engine duckdb|spark|pandas -o OUT``: one table, any engine.

:func:`setup` adds the arguments to the command's parser and :func:`run` runs it (the command line
registers both in its table of commands). Errors are :class:`~xl_cskpi.errors.KPIError` lines (exit
status 2 from the command line): missing columns, an unknown engine, an engine that is not
installed (with what to ``pip install``), a glob that matches no file. :func:`main` runs the
command alone (``python -m xl_cskpi.engines.cli``), with the same one-line errors.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import pandas as pd

from .. import calendars
from ..errors import KPIError
from . import ENGINES, TABLES, EngineError

__all__ = ["setup", "run", "main", "SUMMARY", "EXAMPLE"]

SUMMARY = "compute a row-level table (movements, cohorts, monthly churn, support, survey) with pandas, DuckDB or Spark"
EXAMPLE = ("xl-cskpi compute movements --data 'billing/*.parquet' --engine duckdb --memory-limit 4GB -o movements.csv\n"
           "  xl-cskpi compute monthly_churn --data 'billing/*.parquet' --engine duckdb -o months.csv"
           "   # the Months table: xl-cskpi report churn_retention --data months.csv\n"
           "  xl-cskpi compute cohorts --data s3a://lake/events/ --engine spark --spark-master spark://host:7077 "
           "-o cohorts.parquet")
#: Excel's last row, less the header.
SHEET_ROWS = 1_048_575
FORMATS = (".csv", ".parquet", ".xlsx")


def setup(p: argparse.ArgumentParser) -> None:
    p.add_argument("table", choices=list(TABLES), metavar="TABLE",
                   help="; ".join(f"{k}: {v}" for k, v in TABLES.items()))
    p.add_argument("--data", required=True, metavar="PATH",
                   help="a CSV or Parquet file, a folder of them, a quoted glob ('events/*.parquet'), "
                        "or with --engine spark a table name")
    p.add_argument("--engine", default="duckdb", metavar="ENGINE",
                   help="pandas (small inputs, the reference), duckdb (default: one machine, larger than "
                        "memory) or spark (a cluster, or local mode)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="OUT.csv, OUT.parquet or OUT.xlsx")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.add_argument("--calendar", default="gregorian", choices=calendars.CALENDARS,
                   help="months of this calendar (default gregorian)")
    p.add_argument("--period", default=None, choices=calendars.PERIODS,
                   help="period of cohorts, support and survey tables (default month)")
    p.add_argument("--memory-limit", default="4GB", metavar="SIZE",
                   help="DuckDB: memory it may use before spilling to --temp-directory (default 4GB)")
    p.add_argument("--temp-directory", default=None, metavar="DIR", help="DuckDB: where to spill")
    p.add_argument("--threads", type=int, default=None, metavar="N", help="DuckDB: threads (default: all cores)")
    p.add_argument("--spark-master", default=None, metavar="URL",
                   help="Spark: the cluster (spark://host:7077, yarn, k8s://...); default local[*]")
    p.add_argument("--sla-hours", type=float, default=24.0, metavar="H", help="support_summary: SLA target (24)")
    p.add_argument("--as-of", default=None, metavar="TIME",
                   help="support_summary: report time; open tickets past the SLA count as breaches (default: the "
                        "latest time in the tickets, as xl-cskpi report fills a blank sla_as_of)")
    p.add_argument("--csat-scale", type=int, default=None, metavar="N",
                   help="survey_by_period: the top of the CSAT scale (5 for 1-5; satisfied = the top two boxes "
                        "from 4 points up, the top box on 2-3 points); default 5, said in a note, and answers "
                        "that never reach 4 are refused")
    p.add_argument("--ces-scale", type=int, default=None, metavar="N",
                   help="survey_by_period: the top of the CES scale (default 7)")
    p.add_argument("--decimal", default=None, choices=(".", ","),
                   help="the decimal mark of the numbers: . (1,200.50) or , (1.200,50); without it a number such "
                        "as 1.200 that no other value of its column decides (1.2 or 1,200?) is refused, as "
                        "xl-cskpi report refuses it")
    p.add_argument("--timezone", default=None, metavar="ZONE",
                   help="the clock of times written with a UTC offset (an IANA name: UTC, Asia/Tehran, "
                        "America/Los_Angeles): converted to it, days and periods counted on it; without it one "
                        "offset in the whole data is read as written and different offsets in UTC, as xl-cskpi "
                        "report reads them")
    p.add_argument("--no-end-column", action="store_true",
                   help="monthly_churn from a customer list without an end-date column: no customer has left "
                        "(without this option such a list is refused: every month would read 0 lost)")
    p.add_argument("--column", action="append", default=[], metavar="NAME=HEADER",
                   help="which header holds a field, e.g. --column customer_id='Account ID' (repeatable)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")


def _options(args: argparse.Namespace) -> dict:
    columns = {}
    for item in args.column:
        name, sep, header = item.partition("=")
        if not sep or not name.strip() or not header:
            raise EngineError(f"is {item!r}; write NAME=HEADER, e.g. customer_id='Account ID'", argument="--column")
        columns[name.strip()] = header
    opts: dict = {"memory_limit": args.memory_limit, "sla_hours": args.sla_hours, "columns": columns,
                  "progress_bar": not args.quiet}
    if args.period:
        opts["period"] = args.period
    if args.csat_scale is not None:
        opts["csat_scale_max"] = args.csat_scale
    if args.ces_scale is not None:
        opts["ces_scale_max"] = args.ces_scale
    if args.no_end_column:
        opts["no_end_column"] = True
    if args.decimal is not None:
        opts["decimal"] = args.decimal
    if args.timezone is not None:
        opts["timezone"] = args.timezone
    for key in ("temp_directory", "threads", "spark_master", "as_of"):
        if getattr(args, key) is not None:
            opts[key] = getattr(args, key)
    return opts


def encode(df: pd.DataFrame, suffix: str) -> bytes:
    """The table as the bytes of a .csv, .parquet or .xlsx file. CSV numbers are rounded to 9
    decimals: the float noise of sums taken in another order (6073.91999999999 for 6073.92) is not
    printed, so the engines write the same text. Blank (NA) cells stay blank. The notes of the run
    (``df.attrs["notes"]``: a column not found, columns left blank) go into an .xlsx file as a
    second sheet "notes" and into a Parquet file's metadata (``xl_cskpi.notes``); a CSV file has
    room for the table only (the command prints them on stderr)."""
    notes = list(df.attrs.get("notes") or [])
    buf = io.BytesIO()
    if suffix == ".csv":
        floats = df.select_dtypes("float").columns
        text = df.assign(**{c: df[c].round(9) for c in floats}).to_csv(index=False, date_format="%Y-%m-%d")
        buf.write(text.encode("utf-8"))
    elif suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq
        table = pa.Table.from_pandas(df, preserve_index=False)
        if notes:
            meta = dict(table.schema.metadata or {})
            meta[b"xl_cskpi.notes"] = "\n".join(notes).encode("utf-8")
            table = table.replace_schema_metadata(meta)
        pq.write_table(table, buf)
    else:
        if len(df) > SHEET_ROWS:
            raise EngineError(f"has {len(df):,} rows, more than a sheet holds ({SHEET_ROWS:,}); write .csv or .parquet",
                              argument="output")
        with pd.ExcelWriter(buf, engine="openpyxl") as xw:
            df.to_excel(xw, index=False, sheet_name="data")
            if notes:
                pd.DataFrame({"note": notes}).to_excel(xw, index=False, sheet_name="notes")
    return buf.getvalue()


def run(args: argparse.Namespace) -> int:
    from ..output import check_output, write_bytes_atomic
    from . import compute

    out = Path(args.output)
    if out.suffix.lower() not in FORMATS:
        raise EngineError(f"is {args.output!r}; name the output .csv, .parquet or .xlsx", argument="--output")
    if args.engine not in ENGINES:
        raise EngineError(f"is {args.engine!r}; use one of: {', '.join(ENGINES)}", argument="--engine")
    check_output(out, overwrite=args.force)
    opts = _options(args)
    t0 = time.perf_counter()
    if not args.quiet:
        opts["progress"] = lambda msg: print(f"  ... {msg} [{time.perf_counter() - t0:.1f} s]",
                                             file=sys.stderr, flush=True)
    table = compute(args.table, args.data, engine=args.engine, calendar=args.calendar, options=opts)
    write_bytes_atomic(out, encode(table, out.suffix.lower()), overwrite=args.force)
    notes = list(table.attrs.get("notes") or [])
    for line in notes:   # never hidden by --quiet: each says a number is blank or assumed
        print(f"xl-cskpi compute: note: {line}", file=sys.stderr, flush=True)
    tail = f"; {len(notes)} note{'s' if len(notes) > 1 else ''} (stderr)" if notes else ""
    print(f"{out}: {args.table}, {len(table):,} rows, {args.engine} in {time.perf_counter() - t0:.1f} s{tail}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``compute`` alone: one line and status 2 for bad input, as ``xl-cskpi`` does."""
    p = argparse.ArgumentParser(prog="xl-cskpi compute", description=SUMMARY)
    setup(p)
    args = p.parse_args(argv)
    try:
        return run(args)
    except (KPIError, OSError, ValueError) as e:
        text = e.line if isinstance(e, KPIError) else str(e)   # no Excel error code on a command line
        print(f"xl-cskpi compute: {' '.join(text.split())}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
