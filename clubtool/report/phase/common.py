"""What the review's sections share: a figure year by year as a row."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ...vnformat import NO_VALUE, money, percent
from ..context.common import count
from .model import YearRow

Figure = float | int | None
FORMATS: dict[str, Callable[[float | int], str]] = {"count": count, "money": money,
                                                    "share": percent}


def year_row(label: str, raw: Sequence[Figure], *, kind: str = "count", total: bool = False,
             strong: bool = False) -> YearRow:
    """A row of one figure per year ("—" where None); `total`: the phase's sum too.
    `kind`: "count" (1.234), "money" (1.500.000, whole đồng) or "share" (81,9%)."""
    fmt = FORMATS[kind]
    cells = [NO_VALUE if x is None else fmt(x) for x in raw]
    known = [x for x in raw if x is not None]
    sum_raw: Figure = sum(known) if total and known else None
    return YearRow(label, cells, list(raw), fmt(sum_raw) if sum_raw is not None else "",
                   sum_raw, strong, kind)


def years_text(years: Sequence[int]) -> str:
    """"2029, 2030"."""
    return ", ".join(str(y) for y in years)
