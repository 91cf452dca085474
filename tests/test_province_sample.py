"""The province's sample (issue 15, point 4): Mai Hoa's three neighbouring communes
(`scripts/clubtool_province.py`), the committed summaries and expected communes of
`sample_data/tinh_ha_tinh/`, and the example province plan. The figures expected are
written out here (as `sample_data/README.md` gives them), not read from the generator."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import clubtool_province as province
import clubtool_sample as sample
import make_sample_data
import pytest

from clubtool.indicators.plan import load_plan
from clubtool.job import indicators_for
from clubtool.summary import read_summary, summary_name
from clubtool.validation import ValidationReport, validate
from clubtool.workbook._files import discover

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "sample_data"
SUB = SAMPLE_DIR / "tinh_ha_tinh"
README = (SAMPLE_DIR / "README.md").read_text(encoding="utf-8")
PLAN = ROOT / "clubtool" / "indicators" / "plans" / "ha_tinh_2026.toml"
YEAR = 2027

NEIGHBOURS = ["Thạch Xuân", "Hòa Lâm", "Phúc Đồng"]
COMMUNES = ["Mai Hoa", *NEIGHBOURS]
IDS = ["can_bo_tap_huan", "tuyen_truyen", "clb_thanh_lap_moi", "clb_nu_nct", "clb_dat_chuan",
       "clb_du_8_noi_dung", "clb_cds_xanh_khoi_nghiep", "bcn_tap_huan", "ho_tro_sinh_ke",
       "thon_co_clb", "ty_le_nop_bao_cao"]
#: (numerator, denominator) of each indicator in IDS' order; a count's denominator is None.
FIGURES: dict[str, list[tuple[int, int | None]]] = {
    "Mai Hoa": [(5, 6), (4112, 4823), (1, None), (4, 5), (2, None), (4, 5), (4, 5), (24, 25),
                (57, 103), (8, 12), (5, 8)],
    "Thạch Xuân": [(5, 5), (2271, 2678), (1, None), (3, 3), (1, None), (3, 3), (3, 3),
                   (15, 15), (31, 52), (3, 8), (3, 3)],
    "Hòa Lâm": [(3, 5), (937, 1552), (1, None), (1, 2), (0, None), (1, 2), (1, 2), (9, 10),
                (13, 23), (2, 6), (2, 2)],
    "Phúc Đồng": [(6, 6), (1947, 2510), (0, None), (2, 3), (0, None), (2, 3), (2, 3),
                  (15, 15), (12, 20), (4, 10), (3, 4)],
}
#: Each reported club: (members, meets the standard, criteria failed); missing clubs.
CLUBS: dict[str, dict[str, tuple[int, bool, list[str]]]] = {
    "Thạch Xuân": {"TX-01": (56, True, []), "TX-02": (30, False, ["so_thanh_vien"]),
                   "TX-03": (52, False, ["nct"])},
    "Hòa Lâm": {"HL-01": (24, False, ["so_thanh_vien", "nu_nct", "sinh_hoat_hang_thang"]),
                "HL-02": (28, False, ["so_thanh_vien", "bcn_tap_huan"])},
    "Phúc Đồng": {"PD-01": (22, False, ["so_thanh_vien"]),
                  "PD-02": (26, False, ["so_thanh_vien", "du_8_noi_dung"]),
                  "PD-03": (18, False, ["so_thanh_vien", "nu_nct"])},
}
MISSING = {"Thạch Xuân": [], "Hòa Lâm": [], "Phúc Đồng": ["PD-04"]}
EXPECTED = ["Mai Hoa", "Thạch Xuân", "Hòa Lâm", "Phúc Đồng", "Hương Bình"]


def _folder(name: str) -> str:
    return province.commune(name).folder


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("tinh")
    return folder, province.write_province(folder)


@pytest.fixture(scope="module")
def checked(written: tuple[Path, list[Path]]) -> dict[str, tuple[ValidationReport, Any]]:
    folder, _ = written
    out = {}
    for name in NEIGHBOURS:
        report = validate([folder / _folder(name)], year=YEAR)
        out[name] = (report, indicators_for(report, year=YEAR, as_of=dt.date(YEAR, 12, 31)))
    return out


# --- the generator --------------------------------------------------------------------------


def test_the_generator_writes_the_same_bytes_twice(tmp_path: Path,
                                                   written: tuple[Path, list[Path]]) -> None:
    first_dir, first = written
    again = province.write_province(tmp_path)
    assert [p.relative_to(tmp_path) for p in again] == [p.relative_to(first_dir) for p in first]
    for a, b in zip(first, again, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_each_commune_has_its_folder_and_workbooks(written: tuple[Path, list[Path]]) -> None:
    folder, paths = written
    names = {(p.parent.name, p.name) for p in paths}
    assert names == {
        ("thach_xuan", "xa_thach_xuan_2027.xlsx"), ("thach_xuan", "clb_tx-01_xuan-hoa.xlsx"),
        ("thach_xuan", "clb_tx-02_tan-loc.xlsx"), ("thach_xuan", "clb_tx-03_hung-nhan.xlsx"),
        ("hoa_lam", "xa_hoa_lam_2027.xlsx"), ("hoa_lam", "clb_hl-01_an-lac.xlsx"),
        ("hoa_lam", "clb_hl-02_dong-lam.xlsx"),
        ("phuc_dong", "xa_phuc_dong_2027.xlsx"), ("phuc_dong", "clb_pd-01_phuc-loc.xlsx"),
        ("phuc_dong", "clb_pd-02_dong-van.xlsx"), ("phuc_dong", "clb_pd-03_yen-thinh.xlsx"),
    }  # PD-04 sends nothing
    assert all(p.stat().st_size < 40_000 for p in paths)


def test_tx03_is_the_file_that_strayed_into_mai_hoa(tmp_path: Path,
                                                   written: tuple[Path, list[Path]]) -> None:
    """The same bytes as `sample_data/`'s TX-03, as the sample generator writes it
    (tests/test_sample.py checks the committed file is that)."""
    folder, _ = written
    name = sample.club_file_name(sample.NEIGHBOUR_ID, sample.NEIGHBOUR_VILLAGE)
    stray = sample.write_club(sample.neighbour_club_data(), tmp_path / name, sample.VILLAGES)
    assert (SAMPLE_DIR / name).is_file()
    assert (folder / "thach_xuan" / name).read_bytes() == stray.read_bytes()


@pytest.mark.parametrize("name", NEIGHBOURS)
def test_each_neighbour_is_valid_without_warnings(
        name: str, checked: dict[str, tuple[ValidationReport, Any]]) -> None:
    report, result = checked[name]
    assert [(Path(f.path).name, i.code) for f in report.files for i in f.issues] == []
    assert not report.excluded()
    assert result.commune == name and result.province == "Hà Tĩnh"


@pytest.mark.parametrize("name", NEIGHBOURS)
def test_each_neighbour_has_the_figures_the_readme_gives(
        name: str, checked: dict[str, tuple[ValidationReport, Any]]) -> None:
    _, result = checked[name]
    got = [(result.indicator(i).numerator, result.indicator(i).denominator) for i in IDS]
    assert got == FIGURES[name]
    clubs = {c.club_id: (c.members, c.dat_chuan, list(c.criteria_failed)) for c in result.clubs}
    assert clubs == CLUBS[name]
    assert list(result.missing) == MISSING[name]


def test_the_generator_declares_what_each_club_fails() -> None:
    """The profiles' `failed` (the generator's own statement) agree with what is computed."""
    for c in province.COMMUNES:
        for club in c.clubs:
            if club.profile.produced:
                assert list(club.profile.failed) == CLUBS[c.name][club.code][2], club.code


def test_mai_hoa_and_the_neighbours_differ() -> None:
    """The province's commune-by-commune table has something to show: no indicator has
    the same value in every commune."""
    for k, _ in enumerate(IDS):
        values = {Fraction(n, d) if d else Fraction(n) for n, d in
                  (FIGURES[c][k] for c in COMMUNES) if d != 0}
        assert len(values) > 1, IDS[k]


# --- the committed summaries and expected communes -------------------------------------------


def _summary(name: str) -> dict[str, Any]:
    return read_summary(SUB / summary_name(name, YEAR))


def _content(obj: dict[str, Any]) -> dict[str, Any]:
    """What does not depend on the tool's version (`tool`, and the hash that covers it)."""
    return {k: v for k, v in obj.items() if k not in ("tool", "sha256")}


def test_the_committed_folder_holds_only_what_the_readme_says() -> None:
    assert sorted(p.name for p in SUB.iterdir()) == sorted(
        [summary_name(n, YEAR) for n in COMMUNES] + ["xa_du_kien_ha_tinh.csv"])
    for name in ["tinh_ha_tinh/", *(summary_name(n, YEAR) for n in COMMUNES)]:
        assert name in README, name


@pytest.mark.parametrize("name", COMMUNES)
def test_each_committed_summary_reads_and_has_the_readme_figures(name: str) -> None:
    obj = _summary(name)  # read_summary: schema, hash, figures
    assert (obj["province"], obj["commune"], obj["year"], obj["as_of"]) == \
        ("Hà Tĩnh", name, YEAR, "2027-12-31")
    got = [(v["numerator"], v["denominator"]) for v in obj["indicators"]]
    assert [v["id"] for v in obj["indicators"]] == IDS
    assert got == FIGURES[name]
    if name in CLUBS:
        assert {c["club_id"]: (c["members"], c["dat_chuan"], c["criteria_failed"])
                for c in obj["clubs"]} == CLUBS[name]
        assert obj["counts"]["missing_clubs"] == MISSING[name]


def _readme_row(label: str) -> list[str]:
    row = next(line for line in README.splitlines() if line.startswith(f"| {label} |"))
    return [c.strip() for c in row.strip("|").split("|")]


def _fig(n: int, d: int | None) -> str:
    return str(n) if d is None else f"{n}/{d}"


@pytest.mark.parametrize("k", range(len(IDS)), ids=IDS)
def test_the_readme_table_gives_each_commune_and_the_pooled_province(k: int) -> None:
    """The README's table: each commune's figure and, in its last column, the province's
    (numerators added, denominators added: never an average of ratios)."""
    cells = _readme_row(f"`{IDS[k]}`")
    assert cells[1:5] == [_fig(*FIGURES[c][k]) for c in COMMUNES]
    num = sum(_summary(c)["indicators"][k]["numerator"] for c in COMMUNES)
    dens = [_summary(c)["indicators"][k]["denominator"] for c in COMMUNES]
    assert cells[5] == _fig(num, None if dens[0] is None else sum(dens))


def test_the_summaries_hold_no_name_of_a_neighbours_member(
        written: tuple[Path, list[Path]]) -> None:
    text = "".join((SUB / summary_name(n, YEAR)).read_text(encoding="utf-8") for n in NEIGHBOURS)
    for c in province.COMMUNES:
        for club in c.clubs:
            data = province.club_data(c, club)
            names = [m["name"] for m in data["members"]] + [data["info"]["chair"]]
            assert not [n for n in names if n in text], club.code
            assert data["info"]["phone"] not in text


def test_make_sample_data_writes_the_committed_folder_again(tmp_path: Path) -> None:
    """`scripts/make_sample_data.py` is the source of the committed files: the summaries
    (content; `tool` and the hash follow the tool's version) and the CSV, byte for byte."""
    assert make_sample_data.main(["--out", str(tmp_path)]) == 0
    fresh = tmp_path / "tinh_ha_tinh"
    assert sorted(p.name for p in fresh.iterdir()) == sorted(p.name for p in SUB.iterdir())
    for path in SUB.glob("*.json"):
        new = json.loads((fresh / path.name).read_text(encoding="utf-8"))
        old = json.loads(path.read_text(encoding="utf-8"))
        assert _content(new) == _content(old), \
            f"{path.name}: run `python scripts/make_sample_data.py`"
        if new["tool"] == old["tool"]:
            assert (fresh / path.name).read_bytes() == path.read_bytes(), path.name
    csv_name = "xa_du_kien_ha_tinh.csv"
    assert (fresh / csv_name).read_bytes() == (SUB / csv_name).read_bytes()


def test_the_expected_communes_csv() -> None:
    raw = (SUB / "xa_du_kien_ha_tinh.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens it with its diacritics
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["province", "commune"]
    assert rows[1:] == [["Hà Tĩnh", n] for n in EXPECTED]
    sent = {summary_name(n, YEAR) for n in EXPECTED} & {p.name for p in SUB.glob("*.json")}
    assert sent == {summary_name(n, YEAR) for n in COMMUNES}  # Hương Bình sends nothing
    assert "**Hương Bình**" in README and "4/5" in README
    for n in EXPECTED:
        assert n in README


# --- sample_data/ itself is unchanged --------------------------------------------------------


def test_sample_data_reads_as_before() -> None:
    """The sub-folder holds no workbook: `validate sample_data/` still sees Mai Hoa's 10
    files (9 clubs' and the commune's), with the same outcome."""
    found = discover([SAMPLE_DIR])
    assert all(p.parent == SAMPLE_DIR for p in found)
    assert len(found) == 10
    report = validate([SAMPLE_DIR], year=YEAR)
    assert report.summary() == {"files": 10, "valid": 7, "errors": 3, "warnings": 4}


# --- the example province plan ---------------------------------------------------------------


def test_the_province_plan_loads_and_says_it_is_an_example() -> None:
    plan = load_plan(PLAN)
    warning = "Ví dụ — chỉ tiêu giả định, cần đối chiếu với Kế hoạch 39/KH-UBND"
    assert plan.title.startswith(warning)
    head = PLAN.read_text(encoding="utf-8").splitlines()[0]
    assert head == "# VÍ DỤ — CHỈ TIÊU GIẢ ĐỊNH, CẦN ĐỐI CHIẾU VỚI KẾ HOẠCH 39/KH-UBND."
    assert (plan.province, plan.issuer) == ("Hà Tĩnh", "Ủy ban nhân dân tỉnh Hà Tĩnh")
    assert [p.id for p in plan.phases] == ["2026-2030", "2031-2035"]
    for phase in plan.phases:
        for pi in phase.indicators.values():
            if pi.target is not None:
                assert pi.name and "giả định" in pi.name


def test_the_province_plan_assumes_mai_hoas_ratios_and_69_times_its_counts() -> None:
    """What the file's head says it assumed: Mai Hoa's ratio targets and standard; count
    targets = Mai Hoa's per-commune figures × 69 communes."""
    plan, commune = load_plan(PLAN), load_plan()
    assert plan.standard == commune.standard
    for mine, theirs in zip(plan.phases, commune.phases, strict=True):
        assert mine.id == theirs.id
        assert set(mine.indicators) == set(theirs.indicators)
        for ind, pi in mine.indicators.items():
            other = theirs.target(ind)
            if ind in ("clb_thanh_lap_moi", "clb_dat_chuan"):
                assert other is not None and pi.target is not None
                assert pi.target.min == 69 * other.min
                assert pi.target.shown_max == (None if other.shown_max is None
                                               else 69 * other.shown_max)
                assert pi.cumulative
            else:
                assert pi.target == other, ind


def test_the_readme_names_the_plan_as_an_example() -> None:
    assert re.search(r"ha_tinh_2026\.toml`, \*\*một ví dụ\s+với chỉ tiêu giả định\*\*", README)


def test_the_readme_statuses_under_the_province_plan() -> None:
    """The pooled figures judged against the example plan (2027: phase 2026–2030; a
    cumulative target is in progress before 2030) are what the README says."""
    phase = load_plan(PLAN).phase_for(YEAR)
    said = {"dat": "đạt", "chua_dat": "chưa đạt", "dang_thuc_hien": "đang thực hiện"}
    status = {}
    for k, ind in enumerate(IDS):
        num = sum(FIGURES[c][k][0] for c in COMMUNES)
        dens = [FIGURES[c][k][1] for c in COMMUNES]
        value = Fraction(num) if dens[0] is None else Fraction(num, sum(d or 0 for d in dens))
        target = phase.target(ind)
        status[ind] = ("khong_co_chi_tieu" if target is None
                       else "dang_thuc_hien" if phase.cumulative(ind)
                       else "dat" if target.met(value) else "chua_dat")
    text = " ".join(README.split("Theo kế hoạch ví dụ của tỉnh", 1)[1].split("\n\n")[0].split())
    for ind, st in status.items():
        if st == "khong_co_chi_tieu":
            assert re.search(rf"`{ind}`[^;.]*không có chỉ tiêu", text), ind
        else:
            clause = next(c for c in re.split(r"[;:]", text) if c.strip().startswith(said[st]))
            assert f"`{ind}`" in clause, (ind, st)
    assert sorted(status.values()).count("dat") == 4
