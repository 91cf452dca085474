"""`validate()`: every problem of every workbook, at its cell (SPEC §3).

Bad files never stop the run: each file's problems are issues of that file. Files are
read in worker processes (`jobs` of them), never in this one: a file that crashes its
worker or goes past the bounds of memory and time is that file's issue
(`workbook.isolation`).
"""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import gc
import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any

from .. import schema as S
from ..issues import WARNING, Issue, make
from ..model import RECORDS, Club, Commune, SheetLayout, without_rows
from ..workbook.files import DEFAULT_LIMITS, Limits, discover
from ..workbook.isolation import DEFAULT_BOUNDS, FILES_PER_WORKER, Bounds, Failure, read_all
from ..workbook.reader import Loaded, load
from . import across
from .checks import check_club, check_commune, village_known
from .report import FileResult, ValidationReport, issue_order

__all__ = ["NO_COMMUNE", "is_commune_notice", "FileResult", "Summarise", "ValidationReport", "validate", "load_checked"]

Progress = Callable[[int, int, str], None]
#: Below this many files one worker reads them all: a second one costs more than it saves.
POOL_THRESHOLD = 2 * FILES_PER_WORKER


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


#: A worker's cyclic GC runs every 50,000 new objects instead of 700: reading a file makes
#: ~1,500 objects that live until it is sent, so with the default the young collections
#: walk them again and again (~3 % of a worker's time).
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
             bounds: Bounds = DEFAULT_BOUNDS, on_progress: Progress | None = None,
             summarise: Summarise | None = None, keep_records: bool = True) -> list[Loaded]:
    """`load_checked` over all paths, in order, in `jobs` worker processes (one below
    `POOL_THRESHOLD` files; default: one per CPU); this process parses nothing.

    A file whose worker dies is `file-unreadable`; one that needs more than `bounds` allows
    (memory above the worker's own, time) is `file-too-large`; the others' results are
    the same as if it were not there. `summarise` and `keep_records` as in `validate`: the
    same whatever `jobs` is."""
    reading = _Reading(limits, summarise, keep_records)
    jobs = default_jobs() if jobs is None else max(1, jobs)
    gc_was_enabled = gc.isenabled()
    # No cyclic GC in this process while it receives records (workers turn theirs on):
    # records hold no reference cycles, and the GC would walk all those received so far
    # again and again (5.5 s of a 30 s run at 20,000 files, 0.15 s at 1,000).
    gc.disable()
    try:
        return read_all(reading, [str(p) for p in paths], jobs=jobs, failed=_failed,
                        bounds=bounds, on_progress=on_progress, init=_worker_init,
                        shared=_held_by(summarise))
    finally:
        if gc_was_enabled:
            _gc_after_loading()


def _held_by(summarise: Summarise | None) -> tuple[object, ...]:
    """What `summarise` holds (the fields of a dataclass, those that are dataclasses too):
    its results may hold them again (a club's figures say which period and plan they are
    for), and cross back from the workers as references to these very objects."""
    if summarise is None or not dataclasses.is_dataclass(summarise):
        return ()
    values = (getattr(summarise, f.name) for f in dataclasses.fields(summarise))
    return tuple(v for v in values if dataclasses.is_dataclass(v) and not isinstance(v, type))


def _failed(path: str, why: Failure) -> Loaded:
    """What is known of a file that gave no result: its issue, and its bytes' SHA-256."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        digest = h.hexdigest()
    except OSError:
        digest = ""
    return Loaded(path, None, issues=[make(why.code, path, detail=why.detail)], sha256=digest)


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
             bounds: Bounds = DEFAULT_BOUNDS, on_progress: Progress | None = None,
             summarise: Summarise | None = None, keep_records: bool = True) -> ValidationReport:
    """Check every workbook found in `paths` (files or folders, searched recursively).

    The commune workbook is `commune` when given, else found among the paths by its sheets.
    With `year`, workbooks of other years are skipped with a notice.

    `summarise(club)` runs on every club workbook read, where it is read (in parallel with
    `jobs` > 1), its result in `FileResult.loaded.summary`. With `keep_records=False` a
    club's table rows are dropped once checked and summarised (`model.RowsNotKept`): far
    less to send between processes and keep in memory, for callers that only need the
    issues and the summaries.

    Every file, the commune workbook included, is read in a worker process within `bounds`
    (memory, time): see `load_all`.
    """
    files = discover(paths)
    commune_path = Path(commune) if commune is not None else None
    if commune_path is not None:  # read with the others, first; set apart below
        files = [commune_path] + [f for f in files if not _same(f, commune_path)]
    loaded = load_all(files, jobs=jobs, limits=limits, bounds=bounds, on_progress=on_progress,
                      summarise=summarise, keep_records=keep_records)
    given = loaded.pop(0) if commune_path is not None else None
    report = ValidationReport(year=year)

    results = [FileResult(x.path, x.kind, list(x.issues), x, strict=strict) for x in loaded]
    commune_result: FileResult | None = None
    if given is not None:
        x = given
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
