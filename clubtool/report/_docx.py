"""Word building blocks: paragraphs in the annual template's styles, rules, borderless
layout tables and bordered data tables of fixed widths. Used by the phase review's DOCX and by
`scripts/make_docx_template.py`, which builds the annual template with them.

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
