"""Ticket rules of ``support_summary`` that the report applies, on every engine: a ticket open again
is not resolved; a resolved or first-response time before the ticket opened is left out.

``xl-cskpi report`` reads a ticket whose status says it is open (new, open, pending, on-hold; Intercom's
"snoozed" is pending) but which carries a resolved time as reopened: its resolved time is left out,
so it counts as open (``reports.fill._open_not_resolved``, warning ``resolved_while_open``; the
reviewer's F9: Intercom keeps "Last closed at" after a reopen, and two open conversations counted as
resolved in 1 h and 4 h gave a mean resolution of 11.1 h for 16.8 h). ``compute`` does the same:
statuses are read by the report's vocabulary (:func:`xl_cskpi.exports.statuses.canonical`), once per
distinct value, and the SQL engines get the list of the raw values that are open.
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd

from .common import note

#: Ticket statuses of a ticket not resolved now: reports.fill.OPEN_STATUSES (a test keeps them equal).
OPEN_STATUSES = ("new", "open", "pending", "on-hold")


def open_mask(values: Any) -> np.ndarray:
    """True where a status cell reads as an open status (the report's vocabulary)."""
    from ..exports.statuses import canonical
    s = canonical(pd.Series(np.asarray(values, dtype=object), dtype=object), "ticket")
    return np.isin(s.to_numpy(dtype=object), OPEN_STATUSES)


def open_values(values: Iterable[Any]) -> list[str]:
    """The distinct raw status texts (as the SQL engines cast them to text) that read as open."""
    vals = [v for v in values if isinstance(v, str)]
    if not vals:
        return []
    hit = open_mask(vals)
    return sorted(v for v, h in zip(vals, hit) if h)


def reopened_note(options: dict, n: int, resolved_header: str, status_header: str) -> None:
    """The note of a run that left resolved times out (the report's ``resolved_while_open`` warning)."""
    if n:
        note(options, f"{n:,} ticket{'s' if n != 1 else ''} with an open status (new, open, pending, on-hold) in "
                      f"{status_header!r} carr{'ies' if n == 1 else 'y'} a resolved time in {resolved_header!r}: "
                      "reopened, so counted as open, their resolved time left out (as xl-cskpi report does)")


#: The verb of each end time of a ticket (reports.fill.ORDERED).
VERBS = {"resolved_at": "resolved", "first_response_at": "answered"}


def early_note(options: dict, name: str, header: str, n: int) -> None:
    """The note of a run that left out end times before the ticket opened (the report's
    ``out_of_range`` warning; the reviewer's U12: one migrated ticket solved before it was created)."""
    if n:
        verb = VERBS[name]
        note(options, f"{n:,} time{'s' if n != 1 else ''} in {header!r} ({name}) {'are' if n != 1 else 'is'} before "
                      f"opened_at: {verb} before it began; left out, so the ticket counts as not {verb} (as "
                      "xl-cskpi report does)")


#: reports.fill.MERGED_TAGS / GONE_STATUSES (a test keeps them equal): a ticket Zendesk closed by merging
#: it into another, and a deleted ticket, are no support work (reviewer's G35).
MERGED_TAGS = ("closed_by_merge",)
GONE_STATUSES = ("deleted",)


def gone_mask(tags: Any, status: Any, n: int) -> tuple[np.ndarray, int, int]:
    """(rows left out, merged, deleted) as the report's reader finds them."""
    bad = np.zeros(n, dtype=bool)
    merged = gone = 0
    if tags is not None:
        t = pd.Series(np.asarray(tags, dtype=object)).astype(str).str.lower()
        m = t.str.contains("|".join(MERGED_TAGS), regex=True, na=False).to_numpy()
        merged, bad = int(m.sum()), bad | m
    if status is not None:
        st = pd.Series(np.asarray(status, dtype=object)).astype(str).str.strip().str.lower().isin(GONE_STATUSES)
        st = st.to_numpy()
        gone, bad = int((st & ~bad).sum()), bad | st
    return bad, merged, gone


def gone_note(options: dict, merged: int, gone: int) -> None:
    if merged or gone:
        note(options, f"{merged:,} ticket{'s' if merged != 1 else ''} closed by merging into another (tag "
                      f"closed_by_merge) and {gone:,} deleted left out: not support work (as xl-cskpi report does)")


def as_of_note(options: dict, last) -> str | None:
    """``as_of`` not given: the latest time in the tickets (opened, first response, resolved), as the
    report fills a blank ``sla_as_of`` (reviewer's G39: open tickets three weeks past a 24 h target read
    100 %); returns it as text (``options["as_of"]``'s form) with a note, or None without a time."""
    if last is None or pd.isna(last):
        return None
    last = pd.Timestamp(last)
    note(options, f"open tickets judged against the SLA as of {last:%Y-%m-%d %H:%M}, the latest time in the tickets "
                  "(an open ticket past its target is a breach), as xl-cskpi report does; another: --as-of TIME")
    return last.isoformat(sep=" ")
