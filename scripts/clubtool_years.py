"""Five years of fictitious data for xã Mai Hoa (Hà Tĩnh), 2026–2030 (issue 14, point 6).

For the archive (every year kept) and the phase review (2026–2030): each year Y a folder
`<Y>/` holding the commune workbook `xa_mai_hoa_<Y>.xlsx` and the workbook of every club
that reports that year, `clb_<code>_<Y>.xlsx`. Every workbook is valid (the mistakes are
shown by the 2027 set of `sample_data/`, written by `clubtool_sample.py`); what this data
shows is change from year to year. The clubs (`STORIES`):

| club  | village        | 2026–2030                                                              |
|-------|----------------|------------------------------------------------------------------------|
| MH-01 | Thôn Trung Hòa | recognised in 2025, meets the standard every year; new Thư ký in 2029 |
| MH-02 | Thôn Đông Thịnh | 47 members in 2026 (under 50); meets the standard from 2027          |
| MH-03 | Thôn Tân Phúc  | women of NCT age 65% → 56% (younger members join); standard from 2028  |
| MH-04 | Thôn Yên Mỹ    | small (34 → 48); **sends nothing for 2029**, back in 2030               |
| MH-05 | Thôn Bắc Sơn   | misses a refresher (2026), no meeting in August 2027 (flood); standard from 2028; four members of MH-06 join in 2029 |
| MH-06 | Thôn Hòa Lạc   | shrinking, months without meetings, no ND8; **dissolved 20/01/2029**: last report 2028, `Ngày giải thể` in the registry from 2029 |
| MH-07 | Thôn Kim Quang | no home care (ND6) until 2028; standard from 2029                      |
| MH-08 | Thôn Phú Hải   | older people under 60% until 2029; standard in 2030                    |
| MH-09 | Thôn Thanh Lộc | **founded 15/04/2028**: reports and is registered from 2028 (31 → 46)  |

So the clubs meeting the standard are 1, 2, 4, 5, 6 in 2026 … 2030 (`standard_by_year`),
`clb_thanh_lap_moi` is 1 from 2028. Members are one roster per club kept across the years:
the same people (names, years of birth, dates of joining) from one year to the next, new
members joining with dates in the year, a few leaving (listed the year after with their
`Ngày ra CLB`, then dropped); each year's composition (women, older people, women of NCT
age) is what the club's story says. Funds carry over (closing balance = next opening),
loans outstanding at the year's end are repaid early the next year, so both funds grow.
The commune workbook: villages whose outreach improves, the registry, officials (one new
and not yet trained in 2026 and in 2029), awards (`Khen thưởng`) in 2027–2030.

Sizes are 31–69 active members, not fewer: the standard asks for 50–70, and a club
crossing 50 is how the standard is met by more clubs over time. Writing the five years
(45 workbooks) takes 2–3 seconds, nearly all of it openpyxl building and saving them.

Deterministic like `clubtool_sample`: every value comes from a `random.Random` seeded from
(seed, what is generated), saved times are fixed, so the same seed gives the same bytes.
The roster is always simulated from 2026, so a year's files do not depend on which other
years are written.

Usage: `python scripts/clubtool_years.py OUT_DIR [--seed N]`; from Python
`write_years(folder)` (`scripts/` on `sys.path`, as for `clubtool_sample`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

try:
    import clubtool_sample as sample
except ModuleNotFoundError:  # imported from elsewhere than scripts/ or the tests
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import clubtool_sample as sample

from clubtool import schema

FIRST_YEAR = 2026
LAST_YEAR = 2030
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
DEFAULT_SEED = 2026

VILLAGES = sample.VILLAGES
CHAIR, VICE, SECRETARY, TREASURER, BOARD_MEMBER = schema.BOARD_ROLES
_ND6 = schema.CONTENT_CODES[5]  # cham_soc_tai_nha (home care)
_ND8 = schema.CONTENT_CODES[7]  # quyen_loi
_X = schema.YES_MARK

Kind = tuple[bool, bool]  # (female, older) of a member in a given year
Share = float | tuple[float, ...]  # one value, or one a year 2026…2030


# --- what happens to each club ------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """One club's five years."""

    index: int
    village: str
    sizes: tuple[int, ...]  # active members in 2026 … 2030; 0 = no club that year
    women: Share  # shares of the active members
    older: Share
    female_older: Share
    founded: dt.date | None = None  # None: a date of 2016–2024 (drawn)
    dissolved: dt.date | None = None  # registry's `Ngày giải thể`, from its year on
    silent: tuple[int, ...] = ()  # years the club sends no workbook
    missing_months: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    missing_contents: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    transformation_from: int = FIRST_YEAR  # first year with digital/green/start-up sessions
    skip_refresher: Mapping[int, str] = field(default_factory=dict)  # year → board role
    new_board: Mapping[int, str] = field(default_factory=dict)  # year → role handed over
    joins_from: tuple[str, int, int] | None = None  # (club id, year, members) moving in
    recognised: int | None = None  # recognised as meeting the standard before 2026
    standard: tuple[int, ...] = ()  # the years it meets the standard (what the tests check)

    @property
    def club_id(self) -> str:
        return f"MH-{self.index:02d}"

    def size(self, year: int) -> int:
        return self.sizes[year - FIRST_YEAR] if year in YEARS else 0

    def reports(self, year: int) -> bool:
        return self.size(year) > 0 and year not in self.silent

    def recognised_in(self, year: int) -> int | None:
        """`Năm được công nhận đạt chuẩn` as written in year `year`'s workbook: recognised
        by the commune at the end of the first year it met the standard."""
        if self.recognised is not None:
            return self.recognised
        earlier = [y for y in self.standard if y < year]
        return min(earlier) if earlier else None


def _per_year(value: Share, year: int) -> float:
    return value if isinstance(value, float) else value[year - FIRST_YEAR]


STORIES: tuple[Story, ...] = (
    Story(1, VILLAGES[0], (56, 58, 60, 62, 63), 0.71, 0.76, 0.55, new_board={2029: SECRETARY},
          recognised=2025, standard=tuple(YEARS)),
    Story(2, VILLAGES[1], (47, 51, 54, 57, 59), 0.69, 0.72, 0.53,
          standard=(2027, 2028, 2029, 2030)),
    Story(3, VILLAGES[2], (60, 62, 63, 64, 65), 0.73, (0.80, 0.79, 0.75, 0.74, 0.73),
          (0.65, 0.63, 0.58, 0.57, 0.56), standard=(2028, 2029, 2030)),
    Story(4, VILLAGES[3], (34, 38, 42, 45, 48), 0.66, 0.70, 0.53, silent=(2029,),
          transformation_from=2028),
    Story(5, VILLAGES[4], (62, 63, 64, 68, 69), 0.68, 0.74, 0.56,
          skip_refresher={2026: BOARD_MEMBER}, missing_months={2027: (8,)},
          joins_from=("MH-06", 2029, 4), standard=(2028, 2029, 2030)),
    Story(6, VILLAGES[5], (44, 41, 38, 0, 0), 0.63, 0.67, 0.45, dissolved=dt.date(2029, 1, 20),
          missing_months={2026: (10,), 2027: (7, 10), 2028: (6, 9, 11)},
          missing_contents={2026: (_ND8,), 2027: (_ND8,), 2028: (_ND8,)},
          transformation_from=LAST_YEAR + 1),
    Story(7, VILLAGES[6], (52, 54, 56, 58, 60), 0.70, 0.75, 0.54,
          missing_contents={2026: (_ND6,), 2027: (_ND6,), 2028: (_ND6,)},
          transformation_from=2027, standard=(2029, 2030)),
    Story(8, VILLAGES[7], (50, 52, 54, 55, 57), 0.69, (0.54, 0.56, 0.58, 0.59, 0.61),
          (0.50, 0.50, 0.51, 0.52, 0.53), standard=(2030,)),
    Story(9, VILLAGES[8], (0, 0, 31, 40, 46), 0.68, 0.71, 0.55, founded=dt.date(2028, 4, 15),
          transformation_from=2029),
)


def story(club_id: str) -> Story:
    return next(s for s in STORIES if s.club_id == club_id)


def standard_by_year() -> dict[int, list[str]]:
    """The clubs meeting the standard each year (docs/indicators.md#club-standard)."""
    return {y: [s.club_id for s in STORIES if y in s.standard] for y in YEARS}


def founded_on(s: Story, seed: int = DEFAULT_SEED) -> dt.date:
    if s.founded is not None:
        return s.founded
    rng = sample._rng(seed, "years", "founded", s.club_id)
    return sample._random_date(rng, dt.date(2016, 3, 1), dt.date(2024, 10, 31))


def _targets(s: Story, year: int) -> Counter[Kind]:
    """How many active members of each kind the club has in `year`."""
    p = sample.ClubProfile(s.index, s.village, s.size(year), _per_year(s.women, year),
                           _per_year(s.older, year), _per_year(s.female_older, year))
    return Counter(sample._composition(p))


# --- the roster, across the years ---------------------------------------------------------

_YOUNG_LEAVE_REASONS = ("Đi làm ăn xa", "Chuyển nơi ở")


@dataclass(slots=True)
class _Member(sample._Person):
    """A person of a club's roster: `role` held from `role_from` to `role_until`."""

    role_from: int = 0
    role_until: int | None = None
    hardship: str | None = None
    disability: bool = False
    lonely: bool = False
    needs: bool = False
    volunteer: bool = False
    came_from: str | None = None  # the village of the dissolved club the member came from

    def kind(self, year: int) -> Kind:
        return self.female, self.older(year)

    def role_in(self, year: int) -> str | None:
        if self.role is None or year < self.role_from:
            return None
        return None if self.role_until is not None and year > self.role_until else self.role


def _new_member(rng: Random, s: Story, year: int, kind: Kind, used: set[str],
                joined: dt.date) -> _Member:
    female, older = kind
    name = sample._person_name(rng, female, older, used)
    born = sample._birth_year(rng, year, older)
    village = s.village if rng.random() < 0.85 else rng.choice(
        [v for v in VILLAGES if v != s.village])
    m = _Member(name, female, born, village, joined)
    roll = rng.random()
    m.hardship = (schema.HARDSHIP[0] if roll < 0.07
                  else schema.HARDSHIP[1] if roll < 0.18 else None)
    m.needs = rng.random() < (0.6 if m.hardship else 0.3)
    m.disability = older and rng.random() < 0.06
    m.lonely = older and rng.random() < 0.08
    m.volunteer = year - born < 72 and rng.random() < 0.15
    return m


def _elect(rng: Random, people: list[_Member], year: int, founded: dt.date) -> None:
    """The first board: an older woman chairs, a younger woman is the secretary."""
    free = list(people)

    def take(female: bool | None, older: bool) -> _Member:
        person = next((q for q in free if (female is None or q.female == female)
                       and q.older(year) == older), free[0])
        free.remove(person)
        return person

    for role, (female, older) in ((CHAIR, (True, True)), (VICE, (False, True)),
                                  (SECRETARY, (True, False)), (TREASURER, (True, True)),
                                  (BOARD_MEMBER, (None, True))):
        person = take(female, older)
        person.role, person.role_from, person.joined = role, year, founded
        person.initial_training_year = (
            year if founded.year == year
            else min(year - 1, founded.year + rng.choice((0, 0, 0, 1))))


def _present(people: Iterable[_Member]) -> list[_Member]:
    """Those who have not left (left dates are set up to the year being simulated)."""
    return [p for p in people if p.left is None]


def _join(rng: Random, s: Story, people: list[_Member], year: int, used: set[str],
          arrivals: Sequence[_Member]) -> None:
    """New members of `year`: what the year's composition asks for, members of a dissolved
    club first."""
    need = _targets(s, year)
    need.subtract(p.kind(year) for p in _present(people))
    if min(need.values(), default=0) < 0:  # pragma: no cover - a story error
        raise AssertionError(f"{s.club_id} {year}: too many members carried over {need}")
    moving = s.joins_from[2] if s.joins_from and s.joins_from[1] == year else 0
    for other in arrivals:
        kind = other.kind(year)
        if moving and need[kind] > 0 and other.name not in used:
            used.add(other.name)
            m = _Member(other.name, other.female, other.birth_year, other.village,
                        dt.date(year, 2, rng.randint(20, 28)), hardship=other.hardship,
                        disability=other.disability, lonely=other.lonely, needs=other.needs,
                        volunteer=other.volunteer, came_from=other.village)
            people.append(m)
            need[kind] -= 1
            moving -= 1
    for kind in sorted(need):
        for _ in range(need[kind]):
            joined = sample._random_date(rng, dt.date(year, 2, 1), dt.date(year, 9, 30))
            people.append(_new_member(rng, s, year, kind, used, joined))


def _hand_over(rng: Random, people: list[_Member], year: int, role: str) -> None:
    """A board member steps down; an ordinary member is elected and trained this year."""
    old = next(p for p in _present(people) if p.role_in(year) == role)
    old.role_until = year - 1
    young = role == SECRETARY
    ordinary = [p for p in _present(people) if p.role is None and p.joined.year < year
                and (not young or (p.female and not p.older(year)))]
    new = rng.choice(ordinary)
    new.role, new.role_from, new.initial_training_year = role, year, year


def _leave(rng: Random, s: Story, people: list[_Member], year: int) -> None:
    """Who leaves during `year`: a few, and whoever the next year's composition has no
    room for (people age into the older group)."""
    nxt = year + 1
    candidates = [p for p in _present(people) if p.role_in(year) is None
                  and p.role_in(nxt) is None and p.joined.year < year]
    rng.shuffle(candidates)
    excess = Counter(p.kind(nxt) for p in _present(people))
    excess.subtract(_targets(s, nxt))
    leaving: list[_Member] = []
    for kind in sorted(excess):
        pool = [p for p in candidates if p.kind(nxt) == kind]
        if excess[kind] > len(pool):  # pragma: no cover - a story error
            raise AssertionError(f"{s.club_id} {year}: cannot make room for {nxt}")
        leaving += pool[:max(0, excess[kind])]
    for p in candidates:
        if len(leaving) >= 2 + (year + s.index) % 2:  # two or three a year at least
            break
        if p not in leaving:
            leaving.append(p)
    for p in leaving:
        p.left = sample._random_date(rng, max(p.joined, dt.date(year, 3, 1)),
                                     dt.date(year, 11, 20))
        p.note = rng.choice(sample._LEAVE_REASONS if p.older(year) else _YOUNG_LEAVE_REASONS)


def _roster(s: Story, seed: int, arrivals: Sequence[_Member] = ()) -> list[_Member]:
    """Everyone who is ever a member of the club in 2026–2030."""
    rng = sample._rng(seed, "years", "roster", s.club_id)
    founded = founded_on(s, seed)
    first = max(FIRST_YEAR, founded.year)
    used: set[str] = set()
    people: list[_Member] = []
    for kind in sorted(_targets(s, first).elements()):
        if founded.year == first or rng.random() < 0.6:
            joined = founded
        else:
            joined = sample._random_date(rng, founded, dt.date(first - 1, 12, 20))
        people.append(_new_member(rng, s, first, kind, used, joined))
    rng.shuffle(people)
    _elect(rng, people, first, founded)
    if founded.year < first:  # two joined during the first year
        for p in [p for p in people if p.role is None][:2]:
            p.joined = sample._random_date(rng, dt.date(first, 2, 1), dt.date(first, 9, 30))
    for year in range(first, LAST_YEAR + 1):
        if not s.size(year):
            break
        if year > first:
            _join(rng, s, people, year, used, arrivals)
        if year in s.new_board:
            _hand_over(rng, people, year, s.new_board[year])
        if s.size(year + 1):
            _leave(rng, s, people, year)
    return people


def rosters(seed: int = DEFAULT_SEED) -> dict[str, list[_Member]]:
    """Every club's roster, by club id (a club whose members come from another is built
    after it)."""
    out: dict[str, list[_Member]] = {}
    for s in sorted(STORIES, key=lambda s: s.joins_from is not None):
        arrivals: list[_Member] = []
        if s.joins_from:
            source, year, _ = s.joins_from
            arrivals = [p for p in _present(out[source])
                        if p.role_in(year - 1) is None and p.joined.year < year]
            sample._rng(seed, "years", "moving", s.club_id).shuffle(arrivals)
        out[s.club_id] = _roster(s, seed, arrivals)
    return {k: out[k] for k in sorted(out)}


# --- one club's year --------------------------------------------------------------------


def _view(people: Sequence[_Member], year: int) -> list[sample._Person]:
    """The rows of `Thành viên` in `year`: members of the year and those who left the year
    before; the board first, then by date of joining."""
    rows: list[tuple[tuple[Any, ...], sample._Person]] = []
    for p in people:
        left = p.left if p.left is not None and p.left.year <= year else None
        if p.joined.year > year or (left is not None and left.year < year - 1):
            continue
        role = p.role_in(year)
        note = None
        if left is not None:
            note = p.note
        elif p.joined.year == year:
            note = (f"Từ CLB {p.came_from[0].lower()}{p.came_from[1:]} chuyển sang"
                    if p.came_from else "Mới vào năm nay")
        elif p.role_until == year - 1:
            note = f"Thôi làm {p.role} từ năm {year}"
        view = sample._Person(p.name, p.female, p.birth_year, p.village, p.joined, left, role,
                              p.initial_training_year if role else None, note)
        order = ((0, schema.BOARD_ROLES.index(role)) if role else (1, p.joined, p.name))
        rows.append((order, view))
    return [v for _, v in sorted(rows, key=lambda r: r[0])]


def _member_rows(rng: Random, people: Sequence[_Member], view: Sequence[sample._Person],
                 year: int) -> list[dict[str, Any]]:
    traits = {p.name: p for p in people}
    support = min(0.8, 0.5 + 0.05 * (year - FIRST_YEAR))  # livelihood support grows
    needy = [v.name for v in view
             if traits[v.name].needs and (v.left is None or v.left.year == year)]
    helped = set(rng.sample(needy, round(len(needy) * support)))
    rows = []
    for i, v in enumerate(view, start=1):
        m = traits[v.name]
        active = v.left is None or v.left.year == year
        older = v.older(year)
        rec: dict[str, Any] = {
            "stt": i, "name": v.name, "gender": schema.GENDERS[1 if v.female else 0],
            "birth_year": v.birth_year, "village": v.village, "joined": v.joined,
            "left": v.left, "role": v.role, "initial_training_year": v.initial_training_year,
            "hardship": m.hardship, "disability": m.disability, "lonely": m.lonely,
            "needs_livelihood": m.needs, "got_livelihood": v.name in helped,
            "health_check": active and rng.random() < (0.85 if older else 0.35),
            "volunteer": m.volunteer, "note": v.note,
        }
        rows.append({k: (_X if val is True else val) for k, val in rec.items()
                     if val is not None and val is not False})
    return rows


@dataclass(slots=True)
class _Ledger:
    """What a club's funds carry from one year to the next."""

    activity: int
    income: int
    outstanding: int  # loans not yet repaid, repaid early in the next year


def _fund_rows(rng: Random, year: int, start: dt.date, active: int,
               ledger: _Ledger) -> list[dict[str, Any]]:
    """`clubtool_sample`'s ledger of the year, plus last year's loans coming back; updates
    `ledger` to the year's closing balances."""
    income, receipt, payment = schema.FUND_INCOME, schema.RECEIPT, schema.PAYMENT
    other = schema.FUND_SOURCES[5]
    rows = sample._fund_records(rng, year, start, active, ledger.activity, ledger.income)
    lent = sum(r["amount"] for r in rows if r["fund"] == income and r["direction"] == payment)
    back = sum(r["amount"] for r in rows if r["fund"] == income and r["direction"] == receipt
               and r.get("source") == other)
    owed = ledger.outstanding
    half = owed // 200_000 * 100_000 if owed >= 2_000_000 else 0
    parts = [a for a in (half, owed - half) if a > 0]  # in January, and March when large
    for month, amount in zip((1, 3), parts, strict=False):
        rows.append({"date": dt.date(year, month, rng.randint(15, 25)), "fund": income,
                     "direction": receipt, "source": other, "amount": amount,
                     "description": "Thu hồi vốn cho vay năm trước"})
    rows.sort(key=lambda r: (r["date"], r["direction"] != receipt))
    for r in rows:
        sign = 1 if r["direction"] == receipt else -1
        if r["fund"] == income:
            ledger.income += sign * r["amount"]
        else:
            ledger.activity += sign * r["amount"]
    ledger.outstanding = lent - back
    return rows


def _club_year(s: Story, seed: int, people: Sequence[_Member], year: int,
               ledger: _Ledger, phone: str) -> dict[str, Any]:
    rng = sample._rng(seed, "years", s.club_id, year)
    founded = founded_on(s, seed)
    start = founded if founded.year == year else dt.date(year, 1, 1)
    view = _view(people, year)
    active = sum(1 for v in view if v.left is None or v.left.year == year)
    chair = next(v.name for v in view if v.role == CHAIR)
    secretary = next(v.name for v in view if v.role == SECRETARY)
    info: dict[str, Any] = {
        "version": schema.CLUB_TEMPLATE_VERSION, "club_id": s.club_id,
        "name": sample._club_name(s.village), "village": s.village, "year": year,
        "founded": founded, "chair": chair, "phone": phone,
        "opening_activity": ledger.activity, "opening_income": ledger.income,
        "recognised_year": s.recognised_in(year), "prepared_by": secretary,
        "prepared_on": dt.date(year, 12, 28), "commune": sample.COMMUNE,
        "province": sample.PROVINCE,
    }
    profile = sample.ClubProfile(
        s.index, s.village, active, _per_year(s.women, year), _per_year(s.older, year),
        _per_year(s.female_older, year), missing_months=s.missing_months.get(year, ()),
        missing_contents=s.missing_contents.get(year, ()),
        transformation=year >= s.transformation_from,
        skip_refresher_role=s.skip_refresher.get(year))
    return {
        "info": {k: v for k, v in info.items() if v is not None},
        "members": _member_rows(rng, people, view, year),
        "meetings": sample._meeting_records(rng, profile, year, founded, active),
        "trainings": sample._training_records(rng, view, profile, year),
        "outreach": sample._outreach_records(rng, year, start),
        "fund": _fund_rows(rng, year, start, active, ledger),
        "extra_columns": {},
    }


def _club_years(s: Story, seed: int, people: Sequence[_Member]) -> dict[int, dict[str, Any]]:
    """The club's data for every year it exists (also the years it sends nothing: its
    funds go on)."""
    rng = sample._rng(seed, "years", "ledger", s.club_id)
    founded = founded_on(s, seed)
    if founded.year >= FIRST_YEAR:
        ledger = _Ledger(0, 0, 0)
    else:
        ledger = _Ledger(rng.randint(15, 60) * 100_000, rng.randint(20, 70) * 1_000_000,
                         rng.randint(4, 12) * 1_000_000)
    phone = sample._phone(rng)
    return {y: _club_year(s, seed, people, y, ledger, phone) for y in YEARS if s.size(y)}


# --- the commune's years ------------------------------------------------------------------


def _officials(rng: Random) -> list[dict[str, Any]]:
    """Who implements the plan, with `since`/`until` years and the day each was trained
    (None: not yet). The head of the health station is new in 2026 (trained 2027); the
    culture officer changes in 2029 (the new one trained 2030)."""
    used: set[str] = set()
    rows = []
    for position, unit, female, since, trained_year in (
        ("Phó Chủ tịch UBND xã", f"UBND xã {sample.COMMUNE}", False, 2025, 2025),
        ("Chủ tịch Hội Người cao tuổi xã", "Hội Người cao tuổi xã", False, 2025, 2025),
        ("Phó Chủ tịch Hội Người cao tuổi xã", "Hội Người cao tuổi xã", True, 2025, 2025),
        ("Công chức Văn hóa - Xã hội", "Phòng Văn hóa - Xã hội", True, 2025, 2025),
        ("Trưởng Trạm Y tế xã", "Trạm Y tế xã", False, 2026, 2027),
        ("Chủ tịch Hội Liên hiệp Phụ nữ xã", "Hội Liên hiệp Phụ nữ xã", True, 2025, 2025),
        ("Công chức Văn hóa - Xã hội", "Phòng Văn hóa - Xã hội", False, 2029, 2030),
    ):
        trained = sample._random_date(rng, dt.date(trained_year, 3, 1),
                                      dt.date(trained_year, 10, 31))
        rows.append({"name": sample._person_name(rng, female, False, used),
                     "position": position, "unit": unit, "since": since, "trained": trained})
    rows[3]["until"] = 2028
    return rows


def _awards(year: int, chairs: Mapping[str, str]) -> list[dict[str, Any]]:
    collective, person = schema.AWARD_TARGETS

    def club(club_id: str) -> str:
        return sample._club_name(story(club_id).village)

    given = {
        2027: [(collective, club("MH-01"), "Giấy khen", "xã"),
               (person, chairs["MH-01"], "Giấy khen", "xã")],
        2028: [(collective, club("MH-02"), "Giấy khen", "xã")],
        2029: [(collective, club("MH-03"), "Giấy khen", "xã"),
               (collective, club("MH-05"), "Giấy khen", "xã"),
               (person, chairs["MH-05"], "Giấy khen", "xã")],
        2030: [(collective, f"Hội Người cao tuổi xã {sample.COMMUNE}", "Bằng khen", "tỉnh"),
               (collective, club("MH-07"), "Giấy khen", "xã"),
               (person, chairs["MH-01"], "Bằng khen", "tỉnh")],
    }
    return [{"year": year, "target": t, "name": n, "form": f, "level": lv}
            for t, n, f, lv in given.get(year, [])]


def _villages(seed: int, year: int) -> list[dict[str, Any]]:
    """Older people per village grow a little; outreach reaches more of its target each
    year, more where a club exists."""
    rng = sample._rng(seed, "years", "villages")
    noise = sample._rng(seed, "years", "villages", year)
    with_club = {s.village for s in STORIES if s.size(year)}
    k = year - FIRST_YEAR
    rows = []
    for name in VILLAGES:
        older, extra = rng.randint(140, 420), rng.randint(40, 160)
        base = rng.uniform(0.74, 0.86) if name in with_club else rng.uniform(0.50, 0.70)
        older = round(older * (1 + 0.015 * k)) + noise.randint(-3, 3)
        target = older + extra + 5 * k
        share = min(0.98, base + 0.025 * k + noise.uniform(-0.01, 0.01))
        rows.append({"name": name, "older_people": older, "outreach_target": target,
                     "outreach_reached": round(target * share)})
    return rows


def _commune_year(seed: int, year: int, officials: Sequence[Mapping[str, Any]],
                  chairs: Mapping[str, str]) -> dict[str, Any]:
    info = {
        "version": schema.COMMUNE_TEMPLATE_VERSION, "commune": sample.COMMUNE,
        "province": sample.PROVINCE, "year": year,
        "issuer": f"ỦY BAN NHÂN DÂN XÃ {sample.COMMUNE.upper()}",
        "doc_number": f"{118 + 9 * (year - FIRST_YEAR)}/BC-UBND",
        "signing_authority": "KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH",
        "signer": officials[0]["name"],
        "recipients": "\n".join((f"UBND tỉnh {sample.PROVINCE} (b/c)", "Hội NCT tỉnh",
                                 "Đảng ủy, HĐND xã", "Lưu: VT, VHXH")),
    }
    registry = []
    for s in STORIES:
        founded = founded_on(s, seed)
        if founded.year > year:
            continue
        row = {"club_id": s.club_id, "name": sample._club_name(s.village),
               "village": s.village, "founded": founded}
        if s.dissolved is not None and s.dissolved.year <= year:
            row["dissolved"] = s.dissolved
        registry.append(row)
    staff = []
    for o in officials:
        if o["since"] > year or o.get("until", LAST_YEAR) < year:
            continue
        row = {"name": o["name"], "position": o["position"], "unit": o["unit"]}
        if o["trained"].year <= year:
            row.update(trained=_X, trained_on=o["trained"])
        staff.append(row)
    return {"info": info, "villages": _villages(seed, year), "registry": registry,
            "officials": staff, "awards": _awards(year, chairs)}


# --- all years ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Year:
    """One year's data: the commune workbook's and each reporting club's (by club id)."""

    year: int
    commune: dict[str, Any]
    clubs: dict[str, dict[str, Any]]


def years_data(seed: int = DEFAULT_SEED) -> dict[int, Year]:
    """Every year's data, 2026–2030 (dicts shaped as `clubtool_sample`'s)."""
    club_years = {cid: _club_years(story(cid), seed, people)
                  for cid, people in rosters(seed).items()}
    officials = _officials(sample._rng(seed, "years", "officials"))
    out = {}
    for y in YEARS:
        chairs = {cid: data[y]["info"]["chair"] for cid, data in club_years.items() if y in data}
        clubs = {cid: data[y] for cid, data in club_years.items() if story(cid).reports(y)}
        out[y] = Year(y, _commune_year(seed, y, officials, chairs), clubs)
    return out


def club_file_name(club_id: str, year: int) -> str:
    """'MH-01', 2026 → 'clb_mh-01_2026.xlsx'."""
    return f"clb_{club_id.lower()}_{year}.xlsx"


def commune_file_name(year: int) -> str:
    """2026 → 'xa_mai_hoa_2026.xlsx'."""
    return sample.commune_file_name(year)


def _write_commune(data: Mapping[str, Any], path: Path, saved: dt.datetime) -> Path:
    from clubtool.workbook import template

    info = data["info"]
    wb = template.commune_workbook(year=info["year"], commune=info["commune"],
                                   province=info["province"])
    sample._fill(wb, schema.COMMUNE, data)
    return sample._save(wb, path, info["year"], saved)


def write_years(folder: Path | str, years: Iterable[int] = YEARS,
                seed: int = DEFAULT_SEED) -> list[Path]:
    """Write `folder/<Y>/xa_mai_hoa_<Y>.xlsx` and `folder/<Y>/clb_<code>_<Y>.xlsx` of every
    club reporting in Y, for each year of `years` (within 2026–2030). Byte-reproducible:
    saved on 29/12 (clubs) and 30/12 (commune) of the year. Returns the paths written."""
    chosen = sorted(set(years))
    wrong = [y for y in chosen if y not in YEARS]
    if wrong:
        raise ValueError(f"years must be within {FIRST_YEAR}–{LAST_YEAR}, not {wrong}")
    data = years_data(seed)
    paths = []
    for y in chosen:
        out = Path(folder) / str(y)
        out.mkdir(parents=True, exist_ok=True)
        paths.append(_write_commune(data[y].commune, out / commune_file_name(y),
                                    dt.datetime(y, 12, 30, 15, 0)))
        for cid, club in data[y].clubs.items():
            saved = dt.datetime(y, 12, 29, 8, 0) + dt.timedelta(minutes=23 * story(cid).index)
            paths.append(sample.write_club(club, out / club_file_name(cid, y), VILLAGES,
                                           saved=saved))
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write five years (2026–2030) of valid sample workbooks for xã Mai Hoa: "
                    "OUT_DIR/<year>/xa_mai_hoa_<year>.xlsx and clb_<code>_<year>.xlsx.")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    write_years(args.out_dir, seed=args.seed)
    print(args.out_dir)
    return 0


__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "STORIES",
    "YEARS",
    "Story",
    "Year",
    "club_file_name",
    "commune_file_name",
    "founded_on",
    "rosters",
    "standard_by_year",
    "story",
    "write_years",
    "years_data",
]


if __name__ == "__main__":
    raise SystemExit(main())
