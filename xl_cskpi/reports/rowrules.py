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

#: Words that make a label a subtotal's when they open or close it: Excel's Data > Subtotal and a pivot
#: in tabular form write "<group> Total" ("Paid search Total"); others "Total <group>", "Subtotal",
#: "جمع <group>".
#: The label alone proves nothing (a campaign may be called "Total Rewards"): the row's numbers must be the
#: sums of its group (:func:`_total_row`). "all", "sum", "کل" are left out: too common inside names.
SUBTOTAL_WORDS = {"total", "totals", "subtotal", "subtotals", "sub-total", "sub-totals", "جمع", "مجموع",
                  "المجموع", "الإجمالي", "إجمالي", "الاجمالي", "اجمالي"}

def _total_kind(text: Any) -> int:
    """2 for a total word (:data:`TOTAL_WORDS`), 1 for a subtotal's label (:data:`SUBTOTAL_WORDS` first or
    last: "Paid search Total", "Total Social", "Sub total"), 0 otherwise."""
    if not isinstance(text, str):
        return 0
    parts = text.casefold().split()
    s = " ".join(parts)
    if s in TOTAL_WORDS:
        return 2
    if s in ("sub total", "sub totals") or (len(parts) > 1 and (parts[0] in SUBTOTAL_WORDS
                                                                 or parts[-1] in SUBTOTAL_WORDS)):
        return 1
    return 1 if s in SUBTOTAL_WORDS else 0

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

def _total_labels(typed: dict, headers: dict, raw: pd.DataFrame | None, n: int,
                  text_cols: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per row, its strongest total label (:func:`_total_kind`: 2, 1 or 0) and the text holding it: the
    table's text and id columns first (in order), then the export's columns the table does not read
    (``raw``); there a total word counts only on the last row (reviewer's K8: ``Total`` under a Month
    column), a subtotal's label on any row. Each distinct cell is judged once: no Python pass over rows."""
    kind = np.zeros(n, dtype=np.int8)
    word = np.full(n, None, dtype=object)
    columns = [(np.asarray(typed[k], dtype=object), False) for k in text_cols]
    if raw is not None and len(raw) == n:
        read = set(headers.values())
        columns += [(raw[h].to_numpy(dtype=object), True) for h in raw.columns
                    if h not in read and raw[h].dtype == object]
    for values, unread in columns:
        codes, uniques = cells_factorize(values)
        k = np.array([_total_kind(u) for u in uniques.tolist()] + [0], dtype=np.int8)[codes]
        if unread:
            k[:-1][k[:-1] == 2] = 0
        better = k > kind                      # the first column with the strongest label wins
        kind[better] = k[better]
        word[better] = values[better]
    return kind, word

def _sums_to(xs: list[np.ndarray], i: int, take: np.ndarray) -> bool:
    """Every count and money cell row ``i`` fills equals the sum of its column over the rows ``take``
    (positions or a mask), and it fills at least one."""
    filled = matched = 0
    for x in xs:
        if np.isnan(x[i]):
            continue
        filled += 1
        s = float(np.nansum(x[take]))
        matched += bool(abs(x[i] - s) <= 1e-9 * max(1.0, abs(s)))
    return bool(filled) and matched == filled

def _words_text(words: list) -> str:
    return ", ".join(repr(w) for w in words[:SHOW_ROWS]) + (", ..." if len(words) > SHOW_ROWS else "")

def _named(rows: list[int], words: list) -> str:
    """``row 8 ('Grand Total')`` / ``rows 4, 7 ('Paid search Total', 'Social Total')``."""
    return f"row{'s' if len(rows) > 1 else ''} {_rows_text(rows)} ({_words_text(words)})"

def _total_row(tb: Table, typed: dict, rows: np.ndarray, headers: dict, path: Path, check: DataCheck,
               raw: pd.DataFrame | None = None) -> Any:
    """The indexes of the totals and subtotal rows to leave out, or None (reviewer's F15: a campaign
    export's trailing ``Total`` row was read as a campaign, doubling the acquisition and referral rates).

    A row is a totals row when a text or id column of it holds a total word (:data:`TOTAL_WORDS`)
    -- or, for the last row, any column of the export (``raw``), a column the report does not read
    included: a campaigns export writes ``Total`` under its Month column (reviewer's K8, session 6:
    acquisition rate 55.0 % for 27.5 %) -- and every count and money column it fills equals the sum of
    that column over the other rows (at least one does): proof, so it is left out with a warning
    (``total_row``). A row with the word whose numbers are not those sums is kept and counted, with a
    warning (``total_row_kept``).

    Subtotals (reviewer's L4, session 6: Excel's Data > Subtotal writes "Paid search Total" after each
    group and "Grand Total" last; kept as campaigns they tripled every count): a row labelled like one
    (:data:`SUBTOTAL_WORDS`, in any column of the export) whose numbers are the sums of its group -- the
    rows since the previous subtotal, or else since the previous such label -- is a subtotal; the
    totals row is then proven against the rows that are no subtotal. Only when all prove out (without a
    totals row: when the groups also cover every other row labelled so) are they all left out, in one
    ``total_row`` warning; otherwise all are kept and counted, with ``total_row_kept`` naming the rows
    that do not add up. A row labelled so whose numbers are no sums in a file without subtotals (a
    campaign "Total Rewards") is an ordinary row, said nowhere. Nested subtotals (two levels) do not
    prove out: kept, with the warning.

    Worked example (4 campaigns; conversions 10, 5 | 6, 4): ``Paid search Total`` 15, ``Social Total``
    10, ``Grand Total`` 25 = 10 + 5 + 6 + 4: all three left out, acquisition rate 25 / 200 = 12.5 %."""
    if len(rows) < 3:
        return None
    text_cols = [c.key for c in tb.inputs if c.kind in ("id", "text") and c.key in typed]
    numbers = [c.key for c in tb.inputs if c.kind in ("count", "money") and c.key in typed]
    if not text_cols or not numbers:
        return None
    n = len(rows)
    kind, word_of = _total_labels(typed, headers, raw, n, text_cols)
    candidates = np.flatnonzero(kind > 0)
    if not len(candidates):
        return None
    xs = [np.asarray(typed[k], dtype=float) for k in numbers]
    grands = candidates[kind[candidates] == 2]
    g = int(grands[-1]) if len(grands) else None        # the last such row: where exports put it
    labelled = [int(i) for i in candidates if kind[i] == 1]
    subs: list[int] = []
    sizes: list[int] = []
    failed: list[int] = []
    covered = np.zeros(n, dtype=bool)
    if labelled:
        # a quick screen by running sums (one pass per column; their rounding is within the slack), each hit
        # confirmed by an exact sum over the group
        xs_g = xs if g is None else [np.where(np.arange(n) == g, np.nan, x) for x in xs]
        run = [np.concatenate(([0.0], np.nancumsum(x))) for x in xs_g]
        size = [np.concatenate(([0.0], np.nancumsum(np.abs(x)))) for x in xs_g]

        def near(i: int, start: int) -> bool:
            return all(np.isnan(x[i])
                       or abs(x[i] - (r[i] - r[start])) <= 1e-9 * max(1.0, z[i] - z[start]) + 1e-9 * z[i]
                       for x, r, z in zip(xs_g, run, size))

        lo = prev = 0
        for i in labelled:
            for start in dict.fromkeys((lo, prev)):    # since the previous subtotal; else since the previous label
                if start >= i or not near(i, start):
                    continue
                if _sums_to(xs_g, i, np.arange(start, i)):
                    subs.append(i)
                    sizes.append(i - start)
                    covered[start:i] = True
                    lo = i + 1
                    break
            else:
                failed.append(i)
            prev = i + 1
    if subs and g is None and failed and failed[-1] > subs[-1]:
        g = failed.pop()            # the last label after the subtotals ("Grand Totals", "الإجمالي العام")
    if subs and (max(sizes) < 2 or (g is None and len(subs) < 2)):
        # too little to call them subtotals: one labelled row equal to the row above it ("Total Fitness" 100/100
        # under an account of 100/100: reviewer R9, session 6, a real account dropped), or a single subtotal
        # without a totals row. Excel's subtotals come several, with groups of rows, and a Grand Total
        subs, sizes, failed, covered = [], [], [], np.zeros(n, dtype=bool)
        if g is not None and kind[g] == 1:
            g = None
    where = {"file": str(path), "table": tb.name}
    if not subs:
        if g is None:
            return None                                # labels only ("Total Rewards"): ordinary rows
        word = word_of[g]
        where = {**where, "row": int(rows[g])}
        if _sums_to(xs, g, np.arange(n) != g):
            check.warn("total_row", f"row {int(rows[g])} ({word!r}) holds the sums of the other rows: a totals row, "
                       "left out (it would count every row twice)", **where,
                       fields={"row": int(rows[g]), "word": word})
            return [rows[g]]
        check.warn("total_row_kept", f"row {int(rows[g])} is named {word!r} but its numbers are not the sums of the "
                   "other rows: kept and counted as a row; remove it from the export if it is a totals row", **where,
                   fields={"row": int(rows[g]), "word": word})
        return None
    if g is not None:
        rest = np.ones(n, dtype=bool)
        rest[subs + [g]] = False
        if not _sums_to(xs, g, rest):
            failed = [i for i in failed if not covered[i]] + [g]
        else:
            failed = []
    else:
        failed = [i for i in failed if not covered[i]]
    sub_rows = [int(rows[i]) for i in subs]
    sub_words = [word_of[i] for i in subs]
    named = {"subtotal_rows": _rows_text(sub_rows), "subtotal_words": _words_text(sub_words), "subtotals": len(subs)}
    if not failed:
        out = subs + ([g] if g is not None else [])
        grand = (f" and row {int(rows[g])} ({word_of[g]!r}) the total of the other rows" if g is not None else "")
        check.warn("total_row", f"{_named(sub_rows, sub_words)} {'are subtotals' if len(subs) > 1 else 'is a subtotal'}"
                   f" (the sums of the rows of {'their groups' if len(subs) > 1 else 'its group'}){grand}: left out "
                   "(they would count every row again)", **where, row=int(rows[out[0]]),
                   fields={"variant": "subtotals_total" if g is not None else "subtotals",
                           "row": int(rows[out[-1]]), "word": word_of[out[-1]], "count": len(out),
                           "rows": [int(rows[i]) for i in out][:SHOW_ROWS], **named})
        return [rows[i] for i in out]
    bad_rows = [int(rows[i]) for i in failed]
    bad_words = [word_of[i] for i in failed]
    many = len(failed) > 1
    their = "their" if many else "its"
    check.warn("total_row_kept", f"{_named(bad_rows, bad_words)} {'are' if many else 'is'} named as a subtotal or "
               f"total but {their} numbers are not the sums of the rows of {their} group or of the other rows, so "
               f"the subtotal {_named(sub_rows, sub_words)} {'are' if len(subs) > 1 else 'is'} kept too: all counted "
               "as rows; remove the subtotal and totals rows from the export", **where, row=bad_rows[0],
               fields={"variant": "subtotals", "row": bad_rows[0], "word": bad_words[0], "count": len(failed),
                       "rows": bad_rows[:SHOW_ROWS], "failed_rows": _rows_text(bad_rows),
                       "failed_words": _words_text(bad_words), **named})
    return None
