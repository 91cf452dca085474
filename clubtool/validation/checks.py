"""Cross-record checks: small functions that take a parsed workbook and yield issues.

Cell-level problems (required, type, enum, range, pattern, legacy text, formulas) are
found by the reader in its one pass; what needs several rows or several sheets is here.
Each check is listed in `CLUB_CHECKS` / `COMMUNE_CHECKS` (and `village_known`, run once
the club's commune is known); `CHECK_NAMES` names them all, and `validate(skip=...)` leaves
out those named there (the list of names and the issue code of each is in its docstring).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from .. import schema as S
from ..issues import Issue, make
from ..model import Club, Commune, FundEntry, Member, SheetLayout
from ..text import fold, key, person_key
from ..vnformat import short_date, whole

ClubCheck = Callable[[Club], Iterator[Issue]]
CommuneCheck = Callable[[Commune], Iterator[Issue]]


def _at(club: Club | Commune, sheet: S.Sheet, key_: str, row: int | None = None) -> dict:
    """sheet / cell / row / column arguments for an issue at field `key_` of `sheet`."""
    layout: SheetLayout | None = club.layouts.get(sheet.key)
    cell = layout.cell(key_, row) if layout else None
    if row is None and layout is not None:
        row = layout.label_rows.get(key_)
    return {"sheet": sheet.name, "cell": cell, "row": row, "column": sheet.field(key_).header}


def active_members(club: Club, as_of: dt.date | None = None) -> list[Member]:
    """The club's members active from 01/01 of its year to `as_of` (default 31/12), by the
    one rule `Member.active`; all of them when the year is unknown."""
    year = club.info.year
    if year is None:
        return list(club.members)
    start = dt.date(year, 1, 1)
    end = as_of or dt.date(year, 12, 31)
    return [m for m in club.members if m.active(start, end)]


# --- club checks ---------------------------------------------------------------------


def dates_in_year(club: Club) -> Iterator[Issue]:
    """`Ngày` of meetings, trainings, outreach and fund entries inside the report year."""
    year = club.info.year
    if year is None:
        return
    for sheet, records in ((S.MEETINGS, club.meetings), (S.TRAININGS, club.trainings),
                           (S.OUTREACH, club.outreach), (S.FUND, club.fund)):
        for rec in records:
            d = rec.date
            if d is not None and d.year != year:
                yield make("date-outside-year", club.path, **_at(club, sheet, "date", rec.row),
                           value=short_date(d), year=year)


def founded_in_time(club: Club) -> Iterator[Issue]:
    info = club.info
    if info.year is not None and info.founded is not None and info.founded.year > info.year:
        yield make("founded-after-year", club.path, **_at(club, S.CLUB_INFO, "founded"),
                   value=short_date(info.founded), year=info.year)


def left_after_joined(club: Club) -> Iterator[Issue]:
    for m in club.members:
        if m.left is not None and m.joined is not None and m.left < m.joined:
            yield make("left-before-joined", club.path, **_at(club, S.MEMBERS, "left", m.row),
                       value=short_date(m.left), joined=short_date(m.joined))


def unique_members(club: Club) -> Iterator[Issue]:
    seen: dict[tuple[str, int | None], int] = {}
    for m in club.members:
        if not m.name or club.cell_failed(S.MEMBERS.key, "birth_year", m.row):
            continue
        k = (person_key(m.name), m.birth_year)
        if k in seen:
            yield make("duplicate-member", club.path, **_at(club, S.MEMBERS, "name", m.row),
                       value=m.name, birth_year=m.birth_year or "?", other_row=seen[k])
        else:
            seen[k] = m.row


def chair_matches(club: Club) -> Iterator[Issue]:
    chair = club.info.chair
    if not chair or S.MEMBERS.key not in club.layouts or club.column_failed(S.MEMBERS.key, "role"):
        return  # (a role that failed its own check already has its error)
    chairs = [m.name for m in club.members if m.role == S.CHAIR and m.name]
    if person_key(chair) in {person_key(n) for n in chairs}:
        return
    found = ", ".join(f"'{n}'" for n in chairs) if chairs else "(không có ai)"
    yield make("chair-mismatch", club.path, **_at(club, S.CLUB_INFO, "chair"), value=chair,
               found=found, members_sheet=S.MEMBERS.name)


def support_needs(club: Club) -> Iterator[Issue]:
    need = S.MEMBERS.field("needs_livelihood").header
    for m in club.members:
        if club.cell_failed(S.MEMBERS.key, "needs_livelihood", m.row):
            continue
        if m.got_livelihood and not m.needs_livelihood:
            yield make("received-without-need", club.path,
                       **_at(club, S.MEMBERS, "got_livelihood", m.row), value="x", need_column=need)


def attendance(club: Club) -> Iterator[Issue]:
    if S.MEMBERS.key not in club.layouts or club.column_failed(S.MEMBERS.key, "joined") \
            or club.column_failed(S.MEMBERS.key, "left") or club.column_failed(S.CLUB_INFO.key, "year"):
        return  # the count of active members rests on a faulty cell
    members = len(active_members(club))
    for meeting in club.meetings:
        if meeting.attendance is not None and meeting.attendance > members:
            yield make("attendance-exceeds-members", club.path,
                       **_at(club, S.MEETINGS, "attendance", meeting.row),
                       value=str(meeting.attendance), members=members)


def trainees_on_board(club: Club) -> Iterator[Issue]:
    board = {person_key(m.name) for m in club.members if m.on_board and m.name}
    # a member whose role failed its own check may be on the board: not a second error
    unsure = {person_key(m.name) for m in club.members
              if m.name and club.cell_failed(S.MEMBERS.key, "role", m.row)}
    for t in club.trainings:
        if t.name and person_key(t.name) not in board and person_key(t.name) not in unsure:
            yield make("unknown-board-member", club.path, **_at(club, S.TRAININGS, "name", t.row),
                       value=t.name, members_sheet=S.MEMBERS.name)


def receipt_sources(club: Club) -> Iterator[Issue]:
    """`Nguồn thu` is required on every receipt (`Thu`)."""
    sheet = S.FUND
    if "source" not in club.layouts.get(sheet.key, SheetLayout("")).columns:
        return
    f = sheet.field("source")
    for e in club.fund:
        if e.direction == S.RECEIPT and e.source is None \
                and not club.cell_failed(sheet.key, "source", e.row):
            yield make("required", club.path, **_at(club, sheet, "source", e.row),
                       kind=f.kind.value, choices=f.choices, conditional=True)


def fund_order(entry: FundEntry) -> tuple[dt.date, int, int]:
    """Entries in date order; on the same day receipts before payments; then row order."""
    assert entry.date is not None
    return (entry.date, 0 if entry.direction == S.RECEIPT else 1, entry.row)


def balances(club: Club) -> Iterator[Issue]:
    """The first entry where a fund's running balance falls below zero, once per fund.

    A fund whose balance rests on a cell that failed its own check (an amount, a date, a
    direction, the fund itself, the opening balance) is not checked: that cell's error is
    the one to fix (docs/workbooks.md#validation)."""
    opening = {S.FUND_ACTIVITY: club.info.opening_activity or 0,
               S.FUND_INCOME: club.info.opening_income or 0}
    unsure: set[str | None] = set()
    if club.cell_failed(S.CLUB_INFO.key, "opening_activity"):
        unsure.add(S.FUND_ACTIVITY)
    if club.cell_failed(S.CLUB_INFO.key, "opening_income"):
        unsure.add(S.FUND_INCOME)
    for e in club.fund:
        if club.cell_failed(S.FUND.key, "fund", e.row):
            unsure.update(opening)  # which fund it belongs to is unknown
        elif any(club.cell_failed(S.FUND.key, k, e.row) for k in ("date", "direction", "amount")):
            unsure.add(e.fund)
    entries = [e for e in club.fund
               if e.date is not None and e.amount is not None and e.fund in opening
               and e.fund not in unsure and e.direction in (S.RECEIPT, S.PAYMENT)]
    balance = dict(opening)
    flagged: set[str] = set()
    for e in sorted(entries, key=fund_order):
        assert e.fund is not None and e.amount is not None
        balance[e.fund] += e.amount if e.direction == S.RECEIPT else -e.amount
        if balance[e.fund] < 0 and e.fund not in flagged:
            flagged.add(e.fund)
            yield make("negative-balance", club.path, **_at(club, S.FUND, "amount", e.row),
                       value=_money(e.amount), fund=e.fund, balance=balance[e.fund])


def _money(amount: float) -> str:
    """A whole amount as 1.500.000; any other as Python writes it (1500000.5)."""
    return whole(int(amount)) if float(amount).is_integer() else str(amount)


CLUB_CHECKS: tuple[ClubCheck, ...] = (
    founded_in_time, dates_in_year, left_after_joined, unique_members, chair_matches,
    support_needs, attendance, trainees_on_board, receipt_sources, balances,
)


# --- commune checks ------------------------------------------------------------------


def unique_villages(commune: Commune) -> Iterator[Issue]:
    yield from _unique(commune, S.VILLAGES, "name", [(v.row, v.name) for v in commune.villages])


def unique_registry(commune: Commune) -> Iterator[Issue]:
    yield from _unique(commune, S.REGISTRY, "club_id", [(c.row, c.club_id) for c in commune.registry])


def _unique(commune: Commune, sheet: S.Sheet, field_key: str,
            values: list[tuple[int, str | None]]) -> Iterator[Issue]:
    seen: dict[str, int] = {}
    for row, value in values:
        if not value:
            continue
        k = key(value)
        if k in seen:
            yield make("duplicate-value", commune.path, **_at(commune, sheet, field_key, row),
                       value=value, other_row=seen[k])
        else:
            seen[k] = row


def reached_within_target(commune: Commune) -> Iterator[Issue]:
    for v in commune.villages:
        if v.outreach_reached is not None and v.outreach_target is not None \
                and v.outreach_reached > v.outreach_target:
            yield make("reached-exceeds-target", commune.path,
                       **_at(commune, S.VILLAGES, "outreach_reached", v.row),
                       value=str(v.outreach_reached), target=v.outreach_target)


COMMUNE_CHECKS: tuple[CommuneCheck, ...] = (unique_villages, unique_registry, reached_within_target)


# --- a club against its commune ------------------------------------------------------


def village_known(club: Club, commune: Commune) -> Iterator[Issue]:
    """The club's `Thôn` must be a village of the commune workbook's `Thôn` sheet."""
    names = [v.name for v in commune.villages if v.name]
    village = club.info.village
    if not village or not names:
        return
    if key(village) in {key(n) for n in names}:
        return
    folded = [n for n in names if fold(n) == fold(village)]
    if len(folded) == 1:
        return
    yield make("unknown-village", club.path, **_at(club, S.CLUB_INFO, "village"), value=village,
               allowed_list=names)


#: Every check above by its function's name: what `validation.validate(skip=...)` takes.
CHECK_NAMES: tuple[str, ...] = tuple(
    c.__name__ for c in (*CLUB_CHECKS, *COMMUNE_CHECKS, village_known))
