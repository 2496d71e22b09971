"""A folder holding every export a team has feeds every report: each report takes the files that fit
its tables and names the others as another report's exports (info), never an error.

Found by trying it as a user would: `xl-cskpi report revenue --data xl_cskpi_demo/exports` stopped on
finance.csv ("looks like an export for table Subscriptions, but has no column for customer_id").
"""

from __future__ import annotations

import pytest

from xl_cskpi import sample
from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.fill import load_data


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    sample.write_csv(sample.generate(), out)
    return out


@pytest.mark.parametrize("key", sorted(reports()))
def test_every_report_runs_from_a_folder_of_every_export(folder, key):
    report = reports()[key]
    data, check = load_data(report, [folder], ReadOptions())
    # every table of the report is fed by its own sample export (the demo writes one per table)
    assert sorted(data) == sorted(tb.name for tb in report.tables)
    assert not [f for f in check if f.code == "file_skipped"], check.lines()
    others = [f for f in check if f.code == "file_other_table"]
    assert others and all(f.level == "info" and f.table not in data for f in others)
    # the files that were used are exactly the ones named after the report's tables
    used = {f.file for f in check if f.code == "rows_read"}
    assert len(used) == len(report.tables)


def test_a_file_that_fits_nothing_is_still_a_warning(folder, tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    data, check = load_data(reports()["revenue"], [folder, tmp_path / "notes.csv"], ReadOptions())
    skipped = [f for f in check if f.code == "file_skipped"]
    assert [f.file for f in skipped] == [str(tmp_path / "notes.csv")] and skipped[0].level == "warning"
