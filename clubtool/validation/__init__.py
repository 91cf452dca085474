"""`validate()`: every problem of every workbook, at its cell (docs/workbooks.md#validation).

Bad files never stop the run: each file's problems are issues of that file. Files are
read in worker processes (`jobs` of them), never in this one: a file that crashes its
worker or goes past the bounds of memory and time is that file's issue
(`workbook.isolation`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import schema as S
from ..i18n import msg, t
from ..issues import WARNING, Issue, make
from ..model import Club, Commune, rows_later, without_rows
from ..workbook._files import DEFAULT_LIMITS, Limits, discover
from ..workbook.isolation import DEFAULT_BOUNDS, Bounds
from ..workbook.reader import Loaded, load
from . import _across as across
from ._pool import _WORKER_GC_THRESHOLD as _WORKER_GC_THRESHOLD  # (both: tests/test_pool.py)
from ._pool import POOL_THRESHOLD, default_jobs, held_by, read_in_workers
from ._pool import _worker_init as _worker_init  # (see _WORKER_GC_THRESHOLD)
from .checks import CHECK_NAMES, CLUB_CHECKS, COMMUNE_CHECKS, village_known
from .report import FileResult, ValidationReport, issue_order

if TYPE_CHECKING:
    from ..archive import Archive

__all__ = ["CHECK_NAMES", "NO_COMMUNE", "POOL_THRESHOLD", "FileResult", "Progress", "Summarise",
           "ValidationReport", "default_jobs", "is_commune_notice", "load_all", "load_checked",
           "validate"]

Progress = Callable[[int, int, str], None]

_Record = TypeVar("_Record", Club, Commune)


def load_checked(path: Path | str, limits: Limits = DEFAULT_LIMITS, *,
                 skip: Collection[str] = ()) -> Loaded:
    """Read one file and run the checks that need nothing but the file itself, except
    those named in `skip` (see `validate`)."""
    loaded = load(path, limits=limits)
    if loaded.club is not None:
        loaded.issues.extend(_checked(loaded.club, CLUB_CHECKS, skip))
    elif loaded.commune is not None:
        loaded.issues.extend(_checked(loaded.commune, COMMUNE_CHECKS, skip))
    return loaded


def _checked(record: _Record, checks: Iterable[Callable[[_Record], Iterator[Issue]]],
             skip: Collection[str]) -> list[Issue]:
    return [issue for check in checks if check.__name__ not in skip for issue in check(record)]


def _skipped(skip: Iterable[str]) -> frozenset[str]:
    """`skip` as a set of check names; a name that is no check's raises ValueError."""
    names = frozenset([skip] if isinstance(skip, str) else skip)
    unknown = sorted(names - set(CHECK_NAMES))
    if unknown:
        raise ValueError(f"unknown check(s) {', '.join(map(repr, unknown))} in skip; "
                         f"the checks are: {', '.join(CHECK_NAMES)}")
    return names


#: Called on each club as it is read (in the process that read it); its result is kept in
#: `Loaded.summary`. Must be picklable (a module-level function or a partial of one).
Summarise = Callable[[Club], Any]


@dataclasses.dataclass(frozen=True, slots=True)
class _Reading:
    """How each file is read: limits, the checks left out, and what is done with a club
    once read and checked. Runs in the workers (`_pool.read_in_workers`)."""

    limits: Limits = DEFAULT_LIMITS
    summarise: Summarise | None = None
    keep_records: bool = True
    skip: frozenset[str] = frozenset()

    def __call__(self, path: Path | str) -> Loaded:
        # (`skip` passed only when there is one: tests put their own `load_checked` here)
        loaded = (load_checked(path, self.limits, skip=self.skip) if self.skip
                  else load_checked(path, self.limits))
        return self.shaped(loaded)

    def shaped(self, loaded: Loaded, *, summarised: bool = False) -> Loaded:
        """`loaded` (read with its records, checked) as this reading keeps it: the club's
        summary made (unless `summarised`: already made) and its rows dropped when they are
        not kept. In the workers, and in `_load_cached` on an entry read with its rows."""
        club = loaded.club
        if club is not None:
            if self.summarise is not None and not summarised:
                loaded.summary = self.summarise(club)
            if not self.keep_records:
                loaded.club = without_rows(club)
        return loaded


def load_all(paths: Sequence[Path], *, jobs: int | None = None, limits: Limits = DEFAULT_LIMITS,
             bounds: Bounds = DEFAULT_BOUNDS, on_progress: Progress | None = None,
             summarise: Summarise | None = None, keep_records: bool = True,
             skip: Iterable[str] = ()) -> list[Loaded]:
    """`load_checked` over all paths, in order, in `jobs` worker processes (one below
    `POOL_THRESHOLD` files; default: one per CPU); this process parses nothing.

    A file whose worker dies is `file-unreadable`; one that needs more than `bounds` allows
    (memory above the worker's own, time) is `file-too-large`; the others' results are
    the same as if it were not there. `summarise`, `keep_records` and `skip` as in
    `validate`: the same whatever `jobs` is."""
    reading = _Reading(limits, summarise, keep_records, _skipped(skip))
    return read_in_workers(reading, paths, jobs=jobs, bounds=bounds, on_progress=on_progress,
                           shared=held_by(summarise))


# long: half of it is the docstring's table of check names
def validate(paths: Iterable[Path | str], *, commune: Path | str | None = None,
             year: int | None = None, limit_errors: int = 1000, strict: bool = False,
             jobs: int | None = None, limits: Limits = DEFAULT_LIMITS,
             bounds: Bounds = DEFAULT_BOUNDS, on_progress: Progress | None = None,
             summarise: Summarise | None = None, keep_records: bool = True,
             skip: Iterable[str] = (), cache: Archive | None = None,
             loaded: Sequence[Loaded] | None = None) -> ValidationReport:
    """Check every workbook found in `paths` (files or folders, searched recursively).

    The commune workbook is `commune` when given, else found among the paths by its sheets.
    With `year`, workbooks of other years are skipped with a notice.

    `skip`: checks not to run, by name (`CHECK_NAMES`; any other name raises ValueError,
    which lists them). These are the checks across rows and sheets of `checks.py`; each
    reports one issue code (the `code` of the JSON output, described in docs/errors.md):

        founded_in_time         founded-after-year
        dates_in_year           date-outside-year
        left_after_joined       left-before-joined
        unique_members          duplicate-member
        chair_matches           chair-mismatch
        support_needs           received-without-need
        attendance              attendance-exceeds-members
        trainees_on_board       unknown-board-member
        receipt_sources         required (a receipt without `Nguồn thu` only)
        balances                negative-balance
        unique_villages         duplicate-value (sheet `Thôn`)
        unique_registry         duplicate-value (sheet `Câu lạc bộ`)
        reached_within_target   reached-exceeds-target
        village_known           unknown-village

    e.g. `validate([folder], skip={"chair_matches"})` for data whose chairs are known to be
    written otherwise. The checks of each cell (required, type, range…), of the file and
    of the copies of a club's workbook are never skipped: the records rest on them.

    `summarise(club)` runs on every club workbook read, where it is read (in parallel with
    `jobs` > 1), its result in `FileResult.loaded.summary`. With `keep_records=False` a
    club's table rows are dropped once checked and summarised (`model.RowsNotKept`): far
    less to send between processes and keep in memory, for callers that only need the
    issues and the summaries.

    Every file, the commune workbook included, is read in a worker process within `bounds`
    (memory, time): see `load_all`. With `cache` (an open `clubtool.archive.Archive`), a
    file already read the same way by the same code is taken from it, not read again
    (`_load_cached`); the result is the same. `loaded`: workbooks already read (from the
    archive: `Archive.current`) instead of `paths`; the checks across files run on them.
    """
    skipped = _skipped(skip)
    files = discover(paths)
    commune_path = Path(commune) if commune is not None else None
    if commune_path is not None:  # read with the others, first; set apart below
        files = [commune_path] + [f for f in files if not _same(f, commune_path)]
    how: dict[str, Any] = {"jobs": jobs, "limits": limits, "bounds": bounds,
                           "on_progress": on_progress, "summarise": summarise,
                           "keep_records": keep_records, "skip": skipped}
    if loaded is not None:
        loaded = list(loaded)
    elif cache is not None:
        loaded = _load_cached(files, cache, **how)
    else:
        loaded = load_all(files, **how)
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
            if "village_known" not in skipped:
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


def _load_cached(files: Sequence[Path], cache: Archive, **how: Any) -> list[Loaded]:
    """`load_all`, taking from `cache` what it has read before (same bytes, same path, same
    way, same code) and adding to it what it reads now.

    Two entries a file (docs/archive.md: validate → indicators → merge → report parse each file
    once): the file as read with its rows and no summary (the rows entry), and the file as
    asked, without its rows (small: what `validate` and `indicators` ask). The entry asked for
    is looked up first; on a miss, the rows entry, from which what was asked is made
    (`_Reading.shaped`, as the workers do) and stored; only when both miss is the file read,
    its rows kept so that both entries are stored. When the rows are asked for too (`merge`,
    `report`, `export`), the entry asked for is the small one, and each sheet's rows are
    taken from the rows entry when first used (`model.RowsLater`): a warm export after one
    workbook changed unpickles the rows of that workbook only (issue 14)."""
    from ..archive import reading_key

    reading = _Reading(how["limits"], how["summarise"], how["keep_records"], how["skip"])
    later = reading.keep_records and reading.summarise is not None
    stored = dataclasses.replace(reading, keep_records=False) if later else reading
    key = reading_key(stored.limits, stored.summarise, stored.keep_records, stored.skip)
    rows_key = reading_key(reading.limits, None, True, reading.skip)
    plan = getattr(reading.summarise, "plan", None)  # not stored in each entry: the key holds it
    infos = cache.sha_many(files)
    known = {i: info for i, info in enumerate(infos) if info is not None}
    found: list[Loaded | None] = [None] * len(files)
    hits = cache.cached_many([(info[0], str(files[i])) for i, info in known.items()], key)
    for i, info in known.items():
        found[i] = _with_plan(hits.get((info[0], str(files[i]))), plan)
    if later:
        _rows_later(files, known, found, cache, reading, rows_key)
    derived = _from_rows(files, known, found, cache, reading, rows_key) if key != rows_key else []
    cache.store_each({key: [(*known[i], str(files[i]), _as_stored(found[i], later))
                            for i in derived]})
    misses = [i for i, x in enumerate(found) if x is None]
    for start in range(0, len(misses), READ_AT_ONCE):
        chunk = misses[start:start + READ_AT_ONCE]
        fresh = load_all([files[i] for i in chunk],
                         **{**how, "keep_records": True,
                            "on_progress": _progress(how["on_progress"], start, len(misses))})
        rows: dict[int, Loaded] = {}
        for i, x in zip(chunk, fresh, strict=True):
            if i in known:
                rows[i] = dataclasses.replace(x, summary=None)
            found[i] = reading.shaped(x, summarised=True)  # (a new club: the rows entry keeps its)
        entries = {key: [(*known[i], str(files[i]), _as_stored(found[i], later)) for i in rows]}
        if key != rows_key:
            entries[rows_key] = [(*known[i], str(files[i]), x) for i, x in rows.items()]
        cache.store_each(entries)
        del fresh, rows, entries  # the rows of this chunk are let go
    return [x for x in found if x is not None]


def _as_stored(loaded: Loaded | None, later: bool) -> Loaded:
    """What the cache keeps of `loaded` as asked: without the plan; without its rows when
    they are taken from the rows entry (`later`)."""
    assert loaded is not None
    if later and loaded.club is not None:
        loaded = dataclasses.replace(loaded, club=without_rows(loaded.club))
    return _without_plan(loaded)


def _rows_later(files: Sequence[Path], known: dict[int, tuple[str, int, int]],
                found: list[Loaded | None], cache: Archive, reading: _Reading,
                rows_key: str) -> None:
    """Give each club found (its rows not kept) its rows from its rows entry, taken when
    used (fetched then: most runs never use them); a club without a rows entry is a miss
    (read again)."""
    wanted = [i for i in known if found[i] is not None and found[i].club is not None]  # type: ignore[union-attr]
    keys = {i: (known[i][0], str(files[i])) for i in wanted}
    kept = cache.kept(list(keys.values()), rows_key)
    blob = cache.blobs_later([k for k in keys.values() if k in kept], rows_key)
    for i in wanted:
        x = found[i]
        assert x is not None and x.club is not None
        club = rows_later(x.club, _Kept(keys[i], blob, files[i], reading).take) \
            if keys[i] in kept else None
        if club is None:
            found[i] = None
        else:
            x.club = club


class _Kept:
    """One file's rows entry, fetched (`Archive.blobs_later`) and unpickled when the first of
    its sheets' rows is used. A damaged or vanished entry is a miss, as when looked up: the
    file is read again (the same bytes, checked by their SHA-256)."""

    __slots__ = ("key", "blob", "club", "path", "reading")

    def __init__(self, key: tuple[str, str], blob: Callable[[tuple[str, str]], bytes | None],
                 path: Path, reading: _Reading):
        self.key, self.blob, self.path, self.reading = key, blob, path, reading
        self.club: Club | None = None

    def take(self, key: str) -> list[Any]:
        if self.club is None:
            self.club = self._club()
        rows: list[Any] = getattr(self.club, key)
        return rows

    def _club(self) -> Club:
        from ..archive import entry_of

        sha256 = self.key[0]
        data = self.blob(self.key)
        loaded = entry_of(data) if data is not None else None
        if loaded is None or loaded.club is None or loaded.sha256 != sha256:
            loaded = load_checked(self.path, self.reading.limits, skip=self.reading.skip)
            if loaded.sha256 != sha256 or loaded.club is None:
                raise RuntimeError(msg("archive_msg.changed_meanwhile", path=self.path))
        return loaded.club


#: Files read at once by `_load_cached`, whose rows are held until stored: the reading of
#: files not in the cache keeps their rows (for the rows entry), even for `validate`.
READ_AT_ONCE = 1000


def _progress(on_progress: Progress | None, done: int, total: int) -> Progress | None:
    """`on_progress` of a chunk of `total` files of which `done` were read before it."""
    if on_progress is None:
        return None
    return lambda n, _total, item: on_progress(done + n, total, item)


def _from_rows(files: Sequence[Path], known: dict[int, tuple[str, int, int]],
               found: list[Loaded | None], cache: Archive, reading: _Reading,
               rows_key: str) -> list[int]:
    """Fill the misses of `found` from the rows entries (`_load_cached`); their indexes."""
    missing = [i for i in known if found[i] is None]
    if not missing:
        return []
    hits = cache.cached_many([(known[i][0], str(files[i])) for i in missing], rows_key)
    derived = []
    for i in missing:
        hit = hits.get((known[i][0], str(files[i])))
        if hit is not None:
            found[i] = reading.shaped(hit)
            derived.append(i)
    return derived


def _with_plan(loaded: Loaded | None, plan: object) -> Loaded | None:
    """An entry of the cache with the plan its summary was made with put back."""
    if loaded is not None and plan is not None and loaded.summary is not None:
        loaded.summary = dataclasses.replace(loaded.summary, plan=plan)
    return loaded


def _without_plan(loaded: Loaded | None) -> Loaded:
    """A copy of `loaded` for the cache: its summary without the plan (~40 objects a club,
    the same for all; put back on reading)."""
    assert loaded is not None
    s = loaded.summary
    if s is None or getattr(s, "plan", None) is None:
        return loaded
    return dataclasses.replace(loaded, summary=dataclasses.replace(s, plan=None))


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


#: Said by every output when the inputs hold no commune workbook.
NO_COMMUNE = msg("msg.no_commune")

#: Said by every output when a commune workbook is left out for its errors (the text of
#: `msg.excluded_commune`, placeholders unfilled: `is_commune_notice` matches its end).
EXCLUDED_COMMUNE = t("msg.excluded_commune", "vi")


def is_commune_notice(text: str) -> bool:
    """A notice that the commune workbook is absent or left out (the indicator table and
    the report say it in their own words)."""
    return text == NO_COMMUNE or text.endswith(EXCLUDED_COMMUNE.split(": ", 1)[1])


def _commune_groups(results: list[FileResult]) -> list[across.CommuneGroup]:
    """One group per commune among the commune workbooks. Two workbooks of one commune are
    copies: the one saved last counts, as for a club's (docs/workbooks.md#across-files)."""
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
    """What every output must say about the inputs as a whole (`i18n.Msg`: Vietnamese, said
    in the officer's language by the command line)."""
    out: list[str] = []
    if not groups and clubs:
        out.append(NO_COMMUNE)
        named = {across.place_key(r.loaded.club.info.commune): r.loaded.club.info.commune
                 for r in clubs if r.loaded and r.loaded.club and r.loaded.club.info.commune}
        if len(named) > 1:
            out.append(msg("msg.communes_named", n=len(named),
                           names=", ".join(sorted(n for n in named.values() if n))))
    elif len(groups) > 1:
        out.append(msg("msg.several_communes", n=len(groups),
                       names=", ".join(g.label for g in groups)))
    out.extend(msg("msg.excluded_commune", commune=g.label, file=Path(g.result.path).name)
               for g in groups if g.result is not None and g.result.errors)
    return out


def _limited(issues: list[Issue], limit: int, path: str) -> list[Issue]:
    if limit <= 0 or len(issues) <= limit:
        return issues
    return issues[:limit] + [make("too-many-issues", path, severity=WARNING, limit=limit)]
