"""DOCX: the province's report, built with python-docx on the annual report's Word template.

As the phase review does (`report/phase/formats/docx.py`): the annual template
(`bao_cao.docx`, found as the annual report finds it, so `--templates` gives its fonts and
margins here too) is emptied and the report laid out in its styles and page setup, with the
Word building blocks of `report._docx`: head, title, sections, tables, chart, signature and
recipients. The table commune by commune has a column per indicator (numbered as in Bảng 1).

Deterministic: document properties from the report's date, fixed zip timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import schema as S
from ..report import _docx as W
from ..report.templates import DOCX_TEMPLATE, find_template, xml_safe
from ._chart import chart_png
from .document import PlaceRow, RollupDocument

COMMUNE = S.CLUB_INFO.field("commune").header
PROVINCE = S.CLUB_INFO.field("province").header

PROPERTY_MAX = 255
MOTTO_MM = 75.0


def render(doc_: RollupDocument, *, templates: Path | str | None = None) -> bytes:
    from docx import Document

    doc = Document(str(find_template(DOCX_TEMPLATE, templates)))
    body = doc.element.body
    for child in list(body):  # the annual report's body; its page setup stays
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    _Doc(doc, doc_).write()
    when = dt.datetime.strptime(doc_.date, "%d/%m/%Y")
    props = doc.core_properties
    props.title = _prop(f"Báo cáo {doc_.header.subject} - {doc_.place}")
    props.subject = _prop(doc_.header.subject)
    props.author = props.last_modified_by = _prop(doc_.issuer_name)
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    props.keywords = "clubtool"
    buf = io.BytesIO()
    doc.save(buf)
    from ..report.formats import normalise_zip

    return normalise_zip(buf.getvalue())


def _prop(text: str) -> str:
    return str(xml_safe(text))[:PROPERTY_MAX]


def _t(text: str) -> str:
    """Text Word can hold (no character XML forbids)."""
    return str(xml_safe(text))


class _Doc:
    """The report, section by section, into an emptied document."""

    def __init__(self, doc: Any, ctx: RollupDocument):
        from docx.shared import Mm

        self.doc, self.ctx = doc, ctx
        s = doc.sections[0]
        self.width = (s.page_width - s.left_margin - s.right_margin) / Mm(1)
        self.table_style = W.style(doc, "Bảng nhỏ")
        self.small_style = W.style(doc, "Bảng rất nhỏ")

    def body(self, text: str) -> None:
        W.para(self.doc, _t(text), st=W.style(self.doc, "Body Text"), align=W.J)

    def bodies(self, texts: Sequence[str]) -> None:
        for text in texts:
            self.body(text)

    def h1(self, text: str) -> None:
        W.para(self.doc, text, st=W.style(self.doc, "Heading 1"), bold=True, keep_next=True)

    def caption(self, text: str) -> None:
        W.para(self.doc, text, st=W.style(self.doc, "Tên bảng"), align=W.C, bold=True,
               before=6, keep_next=True)

    def note(self, text: str) -> None:
        W.para(self.doc, _t(text), st=W.style(self.doc, "Ghichú"), italic=True, before=3)

    def space(self) -> None:
        W.para(self.doc, "", size=4)

    # -- the document --

    def write(self) -> None:
        c = self.ctx
        self.head()
        self.title()
        self.body(c.intro)
        self.h1("I. TÌNH HÌNH CHUNG")
        self.bodies(c.general)
        if c.member_rows:
            self.caption("Bảng 1. Thành viên các câu lạc bộ đã báo cáo")
            W.data_table(self.doc, ["Nhóm thành viên", "Số người", "Tỷ lệ"],
                         [[r.label, r.value, r.share] for r in c.member_rows],
                         [95, 30, 30], aligns="lrr", st=self.table_style,
                         strong=[r.strong for r in c.member_rows])
        self.h1("II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
        self.body(c.indicator_summary)
        self.indicators()
        self.chart()
        self.h1("III. KẾT QUẢ CỦA TỪNG " + ("XÃ" if c.communes_in_documents
                                            else "TỈNH, THÀNH PHỐ"))
        self.places()
        self.h1("IV. XÃ CHƯA BÁO CÁO, TỆP BỊ LOẠI")
        self.bodies(c.left_out_text)
        self.left_out()
        self.space()
        W.para(self.doc, c.closing, st=W.style(self.doc, "Body Text"), align=W.J,
               keep_next=True)
        self.signature()

    def head(self) -> None:
        from docx.shared import Mm

        h = self.ctx.header
        left_w = 62.0
        right_w = self.width - left_w
        t = self.doc.add_table(rows=1, cols=2)
        W.no_borders(t)
        W.fixed(t, [left_w, right_w])
        left, right = t.rows[0].cells
        for line in h.issuer_lines:
            W.para(left, _t(line), align=W.C, bold=True, size=13)
        W.rule(left, 22, left_w - 4, after=4)
        W.para(left, h.number, align=W.C, size=13)
        W.para(right, h.national, align=W.C, bold=True, size=13)
        side = Mm(max(0.0, (right_w - 4 - MOTTO_MM) / 2))
        motto = W.para(right, h.motto, align=W.C, bold=True, size=14, left=side, right=side)
        W.border(motto, "bottom", size=6, space=1)
        W.para(right, _t(h.place_date), align=W.C, italic=True, size=14, before=8)
        for cell in (left, right):  # a new cell starts with an empty paragraph
            first = cell.paragraphs[0]
            first._p.getparent().remove(first._p)

    def title(self) -> None:
        h = self.ctx.header
        W.para(self.doc, h.kind, align=W.C, bold=True, size=14, before=18, keep_next=True)
        for line in h.subject_lines:
            W.para(self.doc, line, align=W.C, bold=True, size=14, keep_next=True)
        W.rule(self.doc, 45, self.width, after=12)

    def indicators(self) -> None:
        c = self.ctx
        self.caption("Bảng 2. Kết quả thực hiện các chỉ tiêu so với kế hoạch")
        rows = [[str(r.no), _t(r.name), r.plan, r.actual, r.status_text] for r in c.indicators]
        marks = [["", "", "", r.detail, ""] for r in c.indicators]
        W.data_table(self.doc, ["TT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Đánh giá"], rows,
                     [9, self.width - 9 - 26 - 28 - 22, 26, 28, 22], aligns="clccc",
                     st=self.table_style, marks=marks, mark_style=self.small_style)
        self.note("Ghi chú: tỷ lệ của " + ("cả nước" if c.level == "nation" else "toàn tỉnh")
                  + " là tổng tử số chia tổng mẫu số của các xã (không lấy trung bình các tỷ "
                    "lệ); dưới số liệu là tử số/mẫu số; —: không có số liệu.")

    def chart(self) -> None:
        from docx.shared import Mm

        png = chart_png(self.ctx.chart)
        if not png:
            return
        w_px, h_px = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        s = self.doc.sections[0]
        room = (s.page_height - s.top_margin - s.bottom_margin) / Mm(1) - 30
        width = min(160.0, self.width, room * w_px / h_px)
        p = W.para(self.doc, "", align=W.C, before=6, keep_next=True)
        p.add_run().add_picture(io.BytesIO(png), width=Mm(width))
        self.caption(self.ctx.chart_caption)

    def places(self) -> None:
        c = self.ctx
        places = c.communes if c.communes_in_documents else c.provinces
        what = "xã" if c.communes_in_documents else "tỉnh, thành phố"
        if not places:
            self.body(f"Không có {what} nào.")
            return
        self.caption(f"Bảng 3. Kết quả các chỉ tiêu của từng {what}")
        n = len(c.heads)
        first, met = 8.0, 13.0
        name = 30.0
        each = (self.width - first - name - met) / n
        W.data_table(self.doc, ["TT", COMMUNE if c.communes_in_documents else PROVINCE, *c.heads,
                                "Số chỉ tiêu đạt"],
                     [_place_cells(p) for p in places],
                     [first, name, *([each] * n), met], aligns="cl" + "c" * n + "c",
                     st=self.small_style, marks=[["", "", *p.marks, ""] for p in places],
                     mark_style=self.small_style, margin_mm=0.5)
        self.note("Ghi chú: (1), (2)…: chỉ tiêu theo số thứ tự ở Bảng 2; dưới số liệu là đánh giá "
                  "của " + ("xã theo kế hoạch của xã" if c.communes_in_documents else
                            "tỉnh theo kế hoạch của tỉnh")
                  + ": Đ đạt, CĐ chưa đạt, ĐTH đang thực hiện (chỉ tiêu cả giai đoạn); —: không "
                    "có số liệu. Số chỉ tiêu đạt: đạt / có mục tiêu đánh giá trong năm."
                  + ("" if c.communes_in_documents else
                     " Kết quả từng xã: xem tệp Excel (xlsx) kèm theo."))

    def left_out(self) -> None:
        c = self.ctx
        if c.missing:
            self.caption("Bảng 4. Các xã chưa có báo cáo hợp lệ")
            W.data_table(self.doc, ["TT", PROVINCE, COMMUNE, "Lý do"],
                         [[str(i), _t(p), _t(m), _t(why)]
                          for i, (p, m, why) in enumerate(c.missing, start=1)],
                         [9, 30, 35, self.width - 74], aligns="clll", st=self.table_style)
        if c.excluded:
            self.caption("Bảng 5. Các tệp bị loại")
            W.data_table(self.doc, ["TT", "Tệp", "Xã / tỉnh", "Lý do"],
                         [[str(i), _t(f), _t(who), _t(why)]
                          for i, (f, who, why) in enumerate(c.excluded, start=1)],
                         [9, 42, 28, self.width - 79], aligns="clll", st=self.small_style)

    def signature(self) -> None:
        c = self.ctx
        W.para(self.doc, "", size=6, after=6, keep_next=True)
        left_w = 78.0
        t = self.doc.add_table(rows=1, cols=2)
        W.no_borders(t)
        W.fixed(t, [left_w, self.width - left_w])
        W.row_flag(t.rows[0], "cantSplit")
        left, right = t.rows[0].cells
        W.para(left, "Nơi nhận:", bold=True, italic=True, size=12)
        for r in c.recipients:
            W.para(left, _t(r), size=11)
        for line in c.signature.lines:
            W.para(right, _t(line), align=W.C, bold=True, size=14)
        for _ in range(4):
            W.para(right, "", align=W.C, size=14)
        W.para(right, _t(c.signature.name), align=W.C, bold=True, size=14)
        for cell in (left, right):
            first = cell.paragraphs[0]
            first._p.getparent().remove(first._p)


def _place_cells(p: PlaceRow) -> list[str]:
    return [str(p.no), _t(p.name), *p.cells, p.met]
