"""The reader's fast paths give what the plain paths give (issue 17, "first pass").

- `Scan.stored`: the archive calamine reads, each part the scan inflated stored as those
  very bytes; the same members, names, order and contents as the file; only for plain
  archives (`_plain`), never for one a zip reader could see otherwise.
- `reader._HEADERS`: the columns of a table found again from a first row seen before.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clubtool.workbook.reader as reader
from clubtool.workbook._files import scan_bytes
from clubtool.workbook.reader import load

from .factories import club_data, insert_rows, set_cells, write_club, write_commune

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "sample_data").glob("*.xlsx"))
MEMBERS = "Thành viên"


def members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None  # every CRC right
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def outcome(loaded) -> tuple:
    """Everything `load` says of a file (the set of failed cells sorted: its order is not)."""
    rec = loaded.club or loaded.commune
    failed = sorted(rec.failed, key=repr) if rec is not None else None
    if rec is not None:
        rec = dataclasses.replace(rec, failed=frozenset())
    return (loaded.kind, repr(rec), failed, [(i.code, i.sheet, i.cell, i.message("vi"))
                                             for i in loaded.issues], loaded.sheet_names)


def without_stored(monkeypatch) -> None:
    real = reader.scan_bytes
    monkeypatch.setattr(reader, "scan_bytes", lambda data, suffix, limits: dataclasses.replace(
        real(data, suffix, limits), stored=None))


# --- the stored copy ----------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_the_stored_copy_holds_the_same_members(path):
    data = path.read_bytes()
    scan = scan_bytes(data, ".xlsx")
    assert scan.stored is not None
    assert members(scan.stored) == members(data)
    with zipfile.ZipFile(io.BytesIO(scan.stored)) as zf:
        kinds = {i.filename: i.compress_type for i in zf.infolist()}
    assert all(kinds[n] == zipfile.ZIP_STORED for n in kinds if n.startswith("xl/worksheets/"))


def test_reading_the_stored_copy_or_the_file_gives_the_same(tmp_path, monkeypatch):
    files = [*SAMPLES, write_commune(tmp_path / "xa.xlsx")]
    bad = write_club(tmp_path / "clb_bad.xlsx")
    set_cells(bad, {MEMBERS: {"C2": "Gái", "D3": "năm ngoái", "B4": "", "F5": "=TODAY()"}})
    files.append(bad)
    fast = [outcome(load(p)) for p in files]
    without_stored(monkeypatch)
    assert [outcome(load(p)) for p in files] == fast
    assert any(issues for *_, issues, _ in fast)  # (the bad workbook has some)


def zip_of(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, body in entries:
            zf.writestr(info, body)
    return out.getvalue()


def with_extra(name: str, extra: bytes) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.extra = extra
    return info


def with_comment(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.comment = b"note"
    return info


def with_method(name: str, method: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = method
    return info


SHEET = b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
UNICODE_PATH = b"\x75\x70" + (5 + 5).to_bytes(2, "little") + b"\x01" + bytes(4) + b"a.xml"


@pytest.mark.parametrize("entries", [
    [(with_extra("xl/worksheets/sheet1.xml", UNICODE_PATH), SHEET)],  # renamed for calamine
    [(with_extra("xl/worksheets/sheet1.xml", b"\xca\xfe\x00\x00"), SHEET)],  # any extra field
    [("xl/worksheets/trang_ấ.xml", SHEET)],  # a name that is not ASCII
    [("xl/worksheets/sheet1.xml", SHEET), ("xl/worksheets/sheet1.xml", SHEET)],  # twice
    [(with_comment("xl/worksheets/sheet1.xml"), SHEET)],
    [(with_method("xl/worksheets/sheet1.xml", zipfile.ZIP_BZIP2), SHEET)],
    [(with_method("xl/worksheets/sheet1.xml", zipfile.ZIP_LZMA), SHEET)],
], ids=["unicode-path", "extra-field", "non-ascii-name", "same-name-twice", "comment", "bzip2",
        "lzma"])
def test_no_stored_copy_of_an_archive_that_is_not_plain(entries):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (zipfile warns of the duplicate name)
        data = zip_of(entries)
    assert scan_bytes(data, ".xlsx").stored is None
    assert scan_bytes(zip_of([("xl/worksheets/sheet1.xml", SHEET)]), ".xlsx").stored is not None


def test_no_stored_copy_of_a_member_past_the_end_of_the_file():
    data = bytearray(zip_of([("docProps/app.xml", b"<a/>"), ("xl/worksheets/sheet1.xml", SHEET)]))
    assert scan_bytes(bytes(data), ".xlsx").stored is not None
    entry = data.index(b"PK\x01\x02")  # the directory's entry of docProps/app.xml
    data[entry + 20:entry + 24] = (len(data) + 100).to_bytes(4, "little")  # its compressed size
    scan = scan_bytes(bytes(data), ".xlsx")  # (only its prolog is read: not refused)
    assert scan.stored is None


_NAMES = st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml",
                          "xl/_rels/workbook.xml.rels", "_rels/.rels", "docProps/app.xml",
                          "xl/theme/theme1.xml", "xl/worksheets/sheet1.xml",
                          "xl/worksheets/sheet2.xml", "xl/media/a.bin", "xl/sharedStrings.xml"])
_BODIES = st.one_of(st.just(SHEET), st.binary(max_size=3000).map(lambda b: b"<x>" + b + b"</x>"),
                    st.just(b""), st.just(b'<?xml version="1.0"?><a>' + b"z" * 5000 + b"</a>"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.dictionaries(_NAMES, st.tuples(_BODIES, st.booleans()), min_size=1, max_size=8))
def test_the_stored_copy_is_the_archive_again(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, (body, deflated) in parts.items():
            zf.writestr(name, body, zipfile.ZIP_DEFLATED if deflated else zipfile.ZIP_STORED)
    data = out.getvalue()
    try:
        scan = scan_bytes(data, ".xlsx")
    except Exception:  # noqa: BLE001 - refused (a DTD-like prolog…): nothing handed on
        return
    assert scan.stored is not None
    assert members(scan.stored) == members(data)


# --- the columns of a first row seen before -----------------------------------------------


def test_a_known_first_row_gives_the_same_columns_and_issues(tmp_path):
    reader._HEADERS.clear()
    plain = write_club(tmp_path / "clb_a.xlsx")
    first = outcome(load(plain))  # fills the cache
    assert reader._HEADERS
    assert outcome(load(plain)) == first  # from the cache
    # an unknown column: its warning every time (such a first row is never kept)
    odd = write_club(tmp_path / "clb_b.xlsx")
    set_cells(odd, {MEMBERS: {"R1": "Cột lạ"}})
    issues = [outcome(load(odd))[3] for _ in range(2)]
    assert issues[0] == issues[1]
    assert ("unknown-column", MEMBERS, "R1") in [i[:3] for i in issues[0]]
    # the header lower down (a title row above it): searched, found, the same records
    lower = insert_rows(write_club(tmp_path / "clb_c.xlsx"), MEMBERS, 1)
    set_cells(lower, {MEMBERS: {"A1": "Danh sách thành viên"}})
    got = [load(lower) for _ in range(2)]
    assert got[0].club.layouts["members"].header_row == 2
    assert outcome(got[0])[1:] == outcome(got[1])[1:]
    assert [m.name for m in got[0].club.members] == [m["name"] for m in club_data()["members"]]


def test_the_same_columns_whether_the_first_row_was_seen_or_not(tmp_path, monkeypatch):
    files = [*SAMPLES, write_club(tmp_path / "clb.xlsx")]
    reader._HEADERS.clear()
    cold = [outcome(load(p)) for p in files]
    warm = [outcome(load(p)) for p in files]
    monkeypatch.setattr(reader, "_HEADERS", _Never())
    assert warm == cold == [outcome(load(p)) for p in files]


class _Never(dict):
    def get(self, *_):
        return None
