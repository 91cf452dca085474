"""The commune's summary `tong_hop_<xã>_<năm>.json` (docs/summary.md): built from the
indicators, checked against the shipped JSON Schema, written byte for byte the same, read
back with every refusal (not a summary, another version, schema, hash, figures), and never
a person's name, phone or birth year."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from clubtool._jsonout import dumps
from clubtool.job import compute, read, resolve
from clubtool.summary import (
    FORMAT,
    VERSION,
    SummaryError,
    canonical_bytes,
    content_hash,
    load_schema,
    parse_summary,
    read_summary,
    summary_name,
    summary_of,
    write_summary,
)
from clubtool.summary._schema import KEYWORDS, SchemaError, Violation, check

from .factories import changed, club_data, commune_data, write_club, write_commune

YEAR = 2027


@dataclass
class Built:
    folder: Path
    clubs: list[dict[str, Any]]  # the club workbooks' data, for what must never leak
    commune: dict[str, Any]
    computed: Any  # clubtool.job.Computed
    report: Any  # the ValidationReport


def _build(root: Path) -> Built:
    folder = root / "xa_mai_hoa"
    folder.mkdir(parents=True)
    commune = commune_data(YEAR)
    write_commune(folder / "mau_xa.xlsx", commune)
    east = club_data(YEAR)
    # distinctive names and birth years, so that any leak is found
    east = changed(east, "members", 7, name="Đinh Thị Riêng Tư", birth_year=1931)
    east = changed(east, "members", 8, name="Quách Văn Bí Mật", birth_year=1944)
    west = club_data(YEAR, club_id="MH-02", village="Thôn Tây", members=40)
    west = changed(west, "info", None, phone="0987 654 321", chair="Nguyễn Thị Lan")
    faulty = changed(club_data(YEAR, club_id="MH-03", village="Thôn Nam"), "members", 3,
                     gender="Gái")  # an error: left out of the figures
    clubs = [east, west, faulty]
    for i, data in enumerate(clubs, 1):
        write_club(folder / f"clb_{i}.xlsx", data)
    job = resolve([folder], options={"year": YEAR, "as_of": f"{YEAR}-12-31"}, env={},
                  cwd=root)
    report = read(job)
    return Built(folder, clubs, commune, compute(job, report), report)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("summary"))


@pytest.fixture
def obj(built: Built) -> dict[str, Any]:
    return summary_of(built.computed.communes[0].indicators, validation=built.report)


def _rehashed(o: dict[str, Any]) -> dict[str, Any]:
    """`o` with its hash made right again (a file a buggy writer could have produced)."""
    body = {k: v for k, v in o.items() if k != "sha256"}
    return {**body, "sha256": content_hash(body)}


def _write_raw(path: Path, o: Any) -> Path:
    path.write_text(dumps(o), encoding="utf-8")
    return path


# --- the content ---------------------------------------------------------------------------


def test_the_summary_follows_the_shipped_schema(obj: dict[str, Any]) -> None:
    check(obj)  # raises Violation otherwise
    assert list(obj)[0] == "format" and list(obj)[-1] == "sha256"
    assert obj["format"] == FORMAT == load_schema()["properties"]["format"]["const"]
    assert obj["version"] == VERSION == load_schema()["properties"]["version"]["const"]


def test_the_schema_is_shipped_in_the_package_and_uses_only_known_keywords() -> None:
    assert resources.files("clubtool.summary").joinpath("schema.json").is_file()
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"

    def walk(s: Any) -> None:
        assert not set(s) - KEYWORDS - {"$schema", "$id", "title", "description"}
        for sub in s.get("properties", {}).values():
            walk(sub)
        for key in ("items", "additionalProperties"):
            if isinstance(s.get(key), dict):
                walk(s[key])

    walk(schema)


def test_the_summary_carries_the_indicators_and_the_counts(built: Built,
                                                          obj: dict[str, Any]) -> None:
    result = built.computed.communes[0].indicators
    assert obj["tool"].startswith("clubtool ")
    assert (obj["province"], obj["commune"], obj["year"], obj["as_of"]) == (
        "Hà Tĩnh", "Mai Hoa", YEAR, f"{YEAR}-12-31")
    assert obj["plan"] == {"title": result.plan.title, "file": "mai_hoa_2026.toml",
                           "phase": "2026-2030"}
    assert [i["id"] for i in obj["indicators"]] == [v.id for v in result.indicators]
    for got, v in zip(obj["indicators"], result.indicators, strict=True):
        assert (got["numerator"], got["denominator"], got["value"], got["status"]) == (
            v.numerator, v.denominator, v.value, v.status)
        if v.target is None:
            assert got["target"] is None
        else:
            assert got["target"] == {"min": v.target.min, "shown_max": v.target.shown_max}
        if v.unit == "count":
            assert isinstance(got["value"], int) and got["denominator"] is None
        elif got["denominator"]:
            assert got["value"] == got["numerator"] / got["denominator"]
    figures = result.commune_figures()
    counts = obj["counts"]
    assert counts["members"] == figures["members"]
    assert counts["members"]["total"] == 100
    assert counts["clubs"] == {"known": 2, "expected": 2, "reported": 2, "missing": 0,
                               "excluded_files": 1, "dissolved": 0, "standard": 1}
    assert counts["excluded_clubs"] == ["MH-03"]
    assert counts["missing_clubs"] == []
    assert obj["clubs"] == [
        {"club_id": "MH-01", "village": "Thôn Đông", "members": 60, "dat_chuan": True,
         "criteria_failed": []},
        {"club_id": "MH-02", "village": "Thôn Tây", "members": 40, "dat_chuan": False,
         "criteria_failed": ["so_thanh_vien"]}]


def test_without_the_validation_the_excluded_codes_are_not_known(built: Built) -> None:
    o = summary_of(built.computed.communes[0].indicators)
    assert o["counts"]["excluded_clubs"] == []
    assert o["counts"]["clubs"]["excluded_files"] == 1
    check(o)


def test_the_file_name() -> None:
    assert summary_name("Thạch Xuân", 2027) == "tong_hop_thach_xuan_2027.json"
    assert summary_name("Mai Hoa", 2026) == "tong_hop_mai_hoa_2026.json"


# --- the hash and the bytes ----------------------------------------------------------------


def test_the_hash_is_of_the_canonical_content(obj: dict[str, Any]) -> None:
    body = canonical_bytes(obj)
    assert b'"sha256"' not in body
    assert body == json.dumps({k: v for k, v in obj.items() if k != "sha256"}, sort_keys=True,
                              ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert "Nữ".encode() in body  # UTF-8, not \u escapes
    assert obj["sha256"] == hashlib.sha256(body).hexdigest()
    assert canonical_bytes({**obj, "sha256": "0" * 64}) == body  # the hash is not hashed


def test_round_trip_and_the_same_bytes_twice(built: Built, obj: dict[str, Any],
                                             tmp_path: Path) -> None:
    path = write_summary(tmp_path / summary_name(obj["commune"], obj["year"]), obj)
    first = path.read_bytes()
    assert first.decode("utf-8") == dumps(obj)
    assert read_summary(path) == obj
    again = summary_of(built.computed.communes[0].indicators, validation=built.report)
    write_summary(path, again)
    assert path.read_bytes() == first
    # computed again from the workbooks: the same bytes
    rebuilt = _build(tmp_path / "again")
    write_summary(tmp_path / "b.json", summary_of(rebuilt.computed.communes[0].indicators,
                                                  validation=rebuilt.report))
    assert (tmp_path / "b.json").read_bytes() == first


def test_write_refreshes_the_hash_and_refuses_what_it_could_not_read(
        obj: dict[str, Any], tmp_path: Path) -> None:
    stale = {**obj, "commune": "Mai Hoa ", "sha256": obj["sha256"]}
    written = read_summary(write_summary(tmp_path / "a.json", stale))
    assert written["sha256"] == content_hash(stale) != obj["sha256"]
    bad = json.loads(json.dumps(obj))
    bad["indicators"][0]["numerator"] = bad["indicators"][0]["denominator"] + 1
    with pytest.raises(SummaryError, match="lớn hơn mẫu số"):
        write_summary(tmp_path / "bad.json", bad)
    assert not (tmp_path / "bad.json").exists()


# --- reading: every refusal is a clear error of that file -----------------------------------


def test_a_number_edited_by_hand_is_caught(obj: dict[str, Any], tmp_path: Path) -> None:
    path = write_summary(tmp_path / "s.json", obj)
    text = path.read_text(encoding="utf-8")
    edited = text.replace('"numerator": 13, "denominator": 25', '"numerator": 14, "denominator": 25')
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(SummaryError, match="sửa bằng tay sau khi clubtool ghi") as err:
        read_summary(path)
    assert str(path) in str(err.value)


def test_an_edited_village_is_caught_too(obj: dict[str, Any], tmp_path: Path) -> None:
    path = write_summary(tmp_path / "s.json", obj)
    path.write_text(path.read_text(encoding="utf-8").replace("Thôn Tây", "Thôn Tay"),
                    encoding="utf-8")
    with pytest.raises(SummaryError, match="sửa bằng tay"):
        read_summary(path)


def test_reformatting_the_file_keeps_it_valid(obj: dict[str, Any], tmp_path: Path) -> None:
    """The hash is of the content, not the bytes: re-indenting the file changes nothing."""
    path = tmp_path / "s.json"
    path.write_text(json.dumps(obj, indent=4, ensure_ascii=True), encoding="utf-8")
    assert read_summary(path) == obj


@pytest.mark.parametrize("version", [2, 99])
def test_a_newer_version_says_to_update(obj: dict[str, Any], tmp_path: Path,
                                        version: int) -> None:
    path = _write_raw(tmp_path / "s.json", _rehashed({**obj, "version": version}))
    with pytest.raises(SummaryError, match=f"phiên bản {version}.*cập nhật clubtool"):
        read_summary(path)


@pytest.mark.parametrize("version", [0, "1", None, True, 1.5])
def test_an_unknown_version_is_refused(obj: dict[str, Any], tmp_path: Path,
                                       version: Any) -> None:
    path = _write_raw(tmp_path / "s.json", _rehashed({**obj, "version": version}))
    with pytest.raises(SummaryError, match="phiên bản định dạng .* không được hỗ trợ"):
        read_summary(path)


@pytest.mark.parametrize("content", [
    b"", b"not json", b"\xff\xfe garbage", b"[1, 2]", b'"text"', b"{}",
    b'{"commune": "Mai Hoa", "year": 2027, "indicators": []}',
    b'{"format": "clubtool-province-summary", "version": 1}',
    b'{"format": "clubtool-commune-summary", "version": NaN}',
])
def test_what_is_not_a_summary_is_said_so(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(SummaryError, match="không phải tệp tổng hợp của xã do clubtool ghi"):
        read_summary(path)


def test_an_indicators_json_is_not_a_summary(built: Built, tmp_path: Path) -> None:
    path = _write_raw(tmp_path / "chi_tieu_2027.json",
                      built.computed.communes[0].indicators.to_dict() | {"as_of": "2027-12-31"})
    with pytest.raises(SummaryError, match="không phải tệp tổng hợp"):
        read_summary(path)


def test_a_missing_file_is_an_error_of_that_file(tmp_path: Path) -> None:
    with pytest.raises(SummaryError, match="không đọc được tệp"):
        read_summary(tmp_path / "nowhere.json")


@pytest.mark.parametrize(("edit", "field"), [
    (lambda o: o["counts"]["members"].pop("total"), "counts.members"),
    (lambda o: o["clubs"][1].update(name="CLB Thôn Tây"), "clubs[1]"),
    (lambda o: o["indicators"][2].update(status="tot"), "indicators[2].status"),
    (lambda o: o["indicators"][0].update(numerator=-1), "indicators[0].numerator"),
    (lambda o: o["clubs"][0].update(members="60"), "clubs[0].members"),
    (lambda o: o["clubs"][0].update(dat_chuan=1), "clubs[0].dat_chuan"),
    (lambda o: o.update(year=True), "year"),
    (lambda o: o.update(as_of="31/12/2027"), "as_of"),
    (lambda o: o.pop("plan"), "(gốc)"),
])
def test_a_schema_violation_names_the_field(obj: dict[str, Any], tmp_path: Path,
                                            edit: Any, field: str) -> None:
    o = json.loads(json.dumps(obj))
    edit(o)
    path = _write_raw(tmp_path / "s.json", _rehashed(o))
    with pytest.raises(SummaryError, match="sai cấu trúc") as err:
        read_summary(path)
    assert f"trường {field}:" in str(err.value)


def test_a_numerator_above_its_denominator_is_refused(obj: dict[str, Any],
                                                      tmp_path: Path) -> None:
    o = json.loads(json.dumps(obj))
    ind = next(i for i in o["indicators"] if i["id"] == "ho_tro_sinh_ke")
    ind.update(numerator=30, value=30 / 25)
    path = _write_raw(tmp_path / "s.json", _rehashed(o))
    with pytest.raises(SummaryError, match="chỉ tiêu ho_tro_sinh_ke: tử số 30 lớn hơn mẫu số 25"):
        read_summary(path)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda i: i.update(value=0.6), "khác tử số chia mẫu số"),
    (lambda i: i.update(denominator=None), "có tử số mà không có mẫu số"),
])
def test_figures_that_contradict_each_other_are_refused(obj: dict[str, Any], tmp_path: Path,
                                                        edit: Any, message: str) -> None:
    o = json.loads(json.dumps(obj))
    edit(next(i for i in o["indicators"] if i["id"] == "ho_tro_sinh_ke"))
    with pytest.raises(SummaryError, match=message):
        parse_summary(dumps(_rehashed(o)))


def test_an_as_of_date_outside_the_year_is_refused(obj: dict[str, Any]) -> None:
    with pytest.raises(SummaryError, match="không thuộc năm 2027"):
        parse_summary(dumps(_rehashed({**obj, "as_of": "2026-12-31"})))


# --- no person's data ----------------------------------------------------------------------


def _personal(built: Built) -> set[str]:
    """Every name, phone and birth year the workbooks hold about a person."""
    out: set[str] = set()
    for data in built.clubs:
        for m in data["members"]:
            out |= {m["name"], str(m["birth_year"])}
        out |= {t["name"] for t in data["trainings"]}
        out |= {data["info"][k] for k in ("chair", "phone", "prepared_by")}
    out |= {o["name"] for o in built.commune["officials"]}
    out.add(built.commune["info"]["signer"])
    return out


def test_no_name_phone_or_birth_year_is_in_the_file(built: Built, obj: dict[str, Any],
                                                    tmp_path: Path) -> None:
    text = write_summary(tmp_path / "s.json", obj).read_text(encoding="utf-8")
    text = text.replace(obj["sha256"], "")  # hex digits are not a birth year
    personal = _personal(built)
    assert {"Đinh Thị Riêng Tư", "Quách Văn Bí Mật", "1931", "0987 654 321"} <= personal
    found = sorted(s for s in personal
                   if re.search(rf"(?<![\w]){re.escape(s)}(?![\w])", text))
    assert not found, found
    assert not any(part in text for s in personal if not s.isdigit() for part in (
        s.replace(" ", ""), s.upper()))


# --- the validator itself --------------------------------------------------------------------


def test_the_validator_follows_json_schema_on_types() -> None:
    check(3.0, {"type": "integer"})
    for value, schema in [(True, {"type": "integer"}), (True, {"type": "number"}),
                          (1, {"type": "boolean"}), (1, {"const": True}),
                          ([], {"type": "object"}), (None, {"type": "string"}),
                          ({"a": 1}, {"additionalProperties": {"type": "string"}})]:
        with pytest.raises(Violation):
            check(value, schema)


def test_the_validator_refuses_a_keyword_it_does_not_know() -> None:
    with pytest.raises(SchemaError):
        check(1, {"maximum": 3})
