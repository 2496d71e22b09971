"""The Excel side (issue 17, items 4 and 5): scalar UDF calls, a template's recalculation, the UDF import.

Rows (``run(quick, repeats)``, the interface of ``benchmarks/run.py``):

1. **Scalar calls** through the classic entry point as Excel reaches it: xlwings' own ``call_udf``
   steps (``conversion.read`` of each argument with its ``@xw.arg`` options, the call,
   ``conversion.write`` of the result) with the real classic decorators (imported on Linux as
   tests/xlwings_stubs.py does, with a stand-in for the Windows engine's two conversion hooks, copied
   from ``xlwings/_xlwindows.py``), against a trivial xlwings-decorated function (``b / a``) through
   the same steps. ``=CHURN_RATE(1000, 64)`` must be within 1.5x; ``=JALALI_MONTH(date)`` is shown
   too (its calendar lookup, in calendars.py, is most of it).
2. **A template recalculating**, every report, with 10,000 survey responses and 2,000 customers (the
   sample exports resampled; the other tables the sample's): the report is written with live formulas
   and every formula cell is read back; each occurrence of one of our functions in a formula is one
   Python call when Excel recalculates the sheet (an array or spilled formula is one cell: a Periods
   column's ``BY_PERIOD`` computes every month in one call, reports/byperiod.py), except in the
   branch of the dashboard's ``IF(period_row=0,<the KPI over all the data>,INDEX(...))`` that IF does
   not take while a month is shown (Excel's IF evaluates only the branch it takes; so does
   LibreOffice's); both counts are shown. That count must be a handful (<= 30), not one per row. The
   time is that of the same calls made by the ``--values`` evaluator (the registry functions on the
   columns, timed inside the outermost call; the xlwings/COM transfer of the ranges is not ours and
   not in it).
3. **``import xl_cskpi.udfs``** in a fresh interpreter after numpy, pandas and xlwings (what Excel's
   UDF server has loaded anyway), best of 3, and the heavy modules it adds: lifelines, holidays,
   duckdb, pyspark (and others) must not be among them.

Run alone: ``python benchmarks/bench_excel.py [--quick]``; ``XL_CSKPI_BENCH_SRC=/old/tree`` measures
another copy of the package (the "before" figures).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = Path(os.environ.get("XL_CSKPI_BENCH_SRC", ROOT))
for p in (str(ROOT / "tests"), str(SRC)):
    if p not in sys.path:
        sys.path.insert(0, p)

SECTION = "excel"
#: issue 17.4: a scalar call within 1.5x of a trivial xlwings function
SCALAR_TARGET = 1.5
#: heavy modules that must never load when Excel starts the UDF server
FORBIDDEN = ("lifelines", "holidays", "duckdb", "pyspark", "polars", "pyarrow", "scipy", "matplotlib",
             "sqlglot", "openpyxl", "xlsxwriter", "lxml", "ibis", "statsmodels", "businesstimedelta")


def _row(name, ours, peer, peer_s, target, ok, note="", ratio=None):
    return {"section": SECTION, "name": name, "ours_s": ours, "peer": peer, "peer_s": peer_s,
            "ratio": ratio if ratio is not None else (ours / peer_s if peer_s else float("nan")),
            "target": target, "ok": bool(ok), "note": note}


# --------------------------------------------------------------------------- 1. scalar calls

class _WindowsEngine:
    """The two conversion hooks of xlwings' Windows engine (``xlwings/_xlwindows.py``), without COM."""

    name = "excel"
    type = "desktop"

    @staticmethod
    def prepare_xl_data_element(x, date_format):
        import numpy as np
        import pandas as pd

        if isinstance(x, dt.datetime):
            return x
        if pd.isna(x):
            return ""
        if isinstance(x, np.number):
            return float(x)
        return "" if x is None else x

    @staticmethod
    def clean_value_data(data, datetime_builder, empty_as, number_builder, err_to_str):
        def one(v):
            if v in ("", None):
                return empty_as
            if number_builder is not None and isinstance(v, float):
                return number_builder(v)
            return v
        return [[one(c) for c in row] for row in data]


def _call_udf(func, *values):
    """``xlwings.udfs.call_udf`` without COM: read each argument, call, write the result."""
    from xlwings import conversion

    info = func.__xlfunc__
    args = [conversion.read(None, v, info["args"][min(i, len(info["args"]) - 1)]["options"])
            for i, v in enumerate(values)]
    return conversion.write(func(*args), None, info["ret"]["options"])


def _per_call(fn, number: int, repeats: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeats)) / number


def bench_scalar(quick: bool, repeats: int) -> list[dict]:
    import xlwings
    from xlwings.main import Engine

    from xlwings_stubs import classic_xlwings

    if not any(e.name == "excel" for e in xlwings.engines):
        xlwings.engines.add(Engine(impl=_WindowsEngine()))
    n = 2_000 if quick else 20_000
    rows = []
    with classic_xlwings() as (ours, _):
        import xlwings as xw

        @xw.func
        def TRIVIAL(a, b):
            return b / a

        churn = ours.CHURN_RATE
        assert _call_udf(churn, 1000.0, 64.0) == [[0.064]] == _call_udf(TRIVIAL, 1000.0, 64.0)
        day = dt.datetime(2024, 9, 1)
        month = ours.JALALI_MONTH
        assert _call_udf(month, day) == [["1403-06"]]
        a, b = [], []
        for _ in range(max(3, repeats)):   # alternately, so machine noise hits both alike
            a.append(_per_call(lambda: _call_udf(churn, 1000.0, 64.0), n, 1))
            b.append(_per_call(lambda: _call_udf(TRIVIAL, 1000.0, 64.0), n, 1))
        ours_s, peer_s = min(a), min(b)
        rows.append(_row("=CHURN_RATE(1000, 64), one call (classic entry point)", ours_s,
                         "trivial @xw.func (b / a)", peer_s, f"<= {SCALAR_TARGET}x", ours_s <= SCALAR_TARGET * peer_s,
                         f"{ours_s * 1e6:.1f} us vs {peer_s * 1e6:.1f} us per call"))
        m = _per_call(lambda: _call_udf(month, day), max(200, n // 20), max(3, repeats))
        rows.append(_row("=JALALI_MONTH(date), one call", m, "trivial @xw.func (b / a)", peer_s, "info", True,
                         f"{m * 1e6:.0f} us per call; most of it is calendars.period_labels"))
    return rows


# --------------------------------------------------------------------------- 2. a template recalculating

RESPONSES, CUSTOMERS = 10_000, 2_000
#: every report (the dashboards with a Periods sheet first); the others' tables are the sample's
RECALC_REPORTS = ("survey_scores", "overview", "revenue", "churn_retention", "support_complaints", "unit_economics",
                  "customer_health", "cohort_retention", "funnel")
#: issue 17.5: Python calls per recalculation of a template
CALLS_TARGET = 30


def _exports(folder: Path, quick: bool) -> dict[str, Path]:
    """The sample exports with 10,000 responses and 2,000 customers (accounts, health rows)."""
    import numpy as np
    import pandas as pd

    from xl_cskpi import sample

    scale = 10 if quick else 1
    ex = sample.generate()
    rng = np.random.default_rng(17)

    def grow(df: pd.DataFrame, n: int, key: str | None) -> pd.DataFrame:
        out = df.iloc[rng.integers(0, len(df), n)].reset_index(drop=True)
        if key is not None:
            out[key] = [f"C{i:05d}" for i in range(1, n + 1)]
        return out

    ex["responses"] = grow(ex["responses"], RESPONSES // scale, None)
    ex["accounts"] = grow(ex["accounts"], CUSTOMERS // scale, "Account ID")
    ex["health"] = grow(ex["health"], CUSTOMERS // scale, "customer_id")
    return sample.write_csv(ex, folder)


#: The condition of the dashboard's value cells, ``=IF(period_row=0,<the KPI over all the data>,INDEX(
#: <its Periods column>,period_row))``: false in a report filled with dated data (it shows a month).
SHOWN = "IF(period_row=0,"


def _argument_end(f: str, i: int) -> int:
    """The index of the comma or parenthesis ending the formula argument that starts at ``i``."""
    depth, quoted = 0, False
    while i < len(f):
        c = f[i]
        if c == '"':
            quoted = not quoted
        elif not quoted and c in "([{":
            depth += 1
        elif not quoted and c in ")]}":
            if depth == 0:
                return i
            depth -= 1
        elif not quoted and c == "," and depth == 0:
            return i
        i += 1
    return i


def _branches_taken(f: str) -> str:
    """``f`` without the branch ``IF(period_row=0,...)`` does not take while a month is shown: Excel's
    IF evaluates only the branch it takes (LibreOffice's too), so the calls there are not made."""
    while SHOWN in f:
        at = f.index(SHOWN) + len(SHOWN)
        f = f[:at - len(SHOWN)] + "IF(FALSE,0," + f[_argument_end(f, at) + 1:]
    return f


def _udf_occurrences(xlsx: Path) -> tuple[int, int, dict, int]:
    """(calls of our functions in one full recalculation, formula cells that make them, calls by function,
    occurrences of our functions in formulas: the calls plus those in branches IF does not take)."""
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula

    from xl_cskpi.registry import REGISTRY

    ours = re.compile(r"(?<![A-Za-z0-9_.])(" + "|".join(sorted(REGISTRY, key=len, reverse=True)) + r")\(", re.I)
    wb = load_workbook(xlsx)
    calls = cells = written = 0
    by: dict[str, int] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                f = c.value.text if isinstance(c.value, ArrayFormula) else c.value
                if isinstance(f, str) and f.startswith("="):
                    written += len(ours.findall(f))
                    found = [m.upper() for m in ours.findall(_branches_taken(f))]
                    calls += len(found)
                    cells += bool(found)
                    for m in found:
                        by[m] = by.get(m, 0) + 1
    return calls, cells, by, written


def bench_recalc(quick: bool, repeats: int, keys: tuple[str, ...] = RECALC_REPORTS) -> list[dict]:
    import dataclasses

    from xl_cskpi import registry
    from xl_cskpi.exports.check import ReadOptions
    from xl_cskpi.reports import reports
    from xl_cskpi.reports.builder import build
    from xl_cskpi.reports.fill import load_data

    rows: list[dict] = []
    catalogue = reports()
    with tempfile.TemporaryDirectory(prefix="xl_cskpi-bench-excel-") as tmp:
        files = _exports(Path(tmp), quick)
        by_table = {}
        from xl_cskpi import sample
        for name, path in files.items():
            by_table[sample.EXPORTS[name]] = path
        for key in keys:
            report = catalogue[key]
            data, check = load_data(report, [by_table[t.name] for t in report.tables if t.name in by_table],
                                    ReadOptions())
            live = Path(tmp) / f"{key}.xlsx"
            build(report, live, data=data, check=check)
            calls, cells, by, written = _udf_occurrences(live)
            top = ", ".join(f"{n} x{k}" for n, k in sorted(by.items(), key=lambda kv: -kv[1])[:3]) or "none"
            data_rows = sum(len(df) for df in data.values())
            # the same calls, made by the --values evaluator, timed inside each registry function
            spent = [0.0]
            made = [0]
            depth = [0]
            saved = dict(registry.REGISTRY)

            def timed(entry):
                inner = entry.func

                def f(*a, **k):
                    # only the outermost call is one the workbook makes (BY_PERIOD calls the KPI of
                    # each period inside its own call): timed and counted once
                    if depth[0]:
                        return inner(*a, **k)
                    depth[0] += 1
                    t = time.perf_counter()
                    try:
                        return inner(*a, **k)
                    finally:
                        depth[0] -= 1
                        spent[0] += time.perf_counter() - t
                        made[0] += 1
                return dataclasses.replace(entry, func=f)

            best = float("inf")
            try:
                registry.REGISTRY.update({n: timed(e) for n, e in saved.items()})
                for _ in range(max(1, repeats)):
                    spent[0], made[0] = 0.0, 0
                    build(report, Path(tmp) / f"{key}.values.xlsx", data=data, values=True, check=check)
                    best = min(best, spent[0])
            finally:
                registry.REGISTRY.clear()
                registry.REGISTRY.update(saved)
            sizes = ", ".join(f"{len(df):,} {name}" for name, df in data.items())
            rows.append(_row(f"{key} template recalculating ({sizes})", best, "Python calls per recalculation",
                             float(calls), f"a handful (<= {CALLS_TARGET}), not one per row", calls <= CALLS_TARGET,
                             f"{calls} calls of our functions in {cells} formula cells for {data_rows:,} data rows "
                             f"({written} written in formulas, {written - calls} of them in the whole-data branch of "
                             "IF(period_row=0,...), not taken while a month is shown) "
                             f"({top}; the evaluator made {made[0]}); ours_s = the evaluator's time in them",
                             ratio=calls / max(1, data_rows)))
    rows.append(_period_label_row(quick, repeats))
    return rows


def _period_label_row(quick: bool, repeats: int) -> dict:
    """One =PERIOD_LABEL(Responses[submitted_at], "month", calendar) over 10,000 date cells, through
    the classic UDF with the cells as xlwings delivers them: what each such formula costs Excel."""
    import numpy as np

    from xlwings_stubs import classic_xlwings

    n = RESPONSES // (10 if quick else 1)
    rng = np.random.default_rng(5)
    cells = [[dt.datetime(2024, 1, 1) + dt.timedelta(days=int(d), seconds=int(s))]
             for d, s in zip(rng.integers(0, 365, n), rng.integers(0, 86_400, n))]
    with classic_xlwings() as (ours, _):
        f = ours.PERIOD_LABEL
        f(cells, [["month"]], [["jalali"]])   # warm: the calendar tables
        t = min(timeit.repeat(lambda: f(cells, [["month"]], [["jalali"]]), number=1, repeat=max(3, repeats)))
        scores = [[float(x)] for x in rng.integers(0, 11, n)]
        nps = min(timeit.repeat(lambda: ours.NPS(scores), number=1, repeat=max(3, repeats)))
    return _row(f"=PERIOD_LABEL over {n:,} date cells (jalali), one call", t, f"=NPS over {n:,} scores", nps,
                "info", True, "multiply by the PERIOD_LABEL count of a recalculation above")

    return rows


# --------------------------------------------------------------------------- 3. import xl_cskpi.udfs

_IMPORT = """
import sys, time
import numpy, pandas, xlwings
before = {m.split('.')[0] for m in sys.modules}
t = time.perf_counter()
import xl_cskpi.udfs
took = time.perf_counter() - t
added = sorted({m.split('.')[0] for m in sys.modules} - before)
print(took)
print(' '.join(added))
"""


def bench_import(quick: bool, repeats: int) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    times, added = [], []
    for _ in range(max(3, repeats)):
        r = subprocess.run([sys.executable, "-c", _IMPORT], capture_output=True, text=True, env=env, cwd=str(SRC))
        if r.returncode != 0:
            raise RuntimeError(r.stderr.strip().splitlines()[-1])
        took, mods = r.stdout.strip().split("\n") if "\n" in r.stdout.strip() else (r.stdout.strip(), "")
        times.append(float(took))
        added = mods.split()
    t = subprocess.run([sys.executable, "-c", "import time; t = time.perf_counter(); import numpy, pandas, xlwings; "
                        "print(time.perf_counter() - t)"], capture_output=True, text=True, env=env)
    base = float(t.stdout.strip())
    heavy = [m for m in added if m in FORBIDDEN]
    return [_row("import xl_cskpi.udfs (fresh interpreter, after numpy, pandas, xlwings)", min(times),
                 "import numpy, pandas, xlwings", base, "no heavy module but numpy/pandas", not heavy,
                 f"adds {', '.join(added) or 'nothing else'}" + (f"; HEAVY: {', '.join(heavy)}" if heavy else ""))]


def run(quick: bool, repeats: int) -> list[dict]:
    return bench_scalar(quick, repeats) + bench_recalc(quick, repeats) + bench_import(quick, repeats)


if __name__ == "__main__":  # pragma: no cover
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--only", choices=("scalar", "recalc", "import"))
    ap.add_argument("--reports", nargs="+", choices=RECALC_REPORTS, default=list(RECALC_REPORTS),
                    help="the recalc rows of these reports only")
    a = ap.parse_args()
    fns = {"scalar": bench_scalar, "recalc": lambda q, r: bench_recalc(q, r, tuple(a.reports)),
           "import": bench_import}
    for r in (fns[a.only](a.quick, a.repeats) if a.only else run(a.quick, a.repeats)):
        print(f"{r['name']}: ours {r['ours_s']:.6g} s | {r['peer']} {r['peer_s']:.6g} | ratio {r['ratio']:.3g} | "
              f"{r['target']}: {'met' if r['ok'] else 'MISSED'} | {r['note']}", flush=True)
