"""Ticket and complaint status vocabularies (and ticket priorities): every export's words -> canonical.

Canonical values:

* tickets -- ``new``, ``open``, ``pending``, ``on-hold``, ``solved``, ``closed`` (Zendesk's six
  statuses, https://support.zendesk.com/hc/en-us/articles/4408832543770; Freshdesk's "Resolved" is
  ``solved``, "Waiting on Customer" ``pending``, "Waiting on Third Party" ``on-hold``; Intercom's
  "Snoozed" -- waiting, out of the inbox until a time -- is ``pending``);
* complaints -- ``pending``, ``resolved``, ``escalated`` (a CRM's "Open"/"New"/"In progress" is
  ``pending``, "Closed"/"Solved"/"Done" is ``resolved``);
* priorities -- ``low``, ``normal``, ``high``, ``urgent`` (Freshdesk's "Medium" is ``normal``;
  Intercom marks a conversation ``priority`` or ``not_priority``: ``high`` and ``normal``).

Words are matched in :func:`xl_cskpi.exports.headers.normalise` form (case, spaces, punctuation,
Persian/Arabic letter variants, ZWNJ, diacritics), so ``On-hold``, ``on hold`` and ``ON_HOLD`` are one
word, as are ``در انتظار``, ``در‌انتظار`` and ``درانتظار``. The built-in synonyms are English,
Persian and Arabic, *and* the report's own translated labels (``kpi.complaints_pending``,
``head.pending``, ... of every language, read through :mod:`xl_cskpi.reports.i18n` at each call), so
a workbook's own words read back as what they label. ``--map status.VALUE=canonical``
(``ReadOptions.statuses``) comes first; a mapping whose canonical value is not one of this kind's
(``status.Escalated=escalated`` read for tickets) is not used for that kind.

A value no rule maps is **kept as written** (stripped) -- never dropped, never guessed -- so it is
counted under no canonical status and the workbook shows what the export said; the data check gets
one ``warning`` listing every such value with its count (``status_unmapped``). Blank cells stay
None.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import cells
from .check import DataCheck, ReadOptions
from .headers import normalise

__all__ = ["TICKET", "COMPLAINT", "PRIORITY", "KINDS", "canonical", "vocabulary"]

TICKET = ("new", "open", "pending", "on-hold", "solved", "closed")
COMPLAINT = ("pending", "resolved", "escalated")
PRIORITY = ("low", "normal", "high", "urgent")
KINDS: dict[str, tuple[str, ...]] = {"ticket": TICKET, "complaint": COMPLAINT, "priority": PRIORITY}

_BUILTIN: dict[str, dict[str, tuple[str, ...]]] = {
    "ticket": {
        "new": ("new", "unassigned", "unopened", "جدید", "تازه", "جديد", "جديدة"),
        "open": ("open", "opened", "reopened", "re-opened", "active", "assigned", "in progress",
                 "in_progress", "working", "waiting on us", "waiting for support",   # JSM's open status
                 "باز", "بازشده", "در حال بررسی", "در حال انجام", "بازگشایی شده",
                 "مفتوح", "مفتوحة", "قيد المعالجة", "قيد التنفيذ", "معاد فتحها"),
        "pending": ("pending", "waiting on customer", "waiting for customer", "awaiting customer",
                    "waiting for customer response",
                    "waiting on contact",      # HubSpot's default ticket pipeline: New, Waiting on contact, Waiting on us, Closed
                    "waiting on requester", "awaiting reply", "snoozed", "waiting",
                    "در انتظار", "در انتظار مشتری", "منتظر پاسخ مشتری", "منتظر مشتری",
                    "قيد الانتظار", "بانتظار العميل", "في انتظار العميل", "بانتظار الرد", "معلق", "معلقة"),
        "on-hold": ("on-hold", "on hold", "hold", "waiting on third party", "waiting for third party",
                    "awaiting third party", "blocked", "متوقف", "معلق شده", "در انتظار شخص ثالث",
                    "منتظر شخص ثالث", "قيد التعليق", "بانتظار طرف ثالث", "في انتظار طرف ثالث"),
        "solved": ("solved", "resolved", "fixed", "done", "completed", "حل شده", "حل‌شده", "رفع شده",
                   "انجام شده", "تم الحل", "محلول", "محلولة", "تمت المعالجة"),
        "closed": ("closed", "archived", "بسته", "بسته شده", "بسته‌شده", "مختومه", "مغلق", "مغلقة",
                   "تم الإغلاق"),
    },
    "complaint": {
        "pending": ("pending", "open", "opened", "new", "in progress", "in_progress", "waiting", "on hold",
                    "on-hold", "awaiting", "received", "under review", "reopened", "investigating",
                    "waiting on customer", "waiting on third party", "snoozed", "assigned",
                    "در انتظار", "باز", "جدید", "در حال بررسی", "در دست بررسی", "دریافت شده", "در جریان",
                    "قيد الانتظار", "مفتوحة", "مفتوح", "جديدة", "جديد", "قيد المعالجة", "قيد المراجعة",
                    "قيد الدراسة", "معلقة", "معلق"),
        "resolved": ("resolved", "closed", "solved", "done", "completed", "fixed", "answered",
                     "حل شده", "حل‌شده", "بسته", "بسته شده", "رسیدگی شده", "رسیدگی‌شده", "پاسخ داده شده",
                     "مختومه", "محلولة", "محلول", "تم الحل", "مغلقة", "مغلق", "تمت المعالجة"),
        "escalated": ("escalated", "escalate", "escalation", "escalated to management", "referred",
                      "ارجاع شده", "ارجاع‌شده", "ارجاع", "ارجاع به مدیریت", "ارجاع‌شده به سطح بالاتر",
                      "مصعدة", "مُصعَّدة", "تم التصعيد", "مصعد", "محالة للإدارة"),
    },
    "priority": {
        # Jira's five: Highest, High, Medium, Low, Lowest
        "low": ("low", "minor", "lowest", "trivial", "کم", "پایین", "کم اهمیت", "منخفضة", "منخفض"),
        "normal": ("normal", "medium", "moderate", "standard", "not_priority", "not priority",
                   "عادی", "متوسط", "معمولی",
                   "عادية", "عادي", "متوسطة"),
        "high": ("high", "major", "priority", "prioritized", "زیاد", "بالا", "مهم", "عالية", "عالي", "مرتفعة"),
        "urgent": ("urgent", "critical", "emergency", "blocker", "highest", "فوری", "بحرانی", "اضطراری",
                   "عاجلة", "عاجل", "حرجة", "طارئة"),
    },
}

#: i18n keys whose text labels a canonical value in the report's own workbooks.
_LABEL_KEYS = {
    "ticket": ("head.{c}", "status.ticket.{c}", "ticket_status.{c}"),
    "complaint": ("kpi.complaints_{c}", "head.{c}", "status.complaint.{c}", "complaint_status.{c}"),
    "priority": ("priority.{c}", "head.priority.{c}"),
}


def vocabulary(kind: str) -> dict[str, str]:
    """``{normalised word: canonical}`` for ``kind`` (``ticket``, ``complaint``, ``priority``): the
    canonical words, the built-in synonyms and the report's labels in every language."""
    if kind not in KINDS:
        raise ValueError(f"status kind {kind!r}: use one of {', '.join(KINDS)}")
    from ..reports.i18n import STRINGS

    out: dict[str, str] = {}
    for c in KINDS[kind]:
        out[normalise(c)] = c
    # the report's own labels first: a workbook's words must read back as what they label
    for table in STRINGS.values():
        for c in KINDS[kind]:
            for key in _LABEL_KEYS[kind]:
                text = table.get(key.format(c=c))
                if text:
                    out.setdefault(normalise(text), c)
    for c, words in _BUILTIN[kind].items():
        for w in words:
            out.setdefault(normalise(w), c)
    return out


def _text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s or None


def canonical(values: pd.Series, kind: str, options: ReadOptions | None = None,
              check: DataCheck | None = None, file: str | None = None, column: str | None = None
              ) -> pd.Series:
    """``values`` (one export column) mapped to ``kind``'s canonical words, index kept.

    ``kind`` is ``"ticket"``, ``"complaint"`` or ``"priority"``. ``options.statuses`` (``--map
    status.VALUE=canonical``) is applied first (only mappings to one of this kind's canonical words),
    then the built-in vocabulary (:func:`vocabulary`). Unmapped values are kept as written and listed
    in one ``warning`` of ``check`` (code ``status_unmapped``; ``fields``: ``kind``, ``values`` =
    ``{value: count}``, ``rows``, ``count`` (distinct values), ``listed`` (``'Spam' (3), ...``),
    ``canonical`` (``pending/resolved/escalated``)). Blank cells are None. Each distinct value is looked up once.

    >>> canonical(pd.Series(["Open", "Closed", "ارجاع‌شده", None]), "complaint").tolist()
    ['pending', 'resolved', 'escalated', None]
    """
    allowed = KINDS.get(kind)
    if allowed is None:
        raise ValueError(f"status kind {kind!r}: use one of {', '.join(KINDS)}")
    vocab = vocabulary(kind)
    user: dict[str, str] = {}
    for value, canon in (options.statuses if options is not None else {}).items():
        c = str(canon).strip().lower().replace("_", "-").replace(" ", "-")
        c = "on-hold" if c in ("onhold", "hold") else c
        if c in allowed:
            user[normalise(value)] = c
    s = pd.Series(values, copy=False)
    codes, uniques = cells.factorize(s)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[-1] = None
    unmapped: dict[str, int] = {}
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques)) if len(uniques) else np.array([], int)
    for i, u in enumerate(uniques):
        t = _text(u)
        if t is None:
            mapped[i] = None
            continue
        n = normalise(t)
        c = user.get(n) or vocab.get(n)
        if c is None:
            mapped[i] = t
            unmapped[t] = unmapped.get(t, 0) + int(counts[i])
        else:
            mapped[i] = c
    out = pd.Series(mapped[codes], index=s.index, dtype=object)
    if unmapped and check is not None:
        listed = ", ".join(f"{v!r} ({n:,})" for v, n in sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0])))
        what = {"ticket": "ticket status", "complaint": "complaint status", "priority": "priority"}[kind]
        total = sum(unmapped.values())
        check.warn("status_unmapped",
                   f"{len(unmapped)} {what} value{'s' if len(unmapped) != 1 else ''} "
                   f"match{'' if len(unmapped) != 1 else 'es'} no "
                   f"{'/'.join(allowed)} and {'are' if len(unmapped) != 1 else 'is'} kept as written "
                   f"({total:,} rows, counted under no {what}): {listed}; map "
                   f"{'them' if len(unmapped) != 1 else 'it'} with --map status.VALUE={allowed[0]}",
                   file=file, column=column,
                   fields={"kind": kind, "values": dict(unmapped), "rows": total, "count": len(unmapped),
                           "listed": listed, "canonical": "/".join(allowed)})
    return out
