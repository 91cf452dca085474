"""Without a usable commune workbook: why the commune-level indicators have no figure,
naming them, and what to do (a paragraph of section I, a line of section VI)."""

from __future__ import annotations

from pathlib import Path

from ...indicators.registry import BY_ID
from .model import IndicatorRow
from .source import Source


def no_commune_texts(src: Source, indicators: list[IndicatorRow]) -> tuple[str, str]:
    """(section I's paragraph, section VI's line); ("", "") with a commune workbook."""
    if src.has_commune:
        return "", ""
    rows = [r for r in indicators if r.commune_level]
    names = "; ".join(f"({r.no}) {BY_ID[r.id].name if r.id in BY_ID else r.name}" for r in rows)
    lost = (f"nên chưa tính được các chỉ tiêu cấp xã: {names}; cũng chưa xác định được câu lạc "
            "bộ nào chưa gửi báo cáo")
    short = f"chưa đánh giá được {len(rows)} chỉ tiêu cấp xã: {names}"
    bad = src.validation.commune_result if src.validation is not None else None
    if (bad is not None and bad.errors) or src.commune is not None:
        # Faulty: left out of the figures (passed here for the document's head only).
        name = f" {Path(bad.path).name}" if bad is not None and bad.errors else ""
        what = f"Tệp thông tin của xã{name} (trang “Thông tin xã”) có lỗi nên bị loại"
        fix = ("Cần sửa các lỗi của tệp này (lệnh clubtool validate chỉ rõ từng ô) rồi lập "
               "lại báo cáo.")
        return (f"{what}, không dùng để tính số liệu, {lost}. {fix}",
                f"{what}, vì vậy {short}. {fix}")
    what = f"Chưa có tệp thông tin của xã năm {src.year} (tệp Excel có trang “Thông tin xã”)"
    fix = ("Cần đặt tệp thông tin của xã vào thư mục dữ liệu (hoặc chỉ rõ tệp bằng tùy chọn "
           "--commune) rồi lập lại báo cáo.")
    return (f"{what.removesuffix(')')}, với danh sách thôn, câu lạc bộ và cán bộ của xã) {lost}. "
            f"{fix}", f"{what} nên {short}. {fix}")
