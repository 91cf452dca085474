"""The members of the reported clubs (section I): the table and its sentence.

Counts only, from the pooled `MemberCounts`: nothing here reads a member's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import schema as S
from ...indicators.figures import age_labels
from .common import age_words, count, share
from .model import Row

if TYPE_CHECKING:
    from ...indicators import Plan
    from ...indicators.figures import MemberCounts


def member_rows(p: MemberCounts, plan: Plan) -> list[Row]:
    """"Nữ | 198 | 68,0%": every group of members, with its share of all."""
    total = p.total

    def row(label: str, n: int, strong: bool = False) -> Row:
        return Row(label, count(n), share(n, total) if total else "", n, strong)

    rows = [row("Tổng số thành viên", total, True),
            row("Nam", p.by_sex.get("Nam", 0)), row("Nữ", p.by_sex.get("Nữ", 0))]
    rows += [row(age_words(label), p.by_age.get(label, 0))
             for label in age_labels(plan.age_bands)]
    rows += [row("Người cao tuổi", p.older),
             row("Trong đó: nữ người cao tuổi", p.female_older),
             row("Thuộc hộ nghèo", p.hardship.get("Nghèo", 0)),
             row("Thuộc hộ cận nghèo", p.hardship.get("Cận nghèo", 0)),
             row("Người khuyết tật", p.disability), row("Người neo đơn", p.lonely),
             row(S.MEMBERS.field("needs_livelihood").header, p.needs_livelihood),
             row("Trong đó: được hỗ trợ sinh kế", p.got_livelihood),
             row("Được khám sức khỏe định kỳ", p.health_checks),
             row("Tình nguyện viên chăm sóc tại nhà", p.volunteers),
             row("Thành viên Ban chủ nhiệm", p.board)]
    return rows


def members_sentence(p: MemberCounts) -> str:
    """Section I's paragraph on members: by sex, older people, hardship."""
    total = p.total
    if not total:
        return "Chưa có số liệu thành viên (chưa có báo cáo hợp lệ của câu lạc bộ nào)."
    men, women = p.by_sex.get("Nam", 0), p.by_sex.get("Nữ", 0)
    hardship = sum(p.hardship.get(h, 0) for h in S.HARDSHIP)
    return (f"Các câu lạc bộ đã báo cáo có {count(total)} thành viên, trong đó nam "
            f"{count(men)} người ({share(men, total)}), nữ "
            f"{count(women)} người ({share(women, total)}); người cao tuổi "
            f"{count(p.older)} người ({share(p.older, total)}), trong đó nữ người cao tuổi "
            f"{count(p.female_older)} người ({share(p.female_older, total)}); thành viên "
            f"thuộc hộ nghèo, cận nghèo {count(hardship)} người.")
