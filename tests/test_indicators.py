"""The plan's indicators (SPEC §4) on hand-computed fixtures, and `clubtool indicators`.

Most tests build `Club` / `Commune` records directly (fast); the CLI tests write workbooks
with the factories and run the command through `CliRunner`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from clubtool import i18n
from clubtool import model as M
from clubtool import schema as S
from clubtool.cli import app
from clubtool.indicators import (
    CRITERIA,
    INDICATORS,
    STATUSES,
    IndicatorResult,
    compute_indicators,
    default_as_of,
    load_plan,
)
from clubtool.indicators import format as fmt
from tests.factories import changed, club_data, commune_data, write_club, write_commune
from tests.test_plan import MINIMAL, shipped_text

D = dt.date
Y = 2027
OLD = Y - 65  # birth year of an older person (NCT) in Y
YOUNG = Y - 40
FOUNDED = D(2019, 5, 1)
REGISTERED = D(2020, 1, 1)
MARCH = D(Y, 3, 1)
ALL8 = dict.fromkeys(S.CONTENT_CODES, True)


# --- building records -------------------------------------------------------------------

def member(name: str = "Thành viên", gender: str = "Nữ", birth_year: int = OLD, **kw: Any) -> M.Member:
    return M.Member(row=0, name=name, gender=gender, birth_year=birth_year, **kw)


def people(n_older_women: int, n_young_women: int = 0, n_older_men: int = 0,
           n_young_men: int = 0) -> list[M.Member]:
    out = []
    for count, gender, born in ((n_older_women, "Nữ", OLD), (n_young_women, "Nữ", YOUNG),
                                (n_older_men, "Nam", OLD), (n_young_men, "Nam", YOUNG)):
        out += [member(f"{gender} {born} {i}", gender, born) for i in range(count)]
    return out


def meetings(months: Iterable[int] = range(1, 13), *, day: int = 10, contents: dict[str, bool] | None = None,
             year: int = Y, **flags: bool) -> list[M.Meeting]:
    flags = {**(ALL8 if contents is None else contents), **flags}
    return [M.Meeting(row=0, date=D(year, m, day), attendance=20, **flags) for m in months]


def fund_ok(year: int = Y) -> list[M.FundEntry]:
    return [M.FundEntry(row=0, date=D(year, 1, 5), fund=S.FUND_ACTIVITY, direction=S.RECEIPT,
                        source=S.MEMBER_CONTRIBUTION, amount=100_000)]


def club(club_id: str = "MH-01", members: Sequence[M.Member] | None = None, *,
         meetings_: Sequence[M.Meeting] | None = None, trainings: Sequence[M.Training] = (),
         fund: Sequence[M.FundEntry] | None = None, village: str | None = "Thôn Đông",
         founded: dt.date | None = FOUNDED, opening: tuple[float, float] = (500_000, 500_000),
         name: str | None = None, year: int = Y) -> M.Club:
    info = M.ClubInfo(version=S.CLUB_TEMPLATE_VERSION, club_id=club_id, name=name or f"CLB {club_id}",
                      village=village, year=year, founded=founded, chair="Chủ nhiệm",
                      opening_activity=opening[0], opening_income=opening[1])
    return M.Club(f"{club_id}.xlsx", info, list(members if members is not None else people(30, 10, 5, 5)),
                  list(meetings_ if meetings_ is not None else meetings(year=year)),
                  list(trainings), [], list(fund if fund is not None else fund_ok(year)))


def from_data(d: dict[str, Any], path: str = "clb.xlsx") -> M.Club:
    """A Club from the factories' dict form (as the reader would hand it on)."""
    def rows(cls: type, recs: list[dict[str, Any]]) -> list[Any]:
        return [cls(row=i + 2, **r) for i, r in enumerate(recs)]
    return M.Club(path, M.ClubInfo(**d["info"]), rows(M.Member, d["members"]),
                  rows(M.Meeting, d["meetings"]), rows(M.Training, d["trainings"]),
                  rows(M.Outreach, d["outreach"]), rows(M.FundEntry, d["fund"]))


def commune(*, villages: Sequence[M.Village] | None = None,
            registry: Sequence[M.RegistryClub] = (), officials: Sequence[M.Official] = (),
            name: str = "Mai Hoa") -> M.Commune:
    if villages is None:
        villages = [M.Village(row=0, name=v, outreach_target=100, outreach_reached=100)
                    for v in ("Thôn Đông", "Thôn Tây", "Thôn Nam", "Thôn Bắc")]
    return M.Commune("xa.xlsx", M.CommuneInfo(commune=name, year=Y), list(villages),
                     list(registry), list(officials))


def reg(club_id: str, village: str | None = "Thôn Tây", founded: dt.date | None = REGISTERED,
        dissolved: dt.date | None = None) -> M.RegistryClub:
    return M.RegistryClub(row=0, club_id=club_id, name=f"CLB {club_id}", village=village,
                          founded=founded, dissolved=dissolved)


def compute(clubs: Sequence[M.Club], com: M.Commune | None = None, **kw: Any) -> IndicatorResult:
    kw.setdefault("year", Y)
    kw.setdefault("as_of", D(kw["year"], 12, 31))
    return compute_indicators(clubs, com, **kw)


def ind(result: IndicatorResult, ind_id: str) -> tuple[Any, Any, Any, str]:
    v = result.indicator(ind_id)
    return v.numerator, v.denominator, v.value, v.status


def club_result(result: IndicatorResult, club_id: str = "MH-01") -> Any:
    return next(c for c in result.clubs if c.club_id == club_id)


# --- the JSON shape -----------------------------------------------------------------------

def test_json_shape_is_spec_section_4() -> None:
    r = compute([from_data(club_data())], None, excluded=[("x.xlsx", "2 lỗi")])
    d = json.loads(json.dumps(r.to_dict(), ensure_ascii=False))
    assert {"commune", "year", "phase", "as_of", "indicators", "clubs", "excluded",
            "missing"} <= set(d)
    assert (d["commune"], d["year"], d["phase"], d["as_of"]) == ("Mai Hoa", 2027, "2026-2030",
                                                                 "2027-12-31")
    assert [i["id"] for i in d["indicators"]] == [i.id for i in INDICATORS]
    for i in d["indicators"]:
        assert set(i) == {"id", "name", "numerator", "denominator", "value", "target", "status"}
        assert i["status"] in STATUSES
        assert i["target"] is None or "min" in i["target"]
    (c,) = d["clubs"]
    # SPEC §4's keys, and the club's identity (province, commune, code) of SPEC §2.3
    assert set(c) == {"club_id", "province", "commune", "name", "village", "members", "values",
                      "dat_chuan", "criteria_failed"}
    assert {"nu_nct", "du_8_noi_dung", "sinh_hoat_hang_thang", "cds_xanh_khoi_nghiep",
            "bcn_tap_huan"} <= set(c["values"])
    assert d["excluded"] == [{"path": "x.xlsx", "reason": "2 lỗi"}]
    assert d["missing"] == []


def test_factory_club_meets_the_standard() -> None:
    # club_data(): 60 members; 5 board + 55 others; 48 older, 40 women, 35 older women.
    r = compute([from_data(club_data())])
    c = club_result(r)
    assert c.members == 60
    assert c.values["nu_nct"] == 35 / 60
    assert c.values["nct"] == 48 / 60 and c.values["nu"] == 40 / 60
    assert c.values["du_8_noi_dung"] and c.values["sinh_hoat_hang_thang"]
    assert c.values["cds_xanh_khoi_nghiep"] and c.values["bcn_tap_huan"] == 1.0
    assert c.dat_chuan and c.criteria_failed == []
    assert ind(r, "clb_dat_chuan") == (1, None, 1, "dang_thuc_hien")  # a phase target
    # 15 in need (i % 4 == 0), 8 of them supported (i % 8 == 0)
    assert ind(r, "ho_tro_sinh_ke") == (8, 15, 8 / 15, "chua_dat")


def test_count_indicator_has_no_denominator() -> None:
    v = compute([from_data(club_data())]).indicator("clb_dat_chuan")
    assert v.value == v.numerator == 1 and v.denominator is None
    assert v.to_dict()["target"] == {"min": 1, "shown_max": 3}


# --- female older share: the 50–60% band ----------------------------------------------------

@pytest.mark.parametrize(("older_women", "in_band"), [(4, False), (5, True), (6, True), (7, False)])
def test_female_older_band_is_inclusive(older_women: int, in_band: bool) -> None:
    # 10 active members: `older_women` older women, the rest young men.
    c = club(members=people(older_women, n_young_men=10 - older_women))
    r = compute([c])
    assert club_result(r).values["nu_nct"] == older_women / 10
    assert ind(r, "clb_nu_nct")[:2] == (int(in_band), 1)
    assert ("nu_nct" in club_result(r).criteria_failed) is not in_band


def test_female_older_band_over_clubs() -> None:
    clubs = [club(f"MH-0{i}", people(k, n_young_men=10 - k)) for i, k in enumerate((4, 5, 6, 7), 1)]
    assert ind(compute(clubs), "clb_nu_nct") == (2, 4, 0.5, "chua_dat")


def test_young_women_and_older_men_are_not_female_older() -> None:
    c = club(members=people(3, n_young_women=3, n_older_men=4))
    assert club_result(compute([c])).values["nu_nct"] == 0.3


def test_nct_age_boundary() -> None:
    # age = Y − Năm sinh; 60 is older (NCT), 59 is not.
    c = club(members=[member("A", birth_year=Y - 60), member("B", birth_year=Y - 59)])
    r = compute([c])
    assert club_result(r).values["nu_nct"] == 0.5
    assert r.to_dict()["commune_figures"]["members"]["by_age"] == {
        "<60": 1, "60-69": 1, "70-79": 0, ">=80": 0}


# --- denominators of zero ---------------------------------------------------------------------

def test_no_clubs_gives_no_data() -> None:
    r = compute([], commune(officials=[]))
    for ind_id in ("clb_nu_nct", "clb_du_8_noi_dung", "clb_cds_xanh_khoi_nghiep", "bcn_tap_huan",
                   "ho_tro_sinh_ke", "can_bo_tap_huan"):
        num, den, value, status = ind(r, ind_id)
        assert (num, den, value, status) == (0, 0, None, "khong_co_du_lieu"), ind_id
    assert ind(r, "clb_dat_chuan") == (0, None, 0, "dang_thuc_hien")  # judged in 2030


def test_club_without_active_members_is_left_out_of_nu_nct() -> None:
    empty = club("MH-02", members=[member(left=D(Y - 1, 6, 1))])
    r = compute([club("MH-01", people(5, n_young_men=5)), empty])
    assert ind(r, "clb_nu_nct")[:3] == (1, 1, 1.0)
    e = club_result(r, "MH-02")
    assert e.members == 0 and e.values["nu_nct"] is None
    assert ind(compute([empty]), "clb_nu_nct") == (0, 0, None, "khong_co_du_lieu")


def test_no_target_wins_over_no_data() -> None:
    # 2031: bcn_tap_huan has no target; with no board its value is null too.
    r = compute([club(members=people(5, n_young_men=5), year=2031)], year=2031)
    assert ind(r, "bcn_tap_huan") == (0, 0, None, "khong_co_chi_tieu")


# --- active members -----------------------------------------------------------------------

def test_active_members() -> None:
    ms = [
        member("Ra năm trước", left=D(Y - 1, 12, 31)),  # left before 01/01/Y: out
        member("Ra ngày đầu năm", left=D(Y, 1, 1)),  # left on 01/01/Y: in
        member("Ra giữa năm", left=D(Y, 3, 1)),  # left during Y: in
        member("Vào sau ngày chốt", joined=D(Y, 7, 1)),  # joined after A: out
        member("Vào đúng ngày chốt", joined=D(Y, 6, 30)),  # in
        member("Vào năm trước", joined=D(Y - 3, 1, 1)),  # in
    ]
    r = compute([club(members=ms)], as_of=D(Y, 6, 30))
    assert club_result(r).members == 4
    assert compute([club(members=ms)]).clubs[0].members == 5


# --- monthly meetings, 8 contents, as-of -----------------------------------------------------

def test_monthly_rule_full_year() -> None:
    assert club_result(compute([club()])).values["sinh_hoat_hang_thang"]
    gap = club(meetings_=meetings([m for m in range(1, 13) if m != 7]))
    c = club_result(compute([gap]))
    assert not c.values["sinh_hoat_hang_thang"]
    assert "sinh_hoat_hang_thang" in c.criteria_failed
    assert c.figures.months_required == list(range(1, 13))
    assert fmt.criterion_detail(c.figures, "sinh_hoat_hang_thang") == "thiếu tháng 7"


def test_two_sessions_in_a_month_do_not_fill_another() -> None:
    ms = meetings(range(1, 12)) + meetings([11], day=25)
    assert not club_result(compute([club(meetings_=ms)])).values["sinh_hoat_hang_thang"]


def test_club_founded_mid_year_needs_meetings_from_its_founding_month() -> None:
    c = club(founded=D(Y, 4, 15), meetings_=meetings(range(4, 13)))
    res = club_result(compute([c]))
    assert res.figures.months_required == list(range(4, 13))
    assert res.values["sinh_hoat_hang_thang"]
    missing_april = club(founded=D(Y, 4, 15), meetings_=meetings(range(5, 13)))
    assert not club_result(compute([missing_april])).values["sinh_hoat_hang_thang"]


def test_club_founded_last_year_needs_january() -> None:
    c = club(founded=D(Y - 1, 11, 1), meetings_=meetings(range(2, 13)))
    assert not club_result(compute([c])).values["sinh_hoat_hang_thang"]


@pytest.mark.parametrize(("as_of", "required"), [
    (D(Y, 6, 30), list(range(1, 7))),  # June ended on A
    (D(Y, 6, 29), list(range(1, 6))),  # June has not ended
    (D(Y, 2, 28), [1, 2]),
    (D(Y, 1, 20), []),  # no month ended yet: nothing is required
])
def test_months_required_end_with_the_last_month_ended_by_as_of(as_of: dt.date,
                                                                required: list[int]) -> None:
    c = club(meetings_=meetings(range(1, 13)))
    res = club_result(compute([c], as_of=as_of))
    assert res.figures.months_required == required
    assert res.values["sinh_hoat_hang_thang"]


def test_no_month_required_counts_as_monthly() -> None:
    # Decision: when no month has ended yet (or the club was founded in the as-of month),
    # the monthly rule holds.
    c = club(meetings_=[])
    assert club_result(compute([c], as_of=D(Y, 1, 30))).values["sinh_hoat_hang_thang"]
    late = club(founded=D(Y, 11, 20), meetings_=[])
    assert club_result(compute([late])).figures.months_required == [11, 12]
    assert club_result(compute([late], as_of=D(Y, 11, 29))).values["sinh_hoat_hang_thang"]


def test_mid_year_as_of_ignores_later_rows() -> None:
    # ND8 only in a session after A; a transformation flag only after A.
    contents = {**ALL8, "quyen_loi": False}
    ms = meetings(range(1, 7), contents=contents) + meetings([7], contents={"quyen_loi": True},
                                                            chuyen_doi_xanh=True)
    fund = fund_ok() + [M.FundEntry(row=0, date=D(Y, 8, 1), fund=S.FUND_INCOME,
                                    direction=S.PAYMENT, amount=500_000)]
    c = club(meetings_=ms, fund=fund)
    mid = club_result(compute([c], as_of=D(Y, 6, 30)))
    assert mid.values["sinh_hoat_hang_thang"]
    assert not mid.values["du_8_noi_dung"] and not mid.values["cds_xanh_khoi_nghiep"]
    assert fmt.criterion_detail(mid.figures, "du_8_noi_dung") == "thiếu ND8"
    assert mid.figures.funds[S.FUND_INCOME].closing == 500_000  # the August payment is later
    assert "quy" not in mid.criteria_failed
    end = club_result(compute([c]))
    assert end.values["du_8_noi_dung"] and end.values["cds_xanh_khoi_nghiep"]
    assert not end.values["sinh_hoat_hang_thang"]  # August–December without a session
    assert end.figures.funds[S.FUND_INCOME].closing == 0
    assert "quy" in end.criteria_failed


def test_eight_contents_over_sessions() -> None:
    ms = [M.Meeting(row=0, date=D(Y, m, 5), attendance=10, **{code: True})
          for m, code in zip(range(1, 9), S.CONTENT_CODES, strict=True)]
    ms += meetings(range(9, 13), contents={})
    assert club_result(compute([club(meetings_=ms)])).values["du_8_noi_dung"]
    seven = [m for m in ms if not m.cham_soc_tai_nha]
    r = compute([club(meetings_=seven)])
    assert not club_result(r).values["du_8_noi_dung"]
    assert fmt.criterion_detail(club_result(r).figures, "du_8_noi_dung") == "thiếu ND6"


def test_clb_du_8_noi_dung_needs_both_contents_and_monthly() -> None:
    both = club("MH-01")
    contents_only = club("MH-02", meetings_=meetings(range(1, 12)))
    monthly_only = club("MH-03", meetings_=meetings(contents={**ALL8, "nguon_luc": False}))
    r = compute([both, contents_only, monthly_only])
    assert ind(r, "clb_du_8_noi_dung")[:3] == (1, 3, 1 / 3)
    assert ind(r, "clb_du_8_noi_dung")[3] == "chua_dat"
    r2 = compute([both, club("MH-04"), monthly_only])
    assert ind(r2, "clb_du_8_noi_dung") == (2, 3, 2 / 3, "dat")


@pytest.mark.parametrize("flag", S.TRANSFORMATION_CODES)
def test_transformation_flags(flag: str) -> None:
    with_flag = club("MH-01", meetings_=meetings(**{flag: False}) + meetings([3], **{flag: True}))
    without = club("MH-02")
    r = compute([with_flag, without])
    assert ind(r, "clb_cds_xanh_khoi_nghiep") == (1, 2, 0.5, "dat")


# --- board training -----------------------------------------------------------------------------

def board(name: str, initial_year: int | None, role: str = S.CHAIR, **kw: Any) -> M.Member:
    return member(name, role=role, initial_training_year=initial_year, **kw)


def training(name: str, kind: str, day: dt.date = MARCH) -> M.Training:
    return M.Training(row=0, date=day, name=name, kind=kind)


@pytest.mark.parametrize(("initial_year", "rows", "trained"), [
    (Y, [], True),  # initial training this year: no refresher needed
    (None, [S.TRAINING_INITIAL], True),  # a `Ban đầu` row this year
    (Y - 2, [], False),  # trained before, no refresher this year
    (Y - 2, [S.TRAINING_REFRESHER], True),
    (None, [S.TRAINING_REFRESHER], False),  # refresher without any initial training
    (None, [], False),
    (Y + 1, [], False),  # an initial training year after Y is no initial training
])
def test_trained_board_member(initial_year: int | None, rows: list[str], trained: bool) -> None:
    c = club(members=[board("Nguyễn Thị Lan", initial_year)] + people(5),
             trainings=[training("Nguyễn Thị Lan", k) for k in rows])
    r = compute([c])
    assert ind(r, "bcn_tap_huan")[:2] == (int(trained), 1)
    assert ("bcn_tap_huan" in club_result(r).criteria_failed) is not trained


def test_training_names_match_ignoring_case_and_spaces() -> None:
    c = club(members=[board("Nguyễn Thị Lan", Y - 3)],
             trainings=[training("  nguyễn   thị LAN ", S.TRAINING_REFRESHER)])
    assert ind(compute([c]), "bcn_tap_huan")[:2] == (1, 1)


def test_training_after_as_of_does_not_count() -> None:
    c = club(members=[board("Lan", Y - 3)],
             trainings=[training("Lan", S.TRAINING_REFRESHER, D(Y, 9, 1))])
    assert ind(compute([c], as_of=D(Y, 6, 30)), "bcn_tap_huan")[:2] == (0, 1)
    assert ind(compute([c]), "bcn_tap_huan")[:2] == (1, 1)


def test_board_members_pooled_over_clubs_and_inactive_ones_left_out() -> None:
    a = club("MH-01", [board("A", Y), board("B", Y - 1, S.BOARD_ROLES[1])] + people(3))
    b = club("MH-02", [board("C", Y - 1), board("D", Y, left=D(Y - 1, 5, 1))] + people(3),
             trainings=[training("C", S.TRAINING_REFRESHER)])
    r = compute([a, b])
    # A (initial in Y) and C (refresher) trained; B not; D left before Y.
    assert ind(r, "bcn_tap_huan") == (2, 3, 2 / 3, "chua_dat")
    assert club_result(r, "MH-01").values["bcn_tap_huan"] == 0.5
    assert club_result(r, "MH-02").values["bcn_tap_huan"] == 1.0


def test_no_board_fails_the_standard() -> None:
    c = club(members=people(30, 10, 5, 5))
    res = club_result(compute([c]))
    assert res.values["bcn_tap_huan"] is None
    assert "bcn_tap_huan" in res.criteria_failed


# --- livelihood support -----------------------------------------------------------------------

def test_livelihood_pooled_over_active_members_in_need() -> None:
    a = club("MH-01", [member(needs_livelihood=True, got_livelihood=True),
                       member(needs_livelihood=True),
                       member(got_livelihood=True)])  # supported without need: not counted
    b = club("MH-02", [member(needs_livelihood=True, got_livelihood=True),
                       member(needs_livelihood=True, got_livelihood=True, left=D(Y - 1, 1, 1))])
    assert ind(compute([a, b]), "ho_tro_sinh_ke") == (2, 3, 2 / 3, "dat")


# --- the standard ---------------------------------------------------------------------------

def standard_club(**kw: Any) -> M.Club:
    """50 members: 30 older women, 10 young women, 10 older men; a board trained this year."""
    ms = [board("Chủ nhiệm", kw.get("year", Y))] + people(29, 10, 10)
    return club(members=kw.pop("members", ms), **kw)


def test_standard_club_fixture_meets_every_criterion() -> None:
    res = club_result(compute([standard_club()]))
    assert res.figures.criteria == {cr.id: True for cr in CRITERIA}
    assert res.dat_chuan


@pytest.mark.parametrize(("members", "failed"), [
    # board (1 older woman) + people(older women, young women, older men, young men)
    (people(26, 5, 10, 7), ["so_thanh_vien"]),  # 49 members; older women 27/49
    (people(39, 5, 10, 15), []),  # 70 members; older 50, women 45, older women 40
    (people(39, 5, 10, 16), ["so_thanh_vien"]),  # 71 members
    (people(26, 10, 0, 13), ["nct"]),  # 50 members; older 27/50 = 54%
])
def test_member_count_criterion(members: list[M.Member], failed: list[str]) -> None:
    ms = [board("Chủ nhiệm", Y)] + members
    assert club_result(compute([club(members=ms)])).criteria_failed == failed


def test_shares_at_the_thresholds_are_met() -> None:
    # 50 members: older exactly 60%, women exactly 60%, older women exactly 50%.
    ms = [board("Chủ nhiệm", Y)] + people(24, 5, 5, 15)
    res = club_result(compute([club(members=ms)]))
    assert (res.values["nct"], res.values["nu"], res.values["nu_nct"]) == (0.6, 0.6, 0.5)
    assert res.criteria_failed == []
    below = [board("Chủ nhiệm", Y)] + people(24, 4, 5, 16)  # women 29/50
    assert club_result(compute([club(members=below)])).criteria_failed == ["nu"]


def test_fund_criteria() -> None:
    assert club_result(compute([standard_club()])).figures.funds[S.FUND_ACTIVITY].closing == 600_000
    empty_fund = standard_club(opening=(0, 500_000), fund=[
        M.FundEntry(row=0, date=D(Y, 1, 5), fund=S.FUND_INCOME, direction=S.RECEIPT,
                    source=S.MEMBER_CONTRIBUTION, amount=100_000)])
    res = club_result(compute([empty_fund]))
    assert res.criteria_failed == ["quy"]
    assert fmt.criterion_detail(res.figures, "quy").startswith("quỹ hoạt động 0 đồng")
    no_contribution = standard_club(fund=[
        M.FundEntry(row=0, date=D(Y, 1, 5), fund=S.FUND_ACTIVITY, direction=S.RECEIPT,
                    source="Xã hội hóa", amount=100_000)])
    assert club_result(compute([no_contribution])).criteria_failed == ["dong_gop"]
    late = standard_club(fund=[
        M.FundEntry(row=0, date=D(Y, 11, 5), fund=S.FUND_ACTIVITY, direction=S.RECEIPT,
                    source=S.MEMBER_CONTRIBUTION, amount=100_000)])
    assert club_result(compute([late], as_of=D(Y, 10, 31))).criteria_failed == ["dong_gop"]
    assert club_result(compute([late])).criteria_failed == []


def test_fund_closing_balance() -> None:
    fund = [
        M.FundEntry(row=0, date=D(Y, 1, 5), fund=S.FUND_ACTIVITY, direction=S.RECEIPT,
                    source=S.MEMBER_CONTRIBUTION, amount=300_000),
        M.FundEntry(row=0, date=D(Y, 2, 5), fund=S.FUND_ACTIVITY, direction=S.PAYMENT, amount=200_000),
        M.FundEntry(row=0, date=D(Y, 3, 5), fund=S.FUND_INCOME, direction=S.RECEIPT,
                    source="Lãi vay", amount=50_000),
        M.FundEntry(row=0, date=D(Y, 4, 5), fund=S.FUND_INCOME, direction=S.PAYMENT, amount=1_000_000),
    ]
    r = compute([standard_club(fund=fund, opening=(100_000, 2_000_000))])
    f = club_result(r).figures.funds
    assert f[S.FUND_ACTIVITY].closing == 200_000 and f[S.FUND_INCOME].closing == 1_050_000
    figures = r.to_dict()["commune_figures"]["funds"]
    assert figures["receipts_by_source"] == {S.MEMBER_CONTRIBUTION: 300_000, "Lãi vay": 50_000}
    assert (figures["receipts"], figures["payments"]) == (350_000, 1_200_000)


def test_clb_dat_chuan_counts_clubs() -> None:
    clubs = [standard_club(club_id="MH-01"), standard_club(club_id="MH-02"),
             standard_club(club_id="MH-03", meetings_=meetings(range(1, 12)))]
    r = compute(clubs)
    assert ind(r, "clb_dat_chuan") == (2, None, 2, "dang_thuc_hien")
    assert [c.dat_chuan for c in r.clubs] == [True, True, False]
    r2035 = compute([standard_club(club_id="MH-01", year=2035),
                     standard_club(club_id="MH-02", year=2035)], year=2035)
    assert ind(r2035, "clb_dat_chuan") == (2, None, 2, "chua_dat")  # 2031–2035: at least 3


# --- commune-level indicators -------------------------------------------------------------------

def test_officials_trained() -> None:
    officials = [M.Official(row=0, name=n, trained=t) for n, t in (("A", True), ("B", True), ("C", False))]
    assert ind(compute([], commune(officials=officials)), "can_bo_tap_huan") == (2, 3, 2 / 3, "chua_dat")
    assert ind(compute([], commune(officials=officials[:2])), "can_bo_tap_huan") == (2, 2, 1.0, "dat")


def test_outreach_caps_each_village_at_its_target() -> None:
    villages = [M.Village(row=0, name="Đông", outreach_target=300, outreach_reached=350),
                M.Village(row=0, name="Tây", outreach_target=200, outreach_reached=100),
                M.Village(row=0, name="Nam", outreach_target=None, outreach_reached=50),
                M.Village(row=0, name="Bắc", outreach_target=0, outreach_reached=0)]
    assert ind(compute([], commune(villages=villages)), "tuyen_truyen") == (400, 500, 0.8, "dat")
    villages[1].outreach_reached = 99
    assert ind(compute([], commune(villages=villages)), "tuyen_truyen")[3] == "chua_dat"
    # 2031–2035: the target is 75%
    r = compute([], commune(villages=villages), year=2031)
    assert r.indicator("tuyen_truyen").status == "dat"


def test_without_commune_workbook_commune_level_indicators_are_null() -> None:
    r = compute([club()])
    for ind_id in ("can_bo_tap_huan", "tuyen_truyen"):
        assert ind(r, ind_id) == (None, None, None, "khong_co_du_lieu")
    for ind_id in ("thon_co_clb", "ty_le_nop_bao_cao"):  # no target in 2026–2030
        assert ind(r, ind_id) == (None, None, None, "khong_co_chi_tieu")
    assert ind(compute([club(year=2031)], year=2031), "thon_co_clb") == (
        None, None, None, "khong_co_du_lieu")
    assert r.missing == [] and not r.has_commune
    # the club-level indicators are still computed
    assert ind(r, "clb_nu_nct")[:2] == (1, 1)
    assert r.commune == "Mai Hoa"  # from the plan


def test_commune_name_from_the_commune_workbook() -> None:
    assert compute([], commune(name="Mai Hoa Mới")).commune == "Mai Hoa Mới"


# --- known, expected, missing, new clubs, villages ---------------------------------------------

def test_registry_club_without_workbook_is_missing() -> None:
    com = commune(registry=[reg("MH-01", "Thôn Đông"), reg("MH-02", "Thôn Tây")])
    r = compute([club("MH-01")], com)
    assert r.missing == ["MH-02"]
    assert [c.club_id for c in r.clubs] == ["MH-01"]  # not in the per-club ratios
    assert ind(r, "clb_nu_nct")[:2] == (1, 1)
    assert ind(r, "ty_le_nop_bao_cao")[:3] == (1, 2, 0.5)
    assert ind(r, "thon_co_clb")[:2] == (2, 4)  # its village counts
    assert r.to_dict()["missing"] == ["MH-02"]


def test_dissolved_club_is_not_expected() -> None:
    com = commune(registry=[reg("MH-01", "Thôn Đông"),
                            reg("MH-02", "Thôn Tây", dissolved=D(Y, 3, 1)),
                            reg("MH-03", "Thôn Nam", dissolved=D(Y, 9, 1))])
    r = compute([club("MH-01")], com, as_of=D(Y, 6, 30))
    assert r.missing == ["MH-03"]  # dissolved after A: still expected
    assert ind(r, "ty_le_nop_bao_cao")[:2] == (1, 2)
    assert ind(r, "thon_co_clb")[:2] == (2, 4)  # Đông, Nam
    end = compute([club("MH-01")], com)
    assert end.missing == [] and ind(end, "ty_le_nop_bao_cao")[:2] == (1, 1)
    assert ind(end, "thon_co_clb")[:2] == (1, 4)
    assert end.to_dict()["commune_figures"]["clubs"]["dissolved"] == 2


def test_dissolved_club_that_reported_does_not_inflate_the_rate() -> None:
    com = commune(registry=[reg("MH-01", dissolved=D(Y, 2, 1)), reg("MH-02")])
    r = compute([club("MH-01"), club("MH-02")], com)
    assert ind(r, "ty_le_nop_bao_cao")[:2] == (1, 1)
    assert len(r.clubs) == 2  # still a reported club


def test_registry_club_founded_after_as_of_is_not_expected() -> None:
    com = commune(registry=[reg("MH-05", "Thôn Bắc", founded=D(Y, 9, 1)),
                            reg("MH-06", "Thôn Nam", founded=None)])
    r = compute([], com, as_of=D(Y, 6, 30))
    assert r.missing == ["MH-06"]  # no founding date: taken as founded
    assert ind(r, "thon_co_clb")[:2] == (1, 4)
    assert compute([], com).missing == ["MH-05", "MH-06"]


def test_reported_club_information_wins_over_the_registry() -> None:
    com = commune(registry=[reg("MH-01", "Thôn Tây", founded=D(2018, 1, 1))])
    r = compute([club("MH-01", village="thon  dong", founded=D(2026, 3, 1))], com)
    assert ind(r, "thon_co_clb")[:2] == (1, 4)  # Thôn Đông, matched without diacritics
    k = r.known_club("MH-01")
    assert k is not None and k.village == "thon  dong" and k.founded == D(2026, 3, 1)
    assert ind(r, "clb_thanh_lap_moi")[:3] == (1, None, 1)


def test_new_clubs_in_the_phase() -> None:
    com = commune(registry=[reg("MH-07", founded=D(2026, 1, 1)),  # first day of the phase
                            reg("MH-08", founded=D(2025, 12, 31)),
                            reg("MH-09", founded=D(Y, 8, 1), dissolved=D(Y, 10, 1))])
    r = compute([club("MH-01", founded=D(Y, 5, 1))], com, as_of=D(Y, 9, 30))
    # MH-07, MH-01 and MH-09 (founded by A; a later dissolution does not undo the founding)
    assert ind(r, "clb_thanh_lap_moi") == (3, None, 3, "dang_thuc_hien")
    assert r.to_dict()["commune_figures"]["clubs"]["new_in_phase"] == ["MH-01", "MH-07", "MH-09"]
    assert ind(compute([club("MH-01", founded=D(Y, 5, 1))], com, as_of=D(Y, 4, 30)),
               "clb_thanh_lap_moi")[0] == 1
    # 2031: a club founded in 2028 is no longer new
    r31 = compute([club("MH-01", founded=D(2028, 5, 1), year=2031)], None, year=2031)
    assert ind(r31, "clb_thanh_lap_moi") == (0, None, 0, "dang_thuc_hien")


def test_new_club_count_without_commune_uses_reported_clubs() -> None:
    assert ind(compute([club(founded=D(Y, 2, 1))]), "clb_thanh_lap_moi")[0] == 1


# --- phases -----------------------------------------------------------------------------

def test_phase_switch_2031() -> None:
    clubs = [standard_club(club_id=f"MH-0{i}", year=2031) for i in range(1, 4)]
    com = commune(officials=[M.Official(row=0, name="A", trained=True)])
    r = compute(clubs, com, year=2031)
    d = r.to_dict()
    assert d["phase"] == "2031-2035"
    statuses = {i["id"]: i["status"] for i in d["indicators"]}
    targets = {i["id"]: i["target"] for i in d["indicators"]}
    assert targets["tuyen_truyen"] == {"min": 0.75}
    assert targets["clb_dat_chuan"] == {"min": 3}
    assert targets["thon_co_clb"] == {"min": 0.35}
    for no_target in ("clb_du_8_noi_dung", "bcn_tap_huan", "ho_tro_sinh_ke", "ty_le_nop_bao_cao"):
        assert statuses[no_target] == "khong_co_chi_tieu" and targets[no_target] is None
    assert statuses["clb_dat_chuan"] == "dang_thuc_hien"  # a phase target, judged in 2035
    assert r.indicator("tuyen_truyen").name.startswith("75%")
    # 2030 is still the first phase
    r30 = compute([standard_club(year=2030)], com, year=2030)
    assert r30.phase.id == "2026-2030" and r30.indicator("thon_co_clb").status == "khong_co_chi_tieu"


def test_custom_plan_changes_targets_and_nct_age(tmp_path: Path) -> None:
    text = shipped_text().replace("nct_age = 60", "nct_age = 66").replace("min = 0.6\n", "min = 0.2\n")
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    plan = load_plan(path)
    c = club(members=people(6, n_young_men=4))  # older women are 65: not NCT at 66
    r = compute([c], plan=plan)
    assert club_result(r).values["nu_nct"] == 0.0
    assert r.indicator("clb_du_8_noi_dung").target.min == 0.2  # type: ignore[union-attr]


# --- as-of ----------------------------------------------------------------------------------

def test_default_as_of() -> None:
    assert default_as_of(Y, today=D(Y, 5, 17)) == D(Y, 5, 17)
    assert default_as_of(Y, today=D(Y + 1, 1, 10)) == D(Y, 12, 31)
    r = compute_indicators([club()], None, year=Y, today=D(Y, 5, 17))
    assert r.as_of == D(Y, 5, 17) and r.to_dict()["as_of"] == "2027-05-17"
    assert club_result(r).figures.months_required == [1, 2, 3, 4]


def test_as_of_outside_the_year_is_refused() -> None:
    with pytest.raises(ValueError, match="không thuộc năm 2027"):
        compute([club()], as_of=D(Y + 1, 1, 5))


# --- phase-cumulative targets (SPEC §9): judged at the phase's last year ----------------------------

@pytest.mark.parametrize(("year", "founded_in_year", "new", "standard"), [
    (2026, True, "dang_thuc_hien", "dang_thuc_hien"),  # met already: still in progress
    (2029, False, "dang_thuc_hien", "dang_thuc_hien"),  # not met: in progress, never chưa đạt
    (2030, True, "dat", "dat"),  # the phase's last year: judged
    (2030, False, "chua_dat", "dat"),
    (2031, True, "dang_thuc_hien", "dang_thuc_hien"),  # a new phase
    (2035, True, "dat", "chua_dat"),  # 1 club at the standard, the plan wants 3
])
def test_phase_targets_are_judged_in_the_phase_last_year(year: int, founded_in_year: bool,
                                                         new: str, standard: str) -> None:
    founded = D(year, 1, 1) if founded_in_year else FOUNDED
    r = compute([standard_club(year=year, founded=founded)], year=year)
    assert ind(r, "clb_thanh_lap_moi") == (int(founded_in_year), None, int(founded_in_year), new)
    assert ind(r, "clb_dat_chuan") == (1, None, 1, standard)
    assert r.indicator("clb_dat_chuan").cumulative and r.indicator("clb_thanh_lap_moi").cumulative
    # Other targets are yearly, whatever the year.
    assert ind(r, "clb_nu_nct")[3] == "dat" and not r.indicator("clb_nu_nct").cumulative


def test_no_target_and_no_data_win_over_in_progress(tmp_path: Path) -> None:
    from fractions import Fraction

    from clubtool.indicators.compute import status_of
    from clubtool.indicators.plan import Target

    assert status_of(Fraction(1), None, in_progress=True) == "khong_co_chi_tieu"
    assert status_of(None, Target(1), in_progress=True) == "khong_co_du_lieu"
    assert status_of(0, Target(1), in_progress=True) == "dang_thuc_hien"
    # A commune-level target marked cumulative: no commune workbook → no data.
    text = shipped_text().replace("min = 0.8\n", "min = 0.8\ncumulative = true\n")
    plan = load_plan(tmp_path / "p.toml") if (tmp_path / "p.toml").write_text(
        text, encoding="utf-8") else None
    assert ind(compute([club()], plan=plan), "tuyen_truyen")[3] == "khong_co_du_lieu"
    assert ind(compute([club()], commune(), plan=plan), "tuyen_truyen") == (
        400, 400, 1.0, "dang_thuc_hien")


def test_which_targets_are_cumulative_is_the_plan_s_choice(tmp_path: Path) -> None:
    c = standard_club(founded=D(Y, 1, 1))
    yearly = shipped_text().replace("cumulative = true\n", "")
    (tmp_path / "yearly.toml").write_text(yearly, encoding="utf-8")
    r = compute([c], plan=load_plan(tmp_path / "yearly.toml"))
    assert ind(r, "clb_thanh_lap_moi")[3] == "dat" and ind(r, "clb_dat_chuan")[3] == "dat"
    ratio = shipped_text().replace("[phases.targets.clb_cds_xanh_khoi_nghiep]\nmin = 0.5\n",
                                   "[phases.targets.clb_cds_xanh_khoi_nghiep]\nmin = 0.5\n"
                                   "cumulative = true\n")
    (tmp_path / "ratio.toml").write_text(ratio, encoding="utf-8")
    r = compute([c], plan=load_plan(tmp_path / "ratio.toml"))
    assert ind(r, "clb_cds_xanh_khoi_nghiep") == (0, 1, 0.0, "dang_thuc_hien")  # not chua_dat


def test_in_progress_in_json_and_csv() -> None:
    r = compute([standard_club()])
    d = r.to_dict()
    statuses = {i["id"]: i["status"] for i in d["indicators"]}
    assert statuses["clb_thanh_lap_moi"] == statuses["clb_dat_chuan"] == "dang_thuc_hien"
    meta = d["plan"]["indicators"]
    assert meta["clb_dat_chuan"]["cumulative"] is True
    assert meta["tuyen_truyen"]["cumulative"] is False and meta["tuyen_truyen"]["commune_level"]
    assert d["plan"]["phase_last_year"] == 2030
    rows = {line.split(",")[0]: line for line in fmt.to_csv(r).splitlines()}
    assert rows["clb_dat_chuan"].endswith(",dang_thuc_hien,đang thực hiện")
    assert fmt.to_csv(r, "en").splitlines()[5].endswith(",dang_thuc_hien,in progress")
    assert set(fmt.STATUS_WORDS) == set(STATUSES)
    assert {s: i18n.t(f"status.{s}", "vi") for s in STATUSES} == fmt.STATUS_WORDS


def test_phase_progress_text() -> None:
    assert fmt.phase_progress(2, "count", 1, 2, 2026, 2030, "CLB") == (
        "đã có 2 CLB, đủ mức kế hoạch giai đoạn 2026 - 2030 (từ 1 đến 2 CLB)")
    assert fmt.phase_progress(0, "count", 1, 3, 2026, 2030, "CLB") == (
        "đã có 0 CLB, kế hoạch giai đoạn 2026 - 2030 là từ 1 đến 3 CLB")
    assert fmt.phase_progress(2, "count", 3, None, 2031, 2035, "CLB") == (
        "đã có 2 CLB, kế hoạch giai đoạn 2031 - 2035 là ít nhất 3 CLB")
    assert fmt.phase_progress(0.35, "ratio", 0.35, None, 2031, 2035) == (
        "đạt 35%, đủ mức kế hoạch giai đoạn 2031 - 2035 (35%)")


# --- dates: an as-of date after today is an estimate -------------------------------------------

@pytest.mark.parametrize(("year", "as_of", "today", "used", "warnings"), [
    (2027, None, D(2026, 12, 4), D(2027, 12, 31),
     ["Số liệu tính đến 31/12/2027, sau hôm nay 04/12/2026: là số ước tính (năm 2027 chưa bắt "
      "đầu)."]),
    (2027, D(2027, 12, 31), D(2027, 12, 4), D(2027, 12, 31),
     ["Số liệu tính đến 31/12/2027, sau hôm nay 04/12/2027: là số ước tính."]),
    (2027, None, D(2027, 12, 4), D(2027, 12, 4), []),
    (2026, None, D(2027, 1, 10), D(2026, 12, 31), []),
    (2027, D(2027, 6, 30), D(2027, 6, 30), D(2027, 6, 30), []),
])
def test_as_of_after_today_is_an_estimate(year: int, as_of: dt.date | None, today: dt.date,
                                          used: dt.date, warnings: list[str]) -> None:
    r = compute_indicators([club(year=year)], None, year=year, as_of=as_of, today=today)
    assert r.as_of == used
    assert r.warnings == warnings
    assert r.to_dict()["warnings"] == warnings


# --- order independence, ranges (hypothesis) ------------------------------------------------------

GENDERS = st.sampled_from(["Nam", "Nữ"])
DATES = st.dates(D(Y, 1, 1), D(Y, 12, 31))


@st.composite
def random_club(draw: st.DrawFn, club_id: str) -> M.Club:
    ms = []
    for i in range(draw(st.integers(0, 12))):
        role = draw(st.sampled_from([None, None, *S.BOARD_ROLES]))
        ms.append(M.Member(
            row=i + 2, name=f"Người {i}", gender=draw(GENDERS), birth_year=draw(st.integers(1930, Y)),
            joined=draw(st.none() | st.dates(D(2015, 1, 1), D(Y, 12, 31))),
            left=draw(st.none() | st.dates(D(2020, 1, 1), D(Y, 12, 31))), role=role,
            initial_training_year=draw(st.none() | st.integers(2015, Y + 1)) if role else None,
            needs_livelihood=draw(st.booleans()), got_livelihood=draw(st.booleans())))
    flags = st.fixed_dictionaries({c: st.booleans() for c in (*S.CONTENT_CODES, *S.TRANSFORMATION_CODES)})
    mts = [M.Meeting(row=0, date=draw(DATES), attendance=5, **draw(flags))
           for _ in range(draw(st.integers(0, 14)))]
    trs = [M.Training(row=0, date=draw(DATES), name=f"Người {draw(st.integers(0, 12))}",
                      kind=draw(st.sampled_from(S.TRAINING_KINDS)))
           for _ in range(draw(st.integers(0, 4)))]
    fund = [M.FundEntry(row=0, date=draw(DATES), fund=draw(st.sampled_from(S.FUNDS)),
                        direction=draw(st.sampled_from(S.DIRECTIONS)),
                        source=draw(st.sampled_from(S.FUND_SOURCES)),
                        amount=draw(st.integers(1, 10**6)))
            for _ in range(draw(st.integers(0, 4)))]
    founded = draw(st.dates(D(2015, 1, 1), D(Y, 12, 31)))
    c = club(club_id, ms, meetings_=mts, trainings=trs, fund=fund, founded=founded,
             village=draw(st.sampled_from(["Thôn Đông", "thôn tây", "Thôn Xa", None])))
    return c


@st.composite
def scenario(draw: st.DrawFn) -> tuple[list[M.Club], M.Commune | None, dt.date]:
    n = draw(st.integers(0, 5))
    clubs = [draw(random_club(f"MH-{i:02d}")) for i in range(1, n + 1)]
    com = None
    if draw(st.booleans()):
        regs = [reg(f"MH-{i:02d}", draw(st.sampled_from(["Thôn Đông", "Thôn Nam"])),
                    founded=draw(st.none() | DATES), dissolved=draw(st.none() | DATES))
                for i in draw(st.lists(st.integers(1, 8), unique=True, max_size=6))]
        villages = [M.Village(row=0, name=v, outreach_target=draw(st.none() | st.integers(0, 50)),
                              outreach_reached=draw(st.none() | st.integers(0, 80)))
                    for v in ("Thôn Đông", "Thôn Tây", "Thôn Nam")]
        officials = [M.Official(row=0, name="x", trained=draw(st.booleans()))
                     for _ in range(draw(st.integers(0, 3)))]
        com = commune(villages=villages, registry=regs, officials=officials)
    return clubs, com, draw(DATES)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario(), st.randoms(use_true_random=False), st.sampled_from([Y, 2031]))
def test_ratios_in_range_and_order_independent(sc: Any, rnd: random.Random, year: int) -> None:
    clubs, com, as_of = sc
    if year != Y:  # move the scenario to 2031: only the year changes
        as_of = as_of.replace(year=year, day=min(as_of.day, 28))
        for c in clubs:
            c.info.year = year
    first = compute(clubs, com, year=year, as_of=as_of)
    for v in first.indicators:
        if v.unit == "ratio" and v.value is not None:
            assert 0 <= v.value <= 1, v.id
            assert v.numerator is not None and v.denominator
            assert 0 <= v.numerator <= v.denominator
        if v.value is None:
            assert v.status in ("khong_co_du_lieu", "khong_co_chi_tieu")
    for c in first.clubs:
        for key in ("nu_nct", "bcn_tap_huan", "nct", "nu"):
            x = c.values[key]
            assert x is None or 0 <= x <= 1
    shuffled = list(clubs)
    rnd.shuffle(shuffled)
    second = compute(shuffled, com, year=year, as_of=as_of)
    assert json.dumps(first.to_dict(), default=str) == json.dumps(second.to_dict(), default=str)


# --- formatting -------------------------------------------------------------------------------

@pytest.mark.parametrize(("x", "text"), [(0.819, "81,9%"), (0.8, "80%"), (1, "100%"),
                                         (0.99996, "99,9%"), (0.00001, "0,1%"), (0, "0%"),
                                         (2 / 3, "66,7%")])
def test_percent(x: float, text: str) -> None:
    assert fmt.percent(x) == text


def test_number_and_targets() -> None:
    from clubtool.indicators import Target

    assert fmt.number(1234567) == "1.234.567"
    assert fmt.target_text(Target(0.8), "ratio") == "≥ 80%"
    assert fmt.target_text(Target(1.0), "ratio") == "100%"
    assert fmt.target_text(Target(1, 3), "count") == "≥ 1 (kế hoạch: 1–3)"
    assert fmt.target_text(None, "count") == "—"


def test_csv_one_row_per_indicator() -> None:
    text = fmt.to_csv(compute([club()]))
    lines = text.splitlines()
    assert lines[0].split(",")[:3] == ["id", "name", "unit"]
    assert len(lines) == 1 + len(INDICATORS)


# --- the command --------------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "du_lieu"
    folder.mkdir()
    write_club(folder / "clb_dong.xlsx", club_data())
    write_commune(folder / "xa.xlsx", commune_data())
    return folder


def run(*args: str) -> Any:
    return runner.invoke(app, ["indicators", *args])


def test_cli_json(data: Path) -> None:
    r = run(str(data), "--year", "2027", "--as-of", "31/12/2027", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["phase"] == "2026-2030" and d["as_of"] == "2027-12-31"
    assert d["missing"] == ["MH-02"] and d["excluded"] == []
    (c,) = d["clubs"]
    assert c["club_id"] == "MH-01" and c["members"] == 60 and c["dat_chuan"] is True
    by_id = {i["id"]: i for i in d["indicators"]}
    assert by_id["tuyen_truyen"]["numerator"] == 1000 and by_id["tuyen_truyen"]["denominator"] == 1200
    assert by_id["can_bo_tap_huan"]["value"] == 0.5
    assert by_id["ty_le_nop_bao_cao"]["value"] == 0.5


def test_cli_table(data: Path) -> None:
    r = run(str(data), "--year", "2027", "--as-of", "2027-12-31")
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "80% hội viên" in out and "83,3%" in out and "chưa đạt" in out and "đạt" in out
    assert "MH-01" in out
    assert "MH-02" in out and "chưa gửi báo cáo" in out


def test_cli_csv(data: Path) -> None:
    r = run(str(data), "--year", "2027", "--format", "csv", "--as-of", "2027-12-31")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert len(lines) == 1 + len(INDICATORS) and lines[1].startswith("can_bo_tap_huan,")


def test_cli_excluded_file_exits_1(data: Path) -> None:
    bad = changed(club_data(club_id="MH-02", village="Thôn Tây"), "members", 7, gender="Gái")
    write_club(data / "clb_tay.xlsx", bad)
    r = run(str(data), "--year", "2027", "--format", "json", "--as-of", "2027-12-31")
    assert r.exit_code == 1, r.output
    d = json.loads(r.stdout)
    assert [e["path"] for e in d["excluded"]] == [str(data / "clb_tay.xlsx")]
    # The reason names the problem and its cell, never the value (it may be a member's name).
    reason = d["excluded"][0]["reason"]
    assert "(trang 'Thành viên', ô C9)" in reason and "Gái" not in reason
    assert d["missing"] == ["MH-02"]  # its workbook is not valid
    table = run(str(data), "--year", "2027", "--as-of", "2027-12-31")
    assert table.exit_code == 1 and "clb_tay.xlsx" in table.stdout


def test_cli_commune_option_and_other_years(data: Path, tmp_path: Path) -> None:
    commune_file = tmp_path / "mau_xa.xlsx"
    (data / "xa.xlsx").rename(commune_file)
    write_club(data / "clb_2026.xlsx", club_data(year=2026, club_id="MH-05"))
    r = run(str(data), "--year", "2027", "--commune", str(commune_file), "--format", "json",
            "--as-of", "2027-12-31")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert [c["club_id"] for c in d["clubs"]] == ["MH-01"]
    assert d["indicators"][0]["denominator"] == 2  # officials of the commune workbook


def test_cli_without_commune(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_club(tmp_path / "clb.xlsx", club_data())
    r = run("--year", "2027", "--format", "json", "--as-of", "2027-12-31")  # default: the cwd
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["indicators"][0]["status"] == "khong_co_du_lieu" and d["missing"] == []


def test_cli_warnings_go_to_stderr(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("clubtool.indicators.compute.clock_today", lambda: D(2026, 12, 4))
    r = run(str(data), "--year", "2027", "--as-of", "2027-06-30", "--format", "json")
    assert r.exit_code == 0, r.output
    expected = "Số liệu tính đến 30/06/2027, sau hôm nay 04/12/2026: là số ước tính"
    assert json.loads(r.stdout)["warnings"] == [expected + " (năm 2027 chưa bắt đầu)."]
    assert f"Cảnh báo: {expected}" in r.stderr
    table = run(str(data), "--year", "2027")  # default as-of: 31/12/2027, still ahead
    assert "Cảnh báo: Số liệu tính đến 31/12/2027" in " ".join(table.output.split())
    monkeypatch.setattr("clubtool.indicators.compute.clock_today", lambda: D(2027, 12, 4))
    r = run(str(data), "--year", "2027", "--format", "csv")
    assert r.exit_code == 0 and "Cảnh báo" not in r.stderr


def test_cli_table_phase_targets_in_progress(data: Path) -> None:
    r = run(str(data), "--year", "2027", "--as-of", "2027-06-30")
    assert r.exit_code == 0, r.output
    out = " ".join(r.stdout.split())
    assert "đang thực hiện" in out and "cả giai đoạn" in out
    assert ("Có ít nhất từ 01 - 03 câu lạc bộ hoạt động đạt chuẩn: đang thực hiện, đã có 0 CLB, "
            "kế hoạch giai đoạn 2026-2030 là từ 1 đến 3 CLB; đánh giá vào năm 2030.") in out


def test_cli_table_warns_above_it_without_commune(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_club(tmp_path / "clb.xlsx", club_data())
    r = run("--year", "2027", "--as-of", "2027-12-31")
    assert r.exit_code == 0, r.output
    out = " ".join(r.stdout.split())
    warning = out.index("Cảnh báo: không có tệp mẫu của xã")
    assert warning < out.index("Chỉ tiêu kế hoạch")
    for name in ("Cán bộ triển khai Kế hoạch được tập huấn", "Tỷ lệ câu lạc bộ nộp báo cáo",
                 "Thôn có câu lạc bộ liên thế hệ tự giúp nhau", "--commune"):
        assert name in out[warning:out.index("Chỉ tiêu kế hoạch")], name


def test_cli_custom_plan(data: Path, tmp_path: Path) -> None:
    plan = tmp_path / "ke_hoach.toml"
    plan.write_text(shipped_text().replace("min = 0.8\n", "min = 0.9\n"), encoding="utf-8")
    r = run(str(data), "--year", "2027", "--plan", str(plan), "--format", "json",
            "--as-of", "2027-12-31")
    assert r.exit_code == 0, r.output
    tt = next(i for i in json.loads(r.stdout)["indicators"] if i["id"] == "tuyen_truyen")
    assert tt["target"] == {"min": 0.9} and tt["status"] == "chua_dat"


@pytest.mark.parametrize(("args", "message"), [
    (["--plan", "broken.toml"], "khóa 'mim' không được biết"),
    (["--plan", "khong_co.toml"], "Không tìm thấy tệp kế hoạch"),
    (["--as-of", "32/13/2027"], "không phải một ngày"),
    (["--as-of", "2028-01-05"], "không thuộc năm 2027"),
    (["--format", "xml"], "--format chỉ nhận"),
])
def test_cli_cannot_run_exits_2(data: Path, args: list[str], message: str) -> None:
    Path("broken.toml").write_text(MINIMAL.replace("min = 0.8", "mim = 0.8"), encoding="utf-8")
    r = run(str(data), "--year", "2027", *args)
    assert r.exit_code == 2
    assert message in r.output
    assert "Traceback" not in r.output


def test_cli_year_outside_the_plan_and_no_inputs(data: Path, tmp_path: Path) -> None:
    r = run(str(data), "--year", "2036")
    assert r.exit_code == 2 and "không thuộc giai đoạn nào" in r.output
    empty = tmp_path / "trong"
    empty.mkdir()
    r = run(str(empty), "--year", "2027")
    assert r.exit_code == 2 and "Không có tệp báo cáo năm 2027" in r.output
    r = run(str(data))  # no year anywhere: the latest year of the data, said on stderr
    assert r.exit_code in (0, 1) and "Năm báo cáo: 2027 — năm mới nhất" in r.stderr


def test_indicators_package_imports_nothing_heavy() -> None:
    code = ("import sys, clubtool.indicators, clubtool.indicators.format; "
            "print(sorted(m for m in ('pandas', 'rich', 'typer', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_sample_data_agrees_with_its_profiles(tmp_path: Path) -> None:
    """The sample generator states, per club, which criteria of the standard fail."""
    import clubtool_sample as sample

    from clubtool.validation import validate

    sample.write_sample_data(tmp_path, year=Y)
    report = validate([tmp_path], year=Y)
    r = compute_indicators(report.valid_clubs(), report.commune, year=Y, as_of=D(Y, 12, 31),
                           excluded=report.excluded())
    got = {c.club_id: c.criteria_failed for c in r.clubs}
    for p in sample.PROFILES:
        if p.produced and p.valid:
            assert got[p.club_id] == list(p.failed), p.club_id
            assert club_result(r, p.club_id).dat_chuan is p.standard
        else:
            assert p.club_id not in got and p.club_id in r.missing
    # the invalid Mai Hoa clubs, and the club of the neighbouring commune (wrong-commune)
    assert len(r.excluded) == sum(1 for p in sample.PROFILES if p.produced and not p.valid) + 1
