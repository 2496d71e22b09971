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
