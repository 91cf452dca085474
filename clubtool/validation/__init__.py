"""`validate()`: every problem of every workbook, at its cell (SPEC §3).

Bad files never stop the run: each file's problems are issues of that file. Files are
read in a process pool when there are many (`jobs`).
"""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import gc
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from operator import attrgetter
from pathlib import Path
from typing import Any

from .. import schema as S
from ..issues import WARNING, Issue, make
from ..model import RECORDS, Club, Commune, SheetLayout, without_rows
from ..workbook.files import DEFAULT_LIMITS, Limits, discover
from ..workbook.reader import Loaded, load
from .checks import check_club, check_commune, village_known
from .report import FileResult, ValidationReport, issue_order

__all__ = ["FileResult", "Summarise", "ValidationReport", "validate", "load_checked"]

Progress = Callable[[int, int, str], None]
#: Below this many files a process pool costs more than it saves.
POOL_THRESHOLD = 40


def load_checked(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Read one file and run the checks that need nothing but the file itself."""
    loaded = load(path, limits=limits)
    if loaded.club is not None:
        loaded.issues.extend(check_club(loaded.club))
    elif loaded.commune is not None:
        loaded.issues.extend(check_commune(loaded.commune))
    return loaded


#: Called on each club as it is read (in the process that read it); its result is kept in
#: `Loaded.summary`. Must be picklable (a module-level function or a partial of one).
Summarise = Callable[[Club], Any]


@dataclasses.dataclass(frozen=True, slots=True)
class _Reading:
    """How each file is read: limits, and what is done with a club once read and checked."""

    limits: Limits = DEFAULT_LIMITS
    summarise: Summarise | None = None
    keep_records: bool = True

    def __call__(self, path: Path | str) -> Loaded:
        loaded = load_checked(path, self.limits)
        club = loaded.club
        if club is not None:
            if self.summarise is not None:
                loaded.summary = self.summarise(club)
            if not self.keep_records:
                loaded.club = without_rows(club)
        return loaded


def _load_chunk(args: tuple[list[str], _Reading]) -> list[Loaded]:
    paths, reading = args
    return list(map(reading, paths))


#: A worker's cyclic GC runs every 50,000 new objects instead of 700: reading a file makes
#: ~1,500 objects that live until its batch is sent, so with the default the young
#: collections walk them again and again (~3 % of a worker's time).
_WORKER_GC_THRESHOLD = (50_000, 20, 100)


def _worker_init() -> None:
    gc.set_threshold(*_WORKER_GC_THRESHOLD)


def _compact_pickling() -> None:
    """Records cross the process boundary as (class, field values): half the bytes and
    ~2x faster both ways than the default pickling of slotted dataclasses (a dict of slot
    values per record). Applies to the typed records, Club/Commune, their layouts and Loaded.
    """
    classes = {*RECORDS.values(), Club, Commune, SheetLayout, Loaded}
    for cls in classes:
        fs = dataclasses.fields(cls)
        if not all(f.init for f in fs):
            continue
        copyreg.pickle(cls, functools.partial(_reduce, cls, attrgetter(*(f.name for f in fs))))


def _reduce(cls: type, values: Callable[[Any], tuple[Any, ...]], obj: Any) -> tuple[Any, ...]:
    return cls, values(obj)  # (copyreg looks reducers up by exact type: never a subclass)


_compact_pickling()


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def load_all(paths: Sequence[Path], *, jobs: int | None = None, limits: Limits = DEFAULT_LIMITS,
             on_progress: Progress | None = None, summarise: Summarise | None = None,
             keep_records: bool = True) -> list[Loaded]:
    """`load_checked` over all paths, in order; in a process pool when worth it.

    `summarise` and `keep_records` as in `validate`: the same whatever `jobs` is."""
    reading = _Reading(limits, summarise, keep_records)
    jobs = default_jobs() if jobs is None else max(1, jobs)
    total = len(paths)
    if jobs == 1 or total < POOL_THRESHOLD:
        out = []
        gc_was_enabled = gc.isenabled()
        gc.disable()  # as below: reading leaves no cycles; the GC would walk `out` again and again
        try:
            for i, p in enumerate(paths, start=1):
                out.append(reading(p))
                if on_progress:
                    on_progress(i, total, str(p))
        finally:
            if gc_was_enabled:
                _gc_after_loading()
        return out
    # `jobs` processes read: jobs - 1 workers and this process, which reads small batches
    # between collecting the workers' results (its own results need no pickling, and no
    # process sits idle waiting). Batches are handed out in order, first come first served;
    # a worker's batch shrinks as the end nears, so that all finish together.
    own_size = 8
    gc_was_enabled = gc.isenabled()
    batches: dict[int, list[Loaded]] = {}
    futures: dict[Future[list[Loaded]], int] = {}
    done = 0
    start = 0  # first path not yet handed out

    def take(n: int) -> tuple[int, list[str]]:
        nonlocal start
        first, start = start, min(total, start + n)
        return first, [str(p) for p in paths[first:start]]

    def collect(new: list[Loaded], first: int) -> None:
        nonlocal done
        batches[first] = new
        done += len(new)
        if on_progress and new:
            on_progress(done, total, new[-1].path)

    with ProcessPoolExecutor(max_workers=jobs - 1, initializer=_worker_init) as pool:
        try:
            while start < total or futures:
                while start < total and len(futures) < 2 * (jobs - 1):
                    first, batch = take(max(own_size, min(64, (total - start) // (jobs * 4))))
                    futures[pool.submit(_load_chunk, (batch, reading))] = first
                # No cyclic GC in this process from here on (forked workers were started by
                # the first submit(), so they keep it): it only reads files and unpickles
                # records, which leaves no reference cycles, and the GC would walk all the
                # records received so far again and again (5.5 s of a 30 s run at 20,000
                # files, 0.15 s at 1,000).
                gc.disable()
                if start < total:
                    first, batch = take(own_size)
                    collect(list(map(reading, batch)), first)
                    ready = [f for f in futures if f.done()]
                else:
                    ready = list(wait(futures, return_when=FIRST_COMPLETED).done)
                for f in ready:
                    collect(f.result(), futures.pop(f))
        finally:
            if gc_was_enabled:
                _gc_after_loading()
    out = []
    for first in sorted(batches):
        out.extend(batches[first])
    return out


def _gc_after_loading() -> None:
    """Cyclic GC back on, the records loaded moved to the oldest generation first: freeze +
    unfreeze does it without walking them, so the young generations' collections that
    follow do not each walk them all once more."""
    gc.freeze()
    gc.unfreeze()
    gc.enable()


def validate(paths: Iterable[Path | str], *, commune: Path | str | None = None,
             year: int | None = None, limit_errors: int = 1000, strict: bool = False,
             jobs: int | None = None, limits: Limits = DEFAULT_LIMITS,
             on_progress: Progress | None = None, summarise: Summarise | None = None,
             keep_records: bool = True) -> ValidationReport:
    """Check every workbook found in `paths` (files or folders, searched recursively).

    The commune workbook is `commune` when given, else found among the paths by its sheets.
    With `year`, workbooks of other years are skipped with a notice.

    `summarise(club)` runs on every club workbook read, where it is read (in parallel with
    `jobs` > 1), its result in `FileResult.loaded.summary`. With `keep_records=False` a
    club's table rows are dropped once checked and summarised (`model.RowsNotKept`): far
    less to send between processes and keep in memory, for callers that only need the
    issues and the summaries.
    """
    files = discover(paths)
    commune_path = Path(commune) if commune is not None else None
    if commune_path is not None:
        files = [f for f in files if not _same(f, commune_path)]
    loaded = load_all(files, jobs=jobs, limits=limits, on_progress=on_progress,
                      summarise=summarise, keep_records=keep_records)
    report = ValidationReport(year=year)

    results = [FileResult(x.path, x.kind, list(x.issues), x, strict=strict) for x in loaded]
    commune_result: FileResult | None = None
    if commune_path is not None:
        x = load_checked(commune_path, limits)
        commune_result = FileResult(x.path, x.kind, list(x.issues), x, strict=strict)
        if x.kind not in ("commune", None):
            commune_result.issues.append(make("not-a-template", x.path,
                                              club_sheet=S.CLUB.marker_sheet.name,
                                              commune_sheet=S.COMMUNE.marker_sheet.name))
    for r in results:
        if r.kind == "merged":
            r.skipped = r.issues[0].message("vi") if r.issues else "bảng tổng hợp"
            r.issues = []
        elif year is not None and r.year is not None and r.year != year:
            r.skipped = f"số liệu năm {r.year}, không phải năm {year}: bỏ qua"
    if commune_result is None:
        communes = [r for r in results if r.kind == "commune" and not r.skipped]
        commune_result = communes[0] if communes else None
    report.commune_result = commune_result
    commune_model = commune_result.loaded.commune if commune_result and commune_result.loaded else None

    clubs = [r for r in results if r.kind == "club" and not r.skipped]
    if commune_model is not None:
        for r in clubs:
            assert r.loaded is not None and r.loaded.club is not None
            r.issues.extend(village_known(r.loaded.club, commune_model))
    _duplicate_submissions(clubs)

    for r in results:
        r.issues = _limited(sorted(r.issues, key=issue_order), limit_errors, r.path)
    if commune_result is not None and commune_result not in results:
        commune_result.issues = _limited(sorted(commune_result.issues, key=issue_order),
                                         limit_errors, commune_result.path)
        results.insert(0, commune_result)
    report.files = results
    return report


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _duplicate_submissions(clubs: list[FileResult]) -> None:
    by_key: dict[tuple[str, int], list[FileResult]] = defaultdict(list)
    for r in clubs:
        if r.club_id and r.year is not None:
            by_key[(r.club_id, r.year)].append(r)
    for (club_id, year), group in by_key.items():
        if len(group) < 2:
            continue
        for r in group:
            others = ", ".join(Path(o.path).name for o in group if o is not r)
            r.issues.append(make("duplicate-submission", r.path, club_id=club_id, year=year,
                                 others=others))


def _limited(issues: list[Issue], limit: int, path: str) -> list[Issue]:
    if limit <= 0 or len(issues) <= limit:
        return issues
    return issues[:limit] + [make("too-many-issues", path, severity=WARNING, limit=limit)]
