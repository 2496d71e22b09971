"""Invoice lines (one row per invoice or transaction line, each billing a service period) as MRR.

A subscriptions export says what each subscription costs per interval; an invoice-line export
(Paddle Billing transactions, ChartMogul's invoice line items, Stripe's invoice lines) says what was
billed for which service period. :func:`xl_cskpi.tables.subscriptions.mrr_table` reads both; this
module holds what is particular to invoice lines:

=========================  =================================================================
:func:`service_months`     months of each line's service period, in calendar-month arithmetic
:data:`LINE_TYPES`         ``line_type`` words (Paddle's ``origin``, proration flags) -> meaning
:func:`line_kinds`         a ``line_type`` column -> ``recurring`` / ``proration`` / ``one_time``
:data:`PERIOD_WORDS`       interval words meaning "the row's own service period"
=========================  =================================================================

**MRR of a line** (ChartMogul, "How MRR is calculated from prorated invoices",
dev.chartmogul.com: MRR = amount x subscription_duration_ratio x prorate_factor, where the
prorate factor is the full service period over the prorated one; for a line billing its whole
period that is amount / months of the period)::

    MRR of a line = amount after discounts / months of its service period (start -> end)

counted on the days the period covers (``start <= day < end``), summed per customer. An annual
line of 480 for 2024-02-01 -> 2025-02-01 is 12 months: 40 a month, in each of those months.

**Months of a period** are counted as a calendar does, not in 30-day blocks, in this order:

1. *Whole calendar months*: the end is the start plus k months, the day clamped to the month's end
   (2024-01-31 -> 2024-02-29 is one month), or -- a start on its month's last day, billed on an
   anchor day the short month clamped -- the end is in the k-th month after, on that day or later
   (2024-02-29 -> 2024-03-31 and 2024-04-30 -> 2024-05-31: a subscription anchored on the 31st;
   2024-02-29 -> 2024-03-30: anchored on the 30th). 2024-02-01 -> 2025-02-01 is 12 months and
   2024-03-10 -> 2024-04-10 one month, whatever the month's length.
2. *Whole weeks* (a line not marked as a proration): 7 days are 12/52 of a month, as the weekly
   interval is (weekly x 52/12 = x 4.333); fewer than 7 days are days x 12/365 (a daily plan).
   Measured in calendar months a week would be 7/28 to 7/31 of a month, and a weekly customer's MRR
   would move from month to month with no change of price.
3. *Otherwise* (a proration, a partial period): whole months counted back from the end, then the
   days left over as a share of the month step that ends where they end. A proration runs to the
   renewal day, so that step is the billing period it belongs to, the one the billing system
   prorates over: 2024-04-20 -> 2024-05-05 is 15 / 30 = 0.5 month (5 Apr -> 5 May has 30 days),
   2024-05-17 -> 2024-06-01 is 15 / 31 = 0.484 (1 May -> 1 Jun has 31 days), 2024-02-10 ->
   2024-02-25 is 15 / 31 (25 Jan -> 25 Feb).

Billing systems bill in Gregorian months (Paddle's and Stripe's periods end on the same day of a
later month), so the arithmetic is Gregorian whatever calendar the report's months are in. The
time of day is dropped (a period of 2024-05-05T10:00Z -> 2024-06-05T10:00Z is one month).

**Prorations.** A mid-period change is billed as a *proration line* for the rest of the period
(Paddle: ``origin`` ``subscription_update``; since March 2024 its totals are the net of the charge
for the new items and the credit for the old ones, negative on a downgrade). Its amount divided by
the months of its own period is the change of MRR: added to the customer's MRR until the period
ends, after which the next recurring line bills the new price. An upgrade from 30 to 60 a month on
20 April, billed 15 for 20 April -> 5 May (0.5 month), adds 15 / 0.5 = 30: April's MRR is
30 + 30 = 60 (ChartMogul's prorate factor gives the same: 15 x 30 days / 15 days). A negative
(credit) line is accepted only when the export marks it as a proration; a customer-month never
goes below 0.

**One-time lines** (Paddle ``subscription_charge``, a purchase without a service period) are not
recurring revenue (ChartMogul: one-time payments are not MRR) and are left out with a warning.
"""

from __future__ import annotations

import numpy as np

from .. import cells

__all__ = ["service_months", "LINE_TYPES", "PERIOD_WORDS", "line_kinds", "LINE_TYPE_NAMES", "report_lines"]

#: Interval words that mean "sized by the row's own service period (start -> end)": an invoice
#: line. Compared folded (case, spaces, '-' and '_' removed).
PERIOD_WORDS = ("period", "service period", "billing period", "invoice period", "service_period",
                "دوره", "دوره خدمت", "دوره صورتحساب", "فترة", "فترة الخدمة", "فترة الفوترة")

#: ``line_type`` words -> ``recurring`` (a line billing its period), ``proration`` (a mid-period
#: change) or ``one_time`` (not recurring revenue). Paddle Billing's transaction ``origin`` values
#: (developer.paddle.com/api-reference/transactions: api, subscription_charge,
#: subscription_payment_method_change, subscription_recurring, subscription_update, web), the
#: proration flags of ChartMogul's and Stripe's invoice lines (``prorated`` / ``proration`` TRUE or
#: FALSE) and Stripe's line types (``subscription``, ``invoiceitem``).
LINE_TYPES = {
    "subscription_recurring": "recurring", "web": "recurring", "api": "recurring",
    "recurring": "recurring", "subscription": "recurring", "renewal": "recurring", "false": "recurring",
    "no": "recurring", "0": "recurring",
    # Chargebee Product Catalog 2.0 item types (subscription_items.item_type: plan, addon, charge;
    # apidocs.chargebee.com/docs/api/items): a plan or addon recurs, a charge is one-time
    "plan": "recurring", "addon": "recurring",
    "subscription_update": "proration", "proration": "proration", "prorated": "proration",
    "true": "proration", "yes": "proration", "1": "proration",
    "subscription_charge": "one_time", "one_time": "one_time", "onetime": "one_time", "one-time": "one_time",
    "charge": "one_time", "invoiceitem": "one_time", "subscription_payment_method_change": "one_time",
    # Persian and Arabic words (hand-kept exports)
    "تمدید": "recurring", "دوره‌ای": "recurring", "تناسبی": "proration", "یکباره": "one_time",
    "تجديد": "recurring", "متكرر": "recurring", "تناسبي": "proration", "مرةواحدة": "one_time",
}

#: The words an error message suggests.
LINE_TYPE_NAMES = ("subscription_recurring", "web", "api", "subscription_update", "subscription_charge",
                   "subscription_payment_method_change", "recurring", "proration", "one_time", "plan", "addon",
                   "charge", "TRUE/FALSE")


def _fold(word: str) -> str | None:
    f = cells.fold_label(word)
    return None if f is None else f.replace("-", "").replace("_", "").replace(" ", "")


PERIOD_KEYS = {_fold(w) for w in PERIOD_WORDS}
_LINE_KEYS = {_fold(k): v for k, v in LINE_TYPES.items()}


def line_kinds(values: np.ndarray, where, arg: str = "line_type") -> np.ndarray:
    """Each row's kind of line (``recurring`` for a blank cell); an unknown word is an error naming
    its row and the words read. ``values`` are texts (None for blanks); logicals read as the flag."""
    from ..errors import InvalidInput

    out = np.full(len(values), "recurring", dtype=object)
    codes, uniques = cells.factorize(np.asarray(values, dtype=object))
    for k, u in enumerate(uniques):
        if u is None:
            continue
        word = "true" if u is True else "false" if u is False else str(u)
        meaning = _LINE_KEYS.get(_fold(word))
        if meaning is None:
            i = int(np.flatnonzero(codes == k)[0])
            raise InvalidInput(f"has {cells.describe(u)} in {where(i)}, a kind of invoice line this reader does "
                               "not know; use one of " + ", ".join(LINE_TYPE_NAMES), argument=arg)
        out[codes == k] = meaning
    return out


def service_months(start: np.ndarray, end: np.ndarray, prorated: np.ndarray | None = None) -> np.ndarray:
    """Months from ``start`` to ``end`` (int64 day numbers since 1970-01-01, ``end`` exclusive) by the
    rules of the module's docstring: whole calendar months, else (lines not ``prorated``) whole weeks
    at 12/52 of a month or days at 12/365, else whole months back from the end plus the days left over
    as a share of the month step that ends there.

    >>> d = lambda *s: (np.array(s, dtype="datetime64[D]").astype(np.int64))
    >>> service_months(d("2024-02-01", "2024-04-20", "2024-05-17", "2024-01-31", "2024-02-29", "2024-01-03"),
    ...                d("2025-02-01", "2024-05-05", "2024-06-01", "2024-02-29", "2024-03-31", "2024-01-10")
    ...                ).round(4).tolist()
    [12.0, 0.5, 0.4839, 1.0, 1.0, 0.2308]
    """
    s = np.asarray(start, dtype=np.int64).astype("datetime64[D]")
    e = np.asarray(end, dtype=np.int64).astype("datetime64[D]")
    prorated = np.zeros(len(s), dtype=bool) if prorated is None else np.asarray(prorated, dtype=bool)

    def month_and_day(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        m = x.astype("datetime64[M]")
        length = ((m + 1).astype("datetime64[D]") - m.astype("datetime64[D]")).astype(np.int64)
        return m, (x - m.astype("datetime64[D]")).astype(np.int64), length      # day 0-based

    def shift(m: np.ndarray, day: np.ndarray, k: np.ndarray) -> np.ndarray:
        """The date ``k`` months from month ``m`` on 0-based ``day``, clamped to the month's end."""
        t = m + k.astype("timedelta64[M]")
        length = ((t + 1).astype("datetime64[D]") - t.astype("datetime64[D]")).astype(np.int64)
        return t.astype("datetime64[D]") + np.minimum(day, length - 1)

    sm, sd, slen = month_and_day(s)
    em, ed, _ = month_and_day(e)
    k_all = (em - sm).astype(np.int64)
    exact = (k_all >= 1) & ((shift(sm, sd, k_all) == e) | ((sd == slen - 1) & (ed >= sd)))
    days = (e - s).astype(np.int64)
    weeks = ~exact & ~prorated & (days % 7 == 0)
    daily = ~exact & ~prorated & ~weeks & (days < 7)
    # whole months back from the end, then the rest over the month step that ends where it ends
    k = k_all.copy()
    k = np.where(shift(em, ed, -k) < s, k - 1, k)
    a, b = shift(em, ed, -k), shift(em, ed, -(k + 1))
    fraction = k + (a - s).astype(np.int64) / np.maximum((a - b).astype(np.int64), 1)
    return np.where(exact, k_all, np.where(weeks, days / 7 * 12 / 52, np.where(daily, days * 12 / 365, fraction)))


def _day(d: int) -> str:
    return str(np.datetime64(int(d), "D"))


def report_lines(check, file, where, *, sized, months, start, end, prorated, unbilled, voided, one_time) -> None:
    """Data check lines of an invoice-line export (``check`` an :class:`xl_cskpi.exports.DataCheck` or
    None): how lines were sized and which were not counted, each naming its first row."""
    if check is None:
        return

    def first(mask: np.ndarray) -> str:
        return where(int(np.flatnonzero(mask)[0]))

    if sized.any():
        # the example: the first line not one month long (an annual line), else the first line
        odd = sized & ~np.isclose(months, 1.0)
        i = int(np.flatnonzero(odd if odd.any() else sized)[0])
        count, m = int(sized.sum()), f"{months[i]:.4g}"
        check.info("invoice_lines", f"{count:,} invoice line(s), each sized by its own service period: MRR = "
                   f"amount / months from start to end (e.g. {_day(start[i])} -> {_day(end[i])} = {m} months, "
                   f"{where(i)})", file=file, table="Billing",
                   fields={"count": count, "start": _day(start[i]), "end": _day(end[i]), "months": m})
    if prorated.any():
        count = int(prorated.sum())
        check.info("invoice_prorations", f"{count:,} proration line(s) (a mid-period change, Paddle's origin "
                   "subscription_update): each adds its amount / the months of its own period to the customer's "
                   f"MRR until that period ends (first at {first(prorated)})", file=file, table="Billing",
                   fields={"count": count, "first": first(prorated)})
    if unbilled.any():
        count = int(unbilled.sum())
        check.warn("invoice_unbilled", f"{count:,} invoice line(s) not billed yet (status draft or ready): not "
                   f"counted (first at {first(unbilled)})", file=file, table="Billing",
                   fields={"count": count, "first": first(unbilled)})
    if voided.any():
        count = int(voided.sum())
        check.warn("invoice_canceled", f"{count:,} canceled invoice line(s), never collected: not counted "
                   f"(first at {first(voided)})", file=file, table="Billing",
                   fields={"count": count, "first": first(voided)})
    if one_time.any():
        count = int(one_time.sum())
        check.warn("invoice_one_time", f"{count:,} one-time line(s) (a one-time charge, or no service period): "
                   f"not recurring revenue, not counted (first at {first(one_time)})", file=file, table="Billing",
                   fields={"count": count, "first": first(one_time)})
