"""Section VII, "Phương hướng, nhiệm vụ": a starting text the officer edits in Word."""

from __future__ import annotations

from ...indicators.format import reaches
from .model import IndicatorRow
from .source import Source


def direction(src: Source, indicators: list[IndicatorRow]) -> list[str]:
    out = [f"Năm {src.year + 1}, tiếp tục triển khai thực hiện Kế hoạch; duy trì sinh hoạt "
           "định kỳ hằng tháng với đủ 08 nội dung hoạt động, lồng ghép các nội dung chuyển đổi "
           "số, chuyển đổi xanh, khởi nghiệp, tạo việc làm tại các câu lạc bộ."]
    unmet = [f"({r.no})" for r in indicators if r.status == "chua_dat"]
    if unmet:
        out.append(f"Tập trung chỉ đạo thực hiện các chỉ tiêu chưa đạt {', '.join(unmet)}; "
                   "kiện toàn, hỗ trợ các câu lạc bộ chưa đạt chuẩn khắc phục các tiêu chí còn "
                   "thiếu.")
    behind = [f"({r.no})" for r in indicators if r.status == "dang_thuc_hien"
              and r.target is not None and not reaches(r.value, r.target)]
    if behind:
        out.append(f"Phấn đấu hoàn thành các chỉ tiêu tính cho cả giai đoạn chưa đủ mức kế "
                   f"hoạch {', '.join(behind)} trước hết năm {src.phase.last_year}.")
    if src.result.missing:
        out.append("Đôn đốc các câu lạc bộ báo cáo đầy đủ, đúng hạn (trước ngày 13/12 hằng năm); "
                   "hướng dẫn các câu lạc bộ có báo cáo còn lỗi sửa và gửi lại.")
    return out
