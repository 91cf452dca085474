"""`build_phase_context()`: the years of a phase turned into display-ready values.

One module per part of the review, as the annual report's `report/context/`: `header` (head,
title, signature: the annual report's frame), `narrative` (section I), `indicators`
(section II and the chart), `clubs` and `members` (section III), `funds` (IV), `awards`
(V), `missing` (VI); `source` gathers what they read, `model` holds the dataclasses.

It never recomputes a definition of the plan: each year's figures are that year's
`IndicatorResult`; this only picks, orders, words, and sums a figure over the phase where a
sum means something (receipts, clubs founded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...vnformat import short_date
from .awards import award_part
from .clubs import GRID_LEGEND, club_part
from .funds import fund_part
from .header import phase_frame, span
from .indicators import indicator_part
from .members import member_rows
from .missing import missing_part
from .model import PhaseContext
from .narrative import overview
from .source import KIND_WORDS, PhaseSource, YearData, read_phase_source

if TYPE_CHECKING:
    from ...indicators import Phase, Plan


def build_phase_context(years: Mapping[int, YearData | None], *, phase: Phase, plan: Plan,
                        date: dt.date | None = None, today: dt.date | None = None,
                        per_club_limit: int | None = None) -> PhaseContext:
    """The review of `phase` from each year's data (None or absent: no data that year).

    PhaseInputError when a year is outside the phase, a year's data is of another year, or
    no year has data. `date`: the signing date (default: today, see `signing_date`).
    """
    src = read_phase_source(dict(years), phase, plan, today, per_club_limit)
    fr = phase_frame(src, date)
    ind = indicator_part(src)
    clubs = club_part(src)
    members = member_rows(src)
    funds = fund_part(src)
    awards = award_part(src)
    missing = missing_part(src)
    detailed = len(clubs.grid) <= src.limit
    return PhaseContext(
        kind=src.kind, kind_word=KIND_WORDS[src.kind], phase_id=phase.id, span=span(src),
        years=list(src.years), data_years=src.data_years, date=short_date(fr.date),
        commune=fr.commune_name, province=fr.province, plan_title=plan.title,
        header=fr.header, intro=fr.intro, overview=overview(src, clubs.rows, members),
        indicator_summary=ind.summary, indicators=ind.rows, end_head=ind.end_head,
        chart=ind.chart, chart_caption=ind.chart_caption, club_rows=clubs.rows,
        club_text=clubs.text, member_rows=members, grid=clubs.grid if detailed else [],
        grid_counts=clubs.grid_counts, grid_legend=GRID_LEGEND,
        grid_note="" if detailed else (
            f"Có {len(clubs.grid)} câu lạc bộ: kết quả đạt chuẩn của từng câu lạc bộ qua các "
            "năm có trong báo cáo dạng XLSX; bảng dưới đây tổng hợp số câu lạc bộ."),
        fund_rows=funds.rows, fund_text=funds.text, awards=awards.rows, award_text=awards.text,
        coverage=missing.coverage, missing_text=missing.text, closing=fr.closing,
        signature=fr.signature, recipients=fr.recipients, issuer_name=fr.issuer_name,
        payload=_payload(src, ind.rows), grid_all=clubs.grid,
        warnings=[*_year_warnings(src), *fr.warnings])


def _year_warnings(src: PhaseSource) -> list[str]:
    return [f"Năm {y}: {w}" for y, d in src.data.items() for w in d.result.warnings]


def _payload(src: PhaseSource, rows: list[Any]) -> dict[str, Any]:
    """The figures year by year in the shape of `clubtool indicators --years`, and
    each year's commune figures (counts and sums only: no name)."""
    keys = [str(y) for y in src.years]
    indicators = []
    for r in rows:
        by_year: dict[str, Any] = {}
        for i, k in enumerate(keys):
            by_year[k] = None if not r.statuses[i] else {
                "numerator": r.numerators[i], "denominator": r.denominators[i],
                "value": r.values[i], "status": r.statuses[i], "target": r.targets[i]}
        target = src.phase.target(r.id)
        indicators.append({"id": r.id, "name": r.name, "unit": r.unit,
                           "target": target.to_dict() if target else None,
                           "by_year": by_year})
    clubs: dict[str, dict[str, Any]] = {}
    for y, d in src.data.items():
        for c in d.result.clubs:
            clubs.setdefault(c.club_id, dict.fromkeys(keys))[str(y)] = {
                "members": c.members, "dat_chuan": c.dat_chuan,
                "criteria_failed": list(c.criteria_failed)}
    last = src.data[src.last].result
    return {
        "commune": last.commune, "province": last.province, "phase": src.phase.id,
        "kind": src.kind, "years": list(src.years), "years_with_data": src.data_years,
        "indicators": indicators,
        "clubs": [{"club_id": code, "by_year": clubs[code]} for code in sorted(clubs)],
        "missing": {str(y): list(d.result.missing) for y, d in src.data.items()},
        "commune_figures": {k: (src.data[y].result.commune_figures() if y in src.data else None)
                            for k, y in zip(keys, src.years, strict=True)},
    }
