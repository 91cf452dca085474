"""Years side by side (`clubtool indicators --years 2026-2030`): every indicator and every
club over several years, each year from its own `IndicatorResult`.

    from clubtool.years import parse_years, years_side_by_side
    years = parse_years("2026-2030")                      # range(2026, 2031), or ValueError
    yr = years_side_by_side({2026: r26, 2027: r27, 2028: None}, years=years, plan=plan)
    yr.to_dict()  # the JSON of `clubtool indicators --years … --format json`

Nothing is added up or averaged across years: each year keeps its own numerator and
denominator, judged against its own phase (a phase-cumulative target reads
`dang_thuc_hien` before the phase's last year). A year the archive has no data for (`None`)
has empty cells (`khong_co_du_lieu`) and is listed in `missing_years`. The status "at the
end of the range" is that of the last year with data (`status_year`); the target is the
one of the phase holding the range's last year (`phase`).

No rich, no I/O: `clubtool.render.years` draws it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .indicators.compute import KHONG_CO_DU_LIEU
from .indicators.figures import club_key
from .indicators.plan import PlanError
from .indicators.registry import INDICATORS

if TYPE_CHECKING:
    from .indicators import IndicatorResult, IndicatorValue, Phase, Plan, Target
    from .indicators.plan import Unit

__all__ = ["MAX_YEARS", "YEAR_MAX", "YEAR_MIN", "ClubYear", "YearCell", "YearsClub",
           "YearsIndicator", "YearsResult", "parse_years", "years_side_by_side"]

YEAR_MIN, YEAR_MAX = 1990, 2100
#: At most this many years at once (two five-year phases).
MAX_YEARS = 10

_YEARS = re.compile(r"([0-9]{4})(?:\s*[-–—]\s*([0-9]{4}))?")


def parse_years(text: str) -> range:
    """"2026-2030" → range(2026, 2031); "2027" → range(2027, 2028). ValueError with a
    Vietnamese message when the text is no year span, a year is outside 1990–2100, the
    first year is after the last, or the span has more than 10 years."""
    m = _YEARS.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"--years phải là một năm hoặc hai năm nối bằng dấu gạch ngang, "
                         f"ví dụ 2026-2030 hoặc 2027 (đang ghi “{text}”).")
    first = int(m[1])
    last = int(m[2]) if m[2] else first
    for y in (first, last):
        if not YEAR_MIN <= y <= YEAR_MAX:
            raise ValueError(f"--years: năm {y} nằm ngoài khoảng {YEAR_MIN}–{YEAR_MAX}.")
    if first > last:
        raise ValueError(f"--years: năm đầu {first} sau năm cuối {last}; "
                         f"hãy ghi {last}-{first}.")
    if last - first + 1 > MAX_YEARS:
        raise ValueError(f"--years: tối đa {MAX_YEARS} năm một lần, đang hỏi "
                         f"{last - first + 1} năm ({first}-{last}); hãy chia thành nhiều lần, "
                         f"ví dụ {first}-{first + MAX_YEARS - 1}.")
    return range(first, last + 1)


@dataclass(frozen=True, slots=True)
class YearCell:
    """One indicator in one year: that year's own figures and status. `target`: the one the
    status was judged against (that year's phase), for the CSV."""

    numerator: int | None
    denominator: int | None
    value: float | int | None
    status: str
    target: Target | None = None

    @classmethod
    def of(cls, v: IndicatorValue) -> YearCell:
        return cls(v.numerator, v.denominator, v.value, v.status, v.target)

    @classmethod
    def empty(cls, target: Target | None = None) -> YearCell:
        """A year without data in the archive."""
        return cls(None, None, None, KHONG_CO_DU_LIEU, target)

    def to_dict(self) -> dict[str, Any]:
        return {"numerator": self.numerator, "denominator": self.denominator,
                "value": self.value, "status": self.status}


@dataclass(slots=True)
class YearsIndicator:
    """One indicator over the years. `name`: the plan's wording in the range's last phase
    (as in the indicators' JSON); `label`: the short name of the registry (for tables)."""

    id: str
    name: str
    label: str
    unit: Unit
    target: Target | None  # the phase target (`YearsResult.phase`)
    cumulative: bool  # the target is for the whole phase, judged at its last year
    status: str  # at the end of the range: the status of `YearsResult.status_year`
    by_year: dict[int, YearCell]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name,
                "target": self.target.to_dict() if self.target else None,
                "status": self.status,
                "by_year": {str(y): c.to_dict() for y, c in self.by_year.items()}}


@dataclass(frozen=True, slots=True)
class ClubYear:
    members: int
    dat_chuan: bool
    criteria_failed: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"members": self.members, "dat_chuan": self.dat_chuan,
                "criteria_failed": list(self.criteria_failed)}


@dataclass(slots=True)
class YearsClub:
    """A club over the years: only the years it is in (`missing_years`: the others)."""

    club_id: str
    name: str | None  # from the latest year the club is in
    village: str | None
    by_year: dict[int, ClubYear]
    missing_years: list[int]

    def to_dict(self) -> dict[str, Any]:
        return {"club_id": self.club_id,
                "by_year": {str(y): c.to_dict() for y, c in self.by_year.items()},
                "missing_years": list(self.missing_years)}


@dataclass(slots=True)
class YearsResult:
    commune: str
    province: str | None
    years: range
    phase: Phase  # the phase holding the range's last year: where the targets come from
    indicators: list[YearsIndicator]
    clubs: list[YearsClub]
    missing_years: list[int]  # years of the range the archive has no data for
    status_year: int | None  # the last year with data: the statuses at the end are its own
    results: dict[int, IndicatorResult | None] = field(repr=False, default_factory=dict)

    @property
    def has_data(self) -> bool:
        return self.status_year is not None

    def indicator(self, indicator_id: str) -> YearsIndicator:
        for v in self.indicators:
            if v.id == indicator_id:
                return v
        raise KeyError(indicator_id)

    def to_dict(self) -> dict[str, Any]:
        """{"commune", "province", "years", "phase", "missing_years", "indicators": [{"id",
        "name", "target", "status", "by_year": {"2026": {"numerator", "denominator",
        "value", "status"}, …}}], "clubs": [{"club_id", "by_year": {"2026": {"members",
        "dat_chuan", "criteria_failed"}, …}, "missing_years"}]}."""
        return {
            "commune": self.commune,
            "province": self.province,
            "years": list(self.years),
            "phase": self.phase.id,
            "missing_years": list(self.missing_years),
            "indicators": [v.to_dict() for v in self.indicators],
            "clubs": [c.to_dict() for c in self.clubs],
        }


def years_side_by_side(results: Mapping[int, IndicatorResult | None], *, years: range,
                       plan: Plan) -> YearsResult:
    """Each year's results side by side. `results`: year → that year's result, or None (or
    absent) when the archive has no data for it. ValueError: an empty range, a result for a
    year outside the range or filed under another year; PlanError: the range's last year is
    in no phase of the plan."""
    if not years:
        raise ValueError("years: empty range")
    for y, r in results.items():
        if y not in years:
            raise ValueError(f"a result for {y}, outside {years[0]}-{years[-1]}")
        if r is not None and r.year != y:
            raise ValueError(f"the result filed under {y} is for {r.year}")
    by_year = {y: results.get(y) for y in years}
    have = [y for y, r in by_year.items() if r is not None]
    last = have[-1] if have else None
    phase = plan.phase_for(years[-1])

    indicators = []
    for ind in INDICATORS:
        pi = phase.indicators.get(ind.id)
        cells = {}
        for y, r in by_year.items():
            cells[y] = (YearCell.of(r.indicator(ind.id)) if r is not None
                        else YearCell.empty(_target(plan, y, ind.id)))
        indicators.append(YearsIndicator(
            id=ind.id, name=pi.name if pi and pi.name else ind.name, label=ind.name,
            unit=ind.unit, target=pi.target if pi else None, cumulative=bool(pi and pi.cumulative),
            status=cells[last].status if last is not None else KHONG_CO_DU_LIEU,
            by_year=cells))

    latest = by_year[last] if last is not None else None
    return YearsResult(
        commune=latest.commune if latest is not None else plan.commune,
        province=latest.province if latest is not None else plan.province,
        years=years, phase=phase, indicators=indicators, clubs=_clubs(by_year),
        missing_years=[y for y, r in by_year.items() if r is None], status_year=last,
        results=by_year)


def _target(plan: Plan, year: int, indicator_id: str) -> Target | None:
    """The target a year would be judged against (None: no phase holds the year)."""
    try:
        return plan.phase_for(year).target(indicator_id)
    except PlanError:
        return None


def _clubs(by_year: Mapping[int, IndicatorResult | None]) -> list[YearsClub]:
    """The clubs of every year, by club code; each with the years it is in."""
    clubs: dict[str, YearsClub] = {}
    for y, r in by_year.items():  # in year order: name and village end as the latest
        for c in r.clubs if r is not None else ():
            key = club_key(c.club_id)
            club = clubs.setdefault(key, YearsClub(c.club_id, c.name, c.village, {}, []))
            club.by_year[y] = ClubYear(c.members, c.dat_chuan, tuple(c.criteria_failed))
            club.name = c.name or club.name
            club.village = c.village or club.village
    for club in clubs.values():
        club.missing_years = [y for y in by_year if y not in club.by_year]
    return [clubs[k] for k in sorted(clubs)]
