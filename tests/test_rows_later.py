"""Rows taken from the cache when first used (`model.RowsLater`, issue 14's nightly export):
a warm merge after one workbook changed unpickles that workbook's rows only, and writes the
very bytes a merge without the cache writes."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest

from clubtool import validation as V
from clubtool.archive import Archive, reading_key
from clubtool.job import figures_for
from clubtool.merge import _pieces as P
from clubtool.merge import merge
from clubtool.model import RowsLater
from clubtool.validation import ValidationReport, validate
from clubtool.workbook._files import DEFAULT_LIMITS

from .factories import changed, club_data, write_club

YEAR = 2027
#: The rows entries' kind: the file as read with its rows, no summary, every check run.
ROWS = reading_key(DEFAULT_LIMITS, None, True, ())


def test_rows_later_is_the_list_it_stands_for() -> None:
    taken: list[str] = []

    def take(key: str) -> list[Any]:
        taken.append(key)
        return [1, 2, 3]

    rows = RowsLater("members", 3, take)
    assert len(rows) == 3 and rows and not rows.taken and taken == []  # counted, not taken
    assert list(rows) == [1, 2, 3] and rows[1:] == [2, 3] and 2 in rows
    assert list(reversed(rows)) == [3, 2, 1] and rows == [1, 2, 3] and [1, 2, 3] == rows
    assert taken == ["members"]  # once
    assert pickle.loads(pickle.dumps(rows)) == [1, 2, 3]
    assert type(pickle.loads(pickle.dumps(rows))) is list
    assert not RowsLater("fund", 0, lambda _k: [])
    with pytest.raises(RuntimeError, match="2 rows kept, 5 expected"):
        list(RowsLater("fund", 5, lambda _k: [0, 0]))


def _club(k: int) -> dict[str, Any]:
    """Club MH-0<k+1>; the clubs' boards have the same names (groups of `Nghi trùng`)."""
    data = club_data(YEAR, f"MH-{k + 1:02d}", members=6 + k)
    for m in data["members"]:
        if not m["role"]:
            m["name"] = f"{m['name']} K{k}"
    return data


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for k in range(4):
        write_club(folder / f"clb_{k + 1:02d}.xlsx", _club(k))
    return folder


def _read(folder: Path, cache: Archive | None) -> ValidationReport:
    """As `merge`, `report` and `export` read: figures made, rows kept."""
    return validate([folder], year=YEAR, summarise=figures_for(year=YEAR), cache=cache)


def _later(report: ValidationReport) -> dict[str, list[Any]]:
    return {Path(f.path).name: [getattr(f.loaded.club, k) for k in
                                ("members", "meetings", "trainings", "outreach", "fund")]
            for f in report.files if f.loaded is not None and f.loaded.club is not None}


def test_a_warm_merge_takes_the_rows_of_the_changed_file_only(tmp_path: Path,
                                                              data: Path) -> None:
    with Archive.open(tmp_path / "cache.sqlite") as cache:
        cold = _read(data, cache)
        assert not any(isinstance(r, RowsLater) for rows in _later(cold).values() for r in rows)
        merge(cold, tmp_path / "cold.xlsx", year=YEAR, cache=cache)  # keeps pieces and people
        write_club(data / "clb_03.xlsx", changed(_club(2), "members", 0, gender="Nữ"))
        warm = _read(data, cache)
        later = _later(warm)
        assert all(isinstance(r, RowsLater) for name, rows in later.items()
                   if name != "clb_03.xlsx" for r in rows)
        merged = merge(warm, tmp_path / "warm.xlsx", year=YEAR, cache=cache)
        assert not any(r.taken for name, rows in later.items() if name != "clb_03.xlsx"
                       for r in rows)  # pieces and people from the cache: no rows unpickled
    assert merged.duplicates >= 1  # the boards' people: the search ran
    fresh = merge(_read(data, None), tmp_path / "fresh.xlsx", year=YEAR)
    assert fresh.duplicates == merged.duplicates
    assert (tmp_path / "warm.xlsx").read_bytes() == (tmp_path / "fresh.xlsx").read_bytes()
    assert _later(warm) == _later(_read(data, None))  # the rows, once taken, are the file's


def test_a_rows_entry_missing_reads_the_file_again(tmp_path: Path, data: Path) -> None:
    with Archive.open(tmp_path / "cache.sqlite") as cache:
        _read(data, cache)
        with cache.transaction() as c:  # the small entries stay; the rows entries go
            assert c.execute("DELETE FROM cache WHERE reading = ?", (ROWS,)).rowcount == 4
        again = _read(data, cache)
    assert _later(again) == _later(_read(data, None))


def test_a_damaged_rows_entry_reads_the_file_again(tmp_path: Path, data: Path) -> None:
    with Archive.open(tmp_path / "cache.sqlite") as cache:
        _read(data, cache)
        with cache.transaction() as c:
            c.execute("UPDATE cache SET data = X'80050102' WHERE reading = ? AND path LIKE ?",
                      (ROWS, "%clb_02.xlsx"))
        warm = _read(data, cache)
    assert _later(warm) == _later(_read(data, None))


def test_rows_of_a_cache_gone_since_are_read_again(tmp_path: Path, data: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows entries are fetched when a sheet's rows are first used, by a connection of
    their own (the warm merge's test fetches them after the cache is closed); a cache deleted
    meanwhile is a miss: each file is read again."""
    with Archive.open(tmp_path / "cache.sqlite") as cache:
        _read(data, cache)
        warm = _read(data, cache)
    kept = _later(warm)["clb_01.xlsx"][0]
    assert isinstance(kept, RowsLater) and len(kept) == 6 and not kept.taken
    for p in tmp_path.glob("cache.sqlite*"):
        p.unlink()
    read_again: list[str] = []
    real = V.load_checked
    monkeypatch.setattr(V, "load_checked", lambda path, *a, **k: (
        read_again.append(Path(path).name), real(path, *a, **k))[1])
    later = {name: [list(r) for r in rows] for name, rows in _later(warm).items()}
    assert sorted(read_again) == ["clb_01.xlsx", "clb_02.xlsx", "clb_03.xlsx", "clb_04.xlsx"]
    monkeypatch.undo()
    assert later == _later(_read(data, None))


def test_a_file_changed_since_it_was_hashed_is_not_taken_for_its_rows(tmp_path: Path,
                                                                       data: Path) -> None:
    """The rows entry damaged and the file changed meanwhile: the rows are neither the old
    ones nor the new ones, the run stops."""
    with Archive.open(tmp_path / "cache.sqlite") as cache:
        _read(data, cache)
        with cache.transaction() as c:
            c.execute("UPDATE cache SET data = X'80050102' WHERE reading = ?", (ROWS,))
        warm = _read(data, cache)
    shutil.copy(data / "clb_02.xlsx", data / "clb_01.xlsx")
    first = next(f for f in warm.files if f.path.endswith("clb_01.xlsx"))
    assert first.loaded is not None and first.loaded.club is not None
    with pytest.raises(RuntimeError, match="đã thay đổi trong khi chạy"):
        len(list(first.loaded.club.members))


def test_a_damaged_people_entry_is_a_miss(tmp_path: Path, data: Path) -> None:
    with Archive.open(tmp_path / "cache.sqlite") as cache:
        merge(_read(data, cache), tmp_path / "1.xlsx", year=YEAR, cache=cache)
        with cache.transaction() as c:
            n = c.execute("UPDATE cache SET data = X'5b01' WHERE reading = ?",
                          (P.PEOPLE_KIND,)).rowcount
        assert n == 4
        merge(_read(data, cache), tmp_path / "2.xlsx", year=YEAR, cache=cache)
    merge(_read(data, None), tmp_path / "3.xlsx", year=YEAR)
    assert (tmp_path / "2.xlsx").read_bytes() == (tmp_path / "3.xlsx").read_bytes()
