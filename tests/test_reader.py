"""The workbook reader: kinds, cells where Excel shows them, typed records, discovery."""

from __future__ import annotations

import ast
import dataclasses
import shutil
from pathlib import Path

import pytest

from clubtool import schema as S
from clubtool.model import RECORDS
from clubtool.workbook._files import discover, is_ignored
from clubtool.workbook.reader import load

from .factories import (
    changed,
    club_data,
    insert_cols,
    insert_rows,
    set_cells,
    write_club,
    write_commune,
    write_sheets,
)

ROOT = Path(__file__).resolve().parents[1]
MEMBERS, INFO = "Thành viên", "Thông tin CLB"


def flat(loaded):
    return [(i.sheet, i.cell, i.code) for i in loaded.issues]


# --- kinds --------------------------------------------------------------------------------


def test_kinds(tmp_path):
    club = load(write_club(tmp_path / "clb.xlsx"))
    commune = load(write_commune(tmp_path / "xa.xlsx"))
    other = load(write_sheets(tmp_path / "khac.xlsx", {"Sheet1": [["a", 1]]}))
    merged = load(write_sheets(tmp_path / "tong_hop.xlsx",
                               {"CLB": [["Mã CLB"]], "Thành viên": [["Mã CLB"]], "Nguồn": [["Tệp"]]}))
    assert (club.kind, club.club is not None, club.commune, club.issues) == ("club", True, None, [])
    assert (commune.kind, commune.club, commune.commune is not None) == ("commune", None, True)
    assert (other.kind, [i.code for i in other.issues]) == (None, ["not-a-template"])
    assert (merged.kind, [i.code for i in merged.issues]) == ("merged", ["merged-workbook"])
    assert club.club_id == "MH-01" and club.year == 2027 and commune.year == 2027
    assert len(club.sha256) == 64


def test_kind_by_sheets_never_by_file_name(tmp_path):
    commune_named_like_a_club = load(write_commune(tmp_path / "clb_MH-01.xlsx"))
    assert commune_named_like_a_club.kind == "commune"


def test_a_club_workbook_wins_over_merged_markers(tmp_path):
    p = write_club(tmp_path / "clb.xlsx")
    with_extra = write_sheets(tmp_path / "x.xlsx", {"CLB": [["x"]], "Nguồn": [["y"]]})
    assert load(with_extra).kind == "merged"
    import openpyxl

    wb = openpyxl.load_workbook(p)
    wb.create_sheet("CLB")
    wb.create_sheet("Nguồn")
    wb.save(p)
    assert load(p).kind == "club"


def test_missing_file_is_unreadable(tmp_path):
    loaded = load(tmp_path / "khong_co.xlsx")
    assert (loaded.kind, [i.code for i in loaded.issues]) == (None, ["file-unreadable"])


# --- where the cells are ------------------------------------------------------------------


def test_title_rows_above_the_header(tmp_path):
    data = changed(club_data(), "members", 10, gender="Gái")
    p = write_club(tmp_path / "clb.xlsx", data)
    insert_rows(p, MEMBERS, 1, 2)
    set_cells(p, {MEMBERS: {"A1": "DANH SÁCH THÀNH VIÊN CÂU LẠC BỘ"}})
    loaded = load(p)
    assert flat(loaded) == [(MEMBERS, "C14", "enum")]  # header row 3, record 10 → row 14
    assert loaded.club is not None
    assert [m.row for m in loaded.club.members[:2]] == [4, 5]
    assert loaded.club.layouts["members"].header_row == 3


def test_data_after_blank_rows_below_the_header(tmp_path):
    data = changed(club_data(), "members", 0, gender="Gái")
    p = write_club(tmp_path / "clb.xlsx", data)
    insert_rows(p, MEMBERS, 2, 3)  # header in row 1, first member in row 5
    loaded = load(p)
    assert flat(loaded) == [(MEMBERS, "C5", "enum")]
    assert loaded.club is not None and loaded.club.members[0].row == 5
    assert len(loaded.club.members) == 60


def test_sheet_starting_in_a_later_column(tmp_path):
    data = changed(club_data(), "members", 0, gender="Gái")
    p = write_club(tmp_path / "clb.xlsx", data)
    insert_cols(p, MEMBERS, 1, 2)
    insert_rows(p, MEMBERS, 1, 1)
    loaded = load(p)
    assert flat(loaded) == [(MEMBERS, "E3", "enum")]
    assert loaded.club is not None and loaded.club.layouts["members"].cell("name", 3) == "D3"


def test_label_sheet_starting_in_a_later_row(tmp_path):
    data = changed(club_data(), "info", club_id="mh 01!")
    p = write_club(tmp_path / "clb.xlsx", data)
    insert_rows(p, INFO, 1, 2)
    set_cells(p, {INFO: {"A1": "THÔNG TIN CHUNG"}})
    loaded = load(p)
    assert flat(loaded) == [(INFO, "B4", "pattern")]
    assert loaded.club is not None and loaded.club.info.year == 2027


def test_labels_in_another_order(tmp_path):
    p = write_club(tmp_path / "clb.xlsx")
    set_cells(p, {INFO: {"A2": "Tên CLB", "B2": "CLB thôn Đông", "A3": "Mã CLB", "B3": "mh-09"}})
    loaded = load(p)
    assert loaded.issues == []
    assert loaded.club is not None
    assert (loaded.club.info.club_id, loaded.club.info.name) == ("MH-09", "CLB thôn Đông")
    assert loaded.club.layouts["info"].cell("club_id") == "B3"


def test_header_found_by_matching_among_the_first_rows(tmp_path):
    p = write_club(tmp_path / "clb.xlsx")
    insert_rows(p, "Sinh hoạt", 1, 3)
    set_cells(p, {"Sinh hoạt": {"A1": "SỔ SINH HOẠT NĂM 2027", "A2": "Ngày",  # a lone header word
                                "B2": "ghi chú"}})
    loaded = load(p)
    assert [i.code for i in loaded.issues] == []
    assert loaded.club is not None and loaded.club.layouts["meetings"].header_row == 4
    assert len(loaded.club.meetings) == 12 and loaded.club.meetings[0].row == 5


# --- typed values -------------------------------------------------------------------------


def test_numbers_come_back_as_ints(tmp_path):
    loaded = load(write_club(tmp_path / "clb.xlsx"))
    club = loaded.club
    assert club is not None
    m = club.members[0]
    assert (type(m.stt), type(m.birth_year), type(club.info.year)) == (int, int, int)
    assert type(club.meetings[0].attendance) is int and type(club.outreach[0].reached) is int
    assert club.info.opening_activity == 1_000_000 and club.fund[0].amount == 600_000


def test_phone_stored_as_a_number_keeps_its_zero(tmp_path):
    p = write_club(tmp_path / "clb.xlsx", changed(club_data(), "info", phone=912345678))
    loaded = load(p)
    assert loaded.issues == []
    assert loaded.club is not None and loaded.club.info.phone == "0912345678"


def test_code_typed_as_a_number_is_text(tmp_path):
    p = write_club(tmp_path / "clb.xlsx", changed(club_data(), "info", club_id=12))
    loaded = load(p)
    assert loaded.issues == [] and loaded.club_id == "12"


def test_birth_year_as_a_full_date(tmp_path):
    import datetime as dt

    data = changed(club_data(), "members", 3, birth_year=dt.date(1958, 7, 2))
    data = changed(data, "members", 4, birth_year="02/07/1961")
    loaded = load(write_club(tmp_path / "clb.xlsx", data))
    assert loaded.issues == []
    assert loaded.club is not None
    assert [m.birth_year for m in loaded.club.members[3:5]] == [1958, 1961]


def test_empty_cells_are_none_and_flags_false(tmp_path):
    loaded = load(write_club(tmp_path / "clb.xlsx"))
    assert loaded.club is not None
    m = loaded.club.members[10]
    assert (m.role, m.left, m.hardship, m.note) == (None, None, None, None)
    assert (m.disability, m.lonely) == (False, False)
    assert loaded.club.info.recognised_year is None


# --- discovery ----------------------------------------------------------------------------


def test_discover(tmp_path):
    src = write_club(tmp_path / "src.xlsx")
    files = ["a.xlsx", "~$a.xlsx", ".an.xlsx", "sub/b.xlsm", "sub/deeper/c.XLSX", "sub/d.xls",
             "sub/e.ods", ".git/f.xlsx", "sub/.cache/g.xlsx", "ghi_chu.txt", "bang.csv",
             "sub/~$b.xlsm"]
    root = tmp_path / "du_lieu"
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, root / name)
    found = [p.relative_to(root).as_posix() for p in discover([root])]
    assert found == ["a.xlsx", "sub/b.xlsm", "sub/d.xls", "sub/deeper/c.XLSX", "sub/e.ods"]
    # a file named explicitly is taken (whatever its extension), unless it is a lock file
    assert discover([root / "bang.csv", root / "~$a.xlsx", root / "a.xlsx", root]) == \
        [root / "bang.csv", root / "a.xlsx", *(root / f for f in found[1:])]
    assert is_ignored(Path("~$x.xlsx")) and is_ignored(Path(".x.xlsx"))
    assert not is_ignored(Path("x.xlsx"))


def test_xlsm_is_read(tmp_path):
    p = write_club(tmp_path / "clb.xlsx")
    macro = p.rename(tmp_path / "clb.xlsm")
    loaded = load(macro)
    assert loaded.kind == "club" and loaded.issues == []


# --- the model follows the schema ---------------------------------------------------------


@pytest.mark.parametrize("wschema", S.SCHEMAS, ids=lambda w: w.kind)
def test_model_fields_are_the_schema_keys(wschema):
    for sheet in wschema.read_sheets:
        cls = RECORDS[(wschema.kind, sheet.key)]
        names = [f.name for f in dataclasses.fields(cls) if f.name != "row"]
        assert names == [f.key for f in sheet.fields], sheet.name


def test_every_read_sheet_has_a_record_class():
    keys = {(w.kind, s.key) for w in S.SCHEMAS for s in w.read_sheets}
    assert keys == set(RECORDS)


# --- one source for the contract's strings ------------------------------------------------

#: Modules that only word outputs for people (report documents, the command line's tables):
#: a header there is a caption, not the contract, but it is still taken from the schema.
PRESENTATION = ("clubtool/cli.py", "clubtool/_console.py", "clubtool/render/", "clubtool/report/")

#: Single literals elsewhere that equal a header by coincidence (module, string).
COINCIDENCES = {
    ("clubtool/issues.py", "Phiên bản mẫu"),  # the title of the `template-version` code
    ("clubtool/workbook/_annotate.py", "STT"),  # numbering column of its own listing sheet
}


def _contract_literals() -> set[tuple[str, str]]:
    """(module, literal) for every string literal equal to a sheet name, header or label."""
    contract = set()
    for w in S.SCHEMAS:
        for sheet in w.sheets:
            contract.add(sheet.name)
            contract.update(f.header for f in sheet.fields)
    found = set()
    for path in sorted((ROOT / "clubtool").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "clubtool/schema.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and node.value in contract:
                found.add((rel, node.value))
    return found


def test_sheet_names_headers_and_labels_live_only_in_schema():
    """What reads, checks, writes or merges workbooks takes these strings from the schema."""
    found = {(m, v) for m, v in _contract_literals() if not m.startswith(PRESENTATION)}
    assert found - COINCIDENCES == set()


def test_presentation_modules_take_headers_from_the_schema_too():
    """A caption naming a column or sheet follows the schema; any other says something else."""
    found = {(m, v) for m, v in _contract_literals() if m.startswith(PRESENTATION)}
    assert found == set()
