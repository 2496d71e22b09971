"""Ratio benchmarks for xl_cskpi: every target is a ratio of two timings taken side by side in one run.

    python benchmarks/run.py            # full sizes (1,000,000 cells / rows), a few minutes
    python benchmarks/run.py --quick    # a tenth of the sizes, to check the script itself
    python benchmarks/run.py --only bench_tables --only udfs   # some sections only

Sections (targets from the performance issue):
1. NPS, CSAT, AVG_RESOLUTION_TIME and NRR on 1,000,000 cells through the classic UDF entry point
   (input shaped as xlwings delivers it: a list of one-element row lists of floats, some None)
   against the floor ``np.array(that_list, dtype=float)``. Target: ratio <= 2.
2. MRR_MOVEMENTS and COHORT_RETENTION (``bench_tables.py``): three row orders (customer-major,
   month-major, shuffled) at 1M and 10M rows, against DuckDB (native table and pandas scan), Polars
   lazy and pandas, every peer checked equal first. Targets: shuffled 10M <= 1.5x the best peer;
   no order more than 1.3x slower than customer-major.
3. The column readers every export goes through (``cells.number_column``, ``cells.date_column``: one
   decision per column, currencies, Persian digits, local calendars) on 1,000,000 text cells, against
   ``str.replace(",", "")`` + ``pd.to_numeric`` / ``pd.to_datetime`` with the format given (which read
   less: no order decision, no currencies, no local calendars). FEEDBACK_THEMES on 50,000 comments x 2,000 themes against one ``str.contains``
   per theme (a regular expression of its keywords). Targets: <= 3x the pandas readers; <= 0.5x the
   per-theme regular expressions.
4. ``xl-cskpi report --values`` on a 1,000,000-row CSV and on a 200,000-row XLSX export: total time
   and peak memory (child process rusage), against pandas reading the file and openpyxl's write-only
   mode writing it back; XLSX reading (python-calamine, as the command does) against openpyxl's
   read-only reader. Targets: XLSX reading >= 5 x faster than openpyxl; peak memory <= 1.5 GB.

More sections live in ``benchmarks/bench_<name>.py`` modules, found by name: each defines
``run(quick: bool, repeats: int) -> list[dict]`` returning rows ``{"section", "name", "ours_s",
"peer", "peer_s", "ratio", "target", "ok", "note"}`` (``ratio`` may be left out: ours_s / peer_s),
printed in the same table; ``--only bench_<name>`` (or ``--only <name>``) runs one of them. A module
named like a built-in section (``bench_tables.py``) replaces it. A module can be run alone too, when
it has its own ``__main__``.

Timings are the best of several repeats; each pair runs alternately in the same process, so machine
noise hits both sides alike. This is a command, not a test: shared CI machines are too noisy for
timed assertions.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import xl_cskpi  # noqa: E402


def best(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def pair(a: Callable[[], object], b: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Best-of timings of a and b, run alternately."""
    ta, tb = [], []
    for _ in range(repeats):
        ta.append(best(a, 1))
        tb.append(best(b, 1))
    return min(ta), min(tb)


#: Result rows of every section, as the bench_*.py modules return them (see :func:`row`).
ROWS: list[dict] = []


def row(section: str, name: str, ours: float, peer: str, peer_s: float, target: str, ok: bool,
        note: str = "") -> dict:
    """One result row: ``{"section", "name", "ours_s", "peer", "peer_s", "ratio", "target", "ok", "note"}``."""
    return {"section": section, "name": name, "ours_s": ours, "peer": peer, "peer_s": peer_s,
            "ratio": ours / peer_s if peer_s else float("nan"), "target": target, "ok": bool(ok), "note": note}


def show(r: dict) -> None:
    print(f"  {r['name']}: {r['ours_s']:.3f} s vs {r['peer']} {r['peer_s']:.3f} s -> {r['ratio']:.2f} "
          f"({r['target']}: {'met' if r['ok'] else 'MISSED'}){'  ' + r['note'] if r['note'] else ''}", flush=True)


def report(name: str, ours: float, base_name: str, base: float, target: str, ok: bool, note: str = "",
           section: str = "") -> None:
    r = row(section, name, ours, base_name, base, target, ok, note)
    ROWS.append(r)
    show(r)


# --------------------------------------------------------------------------- 3. column readers

def bench_readers(n: int, repeats: int) -> None:
    from xl_cskpi import cells

    rng = np.random.default_rng(3)
    amounts = pd.Series([f"{v:,.2f}" for v in rng.uniform(0, 1e6, n)], dtype=object)
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1500, n), unit="D") \
        + pd.to_timedelta(rng.integers(0, 86_400, n), unit="s")
    iso = pd.Series(days.strftime("%Y-%m-%d %H:%M:%S"), dtype=object)
    dmy = pd.Series(days.strftime("%d/%m/%Y %H:%M"), dtype=object)
    print(f"3. column readers, {n:,} text cells", flush=True)
    ours, base = pair(lambda: cells.number_column(amounts, "amount"),
                      lambda: pd.to_numeric(amounts.str.replace(",", "", regex=False)), repeats)
    report(f"number_column, {n:,} '1,234.56' texts", ours, "str.replace + pd.to_numeric", base, "<= 3x",
           ours <= 3 * base)
    ours, base = pair(lambda: cells.date_column(iso, "opened_at", kind="datetime"),
                      lambda: pd.to_datetime(iso, format="%Y-%m-%d %H:%M:%S"), repeats)
    report(f"date_column, {n:,} ISO date-times", ours, "pd.to_datetime(format=...)", base, "<= 3x",
           ours <= 3 * base)
    ours, base = pair(lambda: cells.date_column(dmy, "opened_at", kind="datetime"),
                      lambda: pd.to_datetime(dmy, format="%d/%m/%Y %H:%M"), repeats)
    report(f"date_column, {n:,} dd/mm/yyyy texts (order decided)", ours, "pd.to_datetime(format=...)", base,
           "<= 3x", ours <= 3 * base)


def bench_themes(comments: int, themes: int, repeats: int) -> None:
    import re

    rng = np.random.default_rng(4)
    words = np.array([f"w{i}" for i in range(5000)])
    text = [" ".join(rng.choice(words, 12)) for _ in range(comments)]
    names = [f"theme {i}" for i in range(themes)]
    keys = [", ".join(rng.choice(words, 2, replace=False)) for _ in range(themes)]
    series = pd.Series(text, dtype=object).str.casefold()

    def regex_per_theme():
        return [int(series.str.contains("|".join(re.escape(k.strip()) for k in ks.split(","))).sum())
                for ks in keys]

    print(f"   FEEDBACK_THEMES, {comments:,} comments x {themes:,} themes", flush=True)
    ours, base = pair(lambda: xl_cskpi.feedback_themes(text, names, keys), regex_per_theme, max(1, repeats - 2))
    report(f"FEEDBACK_THEMES {comments:,} x {themes:,}", ours, "str.contains per theme", base, "<= 0.5x",
           ours <= 0.5 * base)


# --------------------------------------------------------------------------- 1. UDF entry points

def xlwings_column(values: np.ndarray, blank_every: int = 97) -> list[list[float | None]]:
    rows = [[float(v)] for v in values]
    for i in range(0, len(rows), blank_every):
        rows[i] = [None]
    return rows


def bench_udfs(n: int, repeats: int) -> None:
    from xl_cskpi import udfs

    rng = np.random.default_rng(1)
    print(f"1. UDF entry points on {n:,} cells (xlwings-shaped input)")
    scores = xlwings_column(rng.integers(0, 11, n))
    csat = xlwings_column(rng.integers(1, 6, n))
    opened = rng.uniform(45000, 45300, n)
    opened_rows = xlwings_column(opened)
    resolved_rows = xlwings_column(opened + rng.uniform(0.01, 5, n))
    prev = rng.uniform(0, 500, n).round(2)
    prev_rows = xlwings_column(prev)
    cur_rows = xlwings_column(prev * rng.uniform(0.5, 1.5, n))

    cases = [
        ("NPS", lambda: udfs.NPS(scores), lambda: np.array(scores, dtype=float)),
        ("CSAT", lambda: udfs.CSAT(csat), lambda: np.array(csat, dtype=float)),
        ("AVG_RESOLUTION_TIME", lambda: udfs.AVG_RESOLUTION_TIME(opened_rows, resolved_rows),
         lambda: (np.array(opened_rows, dtype=float), np.array(resolved_rows, dtype=float))),
        ("NRR", lambda: udfs.NRR(prev_rows, cur_rows),
         lambda: (np.array(prev_rows, dtype=float), np.array(cur_rows, dtype=float))),
    ]
    for name, ours, floor in cases:
        result = ours()
        if isinstance(result, str):
            raise SystemExit(f"{name} returned an error: {result}")
        t_ours, t_floor = pair(ours, floor, repeats)
        report(f"{name} UDF, {n:,} cells", t_ours, "np.array floor", t_floor, "<= 2x", t_ours <= 2 * t_floor)


# --------------------------------------------------------------------------- 2. tables

sys.path.insert(0, str(Path(__file__).resolve().parent))   # its sections, also when run by another path
from bench_tables import subscriptions  # noqa: E402  (the billing export the table benchmarks use)


# --------------------------------------------------------------------------- 3. the report command

_MEASURE = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stderr.write(r.stderr)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(r.returncode)\n"
)


def run_child(args: list[str]) -> tuple[float, float]:
    """Wall time and peak resident memory (MB) of one child process.

    The child runs under a small intermediate Python whose only child it is, so RUSAGE_CHILDREN's
    maximum is that child's own peak, not the largest of every process this script started.
    """
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])}... failed: {proc.stderr.strip()[-500:]}")
    return wall, int(proc.stdout.strip().splitlines()[-1]) / 1024.0


BASELINE = """
import sys, pandas as pd, openpyxl
src, dst = sys.argv[1], sys.argv[2]
df = pd.read_csv(src) if src.endswith(".csv") else pd.read_excel(src, engine="openpyxl")
wb = openpyxl.Workbook(write_only=True); ws = wb.create_sheet("data")
ws.append(list(df.columns))
for row in df.itertuples(index=False):
    ws.append(list(row))
wb.save(dst)
"""


def bench_report(rows_csv: int, rows_xlsx: int) -> None:
    from xl_cskpi import sample  # noqa: F401  (the demo's sample exports)
    print(f"3. xl-cskpi report --values on a {rows_csv:,}-row CSV and a {rows_xlsx:,}-row XLSX")
    exe = [sys.executable, "-m", "xl_cskpi"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        df = subscriptions(max(rows_csv // 10, 1), 10)
        df = df.iloc[:rows_csv].copy()
        df["month"] = df["month"].dt.strftime("%Y-%m-%d")
        csv = tmp / "subscriptions.csv"
        df.to_csv(csv, index=False)
        # the revenue report's second table: MRR per account in the last two months
        last = pd.DataFrame({"customer_id": df["customer_id"], "month": df["month"], "mrr": df["mrr"]})
        months = sorted(last["month"].unique())[-2:]
        wide = last[last["month"].isin(months)].pivot_table(
            index="customer_id", columns="month", values="mrr", aggfunc="sum", fill_value=0.0)
        accounts = tmp / "accounts.csv"
        pd.DataFrame({"customer_id": wide.index, "previous_mrr": wide.iloc[:, 0].to_numpy(),
                      "current_mrr": wide.iloc[:, -1].to_numpy()}).to_csv(accounts, index=False)
        out = tmp / "revenue.xlsx"
        t_ours, mem = run_child(exe + ["report", "revenue", "--data", str(csv), str(accounts), "-o", str(out),
                                       "--values"])
        t_base, mem_base = run_child([sys.executable, "-c", BASELINE, str(csv), str(tmp / "base.xlsx")])
        report(f"report --values, CSV {rows_csv:,} rows", t_ours, "pandas+openpyxl write-only", t_base,
               "time (info)", True)
        ROWS.append(row("report", f"peak memory (MB), CSV {rows_csv:,} rows", mem, "baseline", mem_base,
                        "<= 1500 MB", mem <= 1500, "values in MB, not seconds"))
        print(f"  peak memory: {mem:.0f} MB (baseline {mem_base:.0f} MB)")

        small = df.iloc[:rows_xlsx]
        xlsx = tmp / "subscriptions.xlsx"
        with pd.ExcelWriter(xlsx, engine="openpyxl") as w:
            small.to_excel(w, index=False, sheet_name="subscriptions")
        from python_calamine import CalamineWorkbook
        import openpyxl

        def calamine_read():
            return CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()

        def openpyxl_read():
            wb = openpyxl.load_workbook(xlsx, read_only=True)
            return [r for r in wb.worksheets[0].iter_rows(values_only=True)]

        t_cal, t_opx = pair(calamine_read, openpyxl_read, 2)
        report(f"XLSX read, {rows_xlsx:,} rows", t_cal, "openpyxl read-only", t_opx, "<= 0.2x (5x faster)",
               t_cal * 5 <= t_opx)
        out2 = tmp / "revenue2.xlsx"
        t_ours, mem = run_child(exe + ["report", "revenue", "--data", str(xlsx), str(accounts), "-o", str(out2),
                                       "--values"])
        t_base, mem_base = run_child([sys.executable, "-c", BASELINE, str(xlsx), str(tmp / "base2.xlsx")])
        report(f"report --values, XLSX {rows_xlsx:,} rows", t_ours, "pandas+openpyxl", t_base, "time (info)", True)


BUILTIN = ("udfs", "readers", "report")  # tables: bench_tables.py


def discover() -> dict[str, Path]:
    """The section modules ``benchmarks/bench_*.py``, by stem (``bench_writer``)."""
    return {p.stem: p for p in sorted(Path(__file__).resolve().parent.glob("bench_*.py"))}


def load(path: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"benchmarks_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))  # a section module may import its neighbours (or run.py's helpers)
    spec.loader.exec_module(module)
    return module


def run_module(stem: str, path: Path, quick: bool, repeats: int) -> None:
    """Run one ``bench_*.py`` module's ``run(quick, repeats) -> list[dict]`` and collect its rows.

    A module that fails is reported as a MISSED row naming the error, and the other sections still run.
    """
    print(f"{stem}:", flush=True)
    try:
        rows = load(path).run(quick, repeats)
    except Exception as e:  # noqa: BLE001 - one broken section must not hide the others
        import traceback

        traceback.print_exc()
        rows = [row(stem, f"{stem} failed", float("nan"), "-", float("nan"), "runs", False,
                    f"{type(e).__name__}: {e}"[:200])]
    for given in rows:
        r = {**row(stem, "", 0.0, "", 0.0, "", False), **given}
        r["section"] = r["section"] or stem
        if given.get("ratio") is None:
            r["ratio"] = r["ours_s"] / r["peer_s"] if r["peer_s"] else float("nan")
        ROWS.append(r)
        show(r)


def table(rows: list[dict]) -> str:
    def fmt(x: object) -> str:
        return f"{x:.3f}" if isinstance(x, float) else str(x)

    head = ["section", "what", "ours s", "peer", "peer s", "ratio", "target", "result", "note"]
    body = [[r["section"], r["name"], fmt(r["ours_s"]), r["peer"], fmt(r["peer_s"]), f"{r['ratio']:.2f}",
             r["target"], "met" if r["ok"] else "MISSED", r.get("note", "")] for r in rows]
    widths = [max(len(str(x[i])) for x in [head, *body]) for i in range(len(head))]
    return "\n".join(" | ".join(str(c).ljust(w) for c, w in zip(x, widths)).rstrip() for x in [head, *body])


def main() -> int:
    modules = discover()
    short = {stem[len("bench_"):]: stem for stem in modules}
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--only", action="append", metavar="SECTION",
                   help="run only this section (repeatable): one of " + ", ".join(
                       [b for b in BUILTIN if b not in short] + list(modules)))
    p.add_argument("--json", type=Path, help="also write the result rows to this JSON file")
    a = p.parse_args()
    k = 10 if a.quick else 1
    known = set(BUILTIN) | set(modules) | set(short)
    for name in a.only or ():
        if name not in known:
            p.error(f"--only {name}: no such section; choose from {', '.join(sorted(known))}")
    # a bench_<name>.py module replaces the built-in section of the same name
    only = {short.get(x, x) for x in (a.only or [*BUILTIN, *modules])}
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"numpy {np.__version__}, pandas {pd.__version__}")
    builtin = [
        ("udfs", lambda: bench_udfs(1_000_000 // k, a.repeats)),
        ("readers", lambda: (bench_readers(1_000_000 // k, a.repeats),
                             bench_themes(50_000 // k, 2_000 // k, a.repeats))),
        ("report", lambda: bench_report(1_000_000 // k, 200_000 // k)),
    ]
    for name, fn in builtin:
        if name in only and f"bench_{name}" not in modules:
            start = len(ROWS)
            fn()
            for r in ROWS[start:]:
                r["section"] = r["section"] or name
    for stem, path in modules.items():
        if stem in only:
            run_module(stem, path, a.quick, a.repeats)
    print()
    print(table(ROWS))
    if a.json:
        import json

        a.json.write_text(json.dumps(ROWS, indent=1, default=str) + "\n", encoding="utf-8")
    return 0 if all(r["ok"] for r in ROWS) else 1


if __name__ == "__main__":
    sys.exit(main())
