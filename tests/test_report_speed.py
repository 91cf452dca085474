"""The report's costs cut for the nightly export (issue 14), never its bytes: compiled templates
kept between runs (`report.templates`), the chart laid out once for PNG and SVG
(`report._charts`), and the report rendered in a second process beside the export
(`report.worker`). Each way gives the same bytes as the plain one."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from typing import Any

import jinja2
import pytest

from clubtool.export import export
from clubtool.job import compute, read, resolve
from clubtool.render import Options, renderer
from clubtool.report import _charts, build_context, for_formats, prepare_report
from clubtool.report import templates as T
from clubtool.report.worker import ReportWorker, worth_starting
from clubtool.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
Y = 2027
DATE = dt.date(Y, 12, 5)
JINJA = ("docx", "html", "md")
ALL = ("docx", "html", "xlsx", "md", "json")


@pytest.fixture(scope="module")
def inputs() -> tuple[Any, Any]:
    job = resolve([SAMPLE], options={"year": Y, "as_of": f"{Y}-12-31"}, env={}, cwd=ROOT)
    report = read(job)
    return compute(job, report).communes[0].indicators, report


@pytest.fixture(scope="module")
def ctx(inputs: tuple[Any, Any]) -> Any:
    indicators, report = inputs
    return build_context(indicators, report.commune, Y, DATE, validation=report)


def _render(ctx: Any, fmt: str, templates: Path | None = None) -> bytes:
    data = renderer("report", fmt)(ctx, Options(templates=templates))
    assert isinstance(data, bytes)
    return data


@pytest.fixture
def cache_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Point the compiled-template cache somewhere (None: no cache)."""

    def point(folder: Path | None) -> Path | None:
        monkeypatch.setattr(T, "compiled_folder", lambda: folder)
        return folder

    return point


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources jinja2 compiles (names, "" for a string)."""
    seen: list[str] = []
    real = jinja2.Environment.compile

    def counting(self: Any, source: Any, name: Any = None, *a: Any, **k: Any) -> Any:
        seen.append(name or "")
        return real(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return seen


# --- compiled templates ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", JINJA)
def test_compiled_templates_are_kept_and_never_change_the_bytes(
        ctx: Any, tmp_path: Path, cache_at: Any, compiles: list[str], fmt: str) -> None:
    cache_at(None)
    plain = _render(ctx, fmt)
    folder = cache_at(tmp_path / "cache")
    assert _render(ctx, fmt) == plain  # cold: compiled, kept
    assert folder is not None and list(folder.glob("*.j2c"))
    compiles.clear()
    assert _render(ctx, fmt) == plain  # warm: the big template is not compiled again
    big = [n for n in compiles if n.endswith(".j2")] if fmt != "docx" else compiles
    assert len(big) < (1 if fmt != "docx" else 8), compiles


def test_an_edited_template_is_compiled_again(ctx: Any, tmp_path: Path, cache_at: Any) -> None:
    cache_at(tmp_path / "cache")
    own = tmp_path / "mau"
    own.mkdir()
    source = T.find_template(T.HTML_TEMPLATE).read_text(encoding="utf-8")
    (own / T.HTML_TEMPLATE).write_text(source, encoding="utf-8")
    before = _render(ctx, "html", own)
    edited = source.replace("</body>", "<p>Mẫu riêng của xã</p></body>", 1)
    assert edited != source
    (own / T.HTML_TEMPLATE).write_text(edited, encoding="utf-8")
    after = _render(ctx, "html", own)
    assert "Mẫu riêng của xã".encode() in after and after != before


@pytest.mark.parametrize("damage", ["file", "truncated", "flipped"])
def test_a_cache_that_cannot_be_used_only_means_compiling(
        ctx: Any, tmp_path: Path, cache_at: Any, damage: str) -> None:
    cache_at(None)
    plain = {f: _render(ctx, f) for f in JINJA}
    folder = tmp_path / "cache"
    if damage == "file":  # the folder's place taken by a file: nothing can be written
        folder.write_bytes(b"not a folder")
    cache_at(folder)
    assert {f: _render(ctx, f) for f in JINJA} == plain
    if damage != "file":
        for p in folder.glob("*.j2c"):
            data = bytearray(p.read_bytes())
            if damage == "truncated":
                data = data[: len(data) // 2]
            else:
                data[-40] ^= 0xFF  # a byte of the compiled code: its SHA-256 no longer matches
            p.write_bytes(bytes(data))
        assert {f: _render(ctx, f) for f in JINJA} == plain


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="POSIX modes; root writes anyway")
def test_a_read_only_cache_folder_still_renders(ctx: Any, tmp_path: Path, cache_at: Any) -> None:
    cache_at(None)
    plain = _render(ctx, "html")
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        cache_at(folder)
        assert _render(ctx, "html") == plain
    finally:
        folder.chmod(stat.S_IRWXU)


# --- the chart ------------------------------------------------------------------------------


def test_the_chart_laid_out_once_gives_the_bytes_of_a_fresh_one(ctx: Any) -> None:
    bars = ctx.chart
    assert bars
    _charts._LAST.clear()
    png = _charts.chart_png(bars)
    _charts._LAST.clear()
    svg = _charts.chart_svg(bars)
    # now from the same figure, in both orders
    assert _charts.chart_png(bars) == png and _charts.chart_svg(bars) == svg
    assert _charts.chart_png(bars) == png
    other = [type(b)(**{**{f: getattr(b, f) for f in b.__slots__}, "value": b.value / 2})
             for b in bars]
    assert _charts.chart_svg(other) != svg  # other bars: laid out again


# --- the worker -----------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [None, 1])
def test_the_context_sent_without_every_clubs_rows_renders_the_same(
        inputs: tuple[Any, Any], limit: int | None) -> None:
    """The worker is sent the context without `clubs_all`/`club_list_all` unless XLSX is
    asked (`for_formats`): every other format renders the same bytes from it, with each
    club's row in the documents (the sample) or past the per-club limit (counts only)."""
    indicators, report = inputs
    full = build_context(indicators, report.commune, Y, DATE, validation=report,
                         per_club_limit=limit, payload=True)
    assert full.clubs_all and full.club_list_all
    fmts = ("docx", "html", "md", "json")
    sent = for_formats(full, fmts)
    assert not sent.clubs_all and not sent.club_list_all
    assert for_formats(full, ("docx", "xlsx")) is full
    for fmt in fmts:
        assert _render(sent, fmt) == _render(full, fmt), fmt


def test_when_a_worker_is_worth_starting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("clubtool.report.worker._cpus", lambda: 2)
    monkeypatch.delenv("CLUBTOOL_REPORT_WORKER", raising=False)
    assert worth_starting(("docx", "html"), None)  # on unless switched off
    monkeypatch.setenv("CLUBTOOL_REPORT_WORKER", "1")
    assert worth_starting(("docx", "html"), None)
    assert not worth_starting(("docx", "html"), 1)  # --jobs 1
    assert not worth_starting(("md", "json"), None)  # nothing heavy
    monkeypatch.setattr("clubtool.report.worker._cpus", lambda: 1)
    assert not worth_starting(("docx",), None)  # one CPU
    monkeypatch.setattr("clubtool.report.worker._cpus", lambda: 2)
    monkeypatch.setenv("CLUBTOOL_REPORT_WORKER", "0")
    assert not worth_starting(("docx",), None)


def _prepare(inputs: tuple[Any, Any], out: Path, worker: ReportWorker | None,
             **kw: Any) -> Any:
    indicators, report = inputs
    return prepare_report(indicators, report.commune, year=Y, formats=ALL, out_dir=out,
                          date=DATE, validation=report, force=True, worker=worker, **kw)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_worker_renders_the_same_bytes(inputs: tuple[Any, Any], tmp_path: Path) -> None:
    _prepare(inputs, tmp_path / "here", None).write()
    worker = ReportWorker.start(ALL)
    assert worker is not None
    pending = _prepare(inputs, tmp_path / "worker", worker)
    got: list[Any] = []
    real = worker.result
    worker.result = lambda: got.append(real()) or got[0]  # type: ignore[method-assign]
    pending.write()
    assert got[0] is not None and len(got[0]) == len(ALL)  # the worker's bytes were used
    assert worker._proc.poll() is not None  # and it has ended
    assert _files(tmp_path / "worker") == _files(tmp_path / "here")


def test_a_worker_killed_half_way_means_rendering_here(inputs: tuple[Any, Any],
                                                       tmp_path: Path) -> None:
    _prepare(inputs, tmp_path / "here", None).write()
    worker = ReportWorker.start(ALL)
    assert worker is not None
    pending = _prepare(inputs, tmp_path / "worker", worker)
    worker._proc.kill()
    pending.write()
    assert _files(tmp_path / "worker") == _files(tmp_path / "here")
    assert worker._proc.poll() is not None


def test_a_template_error_in_the_worker_is_raised_here(inputs: tuple[Any, Any],
                                                       tmp_path: Path) -> None:
    own = tmp_path / "mau"
    own.mkdir()
    (own / T.HTML_TEMPLATE).write_text("{% if %}", encoding="utf-8")
    worker = ReportWorker.start(("html",))
    assert worker is not None
    indicators, report = inputs
    pending = prepare_report(indicators, report.commune, year=Y, formats="html",
                             out_dir=tmp_path / "out", date=DATE, validation=report,
                             templates=own, worker=worker)
    with pytest.raises(jinja2.TemplateSyntaxError):
        pending.write()
    assert worker._proc.poll() is not None
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def _export(tmp_path: Path, name: str) -> tuple[int, dict[str, bytes]]:
    settings = load_settings(options={"data_dir": SAMPLE, "out_dir": tmp_path / name,
                                      "formats": "docx,html", "archive": tmp_path / "a.sqlite"},
                             env={}, cwd=tmp_path)
    result = export(settings, year=Y, today=DATE)
    folder = tmp_path / name / str(Y)
    return result.status, {p.name: p.read_bytes() for p in sorted(folder.iterdir())
                           if p.name != "manifest.json" and p.is_file()}


def _spied_workers(monkeypatch: pytest.MonkeyPatch) -> list[ReportWorker]:
    """The workers started from now on (with two CPUs, whatever this machine has)."""
    started: list[ReportWorker] = []
    real = ReportWorker.start.__func__  # type: ignore[attr-defined]

    def spying(cls: Any, formats: Any) -> Any:
        worker = real(cls, formats)
        started.append(worker)
        return worker

    monkeypatch.setattr(ReportWorker, "start", classmethod(spying))
    monkeypatch.setattr("clubtool.report.worker._cpus", lambda: 2)
    return started


def test_export_with_and_without_the_worker_writes_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = _spied_workers(monkeypatch)
    monkeypatch.setenv("CLUBTOOL_REPORT_WORKER", "1")
    with_worker = _export(tmp_path, "with")
    assert started and started[0] is not None
    assert started[0]._proc.poll() is not None  # no process left behind
    monkeypatch.setenv("CLUBTOOL_REPORT_WORKER", "0")
    without = _export(tmp_path, "without")
    assert len(started) == 1  # not started again
    assert with_worker == without
    assert {"bao_cao_2027.docx", "bao_cao_2027.html"} <= set(without[1])


def test_an_export_that_fails_leaves_no_worker(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    started = _spied_workers(monkeypatch)

    def broken_merge(*_a: object, **_k: object) -> None:
        raise RuntimeError("máy hỏng")

    monkeypatch.setattr("clubtool.merge.merge", broken_merge)
    monkeypatch.setenv("CLUBTOOL_REPORT_WORKER", "1")
    settings = load_settings(options={"data_dir": SAMPLE, "out_dir": tmp_path / "out",
                                      "formats": "docx,html", "archive": tmp_path / "a.sqlite"},
                             env={}, cwd=tmp_path)
    result = export(settings, year=Y, today=DATE)
    assert result.status == 2
    assert started and started[0] is not None and started[0]._proc.poll() is not None


def test_the_worker_started_with_the_command_is_the_one_used(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`cli.main` starts the worker before `export` reads its settings; `started` takes
    it, or stops it when the settings want no worker (`jobs = 1`)."""
    from clubtool.report import worker as W

    started = _spied_workers(monkeypatch)
    monkeypatch.delenv("CLUBTOOL_REPORT_WORKER", raising=False)
    ReportWorker.prestart(("docx", "html"))
    assert len(started) == 1 and W._PRESTARTED == [started[0]]
    with ReportWorker.started(("docx", "html")) as worker:
        assert worker is started[0] and not W._PRESTARTED
    assert started[0]._proc.poll() is not None
    ReportWorker.prestart(("docx", "html"))
    with ReportWorker.started(("docx", "html"), jobs=1) as worker:
        assert worker is None
    assert len(started) == 2 and started[1]._proc.poll() is not None and not W._PRESTARTED
