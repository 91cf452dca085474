"""The phase review's renderers: each takes the same `PhaseContext` and returns the bytes
of one file. Layout lives in the templates (`templates/phase.*`) and here; numbers come
ready from the context: a renderer never computes a figure."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from .... import schema as S
from ..model import PhaseContext

HTML_TEMPLATE = "phase.html.j2"
MD_TEMPLATE = "phase.md.j2"
#: The first column of the tables by year (what each row counts).
ITEM = "Hạng mục"
#: "Năm", as the commune workbook's awards sheet heads it.
YEAR = S.AWARDS.field("year").header


def template_vars(ctx: PhaseContext) -> dict[str, Any]:
    """The context's fields as template variables (plus `ctx` and `year_heads`)."""
    out: dict[str, Any] = {f.name: getattr(ctx, f.name) for f in fields(ctx)}
    out["ctx"] = ctx
    out["year_heads"] = ctx.year_heads
    return out
