"""LibreOffice opens every template and every --values demo report; built-in formulas recalculate.

LibreOffice (soffice, installed by .ci/run as libreoffice-calc-nogui) converts each workbook to
xlsx headlessly, recalculating on load; the cached values it writes are read back. Our functions
are not installed in LibreOffice, so in templates a cell that calls one (or depends on one) shows
#NAME?; every other cell must compute without an error, except #DIV/0! where a built-in divides
or averages over a still-empty table. A --values report has no formulas of ours: no error at all.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from xl_cskpi.cli import main
from xl_cskpi.registry import REGISTRY
from xl_cskpi.reports import ORDER, reports
from xl_cskpi.reports.dashboard import columns

REPORTS = reports()

REPO = Path(__file__).resolve().parents[1]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ERRORS = {"#NAME?", "#VALUE!", "#DIV/0!", "#REF!", "#N/A", "#NUM!", "#NULL!", "Err:502", "Err:504", "Err:508"}
OURS = re.compile(r"\b(" + "|".join(sorted(REGISTRY, key=len, reverse=True)) + r")\(", re.I)


def _convert(files: list[Path], outdir: Path, profile: Path) -> None:
    assert SOFFICE, "LibreOffice (soffice) is required: apt-get install libreoffice-calc-nogui"
    cmd = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--calc",
           "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, files)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    base = tmp_path_factory.mktemp("lo")
    assert main(["demo", "-o", str(base / "demo")]) == 0
    files = [REPO / "workbook_templates" / f"{k}.xlsx" for k in ORDER]
    files += [base / "demo" / f"{k}.values.xlsx" for k in ORDER]
    out = base / "out"
    out.mkdir()
    _convert(files, out, base / "profile")
    return base / "demo", out


def _errors(original: Path, converted: Path) -> list[tuple[str, str, str, object]]:
    """(sheet, cell, error, formula) of every error cell LibreOffice computed; a cell inside an array
    formula's range (the month labels of every row, reports.rowlabels) has the anchor's formula."""
    from openpyxl.utils.cell import range_boundaries

    values = load_workbook(converted, data_only=True)
    formulas = load_workbook(original)
    arrays: dict[str, list[tuple[tuple[int, int, int, int], str]]] = {}
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, ArrayFormula):
                    arrays.setdefault(ws.title, []).append((range_boundaries(c.value.ref), c.value.text))
    found = []
    for ws in values.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value in ERRORS:
                    f = formulas[ws.title][c.coordinate].value
                    f = f.text if isinstance(f, ArrayFormula) else f
                    if f is None:
                        f = next((text for (c1, r1, c2, r2), text in arrays.get(ws.title, [])
                                  if c1 <= c.column <= c2 and r1 <= c.row <= r2), None)
                    found.append((ws.title, c.coordinate, c.value, f))
    return found


@pytest.mark.parametrize("key", ORDER)
def test_values_report_opens_in_libreoffice_with_numbers_and_no_error(converted, key):
    demo, out = converted
    conv = out / f"{key}.values.xlsx"
    assert conv.exists(), f"LibreOffice did not convert {key}.values.xlsx"
    # a month's KPI that cannot be computed says so on the Periods sheet (the first month of the data
    # has no MRR at its start: #DIV/0!), and the charts' window shows no point there (#N/A, a gap)
    found = _errors(demo / f"{key}.values.xlsx", conv)
    # (a KPI the data does not reach yet, datacheck.NOT_REACHED -- the demo's survival stays above 50 %,
    # so MEDIAN_LIFETIME is #N/A -- reads "n/a" on the dashboard, with "n/a: longer than the data shows")
    assert [e for e in found if e[0] != "Periods" and not (e[0] == "Chart data" and e[2] == "#N/A")] == []
    dash = load_workbook(conv, data_only=True)["Dashboard"]
    cols = columns(REPORTS[key])
    numbers = [dash.cell(r, 2).value for r in range(5, dash.max_row + 1) if dash.cell(r, 1).value]
    # "n/a": an optional column the sample lacks (reopens), or a median lifetime the data does not reach
    numbers = [v for v in numbers if v != "n/a"]
    if key == "survey_scores":   # the sample asks CES 2.0: the original CES row says so (S, session 5)
        from xl_cskpi.reports.specs.survey_ces import CES_IS_EASY
        numbers = [v for v in numbers if v != CES_IS_EASY]
    assert numbers and all(isinstance(v, (int, float)) for v in numbers), numbers
    # status cells (built-in IF formulas against the targets) were recalculated by LibreOffice
    statuses = {dash.cell(r, cols["status"]).value for r in range(5, dash.max_row + 1)}
    assert statuses & {"On target", "Watch", "Off target"}


@pytest.mark.parametrize("key", ORDER)
def test_template_opens_in_libreoffice_and_builtins_recalculate(converted, key):
    _, out = converted
    conv = out / f"{key}.xlsx"
    assert conv.exists(), f"LibreOffice did not convert {key}.xlsx"
    for sheet, cell, err, formula in _errors(REPO / "workbook_templates" / f"{key}.xlsx", conv):
        text = str(formula)
        # (or it reads a cell our functions compute on the chart-data sheet: the month label of each
        # row, computed once per date column (reports.rowlabels), a KPI's raw result)
        ours = bool(OURS.search(text)) or "kpi_" in text.lower() or "'!$" in text and "$1003" in text \
            or "'Chart data'!" in text
        # (or it only reads two cells of its own row that call ours: the NPS band =($C4-$D4), PeriodOf)
        ours = ours or re.fullmatch(r"=\(\$[A-Z]{1,3}(\d+)[-+*/]\$[A-Z]{1,3}\1\)", text) is not None
        # (or, on the Periods sheet, it only reads cells of its own row: a month's cell reading its hidden
        # BY_PERIOD column =$W4, the NPS band cut to -100..100 over the row's NPS, margin and responses)
        own_row = set(re.findall(r"\$[A-Z]{1,3}\$?(\d+)", text))
        ours = ours or ("!" not in text and len(own_row) == 1)
        empty_table = err == "#DIV/0!" and ("/" in text or "AVERAGE(" in text)
        # the charts' 12-month window: no month typed yet is no point (#N/A, a gap), by design
        no_month = err == "#N/A" and sheet == "Chart data"     # (and the waterfall's steps over it)
        assert ours or empty_table or no_month, f"{key} {sheet}!{cell}: {err} from a built-in formula {text}"


# --------------------------------------------------------------------------- a report from part of its data

@pytest.mark.parametrize("lang", ["en", "fa", "ar"])
def test_libreoffice_computes_the_n_a_notes_and_shows_the_data_check(lang, tmp_path):
    """An NPS-only survey (no employee survey, no CSAT/CES): in the live workbook LibreOffice computes
    the status cell of eNPS to the translated "n/a: no employee survey given" (the note is a formula
    that holds while the table is empty), and the Data check sheet reads the same after a round trip."""
    import pandas as pd

    from xl_cskpi import sample
    from xl_cskpi.exports.check import DataCheck
    from xl_cskpi.reports import reports
    from xl_cskpi.reports.builder import build
    from xl_cskpi.reports.i18n import translator

    t = translator(lang)
    r = reports()["survey_scores"]
    resp = sample.generate()["responses"].rename(columns={"Date": "submitted_at", "NPS": "nps_score"})
    resp = resp[["submitted_at", "nps_score"]]
    check = DataCheck()
    check.warn("out_of_range", "nps_score 11 is above the maximum 10", file="survey.csv", table="Responses",
               row=9, column="nps_score",
               fields={"field": "nps_score", "value": 11.0, "bound": 10, "side": "above", "count": 1, "rows": [9]})
    live = tmp_path / "live.xlsx"
    build(r, live, lang=lang, data={"Responses": pd.DataFrame(resp)}, check=check)
    out = tmp_path / "out"
    out.mkdir()
    _convert([live], out, tmp_path / "profile")
    wb = load_workbook(out / "live.xlsx", data_only=True)
    dash = wb[t("sheet.dashboard")]
    row = 5 + [k.key for k in r.kpis].index("enps")
    assert dash.cell(row, columns(r)["status"]).value == t("absent.na", reason=t("absent.table.EmployeeSurvey"))
    nps_row = 5 + [k.key for k in r.kpis].index("nps")
    assert dash.cell(nps_row, columns(r)["status"]).value in (None, "")    # our NPS is #NAME? without the add-in: no note
    sheet = wb[t("sheet.data_check")]
    assert sheet["A1"].value == t("check.title")
    assert sheet["F5"].value == (check.findings[0].message if lang == "en" else
                                 t("check.out_of_range.above", field="nps_score", value=11.0, bound=10))
