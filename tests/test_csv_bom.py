"""CSV for Excel (issue 16): a UTF-8 byte order mark on every CSV file the tool writes and on
`indicators --format csv` sent into a file; none on a terminal or through a pipe;
`--csv-encoding` to choose."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from clubtool.cli import app
from clubtool.job import compute, read, resolve
from clubtool.render import BOM, CSV_ENCODINGS, Options, csv_bom, renderer

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
UTF8_BOM = b"\xef\xbb\xbf"
ARGS = ["indicators", str(SAMPLE), "--year", "2027", "--as-of", "2027-12-31", "--format", "csv"]


@pytest.fixture(scope="module")
def computed():  # type: ignore[no-untyped-def]
    job = resolve([SAMPLE], options={"year": 2027}, today=dt.date(2028, 1, 15), env={},
                  cwd=SAMPLE)
    return compute(job, read(job, keep_records=False))


# --- the rule -----------------------------------------------------------------------------


def test_the_encodings_offered() -> None:
    assert CSV_ENCODINGS == ("auto", "utf-8-sig", "utf-8")
    assert BOM.encode("utf-8") == UTF8_BOM


def test_explicit_choices_win_wherever_the_text_goes(tmp_path: Path) -> None:
    with open(tmp_path / "x.csv", "w", encoding="utf-8") as fh:
        assert csv_bom("utf-8-sig", fh) is True
        assert csv_bom("utf-8", fh) is False
    assert csv_bom("utf-8-sig", None) is True


def test_auto_puts_a_bom_into_a_new_file_only(tmp_path: Path) -> None:
    with open(tmp_path / "new.csv", "w", encoding="utf-8") as fh:
        assert csv_bom("auto", fh) is True
    appended = tmp_path / "old.csv"
    appended.write_text("id,name\n", encoding="utf-8")
    with open(appended, "a", encoding="utf-8") as fh:  # `>>`: never a BOM mid-file
        assert csv_bom("auto", fh) is False
    read_end, write_end = os.pipe()
    try:
        with os.fdopen(write_end, "w", encoding="utf-8", closefd=False) as fh:
            assert csv_bom("auto", fh) is False  # a pipe: the next program reads plain UTF-8
    finally:
        os.close(read_end)
        os.close(write_end)
    assert csv_bom("auto", io.StringIO()) is False  # no file under it
    assert csv_bom("auto", None) is False


def test_an_unknown_encoding_is_refused_in_vietnamese() -> None:
    with pytest.raises(ValueError, match="--csv-encoding chỉ nhận auto, utf-8-sig hoặc utf-8"):
        csv_bom("latin-1")


# --- the renderers --------------------------------------------------------------------------


def test_indicators_csv_with_and_without_bom(computed) -> None:  # type: ignore[no-untyped-def]
    plain = renderer("indicators", "csv")(computed, Options())
    marked = renderer("indicators", "csv")(computed, Options(bom=True))
    assert isinstance(plain, str) and isinstance(marked, str)
    assert not plain.startswith(BOM) and marked == BOM + plain
    rows = list(csv.DictReader(io.StringIO(marked.encode("utf-8").decode("utf-8-sig"))))
    assert rows[0]["id"] == "can_bo_tap_huan"  # Excel's reading: the first header is "id"


def test_years_csv_with_bom() -> None:
    empty = SimpleNamespace(indicators=[])
    plain = renderer("years", "csv")(empty, Options())
    assert renderer("years", "csv")(empty, Options(bom=True)) == BOM + plain
    assert plain.startswith("id,name,")


# --- the command line -------------------------------------------------------------------------


def test_cli_prints_plain_utf8_by_default_and_a_bom_when_asked() -> None:
    runner = CliRunner()
    plain = runner.invoke(app, ARGS)
    assert plain.exit_code == 1, plain.output  # (sample_data holds faulty workbooks)
    assert plain.stdout_bytes.startswith(b"id,name,")
    marked = runner.invoke(app, [*ARGS, "--csv-encoding", "utf-8-sig"])
    assert marked.exit_code == 1 and marked.stdout_bytes == UTF8_BOM + plain.stdout_bytes
    forced = runner.invoke(app, [*ARGS, "--csv-encoding", "utf-8"])
    assert forced.stdout_bytes == plain.stdout_bytes


def test_cli_refuses_an_unknown_encoding_before_reading() -> None:
    r = CliRunner().invoke(app, [*ARGS, "--csv-encoding", "latin1"])
    assert r.exit_code == 2
    assert "--csv-encoding chỉ nhận" in r.stderr and r.stdout == ""


def test_cli_redirected_into_a_file_gets_a_bom_a_pipe_does_not(tmp_path: Path) -> None:
    """The officer's `clubtool indicators --format csv > chi_tieu.csv`, opened in Excel."""
    cmd = [sys.executable, "-m", "clubtool", *ARGS]
    env = {**os.environ, "PYTHONUTF8": "1"}
    target = tmp_path / "chi_tieu.csv"
    with open(target, "wb") as fh:
        done = subprocess.run(cmd, stdout=fh, stderr=subprocess.PIPE, env=env, cwd=tmp_path,
                              timeout=120, check=False)
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")
    piped = subprocess.run(cmd, capture_output=True, env=env, cwd=tmp_path, timeout=120,
                           check=False)
    assert piped.returncode == 1
    assert target.read_bytes() == UTF8_BOM + piped.stdout
    assert not piped.stdout.startswith(UTF8_BOM)
