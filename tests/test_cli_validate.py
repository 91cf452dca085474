"""`clubtool validate` through CliRunner: exit codes, table and JSON output, options."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from clubtool import cli
from clubtool.cli import app

from .factories import changed, club_data, write_club, write_commune

runner = CliRunner()

ISSUE_KEYS = {"severity", "code", "sheet", "cell", "row", "column", "value", "message"}
FILE_KEYS = {"path", "kind", "club_id", "year", "valid", "errors", "warnings", "issues"}
#: Added where they apply: a club's identity (SPEC §2.3), the commune it was counted for,
#: why a file was set aside or which copy counts instead of it.
OPTIONAL_KEYS = {"province", "commune", "counted_for", "skipped", "superseded_by"}


def run(*args: object, env: dict[str, str] | None = None):
    # `--lang`/`--debug` live on a class of cli.py and one invocation must not leak into the
    # next: a real run is one process, these tests are many invocations in one.
    cli.State.lang, cli.State.debug = None, False
    return runner.invoke(app, [str(a) for a in args], env=env)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """du_lieu/ with a valid club, a club with one error and one warning, a commune workbook."""
    root = tmp_path / "du_lieu"
    root.mkdir()
    write_club(root / "clb_dong.xlsx")
    bad = changed(club_data(club_id="MH-02", village="Thôn Tây"), "members", 10, gender="Gái")
    bad = changed(bad, "info", chair="Trần Văn Hùng")
    write_club(root / "clb_tay.xlsx", bad)
    write_commune(root / "xa.xlsx")
    return root


@pytest.fixture
def valid_only(tmp_path: Path) -> Path:
    root = tmp_path / "tot"
    root.mkdir()
    write_club(root / "clb.xlsx")
    return root


@pytest.fixture
def warnings_only(tmp_path: Path) -> Path:
    p = tmp_path / "canh_bao.xlsx"
    return write_club(p, changed(club_data(), "info", chair="Trần Văn Hùng"))


# --- exit codes ---------------------------------------------------------------------------


def test_valid_files_exit_0(valid_only):
    result = run("validate", valid_only)
    assert result.exit_code == 0, result.output
    assert "clb.xlsx" in result.stdout and "MH-01" in result.stdout


def test_errors_exit_1(folder):
    result = run("validate", folder)
    assert result.exit_code == 1
    out = result.stdout
    assert "clb_tay.xlsx" in out and "C12" in out and "Gái" in out
    assert "Tổng: 3 tệp, 2 hợp lệ, 1 lỗi, 1 cảnh báo." in out


def test_warnings_exit_0_unless_strict(warnings_only):
    assert run("validate", warnings_only).exit_code == 0
    result = run("validate", warnings_only, "--strict")
    assert result.exit_code == 1


@pytest.mark.parametrize("args", [
    ["validate", "khong_co_thu_muc"],
    ["validate", "{ok}", "--format", "xml"],
    ["validate", "{ok}", "--commune", "khong_co.xlsx"],
    ["validate", "{ok}", "--lang", "fr"],
    ["validate", "{ok}", "--no-such-option"],
])
def test_usage_errors_exit_2(valid_only, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = run(*[a.format(ok=valid_only) for a in args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_bad_files_are_errors_of_those_files_never_a_crash(tmp_path):
    root = tmp_path / "du_lieu"
    root.mkdir()
    (root / "rong.xlsx").write_bytes(b"")
    (root / "web.xlsx").write_bytes(b"<html><table></table></html>")
    (root / "hong.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    write_club(root / "tot.xlsx")
    for fmt in ("table", "json"):
        result = run("validate", root, "--format", fmt)
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
    data = json.loads(result.stdout)
    codes = {Path(f["path"]).name: [i["code"] for i in f["issues"]] for f in data["files"]}
    assert codes == {"rong.xlsx": ["file-unreadable"], "web.xlsx": ["file-format"],
                     "hong.xlsx": ["file-unreadable"], "tot.xlsx": []}


# --- JSON ---------------------------------------------------------------------------------


def test_json_has_the_spec_shape(folder):
    result = run("validate", folder, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"valid", "summary", "files"}
    assert data["valid"] is False
    assert data["summary"] == {"files": 3, "valid": 2, "errors": 1, "warnings": 1}
    for f in data["files"]:
        assert FILE_KEYS <= set(f) <= FILE_KEYS | OPTIONAL_KEYS
        for i in f["issues"]:
            assert set(i) == ISSUE_KEYS
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    tay = by_name["clb_tay.xlsx"]
    assert {k: tay[k] for k in FILE_KEYS - {"issues", "path"}} == {
        "kind": "club", "club_id": "MH-02", "year": 2027, "valid": False, "errors": 1,
        "warnings": 1}
    enum = next(i for i in tay["issues"] if i["code"] == "enum")
    assert {k: v for k, v in enum.items() if k != "message"} == {
        "severity": "error", "code": "enum", "sheet": "Thành viên", "cell": "C12", "row": 12,
        "column": "Giới tính", "value": "Gái"}
    assert "Nữ" in enum["message"]
    assert by_name["xa.xlsx"]["kind"] == "commune" and by_name["xa.xlsx"]["club_id"] is None
    assert [(i["severity"], i["code"], i["cell"]) for i in tay["issues"]] == [
        ("warning", "chair-mismatch", "B7"), ("error", "enum", "C12")]


def test_json_file_level_issue_has_nulls(tmp_path):
    p = tmp_path / "rong.xlsx"
    p.write_bytes(b"")
    data = json.loads(run("validate", p, "--format", "json").stdout)
    (issue,) = data["files"][0]["issues"]
    assert {k: issue[k] for k in ("sheet", "cell", "row", "column", "value")} == dict.fromkeys(
        ("sheet", "cell", "row", "column", "value"))
    assert data["files"][0]["kind"] is None


# --- options ------------------------------------------------------------------------------


def test_lang_en(folder):
    for result in (run("--lang", "en", "validate", folder, "--format", "json"),
                   run("validate", folder, "--format", "json", "--lang", "en"),
                   run("validate", folder, "--format", "json", env={"CLUBTOOL_LANG": "en"})):
        data = json.loads(result.stdout)
        messages = [i["message"] for f in data["files"] for i in f["issues"]]
        assert any("may only be" in m for m in messages), messages
    vi = json.loads(run("validate", folder, "--format", "json").stdout)
    assert any("chỉ được ghi" in i["message"] for f in vi["files"] for i in f["issues"])
    table = run("validate", folder, "--lang", "en")
    assert "Total: 3 files" in table.stdout and "Error" in table.stdout


def test_limit_errors(tmp_path):
    data = club_data()
    for i in range(6):
        data = changed(data, "members", i, gender="Gái")
    p = write_club(tmp_path / "nhieu_loi.xlsx", data)
    result = run("validate", p, "--format", "json", "--limit-errors", "2")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)["files"][0]["issues"]
    assert [(i["code"], i["severity"]) for i in issues] == [
        ("enum", "error"), ("enum", "error"), ("too-many-issues", "warning")]


def test_year_option_skips_other_years(tmp_path):
    root = tmp_path / "du_lieu"
    root.mkdir()
    write_club(root / "a.xlsx", club_data(2027, "MH-01"))
    write_club(root / "b.xlsx", club_data(2027, "MH-02"))
    write_club(root / "cu.xlsx", changed(club_data(2026, "MH-03"), "members", 0, gender="?"))
    result = run("validate", root, "--year", "2027", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"] == {"files": 2, "valid": 2, "errors": 0, "warnings": 0}
    cu = next(f for f in data["files"] if f["path"].endswith("cu.xlsx"))
    assert "2026" in cu["skipped"]
    table = run("validate", root, "--year", "2027")
    assert table.exit_code == 0 and "cu.xlsx" in table.stdout and "2026" in table.stdout


def test_commune_option(tmp_path):
    commune = write_commune(tmp_path / "xa.xlsx")
    root = tmp_path / "du_lieu"
    root.mkdir()
    write_club(root / "clb.xlsx", changed(club_data(), "info", village="Thôn Lạ"))
    assert run("validate", root).exit_code == 0  # no commune workbook: villages not checked
    result = run("validate", root, "--commune", commune, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    codes = [(i["code"], i["cell"]) for f in data["files"] for i in f["issues"]]
    assert codes == [("unknown-village", "B4")]


def test_default_folder_is_the_current_one(valid_only, monkeypatch):
    monkeypatch.chdir(valid_only)
    result = run("validate")
    assert result.exit_code == 0 and "clb.xlsx" in result.stdout


def test_default_folder_from_clubtool_toml(tmp_path, monkeypatch):
    """SPEC §2: PATH defaults to the data folder named in clubtool.toml."""
    (tmp_path / "clubtool.toml").write_text('data_dir = "du_lieu"\n', encoding="utf-8")
    (tmp_path / "du_lieu").mkdir()
    write_club(tmp_path / "du_lieu" / "loi.xlsx", changed(club_data(), "members", 0, gender="?"))
    (tmp_path / "nhap").mkdir()  # outside the data folder: not an input
    write_club(tmp_path / "nhap" / "ban_nhap.xlsx", club_data(club_id="MH-09"))
    monkeypatch.chdir(tmp_path)
    result = run("validate", "--format", "json")
    names = [Path(f["path"]).name for f in json.loads(result.stdout)["files"]]
    assert result.exit_code == 1
    assert names == ["loi.xlsx"]


def test_no_traceback_on_a_file_that_cannot_be_read(tmp_path):
    p = tmp_path / "khoa.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
                  + "EncryptionInfo".encode("utf-16-le"))
    result = run("validate", p)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "mật khẩu" in result.stdout


# --- --annotate ---------------------------------------------------------------------------


@pytest.mark.skipif(importlib.util.find_spec("clubtool.workbook._annotate") is None,
                    reason="clubtool/workbook/annotate.py not written yet")
def test_annotate_writes_copies_of_faulty_files(folder, tmp_path):
    before = {p: p.read_bytes() for p in folder.iterdir()}
    out = tmp_path / "tra_lai"
    result = run("validate", folder, "--annotate", out)
    assert result.exit_code == 1, result.output
    # the copy, and the marker that keeps every command from reading it back as an input
    assert sorted(p.name for p in out.iterdir()) == [".clubtool-output.json", "clb_tay.xlsx"]
    assert {p: p.read_bytes() for p in folder.iterdir()} == before
    wb = openpyxl.load_workbook(out / "clb_tay.xlsx")
    assert wb.sheetnames[0] == "Lỗi cần sửa"
    cell = wb["Thành viên"]["C12"]
    assert cell.value == "Gái" and cell.comment is not None
    # JSON output stays pure JSON with --annotate
    out2 = tmp_path / "tra_lai_2"
    result = run("validate", folder, "--annotate", out2, "--format", "json")
    assert json.loads(result.stdout)["valid"] is False
    assert (out2 / "clb_tay.xlsx").is_file()


def test_help_documents_exit_codes():
    result = run("validate", "--help")
    assert result.exit_code == 0
    assert "--strict" in result.stdout and "--annotate" in result.stdout
    assert "Mã thoát" in result.stdout


def test_folder_with_a_copy_of_the_same_club_is_a_duplicate_file(folder):
    shutil.copy(folder / "clb_dong.xlsx", folder / "clb_dong_ban_2.xlsx")
    result = run("validate", folder, "--format", "json")
    data = json.loads(result.stdout)
    dups = {Path(f["path"]).name: [i["code"] for i in f["issues"]] for f in data["files"]
            if Path(f["path"]).name.startswith("clb_dong")}
    # identical copies: one counts, the other is a warning that names it (SPEC §2.3)
    assert sorted(dups.values()) == [[], ["duplicate-file"]]
