"""XLSX: the review as a workbook, one sheet per section, a column per year of the phase.

Laid out with the annual workbook's sheet helper and formats (`report.formats.xlsx`):
figures as numbers with number formats, every string written as a string (a club named
"=HYPERLINK(…)" stays a name), A4 landscape pages. The indicator sheet carries a native
Excel line chart of the ratio indicators year by year. Every club keeps its row in the
standard's grid at any scale. Deterministic: fixed document properties and zip timestamps.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .... import schema as S
from ...formats import normalise_zip
from ...formats.xlsx import CLUB_ID, FONT, VILLAGE, _formats, _Sheet, document_workbook
from ..model import PhaseContext, YearRow
from . import ITEM, YEAR

YEAR_WIDTH = 13
NUMBER_FORMAT = {"count": "int", "money": "money", "share": "pct"}


def render(ctx: PhaseContext, *, templates: Path | str | None = None) -> bytes:
    buf = io.BytesIO()
    wb = document_workbook(buf, title=f"{ctx.header.kind.capitalize()} {ctx.header.subject}",
                           subject=ctx.header.subject, issuer=ctx.issuer_name, date=ctx.date)
    f = _formats(wb)
    f["wrap"] = wb.add_format({"font_name": FONT, "font_size": 12, "text_wrap": True,
                               "valign": "top"})
    f["nodata"] = wb.add_format({"font_name": FONT, "font_size": 12, "border": 1,
                                 "align": "center", "valign": "vcenter",
                                 "bg_color": "#EEEEEE"})
    _overview(wb, f, ctx)
    _indicators(wb, f, ctx)
    _year_sheet(wb, f, ctx, S.REGISTRY.name, "SỐ CÂU LẠC BỘ QUA CÁC NĂM", ctx.club_rows,
                total=True, notes=ctx.club_text)
    _year_sheet(wb, f, ctx, S.MEMBERS.name, "THÀNH VIÊN CÁC CÂU LẠC BỘ ĐÃ BÁO CÁO QUA CÁC NĂM",
                ctx.member_rows)
    _grid(wb, f, ctx)
    _year_sheet(wb, f, ctx, S.FUND.name, "THU, CHI VÀ SỐ DƯ QUỸ QUA CÁC NĂM (đồng)", ctx.fund_rows,
                total=True, notes=ctx.fund_text)
    _awards(wb, f, ctx)
    _missing(wb, f, ctx)
    wb.close()
    return normalise_zip(buf.getvalue())


def _heading(sh: _Sheet, ctx: PhaseContext, title: str, span: int) -> None:
    sh.title(title, span)
    sh.line(f"{ctx.issuer_name} - {ctx.kind_word.lower()} {ctx.span}; số liệu các năm "
            + ", ".join(str(y) for y in ctx.data_years), "italic")
    sh.gap()


def _year_cells(ctx: PhaseContext, raw: Sequence[float | int | None], fmt: str, *,
                dash: bool = True) -> tuple[list[Any], list[str]]:
    """One cell per year: the figure, or "—" (blank when not `dash`: a chart's source, where
    text would be drawn as 0) on grey for a year without data."""
    values: list[Any] = []
    fmts: list[str] = []
    for y, x in zip(ctx.years, raw, strict=True):
        values.append(x if x is not None else ("—" if dash else None))
        fmts.append("nodata" if x is None and y not in ctx.data_years else
                    ("center" if x is None else fmt))
    return values, fmts


def _overview(wb: Any, f: dict[str, Any], ctx: PhaseContext) -> None:
    sh = _Sheet(wb, "Tổng quan", f, [120])
    sh.line(ctx.header.kind, "bold")
    for line in ctx.header.subject_lines:
        sh.line(line, "bold")
    sh.line(ctx.header.place_date, "italic")
    sh.gap()
    for title, paras in (("I. Khái quát chung", ctx.overview),
                         ("II. Kết quả thực hiện các chỉ tiêu", [ctx.indicator_summary]),
                         ("VI. Số liệu còn thiếu", ctx.missing_text)):
        sh.line(title, "bold")
        for text in paras:
            sh.cells([text], ["wrap"])
        sh.gap()


def _indicators(wb: Any, f: dict[str, Any], ctx: PhaseContext) -> None:
    n = len(ctx.years)
    sh = _Sheet(wb, "Chỉ tiêu", f, [5, 60, 18, *([YEAR_WIDTH] * n), 16])
    _heading(sh, ctx, f"CÁC CHỈ TIÊU QUA TỪNG NĂM {ctx.span.upper()}", n + 4)
    heads = ["TT", "Chỉ tiêu", "Kế hoạch", *ctx.year_heads, ctx.end_head]
    head_row = sh.header(heads)
    first = sh.row
    for r in ctx.indicators:
        values, fmts = _year_cells(ctx, r.values, "pct" if r.unit == "ratio" else "int",
                                   dash=False)
        sh.cells([r.no, r.name, r.plan, *values, r.end_text],
                 ["center", "cell", "center", *fmts, "center"])
    sh.gap()
    sh.line("Ô trống: không có số liệu (tô xám: năm chưa có số liệu).", "italic")
    sh.gap()
    sh.line("Đánh giá từng năm so với kế hoạch", "bold")
    sh.header(["TT", "Chỉ tiêu", "Kế hoạch", *ctx.year_heads, ctx.end_head])
    for r in ctx.indicators:
        sh.cells([r.no, r.name, r.plan, *(m or "" for m in r.marks), r.end_text],
                 ["center", "cell", "center", *(["center"] * n), "center"])
    sh.ws.freeze_panes(0, 0)
    ratios = [(first + i, r) for i, r in enumerate(ctx.indicators)
              if r.unit == "ratio" and any(v is not None for v in r.values)]
    if not ratios:
        return
    chart = wb.add_chart({"type": "line"})
    for row, r in ratios:
        chart.add_series({"name": f"({r.no})", "categories": ["Chỉ tiêu", head_row, 3,
                                                               head_row, n + 2],
                          "values": ["Chỉ tiêu", row, 3, row, n + 2],
                          "marker": {"type": "circle", "size": 5}})
    chart.set_title({"name": "Các chỉ tiêu tính theo tỷ lệ qua từng năm",
                     "name_font": {"name": FONT, "size": 12}})
    chart.set_y_axis({"num_format": "0%", "min": 0, "num_font": {"name": FONT}})
    chart.set_x_axis({"num_font": {"name": FONT}})
    chart.set_legend({"position": "right", "font": {"name": FONT}})
    chart.show_blanks_as("gap")
    chart.set_size({"width": 820, "height": 360})
    sh.ws.insert_chart(sh.row + 1, 1, chart)


def _year_sheet(wb: Any, f: dict[str, Any], ctx: PhaseContext, name: str, title: str,
                rows: list[YearRow], *, total: bool = False,
                notes: Sequence[str] = ()) -> None:
    n = len(ctx.years)
    sh = _Sheet(wb, name, f, [48, *([YEAR_WIDTH + 3] * n), *([18] if total else [])])
    _heading(sh, ctx, title, n + 1 + total)
    sh.header([ITEM, *ctx.year_heads, *(["Cộng giai đoạn"] if total else [])])
    for r in rows:
        fmt = NUMBER_FORMAT[r.kind]
        if r.strong and fmt != "pct":
            fmt = "bold_money"
        values, fmts = _year_cells(ctx, r.raw, fmt)
        tail = [r.total_raw if r.total_raw is not None else ""] if total else []
        sh.cells([r.label, *values, *tail],
                 ["bold_cell" if r.strong else "cell", *fmts, *([fmt] if total else [])])
    if notes:
        sh.gap()
        for text in notes:
            sh.line(text, "italic")


def _grid(wb: Any, f: dict[str, Any], ctx: PhaseContext) -> None:
    n = len(ctx.years)
    sh = _Sheet(wb, "Đạt chuẩn", f, [6, 10, 40, 18, *([YEAR_WIDTH] * n), 14])
    _heading(sh, ctx, "KẾT QUẢ ĐẠT CHUẨN CỦA TỪNG CÂU LẠC BỘ QUA CÁC NĂM", n + 5)
    sh.header(["TT", CLUB_ID, "Tên câu lạc bộ", VILLAGE, *ctx.year_heads,
               "Số năm đạt / có báo cáo"])
    for g in ctx.grid_all:
        fmts = ["nodata" if y not in ctx.data_years else "center" for y in ctx.years]
        sh.cells([g.no, g.code, g.name, g.village, *g.cells, g.met],
                 ["center", "center", "cell", "cell", *fmts, "center"])
    sh.gap()
    sh.line(ctx.grid_legend, "italic")
    sh.gap()
    sh.line("Số câu lạc bộ theo kết quả đạt chuẩn", "bold")
    sh.ws.merge_range(sh.row, 2, sh.row, 3, ITEM, f["head"])
    for col, text in enumerate(ctx.year_heads, start=4):
        sh.ws.write_string(sh.row, col, text, f["head"])
    sh.row += 1
    for r in ctx.grid_counts:
        values, fmts = _year_cells(ctx, r.raw, "int")
        sh.ws.merge_range(sh.row, 2, sh.row, 3, r.label, f["cell"])
        for col, (v, fm) in enumerate(zip(values, fmts, strict=True), start=4):
            if isinstance(v, str):
                sh.ws.write_string(sh.row, col, v, f[fm])
            else:
                sh.ws.write_number(sh.row, col, v, f[fm])
        sh.row += 1


def _awards(wb: Any, f: dict[str, Any], ctx: PhaseContext) -> None:
    sh = _Sheet(wb, S.AWARDS.name, f, [10, 12, 12, 90])
    _heading(sh, ctx, "KHEN THƯỞNG QUA CÁC NĂM", 4)
    sh.header([YEAR, "Tập thể", "Cá nhân", "Nội dung khen thưởng"])
    for a in ctx.awards:
        counts: list[Any] = list(a.raw) if a.raw else [a.collective, a.individual]
        fmt = "int" if a.raw else "nodata"
        sh.cells([a.year, *counts, a.details], ["center", fmt, fmt, "cell"])
    sh.gap()
    for text in ctx.award_text:
        sh.line(text, "italic")


def _missing(wb: Any, f: dict[str, Any], ctx: PhaseContext) -> None:
    sh = _Sheet(wb, "Số liệu còn thiếu", f, [10, 20, 20, 16, 18, 16])
    _heading(sh, ctx, "SỐ LIỆU CỦA TỪNG NĂM VÀ SỐ LIỆU CÒN THIẾU", 6)
    sh.header([YEAR, "Số liệu", "Mẫu báo cáo của xã", "CLB đã báo cáo",
               "CLB chưa gửi báo cáo", "Tệp bị loại do lỗi"])
    for r in ctx.coverage:
        sh.cells([r.year, r.state, r.commune, r.reported, r.missing, r.excluded],
                 ["nodata" if not r.has_data else "center", "cell", "center", "center",
                  "center", "center"])
    missing = ctx.payload.get("missing", {})
    if any(missing.values()):
        sh.gap()
        sh.line("Câu lạc bộ chưa gửi báo cáo", "bold")
        sh.header([YEAR, CLUB_ID])
        for year, codes in missing.items():
            for code in codes:
                sh.cells([int(year), code], ["center", "center"])
