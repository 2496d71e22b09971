"""Saving a report workbook: reproducible bytes, written atomically.

:func:`reproducible` makes the same input give byte-identical files (fixed document dates and zip
entry times) and adds the dynamic-array metadata Excel 365 writes for a spilling formula (``cm="1"``,
``xl/metadata.xml``), so Excel spills ``MRR_MOVEMENTS`` instead of adding the implicit-intersection
``@``. :func:`save` then writes the bytes atomically (the report appears complete or not at all).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook

__all__ = ["save", "reproducible", "FIXED_TIME"]

#: The document date of every generated workbook (reproducible builds).
FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- saving

_METADATA = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
    '<metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" '
    'pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" '
    'clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes>'
    '<futureMetadata name="XLDAPR" count="1"><bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
    '<xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk></futureMetadata>'
    '<cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata></metadata>'
)


def save(wb: Workbook, path: Path, *, dynamic_sheets: dict[int, list[str]], overwrite: bool) -> None:
    """Write atomically: the report appears complete or not at all, with the user's usual permissions.

    Where the platform has unnamed files (Linux ``O_TMPFILE``) and the name is free, the workbook is
    written to one and linked into place, so a process killed at any moment leaves nothing behind;
    otherwise (replacing a file with --force, other systems) a temporary file next to the
    destination is renamed over it (``os.replace``).
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists; use --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = io.BytesIO()
    wb.save(raw)
    body = reproducible(raw.getvalue(), dynamic_sheets)
    umask = os.umask(0)
    os.umask(umask)
    mode = 0o666 & ~umask
    fd = None
    if hasattr(os, "O_TMPFILE"):
        try:
            fd = os.open(path.parent, os.O_TMPFILE | os.O_WRONLY, mode)
        except OSError:   # a file system without unnamed files
            fd = None
    if fd is not None:
        try:
            with os.fdopen(fd, "wb", closefd=False) as out:
                out.write(body)
            os.fchmod(fd, mode)
            # appears complete, atomically; only where nothing has the name yet. The directory fds
            # make CPython call linkat(AT_SYMLINK_FOLLOW), which links the file behind /proc/self/fd
            # (plain link() would try to link the /proc symlink itself and fail with EXDEV).
            dfd = os.open(path.parent, os.O_RDONLY)
            try:
                os.link(f"/proc/self/fd/{fd}", path.name, src_dir_fd=dfd, dst_dir_fd=dfd, follow_symlinks=True)
                return
            except OSError:   # the name exists (--force), or the file system refuses
                pass
            finally:
                os.close(dfd)
        finally:
            os.close(fd)
    fd, tmp_name = tempfile.mkstemp(prefix=".xl_cskpi-", suffix=".xlsx", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(body)
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def reproducible(data: bytes, dynamic_sheets: dict[int, list[str]]) -> bytes:
    """Fixed zip entry times and document dates; dynamic-array metadata for spilling formulas."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        for name in names:
            body = src.read(name)
            if name == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                              lambda m: m.group(1) + stamp.encode() + m.group(3), body)
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", name)
            if m and int(m.group(1)) in dynamic_sheets:
                for cell in dynamic_sheets[int(m.group(1))]:
                    body = body.replace(f'<c r="{cell}"'.encode(), f'<c r="{cell}" cm="1"'.encode(), 1)
            if dynamic_sheets and name == "[Content_Types].xml":
                body = body.replace(b"</Types>", b'<Override PartName="/xl/metadata.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"/>'
                                    b"</Types>")
            if dynamic_sheets and name == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdMeta1" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sheetMetadata" '
                                    b'Target="metadata.xml"/></Relationships>')
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, body)
        if dynamic_sheets:
            info = zipfile.ZipInfo("xl/metadata.xml", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, _METADATA.encode())
    return out.getvalue()
