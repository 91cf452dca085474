"""The sample data generator and the committed `sample_data/` folder."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import clubtool_sample as sample
import pytest
from python_calamine import CalamineWorkbook

from clubtool import schema
from clubtool.text import Matcher
from clubtool.values import BadValue, parse_date, parse_flag, parse_number, parse_year

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "sample_data"
README = SAMPLE_DIR / "README.md"
YEAR = sample.DEFAULT_YEAR
PRODUCED = [p for p in sample.PROFILES if p.produced]
#: The clubs that meet the standard of SPEC §4 (checked below without sample.py's help).
STANDARD = {"MH-01", "MH-02"}


# --- reading a workbook back, independently of the generator ---------------------------


def _rows(path: Path, sheet: schema.Sheet) -> list[list[Any]]:
    wb = CalamineWorkbook.from_path(str(path))
    return wb.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)


def _records(path: Path, sheet: schema.Sheet) -> list[dict[str, Any]]:
    """Non-blank rows as {field key: raw value}, columns found by header."""
    rows = _rows(path, sheet)
    by_header = {f.header: f.key for f in sheet.fields}
    keys = [by_header.get(h) for h in rows[0]]
    out = []
    for row in rows[1:]:
        rec = {k: v for k, v in zip(keys, row, strict=False) if k and v not in ("", None)}
        if rec:
            out.append(rec)
    return out


def _labels(path: Path, sheet: schema.Sheet) -> dict[str, Any]:
    by_label = {f.header: f.key for f in sheet.fields}
    return {by_label[r[0]]: r[1] for r in _rows(path, sheet) if r and r[0] in by_label}


def _maybe(parse: Any, raw: Any) -> Any:
    """A parsed value, or None when the cell is empty or unreadable (a planted mistake)."""
    if raw in (None, ""):
        return None
    try:
        return parse(raw)
    except BadValue:
        return None


_GENDER = Matcher({g: g for g in schema.GENDERS})


def _standard(path: Path) -> tuple[int, set[str]]:
    """(active members, failed criteria) of a club workbook: a small re-implementation of
    SPEC §4's standard with as-of 31/12 and NCT = 60, sharing nothing with sample.py."""
    info = _labels(path, schema.CLUB_INFO)
    year = int(info["year"])
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    founded = parse_date(info["founded"])
    members = []
    for r in _records(path, schema.MEMBERS):
        left, joined = _maybe(parse_date, r.get("left")), _maybe(parse_date, r.get("joined"))
        if (left and left < first) or (joined and joined > last):
            continue
        members.append(r)
    n = len(members)
    older = [r for r in members if year - parse_year(r["birth_year"]) >= 60]
    women = [r for r in members if _GENDER.find(str(r["gender"])) == schema.FEMALE]
    female_older = [r for r in older if r in women]
    failed = set()
    if not 50 <= n <= 70:
        failed.add("so_thanh_vien")
    if len(older) < 0.6 * n:
        failed.add("nct")
    if len(women) < 0.6 * n:
        failed.add("nu")
    if not 0.5 <= len(female_older) / n <= 0.6:
        failed.add("nu_nct")
    meetings = [(_maybe(parse_date, r["date"]), r) for r in _records(path, schema.MEETINGS)]
    meetings = [(d, r) for d, r in meetings if d and first <= d <= last]
    start = founded.month if founded.year == year else 1
    if {d.month for d, _ in meetings} != set(range(start, 13)):
        failed.add("sinh_hoat_hang_thang")
    if any(not any(_maybe(parse_flag, r.get(c)) for _, r in meetings)
           for c in schema.CONTENT_CODES):
        failed.add("du_8_noi_dung")
    trainings = _records(path, schema.TRAININGS)
    board = [r for r in members if r.get("role")]
    for person in board:
        rows = [t["kind"] for t in trainings if t["name"] == person["name"]]
        initial_year = int(person.get("initial_training_year") or 9999)
        initial_now = initial_year == year or schema.TRAINING_INITIAL in rows
        if not (initial_year <= year or initial_now):
            failed.add("bcn_tap_huan")
        if not initial_now and schema.TRAINING_REFRESHER not in rows:
            failed.add("bcn_tap_huan")
    if not board:
        failed.add("bcn_tap_huan")
    balance = {schema.FUND_ACTIVITY: parse_number(info["opening_activity"]),
               schema.FUND_INCOME: parse_number(info["opening_income"])}
    contributed = set()
    for r in _records(path, schema.FUND):
        if not first <= parse_date(r["date"]) <= last:
            continue
        amount = parse_number(r["amount"])
        if r["direction"] == schema.RECEIPT:
            balance[r["fund"]] += amount
            if r.get("source") == schema.MEMBER_CONTRIBUTION:
                contributed.add(r["fund"])
        else:
            balance[r["fund"]] -= amount
    if min(balance.values()) <= 0 or not contributed:
        failed.add("quy")
    return n, failed


# --- the generator ------------------------------------------------------------------------


def test_same_seed_same_data():
    assert sample.commune_data() == sample.commune_data()
    for i in range(1, len(sample.PROFILES) + 1):
        assert sample.club_data(i) == sample.club_data(i)
    assert sample.club_data(1, seed=5) != sample.club_data(1)
    assert sample.club_data(1, seed=5) == sample.club_data(1, seed=5)


def test_no_global_random_state():
    import random

    random.seed(1)
    a = random.random()
    random.seed(1)
    sample.club_data(3)
    sample.commune_data()
    assert random.random() == a


def test_data_uses_schema_keys_and_values():
    sheets = {s.key: s for s in schema.CLUB.read_sheets}
    for i in range(1, len(sample.PROFILES) + 1):
        data = sample.club_data(i, mistakes=False)
        assert set(data["info"]) <= {f.key for f in sheets["info"].fields}
        for key in ("members", "meetings", "trainings", "outreach", "fund"):
            fields = {f.key: f for f in sheets[key].fields}
            for rec in data[key]:
                assert set(rec) <= set(fields), (key, rec)
                for k, v in rec.items():
                    if fields[k].choices:
                        assert v in fields[k].choices, (key, k, v)
    commune = sample.commune_data()
    for s in schema.COMMUNE.read_sheets:
        recs = [commune[s.key]] if s.layout is schema.Layout.LABELS else commune[s.key]
        for rec in recs:
            assert set(rec) <= {f.key for f in s.fields}


def test_member_counts_and_board():
    for p in sample.PROFILES:
        data = sample.club_data(p.index)
        members = [r for r in data["members"] if r]
        active = [r for r in members if not (r.get("left") and r["left"].year < YEAR)]
        assert 50 <= len(active) <= 70
        assert len(active) == p.members
        roles = [r["role"] for r in members if r.get("role")]
        assert sorted(roles) == sorted(schema.BOARD_ROLES)
        chair = next(r for r in members if r.get("role") == schema.CHAIR)
        assert data["info"]["chair"] == chair["name"]
        names = [(r["name"], r["birth_year"]) for r in members]
        assert len(names) == len(set(names))  # no duplicate-member warnings


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def test_text_is_nfc():
    import unicodedata

    texts = _strings(sample.commune_data())
    for i in range(1, len(sample.PROFILES) + 1):
        texts += _strings(sample.club_data(i))
    assert texts
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)


def test_year_parameter():
    data = sample.club_data(8, year=2031)
    assert data["info"]["year"] == 2031
    assert data["info"]["founded"] == dt.date(2031, 4, 15)
    assert all(r["date"].year == 2031 for r in data["meetings"])
    assert sample.commune_data(year=2031)["info"]["year"] == 2031


def test_written_files_are_byte_reproducible(tmp_path):
    a = sample.write_sample_data(tmp_path / "a")
    b = sample.write_sample_data(tmp_path / "b")
    assert [p.name for p in a] == [p.name for p in b]
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.name


def test_write_many(tmp_path):
    paths = sample.write_many(tmp_path, 3)
    assert [p.name for p in paths] == ["clb_b-00001.xlsx", "clb_b-00002.xlsx", "clb_b-00003.xlsx"]
    for path in paths:
        info = _labels(path, schema.CLUB_INFO)
        assert re.fullmatch(r"B-\d{5}", info["club_id"])
        members = _records(path, schema.MEMBERS)
        assert 64 <= len(members) <= 72
        assert _standard(path)[0] <= 70


def test_write_many_in_a_pool(tmp_path):
    seen = []
    paths = sample.write_many(tmp_path, 4, jobs=2, on_progress=lambda d, n: seen.append((d, n)))
    assert len(paths) == 4 and all(p.exists() for p in paths)
    assert seen[-1] == (4, 4)
    one = sample.write_many(tmp_path / "one", 4)
    for x, y in zip(paths, one, strict=True):
        assert x.read_bytes() == y.read_bytes()


# --- the committed sample_data ------------------------------------------------------------


def _committed() -> dict[str, Path]:
    return {p.name: p for p in SAMPLE_DIR.glob("*.xlsx")}


def test_committed_sample_data_is_what_the_generator_makes(tmp_path):
    fresh = sample.write_sample_data(tmp_path)
    committed = _committed()
    assert sorted(committed) == sorted(p.name for p in fresh), (
        "run `python scripts/make_sample_data.py` and commit sample_data/")
    for path in fresh:
        new, old = CalamineWorkbook.from_path(str(path)), CalamineWorkbook.from_path(
            str(committed[path.name]))
        assert new.sheet_names == old.sheet_names
        for name in new.sheet_names:
            assert (new.get_sheet_by_name(name).to_python(skip_empty_area=False)
                    == old.get_sheet_by_name(name).to_python(skip_empty_area=False)), (
                f"{path.name} / {name}: run `python scripts/make_sample_data.py`")


def test_committed_files_are_small():
    for path in SAMPLE_DIR.glob("*.xlsx"):
        assert path.stat().st_size < 100_000, path.name
    assert re.fullmatch(r"[a-z0-9_.-]+", "".join(_committed()))  # ASCII file names


def test_missing_club_has_no_file():
    names = _committed()
    missing = [p for p in sample.PROFILES if not p.produced]
    assert [p.club_id for p in missing] == ["MH-07"]
    assert not any(n.startswith("clb_mh-07") for n in names)
    registry = _records(SAMPLE_DIR / sample.commune_file_name(YEAR), schema.REGISTRY)
    assert [r["club_id"] for r in registry] == [p.club_id for p in sample.PROFILES]


def _cell(path: Path, sheet: str, cell: str) -> Any:
    m = re.fullmatch(r"([A-Z]+)(\d+)", cell)
    assert m
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(
        skip_empty_area=False)
    return rows[int(m.group(2)) - 1][col - 1]


def test_planted_mistakes_are_where_the_readme_says():
    readme = README.read_text(encoding="utf-8")
    kinds: dict[str, set[str]] = {}
    for p in PRODUCED:
        name = sample.club_file_name(p.club_id, p.village)
        path = SAMPLE_DIR / name
        assert name in readme
        for item in sample.club_data(p.index)["planted"]:
            kinds.setdefault(item["kind"], set()).add(p.club_id)
            value = _cell(path, item["sheet"], item["cell"])
            expected = item["value"]
            if isinstance(expected, dt.date):
                assert value == expected
            else:
                assert str(value).removesuffix(".0") == str(expected), item
            if item["kind"] != "variant":
                # Each error, warning and failed criterion is named with its cell.
                section = readme.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]
                assert f"{item['sheet']}!{item['cell']}" in section, item
                assert item["code"] in section, item
    assert len(kinds["error"]) >= 2
    assert kinds["variant"] and kinds["warning"] and kinds["indicator"]


def test_blank_rows_in_the_middle():
    """README: MH-02 has blank rows at Thành viên 23 and 38 and Quỹ 16."""
    path = SAMPLE_DIR / sample.club_file_name("MH-02", sample.VILLAGES[1])
    for sheet, row in ((schema.MEMBERS, 23), (schema.MEMBERS, 38), (schema.FUND, 16)):
        rows = _rows(path, sheet)
        assert all(v in ("", None) for v in rows[row - 1]), (sheet.name, row)
        assert any(v not in ("", None) for v in rows[row]), (sheet.name, row + 1)


def test_planted_values():
    three = sample.club_data(3)["planted"]
    assert [(i["code"], i["value"]) for i in three] == [("enum", "Gái")]
    four = sample.club_data(4)["planted"]
    assert four[0]["code"] == "date-outside-year" and four[0]["value"].year == YEAR - 1
    five = sample.club_data(5)
    (item,) = five["planted"]
    rec = next(r for r in five["members"] if r.get("role") == item["value"])
    assert rec["initial_training_year"] < YEAR
    assert rec["name"] not in {t["name"] for t in five["trainings"]}
    assert sample.club_data(3, mistakes=False)["planted"] == [] or all(
        i["kind"] == "indicator" for i in sample.club_data(3, mistakes=False)["planted"])


@pytest.mark.parametrize("p", PRODUCED, ids=lambda p: p.club_id)
def test_standard_by_an_independent_check(p):
    path = SAMPLE_DIR / sample.club_file_name(p.club_id, p.village)
    n, failed = _standard(path)
    assert n == p.members
    assert failed == set(p.failed)
    assert (not failed) == (p.club_id in STANDARD) == p.standard


def test_at_least_two_clubs_meet_the_standard():
    ok = [p.club_id for p in PRODUCED
          if not _standard(SAMPLE_DIR / sample.club_file_name(p.club_id, p.village))[1]]
    assert len(ok) >= 2
    assert set(ok) == STANDARD


def test_female_older_share_in_and_out_of_the_band():
    shares = {p.club_id: p.female_older for p in PRODUCED}
    assert any(0.5 <= s <= 0.6 for s in shares.values())
    assert any(not 0.5 <= s <= 0.6 for s in shares.values())


def test_commune_data():
    c = sample.commune_data()
    assert c["info"]["commune"] == "Mai Hoa" and c["info"]["province"] == "Hà Tĩnh"
    assert len(c["villages"]) == 12
    assert len(c["registry"]) == 8
    new = [r for r in c["registry"] if r["founded"].year == YEAR]
    assert [r["club_id"] for r in new] == ["MH-08"]
    assert all(2016 <= r["founded"].year <= 2024 for r in c["registry"] if r not in new)
    assert 0 < sum(1 for o in c["officials"] if o.get("trained")) < len(c["officials"])
    over = [v for v in c["villages"] if v["outreach_reached"] > v["outreach_target"]]
    assert len(over) == 1
    assert "\n" in c["info"]["recipients"]


def test_sample_data_validates_as_declared():
    """The package's own validator agrees with what the README says of each file."""
    from clubtool.validation import validate

    report = validate([SAMPLE_DIR], year=YEAR)
    by_name = {Path(f.path).name: f for f in report.files}
    commune = by_name[sample.commune_file_name(YEAR)]
    assert [i.code for i in commune.issues] == ["reached-exceeds-target"]
    for p in PRODUCED:
        result = by_name[sample.club_file_name(p.club_id, p.village)]
        planted = {(i["sheet"], i["cell"], i["code"]) for i in sample.club_data(p.index)["planted"]
                   if i["kind"] in ("error", "warning")}
        found = {(i.sheet, i.cell, i.code) for i in result.issues}
        assert found == planted, p.club_id
        errors = [i for i in result.issues if i.severity == "error"]
        assert (not errors) == p.valid, p.club_id


def test_sample_data_holds_a_resent_copy_and_a_neighbouring_club():
    """Issue 12: the demo shows a corrected copy sent again and a club of Thạch Xuân."""
    from clubtool.job import indicators_for
    from clubtool.validation import validate

    report = validate([SAMPLE_DIR], year=YEAR)
    by_name = {Path(f.path).name: f for f in report.files}
    first = by_name[sample.club_file_name("MH-02", sample.VILLAGES[1]).replace(
        ".xlsx", sample.RESENT_SUFFIX)]
    assert [i.code for i in first.issues] == ["superseded-submission", "unknown-column"]
    assert first.superseded_by.endswith(sample.club_file_name("MH-02", sample.VILLAGES[1]))
    tx = by_name[sample.club_file_name(sample.NEIGHBOUR_ID, sample.NEIGHBOUR_VILLAGE)]
    assert [(i.code, i.cell) for i in tx.issues] == [("wrong-commune", "B14")]
    result = indicators_for(report, year=YEAR, as_of=dt.date(YEAR, 12, 31))
    assert [c.club_id for c in result.clubs] == ["MH-01", "MH-02", "MH-05", "MH-06", "MH-08"]
    assert result.indicator("clb_thanh_lap_moi").value == 1  # MH-08 only, not TX-03
    assert result.indicator("thon_co_clb").numerator == 8
    assert result.indicator("ty_le_nop_bao_cao").numerator == 5
