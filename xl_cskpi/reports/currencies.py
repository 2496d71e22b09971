"""Several currencies in one report (split from :mod:`.fill`, session 5): the reporting currency, the
conversion of a Subscriptions table at each month's rate, and what the Data check says about it."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..calendars import period_labels, period_ordinals
from ..errors import KPIError
from ..exports.check import DataCheck, ExportError

def _month_label(ts: Any, calendar: str) -> str:
    return str(period_labels(np.array([ts], dtype="datetime64[ns]"), "month", calendar)[0])

def _codes(values: Any) -> np.ndarray:
    """Currency cells folded as :mod:`xl_cskpi.tables.fx` folds them (stripped, upper case; blank None)."""
    from ..tables.fx import _fold_code
    return np.array([_fold_code(v) for v in np.asarray(values, dtype=object)], dtype=object)

def _rates_frame(rates: pd.DataFrame | None) -> pd.DataFrame | None:
    return None if rates is None else rates[["date", "currency", "rate"]]

def _reporting_currency(used: Iterable[str], rates: pd.DataFrame | None, path: Any) -> str | None:
    """The reporting currency: the one currency of the data that the rates table does not convert
    (it is worth 1). None when the rates convert every currency of the data; two or more currencies
    without rates are an error naming them."""
    rated = set(_codes(rates["currency"])) - {None} if rates is not None else set()
    plain = sorted(set(used) - rated - {None})
    if len(plain) > 1:
        raise ExportError(f"{path}: the currencies {', '.join(plain)} have no rates; give a rates file "
                          "(date | currency | rate: one unit = rate units of the reporting currency) with every "
                          "currency but the reporting one")
    return plain[0] if plain else None

def _warn_fx_bridge(used: list[str], path: Any, check: DataCheck) -> None:
    """Several currencies: MRR_MOVEMENTS (and the KPIs of the month shown read from it) sees only
    converted MRR, so a rate move is expansion or contraction there; the FX sheet separates it."""
    if len(used) < 2:
        return
    check.warn("fx_in_bridge", f"MRR in {', '.join(used)}: the MRR movements sheet (MRR_MOVEMENTS) and the "
               "month's expansion, contraction, NRR, GRR and MRR churn read from it count exchange-rate moves as "
               "expansion or contraction; the MRR movements with FX sheet (MRR_MOVEMENTS_FX) keeps them in its "
               "FX impact column", file=str(path), table="Subscriptions", fields={"currencies": used})

def _convert_subscriptions(df: pd.DataFrame, rates: pd.DataFrame | None, calendar: str, path: Any,
                           check: DataCheck) -> pd.DataFrame:
    """A Subscriptions export with a currency column: ``mrr`` as written becomes ``mrr_local`` and
    ``mrr`` the amount in the reporting currency at the month's rate (the last one dated in it,
    :mod:`xl_cskpi.tables.fx`). One currency without rates stays as written; several currencies
    without rates are an error (MRR is a sum in one currency), never a silent sum."""
    from ..tables.fx import read_rates
    codes = _codes(df["currency"])
    used = sorted(set(codes) - {None})
    if not used or (rates is None and len(used) == 1):     # no currency column in the file, or one currency
        return df
    if rates is None:
        raise ExportError(f"{path}: MRR in several currencies ({', '.join(used)}); add a rates file with the "
                          "columns date, currency, rate (one unit of the currency = rate units of the reporting "
                          "currency), or export one currency")
    reporting = _reporting_currency(used, rates, path)
    if reporting is not None:
        codes = np.where(np.equal(codes, None), reporting, codes)
    try:
        book = read_rates(_rates_frame(rates), reporting, calendar)
        ords = period_ordinals(df["month"].to_numpy(dtype="datetime64[ns]"), "month", calendar)
        names = sorted(set(codes) - {None})
        first = int(ords.min())
        matrix = book.matrix(names, first, int(ords.max()) - first + 1)
        local = df["mrr"].to_numpy(dtype=float)
        rate = np.full(len(df), np.nan)
        for k, name in enumerate(names):
            at = np.flatnonzero(codes == name)
            rate[at] = matrix[k, ords[at] - first]
        need = np.nan_to_num(local) > 0
        bad = need & np.isnan(rate)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise book.missing(str(codes[i]), int(ords[i]), f"row {df.index[i]}", "currency")
    except KPIError as e:
        raise ExportError(f"{path}: {e.reason}") from None
    out = df.copy()
    out["currency"] = codes
    out["mrr_local"] = local
    out["mrr"] = np.where(need, local * np.nan_to_num(rate), np.nan_to_num(local))
    out.attrs["reporting_currency"] = reporting
    _warn_fx_bridge(used, path, check)
    _say_conversion(out, reporting, used, calendar, path, check)
    return out

def _say_conversion(out: pd.DataFrame, reporting: str | None, used: list[str], calendar: str, path: Any,
                    check: DataCheck) -> None:
    """``currency_converted`` (info) with one conversion in words, so that a rates file written the
    other way round (the ECB's "1 EUR = 1.0813 USD" read as 1 USD = 1.0813 EUR: reviewer's G31, a 17 %
    swing on every USD customer) shows itself."""
    local, mrr = out["mrr_local"].to_numpy(dtype=float), out["mrr"].to_numpy(dtype=float)
    codes = out["currency"].to_numpy(dtype=object)
    converted = np.flatnonzero((np.nan_to_num(local) > 0) & (codes != reporting))
    example = ""
    if converted.size:
        i = int(converted[0])
        example = (f"1 {codes[i]} = {mrr[i] / local[i]:.6g} {reporting or 'of the rates currency'} in "
                   f"{_month_label(out['month'].iloc[i], calendar)}")
    check.info("currency_converted", f"MRR in {', '.join(used)} converted to {reporting or 'the rates currency'} "
               f"at each month's rate (the last one dated in the month; {example}: if the rates file gives it the "
               "other way round, invert its rates); mrr_local keeps the amounts as written",
               file=str(path), table="Subscriptions", fields={"currencies": used, "reporting": reporting,
                                                                "example": example})
