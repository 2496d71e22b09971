"""Column widths from content (issue 14, item 3): reports/layout.py.

* the stored font metrics are what Pillow measures on the fonts LibreOffice draws the reports with
  (Noto Sans for Calibri, Noto Sans Arabic, Noto Naskh Arabic; fonts-noto-core);
* the width estimate is checked against Pillow's own layout of real headers (Raqm shaping for
  Persian and Arabic): never narrower than the text;
* in every template (en, fa, ar), each header cell's column is at least as wide as its text needs;
* number formats are shown approximately right; wrapped text gets the lines it needs.
"""

from __future__ import annotations

import subprocess

import pytest
from openpyxl import Workbook, load_workbook

from xl_cskpi.reports import builder, reports
from xl_cskpi.reports import layout
from xl_cskpi.reports.i18n import STRINGS
from xl_cskpi.reports.layout import fit_widths, lines_needed, shown, text_width
from xl_cskpi.reports.sheets import Sheet

REPORTS = reports()


def _font(family: str):
    from PIL import ImageFont
    path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=True).stdout
    return ImageFont.truetype(path, 1000, layout_engine=ImageFont.Layout.RAQM)


def test_stored_metrics_are_what_pillow_measures_on_the_noto_fonts():
    measured = layout.calibrate()
    assert tuple(measured["latin"]) == layout._LATIN
    assert tuple(measured["latin_bold"]) == layout._LATIN_BOLD
    for lang in ("fa", "ar"):
        for bold in (False, True):      # each letter's four contextual forms, exactly
            assert measured[(lang, bold)] == layout._FORMS_TEXT[(lang, bold)]
        # digits exactly; the per-letter width covers today's 99th percentile over the translations
        # (which grow), with no more than 10 % to spare
        assert measured[lang][2:] == layout._ARABIC[lang][2:]
        for now, stored in zip(measured[lang][:2], layout._ARABIC[lang][:2]):
            assert now <= stored <= 1.1 * now, (lang, measured[lang], layout._ARABIC[lang])


@pytest.mark.parametrize("lang, family", [("en", "Noto Sans:bold"), ("fa", "Noto Sans Arabic:bold"),
                                          ("ar", "Noto Naskh Arabic:bold")])
def test_estimate_covers_the_shaped_width_of_every_header(lang, family):
    # independent measure: Pillow lays each header out (Raqm shapes Persian/Arabic), in pixels at
    # 11 pt and 96 dpi; the column must hold it plus a cell's padding (Excel: 7 px per width unit)
    font = _font(family)
    latin = _font("Noto Sans:bold")
    keys = [k for k in STRINGS[lang] if k.startswith(("head.", "col.", "label.", "trend."))]
    assert len(keys) > 20
    for k in keys:
        text = STRINGS[lang][k]
        if "{" in text:
            continue
        if lang == "en":
            px = latin.getlength(text)
        else:    # Latin words (MRR, NPS) are drawn in the Latin fallback font
            import re
            parts = re.split(r"([A-Za-z0-9%().,:/+\-]+)", text)
            px = sum(latin.getlength(p) if re.fullmatch(r"[A-Za-z0-9%().,:/+\-]+", p) else
                     font.getlength(p, direction="rtl", language=lang) for p in parts if p)
        need = px / 1000 * 11 * 96 / 72 / 7
        assert text_width(text, lang=lang, bold=True) >= need, (k, text)


def test_shown_applies_number_formats_approximately():
    assert shown(1234567.891, "#,##0") == "1,234,568"
    assert shown(0.0645, "0.0%") == "6.5%"
    assert shown(12.25, '0.0" days"') == "12.2 days" or shown(12.25, '0.0" days"') == "12.3 days"
    assert shown(3.0, "+0.0;-0.0;0.0") == "+3.0"
    import datetime as dt
    assert shown(dt.datetime(2024, 9, 1), "yyyy-mm-dd hh:mm") == "0000-00-00 00:00"
    assert shown("فارسی", "@") == "فارسی"
    assert shown(None) == "" and shown(float("nan"), "0.0") == ""


def test_fit_widths_of_a_sheet_and_of_a_data_table():
    import pandas as pd
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    sh = Sheet(ws, "Calibri")
    sh.put(1, 1, "A title alone in its row, far wider than any column should be", size=16)
    sh.put(2, 1, "Contraction MRR", bold=True)
    sh.put(2, 2, 1234567.0, fmt="#,##0")
    sh.put(3, 1, "x")
    sh.put(3, 2, "a wrapped text that would be wide on one line", wrap=True)
    w = fit_widths(sh, lang="en", min_width=4, max_width=60)
    assert w[0] == text_width("Contraction MRR", bold=True)      # the title overflows instead
    assert w[1] == text_width("1,234,567")                        # the wrapped text does not widen
    assert ws.column_dimensions["A"].width == w[0]
    df = pd.DataFrame({"a": ["x", "a much longer customer name"], "b": [0.5, 0.25]})
    ws2 = wb.create_sheet("t")
    w2 = fit_widths(ws2, lang="en", header=["Customer", "Rate"], data=df, keys=["a", "b"],
                    formats=["@", "0.0%"], floor=[0, 12])
    assert w2[0] == text_width("a much longer customer name")
    assert w2[1] == 12
    assert fit_widths(ws2, lang="en", header=["x" * 300], max_width=60) == [60]


def test_lines_needed_wraps_words_like_excel():
    assert lines_needed("short", 20) == 1
    text = " ".join(["word"] * 60)
    one = text_width(text)
    assert lines_needed(text, one) == 1
    assert lines_needed(text, one / 3) in (3, 4)
    assert lines_needed("a\nb\nc", 20) == 3


def _headers(ws):
    """(cell, text, size, bold) of header-like cells: bold text that shares its row (a title alone
    in its row, or above 12 pt, overflows into the empty cells beside it)."""
    rows: dict[int, list] = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None:
                rows.setdefault(c.row, []).append(c)
    for r, cells in rows.items():
        if len(cells) < 2:
            continue
        for c in cells:
            if isinstance(c.value, str) and not c.value.startswith("=") and c.font is not None and c.font.b \
                    and (c.font.sz or 11) <= 12 and not (c.alignment and c.alignment.wrap_text):
                yield c


@pytest.mark.parametrize("lang", ["en", "fa", "ar"])
def test_column_widths_cover_their_headers_in_every_template(lang, tmp_path):
    short = []
    for key, report in REPORTS.items():
        out = tmp_path / f"{key}.{lang}.xlsx"
        builder.build(report, out, lang=lang)
        wb = load_workbook(out)
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            for c in _headers(ws):
                width = ws.column_dimensions[c.column_letter].width or 8.43
                need = text_width(c.value, lang=lang, size=float(c.font.sz or 11), bold=True)
                if width + 0.01 < need:
                    short.append(f"{key}/{ws.title}!{c.coordinate} {c.value!r}: {width} < {need}")
    assert not short, "\n".join(short[:40])


def test_a_wrapped_span_is_merged_and_its_row_tall_enough(tmp_path):
    from xl_cskpi.reports.saving import save
    from xl_cskpi.reports.sheets import widths

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Instructions")
    ws.sheet_view.rightToLeft = True
    sh = Sheet(ws, "Noto Sans Arabic", lang="fa")
    widths(ws, [28, 16, 90])
    line = STRINGS["fa"]["instructions.4"]
    sh.put(5, 1, line, wrap=True, span=3)
    sh.put(6, 1, "کوتاه", wrap=True, span=3)
    sh.flush()
    save(wb, tmp_path / "i.xlsx", dynamic_sheets={}, overwrite=True)
    got = load_workbook(tmp_path / "i.xlsx")["Instructions"]
    assert "A5:C5" in {str(r) for r in got.merged_cells.ranges}
    n = lines_needed(line, 28 + 16 + 90, lang="fa")
    assert n >= 2
    assert got.row_dimensions[5].height == pytest.approx(1.7 * 11 * n, abs=0.1)   # RTL rows: 1.7 x the size per line
    assert got.row_dimensions[6].height == pytest.approx(1.7 * 11, abs=0.1)
    assert got["A5"].alignment.wrap_text


def test_a_formula_cell_is_measured_as_a_typical_number_in_its_format():
    # Excel shows ### for a number wider than its column: a live change column ("+4.4 pp") must fit
    wb = Workbook(write_only=True)
    sh = Sheet(wb.create_sheet("d"), "Noto Sans Arabic", lang="fa")
    points = '+0.0" واحد درصد";-0.0" واحد درصد";0.0" واحد درصد"'
    sh.put(1, 1, "=(B6-C6)*100", fmt=points, formula=True)
    sh.put(1, 2, "=(B5-C5)/ABS(C5)", fmt="+0.0%;-0.0%;0.0%", formula=True)
    sh.put(1, 3, "=TODAY()", fmt="yyyy-mm-dd", formula=True)     # a date: not measured this way
    w = fit_widths(sh, lang="fa", min_width=4)
    assert w[0] == text_width("-12345.6 واحد درصد", lang="fa") and w[0] >= text_width("+4.4 واحد درصد", lang="fa")
    assert w[1] == text_width("-99.9%", lang="fa")
    assert w[2] == 4


def test_column_after_places_a_second_chart_past_the_first():
    from xl_cskpi.reports.layout import column_after
    from xl_cskpi.reports.sheets import widths

    ws = Workbook(write_only=True).create_sheet("d")
    widths(ws, [46, 16, 16, 12, 8])
    # 18 cm + 0.3 cm = 692 px; A..C = (46 + 16 + 16) * 7 + 15 = 561 px; D ends at 650; E at 711
    assert column_after(ws, 1, 18) == 6
    assert column_after(ws, 1, 2) == 2          # 87 px: past A alone (327 px)
