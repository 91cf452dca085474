"""The phase reviews of the plan (its §V.1): *sơ kết* of 2026–2030, *tổng kết* of 2031–2035
or 2026–2035.

    from clubtool.report.phase import YearData, render_phase_report
    years = {2026: YearData(result_2026, commune_2026), 2027: None, ...}
    paths = render_phase_report(years, phase=phase, plan=plan, formats=("docx", "html"),
                                out_dir="bao_cao", date=dt.date(2030, 12, 5))

The same layout (Nghị định 30/2020/NĐ-CP) and the same five formats as the annual report:
each indicator year by year against its target with a chart, the clubs (founded, dissolved,
reporting, meeting the standard) and their members by year, each club's standard year by
year, funds by year and source, awards by year, what is missing, and the phase's start
against its end. `build_phase_context()` turns the years into display-ready values; the
renderers (`formats/`, through `clubtool.render`, kind "phase") lay them out.

The caller brings each year's data ready (the archive's `IndicatorResult` and commune
workbook): nothing here reads a file or recomputes an indicator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .. import DEFAULT_FORMATS, RenderedReport, ReportError, parse_formats
from ..formats import EXTENSIONS
from .context import build_phase_context
from .model import PhaseContext
from .source import SO_KET, TONG_KET, PhaseInputError, YearData, review_kind

if TYPE_CHECKING:
    from ...indicators import Phase, Plan

__all__ = ["SO_KET", "TONG_KET", "PhaseContext", "YearData", "build_phase_context",
           "phase_output_name", "render_phase_report"]


def phase_output_name(phase: Phase | str, fmt: str, *, plan: Plan | None = None) -> str:
    """so_ket_2026_2030.docx; tong_ket_2031_2035.docx, tong_ket_2026_2035.docx (a phase
    that ends with the plan: `plan`, default the plan shipped)."""
    from ...indicators import Phase, default_plan

    plan = plan or default_plan()
    if isinstance(phase, str):
        first, _, last = phase.replace("–", "-").partition("-")
        try:
            phase = Phase(int(first), int(last), f"Giai đoạn {first} - {last}")
        except ValueError:
            raise ReportError(f"Giai đoạn '{phase}' không hợp lệ; ghi dạng 2026-2030.") from None
    kind = review_kind(phase, plan)
    return f"{kind}_{phase.first_year}_{phase.last_year}.{EXTENSIONS[fmt]}"


def render_phase_report(years: Mapping[int, YearData | None], *, phase: Phase, plan: Plan,
                        formats: str | Iterable[str] = DEFAULT_FORMATS, out_dir: Path | str,
                        date: dt.date | None = None, templates: Path | str | None = None,
                        force: bool = False, today: dt.date | None = None,
                        per_club_limit: int | None = None) -> RenderedReport:
    """Write the review of `phase` in each format into `out_dir`; return the paths written.

    `years`: each year of the phase → its data, None (or absent) when there is none. As
    `render_report`: every file is rendered in memory, then written atomically; existing
    files are kept unless `force` (ReportError); `date` is the signing date (default today,
    or the last year's as-of date when today is before it); the result's `warnings` say
    what the officer should check. ReportError also when no year has data or a year is
    outside the phase.
    """
    from ..._fsutil import write_bytes_atomic
    from ...render import Options, renderer

    fmts = parse_formats(formats)
    out = Path(out_dir)
    targets = [out / phase_output_name(phase, f, plan=plan) for f in fmts]
    if not force:
        existing = [str(t) for t in targets if t.exists()]
        if existing:
            raise ReportError(f"Đã có tệp {', '.join(existing)}; không ghi đè. Thêm --force để "
                              "ghi đè, hoặc chọn thư mục khác bằng -o.")
    try:
        ctx = build_phase_context(years, phase=phase, plan=plan, date=date, today=today,
                                  per_club_limit=per_club_limit)
    except PhaseInputError as exc:
        raise ReportError(str(exc)) from None
    opts = Options(templates=templates)
    rendered = [(t, renderer("phase", f)(ctx, opts)) for f, t in zip(fmts, targets, strict=True)]
    for target, data in rendered:
        assert isinstance(data, bytes)  # a report format renders a file
        write_bytes_atomic(target, data, force=True)
    return RenderedReport(targets, ctx.warnings, dt.datetime.strptime(ctx.date, "%d/%m/%Y").date())
