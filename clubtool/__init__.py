"""clubtool — câu lạc bộ liên thế hệ tự giúp nhau: mẫu, kiểm tra, tổng hợp, chỉ tiêu, báo cáo."""

__version__ = "0.1.0"
