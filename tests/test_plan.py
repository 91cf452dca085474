"""The plan file: the shipped Mai Hoa plan says what SPEC §4 says; broken files fail clearly."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from clubtool.indicators import INDICATORS, PlanError, default_plan, load_plan
from clubtool.indicators.plan import DEFAULT_PLAN, Target, exact

SPEC_IDS = ["can_bo_tap_huan", "tuyen_truyen", "clb_thanh_lap_moi", "clb_nu_nct", "clb_dat_chuan",
            "clb_du_8_noi_dung", "clb_cds_xanh_khoi_nghiep", "bcn_tap_huan", "ho_tro_sinh_ke",
            "thon_co_clb", "ty_le_nop_bao_cao"]

# SPEC §4's table: id → (2026–2030 target, 2031–2035 target); None = no target.
SPEC_TARGETS: dict[str, tuple[Target | None, Target | None]] = {
    "can_bo_tap_huan": (Target(1.0), Target(1.0)),
    "tuyen_truyen": (Target(0.8), Target(0.75)),
    "clb_thanh_lap_moi": (Target(1, 2), Target(1)),
    "clb_nu_nct": (Target(1.0), Target(1.0)),
    "clb_dat_chuan": (Target(1, 3), Target(3)),
    "clb_du_8_noi_dung": (Target(0.6), None),
    "clb_cds_xanh_khoi_nghiep": (Target(0.5), Target(1.0)),
    "bcn_tap_huan": (Target(1.0), None),
    "ho_tro_sinh_ke": (Target(0.55), None),
    "thon_co_clb": (None, Target(0.35)),
    "ty_le_nop_bao_cao": (None, None),
}


def shipped_text() -> str:
    return resources.files("clubtool.indicators").joinpath("plans", DEFAULT_PLAN).read_text("utf-8")


def write_plan(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "ke_hoach.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_registry_has_spec_ids_in_order() -> None:
    assert [i.id for i in INDICATORS] == SPEC_IDS
    units = {i.id: i.unit for i in INDICATORS}
    assert {k for k, u in units.items() if u == "count"} == {"clb_thanh_lap_moi", "clb_dat_chuan"}


def test_shipped_plan_matches_spec_targets() -> None:
    plan = default_plan()
    assert plan.commune == "Mai Hoa"
    assert plan.nct_age == 60
    assert [p.id for p in plan.phases] == ["2026-2030", "2031-2035"]
    first, second = plan.phases
    for ind_id, (t1, t2) in SPEC_TARGETS.items():
        assert first.target(ind_id) == t1, ind_id
        assert second.target(ind_id) == t2, ind_id


def test_shipped_plan_marks_the_phase_targets_cumulative() -> None:
    """New clubs in the phase and clubs at the standard by its end are phase targets (SPEC §9),
    in both phases; every other target is yearly."""
    for phase in default_plan().phases:
        marked = {i for i, pi in phase.indicators.items() if pi.cumulative}
        assert marked == {"clb_thanh_lap_moi", "clb_dat_chuan"}, phase.id
        assert phase.cumulative("clb_dat_chuan") and not phase.cumulative("tuyen_truyen")
        assert not phase.cumulative("ty_le_nop_bao_cao")  # no entry at all in the phase


def test_a_plan_may_mark_any_target_cumulative(tmp_path: Path) -> None:
    plan = load_plan(write_plan(tmp_path, MINIMAL.replace("min = 0.8", "min = 0.8\ncumulative = true")))
    assert plan.phase_for(2030).cumulative("tuyen_truyen")
    plan = load_plan(write_plan(tmp_path, MINIMAL.replace("min = 0.8", "min = 0.8\ncumulative = false")))
    assert not plan.phase_for(2030).cumulative("tuyen_truyen")


def test_shipped_plan_counts_are_integers_ratios_fractions() -> None:
    plan = default_plan()
    units = {i.id: i.unit for i in INDICATORS}
    for phase in plan.phases:
        for ind_id, pi in phase.indicators.items():
            if pi.target is None:
                continue
            if units[ind_id] == "count":
                assert isinstance(pi.target.min, int) and not isinstance(pi.target.min, bool)
            else:
                assert 0 <= pi.target.min <= 1


def test_shipped_plan_standard() -> None:
    s = default_plan().standard
    assert (s.members_min, s.members_max) == (50, 70)
    assert s.older_share_min == 0.6 and s.women_share_min == 0.6
    assert (s.female_older_share_min, s.female_older_share_max) == (0.5, 0.6)
    assert s.fund_balance_above == 0 and s.member_contribution_receipt is True
    assert default_plan().age_bands == (60, 70, 80)


def test_names_use_the_plan_wording_per_phase() -> None:
    first, second = default_plan().phases
    assert first.indicators["tuyen_truyen"].name.startswith("80% hội viên, người cao tuổi và cộng đồng")
    assert second.indicators["tuyen_truyen"].name.startswith("75% hội viên")
    assert "nâng cao nhận thức, kiến thức" in (first.indicators["tuyen_truyen"].text or "")
    assert "01 - 03" in (first.indicators["clb_dat_chuan"].name or "")


@pytest.mark.parametrize(("year", "phase"), [(2026, "2026-2030"), (2030, "2026-2030"),
                                             (2031, "2031-2035"), (2035, "2031-2035")])
def test_phase_follows_from_the_year(year: int, phase: str) -> None:
    assert default_plan().phase_for(year).id == phase


@pytest.mark.parametrize("year", [2025, 2036])
def test_year_outside_the_plan(year: int) -> None:
    with pytest.raises(PlanError, match=f"Năm {year} không thuộc giai đoạn nào"):
        default_plan().phase_for(year)


def test_load_plan_without_path_is_the_shipped_plan(tmp_path: Path) -> None:
    assert load_plan() is default_plan()
    copy = load_plan(write_plan(tmp_path, shipped_text()))
    assert copy.phases == default_plan().phases
    assert copy.standard == default_plan().standard


def test_exact_compares_plan_figures_exactly() -> None:
    from fractions import Fraction

    assert exact(0.6) == Fraction(3, 5)
    assert exact(0.55) == Fraction(11, 20)
    assert Target(0.8).met(Fraction(4, 5))
    assert not Target(0.8).met(Fraction(799, 1000))


def test_a_custom_plan(tmp_path: Path) -> None:
    text = shipped_text().replace('commune = "Mai Hoa"', 'commune = "Xuân Lộc"')
    text = text.replace("nct_age = 60", "nct_age = 65").replace("min = 0.8\n", "min = 0.9\n")
    plan = load_plan(write_plan(tmp_path, text))
    assert plan.commune == "Xuân Lộc" and plan.nct_age == 65
    assert plan.phase_for(2027).target("tuyen_truyen") == Target(0.9)
    assert plan.source.endswith("ke_hoach.toml")


MINIMAL = """
commune = "Xã Thử"
title = "Kế hoạch thử"
nct_age = 60
age_bands = [60, 70, 80]

[standard]
members_min = 50
members_max = 70
older_share_min = 0.6
women_share_min = 0.6
female_older_share_min = 0.5
female_older_share_max = 0.6
fund_balance_above = 0
member_contribution_receipt = true

[[phases]]
first_year = 2026
last_year = 2035

[phases.targets.tuyen_truyen]
min = 0.8
"""


def test_a_minimal_plan(tmp_path: Path) -> None:
    plan = load_plan(write_plan(tmp_path, MINIMAL))
    phase = plan.phase_for(2033)
    assert phase.title == "Giai đoạn 2026 - 2035"
    assert phase.target("tuyen_truyen") == Target(0.8)
    assert phase.target("clb_dat_chuan") is None


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace('commune = "Xã Thử"', 'commune = "Xã Thử"\nxa = 1'),
     "khóa 'xa' không được biết"),
    (lambda t: t.replace("min = 0.8", "mim = 0.8"), "khóa 'mim' không được biết"),
    (lambda t: t.replace("nct_age = 60", 'nct_age = "60"'), "nct_age: phải là số nguyên"),
    (lambda t: t.replace("nct_age = 60", "nct_age = 6"), "nct_age: tuổi người cao tuổi phải từ 40"),
    (lambda t: t.replace("min = 0.8", "min = 80"), "0.8 nghĩa là 80%"),
    (lambda t: t.replace("min = 0.8", 'min = "80%"'), "phải là số"),
    (lambda t: t + "\n[phases.targets.clb_dat_chuan]\nmin = 1.5\n", "phải là số nguyên"),
    (lambda t: t + "\n[phases.targets.clb_dat_chuan]\nmin = 3\nshown_max = 1\n",
     "shown_max (1) nhỏ hơn min (3)"),
    (lambda t: t + "\n[phases.targets.clb_moi]\nmin = 1\n", "không có chỉ tiêu 'clb_moi'"),
    (lambda t: t.split("[[phases]]")[0], "thiếu khóa 'phases'"),
    (lambda t: t.replace("members_min = 50\n", ""), "standard: thiếu khóa 'members_min'"),
    (lambda t: t.replace("members_min = 50", "members_min = 80"), "members_min (80) lớn hơn"),
    (lambda t: t.replace("fund_balance_above = 0", "fund_balance_above = true"), "phải là số"),
    (lambda t: t.replace("member_contribution_receipt = true", "member_contribution_receipt = 1"),
     "true hoặc false"),
    (lambda t: t.replace("age_bands = [60, 70, 80]", "age_bands = [70, 60]"), "tăng dần"),
    (lambda t: t + "\n[[phases]]\nfirst_year = 2030\nlast_year = 2040\n", "chồng lên nhau"),
    (lambda t: t.replace("last_year = 2035", "last_year = 2020"), "không hợp lệ"),
    (lambda t: t.replace("[standard]", "[standard"), "sai cú pháp TOML"),
    (lambda t: t.replace('title = "Kế hoạch thử"', 'title = "  "'), "không được để trống"),
    (lambda t: t.replace("min = 0.8", 'min = 0.8\ncumulative = "có"'),
     "targets.tuyen_truyen.cumulative: phải là true hoặc false, đang ghi 'có'"),
    (lambda t: t.replace("min = 0.8", "min = 0.8\ncumulative = 1"), "phải là true hoặc false"),
    (lambda t: t.replace("min = 0.8", "cumulative = true"),
     "có cumulative = true mà không có min"),
])
def test_broken_plans_fail_clearly(tmp_path: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    path = write_plan(tmp_path, edit(MINIMAL))
    with pytest.raises(PlanError) as err:
        load_plan(path)
    text = str(err.value)
    assert message in text
    assert text.startswith(f"Tệp kế hoạch {path}")


def test_empty_phase_list(tmp_path: Path) -> None:
    text = "phases = []\n" + MINIMAL.split("[[phases]]")[0]
    with pytest.raises(PlanError, match="ít nhất một giai đoạn"):
        load_plan(write_plan(tmp_path, text))


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="Không tìm thấy tệp kế hoạch"):
        load_plan(tmp_path / "khong_co.toml")
    bad = tmp_path / "latin.toml"
    bad.write_bytes(b'commune = "X\xe3"\n')
    with pytest.raises(PlanError, match="UTF-8"):
        load_plan(bad)


def test_no_threshold_in_the_code() -> None:
    """The figures of SPEC §4 and of the standard appear in the plan file, not in the code."""
    src = Path(__file__).resolve().parents[1] / "clubtool" / "indicators"
    for py in src.glob("*.py"):
        code = re.sub(r'""".*?"""|#.*', "", py.read_text("utf-8"), flags=re.S)
        for figure in ("0.8", "0.75", "0.55", "0.35", "0.6", "0.5"):
            assert not re.search(rf"(?<![\w.]){re.escape(figure)}(?![\w])", code), (py.name, figure)
