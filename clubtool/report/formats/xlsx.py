"""XLSX: the indicator sheet with a native Excel chart, then one sheet per table of clubs.

Figures are written as numbers with number formats (Excel shows them with the user's
separators); a figure of 16 digits or more, which Excel would show with wrong last digits, as
text with its exact digits (a nation's funds, in đồng). Text always as text:
`strings_to_formulas` is off and every string goes through `write_string`, so a club named
"=HYPERLINK(…)" stays a name. Deterministic: fixed document properties and zip timestamps.

Unlike the documents, the workbook keeps one row per club at any scale (`ctx.clubs_all`,
`ctx.club_list_all`). Past the per-club limit it is written in xlsxwriter's
`constant_memory` mode: each row goes to a temporary file as soon as the next one starts,
so memory does not grow with the number of clubs (strings are then stored inline and the
chart keeps no cached values; Excel and LibreOffice read them from the cells).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ... import schema as S
from .. import vn
from ..context import LIST_LIMIT, ReportContext
from . import normalise_zip

FONT = "Times New Roman"
#: Excel keeps 15 significant digits: from here on a figure is written as exact text.
EXCEL_EXACT_LIMIT = 10**15
ROW_HEIGHT_MAX = 409

# Captions that name a workbook's column or sheet take its wording from the schema.
CLUB_ID = S.CLUB_INFO.field("club_id").header
VILLAGE = S.CLUB_INFO.field("village").header
FOUNDED = S.CLUB_INFO.field("founded").header
FUND = S.FUND.field("fund").header
SOURCE = S.FUND.field("source").header
AWARD_TARGET = S.AWARDS.field("target").header
AWARD_FORM = S.AWARDS.field("form").header
AWARD_LEVEL = S.AWARDS.field("level").header
#: Dates are dates (sortable, filterable), shown the Vietnamese way.
DATE_FORMAT = "dd/mm/yyyy"


class _Sheet:
    """A worksheet with a cursor and the workbook's formats."""

    def __init__(self, wb: Any, name: str, f: dict[str, Any], widths: Sequence[float]):
        self.ws = wb.add_worksheet(name)
        self.f = f
        self.row = 0
        self.widths = list(widths)
        for i, w in enumerate(widths):
            self.ws.set_column(i, i, w)
        self.ws.set_paper(9)  # A4
        self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)
        self.ws.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)

    def title(self, text: str, span: int) -> None:
        if span > 1:
            self.ws.merge_range(self.row, 0, self.row, span - 1, "", self.f["title"])
        self.ws.write_string(self.row, 0, text, self.f["title"])
        self.row += 1

    def line(self, text: str, fmt: str = "text") -> None:
        self.ws.write_string(self.row, 0, text, self.f[fmt])
        self.row += 1

    def note(self, text: str, span: int) -> None:
        """A long italic paragraph wrapped over the first `span` columns (the table's width):
        a line running on past the table would make the printed page shrink to hold it."""
        width = sum(self.widths[:span])
        lines = math.ceil(len(text) / max(1.0, width * 1.1))
        if lines > 1:
            self.ws.set_row(self.row, min(ROW_HEIGHT_MAX, 16 * lines))
        if span > 1:
            self.ws.merge_range(self.row, 0, self.row, span - 1, "", self.f["note"])
        self.ws.write_string(self.row, 0, text, self.f["note"])
        self.row += 1

    def header(self, heads: Sequence[str]) -> int:
        lines = 2  # (bold headers: about one character per unit of width)
        for c, h in enumerate(heads):
            self.ws.write_string(self.row, c, h, self.f["head"])
            if c < len(self.widths):
                lines = max(lines, math.ceil(len(h) / max(1.0, self.widths[c] - 1)))
        self.ws.set_row(self.row, 16 * lines)
        first = self.row
        self.ws.freeze_panes(self.row + 1, 1)
        self.ws.repeat_rows(self.row)
        self.row += 1
        return first

    def cells(self, values: Sequence[Any], fmts: Sequence[str] | None = None) -> None:
        # Wrapped text: neither Excel nor LibreOffice grows a row written this way, so set
        # its height from the longest text (about 1.15 characters per unit of width).
        lines = 1
        for c, v in enumerate(values):
            if isinstance(v, str) and c < len(self.widths):
                lines = max(lines, math.ceil(len(v) / max(1.0, self.widths[c] * 1.15)))
        if lines > 1:  # (409 points: the tallest row Excel opens without a repair)
            self.ws.set_row(self.row, min(ROW_HEIGHT_MAX, 16 * lines))
        for c, v in enumerate(values):
            fmt = self.f[(fmts[c] if fmts else None) or ("int" if isinstance(v, int | float) else "cell")]
            if v is None or v == "":
                self.ws.write_blank(self.row, c, None, fmt)
            elif isinstance(v, bool):
                self.ws.write_string(self.row, c, "x" if v else "", fmt)
            elif isinstance(v, dt.date):
                self.ws.write_datetime(self.row, c, v, self.f["date"])
            elif isinstance(v, int | float):
                if -EXCEL_EXACT_LIMIT < v < EXCEL_EXACT_LIMIT:
                    self.ws.write_number(self.row, c, v, fmt)
                else:  # also NaN and infinities, which write_number refuses
                    self.ws.write_string(self.row, c, _exact(v), fmt)
            else:
                self.ws.write_string(self.row, c, str(v), fmt)
        self.row += 1

    def gap(self, n: int = 1) -> None:
        self.row += n


def _exact(v: float) -> str:
    """19999999999980007 → "19.999.999.999.980.007" (whole units, as the documents show it)."""
    return vn.money(v) if math.isfinite(v) else str(v)


def _formats(wb: Any) -> dict[str, Any]:
    base = {"font_name": FONT, "font_size": 12, "valign": "vcenter"}
    border = {**base, "border": 1, "text_wrap": True}
    return {
        "title": wb.add_format({**base, "bold": True, "font_size": 14, "align": "center"}),
        "text": wb.add_format({**base}),
        "italic": wb.add_format({**base, "italic": True}),
        "note": wb.add_format({**base, "italic": True, "text_wrap": True, "valign": "top"}),
        "bold": wb.add_format({**base, "bold": True}),
        "head": wb.add_format({**border, "bold": True, "align": "center", "bg_color": "#EEEEEE"}),
        "cell": wb.add_format({**border}),
        "center": wb.add_format({**border, "align": "center"}),
        "int": wb.add_format({**border, "num_format": "#,##0"}),
        "dec": wb.add_format({**border, "num_format": "#,##0.0"}),
        "pct": wb.add_format({**border, "num_format": "0.0%"}),
        "money": wb.add_format({**border, "num_format": "#,##0"}),
        "date": wb.add_format({**border, "num_format": DATE_FORMAT, "align": "center"}),
        "bold_money": wb.add_format({**border, "num_format": "#,##0", "bold": True}),
        "bold_cell": wb.add_format({**border, "bold": True}),
    }


def document_workbook(buf: io.BytesIO, *, title: str, subject: str, issuer: str, date: str,
                      stream: bool = False) -> Any:
    """An XlsxWriter workbook for one of the documents (annual report, phase review,
    province report): text is never read as a formula, link or number, the documents' font,
    and the properties of the document, dated by its signing date (dd/mm/yyyy), so that
    the same document is the same bytes. `stream`: rows written as they come."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(buf, {
        "in_memory": not stream, "constant_memory": stream,
        "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_format_properties": {"font_name": FONT, "font_size": 12},
    })
    wb.set_properties({"title": title, "subject": subject, "author": issuer, "company": issuer,
                       "created": dt.datetime.strptime(date, "%d/%m/%Y"),
                       "comments": "clubtool"})
    return wb


def render(ctx: ReportContext, *, templates: Path | str | None = None) -> bytes:
    buf = io.BytesIO()
    # A commune's workbook stays exactly as it was (shared strings, chart caches); a
    # province's or the nation's streams its rows (constant memory, row by row).
    wb = document_workbook(buf, title=f"{ctx.header.kind.capitalize()} {ctx.header.subject}",
                           subject=ctx.header.subject, issuer=ctx.issuer_name, date=ctx.date,
                           stream=not ctx.detailed)
    f = _formats(wb)
    _indicators(wb, f, ctx)
    if ctx.clubs_all:
        _clubs(wb, f, ctx)
        _months(wb, f, ctx)
        _contents(wb, f, ctx)
        _members(wb, f, ctx)
        _training(wb, f, ctx)
        _funds(wb, f, ctx)
        _criteria(wb, f, ctx)
    _awards(wb, f, ctx)
    _notes(wb, f, ctx)
    wb.close()
    return normalise_zip(buf.getvalue())


def _heading(sh: _Sheet, ctx: ReportContext, title: str, span: int) -> None:
    sh.title(title, span)
    sh.line(f"{ctx.issuer_name} - năm {ctx.year} ({ctx.phase}); số liệu tính đến ngày "
            f"{ctx.as_of}", "italic")
    sh.gap()


def _indicators(wb: Any, f: dict[str, Any], ctx: ReportContext) -> None:
    # With the previous year, one more column at the end (the others keep their letters).
    compare = ctx.previous_year is not None
    sh = _Sheet(wb, "Chỉ tiêu", f, [5, 62, 16, 12, 11, 11, 18, 30] + ([18] if compare else []))
    _heading(sh, ctx, f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM {ctx.year}", 9 if compare else 8)
    sh.header(["TT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tử số", "Mẫu số", "Đánh giá",
               "Chi tiết"] + (["So với năm trước"] if compare else []))
    for r in ctx.indicators:
        ratio = r.unit == "ratio"
        sh.cells([r.no, r.name, r.plan, r.value, r.numerator, r.denominator, r.status_text,
                  r.detail or r.progress]  # a phase target in progress: what is done so far
                 + ([r.change] if compare else []),
                 ["center", "cell", "center", "pct" if ratio else "int", "int", "int",
                  "center", "cell"] + (["center"] if compare else []))
    sh.gap()
    sh.note(ctx.indicator_summary, 9 if compare else 8)
    if not ctx.chart:
        return
    sh.gap()
    sh.line("Dữ liệu biểu đồ (các chỉ tiêu tính theo tỷ lệ)", "bold")
    sh.header(["", "Chỉ tiêu", "Thực hiện", "Kế hoạch"])
    first = sh.row
    for b in ctx.chart:
        sh.cells(["", b.label, b.value / 100, (b.target / 100) if b.target is not None else None],
                 ["cell", "cell", "pct", "pct"])
    last = sh.row - 1
    sh.ws.freeze_panes(0, 0)
    chart = wb.add_chart({"type": "bar"})
    for col, name, colour in ((2, "Thực hiện", "#1F5F99"), (3, "Kế hoạch", "#9A9A9A")):
        chart.add_series({
            "name": name,
            "categories": ["Chỉ tiêu", first, 1, last, 1],
            "values": ["Chỉ tiêu", first, col, last, col],
            "fill": {"color": colour},
            "data_labels": {"value": True, "num_format": "0.0%"} if col == 2 else {},
        })
    chart.set_title({"name": ctx.chart_caption, "name_font": {"name": FONT, "size": 12}})
    chart.set_x_axis({"num_format": "0%", "min": 0, "num_font": {"name": FONT}})
    chart.set_y_axis({"reverse": True, "num_font": {"name": FONT}})
    chart.set_legend({"position": "bottom", "font": {"name": FONT}})
    chart.set_size({"width": 820, "height": 60 + 34 * len(ctx.chart)})
    sh.ws.insert_chart(sh.row + 1, 1, chart)


def _clubs(wb: Any, f: dict[str, Any], ctx: ReportContext) -> None:
    sh = _Sheet(wb, S.REGISTRY.name, f, [10, 40, 18, 13, 11, 11, 10, 11, 11, 12, 12, 60])
    _heading(sh, ctx, "CÁC CÂU LẠC BỘ ĐÃ BÁO CÁO", 12)
    sh.header([CLUB_ID, "Tên câu lạc bộ", VILLAGE, FOUNDED, "Số thành viên",
               "Tỷ lệ nữ NCT", "Số buổi sinh hoạt", "Số tháng đạt", "Số nội dung",
               "Chuyển đổi số, xanh, khởi nghiệp", "Đạt chuẩn", "Tiêu chí chưa đạt"])
    for c in ctx.clubs_all:
        sh.cells([c.code, c.name, c.village, c.raw["founded"], c.raw["members"],
                  c.raw["female_older_share"], c.raw["sessions"], c.months_text, c.contents_text,
                  c.transformation, c.standard, "; ".join(c.failed)],
                 ["center", "cell", "cell", "center", "int", "pct", "int", "center", "center",
                  "center", "center", "cell"])
    if ctx.club_list_all:
        sh.gap()
        sh.line("Danh sách câu lạc bộ và tình trạng báo cáo", "bold")
        sh.header([CLUB_ID, "Tên câu lạc bộ", VILLAGE, FOUNDED, "Số thành viên",
                   "Báo cáo"])
        for lc in ctx.club_list_all:
            sh.cells([lc.code, lc.name, lc.village, lc.founded_date, lc.members, lc.state],
                     ["center", "cell", "cell", "center", "center", "cell"])


def _months(wb: Any, f: dict[str, Any], ctx: ReportContext) -> None:
    sh = _Sheet(wb, "Sinh hoạt theo tháng", f, [10] + [6] * 12 + [10, 10])
    _heading(sh, ctx, "SINH HOẠT THEO THÁNG", 15)
    sh.header([CLUB_ID, *(f"T{m}" for m in range(1, 13)), "Số buổi", "Số tháng đạt"])
    for c in ctx.clubs_all:
        sh.cells([c.code, *c.months, c.raw["sessions"], c.months_text],
                 ["center", *(["center"] * 12), "int", "center"])
    sh.gap()
    sh.line("x: có sinh hoạt; –: tháng phải sinh hoạt nhưng không sinh hoạt; trống: chưa phải "
            "sinh hoạt.", "italic")


def _contents(wb: Any, f: dict[str, Any], ctx: ReportContext) -> None:
    sh = _Sheet(wb, "Nội dung hoạt động", f, [10] + [7] * len(ctx.content_heads) + [10, 14])
    _heading(sh, ctx, "THỰC HIỆN 08 NỘI DUNG HOẠT ĐỘNG", len(ctx.content_heads) + 3)
    sh.header([CLUB_ID, *ctx.content_heads, "Số nội dung", "Chuyển đổi số, xanh, khởi nghiệp"])
    for c in ctx.clubs_all:
        sh.cells([c.code, *c.contents, c.contents_text, c.transformation],
                 ["center"] * (len(c.contents) + 3))
    sh.gap()
    for text in ctx.content_legend:
        sh.line(text, "italic")


def _members(wb: Any, f: dict[str, Any], ctx: ReportContext) -> None:
    heads = [CLUB_ID, "Tổng số", "Nam", "Nữ", *ctx.age_heads, "Người cao tuổi",
             "Nữ người cao tuổi", "Hộ nghèo", "Hộ cận nghèo",
             S.MEMBERS.field("disability").header, S.MEMBERS.field("lonely").header,
             "Ban chủ nhiệm"]
    sh = _Sheet(wb, S.MEMBERS.name, f, [10] + [10] * (len(heads) - 1))
    _heading(sh, ctx, f"THÀNH VIÊN CÁC CÂU LẠC BỘ NĂM {ctx.year}", len(heads))
    sh.header(heads)
    for c in ctx.clubs_all:
        raw = c.raw
        sh.cells([c.code, raw["members"], raw["men"], raw["women"], *raw["ages"], raw["older"],
                  raw["female_older"], raw["poor"], raw["near_poor"], raw["disability"],
                  raw["lonely"], raw["board"]],
                 ["center"] + ["int"] * (len(heads) - 1))
    sh.gap()
    sh.line("Tổng hợp các câu lạc bộ đã báo cáo", "bold")
    sh.header(["Nhóm thành viên", "Số người", "Tỷ lệ"])
    for r in ctx.member_rows:
        sh.cells([r.label, r.raw, r.share], ["bold_cell" if r.strong else "cell", "int", "cell"])


def _training(wb: Any, f: dict[str, Any], ctx: ReportContext) -> None:
    sh = _Sheet(wb, "Tập huấn, tuyên truyền", f, [10, 12, 14, 12, 12, 16, 16, 12])
    _heading(sh, ctx, "TẬP HUẤN BAN CHỦ NHIỆM VÀ TUYÊN TRUYỀN", 8)
    sh.header([CLUB_ID, "Ban chủ nhiệm", "Được tập huấn đủ", "Tập huấn ban đầu (lượt)",
               "Tập huấn nhắc lại (lượt)", "Buổi tuyên truyền do CLB tổ chức",
               "Lượt người được tiếp cận", "Bình quân người dự sinh hoạt"])
    for c in ctx.clubs_all:
        raw = c.raw
        sh.cells([c.code, raw["board"], raw["board_trained"], raw["trainings_initial"],
                  raw["trainings_refresher"], raw["outreach_sessions"], raw["outreach_reached"],
                  raw["average_attendance"]],
                 ["center", "int", "int", "int", "int", "int", "int", "dec"])
    sh.gap()
    sh.note(ctx.outreach_note, 8)


def _funds(wb: Any, f: dict[str, Any], ctx: ReportContext) -> None:
    sources = ctx.source_heads
    sh = _Sheet(wb, S.FUND.name, f, [10, 16] + [15] * max(4, len(sources) + 1))
    _heading(sh, ctx, f"QUỸ CỦA CÁC CÂU LẠC BỘ NĂM {ctx.year} (đồng)", 6)
    sh.header([CLUB_ID, FUND, "Số dư đầu năm", "Thu", "Chi", "Số dư cuối kỳ"])
    for c in ctx.clubs_all:
        for fund in c.raw["funds"]:  # [name, opening, receipts, payments, closing]
            sh.cells([c.code, *fund], ["center", "cell", "money", "money", "money", "money"])
    sh.gap()
    sh.line("Thu theo nguồn", "bold")
    sh.header([CLUB_ID, *sources, "Tổng thu"])
    for c in ctx.clubs_all:
        by_source = c.raw["by_source"]  # one amount per column of `source_heads`
        sh.cells([c.code, *by_source, c.raw["receipts"]],
                 ["center", *(["money"] * len(by_source)), "money"])
    sh.gap()
    sh.line("Toàn xã", "bold")
    sh.header([FUND, "Số dư đầu năm", "Thu", "Chi", "Số dư cuối kỳ"])
    for i, (r, raw) in enumerate(zip(ctx.fund_rows, ctx.fund_raw, strict=True)):
        strong = i == len(ctx.fund_rows) - 1
        sh.cells([r[0], *raw], ["bold_cell" if strong else "cell",
                                *(["bold_money" if strong else "money"] * 4)])
    sh.gap()
    sh.header([SOURCE, "Số tiền", "Tỷ lệ"])
    for src in ctx.source_rows:
        sh.cells([src.label, src.raw, src.share], ["bold_cell" if src.strong else "cell",
                                                   "bold_money" if src.strong else "money",
                                                   "cell"])


def _criteria(wb: Any, f: dict[str, Any], ctx: ReportContext) -> None:
    heads = list(ctx.criterion_heads)
    sh = _Sheet(wb, "Tiêu chí đạt chuẩn", f, [10, 18] + [8] * len(heads) + [12])
    _heading(sh, ctx, f"KẾT QUẢ THỰC HIỆN TIÊU CHÍ CÂU LẠC BỘ ĐẠT CHUẨN NĂM {ctx.year}",
             len(heads) + 3)
    sh.header([CLUB_ID, VILLAGE, *heads, "Kết quả"])
    for c in ctx.clubs_all:
        sh.cells([c.code, c.village, *c.criteria, c.standard],
                 ["center", "cell", *(["center"] * len(c.criteria)), "center"])
    sh.gap()
    for text in ctx.criterion_legend:
        sh.line(text, "italic")


def _awards(wb: Any, f: dict[str, Any], ctx: ReportContext) -> None:
    """Section V: the awards of the year (collectives named, people counted)."""
    sh = _Sheet(wb, S.AWARDS.name, f, [6, 16, 50, 22, 14, 10])
    _heading(sh, ctx, f"KHEN THƯỞNG NĂM {ctx.year}", 6)
    for text in ctx.award_text:
        sh.note(text, 6)
    if not ctx.awards:
        return
    sh.gap()
    sh.header(["TT", AWARD_TARGET, "Tên tập thể, số cá nhân được khen", AWARD_FORM, AWARD_LEVEL,
               "Số lượt"])
    for a in ctx.awards:
        sh.cells([a.no, a.target, a.name, a.form, a.level, a.count],
                 ["center", "cell", "cell", "cell", "cell", "int"])


def _notes(wb: Any, f: dict[str, Any], ctx: ReportContext) -> None:
    sh = _Sheet(wb, "Tồn tại, phương hướng", f, [120])
    _heading(sh, ctx, "TỒN TẠI, HẠN CHẾ VÀ PHƯƠNG HƯỚNG", 1)
    wrap = wb.add_format({"font_name": FONT, "font_size": 12, "text_wrap": True,
                          "valign": "top"})
    f["wrap"] = wrap
    sh.line("Tồn tại, hạn chế", "bold")
    for text in ctx.shortcomings:
        sh.line(text, "wrap")
    sh.gap()
    sh.line(f"Phương hướng, nhiệm vụ năm {ctx.year + 1}", "bold")
    for text in ctx.direction:
        sh.line(text, "wrap")
    excluded = ctx.payload["excluded"]
    if len(excluded) > LIST_LIMIT:  # the documents name only the first ones: all of them here
        sh.gap()
        sh.line(f"Các tệp bị loại vì lỗi ({len(excluded)} tệp)", "bold")
        for e in excluded:
            sh.line(f"{e['path']}: {e['reason']}", "wrap")
