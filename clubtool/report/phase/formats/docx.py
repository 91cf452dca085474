"""DOCX: the review built with python-docx on the annual report's Word template.

Why not a second docxtpl template: every table of the review has a column per year (5, or
10 for the final review) and the standard's grid a row per club and a column per year; a
template would need `{%tc%}` column loops and the annual renderer's grid repair for each of
them, and a second binary file to keep in step with the first. Instead the document is
written here, in the styles and page setup of `bao_cao.docx` (found as the annual report
finds it, so a commune's own copy passed with `--templates` gives the review its fonts,
spacing and margins too): its body is emptied and the review laid out in the same NĐ 30
frame (head, title, sections, signature, recipients). A review of more than six years is
laid out on landscape pages (NĐ 30 allows it for a document of wide tables).

Deterministic: document properties from the review's date, image names from their bytes,
fixed zip timestamps.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ... import _docx as W
from ...formats.xlsx import CLUB_ID, VILLAGE
from ...templates import xml_safe
from ..chart import phase_chart_png
from ..model import PhaseContext, YearRow
from . import ITEM, YEAR

WIDE = 6  # more years than this: landscape pages


def render(ctx: PhaseContext, *, templates: Path | str | None = None) -> bytes:
    doc = W.emptied_template(templates)
    if len(ctx.years) > WIDE:
        _landscape(doc)
    _Doc(doc, _safe(ctx)).write()
    return W.finished(doc, title=f"{ctx.header.kind.capitalize()} {ctx.header.subject}",
                      subject=ctx.header.subject, author=ctx.issuer_name, date=ctx.date)


def _safe(ctx: PhaseContext) -> PhaseContext:
    """The context as Word can hold it: no character XML forbids (a control character typed
    into a club's name would make the document unwritable)."""
    import dataclasses

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return xml_safe(value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(value, **{
                f.name: clean(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.init})
        return value

    out: PhaseContext = clean(ctx)
    return out


def _landscape(doc: Any) -> None:
    from docx.enum.section import WD_ORIENT

    s = doc.sections[0]
    if s.page_width < s.page_height:
        s.orientation = WD_ORIENT.LANDSCAPE
        s.page_width, s.page_height = s.page_height, s.page_width


class _Doc(W.Writer):
    """The review, section by section, into an emptied document."""

    def __init__(self, doc: Any, ctx: PhaseContext):
        super().__init__(doc, ctx)
        self.ctx: PhaseContext = ctx
        self.wide = len(ctx.years) > WIDE
        self.grey = [i for i, y in enumerate(ctx.years) if y not in ctx.data_years]

    # -- the document --

    def write(self) -> None:
        c = self.ctx
        self.head()
        self.title()
        self.body(c.intro)
        self.h1("I. KHÁI QUÁT CHUNG")
        self.bodies(c.overview)
        self.h1("II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUA CÁC NĂM")
        self.body(c.indicator_summary)
        self.indicators()
        self.chart()
        self.h1("III. CÂU LẠC BỘ VÀ THÀNH VIÊN")
        self.h2("1. Số câu lạc bộ qua các năm")
        self.caption("Bảng 2. Số câu lạc bộ qua các năm")
        self.year_table(c.club_rows, total=True)
        self.space()
        self.bodies(c.club_text)
        self.h2("2. Thành viên qua các năm")
        self.caption("Bảng 3. Thành viên các câu lạc bộ đã báo cáo qua các năm")
        self.year_table(c.member_rows)
        self.h2("3. Câu lạc bộ đạt chuẩn qua các năm")
        self.grid()
        self.h1("IV. QUỸ CỦA CÁC CÂU LẠC BỘ QUA CÁC NĂM")
        self.bodies(c.fund_text)
        self.caption("Bảng 6. Thu, chi và số dư quỹ qua các năm (đồng)")
        self.year_table(c.fund_rows, total=True, money=True)
        self.h1("V. KHEN THƯỞNG")
        self.bodies(c.award_text)
        self.awards()
        self.h1("VI. SỐ LIỆU CÒN THIẾU")
        self.bodies(c.missing_text)
        self.coverage()
        self.closing()

    def year_widths(self, first: float, extra: Sequence[float]) -> list[float]:
        """`first` (a label), a column per year sharing what is left, then `extra`."""
        n = len(self.ctx.years)
        year = (self.width - first - sum(extra)) / n
        return [first, *([year] * n), *extra]

    def indicators(self) -> None:
        c = self.ctx
        self.caption("Bảng 1. Các chỉ tiêu qua từng năm so với kế hoạch")
        year, plan = (13.0, 30.0) if self.wide else (14.0, 20.0)
        name = self.width - 8 - plan - 18 - year * len(c.years)
        rows = [[str(r.no), r.name, r.plan, *r.cells, r.end_text] for r in c.indicators]
        marks = [["", "", "", *r.marks, ""] for r in c.indicators]
        W.data_table(self.doc, ["TT", "Chỉ tiêu", "Kế hoạch", *c.year_heads, c.end_head], rows,
                     [8, name, plan, *([year] * len(c.years)), 18],
                     aligns="clc" + "c" * len(c.years) + "c", st=self.table_style,
                     grey=[3 + i for i in self.grey], marks=marks, mark_style=self.small_style)
        self.note("Ghi chú: dưới mỗi số liệu là đánh giá của năm đó so với kế hoạch; chỉ tiêu "
                  "tính cho cả giai đoạn được đánh giá ở năm cuối giai đoạn (trước đó: đang "
                  "thực hiện); —: không có số liệu.")

    def chart(self) -> None:
        png = phase_chart_png(self.ctx.chart, self.ctx.years)
        if png:
            self.picture(png)

    def year_table(self, rows: Sequence[YearRow], *, total: bool = False,
                   money: bool = False) -> None:
        """Figures by year; `money`: amounts in đồng (smaller type, wider columns)."""
        c = self.ctx
        extra = [26.0 if money else 22.0] if total else []
        label = (42.0 if money else 55.0) if not self.wide else (36.0 if money else 65.0)
        W.data_table(self.doc, [ITEM, *c.year_heads, *(["Cộng giai đoạn"] * total)],
                     [[r.label, *r.cells, *([r.total] * total)] for r in rows],
                     self.year_widths(label, extra),
                     aligns="l" + "r" * (len(c.years) + total),
                     st=self.small_style if money else self.table_style,
                     strong=[r.strong for r in rows], grey=[1 + i for i in self.grey],
                     margin_mm=0.5 if money else 1.0)

    def grid(self) -> None:
        c = self.ctx
        if c.grid:
            self.caption("Bảng 4. Kết quả đạt chuẩn của từng câu lạc bộ qua các năm")
            W.data_table(self.doc, ["TT", CLUB_ID, VILLAGE, *c.year_heads,
                                    "Số năm đạt / có báo cáo"],
                         [[str(g.no), g.code, g.village, *g.cells, g.met] for g in c.grid],
                         self._grid_widths(),
                         aligns="ccl" + "c" * len(c.years) + "c", st=self.table_style,
                         grey=[3 + i for i in self.grey])
            self.note(c.grid_legend)
        else:
            self.body(c.grid_note)
        self.caption("Bảng 5. Số câu lạc bộ đạt chuẩn qua các năm")
        self.year_table(c.grid_counts)

    def _grid_widths(self) -> list[float]:
        n = len(self.ctx.years)
        year = (self.width - 8 - 18 - 28 - 20) / n
        return [8, 18, 28, *([year] * n), 20]

    def awards(self) -> None:
        self.caption("Bảng 7. Khen thưởng qua các năm")
        W.data_table(self.doc, [YEAR, "Tập thể", "Cá nhân", "Nội dung khen thưởng"],
                     [[str(a.year), a.collective, a.individual, a.details]
                      for a in self.ctx.awards],
                     [16, 20, 20, self.width - 56], aligns="crrl", st=self.table_style)

    def coverage(self) -> None:
        self.caption("Bảng 8. Số liệu của từng năm")
        rest = (self.width - 16 - 30) / 4
        W.data_table(self.doc, [YEAR, "Số liệu", "Mẫu báo cáo của xã", "CLB đã báo cáo",
                                "CLB chưa gửi báo cáo", "Tệp bị loại do lỗi"],
                     [[str(r.year), r.state, r.commune, r.reported, r.missing, r.excluded]
                      for r in self.ctx.coverage],
                     [16, 30, rest, rest, rest, rest], aligns="clcrrr", st=self.table_style)
