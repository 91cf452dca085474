"""The archive: every workbook of every year in one SQLite file, which is also the cache.

    from clubtool.archive import Archive
    with Archive.open("clubtool.sqlite") as archive:
        added = archive.add(report, figures)          # one transaction
        problems = archive.check()                    # integrity + consistency

Tables and views are described in docs/archive.md. The file is a plain SQLite database
(WAL mode): DB Browser for SQLite, Datasette or Excel (ODBC) open it. Each add is one
transaction: a run killed half-way leaves the archive as it was. An archive of an older
schema is migrated after a copy `<file>.bak-<version>` is made; a newer one is refused.

The cache (`cached`, `store`): what reading a file gave (`workbook.reader.Loaded`, after
the checks of the file alone) keyed by the file's SHA-256, its path, a fingerprint of the
tool's code and of how it was read (`reading`): a result is reused only for the same bytes
read the same way by the same code, so it cannot differ from reading the file again.
`validation._load_cached` keeps two entries a file: as read with its rows, and as asked
(figures, rows dropped), the second made from the first when missing (docs/archive.md).
A file is hashed again only when it may have changed since it was last hashed: when its
size, modification time, inode or status-change time moved (as git's index), or when it
had been modified less than `RACY_SECONDS` before it was hashed (a change within the same
tick of the clock could not be seen: such a file is hashed every time, as git does).

The cache holds pickled Python objects: an archive is to be opened only by the
installation that wrote it (as any program's cache). What is the same in nearly every
entry (a workbook's sheet layouts and names) is unpickled once per process and shared,
read-only (`_Shared`); the entries are unpickled with the cyclic GC paused (bench/notes.md,
session 5: a second `indicators` on 1,000 files 0.46 → 0.34 s with the start-up's share).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import pickle
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..i18n import msg
from . import _ddl

if TYPE_CHECKING:
    from ..validation import FileResult, ValidationReport
    from ..workbook.reader import Loaded

__all__ = ["Added", "Archive", "ArchiveError", "SCHEMA_VERSION", "code_fingerprint"]

SCHEMA_VERSION = _ddl.SCHEMA_VERSION
_NOT_CACHED = frozenset({"file-too-large", "file-unreadable"})  # depend on the machine's load
#: A file modified less than this before it was looked at may change again within the same
#: tick of the file system's clock (2 s on FAT): its SHA-256 is not remembered by its times.
RACY_SECONDS = 2


class ArchiveError(Exception):
    """The archive cannot be used as asked (exit code 2); the message is for the officer."""


@cache
def code_fingerprint() -> str:
    """A fingerprint of the tool's own code: its version and each .py file of the package
    (name, size, modification time): a cache entry written by other code is never used."""
    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parents[1]
    for p in sorted(root.rglob("*.py")):
        st = p.stat()
        h.update(f"{p.relative_to(root).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(slots=True)
class Added:
    """What one add did."""

    added: list[str] = field(default_factory=list)  # paths of files new to the archive
    unchanged: list[str] = field(default_factory=list)  # already there, the same bytes
    replaced: list[tuple[str, str]] = field(default_factory=list)  # (old path, new path)


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


class Archive:
    """An open archive (use `Archive.open`)."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path, self.conn = path, conn
        #: path → (size, mtime_ns, inode, ctime_ns, sha256) of files hashed by `sha_many`,
        #: settled (not modified just before), for `store` to remember
        self._hashed: dict[str, tuple[int, int, int, int, str]] = {}

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True, timeout: float = 10) -> Archive:
        """Open (or create) the archive at `path`; ArchiveError says why it cannot be."""
        path = Path(path)
        if not path.exists() and not create:
            raise ArchiveError(msg("archive_msg.not_found", path=path))
        try:
            if not path.parent.is_dir():
                path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(msg("archive_msg.cannot_open", path=path, error=exc)) from None
        archive = cls(path, conn)
        try:
            archive._prepare()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise ArchiveError(_db_message(path, exc)) from None
        except BaseException:
            conn.close()
            raise
        return archive

    def _prepare(self) -> None:
        c = self.conn
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            c.execute("PRAGMA journal_mode=WAL")
            with self.transaction():
                for statement in _statements(_ddl.full_ddl()):
                    c.execute(statement)
                c.executemany("INSERT INTO meta VALUES (?, ?)", [
                    ("application", _ddl.APPLICATION), ("schema_version", str(SCHEMA_VERSION)),
                    ("created_at", _now()), ("created_by", f"clubtool {__version__}")])
            return
        if "meta" not in tables:
            raise ArchiveError(msg("archive_msg.other_sqlite", path=self.path))
        meta = dict(c.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("application") != _ddl.APPLICATION:
            raise ArchiveError(msg("archive_msg.not_archive", path=self.path))
        version = int(meta.get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            raise ArchiveError(msg("archive_msg.newer", path=self.path, version=version,
                                   supported=SCHEMA_VERSION))
        if version < SCHEMA_VERSION:
            self._migrate(version)
        c.execute("PRAGMA journal_mode=WAL")

    def _migrate(self, version: int) -> None:
        """Copy the file aside, then take it to SCHEMA_VERSION in one transaction."""
        backup = self.path.with_name(f"{self.path.name}.bak-{version}")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(self.path, backup)
        with self.transaction():
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _statements(_ddl.MIGRATIONS[v]):
                    self.conn.execute(statement)
            self.conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                              (str(SCHEMA_VERSION),))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception."""
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            yield c
        except BaseException:
            if c.in_transaction:  # SQLite has rolled back by itself on some errors (disk full)
                with contextlib.suppress(sqlite3.Error):
                    c.execute("ROLLBACK")
            raise
        c.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the cache -------------------------------------------------------------------------

    def sha_for(self, path: Path) -> tuple[str, int, int] | None:
        """(SHA-256, size, mtime_ns) of a file: remembered when the file has not moved since it
        was last hashed (`sha_many`), else hashed now. None when the file cannot be read (the
        reader says why)."""
        return self.sha_many([path])[0]

    def sha_many(self, paths: Sequence[Path]) -> list[tuple[str, int, int] | None]:
        """(SHA-256, size, mtime_ns) of each file, None for one that cannot be read. A file
        whose size, mtime, inode and ctime are those it had when last hashed is not hashed
        again (one query per 500 paths); the others are, and `store` remembers them."""
        seen: dict[str, tuple[Any, ...]] = {}  # path → (size, mtime_ns, inode, ctime_ns, sha)
        keys = [str(p) for p in paths]
        for chunk in _chunks(keys):
            marks = ", ".join("?" * len(chunk))
            for path, *row in self.conn.execute(
                    "SELECT path, size, mtime_ns, inode, ctime_ns, sha256 FROM stats "
                    f"WHERE path IN ({marks})", chunk):
                seen[path] = tuple(row)
        out: list[tuple[str, int, int] | None] = []
        for path, key in zip(paths, keys, strict=True):
            now = time.time_ns()  # before the stat: what is older than this is settled
            try:
                st = path.stat()
            except OSError:
                out.append(None)
                continue
            mark = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
            row = seen.get(key)
            if row is not None and row[:4] == mark:
                out.append((row[4], st.st_size, st.st_mtime_ns))
                continue
            try:
                sha = file_sha256(path)
            except OSError:
                out.append(None)
                continue
            if now - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_SECONDS * 1_000_000_000:
                self._hashed[key] = (*mark, sha)
            out.append((sha, st.st_size, st.st_mtime_ns))
        return out

    def cached_many(self, keys: Sequence[tuple[str, str]], reading: str) -> dict[
            tuple[str, str], Loaded]:
        """The entries of these (sha, path), read the same way by this code, in one query
        per 500 files (by the table's key); a damaged entry is a miss."""
        found: dict[tuple[str, str], Loaded] = {}
        with _no_gc(len(keys)):  # ~300 objects an entry, none in a cycle: no GC meanwhile
            for sha, path, data in _entries_of(self.conn, keys, reading, code_fingerprint()):
                try:
                    found[sha, path] = pickle.loads(data)
                except Exception:  # noqa: BLE001 - a damaged entry is a miss
                    continue
        return found

    def cached(self, sha: str, path: str, reading: str) -> Loaded | None:
        return self.cached_many([(sha, path)], reading).get((sha, path))

    def store(self, entries: Iterable[tuple[str, int, int, str, Loaded]], reading: str) -> None:
        """Remember (sha, size, mtime_ns, path, loaded) of files just read, and the SHA-256
        of every file `sha_many` hashed (`store((), "")`: those only), in one transaction;
        nothing is written when there is nothing new (a failure to write the cache never
        fails the command: it only stays cold)."""
        self.store_each({reading: entries})

    def store_each(self, entries: Mapping[str, Iterable[tuple[str, int, int, str, Loaded]]]
                   ) -> None:
        """`store` of the entries of several ways of reading (reading → entries), in one
        transaction."""
        rows, now, code = [], _now(), code_fingerprint()
        for reading, batch in entries.items():
            for sha, _size, _mtime_ns, path, loaded in batch:
                if loaded.sha256 == sha and not any(i.code in _NOT_CACHED for i in loaded.issues):
                    rows.append((sha, path, code, reading, _entry(loaded), now))
        self._write(rows)

    def blobs(self, keys: Sequence[tuple[str, str]], kind: str) -> dict[tuple[str, str], bytes]:
        """Bytes an output kept of these (sha, path) files (`store_blobs`), made by this code:
        e.g. a club's rows of the merged workbook, already compressed (merge._pieces)."""
        return _blobs(self.conn, keys, kind, code_fingerprint())

    def kept(self, keys: Sequence[tuple[str, str]], kind: str) -> set[tuple[str, str]]:
        """Which of these (sha, path) files have an entry of `kind` made by this code (their
        bytes not read)."""
        return {(sha, path) for sha, path in _entries_of(self.conn, keys, kind,
                                                         code_fingerprint(), data=False)}

    def blobs_later(self, keys: Sequence[tuple[str, str]], kind: str
                    ) -> Callable[[tuple[str, str]], bytes | None]:
        """`blobs`, each taken by the function returned (once: then let go); the first call
        fetches them all, by a read-only connection of its own (this archive may be closed
        by then). An entry gone meanwhile, or an archive that cannot be read then, is None
        (a miss). For entries that are seldom needed: a warm export's rows (`RowsLater`)."""
        path, code, wanted = self.path.resolve(), code_fingerprint(), list(keys)
        found: dict[tuple[str, str], bytes] | None = None

        def take(key: tuple[str, str]) -> bytes | None:
            nonlocal found
            if found is None:
                found = {}
                with contextlib.suppress(sqlite3.Error), contextlib.closing(
                        sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)) as conn:
                    found = _blobs(conn, wanted, kind, code)
            return found.pop(key, None)

        return take

    def store_blobs(self, entries: Iterable[tuple[str, str, str, bytes]]) -> None:
        """Keep (kind, sha, path, bytes) of outputs for `blobs`, in one transaction (a
        failure to write never fails the command)."""
        now, code = _now(), code_fingerprint()
        self._write([(sha, path, code, kind, data, now) for kind, sha, path, data in entries])

    def _write(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert cache rows and the remembered hashes; drop what can never be used again."""
        code = code_fingerprint()
        stats = [(path, *mark) for path, mark in self._hashed.items()]
        self._hashed = {}
        if not rows and not stats:
            return
        with contextlib.suppress(sqlite3.Error), self.transaction() as c:
            c.executemany("INSERT OR REPLACE INTO stats (path, size, mtime_ns, inode, ctime_ns, "
                          "sha256) VALUES (?, ?, ?, ?, ?, ?)", stats)
            if rows:
                # what can never be used again goes: entries of other code, older bytes of a path
                c.execute("DELETE FROM cache WHERE code != ?", (code,))
                # (one pass over the table's key, not one scan of the table a file: no index on
                # path; 1,000 scans of a cache holding rows took 1.7 s)
                new = {(r[1], r[3]): r[0] for r in rows}  # (path, reading) → sha now
                c.executemany("DELETE FROM cache WHERE rowid = ?", [
                    (rowid,) for rowid, sha, path, reading in c.execute(
                        "SELECT rowid, sha256, path, reading FROM cache")
                    if new.get((path, reading), sha) != sha])
                c.executemany("INSERT OR REPLACE INTO cache VALUES (?, ?, ?, ?, ?, ?)", rows)

    # --- the archive -----------------------------------------------------------------------

    def add(self, report: ValidationReport, figures: Mapping[str, tuple[str, dict[str, Any]]]
            | None = None) -> Added:
        """Store every file of `report` read with its records (`validate(keep_records=True)`)
        in one transaction. `figures`: path → (as-of ISO date, the club's figures as JSON).
        An unchanged file (same path, same bytes) is left as it is; a new version of a club's
        (or a commune's) workbook for a year becomes current and the one it replaces is
        marked replaced, with the date."""
        out = Added()
        try:
            with self.transaction() as c:
                known = set(c.execute("SELECT path, sha256 FROM files"))
                new = []
                for f in sorted(_stored(report), key=lambda f: f.path):
                    assert f.loaded is not None
                    if (f.path, f.loaded.sha256) in known:
                        out.unchanged.append(f.path)
                    else:
                        new.append(f)
                saved = {f.path: _saved_at(f.path) for f in new}  # each file opened once
                for f in sorted(new, key=lambda f: (saved[f.path] or "", f.path)):
                    # oldest first: each newer version replaces the one before
                    self._add_file(c, f, out, (figures or {}).get(f.path), saved[f.path])
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(_db_message(self.path, exc, adding=True)) from None
        return out

    def _add_file(self, c: sqlite3.Connection, f: FileResult, out: Added,
                  figures: tuple[str, dict[str, Any]] | None, saved_at: str | None) -> int:
        loaded = f.loaded
        assert loaded is not None
        identity = _identity(f)
        cur = c.execute(
            "INSERT INTO files (path, sha256, size, kind, province, commune, club_id, year, "
            "valid, errors, warnings, issues, saved_at, added_at, tool_version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (f.path, loaded.sha256, _size(f.path), f.kind, *identity, f.year,
             int(f.errors == 0), f.errors, f.warnings,
             json.dumps([i.to_dict("vi") for i in f.issues], ensure_ascii=False),
             saved_at, _now(), __version__))
        new_id = int(cur.lastrowid or 0)
        out.added.append(f.path)
        self._replace(c, new_id, f, identity, out)
        if f.errors == 0:
            self._add_records(c, new_id, loaded)
            c.execute("INSERT INTO loaded VALUES (?, ?)", (new_id, pickle.dumps(loaded, 5)))
            if figures is not None and loaded.club is not None:
                c.execute("INSERT INTO club_figures VALUES (?, ?, ?, ?, ?)",
                          (new_id, loaded.club.info.club_id, f.year, figures[0],
                           json.dumps(figures[1], ensure_ascii=False, sort_keys=True)))
        return new_id

    def _replace(self, c: sqlite3.Connection, new_id: int, f: FileResult,
                 identity: tuple[str | None, ...], out: Added) -> None:
        """One current version per club (or commune) and year: the one saved last. A file
        saved before the current one is kept as replaced by it."""
        saved = c.execute("SELECT saved_at FROM files WHERE id = ?", (new_id,)).fetchone()[0]
        for old_id, old_path, old_saved in c.execute(
                "SELECT id, path, saved_at FROM files WHERE id != ? AND replaced_by IS NULL "
                "AND kind = ? AND year IS ? AND province IS ? AND commune IS ? AND club_id IS ?",
                (new_id, f.kind, f.year, *identity)).fetchall():
            if (old_saved or "") > (saved or ""):
                c.execute("UPDATE files SET replaced_by = ?, replaced_at = ? WHERE id = ?",
                          (old_id, _now(), new_id))
                out.replaced.append((f.path, old_path))
                return
            c.execute("UPDATE files SET replaced_by = ?, replaced_at = ? WHERE id = ?",
                      (new_id, _now(), old_id))
            out.replaced.append((old_path, f.path))

    def _add_records(self, c: sqlite3.Connection, file_id: int, loaded: Loaded) -> None:
        book = loaded.club if loaded.club is not None else loaded.commune
        tables = _ddl.CLUB_TABLES if loaded.club is not None else _ddl.COMMUNE_TABLES
        if book is None:
            return
        for table in tables:
            sheet = _ddl.RECORD_TABLES[table]
            keys = _ddl.record_columns(table)
            if _ddl.is_table_sheet(table):
                rows = [(file_id, r.row, *(_sql(getattr(r, k)) for k in keys))
                        for r in getattr(book, sheet.key)]
            else:
                rows = [(file_id, *(_sql(getattr(book.info, k)) for k in keys))]
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                c.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)

    # --- reading back ----------------------------------------------------------------------

    def years(self) -> list[int]:
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT year FROM files WHERE replaced_by IS NULL AND year IS NOT NULL "
            "AND valid = 1 ORDER BY year")]

    def current(self, year: int) -> list[Loaded]:
        """The workbooks of `year` that count: the current version of each club's and
        commune's workbook, valid, as they were read (records included)."""
        rows = self.conn.execute(
            "SELECT l.data FROM loaded l JOIN files f ON f.id = l.file_id "
            "WHERE f.year = ? AND f.replaced_by IS NULL AND f.valid = 1 ORDER BY f.path",
            (year,)).fetchall()
        return [pickle.loads(r[0]) for r in rows]

    def check(self) -> list[str]:
        """Problems found: SQLite's integrity check, then the archive's own rules."""
        c = self.conn
        problems = [r[0] for r in c.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [msg("archive_msg.foreign_key", table=r[0], row=r[1])
                     for r in c.execute("PRAGMA foreign_key_check")]
        for kind, year, _prov, com, club, n in c.execute(
                "SELECT kind, year, province, commune, club_id, COUNT(*) FROM files "
                "WHERE replaced_by IS NULL AND kind IN ('club', 'commune') AND valid = 1 "
                "GROUP BY kind, year, province, commune, club_id HAVING COUNT(*) > 1"):
            problems.append(msg("archive_msg.two_current", n=n, year=year, who=club or com,
                                kind=msg("archive_msg.kind_club" if kind == "club"
                                         else "archive_msg.kind_commune")))
        for (path,) in c.execute(
                "SELECT path FROM files f WHERE valid = 1 AND kind IN ('club', 'commune') "
                "AND NOT EXISTS (SELECT 1 FROM loaded l WHERE l.file_id = f.id)"):
            problems.append(msg("archive_msg.no_figures", path=path))
        for (path,) in c.execute(
                "SELECT a.path FROM files a JOIN files b ON a.replaced_by = b.id "
                "WHERE b.replaced_by = a.id"):
            problems.append(msg("archive_msg.cycle", path=path))
        return problems


class _Shared:
    """Pickles as a call of `_shared` on its value's pickle: what is equal in many cache
    entries (a workbook's sheet layouts and names: the same in nearly every file of a
    template) is unpickled once per process and shared, read-only, by them."""

    __slots__ = ("data",)

    def __init__(self, value: object):
        self.data = pickle.dumps(value, protocol=5)

    def __reduce__(self) -> tuple[Any, ...]:
        return _shared, (self.data,)


_SHARED: dict[bytes, Any] = {}


def _shared(data: bytes) -> Any:
    value = _SHARED.get(data)
    if value is None:
        if len(_SHARED) >= 1024:
            _SHARED.clear()
        value = _SHARED[data] = pickle.loads(data)
    return value


def entry_of(data: bytes) -> Loaded | None:
    """A cache entry's `Loaded` (as `cached_many` gives it); None when it is damaged."""
    from ..workbook.reader import Loaded

    try:
        loaded = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a damaged entry is a miss
        return None
    return loaded if isinstance(loaded, Loaded) else None


def _entry(loaded: Loaded) -> bytes:
    """A cache entry: `loaded` pickled, its layouts and sheet names as `_Shared`."""
    import dataclasses

    book: Any = loaded.club if loaded.club is not None else loaded.commune
    if book is not None and book.layouts:
        book = dataclasses.replace(book, layouts=_Shared(book.layouts))
    names: Any = _Shared(loaded.sheet_names) if loaded.sheet_names else loaded.sheet_names
    if loaded.club is not None:
        loaded = dataclasses.replace(loaded, club=book, sheet_names=names)
    else:
        loaded = dataclasses.replace(loaded, commune=book, sheet_names=names)
    return pickle.dumps(loaded, protocol=5)


@contextlib.contextmanager
def _no_gc(files: int) -> Iterator[None]:
    """No cyclic collection in the block; what it made goes to the oldest generation, so the
    collections after it do not walk it again and again, and stays frozen after a large
    load of `files` (as after reading in workers: `validation._pool.gc_after_loading`)."""
    import gc

    if not gc.isenabled():
        yield
        return
    from ..validation._pool import gc_after_loading

    gc.disable()
    try:
        yield
    finally:
        gc_after_loading(files)


def _blobs(conn: sqlite3.Connection, keys: Sequence[tuple[str, str]], kind: str,
           code: str) -> dict[tuple[str, str], bytes]:
    return {(sha, path): bytes(data) for sha, path, data in _entries_of(conn, keys, kind, code)}


def _entries_of(conn: sqlite3.Connection, keys: Sequence[tuple[str, str]], reading: str,
                code: str, *, data: bool = True) -> Iterator[tuple[Any, ...]]:
    """(sha, path, data) — (sha, path) without `data` — of the cache entries of these
    (sha, path) files of `reading` made by `code`, in one query per 500 files (by the
    table's key)."""
    wanted = set(keys)
    what = "sha256, path, data" if data else "sha256, path"
    for chunk in _chunks(sorted({sha for sha, _ in keys})):
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(f"SELECT {what} FROM cache WHERE sha256 IN ({marks}) "
                                "AND code = ? AND reading = ?", (*chunk, code, reading)):
            if (row[0], row[1]) in wanted:
                yield row


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _stored(report: ValidationReport) -> list[FileResult]:
    """The files of a report the archive keeps: every workbook read (valid or not), not
    the merged workbooks nor the files that could not be opened as a workbook."""
    results = [*report.files]
    if report.commune_result is not None and report.commune_result not in results:
        results.append(report.commune_result)
    return [f for f in results if f.loaded is not None and f.kind in ("club", "commune")
            and f.loaded.sha256]


def _identity(f: FileResult) -> tuple[str | None, str | None, str | None]:
    """(province, commune, club code) of a file, as it says itself."""
    loaded = f.loaded
    assert loaded is not None
    if loaded.club is not None:
        info = loaded.club.info
        return (f.province or info.province or None, f.commune or info.commune or None,
                info.club_id)
    if loaded.commune is not None:
        return loaded.commune.info.province or None, loaded.commune.info.commune or None, None
    return None, None, None


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _saved_at(path: str) -> str | None:
    from ..validation._across import saved_time

    try:
        when, _ = saved_time(Path(path))
    except OSError:
        return None
    return when.isoformat(timespec="seconds")


def _sql(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)


def _db_message(path: Path, exc: sqlite3.Error, adding: bool = False) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return msg("archive_msg.busy", path=path)
    if "readonly" in text or "read-only" in text:
        return msg("archive_msg.read_only", path=path)
    if "full" in text:
        return msg("archive_msg.disk_full", path=path)
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return msg("archive_msg.corrupt", path=path)
    return msg("archive_msg.cannot_write" if adding else "archive_msg.cannot_open", path=path,
               error=exc)


def reading_key(limits: object, summarise: object, keep_records: bool,
                skip: Iterable[str]) -> str:
    """A fingerprint of how files are read: limits, the figures asked for (period, plan),
    rows kept or not, checks skipped (sorted: a set's order changes between runs)."""
    what = (limits, summarise, keep_records, sorted(skip))
    return hashlib.sha256(pickle.dumps(what, protocol=5)).hexdigest()


def records_of(archive: Archive, table: str) -> Sequence[tuple[Any, ...]]:
    """Every row of a record table of the current files (for tests and analysts)."""
    return archive.conn.execute(
        f"SELECT r.* FROM {table} r JOIN files f ON f.id = r.file_id "
        "WHERE f.replaced_by IS NULL").fetchall()
