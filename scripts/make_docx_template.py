"""Build templates/bao_cao.docx: the Word template of the annual report (docxtpl + jinja2 tags).

    .venv/bin/python scripts/make_docx_template.py            # writes templates/bao_cao.docx

The layout follows Nghị định 30/2020/NĐ-CP, Phụ lục I: A4 portrait; margins top/bottom
20 mm, left 30 mm, right 15 mm; Times New Roman 14 (quốc hiệu 13 bold caps, tiêu ngữ 14
bold with a rule under it); issuing body and number top left, quốc hiệu, tiêu ngữ and the
italic place-and-date line top right; page numbers centred in the top margin from page 2;
signature block and "Nơi nhận" at the end; annexes on new pages. Past the per-club limit
(`clubtool.report.context.PER_CLUB_LIMIT`) the context has no per-club rows but a
`club_summary`: the club list, section III's tables and the annexes give way to counts.

A commune may open the produced file in Word, change fonts, spacing, widths or wording
(keeping the {{ … }} and {% … %} tags) and pass its folder with `clubtool report
--templates DIR`. Paragraph styles carry the formatting ("Heading 1", "Body Text", "Bảng",
…), so one change in Word's Styles pane changes the whole report.

The file is deterministic (fixed document properties and zip timestamps), so re-running the
script gives the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from clubtool.report import _docx as W
from clubtool.report.formats import normalise_zip

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates" / "bao_cao.docx"

FONT = "Times New Roman"
TEXT_WIDTH_MM = 210 - 30 - 15  # A4 minus left and right margins
INDENT = Mm(12.7)  # first-line indent of body paragraphs
FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)

C, L, R, J = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
              WD_ALIGN_PARAGRAPH.JUSTIFY)


# --- low-level helpers --------------------------------------------------------------------


def _fonts(rpr_parent, name: str = FONT) -> None:
    """Set every script's font (ascii, hAnsi, cs, eastAsia) so Vietnamese never falls back."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    # Theme fonts (Word's headings use them) win over named fonts: drop them.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]


def _lang(style) -> None:
    rpr = style.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    rpr.append(lang)


def para(container, text: str = "", *, style: str | None = None, **how):
    """A paragraph in the style named `style` (`clubtool.report._docx.para`)."""
    return W.para(container, text, st=style, **how)


def tag(container, text: str):
    """A paragraph holding only a docxtpl block tag ({%p … %}); removed when rendered."""
    return para(container, text, style="Bảng")


def _cell_text(cell, text: str, *, align=C, bold: bool = False, style: str = "Bảng") -> None:
    W.cell_text(cell, text, style, align=align, bold=bold)


def _page_field(paragraph) -> None:
    """A PAGE field (Word and LibreOffice update it when the page is laid out)."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    num = OxmlElement("w:t")
    num.text = "2"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, instr, sep, num, end):
        run._r.append(el)


# --- styles ---------------------------------------------------------------------------------


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _fonts(normal.element)
    _lang(normal)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.widow_control = True

    body = styles["Body Text"]
    body.base_style = normal
    body.font.size = Pt(14)
    _fonts(body.element)
    bpf = body.paragraph_format
    bpf.alignment = J
    bpf.first_line_indent = INDENT
    bpf.space_before = Pt(0)
    bpf.space_after = Pt(6)
    bpf.line_spacing = 1.1
    bpf.widow_control = True

    for name, before in (("Heading 1", 6), ("Heading 2", 3)):
        h = styles[name]
        h.base_style = body
        h.font.name = FONT
        h.font.size = Pt(14)
        h.font.bold = True
        h.font.italic = False
        h.font.color.rgb = None
        _fonts(h.element)
        hpf = h.paragraph_format
        hpf.alignment = J
        hpf.first_line_indent = INDENT
        hpf.space_before = Pt(before)
        hpf.space_after = Pt(6)
        hpf.keep_with_next = True
        hpf.line_spacing = 1.1
        # Word's built-in headings draw theme colours and fonts: override them.
        rpr = h.element.get_or_add_rPr()
        for child in list(rpr):
            if child.tag in (qn("w:color"),):
                rpr.remove(child)
        color = OxmlElement("w:color")
        color.set(qn("w:val"), "000000")
        rpr.append(color)

    def para_style(name: str, size: float, *, bold=False, italic=False, align=None,
                   after: float = 0, keep_next=False):
        s = styles.add_style(name, 1)  # WD_STYLE_TYPE.PARAGRAPH
        s.base_style = normal
        s.quick_style = True
        s.font.size = Pt(size)
        s.font.bold = bold
        s.font.italic = italic
        _fonts(s.element)
        spf = s.paragraph_format
        spf.space_before = Pt(0)
        spf.space_after = Pt(after)
        spf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align is not None:
            spf.alignment = align
        spf.keep_with_next = keep_next
        return s

    for name, size in (("Bảng", 12), ("Bảng nhỏ", 11), ("Bảng rất nhỏ", 10)):  # table text
        st = para_style(name, size)
        st.paragraph_format.space_before = Pt(1)
        st.paragraph_format.space_after = Pt(1)
    para_style("Tên bảng", 13, bold=True, align=C, after=3, keep_next=True)  # table captions
    para_style("Ghi chú", 12, italic=True, align=J, after=6)  # notes under tables


# --- document parts -----------------------------------------------------------------------------


def _page(doc) -> None:
    s = doc.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin = Mm(20), Mm(20)
    s.left_margin, s.right_margin = Mm(30), Mm(15)
    s.header_distance, s.footer_distance = Mm(10), Mm(10)
    s.different_first_page_header_footer = True
    hp = s.header.paragraphs[0]
    hp.alignment = C
    hp.style = doc.styles["Normal"]
    _page_field(hp)
    for run in hp.runs:
        run.font.size = Pt(13)


def _head(doc) -> None:
    left_w, right_w = 62.0, TEXT_WIDTH_MM - 62.0
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    W.no_borders(t)
    W.fixed(t, [left_w, right_w])
    left, right = t.rows[0].cells
    left.paragraphs[0].text = ""
    tag(left, "{%p for line in header.issuer_lines %}")
    para(left, "{{ line }}", align=C, bold=True, size=13)
    tag(left, "{%p endfor %}")
    W.rule(left, 22, left_w - 4, after=4)
    para(left, "{{ header.number }}", align=C, size=13)
    _drop_first(left)

    para(right, "{{ header.national }}", align=C, bold=True, size=13)
    # The rule under the motto is the paragraph's own bottom border, as long as the text
    # (Times New Roman Bold 14: 57 mm).
    motto_w = 61.0
    side = (right_w - 4 - motto_w) / 2
    motto = para(right, "{{ header.motto }}", align=C, bold=True, size=14, left=Mm(side),
                 right=Mm(side))
    W.border(motto, "bottom", size=6, space=1)
    para(right, "{{ header.place_date }}", align=C, italic=True, size=14, before=8)
    _drop_first(right)


def _drop_first(cell) -> None:
    """A new cell starts with an empty paragraph: remove it once others exist."""
    first = cell.paragraphs[0]
    if not first.text and len(cell.paragraphs) > 1:
        first._p.getparent().remove(first._p)


def _title(doc) -> None:
    para(doc, "{{ header.kind }}", align=C, bold=True, size=14, before=18, keep_next=True)
    tag(doc, "{%p for line in header.subject_lines %}")
    para(doc, "{{ line }}", align=C, bold=True, size=14, keep_next=True)
    tag(doc, "{%p endfor %}")
    W.rule(doc, 45, TEXT_WIDTH_MM, after=12)


def body(doc, text: str):
    return para(doc, text, style="Body Text")


def loop_body(doc, expr: str, var: str = "para") -> None:
    tag(doc, f"{{%p for {var} in {expr} %}}")
    body(doc, f"{{{{ {var} }}}}")
    tag(doc, "{%p endfor %}")


def h1(doc, text: str, *, page_break: bool = False):
    p = doc.add_paragraph(text, style="Heading 1")
    if page_break:
        p.paragraph_format.page_break_before = True
    return p


def h2(doc, text: str):
    return doc.add_paragraph(text, style="Heading 2")


def caption(doc, text: str):
    return para(doc, text, style="Tên bảng", before=6)


def note(doc, text: str):
    return para(doc, text, style="Ghi chú", before=3)


def data_table(doc, heads: list[str], cells: list[str], widths: list[float], loop: str, *,
               aligns: str | None = None, small: bool = False, head_rows: list[list[str]] | None = None,
               merges: list[tuple[int, int, int, int]] = (), bold_when: str | None = None,
               extra: dict[int, list[str]] | None = None, style: str | None = None):
    """A bordered table: header row(s), then one row per item of `loop` ("c in clubs").

    `cells` are the jinja expressions of a data row; `aligns` one letter a column
    (l, c, r); `{%tc …%}` cells make a column loop (their width is each repeated column's).
    """
    style = style or ("Bảng nhỏ" if small else "Bảng")
    rows = head_rows or [heads]
    n = len(widths)
    t = doc.add_table(rows=len(rows) + 3, cols=n)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    W.fixed(t, widths)
    W.narrow_margins(t)
    aligns = aligns or "c" * n
    amap = {"l": L, "c": C, "r": R}
    for r, head in enumerate(rows):
        row = t.rows[r]
        W.row_flag(row, "tblHeader")
        W.row_flag(row, "cantSplit")
        for cell, text in zip(row.cells, head, strict=True):
            _cell_text(cell, text, bold=True, style=style)
            cell.paragraphs[0].paragraph_format.keep_with_next = True  # header with 1st row
    for r0, c0, r1, c1 in merges:
        merged = t.cell(r0, c0).merge(t.cell(r1, c1))
        for p in merged.paragraphs:
            if not p.text and len(merged.paragraphs) > 1:
                p._p.getparent().remove(p._p)
    start = len(rows)
    _cell_text(t.rows[start].cells[0], f"{{%tr for {loop} %}}", style=style)
    data = t.rows[start + 1]
    W.row_flag(data, "cantSplit")
    for cell, text, a in zip(data.cells, cells, aligns, strict=True):
        _cell_text(cell, text, align=amap[a], style=style)
    for col, lines in (extra or {}).items():
        # More paragraphs in a data cell (e.g. "{%p if … %}" blocks), smaller type.
        cell = data.cells[col]
        for text in lines:
            p = cell.add_paragraph(style="Bảng nhỏ")
            p.alignment = cell.paragraphs[0].alignment
            p.add_run(text)
    if bold_when:
        # A "Cộng" row in bold: each value twice, in a bold run and a plain one, one shown.
        for cell in data.cells:
            p = cell.paragraphs[0]
            text = p.text
            if not text.startswith("{{"):
                continue
            for run in list(p.runs):
                run._r.getparent().remove(run._r)
            p.add_run(f"{{% if {bold_when} %}}{text}{{% endif %}}").bold = True
            p.add_run(f"{{% if not ({bold_when}) %}}{text}{{% endif %}}")
    _cell_text(t.rows[start + 2].cells[0], "{%tr endfor %}", style=style)
    return t


# --- the report ---------------------------------------------------------------------------------


def build() -> bytes:
    doc = Document()
    _styles(doc)
    _page(doc)
    body_first = doc.paragraphs[0] if doc.paragraphs else None
    if body_first is not None:
        body_first._p.getparent().remove(body_first._p)

    _head(doc)
    _title(doc)
    body(doc, "{{ intro }}")

    # I. general situation
    h1(doc, "I. TÌNH HÌNH CHUNG")
    loop_body(doc, "general")
    tag(doc, "{%p if club_list %}")
    caption(doc, "Bảng 1. Danh sách câu lạc bộ")
    data_table(doc, ["TT", "Mã CLB", "Tên câu lạc bộ", "Thôn", "Ngày thành lập", "Số thành viên",
                     "Báo cáo năm {{ year }}"],
               ["{{ c.no }}", "{{ c.code }}", "{{ c.name }}", "{{ c.village }}", "{{ c.founded }}",
                "{{ c.members }}", "{{ c.state }}"],
               [10, 17, 44, 27, 25, 17, 25], "c in club_list", aligns="cclllrl")
    # Past the per-club limit: how many clubs reported, instead of a row per club.
    tag(doc, "{%p elif club_summary %}")
    caption(doc, "Bảng 1. Tình trạng báo cáo của các câu lạc bộ")
    data_table(doc, ["Tình trạng báo cáo năm {{ year }}", "Số câu lạc bộ", "Tỷ lệ"],
               ["{{ r.label }}", "{{ r.value }}", "{{ r.share }}"], [95, 35, 35],
               "r in club_summary.states", aligns="lrr", bold_when="r.strong")
    note(doc, "{{ club_summary.list_note }}")
    tag(doc, "{%p endif %}")
    caption(doc, "Bảng 2. Thành viên các câu lạc bộ đã báo cáo")
    data_table(doc, ["Nội dung", "Số người", "Tỷ lệ"],
               ["{{ r.label }}", "{{ r.value }}", "{{ r.share }}"], [95, 35, 35],
               "r in member_rows", aligns="lrr")

    # II. indicators
    h1(doc, "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA KẾ HOẠCH")
    body(doc, "{{ indicator_summary }}")
    caption(doc, "Bảng 3. Kết quả thực hiện các chỉ tiêu năm {{ year }} ({{ phase }})")
    extra = {3: ["{%p if r.detail %}", "({{ r.detail }})", "{%p endif %}"],
             4: ["{%p if r.status_note %}", "({{ r.status_note }})", "{%p endif %}"]}
    # With the previous year's figures: the same table with a "So với năm trước" column
    # (a second table rather than a conditional column: each keeps its own widths).
    tag(doc, "{%p if previous_year %}")
    data_table(doc, ["TT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Đánh giá", "So với năm trước"],
               ["{{ r.no }}", "{{ r.name }}", "{{ r.plan }}", "{{ r.actual }}", "{{ r.status_text }}",
                "{{ r.change }}"],
               [10, 54, 22, 27, 23, 29], "r in indicators", aligns="clcccc", extra=extra)
    tag(doc, "{%p else %}")
    data_table(doc, ["TT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Đánh giá"],
               ["{{ r.no }}", "{{ r.name }}", "{{ r.plan }}", "{{ r.actual }}", "{{ r.status_text }}"],
               [10, 75, 24, 32, 24], "r in indicators", aligns="clccc", extra=extra)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if chart %}")
    para(doc, "{{ chart }}", align=C, before=6, keep_next=True)
    para(doc, "{{ chart_caption }}", style="Tên bảng", after=6)
    tag(doc, "{%p endif %}")

    # III. results by club
    h1(doc, "III. KẾT QUẢ HOẠT ĐỘNG CỦA CÁC CÂU LẠC BỘ")
    loop_body(doc, "results_text")
    tag(doc, "{%p if clubs %}")
    h2(doc, "1. Sinh hoạt định kỳ hằng tháng")
    caption(doc, "Bảng 4. Sinh hoạt theo tháng")
    data_table(doc, ["Mã CLB", *(f"T{m}" for m in range(1, 13)), "Số buổi", "Số tháng đạt"],
               ["{{ c.code }}", *(f"{{{{ c.months[{i}] }}}}" for i in range(12)), "{{ c.sessions }}",
                "{{ c.months_text }}"],
               [17, *([10.0] * 12), 13, 15], "c in clubs", aligns="c" + "c" * 12 + "rc", small=True)
    note(doc, "Ghi chú: x: có sinh hoạt; –: tháng phải sinh hoạt nhưng không sinh hoạt; để trống: "
              "tháng chưa phải sinh hoạt (trước khi thành lập hoặc sau ngày tính số liệu).")
    h2(doc, "2. Thực hiện 08 nội dung hoạt động")
    caption(doc, "Bảng 5. Nội dung hoạt động trong năm")
    data_table(doc, ["Mã CLB", "{%tc for h in content_heads %}", "{{ h }}", "{%tc endfor %}",
                     "Số nội dung", "Chuyển đổi số, xanh, khởi nghiệp"],
               ["{{ c.code }}", "{%tc for cell in c.contents %}", "{{ cell }}", "{%tc endfor %}",
                "{{ c.contents_text }}", "{{ c.transformation }}"],
               [19, 1, 11, 1, 20, 36], "c in clubs", aligns="cccccc", small=True)
    note(doc, "Ghi chú: {{ content_legend|join('; ') }}.")
    h2(doc, "3. Tập huấn Ban chủ nhiệm và tuyên truyền")
    caption(doc, "Bảng 6. Tập huấn và tuyên truyền")
    data_table(doc, [],
               ["{{ c.code }}", "{{ c.board }}", "{{ c.board_trained }}", "{{ c.trainings_initial }}",
                "{{ c.trainings_refresher }}", "{{ c.outreach_sessions }}", "{{ c.outreach_reached }}"],
               [22, 22, 25, 22, 22, 24, 28], "c in clubs", aligns="crrrrrr",
               head_rows=[["Mã CLB", "Ban chủ nhiệm", "", "Lượt tập huấn", "",
                           "Tuyên truyền do CLB tổ chức", ""],
                          ["", "Số người", "Được tập huấn đủ", "Ban đầu", "Nhắc lại", "Số buổi",
                           "Lượt người được tiếp cận"]],
               merges=[(0, 0, 1, 0), (0, 1, 0, 2), (0, 3, 0, 4), (0, 5, 0, 6)])
    note(doc, "{{ outreach_note }}")
    h2(doc, "4. Quỹ của các câu lạc bộ")
    caption(doc, "Bảng 7. Thu trong năm và số dư cuối kỳ (đồng)")
    data_table(doc, ["Mã CLB", "Tổng thu trong năm", "Trong đó thành viên đóng góp",
                     "Số dư quỹ hoạt động", "Số dư quỹ tăng thu nhập"],
               ["{{ c.code }}", "{{ c.receipts }}", "{{ c.contribution }}", "{{ c.closing_activity }}",
                "{{ c.closing_income }}"], [25, 35, 35, 35, 35], "c in clubs", aligns="crrrr")
    # Past the per-club limit: counts of clubs, tables of a fixed size.
    tag(doc, "{%p elif club_summary and club_summary.reported %}")
    body(doc, "{{ club_summary.note }}")
    h2(doc, "1. Sinh hoạt định kỳ hằng tháng")
    caption(doc, "Bảng 4. Số câu lạc bộ sinh hoạt theo tháng")
    data_table(doc, ["Tháng", "Số CLB phải sinh hoạt", "Số CLB có sinh hoạt",
                     "Số CLB không sinh hoạt", "Tỷ lệ có sinh hoạt"],
               ["{{ r.label }}", "{{ r.total }}", "{{ r.yes }}", "{{ r.no }}", "{{ r.share }}"],
               [49, 29, 29, 29, 29], "r in club_summary.months", aligns="lrrrr",
               bold_when="r.strong")
    h2(doc, "2. Thực hiện 08 nội dung hoạt động")
    caption(doc, "Bảng 5. Số câu lạc bộ thực hiện từng nội dung")
    data_table(doc, ["Nội dung", "Số CLB thực hiện", "Số CLB chưa thực hiện", "Tỷ lệ thực hiện"],
               ["{{ r.label }}", "{{ r.yes }}", "{{ r.no }}", "{{ r.share }}"],
               [75, 30, 30, 30], "r in club_summary.contents", aligns="lrrr",
               bold_when="r.strong")
    h2(doc, "3. Tập huấn Ban chủ nhiệm và tuyên truyền")
    caption(doc, "Bảng 6. Tập huấn và tuyên truyền")
    data_table(doc, ["Nội dung", "Số lượng", "Tỷ lệ"],
               ["{{ r.label }}", "{{ r.value }}", "{{ r.share }}"], [95, 35, 35],
               "r in club_summary.training", aligns="lrr")
    note(doc, "{{ outreach_note }}")
    h2(doc, "4. Kết quả thực hiện tiêu chí câu lạc bộ đạt chuẩn")
    caption(doc, "Bảng 7. Số câu lạc bộ đạt, chưa đạt từng tiêu chí")
    data_table(doc, ["Tiêu chí", "Số CLB đạt", "Số CLB chưa đạt", "Tỷ lệ chưa đạt"],
               ["{{ r.label }}", "{{ r.yes }}", "{{ r.no }}", "{{ r.share }}"],
               [75, 30, 30, 30], "r in club_summary.criteria", aligns="lrrr",
               bold_when="r.strong")
    tag(doc, "{%p endif %}")

    # IV. funds
    h1(doc, "IV. TÌNH HÌNH QUỸ")
    loop_body(doc, "funds_text")
    caption(doc, "Bảng 8. Quỹ của các câu lạc bộ (đồng)")
    data_table(doc, ["Quỹ", "Số dư đầu năm", "Thu", "Chi", "Số dư cuối kỳ"],
               ["{{ r[0] }}", "{{ r[1] }}", "{{ r[2] }}", "{{ r[3] }}", "{{ r[4] }}"],
               [41, 31, 31, 31, 31], "r in fund_rows", aligns="lrrrr", bold_when="loop.last")
    caption(doc, "Bảng 9. Thu theo nguồn (đồng)")
    data_table(doc, ["Nguồn thu", "Số tiền", "Tỷ lệ"],
               ["{{ r.label }}", "{{ r.value }}", "{{ r.share }}"], [85, 45, 35],
               "r in source_rows", aligns="lrr", bold_when="r.strong")

    # V. awards (a table only when there are some: the text says why not)
    h1(doc, "V. KHEN THƯỞNG")
    loop_body(doc, "award_text")
    tag(doc, "{%p if awards %}")
    caption(doc, "Bảng 10. Khen thưởng năm {{ year }}")
    data_table(doc, ["TT", "Tập thể/Cá nhân", "Tên tập thể, số cá nhân được khen", "Hình thức",
                     "Cấp khen"],
               ["{{ a.no }}", "{{ a.target }}", "{{ a.name }}", "{{ a.form }}", "{{ a.level }}"],
               [10, 27, 60, 40, 28], "a in awards", aligns="cllll")
    tag(doc, "{%p endif %}")

    # VI., VII.
    h1(doc, "VI. TỒN TẠI, HẠN CHẾ")
    loop_body(doc, "shortcomings")
    h1(doc, "VII. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {{ year + 1 }}")
    loop_body(doc, "direction")
    # The closing sentence keeps with the signature: never the signature alone on a page.
    para(doc, "Trên đây là báo cáo kết quả thực hiện Kế hoạch nhân rộng câu lạc bộ liên thế hệ "
              "tự giúp nhau năm {{ year }} của {{ issuer_name }}./.", style="Body Text",
         keep_next=True)

    _signature(doc)
    _annexes(doc)
    return _deterministic(doc)


def _signature(doc) -> None:
    left_w, right_w = 78.0, TEXT_WIDTH_MM - 78.0
    para(doc, "", size=6, after=6, keep_next=True)  # air between the body and the signature
    t = doc.add_table(rows=1, cols=2)
    W.no_borders(t)
    W.fixed(t, [left_w, right_w])
    W.row_flag(t.rows[0], "cantSplit")
    left, right = t.rows[0].cells
    para(left, "Nơi nhận:", bold=True, italic=True, size=12)
    tag(left, "{%p for r in recipients %}")
    para(left, "{{ r }}", size=11)
    tag(left, "{%p endfor %}")
    _drop_first(left)
    tag(right, "{%p for line in signature.lines %}")
    para(right, "{{ line }}", align=C, bold=True, size=14, before=None)
    tag(right, "{%p endfor %}")
    for _ in range(4):
        para(right, "", align=C, size=14)
    para(right, "{{ signature.name }}", align=C, bold=True, size=14)
    _drop_first(right)


def _annex_head(doc, number: str, title: str) -> None:
    para(doc, f"Phụ lục {number}", align=C, bold=True, size=14, page_break=True, keep_next=True)
    para(doc, title, align=C, bold=True, size=14, keep_next=True)
    para(doc, "{{ annex_note }}", align=C, italic=True, size=14, after=12, keep_next=True)


def _annexes(doc) -> None:
    tag(doc, "{%p if clubs %}")
    _annex_head(doc, "I", "KẾT QUẢ THỰC HIỆN TIÊU CHÍ CÂU LẠC BỘ ĐẠT CHUẨN NĂM {{ year }}")
    data_table(doc, ["TT", "Mã CLB", "Thôn", "{%tc for h in criterion_heads %}", "{{ h }}",
                     "{%tc endfor %}", "Kết quả"],
               ["{{ c.no }}", "{{ c.code }}", "{{ c.village }}", "{%tc for cell in c.criteria %}",
                "{{ cell }}", "{%tc endfor %}", "{{ c.standard }}"],
               [9, 18, 33, 1, 9, 1, 22], "c in clubs", aligns="ccl" + "ccc" + "c", small=True)
    note(doc, "Tiêu chí: {{ criterion_legend|join('; ') }}. Ghi chú: x: đạt; –: chưa đạt.")

    _annex_head(doc, "II", "THÀNH VIÊN CÁC CÂU LẠC BỘ NĂM {{ year }}")
    data_table(doc, ["Mã CLB", "Tổng số", "Nam", "Nữ", "{%tc for h in age_heads %}", "{{ h }}",
                     "{%tc endfor %}", "NCT", "Nữ NCT", "Nghèo", "Cận nghèo", "Khuyết tật",
                     "Neo đơn"],
               ["{{ c.code }}", "{{ c.members }}", "{{ c.men }}", "{{ c.women }}",
                "{%tc for a in c.ages %}", "{{ a }}", "{%tc endfor %}", "{{ c.older }}",
                "{{ c.female_older }}", "{{ c.poor }}", "{{ c.near_poor }}", "{{ c.disability }}",
                "{{ c.lonely }}"],
               [15, 11, 10, 10, 1, 11, 1, 10, 11, 13, 13, 14, 14], "c in clubs",
               aligns="crrr" + "crc" + "rrrrrr", style="Bảng rất nhỏ")

    _annex_head(doc, "III", "QUỸ CỦA CÁC CÂU LẠC BỘ NĂM {{ year }}")
    caption(doc, "1. Thu, chi và số dư từng quỹ (đồng)")
    data_table(doc, ["Mã CLB", "Quỹ", "Số dư đầu năm", "Thu", "Chi", "Số dư cuối kỳ"],
               ["{{ f.code if f.first else '' }}", "{{ f.fund }}", "{{ f.opening }}", "{{ f.receipts }}",
                "{{ f.payments }}", "{{ f.closing }}"],
               [20, 29, 29, 29, 29, 29], "f in fund_lines", aligns="clrrrr")
    caption(doc, "2. Thu theo nguồn (đồng)")
    data_table(doc, ["Mã CLB", "{%tc for h in source_heads %}", "{{ h }}", "{%tc endfor %}",
                     "Tổng thu"],
               ["{{ c.code }}", "{%tc for v in c.by_source %}", "{{ v }}", "{%tc endfor %}",
                "{{ c.receipts }}"],
               [15, 1, 21.5, 1, 21], "c in clubs", aligns="ccrcr", style="Bảng rất nhỏ")
    tag(doc, "{%p endif %}")


def _deterministic(doc) -> bytes:
    """The document's bytes with fixed properties and zip timestamps."""
    cp = doc.core_properties
    cp.author = "clubtool"
    cp.last_modified_by = "clubtool"
    cp.title = "Báo cáo kết quả thực hiện Kế hoạch nhân rộng câu lạc bộ liên thế hệ tự giúp nhau"
    cp.created = cp.modified = FIXED_TIME
    cp.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args(argv)
    data = build()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(f"{args.output} ({len(data) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
