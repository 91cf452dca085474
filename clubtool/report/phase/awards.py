"""Section V: awards by year, from the `Khen thưởng` sheet of each year's commune workbook.

A commune usually keeps one running list, so the same award appears in several years'
workbooks: each is counted once. Collective awards (a club, a village) are named; awards
to a person are only counted, by form and level (reports sent upward hold no names).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...vnformat import NO_VALUE
from ..context.awards import COLLECTIVE, award_key, form_text, is_collective, level_text
from ..context.common import count
from .model import AwardRow
from .source import PhaseSource

if TYPE_CHECKING:
    from ...model import Award

@dataclass(frozen=True, slots=True)
class AwardPart:
    rows: list[AwardRow]
    text: list[str]


def award_part(src: PhaseSource) -> AwardPart:
    by_year = _awards(src)
    rows = []
    for y in src.years:
        covered = any(d.commune is not None for yy, d in src.data.items() if yy >= y)
        awards = by_year.get(y, [])
        if not awards and not covered:
            rows.append(AwardRow(y, NO_VALUE, NO_VALUE, "", []))
            continue
        collective = [a for a in awards if is_collective(a)]
        people = [a for a in awards if not is_collective(a)]
        rows.append(AwardRow(y, count(len(collective)), count(len(people)),
                             _details(collective, people), [len(collective), len(people)]))
    n_col = sum(r.raw[0] for r in rows if r.raw)
    n_ind = sum(r.raw[1] for r in rows if r.raw)
    if n_col or n_ind:
        text = (f"Trong giai đoạn có {count(n_col)} lượt khen thưởng tập thể và {count(n_ind)} "
                "lượt khen thưởng cá nhân (theo trang Khen thưởng của mẫu báo cáo của xã); khen "
                "thưởng cá nhân chỉ ghi số lượng, không ghi tên.")
    else:
        text = ("Chưa có thông tin khen thưởng (trang Khen thưởng của mẫu báo cáo của xã các năm "
                "để trống).")
    return AwardPart(rows=rows, text=[text])


def _awards(src: PhaseSource) -> dict[int, list[Award]]:
    """The phase's awards by year, each once (the same row in several workbooks)."""
    seen: set[tuple[object, ...]] = set()
    out: dict[int, list[Award]] = {}
    for y, d in src.data.items():
        if d.commune is None:
            continue
        for a in d.commune.awards:
            year = a.year or y
            if not src.phase.covers(year):
                continue
            same = award_key(year, a)
            if same in seen:
                continue
            seen.add(same)
            out.setdefault(year, []).append(a)
    return out


def _what(a: Award) -> str:
    """"Giấy khen (cấp xã)"."""
    form, level = form_text(a), level_text(a)
    return f"{form} ({level})" if level else form


def _details(collective: list[Award], people: list[Award]) -> str:
    parts = [f"{(a.name or '').strip() or COLLECTIVE}: {_what(a)}" for a in collective]
    forms = Counter(_what(a) for a in people)
    parts += [f"{count(n)} cá nhân: {what}" for what, n in sorted(forms.items())]
    return "; ".join(parts)
