"""DOCX: the province's report, built with python-docx on the annual report's Word template.

As the phase review does (`report/phase/formats/docx.py`): the annual template
(`bao_cao.docx`, found as the annual report finds it, so `--templates` gives its fonts and
margins here too) is emptied and the report laid out in its styles and page setup, with the
Word building blocks of `report._docx`: head, title, sections, tables, chart, signature and
recipients. The table commune by commune has a column per indicator (numbered as in Bảng 1).

Deterministic: document properties from the report's date, fixed zip timestamps.
"""

from __future__ import annotations

from pathlib import Path

from .. import schema as S
from ..report import _docx as W
from ._chart import chart_png
from .document import PlaceRow, RollupDocument

COMMUNE = S.CLUB_INFO.field("commune").header
PROVINCE = S.CLUB_INFO.field("province").header


def render(doc_: RollupDocument, *, templates: Path | str | None = None) -> bytes:
    doc = W.emptied_template(templates)
    _Doc(doc, doc_).write()
    return W.finished(doc, title=f"Báo cáo {doc_.header.subject} - {doc_.place}",
                      subject=doc_.header.subject, author=doc_.issuer_name, date=doc_.date)


_t = W.safe


class _Doc(W.Writer):
    """The report, section by section, into an emptied document."""

    ctx: RollupDocument

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
        self.closing()

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
        png = chart_png(self.ctx.chart)
        if png:
            self.picture(png)

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


def _place_cells(p: PlaceRow) -> list[str]:
    return [str(p.no), _t(p.name), *p.cells, p.met]
