"""The blank workbooks clubs and communes fill in (docs/workbooks.md), and helpers that fill them.

Every sheet name, header, label, allowed value and help text comes from `clubtool.schema`;
this module only decides how the workbook looks and behaves in Excel, LibreOffice and WPS:
bold frozen headers, drop-downs, date and number formats, input messages, protection of the
headers (no password), and a `Hướng dẫn` sheet written for an older club secretary.

`fill_table` and `fill_labels` write records the way the template expects them (real dates,
numbers as numbers, flags as `x`, text never turned into a formula), so that tests, sample
data and the template itself agree on one layout.

Speed matters (a benchmark writes up to 20,000 workbooks): input cells are styled through
column styles and data-validation ranges, never one empty cell at a time.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import weakref
from collections.abc import Mapping, Sequence
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import _fsutil as fsutil
from .. import schema
from ..i18n import msg
from ..schema import Field, Kind, Layout, Sheet, WorkbookSchema
from ..text import Matcher, clean, key

__all__ = [
    "TemplateError",
    "club_workbook",
    "commune_workbook",
    "save_workbook",
    "villages_from",
    "fill_table",
    "fill_labels",
    "label_row",
    "normalise_club_id",
    "check_year",
    "club_filename",
    "commune_filename",
    "output_path",
    "DATE_FORMAT",
]


class TemplateError(ValueError):
    """A problem the user can fix (bad option, unreadable commune workbook); message in Vietnamese."""


# --- how cells look ------------------------------------------------------------------

DATE_FORMAT = "dd/mm/yyyy"
DATE_EXAMPLE = "05/03/2027"
#: Number format of each kind's input cells. A year column stays General: a full date typed
#: there (accepted, docs/workbooks.md#cell-values) must still show as a date, not as a serial number.
NUMBER_FORMATS: dict[Kind, str] = {
    Kind.TEXT: "@",  # text format: "=…" stays text, codes keep their leading zeros
    Kind.PHONE: "@",
    Kind.INTEGER: "0",
    Kind.NUMBER: "#,##0",
    Kind.DATE: DATE_FORMAT,
    Kind.YEAR: "General",
    Kind.FLAG: "General",
    Kind.CHOICE: "General",
}

_TITLE_SIZE = 14
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=_TITLE_SIZE)
_HINT = Font(italic=True, color="595959")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")  # light orange: must be filled in
_OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")  # light blue
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
_LABEL_ALIGN = Alignment(wrap_text=True, vertical="center")
_VALUE_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="left")
_GUIDE_ALIGN = Alignment(wrap_text=True, vertical="top")
_LOCKED = Protection(locked=True)
_UNLOCKED = Protection(locked=False)

_LINE_HEIGHT = 15.0  # points per line of 11-point text
_MAX_COLUMN = 16384  # XFD
_LIST_COLUMN = 26  # Z: first hidden column of `Hướng dẫn` holding long drop-down lists
_GUIDE_WIDTH = 75
_HINT_WIDTH = 80

# Excel's limits for data validation (longer strings make Excel "repair" the file).
_MAX_TITLE = 32
_MAX_MESSAGE = 255
_MAX_LIST_FORMULA = 255

_FIRST_DATE = to_excel(dt.date(1900, 1, 1))
_LAST_DATE = to_excel(dt.date(2099, 12, 31))


def _limit(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _help(f: Field) -> str:
    text = f.help or f.header
    if f.required:
        text += " Bắt buộc phải ghi."
    return _limit(text, _MAX_MESSAGE)


#: "ví dụ 05/03/2027." ending a help text: the example a field's own one replaces.
_HELP_EXAMPLE = re.compile(r"\bví dụ:?\s+(\S+?)(\.?)$", re.IGNORECASE)


def _hint(f: Field) -> str:
    """Column C of a label sheet: the help text with the field's example, once. A help
    that ends on a one-word example of its own ("…, ví dụ 05/03/2027.") gets the field's
    example in its place; a help already giving an example keeps it; else "Ví dụ: …"."""
    text = f.help or ""
    if not f.example or f.example in text:
        return text
    m = _HELP_EXAMPLE.search(text)
    if m is not None:
        return text[:m.start(1)] + f.example + m.group(2)
    if "ví dụ" in text.casefold():
        return text
    return f"{text} Ví dụ: {f.example}.".lstrip()


def _fill(f: Field) -> PatternFill:
    return _REQUIRED_FILL if f.required else _OPTIONAL_FILL


def _lines(text: str, width: float, size: float = 11) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide (generous).

    Excel and LibreOffice do not fit row heights to wrapped text when opening a file, so
    the template sets them; an estimate on the generous side never hides text.
    """
    per_line = max(int((width - 1) * 11 / size), 4)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _height(lines: int, size: float = 11) -> float:
    return lines * _LINE_HEIGHT * size / 11 + 3


# --- drop-down lists -----------------------------------------------------------------


class _Lists:
    """Turns a list of allowed values into a data-validation formula.

    Short lists go inline (`"Nam,Nữ"`); a list longer than Excel's 255 characters (or with a
    comma or quote in a value) is written into a hidden column of the `Hướng dẫn` sheet and
    referenced as a range: docs/workbooks.md#club-workbook fixes the set of sheets, so no extra sheet is possible.
    """

    def __init__(self, guide: Worksheet):
        self.guide = guide
        self.next_column = _LIST_COLUMN
        self.cache: dict[tuple[str, ...], str] = {}

    def formula(self, values: Sequence[str]) -> str:
        values = tuple(values)
        if values in self.cache:
            return self.cache[values]
        inline = ",".join(values)
        if len(inline) <= _MAX_LIST_FORMULA and not any("," in v or '"' in v for v in values):
            result = f'"{inline}"'
        else:
            col = self.next_column
            self.next_column += 1
            for r, value in enumerate(values, start=1):
                self.guide.cell(r, col).value = value
                self.guide.cell(r, col).data_type = "s"
            letter = get_column_letter(col)
            self.guide.column_dimensions[letter].hidden = True
            result = f"{quote_sheetname(self.guide.title)}!${letter}$1:${letter}${len(values)}"
        self.cache[values] = result
        return result


class _Validations:
    """Collects a sheet's data validations, one per distinct rule (ranges are merged)."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.rules: dict[tuple[Any, ...], DataValidation] = {}

    def _add(self, ref: str, rule: tuple[Any, ...], **kw: Any) -> None:
        dv = self.rules.get(rule)
        if dv is None:
            dv = DataValidation(allow_blank=True, **kw)
            self.rules[rule] = dv
            self.ws.add_data_validation(dv)
        dv.add(ref)

    def prompt(self, ref: str, title: str, text: str) -> None:
        """An input message only (shown when the cell is selected), no rule."""
        self._add(ref, ("prompt", title, text), showInputMessage=True,
                  promptTitle=_limit(title, _MAX_TITLE), prompt=_limit(text, _MAX_MESSAGE))

    def choice(self, ref: str, formula: str, message: str, *, strict: bool = True,
               title: str | None = None, prompt: str | None = None) -> None:
        kw: dict[str, Any] = {}
        if prompt:
            kw = {"showInputMessage": True, "promptTitle": _limit(title or "", _MAX_TITLE),
                  "prompt": _limit(prompt, _MAX_MESSAGE)}
        self._add(ref, ("list", formula, message, strict, title, prompt), type="list",
                  formula1=formula, showErrorMessage=True,
                  errorStyle="stop" if strict else "warning",
                  errorTitle="Chưa đúng", error=_limit(message, _MAX_MESSAGE), **kw)

    def date(self, ref: str, *, title: str | None = None, prompt: str | None = None) -> None:
        kw: dict[str, Any] = {}
        if prompt:
            kw = {"showInputMessage": True, "promptTitle": _limit(title or "", _MAX_TITLE),
                  "prompt": _limit(prompt, _MAX_MESSAGE)}
        # A warning, not a stop: a date the spreadsheet did not recognise (typed as text in
        # another locale) is still read by clubtool, day first.
        self._add(ref, ("date", title, prompt), type="date", operator="between",
                  formula1=str(_FIRST_DATE), formula2=str(_LAST_DATE), showErrorMessage=True,
                  errorStyle="warning", errorTitle="Ngày chưa đúng",
                  error=f"Ghi ngày theo kiểu ngày/tháng/năm, ví dụ {DATE_EXAMPLE}.", **kw)


def _flag_message() -> str:
    return f"Chỉ ghi chữ {schema.YES_MARK} (nếu có) hoặc để trống (nếu không)."


def _choice_message(choices: Sequence[str]) -> str:
    return "Bấm vào mũi tên bên phải ô để chọn: " + ", ".join(choices) + "."


def _village_message() -> str:
    return ("Thôn này không có trong danh sách thôn của xã. Bấm vào mũi tên bên phải ô để chọn; "
            "nếu đúng là thôn mới, báo cán bộ xã.")


def _rule_for(v: _Validations, lists: _Lists, f: Field, ref: str,
              villages: Sequence[str] | None, *, prompt: bool) -> bool:
    """Add the rule of `f` on `ref`; return False if the field has none."""
    title, text = (f.header, _help(f)) if prompt else (None, None)
    if f.kind is Kind.CHOICE and f.choices:
        v.choice(ref, lists.formula(f.choices), _choice_message(f.choices), title=title, prompt=text)
    elif f.kind is Kind.FLAG:
        v.choice(ref, lists.formula((schema.YES_MARK,)), _flag_message(), title=title, prompt=text)
    elif f.kind is Kind.DATE:
        v.date(ref, title=title, prompt=text)
    elif villages:
        v.choice(ref, lists.formula(villages), _village_message(), strict=False, title=title,
                 prompt=text)
    else:
        return False
    return True


# --- sheets ----------------------------------------------------------------------------


def _protect(ws: Worksheet) -> None:
    """Protect without a password; users may still format, sort, filter, insert and delete rows."""
    p = ws.protection
    p.sheet = True
    # In OOXML these flags mean "protected"; False allows the action on a protected sheet.
    p.formatColumns = False
    p.formatRows = False
    p.sort = False
    p.autoFilter = False
    p.insertRows = False
    p.deleteRows = False


def _page(ws: Worksheet, *, landscape: bool) -> None:
    """Print on A4, as wide as one page (a club may print the form and fill it by hand)."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _table_sheet(ws: Worksheet, sheet: Sheet, lists: _Lists,
                 villages: Mapping[str, Sequence[str]]) -> None:
    v = _Validations(ws)
    last_row = sheet.rows_in_template + 1
    height = 1
    for c, f in enumerate(sheet.fields, start=1):
        letter = get_column_letter(c)
        cell = ws.cell(1, c, f.header)
        cell.font = _BOLD
        cell.fill = _fill(f)
        cell.alignment = _HEADER_ALIGN
        cell.protection = _LOCKED
        height = max(height, _lines(f.header, f.width))
        # Column style: empty input cells take it (unlocked, number format) at no per-cell cost.
        dim = ws.column_dimensions[letter]
        dim.width = f.width
        dim.number_format = NUMBER_FORMATS[f.kind]
        dim.protection = _UNLOCKED
        v.prompt(f"{letter}1", f.header, _help(f))
        _rule_for(v, lists, f, f"{letter}2:{letter}{last_row}", villages.get(f.key), prompt=False)
    # Columns right of the table stay editable too (extra columns are allowed, docs/workbooks.md#sheet-layout).
    rest = ws.column_dimensions[get_column_letter(len(sheet.fields) + 1)]
    rest.min, rest.max = len(sheet.fields) + 1, _MAX_COLUMN
    rest.protection = _UNLOCKED
    ws.row_dimensions[1].height = _height(height)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    _page(ws, landscape=True)
    _protect(ws)


def _label_sheet(ws: Worksheet, sheet: Sheet, lists: _Lists,
                 villages: Mapping[str, Sequence[str]]) -> None:
    v = _Validations(ws)
    label_width = max(len(f.header) for f in sheet.fields) + 3
    value_width = max(30.0, *(f.width for f in sheet.fields))
    ws.column_dimensions["A"].width = label_width
    ws.column_dimensions["B"].width = value_width
    ws.column_dimensions["C"].width = _HINT_WIDTH
    for r, f in enumerate(sheet.fields, start=1):
        label = ws.cell(r, 1, f.header)
        label.font = _BOLD
        label.fill = _fill(f)
        label.alignment = _LABEL_ALIGN
        label.protection = _LOCKED
        value = ws.cell(r, 2)
        value.number_format = NUMBER_FORMATS[f.kind]
        value.alignment = _VALUE_ALIGN
        # The version is written by the tool and read back: the user cannot change it.
        value.protection = _LOCKED if f.key == "version" else _UNLOCKED
        hint = _hint(f)
        if hint:
            cell = ws.cell(r, 3, hint)
            cell.font = _HINT
            cell.alignment = _LABEL_ALIGN
        lines = max(_lines(f.header, label_width), _lines(hint, _HINT_WIDTH))
        if lines > 1:
            ws.row_dimensions[r].height = _height(lines)
        v.prompt(f"A{r}", f.header, _help(f))
        if not _rule_for(v, lists, f, f"B{r}", villages.get(f.key), prompt=True):
            v.prompt(f"B{r}", f.header, _help(f))
    ws.sheet_view.selection[0].activeCell = "B2"
    ws.sheet_view.selection[0].sqref = "B2"
    ws.print_area = f"A1:C{len(sheet.fields)}"
    _page(ws, landscape=True)
    _protect(ws)


def _guide_sheet(ws: Worksheet, lines: Sequence[tuple[str, str]]) -> None:
    """`lines` are (style, text): style "title", "head", "text" or "" (blank line)."""
    ws.column_dimensions["A"].width = _GUIDE_WIDTH
    ws.sheet_view.showGridLines = False
    for r, (style, text) in enumerate(lines, start=1):
        if not text:
            continue
        cell = ws.cell(r, 1, text)
        cell.data_type = "s"
        cell.alignment = _GUIDE_ALIGN
        size = _TITLE_SIZE if style == "title" else 11
        if style == "title":
            cell.font = _TITLE
        elif style == "head":
            cell.font = _BOLD
        n = _lines(text, _GUIDE_WIDTH, size)
        if n > 1 or size != 11:
            ws.row_dimensions[r].height = _height(n, size)
    ws.print_area = f"A1:A{len(lines)}"
    _page(ws, landscape=False)
    _protect(ws)


def _quoted(name: str) -> str:
    return f"“{name}”"


def _flag_examples(sheet: Sheet) -> str:
    flags = [f.header for f in sheet.fields if f.kind is Kind.FLAG][:2]
    return ", ".join(_quoted(h) for h in flags)


def _common_rules(wschema: WorkbookSchema, info: Sheet, example_table: Sheet
                  ) -> list[tuple[str, str]]:
    mark = schema.YES_MARK
    kinds = {f.kind for s in wschema.sheets for f in s.fields}
    lines = [
        ("head", "2. Cách ghi"),
        ("text", f"• Trang {_quoted(info.name)}: ghi vào cột B, bên phải từng mục. Cột A là tên "
                 "mục, không sửa. Cột C nhắc cách ghi."),
        ("text", "• Các trang danh sách: dòng 1 là tiêu đề cột, không sửa, không xóa. Ghi từ dòng 2 "
                 "trở xuống, mỗi dòng một người hoặc một lần (một buổi, một khoản). "
                 "Thiếu dòng thì cứ ghi tiếp xuống dưới."),
        ("text", "• Bấm vào một ô tiêu đề để xem hướng dẫn của cột đó. Tiêu đề tô màu cam là cột "
                 "bắt buộc phải ghi; màu xanh là cột ghi nếu có."),
        ("text", "• Ô có mũi tên nhỏ bên phải: bấm vào mũi tên rồi chọn, không cần gõ."),
        ("text", f"• Ngày: ghi theo kiểu ngày/tháng/năm, ví dụ {DATE_EXAMPLE} là ngày 5 tháng 3 "
                 "năm 2027. Ghi đủ 4 chữ số của năm."),
    ]
    if Kind.FLAG in kinds:
        lines.append(("text", f"• Cột đánh dấu (như {_flag_examples(example_table)}): ghi chữ "
                              f"{mark} nếu có, để trống nếu không."))
    if Kind.NUMBER in kinds:
        lines.append(("text", "• Số tiền: ghi bằng đồng, chỉ ghi số, ví dụ 500000 là năm trăm "
                              "nghìn đồng."))
    lines.append(("text", "• Không đổi tên các trang, không xóa trang. Muốn ghi chú thêm thì dùng "
                          "cột trống bên phải bảng."))
    return lines


def _sheet_list(wschema: WorkbookSchema) -> list[tuple[str, str]]:
    lines = [("head", "1. Tệp này gồm các trang")]
    lines += [("text", f"• {_quoted(s.name)}: {s.purpose}.") for s in wschema.sheets]
    return lines


def _club_guide(*, year: int | None, club_id: str | None, club_name: str | None,
                village: str | None) -> list[tuple[str, str]]:
    club = schema.CLUB
    info, members, meetings = club.sheet("info"), club.sheet("members"), club.sheet("meetings")
    title = "HƯỚNG DẪN ĐIỀN MẪU BÁO CÁO CÂU LẠC BỘ LIÊN THẾ HỆ TỰ GIÚP NHAU"
    if year:
        title += f" NĂM {year}"
    who = [s for s in (club_name, f"mã {club_id}" if club_id else None, village) if s]
    lines: list[tuple[str, str]] = [("title", title)]
    if who:
        lines.append(("text", "Câu lạc bộ: " + ", ".join(who) + "."))
    lines += [
        ("text", f"Phiên bản mẫu: {club.version}."),
        ("", ""),
        *_sheet_list(club),
        ("", ""),
        *_common_rules(club, info, members),
    ]
    birth = members.field("birth_year")
    if birth.example:
        lines.append(("text", f"• {birth.header}: ghi năm, ví dụ {birth.example}."))
    first, last = schema.CONTENTS[0][1].split()[0], schema.CONTENTS[-1][1].split()[0]
    lines += [
        ("", ""),
        ("head", f"3. Tám nội dung hoạt động (trang {_quoted(meetings.name)}, các cột {first} đến "
                 f"{last})"),
        ("text", f"Mỗi buổi sinh hoạt ghi một dòng, rồi đánh dấu {schema.YES_MARK} vào những nội "
                 "dung đã làm trong buổi đó. Một buổi có thể có nhiều nội dung."),
        *(("text", f"• {header}: {meaning}.") for _, header, meaning in schema.CONTENTS),
        ("", ""),
        ("head", "4. Khi chưa rõ"),
        ("text", "Hỏi cán bộ phụ trách câu lạc bộ ở xã hoặc Hội Người cao tuổi xã."),
        ("text", "Điền xong, bấm Lưu (giữ nguyên kiểu tệp .xlsx) rồi gửi tệp lại cho xã."),
    ]
    return lines


def _commune_guide(*, year: int | None, commune: str | None,
                   province: str | None) -> list[tuple[str, str]]:
    cs = schema.COMMUNE
    info, villages = cs.sheet("info"), cs.sheet("villages")
    registry, officials = cs.sheet("registry"), cs.sheet("officials")
    club_info = schema.CLUB.sheet("info")
    title = "HƯỚNG DẪN ĐIỀN MẪU THÔNG TIN XÃ"
    if year:
        title += f" NĂM {year}"
    where = ", ".join(s for s in (f"xã {commune}" if commune else None, province) if s)
    lines: list[tuple[str, str]] = [("title", title)]
    if where:
        lines.append(("text", f"Đơn vị: {where}."))
    report_labels = [f.header for f in info.fields
                     if not f.required and f.key not in ("version",)]
    lines += [
        ("text", f"Phiên bản mẫu: {cs.version}. Tệp này do cán bộ xã điền, dùng cùng với các tệp "
                 "báo cáo của câu lạc bộ để tính chỉ tiêu và lập báo cáo năm."),
        ("", ""),
        *_sheet_list(cs),
        ("", ""),
        *_common_rules(cs, info, officials),
        ("", ""),
        ("head", "3. Lưu ý"),
        ("text", f"• Trang {_quoted(villages.name)}: mỗi thôn một dòng, tên thôn không trùng. "
                 "Danh sách này dùng làm danh sách chọn thôn trong mẫu của câu lạc bộ "
                 "(lệnh: clubtool template club --villages-from <tệp này>)."),
        ("text", f"• Trang {_quoted(registry.name)}: mỗi câu lạc bộ mà xã chờ báo cáo một dòng. "
                 f"{_quoted(registry.field('club_id').header)} phải giống hệt mã ghi ở trang "
                 f"{_quoted(club_info.name)} trong tệp của câu lạc bộ."),
        ("text", "• Các mục " + ", ".join(_quoted(h) for h in report_labels)
                 + " dùng cho phần đầu và phần ký của báo cáo; để trống thì báo cáo ghi mặc định."),
        ("", ""),
        ("head", "4. Khi chưa rõ"),
        ("text", "Hỏi Hội Người cao tuổi xã hoặc cán bộ văn hóa - xã hội phụ trách kế hoạch. "
                 "Cách dùng phần mềm: gõ clubtool --help."),
    ]
    return lines


def _build(wschema: WorkbookSchema, guide_lines: list[tuple[str, str]],
           info_values: Mapping[str, Any], villages: Mapping[tuple[str, str], Sequence[str]]
           ) -> Workbook:
    wb = Workbook()
    wb.properties.creator = "clubtool"
    # dated by its year, not by the clock: the same template, the same bytes
    wb.properties.created = wb.properties.modified = dt.datetime(
        info_values.get("year") or schema.FIRST_PLAN_YEAR, 1, 1)
    first = wb.active
    assert first is not None
    sheets: dict[str, Worksheet] = {}
    for i, sheet in enumerate(wschema.sheets):
        ws = first if i == 0 else wb.create_sheet()
        ws.title = sheet.name
        sheets[sheet.key] = ws
    guide = next(s for s in wschema.sheets if s.layout is Layout.NOTES)
    lists = _Lists(sheets[guide.key])
    for sheet in wschema.sheets:
        ws = sheets[sheet.key]
        own = {fk: names for (sk, fk), names in villages.items() if sk == sheet.key}
        if sheet.layout is Layout.TABLE:
            _table_sheet(ws, sheet, lists, own)
        elif sheet.layout is Layout.LABELS:
            _label_sheet(ws, sheet, lists, own)
            fill_labels(ws, sheet, info_values)
    _guide_sheet(sheets[guide.key], guide_lines)
    wb.active = 0
    return wb


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = clean(value)
    return value or None


def club_workbook(*, year: int | None = None, club_id: str | None = None,
                  club_name: str | None = None, village: str | None = None,
                  villages: Sequence[str] = (), commune: str | None = None,
                  province: str | None = None) -> Workbook:
    """A blank club workbook (docs/workbooks.md#club-workbook), identity pre-filled where given: `commune` and
    `province` (the `Xã` and `Tỉnh` rows, see `commune_identity`) make the club's identity.

    `villages` (the commune's villages, see `villages_from`) become the drop-down of the
    club's `Thôn` and of the members' `Thôn` column.
    """
    club_id, club_name, village = _text(club_id), _text(club_name), _text(village)
    commune, province = _text(commune), _text(province)
    names = _unique(villages)
    if village and names and village not in names:
        names.append(village)
    info = schema.CLUB.sheet("info")
    values: dict[str, Any] = {"version": schema.CLUB.version, "year": year, "club_id": club_id,
                              "name": club_name, "village": village, "commune": commune,
                              "province": province}
    lists = {(info.key, "village"): names, ("members", "village"): names} if names else {}
    guide = _club_guide(year=year, club_id=club_id, club_name=club_name, village=village)
    return _build(schema.CLUB, guide, {k: v for k, v in values.items() if v is not None}, lists)


def commune_workbook(*, year: int | None = None, commune: str | None = None,
                     province: str | None = None) -> Workbook:
    """A blank commune workbook (docs/workbooks.md#commune-workbook), identity pre-filled where given."""
    commune, province = _text(commune), _text(province)
    values: dict[str, Any] = {"version": schema.COMMUNE.version, "year": year,
                              "commune": commune, "province": province}
    guide = _commune_guide(year=year, commune=commune, province=province)
    return _build(schema.COMMUNE, guide, {k: v for k, v in values.items() if v is not None}, {})


def save_workbook(wb: Workbook, path: Path | str, *, force: bool = False) -> Path:
    """Save atomically; raise `fsutil.OutputExists` if `path` exists and not `force`."""
    path = Path(path)
    data = fsutil.workbook_bytes(wb)  # the same bytes for the same template
    with fsutil.atomic_path(path, force=force) as tmp:
        tmp.write_bytes(data)
    return path


# --- filling in values -----------------------------------------------------------------


class _Styles:
    """One prepared cell style per (kind, locked) for a workbook.

    Copying a ready style is several times faster than setting number format and protection
    on every cell, which matters when sample data writes thousands of workbooks.
    """

    _cache: weakref.WeakKeyDictionary[Workbook, dict[tuple[Kind, bool], StyleArray]] = (
        weakref.WeakKeyDictionary())

    @classmethod
    def get(cls, ws: Worksheet, kind: Kind, locked: bool = False) -> StyleArray:
        styles = cls._cache.setdefault(ws.parent, {})
        style = styles.get((kind, locked))
        if style is None:
            proto = Cell(ws)
            proto.number_format = NUMBER_FORMATS[kind]
            proto.protection = _LOCKED if locked else _UNLOCKED
            style = styles[(kind, locked)] = proto._style
        return style


def _write(ws: Worksheet, row: int, column: int, f: Field, value: Any, *,
           locked: bool = False, keep_style: bool = False) -> None:
    if value is None:
        return  # never create an empty cell: it would lose the column's unlocked style
    if f.kind is Kind.FLAG and isinstance(value, bool):
        if not value:
            return
        value = schema.YES_MARK
    cell = ws.cell(row, column)
    if isinstance(value, dt.datetime | dt.date):
        cell.value = value
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # "=…", "+…", "-…", "@…" stay text, never a formula
    else:
        cell.value = value
    if not keep_style:
        cell._style = copy(_Styles.get(ws, f.kind, locked))
    elif isinstance(value, dt.datetime | dt.date):
        cell.number_format = DATE_FORMAT


def fill_table(ws: Worksheet, sheet: Sheet, rows: Sequence[Mapping[str, Any]]) -> None:
    """Write records (dicts keyed by `Field.key`) from row 2, columns in schema order.

    Dates become Excel dates shown dd/mm/yyyy, numbers stay numbers, flags `True` become
    `x` (False: empty), text is always text. Cells stay unlocked, like the template's.
    """
    columns = {f.key: (c, f) for c, f in enumerate(sheet.fields, start=1)}
    for r, record in enumerate(rows, start=2):
        for k, value in record.items():
            try:
                c, f = columns[k]
            except KeyError:
                raise KeyError(f"{sheet.name}: no field {k!r}") from None
            _write(ws, r, c, f, value)


def label_row(sheet: Sheet, field_key: str) -> int:
    """The row of a label in the template's label/value sheet (labels from row 1)."""
    for r, f in enumerate(sheet.fields, start=1):
        if f.key == field_key:
            return r
    raise KeyError(f"{sheet.name}: no field {field_key!r}")


def fill_labels(ws: Worksheet, sheet: Sheet, values: Mapping[str, Any]) -> None:
    """Write values (keyed by `Field.key`) into column B of a label/value sheet.

    Labels are in column A from row 1, in schema order (written if the cell is empty).
    A value None empties the cell (e.g. to remove a pre-filled identity).
    """
    for k, value in values.items():
        r = label_row(sheet, k)
        f = sheet.fields[r - 1]
        if ws.cell(r, 1).value is None:
            ws.cell(r, 1).value = f.header
        if value is None:
            ws.cell(r, 2).value = None
            continue
        _write(ws, r, 2, f, value, locked=k == "version", keep_style=ws.cell(r, 2).has_style)


# --- villages from the commune workbook ------------------------------------------------


def _unique(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        text = clean(str(name))
        if text and key(text) not in seen:
            seen.add(key(text))
            out.append(text)
    return out


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value)


def commune_identity(commune_path: Path | str) -> tuple[str | None, str | None]:
    """(`Tên xã`, `Tỉnh`) of a commune workbook, for the club template's `Xã` and `Tỉnh`
    rows. Raises `TemplateError` if the file is not a commune workbook."""
    from .reader import load

    loaded = load(commune_path)
    if loaded.commune is None:
        raise TemplateError(msg("template_msg.not_commune", path=commune_path,
                                sheet=_quoted(schema.COMMUNE.marker_sheet.name)))
    info = loaded.commune.info
    return info.commune, info.province


def villages_from(commune_path: Path | str) -> list[str]:
    """The village names of a commune workbook's village sheet (docs/workbooks.md#commune-workbook), in order.

    Sheet and header are matched like the reader does (case, spaces, then without
    diacritics); names are cleaned and duplicates dropped. Raises `TemplateError` (message
    in Vietnamese) if the file cannot be read or holds no village.
    """
    import python_calamine as pc

    path = Path(commune_path)
    sheet = schema.COMMUNE.sheet("villages")
    column = sheet.field("name").header
    if not path.is_file():
        raise TemplateError(msg("template_msg.not_found", path=path))
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        actual = Matcher({name: name for name in wb.sheet_names}).find(sheet.name)
        if actual is None:
            raise TemplateError(msg("template_msg.no_sheet", path=path, sheet=_quoted(sheet.name)))
        rows = wb.get_sheet_by_name(actual).to_python(skip_empty_area=False)
    except TemplateError:
        raise
    except (pc.CalamineError, OSError, ValueError) as exc:
        raise TemplateError(msg("template_msg.unreadable", path=path, error=exc)) from exc
    headers = Matcher({column: column})
    for i, row in enumerate(rows[:10]):
        for c, value in enumerate(row):
            if isinstance(value, str) and headers.find(value):
                names = _unique([_as_text(r[c]) for r in rows[i + 1:] if c < len(r)])
                if not names:
                    raise TemplateError(msg("template_msg.no_villages", path=path,
                                            sheet=_quoted(sheet.name), column=_quoted(column)))
                return names
    raise TemplateError(msg("template_msg.no_column", path=path, sheet=_quoted(sheet.name),
                            column=_quoted(column)))


# --- names and options -----------------------------------------------------------------


def normalise_club_id(club_id: str) -> str:
    """The club code upper-cased and trimmed; `TemplateError` if it breaks the pattern."""
    f = schema.CLUB.sheet("info").field("club_id")
    code = clean(club_id).upper()
    if f.pattern and not re.match(f.pattern, code):
        raise TemplateError(msg("template_msg.bad_club_id", header=f.header, value=repr(club_id),
                                example=f.example))
    return code


def check_year(year: int) -> int:
    """`year` if the plan covers it, else `TemplateError`."""
    if not schema.FIRST_PLAN_YEAR <= year <= schema.LAST_PLAN_YEAR:
        raise TemplateError(msg("template_msg.year_outside", year=year,
                                first=schema.FIRST_PLAN_YEAR, last=schema.LAST_PLAN_YEAR))
    return year


def club_filename(club_id: str | None, year: int) -> str:
    """Default file name of a club template: mau_clb_<club id or "moi">_<year>.xlsx."""
    return f"mau_clb_{club_id or 'moi'}_{year}.xlsx"


def commune_filename(year: int) -> str:
    """Default file name of a commune template: mau_xa_<year>.xlsx."""
    return f"mau_xa_{year}.xlsx"


def output_path(output: Path | str | None, default_name: str) -> Path:
    """Where to write: `output`, or `default_name` inside it if it is a folder (or none)."""
    if output is None:
        return Path(default_name)
    path = Path(output)
    if path.is_dir():
        return path / default_name
    if path.suffix.lower() != ".xlsx":
        raise TemplateError(msg("template_msg.not_xlsx", path=path))
    return path
