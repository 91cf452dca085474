"""The issue catalogue: complete, documented, Vietnamese in NFC, English available."""

import ast
import unicodedata
from pathlib import Path

import pytest

from clubtool import issues
from clubtool.issues import CATALOGUE, ERROR, WARNING, errors_markdown, make

ROOT = Path(__file__).resolve().parents[1]

SPEC_ERRORS = {
    "file-unreadable", "file-format", "file-too-large", "file-encrypted", "not-a-template",
    "template-version", "missing-sheet", "missing-column", "duplicate-column", "missing-field",
    "required", "type", "enum", "range", "pattern", "date-outside-year", "founded-after-year",
    "left-before-joined", "unknown-board-member", "negative-balance", "unknown-village",
    "wrong-commune", "unknown-commune",
    "duplicate-submission",  # (ours: different copies saved at the very same time)
}
SPEC_WARNINGS = {
    "unknown-column", "formula-no-value", "legacy-encoding", "duplicate-member",
    "chair-mismatch", "received-without-need", "attendance-exceeds-members",
    "reached-exceeds-target", "duplicate-file", "superseded-submission", "unregistered-club",
    "missing-optional-field",
}


def test_every_spec_code_is_in_the_catalogue_with_its_severity():
    for code in SPEC_ERRORS:
        assert CATALOGUE[code].severity == ERROR, code
    for code in SPEC_WARNINGS:
        assert CATALOGUE[code].severity == WARNING, code


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_code_has_both_languages_in_nfc(code):
    entry = CATALOGUE[code]
    for text in (*entry.title, *entry.description, *entry.message):
        assert text.strip()
        assert unicodedata.normalize("NFC", text) == text
    issue = make(code, "x.xlsx", sheet="Thành viên", cell="C12", row=12, column="Giới tính",
                 value="Gái")
    vi, en = issue.message("vi"), issue.message("en")
    assert vi != en
    assert "{" not in vi and "}" not in vi


def test_docs_errors_md_is_in_sync():
    assert (ROOT / "docs" / "errors.md").read_text(encoding="utf-8").strip() == errors_markdown().strip()


def test_every_code_used_in_the_package_is_in_the_catalogue():
    used = set()
    for path in (ROOT / "clubtool").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "make" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    used.add(first.value)
    assert used, "no make() calls found"
    assert used <= set(CATALOGUE), used - set(CATALOGUE)


def test_message_without_location_prefix():
    issue = make("enum", "x.xlsx", sheet="Thành viên", cell="C12", row=12, column="Giới tính",
                 value="Gái", kind="choice", choices=("Nam", "Nữ"))
    assert issue.message("vi") == "Ô C12 (trang 'Thành viên'): giới tính chỉ được ghi 'Nam' hoặc 'Nữ', đang ghi 'Gái'."
    assert issue.message("vi", where=False).startswith("Giới tính chỉ được ghi")


def test_language_from_environment(monkeypatch):
    monkeypatch.setenv("CLUBTOOL_LANG", "en")
    assert issues.default_lang() == "en"
    monkeypatch.setenv("CLUBTOOL_LANG", "fr")
    assert issues.default_lang() == "vi"
