"""Section III.1 and III.3: the clubs year by year (existing, founded, dissolved, reporting,
meeting the standard) and each club's standard year by year as a grid.

Founding and dissolution dates are the known clubs' (reported clubs united with each year's
registry, the latest year's view winning); every other figure is that year's result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...vnformat import NO_VALUE, short_date
from ..context.common import LIST_LIMIT, count, more
from .common import year_row
from .model import GridRow, YearRow
from .source import PhaseSource

if TYPE_CHECKING:
    from ...indicators.context import KnownClub

MET, NOT_MET, NO_REPORT = "Đạt", "Chưa đạt", NO_VALUE
GRID_LEGEND = (f"Ghi chú: {MET}: câu lạc bộ đạt chuẩn trong năm; {NOT_MET}: có báo cáo nhưng "
               f"chưa đạt chuẩn; {NO_REPORT}: không có báo cáo (câu lạc bộ không gửi, hoặc năm "
               "chưa có số liệu); để trống: câu lạc bộ chưa thành lập hoặc đã giải thể.")


@dataclass(frozen=True, slots=True)
class ClubPart:
    rows: list[YearRow]
    text: list[str]
    grid: list[GridRow]  # every club known in some year
    grid_counts: list[YearRow]


def club_part(src: PhaseSource) -> ClubPart:
    known = src.known()
    founded = _by_year(src, [k.founded for k in known.values()])
    dissolved = _by_year(src, [k.dissolved for k in known.values()])
    expected, reported, missing, standard = [], [], [], []
    for y in src.years:
        r = src.result(y)
        expected.append(len(r.context.expected) if r is not None else None)
        reported.append(len(r.clubs) if r is not None else None)
        missing.append(len(r.missing) if r is not None and r.has_commune else None)
        standard.append(src.totals[y].standard if r is not None else None)
    rows = [year_row("Câu lạc bộ đang hoạt động (đến ngày tính số liệu)", expected, strong=True),
            year_row("Thành lập mới trong năm", founded, total=True),
            year_row("Giải thể trong năm", dissolved, total=True),
            year_row("Đã gửi báo cáo hợp lệ", reported),
            year_row("Chưa gửi báo cáo", missing),
            year_row("Đạt chuẩn", standard)]
    grid = _grid(src, known)
    return ClubPart(rows=rows, text=_text(src, known), grid=grid,
                    grid_counts=_grid_counts(src, grid))


def _by_year(src: PhaseSource, dates: list[dt.date | None]) -> list[int | None]:
    """How many dates fall in each year; None after the last year with data (unknown)."""
    years = [d.year for d in dates if d is not None]
    return [years.count(y) if y <= src.last else None for y in src.years]


def _text(src: PhaseSource, known: dict[str, KnownClub]) -> list[str]:
    """The clubs founded and dissolved in the phase, by code (village, date)."""
    first, last = src.phase.first_year, src.phase.last_year
    out = []
    for what, attr in (("thành lập mới", "founded"), ("giải thể", "dissolved")):
        clubs = [k for k in known.values()
                 if (d := getattr(k, attr)) is not None and first <= d.year <= last]
        clubs.sort(key=lambda k: (getattr(k, attr), k.club_id))
        if not clubs:
            out.append(f"Trong giai đoạn không có câu lạc bộ {what}.")
            continue
        named = [f"{k.club_id} ({', '.join(p for p in (k.village, short_date(getattr(k, attr))) if p)})"
                 for k in clubs[:LIST_LIMIT]]
        out.append(f"Trong giai đoạn có {count(len(clubs))} câu lạc bộ {what}: "
                   + ", ".join(named) + more(len(named), len(clubs), "câu lạc bộ") + ".")
    out.append("Số câu lạc bộ thành lập mới, giải thể theo ngày thành lập, ngày giải thể ghi "
               "trong báo cáo của câu lạc bộ và danh sách câu lạc bộ của xã các năm có số liệu.")
    return out


def _exists(k: KnownClub, year: int) -> bool:
    """The club existed in some part of `year` (founded by its end, not dissolved before)."""
    founded = k.founded is None or k.founded.year <= year
    dissolved = k.dissolved is not None and k.dissolved.year < year
    return founded and not dissolved


def _grid(src: PhaseSource, known: dict[str, KnownClub]) -> list[GridRow]:
    """Each known club: Đạt / Chưa đạt / — (no report) / blank (did not exist), by year."""
    standard: dict[int, dict[str, bool]] = {
        y: {c.club_id: c.dat_chuan for c in d.result.clubs} for y, d in src.data.items()}
    rows = []
    for no, (code, k) in enumerate(known.items(), start=1):
        cells: list[str] = []
        raw: list[bool | None] = []
        for y in src.years:
            met = standard.get(y, {}).get(code)
            raw.append(met)
            if met is not None:
                cells.append(MET if met else NOT_MET)
            else:
                cells.append(NO_REPORT if _exists(k, y) else "")
        reported = [m for m in raw if m is not None]
        rows.append(GridRow(no=no, code=code, name=k.name or "", village=k.village or "",
                            cells=cells, met=f"{sum(reported)}/{len(reported)}", raw=raw))
    return rows


def _grid_counts(src: PhaseSource, grid: list[GridRow]) -> list[YearRow]:
    """Clubs meeting the standard, not meeting it, not reporting, by year."""
    has = [y in src.data for y in src.years]

    def col(mark: str) -> list[int | None]:
        return [sum(row.cells[i] == mark for row in grid) if has[i] else None
                for i in range(len(src.years))]

    return [year_row("Số câu lạc bộ đạt chuẩn", col(MET)),
            year_row("Số câu lạc bộ chưa đạt chuẩn", col(NOT_MET)),
            year_row("Số câu lạc bộ không có báo cáo", col(NO_REPORT))]
