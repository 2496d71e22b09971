"""Row-level support and churn tables on the row orders real exports have: TICKETS_BY,
CUSTOMER_CHURN_RATE, and the other row-level tables (SLA, complaints, survey tallies, survival).

Ticket, survey and subscription exports come sorted by customer (or agent), sorted by date, or in no
order at all, so every table runs on the same rows in three orders:

* ``customer-major``: each customer's (agent's) rows together (the order of the generator);
* ``date-major``: a stable sort by the row's date (opened, started, answered), as exports usually are;
* ``shuffled``: a random permutation.

Text columns are Python strings **made the way a reader makes them** (pyarrow's ``to_pandas``, like
``pandas.read_csv``, creates one ``str`` per distinct value and points every repeat at it).

For each table and order: ours (the Python API on the pandas columns), **DuckDB native** (a table
created from the frame before the clock starts; SQL written the way an analyst who knows window
functions would; its result checked equal to ours BEFORE it is timed; DuckDB uses its own threads),
and **before**: the same function as it was at the session's start (git revision ``BEFORE_REV``,
its modules and row readers read from git and run undecorated, through the registry's call), also
checked equal to ours first, bit for bit. Each cell is the best wall time of the repeats, the sides
alternating, with the CPU seconds of that run (all threads of the process: DuckDB's count both of
its threads) and the 1-minute load average when the table was timed.

Targets (issue 17, item 2): no order more than 1.3x slower than customer-major; TICKETS_BY within 2x
of DuckDB native at 1M rows.

    python benchmarks/bench_rows.py                  # 1,000,000 rows (run.py: --only rows)
    python benchmarks/bench_rows.py --size 10000000 --only tickets --only churn
    python benchmarks/bench_rows.py --quick --before none
"""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import xl_cskpi  # noqa: E402
from xl_cskpi import registry  # noqa: E402

ORDERS = ("customer-major", "date-major", "shuffled")
#: The code of the session's start (session 4), timed as "before".
BEFORE_REV = "4a511d188dc46f2c4e6b9265397f7c84130d02c7"
POLICY = "urgent 4, high 8, normal 24, low 48"
PERIOD = ("2024-01-01", "2024-12-31")


# --------------------------------------------------------------------------- data

def _reader_text(values: np.ndarray) -> pd.Series:
    """A text column as a reader gives it: one ``str`` object per distinct value."""
    import pyarrow as pa

    return pa.array(values, type=pa.string()).to_pandas()


def tickets(rows: int, seed: int = 7) -> pd.DataFrame:
    """A ticket export, agent-major: 500 agents, opened over 2024, 85 % resolved 5 min to 10 days later
    (first reply within a day), priorities, ratings 1-5 on a third of them, 40 categories."""
    rng = np.random.default_rng(seed)
    agent = np.sort(rng.integers(0, 500, rows))
    opened = np.datetime64("2024-01-01T00:00", "s") + rng.integers(0, 366 * 86_400, rows).astype("timedelta64[s]")
    took = rng.integers(300, 10 * 86_400, rows).astype("timedelta64[s]")
    solved = rng.random(rows) < 0.85
    resolved = np.where(solved, opened + took, np.datetime64("NaT"))
    reply = opened + (took * rng.random(rows) * 0.1).astype("timedelta64[s]")
    rating = rng.integers(1, 6, rows).astype(float)
    rating[rng.random(rows) < 0.66] = np.nan
    return pd.DataFrame({
        "key": np.char.add("agent_", agent.astype(str)).astype(object),
        "opened_at": opened.astype("datetime64[ns]"), "resolved_at": resolved.astype("datetime64[ns]"),
        "first_response_at": reply.astype("datetime64[ns]"),
        "priority": np.array(["Urgent", "High", "Normal", "Low"], dtype=object)[rng.integers(0, 4, rows)],
        "rating": rating,
        "category": np.array([f"Category {i}" for i in range(40)], dtype=object)[rng.integers(0, 40, rows)],
        "status": np.array(["Pending", "Resolved", "Escalated"], dtype=object)[rng.integers(0, 3, rows)],
        "ticket_id": np.arange(rows, dtype=np.int64),
    })


def spells(rows: int, seed: int = 8) -> pd.DataFrame:
    """Subscriptions, customer-major: ~3 per customer over 2020-2024, a third still running."""
    rng = np.random.default_rng(seed)
    cust = np.sort(rng.integers(0, max(rows // 3, 1), rows))
    start = np.datetime64("2020-01-01", "D") + rng.integers(0, 5 * 365, rows).astype("timedelta64[D]")
    end = np.where(rng.random(rows) < 0.66, start + rng.integers(1, 700, rows).astype("timedelta64[D]"),
                   np.datetime64("NaT"))
    return pd.DataFrame({"customer_id": np.char.add("C", cust.astype(str)).astype(object),
                         "start": start.astype("datetime64[ns]"), "end": end.astype("datetime64[ns]")})


def responses(rows: int, seed: int = 9) -> pd.DataFrame:
    """Survey responses, customer-major: 0-10 scores (3 % blank), 1-5 CSAT, the customer's plan, a
    comment out of 5,000 distinct answers, the answer date over 2024."""
    rng = np.random.default_rng(seed)
    cust = np.sort(rng.integers(0, max(rows // 5, 1), rows))
    score = rng.integers(0, 11, rows).astype(float)
    score[rng.random(rows) < 0.03] = np.nan
    answers = np.array([("Price too high " if i % 3 == 0 else "Support was slow " if i % 3 == 1 else "Great ")
                        + str(i) for i in range(5000)], dtype=object)
    return pd.DataFrame({
        "customer_id": np.char.add("C", cust.astype(str)).astype(object),
        "date": (np.datetime64("2024-01-01", "D") + rng.integers(0, 366, rows).astype("timedelta64[D]")
                 ).astype("datetime64[ns]"),
        "score": score, "csat": rng.integers(1, 6, rows),
        "plan": np.array(["Basic", "Pro", "Team", "Enterprise"], dtype=object)[cust % 4],
        "comment": answers[rng.integers(0, len(answers), rows)],
    })


def ordered(df: pd.DataFrame, order: str, date: str) -> pd.DataFrame:
    """The rows in ``order``, text columns made the way a reader makes them."""
    if order == "customer-major":
        idx = np.arange(len(df))
    elif order == "date-major":
        idx = np.argsort(df[date].to_numpy().astype("datetime64[D]"), kind="stable")
    else:
        idx = np.random.default_rng(11).permutation(len(df))
    out = df.iloc[idx].reset_index(drop=True)
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = _reader_text(out[col].to_numpy())
    return out


# --------------------------------------------------------------------------- before

def before(rev: str) -> types.SimpleNamespace:
    """The table modules as they were at git revision ``rev`` (read from git, run undecorated), with
    the row readers they import from the same revision."""
    names = ("rows", "support", "sla", "customers", "tickets", "churn", "survey", "survival")
    mods = {}
    for name in names:
        mod = types.ModuleType(f"xl_cskpi.tables._before_{name}")
        mod.__package__ = "xl_cskpi.tables"
        sys.modules[mod.__name__] = mod
        mods[name] = mod
    for name in names:  # in import order
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:xl_cskpi/tables/{name}.py"],
                              capture_output=True, text=True, check=True).stdout
        text = re.sub(r"@kpi\((.|\n)*?\)\ndef ", "def ", text)
        for other in names:
            text = text.replace(f"from .{other} import", f"from ._before_{other} import")
        exec(compile(text, f"{rev[:7]}:xl_cskpi/tables/{name}.py", "exec"), mods[name].__dict__)
    return types.SimpleNamespace(**mods)


def _call(f: Callable, excel: str) -> Callable:
    """An undecorated table function called as the registry calls it (numpy's error state, result check)."""
    return lambda *a, **k: registry._kpi_call(f, excel, a, k)


# --------------------------------------------------------------------------- timing

def timed(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, tuple[float, float]]:
    """Best-of-``repeats`` (wall, CPU seconds of that run) of each function, run in turn each round."""
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in fns}
    for _ in range(repeats):
        for k, fn in fns.items():
            gc.collect()
            c, t = time.process_time(), time.perf_counter()
            fn()
            times[k].append((time.perf_counter() - t, time.process_time() - c))
    return {k: min(v) for k, v in times.items()}


def load() -> float:
    return os.getloadavg()[0]


def same_frame(a: pd.DataFrame, b: pd.DataFrame, who: str) -> None:
    """Bit for bit: values, dtypes, NaN positions (before and after must agree exactly)."""
    pd.testing.assert_frame_equal(a, b, check_exact=True, obj=who)
    for col in a.columns:
        x, y = a[col].to_numpy(), b[col].to_numpy()
        if x.dtype.kind == "f":
            assert x.tobytes() == y.tobytes(), f"{who}: column {col} differs in its bits"


# --------------------------------------------------------------------------- DuckDB peers

TICKETS_SQL = """
WITH h AS (
  SELECT key, resolved_at IS NOT NULL AS solved,
    (epoch_us(resolved_at) - epoch_us(opened_at)) / 3600e6 AS hours
  FROM t)
SELECT key, count(*) AS tickets, count(*) FILTER (solved) AS solved, count(*) FILTER (NOT solved) AS open,
  quantile_cont(hours, 0.5) AS median, quantile_cont(hours, 0.9) AS p90
FROM h GROUP BY GROUPING SETS ((key), ()) ORDER BY key NULLS LAST
"""


def check_tickets(ours: pd.DataFrame, peer: pd.DataFrame) -> None:
    assert ours["Key"].tolist()[:-1] == peer["key"].tolist()[:-1], "DuckDB disagrees on the keys"
    for a, b in (("Tickets", "tickets"), ("Solved", "solved"), ("Open", "open")):
        assert ours[a].tolist() == peer[b].tolist(), f"DuckDB disagrees on {a}"
    for a, b in (("Median resolution (h)", "median"), ("P90 resolution (h)", "p90")):
        assert np.allclose(ours[a].to_numpy(float), peer[b].to_numpy(float), rtol=1e-12, atol=0, equal_nan=True), \
            f"DuckDB disagrees on {a}"


CHURN_SQL = """
WITH r AS (
  SELECT customer_id AS c, start::DATE AS s, coalesce("end"::DATE, DATE '9999-12-31') AS e FROM t),
o AS (
  SELECT c, s, e, max(e) OVER (PARTITION BY c ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pe
  FROM r),
g AS (
  SELECT c, s, e, sum(CASE WHEN pe IS NULL OR s > pe THEN 1 ELSE 0 END)
    OVER (PARTITION BY c ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS k
  FROM o),
sp AS (SELECT c, min(s) AS s, max(e) AS e FROM g GROUP BY c, k),
per AS (
  SELECT c, bool_or(s < DATE '{p0}' AND e >= DATE '{p0}') AS at_start, bool_or(s <= DATE '{p1}' AND e > DATE '{p1}') AS at_end,
    count(*) FILTER (e >= DATE '{p0}' AND e <= DATE '{p1}') AS churns, count(*) FILTER (s >= DATE '{p0}' AND s <= DATE '{p1}') AS starts
  FROM sp GROUP BY c)
SELECT count(*) FILTER (at_start) AS n_start, count(*) FILTER (at_end) AS n_end,
  count(*) FILTER (at_start AND NOT at_end) AS chartmogul, sum(churns) AS stripe, sum(starts) AS starts,
  count(*) FILTER (at_start AND churns > 0) AS profitwell, count(*) FILTER (churns > 0) AS baremetrics,
  count(*) FILTER ((at_start OR starts > 0) AND NOT at_end) AS seed
FROM per
"""


def check_churn(ours: pd.DataFrame, peer: pd.DataFrame) -> None:
    p = peer.iloc[0]
    n_start = int(p["n_start"])
    want = {"chartmogul": (p["chartmogul"], n_start), "stripe": (p["stripe"], n_start + int(p["starts"])),
            "profitwell": (p["profitwell"], n_start), "baremetrics": (p["baremetrics"], n_start),
            "seed": (p["seed"], n_start), "simple": (n_start - int(p["n_end"]), n_start)}
    got = {r["Convention"]: (r["Lost"], r["Base"]) for r in ours.to_dict("records")}
    assert {k: (int(a), int(b)) for k, (a, b) in want.items()} == {k: (int(a), int(b)) for k, (a, b) in got.items()}, \
        f"DuckDB disagrees on the churn counts: {want} vs {got}"


SLA_SQL = """
WITH h AS (
  SELECT lower(priority) AS p, (epoch_us(resolved_at) - epoch_us(opened_at)) / 3600e6 AS hours,
    CASE lower(priority) WHEN 'urgent' THEN 4 WHEN 'high' THEN 8 WHEN 'normal' THEN 24 WHEN 'low' THEN 48 END AS target
  FROM t WHERE opened_at IS NOT NULL)
SELECT p, count(*) AS tickets, count(*) FILTER (hours <= target + 1e-9) AS met,
  count(*) FILTER (hours > target + 1e-9) AS breached, count(*) FILTER (hours IS NULL) AS open
FROM h GROUP BY p
"""


def check_sla(ours: pd.DataFrame, peer: pd.DataFrame) -> None:
    mine = ours[ours["Priority"].isin(["Urgent", "High", "Normal", "Low"])]
    by = {r["p"]: r for r in peer.to_dict("records")}
    for r in mine.to_dict("records"):
        q = by[r["Priority"].lower()]
        assert (r["Tickets"], r["Met"], r["Breached"], r["Open"]) == (q["tickets"], q["met"], q["breached"], q["open"]), \
            f"DuckDB disagrees on {r['Priority']}"


COMPLAINTS_SQL = "SELECT category, status, count(*) AS n FROM t GROUP BY ALL"


def check_complaints(ours: pd.DataFrame, peer: pd.DataFrame) -> None:
    body = ours[ours["Key"] != "Total"].set_index("Key")
    for r in peer.to_dict("records"):
        assert body.loc[r["category"], r["status"]] == r["n"], "DuckDB disagrees on a complaint count"


NPS_SQL = """
SELECT plan, count(score) AS n, count(*) FILTER (score >= 9) AS promoters, count(*) FILTER (score <= 6) AS detractors
FROM t GROUP BY plan
"""


def check_nps(ours: pd.DataFrame, peer: pd.DataFrame) -> None:
    for r in peer.to_dict("records"):
        part = ours[ours["segment"] == r["plan"]].set_index("group")["count"]
        assert (part["Respondents"], part["Promoters (9-10)"], part["Detractors (0-6)"]) == \
            (r["n"], r["promoters"], r["detractors"]), f"DuckDB disagrees on segment {r['plan']}"


# --------------------------------------------------------------------------- the tables

def _tables(old: types.SimpleNamespace | None) -> list[dict[str, Any]]:
    """Each table: its data, the date its date-major order sorts by, how we call it, the before
    function, the DuckDB peer (SQL on table t and its check) when there is one, and its target."""
    b = (lambda mod, fn, excel: _call(getattr(getattr(old, mod), fn), excel)) if old else (lambda *_: None)
    return [
        dict(name="TICKETS_BY", data=tickets, date="opened_at",
             call=lambda f: lambda d: f(d["key"], d["opened_at"], d["resolved_at"]),
             ours=xl_cskpi.tickets_by, before=b("tickets", "tickets_by", "TICKETS_BY"),
             sql=TICKETS_SQL, check=check_tickets, peer_target=2.0),
        dict(name="TICKETS_BY (first reply, SLA policy, ratings)", data=tickets, date="opened_at",
             call=lambda f: lambda d: f(d["key"], d["opened_at"], d["resolved_at"], d["first_response_at"], POLICY,
                                        d["priority"], d["rating"]),
             ours=xl_cskpi.tickets_by, before=b("tickets", "tickets_by", "TICKETS_BY")),
        dict(name="CUSTOMER_CHURN_RATE", data=spells, date="start",
             call=lambda f: lambda d: f(d["customer_id"], d["start"], d["end"], *PERIOD),
             ours=xl_cskpi.customer_churn_rate, before=b("churn", "customer_churn_rate", "CUSTOMER_CHURN_RATE"),
             sql=CHURN_SQL.format(p0=PERIOD[0], p1=PERIOD[1]), check=check_churn),
        dict(name="SLA_POLICY_COMPLIANCE", data=tickets, date="opened_at",
             call=lambda f: lambda d: f(d["opened_at"], d["resolved_at"], d["priority"], POLICY),
             ours=xl_cskpi.sla_policy_compliance, before=b("sla", "sla_policy_compliance", "SLA_POLICY_COMPLIANCE"),
             sql=SLA_SQL, check=check_sla),
        dict(name="SLA_BREACHES", data=tickets, date="opened_at",
             call=lambda f: lambda d: f(d["ticket_id"], d["opened_at"], d["resolved_at"], d["priority"], POLICY),
             ours=xl_cskpi.sla_breaches, before=b("sla", "sla_breaches", "SLA_BREACHES")),
        dict(name="BACKLOG", data=tickets, date="opened_at",
             call=lambda f: lambda d: f(d["opened_at"], d["resolved_at"]),
             ours=xl_cskpi.backlog, before=b("tickets", "backlog", "BACKLOG")),
        dict(name="COMPLAINT_SUMMARY", data=tickets, date="opened_at",
             call=lambda f: lambda d: f(d["category"], d["status"]),
             ours=xl_cskpi.complaint_summary, before=b("support", "complaint_summary", "COMPLAINT_SUMMARY"),
             sql=COMPLAINTS_SQL, check=check_complaints),
        dict(name="NPS_BREAKDOWN per plan (segments)", data=responses, date="date",
             call=lambda f: lambda d: f(d["score"], segments=d["plan"]),
             ours=xl_cskpi.nps_breakdown, before=None, sql=NPS_SQL, check=check_nps),
        dict(name="CSAT_DISTRIBUTION", data=responses, date="date",
             call=lambda f: lambda d: f(d["csat"]),
             ours=xl_cskpi.csat_distribution, before=b("survey", "csat_distribution", "CSAT_DISTRIBUTION")),
        dict(name="FEEDBACK_THEMES", data=responses, date="date",
             call=lambda f: lambda d: f(d["comment"], [["Price", "price, قیمت"], ["Support", "support, slow"]]),
             ours=xl_cskpi.feedback_themes, before=b("survey", "feedback_themes", "FEEDBACK_THEMES")),
        dict(name="SURVIVAL_CURVE", data=spells, date="start",
             call=lambda f: lambda d: f(d["start"], d["end"]),
             ours=xl_cskpi.survival_curve, before=b("survival", "survival_curve", "SURVIVAL_CURVE")),
    ]


def bench_table(spec: dict[str, Any], size: int, repeats: int) -> list[dict]:
    import duckdb

    base = spec["data"](size)
    out, ours_by_order = [], {}
    section, table = "rows", spec["name"]
    for order in ORDERS:
        df = ordered(base, order, spec["date"])
        ours = (lambda f: lambda: f(df))(spec["call"](spec["ours"]))
        got = ours()
        fns: dict[str, Callable[[], object]] = {"ours": ours}
        if spec.get("before") is not None:
            old = (lambda f: lambda: f(df))(spec["call"](spec["before"]))
            same_frame(old(), got, f"{table} before")
            fns["before"] = old
        con = None
        if spec.get("sql"):
            con = duckdb.connect()
            con.register("df", df)
            con.execute("CREATE TABLE t AS SELECT * FROM df")
            con.unregister("df")
            sql = spec["sql"]
            spec["check"](got, con.execute(sql).df())
            fns["DuckDB native"] = (lambda c, q: lambda: c.execute(q).df())(con, sql)
        load0 = load()
        times = timed(fns, repeats)
        load1 = load()
        wall, cpu = times["ours"]
        ours_by_order[order] = (wall, cpu)
        for peer, (pw, pc) in times.items():
            if peer == "ours":
                continue
            target = spec.get("peer_target") if peer == "DuckDB native" else None
            ok = target is None or wall <= target * pw
            out.append({"section": section, "name": f"{table}, {len(df):,} rows, {order}", "ours_s": wall,
                        "peer": peer if peer != "before" else f"before ({BEFORE_REV[:7]})", "peer_s": pw,
                        "target": f"<= {target}x" if target else "info", "ok": ok,
                        "note": f"cpu {cpu:.3f} s vs {pc:.3f} s; load {load0:.1f}-{load1:.1f}"})
        if len(fns) == 1:
            out.append({"section": section, "name": f"{table}, {len(df):,} rows, {order}", "ours_s": wall,
                        "peer": "(none)", "peer_s": wall, "target": "info", "ok": True,
                        "note": f"cpu {cpu:.3f} s; load {load0:.1f}-{load1:.1f}"})
        if con is not None:
            con.close()
        del df, fns
        gc.collect()
    cw, cc = ours_by_order["customer-major"]
    for order, (w, c) in ours_by_order.items():
        if order != "customer-major":
            out.append({"section": section, "name": f"{table}, {size:,} rows, {order} vs customer-major",
                        "ours_s": w, "peer": "ours, customer-major", "peer_s": cw, "target": "<= 1.3x",
                        "ok": w <= 1.3 * cw, "note": f"cpu {c:.3f} s vs {cc:.3f} s ({c / cc:.2f}x)"})
    return out


ONLY = {"tickets": ("TICKETS_BY",), "tickets_options": ("TICKETS_BY (first reply, SLA policy, ratings)",),
        "churn": ("CUSTOMER_CHURN_RATE",), "sla": ("SLA_POLICY_COMPLIANCE", "SLA_BREACHES", "BACKLOG"),
        "complaints": ("COMPLAINT_SUMMARY",), "survey": ("NPS_BREAKDOWN per plan (segments)", "CSAT_DISTRIBUTION",
                                                        "FEEDBACK_THEMES"), "survival": ("SURVIVAL_CURVE",)}


def bench(sizes: tuple[int, ...], repeats: int, only: list[str] | None = None, rev: str | None = BEFORE_REV
          ) -> list[dict]:
    old = before(rev) if rev else None
    rows: list[dict] = []
    for size in sizes:
        for spec in _tables(old):
            if only and spec["name"] not in {name for o in only for name in ONLY[o]}:
                continue
            print(f"  {spec['name']}, {size:,} rows x {len(ORDERS)} orders (load {load():.1f})", flush=True)
            rows += bench_table(spec, size, repeats)
    return rows


def run(quick: bool, repeats: int) -> list[dict]:
    """The section for ``benchmarks/run.py`` (1M rows; ``--quick``: 100,000)."""
    rev = os.environ.get("XL_CSKPI_BENCH_ROWS_BEFORE", BEFORE_REV)
    return bench((100_000,) if quick else (1_000_000,), repeats, rev=None if rev == "none" else rev)


if __name__ == "__main__":
    import argparse
    import json
    import platform

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="100,000 rows")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--size", type=int, action="append", help="row counts instead of 1,000,000")
    p.add_argument("--only", choices=sorted(ONLY), action="append")
    p.add_argument("--before", default=BEFORE_REV, help='git revision timed as "before" ("none": skip)')
    p.add_argument("--json", help="also write the rows to this JSON file")
    a = p.parse_args()
    sizes = tuple(a.size) if a.size else (100_000,) if a.quick else (1_000_000,)
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}, "
          f"pandas {pd.__version__}; {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC, load {os.getloadavg()}")
    result = bench(sizes, a.repeats, a.only, None if a.before == "none" else a.before)
    if a.json:
        Path(a.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for r in result:
        print(f"{r['name']:<72} ours {r['ours_s']:.3f} s  {r['peer']:<22} {r['peer_s']:.3f} s  "
              f"ratio {r['ours_s'] / r['peer_s']:.2f}  {r['target']} {'met' if r['ok'] else 'MISSED'}  {r['note']}")
