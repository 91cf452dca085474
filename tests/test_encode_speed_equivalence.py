"""The fast paths of the nightly export's fixed work (issue 14) give the very text of the
plain code they replaced: `_xlsx.encode` (texts written as they are, cells of a text seen
before taken again, ints and dates inline), `_xlsx.crc_join` (one pass over the zeros),
and `vnformat.whole` / `number` / `money` (memoised). Each is compared with a
straightforward reference kept here: the code as it was before the fast paths."""

from __future__ import annotations

import datetime as dt
import math
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clubtool import vnformat as V
from clubtool.merge import _xlsx as X
from clubtool.merge._sheets import Fmt

# --- the references ----------------------------------------------------------------------

_SPECIAL = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_LITERAL = re.compile("(_x[0-9A-Fa-f]{4}_)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")


def ref_text(value: str) -> str:
    if len(value) > X.CELL_MAX // 2:
        units = value.encode("utf-16-le", "surrogatepass")  # (a lone surrogate: kept, as "?")
        if len(units) > 2 * X.CELL_MAX:
            value = units[: 2 * X.CELL_MAX].decode("utf-16-le", "surrogatepass")
            if "\ud800" <= value[-1] <= "\udbff":  # half of a pair cut in two
                value = value[:-1]
    if _SPECIAL.search(value):
        value = _LITERAL.sub(r"_x005F\1", value)
        value = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value[:1].isspace() or value[-1:].isspace():
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


def ref_serial(day: dt.date) -> float:
    if isinstance(day, dt.datetime):
        delta = day.replace(tzinfo=None) - dt.datetime(1899, 12, 31)
        x: float = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    else:
        x = day.toordinal() - dt.date(1899, 12, 31).toordinal()
    return x + 1 if x > 59 else x


def ref_encode(rows: Iterator[Sequence[Any]], fmts: Sequence[str], most: int,
               on_row: Callable[[Sequence[Any]], None] | None = None) -> tuple[str, int]:
    flag, date = X.CELL[Fmt.FLAG], X.CELL[Fmt.DATE]
    big = X.EXCEL_EXACT_LIMIT
    out: list[str] = []
    n = 0
    if most <= 0:
        return "", 0
    for row in rows:
        out.append("<row>")
        gap = 0
        for c, v in enumerate(row):
            if v is None or v is False or v == "":
                gap += 1
                continue
            if gap:
                out.append("<c/>" * gap)
                gap = 0
            t = type(v)
            if t is str:
                out.append(f'<c t="inlineStr">{ref_text(v)}</c>')
            elif t is int or t is float:
                if -big < v < big:
                    out.append(f"<c{fmts[c]}><v>{v:.16G}</v></c>")
                else:
                    out.append(f'<c{fmts[c]} t="inlineStr">{ref_text(X.exact_text(v))}</c>')
            elif t is bool:
                out.append(f'<c{flag} t="inlineStr"><is><t>x</t></is></c>')
            elif isinstance(v, dt.date):
                out.append(f"<c{date}><v>{ref_serial(v):.16G}</v></c>")
            else:
                out.append(f'<c t="inlineStr">{ref_text(str(v))}</c>')
        out.append("</row>")
        n += 1
        if on_row is not None:
            on_row(row)
        if n >= most:
            break
    return "".join(out), n


def ref_whole(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def ref_number(x: float | int, decimals: int = 0) -> str:
    q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{q:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def ref_money(amount: float | int | None) -> str:
    if amount is None:
        return V.NO_VALUE
    n = round(amount)
    return ref_whole(n) if type(n) is int else ref_number(n)


def outcome(f: Callable[..., str], *args: Any) -> tuple[str, Any]:
    """What a call gives: its text, or the type of what it raised."""
    try:
        return "ok", f(*args)
    except Exception as exc:  # the references raise for some inputs: so must the new code
        return "raises", type(exc)


# --- the values ------------------------------------------------------------------------


class Named(str):
    """A str subclass: not `type(v) is str` (the slow path), yet written as its text."""


class Odd:
    def __str__(self) -> str:
        return "  <odd> & _x0041_ "


LIMIT = X.EXCEL_EXACT_LIMIT
SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u3000"
ALPHABET = st.sampled_from([*"aAđĐữ ", *SPACES, "&", "<", ">", "_", "x", "0", "4", "1", "F",
                            "\x00", "\x01", "\x08", "\x0b", "\x1f", "\ufffe", "\uffff",
                            "\ud800", "\udfff", "😀", "\u0301"])
texts = st.one_of(
    st.text(ALPHABET, max_size=30),
    st.text(max_size=30),
    st.sampled_from(["_x0041_", "_X0041_", "a_x00e9_b", "_x004_", " Nam", "Nữ ", "\u00a0x",
                     "=1+1", "-", "Hà Tĩnh", "\ud83d", "x\udc00"]),
    # around the length past which a text may be too long for a cell (CELL_MAX // 2)
    st.builds(lambda piece, n, tail: piece * n + tail,
              st.sampled_from(["a", "😀", "ab&", " ", "_x0041_"]),
              st.integers(X.CELL_MAX // 2 - 3, X.CELL_MAX // 2 + 3)
              | st.integers(X.CELL_MAX - 2, X.CELL_MAX + 2),
              st.sampled_from(["", "😀", " ", "b"])),
)
numbers = st.one_of(
    st.integers(),
    st.integers(-LIMIT - 3, -LIMIT + 3),
    st.integers(LIMIT - 3, LIMIT + 3),
    st.floats(),
    st.sampled_from([float(LIMIT), math.nextafter(float(LIMIT), 0), -float(LIMIT),
                     math.nextafter(-float(LIMIT), 0), 999_999_999_999_999.5, 0.0, -0.0,
                     math.nan, math.inf, -math.inf, 1e-300, 5e-324]),
)
dates = st.one_of(
    st.dates(),
    st.sampled_from([dt.date(1900, 2, 28), dt.date(1900, 3, 1), dt.date(1899, 12, 31),
                     dt.date(1, 1, 1)]),
    st.datetimes(timezones=st.none() | st.just(dt.timezone(dt.timedelta(hours=7)))),
)
cells = st.one_of(
    texts, numbers, dates,
    st.sampled_from([None, "", True, False, Named(""), Named("a&b"), Named(" x"), Odd(),
                     Decimal("1.5"), Decimal("NaN")]),
)
FMTS = [X.CELL[f] for f in Fmt]
rows_of = st.lists(st.lists(cells, max_size=8), max_size=8)


def _encoded(enc: Callable[..., tuple[str, int]], rows: list[list[Any]], fmts: list[str],
             most: int) -> tuple[Any, ...]:
    """The XML, the rows counted, those given to `on_row`, and those left in the iterator
    (never more taken); or what it raised (a long text with a lone surrogate: both)."""
    seen: list[int] = []
    it = iter(rows)
    try:
        xml, n = enc(it, fmts, most, lambda row: seen.append(id(row)))
    except Exception as exc:
        return "raises", type(exc), seen
    return xml, n, seen, list(it)


# --- the equivalences ------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(rows_of, st.integers(-1, 10), st.data())
def test_encode_is_the_plain_encoder(rows: list[list[Any]], most: int, data: Any) -> None:
    width = max((len(r) for r in rows), default=0)
    fmts = data.draw(st.lists(st.sampled_from(FMTS), min_size=width, max_size=width))
    assert _encoded(X.encode, rows, fmts, most) == _encoded(ref_encode, rows, fmts, most)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=6))
def test_a_text_seen_again_gives_the_same_cell(values: list[str]) -> None:
    # the same texts in several rows and columns (the cells kept by `encode` are reused),
    # and texts that differ from them by a space, a case or an escape only
    rows = [values, list(reversed(values)), [f"{v} " for v in values], [v.strip() for v in values],
            [v.upper() for v in values], [f"{v}&" for v in values], values]
    fmts = [""] * len(values)
    assert _encoded(X.encode, rows, fmts, 10) == _encoded(ref_encode, rows, fmts, 10)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_text_is_the_plain_text(value: str) -> None:
    assert outcome(X.text, value) == outcome(ref_text, value)


@pytest.mark.parametrize("v", ["", "_x0041_", " a", "a ", "a\u3000", "\x1c", "&", "ok"])
def test_encode_of_one_text_cell(v: str) -> None:
    row = [[None, v, 1]]
    assert X.encode(iter(row), ["", "", ""], 1) == ref_encode(iter(row), ["", "", ""], 1)


def test_encode_leaves_trailing_empty_cells_out() -> None:
    # a value equal to "" that is not a str is an empty cell too: no <c/> at a row's end
    rows = [[1, Named(""), None, ""], [Named(""), 2]]
    xml, n = X.encode(iter(rows), ["", "", "", ""], 5)
    assert (xml, n) == ref_encode(iter(rows), ["", "", "", ""], 5)
    assert xml == "<row><c><v>1</v></c></row><row><c/><c><v>2</v></c></row>"


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.integers(0, 5000))
def test_crc_join_is_the_two_pass_join(first: int, then: int, size: int) -> None:
    zeros = bytes(size)
    assert X.crc_join(first, then, size) == zlib.crc32(zeros, first) ^ zlib.crc32(zeros) ^ then


numeric = st.one_of(numbers, st.booleans(), st.integers(-10**6, 10**6),
                    st.sampled_from([0, 1, 1.0, True, -0.0, 0.0, 1500000, 1500000.0]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(numeric, st.sampled_from([0, 1, 2, True])), max_size=20))
def test_number_formatting_is_the_plain_formatting(calls: list[tuple[Any, int]]) -> None:
    # the memos are shared by every call: equal values of other types (1, 1.0, True;
    # 0.0, -0.0) and repeated values must each still give their own text
    for x, decimals in calls * 2:
        assert outcome(V.whole, x) == outcome(ref_whole, x)
        assert outcome(V.number, x, decimals) == outcome(ref_number, x, decimals)
        assert outcome(V.money, x) == outcome(ref_money, x)
        assert outcome(V.percent, x) == outcome(_ref_percent, x)


def _ref_percent(x: float | int, decimals: int = 1) -> str:
    text = ref_number(x * 100, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    if text == "100" and x < 1:
        text = "99," + "9" * max(1, decimals)
    elif text == "0" and x > 0:
        text = "0," + "0" * (max(1, decimals) - 1) + "1"
    return text + "%"


def test_the_memos_stay_small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(V, "_MEMO_MAX", 4)
    monkeypatch.setattr(V, "_WHOLE", {})
    monkeypatch.setattr(V, "_NUMBER", {})
    for n in range(50):
        assert V.whole(n * 1001) == ref_whole(n * 1001)
        assert V.number(n / 7, 1) == ref_number(n / 7, 1)
        assert len(V._WHOLE) <= 4 and len(V._NUMBER) <= 4
    assert V.whole(True) == ref_whole(True) == "1" and V.whole(1) == "1"
    assert (V.number(0.0), V.number(-0.0)) == (ref_number(0.0), ref_number(-0.0)) == ("0", "-0")


def test_a_long_text_with_a_lone_surrogate_is_written_not_raised() -> None:
    """A text past a cell's length holding a lone surrogate (which no UTF-16 holds) is cut
    to a cell's length like any other; the surrogate is written as "?" (`_encode`)."""
    value = "a\udc00" + "b" * X.CELL_MAX
    cell = X.text(value)
    assert cell == "<is><t>a\udc00" + "b" * (X.CELL_MAX - 2) + "</t></is>"
    assert X._encode(cell).count(b"?") == 1
    assert X.text("😀" * X.CELL_MAX) == "<is><t>" + "😀" * (X.CELL_MAX // 2) + "</t></is>"


@given(st.lists(ALPHABET | st.sampled_from(["'", '"', "\n", "\r", "\t", "&amp;"])).map("".join))
def test_escape_and_quoteattr_are_xml_sax_saxutils(value: str) -> None:
    from xml.sax import saxutils

    assert X.escape(value) == saxutils.escape(value)
    assert X.quoteattr(value) == saxutils.quoteattr(value)
