"""Cell values as clubs write them (SPEC §2): dates day first, Vietnamese numbers, flags."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from clubtool.text import fold
from clubtool.values import (
    BadValue,
    display,
    is_empty,
    parse_date,
    parse_flag,
    parse_integer,
    parse_number,
    parse_phone,
    parse_text,
    parse_year,
)

D = dt.date
dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))


def excel_serial(d: dt.date) -> int:
    """The serial Excel shows for `d` (1900 system, with its fictitious 29/02/1900)."""
    serial = (d - D(1899, 12, 31)).days
    return serial + 1 if d >= D(1900, 3, 1) else serial


# --- dates --------------------------------------------------------------------------------


@given(dates)
def test_text_dates_in_every_form(d):
    forms = [f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day}/{d.month}/{d.year}",
             f"{d.day:02d}-{d.month:02d}-{d.year}", f"{d.day:02d}.{d.month:02d}.{d.year}",
             f"{d.year}-{d.month:02d}-{d.day:02d}", f"  {d.day}/{d.month}/{d.year} "]
    assert [parse_date(f) for f in forms] == [d] * len(forms)


@given(dates, st.times())
def test_excel_dates_and_datetimes(d, t):
    assert parse_date(d) == d
    assert parse_date(dt.datetime.combine(d, t)) == d


@given(dates, st.floats(min_value=0, max_value=0.99999))
@example(D(1900, 1, 1), 0.0)
@example(D(1900, 2, 28), 0.5)
@example(D(1900, 3, 1), 0.0)
@example(D(2100, 12, 31), 0.99)
def test_excel_serials(d, time_of_day):
    serial = excel_serial(d)
    assert parse_date(serial) == d
    assert parse_date(float(serial)) == d
    assert parse_date(serial + time_of_day) == d


def test_day_first_always():
    assert parse_date("03/04/2027") == D(2027, 4, 3)
    assert parse_date("12/01/2027") == D(2027, 1, 12)


@pytest.mark.parametrize("text", [
    "32/13/2027", "31/04/2027", "29/02/2027", "00/01/2027", "15/00/2027", "2027-02-30",
    "2027-13-01", "13/25/2027", "1/1/27", "ngày 5/3/2027", "5/3", "2027", "05032027",
    "5//3/2027", "hôm nay", "", "  ",
])
def test_invalid_text_dates_are_type_errors(text):
    with pytest.raises(BadValue) as exc:
        parse_date(text)
    assert exc.value.code == "type"


@given(st.integers(1, 31), st.integers(1, 12), st.integers(1900, 2100))
def test_any_day_month_year_is_a_date_or_a_type_error(day, month, year):
    try:
        expected = D(year, month, day)
    except ValueError:
        with pytest.raises(BadValue) as exc:
            parse_date(f"{day:02d}/{month:02d}/{year}")
        assert exc.value.code == "type"
    else:
        assert parse_date(f"{day:02d}/{month:02d}/{year}") == expected


@pytest.mark.parametrize("raw", [True, False, 0, -5, 0.5, 10**9, float("nan"), float("inf"),
                                 dt.time(10, 0), b"05/03/2027"])
def test_other_values_are_no_dates(raw):
    with pytest.raises(BadValue) as exc:
        parse_date(raw)
    assert exc.value.code == "type"


def test_leap_day_1900_does_not_exist():
    with pytest.raises(BadValue):
        parse_date("29/02/1900")
    with pytest.raises(BadValue):
        parse_date(60)  # Excel's fictitious 29/02/1900
    assert (parse_date(59), parse_date(61)) == (D(1900, 2, 28), D(1900, 3, 1))
    assert parse_date(45658) == D(2025, 1, 1)  # as Excel shows it


# --- numbers ------------------------------------------------------------------------------


def grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@given(st.integers(0, 10**13), st.sampled_from([".", ",", " ", "\u00a0"]),
       st.sampled_from(["", "đ", " đ", "VNĐ", " VNĐ", " vnđ", " đồng", "đồng", " VND"]))
def test_numbers_with_thousand_separators_and_currency(n, sep, suffix):
    text = grouped(n, sep) + suffix
    assert parse_number(text) == n
    assert parse_integer(text) == n
    assert isinstance(parse_integer(text), int)


@given(st.integers(0, 10**13))
def test_plain_numbers(n):
    assert parse_number(str(n)) == n
    assert parse_number(n) == n
    assert parse_number(float(n)) == n and isinstance(parse_number(float(n)), int)


def test_number_examples():
    assert parse_number("1.500.000đ") == 1_500_000
    assert parse_number("1,5") == 1.5
    assert parse_number("2.5") == 2.5
    assert parse_number("1.500") == 1500
    assert parse_number("1.500.000,50") == 1_500_000.5
    assert parse_number(" 500 000 đồng ") == 500_000
    assert parse_number("-300.000") == -300_000
    assert parse_integer("2027") == 2027 and parse_integer(2027.0) == 2027


@pytest.mark.parametrize("text", ["", "đ", "abc", "1.50.000", "1.500,000.5", "1..500",
                                  "12 tr", "1,500.000,5", "1.500.000.000,5,5", "NaN", "inf",
                                  "1e5", "--5", "5-"])
def test_bad_numbers(text):
    with pytest.raises(BadValue) as exc:
        parse_number(text)
    assert exc.value.code == "type"


@pytest.mark.parametrize("raw", [True, False, float("nan"), float("inf"), D(2027, 1, 1)])
def test_non_numbers(raw):
    with pytest.raises(BadValue):
        parse_number(raw)


def test_integers_refuse_fractions():
    with pytest.raises(BadValue):
        parse_integer(1.5)
    with pytest.raises(BadValue):
        parse_integer("12,5")


@given(dates)
def test_year_from_a_year_or_a_full_date(d):
    assert parse_year(d.year) == d.year
    assert parse_year(float(d.year)) == d.year
    assert parse_year(str(d.year)) == d.year
    assert parse_year(d) == d.year
    assert parse_year(f"{d.day}/{d.month}/{d.year}") == d.year


# --- flags --------------------------------------------------------------------------------

TRUE = ["x", "X", "✓", "có", "Có", "CÓ", "1", "TRUE", "true", "yes", "Yes", " x ", "co"]
FALSE = ["không", "Không", "0", "FALSE", "false", "khong"]


@pytest.mark.parametrize("text", TRUE)
def test_true_flags(text):
    assert parse_flag(text) is True


@pytest.mark.parametrize("text", FALSE)
def test_false_flags(text):
    assert parse_flag(text) is False


def test_flags_from_numbers_and_booleans():
    assert [parse_flag(v) for v in (1, 1.0, True, 0, 0.0, False)] == [True] * 3 + [False] * 3
    for v in (2, -1, 0.5):
        with pytest.raises(BadValue) as exc:
            parse_flag(v)
        assert exc.value.code == "enum"


_KNOWN = {fold(t) for t in TRUE + FALSE} | {fold("✔")}


@given(st.text(min_size=1, max_size=12))
def test_anything_else_is_an_enum_error(text):
    assume(not is_empty(text) and fold(text) not in _KNOWN)
    with pytest.raises(BadValue) as exc:
        parse_flag(text)
    assert exc.value.code == "enum"


# --- phone and text -----------------------------------------------------------------------


def test_phone_stored_as_a_number_keeps_its_zero():
    assert parse_phone(912345678.0) == "0912345678"
    assert parse_phone(912345678) == "0912345678"
    assert parse_phone("0912 345 678") == "0912345678"
    assert parse_phone("0912.345.678") == "0912345678"
    assert parse_phone("(0912) 345-678") == "0912345678"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_text_is_nfc_trimmed_and_collapsed(text):
    out = parse_text(text)
    assert unicodedata.is_normalized("NFC", out)
    assert out == out.strip()
    assert "  " not in out


def test_text_examples():
    nfd = unicodedata.normalize("NFD", "  Nguyễn   Thị\u00a0Lan ")
    assert parse_text(nfd) == "Nguyễn Thị Lan"
    assert parse_text("UBND tỉnh\r\nLưu: VT") == "UBND tỉnh\nLưu: VT"
    assert parse_text(12.0) == "12" and parse_text(True) == "TRUE"
    assert parse_text(D(2027, 3, 5)) == "05/03/2027"


def test_display():
    assert display(None) == "" and display(2027.0) == "2027"
    assert display(D(2027, 3, 5)) == "05/03/2027" and display("Gái") == "Gái"
