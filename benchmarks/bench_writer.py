"""The report writer (issue 17, item 3): ``xl-cskpi report revenue --values`` on an N-row CSV.

Rows (``run(quick, repeats)``, the interface of ``benchmarks/run.py``):

* ``report --values`` wall time and peak memory of the whole command (a child process, measured as
  ``run.py`` measures it), against
* the floor to approach: XlsxWriter in ``constant_memory`` mode writing the same cells (the data
  table's header and rows, dates with their number format) after reading the same CSV, and
* plain CSV: pandas reading the CSV and writing it again (the floor of any writer).

``XL_CSKPI_BENCH_SRC=/path/to/old/tree`` runs the command from another copy of the package (the
"before" figure of the closing note). Run alone: ``python benchmarks/bench_writer.py [--quick]``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

#: today's time of ``report --values`` on 1M CSV rows (issue 17), the 0.7x target is relative to it
ISSUE_BASELINE_S = 51.6

_MEASURE = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stderr.write(r.stderr)\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(u.ru_utime + u.ru_stime, u.ru_maxrss)\n"
    "sys.exit(r.returncode)\n"
)

XLSXWRITER = """
import sys, pandas as pd, xlsxwriter
src, dst = sys.argv[1], sys.argv[2]
df = pd.read_csv(src)
df["month"] = pd.to_datetime(df["month"])
wb = xlsxwriter.Workbook(dst, {"constant_memory": True})
ws = wb.add_worksheet("Subscriptions")
date = wb.add_format({"num_format": "yyyy-mm"})
ws.write_row(0, 0, list(df.columns))
ids, months, mrr = df["customer_id"].tolist(), df["month"].dt.to_pydatetime().tolist(), df["mrr"].tolist()
for i in range(len(df)):
    ws.write_string(i + 1, 0, ids[i])
    ws.write_datetime(i + 1, 1, months[i], date)
    ws.write_number(i + 1, 2, mrr[i])
wb.close()
"""

PLAIN_CSV = """
import sys, pandas as pd
pd.read_csv(sys.argv[1]).to_csv(sys.argv[2], index=False)
"""


def subscriptions(rows: int, seed: int = 2) -> pd.DataFrame:
    """A billing export of ``rows`` rows (customers x 10 months, sorted by customer), as
    ``benchmarks/run.py`` generates it: customer id, month, MRR (0 in months not active)."""
    months = 10
    customers = max(rows // months, 1)
    rng = np.random.default_rng(seed)
    cust = np.repeat(np.arange(customers), months)
    month = np.tile(np.arange(months), customers)
    join = rng.integers(0, months // 2, customers)
    base = rng.choice([29.0, 49.0, 99.0, 299.0], customers)
    mrr = base[cust] * rng.choice([1.0, 1.0, 1.0, 1.5, 0.5], cust.size)
    inactive = (month < join[cust]) | (rng.random(cust.size) < 0.08) | (rng.random(cust.size) < 0.02)
    mrr[inactive] = 0.0
    dates = (np.datetime64("2024-01-01", "M") + month).astype("datetime64[D]").astype(str)
    ids = np.char.add("C", cust.astype(str)).astype(object)
    return pd.DataFrame({"customer_id": ids, "month": dates, "mrr": mrr}).iloc[:rows]


def inputs(rows: int, folder: Path) -> tuple[Path, Path]:
    df = subscriptions(rows)
    csv = folder / "subscriptions.csv"
    df.to_csv(csv, index=False)
    last = df[df["month"].isin(sorted(df["month"].unique())[-2:])]
    wide = last.pivot_table(index="customer_id", columns="month", values="mrr", aggfunc="sum", fill_value=0.0)
    accounts = folder / "accounts.csv"
    pd.DataFrame({"customer_id": wide.index, "previous_mrr": wide.iloc[:, 0].to_numpy(),
                  "current_mrr": wide.iloc[:, -1].to_numpy()}).to_csv(accounts, index=False)
    return csv, accounts


def run_child(args: list[str], env: dict | None = None, cwd: str | None = None) -> tuple[float, float, float]:
    """Wall time, CPU time (user + system) and peak resident memory (MB) of one child process (as
    ``run.py`` measures it). On a shared machine the CPU time is the steadier figure."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, env=env, cwd=cwd)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])}... failed: {proc.stderr.strip()[-800:]}")
    cpu, rss = proc.stdout.strip().splitlines()[-1].split()
    return wall, float(cpu), int(rss) / 1024.0


def _row(name, ours, peer, peer_s, target, ok, note=""):
    return {"section": "writer", "name": name, "ours_s": round(ours, 3), "peer": peer,
            "peer_s": round(peer_s, 3) if peer_s else peer_s,
            "ratio": round(ours / peer_s, 2) if peer_s else None, "target": target, "ok": ok, "note": note}


def run(quick: bool, repeats: int) -> list[dict]:
    rows = 100_000 if quick else 1_000_000
    repeats = max(1, min(repeats, 3))
    src = os.environ.get("XL_CSKPI_BENCH_SRC")
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    out_rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv, accounts = inputs(rows, tmp)
        ours, cpus, mems, floor, floor_cpu, plain, plain_cpu = [], [], [], [], [], [], []
        for k in range(repeats):
            out = tmp / f"revenue{k}.xlsx"
            t, c, mem = run_child([sys.executable, "-m", "xl_cskpi", "report", "revenue", "--data", str(csv),
                                   str(accounts), "-o", str(out), "--values"], env, cwd=src or str(ROOT))
            ours.append(t)
            cpus.append(c)
            mems.append(mem)
            t, c, _ = run_child([sys.executable, "-c", XLSXWRITER, str(csv), str(tmp / f"x{k}.xlsx")])
            floor.append(t)
            floor_cpu.append(c)
            t, c, _ = run_child([sys.executable, "-c", PLAIN_CSV, str(csv), str(tmp / f"p{k}.csv")])
            plain.append(t)
            plain_cpu.append(c)
        med = statistics.median
        t, f, p, m = med(ours), med(floor), med(plain), med(mems)
        tc, fc, pc = med(cpus), med(floor_cpu), med(plain_cpu)
        note = f"median of {repeats}" + (f"; package from {src}" if src else "")
        name = f"report --values, CSV {rows:,} rows"
        out_rows.append(_row(name, t, "XlsxWriter constant_memory", f, "<= 1.5x (moonshot)", t <= 1.5 * f,
                             note + "; wall"))
        out_rows.append(_row(name + " (CPU s)", tc, "XlsxWriter constant_memory (CPU s)", fc, "<= 1.5x (moonshot)",
                             tc <= 1.5 * fc, note + "; user+system CPU, steadier on a shared machine"))
        if not quick:
            out_rows.append(_row(name, t, "issue 17 (51.6 s)", ISSUE_BASELINE_S, "<= 0.7x",
                                 t <= 0.7 * ISSUE_BASELINE_S, note + "; wall"))
        out_rows.append(_row(name + " (CPU s)", tc, "plain CSV (pandas, CPU s)", pc, "info", True, note))
        out_rows.append(_row(f"peak memory (MB), CSV {rows:,} rows", m, "limit", 600.0, "< 600 MB", m < 600,
                             "values in MB, not seconds"))
    return out_rows


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else (1 if quick else 3)
    for r in run(quick, repeats):
        print(f"{r['name']:<40} ours {r['ours_s']:>8} | {r['peer']:<28} {r['peer_s']!s:>8} "
              f"ratio {r['ratio']!s:>5} {r['target']:<18} {'ok' if r['ok'] else 'MISSED'}  {r['note']}")
