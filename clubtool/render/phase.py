"""The phase review's formats as renderers: `(PhaseContext, Options) -> bytes`.

The layout of each lives in `clubtool/report/phase/formats/` and the templates
(`templates/phase.*`); these only give them the one interface of `clubtool.render`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import Options

if TYPE_CHECKING:
    from ..report.phase import PhaseContext


def docx(ctx: PhaseContext, opts: Options) -> bytes:
    from ..report.phase.formats.docx import render

    return render(ctx, templates=opts.templates)


def html(ctx: PhaseContext, opts: Options) -> bytes:
    from ..report.phase.formats.html import render

    return render(ctx, templates=opts.templates)


def xlsx(ctx: PhaseContext, opts: Options) -> bytes:
    from ..report.phase.formats.xlsx import render

    return render(ctx, templates=opts.templates)


def md(ctx: PhaseContext, opts: Options) -> bytes:
    from ..report.phase.formats.markdown import render

    return render(ctx, templates=opts.templates)


def json(ctx: PhaseContext, opts: Options) -> bytes:
    from ..report.phase.formats.json import render

    return render(ctx, templates=opts.templates)
