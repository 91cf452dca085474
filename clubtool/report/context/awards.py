"""Section V: the awards of the report's year, from the `Khen thưởng` sheet of the commune
workbook (plan §III.5 and §V.1: commendations of clubs and people of the movement).

Which rows: those whose `Năm` is the report's year; a row without a year is counted in the
year of the workbook it is in (the commune workbook is the year's), and the text says how
many such rows there are; rows of other years (a commune often keeps one running list) are
left out and counted in the text. The same row written twice counts once, as in the phase
review (`report.phase.awards`). Only a usable commune workbook is read: one left out of the
figures for errors gives no award either, said in the text.

Collective awards (a club, a village, an association) are named; awards to a person are
only counted, by form and level: reports sent upward hold no names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ... import schema as S
from ...text import fold, key
from .common import count
from .model import AwardLine
from .source import Source

if TYPE_CHECKING:
    from ...model import Award

COLLECTIVE, PERSON = S.AWARD_TARGETS
SHEET = S.AWARDS.name  # "Khen thưởng"


@dataclass(frozen=True, slots=True)
class AwardSection:
    lines: list[AwardLine]  # empty: no table, the text says why
    text: list[str]


def award_key(year: int, a: Award) -> tuple[object, ...]:
    """Two rows are the same award when year, target, name, form and level match (case,
    accents of spacing aside): a running list copied into the next year's workbook."""
    return (year, *(key(x or "") for x in (a.target, a.name, a.form, a.level)))


def is_collective(a: Award) -> bool:
    """Only a row marked `Tập thể` is named; an empty target is taken for a person."""
    return (a.target or "").strip() == COLLECTIVE


def level_text(a: Award) -> str:
    """"xã" → "cấp xã"; "Cấp tỉnh" stays; empty → ""."""
    level = (a.level or "").strip()
    if level and not fold(level).startswith("cap"):
        level = f"cấp {level}"
    return level


def form_text(a: Award) -> str:
    return (a.form or "").strip() or "Không ghi hình thức"


def award_section(src: Source) -> AwardSection:
    year, what = src.year, f"trang {SHEET} của mẫu báo cáo của xã"
    commune = src.commune
    if commune is None or not src.has_commune:
        why = ("mẫu báo cáo của xã có lỗi nên không được dùng" if commune is not None
               else "không có mẫu báo cáo của xã")
        return AwardSection([], [f"Chưa có thông tin khen thưởng năm {year} ({why}; khen "
                                 f"thưởng được lấy từ {what})."])
    this_year, no_year, other_years = _of_year(commune.awards, year)
    if not this_year:
        other = (f"; {count(other_years)} dòng của các năm khác không đưa vào"
                 if other_years else "")
        return AwardSection([], [f"Năm {year} không có khen thưởng tập thể, cá nhân nào "
                                 f"({what} không có dòng nào của năm {year}{other})."])
    lines = award_lines(this_year)
    n_col = sum(1 for a in this_year if is_collective(a))
    n_ind = len(this_year) - n_col
    given = [f"{count(n)} lượt khen thưởng {who}" for n, who in ((n_col, "tập thể"),
                                                                  (n_ind, "cá nhân")) if n]
    text = (f"Năm {year} có {' và '.join(given)} trong phong trào câu lạc bộ liên thế hệ tự "
            f"giúp nhau (theo {what}, các dòng ghi năm {year}")
    if no_year:
        text += f"; {count(no_year)} dòng không ghi năm được tính cho năm {year}"
    if other_years:
        text += f"; {count(other_years)} dòng của các năm khác không đưa vào"
    text += ")."
    if n_ind:
        text += " Khen thưởng cá nhân chỉ ghi số lượng theo hình thức và cấp khen, không ghi tên."
    return AwardSection(lines, [text])


def _of_year(awards: Sequence[Award], year: int) -> tuple[list[Award], int, int]:
    """The awards of `year` (each once), how many of them had no year, how many rows were
    of other years."""
    seen: set[tuple[object, ...]] = set()
    out: list[Award] = []
    no_year = other = 0
    for a in awards:
        y = a.year if a.year is not None else year
        if y != year:
            other += 1
            continue
        k = award_key(y, a)
        if k in seen:
            continue
        seen.add(k)
        out.append(a)
        no_year += int(a.year is None)
    return out, no_year, other


def award_lines(awards: Iterable[Award]) -> list[AwardLine]:
    """A line per collective award, in the sheet's order, then a line per (form, level) of
    the awards to people, with how many."""
    lines: list[AwardLine] = []
    people: Counter[tuple[str, str]] = Counter()
    for a in awards:
        if is_collective(a):
            lines.append(AwardLine(0, COLLECTIVE, (a.name or "").strip() or COLLECTIVE,
                                   form_text(a), level_text(a), 1))
        else:
            people[form_text(a), level_text(a)] += 1
    lines += [AwardLine(0, PERSON, f"{count(n)} cá nhân", form, level, n)
              for (form, level), n in sorted(people.items())]
    for i, line in enumerate(lines, start=1):
        line.no = i
    return lines
