"""`export()`: the unattended run for cron or the Task Scheduler (docs/outputs.md#export).

    from clubtool.settings import load_settings
    from clubtool.export import export
    result = export(load_settings(), year=2027)
    result.status  # 0 all inputs valid, 1 written but some inputs had errors, 2 could not run

Reads the data folder and writes into `<out>/<Y>/`:

    kiem_tra_<Y>.json     validation results (as `clubtool validate --format json`)
    tra_lai/              marked-up copies of the faulty workbooks, to send back to the clubs
    chi_tieu_<Y>.json     indicators (as `clubtool indicators --format json`)
    chi_tieu_<Y>.csv      indicators (as `clubtool indicators --format csv`)
    tong_hop_<Y>.xlsx     the merged workbook (internal: it holds members' names)
    bao_cao_<Y>.<ext>     the report in each format of the settings (figures only, no names)
    manifest.json         SHA-256 of every input and output, the settings used, the status

and appends to `<out>/clubtool.log` (rotated: 1 MB × 5).

How it stays safe when nobody watches:

- a lock (`<out>/.clubtool.lock`, an OS file lock: released by the system when a process
  dies, so a killed run never blocks the next one) keeps two runs from overlapping; the
  holder writes who it is into `<out>/.clubtool.lock.info` for the refused run's message;
- everything is built in a staging folder `<out>/.<Y>.tmp-…` that replaces `<out>/<Y>` only
  when complete: a failure half-way leaves the previous outputs as they were, and the staging
  folder is removed whatever happens (one left by a killed run is removed by the next run);
- when no input, setting or tool version changed since the last run, nothing is rewritten
  and the last run's status is returned (`force` redoes it).

No prompts, no terminal output, no POSIX-only calls: the CLI draws whatever it wants from
`log` and `on_progress`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import logging
import logging.handlers
import os
import re
import shutil
import socket
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from ._fsutil import _umask, write_text_atomic
from .i18n import current, message, speaking, t, tr
from .settings import Settings
from .vnformat import short_date

if TYPE_CHECKING:
    from .indicators import IndicatorResult
    from .job import Computed, Job
    from .report import PendingReport
    from .report.worker import ReportWorker, SideFile

__all__ = ["EXIT_CANNOT_RUN", "EXIT_OK", "EXIT_PROBLEMS", "LOCK_NAME", "LOG_NAME",
           "MANIFEST_NAME", "ExportResult", "export", "output_names"]

EXIT_OK, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2

LOG_NAME = "clubtool.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5
LOCK_NAME = ".clubtool.lock"
LOCK_INFO_NAME = ".clubtool.lock.info"
MANIFEST_NAME = "manifest.json"
ANNOTATED_DIR = "tra_lai"
MANIFEST_FORMAT = 1

#: Folders the export leaves beside `<out>/<Y>` while it works: `.2027.tmp-…`, `.2027.old-…`.
_WORK_DIR = re.compile(r"^\.(\d{4})\.(tmp|old)-[0-9A-Za-z_]+$")

Progress = Callable[[int, int, str], None]
Log = Callable[[str], None]


@dataclass(slots=True)
class ExportResult:
    """What one run did. `status` is the exit code: 0, 1 or 2."""

    status: int
    year: int | None = None
    folder: Path | None = None  # <out>/<Y>
    written: list[Path] = field(default_factory=list)  # every file of <out>/<Y> written now
    unchanged: bool = False  # nothing changed since the last run: nothing was rewritten
    messages: list[str] = field(default_factory=list)  # what happened, in settings.lang
    excluded: list[tuple[str, str]] = field(default_factory=list)  # inputs left out: why
    summary: dict[str, int] = field(default_factory=dict)  # files / valid / errors / warnings
    log_file: Path | None = None


class _CannotRun(Exception):
    """The run stops with exit code 2; the message is for the officer."""


def output_names(year: int, formats: Sequence[str]) -> dict[str, str]:
    """The files of `<out>/<Y>/` by role (report formats in the order given)."""
    from .report import output_name

    names = {
        "validation": f"kiem_tra_{year}.json",
        "indicators_json": f"chi_tieu_{year}.json",
        "indicators_csv": f"chi_tieu_{year}.csv",
        "merged": f"tong_hop_{year}.xlsx",
    }
    names.update({f"report_{f}": output_name(year, f) for f in formats})
    names["manifest"] = MANIFEST_NAME
    return names


def export(settings: Settings, *, year: int | None = None, force: bool = False,
           on_progress: Progress | None = None, log: Log | None = None,
           today: dt.date | None = None) -> ExportResult:
    """Validate, compute the indicators, merge and render the report into `<out>/<Y>/`.

    year: defaults to the settings' year, else the latest year with club workbooks in the
    data folder (the log says which and why; none: status 2), as every command
    (`clubtool.job.resolve`); force: run even when
    nothing changed since the last run; on_progress(done, total, label): while reading;
    log(line): each line also written to the log file (the CLI may print them);
    today: for tests (the as-of date "auto" and the report's date).
    Never raises for the officer's problems (settings, lock, disk): they are status 2
    with a message, and the previous outputs are left as they were.
    """
    with speaking(settings.lang):  # the log and every message in the settings' language
        return _export(settings, year, force, on_progress, log, today or dt.date.today())


# long: the run's frame (log, lock, status 2 for each kind of failure) reads best in one place
def _export(settings: Settings, year: int | None, force: bool, on_progress: Progress | None,
            log: Log | None, today: dt.date) -> ExportResult:
    from .report.worker import ReportWorker

    year_ = year if year is not None else settings.year
    result = ExportResult(status=EXIT_CANNOT_RUN, year=year_ or today.year)
    out = settings.out_dir
    try:
        _prepare_out(out)
        unusable = None
    except _CannotRun as exc:
        unusable = message(exc)
    with _file_log(None if unusable else out / LOG_NAME) as logger:

        def say(message: str, level: int = logging.INFO) -> None:
            message = tr(message)  # (a library's message: in the current language)
            result.messages.append(message)
            logger.log(level, message)
            if log is not None:
                log(message)

        if unusable:
            say(unusable, logging.ERROR)
            return result
        result.log_file = out / LOG_NAME
        try:
            # The report worker starts first: its imports overlap with reading the files.
            with _locked(out), ReportWorker.started(settings.formats,
                                                    jobs=settings.jobs) as worker:
                job = _job(settings, year, today)
                result.year = year_ = job.year
                say(t("export.start", year=year_, version=__version__, pid=os.getpid(),
                      data=settings.data_dir, out=out / str(year_)))
                for line in (job.year_note, job.inputs_line()):
                    if line:
                        say(line)
                _run(job, force, result, say, on_progress, worker)
        except _CannotRun as exc:
            result.status = EXIT_CANNOT_RUN
            say(message(exc), logging.ERROR)
        except OSError as exc:
            result.status = EXIT_CANNOT_RUN
            logger.debug(t("export.details"), exc_info=True)
            say(_os_error_message(exc, out), logging.ERROR)
        except Exception as exc:  # noqa: BLE001 - cron has nobody to show a traceback to
            result.status = EXIT_CANNOT_RUN
            logger.exception(t("export.unexpected_short"))
            say(t("export.unexpected", error=exc, log=out / LOG_NAME), logging.ERROR)
        if result.status == EXIT_CANNOT_RUN:
            say(t("export.cannot_run"), logging.ERROR)
    return result


def _job(settings: Settings, year: int | None, today: dt.date) -> Job:
    """The job of this run (`clubtool.job.resolve`, the same rules as every command): the
    data folder, the year (given, configured, else the latest in the data), as-of, plan,
    formats; _CannotRun says what is wrong."""
    from dataclasses import replace

    from .job import JobError, resolve

    if year is not None:
        settings = replace(settings, year=year)
    try:
        return resolve(settings=settings, data_folder=True, today=today)
    except JobError as exc:
        raise _CannotRun(message(exc)) from None


# --- the run --------------------------------------------------------------------------------


# long: the skip-when-unchanged check, staging, manifest and swap are one transaction
def _run(job: Job, force: bool, result: ExportResult, say: Callable[..., None],
         on_progress: Progress | None, worker: ReportWorker | None) -> None:
    started = time.perf_counter()
    settings, year, as_of = job.settings, job.year, job.as_of
    assert year is not None and as_of is not None  # the job has both (data_folder, a year)
    out = settings.out_dir
    final = out / str(year)
    result.folder = final
    _recover(out, say)
    data = settings.data_dir

    t0 = time.perf_counter()
    inputs = _input_digests(job)
    fingerprint = _fingerprint(settings, year, job.formats, as_of, data, inputs)
    say(t("export.found", n=len(inputs), data=data, secs=_secs(t0)))

    previous = _read_manifest(final / MANIFEST_NAME)
    if not force and previous is not None and previous.get("fingerprint") == fingerprint \
            and all((final / name).is_file() for name in previous.get("outputs", {})):
        result.status = int(previous.get("status", EXIT_OK))
        result.unchanged = True
        result.summary = dict(previous.get("summary", {}))
        result.excluded = [(str(a), str(b)) for a, b in previous.get("excluded", [])]
        say(t("export.unchanged", when=_when(previous.get("finished")), status=result.status))
        return

    staging = Path(tempfile.mkdtemp(prefix=f".{year}.tmp-", dir=out))
    try:
        staging.chmod(0o777 & ~_umask())  # mkdtemp's folder is private; <out>/<Y> is not
        outputs = _build(job, staging, result, say, on_progress, worker)
        status = EXIT_PROBLEMS if result.excluded or result.summary.get("errors") else EXIT_OK
        manifest = {
            "format": MANIFEST_FORMAT, "tool": "clubtool", "version": __version__,
            "year": year, "fingerprint": fingerprint,
            "inputs": {_shown(p, data): digest for p, digest in inputs},
            "commune_file": _file_entry(settings.commune_file),
            "plan": _file_entry(settings.plan),
            "settings": _settings_entry(settings, year, job.formats, as_of, data),
            "status": status, "finished": dt.datetime.now().isoformat(timespec="seconds"),
            "summary": result.summary, "excluded": [list(x) for x in result.excluded],
            "outputs": {p.relative_to(staging).as_posix(): _sha256(p) for p in outputs},
        }
        write_text_atomic(staging / MANIFEST_NAME,
                          json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        t0 = time.perf_counter()
        _keep_foreign_files(final, previous, staging, say)
        _swap(staging, final)
        result.written = [final / p.relative_to(staging) for p in outputs]
        result.written.append(final / MANIFEST_NAME)
        result.status = status
        say(t("export.replaced", final=final, secs=_secs(t0)))
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    s = result.summary
    say(t("export.finished", secs=_secs(started), files_n=_n("files", s.get("files", 0)),
          valid=s.get("valid", 0), errors_n=_n("errors", s.get("errors", 0)),
          warnings_n=_n("warnings", s.get("warnings", 0)),
          excluded_n=_n("files", len(result.excluded)),
          written_n=_n("files", len(result.written)), final=final, status=result.status),
        logging.WARNING if result.status else logging.INFO)


def _build(job: Job, staging: Path, result: ExportResult, say: Callable[..., None],
           on_progress: Progress | None, worker: ReportWorker | None) -> list[Path]:
    """Write every output into `staging`; return the files written (manifest aside). The
    validation and indicator files are the renderers of `validate --format json` and
    `indicators --format json|csv`: the same bytes as those commands write into a file (the
    CSV with a BOM, docs/outputs.md#csv). `worker`: the report worker started with the run
    (`clubtool.report.worker`), which renders the report and writes the indicator JSON
    while the merged workbook is written; None (or a failing worker): they are rendered
    here, the same bytes."""
    try:
        return _outputs(job, staging, result, say, on_progress, worker)
    except BaseException:
        if worker is not None:  # stopped before the staging folder is removed: it writes there
            worker.close()
        raise


# long: the run's steps in their order, each with its log line
def _outputs(job: Job, staging: Path, result: ExportResult, say: Callable[..., None],
             on_progress: Progress | None, worker: ReportWorker | None) -> list[Path]:
    from .job import JobError, opened
    from .merge import MergeError, merge
    from .render import Options, renderer
    from .validation.annotated import annotate_report

    settings, year, as_of = job.settings, job.year, job.as_of
    assert year is not None and as_of is not None
    names = output_names(year, job.formats)
    computed = _computed(job, result, say, on_progress)
    report, indicators = computed.report, computed.communes[0].indicators
    _archive(job, report, say)
    opts = Options(lang=settings.lang)
    given = _to_worker(staging / names["indicators_json"], indicators, settings.lang, worker)
    pending, report_secs = _report_started(job, report, indicators, staging, worker, given)

    t0 = time.perf_counter()
    written = [_write(staging / names["validation"], renderer("validation", "json")(report, opts))]
    copies = list(annotate_report(report, staging / ANNOTATED_DIR, lang=settings.lang))
    written += copies
    say(t("export.validation", copies=len(copies), secs=_secs(t0)))

    t0 = time.perf_counter()
    result.excluded = report.excluded()
    for key, fmt in (("indicators_json", "json"), ("indicators_csv", "csv")):
        path = staging / names[key]
        if not any(f.path == path for f in pending.files):  # (else the worker writes it and
            how = Options(lang=settings.lang, bom=fmt == "csv")  # `pending.write` checks it)
            _write(path, renderer("indicators", fmt)(computed, how))  # CSV: a BOM, for Excel
        written.append(path)
    met = sum(1 for v in indicators.indicators if v.status == "dat")
    unmet = sum(1 for v in indicators.indicators if v.status == "chua_dat")
    say(t("export.indicators", met=met, unmet=unmet, as_of=short_date(as_of), secs=_secs(t0)))

    t0 = time.perf_counter()
    try:
        with opened(job.cache_path) as cache:
            merged = merge(report, staging / names["merged"], year=year, force=True,
                           indicators=indicators, as_of=as_of, plan=job.plan, names=True,
                           cache=cache)
    except (MergeError, JobError) as exc:
        raise _CannotRun(message(exc)) from None
    written += merged.files
    say(t("export.merged", files_n=_n("files", len(merged.used)),
          clubs_n=_n("clubs", merged.clubs), secs=_secs(t0)))

    t0 = time.perf_counter() - report_secs  # the time this process spent on the report
    summary = pending.summary
    if summary is None:  # every run writes the commune's summary for the province (first:
        # the worker may still be rendering; the JSON report's `write` writes its own)
        from .summary import summary_name, summary_of, write_summary

        summary = write_summary(staging / summary_name(indicators.commune, year),
                                summary_of(indicators, validation=report))
    reports = pending.write()
    written += reports
    written.append(summary)
    say(t("export.reports", names=", ".join(p.name for p in reports), secs=_secs(t0)))
    return written


def _report_started(job: Job, report: Any, indicators: Any, staging: Path,
                    worker: ReportWorker | None,
                    files: Sequence[SideFile]) -> tuple[PendingReport, float]:
    """The report checked and laid out now (a worker renders it, and writes `files`,
    meanwhile), and the seconds that took (handing `files` to the worker included)."""
    from .report import prepare_report

    assert job.year is not None
    t0 = time.perf_counter()
    pending = prepare_report(indicators, report.commune, year=job.year, formats=job.formats,
                             out_dir=staging, date=job.today, validation=report, force=True,
                             worker=worker, files=files)
    return pending, time.perf_counter() - t0


def _to_worker(path: Path, indicators: IndicatorResult, lang: str,
               worker: ReportWorker | None) -> list[SideFile]:
    """The indicator JSON for the report worker to write at `path` (none without a worker):
    its object is made here (`to_dict`, ~20 ms for 1,000 clubs, ~10 ms more to pickle), the
    text (~35 ms) and the file there, while this process writes the merged workbook. (The
    result itself is cheaper to pickle, but unpickling it and `to_dict` there cost the
    worker ~40 ms more, past its slack: it then finished after this process needed it. The
    CSV, one row per indicator, costs less to render here than to send.)"""
    from .render import Options
    from .report.worker import SideFile

    if worker is None:
        return []
    return [SideFile(path, "indicators", "json", indicators.to_dict(), Options(lang=lang))]


def _computed(job: Job, result: ExportResult, say: Callable[..., None],
              on_progress: Progress | None) -> Computed:
    """Read and compute the job; say what was found; _CannotRun when there is nothing to
    report on, or more than one commune (never a silent pick of one)."""
    from .job import JobError, communes_found, compute, read

    t0 = time.perf_counter()
    report = read(job, on_progress=on_progress, require=False)
    result.summary = s = report.summary()
    say(t("export.checked", files_n=_n("files", s["files"]), valid=s["valid"],
          errors_n=_n("errors", s["errors"]), warnings_n=_n("warnings", s["warnings"]),
          secs=_secs(t0)))
    for line in communes_found(report):
        say(line)
    try:
        computed = compute(job, report, one_commune=True)
    except JobError as exc:
        raise _CannotRun(message(exc)) from None
    for notice in report.notices:
        say(notice, logging.WARNING)
    for unused, reason in report.not_counted(current()):
        say(t("export.not_counted", file=Path(unused).name, reason=reason), logging.WARNING)
    if not any(f.kind in ("club", None) for f in report.checked):
        raise _CannotRun(t("export.no_club_files", year=job.year, data=job.settings.data_dir))
    return computed


def _archive(job: Job, report: Any, say: Callable[..., None]) -> None:
    """Add the inputs of this run to the archive (every year's memory)."""
    from .job import JobError, add_to_archive, archive_path, opened

    t0 = time.perf_counter()
    where = archive_path(job, job.settings.out_dir)
    try:
        with opened(where) as archive:
            assert archive is not None
            added = add_to_archive(archive, job, report)
    except JobError as exc:
        raise _CannotRun(message(exc)) from None
    say(t("export.archived", added=t("export.new_files", n=len(added.added)),
          unchanged=t("export.unchanged_files", n=len(added.unchanged)),
          replaced=t("export.replaced_copies", n=len(added.replaced)), where=where,
          secs=_secs(t0)))


def _write(path: Path, text: str | bytes) -> Path:
    assert isinstance(text, str)  # the text renderers
    write_text_atomic(path, text)
    return path


# --- inputs and the manifest ----------------------------------------------------------------


def _fingerprint(settings: Settings, year: int, formats: Sequence[str], as_of: dt.date,
                 data: Path, inputs: Sequence[tuple[Path, str]]) -> str:
    """One hash of everything that decides the outputs."""
    what = {
        "version": __version__, "year": year,
        "settings": _settings_entry(settings, year, formats, as_of, data),
        "inputs": sorted((_shown(p, data), d) for p, d in inputs),
        "commune_file": _file_entry(settings.commune_file),
        "plan": _file_entry(settings.plan),
    }
    text = json.dumps(what, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _settings_entry(settings: Settings, year: int, formats: Sequence[str], as_of: dt.date,
                    data: Path) -> dict[str, Any]:
    # Paths of inputs appear in the validation results, so the data folder is part of it.
    return {"year": year, "formats": list(formats), "lang": settings.lang,
            "as_of": as_of.isoformat(), "data_dir": str(data)}


def _file_entry(path: Path | None) -> dict[str, str] | None:
    if path is None:
        return None
    return {"path": str(path), "sha256": _sha256(path) if path.is_file() else ""}


def _read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == MANIFEST_FORMAT else None


def _input_digests(job: Job) -> list[tuple[Path, str]]:
    """Each input with its SHA-256: remembered by the cache for a file that has not moved
    since it was hashed (`Archive.sha_many`, the rule by which the cache itself reuses a
    reading), else hashed now."""
    from .archive import Archive, ArchiveError

    files = list(job.files)
    if job.cache_path is not None and files:
        try:
            with Archive.open(job.cache_path) as cache:
                infos = cache.sha_many(files)
                cache.store((), "")  # what was hashed now is remembered
        except (ArchiveError, sqlite3.Error):
            pass  # reading says what is wrong with the cache (status 2)
        else:
            return [(p, info[0] if info is not None else _sha256(p))
                    for p, info in zip(files, infos, strict=True)]
    return [(p, _sha256(p)) for p in files]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:  # validate() reports the file; the fingerprint notes it changed
        return f"unreadable: {exc.strerror or exc}"
    return h.hexdigest()


def _shown(path: Path, data: Path) -> str:
    try:
        return path.relative_to(data).as_posix()
    except ValueError:
        return path.as_posix()


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


# --- the output folder ----------------------------------------------------------------------


def _prepare_out(out: Path) -> None:
    """The output folder exists and can be written, or _CannotRun says why."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".clubtool-probe-", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise _CannotRun(_os_error_message(exc, out, writing=True)) from None


def _swap(staging: Path, final: Path) -> None:
    """Put `staging` in place of `final`: old aside, new in, old removed."""
    old: Path | None = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    try:
        os.replace(staging, final)
    except BaseException:
        if old is not None:
            os.replace(old, final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _keep_foreign_files(final: Path, previous: dict[str, Any] | None, staging: Path,
                        say: Callable[..., None]) -> None:
    """Copy into `staging` the files of `final` this tool did not write (the officer's notes):
    replacing the folder must not lose them. Files of the last run are replaced."""
    if not final.is_dir():
        return
    ours = set((previous or {}).get("outputs", {})) | {MANIFEST_NAME}
    for p in sorted(final.rglob("*")):
        rel = p.relative_to(final)
        if not p.is_file() or rel.as_posix() in ours or (staging / rel).exists():
            continue
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, staging / rel)
        say(t("export.kept_foreign", path=final / rel), logging.WARNING)


def _recover(out: Path, say: Callable[..., None]) -> None:
    """Tidy what a killed run left: remove staging folders; put back an output folder that
    was set aside and never replaced."""
    for d in sorted(out.iterdir()):
        m = _WORK_DIR.match(d.name)
        if not m or not d.is_dir():
            continue
        final = out / m.group(1)
        if m.group(2) == "old" and not final.exists():
            os.replace(d, final)
            say(t("export.recovered", final=final), logging.WARNING)
        else:
            shutil.rmtree(d, ignore_errors=True)
            say(t("export.removed_staging", name=d.name), logging.WARNING)


# --- lock and log ---------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold `<out>/.clubtool.lock` for the run, or _CannotRun naming who holds it."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(out / LOCK_NAME), timeout=0)
    info = out / LOCK_INFO_NAME
    try:
        lock.acquire()
    except Timeout:
        raise _CannotRun(t("export.locked", holder=_holder(info))) from None
    try:
        write_text_atomic(info, json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(),
            "started": dt.datetime.now().isoformat(timespec="seconds"),
        }) + "\n")
        yield
    finally:
        with contextlib.suppress(OSError):
            info.unlink()
        lock.release()


def _holder(info: Path) -> str:
    """"(tiến trình 1234 trên máy X, bắt đầu lúc 02:00:01 ngày 05/12/2027)"."""
    try:
        raw = json.loads(info.read_text(encoding="utf-8"))
        started = dt.datetime.fromisoformat(raw["started"])
        return t("export.holder", pid=int(raw["pid"]), host=raw["host"],
                 time=started.strftime(t("export.time")))
    except (OSError, ValueError, KeyError, TypeError):
        return t("export.holder_unknown")


@contextlib.contextmanager
def _file_log(path: Path | None) -> Iterator[logging.Logger]:
    """A logger writing to `path` (UTF-8, rotated) for the time of one run (None: nowhere)."""
    logger = logging.getLogger(f"clubtool.export.{uuid.uuid4().hex}")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    handler: logging.Handler = logging.NullHandler()
    if path is not None:
        with contextlib.suppress(OSError):  # no log file is no reason not to run
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(process)d] %(message)s",
                                           datefmt="%Y-%m-%d %H:%M:%S"))
    logger.addHandler(handler)
    try:
        yield logger
    finally:
        logger.removeHandler(handler)
        handler.close()
        logging.Logger.manager.loggerDict.pop(logger.name, None)


# --- messages -------------------------------------------------------------------------------


def _os_error_message(exc: OSError, out: Path, writing: bool = False) -> str:
    where = exc.filename or out
    if exc.errno == errno.ENOSPC:
        return t("export.disk_full", out=out)
    if isinstance(exc, PermissionError):
        return t("export.no_permission", where=where)
    if writing:
        return t("export.cannot_write_out", out=out, error=exc.strerror or exc)
    return t("export.os_error", where=where, error=exc.strerror or exc)


def _when(iso: Any) -> str:
    try:
        return dt.datetime.fromisoformat(str(iso)).strftime(t("export.time"))
    except ValueError:
        return "?"


def _n(word: str, n: int) -> str:
    """A count with its word in the current language ("1 file", "3 files"; "3 tệp")."""
    return t(_WORDS[word], n=n)


_WORDS = {"files": "word.files", "errors": "word.errors", "warnings": "word.warnings",
          "clubs": "word.clubs"}


def _secs(start: float) -> str:
    return f"{time.perf_counter() - start:.2f} s".replace(".", ",")
