"""The job's rules (`clubtool.job`), without the CLI: one rule for every front door.

Each drift the review found between `cli.py` and `export.py` has a test here that failed on
the code before the job API: the year when none is given, an as-of date outside the year,
validate and the configured year, the tool's own outputs read back as inputs, and report
format aliases accepted in one place only.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from clubtool.export import export
from clubtool.job import JobError, compute, find_inputs, read, resolve
from clubtool.outputs import OUTPUT_MARKER, parse_formats
from clubtool.render import FormatNotFound, Options, formats, renderer
from clubtool.settings import load_settings
from clubtool.validation.annotated import annotate_files

from .factories import changed, club_data, commune_data, write_club, write_commune

TODAY = dt.date(2028, 1, 10)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A working folder: clubtool.toml (no year), du_lieu/ with two clubs (one faulty) and
    the commune workbook; outputs inside the data folder (du_lieu/bao_cao)."""
    d = tmp_path / "du_lieu"
    d.mkdir()
    write_club(d / "clb_dong.xlsx", club_data(club_id="MH-01"))
    write_club(d / "clb_tay.xlsx",
               changed(club_data(club_id="MH-02", village="Thôn Tây"), "members", 3, gender="Gái"))
    write_commune(d / "xa_mai_hoa_2027.xlsx", commune_data())
    (tmp_path / "clubtool.toml").write_text(
        'data_dir = "du_lieu"\nout_dir = "du_lieu/bao_cao"\nformats = ["md"]\n', encoding="utf-8")
    return tmp_path


def job_in(ws: Path, paths: list[Path] | None = None, **kw: object):
    return resolve(paths, config=ws / "clubtool.toml", env={}, cwd=ws, today=TODAY, **kw)


# --- the year ------------------------------------------------------------------------------


def test_no_year_anywhere_takes_the_latest_year_of_the_data_and_says_why(ws: Path) -> None:
    write_club(ws / "du_lieu" / "clb_cu.xlsx", club_data(year=2026, club_id="MH-05"))
    job = job_in(ws)
    assert job.year == 2027
    assert job.year_note and job.year_note.startswith("Năm báo cáo: 2027 — năm mới nhất")
    assert "1 tệp năm 2026" in job.year_note


def test_no_year_and_no_club_workbook_is_an_error_for_the_cli_and_for_export(
        tmp_path: Path) -> None:
    (tmp_path / "du_lieu").mkdir()
    (tmp_path / "clubtool.toml").write_text('data_dir = "du_lieu"\n', encoding="utf-8")
    with pytest.raises(JobError, match="Không biết năm báo cáo"):
        resolve(config=tmp_path / "clubtool.toml", env={}, cwd=tmp_path, today=TODAY)
    # export used to fall back on today's year: now the same rule, the same message
    result = export(load_settings(tmp_path / "clubtool.toml", env={}, cwd=tmp_path),
                    today=TODAY)
    assert result.status == 2
    assert any("Không biết năm báo cáo" in m for m in result.messages), result.messages


def test_validate_uses_the_configured_year(ws: Path) -> None:
    write_club(ws / "du_lieu" / "clb_cu.xlsx", club_data(year=2026, club_id="MH-05"))
    job = resolve(config=ws / "clubtool.toml", env={"CLUBTOOL_YEAR": "2026"}, cwd=ws,
                  today=TODAY, year="optional", period=False)
    assert job.year == 2026
    report = read(job, figures=False, require=False)
    assert [Path(f.path).name for f in report.checked] == ["clb_cu.xlsx"]  # 2027 ones skipped


def test_validate_without_any_year_checks_every_year(ws: Path) -> None:
    write_club(ws / "du_lieu" / "clb_cu.xlsx", club_data(year=2026, club_id="MH-05"))
    job = job_in(ws, year="optional", period=False)
    assert job.year is None and job.year_note is None
    assert len(read(job, figures=False, require=False).checked) == 4


# --- the as-of date ------------------------------------------------------------------------


def test_an_as_of_date_outside_the_year_is_one_error_everywhere(ws: Path) -> None:
    with pytest.raises(JobError, match="Ngày chốt số liệu 31/12/2026 không thuộc năm 2027"):
        job_in(ws, options={"year": 2027, "as_of": "2026-12-31"})
    settings = load_settings(ws / "clubtool.toml", env={"CLUBTOOL_AS_OF": "2026-12-31"}, cwd=ws)
    result = export(settings, year=2027, today=TODAY)
    assert result.status == 2
    assert any("Ngày chốt số liệu 31/12/2026 không thuộc năm 2027" in m
               for m in result.messages), result.messages


def test_as_of_auto_is_today_inside_the_year_else_the_year_end(ws: Path) -> None:
    assert job_in(ws, options={"year": 2027}).as_of == dt.date(2027, 12, 31)
    job = resolve(config=ws / "clubtool.toml", env={}, cwd=ws, today=dt.date(2027, 6, 1),
                  options={"year": 2027})
    assert job.as_of == dt.date(2027, 6, 1)


def test_a_year_outside_the_plan_is_an_error(ws: Path) -> None:
    with pytest.raises(JobError, match="2040"):
        job_in(ws, options={"year": 2040})


# --- the inputs: the tool's own outputs are never read back ---------------------------------


def test_after_an_export_inside_the_data_folder_no_command_reads_its_outputs(ws: Path) -> None:
    """The review's case: out_dir = "du_lieu/bao_cao"; after one export `indicators` read
    the marked-up copies in tra_lai/ and excluded them as duplicates."""
    settings = load_settings(ws / "clubtool.toml", env={}, cwd=ws)
    first = export(settings, year=2027, today=TODAY)
    assert first.status == 1 and (first.folder / "tra_lai" / "clb_tay.xlsx").is_file()
    job = job_in(ws, options={"year": 2027})
    assert [p.name for p in job.files] == ["clb_dong.xlsx", "clb_tay.xlsx",
                                           "xa_mai_hoa_2027.xlsx"]
    assert job.outputs_aside == (ws / "du_lieu" / "bao_cao" / "2027",)
    assert job.inputs_line() and "do clubtool tạo ra" in job.inputs_line()
    report = read(job)
    assert [Path(p).name for p, _ in report.excluded()] == ["clb_tay.xlsx"]
    assert report.not_counted() == []
    # and the export after it sees the same inputs: nothing changed, nothing rewritten
    assert export(settings, year=2027, today=TODAY).unchanged


def test_marked_up_copies_are_not_read_back_wherever_they_are_written(ws: Path) -> None:
    job = job_in(ws, options={"year": 2027})
    copies = list(annotate_files(read(job), ws / "du_lieu" / "tra_lai"))
    assert [c.path.name for c in copies] == ["clb_tay.xlsx"]
    assert (ws / "du_lieu" / "tra_lai" / OUTPUT_MARKER).is_file()
    again = job_in(ws, options={"year": 2027})
    assert ws / "du_lieu" / "tra_lai" / "clb_tay.xlsx" not in again.files
    assert again.outputs_aside == (ws / "du_lieu" / "tra_lai",)


def test_a_file_or_folder_named_explicitly_is_read_even_inside_an_output_folder(
        ws: Path) -> None:
    tra_lai = ws / "du_lieu" / "tra_lai"
    list(annotate_files(read(job_in(ws, options={"year": 2027})), tra_lai))
    named = job_in(ws, [tra_lai / "clb_tay.xlsx"], options={"year": 2027})
    assert named.files == (tra_lai / "clb_tay.xlsx",)
    folder = job_in(ws, [tra_lai], options={"year": 2027})
    assert folder.files == (tra_lai / "clb_tay.xlsx",)


def test_a_folder_with_someone_elses_manifest_is_read(tmp_path: Path) -> None:
    d = tmp_path / "du_lieu" / "nop_lai"
    d.mkdir(parents=True)
    write_club(d / "clb.xlsx", club_data())
    (d / "manifest.json").write_text(json.dumps({"tool": "other"}), encoding="utf-8")
    files, aside = find_inputs([tmp_path / "du_lieu"])
    assert files == [d / "clb.xlsx"] and aside == []


def test_missing_inputs_and_commune_file_are_errors(ws: Path) -> None:
    with pytest.raises(JobError, match="Không tìm thấy: .*khong_co"):
        job_in(ws, [ws / "khong_co"], options={"year": 2027})
    with pytest.raises(JobError, match="Không tìm thấy tệp mẫu của xã"):
        job_in(ws, options={"year": 2027, "commune_file": ws / "xa.xlsx"})


# --- formats: one list, the same aliases everywhere ------------------------------------------


def test_report_format_aliases_are_accepted_in_settings_and_options_alike(ws: Path) -> None:
    (ws / "clubtool.toml").write_text('data_dir = "du_lieu"\nformats = ["Word", "markdown"]\n',
                                      encoding="utf-8")
    assert job_in(ws, options={"year": 2027}).formats == ("docx", "md")
    assert parse_formats("word,markdown") == ("docx", "md")


def test_every_kind_of_output_is_a_renderer_of_the_same_interface(ws: Path) -> None:
    assert formats("validation") == ("table", "json")
    assert formats("indicators") == ("table", "json", "csv")
    assert formats("report") == ("docx", "html", "xlsx", "md", "json")
    job = job_in(ws, options={"year": 2027})
    report = read(job)
    computed = compute(job, report)
    assert computed.status == 1
    for fmt in formats("indicators"):
        text = renderer("indicators", fmt)(computed, Options())
        assert isinstance(text, str) and "MH-01" in text or fmt == "csv"
    assert renderer("validation", "json")(report, Options(lang="en")).startswith("{")
    table = renderer("validation", "table")(report, Options(width=100))
    assert "clb_tay.xlsx" in table and "\x1b[" not in table  # no colours unless asked
    assert "\x1b[" in renderer("validation", "table")(report, Options(color=True))
    with pytest.raises(FormatNotFound, match="table hoặc json"):
        renderer("validation", "csv")


def test_several_communes_in_one_document_are_refused(ws: Path, tmp_path: Path) -> None:
    other = commune_data()
    other["info"] = {**other["info"], "commune": "Thạch Xuân"}
    write_commune(ws / "du_lieu" / "xa_thach_xuan_2027.xlsx", other)
    job = job_in(ws, options={"year": 2027})
    report = read(job)
    assert len(compute(job, report).communes) == 2
    with pytest.raises(JobError, match="mẫu của 2 xã"):
        compute(job, report, one_commune=True)
