"""Vietnamese text: NFC, the keys used to match headers, labels and allowed values.

Matching (docs/workbooks.md#matching-text): Unicode NFC, trimmed, inner whitespace collapsed, case-insensitive;
if that finds nothing, the same with diacritics removed (đ→d), when unambiguous.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Generic, TypeVar

T = TypeVar("T")

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Text in Unicode NFC (what the reader hands on: 'Nữ' typed on a Mac becomes NFC)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, trimmed, inner whitespace (incl. non-breaking spaces, newlines) collapsed."""
    # str.split() and the regex `\s` agree on every code point (str.isspace); split/join
    # is ~4x faster than _SPACES.sub(" ", ...).strip() on a short name
    return " ".join(nfc(text).split())


@lru_cache(maxsize=8192)
def key(text: str) -> str:
    """The first matching key: clean and case-folded."""
    return clean(text).casefold()


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """The second matching key: `key` without diacritics (đ→d)."""
    decomposed = unicodedata.normalize("NFD", key(text).replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def person_key(name: str) -> str:
    """How two writings of a person's name are compared (NFC, case, whitespace)."""
    return key(name)


class Matcher(Generic[T]):
    """Finds the canonical item a written text stands for.

    `Matcher({"Nam": "Nam", "Nữ": "Nữ"}).find("nu") == "Nữ"`; an ambiguous folded
    match (two items folding alike) finds nothing.
    """

    __slots__ = ("_exact", "_folded", "_cache")

    def __init__(self, items: dict[str, T] | Iterable[tuple[str, T]]):
        pairs = items.items() if isinstance(items, dict) else items
        self._exact: dict[str, T] = {}
        folded: dict[str, list[T]] = {}
        for text, item in pairs:
            self._exact.setdefault(key(text), item)
            folded.setdefault(fold(text), []).append(item)
        self._folded = {k: v[0] for k, v in folded.items() if len(v) == 1}
        self._cache: dict[str, T | None] = {}

    def __len__(self) -> int:
        """How many texts it knows (distinct after cleaning and case-folding)."""
        return len(self._exact)

    def find(self, text: str) -> T | None:
        try:
            return self._cache[text]
        except KeyError:
            pass
        found = self._exact.get(key(text))
        if found is None:
            found = self._folded.get(fold(text))
        if len(self._cache) < 4096:
            self._cache[text] = found
        return found
