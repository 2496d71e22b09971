"""Reports as PDF/PNG (issue 14.5): ``report --pdf/--png``, ``demo --pdf`` and xl_cskpi.reports.render.

Three tests run the real LibreOffice (soffice, installed by .ci/run); the others use a stand-in
``soffice`` (a Python script on PATH that writes a PDF-looking file listing the sheets LibreOffice
would print) or no LibreOffice at all (PATH without it), so the command-line plumbing is checked fast.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from xl_cskpi.cli import main
from xl_cskpi.reports import render
from xl_cskpi.reports.i18n import translator

SAMPLES = Path(__file__).parent / "data" / "sample_exports"
BIDI = dict.fromkeys(range(0x202A, 0x202F))   # the embedding marks pdftotext puts around RTL runs


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.translate(BIDI)


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


# --------------------------------------------------------------------------- real LibreOffice

def test_report_pdf_and_png_of_the_dashboard_in_english(tmp_path, capsys):
    out, pdf, pics = tmp_path / "churn.xlsx", tmp_path / "churn.pdf", tmp_path / "pics"
    assert main(["report", "churn_retention", "--data", str(SAMPLES / "months.csv"), "-o", str(out), "--values",
                 "--pdf", str(pdf), "--png", str(pics)]) == 0
    printed = capsys.readouterr().out
    assert out.is_file() and str(pdf) in printed and str(pics / "churn.png") in printed
    assert _pages(pdf) == 1                      # the dashboard alone: Instructions, data sheets left out
    text = _text(pdf)
    t = translator("en")
    assert t("report.churn_retention.title") in text and t("label.target") in text
    assert t("sheet.instructions") not in text
    assert not re.search(r"#NAME\?|#VALUE!|#REF!|Err:\d{3}", text)
    # the KPI values the command printed (our rounding) are the ones LibreOffice drew
    churn = re.search(re.escape(t("kpi.churn_rate")) + r"\s+([\d.,]+%)", printed).group(1)
    assert churn in text
    # status words are built-in IFs over the targets: recalculated by LibreOffice on load
    assert re.search(r"On target|Watch|Off target", text)
    width, height = _png_size(pics / "churn.png")
    assert width > height and 1000 < width < 1400     # one landscape A4/Letter page at 110 dpi


def test_live_report_in_persian_is_drawn_from_its_values_every_page(tmp_path, capsys):
    # no --values: the workbook has our functions, which LibreOffice lacks; the PDF shows numbers
    out, pdf = tmp_path / "nps.fa.xlsx", tmp_path / "nps.fa.pdf"
    assert main(["report", "survey_scores", "--lang", "fa", "--data", str(SAMPLES / "responses.csv"),
                 "-o", str(out), "--pdf", str(pdf), "--all-pages"]) == 0
    text = _text(pdf)
    t = translator("fa")
    assert t("report.survey_scores.title") in text and t("sheet.instructions") in text   # every sheet
    assert _pages(pdf) > 1
    assert "#NAME?" not in text and not re.search(r"#VALUE!|#REF!|Err:\d{3}", text)
    assert re.search(r"\b14\d\d-\d\d\b", text)    # months in the report's calendar (Jalali)


def _stale_cache_workbook(path: Path) -> None:
    """A workbook whose Dashboard formula has a wrong cached value (as a foreign writer may leave one)."""
    wb = Workbook()
    wb.active.title = "Notes"
    wb["Notes"]["A1"] = "NOT-ON-THE-DASHBOARD"
    ws = wb.create_sheet("Dashboard")
    ws["A1"], ws["A2"] = 2, "=A1*21"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = parts["xl/worksheets/sheet2.xml"].decode()
    parts["xl/worksheets/sheet2.xml"] = re.sub(r"<f>A1\*21</f>(<v\s*/>|<v></v>)?", "<f>A1*21</f><v>999</v>",
                                               sheet).encode()
    assert b"<v>999</v>" in parts["xl/worksheets/sheet2.xml"]
    parts["docProps/app.xml"] = parts["docProps/app.xml"].replace(
        b"Microsoft Excel Compatible / Openpyxl 3.1.5", b"Microsoft Excel")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_to_pdf_recalculates_on_load_and_prints_only_the_dashboard(tmp_path):
    book = tmp_path / "stale.xlsx"
    _stale_cache_workbook(book)
    pdf = render.to_pdf(book, tmp_path / "stale.pdf")
    text = _text(pdf)
    assert "42" in text and "999" not in text          # 2 * 21 computed, the stale cache ignored
    assert "NOT-ON-THE-DASHBOARD" not in text
    with pytest.raises(OSError, match="exists; use --force"):
        render.to_pdf(book, pdf)


# --------------------------------------------------------------------------- without LibreOffice

@pytest.fixture
def no_libreoffice(tmp_path, monkeypatch):
    """PATH with python only: no soffice, no pdftoppm."""
    bare = tmp_path / "bin"
    bare.mkdir()
    monkeypatch.setenv("PATH", str(bare))
    monkeypatch.setattr(render.os.path, "isfile", lambda p: False if "LibreOffice" in str(p) else os.path.isfile(p))
    assert render.soffice() is None
    return bare


def test_report_without_libreoffice_writes_the_xlsx_and_says_what_to_install(tmp_path, no_libreoffice, capsys):
    out, pdf = tmp_path / "churn.xlsx", tmp_path / "churn.pdf"
    assert main(["report", "churn_retention", "--data", str(SAMPLES / "months.csv"), "-o", str(out),
                 "--pdf", str(pdf)]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if not line.lstrip().startswith("...")]
    assert len(err) == 1 and "LibreOffice" in err[0] and "apt-get install libreoffice-calc-nogui" in err[0]
    assert str(out) in err[0] and "is written" in err[0]
    assert out.is_file() and not pdf.exists()


def test_demo_pdf_without_libreoffice_writes_the_workbooks_and_exits_2(tmp_path, no_libreoffice, capsys):
    assert main(["demo", "-o", str(tmp_path / "d"), "--pdf"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert "apt-get install libreoffice" in err[-1] and "Traceback" not in "".join(err)
    assert (tmp_path / "d" / "revenue.values.xlsx").is_file() and not list((tmp_path / "d").glob("*.pdf"))


def test_to_pdf_and_to_png_without_the_tools_raise_one_line(tmp_path, no_libreoffice):
    book = tmp_path / "b.xlsx"
    Workbook().save(book)
    with pytest.raises(render.RenderError, match=r"^PDF and PNG files are drawn by LibreOffice.*apt-get install"):
        render.to_pdf(book, tmp_path / "b.pdf")
    with pytest.raises(render.RenderError, match="pdftoppm.*poppler-utils"):
        render.to_png(book, tmp_path)


# --------------------------------------------------------------------------- a stand-in soffice

FAKE_SOFFICE = '''#!{python}
"""Stand-in soffice: for each workbook, a 'PDF' naming its sheets and which are hidden."""
import re, sys, zipfile, pathlib
args = sys.argv[1:]
out = pathlib.Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
for f in [a for a in args if a.endswith((".xlsx", ".xlsm"))]:
    xml = zipfile.ZipFile(f).read("xl/workbook.xml").decode()
    shown = [re.search(r'name="([^"]*)"', s).group(1) for s in re.findall(r"<sheet\\b[^>]*/>", xml)
             if 'state="hidden"' not in s]
    (out / (pathlib.Path(f).stem + ".pdf")).write_text("%PDF-fake\\n" + "\\n".join(shown), encoding="utf-8")
'''


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    exe = bin_dir / "soffice"
    exe.write_text(FAKE_SOFFICE.replace("{python}", sys.executable), encoding="utf-8")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert render.soffice() == str(exe)
    return exe


def test_demo_pdf_draws_each_dashboard_once_and_says_where(tmp_path, fake_soffice, capsys):
    from xl_cskpi.reports import ORDER

    d = tmp_path / "demo"
    assert main(["demo", "-o", str(d), "--lang", "ar", "--pdf"]) == 0
    assert f"dashboards as PDF in {d}/" in capsys.readouterr().out
    dashboard = translator("ar")("sheet.dashboard")
    for key in ORDER:
        shown = (d / f"{key}.ar.pdf").read_text(encoding="utf-8").splitlines()[1:]
        assert shown == [dashboard], (key, shown)   # every other sheet hidden in the copy drawn
    # the workbooks themselves are untouched: their Instructions sheet is still shown
    with zipfile.ZipFile(d / "revenue.ar.values.xlsx") as z:
        xml = z.read("xl/workbook.xml").decode()
    instructions = re.search(r'<sheet\b[^>]*name="' + re.escape(translator("ar")("sheet.instructions")) + '"[^>]*/>', xml)
    assert instructions and 'state="hidden"' not in instructions.group(0)
    # a second run refuses to replace the PDFs without --force, before any work
    assert main(["demo", "-o", str(d), "--lang", "ar", "--pdf"]) == 2


def test_report_refuses_an_existing_pdf_before_any_work_and_checks_its_name(tmp_path, fake_soffice, capsys):
    out, pdf = tmp_path / "r.xlsx", tmp_path / "r.pdf"
    pdf.write_bytes(b"mine")
    assert main(["report", "churn_retention", "--data", str(SAMPLES / "months.csv"), "-o", str(out),
                 "--pdf", str(pdf)]) == 2
    assert "exists; use --force" in capsys.readouterr().err and not out.exists() and pdf.read_bytes() == b"mine"
    assert main(["report", "churn_retention", "--data", str(SAMPLES / "months.csv"), "-o", str(out),
                 "--pdf", str(tmp_path / "r.png")]) == 2
    assert ".pdf" in capsys.readouterr().err and not out.exists()
    assert main(["report", "churn_retention", "--data", str(SAMPLES / "months.csv"), "-o", str(out),
                 "--pdf", str(pdf), "--all-pages", "--force"]) == 0
    assert len(pdf.read_text(encoding="utf-8").splitlines()) > 2     # every sheet


def test_only_sheets_hides_the_others_and_activates_the_first_kept():
    xml = ('<workbook><bookViews><workbookView firstSheet="0" activeTab="0"/></bookViews><sheets>'
           '<sheet name="Instructions" sheetId="1" state="visible" r:id="rId1"/>'
           '<sheet name="R&amp;D Dashboard" sheetId="2" r:id="rId2"/>'
           '<sheet name="Chart data" sheetId="3" state="hidden" r:id="rId3"/></sheets></workbook>')
    got = render._only_sheets(xml, {"R&D Dashboard"})
    assert '<sheet name="Instructions" sheetId="1" r:id="rId1" state="hidden"/>' in got
    assert '<sheet name="R&amp;D Dashboard" sheetId="2" r:id="rId2"/>' in got
    assert got.count('state="hidden"') == 2 and 'activeTab="1"' in got and 'firstSheet="1"' in got


def test_png_names_and_period_of_a_month_the_data_does_not_cover(tmp_path, capsys):
    assert render.png_names("churn", 1) == ["churn.png"]
    assert render.png_names("churn", 2) == ["churn-1.png", "churn-2.png"]
    assert main(["report", "churn_retention", "--data", str(SAMPLES / "months.csv"), "-o",
                 str(tmp_path / "x.xlsx"), "--period", "2031-01"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if not line.lstrip().startswith("...")]
    assert len(err) == 1 and "2031-01" in err[0] and "the data covers" in err[0], err
    assert not (tmp_path / "x.xlsx").exists()



def test_png_without_pdftoppm_says_so_before_drawing(tmp_path, fake_soffice, monkeypatch, capsys):
    # PATH: the stand-in soffice and python, no pdftoppm
    monkeypatch.setenv("PATH", str(fake_soffice.parent))
    out = tmp_path / "churn.xlsx"
    assert main(["report", "churn_retention", "--data", str(SAMPLES / "months.csv"), "-o", str(out),
                 "--png", str(tmp_path / "pics")]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if not line.lstrip().startswith("...")]
    assert len(err) == 1 and "pdftoppm" in err[0] and "poppler-utils" in err[0] and str(out) in err[0]
    assert out.is_file() and not (tmp_path / "pics").exists()
