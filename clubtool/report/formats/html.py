"""HTML: one self-contained file (inline CSS with @page A4, inline SVG chart), autoescaped."""

from __future__ import annotations

from pathlib import Path

from .._charts import chart_svg
from ..context import ReportContext
from ..templates import HTML_TEMPLATE, environment
from . import template_vars


def render(ctx: ReportContext, *, templates: Path | str | None = None) -> bytes:
    env = environment("html", templates)
    html = env.get_template(HTML_TEMPLATE).render(chart_svg=chart_svg(ctx.chart),
                                                  **template_vars(ctx))
    return html.encode("utf-8")
