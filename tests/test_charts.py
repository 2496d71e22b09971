"""Dashboard charts (issue 14, item 2, drawing): reports/charts.py and the chart parts saving.py writes.

One workbook draws every feature the chart spec has (stacked columns with losses below zero, a
waterfall with an invisible base, a combo of a line and columns on a secondary axis, gaps, a
sparkline-size chart, axis titles, a percent axis, the report's font, right-to-left text); its chart
XML is checked element by element, and LibreOffice reads it back: its own re-saved file keeps the
stacking, the secondary axis, the removed legend entry and the gaps (what LibreOffice understood).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from xl_cskpi.reports.charts import SMALL_SIZE, TRANSLUCENT, chart
from xl_cskpi.reports.saving import save
from xl_cskpi.reports.spec import Chart, Series

ROWS = [["month", "new", "expansion", "churn", "contraction", "base", "up", "down", "nps", "responses", "rate"],
        ["2024-01", 100, 20, -30, -10, 0, 120, None, 20, 40, 0.05],
        ["2024-02", 80, 10, -50, -5, 120, 90, None, None, None, None],
        ["2024-03", 60, 30, -20, -15, 155, None, 55, 67, 3, 0.08],
        ["2024-04", 90, 15, -25, -5, 155, 75, None, "#N/A", 0, "#N/A"],
        ["2024-05", 70, 25, -35, -10, 230, 50, None, 25, 55, 0.04]]

CHARTS = [
    Chart("bridge", "column", 1, (Series(2, "series.new"), Series(3, "series.expansion"), Series(4, "series.churn"),
                                   Series(5, "series.contraction")), stacked=True, y_title="axis.mrr"),
    Chart("waterfall", "column", 1, (Series(6, "base", hidden=True), Series(7, "up", labels=True),
                                      Series(8, "down", labels=True)), stacked=True),
    Chart("nps", "line", 1, (Series(9, "NPS"), Series(10, "responses", axis="secondary", kind="column")),
          y_title="NPS", y2_title="responses"),
    Chart("churn", "line", 1, (Series(11, "churn rate"),), percent=True),
    Chart("spark", "line", 1, (Series(2, "new"),), small=True),
]


def _t(key, default=None, **kw):
    return {"series.new": "New MRR", "axis.mrr": "MRR"}.get(key, default if default is not None else key)


def _workbook(path: Path, lang: str = "en", font: str = "Calibri") -> dict[str, str]:
    wb = Workbook(write_only=True)
    data = wb.create_sheet("data")
    for r in ROWS:
        data.append(r)
    ws = wb.create_sheet("dash")
    for i, ch in enumerate(CHARTS):
        ws.add_chart(chart(ch, _t, lambda ref: ("data", ref, 1, 6), font=font, lang=lang), f"A{1 + 18 * i}")
    ws.append(["x"])
    save(wb, path, dynamic_sheets={}, overwrite=True)
    with zipfile.ZipFile(path) as z:
        # (openpyxl without lxml spells an empty element "<x />")
        return {ch.key: re.sub(r"\s+/>", "/>", z.read(f"xl/charts/chart{i}.xml").decode())
                for i, ch in enumerate(CHARTS, 1)}


def test_stacked_bridge_draws_losses_below_a_zero_line(tmp_path):
    x = _workbook(tmp_path / "c.xlsx")["bridge"]
    assert '<grouping val="stacked"/>' in x and '<overlap val="100"/>' in x
    assert "<v>New MRR</v>" in x                                  # titles through the translator
    assert '<crosses val="autoZero"/>' in x and '<tickLblPos val="low"/>' in x   # labels under the bars
    assert "<a:t>MRR</a:t>" in x                                  # the value axis title
    assert '<dispBlanksAs val="gap"/>' in x and 'dispNaAsBlank val="1"' in x


def test_waterfall_base_is_invisible_and_out_of_the_legend(tmp_path):
    x = _workbook(tmp_path / "c.xlsx")["waterfall"]
    base = re.search(r"<ser><idx val=\"0\"/>.*?</ser>", x).group(0)
    assert "<a:noFill/>" in base and re.search(r"<a:ln[^>]*><a:noFill/>", base)
    assert '<legendEntry><idx val="0"/><delete val="1"/></legendEntry>' in x
    assert x.count("<dLbls>") == 2 and '<showVal val="1"/>' in x


def test_combo_puts_the_line_on_the_left_and_translucent_columns_on_a_second_axis(tmp_path):
    x = _workbook(tmp_path / "c.xlsx")["nps"]
    assert x.index("<lineChart>") < x.index("<barChart>")         # the primary group first
    assert x.count("<valAx>") == 2 and '<crosses val="max"/>' in x
    bar = x[x.index("<barChart>"):x.index("</barChart>")]
    assert '<axId val="200"/>' in bar
    assert f'<a:srgbClr val="{TRANSLUCENT}"><a:alpha val="55000"/></a:srgbClr>' in x
    assert 'sourceLinked="1"' in x                                # the counts' own number format
    assert "<a:t>NPS</a:t>" in x and "<a:t>responses</a:t>" in x


def test_percent_axis_sparkline_font_and_right_to_left(tmp_path):
    charts = _workbook(tmp_path / "c.xlsx", lang="fa", font="Noto Sans Arabic")
    assert 'formatCode="0%"' in charts["churn"]
    spark = charts["spark"]
    assert "<title>" not in spark and "<legend>" not in spark and spark.count('<delete val="1"/>') == 2
    assert '<symbol val="none"/>' in spark and "<manualLayout>" in spark
    assert '<a:latin typeface="Noto Sans Arabic"/><a:cs typeface="Noto Sans Arabic"/>' in charts["bridge"]
    assert 'rtl="1"' in charts["bridge"]
    # fa/ar value axes show plain numbers (LibreOffice clips "60,000 تومان" at the chart's edge)
    assert '<numFmt formatCode="General" sourceLinked="0"/>' in charts["bridge"]
    assert charts["nps"].count('<numFmt formatCode="General" sourceLinked="0"/>') == 2
    with zipfile.ZipFile(tmp_path / "c.xlsx") as z:
        drawing = z.read("xl/drawings/drawing1.xml").decode()
    # the sparkline's frame: SMALL_SIZE in EMU (360000 per cm)
    assert f'cx="{int(SMALL_SIZE[0] * 360000)}"' in drawing


def test_libreoffice_reads_the_features(tmp_path):
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is needed for this test")
    src = tmp_path / "c.xlsx"
    _workbook(src)
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    with zipfile.ZipFile(out / "c.xlsx") as z:
        parts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        xml = {n: z.read(n).decode() for n in parts}
    def find(marker):
        return next(x for x in xml.values() if marker in x)
    bridge = find("New MRR")
    assert re.search(r'<c:grouping val="stacked"/>', bridge) and re.search(r'<c:overlap val="100"/>', bridge)
    nps = find(">responses<")
    assert nps.count("<c:valAx>") == 2                            # the secondary axis survived
    water = find(">up<")
    assert re.search(r'<c:legendEntry><c:idx val="0"/><c:delete val="1"/>', water)
    assert '<c:dispBlanksAs val="gap"/>' in bridge
