"""What every section shares: the limits, the grid marks, a figure in words.

Numbers and dates are written by `clubtool.vnformat` (the one home of their text); these
only choose which form a cell of the report takes (a count, a share, a mark).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ... import schema as S
from ...indicators import CRITERIA
from ...vnformat import NO_VALUE, number, percent, whole

if TYPE_CHECKING:
    from ...indicators import IndicatorResult, Plan

#: Above this many clubs (listed or reported), DOCX, HTML and Markdown replace the per-club
#: tables by `ClubSummary` (`render_report(per_club_limit=…)`, `--per-club-limit`).
PER_CLUB_LIMIT = 60
#: At most this many clubs or files are named in a sentence or listed in section VI.
LIST_LIMIT = 20
HELD, MISSED = "x", "–"  # grid marks: held / required but not held (blank: not required)
NO_SOURCE = "Không ghi nguồn"
#: A listed club's reporting state (the club list; counted above the per-club limit).
REPORTED, NOT_SENT, FAULTY = "Đã báo cáo", "Chưa gửi báo cáo", "Báo cáo có lỗi"


def count(x: float | int | None) -> str:
    """A figure: "1.234"; None → "—"."""
    if type(x) is int:  # the common case, without vnformat.number's Decimal (same text)
        return whole(x)
    return NO_VALUE if x is None else number(x)


def share(num: float | int | None, den: float | int | None) -> str:
    """num/den as a percentage; "" when there is nothing to divide."""
    if num is None or not den:
        return ""
    return percent(num / den)


def pct(x: float | None) -> str:
    return NO_VALUE if x is None else percent(x)


def one_decimal(x: float | None) -> str:
    return NO_VALUE if x is None else number(x, 1)


def mark(flag: bool) -> str:
    return HELD if flag else ""


def age_words(label: str) -> str:
    """The figures' age band labels in words: "<60" → "Dưới 60 tuổi", "60-69" → "Từ 60
    đến 69 tuổi", ">=80" → "Từ 80 tuổi trở lên"."""
    if label.startswith("<"):
        return f"Dưới {label[1:]} tuổi"
    if label.startswith(">="):
        return f"Từ {label[2:]} tuổi trở lên"
    lo, _, hi = label.partition("-")
    return f"Từ {lo} đến {hi} tuổi"


def age_head(label: str) -> str:
    if label.startswith("<"):
        return f"Dưới {label[1:]}"
    if label.startswith(">="):
        return f"Từ {label[2:]}"
    return label.replace("-", " - ")


def content_name(header: str) -> str:
    """"ND1 Chăm sóc sức khỏe" → "Chăm sóc sức khỏe"."""
    return header.split(" ", 1)[1] if header.startswith("ND") else header


def criteria(plan: Plan) -> list[tuple[str, str]]:
    """(id, wording) of each criterion of the plan's standard, in the registry's order."""
    return [(c.id, c.describe(plan.standard)) for c in CRITERIA if c.applies(plan.standard)]


def more(shown: int, total: int, what: str) -> str:
    """" và 12 câu lạc bộ khác" when a list was cut, else ""."""
    return f" và {number(total - shown)} {what} khác" if total > shown else ""


def club_names(result: IndicatorResult, codes: Sequence[str]) -> str:
    """"MH-01 (Thôn Đông), MH-02": at most LIST_LIMIT, then "và N câu lạc bộ khác"."""
    parts = []
    for code in codes[:LIST_LIMIT]:
        k = result.known_club(code)
        village = k.village if k is not None and k.village else ""
        parts.append(f"{code} ({village})" if village else code)
    return ", ".join(parts) + more(len(parts), len(codes), "câu lạc bộ")


def content_heads() -> list[str]:
    """"ND1"…"ND8"."""
    return [f"ND{i}" for i in range(1, len(S.CONTENTS) + 1)]
