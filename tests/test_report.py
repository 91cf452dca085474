"""The annual report (SPEC §6): context, the five renderers, the Word template, `clubtool report`.

The fixture commune has four club workbooks whose members carry distinctive names (every
format is searched for them), a club named `<script>alert(1)</script>`, a club whose name
looks like a spreadsheet formula, a workbook with an error that quotes a member's name, and
a registry club that sent nothing. Markdown and JSON are compared with golden files
(`UPDATE_GOLDEN=1 pytest tests/test_report.py` rewrites them after a deliberate change).
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Mm
from typer.testing import CliRunner

from clubtool import model as M
from clubtool import schema as S
from clubtool.cli import app
from clubtool.indicators import compute_indicators
from clubtool.render import Options
from clubtool.render import renderer as _renderer
from clubtool.report import (
    LIST_LIMIT,
    PER_CLUB_LIMIT,
    ReportError,
    build_context,
    find_template,
    output_name,
    parse_formats,
    render_report,
    vn,
)
from clubtool.report.templates import md_escape
from clubtool.validation import validate
from tests.conftest import needs_soffice
from tests.factories import club_data, commune_data, write_club, write_commune


def renderer(fmt):  # the report's renderers through the one interface of clubtool.render
    return lambda ctx, templates=None: _renderer("report", fmt)(ctx, Options(templates=templates))


D = dt.date
Y = 2027
REPORT_DATE = D(Y, 12, 5)
AS_OF = D(Y, 12, 31)
GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).resolve().parents[1]
SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("http://example.com","bấm vào đây")'
LEAKY = "Hồ Thị Leakyname"  # quoted by the error message of an excluded workbook
TOKENS = ("Zebrafish", "Quokka", "Narwhal", "Axolotl", "Leakyname")
ALL = ("docx", "html", "xlsx", "md", "json")


# --- the fixture commune ---------------------------------------------------------------------


def _rename(data: dict[str, Any], token: str) -> list[str]:
    """Give every member a distinctive name (and keep trainings, chair, author in step)."""
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


def _as_text(path: Path, sheet: str, cell: str) -> None:
    """Store a value that starts with "=" as text, as a careful club secretary would."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    c = wb[sheet][cell]
    c.value, c.data_type = str(c.value), "s"
    wb.save(path)


def _make_folder(root: Path) -> tuple[Path, Path, list[str]]:
    data = root / "du_lieu"
    data.mkdir()
    names: list[str] = []

    c1 = club_data(Y, "MH-01", "Thôn Đông")
    names += _rename(c1, "Zebrafish")
    write_club(data / "clb_mh-01.xlsx", c1)

    c2 = club_data(Y, "MH-02", "Thôn Tây")
    names += _rename(c2, "Quokka")
    c2["info"]["name"] = SCRIPT_NAME
    c2["meetings"] = [m for m in c2["meetings"] if m["date"].month != 7]  # misses July
    write_club(data / "clb_mh-02.xlsx", c2)

    c4 = club_data(Y, "MH-04", "Thôn Nam", members=48)
    names += _rename(c4, "Narwhal")
    c4["info"]["name"] = FORMULA_NAME
    c4["info"]["founded"] = D(Y, 4, 1)  # a new club of the year
    c4["meetings"] = [m for m in c4["meetings"] if m["date"].month >= 4]
    _as_text(write_club(data / "clb_mh-04.xlsx", c4), "Thông tin CLB", "B3")

    c5 = club_data(Y, "MH-05", "Thôn Bắc")
    names += _rename(c5, "Axolotl")
    c5["trainings"].append({"date": D(Y, 5, 2), "name": LEAKY, "kind": "Nhắc lại"})
    write_club(data / "clb_mh-05.xlsx", c5)  # error: unknown-board-member, quoting LEAKY

    cd = commune_data(Y)
    cd["registry"] += [
        {"club_id": "MH-03", "name": "CLB Thôn Nam cũ", "village": "Thôn Nam",
         "founded": D(2021, 3, 1)},
        {"club_id": "MH-05", "name": "CLB Thôn Bắc", "village": "Thôn Bắc",
         "founded": D(2022, 8, 1)},
    ]
    names += [o["name"] for o in cd["officials"]]
    commune = write_commune(root / "xa_mai_hoa_2027.xlsx", cd)
    return data, commune, names


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    return _make_folder(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def computed(folder):
    data, commune, _ = folder
    report = validate([data], commune=commune, year=Y)
    # A fixed "today" (the report's date): the as-of warning does not follow the clock.
    result = compute_indicators(report.valid_clubs(), report.commune, year=Y, as_of=AS_OF,
                                excluded=report.excluded(), today=REPORT_DATE)
    return report, result


@pytest.fixture(scope="module")
def ctx(computed):
    report, result = computed
    return build_context(result, report.commune, Y, REPORT_DATE, validation=report)


@pytest.fixture(scope="module")
def rendered(ctx) -> dict[str, bytes]:
    return {fmt: renderer(fmt)(ctx) for fmt in ALL}


def _texts(fmt: str, data: bytes) -> str:
    """Everything a format holds as text (every XML part of a zip), NFC."""
    if fmt in ("docx", "xlsx"):
        z = zipfile.ZipFile(io.BytesIO(data))
        text = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                         if n.endswith((".xml", ".rels")))
    else:
        text = data.decode("utf-8")
    return unicodedata.normalize("NFC", text)


# --- Vietnamese forms ---------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "text"), [
    (D(2027, 12, 5), "ngày 05 tháng 12 năm 2027"),
    (D(2027, 2, 5), "ngày 05 tháng 02 năm 2027"),
    (D(2027, 1, 31), "ngày 31 tháng 01 năm 2027"),
    (D(2027, 3, 9), "ngày 09 tháng 3 năm 2027"),
    (D(2027, 11, 13), "ngày 13 tháng 11 năm 2027"),
])
def test_long_date_leading_zeros_as_the_decree_says(day, text):
    assert vn.long_date(day) == text
    assert vn.place_date("Mai Hoa", day) == f"Mai Hoa, {text}"


def test_numbers_the_vietnamese_way():
    assert vn.money(1500000) == "1.500.000"
    assert vn.money(1500000.4) == "1.500.000"
    assert vn.percent(0.819) == "81,9%"
    assert vn.percent(0.99999) == "99,9%"  # never "100%" when not all


def test_document_number_issuer_and_recipients():
    assert vn.doc_number("125/BC-UBND") == "Số: 125/BC-UBND"
    assert vn.doc_number("Số: 125/BC-UBND") == "Số: 125/BC-UBND"
    assert vn.doc_number(None) == "Số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-UBND"
    assert vn.issuer_lines(None, "Mai Hoa") == ["ỦY BAN NHÂN DÂN", "XÃ MAI HOA"]
    assert vn.issuer_lines("Ủy ban nhân dân xã Mai Hoa", "Mai Hoa") == ["ỦY BAN NHÂN DÂN",
                                                                          "XÃ MAI HOA"]
    assert vn.issuer_lines("Hội Người cao tuổi\nxã Mai Hoa", "Mai Hoa") == [
        "HỘI NGƯỜI CAO TUỔI", "XÃ MAI HOA"]
    assert vn.recipient_lines("UBND tỉnh\n- Hội NCT tỉnh;\nLưu: VT, VHXH.", []) == [
        "- UBND tỉnh;", "- Hội NCT tỉnh;", "- Lưu: VT, VHXH."]
    assert vn.recipient_lines("UBND tỉnh", []) == ["- UBND tỉnh;", "- Lưu: VT."]


def test_formats_are_checked():
    assert parse_formats("docx, HTML,md,docx") == ("docx", "html", "md")
    assert parse_formats(["markdown", "excel"]) == ("md", "xlsx")
    with pytest.raises(ReportError):
        parse_formats("pdf")
    with pytest.raises(ReportError):
        parse_formats(" , ")
    assert output_name(2027, "docx") == "bao_cao_2027.docx"


def test_md_escape_keeps_tables_and_html_out():
    assert md_escape("a|b <script> *x*") == r"a\|b \<script\> \*x\*"
    assert md_escape(3) == 3


# --- the context ---------------------------------------------------------------------------------


def test_context_head_signature_and_sections(ctx):
    h = ctx.header
    assert h.issuer_lines == ["ỦY BAN NHÂN DÂN", "XÃ MAI HOA"]
    assert h.number == "Số: 125/BC-UBND"
    assert h.national == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert h.motto == "Độc lập - Tự do - Hạnh phúc"
    assert h.place_date == "Mai Hoa, ngày 05 tháng 12 năm 2027"
    assert h.subject == ("Kết quả thực hiện Kế hoạch nhân rộng câu lạc bộ liên thế hệ tự giúp "
                         "nhau năm 2027")
    assert " ".join(h.subject_lines) == h.subject
    assert ctx.signature.lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert ctx.signature.name == "Trần Văn An"
    assert ctx.recipients == ["- UBND tỉnh;", "- Lưu: VT, VHXH."]
    assert ctx.annex_note == ("(Kèm theo Báo cáo số 125/BC-UBND ngày 05 tháng 12 năm 2027 của "
                              "Ủy ban nhân dân xã Mai Hoa)")


def test_context_takes_every_figure_from_the_result(computed, ctx):
    _, result = computed
    payload = result.to_dict()
    # The plan's own words, in the plan's order, with the result's values and statuses.
    assert [r.id for r in ctx.indicators] == [i["id"] for i in payload["indicators"]]
    assert [r.name for r in ctx.indicators] == [i["name"] for i in payload["indicators"]]
    assert [r.value for r in ctx.indicators] == [i["value"] for i in payload["indicators"]]
    assert [r.status for r in ctx.indicators] == [i["status"] for i in payload["indicators"]]
    row = next(r for r in ctx.indicators if r.id == "tuyen_truyen")
    assert (row.plan, row.actual, row.detail, row.status_text) == (
        "80%", "83,3%", "1.000/1.200 người, theo báo cáo các thôn", "Đạt")
    row = next(r for r in ctx.indicators if r.id == "clb_dat_chuan")
    assert (row.plan, row.actual) == ("Từ 1 đến 3 CLB (cả giai đoạn)", "1 CLB")
    # Clubs: the reported ones, in code order, with the result's standard.
    assert [c.code for c in ctx.clubs] == ["MH-01", "MH-02", "MH-04"]
    assert [c.standard for c in ctx.clubs] == ["Đạt", "Chưa đạt", "Chưa đạt"]
    mh02 = ctx.clubs[1]
    assert mh02.months[6] == "–" and mh02.months_text == "11/12"
    mh04 = ctx.clubs[2]
    assert mh04.months[:3] == ["", "", ""] and mh04.months_text == "9/9"
    assert any("48 thành viên" in f for f in mh04.failed)
    states = {c.code: c.state for c in ctx.club_list}
    assert states == {"MH-01": "Đã báo cáo", "MH-02": "Đã báo cáo", "MH-03": "Chưa gửi báo cáo",
                      "MH-04": "Đã báo cáo", "MH-05": "Báo cáo có lỗi"}


def test_the_report_never_recomputes_a_figure(computed):
    """What the report shows follows the typed result, even a doctored one."""
    report, result = computed
    doctored = copy.deepcopy(result)
    ind = doctored.indicator("clb_nu_nct")
    ind.numerator, ind.denominator, ind.value, ind.status = 7, 9, 0.123, "dat"
    doctored.context.people.total = 4242
    mh01 = doctored.clubs[0].figures
    mh01.months_met = [1, 2]
    mh01.criteria = {**mh01.criteria, "quy": False}  # no longer meets the standard
    c = build_context(doctored, report.commune, Y, REPORT_DATE)
    row = next(r for r in c.indicators if r.id == "clb_nu_nct")
    assert (row.actual, row.detail, row.status_text) == ("12,3%", "7/9 CLB", "Đạt")
    assert c.member_rows[0].value == "4.242"
    assert c.clubs[0].months_text == "2/12" and c.clubs[0].standard == "Chưa đạt"
    assert c.clubs[0].failed[-1].startswith("quỹ hoạt động và quỹ tăng thu nhập")


def test_excluded_files_are_named_without_quoting_cells(ctx):
    text = "\n".join(ctx.shortcomings)
    assert "clb_mh-05.xlsx" in text
    assert "Leakyname" not in text
    assert ctx.payload["excluded"] == [{"path": "clb_mh-05.xlsx",
                                        "reason": ctx.payload["excluded"][0]["reason"]}]
    assert "Leakyname" not in json.dumps(ctx.payload, ensure_ascii=False)


def test_without_commune_workbook_the_defaults_apply(computed):
    report, _ = computed
    result = compute_indicators(report.valid_clubs(), None, year=Y, as_of=AS_OF)
    c = build_context(result, None, Y, D(Y, 2, 3))
    assert c.header.issuer_lines == ["ỦY BAN NHÂN DÂN", "XÃ MAI HOA"]
    assert c.header.number == vn.doc_number("")
    assert c.header.place_date == "Mai Hoa, ngày 03 tháng 02 năm 2027"
    assert c.signature.lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert c.signature.name == ""
    assert c.recipients[-1].startswith("- Lưu: VT")
    assert all(r.status == "khong_co_du_lieu" for r in c.indicators
               if r.id in ("can_bo_tap_huan", "tuyen_truyen"))
    for fmt in ALL:
        assert renderer(fmt)(c)


def test_no_valid_club_still_renders(tmp_path):
    data, commune, _ = _make_folder(tmp_path)
    report = validate([commune], commune=commune, year=Y)
    result = compute_indicators([], report.commune, year=Y, as_of=AS_OF)
    c = build_context(result, report.commune, Y, REPORT_DATE)
    assert c.clubs == [] and c.chart
    for fmt in ALL:
        assert renderer(fmt)(c)


# --- phase-cumulative targets: đang thực hiện before the phase's last year ------------------------


def test_phase_targets_read_in_progress_in_the_report(ctx, rendered):
    rows = {r.id: r for r in ctx.indicators}
    for ind_id in ("clb_thanh_lap_moi", "clb_dat_chuan"):
        r = rows[ind_id]
        assert (r.status, r.status_text, r.status_note) == (
            "dang_thuc_hien", "Đang thực hiện", "đã đủ mức; đánh giá năm 2030"), ind_id
        assert r.plan.endswith("(cả giai đoạn)") and r.actual == "1 CLB"
    assert ("Có 2 chỉ tiêu tính cho cả giai đoạn 2026 - 2030 đang thực hiện, sẽ được đánh giá "
            "vào năm 2030: chỉ tiêu (3) đã có 1 CLB, đủ mức kế hoạch giai đoạn 2026 - 2030 (từ 1 "
            "đến 2 CLB); chỉ tiêu (5) đã có 1 CLB") in ctx.indicator_summary
    # Not a shortcoming, not a task of the direction section.
    text = "\n".join(ctx.shortcomings + ctx.direction)
    assert "(3)" not in text and "(5)" not in text
    md = rendered["md"].decode("utf-8")
    assert "| Từ 1 đến 2 CLB (cả giai đoạn) | 1 CLB | Đang thực hiện (đã đủ mức; đánh giá năm 2030) |" in md
    html = rendered["html"].decode("utf-8")
    assert "Đang thực hiện<br><small>(đã đủ mức; đánh giá năm 2030)</small>" in html
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(rendered["xlsx"]))["Chỉ tiêu"]
    in_progress = [row for row in ws.iter_rows(values_only=True) if "Đang thực hiện" in row]
    assert len(in_progress) == 2
    assert in_progress[0][-1] == ("đã có 1 CLB, đủ mức kế hoạch giai đoạn 2026 - 2030 (từ 1 đến "
                                  "2 CLB)")
    statuses = {i["id"]: i["status"] for i in json.loads(rendered["json"])["indicators"]}
    assert statuses["clb_dat_chuan"] == statuses["clb_thanh_lap_moi"] == "dang_thuc_hien"


def test_phase_targets_behind_the_plan_are_a_task_not_a_shortcoming(folder):
    _, commune, _ = folder
    com = validate([commune], commune=commune, year=Y).commune
    c = build_context(compute_indicators([], com, year=Y, as_of=AS_OF, today=AS_OF), com, Y,
                      REPORT_DATE)
    row = next(r for r in c.indicators if r.id == "clb_dat_chuan")
    assert (row.status_text, row.status_note) == ("Đang thực hiện", "đánh giá năm 2030")
    assert "chỉ tiêu (5) đã có 0 CLB, kế hoạch giai đoạn 2026 - 2030 là từ 1 đến 3 CLB" in (
        c.indicator_summary)
    assert not any("(5)" in line for line in c.shortcomings)
    assert ("Phấn đấu hoàn thành các chỉ tiêu tính cho cả giai đoạn chưa đủ mức kế hoạch (3), "
            "(5) trước hết năm 2030.") in c.direction


def test_in_the_phase_last_year_phase_targets_are_judged(folder):
    from tests.test_indicators import standard_club

    _, commune, _ = folder
    com = validate([commune], commune=commune, year=Y).commune
    result = compute_indicators([standard_club(year=2030)], com, year=2030,
                                as_of=D(2030, 12, 31), today=D(2030, 12, 31))
    c = build_context(result, com, 2030, D(2030, 12, 5))
    rows = {r.id: r for r in c.indicators}
    assert (rows["clb_thanh_lap_moi"].status_text, rows["clb_thanh_lap_moi"].status_note) == (
        "Chưa đạt", "")  # no new club in 2026–2030
    assert rows["clb_dat_chuan"].status_text == "Đạt"
    assert "đang thực hiện" not in c.indicator_summary
    assert any(line.startswith("- Chỉ tiêu (3) “Thành lập mới từ 1 đến 2 câu lạc bộ” "
                               "chưa đạt") for line in c.shortcomings)


def test_chart_shows_a_ratio_phase_target_in_progress(computed, tmp_path):
    from clubtool.indicators import load_plan
    from clubtool.report import _charts as charts
    from tests.test_plan import shipped_text

    report, _ = computed
    text = shipped_text().replace("[phases.targets.clb_cds_xanh_khoi_nghiep]\nmin = 0.5\n",
                                  "[phases.targets.clb_cds_xanh_khoi_nghiep]\nmin = 0.5\n"
                                  "cumulative = true\n")
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    result = compute_indicators(report.valid_clubs(), report.commune, year=Y, as_of=AS_OF,
                                plan=load_plan(tmp_path / "p.toml"), today=AS_OF)
    c = build_context(result, report.commune, Y, REPORT_DATE, validation=report)
    bar = next(b for b in c.chart if b.label.startswith("(7)"))
    assert (bar.status, bar.met) == ("dang_thuc_hien", None)
    import matplotlib

    with matplotlib.rc_context(charts._RC):  # type: ignore[arg-type]
        fig = charts._figure(c.chart)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Đang thực hiện" in legend and "Không có chỉ tiêu" in legend
    assert "Chưa đạt" in legend  # (1), (4), (8)


# --- dates: never a report dated before its own year ---------------------------------------------


@pytest.mark.parametrize(("date", "today", "signed", "warning"), [
    (None, D(2026, 12, 4), D(2027, 12, 31),
     "Hôm nay 04/12/2026 chưa đến năm báo cáo 2027 nên ngày ký báo cáo được ghi là 31/12/2027 "
     "(ngày tính số liệu), không phải hôm nay; muốn ghi ngày khác, dùng --date."),
    (None, D(2027, 12, 5), D(2027, 12, 5), None),
    (None, D(2028, 1, 10), D(2028, 1, 10), None),
    (D(2026, 12, 4), D(2027, 12, 5), D(2026, 12, 4),
     "Ngày ký báo cáo 04/12/2026 ở trước năm báo cáo 2027: báo cáo năm 2027 sẽ ghi “ngày 04 "
     "tháng 12 năm 2026”; hãy kiểm tra lại ngày ký (--date)."),
    (D(2027, 1, 1), D(2026, 12, 4), D(2027, 1, 1), None),
])
def test_signing_date_is_never_before_the_year_by_default(computed, date, today, signed, warning):
    from clubtool.report.context import signing_date

    assert signing_date(Y, date, AS_OF, today) == (signed, [warning] if warning else [])
    report, result = computed
    c = build_context(result, report.commune, Y, date, validation=report, today=today)
    assert c.header.place_date == vn.place_date("Mai Hoa", signed)
    assert (warning in c.warnings) if warning else c.warnings == result.warnings


def test_warnings_are_returned_and_carried_by_the_json(computed, tmp_path):
    report, _ = computed
    result = compute_indicators(report.valid_clubs(), report.commune, year=Y,
                                excluded=report.excluded(), today=D(2026, 12, 4))
    assert result.as_of == AS_OF
    written = render_report(result, report.commune, year=Y, formats="md,json", out_dir=tmp_path,
                            validation=report, today=D(2026, 12, 4))
    assert written == [tmp_path / "bao_cao_2027.md", tmp_path / "bao_cao_2027.json"]
    assert written.date == AS_OF
    assert written.warnings[-2:] == [
        "Số liệu tính đến 31/12/2027, sau hôm nay 04/12/2026: là số ước tính (năm 2027 chưa "
        "bắt đầu).",
        "Hôm nay 04/12/2026 chưa đến năm báo cáo 2027 nên ngày ký báo cáo được ghi là 31/12/2027 "
        "(ngày tính số liệu), không phải hôm nay; muốn ghi ngày khác, dùng --date."]
    data = json.loads(written[1].read_text(encoding="utf-8"))
    assert data["warnings"] == written.warnings
    assert data["report"]["header"]["place_date"] == "Mai Hoa, ngày 31 tháng 12 năm 2027"
    assert "Mai Hoa, ngày 31 tháng 12 năm 2027" in written[0].read_text(encoding="utf-8")
    assert not any("sau hôm nay" in p for p in data["report"]["general"])  # not in the document


def test_cli_report_warns_on_dates(folder, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("clubtool.indicators.compute.clock_today", lambda: D(2026, 12, 4))
    data, commune, _ = folder
    r = _run("report", data, "--year", Y, "--commune", commune, "--format", "md,json",
             "-o", tmp_path / "a")
    assert r.exit_code == 1, r.output  # one workbook excluded for errors
    err = " ".join(r.stderr.split())
    assert ("Cảnh báo: Số liệu tính đến 31/12/2027, sau hôm nay 04/12/2026: là số ước tính "
            "(năm 2027 chưa bắt đầu).") in err
    assert ("Cảnh báo: Hôm nay 04/12/2026 chưa đến năm báo cáo 2027 nên ngày ký báo cáo được "
            "ghi là 31/12/2027") in err
    md = (tmp_path / "a" / "bao_cao_2027.md").read_text(encoding="utf-8")
    assert "*Mai Hoa, ngày 31 tháng 12 năm 2027*" in md
    assert len(json.loads((tmp_path / "a" / "bao_cao_2027.json").read_text("utf-8"))["warnings"]) >= 2
    r = _run("report", data, "--year", Y, "--commune", commune, "--format", "md",
             "--date", "04/12/2026", "--as-of", "2027-06-30", "-o", tmp_path / "b")
    err = " ".join(r.stderr.split())
    assert "Cảnh báo: Ngày ký báo cáo 04/12/2026 ở trước năm báo cáo 2027" in err
    assert "Cảnh báo: Số liệu tính đến 30/06/2027, sau hôm nay 04/12/2026" in err
    assert r.stdout.strip() == str(tmp_path / "b" / "bao_cao_2027.md")  # stdout: paths only


# --- without a usable commune workbook the report says so -----------------------------------------


COMMUNE_LEVEL = ("(1) Cán bộ triển khai Kế hoạch được tập huấn",
                 "(2) Hội viên, người cao tuổi và cộng đồng được tuyên truyền",
                 "(10) Thôn có câu lạc bộ liên thế hệ tự giúp nhau",
                 "(11) Tỷ lệ câu lạc bộ nộp báo cáo")


def test_without_commune_workbook_the_report_says_so(computed):
    report, _ = computed
    result = compute_indicators(report.valid_clubs(), None, year=Y, as_of=AS_OF, today=AS_OF)
    c = build_context(result, None, Y, REPORT_DATE)
    general = next(p for p in c.general if "Thông tin xã" in p)
    short = c.shortcomings[0]
    for text in (general, short):
        assert text.startswith("Chưa có tệp thông tin của xã năm 2027 (tệp Excel có trang "
                               "“Thông tin xã”") or text.startswith("- Chưa có tệp thông tin")
        for name in COMMUNE_LEVEL:
            assert name in text, name
        assert "thư mục dữ liệu" in text and "--commune" in text
    assert not any(line.startswith("- Chưa có số liệu để đánh giá") for line in c.shortcomings)
    for fmt in ("md", "html", "docx"):
        assert "chưa tính được các chỉ tiêu cấp xã" in _texts(fmt, renderer(fmt)(c)), fmt


def test_an_excluded_commune_workbook_is_named_in_the_report(tmp_path):
    data = tmp_path / "du_lieu"
    data.mkdir()
    write_club(data / "clb_mh-01.xlsx", club_data(Y, "MH-01", "Thôn Đông"))
    cd = commune_data(Y)
    cd["villages"][0]["older_people"] = -5  # an error: the workbook is left out of the figures
    write_commune(data / "xa_loi.xlsx", cd)
    report = validate([data], year=Y)
    assert report.commune is not None and report.usable_commune is None
    result = compute_indicators(report.valid_clubs(), report.usable_commune, year=Y,
                                as_of=AS_OF, today=AS_OF, excluded=report.excluded())
    c = build_context(result, report.commune, Y, REPORT_DATE, validation=report)
    general = " ".join(c.general)
    assert ("Tệp thông tin của xã xa_loi.xlsx (trang “Thông tin xã”) có lỗi nên bị loại, không "
            "dùng để tính số liệu, nên chưa tính được các chỉ tiêu cấp xã") in general
    assert "Toàn xã có" not in general and "Tất cả các câu lạc bộ đã gửi báo cáo" not in general
    assert all(name in general for name in COMMUNE_LEVEL)
    assert c.shortcomings[0].startswith("- Tệp thông tin của xã xa_loi.xlsx (trang “Thông tin "
                                        "xã”) có lỗi nên bị loại, vì vậy chưa đánh giá được 4 "
                                        "chỉ tiêu cấp xã: (1)")
    assert c.header.number == "Số: 125/BC-UBND"  # its head lines still serve the document


# --- golden files --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_golden(rendered, fmt):
    path = GOLDEN / f"bao_cao_{Y}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(rendered[fmt])
    assert rendered[fmt].decode("utf-8") == path.read_text(encoding="utf-8")


def test_json_is_the_indicators_payload_plus_the_report(computed, rendered):
    _, result = computed
    out = json.loads(rendered["json"])
    payload = result.to_dict()
    for key in ("commune", "year", "phase", "as_of", "indicators", "clubs", "missing"):
        assert out[key] == payload[key]
    assert out["report"]["header"]["place_date"] == "Mai Hoa, ngày 05 tháng 12 năm 2027"
    assert [r["actual"] for r in out["report"]["indicators"]]


def test_output_is_deterministic(ctx, rendered):
    for fmt in ALL:
        assert renderer(fmt)(ctx) == rendered[fmt], fmt


# --- privacy and escaping ------------------------------------------------------------------------


def test_no_member_name_in_any_format(folder, rendered):
    _, _, names = folder
    assert len(names) > 200
    for fmt, data in rendered.items():
        text = _texts(fmt, data)
        for token in TOKENS:
            assert token not in text, (fmt, token)
        for name in names:
            assert name not in text, (fmt, name)
        if fmt != "xlsx":
            assert "Trần Văn An" in text, fmt  # the signer is not a member: shown


def test_html_is_escaped(rendered):
    html = rendered["html"].decode("utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = rendered["md"].decode("utf-8")
    assert "<script>" not in md and r"\<script\>alert(1)\</script\>" in md


def test_docx_and_xlsx_keep_odd_names_as_text(rendered):
    doc = Document(io.BytesIO(rendered["docx"]))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert SCRIPT_NAME in cells and FORMULA_NAME in cells
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(rendered["xlsx"]))
    found = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.value == FORMULA_NAME]
    assert found and all(c.data_type == "s" for c in found)
    assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]


# --- HTML ---------------------------------------------------------------------------------------


def test_html_is_one_self_contained_a4_page_set(rendered):
    html = rendered["html"].decode("utf-8")
    assert "size: A4 portrait" in html and "margin: 20mm 15mm 20mm 30mm" in html
    assert '"Times New Roman", "Liberation Serif", "Noto Serif", serif' in html
    assert "@page :first" in html and "counter(page)" in html
    assert "<svg" in html and 'class="chart"' in html
    assert not re.search(r'<(?:link|script|img)\b[^>]*(?:href|src)=', html)  # nothing external
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "Mai Hoa, ngày 05 tháng 12 năm 2027" in html


# --- DOCX ---------------------------------------------------------------------------------------


def _docx(rendered) -> Any:
    return Document(io.BytesIO(rendered["docx"]))


def test_docx_page_a4_margins_and_page_numbers(rendered):
    doc = _docx(rendered)
    s = doc.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.5) and abs(s.page_height - Mm(297)) < Mm(0.5)
    assert s.page_width < s.page_height
    def within(value: int, lo: float, hi: float) -> bool:  # Word stores twips: ± 0.1 mm
        return Mm(lo - 0.1) <= value <= Mm(hi + 0.1)

    assert within(s.top_margin, 20, 25) and within(s.bottom_margin, 20, 25)
    assert within(s.left_margin, 30, 35) and within(s.right_margin, 15, 20)
    assert s.different_first_page_header_footer
    assert "PAGE" in s.header._element.xml
    assert not s.first_page_header.is_linked_to_previous or "PAGE" not in (
        s.first_page_header._element.xml)


def _paragraphs(doc: Any):
    yield from doc.paragraphs
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    for section in doc.sections:
        yield from section.header.paragraphs


def _style_font(style: Any) -> str | None:
    while style is not None:
        if style.font.name:
            return style.font.name
        style = style.base_style
    return None


def test_docx_fonts_are_times_new_roman(rendered):
    doc = _docx(rendered)
    document = zipfile.ZipFile(io.BytesIO(rendered["docx"])).read("word/document.xml").decode()
    direct = set(re.findall(r'<w:rFonts [^>]*w:(?:ascii|hAnsi)="([^"]+)"', document))
    assert direct <= {"Times New Roman"}
    assert "Theme=" not in document
    used = {p.style.name: _style_font(p.style) for p in _paragraphs(doc)}
    assert set(used.values()) == {"Times New Roman"}, used
    for name in used:
        rfonts = doc.styles[name].element.rPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts")
        assert rfonts is None or not any(k.endswith("Theme") for k in rfonts.attrib), name
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size.pt in (13, 14)
    assert doc.styles["Body Text"].font.size.pt in (13, 14)


def test_docx_head_title_and_signature(rendered):
    doc = _docx(rendered)
    head = doc.tables[0]
    left, right = head.rows[0].cells
    assert [p.text for p in left.paragraphs if p.text.strip()] == [
        "ỦY BAN NHÂN DÂN", "XÃ MAI HOA", "Số: 125/BC-UBND"]
    right_texts = [p for p in right.paragraphs if p.text.strip()]
    assert [p.text for p in right_texts] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Mai Hoa, ngày 05 tháng 12 năm 2027"]
    national, motto, place = right_texts
    assert all(r.bold for r in national.runs) and national.runs[0].font.size.pt in (12, 13)
    assert all(r.bold for r in motto.runs) and motto.runs[0].font.size.pt in (13, 14)
    assert "w:bottom" in motto._p.xml  # the rule under the motto
    assert all(r.italic for r in place.runs)
    body = [p.text for p in doc.paragraphs]
    i = body.index("BÁO CÁO")
    assert body[i + 1:i + 3] == ["Kết quả thực hiện Kế hoạch nhân rộng câu lạc bộ",
                                 "liên thế hệ tự giúp nhau năm 2027"]
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [h.split(".")[0] for h in headings] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert all(p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next
               for p in doc.paragraphs if p.style.name.startswith("Heading"))
    sign = next(t for t in doc.tables if "Nơi nhận:" in t.rows[0].cells[0].text)
    left, right = sign.rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "Nơi nhận:", "- UBND tỉnh;", "- Lưu: VT, VHXH."]
    assert [p.text for p in right.paragraphs if p.text] == [
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn An"]
    label = left.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size.pt == 12
    assert left.paragraphs[1].runs[0].font.size.pt == 11


def test_docx_indicator_table(ctx, rendered):
    doc = _docx(rendered)
    table = next(t for t in doc.tables
                 if [c.text for c in t.rows[0].cells] == ["TT", "Chỉ tiêu", "Kế hoạch",
                                                          "Thực hiện", "Đánh giá"])
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == len(ctx.indicators)
    for row, ind in zip(rows, ctx.indicators, strict=True):
        actual = ind.actual + (f"\n({ind.detail})" if ind.detail else "")
        status = ind.status_text + (f"\n({ind.status_note})" if ind.status_note else "")
        assert row == [str(ind.no), ind.name, ind.plan, actual, status]
    assert rows[4][4] == "Đang thực hiện\n(đã đủ mức; đánh giá năm 2030)"
    assert "Các câu lạc bộ đảm bảo tỷ lệ nữ người cao tuổi chiếm 50 - 60%" in [r[1] for r in rows]


def test_docx_has_the_chart_and_annexes(rendered):
    z = zipfile.ZipFile(io.BytesIO(rendered["docx"]))
    assert any(n.startswith("word/media/") and n.endswith(".png") for n in z.namelist())
    doc = _docx(rendered)
    annexes = [p.text for p in doc.paragraphs if p.text.startswith("Phụ lục ")]
    assert annexes == ["Phụ lục I", "Phụ lục II", "Phụ lục III"]


def test_committed_word_template_matches_its_script():
    spec = importlib.util.spec_from_file_location("make_docx_template",
                                                  ROOT / "scripts" / "make_docx_template.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == (ROOT / "templates" / "bao_cao.docx").read_bytes(), (
        "templates/bao_cao.docx is stale: run scripts/make_docx_template.py")


def test_template_resolver_and_override(tmp_path, ctx):
    assert find_template("bao_cao.docx").is_file()
    (tmp_path / "report.md.j2").write_text("Riêng của xã: {{ commune }} {{ year }}\n",
                                           encoding="utf-8")
    assert renderer("md")(ctx, templates=tmp_path) == "Riêng của xã: Mai Hoa 2027\n".encode()
    assert renderer("html")(ctx, templates=tmp_path).startswith(b"<!DOCTYPE html>")


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_sheets_and_native_chart(ctx, rendered):
    import openpyxl

    z = zipfile.ZipFile(io.BytesIO(rendered["xlsx"]))
    assert any(n.startswith("xl/charts/chart") for n in z.namelist())
    wb = openpyxl.load_workbook(io.BytesIO(rendered["xlsx"]))
    assert wb.sheetnames[0] == "Chỉ tiêu"
    assert {"Câu lạc bộ", "Sinh hoạt theo tháng", "Thành viên", "Quỹ"} <= set(wb.sheetnames)
    ws = wb["Chỉ tiêu"]
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], int)}
    first = ctx.indicators[0]
    assert rows[first.name][3] == pytest.approx(first.value)


# --- past the per-club limit (a province, the nation) ---------------------------------------------
#
# The fixture lists 5 clubs (3 reported, 1 missing, 1 faulty): with a limit of 2 the documents
# show counts of clubs instead of per-club rows; the XLSX keeps a row per club and the JSON
# the whole payload.

REPORTED = ("MH-01", "MH-02", "MH-04")


@pytest.fixture(scope="module")
def summary_ctx(computed):
    report, result = computed
    return build_context(result, report.commune, Y, REPORT_DATE, validation=report,
                         per_club_limit=2)


@pytest.fixture(scope="module")
def summary_rendered(summary_ctx) -> dict[str, bytes]:
    return {fmt: renderer(fmt)(summary_ctx) for fmt in ALL}


def test_the_commune_case_is_below_the_limit(ctx, computed):
    assert PER_CLUB_LIMIT >= 60 and ctx.detailed and ctx.club_summary is None
    assert [c.code for c in ctx.clubs] == list(REPORTED) and ctx.clubs_all == ctx.clubs
    assert len(ctx.club_list) == 5 and ctx.club_list_all == ctx.club_list
    report, result = computed
    at = build_context(result, report.commune, Y, REPORT_DATE, validation=report,
                       per_club_limit=5)  # 5 clubs listed: not above the limit
    assert at.detailed and at.to_dict() == ctx.to_dict()
    assert renderer("md")(at) == (GOLDEN / f"bao_cao_{Y}.md").read_bytes()
    below = build_context(result, report.commune, Y, REPORT_DATE, validation=report,
                          per_club_limit=4)
    assert not below.detailed


def test_above_the_limit_the_context_counts_clubs(summary_ctx):
    c = summary_ctx
    assert c.clubs == [] and c.club_list == [] and c.fund_lines == []
    assert [r.code for r in c.clubs_all] == list(REPORTED) and len(c.club_list_all) == 5
    s = c.club_summary
    assert (s.limit, s.clubs, s.reported) == (2, 5, 3)
    assert "clubtool merge" in s.note and "XLSX" in s.note and "3 câu lạc bộ" in s.note
    assert [(r.label, r.raw) for r in s.states] == [
        ("Đã báo cáo", 3), ("Chưa gửi báo cáo", 1), ("Báo cáo có lỗi", 1), ("Cộng", 5)]
    july = s.months[6]
    assert (july.label, july.raw, july.share) == ("Tháng 7", [2, 1, 3], "66,7%")  # MH-02
    assert s.months[0].raw == [2, 0, 2]  # MH-04 founded in April: not required in January
    assert len(s.months) == 13 and s.months[-1].strong and s.months[-1].raw == [2, 1, 3]
    assert len(s.contents) == len(S.CONTENTS) + 2
    assert s.contents[6].label.startswith("ND7") and s.contents[6].raw == [2, 1, 3]
    members = next(r for r in s.criteria if "thành viên" in r.label)
    assert members.raw == [2, 1, 3] and members.share == "33,3%"  # MH-04: 48 members
    assert s.criteria[-1].raw == [1, 2, 3] and s.criteria[-1].strong  # 1 club meets the standard
    assert [r.raw for r in s.training[:2]] == [15, 15]
    # Section V: counts by criterion instead of a line per club.
    text = "\n".join(c.shortcomings)
    assert "2/3 câu lạc bộ chưa đạt chuẩn" in text
    assert "MH-02 (Thôn Tây) chưa đạt chuẩn" not in text


def test_above_the_limit_documents_hold_no_per_club_rows(summary_rendered):
    for fmt in ("docx", "html", "md"):
        text = _texts(fmt, summary_rendered[fmt])
        for code in ("MH-01", "MH-02"):  # reported, never named in running text
            assert code not in text, (fmt, code)
        assert "Mã CLB" not in text and "Phụ lục" not in text, fmt
        assert "Số liệu chi tiết của từng câu lạc bộ (3 câu lạc bộ đã báo cáo" in text, fmt
        assert "clubtool merge" in text, fmt
        for caption in ("Bảng 1. Tình trạng báo cáo của các câu lạc bộ",
                        "Bảng 4. Số câu lạc bộ sinh hoạt theo tháng",
                        "Bảng 5. Số câu lạc bộ thực hiện từng nội dung",
                        "Bảng 7. Số câu lạc bộ đạt, chưa đạt từng tiêu chí"):
            assert caption in text, (fmt, caption)
    md = summary_rendered["md"].decode("utf-8")
    assert "| Tháng 7 | 3 | 2 | 1 | 66,7% |" in md
    assert "| Câu lạc bộ đạt chuẩn (đạt tất cả các tiêu chí) | 1 | 2 | 66,7% |" in md
    doc = Document(io.BytesIO(summary_rendered["docx"]))
    heads = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert ["Tháng", "Số CLB phải sinh hoạt", "Số CLB có sinh hoạt", "Số CLB không sinh hoạt",
            "Tỷ lệ có sinh hoạt"] in heads
    assert not [p.text for p in doc.paragraphs if p.text.startswith("Phụ lục")]
    assert sum(len(t.rows) for t in doc.tables) < 100


def test_above_the_limit_the_xlsx_keeps_one_row_per_club(summary_rendered, ctx):
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(summary_rendered["xlsx"]))
    detailed = openpyxl.load_workbook(io.BytesIO(renderer("xlsx")(ctx)))
    assert wb.sheetnames == detailed.sheetnames
    for name in ("Sinh hoạt theo tháng", "Nội dung hoạt động", "Thành viên",
                 "Tiêu chí đạt chuẩn"):
        codes = [r[0] for r in wb[name].iter_rows(values_only=True) if r and r[0] in REPORTED]
        assert codes == list(REPORTED), name
    clubs = [r[0] for r in wb[S.REGISTRY.name].iter_rows(values_only=True)
             if r and isinstance(r[0], str) and r[0].startswith("MH-")]
    assert clubs == [*REPORTED, "MH-01", "MH-02", "MH-03", "MH-04", "MH-05"]  # + the club list
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert [c.data_type for c in cells if c.value == FORMULA_NAME] == ["s", "s"]
    assert not [c for c in cells if c.data_type == "f"]
    # Streamed row by row, yet the same values as the commune's workbook (section V
    # differs: counts by criterion instead of a line per club).
    for name in wb.sheetnames[:-1]:
        assert list(wb[name].iter_rows(values_only=True)) == list(
            detailed[name].iter_rows(values_only=True)), name


def test_above_the_limit_the_json_keeps_the_payload(summary_rendered, rendered):
    out, full = json.loads(summary_rendered["json"]), json.loads(rendered["json"])
    for key in ("indicators", "clubs", "club_figures", "commune_figures", "excluded", "missing"):
        assert out[key] == full[key], key
    assert len(out["club_figures"]) == 3
    assert out["report"]["clubs"] == [] and out["report"]["club_list"] == []
    assert out["report"]["club_summary"]["reported"] == 3
    assert "club_summary" not in full["report"]


def test_above_the_limit_no_member_name_and_escaped(folder, summary_rendered):
    _, _, names = folder
    for fmt, data in summary_rendered.items():
        text = _texts(fmt, data)
        for token in TOKENS:
            assert token not in text, (fmt, token)
    assert "<script>" not in summary_rendered["html"].decode("utf-8")


def _club(code: str, village: str) -> M.Club:
    d = club_data(Y, code, village)
    def rows(cls: type, recs: list[dict[str, Any]]) -> list[Any]:
        return [cls(row=i + 2, **r) for i, r in enumerate(recs)]
    return M.Club(f"clb_{code}.xlsx", M.ClubInfo(**d["info"]), rows(M.Member, d["members"]),
                  rows(M.Meeting, d["meetings"]), rows(M.Training, d["trainings"]),
                  rows(M.Outreach, d["outreach"]), rows(M.FundEntry, d["fund"]))


def test_a_province_report_is_bounded(tmp_path):
    """150 clubs reported, 45 missing, 30 files excluded: the documents stay a few pages."""
    n, missing, faulty = 150, 45, 30
    clubs = [_club(f"T-{i:04d}", f"Thôn {i % 7}") for i in range(n)]
    for c in clubs[::3]:
        c.meetings = [m for m in c.meetings if m.date.month != 5]
    registry = [M.RegistryClub(row=i + 2, club_id=f"T-{i:04d}", name=f"CLB {i}",
                               village=f"Thôn {i % 7}", founded=D(2020, 1, 1))
                for i in range(n + missing)]
    com = M.Commune("xa.xlsx", M.CommuneInfo(commune="Mai Hoa", year=Y), registry=registry)
    excluded = [(f"/du_lieu/loi_{i:03d}.xlsx", "2 lỗi") for i in range(faulty)]
    result = compute_indicators(clubs, com, year=Y, as_of=AS_OF, excluded=excluded)
    paths = render_report(result, com, year=Y, formats=ALL, out_dir=tmp_path, date=REPORT_DATE)
    c = build_context(result, com, Y, REPORT_DATE)
    assert not c.detailed and c.club_summary.reported == n
    assert c.club_summary.months[4].raw == [n - 50, 50, n]  # May: every third club missed it
    text = "\n".join(c.general + c.shortcomings)
    assert f"và {missing - LIST_LIMIT} câu lạc bộ khác" in text
    assert f"Ngoài ra còn {faulty - LIST_LIMIT} tệp khác có lỗi" in text
    assert len(c.shortcomings) <= 2 * LIST_LIMIT + 10
    assert sum(f"T-{i:04d}" in text for i in range(n + missing)) <= 2 * LIST_LIMIT
    by = {p.suffix: p.read_bytes() for p in paths}
    doc = Document(io.BytesIO(by[".docx"]))
    assert sum(len(t.rows) for t in doc.tables) < 120
    assert len(by[".md"]) < 20_000 and len(by[".html"]) < 150_000
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(by[".xlsx"]), read_only=True)
    rows = [r[0] for r in wb["Sinh hoạt theo tháng"].iter_rows(values_only=True)]
    assert sum(1 for v in rows if isinstance(v, str) and v.startswith("T-")) == n
    notes = [r[0] for r in wb["Tồn tại, phương hướng"].iter_rows(values_only=True) if r[0]]
    assert sum(1 for v in notes if v.startswith("loi_")) == faulty  # every excluded file
    data = json.loads(by[".json"])
    assert len(data["club_figures"]) == n and len(data["missing"]) == missing
    assert len(data["excluded"]) == faulty


def test_per_club_limit_is_checked(computed, tmp_path):
    report, result = computed
    with pytest.raises(ReportError):
        render_report(result, report.commune, year=Y, formats="md", out_dir=tmp_path,
                      per_club_limit=-1)


# --- rendering to files and to PDF --------------------------------------------------------------


def test_render_report_writes_atomically_and_never_overwrites(computed, tmp_path):
    report, result = computed
    paths = render_report(result, report.commune, year=Y, formats="md,json", out_dir=tmp_path,
                          date=REPORT_DATE, validation=report)
    assert paths == [tmp_path / "bao_cao_2027.md", tmp_path / "bao_cao_2027.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [  # with JSON, the commune's summary
        "bao_cao_2027.json", "bao_cao_2027.md", "tong_hop_mai_hoa_2027.json"]
    with pytest.raises(ReportError, match="--force"):
        render_report(result, report.commune, year=Y, formats="md", out_dir=tmp_path)
    paths[0].write_text("sửa tay", encoding="utf-8")
    render_report(result, report.commune, year=Y, formats="md", out_dir=tmp_path,
                  date=REPORT_DATE, force=True)
    assert paths[0].read_text(encoding="utf-8").startswith("**ỦY BAN NHÂN DÂN**")


def _pdf_pages(pdf: Path) -> int:
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


@needs_soffice
def test_libreoffice_converts_docx_and_xlsx(rendered, soffice_convert, tmp_path):
    src = []
    for fmt in ("docx", "xlsx"):
        p = tmp_path / f"bao_cao_{Y}.{fmt}"
        p.write_bytes(rendered[fmt])
        src.append(p)
    pdf_docx = soffice_convert([src[0]], to="pdf", out=tmp_path / "docx")[0]
    pdf_xlsx = soffice_convert([src[1]], to="pdf", out=tmp_path / "xlsx")[0]
    assert _pdf_pages(pdf_docx) >= 4
    assert _pdf_pages(pdf_xlsx) >= 1
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf_docx), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in unicodedata.normalize("NFC", text)
        assert "Zebrafish" not in text


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which(
    "google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed")
def test_chromium_prints_the_html(rendered, tmp_path):
    html = tmp_path / "bao_cao.html"
    html.write_bytes(rendered["html"])
    pdf = tmp_path / "bao_cao.pdf"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                        f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri()],
                       capture_output=True, timeout=120, check=False)
    assert pdf.is_file()
    assert _pdf_pages(pdf) >= 4


# --- the command ----------------------------------------------------------------------------------


def _run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_cli_report(folder, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data, commune, _ = folder
    out = tmp_path / "bao_cao"
    args = ["report", data, "--year", Y, "--commune", commune, "--as-of", "31/12/2027",
            "--date", "05/12/2027", "-o", out]
    r = _run(*args)
    assert r.exit_code == 1, r.output  # one workbook excluded for errors
    assert sorted(p.name for p in out.iterdir()) == ["bao_cao_2027.docx", "bao_cao_2027.html"]
    r = _run(*args)
    assert r.exit_code == 2 and "--force" in r.output
    r = _run(*args, "--force", "--format", "md,json")
    assert r.exit_code == 1, r.output
    assert (out / "bao_cao_2027.md").read_bytes() == (GOLDEN / "bao_cao_2027.md").read_bytes()


def test_cli_report_all_inputs_used_exits_0(folder, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data, commune, _ = folder
    (tmp_path / "ok").mkdir()
    shutil.copy(data / "clb_mh-01.xlsx", tmp_path / "ok")
    direction = tmp_path / "phuong_huong.txt"
    direction.write_text("Đoạn một của xã.\n\nĐoạn hai.\n", encoding="utf-8")
    r = _run("report", tmp_path / "ok", "--year", Y, "--commune", commune, "--format", "md",
             "--direction", direction, "-o", tmp_path / "out", "--date", "2027-12-05")
    assert r.exit_code == 0, r.output
    md = (tmp_path / "out" / "bao_cao_2027.md").read_text(encoding="utf-8")
    assert "Đoạn một của xã.\n\nĐoạn hai." in md


@pytest.mark.parametrize("extra", [
    ["--format", "pdf"],
    ["--date", "32/13/2027"],
    ["--as-of", "2026-05-01"],
    ["--plan", "khong_co.toml"],
    ["--direction", "khong_co.txt"],
])
def test_cli_report_usage_errors_exit_2(folder, tmp_path, monkeypatch, extra):
    monkeypatch.chdir(tmp_path)
    data, commune, _ = folder
    r = _run("report", data, "--year", Y, "--commune", commune, "-o", tmp_path, *extra)
    assert r.exit_code == 2, r.output
    assert not list(tmp_path.glob("bao_cao_*"))


def test_cli_report_needs_a_year(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = _run("report", tmp_path)
    assert r.exit_code == 2 and "--year" in r.output


def test_cli_report_is_documented():
    r = _run("report", "--help")
    assert r.exit_code == 0
    for option in ("--year", "--commune", "--as-of", "--date", "--format", "--output", "--plan",
                   "--force", "--templates", "--per-club-limit"):
        assert option in r.output
    assert f"Mặc định: {PER_CLUB_LIMIT}." in " ".join(r.output.replace("│", " ").split())


def test_cli_report_per_club_limit(folder, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data, commune, _ = folder
    out = tmp_path / "bao_cao"
    r = _run("report", data, "--year", Y, "--commune", commune, "--as-of", "31/12/2027",
             "--date", "05/12/2027", "-o", out, "--format", "md", "--per-club-limit", 2)
    assert r.exit_code == 1, r.output
    md = (out / "bao_cao_2027.md").read_text(encoding="utf-8")
    assert "Bảng 4. Số câu lạc bộ sinh hoạt theo tháng" in md and "Phụ lục" not in md
    r = _run("report", data, "--year", Y, "-o", out, "--per-club-limit", -1, "--force")
    assert r.exit_code == 2
