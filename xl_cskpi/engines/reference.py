"""The pandas engine: the house functions themselves, the reference the SQL engines are tested against.

Each table is computed by the functions that Excel calls (``MRR_MOVEMENTS``, ``COHORT_RETENTION``,
``tables.subscriptions.monthly_counts``, ``AVG_RESOLUTION_TIME`` ... per period, ``NPS`` ... per
period), on columns read by :mod:`xl_cskpi.tables.rows` (the house readers: local date formats,
Persian digits, Excel serials). Whole columns are checked first, so that an error names the row of
the data, then each period's rows go to the KPI functions; a period where a KPI has nothing to
measure (no resolved ticket, no response) is n/a (NaN), never 0.
"""

from __future__ import annotations

import os
from typing import Any, Callable

import numpy as np
import pandas as pd

from .. import calendars
from ..errors import DivisionByZero, KPIError
from ..kpi import service, survey as survey_kpi
from ..tables import customers, subscriptions
from ..tables.cohorts import cohort_retention
from ..tables.movements import mrr_movements
from ..tables.rows import check_rows, flat_ranges, row_codes, row_dates, row_numbers, row_periods
from . import EngineError, zones
from .numbers import read_column
from .sql import OFFSET
from .common import (blank_absent, choose_mode, csat_scale, fields, list_files, match_columns, naive_times,
                     note, paid_note, progress)


def read(source: Any, options: dict) -> pd.DataFrame:
    """A DataFrame of the source: the frame itself, or the CSV/Parquet files of a path or glob."""
    if isinstance(source, pd.DataFrame):
        return naive_times(source)
    if not isinstance(source, (str, os.PathLike)):
        raise EngineError(f"is a {type(source).__name__}; give a DataFrame, a file, a folder or a glob of "
                          "CSV/Parquet files", argument="data")
    files, kind = list_files(source)
    progress(options, f"reading {len(files)} {kind} file{'s' if len(files) > 1 else ''} with pandas")
    # CSV cells as text, as the SQL engines read them: ids keep their leading zeros ("007")
    sep = ","
    if kind == "csv":
        from .numbers import files_delimiter
        sep = files_delimiter(files, options)   # the report's delimiter (engines.numbers)
    from .numbers import sep_line
    frames = [pd.read_parquet(f) if kind == "parquet" else
              pd.read_csv(f, sep=sep, dtype=str, keep_default_na=False, na_values=[""], skiprows=int(sep_line(f)))
              for f in files]
    return naive_times(pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0])


#: sql.OFFSET with \d (Persian and Arabic-Indic digits too, as the SQL's TRANSLATE) and groups that capture nothing
_OFFSET = OFFSET.replace("[0-9]", r"\d").replace("(", "(?:")


def _zoned(col: dict, cols: dict[str, str], table: str, mode: str, options: dict) -> None:
    """Text times written with a UTC offset ("2024-03-09T22:00:00-08:00") on the clock the report
    reads them on (:mod:`xl_cskpi.engines.zones`: ``--timezone``, else one offset as written, else
    UTC), read by :func:`xl_cskpi.cells.dates.datetimes_offsets`; columns without offsets are left to
    the house readers."""
    found = {}
    for f in fields(table, mode):
        s = col.get(f.name)
        if f.kind in ("date", "datetime", "month") and s is not None and s.dtype == object:
            hit = s.str.strip().str.contains(_OFFSET, regex=True, na=False).to_numpy(dtype=bool)
            if hit.any():
                found[f.name] = (s, hit)
    if not found:
        return
    from ..cells.dates import datetimes_offsets

    def cells_of(s: pd.Series) -> list:
        return [None if v is None or (isinstance(v, float) and v != v) else v for v in s.tolist()]

    offsets, counts, read = {}, {}, {}
    for name, (s, hit) in found.items():
        d, off = datetimes_offsets(cells_of(s), name, tz=None)
        offsets[name] = {int(x) for x in off[hit & ~np.isnan(off)]}
        counts[name], read[name] = int(hit.sum()), d
    zone, how = zones.decide(offsets, options)
    zones.notes(options, offsets, counts, cols, zone, how)
    converted = []
    for name, (s, hit) in found.items():
        d = read[name] if zone is None else datetimes_offsets(cells_of(s), name, tz=zone)[0]
        d = np.asarray(d, dtype="datetime64[ns]")
        col[name] = pd.Series(d, index=s.index)
        converted.append(d[hit])
    if how == "option":
        zones.dst_note(options, zone, zones.clock_change(zone, converted))


def _na(fn: Callable[[], float]) -> float:
    """A KPI of one period; n/a (NaN) when it has nothing to measure."""
    try:
        return float(fn())
    except DivisionByZero:
        return np.nan


def compute(table: str, source: Any, calendar: str, options: dict) -> pd.DataFrame:
    try:
        return _compute(table, source, calendar, options)
    except KPIError as e:
        raise _calendar_hint(e, calendar) from None


def _calendar_hint(e: KPIError, calendar: str) -> KPIError:
    """A Jalali/Hijri-looking text date refused by the house readers tells a worksheet user to use
    PERIOD_LABEL's calendar argument; on this command the remedy is ``--calendar`` (which the
    pandas engine passes to the same reader): the hint is made the command's, the rest kept."""
    from ..cells.date_values import _HINTS
    sheet = _HINTS["worksheet"]["local"]
    if calendar == "gregorian" and sheet in e.reason:
        e.reason = e.reason.replace(sheet, "pass --calendar jalali or --calendar hijri (calendar= in Python), "
                                           "which reads it as xl-cskpi report does; or write Gregorian dates as "
                                           "yyyy-mm-dd")
        e.args = (e.message,)
    return e


def _compute(table: str, source: Any, calendar: str, options: dict) -> pd.DataFrame:
    df = read(source, options)
    headers = [str(c) for c in df.columns]
    df = df.set_axis(headers, axis=1)
    mode = choose_mode(table, headers, options)
    cols = match_columns(table, headers, options, mode)
    col = {k: df[v] for k, v in cols.items()}
    for name, parts in (options.get("_coalesce") or {}).items():   # the first filled, as report reads it
        first = df[parts[0]].astype(object)
        for h in parts[1:]:
            v = df[h].astype(object)
            first = first.where(first.notna() & (first.astype(str).str.strip() != ""), v)
        col[name] = first
    _zoned(col, cols, table, mode, options)
    if "nps_score" in col:   # answer labels and non-answers, as report reads them (engines.answers)
        from .answers import read_nps
        col["nps_score"] = read_nps(col["nps_score"], cols["nps_score"], options)
    for f in fields(table, mode):
        if f.kind in ("money", "score", "duration") and f.name in col:   # the report's number reader
            col[f.name] = read_column(col[f.name], f.name, cols[f.name], options)
    progress(options, f"computing {table} with pandas ({len(df):,} rows)")
    period = options.get("period", "month")
    if table == "movements":
        return mrr_movements(col["customer_id"], col["month"], col["mrr"], calendar)
    if table == "cohorts" and "mrr" in col:   # only rows above 0 are activity, as the report reads them
        table_ = cohort_retention(col["customer_id"], col["activity_date"], period, calendar, amounts=col["mrr"])
        filled = pd.Series(False, index=col["mrr"].index)
        for name in ("customer_id", "activity_date", "mrr"):   # the SQL engines' rows (any field filled)
            s = col[name]
            filled |= s.notna() & ~(s.astype(str).str.strip() == "") if s.dtype == object else s.notna()
        paid_note(options, cols["mrr"], int((filled & ~(col["mrr"] > 0)).sum()))
        return table_
    if table == "cohorts":
        return cohort_retention(col["customer_id"], col["activity_date"], period, calendar)
    if table == "monthly_churn" and mode == "spans":
        return _spans(col, calendar, cols, options)
    if table == "monthly_churn":
        return _monthly_counts(col, calendar)
    if table == "subscriptions":
        return _subscriptions(col, calendar)
    if table == "finance":
        return subscriptions.finance_base(_customer_months(col, calendar), calendar=calendar)
    if table == "support_summary":
        return blank_absent(table, cols, _support(col, period, calendar, options, cols), options)
    return blank_absent(table, cols, _survey(col, period, calendar, options, cols.get("csat_score")), options)


def _subscriptions(col: dict, calendar: str) -> pd.DataFrame:
    """Paying customer-months (rows of a customer and month summed, as MRR_MOVEMENTS sums them)."""
    t = _customer_months(col, calendar)
    g = t.groupby(["customer_id", "month"], sort=True, as_index=False)["mrr"].sum()
    return g[g["mrr"] > 0].reset_index(drop=True).astype({"customer_id": object})


def _monthly_counts(col: dict, calendar: str) -> pd.DataFrame:
    """``tables.subscriptions.monthly_counts`` of the rows, months read as MRR_MOVEMENTS reads them."""
    return subscriptions.monthly_counts(_customer_months(col, calendar), calendar=calendar)


def _customer_months(col: dict, calendar: str) -> pd.DataFrame:
    """The rows as ``customer_id`` (text, as MRR_MOVEMENTS reads ids), ``month`` (first day), ``mrr``."""
    flat = flat_ranges(customer_ids=col["customer_id"], months=col["month"], mrr=col["mrr"])
    cust, uniq, cols = row_codes(flat["customer_ids"], "customer_ids")
    # one date per Gregorian month that does not line up with the calendar's months is refused, as
    # MRR_MOVEMENTS refuses it (tables.rows.check_monthly_rows): the same rows for every monthly table
    ords, month_blank, _ = row_periods(flat["months"], "months", "month", calendar, monthly_rows=True)
    amount = row_numbers(flat["mrr"], "mrr")
    keep = check_rows({"customer_ids": cust < 0, "months": month_blank, "mrr": np.isnan(amount)}, cols,
                      required=("customer_ids", "months"))
    table = pd.DataFrame({
        "customer_id": uniq[cust[keep]] if len(uniq) else np.empty(0, object),
        "month": calendars.period_start_dates(ords[keep], "month", calendar, arg="months"),
        "mrr": np.nan_to_num(amount[keep]),
    })
    if (table["mrr"] < 0).any():  # MRR_MOVEMENTS' rule and message
        mrr_movements(col["customer_id"], col["month"], col["mrr"], calendar)
    return table


def _spans(col: dict, calendar: str, cols: dict, options: dict) -> pd.DataFrame:
    """Per month of the customer list: customers at the start (ACTIVE_CUSTOMERS the day before the
    month), new (started in it), lost (end date in it: CHURN_RATE_BETWEEN's numerator with new
    customers who left counted), at the end (ACTIVE_CUSTOMERS on its last day)."""
    end_col = col.get("end", pd.Series([None] * len(col["start"]), dtype=object))
    # the dates read once, in the calendar asked for, by the report's reader (cells.datetimes through
    # tables.rows.row_dates: '1402/10/05', '۱۴۰۳/۰۲/۳۱' are Jalali with calendar "jalali"); the house
    # function then takes them as dates (its checks: a blank start, an end before the start)
    flat = flat_ranges(start=col["start"], end=end_col)
    start_col = pd.Series(row_dates(flat["start"], "start_dates", calendar=calendar))
    end_col = pd.Series(row_dates(flat["end"], "end_dates", calendar=calendar, open_end=True))
    start, end = customers.customer_spans(start_col, end_col)
    s_ord = calendars.period_ordinals(start, "month", calendar, arg="start_dates")
    has_end = ~np.isnat(end)
    if "end" in cols and not has_end.any():
        note(options, f"the end-date column {cols['end']!r} has no date: no customer has left, customers_lost "
                      "is 0 in every month")
    e_ord = calendars.period_ordinals(end[has_end], "month", calendar, arg="end_dates")
    first = int(s_ord.min())
    last = int(max(s_ord.max(), e_ord.max() if e_ord.size else s_ord.max()))
    months = np.arange(first, last + 1)
    firsts = calendars.period_start_dates(np.append(months, last + 1), "month", calendar,
                                          arg="start_dates").astype("datetime64[D]")
    if "customer_id" in col:
        return _spans_by_customer(col, start_col, end_col, firsts)
    rows = []
    for j in range(len(months)):
        f, nxt = firsts[j], firsts[j + 1]  # the month is [f, nxt)
        active_end = np.isnat(end) | (end >= nxt)
        rows.append((
            int(((start < f) & (np.isnat(end) | (end >= f))).sum()),
            int(((start >= f) & (start < nxt)).sum()),
            int((has_end & (end >= f) & (end < nxt)).sum()),
            int(((start < nxt) & active_end).sum()),
        ))
    counts = np.array(rows, dtype=np.int64).reshape(-1, 4)
    return pd.DataFrame({"month": firsts[:-1].astype("datetime64[ns]"), "customers_start": counts[:, 0],
                         "customers_new": counts[:, 1], "customers_lost": counts[:, 2],
                         "customers_end": counts[:, 3]})


def _groups(ords: np.ndarray, first: int | None = None, last: int | None = None
            ) -> tuple[np.ndarray, list[np.ndarray]]:
    """Every period ordinal from the first to the last (or ``first`` to ``last``), and the row
    indices of each."""
    first = int(ords.min()) if first is None else first
    last = int(ords.max()) if last is None else last
    periods = np.arange(first, last + 1)
    order = np.argsort(ords, kind="stable")
    bounds = np.searchsorted(ords[order], np.append(periods, last + 1))
    return periods, [order[bounds[i]:bounds[i + 1]] for i in range(len(periods))]


def _head(periods: np.ndarray, period: str, calendar: str) -> dict:
    return {"period": calendars.ordinal_labels(periods, period, calendar, arg="dates"),
            "period_start": calendars.period_start_dates(periods, period, calendar, arg="dates")}


#: Nanoseconds of a duration unit (exports.profiles.DERIVED's units), as the report derives them.
_UNIT_NS = {"seconds": 10**9, "minutes": 60 * 10**9, "hours": 3600 * 10**9, "days": 86_400 * 10**9}


def _first_response(o: np.ndarray, minutes_column: Any, keep: np.ndarray) -> np.ndarray:
    """first_response_at = opened_at + the first reply time (exports.profiles.DERIVED: Zendesk's
    "First reply time in minutes"), rounded to the nanosecond as the report's pipeline does."""
    from ..exports.profiles import DERIVED
    column, start, unit = DERIVED["Tickets"]["first_reply_minutes"]
    assert (column, start) == ("first_response_at", "opened_at")
    amount = row_numbers(minutes_column, "first_reply_minutes")[keep]
    bad = np.flatnonzero(amount < 0)
    if bad.size:
        raise EngineError(f"first_reply_minutes is {amount[bad[0]]:g} in row {int(np.flatnonzero(keep)[bad[0]]) + 1} "
                          f"of the data; a duration is 0 or more", argument="data")
    delta = np.round(np.nan_to_num(amount) * _UNIT_NS[unit]).astype(np.int64).view("timedelta64[ns]")
    return np.where(np.isnan(amount), np.datetime64("NaT", "ns"), o.astype("datetime64[ns]") + delta)


def _support(col: dict, period: str, calendar: str, options: dict, headers: dict[str, str]) -> pd.DataFrame:
    """Per period, as the support_complaints report assigns a ticket to a month: the tickets opened
    in it (count, first-response times, SLA), and the resolution times of the tickets resolved in it
    (``resolved_in_period``), whenever they were opened."""
    n = len(col["opened_at"])
    blank = pd.Series(np.full(n, np.datetime64("NaT"), "datetime64[ns]"))
    minutes = col.get("first_reply_minutes")
    flat = flat_ranges(opened_at=col["opened_at"], first_response_at=col.get("first_response_at", blank),
                       resolved_at=col.get("resolved_at", blank),
                       **({"first_reply_minutes": minutes} if minutes is not None else {}))
    o = row_dates(flat["opened_at"], "opened_at", calendar=calendar)
    f = row_dates(flat["first_response_at"], "first_response_at", calendar=calendar)
    r = row_dates(flat["resolved_at"], "resolved_at", calendar=calendar)
    keep = check_rows({"opened_at": np.isnat(o), "first_response_at": np.isnat(f), "resolved_at": np.isnat(r)},
                      1, required=("opened_at",))
    o, f, r = o[keep], f[keep], r[keep]
    if "status" in col:   # a ticket open again is not resolved (engines.status, the report's rule)
        from .status import open_mask, reopened_note
        reopen = open_mask(col["status"].to_numpy(dtype=object))[keep] & ~np.isnat(r)
        if reopen.any():
            r = np.where(reopen, np.datetime64("NaT", "ns"), r.astype("datetime64[ns]"))
            reopened_note(options, int(reopen.sum()), headers["resolved_at"], headers["status"])
    if minutes is not None:
        f = _first_response(o, flat["first_reply_minutes"], keep)
    from .status import early_note
    for name in ("resolved_at", "first_response_at"):   # before it opened: left out, as report does
        end = r if name == "resolved_at" else f
        early = ~np.isnat(end) & ~np.isnat(o) & (end < o)
        if early.any():
            end = np.where(early, np.datetime64("NaT", "ns"), end.astype("datetime64[ns]"))
            early_note(options, name, headers[name], int(early.sum()))
            r, f = (end, f) if name == "resolved_at" else (r, end)
    if "tags" in col or "status" in col:   # merged and deleted tickets: left out, last, as report does
        from .status import gone_mask, gone_note
        kept = np.flatnonzero(keep)
        tg = col["tags"].to_numpy(dtype=object)[kept] if "tags" in col else None
        st = col["status"].to_numpy(dtype=object)[kept] if "status" in col else None
        out_, merged, gone = gone_mask(tg, st, len(kept))
        if out_.any():
            gone_note(options, merged, gone)
            o, f, r = o[~out_], f[~out_], r[~out_]
    for end, name in ((r, "resolved_at"), (f, "first_response_at")):  # errors name the row, once
        _na(lambda: service.avg_resolution_time(o, end) if name == "resolved_at"
            else service.first_response_time(o, end))
    sla = float(options.get("sla_hours", 24))
    as_of = options.get("as_of")
    if as_of is None and "resolved_at" in col:   # the latest time in the tickets, as report fills sla_as_of
        from .status import as_of_note
        times = np.concatenate([x[~np.isnat(x)].astype("datetime64[ns]") for x in (o, f, r)])
        as_of = as_of_note(options, times.max() if times.size else None)
    pct = tuple(options.get("percentiles", (0.5, 0.9)))
    o_ord = calendars.period_ordinals(o, period, calendar, arg="opened_at")
    done = ~np.isnat(r)
    r_ord = calendars.period_ordinals(r[done], period, calendar, arg="resolved_at")
    first = int(min(o_ord.min(), r_ord.min() if r_ord.size else o_ord.min()))
    last = int(max(o_ord.max(), r_ord.max() if r_ord.size else o_ord.max()))
    periods, groups = _groups(o_ord, first, last)
    _, solved = _groups(r_ord, first, last)
    o_done, r_done = o[done], r[done]
    out = _head(periods, period, calendar)
    rows = []
    for g, s in zip(groups, solved):
        og, fg, rg = o[g], f[g], r[g]
        os_, rs = o_done[s], r_done[s]
        row = {"tickets": len(g), "resolved_in_period": len(s),
               "resolution_mean_hours": _na(lambda: service.avg_resolution_time(os_, rs))}
        for p in pct:
            row[f"resolution_p{p * 100:g}_hours"] = _na(lambda: service.resolution_time_percentile(os_, rs, p))
        row["replied"] = int((~np.isnat(fg)).sum())
        row["first_response_mean_hours"] = _na(lambda: service.first_response_time(og, fg, "mean"))
        for p in pct:
            row[f"first_response_p{p * 100:g}_hours"] = _na(lambda: service.resolution_time_percentile(og, fg, p))
        closed = ~np.isnat(rg)
        hours = (rg[closed] - og[closed]) / np.timedelta64(3600, "s")
        row["sla_met"] = int(np.count_nonzero(hours <= sla + 1e-9))
        judged = int(closed.sum())
        if as_of is not None:
            waited = (np.datetime64(pd.Timestamp(as_of)) - og[~closed]) / np.timedelta64(3600, "s")
            judged += int(np.count_nonzero(waited > sla + 1e-9))
        row["sla_judged"] = judged
        row["sla_compliance"] = _na(lambda: service.sla_compliance(og, rg, sla, as_of))
        rows.append(row)
    return pd.concat([pd.DataFrame(out), pd.DataFrame(rows)], axis=1)


def _survey(col: dict, period: str, calendar: str, options: dict, csat_header: str | None) -> pd.DataFrame:
    n = len(col["submitted_at"])
    blank = pd.Series(np.full(n, np.nan))
    names = ("nps_score", "csat_score", "ces_score")
    flat = flat_ranges(submitted_at=col["submitted_at"], **{k: col.get(k, blank) for k in names})
    d = row_dates(flat["submitted_at"], "submitted_at", calendar=calendar)
    scores = {k: row_numbers(flat[k], k) for k in names}
    keep = check_rows({"submitted_at": np.isnat(d), **{k: np.isnan(v) for k, v in scores.items()}}, 1,
                      required=("submitted_at",))
    d = d[keep]
    scores = {k: v[keep] for k, v in scores.items()}
    top, ces_top = int(options.get("csat_scale_max", 5)), int(options.get("ces_scale_max", 7))
    thr = options.get("csat_threshold")
    survey_kpi.whole_scores(pd.Series(scores["nps_score"]), "nps_score", 0, 10, "0-10")  # row-named errors
    survey_kpi.scale_scores(pd.Series(scores["csat_score"]), top, "csat_score")
    survey_kpi.scale_scores(pd.Series(scores["ces_score"]), ces_top, "ces_score")
    cs_all = scores["csat_score"]
    if csat_header is not None and (~np.isnan(cs_all)).any():
        csat_scale(options, csat_header, float(np.nanmin(cs_all)), float(np.nanmax(cs_all)))
    periods, groups = _groups(calendars.period_ordinals(d, period, calendar, arg="submitted_at"))
    out = _head(periods, period, calendar)
    rows = []
    for g in groups:
        nps_s = pd.Series(scores["nps_score"][g])
        cs, ce = pd.Series(scores["csat_score"][g]), pd.Series(scores["ces_score"][g])
        c = survey_kpi.nps_counts(nps_s)
        rows.append({
            "nps_respondents": c.respondents, "promoters": c.promoters, "passives": c.passives,
            "detractors": c.detractors, "nps": _na(lambda: survey_kpi.nps(nps_s)),
            "csat_responses": int(cs.notna().sum()),
            "csat_satisfied": int((cs >= (survey_kpi.satisfied_from(top) if thr is None else float(thr))).sum()),
            "csat": _na(lambda: survey_kpi.csat(cs, top, thr)),
            "csat_average": _na(lambda: survey_kpi.csat_average(cs, top)),
            "ces_responses": int(ce.notna().sum()), "ces": _na(lambda: survey_kpi.ces(ce, ces_top)),
        })
    return pd.concat([pd.DataFrame(out), pd.DataFrame(rows)], axis=1)


def _spans_by_customer(col: dict, start_col: pd.Series, end_col: pd.Series, firsts: np.ndarray) -> pd.DataFrame:
    """:func:`_spans` counting customers, not rows, by sets of ids per month (the reference for
    ``tables.customers.monthly_counts_from_spans`` with ids and the SQL ``SPANS_BY_CUSTOMER``): a
    customer is active on a day when any of its rows is; per month [f, next) S = active at the close
    of the day before f, E = active at the close of its last day, J = a row starting in it; new = J
    not in S, lost = (S or J) not in E. Rows without a date are skipped (a lead); a dated row with a
    blank id is a customer of its own. The rows were checked by :func:`_spans`."""
    flat = flat_ranges(customer_ids=col["customer_id"], start=start_col, end=end_col)
    start = row_dates(flat["start"], "start_dates").astype("datetime64[D]")   # read by _spans, calendar and all
    end = row_dates(flat["end"], "end_dates", open_end=True).astype("datetime64[D]")
    cust = row_codes(flat["customer_ids"], "customer_ids")[0].copy()
    blank = cust < 0
    cust[blank] = cust.max(initial=-1) + 1 + np.arange(int(blank.sum()))
    dated = ~np.isnat(start)
    cust, start, end = cust[dated], start[dated], end[dated]
    is_open = np.isnat(end)
    # a row starting the day after another of its customer ends continues it (a contract's inclusive end
    # and its renewal row: tables.churn.customer_spells): that row's end moves to the next start
    starts = set(zip(cust.tolist(), start.astype(np.int64).tolist()))
    nxt_day = np.array([not o and (c, int(e) + 1) in starts
                        for c, e, o in zip(cust.tolist(), end.astype(np.int64).tolist(), is_open.tolist())], dtype=bool)
    end = np.where(nxt_day, end + np.timedelta64(1, "D"), end)
    rows = []
    for j in range(len(firsts) - 1):
        f, nxt = firsts[j], firsts[j + 1]
        at_start = set(cust[(start < f) & (is_open | (end >= f))].tolist())
        at_end = set(cust[(start < nxt) & (is_open | (end >= nxt))].tolist())
        joined = set(cust[(start >= f) & (start < nxt)].tolist())
        rows.append((len(at_start), len(joined - at_start), len((at_start | joined) - at_end), len(at_end)))
    counts = np.array(rows, dtype=np.int64).reshape(-1, 4)
    return pd.DataFrame({"month": firsts[:-1].astype("datetime64[ns]"), "customers_start": counts[:, 0],
                         "customers_new": counts[:, 1], "customers_lost": counts[:, 2],
                         "customers_end": counts[:, 3]})
