"""Writing an output file so that nothing is lost: whole or not at all, never over someone's file.

Every command that writes (``report``, ``templates``, ``demo``) goes through
:func:`write_bytes_atomic`; the report builder calls it to save a workbook.

The rules, in order:

* **Whole or not at all.** The bytes go to a file without a name (Linux ``O_TMPFILE``) or, where the
  platform has none, to a hidden temporary file next to the output (``.xl_cskpi-*.tmp``); they are
  flushed to the disk (``fsync``) and only then get the output's name. A process killed at any moment
  leaves either nothing or the complete file under the output's name. A named temporary file is
  removed on any error Python sees; only a kill can leave one: on Linux in the instant between the
  complete file's hidden link and its rename over an existing output (``overwrite``), elsewhere while
  it is written.
* **Exclusive unless overwrite.** Without ``overwrite`` (the command line's ``--force``) the name is
  given by ``link``, which fails if anything has the name: two processes writing the same new output
  at once, or a file another program created while a report was being computed, give one winner and
  one :class:`OutputExistsError` ("exists; use --force"); no file is ever silently replaced. With
  ``overwrite`` the new file is renamed over the old one (``os.replace``): readers see the old or the
  new file, never a mix.
* **Symbolic links are never written through.** An output name that is a symbolic link to a missing
  file (a dangling link) is refused, with or without ``overwrite``: writing through it would create a
  file wherever the link points. A link to an existing file is an existing name: refused without
  ``overwrite``, and with it the *link* is replaced by the new file (what it pointed to is untouched).
* **One line naming the output.** Every failure is an :class:`OutputError` whose message starts with
  the output's path (never the temporary file's) and gives the likely cause: a folder that is a file,
  permission denied ("is it open in Excel?"), no space left, the file-size limit (``ulimit -f``).
* Missing folders on the way to the output are created; the file gets the user's usual permissions
  (``0o666`` less the umask), like any file they save.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

__all__ = ["OutputError", "OutputExistsError", "check_output", "write_bytes_atomic", "explain"]


class OutputError(OSError):
    """An output that cannot be written: ``str()`` is one line that names the output path."""

    def __init__(self, code: int, message: str):
        super().__init__(code, message)

    def __str__(self) -> str:
        return self.strerror


class OutputExistsError(OutputError, FileExistsError):
    """The output's name is taken (by a file, a folder, a link) and overwriting was not asked for."""


#: Likely causes, after the system's own words, per errno.
_HINTS = {
    errno.EACCES: "is it open in Excel, or is the file or its folder read-only?",
    errno.EPERM: "is it open in Excel, or is the file or its folder read-only?",
    errno.EBUSY: "is it open in Excel or another program?",
    errno.ETXTBSY: "is it open in another program?",
    errno.EROFS: "choose a folder on a disk you can write to",
    errno.ENOSPC: "free some space or write elsewhere",
    errno.EDQUOT: "your disk quota is used up: free some space or write elsewhere",
    errno.EFBIG: "larger than the file-size limit: see 'ulimit -f', or the file system's largest file",
    errno.ENAMETOOLONG: "choose a shorter name",
    errno.EINVAL: "the name has characters this file system refuses",
}


def explain(path: str | os.PathLike, e: OSError) -> OutputError:
    """``e`` as one line that names the output ``path`` (not whatever file the system call was
    about: a temporary file, openpyxl's scratch files), with the likely cause."""
    path = Path(path)
    if isinstance(e, OutputError):
        return e
    code = e.errno or 0
    if code == errno.EEXIST or isinstance(e, FileExistsError):
        return OutputExistsError(code, f"{path} exists; use --force to replace it")
    if code == errno.EISDIR:
        return OutputError(code, f"{path} is a folder; give a file name (e.g. {path / 'report.xlsx'})")
    if code == errno.ENOTDIR:
        return OutputError(code, f"cannot write {path}: a part of its folder path is a file, not a folder")
    words = e.strerror or (os.strerror(code) if code else " ".join(str(e).split()) or type(e).__name__)
    hint = _HINTS.get(code)
    return OutputError(code, f"cannot write {path}: {words}" + (f" ({hint})" if hint else ""))


def check_output(path: str | os.PathLike, *, overwrite: bool) -> None:
    """Refuse, before any work, an output that cannot be written; :func:`write_bytes_atomic` checks
    again at the moment of writing (the name may be taken in between).

    Raises :class:`OutputError` (one line naming ``path``) when a folder on the way is a file, the
    name is a folder or a dangling symbolic link, and :class:`OutputExistsError` when the name exists
    and ``overwrite`` is false.
    """
    path = Path(path)
    ancestor = path.parent
    while not os.path.lexists(ancestor) and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if os.path.lexists(ancestor) and not ancestor.is_dir():
        raise OutputError(errno.ENOTDIR, f"cannot write {path}: {ancestor} is a file, not a folder")
    if path.is_symlink() and not path.exists():
        raise OutputError(errno.ENOENT, f"{path} is a symbolic link to {os.readlink(path)}, which does not "
                                        "exist; remove the link or choose another name")
    if path.is_dir():
        raise OutputError(errno.EISDIR, f"{path} is a folder; give a file name (e.g. {path / 'report.xlsx'})")
    if os.path.lexists(path) and not overwrite:
        raise OutputExistsError(errno.EEXIST, f"{path} exists; use --force to replace it")


def write_bytes_atomic(path: str | os.PathLike, body: bytes, *, overwrite: bool) -> None:
    """Write ``body`` to ``path`` whole or not at all; without ``overwrite`` only if the name is free.

    See the module's docstring for the rules. Raises :class:`OutputExistsError` when the name is
    taken (also when it is taken while writing) and ``overwrite`` is false, :class:`OutputError` for
    anything else that stops the write; either way nothing is left behind and an existing file under
    the name is untouched.
    """
    path = Path(path)
    check_output(path, overwrite=overwrite)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
        if not _write_unnamed(path, body, mode, overwrite):
            _write_named(path, body, mode, overwrite)
    except OutputError:
        raise
    except OSError as e:
        raise explain(path, e) from None
    _sync_dir(path.parent)


def _write_all(fd: int, body: bytes) -> None:
    view = memoryview(body)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def _write_unnamed(path: Path, body: bytes, mode: int, overwrite: bool) -> bool:
    """Linux: write into an unnamed file and link it to ``path`` (exclusive by nature). False when
    the platform or file system cannot (then :func:`_write_named` does it), or when the name is
    taken and ``overwrite`` is true (replacing needs a rename)."""
    if not hasattr(os, "O_TMPFILE"):
        return False
    try:
        fd = os.open(path.parent, os.O_TMPFILE | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), mode)
    except OSError as e:
        if e.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return False          # no unnamed files here
        raise
    try:
        _write_all(fd, body)
        os.fchmod(fd, mode)
        # The directory fds make CPython call linkat(AT_SYMLINK_FOLLOW), which links the file behind
        # /proc/self/fd (plain link() would try to link the /proc symlink itself and fail with EXDEV).
        dfd = os.open(path.parent, os.O_RDONLY)
        src = f"/proc/self/fd/{fd}"
        try:
            os.link(src, path.name, src_dir_fd=dfd, dst_dir_fd=dfd, follow_symlinks=True)
            return True
        except FileExistsError:
            if not overwrite:
                raise
            # replacing (--force): the complete file gets a hidden name only now, and is renamed over
            # the old one at once (a kill while writing, the long part, left nothing behind)
            _link_and_replace(src, dfd, path)
            return True
        except OSError as e:
            if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES):
                raise
            return False          # no /proc, or a file system that refuses: try a named temporary file
        finally:
            os.close(dfd)
    finally:
        os.close(fd)


def _link_and_replace(src: str, dfd: int, path: Path) -> None:
    for _ in range(100):
        tmp = f".xl_cskpi-{os.urandom(6).hex()}.tmp"
        try:
            os.link(src, tmp, src_dir_fd=dfd, dst_dir_fd=dfd, follow_symlinks=True)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover
        raise FileExistsError(errno.EEXIST, "no free temporary name")
    try:
        os.replace(tmp, path.name, src_dir_fd=dfd, dst_dir_fd=dfd)
    except BaseException:
        try:
            os.unlink(tmp, dir_fd=dfd)
        except OSError:
            pass
        raise


#: link() errors meaning "this file system has no hard links" (FAT, some network shares).
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS, errno.EXDEV}


def _write_named(path: Path, body: bytes, mode: int, overwrite: bool) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".xl_cskpi-", suffix=".tmp", dir=path.parent)
    try:
        try:
            _write_all(fd, body)
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)    # exclusive: fails if anything has the name
        except OSError as e:
            if e.errno not in _NO_LINKS:
                raise
            # no hard links here: claim the name with O_EXCL, then rename the full file over the claim
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
            try:
                os.replace(tmp, path)
            except BaseException:
                os.unlink(path)   # our empty claim, not someone's file
                raise
            return
        os.unlink(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _sync_dir(folder: Path) -> None:
    """Make the new name durable (best effort: some systems cannot open a folder)."""
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)
