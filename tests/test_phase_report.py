"""The phase reviews (SPEC §9, the plan's §V.1): `clubtool.report.phase`, sơ kết 2026–2030 / tổng kết.

Each year's data is built as the lead's archive wiring gives it, without any archive: one
folder of workbooks per year (tests/factories.py), then `resolve` → `read` → `compute` per
year. Three years have data (2026–2028); 2029 is None and 2030 absent (no data). Members
carry distinctive names, searched for in every format; one award names a member.

The fixture commune: MH-01 and MH-02 report every year (MH-02 misses two months in 2027,
so it fails the standard that year); MH-03 is founded 01/03/2027, is in the registry from
2027 but sends its first report in 2028; MH-04 is in the registry, never reports, and is
dissolved on 30/06/2028.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest

from clubtool.indicators import Phase, default_plan
from clubtool.job import compute, read, resolve
from clubtool.outputs import REPORT_FORMATS
from clubtool.render import Options, formats, renderer
from clubtool.report import ReportError
from clubtool.report.phase import (
    YearData,
    build_phase_context,
    phase_output_name,
    render_phase_report,
)
from tests.factories import club_data, commune_data, write_club, write_commune

D = dt.date
YEARS = (2026, 2027, 2028)
SIGNED = D(2030, 12, 5)
ALL = ("docx", "html", "xlsx", "md", "json")
TOKENS = {"MH-01": "Zebrafish", "MH-02": "Quokka", "MH-03": "Narwhal"}
PERSON_AWARDED = "Hồ Thị Zebrafish007"  # a member of MH-01, awarded as a person


def _rename(data: dict[str, Any], token: str) -> list[str]:
    """Give every member a distinctive name (trainings, chair and author kept in step)."""
    mapping = {}
    for i, m in enumerate(data["members"]):
        new = f"Hồ Thị {token}{i:03d}"
        mapping[m["name"]] = new
        m["name"] = new
    for t in data["trainings"]:
        t["name"] = mapping[t["name"]]
    data["info"]["chair"] = mapping[data["info"]["chair"]]
    data["info"]["prepared_by"] = mapping.get(data["info"]["prepared_by"], f"Hồ Thị {token}")
    return list(mapping.values())


def _club(year: int, code: str, village: str, names: list[str], **kw: Any) -> dict[str, Any]:
    data = club_data(year=year, club_id=code, village=village, **kw)
    names += _rename(data, TOKENS[code])
    return data


def _commune(year: int) -> dict[str, Any]:
    cd = commune_data(year=year)
    mh04 = {"club_id": "MH-04", "name": "CLB Thôn Bắc", "village": "Thôn Bắc",
            "founded": D(2020, 1, 1)}
    if year >= 2028:
        mh04["dissolved"] = D(2028, 6, 30)
    cd["registry"].append(mh04)
    if year >= 2027:
        cd["registry"].append({"club_id": "MH-03", "name": "CLB Thôn Nam", "village": "Thôn Nam",
                               "founded": D(2027, 3, 1)})
        # The commune keeps one running list of awards: 2027's are listed again in 2028.
        cd["awards"] = [
            {"year": 2027, "target": "Tập thể", "name": "CLB Thôn Đông", "form": "Giấy khen",
             "level": "xã"},
            {"year": 2027, "target": "Cá nhân", "name": PERSON_AWARDED, "form": "Giấy khen",
             "level": "xã"}]
    return cd


def _year(root: Path, year: int, names: list[str]) -> YearData:
    folder = root / str(year)
    folder.mkdir()
    write_club(folder / "clb_mh01.xlsx", _club(year, "MH-01", "Thôn Đông", names))
    c2 = _club(year, "MH-02", "Thôn Tây", names)
    if year == 2027:
        c2["meetings"] = [m for m in c2["meetings"] if m["date"].month not in (7, 8)]
    write_club(folder / "clb_mh02.xlsx", c2)
    if year == 2028:
        c3 = _club(year, "MH-03", "Thôn Nam", names, members=52)
        c3["info"]["founded"] = D(2027, 3, 1)
        write_club(folder / "clb_mh03.xlsx", c3)
    write_commune(folder / "xa_mai_hoa.xlsx", _commune(year))
    job = resolve([folder], options={"year": year, "as_of": f"{year}-12-31"}, env={},
                  cwd=root)
    report = read(job)
    computed = compute(job, report)
    return YearData(computed.communes[0].indicators, report.usable_commune)


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[int, YearData | None],
                                                               list[str]]:
    root = tmp_path_factory.mktemp("phase")
    names: list[str] = []
    years: dict[int, YearData | None] = {y: _year(root, y, names) for y in YEARS}
    years[2029] = None  # 2030: absent, also no data
    return years, names


@pytest.fixture(scope="module")
def years(fixture):
    return fixture[0]


@pytest.fixture(scope="module")
def plan():
    return default_plan()


@pytest.fixture(scope="module")
def ctx(years, plan):
    return build_phase_context(years, phase=plan.phases[0], plan=plan, date=SIGNED, today=SIGNED)


@pytest.fixture(scope="module")
def rendered(ctx) -> dict[str, bytes]:
    return {f: renderer("phase", f)(ctx, Options()) for f in ALL}


def _texts(fmt: str, data: bytes) -> str:
    """Everything a format holds as text (every XML part of a zip), NFC."""
    if fmt in ("docx", "xlsx"):
        z = zipfile.ZipFile(io.BytesIO(data))
        text = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                         if n.endswith((".xml", ".rels")))
    else:
        text = data.decode("utf-8")
    return unicodedata.normalize("NFC", text)


def _result(years, y):
    return years[y].result


# --- the entry point -----------------------------------------------------------------------


def test_output_names():
    plan = default_plan()
    assert phase_output_name(plan.phases[0], "docx") == "so_ket_2026_2030.docx"
    assert phase_output_name("2031-2035", "md") == "tong_ket_2031_2035.md"
    assert phase_output_name("2026-2035", "json", plan=plan) == "tong_ket_2026_2035.json"
    assert phase_output_name(Phase(2026, 2035, "Giai đoạn 2026 - 2035"), "xlsx") \
        == "tong_ket_2026_2035.xlsx"
    with pytest.raises(ReportError):
        phase_output_name("năm 2026", "docx")


def test_the_renderers_are_registered():
    assert formats("phase") == tuple(REPORT_FORMATS)


def test_every_format_renders_and_is_written(years, plan, tmp_path):
    out = render_phase_report(years, phase=plan.phases[0], plan=plan, formats=ALL,
                              out_dir=tmp_path, date=SIGNED, today=SIGNED)
    assert [p.name for p in out] == [f"so_ket_2026_2030.{REPORT_FORMATS[f]}" for f in ALL]
    assert out.date == SIGNED
    from docx import Document

    doc = Document(str(tmp_path / "so_ket_2026_2030.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "Sơ kết 5 năm" in text
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(cells)
    assert any(n.startswith("word/media/") for n in
               zipfile.ZipFile(tmp_path / "so_ket_2026_2030.docx").namelist())  # the chart
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "so_ket_2026_2030.xlsx")
    assert wb.sheetnames[:2] == ["Tổng quan", "Chỉ tiêu"] and "Đạt chuẩn" in wb.sheetnames
    assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    html = (tmp_path / "so_ket_2026_2030.html").read_text(encoding="utf-8")
    assert "size: A4 portrait" in html and "<svg" in html
    json.loads((tmp_path / "so_ket_2026_2030.json").read_text(encoding="utf-8"))


def test_refuses_to_overwrite_without_force(years, plan, tmp_path):
    render_phase_report(years, phase=plan.phases[0], plan=plan, formats="md", out_dir=tmp_path,
                        date=SIGNED, today=SIGNED)
    target = tmp_path / "so_ket_2026_2030.md"
    target.write_text("sửa tay", encoding="utf-8")
    with pytest.raises(ReportError, match="không ghi đè"):
        render_phase_report(years, phase=plan.phases[0], plan=plan, formats="md",
                            out_dir=tmp_path, date=SIGNED, today=SIGNED)
    assert target.read_text(encoding="utf-8") == "sửa tay"
    render_phase_report(years, phase=plan.phases[0], plan=plan, formats="md", out_dir=tmp_path,
                        date=SIGNED, today=SIGNED, force=True)
    assert "Sơ kết" in target.read_text(encoding="utf-8")


def test_inputs_that_do_not_fit_the_phase(years, plan, tmp_path):
    with pytest.raises(ReportError, match="Chưa có số liệu năm nào"):
        render_phase_report({2026: None, 2027: None}, phase=plan.phases[0], plan=plan,
                            out_dir=tmp_path)
    with pytest.raises(ReportError, match="không thuộc giai đoạn"):
        render_phase_report({**years, 2031: None}, phase=plan.phases[0], plan=plan,
                            out_dir=tmp_path)
    with pytest.raises(ReportError, match="là của năm 2026"):
        render_phase_report({2027: years[2026]}, phase=plan.phases[0], plan=plan,
                            out_dir=tmp_path)
    assert not list(tmp_path.iterdir())


# --- title, frame -----------------------------------------------------------------------------


def test_so_ket_title_and_frame(ctx, rendered):
    h = ctx.header
    assert h.kind == "BÁO CÁO"
    assert h.subject == ("Sơ kết 5 năm thực hiện Kế hoạch nhân rộng câu lạc bộ liên thế hệ tự "
                         "giúp nhau giai đoạn 2026–2030")
    assert h.issuer_lines == ["ỦY BAN NHÂN DÂN", "XÃ MAI HOA"]
    assert h.place_date == "Mai Hoa, ngày 05 tháng 12 năm 2030"
    # The commune workbook's number is its annual report's: the review's is left blank.
    assert "125" not in h.number and h.number.endswith("/BC-UBND")
    assert ctx.signature.lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert ctx.signature.name == "Trần Văn An"
    assert ctx.recipients == ["- UBND tỉnh;", "- Lưu: VT, VHXH."]
    assert ctx.closing.startswith("Trên đây là báo cáo sơ kết 5 năm") and ctx.closing.endswith("/.")
    for fmt in ("md", "html", "docx"):
        text = _texts(fmt, rendered[fmt])
        for part in ("Sơ kết 5 năm", "giai đoạn 2026–2030", "Nơi nhận", "TM. ỦY BAN NHÂN DÂN",
                     "Độc lập - Tự do - Hạnh phúc"):
            assert part in text, (fmt, part)


def test_tong_ket_title_over_ten_years(years, plan, tmp_path):
    whole = Phase(2026, 2035, "Giai đoạn 2026 - 2035")
    out = render_phase_report(years, phase=whole, plan=plan, formats=("docx", "md"),
                              out_dir=tmp_path, date=SIGNED, today=SIGNED)
    assert [p.name for p in out] == ["tong_ket_2026_2035.docx", "tong_ket_2026_2035.md"]
    md = out[1].read_text(encoding="utf-8")
    assert "Tổng kết 10 năm thực hiện Kế hoạch" in md and "giai đoạn 2026–2035" in md
    assert "| 2035 |" in md
    # Each year's target is its own phase's: 80% then 75% for tuyen_truyen.
    ctx = build_phase_context(years, phase=whole, plan=plan, date=SIGNED, today=SIGNED)
    row = next(r for r in ctx.indicators if r.id == "tuyen_truyen")
    assert row.plan == "2026 - 2030: 80%; 2031 - 2035: 75%"
    assert row.targets == [0.8] * 5 + [0.75] * 5
    from docx import Document

    section = Document(str(out[0])).sections[0]
    assert section.page_width > section.page_height  # ten year columns: landscape pages


# --- content -----------------------------------------------------------------------------------


def test_indicators_year_by_year_match_each_years_result(years, ctx, rendered):
    out = json.loads(rendered["json"])
    assert out["years"] == [2026, 2027, 2028, 2029, 2030]
    assert out["years_with_data"] == list(YEARS)
    by_id = {i["id"]: i for i in out["indicators"]}
    for y in YEARS:
        for v in _result(years, y).indicators:
            got = by_id[v.id]["by_year"][str(y)]
            assert (got["numerator"], got["denominator"], got["value"], got["status"]) == (
                v.numerator, v.denominator, v.value, v.status), (y, v.id)
    for y in (2029, 2030):
        assert all(i["by_year"][str(y)] is None for i in out["indicators"])
    row = next(r for r in ctx.indicators if r.id == "clb_du_8_noi_dung")
    assert row.cells == ["100%", "50%", "100%", "—", "—"]
    assert row.marks == ["đạt", "chưa đạt", "đạt", "", ""]
    assert row.end_year == 2028 and row.end_text == "Đạt"
    md = rendered["md"].decode("utf-8")
    assert "| 100% (đạt) | 50% (chưa đạt) | 100% (đạt) | — | — | Đạt |" in md
    assert ctx.chart and ctx.chart[0].values[3:] == [None, None]


def test_clubs_members_and_funds_by_year_match(years, ctx):
    rows = {r.label: r for r in ctx.club_rows}
    for i, y in enumerate(YEARS):
        r = _result(years, y)
        assert rows["Câu lạc bộ đang hoạt động (đến ngày tính số liệu)"].raw[i] == len(
            r.context.expected)
        assert rows["Đã gửi báo cáo hợp lệ"].raw[i] == len(r.clubs)
        assert rows["Chưa gửi báo cáo"].raw[i] == len(r.missing)
        assert rows["Đạt chuẩn"].raw[i] == sum(c.dat_chuan for c in r.clubs)
    assert rows["Thành lập mới trong năm"].raw == [0, 1, 0, None, None]
    assert rows["Giải thể trong năm"].raw == [0, 0, 1, None, None]
    assert rows["Thành lập mới trong năm"].total == "1"

    members = {r.label: r for r in ctx.member_rows}
    figures = {y: _result(years, y).commune_figures() for y in YEARS}
    for i, y in enumerate(YEARS):
        m = figures[y]["members"]
        assert members["Tổng số thành viên"].raw[i] == m["total"]
        assert members["Nữ"].raw[i] == m["by_sex"]["Nữ"]
        assert members["Người cao tuổi"].raw[i] == m["older"]
        assert members["Thuộc hộ nghèo"].raw[i] == m["hardship"]["Nghèo"]
    assert members["Tổng số thành viên"].cells[3:] == ["—", "—"]

    funds = {r.label: r for r in ctx.fund_rows}
    for i, y in enumerate(YEARS):
        f = figures[y]["funds"]
        assert funds["Tổng thu"].raw[i] == f["receipts"]
        assert funds["Tổng chi"].raw[i] == f["payments"]
        assert funds["Thu: Thành viên đóng góp"].raw[i] == f["receipts_by_source"][
            "Thành viên đóng góp"]
    assert funds["Tổng thu"].total_raw == sum(figures[y]["funds"]["receipts"] for y in YEARS)


def test_standard_grid_club_by_year(years, ctx, rendered):
    grid = {g.code: g for g in ctx.grid}
    assert list(grid) == ["MH-01", "MH-02", "MH-03", "MH-04"]
    for i, y in enumerate(YEARS):
        for c in _result(years, y).clubs:
            assert grid[c.club_id].cells[i] == ("Đạt" if c.dat_chuan else "Chưa đạt")
    assert grid["MH-02"].cells == ["Đạt", "Chưa đạt", "Đạt", "—", "—"]
    assert grid["MH-02"].met == "2/3"
    assert grid["MH-03"].cells == ["", "—", "Đạt", "—", "—"]  # founded 2027, no report that year
    assert grid["MH-04"].cells == ["—", "—", "—", "", ""]  # dissolved 30/06/2028
    assert grid["MH-04"].met == "0/0"
    counts = {r.label: r.raw for r in ctx.grid_counts}
    assert counts["Số câu lạc bộ chưa đạt chuẩn"] == [0, 1, 0, None, None]
    md = rendered["md"].decode("utf-8")
    assert "| 2 | MH-02 | Thôn Tây | Đạt | Chưa đạt | Đạt | — | — | 2/3 |" in md
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(rendered["xlsx"]))["Đạt chuẩn"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert [2, "MH-02", grid["MH-02"].name, "Thôn Tây", "Đạt", "Chưa đạt", "Đạt", "—", "—",
            "2/3"] in rows


def test_missing_years_and_clubs_are_said(ctx, rendered):
    assert ctx.data_years == list(YEARS)
    assert [r.state for r in ctx.coverage] == ["Có số liệu"] * 3 + ["Chưa có số liệu"] * 2
    text = " ".join(ctx.missing_text)
    assert "Chưa có số liệu các năm 2029, 2030" in text
    assert "Năm 2026: 1 câu lạc bộ chưa gửi báo cáo: MH-04 (Thôn Bắc)." in text
    assert "Năm 2027: 2 câu lạc bộ chưa gửi báo cáo: MH-03 (Thôn Nam), MH-04 (Thôn Bắc)." in text
    assert "Năm 2028" not in text  # MH-04 dissolved: not expected
    for fmt in ("md", "html", "docx"):
        assert "Chưa có số liệu các năm 2029, 2030" in _texts(fmt, rendered[fmt]), fmt
    out = json.loads(rendered["json"])
    assert out["missing"] == {"2026": ["MH-04"], "2027": ["MH-03", "MH-04"], "2028": []}
    assert out["commune_figures"]["2029"] is None


def test_narrative_compares_the_first_and_last_year_with_data(years, ctx):
    first, last = _result(years, 2026), _result(years, 2028)
    n0, n1 = len(first.context.expected), len(last.context.expected)
    assert n0 == n1  # MH-04 dissolved, MH-03 founded
    overview = " ".join(ctx.overview)
    assert "số liệu của 3/5 năm" in overview
    assert f"Số câu lạc bộ đang hoạt động không đổi ({n0} năm 2026 và năm 2028)" in overview
    r0, r1 = len(first.clubs), len(last.clubs)
    assert f"số câu lạc bộ gửi báo cáo hợp lệ tăng từ {r0} (năm 2026) lên {r1} (năm 2028)" \
        in overview
    p0, p1 = first.context.people.total, last.context.people.total
    assert f"Tổng số thành viên tăng từ {p0} người (năm 2026) lên {p1} người (năm 2028)" \
        in overview
    assert "1 câu lạc bộ thành lập mới và 1 câu lạc bộ giải thể" in overview
    assert "So với năm 2026, năm 2028" in ctx.indicator_summary


def test_awards_counted_once_and_people_never_named(ctx, rendered):
    by_year = {a.year: a for a in ctx.awards}
    assert by_year[2027].collective == "1" and by_year[2027].individual == "1"
    assert by_year[2027].details == ("CLB Thôn Đông: Giấy khen (cấp xã); 1 cá nhân: Giấy khen "
                                     "(cấp xã)")
    assert by_year[2028].collective == "0"  # the 2027 awards listed again are not recounted
    assert by_year[2029].collective == "—"
    for fmt, data in rendered.items():
        assert PERSON_AWARDED not in _texts(fmt, data), fmt


def test_no_member_name_in_any_format(fixture, rendered):
    _, names = fixture
    assert len(names) > 300
    for fmt, data in rendered.items():
        text = _texts(fmt, data)
        for token in TOKENS.values():
            assert token not in text, (fmt, token)
        for name in names:
            assert name not in text, (fmt, name)
        if fmt != "xlsx":
            assert "Trần Văn An" in text, fmt  # the signer is not a member: shown


def test_same_inputs_same_bytes(years, plan, rendered, tmp_path):
    ctx2 = build_phase_context(years, phase=plan.phases[0], plan=plan, date=SIGNED, today=SIGNED)
    for fmt in ALL:
        assert renderer("phase", fmt)(ctx2, Options()) == rendered[fmt], fmt
    a = render_phase_report(years, phase=plan.phases[0], plan=plan, formats=ALL,
                            out_dir=tmp_path / "a", date=SIGNED, today=SIGNED)
    b = render_phase_report(years, phase=plan.phases[0], plan=plan, formats=ALL,
                            out_dir=tmp_path / "b", date=SIGNED, today=SIGNED)
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    for name in zipfile.ZipFile(a[0]).infolist():
        assert name.date_time == (1980, 1, 1, 0, 0, 0)


def test_odd_names_are_escaped(years, plan):
    import copy

    odd = copy.copy(years)
    r = copy.deepcopy(years[2028].result)
    r.clubs[0].figures.name = "<script>alert(1)</script>\x01"  # and a control character
    r.clubs[0].figures.village = "<script>alert(2)</script>"
    r.context.__dict__.pop("known", None)  # cached: recomputed with the new name
    r.context.__dict__.pop("known_by_id", None)
    odd[2028] = YearData(r, years[2028].commune)
    ctx = build_phase_context(odd, phase=plan.phases[0], plan=plan, date=SIGNED, today=SIGNED)
    assert any(g.name == "<script>alert(1)</script>\x01" for g in ctx.grid)
    html = renderer("phase", "html")(ctx, Options()).decode("utf-8")
    assert "<script>" not in html and "\x01" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    md = renderer("phase", "md")(ctx, Options()).decode("utf-8")
    assert "<script>" not in md and r"\<script\>alert(2)\</script\>" in md
    from docx import Document

    Document(io.BytesIO(renderer("phase", "docx")(ctx, Options())))  # Word can hold it
    xlsx = renderer("phase", "xlsx")(ctx, Options())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _texts("xlsx", xlsx)  # a string cell
    json.loads(renderer("phase", "json")(ctx, Options()))


def test_signing_date_defaults_to_today(years, plan):
    ctx = build_phase_context(years, phase=plan.phases[0], plan=plan, today=D(2031, 1, 20))
    assert ctx.date == "20/01/2031"
    assert not [w for w in ctx.warnings if w.startswith(("Hôm nay", "Ngày ký"))]
    early = build_phase_context(years, phase=plan.phases[0], plan=plan, today=D(2027, 6, 1))
    assert early.date == "31/12/2028"  # today before the last year with data: its as-of date
    assert [w for w in early.warnings if w.startswith("Hôm nay")]
    # Each year's own warnings are carried, with their year.
    assert all(w.startswith(("Năm ", "Hôm nay", "Ngày ký")) for w in early.warnings)


def test_above_the_per_club_limit_documents_show_counts(years, plan):
    ctx = build_phase_context(years, phase=plan.phases[0], plan=plan, date=SIGNED,
                              today=SIGNED, per_club_limit=2)
    assert ctx.grid == [] and len(ctx.grid_all) == 4
    assert "4 câu lạc bộ" in ctx.grid_note and "XLSX" in ctx.grid_note
    md = renderer("phase", "md")(ctx, Options()).decode("utf-8")
    assert ctx.grid_note in md and "| MH-02 |" not in md
    assert "Số câu lạc bộ chưa đạt chuẩn" in md  # the counts stay
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(renderer("phase", "xlsx")(ctx, Options())))["Đạt chuẩn"]
    codes = [row[1].value for row in ws.iter_rows() if row[1].value in ("MH-01", "MH-04")]
    assert codes == ["MH-01", "MH-04"]  # the workbook keeps a row per club
    docx = renderer("phase", "docx")(ctx, Options())
    assert ctx.grid_note in _texts("docx", docx)
