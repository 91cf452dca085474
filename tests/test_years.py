"""Years side by side (`clubtool.years`, `clubtool.render.years`): each year computed from its
own workbooks (no archive), then put side by side."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from clubtool import schema as S
from clubtool.indicators import IndicatorResult, Plan, default_plan, load_plan
from clubtool.indicators.plan import DEFAULT_PLAN
from clubtool.job import compute, read, resolve
from clubtool.render import Options, formats, renderer
from clubtool.years import YearsResult, parse_years, years_side_by_side

from .factories import club_data, commune_data, write_club, write_commune

D = dt.date
DATA_YEARS = (2026, 2027, 2028, 2030)  # 2029: nothing in the "archive"
NEW_CLUB = "MH-03"  # founded in 2027: a new club of the phase 2026-2030


def _commune(year: int) -> dict[str, Any]:
    data = commune_data(year=year)
    if year >= 2027:
        data["registry"].append({"club_id": NEW_CLUB, "name": "CLB Thôn Nam",
                                 "village": "Thôn Nam", "founded": D(2027, 3, 1)})
    return data


def _without_all_contents(data: dict[str, Any]) -> dict[str, Any]:
    """Every meeting holds the first content only: the club misses 7 of the 8 contents."""
    out = copy.deepcopy(data)
    for m in out["meetings"]:
        for code in S.CONTENT_CODES:
            m.pop(code, None)
        m[S.CONTENT_CODES[0]] = True
    return out


def _write_year(folder: Path, year: int) -> None:
    folder.mkdir()
    write_commune(folder / "xa_mai_hoa.xlsx", _commune(year))
    write_club(folder / "mh01.xlsx", club_data(year=year, club_id="MH-01"))
    mh02 = club_data(year=year, club_id="MH-02", village="Thôn Tây")
    write_club(folder / "mh02.xlsx", _without_all_contents(mh02) if year == 2027 else mh02)
    if year >= 2027:
        mh03 = club_data(year=year, club_id=NEW_CLUB, village="Thôn Nam")
        mh03["info"]["founded"] = D(2027, 3, 1)
        for row in mh03["members"]:
            row["joined"] = D(2027, 3, 1)
        write_club(folder / "mh03.xlsx", mh03)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[int, IndicatorResult]:
    tmp_path = tmp_path_factory.mktemp("years")
    out = {}
    for year in DATA_YEARS:
        folder = tmp_path / str(year)
        _write_year(folder, year)
        job = resolve([folder], options={"year": year, "as_of": f"{year}-12-31"}, env={},
                      cwd=tmp_path)
        computed = compute(job, read(job))
        out[year] = computed.communes[0].indicators
    return out


def side_by_side(results: dict[int, IndicatorResult], span: str = "2026-2030",
                 plan: Plan | None = None) -> YearsResult:
    years = parse_years(span)
    return years_side_by_side({y: results.get(y) for y in years}, years=years,
                              plan=plan or default_plan())


def _render(yr: YearsResult, fmt: str, opts: Options | None = None) -> str:
    """Through the registry, as the CLI calls it."""
    out = renderer("years", fmt)(yr, opts or Options())
    assert isinstance(out, str)
    return out


# --- parse_years -------------------------------------------------------------------------


def test_parse_years() -> None:
    assert parse_years("2026-2030") == range(2026, 2031)
    assert parse_years(" 2026 – 2030 ") == range(2026, 2031)
    assert parse_years("2027") == range(2027, 2028)
    assert parse_years("2026-2035") == range(2026, 2036)  # ten years


@pytest.mark.parametrize(("text", "says"), [
    ("2030-2026", "năm đầu 2030 sau năm cuối 2026"),
    ("1989-1995", "ngoài khoảng 1990–2100"),
    ("2099-2101", "ngoài khoảng 1990–2100"),
    ("2026-2036", "tối đa 10 năm"),
    ("2026-30", "ví dụ 2026-2030"),
    ("năm 2026", "ví dụ 2026-2030"),
    ("", "ví dụ 2026-2030"),
])
def test_parse_years_refuses(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_years(text)


# --- the side-by-side result -------------------------------------------------------------


def test_json_shape(results: dict[int, IndicatorResult]) -> None:
    out = json.loads(_render(side_by_side(results), "json"))
    required = {"commune", "years", "indicators", "clubs"}
    assert required <= set(out) <= required | {"province", "phase", "missing_years"}
    assert out["commune"] == "Mai Hoa" and out["province"] == "Hà Tĩnh"
    assert out["years"] == [2026, 2027, 2028, 2029, 2030]
    assert out["phase"] == "2026-2030" and out["missing_years"] == [2029]
    ids = [i["id"] for i in out["indicators"]]
    assert ids == [v.id for v in results[2026].indicators]
    for ind in out["indicators"]:
        assert set(ind) == {"id", "name", "target", "by_year", "status"}
        assert list(ind["by_year"]) == ["2026", "2027", "2028", "2029", "2030"]
        for cell in ind["by_year"].values():
            assert set(cell) == {"numerator", "denominator", "value", "status"}
    assert [c["club_id"] for c in out["clubs"]] == ["MH-01", "MH-02", NEW_CLUB]
    for club in out["clubs"]:
        assert set(club) == {"club_id", "by_year", "missing_years"}
        for cell in club["by_year"].values():
            assert set(cell) == {"members", "dat_chuan", "criteria_failed"}
    by_id = {i["id"]: i for i in out["indicators"]}
    assert by_id["clb_thanh_lap_moi"]["target"] == {"min": 1, "shown_max": 2}
    assert by_id["tuyen_truyen"]["target"] == {"min": 0.8}
    assert by_id["ty_le_nop_bao_cao"]["target"] is None  # no target in this phase


def test_phase_cumulative_target_is_judged_at_the_phase_last_year_only(
        results: dict[int, IndicatorResult]) -> None:
    plan = default_plan()
    cumulative = [i for i, pi in plan.phase_for(2026).indicators.items() if pi.cumulative]
    assert "clb_thanh_lap_moi" in cumulative and "clb_dat_chuan" in cumulative
    yr = side_by_side(results)
    new = yr.indicator("clb_thanh_lap_moi")
    assert new.cumulative
    statuses = {y: c.status for y, c in new.by_year.items()}
    assert statuses == {2026: "dang_thuc_hien", 2027: "dang_thuc_hien",
                        2028: "dang_thuc_hien", 2029: "khong_co_du_lieu", 2030: "dat"}
    assert [new.by_year[y].value for y in yr.years] == [0, 1, 1, None, 1]  # done so far
    assert new.status == "dat" and yr.status_year == 2030
    # 2026 has no new club yet: in progress, never "chưa đạt"
    assert "chua_dat" not in [c.status for y, c in new.by_year.items() if y < 2030]
    for ind_id in cumulative:
        early = [yr.indicator(ind_id).by_year[y].status for y in (2026, 2027, 2028)]
        assert early == ["dang_thuc_hien"] * 3
    # the range ends before the phase's last year: still in progress at the end
    early_end = side_by_side(results, "2026-2028")
    assert early_end.indicator("clb_thanh_lap_moi").status == "dang_thuc_hien"
    assert early_end.phase.id == "2026-2030" and early_end.status_year == 2028


def test_missing_year_has_empty_cells_and_is_listed(results: dict[int, IndicatorResult]) -> None:
    yr = side_by_side(results)
    assert yr.missing_years == [2029]
    for v in yr.indicators:
        c = v.by_year[2029]
        assert (c.numerator, c.denominator, c.value, c.status) == (
            None, None, None, "khong_co_du_lieu")
    for club in yr.clubs:
        assert 2029 not in club.by_year and 2029 in club.missing_years
    new = next(c for c in yr.clubs if c.club_id == NEW_CLUB)
    assert sorted(new.by_year) == [2027, 2028, 2030] and new.missing_years == [2026, 2029]
    assert new.village == "Thôn Nam"
    # the range ends on a year without data: the statuses are those of the last year with data
    yr29 = side_by_side(results, "2026-2029")
    assert yr29.missing_years == [2029] and yr29.status_year == 2028
    assert yr29.indicator("tuyen_truyen").status == results[2028].indicator("tuyen_truyen").status
    # no data at all
    none = years_side_by_side({}, years=range(2031, 2033), plan=default_plan())
    assert none.missing_years == [2031, 2032] and none.status_year is None and not none.clubs
    assert {v.status for v in none.indicators} == {"khong_co_du_lieu"}
    assert none.phase.id == "2031-2035" and none.commune == "Mai Hoa"
    assert "Không có dữ liệu năm nào" in _render(none, "table")


def test_ratios_are_never_averaged(results: dict[int, IndicatorResult]) -> None:
    yr = side_by_side(results)
    eight = yr.indicator("clb_du_8_noi_dung")
    # MH-02 misses contents in 2027 only; MH-03 reports from 2027
    assert [(eight.by_year[y].numerator, eight.by_year[y].denominator)
            for y in DATA_YEARS] == [(2, 2), (2, 3), (3, 3), (3, 3)]
    assert eight.by_year[2027].value == pytest.approx(2 / 3)
    for v in yr.indicators:  # each year its own figures, as computed for that year alone
        for y in DATA_YEARS:
            own = results[y].indicator(v.id)
            c = v.by_year[y]
            assert (c.numerator, c.denominator, c.value, c.status) == (
                own.numerator, own.denominator, own.value, own.status)
    mh02 = next(c for c in yr.clubs if c.club_id == "MH-02")
    assert mh02.by_year[2027].dat_chuan is False
    assert "du_8_noi_dung" in mh02.by_year[2027].criteria_failed
    assert mh02.by_year[2028].dat_chuan and mh02.by_year[2028].criteria_failed == ()
    out = json.loads(_render(yr, "json"))
    assert out["clubs"][1]["by_year"]["2027"]["criteria_failed"] == list(
        mh02.by_year[2027].criteria_failed)


def test_results_must_match_their_years(results: dict[int, IndicatorResult]) -> None:
    plan = default_plan()
    with pytest.raises(ValueError, match="outside"):
        years_side_by_side({2026: results[2026]}, years=range(2027, 2029), plan=plan)
    with pytest.raises(ValueError, match="filed under 2027"):
        years_side_by_side({2027: results[2026]}, years=range(2026, 2029), plan=plan)


# --- renderers ---------------------------------------------------------------------------


def test_years_kind_is_registered() -> None:
    assert formats("years") == ("table", "json", "csv")


def test_csv_long_form(results: dict[int, IndicatorResult]) -> None:
    yr = side_by_side(results)
    rows = list(csv.DictReader(io.StringIO(_render(yr, "csv"))))
    assert list(rows[0]) == ["id", "name", "unit", "year", "numerator", "denominator", "value",
                             "target_min", "target_shown_max", "status"]
    assert len(rows) == len(yr.indicators) * 5
    eight = [r for r in rows if r["id"] == "clb_du_8_noi_dung"]
    assert [(r["year"], r["numerator"], r["denominator"]) for r in eight] == [
        ("2026", "2", "2", ), ("2027", "2", "3"), ("2028", "3", "3"), ("2029", "", ""),
        ("2030", "3", "3")]
    assert eight[1]["value"] == repr(2 / 3) and eight[3]["status"] == "khong_co_du_lieu"
    new = [r for r in rows if r["id"] == "clb_thanh_lap_moi"]
    assert [(r["target_min"], r["target_shown_max"], r["status"]) for r in new][::4] == [
        ("1", "2", "dang_thuc_hien"), ("1", "2", "dat")]


def test_csv_is_formula_safe(results: dict[int, IndicatorResult], tmp_path: Path) -> None:
    from importlib import resources

    text = resources.files("clubtool.indicators").joinpath("plans", DEFAULT_PLAN).read_text(
        encoding="utf-8")
    hostile = '=HYPERLINK("http://x","bấm")'
    text = text.replace('name = "Thành lập mới từ 1 đến 2 câu lạc bộ"',
                        "name = '" + hostile + "'", 1)
    (tmp_path / "plan.toml").write_text(text, encoding="utf-8")
    plan = load_plan(tmp_path / "plan.toml")
    yr = side_by_side(results, plan=plan)
    assert yr.indicator("clb_thanh_lap_moi").name == hostile
    rows = list(csv.reader(io.StringIO(_render(yr, "csv"))))
    names = {r[1] for r in rows[1:] if r[0] == "clb_thanh_lap_moi"}
    assert names == {"'" + hostile}
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r
                   if not re.fullmatch(r"-?[0-9.e-]+", cell))


def _table(yr: YearsResult, width: int = 80) -> str:
    return _render(yr, "table", Options(width=width))


def test_table_fits_80_columns_without_cutting_years(results: dict[int, IndicatorResult]) -> None:
    yr = side_by_side(results)
    text = _table(yr)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert "…" not in text
    header = next(line for line in lines if line.startswith("Chỉ tiêu  "))
    for y in yr.years:
        assert str(y) in header
    row = next(line for line in lines if line.startswith("Câu lạc bộ sinh hoạt "))
    assert re.search(r"100%\s+66,7%\s+100%\s+—\s+100%", row), row  # each year whole
    assert "Không có dữ liệu trong lưu trữ cho năm: 2029." in text
    assert "đang thực hiện" in text and "đánh giá vào năm 2030" in text
    club_rows = [line for line in lines if line.startswith(("MH-01", "MH-02", NEW_CLUB))]
    assert len(club_rows) == 3
    assert re.search(r"MH-02 .*đạt\s+chưa đạt\s+đạt\s+—\s+đạt", club_rows[1]), club_rows[1]
    assert re.search(rf"{NEW_CLUB} .*—\s+đạt\s+đạt\s+—\s+đạt", club_rows[2]), club_rows[2]


def test_table_wider_shows_fractions_and_narrow_splits_years(
        results: dict[int, IndicatorResult]) -> None:
    yr = side_by_side(results)
    wide = _table(yr, 160)
    assert "2/3" in wide and max(cell_len(line) for line in wide.splitlines()) <= 160
    ten = side_by_side(results, "2026-2035")  # ten years at 80 columns: two tables
    text = _table(ten)
    assert max(cell_len(line) for line in text.splitlines()) <= 80 and "…" not in text
    assert "(1/2)" in text and "(2/2)" in text
    for y in ten.years:
        assert re.search(rf"\b{y}\b", text)
    assert ten.phase.id == "2031-2035" and ten.status_year == 2030
    assert "Đánh giá theo số liệu năm 2030" in text


def test_table_colours(results: dict[int, IndicatorResult]) -> None:
    yr = side_by_side(results)
    coloured = _render(yr, "table", Options(width=100, color=True))
    assert "\x1b[" in coloured
    assert "\x1b[" not in _table(yr, 100)
