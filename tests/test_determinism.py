"""Reproducible workbooks and no formula injection (issue 8, parts 3 and 5).

* **Determinism**: the same inputs give byte-identical workbooks -- templates, ``report`` (live
  formulas and ``--values``) and ``demo`` -- whatever the folder, the input files' names and
  timestamps, the time of day or the time zone, so that this month's report can be compared with
  last month's by a diff.
* **No formula injection**: text from an export that starts with ``=``, ``+``, ``-`` or ``@``
  (``=HYPERLINK("http://x","y")``, ``=cmd|' /C calc'!A0``) is written as text in every workbook
  the product writes, in both forms: the cell is a string (``t="s"``/``t="inlineStr"``/``t="str"``
  without a formula) and no ``<f>`` element anywhere carries it.

Every report is filled from the sample exports with payloads put into every text and id column
(the columns a report reads as text). Payloads that end up as spilled keys (complaint categories,
statuses) are checked too: they reach the workbook through the KPI results, not the data sheets.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from xl_cskpi import sample
from xl_cskpi.cli import main
from xl_cskpi.reports import reports
from xl_cskpi.exports.check import DataCheck, ExportError, ReadOptions
from xl_cskpi.exports.mapping import match

PAYLOADS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0"]
#: What would show up in a formula if a payload became one.
MARKERS = ['HYPERLINK("http://x"', "cmd|", "SUM(1+9)"]

REPORTS = list(reports())


def _today_strings() -> list[str]:
    today = dt.datetime.now(dt.timezone.utc)
    return [today.strftime("%Y-%m-%d"), (today - dt.timedelta(days=1)).strftime("%Y-%m-%d")]


# --------------------------------------------------------------------------- exports with payloads


def _text_columns(export_name: str, frame: pd.DataFrame) -> list[str]:
    """Headers of ``frame`` that some report reads as text or id columns."""
    table = sample.EXPORTS[export_name]
    out = []
    for report in reports().values():
        for tb in report.tables:
            if tb.name != table:
                continue
            try:   # the headers alone, by the same matching as `report`
                empty = pd.DataFrame({h: pd.Series([], dtype=object) for h in frame.columns})
                a = match([tb], {Path("export"): empty}, ReadOptions(), DataCheck()).get(tb.name)
            except ExportError:
                a = None
            kinds = {c.key: c.kind for c in tb.inputs}
            out += [h for key, h in (a.columns if a else {}).items()
                    if kinds.get(key) in ("text", "id") and h not in out]
    return out


@pytest.fixture(scope="module")
def hostile_exports(tmp_path_factory) -> dict[str, Path]:
    """The sample exports with every payload in every text/id column (rows 1-5, then every 7th row)."""
    exports = sample.generate()
    injected = 0
    for name, df in exports.items():
        for col in _text_columns(name, df):
            df[col] = df[col].astype(object)
            rows = list(range(min(len(PAYLOADS), len(df)))) + list(range(len(PAYLOADS), len(df), 7))
            for k, i in enumerate(rows):
                df.iat[i, df.columns.get_loc(col)] = PAYLOADS[k % len(PAYLOADS)]
            injected += 1
    assert injected >= 8, "the payloads reached too few columns to mean anything"
    return sample.write_csv(exports, tmp_path_factory.mktemp("hostile_exports"))


def _data_for(key: str, exports: dict[str, Path]) -> list[Path]:
    by_table = {sample.EXPORTS[name]: path for name, path in exports.items()}
    return [by_table[tb.name] for tb in reports()[key].tables]


def _report(out: Path, key: str, data: list[Path], values: bool) -> Path:
    argv = ["report", key, "--data", *map(str, data), "-o", str(out)] + (["--values"] if values else [])
    assert main(argv) == 0, argv
    return out


@pytest.fixture(scope="module")
def built(hostile_exports, tmp_path_factory) -> dict[tuple[str, bool], tuple[Path, Path]]:
    """Every report in both forms, twice: from the exports, and from renamed copies elsewhere whose
    timestamps differ (a second run next month, in another folder)."""
    first = tmp_path_factory.mktemp("first")
    copies = tmp_path_factory.mktemp("copies")
    second = tmp_path_factory.mktemp("second")
    moved = {}
    for name, path in hostile_exports.items():
        dst = copies / f"{name}.csv"
        shutil.copyfile(path, dst)
        os.utime(dst, (1_000_000_000, 1_000_000_000))
        moved[name] = dst
    out = {}
    for key in REPORTS:
        for values in (False, True):
            stem = f"{key}{'.values' if values else ''}.xlsx"
            a = _report(first / stem, key, _data_for(key, hostile_exports), values)
            b = _report(second / stem, key, _data_for(key, moved), values)
            out[(key, values)] = (a, b)
    return out


# --------------------------------------------------------------------------- checks


def _sheet_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def assert_no_formula_carries_a_payload(path: Path) -> None:
    for name, xml in _sheet_parts(path).items():
        for formula in re.findall(r"<f\b[^>]*>(.*?)</f>", xml, re.S):
            text = html.unescape(formula)
            for m in MARKERS:
                assert m not in text, f"{path.name}: {name} has a formula with {m!r}: {text[:200]!r}"


def payload_cells(path: Path) -> dict[str, int]:
    """How many cells hold each payload; every such cell must be a string, not a formula."""
    found = {p: 0 for p in PAYLOADS}
    wb = load_workbook(path)
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    v = c.value
                    if isinstance(v, str) and any(m in v for m in MARKERS):
                        assert c.data_type == "s", f"{path.name}!{ws.title}!{c.coordinate}: {v!r} is {c.data_type}"
                        if v in found:
                            found[v] += 1
    finally:
        wb.close()
    return found


def _has_text_columns(key: str) -> bool:
    return any(c.kind in ("text", "id") for tb in reports()[key].tables for c in tb.inputs)


# --------------------------------------------------------------------------- formula injection


# Found by this test and fixed in 5e4ecb2: in --values mode a spilled table's text cells were
# written as formulas, so a complaint category "=cmd|' /C calc'!A0" became a live formula.
@pytest.mark.parametrize("values", [False, True], ids=["formulas", "values"])
@pytest.mark.parametrize("key", REPORTS)
def test_text_from_exports_is_never_a_formula(built, key, values):
    path, _ = built[(key, values)]
    assert_no_formula_carries_a_payload(path)
    found = payload_cells(path)
    if _has_text_columns(key):
        # every payload reached this workbook's data sheets, and each time as text
        assert all(found.values()), f"{key}: payloads missing from the workbook: {found}"


def test_templates_carry_no_payload_and_demo_keeps_its_trap_as_text(tmp_path):
    # the templates have no data; the demo's sample comments include a =HYPERLINK trap
    assert main(["templates", "-o", str(tmp_path / "t")]) == 0
    for p in sorted((tmp_path / "t").glob("*.xlsx")):
        assert_no_formula_carries_a_payload(p)
    assert main(["demo", "-o", str(tmp_path / "d")]) == 0
    trap = '=HYPERLINK("http://example.com","click")'
    seen = 0
    for p in sorted((tmp_path / "d").glob("*.xlsx")):
        for name, xml in _sheet_parts(p).items():
            for formula in re.findall(r"<f\b[^>]*>(.*?)</f>", xml, re.S):
                assert "example.com" not in html.unescape(formula), (p.name, name)
        wb = load_workbook(p, read_only=False)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.value == trap:
                        assert c.data_type == "s", (p.name, ws.title, c.coordinate)
                        seen += 1
        wb.close()
    assert seen >= 4, "the demo's comment trap is in the survey and overview workbooks, both forms"


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("values", [False, True], ids=["formulas", "values"])
@pytest.mark.parametrize("key", REPORTS)
def test_report_is_byte_identical_from_another_folder_and_time(built, key, values):
    a, b = built[(key, values)]
    assert a.read_bytes() == b.read_bytes(), f"{key}: two runs on the same data differ"
    body = "".join(_sheet_parts(a).values())
    assert not any(day in body for day in _today_strings()), f"{key}: today's date is in the workbook"
    assert str(a.parent) not in body and str(b.parent) not in body, f"{key}: a local path is in the workbook"


def test_report_bytes_follow_the_data(built, hostile_exports, tmp_path):
    # the comparison above could pass by writing nothing: one changed number changes the file
    months = pd.read_csv(hostile_exports["months"], dtype=str)
    months.iloc[-1, 3] = str(int(months.iloc[-1, 3]) + 1)
    changed = tmp_path / "months.csv"
    months.to_csv(changed, index=False)
    other = _report(tmp_path / "r.xlsx", "churn_retention", [changed], True)
    assert other.read_bytes() != built[("churn_retention", True)][0].read_bytes()


def _run_elsewhere(args: list[str], cwd: Path, tz: str) -> None:
    env = dict(os.environ, TZ=tz, LC_ALL="C.UTF-8", PYTHONHASHSEED="12345")
    r = subprocess.run([sys.executable, "-m", "xl_cskpi", *args], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]


def test_templates_are_byte_identical_across_runs_folders_and_time_zones(tmp_path):
    assert main(["templates", "-o", str(tmp_path / "a")]) == 0
    (tmp_path / "b").mkdir()
    _run_elsewhere(["templates", "-o", "out"], tmp_path / "b", "Asia/Tehran")
    a = {p.name: p.read_bytes() for p in (tmp_path / "a").glob("*.xlsx")}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b" / "out").glob("*.xlsx")}
    assert a and a.keys() == b.keys()
    assert [n for n in a if a[n] != b[n]] == []


def test_demo_is_byte_identical_across_folders_and_time_zones(tmp_path):
    assert main(["demo", "-o", str(tmp_path / "a")]) == 0
    (tmp_path / "b").mkdir()
    _run_elsewhere(["demo", "-o", "demo"], tmp_path / "b", "Pacific/Kiritimati")

    def files(d: Path) -> dict[str, bytes]:
        return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}

    a, b = files(tmp_path / "a"), files(tmp_path / "b" / "demo")
    assert len([n for n in a if n.endswith(".xlsx")]) == 2 * len(REPORTS)
    assert a.keys() == b.keys()
    assert [n for n in a if a[n] != b[n]] == []
    for name, data in a.items():
        if name.endswith(".xlsx"):
            with zipfile.ZipFile(tmp_path / "a" / name) as z:
                text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
                assert all(i.date_time == z.infolist()[0].date_time for i in z.infolist())
            assert not any(day in text for day in _today_strings()), name
