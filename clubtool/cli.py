"""The `clubtool` command: parse options, call one library function, render, pick the exit code.

No business logic here. Keep imports of heavy modules (pandas, openpyxl) inside the
commands so that `clubtool --help` stays fast. What the officer reads comes from the message
catalogue (`clubtool.i18n`, clubtool/locales/): `--help` too — `clubtool._help` writes
each command's help (`help.<command>.text`) and each option's (`help.<command>.opt.<name>`,
`help.common.<name>`) into the command tree: the commands here carry none
(docs/languages.md). A library's message (`i18n.Msg`, an exception carrying one) is said
in the officer's language by `i18n.tr`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__, i18n
from ._help import OfficerGroup
from .job import JobError

app = typer.Typer(
    name="clubtool",
    cls=OfficerGroup,  # help in the officer's language; typer without pydantic (FastGroup)
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class State:
    debug = False
    lang: str | None = None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"clubtool {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True), ] = None,
    debug: Annotated[bool, typer.Option("--debug")] = False, lang: Annotated[
        str | None, typer.Option("--lang")
    ] = None,
) -> None:
    State.debug = debug
    State.lang = None  # each invocation starts afresh (CliRunner runs many in one process)
    i18n.use(None)
    if lang is not None:
        if lang not in i18n.LANGS:
            raise fail(i18n.t("cli.lang_choice", choices=_choices(i18n.LANGS)))
        State.lang = lang
        i18n.use(lang)


def _choices(names: tuple[str, ...] | list[str]) -> str:
    """"a, b or c" in the officer's language."""
    from .render import listed

    return listed(names)


# --- options shared by several commands -------------------------------------------------

InputPaths = Annotated[list[Path] | None, typer.Argument(show_default=False)]
ReportYear = Annotated[int | None, typer.Option("--year", show_default=False)]
CommuneFile = Annotated[Path | None, typer.Option("--commune")]
AsOf = Annotated[str | None, typer.Option("--as-of", show_default=False)]
PlanFile = Annotated[Path | None, typer.Option("--plan")]
Jobs = Annotated[int | None, typer.Option("--jobs")]
ArchiveFile = Annotated[Path | None, typer.Option("--archive", show_default=False)]
NoCache = Annotated[bool, typer.Option("--no-cache")]
CsvEncoding = Annotated[str, typer.Option("--csv-encoding")]


def fail(message: str | BaseException, code: int = EXIT_USAGE) -> typer.Exit:
    """Print a clear message on stderr (a library's message in the officer's language:
    `i18n.tr`) and return the Exit to raise."""
    typer.echo(i18n.tr(message), err=True)
    return typer.Exit(code)


def _lang(option: str | None, settings: Any = None) -> str:
    """--lang of the command, else of `clubtool --lang`, else CLUBTOOL_LANG / clubtool.toml."""
    if option is not None and option not in i18n.LANGS:
        raise fail(i18n.t("cli.lang_choice", choices=_choices(i18n.LANGS)))
    lang = option or State.lang or (settings.lang if settings is not None
                                    else i18n.default_lang())
    i18n.use(lang)
    return lang


def _settings(**options: Any) -> Any:
    """Settings (clubtool.toml < CLUBTOOL_* < options); a bad one ends the command with 2."""
    from .settings import SettingsError, load_settings

    try:
        return load_settings(options=options)
    except SettingsError as exc:
        raise fail(exc) from None


def _job(paths: list[Path] | None, *, year_rule: str = "needed", period: bool = True,
         inputs: bool = True, **options: Any) -> Any:
    """The job (`clubtool.job.resolve`); anything wrong ends the command with 2. What the
    officer must know about the inputs (the year chosen, outputs not read) goes to stderr:
    stdout may be JSON."""
    from .job import JobError, resolve

    try:
        job = resolve(paths, options=options, year=year_rule, period=period,  # type: ignore[arg-type]
                      inputs=inputs)
    except JobError as exc:
        raise fail(exc) from None
    if State.lang is None and job.settings.lang != i18n.current():
        i18n.use(job.settings.lang)  # clubtool.toml's lang
    for line in (job.year_note, job.inputs_line()):
        if line:
            typer.echo(i18n.tr(line), err=True)
    return job


def _read(job: Any, bar: Any, **how: Any) -> Any:
    """`clubtool.job.read` with a progress bar on `bar` (None: no bar); 2 when it cannot."""
    from .job import JobError, read

    with _progress(bar, 1000, i18n.t("word.reading")) as cb:
        try:
            return read(job, on_progress=cb, **how)
        except JobError as exc:
            raise fail(exc) from None


def _compute(job: Any, report: Any, **how: Any) -> Any:
    from .job import JobError, compute

    try:
        return compute(job, report, **how)
    except JobError as exc:
        raise fail(exc) from None


@contextlib.contextmanager
def _no_progress() -> Iterator[None]:
    yield None


def _progress(console: Any, total: int, label: str,
              lang: str | None = None) -> contextlib.AbstractContextManager[Any]:
    """A progress callback drawing on `console`, or None when there is none. `label` is the
    bar's text, or with `lang` a key of the catalogue."""
    if console is None:
        return _no_progress()
    from . import _console as ui

    return ui.progress(total, i18n.t(label, lang) if lang else label, console)


def _bar_console(stderr: bool = True) -> Any:
    """A rich console to draw a progress bar on, or None when the stream is not a terminal
    (cron, a pipe, a file): machine output (json, csv) then never even imports rich."""
    stream = sys.stderr if stderr else sys.stdout
    try:
        if stream is None or not stream.isatty():  # None under pythonw (no console)
            return None
    except (ValueError, OSError):  # a closed stream
        return None
    from . import _console as ui

    return ui.console(stderr=stderr)


def _format(kind: str, fmt: str) -> str:
    """`--format` checked against the renderers of `kind`; 2 when it has no such format."""
    from .render import FormatNotFound, check

    try:
        return check(kind, fmt)
    except FormatNotFound as exc:
        raise fail(exc) from None


def _csv_encoding(value: str) -> str:
    """`--csv-encoding` checked before any file is read; 2 when it is not one we write."""
    from .render import csv_bom

    try:
        csv_bom(value)
    except ValueError as exc:
        raise fail(exc) from None
    return value


def _show(kind: str, fmt: str, data: Any, lang: str = "vi", console: Any = None,
          csv_encoding: str = "auto") -> None:
    """Render `data` (`clubtool.render`) and write it on stdout. Tables take the width and
    colours of `console` (the terminal's); CSV starts with a BOM as `csv_encoding` says."""
    from .render import Options, csv_bom, renderer

    out = typer.get_text_stream("stdout")
    opts = Options(lang=lang)
    if console is not None:
        colour = console.is_terminal and console.color_system is not None \
            and not console.legacy_windows
        opts = Options(lang=lang, width=console.width, color=colour)
    elif fmt == "csv":
        try:
            opts = Options(lang=lang, bom=csv_bom(csv_encoding, out))
        except ValueError as exc:
            raise fail(exc) from None
    text = renderer(kind, fmt)(data, opts)
    out.write(text if isinstance(text, str) else text.decode("utf-8"))
    out.flush()


@app.command()
def validate(
    paths: InputPaths = None,
    commune: CommuneFile = None,
    year: Annotated[int | None, typer.Option("--year")] = None,
    output_format: Annotated[str, typer.Option("--format")] = "table",
    strict: Annotated[bool, typer.Option("--strict")] = False,
    limit_errors: Annotated[int, typer.Option("--limit-errors")] = 1000,
    annotate: Annotated[Path | None, typer.Option("--annotate")] = None,
    jobs: Jobs = None,
    lang: Annotated[str | None, typer.Option("--lang")] = None, no_cache: NoCache = False,
) -> None:
    _format("validation", output_format)
    job = _job(paths, year_rule="optional", period=False, commune_file=commune, jobs=jobs,
               year=year, cache=False if no_cache else None)
    lang_ = _lang(lang, job.settings)
    if output_format == "table":
        from . import _console as ui

        out = bar = ui.console()
    else:  # json: a bar only on a terminal, and rich only then
        out, bar = None, _bar_console(stderr=False)
    total = len(job.targets) if len(job.targets) > 1 else 1000
    with _progress(bar, total, "word.checking", lang_) as cb:
        from .job import JobError, read

        try:
            report = read(job, on_progress=cb, keep_records=False, figures=False,  # issues only
                          limit_errors=limit_errors, strict=strict, require=False)
        except JobError as exc:
            raise fail(exc) from None
    _show("validation", output_format, report, lang_, out)
    if annotate is not None:
        from .validation.annotated import annotate_files

        for copy in annotate_files(report, annotate, lang=lang_):
            if out is not None:
                out.print(i18n.t("validate.annotated", lang_, path=copy.path) + copy.note(lang_))
    raise typer.Exit(EXIT_PROBLEMS if report.has_errors else EXIT_OK)


# --- clubtool template club | commune -------------------------------------------------

template_app = typer.Typer(
    cls=OfficerGroup,
    no_args_is_help=True,
)
app.add_typer(template_app, name="template")


def _save_template(build: Any, output: Path | None, default_name: str, force: bool) -> None:
    """Build the workbook, write it atomically, print the path; user errors exit 2."""
    from ._fsutil import OutputExists
    from .workbook import template as tpl

    try:
        path = tpl.output_path(output, default_name)
        written = tpl.save_workbook(build(), path, force=force)
    except tpl.TemplateError as exc:
        raise fail(exc) from None
    except OutputExists:
        raise fail(i18n.t("cli.template_exists", path=path)) from None
    typer.echo(str(written))


def _template_year(year: int | None) -> int:
    import datetime as dt

    from .workbook import template as tpl

    try:
        return tpl.check_year(year if year is not None else dt.date.today().year)
    except tpl.TemplateError as exc:
        raise fail(exc) from None


@template_app.command("club")
def template_club(
    year: Annotated[int | None, typer.Option("--year", show_default=False)] = None,
    club_id: Annotated[str | None, typer.Option("--club-id")] = None,
    club_name: Annotated[str | None, typer.Option("--club-name")] = None,
    village: Annotated[str | None, typer.Option("--village")] = None,
    villages_from: Annotated[Path | None, typer.Option("--villages-from") ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force")] = False, ) -> None:
    from .workbook import template as tpl

    year_ = _template_year(year)
    try:
        code = tpl.normalise_club_id(club_id) if club_id else None
        villages = tpl.villages_from(villages_from) if villages_from else []
        commune_, province_ = tpl.commune_identity(villages_from) if villages_from else (None, None)
    except tpl.TemplateError as exc:
        raise fail(exc) from None
    _save_template(
        lambda: tpl.club_workbook(year=year_, club_id=code, club_name=club_name, village=village,
                                  villages=villages, commune=commune_, province=province_),
        output, tpl.club_filename(code, year_), force)


@template_app.command("commune")
def template_commune(
    year: Annotated[int | None, typer.Option("--year", show_default=False)] = None,
    commune: Annotated[str | None, typer.Option("--commune")] = None,
    province: Annotated[str | None, typer.Option("--province")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force")] = False, ) -> None:
    from .workbook import template as tpl

    year_ = _template_year(year)
    _save_template(
        lambda: tpl.commune_workbook(year=year_, commune=commune, province=province),
        output, tpl.commune_filename(year_), force)


# --- clubtool indicators ---------------------------------------------------------------


@app.command()
def indicators(
    paths: InputPaths = None,
    year: ReportYear = None,
    commune: CommuneFile = None,
    as_of: AsOf = None,
    plan: PlanFile = None,
    output_format: Annotated[str, typer.Option("--format")] = "table",
    jobs: Jobs = None,
    no_cache: NoCache = False,
    years: Annotated[str | None, typer.Option("--years", show_default=False)] = None,
    archive: ArchiveFile = None,
    csv_encoding: CsvEncoding = "auto",
) -> None:
    from .job import communes_found

    _csv_encoding(csv_encoding)
    if years is not None:
        if paths or as_of or year:
            raise fail(i18n.t("cli.years_alone"))
        _years_command(years, output_format, archive=archive, plan=plan,
                       csv_encoding=csv_encoding)
    _format("indicators", output_format)
    table = output_format == "table"
    job = _job(paths, year=year, commune_file=commune, plan=plan, as_of=as_of, jobs=jobs,
               cache=False if no_cache else None)
    if table:
        from . import _console as ui

        out = ui.console()
    # only the issues and each club's figures are needed: the rows stay where they are read
    report = _read(job, out if table else _bar_console(), keep_records=False)
    if not table and len(report.communes) > 1:
        raise fail(i18n.t("cli.several_communes", n=len(report.communes),
                          communes="; ".join(communes_found(report))))
    computed = _compute(job, report, one_commune=not table)
    if not table:  # on stderr: the JSON/CSV on stdout stays clean
        for line in communes_found(report):
            typer.echo(line, err=True)
        for warning in computed.communes[0].indicators.warnings:
            typer.echo(i18n.t("cli.warning_line", text=i18n.tr(warning)), err=True)
    _show("indicators", output_format, computed, i18n.current(), console=out if table else None,
          csv_encoding=csv_encoding)
    raise typer.Exit(computed.status)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument()] = Path("."),
    commune: Annotated[str, typer.Option("--commune")] = "",
    province: Annotated[str, typer.Option("--province")] = "",
    year: Annotated[int | None, typer.Option("--year")] = None,
) -> None:
    from .settings import SettingsError
    from .workbook.template import TemplateError
    from .workspace import init_workspace

    try:
        made = init_workspace(folder, commune=commune, province=province, year=year)
    except (SettingsError, TemplateError) as exc:
        raise fail(exc) from None
    for item in made:
        typer.echo(i18n.t("cli.init_created" if item.created else "cli.init_kept",
                          path=item.path))
        if item.note:
            typer.echo(i18n.t("cli.init_note", note=i18n.tr(item.note)), err=True)
    workbook = next((m for m in made if m.path.suffix == ".xlsx"), None)
    if workbook is not None and workbook.created:
        typer.echo(i18n.t("cli.init_next", path=workbook.path))


# --- clubtool merge --------------------------------------------------------------------


@app.command("merge")
def merge_command(
    paths: InputPaths = None,
    year: ReportYear = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", show_default=False)] = None,
    commune: CommuneFile = None,
    include_invalid: Annotated[bool, typer.Option("--include-invalid")] = False,
    force: Annotated[bool, typer.Option("--force")] = False,
    output_format: Annotated[str, typer.Option("--format")] = "xlsx",
    names: Annotated[bool, typer.Option("--names/--no-names")] = True,
    as_of: Annotated[str | None, typer.Option("--as-of", show_default=False)] = None,
    plan: PlanFile = None,
    jobs: Jobs = None,
    no_cache: NoCache = False,
) -> None:
    from . import _console as ui
    from ._fsutil import OutputExists
    from .job import JobError, opened
    from .merge import FORMATS, MergeError, merge, output_target
    from .render.merge import Merged

    if output_format not in FORMATS:
        raise fail(i18n.t("cli.format_choice", choices=_choices(list(FORMATS))))
    job = _job(paths, year=year, commune_file=commune, plan=plan, as_of=as_of, jobs=jobs,
               cache=False if no_cache else None)
    dest = output_target(output or Path(f"tong_hop_{job.year}.xlsx"), output_format)
    out = ui.console()
    report = _read(job, out, require=False)
    try:
        with opened(job.cache_path) as cache, ui.progress(1000, i18n.t("word.writing"), out) as cb:
            result = merge(report, dest, year=job.year, include_invalid=include_invalid,
                           force=force, fmt=output_format, names=names, as_of=job.as_of,
                           plan=job.plan, on_progress=cb, cache=cache)
    except JobError as exc:
        raise fail(exc) from None
    except OutputExists:
        raise fail(i18n.t("cli.output_exists", path=dest)) from None
    except MergeError as exc:
        raise fail(exc) from None
    _show("merge", "table", Merged(result, report), i18n.current(), console=out)
    raise typer.Exit(EXIT_OK if result.complete else EXIT_PROBLEMS)


# --- clubtool report --------------------------------------------------------------------


# long: a third of it is the typer signature of its 16 options; --phase hands over early
@app.command("report")
def report_command(
    paths: InputPaths = None,
    year: ReportYear = None,
    commune: Annotated[Path | None, typer.Option("--commune")] = None,
    as_of: AsOf = None,
    date: Annotated[str | None, typer.Option("--date", show_default=False)] = None,
    formats: Annotated[str | None, typer.Option("--format", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", show_default=False)] = None,
    plan: PlanFile = None,
    templates: Annotated[Path | None, typer.Option("--templates")] = None,
    direction: Annotated[Path | None, typer.Option("--direction")] = None,
    force: Annotated[bool, typer.Option("--force")] = False,
    per_club_limit: Annotated[int | None, typer.Option(
        "--per-club-limit", min=0, metavar="N", show_default=False)] = None,
    jobs: Jobs = None,
    no_cache: NoCache = False,
    phase: Annotated[str | None, typer.Option("--phase", show_default=False)] = None,
    archive: ArchiveFile = None,
) -> None:
    from . import _console as ui
    from .job import communes_found
    from .report import ReportError, TemplateNotFound, parse_formats, render_report
    from .settings import parse_date_option

    if phase is not None:
        if paths or year or as_of or commune:
            raise fail(i18n.t("cli.phase_alone"))
        _phase_command(phase, archive=archive, plan=plan, date=date, formats=formats,
                       output=output, templates=templates, force=force,
                       per_club_limit=per_club_limit)
    job = _job(paths, year=year, commune_file=commune, plan=plan, as_of=as_of, jobs=jobs,
               cache=False if no_cache else None)
    try:
        date_ = parse_date_option(date) if date else None
        formats_ = parse_formats(formats) if formats is not None else job.formats
        paragraphs = _paragraphs(direction)
    except (ValueError, ReportError) as exc:  # SettingsError is a ValueError
        raise fail(exc) from None
    out_dir = output if output is not None else (
        job.settings.out_dir if job.settings.source is not None else Path.cwd())

    report = _read(job, ui.console(stderr=True))
    computed = _compute(job, report)  # several communes: one report each, named by commune
    previous = _previous_year(job)
    for line in communes_found(report):
        typer.echo(line, err=True)
    several = len(computed.communes) > 1
    for commune_ in computed:
        try:
            written = render_report(commune_.indicators, commune_.report.commune, year=job.year,
                                    formats=formats_, out_dir=out_dir, date=date_,
                                    validation=commune_.report, templates=templates,
                                    direction=paragraphs, force=force,
                                    per_club_limit=per_club_limit, name_by_commune=several,
                                    previous=_same_commune(previous, commune_.indicators))
        except (ReportError, TemplateNotFound) as exc:
            raise fail(exc) from None
        for path in [*written, *([written.summary] if written.summary else [])]:
            typer.echo(str(path))
        for warning in dict.fromkeys([*commune_.indicators.warnings, *written.warnings]):
            typer.echo(i18n.t("cli.warning_line", text=i18n.tr(warning)), err=True)
    excluded = report.excluded()
    if excluded:
        typer.echo(i18n.t("cli.report_excluded", n=len(excluded)), err=True)
    raise typer.Exit(computed.status)


@app.command("rollup")
def rollup_command(
    paths: Annotated[list[Path], typer.Argument(show_default=False)], year: ReportYear = None,
    plan: Annotated[Path | None, typer.Option("--plan")] = None,
    expect: Annotated[Path | None, typer.Option("--expect")] = None,
    issuer: Annotated[str | None, typer.Option("--issuer", show_default=False)] = None,
    formats: Annotated[str, typer.Option("--format")] = "table",
    output: Annotated[Path | None, typer.Option("-o", "--output", show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force")] = False, ) -> None:
    from .rollup import RollupError, parse_formats, render_rollup, rollup
    from .rollup.document import build_document
    from .settings import parse_date_option

    settings = _settings(year=year)
    try:
        fmts = parse_formats(formats)
        date_ = parse_date_option(date) if date else None
    except ValueError as exc:  # RollupError, SettingsError
        raise fail(exc) from None
    if settings.year is None:
        raise fail(i18n.t("cli.rollup_no_year"))
    try:
        result = rollup(paths, year=settings.year, plan=plan, expect=expect, issuer=issuer)
    except RollupError as exc:
        for e in exc.excluded:
            typer.echo(i18n.t("cli.rollup_excluded", file=e.file, reason=i18n.tr(e.reason)),
                       err=True)
        raise fail(exc) from None
    out_dir = output if output is not None else (
        settings.out_dir if settings.source is not None else Path.cwd())
    if "table" in fmts:
        from . import _console as ui

        _show("rollup", "table", build_document(result), i18n.current(), console=ui.console())
    else:
        for line in [*map(i18n.tr, result.notes), *(i18n.t("cli.warning_line", text=i18n.tr(w))
                                                    for w in result.warnings)]:
            typer.echo(line, err=True)
        for e in result.excluded:
            typer.echo(i18n.t("cli.rollup_excluded", file=e.file, reason=i18n.tr(e.reason)),
                       err=True)
    if any(f != "table" for f in fmts):
        try:
            written, warnings = render_rollup(result, formats=fmts, out_dir=out_dir,
                                              date=date_, force=force)
        except RollupError as exc:
            raise fail(exc) from None
        for path in written:
            typer.echo(str(path))
        for warning in warnings:
            typer.echo(i18n.t("cli.warning_line", text=i18n.tr(warning)), err=True)
    raise typer.Exit(EXIT_PROBLEMS if result.has_problems else EXIT_OK)


def _years_command(years: str, output_format: str, csv_encoding: str = "auto",
                   **options: Any) -> None:
    """`indicators --years`: every indicator of every year of the range, from the archive."""
    from .indicators import PlanError, load_plan
    from .job import archive_path, year_results
    from .years import parse_years, years_side_by_side

    _format("years", output_format)
    try:
        span = parse_years(years)
    except ValueError as exc:
        raise fail(exc) from None
    job = _job(None, year_rule="optional", period=False, inputs=False, **options)
    with _archive(archive_path(job), create=False) as store:
        try:
            found = year_results(job, store, span)
        except JobError as exc:
            raise fail(exc) from None
    if not any(found.values()):
        raise fail(i18n.t("cli.years_empty", archive=archive_path(job), first=span[0],
                          last=span[-1]))
    try:
        plan = job.plan or load_plan(job.settings.plan)
        result = years_side_by_side({y: c.indicators if c else None for y, c in found.items()},
                                    years=span, plan=plan)
    except (ValueError, PlanError) as exc:
        raise fail(exc) from None
    console = None
    if output_format == "table":
        from . import _console as ui

        console = ui.console()
    _show("years", output_format, result, i18n.current(), console=console,
          csv_encoding=csv_encoding)
    raise typer.Exit(EXIT_PROBLEMS if result.missing_years else EXIT_OK)


def _phase_command(span_text: str, *, archive: Path | None, plan: Path | None, date: str | None,
                   formats: str | None, output: Path | None, templates: Path | None,
                   force: bool, per_club_limit: int | None) -> None:
    """`report --phase`: the review of a phase, every year of it from the archive."""
    from .indicators import Phase, PlanError, load_plan
    from .job import archive_path, year_results
    from .report import ReportError, TemplateNotFound, parse_formats
    from .report.phase import YearData, render_phase_report
    from .settings import parse_date_option
    from .years import parse_years

    try:
        span = parse_years(span_text)
    except ValueError as exc:
        raise fail(exc) from None
    job = _job(None, year_rule="optional", period=False, inputs=False, archive=archive,
               plan=plan)
    try:
        plan_ = job.plan or load_plan(job.settings.plan)
        date_ = parse_date_option(date) if date else None
        formats_ = parse_formats(formats) if formats is not None else job.formats
    except (ValueError, PlanError, ReportError) as exc:
        raise fail(exc) from None
    phase_ = next((p for p in plan_.phases if (p.first_year, p.last_year) == (span[0], span[-1])),
                  None) or Phase(span[0], span[-1], f"Giai đoạn {span[0]} - {span[-1]}")  # the report's
    with _archive(archive_path(job), create=False) as store:
        try:
            found = year_results(job, store, span)
        except JobError as exc:
            raise fail(exc) from None
    years = {y: YearData(c.indicators, c.report.usable_commune) if c else None
             for y, c in found.items()}
    out_dir = output if output is not None else (
        job.settings.out_dir if job.settings.source is not None else Path.cwd())
    try:
        written = render_phase_report(years, phase=phase_, plan=plan_, formats=formats_,
                                      out_dir=out_dir, date=date_, templates=templates,
                                      force=force, per_club_limit=per_club_limit)
    except (ReportError, TemplateNotFound) as exc:
        raise fail(exc) from None
    for path in written:
        typer.echo(str(path))
    for warning in written.warnings:
        typer.echo(i18n.t("cli.warning_line", text=i18n.tr(warning)), err=True)
    missing = [y for y, v in years.items() if v is None]
    if missing:
        typer.echo(i18n.t("cli.phase_missing", years=", ".join(map(str, missing))), err=True)
    raise typer.Exit(EXIT_PROBLEMS if missing else EXIT_OK)


def _previous_year(job: Any) -> Any:
    """Last year's indicators from the archive of the working folder, when it has them (the
    report then says "so với năm trước"); None otherwise, said on stderr when it cannot."""
    from .job import archive_path, opened, year_results

    path = archive_path(job)
    if job.year is None or not path.is_file():
        return None
    try:
        with opened(path, create=False) as store:
            assert store is not None
            found = year_results(job, store, [job.year - 1])[job.year - 1]
    except JobError as exc:
        typer.echo(i18n.t("cli.previous_year", error=i18n.tr(exc)), err=True)
        return None
    return found.indicators if found is not None else None


def _same_commune(previous: Any, current: Any) -> Any:
    if previous is None or (previous.commune, previous.province) != (current.commune,
                                                                     current.province):
        return None
    return previous


def _paragraphs(direction: Path | None) -> list[str] | None:
    """The paragraphs of the --direction file (one a line), or None."""
    if direction is None:
        return None
    try:
        text = direction.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(i18n.t("cli.direction_unreadable", path=direction, error=exc)) from None
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- clubtool export --------------------------------------------------------------------


@app.command("export")
def export_command(
    config: Annotated[Path | None, typer.Option("--config", show_default=False)] = None,
    data: Annotated[Path | None, typer.Option("--data", show_default=False)] = None,
    year: Annotated[int | None, typer.Option("--year", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", show_default=False)] = None,
    commune: Annotated[Path | None, typer.Option("--commune") ] = None,
    force: Annotated[bool, typer.Option("--force")] = False,
    no_cache: NoCache = False,
) -> None:
    from rich.markup import escape

    from . import _console as ui
    from .export import export
    from .settings import SettingsError, load_settings

    try:
        settings = load_settings(config, options={
            "data_dir": data, "out_dir": out, "commune_file": commune, "year": year,
            "lang": State.lang, "cache": False if no_cache else None})
    except SettingsError as exc:
        raise fail(i18n.t("cli.export_settings", error=i18n.tr(exc))) from None
    if State.lang is None:
        i18n.use(settings.lang)
    err = ui.console(stderr=True)
    with ui.progress(1000, i18n.t("word.reading"), err) as cb:
        result = export(settings, force=force, on_progress=cb,
                        log=lambda line: err.print(escape(line), soft_wrap=True))
    if result.status != 2 and result.folder is not None:
        typer.echo(str(result.folder))
    raise typer.Exit(result.status)


# --- clubtool archive -------------------------------------------------------------------


@app.command("archive")
def archive_command(
    paths: InputPaths = None,
    archive: Annotated[Path | None, typer.Option("--archive", show_default=False)] = None,
    check: Annotated[bool, typer.Option("--check") ] = False,
    jobs: Jobs = None,
) -> None:
    from .job import add_to_archive, archive_path

    job = _job(paths if not check else None, year_rule="optional", period=False,
               inputs=not check, archive=archive, jobs=jobs)
    where = archive_path(job)
    if check:
        with _archive(where, create=False) as store:
            problems = store.check()
        for line in problems:
            typer.echo(i18n.t("cli.archive_problem_line", text=i18n.tr(line)))
        typer.echo(i18n.t("cli.archive_problems", where=where, n=len(problems)) if problems
                   else i18n.t("cli.archive_no_problem", where=where))
        raise typer.Exit(EXIT_PROBLEMS if problems else EXIT_OK)
    from . import _console as ui

    report = _read(job, ui.console(stderr=True), require=False, figures=False)
    with _archive(where) as store:
        try:
            added = add_to_archive(store, job, report)
        except JobError as exc:
            raise fail(exc) from None
        years = store.years()
    typer.echo(i18n.t("cli.archive_added", where=where,
                      added=i18n.t("word.files", n=len(added.added)),
                      unchanged=i18n.t("word.files", n=len(added.unchanged)))
               + (i18n.t("cli.archive_replaced", n=len(added.replaced)) if added.replaced else "")
               + (i18n.t("cli.archive_years", years=", ".join(map(str, years))) if years
                  else "."))
    for old, new in added.replaced:
        typer.echo(i18n.t("cli.archive_replaced_line", old=Path(old).name, new=Path(new).name))
    raise typer.Exit(EXIT_PROBLEMS if report.has_errors else EXIT_OK)


@contextlib.contextmanager
def _archive(path: Path, create: bool = True) -> Iterator[Any]:
    from .job import JobError, opened

    try:
        with opened(path, create=create) as store:
            yield store
    except JobError as exc:
        raise fail(exc) from None


#: The command's cyclic GC runs every 50,000 new objects instead of 700 (as the reading
#: workers': `validation._pool`): a command makes many objects that live to its end (rows,
#: figures, report context), and the young collections would walk them again and again
#: (on 1,000 workbooks, a nightly export's collections 0.10 → 0.05 s).
GC_THRESHOLD = (50_000, 20, 100)


def main() -> None:
    """Entry point: tracebacks only with --debug."""
    import gc

    gc.set_threshold(*GC_THRESHOLD)
    if sys.argv[1:2] == ["export"] and not {"--help", "-h"} & set(sys.argv) \
            and os.environ.get("CLUBTOOL_JOBS", "").strip() != "1":
        from .report.worker import ReportWorker
        from .settings import Settings

        # the report worker's imports overlap with the command's start (the settings'
        # formats are read later; the worker renders the formats it is then given)
        ReportWorker.prestart(Settings.formats)
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo(i18n.t("word.stopped"), err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the officer
        if State.debug or "--debug" in sys.argv:
            raise
        typer.echo(i18n.t("word.unexpected", error=exc), err=True)
        sys.exit(EXIT_USAGE)
    finally:
        # The command is over: the interpreter's last collection at exit need not walk
        # every object still alive (a province's records: ~0.05 s; the nation's: seconds).
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    main()
