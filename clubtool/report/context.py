"""One report context: the indicator result turned into display-ready values.

`build_context()` is the only place where the report reads the indicator result. It never
recomputes a definition of the plan: every count, share and status comes from
`IndicatorResult` (its `to_dict()` payload); this module only picks, orders, labels, sums
for a "Cộng" row and formats the Vietnamese way (`81,9%`, `1.500.000`). Renderers (DOCX,
HTML, XLSX, Markdown, JSON) take the context and lay it out; none of them computes.

Reports sent upward hold figures, never members' names: nothing here reads a member's name,
and the reasons files were excluded (whose messages may quote a cell holding a name) are
reduced to counts and the catalogue's titles.

Scale: a commune has a handful of clubs, a province ~1,000, the nation ~20,000. The
documents meant to be signed (DOCX, HTML, Markdown) show per-club tables (the club list,
section III by club, the annexes) only up to `PER_CLUB_LIMIT` clubs; above it they carry
`club_summary` instead: a short note pointing to the merged workbook and the XLSX report,
and tables of counts that do not grow with the number of clubs. Lists in running text
(clubs missing, new clubs, excluded files) name at most `LIST_LIMIT` items and then
"và N … khác". The XLSX report (`clubs_all`, `club_list_all`: one row per club) and the
JSON payload keep everything.

Vocabulary: CLB = câu lạc bộ (club); NCT = người cao tuổi (older person); BCN = Ban chủ
nhiệm (a club's board); ND1…ND8 = the 8 activity contents; thôn = village; xã = commune.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import schema as S
from ..indicators.format import STATUS_WORDS, phase_progress, reaches
from . import vn

if TYPE_CHECKING:
    from ..indicators import IndicatorResult
    from ..model import Commune
    from ..validation import ValidationReport

NO_VALUE = "—"
#: Above this many clubs (listed or reported), DOCX, HTML and Markdown replace the per-club
#: tables by `ClubSummary` (`render_report(per_club_limit=…)`, `--per-club-limit`).
PER_CLUB_LIMIT = 60
#: At most this many clubs or files are named in a sentence or listed in section V.
LIST_LIMIT = 20
HELD, MISSED = "x", "–"  # grid marks: held / required but not held (blank: not required)

#: What an indicator counts, for "4.112/4.823 người" (display words only).
UNIT_WORDS = {
    "can_bo_tap_huan": "cán bộ", "tuyen_truyen": "người", "clb_thanh_lap_moi": "CLB",
    "clb_nu_nct": "CLB", "clb_dat_chuan": "CLB", "clb_du_8_noi_dung": "CLB",
    "clb_cds_xanh_khoi_nghiep": "CLB", "bcn_tap_huan": "người", "ho_tro_sinh_ke": "người",
    "thon_co_clb": "thôn", "ty_le_nop_bao_cao": "CLB",
}
#: Short labels of the chart (the table keeps the plan's own words).
CHART_LABELS = {
    "can_bo_tap_huan": "Cán bộ được tập huấn",
    "tuyen_truyen": "Người được tuyên truyền",
    "clb_nu_nct": "CLB có 50 - 60% nữ NCT",
    "clb_du_8_noi_dung": "CLB đủ 8 nội dung, hằng tháng",
    "clb_cds_xanh_khoi_nghiep": "CLB chuyển đổi số, xanh, khởi nghiệp",
    "bcn_tap_huan": "Ban chủ nhiệm được tập huấn",
    "ho_tro_sinh_ke": "Thành viên được hỗ trợ sinh kế",
    "thon_co_clb": "Thôn có câu lạc bộ",
    "ty_le_nop_bao_cao": "CLB nộp báo cáo",
}
NO_SOURCE = "Không ghi nguồn"
DEFAULT_RECIPIENTS = ["Sở Y tế", "Hội Người cao tuổi tỉnh", "Chủ tịch, các PCT UBND xã",
                      "Hội Người cao tuổi xã", "Lưu: VT, VHXH"]
SUBJECT_LINES = ("Kết quả thực hiện Kế hoạch nhân rộng câu lạc bộ",
                 "liên thế hệ tự giúp nhau năm {year}")
SUBJECT = " ".join(SUBJECT_LINES)


# --- the context -------------------------------------------------------------------------


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
class ListedClub:
    """A club the commune expects a report from: the club list of section I."""

    no: int
    code: str
    name: str
    village: str
    founded: str
    members: str
    state: str  # "Đã báo cáo" / "Chưa gửi báo cáo" / "Báo cáo có lỗi"


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
    fund_rows: list[list[str]]  # per fund and "Cộng": [name, opening, receipts, payments, closing]
    fund_raw: list[list[float]]  # the same figures, unformatted (spreadsheets)
    source_rows: list[Row]
    fund_lines: list[FundLine]
    funds_text: list[str]
    shortcomings: list[str]
    direction: list[str]
    signature: Signature
    recipients: list[str]
    annex_note: str  # "(Kèm theo Báo cáo số … ngày … của …)"
    issuer_name: str  # "Ủy ban nhân dân xã Mai Hoa" (in running text)
    payload: dict[str, Any]  # the indicators' JSON (SPEC §4 shape), names of files only
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

    @property
    def has_clubs(self) -> bool:
        return bool(self.clubs_all)

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
        out = {f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.name not in skip}
        for club in out["clubs"]:
            club.pop("raw")
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


# --- helpers -----------------------------------------------------------------------------


def _int(x: float | int | None) -> str:
    if type(x) is int:  # the common case, without vn.number's Decimal (same text)
        return vn.whole(x)
    return NO_VALUE if x is None else vn.number(x)


def _share(num: float | int | None, den: float | int | None) -> str:
    if num is None or not den:
        return ""
    return vn.percent(num / den)


def _pct(x: float | None) -> str:
    return NO_VALUE if x is None else vn.percent(x)


def _mark(flag: bool) -> str:
    return HELD if flag else ""


def age_words(label: str) -> str:
    """The figures' age band labels in words: "<60" → "Dưới 60 tuổi", "60-69" → "Từ 60
    đến 69 tuổi", ">=80" → "Từ 80 tuổi trở lên"."""
    if label.startswith("<"):
        return f"Dưới {label[1:]} tuổi"
    if label.startswith(">="):
        return f"Từ {label[2:]} tuổi trở lên"
    lo, _, hi = label.partition("-")
    return f"Từ {lo} đến {hi} tuổi"


def age_head(label: str) -> str:
    if label.startswith("<"):
        return f"Dưới {label[1:]}"
    if label.startswith(">="):
        return f"Từ {label[2:]}"
    return label.replace("-", " - ")


def _target_text(unit: str, target: dict[str, Any] | None, words: str) -> str:
    if not target:
        return NO_VALUE
    lo: float = target["min"]
    hi: float | None = target.get("shown_max")
    if unit == "ratio":
        text = vn.percent(lo)
        return f"{text} - {vn.percent(hi)}" if hi is not None else text
    unit_word = f" {words}" if words else ""
    if hi is not None:
        return f"Từ {vn.number(lo)} đến {vn.number(hi)}{unit_word}"
    return f"Ít nhất {vn.number(lo)}{unit_word}"


def _status_text(status: str) -> str:
    return STATUS_WORDS.get(status, status).capitalize()


def _content_name(header: str) -> str:
    """"ND1 Chăm sóc sức khỏe" → "Chăm sóc sức khỏe"."""
    return header.split(" ", 1)[1] if header.startswith("ND") else header


class _Files:
    """The validation's files by path (looked up once per excluded file, not scanned)."""

    def __init__(self, validation: ValidationReport | None):
        self.failed: dict[str, Any] = {}  # the first file of a path with errors
        self.first: dict[str, Any] = {}  # the first file of a path
        if validation is not None:
            for f in validation.files:
                self.first.setdefault(f.path, f)
                if f.errors:
                    self.failed.setdefault(f.path, f)

    def reason(self, path: str, reason: str) -> str:
        """Why a file was left out, without quoting any cell (a cell may hold a member's name)."""
        f = self.failed.get(path)
        if f is not None:
            from ..issues import CATALOGUE

            titles: list[str] = []
            for issue in f.issues:
                if issue.is_error:
                    code = CATALOGUE.get(issue.code)
                    title = code.title[0] if code else issue.code
                    if title not in titles:
                        titles.append(title)
            shown = ", ".join(t.lower() for t in titles[:4]) + ("…" if len(titles) > 4 else "")
            return f"{f.errors} lỗi ({shown})"
        m = re.match(r"\s*(\d+)\s+lỗi", reason or "")
        return f"{m.group(1)} lỗi" if m else "có lỗi"

    def club_id(self, path: str) -> str | None:
        f = self.first.get(path)
        return f.club_id if f is not None else None


def _more(shown: int, total: int, what: str) -> str:
    """" và 12 câu lạc bộ khác" when a list was cut, else ""."""
    return f" và {vn.number(total - shown)} {what} khác" if total > shown else ""


# --- build -------------------------------------------------------------------------------


def build_context(result: IndicatorResult, commune: Commune | None, year: int | None = None,
                  date: dt.date | None = None, *, validation: ValidationReport | None = None,
                  direction: Sequence[str] | None = None,
                  per_club_limit: int | None = None,
                  today: dt.date | None = None) -> ReportContext:
    """Turn the indicator result into display-ready values for every renderer.

    `commune` gives the document's head and signature (issuing body, number, signer,
    recipients); `date` is the report's signing date (default: see `signing_date`;
    `today` defaults to the clock); `validation`, when given,
    names the errors of excluded files (titles only); `direction` replaces the generated
    paragraphs of section VI (phương hướng). Above `per_club_limit` clubs (default
    `PER_CLUB_LIMIT`) the documents show `club_summary` instead of per-club tables.
    """
    limit = PER_CLUB_LIMIT if per_club_limit is None else per_club_limit
    if limit < 0:
        raise ValueError(f"per_club_limit phải là số không âm (nhận {limit})")
    # `to_dict()` builds fresh containers and nothing below changes a shared one (the
    # figures of each club are copied where their path is shortened): no deep copy.
    payload = result.to_dict()
    year = int(payload["year"]) if year is None else year
    if year != payload["year"]:
        raise ValueError(f"năm báo cáo {year} khác năm của số liệu {payload['year']}")
    info = commune.info if commune is not None else None
    plan = result.plan
    commune_name = (info.commune if info and info.commune else None) or payload["commune"]
    province = (info.province if info and info.province else None) or plan.province or ""
    cf = payload["commune_figures"]
    as_of = dt.date.fromisoformat(payload["as_of"])
    if today is None:
        from ..indicators.compute import clock_today

        today = clock_today()
    date, date_warnings = signing_date(year, date, as_of, today)
    warnings = [*payload.get("warnings", []), *date_warnings]
    # The indicators had a usable commune workbook (a faulty one is passed for the
    # document's head only); a stand-in result without the flag: the commune given.
    has_commune = bool(getattr(result, "has_commune", commune is not None))

    # Reports sent upward: files by name only, reasons without quoted cells.
    files = _Files(validation)
    excluded_raw = payload["excluded"]
    payload["excluded"] = [
        {"path": Path(e["path"]).name, "reason": files.reason(e["path"], e["reason"])}
        for e in excluded_raw]
    payload["not_counted"] = [{"path": Path(e["path"]).name, "reason": e["reason"]}
                              for e in payload.get("not_counted", [])]
    club_figs: dict[str, dict[str, Any]] = {
        code: {**fig, "path": Path(fig["path"]).name}
        for code, fig in payload["club_figures"].items()}
    payload["club_figures"] = club_figs

    header = Header(
        issuer_lines=vn.issuer_lines(info.issuer if info else None, commune_name),
        number=vn.doc_number(info.doc_number if info else None),
        national=vn.NATIONAL_NAME,
        motto=vn.MOTTO,
        place_date=vn.place_date(commune_name, date),
        kind="BÁO CÁO",
        subject=SUBJECT.format(year=year),
        subject_lines=[line.format(year=year) for line in SUBJECT_LINES],
    )
    issuer_text = " ".join(header.issuer_lines).lower()
    issuer_name = _title_place(issuer_text[:1].upper() + issuer_text[1:], commune_name)

    indicators = _indicator_rows(payload)
    by_id = {r.id: r for r in indicators}
    clubs = _club_rows(payload, club_figs, plan)
    excluded_codes = {c for e in excluded_raw if (c := files.club_id(e["path"]))}

    # -- section I: general situation ------------------------------------------------------
    general: list[str] = []
    cl = cf["clubs"]
    m = cf["members"]
    reported, expected = cl["reported"], cl["expected"]
    villages = cf.get("villages")
    vill = by_id.get("thon_co_clb")
    place_part = ""
    if villages and vill and vill.numerator is not None:
        place_part = (f", hoạt động tại {_int(vill.numerator)}/{_int(vill.denominator)} thôn "
                      f"({vill.actual} số thôn)")
    no_commune, no_commune_short = (("", "") if has_commune else
                                    _no_commune_text(year, indicators, commune, validation))
    if has_commune:
        general.append(
            f"Toàn xã có {_int(cl['known'])} câu lạc bộ liên thế hệ tự giúp nhau{place_part}; "
            f"{_int(expected)} câu lạc bộ có trách nhiệm báo cáo kết quả năm {year}.")
        rate = by_id.get("ty_le_nop_bao_cao")
        rate_text = f" (tỷ lệ nộp báo cáo {rate.actual})" if rate and rate.value is not None else ""
        general.append(
            f"Ủy ban nhân dân xã đã nhận báo cáo hợp lệ của {_int(reported)}/{_int(expected)} "
            f"câu lạc bộ{rate_text}.{_missing_sentence(result, payload['missing'], excluded_codes)}")
    else:
        general.append(
            f"Ủy ban nhân dân xã đã nhận báo cáo hợp lệ của {_int(reported)} câu lạc bộ.")
        general.append(no_commune)
    new_year = cl.get("new_in_year", [])
    new_phase = cl.get("new_in_phase", [])
    phase_title = payload["plan"]["phase_title"]
    since = f"từ đầu {phase_title.lower()} đến nay"
    in_phase = (f"{since} đã thành lập mới {_int(len(new_phase))} câu lạc bộ" if new_phase
                else f"{since} chưa thành lập mới câu lạc bộ nào")
    if new_year:
        general.append(f"Trong năm {year} thành lập mới {_int(len(new_year))} câu lạc bộ: "
                       f"{_club_names(result, new_year)}; {in_phase}.")
    else:
        general.append(f"Trong năm {year} không thành lập mới câu lạc bộ nào; {in_phase}.")
    total = m["total"]
    if total:
        sex = m["by_sex"]
        general.append(
            f"Các câu lạc bộ đã báo cáo có {_int(total)} thành viên, trong đó nam "
            f"{_int(sex.get('Nam', 0))} người ({_share(sex.get('Nam', 0), total)}), nữ "
            f"{_int(sex.get('Nữ', 0))} người ({_share(sex.get('Nữ', 0), total)}); người cao tuổi "
            f"{_int(m['older'])} người ({_share(m['older'], total)}), trong đó nữ người cao tuổi "
            f"{_int(m['female_older'])} người ({_share(m['female_older'], total)}); thành viên "
            f"thuộc hộ nghèo, cận nghèo {_int(sum(m['hardship'].values()))} người.")
    else:
        general.append("Chưa có số liệu thành viên (chưa có báo cáo hợp lệ của câu lạc bộ nào).")
    member_rows = _member_rows(m)
    club_list = _club_list(result, payload, clubs, excluded_codes)
    # The club list holds every reported club and every missing one: past the limit, the
    # documents show counts instead of a row per club.
    detailed = len(club_list) <= limit

    # -- section II: indicators -------------------------------------------------------------
    counted = [r for r in indicators if r.status in ("dat", "chua_dat")]
    met = [r for r in counted if r.status == "dat"]
    no_data = [r for r in indicators if r.status == "khong_co_du_lieu"]
    progressing = [r for r in indicators if r.status == "dang_thuc_hien"]
    last_year = _phase_years(payload)[1]
    summary = (f"Năm {year} ({phase_title.lower()}), trong {len(counted)} chỉ tiêu có mục tiêu "
               f"{'đánh giá trong năm ' if progressing else ''}và có số liệu, {len(met)} chỉ "
               f"tiêu đạt, {len(counted) - len(met)} chỉ tiêu chưa đạt")
    summary += (f"; {len(no_data)} chỉ tiêu chưa có số liệu." if no_data else ".")
    if progressing:
        summary += (f" Có {len(progressing)} chỉ tiêu tính cho cả {phase_title.lower()} "
                    f"đang thực hiện, sẽ được đánh giá vào năm {last_year}: "
                    + "; ".join(f"chỉ tiêu ({r.no}) {r.progress}" for r in progressing) + ".")
    summary += f" Số liệu tính đến ngày {vn.short_date(as_of)}."
    chart = [ChartBar(label=f"({r.no}) {CHART_LABELS.get(r.id, r.id)}",
                      value=float(r.value) * 100,
                      target=float(r.target) * 100 if r.target is not None else None,
                      met=(None if r.status in ("khong_co_chi_tieu", "dang_thuc_hien")
                           else r.status == "dat"),
                      text=r.actual, status=r.status)
             for r in indicators if r.unit == "ratio" and r.value is not None]

    # -- section III: results by club -------------------------------------------------------
    mt = cf["meetings"]
    results_text = []
    if clubs:
        results_text.append(
            f"Trong năm, {_int(reported)} câu lạc bộ đã báo cáo tổ chức "
            f"{_int(mt['sessions'])} buổi sinh hoạt (bình quân "
            f"{_decimal(mt['average_attendance'])} người dự mỗi buổi); "
            f"{_int(mt['clubs_monthly'])}/{_int(reported)} câu lạc bộ sinh hoạt định kỳ hằng "
            f"tháng, {_int(mt['clubs_all_contents'])}/{_int(reported)} câu lạc bộ thực hiện đủ "
            f"08 nội dung, {_int(mt['clubs_transformation'])}/{_int(reported)} câu lạc bộ có nội "
            "dung chuyển đổi số, chuyển đổi xanh, khởi nghiệp, tạo việc làm.")
        tr, out = cf["trainings"], cf["outreach"]
        results_text.append(
            f"Thành viên Ban chủ nhiệm các câu lạc bộ tham gia {_int(sum(tr.values()))} lượt tập "
            f"huấn ({_int(tr.get(S.TRAINING_INITIAL, 0))} lượt tập huấn ban đầu, "
            f"{_int(tr.get(S.TRAINING_REFRESHER, 0))} lượt tập huấn nhắc lại); "
            f"{_int(m['board_trained'])}/{_int(m['board'])} thành viên Ban chủ nhiệm được tập "
            f"huấn đủ theo yêu cầu. Các câu lạc bộ tổ chức {_int(out['sessions'])} buổi tuyên "
            f"truyền với {_int(out['reached'])} lượt người được tiếp cận; "
            f"{_int(m['health_checks'])} thành viên được khám sức khỏe định kỳ, "
            f"{_int(m['volunteers'])} thành viên là tình nguyện viên chăm sóc tại nhà.")
    else:
        results_text.append("Chưa có báo cáo hợp lệ của câu lạc bộ nào.")

    # -- section IV: funds --------------------------------------------------------------------
    funds = cf["funds"]
    fund_rows, fund_raw, source_rows, funds_text = _funds(funds)

    # -- section V: shortcomings ----------------------------------------------------------------
    club_summary = None if detailed else _summary(
        limit, payload, club_figs, plan, club_list, clubs, cf, m)
    shortcomings = _shortcomings(result, payload, indicators, clubs, excluded_codes, validation,
                                 club_summary, no_commune_short)

    # -- section VI: direction --------------------------------------------------------------------
    directions = list(direction) if direction else _direction(
        year, indicators, payload["missing"], excluded_codes, clubs, last_year)

    # -- signature, recipients -------------------------------------------------------------------
    body = header.issuer_lines[0] if header.issuer_lines else vn.PEOPLES_COMMITTEE
    sig_lines = [f"TM. {body}"]
    authority = (info.signing_authority or "").strip() if info else ""
    title = (info.signer_title or "").strip() if info else ""
    if authority:
        sig_lines.append(vn.upper(authority))
    sig_lines.append(vn.upper(title) if title else
                     ("PHÓ CHỦ TỊCH" if authority.upper().startswith("KT") else "CHỦ TỊCH"))
    signature = Signature(sig_lines, (info.signer or "").strip() if info else "")
    recipients = vn.recipient_lines(info.recipients if info else None, DEFAULT_RECIPIENTS)

    number_part = header.number.removeprefix("Số:").strip()
    annex_note = (f"(Kèm theo Báo cáo số {number_part} {vn.long_date(date)} "
                  f"của {issuer_name})")

    ages = list(m["by_age"])
    sources = _source_keys(clubs, club_figs)
    intro = (f"Căn cứ {payload['plan']['title']}; {issuer_name} báo cáo kết quả thực hiện "
             f"năm {year} như sau:")
    return ReportContext(
        year=year, date=vn.short_date(date), as_of=vn.short_date(as_of), commune=commune_name,
        province=province, phase=phase_title, plan_title=payload["plan"]["title"],
        header=header, intro=intro, general=general,
        club_list=club_list if detailed else [],
        member_rows=member_rows, indicators=indicators, indicator_summary=summary,
        chart=chart,
        chart_caption=(f"Biểu đồ: Kết quả thực hiện so với kế hoạch năm {year} "
                       "(các chỉ tiêu tính theo tỷ lệ)"),
        clubs=clubs if detailed else [], age_heads=[age_head(a) for a in ages],
        content_heads=[f"ND{i}" for i in range(1, len(S.CONTENTS) + 1)],
        content_legend=[f"ND{i}: {_content_name(h)}" for i, (_, h, _) in
                        enumerate(S.CONTENTS, start=1)],
        criterion_heads=[f"({i})" for i in range(1, len(_criteria(plan)) + 1)],
        criterion_legend=[f"({i}) {desc}" for i, (_, desc) in enumerate(_criteria(plan), start=1)],
        source_heads=[s or NO_SOURCE for s in sources],
        results_text=results_text, fund_rows=fund_rows, fund_raw=fund_raw,
        source_rows=source_rows,
        fund_lines=[FundLine(c.code, f[0], f[1], f[2], f[3], f[4], first=(i == 0))
                    for c in clubs for i, f in enumerate(c.funds)] if detailed else [],
        funds_text=funds_text, shortcomings=shortcomings, direction=directions,
        signature=signature, recipients=recipients, annex_note=annex_note,
        issuer_name=issuer_name, payload=payload, excluded_count=len(excluded_raw),
        club_summary=club_summary, clubs_all=clubs, club_list_all=club_list,
        warnings=warnings,
    )


def signing_date(year: int, date: dt.date | None, as_of: dt.date,
                 today: dt.date) -> tuple[dt.date, list[str]]:
    """The date of the place-and-date line ("Mai Hoa, ngày … tháng … năm …") and what to
    warn about: the date given; else today, or the as-of date when today is before the
    report's year (a report is never dated before its own year by default)."""
    first = dt.date(year, 1, 1)
    if date is not None:
        if date < first:
            return date, [f"Ngày ký báo cáo {vn.short_date(date)} ở trước năm báo cáo {year}: "
                          f"báo cáo năm {year} sẽ ghi “{vn.long_date(date)}”; hãy kiểm tra lại "
                          "ngày ký (--date)."]
        return date, []
    if today >= first:
        return today, []
    return as_of, [f"Hôm nay {vn.short_date(today)} chưa đến năm báo cáo {year} nên ngày ký báo "
                   f"cáo được ghi là {vn.short_date(as_of)} (ngày tính số liệu), không phải hôm "
                   "nay; muốn ghi ngày khác, dùng --date."]


def _phase_years(payload: dict[str, Any]) -> tuple[int, int]:
    """(first, last) year of the phase: "2026-2030" → (2026, 2030)."""
    first, _, last = str(payload["phase"]).partition("-")
    return int(first), int(last or first)


def _no_commune_text(year: int, indicators: list[IndicatorRow], commune: Commune | None,
                     validation: ValidationReport | None) -> tuple[str, str]:
    """Why the commune-level indicators have no figure, naming them, and what to do: the
    paragraph of section I and the shorter line of section V."""
    from ..indicators.registry import BY_ID

    rows = [r for r in indicators if r.commune_level]
    names = "; ".join(f"({r.no}) {BY_ID[r.id].name if r.id in BY_ID else r.name}" for r in rows)
    lost = (f"nên chưa tính được các chỉ tiêu cấp xã: {names}; cũng chưa xác định được câu lạc "
            "bộ nào chưa gửi báo cáo")
    short = f"chưa đánh giá được {len(rows)} chỉ tiêu cấp xã: {names}"
    bad = validation.commune_result if validation is not None else None
    if (bad is not None and bad.errors) or commune is not None:
        # Faulty: left out of the figures (passed here for the document's head only).
        name = f" {Path(bad.path).name}" if bad is not None and bad.errors else ""
        what = f"Tệp thông tin của xã{name} (trang “Thông tin xã”) có lỗi nên bị loại"
        fix = ("Cần sửa các lỗi của tệp này (lệnh clubtool validate chỉ rõ từng ô) rồi lập "
               "lại báo cáo.")
        return (f"{what}, không dùng để tính số liệu, {lost}. {fix}",
                f"{what}, vì vậy {short}. {fix}")
    what = f"Chưa có tệp thông tin của xã năm {year} (tệp Excel có trang “Thông tin xã”)"
    fix = ("Cần đặt tệp thông tin của xã vào thư mục dữ liệu (hoặc chỉ rõ tệp bằng tùy chọn "
           "--commune) rồi lập lại báo cáo.")
    return (f"{what.removesuffix(')')}, với danh sách thôn, câu lạc bộ và cán bộ của xã) {lost}. "
            f"{fix}", f"{what} nên {short}. {fix}")


def _title_place(text: str, place: str) -> str:
    """Restore the capitals of the place name in "Ủy ban nhân dân xã mai hoa"."""
    return re.sub(re.escape(place), place, text, flags=re.IGNORECASE)


def _decimal(x: float | None) -> str:
    return NO_VALUE if x is None else vn.number(x, 1)


def _criteria(plan: Any) -> list[tuple[str, str]]:
    from ..indicators import CRITERIA

    return [(c.id, c.describe(plan.standard)) for c in CRITERIA if c.applies(plan.standard)]


def _indicator_rows(payload: dict[str, Any]) -> list[IndicatorRow]:
    units = payload["plan"]["indicators"]
    first, last = _phase_years(payload)
    rows = []
    for no, ind in enumerate(payload["indicators"], start=1):
        meta = units.get(ind["id"], {})
        unit = meta.get("unit", "count" if ind["denominator"] is None else "ratio")
        words = UNIT_WORDS.get(ind["id"], "")
        value = ind["value"]
        if value is None:
            actual, detail = NO_VALUE, ""
        elif unit == "ratio":
            actual = vn.percent(value)
            detail = f"{_int(ind['numerator'])}/{_int(ind['denominator'])} {words}".strip()
        else:
            actual, detail = f"{vn.number(value)} {words}".strip(), ""
        target = ind["target"]
        cumulative = bool(meta.get("cumulative")) and bool(target)
        plan_text = _target_text(unit, target, words)
        note = progress = ""
        if ind["status"] == "dang_thuc_hien" and target:
            note = (f"{'đã đủ mức; ' if reaches(value, target['min']) else ''}"
                    f"đánh giá năm {last}")
            progress = phase_progress(value, unit, target["min"], target.get("shown_max"),
                                      first, last, words)
        rows.append(IndicatorRow(
            no=no, id=ind["id"], name=ind["name"], text=meta.get("text"), unit=unit,
            plan=plan_text + (" (cả giai đoạn)" if cumulative else ""), actual=actual,
            detail=detail, status=ind["status"], status_text=_status_text(ind["status"]),
            value=value, target=target["min"] if target else None, numerator=ind["numerator"],
            denominator=ind["denominator"], cumulative=cumulative, status_note=note,
            progress=progress, commune_level=bool(meta.get("commune_level"))))
    return rows


def _club_rows(payload: dict[str, Any], figs: dict[str, dict[str, Any]], plan: Any) -> list[ClubRow]:
    criteria = _criteria(plan)
    sources = _source_keys([], figs)
    rows = []
    for no, club in enumerate(payload["clubs"], start=1):
        f = figs[club["club_id"]]
        mem = f["members"]
        total = mem["total"]
        required, met = set(f["months_required"]), set(f["months_met"])
        months = [HELD if mo in met else (MISSED if mo in required else "")
                  for mo in range(1, 13)]
        held = set(f["contents_held"])
        funds = [[fund, vn.money(v["opening"]), vn.money(v["receipts"]), vn.money(v["payments"]),
                  vn.money(v["closing"])] for fund, v in f["funds"].items()]
        by_src = f["receipts_by_source"]
        crit = f["criteria"]
        failed = [f"{desc}{_criterion_detail(cid, f)}" for cid, desc in criteria
                  if crit.get(cid) is False]
        rows.append(ClubRow(
            no=no, code=club["club_id"], name=club["name"] or "", village=club["village"] or "",
            founded=vn.short_date(f["founded"]), members=_int(total),
            men=_int(mem["by_sex"].get("Nam", 0)), women=_int(mem["by_sex"].get("Nữ", 0)),
            ages=[_int(v) for v in mem["by_age"].values()], older=_int(mem["older"]),
            female_older=_int(mem["female_older"]),
            female_older_share=_pct(f["shares"]["female_older"]),
            poor=_int(mem["hardship"].get("Nghèo", 0)),
            near_poor=_int(mem["hardship"].get("Cận nghèo", 0)),
            disability=_int(mem["disability"]), lonely=_int(mem["lonely"]),
            board=_int(mem["board"]), board_trained=_int(mem["board_trained"]),
            months=months, months_text=f"{len(met & required)}/{len(required)}",
            sessions=_int(f["meetings"]["sessions"]),
            average_attendance=_decimal(f["meetings"]["average_attendance"]),
            contents=[_mark(c in held) for c in S.CONTENT_CODES],
            contents_text=f"{len(held)}/{len(S.CONTENT_CODES)}",
            transformation=_mark(f["transformation"]),
            trainings_initial=_int(f["trainings"].get(S.TRAINING_INITIAL, 0)),
            trainings_refresher=_int(f["trainings"].get(S.TRAINING_REFRESHER, 0)),
            outreach_sessions=_int(f["outreach"]["sessions"]),
            outreach_reached=_int(f["outreach"]["reached"]),
            funds=funds,
            closing_activity=vn.money(f["funds"][S.FUND_ACTIVITY]["closing"]),
            closing_income=vn.money(f["funds"][S.FUND_INCOME]["closing"]),
            receipts=vn.money(sum(v["receipts"] for v in f["funds"].values())),
            contribution=vn.money(by_src.get(S.MEMBER_CONTRIBUTION, 0)),
            by_source=[vn.money(by_src.get(s, 0)) for s in sources],
            criteria=[HELD if crit.get(cid) else MISSED for cid, _ in criteria],
            standard="Đạt" if club["dat_chuan"] else "Chưa đạt",
            failed=failed,
            raw={"members": total, "sessions": f["meetings"]["sessions"],
                 "months_met": sorted(met), "months_required": sorted(required),
                 "female_older_share": f["shares"]["female_older"], "funds": f["funds"],
                 "receipts_by_source": by_src, "dat_chuan": club["dat_chuan"],
                 "criteria": crit, "by_age": mem["by_age"], "members_detail": mem,
                 "outreach": f["outreach"], "trainings": f["trainings"],
                 "average_attendance": f["meetings"]["average_attendance"],
                 "contents_held": f["contents_held"], "transformation": f["transformation"]},
        ))
    return rows


def _source_keys(clubs: Sequence[ClubRow], figs: dict[str, dict[str, Any]]) -> list[str]:
    """The fund sources in the schema's order, plus "" (no source written) when any."""
    blank = any("" in f["receipts_by_source"] for f in figs.values())
    return [*S.FUND_SOURCES, *([""] if blank else [])]


def _criterion_detail(cid: str, f: dict[str, Any]) -> str:
    """The club's own figure beside a failed criterion: "(45,1%)", "(thiếu tháng 10)"."""
    mem, shares = f["members"], f["shares"]
    if cid == "so_thanh_vien":
        return f" (có {_int(mem['total'])} thành viên)"
    if cid in ("nct", "nu", "nu_nct"):
        key = {"nct": "older", "nu": "women", "nu_nct": "female_older"}[cid]
        return f" (đạt {_pct(shares[key])})" if shares[key] is not None else ""
    if cid == "sinh_hoat_hang_thang":
        missed = [m for m in f["months_required"] if m not in set(f["months_met"])]
        return f" (không sinh hoạt tháng {', '.join(map(str, missed))})" if missed else ""
    if cid == "du_8_noi_dung":
        names = {code: f"ND{i} {_content_name(h)}" for i, (code, h, _) in
                 enumerate(S.CONTENTS, start=1)}
        missing = [names[c] for c in f["contents_missing"]]
        return f" (chưa thực hiện {', '.join(missing)})" if missing else ""
    if cid == "bcn_tap_huan":
        if not mem["board"]:
            return " (chưa có Ban chủ nhiệm)"
        return f" ({mem['board_trained']}/{mem['board']} thành viên Ban chủ nhiệm)"
    if cid == "quy":
        parts = [f"{_fund_word(name)} {vn.money(v['closing'])} đồng"
                 for name, v in f["funds"].items()]
        return f" (số dư cuối kỳ: {'; '.join(parts)})"
    return ""


def _fund_word(name: str) -> str:
    return f"quỹ {name.lower()}"


def _member_rows(m: dict[str, Any]) -> list[Row]:
    total = m["total"]

    def row(label: str, n: int, strong: bool = False) -> Row:
        return Row(label, _int(n), _share(n, total) if total else "", n, strong)

    rows = [row("Tổng số thành viên", total, True),
            row("Nam", m["by_sex"].get("Nam", 0)), row("Nữ", m["by_sex"].get("Nữ", 0))]
    rows += [row(age_words(label), n) for label, n in m["by_age"].items()]
    rows += [row("Người cao tuổi", m["older"]), row("Trong đó: nữ người cao tuổi", m["female_older"]),
             row("Thuộc hộ nghèo", m["hardship"].get("Nghèo", 0)),
             row("Thuộc hộ cận nghèo", m["hardship"].get("Cận nghèo", 0)),
             row("Người khuyết tật", m["disability"]), row("Người neo đơn", m["lonely"]),
             row(S.MEMBERS.field("needs_livelihood").header, m["needs_livelihood"]),
             row("Trong đó: được hỗ trợ sinh kế", m["got_livelihood"]),
             row("Được khám sức khỏe định kỳ", m["health_checks"]),
             row("Tình nguyện viên chăm sóc tại nhà", m["volunteers"]),
             row("Thành viên Ban chủ nhiệm", m["board"])]
    return rows


def _known(result: Any, code: str) -> Any:
    finder = getattr(result, "known_club", None)
    return finder(code) if finder else None


def _club_names(result: Any, codes: Sequence[str]) -> str:
    """"MH-01 (Thôn Đông), MH-02": at most LIST_LIMIT, then "và N câu lạc bộ khác"."""
    parts = []
    for code in codes[:LIST_LIMIT]:
        k = _known(result, code)
        village = k.village if k is not None and k.village else ""
        parts.append(f"{code} ({village})" if village else code)
    return ", ".join(parts) + _more(len(parts), len(codes), "câu lạc bộ")


def _missing_sentence(result: Any, missing: Sequence[str], excluded_codes: set[str]) -> str:
    if not missing:
        return " Tất cả các câu lạc bộ đã gửi báo cáo."
    not_sent = [c for c in missing if c not in excluded_codes]
    faulty = [c for c in missing if c in excluded_codes]
    out = ""
    if not_sent:
        out += (f" Chưa nhận được báo cáo của {_int(len(not_sent))} câu lạc bộ: "
                f"{_club_names(result, not_sent)}.")
    if faulty:
        out += (f" Báo cáo của {_int(len(faulty))} câu lạc bộ còn lỗi, chưa đưa vào tổng hợp: "
                f"{_club_names(result, faulty)}.")
    return out


def _club_list(result: Any, payload: dict[str, Any], clubs: list[ClubRow],
               excluded_codes: set[str]) -> list[ListedClub]:
    rows: dict[str, ListedClub] = {}
    for c in clubs:
        rows[c.code] = ListedClub(0, c.code, c.name, c.village, c.founded, c.members, "Đã báo cáo")
    for code in payload["missing"]:
        k = _known(result, code)
        rows[code] = ListedClub(
            0, code, (k.name if k is not None and k.name else ""),
            (k.village if k is not None and k.village else ""),
            vn.short_date(k.founded) if k is not None and k.founded else "", NO_VALUE,
            "Báo cáo có lỗi" if code in excluded_codes else "Chưa gửi báo cáo")
    out = [rows[k] for k in sorted(rows)]
    for i, r in enumerate(out, start=1):
        r.no = i
    return out


def _funds(funds: dict[str, Any]
           ) -> tuple[list[list[str]], list[list[float]], list[Row], list[str]]:
    by_fund = funds["by_fund"]
    keys = ("opening", "receipts", "payments", "closing")
    totals = {k: sum(v[k] for v in by_fund.values()) for k in keys}
    raw = [[v[k] for k in keys] for v in by_fund.values()] + [[totals[k] for k in keys]]
    names = [f"Quỹ {name.lower()}" for name in by_fund] + ["Cộng"]
    rows = [[name, *(vn.money(x) for x in r)] for name, r in zip(names, raw, strict=True)]
    receipts = totals["receipts"]
    sources = [Row(src or NO_SOURCE, vn.money(amount), _share(amount, receipts), amount)
               for src, amount in funds["receipts_by_source"].items()]
    sources.append(Row("Cộng", vn.money(receipts), "100%" if receipts else "", receipts, True))
    text = []
    if receipts or totals["opening"]:
        contribution = funds["receipts_by_source"].get(S.MEMBER_CONTRIBUTION, 0)
        text.append(
            f"Tổng số dư đầu năm của hai quỹ là {vn.money(totals['opening'])} đồng; trong năm "
            f"thu {vn.money(receipts)} đồng (thành viên đóng góp {vn.money(contribution)} đồng, "
            f"chiếm {_share(contribution, receipts) or '0%'}), chi {vn.money(totals['payments'])} "
            f"đồng; số dư cuối kỳ {vn.money(totals['closing'])} đồng.")
    else:
        text.append("Chưa có số liệu quỹ.")
    return rows, raw, sources, text


def _shortcomings(result: Any, payload: dict[str, Any], indicators: list[IndicatorRow],
                  clubs: list[ClubRow], excluded_codes: set[str],
                  validation: ValidationReport | None,
                  summary: ClubSummary | None = None, no_commune: str = "") -> list[str]:
    """Section V. Bounded: at most LIST_LIMIT clubs and files named (the full lists are in
    the JSON and XLSX reports); past the per-club limit, clubs below the standard counted
    by criterion instead of a line per club."""
    out = []
    if no_commune:  # first: it changes how the rest of the report reads
        out.append(f"- {no_commune}")
    missing = payload["missing"]
    not_sent = [c for c in missing if c not in excluded_codes]
    if not_sent:
        out.append(f"- Câu lạc bộ chưa gửi báo cáo: {_club_names(result, not_sent)}.")
    excluded = payload["excluded"]
    out.extend(f"- Tệp {e['path']} có {e['reason']}, chưa đưa vào tổng hợp; đã đề nghị câu "
               "lạc bộ sửa và gửi lại." for e in excluded[:LIST_LIMIT])
    # a club that sent its workbook twice: counted once, from the copy saved last (SPEC §2.3)
    out.extend(f"- Tệp {e['path']} là bản gửi trước của một câu lạc bộ đã gửi lại báo cáo nên "
               "không tính; số liệu lấy theo bản lưu sau cùng."
               for e in payload.get("not_counted", [])[:LIST_LIMIT])
    if len(excluded) > LIST_LIMIT:
        out.append(f"- Ngoài ra còn {vn.number(len(excluded) - LIST_LIMIT)} tệp khác có lỗi, "
                   "chưa đưa vào tổng hợp (danh sách đầy đủ trong báo cáo dạng XLSX, JSON và "
                   "kết quả lệnh clubtool validate); đã đề nghị các câu lạc bộ sửa và gửi lại.")
    if summary is None:
        out.extend(f"- {c.code} ({c.village}) chưa đạt chuẩn: chưa đạt tiêu chí "
                   + "; ".join(c.failed) + "." for c in clubs if c.failed)
    else:
        below = [c for c in clubs if c.failed]
        if below:
            worst = sorted((r for r in summary.criteria[:-1] if r.raw[1]),
                           key=lambda r: -r.raw[1])[:3]
            top = "; ".join(f"{r.label}: {r.no} câu lạc bộ ({r.share})" for r in worst)
            out.append(
                f"- {_int(len(below))}/{_int(len(clubs))} câu lạc bộ chưa đạt chuẩn"
                + (f"; các tiêu chí nhiều câu lạc bộ chưa đạt nhất: {top}" if top else "")
                + ". Tiêu chí chưa đạt của từng câu lạc bộ có trong báo cáo dạng XLSX và tệp "
                "tổng hợp.")
    out.extend(f"- Chỉ tiêu ({r.no}) \u201c{r.name}\u201d chưa đạt: thực hiện {r.actual} so với "
               f"kế hoạch {r.plan}." for r in indicators if r.status == "chua_dat")
    # An in-progress phase target is not a shortcoming; the commune-level indicators
    # without a commune workbook are explained above.
    no_data = [f"({r.no})" for r in indicators if r.status == "khong_co_du_lieu"
               and not (no_commune and r.commune_level)]
    if no_data:
        out.append(f"- Chưa có số liệu để đánh giá các chỉ tiêu {', '.join(no_data)}.")
    if not out:
        out.append("- Không phát hiện tồn tại qua số liệu báo cáo.")
    return out


def _tally(label: str, yes: int, total: int, *, failed_share: bool = False,
           strong: bool = False) -> TallyRow:
    no = total - yes
    return TallyRow(label, _int(yes), _int(no), _int(total),
                    _share(no if failed_share else yes, total), strong, [yes, no, total])


def _summary(limit: int, payload: dict[str, Any], figs: dict[str, dict[str, Any]], plan: Any,
             club_list: list[ListedClub], clubs: list[ClubRow], cf: dict[str, Any],
             m: dict[str, Any]) -> ClubSummary:
    """Counts of clubs instead of a row per club: tables of a fixed size, whatever N.

    Only counts of what the result says of each club (months met, contents held,
    criteria met); the definitions stay in the indicators.
    """
    reported = len(clubs)
    states: dict[str, int] = {"Đã báo cáo": 0, "Chưa gửi báo cáo": 0, "Báo cáo có lỗi": 0}
    for lc in club_list:
        states[lc.state] = states.get(lc.state, 0) + 1
    listed = len(club_list)
    state_rows = [Row(label, _int(n), _share(n, listed), n) for label, n in states.items()]
    state_rows.append(Row("Cộng", _int(listed), "100%" if listed else "", listed, True))

    required = [0] * 13
    held = [0] * 13
    contents = dict.fromkeys(S.CONTENT_CODES, 0)
    criteria = _criteria(plan)
    met = dict.fromkeys((cid for cid, _ in criteria), 0)
    failed = dict.fromkeys((cid for cid, _ in criteria), 0)
    for club in payload["clubs"]:
        f = figs[club["club_id"]]
        done = set(f["months_met"])
        for mo in f["months_required"]:
            required[mo] += 1
            held[mo] += mo in done
        for code in f["contents_held"]:
            if code in contents:
                contents[code] += 1
        crit = f["criteria"]
        for cid, _ in criteria:
            v = crit.get(cid)
            if v is True:
                met[cid] += 1
            elif v is False:
                failed[cid] += 1

    mt = cf["meetings"]
    months = [_tally(f"Tháng {mo}", held[mo], required[mo]) for mo in range(1, 13)]
    months.append(_tally("Sinh hoạt đủ các tháng phải sinh hoạt", mt["clubs_monthly"], reported,
                         strong=True))
    content_rows = [_tally(f"ND{i} {_content_name(h)}", contents[code], reported)
                    for i, (code, h, _) in enumerate(S.CONTENTS, start=1)]
    content_rows.append(_tally("Thực hiện đủ 08 nội dung", mt["clubs_all_contents"], reported,
                               strong=True))
    content_rows.append(_tally("Có nội dung chuyển đổi số, chuyển đổi xanh, khởi nghiệp, tạo "
                               "việc làm", mt["clubs_transformation"], reported, strong=True))
    criterion_rows = [_tally(f"({i}) {desc}", met[cid], met[cid] + failed[cid],
                             failed_share=True)
                      for i, (cid, desc) in enumerate(criteria, start=1)]
    criterion_rows.append(_tally("Câu lạc bộ đạt chuẩn (đạt tất cả các tiêu chí)",
                                 cf["clubs"]["standard"], reported, failed_share=True,
                                 strong=True))

    tr, out = cf["trainings"], cf["outreach"]

    def row(label: str, n: int, share: str = "") -> Row:
        return Row(label, _int(n), share, n)

    training = [row("Thành viên Ban chủ nhiệm", m["board"]),
                row("Trong đó: được tập huấn đủ theo yêu cầu", m["board_trained"],
                    _share(m["board_trained"], m["board"])),
                row("Lượt tập huấn ban đầu", tr.get(S.TRAINING_INITIAL, 0)),
                row("Lượt tập huấn nhắc lại", tr.get(S.TRAINING_REFRESHER, 0)),
                row("Buổi tuyên truyền", out["sessions"]),
                row("Lượt người được tuyên truyền", out["reached"])]
    note = (f"Số liệu chi tiết của từng câu lạc bộ ({_int(reported)} câu lạc bộ đã báo cáo: "
            "sinh hoạt từng tháng, 08 nội dung, tập huấn, quỹ, tiêu chí đạt chuẩn, thành viên) "
            "không in trong báo cáo này mà có trong tệp tổng hợp (lệnh clubtool merge) và "
            "trong báo cáo dạng XLSX; các bảng dưới đây tổng hợp số câu lạc bộ theo từng nội "
            "dung.")
    list_note = (f"Danh sách {_int(listed)} câu lạc bộ và tình trạng báo cáo của từng câu lạc "
                 "bộ có trong báo cáo dạng XLSX và tệp tổng hợp.")
    return ClubSummary(limit=limit, clubs=listed, reported=reported, note=note,
                       list_note=list_note, states=state_rows, months=months,
                       contents=content_rows, training=training, criteria=criterion_rows)


def _direction(year: int, indicators: list[IndicatorRow], missing: Sequence[str],
               excluded_codes: set[str], clubs: list[ClubRow],
               last_year: int | None = None) -> list[str]:
    """A starting text for "Phương hướng, nhiệm vụ": the officer edits it in Word."""
    out = [f"Năm {year + 1}, tiếp tục triển khai thực hiện Kế hoạch; duy trì sinh hoạt định kỳ "
           "hằng tháng với đủ 08 nội dung hoạt động, lồng ghép các nội dung chuyển đổi số, "
           "chuyển đổi xanh, khởi nghiệp, tạo việc làm tại các câu lạc bộ."]
    unmet = [f"({r.no})" for r in indicators if r.status == "chua_dat"]
    if unmet:
        out.append(f"Tập trung chỉ đạo thực hiện các chỉ tiêu chưa đạt {', '.join(unmet)}; "
                   "kiện toàn, hỗ trợ các câu lạc bộ chưa đạt chuẩn khắc phục các tiêu chí còn "
                   "thiếu.")
    behind = [f"({r.no})" for r in indicators if r.status == "dang_thuc_hien"
              and r.target is not None and not reaches(r.value, r.target)]
    if behind:
        out.append(f"Phấn đấu hoàn thành các chỉ tiêu tính cho cả giai đoạn chưa đủ mức kế "
                   f"hoạch {', '.join(behind)} trước hết năm {last_year}.")
    if missing:
        out.append("Đôn đốc các câu lạc bộ báo cáo đầy đủ, đúng hạn (trước ngày 13/12 hằng năm); "
                   "hướng dẫn các câu lạc bộ có báo cáo còn lỗi sửa và gửi lại.")
    return out
