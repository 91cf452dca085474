"""The report's context as data: display-ready rows and texts, one dataclass per kind.

Every field holds text as the documents print it (`81,9%`, `1.500.000`); `raw` fields keep
the same figures unformatted for spreadsheets. Renderers lay these out; none computes.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any


@dataclass(slots=True)
class Header:
    issuer_lines: list[str]  # ["ỦY BAN NHÂN DÂN", "XÃ MAI HOA"]
    number: str  # "Số: 125/BC-UBND"
    national: str
    motto: str
    place_date: str  # "Mai Hoa, ngày 05 tháng 12 năm 2027"
    kind: str  # "BÁO CÁO"
    subject: str  # trích yếu
    subject_lines: list[str]  # the trích yếu broken where a reader expects it


@dataclass(slots=True)
class Signature:
    lines: list[str]  # ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    name: str  # blank: signed by hand


@dataclass(slots=True)
class Row:
    """A labelled figure: "Nữ | 198 | 68,0%"."""

    label: str
    value: str
    share: str = ""
    raw: float | int | None = None  # the unformatted figure (spreadsheets)
    strong: bool = False  # a "Cộng" or total row


@dataclass(slots=True)
class IndicatorRow:
    no: int
    id: str
    name: str  # the plan's own words for this phase
    text: str | None  # the plan's full sentence
    unit: str  # "ratio" | "count"
    plan: str  # "80%", "1 - 2 CLB", "—"
    actual: str  # "85,3%", "2 CLB", "—"
    detail: str  # "4.112/4.823 người"
    status: str  # dat | chua_dat | dang_thuc_hien | khong_co_du_lieu | khong_co_chi_tieu
    status_text: str  # "Đạt"
    value: float | int | None
    target: float | int | None
    numerator: int | None
    denominator: int | None
    cumulative: bool = False  # the target is for the whole phase (judged at its last year)
    status_note: str = ""  # under the status: "đánh giá vào năm 2030" (dang_thuc_hien)
    progress: str = ""  # dang_thuc_hien: "đã có 1 CLB, đủ mức kế hoạch giai đoạn … (…)"
    commune_level: bool = False  # needs the commune workbook (no figure without it)
    #: Against the previous year ("+3,2 điểm %", "−1", "không đổi", "—"); "" without it.
    change: str = ""


@dataclass(slots=True)
class ChartBar:
    label: str  # "(1) Cán bộ được tập huấn"
    value: float  # percent, 0–100+
    target: float | None  # percent
    met: bool | None  # None: no target, or a phase target still in progress (see status)
    text: str  # "83,3%"
    status: str = ""  # the indicator's status: colours and legend of the chart


@dataclass(slots=True)
class ClubRow:
    """One reported club, every figure as text (raw numbers for spreadsheets in `raw`)."""

    no: int
    code: str
    name: str
    village: str
    founded: str
    members: str
    men: str
    women: str
    ages: list[str]  # by the plan's age bands
    older: str
    female_older: str
    female_older_share: str
    poor: str
    near_poor: str
    disability: str
    lonely: str
    board: str
    board_trained: str
    months: list[str]  # 12 cells: x held, – required but not held, blank not required
    months_text: str  # "11/12"
    sessions: str
    average_attendance: str
    contents: list[str]  # 8 cells (ND1…ND8)
    contents_text: str  # "7/8"
    transformation: str  # x or blank
    trainings_initial: str
    trainings_refresher: str
    outreach_sessions: str
    outreach_reached: str
    funds: list[list[str]]  # per fund: [name, opening, receipts, payments, closing]
    closing_activity: str
    closing_income: str
    receipts: str
    contribution: str
    by_source: list[str]  # per source of FUND_SOURCES (+ "không ghi nguồn" when any)
    criteria: list[str]  # x / – per criterion
    standard: str  # "Đạt" / "Chưa đạt"
    failed: list[str]  # wording of each failed criterion, with the club's figure
    #: The same figures unformatted, by field name (spreadsheets): "members", "men",
    #: "ages" (list), "funds" ([name, opening, receipts, payments, closing] per fund), …
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class FundLine:
    """One fund of one club (annex): the code is shown on the club's first line only."""

    code: str
    fund: str
    opening: str
    receipts: str
    payments: str
    closing: str
    first: bool


@dataclass(slots=True)
class AwardLine:
    """One line of the awards table (section V): a collective award, or the awards to
    people of one form and level, counted ("2 cá nhân"): reports carry no person's name."""

    no: int
    target: str  # "Tập thể" / "Cá nhân"
    name: str  # the collective's name, or "2 cá nhân"
    form: str  # "Giấy khen"
    level: str  # "cấp xã" ("" when not written)
    count: int  # awards on this line (1 for a collective)


@dataclass(slots=True)
class ListedClub:
    """A club the commune expects a report from: the club list of section I."""

    no: int
    code: str
    name: str
    village: str
    founded: str
    members: str
    state: str  # "Đã báo cáo" / "Chưa gửi báo cáo" / "Báo cáo có lỗi"
    #: `founded` as a date (spreadsheets: a real date, shown dd/mm/yyyy); not in `to_dict()`.
    founded_date: dt.date | None = None


@dataclass(slots=True)
class TallyRow:
    """How many clubs did something: "Tháng 7 | 980 | 20 | 1.000 | 98%"."""

    label: str
    yes: str  # clubs that did (met, held)
    no: str  # clubs that did not
    total: str  # clubs counted (yes + no)
    share: str  # yes / total, or no / total where the table says so
    strong: bool = False
    raw: list[int] = field(default_factory=list)  # [yes, no, total]


@dataclass(slots=True)
class ClubSummary:
    """What DOCX, HTML and Markdown show instead of per-club tables above the limit.

    Every table has a fixed number of rows, whatever the number of clubs.
    """

    limit: int  # the per-club limit that was exceeded
    clubs: int  # clubs in the report's club list (reported, missing, faulty)
    reported: int  # clubs whose figures are counted
    note: str  # where the per-club figures are (merged workbook, XLSX report)
    list_note: str  # where the list of clubs is
    states: list[Row]  # clubs by reporting state (section I, instead of the club list)
    months: list[TallyRow]  # clubs that met, by month (instead of the 12-month grid)
    contents: list[TallyRow]  # clubs that held each of the 8 contents
    training: list[Row]  # board training and outreach, totals
    criteria: list[TallyRow]  # clubs meeting / failing each criterion of the standard


@dataclass(slots=True)
class ReportContext:
    """Everything a renderer shows, display-ready. `payload` is the indicators' JSON."""

    year: int
    date: str  # dd/mm/yyyy of the report
    as_of: str  # dd/mm/yyyy
    commune: str
    province: str
    phase: str  # "Giai đoạn 2026 - 2030"
    plan_title: str
    header: Header
    intro: str
    general: list[str]  # section I paragraphs
    club_list: list[ListedClub]
    member_rows: list[Row]
    indicators: list[IndicatorRow]
    indicator_summary: str
    chart: list[ChartBar]
    chart_caption: str
    clubs: list[ClubRow]
    age_heads: list[str]  # "Dưới 60", "60 - 69", …
    content_heads: list[str]  # "ND1"…"ND8"
    content_legend: list[str]  # "ND1: Chăm sóc sức khỏe", …
    criterion_heads: list[str]
    criterion_legend: list[str]
    source_heads: list[str]
    results_text: list[str]  # section III lead paragraphs
    #: Under the clubs' outreach (table 6): what those figures are, and which figures the
    #: outreach indicator uses instead (the villages' of the commune workbook).
    outreach_note: str
    fund_rows: list[list[str]]  # per fund and "Cộng": [name, opening, receipts, payments, closing]
    fund_raw: list[list[float]]  # the same figures, unformatted (spreadsheets)
    source_rows: list[Row]
    fund_lines: list[FundLine]
    funds_text: list[str]
    awards: list[AwardLine]  # section V's table (empty: only `award_text`)
    award_text: list[str]
    shortcomings: list[str]
    direction: list[str]
    signature: Signature
    recipients: list[str]
    annex_note: str  # "(Kèm theo Báo cáo số … ngày … của …)"
    issuer_name: str  # "Ủy ban nhân dân xã Mai Hoa" (in running text)
    payload: dict[str, Any]  # the indicators' JSON (`IndicatorResult.to_dict()`), file names only
    excluded_count: int = 0
    # Above the per-club limit, `clubs`, `club_list` and `fund_lines` (what the documents
    # show) are empty and `club_summary` is set; `clubs_all` and `club_list_all` always hold
    # every club (the XLSX report's tables). Not part of `to_dict()`.
    club_summary: ClubSummary | None = None
    clubs_all: list[ClubRow] = field(default_factory=list)
    club_list_all: list[ListedClub] = field(default_factory=list)
    #: What the officer must check (an as-of date after today, a signing date before the
    #: year…): printed by the CLI, carried by the JSON report; never in the documents.
    warnings: list[str] = field(default_factory=list)
    #: The year section II compares with ("So với năm trước"); None: no such column (and
    #: neither this nor the rows' `change` in `to_dict()`).
    previous_year: int | None = None

    @property
    def detailed(self) -> bool:
        """The documents show per-club tables (at most the per-club limit of clubs)."""
        return self.club_summary is None

    def to_dict(self) -> dict[str, Any]:
        """The display values (the JSON renderer adds them beside the payload).

        What the documents show: above the per-club limit, `club_summary` instead of
        per-club rows (those stay in the payload's `clubs` and `club_figures`).
        """
        skip = {"payload", "clubs_all", "club_list_all", "warnings"}
        if self.club_summary is None:
            skip.add("club_summary")
        if self.previous_year is None:
            skip.add("previous_year")
        out = {f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.name not in skip}
        if self.previous_year is None:
            for ind in out["indicators"]:
                ind.pop("change")
        for club in out["clubs"]:
            club.pop("raw")
        for listed in out["club_list"]:
            listed.pop("founded_date")
        for row in out["member_rows"] + out["source_rows"]:
            row.pop("raw")
        return out


def _plain(value: Any) -> Any:
    """`dataclasses.asdict` of one field's value (dataclasses, lists and dicts copied)."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return copy.deepcopy(value)
