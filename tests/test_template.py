"""The blank workbooks (SPEC §2) and the helpers that fill them."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from clubtool import _fsutil as fsutil
from clubtool import schema
from clubtool.schema import Kind, Layout
from clubtool.workbook import template as T

from .conftest import needs_soffice

YEAR = 2027
VILLAGES = ["Thôn Đông", "Thôn Tây", "Thôn Trung Hòa"]

# Literal expectations copied from SPEC.md, so a drift of the schema itself is caught too.
CLUB_SHEETS = ["Hướng dẫn", "Thông tin CLB", "Thành viên", "Sinh hoạt", "Tập huấn",
               "Tuyên truyền", "Quỹ"]
COMMUNE_SHEETS = ["Hướng dẫn", "Thông tin xã", "Thôn", "Câu lạc bộ", "Cán bộ", "Khen thưởng"]
CLUB_LABELS = ["Phiên bản mẫu", "Mã CLB", "Tên CLB", "Thôn", "Năm báo cáo", "Ngày thành lập",
               "Chủ nhiệm", "Điện thoại", "Số dư đầu năm quỹ hoạt động (đồng)",
               "Số dư đầu năm quỹ tăng thu nhập (đồng)", "Năm được công nhận đạt chuẩn",
               "Người lập", "Ngày lập"]
MEETING_HEADERS = ["Ngày", "Số người tham dự", "ND1 Chăm sóc sức khỏe", "ND2 Tăng thu nhập",
                   "ND3 Đời sống tinh thần", "ND4 Tự giúp nhau", "ND5 Học tập suốt đời",
                   "ND6 Chăm sóc tại nhà", "ND7 Vận động nguồn lực", "ND8 Quyền và lợi ích",
                   "Chuyển đổi số", "Chuyển đổi xanh", "Khởi nghiệp - việc làm", "Nội dung chính"]
FUND_HEADERS = ["Ngày", "Quỹ", "Thu/Chi", "Nguồn thu", "Số tiền (đồng)", "Diễn giải"]
VILLAGE_HEADERS = ["Tên thôn", "Số người cao tuổi", "Số đối tượng tuyên truyền",
                   "Số người được tuyên truyền"]
LITERAL_LISTS = {  # (sheet, header) → the drop-down's allowed values, as in SPEC §2
    ("Thành viên", "Giới tính"): ["Nam", "Nữ"],
    ("Thành viên", "Chức vụ"): ["Chủ nhiệm", "Phó chủ nhiệm", "Thư ký", "Thủ quỹ", "Ủy viên"],
    ("Thành viên", "Hộ nghèo/cận nghèo"): ["Nghèo", "Cận nghèo"],
    ("Tập huấn", "Loại"): ["Ban đầu", "Nhắc lại"],
    ("Tuyên truyền", "Hình thức"): ["Họp thôn", "Loa truyền thanh", "Mạng xã hội", "Sự kiện",
                                    "Thăm hộ gia đình", "Khác"],
    ("Quỹ", "Quỹ"): ["Hoạt động", "Tăng thu nhập"],
    ("Quỹ", "Thu/Chi"): ["Thu", "Chi"],
    ("Quỹ", "Nguồn thu"): ["Thành viên đóng góp", "Xã hội hóa", "Ngân sách", "Gây quỹ",
                           "Lãi vay", "Khác"],
    ("Thành viên", "Khuyết tật"): ["x"],
    ("Sinh hoạt", "ND6 Chăm sóc tại nhà"): ["x"],
    ("Cán bộ", "Được tập huấn"): ["x"],
    ("Khen thưởng", "Tập thể/Cá nhân"): ["Tập thể", "Cá nhân"],
}


# --- helpers -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def club_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wb = T.club_workbook(year=YEAR, club_id="MH-01", club_name="CLB liên thế hệ thôn Đông",
                         village="Thôn Đông", villages=VILLAGES)
    return T.save_workbook(wb, tmp_path_factory.mktemp("club") / "club.xlsx")


@pytest.fixture(scope="module")
def commune_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wb = T.commune_workbook(year=YEAR, commune="Mai Hoa", province="Hà Tĩnh")
    return T.save_workbook(wb, tmp_path_factory.mktemp("commune") / "xa.xlsx")


@pytest.fixture(scope="module")
def club(club_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(club_path)


@pytest.fixture(scope="module")
def commune(commune_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(commune_path)


def books(club: openpyxl.Workbook, commune: openpyxl.Workbook
          ) -> Iterator[tuple[schema.WorkbookSchema, openpyxl.Workbook]]:
    yield schema.CLUB, club
    yield schema.COMMUNE, commune


def validation_at(ws: Worksheet, coord: str) -> DataValidation | None:
    found = [dv for dv in ws.data_validations.dataValidation if coord in dv.sqref]
    assert len(found) <= 1, f"{ws.title}!{coord}: overlapping validations"
    return found[0] if found else None


def list_values(ws: Worksheet, dv: DataValidation) -> list[str]:
    """The allowed values of a list validation, inline or from a range."""
    formula = dv.formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, ref = formula.rsplit("!", 1)
    source = ws.parent[sheet.strip("'").replace("''", "'")]
    return [row[0].value for row in source[ref.replace("$", "")]]


def header_col(sheet: schema.Sheet, key: str) -> str:
    return openpyxl.utils.get_column_letter(sheet.fields.index(sheet.field(key)) + 1)


def build_commune_file(path: Path, villages: list[Any], *, header: str | None = None,
                       blank_rows: int = 0) -> Path:
    wb = T.commune_workbook(year=YEAR)
    sheet = schema.COMMUNE.sheet("villages")
    ws = wb[sheet.name]
    T.fill_table(ws, sheet, [{"name": v} for v in villages])
    if header is not None:
        ws["A1"] = header
    if blank_rows:
        ws.insert_rows(1, blank_rows)
    return T.save_workbook(wb, path)


# --- sheets, headers, labels -----------------------------------------------------------------


def test_sheet_order_is_the_spec(club: openpyxl.Workbook, commune: openpyxl.Workbook) -> None:
    assert club.sheetnames == CLUB_SHEETS
    assert commune.sheetnames == COMMUNE_SHEETS
    assert club.sheetnames == [s.name for s in schema.CLUB.sheets]
    assert commune.sheetnames == [s.name for s in schema.COMMUNE.sheets]


def test_headers_and_labels_exactly(club: openpyxl.Workbook, commune: openpyxl.Workbook) -> None:
    for wschema, wb in books(club, commune):
        for sheet in wschema.sheets:
            ws = wb[sheet.name]
            if sheet.layout is Layout.TABLE:
                row1 = [c.value for c in ws[1]][: len(sheet.fields)]
                assert row1 == list(sheet.headers), sheet.name
                assert ws.max_column == len(sheet.fields)
            elif sheet.layout is Layout.LABELS:
                labels = [ws.cell(r, 1).value for r in range(1, len(sheet.fields) + 1)]
                assert labels == list(sheet.headers), sheet.name
    assert [ws.value for ws in club["Thông tin CLB"]["A"]][: len(CLUB_LABELS)] == CLUB_LABELS
    assert [c.value for c in club["Sinh hoạt"][1]] == MEETING_HEADERS
    assert [c.value for c in club["Quỹ"][1]] == FUND_HEADERS
    assert [c.value for c in commune["Thôn"][1]] == VILLAGE_HEADERS


def test_all_text_is_nfc(club_path: Path, commune_path: Path) -> None:
    for path in (club_path, commune_path):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith(".xml"):
                    text = z.read(name).decode("utf-8")
                    assert unicodedata.normalize("NFC", text) == text, (path.name, name)


def test_headers_bold_frozen_wrapped_and_sized(club: openpyxl.Workbook,
                                               commune: openpyxl.Workbook) -> None:
    for wschema, wb in books(club, commune):
        for sheet in wschema.sheets:
            ws = wb[sheet.name]
            if sheet.layout is Layout.TABLE:
                assert ws.freeze_panes == "A2"
                for c, f in enumerate(sheet.fields, start=1):
                    cell = ws.cell(1, c)
                    assert cell.font.b and cell.alignment.wrap_text
                    assert ws.column_dimensions[cell.column_letter].width == f.width
            elif sheet.layout is Layout.LABELS:
                assert all(ws.cell(r, 1).font.b for r in range(1, len(sheet.fields) + 1))


# --- drop-downs, formats, input messages -------------------------------------------------------


def test_every_choice_and_flag_column_has_its_dropdown(club: openpyxl.Workbook,
                                                        commune: openpyxl.Workbook) -> None:
    checked = 0
    for wschema, wb in books(club, commune):
        for sheet in wschema.sheets:
            if sheet.layout is not Layout.TABLE:
                continue
            ws = wb[sheet.name]
            last = sheet.rows_in_template + 1
            for f in sheet.fields:
                col = header_col(sheet, f.key)
                if f.kind not in (Kind.CHOICE, Kind.FLAG):
                    continue
                expected = list(f.choices) if f.kind is Kind.CHOICE else [schema.YES_MARK]
                for row in (2, last):
                    dv = validation_at(ws, f"{col}{row}")
                    assert dv is not None and dv.type == "list", (sheet.name, f.header, row)
                    assert dv.allow_blank and dv.showErrorMessage
                    assert list_values(ws, dv) == expected
                assert validation_at(ws, f"{col}{last + 1}") is None
                literal = LITERAL_LISTS.get((sheet.name, f.header))
                if literal is not None:
                    assert list_values(ws, validation_at(ws, f"{col}2")) == literal
                    checked += 1
    assert checked == len(LITERAL_LISTS)


def test_dates_and_numbers_are_formatted(club: openpyxl.Workbook,
                                         commune: openpyxl.Workbook) -> None:
    expected = {Kind.DATE: "dd/mm/yyyy", Kind.INTEGER: "0", Kind.NUMBER: "#,##0"}
    for wschema, wb in books(club, commune):
        for sheet in wschema.sheets:
            ws = wb[sheet.name]
            if sheet.layout is Layout.TABLE:
                for f in sheet.fields:
                    col = header_col(sheet, f.key)
                    if f.kind in expected:
                        assert ws.column_dimensions[col].number_format == expected[f.kind]
                    if f.kind is Kind.DATE:
                        dv = validation_at(ws, f"{col}2")
                        assert dv is not None and dv.type == "date" and dv.allow_blank
                        assert "ngày/tháng/năm" in dv.error
            elif sheet.layout is Layout.LABELS:
                for r, f in enumerate(sheet.fields, start=1):
                    if f.kind in expected:
                        assert ws.cell(r, 2).number_format == expected[f.kind], f.header
                    if f.kind is Kind.DATE:
                        assert validation_at(ws, f"B{r}").type == "date"


def test_every_header_has_its_input_message(club: openpyxl.Workbook,
                                            commune: openpyxl.Workbook) -> None:
    for wschema, wb in books(club, commune):
        for sheet in wschema.read_sheets:
            ws = wb[sheet.name]
            for i, f in enumerate(sheet.fields, start=1):
                coord = f"{openpyxl.utils.get_column_letter(i)}1" if sheet.layout is Layout.TABLE \
                    else f"A{i}"
                dv = validation_at(ws, coord)
                assert dv is not None and dv.showInputMessage, (sheet.name, f.header)
                assert f.help and dv.prompt.startswith(f.help[:200])
                assert len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32
        for ws in wb.worksheets:
            for dv in ws.data_validations.dataValidation:
                assert len(dv.error or "") <= 255 and len(dv.errorTitle or "") <= 32
                assert dv.type != "list" or len(dv.formula1) <= 257


# --- protection -------------------------------------------------------------------------------


def test_headers_locked_inputs_unlocked_no_password(club: openpyxl.Workbook,
                                                    commune: openpyxl.Workbook) -> None:
    for wschema, wb in books(club, commune):
        for sheet in wschema.sheets:
            ws = wb[sheet.name]
            p = ws.protection
            assert p.sheet and not p.password
            # OOXML: False = allowed on the protected sheet.
            assert not (p.formatColumns or p.formatRows or p.sort or p.autoFilter or p.insertRows)
            if sheet.layout is Layout.TABLE:
                for c in range(1, len(sheet.fields) + 1):
                    assert ws.cell(1, c).protection.locked
                    letter = openpyxl.utils.get_column_letter(c)
                    assert ws.column_dimensions[letter].protection.locked is False
            elif sheet.layout is Layout.LABELS:
                for r, f in enumerate(sheet.fields, start=1):
                    assert ws.cell(r, 1).protection.locked
                    assert ws.cell(r, 2).protection.locked is (f.key == "version")


# --- identity, villages ---------------------------------------------------------------------


def info_value(wb: openpyxl.Workbook, wschema: schema.WorkbookSchema, key: str) -> Any:
    sheet = wschema.sheet("info")
    return wb[sheet.name].cell(T.label_row(sheet, key), 2).value


def test_identity_is_prefilled(club: openpyxl.Workbook, commune: openpyxl.Workbook) -> None:
    assert info_value(club, schema.CLUB, "version") == "CLB-2027.1"
    assert info_value(club, schema.CLUB, "year") == YEAR
    assert info_value(club, schema.CLUB, "club_id") == "MH-01"
    assert info_value(club, schema.CLUB, "name") == "CLB liên thế hệ thôn Đông"
    assert info_value(club, schema.CLUB, "village") == "Thôn Đông"
    assert info_value(club, schema.CLUB, "founded") is None
    assert info_value(commune, schema.COMMUNE, "version") == "XA-2026.1"
    assert info_value(commune, schema.COMMUNE, "commune") == "Mai Hoa"
    assert info_value(commune, schema.COMMUNE, "province") == "Hà Tĩnh"
    assert info_value(commune, schema.COMMUNE, "year") == YEAR


def test_blank_template_has_only_version_and_no_identity() -> None:
    wb = T.club_workbook()
    info = schema.CLUB.sheet("info")
    values = [wb[info.name].cell(r, 2).value for r in range(1, len(info.fields) + 1)]
    assert values == [schema.CLUB_TEMPLATE_VERSION] + [None] * (len(info.fields) - 1)
    dv = validation_at(wb[info.name], f"B{T.label_row(info, 'village')}")
    assert dv is not None and dv.type is None  # an input message, no list without villages


def test_villages_become_the_village_dropdowns(club: openpyxl.Workbook) -> None:
    info, members = schema.CLUB.sheet("info"), schema.CLUB.sheet("members")
    ws = club[info.name]
    dv = validation_at(ws, f"B{T.label_row(info, 'village')}")
    assert dv is not None and dv.type == "list" and list_values(ws, dv) == VILLAGES
    ws = club[members.name]
    dv = validation_at(ws, f"{header_col(members, 'village')}2")
    assert dv is not None and list_values(ws, dv) == VILLAGES


def test_long_village_list_goes_to_a_hidden_guide_column(tmp_path: Path) -> None:
    villages = [f"Thôn Số {i:02d}, xóm {i}" for i in range(1, 41)]  # commas, > 255 chars
    path = T.save_workbook(T.club_workbook(year=YEAR, villages=villages), tmp_path / "c.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == CLUB_SHEETS
    info = schema.CLUB.sheet("info")
    dv = validation_at(wb[info.name], f"B{T.label_row(info, 'village')}")
    assert dv is not None and not dv.formula1.startswith('"')
    assert dv.formula1.startswith(f"'{schema.CLUB_GUIDE.name}'!")
    assert list_values(wb[info.name], dv) == villages
    guide = wb[schema.CLUB_GUIDE.name]
    letter = dv.formula1.split("!$")[1].split("$")[0]
    assert guide.column_dimensions[letter].hidden


def test_village_of_the_club_joins_the_list() -> None:
    wb = T.club_workbook(village="Thôn Mới", villages=VILLAGES)
    info = schema.CLUB.sheet("info")
    ws = wb[info.name]
    dv = validation_at(ws, f"B{T.label_row(info, 'village')}")
    assert list_values(ws, dv) == [*VILLAGES, "Thôn Mới"]


def test_villages_from_a_commune_workbook(tmp_path: Path) -> None:
    path = build_commune_file(tmp_path / "xa.xlsx",
                              ["Thôn Đông", " thôn  đông ", "Thôn Tây", None, 5, "Thôn Trung Hòa"])
    assert T.villages_from(path) == ["Thôn Đông", "Thôn Tây", "5", "Thôn Trung Hòa"]


def test_villages_from_matches_header_loosely(tmp_path: Path) -> None:
    path = build_commune_file(tmp_path / "xa.xlsx", ["Thôn Đông"], header="TEN THON",
                              blank_rows=2)
    assert T.villages_from(path) == ["Thôn Đông"]


def test_villages_from_explains_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(T.TemplateError, match="Không tìm thấy"):
        T.villages_from(tmp_path / "khong_co.xlsx")
    empty = T.save_workbook(T.commune_workbook(), tmp_path / "empty.xlsx")
    with pytest.raises(T.TemplateError, match="chưa có tên thôn"):
        T.villages_from(empty)
    club = T.save_workbook(T.club_workbook(), tmp_path / "club.xlsx")
    with pytest.raises(T.TemplateError, match="không có trang"):
        T.villages_from(club)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    with pytest.raises(T.TemplateError, match="Không đọc được"):
        T.villages_from(junk)


# --- the guide ---------------------------------------------------------------------------------


def guide_text(wb: openpyxl.Workbook) -> str:
    ws = wb[wb.sheetnames[0]]
    return "\n".join(str(c.value) for c in ws["A"] if c.value)


def test_club_guide_explains_sheets_dates_flags_contents(club: openpyxl.Workbook) -> None:
    text = guide_text(club)
    for sheet in schema.CLUB.sheets:
        assert f"“{sheet.name}”: {sheet.purpose}" in text
    for _, header, meaning in schema.CONTENTS:
        assert f"{header}: {meaning}" in text
    assert "05/03/2027" in text and "ngày/tháng/năm" in text
    assert "ghi chữ x" in text
    assert "Hội Người cao tuổi xã" in text
    assert schema.CLUB_TEMPLATE_VERSION in text
    assert "MH-01" in text and f"NĂM {YEAR}" in text


def test_commune_guide(commune: openpyxl.Workbook) -> None:
    text = guide_text(commune)
    for sheet in schema.COMMUNE.sheets:
        assert f"“{sheet.name}”: {sheet.purpose}" in text
    assert schema.COMMUNE_TEMPLATE_VERSION in text and "--villages-from" in text


# --- filling in ---------------------------------------------------------------------------------


def test_fill_table_and_labels_write_typed_values(tmp_path: Path) -> None:
    wb = T.club_workbook(year=YEAR)
    members, info = schema.CLUB.sheet("members"), schema.CLUB.sheet("info")
    T.fill_table(wb[members.name], members, [
        {"stt": 1, "name": "Nguyễn Thị Lan", "gender": "Nữ", "birth_year": 1958,
         "joined": dt.date(2019, 5, 1), "disability": True, "lonely": False},
        {},
        {"stt": 3, "name": "=HYPERLINK(\"http://x\")", "note": "+84 912", "village": "-"},
        {"stt": 4, "name": "@admin", "needs_livelihood": "có"},
    ])
    T.fill_labels(wb[info.name], info, {"founded": dt.date(2019, 8, 15), "opening_activity": 2500000,
                                        "phone": "0912345678", "chair": "=1+1", "year": None})
    path = T.save_workbook(wb, tmp_path / "filled.xlsx")

    ws = openpyxl.load_workbook(path)[members.name]
    col = {f.key: i for i, f in enumerate(members.fields, start=1)}
    assert ws.cell(2, col["joined"]).value == dt.datetime(2019, 5, 1)
    assert ws.cell(2, col["joined"]).number_format == "dd/mm/yyyy"
    assert ws.cell(2, col["birth_year"]).value == 1958
    assert ws.cell(2, col["disability"]).value == schema.YES_MARK
    assert ws.cell(2, col["lonely"]).value is None
    assert all(ws.cell(3, c).value is None for c in col.values())
    assert ws.cell(4, col["name"]).value == "=HYPERLINK(\"http://x\")"
    assert ws.cell(4, col["name"]).data_type == "s"
    assert ws.cell(4, col["note"]).value == "+84 912"
    assert ws.cell(5, col["name"]).value == "@admin"
    assert ws.cell(5, col["needs_livelihood"]).value == "có"
    assert ws.cell(2, col["name"]).protection.locked is False  # still editable
    with zipfile.ZipFile(path) as z:
        assert all(b"<f>" not in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets"))

    wsi = openpyxl.load_workbook(path)[info.name]
    assert wsi.cell(T.label_row(info, "founded"), 2).value == dt.datetime(2019, 8, 15)
    assert wsi.cell(T.label_row(info, "founded"), 2).number_format == "dd/mm/yyyy"
    assert wsi.cell(T.label_row(info, "opening_activity"), 2).value == 2500000
    assert wsi.cell(T.label_row(info, "phone"), 2).value == "0912345678"
    assert wsi.cell(T.label_row(info, "chair"), 2).value == "=1+1"
    assert wsi.cell(T.label_row(info, "year"), 2).value is None  # None empties a pre-fill

    # What a reader sees: text, never a computed formula.
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(members.name).to_python()
    assert rows[3][col["name"] - 1] == "=HYPERLINK(\"http://x\")"
    info_rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(info.name).to_python()
    assert info_rows[T.label_row(info, "chair") - 1][1] == "=1+1"


def test_fill_rejects_unknown_keys() -> None:
    wb = T.club_workbook()
    members, info = schema.CLUB.sheet("members"), schema.CLUB.sheet("info")
    with pytest.raises(KeyError):
        T.fill_table(wb[members.name], members, [{"nope": 1}])
    with pytest.raises(KeyError):
        T.fill_labels(wb[info.name], info, {"nope": 1})


def test_blank_template_reads_back_without_structural_issues(club_path: Path,
                                                             commune_path: Path) -> None:
    from clubtool.workbook.reader import load

    structural = {"missing-sheet", "missing-column", "missing-field", "duplicate-column",
                  "unknown-column", "template-version", "not-a-template", "file-format"}
    club = load(club_path)
    assert club.kind == "club" and club.club_id == "MH-01" and club.year == YEAR
    assert not {i.code for i in club.issues} & structural
    commune = load(commune_path)
    assert commune.kind == "commune"
    assert not {i.code for i in commune.issues} & structural


# --- saving -----------------------------------------------------------------------------------


def test_save_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"
    T.save_workbook(T.club_workbook(year=YEAR), target)
    before = target.read_bytes()
    with pytest.raises(fsutil.OutputExists):
        T.save_workbook(T.club_workbook(year=2028), target)
    assert target.read_bytes() == before
    T.save_workbook(T.club_workbook(year=2028), target, force=True)
    assert openpyxl.load_workbook(target)[schema.CLUB_INFO.name]["B5"].value == 2028
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]  # no temporary left


def test_output_path_and_names(tmp_path: Path) -> None:
    assert T.club_filename("MH-01", 2027) == "mau_clb_MH-01_2027.xlsx"
    assert T.club_filename(None, 2027) == "mau_clb_moi_2027.xlsx"
    assert T.commune_filename(2027) == "mau_xa_2027.xlsx"
    assert T.output_path(None, "x.xlsx") == Path("x.xlsx")
    assert T.output_path(tmp_path, "x.xlsx") == tmp_path / "x.xlsx"
    with pytest.raises(T.TemplateError):
        T.output_path(tmp_path / "x.xls", "x.xlsx")
    assert T.normalise_club_id(" mh-01 ") == "MH-01"
    with pytest.raises(T.TemplateError):
        T.normalise_club_id("MH 01")


# --- LibreOffice ---------------------------------------------------------------------------------


@needs_soffice
def test_libreoffice_opens_and_prints_both_templates(club_path: Path, commune_path: Path,
                                                     tmp_path: Path, soffice_convert: Any) -> None:
    pdfs = soffice_convert([club_path, commune_path], "pdf", tmp_path / "pdf")
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)


@needs_soffice
def test_libreoffice_round_trip_keeps_sheets_and_headers(club_path: Path, commune_path: Path,
                                                         tmp_path: Path,
                                                         soffice_convert: Any) -> None:
    again = soffice_convert([club_path, commune_path], "xlsx", tmp_path / "lo")
    for wschema, path in zip((schema.CLUB, schema.COMMUNE), again, strict=True):
        names = [s.name for s in wschema.sheets]
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == names
        cw = CalamineWorkbook.from_path(str(path))
        assert cw.sheet_names == names
        for sheet in wschema.read_sheets:
            rows = cw.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
            if sheet.layout is Layout.TABLE:
                assert [c.value for c in wb[sheet.name][1]][: len(sheet.fields)] == list(sheet.headers)
                assert list(rows[0][: len(sheet.fields)]) == list(sheet.headers)
                # (A headless conversion has no view, so LibreOffice drops the frozen pane.)
                types = {dv.type for dv in wb[sheet.name].data_validations.dataValidation}
                if any(f.kind in (Kind.CHOICE, Kind.FLAG) for f in sheet.fields):
                    assert "list" in types
            else:
                assert [r[0] for r in rows[: len(sheet.fields)]] == list(sheet.headers)
            assert wb[sheet.name].protection.sheet
        info = wschema.sheet("info")
        assert wb[info.name].cell(T.label_row(info, "version"), 2).value == wschema.version
