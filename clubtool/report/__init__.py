"""The annual report (docs/outputs.md#report): one context, five renderers.

    from clubtool.report import render_report
    paths = render_report(result, report.commune, year=2027, formats=("docx", "html"),
                          out_dir="bao_cao", date=dt.date(2027, 12, 5))

`build_context()` turns an `IndicatorResult` into display-ready values; each renderer
(`formats/`) lays the same context out as DOCX (docxtpl template), HTML, XLSX, Markdown or
JSON. Templates are in `templates/` (shipped as `clubtool/_templates`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..outputs import DEFAULT_REPORT_FORMATS, REPORT_FORMATS, FormatError
from ..outputs import parse_formats as _parse_formats
from .context import LIST_LIMIT, PER_CLUB_LIMIT, ReportContext, build_context
from .formats import EXTENSIONS
from .templates import TemplateNotFound, find_template

if TYPE_CHECKING:
    from ..indicators import IndicatorResult
    from ..model import Commune
    from ..validation import ValidationReport
    from .worker import ReportWorker, SideFile

FORMATS = tuple(REPORT_FORMATS)
DEFAULT_FORMATS = DEFAULT_REPORT_FORMATS
#: The formats that read the context's payload (every club's figures).
PAYLOAD_FORMATS = frozenset({"json", "xlsx"})
#: The formats that lay out every club's row at any scale (`ctx.clubs_all`, `club_list_all`).
ALL_ROWS_FORMATS = frozenset({"xlsx"})


def for_formats(ctx: ReportContext, fmts: Iterable[str]) -> ReportContext:
    """`ctx` as the renderers of `fmts` read it: without the rows of every club when none
    of them writes those (1,000 clubs: 0.9 MB less to send to the report worker, which
    renders the same bytes from it: tests/test_report_speed.py)."""
    if ALL_ROWS_FORMATS.intersection(fmts) or not (ctx.clubs_all or ctx.club_list_all):
        return ctx
    return dataclasses.replace(ctx, clubs_all=[], club_list_all=[])

__all__ = ["DEFAULT_FORMATS", "FORMATS", "LIST_LIMIT", "PER_CLUB_LIMIT", "RenderedReport",
           "PendingReport", "ReportContext", "ReportError", "TemplateNotFound", "build_context",
           "find_template", "for_formats", "output_name", "parse_formats", "prepare_report",
           "render_report"]


class ReportError(ValueError):
    """The report cannot be written as asked; the message is for the officer."""


def parse_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """"docx,html" or ["docx", "html"] → ("docx", "html"), checked, without repeats (the
    one list and aliases of `clubtool.outputs`); ReportError for a format that does not
    exist."""
    try:
        return _parse_formats(formats)
    except FormatError as exc:
        from ..i18n import message

        raise ReportError(message(exc)) from None


class RenderedReport(list[Path]):
    """The paths written (a list, as before), with what the officer must be told.

    `warnings`: the indicators' own (an as-of date after today) and the report's (a signing
    date before the report's year, a default signing date moved), in Vietnamese; the
    library never prints them. `date`: the signing date used.
    """

    def __init__(self, paths: Iterable[Path], warnings: Sequence[str] = (),
                 date: dt.date | None = None):
        super().__init__(paths)
        self.warnings: list[str] = list(warnings)
        self.date = date
        self.summary: Path | None = None  # the commune's summary, written with "json"


def output_name(year: int, fmt: str, commune: str | None = None) -> str:
    """bao_cao_2027.docx; with `commune` (inputs of several communes) bao_cao_mai_hoa_2027.docx."""
    if commune:
        return f"bao_cao_{slug(commune)}_{year}.{EXTENSIONS[fmt]}"
    return f"bao_cao_{year}.{EXTENSIONS[fmt]}"


def slug(name: str) -> str:
    """"Thạch Xuân" → "thach_xuan": letters and digits only, so a name never leaves a folder."""
    import re

    from ..text import fold

    return "_".join(re.findall(r"[a-z0-9]+", fold(name))) or "xa"


# long: the docstring says every option and outcome; the body is check, build, write
def render_report(result: IndicatorResult, commune: Commune | None, *, year: int,
                  formats: str | Iterable[str] = DEFAULT_FORMATS, out_dir: Path | str,
                  date: dt.date | None = None, validation: ValidationReport | None = None,
                  templates: Path | str | None = None, direction: Sequence[str] | None = None,
                  force: bool = False, per_club_limit: int | None = None,
                  today: dt.date | None = None, name_by_commune: bool = False,
                  previous: IndicatorResult | None = None) -> RenderedReport:
    """Write the report for `year` in each format into `out_dir`; return the paths written.

    With "json", the commune's summary for the province (`tong_hop_<xã>_<năm>.json`,
    docs/summary.md) is written too: `RenderedReport.summary`.

    Every file is rendered in memory first and then written atomically, so a failure leaves
    no half-written report. Existing files are kept unless `force` (ReportError; a report
    edited in Word is never overwritten by surprise). Past `per_club_limit` clubs (default
    `PER_CLUB_LIMIT`) DOCX, HTML and Markdown show counts of clubs instead of per-club
    tables; XLSX keeps a row per club and JSON the full payload.

    `name_by_commune`: the commune's name in the file names (inputs of several communes).

    `previous`: the same commune's result for `year` − 1; section II then compares each
    indicator with it (a "So với năm trước" column, a sentence in the summary). Without
    it, the files are exactly as before. ReportError when it is of another year.

    `date` is the signing date; without it, today (`today`, default: the clock), or the
    as-of date when today is before the report's year. The result's `warnings` say what
    the officer should check (see `RenderedReport`).
    """
    return prepare_report(result, commune, year=year, formats=formats, out_dir=out_dir, date=date,
                          validation=validation, templates=templates, direction=direction,
                          force=force, per_club_limit=per_club_limit, today=today,
                          name_by_commune=name_by_commune, previous=previous).write()


def prepare_report(result: IndicatorResult, commune: Commune | None, *, year: int,
                   formats: str | Iterable[str] = DEFAULT_FORMATS, out_dir: Path | str,
                   date: dt.date | None = None, validation: ValidationReport | None = None,
                   templates: Path | str | None = None, direction: Sequence[str] | None = None,
                   force: bool = False, per_club_limit: int | None = None,
                   today: dt.date | None = None, name_by_commune: bool = False,
                   previous: IndicatorResult | None = None,
                   worker: ReportWorker | None = None,
                   files: Sequence[SideFile] = ()) -> PendingReport:
    """`render_report` in two steps: check and build the context now (ReportError as
    `render_report`), render and write with `.write()`. With `worker` (a running
    `ReportWorker`), the files are rendered in that process meanwhile; `.write()` takes its
    bytes, or renders in-process if it failed: the same bytes either way.

    `files`: other files to write with the report (the export's indicator JSON): handed to
    the worker, which writes them itself (`.write()` checks they are there); without one,
    or when it failed, `.write()` writes them (`worker.write_side_files`): the same bytes."""
    fmts = parse_formats(formats)
    out = Path(out_dir)
    targets = [out / output_name(year, f, result.commune if name_by_commune else None)
               for f in fmts]
    summary = None
    if "json" in fmts:  # the commune's summary for the province goes with the JSON report
        from ..summary import summary_name

        summary = out / summary_name(result.commune, year)
    if not force:
        existing = [str(t) for t in [*targets, *([summary] if summary else [])] if t.exists()]
        if existing:
            raise ReportError(f"Đã có tệp {', '.join(existing)}; không ghi đè. Thêm --force để "
                              "ghi đè, hoặc chọn thư mục khác bằng -o.")
    if per_club_limit is not None and per_club_limit < 0:
        raise ReportError(f"Giới hạn số câu lạc bộ ({per_club_limit}) phải là số không âm.")
    if previous is not None and previous.year != year - 1:
        raise ReportError(f"Số liệu năm trước là của năm {previous.year}, không phải năm "
                          f"{year - 1}: không so sánh được.")
    ctx = build_context(result, commune, year, date, validation=validation, direction=direction,
                        per_club_limit=per_club_limit, today=today, previous=previous,
                        payload=bool(PAYLOAD_FORMATS.intersection(fmts)))
    if worker is not None:
        worker.submit(for_formats(ctx, fmts), fmts, templates, files)
    return PendingReport(ctx, fmts, targets, templates, worker, result, validation, summary,
                         files)


class PendingReport:
    """A report checked and laid out, not yet written (`prepare_report`); `files`: those
    written with it."""

    def __init__(self, ctx: ReportContext, fmts: tuple[str, ...], targets: list[Path],
                 templates: Path | str | None, worker: ReportWorker | None,
                 result: IndicatorResult, validation: ValidationReport | None,
                 summary: Path | None, files: Sequence[SideFile] = ()):
        self.ctx, self.fmts, self.targets, self.templates = ctx, fmts, targets, templates
        self.worker, self.result, self.validation, self.summary = (worker, result,
                                                                    validation, summary)
        self.files = tuple(files)

    def write(self) -> RenderedReport:
        """Render (or take the worker's bytes), write each file atomically, then the
        summary; return the paths written (the report's: `files` are not among them).
        `files`: checked when the worker wrote them, else written here first."""
        from .._fsutil import write_bytes_atomic
        from ..render import Options, renderer

        ctx = self.ctx
        worker = self.worker
        rendered = worker.result() if worker is not None else None
        if self.files and (worker is None or rendered is None or not worker.wrote()):
            from .worker import write_side_files

            write_side_files(self.files, after_worker=worker is not None)
        if rendered is None:  # no worker, or it failed: render here (an error is raised here)
            opts = Options(templates=self.templates)
            rendered = [renderer("report", f)(ctx, opts)  # type: ignore[misc]
                        for f in self.fmts]
        for target, data in zip(self.targets, rendered, strict=True):
            assert isinstance(data, bytes)  # a report format renders a file
            write_bytes_atomic(target, data, force=True)
        if self.summary is not None:
            from ..summary import summary_of, write_summary

            write_summary(self.summary, summary_of(self.result, validation=self.validation))
        rendered_report = RenderedReport(self.targets, ctx.warnings,
                                         dt.datetime.strptime(ctx.date, "%d/%m/%Y").date())
        rendered_report.summary = self.summary
        return rendered_report
