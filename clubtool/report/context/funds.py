"""Section IV: the two funds of all reported clubs, receipts by source, and the sentence."""

from __future__ import annotations

from dataclasses import dataclass

from ... import schema as S
from ...vnformat import money
from .common import NO_SOURCE, share
from .model import Row
from .totals import CommuneTotals

_KEYS = ("opening", "receipts", "payments", "closing")


@dataclass(frozen=True, slots=True)
class FundSection:
    rows: list[list[str]]  # per fund and "Cộng": [name, opening, receipts, payments, closing]
    raw: list[list[float]]  # the same figures, unformatted
    sources: list[Row]  # receipts by source, and "Cộng"
    text: list[str]


def fund_section(tot: CommuneTotals) -> FundSection:
    by_fund = tot.funds
    sums = {k: sum(getattr(v, k) for v in by_fund.values()) for k in _KEYS}
    raw = [[getattr(v, k) for k in _KEYS] for v in by_fund.values()] + [[sums[k] for k in _KEYS]]
    names = [f"Quỹ {name.lower()}" for name in by_fund] + ["Cộng"]
    rows = [[name, *(money(x) for x in r)] for name, r in zip(names, raw, strict=True)]
    receipts = sums["receipts"]
    sources = [Row(src or NO_SOURCE, money(amount), share(amount, receipts), amount)
               for src, amount in tot.receipts_by_source.items()]
    sources.append(Row("Cộng", money(receipts), "100%" if receipts else "", receipts, True))
    if receipts or sums["opening"]:
        contribution = tot.receipts_by_source.get(S.MEMBER_CONTRIBUTION, 0)
        text = (f"Tổng số dư đầu năm của hai quỹ là {money(sums['opening'])} đồng; trong năm "
                f"thu {money(receipts)} đồng (thành viên đóng góp {money(contribution)} đồng, "
                f"chiếm {share(contribution, receipts) or '0%'}), chi "
                f"{money(sums['payments'])} đồng; số dư cuối kỳ {money(sums['closing'])} đồng.")
    else:
        text = "Chưa có số liệu quỹ."
    return FundSection(rows=rows, raw=raw, sources=sources, text=[text])
