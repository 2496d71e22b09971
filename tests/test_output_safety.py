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


# --------------------------------------------------------------------------- the writer (issue 12, item 6)

import multiprocessing as mp  # noqa: E402

from xl_cskpi.output import OutputError, OutputExistsError, write_bytes_atomic  # noqa: E402


def _racer(path: str, body: bytes, barrier, results) -> None:
    barrier.wait()
    try:
        write_bytes_atomic(Path(path), body, overwrite=False)
        results.put((body, "won"))
    except OutputExistsError as e:
        results.put((body, str(e)))
    except BaseException as e:  # noqa: BLE001  (reported to the test, not lost in the child)
        results.put((body, f"{type(e).__name__}: {e}"))


@pytest.mark.parametrize("trial", range(8))
def test_two_processes_writing_the_same_new_output_one_wins_the_other_is_told(tmp_path, trial):
    # issue 12 item 6: both exited 0 and one silently replaced the other (8 of 8 trials)
    out = tmp_path / "report.xlsx"
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    bodies = [b"A" * 300_000, b"B" * 300_000]
    procs = [ctx.Process(target=_racer, args=(str(out), b, barrier, results)) for b in bodies]
    for p in procs:
        p.start()
    got = dict(results.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    outcomes = sorted(got.values())
    assert outcomes[-1] == "won", got
    assert outcomes[0] == f"{out} exists; use --force to replace it", got
    winner = next(b for b, r in got.items() if r == "won")
    assert out.read_bytes() == winner
    assert stray(tmp_path, {"report.xlsx"}) == []


def test_a_file_that_appears_while_writing_is_not_replaced(tmp_path, monkeypatch):
    # another program creates the output after the early check, before the name is given
    out = tmp_path / "report.xlsx"
    real = os.open

    def sneaky(path, flags, *a, **k):
        fd = real(path, flags, *a, **k)
        if flags & getattr(os, "O_TMPFILE", 0) == getattr(os, "O_TMPFILE", -1) or str(path).endswith(".tmp"):
            if not out.exists():
                out.write_bytes(b"someone else's file")
        return fd

    monkeypatch.setattr(os, "open", sneaky)
    with pytest.raises(OutputExistsError, match="exists; use --force"):
        write_bytes_atomic(out, b"our report", overwrite=False)
    monkeypatch.undo()
    assert out.read_bytes() == b"someone else's file"
    assert stray(tmp_path, {"report.xlsx"}) == []


def test_named_temporary_file_fallback_is_exclusive_too(tmp_path, monkeypatch):
    # systems without O_TMPFILE: a named temporary file, linked (not renamed) to the free name
    monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    out = tmp_path / "report.xlsx"
    write_bytes_atomic(out, b"first", overwrite=False)
    with pytest.raises(OutputExistsError):
        write_bytes_atomic(out, b"second", overwrite=False)
    assert out.read_bytes() == b"first"
    write_bytes_atomic(out, b"third", overwrite=True)
    assert out.read_bytes() == b"third"
    assert stray(tmp_path, {"report.xlsx"}) == []


def test_file_system_without_hard_links_claims_the_name_exclusively(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "O_TMPFILE", raising=False)

    def no_links(*a, **k):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    out = tmp_path / "report.xlsx"
    write_bytes_atomic(out, b"first", overwrite=False)
    with pytest.raises(OutputExistsError):
        write_bytes_atomic(out, b"second", overwrite=False)
    assert out.read_bytes() == b"first" and stray(tmp_path, {"report.xlsx"}) == []


@pytest.mark.parametrize("force", [False, True], ids=["", "force"])
def test_dangling_symlink_as_output_is_refused_never_written_through(tmp_path, force):
    # decided: refused (writing through would create a file wherever the link points; replacing it
    # would silently turn the user's link into a file)
    target = tmp_path / "elsewhere" / "gone.xlsx"
    target.parent.mkdir()
    link = tmp_path / "report.xlsx"
    link.symlink_to(target)
    with pytest.raises(OutputError, match=r"report\.xlsx is a symbolic link to .*gone\.xlsx, which does not exist"):
        write_bytes_atomic(link, b"x", overwrite=force)
    assert link.is_symlink() and not target.exists()
    assert stray(tmp_path, {"report.xlsx", "elsewhere"}) == [] and list(target.parent.iterdir()) == []


def test_symlink_to_a_file_is_replaced_by_the_report_with_force_its_target_untouched(tmp_path):
    target = tmp_path / "old.xlsx"
    target.write_bytes(b"old")
    link = tmp_path / "report.xlsx"
    link.symlink_to(target)
    with pytest.raises(OutputExistsError):
        write_bytes_atomic(link, b"new", overwrite=False)
    write_bytes_atomic(link, b"new", overwrite=True)
    assert not link.is_symlink() and link.read_bytes() == b"new" and target.read_bytes() == b"old"


def _only_output_named(message: str, out: Path) -> None:
    assert str(out) in message and ".xl_cskpi-" not in message and "/proc/" not in message, message
    assert "\n" not in message


def test_parent_that_is_a_file_is_one_line_naming_it(tmp_path):
    (tmp_path / "afile").write_text("x")
    out = tmp_path / "afile" / "sub" / "report.xlsx"
    with pytest.raises(OutputError) as e:
        write_bytes_atomic(out, b"x", overwrite=True)
    _only_output_named(str(e.value), out)
    assert f"{tmp_path / 'afile'} is a file, not a folder" in str(e.value)


def test_missing_folders_are_created(tmp_path):
    out = tmp_path / "a" / "b" / "report.xlsx"
    write_bytes_atomic(out, b"x", overwrite=False)
    assert out.read_bytes() == b"x"


def test_output_that_is_a_folder_is_one_line(tmp_path):
    with pytest.raises(OutputError, match="is a folder"):
        write_bytes_atomic(tmp_path, b"x", overwrite=True)


_FSIZE_CHILD = """
import resource, sys
from pathlib import Path
from xl_cskpi.output import OutputError, write_bytes_atomic
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
try:
    write_bytes_atomic(Path(sys.argv[1]), b"x" * 1_000_000, overwrite=False)
except OutputError as e:
    print(e)
    sys.exit(2)
"""


def test_file_size_limit_is_one_line_naming_the_output(tmp_path):
    # ulimit -f: Python ignores SIGXFSZ, so the write fails with EFBIG; nothing is left behind
    out = tmp_path / "report.xlsx"
    r = subprocess.run([sys.executable, "-c", _FSIZE_CHILD, str(out)], capture_output=True, text=True)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stderr == ""
    line = r.stdout.strip()
    _only_output_named(line, out)
    assert "ulimit -f" in line
    assert stray(tmp_path, set()) == []


def test_report_under_a_file_size_limit_is_one_line_without_generator_noise(tmp_path, exports):
    # issue 12 item 6: the right line, then 18-60 lines of "Exception ignored in: <generator ...>"
    out = tmp_path / "report.xlsx"
    r = subprocess.run(["bash", "-c", 'ulimit -f 8; exec "$@"', "-", sys.executable, "-m", "xl_cskpi",
                        "report", "churn_retention", "--data", str(exports["months"]), "-o", str(out)],
                       capture_output=True, text=True)
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("  ... ")]
    assert r.returncode == 2 and len(lines) == 1, r.stderr
    _only_output_named(lines[0], out)
    assert "ulimit -f" in lines[0] and "Exception ignored" not in r.stderr
    assert stray(tmp_path, set()) == []


_READONLY_CHILD = """
import os, sys
from pathlib import Path
from xl_cskpi.output import OutputError, write_bytes_atomic
if os.geteuid() == 0:          # root ignores permissions: write as nobody
    os.setgid(65534); os.setuid(65534)
try:
    write_bytes_atomic(Path(sys.argv[1]), b"report", overwrite=sys.argv[2] == "force")
except OutputError as e:
    print(e)
    sys.exit(2)
"""


@pytest.mark.parametrize("force", [False, True], ids=["new", "replace"])
def test_readonly_folder_is_one_line_with_the_likely_cause(force):
    # the tests run as root, which ignores permissions: the child drops to nobody first; the folder
    # is outside pytest's tmp_path (0700, which nobody could not even enter)
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="xl_cskpi-ro-", dir="/tmp"))
    try:
        out = folder / "report.xlsx"
        if force:
            out.write_bytes(b"last month's report")
            out.chmod(0o644)
        folder.chmod(0o555)
        r = subprocess.run([sys.executable, "-c", _READONLY_CHILD, str(out), "force" if force else ""],
                           capture_output=True, text=True)
        assert r.returncode == 2, (r.stdout, r.stderr)
        line = r.stdout.strip()
        _only_output_named(line, out)
        assert "Permission denied" in line and "is it open in Excel" in line
        assert sorted(p.name for p in folder.iterdir()) == (["report.xlsx"] if force else [])
        if force:
            assert out.read_bytes() == b"last month's report"
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_locked_target_names_the_output_not_the_temporary_file(tmp_path, monkeypatch):
    # Excel on Windows holds the file open: replacing it fails with a sharing violation (EACCES)
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"open in Excel")

    def locked(src, dst, *a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", str(src), None, str(dst))

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError) as e:
        write_bytes_atomic(out, b"new", overwrite=True)
    _only_output_named(str(e.value), out)
    assert "is it open in Excel" in str(e.value)
    assert out.read_bytes() == b"open in Excel" and stray(tmp_path, {"report.xlsx"}) == []


def test_killed_while_replacing_leaves_the_old_report_and_no_temporary_file(tmp_path):
    # --force: the new bytes go to an unnamed file; only the complete file gets a (hidden) name, and
    # is renamed over the old report at once. SIGKILL in the middle of writing leaves nothing.
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"last month's report")
    p = _child(f"""
        import os, signal
        from pathlib import Path
        real = os.write
        def write(fd, data):
            real(fd, bytes(data[:1000]))
            os.kill(os.getpid(), signal.SIGKILL)
        os.write = write
        from xl_cskpi.output import write_bytes_atomic
        write_bytes_atomic(Path({str(out)!r}), b"x" * 1_000_000, overwrite=True)
    """, tmp_path)
    p.communicate(timeout=60)
    assert p.returncode == -signal.SIGKILL
    assert stray(tmp_path, {"report.xlsx"}) == [] and out.read_bytes() == b"last month's report"
