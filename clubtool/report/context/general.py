"""Section I, general situation: the clubs known and expected, the reports received (and
who is missing), the clubs founded, the members."""

from __future__ import annotations

from collections.abc import Sequence

from .common import club_names, count
from .members import members_sentence
from .model import IndicatorRow
from .source import Source


def general_paragraphs(src: Source, indicators: list[IndicatorRow], no_commune: str) -> list[str]:
    """Section I's paragraphs; `no_commune` explains a missing commune workbook."""
    by_id = {r.id: r for r in indicators}
    tot = src.totals
    if src.has_commune:
        out = _reports_received(src, by_id)
    else:
        out = [f"Ủy ban nhân dân xã đã nhận báo cáo hợp lệ của {count(tot.reported)} câu lạc bộ.",
               no_commune]
    out.append(_new_clubs(src))
    out.append(members_sentence(tot.people))
    return out


def _reports_received(src: Source, by_id: dict[str, IndicatorRow]) -> list[str]:
    tot = src.totals
    vill = by_id.get("thon_co_clb")
    place_part = ""
    if vill and vill.numerator is not None:
        place_part = (f", hoạt động tại {count(vill.numerator)}/{count(vill.denominator)} thôn "
                      f"({vill.actual} số thôn)")
    rate = by_id.get("ty_le_nop_bao_cao")
    rate_text = f" (tỷ lệ nộp báo cáo {rate.actual})" if rate and rate.value is not None else ""
    missing = _missing_sentence(src, src.result.missing)
    return [f"Toàn xã có {count(tot.known)} câu lạc bộ liên thế hệ tự giúp nhau{place_part}; "
            f"{count(tot.expected)} câu lạc bộ có trách nhiệm báo cáo kết quả năm {src.year}.",
            f"Ủy ban nhân dân xã đã nhận báo cáo hợp lệ của {count(tot.reported)}/"
            f"{count(tot.expected)} câu lạc bộ{rate_text}.{missing}"]


def _missing_sentence(src: Source, missing: Sequence[str]) -> str:
    if not missing:
        return " Tất cả các câu lạc bộ đã gửi báo cáo."
    not_sent = [c for c in missing if c not in src.excluded_codes]
    faulty = [c for c in missing if c in src.excluded_codes]
    out = ""
    if not_sent:
        out += (f" Chưa nhận được báo cáo của {count(len(not_sent))} câu lạc bộ: "
                f"{club_names(src.result, not_sent)}.")
    if faulty:
        out += (f" Báo cáo của {count(len(faulty))} câu lạc bộ còn lỗi, chưa đưa vào tổng hợp: "
                f"{club_names(src.result, faulty)}.")
    return out


def _new_clubs(src: Source) -> str:
    tot, year = src.totals, src.year
    since = f"từ đầu {src.phase.title.lower()} đến nay"
    in_phase = (f"{since} đã thành lập mới {count(len(tot.new_in_phase))} câu lạc bộ"
                if tot.new_in_phase else f"{since} chưa thành lập mới câu lạc bộ nào")
    if tot.new_in_year:
        return (f"Trong năm {year} thành lập mới {count(len(tot.new_in_year))} câu lạc bộ: "
                f"{club_names(src.result, tot.new_in_year)}; {in_phase}.")
    return f"Trong năm {year} không thành lập mới câu lạc bộ nào; {in_phase}."
