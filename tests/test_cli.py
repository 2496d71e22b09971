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
