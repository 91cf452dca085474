"""Cell values as clubs write them (docs/workbooks.md#cell-values): dates day first, Vietnamese numbers, flags.

Each parser takes what python-calamine (or openpyxl) returns for a cell — str, int, float,
bool, date, datetime, time, timedelta — and returns the typed value, or raises
`BadValue` with the problem code (`type` or `enum`). Empty cells never reach a parser.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from .text import Matcher, clean, key
from .vnformat import short_date

EXCEL_EPOCH = dt.date(1899, 12, 30)


class BadValue(ValueError):
    """A cell's value cannot be read as its column's type."""

    def __init__(self, code: str = "type"):
        super().__init__(code)
        self.code = code


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


# --- dates ---------------------------------------------------------------------------

_DATE_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DATE_DMY_TIME = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s+0?0:00(?::00)?$")


def serial_to_date(serial: float) -> dt.date:
    """An Excel date serial (1900 system, as Excel, LibreOffice and WPS save) as a date."""
    if not 1 <= serial < 2958466:  # 01/01/1900 … 31/12/9999 (NaN fails here too)
        raise BadValue("type")
    days = int(serial)
    if days < 61:
        # Excel counts a 29/02/1900 that never was (serial 60): earlier serials are one day on.
        if days == 60:
            raise BadValue("type")
        days += 1
    return EXCEL_EPOCH + dt.timedelta(days=days)


def parse_date(raw: Any) -> dt.date:
    """dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, Excel dates and serials."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        raise BadValue("type")
    if isinstance(raw, int | float):
        return serial_to_date(raw)  # a time of day (the fraction) is dropped
    if isinstance(raw, str):
        text = clean(raw)
        m = _DATE_DMY.match(text) or _DATE_DMY_TIME.match(text)
        try:
            if m:
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            m = _DATE_YMD.match(text)
            if m:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise BadValue("type") from None
    raise BadValue("type")


# --- numbers -------------------------------------------------------------------------

_CURRENCY = re.compile(r"\s*(?:vnđ|vnd|đồng|dong|đ|d)\.?\s*$", re.IGNORECASE)
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*(?:([.,])\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
#: Past this many digits a number is read as its order of magnitude: past every float and
#: every bound of the schema (a `range` error), short of the 4,300 digits int() reads.
_MAX_DIGITS = 400


def _whole(digits: str) -> int:
    """Whole-number text (an optional sign, then digits) as an exact int."""
    n = len(digits.lstrip("+-"))
    if n > _MAX_DIGITS:  # 10^(n-1) ≤ the number: all a bound needs to know
        return -(10 ** (n - 1)) if digits.startswith("-") else 10 ** (n - 1)
    return int(digits)


def _decimal(whole: str, frac: str) -> float | int:
    """Whole and fraction digits as a float; past the floats (over 308 digits), the whole."""
    value = float(f"{whole}.{frac}")
    return value if math.isfinite(value) else _whole(whole)


def parse_number(raw: Any) -> float | int:
    """A number; text may use `.`, `,` or space to group thousands and end in đ/VNĐ/đồng.

    "1.500.000đ" → 1500000; "1,5" → 1.5; "2.5" → 2.5; "1.500" → 1500 (Vietnamese grouping
    wins when exactly three digits follow a single separator). Whole numbers are exact ints
    however long (10^20 stays 100000000000000000000), never ±inf: the field's bounds, not
    the parser, say a number is too large.
    """
    if isinstance(raw, bool):
        raise BadValue("type")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise BadValue("type")
        return int(raw) if raw.is_integer() else raw
    if not isinstance(raw, str):
        raise BadValue("type")
    text = _CURRENCY.sub("", clean(raw)).replace("\u00a0", " ").strip()
    if not text:
        raise BadValue("type")
    m = _GROUPED.match(text)
    if m:
        group_sep, decimal_sep = m.group(1), m.group(2)
        if decimal_sep is not None and decimal_sep == group_sep:
            raise BadValue("type")
        whole, _, frac = text.partition(decimal_sep) if decimal_sep else (text, "", "")
        digits = re.sub(r"[.,\s]", "", whole)
        return _decimal(digits, frac) if frac else _whole(digits)
    if _PLAIN.match(text):
        whole, _, frac = text.replace(",", ".").partition(".")
        return _decimal(whole, frac) if frac else _whole(whole)
    raise BadValue("type")


def parse_integer(raw: Any) -> int:
    """A whole number (1958, "1958", 1958.0); "1.958" with grouping is read as 1958."""
    value = parse_number(raw)
    if isinstance(value, float):
        if not value.is_integer():
            raise BadValue("type")
        return int(value)
    return value


def parse_year(raw: Any) -> int:
    """A year, or a full date whose year is used (`Năm sinh`)."""
    if isinstance(raw, dt.date):
        return raw.year
    if isinstance(raw, str) and not clean(raw).isdigit():
        return parse_date(raw).year
    return parse_integer(raw)


# --- flags and choices ----------------------------------------------------------------

_TRUE = {"x", "✓", "✔", "có", "1", "true", "yes", "co"}
_FALSE = {"không", "0", "false", "khong"}
_FLAGS = Matcher([*((t, True) for t in _TRUE), *((f, False) for f in _FALSE)])


def parse_flag(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float):
        if raw == 1:
            return True
        if raw == 0:
            return False
        raise BadValue("enum")
    if isinstance(raw, str):
        found = _FLAGS.find(raw)
        if found is not None:
            return found
    raise BadValue("enum")


def choice_matcher(choices: tuple[str, ...]) -> Matcher[str]:
    return Matcher({c: c for c in choices})


def parse_choice(raw: Any, matcher: Matcher[str]) -> str:
    if isinstance(raw, str):
        found = matcher.find(raw)
        if found is not None:
            return found
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        found = matcher.find(str(int(raw)) if float(raw).is_integer() else str(raw))
        if found is not None:
            return found
    raise BadValue("enum")


# --- text ----------------------------------------------------------------------------


def parse_text(raw: Any) -> str:
    """Text as NFC; numbers read back as their plain digits (a code typed as 12 → "12")."""
    if isinstance(raw, str):
        if "\n" in raw or "\r" in raw:  # keep line breaks (e.g. `Nơi nhận`, one a line)
            lines = (clean(line) for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
            return "\n".join(line for line in lines if line)
        return clean(raw)
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.date):  # a datetime too: the day only
        return short_date(raw)
    return str(raw)


_PHONE_JUNK = re.compile(r"[\s.\-()]")


def parse_phone(raw: Any) -> str:
    """A phone number as digits; one stored as a number gets its leading 0 back."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if isinstance(raw, float) and not raw.is_integer():
            raise BadValue("type")
        digits = str(int(raw))
        return digits if digits.startswith("0") else "0" + digits
    return _PHONE_JUNK.sub("", parse_text(raw))


def display(raw: Any) -> str:
    """A raw cell value as the person sees it, for messages."""
    if raw is None:
        return ""
    if isinstance(raw, dt.datetime | dt.date):
        return short_date(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


__all__ = [
    "BadValue",
    "display",
    "is_empty",
    "key",
    "parse_choice",
    "parse_date",
    "parse_flag",
    "parse_integer",
    "parse_number",
    "parse_phone",
    "parse_text",
    "parse_year",
    "serial_to_date",
]
