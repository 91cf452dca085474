"""Typer without pydantic on the everyday path (the start-up of every command).

typer 0.29 converts each option's value with a pydantic `TypeAdapter`: importing pydantic
and building one adapter per option cost ~0.07 s of every command (bench/notes.md), a
sixth of a warm `clubtool indicators`. clubtool's options are of five plain types (bool,
str, int, Path, list[Path]). For a value whose conversion is certain — a str kept as it
is, an integer written in plain decimal digits, a path — `FastGroup` converts it as typer
does; every other value (one typer would refuse, an unusual spelling, a type not listed)
goes to typer's own conversion, so each result and each error message is typer's
(tests/test_startup.py compares both on generated values).

It rests on private parts of typer 0.29: the lazily built `_TyperParameter._runtime_param`,
`typer._coercion.build_runtime_param` and `typer._param_types.coerce_cli_path`. Where any of
them is missing (another typer version), nothing is changed and typer converts every value
itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args, get_origin

from typer.core import TyperGroup

__all__ = ["FastGroup", "install"]

_PLAIN_INT = re.compile(r"(?:0|[1-9][0-9]{0,17})\Z")  # what int() and pydantic read alike
_TYPER = object()  # "let typer convert this value"


class _Fast:
    """Stands in for typer's runtime parameter: converts the certain cases, hands the
    others to the one typer builds (on first need: only then is pydantic imported)."""

    __slots__ = ("descriptor", "kind", "slow")

    def __init__(self, kind: str, descriptor: Any):
        self.kind, self.descriptor = kind, descriptor
        self.slow: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:  # as typer: nothing given, no default
            return () if (param.multiple or param.nargs == -1) else None
        out = self._convert(value, param, ctx)
        if out is _TYPER:
            return self._typer().coerce(value, param=param, ctx=ctx)
        return out

    def _typer(self) -> Any:
        if self.slow is None:
            from typer._coercion import build_runtime_param

            self.slow = build_runtime_param(self.descriptor)
        return self.slow

    def _convert(self, value: Any, param: Any, ctx: Any) -> Any:
        kind = self.kind
        if kind == "str":
            return value if type(value) is str else _TYPER
        if kind == "bool":
            return value if type(value) is bool else _TYPER
        if kind == "int":
            return self._int(value)
        if kind == "path":
            return self._path(value, param, ctx)
        if not isinstance(value, (list, tuple)):  # list[Path]
            return _TYPER
        items = [self._path(v, param, ctx) for v in value]
        return _TYPER if any(v is _TYPER for v in items) else items

    def _int(self, value: Any) -> Any:
        if type(value) is str and _PLAIN_INT.match(value):
            value = int(value)
        elif type(value) is not int:
            return _TYPER
        info = self.descriptor.parameter_info
        if (info.min is not None and value < info.min) or (
                info.max is not None and value > info.max):
            return _TYPER  # typer's own message
        return value

    def _path(self, value: Any, param: Any, ctx: Any) -> Any:
        from typer._param_types import coerce_cli_path

        info = self.descriptor.parameter_info
        path_type = info.path_type or Path  # (`_kind`: Path, or list[Path])
        if isinstance(value, path_type):
            pass
        elif type(value) is str and "\0" not in value:
            value = path_type(value)  # what pydantic makes of a str (checked by the tests)
        else:
            return _TYPER
        return coerce_cli_path(value, info, path_type=path_type, param=param, ctx=ctx)


def _kind(param: Any) -> str | None:
    """The kind of value `_Fast` converts for this parameter, None to leave it to typer."""
    desc = getattr(param, "type_descriptor", None)
    info = getattr(desc, "parameter_info", None)
    if desc is None or info is None or getattr(desc, "file_annotation", None) is not None \
            or getattr(info, "parser", None) is not None or getattr(info, "clamp", False):
        return None
    annotation = desc.annotation
    if annotation is Path or (get_origin(annotation) is list and get_args(annotation) == (Path,)):
        return ("path" if annotation is Path else "paths") if info.path_type in (None, Path) \
            else None
    return {bool: "bool", str: "str", int: "int"}.get(annotation)


def _typer_has_the_hooks() -> bool:
    try:
        from typer._coercion import build_runtime_param  # noqa: F401
        from typer._param_types import coerce_cli_path  # noqa: F401
    except ImportError:
        return False
    return True


_HOOKS = _typer_has_the_hooks()


def install(command: Any) -> None:
    """Put `_Fast` on every parameter of `command` and of its subcommands that typer has
    not converted yet and whose type it handles."""
    if not _HOOKS:
        return
    for param in getattr(command, "params", ()):
        _install(param)
    for sub in getattr(command, "commands", {}).values():
        install(sub)


def _install(param: Any) -> None:
    if _HOOKS and getattr(param, "_runtime_param", _TYPER) is None:  # typer's lazy hook is there
        kind = _kind(param)
        if kind is not None:
            param._runtime_param = _Fast(kind, param.type_descriptor)


def _help_option(command: Any, ctx: Any) -> None:
    """`--help` is made by each command when its arguments are parsed, and converted too."""
    if "help_option_names" not in (getattr(command, "context_settings", None) or {}):
        get = getattr(command, "get_help_option", None)
        if get is not None:
            _install(get(ctx))


class FastGroup(TyperGroup):
    """A typer group (`typer.Typer(cls=FastGroup)`) whose parameters, its commands' and
    their `--help` options convert plain values without pydantic (`_Fast`)."""

    def __init__(self, **attrs: Any):
        super().__init__(**attrs)
        install(self)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _help_option(self, ctx)
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:  # its context inherits the help option names of this one
            _help_option(command, ctx)
        return name, command, rest
