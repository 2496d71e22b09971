"""Saving a report workbook: reproducible bytes, written atomically.

:func:`reproducible` makes the same input give byte-identical files (fixed document dates and zip
entry times) and adds the dynamic-array metadata Excel 365 writes for a spilling formula (``cm="1"``,
``xl/metadata.xml``), so Excel spills ``MRR_MOVEMENTS`` instead of adding the implicit-intersection
``@``. :func:`save` then writes the bytes with :func:`xl_cskpi.output.write_bytes_atomic` (the report
appears complete or not at all, and never over a file without ``--force``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

from ..output import write_bytes_atomic

__all__ = ["save", "reproducible", "with_vba", "FIXED_TIME"]

#: The document date of every generated workbook (reproducible builds).
FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


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


def save(wb: Workbook, path: Path, *, dynamic_sheets: dict[int, list[str]], overwrite: bool,
         vba: bytes | None = None) -> None:
    """Serialise ``wb``, make the bytes reproducible and write them with
    :func:`xl_cskpi.output.write_bytes_atomic`: whole or not at all, exclusively unless ``overwrite``
    (:class:`~xl_cskpi.output.OutputExistsError`), every failure one line naming ``path``.
    ``vba``: a VBA project (``vbaProject.bin``) to store, making the file macro-enabled (``.xlsm``)."""
    raw = io.BytesIO()
    wb.save(raw)
    body = reproducible(raw.getvalue(), dynamic_sheets)
    if vba is not None:
        body = with_vba(body, vba)
    write_bytes_atomic(Path(path), body, overwrite=overwrite)


_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def with_vba(data: bytes, vba: bytes) -> bytes:
    """The workbook ``data`` as a macro-enabled one holding the VBA project ``vba``: the part
    ``xl/vbaProject.bin``, its content type and relationship, and the macro-enabled main content type
    (ECMA-376 with the [MS-OFFMACRO2] vbaProject relationship; what Excel writes for an .xlsm)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                if _MAIN not in body:
                    raise ValueError("not a workbook: no main content type")
                body = body.replace(_MAIN, _MACRO_MAIN).replace(
                    b"</Types>", b'<Override PartName="/xl/vbaProject.bin" '
                                 b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdVba1" Type="http://schemas.'
                                    b'microsoft.com/office/2006/relationships/vbaProject" '
                                    b'Target="vbaProject.bin"/></Relationships>')
            dst.writestr(info, body)
        info = zipfile.ZipInfo("xl/vbaProject.bin", date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        dst.writestr(info, vba)
    return out.getvalue()


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
