"""One job under every command: settle what to do, read, compute; every front door asks here.

    from clubtool.job import resolve, read, compute
    job = resolve(["du_lieu/"], options={"year": 2027})    # or JobError, for the officer
    report = read(job)                                       # validated, figures computed
    for commune in compute(job, report):                     # one per commune of the inputs
        print(commune.indicators.indicators[0].value)

`clubtool validate | indicators | merge | report | export` all go through `resolve()`, so
their rules cannot drift apart:

- **settings**: defaults < clubtool.toml < CLUBTOOL_* < options (`settings.load_settings`);
- **inputs**: the paths given, else `data_dir` of clubtool.toml, else the current folder;
  what the tool wrote itself is never read back (`outputs.own_output_folder`);
- **year**: `--year`, else `year` of the settings, else (for the commands that need one) the
  latest year that has club workbooks in the inputs, said in `Job.year_note`; none → error;
- **as-of date**: the settings' policy, else 31/12 of the year or today inside the year; a
  date outside the year → error (one check, here);
- **plan**: the plan file of the settings, else the one shipped; a year outside its phases
  → error;
- **report formats**: one list with one set of aliases (`outputs.parse_formats`).

Each consumer (merge, report, export) takes `read()`'s report and `compute()`'s results.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .i18n import message, t

if TYPE_CHECKING:  # (settings, and its TOML parser, only once a job is resolved)
    from .archive import Added, Archive
    from .indicators import FiguresFor, IndicatorResult, Plan
    from .settings import Settings
    from .validation import FileResult, ValidationReport
    from .workbook.isolation import Bounds

__all__ = ["EXIT_CANNOT_RUN", "EXIT_OK", "EXIT_PROBLEMS", "CommuneFigures", "Computed", "Job", "JobError",
           "communes_found", "compute", "exit_status", "figures_for", "find_inputs",
           "indicators_for", "per_commune", "read", "resolve"]

EXIT_OK, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2

Progress = Callable[[int, int, str], None]
YearRule = Literal["needed", "optional"]


class JobError(ValueError):
    """The job cannot run as asked (exit code 2); the message is for the officer."""


@dataclass(frozen=True)
class Job:
    """Everything settled before a file is read."""

    settings: Settings
    targets: tuple[Path, ...]  # what was asked to be read (paths, else the data folder)
    files: tuple[Path, ...]  # the input files found there, the tool's own outputs aside
    outputs_aside: tuple[Path, ...]  # folders of the tool's own outputs left out
    year: int | None  # None only for `validate` without any year (every year is checked)
    year_note: str | None  # how the year was chosen when nobody gave it
    today: dt.date
    as_of: dt.date | None  # None only without a year
    plan: Plan | None
    formats: tuple[str, ...]  # report formats

    @property
    def bounds(self) -> Bounds:
        """What reading one file may take (max_file_mb, max_file_seconds)."""
        from .workbook.isolation import Bounds

        return Bounds(self.settings.max_file_mb, self.settings.max_file_seconds)

    @property
    def cache_path(self) -> Path | None:
        """Where files already read are remembered: the archive of the working folder
        (`archive` of the settings), else the user's cache folder; None with `cache = false`
        (`--no-cache`)."""
        if not self.settings.cache:
            return None
        if self.settings.archive is not None:
            return self.settings.archive
        from platformdirs import user_cache_path

        return user_cache_path("clubtool", appauthor=False) / "cache.sqlite"

    def inputs_line(self) -> str | None:
        """The sentence saying which folders of the tool's own outputs were not read."""
        if not self.outputs_aside:
            return None
        return t("job.outputs_aside", folders=", ".join(str(p) for p in self.outputs_aside))


def resolve(paths: Sequence[Path | str] | None = None, *, config: Path | None = None,
            options: Mapping[str, Any] | None = None, today: dt.date | None = None,
            year: YearRule = "needed", period: bool = True, data_folder: bool = False,
            inputs: bool = True,
            env: Mapping[str, str] | None = None, cwd: Path | None = None,
            settings: Settings | None = None) -> Job:
    """Settle settings, inputs, year, as-of date, plan and formats, or raise JobError.

    year="optional": no year is inferred (`validate` checks every year when none is given
    or configured). period=False: no as-of date nor plan (validate needs neither).
    data_folder=True: the inputs are the settings' data folder, which must
    exist (`export`). `today`: for tests (default: the clock). `settings`: already loaded
    (then `config`, `options`, `env` are not read). inputs=False: no file is looked for
    (what reads the archive only: `indicators --years`, `report --phase`).
    """
    from .indicators.compute import clock_today

    today = today or clock_today()
    settings = settings or _settings(config, options, env, cwd)
    targets = _targets(paths, settings, data_folder, cwd) if inputs else []
    files, aside = find_inputs(targets)
    year_, note = settings.year, None
    if year_ is None and year == "needed":
        year_, note = _year_from_data(files, targets, settings)
    as_of = plan = None
    if year_ is not None and period:
        as_of, plan = _period(settings, year_, today)
    try:
        formats = _formats(settings.formats)
    except ValueError as exc:
        raise JobError(message(exc)) from None
    return Job(settings, tuple(targets), tuple(files), tuple(aside), year_, note, today, as_of,
               plan, formats)


def _settings(config: Path | None, options: Mapping[str, Any] | None,
              env: Mapping[str, str] | None, cwd: Path | None) -> Settings:
    from .settings import SettingsError, load_settings

    try:
        return load_settings(config, options=options, env=env, cwd=cwd)
    except SettingsError as exc:
        raise JobError(message(exc)) from None


def _targets(paths: Sequence[Path | str] | None, settings: Settings, data_folder: bool,
             cwd: Path | None) -> list[Path]:
    """The paths given, else the data folder of clubtool.toml, else the current folder; each
    must exist, and so must the commune workbook of the settings."""
    if data_folder:
        data = settings.data_dir
        if not data.is_dir():
            raise JobError(t("job.data_dir_is_file" if data.exists() else "job.no_data_dir",
                             path=data) + t("job.fix_data_dir"))
        targets = [data]
    elif paths:
        targets = [Path(p) for p in paths]
    elif settings.source is not None and settings.data_dir.is_dir():
        targets = [settings.data_dir]
    else:
        targets = [cwd or Path.cwd()]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        raise JobError(t("job.not_found", paths=", ".join(missing)))
    commune = settings.commune_file
    if commune is not None and not commune.is_file():
        raise JobError(t("job.no_commune_file", path=commune))
    return targets


def find_inputs(targets: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(input files, folders of the tool's own outputs left out): the files named, and the
    workbooks found in the folders named, except inside a folder below a named one that
    holds the tool's outputs (`outputs.own_output_folder`)."""
    from .outputs import own_output_folder
    from .workbook._files import discover

    found: dict[Path, None] = {}
    aside: dict[Path, None] = {}
    known: dict[Path, bool] = {}

    def is_own(folder: Path) -> bool:
        if folder not in known:
            known[folder] = own_output_folder(folder)
        return known[folder]

    for target in targets:
        folder = target.is_dir()
        for path in discover([target]):
            if folder:
                own = next((d for d in _folders_between(path, target) if is_own(d)), None)
                if own is not None:
                    aside.setdefault(own, None)
                    continue
            found.setdefault(path, None)
    return list(found), list(aside)


def _folders_between(path: Path, top: Path) -> Iterator[Path]:
    """The folders holding `path` below `top` (not `top` itself: a folder named is read)."""
    folder = path.parent
    while folder != top and top in folder.parents:
        yield folder
        folder = folder.parent


def _year_from_data(files: Sequence[Path], targets: Sequence[Path],
                    settings: Settings) -> tuple[int, str]:
    """No year given or configured: the latest year with club workbooks in the inputs (in
    January the officer still closes last year while the calendar says the new one)."""
    from .workspace import latest_data_year, shown_paths

    found = latest_data_year(files, where=shown_paths(targets))
    if found is None:
        raise JobError(t("job.no_year_in_data", where=shown_paths(targets)))
    config = settings.source.name if settings.source is not None else "clubtool.toml"
    change = t("job.change_year", config=config)
    return found.year, found.message(settings.source, how_to_change=change)


def _period(settings: Settings, year: int, today: dt.date) -> tuple[dt.date, Plan]:
    """The as-of date and plan of `year`; JobError when either cannot be used."""
    from .indicators import PlanError, default_as_of, load_plan
    from .settings import SettingsError
    from .vnformat import short_date

    try:
        as_of = settings.as_of_date(year, today) or default_as_of(year, today)
        plan = load_plan(settings.plan)
        plan.phase_for(year)
    except (SettingsError, PlanError) as exc:
        raise JobError(message(exc)) from None
    if as_of.year != year:
        raise JobError(t("job.as_of_outside", as_of=short_date(as_of), year=year))
    return as_of, plan


def _formats(formats: Iterable[str]) -> tuple[str, ...]:
    from .outputs import parse_formats

    return parse_formats(formats)


# --- reading and computing ------------------------------------------------------------------


def read(job: Job, *, on_progress: Progress | None = None, keep_records: bool = True,
         figures: bool = True, limit_errors: int = 1000, strict: bool = False,
         require: bool = True) -> ValidationReport:
    """validate() the job's inputs. figures: compute each club's figures where it is read
    (in the workers), for `compute`; require: no workbook of the year is a JobError."""
    from .validation import validate

    summarise = figures_for(year=job.year, as_of=job.as_of, plan=job.plan) \
        if figures and job.year is not None else None
    with opened(job.cache_path) as cache:
        report = validate(list(job.files), commune=job.settings.commune_file, year=job.year,
                          limit_errors=limit_errors, strict=strict, jobs=job.settings.jobs,
                          bounds=job.bounds, on_progress=on_progress, summarise=summarise,
                          keep_records=keep_records, cache=cache)
    if require and not report.checked:
        raise JobError(t("job.no_reports", year=job.year,
                         where=", ".join(str(p) for p in job.targets)))
    return report


@contextlib.contextmanager
def opened(path: Path | None, *, create: bool = True) -> Iterator[Archive | None]:
    """The archive at `path` open for the time of the block (None: no archive); a file that
    is not a clubtool archive, or cannot be opened, is a JobError."""
    if path is None:
        yield None
        return
    from .archive import Archive, ArchiveError

    try:
        archive = Archive.open(path, create=create)
    except ArchiveError as exc:
        raise JobError(message(exc)) from None
    with archive:
        yield archive


@dataclass(slots=True)
class CommuneFigures:
    """One commune of the inputs: its view of the validation, and its indicators."""

    report: ValidationReport
    indicators: IndicatorResult


@dataclass(slots=True)
class Computed:
    """What `compute` found: the whole validation and each commune's indicators."""

    report: ValidationReport
    communes: list[CommuneFigures]

    def __iter__(self) -> Iterator[CommuneFigures]:
        return iter(self.communes)

    @property
    def status(self) -> int:
        return exit_status(self.report)


def compute(job: Job, report: ValidationReport, *, one_commune: bool = False) -> Computed:
    """The indicators of each commune of the inputs (one when there is at most one commune
    workbook). one_commune: several communes are a JobError (one document, one commune)."""
    if job.year is None:
        raise JobError(t("job.no_year"))
    views = per_commune(report)
    if one_commune and len(views) > 1:
        raise JobError(t("job.several_communes", n=len(views),
                         communes="; ".join(communes_found(report))))
    return Computed(report, [
        CommuneFigures(v, indicators_for(v, year=job.year, as_of=job.as_of, plan=job.plan))
        for v in views])


def exit_status(report: ValidationReport) -> int:
    """0 when every input was used; 1 when some were left out for errors (or have them)."""
    return EXIT_PROBLEMS if report.excluded() or report.has_errors else EXIT_OK


def figures_for(*, year: int, as_of: dt.date | None = None, plan: Plan | None = None) -> FiguresFor:
    """What to pass as `validate(..., summarise=…)` so that each club's figures are computed
    where it is read, in parallel (`indicators_for` then uses them). ValueError as
    `compute_indicators` for an as-of date outside the year."""
    from .indicators import FiguresFor, resolve_period

    return FiguresFor(*resolve_period(year, as_of, plan))


def indicators_for(report: ValidationReport, *, year: int, as_of: dt.date | None = None,
                   plan: Plan | None = None) -> IndicatorResult:
    """The indicators of the valid workbooks of `report`; the faulty ones listed as excluded.

    Figures computed while validating (`figures_for`) are used when they are for this same
    period and plan; any other club's are computed here."""
    from .indicators import ClubSummary, compute_indicators, resolve_period

    period, plan_ = resolve_period(year, as_of, plan)
    known = {}
    for f in report.checked:
        s = f.loaded.summary if f.loaded is not None else None
        if isinstance(s, ClubSummary) and s.period == period and s.plan == plan_:
            known[f.path] = s.figures
    result = compute_indicators(report.valid_clubs(), report.usable_commune, year=year,
                                as_of=period.as_of, plan=plan_, excluded=report.excluded(),
                                figures=known)
    result.not_counted = report.not_counted()
    result.warnings[:0] = report.notices  # what every output must say about the inputs
    faulty = report.commune if report.usable_commune is None else None
    if faulty is not None:  # excluded for errors: still the commune these figures are of
        result.commune = faulty.info.commune or result.commune
        result.province = faulty.info.province
    return result


def per_commune(report: ValidationReport) -> list[ValidationReport]:
    """The report seen from each commune of the inputs: each commune is computed against its
    own commune workbook. One view (the report itself) when the inputs hold at most one
    commune workbook."""
    if len(report.communes) <= 1:
        return [report]
    return [report.for_commune(g) for g in report.communes]


def communes_found(report: ValidationReport) -> list[str]:
    """One line per commune found in the inputs, for every command to say what it used."""
    lines = []
    for g in report.communes:
        n = len([r for r in g.clubs if not r.errors and not r.superseded_by])
        path = Path(g.result.path).name if g.result is not None else "—"
        lines.append(t("job.commune_found", commune=g.label, path=path, n=n))
    return lines


# --- the archive: adding, and years side by side ---------------------------------------------


def archive_path(job: Job, folder: Path | None = None) -> Path:
    """The archive to add to: `archive` of the settings (beside clubtool.toml), else
    clubtool.sqlite in `folder` (default: the current folder)."""
    from .settings import ARCHIVE_NAME

    return job.settings.archive or (folder or Path.cwd()) / ARCHIVE_NAME


def add_to_archive(archive: Archive, job: Job, report: ValidationReport) -> Added:
    """Store the workbooks of `report` (read with their records) and each valid club's
    figures for its own year (as of 31/12, or today inside the year)."""
    from .archive import ArchiveError
    from .indicators import ClubSummary, default_as_of, load_plan
    from .indicators.figures import Period, club_figures

    plan = job.plan or load_plan(job.settings.plan)

    def as_json(f: FileResult) -> tuple[str, dict[str, Any]]:
        club = f.loaded.club if f.loaded is not None else None
        assert club is not None and club.info.year is not None
        s = f.loaded.summary if f.loaded is not None else None
        if isinstance(s, ClubSummary) and s.period.year == club.info.year:
            period, figs = s.period, s.figures
        else:
            period = Period(club.info.year, default_as_of(club.info.year, job.today))
            figs = club_figures(club, period, plan)
        return period.as_of.isoformat(), figs.to_dict(plan)

    clubs = {f.path: f for f in report.checked
             if f.loaded is not None and f.loaded.club is not None and not f.errors
             and f.loaded.club.info.year is not None}
    try:
        return archive.add(report, _Made(clubs, as_json))
    except ArchiveError as exc:
        raise JobError(message(exc)) from None


class _Made(Mapping[str, Any]):
    """key → make(value) of a dict, each made when first asked for: the archive asks only
    for what is new to it (the figures of 1,000 unchanged clubs as JSON: 12 ms a run)."""

    def __init__(self, items: Mapping[str, Any], make: Callable[[Any], Any]):
        self._items, self._make = items, make
        self._made: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self._made:
            self._made[key] = self._make(self._items[key])
        return self._made[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


def year_results(job: Job, archive: Archive, years: Iterable[int]) -> dict[int, CommuneFigures | None]:
    """Each year's indicators from the archive (each year's as-of: 31/12, or today for the
    current year), or None for a year without data. Several communes in a year: the one of
    `commune` in the settings, else a JobError naming them."""
    from .indicators import default_as_of, load_plan
    from .validation import validate

    plan = job.plan or load_plan(job.settings.plan)
    out: dict[int, CommuneFigures | None] = {}
    for year in years:
        loaded = archive.current(year)
        if not loaded:
            out[year] = None
            continue
        report = validate([], year=year, loaded=loaded)
        views = _the_commune(per_commune(report), job, year)
        as_of = default_as_of(year, job.today)
        out[year] = CommuneFigures(views, indicators_for(views, year=year, as_of=as_of,
                                                         plan=plan))
    return out


def _the_commune(views: list[ValidationReport], job: Job, year: int) -> ValidationReport:
    if len(views) == 1:
        return views[0]
    from .text import fold

    wanted = fold(job.settings.commune) if job.settings.commune else None
    for v in views:
        if v.commune is not None and wanted and fold(v.commune.info.commune or "") == wanted:
            return v
    names = ", ".join(v.commune.info.commune or "?" for v in views if v.commune is not None)
    raise JobError(t("job.archive_communes", year=year, names=names))
