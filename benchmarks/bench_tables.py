"""Table benchmarks on the row orders real exports have: MRR_MOVEMENTS and COHORT_RETENTION.

Billing and activity exports come sorted by customer, sorted by date, or in no order at all, so
every table runs on the same rows in three orders:

* ``customer-major``: each customer's rows together, months in order (the order of the generator);
* ``month-major``: sorted by month (a stable sort of the above), as billing exports usually are;
* ``shuffled``: a random permutation.

at 1,000,000 rows (and 10,000,000 without ``--quick``; ``--quick`` runs 100,000 and 1,000,000).

Peers, each given its own native form of the data before the clock starts (loading is not timed):

* ``DuckDB native``: a DuckDB table created from the frame (``CREATE TABLE t AS SELECT * FROM df``);
* ``DuckDB pandas``: the same SQL scanning the registered pandas frame;
* ``Polars lazy``: a ``LazyFrame`` over ``pl.from_pandas(df)``, collected;
* ``pandas``: a straightforward groupby/pivot (at the smaller size only: it is the 0.5x target of
  the old benchmark, not a fast peer).

DuckDB and Polars use their own thread pools (all cores). The SQL is written the way an analyst
who knows window functions would: MRR summed per (customer, month), then ``lag``/``lead`` over each
customer's paying months; no dense customer x month grid. Every peer's result is checked equal to
ours (every column, amounts to 1e-6 relative) BEFORE it is timed; a disagreement stops the run.

Ours is the Python API on the pandas columns (``xl_cskpi.mrr_movements(df.customer_id,
df.month, df.mrr)``), text customer ids as Python strings, as the CLI hands them over. Its
extra peak memory is measured once per input with ``tracemalloc`` (numpy and pandas report their
buffers to it) and given against the input's own size (``memory_usage(deep=True)``).

    python benchmarks/bench_tables.py --quick       # alone, without run.py's other sections
    python benchmarks/bench_tables.py --size 10000000 --only cohorts --before dd50b66 --paired 8
"""

from __future__ import annotations

import gc
import os
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import xl_cskpi  # noqa: E402

ORDERS = ("customer-major", "month-major", "shuffled")
MOVEMENT_SUMS = ("New MRR", "Expansion MRR", "Contraction MRR", "Churned MRR", "Reactivation MRR",
                 "Ending MRR", "New customers", "Churned customers", "Reactivated customers", "Customers at end")


# --------------------------------------------------------------------------- data

def subscriptions(customers: int, months: int, seed: int = 2) -> pd.DataFrame:
    """A billing export, customer-major: one row per customer and month (MRR 0 before joining, in
    lapses and after churn), MRR with expansion, contraction, churn and reactivation."""
    rng = np.random.default_rng(seed)
    cust = np.repeat(np.arange(customers), months)
    month = np.tile(np.arange(months), customers)
    join = rng.integers(0, months // 2, customers)
    base = rng.choice([29.0, 49.0, 99.0, 299.0], customers)
    mrr = base[cust] * rng.choice([1.0, 1.0, 1.0, 1.5, 0.5], cust.size)
    inactive = (month < join[cust]) | (rng.random(cust.size) < 0.08) | (rng.random(cust.size) < 0.02)
    mrr[inactive] = 0.0
    dates = (np.datetime64("2024-01-01", "M") + month).astype("datetime64[ns]")
    ids = np.char.add("C", cust.astype(str)).astype(object)
    return pd.DataFrame({"customer_id": ids, "month": dates, "mrr": mrr})


def activity(rows: int, months: int = 10, seed: int = 5) -> pd.DataFrame:
    """An activity export (paid invoices): the paying rows of a billing export, ``rows`` of them,
    with the day of the month spread over the month."""
    df = subscriptions(int(rows / months / 0.6) + 1, months, seed)
    df = df[df["mrr"] > 0].iloc[:rows].reset_index(drop=True)
    days = np.random.default_rng(seed).integers(0, 28, len(df)).astype("timedelta64[D]")
    return pd.DataFrame({"customer_id": df["customer_id"], "date": df["month"].to_numpy() + days})


def ordered(df: pd.DataFrame, order: str, date: str) -> pd.DataFrame:
    """The rows in ``order``, with the id column's Python strings made the way a reader makes them.

    ``pandas.read_csv`` (what the CLI uses for CSV exports) creates one ``str`` per distinct id,
    in the order the file first shows it, and points every later row at it; pyarrow's
    ``to_pandas`` does the same. Permuting the generator's per-row objects instead would leave a
    shuffled frame pointing all over memory, an input no reader produces.
    """
    import pyarrow as pa

    if order == "customer-major":
        idx = np.arange(len(df))
    elif order == "month-major":
        idx = np.argsort(df[date].to_numpy().astype("datetime64[M]"), kind="stable")
    else:
        idx = np.random.default_rng(11).permutation(len(df))
    out = df.iloc[idx].reset_index(drop=True)
    out["customer_id"] = pa.array(out["customer_id"].to_numpy(), type=pa.string()).to_pandas()
    return out


# --------------------------------------------------------------------------- timing

#: CPU seconds (all threads of this process) of the best wall-time run of each function, by name,
#: filled by :func:`best_pair`: on a shared machine wall time also counts waiting for a core.
CPU: dict[str, float] = {}


#: The 1-minute load average when :func:`best_pair` last finished (the machine is shared).
LOAD: list[float] = [0.0]


def best_pair(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Best-of-``repeats`` wall time of each function, run in turn inside each round."""
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in fns}
    for _ in range(repeats):
        for k, fn in fns.items():
            gc.collect()
            c, t = time.process_time(), time.perf_counter()
            fn()
            times[k].append((time.perf_counter() - t, time.process_time() - c))
    CPU.clear()
    CPU.update({k: min(v)[1] for k, v in times.items()})
    LOAD[0] = os.getloadavg()[0]
    return {k: min(v)[0] for k, v in times.items()}


def before(rev: str) -> dict[str, Callable]:
    """MRR_MOVEMENTS and COHORT_RETENTION as they were at git revision ``rev`` (their modules and
    the row readers they import read from git, run undecorated through the registry's call, as
    ours run), for before/after ratios in one run."""
    import re
    import subprocess
    import types

    from xl_cskpi import registry

    def source(path: str) -> str | None:
        done = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"], capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else None

    helpers = [h for h in ("identity", "rows") if source(f"xl_cskpi/tables/{h}.py") is not None]

    def local(text: str) -> str:  # the rev's own helpers, not today's
        for h in helpers:
            text = text.replace(f"from .{h} import", f"from ._{h}_{rev} import")
        return text

    for h in helpers:  # in import order
        name = f"xl_cskpi.tables._{h}_{rev}"
        mod = types.ModuleType(name)
        mod.__package__ = "xl_cskpi.tables"
        sys.modules[name] = mod
        exec(compile(local(source(f"xl_cskpi/tables/{h}.py")), f"{rev}:{h}.py", "exec"), mod.__dict__)
    out = {}
    for path, fn, excel in (("xl_cskpi/tables/movements.py", "mrr_movements", "MRR_MOVEMENTS"),
                            ("xl_cskpi/tables/cohorts.py", "cohort_retention", "COHORT_RETENTION")):
        text = local(re.sub(r"@kpi\((.|\n)*?\)\ndef ", "def ", source(path), count=1))
        mod = types.ModuleType(f"{path}@{rev}")
        mod.__package__ = "xl_cskpi.tables"
        exec(compile(text, f"{rev}:{path}", "exec"), mod.__dict__)
        out[fn] = (lambda f, excel: lambda *a, **k: registry._kpi_call(f, excel, a, k))(getattr(mod, fn), excel)
    return out


#: Set by ``--before REV``: the functions of that revision, timed and checked next to ours.
BEFORE: dict[str, Callable] = {}


def extra_peak_mb(fn: Callable[[], object]) -> float:
    """Peak memory allocated during ``fn()`` above what was allocated before it (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def input_mb(df: pd.DataFrame) -> float:
    return float(df.memory_usage(deep=True, index=False).sum()) / 2**20


# --------------------------------------------------------------------------- MRR movements peers

MOVEMENTS_SQL = """
WITH agg AS (
  SELECT customer_id, date_trunc('month', month) AS m, sum(mrr) AS mrr
  FROM {src} GROUP BY ALL HAVING sum(mrr) > 0),
w AS (
  SELECT m, mrr,
    lag(m) OVER c AS pm, lag(mrr) OVER c AS pmrr, lead(m) OVER c AS nm
  FROM agg WINDOW c AS (PARTITION BY customer_id ORDER BY m)),
ev AS (
  SELECT m AS month, mrr AS ending, 1 AS n_end,
    CASE WHEN pm IS NULL THEN mrr ELSE 0 END AS new,
    CASE WHEN pm IS NULL THEN 1 ELSE 0 END AS n_new,
    CASE WHEN pm IS NOT NULL AND pm < m - INTERVAL 1 MONTH THEN mrr ELSE 0 END AS react,
    CASE WHEN pm IS NOT NULL AND pm < m - INTERVAL 1 MONTH THEN 1 ELSE 0 END AS n_react,
    CASE WHEN pm = m - INTERVAL 1 MONTH AND mrr > pmrr THEN mrr - pmrr ELSE 0 END AS exp,
    CASE WHEN pm = m - INTERVAL 1 MONTH AND mrr < pmrr THEN pmrr - mrr ELSE 0 END AS con,
    0 AS churned, 0 AS n_churned
  FROM w
  UNION ALL
  SELECT m + INTERVAL 1 MONTH, 0, 0, 0, 0, 0, 0, 0, 0, mrr, 1
  FROM w
  WHERE (nm IS NULL OR nm > m + INTERVAL 1 MONTH)
    AND m < (SELECT date_trunc('month', max(month)) FROM {src})),
per AS (
  SELECT month, sum(ending) AS ending, sum(new) AS new, sum(exp) AS exp, sum(con) AS con,
    sum(churned) AS churned, sum(react) AS react, sum(n_end) AS n_end, sum(n_new) AS n_new,
    sum(n_churned) AS n_churned, sum(n_react) AS n_react
  FROM ev GROUP BY month)
SELECT * FROM per ORDER BY month
"""


def polars_movements(lf):
    import polars as pl

    m = (pl.col("month").dt.year().cast(pl.Int32) * 12 + pl.col("month").dt.month().cast(pl.Int32))
    last = lf.select(m.max().alias("last"))
    agg = (lf.group_by("customer_id", m.alias("m")).agg(pl.col("mrr").sum())
           .filter(pl.col("mrr") > 0).sort("customer_id", "m"))
    w = agg.with_columns(pm=pl.col("m").shift(1).over("customer_id"),
                         pmrr=pl.col("mrr").shift(1).over("customer_id"),
                         nm=pl.col("m").shift(-1).over("customer_id"))
    cons = pl.col("pm") == pl.col("m") - 1
    react = pl.col("pm").is_not_null() & (pl.col("pm") < pl.col("m") - 1)
    zero, one, none = pl.lit(0.0), pl.lit(1, dtype=pl.Int64), pl.lit(0, dtype=pl.Int64)
    rows = w.select(
        month="m", ending="mrr", n_end=one,
        new=pl.when(pl.col("pm").is_null()).then("mrr").otherwise(zero),
        n_new=pl.col("pm").is_null().cast(pl.Int64),
        react=pl.when(react).then("mrr").otherwise(zero), n_react=react.cast(pl.Int64),
        exp=pl.when(cons & (pl.col("mrr") > pl.col("pmrr"))).then(pl.col("mrr") - pl.col("pmrr")).otherwise(zero),
        con=pl.when(cons & (pl.col("mrr") < pl.col("pmrr"))).then(pl.col("pmrr") - pl.col("mrr")).otherwise(zero),
        churned=zero, n_churned=none)
    churn = (w.join(last, how="cross")
             .filter((pl.col("nm").is_null() | (pl.col("nm") > pl.col("m") + 1)) & (pl.col("m") < pl.col("last")))
             .select(month=pl.col("m") + 1, ending=zero, n_end=none, new=zero, n_new=none,
                     react=zero, n_react=none, exp=zero, con=zero, churned="mrr", n_churned=one))
    return pl.concat([rows, churn]).group_by("month").agg(pl.all().sum()).sort("month").collect()


def pandas_movements(df: pd.DataFrame) -> pd.DataFrame:
    """The straightforward pandas way: group, pivot, compare each month with the one before."""
    m = df.groupby(["customer_id", df["month"].dt.to_period("M")])["mrr"].sum().unstack(fill_value=0.0)
    m = m.reindex(columns=pd.period_range(m.columns.min(), m.columns.max(), freq="M"), fill_value=0.0)
    prev = m.shift(1, axis=1, fill_value=0.0)
    seen = (m > 0).cummax(axis=1).shift(1, axis=1, fill_value=False)
    return pd.DataFrame({
        "new": m.where((prev == 0) & (m > 0) & ~seen, 0).sum(),
        "react": m.where((prev == 0) & (m > 0) & seen, 0).sum(),
        "exp": (m - prev).where((prev > 0) & (m > prev), 0).sum(),
        "con": (prev - m).where((prev > 0) & (m > 0) & (m < prev), 0).sum(),
        "churned": prev.where((prev > 0) & (m == 0), 0).sum(),
        "ending": m.sum(),
        "n_end": (m > 0).sum(),
    })


def check_movements(ours: pd.DataFrame, peer: pd.DataFrame, who: str) -> None:
    """Every month's movements of ``peer`` (columns new, exp, ...) equal ours; months a peer leaves
    out (no event at all) are zero in ours."""
    names = {"new": "New MRR", "exp": "Expansion MRR", "con": "Contraction MRR", "churned": "Churned MRR",
             "react": "Reactivation MRR", "ending": "Ending MRR", "n_end": "Customers at end",
             "n_new": "New customers", "n_churned": "Churned customers", "n_react": "Reactivated customers"}
    assert len(peer) <= len(ours), f"{who}: {len(peer)} months, ours {len(ours)}"
    for col, ours_col in names.items():
        if col not in peer:
            continue
        got = np.asarray(peer[col], dtype=float)
        want = ours[ours_col].to_numpy(float)
        if len(got) < len(want):  # a month without any row: the peer has no line for it
            idx = np.asarray(peer["month_index"])
            full = np.zeros(len(want))
            full[idx] = got
            got = full
        assert np.allclose(got, want, rtol=1e-9, atol=1e-6), f"{who} disagrees on {ours_col}: {got} vs {want}"


def _month_index(months, first) -> np.ndarray:
    m = pd.to_datetime(pd.Series(np.asarray(months)))
    return ((m.dt.year - first.year) * 12 + m.dt.month - first.month).to_numpy()


# --------------------------------------------------------------------------- cohort peers

COHORTS_SQL = """
WITH a AS (SELECT DISTINCT customer_id, date_trunc('month', date) AS p FROM {src}),
c AS (SELECT customer_id, min(p) AS cohort FROM a GROUP BY 1)
SELECT cohort, datediff('month', cohort, p) AS age, count(*) AS n
FROM a JOIN c USING (customer_id) GROUP BY 1, 2 ORDER BY 1, 2
"""


def polars_cohorts(lf):
    import polars as pl

    m = (pl.col("date").dt.year().cast(pl.Int32) * 12 + pl.col("date").dt.month().cast(pl.Int32))
    a = lf.select("customer_id", m.alias("p")).unique()
    a = a.with_columns(cohort=pl.col("p").min().over("customer_id"))
    return (a.group_by("cohort", (pl.col("p") - pl.col("cohort")).alias("age")).agg(pl.len().alias("n"))
            .sort("cohort", "age").collect())


def pandas_cohorts(df: pd.DataFrame) -> pd.DataFrame:
    p = df["date"].dt.to_period("M")
    d = pd.DataFrame({"c": df["customer_id"], "p": p.astype("int64")}).drop_duplicates()
    d["cohort"] = d.groupby("c")["p"].transform("min")
    d["age"] = d["p"] - d["cohort"]
    return d.groupby(["cohort", "age"]).size().reset_index(name="n")


def check_cohorts(ours: pd.DataFrame, cohort: np.ndarray, age: np.ndarray, n: np.ndarray, who: str) -> None:
    """Counts (cohort ordinal from the first cohort, age, customers) of a peer give our triangle."""
    sizes = ours["Customers"].to_numpy()
    shares = ours.iloc[:, 2:].to_numpy(float)
    got = np.full_like(shares, np.nan)
    rows = {int(k): i for i, k in enumerate(np.unique(cohort))}
    assert len(rows) == len(ours), f"{who}: {len(rows)} cohorts, ours {len(ours)}"
    cohort_sizes = np.zeros(len(rows))
    for c, a, k in zip(cohort.tolist(), age.tolist(), n.tolist()):
        if a == 0:
            cohort_sizes[rows[int(c)]] = k
    assert np.array_equal(cohort_sizes, sizes), f"{who} disagrees on cohort sizes"
    span = shares.shape[1]
    base = min(rows)
    for i, c in enumerate(sorted(rows)):
        got[i, : span - (c - base)] = 0.0
    for c, a, k in zip(cohort.tolist(), age.tolist(), n.tolist()):
        got[rows[int(c)], int(a)] = k / cohort_sizes[rows[int(c)]]
    assert np.allclose(got, shares, equal_nan=True), f"{who} disagrees on the triangle"


def _ordinal(months) -> np.ndarray:
    m = pd.to_datetime(pd.Series(np.asarray(months)))
    return (m.dt.year * 12 + m.dt.month).to_numpy()


# --------------------------------------------------------------------------- the section

def _rows_for(table: str, size: int, order: str, times: dict[str, float], mem: float, in_mb: float,
              target_best: float | None) -> list[dict]:
    ours = times.pop("ours")
    out = []
    for peer, t in times.items():
        out.append({"section": "tables", "name": f"{table}, {size:,} rows, {order}", "ours_s": ours, "peer": peer,
                    "peer_s": t, "target": "info", "ok": True,
                    "note": f"cpu {CPU['ours']:.3f} s vs {CPU[peer]:.3f} s; load {LOAD[0]:.1f}"})
    fast = {k: v for k, v in times.items() if k not in ("pandas", "before")}
    if fast:
        best_peer = min(fast, key=fast.get)
        ok = target_best is None or ours <= target_best * fast[best_peer]
        out.append({"section": "tables", "name": f"{table}, {size:,} rows, {order}: best peer", "ours_s": ours,
                    "peer": best_peer, "peer_s": fast[best_peer],
                    "target": f"<= {target_best}x" if target_best else "info", "ok": ok,
                    "note": f"cpu {CPU['ours']:.3f} s vs {CPU[best_peer]:.3f} s; extra peak {mem:.0f} MB = "
                            f"{mem / in_mb:.2f}x input {in_mb:.0f} MB"})
    return out


def bench_movements(size: int, repeats: int, pandas_peer: bool, target: dict[str, float]) -> list[dict]:
    import duckdb
    import polars as pl

    base = subscriptions(size // 10, 10)
    out, ours_by_order = [], {}
    for order in ORDERS:
        df = ordered(base, order, "month")
        ids, months, mrr = df["customer_id"], df["month"], df["mrr"]
        ours = lambda: xl_cskpi.mrr_movements(ids, months, mrr)  # noqa: E731
        got = ours()
        first = pd.Timestamp(got["Month"].iloc[0] + "-01")
        con = duckdb.connect()
        con.register("df", df)
        con.execute("CREATE TABLE t AS SELECT * FROM df")
        lf = pl.from_pandas(df).lazy()

        def duck(src: str) -> Callable[[], pd.DataFrame]:
            sql = MOVEMENTS_SQL.format(src=src)
            return lambda: con.execute(sql).df()

        peers: dict[str, Callable[[], object]] = {"DuckDB native": duck("t"), "DuckDB pandas": duck("df"),
                                                  "Polars lazy": lambda: polars_movements(lf)}
        for who, fn in peers.items():
            res = fn()
            res = res.to_pandas() if hasattr(res, "to_pandas") else res
            if who == "Polars lazy":
                res["month_index"] = res["month"].to_numpy() - (first.year * 12 + first.month)
            else:
                res["month_index"] = _month_index(res["month"], first)
            check_movements(got, res, who)
        if BEFORE:
            pd.testing.assert_frame_equal(BEFORE["mrr_movements"](ids, months, mrr), got, check_exact=True)
            peers["before"] = lambda: BEFORE["mrr_movements"](ids, months, mrr)
        if pandas_peer:
            res = pandas_movements(df)
            res["month_index"] = np.arange(len(res))
            check_movements(got, res, "pandas")
            peers["pandas"] = lambda: pandas_movements(df)
        times = best_pair({"ours": ours, **peers}, repeats)
        ours_by_order[order] = (times["ours"], CPU["ours"])
        mem = extra_peak_mb(ours)
        out += _rows_for("MRR_MOVEMENTS", len(df), order, times, mem, input_mb(df), target.get(order))
        con.close()
        del df, ids, months, mrr, lf
        gc.collect()
    out += order_rows("MRR_MOVEMENTS", len(base), ours_by_order)
    return out


def bench_cohorts(size: int, repeats: int, pandas_peer: bool, target: dict[str, float]) -> list[dict]:
    import duckdb
    import polars as pl

    base = activity(size)
    out, ours_by_order = [], {}
    for order in ORDERS:
        df = ordered(base, order, "date")
        ids, dates = df["customer_id"], df["date"]
        ours = lambda: xl_cskpi.cohort_retention(ids, dates)  # noqa: E731
        got = ours()
        con = duckdb.connect()
        con.register("df", df)
        con.execute("CREATE TABLE t AS SELECT * FROM df")
        lf = pl.from_pandas(df).lazy()

        def duck(src: str) -> Callable[[], pd.DataFrame]:
            sql = COHORTS_SQL.format(src=src)
            return lambda: con.execute(sql).df()

        peers: dict[str, Callable[[], object]] = {"DuckDB native": duck("t"), "DuckDB pandas": duck("df"),
                                                  "Polars lazy": lambda: polars_cohorts(lf)}
        for who, fn in peers.items():
            res = fn()
            if who == "Polars lazy":
                cohort, age, n = (res[c].to_numpy() for c in ("cohort", "age", "n"))
            else:
                cohort, age, n = _ordinal(res["cohort"]), res["age"].to_numpy(), res["n"].to_numpy()
            check_cohorts(got, cohort, age, n, who)
        if BEFORE:
            pd.testing.assert_frame_equal(BEFORE["cohort_retention"](ids, dates), got, check_exact=True)
            peers["before"] = lambda: BEFORE["cohort_retention"](ids, dates)
        if pandas_peer:
            res = pandas_cohorts(df)
            check_cohorts(got, res["cohort"].to_numpy(), res["age"].to_numpy(), res["n"].to_numpy(), "pandas")
            peers["pandas"] = lambda: pandas_cohorts(df)
        times = best_pair({"ours": ours, **peers}, repeats)
        ours_by_order[order] = (times["ours"], CPU["ours"])
        mem = extra_peak_mb(ours)
        out += _rows_for("COHORT_RETENTION", len(df), order, times, mem, input_mb(df), target.get(order))
        con.close()
        del df, ids, dates, lf
        gc.collect()
    out += order_rows("COHORT_RETENTION", len(base), ours_by_order)
    return out


def order_rows(table: str, size: int, ours: dict[str, tuple[float, float]]) -> list[dict]:
    """Each order's time against customer-major's, wall (the target) and CPU seconds (in the note)."""
    base, base_cpu = ours["customer-major"]
    return [{"section": "tables", "name": f"{table}, {size:,} rows, {order} vs customer-major", "ours_s": t,
             "peer": "ours, customer-major", "peer_s": base, "target": "<= 1.3x", "ok": t <= 1.3 * base,
             "note": f"cpu {cpu:.3f} s vs {base_cpu:.3f} s = {cpu / base_cpu:.2f}x"}
            for order, (t, cpu) in ours.items() if order != "customer-major"]


def paired(size: int, rounds: int, table: str) -> None:
    """``--paired``: ours and ``--before``'s code on the three orders of the same frames, every round
    running all six in turn (load drifts hit both alike; the tables checked equal first), printing each cell's minimum and median CPU
    seconds and its ratio to customer-major; no peers (on a busy machine the best-wall run's CPU
    seconds swing too much to compare orders)."""
    if table == "cohorts":
        base, date, fn, name = activity(size), "date", "cohort_retention", "COHORT_RETENTION"
        args = lambda df: (df["customer_id"], df["date"])  # noqa: E731
    else:
        base, date, fn, name = subscriptions(size // 10, 10), "month", "mrr_movements", "MRR_MOVEMENTS"
        args = lambda df: (df["customer_id"], df["month"], df["mrr"])  # noqa: E731
    frames = {order: ordered(base, order, date) for order in ORDERS}
    del base
    codes = {"ours": getattr(xl_cskpi, fn), "before": BEFORE[fn]}
    for df in frames.values():  # checked bit for bit first
        pd.testing.assert_frame_equal(codes["before"](*args(df)), codes["ours"](*args(df)), check_exact=True)
    cpu: dict[tuple[str, str], list[float]] = {(w, o): [] for w in codes for o in ORDERS}
    loads = []
    for _ in range(rounds):
        for order, df in frames.items():
            for who, f in codes.items():
                gc.collect()
                c = time.process_time()
                f(*args(df))
                cpu[(who, order)].append(time.process_time() - c)
        loads.append(os.getloadavg()[0])
    print(f"{name}, {len(frames['shuffled']):,} rows, paired, {rounds} rounds, load {min(loads):.1f}-{max(loads):.1f}")
    for who in codes:
        base_min, base_med = min(cpu[(who, ORDERS[0])]), float(np.median(cpu[(who, ORDERS[0])]))
        for order in ORDERS:
            lo, med = min(cpu[(who, order)]), float(np.median(cpu[(who, order)]))
            print(f"  {who:<7} {order:<15} cpu min {lo:.3f} s  median {med:.3f} s   vs customer-major "
                  f"{lo / base_min:.2f}x (median {med / base_med:.2f}x)")


def run(quick: bool, repeats: int) -> list[dict]:
    """The section for ``benchmarks/run.py``; ``XL_CSKPI_BENCH_BEFORE=<git rev>`` adds the before column."""

    if os.environ.get("XL_CSKPI_BENCH_BEFORE") and not BEFORE:
        BEFORE.update(before(os.environ["XL_CSKPI_BENCH_BEFORE"]))
    sizes = (100_000, 1_000_000) if quick else (1_000_000, 10_000_000)
    rows: list[dict] = []
    for size in sizes:
        big = size == sizes[-1]
        # the targets are for the big shuffled input: ours <= 1.5x the best peer
        target = {"shuffled": 1.5} if big else {}
        reps = max(1, repeats - 1) if big else repeats
        print(f"  MRR_MOVEMENTS, {size:,} rows x {len(ORDERS)} orders", flush=True)
        rows += bench_movements(size, reps, pandas_peer=not big, target=target)
        print(f"  COHORT_RETENTION, {size:,} rows x {len(ORDERS)} orders", flush=True)
        rows += bench_cohorts(size, reps, pandas_peer=not big, target=target)
    return rows


if __name__ == "__main__":
    import argparse

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--size", type=int, action="append", help="row counts instead of the defaults")
    p.add_argument("--before", metavar="REV", help="also time (and check) the two functions of this git revision")
    p.add_argument("--only", choices=["movements", "cohorts"], action="append")
    p.add_argument("--json", help="also write the rows to this JSON file")
    p.add_argument("--paired", type=int, metavar="ROUNDS",
                   help="with --before: only ours and REV's code, all orders in every round (min/median CPU)")
    a = p.parse_args()
    if a.before:
        BEFORE.update(before(a.before))
    if a.paired:
        if not a.before:
            p.error("--paired needs --before REV")
        for n in a.size or [1_000_000]:
            for table in a.only or ["movements", "cohorts"]:
                paired(n, a.paired, table)
        sys.exit(0)
    if a.size:
        result = []
        for n in a.size:
            target = {"shuffled": 1.5} if n >= 10_000_000 else {}
            if "movements" in (a.only or ["movements"]):
                result += bench_movements(n, a.repeats, pandas_peer=n <= 1_000_000, target=target)
            if "cohorts" in (a.only or ["cohorts"]):
                result += bench_cohorts(n, a.repeats, pandas_peer=n <= 1_000_000, target=target)
    else:
        result = run(a.quick, a.repeats)
    if a.json:
        import json

        Path(a.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for r in result:
        print(f"{r['name']:<60} ours {r['ours_s']:.3f} s  {r['peer']:<22} {r['peer_s']:.3f} s  "
              f"ratio {r['ours_s'] / r['peer_s']:.2f}  {r['target']} {'met' if r['ok'] else 'MISSED'}  {r['note']}")
