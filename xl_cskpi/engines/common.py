"""What every engine shares: argument checks, the input columns of each table, finding them in a
source's headers, and listing the files of a path or glob."""

from __future__ import annotations

import glob as _glob
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .. import calendars
from ..exports.headers import normalise
from . import TABLES, ENGINES, EngineError

#: Periods the per-period tables accept.
PERIODS = calendars.PERIODS


@dataclass(frozen=True)
class Field:
    """One input column of a table: canonical name, kind, required, where its header names come from.

    ``source`` is the report table column (``("Customers", "end_date")``) whose key, aliases,
    translated headers, synonyms and vendor-profile headers find the column, exactly as ``xl-cskpi
    report`` finds it (:mod:`xl_cskpi.exports.mapping`); ``aliases`` are names beyond those (only
    cohorts' ``activity_date``, which no report table has)."""

    name: str
    kind: str            # id | month | date | datetime | money | score | duration | status
    required: bool = True               # the column must be there
    aliases: tuple[str, ...] = ()
    blank_ok: bool = False              # a blank cell in a filled row is fine (MRR: 0)
    source: tuple[str, str] | None = None


def _report_table(name: str):
    from ..reports.specs import tables as t
    return {"Subscriptions": t.SUBSCRIPTIONS, "Tickets": t.TICKETS, "Responses": t.RESPONSES,
            "Customers": t.CUSTOMERS}[name]


def report_names(table: str, key: str) -> tuple[str, ...]:
    """The normalised header names by which ``xl-cskpi report`` finds ``table.key`` without a vendor
    profile, in its order (the key, the aliases, the translated headers of every language, the
    synonyms): :func:`xl_cskpi.exports.profiles.generic_names`."""
    return _names(table, key)


@lru_cache(maxsize=64)
def _names(table: str, key: str) -> tuple[str, ...]:
    from ..exports.profiles import generic_names
    return tuple(n for n, k in generic_names(_report_table(table), "en").items() if k == key)


def fields(table: str, mode: str = "") -> tuple[Field, ...]:
    """The input columns of ``table`` (``mode`` "spans" for monthly churn from start/end dates)."""
    if table in ("movements", "monthly_churn", "finance", "subscriptions") and mode != "spans":
        return (Field("customer_id", "id", True, source=("Subscriptions", "customer_id")),
                Field("month", "month", True, source=("Subscriptions", "month")),
                Field("mrr", "money", True, blank_ok=True, source=("Subscriptions", "mrr")))
    if table == "monthly_churn":
        # a customer list: the Customers table of churn_retention (Churned at, Canceled at, ...)
        # with a customer id column, customers are counted, not rows (a customer's rows merged into
        # spells, as CUSTOMER_CHURN_RATE merges them: tables.customers.monthly_counts_from_spans)
        return (Field("start", "date", True, source=("Customers", "start_date")),
                Field("end", "date", False, source=("Customers", "end_date")),
                Field("customer_id", "id", False, source=("Customers", "customer_id")))
    if table == "cohorts":
        return (Field("customer_id", "id", True, source=("Subscriptions", "customer_id")),
                Field("activity_date", "month", True, ("date", "event_date", "occurred_at", "timestamp",
                                                       "created_at", "month", "period"),
                      source=("Subscriptions", "month")),
                # an MRR (amount) column, when the data has one: a row is activity only when it is
                # above 0, as the cohort_retention report reads it (COHORT_RETENTION's amounts)
                Field("mrr", "money", False, blank_ok=True, source=("Subscriptions", "mrr")))
    if table == "support_summary":
        return (Field("opened_at", "datetime", True, source=("Tickets", "opened_at")),
                Field("first_response_at", "datetime", False, source=("Tickets", "first_response_at")),
                Field("resolved_at", "datetime", False, source=("Tickets", "resolved_at")),
                # Zendesk's "First reply time in minutes": first_response_at = opened_at + minutes
                # (exports.profiles.DERIVED), read only when the file has no first_response_at
                Field("first_reply_minutes", "duration", False, source=("Tickets", "first_reply_minutes")),
                # a ticket open again (new, open, pending, on-hold) is not resolved: engines.status
                Field("status", "status", False, source=("Tickets", "status")),
                # Zendesk's Tags: a ticket closed by merge is no support work (engines.status)
                Field("tags", "tags", False, ("tags",)))
    if table == "survey_by_period":
        return (Field("submitted_at", "date", True, source=("Responses", "submitted_at")),
                Field("nps_score", "score", False, source=("Responses", "nps_score")),
                Field("csat_score", "score", False, source=("Responses", "csat_score")),
                Field("ces_score", "score", False, source=("Responses", "ces_score")))
    raise AssertionError(table)


def names_of(f: Field) -> tuple[str, ...]:
    """Every normalised header that names ``f`` without a profile, best first."""
    out = [normalise(f.name)]
    if f.source is not None:
        out += report_names(*f.source)
    out += [normalise(a) for a in f.aliases]
    return tuple(dict.fromkeys(n for n in out if n))


def _norm(header: str) -> str:
    return normalise(header)


#: A trailing unit, currency or time zone in brackets ("Created (UTC)"), dropped for a second look,
#: as the report's mapping does.
_UNIT_SUFFIX = re.compile(r"\s*[(\[][^()\[\]]{1,12}[)\]]\s*$")


def choose_mode(table: str, headers: list[str], options: dict) -> str:
    """``"spans"`` when monthly churn is asked of a customer list (start/end dates, no MRR)."""
    if table != "monthly_churn":
        return ""
    if options.get("mode") in ("spans", "mrr"):
        return "" if options["mode"] == "mrr" else "spans"
    found = {_norm(h) for h in headers} | {_norm(_UNIT_SUFFIX.sub("", str(h))) for h in headers}
    mrr_like = {"mrr", *report_names("Subscriptions", "mrr")}
    start_like = {"start", *report_names("Customers", "start_date")}
    return "spans" if not (found & mrr_like) and (found & start_like) else ""


def _profile_headers(table: str, headers: list[str], options: dict) -> dict[str, tuple[str, ...]]:
    """{report field: headers} of the vendor profile the headers carry (Zendesk, Freshdesk, ...),
    for ``table``'s report table; empty without one."""
    from ..exports.profiles import detect
    src = {f.source[0] for f in fields(table, options.get("_mode", "")) if f.source}
    p = detect(headers, has_score=False)
    if p is None:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for t in src:
        out.update({f"{t}.{k}": v for k, v in p.fields.get(t, {}).items()})
    return out


def match_columns(table: str, headers: list[str], options: dict, mode: str = "") -> dict[str, str]:
    """{canonical name: source header} for the table's fields, found as ``xl-cskpi report`` finds
    them: ``--column`` first, then the headers of a vendor profile the file carries, then the report
    table's key, aliases, translated headers and synonyms (:func:`report_names`), then the same for
    headers with a unit in brackets ("Created (UTC)"); a header feeds one field. Survey scores a
    header asks for by its wording ("How likely are you to recommend ...", "How satisfied ...") are
    found when exactly one header says so. Missing required fields are one line."""
    from ..exports.profiles import SCALES, employee_wording, nps_wording
    explicit = dict(options.get("columns") or {})
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(_norm(h), h)
    bare: dict[str, str] = {}
    for h in headers:
        b = _UNIT_SUFFIX.sub("", str(h))
        if b != h:
            bare.setdefault(_norm(b), h)
    profile = _profile_headers(table, headers, {**options, "_mode": mode})
    out: dict[str, str] = {}
    used: set[str] = set()
    todo = list(fields(table, mode))
    for f in todo:
        if f.name in explicit:
            if explicit[f.name] not in headers:
                raise EngineError(f"names the column {explicit[f.name]!r} for {f.name}, but the data has no such "
                                  f"column (it has: {', '.join(map(str, headers))})", argument="columns")
            out[f.name] = explicit[f.name]
            used.add(explicit[f.name])

    def take(f: Field, header: str | None) -> bool:
        if header is None or header in used or f.name in out:
            return False
        out[f.name] = header
        used.add(header)
        return True

    for f in todo:
        if f.source is not None:
            for n in profile.get(f"{f.source[0]}.{f.source[1]}", ()):
                if take(f, by_norm.get(_norm(n))):
                    break
    for f in todo:
        for n in names_of(f):
            if take(f, by_norm.get(n)):
                break
    for f in todo:
        for n in names_of(f):
            if take(f, bare.get(n)):
                break
    if table == "survey_by_period":
        free = [h for h in headers if h not in used]
        worded = {"nps_score": [h for h in free if nps_wording(h) and not employee_wording(h)]}
        for key, (_, _, words) in SCALES.items():
            worded[key] = [h for h in free if words.search(_norm(h)) and h not in worded["nps_score"]]
        for f in todo:
            cands = worded.get(f.name, [])
            if f.name not in out and len(cands) == 1 and take(f, cands[0]):
                note(options, f"{f.name} read from the column {cands[0]!r} (its wording); name another with "
                              f"--column {f.name}=HEADER")
    if table == "survey_by_period":
        _scales_from_headers(out, options)
    missing = [f for f in todo if f.required and f.name not in out]
    if missing:
        names = "; ".join(f"{f.name} (or {', '.join(names_of(f)[1:5])})" for f in missing)
        raise EngineError(f"has no column for {names}; {table} needs them (the data has: "
                          f"{', '.join(map(str, headers)) or 'no columns'})", argument="data")
    if table == "survey_by_period" and not ({"nps_score", "csat_score", "ces_score"} & set(out)):
        raise EngineError("has no score column (nps_score, csat_score or ces_score); survey_by_period "
                          f"needs at least one (the data has: {', '.join(map(str, headers))})", argument="data")
    if table == "support_summary" and "first_response_at" in out:
        out.pop("first_reply_minutes", None)   # the file's own column wins (exports.profiles.DERIVED)
    if mode == "spans" and "end" not in out:
        looked = ", ".join(names_of(fields(table, mode)[1])[:6])
        if not options.get("no_end_column"):
            raise EngineError(f"has a start column ({out['start']!r}) but no end-date column (looked for {looked}); "
                              "without one every customer counts as still active and churn reads 0 % in every "
                              "month: name it with --column end=HEADER, or, if no customer has ever left, pass "
                              "--no-end-column (options no_end_column=True)", argument="data")
        note(options, "no end-date column (--no-end-column): every customer is counted as still active, "
                      "customers_lost is 0 in every month")
    _coalesced(table, headers, out, options)
    return out


def _coalesced(table: str, headers: list[str], out: dict[str, str], options: dict) -> None:
    """A field a vendor profile feeds from the first filled of several columns (Freshdesk's resolved_at:
    "Resolved time", where blank "Closed time"; :attr:`xl_cskpi.exports.profiles.Profile.coalesce`), as
    the report reads it: ``options["_coalesce"]`` = {field: [headers]} when the file has them all and
    the field was found in the first (the engines read the first filled, row by row)."""
    from ..exports.profiles import detect
    options.pop("_coalesce", None)
    if table != "support_summary" or options.get("columns"):
        return
    p = detect(headers, has_score=False)
    if p is None:
        return
    by_norm = {_norm(h): h for h in headers}
    for fld, names in p.coalesce.get("Tickets", {}).items():
        found = [by_norm.get(_norm(n)) for n in names]
        if fld in out and None not in found and out[fld] == found[0]:
            options.setdefault("_coalesce", {})[fld] = found


def _scales_from_headers(out: dict[str, str], options: dict) -> None:
    """A CSAT/CES scale the user did not give, from its column's header when the header states one
    ("How satisfied were you with support? (1-5)"), as ``xl-cskpi report`` fills a blank
    ``csat_scale``/``ces_scale`` (:func:`xl_cskpi.reports.specs.survey_scale.scale_in_header`)."""
    from ..reports.specs.survey_scale import scale_in_header
    for key, fld, flag in (("csat_scale_max", "csat_score", "--csat-scale"), ("ces_scale_max", "ces_score",
                                                                             "--ces-scale")):
        if key in options or fld not in out:
            continue
        top = scale_in_header(out[fld])
        if top is not None and 2 <= top <= 100:
            options[key] = top
            note(options, f"{fld} on a 1-{top} scale, as the header {out[fld]!r} states; another: {flag} N")


def note(options: dict, line: str) -> None:
    """A fact about the result the user must see (a column not found, a KPI left blank): kept in
    ``options["_notes"]`` (:func:`xl_cskpi.engines.compute` puts them in ``table.attrs["notes"]``;
    the command line prints them on stderr)."""
    notes = options.setdefault("_notes", [])
    if line not in notes:
        notes.append(line)


def paid_note(options: dict, header: str, idle: int) -> None:
    """cohorts with an MRR column: only its rows above 0 are activity (COHORT_RETENTION's amounts, as
    the cohort_retention report reads the Subscriptions table); ``idle`` rows were not (0, blank,
    negative)."""
    note(options, f"a row is activity only when its {header!r} (mrr) is above 0, as the cohort_retention report "
                  f"reads it: {idle:,} row{'' if idle == 1 else 's'} of 0, blank or negative left out (a customer "
                  "not paying; they still date the data: a period up to the last row's is observed)")


def csat_scale(options: dict, header: str, low: float, high: float) -> None:
    """CSAT's scale when the user gave none (``csat_scale_max``): the default 1-5 is said in a note;
    answers that all stay below its satisfied boxes (a 1-3 survey: 1, 2, 3) would read CSAT 0 % in
    every period, so they are refused with what to pass. ``low``/``high``: the answers' range."""
    from ..kpi.survey import satisfied_from
    if "csat_scale_max" in options or low != low:    # given, or no answer at all (NaN)
        return
    if high < satisfied_from(5):
        raise EngineError(f"column {header!r} (csat_score) has answers from {low:g} to {high:g} only: on the "
                          f"default 1-5 scale none is satisfied (4 or 5) and CSAT would read 0 %; give the top of "
                          f"your scale (--csat-scale {high:g}, options csat_scale_max={high:g}), or --csat-scale 5 "
                          "if it is 1-5", argument="data")
    note(options, f"CSAT read on the default 1-5 scale (answers {low:g} to {high:g}; satisfied = 4 or 5); "
                  "another scale: --csat-scale N")


#: Output columns of each table that an optional input column feeds: blank (not 0) without it.
FED_BY = {
    "support_summary": {
        "first_response_at": ("replied", "first_response_mean_hours", "first_response_p*_hours"),
        "resolved_at": ("resolved_in_period", "resolution_mean_hours", "resolution_p*_hours", "sla_met",
                        "sla_judged", "sla_compliance"),
    },
    "survey_by_period": {
        "nps_score": ("nps_respondents", "promoters", "passives", "detractors", "nps"),
        "csat_score": ("csat_responses", "csat_satisfied", "csat", "csat_average"),
        "ces_score": ("ces_responses", "ces"),
    },
}


def blank_absent(table: str, columns: dict[str, str], out, options: dict):
    """``out`` with the columns fed by an absent optional input blank (NA), never 0, and a note per
    absent input naming the headers looked for. The same on every engine."""
    import fnmatch

    import pandas as pd
    feeds = FED_BY.get(table, {})
    have = set(columns)
    if "first_reply_minutes" in have:
        have.add("first_response_at")
    for name, outs in feeds.items():
        if name in have:
            continue
        f = next(x for x in fields(table) if x.name == name)
        looked = ", ".join(names_of(f)[:4])
        hit = [c for c in out.columns if any(fnmatch.fnmatch(c, p) for p in outs)]
        extra = (" (or a first reply time in minutes)" if name == "first_response_at" else "")
        note(options, f"no {name} column (looked for {looked}{extra}): {', '.join(hit)} left blank; name it "
                      f"with --column {name}=HEADER")
        for c in hit:
            out[c] = pd.array([pd.NA] * len(out), dtype="Int64") if out[c].dtype.kind in "iu" \
                else np.full(len(out), np.nan)
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
    from .numbers import check_decimal
    from .zones import check as check_zone
    opts["decimal"] = check_decimal(opts.get("decimal"))
    opts["timezone"] = check_zone(opts.get("timezone"))
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
