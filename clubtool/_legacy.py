"""Legacy Vietnamese text: TCVN3 (ABC, ".VnTime" fonts) and VNI-Windows (docs/workbooks.md#legacy-encodings).

Before Unicode, Vietnamese was typed with 8-bit fonts. The workbook keeps the *bytes*
the keyboard driver produced, read as Windows-1252, so "Nguyễn Thị Lan" typed with a
.VnTime font comes back as "NguyÔn ThÞ Lan" and with a VNI-Times font as
"Nguyeãn Thò Lan".

`detect` runs on every text cell of every workbook, so it is layered:

1. pure ASCII → None (``str.isascii``);
2. a character no cp1252/Latin-1 reading of bytes can give (ă, đ, ơ, ư, ạ … ỹ, a
   combining mark, any other script) → None: ordinary Unicode Vietnamese stops here;
3. (from here on cached, per distinct text) no character typical of the legacy
   encodings (µ ¸ ª « § Þ ø ï ñ ö …) and none of their letter patterns ("eã", a capital
   "Ô" inside a lower-case word) → None: "café", "Thành viên";
4. scoring: each word is converted both ways. A reading counts when converting turns
   words that are no Vietnamese syllable into syllables (tone on the right vowel, no
   capital inside a lower-case word) and spoils no word. A word that is a syllable
   both ways ("Hoàng" is also VNI for "Hồng") counts for nothing, so well-formed
   Unicode Vietnamese is never flagged; one fixed word alone must show a character or
   pattern typical of the encoding. The reading with more fixed words wins; a tie is
   None. False positives are worse than misses: the rules lean to None.

`to_unicode` converts; `from_unicode` is its inverse (tests, fixtures).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["TCVN3", "VNI", "ENCODINGS", "detect", "to_unicode", "from_unicode",
           "convert_if_legacy", "is_syllable"]

TCVN3 = "TCVN3"
VNI = "VNI"
ENCODINGS = (TCVN3, VNI)

_ALIASES = {"TCVN3": TCVN3, "TCVN": TCVN3, "ABC": TCVN3, "VN3": TCVN3, "TCVN5712": TCVN3,
            "VNI": VNI, "VNI-WINDOWS": VNI, "VNIWINDOWS": VNI}

# ---------------------------------------------------------------------------------------
# Vietnamese letters, derived from Unicode: 12 vowels x (no tone + 5 tones), and đ.

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_TONE_MARKS = (_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT)  # the order used by VNI below
_VOWELS = "aăâeêioôơuưy"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_TONE_OF: dict[str, int] = {}  # toned letter (both cases) → 1..5 (index in _TONE_MARKS + 1)
_UNTONE: dict[int, str] = {}  # str.translate table: toned lower-case letter → bare letter
for _v in _VOWELS:
    for _i, _m in enumerate(_TONE_MARKS, 1):
        _t = _nfc(_v + _m)
        _TONE_OF[_t] = _TONE_OF[_t.upper()] = _i
        _UNTONE[ord(_t)] = _v

VIETNAMESE_LETTERS = frozenset(
    [*_VOWELS, *_TONE_OF, *(v.upper() for v in _VOWELS), "đ", "Đ"]
) | frozenset("bcdghklmnpqrstvx" "BCDGHKLMNPQRSTVX")
_VIET_LATIN1 = frozenset(c for c in VIETNAMESE_LETTERS if 0x80 <= ord(c) <= 0xFF)

# ---------------------------------------------------------------------------------------
# TCVN 5712:1993. VN3 ("TCVN3", ABC, .VnTime) has the 67 lower-case letters and the 7
# capitals Ă Â Ê Ô Ơ Ư Đ; capitals with a tone are typed with the all-capitals font
# (.VnTimeH) using the *lower-case* codes. VN2 adds 16 capitals and 5 combining tone
# marks in the gaps of 0xA0-0xFF; VN1 adds the remaining 44 capitals in 0x80-0x9F and
# in C0 control positions. Bytes → Unicode (checked against glibc's TCVN5712-1 codec).

_VN3 = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
_VN2_CAPITALS = {
    0xAF: "Ằ", 0xBA: "Ẳ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ",
    0xC5: "Ề", 0xCD: "Ể", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xE0: "Ổ", 0xF0: "Ỗ", 0xFF: "Ố",
}
_VN2_MARKS = {0xB0: _GRAVE, 0xB1: _HOOK, 0xB2: _TILDE, 0xB3: _ACUTE, 0xB4: _DOT}
_VN1_C1 = dict(zip(range(0x80, 0xA0), "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ", strict=True))
_VN1_C0 = {0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự",
           0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ"}


def _cp1252(byte: int) -> str | None:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81 0x8D 0x8F 0x90 0x9D: Windows gives U+0081 …
        return None


# Converted wherever they appear: 0xA1-0xFF as Latin-1 (= cp1252 there), the VN1
# positions as control characters (bytes read as Latin-1), and "μ" (U+03BC, what NFKC
# makes of the micro sign µ = 0xB5 = "à").
TCVN3_TABLE: dict[str, str] = {
    **{chr(b): u for b, u in (_VN3 | _VN2_CAPITALS | _VN1_C1 | _VN1_C0).items()},
    "\u03bc": "à",
}
# VN1 capitals read as cp1252 punctuation (‚ „ … – — “ ” ™ …): converted only between
# two letters; ‘ ’ (Ị Ò) never, they are too often apostrophes ("K’Ho").
_TCVN3_GLYPHS = {g: _VN1_C1[b] for b in _VN1_C1
                 if (g := _cp1252(b)) is not None and g not in "\u2018\u2019"}
_TCVN3_MARKS = {chr(b): m for b, m in _VN2_MARKS.items()}  # only after a vowel
_TCVN3_TRANSLATE = str.maketrans(TCVN3_TABLE)
_TCVN3_UPPER = frozenset(k for k, v in TCVN3_TABLE.items() if v.isupper())

# ---------------------------------------------------------------------------------------
# VNI-Windows: a base letter followed by a mark byte, read as cp1252; capitals use the
# capital base and the capital mark. ơ = "ô", ư = "ö", đ = "ñ"; the i's and ỵ are single
# characters. Built from the mark order acute, grave, hook, tilde, dot.

_VNI_TONE = ("ùøûõï", "ÙØÛÕÏ")
_VNI_CIRC = ("â", "Â", "áàåãä", "ÁÀÅÃÄ")  # â, ấ ầ ẩ ẫ ậ (after a, e, o)
_VNI_BREVE = ("ê", "Ê", "éèúüë", "ÉÈÚÜË")  # ă, ắ ằ ẳ ẵ ặ (after a)
_VNI_I = ("íìæóò", "ÍÌÆÓÒ")


def _build_vni() -> dict[str, str]:
    """Unicode letter → VNI sequence (lower and upper case)."""
    enc: dict[str, str] = {}
    for up in (0, 1):
        case = str.upper if up else str.lower
        for uni, vni in (("a", "a"), ("e", "e"), ("o", "o"), ("u", "u"), ("y", "y"),
                         ("ơ", "ô"), ("ư", "ö")):
            u, v = case(uni), case(vni)
            enc[u] = v
            for i, mark in enumerate(_TONE_MARKS):
                enc[_nfc(u + mark)] = v + _VNI_TONE[up][i]
        for base, modifier, marks in (("a", "\u0302", _VNI_CIRC), ("e", "\u0302", _VNI_CIRC),
                                      ("o", "\u0302", _VNI_CIRC), ("a", "\u0306", _VNI_BREVE)):
            b = case(base)
            enc[_nfc(b + modifier)] = b + marks[up]
            for i, mark in enumerate(_TONE_MARKS):
                enc[_nfc(b + modifier + mark)] = b + marks[2 + up][i]
        for i, mark in enumerate(_TONE_MARKS):
            enc[_nfc(case("i") + mark)] = _VNI_I[up][i]
        enc[case("ỵ")] = "Î" if up else "î"
        enc[case("đ")] = "Ñ" if up else "ñ"
    return {u: v for u, v in enc.items() if u != v}


_VNI_ENCODE = _build_vni()
VNI_TABLE: dict[str, str] = {v: u for u, v in _VNI_ENCODE.items()}  # VNI sequence → letter
_VNI_DECODE = dict(VNI_TABLE)
for _seq, _letter in VNI_TABLE.items():  # lenient: a mark of the other case ("Aù" → "Á")
    if len(_seq) == 2:
        for _b in {_seq[0].lower(), _seq[0].upper()}:
            for _k in {_seq[1].lower(), _seq[1].upper()}:
                _VNI_DECODE.setdefault(_b + _k, _letter.upper() if _b.isupper() else _letter.lower())
_VNI_DECODE.setdefault("yï", "ỵ")
_VNI_DECODE.setdefault("YÏ", "Ỵ")
_VNI_BASES = "".join(sorted({s[0] for s in _VNI_DECODE if len(s) == 2}))
_VNI_MARKS = "".join(sorted({s[1] for s in _VNI_DECODE if len(s) == 2}))
_VNI_SINGLES = {s: u for s, u in _VNI_DECODE.items() if len(s) == 1}
_VNI_RE = re.compile(f"[{re.escape(_VNI_BASES)}][{re.escape(_VNI_MARKS)}]"
                     f"|[{re.escape(''.join(_VNI_SINGLES))}]")


def _vni_sub(m: re.Match[str]) -> str:
    s = m.group()
    found = _VNI_DECODE.get(s)
    if found is not None:
        return found
    return _VNI_SINGLES.get(s[0], s[0]) + s[1:]  # "uâ": u is no base for a circumflex


# ---------------------------------------------------------------------------------------
# Conversion.


def _class(chars) -> str:
    return "".join(re.escape(c) for c in sorted(set(chars)))


_LETTERS = _class(
    [chr(c) for c in range(0x41, 0x7B) if chr(c).isalpha()]
    + [chr(c) for c in range(0xC0, 0x100)]
    + list(TCVN3_TABLE) + list(_TCVN3_GLYPHS)
    + [c for s in VNI_TABLE for c in s]
)
_WORD = re.compile(f"[{_LETTERS}]+")
_TCVN3_GLYPH_RE = re.compile(f"(?<=[{_LETTERS}])[{_class(_TCVN3_GLYPHS)}](?=[{_LETTERS}])")
_TCVN3_VOWELS = "aeiouyAEIOUY" + "".join(k for k, v in TCVN3_TABLE.items() if v in _VOWELS
                                         or v.lower() in _VOWELS)
_TCVN3_MARK_RE = re.compile(f"(?<=[{_class(_TCVN3_VOWELS)}])[{_class(_TCVN3_MARKS)}]")
_ASCII_LOWER = re.compile("[a-z]")


def _tcvn3(text: str, fix_case: bool = True) -> str:
    out = text
    if _TCVN3_GLYPH_RE.search(out):
        out = _TCVN3_GLYPH_RE.sub(lambda m: _TCVN3_GLYPHS[m.group()], out)
    if _TCVN3_MARK_RE.search(out):
        out = _TCVN3_MARK_RE.sub(lambda m: _TCVN3_MARKS[m.group()], out)
    out = out.translate(_TCVN3_TRANSLATE)  # one character for one: aligned with text
    if fix_case and out != text:
        out = _tcvn3_case(text, out)
    return _nfc(out)


def _tcvn3_case(orig: str, conv: str) -> str:
    """Capitals with a tone have no VN3 code: typists used the capitals font .VnTimeH
    with the lower-case codes ("NGUYÔN" shows NGUYỄN) or did without ("¸nh" for Ánh).

    - a text without ASCII lower case, one word of which has two capitals: all capitals;
    - a word without ASCII lower case and with two capitals: in capitals;
    - when no word starts in ASCII lower case and one starts with a capital (a name:
      "Lª ¸nh"), a word starting with a lower-case tone letter gets a capital: "Lê Ánh".
    "Lª" alone stays "Lê", "Hµ NéI" gives "Hà NỘI".
    """
    words = []  # (start, end, capitals, starts in ASCII lower case)
    for m in _WORD.finditer(orig):
        seg = m.group()
        upper = sum(1 for c in seg if "A" <= c <= "Z" or c in _TCVN3_UPPER)
        words.append((m.start(), m.end(), upper, _ASCII_LOWER.search(seg) is not None))
    chars = list(conv)
    caps = [(a, b) for a, b, upper, lower in words if upper >= 2 and not lower]
    if caps and not _ASCII_LOWER.search(orig):
        return conv.upper()
    for a, b in caps:
        chars[a:b] = conv[a:b].upper()
    if (words and not any("a" <= orig[a] <= "z" for a, _, _, _ in words)
            and any("A" <= orig[a] <= "Z" or orig[a] in _TCVN3_UPPER for a, _, _, _ in words)):
        for a, _, _, _ in words:
            if orig[a] in TCVN3_TABLE and chars[a].islower():
                chars[a] = chars[a].upper()
    return "".join(chars)


def _vni(text: str) -> str:
    return _nfc(_VNI_RE.sub(_vni_sub, text))


def _encoding(encoding: str) -> str:
    try:
        return _ALIASES[encoding.strip().upper().replace("_", "-").replace(" ", "-")]
    except KeyError:
        raise ValueError(f"unknown legacy encoding {encoding!r} (TCVN3 or VNI)") from None


def to_unicode(text: str, encoding: str) -> str:
    """`text` (TCVN3 or VNI-Windows bytes read as cp1252) as NFC Unicode.

    TCVN3: VN3 (lower case, Ă Â Ê Ô Ơ Ư Đ) and the capitals VN2/VN1 add; capitals typed
    with .VnTimeH (lower-case codes) are restored for words in capitals. VNI: base +
    mark pairs, capitals, ñ/Ñ = đ/Đ. Characters outside the table are kept.
    """
    enc = _encoding(encoding)
    if text.isascii() and (enc == VNI or not any(chr(b) in text for b in _VN1_C0)):
        return text
    return _tcvn3(text) if enc == TCVN3 else _vni(text)


_TCVN3_ENCODE: dict[str, str] = {}
for _byte, _uni in (_VN3 | _VN2_CAPITALS).items():
    _TCVN3_ENCODE[_uni] = chr(_byte)
for _u in list(_TONE_OF) + ["đ"]:
    if _u.isupper() and _u not in _TCVN3_ENCODE:  # .VnTimeH: the lower-case code
        _TCVN3_ENCODE[_u] = _TCVN3_ENCODE[_u.lower()]


def from_unicode(text: str, encoding: str) -> str:
    """The inverse of `to_unicode`: Unicode Vietnamese as TCVN3/VNI text read as cp1252.

    TCVN3 writes VN3 and, for capitals with a tone, the VN2 capital when there is one,
    else the lower-case code as .VnTimeH users did (so "Á" alone comes back as "á").
    """
    enc = _encoding(encoding)
    table = _TCVN3_ENCODE if enc == TCVN3 else _VNI_ENCODE
    return "".join(table.get(c, c) for c in _nfc(text))


# ---------------------------------------------------------------------------------------
# Vietnamese syllables: initial consonant + rhyme (tones stripped), a stop final (p, t,
# c, ch) only with the acute or dot tone. Spelling rules (c/k, g/gh) are not enforced.

_INITIALS = ("", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n",
             "ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x")
_RHYMES = """
a ai ao au ay am an ang anh ap at ac ach ak
ăm ăn ăng ăp ăt ăc ăk
âm ân âng âp ât âc âu ây
e eo em en eng ep et ec
ê êu êm ên ênh êng êp êt êch
i ia iu im in inh ip it ich
iêm iên iêng iêp iêt iêc iêu
y ynh yt yêm yên yêng yêt yêu
o oa oe oi om on ong op ot oc oong ooc
oai oay oan oang oanh oap oat oac oach oao oăm oăn oăng oăp oăt oăc oen oet oeo
ô ôi ôm ôn ông ôp ôt ôc
ơ ơi ơm ơn ơp ơt
u ua ui um un ung up ut uc uy uya uych uynh uyt uyu uyên uyêt
uân uâng uât uây uê uêch uênh uơ uôi uôm uôn uông uôt uôc
ư ưa ưi ưu ưm ưn ưng ưt ưc ươ ươi ươu ươm ươn ương ươp ươt ươc
""".split()
_SYLLABLES = frozenset(i + r for i in _INITIALS for r in _RHYMES)
_STOPS = ("p", "t", "c", "ch", "k")  # k: Đắk Lắk


def is_syllable(word: str) -> bool:
    """Is `word` (NFC, any case) the shape of a Vietnamese syllable?"""
    w = word.lower()
    if len(w) > 7:
        return False
    bare = w.translate(_UNTONE)
    if bare not in _SYLLABLES:
        return False
    tones = [_TONE_OF[c] for c in w if c in _TONE_OF]
    if len(tones) > 1:
        return False
    if bare.endswith(_STOPS):
        return bool(tones) and tones[0] in (1, 5)  # acute, dot
    return True


_MODIFIED = frozenset("ăâêôơư")
_VOWEL_SET = frozenset(_VOWELS)


def _well_placed(word: str) -> bool:
    """Does the tone mark of a (valid) syllable sit where Vietnamese puts it?

    On the (last) modified vowel: "trường", "tuổi"; else on the only vowel; else, before
    a final consonant, on the last vowel: "hoàng"; else on the first vowel, or either of
    "oa oe uy" (old and new style: "hóa"/"hoá"); in three vowels, the middle: "ngoài".
    Only the converted text is held to this (a Unicode word placed oddly is not invalid).
    """
    w = word.lower()
    at = next((i for i, c in enumerate(w) if c in _TONE_OF), -1)
    if at < 0:
        return True
    bare = w.translate(_UNTONE)
    start = 0
    if bare.startswith("qu") or (bare.startswith("gi") and bare[2:3] in _VOWEL_SET):
        start = 2
    while start < len(bare) and bare[start] not in _VOWEL_SET:
        start += 1
    end = start
    while end < len(bare) and bare[end] in _VOWEL_SET:
        end += 1
    vowels, final, index = bare[start:end], bare[end:], at - start
    modified = [i for i, c in enumerate(vowels) if c in _MODIFIED]
    if modified:
        return index == modified[-1]
    if len(vowels) == 1:
        return index == 0
    if final:
        return index == len(vowels) - 1
    if len(vowels) == 2:
        return index in (0, 1) if vowels in ("oa", "oe", "uy") else index == 0
    return index == 1


def _case_anomaly(converted: str) -> bool:
    """A converted capital after a lower-case letter ("NghƯ"): not how anyone typed."""
    return any(b.isupper() and not b.isascii() and a.islower()
               for a, b in zip(converted, converted[1:], strict=False))


# ---------------------------------------------------------------------------------------
# Detection.

# What reading bytes as cp1252/Latin-1 can give (plus μ). Anything else: not legacy.
_FROM_BYTES = (
    "\x00-\xff" + "".join(g for b in range(0x80, 0xA0) if (g := _cp1252(b))) + "\u03bc"
)
_NOT_LEGACY = re.compile(f"[^{_FROM_BYTES}]")
# Characters of the tables that are no Vietnamese letter: µ ¸ ª « § Þ ø ï ñ ö …
_NOT_STRONG = _VIET_LATIN1 | {"\xa0"} | {chr(c) for c in range(0x80)}
_STRONG = {
    TCVN3: frozenset(TCVN3_TABLE) - _NOT_STRONG,
    VNI: frozenset(c for s in VNI_TABLE for c in s) - _NOT_STRONG,
}
_WEAK_VNI_MARKS = "".join(sorted(set(_VNI_MARKS) & _VIET_LATIN1))
# Letter patterns as telling as a strong character: a capital tone letter's code inside a
# lower-case word (TCVN3 "NguyÔn"); a VNI pair that Unicode Vietnamese never spells (all
# but "oà oá oã", as in "Hoàng", "hoá").
_STRONG_PATTERN = {
    TCVN3: re.compile("[a-z][\u00c0-\u00dd]"),
    VNI: re.compile(f"(?![oO][àáãÀÁÃ])[{re.escape(_VNI_BASES)}][{re.escape(_VNI_MARKS)}]"),
}
_STRONG_RE = re.compile(f"[{_class(_STRONG[TCVN3] | _STRONG[VNI])}]")
_WEAK_RE = re.compile(  # letter patterns, for text without a strong character
    "[a-z][\u00c0-\u00dd]"  # TCVN3: "NguyÔn", "vÒ" (a lower-case tone letter's code)
    f"|[{re.escape(_VNI_BASES)}][{re.escape(_WEAK_VNI_MARKS)}]"  # VNI: "Nguyeãn", "oà"
    "|[óòÓÒ](?:nh|ch|NH|CH|Nh|Ch)"  # VNI ĩ ị: "Tónh"
    f"|[A-Za-z][{_class(_TCVN3_GLYPHS)}][A-Za-z]"  # VN1 capitals read as cp1252
)


_UNITS = frozenset(m + u for m in "\u00b5\u03bc" for u in ("m", "g", "l", "s", "mol"))  # µm ≠ àm


def _evidence(text: str, encoding: str) -> int:
    """How many words converting fixes, or 0 when the text does not read as `encoding`."""
    strong, pattern = _STRONG[encoding], _STRONG_PATTERN[encoding]
    changed = fixed = bad = 0
    has_strong = False
    for word in _WORD.findall(text):
        conv = _vni(word) if encoding == VNI else _tcvn3(word, fix_case=False)
        if conv == word:
            continue
        changed += 1
        if not is_syllable(conv) or not _well_placed(conv) or _case_anomaly(conv):
            bad += 1
        elif len(word) > 1 and not is_syllable(word) and word not in _UNITS:
            fixed += 1  # (a one-character word, "×" → "ì", is no evidence)
            has_strong = (has_strong or any(c in strong for c in word)
                          or pattern.search(word) is not None)
    if not fixed:
        return 0
    if bad and not (changed >= 5 and bad * 10 <= changed and fixed * 2 >= changed):
        return 0
    if has_strong or fixed >= 2 or changed >= 2:
        return fixed
    return 0


@lru_cache(maxsize=16384)
def _detect_bytes(text: str) -> str | None:
    """`detect` for text every character of which a legacy byte can give (cached: the
    same "Thành viên", "Có", village names come back in cell after cell)."""
    if not (_STRONG_RE.search(text) or _WEAK_RE.search(text)):
        return None
    tcvn3, vni = _evidence(text, TCVN3), _evidence(text, VNI)
    if tcvn3 > vni:
        return TCVN3
    if vni > tcvn3:
        return VNI
    return None


def detect(text: str) -> str | None:
    """"TCVN3", "VNI" or None: is `text` Vietnamese typed with a legacy 8-bit font?

    Never flags ASCII, Unicode Vietnamese (NFC or NFD) or text with any character that
    no legacy byte gives; Latin-1 words ("café", "Ghi chú") only when converting them
    gives Vietnamese syllables and breaks none.
    """
    if text.isascii() or _NOT_LEGACY.search(text):
        return None
    return _detect_bytes(text)


def convert_if_legacy(text: str) -> tuple[str, str | None]:
    """(Unicode text, encoding) when `text` is TCVN3/VNI, else (text, None)."""
    encoding = detect(text)
    if encoding is None:
        return text, None
    return to_unicode(text, encoding), encoding
