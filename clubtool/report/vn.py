"""Vietnamese administrative forms of dates and document parts (Nghị định 30/2020/NĐ-CP,
Phụ lục I). Pure functions of display: no figures are computed here.

Numbers and the dd/mm/yyyy date are `clubtool.vnformat`'s (their one home), re-exported
here for the report's callers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..vnformat import money, number, percent, short_date, whole

__all__ = ["number", "percent", "money", "whole", "place_date", "long_date", "short_date",
           "doc_number", "issuer_lines", "recipient_lines", "upper"]

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"
DOC_KIND = "BC-UBND"  # ký hiệu of a report of the People's Committee
NBSP = "\u00a0"


def upper(text: str) -> str:
    """Upper case, NFC (str.upper keeps Vietnamese diacritics: "ủy" → "ỦY")."""
    return unicodedata.normalize("NFC", text.upper())


def long_date(day: dt.date) -> str:
    """"ngày 05 tháng 02 năm 2027": a zero before days under 10 and months 1 and 2 (NĐ 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place: str, day: dt.date) -> str:
    """"Mai Hoa, ngày 05 tháng 12 năm 2027" (địa danh, ngày tháng năm ban hành)."""
    return f"{place}, {long_date(day)}"


def doc_number(raw: str | None, kind: str = DOC_KIND) -> str:
    """"Số: 125/BC-UBND"; blank number → "Số:      /BC-UBND" (filled in by hand).

    The blank is no-break spaces, so that HTML, Markdown and Word all keep its width.
    """
    text = (raw or "").strip()
    text = re.sub(r"^s[ốo]\s*:?\s*", "", text, flags=re.IGNORECASE)
    if not text:
        return f"Số:{NBSP * 8}/{kind}"
    return f"Số: {text}"


def issuer_lines(issuer: str | None, commune: str) -> list[str]:
    """The issuing body in capitals, on the lines the decree shows it.

    "Ủy ban nhân dân xã Mai Hoa" → ["ỦY BAN NHÂN DÂN", "XÃ MAI HOA"]; a name written on
    several lines keeps its lines; blank → ỦY BAN NHÂN DÂN XÃ <TÊN XÃ>.
    """
    text = (issuer or "").strip() or f"{PEOPLES_COMMITTEE} XÃ {commune}"
    lines = [upper(" ".join(line.split())) for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and lines[0].startswith(PEOPLES_COMMITTEE + " "):
        return [PEOPLES_COMMITTEE, lines[0][len(PEOPLES_COMMITTEE) + 1:]]
    return lines


def recipient_lines(raw: str | None, default: list[str]) -> list[str]:
    """"Nơi nhận" items: "- UBND tỉnh;" … and last "- Lưu: VT, …." (one recipient a line).

    Bullets and end punctuation typed by the officer are normalised; a "Lưu" line is
    added when there is none.
    """
    items = [line.strip() for line in (raw or "").splitlines()]
    items = [re.sub(r"^[-–•+*]\s*", "", i).rstrip(" ;.,") for i in items]
    items = [i for i in items if i] or list(default)
    keep = [i for i in items if i.lower().startswith("lưu")]
    items = [i for i in items if not i.lower().startswith("lưu")] + (keep[:1] or ["Lưu: VT"])
    return [f"- {i};" for i in items[:-1]] + [f"- {items[-1]}."]
