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
import pytest

from xl_cskpi.exports import archive, read  # limits of archives and sheets are read (and patched) in archive
from xl_cskpi.exports.check import DataCheck, ExportError
from xl_cskpi.exports.read import check_zip, expand_paths, read_file

from test_hostile_files import raw_zip as _raw_zip
from test_hostile_files import write_xlsx


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
    with pytest.raises(ExportError, match="is not a regular file"):
        read_file("/dev/zero")  # would never end


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
    assert where == [(1, "mrr"), (2, "mrr")]  # the header row, then the cell


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

# ک in the last two: Persian keheh (Windows-1256 98)
ARABIC = ["حملة الربيع", "البحث - العلامة التجارية", "عميل شركة", "شکر", "کد مشتري"]


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


# --------------------------------------------------------------------------- issue 12 item 5: zip bombs


def _workbook_parts(tmp_path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(write_xlsx(tmp_path / "base.xlsx", [["id", "mrr"], ["a", 1.0]])) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def test_forty_decoy_sheets_are_refused_from_the_table_of_contents(tmp_path):
    # issue 12: 40 decoys each inflating to 62 MB (each under the 64 MiB part limit), 2.4 GB in all
    decoy = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<sheetData>" + b" " * 62_000_000 + b"</sheetData></worksheet>")
    parts = _workbook_parts(tmp_path) + [("xl/worksheets/decoy0.xml", decoy)]
    p = _raw_zip(tmp_path / "decoys.xlsx", parts,
                 {f"xl/worksheets/decoy{i}.xml": "xl/worksheets/decoy0.xml" for i in range(1, 40)})
    assert p.stat().st_size < 5_000_000
    with zipfile.ZipFile(p) as z:
        sizes = [i.file_size for i in z.infolist()]
    assert max(sizes) < read.MAX_PART_BYTES and sum(sizes) > 2_400_000_000  # the old per-part check passed it
    with pytest.raises(ExportError) as e:
        check_zip(p)
    msg = str(e.value)
    assert "decoys.xlsx" in msg and "zip bomb" in msg and "1,024 MiB" in msg and "\n" not in msg
    with pytest.raises(ExportError, match="zip bomb"):
        read_file(p)


def test_the_whole_archive_ratio_is_bounded_not_only_each_part(tmp_path, monkeypatch):
    # 40 parts of 1 MiB of spaces (about 1000:1): each under a 4 MiB part limit, 40 MiB in all
    monkeypatch.setattr(archive, "MAX_PART_BYTES", 4 << 20)
    pad = [(f"xl/worksheets/pad{i}.xml", b" " * (1 << 20)) for i in range(40)]
    p = _raw_zip(tmp_path / "pads.xlsx", _workbook_parts(tmp_path) + pad)
    with pytest.raises(ExportError, match=r"40 MiB"):
        check_zip(p)
    few = _raw_zip(tmp_path / "few.xlsx", _workbook_parts(tmp_path) + pad[:3])  # 3 MiB in all: fine
    check_zip(few)


def test_too_many_parts_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_PARTS", 8)
    parts = _workbook_parts(tmp_path) + [(f"x/{i}", b"") for i in range(8)]
    with pytest.raises(ExportError, match=r"holds 13 parts"):
        check_zip(_raw_zip(tmp_path / "many.xlsx", parts))


def test_a_zip_that_is_no_workbook_and_a_file_that_is_no_zip(tmp_path):
    with pytest.raises(ExportError, match="not a workbook"):
        check_zip(_raw_zip(tmp_path / "a.xlsx", [("hello.txt", b"hi")]))
    (tmp_path / "b.xlsx").write_bytes(b"id,mrr\n")
    with pytest.raises(ExportError, match="not a readable workbook"):
        check_zip(tmp_path / "b.xlsx")


# --------------------------------------------------------------------------- issue 12 item 9: absurd sheet extents


def _stray(tmp_path: Path, name: str, xml: bytes, *, prolog: str = "") -> Path:
    """The month rows of a tiny export, then ``xml`` (stray rows) in the same sheet."""
    return write_xlsx(tmp_path / name, [["id", "mrr"], ["a", 1.0], ["b", 2.0]], extra=xml, prolog=prolog)


def test_references_are_read_from_the_bytes():
    # hand-computed: AA = 27, XFD = 16,384; a row element's r="99" is no cell
    assert read._references(b'<c r="B3"><c r="AA10"/><row r="99"><c r="C7"><c r="Z123">') == (123, 27)
    assert read._references(b'<row r="5" spans="1:2">') == (0, 0)
    assert read._references(b'<x:c r="XFD1048576" t="n">') == (1_048_576, 16_384)
    # text that looks like a reference is no cell: between a '>' and a '<'
    assert read._references(b'<c r="B2" t="inlineStr"><is><t>see r="XFD9999"</t></is></c>', precise=True) == (2, 2)


def test_a_cell_at_xfd100000_is_refused_before_calamine_reads_it(tmp_path):
    # calamine would hold 16,384 x 100,000 cells: the process aborts (a Rust panic, exit 134) and
    # XFD4000 takes 2.6 GB; run in a child so a regression cannot take the test run down with it
    import subprocess
    import sys

    files = [_stray(tmp_path, f"x{r}.xlsx", f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>'.encode())
             for r in (100_000, 4_000)]
    assert all(f.stat().st_size < 3_000 for f in files)
    child = ("import sys\nfrom xl_cskpi.exports.read import read_file\nfrom xl_cskpi.exports.check import ExportError\n"
             "for p in sys.argv[1:]:\n    try:\n        read_file(p)\n        print('read', p)\n"
             "    except ExportError as e:\n        print(e)\n")
    done = subprocess.run([sys.executable, "-c", child, *map(str, files)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    for line, r in zip(lines, (100_000, 4_000)):
        assert f"x{r}.xlsx" in line and "sheet 'Data'" in line and f"A1:XFD{r}" in line
        assert "the limit is 16,777,216" in line


def test_a_far_cell_listed_first_is_found(tmp_path):
    # references out of order: a reader that looked at the last cell only would miss it
    rows = [["id", "mrr"], ["a", 1.0]]
    p = write_xlsx(tmp_path / "a.xlsx", rows)
    with zipfile.ZipFile(p) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b'<row r="1">', b'<row r="1"><c r="ZZ90000"><v>1</v></c>', 1)
    with pytest.raises(ExportError, match=r"A1:ZZ90000"):
        read_file(_raw_zip(tmp_path / "b.xlsx", list(parts.items())))


def test_a_cell_or_a_declared_range_past_excels_grid_is_refused(tmp_path):
    p = _stray(tmp_path, "row.xlsx", b'<row r="2000000"><c r="A2000000"><v>1</v></c></row>')
    with pytest.raises(ExportError, match=r"past Excel's last cell XFD1048576 \(row 2,000,000"):
        read_file(p)
    q = write_xlsx(tmp_path / "dim.xlsx", [["id", "mrr"], ["a", 1.0]])
    with zipfile.ZipFile(q) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"<sheetData>", b'<dimension ref="A1:XFE5"/><sheetData>')
    with pytest.raises(ExportError, match=r"declares the range A1:XFE5"):
        read_file(_raw_zip(tmp_path / "dim2.xlsx", list(parts.items())))


def test_the_cell_limit_is_the_used_range_from_a1(tmp_path, monkeypatch):
    # A1:B3 = 6 cells (hand count): read at a limit of 6, refused at 5
    p = write_xlsx(tmp_path / "a.xlsx", [["id", "mrr"], ["a", 1.0], ["b", 2.0]])
    monkeypatch.setattr(archive, "MAX_SHEET_CELLS", 6)
    assert len(read_file(p)) == 2
    monkeypatch.setattr(archive, "MAX_SHEET_CELLS", 5)
    with pytest.raises(ExportError, match=r"A1:B3, 6 cells; the limit is 5"):
        read_file(p)


# --------------------------------------------------------------------------- issue 12 item 10: nothing blanked


def test_csv_cells_stay_the_text_they_are(tmp_path):
    # the old pipeline made inf, 1e999 and a 400-digit number empty cells; the raw frame keeps the
    # text for the column's reader (cells.number_column) to name
    big = "9" * 400
    p = _csv(tmp_path / "a.csv", f"id,mrr\na,inf\nb,1e999\nc,{big}\nd,nan\ne,-inf\nf,0012\n")
    df = read_file(p)
    assert df["mrr"].tolist() == ["inf", "1e999", big, "nan", "-inf", "0012"]
    assert all(type(v) is str for v in df["mrr"])


def test_workbook_values_keep_their_kind(tmp_path):
    # an .xlsx as Excel writes it: an error cell, logicals, a time, a duration, a date
    p = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ticket", "score", "paid", "solved_at", "handle_time", "opened"])
    ws.append(["t1", "#DIV/0!", True, dt.time(13, 30), dt.timedelta(hours=30), dt.datetime(2024, 1, 2, 3, 4)])
    ws["B2"].data_type = "e"
    ws["E2"].number_format = "[h]:mm:ss"
    ws.append(["t2", "#N/A", False, dt.time(0, 5), dt.timedelta(minutes=90), dt.datetime(2024, 1, 3)])
    ws["B3"].data_type = "e"
    ws["E3"].number_format = "[h]:mm"
    wb.save(p)
    check = DataCheck()
    df = read_file(p, check)
    score = df["score"].tolist()
    assert score == ["#DIV/0!", "#N/A"] and all(isinstance(v, read.ErrorCell) for v in score)
    assert df["paid"].tolist() == [True, False] and all(type(v) is bool for v in df["paid"])
    assert df["solved_at"].tolist() == [dt.time(13, 30), dt.time(0, 5)]
    assert df["handle_time"].tolist() == [dt.timedelta(hours=30), dt.timedelta(minutes=90)]
    assert df.loc[2, "opened"] == dt.datetime(2024, 1, 2, 3, 4)
    (f,) = [f for f in check if f.code == "error_cells"]
    assert (f.row, f.column, f.level, f.fields["count"]) == (2, "score", "warning", 2)
    assert "#DIV/0!" in f.message and "#N/A" in f.message


def test_a_10_mb_text_cell_is_cut_to_excels_limit_and_said(tmp_path):
    p = _csv(tmp_path / "a.csv", "id,note\na,short\nb," + "x" * 10_000_000 + "\n")
    check = DataCheck()
    df = read_file(p, check)
    assert len(df.loc[3, "note"]) == 32_767 and df.loc[2, "note"] == "short"
    (f,) = [f for f in check if f.code == "cell_too_long"]
    assert (f.row, f.column, f.fields["longest"]) == (3, "note", 10_000_000)
    assert "32,767" in f.message and "10,000,000" in f.message


def test_a_long_cell_in_a_workbook_is_cut_and_said(tmp_path):
    p = write_xlsx(tmp_path / "a.xlsx", [["id", "note"], ["a", "y" * 40_000], ["b", "ok"]])
    check = DataCheck()
    df = read_file(p, check)
    assert len(df.loc[2, "note"]) == 32_767
    assert [(f.code, f.row) for f in check] == [("cell_too_long", 2)]


# --------------------------------------------------------------------------- issue 12 item 7: the sheet with the data


def test_the_first_sheet_with_a_header_row_is_read_and_the_skipped_ones_are_named(tmp_path):
    p = tmp_path / "export.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Cover"
    wb.active["A1"] = "Subscriptions export, September"
    data = wb.create_sheet("Data")
    data.append(["customer_id", "mrr"])
    data.append(["c1", 10.0])
    wb.save(p)
    check = DataCheck()
    df = read_file(p, check)
    assert list(df.columns) == ["customer_id", "mrr"] and df.loc[2, "mrr"] == 10.0
    assert df.attrs["sheet"] == "Data"
    (f,) = list(check)
    assert f.code == "sheet_chosen" and "'Data'" in f.message and "'Cover'" in f.message


def test_no_sheet_with_a_header_row_names_the_sheets_looked_at(tmp_path):
    p = tmp_path / "export.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Cover"
    wb.active["A1"] = "Report"
    nums = wb.create_sheet("Numbers")
    nums.append([1, 2, 3])
    wb.create_sheet("Empty")
    wb.save(p)
    with pytest.raises(ExportError) as e:
        read_file(p)
    msg = str(e.value)
    assert "no sheet starts with a header row" in msg and "separate" not in msg
    assert "'Cover' (one cell, 'Report')" in msg and "'Numbers'" in msg and "'Empty' (empty)" in msg


# --------------------------------------------------------------------------- --data: files, folders, globs


def _touch(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        (folder / n).write_text("id\n1\n", encoding="utf-8")


def test_a_folder_is_its_exports_sorted(tmp_path):
    d = tmp_path / "exports"
    _touch(d, "b.csv", "a.xlsx", "c.ods", "d.XLSM", "notes.txt", ".hidden.csv", "~$a.xlsx")
    _touch(d / "sub", "deep.csv")
    check = DataCheck()
    assert [p.name for p in expand_paths([str(d)], check)] == ["a.xlsx", "b.csv", "c.ods", "d.XLSM"]
    assert [f.code for f in check] == ["folder"]


def test_a_glob_is_expanded_sorted_and_lock_files_skipped(tmp_path):
    d = tmp_path / "exports"
    _touch(d, "tickets_2.csv", "tickets_1.csv", "~$tickets_3.csv", "tickets.md")
    check = DataCheck()
    got = expand_paths([str(d / "*tickets*")], check)
    assert [p.name for p in got] == ["tickets_1.csv", "tickets_2.csv"]
    assert sorted(Path(f.file).name for f in check if f.code == "path_skipped") == ["tickets.md", "~$tickets_3.csv"]


def test_files_folders_and_globs_mix_and_each_file_comes_once(tmp_path):
    d = tmp_path / "exports"
    _touch(d, "a.csv", "b.csv")
    got = expand_paths([str(d / "b.csv"), str(d), str(d / "*.csv")])
    assert [p.name for p in got] == ["b.csv", "a.csv"]


@pytest.mark.parametrize("item,message", [("nope.csv", "no such file or folder"),
                                          ("*.csv", "matches no export file"),
                                          ("empty", "holds no .csv, .xlsx, .xlsm or .ods file")])
def test_a_missing_file_an_empty_folder_or_a_glob_matching_nothing_is_named(tmp_path, item, message):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ExportError) as e:
        expand_paths([str(tmp_path / item)])
    assert str(e.value).startswith(str(tmp_path / item) + ": ") and message in str(e.value)


def test_security_md_states_the_limits_the_code_enforces():
    text = (Path(__file__).parent.parent / "SECURITY.md").read_text(encoding="utf-8")
    for number in (f"{read.MAX_DATA_ROWS:,}", f"{read.EXCEL_ROWS:,}", f"{read.MAX_CELL_CHARS:,}",
                   f"{read.MAX_SHEET_CELLS:,}", f"{read.MAX_ODS_CELLS:,}", f"{read.MAX_PART_BYTES >> 20} MiB",
                   f"{read.MAX_TOTAL_BYTES >> 30} GiB", f"{read.MAX_RATIO} times", f"{read.MAX_PARTS:,} parts"):
        assert number in text, number


def _ods(path: Path, rows_xml: str) -> Path:
    """A bare OpenDocument spreadsheet with one table 'Data' holding ``rows_xml``."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
               'office:version="1.2"><office:body>'
               '<office:spreadsheet><table:table table:name="Data">' + rows_xml +
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                   '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    return path


def _ods_cell(v: str, repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell{rep} office:value-type="string"><text:p>{v}</text:p></table:table-cell>'


def test_an_ods_cell_repeated_over_an_absurd_range_is_refused(tmp_path):
    # one text cell repeated over 10,000 rows x 1,000 columns: 10 million cells (calamine: 1.2 GB, 9 s)
    header = "<table:table-row>" + _ods_cell("id") + _ods_cell("mrr") + "</table:table-row>"
    bomb = _ods(tmp_path / "a.ods", header + '<table:table-row table:number-rows-repeated="10000">'
                + _ods_cell("x", 1000) + "</table:table-row>")
    assert bomb.stat().st_size < 2_000
    with pytest.raises(ExportError, match=r"sheet 'Data' .*A1:ALL10001, 10,001,000 cells; the limit is 4,194,304"):
        read_file(bomb)


def test_an_ods_padded_as_libreoffice_pads_it_is_read(tmp_path):
    # LibreOffice writes the unused rest of a sheet as repeated *empty* rows and cells: no cells
    empty_tail = '<table:table-cell table:number-columns-repeated="1022"/>'
    rows = ("<table:table-row>" + _ods_cell("id") + _ods_cell("mrr") + empty_tail + "</table:table-row>"
            + "<table:table-row>" + _ods_cell("a") + _ods_cell("1") + empty_tail + "</table:table-row>"
            + '<table:table-row table:number-rows-repeated="1048574">'
              '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    df = read_file(_ods(tmp_path / "a.ods", rows))
    assert df.shape == (1, 2) and df.loc[2, "mrr"] == "1"


def test_error_cells_written_by_hand_keep_their_own_error(tmp_path):
    # a formula with its cached error, an error without a value, then a plain number: each its own
    p = write_xlsx(tmp_path / "a.xlsx", [["id", "mrr", "n"], ["a", 1.0, 2.0], ["b", 3.0, 4.0]])
    with zipfile.ZipFile(p) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    xml = xml.replace(b'<c r="B2"><v>1.0</v></c>', b'<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    xml = xml.replace(b'<c r="B3"><v>3.0</v></c>', b'<c r="B3" s="0" t="e"/>')
    assert xml.count(b't="e"') == 2
    parts["xl/worksheets/sheet1.xml"] = xml
    check = DataCheck()
    df = read_file(_raw_zip(tmp_path / "b.xlsx", list(parts.items())), check)
    assert df.loc[2, "mrr"] == "#DIV/0!" and isinstance(df.loc[2, "mrr"], read.ErrorCell)
    assert df.loc[3, "mrr"] == "#ERROR"  # an error cell that does not say which error
    assert df.loc[3, "n"] == 4.0 and df.loc[2, "n"] == 2.0


@pytest.mark.parametrize("a,b", [("Customer ID", "customer_id"), ("شناسه مشتری", "شناسه مشتري")])
def test_a_column_written_twice_is_refused(tmp_path, a, b):
    # the same header twice, in two spellings (case and spaces; Persian and Arabic yeh)
    p = _csv(tmp_path / "a.csv", f"{a},{b}\n1,2\n")
    with pytest.raises(ExportError, match="appears twice"):
        read_file(p)


def test_a_hidden_sheet_comes_after_the_visible_ones(tmp_path):
    p = tmp_path / "export.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "lookup"
    wb.active.append(["code", "label"])
    wb.active.append(["p", "pro"])
    wb.active.sheet_state = "hidden"
    data = wb.create_sheet("Data")
    data.append(["customer_id", "mrr"])
    data.append(["c1", 10.0])
    wb.active = 1
    wb.save(p)
    assert list(read_file(p).columns) == ["customer_id", "mrr"]


def test_a_header_with_a_control_character_is_named(tmp_path):
    p = _csv(tmp_path / "a.csv", "id,mrr,pl\x1ban\nA,1,x\n")
    check = DataCheck()
    assert list(read_file(p, check).columns) == ["id", "mrr", "plan"]
    (f,) = list(check)
    assert (f.row, f.column) == (1, "plan") and "'plan'" in f.message


def test_an_ods_error_cell_is_kept_not_blank(tmp_path):
    # how LibreOffice 7 writes =1/0 (calamine reads it as an empty cell)
    error = ('<table:table-cell table:formula="of:=1/0" office:value-type="string" office:string-value="" '
             'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>')
    rows = ("<table:table-row>" + _ods_cell("id") + _ods_cell("mrr") + "</table:table-row>"
            + "<table:table-row>" + _ods_cell("a") + error + "</table:table-row>"
            + "<table:table-row>" + _ods_cell("b") + _ods_cell("2") + "</table:table-row>")
    check = DataCheck()
    df = read_file(_ods(tmp_path / "a.ods", rows), check)
    assert df.loc[2, "mrr"] == "#DIV/0!" and isinstance(df.loc[2, "mrr"], read.ErrorCell)
    assert [(f.code, f.row, f.column) for f in check] == [("error_cells", 2, "mrr")]


@pytest.mark.parametrize("text,delimiter", [
    ("a;b;c\n1,5;2,5;3\n4,5;5;6\n", ";"),       # decimal commas inside semicolon cells
    ('a,b\n"1;2",3\n"4;5",6\n', ","),           # semicolons inside quoted comma cells
    ("a\tb\n1,000\t2\n3,000\t4\n", "\t"),
    ("a|b|c\nx|y|z\n", "|"),
    ("a:b\n1:2\n", ","),                          # none splits the header: one column (the mapping says so)
])
def test_the_delimiter_is_the_one_that_splits_header_and_rows_alike(text, delimiter):
    assert read._delimiter(text) == delimiter


def test_a_sample_that_made_csv_sniffer_take_30_seconds_is_read_at_once(tmp_path):
    # csv.Sniffer on 64 KiB of '",' took 30 s (quadratic regexes); the reader's own pass is linear
    p = _csv(tmp_path / "a.csv", "id,note\n" + '",' * 40_000 + "\n")
    with pytest.raises(ExportError, match="Expected 2 fields in line 2"):
        read_file(p)
    assert read._delimiter('",' * 32_768) == ","


def test_more_columns_than_a_sheet_holds_is_refused(tmp_path):
    p = _csv(tmp_path / "a.csv", ",".join(f"c{i}" for i in range(16_385)) + "\n" + "1," * 16_384 + "1\n")
    with pytest.raises(ExportError, match="has 16,385 columns; an Excel sheet holds 16,384"):
        read_file(p)


def test_text_that_looks_like_a_far_reference_does_not_refuse_the_sheet(tmp_path):
    # an inline text cell holding ' r="XFD90000"' (HTML or XML pasted into a ticket): no cell there
    p = write_xlsx(tmp_path / "a.xlsx", [["id", "note"], ["a", 'see <td r="XFD90000">']])
    with zipfile.ZipFile(p) as z:
        assert b' r="XFD90000"' in z.read("xl/worksheets/sheet1.xml").replace(b"&lt;", b"<").replace(b"&quot;", b'"')
    assert read_file(p).loc[2, "note"] == 'see <td r="XFD90000">'


def test_a_duration_too_large_for_python_names_its_row(tmp_path):
    # 10**12 days formatted [h]:mm:ss: calamine's timedelta overflows (Excel shows ####)
    p = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ticket", "handle_time"])
    ws.append(["t1", 0.5])
    ws.append(["t2", 1e12])
    ws["B3"].number_format = "[h]:mm:ss"
    wb.save(p)
    with pytest.raises(ExportError, match=r"sheet 'Sheet', row 3: a date- or time-formatted cell holds a number too large"):
        read_file(p)


def test_a_quoted_cell_with_line_breaks_is_one_row_as_excel_shows_it(tmp_path):
    p = _csv(tmp_path / "a.csv", 'id,note\na,"two\nlines"\nb,x\n')
    assert list(read_file(p).index) == [2, 3]


def test_many_sheet_names_on_one_part_cannot_multiply_the_inflation(tmp_path, monkeypatch):
    # 30 sheets of workbook.xml all point at one part with no header row: each look inflates it
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 20_000)
    filler = b'<row r="1"><c r="A1" t="inlineStr"><is><t>title</t></is></c></row>' + b" " * 1000
    p = write_xlsx(tmp_path / "a.xlsx", [["title"]], extra=filler)
    with zipfile.ZipFile(p) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheets = "".join(f'<sheet name="S{i}" sheetId="{i + 1}" r:id="rId1"/>' for i in range(30))
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'<sheet name="Data" sheetId="1" r:id="rId1"/>', sheets.encode())
    with pytest.raises(ExportError, match=r"without finding a header row; refusing to inflate more"):
        read_file(_raw_zip(tmp_path / "b.xlsx", list(parts.items())))
