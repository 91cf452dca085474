"""DOCX: the Word template `bao_cao.docx` (docxtpl: jinja2 tags inside Word), PNG chart.

The commune can change the layout in Word (keeping the tags) and pass its folder with
`--templates`. Values are XML-escaped (autoescape); the file is deterministic for the same
inputs (document properties from the report's date, fixed zip timestamps).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from .._charts import chart_png
from ..context import ReportContext
from ..templates import DOCX_TEMPLATE, docx_environment, find_template, xml_safe
from . import normalise_zip, template_vars

CHART_WIDTH_MM = 150
PROPERTY_MAX = 255


def render(ctx: ReportContext, *, templates: Path | str | None = None) -> bytes:
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    tpl = DocxTemplate(str(find_template(DOCX_TEMPLATE, templates)))
    png = chart_png(ctx.chart)
    values = template_vars(ctx)
    values["chart"] = InlineImage(tpl, io.BytesIO(png), width=Mm(CHART_WIDTH_MM)) if png else None
    # Every value leaves out the characters XML forbids (a control character typed into a
    # club's name would otherwise make the whole document unwritable).
    tpl.render(values, docx_environment(), autoescape=True)
    _fix_grids(tpl.docx)

    when = dt.datetime.strptime(ctx.date, "%d/%m/%Y")
    props = tpl.docx.core_properties
    props.title = _prop(f"{ctx.header.kind.capitalize()} {ctx.header.subject}")
    props.subject = _prop(ctx.header.subject)
    props.author = _prop(ctx.issuer_name)
    props.last_modified_by = _prop(ctx.issuer_name)
    props.created = props.modified = when
    props.last_printed = when
    props.revision = 1
    props.keywords = "clubtool"
    buf = io.BytesIO()
    tpl.save(buf)
    return normalise_zip(buf.getvalue())


def _prop(text: str) -> str:
    """A document property: XML-safe, and at most the 255 characters python-docx allows
    (an issuing body's name may be as long as a cell)."""
    return xml_safe(text)[:PROPERTY_MAX]


def _fix_grids(document: object) -> None:
    """Make each table's grid match its cells' widths.

    A `{%tc for %}` column loop repeats a cell (and its width); docxtpl then spreads the
    table's old width evenly over the new grid, which Word and LibreOffice draw with
    squeezed, misplaced columns. The widest row without merged cells gives the true grid.
    """
    from docx.oxml.ns import qn

    for tbl in document.element.body.iter(qn("w:tbl")):  # type: ignore[attr-defined]
        grid = tbl.find(qn("w:tblGrid"))
        if grid is None:
            continue
        best: list[int] | None = None
        for tr in tbl.iter(qn("w:tr")):
            widths: list[int] = []
            for tc in tr.findall(qn("w:tc")):
                pr = tc.find(qn("w:tcPr"))
                span = pr.find(qn("w:gridSpan")) if pr is not None else None
                w = pr.find(qn("w:tcW")) if pr is not None else None
                if span is not None or w is None or w.get(qn("w:type")) not in (None, "dxa"):
                    widths = []
                    break
                widths.append(int(w.get(qn("w:w"))))
            if widths and (best is None or len(widths) > len(best)):
                best = widths
        if not best:
            continue
        for col in grid.findall(qn("w:gridCol")):
            grid.remove(col)
        for w in best:
            col = grid.makeelement(qn("w:gridCol"), {qn("w:w"): str(w)})
            grid.append(col)
