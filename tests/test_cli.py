"""The command line: help with examples, exit codes, one-line errors."""

import subprocess
import sys

import pytest

from xl_cskpi.cli import COMMANDS, main


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(name, capsys):
    with pytest.raises(SystemExit) as e:
        main([name, "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out and f"xl-cskpi {name}" in out


def test_functions_lists_the_catalogue(capsys):
    assert main(["functions"]) == 0
    out = capsys.readouterr().out
    assert "CHURN_RATE(customers_start, customers_lost)" in out


def test_bad_input_is_one_line_and_status_2():
    r = subprocess.run([sys.executable, "-m", "xl_cskpi", "functions", "--category", "nope"],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


# --------------------------------------------------------------------------- templates, report, demo

from pathlib import Path  # noqa: E402

from openpyxl import load_workbook  # noqa: E402

SAMPLES = Path(__file__).parent / "data" / "sample_exports"


def _run(*args):
    return subprocess.run([sys.executable, "-m", "xl_cskpi", *map(str, args)], capture_output=True, text=True)


def test_report_with_missing_columns_exits_2_with_one_line_naming_them(tmp_path):
    bad = tmp_path / "months.csv"
    bad.write_text("month,customers_start,surprise\n2024-01-01,100,1\n", encoding="utf-8")
    r = _run("report", "churn_retention", "--data", bad, "-o", tmp_path / "out.xlsx")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "missing columns customers_new, customers_lost, customers_end, renewals_due, renewals" in r.stderr
    assert "unexpected columns surprise" in r.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_report_values_has_numbers_and_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "retention.xlsx"
    r = _run("report", "churn_retention", "--data", SAMPLES / "months.csv", "-o", out, "--values")
    assert r.returncode == 0, r.stderr
    dash = load_workbook(out)["Dashboard"]
    # months.csv, December: 4.2 % churn (customers_lost / customers_start of the last row)
    assert isinstance(dash["B5"].value, float) and 0 < dash["B5"].value < 0.1
    assert "Customer churn rate" in r.stdout
    before = out.read_bytes()
    r = _run("report", "churn_retention", "--data", SAMPLES / "months.csv", "-o", out)
    assert r.returncode == 2 and "--force" in r.stderr and r.stderr.count("\n") == 1
    assert out.read_bytes() == before
    r = _run("report", "churn_retention", "--data", SAMPLES / "months.csv", "-o", out, "--force")
    assert r.returncode == 0, r.stderr
    assert load_workbook(out)["Dashboard"]["B5"].value.startswith("=CHURN_RATE(")


def test_report_never_writes_to_an_input(tmp_path):
    data = tmp_path / "months.xlsx"
    data.write_bytes(b"not really a workbook")
    r = _run("report", "churn_retention", "--data", data, "-o", data, "--force")
    assert r.returncode == 2 and "input" in r.stderr
    assert data.read_bytes() == b"not really a workbook"


def test_report_from_a_template_file_keeps_its_targets(tmp_path):
    from xl_cskpi.reports import reports
    from xl_cskpi.reports.builder import build

    tpl = tmp_path / "mine.xlsx"
    build(reports()["churn_retention"], tpl, settings={"target_churn": 0.05})
    out = tmp_path / "out.xlsx"
    r = _run("report", tpl, "--data", SAMPLES / "months.csv", "-o", out, "--values")
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out)
    assert wb["Settings"]["B2"].value == 0.05


def test_report_unknown_template_and_missing_file_are_one_line(tmp_path):
    r = _run("report", "nope", "--data", SAMPLES / "months.csv", "-o", tmp_path / "o.xlsx")
    assert r.returncode == 2 and "churn_retention" in r.stderr and r.stderr.count("\n") == 1
    r = _run("report", "churn_retention", "--data", tmp_path / "absent.csv", "-o", tmp_path / "o.xlsx")
    assert r.returncode == 2 and "no such file" in r.stderr and r.stderr.count("\n") == 1


def test_templates_command_writes_the_committed_files(tmp_path):
    r = _run("templates", "-o", tmp_path, "--only", "revenue", "funnel")
    assert r.returncode == 0, r.stderr
    for k in ("revenue", "funnel"):
        assert (tmp_path / f"{k}.xlsx").read_bytes() == (Path(__file__).parents[1] / "workbook_templates"
                                                        / f"{k}.xlsx").read_bytes()


def test_demo_writes_every_report_in_both_forms_and_prints_headlines(tmp_path):
    from xl_cskpi.reports import ORDER

    r = _run("demo", "-o", tmp_path)
    assert r.returncode == 0, r.stderr
    for k in ORDER:
        assert (tmp_path / f"{k}.xlsx").exists() and (tmp_path / f"{k}.values.xlsx").exists()
    assert len(list((tmp_path / "exports").glob("*.csv"))) == 10
    assert "Net Promoter Score (NPS)" in r.stdout and "Net revenue retention (NRR)" in r.stdout
    assert "..." in r.stderr   # progress lines
    first = {p.name: p.read_bytes() for p in tmp_path.glob("*.xlsx")}
    r = _run("demo", "-o", tmp_path)
    assert r.returncode == 0
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.xlsx")} == first   # deterministic
