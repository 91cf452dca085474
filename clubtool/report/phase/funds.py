"""Section IV: the two funds of the reported clubs year by year, receipts by source, and
the sentence. Each year's figures are that year's `CommuneTotals` (the annual report's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ... import schema as S
from ...vnformat import money
from ..context.common import NO_SOURCE
from ..context.totals import CommuneTotals
from .common import year_row
from .model import YearRow
from .source import PhaseSource


@dataclass(frozen=True, slots=True)
class FundPart:
    rows: list[YearRow]
    text: list[str]


def fund_part(src: PhaseSource) -> FundPart:
    tots = [src.totals.get(y) for y in src.years]
    sources = [s for s in (*S.FUND_SOURCES, "")
               if any(t is not None and s in t.receipts_by_source for t in tots)]

    def per_year(get: Callable[[CommuneTotals], float]) -> list[float | None]:
        return [get(t) if t is not None else None for t in tots]

    rows = [year_row(f"Thu: {s or NO_SOURCE.lower()}", _receipts(tots, s), kind="money",
                     total=True)
            for s in sources]
    receipts = per_year(lambda t: sum(f.receipts for f in t.funds.values()))
    payments = per_year(lambda t: sum(f.payments for f in t.funds.values()))
    rows += [year_row("Tổng thu", receipts, kind="money", total=True, strong=True),
             year_row("Tổng chi", payments, kind="money", total=True, strong=True)]
    rows += [year_row(f"Số dư cuối năm quỹ {fund.lower()}", _closing(tots, fund),
                      kind="money")
             for fund in S.FUNDS]
    closing = per_year(lambda t: sum(f.closing for f in t.funds.values()))
    rows.append(year_row("Số dư cuối năm hai quỹ", closing, kind="money", strong=True))
    return FundPart(rows=rows, text=[_sentence(src, receipts, closing)])


def _receipts(tots: list[CommuneTotals | None], source: str) -> list[float | None]:
    return [t.receipts_by_source.get(source, 0) if t is not None else None for t in tots]


def _closing(tots: list[CommuneTotals | None], fund: str) -> list[float | None]:
    return [t.funds[fund].closing if t is not None else None for t in tots]


def _sentence(src: PhaseSource, receipts: list[float | None],
              closing: list[float | None]) -> str:
    total = sum(x for x in receipts if x is not None)
    contribution = sum(t.receipts_by_source.get(S.MEMBER_CONTRIBUTION, 0)
                       for t in src.totals.values())
    i0, i1 = src.years.index(src.first), src.years.index(src.last)
    text = (f"Trong các năm có số liệu ({', '.join(str(y) for y in src.data_years)}), các câu "
            f"lạc bộ đã thu {money(total)} đồng, trong đó thành viên đóng góp "
            f"{money(contribution)} đồng.")
    if src.first != src.last:
        text += (f" Số dư hai quỹ cuối năm {src.last} là {money(closing[i1])} đồng, so với "
                 f"{money(closing[i0])} đồng cuối năm {src.first}.")
    else:
        text += f" Số dư hai quỹ cuối năm {src.last} là {money(closing[i1])} đồng."
    return text
