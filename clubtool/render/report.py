"""The annual report's formats as renderers: `(ReportContext, Options) -> bytes`.

The layout of each lives in `clubtool/report/formats/` and the templates; these only give
them the one interface of `clubtool.render`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import Options

if TYPE_CHECKING:
    from ..report.context import ReportContext


def docx(ctx: ReportContext, opts: Options) -> bytes:
    from ..report.formats.docx import render

    return render(ctx, templates=opts.templates)


def html(ctx: ReportContext, opts: Options) -> bytes:
    from ..report.formats.html import render

    return render(ctx, templates=opts.templates)


def xlsx(ctx: ReportContext, opts: Options) -> bytes:
    from ..report.formats.xlsx import render

    return render(ctx, templates=opts.templates)


def md(ctx: ReportContext, opts: Options) -> bytes:
    from ..report.formats.markdown import render

    return render(ctx, templates=opts.templates)


def json(ctx: ReportContext, opts: Options) -> bytes:
    from ..report.formats.json import render

    return render(ctx, templates=opts.templates)
