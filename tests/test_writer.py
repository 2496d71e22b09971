"""The report writer (issue 17, item 3): data rows as XML a column at a time (reports/rowxml.py),
spliced into the sheet as the workbook is saved (reports/saving.py).

The reference is openpyxl's own cell-by-cell path (``write_rows(..., fast=False)``, the writer of
0.1) with lxml, as installed with the test extras (openpyxl without lxml spells the same XML a little
differently: ``<c r="A8" t="inlineStr" />``): every part of the package must be the same bytes once unzipped, on the sample data and on a
table of hostile values (markup characters, white space, formulas as text, NaN, infinities, dates
before 1900-03-01, date-times with microseconds, integers in a money column, blanks). The workbook
must read back in openpyxl and open in LibreOffice, and the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from xl_cskpi import sample
from xl_cskpi.reports import builder, reports
from xl_cskpi.reports.fill import load_data
from xl_cskpi.reports.saving import package
from xl_cskpi.reports.sheets import write_rows

REPORTS = reports()


def _parts(path: Path) -> dict[str, bytes]:
    """The package's parts; non-ASCII text as UTF-8 (openpyxl's lxml writer spells it as character
    references, ``&#1601;``; the fast rows write UTF-8: the same characters)."""
    with zipfile.ZipFile(path) as z:
        return {n: re.sub(rb"&#(\d+);", lambda m: chr(int(m.group(1))).encode() if int(m.group(1)) > 127
                          else m.group(0), z.read(n)) for n in z.namelist()}


def _both(monkeypatch, tmp_path, report, data, values, lang="en"):
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    builder.build(report, fast, lang=lang, data=data, values=values)
    monkeypatch.setattr(builder, "write_rows", functools.partial(write_rows, fast=False))
    builder.build(report, slow, lang=lang, data=data, values=values)
    monkeypatch.undo()
    return fast, slow


def _hostile_tickets() -> pd.DataFrame:
    n = 9
    opened = pd.to_datetime(["2024-01-05 09:30:00", "1900-01-15 00:00:00", "1900-03-01 12:00:00",
                             "2024-02-29 23:59:59.999999", None, "2024-03-10 08:00:00.5", "1899-12-31",
                             "2024-05-01", "2024-05-02 10:11:12"], format="ISO8601")
    text = ["plain", "a & b < c > d", " leading", "trailing ", "=HYPERLINK(\"x\")", "+1", "", "line\r\nbreak",
            "فارسی ۱۲۳"]
    return pd.DataFrame({
        "ticket_id": text,
        "customer_id": [f"C{i}" for i in range(n)],
        "opened_at": opened,
        "first_response_at": pd.Series([dt.datetime(2024, 1, 5, 10), None, "not a date", 45000, 45000.5,
                                        pd.Timestamp("2024-03-10 09:00"), None, dt.date(2024, 5, 1), np.nan],
                                       dtype=object),
        "resolved_at": pd.Series([pd.NaT] * n, dtype="datetime64[ns]"),
    })


def _v(x):
    return (x.ref, x.text) if isinstance(x, ArrayFormula) else x


def _same(fast: Path, slow: Path, what: str) -> None:
    """Every part the same bytes, but for style numbers: openpyxl's cell path also registers a
    default date-time format it then replaces (an unused ``numFmt``), so ``styles.xml`` and the
    ``s="N"`` of the cells may differ; the cells' number formats, types and values are compared
    through openpyxl instead."""
    a, b = _parts(fast), _parts(slow)
    assert list(a) == list(b), what
    for name in a:
        if name == "xl/styles.xml":
            continue
        x, y = (re.sub(rb' s="\d+"', b"", p[name]) for p in (a, b))
        assert x == y, f"{what}: {name} differs"
    wa, wb = load_workbook(fast), load_workbook(slow)
    for sa, sb in zip(wa.worksheets, wb.worksheets):
        for ra, rb in zip(sa.iter_rows(), sb.iter_rows()):
            for ca, cb in zip(ra, rb):
                assert (_v(ca.value), ca.data_type, ca.number_format, repr(ca.font), repr(ca.fill), repr(ca.alignment)) == \
                       (_v(cb.value), cb.data_type, cb.number_format, repr(cb.font), repr(cb.fill), repr(cb.alignment)), \
                       f"{what}: {sa.title}!{ca.coordinate}"


def test_fast_rows_are_the_bytes_openpyxl_writes_cell_by_cell(monkeypatch, tmp_path):
    report = next(r for r in REPORTS.values() if any(t.name == "Tickets" for t in r.tables))
    tickets = _hostile_tickets()
    have = [c.key for c in report.table("Tickets").inputs]
    data = {"Tickets": tickets[[c for c in tickets.columns if c in have]]}
    for values in (True, False):
        for lang in ("en", "fa"):
            fast, slow = _both(monkeypatch, tmp_path, report, data, values, lang)
            _same(fast, slow, f"{report.key} {lang} values={values}")


def test_numbers_and_formulas_match_on_every_sample_table(monkeypatch, tmp_path):
    folder = tmp_path / "exports"
    sample.write_csv(sample.generate(), folder)
    for key in ("revenue", "churn_retention", "customer_health", "funnel"):
        report = REPORTS[key]
        data = load_data(report, [folder])
        for values in (True, False):
            fast, slow = _both(monkeypatch, tmp_path, report, data, values)
            _same(fast, slow, f"{key} values={values}")


def test_big_table_reads_back_streams_in_chunks_and_is_deterministic(tmp_path):
    from xl_cskpi.reports import rowxml

    n = rowxml.CHUNK * 2 + 17          # three chunks, the last one short
    report = REPORTS["revenue"]
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"customer_id": [f"C{i // 10}" for i in range(n)],
                       "month": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n), "D"),
                       "mrr": rng.choice([0.0, 49.0, 99.5, np.nan], n)})
    said = []
    builder.build(report, tmp_path / "a.xlsx", data={"Subscriptions": df}, values=True, progress=said.append)
    builder.build(report, tmp_path / "b.xlsx", data={"Subscriptions": df}, values=True)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    wb = load_workbook(tmp_path / "a.xlsx", read_only=True)
    ws = wb[next(n for n in wb.sheetnames if "ubscri" in n or n == builder.translator("en")("sheet.Subscriptions",
                                                                                         default="Subscriptions"))]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == n + 1
    got = pd.DataFrame(rows[1:], columns=["customer_id", "month", "mrr"])
    assert got["customer_id"].tolist() == df["customer_id"].tolist()
    assert (pd.to_datetime(got["month"]) == df["month"]).all()
    assert got["mrr"].fillna(-1).tolist() == df["mrr"].fillna(-1).tolist()


def test_a_sheet_with_spliced_rows_cannot_be_saved_another_way_or_take_more_rows(tmp_path):
    report = REPORTS["revenue"]
    tb = report.table("Subscriptions")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    ws.append(["customer_id", "month", "mrr"])
    df = pd.DataFrame({"customer_id": ["C1"], "month": [pd.Timestamp("2024-01-01")], "mrr": [1.0]})
    formats = ["@", "yyyy-mm", "0.00"] + ["@"] * (len(tb.columns) - 3)   # one per column of the table
    write_rows(ws, tb, df, formats, None, True, "Calibri", lambda m: None)
    with pytest.raises(RuntimeError, match="no rows after"):
        ws.append([1])
    with pytest.raises(RuntimeError, match="saving.save"):
        wb.save(tmp_path / "x.xlsx")
    body = package(wb, dynamic_sheets={})          # saved the right way, it is whole
    with zipfile.ZipFile(__import__("io").BytesIO(body)) as z:
        assert b"<v>45292</v>" in z.read("xl/worksheets/sheet1.xml")   # 2024-01-01


def test_saved_rows_open_in_libreoffice(tmp_path):
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is needed for this test")
    report = REPORTS["revenue"]
    df = pd.DataFrame({"customer_id": ["C1", "C2", "C3"],
                       "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
                       "mrr": [10.0, 20.0, 30.5]})
    out = tmp_path / "r.xlsx"
    builder.build(report, out, data={"Subscriptions": df}, values=True)
    subprocess.run(["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,"
                    "false,false,false,-1", "--outdir", str(tmp_path), str(out)], check=True, capture_output=True,
                   timeout=180)
    csvs = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("r*.csv")}
    sub = next(t for n, t in csvs.items() if "ubscri" in n)
    assert "C2" in sub and "30.5" in sub and "2024" in sub
