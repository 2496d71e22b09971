"""``xl-cskpi report ... --engine duckdb|spark`` fills the same workbook as pandas (issue 18, item 2).

The reference is the pandas engine itself (the house functions, ``tables.subscriptions``): the
report filled with ``--engine duckdb`` (and, in one test marked ``spark``, ``--engine spark``) must
equal the one filled with the default engine cell for cell, on every sheet, for billing exports
written by hand (tests/data/exports: Stripe, Chargebee, Paddle) and for a seeded random one with
reactivations, annual plans, quantities, open ends and several subscriptions per customer.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from xl_cskpi.cli import main

EXPORTS = "tests/data/exports"
SAMPLE = "tests/data/sample_exports"


def _cells(path) -> dict:
    wb = load_workbook(path, data_only=False)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None}


def _fill(tmp_path, report: str, data: list, engine: str, lang: str = "en", capsys=None) -> dict:
    out = tmp_path / f"{report}-{lang}-{engine}.xlsx"
    argv = ["report", report, "--data", *map(str, data), "-o", str(out), "--values", "--lang", lang,
            "--engine", engine]
    assert main(argv) == 0
    return _cells(out)


def _equal(x, y) -> bool:
    """Text, dates, formulas and counts exactly; a fraction to 1e-12 of itself: an SQL engine sums
    a month's MRR in another order than pandas (69.41666666666666 vs ...67), far below a cent."""
    if isinstance(x, float) and isinstance(y, float) and not (x.is_integer() and y.is_integer()):
        return math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12)
    return x == y and type(x) is type(y)


def _same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    diff = [k for k in a if not _equal(a[k], b[k])]
    assert not diff, f"{len(diff)} cells differ, first {diff[0]}: {a[diff[0]]!r} vs {b[diff[0]]!r}"


def random_billing(seed: int, customers: int = 60) -> pd.DataFrame:
    """Billing rows as a billing system exports them: monthly and yearly plans, seats, blank ends
    (still active), customers who leave and come back with a second subscription, starts on any
    day (ties on the same day too)."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(customers):
        start = pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(rng.integers(0, 540)))
        for _ in range(int(rng.integers(1, 3))):          # a second spell: a reactivation
            interval = rng.choice(["month", "year"], p=[0.8, 0.2])
            months = int(rng.integers(1, 20))
            end = start + pd.DateOffset(months=months) if rng.random() < 0.6 else None
            rows.append({"customer_id": f"C{c:03d}", "start": start.date().isoformat(),
                         "end": end.date().isoformat() if end is not None else "",
                         "amount": float(rng.choice([29.0, 49.5, 99.0, 490.0, 1188.0])),
                         "interval": interval, "quantity": int(rng.integers(1, 4))})
            if end is None:
                break
            start = end + pd.Timedelta(days=int(rng.integers(15, 120)))
    return pd.DataFrame(rows)


@pytest.mark.parametrize("export", ["stripe_subscriptions.csv", "chargebee_subscriptions.csv",
                                    "paddle_subscriptions.csv"])
@pytest.mark.parametrize("report", ["churn_retention", "unit_economics"])
def test_duckdb_fills_the_report_pandas_fills(tmp_path, export, report):
    data = [f"{EXPORTS}/{export}"]
    _same(_fill(tmp_path, report, data, "pandas"), _fill(tmp_path, report, data, "duckdb"))


@pytest.mark.parametrize("lang", ["en", "fa", "ar"])
def test_duckdb_equals_pandas_on_random_billing_in_every_calendar(tmp_path, lang):
    p = tmp_path / "billing.csv"
    random_billing(18_2 + len(lang) + ord(lang[0])).to_csv(p, index=False)
    data = [p, f"{SAMPLE}/tickets.csv", f"{SAMPLE}/responses.csv"]
    _same(_fill(tmp_path, "overview", data, "pandas", lang), _fill(tmp_path, "overview", data, "duckdb", lang))


def test_the_engine_really_computes_the_months(tmp_path, monkeypatch):
    """Not a no-op: --engine duckdb reaches engines.compute for Months and Finance, pandas does not."""
    from xl_cskpi import engines
    calls = []
    real = engines.compute
    monkeypatch.setattr(engines, "compute", lambda table, *a, **k: calls.append((table, k["engine"]))
                        or real(table, *a, **k))
    data = [f"{EXPORTS}/stripe_subscriptions.csv"]
    _fill(tmp_path, "unit_economics", data, "pandas")
    assert calls == []
    _fill(tmp_path, "unit_economics", data, "duckdb")
    assert calls == [("finance", "duckdb")]


def test_progress_lines_name_the_engine(tmp_path, capsys):
    p = tmp_path / "billing.csv"
    random_billing(7).to_csv(p, index=False)
    _fill(tmp_path, "churn_retention", [p], "duckdb")
    err = capsys.readouterr().err
    assert "with duckdb" in err and "aggregated:" in err


@pytest.mark.spark
def test_spark_fills_the_report_pandas_fills(tmp_path):
    p = tmp_path / "billing.csv"
    random_billing(99).to_csv(p, index=False)
    data = [p, f"{SAMPLE}/tickets.csv"]
    _same(_fill(tmp_path, "overview", data, "pandas"), _fill(tmp_path, "overview", data, "spark"))


# --------------------------------------------------------------------------- bad input: one line, exit 2

def _one_line_exit_2(argv, capsys) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


def test_an_engine_not_installed_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "duckdb", None)          # import duckdb -> ImportError
    line = _one_line_exit_2(["report", "churn_retention", "--data", f"{EXPORTS}/stripe_subscriptions.csv",
                             "-o", str(tmp_path / "r.xlsx"), "--engine", "duckdb"], capsys)
    assert "pip install" in line and "duckdb" in line.lower()
    assert not (tmp_path / "r.xlsx").exists()


def test_an_unknown_engine_is_one_line(tmp_path):
    r = subprocess.run([sys.executable, "-m", "xl_cskpi", "report", "churn_retention", "--data",
                        f"{EXPORTS}/stripe_subscriptions.csv", "-o", str(tmp_path / "r.xlsx"), "--engine", "polars"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "--engine" in r.stderr and "duckdb" in r.stderr


def test_load_data_refuses_an_unknown_engine():
    from xl_cskpi.exports.check import ReadOptions
    from xl_cskpi.reports import reports
    from xl_cskpi.reports.fill import ExportError, load_data
    with pytest.raises(ExportError, match="use one of pandas, duckdb, spark"):
        load_data(reports()["churn_retention"], [f"{EXPORTS}/stripe_subscriptions.csv"], ReadOptions(),
                  engine="polars")


def test_a_file_that_cannot_be_read_is_one_line(tmp_path, capsys):
    p = tmp_path / "billing.csv"
    p.write_text("customer_id,start,end,amount\nA,2024-01-05,,49\nB,not a date,,99\n", encoding="utf-8")
    line = _one_line_exit_2(["report", "churn_retention", "--data", str(p), "-o", str(tmp_path / "r.xlsx"),
                             "--engine", "duckdb"], capsys)
    assert str(p) in line and "row 3" in line and "start" in line
    assert not (tmp_path / "r.xlsx").exists()
