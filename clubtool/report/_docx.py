"""Word building blocks: paragraphs in the annual template's styles, rules, borderless
layout tables and bordered data tables of fixed widths; `Writer`, the NĐ 30 frame (head,
title, chart, closing and signature) of a report written section by section. Used by the
phase review's and the province report's DOCX, and by `scripts/make_docx_template.py`, which
builds the annual template with them.

The annual template (`bao_cao.docx`, made by `scripts/make_docx_template.py`) defines the
styles used here ("Body Text", "Heading 1", "Heading 2", "Tên bảng", "Ghi chú", "Bảng",
"Bảng nhỏ", "Bảng rất nhỏ", "Table Grid"); a commune's own copy of it (`--templates`) may
lack one, and the paragraph then falls back to the document's default style.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

C, L, R, J = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
              WD_ALIGN_PARAGRAPH.JUSTIFY)
ALIGN = {"l": L, "c": C, "r": R}
GREY = "EEEEEE"


def style(doc: Any, name: str) -> Any:
    """The template's style called `name`, or whose id is `name` ("Ghichú": the notes'
    style "Ghi chú", whose name is also a column of the club workbook); None when the
    template has none."""
    styles = list(doc.styles)
    return (next((s for s in styles if s.name == name), None)
            or next((s for s in styles if s.style_id == name), None))


def para(container: Any, text: str = "", *, st: Any = None, align: Any = None,
         bold: bool | None = None, italic: bool | None = None, size: float | None = None,
         before: float | None = None, after: float | None = None,
         keep_next: bool | None = None, page_break: bool = False, left: Any = None,
         right: Any = None, indent_first: Any = None) -> Any:
    """A paragraph in `container` (the document or a cell) in style `st`."""
    p = container.add_paragraph(style=st)
    if text:
        run = p.add_run(text)
        if bold is not None:
            run.bold = bold
        if italic is not None:
            run.italic = italic
        if size is not None:
            run.font.size = Pt(size)
    pf = p.paragraph_format
    if align is not None:
        pf.alignment = align
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if keep_next is not None:
        pf.keep_with_next = keep_next
    if page_break:
        pf.page_break_before = True
    if indent_first is not None:
        pf.first_line_indent = indent_first
    if left is not None:
        pf.left_indent = left
    if right is not None:
        pf.right_indent = right
    return p


def border(paragraph: Any, side: str, size: int = 6, space: int = 1) -> None:
    """A single rule on one side of a paragraph (size in eighths of a point)."""
    ppr = paragraph._p.get_or_add_pPr()
    pbdr = ppr.find(qn("w:pBdr"))
    if pbdr is None:
        pbdr = OxmlElement("w:pBdr")
        ppr.append(pbdr)
    el = OxmlElement(f"w:{side}")
    for k, v in (("w:val", "single"), ("w:sz", str(size)), ("w:space", str(space)),
                 ("w:color", "000000")):
        el.set(qn(k), v)
    pbdr.append(el)


def rule(container: Any, width_mm: float, box_mm: float, *, after: float = 0) -> Any:
    """A centred horizontal rule `width_mm` long inside a box `box_mm` wide."""
    side = max(0.0, (box_mm - width_mm) / 2)
    p = para(container, "", align=C, before=3, after=after, left=Mm(side), right=Mm(side))
    p.paragraph_format.line_spacing = Pt(2)
    border(p, "top", size=6, space=0)
    return p


def no_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def fixed(table: Any, widths_mm: Sequence[float]) -> None:
    """Fixed layout and column widths (Word and LibreOffice both honour them)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(w)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        col.set(qn("w:w"), str(int(Mm(w).twips)))


def narrow_margins(table: Any, mm: float = 1.0) -> None:
    """Narrow left/right cell margins: dense grids of figures fit the text width."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Mm(mm).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    table._tbl.tblPr.append(mar)


def row_flag(row: Any, tag: str) -> None:
    """A row property: "tblHeader" (repeat on each page) or "cantSplit"."""
    el = OxmlElement(f"w:{tag}")
    if tag == "tblHeader":
        el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def shade(cell: Any, fill: str = GREY) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def cell_text(cell: Any, text: str, st: Any, *, align: Any = C, bold: bool = False,
              small: str = "", small_style: Any = None) -> None:
    """The cell's text; `small`: a second, smaller line (a year's mark under its figure)."""
    p = cell.paragraphs[0]
    p.style = st
    p.alignment = align
    if text:
        run = p.add_run(text)
        if bold:
            run.bold = True
    if small:
        q = cell.add_paragraph(style=small_style or st)
        q.alignment = align
        run = q.add_run(small)
        run.italic = True
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def data_table(doc: Any, heads: Sequence[str], rows: Sequence[Sequence[str]],
               widths: Sequence[float], *, aligns: str, st: Any,
               strong: Sequence[bool] = (), grey: Sequence[int] = (),
               marks: Sequence[Sequence[str]] = (), mark_style: Any = None,
               margin_mm: float = 1.0) -> Any:
    """A bordered table of fixed widths: one header row (repeated on each page), then
    `rows`. `strong`: rows in bold; `grey`: columns shaded (years without data);
    `marks`: per row, a small second line per cell ("" for none); `margin_mm`: the cells'
    left and right margins."""
    t = doc.add_table(rows=1 + len(rows), cols=len(widths))
    if (grid_style := style(doc, "Table Grid")) is not None:
        t.style = grid_style
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed(t, widths)
    narrow_margins(t, margin_mm)
    head = t.rows[0]
    row_flag(head, "tblHeader")
    row_flag(head, "cantSplit")
    for i, (cell, text) in enumerate(zip(head.cells, heads, strict=True)):
        cell_text(cell, text, st, bold=True)
        cell.paragraphs[0].paragraph_format.keep_with_next = True
        if i in grey:
            shade(cell)
    for r, values in enumerate(rows):
        row = t.rows[r + 1]
        row_flag(row, "cantSplit")
        bold = bool(strong) and strong[r]
        row_marks = marks[r] if marks else ()
        for i, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            small = row_marks[i] if i < len(row_marks) else ""
            cell_text(cell, text, st, align=ALIGN[aligns[i]], bold=bold, small=small,
                      small_style=mark_style)
            if i in grey:
                shade(cell)
    return t


# --- an NĐ 30 document written section by section (the phase review, the province report) ---

PROPERTY_MAX = 255  # characters of a document property Word keeps
MOTTO_MM = 75.0  # "Độc lập - Tự do - Hạnh phúc" in Times New Roman Bold 14, with air


def emptied_template(templates: Any) -> Any:
    """The annual template (or a commune's copy, `--templates`) with its body removed: its
    styles and page setup stay, for a document written from scratch."""
    from docx import Document

    from .templates import DOCX_TEMPLATE, find_template

    doc = Document(str(find_template(DOCX_TEMPLATE, templates)))
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return doc


def finished(doc: Any, *, title: str, subject: str, author: str, date: str) -> bytes:
    """The document's bytes, its properties set from the report (`date` dd/mm/yyyy: the same
    inputs give the same bytes)."""
    import datetime as dt
    import io

    from .formats import normalise_zip

    when = dt.datetime.strptime(date, "%d/%m/%Y")
    props = doc.core_properties
    props.title = _prop(title)
    props.subject = _prop(subject)
    props.author = props.last_modified_by = _prop(author)
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    props.keywords = "clubtool"
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue())


def _prop(text: str) -> str:
    return safe(text)[:PROPERTY_MAX]


def safe(text: str) -> str:
    """Text Word can hold (no character XML forbids)."""
    from .templates import xml_safe

    return str(xml_safe(text))


class Writer:
    """Paragraphs, the NĐ 30 head, title, chart and signature of a report written section by
    section into an emptied template. `ctx` has `header` (issuer_lines, number, national,
    motto, place_date, kind, subject_lines), `closing`, `recipients`, `signature` (lines,
    name) and `chart_caption`."""

    def __init__(self, doc: Any, ctx: Any):
        self.doc, self.ctx = doc, ctx
        s = doc.sections[0]
        self.width = (s.page_width - s.left_margin - s.right_margin) / Mm(1)
        self.table_style = style(doc, "Bảng nhỏ")
        self.small_style = style(doc, "Bảng rất nhỏ")

    def body(self, text: str) -> None:
        para(self.doc, safe(text), st=style(self.doc, "Body Text"), align=J)

    def bodies(self, texts: Sequence[str]) -> None:
        for text in texts:
            self.body(text)

    def h1(self, text: str) -> None:
        para(self.doc, text, st=style(self.doc, "Heading 1"), bold=True, keep_next=True)

    def h2(self, text: str) -> None:
        para(self.doc, text, st=style(self.doc, "Heading 2"), bold=True, keep_next=True)

    def caption(self, text: str) -> None:
        para(self.doc, text, st=style(self.doc, "Tên bảng"), align=C, bold=True, before=6,
             keep_next=True)

    def note(self, text: str) -> None:
        para(self.doc, safe(text), st=style(self.doc, "Ghichú"), italic=True, before=3)

    def space(self) -> None:
        """Air between a table and the text after it."""
        para(self.doc, "", size=4)

    def head(self) -> None:
        """Issuing body and number left; national name, motto and place-and-date right."""
        h = self.ctx.header
        left_w = 62.0
        right_w = self.width - left_w
        t = self.doc.add_table(rows=1, cols=2)
        no_borders(t)
        fixed(t, [left_w, right_w])
        left, right = t.rows[0].cells
        for line in h.issuer_lines:
            para(left, safe(line), align=C, bold=True, size=13)
        rule(left, 22, left_w - 4, after=4)
        para(left, h.number, align=C, size=13)
        para(right, h.national, align=C, bold=True, size=13)
        # The rule under the motto is as long as the motto (the annual template's 61 mm
        # makes LibreOffice and Word wrap it).
        side = Mm(max(0.0, (right_w - 4 - MOTTO_MM) / 2))
        motto = para(right, h.motto, align=C, bold=True, size=14, left=side, right=side)
        border(motto, "bottom", size=6, space=1)
        para(right, safe(h.place_date), align=C, italic=True, size=14, before=8)
        _drop_first_paragraphs(left, right)

    def title(self) -> None:
        h = self.ctx.header
        para(self.doc, h.kind, align=C, bold=True, size=14, before=18, keep_next=True)
        for line in h.subject_lines:
            para(self.doc, line, align=C, bold=True, size=14, keep_next=True)
        rule(self.doc, 45, self.width, after=12)

    def picture(self, png: bytes) -> None:
        """A chart as wide as the text allows (at most 160 mm) and never taller than a page
        leaves room for with its caption, then the caption."""
        import io

        s = self.doc.sections[0]
        room = (s.page_height - s.top_margin - s.bottom_margin) / Mm(1) - 30
        w_px, h_px = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        width = min(160.0, self.width, room * w_px / h_px)
        p = para(self.doc, "", align=C, before=6, keep_next=True)
        p.add_run().add_picture(io.BytesIO(png), width=Mm(width))
        self.caption(self.ctx.chart_caption)

    def closing(self) -> None:
        """The closing sentence, kept on the page of the signature, then the signature."""
        self.space()
        para(self.doc, safe(self.ctx.closing), st=style(self.doc, "Body Text"), align=J,
             keep_next=True)
        self.signature()

    def signature(self) -> None:
        c = self.ctx
        para(self.doc, "", size=6, after=6, keep_next=True)
        left_w = 78.0
        t = self.doc.add_table(rows=1, cols=2)
        no_borders(t)
        fixed(t, [left_w, self.width - left_w])
        row_flag(t.rows[0], "cantSplit")
        left, right = t.rows[0].cells
        para(left, "Nơi nhận:", bold=True, italic=True, size=12)
        for r in c.recipients:
            para(left, safe(r), size=11)
        for line in c.signature.lines:
            para(right, safe(line), align=C, bold=True, size=14)
        for _ in range(4):
            para(right, "", align=C, size=14)
        para(right, safe(c.signature.name), align=C, bold=True, size=14)
        _drop_first_paragraphs(left, right)


def _drop_first_paragraphs(*cells: Any) -> None:
    """A new cell starts with an empty paragraph: removed once the cell is written."""
    for cell in cells:
        first = cell.paragraphs[0]
        first._p.getparent().remove(first._p)
