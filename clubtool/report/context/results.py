"""Section III's lead paragraphs: meetings, contents, board training and outreach.

Two outreach figures meet in this report and must not be read as one: the clubs' own
outreach sessions (the `Tuyên truyền` sheet of each club workbook: sessions and people
reached, a person counted at every session) and the commune's outreach (the `Thôn` sheet of
the commune workbook: people reached in each village, counted once, against the village's
target). The indicator `tuyen_truyen` uses the commune's (docs/indicators.md: Σ over villages
min(reached, target) / Σ target); every place that shows either figure says which it is.
"""

from __future__ import annotations

from ... import schema as S
from .common import count, one_decimal
from .model import IndicatorRow
from .source import Source

#: The indicator computed from the villages' outreach (the commune workbook).
OUTREACH_INDICATOR = "tuyen_truyen"
CLUB_OUTREACH = f"trang {S.OUTREACH.name} của tệp câu lạc bộ"
COMMUNE_OUTREACH = f"trang {S.VILLAGES.name} của mẫu báo cáo của xã"


def results_paragraphs(src: Source, indicators: list[IndicatorRow] | None = None) -> list[str]:
    tot = src.totals
    if not src.result.clubs:
        return ["Chưa có báo cáo hợp lệ của câu lạc bộ nào.",
                *_commune_outreach(src, indicators or [])]
    reported, p, tr = tot.reported, tot.people, tot.trainings
    return [
        f"Trong năm, {count(reported)} câu lạc bộ đã báo cáo tổ chức "
        f"{count(tot.sessions)} buổi sinh hoạt (bình quân "
        f"{one_decimal(tot.average_attendance)} người dự mỗi buổi); "
        f"{count(tot.clubs_monthly)}/{count(reported)} câu lạc bộ sinh hoạt định kỳ hằng "
        f"tháng, {count(tot.clubs_all_contents)}/{count(reported)} câu lạc bộ thực hiện đủ "
        f"08 nội dung, {count(tot.clubs_transformation)}/{count(reported)} câu lạc bộ có nội "
        "dung chuyển đổi số, chuyển đổi xanh, khởi nghiệp, tạo việc làm.",
        f"Thành viên Ban chủ nhiệm các câu lạc bộ tham gia {count(sum(tr.values()))} lượt tập "
        f"huấn ({count(tr.get(S.TRAINING_INITIAL, 0))} lượt tập huấn ban đầu, "
        f"{count(tr.get(S.TRAINING_REFRESHER, 0))} lượt tập huấn nhắc lại); "
        f"{count(p.board_trained)}/{count(p.board)} thành viên Ban chủ nhiệm được tập "
        f"huấn đủ theo yêu cầu; {count(p.health_checks)} thành viên được khám sức khỏe định "
        f"kỳ, {count(p.volunteers)} thành viên là tình nguyện viên chăm sóc tại nhà.",
        f"Tuyên truyền do các câu lạc bộ tổ chức ({CLUB_OUTREACH}): "
        f"{count(tot.outreach_sessions)} buổi với {count(tot.outreach_reached)} lượt người "
        "được tiếp cận (một người dự nhiều buổi được tính nhiều lượt).",
        *_commune_outreach(src, indicators or []),
    ]


def _commune_outreach(src: Source, indicators: list[IndicatorRow]) -> list[str]:
    """The commune's outreach, the one the indicator uses, said beside the clubs' own."""
    row = next((r for r in indicators if r.id == OUTREACH_INDICATOR), None)
    if row is None:  # a plan without this indicator
        return []
    which = f"chỉ tiêu ({row.no}) về tuyên truyền ở Bảng 3"
    if row.numerator is None or row.denominator is None:
        return [f"Tuyên truyền của xã theo từng thôn ({COMMUNE_OUTREACH}): chưa có số liệu, "
                f"nên {which} chưa tính được; số lượt người được tiếp cận trong các buổi "
                "tuyên truyền của câu lạc bộ không dùng thay được."]
    return [f"Tuyên truyền của xã theo từng thôn ({COMMUNE_OUTREACH}): "
            f"{count(row.numerator)}/{count(row.denominator)} hội viên, người cao tuổi và người "
            f"dân thuộc đối tượng tuyên truyền đã được tuyên truyền ({row.actual}; mỗi người "
            "tính một lần, thôn ghi số người được tuyên truyền nhiều hơn số đối tượng chỉ tính "
            f"bằng số đối tượng). {which[:1].upper() + which[1:]} tính theo số liệu này của xã, không "
            "tính theo số lượt người được tiếp cận trong các buổi tuyên truyền của câu lạc bộ."]


def outreach_note(indicators: list[IndicatorRow]) -> str:
    """Under the clubs' outreach columns (table 6): what they count, what the indicator
    counts instead."""
    row = next((r for r in indicators if r.id == OUTREACH_INDICATOR), None)
    text = (f"Ghi chú: tuyên truyền do câu lạc bộ tổ chức ({CLUB_OUTREACH}): số buổi và số "
            "lượt người được tiếp cận, một người dự nhiều buổi được tính nhiều lượt.")
    if row is not None:
        text += (f" Chỉ tiêu ({row.no}) về tuyên truyền không tính theo các số này mà "
                 f"theo số người được tuyên truyền của các thôn ({COMMUNE_OUTREACH}).")
    return text
