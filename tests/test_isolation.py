"""One hostile file never takes the run down (issue 18): every file is read in a worker
process; a worker that aborts, crashes, exits, runs past the time bound or the memory
bound costs that one file (`file-unreadable`, `file-too-large`), and every other file's
result is what it is without the hostile file — with one worker or two, below and above
`POOL_THRESHOLD` files. The process that runs `validate()` parses no file itself.

Hostile files are simulated: `clubtool.validation.load_checked` is replaced (workers are
forked, so they run the replacement) by one that misbehaves on files whose name holds a
marker. It refuses to run in the test's own process, so that a regression fails the test
instead of killing pytest.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import signal
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import clubtool_sample as sample
import pytest
from typer.testing import CliRunner

import clubtool.validation as validation
from clubtool import cli
from clubtool.cli import app
from clubtool.settings import SettingsError, load_settings
from clubtool.validation import (
    POOL_THRESHOLD,
    load_all,
    validate,
)
from clubtool.workbook import isolation
from clubtool.workbook._files import DEFAULT_LIMITS, Limits
from clubtool.workbook.isolation import Bounds, Failure, read_all

from .factories import club_data, commune_data, write_club, write_commune

pytestmark = pytest.mark.skipif(sys.platform != "linux",
                                reason="workers are forked on Linux only (the hooks rely on it)")

TEST_PID = os.getpid()
_real_load_checked = validation.load_checked
FAST = Bounds(max_mb=200, max_seconds=0.5)


def _sleep() -> None:
    time.sleep(30)


def _allocate() -> None:
    block = bytearray(10**9)  # past the 200 MB bound: a MemoryError under RLIMIT_AS
    time.sleep(30)  # (held, for the parent's watch where the worker cannot limit itself)
    del block


HOSTILE: dict[str, Callable[[], object]] = {
    "ABORT": os.abort,
    "SEGV": lambda: os.kill(os.getpid(), signal.SIGSEGV),
    "EXIT": lambda: os._exit(3),
    "SLEEP": _sleep,
    "MEMORY": _allocate,
    "RAISE": lambda: int("không phải số"),
}

CRASH = "tệp hỏng hoặc cố ý gây lỗi: tiến trình đọc tệp dừng đột ngột"
EXPECTED = {
    "ABORT": ("file-unreadable", f"{CRASH} (tín hiệu SIGABRT)"),
    "SEGV": ("file-unreadable", f"{CRASH} (tín hiệu SIGSEGV)"),
    "EXIT": ("file-unreadable", f"{CRASH} (mã thoát 3)"),
    "SLEEP": ("file-too-large", "đọc quá 0,5 giây"),
    "MEMORY": ("file-too-large", "cần hơn 200 MB bộ nhớ"),
}


def hostile_load_checked(path: Path | str, limits: Limits = DEFAULT_LIMITS):
    """`load_checked`, except that a file named with a marker of HOSTILE misbehaves."""
    if os.getpid() == TEST_PID:
        raise AssertionError(f"{Path(path).name} was parsed by the process that runs validate()")
    for marker, act in HOSTILE.items():
        if marker in Path(path).name:
            act()
    return _real_load_checked(path, limits)


@pytest.fixture
def hostile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "load_checked", hostile_load_checked)


@pytest.fixture(scope="module")
def clubs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    d = tmp_path_factory.mktemp("clubs")
    return sample.write_many(d, POOL_THRESHOLD + 5, jobs=2)


SIZES = {"small": 5, "large": POOL_THRESHOLD + 5}


def inputs(clubs: list[Path], size: str, *markers: str) -> list[Path]:
    """The first files of `clubs`, with a hostile copy of one of them third for each marker."""
    files = clubs[:SIZES[size]]
    extra = []
    for marker in markers:
        p = files[0].parent / f"clb_{marker}.xlsx"
        if not p.exists():
            p.write_bytes(files[0].read_bytes())  # a real workbook: only the hook tells
        extra.append(p)
    return files[:2] + extra + files[2:]


def entries(report: validation.ValidationReport, *, without: str = "") -> list[dict]:
    return [f.to_dict("vi") for f in report.files if not (without and without in f.path)]


def issue_of(report: validation.ValidationReport, marker: str) -> list[tuple[str, str]]:
    (f,) = [f for f in report.files if marker in f.path]
    return [(i.code, dict(i.params)["detail"]) for i in f.issues]


_reference: dict[tuple[str, int], tuple[list[dict], list]] = {}


def reference(clubs: list[Path], size: str, jobs: int) -> tuple[list[dict], list]:
    """What validate() says of the files without any hostile one (computed once)."""
    if (size, jobs) not in _reference:
        report = validate(inputs(clubs, size), jobs=jobs, year=2027)
        _reference[size, jobs] = (entries(report), [f.loaded.club for f in report.checked])
    return _reference[size, jobs]


def children() -> list[multiprocessing.process.BaseProcess]:
    return multiprocessing.active_children()


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


# --- each kind of hostile file, 1 or 2 workers, below and above POOL_THRESHOLD -------------------


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("marker", list(EXPECTED))
def test_a_hostile_file_costs_that_file_only(clubs, hostile, marker, jobs, size):
    expected, clubs_expected = reference(clubs, size, jobs)
    fds = open_fds()
    bounds = {"bounds": FAST} if marker == "SLEEP" else {}  # the others: the default bounds
    report = validate(inputs(clubs, size, marker), jobs=jobs, year=2027, **bounds)
    assert issue_of(report, marker) == [EXPECTED[marker]]
    assert entries(report, without=marker) == expected
    assert [f.loaded.club for f in report.checked if marker not in f.path] == clubs_expected
    assert children() == [] and open_fds() == fds  # no worker left, no pipe left open


def test_several_hostile_files_side_by_side(clubs, hostile):
    markers = ("ABORT", "SEGV", "EXIT", "MEMORY")
    expected, _ = reference(clubs, "large", 2)
    report = validate(inputs(clubs, "large", *markers), jobs=2, year=2027, bounds=FAST)
    for marker in markers:
        assert issue_of(report, marker) == [EXPECTED[marker]]
    assert [e for e in entries(report) if not any(m in e["path"] for m in markers)] == expected
    assert children() == []


def test_the_process_running_validate_parses_no_file(clubs, hostile):
    # hostile_load_checked raises in this process: every file goes to a worker, jobs=1 too
    for size in SIZES:
        report = validate(inputs(clubs, size), jobs=1, year=2027)
        assert len(report.valid_clubs()) == SIZES[size]


def test_the_commune_workbook_given_is_read_in_a_worker_too(tmp_path, hostile):
    write_club(tmp_path / "clb.xlsx", club_data(club_id="MH-01"))
    commune = write_commune(tmp_path / "xa_ABORT.xlsx", commune_data())
    report = validate([tmp_path / "clb.xlsx"], commune=commune, jobs=1, year=2027)
    assert report.commune_result is not None
    assert [i.code for i in report.commune_result.issues] == ["file-unreadable"]
    assert len(report.checked) == 2


def test_a_programming_error_in_reading_is_raised_not_hidden(clubs, hostile):
    with pytest.raises(ValueError, match="không phải số") as caught:
        validate(inputs(clubs, "large", "RAISE"), jobs=2)
    assert "hostile_load_checked" in str(caught.value.__cause__)  # the worker's traceback
    assert children() == []


def test_progress_is_reported_up_to_the_last_file(clubs, hostile):
    seen: list[tuple[int, int]] = []
    paths = inputs(clubs, "large", "ABORT")
    load_all(paths, jobs=2, on_progress=lambda done, total, _: seen.append((done, total)))
    assert seen[-1] == (len(paths), len(paths))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_ctrl_c_ends_the_workers(clubs, hostile):
    def interrupt(done: int, total: int, path: str) -> None:
        raise KeyboardInterrupt

    fds = open_fds()
    with pytest.raises(KeyboardInterrupt):
        load_all(inputs(clubs, "large", "SLEEP"), jobs=2, on_progress=interrupt)
    assert children() == [] and open_fds() == fds


def test_results_are_those_of_one_process(clubs):
    reading = validation._Reading()
    paths = [str(p) for p in clubs[:8]]
    for jobs in (1, 2, 3):
        got = load_all([Path(p) for p in paths], jobs=jobs)
        assert [(x.path, x.kind, x.issues, x.club, x.sha256) for x in got] == [
            (x.path, x.kind, x.issues, x.club, x.sha256) for x in map(reading, paths)]


# --- the bounds ---------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["proc", "psutil"])
def test_memory_watched_by_the_parent_where_workers_cannot_limit_themselves(
        clubs, hostile, monkeypatch, how):
    """macOS and Windows: the parent reads each worker's resident memory (psutil there)."""
    monkeypatch.setattr(isolation, "_SELF_LIMITED", False)
    if how == "psutil":
        pytest.importorskip("psutil")  # a dependency off Linux only
        real = isolation._rss_reader
        monkeypatch.setattr(isolation, "_rss_reader", lambda: real(proc=False))
    report = validate(inputs(clubs, "small", "MEMORY"), jobs=2, year=2027,
                      bounds=Bounds(max_mb=100, max_seconds=20))
    assert issue_of(report, "MEMORY") == [("file-too-large", "cần hơn 100 MB bộ nhớ")]
    assert len(report.valid_clubs()) == SIZES["small"]


def test_a_rust_allocation_past_the_bound_is_file_too_large(clubs, monkeypatch, hostile):
    """python-calamine asks for rows × columns cells at once: with one far cell, more than
    any bound. Rust aborts the worker; what it wrote on stderr says why. (`hostile`: never
    parsed here, where the abort would end pytest.)"""
    import clubtool.workbook.reader as reader

    src = clubs[0]
    far = src.parent / "clb_far.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(far, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/sheet") and b"</sheetData>" in data:
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576">'
                                    b"<v>1</v></c></row></sheetData>", 1)
            zout.writestr(info, data)
    real_scan, clean = reader.scan_bytes, src.read_bytes()
    # past the safety scan (which refuses such a file before calamine sees it): it is
    # shown the bytes of the file the far cell was added to (and no stored copy of its
    # parts, `Scan.stored`: calamine reads the far file's own bytes)
    monkeypatch.setattr(reader, "scan_bytes", lambda data, suffix, limits: dataclasses.replace(
        real_scan(clean, suffix, limits), stored=None))
    report = validate([far, *clubs[:3]], jobs=1, year=2027)
    assert issue_of(report, "clb_far") == [("file-too-large", "cần hơn 200 MB bộ nhớ")]
    assert len(report.valid_clubs()) == 3


def test_bounds_come_from_the_settings(tmp_path, monkeypatch, hostile):
    assert (load_settings(env={}).max_file_mb, load_settings(env={}).max_file_seconds) == (200, 3.0)
    (tmp_path / "clubtool.toml").write_text("max_file_mb = 150\nmax_file_seconds = 2.5\n",
                                            encoding="utf-8")
    s = load_settings(env={}, cwd=tmp_path)
    assert (s.max_file_mb, s.max_file_seconds) == (150, 2.5)
    s = load_settings(env={"CLUBTOOL_MAX_FILE_MB": "300", "CLUBTOOL_MAX_FILE_SECONDS": "0,5"},
                      cwd=tmp_path)
    assert (s.max_file_mb, s.max_file_seconds) == (300, 0.5)
    for name, bad in [("MB", "0"), ("MB", "nhiều"), ("MB", "1.5"), ("SECONDS", "0"),
                      ("SECONDS", "-2"), ("SECONDS", "ba")]:
        with pytest.raises(SettingsError, match=f"CLUBTOOL_MAX_FILE_{name}"):
            load_settings(env={f"CLUBTOOL_MAX_FILE_{name}": bad}, cwd=tmp_path)
    # and the commands use them
    d = tmp_path / "du_lieu"
    d.mkdir()
    write_club(d / "clb.xlsx", club_data(club_id="MH-01"))
    write_club(d / "clb_SLEEP.xlsx", club_data(club_id="MH-02"))
    cli.State.lang, cli.State.debug = None, False
    res = CliRunner().invoke(app, ["validate", str(d), "--format", "json"],
                             env={"CLUBTOOL_MAX_FILE_SECONDS": "0.5"})
    assert res.exit_code == 1 and res.exception is None or isinstance(res.exception, SystemExit), (res.output, res.exception)
    (slow,) = [f for f in json.loads(res.stdout)["files"] if "SLEEP" in f["path"]]
    assert [i["code"] for i in slow["issues"]] == ["file-too-large"]
    assert "đọc quá 0,5 giây" in slow["issues"][0]["message"]


# --- the unattended export ----------------------------------------------------------------------


def test_export_with_a_hostile_file_exits_1_and_writes_the_rest(tmp_path, hostile):
    d = tmp_path / "du_lieu"
    d.mkdir()
    write_club(d / "clb_dong.xlsx", club_data(club_id="MH-01"))
    write_club(d / "clb_tay.xlsx", club_data(club_id="MH-02", village="Thôn Tây"))
    write_club(d / "clb_SEGV.xlsx", club_data(club_id="MH-03", village="Thôn Nam"))
    write_commune(d / "xa_mai_hoa_2027.xlsx", commune_data())
    out = tmp_path / "ket_qua"
    cli.State.lang, cli.State.debug = None, False
    res = CliRunner().invoke(app, ["export", "--data", str(d), "--out", str(out),
                                   "--year", "2027"], env={"CLUBTOOL_FORMATS": "md,json"})
    assert res.exit_code == 1, res.output
    final = out / "2027"
    checked = json.loads((final / "kiem_tra_2027.json").read_text(encoding="utf-8"))
    bad = {Path(f["path"]).name: [i["code"] for i in f["issues"]]
           for f in checked["files"] if not f["valid"]}
    assert bad == {"clb_SEGV.xlsx": ["file-unreadable"]}
    indicators = json.loads((final / "chi_tieu_2027.json").read_text(encoding="utf-8"))
    assert len(indicators["clubs"]) == 2 and len(indicators["excluded"]) == 1
    for name in ("tong_hop_2027.xlsx", "bao_cao_2027.md", "bao_cao_2027.json", "manifest.json"):
        assert (final / name).is_file(), name
    assert children() == []


def test_the_year_of_the_data_is_found_past_a_hostile_file(tmp_path, monkeypatch):
    import clubtool.workbook._years as years

    real = years.club_year

    def club_year(path, *, limits=DEFAULT_LIMITS):
        if "ABORT" in str(path):
            assert os.getpid() != TEST_PID, "parsed by the process that runs the command"
            os.abort()
        return real(path, limits=limits)

    monkeypatch.setattr(years, "club_year", club_year)
    write_club(tmp_path / "clb.xlsx", club_data(club_id="MH-01", year=2028))
    write_club(tmp_path / "clb_ABORT.xlsx", club_data(club_id="MH-02", year=2029))
    assert years.club_years([tmp_path]) == {2028: 1}


# --- the pool itself ------------------------------------------------------------------------------


def _lost(item: str, why: Failure) -> Failure:
    return why


def _echo(item: str) -> str:
    if item.startswith("die"):
        os._exit(1)
    return item.upper()


@pytest.mark.parametrize("jobs", [1, 2, 5])
def test_every_item_once_in_order_whatever_dies(jobs):
    items = [f"die{i}" if i % 7 == 3 else f"f{i}" for i in range(60)]
    got = read_all(_echo, items, jobs=jobs, failed=lambda item, why: (item, why.code))
    assert got == [(i, "file-unreadable") if i.startswith("die") else i.upper() for i in items]
    assert read_all(_echo, [], jobs=jobs, failed=_lost) == []
    assert children() == []


def test_shared_objects_come_back_as_the_parents_own():
    class Held:  # (a local class: it could not even be pickled, only referred to)
        pass

    held = Held()
    got = read_all(_Same(held), ["a", "b"], jobs=1, failed=_lost, shared=(held,))
    assert got[0] is held and got[1] is held


class _Same:
    def __init__(self, obj: object):
        self.obj = obj

    def __call__(self, item: str) -> object:
        return self.obj


def zombies() -> list[int]:
    """Children of this process that ended and were never reaped."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if state == "Z" and int(ppid) == os.getpid():
                out.append(int(entry))
    return out


def test_no_zombie_after_many_crashes():
    items = [f"die{i}" for i in range(12)]
    assert read_all(_echo, items, jobs=2, failed=lambda item, why: None) == [None] * 12
    assert children() == [] and zombies() == []


@pytest.fixture(autouse=True)
def _leaves_no_worker() -> Iterator[None]:
    yield
    assert children() == [] and zombies() == []


def test_spawned_workers_as_on_windows_and_macos(clubs, monkeypatch):
    """Where workers are spawned (a fresh interpreter, nothing inherited): what they run is
    found by import, what they are given is pickled, the parent watches their memory."""
    import datetime as dt

    from clubtool.job import figures_for, indicators_for

    monkeypatch.setattr(isolation, "_CONTEXT", multiprocessing.get_context("spawn"))
    monkeypatch.setattr(isolation, "_LINUX", False)  # no stderr pipe: fds are not inherited
    monkeypatch.setattr(isolation, "_SELF_LIMITED", False)
    items = [f"die{i}" if i % 5 == 2 else f"f{i}" for i in range(12)]
    got = read_all(_echo, items, jobs=2, failed=_lost)
    assert got == [("file-unreadable", f"{CRASH} (mã thoát 1)") if i.startswith("die")
                   else i.upper() for i in items]
    as_of = dt.date(2027, 12, 31)
    paths = clubs[:4]
    report = validate(paths, jobs=2, year=2027, summarise=figures_for(year=2027, as_of=as_of),
                      keep_records=False)
    assert entries(report) == entries(validate(paths, jobs=1, year=2027))
    assert indicators_for(report, year=2027, as_of=as_of).to_dict() == indicators_for(
        validate(paths, jobs=1, year=2027), year=2027, as_of=as_of).to_dict()
