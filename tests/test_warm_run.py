"""The fixed costs of a warm run (issue 14, a nightly export where 1 of 1,000 files changed):
what was made cheaper must give the same results — the files found, the figures archived —
and leave the process as it found it where it said it would."""

from __future__ import annotations

import gc
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clubtool.archive import Archive
from clubtool.job import add_to_archive, read, resolve
from clubtool.validation import _pool
from clubtool.workbook._files import READ_SUFFIXES, discover, is_ignored

from .factories import club_data, write_club

ROOT = Path(__file__).resolve().parents[1]


# --- discovering the inputs: one scandir a folder, the same files in the same order --------


def _walk_by_rglob(folder: Path) -> Iterator[Path]:
    """How `_files._walk` found the files before (Path.rglob): the oracle."""
    for child in folder.rglob("*"):
        rel = child.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or is_ignored(child):
            continue
        if child.suffix.lower() in READ_SUFFIXES and child.is_file():
            yield child


_NAMES = st.sampled_from(["a", "B", "~$c", ".d", "e.f", "g h", "Tệp", "x."])
_SUFFIXES = st.sampled_from(["", ".xlsx", ".XLSX", ".xlsm", ".xls", ".ods", ".csv", ".txt"])
_ENTRY = st.tuples(st.lists(_NAMES, max_size=3), _NAMES, _SUFFIXES,
                   st.sampled_from(["file", "folder", "link", "folder link", "broken link"]))


def _make(root: Path, entries: list[tuple[list[str], str, str, str]]) -> None:
    for folders, name, suffix, kind in entries:
        where = root.joinpath(*folders)
        try:
            where.mkdir(parents=True, exist_ok=True)
        except OSError:  # (a file already has that name)
            continue
        path = where / (name + suffix)
        if path.exists() or path.is_symlink():
            continue
        if kind == "file":
            path.write_bytes(b"PK")
        elif kind == "folder":
            path.mkdir()
        elif kind == "link":
            target = root / "dich.xlsx"
            target.write_bytes(b"PK")
            path.symlink_to(target)
        elif kind == "folder link":
            (root / "thu_muc").mkdir(exist_ok=True)
            (root / "thu_muc" / "trong.xlsx").write_bytes(b"PK")
            path.symlink_to(root / "thu_muc", target_is_directory=True)
        else:
            path.symlink_to(root / "khong_co.xlsx")


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need rights on Windows")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(_ENTRY, max_size=25))
def test_the_files_found_are_those_rglob_found_in_the_same_order(
        tmp_path_factory: pytest.TempPathFactory, entries: list[tuple[list[str], str, str, str]]
) -> None:
    root = tmp_path_factory.mktemp("du_lieu")
    _make(root, entries)
    assert discover([root]) == sorted(_walk_by_rglob(root))


def test_files_named_are_kept_as_named_once(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"PK")
    assert discover([tmp_path / "a.xlsx", tmp_path, str(tmp_path / "a.xlsx")]) == \
        [tmp_path / "a.xlsx"]
    assert discover([str(tmp_path / "khong_co")]) == [tmp_path / "khong_co"]  # named: kept


# --- the figures archived are made only for the files new to the archive --------------------


def test_figures_are_made_for_new_files_only_and_are_those_made_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clubtool.indicators.figures import ClubFigures

    d = tmp_path / "du_lieu"
    d.mkdir()
    write_club(d / "clb_dong.xlsx", club_data(club_id="MH-01"))
    write_club(d / "clb_tay.xlsx", club_data(club_id="MH-02", village="Thôn Tây"))
    made: list[str] = []
    real = ClubFigures.to_dict

    def counting(self: ClubFigures, plan: object) -> dict[str, object]:
        made.append(self.club_id)
        return real(self, plan)  # type: ignore[arg-type]

    monkeypatch.setattr(ClubFigures, "to_dict", counting)
    job = resolve([d], options={"year": 2027}, env={}, cwd=tmp_path)
    report = read(job, require=False)
    where = tmp_path / "clubtool.sqlite"
    with Archive.open(where) as archive:
        add_to_archive(archive, job, report)
    assert sorted(made) == ["MH-01", "MH-02"]
    with Archive.open(where) as archive:
        add_to_archive(archive, job, report)  # nothing new: no figures made
    assert sorted(made) == ["MH-01", "MH-02"]
    with sqlite3.connect(where) as c:
        stored = dict(c.execute("SELECT club_id, figures FROM club_figures"))
    import json

    for f in report.checked:
        s = f.loaded.summary
        assert json.loads(stored[s.figures.club_id]) == json.loads(
            json.dumps(real(s.figures, job.plan), ensure_ascii=False, sort_keys=True))


# --- the cyclic GC after a load ---------------------------------------------------------------


@pytest.fixture
def gc_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(_pool, "_kept_frozen", False)
    gc.unfreeze()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_small_load_leaves_nothing_frozen(gc_state: None) -> None:
    gc.disable()
    _pool.gc_after_loading(_pool.KEEP_FROZEN_FROM - 1)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_large_load_stays_frozen_and_a_small_one_after_it_does_not_thaw_it(
        gc_state: None) -> None:
    kept = [object() for _ in range(10)], {"a": [1]}
    gc.disable()
    _pool.gc_after_loading(_pool.KEEP_FROZEN_FROM)
    assert gc.isenabled() and gc.get_freeze_count() > 0
    frozen = gc.get_freeze_count()
    gc.disable()
    _pool.gc_after_loading(1)
    assert gc.get_freeze_count() >= frozen
    assert kept  # (alive while frozen)


def test_the_cache_leaves_a_large_load_frozen(tmp_path: Path, gc_state: None,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "du_lieu"
    d.mkdir()
    write_club(d / "clb_dong.xlsx", club_data(club_id="MH-01"))
    job = resolve([d], options={"year": 2027, "archive": str(tmp_path / "a.sqlite")},
                  env={}, cwd=tmp_path)
    read(job, require=False)  # (stored)
    gc.unfreeze()
    monkeypatch.setattr(_pool, "_kept_frozen", False)
    read(job, require=False)  # one file from the cache: nothing stays frozen
    assert gc.get_freeze_count() == 0
    monkeypatch.setattr(_pool, "KEEP_FROZEN_FROM", 1)
    read(job, require=False)
    assert gc.get_freeze_count() > 0


# --- what a run imports ---------------------------------------------------------------------


def test_no_marked_up_copy_to_write_means_no_openpyxl(tmp_path: Path) -> None:
    """openpyxl (and numpy under it) cost ~0.1 s: not imported when every file is valid."""
    write_club(tmp_path / "clb.xlsx", club_data(club_id="MH-01"))
    code = ("import sys\n"
            "from clubtool.validation import validate\n"
            "from clubtool.validation.annotated import annotate_report\n"
            f"report = validate([{str(tmp_path / 'clb.xlsx')!r}], year=2027)\n"
            "assert not any(f.issues for f in report.files), report.files\n"
            f"assert list(annotate_report(report, {str(tmp_path / 'tra_lai')!r})) == []\n"
            "print('openpyxl' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         encoding="utf-8", timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


# --- the standard's shares: compared in integers, exactly as fractions ------------------------


def _as_fractions(num: int, den: int, lo: float, hi: float) -> tuple[bool, bool]:
    from fractions import Fraction

    a, b = Fraction(repr(lo)), Fraction(repr(hi))
    return (bool(den) and Fraction(num, den) >= a,
            bool(den) and a <= Fraction(num, den) <= b)


_SHARE = st.one_of(st.sampled_from([0.0, 0.5, 0.6, 0.55, 1 / 3, 0.1 + 0.2, 1.0]),
                   st.floats(min_value=0, max_value=1, allow_nan=False))


@settings(max_examples=400, deadline=None)
@given(num=st.integers(-5, 500), den=st.integers(-5, 500), lo=_SHARE, hi=_SHARE)
def test_shares_are_judged_as_exact_fractions(num: int, den: int, lo: float, hi: float) -> None:
    from clubtool.indicators.figures import share_at_least, share_between

    assert (share_at_least(num, den, lo), share_between(num, den, lo, hi)) == \
        _as_fractions(num, den, lo, hi)
