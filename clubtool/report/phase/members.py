"""Section III.2: the members of the reported clubs year by year (by sex, older people,
hardship), from each year's pooled `MemberCounts`. Counts only: no name is read here."""

from __future__ import annotations

from collections.abc import Callable

from ... import schema as S
from ...indicators.figures import MemberCounts
from .common import year_row
from .model import YearRow
from .source import PhaseSource

_GROUPS: list[tuple[str, Callable[[MemberCounts], int]]] = [
    ("Nam", lambda p: p.by_sex.get("Nam", 0)),
    ("Nữ", lambda p: p.by_sex.get("Nữ", 0)),
    ("Người cao tuổi", lambda p: p.older),
    ("Trong đó: nữ người cao tuổi", lambda p: p.female_older),
    ("Thuộc hộ nghèo", lambda p: p.hardship.get("Nghèo", 0)),
    ("Thuộc hộ cận nghèo", lambda p: p.hardship.get("Cận nghèo", 0)),
    ("Người khuyết tật", lambda p: p.disability),
    ("Người neo đơn", lambda p: p.lonely),
    (S.MEMBERS.field("needs_livelihood").header, lambda p: p.needs_livelihood),
    ("Trong đó: được hỗ trợ sinh kế", lambda p: p.got_livelihood),
    ("Thành viên Ban chủ nhiệm", lambda p: p.board),
]


def member_rows(src: PhaseSource) -> list[YearRow]:
    """"Tổng số thành viên | 120 | 125 | — …", then each group, then the two shares the
    standard reads (older people, women)."""
    people: list[MemberCounts | None] = []
    for y in src.years:
        r = src.result(y)
        people.append(r.context.people if r is not None else None)

    def figures(get: Callable[[MemberCounts], int]) -> list[int | None]:
        return [get(p) if p is not None else None for p in people]

    def shares(get: Callable[[MemberCounts], int]) -> list[float | None]:
        return [get(p) / p.total if p is not None and p.total else None for p in people]

    rows = [year_row("Tổng số thành viên", figures(lambda p: p.total), strong=True)]
    rows += [year_row(label, figures(get)) for label, get in _GROUPS]
    rows += [year_row("Tỷ lệ người cao tuổi", shares(lambda p: p.older), kind="share"),
             year_row("Tỷ lệ nữ người cao tuổi", shares(lambda p: p.female_older),
                      kind="share")]
    return rows
