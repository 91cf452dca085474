"""Start-up: what `clubtool` imports before it does anything, and typer without pydantic
(`clubtool._typer_fast`) converting every value exactly as typer does. No timing here:
the start-up time is measured by `make bench` (bench/run.py)."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clubtool import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"

#: What no command needs before it knows what to do (the commands import them when used).
HEAVY = ("pandas", "numpy", "openpyxl", "matplotlib", "docx", "docxtpl", "jinja2",
         "xlsxwriter", "pydantic", "sqlite3", "rich", "python_calamine")

#: What reading files and computing indicators never needs.
NEVER_FOR_INDICATORS = ("pandas", "numpy", "openpyxl", "matplotlib", "docx", "docxtpl",
                        "jinja2", "xlsxwriter", "pydantic")

_RUN = """
import atexit, json, sys
def _seen(out=sys.argv[1]):
    with open(out, "w") as f:
        json.dump(sorted(sys.modules), f)
atexit.register(_seen)
from clubtool.cli import main
sys.argv = ["clubtool", *sys.argv[2:]]
main()
"""


def _modules_after(tmp_path: Path, *args: str) -> set[str]:
    """The modules a fresh `clubtool ARGS…` process has imported when it ends."""
    out = tmp_path / "modules.json"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "COLUMNS": "100"}
    subprocess.run([sys.executable, "-c", _RUN, str(out), *args], env=env, cwd=tmp_path,
                   capture_output=True, timeout=120, check=False)
    return {m.split(".")[0] for m in json.loads(out.read_text())}


def test_importing_the_cli_imports_nothing_heavy(tmp_path: Path) -> None:
    out = tmp_path / "modules.json"
    code = ("import json, sys, clubtool.cli; "
            f"json.dump(sorted(sys.modules), open({str(out)!r}, 'w'))")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    loaded = {m.split(".")[0] for m in json.loads(out.read_text())}
    assert "typer" in loaded  # (the check itself works)
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize("args", [
    ("--version",),
    ("indicators", str(SAMPLE), "--year", "2027", "--as-of", "2027-12-31", "--format", "json"),
    ("validate", str(SAMPLE), "--year", "2027", "--format", "json", "--no-cache"),
])
def test_a_command_imports_only_what_it_uses(tmp_path: Path, args: tuple[str, ...]) -> None:
    loaded = _modules_after(tmp_path, *args)
    assert "clubtool" in loaded
    assert not loaded & set(NEVER_FOR_INDICATORS), sorted(loaded & set(NEVER_FOR_INDICATORS))


# --- typer's conversions, without pydantic --------------------------------------------------


@functools.cache
def _parameters() -> list[tuple[Any, Any]]:
    """(command, parameter) of every parameter `_typer_fast` converts."""
    import typer.main

    from clubtool._typer_fast import _Fast

    out = []

    def walk(command: Any) -> None:
        out.extend((command, p) for p in command.params
                   if isinstance(getattr(p, "_runtime_param", None), _Fast))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(cli.app))
    return out


def _outcome(runtime: Any, command: Any, param: Any, value: Any) -> tuple[Any, ...]:
    from typer._click import Context

    try:
        result = runtime.coerce(value, param=param, ctx=Context(command))
    except Exception as exc:  # noqa: BLE001 - the error is the outcome compared
        return ("error", type(exc).__name__, str(exc))
    return ("value", type(result).__name__, result)


_TYPER_OWN: dict[int, Any] = {}


def _both(command: Any, param: Any, value: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """(ours, typer's own) conversion of `value` for `param`."""
    coercion = pytest.importorskip("typer._coercion")
    if id(param) not in _TYPER_OWN:
        _TYPER_OWN[id(param)] = (param, coercion.build_runtime_param(param.type_descriptor))
    typer_own = _TYPER_OWN[id(param)][1]
    return (_outcome(param._runtime_param, command, param, value),
            _outcome(typer_own, command, param, value))


def test_every_kind_of_option_of_clubtool_is_converted_without_pydantic() -> None:
    pytest.importorskip("typer._coercion")  # typer ≥ 0.29: the hook is there
    kinds = {p._runtime_param.kind for _, p in _parameters()}
    assert kinds == {"bool", "str", "int", "path", "paths"}


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_NUMBER_LIKE = st.from_regex(r"\s?[+-]?[0-9_]{1,22}(\.0)?\s?", fullmatch=True)
_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), _TEXT, _NUMBER_LIKE,
    _TEXT.map(lambda t: f" {t} "), st.lists(_TEXT, max_size=3),
    st.lists(st.one_of(_TEXT, _NUMBER_LIKE), max_size=3).map(tuple),
    st.builds(Path, _TEXT.filter(lambda t: "\0" not in t)),
)


@pytest.mark.parametrize("kind", ["bool", "str", "int", "path", "paths"])
@settings(max_examples=150, deadline=None)
@given(index=st.integers(0, 10**6), value=_VALUES)
def test_a_value_is_converted_as_typer_converts_it(kind: str, index: int, value: Any) -> None:
    """Each value (typer's own values included: defaults, flags, lists of arguments) gives
    what typer's pydantic conversion gives, or the same error."""
    pytest.importorskip("typer._coercion")
    params = [(c, p) for c, p in _parameters() if p._runtime_param.kind == kind]
    command, param = params[index % len(params)]
    ours, theirs = _both(command, param, value)
    assert ours == theirs, (param.name, kind, value)


TRICKY = ["", "0", "007", "+5", "-5", "-0", " 5", "5 ", "1_000", "_1", "1__0", "1_", "5.0",
          "5.5", "1e3", "０", "１２", "٣", "99999999999999999", "999999999999999999",
          "9999999999999999999", "123456789012345678901234567890", "a", " ", "\t7", "7\n",
          "~/x", "a\0b", ".", "-", "--x"]


@pytest.mark.parametrize("kind", ["bool", "str", "int", "path", "paths"])
def test_unusual_spellings_are_converted_as_typer_converts_them(kind: str) -> None:
    pytest.importorskip("typer._coercion")
    for command, param in [(c, p) for c, p in _parameters() if p._runtime_param.kind == kind]:
        for value in [*TRICKY, tuple(TRICKY[:5]), list(TRICKY[-5:])]:
            ours, theirs = _both(command, param, value)
            assert ours == theirs, (param.name, kind, value)
