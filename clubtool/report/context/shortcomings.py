"""Section VI, shortcomings: clubs that sent nothing, files left out, clubs below the
standard, indicators not met or without data.

Bounded: at most LIST_LIMIT clubs and files named (the full lists are in the JSON and XLSX
reports); past the per-club limit, clubs below the standard are counted by criterion
instead of a line per club.
"""

from __future__ import annotations

from ...vnformat import number
from .common import LIST_LIMIT, club_names, count
from .model import ClubRow, ClubSummary, IndicatorRow
from .source import Source


def shortcomings(src: Source, indicators: list[IndicatorRow], clubs: list[ClubRow],
                 summary: ClubSummary | None = None, no_commune: str = "") -> list[str]:
    out = []
    if no_commune:  # first: it changes how the rest of the report reads
        out.append(f"- {no_commune}")
    out += _files_and_missing_clubs(src)
    out += _clubs_below_standard(clubs) if summary is None else _criteria_failed(clubs, summary)
    out.extend(f"- Chỉ tiêu ({r.no}) \u201c{r.name}\u201d chưa đạt: thực hiện {r.actual} so với "
               f"kế hoạch {r.plan}." for r in indicators if r.status == "chua_dat")
    # An in-progress phase target is not a shortcoming; the commune-level indicators
    # without a commune workbook are explained above.
    no_data = [f"({r.no})" for r in indicators if r.status == "khong_co_du_lieu"
               and not (no_commune and r.commune_level)]
    if no_data:
        out.append(f"- Chưa có số liệu để đánh giá các chỉ tiêu {', '.join(no_data)}.")
    if not out:
        out.append("- Không phát hiện tồn tại qua số liệu báo cáo.")
    return out


def _files_and_missing_clubs(src: Source) -> list[str]:
    out = []
    not_sent = [c for c in src.result.missing if c not in src.excluded_codes]
    if not_sent:
        out.append(f"- Câu lạc bộ chưa gửi báo cáo: {club_names(src.result, not_sent)}.")
    excluded = src.excluded
    out.extend(f"- Tệp {e.path} có {e.reason}, chưa đưa vào tổng hợp; đã đề nghị câu "
               "lạc bộ sửa và gửi lại." for e in excluded[:LIST_LIMIT])
    # a club that sent its workbook twice: counted once, from the copy saved last
    out.extend(f"- Tệp {e.path} là bản gửi trước của một câu lạc bộ đã gửi lại báo cáo nên "
               "không tính; số liệu lấy theo bản lưu sau cùng."
               for e in src.not_counted[:LIST_LIMIT])
    if len(excluded) > LIST_LIMIT:
        out.append(f"- Ngoài ra còn {number(len(excluded) - LIST_LIMIT)} tệp khác có lỗi, "
                   "chưa đưa vào tổng hợp (danh sách đầy đủ trong báo cáo dạng XLSX, JSON và "
                   "kết quả lệnh clubtool validate); đã đề nghị các câu lạc bộ sửa và gửi lại.")
    return out


def _clubs_below_standard(clubs: list[ClubRow]) -> list[str]:
    """A line per club below the standard, with the criteria it failed."""
    return [f"- {c.code} ({c.village}) chưa đạt chuẩn: chưa đạt tiêu chí "
            + "; ".join(c.failed) + "." for c in clubs if c.failed]


def _criteria_failed(clubs: list[ClubRow], summary: ClubSummary) -> list[str]:
    """Past the per-club limit: how many clubs are below the standard, and the criteria
    most of them failed."""
    below = [c for c in clubs if c.failed]
    if not below:
        return []
    worst = sorted((r for r in summary.criteria[:-1] if r.raw[1]), key=lambda r: -r.raw[1])[:3]
    top = "; ".join(f"{r.label}: {r.no} câu lạc bộ ({r.share})" for r in worst)
    return [f"- {count(len(below))}/{count(len(clubs))} câu lạc bộ chưa đạt chuẩn"
            + (f"; các tiêu chí nhiều câu lạc bộ chưa đạt nhất: {top}" if top else "")
            + ". Tiêu chí chưa đạt của từng câu lạc bộ có trong báo cáo dạng XLSX và tệp "
            "tổng hợp."]
