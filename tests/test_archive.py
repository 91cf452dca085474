"""The archive (`clubtool.archive`, `clubtool archive`): adding, versions, checks, bad files,
a run killed half-way, and the cache it also is (results byte-identical with and without)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from clubtool import cli
from clubtool.archive import Archive, ArchiveError, records_of
from clubtool.archive import _ddl as ddl
from clubtool.job import JobError, add_to_archive, read, resolve
from clubtool.validation import validate

from .factories import changed, club_data, commune_data, set_saved, write_club, write_commune

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _fresh_cli_state() -> None:
    cli.State.lang, cli.State.debug = None, False


@pytest.fixture
def data(tmp_path: Path) -> Path:
    d = tmp_path / "du_lieu"
    d.mkdir()
    write_commune(d / "xa_mai_hoa_2027.xlsx", commune_data())
    write_club(d / "clb_dong.xlsx", club_data(club_id="MH-01"))
    write_club(d / "clb_tay.xlsx", club_data(club_id="MH-02", village="Thôn Tây"))
    return d


def add(path: Path, *inputs: Path) -> object:
    job = resolve(list(inputs), year="optional", period=False, env={}, cwd=path.parent)
    with Archive.open(path) as archive:
        return add_to_archive(archive, job, read(job, figures=False, require=False))


def count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as c:
        return int(c.execute(sql).fetchone()[0])


# --- adding ---------------------------------------------------------------------------------


def test_adding_stores_every_file_its_records_and_figures(tmp_path: Path, data: Path) -> None:
    db = tmp_path / "kho.sqlite"
    added = add(db, data)
    assert len(added.added) == 3 and not added.unchanged
    assert count(db, "SELECT COUNT(*) FROM files WHERE valid = 1") == 3
    with Archive.open(db) as a:
        members = records_of(a, "members")
        assert len(members) == 2 * len(club_data()["members"])
        assert a.years() == [2027] and len(a.current(2027)) == 3 and a.check() == []
    assert count(db, "SELECT COUNT(*) FROM club_figures") == 2
    assert count(db, "SELECT COUNT(*) FROM villages") == len(commune_data()["villages"])
    with sqlite3.connect(db) as c:  # the readable views: the workbook's own headers
        cols = [d[0] for d in c.execute("SELECT * FROM v_members").description]
        assert "Họ và tên" in cols or any("tên" in col for col in cols)
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_unchanged_file_is_a_no_op(tmp_path: Path, data: Path) -> None:
    db = tmp_path / "kho.sqlite"
    add(db, data)
    before = count(db, "SELECT COUNT(*) FROM members")
    again = add(db, data)
    assert not again.added and len(again.unchanged) == 3 and not again.replaced
    assert count(db, "SELECT COUNT(*) FROM members") == before


def test_a_new_version_becomes_current_and_the_old_one_stays_replaced(
        tmp_path: Path, data: Path) -> None:
    db = tmp_path / "kho.sqlite"
    set_saved(data / "clb_dong.xlsx", dt.datetime(2027, 11, 1, tzinfo=dt.UTC))
    add(db, data)
    newer = changed(club_data(club_id="MH-01"), "members", 0, birth_year=1950)
    write_club(data / "clb_dong.xlsx", newer)
    set_saved(data / "clb_dong.xlsx", dt.datetime(2027, 12, 1, tzinfo=dt.UTC))
    added = add(db, data)
    assert [Path(p).name for p in added.added] == ["clb_dong.xlsx"]
    assert [(Path(a).name, Path(b).name) for a, b in added.replaced] == [
        ("clb_dong.xlsx", "clb_dong.xlsx")]
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT replaced_by IS NULL, replaced_at IS NOT NULL FROM files "
                         "WHERE club_id = 'MH-01' ORDER BY id").fetchall()
    assert rows == [(0, 1), (1, 0)]  # the old one replaced (with its date), the new current
    with Archive.open(db) as a:
        births = [m.birth_year for x in a.current(2027) if x.club and x.club.info.club_id == "MH-01"
                  for m in x.club.members[:1]]
        assert births == [1950] and a.check() == []


def test_an_older_copy_added_later_never_becomes_current(tmp_path: Path, data: Path) -> None:
    db = tmp_path / "kho.sqlite"
    set_saved(data / "clb_dong.xlsx", dt.datetime(2027, 12, 1, tzinfo=dt.UTC))
    add(db, data)
    old = data / "cu" / "clb_dong_cu.xlsx"  # found later in the folder: an older copy
    old.parent.mkdir()
    write_club(old, changed(club_data(club_id="MH-01"), "members", 0, birth_year=1940))
    set_saved(old, dt.datetime(2027, 10, 1, tzinfo=dt.UTC))
    added = add(db, data)
    assert [(Path(a).name, Path(b).name) for a, b in added.replaced] == [
        ("clb_dong_cu.xlsx", "clb_dong.xlsx")]
    with Archive.open(db) as a:
        current = [x.path for x in a.current(2027) if x.club and x.club.info.club_id == "MH-01"]
        assert [Path(p).name for p in current] == ["clb_dong.xlsx"]


def test_the_sample_data_copies_and_faulty_files(tmp_path: Path) -> None:
    db = tmp_path / "kho.sqlite"
    added = add(db, SAMPLE)
    assert [(Path(a).name, Path(b).name) for a, b in added.replaced] == [
        ("clb_mh-02_dong-thinh_lan-1.xlsx", "clb_mh-02_dong-thinh.xlsx")]
    assert count(db, "SELECT COUNT(*) FROM files WHERE valid = 0") == 3
    assert count(db, "SELECT COUNT(*) FROM members m JOIN files f ON f.id = m.file_id "
                     "WHERE f.valid = 0") == 0  # a faulty file's rows are never stored


# --- checks and bad archives -----------------------------------------------------------------


def test_check_finds_a_broken_rule(tmp_path: Path, data: Path) -> None:
    db = tmp_path / "kho.sqlite"
    add(db, data)
    with sqlite3.connect(db) as c:
        c.execute("UPDATE files SET replaced_by = NULL")
        c.execute("INSERT INTO files (path, sha256, size, kind, province, commune, club_id, "
                  "year, valid, errors, warnings, issues, added_at, tool_version) SELECT "
                  "path || '.ban2', sha256, size, kind, province, commune, club_id, year, valid, "
                  "errors, warnings, issues, added_at, tool_version FROM files "
                  "WHERE club_id = 'MH-01'")
    with Archive.open(db) as a:
        problems = a.check()
    assert any("2 bản hiện hành" in p for p in problems)
    assert any("không có số liệu lưu" in p for p in problems)
    res = runner.invoke(cli.app, ["archive", "--check", "--archive", str(db)])
    assert res.exit_code == 1 and "vấn đề" in res.output


def test_a_file_that_is_not_an_archive_is_refused_and_left_alone(tmp_path: Path) -> None:
    junk = tmp_path / "hong.sqlite"
    junk.write_bytes(b"day khong phai sqlite" * 100)
    before = junk.read_bytes()
    with pytest.raises(ArchiveError, match="không phải kho lưu trữ của clubtool hoặc đã bị hỏng"):
        Archive.open(junk)
    assert junk.read_bytes() == before
    other = tmp_path / "khac.sqlite"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE ban_hang (id INTEGER)")
    with pytest.raises(ArchiveError, match="cơ sở dữ liệu SQLite khác"):
        Archive.open(other)
    res = runner.invoke(cli.app, ["archive", str(tmp_path), "--archive", str(other)])
    assert res.exit_code == 2 and "SQLite khác" in res.output


def test_a_newer_archive_is_refused(tmp_path: Path, data: Path) -> None:
    db = tmp_path / "kho.sqlite"
    add(db, data)
    with sqlite3.connect(db) as c:
        c.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ArchiveError, match="phiên bản clubtool mới hơn"):
        Archive.open(db)


def test_an_older_archive_is_migrated_after_a_backup(tmp_path: Path, data: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "kho.sqlite"
    add(db, data)
    import clubtool.archive as archive_module

    now, nxt = ddl.SCHEMA_VERSION, ddl.SCHEMA_VERSION + 1
    monkeypatch.setattr(archive_module, "SCHEMA_VERSION", nxt)
    monkeypatch.setitem(ddl.MIGRATIONS, nxt, "ALTER TABLE files ADD COLUMN ghi_chu TEXT")
    with Archive.open(db) as a:
        assert a.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() \
            == (str(nxt),)
        a.conn.execute("SELECT ghi_chu FROM files").fetchall()
    backup = tmp_path / f"kho.sqlite.bak-{now}"
    assert backup.is_file()
    with sqlite3.connect(backup) as c:
        assert c.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() \
            == (str(now),)


def test_an_archive_of_version_1_is_migrated_and_its_cache_still_serves(
        tmp_path: Path, data: Path) -> None:
    db = tmp_path / "kho.sqlite"
    add(db, data)
    with Archive.open(db) as a:
        validate([data], year=2027, cache=a)  # fills the cache
    with sqlite3.connect(db) as c:  # as version 1 made it
        c.execute("ALTER TABLE stats DROP COLUMN inode")
        c.execute("ALTER TABLE stats DROP COLUMN ctime_ns")
        c.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    entries = count(db, "SELECT COUNT(*) FROM cache")
    with Archive.open(db) as a:
        assert [r[1] for r in a.conn.execute("PRAGMA table_info(stats)")][-2:] == [
            "inode", "ctime_ns"]
        before = validate([data], year=2027).to_dict()
        assert validate([data], year=2027, cache=a).to_dict() == before
    assert (tmp_path / "kho.sqlite.bak-1").is_file()
    assert count(db, "SELECT COUNT(*) FROM cache") == entries  # kept, and used:
    assert count(db, "SELECT COUNT(*) FROM stats WHERE inode IS NULL") == 0  # hashed again


def test_a_locked_archive_says_who_may_hold_it(tmp_path: Path, data: Path) -> None:
    db = tmp_path / "kho.sqlite"
    add(db, data)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        job = resolve([data], year="optional", period=False, env={}, cwd=tmp_path)
        report = read(job, figures=False, require=False)
        with Archive.open(db, timeout=0.2) as a, pytest.raises(ArchiveError,
                                                              match="chương trình khác giữ"):
            # a new version, so that the add has something to write
            report.files[0].loaded.sha256 = "0" * 64  # type: ignore[union-attr]
            a.add(report)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_full_disk_leaves_the_archive_as_it_was(tmp_path: Path, data: Path) -> None:
    db = tmp_path / "kho.sqlite"
    with Archive.open(db) as a:
        pass
    size = count(db, "PRAGMA page_count")
    job = resolve([data], year="optional", period=False, env={}, cwd=tmp_path)
    report = read(job, figures=False, require=False)
    with Archive.open(db) as a:
        a.conn.execute(f"PRAGMA max_page_count = {size + 2}")  # room for almost nothing
        with pytest.raises(ArchiveError, match="Hết chỗ trống"):
            a.add(report)
    assert count(db, "SELECT COUNT(*) FROM files") == 0


def test_a_read_only_archive_is_said(tmp_path: Path, data: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "kho.sqlite"
    add(db, data)
    write_club(data / "clb_moi.xlsx", club_data(club_id="MH-03", village="Thôn Nam"))
    before = db.read_bytes()
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    if root or os.name == "nt":  # root writes anything: open it read-only as SQLite does then
        connect = sqlite3.connect
        monkeypatch.setattr(sqlite3, "connect", lambda path, **kw: connect(
            Path(path).as_uri() + "?mode=ro", uri=True, **kw))
    else:
        db.chmod(0o444)
    try:
        with pytest.raises(JobError, match="chỉ cho đọc"):
            add(db, data)
    finally:
        db.chmod(0o644)
    assert db.read_bytes() == before


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_a_run_killed_half_way_leaves_the_archive_as_it_was(tmp_path: Path, data: Path) -> None:
    """A real process killed in the middle of an add: the archive is the one before."""
    db = tmp_path / "kho.sqlite"
    add(db, data)
    before = count(db, "SELECT COUNT(*) FROM files"), count(db, "SELECT COUNT(*) FROM members")
    more = tmp_path / "them"
    more.mkdir()
    for i in range(3, 9):
        write_club(more / f"clb_{i}.xlsx", club_data(club_id=f"MH-0{i}", village="Thôn Nam"))
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        import clubtool.archive as A
        from clubtool.job import JobError, add_to_archive, read, resolve
        slow = A.Archive._add_records
        def add_records(self, c, file_id, loaded):
            slow(self, c, file_id, loaded)
            print("ghi", flush=True)
            time.sleep(30)
        A.Archive._add_records = add_records
        job = resolve([Path({str(more)!r})], year="optional", period=False, env={{}})
        with A.Archive.open(Path({str(db)!r})) as a:
            add_to_archive(a, job, read(job, figures=False, require=False))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ghi"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    after = count(db, "SELECT COUNT(*) FROM files"), count(db, "SELECT COUNT(*) FROM members")
    assert after == before
    with Archive.open(db) as a:
        assert a.check() == []
    assert len(add(db, more).added) == 6  # and the next run adds them


# --- the command ---------------------------------------------------------------------------


def test_clubtool_archive_in_a_working_folder(tmp_path: Path, data: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "clubtool.toml").write_text('data_dir = "du_lieu"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(cli.app, ["archive"])
    assert res.exit_code == 0, res.output
    assert "thêm 3 tệp, 0 tệp không đổi; các năm có số liệu: 2027." in res.output
    assert (tmp_path / "clubtool.sqlite").is_file()
    res = runner.invoke(cli.app, ["archive"])
    assert "thêm 0 tệp, 3 tệp không đổi" in res.output
    res = runner.invoke(cli.app, ["archive", "--check"])
    assert res.exit_code == 0 and "không có vấn đề" in res.output


def test_export_adds_its_inputs(tmp_path: Path, data: Path) -> None:
    from clubtool.export import export
    from clubtool.settings import load_settings

    (tmp_path / "clubtool.toml").write_text(
        'data_dir = "du_lieu"\nout_dir = "bao_cao"\nformats = ["md"]\nyear = 2027\n',
        encoding="utf-8")
    result = export(load_settings(tmp_path / "clubtool.toml", env={}, cwd=tmp_path),
                    today=dt.date(2028, 1, 10))
    assert result.status == 0, result.messages
    assert count(tmp_path / "clubtool.sqlite", "SELECT COUNT(*) FROM files") == 3


# --- the cache -----------------------------------------------------------------------------

COMMANDS = [
    ["validate", "{d}", "--year", "2027", "--format", "json"],
    ["validate", "{d}", "--year", "2027"],
    ["indicators", "{d}", "--year", "2027", "--as-of", "2027-12-31", "--format", "json"],
    ["indicators", "{d}", "--year", "2027", "--as-of", "2027-12-31", "--format", "csv"],
    ["indicators", "{d}", "--year", "2027", "--as-of", "2027-12-31"],
]


def _outputs(d: Path, env: dict[str, str], extra: list[str]) -> list[tuple[int, str]]:
    out = []
    for args in COMMANDS:
        res = runner.invoke(cli.app, [a.format(d=d) for a in args] + extra, env=env)
        out.append((res.exit_code, res.stdout))
    return out


def test_every_output_is_the_same_with_and_without_the_cache_on_the_sample(
        tmp_path: Path) -> None:
    env = {"COLUMNS": "120"}
    fresh = _outputs(SAMPLE, env, ["--no-cache"])
    cold = _outputs(SAMPLE, env, [])  # fills the cache
    warm = _outputs(SAMPLE, env, [])  # reads from it
    assert fresh == cold == warm
    for args in (["merge", str(SAMPLE), "--year", "2027", "--format", "csv"],
                 ["report", str(SAMPLE), "--year", "2027", "--as-of", "2027-12-31", "--date",
                  "2027-12-05", "--format", "md,json,html"]):
        made = {}
        for how in (["--no-cache"], [], []):
            out = tmp_path / f"o{len(made)}"
            res = runner.invoke(cli.app, [*args, "-o", str(out), *how], env=env)
            assert res.exit_code == 1, res.output
            made[len(made)] = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*"))
                               if p.is_file()}
        assert made[0] == made[1] == made[2]


def test_the_cache_is_used_the_second_time_and_never_for_changed_bytes(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "cache.sqlite"
    import clubtool.validation as V

    calls: list[int] = []
    real = V.load_all

    def counting(files, **how):  # type: ignore[no-untyped-def]
        calls.append(len(files))
        return real(files, **how)

    monkeypatch.setattr(V, "load_all", counting)
    with Archive.open(db) as a:
        first = validate([data], year=2027, cache=a)
        second = validate([data], year=2027, cache=a)
        assert calls == [3]  # the second run read nothing
        assert second.to_dict() == first.to_dict()
        write_club(data / "clb_tay.xlsx",
                   changed(club_data(club_id="MH-02", village="Thôn Tây"), "members", 2,
                           gender="Gái"))
        third = validate([data], year=2027, cache=a)
        assert calls == [3, 1] and third.has_errors and not first.has_errors
        moved = tmp_path / "khac"
        shutil.copytree(data, moved)
        validate([moved], year=2027, cache=a)  # same bytes elsewhere: read there too
        assert calls == [3, 1, 3]


def test_a_cache_entry_gives_back_what_was_read(tmp_path: Path, data: Path) -> None:
    from clubtool.validation import load_checked

    write_club(data / "clb_bac.xlsx", club_data(club_id="MH-03", village="Thôn Bắc"))
    read_now = [load_checked(p) for p in sorted(data.glob("*.xlsx"))]
    with Archive.open(tmp_path / "cache.sqlite") as a:
        a.store([(x.sha256, 0, 0, x.path, x) for x in read_now], "k")
        got = a.cached_many([(x.sha256, x.path) for x in read_now], "k")
    again = [got[x.sha256, x.path] for x in read_now]
    assert again == read_now  # records, layouts, sheet names, issues: equal
    clubs = [x for x in again if x.club is not None]
    layouts = [x.club.layouts for x in clubs if x.club is not None]
    assert len(layouts) == 3 and layouts[0] == layouts[1]
    assert layouts[0] is layouts[1]  # equal: one object, shared
    assert clubs[0].sheet_names is clubs[2].sheet_names


def _settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written a moment ago count as settled (not `RACY_SECONDS` old)."""
    import clubtool.archive as A

    monkeypatch.setattr(A, "RACY_SECONDS", 0)


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    import clubtool.validation as V

    calls: list[int] = []
    real = V.load_all

    def counting(files, **how):  # type: ignore[no-untyped-def]
        calls.append(len(files))
        return real(files, **how)

    monkeypatch.setattr(V, "load_all", counting)
    return calls


def _hashing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import clubtool.archive as A

    hashed: list[str] = []
    real = A.file_sha256

    def counting(path: Path) -> str:
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(A, "file_sha256", counting)
    return hashed


def test_a_settled_file_is_not_hashed_again_and_nothing_is_written(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _settled(monkeypatch)
    hashed = _hashing(monkeypatch)
    db = tmp_path / "cache.sqlite"
    with Archive.open(db) as a:
        validate([data], year=2027, cache=a)
        assert len(hashed) == 3
        changes = a.conn.total_changes
        validate([data], year=2027, cache=a)
        assert len(hashed) == 3  # size, times and inode as when hashed: not hashed again
        assert a.conn.total_changes == changes  # all from the cache: nothing written


def test_a_file_modified_just_before_it_was_hashed_is_hashed_each_time(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hashed = _hashing(monkeypatch)  # the fixture's files were written just now
    with Archive.open(tmp_path / "cache.sqlite") as a:
        validate([data], year=2027, cache=a)
        validate([data], year=2027, cache=a)
    assert len(hashed) == 6  # a change in the same tick of the clock would not show


@pytest.mark.skipif(os.name == "nt", reason="ctime is the creation time on Windows")
def test_a_file_changed_in_place_with_its_size_and_mtime_put_back_is_seen(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _settled(monkeypatch)
    calls = _counting_reads(monkeypatch)
    target = data / "clb_tay.xlsx"
    with Archive.open(tmp_path / "cache.sqlite") as a:
        first = validate([data], year=2027, cache=a)
        assert calls == [3] and not first.has_errors
        st = target.stat()
        raw = bytearray(target.read_bytes())
        raw[len(raw) // 2] ^= 0xFF  # same size, same inode: another content (a damaged zip)
        with target.open("r+b") as f:
            f.write(raw)
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # the time put back
        assert (target.stat().st_size, target.stat().st_mtime_ns, target.stat().st_ino) == (
            st.st_size, st.st_mtime_ns, st.st_ino)
        second = validate([data], year=2027, cache=a)
    assert calls == [3, 1]  # its ctime moved: hashed, then read again
    assert second.to_dict() == validate([data], year=2027).to_dict() != first.to_dict()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gender=st.sampled_from(["Nam", "Nữ", "Gái", ""]), birth=st.integers(1900, 2030),
       attendance=st.integers(0, 50))
def test_a_cache_entry_never_changes_a_result(tmp_path_factory: pytest.TempPathFactory,
                                              gender: str, birth: int, attendance: int) -> None:
    d = tmp_path_factory.mktemp("ds")
    write_commune(d / "xa.xlsx", commune_data())
    data = changed(club_data(club_id="MH-01"), "members", 1, gender=gender, birth_year=birth)
    data = changed(data, "meetings", 0, attendance=attendance)
    write_club(d / "clb.xlsx", data)
    fresh = validate([d], year=2027).to_dict()
    with Archive.open(d.parent / f"{d.name}.sqlite") as a:
        assert validate([d], year=2027, cache=a).to_dict() == fresh
        assert validate([d], year=2027, cache=a).to_dict() == fresh


def test_outside_a_working_folder_the_cache_is_in_the_users_cache_folder(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    job = resolve([data], options={"year": 2027}, env={}, cwd=tmp_path)
    assert job.cache_path is not None and job.cache_path.name == "cache.sqlite"
    assert str(job.cache_path).startswith(os.environ["XDG_CACHE_HOME"]) or os.name == "nt"
    assert resolve([data], options={"year": 2027, "cache": False}, env={},
                   cwd=tmp_path).cache_path is None
    time.sleep(0)


def test_docs_archive_md_describes_every_table_view_and_column(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "archive.md").read_text(encoding="utf-8")
    with Archive.open(tmp_path / "kho.sqlite") as a:
        objects = a.conn.execute("SELECT type, name FROM sqlite_master WHERE type IN "
                                 "('table', 'view')").fetchall()
        for kind, name in objects:
            assert f"`{name}`" in doc, (kind, name)
            for col in a.conn.execute(f"PRAGMA table_info({name})").fetchall():
                if kind == "table" and col[1] not in ("file_id", "row", "id"):
                    assert col[1] in doc, (name, col[1])


def test_the_annual_report_compares_with_last_year_when_it_is_archived(
        tmp_path: Path, data: Path) -> None:
    last = tmp_path / "nam_2026"
    last.mkdir()
    write_commune(last / "xa_mai_hoa_2026.xlsx", commune_data(year=2026))
    write_club(last / "clb_dong_2026.xlsx", club_data(year=2026, club_id="MH-01"))
    db = tmp_path / "kho.sqlite"
    env = {"CLUBTOOL_ARCHIVE": str(db), "COLUMNS": "120"}
    args = ["report", str(data), "--year", "2027", "--as-of", "2027-12-31", "--date",
            "2027-12-05", "--format", "md", "--force"]
    res = runner.invoke(cli.app, [*args, "-o", str(tmp_path / "truoc")], env=env)
    assert res.exit_code == 0, res.output
    assert "So với năm trước" not in (tmp_path / "truoc" / "bao_cao_2027.md").read_text("utf-8")
    assert runner.invoke(cli.app, ["archive", str(last), "--archive", str(db)]).exit_code == 0
    res = runner.invoke(cli.app, [*args, "-o", str(tmp_path / "sau")], env=env)
    assert res.exit_code == 0, res.output
    text = (tmp_path / "sau" / "bao_cao_2027.md").read_text("utf-8")
    assert "So với năm trước" in text and "So với năm 2026:" in text


# --- years side by side and the phase review, from the archive ------------------------------


@pytest.fixture(scope="module")
def three_years(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Mai Hoa 2026-2028 (scripts/clubtool_years.py), archived."""
    from clubtool_years import write_years

    root = tmp_path_factory.mktemp("nam")
    write_years(root / "du_lieu", years=range(2026, 2029))
    db = root / "kho.sqlite"
    res = runner.invoke(cli.app, ["archive", str(root / "du_lieu"), "--archive", str(db)])
    assert res.exit_code == 0, res.output
    return root / "du_lieu", db


def test_years_from_the_archive_equal_each_year_computed_from_its_files(
        three_years: tuple[Path, Path]) -> None:
    import json

    data, db = three_years
    res = runner.invoke(cli.app, ["indicators", "--years", "2026-2028", "--archive", str(db),
                                  "--format", "json"])
    assert res.exit_code == 0, res.output
    side = json.loads(res.stdout)
    assert side["years"] == [2026, 2027, 2028] and side["missing_years"] == []
    for year in (2026, 2027, 2028):
        one = runner.invoke(cli.app, ["indicators", str(data / str(year)), "--year", str(year),
                                      "--as-of", f"{year}-12-31", "--format", "json"])
        direct = {v["id"]: v for v in json.loads(one.stdout)["indicators"]}
        for v in side["indicators"]:
            cell = v["by_year"][str(year)]
            d = direct[v["id"]]
            assert (cell["numerator"], cell["denominator"], cell["value"], cell["status"]) == (
                d["numerator"], d["denominator"], d["value"], d["status"]), (year, v["id"])


def test_the_phase_review_from_the_archive(three_years: tuple[Path, Path],
                                           tmp_path: Path) -> None:
    _, db = three_years
    res = runner.invoke(cli.app, ["report", "--phase", "2026-2030", "--archive", str(db),
                                  "--format", "md,json", "--date", "2030-12-20", "-o",
                                  str(tmp_path)])
    assert res.exit_code == 1, res.output  # 2029 and 2030 are not in the archive: said
    assert "Không có số liệu trong kho cho năm: 2029, 2030" in res.output
    text = (tmp_path / "so_ket_2026_2030.md").read_text(encoding="utf-8")
    assert "Sơ kết 5 năm" in text and "2029" in text
    assert (tmp_path / "so_ket_2026_2030.json").is_file()


def test_years_and_phase_ask_for_the_archive_not_for_files(three_years: tuple[Path, Path],
                                                            tmp_path: Path) -> None:
    data, db = three_years
    res = runner.invoke(cli.app, ["indicators", str(data), "--years", "2026-2028"])
    assert res.exit_code == 2 and "kho lưu trữ" in res.output
    res = runner.invoke(cli.app, ["indicators", "--years", "2026-2028", "--archive",
                                  str(tmp_path / "khong_co.sqlite")])
    assert res.exit_code == 2 and "Không tìm thấy kho lưu trữ" in res.output
    res = runner.invoke(cli.app, ["indicators", "--years", "2030-2026", "--archive", str(db)])
    assert res.exit_code == 2 and "2026-2030" in res.output


def test_the_cache_keeps_one_entry_per_file_and_way_of_reading(tmp_path: Path,
                                                               data: Path) -> None:
    db = tmp_path / "cache.sqlite"
    with Archive.open(db) as a:
        validate([data], year=2027, cache=a)
        assert count(db, "SELECT COUNT(*) FROM cache") == 3
        write_club(data / "clb_tay.xlsx", changed(club_data(club_id="MH-02", village="Thôn Tây"),
                                                  "members", 0, birth_year=1951))
        validate([data], year=2027, cache=a)
        assert count(db, "SELECT COUNT(*) FROM cache") == 3  # the old bytes' entry is gone
        a.conn.execute("UPDATE cache SET code = 'cu' WHERE path LIKE '%clb_dong%'")
        write_club(data / "clb_dong.xlsx", changed(club_data(club_id="MH-01"), "members", 0,
                                                   birth_year=1952))
        validate([data], year=2027, cache=a)
        assert count(db, "SELECT COUNT(*) FROM cache WHERE code = 'cu'") == 0
