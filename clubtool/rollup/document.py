"""The roll-up as a document: display-ready values for every format (`RollupDocument`).

The province's report is laid out as the commune's annual report (Nghị định 30/2020/NĐ-CP):
the issuing body (`--issuer`, default `ỦY BAN NHÂN DÂN TỈNH <TỈNH>`), `Số: …/BC-UBND` left
to fill in by hand, the place-and-date line, the title, sections, the signature block and
`Nơi nhận:`. Its pieces are the annual report's (`report.vn`, `report.context`): the
indicator rows are worded by `indicator_rows`, the date by `signing_date`. Texts only: the
figures are the `RollupResult`'s, never recomputed here (counts of communes by status are
counted, not computed).

Upward reports carry figures, never a person's name: there is no name here but those of
communes and provinces (the signer's line is left blank, signed by hand).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..indicators.compute import STATUSES, IndicatorValue
from ..indicators.format import STATUS_WORDS
from ..report import vn
from ..report.context.common import age_words, count, share
from ..report.context.indicators import CHART_LABELS, indicator_rows
from ..report.context.model import Header, IndicatorRow, Row, Signature
from ..vnformat import NO_VALUE, percent, short_date
from ._model import NATION, RollupResult, Unit

__all__ = ["MARKS", "ChartRow", "PlaceRow", "RollupDocument", "build_document", "issuer_lines"]

#: Under a commune's figure in the documents' commune table (legend under the table).
MARKS = {"dat": "Đ", "chua_dat": "CĐ", "dang_thuc_hien": "ĐTH", "khong_co_du_lieu": "",
         "khong_co_chi_tieu": ""}
SUBJECT_LINES = ("Kết quả thực hiện Kế hoạch nhân rộng câu lạc bộ",
                 "liên thế hệ tự giúp nhau năm {year}")
PROVINCE_RECIPIENTS = ["Bộ Y tế", "Trung ương Hội Người cao tuổi Việt Nam",
                       "Chủ tịch, các PCT UBND tỉnh", "Hội Người cao tuổi tỉnh",
                       "UBND các xã, phường", "Lưu: VT, KGVX"]
NATION_RECIPIENTS = ["Thủ tướng Chính phủ (để báo cáo)", "Trung ương Hội Người cao tuổi Việt Nam",
                     "UBND các tỉnh, thành phố", "Lưu: VT"]
NATION_ISSUER = "BỘ Y TẾ"
#: Short labels (chart, spreadsheet columns): the annual chart's, and the two counts.
_LABELS = {**CHART_LABELS, "clb_thanh_lap_moi": "CLB thành lập mới",
           "clb_dat_chuan": "CLB hoạt động đạt chuẩn"}
NATION_PLACE = "Hà Nội"


@dataclass(slots=True)
class PlaceRow:
    """One commune (or province) in the table commune by commune."""

    no: int
    province: str
    name: str
    as_of: str  # dd/mm/yyyy
    cells: list[str]  # per indicator of the province's table: "83,3%", "2", "—"
    marks: list[str]  # per indicator: MARKS of its status
    statuses: list[str]  # per indicator: the status code ("" when the file has none)
    values: list[float | int | None]
    status: str  # overall
    status_text: str
    met: str  # "5/7": indicators met / judged
    communes: int = 1  # a province: how many communes


@dataclass(slots=True)
class ChartRow:
    """One indicator: how many communes are at each status."""

    label: str
    counts: dict[str, int]


@dataclass(slots=True)
class RollupDocument:
    """Everything a renderer of the roll-up shows; `result` holds the figures."""

    result: RollupResult
    level: str
    place: str  # "tỉnh Hà Tĩnh", "cả nước"
    date: str  # dd/mm/yyyy of the document
    as_of: str  # "31/12/2027" or "30/11/2027 - 31/12/2027"
    header: Header
    issuer_name: str
    intro: str
    general: list[str]
    member_rows: list[Row]
    indicators: list[IndicatorRow]
    indicator_summary: str
    heads: list[str]  # the commune table's indicator columns: "(1)", "(2)", …
    head_names: list[str]  # the same, with the indicator's short label (spreadsheets)
    communes: list[PlaceRow]
    provinces: list[PlaceRow]
    communes_in_documents: bool  # False for the nation: DOCX/HTML/MD show provinces
    chart: list[ChartRow]
    chart_caption: str
    missing: list[tuple[str, str, str]]  # (province, commune, why)
    excluded: list[tuple[str, str, str]]  # (file, commune or province, why)
    not_counted: list[tuple[str, str]]  # (file, why)
    left_out_text: list[str]
    closing: str
    signature: Signature
    recipients: list[str]
    notes: list[str]
    warnings: list[str] = field(default_factory=list)  # for the officer, not the documents

    @property
    def status_words(self) -> dict[str, str]:
        return {k: v.capitalize() for k, v in STATUS_WORDS.items()}


def build_document(r: RollupResult, *, date: dt.date | None = None,
                   today: dt.date | None = None) -> RollupDocument:
    """The display values of `r`, signed on `date` (default: today; the latest as-of date
    when today is before the year)."""
    from ..indicators.compute import clock_today
    from ..report.context.header import signing_date

    day, warnings = signing_date(r.year, date, r.as_of, today or clock_today())
    nation = r.level == NATION
    place = "cả nước" if nation else f"tỉnh {_province_words(r.province)}"
    header = _header(r, day)
    issuer_text = " ".join(header.issuer_lines)
    issuer_name = _running(issuer_text, r.province)
    rows = indicator_rows([_value(v) for v in r.indicators], r.phase)
    communes = [_place_row(i, u, r) for i, u in enumerate(r.communes, start=1)]
    provinces = [_place_row(i, u, r) for i, u in enumerate(r.provinces, start=1)]
    what = "các tỉnh, thành phố" if nation else "các xã"
    intro = (f"Căn cứ {r.plan.title}; t" if r.plan_given else "T") + \
        (f"rên cơ sở báo cáo của {what}, {issuer_name} báo cáo kết quả thực hiện Kế hoạch nhân "
         f"rộng câu lạc bộ liên thế hệ tự giúp nhau năm {r.year} trên địa bàn {place} như sau:")
    return RollupDocument(
        result=r, level=r.level, place=place, date=short_date(day),
        as_of=_as_of_text(r), header=header, issuer_name=issuer_name, intro=intro,
        general=_general(r), member_rows=_member_rows(r.counts.get("members", {})),
        indicators=rows, indicator_summary=_summary(r, rows),
        heads=[f"({row.no})" for row in rows],
        head_names=[f"({row.no}) {_LABELS.get(row.id, row.name)}" for row in rows],
        communes=communes, provinces=provinces, communes_in_documents=not nation,
        chart=_chart(r), chart_caption=(f"Biểu đồ: Số xã theo kết quả từng chỉ tiêu năm {r.year} "
                                        "(theo đánh giá của từng xã)"),
        missing=[(m.province or "", m.commune, m.reason) for m in r.missing],
        excluded=[(_file_name(e.file), e.commune or e.province or "", e.reason)
                  for e in r.excluded],
        not_counted=[(_file_name(n.file), n.reason) for n in r.not_counted],
        left_out_text=_left_out_text(r),
        closing=(f"Trên đây là báo cáo kết quả thực hiện Kế hoạch nhân rộng câu lạc bộ liên thế "
                 f"hệ tự giúp nhau năm {r.year} trên địa bàn {place} của {issuer_name}./."),
        signature=_signature(header), recipients=vn.recipient_lines(
            None, NATION_RECIPIENTS if nation else PROVINCE_RECIPIENTS),
        notes=list(r.notes), warnings=warnings)


# --- the frame ------------------------------------------------------------------------------


def _province_words(province: str | None) -> str:
    """"Hà Tĩnh"; "Tỉnh Hà Tĩnh" → "Hà Tĩnh"; unknown → "…"."""
    if not province:
        return "…"
    return re.sub(r"^(tỉnh)\s+", "", " ".join(province.split()), flags=re.IGNORECASE)


def issuer_lines(issuer: str | None, province: str | None, nation: bool) -> list[str]:
    """The issuing body in capitals, on its lines: `--issuer`, else ỦY BAN NHÂN DÂN TỈNH
    <TỈNH> (a city under the central government: … THÀNH PHỐ <TÊN>), for the nation
    BỘ Y TẾ."""
    if issuer and issuer.strip():
        return vn.issuer_lines(issuer, "")
    if nation:
        return [NATION_ISSUER]
    name = _province_words(province)
    kind = "" if re.match(r"(thành phố|tp\.?)\s", name, flags=re.IGNORECASE) else "TỈNH "
    return [vn.PEOPLES_COMMITTEE, vn.upper(f"{kind}{name}")]


def _header(r: RollupResult, day: dt.date) -> Header:
    nation = r.level == NATION
    lines = issuer_lines(r.issuer, r.province, nation)
    kind = "BC-UBND" if lines[0] == vn.PEOPLES_COMMITTEE else _doc_kind(lines)
    where = NATION_PLACE if nation else re.sub(r"^(thành phố|tp\.?)\s+", "",
                                               _province_words(r.province),
                                               flags=re.IGNORECASE)
    subject = [line.format(year=r.year) for line in SUBJECT_LINES]
    return Header(issuer_lines=lines, number=vn.doc_number(None, kind), national=vn.NATIONAL_NAME,
                  motto=vn.MOTTO, place_date=vn.place_date(where, day), kind="BÁO CÁO",
                  subject=" ".join(subject), subject_lines=subject)


def _doc_kind(lines: list[str]) -> str:
    """Ký hiệu of a report by another body: BC-BYT (Bộ Y tế), else BC with the initials."""
    from ..text import fold

    words = fold(" ".join(lines)).upper().split()
    initials = "".join(w[0] for w in words if w[0].isalpha())
    return f"BC-{initials}" if initials else "BC"


def _running(issuer_text: str, province: str | None) -> str:
    """"Ủy ban nhân dân tỉnh Hà Tĩnh" (in running text) from the capitals."""
    text = issuer_text.lower()
    text = text[:1].upper() + text[1:]
    place = _province_words(province)
    if province:
        text = re.sub(re.escape(place), place, text, flags=re.IGNORECASE)
    return text.replace("bộ y tế", "Bộ Y tế").replace("Bộ y tế", "Bộ Y tế")


def _signature(header: Header) -> Signature:
    body = header.issuer_lines[0] if header.issuer_lines else ""
    if body == vn.PEOPLES_COMMITTEE:
        return Signature([f"TM. {body}", "CHỦ TỊCH"], "")
    first = " ".join(header.issuer_lines)
    if first.startswith("BỘ "):
        return Signature(["BỘ TRƯỞNG"], "")
    if first.startswith("SỞ "):
        return Signature(["GIÁM ĐỐC"], "")
    if first.startswith("HỘI "):
        return Signature(["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"], "")
    return Signature(["THỦ TRƯỞNG CƠ QUAN"], "")


# --- section I ------------------------------------------------------------------------------


def _as_of_text(r: RollupResult) -> str:
    if r.as_of_first == r.as_of:
        return short_date(r.as_of)
    return f"{short_date(r.as_of_first)} - {short_date(r.as_of)}"


def _general(r: RollupResult) -> list[str]:
    """Section I: who reported, the clubs, the members (sentences of figures)."""
    nation = r.level == NATION
    rep = r.reporting
    out = []
    if rep.expected is not None and rep.expected_reported is not None:
        out.append(f"Có {count(rep.expected_reported)}/{count(rep.expected)} xã trong danh "
                   f"sách ({percent(rep.rate or 0)}) đã gửi báo cáo hợp lệ"
                   + (f"; {count(len(r.missing))} xã chưa có báo cáo hợp lệ (mục IV)."
                      if r.missing else "."))
    units = (f"{count(len(r.provinces))} tỉnh, thành phố với {count(len(r.communes))} xã"
             if nation else f"{count(len(r.communes))} xã")
    out.append(f"Số liệu tổng hợp từ báo cáo của {units}, tính đến ngày {_as_of_text(r)}.")
    clubs = r.counts.get("clubs", {})
    new = r.counts.get("new_clubs", {})
    if clubs:
        out.append(
            f"Toàn {'quốc' if nation else 'tỉnh'} có {count(clubs.get('known', 0))} câu lạc bộ "
            f"liên thế hệ tự giúp nhau, trong đó {count(clubs.get('expected', 0))} câu lạc bộ "
            f"phải báo cáo năm {r.year}, {count(clubs.get('reported', 0))} câu lạc bộ đã báo cáo "
            f"hợp lệ, {count(clubs.get('standard', 0))} câu lạc bộ hoạt động đạt chuẩn; thành "
            f"lập mới {count(new.get('in_year', 0))} câu lạc bộ trong năm "
            f"({count(new.get('in_phase', 0))} câu lạc bộ từ đầu giai đoạn "
            f"{r.phase.first_year} - {r.phase.last_year}).")
    members = r.counts.get("members", {})
    total = members.get("total", 0)
    if total:
        women = members.get("by_sex", {}).get("Nữ", 0)
        older = members.get("older", 0)
        out.append(f"Các câu lạc bộ đã báo cáo có {count(total)} thành viên, trong đó nữ "
                   f"{count(women)} người ({share(women, total)}), người cao tuổi {count(older)} "
                   f"người ({share(older, total)}).")
    return out


def _member_rows(m: dict[str, Any]) -> list[Row]:
    total = m.get("total", 0)

    def row(label: str, n: int, strong: bool = False) -> Row:
        return Row(label, count(n), share(n, total) if total else "", n, strong)

    if not m:
        return []
    rows = [row("Tổng số thành viên", total, True),
            row("Nam", m.get("by_sex", {}).get("Nam", 0)),
            row("Nữ", m.get("by_sex", {}).get("Nữ", 0))]
    rows += [row(age_words(label), n) for label, n in m.get("by_age", {}).items()]
    hardship = m.get("hardship", {})
    rows += [row("Người cao tuổi", m.get("older", 0)),
             row("Trong đó: nữ người cao tuổi", m.get("female_older", 0)),
             row("Thuộc hộ nghèo", hardship.get("Nghèo", 0)),
             row("Thuộc hộ cận nghèo", hardship.get("Cận nghèo", 0)),
             row("Người khuyết tật", m.get("disability", 0)),
             row("Người neo đơn", m.get("lonely", 0)),
             row("Có nhu cầu hỗ trợ sinh kế", m.get("needs_livelihood", 0)),
             row("Trong đó: được hỗ trợ sinh kế", m.get("got_livelihood", 0)),
             row("Được khám sức khỏe định kỳ", m.get("health_checks", 0)),
             row("Tình nguyện viên chăm sóc tại nhà", m.get("volunteers", 0)),
             row("Thành viên Ban chủ nhiệm", m.get("board", 0))]
    return rows


# --- section II -----------------------------------------------------------------------------


def _value(v: Any) -> IndicatorValue:
    """A pooled indicator as the annual report's rows read one."""
    return IndicatorValue(id=v.id, name=v.name, unit=v.unit, numerator=v.numerator,
                          denominator=v.denominator, value=v.value, target=v.target,
                          status=v.status, text=v.text, cumulative=v.cumulative)


def _summary(r: RollupResult, rows: list[IndicatorRow]) -> str:
    counted = [row for row in rows if row.status in ("dat", "chua_dat")]
    met = sum(row.status == "dat" for row in counted)
    no_data = sum(row.status == "khong_co_du_lieu" for row in rows)
    progressing = sum(row.status == "dang_thuc_hien" for row in rows)
    where = "cả nước" if r.level == NATION else "toàn tỉnh"
    text = (f"Năm {r.year} ({r.phase.title.lower()}), tính gộp {where} (tử số và mẫu số của "
            f"các xã cộng lại, không lấy trung bình các tỷ lệ), trong {len(counted)} chỉ tiêu có "
            f"mục tiêu và có số liệu, {met} chỉ tiêu đạt, {len(counted) - met} chỉ tiêu chưa đạt")
    text += f"; {no_data} chỉ tiêu chưa có số liệu." if no_data else "."
    if progressing:
        text += (f" {progressing} chỉ tiêu tính cho cả giai đoạn đang thực hiện, đánh giá vào "
                 f"năm {r.phase.last_year}.")
    if not r.plan_given:
        text += (" Mức kế hoạch các tỷ lệ lấy theo kế hoạch mẫu (chưa có kế hoạch riêng); các "
                 "chỉ tiêu số câu lạc bộ chưa đặt mức cho toàn " + ("quốc." if r.level == NATION
                                                                  else "tỉnh."))
    return text


def _chart(r: RollupResult) -> list[ChartRow]:
    """Per indicator of the table: communes by their own status (none: not in the chart)."""
    out = []
    for no, v in enumerate(r.indicators, start=1):
        tally = dict.fromkeys(STATUSES, 0)
        for c in r.communes:
            for x in c.indicators:
                if x.id == v.id:
                    tally[x.status] = tally.get(x.status, 0) + 1
        if any(tally.values()):
            out.append(ChartRow(f"({no}) {_LABELS.get(v.id, v.name)}", tally))
    return out


# --- section III ----------------------------------------------------------------------------


def _place_row(no: int, u: Unit, r: RollupResult) -> PlaceRow:
    by_id = {v.id: v for v in u.indicators}
    cells: list[str] = []
    marks: list[str] = []
    statuses: list[str] = []
    values: list[float | int | None] = []
    for ind in r.indicators:
        v = by_id.get(ind.id)
        if v is None or v.value is None:
            cells.append(NO_VALUE)
            values.append(None)
        else:
            cells.append(percent(v.value) if ind.unit == "ratio" else count(v.value))
            values.append(v.value)
        statuses.append(v.status if v is not None else "")
        marks.append(MARKS.get(v.status, "") if v is not None else "")
    return PlaceRow(no=no, province=u.province or "", name=u.name, as_of=short_date(u.as_of),
                    cells=cells, marks=marks, statuses=statuses, values=values,
                    status=u.status, status_text=STATUS_WORDS[u.status].capitalize(),
                    met=f"{u.met}/{u.judged}", communes=u.communes)


# --- section IV -----------------------------------------------------------------------------


def _file_name(path: str) -> str:
    """A file as the documents name it: its name, without the officer's folders."""
    return re.split(r"[\\/]", path.rstrip("\\/"))[-1] or path


def _left_out_text(r: RollupResult) -> list[str]:
    out = []
    if r.missing:
        out.append(f"Có {count(len(r.missing))} xã chưa có báo cáo hợp lệ (Bảng 4).")
    elif r.reporting.expected is None:
        out.append("Không có danh sách các xã phải báo cáo (--expect), nên không biết xã nào "
                   "chưa báo cáo.")
    else:
        out.append("Tất cả các xã trong danh sách đã gửi báo cáo hợp lệ.")
    if r.excluded:
        out.append(f"Có {count(len(r.excluded))} tệp bị loại vì không dùng được (Bảng 5); các "
                   "xã này cần gửi lại tệp tổng hợp do clubtool lập.")
    if r.not_counted:
        out.append(f"Có {count(len(r.not_counted))} tệp không tính vì xã đã gửi tệp khác (tính "
                   "tệp có số liệu mới hơn).")
    return out
