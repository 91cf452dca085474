"""Figures of one club and of the commune, from the typed records (docs/indicators.md#club-figures).

Vocabulary: CLB = câu lạc bộ (club); NCT = người cao tuổi (older person, age ≥ the plan's
NCT age); BCN = Ban chủ nhiệm (the club's board); thôn = village.

The period is the report year Y up to the as-of date A: members are *active* when they did
not leave before 01/01/Y and did not join after A (the one rule, `Member.active`);
meetings, trainings, outreach sessions and fund entries count when dated from 01/01/Y to A.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from fractions import Fraction
from functools import lru_cache
from operator import attrgetter
from typing import Any

from .. import schema as S
from ..model import Club, Member
from ..text import person_key
from .plan import Plan, Standard, exact


@dataclass(frozen=True, slots=True)
class Period:
    """Year Y and as-of date A (A inside Y)."""

    year: int
    as_of: dt.date

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    def counts(self, d: dt.date | None) -> bool:
        """A dated row counts when dated from 01/01/Y to A (undated rows never count)."""
        return d is not None and self.start <= d <= self.as_of

    def last_full_month(self) -> int:
        """The last month whose last day is ≤ A (0 when January has not ended)."""
        a = self.as_of
        month_end = calendar.monthrange(a.year, a.month)[1]
        return a.month if a.day == month_end else a.month - 1

    def months_required(self, founded: dt.date | None) -> list[int]:
        """Months that need a session: from January, or the founding month when the club
        was founded in Y, to the last month ended by A."""
        first = 1
        if founded is not None and founded.year == self.year:
            first = founded.month
        elif founded is not None and founded.year > self.year:
            return []
        return list(range(first, self.last_full_month() + 1))


def ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def share_at_least(num: int, den: int, lo: float) -> bool:
    """num/den ≥ lo, exactly."""
    if den > 0:  # (num × q ≥ p × den for lo = p/q: the comparison of the fractions, in ints)
        e = exact(lo)
        return num * e.denominator >= e.numerator * den
    return bool(den) and Fraction(num, den) >= exact(lo)


def share_between(num: int, den: int, lo: float, hi: float) -> bool:
    """lo ≤ num/den ≤ hi, exactly (0.50 and 0.60 are inside the band)."""
    if den > 0:
        a, b = exact(lo), exact(hi)
        return (a.numerator * den <= num * a.denominator
                and num * b.denominator <= b.numerator * den)
    return bool(den) and exact(lo) <= Fraction(num, den) <= exact(hi)


@dataclass(slots=True)
class MemberCounts:
    """Counts over a set of active members (one club, or all reported clubs pooled)."""

    total: int = 0
    by_sex: Counter[str] = field(default_factory=Counter)
    by_age: Counter[str] = field(default_factory=Counter)
    women: int = 0
    older: int = 0
    female_older: int = 0
    hardship: Counter[str] = field(default_factory=Counter)
    disability: int = 0
    lonely: int = 0
    volunteers: int = 0
    health_checks: int = 0
    needs_livelihood: int = 0
    got_livelihood: int = 0  # in need and supported (the ho_tro_sinh_ke numerator)
    board: int = 0
    board_trained: int = 0

    def add(self, other: MemberCounts) -> None:
        for name in _COUNT_FIELDS:
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, Counter):
                mine.update(theirs)
            else:
                setattr(self, name, mine + theirs)

    def to_dict(self, plan: Plan) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_sex": {g: self.by_sex.get(g, 0) for g in S.GENDERS},
            "by_age": {label: self.by_age.get(label, 0) for label in age_labels(plan.age_bands)},
            "women": self.women,
            "older": self.older,
            "female_older": self.female_older,
            "hardship": {h: self.hardship.get(h, 0) for h in S.HARDSHIP},
            "disability": self.disability,
            "lonely": self.lonely,
            "volunteers": self.volunteers,
            "health_checks": self.health_checks,
            "needs_livelihood": self.needs_livelihood,
            "got_livelihood": self.got_livelihood,
            "board": self.board,
            "board_trained": self.board_trained,
        }


_COUNT_FIELDS = tuple(f.name for f in fields(MemberCounts))  # (`fields` a call: 5 µs)


@lru_cache(maxsize=16)
def age_labels(bands: tuple[int, ...]) -> tuple[str, ...]:
    """(60, 70, 80) → ("<60", "60-69", "70-79", ">=80")."""
    inner = [f"{a}-{b - 1}" for a, b in zip(bands, bands[1:], strict=False)]
    return (f"<{bands[0]}", *inner, f">={bands[-1]}")


@lru_cache(maxsize=4096)
def age_label(age: int, bands: tuple[int, ...]) -> str:
    labels = age_labels(bands)
    for i, bound in enumerate(bands):
        if age < bound:
            return labels[i]
    return labels[-1]


@dataclass(slots=True)
class FundFigures:
    opening: float = 0
    receipts: float = 0
    payments: float = 0

    @property
    def closing(self) -> float:
        return self.opening + self.receipts - self.payments

    def to_dict(self) -> dict[str, float]:
        return {"opening": self.opening, "receipts": self.receipts, "payments": self.payments,
                "closing": self.closing}


@dataclass(slots=True)
class ClubFigures:
    """Everything computed for one reported club."""

    club_id: str
    name: str | None
    village: str | None
    path: str
    founded: dt.date | None
    people: MemberCounts
    months_required: list[int]
    months_met: list[int]
    contents_held: list[str]  # codes of the 8 contents, in ND1…ND8 order
    transformation: bool  # ≥ 1 session flagged digital/green transformation or start-up
    sessions: int
    attendance_total: int
    attendance_sessions: int
    trainings: Counter[str]
    outreach_sessions: int
    outreach_reached: int
    outreach_by_form: Counter[str]
    funds: dict[str, FundFigures]
    receipts_by_source: dict[str, float]
    member_contribution: bool  # a `Thành viên đóng góp` receipt dated in the period
    criteria: dict[str, bool] = field(default_factory=dict)  # filled by the registry

    @property
    def members(self) -> int:
        return self.people.total

    @property
    def monthly(self) -> bool:
        """A session in every required month (true when no month is required yet)."""
        met = set(self.months_met)
        return all(m in met for m in self.months_required)

    @property
    def all_contents(self) -> bool:
        return len(self.contents_held) == len(S.CONTENT_CODES)

    @property
    def female_older_share(self) -> float | None:
        return ratio(self.people.female_older, self.people.total)

    @property
    def older_share(self) -> float | None:
        return ratio(self.people.older, self.people.total)

    @property
    def women_share(self) -> float | None:
        return ratio(self.people.women, self.people.total)

    @property
    def board_trained_share(self) -> float | None:
        return ratio(self.people.board_trained, self.people.board)

    @property
    def average_attendance(self) -> float | None:
        return ratio(self.attendance_total, self.attendance_sessions)

    @property
    def criteria_failed(self) -> list[str]:
        return [c for c, ok in self.criteria.items() if not ok]

    @property
    def meets_standard(self) -> bool:
        return bool(self.criteria) and all(self.criteria.values())

    def fund_positive(self, standard: Standard) -> bool:
        floor = standard.fund_balance_above
        return all(self.funds[f].closing > floor for f in S.FUNDS)

    def to_dict(self, plan: Plan) -> dict[str, Any]:
        missing = [c for c in S.CONTENT_CODES if c not in self.contents_held]
        return {
            "club_id": self.club_id,
            "path": self.path,
            "founded": self.founded.isoformat() if self.founded else None,
            "members": self.people.to_dict(plan),
            "shares": {"older": self.older_share, "women": self.women_share,
                       "female_older": self.female_older_share,
                       "board_trained": self.board_trained_share},
            "monthly_meetings": self.monthly,
            "months_required": self.months_required,
            "months_met": self.months_met,
            "contents_held": self.contents_held,
            "contents_missing": missing,
            "transformation": self.transformation,
            "meetings": {"sessions": self.sessions, "average_attendance": self.average_attendance},
            "trainings": {k: self.trainings.get(k, 0) for k in S.TRAINING_KINDS},
            "outreach": {"sessions": self.outreach_sessions, "reached": self.outreach_reached,
                         "by_form": {f: n for f in S.OUTREACH_FORMS
                                     if (n := self.outreach_by_form.get(f, 0))}},
            "funds": {f: self.funds[f].to_dict() for f in S.FUNDS},
            "receipts_by_source": {s: v for s in (*S.FUND_SOURCES, "") if (v := self.receipts_by_source.get(s))},
            "member_contribution": self.member_contribution,
            "criteria": dict(self.criteria),
        }


def _trained_board(club: Club, board: list[Member], period: Period) -> int:
    """Active board members with initial training and, unless it was this year, a refresher.

    Initial: `Năm tập huấn ban đầu` ≤ Y, or a `Ban đầu` row in `Tập huấn`; initial in Y
    (`Năm tập huấn ban đầu` = Y or a `Ban đầu` row) needs no refresher; otherwise a
    `Nhắc lại` row in the period. Names match by `text.person_key`.
    """
    initial_rows: set[str] = set()
    refresher_rows: set[str] = set()
    start, end = period.start, period.as_of
    for t in club.trainings:
        if not t.name or t.date is None or not start <= t.date <= end:  # Period.counts
            continue
        if t.kind == S.TRAINING_INITIAL:
            initial_rows.add(person_key(t.name))
        elif t.kind == S.TRAINING_REFRESHER:
            refresher_rows.add(person_key(t.name))
    trained = 0
    for m in board:
        k = person_key(m.name) if m.name else None
        year_ = m.initial_training_year
        initial_this_year = year_ == period.year or (k is not None and k in initial_rows)
        initial = initial_this_year or (year_ is not None and year_ <= period.year)
        refresher = k is not None and k in refresher_rows
        if initial and (initial_this_year or refresher):
            trained += 1
    return trained


def member_counts(club: Club, period: Period, plan: Plan) -> MemberCounts:
    # One pass with local counters (this runs for every member of every club).
    c = MemberCounts()
    start, end = period.start, period.as_of
    year, bands, nct_age = period.year, plan.age_bands, plan.nct_age
    female_ = S.FEMALE
    by_sex, by_age, hardship = c.by_sex, c.by_age, c.hardship
    total = women = older = female_older = 0
    disability = lonely = volunteers = health_checks = needs = got = 0
    board: list[Member] = []
    for m in club.members:
        if not m.active(start, end):  # the one rule, `Member.active`
            continue
        total += 1
        gender = m.gender
        female = gender == female_
        if gender:
            by_sex[gender] += 1
        if female:
            women += 1
        if m.birth_year is not None:
            age = year - m.birth_year
            by_age[age_label(age, bands)] += 1
            if age >= nct_age:
                older += 1
                if female:
                    female_older += 1
        if m.hardship:
            hardship[m.hardship] += 1
        disability += m.disability
        lonely += m.lonely
        volunteers += m.volunteer
        health_checks += m.health_check
        if m.needs_livelihood:
            needs += 1
            got += m.got_livelihood
        if m.role:  # Member.on_board
            board.append(m)
    c.total, c.women, c.older, c.female_older = total, women, older, female_older
    c.disability, c.lonely, c.volunteers, c.health_checks = disability, lonely, volunteers, health_checks
    c.needs_livelihood, c.got_livelihood = needs, got
    c.board = len(board)
    c.board_trained = _trained_board(club, board, period)
    return c


_CONTENT_FLAGS = attrgetter(*S.CONTENT_CODES)
_TRANSFORMATION_FLAGS = attrgetter(*S.TRANSFORMATION_CODES)


# long: one pass over each sheet of the club, on the hot path of 20,000 clubs: split, each pass would walk the rows again
def club_figures(club: Club, period: Period, plan: Plan) -> ClubFigures:
    """The figures of one reported club over the period."""
    info = club.info
    months: set[int] = set()
    contents: set[str] = set()
    transformation = False
    sessions = attendance_total = attendance_sessions = 0
    start, end = period.start, period.as_of
    for mt in club.meetings:
        d = mt.date
        if d is None or not start <= d <= end:  # Period.counts
            continue
        sessions += 1
        months.add(d.month)
        contents.update(  # Meeting.contents
            code for code, held in zip(S.CONTENT_CODES, _CONTENT_FLAGS(mt), strict=True) if held)
        transformation = transformation or any(_TRANSFORMATION_FLAGS(mt))  # Meeting.transformation
        if mt.attendance is not None:
            attendance_total += mt.attendance
            attendance_sessions += 1

    trainings: Counter[str] = Counter(
        t.kind for t in club.trainings
        if t.kind and (d := t.date) is not None and start <= d <= end)
    outreach = [o for o in club.outreach if (d := o.date) is not None and start <= d <= end]
    by_form: Counter[str] = Counter(o.form for o in outreach if o.form)

    funds = {S.FUND_ACTIVITY: FundFigures(opening=info.opening_activity or 0),
             S.FUND_INCOME: FundFigures(opening=info.opening_income or 0)}
    # int, not float: whole đồng add up exactly however large the sum (a float keeps 15-16
    # digits: 20,000 clubs' receipts would show the wrong last digits)
    by_source: defaultdict[str, float] = defaultdict(int)
    contribution = False
    for e in club.fund:
        d = e.date
        if d is None or not start <= d <= end or e.fund not in funds or not e.amount:
            continue
        if e.direction == S.RECEIPT:
            funds[e.fund].receipts += e.amount
            by_source[e.source or ""] += e.amount
            contribution = contribution or e.source == S.MEMBER_CONTRIBUTION
        elif e.direction == S.PAYMENT:
            funds[e.fund].payments += e.amount

    return ClubFigures(
        club_id=club_key(info.club_id),
        name=info.name,
        village=info.village,
        path=club.path,
        founded=info.founded,
        people=member_counts(club, period, plan),
        months_required=period.months_required(info.founded),
        months_met=sorted(months),
        contents_held=[c for c in S.CONTENT_CODES if c in contents],
        transformation=transformation,
        sessions=sessions,
        attendance_total=attendance_total,
        attendance_sessions=attendance_sessions,
        trainings=trainings,
        outreach_sessions=len(outreach),
        outreach_reached=sum(o.reached or 0 for o in outreach),
        outreach_by_form=by_form,
        funds=funds,
        receipts_by_source=dict(by_source),
        member_contribution=contribution,
    )


def club_key(club_id: str | None) -> str:
    """How club codes are compared (the reader upper-cases them already)."""
    return (club_id or "").strip().upper()
