"""The reader's rules for rows of a typed table (split from :mod:`.fill`, session 5): values out of
range and times in the wrong order (a later time left out), ids written on two keyboards folded, tickets
open again or merged or deleted, and totals rows. Each says what it did in the Data check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..cells import LATIN_DIGITS, factorize as cells_factorize
from ..exports.check import DataCheck
from .spec import Table

NUMBER_KINDS = ("count", "number", "money", "score", "rate")

#: Pairs (earlier, later) of datetime columns: a later one before the earlier one is out of range.
ORDERED = {
    "Tickets": (("opened_at", "first_response_at", "answered"), ("opened_at", "resolved_at", "resolved")),
}

#: How many row numbers a finding lists before "...".
SHOW_ROWS = 5

def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:SHOW_ROWS]))
    return shown + (", ..." if len(rows) > SHOW_ROWS else "")

def _fmt(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e15 else repr(x)

def _warn_rows(check: DataCheck, bad: np.ndarray, rows: np.ndarray, message: str, tb: Table, path: Path,
               column: str, fields: dict) -> None:
    """One ``out_of_range`` warning for the rows of ``bad``: the first named, the count and the rows."""
    bad_rows = [int(r) for r in rows[np.flatnonzero(bad)]]
    n = len(bad_rows)
    check.warn("out_of_range", message + (f" ({n:,} rows: {_rows_text(bad_rows)})" if n > 1 else ""),
               file=str(path), table=tb.name, row=bad_rows[0], column=column,
               fields={**fields, "count": n, "rows": bad_rows[:SHOW_ROWS]})

def _ranges(tb: Table, typed: dict[str, np.ndarray], rows: np.ndarray, headers: dict[str, str],
            path: Path, check: DataCheck) -> None:
    """Values outside a column's minimum/maximum, and datetimes in the wrong order, as warnings."""
    for c in tb.inputs:
        low = 0.0 if c.minimum is None and c.kind == "count" else c.minimum     # a count is never negative
        if c.key not in typed or c.kind not in NUMBER_KINDS or (low is None and c.maximum is None):
            continue
        x = typed[c.key]
        for bound, bad, word in ((low, x < (low if low is not None else 0), "below"),
                                 (c.maximum, x > (c.maximum if c.maximum is not None else 0), "above")):
            if bound is None or not bad.any():
                continue
            first = float(x[np.flatnonzero(bad)[0]])
            _warn_rows(check, bad, rows, f"{c.key} {_fmt(first)} is {word} the "
                       f"{'minimum' if word == 'below' else 'maximum'} {_fmt(bound)}", tb, path,
                       headers.get(c.key, c.key), {"field": c.key, "value": first, "bound": bound, "side": word})
    for first, later, verb in ORDERED.get(tb.name, ()):
        if first not in typed or later not in typed:
            continue
        a, b = typed[first], typed[later]
        bad = ~np.isnat(a) & ~np.isnat(b) & (b < a)
        if not bad.any():
            continue
        # the reviewer's U12: one migrated ticket solved before it was created made every duration
        # KPI of the dashboard #VALUE!; its later time is left out (the ticket counts as not
        # {verb}) and the rows are named, so the other tickets keep their numbers
        b = b.copy()
        b[bad] = np.datetime64("NaT")
        typed[later] = b
        _warn_rows(check, bad, rows, f"{later} is before {first}: {verb} before it began; that {later} is "
                   f"left out, so the ticket counts as not {verb}", tb, path,
                   headers.get(later, later), {"field": later, "before": first})

#: How two spellings of one id are compared (reviewer's G38): Persian and Arabic-Indic digits as 0-9,
#: Arabic yeh/alef maksura/kaf as the Persian letters, zero-width joiners, direction marks and tatweel
#: dropped -- the same keyboard differences the headers and the label functions already fold. Case
#: and every other character are kept: Stripe's cus_AbC and cus_abc are two customers.
ID_FOLD = {**LATIN_DIGITS, ord("ي"): "ی", ord("ى"): "ی", ord("ك"): "ک", 0x0640: None, 0x2066: None,
           0x2067: None, 0x2068: None, 0x2069: None, 0x202A: None, 0x202B: None, 0x202C: None}

def _fold_ids(tb: Table, typed: dict[str, np.ndarray], headers: dict[str, str], path: Path,
              check: DataCheck) -> None:
    """Ids written two ways (``C۱`` and ``C1``, ``ك-3`` and ``ک-3``: a Persian CRM typed on two
    keyboards) are one id: every spelling is replaced by the first one met, with an info line
    ``ids_folded``. Before, they were two customers: phantom churn and new business, NRR 57.1 % for
    100 % (reviewer's G38). Each distinct cell is folded once (:func:`xl_cskpi.cells.factorize`)."""
    for c in tb.inputs:
        if c.kind != "id" or c.key not in typed:
            continue
        arr = np.asarray(typed[c.key], dtype=object)
        codes, uniques = cells_factorize(arr)
        if len(uniques) < 2:
            continue
        first: dict[Any, int] = {}
        target = np.arange(len(uniques))
        for i, u in enumerate(uniques):
            key = u.translate(ID_FOLD).strip() if isinstance(u, str) else u
            target[i] = first.setdefault(key, i)
        merged = np.flatnonzero(target != np.arange(len(uniques)))
        if merged.size == 0:
            continue
        out = np.where(codes >= 0, uniques[target][np.maximum(codes, 0)], None).astype(object)
        out[codes < 0] = arr[codes < 0]
        typed[c.key] = out
        k = int(merged[0])
        example = f"{uniques[k]} = {uniques[target[k]]}"
        check.info("ids_folded", f"{merged.size:,} {c.key} value(s) written with other digits or letters (Persian or "
                   f"Arabic keyboard) read as the same id (first: {example})", file=str(path), table=tb.name,
                   column=headers.get(c.key), fields={"count": int(merged.size), "field": c.key, "example": example})

#: A tag Zendesk puts on a ticket it closes by merging it into another (a duplicate, not support work:
#: Zendesk's guidance is to leave the tag out of resolution metrics in Explore), and ticket statuses
#: of tickets that no longer exist.
MERGED_TAGS = ("closed_by_merge",)

GONE_STATUSES = ("deleted",)

def _not_support_work(tb: Table, raw: pd.DataFrame, headers: dict[str, str], path: Path,
                      check: DataCheck) -> list | None:
    """The rows of tickets merged into another (Zendesk tag ``closed_by_merge`` in a ``Tags`` column)
    or deleted (status ``Deleted``): left out, with an info line ``tickets_left_out`` (reviewer's G35:
    a duplicate closed a minute after it was opened counted as a one-minute, one-touch solve, mean
    resolution 10.7 h for 16.0 h)."""
    if tb.name != "Tickets":
        return None
    tags = next((h for h in raw.columns if str(h).strip().lower() == "tags"), None)
    bad = np.zeros(len(raw), dtype=bool)
    merged = gone = 0
    if tags is not None:
        t = raw[tags].astype(str).str.lower()
        m = t.str.contains("|".join(MERGED_TAGS), regex=True, na=False).to_numpy()
        merged, bad = int(m.sum()), bad | m
    if "status" in headers:
        st = raw[headers["status"]].astype(str).str.strip().str.lower().isin(GONE_STATUSES).to_numpy()
        gone, bad = int((st & ~bad).sum()), bad | st
    if not bad.any():
        return None
    rows = raw.index[bad].tolist()
    check.info("tickets_left_out", f"{merged:,} ticket(s) closed by merging into another (tag closed_by_merge) and "
               f"{gone:,} deleted left out: not support work (first: row {rows[0]})", file=str(path), table=tb.name,
               row=int(rows[0]), fields={"merged": merged, "deleted": gone, "row": int(rows[0])})
    return rows

#: Ticket statuses of a ticket not resolved now (exports.statuses.TICKET).
OPEN_STATUSES = ("new", "open", "pending", "on-hold")

def _open_not_resolved(tb: Table, typed: dict, rows: np.ndarray, headers: dict, path: Path,
                       check: DataCheck) -> None:
    """A ticket whose status says it is open again (new, open, pending, on-hold) but which carries a
    resolved time is not resolved (reviewer's F9: Intercom keeps "Last closed at" after a reopen,
    so two open conversations counted as resolved in 1 h and 4 h: mean resolution 11.1 h for 16.8 h).
    Its resolved time is left out, so it counts as open, as Zendesk's full resolution time counts
    only solved tickets; ``resolved_while_open`` (warning) says how many and the first row."""
    if tb.name != "Tickets" or "status" not in typed or "resolved_at" not in typed:
        return
    status = np.asarray(typed["status"], dtype=object)
    done = np.asarray(typed["resolved_at"])
    if done.dtype.kind != "M":
        return
    bad = np.isin(status, OPEN_STATUSES) & ~np.isnat(done)
    if not bad.any():
        return
    done = done.copy()
    done[bad] = np.datetime64("NaT")
    typed["resolved_at"] = done
    n, first = int(bad.sum()), int(rows[np.flatnonzero(bad)[0]])
    check.warn("resolved_while_open", f"{n:,} ticket{'s' if n != 1 else ''} with an open status (new, open, pending, "
               f"on-hold) carry a resolved time (first: row {first}): reopened, so counted as open, their resolved "
               "time left out", file=str(path), table=tb.name, column=headers.get("resolved_at"), row=first,
               fields={"count": n, "row": first})

def _solved_without_time(tb: Table, typed: dict, rows: np.ndarray, headers: dict, path: Path,
                         check: DataCheck) -> None:
    """A ticket whose status says solved or closed but whose resolved time is blank (Freshservice and
    Freshdesk write a closed ticket's time under "Closed Date" when it was never resolved first; reviewer's
    H3): nothing says when it was done, so it counts as open in the backlog and the SLA tables and is out of
    the resolution times. Not guessed: a warning ``solved_without_time`` with the count and the first row,
    pointing to ``--map resolved_at=...``."""
    if tb.name != "Tickets" or "status" not in typed:
        return
    status = np.asarray(typed["status"], dtype=object)
    done = np.asarray(typed["resolved_at"]) if "resolved_at" in typed else None
    blank = np.ones(len(status), dtype=bool) if done is None or done.dtype.kind != "M" else np.isnat(done)
    bad = np.isin(status, ("solved", "closed")) & blank
    if not bad.any():
        return
    n, first = int(bad.sum()), int(rows[np.flatnonzero(bad)[0]])
    check.warn("solved_without_time", f"{n:,} ticket{'s' if n != 1 else ''} with a solved or closed status "
               f"{'have' if n != 1 else 'has'} no resolved time (first: row {first}): counted as open (backlog, SLA) "
               "and left out of the resolution times; if the export has the time in another column, map it "
               "(--map resolved_at=\"Closed Date\")", file=str(path), table=tb.name,
               column=headers.get("resolved_at", headers.get("status")), row=first, fields={"count": n, "row": first})

#: Words of a totals row in the first text column of a table export (Google Ads, GA, Meta Ads
#: Manager and spreadsheet summaries end with one), compared case-folded and stripped.
TOTAL_WORDS = {"total", "totals", "grand total", "sum", "overall", "all", "جمع", "جمع کل", "مجموع", "کل",
               "جمع كل", "كل", "المجموع", "الإجمالي", "إجمالي", "الاجمالي", "اجمالي"}

def _total_in_dates(tb: Table, raw: pd.DataFrame, headers: dict, path: Path, check: DataCheck) -> pd.DataFrame:
    """``raw`` without its last row when that row holds a total word where a date belongs (a pasted
    survey export ending ``Total,,429,213,``: the date reader stopped the run on 'Total' before
    :func:`_total_row` could look; engineer E's request, session 5). A row with no date is no dated
    record, whatever its numbers: left out with the ``total_row`` warning."""
    dated = [headers[c.key] for c in tb.inputs if c.kind in ("date", "datetime", "month") and c.key in headers]
    if len(raw) < 2 or not dated:
        return raw
    last = raw.iloc[-1]
    for h in dated:
        v = last[h]
        if isinstance(v, str) and " ".join(v.casefold().split()) in TOTAL_WORDS:
            row = int(raw.index[-1])
            check.warn("total_row", f"row {row} ({v!r}) is a totals row where a date belongs: left out", file=str(path),
                       table=tb.name, row=row, fields={"row": row, "word": v})
            return raw.iloc[:-1]
    return raw

def _total_row(tb: Table, typed: dict, rows: np.ndarray, headers: dict, path: Path, check: DataCheck,
               raw: pd.DataFrame | None = None) -> Any:
    """The index of a totals row to leave out, or None (reviewer's F15: a campaign export's
    trailing ``Total`` row was read as a campaign, doubling the acquisition and referral rates).

    A row is a totals row when a text or id column of it holds a total word (:data:`TOTAL_WORDS`)
    -- or, for the last row, any column of the export (``raw``), a column the report does not read
    included: a campaigns export writes ``Total`` under its Month column (reviewer's K8, session 6:
    acquisition rate 55.0 % for 27.5 %) -- and every count and money column it fills equals the sum of
    that column over the other rows (at least one does): proof, so it is left out with a warning
    (``total_row``). A row with the word whose numbers are not those sums is kept and counted, with a
    warning (``total_row_kept``)."""
    if len(rows) < 3:
        return None
    text_cols = [c.key for c in tb.inputs if c.kind in ("id", "text") and c.key in typed]
    numbers = [c.key for c in tb.inputs if c.kind in ("count", "money") and c.key in typed]
    if not text_cols or not numbers:
        return None
    # each distinct cell judged once (a long export: no Python pass over its rows)
    word_of = np.full(len(rows), None, dtype=object)
    for k in reversed(text_cols):              # the first text column's word wins
        codes, uniques = cells_factorize(typed[k])
        hit = np.array([isinstance(u, str) and " ".join(u.casefold().split()) in TOTAL_WORDS
                        for u in uniques.tolist()] + [False], dtype=bool)[codes]
        word_of[hit] = np.asarray(typed[k], dtype=object)[hit]
    candidates = np.flatnonzero(word_of != None)  # noqa: E711 (an object array: elementwise)
    if not len(candidates) and raw is not None and len(raw) == len(rows):
        last = [v for v in raw.iloc[-1].tolist() if isinstance(v, str)]
        found = next((v for v in last if " ".join(v.casefold().split()) in TOTAL_WORDS), None)
        if found is not None:
            word_of[len(rows) - 1] = found
            candidates = np.array([len(rows) - 1])
    for i in candidates[::-1][:1].tolist():    # the last such row: where exports put it
        word = word_of[i]
        matched = filled = 0
        for k in numbers:
            x = np.asarray(typed[k], dtype=float)
            if np.isnan(x[i]):
                continue
            filled += 1
            rest = np.nansum(np.delete(x, i))
            matched += bool(abs(x[i] - rest) <= 1e-9 * max(1.0, abs(rest)))
        where = {"file": str(path), "table": tb.name, "row": int(rows[i])}
        if filled and matched == filled:
            check.warn("total_row", f"row {int(rows[i])} ({word!r}) holds the sums of the other rows: a totals row, "
                       "left out (it would count every row twice)", **where,
                       fields={"row": int(rows[i]), "word": word})
            return rows[i]
        check.warn("total_row_kept", f"row {int(rows[i])} is named {word!r} but its numbers are not the sums of the "
                   "other rows: kept and counted as a row; remove it from the export if it is a totals row", **where,
                   fields={"row": int(rows[i]), "word": word})
        return None
    return None
