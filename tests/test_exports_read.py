"""The file-level reader of exports (xl_cskpi.exports.read), tested directly.

Every file is generated here in ``tmp_path``; workbooks are either written by openpyxl (as Excel
would write them) or as bare zip archives with hand-written SpreadsheetML (so that a defect is
exactly the one intended: the helpers of tests/test_hostile_files.py).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from xl_cskpi.exports import read
from xl_cskpi.exports.check import DataCheck, ExportError
from xl_cskpi.exports.read import check_zip, expand_paths, read_file

from test_hostile_files import write_csv, write_xlsx


def test_csv_index_is_the_file_row_and_blank_rows_are_dropped(tmp_path):
    # header = row 1; the blank line is row 3; Excel shows 'c' on row 4
    p = tmp_path / "a.csv"
    p.write_text("id,mrr\na,1\n,\nc,3\n", encoding="utf-8")
    df = read_file(p)
    assert list(df.columns) == ["id", "mrr"]
    assert list(df.index) == [2, 4]
    assert df.loc[4, "id"] == "c" and df.loc[4, "mrr"] == "3"  # CSV cells stay text


def test_workbook_index_is_the_sheet_row(tmp_path):
    # the header on sheet row 3 (two empty rows above): the data is on rows 4 and 6
    p = write_xlsx(tmp_path / "a.xlsx", [[], [], ["id", "mrr"], ["a", 1.0], [], ["c", 3.0]])
    df = read_file(p)
    assert list(df.columns) == ["id", "mrr"]
    assert list(df.index) == [4, 6]
    assert df.loc[6, "mrr"] == 3.0


def test_missing_file_and_folder_are_refused(tmp_path):
    with pytest.raises(ExportError, match="no such file"):
        read_file(tmp_path / "nope.csv")
    with pytest.raises(ExportError, match="is a folder"):
        read_file(tmp_path)


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --------------------------------------------------------------------------- issue 12 item 2: control characters

CONTROLS = {"NUL": "\x00", "SOH": "\x01", "BEL": "\x07", "VT": "\x0b", "FF": "\x0c", "ESC": "\x1b", "US": "\x1f"}


def test_control_characters_are_removed_and_each_cell_is_a_finding(tmp_path):
    # the NUL comes after the first 4 KiB (before them a NUL means a binary file, refused)
    rows = ["id,note"] + [f"c{i},{'x' * 60}" for i in range(100)]
    for k, (name, ch) in enumerate(CONTROLS.items()):
        rows.append(f"k{k},before{ch}after {name}")
    p = _csv(tmp_path / "tickets.csv", "\n".join(rows) + "\n")
    assert p.read_bytes().index(b"\x00") > 4096
    check = DataCheck()
    df = read_file(p, check)
    # rows 102.. (header = row 1, 100 plain rows = rows 2..101)
    for k, name in enumerate(CONTROLS):
        assert df.loc[102 + k, "note"] == f"beforeafter {name}"  # removed, not replaced
    found = [f for f in check if f.code == "control_characters"]
    assert len(found) == 1  # one finding for the column, with the count and the first rows
    f = found[0]
    assert (f.file, f.row, f.column, f.level) == (str(p), 102, "note", "warning")
    assert f.fields["count"] == 7 and f.fields["rows"] == [102, 103, 104, 105, 106]
    assert "7 cells" in f.message and "102, 103, 104, 105, 106, ..." in f.message


def test_a_cell_of_control_characters_only_becomes_blank_and_a_header_is_cleaned(tmp_path):
    p = _csv(tmp_path / "a.csv", "id,mrr\x07\na,\x01\x02\nb,5\n")
    check = DataCheck()
    df = read_file(p, check)
    assert list(df.columns) == ["id", "mrr"]
    assert df.loc[2, "mrr"] is None and df.loc[3, "mrr"] == "5"
    where = sorted((f.row, f.column) for f in check if f.code == "control_characters")
    assert where == [(1, "id"), (2, "mrr")]  # the header row, then the cell


def test_control_characters_in_a_workbook_are_removed_too(tmp_path):
    # Excel writes a control character in a cell as the escape _x0001_; calamine decodes it
    p = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["id", "note"])
    wb.active.append(["a", "one_x0001_two"])
    wb.save(p)
    check = DataCheck()
    df = read_file(p, check)
    assert df.loc[2, "note"] == "onetwo"
    assert [(f.row, f.column) for f in check if f.code == "control_characters"] == [(2, "note")]


def test_tab_newline_and_carriage_return_are_kept(tmp_path):
    p = _csv(tmp_path / "a.csv", 'id,note\na,"one\ttwo\r\nthree"\n')
    check = DataCheck()
    assert read_file(p, check).loc[2, "note"] == "one\ttwo\r\nthree"
    assert not [f for f in check if f.code == "control_characters"]


# --------------------------------------------------------------------------- issue 12 item 3: Excel's row limit


def test_the_row_limit_is_excels_sheet_less_the_header():
    # Microsoft, "Excel specifications and limits": 1,048,576 rows by 16,384 columns; 32,767 characters a cell
    assert read.MAX_DATA_ROWS == 1_048_576 - 1
    assert read.MAX_CELL_CHARS == 32_767
    assert read.EXCEL_COLUMNS == 16_384


def test_more_data_rows_than_a_sheet_holds_is_refused_naming_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_DATA_ROWS", 5)
    ok = _csv(tmp_path / "ok.csv", "id\n" + "".join(f"{i}\n" for i in range(5)) + "\n\n\n")  # blanks do not count
    assert len(read_file(ok)) == 5
    p = _csv(tmp_path / "big.csv", "id\n" + "".join(f"{i}\n" for i in range(6)))
    with pytest.raises(ExportError) as e:
        read_file(p)
    msg = str(e.value)
    assert "\n" not in msg and "big.csv" in msg and "6 data rows" in msg and "5 under the header" in msg


def test_a_real_csv_one_row_over_excels_limit_is_refused(tmp_path):
    # one real check at the real size: 1,048,576 data rows (a 1-column CSV, 7 MB)
    body = "\n".join(map(str, range(1_048_576)))
    p = _csv(tmp_path / "big.csv", "n\n" + body + "\n")
    with pytest.raises(ExportError, match=r"has 1,048,576 data rows; an Excel sheet holds 1,048,576 rows"):
        read_file(p)


# --------------------------------------------------------------------------- issue 12 item 4: encodings

ARABIC = ["حملة الربيع", "البحث - العلامة التجارية", "عميل شركة", "شکر", "کد مشتري"]  # ک: Persian keheh


def test_windows_1256_arabic_and_persian_is_read_whole(tmp_path):
    text = "campaign,leads\n" + "".join(f"{a},{i}\n" for i, a in enumerate(ARABIC))
    p = _csv(tmp_path / "a.csv", text, "cp1256")
    # 'شك' in Windows-1256 is D4 98, a well-formed UTF-8 pair by accident: still Windows-1256
    assert b"\xd4\x98" in p.read_bytes()
    check = DataCheck()
    assert read_file(p, check)["campaign"].tolist() == ARABIC
    assert [f.code for f in check] == ["encoding"]


def test_utf8_with_one_windows_1256_sequence_is_refused_naming_the_line(tmp_path):
    good = "campaign,leads\n" + "".join(f"{a},{i}\n" for i, a in enumerate(ARABIC))
    bad = good.encode("utf-8") + "سلام,9\n".encode("cp1256") + "آخر,10\n".encode("utf-8")
    p = tmp_path / "a.csv"
    p.write_bytes(bad)
    with pytest.raises(ExportError) as e:
        read_file(p)
    msg = str(e.value)
    assert "line 7" in msg and "UTF-8" in msg and "a.csv" in msg and "\n" not in msg
    # the old reader decoded the whole file as Windows-1256: mojibake ('ط­ظ…ظ„ط©' for 'حملة')
    assert "ط­ظ…ظ„ط©" in bad.decode("cp1256") and "حملة" not in bad.decode("cp1256")


def test_latin1_text_is_not_taken_for_windows_1256(tmp_path):
    # 'España' in Windows-1252: ñ is F1, which Windows-1256 reads as an Arabic mark (mojibake)
    p = _csv(tmp_path / "a.csv", "country,n\nFrance,1\nEspaña,2\n", "cp1252")
    with pytest.raises(ExportError, match="line 3 holds byte 0xF1"):
        read_file(p)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_utf8_and_utf16_are_read_as_written(tmp_path, encoding):
    text = "campaign\tleads\n" + "".join(f"{a}\t{i}\n" for i, a in enumerate(ARABIC))
    check = DataCheck()
    assert read_file(_csv(tmp_path / "a.csv", text, encoding), check)["campaign"].tolist() == ARABIC
    assert not [f for f in check if f.code == "encoding"]
