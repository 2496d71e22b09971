"""Output safety of ``xl-cskpi report`` (issue 8, part 4): nothing is lost.

* An input (an export, the template file) is never the output, however the path is spelled: the
  same path, ``dir/../name``, a symbolic link to it. A hard link is a second name of the same file:
  replacing it (``--force``) must leave the input's bytes alone.
* An existing output is replaced only with ``--force``.
* The output appears whole or not at all: a failure while writing (disk full at the rename, an
  error inside the zip writer) or a kill (SIGKILL) leaves no partial file, no stray temporary file,
  and an existing report untouched.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from xl_cskpi import sample
from xl_cskpi.cli import main


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    return sample.write_csv(sample.generate(), tmp_path_factory.mktemp("exports"))


@pytest.fixture
def months_xlsx(tmp_path, exports) -> Path:
    """The Months export as a workbook (an input that has the output's suffix)."""
    import pandas as pd

    path = tmp_path / "months.xlsx"
    pd.read_csv(exports["months"], dtype=str).to_excel(path, index=False)
    return path


def run(capsys, *argv) -> tuple[int, list[str]]:
    code = main([str(a) for a in argv])
    err = capsys.readouterr().err
    return code, [ln for ln in err.splitlines() if not ln.startswith("  ... ")]


def snapshot(*paths: Path) -> dict[Path, tuple[bytes, int]]:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}


def stray(directory: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)


# --------------------------------------------------------------------------- inputs are never outputs


@pytest.mark.parametrize("force", [False, True], ids=["", "force"])
@pytest.mark.parametrize("spelling", ["same", "dotdot", "relative"])
def test_output_that_is_the_data_file_is_refused(capsys, tmp_path, months_xlsx, force, spelling, monkeypatch):
    out = {"same": months_xlsx,
           "dotdot": tmp_path / "sub" / ".." / "months.xlsx",
           "relative": Path("months.xlsx")}[spelling]
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    before = snapshot(months_xlsx)
    code, lines = run(capsys, "report", "churn_retention", "--data", months_xlsx, "-o", out,
                      *(["--force"] if force else []))
    assert code == 2 and len(lines) == 1 and "input" in lines[0], lines
    assert snapshot(months_xlsx) == before
    assert stray(tmp_path, {"months.xlsx", "sub"}) == []


def test_output_that_is_a_symlink_to_the_data_file_is_refused(capsys, tmp_path, months_xlsx):
    link = tmp_path / "report.xlsx"
    link.symlink_to(months_xlsx)
    before = snapshot(months_xlsx)
    code, lines = run(capsys, "report", "churn_retention", "--data", months_xlsx, "-o", link, "--force")
    assert code == 2 and len(lines) == 1, lines
    assert snapshot(months_xlsx) == before and link.is_symlink()


def test_output_that_is_the_template_file_is_refused(capsys, tmp_path, exports):
    assert main(["templates", "-o", str(tmp_path), "--only", "churn_retention"]) == 0
    template = tmp_path / "churn_retention.xlsx"
    before = snapshot(template)
    code, lines = run(capsys, "report", template, "--data", exports["months"], "-o", template, "--force")
    assert code == 2 and len(lines) == 1 and "input" in lines[0], lines
    assert snapshot(template) == before


def test_hard_link_to_an_input_is_replaced_not_written_through(capsys, tmp_path, months_xlsx):
    # a hard link is the same file under another name: writing into it would change the input
    out = tmp_path / "report.xlsx"
    os.link(months_xlsx, out)
    before = snapshot(months_xlsx)
    code, lines = run(capsys, "report", "churn_retention", "--data", months_xlsx, "-o", out, "--force")
    if code == 0:  # replaced: a new file under that name, the input untouched
        assert not os.path.samefile(out, months_xlsx)
        assert zipfile.is_zipfile(out)
    else:  # or refused as an input
        assert code == 2 and len(lines) == 1, lines
    assert snapshot(months_xlsx) == before


# --------------------------------------------------------------------------- --force


def test_existing_output_is_kept_without_force_and_replaced_with_it(capsys, tmp_path, exports):
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"last month's report")
    code, lines = run(capsys, "report", "churn_retention", "--data", exports["months"], "-o", out)
    assert code == 2 and len(lines) == 1 and "--force" in lines[0], lines
    assert out.read_bytes() == b"last month's report"
    code, lines = run(capsys, "report", "churn_retention", "--data", exports["months"], "-o", out, "--force")
    assert code == 0, lines
    assert zipfile.is_zipfile(out)
    assert stray(tmp_path, {"report.xlsx"}) == []


def test_output_that_is_a_directory_is_one_line(capsys, tmp_path, exports):
    out = tmp_path / "report.xlsx"
    out.mkdir()
    code, lines = run(capsys, "report", "churn_retention", "--data", exports["months"], "-o", out, "--force")
    assert code == 2 and len(lines) == 1, lines
    assert out.is_dir() and list(out.iterdir()) == []


def test_report_gets_the_usual_file_permissions(capsys, tmp_path, exports):
    # a report is a document to share: same permissions as any file the user creates (umask)
    # (was 0600, tempfile.mkstemp's mode, until the writer set the mode from the umask)
    out = tmp_path / "report.xlsx"
    old = os.umask(0o022)
    try:
        assert main(["report", "churn_retention", "--data", str(exports["months"]), "-o", str(out)]) == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644


# --------------------------------------------------------------------------- failures while writing


@pytest.fixture
def existing(tmp_path) -> Path:
    out = tmp_path / "out" / "report.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"last month's report")
    return out


@pytest.mark.parametrize("force", [False, True], ids=["new", "replace"])
def test_disk_full_at_the_rename_leaves_nothing_behind(capsys, tmp_path, exports, monkeypatch, existing, force):
    out = existing if force else existing.parent / "new.xlsx"

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    # the moment the output gets its name: a rename of a temporary file, or a link of an unnamed one
    monkeypatch.setattr(os, "replace", full)
    monkeypatch.setattr(os, "link", full)
    code, lines = run(capsys, "report", "churn_retention", "--data", exports["months"], "-o", out,
                      *(["--force"] if force else []))
    assert code == 2 and len(lines) == 1 and "No space left" in lines[0], lines
    assert stray(existing.parent, {"report.xlsx"}) == []
    assert existing.read_bytes() == b"last month's report"


def test_error_inside_the_zip_writer_leaves_nothing_behind(capsys, tmp_path, exports, monkeypatch, existing):
    calls = {"n": 0}
    real = zipfile.ZipFile.writestr

    def failing(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 25:  # some way into the workbook
            raise OSError(errno.EIO, "Input/output error")
        return real(self, *a, **k)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing)
    code, lines = run(capsys, "report", "revenue", "--data", exports["subscriptions"], exports["accounts"],
                      "-o", existing, "--force")
    assert calls["n"] >= 25, "the failure was never injected"
    assert code == 2 and len(lines) == 1, lines
    assert stray(existing.parent, {"report.xlsx"}) == []
    assert existing.read_bytes() == b"last month's report"


# --------------------------------------------------------------------------- killed


@pytest.fixture(scope="module")
def big_exports(tmp_path_factory, exports) -> list[Path]:
    """Subscriptions x 40 (about 150,000 rows): a report that takes a while to write."""
    import pandas as pd

    d = tmp_path_factory.mktemp("big")
    subs = pd.read_csv(exports["subscriptions"], dtype=str)
    big = pd.concat([subs.assign(customer_id=subs["customer_id"] + f"-{k}") for k in range(40)])
    big.to_csv(d / "subscriptions.csv", index=False)
    return [d / "subscriptions.csv", exports["accounts"]]


def _child(code: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_killed_while_saving_leaves_no_partial_file(tmp_path, big_exports):
    # SIGKILL the moment the command says it is saving: nothing can clean up after a SIGKILL, so
    # the output must only ever appear complete, by rename
    out = tmp_path / "out" / "revenue.xlsx"
    out.parent.mkdir()
    p = _child(f"""
        import sys
        from xl_cskpi.cli import main
        sys.exit(main(["report", "revenue", "--data", {str(big_exports[0])!r}, {str(big_exports[1])!r},
                       "-o", {str(out)!r}, "--values"]))
    """, tmp_path)
    saw = []
    for line in p.stderr:
        saw.append(line)
        if "saving" in line:
            p.send_signal(signal.SIGKILL)
            break
    p.wait(timeout=120)
    assert p.returncode == -signal.SIGKILL, f"finished before it could be killed: {saw[-3:]}"
    assert list(out.parent.iterdir()) == [], "a partial report or a temporary file was left"


def test_killed_just_before_the_output_appears_leaves_nothing(tmp_path, exports):
    # the worst moment: the workbook is written, its name not yet given (by rename or link); an
    # unnamed file (O_TMPFILE) vanishes with the process, a named temporary file would stay
    out = tmp_path / "out" / "report.xlsx"
    out.parent.mkdir()
    p = _child(f"""
        import os, signal, sys
        def die(*a, **k):
            os.kill(os.getpid(), signal.SIGKILL)
        os.replace = os.rename = os.link = die
        from xl_cskpi.cli import main
        sys.exit(main(["report", "churn_retention", "--data", {str(exports["months"])!r},
                       "-o", {str(out)!r}]))
    """, tmp_path)
    p.communicate(timeout=120)
    assert p.returncode == -signal.SIGKILL, "the output appeared without a rename or a link"
    assert list(out.parent.iterdir()) == []
