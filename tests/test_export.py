"""`export()` and `clubtool export`: outputs, manifest, skip when unchanged, lock, atomicity.

Reliability cases: a failure half-way (an error, a full disk) leaves the previous outputs
byte for byte and no staging folder; 100 inputs of which 3 are corrupt; two runs at once;
a run killed with SIGKILL; Vietnamese names with spaces; bad settings.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import clubtool.export as ex
from clubtool import __version__, cli
from clubtool.cli import app
from clubtool.export import ExportResult, export
from clubtool.settings import load_settings

from .factories import changed, club_data, commune_data, write_club, write_commune

runner = CliRunner()
TODAY = dt.date(2028, 1, 10)  # after the report year: as-of is 31/12/2027
FAST = "md,json"  # report formats that render in milliseconds
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="signals and POSIX file names")
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """du_lieu/: two valid clubs and the commune workbook."""
    d = tmp_path / "du_lieu"
    d.mkdir()
    write_club(d / "clb_dong.xlsx", club_data(club_id="MH-01"))
    write_club(d / "clb_tay.xlsx", club_data(club_id="MH-02", village="Thôn Tây"))
    write_commune(d / "xa_mai_hoa_2027.xlsx", commune_data())
    return d


def add_invalid(data: Path) -> Path:
    bad = changed(club_data(club_id="MH-03", village="Thôn Nam"), "members", 10, gender="Gái")
    return write_club(data / "clb_nam.xlsx", bad)


def settings_for(tmp_path: Path, data: Path, **options: object):
    opts: dict[str, object] = {"data_dir": data, "out_dir": tmp_path / "ket_qua",
                               "formats": FAST}
    opts.update(options)
    return load_settings(options=opts, env={}, cwd=tmp_path)


def run_export(tmp_path: Path, data: Path, *, force: bool = False, **options: object) -> ExportResult:
    return export(settings_for(tmp_path, data, **options), year=2027, force=force, today=TODAY)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    """Anything in the output folder other than the year folders, the log, the lock and the
    archive (kept there when there is no clubtool.toml)."""
    allowed = {ex.LOG_NAME, ex.LOCK_NAME, "clubtool.sqlite", "clubtool.sqlite-wal",
               "clubtool.sqlite-shm"}
    return sorted(p.name for p in out.iterdir()
                  if p.name not in allowed and not (p.is_dir() and p.name.isdigit()))


def cli_run(*args: object, env: dict[str, str] | None = None):
    cli.State.lang, cli.State.debug = None, False
    return runner.invoke(app, ["export", *map(str, args)], env=env)


def subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUBTOOL_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("COLUMNS", None)
    return env


# --- what is written ------------------------------------------------------------------------


def test_writes_every_output_into_the_year_folder(tmp_path: Path, data: Path) -> None:
    result = run_export(tmp_path, data)
    out = tmp_path / "ket_qua"
    final = out / "2027"
    assert result.status == 0, result.messages
    assert result.folder == final and not result.unchanged
    names = {p.relative_to(final).as_posix() for p in final.rglob("*") if p.is_file()}
    expected = {"kiem_tra_2027.json", "chi_tieu_2027.json", "chi_tieu_2027.csv",
                "tong_hop_2027.xlsx", "bao_cao_2027.md", "bao_cao_2027.json", "manifest.json",
                "tong_hop_mai_hoa_2027.json"}  # the last: the commune's summary (docs/summary.md)
    assert expected <= names
    assert names - expected <= {n for n in names if n.startswith("tra_lai/")}  # warnings only
    assert sorted(result.written) == sorted(final / n for n in names)
    assert leftovers(out) == []
    assert not (out / ex.LOCK_INFO_NAME).exists()

    checked = json.loads((final / "kiem_tra_2027.json").read_text(encoding="utf-8"))
    assert checked["valid"] is True and checked["summary"]["files"] == 3
    indicators = json.loads((final / "chi_tieu_2027.json").read_text(encoding="utf-8"))
    assert indicators["year"] == 2027 and indicators["as_of"] == "2027-12-31"
    assert {c["club_id"] for c in indicators["clubs"]} == {"MH-01", "MH-02"}
    assert (final / "chi_tieu_2027.csv").read_bytes().startswith(b"\xef\xbb\xbfid,name,")  # BOM
    wb = openpyxl.load_workbook(final / "tong_hop_2027.xlsx", read_only=True)
    assert "CLB" in wb.sheetnames and "Thành viên" in wb.sheetnames
    wb.close()

    manifest = json.loads((final / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == __version__ and manifest["year"] == 2027
    assert manifest["status"] == 0
    assert manifest["inputs"] == {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                                  for p in data.iterdir()}
    assert manifest["settings"]["formats"] == ["md", "json"]
    assert manifest["settings"]["as_of"] == "2027-12-31"
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((final / name).read_bytes()).hexdigest() == digest


def test_log_has_a_line_per_step_with_timings_and_the_summary(tmp_path: Path, data: Path) -> None:
    lines: list[str] = []
    result = export(settings_for(tmp_path, data), year=2027, today=TODAY, log=lines.append)
    text = (tmp_path / "ket_qua" / "clubtool.log").read_text(encoding="utf-8")
    assert result.log_file == tmp_path / "ket_qua" / "clubtool.log"
    assert lines == result.messages
    for step in ("Bắt đầu xuất năm 2027", "Kiểm tra: 3 tệp", "Chỉ tiêu:", "Tổng hợp:",
                 "Báo cáo: bao_cao_2027.md, bao_cao_2027.json", "Kết thúc"):
        assert step in text
    assert sum(1 for line in text.splitlines() if line.endswith(" s)")) >= 6
    assert f"[{os.getpid()}]" in text
    assert "Mã kết quả: 0." in text.splitlines()[-1]


def test_the_log_is_rotated(tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ex, "LOG_MAX_BYTES", 300)
    for _ in range(4):
        run_export(tmp_path, data)
    out = tmp_path / "ket_qua"
    assert (out / "clubtool.log.1").is_file()
    assert (out / "clubtool.log").stat().st_size < 2000


def test_some_invalid_inputs_give_status_1_and_marked_up_copies(tmp_path: Path, data: Path) -> None:
    bad = add_invalid(data)
    result = run_export(tmp_path, data)
    final = tmp_path / "ket_qua" / "2027"
    assert result.status == 1
    assert [p for p, _ in result.excluded] == [str(bad)]
    assert (final / "tra_lai" / "clb_nam.xlsx").is_file()
    indicators = json.loads((final / "chi_tieu_2027.json").read_text(encoding="utf-8"))
    assert [e["path"] for e in indicators["excluded"]] == [str(bad)]
    assert json.loads((final / "manifest.json").read_text(encoding="utf-8"))["status"] == 1


def test_year_defaults_to_settings_then_this_year(tmp_path: Path, data: Path) -> None:
    s = settings_for(tmp_path, data, year=2027)
    assert export(s, today=TODAY).folder == tmp_path / "ket_qua" / "2027"
    s = settings_for(tmp_path, data)
    result = export(s, today=dt.date(2027, 6, 1))
    assert result.year == 2027 and result.status == 0
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["settings"]["as_of"] == "2027-06-01"  # "auto": today, inside the year


def _toml_without_year(tmp_path: Path) -> Path:
    config = tmp_path / "clubtool.toml"
    config.write_text('data_dir = "du_lieu"\nout_dir = "bao_cao"\nformats = ["md"]\n',
                      encoding="utf-8")
    return config


def test_without_a_year_the_latest_year_of_the_data_is_used_and_the_log_says_why(
        tmp_path: Path, data: Path) -> None:
    """`init --year 2027` forgotten, or January while last year is still being closed: the
    nightly run (in 2026) must not look for 2026 files and give up."""
    (data / "nam_truoc").mkdir()
    write_club(data / "nam_truoc" / "clb_dong_2026.xlsx", club_data(year=2026, club_id="MH-01"))
    config = _toml_without_year(tmp_path)
    settings = load_settings(config, env={}, cwd=tmp_path)
    assert settings.year is None
    result = export(settings, today=dt.date(2026, 12, 4))
    assert result.status == 0, result.messages
    assert result.year == 2027 and result.folder == tmp_path / "bao_cao" / "2027"
    assert (result.folder / "bao_cao_2027.md").is_file()
    why = ("Năm báo cáo: 2027 — năm mới nhất có tệp câu lạc bộ trong du_lieu (không có year "
           "trong clubtool.toml).")
    assert any(m.startswith(why) for m in result.messages), result.messages
    assert "2 tệp năm 2027, 1 tệp năm 2026" in "\n".join(result.messages)
    assert why in (tmp_path / "bao_cao" / ex.LOG_NAME).read_text(encoding="utf-8")
    summary = json.loads((result.folder / "kiem_tra_2027.json").read_text(encoding="utf-8"))
    assert summary["summary"]["valid"] == 3  # the 2026 file is skipped, not an error


def test_in_january_the_year_being_closed_is_used(tmp_path: Path) -> None:
    d = tmp_path / "du_lieu"
    d.mkdir()
    write_club(d / "clb_dong.xlsx", club_data(year=2026))
    result = export(load_settings(_toml_without_year(tmp_path), env={}, cwd=tmp_path),
                    today=dt.date(2027, 1, 8))
    assert result.status == 0 and result.year == 2026, result.messages


def test_a_year_given_or_configured_wins_over_the_data(tmp_path: Path, data: Path) -> None:
    write_club(data / "clb_2026.xlsx", club_data(year=2026, club_id="MH-09"))
    config = _toml_without_year(tmp_path)
    settings = load_settings(config, env={"CLUBTOOL_YEAR": "2026"}, cwd=tmp_path)
    result = export(settings, today=TODAY)
    assert result.year == 2026 and not any("Năm báo cáo:" in m for m in result.messages)


def test_cli_export_without_a_year_says_which_year_it_chose(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _toml_without_year(tmp_path)
    monkeypatch.chdir(tmp_path)
    res = cli_run()
    assert res.exit_code == 0, res.output
    assert "Năm báo cáo: 2027 — năm mới nhất có tệp câu lạc bộ trong du_lieu" in res.output
    assert (tmp_path / "bao_cao" / "2027" / "bao_cao_2027.md").is_file()


# --- skip when unchanged ------------------------------------------------------------------


def test_unchanged_inputs_rewrite_nothing_and_keep_the_status(tmp_path: Path, data: Path) -> None:
    add_invalid(data)
    first = run_export(tmp_path, data)
    final = tmp_path / "ket_qua" / "2027"
    before = stats(final)
    second = run_export(tmp_path, data)
    assert second.unchanged and second.status == first.status == 1
    assert second.written == []
    assert any("Không có gì thay đổi" in m and "--force" in m for m in second.messages)
    assert stats(final) == before
    assert second.excluded == first.excluded


def test_force_rewrites(tmp_path: Path, data: Path) -> None:
    run_export(tmp_path, data)
    final = tmp_path / "ket_qua" / "2027"
    before = stats(final)
    again = run_export(tmp_path, data, force=True)
    assert not again.unchanged and again.status == 0 and again.written
    after = stats(final)
    assert after.keys() == before.keys()
    assert all(after[k] != before[k] for k in before)


@pytest.mark.parametrize("change", ["input", "new_input", "formats", "deleted_output", "as_of"])
def test_a_change_makes_it_run_again(tmp_path: Path, data: Path, change: str) -> None:
    run_export(tmp_path, data)
    final = tmp_path / "ket_qua" / "2027"
    options: dict[str, object] = {}
    if change == "input":
        write_club(data / "clb_tay.xlsx", club_data(club_id="MH-02", village="Thôn Tây",
                                                     members=55))
    elif change == "new_input":
        (data / "thon_nam").mkdir()
        write_club(data / "thon_nam" / "clb_nam.xlsx", club_data(club_id="MH-03",
                                                                  village="Thôn Nam"))
    elif change == "formats":
        options["formats"] = "md"
    elif change == "deleted_output":
        (final / "chi_tieu_2027.csv").unlink()
    else:
        options["as_of"] = "2027-11-30"
    result = run_export(tmp_path, data, **options)
    assert not result.unchanged and result.written, result.messages
    assert (final / "chi_tieu_2027.csv").is_file()
    if change == "formats":
        assert not (final / "bao_cao_2027.json").exists()


def test_the_officers_own_files_in_the_year_folder_are_kept(tmp_path: Path, data: Path) -> None:
    run_export(tmp_path, data)
    final = tmp_path / "ket_qua" / "2027"
    (final / "ghi_chu.txt").write_text("đã gửi huyện ngày 5/12", encoding="utf-8")
    result = run_export(tmp_path, data, force=True)
    assert result.status == 0
    assert (final / "ghi_chu.txt").read_text(encoding="utf-8") == "đã gửi huyện ngày 5/12"
    assert any("ghi_chu.txt" in m for m in result.messages)


def test_outputs_inside_the_data_folder_are_never_read_as_inputs(tmp_path: Path, data: Path) -> None:
    add_invalid(data)  # so that a marked-up club workbook lands in tra_lai/
    first = run_export(tmp_path, data, out_dir=data / "bao_cao")
    assert (data / "bao_cao" / "2027" / "tra_lai" / "clb_nam.xlsx").is_file()
    again = run_export(tmp_path, data, out_dir=data / "bao_cao", force=True)
    assert again.summary == first.summary and again.status == 1
    third = run_export(tmp_path, data, out_dir=data / "bao_cao")
    assert third.unchanged


# --- failures half-way ----------------------------------------------------------------------


def _fail_report(*_a: object, **_k: object) -> list[Path]:
    raise RuntimeError("máy in hỏng")


def _disk_full_merge(report: object, out: Path, **_k: object) -> object:
    Path(out).write_bytes(b"PK\x03\x04 half a workbook")
    raise OSError(errno.ENOSPC, "No space left on device", str(out))


@pytest.mark.parametrize(("module", "name", "fake", "words"), [
    ("clubtool.report", "prepare_report", _fail_report, "Lỗi không mong đợi: máy in hỏng"),
    ("clubtool.merge", "merge", _disk_full_merge, "Hết chỗ trống trên đĩa"),
])
def test_a_failure_half_way_leaves_the_previous_outputs(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch, module: str, name: str,
        fake: object, words: str) -> None:
    assert run_export(tmp_path, data).status == 0
    out = tmp_path / "ket_qua"
    before = snapshot(out / "2027")
    add_invalid(data)  # something changed: the run is not skipped
    monkeypatch.setattr(f"{module}.{name}", fake)
    result = run_export(tmp_path, data)
    assert result.status == 2
    assert any(words in m for m in result.messages), result.messages
    assert snapshot(out / "2027") == before
    assert leftovers(out) == []
    assert words in (out / "clubtool.log").read_text(encoding="utf-8")
    monkeypatch.undo()
    assert run_export(tmp_path, data).status == 1  # and the next run goes through


def test_a_failed_swap_puts_the_previous_outputs_back(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_export(tmp_path, data)
    out = tmp_path / "ket_qua"
    before = snapshot(out / "2027")
    add_invalid(data)
    real = os.replace
    calls: list[str] = []

    def replace(src: object, dst: object) -> None:
        calls.append(Path(str(src)).name)
        if Path(str(src)).name.startswith(".2027.tmp-"):
            raise PermissionError(errno.EACCES, "in use (Excel)", str(dst))
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(ex.os, "replace", replace)
    result = run_export(tmp_path, data)
    assert result.status == 2
    assert any("Không có quyền ghi" in m and "Excel" in m for m in result.messages)
    assert snapshot(out / "2027") == before
    assert leftovers(out) == []


def test_a_run_stopped_between_the_two_renames_is_repaired(tmp_path: Path, data: Path) -> None:
    run_export(tmp_path, data)
    out = tmp_path / "ket_qua"
    before = snapshot(out / "2027")
    os.replace(out / "2027", out / ".2027.old-dead01")  # as a run killed mid-swap leaves it
    (out / ".2027.tmp-dead02").mkdir()
    (out / ".2027.tmp-dead02" / "tong_hop_2027.xlsx").write_bytes(b"half")
    result = run_export(tmp_path, data)
    assert result.unchanged and result.status == 0
    assert snapshot(out / "2027") == before
    assert leftovers(out) == []
    assert any("Khôi phục" in m for m in result.messages)


# --- many inputs ----------------------------------------------------------------------------


def test_hundred_inputs_three_corrupt(tmp_path: Path) -> None:
    d = tmp_path / "du_lieu"
    d.mkdir()
    base = d / "clb_000.xlsx"
    write_club(base, club_data(club_id="MH-000", members=6))
    raw = base.read_bytes()
    corrupt = {5: b"", 50: raw[: len(raw) // 2], 95: b"this is not a workbook at all"}
    for i in range(100):
        path = d / f"clb_{i:03d}.xlsx"
        if i in corrupt:
            path.write_bytes(corrupt[i])
        elif i:
            write_club(path, changed(club_data(club_id=f"MH-{i:03d}", members=6), "info",
                                     name=f"CLB số {i}"))
    result = run_export(tmp_path, d, jobs=2)
    final = tmp_path / "ket_qua" / "2027"
    assert result.status == 1
    assert result.summary["files"] == 100 and result.summary["valid"] == 97
    assert sorted(Path(p).name for p, _ in result.excluded) == [
        "clb_005.xlsx", "clb_050.xlsx", "clb_095.xlsx"]
    indicators = json.loads((final / "chi_tieu_2027.json").read_text(encoding="utf-8"))
    assert len(indicators["clubs"]) == 97 and len(indicators["excluded"]) == 3
    wb = openpyxl.load_workbook(final / "tong_hop_2027.xlsx", read_only=True)
    ids = [r[0] for r in wb["CLB"].iter_rows(min_row=2, values_only=True)]
    wb.close()
    assert len({i for i in ids if i and str(i).startswith("MH-")}) == 97
    checked = json.loads((final / "kiem_tra_2027.json").read_text(encoding="utf-8"))
    bad = {Path(f["path"]).name for f in checked["files"] if not f["valid"]}
    assert bad == {"clb_005.xlsx", "clb_050.xlsx", "clb_095.xlsx"}


# --- Vietnamese names -----------------------------------------------------------------------


def test_vietnamese_folder_and_file_names_with_spaces(tmp_path: Path) -> None:
    d = tmp_path / "Dữ liệu xã"
    d.mkdir()
    write_club(d / "CLB Thôn Đông.xlsx", club_data(club_id="MH-01"))
    bad = changed(club_data(club_id="MH-02", village="Thôn Tây"), "members", 3, gender="Gái")
    write_club(d / "CLB Thôn Tây (lần 2).xlsx", bad)
    out = tmp_path / "Kết quả báo cáo"
    res = cli_run("--data", d, "--out", out, "--year", 2027)
    assert res.exit_code == 1, res.output
    final = out / "2027"
    assert (final / "tra_lai" / "CLB Thôn Tây (lần 2).xlsx").is_file()
    manifest = json.loads((final / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["inputs"]) == {"CLB Thôn Đông.xlsx", "CLB Thôn Tây (lần 2).xlsx"}
    assert "Dữ liệu xã" in (out / "clubtool.log").read_text(encoding="utf-8")
    assert str(final) in res.stdout


# --- the lock -------------------------------------------------------------------------------


def test_a_second_run_while_the_lock_is_held_exits_2_naming_the_holder(
        tmp_path: Path, data: Path) -> None:
    out = tmp_path / "ket_qua"
    out.mkdir()
    with ex._locked(out):
        inner = run_export(tmp_path, data)
        done = subprocess.run(
            [sys.executable, "-m", "clubtool", "export", "--data", str(data), "--out", str(out),
             "--year", "2027"], capture_output=True, text=True, encoding="utf-8",
            env=subprocess_env(), cwd=tmp_path, timeout=60, stdin=subprocess.DEVNULL)
    assert inner.status == 2 and not (out / "2027").exists()
    for text in (inner.messages[0], done.stderr):
        assert "Một lần chạy khác đang chạy" in text
        assert f"tiến trình {os.getpid()}" in text and socket.gethostname() in text
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert run_export(tmp_path, data).status == 0  # released


def _slow_child(tmp_path: Path, out: Path, data: Path, gate: Path) -> subprocess.Popen[str]:
    """`clubtool export` in a child whose report step waits until `gate` exists."""
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        import clubtool.report as report
        real = report.render_report
        def slow(*a, **k):
            while not Path({str(gate)!r}).exists():
                time.sleep(0.05)
            return real(*a, **k)
        report.render_report = slow
        sys.argv = ["clubtool", "export", "--data", {str(data)!r}, "--out", {str(out)!r},
                    "--year", "2027"]
        from clubtool.cli import main
        main()
    """)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            env=subprocess_env(), cwd=tmp_path, stdin=subprocess.DEVNULL)


def _wait_for(predicate: object, what: str, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_runs_at_once_exactly_one_runs(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "ket_qua"
    gate = tmp_path / "go"
    first = _slow_child(tmp_path, out, data, gate)
    try:
        _wait_for(lambda: any(out.glob(".2027.tmp-*")), "the first run to reach the report")
        second = subprocess.run(
            [sys.executable, "-m", "clubtool", "export", "--data", str(data), "--out", str(out),
             "--year", "2027"], capture_output=True, text=True, encoding="utf-8",
            env=subprocess_env(), cwd=tmp_path, timeout=60, stdin=subprocess.DEVNULL)
        gate.touch()
        stdout, stderr = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert second.returncode == 2
    assert f"tiến trình {first.pid} trên máy {socket.gethostname()}" in second.stderr
    assert first.returncode == 0, stderr
    assert (out / "2027" / "manifest.json").is_file()
    log = (out / "clubtool.log").read_text(encoding="utf-8")
    assert log.count("Bắt đầu xuất năm 2027") == 1
    assert log.count("Một lần chạy khác đang chạy") == 1


@POSIX_ONLY
def test_a_killed_run_leaves_no_blocking_lock_and_no_staging_folder(
        tmp_path: Path, data: Path) -> None:
    import signal

    assert run_export(tmp_path, data).status == 0
    out = tmp_path / "ket_qua"
    before = snapshot(out / "2027")
    add_invalid(data)
    child = _slow_child(tmp_path, out, data, tmp_path / "never")
    try:
        _wait_for(lambda: any(out.glob(".2027.tmp-*")), "the child to start writing")
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert any(out.glob(".2027.tmp-*")) and (out / ex.LOCK_INFO_NAME).exists()
    assert snapshot(out / "2027") == before  # the killed run changed nothing

    result = run_export(tmp_path, data)
    assert result.status == 1, result.messages
    assert leftovers(out) == []
    assert any("Xóa thư mục tạm" in m for m in result.messages)


# --- could not run --------------------------------------------------------------------------


def test_missing_data_folder_exits_2(tmp_path: Path) -> None:
    res = cli_run("--data", tmp_path / "khong_co", "--out", tmp_path / "ra", "--year", 2027)
    assert res.exit_code == 2
    assert "Không tìm thấy thư mục dữ liệu" in res.output
    assert "Không tìm thấy thư mục dữ liệu" in (tmp_path / "ra" / "clubtool.log").read_text(
        encoding="utf-8")


def test_unwritable_output_exits_2(tmp_path: Path, data: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    res = cli_run("--data", data, "--out", blocker / "ra", "--year", 2027)
    assert res.exit_code == 2
    assert "Không tạo hoặc ghi được thư mục kết quả" in res.output
    assert "Traceback" not in res.output


def test_no_club_workbook_exits_2(tmp_path: Path) -> None:
    d = tmp_path / "du_lieu"
    d.mkdir()
    write_commune(d / "xa.xlsx")
    result = run_export(tmp_path, d)
    assert result.status == 2
    assert any("Không có tệp báo cáo câu lạc bộ nào của năm 2027" in m for m in result.messages)
    assert leftovers(tmp_path / "ket_qua") == [] and not (tmp_path / "ket_qua" / "2027").exists()


def test_a_year_outside_the_plan_exits_2(tmp_path: Path, data: Path) -> None:
    res = cli_run("--data", data, "--out", tmp_path / "ra", "--year", 2040)
    assert res.exit_code == 2 and "2040" in res.output


@pytest.mark.parametrize(("toml", "env", "words"), [
    ('thu_muc = "du_lieu"\n', {}, "khóa không biết: thu_muc"),
    ('formats = ["docx", "pdf"]\n', {}, "Định dạng 'pdf' không hợp lệ"),
    ("data_dir = \n", {}, "viết sai cú pháp"),
    ("", {"CLUBTOOL_FORMATS": "docx,pdf"}, "Biến môi trường CLUBTOOL_FORMATS"),
    ("", {"CLUBTOOL_YEAR": "hai nghìn"}, "Biến môi trường CLUBTOOL_YEAR"),
])
def test_bad_settings_exit_2_with_a_clear_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, env: dict[str, str],
        words: str) -> None:
    (tmp_path / "clubtool.toml").write_text(toml, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    res = cli_run(env=env)
    assert res.exit_code == 2
    assert "Cấu hình sai nên không chạy" in res.output and words in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "bao_cao").exists()


def test_bad_settings_in_a_real_process_print_no_traceback(tmp_path: Path) -> None:
    env = subprocess_env() | {"CLUBTOOL_FORMATS": "pdf"}
    done = subprocess.run([sys.executable, "-m", "clubtool", "export"], capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "CLUBTOOL_FORMATS" in done.stderr and "Traceback" not in done.stderr + done.stdout


# --- the command ----------------------------------------------------------------------------


def test_cli_exit_codes_0_1_2(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "ra"
    assert cli_run("--data", data, "--out", out, "--year", 2027).exit_code == 0
    assert cli_run("--data", data, "--out", out, "--year", 2027).exit_code == 0  # unchanged
    add_invalid(data)
    assert cli_run("--data", data, "--out", out, "--year", 2027).exit_code == 1
    res = cli_run("--data", data, "--out", out, "--year", 2027)
    assert res.exit_code == 1 and "Không có gì thay đổi" in res.output
    assert cli_run("--data", data, "--out", out, "--year", 2027, "--force").exit_code == 1
    with ex._locked(out):
        assert cli_run("--data", data, "--out", out, "--year", 2027, "--force").exit_code == 2


def test_cli_reads_clubtool_toml_and_options_win(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "clubtool.toml").write_text(
        'data_dir = "du_lieu"\nout_dir = "bao_cao"\nformats = ["md"]\nyear = 2027\n',
        encoding="utf-8")
    elsewhere = tmp_path / "khac"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    res = cli_run("--config", tmp_path / "clubtool.toml")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "bao_cao" / "2027" / "bao_cao_2027.md").is_file()
    assert not (tmp_path / "bao_cao" / "2027" / "bao_cao_2027.docx").exists()
    res = cli_run("--config", tmp_path / "clubtool.toml", "--out", tmp_path / "ra")
    assert res.exit_code == 0 and (tmp_path / "ra" / "2027" / "bao_cao_2027.md").is_file()


def test_cron_output_has_no_colours_and_never_waits_for_input(tmp_path: Path, data: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "clubtool", "export", "--data", str(data), "--out",
         str(tmp_path / "ra"), "--year", "2027"], capture_output=True, text=True,
        encoding="utf-8", env=subprocess_env() | {"TERM": "xterm-256color"}, cwd=tmp_path,
        timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stdout + done.stderr
    assert "━" not in done.stderr  # no progress bar
    assert done.stdout.strip() == str(tmp_path / "ra" / "2027")
    assert "Kết thúc" in done.stderr
