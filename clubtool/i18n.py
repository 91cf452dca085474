"""The words of the command line in the officer's language: one catalogue file per language.

    from clubtool.i18n import t
    t("job.not_found", paths="du_lieu")          # in the current language
    t("word.files", "en", n=3)                    # "3 files" / "1 file": a plural table

`clubtool/locales/<lang>.toml` holds every message, help text and table word, keyed by
dotted names (`[cli] not_found = "…"` is `cli.not_found`), with `str.format` placeholders.
A value that is a table of plural forms (`{one = "{n} file", other = "{n} files"}`) is
chosen by `n=` and the language's rule (`[meta] plural`). Adding a language is adding one
file (docs/languages.md); the tests check that every file has every key with the same
placeholders.

The current language is set once by the command line (`use`) from `--lang`,
`CLUBTOOL_LANG` or `clubtool.toml`; library code that speaks to the officer (errors, log
lines) calls `t` without a language and gets it. The report documents themselves are
Vietnamese administrative documents and do not use this module.

Only the standard library is imported: `clubtool --help` loads a catalogue.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["LANGS", "current", "default_lang", "has", "load", "plural", "speaking", "t", "tr", "use", "Joined", "Msg", "message", "msg"]

LOCALES = Path(__file__).with_name("locales")
#: The languages there is a catalogue of, Vietnamese first (the default).
LANGS: tuple[str, ...] = ("vi", *sorted(p.stem for p in LOCALES.glob("*.toml")
                                        if p.stem != "vi"))
#: The names of plural forms (CLDR's); a rule says which ones a language uses.
FORMS = ("zero", "one", "two", "few", "many", "other")
#: `[meta] plural` → the forms it uses and the form of a count.
RULES: dict[str, tuple[tuple[str, ...], Any]] = {
    "other": (("other",), lambda n: "other"),  # one form (Vietnamese, Chinese, Japanese…)
    "one_other": (("one", "other"), lambda n: "one" if n == 1 else "other"),  # English, German…
    "one_upto_1": (("one", "other"), lambda n: "one" if n in (0, 1) else "other"),  # French
}

_current: ContextVar[str | None] = ContextVar("clubtool_lang", default=None)


def default_lang() -> str:
    """`CLUBTOOL_LANG` when it names a catalogue, else Vietnamese."""
    lang = os.environ.get("CLUBTOOL_LANG", "vi").strip().lower()[:2]
    return lang if lang in LANGS else "vi"


def current() -> str:
    """The language the command speaks: what `use` set, else `default_lang()`."""
    return _current.get() or default_lang()


def use(lang: str | None) -> None:
    """Speak `lang` from now on (None: back to `default_lang()`)."""
    if lang is not None and lang not in LANGS:
        raise ValueError(lang)
    _current.set(lang)


@contextmanager
def speaking(lang: str | None) -> Iterator[None]:
    """Speak `lang` for the time of a `with` block (None or an unknown language: keep the
    current one); the language before is back afterwards."""
    if lang is None or lang not in LANGS:
        yield
        return
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


@cache
def load(lang: str) -> dict[str, Any]:
    """The catalogue of `lang`, flattened: dotted key → text, or plural table (a dict)."""
    with (LOCALES / f"{lang}.toml").open("rb") as f:
        raw = tomllib.load(f)
    flat: dict[str, Any] = {}
    _flatten(raw, "", flat)
    return flat


def _flatten(table: dict[str, Any], prefix: str, into: dict[str, Any]) -> None:
    for key, value in table.items():
        name = prefix + key
        if isinstance(value, dict) and not is_plural(value):
            _flatten(value, name + ".", into)
        else:
            into[name] = value


def is_plural(value: Any) -> bool:
    """A table of plural forms: only form names, `other` among them."""
    return isinstance(value, dict) and "other" in value and set(value) <= set(FORMS)


def plural(lang: str, n: int) -> str:
    """The plural form of `n` in `lang` ("one", "other"…)."""
    return RULES[rule(lang)][1](n)


def rule(lang: str) -> str:
    return str(load(lang).get("meta.plural", "other"))


def has(key: str, lang: str | None = None) -> bool:
    return key in load(lang or current())


def t(key: str, lang: str | None = None, /, **kw: Any) -> str:
    """The text of `key` in `lang` (default: the current language), formatted with `kw`.
    A plural table takes its form from `n`. A key the language lacks falls back to
    Vietnamese (the tests make sure none does)."""
    lang = lang or current()
    text = load(lang).get(key)
    if text is None:
        text = load("vi")[key]  # KeyError: a key of no catalogue is a programming error
        lang = "vi"
    if isinstance(text, dict):
        n = kw.get("n", 0)
        text = text.get(plural(lang, int(n)), text["other"])
    return str(text).format(**kw) if kw else str(text)


class Msg(str):
    """A message as data, for library code whose text may reach a Vietnamese document as
    well as the officer's terminal: the string itself is the Vietnamese text (the default
    language: what library callers, the report documents and JSON files see), and it keeps
    its `key` and arguments so that the command line says it in the officer's language
    (`tr`). Arguments may be messages too."""

    key: str
    kw: dict[str, Any]

    def __new__(cls, key: str, /, **kw: Any) -> Msg:
        self = super().__new__(cls, t(key, "vi", **kw))
        self.key, self.kw = key, kw
        return self

    def __reduce__(self) -> Any:  # (pickled by the roll-up's worker processes)
        return (_rebuild, (self.key, self.kw))


def _rebuild(key: str, kw: dict[str, Any]) -> Msg:
    return Msg(key, **kw)


msg = Msg


class Joined(str):
    """Messages joined by `sep` (a list in a message), said again item by item by `tr`."""

    sep: str
    items: tuple[Any, ...]

    def __new__(cls, sep: str, items: Any) -> Joined:
        items = tuple(items)
        self = super().__new__(cls, sep.join(items))
        self.sep, self.items = sep, items
        return self

    def __reduce__(self) -> Any:
        return (Joined, (self.sep, self.items))


def message(exc: BaseException) -> Any:
    """The message of a library exception, a `Msg` kept as it is (to pass it on in another
    exception: `raise JobError(message(exc))`)."""
    return exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else str(exc)


def tr(text: Any, lang: str | None = None) -> str:
    """`text` in `lang` (default: the current language): a `Msg` is said again from its
    key, an exception by its message, anything else as it is."""
    if isinstance(text, BaseException):
        text = text.args[0] if len(text.args) == 1 and isinstance(text.args[0], Msg) \
            else str(text)
    if isinstance(text, Msg):
        return t(text.key, lang, **{k: tr(v, lang) if isinstance(v, (Msg, Joined)) else v
                                    for k, v in text.kw.items()})
    if isinstance(text, Joined):
        return text.sep.join(tr(x, lang) for x in text.items)
    return str(text)
