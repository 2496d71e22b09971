"""Seeded random inputs for the engines' equivalence tests and benchmarks.

Every generator makes what real exports have and the definitions must get right: several rows per
customer and month (plans, add-ons), ties (the same MRR two months running), gaps (reactivations),
zero and blank amounts, blank rows, ids with stray spaces, same-day and open-ended customers,
tickets still open or never answered, blank scores. ``seed`` makes each one reproducible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["mrr_rows", "activity_rows", "customer_spans", "tickets", "responses", "write_mrr_parquet"]

_DAY = np.timedelta64(1, "D")


def mrr_rows(n: int, *, customers: int | None = None, months: int = 24, seed: int = 0, start: str = "2022-01-01",
             blanks: bool = True, month_as: str = "date", cents: bool = True) -> pd.DataFrame:
    """Billing rows ``customer_id, month, mrr``.

    ``month_as``: ``"date"`` (datetime64, any day of the month), ``"iso"`` (text 2024-09-17),
    ``"label"`` (text 2024-09) or ``"persian"`` (text ۱۴۰۳-۰۶ with Persian digits, Jalali months).
    Customers are active on runs of months with gaps, so new, expansion, contraction, churn and
    reactivation all occur; about a fifth of the customer-months have two or three rows.
    """
    rng = np.random.default_rng(seed)
    customers = customers or max(n // 8, 1)
    cust = rng.integers(0, customers, n)
    # each customer has a life of months [a, b) with a few holes: rows fall mostly inside it
    life_a = rng.integers(0, months, customers)
    life_b = np.minimum(life_a + rng.integers(1, months + 1, customers), months)
    month = life_a[cust] + (rng.random(n) * (life_b[cust] - life_a[cust])).astype(np.int64)
    tier = rng.choice(np.array([0.0, 19.99, 49.0, 49.0, 99.5, 120.0, 1000.01] if cents else
                               [0.0, 20.0, 49.0, 49.0, 100.0, 120.0, 1000.0]), n)
    mrr = tier * rng.integers(1, 3, n)
    ids = np.array([f"C{c:06d}" for c in range(customers)], dtype=object)[cust]
    if blanks:
        spaced = rng.random(n) < 0.02
        ids[spaced] = [f" {x} " for x in ids[spaced]]
        mrr[rng.random(n) < 0.03] = np.nan
    if month_as in ("label", "persian"):
        base_ym = 1401 * 12 if month_as == "persian" else int(start[:4]) * 12 + int(start[5:7]) - 1
        ym = base_ym + month
        text = np.array([f"{y:04d}-{m + 1:02d}" for y, m in zip(ym // 12, ym % 12)], dtype=object)
        if month_as == "persian":
            table = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
            text = np.array([t.translate(table) if i % 2 else t for i, t in enumerate(text)], dtype=object)
        col = text
    else:
        first = np.datetime64(start, "M")
        day = (first + month.astype("timedelta64[M]")).astype("datetime64[D]") + rng.integers(0, 28, n) * _DAY
        col = day.astype("datetime64[ns]")
        if month_as == "iso":
            col = np.array([str(d)[:10] for d in day], dtype=object)
    df = pd.DataFrame({"customer_id": ids, "month": col, "mrr": mrr})
    if blanks and n >= 20:
        df.iloc[rng.choice(n, max(n // 200, 1), replace=False)] = None  # entirely blank rows: skipped
        df["mrr"] = df["mrr"].astype(float)
    return df


def activity_rows(n: int, *, customers: int | None = None, days: int = 500, seed: int = 0,
                  start: str = "2023-01-01") -> pd.DataFrame:
    """Activity rows ``customer_id, activity_date`` (several a day, customers coming back after gaps)."""
    rng = np.random.default_rng(seed)
    customers = customers or max(n // 6, 1)
    cust = rng.integers(0, customers, n)
    first = rng.integers(0, days, customers)
    day = np.minimum(first[cust] + rng.geometric(1 / 60, n) - 1, days - 1)
    dates = np.datetime64(start, "D") + day * _DAY
    return pd.DataFrame({"customer_id": np.array([f"U{c}" for c in cust], dtype=object),
                         "activity_date": dates.astype("datetime64[ns]")})


def customer_spans(n: int, *, days: int = 700, seed: int = 0, start: str = "2022-01-01") -> pd.DataFrame:
    """A customer list ``customer_id, start_date, end_date``: open ends (blank and 9999-12-31),
    customers who leave on the day they start, many starts and ends on month boundaries."""
    rng = np.random.default_rng(seed)
    s = rng.integers(0, days, n)
    length = rng.integers(0, 400, n)
    length[rng.random(n) < 0.05] = 0  # leave on the day they start
    s_day = np.datetime64(start, "D") + s * _DAY
    on_first = rng.random(n) < 0.2   # start on the first of a (Gregorian) month
    s_day[on_first] = s_day[on_first].astype("datetime64[M]").astype("datetime64[D]")
    e_day = (s_day + length * _DAY).astype("datetime64[ns]").astype(object)
    e = pd.Series(e_day, dtype=object)
    r = rng.random(n)
    e[r < 0.35] = None
    e[(r >= 0.35) & (r < 0.40)] = "9999-12-31"
    e = e.map(lambda v: v if v is None or isinstance(v, str) else str(pd.Timestamp(v).date()))
    return pd.DataFrame({"customer_id": np.arange(n), "start_date": [str(d) for d in s_day], "end_date": e})


def tickets(n: int, *, days: int = 400, seed: int = 0, start: str = "2023-01-01") -> pd.DataFrame:
    """Tickets ``ticket_id, opened_at, first_response_at, resolved_at`` (minutes; open and unanswered
    tickets blank; ties: many tickets resolved in exactly the same time)."""
    rng = np.random.default_rng(seed)
    opened = np.datetime64(start, "m") + rng.integers(0, days * 24 * 60, n) * np.timedelta64(1, "m")
    res = rng.choice(np.array([30, 60, 60, 120, 24 * 60, 24 * 60, 3 * 24 * 60]), n) + rng.integers(0, 2, n) * \
        rng.integers(0, 48 * 60, n)
    resolved = (opened + res * np.timedelta64(1, "m")).astype("datetime64[ns]")
    resolved[rng.random(n) < 0.15] = np.datetime64("NaT")
    first = (opened + rng.integers(0, 8 * 60, n) * np.timedelta64(1, "m")).astype("datetime64[ns]")
    first[rng.random(n) < 0.1] = np.datetime64("NaT")
    return pd.DataFrame({"ticket_id": np.arange(n), "opened_at": opened.astype("datetime64[ns]"),
                         "first_response_at": first, "resolved_at": resolved})


def responses(n: int, *, days: int = 400, seed: int = 0, start: str = "2023-01-01") -> pd.DataFrame:
    """Survey responses ``submitted_at, nps_score, csat_score, ces_score`` with blanks."""
    rng = np.random.default_rng(seed)
    d = (np.datetime64(start, "D") + rng.integers(0, days, n) * _DAY).astype("datetime64[ns]")

    def score(lo: int, hi: int, blank: float) -> np.ndarray:
        s = rng.integers(lo, hi + 1, n).astype(float)
        s[rng.random(n) < blank] = np.nan
        return s
    return pd.DataFrame({"submitted_at": d, "nps_score": score(0, 10, 0.2), "csat_score": score(1, 5, 0.4),
                         "ces_score": score(1, 7, 0.6)})


def write_mrr_parquet(folder: str, rows: int, *, chunk: int = 5_000_000, seed: int = 0, months: int = 60) -> list[str]:
    """``rows`` billing rows as Parquet files of ``chunk`` rows each (memory: one chunk at a time).

    Customers are numbered across chunks (customer = a global pool of ``rows // 8``), so the same
    customer appears in several files, as in a real folder of monthly exports."""
    import os
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    customers = max(rows // 8, 1)
    life_a = rng.integers(0, months, customers)
    life_b = np.minimum(life_a + rng.integers(1, months + 1, customers), months)
    paths = []
    done = 0
    k = 0
    while done < rows:
        n = min(chunk, rows - done)
        cust = rng.integers(0, customers, n)
        month = life_a[cust] + (rng.random(n) * (life_b[cust] - life_a[cust])).astype(np.int64)
        day = (np.datetime64("2020-01", "M") + month.astype("timedelta64[M]")).astype("datetime64[D]")
        mrr = rng.choice(np.array([0.0, 19.99, 49.0, 99.5, 120.0, 1000.01]), n) * rng.integers(1, 3, n)
        df = pd.DataFrame({"customer_id": cust.astype(np.int64), "month": day.astype("datetime64[ns]"), "mrr": mrr})
        path = os.path.join(folder, f"part-{k:04d}.parquet")
        df.to_parquet(path, index=False, coerce_timestamps="us", allow_truncated_timestamps=True)
        paths.append(path)
        done += n
        k += 1
    return paths
