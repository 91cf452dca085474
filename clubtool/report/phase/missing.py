"""Section VI: what the review lacks: years without data, years without the commune's
workbook, clubs that sent no report, files left out for errors (counted, never quoted)."""

from __future__ import annotations

from dataclasses import dataclass

from ...vnformat import NO_VALUE
from ..context.common import club_names, count
from .common import years_text
from .model import CoverageRow
from .source import PhaseSource


@dataclass(frozen=True, slots=True)
class MissingPart:
    coverage: list[CoverageRow]
    text: list[str]


def missing_part(src: PhaseSource) -> MissingPart:
    coverage = []
    for y in src.years:
        r = src.result(y)
        if r is None:
            coverage.append(CoverageRow(y, "Chưa có số liệu", NO_VALUE, NO_VALUE, NO_VALUE,
                                        NO_VALUE, has_data=False))
            continue
        coverage.append(CoverageRow(
            y, "Có số liệu", "Có" if r.has_commune else "Không có", count(len(r.clubs)),
            count(len(r.missing)) if r.has_commune else NO_VALUE, count(len(r.excluded))))
    return MissingPart(coverage=coverage, text=_text(src))


def _text(src: PhaseSource) -> list[str]:
    out = []
    empty = [y for y in src.years if y not in src.data]
    if empty:
        out.append(f"Chưa có số liệu các năm {years_text(empty)}: các bảng để trống (—) ở các "
                   "năm này; các nhận xét so sánh chỉ dùng các năm có số liệu.")
    no_commune = [y for y, d in src.data.items() if not d.result.has_commune]
    if no_commune:
        out.append(f"Năm {years_text(no_commune)} không có mẫu báo cáo của xã dùng được: các chỉ "
                   "tiêu cấp xã (cán bộ được tập huấn, tuyên truyền, thôn có câu lạc bộ, tỷ lệ "
                   "nộp báo cáo) không có số liệu và không biết câu lạc bộ nào chưa gửi báo cáo.")
    for y, d in src.data.items():
        r = d.result
        if r.missing:
            out.append(f"Năm {y}: {count(len(r.missing))} câu lạc bộ chưa gửi báo cáo: "
                       f"{club_names(r, r.missing)}.")
        if r.excluded:
            out.append(f"Năm {y}: {count(len(r.excluded))} tệp bị loại vì có lỗi (không tính "
                       "vào số liệu).")
    if not out:
        out.append("Các năm của giai đoạn đều có số liệu; các câu lạc bộ đều đã gửi báo cáo.")
    return out
