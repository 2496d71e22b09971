"""Column widths from content (issue 14, item 3): no clipped header, in English, Persian and Arabic.

Excel stores a column's width in characters of the workbook's default font (Calibri 11: a digit is
7 px at 96 dpi, and a cell has some 5 px of padding). A text's width is estimated from font metrics
measured once with Pillow (``ImageFont`` with the Raqm layout, so Persian and Arabic are shaped as
they are drawn) on the fonts LibreOffice draws these reports with (Debian's fonts-noto-core:
Noto Sans for Calibri, which fontconfig substitutes; Noto Sans Arabic for fa; Noto Naskh Arabic for
ar), and stored below: widths must not depend on the fonts of the machine that writes the workbook,
or the same data would give different bytes (the templates are compared byte for byte).
:func:`calibrate` measures them again where Pillow and those fonts are installed.

* Latin: the advance width of each printable ASCII character, regular and bold (Noto Sans is some
  10 % wider than Calibri, so Excel shows a little more room than LibreOffice).
* Persian/Arabic script: 99th percentile, over the words of 6 or more letters of every fa/ar string
  of the reports, of a shaped word's width per character (a per-script factor, not an average: the
  average, 0.44 em in Noto Sans Arabic and 0.38 em in Noto Naskh Arabic, is narrower than Latin, but
  the widest words are not), with some 5 % to spare, and the width of the native digits.
* Anything else (CJK, emoji): one em a character.

:func:`fit_widths` sets a sheet's widths from its header and its widest values (numbers as their
number format shows them, approximately); :func:`text_width` is the estimate in Excel width units.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

__all__ = ["fit_widths", "column_widths", "column_after", "text_width", "shown", "lines_needed", "calibrate",
           "MIN_WIDTH", "MAX_WIDTH"]

MIN_WIDTH = 8.0
MAX_WIDTH = 60.0

#: Pixels of a digit of Calibri 11 (Excel's width unit) and a cell's padding, at 96 dpi.
_DIGIT_PX = 7.0
_PAD_PX = 7.0
#: A width estimate is rounded up to this step (0.5 character), times this factor. Rendered with
#: LibreOffice (which draws Calibri as Noto Sans here), the widths leave 15-25 % room around English,
#: Persian and Arabic headers; Excel, drawing Calibri, some 10 % more.
_STEP = 0.5
_ROOM = 1.0

# --- measured by calibrate() (advance widths in 1/1000 em) ----------------------------------------
#: Noto Sans, U+0020..U+007E.
_LATIN = (260, 269, 408, 646, 572, 831, 732, 225, 300, 300, 551, 572, 268, 322, 268, 372, 572, 572, 572, 572, 572,
          572, 572, 572, 572, 572, 268, 268, 572, 572, 572, 434, 899, 639, 650, 632, 730, 556, 519, 728, 741, 339,
          273, 619, 524, 907, 760, 781, 605, 781, 622, 549, 556, 731, 600, 930, 586, 566, 572, 329, 372, 329, 572,
          444, 281, 561, 615, 480, 615, 564, 344, 615, 618, 258, 258, 534, 258, 935, 618, 605, 615, 615, 413, 479,
          361, 618, 508, 786, 529, 510, 470, 380, 551, 380, 572)
#: Noto Sans Bold, U+0020..U+007E.
_LATIN_BOLD = (260, 286, 472, 646, 572, 901, 750, 266, 339, 339, 545, 572, 285, 322, 285, 413, 572, 572, 572, 572,
               572, 572, 572, 572, 572, 572, 285, 285, 572, 572, 572, 477, 897, 690, 672, 637, 740, 560, 549, 724,
               765, 389, 331, 664, 565, 943, 813, 796, 628, 796, 660, 551, 579, 756, 650, 967, 667, 624, 579, 331,
               413, 331, 572, 411, 362, 604, 633, 514, 633, 591, 387, 633, 657, 305, 305, 620, 305, 982, 657, 619,
               633, 633, 454, 497, 434, 657, 569, 856, 578, 569, 488, 394, 551, 394, 572)
#: Persian/Arabic script, a letter not in :data:`_FORMS` (99th percentile of shaped words' width per
#: letter) and native digits: {lang: (regular, bold, digit regular, digit bold)}; Noto Sans Arabic
#: (fa), Noto Naskh Arabic (ar). (The letters' percentile measured on 2026-11-30 was 554/613 and
#: 493/515; stored with some 5 % for translations still to come. Session 4's sentences brought Arabic
#: to 478-481/495: bold stored at 540, within the test's 10 % of it.)
_ARABIC = {"fa": (585, 645, 478, 530), "ar": (520, 540, 412, 434)}
#: Each letter's advance in its four contextual forms (isolated, initial, medial, final), shaped by
#: Raqm against a tatweel: "iso,ini,med,fin" per letter of ``_LETTERS``, in that order.
_LETTERS = 'ءآأؤإئابةتثجحخدذرزسشصضطظعغػؼؽؾؿـفقكلمنهوىيپچژگکیۀ'
_FORMS_TEXT = {
    ('fa', False): '411,411,411,411 235,235,289,289 235,235,289,289 447,447,472,472 238,238,291,291 760,269,343,736 238,238,291,291 993,269,343,1093 405,405,486,486 993,299,373,1093 993,299,373,1093 639,589,637,649 639,589,637,649 639,589,637,649 477,477,532,532 477,477,532,532 367,367,396,396 367,367,396,396 1209,784,850,1269 1209,784,850,1269 1306,903,949,1352 1306,903,949,1352 788,677,710,831 788,677,710,831 507,503,521,531 507,503,521,531 877,412,508,975 877,412,508,975 760,269,343,736 760,299,373,736 760,299,373,736 270,270,270,270 983,447,495,1098 774,447,495,808 882,412,508,922 695,260,300,730 484,525,578,562 685,269,343,730 405,574,507,486 447,447,472,472 760,269,343,736 760,299,373,736 993,299,373,1093 659,589,637,719 367,367,396,396 877,412,508,975 877,412,508,975 760,299,373,736 405,405,486,486',
    ('fa', True): '470,470,470,470 271,271,316,316 271,271,316,316 498,498,524,524 273,273,318,318 821,317,384,800 273,273,318,318 1024,317,384,1142 471,471,556,556 1024,359,409,1142 1024,359,409,1142 687,629,654,739 687,629,654,739 687,629,654,739 517,517,571,571 517,517,571,571 409,409,450,450 409,409,450,450 1370,950,1019,1439 1370,950,1019,1439 1422,974,1004,1442 1422,974,1004,1442 844,737,762,861 844,737,762,861 570,557,552,570 570,557,552,570 909,454,508,952 909,454,508,952 821,317,384,800 821,359,409,800 821,359,409,800 289,289,289,289 1024,505,529,1115 832,505,529,855 931,454,508,974 741,297,344,791 548,582,624,661 741,317,384,805 471,641,571,556 498,498,524,524 821,317,384,800 821,359,409,800 1024,359,409,1142 687,629,654,759 409,409,450,450 909,454,508,952 909,454,508,952 821,359,409,800 471,471,556,556',
    ('ar', False): '437,437,437,437 238,238,253,253 238,238,253,253 468,468,468,468 256,256,253,253 618,275,292,687 238,238,253,253 772,275,292,817 408,408,467,467 772,275,360,817 772,275,360,817 636,636,666,666 636,636,666,666 636,636,666,666 414,414,474,474 414,414,474,474 386,386,404,404 386,386,404,404 1013,658,663,1017 1013,658,663,1017 1096,786,778,1099 1096,786,778,1099 769,660,629,775 769,660,629,775 604,505,414,477 604,505,414,477 722,415,459,776 722,415,459,776 618,343,360,687 618,275,360,687 618,275,360,687 210,210,210,210 848,420,387,817 647,420,387,642 558,415,459,736 595,212,245,591 489,456,413,528 586,275,292,585 408,508,381,452 468,468,468,468 618,275,292,687 618,343,360,687 772,343,360,817 636,636,666,666 386,386,404,404 722,415,459,776 722,415,459,776 618,343,360,687 408,408,452,452',
    ('ar', True): '452,452,452,452 284,284,288,288 284,284,288,288 497,497,488,488 284,284,288,288 636,288,292,690 284,284,288,288 806,275,292,817 425,425,507,507 806,275,360,817 806,275,360,817 655,649,657,724 655,649,657,724 655,649,657,724 435,435,485,485 435,435,485,485 377,377,395,395 377,377,395,395 1061,700,697,1039 1061,700,697,1039 1131,795,846,1187 1131,795,846,1187 792,693,706,841 792,693,706,841 604,517,448,477 604,517,448,477 741,443,467,768 741,443,467,768 636,343,360,690 636,275,360,690 636,275,360,690 210,210,210,210 848,427,412,832 652,427,412,632 618,443,467,745 612,217,245,617 502,473,413,555 604,275,292,599 425,516,397,466 497,497,488,488 636,275,292,690 636,343,360,690 806,343,360,817 655,649,657,724 377,377,395,395 741,443,467,768 741,443,467,768 636,343,360,690 425,425,466,466',
}

_FORMS = {key: {ch: tuple(int(x) for x in f.split(",")) for ch, f in zip(_LETTERS, text.split())}
          for key, text in _FORMS_TEXT.items()}
#: Letters that join only to the letter before them (never to the next), and the one that joins to none.
_RIGHT_JOINING = set("آأؤإادذرزوۀژة")
_NON_JOINING = set("ء")

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_NATIVE_DIGITS = set("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")
_ZERO_WIDTH = set("\u200c\u200d\u200e\u200f\u061c")


def _em(text: str, lang: str, bold: bool) -> float:
    """Width of ``text`` in em: Latin from the advance table, Persian/Arabic letters in the form
    their neighbours give them (isolated, initial, medial, final; a ligature such as lam-alef is
    narrower than its letters, so this errs wide)."""
    latin = _LATIN_BOLD if bold else _LATIN
    key = lang if lang in _ARABIC else "fa"
    reg, bld, dreg, dbld = _ARABIC[key]
    script, digit = (bld, dbld) if bold else (reg, dreg)
    forms = _FORMS[(key, bold)]
    total = 0
    n = len(text)
    for i, ch in enumerate(text):
        o = ord(ch)
        if 32 <= o < 127:
            total += latin[o - 32]
        elif ch in _ZERO_WIDTH or 0x064B <= o <= 0x065F or o == 0x0670:    # joiners, vowel marks
            continue
        elif ch in _NATIVE_DIGITS:
            total += digit
        elif ch in forms:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < n else ""
            joins_before = (ch not in _NON_JOINING and before in forms and before not in _RIGHT_JOINING
                            and before not in _NON_JOINING)
            joins_after = (ch not in _RIGHT_JOINING and ch not in _NON_JOINING and after in forms
                           and after not in _NON_JOINING)
            iso, ini, med, fin = forms[ch]
            total += med if joins_before and joins_after else fin if joins_before else ini if joins_after else iso
        elif _ARABIC_SCRIPT.match(ch):
            total += script
        elif 0x00A0 <= o < 0x0250:      # Latin-1 and Latin Extended: as wide as Latin letters
            total += 600
        else:
            total += 1000
    return total / 1000.0


def text_width(text: str, *, lang: str = "en", size: float = 11.0, bold: bool = False, indent: int = 0) -> float:
    """The column width (Excel units: characters of Calibri 11) ``text`` needs on one line."""
    if not text:
        return 0.0
    longest = max(text.split("\n"), key=len)
    px = _em(longest, lang, bold) * size * 96 / 72 * _ROOM + _PAD_PX + indent * 3 * _DIGIT_PX
    return float(np.ceil(px / _DIGIT_PX / _STEP) * _STEP)


def lines_needed(text: str, width: float, *, lang: str = "en", size: float = 11.0, bold: bool = False) -> int:
    """Lines ``text`` takes wrapped in a column ``width`` wide (words kept whole, as Excel wraps)."""
    room = max(width * _DIGIT_PX - _PAD_PX, _DIGIT_PX)
    per_px = size * 96 / 72 * _ROOM
    lines = 0
    for para in str(text).split("\n"):
        used, n = 0.0, 1
        space = _em(" ", lang, bold) * per_px
        for word in para.split(" "):
            w = _em(word, lang, bold) * per_px
            if used and used + space + w > room:
                n += 1
                used = 0.0
            used += (space if used else 0.0) + w
            while used > room:          # a word longer than the column breaks
                n += 1
                used -= room
        lines += n
    return lines


# --------------------------------------------------------------------------- what a cell shows

_QUOTED = re.compile(r'"([^"]*)"')


def shown(value: Any, fmt: str | None = None) -> str:
    """The text a cell shows for ``value`` in the number format ``fmt``, approximately (enough to
    size a column): thousands separators, decimals, percent, quoted literal text, date patterns."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    fmt = fmt or "General"
    section = fmt.split(";")[0]
    literal = "".join(_QUOTED.findall(section))
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", section)
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp, np.datetime64)):
        if any(k in bare.lower() for k in ("y", "d", "h")) or "m" in bare.lower():
            out = bare
            for token, digits in (("yyyy", "0000"), ("yy", "00"), ("mmmm", "September"), ("mmm", "Sep"),
                                  ("dddd", "Wednesday"), ("ddd", "Wed"), ("mm", "00"), ("dd", "00"), ("hh", "00"),
                                  ("ss", "00"), ("m", "00"), ("d", "00"), ("h", "00")):
                out = re.sub(token, digits, out, flags=re.I)
            return out + literal
        return "0000-00-00 00:00:00"
    if isinstance(value, bool):
        return "FALSE"
    if isinstance(value, (int, float, np.integer, np.floating)):
        x = float(value)
        if x != x:
            return ""
        if bare.strip() in ("", "General", "@"):
            return ("%.10g" % x) + literal
        if "%" in bare:
            x *= 100
        decimals = len(bare.split(".")[1].rstrip("%").replace(",", "")) if "." in bare else 0
        text = f"{x:,.{decimals}f}" if "," in bare else f"{x:.{decimals}f}"
        if bare.startswith("+") and x > 0:
            text = "+" + text
        return text + ("%" if "%" in bare else "") + literal
    return str(value)


# --------------------------------------------------------------------------- widths

#: What a formula cell is measured as (its result is computed later): a number of the size KPIs
#: have, in the cell's number format: -12,345.6 (money, counts, points), -99.9 % (rates).
_SAMPLE_NUMBER = -12345.6
_SAMPLE_PERCENT = -0.999
_DATE_FORMAT = re.compile(r"[ydhs]|mm", re.I)


def column_widths(columns: Sequence[Sequence[tuple[str, float, bool]]], *, lang: str,
                  min_width: float = MIN_WIDTH, max_width: float = MAX_WIDTH) -> list[float]:
    """One width per column from ``(text, font size, bold)`` items, between the bounds."""
    out = []
    for items in columns:
        w = max((text_width(t, lang=lang, size=s, bold=b) for t, s, b in items), default=0.0)
        out.append(float(min(max(w, min_width), max_width)))
    return out


def _widest(values: pd.Series, fmt: str | None, keep: int = 12) -> list[str]:
    """The shown texts of the ``keep`` values likely widest in a column: the longest texts, the
    largest and smallest numbers, the first date (a date format shows every date alike wide)."""
    if values is None or len(values) == 0:
        return []
    s = values.dropna()
    if len(s) == 0:
        return []
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return [shown(s.iloc[0], fmt)]
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        arr = s.to_numpy(dtype=float)
        picks = np.unique(np.concatenate([np.sort(arr)[:keep // 2], np.sort(arr)[-keep // 2:]]))
        return [shown(x, fmt) for x in picks.tolist()]
    objs = s.astype(object)
    texts = objs[objs.map(lambda v: isinstance(v, str))]
    out: list[str] = []
    if len(texts):
        lengths = texts.str.len().to_numpy()
        idx = np.argsort(-lengths, kind="stable")[:keep]
        out += texts.iloc[idx].tolist()
    others = objs[~objs.map(lambda v: isinstance(v, str))]
    if len(others):
        out += [shown(v, fmt) for v in others.iloc[:keep].tolist()]
    return out


def fit_widths(ws, *, lang: str, min_width: float = MIN_WIDTH, max_width: float = MAX_WIDTH,
               header: Sequence[str] | None = None, data: pd.DataFrame | Mapping[str, pd.Series] | None = None,
               formats: Sequence[str | None] | None = None, keys: Sequence[str] | None = None,
               size: float = 11.0, floor: Sequence[float] | None = None) -> list[float]:
    """Set the column widths of a sheet from its content and return them.

    ``ws`` is either a :class:`~xl_cskpi.reports.sheets.Sheet` not yet flushed (its cells are
    measured: font size, bold, number format; a formula as :data:`_SAMPLE_NUMBER` in its number
    format, so "+4.4 pp" or "+21.8%" never shows as ###; a wrapped cell does not widen its column, and a text
    alone in its row or larger than 12 pt overflows into the empty cells beside it, as Excel and
    LibreOffice draw it; ``header``: bold texts a formula will write, such as a spilled table's
    headers in a live report), or a worksheet with ``header`` (bold) and ``data`` (a DataFrame, or a
    mapping of column key to Series, in ``keys`` order; ``formats`` the columns' number formats):
    a data table, measured on its header and its widest values, whatever its length.

    ``lang`` picks the Persian/Arabic metrics (fa, ar); widths are kept within ``min_width`` and
    ``max_width`` (a longer text is cut at the edge or wraps), and at least ``floor[j]`` where given.
    In write-only mode widths must be set before the sheet's first row is written.
    """
    from .sheets import Sheet

    if isinstance(ws, Sheet):
        sheet, target = ws, ws.ws
        by_row: dict[int, list[int]] = {}
        for (r, c) in sheet.cells:
            by_row.setdefault(r, []).append(c)
        ncols = max((c for _, c in sheet.cells), default=0)
        columns: list[list[tuple[str, float, bool]]] = [[] for _ in range(ncols)]
        for (r, c), cell in sheet.cells.items():
            v = cell.value
            if v is None:
                continue
            formula = (isinstance(v, str) and v.startswith("=") and cell.data_type == "f") or \
                not isinstance(v, (str, int, float, dt.date, dt.datetime))
            if formula:   # its result is unknown here: a number as wide as its format makes a typical one
                fmt = cell.number_format or "General"
                if fmt in ("General", "@") or _DATE_FORMAT.search(re.sub(r'"[^"]*"|\[[^\]]*\]', "", fmt)):
                    continue
                v = _SAMPLE_PERCENT if "%" in fmt else _SAMPLE_NUMBER
            size_pt = float(cell.font.sz or 11) if cell.font is not None else 11.0
            alignment = cell.alignment
            if alignment is not None and alignment.wrap_text:
                continue
            if isinstance(v, str) and (len(by_row[r]) == 1 or size_pt > 12) and c == max(by_row[r]):
                continue                          # overflows into the empty cells beside it
            text = shown(v, cell.number_format)
            indent = int(alignment.indent or 0) if alignment is not None else 0
            columns[c - 1].append((text + " " * (indent * 2), size_pt, bool(cell.font.b)))
        for j, h in enumerate(header or []):     # headers a formula will write (a spilled table's)
            if h:
                columns += [[] for _ in range(j + 1 - len(columns))]
                columns[j].append((str(h), size, True))
    else:
        target = ws
        header = list(header or [])
        keys = list(keys or (list(data.keys()) if data is not None else []))
        n = max(len(header), len(keys))
        columns = [[] for _ in range(n)]
        for j in range(n):
            if j < len(header) and header[j]:
                columns[j].append((str(header[j]), size, True))
            if data is not None and j < len(keys) and keys[j] in data:
                fmt = formats[j] if formats and j < len(formats) else None
                columns[j] += [(t, size, False) for t in _widest(data[keys[j]], fmt)]
    widths = column_widths(columns, lang=lang, min_width=min_width, max_width=max_width)
    if floor:
        widths = [max(w, f) if j < len(floor) else w for j, (w, f) in
                  enumerate(zip(widths, list(floor) + [0.0] * (len(widths) - len(floor))))]
    for j, w in enumerate(widths, 1):
        target.column_dimensions[get_column_letter(j)].width = w
    return widths


def column_after(ws, first: int, length_cm: float, *, gap_cm: float = 0.3) -> int:
    """The first column (1-based) that starts at least ``length_cm`` + ``gap_cm`` after the left
    edge of column ``first``, by the sheet's column widths (unset: 8.43): where a second chart goes
    so that it does not overlap one of that width anchored at ``first`` (widths from content change
    where columns start). A column ``w`` characters wide is ``w * 7 + 5`` px at 96 dpi."""
    need_px = (length_cm + gap_cm) / 2.54 * 96
    px, col = 0.0, first
    while px < need_px:
        w = ws.column_dimensions[get_column_letter(col)].width or 8.43
        px += w * _DIGIT_PX + 5
        col += 1
    return col


def calibrate() -> dict[str, Any]:
    """Measure the stored metrics again with Pillow (Raqm layout) and the Noto fonts (where both are
    installed): ``{"latin": [...], "latin_bold": [...], "fa": (...), "ar": (...)}``."""
    import subprocess

    from PIL import ImageFont

    from .i18n import STRINGS

    def path(family: str) -> str:
        return subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True,
                              check=True).stdout

    out: dict[str, Any] = {}
    for key, family in (("latin", "Noto Sans"), ("latin_bold", "Noto Sans:bold")):
        f = ImageFont.truetype(path(family), 1000, layout_engine=ImageFont.Layout.RAQM)
        out[key] = [round(f.getlength(chr(c))) for c in range(32, 127)]
    for lang, family in (("fa", "Noto Sans Arabic"), ("ar", "Noto Naskh Arabic")):
        row = []
        for style in ("", ":bold"):
            f = ImageFont.truetype(path(family + style), 1000, layout_engine=ImageFont.Layout.RAQM)
            words = [w.strip() for text in STRINGS[lang].values() if isinstance(text, str)
                     for w in re.findall(r"[\u0600-\u06FF\u200c ]+", text) if len(w.strip()) >= 6]
            ratios = [f.getlength(w, direction="rtl", language=lang) / len(w) for w in words]
            row.append(round(float(np.percentile(ratios, 99))))
        for style in ("", ":bold"):
            f = ImageFont.truetype(path(family + style), 1000, layout_engine=ImageFont.Layout.RAQM)
            row.append(round(sum(f.getlength(d) for d in sorted(_NATIVE_DIGITS)) / len(_NATIVE_DIGITS)))
        out[lang] = tuple(row)
    tatweel = "\u0640"
    for lang, family in (("fa", "Noto Sans Arabic"), ("ar", "Noto Naskh Arabic")):
        for bold in (False, True):
            f = ImageFont.truetype(path(family + (":bold" if bold else "")), 1000, layout_engine=ImageFont.Layout.RAQM)
            t = f.getlength(tatweel, direction="rtl")
            out[(lang, bold)] = " ".join(
                f"{round(f.getlength(ch, direction='rtl'))},{round(f.getlength(ch + tatweel, direction='rtl') - t)},"
                f"{round(f.getlength(tatweel + ch + tatweel, direction='rtl') - 2 * t)},"
                f"{round(f.getlength(tatweel + ch, direction='rtl') - t)}" for ch in _LETTERS)
    return out


if __name__ == "__main__":
    print(calibrate())
