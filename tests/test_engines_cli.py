"""``xl-cskpi compute`` (xl_cskpi.engines.cli) and the Spark SQL transpilation, without a JVM.

The command is run through :func:`xl_cskpi.engines.cli.main`, which prints errors as the
``xl-cskpi`` command line does (one line, status 2); once registered in cli.py,
``xl-cskpi compute`` is the same setup/run pair.
"""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from xl_cskpi import engines
from xl_cskpi.engines import cli, sample
from xl_cskpi.engines.spark import to_spark

from test_engines import MONEY, assert_same


@pytest.fixture()
def billing(tmp_path):
    df = sample.mrr_rows(1200, seed=31, blanks=False)
    df = df.rename(columns={"customer_id": "Account", "month": "Billing Month"})
    for k in range(2):
        df.iloc[k::2].to_parquet(tmp_path / f"part{k}.parquet")
    return tmp_path, df


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_compute_writes_each_format(billing, suffix, capsys):
    folder, df = billing
    out = folder / f"movements{suffix}"
    assert cli.main(["movements", "--data", str(folder / "part*.parquet"), "--engine", "duckdb", "-o", str(out),
                     "--memory-limit", "512MB"]) == 0
    got = (pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out) if suffix == ".parquet"
           else pd.read_excel(out))
    want = engines.compute("movements", df)
    assert got["Month"].astype(str).tolist() == want["Month"].tolist()
    assert_same(want.drop(columns="Month"), got.drop(columns="Month"), money=MONEY)
    captured = capsys.readouterr()
    assert "checking the input" in captured.err  # the progress lines
    assert f"{out}: movements, {len(want)} rows, duckdb" in captured.out


def test_months_table_is_what_churn_retention_reads(billing):
    # the Months table's columns (reports/specs/tables.py MONTHS: month, customers_start/new/lost/end)
    from xl_cskpi.reports.specs.tables import MONTHS
    folder, _ = billing
    out = folder / "months.csv"
    assert cli.main(["monthly_churn", "--data", str(folder), "-o", str(out), "--calendar", "jalali", "--quiet"]) == 0
    got = pd.read_csv(out)
    required = [c.key for c in MONTHS.inputs if c.required]
    assert required == list(got.columns)
    assert (got["customers_start"] + got["customers_new"] - got["customers_lost"] == got["customers_end"]).all()


def test_compute_same_text_on_pandas_and_duckdb(billing):
    folder, _ = billing
    texts = []
    for engine in ("pandas", "duckdb"):
        out = folder / f"m_{engine}.csv"
        assert cli.main(["movements", "--data", str(folder / "*.parquet"), "--engine", engine, "-o", str(out),
                         "--quiet"]) == 0
        texts.append(out.read_text())
    assert texts[0] == texts[1]


def _fails(argv, capsys) -> str:
    assert cli.main(argv) == 2
    lines = [ln for ln in capsys.readouterr().err.splitlines() if not ln.startswith("  ... ")]  # progress
    assert len(lines) == 1 and lines[0].startswith("xl-cskpi compute: "), lines
    return lines[0]


def test_bad_input_exits_2_with_one_line(billing, capsys, monkeypatch):
    folder, _ = billing
    out = str(folder / "x.csv")
    assert "matches no files" in _fails(["movements", "--data", str(folder / "none*.parquet"), "-o", out], capsys)
    assert "use one of: pandas, duckdb, spark" in _fails(
        ["movements", "--data", str(folder), "--engine", "polars", "-o", out], capsys)
    assert "has no column for opened_at" in _fails(["support_summary", "--data", str(folder), "-o", out], capsys)
    assert ".csv, .parquet or .xlsx" in _fails(["movements", "--data", str(folder), "-o", str(folder / "x.json")],
                                               capsys)
    assert "NAME=HEADER" in _fails(["movements", "--data", str(folder), "-o", out, "--column", "oops"], capsys)
    assert "no such column" in _fails(["movements", "--data", str(folder), "-o", out, "--column",
                                       "customer_id=Nope"], capsys)
    monkeypatch.setitem(sys.modules, "duckdb", None)
    assert "pip install 'xl_cskpi[duckdb]'" in _fails(["movements", "--data", str(folder), "-o", out], capsys)
    monkeypatch.setitem(sys.modules, "pyspark", None)
    assert "pip install 'xl_cskpi[spark]'" in _fails(
        ["movements", "--data", str(folder), "--engine", "spark", "-o", out], capsys)


def test_existing_output_needs_force(billing, capsys):
    folder, _ = billing
    out = folder / "m.csv"
    out.write_text("keep me")
    assert "--force" in _fails(["movements", "--data", str(folder / "*.parquet"), "-o", str(out)], capsys)
    assert out.read_text() == "keep me"
    assert cli.main(["movements", "--data", str(folder / "*.parquet"), "-o", str(out), "--force", "--quiet"]) == 0
    assert out.read_text().startswith("Month,")


def test_spark_sql_renames():
    # exact percentile (never percentile_approx) and RLIKE; the rest is sqlglot's duckdb -> spark
    sql = to_spark("SELECT QUANTILE_CONT(x, 0.9) AS p, REGEXP_MATCHES(s, '^[0-9]{4}$') AS l FROM t")
    assert "PERCENTILE(x, 0.9)" in sql and "PERCENTILE_APPROX" not in sql.upper()
    assert "RLIKE '^[0-9]{4}$'" in sql


def test_finance_table_is_what_unit_economics_reads(billing):
    from xl_cskpi.reports.specs.tables import FINANCE
    folder, df = billing
    out = folder / "finance.csv"
    assert cli.main(["finance", "--data", str(folder / "*.parquet"), "-o", str(out), "--quiet"]) == 0
    got = pd.read_csv(out)
    assert [c.key for c in FINANCE.inputs if c.required] == list(got.columns)
    assert abs(got["revenue"].sum() - df["mrr"].sum()) < 0.005  # every paid amount is some month's revenue


def test_subscriptions_table_is_what_revenue_and_cohorts_read(billing):
    from xl_cskpi.reports.specs.tables import SUBSCRIPTIONS
    folder, _ = billing
    out = folder / "subs.csv"
    assert cli.main(["subscriptions", "--data", str(folder / "*.parquet"), "-o", str(out), "--quiet"]) == 0
    got = pd.read_csv(out, dtype={"customer_id": str})
    assert [c.key for c in SUBSCRIPTIONS.inputs if c.required] == list(got.columns)
    assert (got["mrr"] > 0).all() and not got.duplicated(["customer_id", "month"]).any()


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_a_command_line_error_carries_no_excel_error_code(tmp_path, capsys, engine):
    # a negative MRR: one line saying why, without the "(#NUM!)"/"(#VALUE!)" a worksheet cell shows
    p = tmp_path / "bad.csv"
    p.write_text("customer_id,month,mrr\na,2024-01-01,10\na,2024-02-01,-5\n", encoding="utf-8")
    assert cli.main(["movements", "--data", str(p), "--engine", engine, "-o", str(tmp_path / "m.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("xl-cskpi compute: ") and "MRR cannot be negative" in err
    assert "(#" not in err
