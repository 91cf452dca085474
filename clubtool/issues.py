"""Problems found in a workbook are data: `Issue` values and one catalogue of codes.

Every code has a default severity, a title, a description and a message template in
Vietnamese (and English, `--lang en` / `CLUBTOOL_LANG=en`). Messages speak to a club
secretary: what is wrong, and what to write instead. `docs/errors.md` is generated from
this catalogue (`python -m clubtool.issues > docs/errors.md`; a test keeps it in sync).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from .vnformat import grouped, short_date

ERROR = "error"
WARNING = "warning"
LANGS = ("vi", "en")


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: str
    title: tuple[str, str]  # (vi, en)
    description: tuple[str, str]
    message: tuple[str, str]  # str.format templates; see `Issue.message`


def _c(code: str, severity: str, title: tuple[str, str], description: tuple[str, str],
       message: tuple[str, str]) -> Code:
    return Code(code, severity, title, description, message)


CATALOGUE: dict[str, Code] = {c.code: c for c in (
    # --- the file itself ---
    _c("file-unreadable", ERROR, ("Không đọc được tệp", "File cannot be read"),
       ("Tệp rỗng, hỏng hoặc không phải bảng tính Excel.",
        "The file is empty, damaged or not an Excel workbook."),
       ("Không đọc được tệp này ({detail}). Hãy mở lại bằng Excel hoặc LibreOffice, "
        "lưu dưới dạng .xlsx rồi gửi lại.",
        "This file cannot be read ({detail}). Open it in Excel or LibreOffice, save it as "
        ".xlsx and send it again.")),
    _c("file-format", ERROR, ("Sai định dạng tệp", "Wrong file format"),
       ("Tệp không phải định dạng .xlsx mà công cụ đọc được.",
        "The file is not in a format the tool reads."),
       ("Tệp có định dạng {detail}, không đọc được. Hãy mở tệp và lưu dưới dạng "
        "Excel Workbook (.xlsx) rồi gửi lại.",
        "The file is in {detail} format, which cannot be read. Open it and save it as "
        "an Excel Workbook (.xlsx).")),
    _c("file-too-large", ERROR, ("Tệp quá lớn", "File too large"),
       ("Tệp (hoặc nội dung giải nén của nó) vượt giới hạn an toàn.",
        "The file, or its uncompressed content, exceeds the safety limit."),
       ("Tệp quá lớn ({detail}); một mẫu báo cáo câu lạc bộ chỉ vài trăm KB. "
        "Hãy kiểm tra lại tệp.",
        "The file is too large ({detail}); a club workbook is a few hundred KB. Check the file.")),
    _c("file-encrypted", ERROR, ("Tệp có mật khẩu", "File is password-protected"),
       ("Tệp được đặt mật khẩu khi mở nên không đọc được.",
        "The file is encrypted with a password and cannot be read."),
       ("Tệp có đặt mật khẩu. Hãy mở tệp, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc) "
        "rồi lưu và gửi lại.",
        "The file is password-protected. Open it, remove the password, save and send it again.")),
    _c("not-a-template", ERROR, ("Không phải mẫu báo cáo", "Not a clubtool template"),
       ("Tệp không có trang 'Thông tin CLB' hay 'Thông tin xã'.",
        "The workbook has neither a 'Thông tin CLB' nor a 'Thông tin xã' sheet."),
       ("Tệp này không phải mẫu báo cáo câu lạc bộ (không có trang '{club_sheet}') "
        "cũng không phải mẫu của xã (không có trang '{commune_sheet}'). "
        "Hãy điền vào mẫu do xã gửi.",
        "This is neither a club workbook (no sheet '{club_sheet}') nor a commune workbook "
        "(no sheet '{commune_sheet}'). Use the template sent by the commune.")),
    _c("template-version", ERROR, ("Phiên bản mẫu", "Template version"),
       ("Phiên bản mẫu không rõ (lỗi) hoặc bị thiếu (cảnh báo).",
        "The template version is unknown (error) or missing (warning)."),
       ("{where}phiên bản mẫu '{value}' không đúng; phiên bản hiện hành là {expected}. "
        "Hãy dùng mẫu mới nhất của xã.",
        "{where}template version '{value}' is unknown; the current one is {expected}.")),
    _c("merged-workbook", WARNING, ("Bảng tổng hợp", "Merged workbook"),
       ("Tệp là bảng tổng hợp do clubtool tạo ra, không phải báo cáo của một câu lạc bộ; bỏ qua.",
        "The file is a workbook merged by clubtool, not a club's report; skipped."),
       ("Tệp này là bảng tổng hợp do clubtool tạo ra, không phải báo cáo của một câu lạc bộ: "
        "bỏ qua.",
        "This is a workbook merged by clubtool, not a club's report: skipped.")),
    # --- structure ---
    _c("missing-sheet", ERROR, ("Thiếu trang", "Missing sheet"),
       ("Một trang bắt buộc của mẫu không có trong tệp.", "A required sheet is absent."),
       ("Thiếu trang '{sheet}'. Hãy thêm lại trang này (chép từ mẫu gốc) hoặc điền vào mẫu mới.",
        "The sheet '{sheet}' is missing. Add it back from the template.")),
    _c("missing-column", ERROR, ("Thiếu cột", "Missing column"),
       ("Một cột của mẫu không có ở dòng tiêu đề.", "A column of the template is absent."),
       ("Trang '{sheet}' thiếu cột '{column}'. Hãy thêm cột có đúng tiêu đề này ở dòng 1.",
        "Sheet '{sheet}' has no column '{column}'. Add a column with this header in row 1.")),
    _c("duplicate-column", ERROR, ("Cột bị lặp", "Duplicate column"),
       ("Hai cột có cùng tiêu đề.", "Two columns have the same header."),
       ("{where}cột '{column}' xuất hiện hai lần. Hãy xóa một cột hoặc đổi tiêu đề.",
        "{where}the column '{column}' appears twice. Delete one of them.")),
    _c("unknown-column", WARNING, ("Cột lạ", "Unknown column"),
       ("Cột không có trong mẫu; được giữ nguyên nhưng không đọc.",
        "A column not in the template; kept but not read."),
       ("{where}cột '{value}' không có trong mẫu nên sẽ không được tính. "
        "Nếu là cột của mẫu bị gõ sai tiêu đề, hãy sửa lại cho đúng.",
        "{where}the column '{value}' is not in the template and is ignored.")),
    _c("missing-field", ERROR, ("Thiếu dòng thông tin", "Missing field"),
       ("Một dòng nhãn của trang thông tin không có.", "A label row is absent."),
       ("Trang '{sheet}' thiếu dòng '{column}'. Hãy thêm dòng này: nhãn ở cột A, giá trị ở cột B.",
        "Sheet '{sheet}' has no row '{column}'. Add it: label in column A, value in column B.")),
    # --- cells ---
    _c("required", ERROR, ("Bỏ trống ô bắt buộc", "Required value missing"),
       ("Ô bắt buộc nhưng để trống.", "A required cell is empty."),
       ("{where}chưa ghi {column_lower}. {hint}",
        "{where}{column} is empty. {hint}")),
    _c("type", ERROR, ("Sai kiểu dữ liệu", "Wrong type"),
       ("Giá trị không đọc được theo kiểu của cột (ngày, số…).",
        "The value cannot be read as the column's type (date, number…)."),
       ("{where}{column_lower} phải là {expected}, đang ghi '{value}'.",
        "{where}{column} must be {expected}, found '{value}'.")),
    _c("enum", ERROR, ("Giá trị không được phép", "Value not allowed"),
       ("Giá trị không nằm trong danh sách được phép của cột.",
        "The value is not one of the column's allowed values."),
       ("{where}{column_lower} chỉ được ghi {allowed}, đang ghi '{value}'.",
        "{where}{column} may only be {allowed}, found '{value}'.")),
    _c("range", ERROR, ("Ngoài khoảng cho phép", "Out of range"),
       ("Số hoặc ngày nằm ngoài khoảng hợp lý cho phép (ví dụ số tiền quá 1.000.000.000.000 "
        "đồng, ngày trước năm 1900).",
        "A number or a date outside its plausible range (e.g. an amount above "
        "1,000,000,000,000 đồng, a date before 1900)."),
       ("{where}{column_lower} phải {bound}, đang ghi '{value}'.",
        "{where}{column} must be {bound}, found '{value}'.")),
    _c("pattern", ERROR, ("Sai dạng", "Wrong pattern"),
       ("Giá trị không đúng dạng quy định (mã CLB, số điện thoại).",
        "The value does not match the required pattern (club code, phone)."),
       ("{where}{column_lower} không đúng dạng: {expected}; đang ghi '{value}'.",
        "{where}{column} has the wrong form: {expected}; found '{value}'.")),
    _c("formula-no-value", WARNING, ("Công thức chưa có kết quả", "Formula without a value"),
       ("Ô có công thức nhưng tệp không lưu kết quả; ô được coi là trống.",
        "A formula cell saved without its result; treated as empty."),
       ("{where}ô có công thức '{value}' nhưng chưa có kết quả nên được coi là trống. "
        "Hãy ghi thẳng giá trị vào ô.",
        "{where}the formula '{value}' has no saved result and is treated as empty. "
        "Type the value instead.")),
    _c("legacy-encoding", WARNING, ("Chữ mã cũ", "Legacy encoding"),
       ("Chữ gõ bằng bảng mã cũ (TCVN3/ABC hoặc VNI-Windows).",
        "Text typed in a legacy encoding (TCVN3/ABC or VNI-Windows)."),
       ("{where}chữ được gõ bằng bảng mã {encoding}, đã đọc thành '{converted}'. "
        "Lần sau hãy gõ bằng bảng mã Unicode.",
        "{where}text in the {encoding} encoding was read as '{converted}'. "
        "Please type in Unicode next time.")),
    _c("duplicate-value", ERROR, ("Giá trị bị trùng", "Duplicate value"),
       ("Giá trị phải không trùng trong cột (tên thôn, mã CLB).",
        "The value must be unique in its column (village name, club code)."),
       ("{where}'{value}' đã có ở dòng {other_row}; {column_lower} không được trùng.",
        "{where}'{value}' already appears in row {other_row}; {column} must be unique.")),
    # --- across records ---
    _c("date-outside-year", ERROR, ("Ngày ngoài năm báo cáo", "Date outside the report year"),
       ("Ngày của một dòng không thuộc năm báo cáo.", "A row's date is not in the report year."),
       ("{where}ngày {value} không thuộc năm báo cáo {year}. Hãy sửa ngày hoặc bỏ dòng này "
        "sang báo cáo của năm khác.",
        "{where}the date {value} is not in the report year {year}.")),
    _c("founded-after-year", ERROR, ("Thành lập sau năm báo cáo", "Founded after the report year"),
       ("Ngày thành lập sau năm báo cáo.", "The founding date is after the report year."),
       ("{where}ngày thành lập {value} sau năm báo cáo {year}. Hãy kiểm tra lại ngày thành lập "
        "hoặc năm báo cáo.",
        "{where}the founding date {value} is after the report year {year}.")),
    _c("left-before-joined", ERROR, ("Ra trước khi vào", "Left before joining"),
       ("Ngày ra câu lạc bộ trước ngày vào.", "The leaving date is before the joining date."),
       ("{where}ngày ra CLB {value} trước ngày vào CLB {joined}. Hãy kiểm tra lại hai ngày này.",
        "{where}the leaving date {value} is before the joining date {joined}.")),
    _c("unknown-board-member", ERROR, ("Người tập huấn không thuộc BCN",
                                        "Trainee not on the board"),
       ("Người đi tập huấn không phải thành viên Ban chủ nhiệm ở trang Thành viên.",
        "The trainee is not a board member on the members sheet."),
       ("{where}'{value}' không có trong Ban chủ nhiệm ở trang '{members_sheet}'. Hãy viết tên "
        "giống hệt trang đó, hoặc ghi chức vụ cho người này.",
        "{where}'{value}' is not a board member on sheet '{members_sheet}'. Write the name "
        "exactly as there, or give this person a board role.")),
    _c("negative-balance", ERROR, ("Quỹ bị âm", "Negative fund balance"),
       ("Số dư của một quỹ xuống dưới 0 tại một khoản chi.",
        "A fund's running balance falls below zero."),
       ("{where}sau khoản này quỹ {fund} còn {balance} đồng (âm). Hãy kiểm tra số dư đầu năm "
        "và các khoản thu chi.",
        "{where}after this entry the {fund} fund stands at {balance} (negative).")),
    _c("unknown-village", ERROR, ("Thôn không có trong danh sách", "Unknown village"),
       ("Thôn không có trong trang Thôn của xã.", "The village is not in the commune's list."),
       ("{where}thôn '{value}' không có trong danh sách thôn của xã. Hãy chọn một trong: "
        "{allowed}.",
        "{where}the village '{value}' is not in the commune's list: {allowed}.")),
    _c("duplicate-submission", ERROR, ("Nộp trùng", "Duplicate submission"),
       ("Hai tệp khác nhau của cùng câu lạc bộ, cùng năm, lưu cùng một lúc: không biết tệp "
        "nào đúng.",
        "Two different files of the same club and year saved at the same time: which is right "
        "cannot be told."),
       ("Câu lạc bộ {club_id} năm {year} có nhiều tệp khác nhau lưu cùng lúc ({time}): "
        "{others}. Không biết tệp nào đúng nên chưa tính; hãy giữ lại một tệp đúng và bỏ các "
        "tệp kia.",
        "Club {club_id} has several different files for {year} saved at the same time "
        "({time}): {others}. Keep one.")),
    _c("duplicate-file", WARNING, ("Tệp gửi trùng", "Duplicate file"),
       ("Hai tệp của cùng câu lạc bộ, cùng năm, nội dung giống hệt nhau: chỉ tính một tệp.",
        "Two files of the same club and year with identical content: one counts."),
       ("Tệp này giống hệt tệp {used} (cùng câu lạc bộ {club_id}, năm {year}) nên không được "
        "tính thêm lần nữa; số liệu lấy từ tệp {used}.",
        "This file is identical to {used} (club {club_id}, {year}) and is not counted again; "
        "the figures come from {used}.")),
    _c("superseded-submission", WARNING, ("Đã có bản gửi sau", "Superseded by a later copy"),
       ("Câu lạc bộ gửi nhiều bản khác nhau cho cùng năm: bản lưu sau cùng được tính, bản này "
        "không được tính.",
        "The club sent several different copies for the year: the one saved last counts, "
        "not this one."),
       ("Câu lạc bộ {club_id} năm {year} có bản lưu sau hơn: tệp {used} (lưu lúc {used_time}) "
        "được tính; tệp này (lưu lúc {this_time}) không được tính. Nếu tệp này mới là bản "
        "đúng, hãy bỏ tệp kia ra khỏi thư mục.",
        "Club {club_id} ({year}) has a copy saved later: {used} (saved {used_time}) counts; "
        "this file (saved {this_time}) does not. If this one is right, remove the other.")),
    _c("wrong-commune", ERROR, ("Câu lạc bộ của xã khác", "Club of another commune"),
       ("Tệp của câu lạc bộ ghi một xã khác với xã đang tổng hợp: không được tính.",
        "The club workbook names another commune than the one being reported: not counted."),
       ("{where}câu lạc bộ ghi xã '{value}' nhưng đang tổng hợp {communes}. Tệp này không "
        "được tính cho xã. Nếu câu lạc bộ đúng là của xã, hãy sửa ô này; nếu không, hãy bỏ "
        "tệp ra khỏi thư mục.",
        "{where}the club names the commune '{value}' but the data is for {communes}. This "
        "file is not counted. Fix the cell if the club belongs here, or remove the file.")),
    _c("unknown-commune", ERROR, ("Không rõ câu lạc bộ của xã nào", "Commune unknown"),
       ("Có tệp mẫu của nhiều xã mà tệp câu lạc bộ không ghi xã và không có trong danh sách "
        "câu lạc bộ của xã nào.",
        "Several communes are present and the club names none and is in no commune's "
        "registry."),
       ("{where}tệp không ghi xã và mã CLB {club_id} không có trong danh sách câu lạc bộ của xã "
        "nào trong {communes}, nên không biết tính cho xã nào. Hãy ghi tên xã ở dòng "
        "'{column}' của trang '{sheet}' (hoặc dùng --commune để chọn một xã).",
        "{where}the file names no commune and club {club_id} is in no registry of {communes}: "
        "write the commune in row '{column}' of sheet '{sheet}' (or choose one with "
        "--commune).")),
    _c("unregistered-club", WARNING, ("Câu lạc bộ chưa có trong danh sách của xã",
                                      "Club not in the registry"),
       ("Mã CLB không có trong trang Câu lạc bộ của mẫu xã; vẫn được tính (câu lạc bộ mới "
        "thường được đăng ký muộn).",
        "The club code is not in the commune's registry; counted all the same (new clubs are "
        "often registered late)."),
       ("{where}mã CLB '{value}' chưa có trong trang '{registry_sheet}' của xã {commune}; vẫn "
        "được tính. Cán bộ xã hãy thêm câu lạc bộ vào danh sách, hoặc sửa mã cho đúng mã xã "
        "đã cấp.",
        "{where}club code '{value}' is not in sheet '{registry_sheet}' of {commune}; counted "
        "all the same. Add the club to the registry, or correct the code.")),
    _c("missing-optional-field", WARNING, ("Thiếu dòng không bắt buộc", "Optional row missing"),
       ("Một dòng nhãn không bắt buộc của trang thông tin không có; không ảnh hưởng số liệu.",
        "An optional label row is absent; the figures are not affected."),
       ("Trang '{sheet}' không có dòng '{column}' (không bắt buộc). Số liệu vẫn được tính; nếu "
        "cần, thêm dòng này: nhãn ở cột A, giá trị ở cột B.",
        "Sheet '{sheet}' has no row '{column}' (optional). The figures are not affected; add "
        "it if needed: label in column A, value in column B.")),
    _c("duplicate-member", WARNING, ("Thành viên bị ghi hai lần", "Duplicate member"),
       ("Cùng họ tên và năm sinh xuất hiện hai lần.", "Same name and birth year twice."),
       ("{where}'{value}' (sinh năm {birth_year}) đã có ở dòng {other_row}. "
        "Nếu là một người, hãy xóa một dòng.",
        "{where}'{value}' (born {birth_year}) already appears in row {other_row}.")),
    _c("chair-mismatch", WARNING, ("Chủ nhiệm không khớp", "Chair mismatch"),
       ("Tên chủ nhiệm ở trang thông tin khác người có chức vụ Chủ nhiệm.",
        "The chair named on the info sheet differs from the member whose role is chair."),
       ("{where}chủ nhiệm ghi là '{value}' nhưng ở trang '{members_sheet}' người có chức vụ "
        "Chủ nhiệm là {found}. Hãy ghi cho khớp.",
        "{where}the chair is '{value}' but on '{members_sheet}' the chair is {found}.")),
    _c("received-without-need", WARNING, ("Được hỗ trợ nhưng không ghi cần",
                                          "Support without need"),
       ("Được hỗ trợ sinh kế mà không đánh dấu cần hỗ trợ.",
        "Got livelihood support without the need flag."),
       ("{where}đã đánh dấu được hỗ trợ sinh kế nhưng chưa đánh dấu cần hỗ trợ sinh kế. "
        "Nếu người này có nhu cầu, hãy đánh dấu x ở cột '{need_column}'.",
        "{where}marked as supported but not as in need; mark '{need_column}' if so.")),
    _c("attendance-exceeds-members", WARNING, ("Số dự nhiều hơn số thành viên",
                                               "Attendance above members"),
       ("Số người tham dự lớn hơn số thành viên đang sinh hoạt.",
        "Attendance exceeds the club's active members."),
       ("{where}ghi {value} người tham dự nhưng câu lạc bộ chỉ có {members} thành viên. "
        "Hãy kiểm tra lại (nếu có khách mời, ghi vào Nội dung chính).",
        "{where}{value} attended but the club has {members} active members.")),
    _c("reached-exceeds-target", WARNING, ("Số được tuyên truyền vượt đối tượng",
                                           "Reached above target"),
       ("Số người được tuyên truyền lớn hơn số đối tượng của thôn.",
        "People reached exceed the village's target population."),
       ("{where}số người được tuyên truyền ({value}) lớn hơn số đối tượng ({target}). "
        "Chỉ tiêu chỉ tính tối đa bằng số đối tượng; hãy kiểm tra lại.",
        "{where}people reached ({value}) exceed the target ({target}).")),
    _c("too-many-issues", WARNING, ("Quá nhiều lỗi", "Too many problems"),
       ("Số lỗi vượt giới hạn; các lỗi sau không được liệt kê.",
        "The limit of problems per file was reached."),
       ("Tệp có quá nhiều lỗi; chỉ liệt kê {limit} lỗi đầu tiên. Hãy sửa các lỗi này rồi kiểm tra lại.",
        "Too many problems; only the first {limit} are listed.")),
)}


def default_lang() -> str:
    lang = os.environ.get("CLUBTOOL_LANG", "vi").strip().lower()[:2]
    return lang if lang in LANGS else "vi"


class _Params(dict[str, Any]):
    def __missing__(self, name: str) -> str:
        return ""


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem of one file, at one place."""

    code: str
    severity: str
    path: str
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None  # the value as the person sees it
    params: tuple[tuple[str, Any], ...] = ()

    def message(self, lang: str | None = None, *, where: bool = True) -> str:
        """The message in `lang`; `where=False` leaves out the "Ô C12 (trang …):" prefix."""
        lang = lang or default_lang()
        entry = CATALOGUE[self.code]
        li = LANGS.index(lang)
        params = _Params(self.params)
        template = entry.message[li]
        variant = VARIANTS.get((self.code, next((k for k in params if (self.code, k) in VARIANTS), "")))
        if variant is not None:
            template = variant[li]
        _derive(params, lang)
        params.setdefault("value", self.value or "")
        params.setdefault("sheet", self.sheet or "")
        params.setdefault("column", self.column or "")
        params.setdefault("column_lower", _lower_first(self.column or ""))
        params.setdefault("where", _where(self, lang) if where else "")
        text = template.format_map(params)
        return text[:1].upper() + text[1:]

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message(lang),
        }

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


#: Other wordings of a message, chosen when the issue carries the named parameter.
VARIANTS: dict[tuple[str, str], tuple[str, str]] = {
    ("template-version", "missing"): (
        "{where}không có phiên bản mẫu (dòng '{column}'). Hãy dùng mẫu {expected} của xã.",
        "{where}no template version (row '{column}'). Use the commune's template {expected}."),
    ("required", "conditional"): (
        "{where}khoản Thu phải ghi {column_lower}. {hint}",
        "{where}a receipt needs {column}. {hint}"),
}

_KIND_WORDS = {
    "date": ("một ngày theo kiểu ngày/tháng/năm, ví dụ 05/03/2027",
             "a date written day/month/year, e.g. 05/03/2027"),
    "integer": ("một số nguyên, ví dụ 12", "a whole number, e.g. 12"),
    "number": ("một số, ví dụ 1.500.000", "a number, e.g. 1,500,000"),
    "year": ("một năm, ví dụ 1958", "a year, e.g. 1958"),
    "flag": ("x (có) hoặc để trống (không)", "x (yes) or empty (no)"),
    "text": ("chữ", "text"),
    "phone": ("10 chữ số bắt đầu bằng 0, ví dụ 0912 345 678",
              "10 digits starting with 0, e.g. 0912 345 678"),
    "choice": ("một giá trị trong danh sách", "a value from the list"),
}
_PATTERN_WORDS = {
    "club_id": ("chữ in hoa, số và dấu gạch ngang, 2–16 ký tự, ví dụ MH-01",
                "capital letters, digits and hyphens, 2–16 characters, e.g. MH-01"),
    "phone": _KIND_WORDS["phone"],
}


def _num(value: Any, lang: str) -> str:
    """A bound or a figure as the person reads it: 1.000.000.000.000 (vi), 1,000,000,000,000
    (en); a date dd/mm/yyyy."""
    if isinstance(value, dt.date):
        return short_date(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and abs(value) >= 10000:
        return grouped(value, lang)
    return str(value)


def _derive(params: dict[str, Any], lang: str) -> None:
    """Language-dependent wording of the neutral parameters an issue carries."""
    li = LANGS.index(lang)
    kind = params.get("kind")
    choices = params.get("choices") or ()
    if choices:
        quoted = [f"'{c}'" for c in choices]
        joiner = (" hoặc ", " or ")[li]
        params.setdefault("allowed", (", ".join(quoted[:-1]) + joiner + quoted[-1])
                          if len(quoted) > 1 else quoted[0])
        if params.get("choices") and kind == "choice":
            params.setdefault("expected", params["allowed"])
    elif kind == "flag":
        params.setdefault("allowed", _KIND_WORDS["flag"][li])
    elif "allowed_list" in params:
        params.setdefault("allowed", ", ".join(params["allowed_list"]) or "—")
    pattern_of = params.get("pattern_of")
    if pattern_of in _PATTERN_WORDS:
        params.setdefault("expected", _PATTERN_WORDS[pattern_of][li])
    if kind in _KIND_WORDS:
        params.setdefault("expected", _KIND_WORDS[kind][li])
    lo, hi = params.get("minimum"), params.get("maximum")
    if lo is not None or hi is not None:
        exclusive = params.get("exclusive")
        if lo is not None and hi is not None and exclusive:  # an amount: > 0, ≤ 10^12
            bound = (f"lớn hơn {_num(lo, lang)} và không quá {_num(hi, lang)}",
                     f"greater than {_num(lo, lang)} and at most {_num(hi, lang)}")[li]
        elif lo is not None and hi is not None:
            bound = (f"từ {_num(lo, lang)} đến {_num(hi, lang)}",
                     f"between {_num(lo, lang)} and {_num(hi, lang)}")[li]
        elif lo is not None:
            bound = ((f"lớn hơn {_num(lo, lang)}" if exclusive else f"từ {_num(lo, lang)} trở lên"),
                     (f"greater than {_num(lo, lang)}" if exclusive else f"at least {_num(lo, lang)}"))[li]
        else:
            bound = (f"không quá {_num(hi, lang)}", f"at most {_num(hi, lang)}")[li]
        params.setdefault("bound", bound)
    if "hint" not in params:
        example = params.get("example")
        if choices:
            params["hint"] = (f"Hãy chọn {params['allowed']}.", f"Choose {params['allowed']}.")[li]
        elif example:
            params["hint"] = (f"Ví dụ: {example}.", f"For example: {example}.")[li]
        elif kind in ("date", "integer", "number", "year"):
            params["hint"] = (f"Hãy ghi {_KIND_WORDS[kind][0]}.", f"Write {_KIND_WORDS[kind][1]}.")[li]
    for k in ("balance", "members", "target"):
        if k in params and isinstance(params[k], int | float):
            params[k] = _num(params[k], lang)


def _lower_first(text: str) -> str:
    # "Giới tính" → "giới tính", but keep acronyms like "CLB" / "ND1".
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _where(issue: Issue, lang: str) -> str:
    if issue.cell:
        prefix = "Ô" if lang == "vi" else "Cell"
        page = "trang" if lang == "vi" else "sheet"
        return f"{prefix} {issue.cell} ({page} '{issue.sheet}'): "
    if issue.sheet:
        page = "Trang" if lang == "vi" else "Sheet"
        return f"{page} '{issue.sheet}': "
    return ""


def make(code: str, path: str, *, severity: str | None = None, sheet: str | None = None,
         cell: str | None = None, row: int | None = None, column: str | None = None,
         value: str | None = None, **params: Any) -> Issue:
    """An issue with the catalogue's severity unless another is given."""
    entry = CATALOGUE[code]  # KeyError: a code missing from the catalogue is a bug
    return Issue(code, severity or entry.severity, path, sheet, cell, row, column, value,
                 tuple(sorted(params.items())))


def errors_markdown() -> str:
    """docs/errors.md: every code, its severity, title, description and message."""
    lines = ["# Mã lỗi của clubtool / clubtool issue codes", "",
             "Tệp này được sinh từ `clubtool/issues.py` (`python -m clubtool.issues`). "
             "Đừng sửa tay.", ""]
    for c in CATALOGUE.values():
        lines += [f"## `{c.code}`", "",
                  f"- Mức độ / severity: **{c.severity}**"
                  + (" (thiếu phiên bản: warning)" if c.code == "template-version" else ""),
                  f"- {c.title[0]} — {c.description[0]}",
                  f"- *{c.title[1]}* — {c.description[1]}",
                  f"- Thông báo: `{c.message[0]}`",
                  ""]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(errors_markdown())
