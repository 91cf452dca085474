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
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["LANGS", "current", "default_lang", "has", "load", "plural", "t", "use"]

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
