"""Engines (issue 18): MRR movements and cohorts on 1M, 10M and 100M billing rows.

    python benchmarks/run.py --only bench_engines          # 1M and 10M on every engine, 100M on DuckDB
    python benchmarks/run.py --only bench_engines --quick  # 100k and 1M, no 100M
    python benchmarks/bench_engines.py [--quick] [--sizes 1000000,10000000] [--engines duckdb,spark]

The rows are generated once per size to Parquet files on disk (5M rows a file,
:func:`xl_cskpi.engines.sample.write_mrr_parquet`: customer ids, month dates, MRR; several rows per
customer-month, gaps, zeros) and every engine reads the same files. Each run is a child process
(``--child``): wall time from the call to the finished table (reading the files included; for
Spark the session is started first and its start-up, 10-30 s, is not counted), and peak memory =
the child's peak resident size (``VmHWM``) plus, for Spark, the JVM's. Rows: ``ours_s`` = the engine, ``peer_s`` = the
pandas engine on the same files, ``ratio`` = engine / pandas; peak memory in the note.

100M rows: DuckDB only, under ``--memory-limit 4GB`` (spilling to a temporary folder); the target
is that it finishes and its peak stays near the limit. pandas would need the whole export in memory
and Spark in local mode on two cores takes long: they are not run at 100M. Skipped with a printed
note under ``--quick`` or when the disk has less than 25 GB free.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECTION = "engines"
DISK_NEEDED = 25 * 2**30


def _peak_mb(pid: int | str = "self") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(engine: str, table: str, data: str, memory_limit: str) -> dict:
    """One run, in this (child) process: seconds, peak MB, rows of the result."""
    from xl_cskpi import engines
    opts: dict = {"memory_limit": memory_limit}
    if engine == "spark":
        from pyspark.sql import SparkSession
        spark = (SparkSession.builder.master("local[*]").config("spark.ui.enabled", "false")
                 .config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "8")
                 .config("spark.driver.memory", "4g").config("spark.sql.session.timeZone", "UTC").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        opts["spark"] = spark
    if table == "cohorts":
        opts["columns"] = {"activity_date": "month"}
    t = time.perf_counter()
    result = engines.compute(table, data, engine=engine, options=opts)
    seconds = time.perf_counter() - t
    peak = _peak_mb()
    if engine == "spark":
        from pyspark import SparkContext
        proc = getattr(SparkContext._gateway, "proc", None)
        if proc is not None:
            peak += _peak_mb(proc.pid)
    return {"seconds": seconds, "peak_mb": peak, "rows": len(result)}


def measure(engine: str, table: str, data: str, memory_limit: str = "4GB", timeout: float = 3600) -> dict:
    cmd = [sys.executable, __file__, "--child", engine, table, data, memory_limit]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    if p.returncode or not lines:
        tail = (p.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {p.returncode}: {tail[:200]}"}
    return json.loads(lines[-1])


def _data(folder: Path, rows: int) -> str:
    from xl_cskpi.engines.sample import write_mrr_parquet
    target = folder / f"rows_{rows}"
    if not (target / "done").exists():
        shutil.rmtree(target, ignore_errors=True)
        t = time.perf_counter()
        write_mrr_parquet(str(target), rows, seed=18, chunk=min(rows, 5_000_000))
        (target / "done").write_text("ok")
        print(f"  generated {rows:,} rows to Parquet in {time.perf_counter() - t:.0f} s "
              f"({sum(f.stat().st_size for f in target.glob('*.parquet')) / 2**20:.0f} MB)", flush=True)
    return str(target / "*.parquet")


def _row(name: str, ours: dict, peer: dict | None, target: str, ok: bool, note: str) -> dict:
    ours_s = ours.get("seconds", float("nan"))
    peer_s = peer.get("seconds", float("nan")) if peer else float("nan")
    return {"section": SECTION, "name": name, "ours_s": ours_s, "peer": "pandas engine" if peer else "-",
            "peer_s": peer_s, "ratio": ours_s / peer_s if peer and peer_s == peer_s and peer_s else float("nan"),
            "target": target, "ok": ok, "note": note}


def _mem(r: dict) -> str:
    return f"peak {r['peak_mb']:,.0f} MB" if "peak_mb" in r else r.get("error", "")


def run(quick: bool, repeats: int, sizes: list[int] | None = None, engines_: list[str] | None = None,
        folder: str | None = None) -> list[dict]:
    sizes = sizes or ([100_000, 1_000_000] if quick else [1_000_000, 10_000_000, 100_000_000])
    engines_ = engines_ or ["pandas", "duckdb", "spark"]
    default = Path(tempfile.gettempdir()) / "xl_cskpi_bench_engines"
    base = Path(folder or os.environ.get("XL_CSKPI_BENCH_DIR") or default)
    base.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    print(f"{SECTION}: MRR movements and cohorts, engines {', '.join(engines_)}, one child process per run",
          flush=True)
    for n in sizes:
        if n >= 100_000_000:
            free = shutil.disk_usage(base).free
            if quick or free < DISK_NEEDED:
                why = "--quick" if quick else f"{free / 2**30:.0f} GB free < {DISK_NEEDED / 2**30:.0f} GB"
                print(f"  {n:,} rows: skipped ({why})", flush=True)
                rows.append(_row(f"{n:,} rows (100M on DuckDB)", {}, None, "finishes under 4GB", True,
                                 f"skipped: {why}"))
                continue
        data = _data(base, n)
        for table in ("movements", "cohorts"):
            if n >= 100_000_000:
                r = measure("duckdb", table, data, "4GB")
                ok = "seconds" in r and r["peak_mb"] <= 4.5 * 1024
                rows.append(_row(f"{table}, {n:,} rows, duckdb --memory-limit 4GB", r, None,
                                 "finishes, peak <= 4.5 GB", ok, _mem(r)))
                print(f"  {rows[-1]['name']}: {r.get('seconds', float('nan')):.1f} s, {_mem(r)}", flush=True)
                continue
            results = {}
            for engine in engines_:
                results[engine] = min((measure(engine, table, data) for _ in range(max(repeats if n < 10_000_000
                                                                                          else 1, 1))),
                                      key=lambda r: r.get("seconds", float("inf")))
                r = results[engine]
                print(f"  {table}, {n:,} rows, {engine}: {r.get('seconds', float('nan')):.1f} s, {_mem(r)}",
                      flush=True)
            peer = results.get("pandas")
            for engine in engines_:
                if engine == "pandas":
                    continue
                r = results[engine]
                note = f"{_mem(r)}; pandas {_mem(peer) if peer else '-'}"
                if engine == "spark":
                    note += "; local[*] on this machine, session start-up not counted"
                rows.append(_row(f"{table}, {n:,} rows, {engine}", r, peer, "side by side (no target)",
                                 "seconds" in r, note))
    return rows


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(*sys.argv[2:6])))
        return
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--sizes", default=None, help="comma-separated row counts")
    p.add_argument("--engines", default=None, help="comma-separated: pandas,duckdb,spark")
    p.add_argument("--folder", default=None, help="where the Parquet files go (default: the temp folder)")
    a = p.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")] if a.sizes else None
    engines_ = a.engines.split(",") if a.engines else None
    for r in run(a.quick, a.repeats, sizes, engines_, a.folder):
        print(f"  {r['name']}: {r['ours_s']:.2f} s vs {r['peer']} {r['peer_s']:.2f} s -> ratio {r['ratio']:.2f} "
              f"({r['target']}: {'met' if r['ok'] else 'MISSED'})  {r['note']}")


if __name__ == "__main__":
    main()
