"""The merged workbook's streaming writer (`clubtool.merge._xlsx`): every cell, format and
sheet setting as XlsxWriter wrote them before (tests/merge_oracle.py), text never a formula,
dates shown dd/mm/yyyy, title lines above the header, the same bytes for the same rows."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from clubtool.merge import _sheets as M
from clubtool.merge import _writers as W
from clubtool.merge import _xlsx as X
from clubtool.merge._sheets import Column, Fmt, SheetData

from . import merge_oracle

CREATED = dt.datetime(2027, 12, 31)
HOSTILE = ['=HYPERLINK("http://evil.example","bấm vào")', "+84 912 345 678", "-", "@x",
           "=1+1", "-2+3", "\tx", "\rx", "<b>đậm</b> & \"ngoặc\"", "<r>rich</r>", " lề ",
           "dòng 1\ndòng 2", "_x0041_", "bell\x07", "\ufffe", "Nguyễn Thị Hoà"]
#: XlsxWriter wrote a text "<r>…</r>" as raw rich-text XML (read back empty): kept as text now.
RICH = "<r>rich</r>"


def columns() -> tuple[Column, ...]:
    return (Column("Mã CLB", width=10), Column("Văn bản", width=30),
            Column("Số", Fmt.INT, 8, "sum"), Column("Tiền (đồng)", Fmt.MONEY, 15, "sum"),
            Column("Ngày", Fmt.DATE, 12), Column("Cờ", Fmt.FLAG, 6, "count"),
            Column("Tỷ lệ", Fmt.SHARE, 9, ratio=("Số", "Tiền (đồng)")),
            Column("Rộng", width=0.5), Column("Ghi chú", width=40))


def rows(n: int = 40, texts: tuple[str, ...] = tuple(HOSTILE)) -> list[list[Any]]:
    rows_ = [[f"C{i:03d}", texts[i % len(texts)], i, 1_500_000 * i + 0.5 * (i % 2),
              dt.date(2027, 1 + i % 12, 1 + i % 28) if i % 3 else dt.datetime(2027, 5, 6, 7, 30),
              i % 2 == 0, i / 7, None if i % 4 else "", "x" * (40000 if i == 5 else 3)]
             for i in range(n)]
    rows_[7][3] = 19_999_999_999_980_007  # past Excel's 15 digits: exact text
    rows_[8][6] = float("nan")  # written as text, as XlsxWriter refuses it
    rows_[9][2] = 10**16
    return rows_


def sheets(n: int = 40, texts: tuple[str, ...] = tuple(HOSTILE)) -> list[SheetData]:
    cols = columns()
    return [SheetData("CLB", cols, rows(n, texts), freeze_cols=2, totals=True),
            SheetData("Thành viên", cols, rows(n, texts)[: n // 2]),
            SheetData("Nghi trùng", cols[:3], [], freeze_cols=0),  # no rows at all
            SheetData("Quỹ", cols, [[None, None, 1, 2, None, False, 0.5, None, None]],
                      totals=True)]


def write(sink_cls: Any, path: Path, data: list[SheetData], row_limit: int) -> Path:
    sink = sink_cls(path, created=CREATED, title="Tổng hợp 2027", row_limit=row_limit)
    for d in data:
        sink.write(d)
    sink.close()
    return path


def cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every cell holding a value or a format: value, type, number format, bold, fill,
    alignment (openpyxl's reading)."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: [(c.coordinate, c.value, c.data_type, c.number_format, c.font.b,
                        c.fill.fgColor.rgb if c.fill.fill_type else None,
                        c.alignment.horizontal, c.alignment.vertical, c.alignment.wrap_text,
                        c.border.top.style, c.border.bottom.style)
                       for row in ws.iter_rows() for c in row if c.value is not None or c.has_style]
            for ws in wb.worksheets}


def layout(path: Path) -> dict[str, Any]:
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {}
    for ws in wb.worksheets:
        widths = {k: round(d.width, 6) for k, d in ws.column_dimensions.items() if d.width}
        out[ws.title] = (widths, ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows,
                         ws.page_setup.orientation, ws.page_setup.paperSize,
                         ws.row_dimensions[1].height)
    return out


@pytest.mark.parametrize("row_limit", [W.EXCEL_MAX_ROWS, 7, 20])
def test_cells_and_layout_as_xlsxwriter_wrote_them(tmp_path: Path, row_limit: int) -> None:
    texts = tuple(t for t in HOSTILE if t != RICH)
    new = write(W.XlsxSink, tmp_path / "new.xlsx", sheets(texts=texts), row_limit)
    old = write(merge_oracle.XlsxSink, tmp_path / "old.xlsx", sheets(texts=texts), row_limit)
    assert openpyxl.load_workbook(new).sheetnames == openpyxl.load_workbook(old).sheetnames
    assert cells(new) == cells(old)
    assert layout(new) == layout(old)
    calamine = [CalamineWorkbook.from_path(str(p)) for p in (new, old)]
    for name in calamine[0].sheet_names:
        a, b = (wb.get_sheet_by_name(name).to_python() for wb in calamine)
        assert a == b, name


def test_text_is_never_a_formula(tmp_path: Path) -> None:
    out = write(W.XlsxSink, tmp_path / "t.xlsx", sheets(), W.EXCEL_MAX_ROWS)
    ws = openpyxl.load_workbook(out)["Thành viên"]
    for r, text in enumerate(HOSTILE[:20], start=2):
        cell = ws.cell(r, 2)
        assert cell.data_type == "s", text
        if r <= 7 or text == RICH:  # those a spreadsheet would take for a formula, markup
            assert cell.value == text
    with zipfile.ZipFile(out) as zf:
        formulas = {n: re.findall(rb"<f>([^<]*)</f>", zf.read(n)) for n in zf.namelist()
                    if n.startswith("xl/worksheets/")}
    # the totals rows' SUBTOTAL and ratio (CLB, Quỹ), nothing else
    totals = {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet4.xml"}
    assert {n for n, f in formulas.items() if f} == totals
    assert all(f.startswith((b"SUBTOTAL(", b"IF(")) for n in totals for f in formulas[n])


def test_dates_are_dates_shown_day_first(tmp_path: Path) -> None:
    out = write(W.XlsxSink, tmp_path / "t.xlsx", sheets(), W.EXCEL_MAX_ROWS)
    ws = openpyxl.load_workbook(out)["CLB"]
    date_cells = [ws.cell(r, 5) for r in range(2, 42)]
    assert all(c.is_date and c.number_format == "dd/mm/yyyy" for c in date_cells)
    assert date_cells[1].value == dt.datetime(2027, 2, 2)
    assert date_cells[0].value == dt.datetime(2027, 5, 6, 7, 30)
    assert X.serial(dt.date(1900, 2, 28)) == 59 and X.serial(dt.date(1900, 3, 1)) == 61
    assert X.serial(dt.date(2027, 12, 31)) == 46752


def test_same_rows_same_bytes(tmp_path: Path) -> None:
    a = write(W.XlsxSink, tmp_path / "a.xlsx", sheets(), 7)
    b = write(W.XlsxSink, tmp_path / "b.xlsx", sheets(), 7)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2027-12-31T00:00:00Z" in zf.read("docProps/core.xml")


def test_title_lines_above_the_header(tmp_path: Path) -> None:
    cols = columns()[:3]
    data = SheetData("Nghi trùng", cols, [["A", "b", 1], ["C", "d", 2], ["E", "f", 3]],
                     freeze_cols=0, title=("Dòng thứ nhất", "Dòng = thứ hai"))
    out = write(W.XlsxSink, tmp_path / "t.xlsx", [data], 2)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Nghi trùng", "Nghi trùng (2)"]
    for ws, last in ((wb["Nghi trùng"], 5), (wb["Nghi trùng (2)"], 4)):
        values = list(ws.iter_rows(values_only=True))
        assert [v[0] for v in values[:2]] == ["Dòng thứ nhất", "Dòng = thứ hai"]
        assert ws["A2"].data_type == "s" and ws["A1"].font.b
        assert list(values[2]) == [c.header for c in cols]
        assert ws.freeze_panes == "A4" and ws.auto_filter.ref == f"A3:C{last}"
        assert ws.print_title_rows.replace("$", "") == "1:3" and ws.row_dimensions[3].height == 45
    assert [r[0] for r in wb["Nghi trùng (2)"].iter_rows(min_row=4, values_only=True)] == ["E"]


def test_a_failure_closes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    sink = W.XlsxSink(out, created=CREATED, title="t", row_limit=10)

    def broken() -> Any:
        yield ["A", "b"]
        raise OSError("đĩa đầy")

    with pytest.raises(OSError, match="đĩa đầy"):
        sink.write(SheetData("CLB", columns()[:2], broken()))
    sink.abort()
    out.unlink()  # closed: Windows could remove it too


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1,
                              max_size=30).filter(lambda t: not t.startswith("<r>")),
                      min_size=1, max_size=8))
def test_any_text_reads_back_as_xlsxwriter_wrote_it(tmp_path: Path, texts: list[str]) -> None:
    data = [SheetData("CLB", (Column("Văn bản"),), [[t] for t in texts])]
    new = write(W.XlsxSink, tmp_path / "new.xlsx", data, W.EXCEL_MAX_ROWS)
    old = write(merge_oracle.XlsxSink, tmp_path / "old.xlsx", data, W.EXCEL_MAX_ROWS)
    a, b = (CalamineWorkbook.from_path(str(p)).get_sheet_by_name("CLB").to_python()
            for p in (new, old))
    assert a == b


def test_column_letters() -> None:
    assert [X.col_name(c) for c in (0, 25, 26, 51, 52, 701, 702, 16383)] == \
        ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]
    assert M.DUPLICATES_LIMIT == 5000
