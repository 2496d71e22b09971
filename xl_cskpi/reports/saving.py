"""Saving a report workbook: reproducible bytes, written atomically.

:func:`save` runs openpyxl's own package writer (``ExcelWriter``) into a zip archive that makes the
bytes reproducible as each part is written, with no second pass over the package (issue 17: the
earlier unzip and re-zip of a million-row workbook compressed its biggest part twice):

* fixed zip entry times and document dates, so the same input gives byte-identical files;
* the dynamic-array metadata Excel 365 writes for a spilling formula (``cm="1"``,
  ``xl/metadata.xml``), so Excel spills ``MRR_MOVEMENTS`` instead of adding the
  implicit-intersection ``@``;
* the data rows of a table sheet given as a :class:`~xl_cskpi.reports.rowxml.Body` (written by
  :func:`xl_cskpi.reports.sheets.write_rows`) spliced into that sheet's part as it is stored,
  chunk by chunk (memory stays flat in the number of rows);
* chart parts: blank cells and #N/A as gaps in Excel 365 too (the ``dispNaAsBlank`` chart
  extension, c16r3), translucent secondary-axis columns (:data:`.charts.TRANSLUCENT`);
* with ``vba``, the macro-enabled package: ``xl/vbaProject.bin``, its content type and relationship,
  and the macro-enabled main content type (ECMA-376 with the [MS-OFFMACRO2] vbaProject relationship;
  what Excel writes for an .xlsm).

The bytes are then written with :func:`xl_cskpi.output.write_bytes_atomic` (the report appears
complete or not at all, and never over a file without ``--force``).

lxml (the ``fast`` extra): openpyxl writes its own parts through lxml when it is installed. The
content is the same either way; the bytes differ in spelling only: ``<x/>`` against ``<x />``,
where namespaces are declared, and non-ASCII text (Persian/Arabic headers) as character references
(``&#1601;``) with lxml against UTF-8 without. The data rows (:mod:`.rowxml`) are the same bytes
with or without it. Since those rows no longer go through openpyxl, lxml saves about 2 % of
``report --values`` (200,000 rows: 4.1 s CPU with, 4.2 s without); the extra is worth it for
templates and small reports only marginally.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from ..output import write_bytes_atomic
from .charts import TRANSLUCENT
from .rowxml import splice

#: The attribute of a worksheet holding its spliced data rows (a :class:`.rowxml.Body`).
BODY_ATTR = "_xl_cskpi_body"

__all__ = ["save", "package", "saving", "chart_part", "FIXED_TIME", "BODY_ATTR"]

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
    """Serialise ``wb`` as reproducible bytes and write them with
    :func:`xl_cskpi.output.write_bytes_atomic`: whole or not at all, exclusively unless ``overwrite``
    (:class:`~xl_cskpi.output.OutputExistsError`), every failure one line naming ``path``.
    ``vba``: a VBA project (``vbaProject.bin``) to store, making the file macro-enabled (``.xlsm``)."""
    write_bytes_atomic(Path(path), package(wb, dynamic_sheets=dynamic_sheets, vba=vba), overwrite=overwrite)


def package(wb: Workbook, *, dynamic_sheets: dict[int, list[str]], vba: bytes | None = None) -> bytes:
    """The bytes of ``wb`` as :func:`save` writes them (see the module's docstring)."""
    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    archive = _Archive(raw, wb, dynamic_sheets, vba)
    token = _SAVING.set(True)
    try:
        ExcelWriter(wb, archive).save()
    finally:
        _SAVING.reset(token)
    return raw.getvalue()


#: Set while :func:`package` writes: a sheet whose rows are a spliced body refuses any other writer.
_SAVING: contextvars.ContextVar[bool] = contextvars.ContextVar("xl_cskpi_saving", default=False)


def saving() -> bool:
    """Whether :func:`package` is writing (a worksheet holding a :class:`.rowxml.Body` checks it)."""
    return _SAVING.get()


def _info(name: str, level: int | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    if level is not None:
        try:
            info.compress_level = level      # Python 3.13+
        except AttributeError:
            info._compresslevel = level      # Python 3.11, 3.12
    return info


#: zlib level of a spliced data body: zlib's default, 6. Sheet XML is so repetitive that level 1
#: saved only 3 % of the report's CPU time at 200,000 rows (2.64 s against 2.73 s) for a file 17 %
#: larger (3.39 MB against 2.90 MB).
BODY_LEVEL = 6

_NA_AS_BLANK = (b'<extLst><ext uri="{56B9EC1D-385E-4148-901F-78D8002777C0}" '
                b'xmlns:c16r3="http://schemas.microsoft.com/office/drawing/2017/03/chart">'
                b'<c16r3:dataDisplayOptions16><c16r3:dispNaAsBlank val="1"/></c16r3:dataDisplayOptions16>'
                b'</ext></extLst>')


class _Archive(zipfile.ZipFile):
    """The zip archive openpyxl's ``ExcelWriter`` writes into: every part stored reproducibly (fixed
    times, fixed attributes) and transformed on the way (see the module's docstring)."""

    def __init__(self, file, wb: Workbook, dynamic_sheets: dict[int, list[str]], vba: bytes | None):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.wb = wb
        self.dynamic = dynamic_sheets
        self.vba = vba

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        body = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        super().writestr(_info(name), self._transform(name, body))

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        name = arcname or str(filename)
        with open(filename, "rb") as src:
            head = src.read()
        body = next((getattr(ws, BODY_ATTR) for ws in self.wb.worksheets
                     if getattr(ws, BODY_ATTR, None) is not None and ws.path[1:] == name), None)
        if body is None:
            self.writestr(name, head)
            return
        pre, chunks, post = splice(head, body)
        big = body.rows * 40 * max(len(body.columns), 1) > (1 << 30)   # zip64 when it may pass 2 GB
        with self.open(_info(name, BODY_LEVEL), "w", force_zip64=big) as dst:
            dst.write(self._transform(name, pre))
            for chunk in chunks:
                dst.write(chunk)
            dst.write(self._transform(name, post))

    def close(self):
        if self.fp is not None and self.mode == "w" and not getattr(self, "_xl_done", False):
            self._xl_done = True
            if self.dynamic:
                super().writestr(_info("xl/metadata.xml"), _METADATA.encode())
            if self.vba is not None:
                super().writestr(_info("xl/vbaProject.bin"), self.vba)
        super().close()

    def _transform(self, name: str, body: bytes) -> bytes:
        if name == "docProps/core.xml":
            stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
            return re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                          lambda m: m.group(1) + stamp + m.group(3), body)
        m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", name)
        if m and int(m.group(1)) in self.dynamic:
            for cell in self.dynamic[int(m.group(1))]:
                body = body.replace(f'<c r="{cell}"'.encode(), f'<c r="{cell}" cm="1"'.encode(), 1)
        if name == "[Content_Types].xml":
            if self.dynamic:
                body = body.replace(b"</Types>", b'<Override PartName="/xl/metadata.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"/>'
                                    b"</Types>")
            if self.vba is not None:
                if _MAIN not in body:
                    raise ValueError("not a workbook: no main content type")
                body = body.replace(_MAIN, _MACRO_MAIN).replace(
                    b"</Types>", b'<Override PartName="/xl/vbaProject.bin" '
                                 b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
        if name == "xl/_rels/workbook.xml.rels":
            if self.dynamic:
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdMeta1" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sheetMetadata" '
                                    b'Target="metadata.xml"/></Relationships>')
            if self.vba is not None:
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdVba1" Type="http://schemas.'
                                    b'microsoft.com/office/2006/relationships/vbaProject" '
                                    b'Target="vbaProject.bin"/></Relationships>')
        if name.startswith("xl/charts/chart"):
            body = chart_part(body)
        return body


def chart_part(body: bytes) -> bytes:
    """A chart part as Excel 365 should read it: with ``dispBlanksAs="gap"`` #N/A is a gap too (the
    c16r3 ``dispNaAsBlank`` extension; older Excel ignores it and joins a line across #N/A), and the
    columns filled with :data:`.charts.TRANSLUCENT` are 55 % opaque."""
    # (openpyxl without lxml writes "<x />": both spellings)
    if b"dispNaAsBlank" not in body:
        body = re.sub(rb'(<dispBlanksAs val="gap"\s*/>)(\s*</chart>)', lambda m: m.group(1) + _NA_AS_BLANK + m.group(2),
                      body, count=1)
    body = re.sub(rb'<a:srgbClr val="' + TRANSLUCENT.encode() + rb'"\s*/>',
                  b'<a:srgbClr val="' + TRANSLUCENT.encode() + b'"><a:alpha val="55000"/></a:srgbClr>', body)
    return body


_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
