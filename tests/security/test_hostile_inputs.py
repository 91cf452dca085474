"""Hostile workbooks: each is refused quickly as a problem of that file, never a hang or a crash.

The checks of `clubtool.workbook._files` run on the bytes before any parser sees them:
entity declarations (billion laughs, external entities), zip bombs, zips of thousands of
members. Cases that could exhaust memory run in a child process with an address-space limit,
so that a failure is a failed test, not a killed test run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clubtool.validation import validate
from clubtool.workbook._files import Limits

from ..factories import changed, club_data, write_club, write_zip, write_zip_bomb, zip_members

MEMBERS_PART = "xl/worksheets/sheet3.xml"  # `Thành viên` in the factory workbooks
INFO_PART = "xl/worksheets/sheet2.xml"  # `Thông tin CLB`
TIME_LIMIT = 5.0

LAUGHS = b"".join(
    b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"lol") * 10)
    for i in range(1, 10))


def billion_laughs(pad: bytes = b"") -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>' + pad + b"<!DOCTYPE lolz [" + LAUGHS + b"]>"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A club workbook with one error (so that every later stage would run on it)."""
    data = changed(club_data(), "members", 0, gender="Gái")
    return write_club(tmp_path_factory.mktemp("base") / "clb.xlsx", data)


def outcome(path: Path, **kw) -> tuple[list[tuple[str, str | None, str | None]], float]:
    started = time.monotonic()
    report = validate([path], **kw)
    elapsed = time.monotonic() - started
    return [(i.code, i.sheet, i.cell) for f in report.files for i in f.issues], elapsed


def assert_refused(path: Path, code: str = "file-unreadable", **kw) -> None:
    issues, elapsed = outcome(path, **kw)
    assert issues == [(code, None, None)]
    assert elapsed < TIME_LIMIT


def with_part(base: Path, out: Path, part: str, xml: bytes) -> Path:
    members = zip_members(base)
    members[part] = xml
    return write_zip(out, members)


def with_shared_strings(base: Path, out: Path, prolog: bytes, text: bytes) -> Path:
    """`base` with its `Tên CLB` (B3 of `Thông tin CLB`) moved into xl/sharedStrings.xml."""
    members = zip_members(base)
    info = members[INFO_PART]
    info, n = re.subn(rb'<c r="B3" t="inlineStr"><is><t>[^<]*</t></is></c>',
                      b'<c r="B3" t="s"><v>0</v></c>', info)
    assert n == 1
    members[INFO_PART] = info
    members["xl/sharedStrings.xml"] = prolog + (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>' + text + b"</t></si></sst>")
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdSS"/></Relationships>')
    return write_zip(out, members)


def test_shared_strings_workbook_is_read(base, tmp_path):
    """The crafted shared-strings workbook is sound: the bombs below differ only by a DTD."""
    p = with_shared_strings(base, tmp_path / "ss.xlsx", b'<?xml version="1.0"?>', b"CLB X")
    issues, _ = outcome(p)
    assert issues == [("enum", "Thành viên", "C2")]


# --- entity declarations ------------------------------------------------------------------


@pytest.mark.parametrize("pad", [b"", b"\n" * 6000, b"<!--" + b"x" * 6000 + b"-->",
                                 b"<!-- <a " + b"y" * 6000 + b" -->", b"<?pi " + b"z" * 6000 + b"?>"],
                         ids=["plain", "padded", "after-comment", "comment-with-tag", "after-pi"])
def test_billion_laughs_in_a_worksheet(base, tmp_path, pad):
    xml = zip_members(base)[MEMBERS_PART].replace(b"<t>Nguy", b"<t>&lol9;Nguy", 1)
    p = with_part(base, tmp_path / "lol.xlsx", MEMBERS_PART, billion_laughs(pad) + xml)
    assert_refused(p)


def test_declared_but_unused_entities_are_refused_too(base, tmp_path):
    xml = zip_members(base)[MEMBERS_PART]
    p = with_part(base, tmp_path / "lol.xlsx", MEMBERS_PART, billion_laughs(b" " * 5000) + xml)
    assert_refused(p)


@pytest.mark.parametrize("pad", [b"", b" " * 6000])
def test_billion_laughs_in_shared_strings(base, tmp_path, pad):
    p = with_shared_strings(base, tmp_path / "lol.xlsx", billion_laughs(pad), b"&lol9;")
    assert_refused(p)


def test_external_entity_is_refused(base, tmp_path):
    xxe = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    p = with_shared_strings(base, tmp_path / "xxe.xlsx", xxe, b"&xxe;")
    assert_refused(p)
    report = validate([p])
    text = json.dumps(report.to_dict("vi"), ensure_ascii=False)
    assert "root:" not in text


def test_external_entity_in_a_worksheet_is_refused(base, tmp_path):
    xml = zip_members(base)[MEMBERS_PART].replace(b"<t>Nguy", b"<t>&xxe;Nguy", 1)
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    p = with_part(base, tmp_path / "xxe.xlsx", MEMBERS_PART, dtd + xml)
    assert_refused(p)


QUICK_PARTS = ["xl/styles.xml", "xl/theme/theme1.xml", "docProps/app.xml", "[Content_Types].xml",
               "_rels/.rels", "xl/_rels/workbook.xml.rels"]


@pytest.mark.parametrize("part", QUICK_PARTS)
@pytest.mark.parametrize("pad", [b"", b"\n" * 6000, b"<!--" + b"x" * 6000 + b"-->",
                                 b"<?pi " + b"z" * 3000 + b"?><!-- <a -->"],
                         ids=["plain", "padded", "after-comment", "after-pi-and-comment"])
def test_entities_in_parts_without_cells(base, tmp_path, part, pad):
    """Parts without cells are checked by their prolog only — however long the prolog."""
    xml = zip_members(base)[part]
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    p = with_part(base, tmp_path / "lol.xlsx", part, billion_laughs(pad) + body)
    assert_refused(p)


@pytest.mark.parametrize("part", QUICK_PARTS)
def test_parts_without_cells_with_odd_but_harmless_prologs_are_read(base, tmp_path, part):
    xml = zip_members(base)[part]
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    for i, head in enumerate([b"\xef\xbb\xbf<?xml version='1.0'?>", b"<!-- <!DOCTYPE x> -->\r\n",
                              b" \t\n<?xml version=\"1.0\"?><?pi ?>\n<!---->"]):
        p = with_part(base, tmp_path / f"ok{i}.xlsx", part, head + body)
        issues, _ = outcome(p)
        assert issues == [("enum", "Thành viên", "C2")], head


def test_prolog_reading_agrees_with_the_grammar():
    from hypothesis import given as given_
    from hypothesis import strategies as st_

    from clubtool.workbook._files import _declares_dtd

    misc = st_.sampled_from([b" ", b"\n", b"<!-- c -->", b"<!-- <!DOCTYPE no> -->", b"<?pi x?>",
                             b"<!---->", b"<?pi <!DOCTYPE no> ?>"])

    @given_(st_.booleans(), st_.lists(misc, max_size=6), st_.lists(misc, max_size=3),
            st_.sampled_from([b"<!DOCTYPE a>", b"<!doctype a [<!ENTITY b 'c'>]>"]),
            st_.sampled_from([b"<root>", b"<x:root a='1'>", b"<\xe1\xba\xa1>"]),
            st_.sampled_from([b"</root>", b"<![CDATA[<!DOCTYPE no>]]>", b"<!-- <!ENTITY no> -->"]))
    def check(dtd, before, after, decl, root, body):
        xml = b"<?xml version='1.0'?>" + b"".join(before) + (decl if dtd else b"") + b"".join(after)
        assert _declares_dtd(xml + root + body) is dtd

    check()


def test_entity_in_the_workbook_part(base, tmp_path):
    members = zip_members(base)
    p = with_part(base, tmp_path / "wb.xlsx", "xl/workbook.xml",
                  billion_laughs() + members["xl/workbook.xml"])
    assert_refused(p)


# --- zips ---------------------------------------------------------------------------------


def test_zip_bomb_rejected_before_parsing(base, tmp_path):
    bomb = write_zip_bomb(tmp_path / "bom.xlsx", base, 400 * 2**20)
    assert_refused(bomb, "file-too-large")


def test_zip_bomb_in_a_worksheet_part(base, tmp_path):
    bomb = write_zip_bomb(tmp_path / "bom.xlsx", base, 50 * 2**20, member="xl/worksheets/sheet9.xml")
    assert_refused(bomb, "file-too-large")


def test_thousands_of_members(base, tmp_path):
    members = zip_members(base)
    members.update({f"xl/media/image{i}.png": b"\x89PNG" for i in range(3000)})
    p = write_zip(tmp_path / "nhieu.xlsx", members)
    assert_refused(p, "file-too-large")


def test_limits_are_settings(base):
    assert_refused(base, "file-too-large", limits=Limits(max_members=5))
    assert_refused(base, "file-too-large", limits=Limits(max_unzipped_bytes=10_000))


def test_not_a_zip_despite_the_signature(tmp_path):
    p = tmp_path / "gia.xlsx"
    p.write_bytes(b"PK\x03\x04" + bytes(2000))
    assert_refused(p)


# --- huge sheets (in a child process with a memory limit) ---------------------------------

_CHILD = r"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))
from clubtool.validation import validate
out = {}
for path in sys.argv[1:]:
    started = time.monotonic()
    report = validate([path])
    issues = [[i.code, i.sheet, i.cell] for f in report.files for i in f.issues]
    out[path] = {"issues": issues, "seconds": time.monotonic() - started,
                 "message": report.files[0].issues[0].message("vi") if issues else ""}
print(json.dumps(out))
"""


def in_child(*paths: Path) -> dict[str, dict]:
    """validate() each file in a child process limited to 3 GB of address space."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", _CHILD, *map(str, paths)], capture_output=True,
                          text=True, timeout=120, cwd=root, check=False)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    return json.loads(done.stdout)


def with_rows(base: Path, out: Path, rows: bytes) -> Path:
    xml = zip_members(base)[MEMBERS_PART]
    return with_part(base, out, MEMBERS_PART, xml.replace(b"</sheetData>", rows + b"</sheetData>"))


def test_huge_dimension_with_one_cell(base, tmp_path):
    xml = zip_members(base)[MEMBERS_PART]
    xml, n = re.subn(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    assert n == 1
    p = with_part(base, tmp_path / "dim.xlsx", MEMBERS_PART, xml)
    (got,) = in_child(p).values()
    assert got["seconds"] < TIME_LIMIT
    assert got["issues"] == [["enum", "Thành viên", "C2"]]


FAR_CELLS = {
    # one cell at the far corner, as Excel writes cells
    "corner": b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>z</t></is></c></row>',
    "last-row": b'<row r="1048576"><c r="Z1048576" t="inlineStr"><is><t>z</t></is></c></row>',
    "last-column": b'<row r="60000"><c r="XFD60000"><v>1</v></c></row>',
    # the same, written in ways a reader also accepts
    "single-quotes": b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    "spaced": b'<row r = "1048576"><c\nr = "XFD1048576"><v>1</v></c></row>',
    "lower-case": b'<row r="1048576"><c r="xfd1048576"><v>1</v></c></row>',
    "attribute-order": b'<row spans="1:2" r="1048576"><c t="n" r="XFD1048576"><v>1</v></c></row>',
    "no-row-number": b'<row><c r="XFD1048576"><v>1</v></c></row>',
    "prefixed": b'<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                b'r="1048576"><x:c r="XFD1048576"><v>1</v></x:c></x:row>',
    # cells without a reference follow the previous one: a far row, then 20000 columns
    "implicit-columns": b'<row r="200000">' + b"<c><v>1</v></c>" * 20000 + b"</row>",
}


def test_one_cell_far_away_is_refused_quickly(base, tmp_path):
    """A dense reader would allocate rows × columns cells: billions for one far cell."""
    paths = {name: with_rows(base, tmp_path / f"{name}.xlsx", rows)
             for name, rows in FAR_CELLS.items()}
    results = in_child(*paths.values())
    for name, p in paths.items():
        got = results[str(p)]
        assert got["issues"] == [["file-too-large", None, None]], name
        assert got["seconds"] < TIME_LIMIT, name
    assert "XFD1048576" in results[str(paths["corner"])]["message"]


def test_a_stray_cell_a_little_further_down_is_read(base, tmp_path):
    far = b'<row r="5000"><c r="Q5000" t="inlineStr"><is><t>ghi chu</t></is></c></row>'
    p = with_rows(base, tmp_path / "xa.xlsx", far)
    issues, elapsed = outcome(p)
    assert elapsed < TIME_LIMIT
    # a row holding only a note: the member's name, gender and birth year are missing
    assert issues == [("enum", "Thành viên", "C2"), ("required", "Thành viên", "B5000"),
                      ("required", "Thành viên", "C5000"), ("required", "Thành viên", "D5000")]


def test_far_references_within_the_limit_are_read(base, tmp_path):
    """Checked precisely, not refused on sight: row 40000 in column B is 80000 cells."""
    far = b'<row r="40000"><c r="B40000"><v>1</v></c></row>'
    p = with_rows(base, tmp_path / "xa.xlsx", far)
    issues, elapsed = outcome(p)
    assert elapsed < TIME_LIMIT
    assert ("file-too-large", None, None) not in issues
    assert ("type", "Thành viên", "B40000") not in issues  # 1 as a name is read as text "1"
    assert ("required", "Thành viên", "C40000") in issues


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 120_000), st.integers(1, 120) | st.integers(1, 20_000),
                          st.booleans(),
                          st.sampled_from(['"', "'"])), min_size=1, max_size=6))
def test_extent_check_agrees_with_a_plain_walk(cells):
    """Quick search or full walk, a sheet is refused exactly when its area from A1 to the
    farthest cell exceeds the limit, however its tags are written."""
    from clubtool.model import column_letter
    from clubtool.workbook._files import Rejected, _check_extent

    limits = Limits(max_cells=200_000)
    xml = b"<sheetData>"
    for row, col, with_row_ref, q in cells:
        row_ref = f" r={q}{row}{q}" if with_row_ref else ""
        xml += f"<row{row_ref}><c r={q}{column_letter(col)}{row}{q}><v>1</v></c></row>".encode()
    xml += b"</sheetData>"
    area = max(r for r, *_ in cells) * max(c for _, c, *_ in cells)
    try:
        _check_extent(xml, limits)
        refused = False
    except Rejected:
        refused = True
    assert refused == (area > limits.max_cells)


@pytest.mark.parametrize("part", [MEMBERS_PART, "xl/styles.xml"])
def test_a_damaged_part_is_unreadable_not_a_crash(base, tmp_path, part):
    """Garbage inside a part's compressed bytes (a broken download, a bad disk)."""
    import struct
    import zipfile

    data = bytearray(base.read_bytes())
    with zipfile.ZipFile(base) as zf:
        info = zf.getinfo(part)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    data[start + 2:start + 40] = b"\xff" * 38
    p = tmp_path / "hong.xlsx"
    p.write_bytes(bytes(data))
    assert_refused(p)
