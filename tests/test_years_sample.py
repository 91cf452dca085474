"""Five years of sample data for Mai Hoa, 2026–2030 (`scripts/clubtool_years.py`, issue 14,
point 6): every workbook valid, and the changes from year to year that the archive and the
phase review must show. The expectations are written out here, not read from the
generator's stories (only the last test compares the two)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import clubtool_years as years
import pytest

from clubtool.job import indicators_for
from clubtool.model import Club
from clubtool.validation import ValidationReport, validate

YEARS = list(range(2026, 2031))
ALL = [f"MH-{i:02d}" for i in range(1, 10)]
#: Who sends a workbook each year: MH-09 founded 2028, MH-06 dissolved 20/01/2029,
#: MH-04 silent in 2029.
REPORTING = {
    2026: ALL[:8],
    2027: ALL[:8],
    2028: ALL,
    2029: ["MH-01", "MH-02", "MH-03", "MH-05", "MH-07", "MH-08", "MH-09"],
    2030: ["MH-01", "MH-02", "MH-03", "MH-04", "MH-05", "MH-07", "MH-08", "MH-09"],
}
#: The clubs meeting the standard (docs/indicators.md#club-standard), more each year.
STANDARD = {
    2026: ["MH-01"],
    2027: ["MH-01", "MH-02"],
    2028: ["MH-01", "MH-02", "MH-03", "MH-05"],
    2029: ["MH-01", "MH-02", "MH-03", "MH-05", "MH-07"],
    2030: ["MH-01", "MH-02", "MH-03", "MH-05", "MH-07", "MH-08"],
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("years")
    return folder, years.write_years(folder)


@pytest.fixture(scope="module")
def checked(written: tuple[Path, list[Path]]) -> dict[int, tuple[ValidationReport, Any]]:
    """Each year's validation report and indicator result (as of 31/12, the JSON shape)."""
    folder, _ = written
    out = {}
    for y in YEARS:
        report = validate([folder / str(y)], year=y)
        result = indicators_for(report, year=y, as_of=dt.date(y, 12, 31))
        out[y] = (report, result.to_dict())
    return out


def _clubs(report: ValidationReport) -> dict[str, Club]:
    return {c.info.club_id: c for c in report.valid_clubs() if c.info.club_id}


def _active(club: Club, year: int) -> list[Any]:
    return [m for m in club.members if m.active(dt.date(year, 1, 1), dt.date(year, 12, 31))]


def _indicator(result: dict[str, Any], key: str) -> dict[str, Any]:
    return next(i for i in result["indicators"] if i["id"] == key)


def test_one_folder_a_year_with_the_reporting_clubs(written):
    folder, paths = written
    assert sorted(p.name for p in folder.iterdir()) == [str(y) for y in YEARS]
    for y in YEARS:
        names = sorted(p.name for p in (folder / str(y)).iterdir())
        assert names == sorted([f"xa_mai_hoa_{y}.xlsx",
                                *(f"clb_{c.lower()}_{y}.xlsx" for c in REPORTING[y])])
    assert sorted(paths) == sorted(folder.glob("*/*.xlsx"))


def test_every_workbook_is_valid(checked):
    for y in YEARS:
        report, result = checked[y]
        assert not report.has_errors, y
        problems = [(Path(f.path).name, i.code, i.cell) for f in report.files for i in f.issues]
        assert problems == [], y  # no warning either
        assert report.usable_commune is not None
        assert sorted(_clubs(report)) == REPORTING[y]
        assert result["excluded"] == [] and result["not_counted"] == []


def test_the_founded_club_counts_from_its_year(checked):
    for y in YEARS:
        report, result = checked[y]
        registry = {r.club_id: r for r in report.usable_commune.registry}
        assert ("MH-09" in registry) == (y >= 2028)
        assert ("MH-09" in _clubs(report)) == (y >= 2028)
        figures = result["commune_figures"]["clubs"]
        assert figures["new_in_phase"] == ([] if y < 2028 else ["MH-09"])
        assert figures["new_in_year"] == (["MH-09"] if y == 2028 else [])
        assert _indicator(result, "clb_thanh_lap_moi")["value"] == (0 if y < 2028 else 1)
    club = _clubs(checked[2028][0])["MH-09"]
    assert club.info.founded == dt.date(2028, 4, 15)
    assert club.info.opening_activity == 0 and club.info.opening_income == 0
    assert {m.joined for m in club.members} == {dt.date(2028, 4, 15)}
    assert min(m.date for m in club.meetings) == dt.date(2028, 4, 15)


def test_the_dissolved_club_disappears(checked):
    for y in YEARS:
        report, result = checked[y]
        registry = {r.club_id: r for r in report.usable_commune.registry}
        assert registry["MH-06"].dissolved == (None if y < 2029 else dt.date(2029, 1, 20))
        assert ("MH-06" in _clubs(report)) == (y <= 2028)
        assert "MH-06" not in result["missing"]
        assert result["commune_figures"]["clubs"]["dissolved"] == (0 if y < 2029 else 1)
    # four of its members go on in MH-05, with the same names and years of birth
    last = {(m.name, m.birth_year) for m in _clubs(checked[2028][0])["MH-06"].members}
    mh05 = _clubs(checked[2029][0])["MH-05"]
    moved = [m for m in mh05.members if (m.name, m.birth_year) in last]
    assert len(moved) == 4
    assert all(m.joined and m.joined.year == 2029 and m.village == "Thôn Hòa Lạc"
               for m in moved)


def test_the_missing_year_is_missing(checked):
    for y in YEARS:
        report, result = checked[y]
        assert result["missing"] == (["MH-04"] if y == 2029 else []), y
        assert "MH-04" in {r.club_id for r in report.usable_commune.registry}
    rate = _indicator(checked[2029][1], "ty_le_nop_bao_cao")
    assert (rate["numerator"], rate["denominator"]) == (7, 8)
    # back in 2030, with those who left during 2029 still listed
    club = _clubs(checked[2030][0])["MH-04"]
    assert any(m.left and m.left.year == 2029 for m in club.members)
    assert any(m.joined and m.joined.year == 2029 for m in club.members)


def test_members_grow_and_are_the_same_people(checked):
    sizes: dict[str, dict[int, int]] = {}
    for y in YEARS:
        for cid, club in _clubs(checked[y][0]).items():
            sizes.setdefault(cid, {})[y] = len(_active(club, y))
            joined = [m for m in club.members if m.joined and m.joined.year == y]
            assert joined or cid == "MH-06", (cid, y)  # MH-06 only shrinks
            if y > 2026:
                assert all(m.joined >= dt.date(y, 1, 1) for m in joined)
    for cid, by_year in sizes.items():
        pairs = [(by_year[y], by_year[y + 1]) for y in YEARS[:-1] if y in by_year
                 and y + 1 in by_year]
        if cid == "MH-06":  # a club on its way out
            assert all(b < a for a, b in pairs)
        else:
            assert pairs and all(b > a for a, b in pairs), (cid, by_year)
    totals = {y: checked[y][1]["commune_figures"]["members"]["total"] for y in YEARS}
    assert totals[2030] > totals[2026]
    # a few leave each year; those still members at the end of a year are there the next
    for y in YEARS[:-1]:
        now, nxt = _clubs(checked[y][0]), _clubs(checked[y + 1][0])
        for cid in set(now) & set(nxt):
            left = [m for m in now[cid].members if m.left and m.left.year == y]
            assert 1 <= len(left) <= 8 or (cid, y) == ("MH-09", 2028), (cid, y)  # founded
            staying = {(m.name, m.birth_year, m.joined) for m in now[cid].members
                       if m.left is None}
            assert staying <= {(m.name, m.birth_year, m.joined) for m in nxt[cid].members}


def test_standard_met_by_more_clubs(checked):
    for y in YEARS:
        result = checked[y][1]
        met = [c["club_id"] for c in result["clubs"] if c["dat_chuan"]]
        assert met == STANDARD[y], y
        assert _indicator(result, "clb_dat_chuan")["value"] == len(STANDARD[y])
    assert _indicator(checked[2030][1], "clb_dat_chuan")["status"] == "dat"
    assert years.standard_by_year() == STANDARD


def test_funds_carry_over_and_grow(checked):
    for y in YEARS[:-1]:
        now, nxt = checked[y][1]["club_figures"], checked[y + 1][1]["club_figures"]
        for cid in set(now) & set(nxt):
            for fund, figures in now[cid]["funds"].items():
                assert figures["closing"] > 0
                assert nxt[cid]["funds"][fund]["opening"] == figures["closing"], (cid, y)
    first, last = checked[2026][1]["club_figures"], checked[2030][1]["club_figures"]
    for cid in set(first) & set(last):
        for fund in first[cid]["funds"]:
            assert last[cid]["funds"][fund]["closing"] > first[cid]["funds"][fund]["opening"]


def test_commune_awards_officials_and_outreach(checked):
    awards = {y: checked[y][0].usable_commune.awards for y in YEARS}
    assert awards[2026] == []
    assert all(awards[y] and all(a.year == y for a in awards[y]) for y in YEARS[1:])
    trained = [(_indicator(checked[y][1], "can_bo_tap_huan")["numerator"],
                _indicator(checked[y][1], "can_bo_tap_huan")["denominator"]) for y in YEARS]
    assert trained == [(5, 6), (6, 6), (6, 6), (5, 6), (6, 6)]
    reach = [_indicator(checked[y][1], "tuyen_truyen")["value"] for y in YEARS]
    assert reach == sorted(reach) and reach[0] < 0.8 <= reach[-1]


def test_same_seed_same_bytes(written, tmp_path, capsys):
    folder, paths = written
    again = tmp_path / "again"
    assert years.main([str(again)]) == 0
    assert capsys.readouterr().out.strip() == str(again)
    for path in paths:
        copy = again / path.relative_to(folder)
        assert copy.read_bytes() == path.read_bytes(), path.name
    assert sorted(again.glob("*/*.xlsx")) == sorted(again / p.relative_to(folder)
                                                    for p in paths)
    # one year alone is the same as that year of the five
    alone = years.write_years(tmp_path / "alone", years=[2029])
    assert [p.read_bytes() for p in alone] == [(folder / p.relative_to(tmp_path / "alone"))
                                               .read_bytes() for p in alone]


def test_years_outside_the_phase_are_refused(tmp_path):
    with pytest.raises(ValueError, match="2026–2030"):
        years.write_years(tmp_path, years=[2031])
