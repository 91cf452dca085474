"""Section III's lead paragraphs: meetings, contents, board training and outreach."""

from __future__ import annotations

from ... import schema as S
from .common import count, one_decimal
from .source import Source


def results_paragraphs(src: Source) -> list[str]:
    tot = src.totals
    if not src.result.clubs:
        return ["Chưa có báo cáo hợp lệ của câu lạc bộ nào."]
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
        f"huấn đủ theo yêu cầu. Các câu lạc bộ tổ chức {count(tot.outreach_sessions)} buổi tuyên "
        f"truyền với {count(tot.outreach_reached)} lượt người được tiếp cận; "
        f"{count(p.health_checks)} thành viên được khám sức khỏe định kỳ, "
        f"{count(p.volunteers)} thành viên là tình nguyện viên chăm sóc tại nhà.",
    ]
