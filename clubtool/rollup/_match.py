"""How commune and province names are compared in a roll-up.

As everywhere in clubtool (`text.key`): Unicode NFC, case and whitespace do not count, and a
leading `Xã`/`Phường`/`Thị trấn`/`Đặc khu`/`Tỉnh`/`Thành phố` is not part of the name
("Xã Mai Hoa" and "mai  hoa" are one commune). Diacritics do count: "Hòa" and "Hóa" are two
communes (a province may have both), so two files are the same commune only when their names
agree letter for letter; a list typed without diacritics (`--expect`) is matched by
`Matcher`, which falls back to the folded name only when that is unambiguous.
"""

from __future__ import annotations

import re

from ..text import fold, key

__all__ = ["place_key", "same_folded"]

_PREFIXES = re.compile(r"^(xã|xa|phường|phuong|thị trấn|thi tran|đặc khu|dac khu|tỉnh|tinh|"
                       r"thành phố|thanh pho|tp\.?)\s+")


def place_key(name: str | None) -> str:
    """The identity of a place name: "Xã Mai Hoa" → "mai hoa" (diacritics kept)."""
    if not name:
        return ""
    return _PREFIXES.sub("", key(name)).strip()


def same_folded(a: str, b: str) -> bool:
    """Two names that differ only by their diacritics ("Mai Hoa", "Mai Hòa")."""
    return a != b and fold(a) == fold(b)
