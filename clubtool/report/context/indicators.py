"""Section II: the table of the plan's indicators, its summary sentence and the chart.

Each row reads one `IndicatorValue` (value, target, status as computed); this only words
and formats them. With the previous year's result (`Source.previous`), each row also gets
its change (`changes`) and the summary one more sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...indicators.format import STATUS_WORDS, phase_progress, reaches
from ...vnformat import NO_VALUE, number, percent, short_date
from .changes import Change, changes, sentence
from .common import count
from .model import ChartBar, IndicatorRow
from .source import Source

if TYPE_CHECKING:
    from ...indicators import IndicatorValue, Phase, Target

#: What an indicator counts, for "4.112/4.823 người" (display words only).
UNIT_WORDS = {
    "can_bo_tap_huan": "cán bộ", "tuyen_truyen": "người", "clb_thanh_lap_moi": "CLB",
    "clb_nu_nct": "CLB", "clb_dat_chuan": "CLB", "clb_du_8_noi_dung": "CLB",
    "clb_cds_xanh_khoi_nghiep": "CLB", "bcn_tap_huan": "người", "ho_tro_sinh_ke": "người",
    "thon_co_clb": "thôn", "ty_le_nop_bao_cao": "CLB",
}
#: Where a ratio's figures come from, when two figures of the report could be taken for
#: them: the outreach indicator counts the villages' people reached (the commune workbook),
#: not the clubs' own outreach sessions of section III (`results`).
DETAIL_SOURCE = {"tuyen_truyen": "theo báo cáo các thôn"}
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


@dataclass(frozen=True, slots=True)
class IndicatorSection:
    rows: list[IndicatorRow]
    summary: str
    chart: list[ChartBar]
    chart_caption: str
    #: Against the previous year, one per row (empty without `Source.previous`).
    changes: list[Change]


def indicator_section(src: Source) -> IndicatorSection:
    rows = indicator_rows(src.result.indicators, src.phase)
    found = changes(src.result.indicators, src.previous) if src.previous is not None else []
    if found:
        for row, c in zip(rows, found, strict=True):
            row.change = c.text
    return IndicatorSection(
        rows=rows, summary=_summary(src, rows, found), chart=chart_bars(rows), changes=found,
        chart_caption=(f"Biểu đồ: Kết quả thực hiện so với kế hoạch năm {src.year} "
                       "(các chỉ tiêu tính theo tỷ lệ)"))


def indicator_rows(values: list[IndicatorValue], phase: Phase) -> list[IndicatorRow]:
    """One row per indicator, numbered in the plan's order."""
    return [_row(no, v, phase) for no, v in enumerate(values, start=1)]


def _row(no: int, v: IndicatorValue, phase: Phase) -> IndicatorRow:
    unit, value, target = v.unit, v.value, v.target
    words = UNIT_WORDS.get(v.id, "")
    if value is None:
        actual, detail = NO_VALUE, ""
    elif unit == "ratio":
        actual = percent(value)
        detail = f"{count(v.numerator)}/{count(v.denominator)} {words}".strip()
        if v.id in DETAIL_SOURCE:
            detail += f", {DETAIL_SOURCE[v.id]}"
    else:
        actual, detail = f"{number(value)} {words}".strip(), ""
    cumulative = v.cumulative and target is not None
    note = progress = ""
    if v.status == "dang_thuc_hien" and target is not None:
        note = (f"{'đã đủ mức; ' if reaches(value, target.min) else ''}"
                f"đánh giá năm {phase.last_year}")
        progress = phase_progress(value, unit, target.min, target.shown_max,
                                  phase.first_year, phase.last_year, words)
    return IndicatorRow(
        no=no, id=v.id, name=v.name, text=v.text, unit=unit,
        plan=_target_text(unit, target, words) + (" (cả giai đoạn)" if cumulative else ""),
        actual=actual, detail=detail, status=v.status, status_text=_status_text(v.status),
        value=value, target=target.min if target is not None else None,
        numerator=v.numerator, denominator=v.denominator, cumulative=cumulative,
        status_note=note, progress=progress, commune_level=v.commune_level)


def _target_text(unit: str, target: Target | None, words: str) -> str:
    if target is None:
        return NO_VALUE
    lo, hi = target.min, target.shown_max
    if unit == "ratio":
        text = percent(lo)
        return f"{text} - {percent(hi)}" if hi is not None else text
    unit_word = f" {words}" if words else ""
    if hi is not None:
        return f"Từ {number(lo)} đến {number(hi)}{unit_word}"
    return f"Ít nhất {number(lo)}{unit_word}"


def _status_text(status: str) -> str:
    return STATUS_WORDS.get(status, status).capitalize()


def _summary(src: Source, rows: list[IndicatorRow], found: list[Change]) -> str:
    """"Năm 2027 (giai đoạn …), trong 7 chỉ tiêu … 5 chỉ tiêu đạt, …" (then, with the
    previous year, "So với năm 2026: 3 chỉ tiêu tăng, …")."""
    counted = [r for r in rows if r.status in ("dat", "chua_dat")]
    met = [r for r in counted if r.status == "dat"]
    no_data = [r for r in rows if r.status == "khong_co_du_lieu"]
    progressing = [r for r in rows if r.status == "dang_thuc_hien"]
    phase = src.phase.title.lower()
    text = (f"Năm {src.year} ({phase}), trong {len(counted)} chỉ tiêu có mục tiêu "
            f"{'đánh giá trong năm ' if progressing else ''}và có số liệu, {len(met)} chỉ "
            f"tiêu đạt, {len(counted) - len(met)} chỉ tiêu chưa đạt")
    text += (f"; {len(no_data)} chỉ tiêu chưa có số liệu." if no_data else ".")
    if progressing:
        text += (f" Có {len(progressing)} chỉ tiêu tính cho cả {phase} "
                 f"đang thực hiện, sẽ được đánh giá vào năm {src.phase.last_year}: "
                 + "; ".join(f"chỉ tiêu ({r.no}) {r.progress}" for r in progressing) + ".")
    if src.previous is not None:
        text += " " + sentence(found, src.previous.year)
    return text + f" Số liệu tính đến ngày {short_date(src.as_of)}."


def chart_bars(rows: list[IndicatorRow]) -> list[ChartBar]:
    """A bar per ratio indicator that has a value."""
    return [ChartBar(label=f"({r.no}) {CHART_LABELS.get(r.id, r.id)}",
                     value=float(r.value) * 100,
                     target=float(r.target) * 100 if r.target is not None else None,
                     met=(None if r.status in ("khong_co_chi_tieu", "dang_thuc_hien")
                          else r.status == "dat"),
                     text=r.actual, status=r.status)
            for r in rows if r.unit == "ratio" and r.value is not None]
