"""The SQL definitions, written once (DuckDB's dialect; Spark gets them through sqlglot).

Three steps per table, each a statement over the source view ``src``:

1. ``base``: one row per source row with the table's fields in canonical names and types (ids as
   trimmed text, amounts and scores as DOUBLE, dates as DATE, times as TIMESTAMP, month labels such
   as ``1403-06`` -- Persian or Arabic digits too -- as a month ordinal ``year * 12 + month - 1``),
   and for each field a ``p_`` flag (the cell is filled) and a ``b_`` flag (filled but unreadable);
2. ``checks``: one row of counts (unreadable cells, half-filled rows, negative MRR, ends before
   starts, scores off the scale) with an example each, and the first and last day, from which
   :mod:`xl_cskpi.engines.run` refuses bad input with one line and builds the calendar lookup;
3. ``keep``: the filled rows with their period ordinal (:mod:`xl_cskpi.calendars`' numbering:
   month ``year * 12 + month - 1`` of the chosen calendar, quarter ``year * 4 + quarter - 1``, days
   since 1970-01-01, weeks from Monday (Gregorian) or Saturday), then the table's aggregate query.

Gregorian months come from ``YEAR``/``MONTH``; Jalali and Hijri months from the table ``cal_days``
(one row per day of the data's span: ``d DATE, m BIGINT``), joined by date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..kpi.survey import satisfied_from
from .common import Field, fields
from .numbers import PROOF, UNDECIDED, maybe_undecided, plain_sql, sql_number, undecided_marks
from .zones import ZONE_SUFFIX, shift_sql

_DIGITS_FROM = "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
_DIGITS_TO = "01234567890123456789"
_LABEL = "^[0-9]{4} *[-/.] *[0-9]{1,2}$"
#: A time followed by a UTC offset (``10:00-07:00``, ``10:00:00Z``): read as the instant, on the UTC clock.
OFFSET = "[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$"
#: A text date whose year is 1300-1499 (after Persian/Arabic digits are made Latin), with its day: the
#: local-calendar years of :func:`xl_cskpi.cells.dates` (a month label such as 1403-06 is read, not this).
LOCAL_DATE = "^1[34][0-9]{2} *[-/.] *[0-9]{1,2} *[-/.] *[0-9]{1,2}([^0-9]|$)"
_OPEN_END = "DATE '2262-04-12'"   # an end date from here on ("9999-12-31") means still active
#: Days added before ``// 7`` so weeks start on Monday (ISO) or Saturday (calendars._WEEK_SHIFT).
WEEK_SHIFT = {"gregorian": 3, "jalali": 5, "hijri": 5}


def _maybe_offset(h: str) -> str:
    """A cheap test before the pattern: the text has a ':' (a time) and ends in Z, or has a sign 3, 5
    or 6 characters from its end (+03, +0330, +03:30); a plain "2024-06-01" never runs the pattern."""
    t = f"TRIM({h})"
    return (f"(INSTR({h}, ':') > 0 AND (RIGHT({t}, 1) IN ('Z', 'z') OR LEFT(RIGHT({t}, 3), 1) IN ('+', '-') "
            f"OR LEFT(RIGHT({t}, 5), 1) IN ('+', '-') OR LEFT(RIGHT({t}, 6), 1) IN ('+', '-')))")


def q(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _digits(expr: str) -> str:
    return f"TRANSLATE(TRIM({expr}), '{_DIGITS_FROM}', '{_DIGITS_TO}')"


@dataclass
class Plan:
    table: str
    mode: str
    columns: dict[str, str]          # canonical -> source header
    types: dict[str, str]            # source header -> string|date|timestamp|integer|float|other
    calendar: str
    options: dict = field(default_factory=dict)

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for f in fields(self.table, self.mode) if f.name in self.columns)

    @property
    def row_names(self) -> list[str]:
        """The fields whose filled cell makes a row (a status alone does not: it describes a ticket; an id
        alone in a customer list does not either: a lead, not yet a customer)."""
        return [f.name for f in self.fields if f.kind not in ("status", "tags")
                and not (self.mode == "spans" and f.name == "customer_id")]

    @property
    def period(self) -> str:
        return self.options.get("period", "month")

    # ------------------------------------------------------------------ step 1: base

    def _present(self, f: Field) -> str:
        h = q(self.columns[f.name])
        t = self.types[self.columns[f.name]]
        if t == "string":
            none = self._answers(f)[1]   # a survey's "Not answered": a blank (engines.answers)
            skip = f" AND CAST({h} AS VARCHAR) NOT IN ({', '.join(lit(v) for v in none)})" if none else ""
            return f"({h} IS NOT NULL AND TRIM({h}) <> ''{skip})"
        if t == "float":
            return f"({h} IS NOT NULL AND NOT ISNAN({h}))"
        return f"({h} IS NOT NULL)"

    def _typed(self, f: Field) -> dict[str, str]:
        """Canonical columns of one field (SQL expressions by output name)."""
        h = q(self.columns[f.name])
        t = self.types[self.columns[f.name]]
        n = f.name
        if f.kind == "id":
            if t == "float":
                return {n: f"CASE WHEN {h} = FLOOR({h}) AND ABS({h}) < 1e15 THEN CAST(CAST({h} AS BIGINT) AS VARCHAR) "
                           f"ELSE CAST({h} AS VARCHAR) END"}
            if t == "string":
                return {n: f"NULLIF(TRIM({h}), '')"}
            if t == "integer":  # whole-number ids stay numbers: the same customers, faster to hash
                return {n: f"CAST({h} AS BIGINT)"}
            return {n: f"CAST({h} AS VARCHAR)"}
        if f.kind == "tags":   # Zendesk's closed_by_merge (engines.status.MERGED_TAGS)
            return {"merged": f"COALESCE(LOWER(CAST({h} AS VARCHAR)) LIKE '%closed_by_merge%', FALSE)"}
        if f.kind == "status":   # open again: the raw texts engines.status found open (run.execute)
            opened = self.options.get("_open_statuses") or []
            test = f"CAST({h} AS VARCHAR) IN ({', '.join(lit(v) for v in opened)})" if opened else "FALSE"
            return {"reopen": f"COALESCE({test}, FALSE)",
                    "deleted": f"COALESCE(LOWER(TRIM(CAST({h} AS VARCHAR))) = 'deleted', FALSE)"}
        if f.kind in ("money", "score", "duration"):
            if t in ("integer", "float"):
                return {n: f"CAST({h} AS DOUBLE)"}
            if t == "string":   # plain numbers (or with a decimal comma): engines.numbers
                number = sql_number(_digits(h), self.options.get("decimal"))
                labels, none = self._answers(f)   # answer labels and non-answers (engines.answers)
                if labels or none:
                    cases = [f"WHEN {lit(v)} THEN {x!r}" for v, x in labels.items()]
                    cases += [f"WHEN {lit(v)} THEN CAST(NULL AS DOUBLE)" for v in none]
                    number = f"CASE CAST({h} AS VARCHAR) {' '.join(cases)} ELSE {number} END"
                return {n: number}
            return {n: "CAST(NULL AS DOUBLE)"}
        if f.kind == "datetime":
            if t in ("timestamp", "date"):
                return {n: f"CAST({h} AS TIMESTAMP)"}
            if t == "string":
                return {n: self._instant(h)}
            return {n: "CAST(NULL AS TIMESTAMP)"}
        # date or month: a day, and for text months a label ordinal
        if t in ("timestamp", "date"):
            day = f"CAST({h} AS DATE)"
        elif t == "string":
            day = f"CAST({self._instant(h)} AS DATE)"
        else:
            day = "CAST(NULL AS DATE)"
        out = {f"{n}_day": day}
        if f.kind == "month":
            if t == "string":
                s = _digits(h)
                # TRY_CAST: Spark's ANSI mode raises on CAST('' AS BIGINT) (a cell that is no label)
                y = f"TRY_CAST(REGEXP_EXTRACT({s}, '^([0-9]{{4}})', 1) AS BIGINT)"
                m = f"TRY_CAST(REGEXP_EXTRACT({s}, '([0-9]{{1,2}})$', 1) AS BIGINT)"
                out[f"{n}_lbl"] = (f"CASE WHEN REGEXP_MATCHES({s}, '{_LABEL}') AND {m} BETWEEN 1 AND 12 "
                                   f"THEN {y} * 12 + {m} - 1 END")
                out[f"{n}_islbl"] = f"REGEXP_MATCHES({s}, '{_LABEL}')"
                out[f"{n}_day"] = f"CASE WHEN REGEXP_MATCHES({s}, '{_LABEL}') THEN CAST(NULL AS DATE) ELSE {day} END"
            else:
                out[f"{n}_lbl"] = "CAST(NULL AS BIGINT)"
                out[f"{n}_islbl"] = "FALSE"
        return out

    def _answers(self, f: Field) -> tuple[dict[str, float], list[str]]:
        """The nps_score texts read as a score (answer labels) and as a blank (non-answers), as
        :mod:`xl_cskpi.engines.answers` read them (``options["_nps_answers"]``); none for other fields."""
        found = (self.options.get("_nps_answers") or {}) if f.name == "nps_score" else {}
        return ({v: x for v, x in found.items() if x is not None}, [v for v, x in found.items() if x is None])

    def _instant(self, h: str) -> str:
        """A text time as TIMESTAMP: with a UTC offset, the instant on the UTC clock; without one, as
        written. Both sessions run in UTC, so one cast through the zone-aware type does both (a text
        without an offset is taken as UTC's wall clock, the same time). When the run reads offsets on
        another clock (``options["_zone"]``, :mod:`xl_cskpi.engines.zones`), the times that carried
        one get that clock's offset of their instant added."""
        utc = f"CAST(TRY_CAST({_digits(h)} AS TIMESTAMPTZ) AS TIMESTAMP)"
        zone = self.options.get("_zone")
        if zone is None:
            return utc
        shift = shift_sql(utc, *zone)
        if shift is None:
            return utc
        return f"CASE WHEN {self.has_offset(h)} THEN {utc} + INTERVAL ({shift}) MINUTE ELSE {utc} END"

    @staticmethod
    def has_offset(h: str) -> str:
        """SQL true when the text ``h`` is a time written with a UTC offset."""
        return f"({_maybe_offset(h)} AND REGEXP_MATCHES({_digits(h)}, '{OFFSET}'))"

    def offsets_sql(self, name: str) -> str:
        """The distinct offsets (as written: Z, -07:00, +0330) of the text column of field ``name``."""
        h = q(self.columns[name])
        return (f"SELECT DISTINCT REGEXP_EXTRACT({_digits(h)}, '{ZONE_SUFFIX}', 1) AS z FROM "
                f"{self.options.get('_src', 'src')} "
                f"WHERE {self.has_offset(h)}")

    def base_sql(self) -> str:
        cols = []
        for f in self.fields:
            typed = self._typed(f)
            for name, expr in typed.items():
                cols.append(f"{expr} AS {name}")
            cols.append(f"{self._present(f)} AS p_{f.name}")
            cols.append(f"CAST({q(self.columns[f.name])} AS VARCHAR) AS r_{f.name}")
        return "SELECT " + ", ".join(cols) + f" FROM {self.options.get('_src', 'src')}"

    # ------------------------------------------------------------------ step 2: checks

    def _value_ok(self, f: Field) -> str:
        """SQL true when the field's filled cell was read."""
        if f.kind in ("status", "tags"):
            return "TRUE"
        if f.kind in ("money", "score", "duration") and self.types[self.columns[f.name]] == "string":
            labels = self._answers(f)[0]   # "0 - Not at all satisfied" ends in a d: no Spark 1.5d
            known = f"r_{f.name} IN ({', '.join(lit(v) for v in labels)}) OR " if labels else ""
            return f"({known}{plain_sql(f.name, f'r_{f.name}')})"
        if f.kind in ("date", "month"):
            extra = f" OR {f.name}_lbl IS NOT NULL" if f.kind == "month" else ""
            return f"({f.name}_day IS NOT NULL{extra})"
        return f"({f.name} IS NOT NULL)"

    def checks(self) -> dict[str, str]:
        """name -> aggregate SQL over ``base`` (one row); see :func:`xl_cskpi.engines.run.check`."""
        names = self.row_names
        any_present = " OR ".join(f"p_{n}" for n in names)
        out: dict[str, str] = {"rows": f"COUNT(CASE WHEN {any_present} THEN 1 END)"}
        for f in self.fields:
            bad = f"p_{f.name} AND NOT {self._value_ok(f)}"
            out[f"bad:{f.name}"] = f"COUNT(CASE WHEN {bad} THEN 1 END)"
            out[f"bad_example:{f.name}"] = f"MIN(CASE WHEN {bad} THEN r_{f.name} END)"
            if f.required and not f.blank_ok:
                others = " OR ".join(f"p_{n}" for n in names if n != f.name) or "FALSE"
                partial = f"NOT p_{f.name} AND ({others})"
                out[f"partial:{f.name}"] = f"COUNT(CASE WHEN {partial} THEN 1 END)"
            marks = undecided_marks(f.name, self.options) if f.kind in ("money", "score", "duration") else None
            if marks is not None and self.types[self.columns[f.name]] == "string":  # 1.2 or 1,200? (engines.numbers)
                r = _digits(f"r_{f.name}")
                und = (f"p_{f.name} AND {maybe_undecided('r_' + f.name, marks)} AND "
                       f"REGEXP_MATCHES({r}, '{UNDECIDED[marks]}')")
                out[f"undecided:{f.name}"] = f"COUNT(CASE WHEN {und} THEN 1 END)"
                out[f"undecided_example:{f.name}"] = f"MIN(CASE WHEN {und} THEN TRIM(r_{f.name}) END)"
            if f.kind in ("date", "datetime", "month") and self.types[self.columns[f.name]] == "string":
                # a text date of the year 1300-1499 (1403/02/31, ۱۴۰۳/۰۶/۰۳): a Jalali or Hijri date, said
                # before any "not a date" (the 31st of a Jalali month is no Gregorian day): run.check
                r = _digits(f"r_{f.name}")
                local = f"p_{f.name} AND LEFT({r}, 2) IN ('13', '14') AND REGEXP_MATCHES({r}, '{LOCAL_DATE}')"
                out[f"local:{f.name}"] = f"COUNT(CASE WHEN {local} THEN 1 END)"
                out[f"local_example:{f.name}"] = f"MIN(CASE WHEN {local} THEN TRIM(r_{f.name}) END)"
                out[f"offsets:{f.name}"] = f"COUNT(CASE WHEN {self.has_offset('r_' + f.name)} THEN 1 END)"
                if self.options.get("_zone") is not None:   # the converted times that carried an offset
                    v = f"{f.name}_day" if f.kind != "datetime" else f.name
                    out[f"min_off:{f.name}"] = f"MIN(CASE WHEN {self.has_offset('r_' + f.name)} THEN {v} END)"
                    out[f"max_off:{f.name}"] = f"MAX(CASE WHEN {self.has_offset('r_' + f.name)} THEN {v} END)"
            if f.kind in ("date", "month", "datetime"):
                day = f"{f.name}_day" if f.kind != "datetime" else f"CAST({f.name} AS DATE)"
                if self.mode == "spans" and f.name == "end":  # 9999-12-31 is "still active", not a month
                    day = f"CASE WHEN {day} >= {_OPEN_END} THEN CAST(NULL AS DATE) ELSE {day} END"
                out[f"min_day:{f.name}"] = f"MIN({day})"
                out[f"max_day:{f.name}"] = f"MAX({day})"
            if f.kind == "month" and self.calendar != "gregorian" and self.period == "month":
                # Gregorian monthly dates in another calendar's months (run.check_month_fit)
                out[f"ndays:{f.name}"] = f"COUNT(DISTINCT {f.name}_day)"
                out[f"ngmonths:{f.name}"] = (f"COUNT(DISTINCT YEAR({f.name}_day) * 12 + MONTH({f.name}_day))")
            if f.kind == "month":
                out[f"labels:{f.name}"] = f"COUNT(CASE WHEN p_{f.name} AND {f.name}_islbl THEN 1 END)"
                out[f"dates:{f.name}"] = f"COUNT(CASE WHEN {f.name}_day IS NOT NULL THEN 1 END)"
                out[f"min_lbl:{f.name}"] = f"MIN({f.name}_lbl)"
                out[f"max_lbl:{f.name}"] = f"MAX({f.name}_lbl)"
        if "mrr" in names and self.table == "cohorts":   # 0, blank, negative: no activity (a note)
            out["idle:mrr"] = f"COUNT(CASE WHEN ({any_present}) AND NOT COALESCE(mrr > 0, FALSE) THEN 1 END)"
        elif "mrr" in names:
            out["negative:mrr"] = "COUNT(CASE WHEN mrr < 0 THEN 1 END)"
            out["negative_example:mrr"] = "MIN(mrr)"
        if self.table == "monthly_churn" and self.mode == "spans" and "end" in names:
            back = "end_day < start_day"
            out["backwards:end"] = f"COUNT(CASE WHEN {back} THEN 1 END)"
            out["backwards_example:end"] = f"MIN(CASE WHEN {back} THEN r_end END)"
        if self.table == "support_summary":
            if "first_reply_minutes" in names:
                out["negative:first_reply_minutes"] = "COUNT(CASE WHEN first_reply_minutes < 0 THEN 1 END)"
                out["negative_example:first_reply_minutes"] = "MIN(first_reply_minutes)"
            if "tags" in self.columns or "status" in self.columns:   # merged or deleted: left out
                merged = "merged" if "tags" in self.columns else "FALSE"
                deleted = "deleted" if "status" in self.columns else "FALSE"
                out["merged"] = f"COUNT(CASE WHEN ({any_present}) AND {merged} THEN 1 END)"
                out["deleted"] = f"COUNT(CASE WHEN ({any_present}) AND {deleted} AND NOT ({merged}) THEN 1 END)"
            # the latest time in the kept tickets: as_of not given (run.execute), in this same pass
            keepers = [f"({any_present})"] + [x for x, c in (("NOT merged", "tags"), ("NOT deleted", "status"))
                                                 if c in self.columns]
            kept = " AND ".join(keepers)
            out["last:o"] = f"MAX(CASE WHEN {kept} THEN opened_at END)"
            if "resolved_at" in names:
                no = " AND NOT reopen" if "status" in self.columns else ""
                out["last:r"] = f"MAX(CASE WHEN {kept}{no} AND resolved_at >= opened_at THEN resolved_at END)"
            if "first_response_at" in names:
                out["last:f"] = (f"MAX(CASE WHEN {kept} AND first_response_at >= opened_at THEN first_response_at END)")
            elif "first_reply_minutes" in names:
                out["last:f"] = (f"MAX(CASE WHEN {kept} THEN opened_at + INTERVAL (CAST(ROUND(first_reply_minutes * "
                                 "60000000.0) AS BIGINT)) MICROSECOND END)")
            reopen = "status" in self.columns and "resolved_at" in names
            if reopen:   # a resolved time on a ticket open again: left out (engines.status)
                out["reopened"] = "COUNT(CASE WHEN reopen AND resolved_at IS NOT NULL THEN 1 END)"
            for n in ("first_response_at", "resolved_at"):   # left out, counted for a note (engines.status)
                if n in names:
                    back = f"{n} < opened_at" + (" AND NOT reopen" if reopen and n == "resolved_at" else "")
                    out[f"early:{n}"] = f"COUNT(CASE WHEN {back} THEN 1 END)"
        if self.table == "survey_by_period":
            for n, (lo, hi) in self.scales().items():
                if n in names:
                    off = f"({n} < {lo} OR {n} > {hi} OR {n} <> FLOOR({n}))"
                    out[f"scale:{n}"] = f"COUNT(CASE WHEN {off} THEN 1 END)"
                    out[f"scale_example:{n}"] = f"MIN(CASE WHEN {off} THEN {n} END)"
            if "csat_score" in names:   # the answers' range: common.csat_scale
                out["low:csat_score"], out["high:csat_score"] = "MIN(csat_score)", "MAX(csat_score)"
        return out

    def proof_sql(self, name: str) -> str:
        """One row if a cell of field ``name`` proves a decimal point (engines.numbers.PROOF), else none:
        asked only of a column with undecided cells, and it stops at the first proof."""
        r = _digits(f"r_{name}")
        return f"SELECT 1 AS x FROM base WHERE p_{name} AND REGEXP_MATCHES({r}, '{PROOF}') LIMIT 1"

    def scales(self) -> dict[str, tuple[int, int]]:
        return {"nps_score": (0, 10), "csat_score": (1, int(self.options.get("csat_scale_max", 5))),
                "ces_score": (1, int(self.options.get("ces_scale_max", 7)))}

    def checks_sql(self) -> tuple[list[str], str]:
        c = self.checks()
        keys = list(c)
        return keys, "SELECT " + ", ".join(f"{expr} AS c{i}" for i, expr in enumerate(c.values())) + " FROM base"

    # ------------------------------------------------------------------ step 3: keep + aggregates

    def _ordinal(self, day: str, lbl: str | None, lookup: str) -> str:
        """Period ordinal of a day column (and of a month-label ordinal column, when given)."""
        p, cal = self.period, self.calendar
        if p == "day":
            return f"DATE_DIFF('day', DATE '1970-01-01', {day})"
        if p == "week":
            return f"CAST(FLOOR((DATE_DIFF('day', DATE '1970-01-01', {day}) + {WEEK_SHIFT[cal]}) / 7.0) AS BIGINT)"
        month = (f"(YEAR({day}) * 12 + MONTH({day}) - 1)" if cal == "gregorian" else f"{lookup}.m")
        if lbl is not None:
            month = f"COALESCE({lbl}, {month})"
        if p == "month":
            return f"CAST({month} AS BIGINT)"
        return f"CAST(FLOOR({month} / 12.0) * 4 + FLOOR(({month} - FLOOR({month} / 12.0) * 12) / 3.0) AS BIGINT)"

    def needs_lookup(self) -> bool:
        return self.calendar != "gregorian" and self.period in ("month", "quarter", "week")

    def keep_sql(self) -> str:
        """The filled rows with their period ordinal ``o`` (and, for spans, ``oe`` of the end)."""
        names = self.row_names
        any_present = " OR ".join(f"b.p_{n}" for n in names)
        joins, sel = [], []
        if self.table in ("movements", "monthly_churn", "finance", "subscriptions") and self.mode != "spans":
            sel = ["b.customer_id AS c", "COALESCE(b.mrr, 0.0) AS v",
                   self._ordinal("b.month_day", "b.month_lbl", "k1") + " AS o"]
            day = "b.month_day"
        elif self.table == "cohorts":
            sel = ["b.customer_id AS c", self._ordinal("b.activity_date_day", "b.activity_date_lbl", "k1") + " AS o"]
            if "mrr" in names:   # paid: activity (COHORT_RETENTION's amounts); the others only date the data
                sel.append("COALESCE(b.mrr > 0, FALSE) AS a")
            day = "b.activity_date_day"
        elif self.mode == "spans":
            return self._spans_keep(any_present)
        elif self.table == "support_summary":
            # first-response hours: from first_response_at, else opened_at + Zendesk's first reply time
            # in minutes (exports.profiles.DERIVED); a ticket's resolution belongs to its resolved period
            if "first_response_at" in names:   # before it opened: left out, as report does
                fh = ("CASE WHEN b.first_response_at >= b.opened_at THEN "
                      "DATE_DIFF('microsecond', b.opened_at, b.first_response_at) / 3600000000.0 END")
            elif "first_reply_minutes" in names:
                fh = "b.first_reply_minutes / 60.0"
            else:
                fh = "CAST(NULL AS DOUBLE)"
            r_at = "b.resolved_at" if "resolved_at" in names else "CAST(NULL AS TIMESTAMP)"
            if "resolved_at" in names:   # open again, or before it opened: not resolved (engines.status)
                reopen = "b.reopen OR " if "status" in self.columns else ""
                r_at = (f"CASE WHEN {reopen}b.resolved_at < b.opened_at THEN CAST(NULL AS TIMESTAMP) "
                        "ELSE b.resolved_at END")
            sel = ["b.opened_at AS o_at", f"{r_at} AS r_at", f"{fh} AS fh",
                   self._ordinal("CAST(b.opened_at AS DATE)", None, "k1") + " AS o",
                   f"CASE WHEN {r_at} IS NOT NULL THEN "
                   + self._ordinal(f"CAST({r_at} AS DATE)", None, "k2") + " END AS ro"]
            day = "CAST(b.opened_at AS DATE)"
            if self.needs_lookup():
                joins.append(f"LEFT JOIN cal_days k2 ON CAST({r_at} AS DATE) = k2.d")
        else:  # survey
            sel = [f"b.{n} AS {n}" if n in names else f"CAST(NULL AS DOUBLE) AS {n}"
                   for n in ("nps_score", "csat_score", "ces_score")]
            sel.append(self._ordinal("b.submitted_at_day", None, "k1") + " AS o")
            day = "b.submitted_at_day"
        if self.needs_lookup():
            joins.append(f"LEFT JOIN cal_days k1 ON {day} = k1.d")
        where = any_present
        if self.table == "support_summary":   # merged and deleted tickets: no support work (engines.status)
            gone = [f"b.{x}" for x, c in (("merged", "tags"), ("deleted", "status")) if c in self.columns]
            if gone:
                where = f"({any_present}) AND NOT ({' OR '.join(gone)})"
        return f"SELECT {', '.join(sel)} FROM base b {' '.join(joins)} WHERE {where}"

    def _spans_keep(self, any_present: str) -> str:
        lk = self.needs_lookup()
        end = (f"CASE WHEN end_day >= {_OPEN_END} THEN CAST(NULL AS DATE) ELSE end_day END"
               if "end" in self.columns else "CAST(NULL AS DATE)")
        j1 = "LEFT JOIN cal_days k1 ON b.start_day = k1.d " if lk else ""
        j2 = "LEFT JOIN cal_days k2 ON b.ed = k2.d " if lk else ""
        ids = "b.customer_id AS c, b.start_day AS sd, " if "customer_id" in self.columns else ""
        return (f"SELECT {ids}{self._ordinal('b.start_day', None, 'k1')} AS o, b.ed AS ed, "
                f"{self._ordinal('b.ed', None, 'k2')} AS oe "
                f"FROM (SELECT *, {end} AS ed FROM base) b {j1}{j2}WHERE {any_present}")

    def unmatched_sql(self) -> str:
        """Rows whose day found no calendar period (outside the lookup): must be none."""
        if self.mode == "spans":
            return "SELECT COUNT(CASE WHEN o IS NULL OR (ed IS NOT NULL AND oe IS NULL) THEN 1 END) AS n FROM keep"
        if self.table == "support_summary":
            return "SELECT COUNT(CASE WHEN o IS NULL OR (r_at IS NOT NULL AND ro IS NULL) THEN 1 END) AS n FROM keep"
        return "SELECT COUNT(CASE WHEN o IS NULL THEN 1 END) AS n FROM keep"

    def aggregate_sql(self) -> str:
        t = self.table
        if t == "subscriptions":
            return SUBSCRIPTIONS
        if t in ("movements", "monthly_churn", "finance") and self.mode != "spans":
            return MOVEMENTS
        if t == "cohorts":
            return COHORTS_PAID if "mrr" in self.row_names else COHORTS
        if self.mode == "spans":
            return SPANS_BY_CUSTOMER if "customer_id" in self.columns else SPANS
        if t == "support_summary":
            return self._support_sql()
        return self._survey_sql()

    def _support_sql(self) -> str:
        """Per period: the tickets opened in it (count, first response, SLA: ``a``) and those resolved
        in it (resolution times: ``r``), joined on the period."""
        sla = float(self.options.get("sla_hours", 24))
        pct = tuple(self.options.get("percentiles", (0.5, 0.9)))
        as_of = self.options.get("as_of")
        opened = ["o", "COUNT(*) AS tickets", "COUNT(fh) AS replied", "AVG(fh) AS frt_mean"]
        opened += [f"QUANTILE_CONT(fh, {float(p)!r}) AS frt_p{i}" for i, p in enumerate(pct)]
        opened.append("COUNT(rh) AS sla_resolved")
        opened.append(f"COUNT(CASE WHEN rh <= {sla!r} + 1e-9 THEN 1 END) AS sla_met")
        if as_of is not None:
            now = f"TIMESTAMP {lit(str(as_of))}"
            opened.append(f"COUNT(CASE WHEN r_at IS NULL AND DATE_DIFF('microsecond', o_at, {now}) / 3600000000.0 "
                          f"> {sla!r} + 1e-9 THEN 1 END) AS sla_open_breached")
        else:
            opened.append("0 AS sla_open_breached")
        solved = ["ro AS o", "COUNT(*) AS resolved", "AVG(rh) AS res_mean"]
        solved += [f"QUANTILE_CONT(rh, {float(p)!r}) AS res_p{i}" for i, p in enumerate(pct)]
        t = ("SELECT o, ro, o_at, r_at, fh, DATE_DIFF('microsecond', o_at, r_at) / 3600000000.0 AS rh FROM keep")
        counts = ("tickets", "replied", "sla_resolved", "sla_met", "sla_open_breached")
        means = ["frt_mean"] + [f"frt_p{i}" for i in range(len(pct))]
        cols = ["COALESCE(a.o, r.o) AS o"] + [f"COALESCE(a.{c}, 0) AS {c}" for c in counts]
        cols += [f"a.{c} AS {c}" for c in means] + ["COALESCE(r.resolved, 0) AS resolved", "r.res_mean AS res_mean"]
        cols += [f"r.res_p{i} AS res_p{i}" for i in range(len(pct))]
        return (f"WITH t AS ({t}), a AS (SELECT {', '.join(opened)} FROM t GROUP BY o), "
                f"r AS (SELECT {', '.join(solved)} FROM t WHERE ro IS NOT NULL GROUP BY ro) "
                f"SELECT {', '.join(cols)} FROM a FULL OUTER JOIN r ON a.o = r.o")

    def _survey_sql(self) -> str:
        top = int(self.options.get("csat_scale_max", 5))
        thr = self.options.get("csat_threshold")
        cut = float(satisfied_from(top) if thr is None else thr)   # CSAT's own boxes (kpi.survey)
        return ("SELECT o, COUNT(nps_score) AS nps_n, COUNT(CASE WHEN nps_score >= 9 THEN 1 END) AS promoters, "
                "COUNT(CASE WHEN nps_score >= 7 AND nps_score < 9 THEN 1 END) AS passives, "
                "COUNT(CASE WHEN nps_score <= 6 THEN 1 END) AS detractors, "
                f"COUNT(csat_score) AS csat_n, COUNT(CASE WHEN csat_score >= {cut!r} THEN 1 END) AS csat_sat, "
                "SUM(csat_score) AS csat_sum, COUNT(ces_score) AS ces_n, SUM(ces_score) AS ces_sum "
                "FROM keep GROUP BY o")


#: Per month: MRR and customers at the end, new, reactivated, expansion, contraction, and what
#: churns the month after (attributed to m + 1 by :mod:`xl_cskpi.engines.finish`).
MOVEMENTS = """
WITH cm AS (SELECT c, o AS m, SUM(v) AS v FROM keep GROUP BY c, o),
w AS (
  SELECT c, m, v,
         LAG(m) OVER (PARTITION BY c ORDER BY m) AS pm,
         LAG(v) OVER (PARTITION BY c ORDER BY m) AS pv,
         LEAD(m) OVER (PARTITION BY c ORDER BY m) AS nm
  FROM cm WHERE v > 0)
SELECT m,
  SUM(v) AS ending, COUNT(*) AS at_end,
  SUM(CASE WHEN pm IS NULL THEN v ELSE 0.0 END) AS new_mrr,
  COUNT(CASE WHEN pm IS NULL THEN 1 END) AS new_n,
  SUM(CASE WHEN pm < m - 1 THEN v ELSE 0.0 END) AS react_mrr,
  COUNT(CASE WHEN pm < m - 1 THEN 1 END) AS react_n,
  SUM(CASE WHEN pm = m - 1 AND v > pv THEN v - pv ELSE 0.0 END) AS exp_mrr,
  SUM(CASE WHEN pm = m - 1 AND v < pv THEN pv - v ELSE 0.0 END) AS con_mrr,
  SUM(CASE WHEN nm IS NULL OR nm > m + 1 THEN v ELSE 0.0 END) AS churn_next_mrr,
  COUNT(CASE WHEN nm IS NULL OR nm > m + 1 THEN 1 END) AS churn_next_n
FROM w GROUP BY m
"""

#: One row per paying customer-month: the Subscriptions table of the revenue and cohort reports.
SUBSCRIPTIONS = """
SELECT CAST(c AS VARCHAR) AS customer_id, o AS m, SUM(v) AS mrr FROM keep GROUP BY c, o HAVING SUM(v) > 0
"""

#: Customers per (cohort period, age): distinct activity periods joined to each customer's first.
COHORTS = """
WITH d AS (SELECT DISTINCT c, o FROM keep),
f AS (SELECT c, MIN(o) AS k FROM d GROUP BY c)
SELECT f.k AS k, d.o - f.k AS age, COUNT(*) AS n
FROM d JOIN f ON d.c = f.c
GROUP BY f.k, d.o - f.k
"""

#: COHORTS of the paid rows (an MRR column: ``a``, above 0), and a row ``n = 0`` at the last period of
#: every row (paid or not), up to which the triangle is observed (COHORT_RETENTION with amounts).
COHORTS_PAID = """
WITH d AS (SELECT DISTINCT c, o FROM keep WHERE a),
f AS (SELECT c, MIN(o) AS k FROM d GROUP BY c)
SELECT f.k AS k, d.o - f.k AS age, COUNT(*) AS n
FROM d JOIN f ON d.c = f.c
GROUP BY f.k, d.o - f.k
UNION ALL
SELECT MAX(o) AS k, 0 AS age, 0 AS n FROM keep
"""

#: Starts and ends per month of a customer list (cumulated into the Months table by finish).
SPANS = """
SELECT m, SUM(n_new) AS n_new, SUM(n_lost) AS n_lost FROM (
  SELECT o AS m, 1 AS n_new, 0 AS n_lost FROM keep
  UNION ALL
  SELECT oe AS m, 0 AS n_new, 1 AS n_lost FROM keep WHERE oe IS NOT NULL
) t GROUP BY m
"""

#: SPANS counting customers, not rows (a customer id column): each customer's rows merged into spells
#: of activity -- rows that overlap or touch are one spell, as tables.churn.customer_spells merges
#: them -- by a running maximum of the earlier rows' ends per customer; then per month the spells
#: started (``n_new``) and ended (``n_lost``), whose running difference is the customers active, and
#: the customers new in it (``n_cnew``: a spell starting in it that is the customer's first in the
#: month, after no spell or one that ended before the month). A row with a blank id is a customer of
#: its own. The last row adds the month of the latest end date (the months span the rows' dates).
SPANS_BY_CUSTOMER = """
WITH r AS (SELECT c, sd, ed, o, oe, COALESCE(ed, DATE '9999-12-31') AS e FROM keep WHERE c IS NOT NULL),
g AS (SELECT c, sd, ed, o, oe, e, MAX(e) OVER (PARTITION BY c ORDER BY sd, e
                                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pe FROM r),
h AS (SELECT c, ed, o, oe, SUM(CASE WHEN pe IS NULL OR DATE_DIFF('day', pe, sd) > 1 THEN 1 ELSE 0 END)
                                               OVER (PARTITION BY c ORDER BY sd, e
                                               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS k FROM g),
sp AS (SELECT c, k, MIN(o) AS ms, CASE WHEN COUNT(ed) = COUNT(*) THEN MAX(oe) END AS me FROM h GROUP BY c, k),
w AS (SELECT ms, me, LAG(ms) OVER (PARTITION BY c ORDER BY k) AS pms, LAG(me) OVER (PARTITION BY c ORDER BY k) AS pme
      FROM sp
      UNION ALL
      SELECT o AS ms, oe AS me, CAST(NULL AS BIGINT) AS pms, CAST(NULL AS BIGINT) AS pme FROM keep WHERE c IS NULL)
SELECT m, SUM(n_new) AS n_new, SUM(n_lost) AS n_lost, SUM(n_cnew) AS n_cnew FROM (
  SELECT ms AS m, 1 AS n_new, 0 AS n_lost,
         CASE WHEN pms IS NULL OR (pms < ms AND pme < ms) THEN 1 ELSE 0 END AS n_cnew FROM w
  UNION ALL
  SELECT me AS m, 0 AS n_new, 1 AS n_lost, 0 AS n_cnew FROM w WHERE me IS NOT NULL
  UNION ALL
  SELECT m, 0 AS n_new, 0 AS n_lost, 0 AS n_cnew FROM (SELECT MAX(oe) AS m FROM keep) x WHERE m IS NOT NULL
  UNION ALL
  -- the last start of any row, one merged into an earlier spell too (a next-day renewal): the table runs to it
  SELECT m, 0 AS n_new, 0 AS n_lost, 0 AS n_cnew FROM (SELECT MAX(o) AS m FROM keep) x WHERE m IS NOT NULL
) t GROUP BY m
"""
