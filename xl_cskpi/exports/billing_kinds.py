"""What kind of billing export a file is, and the columns of it the Billing table has no field for.

The pipeline (``reports.fill``) types a billing export into the Billing table's fields; this module
looks at the *whole* file once more, before the MRR is computed:

=======================  ================================================================================
:func:`billing_frame`    the typed Billing frame, refused when the file is a payments (charges) export,
                         with the columns MRR needs that no field names: a Chargebee pause
                         (``pause_date`` / ``resume_date``), a Product Catalog 2.0 item type (a one-time
                         ``charge`` is not MRR), a coupon (applied when it states its discount, else a
                         warning naming the column)
:func:`money_in_cents`   amounts under a header saying cents (``unit_amount_in_cents``, ``Amount
                         (cents)``) divided by the currency's minor units, with a Data check line
=======================  ================================================================================

**Payments are not subscriptions.** A payments export (Stripe Dashboard > Payments > Export: ``Seller
Message``, ``Amount Refunded``, ``Captured``, ``Card ID`` ...) says what was paid and when, never for
which period: read as subscriptions, each payment becomes a monthly subscription that never ends (an
annual payment of 1,200 is 1,200 MRR every month, reviewer's G3). It is refused with one line saying
which export to give, unless its rows carry a period (an interval, an end or a current period end
mapped with ``--map``).

**Cents.** A header that *says* cents (``..._in_cents``, ``..._cents``, ``(cents)``, ``minor units``)
decides; values are never guessed from. The amounts are divided by 10 to the currency's minor digits
(:data:`MINOR_DIGITS`, ISO 4217 as Stripe and Paddle list zero- and three-decimal currencies: JPY 1,
KWD 1,000, every other currency 100), unless the file's profile already reads its amounts as minor
units (Paddle: ``reports.fill._minor_units``).

**Coupons.** ChartMogul's MRR is after discounts ("Discounts/coupons are deducted prior to
calculation", help.chartmogul.com, "Metric: Monthly Recurring Revenue"). A coupon column (Stripe's
``Coupon``) whose cell states its discount (``50%``, ``50% off``, ``20 percent``, ``$10 off``) is applied
as a percent or amount off; a coupon id (``HALFOFF``) does not say how much it takes off: a warning
names the column and the first row (never a silent MRR before discounts).

**Pauses.** Chargebee's ``subscriptions.pause_date`` / ``resume_date`` (apidocs.chargebee.com,
subscription attributes; its own ``subscriptions.mrr`` is 0 while paused): the subscription pays no
MRR from the pause date to the resume date (:func:`xl_cskpi.tables.subscriptions.mrr_table`).
Stripe's subscriptions export has no pause date, but its status ``paused`` says when: "A subscription
can only enter a paused status when a trial ends without a payment method. A paused subscription doesn't
generate invoices" (Stripe API, subscription object, ``status``; docs.stripe.com/billing/subscriptions/
trials, "Pause subscriptions when trials end without a payment method"). The frame of a Stripe export
carries ``attrs["paused_at_trial_end"]``: a paused row with a Trial End, not renewed since, pays nothing
from it (reviewer's R7 K9; an active row with a ``pause_collection`` is another thing, Stripe's pause of
payment collection, which keeps the status active and is read as active). It carries
``attrs["paused_at_period_end"]`` too: Stripe moves the current period only on a renewal, so a paused row
whose Current Period End is before the export was not renewed and pays nothing from that day (reviewer's
R8 L6; ``unpaid`` rows keep the export's date: Stripe keeps advancing their periods).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from .check import DataCheck, ExportError
from .headers import normalise

__all__ = ["MINOR_DIGITS", "PAYMENT_HEADERS", "billing_frame", "export_checks", "money_in_cents", "cents_header",
           "coupon_discount", "payments_headers"]

#: Decimal places of currencies whose lowest denomination is not a hundredth (ISO 4217 minor units,
#: as Stripe and Paddle list their zero- and three-decimal currencies); every other currency has 2.
#: (The same table as ``reports.fill.MINOR_DIGITS``.)
MINOR_DIGITS = {**dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF",
                                 "UGX", "VND", "VUV", "XAF", "XOF", "XPF"), 0),
                **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3)}

#: Headers only a payments (charges) export writes (normalised): Stripe Dashboard > Payments >
#: Export (``Seller Message``, ``Amount Refunded``, ``Converted Amount Refunded``, ``Captured``,
#: ``Card ID``, ``Card Last4``, ``Card Brand``, ``Payment Intent ID``, ``Dispute Status``). Two of them
#: make a file a payments export.
PAYMENT_HEADERS = ("seller_message", "amount_refunded", "converted_amount_refunded", "captured", "card_id",
                   "card_last4", "card_brand", "card_fingerprint", "payment_intent_id", "dispute_status",
                   "disputed_amount", "payment_method_type")

#: Billing fields that give a row its period: with one of them mapped, a payments export is read.
_PERIOD_FIELDS = ("interval", "interval_count", "end", "current_period_end")

_CENTS = re.compile(r"(^|_)(in_)?(cents|minor_units?|lowest_denomination)($|_)"
                    r"|^(amount|price|mrr|unitamount)(in)?cents$")

#: Columns (normalised headers) whose first present one is read, per extra field of the Billing frame.
_EXTRA = {
    "pause_date": ("subscriptions_pause_date", "pause_date", "paused_at", "pause_start", "paused_on"),
    "resume_date": ("subscriptions_resume_date", "resume_date", "resumes_at", "resumed_at", "pause_end",
                    "resume_on"),
    "line_type": ("subscription_items_item_type", "item_type", "charge_type"),
    # the export's own MRR per subscription (Chargebee): compared with the MRR read (tables.billing_checks)
    "vendor_mrr": ("subscriptions_mrr",),
    "coupon": ("coupon", "coupon_id", "coupon_code", "coupons", "discount_code", "promo_code", "promotion_code",
               "subscriptions_coupon", "subscriptions_coupon_id", "applied_coupons"),
}

_PERCENT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:%|percent|pct)\s*(?:off)?\s*$", re.I)
_AMOUNT = re.compile(r"^\s*[$€£]?\s*(\d+(?:[.,]\d+)?)\s*(?:[$€£]|usd|eur|gbp)?\s*off\s*$", re.I)


def payments_headers(headers: Any) -> list[str]:
    """The headers of a file that only a payments export writes (as written), in file order."""
    return [str(h) for h in headers if normalise(h) in PAYMENT_HEADERS]


def cents_header(header: Any) -> bool:
    """The header says its amounts are in cents / minor units (``unit_amount_in_cents``, ``Amount (cents)``)."""
    return bool(_CENTS.search(normalise(header)))


def coupon_discount(text: Any) -> tuple[str, float] | None:
    """``("percent", 50.0)`` for ``50%`` / ``50% off`` / ``50 percent``, ``("amount", 10.0)`` for ``$10 off``;
    None for a coupon that does not state its discount (an id such as ``HALFOFF``)."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    s = str(text).strip()
    m = _PERCENT.match(s)
    if m:
        return "percent", float(m.group(1).replace(",", "."))
    m = _AMOUNT.match(s)
    if m:
        return "amount", float(m.group(1).replace(",", "."))
    return None


def _digits(currency: Any, n: int) -> np.ndarray:
    if currency is None:
        return np.full(n, 2.0)
    codes = pd.Series(np.asarray(currency, dtype=object)).fillna("").astype(str).str.strip().str.upper()
    return np.array([MINOR_DIGITS.get(c, 2) for c in codes], dtype=float)


def money_in_cents(tb: Any, typed: dict[str, np.ndarray], headers: dict[str, str], profile: str | None,
                   file: str, check: DataCheck | None) -> None:
    """Money columns of ``tb`` whose header says cents -> currency units (in place in ``typed``), with
    an info line ``amount_in_cents``; nothing when the profile already reads minor units (Paddle)."""
    from .profiles import PROFILES

    p = PROFILES.get(profile or "")
    if p is not None and p.minor_units:
        return
    money = [c.key for c in tb.inputs if c.kind == "money" and c.key in typed and c.key in headers
             and cents_header(headers[c.key])]
    if not money:
        return
    n = len(typed[money[0]])
    digits = _digits(typed.get("currency"), n)
    for key in money:
        typed[key] = np.asarray(typed[key], dtype=float) / 10 ** digits
    cols = ", ".join(headers[k] for k in money)
    if check is not None:
        check.info("amount_in_cents", f"{cols}: the header says cents: amounts divided by 100 (by 1 for JPY and "
                   "other zero-decimal currencies, by 1,000 for three-decimal ones such as KWD)", file=file,
                   table=tb.name, fields={"columns": cols})


#: Headers of an invoices export (normalised): a service period and an invoice amount.
_INVOICE_PERIOD = (("period_start_utc", "period_start"), ("period_end_utc", "period_end"),
                   ("amount_due", "subtotal", "amount_paid"))


def export_checks(tb: Any, typed: dict[str, np.ndarray], raw: pd.DataFrame, headers: dict[str, str],
                  profile: str | None, file: str, check: DataCheck | None) -> None:
    """The checks of one export typed into ``tb`` (``reports.fill._table``): amounts under a cents header
    (:func:`money_in_cents`), and an invoices export (a period start and end, an invoice amount) read as
    customer-month MRR is refused: an invoice is an amount for its service period, not a month's MRR
    (reviewer's G4: ``--map mrr="Amount Due"`` made an annual invoice one month of 1,200, then churned)."""
    if tb.name == "Subscriptions":
        names = {normalise(h): str(h) for h in raw.columns}
        found = [next((names[n] for n in group if n in names), None) for group in _INVOICE_PERIOD]
        if all(found):
            raise ExportError(
                f"{file}: an invoices export (columns {found[0]}, {found[1]}, {found[2]}) read as customer-month MRR: "
                "an invoice is an amount for its service period, not a month's MRR (an annual invoice would be one "
                "month of MRR, then churned). Leave out --map mrr=...: an invoices export is read as invoice lines, "
                "each sized by its period (a file no profile recognises needs start, end and amount mapped to the "
                "period's start and end and the amount before tax, and an interval column holding 'period')")
    money_in_cents(tb, typed, headers, profile, file, check)


def _extra(raw: pd.DataFrame, used: set[str], names: tuple[str, ...]) -> str | None:
    by_name = {normalise(h): h for h in raw.columns if h not in used}
    for n in names:
        if n in by_name:
            return by_name[n]
    return None


def billing_frame(billing: pd.DataFrame, raw: pd.DataFrame, headers: dict[str, str], profile: str | None,
                  file: str, check: DataCheck | None) -> pd.DataFrame:
    """The Billing frame of one export, checked against the whole file (``raw``, its columns as
    written; ``headers`` ``{field: header}`` of the mapping):

    * a payments export (two :data:`PAYMENT_HEADERS`) whose rows carry no period is refused
      (:class:`ExportError` naming the export to give);
    * a Stripe subscriptions export gets ``attrs["paused_at_trial_end"]`` (its status paused starts at
      the trial end) and ``attrs["paused_at_period_end"]`` (or at the latest at a current period end
      before the export);
    * unmapped columns MRR needs are added: ``pause_date`` / ``resume_date`` (Chargebee), ``line_type``
      (Chargebee PC 2.0 ``subscription_items.item_type``: plan, addon, charge), and a coupon column is
      applied or warned about (``coupon_applied`` / ``coupon_not_applied``).
    """
    paid = payments_headers(raw.columns)
    if len(paid) >= 2 and not any(f in billing.columns for f in _PERIOD_FIELDS):
        raise ExportError(
            f"{file}: this is a payments (charges) export (columns {', '.join(paid[:3])}), not subscriptions: a "
            "payment says what was paid and when, not for which period, so it gives no MRR (an annual payment "
            "would count as a month's MRR in every month). Export the subscriptions instead (Stripe: Billing > "
            "Subscriptions > Export, one row per subscription with its interval), or invoice line items with "
            "their service period (Period Start / Period End); if these rows do carry a period, map it "
            "(--map interval=HEADER or --map end=HEADER)")
    if profile == "stripe_invoices":
        _looks_back(billing, file)
    if profile == "stripe":
        _plan_changed(billing, raw, headers, file, check)
        # Stripe's status paused begins at the trial end (the module's Pauses): read by tables.subscriptions
        billing.attrs["paused_at_trial_end"] = True
        billing.attrs["paused_at_period_end"] = True
    used = set(headers.values()) | {part for h in headers.values() if " / " in h for part in h.split(" / ")}
    out = billing
    for field_, names in _EXTRA.items():
        if field_ in out.columns:
            continue
        h = _extra(raw, used, names)
        if h is None:
            continue
        _read_here(check, file, h)
        if field_ == "coupon":
            out = _coupon(out, raw[h], h, file, check)
            continue
        if out is billing:
            out = billing.copy()
        out[field_] = raw[h].to_numpy(dtype=object)
        if field_ == "vendor_mrr":
            out.attrs["vendor_mrr_column"] = str(h)
        used.add(h)
    return out


def _read_here(check: DataCheck | None, file: str, header: str) -> None:
    """The mapping said ``header`` feeds no field (``column_ignored``); this module reads it: that line
    would be untrue, so it goes (the lines this module writes say what the column did)."""
    if check is not None:
        check.findings[:] = [f for f in check.findings
                             if not (f.code == "column_ignored" and f.column == header and f.file == file)]


def _plan_changed(billing: pd.DataFrame, raw: pd.DataFrame, headers: dict[str, str], file: str,
                  check: DataCheck | None) -> None:
    """Stripe's ``Start (UTC)`` is when the current plan configuration started (docs.stripe.com/changelog/
    2019-10-17/replaces-subscription-start-field); later than ``Start Date (UTC)``, it proves a plan change,
    so the months before it are shown at today's price (a subscriptions export is a snapshot): an info line
    ``plan_changed`` (reviewer's G2, cus_B's upgrade on 10 May invisible)."""
    if check is None or "start" not in billing.columns:
        return
    h = next((c for c in raw.columns if normalise(c) == "start_utc" and c not in headers.values()), None)
    if h is None:
        return
    from ..cells import date_column

    try:
        changed = np.asarray(date_column(pd.Series(raw[h].to_numpy(dtype=object)), h)).astype("datetime64[D]")
    except Exception:       # noqa: BLE001 -- an unreadable column is not this check's business
        return
    start = np.asarray(billing["start"]).astype("datetime64[ns]").astype("datetime64[D]")
    later = ~np.isnat(changed) & ~np.isnat(start) & (changed > start)
    if not later.any():
        return
    i = int(np.flatnonzero(later)[0])
    count, row, day = int(later.sum()), str(billing.index[i]), str(changed[i])
    check.info("plan_changed", f"{count:,} subscription(s) changed plan after they started (column {h}, first at row "
               f"{row}: {day}): a subscriptions export holds today's price only, so their months before the change "
               "show today's price and the change itself is not seen", file=file, table="Billing", column=h,
               fields={"count": count, "column": h, "row": row, "changed": day})


def _looks_back(billing: pd.DataFrame, file: str) -> None:
    """Stripe's invoice-level Period Start / Period End of a subscription invoice is the period *before*
    the invoice ("looks back one period", docs.stripe.com/api/invoices/object ``period_end``; the
    first invoice's period is empty), not the service period paid for: a file where most invoices'
    Period End is their date (and no later) is refused, naming the export to give."""
    if not {"start", "end", "billed_at"} <= set(billing.columns):
        return
    day = lambda c: np.asarray(billing[c]).astype("datetime64[ns]").astype("datetime64[D]")  # noqa: E731
    try:
        start, end, billed = day("start"), day("end"), day("billed_at")
    except (TypeError, ValueError):
        return
    both = ~np.isnat(end) & ~np.isnat(billed) & ~np.isnat(start)
    back = both & (end == billed)
    ahead = both & (start == billed) & (end > start)
    if back.sum() > ahead.sum():
        i = int(np.flatnonzero(back)[0])
        raise ExportError(
            f"{file}: Period End is the invoice's own date in {int(back.sum())} of {int(both.sum())} invoices (first "
            f"at row {billing.index[i]}): Stripe's invoice period looks back one period (the time before the "
            "invoice, not the service period it pays for), so it cannot size MRR. Export the invoice line items "
            "(each line's period is its service period) or the subscriptions (Billing > Subscriptions > Export)")


def _coupon(billing: pd.DataFrame, col: pd.Series, header: str, file: str, check: DataCheck | None) -> pd.DataFrame:
    """Apply the coupons that state their discount; warn about those that do not."""
    values = col.to_numpy(dtype=object)
    filled = np.array([v is not None and not (isinstance(v, float) and np.isnan(v)) and str(v).strip() != ""
                       for v in values], dtype=bool)
    if not filled.any():
        return billing
    given = [k for k in ("discount_percent", "discount_amount") if k in billing.columns]
    if given:
        netted = np.zeros(len(values), dtype=bool)
        for k in given:
            netted |= ~np.isnan(np.asarray(billing[k], dtype=float))
        filled &= ~netted
        if not filled.any():
            return billing
    parsed = [coupon_discount(v) if f else None for v, f in zip(values, filled)]
    read = np.array([p is not None for p in parsed], dtype=bool)
    rows = billing.index.to_numpy()
    out = billing
    if read.any():
        out = billing.copy()
        for kind, key in (("percent", "discount_percent"), ("amount", "discount_amount")):
            these = np.array([p is not None and p[0] == kind for p in parsed], dtype=bool)
            if not these.any():
                continue
            col_ = (np.asarray(out[key], dtype=float).copy() if key in out.columns
                    else np.full(len(out), np.nan))
            col_[these] = [p[1] for p, t in zip(parsed, these) if t]
            out[key] = col_
        i = int(np.flatnonzero(read)[0])
        count, first, coupon = int(read.sum()), f"row {rows[i]}", str(values[i]).strip()
        if check is not None:
            check.info("coupon_applied", f"{count:,} coupon(s) in column {header} state their discount and are "
                       f"deducted before MRR (first at {first}: {coupon})", file=file, table="Billing",
                       column=header, fields={"count": count, "column": header, "first": first, "row": str(rows[i]),
                                              "coupon": coupon})
    left = filled & ~read
    if left.any() and check is not None:
        i = int(np.flatnonzero(left)[0])
        count, first, coupon = int(left.sum()), f"row {rows[i]}", str(values[i]).strip()
        check.warn("coupon_not_applied", f"{count:,} subscription row(s) carry a coupon in column {header} (first at "
                   f"{first}: {coupon}) that does not say how much it takes off: their MRR is before the discount; "
                   "map a percent-off or amount-off column (--map discount_percent=HEADER or --map "
                   "discount_amount=HEADER) to net it", file=file, table="Billing", column=header,
                   fields={"count": count, "column": header, "first": first, "row": str(rows[i]), "coupon": coupon})
    return out
