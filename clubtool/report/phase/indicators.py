"""Section II: each indicator of the plan year by year against its target, the summary
sentence and the chart's series.

Each cell reads that year's `IndicatorValue` (value, target, status as computed); a year
without data shows "—". Targets are those of the plan's phase holding the year, so a final
review over both phases shows each phase's own target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...indicators import INDICATORS, PlanError
from ...indicators.format import STATUS_WORDS
from ...vnformat import NO_VALUE, number, percent
from ..context.indicators import CHART_LABELS, UNIT_WORDS, _target_text
from .model import ChartSeries, IndicatorTrend
from .source import PhaseSource

if TYPE_CHECKING:
    from ...indicators import Indicator, IndicatorValue, Phase

#: Short labels of the two count indicators (the annual chart shows ratios only).
COUNT_LABELS = {"clb_thanh_lap_moi": "CLB thành lập mới trong giai đoạn",
                "clb_dat_chuan": "CLB đạt chuẩn"}
MARKED = ("dat", "chua_dat", "dang_thuc_hien")  # statuses shown under a year's figure


@dataclass(frozen=True, slots=True)
class IndicatorPart:
    rows: list[IndicatorTrend]
    summary: str
    end_head: str
    chart: list[ChartSeries]
    chart_caption: str


def indicator_part(src: PhaseSource) -> IndicatorPart:
    rows = [_trend(src, no, ind) for no, ind in enumerate(INDICATORS, start=1)]
    return IndicatorPart(
        rows=rows, summary=_summary(src, rows), end_head=f"Đánh giá (năm {src.last})",
        chart=chart_series(rows),
        chart_caption=(f"Biểu đồ: Các chỉ tiêu qua từng năm {_span(src)} so với kế hoạch "
                       "(đường nét đứt: mức kế hoạch)"))


def _span(src: PhaseSource) -> str:
    return f"giai đoạn {src.phase.first_year}–{src.phase.last_year}"


def plan_phases(src: PhaseSource) -> list[Phase]:
    """The plan's phases that hold some year of the review (one, or two for 2026–2035)."""
    return [p for p in src.plan.phases
            if p.first_year <= src.phase.last_year and p.last_year >= src.phase.first_year]


def _trend(src: PhaseSource, no: int, ind: Indicator) -> IndicatorTrend:
    words = UNIT_WORDS.get(ind.id, "")
    values: list[IndicatorValue | None] = []
    for y in src.years:
        r = src.result(y)
        values.append(r.indicator(ind.id) if r is not None else None)
    end = values[src.years.index(src.last)]
    phases = plan_phases(src)
    named = [name for p in phases
             if (pi := p.indicators.get(ind.id)) is not None and (name := pi.name)]
    return IndicatorTrend(
        no=no, id=ind.id, name=named[0] if len(phases) == 1 and named else ind.name,
        unit=ind.unit, plan=_plan_text(phases, ind, words),
        cells=[_cell(v, words) for v in values],
        marks=[STATUS_WORDS[v.status] if v is not None and v.status in MARKED else ""
               for v in values],
        statuses=[v.status if v is not None else "" for v in values],
        values=[v.value if v is not None else None for v in values],
        targets=[_target_min(src, y, v, ind.id) for y, v in zip(src.years, values, strict=True)],
        numerators=[v.numerator if v is not None else None for v in values],
        denominators=[v.denominator if v is not None else None for v in values],
        end_year=src.last, end_status=end.status if end is not None else "",
        end_text=STATUS_WORDS[end.status].capitalize() if end is not None else NO_VALUE)


def _cell(v: IndicatorValue | None, words: str) -> str:
    if v is None or v.value is None:
        return NO_VALUE
    if v.unit == "ratio":
        return percent(v.value)
    return f"{number(v.value)} {words}".strip()


def _target_min(src: PhaseSource, year: int, v: IndicatorValue | None,
                indicator_id: str) -> float | int | None:
    """That year's target minimum: the result's, or the plan's for a year without data."""
    if v is not None:
        return v.target.min if v.target is not None else None
    try:
        target = src.phase_of(year).target(indicator_id)
    except PlanError:  # a year the plan has no phase for
        return None
    return target.min if target is not None else None


def _plan_text(phases: list[Phase], ind: Indicator, words: str) -> str:
    """The target: one phase's, or each phase's when the review spans two."""
    texts = []
    for p in phases:
        target = p.target(ind.id)
        text = _target_text(ind.unit, target, words)
        if target is not None and p.cumulative(ind.id):
            text += " (cả giai đoạn)"
        texts.append((p, text))
    if len(texts) == 1 or len({t for _, t in texts}) == 1:
        return texts[0][1] if texts else NO_VALUE
    return "; ".join(f"{p.first_year} - {p.last_year}: {t}" for p, t in texts)


def _summary(src: PhaseSource, rows: list[IndicatorTrend]) -> str:
    """"Năm 2028 (năm cuối có số liệu), trong 7 chỉ tiêu … 5 đạt …; so với năm 2026 …"."""
    last = src.last
    counted = [r for r in rows if r.end_status in ("dat", "chua_dat")]
    met = [r for r in counted if r.end_status == "dat"]
    progressing = [r for r in rows if r.end_status == "dang_thuc_hien"]
    no_data = [r for r in rows if r.end_status == "khong_co_du_lieu"]
    text = (f"Năm {last} (năm cuối có số liệu của {_span(src)}), trong {len(counted)} chỉ tiêu "
            f"có mục tiêu và có số liệu, {len(met)} chỉ tiêu đạt, "
            f"{len(counted) - len(met)} chỉ tiêu chưa đạt")
    text += f"; {len(no_data)} chỉ tiêu chưa có số liệu." if no_data else "."
    if progressing:
        text += (f" {len(progressing)} chỉ tiêu tính cho cả giai đoạn đang thực hiện, sẽ được "
                 f"đánh giá vào năm {src.phase_of(last).last_year}: "
                 + ", ".join(f"({r.no})" for r in progressing) + ".")
    if src.first != last:
        text += " " + _changes(src, rows)
    return text


def _changes(src: PhaseSource, rows: list[IndicatorTrend]) -> str:
    """Which indicators rose or fell from the first to the last year with data."""
    i0, i1 = src.years.index(src.first), src.years.index(src.last)
    up: list[str] = []
    down: list[str] = []
    for r in rows:
        a, b = r.values[i0], r.values[i1]
        if a is None or b is None or a == b:
            continue
        if b > a:
            up.append(f"({r.no}) từ {r.cells[i0]} lên {r.cells[i1]}")
        else:
            down.append(f"({r.no}) từ {r.cells[i0]} xuống {r.cells[i1]}")
    if not up and not down:
        return (f"So với năm {src.first}, các chỉ tiêu có số liệu cả hai năm không thay đổi.")
    parts = []
    if up:
        parts.append(f"{len(up)} chỉ tiêu tăng ({'; '.join(up)})")
    if down:
        parts.append(f"{len(down)} chỉ tiêu giảm ({'; '.join(down)})")
    return (f"So với năm {src.first}, năm {src.last} có " + ", ".join(parts)
            + "; các chỉ tiêu còn lại không đổi hoặc thiếu số liệu của một trong hai năm.")


def chart_series(rows: list[IndicatorTrend]) -> list[ChartSeries]:
    """A small line chart per indicator that has a value in some year."""
    out = []
    for r in rows:
        if all(v is None for v in r.values):
            continue
        scale = 100.0 if r.unit == "ratio" else 1.0
        label = CHART_LABELS.get(r.id) or COUNT_LABELS.get(r.id) or r.name
        out.append(ChartSeries(
            label=f"({r.no}) {label}", unit=r.unit,
            values=[float(v) * scale if v is not None else None for v in r.values],
            targets=[float(t) * scale if t is not None else None for t in r.targets],
            statuses=list(r.statuses)))
    return out
