"""The annual report as its reader sees it (issue 16): the year's awards (section V) in every
format, the two outreach figures labelled, dates as dates in the XLSX, the closing sentence
kept with the signature (HTML and DOCX, annual report and phase review)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document

from clubtool import schema as S
from clubtool.indicators import compute_indicators
from clubtool.render import Options, renderer
from clubtool.report import build_context
from clubtool.validation import validate
from tests.factories import club_data, commune_data, write_club, write_commune

Y = 2027
DATE = dt.date(Y, 12, 5)
AS_OF = dt.date(Y, 12, 31)
ALL = ("docx", "html", "xlsx", "md", "json")
PERSON = "Nguyễn Thị Quetzalname"  # an award to a person: never written in a report
OLD_CLUB = "CLB Thôn Tây năm trước"
COLLECTIVE, INDIVIDUAL = S.AWARD_TARGETS


def _awards() -> list[dict[str, Any]]:
    return [
        {"year": Y, "target": COLLECTIVE, "name": "CLB Thôn Đông", "form": "Giấy khen",
         "level": "xã"},
        {"year": Y, "target": COLLECTIVE, "name": "CLB Thôn Đông", "form": "Giấy khen",
         "level": "xã"},  # the same row twice: once
        {"year": Y, "target": INDIVIDUAL, "name": PERSON, "form": "Giấy khen", "level": "xã"},
        {"year": Y, "target": INDIVIDUAL, "name": "Lê Văn Khác", "form": "Giấy khen",
         "level": "xã"},
        {"year": Y - 1, "target": COLLECTIVE, "name": OLD_CLUB, "form": "Bằng khen",
         "level": "tỉnh"},  # another year: left out
        {"target": COLLECTIVE, "name": "Hội Người cao tuổi xã", "form": "Bằng khen",
         "level": "Cấp tỉnh"},  # no year: counted in the workbook's year, and said
    ]


def _context(root: Path, awards: list[dict[str, Any]] | None, *, faulty_commune: bool = False,
             **kw: Any):  # type: ignore[no-untyped-def]
    data = root / "du_lieu"
    data.mkdir(parents=True)
    write_club(data / "clb_mh-01.xlsx", club_data(Y, "MH-01", "Thôn Đông"))
    write_club(data / "clb_mh-02.xlsx", club_data(Y, "MH-02", "Thôn Tây"))
    cd = commune_data(Y)
    cd["awards"] = awards or []
    if faulty_commune:
        cd["villages"][0]["older_people"] = "nhiều"  # a type error: the workbook is left out
    commune = write_commune(root / "xa.xlsx", cd)
    report = validate([data], commune=commune, year=Y)
    # as `clubtool.job` does: the figures from a usable commune workbook only, the head and
    # signature from the one given
    result = compute_indicators(report.valid_clubs(), report.usable_commune, year=Y,
                                as_of=AS_OF, excluded=report.excluded(), today=DATE)
    return build_context(result, report.commune, Y, DATE, validation=report, **kw)


def _render(ctx, fmt: str) -> bytes:  # type: ignore[no-untyped-def]
    out = renderer("report", fmt)(ctx, Options())
    assert isinstance(out, bytes)
    return out


def _text(fmt: str, data: bytes) -> str:
    """The words a format holds (every XML part of a zip), NFC, tags and escapes aside."""
    if fmt in ("docx", "xlsx"):
        z = zipfile.ZipFile(io.BytesIO(data))
        text = "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    else:
        text = data.decode("utf-8")
    if fmt == "json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    text = re.sub(r"<[^>]+>", "", text).replace("\\_", "_")
    return unicodedata.normalize("NFC", text)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _context(tmp_path_factory.mktemp("awards"), _awards())


@pytest.fixture(scope="module")
def rendered(ctx) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    return {fmt: _render(ctx, fmt) for fmt in ALL}


# --- awards ----------------------------------------------------------------------------------


def test_the_years_awards_by_the_year_column(ctx) -> None:  # type: ignore[no-untyped-def]
    lines = [(a.no, a.target, a.name, a.form, a.level, a.count) for a in ctx.awards]
    assert lines == [
        (1, COLLECTIVE, "CLB Thôn Đông", "Giấy khen", "cấp xã", 1),
        (2, COLLECTIVE, "Hội Người cao tuổi xã", "Bằng khen", "Cấp tỉnh", 1),
        (3, INDIVIDUAL, "2 cá nhân", "Giấy khen", "cấp xã", 2),
    ]
    [text] = ctx.award_text
    assert text.startswith("Năm 2027 có 2 lượt khen thưởng tập thể và 2 lượt khen thưởng cá "
                           "nhân")
    assert "1 dòng không ghi năm được tính cho năm 2027" in text
    assert "1 dòng của các năm khác không đưa vào" in text
    assert "không ghi tên" in text


@pytest.mark.parametrize("fmt", ALL)
def test_awards_in_every_format_and_no_persons_name(rendered, fmt: str) -> None:  # type: ignore[no-untyped-def]
    text = _text(fmt, rendered[fmt])
    assert "KHEN THƯỞNG" in text or fmt == "json"
    assert "CLB Thôn Đông" in text and "Hội Người cao tuổi xã" in text and "2 cá nhân" in text
    assert "Quetzalname" not in text and "Lê Văn Khác" not in text
    assert OLD_CLUB not in text


def test_the_sections_are_renumbered_around_awards(rendered) -> None:  # type: ignore[no-untyped-def]
    md = rendered["md"].decode("utf-8")
    heads = re.findall(r"^## ([IVX]+)\. (.+)$", md, re.M)
    assert [h for h, _ in heads] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert heads[4][1] == "KHEN THƯỞNG" and heads[5][1].startswith("TỒN TẠI")
    assert "**Bảng 10. Khen thưởng năm 2027**" in md
    html = rendered["html"].decode("utf-8")
    assert "<h2>V. KHEN THƯỞNG</h2>" in html and "Bảng 10. Khen thưởng năm 2027" in html
    doc = Document(io.BytesIO(rendered["docx"]))
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1[4] == "V. KHEN THƯỞNG" and h1[6].startswith("VII. PHƯƠNG HƯỚNG")
    award_table = next(t for t in doc.tables if t.rows[0].cells[1].text == COLLECTIVE + "/"
                       + INDIVIDUAL)
    assert [r.cells[2].text for r in award_table.rows[1:]] == [
        "CLB Thôn Đông", "Hội Người cao tuổi xã", "2 cá nhân"]


def test_awards_in_the_json_and_the_xlsx(rendered) -> None:  # type: ignore[no-untyped-def]
    report = json.loads(rendered["json"])["report"]
    assert [a["name"] for a in report["awards"]] == ["CLB Thôn Đông", "Hội Người cao tuổi xã",
                                                    "2 cá nhân"]
    assert [a["count"] for a in report["awards"]] == [1, 1, 2]
    assert report["award_text"][0].startswith("Năm 2027 có 2 lượt")
    ws = openpyxl.load_workbook(io.BytesIO(rendered["xlsx"]))[S.AWARDS.name]
    rows = [r for r in ws.iter_rows(values_only=True) if r[0] is not None]
    head = rows.index(next(r for r in rows if r[0] == "TT"))
    assert rows[head][1] == S.AWARDS.field("target").header
    assert [(r[2], r[5]) for r in rows[head + 1:]] == [
        ("CLB Thôn Đông", 1), ("Hội Người cao tuổi xã", 1), ("2 cá nhân", 2)]


def test_no_award_of_the_year_one_sentence_no_table(tmp_path: Path) -> None:
    ctx = _context(tmp_path, [{"year": Y - 1, "target": COLLECTIVE, "name": OLD_CLUB,
                               "form": "Giấy khen", "level": "xã"}])
    assert ctx.awards == []
    assert ctx.award_text == ["Năm 2027 không có khen thưởng tập thể, cá nhân nào (trang Khen "
                              "thưởng của mẫu báo cáo của xã không có dòng nào của năm 2027; 1 "
                              "dòng của các năm khác không đưa vào)."]
    md = _render(ctx, "md").decode("utf-8")
    assert "Bảng 10" not in md and "| TT | Tập thể/Cá nhân" not in md
    html = _render(ctx, "html").decode("utf-8")
    assert "Bảng 10" not in html
    doc = Document(io.BytesIO(_render(ctx, "docx")))
    assert not any("Bảng 10" in p.text for p in doc.paragraphs)
    assert any(p.text == ctx.award_text[0] for p in doc.paragraphs)


def test_a_faulty_commune_workbook_gives_no_award(tmp_path: Path) -> None:
    ctx = _context(tmp_path, _awards(), faulty_commune=True)
    assert ctx.awards == []
    assert "mẫu báo cáo của xã có lỗi nên không được dùng" in ctx.award_text[0]


# --- the two outreach figures ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ALL)
def test_both_outreach_figures_labelled_in_every_format(ctx, rendered, fmt: str) -> None:  # type: ignore[no-untyped-def]
    text = _text(fmt, rendered[fmt])
    row = next(r for r in ctx.indicators if r.id == "tuyen_truyen")
    assert row.detail == "1.000/1.200 người, theo báo cáo các thôn"
    assert row.detail in text  # the indicator says where its figures come from
    assert "tuyên truyền do" in text.lower() and "được tiếp cận" in text  # the clubs' own
    assert (f"Chỉ tiêu ({row.no}) về tuyên truyền không tính theo các số này mà theo số người "
            "được tuyên truyền của các thôn") in text


def test_the_section_iii_text_reconciles_them(ctx) -> None:  # type: ignore[no-untyped-def]
    clubs, commune = ctx.results_text[-2:]
    assert clubs.startswith("Tuyên truyền do các câu lạc bộ tổ chức (trang Tuyên truyền của tệp "
                            "câu lạc bộ):")
    assert "lượt người được tiếp cận (một người dự nhiều buổi được tính nhiều lượt)" in clubs
    assert commune.startswith("Tuyên truyền của xã theo từng thôn (trang Thôn của mẫu báo cáo "
                              "của xã): 1.000/1.200 ")
    assert "Chỉ tiêu (2) về tuyên truyền ở Bảng 3 tính theo số liệu này của xã" in commune


def test_without_a_commune_the_indicator_is_said_missing(tmp_path: Path) -> None:
    ctx = _context(tmp_path, [], faulty_commune=True)
    assert ctx.results_text[-1].startswith("Tuyên truyền của xã theo từng thôn (trang Thôn của "
                                           "mẫu báo cáo của xã): chưa có số liệu")


# --- dates in the XLSX -------------------------------------------------------------------------


def test_xlsx_founding_dates_are_dates_shown_day_first(rendered) -> None:  # type: ignore[no-untyped-def]
    ws = openpyxl.load_workbook(io.BytesIO(rendered["xlsx"]))[S.REGISTRY.name]
    header = S.CLUB_INFO.field("founded").header
    cells = []
    for row in ws.iter_rows():
        for c in row:
            if c.value == header:
                below = ws.cell(c.row + 1, c.column)
                cells.append(below)
    assert len(cells) == 2  # the reported clubs, then the club list
    for c in cells:
        assert isinstance(c.value, dt.datetime) and c.number_format == "dd/mm/yyyy"


# --- the signature keeps its closing sentence ---------------------------------------------------


CLOSING = "Trên đây là báo cáo"


def test_html_keeps_the_closing_sentence_with_the_signature(rendered) -> None:  # type: ignore[no-untyped-def]
    html = rendered["html"].decode("utf-8")
    assert re.search(r"\.closing \{ break-inside: avoid; page-break-inside: avoid; \}", html)
    block = html[html.index('<div class="closing">'):]
    block = block[:block.index("</div>\n\n")] if "</div>\n\n" in block else block
    assert block.index(CLOSING) < block.index('<table class="sign">') < block.index("Nơi nhận:")
    assert html.count(CLOSING) == 1


def test_docx_keeps_the_closing_sentence_with_the_signature(rendered) -> None:  # type: ignore[no-untyped-def]
    doc = Document(io.BytesIO(rendered["docx"]))
    body = doc.element.body
    closing = next(p for p in doc.paragraphs if p.text.startswith(CLOSING))
    assert closing.paragraph_format.keep_with_next
    # every paragraph from the closing sentence to the signature table keeps with the next
    el = closing._p.getnext()
    while el is not None and el.tag.endswith("}p"):
        from docx.text.paragraph import Paragraph

        assert Paragraph(el, doc).paragraph_format.keep_with_next
        el = el.getnext()
    assert el is not None and el.tag.endswith("}tbl")
    assert "Nơi nhận:" in el.xpath("string(.)")
    assert el.xpath(".//w:trPr/w:cantSplit")
    assert body is not None


def test_phase_review_html_keeps_it_too() -> None:
    template = (Path(__file__).resolve().parents[1] / "templates" / "phase.html.j2").read_text(
        encoding="utf-8")
    closing = template.index('<div class="closing">')
    assert template.index("{{ closing }}", closing) < template.index('<table class="sign">',
                                                                     closing)
    assert ".closing { break-inside: avoid;" in template
