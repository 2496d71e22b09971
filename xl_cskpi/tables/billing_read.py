"""Reading a Billing frame's columns for :func:`xl_cskpi.tables.subscriptions.mrr_table` and
``SUBSCRIPTION_MRR``: dates, numbers, texts, intervals, statuses, flags and currencies, each error
naming the export's row. Split from :mod:`xl_cskpi.tables.subscriptions` (one idea per module); that
module re-exports :data:`STATUSES` and :data:`MONTHS_PER_INTERVAL`.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from .. import cells
from ..errors import InvalidInput, KPIError, OutOfRange
from .invoice_lines import PERIOD_KEYS, service_months
from .rows import row_codes, row_numbers, row_values

__all__ = ["MONTHS_PER_INTERVAL", "STATUSES"]

#: Length of one billing interval in months. A year is 12 months, a quarter 3; a week is 12/52 of
#: a month (52 weeks a year: weekly x 52/12 = x 4.333 a month) and a day 12/365 of a month
#: (daily x 365/12 = x 30.42 a month). See :func:`mrr_table` for the sources.
MONTHS_PER_INTERVAL = {"day": 12 / 365, "week": 12 / 52, "month": 1.0, "quarter": 3.0, "year": 12.0}

_INTERVAL_WORDS = {
    "day": ("day", "days", "daily", "d", "روز", "روزانه", "يوم", "أيام", "ايام", "يومي"),
    "week": ("week", "weeks", "weekly", "w", "wk", "هفته", "هفتگی", "هفتگي", "أسبوع", "اسبوع", "أسبوعي",
             "اسبوعي", "أسابيع"),
    "month": ("month", "months", "monthly", "m", "mo", "ماه", "ماهانه", "ماهیانه", "شهر", "شهري", "شهرية",
              "أشهر", "اشهر", "شهور"),
    "quarter": ("quarter", "quarters", "quarterly", "q", "فصل", "فصلی", "سهماهه", "ربع", "ربعسنوي",
                "فصلي"),
    "year": ("year", "years", "yearly", "annual", "annually", "y", "yr", "سال", "سالانه", "سالیانه", "سنة",
             "سنه", "سنوي", "سنوية", "سنوات", "عام"),
}

#: Billing statuses (Stripe's, with Chargebee's and Paddle's spellings) and what each means here:
#:
#: * ``paying`` -- active, past_due (paying until canceled: ChartMogul), future (judged by dates);
#: * ``renewal_off`` -- non_renewing (Chargebee): paying until the end of the current term;
#: * ``trial`` -- trialing, in_trial: not paying (Stripe, ChartMogul);
#: * ``never`` -- incomplete, incomplete_expired: the first payment never succeeded (Stripe);
#: * ``ended`` -- canceled, cancelled, ended, expired, deleted: paying until ``end`` (or the end of
#:   the current period when ``end`` is blank);
#: * ``stopped`` -- unpaid, paused: not paying at the date of the export (Stripe drops unpaid
#:   subscriptions from MRR); paying until ``end`` or ``as_of``, whichever is earlier.
#:
#: Invoice and transaction statuses (Paddle Billing's transaction entity,
#: developer.paddle.com/api-reference/transactions: draft, ready, billed, paid, completed, canceled,
#: past_due):
#:
#: * ``paying`` -- completed (paid and processed), paid (paid, not yet processed), billed (an issued
#:   invoice awaiting payment), past_due (payment failed, in dunning: ChartMogul keeps past-due
#:   revenue until it is canceled): the line's dates decide;
#: * ``unbilled`` -- draft, ready: a checkout or invoice not billed yet; not counted;
#: * canceled / cancelled on an *invoice line* (a row sized by its service period) is ``voided``: an
#:   invoice that is "no longer due" (Paddle) was never collected, so it never counts -- unlike a
#:   canceled subscription, which paid until its end.
#:
#: Stripe's invoice statuses (docs.stripe.com/invoicing/overview: draft, open, paid, uncollectible,
#: void): ``open`` is issued and awaiting payment (``paying``, as billed); ``void`` and
#: ``uncollectible`` were never collected (``voided``: never counted, reviewer's G4: a void invoice
#: re-issued as a paid one counted twice, as expansion).
STATUSES = {
    "active": "paying", "past_due": "paying", "pastdue": "paying", "future": "paying",
    "completed": "paying", "paid": "paying", "billed": "paying", "open": "paying",
    "draft": "unbilled", "ready": "unbilled",
    "void": "voided", "voided": "voided", "uncollectible": "voided",
    "non_renewing": "renewal_off", "nonrenewing": "renewal_off",
    "trialing": "trial", "in_trial": "trial", "intrial": "trial", "trial": "trial",
    "incomplete": "never", "incomplete_expired": "never", "incompleteexpired": "never",
    "canceled": "ended", "cancelled": "ended", "ended": "ended", "expired": "ended", "deleted": "ended",
    "unpaid": "stopped", "paused": "stopped",
    # Persian and Arabic words for the common ones (reports in fa/ar, hand-kept exports)
    "فعال": "paying", "نشط": "paying", "ساري": "paying", "معوق": "paying", "متأخر": "paying",
    "آزمایشی": "trial", "دورهآزمایشی": "trial", "تجريبي": "trial", "فترةتجريبية": "trial",
    "لغوشده": "ended", "لغو": "ended", "پایانیافته": "ended", "ملغى": "ended", "ملغي": "ended", "منتهي": "ended",
    "متوقف": "stopped", "موقوف": "stopped", "معلق": "stopped", "پرداختنشده": "stopped", "غيرمدفوع": "stopped",
}

#: The statuses an error message suggests (the others are spellings of these).
_STATUS_NAMES = ("active", "past_due", "trialing", "in_trial", "non_renewing", "incomplete",
                 "incomplete_expired", "canceled", "ended", "unpaid", "paused", "future",
                 "completed", "paid", "billed", "open", "draft", "ready", "void", "uncollectible")

_OPEN = np.iinfo(np.int64).max  # an end date that never comes (blank, 9999-12-31)
_NAT = np.iinfo(np.int64).min
_COUNT_INTERVAL = re.compile(r"^(?:every)?(\d+(?:\.\d+)?)?([^\d]+)$")


# --------------------------------------------------------------------------- reading the columns


class _Rows:
    """Names the rows of an export in messages: the file's row numbers when the frame carries them
    (``exports.read`` indexes rows by their line in the file), else 1, 2, 3..."""

    def __init__(self, index: pd.Index):
        default = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
        self.numbers = np.arange(1, len(index) + 1) if default else np.asarray(index)

    def __call__(self, i: int) -> str:
        return f"row {self.numbers[i]}"


def _day_numbers(d: np.ndarray) -> np.ndarray:
    """datetime64 -> int64 days since 1970-01-01 (the calendar day; a time of day is dropped), NaT as _NAT."""
    return np.asarray(d).astype("datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def _dates(values: Any, arg: str, *, open_end: bool = False, calendar: str = "gregorian") -> np.ndarray:
    """A column of dates as day numbers (``_NAT`` for blanks), read by the one reader of date
    columns, :func:`xl_cskpi.cells.date_column`: one reading rule per column, Jalali/Hijri text in
    ``calendar``; with ``open_end``, 9999-12-31 and other dates past 2262 are blanks: an end that
    never comes."""
    if isinstance(values, (pd.Series, pd.Index, np.ndarray)) and np.asarray(values).dtype.kind == "M":
        arr, _ = row_values(values)
        return _day_numbers(arr)
    arr, _ = row_values(values)
    flat = pd.Series(arr.astype(object) if arr.dtype.kind != "O" else arr, dtype=object)
    return _day_numbers(cells.date_column(flat, arg, calendar=calendar, open_end=open_end))


def _numbers(values: Any, arg: str) -> np.ndarray:
    if isinstance(values, (pd.Series, np.ndarray)) and np.asarray(values).dtype.kind in "fiu":
        return np.asarray(values, dtype=float).ravel()
    return row_numbers(row_values(values), arg)


def _texts(values: Any, arg: str) -> np.ndarray:
    arr, cols = row_values(values)
    return cells.texts(arr.reshape(-1, cols) if cols > 1 else arr, arg, keep_blanks=True)


def _labels(values: np.ndarray) -> np.ndarray:
    """Folded labels (case, Persian/Arabic letters, digits) with spaces, '-' and '_' removed."""
    codes, uniques = cells.factorize(values)
    folded = cells.fold_labels(np.asarray(uniques, dtype=object))
    out = np.empty(len(uniques) + 1, dtype=object)
    out[:-1] = [None if f is None else f.replace("-", "").replace("_", "") for f in folded]
    out[-1] = None
    return out[codes]


_STATUS_KEYS = {cells.fold_label(k).replace("-", "").replace("_", ""): v for k, v in STATUSES.items()}
_INTERVAL_KEYS = {cells.fold_label(w).replace("-", "").replace("_", ""): unit
                  for unit, words in _INTERVAL_WORDS.items() for w in words}


def _intervals(values: np.ndarray, counts: np.ndarray, where, arg: str, blank: float = 1.0) -> np.ndarray:
    """Months per billing period of each row: interval unit x interval count ("3 months" too);
    NaN for a row sized by its own service period (an invoice line: :data:`invoice_lines.PERIOD_WORDS`,
    and every blank interval when ``blank`` is NaN)."""
    out = np.full(len(values), blank)
    labels = _labels(values)
    uniques = [u for u in cells.factorize(labels)[1] if u is not None]
    for u in uniques:
        if u.replace(" ", "") in PERIOD_KEYS:
            out[labels == u] = np.nan
            continue
        m = _COUNT_INTERVAL.match(u)
        unit = _INTERVAL_KEYS.get(m.group(2)) if m else None
        if unit is None:
            i = int(np.flatnonzero(labels == u)[0])
            raise InvalidInput(f"has {cells.describe(values[i])} in {where(i)}; use day, week, month, quarter "
                               "or year (optionally with a count: \"3 months\")", argument=arg)
        factor = float(m.group(1)) if m.group(1) else 1.0
        out[labels == u] = MONTHS_PER_INTERVAL[unit] * factor
    bad = ~np.isnan(counts) & ~(counts > 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise OutOfRange(f"is {counts[i]:g} in {where(i)}; a billing interval count is above 0",
                         argument="interval_count")
    months = out * np.where(np.isnan(counts) | np.isnan(out), 1.0, counts)
    if (months <= 0).any():
        i = int(np.flatnonzero(months <= 0)[0])
        raise OutOfRange(f"is {cells.describe(values[i])} in {where(i)}; a billing period is longer than 0",
                         argument=arg)
    return months


def _flags(values: np.ndarray, where, arg: str) -> np.ndarray:
    """TRUE/FALSE column (blank = FALSE): logicals, 1/0, true/false, yes/no (en/fa/ar)."""
    out = np.zeros(len(values), dtype=bool)
    codes, uniques = cells.factorize(values)
    for k, u in enumerate(uniques):
        try:
            out[codes == k] = cells.flag(u, arg, False)
        except InvalidInput:
            i = int(np.flatnonzero(codes == k)[0])
            raise InvalidInput(f"has {cells.describe(u)} in {where(i)}; use TRUE or FALSE", argument=arg) from None
    return out


def _column(billing: pd.DataFrame, name: str) -> pd.Series | None:
    if name not in billing.columns:
        return None
    col = billing[name]
    if isinstance(col, pd.DataFrame):
        raise InvalidInput(f"is given {col.shape[1]} times; map one column of the export to it", argument=name)
    return col


class _FX:
    """Conversion of the rows of :func:`_mrr` (several currencies): see :func:`_customer_months`."""

    def __init__(self, currency: np.ndarray, rates: Any, split: bool, where):
        codes, uniques = cells.factorize(currency)
        self.names = [str(u) for u in uniques]
        self.codes = np.asarray(codes, dtype=np.int64)  # every row has a currency by now (no -1)
        self.n = max(len(self.names), 1)
        self.rates, self.split, self.where = rates, split, where
        self.local = np.empty(0)

    def prepare(self, idx: np.ndarray, first: int, n_months: int) -> "_FX":
        """Keep the rows ``idx`` (the counted ones) and the rates of the months ``first`` ...; an unknown
        currency among them is an error naming it and its row."""
        self.row_of = idx
        self.codes = self.codes[idx]
        for k, name in enumerate(self.names):
            rows = np.flatnonzero(self.codes == k)
            if len(rows) and not self.rates.known(name):
                raise self.rates.missing(name, first, self.where(int(idx[rows[0]])), "currency")
        self.first = first
        self.matrix = self.rates.matrix(self.names, first, n_months)
        return self

    def rate(self, rows: np.ndarray, months: np.ndarray) -> np.ndarray:
        r = self.matrix[self.codes[rows], months]
        if np.isnan(r).any():
            j = int(np.flatnonzero(np.isnan(r))[0])
            raise self.rates.missing(self.names[int(self.codes[rows[j]])], self.first + int(months[j]),
                                     self.where(int(self.row_of[rows[j]])), "currency")
        return r


def _renumbered(read, where: _Rows):
    """``read`` with its errors naming the export's rows (the cell readers count rows 1, 2, 3...)."""
    def call(values: Any, arg: str, **kw: Any) -> Any:
        try:
            return read(values, arg, **kw)
        except KPIError as e:
            e.reason = re.sub(r"\b(?:row|cell) (\d+)\b", lambda m: where(int(m.group(1)) - 1), e.reason,
                              count=1)
            e.args = (e.message,)
            raise
    return call


def _currencies(currency: np.ndarray | None, where, rates: Any, reporting_currency: Any, split: bool,
                calendar: str) -> tuple[_FX | None, str | None]:
    """The conversion of a currency column (see :func:`mrr_table`): ``(fx or None, reporting currency)``."""
    from .fx import read_rates  # fx reads no subscriptions: imported here to keep the modules apart

    given = rates is not None and not (isinstance(rates, (list, tuple)) and not rates)
    book = read_rates(rates, reporting_currency, calendar) if given else None
    reporting = book.reporting_currency if book else (
        None if reporting_currency is None or not str(reporting_currency).strip()
        else str(cells.text(reporting_currency, "reporting_currency")).strip().upper())
    if currency is None:
        if book is not None and reporting is None:
            raise InvalidInput("has no currency column, so the rates have nothing to convert; map the currency "
                               "column, or pass reporting_currency (every row is then in it)", argument="currency")
        return None, reporting
    folded = pd.Series(currency, dtype=object).str.upper()  # texts: stripped, None for blanks
    kinds = folded.dropna().unique()
    if book is None:
        if len(kinds) > 1:
            i, j = (int(np.flatnonzero(folded.to_numpy() == u)[0]) for u in kinds[:2])
            raise InvalidInput(f"mixes {kinds[0]} ({where(i)}) and {kinds[1]} ({where(j)}); MRR is a sum in one "
                               "currency: pass rates (date | currency | rate) to convert, or give one export per "
                               "currency", argument="currency")
        if len(kinds) == 1 and reporting is not None and kinds[0] != reporting:
            i = int(np.flatnonzero(folded.to_numpy() == kinds[0])[0])
            raise InvalidInput(f"is {kinds[0]} ({where(i)}) but reporting_currency is {reporting}; pass rates "
                               "(date | currency | rate) to convert", argument="currency")
        return None, reporting or (str(kinds[0]) if len(kinds) else None)
    blank = folded.isna().to_numpy()
    if blank.any():
        if reporting is None:
            i = int(np.flatnonzero(blank)[0])
            raise InvalidInput(f"is blank in {where(i)}; give each row its currency, or pass reporting_currency "
                               "(blank cells are then in it)", argument="currency")
        folded = folded.fillna(reporting)
    return _FX(folded.to_numpy(dtype=object), book, split, where), reporting


def _read_billing(billing: pd.DataFrame, where: _Rows, calendar: str, rates: Any = None,
                  reporting_currency: Any = None, by_currency: bool = False, invoices: bool = False) -> dict[str, Any]:
    """The typed columns of a Billing frame (None for an absent optional column)."""
    n = len(billing)
    dates, numbers, texts = (_renumbered(f, where) for f in (_dates, _numbers, _texts))
    cust, ids, _ = _renumbered(lambda v, a: row_codes(row_values(v), a), where)(
        _column(billing, "customer_id"), "customer_id")

    def col(name: str, read):
        c = _column(billing, name)
        return None if c is None else read(c, name)

    start = dates(_column(billing, "start"), "start", calendar=calendar)
    end = col("end", lambda c, a: dates(c, a, open_end=True, calendar=calendar))
    end = np.full(n, _NAT) if end is None else end
    amount = numbers(_column(billing, "amount"), "amount")
    quantity = col("quantity", numbers)
    counts = col("interval_count", numbers)
    interval = col("interval", texts)
    months = _intervals(interval if interval is not None else np.full(n, None, dtype=object),
                        counts if counts is not None else np.full(n, np.nan), where, "interval",
                        blank=np.nan if invoices else 1.0)
    fx, reporting = _currencies(col("currency", texts), where, rates, reporting_currency, by_currency, calendar)
    period_end = col("current_period_end", lambda c, a: dates(c, a, open_end=True, calendar=calendar))
    billed_at = col("billed_at", lambda c, a: dates(c, a, calendar=calendar))
    months, from_period = _count_from_period(months, counts, billed_at, period_end)
    # no column that gives a row a period: each amount is a monthly price (said in the Data check); a
    # customer's repeated equal amounts are then payments, not subscriptions (tables.subscriptions)
    no_period = not invoices and not any(k in billing.columns for k in (
        "interval", "interval_count", "end", "current_period_end", "billed_at", "trial_end"))
    return dict(fx=fx, reporting=reporting,
        cust=cust, ids=ids, start=start, end=end, amount=amount, months=months, quantity=quantity,
        discount_percent=col("discount_percent", numbers), discount_amount=col("discount_amount", numbers),
        trial_end=col("trial_end", lambda c, a: dates(c, a, calendar=calendar)), status=col("status", texts),
        cancel=col("cancel_at_period_end", lambda c, a: _flags(row_values(c)[0], where, a)),
        period_end=period_end, billed_at=billed_at, from_period=from_period,
        # no interval column at all, yet billing dates: a monthly price assumed (said in the Data check)
        assumed_monthly=interval is None and counts is None and not invoices and billed_at is not None,
        line_type=col("line_type", _line_texts), plan=col("plan", texts),
        # a pause (Chargebee's subscriptions.pause_date / resume_date, exports.billing_kinds): no MRR between
        pause_date=col("pause_date", lambda c, a: dates(c, a, calendar=calendar)),
        resume_date=col("resume_date", lambda c, a: dates(c, a, open_end=True, calendar=calendar)),
        interval_absent=interval is None and counts is None and not invoices, no_period=no_period,
        # the export's own MRR per subscription (Chargebee's subscriptions.mrr), compared with the reading
        vendor_mrr=col("vendor_mrr", numbers), subscription_id=col("subscription_id", texts),
        vendor_column=billing.attrs.get("vendor_mrr_column", "mrr"))


def _count_from_period(months: np.ndarray, counts: np.ndarray | None, billed_at: np.ndarray | None,
                       period_end: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """A subscription row without an interval count whose current period (``billed_at`` ->
    ``current_period_end``) is a whole number of its intervals, 2 or more, bills that many at a time:
    Stripe's export without an Interval Count column writes a quarterly price as ``Interval month``,
    and its current period, 20 Jun -> 20 Sep, says three months (R F18: 270 a quarter read as 270 a
    month). Returns the months and the rows so sized (None when none)."""
    if billed_at is None or period_end is None:
        return months, None
    blank = np.ones(len(months), dtype=bool) if counts is None else np.isnan(counts)
    cand = blank & ~np.isnan(months) & (billed_at != _NAT) & (period_end != _NAT) & (period_end > billed_at)
    if not cand.any():
        return months, None
    idx = np.flatnonzero(cand)
    span = service_months(billed_at[idx], period_end[idx])
    ratio = span / months[idx]
    use = (ratio > 1.5) & np.isclose(ratio, np.round(ratio), rtol=0, atol=1e-9)
    if not use.any():
        return months, None
    months = months.copy()
    months[idx[use]] = span[use]
    from_period = np.zeros(len(months), dtype=bool)
    from_period[idx[use]] = True
    return months, from_period


def _line_texts(values: Any, arg: str) -> np.ndarray:
    """A ``line_type`` column as texts (None for blanks); a logical (a proration flag) as true/false."""
    arr, _ = row_values(values)
    if arr.dtype.kind in "bO":
        arr = np.array(["true" if v is True or v is np.True_ else "false" if v is False or v is np.False_ else v
                        for v in arr], dtype=object)
    return cells.texts(arr, arg, keep_blanks=True)


