"""Docs that cannot drift: every command, option, setting and CLUBTOOL_* variable is in the
README, every command's help has an example, the code cites the project's own docs."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest
from typer.main import get_command

from clubtool.cli import app
from clubtool.settings import ENV_PREFIX, Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, object]]:
    def walk(cmd: object, path: list[str]) -> list[tuple[str, object]]:
        subs = getattr(cmd, "commands", None)
        if subs:
            return [c for name, sub in subs.items() for c in walk(sub, [*path, name])]
        return [(" ".join(path), cmd)]

    return walk(get_command(app), [])


COMMANDS = _commands()


def test_the_commands_are_found() -> None:
    names = {name for name, _ in COMMANDS}
    assert {"validate", "indicators", "merge", "report", "export", "init", "template club",
            "template commune"} <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_and_option_is_in_the_readme(name: str, command: object) -> None:
    assert f"`clubtool {name}" in README, f"clubtool {name} is not in the README"
    row = next((line for line in README.splitlines()
                if line.startswith(f"| `clubtool {name}")), None)
    assert row is not None, f"no row for clubtool {name} in the README's table of commands"
    for param in command.params:  # type: ignore[attr-defined]
        for opt in [*param.opts, *param.secondary_opts]:
            if opt.startswith("--") and opt != "--help":
                assert opt in row, f"clubtool {name} {opt} is not in its README row"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_an_example_in_its_help(name: str, command: object) -> None:
    text = command.help or ""  # type: ignore[attr-defined]
    assert re.search(rf"Ví dụ: \[bold\]clubtool {name}\b", text), text


def test_the_global_options_are_in_the_readme() -> None:
    row = next(line for line in README.splitlines() if line.startswith("| `clubtool` |"))
    for param in get_command(app).params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert opt in row


def test_every_setting_and_its_variable_is_documented() -> None:
    keys = [f.name for f in fields(Settings) if f.name != "source"]
    for key in keys:
        var = ENV_PREFIX + key.upper()
        assert re.search(rf"^\| `{key}` \| `{var}` \|", README, re.M), f"{key} / {var}"


def test_every_clubtool_variable_read_by_the_code_is_documented() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "clubtool").rglob("*.py"))
    read = set(re.findall(r"CLUBTOOL_[A-Z_]+[A-Z]", code))
    settings = {ENV_PREFIX + f.name.upper() for f in fields(Settings) if f.name != "source"}
    assert read, "no variable found: the pattern is wrong"
    for var in sorted(read | settings):
        assert f"`{var}`" in README, var


def test_the_code_cites_the_projects_docs_not_the_spec() -> None:
    """The SPEC is not in the repository: a reader of the code must find what it cites."""
    cited = []
    for path in sorted((ROOT / "clubtool").rglob("*.py")):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bSPEC\b", line):
                cited.append(f"{path.relative_to(ROOT)}:{no}: {line.strip()}")
    assert not cited, "\n".join(cited)


def test_docs_cited_in_the_code_exist() -> None:
    for path in sorted((ROOT / "clubtool").rglob("*.py")):
        for doc in re.findall(r"docs/[a-z_]+\.md", path.read_text(encoding="utf-8")):
            assert (ROOT / doc).is_file(), f"{path.relative_to(ROOT)} cites {doc}"
