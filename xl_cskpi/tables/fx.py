"""Several currencies: exchange rates by month, conversion of MRR, and the FX-impact movement.

**Rates table.** Three columns ``date | currency | rate`` (a header row is allowed): one unit of
``currency`` is worth ``rate`` units of the reporting currency (reporting USD: ``EUR 1.08`` means
100 EUR of MRR is 108 USD). ``date`` is a date (a daily or monthly series) or a month label
(``2024-09``, ``1403-06``). The rate of a currency in a month is the **last rate dated in that
month**; a month without a rate for a currency that needs one is an error naming the currency and
the month, never a silent 1.0 or a rate carried from another month. The reporting currency
(``reporting_currency``) is worth 1 and needs no rows.

**Which day converts a month.** The MRR of a month is a snapshot on its last day
(:mod:`xl_cskpi.tables.subscriptions`), so each month's MRR is converted at that month's rate, the
latest in the month: Chargebee RevenueStory does the same ("We calculate the period-end exchange
rates and convert the MRR in transaction currency to MRR in reporting currency based on those
rates", support.chargebee.com, "How Exchange Rates affect RevenueStory metrics over time?").
ChartMogul instead converts each invoice's MRR at the rate of its *service period start* ("For
MRR, the conversion rate is based on the service period start date", help.chartmogul.com, article
201520952, "How ChartMogul handles subscriptions billed in foreign currencies"), so an annual
plan keeps one rate for its year there and moves every month here. Give one rate per month dated
on the first day to reproduce a start-of-month convention.

**FX impact.** Both vendors keep rate moves out of expansion and contraction: ChartMogul "doesn't
generate MRR movements for expansion or contraction resulting from currency fluctuations. Instead,
we report these in the Exchange Rate Impact row" (same article); Chargebee reports the variance in
its Net MRR growth report. :func:`mrr_movements_fx` does the same (see there).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import calendars, cells
from ..errors import InvalidInput, KPIError, NotAvailable, OutOfRange
from ..registry import kpi
from .movements import MOVEMENT_COLUMNS
from .rows import MAX_MONTHS, check_rows, check_span, flat_ranges, row_codes, row_dates, row_numbers, \
    row_periods, row_values, row_where, sorted_unique

__all__ = ["Rates", "read_rates", "currency_codes", "mrr_movements_fx", "FX_COLUMN", "FX_MOVEMENT_COLUMNS"]

#: The column :func:`mrr_movements_fx` adds after ``MRR_MOVEMENTS``' columns.
FX_COLUMN = "FX impact MRR"
FX_MOVEMENT_COLUMNS = (*MOVEMENT_COLUMNS, FX_COLUMN)

_HEADER_WORDS = {"date", "month", "day", "currency", "rate", "fx", "fxrate", "exchangerate", "تاریخ", "ماه",
                 "ارز", "نرخ", "التاريخ", "الشهر", "العملة", "السعر", "سعرالصرف"}


def _fold_code(value: Any) -> str | None:
    """A currency as written, folded: stripped and upper case (``usd`` = ``USD``); None if blank."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    s = str(value).strip()
    return s.upper() if s else None


def currency_codes(values: Any, arg: str) -> tuple[np.ndarray, int]:
    """Folded currency text of each cell (None for blanks) and the range's width."""
    arr, cols = row_values(values)
    text = cells.texts(arr.reshape(-1, cols) if cols > 1 else arr, arg, keep_blanks=True)
    codes, uniques = cells.factorize(text)  # fold each value once
    folded = np.empty(len(uniques) + 1, dtype=object)
    folded[:-1] = [_fold_code(u) for u in uniques]
    folded[-1] = None
    return folded[codes], cols


class Rates:
    """Monthly rates per currency: ``rate(currency, month ordinal)``; see the module notes."""

    def __init__(self, table: dict[str, dict[int, float]], reporting_currency: str | None, calendar: str):
        self.table = table
        self.reporting_currency = reporting_currency
        self.calendar = calendar

    def known(self, currency: str) -> bool:
        return currency == self.reporting_currency or currency in self.table

    def matrix(self, currencies: list[str], first: int, n_months: int) -> np.ndarray:
        """``R[k, t]``: rate of ``currencies[k]`` in month ``first + t``; NaN where the table has none."""
        out = np.full((len(currencies), n_months), np.nan)
        for k, cur in enumerate(currencies):
            if cur == self.reporting_currency:
                out[k] = 1.0
                continue
            for ordinal, rate in self.table.get(cur, {}).items():
                if 0 <= ordinal - first < n_months:
                    out[k, ordinal - first] = rate
        return out

    def missing(self, currency: str, ordinal: int, where: str, arg: str) -> KPIError:
        label = calendars.ordinal_labels([ordinal], "month", self.calendar).tolist()[0]
        if not self.known(currency):
            return InvalidInput(f"has {currency!r} in {where}, a currency with no rate in rates (and not the "
                                "reporting currency); add its rates (date | currency | rate) or correct the code",
                                argument=arg)
        return NotAvailable(f"has no {currency} rate in {label} (needed by {where}); add a rate dated in that "
                            "month (the last one dated in a month converts it)", argument="rates")


def _rate_frame(rates: Any) -> tuple[Any, Any, Any, int]:
    """The three columns of a rates range or DataFrame, and the number of header rows skipped."""
    if isinstance(rates, pd.DataFrame):
        cols = {cells.fold_label(str(c)).replace(" ", "").replace("_", ""): c for c in rates.columns}
        pick = []
        for names in (("date", "month", "day"), ("currency", "code"), ("rate", "fxrate", "exchangerate")):
            found = next((cols[n] for n in names if n in cols), None)
            pick.append(found)
        if None in pick:
            if rates.shape[1] != 3:
                raise InvalidInput("needs the columns date, currency and rate", argument="rates")
            pick = list(rates.columns)
        return rates[pick[0]], rates[pick[1]], rates[pick[2]], 0
    flat, width = cells.flatten(rates)
    if width != 3:
        raise InvalidInput(f"has {width} column(s); give three: date | currency | rate", argument="rates")
    rows = [flat[i:i + 3] for i in range(0, len(flat), 3)]
    skip = 0
    if rows and isinstance(rows[0][2], str) and all(
            v is None or (isinstance(v, str) and cells.fold_label(v).replace(" ", "").replace("_", "")
                          in _HEADER_WORDS) for v in rows[0]):
        skip = 1
    body = rows[skip:]
    return [r[0] for r in body], [r[1] for r in body], [r[2] for r in body], skip


def read_rates(rates: Any, reporting_currency: Any = None, calendar: str = "gregorian") -> Rates:
    """A rates range or DataFrame (``date | currency | rate``) as :class:`Rates`.

    Errors name the rates row: a partly blank row, a rate not above 0, two different rates for one
    currency on the same day (or month label), a rate for the reporting currency other than 1.
    """
    reporting = None
    if reporting_currency is not None and not (isinstance(reporting_currency, str) and not reporting_currency.strip()):
        flat, _ = cells.flatten(reporting_currency)
        if len(flat) != 1:
            raise InvalidInput("is a range; give one currency code such as USD", argument="reporting_currency")
        reporting = _fold_code(cells.text(reporting_currency, "reporting_currency")) if flat[0] is not None else None
    dates, currencies, values, skip = _rate_frame(rates)
    flat = flat_ranges(date=dates, currency=currencies, rate=values)
    ords, date_blank, _ = row_periods(flat["date"], "rates", "month", calendar)
    try:  # the day within the month orders several rates of one month (month labels have none)
        days = row_dates(flat["date"], "rates").astype("datetime64[D]").astype(np.int64)
    except KPIError:
        days = np.zeros(len(ords), dtype=np.int64)
    code, _ = currency_codes(flat["currency"][0], "rates")
    rate = row_numbers(flat["rate"], "rates")
    where = lambda i: f"row {i + 1 + skip} of rates"  # noqa: E731
    blank = {"date": date_blank, "currency": np.equal(code, None), "rate": np.isnan(rate)}
    every = blank["date"] & blank["currency"] & blank["rate"]
    for name, mask in blank.items():
        bad = mask & ~every
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InvalidInput(f"has a blank {name} in {where(i)}; every rate needs a date, a currency and a rate",
                               argument="rates")
    bad = ~every & ~(rate > 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise OutOfRange(f"has the rate {rate[i]:g} in {where(i)}; a rate is above 0 (reporting-currency units "
                         "for one unit of the currency)", argument="rates")
    table: dict[str, dict[int, float]] = {}
    chosen: dict[tuple[str, int], tuple[int, float, int]] = {}
    for i in np.flatnonzero(~every):
        key = (code[i], int(ords[i]))
        previous = chosen.get(key)
        if previous is not None and previous[0] == days[i] and previous[1] != rate[i]:
            label = calendars.ordinal_labels([key[1]], "month", calendar).tolist()[0]
            raise InvalidInput(f"gives {key[0]} two rates for the same day in {label} ({where(previous[2])} and "
                               f"{where(int(i))}); keep one", argument="rates")
        if previous is None or days[i] >= previous[0]:
            chosen[key] = (int(days[i]), float(rate[i]), int(i))
    for (cur, ordinal), (_, value, i) in chosen.items():
        if cur == reporting and value != 1.0:
            raise OutOfRange(f"gives the reporting currency {cur} the rate {value:g} in {where(i)}; the reporting "
                             "currency is worth 1 (leave its rows out)", argument="rates")
        table.setdefault(cur, {})[ordinal] = value
    return Rates(table, reporting, calendar)


# --------------------------------------------------------------------------- the FX movement


@kpi(category="Revenue", returns="table", rows=("customer_ids", "months", "mrr_local", "currencies"),
     neutral={"mrr_local": 0}, args={
    "customer_ids": "Customer id of each row of the billing export (text or numbers)",
    "months": "Month of each row: a date, an Excel serial or a label such as 2024-09 or 1403-06",
    "mrr_local": "MRR of the row in its own currency (0 or blank = not paying)",
    "currencies": "Currency of each row (USD, EUR, IRR...), or one for all",
    "rates": "Rates table date | currency | rate: one unit of the currency = rate units of the reporting "
             "currency; the last rate dated in a month converts that month",
    "reporting_currency": "Currency the table is in (worth 1, needs no rates); blank = the rates' target",
    "calendar": 'Calendar that dates are bucketed by: "gregorian", "jalali" or "hijri"',
})
def mrr_movements_fx(customer_ids, months, mrr_local, currencies, rates, reporting_currency=None,
                     calendar="gregorian"):
    """MRR bridge per month in one reporting currency, with an FX-impact column that closes it.

    The columns of ``MRR_MOVEMENTS`` (same order, amounts in the reporting currency) and a last
    column ``FX impact MRR``, so that in every month::

        start + new + expansion + reactivation - contraction - churned + FX impact = end

    Each customer-month's MRR is the sum over its currencies of local MRR x that month's rate (the
    module notes say which rate). For a customer paying in both m-1 and m:

    * **FX impact** = sum over currencies of ``local(m-1) x (rate(m) - rate(m-1))``: last month's
      local MRR revalued at this month's rate;
    * **expansion / contraction** = sum over currencies of ``(local(m) - local(m-1)) x rate(m)``,
      above / below 0: the change in local MRR at this month's rate.

    So a customer whose local MRR is unchanged shows no expansion or contraction, only FX impact.
    New and reactivation MRR are the customer's converted MRR in m; churned MRR is their converted
    MRR in m-1 (what left the starting MRR). Customer counts as in ``MRR_MOVEMENTS`` (a customer
    pays in a month when their local MRR, in any currency, is above 0). With one currency and no
    rate moves, the table equals ``MRR_MOVEMENTS`` and FX impact is 0.

    Edge cases: a currency with no rate at all (and not the reporting currency) is ``#VALUE!``
    naming it and its row; a month without a rate for a currency in use then is ``#N/A`` naming the
    currency and the month; a rate not above 0 is ``#NUM!`` naming its rates row; the row errors
    are ``MRR_MOVEMENTS``' (a negative MRR is ``#NUM!``, a row with an id but no month ``#VALUE!``).

    Sources: ChartMogul, "How ChartMogul handles subscriptions billed in foreign currencies"
    (help.chartmogul.com, article 201520952): no expansion or contraction from currency
    fluctuations; "Exchange Rate Impact" row. Chargebee, "How Exchange Rates affect RevenueStory
    metrics over time?": period-end rates, the variance reported in the Net MRR growth report.

    Example -- a customer paying 100 EUR in September and October while the euro goes from 1.10 to
    1.20 USD, and a US customer going from 50 to 60 USD:

    >>> rates = [["date", "currency", "rate"], ["2024-09", "EUR", 1.10], ["2024-10", "EUR", 1.20]]
    >>> t = mrr_movements_fx(["eu", "us", "eu", "us"], ["2024-09", "2024-09", "2024-10", "2024-10"],
    ...                      [100, 50, 100, 60], ["EUR", "USD", "EUR", "USD"], rates, "USD")
    >>> t[["Month", "Starting MRR", "New MRR", "Expansion MRR", "FX impact MRR", "Ending MRR"]].round(6)
         Month  Starting MRR  New MRR  Expansion MRR  FX impact MRR  Ending MRR
    0  2024-09           0.0    160.0            0.0            0.0       160.0
    1  2024-10         160.0      0.0           10.0           10.0       180.0
    """
    calendar = cells.choice(calendar, "calendar", calendars.CALENDARS, default="gregorian")
    book = read_rates(rates, reporting_currency, calendar)
    flat = flat_ranges(customer_ids=customer_ids, months=months, mrr_local=mrr_local)
    n = len(flat["customer_ids"][0])
    cust, _, cols = row_codes(flat["customer_ids"], "customer_ids")
    ords, month_blank, _ = row_periods(flat["months"], "months", "month", calendar, monthly_rows=True)
    amount = row_numbers(flat["mrr_local"], "mrr_local")
    code, _ = currency_codes(currencies, "currencies")
    if len(code) == 1 and n != 1:
        code = np.repeat(code, n)
    elif len(code) != n:
        raise InvalidInput(f"has {len(code)} cells but customer_ids has {n}; give one per row or one for all",
                           argument="currencies")
    if (amount < 0).any():
        i = int(np.flatnonzero(amount < 0)[0])
        raise OutOfRange(f"is {amount[i]:g} in {row_where(i, cols)}; MRR cannot be negative", argument="mrr_local")
    keep = check_rows({"customer_ids": cust < 0, "months": month_blank, "mrr_local": np.isnan(amount)},
                      cols, required=("customer_ids", "months"))
    paying_row = keep & (np.nan_to_num(amount) > 0)
    no_currency = paying_row & np.equal(code, None)
    if no_currency.any():
        i = int(np.flatnonzero(no_currency)[0])
        if book.reporting_currency is None:
            raise InvalidInput(f"is blank in {row_where(i, cols)}; give each paying row its currency (or pass "
                               "reporting_currency: blank cells are then in it)", argument="currencies")
        code = np.where(np.equal(code, None), book.reporting_currency, code)
    rows_idx = np.flatnonzero(keep)
    first, last = check_span(ords[keep], "months", "month", calendar, MAX_MONTHS)
    n_months = last - first + 1
    cur_codes, cur_names = cells.factorize(code[rows_idx])
    cur_codes = np.where(cur_codes < 0, 0, cur_codes).astype(np.int64)  # blank currency: only 0-MRR rows
    names = [str(x) for x in cur_names] or ["?"]
    for k, name in enumerate(names):
        if not book.known(name) and (paying_row[rows_idx] & (cur_codes == k)).any():
            i = int(rows_idx[np.flatnonzero(paying_row[rows_idx] & (cur_codes == k))[0]])
            raise book.missing(name, int(ords[i]), row_where(i, cols), "currencies")
    n_cur = len(names)
    c_row = cust[rows_idx]
    t_row = ords[rows_idx] - first
    value_row = np.nan_to_num(amount[rows_idx])

    # local MRR per (customer, currency, month), paying entries only
    key = (c_row * n_cur + cur_codes) * n_months + t_row
    ukey, inverse = sorted_unique(key)
    local = np.bincount(inverse, weights=value_row, minlength=len(ukey))
    pos = local > 0
    ukey, local = ukey[pos], local[pos]
    some_row = np.empty(len(pos), dtype=np.int64)  # a row of each entry, to name in a missing-rate message
    some_row[inverse] = rows_idx
    entry_row = some_row[pos]
    cc, t = ukey // n_months, ukey % n_months
    c, k = cc // n_cur, cc % n_cur
    R = book.matrix(names, first, n_months)

    def rate_at(kk: np.ndarray, tt: np.ndarray, rows: np.ndarray) -> np.ndarray:
        r = R[kk, tt]
        if np.isnan(r).any():
            j = int(np.flatnonzero(np.isnan(r))[0])
            raise book.missing(names[int(kk[j])], first + int(tt[j]), row_where(int(rows[j]), cols), "currencies")
        return r

    converted = local * rate_at(k, t, entry_row)
    # per customer-month: converted MRR (V) and whether paying
    cm_key = c * n_months + t
    cm, cm_inv = sorted_unique(cm_key)
    V = np.bincount(cm_inv, weights=converted, minlength=len(cm))
    cust_of, month_of = cm // n_months, cm % n_months
    # first paying month of each customer (sorted by customer then month); continuing = paying in m - 1 too
    starts = np.ones(len(cm), dtype=bool)
    starts[1:] = cust_of[1:] != cust_of[:-1]
    has_prev = np.zeros(len(cm), dtype=bool)
    has_prev[1:] = ~starts[1:] & (month_of[1:] == month_of[:-1] + 1)
    is_new = starts
    is_react = ~starts & ~has_prev
    fx_cm = np.zeros(len(cm))
    delta_cm = np.zeros(len(cm))
    if has_prev.any():
        # each (customer, currency) entry with its local MRR of the month before (0 if none), plus the
        # currencies a customer stopped paying in (local now 0): ukey is sorted, consecutive months of
        # one (customer, currency) are consecutive keys
        pred = np.zeros(len(ukey), dtype=bool)
        pred[1:] = (ukey[1:] == ukey[:-1] + 1) & (t[1:] > 0)  # not the last month of the (customer, currency) before
        succ = np.zeros(len(ukey), dtype=bool)
        succ[:-1] = pred[1:]
        dropped = ~succ & (t + 1 < n_months)
        l_now = np.concatenate([local, np.zeros(int(dropped.sum()))])
        l_prev = np.concatenate([np.where(pred, np.concatenate([[0.0], local[:-1]]), 0.0), local[dropped]])
        cc_all = np.concatenate([c, c[dropped]])
        kk = np.concatenate([k, k[dropped]])
        tt = np.concatenate([t, t[dropped] + 1])
        rows = np.concatenate([entry_row, entry_row[dropped]])
        both_cm = cc_all * n_months + tt
        at = np.minimum(np.searchsorted(cm, both_cm), len(cm) - 1)
        keep_b = (cm[at] == both_cm) & has_prev[at]  # the customer pays in this month and the one before
        at, l_now, l_prev, kk, tt, rows = at[keep_b], l_now[keep_b], l_prev[keep_b], kk[keep_b], tt[keep_b], rows[keep_b]
        r_now = rate_at(kk, tt, rows)
        r_prev = np.where(l_prev > 0, R[kk, np.maximum(tt - 1, 0)], 0.0)
        fx_cm = np.bincount(at, weights=l_prev * (r_now - r_prev), minlength=len(cm))
        delta_cm = np.bincount(at, weights=(l_now - l_prev) * r_now, minlength=len(cm))
    # churn: paying in m, not in m+1 (within the span)
    nxt = np.zeros(len(cm), dtype=bool)
    nxt[:-1] = has_prev[1:] & (cust_of[1:] == cust_of[:-1])
    churns = ~nxt & (month_of + 1 < n_months)

    def per_month(mask: np.ndarray, weights: np.ndarray | None = None, shift: int = 0) -> np.ndarray:
        w = None if weights is None else weights[mask].astype(float)
        out = np.bincount(month_of[mask] + shift, weights=w, minlength=n_months + 1)[:n_months]
        return out.astype(float) if weights is not None else out.astype(np.int64)

    everyone = np.ones(len(cm), dtype=bool)
    ending = per_month(everyone, V)
    at_end = per_month(everyone)
    table = pd.DataFrame({
        "Month": calendars.ordinal_labels(np.arange(first, last + 1), "month", calendar, arg="months"),
        "Starting MRR": np.concatenate([[0.0], ending[:-1]]),
        "New MRR": per_month(is_new, V),
        "Expansion MRR": per_month(has_prev & (delta_cm > 0), delta_cm),
        "Contraction MRR": -per_month(has_prev & (delta_cm < 0), delta_cm) + 0.0,
        "Churned MRR": per_month(churns, V, shift=1),
        "Reactivation MRR": per_month(is_react, V),
        "Ending MRR": ending,
        "Customers at start": np.concatenate([[0], at_end[:-1]]).astype(np.int64),
        "New customers": per_month(is_new),
        "Churned customers": per_month(churns, shift=1),
        "Reactivated customers": per_month(is_react),
        "Customers at end": at_end,
        FX_COLUMN: per_month(has_prev, fx_cm) + 0.0,
    })
    return table
