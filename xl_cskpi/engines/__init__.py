"""One definition of the row-level analytics, several engines: pandas, DuckDB and Spark.

:func:`compute` runs one of the row-level tables on a DataFrame, a CSV/Parquet file, a glob of
files or (Spark) a table name, with the engine asked for:

* ``"pandas"`` -- the house functions themselves (``MRR_MOVEMENTS``, ``COHORT_RETENTION``,
  ``tables.subscriptions.monthly_counts``, the support and survey KPIs per period): the engine
  inside Excel and for small inputs, and the reference the other engines are tested against;
* ``"duckdb"`` -- embedded, for inputs larger than memory (a memory limit, spilling to a temporary
  folder): a folder of Parquet files on one machine;
* ``"spark"`` -- PySpark, local mode or a cluster (``options={"spark_master": URL}``), where the
  data already lives (files or a table name).

The SQL engines run the same SQL text (:mod:`xl_cskpi.engines.sql`, written once in DuckDB's
dialect; Spark gets it transpiled by sqlglot with two function renames, see
:mod:`xl_cskpi.engines.spark`). SQL does the row-level work (customer-month sums, the previous and
next paying month of each customer-month, distinct activity periods, counts, sums and exact
percentiles per period); the per-period results (at most a few thousand rows) are assembled into
the house table shapes by :mod:`xl_cskpi.engines.finish`, one piece of Python shared by both SQL
engines. Calendars (Jalali, Hijri) are a day -> month lookup table joined by date, built from
:mod:`xl_cskpi.calendars` for the days the data spans: no Python function per row.

Nothing here imports duckdb or pyspark until an engine is asked for (``import xl_cskpi`` stays
light).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..errors import InvalidInput, KPIError

__all__ = ["compute", "TABLES", "ENGINES", "EngineError", "EngineMissing"]

#: Tables :func:`compute` makes, with what each is and which report accepts it as data.
TABLES = {
    "movements": "MRR movements per month (MRR_MOVEMENTS' columns) from customer-month MRR rows",
    "cohorts": "Cohort retention triangle (COHORT_RETENTION's columns) from activity rows; with an mrr "
               "(amount) column only its rows above 0 are activity, as the cohort_retention report reads them",
    "monthly_churn": "Customers at start, new, lost, at end per month: the Months table of the "
                     "churn_retention and overview reports (from MRR rows, or from a customer list's start "
                     "and end dates -- Created at, Churned at, Canceled at ...; with a customer id column "
                     "customers are counted, a customer's rows merged as CUSTOMER_CHURN_RATE merges them; a list "
                     "without an end-date column is refused unless --no-end-column says no customer has left)",
    "finance": "Month, customers at start, new, lost and revenue (the month's MRR): the recurring part of "
               "the Finance table of the unit_economics report",
    "subscriptions": "One row per paying customer-month (customer_id, month, mrr): the Subscriptions table "
                     "of the revenue and cohort_retention reports, from billing rows of any size",
    "support_summary": "Per period from ticket rows, as the support_complaints report assigns them: "
                       "tickets opened in the period, their first-response times (first_response_at, or "
                       "opened_at + a first reply time in minutes) and SLA compliance; resolution times of "
                       "the tickets resolved in the period (resolved_in_period), whenever opened; columns "
                       "of an absent input are blank, not 0",
    "survey_by_period": "NPS, CSAT and CES per period from survey responses (the columns of a score "
                        "the file does not have are blank, not 0)",
}
ENGINES = ("pandas", "duckdb", "spark")


class EngineError(InvalidInput):
    """Input an engine cannot compute (missing columns, unreadable values, no files): ``#VALUE!``."""


class EngineMissing(KPIError):
    """The engine's package is not installed; the message says what to ``pip install``."""

    code = "#N/A"


def compute(table: str, source: Any, *, engine: str = "pandas", calendar: str = "gregorian",
            options: dict | None = None) -> pd.DataFrame:
    """Compute a row-level table (see :data:`TABLES`) with an engine; returns a pandas DataFrame.

    ``source``: a pandas DataFrame, a path or glob of CSV/Parquet files (``"events/*.parquet"``),
    or for Spark a table name (``"db.events"``) or a Spark DataFrame. Columns are found by the
    names and aliases of the report tables (:mod:`xl_cskpi.reports.specs.tables`), case- and
    space-insensitively; ``options["columns"]`` maps a canonical name to a header explicitly.

    ``options`` (all optional): ``period`` (cohorts, support and survey tables: "day", "week",
    "month", "quarter"; default month), ``sla_hours`` (24), ``as_of`` (SLA: open tickets past the
    target count as breaches), ``percentiles`` ((0.5, 0.9)), ``csat_scale_max`` (5),
    ``csat_threshold`` (scale_max - 1), ``ces_scale_max`` (7), ``memory_limit`` ("4GB", DuckDB),
    ``temp_directory`` (DuckDB spill folder), ``threads`` (DuckDB), ``spark_master`` (URL, Spark),
    ``spark`` (an existing SparkSession), ``progress`` (a callable receiving one-line messages),
    ``decimal`` ("." or ","), ``timezone`` (an IANA name),
    ``no_end_column`` (monthly churn from a customer list that has no end-date column because no
    customer has left).

    Reading rules, the same on every engine: CSV cells are text read by the table's rules (ids keep
    leading zeros; ISO dates, ``YYYY-MM`` month labels with Latin, Persian or Arabic digits, plain
    numbers); time-zone-aware Parquet/DataFrame times are taken in UTC (a Parquet file keeps the
    instant, not the zone's name); text times with an offset (``2024-03-09T22:00:00-08:00``, ``...Z``)
    are read on the clock ``xl-cskpi report`` reads them on (:mod:`xl_cskpi.engines.zones`):
    ``options["timezone"]`` (an IANA name) converts them, else one offset in the whole data is read as
    written and different offsets in UTC, with a note per column; an entirely blank row is skipped.
    A CSV file is read with the delimiter the report finds, and numbers by the report's rules
    (:mod:`xl_cskpi.engines.numbers`): ``options["decimal"]`` ("." or ","), else an undecided
    ``1.200`` (1.2 or 1,200?) that no other value of its column decides is refused with the
    report's line. ``support_summary`` applies the report's ticket rules (:mod:`xl_cskpi.engines.status`):
    a ticket whose status is open again (new, open, pending, on-hold) is not resolved, an end time before
    the ticket opened is left out, merged (Zendesk ``closed_by_merge``) and deleted tickets are left out,
    and without ``as_of`` open tickets are judged against the SLA as of the latest time in the tickets. The pandas engine also reads local formats (day-first dates,
    currency signs, Excel serials) through :mod:`xl_cskpi.cells`, and with ``calendar`` "jalali" or
    "hijri" text dates of that calendar (``1403/02/31``, ``۱۴۰۳/۰۶/۰۳``, ``١٤٤٥/٠٩/٠٢ ٠٩:٠٠``) in every
    table, with the reader ``xl-cskpi report --calendar`` uses; the SQL engines refuse them with one
    line naming the column and an example (a year 1300-1499 date: the Jalali/Hijri hint first).
    ``survey_by_period`` reads the recommend question's answer labels (``10 - Extremely likely`` is 10)
    and non-answers (``Not answered``, ``بدون پاسخ``: blank) on every engine, as the report reads them
    (:mod:`xl_cskpi.engines.answers`), with a note each.

    Columns are found as ``xl-cskpi report`` finds them (the report tables' names, translated
    headers, synonyms and vendor profiles: Zendesk's ``First reply time in minutes`` gives
    ``first_response_at = opened_at + minutes``). An optional input that is absent never reads as 0:
    the output columns it feeds are blank (NA) and ``table.attrs["notes"]`` says which and why (the
    command line prints the notes on stderr). Monthly churn from a customer list without an end-date
    column is refused (every customer would count as still active: churn 0 %) unless
    ``options["no_end_column"]`` is true.

    Errors are :class:`~xl_cskpi.errors.KPIError` with one line saying what to fix; an engine not
    installed is :class:`EngineMissing` naming the package to install.
    """
    from .common import check_args
    table, engine, calendar, opts = check_args(table, engine, calendar, options)
    opts["_notes"] = []
    if engine == "pandas":
        from . import reference
        out = reference.compute(table, source, calendar, opts)
    elif engine == "duckdb":
        from . import duck
        out = duck.compute(table, source, calendar, opts)
    else:
        from . import spark
        out = spark.compute(table, source, calendar, opts)
    out.attrs["notes"] = list(opts["_notes"])
    return out
