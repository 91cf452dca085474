"""`clubtool rollup` (SPEC §10, docs/rollup.md): communes → province → nation.

Communes are built with the factories, summarised through the job API, written with the
summary module; the province's figures are checked against sums computed here from the
summary files themselves (json.load), never through the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from clubtool._jsonout import dumps
from clubtool.cli import app
from clubtool.indicators import default_plan
from clubtool.job import compute, read, resolve
from clubtool.rollup import (
    FORMAT,
    NATION,
    PROVINCE,
    RollupError,
    UnitIndicator,
    load_rollup_schema,
    render_rollup,
    rollup,
    to_dict,
)
from clubtool.rollup._pool import add_counts, pool
from clubtool.summary import content_hash, summary_name, summary_of, write_summary
from clubtool.summary._schema import KEYWORDS, check

from .factories import D, club_data, commune_data, write_club, write_commune

YEAR = 2027
TODAY = dt.date(2028, 1, 15)

#: (commune, province, club code prefix, clubs, officials trained of 3, reached per village)
COMMUNES = [("Mai Hoa", "Hà Tĩnh", "MH", 2, 1, 250),
            ("Thạch Xuân", "Hà Tĩnh", "TX", 3, 3, 290),
            ("Sơn Kim", "Hà Tĩnh", "SK", 1, 0, 120)]
NEIGHBOURS = [("Diễn Châu", "Nghệ An", "DC", 2, 2, 300),
              ("Quỳnh Lưu", "Nghệ An", "QL", 1, 1, 60)]


@dataclass
class Built:
    root: Path
    data: Path  # one folder per commune, workbooks
    summaries: Path  # tong_hop_<xã>_2027.json of each commune
    names: set[str]  # every `Họ và tên` of the clubs' members (must never leave)


def _commune(root: Path, spec: tuple[str, str, str, int, int, int], names: set[str]) -> None:
    name, province, prefix, n, trained, reached = spec
    folder = root / "data" / prefix
    folder.mkdir(parents=True)
    c = commune_data(YEAR)
    c["info"].update(commune=name, province=province)
    for v in c["villages"]:
        v["outreach_reached"] = reached
    c["officials"] = [{"name": f"Cán Bộ {prefix} {i}", "position": "Công chức", "unit": "UBND xã",
                       "trained": i < trained, "trained_on": D(YEAR, 3, 1) if i < trained else None}
                      for i in range(3)]
    c["registry"] = [{"club_id": f"{prefix}-{i:02d}", "name": f"CLB {i}",
                      "village": c["villages"][i % 4]["name"], "founded": D(2019, 5, 1)}
                     for i in range(1, n + 2)]  # one more than report: a missing club
    write_commune(folder / "xa.xlsx", c)
    for i in range(1, n + 1):
        data = club_data(YEAR, club_id=f"{prefix}-{i:02d}", village=c["villages"][i % 4]["name"],
                         members=48 + 7 * i)
        for k, m in enumerate(data["members"]):
            if m["name"].startswith("Thành viên"):
                m["name"] = f"Bà {prefix} Riêng Tư {i} {k}"
            names.add(m["name"])
        write_club(folder / f"clb_{i}.xlsx", data)
    job = resolve([folder], options={"year": YEAR, "as_of": f"{YEAR}-12-31"}, env={}, cwd=root,
                  today=TODAY)
    report = read(job)
    obj = summary_of(compute(job, report).communes[0].indicators, validation=report)
    write_summary(root / "summaries" / summary_name(name, YEAR), obj)


def _build(root: Path, specs: list[tuple[str, str, str, int, int, int]]) -> Built:
    (root / "summaries").mkdir(parents=True)
    names: set[str] = set()
    for spec in specs:
        _commune(root, spec, names)
    return Built(root, root / "data", root / "summaries", names)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("rollup"), COMMUNES)


@pytest.fixture(scope="module")
def neighbours(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("rollup_na"), NEIGHBOURS)


def _summaries(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def _rehashed(o: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in o.items() if k != "sha256"}
    return {**body, "sha256": content_hash(body)}


def _copy(built: Built, tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(built.summaries, folder)
    return folder


def _edit(path: Path, change: Any, *, rehash: bool = True) -> Path:
    obj = json.loads(path.read_text(encoding="utf-8"))
    change(obj)
    path.write_text(dumps(_rehashed(obj) if rehash else obj), encoding="utf-8")
    return path


def _figures(r: Any) -> list[tuple[Any, ...]]:
    return [(v.id, v.numerator, v.denominator, v.value, v.status, v.with_data)
            for v in r.indicators]


# --- pooling --------------------------------------------------------------------------------


def test_summaries_and_raw_folders_give_identical_figures(built: Built) -> None:
    from_files = rollup([built.summaries], year=YEAR, today=TODAY)
    from_data = rollup([built.data], year=YEAR, today=TODAY)
    assert _figures(from_files) == _figures(from_data)
    assert from_files.counts == from_data.counts
    assert [c.to_dict() for c in from_files.communes] == [c.to_dict() for c in from_data.communes]
    assert (from_files.level, from_files.province) == (PROVINCE, "Hà Tĩnh")
    assert not from_files.excluded and not from_data.excluded


def test_a_province_s_figures_are_the_pooled_sums_of_its_communes(built: Built) -> None:
    communes = _summaries(built.summaries)
    assert len(communes) == 3
    r = rollup([built.summaries], year=YEAR, today=TODAY)
    for v in r.indicators:
        given = [i for c in communes for i in c["indicators"] if i["id"] == v.id
                 and i["numerator"] is not None]
        assert v.numerator == sum(i["numerator"] for i in given)
        assert v.with_data == len(given)
        if v.unit == "ratio":
            den = sum(i["denominator"] for i in given)
            assert v.denominator == den
            assert v.value == (v.numerator / den if den else None)
            # never the average of the communes' percentages
            shares = [i["value"] for i in given if i["value"] is not None]
            if len(set(shares)) > 1 and den:
                assert Fraction(v.numerator, den) == Fraction(
                    sum(i["numerator"] for i in given), sum(i["denominator"] for i in given))
        else:
            assert v.denominator is None and v.value == v.numerator
    for key in ("known", "expected", "reported", "missing", "standard"):
        assert r.counts["clubs"][key] == sum(c["counts"]["clubs"][key] for c in communes)
    assert r.counts["members"]["total"] == sum(c["counts"]["members"]["total"] for c in communes)
    assert r.counts["members"]["by_sex"]["Nữ"] == sum(c["counts"]["members"]["by_sex"]["Nữ"]
                                                      for c in communes)
    assert r.counts["new_clubs"]["in_year"] == sum(len(c["counts"]["new_clubs"]["in_year"])
                                                   for c in communes)
    # the officials trained differ (1/3, 3/3, 0/3): 4/9, not the mean of 33%, 100%, 0%
    assert (r.indicator("can_bo_tap_huan").numerator,
            r.indicator("can_bo_tap_huan").denominator) == (4, 9)


def test_each_commune_keeps_its_own_figures_and_statuses(built: Built) -> None:
    r = rollup([built.summaries], year=YEAR, today=TODAY)
    by_name = {c["commune"]: c for c in _summaries(built.summaries)}
    assert [c.name for c in r.communes] == ["Mai Hoa", "Sơn Kim", "Thạch Xuân"]
    for c in r.communes:
        own = by_name[c.name]
        assert [(v.id, v.numerator, v.denominator, v.status) for v in c.indicators] == [
            (i["id"], i["numerator"], i["denominator"], i["status"]) for i in own["indicators"]]
        statuses = [i["status"] for i in own["indicators"]]
        assert c.met == statuses.count("dat")
        assert c.judged == statuses.count("dat") + statuses.count("chua_dat")
        assert c.status == _overall(statuses)


def _overall(statuses: list[str]) -> str:
    """docs/rollup.md#overall-status, written again here."""
    if "chua_dat" in statuses:
        return "chua_dat"
    if "khong_co_du_lieu" in statuses:
        return "khong_co_du_lieu"
    if "dat" in statuses:
        return "dat"
    return "dang_thuc_hien" if "dang_thuc_hien" in statuses else "khong_co_chi_tieu"


@given(st.lists(st.sampled_from(["dat", "chua_dat", "dang_thuc_hien", "khong_co_du_lieu",
                                 "khong_co_chi_tieu"]), max_size=12))
def test_the_overall_status_of_a_commune(statuses: list[str]) -> None:
    from clubtool.rollup._pool import overall

    assert overall(statuses) == (_overall(statuses), statuses.count("dat"),
                                 statuses.count("dat") + statuses.count("chua_dat"))


def test_the_province_plan_gives_the_targets_and_without_one_count_targets_are_not_applied(
        built: Built, tmp_path: Path) -> None:
    default = rollup([built.summaries], year=YEAR, today=TODAY)
    assert default.indicator("clb_dat_chuan").target is None
    assert default.indicator("clb_dat_chuan").status == "khong_co_chi_tieu"
    assert default.indicator("tuyen_truyen").target is not None
    plan = tmp_path / "tinh.toml"
    text = Path("clubtool/indicators/plans/mai_hoa_2026.toml").read_text(encoding="utf-8")
    text = text.replace('commune = "Mai Hoa"', 'commune = "Toàn tỉnh"')
    text = text.replace("[phases.targets.tuyen_truyen]\nmin = 0.8",
                        "[phases.targets.tuyen_truyen]\nmin = 0.95", 1)
    plan.write_text(text, encoding="utf-8")
    r = rollup([built.summaries], year=YEAR, plan=plan, today=TODAY)
    assert r.indicator("tuyen_truyen").target.min == 0.95  # type: ignore[union-attr]
    assert r.indicator("tuyen_truyen").status == "chua_dat"
    # a phase target before the phase's last year: in progress, as for a commune
    assert r.indicator("clb_dat_chuan").status == "dang_thuc_hien"
    assert r.province == "Hà Tĩnh"  # the plan's province


# --- hypothesis: the pooling ----------------------------------------------------------------

_pair = st.integers(min_value=0, max_value=10**6).flatmap(
    lambda den: st.tuples(st.integers(min_value=0, max_value=den), st.just(den)))
_commune_figures = st.tuples(st.one_of(st.none(), _pair), st.one_of(st.none(),
                                                                    st.integers(0, 10**4)))


@given(st.lists(_commune_figures, min_size=1, max_size=40))
def test_pooling_adds_numerators_and_denominators_and_counts(figures: list[Any]) -> None:
    units = []
    for ratio, n in figures:
        num, den = ratio if ratio is not None else (None, None)
        units.append({
            "tuyen_truyen": UnitIndicator("tuyen_truyen", num, den,
                                          num / den if num is not None and den else None, "dat"),
            "clb_dat_chuan": UnitIndicator("clb_dat_chuan", n, None, n, "dat")})
    phase = default_plan().phase_for(YEAR)
    ratio, count = pool(units, {"tuyen_truyen": "ratio", "clb_dat_chuan": "count"},
                        phase=phase, year=YEAR)
    pairs = [r for r, _ in figures if r is not None]
    if not pairs:
        assert ratio.numerator is ratio.denominator is ratio.value is None
        assert ratio.status == "khong_co_du_lieu"
    else:
        num, den = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
        assert (ratio.numerator, ratio.denominator) == (num, den)
        assert ratio.numerator <= ratio.denominator  # type: ignore[operator]
        assert ratio.value == (num / den if den else None)
        if den:
            assert ratio.status == ("dat" if Fraction(num, den) >= Fraction("0.8")
                                    else "chua_dat")
    counts = [n for _, n in figures if n is not None]
    assert count.numerator == (sum(counts) if counts else None)
    assert count.with_data == len(counts) and ratio.with_data == len(pairs)


@given(st.lists(st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 1000)), max_size=8))
def test_counts_add_key_by_key(parts: list[dict[str, int]]) -> None:
    total: dict[str, Any] = {}
    for p in parts:
        add_counts(total, {"clubs": p})
    for k in ("a", "b"):
        assert total.get("clubs", {}).get(k, 0) == sum(p.get(k, 0) for p in parts)


# --- bad input --------------------------------------------------------------------------------


def _reason(r: Any, path: Path) -> str:
    found = [e for e in r.excluded if Path(e.file).name == path.name]
    assert len(found) == 1, r.excluded
    return found[0].reason


def test_a_file_that_is_not_a_summary_is_excluded_and_the_rest_rolled_up(
        built: Built, tmp_path: Path) -> None:
    folder = _copy(built, tmp_path)
    (folder / "tong_hop_rac_2027.json").write_text('{"hello": 1}', encoding="utf-8")
    text = folder / "ghi_chu.txt"
    text.write_text("không phải JSON", encoding="utf-8")
    r = rollup([folder, text], year=YEAR, today=TODAY)
    assert "không phải tệp tổng hợp" in _reason(r, folder / "tong_hop_rac_2027.json")
    assert "không phải JSON" in _reason(r, text)
    assert len(r.communes) == 3 and r.has_problems


def test_an_unknown_format_version_is_excluded(built: Built, tmp_path: Path) -> None:
    folder = _copy(built, tmp_path)
    path = _edit(folder / "tong_hop_mai_hoa_2027.json", lambda o: o.update(version=2))
    r = rollup([folder], year=YEAR, today=TODAY)
    assert "phiên bản 2" in _reason(r, path) and "mới hơn" in _reason(r, path)
    assert [c.name for c in r.communes] == ["Sơn Kim", "Thạch Xuân"]


def test_a_file_edited_by_hand_is_excluded_saying_so(built: Built, tmp_path: Path) -> None:
    folder = _copy(built, tmp_path)

    def more(o: dict[str, Any]) -> None:
        o["indicators"][0]["numerator"] += 1
        o["indicators"][0]["value"] = o["indicators"][0]["numerator"] / \
            o["indicators"][0]["denominator"]

    path = _edit(folder / "tong_hop_son_kim_2027.json", more, rehash=False)
    r = rollup([folder], year=YEAR, today=TODAY)
    assert "sửa bằng tay" in _reason(r, path) and "SHA-256" in _reason(r, path)
    assert len(r.communes) == 2


def test_a_numerator_above_its_denominator_is_excluded(built: Built, tmp_path: Path) -> None:
    folder = _copy(built, tmp_path)

    def above(o: dict[str, Any]) -> None:
        v = o["indicators"][1]
        v["numerator"] = v["denominator"] + 5
        v["value"] = v["numerator"] / v["denominator"]

    path = _edit(folder / "tong_hop_thach_xuan_2027.json", above)
    r = rollup([folder], year=YEAR, today=TODAY)
    assert "lớn hơn mẫu số" in _reason(r, path)
    assert [c.name for c in r.communes] == ["Mai Hoa", "Sơn Kim"]


def test_another_year_is_excluded(built: Built, tmp_path: Path) -> None:
    folder = _copy(built, tmp_path)
    path = _edit(folder / "tong_hop_mai_hoa_2027.json",
                 lambda o: o.update(year=2026, as_of="2026-12-31"))
    r = rollup([folder], year=YEAR, today=TODAY)
    assert "năm 2026, không phải năm 2027" in _reason(r, path)


def test_another_province_is_excluded_from_a_province_roll_up(built: Built, tmp_path: Path) -> None:
    folder = _copy(built, tmp_path)
    path = _edit(folder / "tong_hop_son_kim_2027.json", lambda o: o.update(province="Nghệ An"))
    expect = tmp_path / "xa.csv"
    expect.write_text("province,commune\nHà Tĩnh,Mai Hoa\nHà Tĩnh,Thạch Xuân\n", encoding="utf-8")
    r = rollup([folder], year=YEAR, expect=expect, today=TODAY)
    assert (r.level, r.province) == (PROVINCE, "Hà Tĩnh")
    assert "tỉnh Nghệ An, không phải tỉnh Hà Tĩnh" in _reason(r, path)
    assert [c.name for c in r.communes] == ["Mai Hoa", "Thạch Xuân"]


def test_the_same_commune_twice_counts_the_later_as_of_with_a_warning_naming_both(
        built: Built, tmp_path: Path) -> None:
    folder = _copy(built, tmp_path)
    early = _edit(folder / "tong_hop_mai_hoa_2027.json", lambda o: o.update(as_of="2027-11-30"))
    later = folder / "sub" / "tong_hop_mai_hoa_2027.json"
    later.parent.mkdir()
    shutil.copy(built.summaries / "tong_hop_mai_hoa_2027.json", later)
    r = rollup([folder], year=YEAR, today=TODAY)
    assert len(r.communes) == 3 and r.has_problems
    assert [(Path(n.file), Path(n.kept)) for n in r.not_counted] == [(early, later)]
    warning = next(w for w in r.warnings if "hai tệp" in w)
    assert str(early) in warning and str(later) in warning
    assert next(c for c in r.communes if c.name == "Mai Hoa").as_of == "2027-12-31"


def test_the_same_as_of_twice_counts_the_later_file(built: Built, tmp_path: Path) -> None:
    import os

    folder = _copy(built, tmp_path)
    first = folder / "tong_hop_mai_hoa_2027.json"
    second = folder / "tong_hop_mai_hoa_2027_ban_2.json"
    shutil.copy(first, second)
    os.utime(first, (1_700_000_000, 1_700_000_000))
    os.utime(second, (1_800_000_000, 1_800_000_000))
    r = rollup([folder], year=YEAR, today=TODAY)
    assert [(Path(n.file).name, Path(n.kept).name) for n in r.not_counted] == [
        (first.name, second.name)]


def test_nothing_usable_mixed_levels_and_missing_paths_cannot_run(built: Built,
                                                                   tmp_path: Path) -> None:
    bad = tmp_path / "tong_hop_rac_2027.json"
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(RollupError) as nothing:
        rollup([bad], year=YEAR, today=TODAY)
    assert [e.file for e in nothing.value.excluded] == [str(bad)]
    with pytest.raises(RollupError, match="Không tìm thấy"):
        rollup([tmp_path / "khong_co"], year=YEAR, today=TODAY)
    out = tmp_path / "out"
    render_rollup(rollup([built.summaries], year=YEAR, today=TODAY), formats=["json"],
                  out_dir=out, date=dt.date(2028, 1, 10))
    with pytest.raises(RollupError, match="không trộn hai cấp"):
        rollup([built.summaries, out], year=YEAR, today=TODAY)


# --- expected communes ------------------------------------------------------------------------


def test_expect_gives_the_reporting_rate_and_the_missing_communes(built: Built,
                                                                  tmp_path: Path) -> None:
    import openpyxl

    folder = _copy(built, tmp_path)
    (folder / "tong_hop_son_kim_2027.json").unlink()
    _edit(folder / "tong_hop_thach_xuan_2027.json", lambda o: o.update(version=9))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tỉnh", "Xã"])
    for name in ("Xã Mai Hoa", "son kim", "Thạch Xuân", "Kỳ Anh"):
        ws.append(["Hà Tĩnh", name])
    ws.append(["Nghệ An", "Diễn Châu"])  # another province: not this roll-up's
    expect = tmp_path / "xa.xlsx"
    wb.save(expect)
    r = rollup([folder], year=YEAR, expect=expect, today=TODAY)
    assert (r.reporting.expected, r.reporting.expected_reported) == (4, 1)
    assert r.reporting.rate == 0.25
    missing = {m.commune: m.reason for m in r.missing}
    assert set(missing) == {"son kim", "Thạch Xuân", "Kỳ Anh"}
    assert missing["Kỳ Anh"] == "chưa gửi tệp tổng hợp"
    assert "bị loại" in missing["Thạch Xuân"] and "phiên bản" in missing["Thạch Xuân"]


def test_an_expect_list_without_its_columns_cannot_run(built: Built, tmp_path: Path) -> None:
    expect = tmp_path / "xa.csv"
    expect.write_text("tinh;huyen\nHà Tĩnh;Can Lộc\n", encoding="utf-8")
    with pytest.raises(RollupError, match="province"):
        rollup([built.summaries], year=YEAR, expect=expect, today=TODAY)


# --- the nation ---------------------------------------------------------------------------------


def test_province_outputs_roll_up_to_the_nation(built: Built, neighbours: Built,
                                                tmp_path: Path) -> None:
    provinces = tmp_path / "tinh"
    for b in (built, neighbours):
        r = rollup([b.summaries], year=YEAR, today=TODAY)
        render_rollup(r, formats=["json"], out_dir=provinces, date=dt.date(2028, 1, 10))
    nation = rollup([provinces], year=YEAR, today=TODAY)
    assert (nation.level, nation.province) == (NATION, None)
    assert [p.name for p in nation.provinces] == ["Hà Tĩnh", "Nghệ An"]
    assert [c.name for c in nation.communes] == ["Mai Hoa", "Sơn Kim", "Thạch Xuân",
                                                  "Diễn Châu", "Quỳnh Lưu"]
    communes = _summaries(built.summaries) + _summaries(neighbours.summaries)
    for v in nation.indicators:
        given_ = [i for c in communes for i in c["indicators"]
                  if i["id"] == v.id and i["numerator"] is not None]
        assert v.numerator == sum(i["numerator"] for i in given_)
        assert v.with_data == len(given_)
        if v.unit == "ratio":
            assert v.denominator == sum(i["denominator"] for i in given_)
    assert nation.counts["members"]["total"] == sum(c["counts"]["members"]["total"]
                                                    for c in communes)
    # straight from the communes of both provinces: the same figures
    both = tmp_path / "xa"
    for b in (built, neighbours):
        shutil.copytree(b.summaries, both, dirs_exist_ok=True)
    direct = rollup([both], year=YEAR, today=TODAY)
    assert direct.level == NATION and _figures(direct) == _figures(nation)
    assert direct.counts == nation.counts


def test_a_province_file_edited_by_hand_is_excluded_from_the_nation(
        built: Built, neighbours: Built, tmp_path: Path) -> None:
    provinces = tmp_path / "tinh"
    for b in (built, neighbours):
        render_rollup(rollup([b.summaries], year=YEAR, today=TODAY), formats=["json"],
                      out_dir=provinces, date=dt.date(2028, 1, 10))
    path = provinces / "tong_hop_tinh_nghe_an_2027.json"

    def inflate(o: dict[str, Any]) -> None:
        o["indicators"][1]["numerator"] += 1
        o["indicators"][1]["value"] = o["indicators"][1]["numerator"] / \
            o["indicators"][1]["denominator"]

    _edit(path, inflate, rehash=False)
    r = rollup([provinces], year=YEAR, today=TODAY)
    assert "sửa bằng tay" in _reason(r, path)
    _edit(path, lambda o: None)  # now rehashed: the province's sum no longer matches its communes
    r = rollup([provinces], year=YEAR, today=TODAY)
    assert "không bằng tổng của các xã" in _reason(r, path)
    assert [p.name for p in r.provinces] == ["Hà Tĩnh"]


# --- the JSON -----------------------------------------------------------------------------------


def test_the_json_follows_the_shipped_schema_and_is_the_same_bytes_each_time(
        built: Built, tmp_path: Path) -> None:
    schema = load_rollup_schema()

    def walk(s: Any) -> None:
        assert not set(s) - KEYWORDS - {"$schema", "$id", "title", "description"}
        for sub in s.get("properties", {}).values():
            walk(sub)
        for key in ("items", "additionalProperties"):
            if isinstance(s.get(key), dict):
                walk(s[key])

    walk(schema)
    r = rollup([built.summaries], year=YEAR, today=TODAY)
    obj = to_dict(r)
    check(obj, schema)
    assert obj["format"] == FORMAT and list(obj)[-1] == "sha256"
    assert obj["sha256"] == content_hash(obj)
    for key in ("level", "province", "communes", "missing", "excluded"):
        assert key in obj
    for v in obj["indicators"]:
        assert {"id", "name", "numerator", "denominator", "value", "target", "status"} <= set(v)
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        render_rollup(rollup([built.summaries], year=YEAR, today=TODAY),
                      formats=["json", "csv", "docx", "xlsx", "html", "md"], out_dir=out,
                      date=dt.date(2028, 1, 10))
    for f in sorted(a.iterdir()):
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name


# --- no person's name ---------------------------------------------------------------------------


def _text_of(path: Path) -> str:
    import zipfile

    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                             if n.endswith(".xml"))
    return path.read_text(encoding="utf-8-sig")


def test_no_member_name_appears_in_any_output(built: Built, tmp_path: Path) -> None:
    r = rollup([built.data], year=YEAR, today=TODAY)
    paths, _ = render_rollup(r, formats=["json", "csv", "docx", "xlsx", "html", "md"],
                             out_dir=tmp_path, date=dt.date(2028, 1, 10))
    assert len(paths) == 6 and len(built.names) > 100
    for path in paths:
        text = _text_of(path)
        leaked = [n for n in built.names if n in text]
        assert not leaked, (path.name, leaked[:3])
        assert "Bà MH Riêng Tư" not in text


# --- the documents ------------------------------------------------------------------------------


def test_the_report_has_the_nd30_frame_and_text_is_never_a_formula_or_markup(
        built: Built, tmp_path: Path) -> None:
    folder = _copy(built, tmp_path)
    _edit(folder / "tong_hop_son_kim_2027.json", lambda o: o.update(commune="=1+2<b>x</b>"))
    r = rollup([folder], year=YEAR, today=TODAY)
    paths, _ = render_rollup(r, formats=["csv", "html", "md", "xlsx"], out_dir=tmp_path / "o",
                             date=dt.date(2028, 1, 10))
    csv, html, md, xlsx = (_text_of(p) for p in paths)
    assert "'=1+2<b>x</b>" in csv
    assert "&lt;b&gt;" in html and "<b>x</b>" not in html
    assert "ỦY BAN NHÂN DÂN" in html and "TỈNH HÀ TĨNH" in html and "/BC-UBND" in html
    assert "Hà Tĩnh, ngày 10 tháng 01 năm 2028" in html and "Nơi nhận:" in html
    assert "Kết quả thực hiện Kế hoạch nhân rộng câu lạc bộ" in html
    assert "\\<b\\>" in md
    assert "<f>" not in xlsx  # no formula anywhere
    assert "autoFilter" in xlsx and "conditionalFormatting" in xlsx


def test_the_issuer_can_be_given(built: Built, tmp_path: Path) -> None:
    from clubtool.rollup.document import build_document

    r = rollup([built.summaries], year=YEAR, issuer="Sở Y tế tỉnh Hà Tĩnh", today=TODAY)
    doc = build_document(r, date=dt.date(2028, 1, 10))
    assert doc.header.issuer_lines == ["SỞ Y TẾ TỈNH HÀ TĨNH"]
    assert doc.signature.lines == ["GIÁM ĐỐC"]
    nation = build_document(rollup([built.summaries], year=YEAR, level=NATION, today=TODAY),
                            date=dt.date(2028, 1, 10))
    assert nation.header.issuer_lines == ["BỘ Y TẾ"] and "BC-BYT" in nation.header.number


# --- the command --------------------------------------------------------------------------------


def test_the_command_prints_the_table_and_writes_the_files(built: Built, tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["rollup", str(built.summaries), "--year", str(YEAR)])
    assert done.exit_code == 0, done.output
    flat = " ".join(done.output.split())
    assert "Chỉ tiêu kế hoạch" in flat and "Sơn Kim" in flat and "(tỉnh mà các tệp" in flat
    out = tmp_path / "o"
    args = ["rollup", str(built.summaries), "--year", str(YEAR), "--format", "json,docx,csv",
            "-o", str(out), "--date", "10/01/2028"]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in out.iterdir()) == [
        "tong_hop_tinh_ha_tinh_2027.csv", "tong_hop_tinh_ha_tinh_2027.docx",
        "tong_hop_tinh_ha_tinh_2027.json"]
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0


def test_the_command_exit_codes(built: Built, tmp_path: Path) -> None:
    runner = CliRunner()
    folder = _copy(built, tmp_path)
    _edit(folder / "tong_hop_mai_hoa_2027.json", lambda o: o.update(year=2026, as_of="2026-06-30"))
    done = runner.invoke(app, ["rollup", str(folder), "--year", str(YEAR), "--format", "json",
                               "-o", str(tmp_path / "o")])
    assert done.exit_code == 1
    assert "tong_hop_mai_hoa_2027.json" in done.output and "năm 2026" in done.output
    bad = tmp_path / "tong_hop_x_2027.json"
    bad.write_text("{}", encoding="utf-8")
    done = runner.invoke(app, ["rollup", str(bad), "--year", str(YEAR)])
    assert done.exit_code == 2 and "Không có tệp nào dùng được" in done.output
    assert runner.invoke(app, ["rollup", str(folder), "--year", str(YEAR), "--format",
                               "pdf"]).exit_code == 2
    assert runner.invoke(app, ["rollup", str(folder)]).exit_code == 2  # no year
