"""Hostile workbooks built from scratch, at any size: the corpus of issue 18 (points 3 and 5).

Each entry of `CORPUS` builds one kind of hostile file as bytes at a given size. The small
size is what `make test` builds (tests/security/test_corpus.py: seconds; with the default
limits the safety scan must refuse the file, or the file must be harmless); the big size is
what `make fuzz` builds (bench/fuzz.py): the files that took a whole run down before the
scan knew them (a Rust abort in python-calamine, or gigabytes of memory).

Every file is a club workbook (`tests.factories.club_data`) with something hostile added
in the sheet clubtool reads first for members (`Thành viên`), so that the reader would
really parse it. Workbooks in other formats are written here too, without LibreOffice:
OpenDocument (`ods_bytes`) and Excel 97-2003 (`xls_bytes`, a BIFF8 stream in a compound
file, `cfb_bytes`), so that no test needs a binary fixture or soffice.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..factories import club_data, write_club, zip_members

MEMBERS_SHEET = "Thành viên"
MEMBERS_PART = "xl/worksheets/sheet3.xml"  # `Thành viên` in the factory workbooks


# --- the club workbook, as .xlsx bytes and as rows ---------------------------------------


@lru_cache(maxsize=1)
def club_xlsx() -> bytes:
    """A valid club workbook written by the test factory (openpyxl)."""
    with tempfile.TemporaryDirectory() as tmp:
        return write_club(Path(tmp) / "clb.xlsx", club_data()).read_bytes()


@lru_cache(maxsize=1)
def club_sheets() -> dict[str, list[list[Any]]]:
    """The club workbook's cells, sheet by sheet (for the .ods and .xls writers)."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(club_xlsx()))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _zip(members: Mapping[str, bytes], stored: Sequence[str] = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _members() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "clb.xlsx"
        p.write_bytes(club_xlsx())
        return zip_members(p)


def xlsx_with_rows(rows: bytes, *, sub: Callable[[bytes], bytes] | None = None,
                   part: str = MEMBERS_PART) -> bytes:
    """The club workbook with `rows` appended to the members sheet's `<sheetData>`, and the
    sheet stored as `part` (the workbook's relationships follow)."""
    members = _members()
    xml = members.pop(MEMBERS_PART)
    if sub is not None:
        xml = sub(xml)
    members[part] = xml.replace(b"</sheetData>", rows + b"</sheetData>")
    if part != MEMBERS_PART:
        rels = "xl/_rels/workbook.xml.rels"
        members[rels] = members[rels].replace(b'"/xl/worksheets/sheet3.xml"', b'"/' + part.encode() + b'"')
        members[rels] = members[rels].replace(b'"worksheets/sheet3.xml"', b'"' + part[3:].encode() + b'"')
        assert part.encode() in members[rels] or part[3:].encode() in members[rels]
    return _zip(members)


def _letters(col: int) -> str:
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _text(n: int, seed: int = 18) -> bytes:
    """`n` bytes of text that deflate does not shrink much (so no zip-ratio check fires)."""
    rnd = random.Random(seed)
    alphabet = b"abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return bytes(rnd.choices(alphabet, k=n))


def minimal_xlsx(sheet_xml: bytes, *, part: str = "xl/worksheets/sheet1.xml",
                 shared_strings: bytes | None = None) -> bytes:
    """A workbook of one sheet `Sheet1` whose part (`part`) is `sheet_xml`, with
    `shared_strings` as xl/sharedStrings.xml when given (for property tests)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    members = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            b'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b"</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/worksheet" Target="/{part}"/>'
            + (f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
               if shared_strings is not None else "") + "</Relationships>").encode(),
        part: sheet_xml,
    }
    if shared_strings is not None:
        members["xl/sharedStrings.xml"] = shared_strings
    return _zip(members)


def sheet_xml(rows: bytes) -> bytes:
    """A worksheet part around `rows` (the content of `<sheetData>`)."""
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + rows
            + b"</sheetData></worksheet>")


# --- .xlsx: a cell far away, in every spelling a reader accepts ---------------------------

#: How the far cell is written. `{ref}` is the reference (e.g. XFD1048576), `{row}` its row.
FAR_SPELLINGS: dict[str, str] = {
    "plain": '<row r="{row}"><c r="{ref}"><v>1</v></c></row>',
    "lower-case": '<row r="{row}"><c r="{lref}"><v>1</v></c></row>',
    "single-quotes": "<row r='{row}'><c r='{ref}'><v>1</v></c></row>",
    "spaced": '<row\nr = "{row}"><c\tr = "{ref}"><v>1</v></c></row>',
    "prefixed": '<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'r="{row}"><x:c r="{ref}"><v>1</v></x:c></x:row>',
    "prefix-not-ascii": '<row r="2"><ô:c xmlns:ô="http://schemas.openxmlformats.org/spreadsheetml/'
                        '2006/main" r="{ref}"><v>1</v></ô:c></row>',
    "prefix-digit": '<row r="2"><1:c r="{ref}"><v>1</v></1:c></row>',
    # the reader takes the last of two `r` attributes of a cell
    "second-r": '<row r="2"><c r="A2" r="{ref}"><v>1</v></c></row>',
    "second-r-unspaced": '<row r="2"><c r="A2"r="{ref}"><v>1</v></c></row>',
    "second-r-tab-quote": "<row r=\"2\"><c r=\"A2\"\tr = '{ref}'><v>1</v></c></row>",
    # a `>` inside another attribute's value does not end the tag
    "gt-in-value": '<row r="2"><c s=">" r="{ref}"><v>1</v></c></row>',
    "attribute-first": '<row spans="1:2" r="{row}"><c t="n" r="{ref}"><v>1</v></c></row>',
    # no reference: the cell goes where the row says
    "row-only": '<row r="{row}"><c><v>1</v></c></row>',
    "row-with-column": '<row r="XFD{row}"><c><v>1</v></c></row>',
    # character references in the value (python-calamine 0.9 refuses them; a reader may not)
    "char-reference": '<row r="{row}"><c r="&#88;{ref_tail}"><v>1</v></c></row>',
    "space-in-value": '<row r="{row}"><c r=" {ref} "><v>1</v></c></row>',
}

#: The same far cell with the sheet part under another name (the reader finds parts
#: whatever their case, and takes any name the relationships give).
FAR_PARTS: dict[str, str] = {
    "upper-case-extension": "xl/worksheets/sheet3.XML",
    "upper-case-folder": "XL/WORKSHEETS/SHEET3.xml",
    "binary-extension": "xl/worksheets/sheet3.bin",
    "no-extension": "xl/worksheets/sheet3",
    "rels-extension": "xl/worksheets/sheet3.rels",
}


def far_cell(spelling: str, row: int) -> bytes:
    """The club workbook with one filled cell in column XFD at `row`, spelt `spelling`
    (an entry of FAR_SPELLINGS, or of FAR_PARTS for the plain cell in a renamed part)."""
    ref = f"XFD{row}"
    if spelling in FAR_PARTS:
        rows = FAR_SPELLINGS["plain"].format(row=row, ref=ref)
        return xlsx_with_rows(rows.encode(), part=FAR_PARTS[spelling])
    rows = FAR_SPELLINGS[spelling].format(row=row, ref=ref, lref=ref.lower(), ref_tail=ref[1:])
    return xlsx_with_rows(rows.encode())


def far_cell_unicode_path(row: int) -> bytes:
    """The members sheet stored under a harmless name (`docProps/thumbnail.png`) that an
    Info-ZIP Unicode Path extra field (0x7075) renames `xl/worksheets/sheet3.xml`: readers
    that honour the field (the Rust zip crate) read a sheet that Python's zipfile names a
    picture."""
    members = _members()
    sheet = members.pop(MEMBERS_PART).replace(
        b"</sheetData>", f'<row r="{row}"><c r="XFD{row}"><v>1</v></c></row></sheetData>'.encode())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        fake = "docProps/thumbnail.png"
        real = MEMBERS_PART.encode()
        info = zipfile.ZipInfo(fake)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.extra = (struct.pack("<HHB", 0x7075, 5 + len(real), 1)
                      + struct.pack("<I", zlib.crc32(fake.encode())) + real)
        zf.writestr(info, sheet)
    return buf.getvalue()


def self_closing_rows(rows: int) -> bytes:
    """`rows` empty `<row/>` elements, then a cell without reference: it lands below them."""
    return xlsx_with_rows(b"<row/>" * rows + b'<row><c r="XFD1" t="n"><v>1</v></c><c><v>1</v></c></row>')


def dimension(form: str, rows: int) -> bytes:
    """`<dimension ref="A1:CV…"/>` with a filled cell at its far corner, in a sheet part the
    old scan skipped: `upper` (sheet3.XML) or `binary` (sheet3.bin)."""
    part = {"upper": "xl/worksheets/sheet3.XML", "binary": "xl/worksheets/sheet3.bin"}[form]

    def sub(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:CV{rows}"/>'.encode(), xml)

    cell = f'<row r="{rows}"><c r="CV{rows}"><v>1</v></c></row>'.encode()
    return xlsx_with_rows(cell, sub=sub, part=part)


def xlsb_parts(size: int = 1) -> bytes:
    """The club workbook plus the parts of a binary workbook (.xlsb): a reader that takes
    the zip for an .xlsb reads binary records no XML scan sees."""
    members = _members()
    members["xl/workbook.bin"] = bytes(size * 16)
    members["xl/_rels/workbook.bin.rels"] = members["xl/_rels/workbook.xml.rels"]
    return _zip(members)


# --- .xlsx: shared strings -------------------------------------------------------------------


def with_shared_strings(strings: Sequence[bytes], rows: bytes, *, sst_attrs: bytes = b"",
                        sst_name: str = "xl/sharedStrings.xml") -> bytes:
    """The club workbook with a shared-strings part holding `strings` (XML text, already
    escaped) and `rows` appended to the members sheet."""
    members = _members()
    members[sst_name] = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"' + sst_attrs + b">"
        + b"".join(b"<si><t>" + s + b"</t></si>" for s in strings) + b"</sst>")
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    rels = "xl/_rels/workbook.xml.rels"
    members[rels] = members[rels].replace(
        b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml" '
        b'Id="rIdSS"/></Relationships>')
    members[MEMBERS_PART] = members[MEMBERS_PART].replace(b"</sheetData>", rows + b"</sheetData>")
    return _zip(members)


def sst_amplify(rows: int, string_bytes: int = 4_000_000) -> bytes:
    """`rows` cells referencing one shared string of `string_bytes` (the reader copies the
    string into every cell: rows × string_bytes of text)."""
    cells = b"".join(b'<row r="%d"><c r="Q%d" t="s"><v>1</v></c></row>' % (r, r)
                     for r in range(100, 100 + rows))
    return with_shared_strings([b"ghi chu", _text(string_bytes)], cells,
                               sst_attrs=b' count="%d" uniqueCount="2"' % (rows + 1))


def sst_unique_count(count: int) -> bytes:
    """A shared-strings part that declares `count` strings: the reader reserves that many."""
    return with_shared_strings([b"ghi chu"], b'<row r="100"><c r="Q100" t="s"><v>0</v></c></row>',
                               sst_attrs=b' count="1" uniqueCount="%d"' % count)


# --- .ods ---------------------------------------------------------------------------------------

_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'office:version="1.3"')


def _ods_cell(value: Any) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        v = "true" if value else "false"
        return (f'<table:table-cell office:value-type="boolean" office:boolean-value="{v}">'
                f"<text:p>{v.upper()}</text:p></table:table-cell>")
    if isinstance(value, int | float):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    if isinstance(value, dt.datetime | dt.date):
        d = value.date() if isinstance(value, dt.datetime) else value
        return (f'<table:table-cell office:value-type="date" office:date-value="{d.isoformat()}">'
                f"<text:p>{d:%d/%m/%Y}</text:p></table:table-cell>")
    return (f'<table:table-cell office:value-type="string" calcext:value-type="string">'
            f"<text:p>{escape(str(value))}</text:p></table:table-cell>")


def ods_table(name: str, rows: Sequence[Sequence[Any]], extra: str = "") -> str:
    """One sheet as LibreOffice writes it: each row padded to column XFD and the sheet to
    row 1048576 with empty repeated cells and rows (never filled: a reader ignores them)."""
    out = [f"<table:table table:name={quoteattr(name)}>",
           '<table:table-column table:number-columns-repeated="16384"/>']
    for row in rows:
        cells = [_ods_cell(v) for v in row]
        while cells and cells[-1] == "<table:table-cell/>":
            cells.pop()
        pad = 16384 - len(cells)
        out.append("<table:table-row>" + "".join(cells)
                   + f'<table:table-cell table:number-columns-repeated="{pad}"/></table:table-row>')
    out.append(extra)
    left = 1048576 - len(rows) - extra.count("<table:table-row")
    if left > 0:
        out.append(f'<table:table-row table:number-rows-repeated="{left}">'
                   '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    out.append("</table:table>")
    return "".join(out)


def ods_bytes(sheets: Mapping[str, Sequence[Sequence[Any]]] | None = None, *,
              extra: Mapping[str, str] | None = None) -> bytes:
    """An OpenDocument spreadsheet of `sheets` (default: the club workbook), with `extra`
    rows (raw XML) appended to the named sheets before their trailing empty rows."""
    sheets = club_sheets() if sheets is None else sheets
    return ods_raw("".join(ods_table(name, rows, (extra or {}).get(name, ""))
                           for name, rows in sheets.items()))


def ods_raw(tables: str) -> bytes:
    """An OpenDocument spreadsheet whose `<office:spreadsheet>` holds `tables` (raw XML)."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODS_NS}>'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>").encode()
    manifest = (b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest='
                b'"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                b'<manifest:file-entry manifest:full-path="/" manifest:media-type="' + _ODS_MIME
                + b'"/><manifest:file-entry manifest:full-path="content.xml" '
                b'manifest:media-type="text/xml"/></manifest:manifest>')
    return _zip({"mimetype": _ODS_MIME, "META-INF/manifest.xml": manifest,
                 "content.xml": content}, stored=("mimetype",))


_FILLED = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'


def ods_repeat_fill(cells: int) -> bytes:
    """One filled cell repeated across all 16384 columns and down enough rows to make
    `cells` cells (a reader copies it into every one)."""
    rows = max(1, cells // 16384)
    extra = (f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
             'office:value-type="float" office:value="1" table:number-columns-repeated="16384">'
             "<text:p>1</text:p></table:table-cell></table:table-row>")
    return ods_bytes(extra={MEMBERS_SHEET: extra})


def ods_corner(rows: int) -> bytes:
    """Empty rows repeated `rows` times, then one filled cell in column XFD: the area up to
    that corner is filled with empty cells."""
    extra = (f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
             'table:number-columns-repeated="16384"/></table:table-row><table:table-row>'
             f'<table:table-cell table:number-columns-repeated="16383"/>{_FILLED}</table:table-row>')
    return ods_bytes(extra={MEMBERS_SHEET: extra})


def ods_repeated_text(rows: int, text_bytes: int = 1_000_000) -> bytes:
    """A cell of `text_bytes` of text in a row repeated `rows` times (a copy per row)."""
    extra = (f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
             f'office:value-type="string"><text:p>{_text(text_bytes).decode()}</text:p>'
             "</table:table-cell></table:table-row>")
    return ods_bytes(extra={MEMBERS_SHEET: extra})


def ods_spaces(count: int) -> bytes:
    """`<text:s text:c="count"/>`: `count` spaces from a dozen bytes, in one cell."""
    extra = ('<table:table-row><table:table-cell office:value-type="string"><text:p>a'
             f'<text:s text:c="{count}"/>b</text:p></table:table-cell></table:table-row>')
    return ods_bytes(extra={MEMBERS_SHEET: extra})


# --- .xls: BIFF8 records in a compound file ----------------------------------------------------

ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


def _record(rtype: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", rtype, len(data)) + data


def _sst_records(strings: Sequence[str]) -> bytes:
    """SST and its CONTINUE records (8224 bytes of data each; a string cut in two goes on
    after a new option byte, as Excel writes it). Characters are stored as UTF-16."""
    records: list[bytes] = []
    cur = bytearray(struct.pack("<II", len(strings), len(strings)))
    limit = 8224
    for s in strings:
        chars = s.encode("utf-16-le")
        if len(cur) + 3 + 2 > limit:  # the header and one character must fit
            records.append(bytes(cur))
            cur = bytearray()
        cur += struct.pack("<HB", len(s), 1)
        while chars:
            room = (limit - len(cur)) // 2 * 2
            if room <= 0:
                records.append(bytes(cur))
                cur = bytearray(b"\x01")  # option byte of the continued characters
                continue
            cur += chars[:room]
            chars = chars[room:]
    records.append(bytes(cur))
    return _record(0x00FC, records[0]) + b"".join(_record(0x003C, r) for r in records[1:])


def _xls_sheet(rows: Sequence[Sequence[Any]], sst: dict[str, int], extra: bytes = b"") -> bytes:
    body = bytearray()
    height = width = 0
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            height, width = max(height, r + 1), max(width, c + 1)
            if isinstance(value, bool):
                body += _record(0x0205, struct.pack("<HHHBB", r, c, 15, int(value), 0))
            elif isinstance(value, int | float):
                body += _record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
            else:
                if isinstance(value, dt.datetime | dt.date):
                    d = value.date() if isinstance(value, dt.datetime) else value
                    value = f"{d:%d/%m/%Y}"
                idx = sst.setdefault(str(value), len(sst))
                body += _record(0x00FD, struct.pack("<HHHI", r, c, 15, idx))
    bof = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0x41, 6))
    dims = _record(0x0200, struct.pack("<IIHHH", 0, height, 0, width, 0))
    return bof + dims + bytes(body) + extra + _record(0x000A)


def xls_bytes(sheets: Mapping[str, Sequence[Sequence[Any]]] | None = None, *,
              extra: Mapping[str, bytes] | None = None, sst_extra: Sequence[str] = (),
              cfb: Mapping[str, Any] | None = None) -> bytes:
    """An Excel 97-2003 workbook of `sheets` (default: the club workbook): BIFF8 records
    (`extra` appended to the named sheets' cells; `sst_extra` strings appended to the
    shared strings) in a compound file (`cfb` passes options to `cfb_bytes`)."""
    sheets = club_sheets() if sheets is None else sheets
    sst: dict[str, int] = {}
    bodies = [_xls_sheet(rows, sst, (extra or {}).get(name, b"")) for name, rows in sheets.items()]
    for s in sst_extra:
        sst.setdefault(s, len(sst))
    bof = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0x41, 6))
    head = bof + _record(0x0042, struct.pack("<H", 1200))
    # 16 XF records (15 of them style XFs, then the cell XF 15), as Excel requires
    xf = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    cell_xf = struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    head += b"".join(_record(0x00E0, xf) for _ in range(15)) + _record(0x00E0, cell_xf)
    names = list(sheets)
    sheet_recs_len = sum(4 + 8 + 2 * len(n) for n in names)
    sst_recs = _sst_records(list(sst))
    offset = len(head) + sheet_recs_len + len(sst_recs) + 4
    boundsheets = b""
    for name, body in zip(names, bodies, strict=True):
        boundsheets += _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 1)
                               + name.encode("utf-16-le"))
        offset += len(body)
    stream = head + boundsheets + sst_recs + _record(0x000A) + b"".join(bodies)
    return cfb_bytes({"Workbook": stream}, **(cfb or {}))


def cfb_bytes(streams: Mapping[str, bytes], *, sector_shift: int = 9,
              dir_loop: bool = False, stream_size: int | None = None,
              fat_loop: bool = False) -> bytes:
    """A compound file (MS-CFB) holding `streams` in regular sectors (each padded to 4096
    bytes, so that no mini stream is needed).

    Damage on request: `dir_loop` makes the directory's sector chain point back to itself
    (a reader following it never ends); `stream_size` is the size the directory declares
    for the first stream (whatever its real size); `fat_loop` makes the first stream's
    chain loop back to its first sector.
    """
    ss = 1 << sector_shift
    datas = [(name, data + bytes(max(0, 4096 - len(data)))) for name, data in streams.items()]
    n_stream_secs = [-(-len(d) // ss) for _, d in datas]
    n_dir = -(-((len(datas) + 1) * 128) // ss)
    n_fat = 1
    while True:
        total = n_fat + n_dir + sum(n_stream_secs)
        if n_fat * (ss // 4) >= total:
            break
        n_fat += 1
    assert n_fat <= 109, "a bigger file needs DIFAT sectors"
    fat = [FREESECT] * (n_fat * (ss // 4))
    for i in range(n_fat):
        fat[i] = FATSECT
    dir_start = n_fat
    for i in range(n_dir):
        fat[dir_start + i] = dir_start + i + 1 if i + 1 < n_dir else ENDOFCHAIN
    if dir_loop:
        fat[dir_start + n_dir - 1] = dir_start
    starts = []
    sec = dir_start + n_dir
    for n in n_stream_secs:
        starts.append(sec)
        for i in range(n):
            fat[sec + i] = sec + i + 1 if i + 1 < n else ENDOFCHAIN
        sec += n
    if fat_loop:
        fat[starts[0] + n_stream_secs[0] - 1] = starts[0]

    def entry(name: str, kind: int, start: int, size: int, child: int = NOSTREAM,
              right: int = NOSTREAM) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", NOSTREAM, right, child) + bytes(16) + struct.pack("<I", 0)
                + bytes(16) + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, ENDOFCHAIN, 0, child=1)]
    for i, (name, data) in enumerate(datas):
        size = len(data) if not (i == 0 and stream_size is not None) else stream_size
        entries.append(entry(name, 2, starts[i], size, right=i + 2 if i + 2 <= len(datas) else NOSTREAM))
    directory = b"".join(entries).ljust(n_dir * ss, b"\0")
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3 if ss == 512 else 4, 0xFFFE, sector_shift, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0 if ss == 512 else n_dir, n_fat, dir_start, 0,
                     4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    struct.pack_into("<109I", header, 76, *difat)
    out = bytes(header).ljust(ss, b"\0")
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += directory
    for _, data in datas:
        out += data.ljust(-(-len(data) // ss) * ss, b"\0")
    return out


def xls_far_cell(row: int) -> bytes:
    """A number in column IV (the last of .xls) at `row` (≤ 65536)."""
    rec = _record(0x0203, struct.pack("<HHHd", row - 1, 255, 15, 1.0))
    return xls_bytes(extra={MEMBERS_SHEET: rec})


def xls_sst_amplify(rows: int, chars: int = 65535) -> bytes:
    """`rows` cells referencing one shared string of `chars` characters (the most a .xls
    string holds)."""
    big = "".join(chr(0x61 + i % 26) for i in range(chars))
    n = len({str(v) for rows_ in club_sheets().values() for r in rows_ for v in r
             if v not in (None, "") and not isinstance(v, bool | int | float)})
    # the big string comes after the club's own strings: its index is `n`
    recs = b"".join(_record(0x00FD, struct.pack("<HHHI", r, 16, 15, n)) for r in range(100, 100 + rows))
    return xls_bytes(extra={MEMBERS_SHEET: recs}, sst_extra=[big])


def xls_dir_loop(size: int = 0) -> bytes:
    """A compound file whose directory chain loops forever (a reader that follows it grows
    its directory until memory runs out)."""
    return xls_bytes(cfb={"dir_loop": True})


def xls_stream_size(size: int) -> bytes:
    """A compound file whose directory says the workbook stream holds `size` bytes."""
    return xls_bytes(cfb={"stream_size": size})


def xls_sheet_offset(offset: int) -> bytes:
    """A BoundSheet record that puts the first sheet at `offset`, past the end of the
    workbook stream (python-calamine panics on it when it opens the file)."""
    book = bytearray(xls_bytes())
    first = next(iter(club_sheets()))
    record = _record(0x0085, bytes(4) + struct.pack("<BBBB", 0, 0, len(first), 1)
                     + first.encode("utf-16-le"))
    at = book.index(record[:4])  # the first BoundSheet record (type, size)
    struct.pack_into("<I", book, at + 4, offset)
    return bytes(book)


def xls_fat_loop(size: int = 0) -> bytes:
    """A compound file whose workbook stream's sector chain loops forever."""
    return xls_bytes(cfb={"fat_loop": True})


# --- the kinds already refused before issue 18 -----------------------------------------------

LAUGHS = b"".join(
    b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"lol") * 10)
    for i in range(1, 10))


def billion_laughs(depth: int = 9) -> bytes:
    """Nested entities in the members sheet (10**depth copies of `lol` once expanded)."""
    dtd = b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE lolz [' + b"".join(
        LAUGHS.split(b">")[i] + b">" for i in range(depth)) + b"]>"
    members = _members()
    xml = members[MEMBERS_PART]
    xml = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    members[MEMBERS_PART] = dtd + xml.replace(b"<t>Nguy", b"<t>&lol%d;Nguy" % depth, 1)
    return _zip(members)


def zip_bomb(unzipped: int) -> bytes:
    """The club workbook plus a member that inflates to `unzipped` zero bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in _members().items():
            zf.writestr(name, data)
        with zf.open("xl/media/image1.bin", "w", force_zip64=True) as fh:
            chunk = bytes(1 << 20)
            left = unzipped
            while left > 0:
                fh.write(chunk[:min(left, len(chunk))])
                left -= len(chunk)
    return buf.getvalue()


def many_members(count: int) -> bytes:
    """The club workbook plus `count` tiny pictures."""
    members = _members()
    members.update({f"xl/media/image{i}.png": b"\x89PNG" for i in range(count)})
    return _zip(members)


# --- the corpus --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """One kind of hostile file: `build(size)` gives its bytes; `small` is the size tests
    build, `big` the size `make fuzz` builds; `codes` the issue codes the scan may refuse
    the file with (every kind here is refused, even small)."""

    name: str
    suffix: str
    build: Callable[[int], bytes]
    small: int
    big: int
    codes: frozenset[str] = frozenset({"file-too-large"})
    note: str = ""  # what the file is; `{n}` stands for the size

    def what(self, size: int) -> str:
        return self.note.format(n=f"{size:,}")


def _far(spelling: str) -> Callable[[int], bytes]:
    return lambda row: far_cell(spelling, row)


_TOO_LARGE = frozenset({"file-too-large"})
_UNREADABLE = frozenset({"file-unreadable"})

CORPUS: dict[str, Hostile] = {}


def _add(h: Hostile) -> None:
    assert h.name not in CORPUS
    CORPUS[h.name] = h


# a far cell: 16384 columns × `size` rows; small = 200 rows (3.3 M cells, over the 2 M limit)
for _spelling in FAR_SPELLINGS:
    _add(Hostile(f"far_cell_{_spelling}", ".xlsx", _far(_spelling), 200, 1048576,
                 codes=_TOO_LARGE | (_UNREADABLE if _spelling in ("char-reference", "space-in-value")
                                     else frozenset()),
                 note=f"XFD{{n}} spelt {_spelling}"))
for _spelling in FAR_PARTS:
    _add(Hostile(f"far_cell_part_{_spelling}", ".xlsx", _far(_spelling), 200, 1048576,
                 note=f"XFD{{n}} in sheet part {FAR_PARTS[_spelling]}"))
for _spelling in ("row-only", "row-with-column"):  # 17 columns: 200,000 rows make 3.4 M cells
    CORPUS[f"far_cell_{_spelling}"] = Hostile(f"far_cell_{_spelling}", ".xlsx", _far(_spelling),
                                              200_000, 1048576, note=f"row {{n}} spelt {_spelling}")
_add(Hostile("far_cell_unicode_path", ".xlsx", far_cell_unicode_path, 200, 1048576,
             note="XFD{n} in a member renamed by a Unicode Path extra field"))
_add(Hostile("self_closing_rows", ".xlsx", self_closing_rows, 200, 1_000_000,
             note="<row/> × {n}, then a cell without reference after one at XFD1"))
_add(Hostile("dimension_upper", ".xlsx", lambda n: dimension("upper", n), 30_000, 1_000_000,
             note="A1:CV{n}, its corner filled, in part sheet3.XML"))
_add(Hostile("dimension_binary", ".xlsx", lambda n: dimension("binary", n), 30_000, 1_000_000,
             note="A1:CV{n}, its corner filled, in part sheet3.bin"))
_add(Hostile("xlsb_parts", ".xlsx", xlsb_parts, 1, 1, codes=frozenset({"file-format"}),
             note="xl/workbook.bin in an .xlsx"))
_add(Hostile("sst_amplify", ".xlsx", sst_amplify, 10, 10_000,
             note="{n} cells × one 4 MB shared string (sst_amplify_10k_rows)"))
_add(Hostile("sst_amplify_1k", ".xlsx", lambda n: sst_amplify(1_000, n), 40_000, 1_800_000,
             note="1,000 cells × one shared string of {n} bytes"))
_add(Hostile("sst_unique_count", ".xlsx", sst_unique_count, 3_000_000, 4_000_000_000,
             note="uniqueCount={n} in sharedStrings.xml"))
_add(Hostile("ods_repeat_fill", ".ods", ods_repeat_fill, 3_000_000, 99_000_000,
             note="a filled cell repeated over 16,384 columns and down: {n} cells"))
_add(Hostile("ods_corner", ".ods", ods_corner, 200, 6_000,
             note="{n} empty rows repeated, then a filled cell in column XFD"))
_add(Hostile("ods_repeated_text", ".ods", ods_repeated_text, 40, 2_000,
             note="1 MB of text in a row repeated {n} times"))
_add(Hostile("ods_spaces", ".ods", ods_spaces, 40_000_000, 2_000_000_000,
             note='<text:s text:c="{n}"/>'))
_add(Hostile("xls_far_cell", ".xls", xls_far_cell, 20_000, 65_536,
             note="a number at IV{n}"))
_add(Hostile("xls_sst_amplify", ".xls", xls_sst_amplify, 1_000, 10_000,
             note="{n} cells × one 65,535-character shared string"))
_add(Hostile("xls_dir_loop", ".xls", xls_dir_loop, 0, 0, codes=_UNREADABLE,
             note="compound file: directory chain loops"))
_add(Hostile("xls_fat_loop", ".xls", xls_fat_loop, 0, 0, codes=_UNREADABLE,
             note="compound file: workbook stream chain loops"))
_add(Hostile("xls_sheet_offset", ".xls", xls_sheet_offset, 10_000_000, 2**32 - 1, codes=_UNREADABLE,
             note="BoundSheet: first sheet at offset {n}, past the stream"))
_add(Hostile("xls_stream_size", ".xls", xls_stream_size, 2**31, 2**62, codes=_UNREADABLE,
             note="compound file: workbook stream declared {n} bytes"))
_add(Hostile("billion_laughs", ".xlsx", billion_laughs, 9, 9, codes=_UNREADABLE,
             note="nested entities"))
_add(Hostile("zip_bomb", ".xlsx", zip_bomb, 400 * 2**20, 4 * 2**30, note="a member of {n} zero bytes"))
_add(Hostile("many_members", ".xlsx", many_members, 3_000, 60_000, note="{n} members"))


def write(name: str, size: int, folder: Path) -> Path:
    """Build `CORPUS[name]` at `size` into `folder`; returns the file's path."""
    h = CORPUS[name]
    path = folder / f"{name}{h.suffix}"
    path.write_bytes(h.build(size))
    return path
