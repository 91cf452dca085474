"""`--help` written for an officer, in the officer's language (clubtool/locales/).

The help of every command and option lives in the catalogue, not in `cli.py`: the key of a
command is `help.<command path>.text` (`help.template.club.text`; the group itself:
`help.clubtool.text`), of an option `help.<command path>.opt.<parameter name>`, falling back
to `help.common.<parameter name>` for the options several commands share. `localise`
writes them into the click command tree before it runs, in the language of `--lang`,
`CLUBTOOL_LANG` or Vietnamese. Types are shown as words an officer reads (`NĂM`, `TỆP`),
switches without any, and the panel titles and "Show this message and exit." in the
language too. The commands are listed in the order of the work (`ORDER`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from typing import Any

from typer.core import TyperCommand

from . import i18n
from ._typer_fast import FastGroup

#: `clubtool --help` lists the commands in the order an officer uses them in a year.
ORDER = ("init", "template", "validate", "indicators", "merge", "report", "export", "archive",
         "rollup")


def help_lang(args: Sequence[str]) -> str:
    """The language of this run as far as help needs it: `--lang X` anywhere on the command
    line, else `CLUBTOOL_LANG`, else Vietnamese (a bad value is the command's to refuse)."""
    for i, arg in enumerate(args):
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in i18n.LANGS:
            return value
    return i18n.default_lang() if "CLUBTOOL_LANG" in os.environ else "vi"


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command of the tree with its path (the group itself: `()`)."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from walk(sub, (*path, name))


def text_key(path: tuple[str, ...]) -> str:
    return "help." + ".".join(path or ("clubtool",)) + ".text"


def option_key(path: tuple[str, ...], name: str, lang: str) -> str:
    """The key of an option's help: its own, else the shared one."""
    own = "help." + ".".join(path or ("clubtool",)) + ".opt." + name
    return own if i18n.has(own, lang) else "help.common." + name


def metavar(param: Any, lang: str) -> str:
    """What the officer writes after the option, in words: "" for a switch."""
    if getattr(param, "is_flag", False) or getattr(param, "is_bool_flag", False):
        return ""
    own = f"help.metavar.{param.name}"
    if i18n.has(own, lang):
        return i18n.t(own, lang)
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    kind = {int: "int", bool: "bool"}.get(annotation,  # type: ignore[arg-type]
                                          "path" if "Path" in str(annotation) else "text")
    if kind == "bool":
        return ""
    return i18n.t(f"help.metavar.{kind}", lang)


def _no_type(ctx: Any) -> None:
    return None


def localise(group: Any, lang: str) -> None:
    """Write the help of `lang` into every command and option of the tree of `group`."""
    for path, command in walk(group):
        command.help = i18n.t(text_key(path), lang)
        command.short_help = None
        if type(command) is TyperCommand:  # its help panels in the language too
            command.__class__ = OfficerCommand
        for param in command.params:
            param.help = i18n.t(option_key(path, param.name, lang), lang)
            param.metavar = metavar(param, lang)
            if param.param_type_name == "argument":  # typer shows "<list[Path]>" beside it
                param.display_type_rich = _no_type
        command.officer_lang = lang


def _panels(lang: str) -> None:
    """typer's panel titles and notes in `lang` (rich is imported: help is being shown)."""
    from typer import rich_utils as ru

    ru.ARGUMENTS_PANEL_TITLE = i18n.t("help.panel.arguments", lang)
    ru.OPTIONS_PANEL_TITLE = i18n.t("help.panel.options", lang)
    ru.COMMANDS_PANEL_TITLE = i18n.t("help.panel.commands", lang)
    ru.DEFAULT_STRING = i18n.t("help.panel.default", lang)
    ru.REQUIRED_LONG_STRING = i18n.t("help.panel.required", lang)


def _help_option(command: Any, option: Any) -> Any:
    if option is not None:
        option.help = i18n.t("help.help_option", command.officer_lang)
        option.metavar = ""
    return option


def _usage(command: Any, usage: str) -> str:
    return usage.replace("Usage: ", i18n.t("help.usage", command.officer_lang), 1)


def _pieces(command: Any, pieces: list[str]) -> list[str]:
    """click's usage words ("[OPTIONS]", "COMMAND [ARGS]...") in the officer's language."""
    lang = command.officer_lang
    words = {"[OPTIONS]": i18n.t("help.usage_options", lang),
             "COMMAND": i18n.t("help.usage_command", lang),
             "[ARGS]...": i18n.t("help.usage_args", lang)}
    return [" ".join(words.get(w, w) for w in piece.split(" ")) for piece in pieces]


# click's usage errors (typer's own words, in English) → the catalogue's. What no pattern
# matches keeps typer's words.
_USAGE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"No such option: (?P<name>\S+)(?: \(Possible options: (?P<like>.+)\))?\Z", re.S),
     "help.error.no_option"),
    (re.compile(r"No such command '(?P<name>.+)'\.\Z", re.S), "help.error.no_command"),
    (re.compile(r"Option '(?P<name>.+)' requires (?:an argument|\d+ arguments)\.\Z", re.S),
     "help.error.needs_value"),
    (re.compile(r"Missing (?:option|argument|parameter:?) '?(?P<name>[^'.]+)'?\.?\Z", re.S),
     "help.error.missing"),
    (re.compile(r"Got unexpected extra arguments? \((?P<name>.+)\)\Z", re.S),
     "help.error.extra"),
    (re.compile(r"Invalid value for (?P<name>.+?): .*\Z", re.S), "help.error.invalid"),
)


def say_usage_error(exc: Any, lang: str) -> Any:
    """A click usage error with its message in `lang` (and typer's error panel's words)."""
    from typer import rich_utils as ru

    ru.ERRORS_PANEL_TITLE = i18n.t("help.error.title", lang)
    ru.RICH_HELP = i18n.t("help.error.try_help", lang)
    text = exc.format_message()
    for pattern, key in _USAGE_ERRORS:
        found = pattern.match(text)
        if found:
            like = found.groupdict().get("like")
            said = i18n.t(key, lang, name=found["name"])
            if like:
                said += " " + i18n.t("help.error.maybe", lang, like=like)
            return _usage_error(exc, said)
    return exc


def _usage_error(exc: Any, text: str) -> Any:
    """A plain UsageError (of the click typer carries: vendored or not) saying `text`."""
    for cls in type(exc).__mro__:
        if cls.__name__ == "UsageError":
            return cls(text, ctx=exc.ctx)
    return exc


def _translated(command: Any, call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except Exception as exc:
        if any(c.__name__ == "UsageError" for c in type(exc).__mro__):
            raise say_usage_error(exc, command.officer_lang) from None
        raise


class OfficerCommand(TyperCommand):
    """A command whose help speaks the officer's language (`localise` makes every command
    of the tree one)."""

    officer_lang = "vi"

    def get_help_option(self, ctx: Any) -> Any:
        return _help_option(self, super().get_help_option(ctx))

    def get_usage(self, ctx: Any) -> str:
        return _usage(self, super().get_usage(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _pieces(self, super().collect_usage_pieces(ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _translated(self, super().parse_args, ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _panels(self.officer_lang)
        super().format_help(ctx, formatter)


class OfficerGroup(FastGroup):
    """The `clubtool` group (and `template`): help in the language of the run, commands in
    the order of the work."""

    officer_lang = "vi"

    def __init__(self, **attrs: Any):
        super().__init__(**attrs)
        if self.name == "clubtool":  # the whole tree is built: what `get_command(app)` finds
            localise(self, "vi")

    def get_help_option(self, ctx: Any) -> Any:
        return _help_option(self, super().get_help_option(ctx))

    def get_usage(self, ctx: Any) -> str:
        return _usage(self, super().get_usage(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _pieces(self, super().collect_usage_pieces(ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _translated(self, super().parse_args, ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _panels(self.officer_lang)
        super().format_help(ctx, formatter)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        return _translated(self, super().resolve_command, ctx, args)

    def list_commands(self, ctx: Any) -> list[str]:
        names = list(self.commands)
        return sorted(names, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kw: Any) -> Any:
        import sys

        lang = help_lang(list(args) if args is not None else sys.argv[1:])
        if lang != self.officer_lang:
            localise(self, lang)
        try:
            return super().main(args, *rest, **kw)
        finally:  # (tests run many commands in one process: none leaks its language)
            i18n.use(None)
