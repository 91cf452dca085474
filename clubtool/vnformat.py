"""Numbers and dates as a Vietnamese reader reads them: the one home of their text.

    whole(1500000)          "1.500.000"        (thousands with a dot)
    number(2.5, 1)          "2,5"              (decimal comma, rounded half up)
    percent(0.819)          "81,9%"            (never "100%" below 100%)
    money(1500000.0)        "1.500.000"        (whole đồng; None → "—")
    short_date(day)         "31/12/2027"
    grouped(12345, "en")    "12,345"           (the English form for --lang en)

At the bottom of the module graph: imports nothing of clubtool, so that every layer (the
reader's messages, the checks, the indicators, the report, the CLI) writes a figure the
same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["NO_VALUE", "grouped", "money", "number", "percent", "short_date", "whole"]

NO_VALUE = "—"


#: `whole`'s texts already made: the same counts and amounts come back thousands of times
#: (a report of 1,000 clubs writes 38,000 figures of 3,300 values); emptied when full.
_WHOLE: dict[int, str] = {}
_MEMO_MAX = 1 << 14  # entries of each memo (a few MB at most)


def whole(n: int) -> str:
    """1500000 → "1.500.000" (an int; a report of 20,000 clubs formats some million)."""
    if type(n) is not int:  # a bool or a float: formatted, never mistaken for an equal int
        return f"{n:,}".replace(",", ".")
    text = _WHOLE.get(n)
    if text is None:
        if len(_WHOLE) >= _MEMO_MAX:
            _WHOLE.clear()
        text = _WHOLE[n] = f"{n:,}".replace(",", ".")
    return text


def grouped(n: int, lang: str = "vi") -> str:
    """An int with thousands grouped the reader's way: "12.345" (vi), "12,345" (en)."""
    return whole(n) if lang == "vi" else f"{n:,}"


#: `number`'s texts already made, by the repr of `x` and `decimals` (and its type: True is
#: not taken for 1): the text is a function of these (-0.0 and 0.0, 1 and 1.0 are told
#: apart); shares repeat (2,371 figures of 270 values in a report of 1,000 clubs); emptied
#: when full.
_NUMBER: dict[tuple[str, int, type], str] = {}


def number(x: float | int, decimals: int = 0) -> str:
    """1234567 → "1.234.567"; 2.5 with decimals=1 → "2,5" (rounded half up, as on paper)."""
    key = (repr(x), decimals, type(decimals))
    text = _NUMBER.get(key)
    if text is None:
        q = Decimal(key[0]).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{q:,.{decimals}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")
        if len(_NUMBER) >= _MEMO_MAX:
            _NUMBER.clear()
        _NUMBER[key] = text
    return text


def percent(x: float | int, decimals: int = 1) -> str:
    """0.819 → "81,9%", 0.8 → "80%", 1 → "100%".

    A share below 100% is never shown as 100% (nor one above 0% as 0%): an officer reads
    "100%" as met.
    """
    text = number(x * 100, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    if text == "100" and x < 1:
        text = "99," + "9" * max(1, decimals)
    elif text == "0" and x > 0:
        text = "0," + "0" * (max(1, decimals) - 1) + "1"
    return text + "%"


def money(amount: float | int | None) -> str:
    """1500000 → "1.500.000" (whole đồng); None → "—"."""
    if type(amount) is int:  # round() would give it back as it is
        return whole(amount)
    if amount is None:
        return NO_VALUE
    n = round(amount)
    return whole(n) if type(n) is int else number(n)


def short_date(day: dt.date | str | None) -> str:
    """31/12/2027 (accepts an ISO string; None or "" → "")."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
