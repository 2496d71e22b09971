"""What every engine shares: argument checks, the input columns of each table, finding them in a
source's headers, and listing the files of a path or glob."""

from __future__ import annotations

import glob as _glob
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import calendars
from . import TABLES, ENGINES, EngineError

#: Periods the per-period tables accept.
PERIODS = calendars.PERIODS


@dataclass(frozen=True)
class Field:
    """One input column of a table: canonical name, kind, required, other headers it goes by."""

    name: str
    kind: str            # id | month | date | datetime | money | score
    required: bool = True               # the column must be there
    aliases: tuple[str, ...] = ()
    blank_ok: bool = False              # a blank cell in a filled row is fine (MRR: 0)


def _aliases(table: str, key: str) -> tuple[str, ...]:
    from ..reports.specs import tables as t
    tb = {"Subscriptions": t.SUBSCRIPTIONS, "Tickets": t.TICKETS, "Responses": t.RESPONSES,
          "Billing": t.BILLING}[table]
    col = next(c for c in tb.columns if c.key == key)
    return tuple(col.aliases)


def fields(table: str, mode: str = "") -> tuple[Field, ...]:
    """The input columns of ``table`` (``mode`` "spans" for monthly churn from start/end dates)."""
    if table in ("movements", "monthly_churn", "finance", "subscriptions") and mode != "spans":
        return (Field("customer_id", "id", True, _aliases("Subscriptions", "customer_id")),
                Field("month", "month", True, _aliases("Subscriptions", "month")),
                Field("mrr", "money", True, _aliases("Subscriptions", "mrr"), blank_ok=True))
    if table == "monthly_churn":
        return (Field("start", "date", True, _aliases("Billing", "start")),
                Field("end", "date", False, _aliases("Billing", "end")))
    if table == "cohorts":
        return (Field("customer_id", "id", True, _aliases("Subscriptions", "customer_id")),
                Field("activity_date", "month", True, ("date", "event_date", "occurred_at", "timestamp",
                                                       "created_at", "month", "period")))
    if table == "support_summary":
        return (Field("opened_at", "datetime", True, _aliases("Tickets", "opened_at")),
                Field("first_response_at", "datetime", False, _aliases("Tickets", "first_response_at")),
                Field("resolved_at", "datetime", False, _aliases("Tickets", "resolved_at")))
    if table == "survey_by_period":
        return (Field("submitted_at", "date", True, _aliases("Responses", "submitted_at")),
                Field("nps_score", "score", False, _aliases("Responses", "nps_score")),
                Field("csat_score", "score", False, _aliases("Responses", "csat_score")),
                Field("ces_score", "score", False, _aliases("Responses", "ces_score")))
    raise AssertionError(table)


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-]+", "_", str(header).strip().lower())


def choose_mode(table: str, headers: list[str], options: dict) -> str:
    """``"spans"`` when monthly churn is asked of a customer list (start/end dates, no MRR)."""
    if table != "monthly_churn":
        return ""
    if options.get("mode") in ("spans", "mrr"):
        return "" if options["mode"] == "mrr" else "spans"
    found = {_norm(h) for h in headers}
    mrr_like = {_norm(a) for a in ("mrr", *_aliases("Subscriptions", "mrr"))}
    start_like = {_norm(a) for a in ("start", *_aliases("Billing", "start"))}
    return "spans" if not (found & mrr_like) and (found & start_like) else ""


def match_columns(table: str, headers: list[str], options: dict, mode: str = "") -> dict[str, str]:
    """{canonical name: source header} for the table's fields; missing required ones are one line."""
    explicit = dict(options.get("columns") or {})
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(_norm(h), h)
    out: dict[str, str] = {}
    missing = []
    for f in fields(table, mode):
        if f.name in explicit:
            if explicit[f.name] not in headers:
                raise EngineError(f"names the column {explicit[f.name]!r} for {f.name}, but the data has no such "
                                  f"column (it has: {', '.join(map(str, headers))})", argument="columns")
            out[f.name] = explicit[f.name]
            continue
        for candidate in (f.name, *f.aliases):
            if _norm(candidate) in by_norm:
                out[f.name] = by_norm[_norm(candidate)]
                break
        else:
            if f.required:
                missing.append(f)
    if missing:
        names = "; ".join(f"{f.name} (or {', '.join(f.aliases[:4])})" if f.aliases else f.name for f in missing)
        raise EngineError(f"has no column for {names}; {table} needs them (the data has: "
                          f"{', '.join(map(str, headers)) or 'no columns'})", argument="data")
    if table == "survey_by_period" and not ({"nps_score", "csat_score", "ces_score"} & set(out)):
        raise EngineError("has no score column (nps_score, csat_score or ces_score); survey_by_period "
                          f"needs at least one (the data has: {', '.join(map(str, headers))})", argument="data")
    return out


def check_args(table: Any, engine: Any, calendar: Any, options: Any) -> tuple[str, str, str, dict]:
    if table not in TABLES:
        raise EngineError(f"is {table!r}; use one of: {', '.join(TABLES)}", argument="table")
    if engine not in ENGINES:
        raise EngineError(f"is {engine!r}; use one of: {', '.join(ENGINES)}", argument="engine")
    if calendar not in calendars.CALENDARS:
        raise EngineError(f"is {calendar!r}; use one of: {', '.join(calendars.CALENDARS)}", argument="calendar")
    opts = dict(options or {})
    period = opts.get("period", "month")
    if period not in PERIODS:
        raise EngineError(f"is {period!r}; use one of: {', '.join(PERIODS)}", argument="period")
    if table in ("movements", "monthly_churn", "finance", "subscriptions") and period != "month":
        raise EngineError(f"is {period!r}; {table} is monthly", argument="period")
    opts["period"] = period
    _check_numbers(opts)
    return table, engine, calendar, opts


def _check_numbers(opts: dict) -> None:
    """The numeric options, checked once here so that every engine refuses the same values."""
    import pandas as pd
    sla = opts.get("sla_hours", 24)
    if not isinstance(sla, (int, float)) or not sla >= 0:
        raise EngineError(f"is {sla!r}; an SLA target is a number of hours, 0 or more", argument="sla_hours")
    pct = tuple(opts.get("percentiles", (0.5, 0.9)))
    if not pct or any(not isinstance(p, (int, float)) or not 0 <= p <= 1 for p in pct):
        raise EngineError(f"is {pct!r}; give fractions from 0 to 1 (0.9 for the 90th)", argument="percentiles")
    opts["percentiles"] = tuple(float(p) for p in pct)
    for key, default in (("csat_scale_max", 5), ("ces_scale_max", 7)):
        top = opts.get(key, default)
        if not isinstance(top, int) or not 2 <= top <= 100:
            raise EngineError(f"is {top!r}; the top of the scale is a whole number from 2 to 100", argument=key)
    thr = opts.get("csat_threshold")
    if thr is not None and (not isinstance(thr, (int, float)) or not 1 <= thr <= opts.get("csat_scale_max", 5)):
        raise EngineError(f"is {thr!r}; the satisfied threshold must be on the scale, 1 to "
                          f"{opts.get('csat_scale_max', 5)}", argument="csat_threshold")
    if opts.get("as_of") is not None:
        try:
            stamp = pd.Timestamp(opts["as_of"])
        except (ValueError, TypeError):
            stamp = pd.NaT
        if stamp is pd.NaT or stamp.tzinfo is not None:
            raise EngineError(f"is {opts['as_of']!r}; give a date-time without a zone, such as 2024-09-30 18:00",
                              argument="as_of")
        opts["as_of"] = stamp.isoformat(sep=" ")


FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".tsv": "csv", ".txt": "csv"}


def list_files(source: str | os.PathLike) -> tuple[list[str], str]:
    """The files of a path, folder or glob, and their format ("csv" or "parquet")."""
    text = str(source)
    path = Path(text)
    if path.is_dir():
        files = sorted(str(p) for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)
        where = f"the folder {text}"
    elif any(ch in text for ch in "*?["):
        files = sorted(f for f in _glob.glob(text, recursive=True) if os.path.isfile(f))
        where = f"the pattern {text!r}"
    else:
        if not path.exists():
            raise EngineError(f"{text} does not exist", argument="data")
        files = [text]
        where = text
    if not files:
        raise EngineError(f"{where} matches no files; check the path (quote a glob: --data 'events/*.parquet')",
                          argument="data")
    kinds = {FORMATS.get(Path(f).suffix.lower()) for f in files}
    if None in kinds:
        bad = next(f for f in files if FORMATS.get(Path(f).suffix.lower()) is None)
        raise EngineError(f"{bad}: not a .csv or .parquet file; the engines read CSV and Parquet (convert "
                          "other exports first, or use xl-cskpi report)", argument="data")
    if len(kinds) > 1:
        raise EngineError(f"{where} mixes CSV and Parquet files; point it at one kind", argument="data")
    return files, kinds.pop()


def progress(options: dict, message: str) -> None:
    cb = options.get("progress")
    if cb is not None:
        cb(message)


def naive_times(df):
    """A DataFrame whose time-zone-aware columns are UTC wall-clock times (a copy only when needed).

    Every engine reads times with a zone in UTC: a Parquet file keeps the instant but not the
    zone's name for DuckDB and Spark, so pandas sources follow the same rule."""
    import pandas as pd
    aware = [c for c in df.columns if isinstance(df[c].dtype, pd.DatetimeTZDtype)]
    if not aware:
        return df
    return df.assign(**{c: df[c].dt.tz_convert("UTC").dt.tz_localize(None) for c in aware})


def _text(v):
    """One cell of a mixed column as text, as :func:`xl_cskpi.cells.texts` reads ids (7.0 is "7")."""
    import pandas as pd
    if v is None or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return v if isinstance(v, str) else str(v)


def text_objects(df):
    """Object columns that mix text with other values (ids 7 and "A7") as text (a copy only when needed)."""
    mixed = [c for c in df.columns if df[c].dtype == object
             and not df[c].map(lambda v: v is None or isinstance(v, str)).all()]
    if not mixed:
        return df
    return df.assign(**{c: df[c].map(_text) for c in mixed})
