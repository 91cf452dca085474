"""Issue 12, points 1–3 end to end: a club of another commune, several communes in the
inputs, a corrected copy sent again (SPEC §2.3). Each test failed on the code before."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from clubtool import cli
from clubtool.cli import app
from clubtool.export import export
from clubtool.settings import load_settings

from .factories import changed, club_data, commune_data, set_saved, write_club, write_commune

Y = 2027
runner = CliRunner()


def run(*args: object) -> Any:
    cli.State.lang, cli.State.debug = None, False
    return runner.invoke(app, [str(a) for a in args])


def _commune(path: Path, name: str, registry: tuple[str, ...], villages: tuple[str, ...]) -> Path:
    data = commune_data()
    data["info"]["commune"] = name
    data["villages"] = [dict(data["villages"][0], name=v) for v in villages]
    data["registry"] = [dict(data["registry"][0], club_id=c, village=villages[0]) for c in registry]
    return write_commune(path, data)


@pytest.fixture
def mai_hoa(tmp_path: Path) -> Path:
    d = tmp_path / "du_lieu"
    d.mkdir()
    _commune(d / "xa_mai_hoa.xlsx", "Mai Hoa", ("MH-01", "MH-02"), ("Thôn Đông", "Thôn Tây"))
    write_club(d / "clb_mh-01.xlsx", changed(club_data(club_id="MH-01"), "info",
                                             commune="Mai Hoa", province="Hà Tĩnh"))
    write_club(d / "clb_mh-02.xlsx", changed(club_data(club_id="MH-02", village="Thôn Tây"),
                                             "info", commune="Mai Hoa", province="Hà Tĩnh"))
    return d


def _indicators(*args: object) -> dict[str, Any]:
    r = run("indicators", *args, "--year", Y, "--as-of", f"{Y}-12-31", "--format", "json")
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.stdout)


def _neighbour(folder: Path, name: str = "clb_thach_xuan.xlsx") -> Path:
    # founded in the phase, livelihood support, village name that Mai Hoa has too
    data = changed(club_data(club_id="TX-01", village="Thôn Đông"), "info", commune="Thạch Xuân",
                   province="Hà Tĩnh", founded=dt.date(2027, 2, 1))
    return write_club(folder / name, data)


def test_a_club_of_the_neighbouring_commune_changes_no_figure(mai_hoa: Path) -> None:
    before = _indicators(mai_hoa)
    _neighbour(mai_hoa)
    r = run("indicators", mai_hoa, "--year", Y, "--as-of", f"{Y}-12-31", "--format", "json")
    assert r.exit_code == 1  # an error in the inputs: the file must go back
    after = json.loads(r.stdout)
    assert after["indicators"] == before["indicators"]
    assert [c["club_id"] for c in after["clubs"]] == ["MH-01", "MH-02"]
    assert [Path(e["path"]).name for e in after["excluded"]] == ["clb_thach_xuan.xlsx"]
    assert "xã khác" in after["excluded"][0]["reason"]
    # a club's identity is (province, commune, code) in the JSON
    assert {(c["province"], c["commune"]) for c in after["clubs"]} == {("Hà Tĩnh", "Mai Hoa")}


def test_several_communes_are_computed_each_against_its_own_workbook(mai_hoa: Path,
                                                                     tmp_path: Path) -> None:
    _commune(mai_hoa / "xa_thach_xuan.xlsx", "Thạch Xuân", ("TX-01",), ("Thôn Đông", "Thôn Mới"))
    _neighbour(mai_hoa)
    table = run("indicators", mai_hoa, "--year", Y, "--as-of", f"{Y}-12-31")
    assert table.exit_code == 0, table.output
    out = " ".join(table.stdout.split())
    assert "Xã Mai Hoa (Hà Tĩnh): mẫu của xã xa_mai_hoa.xlsx; 2 câu lạc bộ hợp lệ." in out
    assert "Xã Thạch Xuân (Hà Tĩnh): mẫu của xã xa_thach_xuan.xlsx; 1 câu lạc bộ hợp lệ." in out
    assert "xã Mai Hoa — năm 2027" in out and "xã Thạch Xuân — năm 2027" in out
    # one JSON document is one commune: never a silent pick, a clear message instead
    js = run("indicators", mai_hoa, "--year", Y, "--format", "json")
    assert js.exit_code == 2 and js.stdout == ""
    assert "--commune" in js.output and "Thạch Xuân" in js.output
    picked = _indicators(mai_hoa, "--commune", mai_hoa / "xa_thach_xuan.xlsx")
    assert picked["commune"] == "Thạch Xuân"
    assert [c["club_id"] for c in picked["clubs"]] == ["TX-01"]
    assert picked["indicators"][2]["numerator"] == 1  # its new club is its own
    # the report: one per commune, named by commune
    r = run("report", mai_hoa, "--year", Y, "--as-of", f"{Y}-12-31", "--date", f"{Y}-12-05",
            "--format", "md,json", "-o", tmp_path / "bc")
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in (tmp_path / "bc").iterdir())
    assert names == ["bao_cao_mai_hoa_2027.json", "bao_cao_mai_hoa_2027.md",
                     "bao_cao_thach_xuan_2027.json", "bao_cao_thach_xuan_2027.md",
                     "tong_hop_mai_hoa_2027.json", "tong_hop_thach_xuan_2027.json"]
    md = (tmp_path / "bc" / "bao_cao_thach_xuan_2027.md").read_text(encoding="utf-8")
    assert "THẠCH XUÂN" in md.upper() and "MH-01" not in md
    # merge keeps every club, each with its commune
    m = run("merge", mai_hoa, "--year", Y, "-o", tmp_path / "th.xlsx")
    assert m.exit_code == 0, m.output
    assert "Xã Thạch Xuân (Hà Tĩnh)" in " ".join(m.stdout.split())
    ws = openpyxl.load_workbook(tmp_path / "th.xlsx")["CLB"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows["TX-01"][header.index("Xã")] == "Thạch Xuân"
    assert rows["MH-01"][header.index("Xã")] == "Mai Hoa"


def test_export_with_two_communes_asks_which_one(mai_hoa: Path, tmp_path: Path) -> None:
    _commune(mai_hoa / "xa_thach_xuan.xlsx", "Thạch Xuân", ("TX-01",), ("Thôn Mới",))
    settings = load_settings(options={"data_dir": mai_hoa, "out_dir": tmp_path / "out"},
                             env={}, cwd=tmp_path)
    result = export(settings, year=Y, today=dt.date(2028, 1, 5))
    assert result.status == 2
    assert any("commune_file" in m and "Thạch Xuân" in m for m in result.messages)
    settings = load_settings(options={"data_dir": mai_hoa, "out_dir": tmp_path / "out",
                                      "commune_file": mai_hoa / "xa_mai_hoa.xlsx"},
                             env={}, cwd=tmp_path)
    _neighbour(mai_hoa)
    result = export(settings, year=Y, today=dt.date(2028, 1, 5))
    assert result.status == 1  # the neighbour's club is an error of that file; the rest written
    data = json.loads((tmp_path / "out" / "2027" / "chi_tieu_2027.json").read_text("utf-8"))
    assert [c["club_id"] for c in data["clubs"]] == ["MH-01", "MH-02"]


def test_a_corrected_copy_sent_again_counts_once(mai_hoa: Path) -> None:
    first = set_saved(mai_hoa / "clb_mh-02.xlsx", dt.datetime(2027, 11, 20, 8, 0))
    corrected = changed(club_data(club_id="MH-02", village="Thôn Tây"), "info",
                        commune="Mai Hoa", province="Hà Tĩnh")
    corrected = changed(corrected, "members", 10, birth_year=1950)  # a corrected birth year
    again = write_club(mai_hoa / "clb_mh-02 (gửi lại lần 2).xlsx", corrected)
    set_saved(again, dt.datetime(2027, 12, 2, 10, 15))
    r = run("indicators", mai_hoa, "--year", Y, "--as-of", f"{Y}-12-31", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["missing"] == []
    assert [c["club_id"] for c in data["clubs"]] == ["MH-01", "MH-02"]
    assert data["excluded"] == []
    [nc] = data["not_counted"]
    assert Path(nc["path"]) == first and "gửi lại lần 2" in nc["reason"]
    assert "có bản lưu sau hơn" in nc["reason"]  # superseded-submission, not duplicate-file
    assert data["indicators"][-1]["value"] == 1.0  # reporting rate: 2 of 2
    table = " ".join(run("validate", mai_hoa).stdout.split())
    assert "clb_mh-02.xlsx — CLB MH-02 — 2027: hợp lệ (1 cảnh báo; không tính: dùng tệp " \
           "clb_mh-02 (gửi lại lần 2).xlsx)" in table


def test_merge_takes_the_club_once_and_says_which_copy(mai_hoa: Path, tmp_path: Path) -> None:
    set_saved(mai_hoa / "clb_mh-02.xlsx", dt.datetime(2027, 11, 20, 8, 0))
    again = write_club(mai_hoa / "clb_mh-02 (gửi lại lần 2).xlsx",
                       changed(club_data(club_id="MH-02", village="Thôn Tây"), "info",
                               commune="Mai Hoa", province="Hà Tĩnh"))
    set_saved(again, dt.datetime(2027, 12, 2, 10, 15))
    r = run("merge", mai_hoa, "--year", Y, "-o", tmp_path / "th.xlsx")
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(tmp_path / "th.xlsx")
    codes = [row[0] for row in wb["CLB"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert codes.count("MH-02") == 1
    sources = {row[0]: row for row in wb["Nguồn"].iter_rows(min_row=2, values_only=True)}
    old = next(v for k, v in sources.items() if k == "clb_mh-02.xlsx")
    assert any(isinstance(x, str) and "gửi lại lần 2" in x for x in old)


def test_the_report_says_which_copy_was_not_counted(mai_hoa: Path, tmp_path: Path) -> None:
    set_saved(mai_hoa / "clb_mh-02.xlsx", dt.datetime(2027, 11, 20, 8, 0))
    again = write_club(mai_hoa / "clb_mh-02 (gửi lại lần 2).xlsx",
                       changed(club_data(club_id="MH-02", village="Thôn Tây"), "info",
                               commune="Mai Hoa", province="Hà Tĩnh"))
    set_saved(again, dt.datetime(2027, 12, 2, 10, 15))
    r = run("report", mai_hoa, "--year", Y, "--as-of", f"{Y}-12-31", "--date", f"{Y}-12-05",
            "--format", "md,json", "-o", tmp_path)
    assert r.exit_code == 0, r.output
    md = " ".join((tmp_path / "bao_cao_2027.md").read_text(encoding="utf-8").split())
    assert "clb\\_mh-02.xlsx là bản gửi trước của một câu lạc bộ đã gửi lại báo cáo" in md
    js = json.loads((tmp_path / "bao_cao_2027.json").read_text(encoding="utf-8"))
    assert [e["path"] for e in js["not_counted"]] == ["clb_mh-02.xlsx"]


def test_no_commune_workbook_is_said_by_every_command(tmp_path: Path) -> None:
    # issue 12, point 10: not one line at the end, but in each command's output
    club = write_club(tmp_path / "clb.xlsx", club_data())
    said = "Không có tệp mẫu của xã"
    v = run("validate", club, "--year", Y)
    assert said in " ".join(v.stdout.split())
    ind = run("indicators", club, "--year", Y, "--as-of", f"{Y}-12-31", "--format", "json")
    assert said in ind.stderr
    assert any(said in w for w in json.loads(ind.stdout)["warnings"])
    m = run("merge", club, "--year", Y, "-o", tmp_path / "th.xlsx")
    assert said in " ".join(m.stdout.split())
    r = run("report", club, "--year", Y, "--date", f"{Y}-12-05", "--format", "md", "-o",
            tmp_path / "bc")
    assert said in r.stderr
    md = (tmp_path / "bc" / "bao_cao_2027.md").read_text(encoding="utf-8")
    assert "Chưa có tệp thông tin của xã năm 2027" in md
