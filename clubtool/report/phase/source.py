"""What every section of the phase review reads: each year's typed indicator result and
commune workbook, the phase, the plan.

Nothing here recomputes a definition of the plan: each year's figures are that year's
`IndicatorResult` (as `clubtool.job.compute` gives it) and its `CommuneTotals` (the same
sums the annual report shows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..context.common import PER_CLUB_LIMIT
from ..context.totals import CommuneTotals

if TYPE_CHECKING:
    from ...indicators import IndicatorResult, Phase, Plan
    from ...indicators.context import KnownClub
    from ...model import Commune

SO_KET, TONG_KET = "so_ket", "tong_ket"
KIND_WORDS = {SO_KET: "Sơ kết", TONG_KET: "Tổng kết"}


@dataclass(frozen=True)
class YearData:
    """One year of the phase: its indicators and its commune workbook's records."""

    result: IndicatorResult  # that year's indicators (as `clubtool.job.compute` gives)
    commune: Commune | None  # that year's commune workbook (awards, registry…), if usable


class PhaseInputError(ValueError):
    """The years given do not fit the phase; the message is for the officer."""


def review_kind(phase: Phase, plan: Plan) -> str:
    """"tong_ket" when the phase ends with the plan (2031–2035, 2026–2035), else "so_ket"."""
    end = max((p.last_year for p in plan.phases), default=phase.last_year)
    return TONG_KET if phase.last_year >= end else SO_KET


@dataclass(slots=True)
class PhaseSource:
    phase: Phase
    plan: Plan
    kind: str
    years: list[int]  # every year of the phase
    data: dict[int, YearData]  # the years with data, in order
    today: dt.date
    limit: int  # the per-club limit of the documents
    totals: dict[int, CommuneTotals] = field(default_factory=dict)

    @property
    def data_years(self) -> list[int]:
        return list(self.data)

    @property
    def first(self) -> int:
        return self.data_years[0]

    @property
    def last(self) -> int:
        return self.data_years[-1]

    def result(self, year: int) -> IndicatorResult | None:
        d = self.data.get(year)
        return d.result if d is not None else None

    def phase_of(self, year: int) -> Phase:
        """The plan's phase holding `year` (that year's targets)."""
        r = self.result(year)
        return r.phase if r is not None else self.plan.phase_for(year)

    @property
    def last_commune(self) -> Commune | None:
        """The latest commune workbook given: the document's head and signature."""
        for y in reversed(self.data_years):
            if (c := self.data[y].commune) is not None:
                return c
        return None

    def known(self) -> dict[str, KnownClub]:
        """Every club known in some year (reported or in the registry), by code; the
        latest year's view of a club wins (a dissolution is only in later registries)."""
        out: dict[str, KnownClub] = {}
        for y in self.data_years:
            for k in self.data[y].result.context.known:
                out[k.club_id] = k
        return {code: out[code] for code in sorted(out)}


def read_phase_source(years: dict[int, YearData | None], phase: Phase, plan: Plan,
                      today: dt.date | None, per_club_limit: int | None) -> PhaseSource:
    """Check the years given (PhaseInputError) and gather what the sections read."""
    span = f"{phase.first_year}–{phase.last_year}"
    for y, d in years.items():
        if not phase.covers(y):
            raise PhaseInputError(f"Năm {y} không thuộc giai đoạn {span}.")
        if d is not None and d.result.year != y:
            raise PhaseInputError(f"Số liệu ghi cho năm {y} là của năm {d.result.year}.")
    data = {y: d for y in sorted(years) if (d := years[y]) is not None}
    if not data:
        raise PhaseInputError(f"Chưa có số liệu năm nào của giai đoạn {span}: chưa lập được "
                              "báo cáo. Hãy lưu trữ báo cáo của các năm (clubtool archive).")
    limit = PER_CLUB_LIMIT if per_club_limit is None else per_club_limit
    if limit < 0:
        raise PhaseInputError(f"Giới hạn số câu lạc bộ ({limit}) phải là số không âm.")
    if today is None:
        from ...indicators.compute import clock_today  # looked up late: tests replace it

        today = clock_today()
    return PhaseSource(
        phase=phase, plan=plan, kind=review_kind(phase, plan),
        years=list(range(phase.first_year, phase.last_year + 1)), data=data, today=today,
        limit=limit, totals={y: CommuneTotals.of(d.result) for y, d in data.items()})
