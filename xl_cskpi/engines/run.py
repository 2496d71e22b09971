"""Running a table's SQL on an engine: views, input checks, the calendar lookup, the aggregate.

An engine is a :class:`Runner` (DuckDB: :mod:`.duck`, Spark: :mod:`.spark`) with four methods;
:func:`execute` is the same sequence for both.
"""

from __future__ import annotations

import time
from typing import Protocol

import numpy as np
import pandas as pd

from .. import calendars
from ..tables.cohorts import MAX_PERIODS
from ..tables.rows import MAX_MONTHS
from . import EngineError, finish
from . import zones
from .common import blank_absent, choose_mode, csat_scale, match_columns, note, progress
from .sql import Plan

_NS_LAST = np.datetime64("2262-04-11", "D")
#: Persian and Arabic-Indic digits as Latin (the year of a refused example).
_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
#: What a SQL engine tells the user about Jalali/Hijri dates: true since the pandas engine passes
#: ``--calendar`` to the report's date reader for every table (engines.reference).
_LOCAL_HINT = ("the SQL engines read Gregorian dates: convert them, or use --engine pandas with --calendar jalali "
               "or --calendar hijri, which reads them as xl-cskpi report does")
_KIND = {"id": "ids", "money": "numbers", "duration": "numbers", "score": "whole-number scores", "date": "dates",
         "datetime": "date-times", "month": "dates or YYYY-MM month labels", "status": "statuses",
         "tags": "tags"}


class Runner(Protocol):
    def types(self) -> dict[str, str]: ...            # header -> string|date|timestamp|integer|float|other
    def execute(self, sql: str) -> None: ...          # a view definition (CREATE OR REPLACE TEMP VIEW)
    def query(self, sql: str) -> pd.DataFrame: ...    # a small result, as pandas
    def register(self, name: str, df: pd.DataFrame) -> None: ...


def plan_for(table: str, types: dict[str, str], calendar: str, options: dict) -> Plan:
    headers = list(types)
    mode = choose_mode(table, headers, options)
    columns = match_columns(table, headers, options, mode)
    return Plan(table, mode, columns, types, calendar, options)


def _fail(plan: Plan, name: str, reason: str) -> EngineError:
    return EngineError(f"column {plan.columns[name]!r} ({name}) {reason}", argument="data")


def _day(v) -> np.datetime64:
    """A DATE from an engine (datetime.date, Timestamp or datetime64; 9999-12-31 too) as a numpy day."""
    return np.datetime64(v, "D") if not isinstance(v, pd.Timestamp) else np.datetime64(v.date(), "D")


def month_bounds(plan: Plan, values: dict) -> tuple[int, int]:
    """First and last month ordinal of the rows (MRR 0 and blank included, as MRR_MOVEMENTS spans them):
    the months of the first and last day (months grow with days) and of the labels."""
    lo, hi = [], []
    day_lo, day_hi = values.get("min_day:month"), values.get("max_day:month")
    if day_lo is not None and not pd.isna(day_lo):
        d = np.array([_day(day_lo), min(_day(day_hi), _NS_LAST)], dtype="datetime64[D]")
        o = calendars.period_ordinals(d, "month", plan.calendar, arg="months")
        lo.append(int(o[0]))
        hi.append(int(o[1]))
    if values.get("min_lbl:month") is not None and not pd.isna(values["min_lbl:month"]):
        lo.append(int(values["min_lbl:month"]))
        hi.append(int(values["max_lbl:month"]))
    return min(lo), max(hi)


def check(runner: Runner, plan: Plan, values: dict) -> tuple[int | None, int | None]:
    """Raise the first problem the ``checks`` row shows; return the first and last day (day numbers)."""
    if not values["rows"]:
        raise EngineError("has no rows with values; nothing to compute", argument="data")
    for f in plan.fields:   # Jalali/Hijri text dates first: '1403/02/31' is no Gregorian date, but no typo
        n = int(values.get(f"local:{f.name}") or 0)
        if n:
            example = values[f"local_example:{f.name}"]
            year = str(example).translate(_LATIN)[:4]
            raise _fail(plan, f.name, f"has a date in the year {year} (a Jalali or Hijri date?) in {n:,} "
                        f"row{'s' if n > 1 else ''} (for "
                        f"instance {example!r}); {_LOCAL_HINT}")
    for f in plan.fields:
        n = int(values.get(f"bad:{f.name}") or 0)
        if n:
            comma = plan.options.get("decimal") == ","
            hint = ("ISO dates (2024-09-01 or 2024-09-01 10:30) or month labels (2024-09, 1403-06)"
                    if f.kind in ("date", "month", "datetime") else
                    ("numbers with a decimal comma (1234,5 or 1.234,5: --decimal ,)" if comma else
                     "plain numbers (1234.5, no thousands separators; --decimal , reads 1.234,5)")
                    if f.kind in ("money", "score", "duration") else "text or whole numbers")
            raise _fail(plan, f.name, f"has {n:,} cells that are not {_KIND[f.kind]} (for instance "
                        f"{values[f'bad_example:{f.name}']!r}); the SQL engines read {hint}: convert them, "
                        "or use --engine pandas, which reads local formats")
        n = int(values.get(f"partial:{f.name}") or 0)
        if n:
            raise _fail(plan, f.name, f"is blank in {n:,} rows where other columns are filled; fill it or clear "
                        "those rows")
        n = int(values.get(f"undecided:{f.name}") or 0)
        if n and not len(runner.query(plan.proof_sql(f.name))):   # the report's refusal (engines.numbers)
            from .numbers import refusal
            raise refusal(plan.columns[f.name], f.name, n, values[f"undecided_example:{f.name}"],
                          plan.options.get("_delimiter"))
        if f.kind == "month" and values.get(f"labels:{f.name}") and values.get(f"dates:{f.name}"):
            raise _fail(plan, f.name, f"mixes month labels ({values[f'labels:{f.name}']:,} rows) and dates "
                        f"({values[f'dates:{f.name}']:,} rows); use one kind for the whole column")
    if int(values.get("negative:mrr") or 0):
        raise _fail(plan, "mrr", f"has {int(values['negative:mrr']):,} negative amounts (lowest "
                    f"{values['negative_example:mrr']:g}); MRR cannot be negative (record refunds and credits "
                    "outside the MRR export)")
    if int(values.get("negative:first_reply_minutes") or 0):
        raise _fail(plan, "first_reply_minutes", f"has {int(values['negative:first_reply_minutes']):,} negative "
                    f"durations (lowest {values['negative_example:first_reply_minutes']:g}); a duration is 0 or more")
    for key, v in values.items():
        if key.startswith("backwards:") and int(v or 0):
            name = key.split(":", 1)[1]
            start = "start" if name == "end" else "opened_at"
            raise _fail(plan, name, f"is before {start} in {int(v):,} rows (for instance "
                        f"{values['backwards_example:' + name]!r}); an end cannot precede its start")
        if key.startswith("scale:") and int(v or 0):
            name = key.split(":", 1)[1]
            lo, hi = plan.scales()[name]
            raise _fail(plan, name, f"has {int(v):,} responses that are not whole numbers from {lo} to {hi} "
                        f"(for instance {values['scale_example:' + name]:g}); check the column and the scale")
    for f in plan.fields:   # 1403-06-03 cast as a Gregorian date: a Jalali or Hijri date, never year 1403
        v = values.get(f"min_day:{f.name}")
        if v is not None and not pd.isna(v) and pd.Timestamp(_day(v)).year < 1600:
            raise _fail(plan, f.name, f"has a date in the year {pd.Timestamp(_day(v)).year} (a Jalali or Hijri "
                        f"date?); {_LOCAL_HINT}")
    days = []
    for f in plan.fields:
        for k in ("min_day", "max_day"):
            v = values.get(f"{k}:{f.name}")
            if v is not None and not pd.isna(v):
                d = _day(v)
                days.append(min(d, _NS_LAST))
    if not days:
        return None, None
    return int(min(days).astype(np.int64)), int(max(days).astype(np.int64))


def check_month_fit(runner: Runner, plan: Plan, values: dict) -> None:
    """Refuse one date per Gregorian month counted in Jalali/Hijri months they do not line up with,
    as the pandas engine does (:func:`xl_cskpi.tables.rows.check_monthly_rows`, the same message):
    the distinct days are fetched only when there is one per Gregorian month (at most a few hundred)."""
    from ..tables.rows import check_monthly_rows
    for f in plan.fields:
        n, g = values.get(f"ndays:{f.name}"), values.get(f"ngmonths:{f.name}")
        if n is None or pd.isna(n) or int(n) < 2 or int(n) != int(g):
            continue
        days = runner.query(f"SELECT DISTINCT {f.name}_day AS d FROM base WHERE {f.name}_day IS NOT NULL")["d"]
        arg = {"activity_date": "activity_dates", "month": "months"}.get(f.name, f.name)
        check_monthly_rows(np.array([_day(v) for v in days], dtype="datetime64[D]"), plan.calendar, arg)


def lookup(calendar: str, first_day: int, last_day: int) -> pd.DataFrame:
    """``cal_days``: one row per day from ``first_day`` to ``last_day`` with its month ordinal."""
    days = np.arange(first_day, last_day + 1, dtype=np.int64)
    months = calendars.period_ordinals(days.astype("datetime64[D]"), "month", calendar, arg="dates")
    return pd.DataFrame({"d": days.astype("datetime64[D]").astype("datetime64[ns]"), "m": months})


def _check_span(plan: Plan, first: int, last: int) -> None:
    monthly = plan.table in ("movements", "monthly_churn", "finance", "subscriptions")
    limit = MAX_MONTHS if monthly else MAX_PERIODS
    if last - first + 1 > limit:
        a, b = calendars.ordinal_labels([first, last], plan.period, plan.calendar, arg="dates").tolist()
        raise EngineError(f"spans {last - first + 1} {plan.period}s ({a} to {b}), more than {limit}; check for a "
                          "mistyped year or use a longer period", argument="data")


def _zoned(runner: Runner, plan: Plan, values: dict, first_day: int | None, last_day: int | None
           ) -> tuple[dict, tuple[int | None, int | None]]:
    """Times with a UTC offset on the report's clock (:mod:`xl_cskpi.engines.zones`): the distinct
    offsets of each column decide it; when it is not UTC's, ``base`` is defined again with the
    zone's offsets added and the checks run again (their days move). Returns the checks' values and
    first and last day."""
    options = plan.options
    counts = {f.name: int(values.get(f"offsets:{f.name}") or 0) for f in plan.fields}
    counts = {k: v for k, v in counts.items() if v}
    offsets = {name: {zones.offset_minutes(z) for z in runner.query(plan.offsets_sql(name))["z"].tolist() if z}
               for name in counts}
    zone, how = zones.decide(offsets, options)
    zones.notes(options, offsets, counts, plan.columns, zone, how)
    kept = next(iter(set().union(*offsets.values()))) if how == "kept" else None
    first = None if first_day is None else np.datetime64(first_day, "D")
    last = None if last_day is None else np.datetime64(last_day, "D")
    if zones.shift_sql("t", zone, kept, first, last) is None:
        return values, (first_day, last_day)
    options["_zone"] = (zone, kept, first, last)
    runner.execute(f"CREATE OR REPLACE TEMP VIEW base AS {plan.base_sql()}")
    keys, sql = plan.checks_sql()
    values = dict(zip(keys, runner.query(sql).iloc[0].tolist()))
    days = check(runner, plan, values)
    if how == "option":
        ends = [pd.Timestamp(values[f"{k}:{n}"]) for n in counts for k in ("min_off", "max_off")
                if values.get(f"{k}:{n}") is not None and not pd.isna(values[f"{k}:{n}"])]
        local = [np.array([min(ends), max(ends)], dtype="datetime64[ns]")] if ends else []
        zones.dst_note(options, zone, zones.clock_change(zone, local))
    return values, days


def _nps_answers(runner: Runner, plan: Plan, options: dict) -> None:
    """Answer labels and non-answers of the nps_score column (:mod:`xl_cskpi.engines.answers`): its
    distinct cells that are no plain number, with their counts, read by the report's rule in Python;
    ``options["_nps_answers"]`` maps exactly those texts in the SQL (:meth:`Plan._typed`)."""
    from .answers import MAX_DISTINCT, answer_map
    from .sql import q
    h = q(plan.columns["nps_score"])
    raw = f"CAST({h} AS VARCHAR)"
    found = runner.query(f"SELECT {raw} AS v, COUNT(*) AS n FROM {options.get('_src', 'src')} WHERE {h} IS NOT NULL "
                         f"AND TRIM({raw}) <> '' AND TRY_CAST(TRIM({raw}) AS DOUBLE) IS NULL GROUP BY {raw} "
                         f"LIMIT {MAX_DISTINCT + 1}")
    if 0 < len(found) <= MAX_DISTINCT:
        options["_nps_answers"] = answer_map(found["v"].tolist(), [int(n) for n in found["n"]],
                                             plan.columns["nps_score"], options)


def execute(runner: Runner, table: str, calendar: str, options: dict) -> pd.DataFrame:
    t0 = time.perf_counter()
    plan = plan_for(table, runner.types(), calendar, options)
    for name, parts in (options.get("_coalesce") or {}).items():   # the first filled (common._coalesced)
        from .sql import q
        cells = [f"NULLIF(TRIM(CAST({q(h)} AS VARCHAR)), '')" for h in parts]
        header = " / ".join(parts)
        runner.execute(f"CREATE OR REPLACE TEMP VIEW src_c AS SELECT *, COALESCE({', '.join(cells)}) AS {q(header)} "
                       "FROM src")
        options["_src"] = "src_c"
        plan.columns[name] = header
        plan.types[header] = "string"
    if "status" in plan.columns:   # the raw status texts that read as open (engines.status): a few distinct
        from .sql import q
        from .status import open_values
        vals = runner.query(f"SELECT DISTINCT CAST({q(plan.columns['status'])} AS VARCHAR) AS s FROM src")["s"]
        options["_open_statuses"] = open_values(vals.tolist())
    if "nps_score" in plan.columns and plan.types[plan.columns["nps_score"]] == "string":
        _nps_answers(runner, plan, options)
    runner.execute(f"CREATE OR REPLACE TEMP VIEW base AS {plan.base_sql()}")
    keys, sql = plan.checks_sql()
    progress(options, f"checking the input ({', '.join(f'{k}={v}' for k, v in plan.columns.items())})")
    row = runner.query(sql).iloc[0].tolist()
    values = dict(zip(keys, row))
    first_day, last_day = check(runner, plan, values)
    if any(int(values.get(f"offsets:{f.name}") or 0) for f in plan.fields):
        values, (first_day, last_day) = _zoned(runner, plan, values, first_day, last_day)
    check_month_fit(runner, plan, values)
    if table == "cohorts" and "mrr" in plan.columns:
        from .common import paid_note
        paid_note(options, plan.columns["mrr"], int(values.get("idle:mrr") or 0))
    if int(values.get("reopened") or 0):
        from .status import reopened_note
        reopened_note(options, int(values["reopened"]), plan.columns["resolved_at"], plan.columns["status"])
    for name in ("resolved_at", "first_response_at"):
        if int(values.get(f"early:{name}") or 0):
            from .status import early_note
            early_note(options, name, plan.columns[name], int(values[f"early:{name}"]))
    if int(values.get("merged") or 0) or int(values.get("deleted") or 0):
        from .status import gone_note
        gone_note(options, int(values.get("merged") or 0), int(values.get("deleted") or 0))
    if "csat_score" in plan.columns and not pd.isna(values.get("low:csat_score")):
        csat_scale(options, plan.columns["csat_score"], float(values["low:csat_score"]),
                   float(values["high:csat_score"]))
    if plan.mode == "spans" and "end" in plan.columns and pd.isna(values.get("max_day:end")):
        note(options, f"the end-date column {plan.columns['end']!r} has no date: no customer has left, "
                      "customers_lost is 0 in every month")
    if plan.needs_lookup():  # only month labels: a one-day table, never joined, keeps the SQL one shape
        today = 20000  # 2024-10-04, inside every calendar's range
        runner.register("cal_days", lookup(calendar, first_day if first_day is not None else today,
                                           last_day if last_day is not None else today))
    runner.execute(f"CREATE OR REPLACE TEMP VIEW keep AS {plan.keep_sql()}")
    if plan.needs_lookup():
        if int(runner.query(plan.unmatched_sql()).iloc[0, 0]):  # pragma: no cover - the lookup spans the data
            raise EngineError("has dates outside the calendar lookup", argument="data")
    progress(options, f"aggregating ({time.perf_counter() - t0:.1f} s)")
    if table == "support_summary" and options.get("as_of") is None and "resolved_at" in plan.columns:
        # the latest time in the tickets, as report fills a blank sla_as_of
        from .status import as_of_note
        last = [values.get(f"last:{k}") for k in "orf"]
        last = [v for v in last if v is not None and not pd.isna(v)]
        options["as_of"] = as_of_note(options, max(pd.Timestamp(v) for v in last) if last else None)
    agg = runner.query(plan.aggregate_sql())
    progress(options, f"aggregated: {len(agg):,} rows ({time.perf_counter() - t0:.1f} s)")
    if table == "subscriptions":
        _check_span(plan, *month_bounds(plan, values))
        return finish.subscriptions(agg, calendar)
    if table in ("movements", "monthly_churn", "finance") and plan.mode != "spans":
        first, last = month_bounds(plan, values)
        _check_span(plan, first, last)
        make = {"movements": finish.movements, "monthly_churn": finish.monthly_counts, "finance": finish.finance}
        return make[table](agg, calendar, first, last)
    if table == "cohorts":
        _check_span(plan, int(agg["k"].min()), int((agg["k"] + agg["age"]).max()))
        return finish.cohorts(agg, plan.period, calendar)
    if plan.mode == "spans":
        _check_span(plan, int(agg["m"].min()), int(agg["m"].max()))
        return finish.spans(agg, calendar)
    _check_span(plan, int(agg["o"].min()), int(agg["o"].max()))
    if table == "support_summary":
        return blank_absent(table, plan.columns, finish.support(agg, plan.period, calendar, options), options)
    return blank_absent(table, plan.columns, finish.survey(agg, plan.period, calendar), options)
