"""Section I: which years the review rests on, and the phase's start against its end
("Số câu lạc bộ tăng từ 5 (năm 2026) lên 8 (năm 2030)…"), from the first and the last year
with data. Only words: every figure is read from the rows the other sections built."""

from __future__ import annotations

from ...vnformat import short_date
from ..context.common import count
from .common import years_text
from .model import YearRow
from .source import PhaseSource


def change(a: int | float | None, b: int | float | None, y0: int, y1: int,
           unit: str = "") -> str:
    """"tăng từ 5 (năm 2026) lên 8 (năm 2030)", "giảm từ …", "không đổi (5 …)"."""
    u = f" {unit}" if unit else ""
    if a is None or b is None:
        return "chưa đủ số liệu để so sánh"
    if b > a:
        return f"tăng từ {count(a)}{u} (năm {y0}) lên {count(b)}{u} (năm {y1})"
    if b < a:
        return f"giảm từ {count(a)}{u} (năm {y0}) xuống {count(b)}{u} (năm {y1})"
    return f"không đổi ({count(a)}{u} năm {y0} và năm {y1})"


def overview(src: PhaseSource, clubs: list[YearRow], members: list[YearRow]) -> list[str]:
    """`clubs`: the rows of `club_part` (existing, founded, dissolved, reported, missing,
    standard); `members`: those of `member_rows` (total first, then by group)."""
    n, total = len(src.data), len(src.years)
    last = src.data[src.last].result
    as_of = "" if (last.as_of.month, last.as_of.day) == (12, 31) else (
        f"; số liệu năm {src.last} tính đến ngày {short_date(last.as_of)}")
    out = [f"Báo cáo tổng hợp số liệu của {n}/{total} năm của giai đoạn (năm "
           f"{years_text(src.data_years)}), từ báo cáo hằng năm của các câu lạc bộ và của xã"
           f"{as_of}."]
    i0, i1 = src.years.index(src.first), src.years.index(src.last)
    existing, founded, dissolved, reported, _, standard = clubs
    by = {r.label: r for r in members}
    older, total_members = by["Người cao tuổi"], members[0]
    if src.first == src.last:
        out.append(f"Mới có số liệu năm {src.first}: {existing.cells[i0]} câu lạc bộ đang hoạt "
                   f"động, {reported.cells[i0]} câu lạc bộ gửi báo cáo hợp lệ với "
                   f"{total_members.cells[i0]} thành viên, {standard.cells[i0]} câu lạc bộ đạt "
                   "chuẩn; chưa so sánh được đầu và cuối giai đoạn.")
    else:
        y0, y1 = src.first, src.last

        def ch(row: YearRow, unit: str = "") -> str:
            return change(row.raw[i0], row.raw[i1], y0, y1, unit)

        out.append(f"Số câu lạc bộ đang hoạt động {ch(existing)}; số câu lạc bộ gửi báo cáo "
                   f"hợp lệ {ch(reported)}. Tổng số thành viên {ch(total_members, 'người')}, "
                   f"trong đó người cao tuổi {ch(older, 'người')}. Số câu lạc bộ đạt chuẩn "
                   f"{ch(standard)}.")
    parts = [f"{r.total} câu lạc bộ {what}" for r, what in
             ((founded, "thành lập mới"), (dissolved, "giải thể")) if r.total_raw]
    out.append(f"Đến năm {src.last}, trong giai đoạn có " + " và ".join(parts) + "."
               if parts else
               f"Đến năm {src.last}, trong giai đoạn chưa có câu lạc bộ thành lập mới hay giải "
               "thể.")
    return out
