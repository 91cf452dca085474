"""`--help` written for an officer (clubtool/_help.py): in the language of `--lang` or
`CLUBTOOL_LANG`, no internal types (`<bool>`, `<list[Path]>`), no "Show this message and
exit.", one example per command, the commands in the order of the work."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from clubtool import cli
from clubtool._help import ORDER, walk
from clubtool.cli import app

from .test_i18n import VIETNAMESE

runner = CliRunner()

COMMANDS = [list(path) for path, _ in walk(get_command(app))]
EXAMPLE = {"vi": "Ví dụ:", "en": "Example:"}
#: What --help may quote in Vietnamese in English: names of files, sheets, places, the
#: report's own line, the issuer's title (they are what the officer types or sees).
QUOTED = ("Hà Tĩnh", "CLB thôn Đông", "Thôn Đông", "Thôn", "Câu lạc bộ", "Cán bộ",
          "Thành viên", "Sinh hoạt", "Tập huấn", "Tuyên truyền", "Quỹ", "Nghi trùng", "Nguồn",
          "\"Mai Hoa, ngày … tháng … năm …\"", "ỦY BAN NHÂN DÂN TỈNH", "NĐ-CP")


def help_of(path: list[str], *, lang: str, how: str = "env") -> str:
    cli.State.lang = None
    if how == "env":
        result = runner.invoke(app, [*path, "--help"], env={"CLUBTOOL_LANG": lang,
                                                           "COLUMNS": "80"})
    else:
        result = runner.invoke(app, ["--lang", lang, *path, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "clubtool")
def test_help_reads_as_written_for_an_officer(path: list[str], lang: str) -> None:
    text = help_of(path, lang=lang)
    for internal in ("<bool>", "<list", "<int>", "<path>", "<str>", "Show this message"):
        assert internal not in text
    assert EXAMPLE[lang] in text
    assert re.search(r"clubtool [a-z]", text.split(EXAMPLE[lang], 1)[1])
    if lang == "en":
        flat = " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())
        for quoted in QUOTED:
            flat = flat.replace(quoted, "")
        assert not VIETNAMESE.findall(re.sub(r"\S*(xa|mau|tong_hop|bao_cao|du_lieu)\S*", "",
                                             flat)), text


def test_the_language_comes_from_the_option_or_the_variable() -> None:
    by_option = help_of(["indicators"], lang="en", how="option")
    by_variable = help_of(["indicators"], lang="en")
    assert "Compute the plan's indicators" in by_option
    assert by_option == by_variable
    assert "Tính các chỉ tiêu" in help_of(["indicators"], lang="vi")


def test_the_commands_are_listed_in_the_order_of_the_work() -> None:
    text = help_of([], lang="vi")
    listed = [m.group(1) for m in re.finditer(r"^│ (\w+) ", text, re.M) if m.group(1) in ORDER]
    assert listed == list(ORDER)


def test_paragraphs_are_not_broken_mid_sentence() -> None:
    """merge --help once wrapped its source lines: "…các trang" / "Thành viên…"."""
    text = help_of(["merge"], lang="vi")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert not any(line.endswith("các trang") for line in lines)


@pytest.mark.parametrize("args", [
    ["validate", "--year", "abc", "x"],
    ["validate", "--bogus"],
    ["bogus"],
    ["merge", "--year"],
])
def test_usage_errors_speak_the_officer_s_language(args: list[str]) -> None:
    """typer's own usage errors ("No such option", "Invalid value for", "Error", "Try …
    for help") are said from the catalogue: in Vietnamese by default, English with --lang en."""
    vi = CliRunner().invoke(app, args, env={"COLUMNS": "100"})
    assert vi.exit_code == 2
    text = vi.output
    assert "Lỗi" in text
    for english in ("No such", "Invalid value", "requires", "Try ", "Error", "Usage"):
        assert english not in text, text
    en = CliRunner().invoke(app, ["--lang", "en", *args], env={"COLUMNS": "100"})
    assert en.exit_code == 2
    assert "Error" in en.output and "Lỗi" not in en.output
