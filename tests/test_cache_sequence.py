"""SPEC §8: the officer's everyday sequence (validate, indicators, merge, report on the same
folder) parses each file once with the cache — a file's rows entry serves what the next
command asks — and every output is byte-identical to the one made without the cache."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clubtool import cli
from clubtool.archive import Archive
from clubtool.job import figures_for
from clubtool.model import RowsLater
from clubtool.validation import validate

from .factories import club_data, commune_data, write_club, write_commune

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
runner = CliRunner()

SEQUENCE = [
    ["validate", "{d}", "--year", "2027", "--format", "json"],
    ["indicators", "{d}", "--year", "2027", "--as-of", "2027-12-31", "--format", "json"],
    ["merge", "{d}", "--year", "2027", "--format", "csv", "-o", "{o}"],
    ["report", "{d}", "--year", "2027", "--as-of", "2027-12-31", "--date", "2027-12-05",
     "--format", "md,json,html", "-o", "{o}"],
]


@pytest.fixture(autouse=True)
def _fresh_cli_state() -> None:
    cli.State.lang, cli.State.debug = None, False


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    import clubtool.validation as V

    calls: list[int] = []
    real = V.load_all

    def counting(files, **how):  # type: ignore[no-untyped-def]
        calls.append(len(files))
        return real(files, **how)

    monkeypatch.setattr(V, "load_all", counting)
    return calls


def _sequence(data: Path, out: Path, extra: list[str]) -> list[tuple[int, str, dict[str, bytes]]]:
    """Each command of the sequence in turn: its exit code, its output and the files made."""
    made = []
    for n, args in enumerate(SEQUENCE):
        folder = out / str(n)
        res = runner.invoke(cli.app, [a.format(d=data, o=folder) for a in args] + extra,
                            env={"COLUMNS": "120"})
        files = {p.relative_to(folder).as_posix(): p.read_bytes()
                 for p in sorted(folder.rglob("*")) if p.is_file()} if folder.exists() else {}
        made.append((res.exit_code, res.stdout, files))
        shutil.rmtree(folder, ignore_errors=True)  # the next run writes to the same place
    return made


def test_the_sequence_on_the_sample_is_the_same_with_and_without_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache_home"))  # an empty cache
    calls = _counting_reads(monkeypatch)
    fresh = _sequence(SAMPLE, tmp_path / "out", ["--no-cache"])
    assert len(calls) == 4 and len(set(calls)) == 1  # without the cache: each one parses
    calls.clear()
    cold = _sequence(SAMPLE, tmp_path / "out", [])
    assert len(calls) == 1  # validate parses; indicators, merge, report take from the cache
    warm = _sequence(SAMPLE, tmp_path / "out", [])
    assert len(calls) == 1
    assert [m[0] for m in fresh] == [1, 1, 1, 1]  # the sample holds errors on purpose
    assert all(m[1] for m in fresh[:2]) and all(m[2] for m in fresh[2:])
    for n in range(len(SEQUENCE)):
        assert cold[n] == fresh[n], SEQUENCE[n][0]
        assert warm[n] == fresh[n], SEQUENCE[n][0]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    d = tmp_path / "du_lieu"
    d.mkdir()
    write_commune(d / "xa_mai_hoa_2027.xlsx", commune_data())
    write_club(d / "clb_dong.xlsx", club_data(club_id="MH-01"))
    write_club(d / "clb_tay.xlsx", club_data(club_id="MH-02", village="Thôn Tây"))
    return d


def _entries(db: Path) -> int:
    with sqlite3.connect(db) as c:
        return int(c.execute("SELECT COUNT(*) FROM cache").fetchone()[0])


def test_after_validate_indicators_parses_nothing(tmp_path: Path, data: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting_reads(monkeypatch)
    figures = figures_for(year=2027)
    db = tmp_path / "cache.sqlite"
    with Archive.open(db) as a:
        validate([data], year=2027, keep_records=False, cache=a)  # `clubtool validate`
        assert calls == [3]
        assert _entries(db) == 6  # each file: its rows entry and the entry asked for
        ind = validate([data], year=2027, summarise=figures, keep_records=False, cache=a)
        assert calls == [3]  # `clubtool indicators`: from the rows entries, nothing parsed
        assert _entries(db) == 9
        rep = validate([data], year=2027, summarise=figures, cache=a)  # merge, report
        assert calls == [3]
        assert _entries(db) == 9  # the indicators' entry, its rows taken from the rows entry
        later = [f.loaded.club.members for f in rep.files  # type: ignore[union-attr]
                 if f.loaded is not None and f.loaded.club is not None]
        assert len(later) == 2 and all(isinstance(m, RowsLater) and not m.taken for m in later)
        again = validate([data], year=2027, summarise=figures, keep_records=False, cache=a)
        assert calls == [3] and _entries(db) == 9
    for cached, keep in ((ind, False), (rep, True), (again, False)):
        afresh = validate([data], year=2027, summarise=figures, keep_records=keep)
        assert cached.to_dict() == afresh.to_dict()
        assert [f.loaded for f in cached.files] == [f.loaded for f in afresh.files]
    clubs = [f.loaded for f in ind.files if f.loaded is not None and f.loaded.club is not None]
    assert len(clubs) == 2 and all(x.summary is not None for x in clubs)
    with pytest.raises(RuntimeError, match="keep_records=False"):
        len(clubs[0].club.members)  # type: ignore[union-attr]  # rows dropped as asked


def test_a_changed_file_is_read_again_not_derived_from_its_old_rows(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from .factories import changed

    calls = _counting_reads(monkeypatch)
    figures = figures_for(year=2027)
    with Archive.open(tmp_path / "cache.sqlite") as a:
        validate([data], year=2027, keep_records=False, cache=a)
        write_club(data / "clb_tay.xlsx",
                   changed(club_data(club_id="MH-02", village="Thôn Tây"), "members", 2,
                           gender="Gái"))
        got = validate([data], year=2027, summarise=figures, keep_records=False, cache=a)
        assert calls == [3, 1]
    afresh = validate([data], year=2027, summarise=figures, keep_records=False)
    assert got.to_dict() == afresh.to_dict() and got.has_errors
    assert [f.loaded for f in got.files] == [f.loaded for f in afresh.files]


def test_files_read_a_chunk_at_a_time_give_the_same_results_and_progress(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import clubtool.validation as V

    monkeypatch.setattr(V, "READ_AT_ONCE", 2)  # 3 files: a chunk of 2, then one of 1
    calls = _counting_reads(monkeypatch)
    seen: list[tuple[int, int]] = []
    figures = figures_for(year=2027)
    with Archive.open(tmp_path / "cache.sqlite") as a:
        got = validate([data], year=2027, summarise=figures, keep_records=False, cache=a,
                       on_progress=lambda done, total, _item: seen.append((done, total)))
        assert calls == [2, 1] and _entries(tmp_path / "cache.sqlite") == 6
        again = validate([data], year=2027, summarise=figures, keep_records=False, cache=a)
        assert calls == [2, 1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1] == (3, 3)
    assert {t for _, t in seen} == {3}
    afresh = validate([data], year=2027, summarise=figures, keep_records=False)
    for cached in (got, again):
        assert cached.to_dict() == afresh.to_dict()
        assert [f.loaded for f in cached.files] == [f.loaded for f in afresh.files]
