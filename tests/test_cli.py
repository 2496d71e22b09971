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


def test_report_whose_files_fit_no_table_exits_2_with_one_line_naming_what_is_missing(tmp_path):
    # optional tables (issue 11): a file that fits no table is skipped, named; if nothing fits, exit 2
    bad = tmp_path / "months.csv"
    bad.write_text("month,customers_start,surprise\n2024-01-01,100,1\n", encoding="utf-8")
    r = _run("report", "churn_retention", "--data", bad, "-o", tmp_path / "out.xlsx")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "months.csv" in r.stderr and "customers_new" in r.stderr and "customers_lost" in r.stderr
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
    live = load_workbook(out)["Dashboard"]["B5"].value
    assert live.startswith("=") and "CHURN_RATE(" in live


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
    assert len(list((tmp_path / "exports").glob("*.csv"))) == 12   # customers.csv: the churn conventions; rates.csv: FX
    assert "Net Promoter Score (NPS)" in r.stdout and "Net revenue retention (NRR)" in r.stdout
    assert "..." in r.stderr   # progress lines
    first = {p.name: p.read_bytes() for p in tmp_path.glob("*.xlsx")}
    # a second demo into the same folder replaces nothing without --force (contract: every command
    # that writes), and with it writes the same bytes (deterministic)
    (tmp_path / "overview.xlsx").write_bytes(b"my notes")
    r = _run("demo", "-o", tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--force" in r.stderr, r.stderr
    assert "29 more files exist" in r.stderr   # 12 exports + 2 x 9 reports - the one named: all at once
    assert (tmp_path / "overview.xlsx").read_bytes() == b"my notes"
    r = _run("demo", "-o", tmp_path, "--force")
    assert r.returncode == 0, r.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.xlsx")} == first
    # the demo judges open tickets as `report` does on its own exports: as of the tickets' latest time
    # (session 6: the demo left sla_as_of blank and read 64.3 % and 100 % beside the report's 62.6 % and 97.4 %)
    rep = _run("report", "support_complaints", "--data", tmp_path / "exports" / "tickets.csv",
               tmp_path / "exports" / "complaints.csv", "-o", tmp_path / "sc.xlsx", "--values")
    assert rep.returncode == 0, rep.stderr
    sla = [ln.split()[-1] for ln in rep.stdout.splitlines() if "SLA compliance" in ln]
    assert len(sla) == 2 and sla == [ln.split()[-1] for ln in r.stdout.splitlines() if "SLA compliance" in ln]


# --------------------------------------------------------------------------- usage errors, --debug (issue 12, item 7)


@pytest.mark.parametrize("argv, says", [
    (["report", "churn_retention"], "the following arguments are required: --data, -o/--output"),
    (["report", "churn_retention", "--data", "x.csv", "-o", "o.xlsx", "--date-order", "dym"], "--date-order"),
    (["functions", "--nope"], "unrecognized arguments: --nope"),
    (["nope"], "invalid choice: 'nope'"),
    (["templates", "--lang", "de"], "invalid choice: 'de'"),
    ([], "give a command"),
])
def test_usage_errors_are_one_line_and_status_2(argv, says):
    r = _run(*argv)
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and "usage:" not in r.stderr, r.stderr
    assert says in r.stderr and "--help" in r.stderr


def test_debug_before_the_command_shows_the_traceback():
    # issue 12 item 7: the global flag shown in 'xl-cskpi --help' was reset by the command's parser
    for argv in (["--debug", "functions", "--category", "nope"], ["functions", "--debug", "--category", "nope"]):
        r = _run(*argv)
        assert "Traceback" in r.stderr and "UsageError: no category called 'nope'" in r.stderr, argv
    r = _run("functions", "--category", "nope")
    assert "Traceback" not in r.stderr and r.returncode == 2


def test_render_module_help_has_no_traceback():
    r = subprocess.run([sys.executable, "-m", "xl_cskpi.reports.render", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert "DEMO_DIR" in r.stdout and "example:" in r.stdout
    r = subprocess.run([sys.executable, "-m", "xl_cskpi.reports.render", "/nonexistent", "out"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "xl-cskpi demo" in r.stderr, r.stderr


# --------------------------------------------------------------------------- writers refuse to overwrite


def test_templates_refuse_to_overwrite_edited_templates_without_force(tmp_path):
    # issue 12 item 7: 'templates -o DIR' replaced the user's edited targets without a word
    r = _run("templates", "-o", tmp_path, "--only", "revenue", "funnel")
    assert r.returncode == 0, r.stderr
    mine = tmp_path / "funnel.xlsx"
    mine.write_bytes(b"my targets")
    r = _run("templates", "-o", tmp_path, "--only", "revenue", "funnel")
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "revenue.xlsx and 1 more file exist; use --force" in r.stderr
    assert mine.read_bytes() == b"my targets"
    r = _run("templates", "-o", tmp_path, "--only", "funnel", "--force")
    assert r.returncode == 0, r.stderr
    assert mine.read_bytes() == (Path(__file__).parents[1] / "workbook_templates" / "funnel.xlsx").read_bytes()


def test_templates_into_a_file_is_one_line_without_generator_noise(tmp_path):
    (tmp_path / "afile").write_text("x")
    r = _run("templates", "-o", tmp_path / "afile", "--only", "funnel")
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert f"{tmp_path / 'afile'} is a file, not a folder" in r.stderr
    assert "Exception ignored" not in r.stderr


def test_report_whose_folder_is_a_file_is_one_line_without_generator_noise(tmp_path):
    (tmp_path / "afile").write_text("x")
    r = _run("report", "churn_retention", "--data", SAMPLES / "months.csv", "-o", tmp_path / "afile" / "r.xlsx")
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "is a file, not a folder" in r.stderr and "Exception ignored" not in r.stderr


def test_two_reports_racing_for_one_new_output_one_wins_the_other_says_exists(tmp_path):
    # issue 12 item 6: both exited 0 and one silently replaced the other. Both pass the early check
    # (the name is free while they compute); the name is then given exclusively.
    out = tmp_path / "r.xlsx"
    cmd = [sys.executable, "-m", "xl_cskpi", "report", "churn_retention", "--data", str(SAMPLES / "months.csv"),
           "-o", str(out), "--values"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    loser = next(err for code, err in results if code == 2)
    lines = [ln for ln in loser.splitlines() if not ln.startswith("  ... ")]
    assert lines == [f"xl-cskpi report: {out} exists; use --force to replace it"], loser
    assert load_workbook(out)["Dashboard"]["B5"].value is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


def test_report_does_not_replace_a_file_created_while_it_computes(tmp_path, monkeypatch, capsys):
    import xl_cskpi.cli as cli

    out = tmp_path / "r.xlsx"
    real = cli._progress

    def meanwhile(msg):
        real(msg)
        if msg.startswith("computing") and not out.exists():
            out.write_bytes(b"written by another program")

    monkeypatch.setattr(cli, "_progress", meanwhile)
    code = main(["report", "churn_retention", "--data", str(SAMPLES / "months.csv"), "-o", str(out)])
    err = [ln for ln in capsys.readouterr().err.splitlines() if not ln.startswith("  ... ")]
    assert code == 2 and err == [f"xl-cskpi report: {out} exists; use --force to replace it"], err
    assert out.read_bytes() == b"written by another program"


# --------------------------------------------------------------------------- numbers as Excel shows them


@pytest.mark.parametrize("x, places, scale, shown", [
    (22.5, 0, 0, "23"),        # NPS 22.5: Excel shows 23; Python's round(22.5) is 22 (half to even)
    (-22.5, 0, 0, "-23"),      # away from zero, also below it
    (23.5, 0, 0, "24"),
    (0.125, 2, 0, "0.13"),     # exact binary half: Excel 0.13, f"{0.125:.2f}" is 0.12
    (2.675, 2, 0, "2.68"),     # binary 2.67499999...: Excel reads 15 digits, 2.675, shows 2.68
    (0.0645, 1, 2, "6.5"),     # a rate of 6.45 % in a 0.0% format
    (1234567.5, 0, 0, "1,234,568"),
    (-0.4, 0, 0, "0"),         # no "-0"
])
def test_excel_round_is_half_away_from_zero(x, places, scale, shown):
    from xl_cskpi.cli import excel_round

    assert f"{excel_round(x, places, scale=scale):,f}" == shown
    if (x, places) == (22.5, 0):
        assert round(x) == 22 and f"{x:.0f}" == "22"   # what the CLI printed before (issue 11)


def _responses(path: Path, scores: list, header: str = "nps_score") -> Path:
    lines = [f"submitted_at,{header}"] + [f"2024-03-{1 + i % 28:02d},{s}" for i, s in enumerate(scores)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


#: 40 answers: 15 promoters (9-10), 19 passives (7-8), 6 detractors (0-6): NPS = (15 - 6) / 40 x 100 = 22.5
NPS_22_5 = [10] * 8 + [9] * 7 + [8] * 10 + [7] * 9 + [6] * 3 + [0] * 3


def _kpi_row(stdout: str, name: str) -> str:
    return next(ln for ln in stdout.splitlines() if name in ln)


def test_report_prints_nps_as_excel_shows_it_and_absent_kpis_with_their_reason(tmp_path):
    data = _responses(tmp_path / "responses.csv", NPS_22_5)
    r = _run("report", "survey_scores", "--data", data, "-o", tmp_path / "s.xlsx", "--values")
    assert r.returncode == 0, r.stderr
    assert _kpi_row(r.stdout, "Net Promoter Score (NPS)").split()[-1] == "23"
    assert load_workbook(tmp_path / "s.xlsx")["Dashboard"]["B5"].value == pytest.approx(22.5)
    # n/a KPIs say why, not an error code (optional tables, issue 11)
    enps = _kpi_row(r.stdout, "Employee NPS (eNPS)")
    assert "n/a: no employee survey given" in enps and "#" not in enps


def test_report_prints_the_data_check_below_the_kpis_grouping_many_findings(tmp_path):
    # 30 answers of 11 (off the 0-10 scale) among 40: one warning per row found, 3 shown, the rest counted
    data = _responses(tmp_path / "responses.csv", [11] * 30 + [10] * 10)
    r = _run("report", "survey_scores", "--data", data, "-o", tmp_path / "s.xlsx")
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    start = out.index(next(ln for ln in out if ln.startswith("data check: ")))
    assert start > out.index(_kpi_row(r.stdout, "Net Promoter Score (NPS)"))
    assert "warning" in out[start] and "responses.csv" in r.stdout
    assert out[-1] == str(tmp_path / "s.xlsx")
    assert len(out) - start < 25, "the check is summarised, not one line per row"


def test_check_summary_groups_findings_by_kind():
    from xl_cskpi.cli import check_summary
    from xl_cskpi.exports.check import DataCheck

    check = DataCheck()
    check.info("rows_read", "40 rows read into Responses", file="r.csv")
    for row in range(2, 12):
        check.warn("out_of_range", "11 is off the 0-10 scale", file="r.csv", row=row, column="nps_score")
    lines = check_summary(check)
    assert lines[0] == "data check: 10 warnings, 1 note"
    assert sum("off the 0-10 scale" in ln for ln in lines) == 3
    assert "... and 7 more like these (out_of_range)" in lines[-1]
    assert check_summary(DataCheck()) == ["data check: nothing to report"]


def test_strict_writes_nothing_when_the_check_has_a_warning(tmp_path):
    data = _responses(tmp_path / "responses.csv", [11] + NPS_22_5)
    out = tmp_path / "s.xlsx"
    r = _run("report", "survey_scores", "--data", data, "-o", out, "--strict")
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("  ... ")]
    assert r.returncode == 2 and len(lines) == 1 and "--strict" in lines[0], r.stderr
    assert "data check:" in r.stdout
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["responses.csv"]


def test_strict_writes_the_report_when_the_check_is_clean(tmp_path):
    data = _responses(tmp_path / "responses.csv", NPS_22_5)
    out = tmp_path / "s.xlsx"
    r = _run("report", "survey_scores", "--data", data, "-o", out, "--strict", "--values")
    assert r.returncode == 0, r.stderr
    assert load_workbook(out)["Dashboard"]["B5"].value == pytest.approx(22.5)


def test_data_takes_folders_and_globs_and_names_files_it_skips(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    _responses(exports / "responses.csv", NPS_22_5)
    (exports / "notes.csv").write_text("what,who\nlunch,me\n", encoding="utf-8")
    for given in ([exports], [str(exports / "*.csv")]):
        out = tmp_path / "s.xlsx"
        r = _run("report", "survey_scores", "--data", *given, "-o", out, "--force")
        assert r.returncode == 0, r.stderr
        assert _kpi_row(r.stdout, "Net Promoter Score (NPS)").split()[-1] == "23"
        assert "notes.csv" in r.stdout   # named in the data check


def _two_score_columns(path: Path) -> Path:
    """An export with two 0-10 columns: 'nps_score' (another question, all 10) and 'Q7' (the NPS
    question, NPS_22_5): read by name, NPS is 100; the user points --map at Q7 for 22.5."""
    lines = ["submitted_at,nps_score,Q7"] + [f"2024-03-{1 + i % 28:02d},10,{s}" for i, s in enumerate(NPS_22_5)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_map_points_a_field_at_the_header_the_user_names(tmp_path):
    data = _two_score_columns(tmp_path / "survey.csv")
    r = _run("report", "survey_scores", "--data", data, "-o", tmp_path / "a.xlsx")
    assert r.returncode == 0 and _kpi_row(r.stdout, "Net Promoter Score (NPS)").split()[-1] == "100", r.stderr
    r = _run("report", "survey_scores", "--data", data, "-o", tmp_path / "b.xlsx", "--map", "nps_score=Q7")
    assert r.returncode == 0, r.stderr
    assert _kpi_row(r.stdout, "Net Promoter Score (NPS)").split()[-1] == "23"


def test_map_file_is_read(tmp_path):
    data = _two_score_columns(tmp_path / "survey.csv")
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\nnps_score = "Q7"\n', encoding="utf-8")
    r = _run("report", "survey_scores", "--data", data, "-o", tmp_path / "s.xlsx", "--map-file", mapping)
    assert r.returncode == 0, r.stderr
    assert _kpi_row(r.stdout, "Net Promoter Score (NPS)").split()[-1] == "23"


def test_bad_map_is_one_line(tmp_path):
    data = _responses(tmp_path / "responses.csv", NPS_22_5)
    r = _run("report", "survey_scores", "--data", data, "-o", tmp_path / "s.xlsx", "--map", "nps_score")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--map" in r.stderr, r.stderr
    r = _run("report", "survey_scores", "--data", data, "-o", tmp_path / "s.xlsx", "--map-file", tmp_path / "no.toml")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "no.toml" in r.stderr, r.stderr


# --------------------------------------------------------------------------- reading rules (issue 11)


def _sheet_rows(path: Path, sheet: str, n: int) -> list[list]:
    ws = load_workbook(path)[sheet]
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=n + 1)]


def test_ambiguous_text_dates_ask_for_date_order_and_are_read_by_it(tmp_path):
    # issue 11: '05/03/2024' became 3 May and '15/03/2024' 15 March in one column; now one rule per column
    import datetime as dt

    data = tmp_path / "responses.csv"
    data.write_text("submitted_at,nps_score\n05/03/2024,10\n06/03/2024,9\n07/04/2024,3\n", encoding="utf-8")
    r = _run("report", "survey_scores", "--data", data, "-o", tmp_path / "a.xlsx")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--date-order" in r.stderr, r.stderr
    assert not (tmp_path / "a.xlsx").exists()
    for order, first in (("dmy", dt.datetime(2024, 3, 5)), ("mdy", dt.datetime(2024, 5, 3))):
        out = tmp_path / f"{order}.xlsx"
        r = _run("report", "survey_scores", "--data", data, "-o", out, "--values", "--date-order", order)
        assert r.returncode == 0, r.stderr
        assert _sheet_rows(out, "Responses", 1)[0][0] == first


def test_calendar_option_reads_jalali_text_dates(tmp_path):
    import datetime as dt

    import jdatetime

    data = tmp_path / "responses.csv"
    data.write_text("submitted_at,nps_score\n1403/01/05,10\n1403/02/06,9\n", encoding="utf-8")
    out = tmp_path / "j.xlsx"
    r = _run("report", "survey_scores", "--data", data, "-o", out, "--values", "--calendar", "jalali")
    assert r.returncode == 0, r.stderr
    expected = [dt.datetime.combine(jdatetime.date(1403, m, d).togregorian(), dt.time()) for m, d in ((1, 5), (2, 6))]
    assert [row[0] for row in _sheet_rows(out, "Responses", 2)] == expected   # 2024-03-24, 2024-04-25


def test_decimal_comma_option_reads_decimal_comma_exports(tmp_path):
    data = tmp_path / "accounts.csv"
    data.write_text('customer_id,previous_mrr,current_mrr\na,"1.000,00","1.100,50"\nb,"500,00","0,00"\n',
                    encoding="utf-8")
    r = _run("report", "revenue", "--data", data, "-o", tmp_path / "r.xlsx", "--values")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "1.000,00" in r.stderr, r.stderr
    r = _run("report", "revenue", "--data", data, "-o", tmp_path / "r.xlsx", "--values", "--decimal", ",")
    assert r.returncode == 0, r.stderr
    assert [row[:3] for row in _sheet_rows(tmp_path / "r.xlsx", "Accounts", 2)] == [["a", 1000, 1100.5], ["b", 500, 0]]
    # hand figures: NRR = (1,100.50 + 0) / 1,500 = 73.37 %; GRR = (1,000 + 0) / 1,500 = 66.67 %;
    # expansion 100.50 shows 101 (Excel; Python's format gives 100: half to even)
    assert _kpi_row(r.stdout, "Net revenue retention (NRR)").split()[-1] == "73.4%"
    assert _kpi_row(r.stdout, "Gross revenue retention (GRR)").split()[-1] == "66.7%"
    assert _kpi_row(r.stdout, "Expansion MRR").split()[-1] == "101"


# --------------------------------------------------------------------------- inspect


def test_inspect_shows_what_each_file_feeds_ignores_and_misses(tmp_path):
    good = _responses(tmp_path / "responses.csv", NPS_22_5)
    bad = tmp_path / "months.csv"
    bad.write_text("month,customers_start,surprise\n2024-01-01,100,1\n", encoding="utf-8")
    r = _run("inspect", good, bad)
    assert r.returncode == 0, r.stderr
    block = r.stdout.split(str(bad))
    assert "Responses" in block[0] and "nps_score" in block[0]
    assert "surprise" in block[1] and "ignored" in block[1] and "customers_new" in block[1]


def test_inspect_with_map_and_report(tmp_path):
    data = _two_score_columns(tmp_path / "survey.csv")
    r = _run("inspect", data, "--report", "survey_scores")
    assert r.returncode == 0, r.stderr
    assert "ignored" in next(ln for ln in r.stdout.splitlines() if "Q7" in ln)
    r = _run("inspect", data, "--report", "survey_scores", "--map", "nps_score=Q7")
    assert r.returncode == 0, r.stderr
    assert "nps_score" in next(ln for ln in r.stdout.splitlines() if "Q7" in ln)
    r = _run("inspect", data, "--report", "nope")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "survey_scores" in r.stderr


def test_inspect_of_a_missing_file_exits_2(tmp_path):
    r = _run("inspect", tmp_path / "absent.csv")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "absent.csv" in r.stderr, r.stderr


def test_map_status_counts_a_crm_word_under_a_canonical_status(tmp_path):
    # hand count: 4 complaints; 'Waiting on L2' twice: unmapped (a warning, counted nowhere), then escalated
    data = tmp_path / "complaints.csv"
    data.write_text("complaint_id,received_at,category,status\nK1,2024-01-05,Billing,Waiting on L2\n"
                    "K2,2024-01-06,Billing,resolved\nK3,2024-01-07,Delivery,Waiting on L2\n"
                    "K4,2024-01-08,Delivery,pending\n", encoding="utf-8")
    r = _run("report", "support_complaints", "--data", data, "-o", tmp_path / "a.xlsx")
    assert r.returncode == 0, r.stderr
    assert _kpi_row(r.stdout, "Escalated").split()[-1] == "0" and "Waiting on L2" in r.stdout
    r = _run("report", "support_complaints", "--data", data, "-o", tmp_path / "b.xlsx", "--strict")
    assert r.returncode == 2 and not (tmp_path / "b.xlsx").exists()
    r = _run("report", "support_complaints", "--data", data, "-o", tmp_path / "b.xlsx", "--strict",
             "--map", "status.Waiting on L2=escalated")
    assert r.returncode == 0, r.stderr
    assert [_kpi_row(r.stdout, k).split()[-1] for k in ("Complaints", "Pending", "Escalated", "Resolved")] == \
        ["4", "1", "2", "1"]


# --------------------------------------------------------------------------- the test command (issue 12, item 8)

import os  # noqa: E402
import shutil  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ["libreoffice-calc-nogui", "python3-uno", "libreoffice-script-provider-python", "fonts-dejavu-core",
            "fonts-noto-core", "poppler-utils", "openjdk-17-jre-headless", "python3-venv"]

#: A stand-in for .venv/bin/python: logs pip and pytest calls; with --junitxml it reports one test
#: skipped (a test standing aside for a missing tool); '-c' runs the real Python.
_VENV_PYTHON = """#!/bin/bash
if [ "$1" = "-c" ]; then exec {python} "$@"; fi
echo "venv-python $*" >> "$LOG"
for a in "$@"; do case "$a" in --junitxml=*)
  echo '<testsuites><testsuite skipped="1"><testcase name="t"><skipped type="pytest.skip" message="no soffice"/></testcase></testsuite></testsuites>' > "${{a#--junitxml=}}";;
esac; done
exit 0
"""


def _machine(tmp_path: Path, *, root: bool, sudo: bool, installed: bool, apt: bool = True) -> tuple[Path, dict]:
    """A copy of scripts/test in an empty repository, on a PATH of stand-ins: dpkg, apt-get, sudo,
    id, python3 (-m venv makes the logging .venv/bin/python above), and, when ``installed``, the tools."""
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "test", repo / "scripts" / "test")
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for tool in ("bash", "grep", "dirname", "env", "mktemp", "rm", "cat", "mkdir", "chmod"):
        os.symlink(shutil.which(tool), bin_ / tool)

    def stub(name: str, body: str) -> None:
        (bin_ / name).write_text("#!/bin/bash\n" + body + "\n", encoding="utf-8")
        (bin_ / name).chmod(0o755)

    stub("id", f'echo {0 if root else 1000}')
    stub("dpkg", 'echo "Status: install ok installed"' if installed else "exit 1")
    if apt:
        stub("apt-get", 'echo "apt-get $*" >> "$LOG"')
    if sudo:
        stub("sudo", 'echo "sudo $1" >> "$LOG"; exec "$@"')
    if installed:
        for tool in ("soffice", "pdftoppm", "pdftotext"):
            stub(tool, "exit 0")
        stub("java", 'echo \'openjdk version "17.0.15" 2025-04-15\' >&2')
    venv_python = _VENV_PYTHON.format(python=sys.executable)
    stub("python3", f"""if [ "$1" = "-c" ]; then {'exit 0' if installed else 'exit 1'}; fi
if [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin"; cat > "$3/bin/python" <<'PY'
{venv_python}PY
chmod +x "$3/bin/python"; fi""")
    env = {"PATH": str(bin_), "LOG": str(tmp_path / "log"), "HOME": str(tmp_path)}
    return repo, env


def _script(repo: Path, env: dict, *args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    r = subprocess.run([shutil.which("bash"), str(repo / "scripts" / "test"), *args], env=env,
                       capture_output=True, text=True, timeout=60)
    log = Path(env["LOG"])
    return r, (log.read_text().splitlines() if log.exists() else [])


def test_readme_test_command_is_the_script_and_ci_runs_exactly_it():
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = re.search(r"```bash\n(.+?)\n```", readme.split("Run the tests", 1)[1], re.S).group(1).strip()
    assert command == "bash scripts/test"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'bash -c "$cmd"' in ci and "Run the tests" in ci and "export CI=true" in ci
    assert "apt-get" not in ci   # the README's command does the setting up, not CI behind its back


def test_test_script_installs_what_is_missing_as_root_then_runs_pytest(tmp_path):
    repo, env = _machine(tmp_path, root=True, sudo=False, installed=False)
    r, log = _script(repo, env, "-q", "tests/test_cli.py")
    assert r.returncode == 0, r.stderr
    apt = [ln for ln in log if ln.startswith("apt-get")]
    assert apt[0] == "apt-get update -qq" and len(apt) == 2   # one update
    assert apt[1].startswith("apt-get install -y") and apt[1].split()[-len(PACKAGES):] == PACKAGES
    venv = [ln for ln in log if ln.startswith("venv-python")]
    assert "pip install" in venv[0] and "-e .[test]" in venv[0]
    assert venv[1] == "venv-python -m pytest -q tests/test_cli.py"


def test_test_script_uses_sudo_when_not_root(tmp_path):
    repo, env = _machine(tmp_path, root=False, sudo=True, installed=False)
    r, log = _script(repo, env)
    assert r.returncode == 0, r.stderr
    assert log[:4] == ["sudo apt-get", "apt-get update -qq", "sudo env", log[3]] and log[3].startswith("apt-get install")


def test_test_script_without_root_or_sudo_stops_with_one_line(tmp_path):
    repo, env = _machine(tmp_path, root=False, sudo=False, installed=False)
    r, log = _script(repo, env)
    assert r.returncode == 1 and r.stderr.count("\n") == 1, r.stderr
    assert "run as root" in r.stderr and "apt-get install -y " + " ".join(PACKAGES) in r.stderr
    assert log == []


def test_test_script_without_apt_names_what_is_missing(tmp_path):
    repo, env = _machine(tmp_path, root=True, sudo=False, installed=False, apt=False)
    r, log = _script(repo, env)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "libreoffice-calc-nogui" in r.stderr, r.stderr


def test_test_script_installs_nothing_when_all_is_there(tmp_path):
    repo, env = _machine(tmp_path, root=False, sudo=False, installed=True)
    r, log = _script(repo, env)
    assert r.returncode == 0, r.stderr
    assert not any(ln.startswith(("apt-get", "sudo")) for ln in log)
    assert log[-1] == "venv-python -m pytest"


def test_test_script_installs_java_17_when_only_an_older_java_is_there(tmp_path):
    # Spark 4 (the engines' equivalence tests) needs Java 17 or newer
    repo, env = _machine(tmp_path, root=True, sudo=False, installed=True)
    (Path(env["PATH"]) / "java").write_text("#!/bin/bash\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n")
    r, log = _script(repo, env)
    assert r.returncode == 0, r.stderr
    assert [ln for ln in log if ln.startswith("apt-get install")][0].split()[-1] == "openjdk-17-jre-headless"


def test_test_script_in_ci_fails_when_a_test_is_skipped(tmp_path):
    repo, env = _machine(tmp_path, root=False, sudo=False, installed=True)
    r, _ = _script(repo, env)
    assert r.returncode == 0
    r, _ = _script(repo, {**env, "CI": "true"})
    assert r.returncode == 1 and "1 test(s) skipped" in r.stderr, r.stderr


def test_strict_refuses_a_kpi_error_found_only_by_computing(tmp_path):
    # the last month starts with 0 customers: CHURN_RATE and RETENTION_RATE are #DIV/0! (an error
    # finding the builder adds once the KPIs are computed): --strict computes first, writes nothing
    data = tmp_path / "months.csv"
    data.write_text("month,customers_start,customers_new,customers_lost,customers_end\n"
                    "2024-01-01,5,0,5,0\n2024-02-01,0,0,0,0\n", encoding="utf-8")   # (counts that add up)
    out = tmp_path / "m.xlsx"
    r = _run("report", "churn_retention", "--data", data, "-o", out, "--strict")
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("  ... ")]
    assert r.returncode == 2 and lines == ["xl-cskpi report: --strict: the data check has 2 errors (listed above); "
                                           "nothing written"], r.stderr
    assert "customers_start is 0" in r.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["months.csv"]
    r = _run("report", "churn_retention", "--data", data, "-o", out)
    assert r.returncode == 0 and out.exists()


def test_report_to_a_dangling_symlink_is_refused_before_any_work(tmp_path):
    link = tmp_path / "r.xlsx"
    link.symlink_to(tmp_path / "missing" / "target.xlsx")
    for force in ([], ["--force"]):
        r = _run("report", "churn_retention", "--data", SAMPLES / "months.csv", "-o", link, *force)
        assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr   # no progress lines: no work done
        assert "is a symbolic link to" in r.stderr and "which does not exist" in r.stderr
    assert link.is_symlink() and not (tmp_path / "missing").exists()


# --------------------------------------------------------------------------- lite, libreoffice (issue 13)


def test_lite_writes_main_py_and_requirements_and_refuses_to_overwrite(tmp_path):
    r = _run("lite", "-o", tmp_path)
    assert r.returncode == 0, r.stderr
    main_py = tmp_path / "main.py"
    compile(main_py.read_text(encoding="utf-8"), "main.py", "exec")
    assert (tmp_path / "requirements.txt").read_text(encoding="utf-8").strip()
    main_py.write_text("# my edits\n", encoding="utf-8")
    r = _run("lite", "-o", tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--force" in r.stderr
    assert main_py.read_text(encoding="utf-8") == "# my edits\n"
    r = _run("lite", "-o", tmp_path, "--wheel-url", "http://example.org/not-a-wheel")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "wheel" in r.stderr


def test_libreoffice_writes_the_extension_and_refuses_to_overwrite(tmp_path):
    import zipfile

    r = _run("libreoffice", "-o", tmp_path)
    assert r.returncode == 0, r.stderr
    oxt = tmp_path / "xl_cskpi.oxt"
    assert r.stdout.strip() == str(oxt) and zipfile.is_zipfile(oxt)
    assert "META-INF/manifest.xml" in zipfile.ZipFile(oxt).namelist()
    before = oxt.read_bytes()
    r = _run("libreoffice", "-o", tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--force" in r.stderr
    assert oxt.read_bytes() == before


# --------------------------------------------------------------------------- .xlsm wired to xlwings

def test_templates_excel_addin_writes_macro_enabled_workbooks_wired_to_xlwings(tmp_path, capsys):
    import zipfile

    assert main(["templates", "-o", str(tmp_path), "--excel-addin", "--only", "revenue", "survey_scores"]) == 0
    out = sorted(p.name for p in tmp_path.iterdir())
    assert out == ["revenue.xlsm", "survey_scores.xlsm"]
    with zipfile.ZipFile(tmp_path / "revenue.xlsm") as z:
        assert "xl/vbaProject.bin" in z.namelist()            # xlwings' own VBA project, kept
        types = z.read("[Content_Types].xml").decode()
        assert "sheet.macroEnabled.main+xml" in types          # Excel opens it as macro-enabled
    wb = load_workbook(tmp_path / "revenue.xlsm", keep_vba=True)
    conf = wb["xlwings.conf"]
    assert [[c.value for c in r] for r in conf.iter_rows()] == [["UDF Modules", "xl_cskpi.udfs"]]
    # a second run refuses to overwrite without --force, like every command that writes
    assert main(["templates", "-o", str(tmp_path), "--excel-addin", "--only", "revenue"]) == 2
    assert "exists" in capsys.readouterr().err


def test_report_fills_an_xlsm_template_into_an_xlsm(tmp_path, capsys):
    import zipfile

    assert main(["templates", "-o", str(tmp_path), "--excel-addin", "--only", "revenue"]) == 0
    data = Path(__file__).parent / "data" / "exports" / "stripe_subscriptions.csv"
    out = tmp_path / "revenue-filled.xlsm"
    assert main(["report", str(tmp_path / "revenue.xlsm"), "--data", str(data), "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        assert "xl/vbaProject.bin" in z.namelist()
    assert load_workbook(out, keep_vba=True)["xlwings.conf"]["B1"].value == "xl_cskpi.udfs"
    assert main(["report", "revenue", "--data", str(data), "-o", str(tmp_path / "r.csv")]) == 2
    assert ".xlsm" in capsys.readouterr().err


def test_compute_is_a_command_whose_table_equals_the_python_api(tmp_path, capsys):
    # issue 18: engine H's command, registered here; its table equals MRR_MOVEMENTS on the same rows
    import pandas as pd

    import xl_cskpi

    out = tmp_path / "movements.csv"
    assert main(["compute", "movements", "--data", str(SAMPLES / "subscriptions.csv"), "--engine", "pandas",
                 "-o", str(out), "--quiet"]) == 0
    got = pd.read_csv(out)
    rows = pd.read_csv(SAMPLES / "subscriptions.csv")
    want = xl_cskpi.mrr_movements(rows["customer_id"], rows["month"], rows["mrr"])
    assert len(got) == len(want)
    assert got["Ending MRR"].round(2).tolist() == want["Ending MRR"].round(2).tolist()
    assert main(["compute", "movements", "--data", str(SAMPLES / "subscriptions.csv"), "--engine", "nope",
                 "-o", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pandas, duckdb, spark" in err[0] and not (tmp_path / "x.csv").exists()


# --------------------------------------------------------------------------- --period (issue 14.1)

def _dashboard_row(path, label):
    ws = load_workbook(path)[load_workbook(path).sheetnames[1]]
    return next(r for r in ws.iter_rows(values_only=True) if r[0] == label)


@pytest.mark.parametrize("lang, period, calendar", [
    ("en", "2024-09", "gregorian"),
    ("fa", "شهریور ۱۴۰۳", "jalali"),      # Shahrivar 1403, Persian digits
    ("ar", "1446-02", "hijri"),           # Safar 1446 (Umm al-Qura)
])
def test_period_picks_the_month_in_the_reports_calendar(tmp_path, lang, period, calendar):
    import hijridate
    import jdatetime
    import pandas as pd

    from xl_cskpi.reports.i18n import translator

    months = pd.read_csv(SAMPLES / "months.csv", parse_dates=["Month"])

    def label(d):   # the month each row falls in, computed here with the calendar libraries
        d = d.date()
        if calendar == "jalali":
            j = jdatetime.date.fromgregorian(date=d)
            return f"{j.year:04d}-{j.month:02d}"
        if calendar == "hijri":
            h = hijridate.Gregorian(d.year, d.month, d.day).to_hijri()
            return f"{h.year:04d}-{h.month:02d}"
        return f"{d.year:04d}-{d.month:02d}"

    want = {"en": "2024-09", "fa": "1403-06", "ar": "1446-02"}[lang]
    i = [label(d) for d in months["Month"]].index(want)
    churn = months["Churned customers"][i] / months["Customers at start"][i]
    before = months["Churned customers"][i - 1] / months["Customers at start"][i - 1]
    out = tmp_path / f"churn.{lang}.xlsx"
    assert main(["report", "churn_retention", "--lang", lang, "--data", str(SAMPLES / "months.csv"), "-o", str(out),
                 "--values", "--period", period]) == 0
    row = _dashboard_row(out, translator(lang)("kpi.churn_rate"))
    ws = load_workbook(out).worksheets[1]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == translator(lang)("label.kpi"))
    previous = header.index(translator(lang)("label.previous"))   # after the value (and its interval)
    assert row[1] == pytest.approx(churn) and row[previous] == pytest.approx(before)
    wb = load_workbook(out)
    (title, cell), = wb.defined_names["report_period"].destinations
    assert wb[title][cell.replace("$", "")].value == want


def test_demo_period_is_passed_to_every_dated_report(tmp_path, capsys):
    d = tmp_path / "d"
    assert main(["demo", "-o", str(d), "--period", "2024-06"]) == 0
    wb = load_workbook(d / "churn_retention.values.xlsx")
    (title, cell), = wb.defined_names["report_period"].destinations
    assert wb[title][cell.replace("$", "")].value == "2024-06"
    assert main(["demo", "-o", str(tmp_path / "e"), "--period", "1999-01"]) == 2
    assert "1999-01" in capsys.readouterr().err


def test_set_gives_a_setting_for_the_run(tmp_path):
    # --set csat_scale=5: the Typeform form's CSAT question says "(1-5)"; CSAT = answers of 4 or 5 /
    # answers (top-2-box, Qualtrics/Zendesk), counted here by pandas from the file itself
    import pandas as pd

    export = Path(__file__).parent / "data" / "exports" / "typeform_nps.csv"
    answers = pd.read_csv(export)["How satisfied are you with our support? (1-5)"].dropna()
    out = tmp_path / "s.xlsx"
    r = _run("report", "survey_scores", "--data", export, "-o", out, "--values", "--set", "csat_scale=5",
             "--set", "target_nps=40")
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out)["Dashboard"]
    row = next(i for i in range(1, 40) if str(ws.cell(i, 1).value).startswith("Customer satisfaction"))
    assert ws.cell(row, 2).value == pytest.approx((answers >= 4).sum() / len(answers), abs=1e-12)
    settings = load_workbook(out)["Settings"]
    assert any(c.value == 40 for col in settings.iter_cols() for c in col)
    # without it the header's "(1-5)" gives the scale, and the data check says so
    r = _run("report", "survey_scores", "--data", export, "-o", tmp_path / "t.xlsx", "--values")
    assert r.returncode == 0 and "csat_scale 5, as the header" in r.stdout
    # a header that does not state it: CSAT says what to enter
    bare = tmp_path / "bare.csv"
    bare.write_text(export.read_text(encoding="utf-8").replace(" (1-5)", ""), encoding="utf-8")
    r = _run("report", "survey_scores", "--data", bare, "-o", tmp_path / "v.xlsx", "--values")
    assert r.returncode == 0 and "n/a: enter the top of your CSAT scale" in r.stdout
    for bad, said in (("csat_scal=5", "no such setting"), ("csat_scale", "NAME=VALUE")):
        r = _run("report", "survey_scores", "--data", export, "-o", tmp_path / "u.xlsx", "--set", bad)
        assert r.returncode == 2 and said in r.stderr and not (tmp_path / "u.xlsx").exists()


def test_set_takes_the_four_health_weights(tmp_path):
    # reviewer's K7 of session 6 (K5 in /work/notes/s6/R7_findings.md): --set health_weights=0.5 ended in
    # "unexpected error: KeyError"; the four weights, comma-separated, are the Settings sheet's four rows
    # (usage, support, NPS, payment). By hand with 0.1/0.1/0.1/0.7: A 0.1*80+0.1*70+0.1*100+0.7*90 = 88,
    # B 0.1*20+0.1*30+0.1*40+0.7*10 = 16 -> average 52
    p = tmp_path / "health.csv"
    p.write_text("customer_id,payment,usage,support,nps\nA,90,80,70,100\nB,10,20,30,40\n", encoding="utf-8")
    r = _run("report", "customer_health", "--data", p, "--set", "health_weights=0.5", "-o", tmp_path / "h.xlsx",
             "--values")
    assert r.returncode == 2 and "health_weights takes 4 values, comma-separated" in r.stderr, r.stderr
    assert "(Weight of usage, Weight of support, Weight of NPS, Weight of payment)" in r.stderr
    for weights in ("0.1,0.1,0.1,0.7", "10%,10%,10%,70%", "۰٫۱،۰٫۱،۰٫۱،۰٫۷"):
        r = _run("report", "customer_health", "--data", p, "--set", f"health_weights={weights}", "-o",
                 tmp_path / "h.xlsx", "--values", "--force")
        assert r.returncode == 0, r.stderr
        line = next(ln for ln in r.stdout.splitlines() if "Average health score" in ln)
        assert line.split()[-1] == "52.00", line


def test_a_template_keeps_its_period_and_confidence_and_says_its_typed_rows_are_not_read(tmp_path):
    # reviewer's L1 and L2 (session 6): a template with report_period 2024-03 and confidence_level 0.8 typed on its
    # Settings sheet, and an eNPS answer typed on its EmployeeSurvey sheet, filled with --data. The period and
    # the level were dropped (the latest month shown, 0.95 written) and the typed row silently lost.
    from xl_cskpi.reports import reports
    from xl_cskpi.reports.builder import build

    t = tmp_path / "survey.xlsx"
    build(reports()["survey_scores"], t)
    wb = load_workbook(t)
    for name, value in (("report_period", "2024-03"), ("confidence_level", 0.8)):
        (title, cell), = wb.defined_names[name].destinations
        wb[title][cell.replace("$", "")] = value
    ws = next(w for w in wb.worksheets if "EmployeeSurvey" in w.tables)
    ws.cell(2, 1, "2024-03-01")
    ws.cell(2, 2, 9)
    wb.save(t)
    data = tmp_path / "nps.csv"
    # March: 10, 9, 3 -> (2 - 1) / 3 = 33.3 -> 33; April 10 -> 100
    data.write_text("submitted_at,nps_score\n2024-03-02,10\n2024-03-09,9\n2024-03-20,3\n2024-04-03,10\n",
                    encoding="utf-8")
    r = _run("report", t, "--data", data, "-o", tmp_path / "out.xlsx", "--values")
    assert r.returncode == 0, r.stderr
    assert "month shown: 2024-03" in r.stdout
    assert next(ln for ln in r.stdout.splitlines() if "Net Promoter Score (NPS)" in ln).split()[-1] == "33"
    assert "rows typed into the template's data sheets are not read (EmployeeSurvey 1)" in r.stdout
    out = load_workbook(tmp_path / "out.xlsx")
    for name, value in (("report_period", "2024-03"), ("confidence_level", 0.8)):
        (title, cell), = out.defined_names[name].destinations
        assert out[title][cell.replace("$", "")].value == value
