"""The annual report's formats as renderers: `(ReportContext, Options) -> bytes`.

The layout of each lives in `clubtool/report/formats/` and the templates; these only give
them the one interface of `clubtool.render`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from . import Options


def file_format(module: str) -> Callable[[Any, Options], bytes]:
    """The renderer of a report format whose module (imported when first used: each pulls
    its own library) has `render(ctx, *, templates) -> bytes`."""

    def render(ctx: Any, opts: Options) -> bytes:
        result: bytes = importlib.import_module(module).render(ctx, templates=opts.templates)
        return result

    return render


docx = file_format("clubtool.report.formats.docx")
html = file_format("clubtool.report.formats.html")
xlsx = file_format("clubtool.report.formats.xlsx")
md = file_format("clubtool.report.formats.markdown")
json = file_format("clubtool.report.formats.json")
