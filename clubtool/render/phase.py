"""The phase review's formats as renderers: `(PhaseContext, Options) -> bytes`.

The layout of each lives in `clubtool/report/phase/formats/` and the templates
(`templates/phase.*`); these only give them the one interface of `clubtool.render`.
"""

from __future__ import annotations

from .report import file_format

docx = file_format("clubtool.report.phase.formats.docx")
html = file_format("clubtool.report.phase.formats.html")
xlsx = file_format("clubtool.report.phase.formats.xlsx")
md = file_format("clubtool.report.phase.formats.markdown")
json = file_format("clubtool.report.phase.formats.json")
