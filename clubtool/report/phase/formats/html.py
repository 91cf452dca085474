"""HTML: one self-contained file (inline CSS with @page A4, inline SVG chart), autoescaped."""

from __future__ import annotations

from pathlib import Path

from ...templates import environment
from ..chart import phase_chart_svg
from ..model import PhaseContext
from . import HTML_TEMPLATE, template_vars


def render(ctx: PhaseContext, *, templates: Path | str | None = None) -> bytes:
    env = environment("html", templates)
    html = env.get_template(HTML_TEMPLATE).render(
        chart_svg=phase_chart_svg(ctx.chart, ctx.years), **template_vars(ctx))
    return html.encode("utf-8")
