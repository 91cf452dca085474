"""The annotated copy sent back to a club: marks, comments, the listing sheet, the round trip."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import time
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from clubtool import schema as S
from clubtool.issues import Issue, make
from clubtool.workbook._annotate import (
    AUTHOR,
    ERROR_COLOR,
    LISTING_SHEET,
    WARNING_COLOR,
    annotate,
)
from clubtool.workbook.reader import load
from tests.factories import changed, club_data, write_club

HEADER_ROW = 3
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MEMBERS = "Thành viên"


def _faulty_data() -> dict:
    d = changed(club_data(), "members", 3, gender="Gái")  # enum error at C5
    d = changed(d, "members", 6, birth_year="=1+1")  # typed like a formula: type error at D8
    return changed(d, "info", None, phone="12345")  # pattern error, Thông tin CLB B8


@pytest.fixture
def faulty(tmp_path: Path) -> tuple[Path, list[Issue]]:
    (tmp_path / "in").mkdir()
    # an extra column: warning unknown-column at its header R1
    src = write_club(tmp_path / "in" / "clb_dong.xlsx", _faulty_data(), drop_sheets=["outreach"],
                     extra_headers={"members": ["Ghi chú riêng"]})
    loaded = load(src)
    codes = {(i.sheet, i.cell, i.code) for i in loaded.issues}
    assert {(MEMBERS, "C5", "enum"), (MEMBERS, "D8", "type"), ("Tuyên truyền", None, "missing-sheet"),
            (MEMBERS, "R1", "unknown-column")} <= codes, codes
    return src, loaded.issues


def _rows(ws) -> list[tuple]:
    return [tuple(c.value for c in row)
            for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_col=7)]


def _argb(cell) -> str | None:
    fill = cell.fill
    return fill.fgColor.rgb if fill is not None and fill.fill_type == "solid" else None


def _open(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, rich_text=True)


# --- the listing sheet ---------------------------------------------------------------


def test_listing_is_first_active_and_the_only_selected_sheet(faulty, tmp_path):
    src, issues = faulty
    out = annotate(src, issues, tmp_path / "out" / "clb_dong.xlsx")
    assert out == tmp_path / "out" / "clb_dong.xlsx" and out.exists()
    wb = _open(out)
    assert wb.sheetnames[0] == LISTING_SHEET
    assert wb.active.title == LISTING_SHEET
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [LISTING_SHEET]
    ws = wb[LISTING_SHEET]
    assert [c.value for c in ws[HEADER_ROW]] == ["STT", "Mức độ", "Trang tính", "Ô", "Cột",
                                                 "Giá trị", "Lỗi cần sửa"]
    assert all(c.font.b for c in ws[HEADER_ROW])
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert ws["G4"].alignment.wrap_text
    assert ws.column_dimensions["G"].width >= 60


def test_one_row_per_issue_sorted_with_working_links(faulty, tmp_path):
    src, issues = faulty
    issues = [*issues, make("duplicate-submission", str(src), club_id="MH-01", year=2027,
                            others="clb_dong_2.xlsx")]
    out = annotate(src, issues, tmp_path / "out.xlsx")
    wb = _open(out)
    ws = wb[LISTING_SHEET]
    rows = _rows(ws)
    assert len(rows) == len(issues)
    assert [r[0] for r in rows] == list(range(1, len(issues) + 1))
    # file-level first, then the missing sheet, then by sheet order, row, column
    assert rows[0][2] is None and "MH-01" in rows[0][6]
    assert rows[1][2] == "Tuyên truyền" and rows[1][3] is None
    order = {name: i for i, name in enumerate(wb.sheetnames)}
    keyed = [(order[r[2]], *coordinate_to_tuple(r[3])) for r in rows[2:]]
    assert keyed == sorted(keyed)
    by_cell = {(r[2], r[3]): r for r in rows}
    enum = by_cell[(MEMBERS, "C5")]
    assert enum[1] == "Lỗi" and enum[4] == "Giới tính" and enum[5] == "Gái"
    assert "Nam" in enum[6] and "Gái" in enum[6]
    assert by_cell[(MEMBERS, "R1")][1] == "Cảnh báo"
    # every cell reference is an internal link to that very cell
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        sheet, ref = row[2].value, row[3].value
        if ref:
            link = row[3].hyperlink
            assert link is not None and not link.target
            target_sheet, target_cell = link.location.rsplit("!", 1)
            assert target_sheet.strip("'").replace("''", "'") == sheet
            assert target_cell == ref
            assert sheet in wb.sheetnames
        elif sheet == "Tuyên truyền" or sheet is None:
            assert row[2].hyperlink is None and row[3].hyperlink is None
    # the links are internal: a `location`, no relationship to an outside target
    with zipfile.ZipFile(out) as zf:
        root = ElementTree.fromstring(zf.read("xl/worksheets/sheet1.xml"))
        rels = [n for n in zf.namelist() if n.startswith("xl/worksheets/_rels/sheet1.")]
        assert not rels or b"hyperlink" not in zf.read(rels[0])
    links = root.findall(f"{{{MAIN_NS}}}hyperlinks/{{{MAIN_NS}}}hyperlink")
    assert len(links) == len(issues) - 2
    assert any(link.get("location") == "'Thành viên'!C5" for link in links)
    assert all(link.get("location") and not any("id" in k for k in link.attrib) for link in links)


def test_sheet_level_issue_links_to_a1(faulty, tmp_path):
    src, issues = faulty
    extra = make("missing-column", str(src), sheet="Quỹ", column="Diễn giải")
    out = annotate(src, [*issues, extra], tmp_path / "out.xlsx")
    ws = _open(out)[LISTING_SHEET]
    row = next(r for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[2].value == "Quỹ")
    assert row[3].value is None
    assert row[2].hyperlink.location == "'Quỹ'!A1"


def test_english_headers(faulty, tmp_path):
    src, issues = faulty
    ws = _open(annotate(src, issues, tmp_path / "out.xlsx", lang="en"))[LISTING_SHEET]
    assert [c.value for c in ws[HEADER_ROW]] == ["No.", "Severity", "Sheet", "Cell", "Column",
                                                 "Value", "What to fix"]
    assert {r[1] for r in _rows(ws)} == {"Error", "Warning"}


def test_formula_looking_values_are_written_as_text(faulty, tmp_path):
    src, issues = faulty
    risky = ["=SUM(A1:A3)", "-", "+84 912", "@cmd", "=HYPERLINK(\"http://x\",\"y\")"]
    extra = [make("enum", str(src), sheet=MEMBERS, cell=f"H{10 + i}", row=10 + i,
                  column="Chức vụ", value=v, choices=("Chủ nhiệm",)) for i, v in enumerate(risky)]
    out = annotate(src, [*issues, *extra], tmp_path / "out.xlsx")
    ws = _open(out)[LISTING_SHEET]
    values = {}
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        if row[5].value is not None:
            values[row[5].value] = row[5]
    for v in [*risky, "=1+1"]:
        assert values[v].data_type == "s", v
    with zipfile.ZipFile(out) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")
        assert b"<f" not in zf.read("xl/worksheets/sheet1.xml").replace(b"<fill", b"")


def test_empty_issue_list_still_writes_a_listing(faulty, tmp_path):
    src, _ = faulty
    ws = _open(annotate(src, [], tmp_path / "out.xlsx"))[LISTING_SHEET]
    assert "Không có lỗi" in str(ws.cell(HEADER_ROW + 1, 2).value)


# --- marking cells ------------------------------------------------------------------


def test_faulty_cells_are_filled_and_commented(faulty, tmp_path):
    src, issues = faulty
    both = make("duplicate-member", str(src), sheet=MEMBERS, cell="C5", row=5, column="Họ và tên",
                value="Phan Thị Mai", birth_year=1962, other_row=2)
    out = annotate(src, [*issues, both], tmp_path / "out.xlsx")
    wb = _open(out)
    ws = wb[MEMBERS]
    assert _argb(ws["C5"]).endswith(ERROR_COLOR)  # an error and a warning: the error wins
    assert _argb(ws["D8"]).endswith(ERROR_COLOR)
    assert _argb(ws["R1"]).endswith(WARNING_COLOR)
    assert _argb(wb["Thông tin CLB"]["B8"]).endswith(ERROR_COLOR)
    c5 = ws["C5"].comment
    assert c5.author == AUTHOR
    lines = c5.text.split("\n")
    assert len(lines) == 2 and all(line.startswith("• ") for line in lines)
    assert "'Gái'" in lines[0] and "Phan Thị Mai" in lines[1]
    enum = next(i for i in issues if i.cell == "C5")
    # the message, without the "Ô C5 (trang…): " lead the comment's own cell makes needless
    assert enum.message().endswith(lines[0][3:]) and lines[0][2:] not in ("", enum.message())
    assert "Gái" in ws["C5"].value
    # comments are sized so the text shows
    with zipfile.ZipFile(out) as zf:
        vml = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".vml")).decode()
    assert "width:340px" in vml and "height:79px" not in vml


def test_cells_without_issues_are_untouched(faulty, tmp_path):
    src, issues = faulty
    out = annotate(src, issues, tmp_path / "out.xlsx")
    before, after = _open(src), _open(out)
    marked = {(i.sheet, i.cell) for i in issues if i.cell}
    assert after.sheetnames[1:] == before.sheetnames
    for ws in before.worksheets:
        copy = after[ws.title]
        assert copy.max_row == ws.max_row and copy.max_column == ws.max_column
        for row in ws.iter_rows():
            for cell in row:
                other = copy[cell.coordinate]
                assert other.value == cell.value, (ws.title, cell.coordinate)
                if (ws.title, cell.coordinate) not in marked:
                    assert repr(other.fill) == repr(cell.fill) and other.comment is None


def test_source_is_never_modified(faulty, tmp_path):
    src, issues = faulty
    old = os.stat(src).st_mtime_ns - 10_000_000_000
    os.utime(src, ns=(old, old))
    data = src.read_bytes()
    annotate(src, issues, tmp_path / "out.xlsx")
    assert src.read_bytes() == data
    assert os.stat(src).st_mtime_ns == old
    assert sorted(p.name for p in src.parent.iterdir()) == [src.name]


def test_refuses_to_write_over_the_source(faulty, tmp_path):
    src, issues = faulty
    data = src.read_bytes()
    with pytest.raises(ValueError):
        annotate(src, issues, src)
    with pytest.raises(ValueError):
        annotate(src, issues, src.parent / "." / src.name)
    link = tmp_path / "link.xlsx"
    link.symlink_to(src)
    with pytest.raises(ValueError):
        annotate(src, issues, link)
    assert src.read_bytes() == data


def test_sheet_found_when_its_name_is_written_differently(tmp_path):
    data = changed(club_data(), "members", 3, gender="Gái")
    src = write_club(tmp_path / "a.xlsx", data, sheet_names={"members": " thanh  VIEN "})
    issues = load(src).issues
    assert any(i.sheet == MEMBERS and i.cell == "C5" for i in issues)
    wb = _open(annotate(src, issues, tmp_path / "out.xlsx"))
    assert _argb(wb[" thanh  VIEN "]["C5"]).endswith(ERROR_COLOR)
    row = next(r for r in _rows(wb[LISTING_SHEET]) if r[3] == "C5")
    assert row[2] == " thanh  VIEN "


def test_odd_cells_are_listed_but_not_marked(faulty, tmp_path):
    src, _ = faulty
    issues = [make("required", str(src), sheet=MEMBERS, cell="not a cell", column="Năm sinh"),
              make("required", str(src), sheet="Không có trang này", cell="B2", column="X")]
    wb = _open(annotate(src, issues, tmp_path / "out.xlsx"))
    assert len(_rows(wb[LISTING_SHEET])) == 2
    assert all(c.comment is None for row in wb[MEMBERS].iter_rows() for c in row)


def test_issue_inside_a_merged_range_marks_its_top_left_cell(tmp_path):
    src = write_club(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(src)
    wb["Thông tin CLB"].merge_cells("C1:D2")
    wb["Thông tin CLB"]["C1"] = "gộp"
    wb.save(src)
    issue = make("required", str(src), sheet="Thông tin CLB", cell="D2", row=2, column="X")
    ws = _open(annotate(src, [issue], tmp_path / "out.xlsx"))["Thông tin CLB"]
    assert _argb(ws["C1"]).endswith(ERROR_COLOR) and ws["C1"].comment is not None


# --- the round trip --------------------------------------------------------------------


def _decorated_source(path: Path) -> Path:
    """A club workbook with what templates and clubs put in: drop-downs, formats, widths,
    frozen panes, protection, comments, conditional formats, rich text, names, merges."""
    write_club(path, changed(club_data(), "members", 3, gender="Gái"))
    wb = openpyxl.load_workbook(path)
    ws = wb[MEMBERS]
    dv = DataValidation(type="list", formula1='"Nam,Nữ"', allow_blank=True,
                        showErrorMessage=True, error="Chọn Nam hoặc Nữ")
    dv.add("C2:C200")
    ws.add_data_validation(dv)
    ws.freeze_panes = "C2"
    ws.column_dimensions["B"].width = 30
    for r in range(2, 62):
        ws.cell(r, 6).number_format = "dd/mm/yyyy"
    ws.protection.sheet = True
    ws.protection.password = "mat-khau"
    ws["B3"].comment = Comment("Phó chủ nhiệm từ 2020", "Lan")
    ws["C5"].comment = Comment("Hỏi lại bà Mai", "Lan")
    ws.conditional_formatting.add("D2:D61", CellIsRule(
        operator="lessThan", formula=["1900"], fill=PatternFill("solid", fgColor="FFFF0000")))
    ws["Q2"] = CellRichText(["Ghi ", TextBlock(InlineFont(b=True), "đậm")])
    ws.print_area = "A1:Q61"
    ws.defined_names["ds_ten"] = DefinedName("ds_ten", attr_text="'Thành viên'!$B$2:$B$61")
    wb.defined_names["thu_chi"] = DefinedName("thu_chi", attr_text="'Quỹ'!$E$2:$E$5")
    info = wb["Thông tin CLB"]
    info.row_dimensions[3].height = 30
    info["B10"].number_format = "#,##0"
    wb.save(path)
    return path


def test_round_trip_keeps_the_clubs_workbook(tmp_path):
    src = _decorated_source(tmp_path / "a.xlsx")
    issues = load(src).issues
    out = annotate(src, issues, tmp_path / "out.xlsx")
    wb = _open(out)
    ws = wb[MEMBERS]
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"Nam,Nữ"' and str(dv.sqref) == "C2:C200"
    assert dv.showErrorMessage and dv.error == "Chọn Nam hoặc Nữ"
    assert ws.freeze_panes == "C2"
    assert ws.column_dimensions["B"].width == 30
    assert ws["F2"].number_format == "dd/mm/yyyy" and ws["F2"].is_date
    assert ws.protection.sheet and ws.protection.password
    assert ws["B3"].comment.text == "Phó chủ nhiệm từ 2020"
    # our messages first, then what the club had written on the cell
    assert ws["C5"].comment.text.startswith("• ") and "Hỏi lại bà Mai" in ws["C5"].comment.text
    assert len(ws.conditional_formatting) == 1
    assert isinstance(ws["Q2"].value, CellRichText)
    assert ws.print_area == "'Thành viên'!$A$1:$Q$61"
    assert "ds_ten" in ws.defined_names and "thu_chi" in wb.defined_names
    info = wb["Thông tin CLB"]
    assert info.row_dimensions[3].height == 30 and info["B10"].number_format == "#,##0"
    # sheet-scoped names follow their sheet although a sheet was put in front of it
    with zipfile.ZipFile(out) as zf:
        workbook_xml = zf.read("xl/workbook.xml").decode()
    members_index = wb.sheetnames.index(MEMBERS)
    assert f'name="ds_ten" localSheetId="{members_index}"' in workbook_xml


def _with_x14_validation(path: Path) -> Path:
    """What Excel 2010+ writes for a drop-down whose list is on another sheet."""
    write_club(path)
    wb = openpyxl.load_workbook(path)
    lists = wb.create_sheet("Danh mục")
    lists["A1"], lists["A2"] = "Nam", "Nữ"
    wb.save(path)
    names = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            names[info.filename] = zf.read(info.filename)
    part = "xl/worksheets/sheet3.xml"  # Thành viên
    assert b"H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan" in names[part] or b"STT" in names[part]
    ext = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations count="1" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" '
        'showErrorMessage="1" error="Chọn trong danh sách">'
        "<x14:formula1><xm:f>'Danh mục'!$A$1:$A$2</xm:f></x14:formula1>"
        "<xm:sqref>C2:C200</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
    ).encode()
    names[part] = names[part].replace(b"</worksheet>", ext + b"</worksheet>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in names.items():
            zf.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


def test_drop_downs_of_the_excel_extension_survive(tmp_path):
    src = _with_x14_validation(tmp_path / "x14.xlsx")
    issues = load(src).issues
    wb = _open(annotate(src, issues, tmp_path / "out.xlsx"))
    dvs = wb[MEMBERS].data_validations.dataValidation
    assert [(d.type, d.formula1, str(d.sqref)) for d in dvs] == [
        ("list", "'Danh mục'!$A$1:$A$2", "C2:C200")]
    assert dvs[0].showErrorMessage and dvs[0].allowBlank and dvs[0].error == "Chọn trong danh sách"


def test_formulas_are_recalculated_on_opening(faulty, tmp_path):
    src, issues = faulty
    wb = openpyxl.load_workbook(src)
    wb["Quỹ"]["H1"] = "=SUM(E2:E5)"
    wb.save(src)
    out = annotate(src, issues, tmp_path / "out.xlsx")
    copy = _open(out)
    assert copy["Quỹ"]["H1"].value == "=SUM(E2:E5)"
    assert copy.calculation.fullCalcOnLoad


def test_annotating_twice_replaces_the_listing_and_the_old_marks(faulty, tmp_path):
    src, issues = faulty
    first = annotate(src, issues, tmp_path / "round1" / "clb_dong.xlsx")
    # the club fixed everything but the gender and sends the copy back
    wb = openpyxl.load_workbook(first)
    wb[MEMBERS]["C2"].comment = Comment("CLB tự ghi", "Lan")
    wb.save(first)
    second_issues = [i for i in issues if i.cell == "C5"]
    second = annotate(first, second_issues, tmp_path / "round2" / "clb_dong.xlsx")
    wb = _open(second)
    assert [n for n in wb.sheetnames if "lỗi" in n.lower()] == [LISTING_SHEET]
    assert wb.sheetnames[0] == LISTING_SHEET
    assert len(_rows(wb[LISTING_SHEET])) == 1
    ws = wb[MEMBERS]
    assert _argb(ws["C5"]).endswith(ERROR_COLOR) and ws["C5"].comment.text.count("• ") == 1
    for ref in ("D8", "R1"):
        assert ws[ref].comment is None and _argb(ws[ref]) is None
    assert ws["C2"].comment.text == "CLB tự ghi"
    assert wb["Thông tin CLB"]["B8"].comment is None


# --- files it cannot or should not open ----------------------------------------------------


@pytest.mark.parametrize(("name", "data"), [
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    ("broken.xlsx", b"PK\x03\x04 this is not really a zip file"),
    ("empty.xlsx", b""),
    ("page.xls", b"<html><table><tr><td>1</td></tr></table></html>"),
])
def test_unopenable_sources_give_none_and_write_nothing(tmp_path, name, data):
    src = tmp_path / name
    src.write_bytes(data)
    out_dir = tmp_path / "out"
    assert annotate(src, [make("file-format", str(src), detail="x")], out_dir / name) is None
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_a_damaged_ods_gives_none(tmp_path):
    src = tmp_path / "clb.ods"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    src.write_bytes(buf.getvalue())
    assert annotate(src, [], tmp_path / "out" / "clb.ods") is None
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- .ods and .xls: the copy is an .xlsx of their values ------------------------------------

_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _ods_cell(value) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, dt.datetime | dt.date):
        iso = value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
        return (f'<table:table-cell office:value-type="date" office:date-value="{iso}">'
                f"<text:p>{iso}</text:p></table:table-cell>")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>")


def write_ods(path: Path, xlsx: Path) -> Path:
    """An OpenDocument spreadsheet (what LibreOffice saves) with the sheets and cell values
    of `xlsx`, written by hand: no LibreOffice needed."""
    book = openpyxl.load_workbook(xlsx)
    tables = []
    for ws in book.worksheets:
        rows = "".join("<table:table-row>" + "".join(_ods_cell(c.value) for c in row)
                       + "</table:table-row>" for row in ws.iter_rows())
        tables.append(f'<table:table table:name="{escape(ws.title)}">{rows}</table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} '
               'office:version="1.2"><office:body><office:spreadsheet>' + "".join(tables)
               + "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
    return path


@pytest.fixture
def faulty_ods(tmp_path: Path) -> tuple[Path, list[Issue]]:
    xlsx = write_club(tmp_path / "src.xlsx", _faulty_data())
    (tmp_path / "in").mkdir()
    src = write_ods(tmp_path / "in" / "clb_dong.ods", xlsx)
    loaded = load(src)
    assert loaded.kind == "club"
    assert {(MEMBERS, "C5", "enum"), (MEMBERS, "D8", "type")} <= {
        (i.sheet, i.cell, i.code) for i in loaded.issues}
    return src, loaded.issues


def _check_rebuilt_copy(out: Path, issues: list[Issue], original: str, fmt: str) -> None:
    wb = _open(out)
    assert wb.sheetnames[0] == LISTING_SHEET
    assert wb.sheetnames[1:] == [ws.name for ws in S.CLUB.sheets]
    listing = wb[LISTING_SHEET]
    note = listing["A3"].value
    assert f"Tệp gốc {original} là tệp {fmt}" in note and ".xlsx" in note
    assert "gửi lại chính tệp .xlsx này" in note and f"sửa tệp {fmt} gốc" in note
    assert [c.value for c in listing[4]] == ["STT", "Mức độ", "Trang tính", "Ô", "Cột",
                                             "Giá trị", "Lỗi cần sửa"]
    assert len([r for r in listing.iter_rows(min_row=5, values_only=True) if r[0]]) == len(issues)
    members = wb[MEMBERS]
    assert members["C5"].value == "Gái" and _argb(members["C5"]) == "FF" + ERROR_COLOR
    assert members["C5"].comment is not None and "Nam" in members["C5"].comment.text
    assert members["D8"].value == "=1+1" and members["D8"].data_type == "s"  # text, no formula
    assert members["F2"].is_date and members["F2"].number_format == "dd/mm/yyyy"
    # the club fills in the copy and sends it back: it reads as the original did
    again = load(out)
    assert again.kind == "club"
    assert {(i.sheet, i.cell, i.code) for i in again.issues} == {
        (i.sheet, i.cell, i.code) for i in issues}


def test_an_ods_gets_an_xlsx_copy_that_says_so(faulty_ods, tmp_path):
    src, issues = faulty_ods
    before = src.read_bytes()
    out = annotate(src, issues, tmp_path / "out" / "clb_dong.ods")
    assert out == tmp_path / "out" / "clb_dong.xlsx"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["clb_dong.xlsx"]
    _check_rebuilt_copy(out, issues, "clb_dong.ods", ".ods")
    assert src.read_bytes() == before


def test_the_copy_of_an_ods_in_english(faulty_ods, tmp_path):
    src, issues = faulty_ods
    out = annotate(src, issues, tmp_path / "clb_dong.ods", lang="en")
    assert "The original clb_dong.ods is an .ods file" in _open(out)[LISTING_SHEET]["A3"].value


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_an_xls_gets_an_xlsx_copy_that_says_so(tmp_path):
    xlsx = write_club(tmp_path / "clb_dong.xlsx", _faulty_data())
    src = _soffice(tmp_path, "xls", xlsx, tmp_path / "in")
    issues = load(src).issues
    assert {(MEMBERS, "C5", "enum"), (MEMBERS, "D8", "type")} <= {
        (i.sheet, i.cell, i.code) for i in issues}
    out = annotate(src, issues, tmp_path / "out" / "clb_dong.xls")
    assert out == tmp_path / "out" / "clb_dong.xlsx"
    _check_rebuilt_copy(out, issues, "clb_dong.xls", ".xls")


def test_validate_annotate_writes_the_ods_copy_and_says_it_is_an_xlsx(faulty_ods, tmp_path):
    from typer.testing import CliRunner

    from clubtool import cli

    src, _ = faulty_ods
    write_club(src.parent / "clb_dong.xlsx", _faulty_data())  # the same name, as .xlsx
    cli.State.lang, cli.State.debug = None, False
    res = CliRunner().invoke(cli.app, ["validate", str(src.parent), "--annotate",
                                       str(tmp_path / "tra_lai")], env={"COLUMNS": "200"})
    assert res.exit_code == 1, res.output
    assert sorted(p.name for p in (tmp_path / "tra_lai").iterdir()) == [
        ".clubtool-output.json", "clb_dong (2).xlsx", "clb_dong.xlsx"]
    lines = [line for line in res.output.splitlines() if "Đã ghi bản đánh dấu lỗi" in line]
    assert len(lines) == 2
    assert sum("(tệp gốc là .ods nên bản đánh dấu được ghi dạng .xlsx)" in line
               for line in lines) == 1
    ods_copy = next(line for line in lines if "tệp gốc là .ods" in line).split(": ", 1)[1]
    assert "Tệp gốc clb_dong.ods" in _open(Path(ods_copy.split(" (tệp gốc")[0]))[
        LISTING_SHEET]["A3"].value


def test_xlsx_saved_under_an_old_extension_gets_the_right_one(faulty, tmp_path):
    src, issues = faulty
    renamed = tmp_path / "clb_dong.xls"
    shutil.copy(src, renamed)
    out = annotate(renamed, issues, tmp_path / "out" / "clb_dong.xls")
    assert out == tmp_path / "out" / "clb_dong.xlsx"
    assert _open(out).sheetnames[0] == LISTING_SHEET


def test_macros_are_kept_in_an_xlsm(faulty, tmp_path):
    src, issues = faulty
    names = {}
    with zipfile.ZipFile(src) as zf:
        for n in zf.namelist():
            names[n] = zf.read(n)
    vba = b"fake VBA project \x00\x01\x02"
    names["xl/vbaProject.bin"] = vba
    xlsm = tmp_path / "clb.xlsm"
    with zipfile.ZipFile(xlsm, "w") as zf:
        for n, data in names.items():
            zf.writestr(n, data)
    out = annotate(xlsm, issues, tmp_path / "out" / "clb.xlsm")
    with zipfile.ZipFile(out) as zf:
        assert zf.read("xl/vbaProject.bin") == vba
        assert b"macroEnabled" in zf.read("[Content_Types].xml")
    assert openpyxl.load_workbook(out, keep_vba=True).sheetnames[0] == LISTING_SHEET


def test_xlsx_source_copied_as_xlsm_says_macro_enabled(faulty, tmp_path):
    src, issues = faulty
    out = annotate(src, issues, tmp_path / "clb.xlsm")
    with zipfile.ZipFile(out) as zf:
        assert b"macroEnabled" in zf.read("[Content_Types].xml")


def test_one_file_is_quick(faulty, tmp_path):
    src, issues = faulty
    start = time.perf_counter()
    for n in range(5):
        annotate(src, issues, tmp_path / f"out{n}.xlsx")
    assert (time.perf_counter() - start) / 5 < 1.0


# --- LibreOffice -------------------------------------------------------------------


def _soffice(tmp_path: Path, fmt: str, path: Path, outdir: Path) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    # a profile of its own: another soffice running on the machine would block this one
    profile = (tmp_path / "lo-profile").as_uri()
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", fmt, "--outdir", str(outdir), str(path)],
        capture_output=True, text=True, timeout=240, check=False)
    result = outdir / (path.stem + "." + fmt)
    assert proc.returncode == 0 and result.exists(), proc.stdout + proc.stderr
    return result


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_and_resaves_the_copy(tmp_path):
    src = _decorated_source(tmp_path / "in.xlsx")
    issues = load(src).issues
    out = annotate(src, issues, tmp_path / "annotated" / "clb.xlsx")
    pdf = _soffice(tmp_path, "pdf", out, tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
    resaved = _soffice(tmp_path, "xlsx", out, tmp_path / "resaved")
    wb = _open(resaved)
    assert wb.sheetnames[0] == LISTING_SHEET
    ws = wb[LISTING_SHEET]
    links = {c.value: c.hyperlink.location for c in ws["D"] if c.hyperlink is not None}
    assert links["C5"] == "'Thành viên'!C5"  # LibreOffice keeps the link internal
    members = wb[MEMBERS]
    assert members["C5"].value == "Gái" and members["C5"].comment is not None
    assert members.data_validations.dataValidation
    # and the club's corrected copy goes through the reader again
    assert load(resaved).kind == "club"


def test_the_same_source_and_issues_give_the_same_bytes(faulty, tmp_path):
    """openpyxl stamps a saved workbook with the clock (document date, zip entries): a
    marked-up copy keeps its source's `modified` date and fixed entry times instead."""
    src, issues = faulty
    first = annotate(src, issues, tmp_path / "a" / "clb.xlsx")
    time.sleep(1.1)  # the document's date has seconds: a second later, another stamp
    second = annotate(src, issues, tmp_path / "b" / "clb.xlsx")
    assert first is not None and second is not None
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert _open(src).properties.modified == _open(first).properties.modified
