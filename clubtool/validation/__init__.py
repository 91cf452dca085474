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
from . import across
from .checks import check_club, check_commune, village_known
from .report import FileResult, ValidationReport, issue_order

__all__ = ["NO_COMMUNE", "is_commune_notice", "FileResult", "Summarise", "ValidationReport", "validate", "load_checked"]

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
    in_paths = [r for r in results if r.kind == "commune" and not r.skipped]
    if commune_result is not None:
        for r in in_paths:  # --commune chose the commune: the others are set aside, saying so
            r.skipped = (f"mẫu của xã khác; xã được chọn bằng --commune là tệp "
                         f"{Path(commune_result.path).name}")
        in_paths = [commune_result]
    groups = _commune_groups([r for r in in_paths if r.loaded is not None and r.loaded.commune])
    report.communes = groups
    report.commune_result = groups[0].result if len(groups) == 1 else None
    if commune_result is not None and not groups:  # --commune names a file it cannot read
        report.commune_result = commune_result

    clubs = [r for r in results if r.kind == "club" and not r.skipped]
    where: dict[int, object] = {}
    for r in clubs:
        club = r.loaded.club if r.loaded is not None else None
        if club is None or not groups:
            continue
        group, problem = across.assign(club, groups)
        if problem is not None:
            r.issues.append(problem)
            where[id(r)] = ("?", across.place_key(club.info.commune))
            continue
        assert group is not None
        group.clubs.append(r)
        r.commune, r.province = group.name, group.province
        where[id(r)] = group.key
        if group.commune is not None:
            r.issues.extend(village_known(club, group.commune))
            r.issues.extend(across.unregistered(club, group))
    across.resolve_copies(clubs, where)
    report.notices = _notices(groups, clubs, year)

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


#: Said by every output when the inputs hold no commune workbook.
NO_COMMUNE = ("Không có tệp mẫu của xã (trang 'Thông tin xã') trong các tệp đã cho: các chỉ tiêu "
              "cấp xã (cán bộ được tập huấn, tuyên truyền, thôn có câu lạc bộ, tỷ lệ nộp báo cáo) "
              "không tính được. Hãy để tệp mẫu của xã vào thư mục dữ liệu hoặc chỉ rõ bằng "
              "--commune.")

#: Said by every output when a commune workbook is left out for its errors.
EXCLUDED_COMMUNE = ("Tệp mẫu của xã {commune} ({file}) có lỗi nên bị loại: các chỉ tiêu cấp xã "
                    "không tính được. Hãy sửa tệp rồi chạy lại.")


def is_commune_notice(text: str) -> bool:
    """A notice that the commune workbook is absent or left out (the indicator table and
    the report say it in their own words)."""
    return text == NO_COMMUNE or text.endswith(EXCLUDED_COMMUNE.split(": ", 1)[1])


def _commune_groups(results: list[FileResult]) -> list[across.CommuneGroup]:
    """One group per commune among the commune workbooks. Two workbooks of one commune are
    copies: the one saved last counts, as for a club's (SPEC §2.3)."""
    by_key: dict[tuple[str, str], list[FileResult]] = defaultdict(list)
    for r in results:
        by_key[across.group_of(r).key].append(r)
    groups = []
    for copies in by_key.values():
        if len(copies) > 1:
            across.resolve_commune_copies(copies)
        used = [r for r in copies if not r.superseded_by]
        groups.append(across.group_of(used[0] if used else copies[0]))
    return sorted(groups, key=lambda g: g.key)


def _notices(groups: list[across.CommuneGroup], clubs: list[FileResult],
             year: int | None) -> list[str]:
    """What every output must say about the inputs as a whole."""
    out = []
    if not groups and clubs:
        out.append(NO_COMMUNE)
        named = {across.place_key(r.loaded.club.info.commune): r.loaded.club.info.commune
                 for r in clubs if r.loaded and r.loaded.club and r.loaded.club.info.commune}
        if len(named) > 1:
            out.append(f"Các câu lạc bộ ghi {len(named)} xã khác nhau ("
                       + ", ".join(sorted(n for n in named.values() if n))
                       + ") mà không có mẫu của xã nào: số liệu đang gộp chung.")
    elif len(groups) > 1:
        out.append(f"Có mẫu của {len(groups)} xã: " + ", ".join(g.label for g in groups)
                   + ". Mỗi xã được tính riêng với mẫu của xã đó.")
    out.extend(EXCLUDED_COMMUNE.format(commune=g.label, file=Path(g.result.path).name)
               for g in groups if g.result is not None and g.result.errors)
    return out


def _limited(issues: list[Issue], limit: int, path: str) -> list[Issue]:
    if limit <= 0 or len(issues) <= limit:
        return issues
    return issues[:limit] + [make("too-many-issues", path, severity=WARNING, limit=limit)]
