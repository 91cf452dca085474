"""Terminal tables at 80 columns (issue 16): every title wraps on word boundaries, no line
passes the width, nothing of a title is cut off."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from rich import box
from rich.console import Console
from rich.table import Table

from clubtool.job import compute, read, resolve
from clubtool.render import Options, renderer
from clubtool.render._text import capture, titled

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
LONG_TITLE = ("Chỉ tiêu kế hoạch — xã Mai Hoa — năm 2027 (Giai đoạn 2026 - 2030), số liệu đến "
              "ngày 31/12/2027")


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def _lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def _wide_table(title: str) -> Table:
    """The indicator table as it was: a minimum width, columns that may not shrink, and
    rich lays it out a few columns wider than 80."""
    t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    t.add_column("Chỉ tiêu", overflow="fold", min_width=24, ratio=1)
    t.add_column("Kế hoạch", overflow="fold", max_width=14)
    t.add_column("Thực hiện", justify="right", no_wrap=True)
    t.add_column("Tiến độ", no_wrap=True)
    t.add_column("Đánh giá", overflow="fold", max_width=11)
    t.add_row("100% cán bộ tham gia triển khai Kế hoạch được nâng cao nhận thức",
              "≥ 1 (kế hoạch: 1–2)\ncả giai đoạn", "4.112/4.823", "██████░░", "đang thực hiện")
    return t


def test_a_title_wraps_on_words_even_above_a_table_too_wide() -> None:
    out = capture(lambda c: c.print(titled(_wide_table(LONG_TITLE))), Options(width=80))
    lines = _lines(out)
    title_lines = lines[:2]
    assert _words(" ".join(title_lines)) == _words(LONG_TITLE)  # every word whole, in order
    assert all(len(line) <= 80 for line in title_lines)


def test_without_the_fix_rich_cuts_that_title() -> None:
    """What the helper is for: rich alone loses the end of the title's first line."""
    out = capture(lambda c: c.print(_wide_table(LONG_TITLE)), Options(width=80))
    assert _words(" ".join(_lines(out)[:2])) != _words(LONG_TITLE)


def test_a_path_longer_than_the_line_is_folded_not_cut() -> None:
    path = "du_lieu/" + "thu_muc_rat_dai_" * 8 + "clb_mh-01.xlsx"
    t = Table(title=path, title_justify="left")
    t.add_column("Ô")
    t.add_row("B2")
    out = capture(lambda c: c.print(titled(t)), Options(width=40))
    assert "".join(line.rstrip() for line in _lines(out)[:4]).startswith(path)


def test_a_table_without_title_is_itself() -> None:
    t = Table()
    assert titled(t) is t


@pytest.fixture(scope="module")
def computed():  # type: ignore[no-untyped-def]
    job = resolve([SAMPLE], options={"year": 2027}, today=dt.date(2028, 1, 15),
                  env={}, cwd=SAMPLE)
    report = read(job, keep_records=False)
    return job, report, compute(job, report)


@pytest.mark.parametrize("width", [60, 80, 100])
def test_the_indicator_tables_fit_the_terminal(computed, width: int) -> None:  # type: ignore[no-untyped-def]
    _, _, result = computed
    text = renderer("indicators", "table")(result, Options(width=width))
    assert isinstance(text, str)
    lines = _lines(text)
    # (a bullet naming a file is never broken, so that the path stays copyable)
    assert all(len(line) <= width for line in lines if not line.startswith("  • ")), \
        max(lines, key=len)
    title = next(i for i, line in enumerate(lines) if line.startswith("Chỉ tiêu kế hoạch"))
    joined = " ".join(lines[title:title + 3])
    assert "số liệu đến ngày 31/12/2027" in re.sub(r"\s+", " ", joined)
    assert "Từng câu lạc bộ" in text


def test_the_validation_tables_fit_80_columns(computed) -> None:  # type: ignore[no-untyped-def]
    _, report, _ = computed
    text = renderer("validation", "table")(report, Options(width=80))
    assert isinstance(text, str)
    assert all(len(line) <= 80 for line in _lines(text))
    console = Console(width=80)
    assert console.width == 80
