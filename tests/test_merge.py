"""`clubtool merge`: the consolidated workbook (SPEC §5), built from factory workbooks."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from clubtool import schema as S
from clubtool._fsutil import OutputExists
from clubtool.cli import app
from clubtool.merge import MergeError, MergeResult, OutputIsInput, merge
from clubtool.merge import _sheets as M
from clubtool.merge import _writers as W
from clubtool.validation import validate

from .factories import changed, club_data, write_club, write_commune

YEAR = 2027
runner = CliRunner()

# Literal expectations copied from SPEC §5 and the brief, so that a drift is caught.
SHEETS = ["CLB", "Thành viên", "Sinh hoạt", "Tập huấn", "Tuyên truyền", "Quỹ", "Nghi trùng",
          "Nguồn"]
LEAD = ["Mã CLB", "Tệp nguồn"]


# --- helpers ---------------------------------------------------------------------------------


def people_of(data: dict[str, Any], tag: str) -> dict[str, Any]:
    """`data` with every person's name suffixed by `tag` (members, trainings, chair), so that
    clubs built from the same factory share nobody."""
    out = changed(data, "info", chair=f"{data['info']['chair']} {tag}")
    for m in out["members"]:
        m["name"] = f"{m['name']} {tag}"
    for t in out["trainings"]:
        t["name"] = f"{t['name']} {tag}"
    return out


def make_clubs(folder: Path, specs: list[tuple[str, int]]) -> list[Path]:
    """Valid club workbooks `clb_<id>.xlsx`, one per (club id, members), nobody shared."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, (club_id, members) in enumerate(specs):
        data = people_of(club_data(YEAR, club_id, members=members), f"K{chr(65 + n)}")
        data["fund"][0]["amount"] = 600_000 + 1000 * n
        data["meetings"][0]["attendance"] = 30 + n
        paths.append(write_club(folder / f"clb_{club_id.lower()}.xlsx", data))
    return paths


def rows_of(path: Path, sheet: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Header and data rows of a sheet, as openpyxl reads them (cached values)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[sheet]
    values = list(ws.iter_rows(values_only=True))
    return list(values[0]), values[1:]


def records(path: Path, sheet: str) -> list[dict[str, Any]]:
    header, rows = rows_of(path, sheet)
    return [dict(zip(header, r, strict=True)) for r in rows]


def all_values(path: Path) -> dict[str, list[list[Any]]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture
def three(tmp_path: Path) -> list[Path]:
    return make_clubs(tmp_path / "du_lieu", [("MH-01", 50), ("MH-02", 60), ("MH-03", 70)])


# --- the workbook ----------------------------------------------------------------------------


def test_sheets_and_headers_follow_the_contract(three: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "tong_hop.xlsx"
    result = merge(validate(three, year=YEAR), out, year=YEAR)
    assert isinstance(result, MergeResult)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS
    assert tuple(M.SHEET_ORDER) == tuple(SHEETS)
    assert (M.CLUBS_SHEET, M.SOURCES_SHEET) == S.MERGED_MARKERS
    for sheet in (S.MEMBERS, S.MEETINGS, S.TRAININGS, S.OUTREACH, S.FUND):
        header = [c.value for c in wb[sheet.name][1]]
        assert header == LEAD + list(sheet.headers), sheet.name
    clb = [c.value for c in wb["CLB"][1]]
    assert clb[:3] == ["Mã CLB", "Tên CLB", "Thôn"]
    for needed in ("Ngày thành lập", "Chủ nhiệm", "Tỷ lệ nữ NCT", "Đạt chuẩn",
                   "Tiêu chí chưa đạt", "Tệp nguồn", *(h for _, h, _ in S.CONTENTS)):
        assert needed in clb
    nguon = [c.value for c in wb["Nguồn"][1]]
    assert {"Tệp nguồn", "SHA-256", "Lý do", "Dòng đã lấy"} <= set(nguon)
    for name in SHEETS:
        assert unicodedata.is_normalized("NFC", name)


def test_merge_keeps_every_row_and_every_sum(three: list[Path], tmp_path: Path) -> None:
    report = validate(three, year=YEAR)
    assert report.valid
    out = tmp_path / "tong_hop.xlsx"
    result = merge(report, out, year=YEAR, as_of=dt.date(YEAR, 12, 31))
    clubs = report.valid_clubs()
    assert len(clubs) == 3

    expected = {s.name: sum(len(getattr(c, s.key)) for c in clubs) for s in M.RECORD_SHEETS}
    for sheet, n in expected.items():
        assert len(rows_of(out, sheet)[1]) == n == result.rows[sheet]
    assert expected[S.MEMBERS.name] == 50 + 60 + 70

    members = records(out, "Thành viên")
    assert sorted(r["Họ và tên"] for r in members) == sorted(m.name for c in clubs for m in c.members)
    meetings = records(out, "Sinh hoạt")
    assert sum(r["Số người tham dự"] for r in meetings) == sum(
        m.attendance for c in clubs for m in c.meetings)
    fund = records(out, "Quỹ")
    assert sum(r["Số tiền (đồng)"] for r in fund) == sum(e.amount for c in clubs for e in c.fund)
    assert sum(r["Số người được tiếp cận"] for r in records(out, "Tuyên truyền")) == sum(
        o.reached for c in clubs for o in c.outreach)

    # CLB: one row per club, then the totals row; figures are the indicators' own.
    clb = records(out, "CLB")
    assert [r["Mã CLB"] for r in clb] == ["MH-01", "MH-02", "MH-03", "Tổng cộng"]
    assert [r[M.ACTIVE_MEMBERS] for r in clb] == [50, 60, 70, 180]
    assert clb[-1][M.SESSIONS] == len(meetings)
    assert clb[-1][M.FEMALE_OLDER] == sum(r[M.FEMALE_OLDER] for r in clb[:-1])
    assert clb[-1][M.FEMALE_OLDER_SHARE] == pytest.approx(clb[-1][M.FEMALE_OLDER] / 180)
    assert clb[-1][M.MEETS_STANDARD] == sum(r[M.MEETS_STANDARD] == "x" for r in clb[:-1])

    # Nguồn: each file with its hash and the rows taken.
    sources = {r["Tệp nguồn"]: r for r in records(out, "Nguồn")}
    assert set(sources) == {p.name for p in three}
    for c, p in zip(clubs, three, strict=True):
        src = sources[p.name]
        assert src["SHA-256"] == next(f.loaded.sha256 for f in report.files if f.path == c.path)
        assert src["Dòng đã lấy"] == sum(len(getattr(c, s.key)) for s in M.RECORD_SHEETS)
        assert src["Tình trạng"] == M.MERGED


def test_source_column_names_file_and_row(three: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "tong_hop.xlsx"
    merge(validate(three, year=YEAR), out, year=YEAR)
    members = records(out, "Thành viên")
    first = members[0]
    assert first["Mã CLB"] == "MH-01"
    assert first["Tệp nguồn"] == "clb_mh-01.xlsx:2"
    assert members[-1]["Tệp nguồn"] == "clb_mh-03.xlsx:71"
    # Inputs in sub-folders are shown relative to the folder they share.
    sub = make_clubs(tmp_path / "tinh" / "xa_a", [("XA-01", 50)])
    sub += make_clubs(tmp_path / "tinh" / "xa_b", [("XB-01", 50)])
    out2 = tmp_path / "tinh.xlsx"
    merge(validate([tmp_path / "tinh"], year=YEAR), out2, year=YEAR)
    assert records(out2, "Quỹ")[0]["Tệp nguồn"] == "xa_a/clb_xa-01.xlsx:2"
    assert len(sub) == 2


def test_cells_are_typed_and_formatted(three: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "tong_hop.xlsx"
    merge(validate(three, year=YEAR), out, year=YEAR)
    wb = openpyxl.load_workbook(out)
    ws = wb["Quỹ"]
    header = [c.value for c in ws[1]]
    date_cell = ws.cell(2, header.index("Ngày") + 1)
    assert date_cell.is_date and date_cell.value.date() == dt.date(YEAR, 1, 10)
    assert date_cell.number_format == "dd/mm/yyyy"
    money = ws.cell(2, header.index("Số tiền (đồng)") + 1)
    assert money.data_type == "n" and money.number_format == "#,##0"
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{ws.max_row}"
    assert all(c.font.b for c in ws[1])
    members = wb["Thành viên"]
    mh = [c.value for c in members[1]]
    assert members.cell(2, mh.index("Khám sức khỏe") + 1).value == "x"
    assert members.cell(2, mh.index("Năm sinh") + 1).data_type == "n"
    clb = wb["CLB"]
    ch = [c.value for c in clb[1]]
    assert clb.cell(2, ch.index(M.FEMALE_OLDER_SHARE) + 1).number_format == "0.0%"
    totals = clb.cell(clb.max_row, ch.index(M.ACTIVE_MEMBERS) + 1)
    col = openpyxl.utils.get_column_letter(ch.index(M.ACTIVE_MEMBERS) + 1)
    assert totals.value == f"=SUBTOTAL(9,{col}2:{col}4)" and totals.font.b
    # The filter leaves the totals row out, so sorting never moves it.
    assert clb.auto_filter.ref.endswith(str(clb.max_row - 1))


def test_file_order_does_not_change_the_output(three: list[Path], tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    merge(validate(three, year=YEAR), a, year=YEAR)
    merge(validate([three[2], three[0], three[1]], year=YEAR), b, year=YEAR)
    assert all_values(a) == all_values(b)
    assert a.read_bytes() == b.read_bytes()


# --- text that looks like a formula --------------------------------------------------------------


HOSTILE = ['=HYPERLINK("http://evil.example","bấm vào")', "+84 912 345 678", "-", "@x",
           "=1+1", "-2+3"]


def test_formula_looking_text_stays_text(tmp_path: Path) -> None:
    data = people_of(club_data(YEAR, "MH-01"), "KA")
    for i, text in enumerate(HOSTILE):
        data["members"][10 + i]["name"] = text
        data["members"][10 + i]["note"] = text
    data["meetings"][0]["summary"] = "=SUM(A1:A9)"
    path = write_club(tmp_path / "clb.xlsx", data)
    report = validate([path], year=YEAR)
    assert report.valid
    out = tmp_path / "tong_hop.xlsx"
    merge(report, out, year=YEAR)

    ws = openpyxl.load_workbook(out)["Thành viên"]
    header = [c.value for c in ws[1]]
    name_col, note_col = header.index("Họ và tên") + 1, header.index("Ghi chú") + 1
    for i, text in enumerate(HOSTILE):
        for col in (name_col, note_col):
            cell = ws.cell(12 + i, col)
            assert cell.data_type == "s", (text, cell.data_type)
            assert cell.value == text
    meeting = openpyxl.load_workbook(out)["Sinh hoạt"]["P2"]
    assert meeting.data_type == "s" and meeting.value == "=SUM(A1:A9)"
    # No formula anywhere but the totals row of CLB.
    import zipfile

    with zipfile.ZipFile(out) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        with_formulas = [n for n in sheets if b"<f>" in zf.read(n)]
    assert with_formulas == ["xl/worksheets/sheet1.xml"]

    folder = tmp_path / "csv"
    merge(report, folder, year=YEAR, fmt="csv")
    import csv

    with open(folder / "Thành viên.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    name_at, note_at = rows[0].index("Họ và tên"), rows[0].index("Ghi chú")
    for i, text in enumerate(HOSTILE):
        assert rows[11 + i][name_at] == rows[11 + i][note_at] == "'" + text
    assert W.csv_text("=1+1") == "'=1+1"
    assert W.csv_text("\tx") == "'\tx" and W.csv_text("\rx") == "'\rx"
    assert W.csv_text("Nguyễn Thị Lan") == "Nguyễn Thị Lan"


# --- Nghi trùng ------------------------------------------------------------------------------


def duplicates_of(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """The title lines of `Nghi trùng` and its rows (the header follows the title lines)."""
    values = list(openpyxl.load_workbook(path, data_only=True)["Nghi trùng"]
                  .iter_rows(values_only=True))
    at = next(i for i, r in enumerate(values) if r[0] == M.GROUP)
    return [r[0] for r in values[:at]], [dict(zip(values[at], r, strict=True))
                                         for r in values[at + 1:]]


def in_commune(data: dict[str, Any], commune: str, province: str = "Hà Tĩnh") -> dict[str, Any]:
    return changed(data, "info", commune=commune, province=province)


def test_suspected_duplicates_across_clubs(tmp_path: Path) -> None:
    a = people_of(club_data(YEAR, "MH-01"), "KA")
    b = people_of(club_data(YEAR, "MH-02"), "KB")
    c = people_of(club_data(YEAR, "MH-03"), "KC")
    nfc = "Nguyễn Thị Hoà"
    nfd = unicodedata.normalize("NFD", "nguyễn  thị HOÀ")  # decomposed, other case, 2 spaces
    assert nfd != nfc
    a["members"][20].update(name=nfc, birth_year=1950, gender="Nữ", village="Thôn Đông")
    b["members"][30].update(name=nfd, birth_year=1950, gender="Nữ", village="thôn đông")
    c["members"][40].update(name=nfc, birth_year=1951)  # another birth year: another person
    # same gender, another village: one sign less
    a["members"][21].update(name="Lê Văn Tư", birth_year=1948, gender="Nam", village="Thôn Đông")
    c["members"][41].update(name="LÊ VĂN TƯ", birth_year=1948, gender="Nam", village="Thôn Tây")
    a["members"][22].update(name="Phạm Thị Út", birth_year=1960)  # twice in one club only
    a["members"][23].update(name="Phạm Thị Út", birth_year=1960)
    paths = [write_club(tmp_path / f"clb_{k}.xlsx", d) for k, d in (("a", a), ("b", b), ("c", c))]
    report = validate(paths, year=YEAR)
    assert not report.has_errors
    out = tmp_path / "tong_hop.xlsx"
    result = merge(report, out, year=YEAR)
    assert result.duplicates == 2 and result.duplicate_rows_left_out == 0
    title, rows = duplicates_of(out)
    assert len(title) == 1 and "trong cùng một xã" in title[0]
    places = [(r[M.GROUP], r["Mã CLB"], r["Năm sinh"], r["Tệp nguồn"], r[M.CLUBS_IN_GROUP],
               r[M.SAME_VILLAGE], r[M.SAME_GENDER], r[M.SIGNS]) for r in rows]
    # the strongest evidence first: same village and gender (2), then same gender only (1)
    assert places == [
        (1, "MH-01", 1950, "clb_a.xlsx:22", 2, "x", "x", 2),
        (1, "MH-02", 1950, "clb_b.xlsx:32", 2, "x", "x", 2),
        (2, "MH-01", 1948, "clb_a.xlsx:23", 2, None, "x", 1),
        (2, "MH-03", 1948, "clb_c.xlsx:43", 2, None, "x", 1),
    ]
    assert rows[0]["Tên CLB"] == a["info"]["name"]
    assert [r["Thôn"] for r in rows[:2]] == ["Thôn Đông", "thôn đông"]  # as each club wrote it


def test_duplicates_stay_within_a_commune(tmp_path: Path) -> None:
    """A person can belong to two clubs of one commune, not to two clubs 100 km apart: the
    same name and birth year in two communes is not listed; grouped per commune."""
    d = tmp_path / "tinh"
    clubs = {
        "a": in_commune(people_of(club_data(YEAR, "MH-01"), "KA"), "Mai Hoa"),
        "b": in_commune(people_of(club_data(YEAR, "KS-01"), "KB"), "Kỳ Sơn"),
        "c": in_commune(people_of(club_data(YEAR, "MH-02"), "KC"), "Xã Mai Hoa"),  # same commune
        "d": in_commune(people_of(club_data(YEAR, "KS-02"), "KD"), "Kỳ Sơn"),
        "e": in_commune(people_of(club_data(YEAR, "NA-01"), "KE"), "Mai Hoa", "Nghệ An"),
    }
    for k in "abce":  # one name and birth year in three communes of two provinces
        clubs[k]["members"][20].update(name="Trần Thị Lan", birth_year=1955, gender="Nữ",
                                       village="Thôn Đông")
    clubs["a"]["members"][21].update(name="Võ Văn Ba", birth_year=1950)  # Mai Hoa and Kỳ Sơn
    clubs["b"]["members"][21].update(name="Võ Văn Ba", birth_year=1950)
    # Kỳ Sơn: a pair with no sign beyond name and birth year
    clubs["b"]["members"][22].update(name="Đỗ Thị Na", birth_year=1960, gender="Nữ",
                                     village="Thôn Đông")
    clubs["d"]["members"][22].update(name="Đỗ Thị Na", birth_year=1960, gender="Nam",
                                     village="Thôn Tây")
    d.mkdir()
    paths = [write_club(d / f"clb_{k}.xlsx", v) for k, v in clubs.items()]
    report = validate(paths, year=YEAR)
    assert not report.has_errors
    out = tmp_path / "tong_hop.xlsx"
    result = merge(report, out, year=YEAR)
    assert result.duplicates == 2
    _, rows = duplicates_of(out)
    got = [(r[M.GROUP], r["Tỉnh"], r["Xã"], r["Họ và tên"], r["Mã CLB"], r[M.SIGNS]) for r in rows]
    # by commune first (Kỳ Sơn before Mai Hoa), even though Kỳ Sơn's pair is the weaker
    assert got == [
        (1, "Hà Tĩnh", "Kỳ Sơn", "Đỗ Thị Na", "KS-01", 0),
        (1, "Hà Tĩnh", "Kỳ Sơn", "Đỗ Thị Na", "KS-02", 0),
        (2, "Hà Tĩnh", "Mai Hoa", "Trần Thị Lan", "MH-01", 2),
        (2, "Hà Tĩnh", "Mai Hoa", "Trần Thị Lan", "MH-02", 2),
    ]
    assert "Võ Văn Ba" not in {r["Họ và tên"] for r in rows}


def many_duplicates(folder: Path) -> list[Path]:
    """Three clubs of one commune sharing 6 people: 2 with both signs, 2 with one, 2 with none."""
    clubs = [people_of(club_data(YEAR, f"MH-0{n}"), f"K{n}") for n in (1, 2, 3)]
    people = [("Anh", "Nữ", "Nữ", "Thôn Đông", "Thôn Đông"), ("Bình", "Nữ", "Nữ", "Thôn Tây",
              "Thôn Tây"), ("Cúc", "Nữ", "Nữ", "Thôn Đông", "Thôn Tây"),
              ("Dung", "Nữ", "Nữ", "Thôn Tây", "Thôn Đông"), ("Em", "Nữ", "Nam", "Thôn Đông",
              "Thôn Tây"), ("Gấm", "Nam", "Nữ", "Thôn Tây", "Thôn Đông")]
    for i, (name, g1, g2, v1, v2) in enumerate(people):
        clubs[0]["members"][20 + i].update(name=f"Lê Thị {name}", birth_year=1950, gender=g1,
                                           village=v1)
        clubs[1 + i % 2]["members"][20 + i].update(name=f"Lê Thị {name}", birth_year=1950,
                                                   gender=g2, village=v2)
    folder.mkdir()
    return [write_club(folder / f"clb_{n}.xlsx", c) for n, c in enumerate(clubs, start=1)]


def test_the_duplicates_sheet_is_capped_with_a_note(tmp_path: Path) -> None:
    report = validate(many_duplicates(tmp_path / "d"), year=YEAR)
    assert not report.has_errors
    out = tmp_path / "tong_hop.xlsx"
    result = merge(report, out, year=YEAR, duplicates_limit=5)
    # 6 groups of 2 rows: the 2 strongest whole groups fit in 5 rows, the rest is left out
    assert result.duplicates == 6 and result.rows["Nghi trùng"] == 4
    assert (result.duplicate_rows_left_out, result.duplicate_groups_left_out) == (8, 4)
    title, rows = duplicates_of(out)
    assert [r["Họ và tên"] for r in rows[::2]] == ["Lê Thị Anh", "Lê Thị Bình"]
    assert {r[M.SIGNS] for r in rows} == {2}
    assert len(title) == 2
    assert title[1] == ("Chỉ ghi 4 trong 12 dòng (2 trong 6 nhóm): các nhóm có mức nghi cao "
                        "nhất. Còn 8 dòng (4 nhóm) không ghi vì vượt quá 5 dòng, nhiều hơn một "
                        "người có thể xem hết; danh sách đầy đủ có trong bản CSV (clubtool "
                        "merge … --format csv).")
    # Under the limit: every group, by signs then name; the CSV lists all, with no title.
    result = merge(report, tmp_path / "b.xlsx", year=YEAR, duplicates_limit=12)
    title, rows = duplicates_of(tmp_path / "b.xlsx")
    assert len(title) == 1 and result.duplicate_rows_left_out == 0
    assert [(r["Họ và tên"][7:], r[M.SIGNS]) for r in rows[::2]] == [
        ("Anh", 2), ("Bình", 2), ("Cúc", 1), ("Dung", 1), ("Em", 0), ("Gấm", 0)]
    import csv

    result = merge(report, tmp_path / "c", year=YEAR, fmt="csv", duplicates_limit=5)
    with open(tmp_path / "c" / "Nghi trùng.csv", encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0][0] == M.GROUP and len(lines) == 1 + 12
    assert result.duplicate_rows_left_out == 0
    with pytest.raises(MergeError):
        merge(report, tmp_path / "e.xlsx", year=YEAR, duplicates_limit=0)


def test_duplicate_sheet_keeps_the_strongest_whole_groups() -> None:
    def group(name: str, places: int, village: bool, gender: bool) -> M.DuplicateGroup:
        return M.DuplicateGroup(key=("", "x", name, 1950), province=None, commune="X",
                                places=[None] * places,  # type: ignore[list-item]
                                clubs=places, same_village=village, same_gender=gender)

    groups = [group("a", 3, False, False), group("b", 2, True, True), group("c", 4, True, False),
              group("d", 2, False, True)]
    sheet = M.duplicate_sheet(groups, limit=7)
    # b (2 signs) then c (1 sign, 4 rows): 6 rows; d would make 8: stop (never a weaker one)
    assert [g.key[2] for g in sheet.groups] == ["b", "c"]
    assert (sheet.rows, sheet.rows_left_out, sheet.groups_left_out) == (6, 5, 2)
    assert M.duplicate_sheet(groups, limit=None).groups == groups
    assert len(M.duplicate_sheet(groups, limit=11).title()) == 1


def test_no_names_leaves_people_out(tmp_path: Path) -> None:
    paths = make_clubs(tmp_path / "d", [("MH-01", 50), ("MH-02", 50)])
    data = club_data(YEAR, "MH-03", members=50)  # the same people as MH-04: duplicates
    paths += [write_club(tmp_path / "d" / "x.xlsx", data),
              write_club(tmp_path / "d" / "y.xlsx", changed(data, "info", club_id="MH-04"))]
    out = tmp_path / "khong_ten.xlsx"
    merge(validate(paths, year=YEAR), out, year=YEAR, names=False)
    wb = openpyxl.load_workbook(out)
    for sheet in ("Thành viên", "Tập huấn"):
        assert "Họ và tên" not in [c.value for c in wb[sheet][1]]
    assert "Họ và tên" not in duplicates_of(out)[1][0]
    clb = [c.value for c in wb["CLB"][1]]
    assert "Chủ nhiệm" not in clb and "Điện thoại" not in clb
    assert wb["Nghi trùng"].max_row > 1
    names = {m["name"] for m in data["members"]}
    for ws in wb:
        for row in ws.iter_rows(values_only=True):
            assert not names & set(row), ws.title


# --- invalid, skipped and merged workbooks ---------------------------------------------------------


def test_invalid_workbooks_are_left_out_unless_asked(tmp_path: Path) -> None:
    make_clubs(tmp_path / "d", [("MH-01", 50), ("MH-02", 60)])
    bad = write_club(tmp_path / "d" / "clb_mh-03.xlsx",
                     changed(people_of(club_data(YEAR, "MH-03", members=55), "KZ"),
                             "members", 3, gender="Gái"))
    report = validate([tmp_path / "d"], year=YEAR)
    out = tmp_path / "tong_hop.xlsx"
    result = merge(report, out, year=YEAR)
    assert not result.complete
    assert [Path(p).name for p, _ in result.excluded] == [bad.name]
    assert "ô C5" in result.excluded[0][1]
    assert result.rows["Thành viên"] == 110
    src = {r["Tệp nguồn"]: r for r in records(out, "Nguồn")}
    assert src[bad.name]["Tình trạng"] == M.LEFT_OUT and "ô C5" in src[bad.name]["Lý do"]
    assert src[bad.name]["Dòng đã lấy"] is None

    out2 = tmp_path / "ca_loi.xlsx"
    result = merge(report, out2, year=YEAR, include_invalid=True)
    assert result.complete and result.invalid_included == [str(bad)]
    assert result.rows["Thành viên"] == 165
    clb = {r["Mã CLB"]: r for r in records(out2, "CLB")}
    assert clb["MH-03"][M.FILE_ERRORS] == 1
    assert clb["MH-03"][M.ACTIVE_MEMBERS] is None  # no figures from a workbook with errors
    assert clb["MH-01"][M.ACTIVE_MEMBERS] == 50
    assert clb["Tổng cộng"][M.ACTIVE_MEMBERS] == 110
    src = {r["Tệp nguồn"]: r for r in records(out2, "Nguồn")}
    assert src[bad.name]["Tình trạng"] == M.MERGED_WITH_ERRORS


def test_other_year_and_unreadable_files(tmp_path: Path) -> None:
    d = tmp_path / "d"
    make_clubs(d, [("MH-01", 50)])
    write_club(d / "cu.xlsx", people_of(club_data(2026, "MH-09"), "KY"))
    (d / "hong.xlsx").write_bytes(b"not a zip at all")
    out = tmp_path / "tong_hop.xlsx"
    result = merge(validate([d], year=YEAR), out, year=YEAR)
    assert [Path(p).name for p, _ in result.excluded] == ["hong.xlsx"]
    assert [Path(p).name for p, _ in result.not_merged] == ["cu.xlsx"]
    src = {r["Tệp nguồn"]: r for r in records(out, "Nguồn")}
    assert src["cu.xlsx"]["Tình trạng"] == M.NOT_MERGED and "2026" in src["cu.xlsx"]["Lý do"]
    assert src["hong.xlsx"]["Tình trạng"] == M.LEFT_OUT
    # Validated without a year, the year of merge still decides.
    result = merge(validate([d]), tmp_path / "b.xlsx", year=YEAR)
    assert result.rows["CLB"] == 1 and "2026" in dict(result.not_merged)[str(d / "cu.xlsx")]


def test_commune_workbook_is_listed_not_merged(tmp_path: Path) -> None:
    d = tmp_path / "du_lieu"
    make_clubs(d, [("MH-01", 50)])
    (tmp_path / "xa").mkdir()
    commune = write_commune(tmp_path / "xa" / "mau_xa.xlsx")
    report = validate([d], commune=commune, year=YEAR)
    out = tmp_path / "tong_hop.xlsx"
    result = merge(report, out, year=YEAR)
    assert result.complete and result.not_merged == []
    src = {r["Tệp nguồn"]: r for r in records(out, "Nguồn")}
    assert set(src) == {"clb_mh-01.xlsx", str(commune)}  # clubs shown as before
    assert src[str(commune)]["Loại tệp"] == M.KIND_WORDS["commune"]
    assert src[str(commune)]["Tình trạng"] == M.NOT_MERGED
    with pytest.raises(OutputIsInput):
        merge(report, commune, year=YEAR, force=True)


def test_merged_workbook_is_recognised_when_read_back(tmp_path: Path) -> None:
    d = tmp_path / "du_lieu"
    make_clubs(d, [("MH-01", 50), ("MH-02", 60)])
    out = d / "tong_hop_2027.xlsx"  # inside the data folder, as an officer would
    merge(validate([d], year=YEAR), out, year=YEAR)

    report = validate([d], year=YEAR)
    mine = next(f for f in report.files if f.path == str(out))
    assert mine.kind == "merged" and mine.skipped and "tổng hợp" in mine.skipped
    assert not report.has_errors and len(report.valid_clubs()) == 2
    from clubtool.indicators import compute_indicators

    ind = compute_indicators(report.valid_clubs(), report.commune, year=YEAR)
    assert [c.club_id for c in ind.clubs] == ["MH-01", "MH-02"]

    # Run again over the same folder: the earlier output is skipped, and replaced with force.
    with pytest.raises(OutputExists):
        merge(report, out, year=YEAR)
    result = merge(report, out, year=YEAR, force=True)
    assert result.rows["CLB"] == 2
    src = {r["Tệp nguồn"]: r for r in records(out, "Nguồn")}
    assert src[out.name]["Loại tệp"] == M.KIND_WORDS["merged"]


# --- safety: atomic, never over an input ----------------------------------------------------------


def test_refuses_to_write_over_an_input(three: list[Path], tmp_path: Path) -> None:
    report = validate(three, year=YEAR)
    before = three[0].read_bytes()
    for force in (False, True):
        with pytest.raises(OutputIsInput):
            merge(report, three[0], year=YEAR, force=force)
    assert three[0].read_bytes() == before
    with pytest.raises(OutputIsInput):  # a CSV folder holding the inputs
        merge(report, three[0].parent, year=YEAR, fmt="csv", force=True)
    with pytest.raises(MergeError):
        merge(report, tmp_path / "tong_hop.ods", year=YEAR)


def test_refuses_an_existing_output_without_force(three: list[Path], tmp_path: Path) -> None:
    report = validate(three, year=YEAR)
    out = tmp_path / "tong_hop.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(OutputExists):
        merge(report, out, year=YEAR)
    assert out.read_bytes() == b"old"
    merge(report, out, year=YEAR, force=True)
    assert openpyxl.load_workbook(out).sheetnames == SHEETS

    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "ghi_chu.txt").write_text("của tôi")
    with pytest.raises(OutputExists):
        merge(report, folder, year=YEAR, fmt="csv")
    with pytest.raises(MergeError):  # never deletes a folder holding other files
        merge(report, folder, year=YEAR, fmt="csv", force=True)
    assert (folder / "ghi_chu.txt").read_text() == "của tôi"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_failure_leaves_no_partial_output(three: list[Path], tmp_path: Path, fmt: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    report = validate(three, year=YEAR)
    work = tmp_path / "ra"
    work.mkdir()
    out = work / ("tong_hop.xlsx" if fmt == "xlsx" else "tong_hop")
    merge(report, out, year=YEAR, fmt=fmt)
    old = all_values(out) if fmt == "xlsx" else {p.name: p.read_bytes() for p in out.iterdir()}
    before = listing(work)

    real = M.record_rows

    def failing(sources: Any, sheet: S.Sheet, **kw: Any) -> Any:
        if sheet is S.OUTREACH:
            yield from real(sources, sheet, **kw)
            raise OSError("đĩa đầy")
        yield from real(sources, sheet, **kw)

    monkeypatch.setattr(M, "record_rows", failing)
    with pytest.raises(OSError, match="đĩa đầy"):
        merge(report, out, year=YEAR, fmt=fmt, force=True)
    assert listing(work) == before  # no temporary file or folder left
    now = all_values(out) if fmt == "xlsx" else {p.name: p.read_bytes() for p in out.iterdir()}
    assert now == old

    new = work / ("autre.xlsx" if fmt == "xlsx" else "autre")
    with pytest.raises(OSError):
        merge(report, new, year=YEAR, fmt=fmt)
    assert listing(work) == before


# --- scale: split sheets, CSV ----------------------------------------------------------------------


def test_long_sheets_are_split(three: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "tong_hop.xlsx"
    result = merge(validate(three, year=YEAR), out, year=YEAR, row_limit=5)
    wb = openpyxl.load_workbook(out, data_only=True)
    parts = [n for n in wb.sheetnames if n.startswith("Thành viên")]
    assert parts[:3] == ["Thành viên", "Thành viên (2)", "Thành viên (3)"]
    assert len(parts) == 36  # 180 members, 5 a sheet
    assert result.split["Thành viên"] == parts
    names = []
    for name in parts:
        rows = list(wb[name].iter_rows(values_only=True))
        assert list(rows[0]) == LEAD + list(S.MEMBERS.headers)
        assert 1 <= len(rows) - 1 <= 5
        names += [r[3] for r in rows[1:]]
    assert len(names) == 180 == len(set(names))
    assert wb.sheetnames[-2:] == ["Nghi trùng", "Nguồn"]
    # CLB: 3 clubs and the totals row fit in one sheet of 5.
    assert "CLB (2)" not in wb.sheetnames
    # A CLB sheet that is split keeps its totals (as values) on its last part.
    out2 = tmp_path / "b.xlsx"
    result = merge(validate(three, year=YEAR), out2, year=YEAR, row_limit=3)
    wb = openpyxl.load_workbook(out2)
    assert result.split["CLB"] == ["CLB", "CLB (2)"]
    last = list(wb["CLB (2)"].iter_rows(values_only=True))
    assert last[1][0] == "Tổng cộng" and 180 in last[1]
    # The split workbook is still known as a merged one.
    report = validate([out2])
    assert report.files[0].kind == "merged"


def test_csv_output(three: list[Path], tmp_path: Path) -> None:
    import csv

    report = validate(three, year=YEAR)
    result = merge(report, tmp_path / "tong_hop.xlsx", year=YEAR, fmt="csv")
    folder = tmp_path / "tong_hop"
    assert result.path == folder
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{s}.csv" for s in SHEETS)
    raw = (folder / "Thành viên.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(folder / "Thành viên.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == LEAD + list(S.MEMBERS.headers)
    assert len(rows) - 1 == 180 == result.rows["Thành viên"]
    with open(folder / "Quỹ.csv", encoding="utf-8-sig", newline="") as fh:
        fund = list(csv.DictReader(fh))
    assert fund[0]["Ngày"] == f"{YEAR}-01-10" and fund[0]["Số tiền (đồng)"] == "600000"
    with open(folder / "CLB.csv", encoding="utf-8-sig", newline="") as fh:
        clb = list(csv.DictReader(fh))
    assert [r["Mã CLB"] for r in clb] == ["MH-01", "MH-02", "MH-03"]  # no totals row in CSV
    # Again without force: refused; with force: replaced.
    with pytest.raises(OutputExists):
        merge(report, folder, year=YEAR, fmt="csv")
    merge(report, folder, year=YEAR, fmt="csv", force=True)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# --- the command ------------------------------------------------------------------------------------


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no clubtool.toml of the developer's
    for var in ("CLUBTOOL_YEAR", "CLUBTOOL_DATA_DIR", "CLUBTOOL_COMMUNE_FILE", "CLUBTOOL_AS_OF"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def test_cli_exit_codes(in_tmp: Path) -> None:
    d = in_tmp / "du_lieu"
    make_clubs(d, [("MH-01", 50), ("MH-02", 60)])
    r = runner.invoke(app, ["merge", str(d), "--year", str(YEAR), "-o", "tong_hop.xlsx"])
    assert r.exit_code == 0, r.output
    assert "tong_hop.xlsx" in r.output and "Thành viên: 110 dòng" in r.output
    assert openpyxl.load_workbook(in_tmp / "tong_hop.xlsx").sheetnames == SHEETS

    r = runner.invoke(app, ["merge", str(d), "--year", str(YEAR), "-o", "tong_hop.xlsx"])
    assert r.exit_code == 2 and "--force" in r.output
    r = runner.invoke(app, ["merge", str(d), "--year", str(YEAR), "-o",
                            str(d / "clb_mh-01.xlsx"), "--force"])
    assert r.exit_code == 2 and "tệp đầu vào" in r.output

    write_club(d / "loi.xlsx", changed(club_data(YEAR, "MH-05"), "members", 2, gender="Gái"))
    r = runner.invoke(app, ["merge", str(d), "--year", str(YEAR), "-o", "b.xlsx"])
    assert r.exit_code == 1 and "loi.xlsx" in r.output
    r = runner.invoke(app, ["merge", str(d), "--year", str(YEAR), "-o", "c.xlsx",
                            "--include-invalid"])
    assert r.exit_code == 0, r.output

    r = runner.invoke(app, ["merge", str(d), "--year", str(YEAR), "--format", "ods"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["merge", str(in_tmp / "khong_co"), "--year", str(YEAR)])
    assert r.exit_code == 2
    r = runner.invoke(app, ["merge", str(d)])  # no year: the latest year of the data, said
    assert r.exit_code == 1 and str(YEAR) in r.output
    (in_tmp / "trong").mkdir()
    r = runner.invoke(app, ["merge", str(in_tmp / "trong"), "--year", str(YEAR)])
    assert r.exit_code == 2 and "Không có báo cáo" in r.output


def test_cli_default_name_csv_and_split_notice(in_tmp: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    d = in_tmp / "du_lieu"
    make_clubs(d, [("MH-01", 50)])
    r = runner.invoke(app, ["merge", str(d), "--year", str(YEAR), "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert (in_tmp / f"tong_hop_{YEAR}" / "CLB.csv").is_file()

    import clubtool.merge as merge_pkg

    real = merge_pkg.merge

    def small(*args: Any, **kw: Any) -> MergeResult:
        return real(*args, **{**kw, "row_limit": 20})

    monkeypatch.setattr(merge_pkg, "merge", small)
    r = runner.invoke(app, ["merge", str(d), "--year", str(YEAR)])
    assert r.exit_code == 0, r.output
    assert (in_tmp / f"tong_hop_{YEAR}.xlsx").is_file()
    assert "Thành viên (3)" in r.output and "chia thành" in r.output


def test_cli_help_documents_the_command() -> None:
    r = runner.invoke(app, ["merge", "--help"])
    assert r.exit_code == 0
    for option in ("--year", "--include-invalid", "--force", "--format", "--no-names"):
        assert option in r.output


def test_cli_tells_what_the_duplicates_sheet_holds(in_tmp: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    many_duplicates(in_tmp / "d")
    import clubtool.merge as merge_pkg

    real = merge_pkg.merge

    def small(*args: Any, **kw: Any) -> MergeResult:
        return real(*args, **{**kw, "duplicates_limit": 5})

    monkeypatch.setattr(merge_pkg, "merge", small)
    r = runner.invoke(app, ["merge", str(in_tmp / "d"), "--year", str(YEAR)])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "Nghi trùng: 6 người (cùng họ tên và năm sinh) có tên ở nhiều câu lạc bộ trong cùng " \
           "một xã" in said
    assert "còn 8 dòng (4 người) không ghi" in said and "--format csv" in said
