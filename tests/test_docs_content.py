"""The reference docs keep up with the code: every sheet, header, allowed value and check of
`clubtool.schema` is in docs/workbooks.md, every indicator, status and criterion in
docs/indicators.md, every sheet and column the merge writes in docs/outputs.md, and every
`docs/….md#anchor` cited (by the code or by the docs) exists. The lists come from the code,
never copied here."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest

from clubtool import schema as S
from clubtool.export import ANNOTATED_DIR, LOCK_NAME, LOG_NAME, output_names
from clubtool.indicators import CRITERIA, INDICATORS, STATUSES, compute_indicators
from clubtool.indicators.format import CSV_COLUMNS
from clubtool.merge import _sheets as M
from clubtool.outputs import MANIFEST_NAME, OUTPUT_MARKER, REPORT_FORMATS
from clubtool.validation import CHECK_NAMES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


WORKBOOKS, INDICATORS_DOC, OUTPUTS = (_doc(n) for n in ("workbooks.md", "indicators.md",
                                                        "outputs.md"))


def _named(text: str, doc: str) -> bool:
    """`text` written as code (in backticks) in `doc`."""
    return f"`{text}`" in doc


# --- docs/workbooks.md ----------------------------------------------------------------------

SHEETS = [(w.kind, s) for w in S.SCHEMAS for s in w.sheets]
FIELDS = [(w.kind, s, f) for w in S.SCHEMAS for s in w.sheets for f in s.fields]


@pytest.mark.parametrize(("kind", "sheet"), SHEETS, ids=[f"{k}:{s.name}" for k, s in SHEETS])
def test_every_sheet_is_in_workbooks_md(kind: str, sheet: S.Sheet) -> None:
    assert _named(sheet.name, WORKBOOKS), f"{kind} sheet {sheet.name!r} is not in docs/workbooks.md"


@pytest.mark.parametrize(("kind", "sheet", "field"), FIELDS,
                         ids=[f"{k}:{s.name}:{f.header}" for k, s, f in FIELDS])
def test_every_header_and_label_is_in_workbooks_md(kind: str, sheet: S.Sheet,
                                                   field: S.Field) -> None:
    assert _named(field.header, WORKBOOKS), \
        f"{kind} sheet {sheet.name!r}: {field.header!r} is not in docs/workbooks.md"


def test_every_allowed_value_is_in_workbooks_md() -> None:
    missing = sorted({c for _, _, f in FIELDS for c in f.choices if not _named(c, WORKBOOKS)})
    assert not missing, f"allowed values not in docs/workbooks.md: {missing}"


def test_template_versions_and_the_rows_they_added_are_in_workbooks_md() -> None:
    for version in (*S.KNOWN_CLUB_VERSIONS, *S.KNOWN_COMMUNE_VERSIONS):
        assert _named(version, WORKBOOKS), version
    lines = WORKBOOKS.splitlines()
    for _, sheet, f in FIELDS:
        if f.since is not None:
            assert any(f"`{f.header}`" in line and f"`{f.since}`" in line for line in lines), \
                f"{sheet.name}: the row of {f.header!r} does not say it came with {f.since}"


def test_every_content_code_is_in_workbooks_md() -> None:
    for code in (*S.CONTENT_CODES, *S.TRANSFORMATION_CODES):
        assert _named(code, WORKBOOKS), code


def test_every_check_name_is_in_workbooks_md() -> None:
    missing = [name for name in CHECK_NAMES if not _named(name, WORKBOOKS)]
    assert not missing, f"validate(skip=…) names not in docs/workbooks.md: {missing}"


def test_workbooks_md_links_the_issue_codes_instead_of_repeating_them() -> None:
    assert "(errors.md)" in WORKBOOKS


# --- docs/indicators.md ---------------------------------------------------------------------


@pytest.mark.parametrize("indicator_id", [i.id for i in INDICATORS])
def test_every_indicator_is_in_indicators_md(indicator_id: str) -> None:
    assert _named(indicator_id, INDICATORS_DOC), indicator_id


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_is_in_indicators_md(status: str) -> None:
    assert _named(status, INDICATORS_DOC), status


def test_every_criterion_and_csv_column_is_in_indicators_md() -> None:
    missing = [c.id for c in CRITERIA if not _named(c.id, INDICATORS_DOC)]
    missing += [c for c in CSV_COLUMNS if not _named(c, INDICATORS_DOC)]
    assert not missing, missing


def test_every_key_of_the_indicators_json_is_in_indicators_md() -> None:
    result = compute_indicators([], None, year=S.FIRST_PLAN_YEAR + 1,
                                as_of=dt.date(S.FIRST_PLAN_YEAR + 1, 12, 31),
                                today=dt.date(S.FIRST_PLAN_YEAR + 2, 1, 1))
    payload = result.to_dict()
    keys = {*payload, *payload["plan"], *payload["commune_figures"],
            *payload["commune_figures"]["clubs"], *payload["commune_figures"]["members"],
            *payload["commune_figures"]["funds"], *payload["indicators"][0]}
    missing = sorted(k for k in keys if not _named(k, INDICATORS_DOC))
    assert not missing, f"JSON keys not in docs/indicators.md: {missing}"


# --- docs/outputs.md ------------------------------------------------------------------------


@pytest.mark.parametrize("sheet", M.SHEET_ORDER)
def test_every_sheet_the_merge_writes_is_in_outputs_md(sheet: str) -> None:
    assert _named(sheet, OUTPUTS), sheet


def test_every_column_only_the_merge_writes_is_in_outputs_md() -> None:
    """Headers of the merged workbook that are not a club workbook's own."""
    own = {f.header for s in S.CLUB.sheets for f in s.fields} | set(M.SHEET_ORDER)
    columns = (*M.club_columns(names=True, with_errors=True), *M.duplicate_columns(names=True),
               *M.source_columns())
    words = (M.TOTAL_LABEL, M.MERGED, M.MERGED_WITH_ERRORS, M.LEFT_OUT, M.NOT_MERGED)
    missing = sorted({c.header for c in columns if c.header not in own} | set(words))
    missing = [h for h in missing if not _named(h, OUTPUTS)]
    assert not missing, f"merge headers not in docs/outputs.md: {missing}"


def test_report_formats_and_export_files_are_in_outputs_md() -> None:
    names = output_names("<Y>", ())  # type: ignore[arg-type]  # the names as documented
    expected = [*REPORT_FORMATS, *names.values(), f"{ANNOTATED_DIR}/", LOCK_NAME, LOG_NAME,
                MANIFEST_NAME, OUTPUT_MARKER]
    missing = [x for x in expected if x not in OUTPUTS]
    assert not missing, missing


# --- all three ------------------------------------------------------------------------------

ALL = {p.name: p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md"))}
OURS = ("workbooks.md", "indicators.md", "outputs.md")


@pytest.mark.parametrize("name", OURS)
def test_docs_are_nfc(name: str) -> None:
    text = ALL[name]
    assert unicodedata.normalize("NFC", text) == text


def _anchors(markdown: str) -> set[str]:
    """Explicit `<a id>` anchors and the ids GitHub gives headings."""
    out = set(re.findall(r'<a id="([^"]+)"', markdown))
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", markdown, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        out.add(slug)
    return out


def _links() -> list[tuple[str, str, str]]:
    """(where, doc, anchor) of every `docs/x.md#a` in the code and `x.md#a` / `#a` in docs."""
    found = []
    for path in sorted((ROOT / "clubtool").rglob("*.py")):
        for doc, anchor in re.findall(r"docs/([a-z_]+\.md)#([\w-]+)",
                                      path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(ROOT)), doc, anchor))
    for name in OURS:
        for doc, anchor in re.findall(r"\]\(([a-z_]+\.md)?#([\w-]+)\)", ALL[name]):
            found.append((f"docs/{name}", doc or name, anchor))
    return list(dict.fromkeys(found))


LINKS = _links()


@pytest.mark.parametrize(("where", "doc", "anchor"), LINKS,
                         ids=[f"{w}->{d}#{a}" for w, d, a in LINKS])
def test_cited_anchors_exist(where: str, doc: str, anchor: str) -> None:
    assert doc in ALL, f"{where} cites docs/{doc}, which does not exist"
    assert anchor in _anchors(ALL[doc]), f"{where} cites docs/{doc}#{anchor}, which has no such anchor"
