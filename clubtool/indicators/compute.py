"""`compute_indicators()`: the plan's indicators for one year, per commune and per club."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .. import schema as S
from ..i18n import msg
from ..model import Club, Commune, compact_pickling
from ..vnformat import short_date
from .context import Context, KnownClub
from .figures import ClubFigures, FundFigures, MemberCounts, Period, club_figures
from .plan import COUNT, Phase, Plan, Target, Unit, default_plan
from .registry import INDICATORS, assess

DAT = "dat"
CHUA_DAT = "chua_dat"
KHONG_CO_DU_LIEU = "khong_co_du_lieu"
KHONG_CO_CHI_TIEU = "khong_co_chi_tieu"
#: A phase-cumulative target (plan: `cumulative = true`) before the phase's last year.
DANG_THUC_HIEN = "dang_thuc_hien"
STATUSES = (DAT, CHUA_DAT, DANG_THUC_HIEN, KHONG_CO_DU_LIEU, KHONG_CO_CHI_TIEU)


@dataclass(slots=True)
class IndicatorValue:
    id: str
    name: str
    unit: Unit
    numerator: int | None
    denominator: int | None  # None for a count
    value: float | int | None  # unrounded; None when there is no data
    target: Target | None  # None: no target in this phase
    status: str
    text: str | None = None  # the plan's full sentence, when it gives one
    commune_level: bool = False
    cumulative: bool = False  # the target is for the whole phase (judged at its last year)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "numerator": self.numerator,
                "denominator": self.denominator, "value": self.value,
                "target": self.target.to_dict() if self.target else None, "status": self.status}


@dataclass(slots=True)
class ClubResult:
    club_id: str
    name: str | None
    village: str | None
    figures: ClubFigures
    province: str | None = None  # a club's identity is (province, commune, code)
    commune: str | None = None

    @property
    def members(self) -> int:
        return self.figures.members

    @property
    def dat_chuan(self) -> bool:
        return self.figures.meets_standard

    @property
    def criteria_failed(self) -> list[str]:
        return self.figures.criteria_failed

    @property
    def values(self) -> dict[str, Any]:
        f = self.figures
        return {
            "nu_nct": f.female_older_share,
            "du_8_noi_dung": f.all_contents,
            "sinh_hoat_hang_thang": f.monthly,
            "cds_xanh_khoi_nghiep": f.transformation,
            "bcn_tap_huan": f.board_trained_share,
            "nct": f.older_share,
            "nu": f.women_share,
            "quy": f.criteria.get("quy", False),
            "dong_gop": f.member_contribution,
        }

    def to_dict(self) -> dict[str, Any]:
        return {"club_id": self.club_id, "province": self.province, "commune": self.commune,
                "name": self.name, "village": self.village,
                "members": self.members, "values": self.values, "dat_chuan": self.dat_chuan,
                "criteria_failed": self.criteria_failed}


@dataclass(slots=True)
class IndicatorResult:
    commune: str
    year: int
    phase: Phase
    as_of: dt.date
    indicators: list[IndicatorValue]
    clubs: list[ClubResult]
    excluded: list[tuple[str, str]]
    missing: list[str]
    plan: Plan
    context: Context = field(repr=False)
    #: What the reader must know about these figures (an as-of date after today…), in
    #: Vietnamese; never printed here (the CLI prints them, the JSON carries them).
    warnings: list[str] = field(default_factory=list)
    province: str | None = None
    #: Valid files not counted because another copy of the same club's workbook counts
    #: (docs/workbooks.md#across-files): (path, reason).
    not_counted: list[tuple[str, str]] = field(default_factory=list)

    def to_pandas(self) -> Any:
        """One row per indicator, for analysts (`clubtool.analysis.indicators_frame`;
        pandas is imported only here)."""
        from ..analysis import indicators_frame

        return indicators_frame(self)

    def indicator(self, indicator_id: str) -> IndicatorValue:
        for v in self.indicators:
            if v.id == indicator_id:
                return v
        raise KeyError(indicator_id)

    def known_club(self, club_id: str) -> KnownClub | None:
        """A known club (reported or in the registry) by its code."""
        return self.context.known_by_id.get(club_id)

    @property
    def has_commune(self) -> bool:
        return self.context.commune is not None

    def commune_figures(self) -> dict[str, Any]:
        """Figures of the general situation (members by sex, age band, hardship, meetings,
        trainings, outreach, funds by source, clubs known/expected/missing/new)."""
        ctx = self.context
        clubs = ctx.clubs
        funds: dict[str, dict[str, float]] = {
            fund: {k: sum(c.funds[fund].to_dict()[k] for c in clubs)
                   for k in ("opening", "receipts", "payments", "closing")}
            for fund in S.FUNDS}
        by_source: dict[str, float] = {}
        for c in clubs:
            for src, amount in c.receipts_by_source.items():
                by_source[src] = by_source.get(src, 0) + amount
        sessions = sum(c.sessions for c in clubs)
        att_sessions = sum(c.attendance_sessions for c in clubs)
        out: dict[str, Any] = {
            "clubs": {
                "reported": len(clubs),
                "known": len(ctx.known),
                "expected": len(ctx.expected),
                "missing": len(ctx.missing),
                "dissolved": sum(1 for k in ctx.known if k.dissolved and k.dissolved <= ctx.as_of),
                "standard": sum(c.meets_standard for c in clubs),
                "new_in_phase": [k.club_id for k in ctx.new_clubs],
                "new_in_year": [k.club_id for k in ctx.new_clubs
                                if k.founded and k.founded.year == self.year],
            },
            "members": ctx.people.to_dict(self.plan),
            "meetings": {
                "sessions": sessions,
                "average_attendance": (sum(c.attendance_total for c in clubs) / att_sessions
                                       if att_sessions else None),
                "clubs_monthly": sum(c.monthly for c in clubs),
                "clubs_all_contents": sum(c.all_contents for c in clubs),
                "clubs_transformation": sum(c.transformation for c in clubs),
            },
            "trainings": {k: sum(c.trainings.get(k, 0) for c in clubs) for k in S.TRAINING_KINDS},
            "outreach": {"sessions": sum(c.outreach_sessions for c in clubs),
                         "reached": sum(c.outreach_reached for c in clubs)},
            "funds": {"by_fund": funds,
                      "receipts_by_source": {s: by_source[s] for s in (*S.FUND_SOURCES, "")
                                             if s in by_source},
                      "receipts": sum(f["receipts"] for f in funds.values()),
                      "payments": sum(f["payments"] for f in funds.values())},
        }
        commune = ctx.commune
        if commune is not None:
            out["villages"] = {
                "total": len([v for v in commune.villages if v.name]),
                "older_people": sum(v.older_people or 0 for v in commune.villages),
                "outreach_target": sum(v.outreach_target or 0 for v in commune.villages),
                "outreach_reached": sum(v.outreach_reached or 0 for v in commune.villages),
            }
            out["officials"] = {"total": len(commune.officials),
                                "trained": sum(o.trained for o in commune.officials)}
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of docs/indicators.md#json-output, plus `plan`, `commune_figures` and `club_figures`."""
        return {
            "commune": self.commune,
            "province": self.province,
            "year": self.year,
            "phase": self.phase.id,
            "as_of": self.as_of.isoformat(),
            "indicators": [v.to_dict() for v in self.indicators],
            "clubs": [c.to_dict() for c in self.clubs],
            "excluded": [{"path": p, "reason": r} for p, r in self.excluded],
            "missing": list(self.missing),
            "not_counted": [{"path": p, "reason": r} for p, r in self.not_counted],
            "warnings": list(self.warnings),
            "plan": {
                "title": self.plan.title,
                "source": self.plan.source,
                "phase_title": self.phase.title,
                "phase_last_year": self.phase.last_year,
                "nct_age": self.plan.nct_age,
                "indicators": {v.id: {"unit": v.unit, "text": v.text,
                                      "cumulative": v.cumulative,
                                      "commune_level": v.commune_level}
                               for v in self.indicators},
            },
            "commune_figures": self.commune_figures(),
            "club_figures": {c.club_id: c.figures.to_dict(self.plan) for c in self.clubs},
        }


def resolve_period(year: int, as_of: dt.date | None = None, plan: Plan | None = None,
                   today: dt.date | None = None) -> tuple[Period, Plan]:
    """The period and plan `compute_indicators` uses (ValueError: as-of outside the year)."""
    plan = plan or default_plan()
    as_of = as_of or default_as_of(year, today)
    if as_of.year != year:
        raise ValueError(
            f"Ngày tính {short_date(as_of)} không thuộc năm {year}: "
            f"hãy chọn một ngày từ 01/01/{year} đến 31/12/{year}.")
    return Period(year, as_of), plan


@dataclass(frozen=True, slots=True)
class FiguresFor:
    """`validate(..., summarise=FiguresFor(period, plan))`: each club's figures computed
    where the club is read (in the worker processes), for `indicators_for` to use."""

    period: Period
    plan: Plan

    def __call__(self, club: Club) -> ClubSummary:
        return ClubSummary(self.period, self.plan, club_figures(club, self.period, self.plan))


@dataclass(frozen=True, slots=True)
class ClubSummary:
    """A club's figures and the period and plan they were computed for."""

    period: Period
    plan: Plan
    figures: ClubFigures


def clock_today() -> dt.date:
    """Today, from the clock: the one place the indicators and the report read it (tests
    replace it, or pass `today=`)."""
    return dt.date.today()


def default_as_of(year: int, today: dt.date | None = None) -> dt.date:
    """31/12 of the year, or today when today falls inside the year."""
    today = today or clock_today()
    return today if today.year == year else dt.date(year, 12, 31)


def status_of(value: Fraction | int | None, target: Target | None,
              in_progress: bool = False) -> str:
    """The status of a value against its target. `in_progress`: a phase-cumulative target
    before the phase's last year, which is never judged early (even when already met)."""
    if target is None:
        return KHONG_CO_CHI_TIEU
    if value is None:
        return KHONG_CO_DU_LIEU
    if in_progress:
        return DANG_THUC_HIEN
    return DAT if target.met(value) else CHUA_DAT


def date_warnings(year: int, as_of: dt.date, today: dt.date) -> list[str]:
    """Warnings on the as-of date: after today, the figures are an estimate (and when the
    year has not begun there is no as-of date that is not in the future)."""
    if as_of <= today:
        return []
    return [msg("msg.estimate_not_begun" if today < dt.date(year, 1, 1) else "msg.estimate",
                as_of=short_date(as_of), today=short_date(today), year=year)]


def compute_indicators(clubs: Sequence[Club], commune: Commune | None, *, year: int,
                       as_of: dt.date | None = None, plan: Plan | None = None,
                       excluded: Sequence[tuple[str, str]] = (),
                       today: dt.date | None = None,
                       figures: Mapping[str, ClubFigures] | None = None) -> IndicatorResult:
    """The plan's indicators for `year` from the reported (valid) clubs and the commune.

    `as_of` defaults to 31/12/year, or today when today is inside the year; it must fall
    inside the year (ValueError otherwise). The phase follows from the year (PlanError when
    the plan has none for it). `excluded` lists (path, reason) of files left out, as shown.
    The result does not depend on the order of `clubs`. `figures` (club path → figures
    already computed for this period and plan, see `FiguresFor`) spares recomputing them.
    A target the plan marks `cumulative` reads `dang_thuc_hien` before the phase's last
    year. `today` (default: the clock) decides the default as-of date and the warnings.
    """
    today = today or clock_today()
    period, plan = resolve_period(year, as_of, plan, today)
    ctx = Context.build(clubs, commune, period, plan, figures)
    # A phase-cumulative target is judged in the phase's last year only.
    early = year < ctx.phase.last_year
    for c in ctx.clubs:
        assess(c, plan.standard)

    values = []
    for ind in INDICATORS:
        pi = ctx.phase.indicators.get(ind.id)
        target = pi.target if pi else None
        raw = None if ind.commune_level and commune is None else ind.compute(ctx)
        num: int | None
        den: int | None
        value: float | int | None
        exact: Fraction | int | None
        if raw is None:
            num = den = value = exact = None
        elif ind.unit == COUNT:
            assert isinstance(raw, int)
            num, den, value, exact = raw, None, raw, raw
        else:
            assert isinstance(raw, tuple)
            num, den = raw
            exact = Fraction(num, den) if den else None
            value = num / den if den else None
        cumulative = bool(pi and pi.cumulative)
        values.append(IndicatorValue(
            id=ind.id, name=(pi.name if pi and pi.name else ind.name), unit=ind.unit,
            numerator=num, denominator=den, value=value, target=target,
            status=status_of(exact, target, in_progress=cumulative and early),
            text=pi.text if pi else None, commune_level=ind.commune_level,
            cumulative=cumulative))

    name = commune.info.commune if commune is not None and commune.info.commune else plan.commune
    province = commune.info.province if commune is not None else None
    return IndicatorResult(
        commune=name, year=year, phase=ctx.phase, as_of=period.as_of, indicators=values,
        clubs=[ClubResult(c.club_id, c.name, c.village, c, province,
                          name if commune is not None else None) for c in ctx.clubs],
        province=province,
        excluded=list(excluded), missing=ctx.missing if commune is not None else [],
        plan=plan, context=ctx, warnings=date_warnings(year, period.as_of, today))


# A club's figures travel from the workers and sit in the cache: pickled compactly.
compact_pickling(ClubSummary, ClubFigures, FundFigures, MemberCounts, Period)
