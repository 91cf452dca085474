"""Numbers and dates as a Vietnamese reader reads them (`clubtool.vnformat`)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clubtool.values import parse_date
from clubtool.vnformat import NO_VALUE, grouped, money, number, percent, short_date, whole

D = dt.date


@pytest.mark.parametrize(("n", "text"), [
    (0, "0"), (7, "7"), (999, "999"), (1000, "1.000"), (12345, "12.345"),
    (1500000, "1.500.000"), (-1234567, "-1.234.567"), (10**15, "1.000.000.000.000.000"),
])
def test_whole(n: int, text: str) -> None:
    assert whole(n) == text


@given(st.integers())
def test_whole_is_the_digits_with_dots(n: int) -> None:
    text = whole(n)
    assert text.replace(".", "") == str(n)
    assert all(len(group) == 3 for group in text.lstrip("-").split(".")[1:])


@given(st.integers())
def test_grouped_by_language(n: int) -> None:
    assert grouped(n) == grouped(n, "vi") == whole(n)
    assert grouped(n, "en").replace(",", "") == str(n)
    assert grouped(n, "en") == f"{n:,}"


def test_grouped_examples() -> None:
    assert (grouped(12345, "vi"), grouped(12345, "en")) == ("12.345", "12,345")


def test_number_and_percent() -> None:
    assert number(1234567) == "1.234.567"
    assert number(2.5, 1) == "2,5"
    assert number(2.25, 1) == "2,3"  # half up, as on paper
    assert number(1234.5, 1) == "1.234,5"
    assert (percent(0.819), percent(0.8), percent(1)) == ("81,9%", "80%", "100%")
    assert percent(0.9996) == "99,9%"  # never "100%" below 100%
    assert percent(0.0001) == "0,1%"  # nor "0%" above 0% (the least shown)


def test_money() -> None:
    assert money(1500000.0) == money(1500000) == "1.500.000"
    assert money(None) == NO_VALUE


def test_short_date() -> None:
    assert short_date(D(2027, 12, 31)) == "31/12/2027"
    assert short_date(D(2027, 3, 5)) == "05/03/2027"
    assert short_date(dt.datetime(2027, 3, 5, 14, 30)) == "05/03/2027"  # the day only
    assert short_date("2027-03-05") == "05/03/2027"
    assert short_date(None) == short_date("") == ""


@given(st.dates(min_value=D(1000, 1, 1)))
def test_short_date_reads_back(day: dt.date) -> None:
    assert parse_date(short_date(day)) == day
    assert short_date(day) == day.strftime("%d/%m/%Y")  # the form it replaced (years ≥ 1000)
