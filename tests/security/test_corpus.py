"""The hostile-file corpus (`corpus.py`) at its small sizes, and properties of the safety scan
checked against python-calamine itself (issue 18).

- Every small hostile file is refused by `scan_bytes` with the default limits, and
  `validate` gives it its one file-level issue within seconds — in a child process with an
  address-space limit, so that a hole is a failed test, not a killed test run.
- Generated spellings of a far cell (prefixes, quotes, white space, entities, a second `r`,
  a `>` in a value, the part's name) are all refused; the same spellings near A1 are read.
- Generated sheets (.xlsx, .ods, .xls) and shared strings, small enough for calamine to read
  here: whenever calamine builds more cells (or copies more text) than a limit allows, the
  scan refuses the file under that limit; for plainly written sheets it refuses exactly
  then.
- Ordinary files still pass: the sample data, bench workbooks, and LibreOffice's own .ods
  and .xls (their trailing repeated empty cells and rows), which read like the .xlsx.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clubtool.validation import validate
from clubtool.workbook._files import DEFAULT_LIMITS, Limits, Rejected, scan_bytes
from tests.conftest import needs_soffice

from . import corpus as C
from .test_hostile_inputs import TIME_LIMIT, in_child

ROOT = Path(__file__).resolve().parents[2]
NAMES = sorted(C.CORPUS)


def refused(data: bytes, suffix: str = ".xlsx", limits: Limits = DEFAULT_LIMITS) -> str | None:
    """The issue code the scan refuses `data` with, or None when it lets it through."""
    try:
        scan_bytes(data, suffix, limits)
    except Rejected as r:
        return r.code
    return None


def calamine_sizes(data: bytes) -> dict[str, tuple[int, int, list[list[object]]]]:
    """Each sheet as clubtool's reader gets it: (rows, columns, values) from A1."""
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    out = {}
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        out[name] = (len(rows), max(map(len, rows), default=0), rows)
    return out


# --- the corpus, small --------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_scan_refuses_each_small_hostile_file(name):
    h = C.CORPUS[name]
    code = refused(h.build(h.small), h.suffix)
    assert code in h.codes, (name, code)


def test_validate_gives_each_small_hostile_file_one_issue_quickly(tmp_path):
    paths = {name: C.write(name, C.CORPUS[name].small, tmp_path) for name in NAMES}
    results = in_child(*paths.values())
    for name, path in paths.items():
        got = results[str(path)]
        (issue,) = got["issues"]
        assert issue[0] in C.CORPUS[name].codes and issue[1:] == [None, None], (name, got)
        assert got["seconds"] < TIME_LIMIT, (name, got)


# --- every spelling of a far cell ---------------------------------------------------------

FAR = ["XFD1048576", "CV30000", "A3000000", "ZZZ99999"]
NEAR = ["A1", "Q64", "cz9999", "B7"]
EQUALS = ["=", " =", "= ", " \t=\n "]
SEPARATORS = [" ", "\t", "\n", "\r\n", "  "]
OTHERS = ['s="1"', "t='n'", 's=">"', "foo='\">'", 'x14ac:dy="0"', 'cm="1"']


@st.composite
def r_attribute(draw, ref: str) -> str:
    """`r="ref"` spelt one of the ways XML allows (and a few a reader refuses)."""
    value = draw(st.sampled_from([ref, ref.lower(), ref.upper(), ref.swapcase()]))
    chars = []
    for ch in value:
        how = draw(st.sampled_from(["", "", "", "", "dec", "hex"]))
        chars.append(ch if not how else f"&#{ord(ch)};" if how == "dec" else f"&#x{ord(ch):X};")
    pad = draw(st.sampled_from(["", "", " ", "\t"]))
    quote = draw(st.sampled_from(['"', "'"]))
    prefix = draw(st.sampled_from(["", "", "", "x:"]))
    return f"{prefix}r{draw(st.sampled_from(EQUALS))}{quote}{pad}{''.join(chars)}{pad}{quote}"


@st.composite
def cell_tag(draw, ref: str) -> str:
    attrs = [draw(r_attribute(ref))]
    if draw(st.booleans()):  # a second reference, before or after: the reader takes the last
        attrs.insert(draw(st.integers(0, 1)), 'r="A1"')
    for other in draw(st.lists(st.sampled_from(OTHERS), max_size=3)):
        attrs.insert(draw(st.integers(0, len(attrs))), other)
    text = ""
    for i, a in enumerate(attrs):
        # (after a quoted value, no space is needed before the next attribute)
        text += draw(st.sampled_from(SEPARATORS + ([""] if i else []))) + a
    prefix = draw(st.sampled_from(["", "x:", "ô:", "1:", "main:"]))
    if draw(st.booleans()):
        return f"<{prefix}c{text}/>"
    return f"<{prefix}c{text}{draw(st.sampled_from(['', ' ', chr(10)]))}><v>1</v></{prefix}c>"


PARTS = ["xl/worksheets/sheet1.xml", "xl/worksheets/SHEET1.XML", "xl/worksheets/sheet1.bin",
         "xl/worksheets/Sheet1", "XL/Worksheets/sheet1.xml"]


ROWS = [('<row r="1">', "</row>"), ("<row>", "</row>"), ("<x:row spans='1:3' r = '1' >", "</x:row>")]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FAR).flatmap(cell_tag), st.sampled_from(PARTS), st.sampled_from(ROWS))
def test_far_cells_are_refused_however_written(tag, part, row):
    xml = C.sheet_xml(f"{row[0]}{tag}{row[1]}".encode())
    assert refused(C.minimal_xlsx(xml, part=part)) == "file-too-large", tag


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NEAR).flatmap(cell_tag), st.sampled_from(PARTS))
def test_near_cells_are_read_however_written(tag, part):
    xml = C.sheet_xml(f'<row r="1">{tag}</row>'.encode())
    assert refused(C.minimal_xlsx(xml, part=part)) is None, tag


@pytest.mark.parametrize("tag", [
    '<C R="XFD1048576"><v>1</v></C>', '<cell r="XFD1048576"><v>1</v></cell>',
    '<c xr="XFD1048576"><v>1</v></c>', '<a:b:c r="XFD1048576"><v>1</v></a:b:c>',
    '<is r="XFD1048576"/>', '<c r="B2" t="str"><v>XFD1048576</v></c>'])
def test_what_the_reader_takes_for_no_far_cell_is_read(tag):
    """Element and attribute names are case-sensitive and matched on their local part: none
    of these is a cell at XFD1048576 for python-calamine, nor for the scan."""
    xml = C.sheet_xml(f'<row r="1">{tag}</row>'.encode())
    assert refused(C.minimal_xlsx(xml)) is None
    (rows, cols, _), = calamine_sizes(C.minimal_xlsx(xml)).values()
    assert rows * cols <= 4


# --- the scan against python-calamine: .xlsx ----------------------------------------------


@st.composite
def xlsx_sheet(draw) -> tuple[bytes, bool]:
    """Rows of cells at small positions, written in the spellings calamine reads; and
    whether the sheet is written plainly — each cell with one reference, in its row, after
    the cell before it — (then the scan is exact)."""
    plain = True
    out = []
    for _ in range(draw(st.integers(1, 6))):
        row_ref = draw(st.one_of(st.none(), st.integers(1, 40)))
        plain &= row_ref is not None
        prefix = draw(st.sampled_from(["", "", "x:"]))
        cells = []
        last = 0
        for _ in range(draw(st.integers(0, 5))):
            kind = draw(st.sampled_from(["plain", "plain", "none", "second", "quoted", "gt"]))
            col = draw(st.integers(1, 30))
            row = draw(st.one_of(st.just(row_ref or 1), st.integers(1, 40)))
            ref = f"{C._letters(col)}{row}"
            other = f"{C._letters(draw(st.integers(1, 30)))}{draw(st.integers(1, 40))}"
            attrs = {"plain": f' r="{ref}"', "none": "", "second": f' r="{other}" r="{ref}"',
                     "quoted": f"\tr = '{ref.lower()}'", "gt": f' s=">" r="{ref}"'}[kind]
            plain &= kind == "plain" and row == row_ref and col > last
            last = col
            cells.append(f"<{prefix}c{attrs}><v>1</v></{prefix}c>")
        r = f' r="{row_ref}"' if row_ref is not None else ""
        if not cells and draw(st.booleans()):
            out.append(f"<{prefix}row{r}/>")
        else:
            out.append(f"<{prefix}row{r}>{''.join(cells)}</{prefix}row>")
    return C.sheet_xml("".join(out).encode()), plain


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(xlsx_sheet())
def test_xlsx_extent_is_never_below_what_calamine_builds(sheet):
    xml, plain = sheet
    data = C.minimal_xlsx(xml)
    (rows, cols, _), = calamine_sizes(data).values()
    area = rows * cols
    if area:
        assert refused(data, limits=Limits(max_cells=area - 1)) == "file-too-large"
    if plain:
        assert refused(data, limits=Limits(max_cells=max(area, 1))) is None


# --- .ods ---------------------------------------------------------------------------------

ODS_CELLS = {
    "empty": "<table:table-cell{r}/>",
    "number": '<table:table-cell office:value-type="float" office:value="3"{r}><text:p>3</text:p>'
              "</table:table-cell>",
    "text": '<table:table-cell office:value-type="string"{r}><text:p>chữ &amp; số</text:p>'
            "</table:table-cell>",
    "empty-text": '<table:table-cell office:value-type="string"{r}/>',
    "bool": '<table:table-cell office:value-type="boolean" office:boolean-value="true"{r}/>',
    "covered": '<table:covered-table-cell office:value-type="float" office:value="1"{r}/>',
    # the reader keeps these empty; the scan counts them as filled
    "formula-only": '<table:table-cell table:formula="of:=1"{r}/>',
    "note": "<table:table-cell{r}><office:annotation><text:p>ghi chú</text:p>"
            "</office:annotation></table:table-cell>",
}


@st.composite
def ods_sheet(draw) -> tuple[str, bool, int]:
    """A table with repeated cells and rows (LibreOffice's trailing empty ones too); whether
    every filled cell is one the reader keeps; and the text the repeats copy."""
    exact = True
    copied = 0
    rows = []
    if draw(st.booleans()):
        lead = draw(st.integers(1, 30))
        rows.append(f'<table:table-row table:number-rows-repeated="{lead}"><table:table-cell '
                    'table:number-columns-repeated="16384"/></table:table-row>')
    for _ in range(draw(st.integers(1, 6))):
        row_repeat = draw(st.integers(1, 4))
        cells = []
        for _ in range(draw(st.integers(0, 5))):
            kind = draw(st.sampled_from(sorted(ODS_CELLS)))
            repeat = draw(st.integers(1, 5))
            exact &= kind not in ("formula-only", "note")
            r = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
            cells.append(ODS_CELLS[kind].format(r=r))
            if kind == "text" and repeat * row_repeat > 1:
                copied += len("chữ & số".encode()) * repeat * row_repeat
        if draw(st.booleans()):  # as LibreOffice ends a row
            cells.append('<table:table-cell table:number-columns-repeated="16000"/>')
        rr = f' table:number-rows-repeated="{row_repeat}"' if row_repeat > 1 else ""
        rows.append(f"<table:table-row{rr}>{''.join(cells)}</table:table-row>")
    if draw(st.booleans()):  # as LibreOffice ends a sheet
        rows.append('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
                    'table:number-columns-repeated="16384"/></table:table-row>')
    table = f'<table:table table:name="S">{"".join(rows)}</table:table>'
    return table, exact, copied


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ods_sheet())
def test_ods_extent_is_never_below_what_calamine_builds(sheet):
    table, exact, copied = sheet
    data = C.ods_raw(table)
    sizes = calamine_sizes(data)
    rows, cols, _ = sizes.get("S", (0, 0, []))
    area = rows * cols
    if area:
        assert refused(data, ".ods", Limits(max_cells=area - 1)) == "file-too-large"
    if exact:
        assert refused(data, ".ods", Limits(max_cells=max(area, 1))) is None
    if copied:
        assert refused(data, ".ods", Limits(max_text_bytes=copied - 1)) == "file-too-large"


def test_libreoffice_style_trailing_repeats_are_not_cells():
    """Every row padded to column XFD and the sheet to row 1048576 with empty repeated cells
    (as LibreOffice saves): 17 billion cells on paper, none for the reader."""
    assert refused(C.ods_bytes(), ".ods") is None


# --- .xls ---------------------------------------------------------------------------------


@st.composite
def xls_records(draw) -> bytes:
    """Cell records (and blanks, which the reader skips) at small positions; columns past IV
    too (the reader takes any 16-bit column)."""
    import struct

    out = b""
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["number", "rk", "sst", "bool", "mulrk", "label", "blank",
                                     "formula"]))
        row, col = draw(st.integers(0, 200)), draw(st.integers(0, 300))
        if kind == "number":
            out += C._record(0x0203, struct.pack("<HHHd", row, col, 15, 2.5))
        elif kind == "rk":
            out += C._record(0x027E, struct.pack("<HHHI", row, col, 15, 0x3FF00000))
        elif kind == "sst":
            out += C._record(0x00FD, struct.pack("<HHHI", row, col, 15, 0))
        elif kind == "bool":
            out += C._record(0x0205, struct.pack("<HHHBB", row, col, 15, 1, 0))
        elif kind == "mulrk":
            n = draw(st.integers(1, 4))
            out += C._record(0x00BD, struct.pack("<HH", row, col) + struct.pack(
                "<HI", 15, 0x3FF00000) * n + struct.pack("<H", col + n - 1))
        elif kind == "label":
            out += C._record(0x0204, struct.pack("<HHHHB", row, col, 15, 2, 0) + b"ab")
        elif kind == "blank":
            out += C._record(0x0201, struct.pack("<HHH", row, col, 15))
        else:
            out += C._record(0x0006, struct.pack("<HHHdHI", row, col, 15, 4.0, 0, 0)
                             + struct.pack("<H", 3) + b"\x1e\x01\x00")
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(xls_records())
def test_xls_extent_is_never_below_what_calamine_builds(cells):
    data = C.xls_bytes({"S": [["x"]]}, extra={"S": cells})
    rows, cols, _ = calamine_sizes(data)["S"]
    area = rows * cols
    assert refused(data, ".xls", Limits(max_cells=area - 1)) == "file-too-large"
    assert refused(data, ".xls", Limits(max_cells=area)) is None


def test_xls_writer_reads_like_the_xlsx():
    assert refused(C.xls_bytes(), ".xls") is None
    assert calamine_sizes(C.xls_bytes()).keys() == calamine_sizes(C.club_xlsx()).keys()


# --- shared strings -----------------------------------------------------------------------

SI = {
    "plain": "<si><t>{s}</t></si>",
    "spaced": '<si><t xml:space="preserve"> {s} </t></si>',
    "rich": "<si><r><rPr><b/></rPr><t>{s}</t></r><r><t>{s}</t></r></si>",
    "phonetic": "<si><t>{s}</t><rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh></si>",
    "empty": "<si/>",
    "empty-t": "<si><t></t></si>",
    "prefixed": '<x:si xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                "<x:t>{s}</x:t></x:si>",
}
NOISE = ["", "", "<!-- <si><t>giả</t></si> -->", "<?pi <si> ?>"]


@st.composite
def shared_strings(draw) -> tuple[bytes, int]:
    items = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(sorted(SI)))
        text = draw(st.text("abc xyzđươngẠ&<>\"", max_size=300))
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        items.append(draw(st.sampled_from(NOISE)) + SI[kind].format(s=escaped))
    sst = ('<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.'
           f'org/spreadsheetml/2006/main">{"".join(items)}</sst>').encode()
    return sst, len(items)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shared_strings(), st.lists(st.integers(0, 7), min_size=1, max_size=40),
       st.sampled_from(['t="s"', "t = 's'", 's="1" t="s"']))
def test_shared_string_text_is_never_below_what_calamine_copies(sst, refs, typed):
    xml, count = sst
    cells = "".join(f'<row r="{i + 1}"><c r="A{i + 1}" {typed}><v>{ref % count}</v></c></row>'
                    for i, ref in enumerate(refs))
    data = C.minimal_xlsx(C.sheet_xml(cells.encode()), shared_strings=xml)
    _, _, rows = calamine_sizes(data)["Sheet1"]
    copied = sum(len(str(r[0]).encode()) for r in rows if r and r[0] != "")
    if copied:
        assert refused(data, limits=Limits(max_text_bytes=copied - 1)) == "file-too-large"


def test_declared_string_count_is_a_limit():
    assert refused(C.sst_unique_count(2_000_000)) is None
    assert refused(C.sst_unique_count(2_000_001)) == "file-too-large"


# --- the scan's own time ------------------------------------------------------------------


def _mixed(unit: bytes, n: int = 100_000) -> bytes:
    """`unit` n times, each followed by random letters (so that no zip-ratio check fires)."""
    import random

    rnd = random.Random(18)
    return b"".join(unit + bytes(rnd.choices(b"abcdefghijklmnop", k=6)) for _ in range(n))


@pytest.mark.parametrize("unit", [b"<!--", b"<![CDATA[", b"<?x", b"<![", b'<x "', b'<c r="A1" s="',
                                  b' t="s" "', b"< ", b"<c>"])
def test_scan_time_stays_linear_on_broken_markup(unit):
    """Markup that never ends (a comment, a quoted value) must not make the searches start
    over at every later `<`: ~0.7 MB of it is scanned in well under a second."""
    import time

    sheet = C.sheet_xml(_mixed(unit))
    for data, suffix in ((C.minimal_xlsx(sheet, shared_strings=b"<sst><si><t>x</t></si></sst>"), ".xlsx"),
                         (C.ods_raw('<table:table table:name="S"><table:table-row>'
                                    + _mixed(unit.replace(b"<c", b"<table:table-cell")).decode()), ".ods")):
        started = time.monotonic()
        refused(data, suffix)
        assert time.monotonic() - started < 2.0, (unit, suffix)


# --- ordinary files pass ------------------------------------------------------------------


def test_sample_and_bench_workbooks_pass(tmp_path):
    from clubtool_sample import write_many

    files = sorted((ROOT / "sample_data").glob("*.xlsx")) + write_many(tmp_path, 3)
    assert files
    for p in files:
        assert refused(p.read_bytes(), p.suffix) is None, p


def test_written_ods_and_xls_read_like_the_xlsx(tmp_path):
    paths = []
    for suffix, data in ((".xlsx", C.club_xlsx()), (".ods", C.ods_bytes()), (".xls", C.xls_bytes())):
        p = tmp_path / suffix[1:] / f"clb{suffix}"
        p.parent.mkdir()
        p.write_bytes(data)
        paths.append(p)
    issues = [[(i.code, i.sheet, i.cell) for f in validate([p]).files for i in f.issues]
              for p in paths]
    assert issues == [issues[0]] * 3


@needs_soffice
def test_libreoffice_ods_and_xls_pass_and_read_like_the_xlsx(tmp_path, soffice_convert):
    from ..factories import changed, club_data, write_club

    src = write_club(tmp_path / "clb.xlsx", changed(club_data(), "members", 0, gender="Gái"))
    converted = [soffice_convert([src], to, tmp_path / to)[0] for to in ("ods", "xls")]
    expected = [(i.code, i.sheet, i.cell) for f in validate([src]).files for i in f.issues]
    assert expected == [("enum", "Thành viên", "C2")]
    for p in converted:
        assert refused(p.read_bytes(), p.suffix) is None, p
        got = [(i.code, i.sheet, i.cell) for f in validate([p]).files for i in f.issues]
        assert got == expected, p
