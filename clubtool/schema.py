"""The one description of both workbooks (docs/workbooks.md).

Everything that knows a sheet name, a header, a label, a type or an allowed value reads
it from here: the template writer, the reader, the validator, merge and the reports.
Never write one of these strings anywhere else in the code base.

Vocabulary: CLB = câu lạc bộ (club); NCT = người cao tuổi (older person);
BCN = Ban chủ nhiệm (the club's board); thôn = village; xã = commune.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

#: The club template written today. `CLB-2027.1` added the `Xã` and `Tỉnh` rows (a club
#: identity is province, commune, code); `CLB-2026.1` workbooks stay readable.
CLUB_TEMPLATE_VERSION = "CLB-2027.1"
CLUB_TEMPLATE_2026 = "CLB-2026.1"
COMMUNE_TEMPLATE_VERSION = "XA-2026.1"
#: Versions the reader understands; anything else is `template-version` (error).
KNOWN_CLUB_VERSIONS = frozenset({CLUB_TEMPLATE_2026, CLUB_TEMPLATE_VERSION})
KNOWN_COMMUNE_VERSIONS = frozenset({COMMUNE_TEMPLATE_VERSION})

FIRST_PLAN_YEAR = 2026
LAST_PLAN_YEAR = 2035

#: Sentinel for a bound that is the report year (e.g. `Năm sinh` ≤ report year).
REPORT_YEAR = "report_year"

# Plausible limits: a value past them is a slip of the keyboard (10^20 đồng, 31/12/9999),
# a `range` error at its cell, and never a figure that merge or the report must survive.
#: Money (fund amounts, opening balances), in đồng: a thousand billion, far above any club's.
MONEY_MAX = 10**12
#: People at one meeting of a club (a club has 50–70 members; a village festival, more).
ATTENDANCE_MAX = 10_000
#: People of a village (older people, outreach targets) or reached by one outreach session.
PEOPLE_MAX = 1_000_000
#: `STT` (row number) of a member.
ROW_NUMBER_MAX = 100_000
#: The earliest year of a board member's training, a recognition or an award: the clubs
#: came to Viet Nam in the 2000s.
FIRST_EVENT_YEAR = 1990
#: Every date of both workbooks (Excel serials and typed dates reach 9999); the same range
#: as the template's date drop-downs.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)


class Kind(StrEnum):
    """How a cell's value is parsed."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"  # money and other amounts: may be text like "1.500.000đ"
    DATE = "date"
    YEAR = "year"  # an integer year, or a full date whose year is used
    FLAG = "flag"  # x / có / 1 … → True; empty / không / 0 → False
    CHOICE = "choice"  # one of `choices`
    PHONE = "phone"  # text; a number keeps its leading 0


class Layout(StrEnum):
    TABLE = "table"  # header in row 1, one record a row from row 2
    LABELS = "labels"  # column A label, column B value
    NOTES = "notes"  # instructions for people, never read


@dataclass(frozen=True, slots=True)
class Field:
    """One column of a table sheet or one label of a label/value sheet."""

    key: str  # internal name (attribute of the model record)
    header: str  # the header or label, exactly as docs/workbooks.md lists it (NFC)
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    # Bounds (inclusive): numbers for numbers and years, dates for dates; str only for
    # REPORT_YEAR. Past them: a `range` error whose message states the limit.
    minimum: float | int | str | dt.date | None = None
    maximum: float | int | str | dt.date | None = None
    exclusive_minimum: bool = False  # `> minimum` instead of `≥ minimum`
    pattern: str | None = None  # regular expression, checked after upper-casing
    help: str = ""  # input message shown in the template, plain Vietnamese
    width: float = 14  # column width in the template
    example: str = ""  # shown in the instructions
    since: str | None = None  # the template version that added this label row (None: all)

    def in_version(self, version: str | None) -> bool:
        """Whether a workbook of template `version` has this row (unknown version: yes)."""
        return self.since is None or version is None or version >= self.since


@dataclass(frozen=True, slots=True)
class Sheet:
    key: str
    name: str  # the sheet name, exactly as docs/workbooks.md lists it
    layout: Layout
    fields: tuple[Field, ...] = ()
    required: bool = True  # a missing optional sheet is no problem
    purpose: str = ""  # one line for the instructions sheet
    rows_in_template: int = 300  # how many input rows get drop-downs and formats

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(f.header for f in self.fields)


@dataclass(frozen=True, slots=True)
class WorkbookSchema:
    kind: str  # "club" or "commune"
    version: str
    known_versions: frozenset[str]
    marker: str  # key of the sheet whose presence decides the workbook's kind
    sheets: tuple[Sheet, ...] = field(default_factory=tuple)

    def sheet(self, key: str) -> Sheet:
        for s in self.sheets:
            if s.key == key:
                return s
        raise KeyError(key)

    @property
    def marker_sheet(self) -> Sheet:
        return self.sheet(self.marker)

    @property
    def read_sheets(self) -> tuple[Sheet, ...]:
        return tuple(s for s in self.sheets if s.layout is not Layout.NOTES)


F = Field  # short alias for the tables below
YES_MARK = "x"  # what the template's flag drop-downs offer

# --- allowed values ------------------------------------------------------------------

GENDERS = ("Nam", "Nữ")
FEMALE = "Nữ"
BOARD_ROLES = ("Chủ nhiệm", "Phó chủ nhiệm", "Thư ký", "Thủ quỹ", "Ủy viên")
CHAIR = "Chủ nhiệm"
HARDSHIP = ("Nghèo", "Cận nghèo")
TRAINING_KINDS = ("Ban đầu", "Nhắc lại")
TRAINING_INITIAL, TRAINING_REFRESHER = TRAINING_KINDS
OUTREACH_FORMS = ("Họp thôn", "Loa truyền thanh", "Mạng xã hội", "Sự kiện", "Thăm hộ gia đình", "Khác")
FUNDS = ("Hoạt động", "Tăng thu nhập")
FUND_ACTIVITY, FUND_INCOME = FUNDS
DIRECTIONS = ("Thu", "Chi")
RECEIPT, PAYMENT = DIRECTIONS
FUND_SOURCES = ("Thành viên đóng góp", "Xã hội hóa", "Ngân sách", "Gây quỹ", "Lãi vay", "Khác")
MEMBER_CONTRIBUTION = FUND_SOURCES[0]
AWARD_TARGETS = ("Tập thể", "Cá nhân")

#: The 8 activity contents (ND1…ND8): internal code, header, what it means (for the guide).
CONTENTS: tuple[tuple[str, str, str], ...] = (
    ("suc_khoe", "ND1 Chăm sóc sức khỏe",
     "đo huyết áp, khám sức khỏe định kỳ, tập dưỡng sinh, nói chuyện về dinh dưỡng"),
    ("thu_nhap", "ND2 Tăng thu nhập",
     "cho vay vốn quay vòng, hướng dẫn chăn nuôi, trồng trọt, làm nghề"),
    ("tinh_than", "ND3 Đời sống tinh thần",
     "văn hóa, văn nghệ, thể dục thể thao, thăm hỏi ốm đau, mừng thọ"),
    ("tu_giup_nhau", "ND4 Tự giúp nhau",
     "tự giúp nhau và hỗ trợ cộng đồng: giúp công, giúp gạo, sửa nhà cho thành viên khó khăn"),
    ("hoc_tap", "ND5 Học tập suốt đời",
     "nâng cao nhận thức, kiến thức: pháp luật, phòng chống lừa đảo, dùng điện thoại thông minh"),
    ("cham_soc_tai_nha", "ND6 Chăm sóc tại nhà",
     "tình nguyện viên đến nhà chăm sóc người cao tuổi ốm yếu, neo đơn"),
    ("nguon_luc", "ND7 Vận động nguồn lực",
     "vận động con cháu, doanh nghiệp, nhà hảo tâm đóng góp quỹ, quà, hiện vật"),
    ("quyen_loi", "ND8 Quyền và lợi ích",
     "bảo vệ quyền và lợi ích của người cao tuổi: chế độ, chính sách, trợ cấp, bảo hiểm y tế"),
)
CONTENT_CODES = tuple(code for code, _, _ in CONTENTS)
#: Flags of the plan's task "chuyển đổi số, chuyển đổi xanh, khởi nghiệp, tạo việc làm".
TRANSFORMATION_CODES = ("chuyen_doi_so", "chuyen_doi_xanh", "khoi_nghiep")

_DATE_HELP = "Ghi ngày theo kiểu ngày/tháng/năm, ví dụ 05/03/2027."
_FLAG_HELP = "Đánh dấu x nếu có, để trống nếu không."

# --- club workbook -------------------------------------------------------------------

CLUB_INFO = Sheet(
    key="info",
    name="Thông tin CLB",
    layout=Layout.LABELS,
    purpose="thông tin chung của câu lạc bộ và số dư quỹ đầu năm",
    fields=(
        F("version", "Phiên bản mẫu", Kind.TEXT, required=True,
          help="Phiên bản của mẫu. Không sửa ô này."),
        F("club_id", "Mã CLB", Kind.TEXT, required=True, pattern=r"^[A-Z0-9][A-Z0-9-]{1,15}$",
          help="Mã câu lạc bộ do xã cấp, ví dụ MH-01.", example="MH-01"),
        F("name", "Tên CLB", Kind.TEXT, required=True,
          help="Tên đầy đủ của câu lạc bộ.", example="CLB liên thế hệ tự giúp nhau thôn Đông"),
        F("village", "Thôn", Kind.TEXT, required=True,
          help="Thôn nơi câu lạc bộ hoạt động (chọn trong danh sách nếu có).", example="Thôn Đông"),
        F("year", "Năm báo cáo", Kind.INTEGER, required=True,
          minimum=FIRST_PLAN_YEAR, maximum=LAST_PLAN_YEAR,
          help="Năm của số liệu, ví dụ 2027.", example="2027"),
        F("founded", "Ngày thành lập", Kind.DATE, required=True,
          minimum=DATE_MIN, maximum=DATE_MAX,
          help="Ngày câu lạc bộ được thành lập. " + _DATE_HELP, example="15/08/2019"),
        F("chair", "Chủ nhiệm", Kind.TEXT, required=True,
          help="Họ và tên chủ nhiệm câu lạc bộ, viết giống như ở trang Thành viên."),
        F("phone", "Điện thoại", Kind.PHONE, pattern=r"^0\d{9}$",
          help="Số điện thoại liên hệ: 10 chữ số, bắt đầu bằng số 0.", example="0912 345 678"),
        F("opening_activity", "Số dư đầu năm quỹ hoạt động (đồng)", Kind.NUMBER, required=True,
          minimum=0, maximum=MONEY_MAX,
          help="Tiền quỹ hoạt động còn lại ngày 01/01, tính bằng đồng.",
          example="2.500.000"),
        F("opening_income", "Số dư đầu năm quỹ tăng thu nhập (đồng)", Kind.NUMBER, required=True,
          minimum=0, maximum=MONEY_MAX,
          help="Tiền quỹ tăng thu nhập (quỹ cho vay quay vòng) còn lại ngày 01/01.",
          example="30.000.000"),
        F("recognised_year", "Năm được công nhận đạt chuẩn", Kind.INTEGER,
          minimum=FIRST_EVENT_YEAR, maximum=REPORT_YEAR,
          help="Năm câu lạc bộ được cấp trên công nhận đạt chuẩn (nếu có)."),
        F("prepared_by", "Người lập", Kind.TEXT, help="Họ và tên người điền mẫu này."),
        F("prepared_on", "Ngày lập", Kind.DATE, minimum=DATE_MIN, maximum=DATE_MAX,
          help="Ngày điền xong mẫu. " + _DATE_HELP),
        # last, so that the rows of CLB-2026.1 keep their places
        F("commune", "Xã", Kind.TEXT, since=CLUB_TEMPLATE_VERSION,
          help="Xã của câu lạc bộ (điền sẵn từ mẫu của xã), ví dụ Mai Hoa.", example="Mai Hoa"),
        F("province", "Tỉnh", Kind.TEXT, since=CLUB_TEMPLATE_VERSION,
          help="Tỉnh của câu lạc bộ (điền sẵn từ mẫu của xã), ví dụ Hà Tĩnh.", example="Hà Tĩnh"),
    ),
)

MEMBERS = Sheet(
    key="members",
    name="Thành viên",
    layout=Layout.TABLE,
    purpose="danh sách thành viên câu lạc bộ, mỗi người một dòng",
    fields=(
        F("stt", "STT", Kind.INTEGER, minimum=0, maximum=ROW_NUMBER_MAX, width=6,
          help="Số thứ tự."),
        F("name", "Họ và tên", Kind.TEXT, required=True, width=26,
          help="Họ và tên đầy đủ, có dấu.", example="Nguyễn Thị Lan"),
        F("gender", "Giới tính", Kind.CHOICE, required=True, choices=GENDERS, width=10,
          help="Chọn Nam hoặc Nữ."),
        F("birth_year", "Năm sinh", Kind.YEAR, required=True, minimum=1900, maximum=REPORT_YEAR,
          width=10, help="Năm sinh, ví dụ 1958.", example="1958"),
        F("village", "Thôn", Kind.TEXT, width=16, help="Thôn nơi thành viên sinh sống."),
        F("joined", "Ngày vào CLB", Kind.DATE, minimum=DATE_MIN, maximum=DATE_MAX, width=13,
          help="Ngày vào câu lạc bộ. " + _DATE_HELP),
        F("left", "Ngày ra CLB", Kind.DATE, minimum=DATE_MIN, maximum=DATE_MAX, width=13,
          help="Ngày ra khỏi câu lạc bộ (để trống nếu vẫn sinh hoạt). " + _DATE_HELP),
        F("role", "Chức vụ", Kind.CHOICE, choices=BOARD_ROLES, width=15,
          help="Chức vụ trong Ban chủ nhiệm; để trống nếu là thành viên thường."),
        F("initial_training_year", "Năm tập huấn ban đầu", Kind.INTEGER,
          minimum=FIRST_EVENT_YEAR, maximum=REPORT_YEAR, width=12,
          help="Với thành viên Ban chủ nhiệm: năm được tập huấn ban đầu."),
        F("hardship", "Hộ nghèo/cận nghèo", Kind.CHOICE, choices=HARDSHIP, width=13,
          help="Chọn Nghèo hoặc Cận nghèo; để trống nếu không."),
        F("disability", "Khuyết tật", Kind.FLAG, width=10, help=_FLAG_HELP),
        F("lonely", "Neo đơn", Kind.FLAG, width=9, help=_FLAG_HELP),
        F("needs_livelihood", "Cần hỗ trợ sinh kế", Kind.FLAG, width=11,
          help="Đánh dấu x nếu cần vay vốn hoặc hỗ trợ tăng thu nhập."),
        F("got_livelihood", "Được hỗ trợ sinh kế", Kind.FLAG, width=11,
          help="Đánh dấu x nếu trong năm đã được vay vốn hoặc tham gia hoạt động tăng thu nhập."),
        F("health_check", "Khám sức khỏe", Kind.FLAG, width=10,
          help="Đánh dấu x nếu trong năm được khám sức khỏe định kỳ."),
        F("volunteer", "Tình nguyện viên", Kind.FLAG, width=11,
          help="Đánh dấu x nếu là tình nguyện viên chăm sóc tại nhà."),
        F("note", "Ghi chú", Kind.TEXT, width=20, help="Ghi chú thêm (nếu có)."),
    ),
)

MEETINGS = Sheet(
    key="meetings",
    name="Sinh hoạt",
    layout=Layout.TABLE,
    purpose="các buổi sinh hoạt, hoạt động trong năm, mỗi buổi một dòng",
    fields=(
        F("date", "Ngày", Kind.DATE, required=True, minimum=DATE_MIN, maximum=DATE_MAX, width=12,
          help="Ngày sinh hoạt, trong năm báo cáo. " + _DATE_HELP),
        F("attendance", "Số người tham dự", Kind.INTEGER, required=True, minimum=1,
          maximum=ATTENDANCE_MAX, width=10,
          help="Số người đến dự buổi sinh hoạt."),
        *(F(code, header, Kind.FLAG, width=11, help=f"Đánh dấu x nếu buổi này có nội dung: {meaning}.")
          for code, header, meaning in CONTENTS),
        F("chuyen_doi_so", "Chuyển đổi số", Kind.FLAG, width=11,
          help="Đánh dấu x nếu có hướng dẫn chuyển đổi số (kể cả \"Bình dân học vụ số\")."),
        F("chuyen_doi_xanh", "Chuyển đổi xanh", Kind.FLAG, width=11,
          help="Đánh dấu x nếu có nội dung chuyển đổi xanh (phân loại rác, tiết kiệm điện…)."),
        F("khoi_nghiep", "Khởi nghiệp - việc làm", Kind.FLAG, width=11,
          help="Đánh dấu x nếu có nội dung khởi nghiệp, tạo việc làm."),
        F("summary", "Nội dung chính", Kind.TEXT, width=30, help="Tóm tắt nội dung buổi sinh hoạt."),
    ),
)

TRAININGS = Sheet(
    key="trainings",
    name="Tập huấn",
    layout=Layout.TABLE,
    purpose="các lớp tập huấn mà thành viên Ban chủ nhiệm đã dự trong năm",
    rows_in_template=100,
    fields=(
        F("date", "Ngày", Kind.DATE, required=True, minimum=DATE_MIN, maximum=DATE_MAX, width=12,
          help="Ngày tập huấn. " + _DATE_HELP),
        F("name", "Họ và tên", Kind.TEXT, required=True, width=26,
          help="Họ và tên thành viên Ban chủ nhiệm đi tập huấn, viết giống trang Thành viên."),
        F("kind", "Loại", Kind.CHOICE, required=True, choices=TRAINING_KINDS, width=12,
          help="Ban đầu (lần đầu) hoặc Nhắc lại (hằng năm)."),
        F("organiser", "Đơn vị tổ chức", Kind.TEXT, width=24, help="Ai tổ chức lớp tập huấn."),
    ),
)

OUTREACH = Sheet(
    key="outreach",
    name="Tuyên truyền",
    layout=Layout.TABLE,
    purpose="các buổi tuyên truyền về câu lạc bộ, mỗi buổi một dòng",
    rows_in_template=100,
    fields=(
        F("date", "Ngày", Kind.DATE, required=True, minimum=DATE_MIN, maximum=DATE_MAX, width=12,
          help="Ngày tuyên truyền. " + _DATE_HELP),
        F("form", "Hình thức", Kind.CHOICE, required=True, choices=OUTREACH_FORMS, width=18,
          help="Chọn hình thức tuyên truyền."),
        F("content", "Nội dung", Kind.TEXT, width=30, help="Nội dung tuyên truyền."),
        F("reached", "Số người được tiếp cận", Kind.INTEGER, required=True, minimum=0,
          maximum=PEOPLE_MAX, width=12,
          help="Số người nghe, xem hoặc được gặp."),
    ),
)

FUND = Sheet(
    key="fund",
    name="Quỹ",
    layout=Layout.TABLE,
    purpose="sổ thu chi của hai quỹ: quỹ hoạt động và quỹ tăng thu nhập",
    fields=(
        F("date", "Ngày", Kind.DATE, required=True, minimum=DATE_MIN, maximum=DATE_MAX, width=12,
          help="Ngày thu hoặc chi. " + _DATE_HELP),
        F("fund", "Quỹ", Kind.CHOICE, required=True, choices=FUNDS, width=15,
          help="Quỹ hoạt động hay quỹ tăng thu nhập."),
        F("direction", "Thu/Chi", Kind.CHOICE, required=True, choices=DIRECTIONS, width=8,
          help="Thu (tiền vào) hoặc Chi (tiền ra)."),
        F("source", "Nguồn thu", Kind.CHOICE, choices=FUND_SOURCES, width=20,
          help="Với khoản Thu: tiền từ đâu."),
        F("amount", "Số tiền (đồng)", Kind.NUMBER, required=True, minimum=0, exclusive_minimum=True,
          maximum=MONEY_MAX, width=15, help="Số tiền, tính bằng đồng, ví dụ 500.000.", example="500.000"),
        F("description", "Diễn giải", Kind.TEXT, width=30, help="Thu chi việc gì."),
    ),
)

CLUB_GUIDE = Sheet(key="guide", name="Hướng dẫn", layout=Layout.NOTES, required=False,
                   purpose="hướng dẫn điền mẫu (trang này)")

CLUB = WorkbookSchema(
    kind="club",
    version=CLUB_TEMPLATE_VERSION,
    known_versions=KNOWN_CLUB_VERSIONS,
    marker="info",
    sheets=(CLUB_GUIDE, CLUB_INFO, MEMBERS, MEETINGS, TRAININGS, OUTREACH, FUND),
)

# --- commune workbook ----------------------------------------------------------------

COMMUNE_INFO = Sheet(
    key="info",
    name="Thông tin xã",
    layout=Layout.LABELS,
    purpose="thông tin chung của xã và phần đầu, phần ký của báo cáo",
    fields=(
        F("version", "Phiên bản mẫu", Kind.TEXT, required=True,
          help="Phiên bản của mẫu. Không sửa ô này."),
        F("commune", "Tên xã", Kind.TEXT, required=True, help="Tên xã, ví dụ Mai Hoa."),
        F("province", "Tỉnh", Kind.TEXT, required=True, help="Tên tỉnh, ví dụ Hà Tĩnh."),
        F("year", "Năm báo cáo", Kind.INTEGER, required=True,
          minimum=FIRST_PLAN_YEAR, maximum=LAST_PLAN_YEAR, help="Năm của số liệu."),
        F("issuer", "Cơ quan ban hành", Kind.TEXT,
          help="Tên cơ quan ban hành báo cáo; để trống thì ghi ỦY BAN NHÂN DÂN XÃ <TÊN XÃ>."),
        F("doc_number", "Số văn bản", Kind.TEXT, help="Số của báo cáo, ví dụ 125/BC-UBND."),
        F("signing_authority", "Thẩm quyền ký", Kind.TEXT, help="Ví dụ KT. CHỦ TỊCH."),
        F("signer_title", "Chức vụ người ký", Kind.TEXT, help="Ví dụ PHÓ CHỦ TỊCH."),
        F("signer", "Người ký", Kind.TEXT, help="Họ và tên người ký báo cáo."),
        F("recipients", "Nơi nhận", Kind.TEXT, width=40,
          help="Nơi nhận báo cáo, mỗi nơi một dòng (Alt+Enter để xuống dòng)."),
    ),
)

VILLAGES = Sheet(
    key="villages",
    name="Thôn",
    layout=Layout.TABLE,
    purpose="danh sách các thôn của xã, số người cao tuổi và kết quả tuyên truyền",
    rows_in_template=100,
    fields=(
        F("name", "Tên thôn", Kind.TEXT, required=True, width=20, help="Tên thôn (không trùng)."),
        F("older_people", "Số người cao tuổi", Kind.INTEGER, minimum=0, maximum=PEOPLE_MAX,
          width=12,
          help="Số người từ 60 tuổi trở lên trong thôn."),
        F("outreach_target", "Số đối tượng tuyên truyền", Kind.INTEGER, minimum=0,
          maximum=PEOPLE_MAX, width=14,
          help="Số hội viên, người cao tuổi và người dân cần được tuyên truyền."),
        F("outreach_reached", "Số người được tuyên truyền", Kind.INTEGER, minimum=0,
          maximum=PEOPLE_MAX, width=14,
          help="Số người đã được tuyên truyền trong năm (mỗi người tính một lần)."),
    ),
)

REGISTRY = Sheet(
    key="registry",
    name="Câu lạc bộ",
    layout=Layout.TABLE,
    purpose="danh sách các câu lạc bộ xã chờ báo cáo",
    rows_in_template=100,
    fields=(
        F("club_id", "Mã CLB", Kind.TEXT, required=True, pattern=r"^[A-Z0-9][A-Z0-9-]{1,15}$",
          width=10, help="Mã câu lạc bộ (không trùng), ví dụ MH-01."),
        F("name", "Tên CLB", Kind.TEXT, width=30, help="Tên câu lạc bộ."),
        F("village", "Thôn", Kind.TEXT, width=16, help="Thôn của câu lạc bộ."),
        F("founded", "Ngày thành lập", Kind.DATE, minimum=DATE_MIN, maximum=DATE_MAX, width=13,
          help=_DATE_HELP),
        F("dissolved", "Ngày giải thể", Kind.DATE, minimum=DATE_MIN, maximum=DATE_MAX, width=13,
          help="Ngày câu lạc bộ giải thể (để trống nếu còn hoạt động)."),
    ),
)

OFFICIALS = Sheet(
    key="officials",
    name="Cán bộ",
    layout=Layout.TABLE,
    purpose="cán bộ tham gia triển khai kế hoạch",
    rows_in_template=100,
    fields=(
        F("name", "Họ và tên", Kind.TEXT, required=True, width=26, help="Họ và tên cán bộ."),
        F("position", "Chức vụ", Kind.TEXT, width=20, help="Chức vụ."),
        F("unit", "Đơn vị", Kind.TEXT, width=24, help="Cơ quan, đơn vị công tác."),
        F("trained", "Được tập huấn", Kind.FLAG, width=11,
          help="Đánh dấu x nếu đã được tập huấn về câu lạc bộ liên thế hệ tự giúp nhau."),
        F("trained_on", "Ngày tập huấn", Kind.DATE, minimum=DATE_MIN, maximum=DATE_MAX, width=13,
          help=_DATE_HELP),
    ),
)

AWARDS = Sheet(
    key="awards",
    name="Khen thưởng",
    layout=Layout.TABLE,
    required=False,
    purpose="khen thưởng tập thể, cá nhân (nếu có)",
    rows_in_template=100,
    fields=(
        F("year", "Năm", Kind.INTEGER, minimum=FIRST_EVENT_YEAR, maximum=REPORT_YEAR, width=8,
          help="Năm khen thưởng."),
        F("target", "Tập thể/Cá nhân", Kind.CHOICE, choices=AWARD_TARGETS, width=13,
          help="Khen tập thể hay cá nhân."),
        F("name", "Tên", Kind.TEXT, width=30, help="Tên tập thể hoặc cá nhân được khen."),
        F("form", "Hình thức", Kind.TEXT, width=20, help="Ví dụ Giấy khen, Bằng khen."),
        F("level", "Cấp khen", Kind.TEXT, width=14, help="Ví dụ xã, tỉnh."),
    ),
)

COMMUNE_GUIDE = Sheet(key="guide", name="Hướng dẫn", layout=Layout.NOTES, required=False,
                      purpose="hướng dẫn điền mẫu (trang này)")

COMMUNE = WorkbookSchema(
    kind="commune",
    version=COMMUNE_TEMPLATE_VERSION,
    known_versions=KNOWN_COMMUNE_VERSIONS,
    marker="info",
    sheets=(COMMUNE_GUIDE, COMMUNE_INFO, VILLAGES, REGISTRY, OFFICIALS, AWARDS),
)

#: Sheets that mark a workbook written by `clubtool merge` (never read as a club).
MERGED_MARKERS = ("CLB", "Nguồn")

SCHEMAS: tuple[WorkbookSchema, ...] = (CLUB, COMMUNE)


def resolve_bound(bound: float | int | str | dt.date | None,
                  report_year: int | None) -> float | int | dt.date | None:
    """A field's bound as a number or a date. REPORT_YEAR becomes the report year; when that
    is unknown (missing or wrong in the workbook), the plan's last year: a bound always holds,
    so that no absurd year gets through a workbook that has another error."""
    if bound == REPORT_YEAR:
        return report_year if report_year is not None else LAST_PLAN_YEAR
    return bound  # type: ignore[return-value]
