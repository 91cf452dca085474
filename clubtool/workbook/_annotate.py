"""Marked-up copies of faulty workbooks: what `validate --annotate` sends back to a club.

The copy keeps the club's workbook as it was and adds three things a secretary can act on:
each faulty cell filled red (error) or yellow (warning) with an Excel comment saying what to
write instead, and a first sheet `Lỗi cần sửa` listing every issue with a link to its cell.

openpyxl does the round trip (one load, one save). What it would lose that a club workbook
may hold, and what is done about it:

- drop-downs Excel stores in the `x14` extension (lists taken from another sheet) are read
  from the original XML and written back as ordinary data validations;
- cached results of formulas are not written: Excel is told to recalculate on opening;
- macros are kept (`keep_vba`) when the copy is an `.xlsm`;
- pictures (without Pillow), shapes, form controls, sparklines and extended conditional
  formats are lost; the club's own file is never touched, so nothing of theirs is lost.

An `.xls` or `.ods` (which openpyxl cannot open) becomes an `.xlsx` copy holding its cell
values, sheet by sheet at the same cells (python-calamine reads both), annotated the same way;
the listing says the original was an .xls/.ods and which file the club should send back.

A re-annotated file (the club sent back the copy it got) has its old listing replaced and
the marks of the previous round (comments by `clubtool` and their fills) removed first.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import warnings
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
from defusedxml import ElementTree as SafeET
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    get_column_letter,
    quote_sheetname,
)
from openpyxl.utils.exceptions import CellCoordinatesException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .._fsutil import workbook_bytes, write_bytes_atomic
from ..issues import ERROR, Issue, default_lang
from ..text import Matcher
from ._files import DEFAULT_LIMITS, Rejected, _sheet_parts, check_bytes

LISTING_SHEET = "Lỗi cần sửa"
AUTHOR = "clubtool"
#: The document dates of a copy rebuilt from an .xls or .ods (the zip's entries' time too).
REBUILT_DATE = dt.datetime(1980, 1, 1)

# Excel's own "Bad" and "Neutral" cell styles: visible on screen and on a grey printout,
# and dark text stays readable on them.
ERROR_COLOR = "FFC7CE"
WARNING_COLOR = "FFEB9C"
_OUR_COLORS = frozenset({"FF" + ERROR_COLOR, "FF" + WARNING_COLOR, ERROR_COLOR, WARNING_COLOR})

# Between our messages and a comment the club had written on the same cell.
_KEPT_SEPARATOR = "\n\n———\n"

_MAX_CELL_TEXT = 32_000  # Excel's limit is 32,767 characters a cell
_COMMENT_WIDTH_PX = 340
_COMMENT_CHARS_PER_LINE = 46  # at the 9-point Tahoma Excel uses for notes
_COMMENT_LINE_PX = 15

_HEADERS = {
    "vi": ("STT", "Mức độ", "Trang tính", "Ô", "Cột", "Giá trị", "Lỗi cần sửa"),
    "en": ("No.", "Severity", "Sheet", "Cell", "Column", "Value", "What to fix"),
}
_WIDTHS = (6, 11, 16, 8, 22, 22, 80)
_SEVERITY = {"vi": {ERROR: "Lỗi", "warning": "Cảnh báo"},
             "en": {ERROR: "Error", "warning": "Warning"}}
_HEADER_ROW = 3  # a title and a how-to line above it
_ROW_PT = 15  # one line of an 11-point font

_X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
_XM = "http://schemas.microsoft.com/office/excel/2006/main"


# long: the docstring says what a marked-up copy holds; the body is one open-mark-save sequence
def annotate(source: Path | str, issues: Sequence[Issue], out_path: Path | str, *,
             lang: str | None = None) -> Path | None:
    """Write a marked-up copy of `source` to `out_path`; return the path written.

    Faulty cells are filled (red for errors, yellow for warnings; an error wins) and carry
    a comment with every message for that cell; a first sheet `Lỗi cần sửa` lists all
    issues, file- and sheet-level ones included, with links to the cells. `issue.sheet` is
    the schema's sheet name; the sheet in the file is found the way the reader finds it.

    An `.xls` or `.ods` source gets an `.xlsx` copy of its cell values (formatting and
    drop-downs are not carried over), marked the same way. Returns None, writing nothing,
    when the source cannot be opened (encrypted, damaged, not a workbook): such a file's
    issues belong in the report only. When the source is an xlsx saved under another
    extension, the copy gets the right one (`.xlsx`/`.xlsm`) and that path is returned.
    The source is only read; `out_path` is written atomically.

    Raises ValueError when `out_path` is the source itself.
    """
    src = Path(source)
    out = Path(out_path)
    lang = lang if lang in _HEADERS else default_lang()
    _refuse_same_file(src, out)
    try:
        data = src.read_bytes()
    except OSError:
        return None
    try:
        container = check_bytes(data, src.suffix.lower(), DEFAULT_LIMITS)
    except Rejected:
        return None
    if container == "other":
        return None
    wb = None
    if container == "zip":
        if out.suffix.lower() not in (".xlsx", ".xlsm"):
            out = out.with_suffix(".xlsm" if _has_macros(data) else ".xlsx")
            _refuse_same_file(src, out)
        # the file's content type follows keep_vba: an .xlsm must say macro-enabled, an
        # .xlsx must not (Excel refuses a file whose extension and content disagree)
        wb = _open(data, keep_vba=out.suffix.lower() == ".xlsm")
    rebuilt_from = None
    if wb is None:  # an .xls (OLE) or an .ods: an .xlsx of its values
        wb = _rebuild(data)
        if wb is None:
            return None
        rebuilt_from = _format_of(data, container, src)
        out = out.with_suffix(".xlsx")
        _refuse_same_file(src, out)
    else:
        _restore_extension_validations(wb, data)
    if rebuilt_from:  # a new workbook: no dates of its own but the clock's
        wb.properties.created = wb.properties.modified = REBUILT_DATE
    # (openpyxl puts the clock's time where the source's properties say nothing)
    modified = wb.properties.modified if _dated(data) else REBUILT_DATE
    _drop_previous_round(wb)
    sheet_order = {ws.title: i for i, ws in enumerate(wb.worksheets)}
    by_name = Matcher({ws.title: ws for ws in wb.worksheets})
    located = [(issue, _locate(issue, by_name)) for issue in issues]

    _mark_cells(located, lang)
    note = _rebuilt_note(src.name, rebuilt_from, lang) if rebuilt_from else None
    listing = _write_listing(wb, located, sheet_order, src.name, lang, note)
    _select_only(wb, listing)
    wb.template = False  # an .xltx opened as a copy to fill, not a template
    if wb.calculation is not None:
        # openpyxl writes formulas without their cached results
        wb.calculation.fullCalcOnLoad = True

    wb.properties.modified = modified  # (openpyxl's save would write the clock's time)
    write_bytes_atomic(out, workbook_bytes(wb))
    return out


def _dated(data: bytes) -> bool:
    """Whether the source's document properties hold a `modified` date."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return b"modified" in zf.read("docProps/core.xml")
    except (KeyError, OSError, zipfile.BadZipFile, ValueError):
        return False


# --- opening -------------------------------------------------------------------------


def _refuse_same_file(src: Path, out: Path) -> None:
    same = src.resolve() == out.resolve()
    if not same and out.exists() and src.exists():
        try:
            same = os.path.samefile(src, out)
        except OSError:
            same = False
    if same:
        raise ValueError(f"refusing to write the annotated copy over its source: {src}")


def _has_macros(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return any(n.lower().endswith("vbaproject.bin") for n in zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _open(data: bytes, *, keep_vba: bool) -> Workbook | None:
    try:
        with warnings.catch_warnings():
            # "Data Validation extension is not supported…": handled below
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), keep_vba=keep_vba, rich_text=True,
                                          keep_links=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for files it cannot read
        return None


def _format_of(data: bytes, container: str, src: Path) -> str:
    """".xls", ".ods", or the source's own extension when the content says neither."""
    if container == "ole":
        return ".xls"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument"):
                return ".ods"
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        pass
    return src.suffix.lower() or "?"


def _rebuild(data: bytes) -> Workbook | None:
    """A new workbook holding the cell values of a workbook openpyxl cannot open (.xls,
    .ods), read by python-calamine: the same sheets in the same order, each value at the
    cell the reader (and so every issue) places it; dates stay dates, text stays text.
    None when calamine cannot read it either."""
    from .reader import read_sheets

    sheets = read_sheets(data, lambda names: names)
    if sheets is None:
        return None
    wb = Workbook()
    wb.remove(wb.active)
    titles: set[str] = set()
    for name, rows in sheets:
        ws = wb.create_sheet(_sheet_title(name, titles))
        widths: dict[int, int] = {}
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(r, c)
                if isinstance(value, str):
                    _set_text(cell, value)
                elif isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
                    cell.value = int(value)
                elif isinstance(value, dt.datetime):
                    cell.value = value
                    cell.number_format = ("dd/mm/yyyy" if value.time() == dt.time()
                                          else "dd/mm/yyyy hh:mm")
                elif isinstance(value, dt.date):
                    cell.value = value
                    cell.number_format = "dd/mm/yyyy"  # day first: the Vietnamese way
                elif isinstance(value, bool | int | float | dt.time | dt.timedelta):
                    cell.value = value
                else:
                    _set_text(cell, str(value))
                if r <= 200:
                    widths[c] = max(widths.get(c, 0), len(str(cell.value)))
        for c, width in widths.items():
            ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 50)
    return wb if wb.worksheets else None


def _sheet_title(name: str, taken: set[str]) -> str:
    """`name` as an Excel sheet title: no []:*?/\\, at most 31 characters, unique."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")[:31] or "Sheet"
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def _rebuilt_note(file_name: str, fmt: str, lang: str) -> str:
    if fmt not in (".xls", ".ods"):  # an .xlsx openpyxl could not open, but calamine could
        if lang == "en":
            return (f"{file_name} could not be marked up as it is, so this copy was rebuilt "
                    "from its cell values (formatting and drop-down lists are not carried "
                    "over). The club fixes and sends back this copy, or fixes its own file.")
        return (f"Tệp gốc {file_name} không đánh dấu trực tiếp được nên bản này được dựng lại "
                "từ giá trị các ô (không giữ định dạng và danh sách chọn). Câu lạc bộ sửa và "
                "gửi lại chính tệp này, hoặc sửa tệp gốc của mình rồi gửi lại.")
    if lang == "en":
        return (f"The original {file_name} is an {fmt} file, so this marked-up copy is an .xlsx "
                "holding its cell values (formatting and drop-down lists are not carried "
                "over). The club fixes and sends back this .xlsx, or fixes its own "
                f"{fmt} file and sends that back.")
    return (f"Tệp gốc {file_name} là tệp {fmt} nên bản đánh dấu này được ghi dạng .xlsx, chỉ "
            "giữ giá trị các ô (không giữ định dạng và danh sách chọn). Câu lạc bộ sửa và gửi "
            f"lại chính tệp .xlsx này, hoặc sửa tệp {fmt} gốc của mình rồi gửi lại.")


def _restore_extension_validations(wb: Workbook, data: bytes) -> None:
    """Put back the drop-downs Excel keeps in the x14 extension, which openpyxl drops.

    Excel 2010+ stores a list validation whose source is on another sheet
    (`=DanhMuc!$A$1:$A$5`) there; the ordinary element holds the same thing for Excel
    and LibreOffice alike.
    """
    marker = _X14.encode()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = {}
            for name in zf.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = zf.read(name)
                    if marker in xml and b"dataValidation" in xml:
                        parts[name] = xml
            names = _sheet_parts(zf) if parts else {}
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    for part, xml in parts.items():
        title = names.get(part)
        if title is None or title not in wb.sheetnames:
            continue
        ws = wb[title]
        if not isinstance(ws, Worksheet):
            continue
        try:
            root = SafeET.fromstring(xml)
        except Exception:  # noqa: BLE001 - a part openpyxl could read but we cannot
            continue
        for el in root.iter(f"{{{_X14}}}dataValidation"):
            dv = _validation_from_x14(el)
            if dv is not None:
                ws.add_data_validation(dv)


def _validation_from_x14(el: Any) -> DataValidation | None:
    a = el.attrib

    def flag(name: str) -> bool:
        return a.get(name, "0").lower() in ("1", "true")

    def formula(tag: str) -> str | None:
        f = el.find(f"{{{_X14}}}{tag}/{{{_XM}}}f")
        return f.text if f is not None else None

    sqref = el.find(f"{{{_XM}}}sqref")
    if sqref is None or not (sqref.text or "").strip():
        return None
    try:
        return DataValidation(
            type=a.get("type"), operator=a.get("operator"), errorStyle=a.get("errorStyle"),
            imeMode=a.get("imeMode"), formula1=formula("formula1"), formula2=formula("formula2"),
            allowBlank=flag("allowBlank"), showDropDown=flag("showDropDown"),
            showInputMessage=flag("showInputMessage"), showErrorMessage=flag("showErrorMessage"),
            errorTitle=a.get("errorTitle"), error=a.get("error"),
            promptTitle=a.get("promptTitle"), prompt=a.get("prompt"), sqref=sqref.text.strip())
    except (TypeError, ValueError):
        return None


def _drop_previous_round(wb: Workbook) -> None:
    """Remove our listing sheet, comments and fills from a copy annotated before."""
    names = Matcher({LISTING_SHEET: True})
    for ws in list(wb.worksheets) + list(wb.chartsheets):
        if names.find(ws.title):
            wb.remove(ws)
    for ws in wb.worksheets:
        # ws._cells holds only the cells the file has; iter_rows would create every
        # cell of the used range (a whole formatted column is a million).
        for cell in list(ws._cells.values()):
            comment = cell.comment
            if comment is None or comment.author != AUTHOR:
                continue
            text = comment.text or ""
            cell.comment = None
            if _KEPT_SEPARATOR in text:
                kept = text.split(_KEPT_SEPARATOR, 1)[1]
                cell.comment = Comment(kept, "", comment.height, comment.width)
            fill = cell.fill
            if (fill is not None and fill.fill_type == "solid"
                    and isinstance(fill.fgColor.rgb, str) and fill.fgColor.rgb in _OUR_COLORS):
                cell.fill = PatternFill(fill_type=None)


# --- marking cells --------------------------------------------------------------------


class _Place:
    """Where an issue is in the opened workbook."""

    __slots__ = ("ws", "coord", "row", "col")

    def __init__(self, ws: Worksheet | None, coord: str | None, row: int, col: int):
        self.ws = ws
        self.coord = coord
        self.row = row
        self.col = col


def _locate(issue: Issue, by_name: Matcher[Worksheet]) -> _Place:
    ws = by_name.find(issue.sheet) if issue.sheet else None
    row, col, coord = issue.row or 0, 0, None
    if issue.cell:
        try:
            letters, r = coordinate_from_string(issue.cell.replace("$", "").strip().upper())
            c = column_index_from_string(letters)
        except (CellCoordinatesException, ValueError, TypeError):
            pass  # listed, not marked
        else:
            if 1 <= r <= 1_048_576 and 1 <= c <= 16_384:
                row, col, coord = r, c, f"{letters}{r}"
    return _Place(ws, coord, row, col)


def _mark_cells(located: Sequence[tuple[Issue, _Place]], lang: str) -> None:
    at: dict[tuple[int, str], list[Issue]] = defaultdict(list)
    sheets: dict[int, Worksheet] = {}
    for issue, place in located:
        if place.ws is not None and place.coord is not None:
            at[(id(place.ws), place.coord)].append(issue)
            sheets[id(place.ws)] = place.ws
    fills = {sev: PatternFill("solid", fgColor="FF" + color, bgColor="FF" + color)
             for sev, color in ((ERROR, ERROR_COLOR), ("warning", WARNING_COLOR))}
    for (ws_id, coord), found in at.items():
        ws = sheets[ws_id]
        cell = ws[coord]
        if isinstance(cell, MergedCell):  # only the top-left cell of a merge holds anything
            cell = next((ws.cell(r.min_row, r.min_col) for r in ws.merged_cells.ranges
                         if coord in r), None)
            if cell is None or isinstance(cell, MergedCell):
                continue
        found.sort(key=lambda i: not i.is_error)
        cell.fill = fills[ERROR if found[0].is_error else "warning"]
        lines = list(dict.fromkeys(f"• {_clean(_short_message(i, lang))}" for i in found))
        text = "\n".join(lines)
        old = cell.comment
        if old is not None and old.author != AUTHOR and (old.text or "").strip():
            text += _KEPT_SEPARATOR + old.text
        cell.comment = _comment(text)


def _short_message(issue: Issue, lang: str) -> str:
    """The message without its "Ô C12 (trang 'Thành viên'): " lead, which the listing's
    columns and the comment's own cell already say; the full message when they differ
    otherwise."""
    full = issue.message(lang)
    if not (issue.cell or issue.sheet):
        return full
    short = replace(issue, cell=None, sheet=None).message(lang)
    if len(short) < len(full) and short[1:] and full.endswith(short[1:]):
        return short
    return full


def _comment(text: str) -> Comment:
    lines = sum(max(1, math.ceil(len(line) / _COMMENT_CHARS_PER_LINE))
                for line in text.split("\n"))
    height = min(max(lines * _COMMENT_LINE_PX + 14, 60), 600)
    return Comment(_clean(text), AUTHOR, height=height, width=_COMMENT_WIDTH_PX)


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:_MAX_CELL_TEXT]


# --- the listing sheet ----------------------------------------------------------------


def _set_text(cell: Any, value: str | None) -> None:
    """Write club-supplied text as text: '=SUM(A1)' or '-' must never become a formula."""
    if value is None or value == "":
        return
    cell.value = _clean(str(value))
    cell.data_type = "s"
    if cell.value[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True  # Excel keeps it text when the cell is edited


def _sort_key(item: tuple[int, tuple[Issue, _Place]], order: dict[str, int]) -> tuple[Any, ...]:
    n, (issue, place) = item
    if not issue.sheet:
        return (0, 0, 0, 0, n)
    if place.ws is None:
        return (1, 0, 0, 0, n)
    return (2, order.get(place.ws.title, 0), place.row, place.col, n)


# long: one sheet laid out cell by cell (title, note, headers, rows, widths, freeze, filter)
def _write_listing(wb: Workbook, located: Sequence[tuple[Issue, _Place]],
                   order: dict[str, int], file_name: str, lang: str,
                   note: str | None = None) -> Worksheet:
    ws = wb.create_sheet(LISTING_SHEET, 0)
    ws.sheet_properties.tabColor = "FFC00000"
    errors = sum(1 for i, _ in located if i.is_error)
    warns = len(located) - errors
    if lang == "en":
        title = f"Problems to fix — {file_name}"
        how = (f"{errors} error(s), {warns} warning(s). Click a cell reference to go to it; "
               "errors are filled red, warnings yellow; hover over a marked cell for its note.")
        none = "No problems found."
    else:
        title = f"Các lỗi cần sửa — {file_name}"
        how = (f"{errors} lỗi, {warns} cảnh báo. Bấm vào ô ở cột 'Ô' để đến chỗ cần sửa; "
               "ô lỗi tô đỏ, ô cảnh báo tô vàng; rê chuột lên ô để xem ghi chú.")
        none = "Không có lỗi nào."
    _set_text(ws.cell(1, 1), title)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.row_dimensions[1].height = 21
    _set_text(ws.cell(2, 1), how)
    ws.cell(2, 1).font = Font(italic=True)
    header_row = _HEADER_ROW
    if note:  # the copy of an .xls/.ods: one more line, in bold red, above the table
        _set_text(ws.cell(3, 1), note)
        ws.cell(3, 1).font = Font(bold=True, color="FFC00000")
        ws.cell(3, 1).alignment = Alignment(vertical="top", wrap_text=True)
        ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(_WIDTHS))
        ws.row_dimensions[3].height = _ROW_PT * _wrapped_lines(note, sum(_WIDTHS) * 0.9) + 3
        header_row += 1

    headers = _HEADERS[lang]
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="FFD9E1F2", bgColor="FFD9E1F2")
    for c, (text, width) in enumerate(zip(headers, _WIDTHS, strict=True), start=1):
        cell = ws.cell(header_row, c, text)
        cell.font = bold
        cell.fill = head_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(c)].width = width

    fills = {ERROR: PatternFill("solid", fgColor="FF" + ERROR_COLOR, bgColor="FF" + ERROR_COLOR),
             "warning": PatternFill("solid", fgColor="FF" + WARNING_COLOR,
                                    bgColor="FF" + WARNING_COLOR)}
    link_font = Font(color="FF0563C1", underline="single")
    top = Alignment(vertical="top")
    wrap = Alignment(vertical="top", wrap_text=True)
    severity_words = _SEVERITY[lang]
    ordered = sorted(enumerate(located), key=lambda item: _sort_key(item, order))
    r = header_row
    for stt, (_, (issue, place)) in enumerate(ordered, start=1):
        r += 1
        sev = ERROR if issue.is_error else "warning"
        ws.cell(r, 1, stt).alignment = top
        sev_cell = ws.cell(r, 2)
        _set_text(sev_cell, severity_words[sev])
        sev_cell.fill = fills[sev]
        sheet_cell = ws.cell(r, 3)
        _set_text(sheet_cell, place.ws.title if place.ws is not None else issue.sheet)
        ref_cell = ws.cell(r, 4)
        _set_text(ref_cell, issue.cell)
        _set_text(ws.cell(r, 5), issue.column)
        _set_text(ws.cell(r, 6), issue.value)
        _set_text(ws.cell(r, 7), _short_message(issue, lang))
        lines = 1
        for c in range(1, 8):
            cell = ws.cell(r, c)
            cell.alignment = wrap if c >= 5 else top
            if c >= 5 and isinstance(cell.value, str):
                lines = max(lines, _wrapped_lines(cell.value, _WIDTHS[c - 1]))
        # Excel fits the height of wrapped rows itself, LibreOffice does not
        ws.row_dimensions[r].height = _ROW_PT * lines + 3
        if place.ws is not None:
            # a cell issue links its cell; a sheet-level one links the sheet's A1
            target, coord = (ref_cell, place.coord) if place.coord else (sheet_cell, "A1")
            location = f"{quote_sheetname(place.ws.title)}!{coord}"
            tip = f"{place.ws.title}!{coord}"
            target.hyperlink = Hyperlink(ref=target.coordinate, location=location,
                                         tooltip=tip[:255])
            target.font = link_font
    if not located:
        _set_text(ws.cell(header_row + 1, 2), none)

    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{max(r, header_row)}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    return ws


def _wrapped_lines(text: str, width: float) -> int:
    per_line = max(int(width * 1.1) - 2, 1)  # characters of an 11-point font a column holds
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _select_only(wb: Workbook, listing: Worksheet) -> None:
    """Open on the listing, with no other tab selected (several selected tabs = a group,
    and whatever the club types would go into every sheet of it)."""
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is listing
    for cs in wb.chartsheets:
        for view in getattr(cs.sheetViews, "chartsheetView", None) or []:
            view.tabSelected = False
    wb.active = listing
    for view in wb.views or []:
        view.firstSheet = 0  # the tab bar scrolled to the start, so the listing shows
