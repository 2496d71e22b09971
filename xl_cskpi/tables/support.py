"""Complaint summary: complaints by any key column (category, contract, employee, month, ...) and status.

The row-level counterpart of :func:`xl_cskpi.complaints`: a cross-tabulation of a complaints log,
built with pandas (one ``crosstab`` over factorised labels), so a log of a million rows is one
vectorized pass.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import cells
from ..registry import kpi

__all__ = ["complaint_summary", "STANDARD_STATUSES", "BLANK_KEY"]

#: Statuses shown first, in this order, when present; any other status follows alphabetically.
STANDARD_STATUSES = ("pending", "resolved", "escalated")
#: Label of the row for complaints whose key cell is blank (as an Excel PivotTable shows it).
BLANK_KEY = "(blank)"


def _natural_order(labels: pd.Index) -> list:
    """Numbers in numeric order first (employee 2 before 10), then text alphabetically."""
    as_num = pd.to_numeric(pd.Series(labels, dtype=object), errors="coerce").to_numpy()
    is_num = ~np.isnan(as_num)
    nums = sorted(zip(as_num[is_num], labels[is_num]))
    return [lab for _, lab in nums] + sorted(labels[~is_num])


def _align_statuses(part: pd.DataFrame, whole: pd.DataFrame) -> pd.DataFrame:
    """A segment's summary with the status columns of the whole log (matched as statuses are
    matched: :func:`xl_cskpi.cells.fold_labels`), in its order and spelling; 0 where the segment has
    none of a status."""
    def folded(labels: list) -> list:
        return cells.fold_labels(np.asarray(labels, dtype=object)).tolist()

    mine = dict(zip(folded(list(part.columns[1:-1])), part.columns[1:-1]))
    out = {"Key": part["Key"].to_numpy(dtype=object)}
    for label, key in zip(whole.columns[1:-1], folded(list(whole.columns[1:-1]))):
        out[label] = part[mine[key]].to_numpy() if key in mine else np.zeros(len(part), dtype=np.int64)
    out["Total"] = part["Total"].to_numpy()
    return pd.DataFrame(out)


@kpi(category="Support", returns="table", row_labels=("Key",), rows=("keys", "statuses"),
     align=_align_statuses, args={
    "keys": "What to break complaints down by, one cell per complaint: category, contract, employee, month...",
    "statuses": "The status of each complaint (same rows as keys): pending, resolved, escalated...",
})
def complaint_summary(keys, statuses):
    """Complaints by key and status: one row per key, one column per status, with totals.

    Formula: the number of complaints for each (key, status) pair -- a PivotTable of the complaints
    log with the key in rows and the status in columns -- plus a ``Total`` column (complaints per
    key) and a ``Total`` row (complaints per status). The grand total equals
    ``COMPLAINTS(statuses)``.

    Rows and columns: statuses and keys are matched case-insensitively with Arabic/Persian letter
    variants (ي/ی, ك/ک), extra spaces and zero-width non-joiners ignored (as in ``COMPLAINTS``);
    each row or column is labelled with the alphabetically first spelling found, so the table does
    not depend on the order of the log. Status columns: pending, resolved, escalated first (when
    present), then any other status alphabetically. Key rows: numeric keys in numeric order, then
    text keys alphabetically (ISO dates and "1403-06" month labels sort by time).

    Edge cases: a row with a blank status is not a complaint and is skipped (as in ``COMPLAINTS``);
    a complaint with a blank key is counted under ``(blank)``; ranges of different sizes are
    ``#VALUE!``; an empty log gives the header and a ``Total`` row of zeros; logical values are
    ``#VALUE!``.

    Source: ISO 10002:2018 (complaints handling: monitor complaints by category and status);
    Microsoft Excel PivotTable semantics (case-insensitive grouping, "(blank)" rows, grand totals).

    Example -- five complaints in Mehr by category:

    >>> complaint_summary(["Billing", "Billing", "Delivery", "billing", "Delivery"],
    ...                   ["Pending", "Resolved", "Escalated", "resolved", "Resolved"])
            Key  Pending  Resolved  Escalated  Total
    0   Billing        1         2          0      3
    1  Delivery        0         1          1      2
    2     Total        1         3          1      5
    """
    fast = _fast_codes(keys, statuses)
    if fast is not None:
        key_code, key_labels, status_code, status_labels = fast
    else:
        r = cells.aligned(keys=(keys, "text"), statuses=(statuses, "text"))
        k, s = r["keys"], r["statuses"]
        is_complaint = np.not_equal(s, None)
        k, s = k[is_complaint], s[is_complaint]
        k[np.equal(k, None)] = BLANK_KEY
        key_code, key_labels = _groups(k)
        status_code, status_labels = _groups(s)

    std = [x for x in STANDARD_STATUSES if x in status_labels]
    status_order = std + sorted(x for x in status_labels if x not in STANDARD_STATUSES)
    key_order = _natural_order(pd.Index(list(key_labels), dtype=object))

    nk, ns = len(key_labels), len(status_labels)
    flat = np.bincount(key_code * ns + status_code, minlength=nk * ns).reshape(nk, ns)
    counts = pd.DataFrame(flat, index=list(key_labels), columns=list(status_labels), dtype="int64")
    counts = counts.reindex(index=key_order, columns=status_order)
    counts["Total"] = counts.sum(axis=1)
    counts.loc["\0total"] = counts.sum(axis=0)

    table = counts.reset_index(drop=True).astype("int64")
    table.columns = [status_labels[c] for c in status_order] + ["Total"]
    table.insert(0, "Key", [key_labels[x] for x in key_order] + ["Total"])
    return table


def _fast_codes(keys, statuses) -> tuple[np.ndarray, dict[str, str], np.ndarray, dict[str, str]] | None:
    """The complaints' key and status groups as :func:`_groups` gives them for the rows with a status
    (blank keys ``(blank)``), from each range's distinct cells (read once each, identity first:
    :func:`xl_cskpi.tables.sla.distinct_texts`); ``None`` when a range is not of a kind read so, or
    the ranges differ in size or are empty (the usual reading then gives the table or the error)."""
    from .sla import distinct_texts

    got_k, got_s = distinct_texts(keys), distinct_texts(statuses)
    if got_k is None or got_s is None or len(got_k[0]) != len(got_s[0]) or not len(got_k[0]):
        return None
    (kc, kt), (sc, st) = got_k, got_s
    status_blank = np.array([t is None for t in st.tolist()] + [True], dtype=bool)  # code -1: blank
    is_complaint = ~status_blank[sc]
    kc, sc = kc[is_complaint], sc[is_complaint]
    key_text = np.empty(len(kt) + 1, dtype=object)
    key_text[:] = [BLANK_KEY if t is None else t for t in kt.tolist()] + [BLANK_KEY]
    kc = np.where(kc < 0, len(kt), kc)

    def groups(codes: np.ndarray, text: np.ndarray) -> tuple[np.ndarray, dict[str, str]]:
        used = np.flatnonzero(np.bincount(codes, minlength=len(text)))  # the distinct texts of these rows
        group, labels = _groups(text[used])
        remap = np.full(len(text), -1, dtype=np.int64)
        remap[used] = group
        return remap[codes], labels

    key_code, key_labels = groups(kc, key_text)
    status_code, status_labels = groups(sc, st)
    return key_code, key_labels, status_code, status_labels


def _groups(values: np.ndarray) -> tuple[np.ndarray, dict[str, str]]:
    """Group codes (0..g-1) of an object array by :func:`xl_cskpi.cells.fold_labels`, and each group's label.

    Work per distinct spelling, not per row: one ``factorize`` of the raw texts, then the
    (few) distinct spellings are normalised and grouped. The label of a group is its alphabetically
    first spelling, so it does not depend on row order. Returns codes and ``{normalised: label}``
    in code order.
    """
    raw_code, raw = cells.factorize(values)
    norm = cells.fold_labels(np.asarray(raw, dtype=object).astype(str))
    group_of_raw, groups = cells.factorize(norm)
    labels: dict[str, str] = {}
    for g, spelling in sorted(zip(group_of_raw.tolist(), map(str, raw)), reverse=True):
        labels[groups[g]] = spelling  # the last write per group is its smallest spelling
    ordered = {groups[g]: labels[groups[g]] for g in range(len(groups))}
    return group_of_raw[raw_code] if len(raw_code) else raw_code, ordered
