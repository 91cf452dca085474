"""No report year given anywhere (no --year, no `year` in clubtool.toml, no CLUBTOOL_YEAR):
the commands take the latest year with club workbooks in the data, and say so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clubtool import cli
from clubtool.cli import app
from clubtool.workbook._years import club_year, club_years
from clubtool.workspace import latest_data_year

from .factories import changed, club_data, commune_data, write_club, write_commune, write_sheets

runner = CliRunner()


def run(*args: object):
    cli.State.lang, cli.State.debug = None, False
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """du_lieu/: two clubs of 2027, one of 2026, the commune workbook of 2028 (not a club)."""
    d = tmp_path / "du_lieu"
    d.mkdir()
    write_club(d / "clb_dong.xlsx", club_data(club_id="MH-01"))
    write_club(d / "clb_tay.xlsx", club_data(club_id="MH-02", village="Thôn Tây"))
    write_club(d / "clb_dong_2026.xlsx", club_data(year=2026, club_id="MH-01"))
    write_commune(d / "xa_2028.xlsx", commune_data(year=2028))
    return d


# --- the library ------------------------------------------------------------------------------


def test_only_club_workbooks_with_a_year_of_the_plan_count(tmp_path: Path, data: Path) -> None:
    write_club(data / "go_nham.xlsx", changed(club_data(club_id="MH-05"), "info", None, year=2207))
    write_club(data / "trong.xlsx", changed(club_data(club_id="MH-06"), "info", None, year=None))
    write_club(data / "chu.xlsx", changed(club_data(club_id="MH-07"), "info", None, year="2029"))
    (data / "hong.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    (data / "~$clb_dong.xlsx").write_bytes(b"lock")
    write_sheets(data / "la.xlsx", {"Trang 1": [["Năm báo cáo", 2035]]})
    assert club_year(data / "clb_dong.xlsx") == 2027
    assert club_year(data / "xa_2028.xlsx") is None
    assert club_years([data]) == {2029: 1, 2027: 2, 2026: 1}
    found = latest_data_year([data])
    assert found is not None and found.year == 2029 and found.where == "du_lieu"
    assert list(found.counts) == [2029, 2027, 2026]


def test_no_club_workbook_no_year(tmp_path: Path) -> None:
    write_commune(tmp_path / "xa.xlsx", commune_data())
    assert latest_data_year([tmp_path]) is None
    assert latest_data_year([]) is None


def test_the_message_says_which_year_and_why(tmp_path: Path, data: Path) -> None:
    found = latest_data_year([data])
    assert found is not None
    assert found.message(tmp_path / "clubtool.toml") == (
        "Năm báo cáo: 2027 — năm mới nhất có tệp câu lạc bộ trong du_lieu (không có year trong "
        "clubtool.toml). Có 2 tệp năm 2027, 1 tệp năm 2026.")
    assert "(không ghi --year, không có clubtool.toml)" in found.message(None)


# --- indicators, merge, report --------------------------------------------------------------


def test_indicators_without_a_year_use_the_latest_year_of_the_data(data: Path) -> None:
    res = run("indicators", data, "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["year"] == 2027  # stdout stays pure JSON
    assert ("Năm báo cáo: 2027 — năm mới nhất có tệp câu lạc bộ trong du_lieu (không ghi "
            "--year, không có clubtool.toml)") in res.stderr
    assert "--year" in res.stderr


def test_the_data_folder_of_clubtool_toml_is_searched(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "clubtool.toml").write_text('data_dir = "du_lieu"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    res = run("merge", "-o", tmp_path / "tong_hop.xlsx")
    assert res.exit_code == 0, res.output
    assert "Năm báo cáo: 2027" in res.stderr and "không có year trong clubtool.toml" in res.stderr
    assert (tmp_path / "tong_hop.xlsx").is_file()


def test_report_without_a_year(tmp_path: Path, data: Path) -> None:
    res = run("report", data, "--format", "md", "-o", tmp_path / "bc")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "bc" / "bao_cao_2027.md").is_file()


def test_a_year_given_wins_and_nothing_is_said(data: Path) -> None:
    res = run("indicators", data, "--year", 2026, "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["year"] == 2026 and "Năm báo cáo" not in res.stderr


def test_no_club_workbook_with_a_year_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    d = tmp_path / "du_lieu"
    d.mkdir()
    write_commune(d / "xa.xlsx", commune_data())
    write_club(d / "clb.xlsx", changed(club_data(), "info", None, year=None))
    res = run("indicators", d)
    assert res.exit_code == 2
    assert "Không biết năm báo cáo" in res.stderr and "--year 2027" in res.stderr
    assert "Traceback" not in res.output
