"""Section II against the previous year (issue 14): the "So với năm trước" column and sentence.

Two years of the same commune are computed from workbooks written by the factories (no
archive): 2026 and 2027, with a few figures changed between them so that indicators go up,
down and stay the same. Every format must show the column and the sentence with the
previous year, and stay exactly as before without it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from clubtool.indicators import IndicatorResult
from clubtool.job import compute, read, resolve
from clubtool.report import FORMATS, ReportError, build_context, output_name, render_report
from clubtool.report.context.changes import change, change_text, sentence
from tests.factories import changed, club_data, commune_data, write_club, write_commune

D = dt.date
Y = 2027
DATE = D(Y, 12, 5)
COLUMN = "So với năm trước"
#: 2026 → 2027 with the data below (see `years`).
EXPECTED = {
    "can_bo_tap_huan": "−50,0 điểm %",  # 2/2 → 1/2 officials trained
    "tuyen_truyen": "+0,8 điểm %",  # 990/1200 → 1000/1200 reached (exactly 1/120)
    "clb_thanh_lap_moi": "không đổi",  # 0 → 0
    "clb_nu_nct": "không đổi",  # 1/1 → 2/2
    "clb_dat_chuan": "+1",  # 1 → 2 clubs meeting the standard
    "clb_du_8_noi_dung": "không đổi",
    "clb_cds_xanh_khoi_nghiep": "không đổi",
    "bcn_tap_huan": "không đổi",
    "ho_tro_sinh_ke": "không đổi",  # 8/15 → 16/30
    "thon_co_clb": "không đổi",
    "ty_le_nop_bao_cao": "+50,0 điểm %",  # 1/2 → 2/2 clubs reported
}
SENTENCE = "So với năm 2026: 3 chỉ tiêu tăng, 1 chỉ tiêu giảm, 7 chỉ tiêu không đổi."


def _year(tmp: Path, year: int, *, clubs: int = 2, commune: dict[str, Any] | None = None,
          with_commune: bool = True) -> tuple[IndicatorResult, Any]:
    """The commune's result for `year` (and its Commune, for the document's head)."""
    folder = tmp / f"nam_{year}{'' if with_commune else '_khong_xa'}"
    folder.mkdir()
    specs = [("MH-01", "Thôn Đông"), ("MH-02", "Thôn Tây")][:clubs]
    for code, village in specs:
        write_club(folder / f"clb_{code}.xlsx", club_data(year=year, club_id=code, village=village))
    if with_commune:
        write_commune(folder / "xa.xlsx", commune or commune_data(year=year))
    job = resolve([folder], options={"year": year, "as_of": f"{year}-12-31"}, env={},
                  cwd=tmp)
    computed = compute(job, read(job))
    return computed.communes[0].indicators, computed.communes[0].report.commune


@pytest.fixture(scope="module")
def years(tmp_path_factory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("hai_nam")
    before = commune_data(year=Y - 1)
    # 2026: both officials trained, one village reached 240 people instead of 250, and
    # only MH-01 reported.
    before = changed(before, "officials", 1, trained=True, trained_on=D(Y - 1, 3, 1))
    before = changed(before, "villages", 0, outreach_reached=240)
    previous, _ = _year(tmp, Y - 1, clubs=1, commune=before)
    result, commune = _year(tmp, Y)
    no_commune, _ = _year(tmp, Y - 1, with_commune=False)
    return {"previous": previous, "result": result, "commune": commune,
            "no_commune": no_commune}


def _render(years: dict[str, Any], out: Path, previous: IndicatorResult | None) -> dict[str, bytes]:
    paths = render_report(years["result"], years["commune"], year=Y, formats=FORMATS,
                          out_dir=out, date=DATE, today=DATE, previous=previous)
    return {fmt: (out / output_name(Y, fmt)).read_bytes() for fmt in FORMATS
            if out / output_name(Y, fmt) in paths}


@pytest.fixture(scope="module")
def rendered(years, tmp_path_factory) -> dict[str, bytes]:
    return _render(years, tmp_path_factory.mktemp("co_nam_truoc"), years["previous"])


@pytest.fixture(scope="module")
def plain(years, tmp_path_factory) -> dict[str, bytes]:
    return _render(years, tmp_path_factory.mktemp("khong_nam_truoc"), None)


# --- the change of one indicator -----------------------------------------------------------------


def test_change_texts_signs_and_points():
    assert change_text(Fraction(32, 1000), "ratio") == "+3,2 điểm %"
    assert change_text(Fraction(-1, 100), "ratio") == "−1,0 điểm %"  # U+2212, one decimal
    assert change_text(Fraction(0), "ratio") == "không đổi"
    assert change_text(Fraction(2), "count") == "+2"
    assert change_text(Fraction(-1), "count") == "−1"
    assert change_text(Fraction(0), "count") == "không đổi"
    assert change_text(Fraction(-1234), "count") == "−1.234"
    # Half up, on the exact value: 0,15 points → 0,2; 0,125 → 0,1.
    assert change_text(Fraction(15, 10000), "ratio") == "+0,2 điểm %"
    assert change_text(Fraction(-125, 100000), "ratio") == "−0,1 điểm %"
    # A change that is not nil is never written as 0,0 (that would read "không đổi").
    assert change_text(Fraction(1, 10**6), "ratio") == "+0,1 điểm %"


def test_change_is_computed_from_the_exact_fractions(years):
    v = years["result"].indicator("tuyen_truyen")
    now = dataclasses.replace(v, numerator=1, denominator=3, value=1 / 3)  # 33,3%
    before = dataclasses.replace(v, numerator=23, denominator=80, value=23 / 80)  # 28,8%
    c = change(now, before)
    # 33,33… − 28,75 = 4,58… points: "+4,6", not 33,3 − 28,8 = 4,5 from the rounded texts.
    assert c.text == "+4,6 điểm %"
    assert c.delta == Fraction(1, 3) - Fraction(23, 80)
    assert c.sign == 1 and c.plain() == float(Fraction(1, 3) - Fraction(23, 80))


def test_a_missing_value_gives_a_dash(years):
    v = years["result"].indicator("tuyen_truyen")
    empty = dataclasses.replace(v, numerator=None, denominator=None, value=None)
    assert change(v, empty).text == "—" and change(v, empty).sign is None
    assert change(empty, v).text == "—"
    assert change(v, None).text == "—"  # the previous year's plan has no such indicator
    assert sentence([change(v, empty), change(v, v)], 2026) == (
        "So với năm 2026: 0 chỉ tiêu tăng, 0 chỉ tiêu giảm, 1 chỉ tiêu không đổi; 1 chỉ tiêu "
        "không so sánh được do thiếu số liệu.")


# --- the context ---------------------------------------------------------------------------------


def test_context_column_and_sentence(years):
    ctx = build_context(years["result"], years["commune"], Y, DATE, today=DATE,
                        previous=years["previous"])
    assert ctx.previous_year == Y - 1
    assert {r.id: r.change for r in ctx.indicators} == EXPECTED
    assert SENTENCE in ctx.indicator_summary
    assert ctx.indicator_summary.endswith(f"{SENTENCE} Số liệu tính đến ngày 31/12/2027.")


def test_without_previous_the_context_is_as_before(years):
    ctx = build_context(years["result"], years["commune"], Y, DATE, today=DATE)
    assert ctx.previous_year is None
    assert all(r.change == "" for r in ctx.indicators)
    assert "So với năm" not in ctx.indicator_summary
    d = ctx.to_dict()
    assert "previous_year" not in d and all("change" not in r for r in d["indicators"])
    assert "previous_year" not in ctx.payload
    assert all("change" not in i for i in ctx.payload["indicators"])


def test_missing_figures_of_the_previous_year_give_a_dash(years):
    """2026 without the commune workbook: the commune-level indicators have no value."""
    ctx = build_context(years["result"], years["commune"], Y, DATE, today=DATE,
                        previous=years["no_commune"])
    rows = {r.id: r for r in ctx.indicators}
    dashed = {i for i, r in rows.items() if r.change == "—"}
    assert dashed == {v.id for v in years["no_commune"].indicators if v.value is None}
    assert {"can_bo_tap_huan", "tuyen_truyen"} <= dashed
    assert (f"; {len(dashed)} chỉ tiêu không so sánh được do thiếu số liệu."
            in ctx.indicator_summary)


def test_previous_must_be_the_year_before(years):
    with pytest.raises(ValueError, match="năm 2027"):
        build_context(years["result"], years["commune"], Y, DATE, today=DATE,
                      previous=years["result"])
    with pytest.raises(ReportError, match="không phải năm 2026"):
        render_report(years["result"], years["commune"], year=Y, formats="md",
                      out_dir="/nonexistent", date=DATE, today=DATE, previous=years["result"])


# --- the five formats ----------------------------------------------------------------------------


def test_markdown_and_html_have_the_column_and_the_sentence(rendered):
    md = rendered["md"].decode()
    assert "| TT | Chỉ tiêu | Kế hoạch | Thực hiện | Đánh giá | So với năm trước |" in md
    assert "|---:|---|---|---|---|---|" in md
    assert SENTENCE in md
    section = md.split("## II.")[1].split("## III.")[0]
    lines = [ln for ln in section.splitlines() if ln.startswith("| 2 | ")]
    assert lines == [next(ln for ln in lines if "tuyên truyền" in ln)]
    assert lines[0].endswith("| Đạt | +0,8 điểm % |")
    html = rendered["html"].decode()
    assert f">{COLUMN}</th>" in html
    assert SENTENCE in html
    for text in EXPECTED.values():
        assert f">{text}</td>" in html


def test_docx_has_the_column(rendered):
    doc = Document(io.BytesIO(rendered["docx"]))
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    assert [c.text for c in table.rows[0].cells] == ["TT", "Chỉ tiêu", "Kế hoạch", "Thực hiện",
                                                    "Đánh giá", COLUMN]
    assert [r.cells[5].text for r in table.rows[1:]] == list(EXPECTED.values())
    assert any(SENTENCE in p.text for p in doc.paragraphs)
    # The table still fits the text width (A4 less 30 + 15 mm of margins = 9354 twips).
    grid = table._tbl.tblGrid
    assert len(grid.gridCol_lst) == 6
    assert sum(int(c.w.twips) for c in grid.gridCol_lst) <= 9360


def test_xlsx_has_the_column(rendered):
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(rendered["xlsx"]))["Chỉ tiêu"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if r[0] == "TT")
    assert rows[head][:9] == ["TT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tử số", "Mẫu số",
                              "Đánh giá", "Chi tiết", COLUMN]
    assert [r[8] for r in rows[head + 1:head + 1 + len(EXPECTED)]] == list(EXPECTED.values())
    assert any(r[0] and SENTENCE in str(r[0]) for r in rows)


def test_json_has_previous_year_and_changes(rendered):
    data = json.loads(rendered["json"])
    assert data["previous_year"] == Y - 1
    assert list(data)[:7] == ["commune", "province", "year", "phase", "as_of", "previous_year",
                              "indicators"]
    changes = {i["id"]: i["change"] for i in data["indicators"]}
    assert changes["clb_dat_chuan"] == 1 and changes["clb_thanh_lap_moi"] == 0
    assert changes["tuyen_truyen"] == pytest.approx(1 / 120)
    assert changes["ty_le_nop_bao_cao"] == 0.5 and changes["can_bo_tap_huan"] == -0.5
    report = data["report"]
    assert report["previous_year"] == Y - 1
    assert {i["id"]: i["change"] for i in report["indicators"]} == EXPECTED
    assert SENTENCE in report["indicator_summary"]


# --- without the previous year: exactly as before -----------------------------------------------


def test_without_previous_nothing_changes(plain, rendered, years, tmp_path):
    again = render_report(years["result"], years["commune"], year=Y, formats=FORMATS,
                          out_dir=tmp_path, date=DATE, today=DATE)  # no `previous` at all
    assert {f: p.read_bytes() for f, p in zip(FORMATS, again, strict=True)} == plain
    for fmt in ("md", "html", "json"):
        assert "So với năm" not in plain[fmt].decode(), fmt
        assert plain[fmt] != rendered[fmt]
    data = json.loads(plain["json"])
    assert "previous_year" not in data and "previous_year" not in data["report"]
    assert all("change" not in i for i in data["indicators"] + data["report"]["indicators"])
    doc = Document(io.BytesIO(plain["docx"]))
    heads = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert ["TT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Đánh giá"] in heads
    assert not any(COLUMN in h for h in heads)
    for fmt in ("docx", "xlsx"):
        z = zipfile.ZipFile(io.BytesIO(plain[fmt]))
        assert not any("So với năm".encode() in z.read(n) for n in z.namelist()), fmt
