"""`clubtool init`: the working folder (clubtool.toml, commune workbook, du_lieu/, bao_cao/),
never overwritten, Vietnamese folder names."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from clubtool import cli, schema
from clubtool.cli import app
from clubtool.settings import CONFIG_NAME, load_settings
from clubtool.workbook.reader import load
from clubtool.workbook.template import fill_table
from clubtool.workspace import commune_file_name, init_workspace

from .factories import club_data, write_club

runner = CliRunner()


def run(*args: object):
    cli.State.lang, cli.State.debug = None, False
    return runner.invoke(app, [str(a) for a in args])


def test_creates_the_four_things(tmp_path: Path) -> None:
    root = tmp_path / "xa"
    made = init_workspace(root, commune="Mai Hoa", province="Hà Tĩnh", year=2027)
    assert all(m.created for m in made)
    workbook = root / "du_lieu" / "xa_mai_hoa_2027.xlsx"  # where every command looks
    assert {m.path for m in made} == {root / "du_lieu", root / "bao_cao", workbook,
                                      root / CONFIG_NAME}
    assert (root / "du_lieu").is_dir() and (root / "bao_cao").is_dir()

    s = load_settings(root / CONFIG_NAME, env={}, cwd=tmp_path)
    assert (s.commune, s.province, s.year) == ("Mai Hoa", "Hà Tĩnh", 2027)
    assert s.data_dir == root / "du_lieu" and s.out_dir == root / "bao_cao"
    assert s.commune_file == workbook
    assert 'commune_file = "du_lieu/xa_mai_hoa_2027.xlsx"' in (root / CONFIG_NAME).read_text(
        encoding="utf-8")  # forward slashes: the same file on Windows

    loaded = load(workbook)
    assert loaded.kind == "commune" and loaded.commune is not None
    assert loaded.commune.info.commune == "Mai Hoa" and loaded.year == 2027


def test_never_overwrites_and_completes_what_is_missing(tmp_path: Path) -> None:
    root = tmp_path / "xa"
    init_workspace(root, commune="Mai Hoa", province="Hà Tĩnh", year=2027)
    config = root / CONFIG_NAME
    workbook = root / "du_lieu" / "xa_mai_hoa_2027.xlsx"
    config.write_text(config.read_text(encoding="utf-8").replace('lang = "vi"', 'lang = "en"')
                      + "# sửa tay\n", encoding="utf-8")
    workbook_bytes = workbook.read_bytes()
    write_club(root / "du_lieu" / "clb.xlsx", club_data())
    (root / "bao_cao" / "cu.txt").write_text("giữ", encoding="utf-8")
    config_text = config.read_text(encoding="utf-8")

    again = init_workspace(root, commune="Khác", province="Khác", year=2027)
    assert not any(m.created for m in again)
    assert config.read_text(encoding="utf-8") == config_text
    assert workbook.read_bytes() == workbook_bytes
    assert (root / "du_lieu" / "clb.xlsx").is_file()
    assert (root / "bao_cao" / "cu.txt").read_text(encoding="utf-8") == "giữ"

    workbook.unlink()  # a missing piece is made again, as clubtool.toml names it
    third = init_workspace(root, year=2027)
    assert [m.path for m in third if m.created] == [workbook]
    assert load(workbook).commune.info.commune == "Mai Hoa"  # type: ignore[union-attr]


def test_vietnamese_folder_names(tmp_path: Path) -> None:
    root = tmp_path / "Xã Kỳ Thượng" / "Báo cáo CLB"
    made = init_workspace(root, commune="Kỳ Thượng", province="Hà Tĩnh", year=2028)
    workbook = root / "du_lieu" / commune_file_name("Kỳ Thượng", 2028)
    assert workbook.name == "xa_ky_thuong_2028.xlsx"
    assert workbook in {m.path for m in made} and workbook.is_file()
    s = load_settings(root / CONFIG_NAME, env={}, cwd=tmp_path)
    assert s.commune == "Kỳ Thượng" and s.commune_file == workbook


@pytest.mark.parametrize("name", ['Xã "Mới"', "Xã A\\B", "../../Xã/C", "Xã\tD\n"])
def test_names_that_toml_must_escape_and_paths_must_not_follow(tmp_path: Path, name: str) -> None:
    root = tmp_path / "xa"
    made = init_workspace(root, commune=name, province="Hà Tĩnh", year=2027)
    s = load_settings(root / CONFIG_NAME, env={}, cwd=tmp_path)
    assert s.commune == name
    assert s.commune_file is not None and s.commune_file.parent == root / "du_lieu"
    assert s.commune_file.is_file() and s.commune_file.name.startswith("xa_xa_")
    assert all(root in m.path.parents for m in made)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xa"]


def test_cli_init_twice(tmp_path: Path) -> None:
    root = tmp_path / "Thư mục làm việc"
    res = run("init", root, "--commune", "Mai Hoa", "--province", "Hà Tĩnh", "--year", 2027)
    assert res.exit_code == 0, res.output
    assert res.output.count("đã tạo") == 4
    res = run("init", root)
    assert res.exit_code == 0 and res.output.count("đã có, giữ nguyên") == 4


def test_init_then_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The working folder init makes is what export runs in, from cron, unchanged."""
    root = tmp_path / "xa"
    init_workspace(root, commune="Mai Hoa", province="Hà Tĩnh", year=2027)
    monkeypatch.chdir(root)
    res = run("export", "--year", 2027)
    assert res.exit_code == 2 and "Không có tệp báo cáo câu lạc bộ nào" in res.output
    write_club(root / "du_lieu" / "clb_mh-01.xlsx", club_data())
    config = root / CONFIG_NAME
    config.write_text(config.read_text(encoding="utf-8").replace(
        'formats = ["docx", "html"]', 'formats = ["md"]'), encoding="utf-8")
    res = run("export", "--year", 2027)
    assert res.exit_code in (0, 1), res.output
    assert (root / "bao_cao" / "2027" / "bao_cao_2027.md").is_file()
    assert (root / "bao_cao" / "clubtool.log").is_file()


# --- the year and the commune workbook where the commands find them -----------------------


def test_init_writes_the_year_given_else_this_year(tmp_path: Path) -> None:
    res = run("init", tmp_path / "a", "--commune", "Mai Hoa", "--year", 2027)
    assert res.exit_code == 0, res.output
    assert load_settings(tmp_path / "a" / CONFIG_NAME, env={}, cwd=tmp_path).year == 2027
    assert "year = 2027" in (tmp_path / "a" / CONFIG_NAME).read_text(encoding="utf-8")
    this_year = dt.date.today().year
    res = run("init", tmp_path / "b", "--commune", "Mai Hoa")
    assert res.exit_code == 0, res.output
    assert load_settings(tmp_path / "b" / CONFIG_NAME, env={}, cwd=tmp_path).year == this_year
    assert (tmp_path / "b" / "du_lieu" / f"xa_mai_hoa_{this_year}.xlsx").is_file()


def test_init_with_a_year_outside_the_plan_exits_2(tmp_path: Path) -> None:
    res = run("init", tmp_path / "a", "--year", 2040)
    assert res.exit_code == 2 and "2040" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "a" / CONFIG_NAME).exists()


def test_the_nightly_export_of_a_folder_made_with_year_2027_runs_2027(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`init --year 2027` then a plain `export` in 2026 (cron has no --year)."""
    root = tmp_path / "xa"
    assert run("init", root, "--commune", "Mai Hoa", "--year", 2027).exit_code == 0
    write_club(root / "du_lieu" / "clb_mh-01.xlsx", club_data(year=2027))
    config = root / CONFIG_NAME
    config.write_text(config.read_text(encoding="utf-8").replace(
        'formats = ["docx", "html"]', 'formats = ["md"]'), encoding="utf-8")
    monkeypatch.chdir(root)
    res = run("export")
    assert res.exit_code in (0, 1), res.output
    assert (root / "bao_cao" / "2027" / "bao_cao_2027.md").is_file()


def test_the_commune_workbook_init_makes_is_used_by_the_commands(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commune workbook `init` makes lies in the data folder: the commands find it
    there whether they run in the working folder (clubtool.toml) or name the data folder
    from anywhere else; the commune-level indicators are computed, not left empty."""
    root = tmp_path / "xa"
    init_workspace(root, commune="Mai Hoa", province="Hà Tĩnh", year=2027)
    workbook = root / "du_lieu" / "xa_mai_hoa_2027.xlsx"
    wb = openpyxl.load_workbook(workbook)
    sheet = schema.COMMUNE.sheet("villages")
    fill_table(wb[sheet.name], sheet, [
        {"name": "Thôn Đông", "older_people": 300, "outreach_target": 200,
         "outreach_reached": 180},
        {"name": "Thôn Tây", "older_people": 250, "outreach_target": 100,
         "outreach_reached": 90}])
    wb.save(workbook)
    write_club(root / "du_lieu" / "clb_mh-01.xlsx", club_data())
    elsewhere = tmp_path / "noi_khac"
    elsewhere.mkdir()
    for cwd, args in ((elsewhere, [root / "du_lieu", "--year", 2027]), (root, [])):
        monkeypatch.chdir(cwd)
        res = run("indicators", *args, "--format", "json")
        assert res.exit_code == 0, res.output
        by_id = {i["id"]: i for i in json.loads(res.stdout)["indicators"]}
        assert (by_id["thon_co_clb"]["numerator"], by_id["thon_co_clb"]["denominator"]) == (1, 2)
        assert by_id["tuyen_truyen"]["denominator"] == 300
